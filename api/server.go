package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-chi/chi/v5/middleware"
	"go.temporal.io/api/serviceerror"
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
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.Decode(&struct{}{}) != io.EOF {
			writeProblem(w, r, http.StatusBadRequest, "the body must hold one JSON object")
			return false
		}
		if bad := uncleanFields(v); len(bad) > 0 {
			writeProblem(w, r, http.StatusUnprocessableEntity, "text may not hold control characters or invalid UTF-8", bad...)
			return false
		}
		return true
	}
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &tooLarge):
		writeProblem(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", maxBody))
	case errors.As(err, &typeErr):
		writeProblem(w, r, http.StatusBadRequest, "a field has the wrong type",
			FieldError{Field: typeErr.Field, Detail: "must be a " + typeErr.Type.String()})
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		writeProblem(w, r, http.StatusBadRequest, "the body is not valid JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		writeProblem(w, r, http.StatusBadRequest, "unknown field", FieldError{Field: field, Detail: "is not a field of this request"})
	default:
		// For example a period that is not ISO 8601; the message quotes the
		// caller's own value.
		writeProblem(w, r, http.StatusBadRequest, "the body could not be read: "+err.Error())
	}
	return false
}

// pageLimit reads ?limit= (1 to 200, default 50).
func pageLimit(w http.ResponseWriter, r *http.Request) (int, bool) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 50, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 200 {
		writeProblem(w, r, http.StatusBadRequest, "limit must be between 1 and 200", FieldError{"limit", "must be between 1 and 200"})
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
			writeProblem(w, r, http.StatusBadRequest, "after must be an event ID", FieldError{"after", "must be an event ID"})
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

// fail answers an error that is not the caller's fault as it must be
// answered, in this one place: the store's kinds (not found 404, conflict
// 409, invalid 422), a dependency that is away 503 with Retry-After, and
// anything else 500 with the cause in the log only.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var nf *store.NotFoundError
	var conflict *store.ConflictError
	var inv *store.InvalidError
	switch {
	case errors.As(err, &nf):
		writeProblem(w, r, http.StatusNotFound, "no such "+nf.What)
		return
	case errors.As(err, &conflict):
		var fields []FieldError
		if conflict.Field != "" {
			fields = []FieldError{{conflict.Field, "conflicts with what is stored"}}
		}
		writeProblem(w, r, http.StatusConflict, conflict.Detail, fields...)
		return
	case errors.As(err, &inv):
		fields := make([]FieldError, len(inv.Fields))
		for i, f := range inv.Fields {
			fields[i] = FieldError{f.Field, f.Detail}
		}
		writeProblem(w, r, http.StatusUnprocessableEntity, "the request is incomplete or malformed", fields...)
		return
	}
	if dependency, ok := unavailable(err); ok {
		s.logger.WarnContext(r.Context(), "dependency unavailable", "request_id", middleware.GetReqID(r.Context()), "dependency", dependency, "err", err)
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
		writeProblem(w, r, http.StatusServiceUnavailable,
			fmt.Sprintf("the %s is unavailable; retry in a few seconds (a write with the same Idempotency-Key)", dependency))
		return
	}
	s.logger.ErrorContext(r.Context(), "request failed", "request_id", middleware.GetReqID(r.Context()), "err", err)
	writeProblem(w, r, http.StatusInternalServerError, "internal error; quote the request ID to an operator")
}

// retryAfterSeconds is what a 503 asks the client to wait.
const retryAfterSeconds = 2

// unavailable names the dependency when err says it is away rather than
// wrong: PostgreSQL (see store.Unreachable), or the Temporal frontend
// unreachable or shedding load. Such a request may well succeed when sent
// again; a 5xx leaves no Idempotency-Key answer behind.
func unavailable(err error) (dependency string, ok bool) {
	if errors.Is(err, store.ErrUnavailable) || store.Unreachable(err) {
		return "database", true
	}
	var down *serviceerror.Unavailable
	var busy *serviceerror.ResourceExhausted
	if errors.As(err, &down) || errors.As(err, &busy) || errors.Is(err, casework.ErrTimedOut) {
		return "workflow engine", true
	}
	return "", false
}
