package web_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
)

// oidcProviderVersion is the npm oidc-provider the sign-in test runs.
const oidcProviderVersion = "9.13.3"

// startOIDCProvider runs npm oidc-provider (installed once into the user's
// cache) with testdata/oidc-provider.mjs and returns its issuer URL.
func startOIDCProvider(t *testing.T, redirectURI string) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is required for the sign-in test")
		}
		t.Skip("node not installed: the sign-in test runs a real OpenID provider on Node.js")
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "traject", "oidc-provider-"+oidcProviderVersion)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "oidc-provider", "package.json")); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("npm", "install", "--silent", "--no-audit", "--no-fund", "--no-save", "oidc-provider@"+oidcProviderVersion)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm install oidc-provider: %v\n%s", err, out)
		}
	}
	// The script runs beside its node_modules, where ES modules resolve.
	script, err := os.ReadFile(filepath.Join("testdata", "oidc-provider.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "provider.mjs"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, node, "provider.mjs", redirectURI)
	cmd.Dir = dir
	cmd.Stderr = testWriter{t}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	lines := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(out)
		for s.Scan() {
			if strings.HasPrefix(s.Text(), "http://") {
				lines <- s.Text()
			}
		}
	}()
	select {
	case issuer := <-lines:
		return issuer
	case <-time.After(30 * time.Second):
		t.Fatal("the OpenID provider did not start")
		return ""
	}
}

// testWriter passes the provider's warnings to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

var (
	formAction  = regexp.MustCompile(`<form[^>]*action="([^"]+)"`)
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)
)

// signInAt walks a sign-in through the provider's own login and consent
// pages as a browser would: every redirect followed, each form submitted
// with its hidden fields, the login being the e-mail address. It returns
// the status and location of traject's answer to the callback. With a
// host, the sign-in starts at that host's provider.
func signInAt(t *testing.T, b *browser, login string, host ...string) (int, string, http.Header) {
	t.Helper()
	start := url.Values{}
	if len(host) > 0 {
		start.Set("host", host[0])
	}
	status, _, header := b.do("POST", "/signin/oidc", start)
	if status != http.StatusSeeOther {
		t.Fatalf("start: %d", status)
	}
	next := header.Get("Location")
	auth, _ := url.Parse(next)
	q := auth.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" {
		t.Fatalf("the authorization request lacks PKCE, nonce or state: %s", next)
	}
	method, form := "GET", url.Values(nil)
	for range 20 {
		target, err := url.Parse(next)
		if err != nil {
			t.Fatal(err)
		}
		if !target.IsAbs() {
			target = auth.ResolveReference(target)
		}
		if strings.HasPrefix(target.String(), b.base+"/") {
			// Back at traject: its callback answers.
			return b.do(method, strings.TrimPrefix(target.String(), b.base), form)
		}
		req, _ := http.NewRequest(method, target.String(), strings.NewReader(form.Encode()))
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := b.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw := readAll(t, resp)
		switch {
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
			next, method, form = resp.Header.Get("Location"), "GET", nil
			auth = target
		case resp.StatusCode == http.StatusOK:
			m := formAction.FindStringSubmatch(raw)
			if m == nil {
				t.Fatalf("a provider page without a form:\n%s", raw)
			}
			form = url.Values{}
			for _, h := range hiddenInput.FindAllStringSubmatch(raw, -1) {
				form.Set(h[1], h[2])
			}
			if strings.Contains(raw, `name="login"`) {
				form.Set("login", login)
				form.Set("password", "any")
			}
			next, method, auth = m[1], "POST", target
		default:
			t.Fatalf("provider answered %d at %s:\n%s", resp.StatusCode, target, raw)
		}
	}
	t.Fatal("the sign-in did not come back to traject")
	return 0, "", nil
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// The whole sign-in against a real, conformant OpenID provider: the
// authorization code flow with PKCE, the ID token carrying no e-mail and
// the verified address read from userinfo, mapped to the staff user.
// Unverified and unknown addresses and a forged callback are refused, and
// nobody is signed in by them.
func TestSignInWithTheCentresProvider(t *testing.T) {
	db := testenv.Database(t)
	testenv.Seed(t, db)

	var pages http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { pages.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	redirect := srv.URL + web.CallbackPath
	issuer := startOIDCProvider(t, redirect)
	provider, err := oidc.NewProvider(context.Background(), issuer)
	if err != nil {
		t.Fatal(err)
	}
	pages, err = web.New(web.Options{Logger: testenv.Logger(t), DB: db, InsecureCookies: true,
		OIDC: &web.OIDC{Provider: provider, ClientID: "traject", ClientSecret: "traject-secret", RedirectURL: redirect}})
	if err != nil {
		t.Fatal(err)
	}

	newSession := func() *browser {
		jar, _ := cookiejar.New(nil)
		return &browser{t: t, base: srv.URL, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	}

	t.Run("a verified staff address signs in", func(t *testing.T) {
		b := newSession()
		status, page, _ := b.do("GET", "/signin", nil)
		if status != 200 || !strings.Contains(page, `action="/signin/oidc"`) || strings.Contains(page, "/signin/dev") {
			t.Fatalf("sign-in page: %d\n%s", status, page)
		}
		status, _, header := signInAt(t, b, "an@ocmw.example")
		if status != http.StatusSeeOther || header.Get("Location") != "/" {
			t.Fatalf("callback: %d to %q", status, header.Get("Location"))
		}
		status, page, _ = b.do("GET", "/", nil)
		if status != 200 || !strings.Contains(page, "An") || !strings.Contains(page, `action="/signout"`) {
			t.Fatalf("my work after sign-in: %d\n%s", status, page)
		}
		if status, _, _ := b.do("POST", "/signout", url.Values{}); status != http.StatusSeeOther {
			t.Fatalf("sign out: %d", status)
		}
		if status, _, _ := b.do("GET", "/", nil); status != http.StatusSeeOther {
			t.Fatalf("after sign-out: %d", status)
		}
	})
	for name, login := range map[string]string{
		"an address the provider did not verify": "unverified:an@ocmw.example",
		"an address no staff user has":           "nobody@ocmw.example",
	} {
		t.Run(name+" is refused", func(t *testing.T) {
			b := newSession()
			status, page, _ := signInAt(t, b, login)
			if status != http.StatusUnauthorized || !strings.Contains(page, "Aanmelden is niet gelukt") {
				t.Fatalf("callback: %d\n%s", status, page)
			}
			if status, _, _ := b.do("GET", "/", nil); status != http.StatusSeeOther {
				t.Fatalf("signed in anyway: %d", status)
			}
		})
	}
	t.Run("a callback this session did not start is refused", func(t *testing.T) {
		b := newSession()
		if status, _, _ := b.do("GET", web.CallbackPath+"?code=forged&state=forged", nil); status != http.StatusUnauthorized {
			t.Fatalf("forged callback: %d", status)
		}
		if status, _, _ := b.do("GET", "/", nil); status != http.StatusSeeOther {
			t.Fatalf("signed in anyway: %d", status)
		}
	})
}

// A host organisation's own provider signs in that host's users, and
// nobody else: a centre's staff member or another host's user who has an
// account there is refused. The sign-in page offers it by the host's name.
func TestSignInWithAHostsProvider(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	resto, err := st.CreateHost(ctx, fx.CentreID, store.HostInput{Name: "Resto", Language: "nl", Positions: []store.HostPosition{{Function: "kitchen_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := st.CreateHost(ctx, fx.CentreID, store.HostInput{Name: "Kringwinkel", Language: "nl", Positions: []store.HostPosition{{Function: "shop_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	for host, email := range map[string]string{resto: "chef@resto.example", other: "x@kringwinkel.example"} {
		if _, err := st.CreateUser(ctx, store.User{HostID: host, Email: email, DisplayName: email, Role: domain.RoleHost, Language: "nl"}); err != nil {
			t.Fatal(err)
		}
	}

	var pages http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { pages.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	redirect := srv.URL + web.CallbackPath
	provider, err := oidc.NewProvider(ctx, startOIDCProvider(t, redirect))
	if err != nil {
		t.Fatal(err)
	}
	pages, err = web.New(web.Options{Logger: testenv.Logger(t), DB: db, InsecureCookies: true,
		HostOIDC: map[string]*web.OIDC{resto: {Provider: provider, ClientID: "traject", ClientSecret: "traject-secret", RedirectURL: redirect}}})
	if err != nil {
		t.Fatal(err)
	}
	newSession := func() *browser {
		jar, _ := cookiejar.New(nil)
		return &browser{t: t, base: srv.URL, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	}

	b := newSession()
	status, page, _ := b.do("GET", "/signin", nil)
	if status != 200 || !strings.Contains(page, `name="host" value="`+resto+`"`) || !strings.Contains(page, "Aanmelden bij Resto") || strings.Contains(page, other) {
		t.Fatalf("sign-in page: %d\n%s", status, page)
	}
	status, _, header := signInAt(t, b, "chef@resto.example", resto)
	if status != http.StatusSeeOther || header.Get("Location") != "/" {
		t.Fatalf("the host's user: %d to %q", status, header.Get("Location"))
	}
	if status, page, _ := b.do("GET", "/", nil); status != http.StatusOK || !strings.Contains(page, "Mijn werk") || !strings.Contains(page, `href="/host/attendance"`) {
		t.Errorf("the host's user does not land on their work: %d\n%s", status, page)
	}
	for _, login := range []string{"an@ocmw.example", "x@kringwinkel.example"} {
		b := newSession()
		if status, _, _ := signInAt(t, b, login, resto); status != http.StatusUnauthorized {
			t.Errorf("%s through Resto's provider: %d", login, status)
		}
		if status, _, _ := b.do("GET", "/", nil); status != http.StatusSeeOther {
			t.Errorf("%s signed in anyway", login)
		}
	}
	if status, _, _ := b.do("POST", "/signin/oidc", url.Values{"host": {other}}); status != http.StatusNotFound {
		t.Errorf("a host without a provider: %d", status)
	}
}
