package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func newTestHandler(t *testing.T, logs *bytes.Buffer, checks ...Check) http.Handler {
	t.Helper()
	return New(Options{Logger: slog.New(slog.NewJSONHandler(logs, nil)), Ready: checks})
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json", ct)
	}
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body: %v: %s", err, rec.Body)
	}
	return p
}

func TestHealthz(t *testing.T) {
	rec := httptest.NewRecorder()
	newTestHandler(t, new(bytes.Buffer)).ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
}

func TestReadyzNamesTheFailingDependencyButNotTheCause(t *testing.T) {
	ok := Check{Name: "postgres", Check: func(context.Context) error { return nil }}
	down := Check{Name: "temporal", Check: func(context.Context) error { return errors.New("dial 10.0.0.7:7233: secret detail") }}

	rec := httptest.NewRecorder()
	newTestHandler(t, new(bytes.Buffer), ok).ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("all up: status = %d", rec.Code)
	}

	rec = httptest.NewRecorder()
	newTestHandler(t, new(bytes.Buffer), ok, down).ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("temporal down: status = %d", rec.Code)
	}
	var body readiness
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if body.Checks["temporal"] != "unavailable" || body.Checks["postgres"] != "ok" {
		t.Errorf("checks = %v", body.Checks)
	}
	if strings.Contains(rec.Body.String(), "secret detail") {
		t.Error("readiness body leaks the error text")
	}
}

func TestUnknownRouteAndMethodAreProblems(t *testing.T) {
	h := newTestHandler(t, new(bytes.Buffer))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/nothing", nil))
	if p := decodeProblem(t, rec); p.Status != http.StatusNotFound || p.RequestID == "" {
		t.Errorf("404 problem = %+v", p)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("DELETE", "/healthz", nil))
	if p := decodeProblem(t, rec); p.Status != http.StatusMethodNotAllowed {
		t.Errorf("405 problem = %+v", p)
	}
}

func TestPanicBecomesA500ProblemAndALogLine(t *testing.T) {
	logs := new(bytes.Buffer)
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	h := recoverer(logger)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom: participant 85073003328")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	p := decodeProblem(t, rec)
	if p.Status != http.StatusInternalServerError {
		t.Errorf("status = %d", p.Status)
	}
	if strings.Contains(rec.Body.String(), "boom") {
		t.Error("the panic value reached the client")
	}
	if !strings.Contains(logs.String(), "panic in handler") {
		t.Errorf("no log line for the panic: %s", logs)
	}
}

// Query strings and paths can carry a name typed into a search box; the
// access log keeps the route pattern only.
func TestAccessLogHoldsNoQueryOrRawPath(t *testing.T) {
	logs := new(bytes.Buffer)
	h := newTestHandler(t, logs)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz?name=Janssens", nil))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/participants/Janssens", nil))
	if strings.Contains(logs.String(), "Janssens") {
		t.Errorf("access log holds request data: %s", logs)
	}
	if !strings.Contains(logs.String(), `"route":"/healthz"`) || !strings.Contains(logs.String(), `"route":"unmatched"`) {
		t.Errorf("access log lacks the routes: %s", logs)
	}
}
