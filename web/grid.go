package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/store"
)

// The month's attendance in one sitting: a host's grid per centre, its
// workers there as rows and the month's counted days as columns, each day
// "worked" until the host picks an exception, saved with one submit; then
// the host declares the month complete, which the centre reads on its
// monthly sheet. Each worker's changed days go through
// casework.RecordAttendance, the days that do not count each one workflow
// update, once.

// gridView is the grid page.
type gridView struct {
	Centre    string
	Centres   []option
	MonthName string
	// Month, PrevMonth and NextMonth are YYYY-MM for the links; NextMonth
	// is empty when it has not begun.
	Month, PrevMonth, NextMonth string
	Days                        []gridDay
	Rows                        []gridRow
	Statuses                    []gridStatus
	ToEnter                     int
	Over, Complete              bool
	Declaration                 *store.AttendanceDeclaration
	// Key names the submit for its retries; DeclareKey the declaration's.
	Key, DeclareKey string
	Flash, Problem  string
	// NoCentre: the host works with no centre yet.
	NoCentre bool
}

// gridDay is a column: the weekday's initial and the day of the month,
// the whole date for a screen reader and a tooltip.
type gridDay struct {
	Initial string
	Number  int
	Long    string
}

type gridRow struct {
	ID, Name string
	Cells    []gridCell
	ToEnter  int
	// Problem says why this worker's days were not kept.
	Problem string
}

// gridCell is one worker's day: a choice (Name, Value) when it is open,
// or what was recorded (Code, Title) when it is locked or closed.
type gridCell struct {
	Name, Label, Value string
	Code, Title        string
	Open, Locked       bool
}

// gridStatus is a status as the grid and the legend name it.
type gridStatus struct{ Value, Code, Label string }

// attendanceStatuses are the statuses in the page's language: their code
// (the sheet's and the grid's) and their name, in the one order.
func attendanceStatuses(lang string) []gridStatus {
	var out []gridStatus
	for _, st := range casework.AttendanceStatuses {
		out = append(out, gridStatus{st, t(lang, "sheet.code."+st), t(lang, "attendance."+st)})
	}
	return out
}

// gridCellName is a cell's form field: the worker and the day.
func gridCellName(worker string, day time.Time) string {
	return "d." + worker + "." + day.Format(time.DateOnly)
}

// hostCentres are the centres the host has an agreement with, by name.
func (p *pages) hostCentres(r *http.Request, hostID string) ([]option, error) {
	agreements, err := p.store.HostAgreements(r.Context(), hostID)
	if err != nil {
		return nil, err
	}
	var out []option
	for _, a := range agreements {
		if !slices.ContainsFunc(out, func(o option) bool { return o.Value == a.CentreID }) {
			out = append(out, option{a.CentreID, a.CentreName})
		}
	}
	return out, nil
}

// hostGrid serves GET /host/attendance?centre=&month=: this month and the
// first centre by default.
func (p *pages) hostGrid(w http.ResponseWriter, r *http.Request) {
	p.showGrid(w, r, http.StatusOK, r.URL.Query().Get("centre"), p.month(r), nil, nil)
}

// showGrid draws the grid of the centre's month; sent are the values of a
// submit sent back (by worker, day: status), failed its workers' problems.
func (p *pages) showGrid(w http.ResponseWriter, r *http.Request, status int, centre string, month time.Time, sent map[string]map[string]string, failed map[string]string) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	view := gridView{Key: newKey(), DeclareKey: newKey(), Statuses: attendanceStatuses(lang)}
	centres, err := p.hostCentres(r, v.HostID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	view.Centres = centres
	if len(centres) == 0 {
		view.NoCentre = true
		p.render(w, r, status, "grid.html", "grid.title", view)
		return
	}
	if !slices.ContainsFunc(centres, func(o option) bool { return o.Value == centre }) {
		centre = centres[0].Value
	}
	view.Centre = centre
	hm, err := p.work.HostMonth(r.Context(), v.HostID, centre, month)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.auditIn(w, r, centre, "read_attendance_grid", "centre", centre) {
		return
	}
	now := time.Now().In(p.loc)
	view.Month, view.MonthName = hm.Month.Format("2006-01"), monthWords(lang, hm.Month)
	view.PrevMonth = hm.Month.AddDate(0, -1, 0).Format("2006-01")
	if next := hm.Month.AddDate(0, 1, 0); !next.After(now) {
		view.NextMonth = next.Format("2006-01")
	}
	view.ToEnter, view.Over, view.Complete, view.Declaration = hm.ToEnter, hm.Over, hm.Complete(), hm.Declaration
	for _, d := range hm.Days {
		view.Days = append(view.Days, gridDay{Initial: weekdayInitial(lang, d), Number: d.Day(), Long: weekdayName(lang, d) + " " + longDate(lang, d)})
	}
	codes := map[string]gridStatus{}
	for _, st := range view.Statuses {
		codes[st.Value] = st
	}
	for _, row := range hm.Rows {
		name := row.Worker.GivenName + " " + row.Worker.FamilyName
		gr := gridRow{ID: row.Worker.ID, Name: name, ToEnter: row.ToEnter, Problem: failed[row.Worker.ID]}
		for i, c := range row.Cells {
			cell := gridCell{Open: c.Open && !c.Locked && hm.Declaration == nil, Locked: c.Locked}
			if cell.Open {
				cell.Name = gridCellName(row.Worker.ID, c.Day)
				cell.Label = name + ", " + view.Days[i].Long
				cell.Value = c.Status
				if cell.Value == "" {
					cell.Value = "present" // worked, unless the host picks an exception
				}
				if s, ok := sent[row.Worker.ID][c.Day.Format(time.DateOnly)]; ok && codes[s].Value != "" {
					cell.Value = s
				}
			} else if c.Status != "" {
				cell.Code, cell.Title = codes[c.Status].Code, codes[c.Status].Label
			}
			gr.Cells = append(gr.Cells, cell)
		}
		view.Rows = append(view.Rows, gr)
	}
	if len(failed) > 0 {
		view.Problem = t(lang, "grid.failed")
	} else if status == http.StatusOK {
		view.Flash = p.sessions.PopString(r.Context(), sessionFlash)
	}
	p.render(w, r, status, "grid.html", "grid.title", view)
}

// gridForm reads a grid's centre and month.
func (p *pages) gridForm(w http.ResponseWriter, r *http.Request) (centre string, month time.Time, ok bool) {
	lang := p.lang(r)
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return "", month, false
	}
	month, okMonth := p.work.ParseMonth(r.PostFormValue("month"))
	centre = r.PostFormValue("centre")
	if !okMonth || centre == "" {
		p.errorPage(w, r, http.StatusUnprocessableEntity, t(lang, "form.unreadable"))
		return "", month, false
	}
	return centre, month, true
}

// gridURL is the grid of a centre's month.
func gridURL(centre string, month time.Time) string {
	return "/host/attendance?centre=" + centre + "&month=" + month.Format("2006-01")
}

// saveHostGrid serves POST /host/attendance: the grid's days in one
// submit. A worker whose days are refused comes back with its problem and
// the values sent; the others are kept. Sent again (a retry, a second
// click), nothing changes twice.
func (p *pages) saveHostGrid(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	centre, month, ok := p.gridForm(w, r)
	if !ok {
		return
	}
	entries := map[string]map[string]string{}
	for name, values := range r.PostForm {
		rest, ok := strings.CutPrefix(name, "d.")
		worker, day, ok2 := strings.Cut(rest, ".")
		if !ok || !ok2 || len(values) == 0 {
			continue
		}
		if entries[worker] == nil {
			entries[worker] = map[string]string{}
		}
		entries[worker][day] = values[0]
	}
	caller := p.caller(r)
	caller.Key = r.PostFormValue("key")
	saved, failures, err := p.work.RecordMonth(r.Context(), caller, v.HostID, centre, month, entries)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			p.found(w, r, err)
			return
		}
		f := casework.Explain(err)
		if !f.Refused() {
			p.failed(w, r, err, f)
			return
		}
		p.errorPage(w, r, f.Status, failureMessage(lang, f))
		return
	}
	if len(failures) > 0 {
		failed := map[string]string{}
		status := http.StatusConflict
		for _, fl := range failures {
			f := casework.Explain(fl.Err)
			if !f.Refused() {
				p.failed(w, r, fl.Err, f)
				return
			}
			message := failureMessage(lang, f)
			for _, fp := range f.Fields {
				message = fieldMessage(lang, fp)
			}
			if f.Status == http.StatusUnprocessableEntity {
				status = f.Status
			}
			failed[fl.Worker.ID] = message
		}
		p.showGrid(w, r, status, centre, month, entries, failed)
		return
	}
	flash := tn(lang, "grid.saved", saved)
	if saved == 0 {
		flash = t(lang, "grid.unchanged")
	}
	p.sessions.Put(r.Context(), sessionFlash, flash)
	http.Redirect(w, r, gridURL(centre, month)+"#declare", http.StatusSeeOther)
}

// declareHostMonth serves POST /host/attendance/declaration: the host
// declares the centre's month complete.
func (p *pages) declareHostMonth(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	centre, month, ok := p.gridForm(w, r)
	if !ok {
		return
	}
	caller := p.caller(r)
	caller.Key = r.PostFormValue("key")
	_, _, err := p.work.DeclareMonth(r.Context(), caller, centre, month.Format("2006-01"))
	if err != nil {
		f := casework.Explain(err)
		if !f.Refused() {
			p.failed(w, r, err, f)
			return
		}
		message := failureMessage(lang, f)
		for _, fp := range f.Fields {
			message = fieldMessage(lang, fp)
		}
		p.errorPage(w, r, f.Status, message)
		return
	}
	p.sessions.Put(r.Context(), sessionFlash, t(lang, "grid.declared.flash", monthWords(lang, month)))
	http.Redirect(w, r, gridURL(centre, month)+"#declare", http.StatusSeeOther)
}

// hostWorkView is a host's My work: the months of attendance to enter or
// declare, per centre, and the checks due before a contract's end.
type hostWorkView struct {
	Months []hostWorkMonth
	Checks []hostWorkCheck
}

type hostWorkMonth struct {
	CentreName, Month, Link string
	ToEnter                 int
	Complete, Over          bool
}

type hostWorkCheck struct {
	Worker, Link string
	N            int
	Due          time.Time
	Overdue      bool
}

// hostWork is a host user's home: what they must do next, each line
// linking where it is done.
func (p *pages) hostWork(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	months, err := p.work.HostMonthsToDo(r.Context(), v.HostID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	workers, err := p.store.HostWorkers(r.Context(), v.HostID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.auditIn(w, r, "", "read_work", "host", v.HostID) {
		return
	}
	var view hostWorkView
	for _, hm := range months {
		if hm.ToEnter == 0 && !hm.Over {
			continue // entered up to today: nothing to do yet
		}
		link := gridURL(hm.CentreID, hm.Month)
		if hm.Complete() {
			link += "#declare"
		}
		view.Months = append(view.Months, hostWorkMonth{CentreName: hm.CentreName, Month: monthWords(lang, hm.Month), Link: link,
			ToEnter: hm.ToEnter, Complete: hm.Complete(), Over: hm.Over})
	}
	for _, wk := range workers {
		for _, c := range wk.ChecksDue {
			view.Checks = append(view.Checks, hostWorkCheck{Worker: wk.GivenName + " " + wk.FamilyName, Link: "/host/workers/" + wk.ID + "#checks",
				N: c.N, Due: c.Due, Overdue: c.Overdue})
		}
	}
	slices.SortStableFunc(view.Checks, func(a, b hostWorkCheck) int { return a.Due.Compare(b.Due) })
	p.render(w, r, http.StatusOK, "hostwork.html", "work.title", view)
}

// weekdayNames are the days' names from Sunday, as time.Weekday counts.
var weekdayNames = map[string][7]string{
	"nl": {"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"},
	"fr": {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
}

// weekdayName is the day's weekday: maandag, lundi.
func weekdayName(lang string, d time.Time) string {
	return weekdayNames[lang][d.In(brussels).Weekday()]
}

// weekdayInitial is the weekday as a calendar heads its column, in two
// letters so that none is read for another (one letter gives D for both
// dinsdag and donderdag): ma di wo do vr za zo, lu ma me je ve sa di.
func weekdayInitial(lang string, d time.Time) string {
	return weekdayName(lang, d)[:2]
}

// monthWords writes a month as people do: november 2026, novembre 2026.
func monthWords(lang string, m time.Time) string {
	return monthName(lang, m.In(brussels))
}
