package casework_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

func TestUnavailableDependencies(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&pgconn.ConnectError{}, "database"},
		{fmt.Errorf("query: %w", io.ErrUnexpectedEOF), "database"}, // a pooled connection died
		{&net.OpError{Op: "read", Err: syscall.ECONNRESET}, "database"},
		{fmt.Errorf("list: %w", &pgconn.PgError{Code: "53300"}), "database"}, // too many connections
		{&pgconn.PgError{Code: "57P01"}, "database"},                         // administrator shutdown
		{serviceerror.NewUnavailable("frontend down"), "workflow engine"},
		{serviceerror.NewResourceExhausted(0, "busy"), "workflow engine"},
		{&pgconn.PgError{Code: "23505"}, ""},                     // a bug, not an outage
		{fmt.Errorf("update: %w", context.DeadlineExceeded), ""}, // out of time, maybe applied
		{errors.New("anything else"), ""},
	} {
		if got := casework.Explain(c.err).Dependency; got != c.want {
			t.Errorf("unavailable(%T) = %q, want %q", c.err, got, c.want)
		}
	}
}

// errorKinds are one error of each kind the table knows, with the status
// both doors answer it with.
func errorKinds() []struct {
	name string
	err  error
	want int
} {
	refusal := func(kind string) error {
		return temporal.NewNonRetryableApplicationError("refused", kind, nil, domain.Refusal{Reason: domain.ReasonGPMISigned})
	}
	return []struct {
		name string
		err  error
		want int
	}{
		{"invalid", &casework.InvalidError{Fields: []domain.FieldProblem{domain.Problem("signed_on", domain.NotDate)}}, 422},
		{"query", &casework.QueryError{Fields: []domain.FieldProblem{domain.Problem("limit", domain.Between, "1", "200")}}, 400},
		{"body", &casework.BodyError{Err: errors.New("syntax")}, 400},
		{"too large", &casework.BodyError{TooLarge: true, Err: errors.New("large")}, 413},
		{"conflict", &store.ConflictError{Code: domain.EmailTaken, Field: "email"}, 409},
		{"not found", &store.NotFoundError{What: "participant"}, 404},
		{"forbidden", casework.ErrForbidden, 403},
		{"invalid data", refusal(workflows.ErrTypeInvalidData), 422},
		{"not allowed", refusal(workflows.ErrTypeNotAllowed), 409},
		{"stale", refusal(workflows.ErrTypeConflict), 409},
		{"not permitted", refusal(workflows.ErrTypeNotPermitted), 403},
		{"closed trajectory", serviceerror.NewNotFound("workflow execution already completed"), 409},
		{"temporal down", serviceerror.NewUnavailable("frontend down"), 503},
		{"temporal busy", serviceerror.NewResourceExhausted(0, "busy"), 503},
		{"timed out", casework.ErrTimedOut, 503},
		{"database down", fmt.Errorf("list: %w", store.ErrUnavailable), 503},
		{"known person", &casework.KnownPersonError{ParticipantID: "p", Closed: true, Visible: true}, 409},
		{"stale details", &store.StaleDetailsError{}, 409},
		{"no If-Match", casework.ErrPreconditionRequired, 428},
		{"anything else", errors.New("a bug"), 500},
	}
}

func TestErrorTable(t *testing.T) {
	for _, c := range errorKinds() {
		f := casework.Explain(c.err)
		if f.Status != c.want || f.Key == "" || f.Type == "" {
			t.Errorf("%s: %+v, want %d", c.name, f, c.want)
		}
	}
	if f := casework.Explain(errorKinds()[7].err); len(f.Fields) != 0 || f.Key != "refusal.gpmi_signed" {
		t.Errorf("a refusal's reason: %+v", f)
	}
}
