package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// server holds what the /v1 handlers need.
type server struct {
	logger    *slog.Logger
	db        *pgxpool.Pool
	temporal  client.Client
	taskQueue string
	loc       *time.Location
	oidc      *oidc.IDTokenVerifier
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

// fail answers 500 and logs the cause with the request ID; the client gets
// no internal detail. A dependency that is away (see unavailable) is a 503
// with Retry-After instead: the request can be sent again as it is.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
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
const retryAfterSeconds = 5

// unavailable names the dependency when err says it is away rather than
// wrong: PostgreSQL refusing or dropping connections or out of them, or the
// Temporal frontend unreachable or shedding load. Such a request may well
// succeed when sent again; a 5xx leaves no Idempotency-Key answer behind.
func unavailable(err error) (dependency string, ok bool) {
	var connect *pgconn.ConnectError
	var pgErr *pgconn.PgError
	// *net.OpError, not net.Error: a context's deadline is a net.Error too,
	// and a request that ran out of time (an update that may have been
	// applied) is not a dependency being away.
	var netErr *net.OpError
	switch {
	case errors.As(err, &connect), errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &netErr):
		// refused, or a pooled connection that died under the query
		return "database", true
	case errors.As(err, &pgErr):
		// 08: connection exception, 53: insufficient resources (too many
		// connections), 57P01-57P03: the server shutting down or starting.
		if c := pgErr.Code; strings.HasPrefix(c, "08") || strings.HasPrefix(c, "53") || c == "57P01" || c == "57P02" || c == "57P03" {
			return "database", true
		}
	}
	var down *serviceerror.Unavailable
	var busy *serviceerror.ResourceExhausted
	if errors.As(err, &down) || errors.As(err, &busy) {
		return "workflow engine", true
	}
	return "", false
}
