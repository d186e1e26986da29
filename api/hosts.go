package api

import (
	"net/http"
	"net/mail"
	"regexp"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/store"
)

// hostRequest creates or replaces a host organisation.
type hostRequest struct {
	Name      string               `json:"name"`
	Email     string               `json:"email,omitempty"`
	Language  string               `json:"language,omitempty"`
	Positions []store.HostPosition `json:"positions"`
	// Staff is the site's whole staff, Article 60 workers included.
	Staff *int `json:"staff,omitempty"`
}

var functionCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

func (req *hostRequest) check() []FieldError {
	var p []FieldError
	if req.Name == "" {
		p = append(p, FieldError{"name", "is required"})
	}
	if req.Email != "" {
		if a, err := mail.ParseAddress(req.Email); err != nil || a.Address != req.Email {
			p = append(p, FieldError{"email", "is not an e-mail address"})
		}
	}
	if req.Language == "" {
		req.Language = "nl"
	}
	if req.Language != "nl" && req.Language != "fr" {
		p = append(p, FieldError{"language", "must be nl or fr"})
	}
	if req.Staff != nil && (*req.Staff < 0 || *req.Staff > 1000000) {
		p = append(p, FieldError{"staff", "must be between 0 and 1000000"})
	}
	seen := map[string]bool{}
	for i, pos := range req.Positions {
		field := "positions[" + itoa(i) + "]"
		if !functionCode.MatchString(pos.Function) {
			p = append(p, FieldError{field + ".function", "must be a code such as kitchen_help"})
		}
		if seen[pos.Function] {
			p = append(p, FieldError{field + ".function", "appears twice"})
		}
		seen[pos.Function] = true
		if pos.Positions < 0 || pos.Positions > 10000 {
			p = append(p, FieldError{field + ".positions", "must be between 0 and 10000"})
		}
	}
	return p
}

// decodeHost reads and checks a host organisation's body.
func decodeHost(w http.ResponseWriter, r *http.Request) (hostRequest, bool) {
	var req hostRequest
	if !decode(w, r, &req) {
		return req, false
	}
	if p := req.check(); len(p) > 0 {
		writeProblem(w, r, http.StatusUnprocessableEntity, "the host organisation is incomplete or malformed", p...)
		return req, false
	}
	return req, true
}

func (req hostRequest) input() store.HostInput {
	return store.HostInput{Name: req.Name, Email: req.Email, Language: req.Language, Staff: req.Staff, Positions: req.Positions}
}

func (s *server) createHost(w http.ResponseWriter, r *http.Request) {
	req, ok := decodeHost(w, r)
	if !ok {
		return
	}
	entry, ok := s.intend(w, r, "create_host", "host", "")
	if !ok {
		return
	}
	id, err := s.store.CreateHost(r.Context(), principalFrom(r.Context()).CentreID, req.input())
	if err != nil {
		s.settle(r, entry, "failed", "")
		s.fail(w, r, err)
		return
	}
	s.settle(r, entry, "ok", id)
	w.Header().Set("Location", "/v1/hosts/"+id)
	s.writeHost(w, r, id, http.StatusCreated)
}

func (s *server) replaceHost(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if _, err := s.store.Hosts(r.Context(), principalFrom(r.Context()).CentreID, id); err != nil {
		s.fail(w, r, err) // an unknown host is 404 before its body is read
		return
	}
	req, ok := decodeHost(w, r)
	if !ok {
		return
	}
	entry, ok := s.intend(w, r, "change_host", "host", id)
	if !ok {
		return
	}
	if err := s.store.ReplaceHost(r.Context(), principalFrom(r.Context()).CentreID, id, req.input()); err != nil {
		s.settle(r, entry, "failed", "")
		s.fail(w, r, err)
		return
	}
	s.settle(r, entry, "ok", "")
	s.writeHost(w, r, id, http.StatusOK)
}

// archiveHost retires a host organisation that has no running contract.
func (s *server) archiveHost(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	entry, ok := s.intend(w, r, "archive_host", "host", id)
	if !ok {
		return
	}
	if err := s.store.ArchiveHost(r.Context(), principalFrom(r.Context()).CentreID, id); err != nil {
		s.settle(r, entry, "refused", "")
		s.fail(w, r, err)
		return
	}
	s.settle(r, entry, "ok", "")
	w.WriteHeader(http.StatusNoContent)
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

func itoa(n int) string { return strconv.Itoa(n) }
