package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/traject-ocmw/traject/store"
)

// The administrators' view of the mail that did not go and of the audit
// log: what failed or waits, why, and about which dossier; who read or
// changed what.

type outboxView struct {
	Failed, Pending []store.Notification
}

// outboxPage lists the centre's failed and pending mail with the reason
// of the last attempt, each linked to its dossier.
func (p *pages) outboxPage(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	var view outboxView
	var err error
	if view.Failed, err = p.store.Outbox(r.Context(), v.CentreID, "failed", 0, 200); err != nil {
		p.fail(w, r, err)
		return
	}
	if view.Pending, err = p.store.Outbox(r.Context(), v.CentreID, "pending", 0, 200); err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "read_outbox", "centre", v.CentreID) {
		return
	}
	p.render(w, r, http.StatusOK, "outbox.html", "outbox.title", view)
}

// auditPage is the audit log searched by object (a dossier's ID) and by
// user, the newest first, a page at a time.
type auditView struct {
	Entries       []auditRow
	Object, Actor string
	Users         []option
	NextPage      string
	Searched      bool
	ObjectProblem string
}

type auditRow struct {
	store.AuditEntry
	Actor string
	// Object names what the entry is about: a user or a host by name, the
	// centre without its code, a dossier or a page by its ID or path;
	// Link leads to the entries about the same object.
	Object, Link string
}

const auditPageSize = 100

func (p *pages) auditPage(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	q := r.URL.Query()
	view := auditView{Object: strings.TrimSpace(q.Get("object")), Actor: q.Get("actor")}
	status := http.StatusOK
	if !store.CleanText(view.Object) {
		view.Object, view.ObjectProblem, status = "", t(lang, "audit.bad_object"), http.StatusBadRequest
	}
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	users, err := p.store.Users(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	names := map[string]string{}
	view.Users = []option{{"", t(lang, "caseload.any")}}
	for _, u := range users {
		names[u.ID] = u.DisplayName
		view.Users = append(view.Users, option{u.ID, u.DisplayName})
	}
	entries, err := p.store.AuditSearch(r.Context(), v.CentreID, store.AuditQuery{ObjectID: view.Object, ActorID: view.Actor, Before: max(before, 0), Limit: auditPageSize})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	// Reading the audit log is itself audited, after the search it records.
	if !p.audit(w, r, "read_audit", "centre", v.CentreID) {
		return
	}
	hosts, err := p.store.Hosts(r.Context(), v.CentreID, "")
	if err != nil {
		p.fail(w, r, err)
		return
	}
	hostNames := map[string]string{}
	for _, h := range hosts {
		hostNames[h.ID] = h.Name
	}
	for _, e := range entries {
		row := auditRow{AuditEntry: e}
		if e.ActorID != nil {
			row.Actor = names[*e.ActorID]
		}
		if e.ObjectID != nil {
			id := *e.ObjectID
			switch {
			case e.ObjectType == "centre" && id == v.CentreID:
			case e.ObjectType == "user" && names[id] != "":
				row.Object = names[id]
			case e.ObjectType == "host" && hostNames[id] != "":
				row.Object = hostNames[id]
			default:
				row.Object = id
			}
			if e.ObjectType == "participant" {
				// the administrator opens no dossier: the entries about it
				row.Link = "/admin/audit?" + url.Values{"object": {id}}.Encode()
			}
		}
		view.Entries = append(view.Entries, row)
	}
	if len(entries) == auditPageSize {
		next := r.URL.Query()
		next.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		view.NextPage = "/admin/audit?" + next.Encode()
	}
	p.render(w, r, status, "audit.html", "audit.title", view)
}
