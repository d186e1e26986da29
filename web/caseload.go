package web

import (
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// caseloadPage is how many dossiers the list shows at once; the CSV holds
// up to caseloadExport.
const (
	caseloadPage   = 50
	caseloadExport = 10000
)

// caseloadFilter reads the list's filters from the query, as the form sends
// them; a value that is not one of the choices is ignored (a form field
// left at "all").
func (p *pages) caseloadFilter(r *http.Request, v viewer, limit int) (store.CaseloadFilter, url.Values) {
	q := r.URL.Query()
	f := store.CaseloadFilter{Viewer: v.scope(), Limit: limit, Name: strings.TrimSpace(q.Get("q"))}
	kept := url.Values{}
	keep := func(name, value string) {
		if value != "" {
			kept.Set(name, value)
		}
	}
	if ph := workflows.Phase(q.Get("phase")); slices.Contains(workflows.Phases, ph) {
		f.Phase = string(ph)
	}
	if a := domain.Actor(q.Get("next_actor")); slices.Contains(domain.NextActors, a) {
		f.NextActor = string(a)
	}
	for name, dst := range map[string]*string{"counsellor": &f.CounsellorID, "host": &f.HostID, "after": &f.After} {
		if _, err := uuid.Parse(q.Get(name)); err == nil {
			*dst = q.Get(name)
		}
	}
	win := windowsAt(time.Now().In(p.loc))
	var before time.Time
	switch q.Get("due") {
	case "overdue":
		before = win.now
	case "today":
		before = win.endOfToday
	case "week":
		before = win.endOfWeek
	}
	if !before.IsZero() {
		f.DeadlineBefore = &before
	}
	if s := q.Get("sort"); s == store.SortName || s == store.SortDeadline {
		f.Sort = s
	}
	if !store.CleanText(f.Name) {
		f.Name = ""
	}
	keep("phase", f.Phase)
	keep("next_actor", f.NextActor)
	keep("counsellor", f.CounsellorID)
	keep("host", f.HostID)
	keep("q", f.Name)
	keep("sort", f.Sort)
	if !before.IsZero() {
		keep("due", q.Get("due"))
	}
	return f, kept
}

type caseloadView struct {
	Rows        []caseloadRow
	Filters     url.Values
	Phases      []option
	Actors      []option
	Counsellors []option
	Hosts       []option
	Dues        []option
	Sorts       []option
	NextPage    string
	CSV, Excel  string
	// ByCounsellor: the viewer sees more than one caseload, and filters.
	ByCounsellor bool
	// Reassign: coordinators move ticked dossiers to another counsellor.
	Reassign   bool
	Key, Query string
	Targets    []option
	Flash      string
}

type caseloadRow struct {
	store.CaseloadRow
	Name, Phase, Counsellor, NextActor string
}

// caseload is the list of dossiers the viewer may see, filtered on phase,
// who must act, counsellor, host, deadline window and name, a page at a
// time, and downloadable as CSV with the same filters.
func (p *pages) caseload(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	f, kept := p.caseloadFilter(r, v, caseloadPage)
	rows, err := p.store.Caseload(r.Context(), f)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	names, err := p.counsellorNames(r, v)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	hosts, err := p.store.Hosts(r.Context(), v.CentreID, "")
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "list_participants", "centre", v.CentreID) {
		return
	}
	view := caseloadView{Filters: kept, Dues: []option{{"", t(lang, "caseload.any")}, {"overdue", t(lang, "work.overdue")}, {"today", t(lang, "caseload.due.today")}, {"week", t(lang, "caseload.due.week")}}}
	view.Sorts = []option{{"", t(lang, "caseload.sort.id")}, {store.SortName, t(lang, "caseload.sort.name")}, {store.SortDeadline, t(lang, "caseload.sort.deadline")}}
	view.Phases = []option{{"", t(lang, "caseload.any")}}
	for _, ph := range workflows.Phases {
		view.Phases = append(view.Phases, option{string(ph), t(lang, "phase."+string(ph))})
	}
	view.Actors = []option{{"", t(lang, "caseload.any")}}
	for _, a := range domain.NextActors {
		view.Actors = append(view.Actors, option{string(a), t(lang, "actor."+string(a))})
	}
	view.Counsellors = []option{{"", t(lang, "caseload.any")}}
	for id, name := range names {
		view.Counsellors = append(view.Counsellors, option{id, name})
	}
	slices.SortFunc(view.Counsellors[1:], func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	view.Hosts = []option{{"", t(lang, "caseload.any")}}
	for _, h := range hosts {
		view.Hosts = append(view.Hosts, option{h.ID, h.Name})
	}
	for _, row := range rows {
		view.Rows = append(view.Rows, p.caseloadRow(lang, row, names))
	}
	if len(rows) == caseloadPage {
		next := cloneValues(kept)
		next.Set("after", rows[len(rows)-1].ID)
		view.NextPage = "/caseload?" + next.Encode()
	}
	view.ByCounsellor = v.Role != domain.RoleCounsellor
	if may(v, "POST", "/caseload/reassign") {
		view.Reassign, view.Key, view.Query = true, newKey(), kept.Encode()
		view.Targets = view.Counsellors[1:]
	}
	view.Flash = p.sessions.PopString(r.Context(), sessionFlash)
	view.CSV = "/caseload.csv?" + kept.Encode()
	excel := cloneValues(kept)
	excel.Set("delimiter", "semicolon")
	view.Excel = "/caseload.csv?" + excel.Encode()
	p.render(w, r, http.StatusOK, "caseload.html", "caseload.title", view)
}

// caseloadCSV writes the filtered list as CSV: UTF-8 with a header row, or
// with ?delimiter=semicolon what Belgian Excel opens (semicolons, a byte
// order mark).
func (p *pages) caseloadCSV(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	f, _ := p.caseloadFilter(r, v, caseloadExport)
	f.After = ""
	rows, err := p.store.Caseload(r.Context(), f)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	names, err := p.counsellorNames(r, v)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "export_participants", "centre", v.CentreID) {
		return
	}
	p.download(w, r, "text/csv; charset=utf-8", "caseload.csv", func(w io.Writer) error {
		out := csv.NewWriter(w)
		if r.URL.Query().Get("delimiter") == "semicolon" {
			out.Comma = ';'
			if _, err := io.WriteString(w, "\uFEFF"); err != nil {
				return err
			}
		}
		if err := out.Write([]string{t(lang, "work.participant"), t(lang, "dossier.phase"), t(lang, "dossier.counsellor"), t(lang, "work.actor"), t(lang, "work.due")}); err != nil {
			return err
		}
		for _, row := range rows {
			cr := p.caseloadRow(lang, row, names)
			due := ""
			if row.NextDeadline != nil {
				due = shortDate(*row.NextDeadline)
			}
			if err := out.Write([]string{cr.Name, cr.Phase, cr.Counsellor, cr.NextActor, due}); err != nil {
				return err
			}
		}
		out.Flush()
		return out.Error()
	})
}

func (p *pages) caseloadRow(lang string, row store.CaseloadRow, names map[string]string) caseloadRow {
	cr := caseloadRow{CaseloadRow: row, Name: row.GivenName + " " + row.FamilyName}
	if row.Phase != nil {
		cr.Phase = t(lang, "phase."+*row.Phase)
	}
	if row.CounsellorID != nil {
		cr.Counsellor = names[*row.CounsellorID]
	}
	if row.NextActor != nil {
		cr.NextActor = t(lang, "actor."+*row.NextActor)
	}
	return cr
}

// counsellorNames maps the centre's counsellors' IDs to their names.
func (p *pages) counsellorNames(r *http.Request, v viewer) (map[string]string, error) {
	users, err := p.store.Users(r.Context(), v.CentreID)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, u := range users {
		if u.Role == domain.RoleCounsellor {
			names[u.ID] = u.DisplayName
		}
	}
	return names, nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
