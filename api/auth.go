package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

// Principal is the authenticated caller: a staff user of one centre, or a
// user of one host organisation, with their role parsed once, here.
type Principal struct {
	UserID   string
	CentreID string
	Role     domain.Role
	// HostID is set, and CentreID empty, for a host organisation's user.
	HostID string
}

// viewer is what the caller may see of participants: their centre, and a
// counsellor only their own caseload.
func (p Principal) viewer() store.Viewer {
	return store.ViewerOf(p.CentreID, p.UserID, p.Role)
}

type principalKey struct{}

func principalFrom(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}

// principal parses a stored principal; a role this version does not know
// (a database newer than the binary) admits nobody.
func principal(sp store.Principal) (Principal, bool) {
	role, ok := domain.ParseRole(sp.Role)
	return Principal{UserID: sp.UserID, CentreID: sp.CentreID, Role: role, HostID: sp.HostID}, ok
}

// tokenTouchEvery is how stale a token's last_used_at may get.
const tokenTouchEvery = time.Minute

// authenticate admits requests that carry a valid bearer token of an
// active user, and puts the principal in the context. A token is either one
// of traject's own (trj_...) or, when an OIDC issuer is configured, an ID
// token of that issuer whose verified e-mail address is an active staff
// user's.
func (s *server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		var sp store.Principal
		var err error
		switch {
		case ok && !store.IsAPIToken(token) && s.oidc != nil:
			sp, err = s.oidcPrincipal(r.Context(), token)
		case !ok || !store.IsAPIToken(token):
			w.Header().Set("WWW-Authenticate", `Bearer realm="traject"`)
			problem(w, r, casework.ErrUnauthenticated)
			return
		default:
			sp, err = s.store.TokenPrincipal(r.Context(), token, tokenTouchEvery.Seconds())
		}
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, errOIDC) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="traject", error="invalid_token"`)
			problem(w, r, casework.ErrUnauthenticated)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p, ok := principal(sp)
		if !ok {
			problem(w, r, casework.ErrForbidden)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
	})
}

// errOIDC is what a caller with a bad ID token is told; the cause goes
// nowhere, as it may describe the token.
var errOIDC = errors.New("the ID token is not valid for this service, or its e-mail address is not an active staff user's")

// oidcPrincipal verifies an ID token (signature, issuer, audience, expiry)
// and maps its verified e-mail address to exactly one active staff user.
// An outage of the database is not a bad token.
func (s *server) oidcPrincipal(ctx context.Context, raw string) (store.Principal, error) {
	idToken, err := s.oidc.Verify(ctx, raw)
	if err != nil {
		return store.Principal{}, errOIDC
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
	}
	if err := idToken.Claims(&claims); err != nil || claims.Email == "" || (claims.EmailVerified != nil && !*claims.EmailVerified) {
		return store.Principal{}, errOIDC
	}
	users, err := s.store.EmailPrincipals(ctx, claims.Email)
	if err != nil {
		return store.Principal{}, err
	}
	if len(users) != 1 { // unknown, or the address is staff in two centres
		return store.Principal{}, errOIDC
	}
	return users[0], nil
}

// audited records a read and answers false, after a 5xx, when it could not
// be recorded: the handler then stops. Reading a dossier without a trace is
// not allowed.
func (s *server) audited(w http.ResponseWriter, r *http.Request, action, objectType, objectID, outcome string) bool {
	_, ok := s.record(w, r, action, objectType, objectID, outcome)
	return ok
}

func (s *server) record(w http.ResponseWriter, r *http.Request, action, objectType, objectID, outcome string) (int64, bool) {
	return s.recordIn(w, r, principalFrom(r.Context()).CentreID, action, objectType, objectID, outcome)
}

// auditedIn is audited for a read in a given centre's log: a host user's
// read of a worker goes to the worker's centre, which must see who read it.
func (s *server) auditedIn(w http.ResponseWriter, r *http.Request, centreID, action, objectType, objectID string) bool {
	_, ok := s.recordIn(w, r, centreID, action, objectType, objectID, "ok")
	return ok
}

func (s *server) recordIn(w http.ResponseWriter, r *http.Request, centreID, action, objectType, objectID, outcome string) (int64, bool) {
	p := principalFrom(r.Context())
	id, err := s.store.Audit(r.Context(), store.Access{
		CentreID: centreID, ActorID: p.UserID, ActorRole: string(p.Role),
		Action: action, ObjectType: objectType, ObjectID: objectID,
		RequestID: middleware.GetReqID(r.Context()), Outcome: outcome,
	})
	if err != nil {
		s.fail(w, r, err)
		return 0, false
	}
	return id, true
}
