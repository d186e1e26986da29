package api

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/traject-ocmw/traject/domain"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-chi/chi/v5/middleware"
	"go.temporal.io/sdk/client"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/store"
)

// server holds what the /v1 handlers need.
type server struct {
	logger    *slog.Logger
	store     *store.Store
	temporal  client.Client
	taskQueue string
	loc       *time.Location
	oidc      *oidc.IDTokenVerifier
	// instance names this process among the API's; it holds the
	// Idempotency-Keys of the requests it runs (running).
	instance string
	running  runningKeys
	// work sends the writes on a dossier (shared with the web pages).
	work *casework.Service
}

// maxBody bounds a request body; the largest request, a participant with a
// contract, is a few hundred bytes.
const maxBody = 64 << 10

// decode reads a strict JSON body: one object, no unknown fields, at most
// maxBody bytes. A bad body is answered with a problem naming the field.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	err := casework.Decode(http.MaxBytesReader(w, r.Body, maxBody), v)
	if err != nil {
		problem(w, r, err)
		return false
	}
	return true
}

// pageLimit reads ?limit= (1 to 200, default 50).
func pageLimit(w http.ResponseWriter, r *http.Request) (int, bool) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 50, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 200 {
		badQuery(w, r, domain.Problem("limit", domain.Between, "1", "200"))
		return 0, false
	}
	return n, true
}

// page reads ?after=<numeric ID>&limit=.
func page(w http.ResponseWriter, r *http.Request) (after int64, limit int, ok bool) {
	if limit, ok = pageLimit(w, r); !ok {
		return 0, 0, false
	}
	q := r.URL.Query()
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			badQuery(w, r, domain.Problem("after", domain.NotID))
			return 0, 0, false
		}
		after = n
	}
	return after, limit, true
}

// date reads YYYY-MM-DD as midnight in the centre's time zone.
func (s *server) date(v string) (time.Time, bool) {
	t, err := time.ParseInLocation(time.DateOnly, v, s.loc)
	return t, err == nil
}

// fail answers an error as casework.Explain says. A dependency that is
// away is logged as a warning, anything unexplained as an error with its
// cause: the client reads only the request ID.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	f := casework.Explain(err)
	switch {
	case f.Internal():
		s.logger.ErrorContext(r.Context(), "request failed", "request_id", middleware.GetReqID(r.Context()), "err", err)
	case f.Dependency != "":
		s.logger.WarnContext(r.Context(), "dependency unavailable", "request_id", middleware.GetReqID(r.Context()), "dependency", f.Dependency, "err", err)
	}
	answer(w, r, f)
}
