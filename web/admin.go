package web

import (
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
	// ListKey heads the list: the centre's users or the host's.
	ListKey string
}

type userRow struct {
	store.User
	Tokens []store.Token
}

// userScope is whose users a viewer administers: a centre's or a host's
// (casework reads and changes them; this is where the pages are).
type userScope struct {
	base   string
	roles  []domain.Role
	object [2]string // what the audit log names: centre or host, and its ID
	// listKey heads the list of users: a host's are not the centre's.
	listKey string
}

// scope is the viewer's: an administrator's centre, or a host
// administrator's host.
func (p *pages) scope(v viewer) userScope {
	if v.Role == domain.RoleHostAdmin {
		return userScope{base: "/host", roles: domain.HostRoles, object: [2]string{"host", v.HostID}, listKey: "users.list.host"}
	}
	return userScope{base: "/admin", roles: domain.StaffRoles, object: [2]string{"centre", v.CentreID}, listKey: "users.list"}
}

func (p *pages) users(w http.ResponseWriter, r *http.Request) {
	p.showUsers(w, r, http.StatusOK, usersView{})
}

func (p *pages) showUsers(w http.ResponseWriter, r *http.Request, status int, view usersView) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	sc := p.scope(v)
	users, err := p.work.Users(r.Context(), p.caller(r))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	tokens, err := p.work.Tokens(r.Context(), p.caller(r))
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
	view.Base, view.ListKey = sc.base, sc.listKey
	if view.New.Role == "" {
		view.New.Role = sc.roles[0]
	}
	if view.Flash == "" {
		view.Flash = p.sessions.PopString(r.Context(), sessionFlash)
	}
	p.render(w, r, status, "users.html", "users.title", view)
}

// userFromForm reads the user form's fields.
func userFromForm(r *http.Request) casework.UserChange {
	get := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	return casework.UserChange{Email: get("email"), DisplayName: get("display_name"), Role: domain.Role(get("role")), Language: get("language")}
}

// addUser creates a user of the administrator's centre or host.
func (p *pages) addUser(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	in := userFromForm(r)
	u, err := p.work.CreateUser(r.Context(), p.caller(r), in)
	if err != nil {
		p.userRefused(w, r, err, "new", usersView{New: userRow{User: u}})
		return
	}
	p.sessions.Put(r.Context(), sessionFlash, t(lang, "users.added", u.DisplayName))
	http.Redirect(w, r, p.scope(mustViewer(r)).base+"/users", http.StatusSeeOther)
}

// changeUser changes a user's name, role, language or active flag.
func (p *pages) changeUser(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	in := userFromForm(r)
	active := r.PostFormValue("active") != ""
	in.Active = &active
	id := chi.URLParam(r, "id")
	u, err := p.work.UpdateUser(r.Context(), p.caller(r), id, in)
	if err != nil {
		p.userRefused(w, r, err, id, usersView{})
		return
	}
	p.sessions.Put(r.Context(), sessionFlash, t(lang, "users.changed", u.DisplayName))
	http.Redirect(w, r, p.scope(mustViewer(r)).base+"/users", http.StatusSeeOther)
}

// userRefused shows the users page again with what was refused next to
// the form's fields (form: "new", or the user's ID), or the error page.
func (p *pages) userRefused(w http.ResponseWriter, r *http.Request, err error, form string, view usersView) {
	f := casework.Explain(err)
	if !f.Refused() || f.Status == http.StatusNotFound || f.Status == http.StatusForbidden {
		p.failed(w, r, err, f)
		return
	}
	lang := p.lang(r)
	view.Errors = map[string]string{}
	for _, fp := range f.Fields {
		view.Errors[form+"-"+fp.Field] = fieldMessage(lang, fp)
	}
	if len(f.Fields) == 0 {
		view.Errors[form+"-role"] = failureMessage(lang, f)
	}
	p.showUsers(w, r, f.Status, view)
}

// createToken issues an API token for a user and shows it on the answer
// itself, once: it is never stored in a session or shown again.
func (p *pages) createToken(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	id := chi.URLParam(r, "id")
	tk, err := p.work.CreateToken(r.Context(), p.caller(r), id, r.PostFormValue("name"))
	if err != nil {
		f := casework.Explain(err)
		if !f.Refused() || f.Status == http.StatusNotFound || f.Status == http.StatusForbidden {
			p.failed(w, r, err, f)
			return
		}
		p.showUsers(w, r, f.Status, usersView{Errors: map[string]string{id + "-token": t(lang, "users.token.name")}})
		return
	}
	u, err := p.work.User(r.Context(), p.caller(r), id)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.showUsers(w, r, http.StatusOK, usersView{Token: tk.Token, TokenUser: u.DisplayName, Flash: t(lang, "users.token.created", u.DisplayName)})
}

// revokeToken ends a token of the centre's or host's at once.
func (p *pages) revokeToken(w http.ResponseWriter, r *http.Request) {
	if err := p.work.RevokeToken(r.Context(), p.caller(r), chi.URLParam(r, "id")); err != nil {
		p.fail(w, r, err)
		return
	}
	p.sessions.Put(r.Context(), sessionFlash, t(p.lang(r), "users.token.revoked"))
	http.Redirect(w, r, p.scope(mustViewer(r)).base+"/users", http.StatusSeeOther)
}

// caller is the signed-in user as casework's audit knows them.
func (p *pages) caller(r *http.Request) casework.Caller {
	v, _ := viewerFrom(r.Context())
	return casework.Caller{UserID: v.ID, CentreID: v.CentreID, HostID: v.HostID, Role: v.Role, RequestID: middleware.GetReqID(r.Context()), Route: "web " + r.URL.Path}
}

// mustViewer is the signed-in viewer of a page behind signedIn.
func mustViewer(r *http.Request) viewer {
	v, _ := viewerFrom(r.Context())
	return v
}
