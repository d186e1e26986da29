package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

// The monthly attendance sheet, printable: a centre's Article 60 workers
// (for a host: its workers of one centre) with each counted day of the
// month and the totals, as the centre needs it for the wages and the
// federal subsidy.

type sheetView struct {
	Month, MonthName string
	Centre           string
	Centres          []option
	Days             []time.Time
	Rows             []sheetRow
	IsHost           bool
	Problem          string
	Statuses         []gridStatus
	// Hosts are the hosts of the month's workers, each with its
	// declaration that the month is complete (nil: not yet); a host's
	// own sheet has its own only.
	Hosts []sheetHost
	// GridLink is where the host enters the month; DossierLinks: the
	// viewer opens the workers' dossiers.
	GridLink     string
	DossierLinks bool
}

type sheetHost struct {
	Name        string
	Declaration *store.AttendanceDeclaration
}

type sheetRow struct {
	store.SheetRow
	Cells                      []string
	Present, Paid, NotCounting int
}

func (p *pages) attendanceSheet(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	host := isHostRole(v.Role)
	month := p.month(r)
	view := sheetView{Month: month.Format("2006-01"), MonthName: monthWords(lang, month), Centre: v.CentreID, IsHost: host, Statuses: attendanceStatuses(lang),
		DossierLinks: slices.Contains(dossierReaders, v.Role)}
	if host {
		workers, err := p.store.HostWorkers(r.Context(), v.HostID)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		seen := map[string]bool{}
		for _, wk := range workers {
			if !seen[wk.CentreID] {
				seen[wk.CentreID] = true
				view.Centres = append(view.Centres, option{wk.CentreID, wk.CentreName})
			}
		}
		view.Centre = r.URL.Query().Get("centre")
		if view.Centre == "" && len(view.Centres) > 0 {
			view.Centre = view.Centres[0].Value
		}
		works, err := p.store.HostWorksWith(r.Context(), v.HostID, view.Centre)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		if !works {
			view.Problem = t(lang, "sheet.nocentre")
			p.render(w, r, http.StatusOK, "sheet.html", "sheet.title", view)
			return
		}
	}
	pol, err := p.store.LoadPolicy(r.Context(), view.Centre)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var counsellor string // a counsellor reads their own dossiers' workers
	if v.Role == domain.RoleCounsellor {
		counsellor = v.ID
	}
	rows, err := p.store.AttendanceSheet(r.Context(), v.HostID, view.Centre, counsellor, month, month.AddDate(0, 1, 0))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	declarations, err := p.store.AttendanceDeclarations(r.Context(), v.HostID, view.Centre, month)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if host {
		view.GridLink = gridURL(view.Centre, month)
		view.Hosts = []sheetHost{{}}
		if len(declarations) > 0 {
			view.Hosts[0] = sheetHost{Name: declarations[0].HostName, Declaration: &declarations[0]}
		}
	} else {
		view.Hosts = sheetHosts(rows, declarations)
	}
	if !p.auditIn(w, r, view.Centre, "read_attendance_sheet", "centre", view.Centre) {
		return
	}
	view.Days = pol.Article60.CountedDays(month)
	for _, row := range rows {
		sr := sheetRow{SheetRow: row}
		sr.Cells, sr.Present, sr.Paid, sr.NotCounting = row.On(view.Days)
		view.Rows = append(view.Rows, sr)
	}
	p.render(w, r, http.StatusOK, "sheet.html", "sheet.title", view)
}

// sheetHosts are the hosts of the sheet's workers and those that declared
// the month, by name, each with its declaration.
func sheetHosts(rows []store.SheetRow, declarations []store.AttendanceDeclaration) []sheetHost {
	var out []sheetHost
	seen := map[string]bool{}
	for i := range declarations {
		seen[declarations[i].HostID] = true
		out = append(out, sheetHost{Name: declarations[i].HostName, Declaration: &declarations[i]})
	}
	for _, r := range rows {
		if r.HostID != "" && !seen[r.HostID] {
			seen[r.HostID] = true
			out = append(out, sheetHost{Name: r.HostName})
		}
	}
	slices.SortStableFunc(out, func(a, b sheetHost) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out
}
