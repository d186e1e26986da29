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
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/traject-ocmw/traject/mailcapture"
	"github.com/traject-ocmw/traject/metrics"
	"github.com/traject-ocmw/traject/workflows"
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
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, http.StatusNotFound, "no such resource")
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, http.StatusMethodNotAllowed, "method not allowed on this resource")
	})

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
		s := &server{logger: logger, db: opts.DB, temporal: opts.Temporal, taskQueue: opts.TaskQueue, loc: loc, oidc: opts.OIDC}
		r.Route("/v1", func(r chi.Router) {
			r.Use(s.authenticate(opts.DB))
			r.Use(s.idempotent(opts.DB))
			r.Post("/participants", s.createParticipant)
			r.Get("/participants", s.listParticipants)
			r.Get("/participants/{id}", s.getParticipant)
			r.Get("/participants/{id}/timeline", s.getTimeline)
			r.Post("/participants/{id}/transitions", s.postTransition)
			for _, a := range []struct {
				path, name, update string
				procedure          bool
				body               func() action
			}{
				{"/gpmi/signature", "sign_gpmi", workflows.UpdateSignGPMI, false, func() action { return &signGPMIBody{} }},
				{"/gpmi/evaluations", "record_evaluation", workflows.UpdateRecordEvaluation, false, func() action { return &evaluationBody{} }},
				{"/gpmi/amendments", "amend_gpmi", workflows.UpdateAmendGPMI, false, func() action { return &amendmentBody{} }},
				{"/contract/absences", "record_absence", workflows.UpdateRecordAbsence, false, func() action { return &absenceBody{} }},
				{"/contract/end", "change_contract_end", workflows.UpdateChangeContractEnd, false, func() action { return &contractEndBody{} }},
				{"/contract/trainings", "record_training", workflows.UpdateRecordTraining, false, func() action { return &trainingBody{} }},
				{"/follow-up/check-ins", "record_check_in", workflows.UpdateRecordCheckIn, false, func() action { return &checkInBody{} }},
				{"/follow-up/outcome", "record_outcome", workflows.UpdateRecordOutcome, false, func() action { return &outcomeBody{} }},
				{"/counsellor", "reassign_counsellor", workflows.UpdateReassignCounsellor, false, func() action { return &reassignBody{} }},
				{"/non-cooperation", "report_non_cooperation", workflows.UpdateReportNonCooperation, false, func() action { return &nonCooperationBody{} }},
				{"/procedures/{n}/hearing", "schedule_hearing", workflows.UpdateScheduleHearing, true, func() action { return &hearingBody{} }},
				{"/procedures/{n}/hearing-outcome", "record_hearing", workflows.UpdateRecordHearing, true, func() action { return &hearingHeldBody{} }},
				{"/procedures/{n}/decision", "record_decision", workflows.UpdateRecordDecision, true, func() action { return &decisionBody{} }},
				{"/procedures/{n}/notification", "record_notification", workflows.UpdateRecordNotification, true, func() action { return &notificationBody{} }},
			} {
				r.Post("/participants/{id}"+a.path, s.dossierAction(a.name, a.update, a.procedure, a.body))
			}
			r.Get("/participants/{id}/notifications", s.getNotifications)
			r.Get("/outbox", s.getOutbox)
			r.Get("/hosts", s.listHosts)
			r.Post("/hosts", s.createHost)
			r.Get("/hosts/{id}", s.getHost)
			r.Put("/hosts/{id}", s.replaceHost)
			r.Delete("/hosts/{id}", s.archiveHost)
			r.Get("/users", s.listUsers)
			r.Post("/users", s.createUser)
			r.Put("/users/{id}", s.updateUser)
			r.Post("/users/{id}/tokens", s.createUserToken)
			r.Delete("/tokens/{id}", s.revokeToken)
			r.Get("/bcsd/agenda", s.getAgenda)
			r.Get("/audit", s.getAudit)
			r.Get("/stats/trajectories", s.getTrajectoryStats)
			r.Get("/stats/outcomes", s.getOutcomeStats)
			r.Get("/stats/placements", s.getPlacementStats)
			r.Get("/stats/workload", s.getWorkloadStats)
			r.Get("/stats/bcsd", s.getSanctionStats)
			r.Get("/policy", s.getPolicy)
			r.Put("/policy", s.putPolicy)
		})
	}
	if opts.DevMail != nil {
		r.Mount("/dev/mail", devMail(opts.DevMail))
	}
	return r
}
