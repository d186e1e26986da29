package api

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

func fieldErrors(p []store.FieldProblem) []FieldError {
	out := make([]FieldError, len(p))
	for i, f := range p {
		out[i] = FieldError{f.Field, f.Detail}
	}
	return out
}

// The same handlers serve a centre's administrators (/v1/users) and a
// host's (/v1/host/users): the principal says whose users they manage.

// scopedUser reads a user of the caller's centre or host.
func (s *server) scopedUser(r *http.Request, id string) (store.User, error) {
	if p := principalFrom(r.Context()); p.HostID != "" {
		return s.store.HostUser(r.Context(), p.HostID, id)
	}
	return s.store.CentreUser(r.Context(), principalFrom(r.Context()).CentreID, id)
}

func (s *server) listUsers(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	users, err := s.store.Users(r.Context(), p.CentreID)
	if p.HostID != "" {
		users, err = s.store.HostUsers(r.Context(), p.HostID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
}

type userRequest struct {
	Email       string      `json:"email"`
	DisplayName string      `json:"display_name"`
	Role        domain.Role `json:"role"`
	Language    string      `json:"language"`
	Active      *bool       `json:"active,omitempty"`
}

func (s *server) createUser(w http.ResponseWriter, r *http.Request) {
	var req userRequest
	if !decode(w, r, &req) {
		return
	}
	p := principalFrom(r.Context())
	u := store.User{CentreID: p.CentreID, HostID: p.HostID, Email: req.Email, DisplayName: req.DisplayName, Role: req.Role, Language: req.Language, Active: true}
	if p := store.CheckUser(u); len(p) > 0 {
		writeProblem(w, r, http.StatusUnprocessableEntity, "the user is incomplete or malformed", fieldErrors(p)...)
		return
	}
	entry, ok := s.intend(w, r, "create_user", "user", "")
	if !ok {
		return
	}
	id, err := s.store.CreateUser(r.Context(), u)
	if err != nil {
		s.settle(r, entry, "failed", "")
		s.fail(w, r, err)
		return
	}
	s.settle(r, entry, "ok", id)
	u.ID = id
	if p.HostID != "" {
		w.Header().Set("Location", "/v1/host/users/"+id)
	} else {
		w.Header().Set("Location", "/v1/users/"+id)
	}
	writeJSON(w, http.StatusCreated, u)
}

// updateUser changes a user's name, role, language or active flag;
// deactivating a user ends every token of theirs at once.
func (s *server) updateUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.scopedUser(r, chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req userRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Email != "" && req.Email != u.Email {
		writeProblem(w, r, http.StatusUnprocessableEntity, "the e-mail address of a user does not change; create a new user", FieldError{"email", "cannot change"})
		return
	}
	if req.DisplayName != "" {
		u.DisplayName = req.DisplayName
	}
	if req.Role != "" {
		u.Role = req.Role
	}
	if req.Language != "" {
		u.Language = req.Language
	}
	if req.Active != nil {
		u.Active = *req.Active
	}
	if p := store.CheckUser(u); len(p) > 0 {
		writeProblem(w, r, http.StatusUnprocessableEntity, "the user is malformed", fieldErrors(p)...)
		return
	}
	entry, ok := s.intend(w, r, "change_user", "user", u.ID)
	if !ok {
		return
	}
	if err := s.store.UpdateUser(r.Context(), u); err != nil {
		s.settle(r, entry, "failed", "")
		s.fail(w, r, err)
		return
	}
	s.settle(r, entry, "ok", "")
	writeJSON(w, http.StatusOK, u)
}

// createUserToken issues a bearer token for a user of the admin's centre;
// the answer is the only time it is shown.
func (s *server) createUserToken(w http.ResponseWriter, r *http.Request) {
	u, err := s.scopedUser(r, chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var req struct {
		Name string `json:"name"`
	}
	if !decode(w, r, &req) {
		return
	}
	if req.Name == "" {
		writeProblem(w, r, http.StatusUnprocessableEntity, "say what the token is for", FieldError{"name", "is required"})
		return
	}
	if !u.Active {
		writeProblem(w, r, http.StatusConflict, "the user is inactive; activate them first")
		return
	}
	entry, ok := s.intend(w, r, "create_token", "token", "")
	if !ok {
		return
	}
	tokenID, token, err := s.store.CreateToken(r.Context(), u.ID, req.Name)
	if err != nil {
		s.settle(r, entry, "failed", "")
		s.fail(w, r, err)
		return
	}
	s.settle(r, entry, "ok", tokenID)
	writeJSON(w, http.StatusCreated, map[string]any{"id": tokenID, "user_id": u.ID, "token": token, "created_at": time.Now().UTC()})
}

// revokeToken ends a token of a user of the admin's centre.
func (s *server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	entry, ok := s.intend(w, r, "revoke_token", "token", id)
	if !ok {
		return
	}
	p := principalFrom(r.Context())
	revoke := func() error { return s.store.RevokeToken(r.Context(), p.CentreID, id) }
	if p.HostID != "" {
		revoke = func() error { return s.store.RevokeHostToken(r.Context(), p.HostID, id) }
	}
	if err := revoke(); err != nil {
		s.settle(r, entry, "failed", "")
		s.fail(w, r, err)
		return
	}
	s.settle(r, entry, "ok", "")
	w.WriteHeader(http.StatusNoContent)
}
