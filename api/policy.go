package api

import (
	"net/http"
)

// getPolicy answers the centre's current deadlines and their version (0:
// the legal defaults).
func (s *server) getPolicy(w http.ResponseWriter, r *http.Request) {
	p, err := s.work.Policy(r.Context(), s.caller(r))
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
	p, err := s.work.Policy(r.Context(), s.caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !decode(w, r, &p) {
		return
	}
	if p, err = s.work.SavePolicy(r.Context(), s.caller(r), p); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}
