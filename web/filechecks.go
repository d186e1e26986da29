package web

import (
	"io"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/filecheck"
)

// The file check on the pages: its panel on the dossier, the centre's
// files at risk (/file-checks, coordinators) and their lines on My work.

// checkItem is one element of a file check, in words.
type checkItem struct {
	What, State string
	// Todo says what to do for it.
	Todo string
	// Class styles the state (met, late, ...): never shown as text.
	Class   string
	On, Due *time.Time
	Count   string // "2 / 3", empty where nothing counts
	// Period names the twelve months counted, in the pages that date
	// with numbers (My work writes its days in words).
	Period string
	Link   string
	AtRisk bool
}

// fileCheckPanel is the dossier's file check, for the panel.
type fileCheckPanel struct {
	Items []checkItem
	// AtRisk counts the elements that put the file at risk; Pending those
	// still to do in time, the first due on NextDue.
	AtRisk, Pending int
	NextDue         *time.Time
}

// elementWords names an element.
func elementWords(lang, name string) string { return t(lang, "filecheck.element."+name) }

// stateWords names an element's state.
func stateWords(lang string, s filecheck.State) string { return t(lang, "filecheck.state."+string(s)) }

// partLink is where on the dossier page an element's part is kept.
func partLink(id, part string, anchors map[string]bool) string {
	if anchors[part] {
		return "/dossiers/" + id + "#" + part
	}
	return "/dossiers/" + id + "#gpmi"
}

// checkItems puts a file check's elements into words, each linking to the
// dossier's part that holds it (anchors: the parts the page shows).
func checkItems(lang, id string, elements []filecheck.Element, horizon time.Time, anchors map[string]bool) []checkItem {
	out := make([]checkItem, 0, len(elements))
	for _, e := range elements {
		it := checkItem{What: elementWords(lang, e.Name), Todo: t(lang, "filecheck.todo."+e.Name), State: stateWords(lang, e.State), Class: string(e.State), On: e.On, Due: e.Due,
			Link: partLink(id, e.Part, anchors), AtRisk: e.AtRisk(horizon)}
		if e.Count != nil && e.Needed != nil {
			it.Count = t(lang, "filecheck.count", *e.Count, *e.Needed)
		}
		if e.Since != nil && e.Due != nil {
			// Which twelve months: the evaluations' and the face-to-face
			// counts may be judging different years.
			it.Period = t(lang, "filecheck.period", shortDate(*e.Since), shortDate(*e.Due))
		}
		out = append(out, it)
	}
	return out
}

// fileCheckSection reads the dossier's file check for its panel (nil for
// those who do not read it: the BCSD).
func (p *pages) fileCheckSection(r *http.Request, v viewer, id string, anchors map[string]bool) (*fileCheckPanel, error) {
	if v.Role != domain.RoleCounsellor && v.Role != domain.RoleCoordinator {
		return nil, nil
	}
	rep, err := p.work.FileCheck(r.Context(), p.caller(r), id, "")
	if err != nil {
		return nil, err
	}
	pol, err := p.store.LoadPolicy(r.Context(), v.CentreID)
	if err != nil {
		return nil, err
	}
	panel := &fileCheckPanel{Items: checkItems(p.lang(r), id, rep.Elements, pol.Inspection.AtRiskHorizon.After(rep.AsOf), anchors)}
	for i, it := range panel.Items {
		switch {
		case it.AtRisk:
			panel.AtRisk++
		case rep.Elements[i].State == filecheck.Due:
			panel.Pending++
			if it.Due != nil && (panel.NextDue == nil || it.Due.Before(*panel.NextDue)) {
				panel.NextDue = it.Due
			}
		}
	}
	return panel, nil
}

// option is one choice of a filter.
type fileCheckOption struct{ Value, Label string }

// riskLine is one dossier at risk on the page or My work.
type riskLine struct {
	casework.FileAtRisk
	Items []checkItem
}

// fileChecksView is the files-at-risk page.
type fileChecksView struct {
	List    casework.FilesAtRisk
	Lines   []riskLine
	Filters url.Values
	// Counsellors, Elements and States are the filters' choices; the
	// counts link to the list each gives.
	Counsellors, Elements, States []fileCheckOption
	ByCounsellor                  []fileCheckCount
	ByElement                     []fileCheckCount
	CSV, Excel                    string
}

type fileCheckCount struct {
	Label, Link string
	Files       int
}

// fileCheckQuery reads the page's filters.
func fileCheckQuery(q url.Values) casework.FileCheckQuery {
	return casework.FileCheckQuery{AsOf: q.Get("as_of"), Counsellor: q.Get("counsellor"), Element: q.Get("element"), State: q.Get("state")}
}

// fileChecksWith is the page's link with one filter changed.
func fileChecksWith(path string, q url.Values, name, value string) string {
	c := url.Values{}
	for _, k := range []string{"as_of", "counsellor", "element", "state"} {
		if v := q.Get(k); v != "" {
			c.Set(k, v)
		}
	}
	if name != "" {
		c.Set(name, value)
	}
	if len(c) == 0 {
		return path
	}
	return path + "?" + c.Encode()
}

// fileChecks is the centre's files at risk: the dossiers whose file would
// fail the inspection today or within the policy's horizon, filtered by
// counsellor, element and state, with the counts per counsellor and per
// element, each a link to its list, and the list as CSV and XLSX.
func (p *pages) fileChecks(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	q := r.URL.Query()
	list, err := p.work.FilesAtRisk(r.Context(), p.caller(r), fileCheckQuery(q))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	names, err := p.counsellorNames(r, v)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "read_file_checks", "centre", v.CentreID) {
		return
	}
	view := fileChecksView{List: list, Filters: q, CSV: fileChecksWith("/file-checks.csv", q, "", ""), Excel: fileChecksWith("/file-checks.xlsx", q, "", "")}
	view.Counsellors = []fileCheckOption{{"", t(lang, "filecheck.all")}, {casework.NoCounsellor, t(lang, "filecheck.nobody")}}
	var ids []string
	for id := range names {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return names[ids[a]] < names[ids[b]] })
	for _, id := range ids {
		view.Counsellors = append(view.Counsellors, fileCheckOption{id, names[id]})
	}
	view.Elements = []fileCheckOption{{"", t(lang, "filecheck.all")}}
	for _, e := range filecheck.Elements {
		view.Elements = append(view.Elements, fileCheckOption{e, elementWords(lang, e)})
	}
	view.States = []fileCheckOption{{"", t(lang, "filecheck.all")}}
	for _, s := range filecheck.RiskStates {
		view.States = append(view.States, fileCheckOption{string(s), stateWords(lang, s)})
	}
	for _, c := range list.ByCounsellor {
		label, value := c.Counsellor, c.CounsellorID
		if value == "" {
			label, value = t(lang, "filecheck.nobody"), casework.NoCounsellor
		}
		view.ByCounsellor = append(view.ByCounsellor, fileCheckCount{Label: label, Link: fileChecksWith("/file-checks", q, "counsellor", value), Files: c.Files})
	}
	for _, c := range list.ByElement {
		view.ByElement = append(view.ByElement, fileCheckCount{Label: elementWords(lang, c.Element), Link: fileChecksWith("/file-checks", q, "element", c.Element), Files: c.Files})
	}
	view.Lines = riskLines(lang, list)
	p.render(w, r, http.StatusOK, "filechecks.html", "filecheck.title", view)
}

// riskLines puts the files at risk into words.
func riskLines(lang string, list casework.FilesAtRisk) []riskLine {
	out := make([]riskLine, len(list.Files))
	for i, f := range list.Files {
		out[i] = riskLine{FileAtRisk: f, Items: checkItems(lang, f.ParticipantID, f.Elements, list.Horizon, nil)}
		for j := range out[i].Items {
			out[i].Items[j].Link = "/dossiers/" + f.ParticipantID + "#file-check"
		}
	}
	return out
}

// fileChecksDownload answers the files at risk as the page shows them, in
// its language: CSV (semicolons, for Excel in Belgium) or XLSX.
func (p *pages) fileChecksDownload(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	list, err := p.work.FilesAtRisk(r.Context(), p.caller(r), fileCheckQuery(r.URL.Query()))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "read_file_checks", "centre", v.CentreID) {
		return
	}
	words := casework.FileRiskWords{
		Header: []string{t(lang, "caseload.col.number"), t(lang, "filecheck.col.family_name"), t(lang, "filecheck.col.given_name"), t(lang, "dossier.counsellor"),
			t(lang, "filecheck.col.element"), t(lang, "filecheck.col.state"), t(lang, "filecheck.col.due"), t(lang, "filecheck.col.on"),
			t(lang, "filecheck.col.count"), t(lang, "filecheck.col.needed")},
		Element: func(s string) string { return elementWords(lang, s) },
		State:   func(s filecheck.State) string { return stateWords(lang, s) },
		Date:    func(d time.Time) string { return shortDate(d) },
	}
	table := list.Table(t(lang, "filecheck.title"), words)
	name := "traject-" + t(lang, "filecheck.file") + "-" + list.AsOf.Format("2006-01-02")
	if r.URL.Path == "/file-checks.xlsx" {
		p.download(w, r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx", func(w io.Writer) error { return table.WriteXLSX(w) })
		return
	}
	p.download(w, r, "text/csv; charset=utf-8", name+".csv", table.WriteCSV)
}
