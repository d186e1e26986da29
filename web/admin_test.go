package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/messages"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/web"
)

// An administrator adds a user (a bad address first, refused at its
// field), changes the new user's role, makes them an API token shown once
// and working, and revokes it. Nobody else gets the page, and an
// administrator cannot lock themselves out.
func TestAdministration(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	adminID := seedAdmin(t, st, fx.CentreID)
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{fx.CounsellorID, fx.CoordinatorID, fx.BCSDID} {
		b := newBrowserSignedIn(t, h, who)
		if status, _, _ := b.do("GET", "/admin/users", nil); status != http.StatusForbidden {
			t.Errorf("%s: the users page answered %d", who, status)
		}
		if status, _, _ := b.do("POST", "/admin/users", url.Values{"email": {"x@ocmw.example"}, "display_name": {"X"}, "role": {"admin"}, "language": {"nl"}}); status != http.StatusForbidden {
			t.Errorf("%s: adding a user answered %d", who, status)
		}
	}

	ada := newBrowserSignedIn(t, h, adminID)
	status, page, _ := ada.do("POST", "/admin/users", url.Values{"email": {"not an address"}, "display_name": {"Dirk"}, "role": {"counsellor"}, "language": {"nl"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="new-email-error"`) || !strings.Contains(page, `value="Dirk"`) {
		t.Fatalf("a bad address: %d\n%s", status, page)
	}
	if status, _, _ := ada.do("POST", "/admin/users", url.Values{"email": {"dirk@ocmw.example"}, "display_name": {"Dirk"}, "role": {"counsellor"}, "language": {"fr"}}); status != http.StatusSeeOther {
		t.Fatalf("add: %d", status)
	}
	users, _ := st.Users(ctx, fx.CentreID)
	var dirk store.User
	for _, u := range users {
		if u.Email == "dirk@ocmw.example" {
			dirk = u
		}
	}
	if dirk.ID == "" || dirk.Language != "fr" || !dirk.Active {
		t.Fatalf("the new user: %+v", dirk)
	}
	if status, _, _ := ada.do("POST", "/admin/users/"+dirk.ID, url.Values{"display_name": {"Dirk"}, "role": {"coordinator"}, "language": {"fr"}, "active": {"true"}}); status != http.StatusSeeOther {
		t.Fatalf("change: %d", status)
	}
	if u, _ := st.CentreUser(ctx, fx.CentreID, dirk.ID); u.Role != "coordinator" {
		t.Errorf("the role did not change: %+v", u)
	}
	status, page, _ = ada.do("POST", "/admin/users/"+dirk.ID+"/tokens", url.Values{"name": {"reporting"}})
	token := regexp.MustCompile(`<code id="new-token">([^<]+)</code>`).FindStringSubmatch(page)
	if status != 200 || token == nil {
		t.Fatalf("token: %d\n%s", status, page)
	}
	if p, err := st.TokenPrincipal(ctx, token[1], 60); err != nil || p.UserID != dirk.ID {
		t.Fatalf("the token shown does not work: %v %+v", err, p)
	}
	if _, page, _ = ada.do("GET", "/admin/users", nil); strings.Contains(page, token[1]) {
		t.Error("the token is shown again")
	}
	tokens, _ := st.ActiveTokens(ctx, fx.CentreID)
	if len(tokens) != 1 {
		t.Fatalf("tokens: %+v", tokens)
	}
	if status, _, _ := ada.do("POST", "/admin/tokens/"+tokens[0].ID+"/revoke", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", status)
	}
	if _, err := st.TokenPrincipal(ctx, token[1], 60); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a revoked token still works: %v", err)
	}
	if status, _, _ := ada.do("POST", "/admin/users/"+adminID, url.Values{"display_name": {"Ada"}, "role": {"admin"}, "language": {"nl"}}); status != http.StatusConflict {
		t.Errorf("an administrator deactivated themselves: %d", status)
	}

	// The outbox: a message that failed, with its reason and its dossier.
	id := seedDeadlines(t, st, fx.CentreID, fx.CounsellorID, "Mail")
	msg, _, err := st.QueueMessage(ctx, store.OutboxEntry{Key: "k1", NoticeKey: "n1", CentreID: fx.CentreID, ParticipantID: id, Kind: "gpmi_sign",
		Recipient: domain.ActorCounsellor, RecipientID: fx.CounsellorID, Language: "nl", MessageID: "<m1@traject>"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.MarkFailed(ctx, msg, store.FailureRejected, "550 mailbox unavailable"); err != nil {
		t.Fatal(err)
	}
	_, page, _ = ada.do("GET", "/admin/outbox", nil)
	if !strings.Contains(page, "550 mailbox unavailable") || !strings.Contains(page, "door de mailserver geweigerd") || strings.Contains(page, `href="/dossiers/`) {
		t.Errorf("the outbox (the reason in words, no link to a dossier the administrator may not open):\n%s", page)
	}
	// The audit log by object and by user: Ada tried to open the dossier
	// and was refused, An did not.
	if status, _, _ := ada.do("GET", "/dossiers/"+id, nil); status != http.StatusForbidden {
		t.Errorf("the administrator opens a dossier: %d", status)
	}
	_, page, _ = ada.do("GET", "/admin/audit?object="+id+"&actor="+adminID, nil)
	if rows := auditRows(page); !strings.Contains(rows, "<td>geweigerd</td>") || strings.Contains(rows, "gebruikers bekeken") {
		t.Errorf("the audit log of the dossier by Ada:\n%s", page)
	}
	if _, page, _ = ada.do("GET", "/admin/audit?object="+id+"&actor="+fx.CounsellorID, nil); strings.Contains(auditRows(page), "geweigerd") {
		t.Errorf("the audit log of the dossier by An shows Ada's attempt")
	}
	// The dossier shows as its number, never as its ID, and its number
	// finds its entries; the refusals alone, a day's entries, and a bad day
	// named at its field.
	number := dossierNumber(t, st, id)
	_, page, _ = ada.do("GET", "/admin/audit?object="+number, nil)
	if rows := auditRows(page); strings.Contains(page, id) || !strings.Contains(rows, "dossier: <a href=\"/admin/audit?object="+number+"\">nr. "+number+"</a>") || !strings.Contains(rows, "geweigerd") {
		t.Errorf("the audit log by dossier number:\n%s", rows)
	}
	_, page, _ = ada.do("GET", "/admin/audit?outcome=refused", nil)
	if rows := auditRows(page); !strings.Contains(rows, "geweigerd") || strings.Contains(rows, "<td>gelukt</td>") {
		t.Errorf("the refusals alone:\n%s", rows)
	}
	_, page, _ = ada.do("GET", "/admin/audit?action=list_users&actor="+adminID, nil)
	if rows := auditRows(page); !strings.Contains(rows, "gebruikers bekeken") || strings.Contains(rows, "geweigerd") || strings.Contains(rows, "uitgaande post bekeken") {
		t.Errorf("one action:\n%s", rows)
	}
	// A statistics download is found under "statistics viewed", named by
	// its table.
	if status, _, _ := newBrowserSignedIn(t, h, fx.CoordinatorID).do("GET", "/stats/workload.csv", nil); status != http.StatusOK {
		t.Fatalf("the workload download: %d", status)
	}
	_, page, _ = ada.do("GET", "/admin/audit?action=read_stats", nil)
	if rows := auditRows(page); !strings.Contains(rows, "statistieken gedownload: "+messages.T("nl", "stats.workload")) {
		t.Errorf("the statistics downloads:\n%s", rows)
	}
	today := time.Now().In(brussels()).Format(time.DateOnly)
	tomorrow := time.Now().In(brussels()).AddDate(0, 0, 1).Format(time.DateOnly)
	if _, page, _ = ada.do("GET", "/admin/audit?from="+today+"&to="+today+"&outcome=refused", nil); !strings.Contains(auditRows(page), "geweigerd") {
		t.Errorf("today's refusals:\n%s", page)
	}
	if _, page, _ = ada.do("GET", "/admin/audit?from="+tomorrow, nil); auditRows(page) != "" {
		t.Errorf("tomorrow has entries:\n%s", page)
	}
	if status, page, _ := ada.do("GET", "/admin/audit?from=31/02/2026", nil); status != http.StatusBadRequest || !strings.Contains(page, `id="a-from-error"`) {
		t.Errorf("a bad day: %d\n%s", status, page)
	}
	if status, page, _ := ada.do("GET", "/admin/audit?from="+tomorrow+"&to="+today, nil); status != http.StatusBadRequest || !strings.Contains(page, `id="a-to-error"`) {
		t.Errorf("to before from: %d\n%s", status, page)
	}
	for _, path := range []string{"/admin/outbox", "/admin/audit"} {
		if status, _, _ := newBrowserSignedIn(t, h, fx.CoordinatorID).do("GET", path, nil); status != http.StatusForbidden {
			t.Errorf("a coordinator's %s: %d", path, status)
		}
	}
}

// A host's administrator manages the host's users on their pages: adds one
// (a centre role refused at its field), makes a token that works and
// revokes it; another host's user is out of reach, a plain host user and
// the centre's administrator get no host page, and the host administrator
// no centre one.
func TestHostAdministration(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	st := store.New(db)
	ctx := context.Background()
	mine, err := st.CreateHost(ctx, fx.CentreID, store.HostInput{Name: "Resto", Language: "nl", Positions: []store.HostPosition{{Function: "kitchen_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := st.CreateHost(ctx, fx.CentreID, store.HostInput{Name: "Kringwinkel", Language: "nl", Positions: []store.HostPosition{{Function: "shop_help", Positions: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	boss, _ := st.CreateUser(ctx, store.User{HostID: mine, Email: "baas@resto.example", DisplayName: "Baas", Role: domain.RoleHostAdmin, Language: "nl"})
	chef, _ := st.CreateUser(ctx, store.User{HostID: mine, Email: "chef@resto.example", DisplayName: "Chef", Role: domain.RoleHost, Language: "nl"})
	stranger, _ := st.CreateUser(ctx, store.User{HostID: other, Email: "x@kringwinkel.example", DisplayName: "X", Role: domain.RoleHost, Language: "nl"})
	adminID, _ := st.CreateUser(ctx, store.User{CentreID: fx.CentreID, Email: "admin@ocmw.example", DisplayName: "Ada", Role: domain.RoleAdmin, Language: "nl"})
	h, err := web.New(web.Options{Logger: testenv.Logger(t), DB: db, DevSignIn: true, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{chef, adminID} {
		if status, _, _ := newBrowserSignedIn(t, h, who).do("GET", "/host/users", nil); status != http.StatusForbidden {
			t.Errorf("%s: the host's users page answered %d", who, status)
		}
	}
	b := newBrowserSignedIn(t, h, boss)
	if status, _, _ := b.do("GET", "/admin/users", nil); status != http.StatusForbidden {
		t.Errorf("a host administrator's centre users page: %d", status)
	}
	status, page, _ := b.do("GET", "/host/users", nil)
	if status != 200 || !strings.Contains(page, "chef@resto.example") || strings.Contains(page, "x@kringwinkel.example") || strings.Contains(page, "an@ocmw.example") {
		t.Fatalf("the host's users: %d\n%s", status, page)
	}
	// Their users are the host's, not the centre's.
	if !strings.Contains(page, "Gebruikers van uw tewerkstellingsplaats") || strings.Contains(page, "OCMW") {
		t.Errorf("the host's users page speaks of the centre:\n%s", page)
	}
	status, page, _ = b.do("POST", "/host/users", url.Values{"email": {"kok@resto.example"}, "display_name": {"Kok"}, "role": {"coordinator"}, "language": {"fr"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `id="new-role-error"`) {
		t.Fatalf("a centre role for a host user: %d\n%s", status, page)
	}
	if status, _, _ := b.do("POST", "/host/users", url.Values{"email": {"kok@resto.example"}, "display_name": {"Kok"}, "role": {"host"}, "language": {"fr"}}); status != http.StatusSeeOther {
		t.Fatalf("add: %d", status)
	}
	users, _ := st.HostUsers(ctx, mine)
	var kok store.User
	for _, u := range users {
		if u.Email == "kok@resto.example" {
			kok = u
		}
	}
	if kok.ID == "" || kok.HostID != mine || kok.CentreID != "" {
		t.Fatalf("the new host user: %+v", kok)
	}
	status, page, _ = b.do("POST", "/host/users/"+kok.ID+"/tokens", url.Values{"name": {"tablet"}})
	token := regexp.MustCompile(`<code id="new-token">([^<]+)</code>`).FindStringSubmatch(page)
	if status != 200 || token == nil {
		t.Fatalf("token: %d\n%s", status, page)
	}
	if p, err := st.TokenPrincipal(ctx, token[1], 60); err != nil || p.UserID != kok.ID || p.HostID != mine {
		t.Fatalf("the token shown does not work: %v %+v", err, p)
	}
	tokens, _ := st.ActiveHostTokens(ctx, mine)
	if len(tokens) != 1 {
		t.Fatalf("tokens: %+v", tokens)
	}
	if status, _, _ := b.do("POST", "/host/tokens/"+tokens[0].ID+"/revoke", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", status)
	}
	if _, err := st.TokenPrincipal(ctx, token[1], 60); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a revoked token still works: %v", err)
	}
	if status, _, _ := b.do("POST", "/host/users/"+stranger, url.Values{"display_name": {"X"}, "role": {"host"}, "language": {"nl"}, "active": {"true"}}); status != http.StatusNotFound {
		t.Errorf("another host's user: %d", status)
	}
	if status, _, _ := b.do("POST", "/host/users/"+boss, url.Values{"display_name": {"Baas"}, "role": {"host"}, "language": {"nl"}, "active": {"true"}}); status != http.StatusConflict {
		t.Errorf("a host administrator demoted themselves: %d", status)
	}
}

// auditRows is the audit page's table, without its filters' words.
func auditRows(page string) string {
	i := strings.Index(page, "<table")
	if i < 0 {
		return ""
	}
	return page[i:]
}

func dossierNumber(t *testing.T, st *store.Store, id string) string {
	t.Helper()
	d, err := st.Dossier(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(d.Number)
}
