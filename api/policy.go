package api

import (
	"errors"
	"net/http"

	"github.com/traject-ocmw/traject/policy"
)

// getPolicy answers the centre's current deadlines and their version (0:
// the legal defaults).
func (s *server) getPolicy(w http.ResponseWriter, r *http.Request) {
	p, err := s.store.LoadPolicy(r.Context(), principalFrom(r.Context()).CentreID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// putPolicy stores a new version. The body is applied over the current
// version: fields left out keep their value. Running trajectories keep the
// deadlines they planned; the new version applies to deadlines planned
// from now on.
func (s *server) putPolicy(w http.ResponseWriter, r *http.Request) {
	pr := principalFrom(r.Context())
	p, err := s.store.LoadPolicy(r.Context(), pr.CentreID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !decode(w, r, &p) {
		return
	}
	entry, ok := s.intend(w, r, "change_policy", "centre", pr.CentreID)
	if !ok {
		return
	}
	version, err := s.store.SavePolicy(r.Context(), pr.CentreID, p, pr.UserID)
	if err != nil {
		s.settle(r, entry, "refused", "")
	} else {
		s.settle(r, entry, "ok", "")
	}
	var fe *policy.FieldError
	if errors.As(err, &fe) {
		writeProblem(w, r, http.StatusUnprocessableEntity, "the policy is not valid", FieldError{Field: fe.Field, Detail: fe.Problem})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Version = version
	writeJSON(w, http.StatusOK, p)
}
