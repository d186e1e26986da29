package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Check is one dependency readiness depends on.
type Check struct {
	Name  string
	Check func(context.Context) error
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
			if err := c.Check(ctx); err != nil {
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
