package casework

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/export"
	"github.com/traject-ocmw/traject/filecheck"
	"github.com/traject-ocmw/traject/store"
)

// The files at risk: the dossiers whose file would fail the inspection
// today, or will within the policy's horizon. A coordinator reads the
// centre's (the page /file-checks, GET /v1/file-checks), a counsellor
// their own (My work); both doors ask here.

// FileCheckQuery filters the files at risk. Every field is optional:
// AsOf a day (YYYY-MM-DD, empty: today), Counsellor a counsellor's user
// ID ("none": the dossiers nobody holds), Element one of
// filecheck.Elements, State one of filecheck.RiskStates.
type FileCheckQuery struct {
	AsOf, Counsellor, Element, State string
}

// NoCounsellor is the Counsellor filter of the dossiers nobody holds.
const NoCounsellor = "none"

// FileAtRisk is one dossier at risk and the elements that put it there.
type FileAtRisk struct {
	ParticipantID string `json:"participant_id"`
	DossierNumber int    `json:"dossier_number"`
	GivenName     string `json:"given_name"`
	FamilyName    string `json:"family_name"`
	CounsellorID  string `json:"counsellor_id,omitempty"`
	Counsellor    string `json:"counsellor,omitempty"`
	// Elements are the elements at risk that match the filters, in the
	// order the inspection reads a file.
	Elements []filecheck.Element `json:"elements"`
	// Earliest is the earliest day one of them was or is due; nil when
	// none has a day (a record missing now).
	Earliest *time.Time `json:"earliest,omitempty"`
}

// FilesAtRisk are a centre's files at risk as of a day, with their counts.
type FilesAtRisk struct {
	AsOf time.Time `json:"as_of"`
	// Horizon is the last day an element due counts as at risk.
	Horizon time.Time    `json:"horizon"`
	Files   []FileAtRisk `json:"files"`
	// ByCounsellor counts the files per counsellor, and ByElement per
	// element, each among the files the other filters keep: a count is
	// the length of the list its filter gives.
	ByCounsellor []CounsellorCount `json:"by_counsellor"`
	ByElement    []ElementCount    `json:"by_element"`
}

// CounsellorCount is how many files at risk a counsellor holds (empty ID:
// nobody holds them).
type CounsellorCount struct {
	CounsellorID string `json:"counsellor_id,omitempty"`
	Counsellor   string `json:"counsellor,omitempty"`
	Files        int    `json:"files"`
}

// ElementCount is how many files at risk an element puts there.
type ElementCount struct {
	Element string `json:"element"`
	Files   int    `json:"files"`
}

// fileRiskReaders: a coordinator reads the centre's files at risk, a
// counsellor their own.
var fileRiskReaders = fileCheckReaders

// FilesAtRisk lists the files at risk the caller sees (a coordinator the
// centre's, a counsellor their own) as they stood at the end of the day
// asked, filtered by q. A closed trajectory's file is not listed: nothing
// can be done on it any more.
func (s *Service) FilesAtRisk(ctx context.Context, c Caller, q FileCheckQuery) (FilesAtRisk, error) {
	if !slices.Contains(fileRiskReaders, c.Role) || c.CentreID == "" {
		return FilesAtRisk{}, ErrForbidden
	}
	var bad []FieldProblem
	if q.Counsellor != "" && q.Counsellor != NoCounsellor {
		if _, err := uuid.Parse(q.Counsellor); err != nil {
			bad = append(bad, domain.Problem("counsellor", domain.NotID))
		}
	}
	if q.Element != "" && !slices.Contains(filecheck.Elements, q.Element) {
		bad = append(bad, domain.Problem("element", domain.OneOf, filecheck.Elements...))
	}
	if q.State != "" && !slices.Contains(filecheck.RiskStates, filecheck.State(q.State)) {
		states := make([]string, len(filecheck.RiskStates))
		for i, st := range filecheck.RiskStates {
			states[i] = string(st)
		}
		bad = append(bad, domain.Problem("state", domain.OneOf, states...))
	}
	if q.AsOf != "" {
		if _, err := time.Parse(time.DateOnly, q.AsOf); err != nil {
			bad = append(bad, domain.Problem("as_of", domain.NotDate))
		}
	}
	if len(bad) > 0 {
		return FilesAtRisk{}, &QueryError{Fields: bad}
	}
	pol, err := s.store.LoadPolicy(ctx, c.CentreID)
	if err != nil {
		return FilesAtRisk{}, err
	}
	loc := pol.Location()
	day, err := s.asOfDay(q.AsOf, loc)
	if err != nil {
		return FilesAtRisk{}, err
	}
	files, err := s.store.CentreFileChecks(ctx, store.ViewerOf(c.CentreID, c.UserID, c.Role), endOfDay(day, loc), loc)
	if err != nil {
		return FilesAtRisk{}, err
	}
	horizon := pol.Inspection.AtRiskHorizon.After(day)
	out := FilesAtRisk{AsOf: day, Horizon: horizon, Files: []FileAtRisk{}, ByCounsellor: []CounsellorCount{}, ByElement: []ElementCount{}}
	byCounsellor := map[string]*CounsellorCount{}
	byElement := map[string]int{}
	// Judged on every core, then counted in the store's order.
	reports := make([]*filecheck.Report, len(files))
	filecheck.Each(len(files), func(i int) {
		f := files[i]
		if len(f.Facts.Runs) == 0 || f.Facts.Runs[len(f.Facts.Runs)-1].PhaseOn(day) == "closed" {
			return
		}
		rep := filecheck.Check(f.Facts, pol, day)
		reports[i] = &rep
	})
	risky := make([]filecheck.Element, 0, len(filecheck.Elements))
	for i, f := range files {
		rep := reports[i]
		if rep == nil || !rep.AtRisk {
			continue
		}
		// The elements at risk in the state asked; then the counts each
		// filter leaves to the others.
		risky = risky[:0]
		for _, e := range rep.Elements {
			if e.AtRisk(horizon) && (q.State == "" || string(e.State) == q.State) {
				risky = append(risky, e)
			}
		}
		counsellorMatches := q.Counsellor == "" || q.Counsellor == f.CounsellorID || q.Counsellor == NoCounsellor && f.CounsellorID == ""
		elementMatches := false
		for _, e := range risky {
			elementMatches = elementMatches || q.Element == "" || e.Name == q.Element
			if counsellorMatches {
				byElement[e.Name]++
			}
		}
		if len(risky) > 0 && elementMatches {
			cc := byCounsellor[f.CounsellorID]
			if cc == nil {
				cc = &CounsellorCount{CounsellorID: f.CounsellorID, Counsellor: f.Counsellor}
				byCounsellor[f.CounsellorID] = cc
			}
			cc.Files++
		}
		if !counsellorMatches || !elementMatches || len(risky) == 0 {
			continue
		}
		line := FileAtRisk{ParticipantID: f.Facts.ParticipantID, DossierNumber: f.Number, GivenName: f.Facts.GivenName, FamilyName: f.Facts.FamilyName,
			CounsellorID: f.CounsellorID, Counsellor: f.Counsellor}
		for _, e := range risky {
			if q.Element != "" && e.Name != q.Element {
				continue
			}
			line.Elements = append(line.Elements, e)
			if e.Due != nil && (line.Earliest == nil || e.Due.Before(*line.Earliest)) {
				line.Earliest = e.Due
			}
		}
		out.Files = append(out.Files, line)
	}
	// The files whose element has no day (missing now) first, then the
	// earliest day first; the store's order (by name) otherwise.
	slices.SortStableFunc(out.Files, func(a, b FileAtRisk) int {
		switch {
		case a.Earliest == nil || b.Earliest == nil:
			return cmp.Compare(boolRank(a.Earliest != nil), boolRank(b.Earliest != nil))
		}
		return a.Earliest.Compare(*b.Earliest)
	})
	for _, cc := range byCounsellor {
		out.ByCounsellor = append(out.ByCounsellor, *cc)
	}
	slices.SortFunc(out.ByCounsellor, func(a, b CounsellorCount) int {
		if a.CounsellorID == "" || b.CounsellorID == "" {
			return cmp.Compare(boolRank(a.CounsellorID == ""), boolRank(b.CounsellorID == ""))
		}
		return cmp.Or(cmp.Compare(a.Counsellor, b.Counsellor), cmp.Compare(a.CounsellorID, b.CounsellorID))
	})
	for _, name := range filecheck.Elements {
		if n := byElement[name]; n > 0 {
			out.ByElement = append(out.ByElement, ElementCount{Element: name, Files: n})
		}
	}
	return out, nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// FileRiskWords put the files at risk's codes into a reader's words: the
// API's downloads keep the codes and ISO days, the pages' the words and
// dates of their language.
type FileRiskWords struct {
	Header  []string // dossier number, family name, given name, counsellor, element, state, due, on, count, needed
	Element func(string) string
	State   func(filecheck.State) string
	Date    func(time.Time) string
}

// Table lays the files at risk out for export: one row per dossier and
// element at risk, so that a spreadsheet filters on either.
func (f FilesAtRisk) Table(sheet string, w FileRiskWords) export.Table {
	t := export.Table{Sheet: sheet, Header: w.Header, Rows: [][]string{}}
	date := func(d *time.Time) string {
		if d == nil {
			return ""
		}
		return w.Date(*d)
	}
	num := func(n *int) string {
		if n == nil {
			return ""
		}
		return strconv.Itoa(*n)
	}
	for _, file := range f.Files {
		for _, e := range file.Elements {
			t.Rows = append(t.Rows, []string{strconv.Itoa(file.DossierNumber), export.Inert(file.FamilyName), export.Inert(file.GivenName), export.Inert(file.Counsellor),
				w.Element(e.Name), w.State(e.State), date(e.Due), date(e.On), num(e.Count), num(e.Needed)})
		}
	}
	return t
}

// FileRiskCodes are the API's words: the codes themselves, days as
// YYYY-MM-DD.
var FileRiskCodes = FileRiskWords{
	Header:  []string{"dossier_number", "family_name", "given_name", "counsellor", "element", "state", "due", "on", "count", "needed"},
	Element: func(s string) string { return s },
	State:   func(s filecheck.State) string { return string(s) },
	Date:    func(d time.Time) string { return d.Format(time.DateOnly) },
}
