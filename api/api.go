// Package api is traject's HTTP interface: a chi router with request IDs,
// access logging without personal data, panic recovery and RFC 9457 problem
// bodies for every error.
package api

import (
	_ "embed"
	"log/slog"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/mailcapture"
	"github.com/traject-ocmw/traject/metrics"
	"github.com/traject-ocmw/traject/store"
)

// OpenAPI is the API's description, served at /openapi.yaml; the tests
// validate every request and response they make against it.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Options wires the handlers to their dependencies.
type Options struct {
	Logger *slog.Logger
	// Ready lists what /readyz checks.
	Ready []Check
	// DevMail, when set, mounts /dev/mail over the captured messages.
	DevMail *mailcapture.Server
	// DB, Temporal and TaskQueue serve /v1; without them only the health
	// endpoints are mounted.
	DB        *pgxpool.Pool
	Temporal  client.Client
	TaskQueue string
	// OIDC, when set, also admits ID tokens of the centre's identity provider.
	OIDC *oidc.IDTokenVerifier
	// Metrics, when set, counts and times every request; the process
	// serves the registry on its own address.
	Metrics *metrics.Metrics
	// Pages, when set, serves every path outside the API (the web pages).
	Pages http.Handler
	// UpdateWait bounds how long a write waits for its workflow update
	// (default 20 s); then it answers 503 with Retry-After.
	UpdateWait time.Duration
}

// New returns the service's HTTP handler.
func New(opts Options) http.Handler {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	if opts.Metrics != nil {
		r.Use(opts.Metrics.Middleware)
	}
	r.Use(accessLog(logger))
	r.Use(recoverer(logger))
	notFound := func(w http.ResponseWriter, r *http.Request) {
		problem(w, r, store.ErrNotFound)
	}
	r.NotFound(notFound)
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		problem(w, r, casework.ErrMethod)
	})
	if opts.Pages != nil {
		r.NotFound(opts.Pages.ServeHTTP)
	}

	r.Get("/healthz", healthz)
	r.Get("/readyz", readyz(opts.Ready, logger))
	r.Get("/openapi.yaml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(OpenAPI)
	})
	if opts.DB != nil && opts.Temporal != nil {
		loc, err := time.LoadLocation("Europe/Brussels")
		if err != nil {
			loc = time.UTC
		}
		st := store.New(opts.DB)
		s := &server{logger: logger, store: st, temporal: opts.Temporal, taskQueue: opts.TaskQueue, loc: loc, oidc: opts.OIDC,
			instance: uuid.NewString(), work: casework.New(casework.Options{Store: st, Temporal: opts.Temporal, TaskQueue: opts.TaskQueue, Logger: logger, UpdateWait: opts.UpdateWait})}
		r.Route("/v1", func(r chi.Router) {
			r.NotFound(notFound)
			r.Use(s.authenticate)
			r.Use(cleanQuery)
			r.Use(s.idempotent)
			s.mount(r)
		})
	}
	if opts.DevMail != nil {
		r.Mount("/dev/mail", devMail(opts.DevMail))
	}
	return r
}
