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

	"github.com/traject-ocmw/traject/casework"
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
