// Package web serves the pages counsellors and coordinators work in:
// server-rendered HTML from embedded templates, in Dutch and French, that
// work without JavaScript. The pages read through the store and, like the
// API, write only through the workflows' updates.
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

//go:embed templates/*.html templates/parts/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options wires the pages to their dependencies.
type Options struct {
	Logger *slog.Logger
	DB     *pgxpool.Pool
	// DevSignIn lists the installation's users on the sign-in page, to sign
	// in as any of them: traject dev only, never serve.
	DevSignIn bool
	// IdleTimeout ends a session nobody used for this long (default 30 min).
	IdleTimeout time.Duration
	// InsecureCookies lets the session cookie travel over plain HTTP, for
	// traject dev on 127.0.0.1; everywhere else it is Secure.
	InsecureCookies bool
	// Temporal sends the forms' writes (the workflows' updates); UpdateWait
	// bounds how long one waits for a worker.
	Temporal   client.Client
	UpdateWait time.Duration
	// TaskQueue is where a dossier opened in the pages starts its trajectory.
	TaskQueue string
	// OIDC signs staff in with the centre's identity provider (nil: not
	// configured; traject dev still has its own sign-in).
	OIDC *OIDC
	// HostOIDC are host organisations' own identity providers, by host
	// ID: each signs in that host's users and nobody else.
	HostOIDC map[string]*OIDC
}

type pages struct {
	logger    *slog.Logger
	store     *store.Store
	sessions  *scs.SessionManager
	templates map[string]*template.Template
	devSignIn bool
	loc       *time.Location
	work      *casework.Service
	oidc      *oidcSignIn
	hostOIDC  map[string]*oidcSignIn
}

// New returns the pages' handler. It serves every path it is given; the
// caller mounts it beside the API.
func New(opts Options) (http.Handler, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return nil, err
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	sm := scs.New()
	sm.Store = pgxstore.New(opts.DB)
	sm.IdleTimeout = opts.IdleTimeout
	if sm.IdleTimeout <= 0 {
		sm.IdleTimeout = 30 * time.Minute
	}
	sm.Lifetime = 12 * time.Hour
	sm.Cookie.Name = "traject_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = !opts.InsecureCookies
	st := store.New(opts.DB)
	p := &pages{logger: logger, store: st, sessions: sm, templates: tmpl, devSignIn: opts.DevSignIn, loc: loc,
		work: casework.New(casework.Options{Store: st, Temporal: opts.Temporal, TaskQueue: opts.TaskQueue, Logger: logger, UpdateWait: opts.UpdateWait}), oidc: newOIDCSignIn(opts.OIDC), hostOIDC: map[string]*oidcSignIn{}}
	for host, o := range opts.HostOIDC {
		p.hostOIDC[host] = newOIDCSignIn(o)
	}

	r := chi.NewRouter()
	r.Use(securityHeaders)
	static, _ := fs.Sub(staticFS, "static")
	r.Handle("/static/*", http.StripPrefix("/static/", staticFiles(http.FileServerFS(static))))
	r.Group(func(r chi.Router) {
		// Cross-origin POSTs are refused by the browser's own headers
		// (Sec-Fetch-Site, Origin): no token in every form.
		r.Use(http.NewCrossOriginProtection().Handler)
		r.Use(sm.LoadAndSave)
		r.Get("/signin", p.signInPage)
		r.Post("/signin/dev", p.devSignInPost)
		r.Post("/signin/oidc", p.oidcStart)
		r.Get(CallbackPath, p.oidcCallback)
		r.Post("/signout", p.signOut)
		r.Post("/language", p.switchLanguage)
		r.Group(func(r chi.Router) {
			r.Use(p.signedIn)
			p.mount(r)
		})
		r.NotFound(func(w http.ResponseWriter, r *http.Request) { p.fail(w, r, store.ErrNotFound) })
	})
	return r, nil
}

// securityHeaders: a page loads nothing but its own files (no CDN, no
// inline script or style), is framed by no one, and sends no address
// elsewhere.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

func staticFiles(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// Session keys.
const (
	sessionUser     = "user_id"
	sessionLanguage = "language"
	// sessionReturn is the page a signed-out visitor asked for.
	sessionReturn = "return_to"
	// sessionFlash is the outcome of the last form, shown once.
	sessionFlash = "flash"
	// sessionCaseload is the caseload's last query (filters, search,
	// order): a dossier's link back to the list keeps them.
	sessionCaseload = "caseload"
)

// viewer is the signed-in staff user.
type viewer struct {
	store.User
	Role domain.Role
}

type viewerKey struct{}

func viewerFrom(ctx context.Context) (viewer, bool) {
	v, ok := ctx.Value(viewerKey{}).(viewer)
	return v, ok
}

func (v viewer) scope() store.Viewer {
	return store.ViewerOf(v.CentreID, v.ID, v.Role)
}

// signedIn admits a session of an active staff user with a role this
// version knows, and sends anyone else to the sign-in page. A user who was
// deactivated is signed out at their next request.
func (p *pages) signedIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := p.sessions.GetString(r.Context(), sessionUser)
		if id == "" {
			// Back to the page asked for after signing in (a link in a
			// reminder); only a page, never a form's post.
			if r.Method == http.MethodGet {
				p.sessions.Put(r.Context(), sessionReturn, localPath(r.URL.RequestURI()))
			}
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		u, err := p.store.ActiveUser(r.Context(), id)
		if errors.Is(err, store.ErrNotFound) {
			_ = p.sessions.Destroy(r.Context())
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		if err != nil {
			p.fail(w, r, err)
			return
		}
		role, ok := domain.ParseRole(string(u.Role))
		if !ok {
			p.errorPage(w, r, http.StatusForbidden, t(p.lang(r), "error.notfound"))
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), viewerKey{}, viewer{User: u, Role: role})))
	})
}

// lang is the session's language: chosen with the switch, or the user's.
func (p *pages) lang(r *http.Request) string {
	if l := p.sessions.GetString(r.Context(), sessionLanguage); l == "nl" || l == "fr" {
		return l
	}
	if v, ok := viewerFrom(r.Context()); ok && v.Language == "fr" {
		return "fr"
	}
	return "nl"
}

// audit records who read what, as the API does; a view that cannot be
// recorded is not shown.
func (p *pages) audit(w http.ResponseWriter, r *http.Request, action, objectType, objectID string) bool {
	v, _ := viewerFrom(r.Context())
	return p.auditIn(w, r, v.CentreID, action, objectType, objectID)
}

// auditIn is audit in a given centre's log (empty: none): a host user's
// read of a worker goes to the worker's centre.
func (p *pages) auditIn(w http.ResponseWriter, r *http.Request, centreID, action, objectType, objectID string) bool {
	return p.auditEntry(w, r, centreID, action, objectType, objectID, "ok")
}

// auditAs is audit with another outcome than ok: a refusal.
func (p *pages) auditAs(w http.ResponseWriter, r *http.Request, action, objectType, objectID, outcome string) bool {
	v, _ := viewerFrom(r.Context())
	return p.auditEntry(w, r, v.CentreID, action, objectType, objectID, outcome)
}

func (p *pages) auditEntry(w http.ResponseWriter, r *http.Request, centreID, action, objectType, objectID, outcome string) bool {
	v, _ := viewerFrom(r.Context())
	_, err := p.store.Audit(r.Context(), store.Access{
		CentreID: centreID, ActorID: v.ID, ActorRole: string(v.Role), Action: action, ObjectType: objectType, ObjectID: objectID,
		RequestID: middleware.GetReqID(r.Context()), Outcome: outcome,
	})
	if err != nil {
		p.fail(w, r, err)
		return false
	}
	return true
}

// found tells whether a lookup succeeded; when it did not, it has answered
// the page: 404 for what does not exist or is not the viewer's to see (the
// same page, so that nothing is learnt from the difference), else fail.
func (p *pages) found(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return true
	case errors.Is(err, store.ErrNotFound):
		p.errorPage(w, r, http.StatusNotFound, t(p.lang(r), "error.notfound"))
	default:
		p.fail(w, r, err)
	}
	return false
}

// fail answers err's error page as casework.Explain says.
func (p *pages) fail(w http.ResponseWriter, r *http.Request, err error) {
	p.failed(w, r, err, casework.Explain(err))
}

// failed answers a failure's error page with its status and its message in
// the page's language: a 503 asks to try again in a few seconds (and says
// when, Retry-After), a 500 gives the request ID and logs the cause.
func (p *pages) failed(w http.ResponseWriter, r *http.Request, err error, f casework.Failure) {
	lang := p.lang(r)
	reqID := middleware.GetReqID(r.Context())
	message := failureMessage(lang, f)
	switch {
	case f.Internal():
		p.logger.ErrorContext(r.Context(), "page failed", "request_id", reqID, "err", err)
		message = t(lang, "error.internal", reqID)
	case f.Status == http.StatusServiceUnavailable:
		p.logger.WarnContext(r.Context(), "dependency unavailable", "request_id", reqID, "dependency", f.Dependency, "err", err)
		w.Header().Set("Retry-After", strconv.Itoa(casework.RetryAfter))
	}
	p.errorPage(w, r, f.Status, message)
}
