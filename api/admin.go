package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"regexp"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Centre is an OCMW / CPAS, a tenant of the installation.
type Centre struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Region   string `json:"region"`
	Language string `json:"language"`
}

var centreID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// CreateCentre adds a centre; the installation's operator does it with
// `traject centre create`.
func CreateCentre(ctx context.Context, db *pgxpool.Pool, c Centre) error {
	if !centreID.MatchString(c.ID) {
		return errors.New("the centre ID must be lower-case letters, digits and dashes, e.g. molenbeek")
	}
	if c.Name == "" {
		return errors.New("the centre needs a name")
	}
	if c.Region != "brussels" && c.Region != "flanders" && c.Region != "wallonia" {
		return errors.New("the region must be brussels, flanders or wallonia")
	}
	if c.Language != "nl" && c.Language != "fr" {
		return errors.New("the language must be nl or fr")
	}
	_, err := db.Exec(ctx, `INSERT INTO centres (id, name, region, language) VALUES ($1, $2, $3, $4)`, c.ID, c.Name, c.Region, c.Language)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return fmt.Errorf("centre %s exists already", c.ID)
	}
	return err
}

// User is a staff member of one centre.
type User struct {
	ID          string `json:"id"`
	CentreID    string `json:"centre_id"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	Language    string `json:"language"`
	Active      bool   `json:"active"`
}

// userProblems checks a user's fields, naming each bad one.
func userProblems(u User) []FieldError {
	var p []FieldError
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		p = append(p, FieldError{"email", "is not an e-mail address"})
	}
	if u.DisplayName == "" {
		p = append(p, FieldError{"display_name", "is required"})
	}
	switch u.Role {
	case "counsellor", "coordinator", "bcsd", "admin":
	default:
		p = append(p, FieldError{"role", "must be counsellor, coordinator, bcsd or admin"})
	}
	if u.Language != "nl" && u.Language != "fr" {
		p = append(p, FieldError{"language", "must be nl or fr"})
	}
	return p
}

// CreateUser adds an active staff member and returns their ID; the first
// administrator of a centre is made with `traject user create`.
func CreateUser(ctx context.Context, db *pgxpool.Pool, u User) (string, error) {
	if p := userProblems(u); len(p) > 0 {
		return "", fmt.Errorf("%s %s", p[0].Field, p[0].Detail)
	}
	id := uuid.NewString()
	_, err := db.Exec(ctx, `INSERT INTO staff_users (id, centre_id, email, display_name, role, language) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, u.CentreID, u.Email, u.DisplayName, u.Role, u.Language)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return "", errors.New("a user with that e-mail address exists in the centre")
		case "23503":
			return "", fmt.Errorf("no centre %s", u.CentreID)
		}
	}
	if err != nil {
		return "", err
	}
	return id, nil
}

func adminOnly(w http.ResponseWriter, r *http.Request) bool {
	if principalFrom(r.Context()).Role != "admin" {
		writeProblem(w, r, http.StatusForbidden, "users and tokens are managed by administrators")
		return false
	}
	return true
}

func (s *server) listUsers(w http.ResponseWriter, r *http.Request) {
	if !adminOnly(w, r) {
		return
	}
	rows, err := s.db.Query(r.Context(), `SELECT id::text, centre_id, email, display_name, role, language, active FROM staff_users WHERE centre_id = $1 ORDER BY display_name, id`, principalFrom(r.Context()).CentreID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	users, err := pgx.CollectRows(rows, pgx.RowToStructByPos[User])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if users == nil {
		users = []User{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
}

type userRequest struct {
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	Language    string `json:"language"`
	Active      *bool  `json:"active,omitempty"`
}

func (s *server) createUser(w http.ResponseWriter, r *http.Request) {
	if !adminOnly(w, r) {
		return
	}
	var req userRequest
	if !decode(w, r, &req) {
		return
	}
	u := User{CentreID: principalFrom(r.Context()).CentreID, Email: req.Email, DisplayName: req.DisplayName, Role: req.Role, Language: req.Language, Active: true}
	if p := userProblems(u); len(p) > 0 {
		writeProblem(w, r, http.StatusUnprocessableEntity, "the user is incomplete or malformed", p...)
		return
	}
	id, err := CreateUser(r.Context(), s.db, u)
	if err != nil && err.Error() == "a user with that e-mail address exists in the centre" {
		writeProblem(w, r, http.StatusConflict, err.Error(), FieldError{"email", "already a user of the centre"})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "create_user", "user", id, "ok") {
		return
	}
	u.ID = id
	w.Header().Set("Location", "/v1/users/"+id)
	writeJSON(w, http.StatusCreated, u)
}

// updateUser changes a user's name, role, language or active flag;
// deactivating a user ends every token of theirs at once.
func (s *server) updateUser(w http.ResponseWriter, r *http.Request) {
	if !adminOnly(w, r) {
		return
	}
	id, ok := s.visibleUser(w, r)
	if !ok {
		return
	}
	var req userRequest
	if !decode(w, r, &req) {
		return
	}
	var u User
	if err := s.db.QueryRow(r.Context(), `SELECT id::text, centre_id, email, display_name, role, language, active FROM staff_users WHERE id = $1`, id).
		Scan(&u.ID, &u.CentreID, &u.Email, &u.DisplayName, &u.Role, &u.Language, &u.Active); err != nil {
		s.fail(w, r, err)
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
	if p := userProblems(u); len(p) > 0 {
		writeProblem(w, r, http.StatusUnprocessableEntity, "the user is malformed", p...)
		return
	}
	if _, err := s.db.Exec(r.Context(), `UPDATE staff_users SET display_name = $2, role = $3, language = $4, active = $5 WHERE id = $1`, id, u.DisplayName, u.Role, u.Language, u.Active); err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "change_user", "user", id, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, u)
}

// createUserToken issues a bearer token for a user of the admin's centre;
// the answer is the only time it is shown.
func (s *server) createUserToken(w http.ResponseWriter, r *http.Request) {
	if !adminOnly(w, r) {
		return
	}
	id, ok := s.visibleUser(w, r)
	if !ok {
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
	tokenID, token, err := CreateToken(r.Context(), s.db, id, req.Name)
	if err != nil {
		writeProblem(w, r, http.StatusConflict, err.Error())
		return
	}
	if !s.audited(w, r, "create_token", "token", tokenID, "ok") {
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": tokenID, "user_id": id, "token": token, "created_at": time.Now().UTC()})
}

// revokeToken ends a token of a user of the admin's centre.
func (s *server) revokeToken(w http.ResponseWriter, r *http.Request) {
	if !adminOnly(w, r) {
		return
	}
	id := chi.URLParam(r, "id")
	var ok bool
	if _, err := uuid.Parse(id); err == nil {
		_ = s.db.QueryRow(r.Context(), `SELECT EXISTS (SELECT 1 FROM api_tokens t JOIN staff_users u ON u.id = t.user_id
			WHERE t.id = $1 AND u.centre_id = $2 AND t.revoked_at IS NULL)`, id, principalFrom(r.Context()).CentreID).Scan(&ok)
	}
	if !ok {
		writeProblem(w, r, http.StatusNotFound, "no such active token")
		return
	}
	if err := RevokeToken(r.Context(), s.db, id); err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "revoke_token", "token", id, "ok") {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) visibleUser(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := chi.URLParam(r, "id")
	var ok bool
	if _, err := uuid.Parse(id); err == nil {
		_ = s.db.QueryRow(r.Context(), `SELECT EXISTS (SELECT 1 FROM staff_users WHERE id = $1 AND centre_id = $2)`, id, principalFrom(r.Context()).CentreID).Scan(&ok)
	}
	if !ok {
		writeProblem(w, r, http.StatusNotFound, "no such user")
	}
	return id, ok
}
