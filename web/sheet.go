package web

import (
	"net/http"
	"time"

	"github.com/traject-ocmw/traject/store"
)

// The monthly attendance sheet, printable: a centre's Article 60 workers
// (for a host: its workers of one centre) with each counted day of the
// month and the totals, as the centre needs it for the wages and the
// federal subsidy.

type sheetView struct {
	Month   string
	Centre  string
	Centres []option
	Days    []time.Time
	Rows    []sheetRow
	IsHost  bool
	Problem string
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
	view := sheetView{Month: month.Format("2006-01"), Centre: v.CentreID, IsHost: host}
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
	rows, err := p.store.AttendanceSheet(r.Context(), v.HostID, view.Centre, month, month.AddDate(0, 1, 0))
	if err != nil {
		p.fail(w, r, err)
		return
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
