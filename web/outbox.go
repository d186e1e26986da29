package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
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

// auditPage is the audit log searched by object (a dossier's number), user,
// action, outcome and days, the newest first, a page at a time.
type auditView struct {
	Entries                 []auditRow
	Object, Actor           string
	Action, Outcome         string
	From, To                string
	Users, Actions, Results []option
	NextPage                string
	ObjectProblem           string
	FromProblem, ToProblem  string
}

type auditRow struct {
	store.AuditEntry
	Actor string
	// Object names what the entry is about: a user or a host by name, the
	// centre without its code, a dossier by its number, a page by its path;
	// Link leads to the entries about the same object.
	Object, Link string
}

const auditPageSize = 100

// auditFilterActions are the actions the audit log is filtered on: those
// it records, and the two that carry a value after a colon.
func auditFilterActions(lang string) []option {
	out := []option{{"", t(lang, "caseload.any")}}
	for _, a := range append(slices.Clone(auditActions), workflows.UpdateTransition, "merge_host") {
		label := auditAction(lang, a)
		if a == workflows.UpdateTransition {
			label = t(lang, "audit.action.any_transition")
		}
		out = append(out, option{a, label})
	}
	slices.SortStableFunc(out[1:], func(x, y option) int { return strings.Compare(x.Label, y.Label) })
	return out
}

func (p *pages) auditPage(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	q := r.URL.Query()
	view := auditView{Object: strings.TrimSpace(q.Get("object")), Actor: q.Get("actor"), Action: q.Get("action"), Outcome: q.Get("outcome"),
		Actions: auditFilterActions(lang), Results: []option{{"", t(lang, "caseload.any")}}}
	for _, o := range auditOutcomes {
		view.Results = append(view.Results, option{o, auditOutcome(lang, o)})
	}
	if !slices.ContainsFunc(view.Actions, func(o option) bool { return o.Value == view.Action }) {
		view.Action = ""
	}
	if !slices.Contains(auditOutcomes, view.Outcome) {
		view.Outcome = ""
	}
	status := http.StatusOK
	if !store.CleanText(view.Object) {
		view.Object, view.ObjectProblem, status = "", t(lang, "audit.bad_object"), http.StatusBadRequest
	}
	query := store.AuditQuery{ObjectID: view.Object, ActorID: view.Actor, Action: view.Action, Outcome: view.Outcome, Limit: auditPageSize}
	for _, f := range []struct {
		field   string
		value   *string
		problem *string
		day     *time.Time
	}{{"from", &view.From, &view.FromProblem, &query.From}, {"to", &view.To, &view.ToProblem, &query.To}} {
		raw := strings.TrimSpace(q.Get(f.field))
		if raw == "" {
			continue
		}
		day, ok := readDay(raw)
		if !ok {
			*f.value, *f.problem, status = raw, t(lang, "audit.bad_day"), http.StatusBadRequest
			continue
		}
		*f.value = day
		*f.day, _ = time.Parse(time.DateOnly, day)
	}
	if view.FromProblem == "" && view.ToProblem == "" && !query.From.IsZero() && !query.To.IsZero() && query.To.Before(query.From) {
		view.ToProblem, status = t(lang, "audit.to_before_from"), http.StatusBadRequest
	}
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	query.Before = max(before, 0)
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
	entries := []store.AuditLine{}
	if status == http.StatusOK {
		if entries, err = p.store.AuditSearch(r.Context(), v.CentreID, query); err != nil {
			p.fail(w, r, err)
			return
		}
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
		row := auditRow{AuditEntry: e.AuditEntry}
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
			case e.ObjectType == "participant" && e.DossierNumber != nil:
				// the administrator opens no dossier: the entries about it
				number := strconv.Itoa(*e.DossierNumber)
				row.Object = t(lang, "audit.dossier_number", number)
				row.Link = "/admin/audit?" + url.Values{"object": {number}}.Encode()
			case e.ObjectType == "participant":
				row.Object = t(lang, "audit.dossier_purged")
			case e.ObjectType == "page":
				row.Object = id
			default:
				row.Object = ""
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
