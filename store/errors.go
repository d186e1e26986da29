package store

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/traject-ocmw/traject/domain"
)

// The kinds of error the store returns besides *InvalidError. Each wraps the
// driver's error, which stays reachable with errors.As for the log.
var (
	// ErrNotFound: no such row, or none the caller may see.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a unique key is taken, or the row's state forbids the
	// change.
	ErrConflict = errors.New("conflict")
	// ErrUnavailable: PostgreSQL refused or dropped the connection, ran out
	// of connections, or is shutting down. The same call may succeed later.
	ErrUnavailable = errors.New("database unavailable")
)

// NotFoundError is ErrNotFound with the kind of thing that was not found,
// which a caller may show.
type NotFoundError struct {
	What string
	Err  error
}

func (e *NotFoundError) Error() string        { return "no such " + e.What }
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }
func (e *NotFoundError) Unwrap() error        { return e.Err }

func notFound(what string) error { return &NotFoundError{What: what} }

// ConflictError is ErrConflict with what conflicts, as a code with its
// arguments and, when one field is the cause, its name (the message
// "fault.<code>" says it).
type ConflictError struct {
	Code  domain.Code
	Field string
	Args  []string
	Err   error
}

// Problem is the conflict as a field problem (its field may be empty).
func (e *ConflictError) Problem() domain.FieldProblem {
	return domain.FieldProblem{Field: e.Field, Code: e.Code, Args: e.Args}
}

func (e *ConflictError) Error() string        { return "conflict: " + e.Problem().String() }
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }
func (e *ConflictError) Unwrap() error        { return e.Err }

// uniqueViolation tells whether err is PostgreSQL refusing a duplicate key.
func uniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// InvalidError names the fields of a value the store refuses to keep.
type InvalidError struct {
	Fields []FieldProblem
}

// FieldProblem is one field at fault.
type FieldProblem = domain.FieldProblem

func (e *InvalidError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	return "invalid: " + strings.Join(parts, "; ")
}

func invalid(fields ...FieldProblem) error {
	if len(fields) == 0 {
		return nil
	}
	return &InvalidError{Fields: fields}
}

// classify turns a driver error into the store's kinds, keeping the cause.
// what names the statement for the log.
func classify(what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) || errors.Is(err, ErrUnavailable) {
		return err // classified below already
	}
	var inv *InvalidError
	if errors.As(err, &inv) {
		return err
	}
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return &NotFoundError{What: what, Err: err}
	case Unreachable(err):
		return fmt.Errorf("%s: %w: %w", what, ErrUnavailable, err)
	case uniqueViolation(err):
		return &ConflictError{Code: domain.Stored, Err: fmt.Errorf("%s: %w", what, err)}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Unreachable tells whether err says PostgreSQL is away rather than that
// the statement is wrong: refused or dropped connections, no connection
// left, the server shutting down or starting. A context's deadline is not
// one of them: a statement that ran out of time may have been applied.
func Unreachable(err error) bool {
	var connect *pgconn.ConnectError
	var pgErr *pgconn.PgError
	// *net.OpError, not net.Error: a context's deadline is a net.Error too.
	var netErr *net.OpError
	switch {
	case errors.As(err, &connect), errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &netErr):
		return true
	case pgconn.SafeToRetry(err):
		// nothing reached the server: a pooled connection found closed
		return true
	case errors.As(err, &pgErr):
		// 08: connection exception, 53: insufficient resources (too many
		// connections), 57P01-57P03: the server shutting down or starting.
		c := pgErr.Code
		return strings.HasPrefix(c, "08") || strings.HasPrefix(c, "53") || c == "57P01" || c == "57P02" || c == "57P03"
	}
	return false
}
