package web

import (
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/export"
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
	if c := q.Get("civic_integration"); slices.Contains(store.CivicObligations, c) {
		f.CivicIntegration = c
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
	if s := q.Get("sort"); slices.Contains(store.CaseloadSorts, strings.TrimPrefix(s, "-")) {
		f.Sort = s
	}
	if !store.CleanText(f.Name) {
		f.Name = ""
	}
	keep("phase", f.Phase)
	keep("next_actor", f.NextActor)
	keep("counsellor", f.CounsellorID)
	keep("host", f.HostID)
	keep("civic_integration", f.CivicIntegration)
	keep("q", f.Name)
	keep("sort", f.Sort)
	if !before.IsZero() {
		keep("due", q.Get("due"))
	}
	return f, kept
}

type caseloadView struct {
	Rows    []caseloadRow
	Filters url.Values
	Phases  []option
	Actors  []option
	// Civic are the civic integration's choices, where the centre's
	// policy records it (nil elsewhere).
	Civic       []option
	Counsellors []option
	Hosts       []option
	Dues        []option
	// Total counts the dossiers the filters match, over all pages.
	Total int
	// Columns are the table's headers, the sortable ones with the link
	// that sorts by them.
	Columns    []caseloadColumn
	NextPage   string
	CSV, Excel string
	// ByCounsellor: the viewer sees more than one caseload, and filters.
	ByCounsellor bool
	// Reassign: coordinators move ticked dossiers to another counsellor.
	Reassign   bool
	Key, Query string
	Targets    []option
	Flash      string
}

// caseloadColumn is one header of the caseload's table.
type caseloadColumn struct {
	Label string
	// Link sorts by the column (empty: the column does not sort); Sorted
	// is the aria-sort of the column the list is sorted by.
	Link, Sorted string
}

type caseloadRow struct {
	store.CaseloadRow
	Name, Phase, Counsellor, NextActor string
	Birth                              time.Time
	// NationalNumber is the whole number when the search was by it, else
	// its last four digits (Masked).
	NationalNumber string
	Masked         bool
	Tags           []option
}

// caseloadColumns are the table's headers: each sortable one links to the
// list sorted by it, the other way round when it is sorted by it already.
func caseloadColumns(lang string, kept url.Values, byCounsellor bool) []caseloadColumn {
	out := []caseloadColumn{
		sortColumn(lang, kept, "caseload.col.number", store.SortNumber),
		sortColumn(lang, kept, "caseload.col.name", store.SortName),
		sortColumn(lang, kept, "caseload.col.birth", store.SortBirthDate),
		{Label: t(lang, "caseload.col.national_number")},
		{Label: t(lang, "caseload.col.status")},
		{Label: t(lang, "dossier.phase")},
	}
	if byCounsellor {
		out = append(out, caseloadColumn{Label: t(lang, "dossier.counsellor")})
	}
	return append(out, caseloadColumn{Label: t(lang, "work.actor")}, sortColumn(lang, kept, "caseload.next", store.SortDeadline))
}

// sortColumn is the header of a column the list sorts by: sorted (aria)
// when the list is, and a link to the list sorted by it, descending when
// it is sorted ascending by it now.
func sortColumn(lang string, kept url.Values, labelKey, sort string) caseloadColumn {
	current := kept.Get("sort")
	if current == "" {
		current = store.SortNumber
	}
	c := caseloadColumn{Label: t(lang, labelKey)}
	next := cloneValues(kept)
	switch current {
	case sort:
		c.Sorted = "ascending"
		next.Set("sort", "-"+sort)
	case "-" + sort:
		c.Sorted = "descending"
		next.Set("sort", sort)
	default:
		next.Set("sort", sort)
	}
	if next.Get("sort") == store.SortNumber {
		next.Del("sort") // the default order
	}
	c.Link = "/caseload?" + next.Encode()
	return c
}

// caseload is the list of dossiers the viewer may see, filtered on phase,
// who must act, counsellor, host, deadline window, and searched by name,
// dossier number or national register number; sorted by a column, a page
// at a time, with the count of all pages, and downloadable as CSV with the
// same filters. The query is kept in the session, for the dossier's link
// back to the list.
func (p *pages) caseload(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	f, kept := p.caseloadFilter(r, v, caseloadPage)
	rows, err := p.store.Caseload(r.Context(), f)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	total := len(rows)
	if f.After != "" || total == caseloadPage {
		if total, err = p.store.CaseloadTotal(r.Context(), f); err != nil {
			p.fail(w, r, err)
			return
		}
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
	view := caseloadView{Filters: kept, Total: total, Dues: []option{{"", t(lang, "caseload.any")}, {"overdue", t(lang, "work.overdue")}, {"today", t(lang, "caseload.due.today")}, {"week", t(lang, "caseload.due.week")}}}
	view.Phases = []option{{"", t(lang, "caseload.any")}}
	for _, ph := range workflows.Phases {
		view.Phases = append(view.Phases, option{string(ph), t(lang, "phase."+string(ph))})
	}
	view.Actors = []option{{"", t(lang, "caseload.any")}}
	for _, a := range domain.NextActors {
		view.Actors = append(view.Actors, option{string(a), t(lang, "actor."+string(a))})
	}
	pol, err := p.store.LoadPolicy(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	centre, err := p.store.Centre(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if pol.CivicIntegration.AppliesIn(centre.Region) {
		view.Civic = []option{{"", t(lang, "caseload.any")}}
		for _, c := range store.CivicObligations {
			view.Civic = append(view.Civic, option{c, t(lang, "civic.obligation."+c)})
		}
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
	whole, _ := store.Search(f.Name)
	for _, row := range rows {
		view.Rows = append(view.Rows, p.caseloadRow(lang, row, names, whole == store.SearchNationalNumber))
	}
	if len(rows) == caseloadPage {
		next := cloneValues(kept)
		next.Set("after", rows[len(rows)-1].ID)
		view.NextPage = "/caseload?" + next.Encode()
	}
	view.ByCounsellor = v.Role != domain.RoleCounsellor
	view.Columns = caseloadColumns(lang, kept, view.ByCounsellor)
	if may(v, "POST", "/caseload/reassign") {
		view.Reassign, view.Key, view.Query = true, newKey(), kept.Encode()
		view.Targets = view.Counsellors[1:]
	}
	back := cloneValues(kept)
	if f.After != "" {
		back.Set("after", f.After)
	}
	p.sessions.Put(r.Context(), sessionCaseload, back.Encode())
	view.Flash = p.sessions.PopString(r.Context(), sessionFlash)
	view.CSV = "/caseload.csv?" + kept.Encode()
	excel := cloneValues(kept)
	excel.Set("delimiter", "semicolon")
	view.Excel = "/caseload.csv?" + excel.Encode()
	p.render(w, r, http.StatusOK, "caseload.html", "caseload.title", view)
}

// caseloadBack is the link back to the caseload as the viewer last left
// it: its filters, search, order and page.
func (p *pages) caseloadBack(r *http.Request) string {
	if q := p.sessions.GetString(r.Context(), sessionCaseload); q != "" {
		return "/caseload?" + q
	}
	return "/caseload"
}

// caseloadCSV writes the filtered list as CSV: UTF-8 with a header row, or
// with ?delimiter=semicolon what Belgian Excel opens (semicolons, a byte
// order mark). It holds the page's columns, the national number masked as
// there.
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
	whole, _ := store.Search(f.Name)
	p.download(w, r, "text/csv; charset=utf-8", "caseload.csv", func(w io.Writer) error {
		out := csv.NewWriter(w)
		if r.URL.Query().Get("delimiter") == "semicolon" {
			out.Comma = ';'
			if _, err := io.WriteString(w, "\uFEFF"); err != nil {
				return err
			}
		}
		header := []string{t(lang, "caseload.col.number"), t(lang, "caseload.col.name"), t(lang, "caseload.col.birth"), t(lang, "caseload.col.national_number"),
			t(lang, "caseload.col.status"), t(lang, "dossier.phase"), t(lang, "dossier.counsellor"), t(lang, "work.actor"), t(lang, "work.due")}
		if err := out.Write(header); err != nil {
			return err
		}
		for _, row := range rows {
			cr := p.caseloadRow(lang, row, names, whole == store.SearchNationalNumber)
			due := ""
			if row.NextDeadline != nil {
				due = shortDate(dueDay(*row.NextDeadline))
			}
			nn := cr.NationalNumber
			if cr.Masked {
				nn = nationalNumberMask + nn
			}
			var tags []string
			for _, tag := range cr.Tags {
				tags = append(tags, tag.Label)
			}
			if err := out.Write([]string{strconv.Itoa(row.Number), export.Inert(cr.Name), shortDate(cr.Birth), nn, strings.Join(tags, ", "),
				cr.Phase, export.Inert(cr.Counsellor), export.Inert(cr.NextActor), due}); err != nil {
				return err
			}
		}
		out.Flush()
		return out.Error()
	})
}

// nationalNumberMask stands for the digits of a national register number
// the caseload does not show: all but the last four.
const nationalNumberMask = "••.••.••-•"

func (p *pages) caseloadRow(lang string, row store.CaseloadRow, names map[string]string, wholeNationalNumber bool) caseloadRow {
	cr := caseloadRow{CaseloadRow: row, Name: row.FamilyName + ", " + row.GivenName}
	cr.Birth, _ = time.ParseInLocation(time.DateOnly, row.BirthDate, brussels)
	if nn := row.NationalNumber; len(nn) == 11 {
		if wholeNationalNumber {
			cr.NationalNumber = nn[0:2] + "." + nn[2:4] + "." + nn[4:6] + "-" + nn[6:9] + "." + nn[9:11]
		} else {
			cr.NationalNumber, cr.Masked = nn[7:9]+"."+nn[9:11], true
		}
	}
	if row.Phase != nil {
		cr.Phase = t(lang, "phase."+*row.Phase)
	}
	if row.CounsellorID != nil {
		cr.Counsellor = names[*row.CounsellorID]
	}
	if row.NextActor != nil {
		cr.NextActor = t(lang, "actor."+*row.NextActor)
	}
	for _, tag := range row.Tags {
		cr.Tags = append(cr.Tags, option{tag, t(lang, "caseload.tag."+tag)})
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
