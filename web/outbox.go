package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/traject-ocmw/traject/export"
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
// action, outcome and days, the newest first, a page at a time, each
// entry's time to the second in the centre's time zone; auditCSV is the
// same search as a download.
type auditView struct {
	Entries                 []auditRow
	Object, Actor           string
	Action, Outcome         string
	From, To                string
	Users, Actions, Results []option
	NextPage                string
	// CSV downloads every entry the filters find (not only this page).
	CSV                    string
	ObjectProblem          string
	FromProblem, ToProblem string
	// DownloadProblem says why the download was not made.
	DownloadProblem string
}

type auditRow struct {
	store.AuditEntry
	// When is the entry's day and time to the second, in the centre's
	// time zone: 06/12/2026 14:05:09.
	When  string
	Actor string
	// Object names what the entry is about: a user or a host by name, the
	// centre without its code, a dossier by its number, a page by its path;
	// Link leads to the entries about the same object.
	Object, Link string
}

const (
	auditPageSize = 100
	// auditExportMax is the most entries one download holds: more, and the
	// page asks for a shorter period.
	auditExportMax = 50000
)

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

// auditFilters reads the page's filters from the query: the view with
// each field's problem, the search, and 400 when a filter is wrong.
func auditFilters(lang string, q url.Values) (auditView, store.AuditQuery, int) {
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
	return view, query, status
}

// filters are the view's filters as a query, for the download's link.
func (v auditView) filters() url.Values {
	q := url.Values{}
	for _, f := range []struct{ name, value string }{
		{"object", v.Object}, {"actor", v.Actor}, {"action", v.Action}, {"outcome", v.Outcome}, {"from", v.From}, {"to", v.To},
	} {
		if f.value != "" {
			q.Set(f.name, f.value)
		}
	}
	return q
}

// auditNames are the names the entries are shown with: the centre's users
// and hosts by ID.
type auditNames struct {
	users, hosts map[string]string
}

func (p *pages) auditNames(r *http.Request, centreID string) (auditNames, []store.User, error) {
	users, err := p.store.Users(r.Context(), centreID)
	if err != nil {
		return auditNames{}, nil, err
	}
	hosts, err := p.store.Hosts(r.Context(), centreID, "")
	if err != nil {
		return auditNames{}, nil, err
	}
	n := auditNames{users: map[string]string{}, hosts: map[string]string{}}
	for _, u := range users {
		n.users[u.ID] = u.DisplayName
	}
	for _, h := range hosts {
		n.hosts[h.ID] = h.Name
	}
	return n, users, nil
}

// auditTime is an entry's time as the audit log shows it: the day and the
// time to the second where the centre is.
func auditTime(at time.Time, loc *time.Location) string {
	return at.In(loc).Format("02/01/2006 15:04:05")
}

// row is an entry as the page and the download show it.
func (n auditNames) row(lang, centreID string, loc *time.Location, e store.AuditLine) auditRow {
	row := auditRow{AuditEntry: e.AuditEntry, When: auditTime(e.At, loc)}
	if e.ActorID != nil {
		row.Actor = n.users[*e.ActorID]
	}
	if e.ObjectID == nil {
		return row
	}
	id := *e.ObjectID
	switch {
	case e.ObjectType == "centre" && id == centreID:
	case e.ObjectType == "user" && n.users[id] != "":
		row.Object = n.users[id]
	case e.ObjectType == "host" && n.hosts[id] != "":
		row.Object = n.hosts[id]
	case e.ObjectType == "participant" && e.DossierNumber != nil:
		// the administrator opens no dossier: the entries about it
		number := strconv.Itoa(*e.DossierNumber)
		row.Object = t(lang, "audit.dossier_number", number)
		row.Link = "/admin/audit?" + url.Values{"object": {number}}.Encode()
	case e.ObjectType == "participant":
		row.Object = t(lang, "audit.dossier_purged")
	case e.ObjectType == "page":
		row.Object = id
	}
	return row
}

func (p *pages) auditPage(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	view, query, status := auditFilters(lang, r.URL.Query())
	p.showAudit(w, r, v, lang, view, query, status)
}

// showAudit answers the audit page: the entries query finds when status
// is 200, else the form with its problems.
func (p *pages) showAudit(w http.ResponseWriter, r *http.Request, v viewer, lang string, view auditView, query store.AuditQuery, status int) {
	pol, err := p.store.LoadPolicy(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	query.Zone = pol.TimeZone
	names, users, err := p.auditNames(r, v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	view.Users = []option{{"", t(lang, "caseload.any")}}
	for _, u := range users {
		view.Users = append(view.Users, option{u.ID, u.DisplayName})
	}
	entries := []store.AuditLine{}
	if view.ObjectProblem == "" && view.FromProblem == "" && view.ToProblem == "" {
		if entries, err = p.store.AuditSearch(r.Context(), v.CentreID, query); err != nil {
			p.fail(w, r, err)
			return
		}
	}
	// Reading the audit log is itself audited, after the search it records.
	if !p.audit(w, r, "read_audit", "centre", v.CentreID) {
		return
	}
	loc := pol.Location()
	for _, e := range entries {
		view.Entries = append(view.Entries, names.row(lang, v.CentreID, loc, e))
	}
	if len(entries) > 0 {
		view.CSV = "/admin/audit.csv"
		if q := view.filters().Encode(); q != "" {
			view.CSV += "?" + q
		}
	}
	if len(entries) == auditPageSize {
		next := r.URL.Query()
		next.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		view.NextPage = "/admin/audit?" + next.Encode()
	}
	p.render(w, r, status, "audit.html", "audit.title", view)
}

// auditCSV downloads the entries the page's filters find, every page of
// them, newest first, as the page shows them (in its language, actions in
// words, the time to the second in the centre's time zone): semicolons
// behind a byte order mark, for Excel. The download is itself audited. A
// wrong filter, or more than auditExportMax entries, answers the page
// with the problem named.
func (p *pages) auditCSV(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	view, query, status := auditFilters(lang, r.URL.Query())
	query.Before = 0
	if status != http.StatusOK {
		p.showAudit(w, r, v, lang, view, query, status)
		return
	}
	pol, err := p.store.LoadPolicy(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	query.Zone, query.Limit = pol.TimeZone, auditExportMax+1
	entries, err := p.store.AuditSearch(r.Context(), v.CentreID, query)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if len(entries) > auditExportMax {
		view.DownloadProblem = t(lang, "audit.too_many", thousands(auditExportMax))
		query.Limit = auditPageSize
		p.showAudit(w, r, v, lang, view, query, http.StatusUnprocessableEntity)
		return
	}
	names, _, err := p.auditNames(r, v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "export_audit", "centre", v.CentreID) {
		return
	}
	loc := pol.Location()
	table := export.Table{Sheet: t(lang, "audit.title"), Header: []string{
		t(lang, "audit.col.when", loc.String()), t(lang, "audit.actor"), t(lang, "users.role"),
		t(lang, "audit.action"), t(lang, "audit.about"), t(lang, "audit.outcome"),
	}}
	for _, e := range entries {
		row := names.row(lang, v.CentreID, loc, e)
		about := auditObject(lang, row.ObjectType)
		if row.Object != "" {
			about += t(lang, "punct.colon") + " " + row.Object
		}
		role := ""
		if row.ActorRole != nil {
			role = roleName(lang, *row.ActorRole)
		}
		table.Rows = append(table.Rows, []string{row.When, export.Inert(row.Actor), role,
			auditAction(lang, row.Action), export.Inert(about), auditOutcome(lang, row.Outcome)})
	}
	name := "traject-" + t(lang, "audit.file") + "-" + time.Now().In(loc).Format(time.DateOnly) + ".csv"
	p.download(w, r, "text/csv; charset=utf-8", name, table.WriteCSV)
}
