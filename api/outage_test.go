package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/traject-ocmw/traject/api"
	"github.com/traject-ocmw/traject/database"
	"github.com/traject-ocmw/traject/testenv"
)

// While PostgreSQL refuses connections, every request is a 503 problem with
// Retry-After, never a 500; once it is back the same request succeeds.
func TestDatabaseOutageIsA503(t *testing.T) {
	var proxy *testenv.Proxy
	a := newAPITestWith(t, func(o *api.Options) {
		proxy = testenv.NewProxy(t, "127.0.0.1:5432")
		u, err := url.Parse(o.DB.Config().ConnString())
		if err != nil {
			t.Fatal(err)
		}
		u.Host = proxy.Addr()
		pool, err := database.Open(context.Background(), u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		o.DB = pool
	})
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
		var p struct {
			Status int
			Detail string
		}
		_ = json.Unmarshal(raw, &p)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(p.Detail, "database") {
			t.Errorf("%s %s during the outage: %d, Retry-After %q, %s", req.method, req.path, resp.StatusCode, resp.Header.Get("Retry-After"), raw)
		}
	}

	proxy.Restore()
	if status, body := a.do("GET", "/v1/participants", "coordinator", nil); status != http.StatusOK {
		t.Fatalf("after the outage: %d %s", status, body)
	}
}
