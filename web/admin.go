package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

// The administrators' pages: the users of a centre (for its
// administrators, under /admin) or of a host organisation (for its host
// administrators, under /host), and their API tokens. Every change is
// audited as the API's are; only an administrator of the kind gets them
// (anyone else a 403 page).

type usersView struct {
	Users  []userRow
	Roles  []option
	Langs  []option
	New    userRow
	Flash  string
	Errors map[string]string
	// Token is a token just created: shown this once.
	Token, TokenUser string
	// Base is where the forms go: /admin or /host.
	Base string
}

type userRow struct {
	store.User
	Tokens []store.Token
}

// userScope is whose users a viewer administers, and how they are read
// and changed: a centre's or a host's, never anyone else's.
type userScope struct {
	base      string
	roles     []domain.Role
	adminRole domain.Role // the role whose holder must not lock themself out
	object    [2]string   // what the audit log names: centre or host, and its ID
	list      func(context.Context) ([]store.User, error)
	tokens    func(context.Context) ([]store.Token, error)
	one       func(context.Context, string) (store.User, error)
	revoke    func(context.Context, string) error
	belong    func(*store.User)
}

// scope is the viewer's: an administrator's centre, or a host
// administrator's host.
func (p *pages) scope(v viewer) userScope {
	if v.Role == domain.RoleHostAdmin {
		host := v.HostID
		return userScope{
			base: "/host", roles: domain.HostRoles, adminRole: domain.RoleHostAdmin, object: [2]string{"host", host},
			list:   func(ctx context.Context) ([]store.User, error) { return p.store.HostUsers(ctx, host) },
			tokens: func(ctx context.Context) ([]store.Token, error) { return p.store.ActiveHostTokens(ctx, host) },
			one:    func(ctx context.Context, id string) (store.User, error) { return p.store.HostUser(ctx, host, id) },
			revoke: func(ctx context.Context, id string) error { return p.store.RevokeHostToken(ctx, host, id) },
			belong: func(u *store.User) { u.HostID = host },
		}
	}
	centre := v.CentreID
	return userScope{
		base: "/admin", roles: domain.StaffRoles, adminRole: domain.RoleAdmin, object: [2]string{"centre", centre},
		list:   func(ctx context.Context) ([]store.User, error) { return p.store.Users(ctx, centre) },
		tokens: func(ctx context.Context) ([]store.Token, error) { return p.store.ActiveTokens(ctx, centre) },
		one:    func(ctx context.Context, id string) (store.User, error) { return p.store.CentreUser(ctx, centre, id) },
		revoke: func(ctx context.Context, id string) error { return p.store.RevokeToken(ctx, centre, id) },
		belong: func(u *store.User) { u.CentreID = centre },
	}
}

// admin admits a centre's administrators; hostAdmin a host's.
func (p *pages) admin(next http.HandlerFunc) http.HandlerFunc {
	return p.only(domain.RoleAdmin, next)
}

func (p *pages) hostAdmin(next http.HandlerFunc) http.HandlerFunc {
	return p.only(domain.RoleHostAdmin, next)
}

func (p *pages) only(role domain.Role, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if v, _ := viewerFrom(r.Context()); v.Role != role {
			p.errorPage(w, r, http.StatusForbidden, t(p.lang(r), "error.forbidden"))
			return
		}
		next(w, r)
	}
}

func (p *pages) users(w http.ResponseWriter, r *http.Request) {
	p.showUsers(w, r, http.StatusOK, usersView{})
}

func (p *pages) showUsers(w http.ResponseWriter, r *http.Request, status int, view usersView) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	sc := p.scope(v)
	users, err := sc.list(r.Context())
	if err != nil {
		p.fail(w, r, err)
		return
	}
	tokens, err := sc.tokens(r.Context())
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.auditIn(w, r, v.CentreID, "list_users", sc.object[0], sc.object[1]) {
		return
	}
	for _, u := range users {
		row := userRow{User: u}
		for _, tk := range tokens {
			if tk.UserID == u.ID {
				row.Tokens = append(row.Tokens, tk)
			}
		}
		view.Users = append(view.Users, row)
	}
	for _, role := range sc.roles {
		view.Roles = append(view.Roles, option{string(role), t(lang, "role."+string(role))})
	}
	view.Langs = []option{{"nl", "Nederlands"}, {"fr", "Français"}}
	view.Base = sc.base
	if view.New.Role == "" {
		view.New.Role = sc.roles[0]
	}
	if view.Flash == "" {
		view.Flash = p.sessions.PopString(r.Context(), sessionFlash)
	}
	p.render(w, r, status, "users.html", "users.title", view)
}

// userFromForm reads the user form's fields.
func userFromForm(r *http.Request, u store.User) store.User {
	get := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	if v := get("email"); v != "" {
		u.Email = v
	}
	u.DisplayName, u.Role, u.Language = get("display_name"), domain.Role(get("role")), get("language")
	return u
}

// addUser creates a user of the administrator's centre or host.
func (p *pages) addUser(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	sc := p.scope(v)
	u := store.User{Active: true}
	sc.belong(&u)
	u = userFromForm(r, u)
	if problems := store.CheckUser(u); len(problems) > 0 {
		p.showUsers(w, r, http.StatusUnprocessableEntity, usersView{New: userRow{User: u}, Errors: fieldErrors(lang, "new", problems)})
		return
	}
	entry, err := p.work.Intend(r.Context(), p.caller(r), "create_user", "user", "")
	if err != nil {
		p.fail(w, r, err)
		return
	}
	id, err := p.store.CreateUser(r.Context(), u)
	var conflict *store.ConflictError
	if errors.As(err, &conflict) {
		p.work.Settle(r.Context(), entry, "refused", "")
		p.showUsers(w, r, http.StatusConflict, usersView{New: userRow{User: u}, Errors: map[string]string{"new-email": t(lang, "users.taken")}})
		return
	}
	if err != nil {
		p.work.Settle(r.Context(), entry, "failed", "")
		p.fail(w, r, err)
		return
	}
	p.work.Settle(r.Context(), entry, "ok", id)
	p.sessions.Put(r.Context(), sessionFlash, t(lang, "users.added", u.DisplayName))
	http.Redirect(w, r, sc.base+"/users", http.StatusSeeOther)
}

// changeUser changes a user's name, role, language or active flag.
func (p *pages) changeUser(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	sc := p.scope(v)
	u, err := sc.one(r.Context(), chi.URLParam(r, "id"))
	if !p.found(w, r, err) {
		return
	}
	changed := userFromForm(r, u)
	changed.Active = r.PostFormValue("active") != ""
	if changed.ID == v.ID && (!changed.Active || changed.Role != sc.adminRole) {
		// An administrator who locks themselves out needs someone else.
		p.showUsers(w, r, http.StatusConflict, usersView{Errors: map[string]string{u.ID + "-role": t(lang, "users.self")}})
		return
	}
	if problems := store.CheckUser(changed); len(problems) > 0 {
		p.showUsers(w, r, http.StatusUnprocessableEntity, usersView{Errors: fieldErrors(lang, u.ID, problems)})
		return
	}
	entry, err := p.work.Intend(r.Context(), p.caller(r), "change_user", "user", u.ID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if err := p.store.UpdateUser(r.Context(), changed); err != nil {
		p.work.Settle(r.Context(), entry, "failed", "")
		p.fail(w, r, err)
		return
	}
	p.work.Settle(r.Context(), entry, "ok", "")
	p.sessions.Put(r.Context(), sessionFlash, t(lang, "users.changed", changed.DisplayName))
	http.Redirect(w, r, sc.base+"/users", http.StatusSeeOther)
}

// createToken issues an API token for a user and shows it on the answer
// itself, once: it is never stored in a session or shown again.
func (p *pages) createToken(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	u, err := p.scope(v).one(r.Context(), chi.URLParam(r, "id"))
	if !p.found(w, r, err) {
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || !store.CleanText(name) || !u.Active {
		p.showUsers(w, r, http.StatusUnprocessableEntity, usersView{Errors: map[string]string{u.ID + "-token": t(lang, "users.token.name")}})
		return
	}
	entry, err := p.work.Intend(r.Context(), p.caller(r), "create_token", "token", "")
	if err != nil {
		p.fail(w, r, err)
		return
	}
	id, token, err := p.store.CreateToken(r.Context(), u.ID, name)
	if err != nil {
		p.work.Settle(r.Context(), entry, "failed", "")
		p.fail(w, r, err)
		return
	}
	p.work.Settle(r.Context(), entry, "ok", id)
	p.showUsers(w, r, http.StatusOK, usersView{Token: token, TokenUser: u.DisplayName, Flash: t(lang, "users.token.created", u.DisplayName)})
}

// revokeToken ends a token of the centre's or host's at once.
func (p *pages) revokeToken(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	sc := p.scope(v)
	id := chi.URLParam(r, "id")
	entry, err := p.work.Intend(r.Context(), p.caller(r), "revoke_token", "token", id)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if err := sc.revoke(r.Context(), id); errors.Is(err, store.ErrNotFound) {
		p.work.Settle(r.Context(), entry, "refused", "")
		p.errorPage(w, r, http.StatusNotFound, t(lang, "error.notfound"))
		return
	} else if err != nil {
		p.work.Settle(r.Context(), entry, "failed", "")
		p.fail(w, r, err)
		return
	}
	p.work.Settle(r.Context(), entry, "ok", id)
	p.sessions.Put(r.Context(), sessionFlash, t(lang, "users.token.revoked"))
	http.Redirect(w, r, sc.base+"/users", http.StatusSeeOther)
}

// fieldErrors keys the store's field problems by form field ID.
func fieldErrors(lang, form string, problems []store.FieldProblem) map[string]string {
	out := map[string]string{}
	for _, fp := range problems {
		out[form+"-"+fp.Field] = fieldDetail(lang, fp.Detail)
	}
	return out
}

// caller is the signed-in user as casework's audit knows them.
func (p *pages) caller(r *http.Request) casework.Caller {
	v, _ := viewerFrom(r.Context())
	return casework.Caller{UserID: v.ID, CentreID: v.CentreID, Role: v.Role, RequestID: middleware.GetReqID(r.Context()), Route: "web " + r.URL.Path}
}
