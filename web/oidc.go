package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-chi/chi/v5/middleware"
	"golang.org/x/oauth2"
)

// OIDC is the centre's identity provider, for signing in to the pages with
// the authorization code flow and PKCE.
type OIDC struct {
	Provider *oidc.Provider
	ClientID string
	// ClientSecret is empty for a public client (PKCE alone).
	ClientSecret string
	// RedirectURL is where the provider sends staff back:
	// the public URL followed by /signin/callback.
	RedirectURL string
}

// Session keys of a sign-in under way: what the callback must find again,
// and at whose provider it started (a host's ID; empty: the centre's).
const (
	sessionOIDCState    = "oidc_state"
	sessionOIDCNonce    = "oidc_nonce"
	sessionOIDCVerifier = "oidc_verifier"
	sessionOIDCHost     = "oidc_host"
)

// CallbackPath is where the identity provider sends the browser back.
const CallbackPath = "/signin/callback"

type oidcSignIn struct {
	config   oauth2.Config
	verifier *oidc.IDTokenVerifier
	provider *oidc.Provider
}

func newOIDCSignIn(o *OIDC) *oidcSignIn {
	if o == nil || o.Provider == nil {
		return nil
	}
	return &oidcSignIn{
		config: oauth2.Config{
			ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: o.RedirectURL,
			Endpoint: o.Provider.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email"},
		},
		verifier: o.Provider.Verifier(&oidc.Config{ClientID: o.ClientID}),
		provider: o.Provider,
	}
}

// oidcStart sends the browser to the provider with a fresh state, nonce and
// PKCE verifier, kept in the session for the callback.
// A host organisation may have its own provider (?host= names it): its
// sign-in admits that host's users and nobody else.
func (p *pages) oidcStart(w http.ResponseWriter, r *http.Request) {
	host := r.PostFormValue("host")
	si := p.signInAt(host)
	if si == nil {
		p.errorPage(w, r, http.StatusNotFound, t(p.lang(r), "error.notfound"))
		return
	}
	state, nonce, verifier := oauth2.GenerateVerifier(), oauth2.GenerateVerifier(), oauth2.GenerateVerifier()
	p.sessions.Put(r.Context(), sessionOIDCState, state)
	p.sessions.Put(r.Context(), sessionOIDCNonce, nonce)
	p.sessions.Put(r.Context(), sessionOIDCVerifier, verifier)
	p.sessions.Put(r.Context(), sessionOIDCHost, host)
	url := si.config.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("ui_locales", p.lang(r)))
	http.Redirect(w, r, url, http.StatusSeeOther)
}

// oidcCallback finishes the sign-in: the state must be this session's, the
// code is exchanged with the PKCE verifier, the ID token verified with the
// nonce, and its verified e-mail address (or, when the ID token has none,
// the provider's userinfo answer for the same subject) must belong to
// exactly one active staff user (at a host's provider: a user of that
// host).
func (p *pages) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if p.oidc == nil && len(p.hostOIDC) == 0 {
		p.errorPage(w, r, http.StatusNotFound, t(p.lang(r), "error.notfound"))
		return
	}
	ctx := r.Context()
	state := p.sessions.PopString(ctx, sessionOIDCState)
	nonce := p.sessions.PopString(ctx, sessionOIDCNonce)
	verifier := p.sessions.PopString(ctx, sessionOIDCVerifier)
	host := p.sessions.PopString(ctx, sessionOIDCHost)
	si := p.signInAt(host)
	q := r.URL.Query()
	if si == nil || state == "" || q.Get("state") != state {
		p.signInFailed(w, r, "state", nil)
		return
	}
	if q.Get("error") != "" { // refused at the provider, or cancelled
		p.signInFailed(w, r, "provider", nil)
		return
	}
	xctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	token, err := si.config.Exchange(xctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		p.signInFailed(w, r, "exchange", err)
		return
	}
	email, err := si.verifiedEmail(xctx, token, nonce)
	if err != nil {
		p.signInFailed(w, r, "id_token", err)
		return
	}
	users, err := p.store.EmailPrincipals(ctx, email)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if len(users) != 1 || (host != "" && users[0].HostID != host) {
		// unknown, deactivated, staff in two centres, or at a host's
		// provider someone who is not that host's
		p.signInFailed(w, r, "user", nil)
		return
	}
	u, err := p.store.ActiveUser(ctx, users[0].UserID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.startSession(w, r, u)
}

// verifiedEmail reads the address from the ID token, or from userinfo when
// a conformant provider left it out of the ID token. An address the
// provider says is not verified is refused; so is userinfo about another
// subject.
func (o *oidcSignIn) verifiedEmail(ctx context.Context, token *oauth2.Token, nonce string) (string, error) {
	raw, ok := token.Extra("id_token").(string)
	if !ok {
		return "", errors.New("no id_token in the token response")
	}
	idToken, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return "", err
	}
	if idToken.Nonce != nonce {
		return "", errors.New("nonce mismatch")
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
	}
	if err := idToken.Claims(&claims); err != nil {
		return "", err
	}
	if claims.Email == "" {
		info, err := o.provider.UserInfo(ctx, oauth2.StaticTokenSource(token))
		if err != nil {
			return "", err
		}
		if info.Subject != idToken.Subject {
			return "", errors.New("userinfo is about another subject")
		}
		claims.Email, claims.EmailVerified = info.Email, &info.EmailVerified
	}
	if claims.Email == "" || (claims.EmailVerified != nil && !*claims.EmailVerified) {
		return "", errors.New("no verified e-mail address")
	}
	return claims.Email, nil
}

// signInFailed logs the step (never the token or the address) and shows
// the sign-in page again with a message.
func (p *pages) signInFailed(w http.ResponseWriter, r *http.Request, step string, err error) {
	attrs := []any{"request_id", middleware.GetReqID(r.Context()), "step", step}
	if err != nil {
		// The error of a failed exchange or verification names no person.
		attrs = append(attrs, "err", err)
	}
	p.logger.WarnContext(r.Context(), "sign-in refused", attrs...)
	p.renderSignIn(w, r, http.StatusUnauthorized, true)
}

// signInAt is the sign-in at a host's provider, or the centre's for "";
// nil when there is none.
func (p *pages) signInAt(host string) *oidcSignIn {
	if host == "" {
		return p.oidc
	}
	return p.hostOIDC[host]
}
