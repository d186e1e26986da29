package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Principal is the authenticated caller: a staff user of one centre.
type Principal struct {
	UserID   string
	CentreID string
	Role     string // counsellor, coordinator, bcsd or admin
}

type principalKey struct{}

func principalFrom(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}

const tokenPrefix = "trj_"

// CreateToken makes a bearer token for a staff user and returns its ID and
// the token itself, which is not stored and cannot be shown again.
func CreateToken(ctx context.Context, db *pgxpool.Pool, userID, name string) (id, token string, err error) {
	if _, err := uuid.Parse(userID); err != nil {
		return "", "", errors.New("the user ID is not a UUID")
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", "", err
	}
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(secret)
	id = uuid.NewString()
	hash := sha256.Sum256([]byte(token))
	tag, err := db.Exec(ctx, `
		INSERT INTO api_tokens (id, user_id, name, token_hash)
		SELECT $1, id, $3, $4 FROM staff_users WHERE id = $2 AND active`, id, userID, name, hash[:])
	if err != nil {
		return "", "", fmt.Errorf("create token: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return "", "", errors.New("no active staff user with that ID")
	}
	return id, token, nil
}

// RevokeToken ends a token at once.
func RevokeToken(ctx context.Context, db *pgxpool.Pool, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return errors.New("the token ID is not a UUID")
	}
	tag, err := db.Exec(ctx, `UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, id)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return errors.New("no active token with that ID")
	}
	return nil
}

// tokenTouchEvery is how stale a token's last_used_at may get.
const tokenTouchEvery = time.Minute

// authenticate admits requests that carry a valid bearer token of an
// active user, and puts the principal in the context. A token is either one
// of traject's own (trj_...) or, when an OIDC issuer is configured, an ID
// token of that issuer whose verified e-mail address is an active staff
// user's.
func (s *server) authenticate(db *pgxpool.Pool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if ok && !strings.HasPrefix(token, tokenPrefix) && s.oidc != nil {
				p, err := s.oidcPrincipal(r.Context(), db, token)
				if err != nil {
					w.Header().Set("WWW-Authenticate", `Bearer realm="traject", error="invalid_token"`)
					writeProblem(w, r, http.StatusUnauthorized, err.Error())
					return
				}
				next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
				return
			}
			if !ok || !strings.HasPrefix(token, tokenPrefix) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="traject"`)
				writeProblem(w, r, http.StatusUnauthorized, "a bearer token is required")
				return
			}
			hash := sha256.Sum256([]byte(token))
			var p Principal
			// last_used_at is refreshed at most once a minute: writing it on
			// every request made all requests with one token queue on its row
			// lock and a commit each.
			err := db.QueryRow(r.Context(), `
				WITH token AS (
					SELECT t.id, t.last_used_at, u.id::text AS user_id, u.centre_id, u.role
					FROM api_tokens t JOIN staff_users u ON u.id = t.user_id
					WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active
				), touched AS (
					UPDATE api_tokens SET last_used_at = now() FROM token
					WHERE api_tokens.id = token.id AND (token.last_used_at IS NULL OR token.last_used_at < now() - $2::interval)
				)
				SELECT user_id, centre_id, role FROM token`, hash[:], tokenTouchEvery).Scan(&p.UserID, &p.CentreID, &p.Role)
			if errors.Is(err, pgx.ErrNoRows) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="traject", error="invalid_token"`)
				writeProblem(w, r, http.StatusUnauthorized, "the token is unknown, revoked, or its user is inactive")
				return
			}
			if err != nil {
				s.fail(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
		})
	}
}

// errOIDC is what a caller with a bad ID token is told; the cause goes
// nowhere, as it may describe the token.
var errOIDC = errors.New("the ID token is not valid for this service, or its e-mail address is not an active staff user's")

// oidcPrincipal verifies an ID token (signature, issuer, audience, expiry)
// and maps its verified e-mail address to exactly one active staff user.
func (s *server) oidcPrincipal(ctx context.Context, db *pgxpool.Pool, raw string) (Principal, error) {
	idToken, err := s.oidc.Verify(ctx, raw)
	if err != nil {
		return Principal{}, errOIDC
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
	}
	if err := idToken.Claims(&claims); err != nil || claims.Email == "" || (claims.EmailVerified != nil && !*claims.EmailVerified) {
		return Principal{}, errOIDC
	}
	rows, err := db.Query(ctx, `SELECT id::text, centre_id, role FROM staff_users WHERE lower(email) = lower($1) AND active LIMIT 2`, claims.Email)
	if err != nil {
		return Principal{}, errOIDC
	}
	users, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Principal, error) {
		var p Principal
		err := row.Scan(&p.UserID, &p.CentreID, &p.Role)
		return p, err
	})
	if err != nil || len(users) != 1 { // unknown, or the address is staff in two centres
		return Principal{}, errOIDC
	}
	return users[0], nil
}

// audited records the access and answers false, after a 500, when it
// could not be recorded: the handler then stops.
func (s *server) audited(w http.ResponseWriter, r *http.Request, action, objectType, objectID, outcome string) bool {
	if err := audit(r.Context(), s.db, r, action, objectType, objectID, outcome); err != nil {
		s.fail(w, r, err)
		return false
	}
	return true
}

// audit records who read or changed what, through which request. It holds
// IDs and action names only. A request whose access cannot be recorded is
// refused: reading a dossier without a trace is not allowed.
func audit(ctx context.Context, db *pgxpool.Pool, r *http.Request, action, objectType, objectID, outcome string) error {
	p := principalFrom(ctx)
	_, err := db.Exec(ctx, `
		INSERT INTO audit_log (centre_id, actor_id, actor_role, action, object_type, object_id, request_id, outcome)
		VALUES (NULLIF($1, ''), NULLIF($2, '')::uuid, NULLIF($3, ''), $4, $5, NULLIF($6, ''), $7, $8)`,
		p.CentreID, p.UserID, p.Role, action, objectType, objectID, middleware.GetReqID(r.Context()), outcome)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}
