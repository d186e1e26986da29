package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"go.temporal.io/api/serviceerror"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/store"
)

// caller is the request's principal as casework's writer; its key is the
// Idempotency-Key, so that a retry is the same workflow update.
func (s *server) caller(r *http.Request) casework.Caller {
	p := principalFrom(r.Context())
	return casework.Caller{UserID: p.UserID, CentreID: p.CentreID, HostID: p.HostID, Role: p.Role, RequestID: middleware.GetReqID(r.Context()),
		Key: r.Header.Get("Idempotency-Key"), Route: r.Method + " " + r.URL.Path}
}

// dossierAction serves POST /v1/participants/{id}/<path>: casework checks
// the body and sends it as the action's update, to the trajectory or to
// sanction procedure {n}.
func (s *server) dossierAction(w http.ResponseWriter, r *http.Request, a casework.Action) {
	id, ok := s.visibleParticipant(w, r)
	if !ok {
		return
	}
	n := 0
	if a.Procedure {
		var err error
		if n, err = strconv.Atoi(chi.URLParam(r, "n")); err != nil || n < 1 {
			problem(w, r, store.ErrNotFound)
			return
		}
	}
	body := a.New()
	if !decode(w, r, body) {
		return
	}
	var result any
	err := s.work.Act(r.Context(), s.caller(r), id, n, a.Update, body, &result)
	var notFound *serviceerror.NotFound
	if a.Procedure && errors.As(err, &notFound) {
		problem(w, r, store.ErrNotFound)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, result)
}
