package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.temporal.io/api/serviceerror"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

// The API answers each kind of error with the table's status as a problem
// naming its kind, its fields with their codes, and Retry-After on a 503.
func TestProblemsFollowTheTable(t *testing.T) {
	for _, err := range []error{
		&casework.InvalidError{Fields: []domain.FieldProblem{domain.Problem("signed_on", domain.NotDate)}},
		&store.ConflictError{Code: domain.HostBusy},
		store.ErrNotFound, casework.ErrForbidden,
		serviceerror.NewNotFound("workflow execution already completed"),
		serviceerror.NewUnavailable("frontend down"), casework.ErrTimedOut, errors.New("a bug"),
	} {
		rec := httptest.NewRecorder()
		problem(rec, httptest.NewRequest("GET", "/v1/participants/x", nil), err)
		f := casework.Explain(err)
		var p Problem
		if json.Unmarshal(rec.Body.Bytes(), &p) != nil || rec.Code != f.Status || p.Status != f.Status || p.Type != "urn:traject:problem:"+f.Type || p.Detail == "" || p.Detail == f.Key {
			t.Errorf("%v: %d %s", err, rec.Code, rec.Body)
		}
		if (rec.Code == http.StatusServiceUnavailable) != (rec.Header().Get("Retry-After") != "") {
			t.Errorf("%v: Retry-After %q", err, rec.Header().Get("Retry-After"))
		}
		if len(f.Fields) > 0 && (len(p.Errors) != 1 || p.Errors[0].Code != "date" || p.Errors[0].Detail != "must be a date as YYYY-MM-DD") {
			t.Errorf("%v: fields %+v", err, p.Errors)
		}
	}
}
