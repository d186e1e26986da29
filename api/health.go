package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/traject-ocmw/traject/casework"
)

// Check is one dependency readiness depends on.
type Check struct {
	Name  string
	Check func(context.Context) error
}

// ErrWaiting is what a check answers while its process still waits for the
// dependency at start: /readyz then says "waiting" for it.
var ErrWaiting = errors.New("waiting for it at start")

// Starting serves a process that is still waiting for its dependencies:
// /healthz, /readyz (naming what it waits for), and 503 with Retry-After
// for everything else.
func Starting(logger *slog.Logger, checks []Check) http.Handler {
	r := chi.NewRouter()
	r.Get("/healthz", healthz)
	r.Get("/readyz", readyz(checks, logger))
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", strconv.Itoa(casework.RetryAfter))
		problem(w, r, casework.ErrStarting)
	})
	return r
}

type readiness struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

func healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 only when every dependency answers within 2 seconds.
// The body names the failing dependency; the cause goes to the log only.
func readyz(checks []Check, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		body := readiness{Status: "ready", Checks: map[string]string{}}
		status := http.StatusOK
		for _, c := range checks {
			if err := c.Check(ctx); errors.Is(err, ErrWaiting) {
				body.Checks[c.Name] = "waiting"
				body.Status = "starting"
				status = http.StatusServiceUnavailable
				continue
			} else if err != nil {
				logger.WarnContext(ctx, "readiness check failed", "check", c.Name, "err", err)
				body.Checks[c.Name] = "unavailable"
				body.Status = "unavailable"
				status = http.StatusServiceUnavailable
				continue
			}
			body.Checks[c.Name] = "ok"
		}
		writeJSON(w, status, body)
	}
}
