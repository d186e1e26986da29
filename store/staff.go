package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/mail"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/traject-ocmw/traject/domain"
)

var centreID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// CreateCentre adds a centre; the installation's operator does it with
// `traject centre create`.
func (s *Store) CreateCentre(ctx context.Context, c Centre) error {
	var p []FieldProblem
	if !centreID.MatchString(c.ID) {
		p = append(p, domain.Problem("id", domain.Slug))
	}
	if c.Name == "" || !CleanText(c.Name) {
		p = append(p, domain.Problem("name", domain.Required))
	}
	if c.Region != "brussels" && c.Region != "flanders" && c.Region != "wallonia" {
		p = append(p, domain.Problem("region", domain.OneOf, "brussels", "flanders", "wallonia"))
	}
	if c.Language != "nl" && c.Language != "fr" {
		p = append(p, domain.Problem("language", domain.OneOf, "nl", "fr"))
	}
	if err := invalid(p...); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, `INSERT INTO centres (id, name, region, language) VALUES ($1, $2, $3, $4)`, c.ID, c.Name, c.Region, c.Language)
	if uniqueViolation(err) {
		return &ConflictError{Code: domain.CentreExists, Field: "id", Err: err}
	}
	return classify("centre "+c.ID, err)
}

// User is a staff member of one centre, or (HostID set, CentreID empty)
// of one host organisation.
type User struct {
	ID          string      `json:"id"`
	CentreID    string      `json:"centre_id"`
	Email       string      `json:"email"`
	DisplayName string      `json:"display_name"`
	Role        domain.Role `json:"role"`
	Language    string      `json:"language"`
	Active      bool        `json:"active"`
	HostID      string      `json:"host_id,omitempty"`
}

// userColumns are User's columns in its order.
const userColumns = `id::text, COALESCE(centre_id, ''), email, display_name, role, language, active, COALESCE(host_id::text, '')`

// CheckUser names each field of a user that cannot be kept.
func CheckUser(u User) []FieldProblem {
	var p []FieldProblem
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		p = append(p, domain.Problem("email", domain.NotEmail))
	}
	if u.DisplayName == "" || !CleanText(u.DisplayName) {
		p = append(p, domain.Problem("display_name", domain.Required))
	}
	switch {
	case u.HostID != "" && !u.Role.IsHost():
		p = append(p, domain.Problem("role", domain.OneOf, "host", "host_admin"))
	case u.HostID == "" && !u.Role.IsStaff():
		p = append(p, domain.Problem("role", domain.OneOf, "counsellor", "coordinator", "bcsd", "admin"))
	}
	if u.Language != "nl" && u.Language != "fr" {
		p = append(p, domain.Problem("language", domain.OneOf, "nl", "fr"))
	}
	return p
}

// CreateUser adds an active staff member and returns their ID (u.ID, or a
// new one when it is empty). A second
// user with the same address in the centre is ErrConflict; an unknown
// centre is ErrNotFound.
func (s *Store) CreateUser(ctx context.Context, u User) (string, error) {
	if err := invalid(CheckUser(u)...); err != nil {
		return "", err
	}
	id := u.ID
	if id == "" {
		id = uuid.NewString()
	}
	_, err := s.db.Exec(ctx, `INSERT INTO staff_users (id, centre_id, email, display_name, role, language, host_id) VALUES ($1, NULLIF($2, ''), $3, $4, $5, $6, NULLIF($7, '')::uuid)`,
		id, u.CentreID, u.Email, u.DisplayName, u.Role, u.Language, u.HostID)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" { // foreign_key_violation: the centre or host
		if u.HostID != "" {
			return "", notFound("host organisation " + u.HostID)
		}
		return "", notFound("centre " + u.CentreID)
	}
	if uniqueViolation(err) {
		return "", &ConflictError{Code: domain.EmailTaken, Field: "email", Err: err}
	}
	if err != nil {
		return "", classify("create user", err)
	}
	return id, nil
}

// Users lists a centre's staff by name.
func (s *Store) Users(ctx context.Context, centreID string) ([]User, error) {
	return s.users(ctx, `centre_id = $1`, centreID)
}

// users lists the users whom holds, by name.
func (s *Store) users(ctx context.Context, whom, id string) ([]User, error) {
	rows, err := s.db.Query(ctx, `SELECT `+userColumns+` FROM staff_users WHERE `+whom+` ORDER BY display_name, id`, id)
	if err != nil {
		return nil, classify("users", err)
	}
	users, err := pgx.CollectRows(rows, pgx.RowToStructByPos[User])
	if users == nil {
		users = []User{}
	}
	return users, classify("users", err)
}

// CentreUser reads a user of the centre; another centre's is ErrNotFound.
func (s *Store) CentreUser(ctx context.Context, centreID, id string) (User, error) {
	return s.user(ctx, `centre_id = $2`, centreID, id)
}

// user reads user id if whom holds of them; anyone else is ErrNotFound.
func (s *Store) user(ctx context.Context, whom, scopeID, id string) (User, error) {
	var u User
	if _, err := uuid.Parse(id); err != nil {
		return u, notFound("user")
	}
	err := s.db.QueryRow(ctx, `SELECT `+userColumns+` FROM staff_users WHERE id = $1 AND `+whom, id, scopeID).
		Scan(&u.ID, &u.CentreID, &u.Email, &u.DisplayName, &u.Role, &u.Language, &u.Active, &u.HostID)
	return u, classify("user", err)
}

// UpdateUser stores a user's name, role, language and active flag.
func (s *Store) UpdateUser(ctx context.Context, u User) error {
	if err := invalid(CheckUser(u)...); err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, `UPDATE staff_users SET display_name = $3, role = $4, language = $5, active = $6
		WHERE id = $1 AND (centre_id = NULLIF($2, '') OR host_id = NULLIF($7, '')::uuid)`,
		u.ID, u.CentreID, u.DisplayName, u.Role, u.Language, u.Active, u.HostID)
	if err == nil && tag.RowsAffected() == 0 {
		err = pgx.ErrNoRows
	}
	return classify("user", err)
}

// ActiveCounsellor tells whether id is an active counsellor of the centre.
func (s *Store) ActiveCounsellor(ctx context.Context, centreID, id string) (bool, error) {
	if _, err := uuid.Parse(id); err != nil {
		return false, nil
	}
	var ok bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM staff_users WHERE id = $1 AND centre_id = $2 AND role = 'counsellor' AND active)`, id, centreID).Scan(&ok)
	return ok, classify("counsellor", err)
}

const tokenPrefix = "trj_"

// IsAPIToken tells a token of traject's own from another bearer token (an
// identity provider's ID token).
func IsAPIToken(token string) bool {
	return len(token) > len(tokenPrefix) && token[:len(tokenPrefix)] == tokenPrefix
}

// CreateToken makes a bearer token for an active staff user and returns its
// ID and the token itself, which is not stored and cannot be shown again.
// A user who is unknown or inactive is ErrNotFound.
func (s *Store) CreateToken(ctx context.Context, userID, name string) (id, token string, err error) {
	if _, err := uuid.Parse(userID); err != nil {
		return "", "", notFound("active staff user")
	}
	if name == "" || !CleanText(name) {
		return "", "", invalid(domain.Problem("name", domain.Required))
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", "", err
	}
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(secret)
	id = uuid.NewString()
	hash := sha256.Sum256([]byte(token))
	tag, err := s.db.Exec(ctx, `
		INSERT INTO api_tokens (id, user_id, name, token_hash)
		SELECT $1, id, $3, $4 FROM staff_users WHERE id = $2 AND active`, id, userID, name, hash[:])
	if err != nil {
		return "", "", classify("create token", err)
	}
	if tag.RowsAffected() == 0 {
		return "", "", notFound("active staff user")
	}
	return id, token, nil
}

// RevokeToken ends a token at once. centreID, when not empty, limits it to
// the tokens of that centre's users; an unknown or revoked token is
// ErrNotFound.
func (s *Store) RevokeToken(ctx context.Context, centreID, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return notFound("active token")
	}
	tag, err := s.db.Exec(ctx, `
		UPDATE api_tokens t SET revoked_at = now() FROM staff_users u
		WHERE t.id = $1 AND t.revoked_at IS NULL AND u.id = t.user_id AND ($2 = '' OR u.centre_id = $2)`, id, centreID)
	if err != nil {
		return classify("revoke token", err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("active token")
	}
	return nil
}

// Principal is who a credential belongs to: a staff user of one centre.
// Role is as stored; the caller parses it.
type Principal struct {
	UserID, CentreID, Role string
	// HostID is set, and CentreID empty, for a host organisation's user.
	HostID string
}

// TokenPrincipal finds the active user of an unrevoked token, refreshing
// the token's last use when it is older than touchEvery seconds. An unknown
// token is ErrNotFound.
func (s *Store) TokenPrincipal(ctx context.Context, token string, touchEvery float64) (Principal, error) {
	hash := sha256.Sum256([]byte(token))
	var p Principal
	// last_used_at is refreshed now and then: writing it on every request
	// made all requests with one token queue on its row lock and a commit
	// each.
	err := s.db.QueryRow(ctx, `
		WITH token AS (
			SELECT t.id, t.last_used_at, u.id::text AS user_id, COALESCE(u.centre_id, '') AS centre_id, u.role, COALESCE(u.host_id::text, '') AS host_id
			FROM api_tokens t JOIN staff_users u ON u.id = t.user_id
			WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active
		), touched AS (
			UPDATE api_tokens SET last_used_at = now() FROM token
			WHERE api_tokens.id = token.id AND (token.last_used_at IS NULL OR token.last_used_at < now() - make_interval(secs => $2))
		)
		SELECT user_id, centre_id, role, host_id FROM token`, hash[:], touchEvery).Scan(&p.UserID, &p.CentreID, &p.Role, &p.HostID)
	return p, classify("token", err)
}

// EmailPrincipals finds the active staff users with an e-mail address (at
// most two: one is an answer, two is ambiguous).
func (s *Store) EmailPrincipals(ctx context.Context, email string) ([]Principal, error) {
	rows, err := s.db.Query(ctx, `SELECT id::text, COALESCE(centre_id, ''), role, COALESCE(host_id::text, '') FROM staff_users WHERE lower(email) = lower($1) AND active LIMIT 2`, email)
	if err != nil {
		return nil, classify("staff by e-mail", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Principal, error) {
		var p Principal
		err := row.Scan(&p.UserID, &p.CentreID, &p.Role, &p.HostID)
		return p, err
	})
	return out, classify("staff by e-mail", err)
}

// ActiveUser reads an active staff user; an unknown or inactive one is
// ErrNotFound.
func (s *Store) ActiveUser(ctx context.Context, id string) (User, error) {
	var u User
	if _, err := uuid.Parse(id); err != nil {
		return u, notFound("active staff user")
	}
	err := s.db.QueryRow(ctx, `SELECT `+userColumns+` FROM staff_users WHERE id = $1 AND active`, id).
		Scan(&u.ID, &u.CentreID, &u.Email, &u.DisplayName, &u.Role, &u.Language, &u.Active, &u.HostID)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, notFound("active staff user")
	}
	return u, classify("active staff user", err)
}

// ActiveUsers lists the active staff of every centre, by centre and name:
// the dev sign-in page offers them.
func (s *Store) ActiveUsers(ctx context.Context) ([]User, error) {
	rows, err := s.db.Query(ctx, `SELECT `+userColumns+` FROM staff_users WHERE active ORDER BY centre_id NULLS LAST, host_id, display_name, id`)
	if err != nil {
		return nil, classify("users", err)
	}
	users, err := pgx.CollectRows(rows, pgx.RowToStructByPos[User])
	return users, classify("users", err)
}

// Token is an API token as an administrator sees it: never its secret.
type Token struct {
	ID, UserID, Name string
	CreatedAt        time.Time
	LastUsedAt       *time.Time
}

// ActiveTokens lists the unrevoked tokens of a centre's users.
func (s *Store) ActiveTokens(ctx context.Context, centreID string) ([]Token, error) {
	return s.activeTokens(ctx, `u.centre_id = $1`, centreID)
}

// ActiveHostTokens lists the unrevoked tokens of a host's users.
func (s *Store) ActiveHostTokens(ctx context.Context, hostID string) ([]Token, error) {
	return s.activeTokens(ctx, `u.host_id::text = $1`, hostID)
}

// activeTokens lists the unrevoked tokens of the users whom holds.
func (s *Store) activeTokens(ctx context.Context, whom, id string) ([]Token, error) {
	rows, err := s.db.Query(ctx, `
		SELECT t.id::text, t.user_id::text, t.name, t.created_at, t.last_used_at
		FROM api_tokens t JOIN staff_users u ON u.id = t.user_id
		WHERE `+whom+` AND t.revoked_at IS NULL ORDER BY t.created_at, t.id`, id)
	if err != nil {
		return nil, classify("tokens", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Token, error) {
		var t Token
		err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &t.LastUsedAt)
		return t, err
	})
	return out, classify("tokens", err)
}

// Actor is who did something on a timeline, as a page names them.
type Actor struct {
	Name, Role string
	// Host is the host organisation's name for a host's user.
	Host string
}

// Actors names the users with the given IDs (unknown IDs are left out), a
// host's users with their host: the timeline says who acted.
func (s *Store) Actors(ctx context.Context, ids []string) (map[string]Actor, error) {
	// Looked up by the primary key (id::text = ANY read every user).
	keys := make([]uuid.UUID, 0, len(ids))
	for _, id := range ids {
		if key, err := uuid.Parse(id); err == nil {
			keys = append(keys, key)
		}
	}
	rows, err := s.db.Query(ctx, `
		SELECT u.id::text, u.display_name, u.role, COALESCE(h.name, '')
		FROM staff_users u LEFT JOIN hosts h ON h.id = u.host_id
		WHERE u.id = ANY($1)`, keys)
	if err != nil {
		return nil, classify("actors", err)
	}
	out := map[string]Actor{}
	var id string
	var a Actor
	_, err = pgx.ForEachRow(rows, []any{&id, &a.Name, &a.Role, &a.Host}, func() error {
		out[id] = a
		return nil
	})
	return out, classify("actors", err)
}

// HostUsers lists a host organisation's users by name.
func (s *Store) HostUsers(ctx context.Context, hostID string) ([]User, error) {
	return s.users(ctx, `host_id::text = $1`, hostID)
}

// HostUser reads a user of the host; anyone else is ErrNotFound.
func (s *Store) HostUser(ctx context.Context, hostID, id string) (User, error) {
	return s.user(ctx, `host_id::text = $2`, hostID, id)
}

// RevokeHostToken ends a token of one of the host's users at once; any
// other token is ErrNotFound.
func (s *Store) RevokeHostToken(ctx context.Context, hostID, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return notFound("active token")
	}
	if _, err := uuid.Parse(hostID); err != nil {
		return notFound("active token")
	}
	tag, err := s.db.Exec(ctx, `
		UPDATE api_tokens t SET revoked_at = now() FROM staff_users u
		WHERE t.id = $1 AND t.revoked_at IS NULL AND u.id = t.user_id AND u.host_id = $2`, id, hostID)
	if err != nil {
		return classify("revoke token", err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("active token")
	}
	return nil
}
