package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/store"
)

// hostRequest creates or replaces a host organisation.
type hostRequest struct {
	Name     string `json:"name"`
	Address  string `json:"address,omitempty"`
	Email    string `json:"email,omitempty"`
	Language string `json:"language,omitempty"`
	// SocialEconomy: the host belongs to the social economy sector.
	SocialEconomy bool                 `json:"social_economy,omitempty"`
	Positions     []store.HostPosition `json:"positions"`
	// Staff is the site's whole staff, Article 60 workers included.
	Staff *int `json:"staff,omitempty"`
}

func (req hostRequest) input() store.HostInput {
	return store.HostInput{Name: req.Name, Address: req.Address, Email: req.Email, Language: req.Language, SocialEconomy: req.SocialEconomy, Staff: req.Staff, Positions: req.Positions}
}

func (s *server) createHost(w http.ResponseWriter, r *http.Request) {
	var req hostRequest
	if !decode(w, r, &req) {
		return
	}
	id, err := s.work.SaveHost(r.Context(), s.caller(r), "", req.input())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/hosts/"+id)
	s.writeHost(w, r, id, http.StatusCreated)
}

func (s *server) replaceHost(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if _, err := s.store.Hosts(r.Context(), principalFrom(r.Context()).CentreID, id); err != nil {
		s.fail(w, r, err) // an unknown host is 404 before its body is read
		return
	}
	var req hostRequest
	if !decode(w, r, &req) {
		return
	}
	if _, err := s.work.SaveHost(r.Context(), s.caller(r), id, req.input()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeHost(w, r, id, http.StatusOK)
}

// archiveHost retires a host organisation that has no running contract.
func (s *server) archiveHost(w http.ResponseWriter, r *http.Request) {
	if err := s.work.ArchiveHost(r.Context(), s.caller(r), chi.URLParam(r, "id")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// mergeHost merges the centre's own record of a host organisation into
// another record of the same organisation (?into in the body), moving the
// contracts, users, attendance, signals and the statistics' history; the
// answer is the merged host as the centre now sees it.
func (s *server) mergeHost(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Into string `json:"into"`
	}
	if !decode(w, r, &body) {
		return
	}
	if err := s.work.MergeHost(r.Context(), s.caller(r), chi.URLParam(r, "id"), body.Into); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeHost(w, r, body.Into, http.StatusOK)
}

func (s *server) getHost(w http.ResponseWriter, r *http.Request) {
	s.writeHost(w, r, chi.URLParam(r, "id"), http.StatusOK)
}

func (s *server) listHosts(w http.ResponseWriter, r *http.Request) {
	hosts, err := s.store.Hosts(r.Context(), principalFrom(r.Context()).CentreID, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"hosts": hosts})
}

// writeHost answers one host organisation of the caller's centre, each
// position with how many running contracts occupy it.
func (s *server) writeHost(w http.ResponseWriter, r *http.Request, id string, status int) {
	hosts, err := s.store.Hosts(r.Context(), principalFrom(r.Context()).CentreID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, status, hosts[0])
}
