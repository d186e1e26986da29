package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/traject-ocmw/traject/api"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// proxiedAPI serves the API over a PostgreSQL proxy the test can cut. The
// simple protocol sends each statement's text, so the proxy can cut just
// as a given statement is sent (Proxy.CutOn).
func proxiedAPI(t *testing.T) (*apiTest, *testenv.Proxy) {
	var proxy *testenv.Proxy
	a := newAPITestWith(t, func(o *api.Options) {
		proxy = testenv.NewProxy(t, "127.0.0.1:5432")
		u, err := url.Parse(o.DB.Config().ConnString())
		if err != nil {
			t.Fatal(err)
		}
		u.Host = proxy.Addr()
		q := u.Query()
		q.Set("default_query_exec_mode", "simple_protocol")
		u.RawQuery = q.Encode()
		pool, err := store.Open(context.Background(), u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		o.DB = pool
	})
	return a, proxy
}

// wantUnavailable checks a 503 problem with Retry-After that names the
// database.
func wantUnavailable(t *testing.T, what string, resp *http.Response, raw []byte) {
	t.Helper()
	var p struct {
		Status int
		Detail string
	}
	_ = json.Unmarshal(raw, &p)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(p.Detail, "database") {
		t.Errorf("%s during the outage: %d, Retry-After %q, %s", what, resp.StatusCode, resp.Header.Get("Retry-After"), raw)
	}
}

// While PostgreSQL refuses connections, every request is a 503 problem with
// Retry-After, never a 500; once it is back the same request succeeds.
func TestDatabaseOutageIsA503(t *testing.T) {
	a, proxy := proxiedAPI(t)
	if status, body := a.do("GET", "/v1/participants", "coordinator", nil); status != http.StatusOK {
		t.Fatalf("before the outage: %d %s", status, body)
	}

	proxy.Cut()
	for _, req := range []struct{ method, path string }{
		{"GET", "/v1/participants"},
		{"POST", "/v1/participants"},
	} {
		var body any
		if req.method == "POST" {
			body = a.participant()
		}
		resp, raw := a.exchange(req.method, req.path, "coordinator", body)
		wantUnavailable(t, req.method+" "+req.path, resp, raw)
	}

	proxy.Restore()
	if status, body := a.do("GET", "/v1/participants", "coordinator", nil); status != http.StatusOK {
		t.Fatalf("after the outage: %d %s", status, body)
	}
}

// The checks that once threw their database error away answered 404, 409
// or 422 while PostgreSQL was gone. Each request here is authenticated,
// then PostgreSQL goes away just as the check's statement is sent: the
// answer must be the documented 503.
func TestDatabaseOutageInAChecksIsA503(t *testing.T) {
	a, proxy := proxiedAPI(t)
	id := a.create(a.participant())
	hostID := a.host()
	p := "/v1/participants/" + id
	for _, c := range []struct {
		name, method, path, who string
		body                    any
		cutOn                   string
	}{
		{"contract host check", "POST", p + "/transitions", "coordinator", map[string]any{"to": "article60", "contract": map[string]any{
			"host_id": hostID, "function": "driver", "regime": "full_time", "start": "2026-01-05"}}, "JOIN host_agreements a ON a.centre_id = p.centre_id"},
		{"new counsellor check", "POST", p + "/counsellor", "coordinator", map[string]any{"counsellor_id": a.fx.Counsellor2ID}, "role = 'counsellor' AND active"},
		{"amendment text", "POST", p + "/gpmi/amendments", "an", map[string]any{"amended_on": "2026-01-05", "requested_by": "centre", "text": "Taalcursus toegevoegd."}, "INSERT INTO gpmi_amendments"},
		{"non-cooperation report", "POST", p + "/non-cooperation", "an", map[string]any{"description": "Afspraak gemist."}, "INSERT INTO noncooperation_reports"},
		{"host lookup", "GET", "/v1/hosts/" + hostID, "coordinator", nil, "FROM a JOIN hosts h ON h.id = a.host_id"},
		{"host replaced", "PUT", "/v1/hosts/" + hostID, "coordinator", map[string]any{"name": "Resto", "positions": []any{}}, "FROM a JOIN hosts h ON h.id = a.host_id"},
		{"host archived", "DELETE", "/v1/hosts/" + hostID, "coordinator", nil, "FOR UPDATE"},
		{"user lookup", "PUT", "/v1/users/" + a.fx.Counsellor2ID, "admin", map[string]any{"display_name": "Bram"}, "FROM staff_users WHERE id = "},
		{"user created", "POST", "/v1/users", "admin", map[string]any{"email": "new@ocmw.example", "display_name": "New", "role": "counsellor", "language": "nl"}, "INSERT INTO staff_users"},
		{"token created", "POST", "/v1/users/" + a.fx.Counsellor2ID + "/tokens", "admin", map[string]any{"name": "laptop"}, "INSERT INTO api_tokens"},
		{"token revoked", "DELETE", "/v1/tokens/" + a.fx.CoordinatorID, "admin", nil, "UPDATE api_tokens t SET revoked_at"},
	} {
		t.Run(c.name, func(t *testing.T) {
			proxy.CutOn(c.cutOn)
			resp, raw := a.exchange(c.method, c.path, c.who, c.body)
			wantUnavailable(t, c.method+" "+c.path, resp, raw)
			if proxy.Refused() == 0 && resp.StatusCode != http.StatusServiceUnavailable {
				t.Log("the statement was never sent: the pattern does not match it")
			}
			proxy.Restore()
		})
	}
}
