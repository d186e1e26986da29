// Package api is traject's HTTP interface: a chi router with request IDs,
// access logging without personal data, panic recovery and RFC 9457 problem
// bodies for every error.
package api

import (
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/traject-ocmw/traject/mailcapture"
)

// Options wires the handlers to their dependencies.
type Options struct {
	Logger *slog.Logger
	// Ready lists what /readyz checks.
	Ready []Check
	// DevMail, when set, mounts /dev/mail over the captured messages.
	DevMail *mailcapture.Server
}

// New returns the service's HTTP handler.
func New(opts Options) http.Handler {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(accessLog(logger))
	r.Use(recoverer(logger))
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, http.StatusNotFound, "no such resource")
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, http.StatusMethodNotAllowed, "method not allowed on this resource")
	})

	r.Get("/healthz", healthz)
	r.Get("/readyz", readyz(opts.Ready, logger))
	if opts.DevMail != nil {
		r.Mount("/dev/mail", devMail(opts.DevMail))
	}
	return r
}
