package casework

import (
	"errors"
	"net/http"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// Failure is how an error is answered, at either door: the API writes it as
// problem+json, the pages as the error page or the form's error summary,
// from the same status, message and fields. Explain is the one table from
// an error's kind to its Failure; a new kind of error gets a row there.
type Failure struct {
	Status int
	// Type names the kind in the problem's type, urn:traject:problem:<Type>.
	Type string
	// Key is the message that sums it up (package messages), with Args.
	Key  string
	Args []string
	// Fields are the fields at fault, each with its code.
	Fields []domain.FieldProblem
	// Outcome is what the audit log records of a write that ended so.
	Outcome string
	// Dependency names what is away, for a 503's log line.
	Dependency string
	// Known is the centre's dossier of a national number an intake gave.
	Known *KnownPersonError
	// Stale is an edit of personal details made meanwhile: the details as
	// they stand and the edits since the one the caller saw.
	Stale *store.StaleDetailsError
}

// Refused tells a failure that is the request's (a 4xx): the caller can
// change it and send it again; a page shows it on the form it came from.
func (f Failure) Refused() bool { return f.Status >= 400 && f.Status < 500 }

// Internal tells a failure whose cause only the log may show.
func (f Failure) Internal() bool { return f.Status == http.StatusInternalServerError }

// RetryAfter is the seconds a 503 asks the caller to wait.
const RetryAfter = 2

// BodyError is a request body that cannot be read as its request: not
// JSON, too large, a field of the wrong type or unknown.
type BodyError struct {
	TooLarge bool
	Fields   []domain.FieldProblem
	Err      error
}

func (e *BodyError) Error() string { return "unreadable body: " + e.Err.Error() }
func (e *BodyError) Unwrap() error { return e.Err }

// InvalidError names the fields of a request at fault (422).
type InvalidError = store.InvalidError

// QueryError names the malformed parameters of a request's query (400).
type QueryError struct{ Fields []domain.FieldProblem }

func (e *QueryError) Error() string { return (&store.InvalidError{Fields: e.Fields}).Error() }

// The kinds of a request's failure that carry nothing more.
var (
	// ErrUnauthenticated: no credentials, or unknown, revoked or inactive.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: the caller's role may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrMethod: the resource exists, not with this method.
	ErrMethod = errors.New("method not allowed")
	// ErrStarting: the process still waits for a dependency at its start.
	ErrStarting = errors.New("starting")
	// ErrKeyRunning: the first request with this Idempotency-Key still runs.
	ErrKeyRunning = errors.New("idempotency key in use")
	// ErrPreconditionRequired: an edit that must name the version it
	// changes (If-Match) did not.
	ErrPreconditionRequired = errors.New("precondition required")
)

// Explain answers how err is to be answered.
func Explain(err error) Failure {
	var body *BodyError
	var query *QueryError
	var policyErr *policy.FieldError
	var invalid *store.InvalidError
	var conflict *store.ConflictError
	var notFound *store.NotFoundError
	var refusal *temporal.ApplicationError
	var closed *serviceerror.NotFound
	var known *KnownPersonError
	var stale *store.StaleDetailsError
	switch {
	case err == nil:
		return Failure{Status: http.StatusOK, Outcome: "ok"}
	case errors.As(err, &body) && body.TooLarge:
		return Failure{Status: http.StatusRequestEntityTooLarge, Type: "too-large", Key: "problem.too_large", Outcome: "refused"}
	case errors.As(err, &body):
		return Failure{Status: http.StatusBadRequest, Type: "malformed", Key: "problem.malformed", Fields: body.Fields, Outcome: "refused"}
	case errors.As(err, &query):
		return Failure{Status: http.StatusBadRequest, Type: "malformed", Key: "problem.query", Fields: query.Fields, Outcome: "refused"}
	case errors.As(err, &policyErr):
		return Failure{Status: http.StatusUnprocessableEntity, Type: "invalid", Key: "problem.invalid", Fields: []domain.FieldProblem{policyErr.FieldProblem}, Outcome: "refused"}
	case errors.As(err, &invalid):
		return Failure{Status: http.StatusUnprocessableEntity, Type: "invalid", Key: "problem.invalid", Fields: invalid.Fields, Outcome: "refused"}
	case errors.As(err, &known) && known.Closed:
		return Failure{Status: http.StatusConflict, Type: "participant-exists", Key: "problem.participant_closed",
			Fields: []domain.FieldProblem{domain.Problem("national_number", domain.ParticipantExists)}, Outcome: "refused", Known: known}
	case errors.As(err, &known):
		return Failure{Status: http.StatusConflict, Type: "participant-exists", Key: "problem.participant_exists",
			Fields: []domain.FieldProblem{domain.Problem("national_number", domain.ParticipantExists)}, Outcome: "refused", Known: known}
	case errors.As(err, &stale):
		return Failure{Status: http.StatusConflict, Type: "stale", Key: "problem.details_changed", Outcome: "refused", Stale: stale}
	case errors.Is(err, ErrPreconditionRequired):
		return Failure{Status: http.StatusPreconditionRequired, Type: "precondition-required", Key: "problem.if_match",
			Fields: []domain.FieldProblem{domain.Problem("If-Match", domain.Required)}, Outcome: "refused"}
	case errors.As(err, &conflict) && conflict.Field != "":
		return Failure{Status: http.StatusConflict, Type: "conflict", Key: "problem.conflict", Fields: []domain.FieldProblem{conflict.Problem()}, Outcome: "refused"}
	case errors.As(err, &conflict):
		return Failure{Status: http.StatusConflict, Type: "conflict", Key: "fault." + string(conflict.Code), Args: conflict.Args, Outcome: "refused"}
	case errors.As(err, &notFound), errors.Is(err, store.ErrNotFound):
		return Failure{Status: http.StatusNotFound, Type: "not-found", Key: "problem.not_found", Outcome: "refused"}
	case errors.Is(err, ErrUnauthenticated):
		return Failure{Status: http.StatusUnauthorized, Type: "unauthenticated", Key: "problem.unauthenticated", Outcome: "refused"}
	case errors.Is(err, ErrForbidden):
		return Failure{Status: http.StatusForbidden, Type: "forbidden", Key: "problem.forbidden", Outcome: "refused"}
	case errors.Is(err, ErrMethod):
		return Failure{Status: http.StatusMethodNotAllowed, Type: "method", Key: "problem.method", Outcome: "refused"}
	case errors.Is(err, ErrKeyRunning):
		return Failure{Status: http.StatusConflict, Type: "key-running", Key: "problem.key_running", Outcome: "refused"}
	case errors.Is(err, ErrStarting):
		return Failure{Status: http.StatusServiceUnavailable, Type: "unavailable", Key: "problem.starting", Outcome: "failed", Dependency: "start"}
	case errors.As(err, &refusal) && refusalStatus[refusal.Type()] != 0:
		var r domain.Refusal
		if refusal.HasDetails() {
			_ = refusal.Details(&r)
		}
		return Failure{Status: refusalStatus[refusal.Type()], Type: refusalType[refusal.Type()], Key: "refusal." + string(r.Reason),
			Args: r.Args, Fields: r.Fields, Outcome: "refused"}
	case errors.As(err, &closed):
		// The trajectory's workflow has ended: the dossier is closed.
		return Failure{Status: http.StatusConflict, Type: "closed", Key: "refusal.closed", Outcome: "refused"}
	case errors.Is(err, ErrTimedOut):
		return Failure{Status: http.StatusServiceUnavailable, Type: "unavailable", Key: "problem.timed_out", Outcome: "timed_out", Dependency: "workflow engine"}
	}
	if dependency, ok := unavailable(err); ok {
		return Failure{Status: http.StatusServiceUnavailable, Type: "unavailable", Key: "problem.unavailable", Outcome: "failed", Dependency: dependency}
	}
	return Failure{Status: http.StatusInternalServerError, Type: "internal", Key: "problem.internal", Outcome: "failed"}
}

// The workflows' refusals, by their error type.
var (
	refusalStatus = map[string]int{
		workflows.ErrTypeInvalidData:  http.StatusUnprocessableEntity,
		workflows.ErrTypeNotAllowed:   http.StatusConflict,
		workflows.ErrTypeConflict:     http.StatusConflict,
		workflows.ErrTypeNotPermitted: http.StatusForbidden,
	}
	refusalType = map[string]string{
		workflows.ErrTypeInvalidData:  "invalid",
		workflows.ErrTypeNotAllowed:   "not-allowed",
		workflows.ErrTypeConflict:     "stale",
		workflows.ErrTypeNotPermitted: "forbidden",
	}
)

// unavailable names the dependency when err says it is away rather than
// wrong: PostgreSQL (see store.Unreachable), or the Temporal frontend
// unreachable or shedding load. Such a request may well succeed when sent
// again.
func unavailable(err error) (dependency string, ok bool) {
	if errors.Is(err, store.ErrUnavailable) || store.Unreachable(err) {
		return "database", true
	}
	var down *serviceerror.Unavailable
	var busy *serviceerror.ResourceExhausted
	if errors.As(err, &down) || errors.As(err, &busy) {
		return "workflow engine", true
	}
	return "", false
}
