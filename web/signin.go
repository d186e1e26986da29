package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/traject-ocmw/traject/store"
)

// signInPage offers the centre's identity provider and, in traject dev,
// every active user of the installation.
func (p *pages) signInPage(w http.ResponseWriter, r *http.Request) {
	p.renderSignIn(w, r, http.StatusOK, false)
}

func (p *pages) renderSignIn(w http.ResponseWriter, r *http.Request, status int, failed bool) {
	var users []store.User
	if p.devSignIn {
		var err error
		if users, err = p.store.ActiveUsers(r.Context()); err != nil {
			p.fail(w, r, err)
			return
		}
	}
	var hosts []option // the hosts with a provider of their own, by name
	if len(p.hostOIDC) > 0 {
		ids := make([]string, 0, len(p.hostOIDC))
		for id := range p.hostOIDC {
			ids = append(ids, id)
		}
		names, err := p.store.HostNames(r.Context(), ids)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		for _, id := range ids {
			if name, ok := names[id]; ok {
				hosts = append(hosts, option{id, name})
			}
		}
		slices.SortFunc(hosts, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	}
	p.render(w, r, status, "signin.html", "signin.title", struct {
		Dev, Provider, Failed bool
		Users                 []store.User
		Hosts                 []option
	}{p.devSignIn, p.oidc != nil, failed, users, hosts})
}

// devSignInPost signs in as the chosen user: traject dev only.
func (p *pages) devSignInPost(w http.ResponseWriter, r *http.Request) {
	if !p.devSignIn {
		p.errorPage(w, r, http.StatusNotFound, t(p.lang(r), "error.notfound"))
		return
	}
	u, err := p.store.ActiveUser(r.Context(), r.PostFormValue("user_id"))
	if errors.Is(err, store.ErrNotFound) {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.startSession(w, r, u)
}

// startSession signs u in. A new token for a new sign-in: a session fixed
// before it is useless.
func (p *pages) startSession(w http.ResponseWriter, r *http.Request, u store.User) {
	if err := p.sessions.RenewToken(r.Context()); err != nil {
		p.fail(w, r, err)
		return
	}
	p.sessions.Put(r.Context(), sessionUser, u.ID)
	p.sessions.Put(r.Context(), sessionLanguage, u.Language)
	http.Redirect(w, r, localPath(p.sessions.PopString(r.Context(), sessionReturn)), http.StatusSeeOther)
}

func (p *pages) signOut(w http.ResponseWriter, r *http.Request) {
	if err := p.sessions.Destroy(r.Context()); err != nil {
		p.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// switchLanguage changes the session's language and goes back to the page
// it was asked from (a local path only).
func (p *pages) switchLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	if lang != "nl" && lang != "fr" {
		lang = "nl"
	}
	p.sessions.Put(r.Context(), sessionLanguage, lang)
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}
