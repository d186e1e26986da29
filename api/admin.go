package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
)

// The same handlers serve a centre's administrators (/v1/users) and a
// host's (/v1/host/users): the caller says whose users they manage, and
// casework holds the rules.

func (s *server) listUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.work.Users(r.Context(), s.caller(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
}

func (s *server) createUser(w http.ResponseWriter, r *http.Request) {
	var req casework.UserChange
	if !decode(w, r, &req) {
		return
	}
	u, err := s.work.CreateUser(r.Context(), s.caller(r), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if u.HostID != "" {
		w.Header().Set("Location", "/v1/host/users/"+u.ID)
	} else {
		w.Header().Set("Location", "/v1/users/"+u.ID)
	}
	writeJSON(w, http.StatusCreated, u)
}

// updateUser changes a user's name, role, language or active flag;
// deactivating a user ends every token of theirs at once.
func (s *server) updateUser(w http.ResponseWriter, r *http.Request) {
	// an unknown user is 404 before the body is read
	if _, err := s.work.User(r.Context(), s.caller(r), chi.URLParam(r, "id")); err != nil {
		s.fail(w, r, err)
		return
	}
	var req casework.UserChange
	if !decode(w, r, &req) {
		return
	}
	u, err := s.work.UpdateUser(r.Context(), s.caller(r), chi.URLParam(r, "id"), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// createUserToken issues a bearer token for a user of the admin's centre
// or host; the answer is the only time it is shown.
func (s *server) createUserToken(w http.ResponseWriter, r *http.Request) {
	if _, err := s.work.User(r.Context(), s.caller(r), chi.URLParam(r, "id")); err != nil {
		s.fail(w, r, err)
		return
	}
	var req struct {
		Name string `json:"name"`
	}
	if !decode(w, r, &req) {
		return
	}
	t, err := s.work.CreateToken(r.Context(), s.caller(r), chi.URLParam(r, "id"), req.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

// revokeToken ends a token of a user of the admin's centre or host.
func (s *server) revokeToken(w http.ResponseWriter, r *http.Request) {
	if err := s.work.RevokeToken(r.Context(), s.caller(r), chi.URLParam(r, "id")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
