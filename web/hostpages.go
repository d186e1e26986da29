package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// The pages of a host organisation's users: their Article 60 workers of
// every centre, and a worker's page where the host records absences and
// trainings. A host user sees what store.HostWorker holds and nothing
// more; a centre's staff never get these pages, nor a host user theirs.

func isHostRole(r workflows.Role) bool { return slices.Contains(workflows.HostRoles, r) }

// home is where a signed-in user lands: My work for a centre's staff, the
// workers' list for a host's.
func (p *pages) home(w http.ResponseWriter, r *http.Request) {
	if v, _ := viewerFrom(r.Context()); isHostRole(v.Role) {
		http.Redirect(w, r, "/host", http.StatusSeeOther)
		return
	}
	p.myWork(w, r)
}

func (p *pages) hostStaffOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v, _ := viewerFrom(r.Context()); !isHostRole(v.Role) {
			p.errorPage(w, r, http.StatusForbidden, t(p.lang(r), "error.forbidden"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (p *pages) centreStaffOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v, _ := viewerFrom(r.Context()); isHostRole(v.Role) {
			p.errorPage(w, r, http.StatusForbidden, t(p.lang(r), "error.forbidden"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

type hostWorkersView struct {
	Workers []store.HostWorker
}

// hostWorkers lists the host's workers of every centre, by contract end.
func (p *pages) hostWorkers(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	workers, err := p.store.HostWorkers(r.Context(), v.HostID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.auditIn(w, r, "", "list_host_workers", "host", v.HostID) {
		return
	}
	p.render(w, r, http.StatusOK, "hostworkers.html", "hostworkers.title", hostWorkersView{Workers: workers})
}

type hostWorkerView struct {
	Worker  store.HostWorker
	Forms   []formView
	Flash   string
	Problem string
	Errors  []fieldView
	// Attendance is the month's grid: a row per counted day up to today.
	Month, PrevMonth, NextMonth string
	Attendance                  []attendanceRow
	Statuses                    []option
	AttendanceKey               string
}

// attendanceRow is one day of the grid: its status as recorded, and
// whether it may still change (a day that did not count may not).
type attendanceRow struct {
	Day           time.Time
	Field, Status string
	Locked        bool
}

// hostForms are what a host records on its worker: an absence whose days
// do not count (they move the contract end, as the working-days rule
// says), and a training of the skills plan done.
func hostForms(wk store.HostWorker) []actionForm {
	byOp := map[string]casework.Action{}
	for _, a := range casework.Actions {
		byOp[a.OperationID] = a
	}
	var codes []string
	for _, tr := range wk.Trainings {
		if tr.DoneOn == nil {
			codes = append(codes, tr.Code)
		}
	}
	forms := []actionForm{{byOp["recordAbsence"], "form.record_absence", []field{
		{Name: "kind", Kind: "select", Required: true, Options: options("absence", "unpaid_sickness", "unjustified", "unpaid_leave", "suspension")},
		{Name: "days", Kind: "number", Required: true}}, nil}}
	if len(codes) > 0 {
		var opts []option
		for _, c := range codes {
			opts = append(opts, option{c, c})
		}
		forms = append(forms, actionForm{byOp["recordTraining"], "form.record_training", []field{
			{Name: "code", Kind: "select", Required: true, Options: opts}, {Name: "done_on", Kind: "date", Required: true}}, nil})
	}
	return forms
}

// hostRecordPaths map a host form's path to its operation.
var hostRecordPaths = map[string]string{"absences": "recordAbsence", "trainings": "recordTraining"}

func (p *pages) hostWorker(w http.ResponseWriter, r *http.Request) {
	p.showHostWorker(w, r, http.StatusOK, nil)
}

func (p *pages) showHostWorker(w http.ResponseWriter, r *http.Request, status int, sent *submission) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	wk, err := p.store.HostWorkerByID(r.Context(), v.HostID, chi.URLParam(r, "id"))
	if !p.found(w, r, err) {
		return
	}
	// The worker's centre must see who read its worker.
	if !p.auditIn(w, r, wk.CentreID, "read_host_worker", "participant", wk.ID) {
		return
	}
	view := hostWorkerView{Worker: wk, AttendanceKey: newKey()}
	if err := p.attendanceGrid(r, &view); err != nil {
		p.fail(w, r, err)
		return
	}
	for _, f := range hostForms(wk) {
		path := "absences"
		if f.Action.OperationID == "recordTraining" {
			path = "trainings"
		}
		fv := newFormView(lang, f, wk.Version, "/host/workers/"+wk.ID+"/"+path, sent)
		for i := range fv.Fields {
			if fv.Fields[i].Name == "code" { // training codes are shown as they are
				fv.Fields[i].Options = f.Fields[0].Options
			}
		}
		view.Forms = append(view.Forms, fv)
	}
	if sent != nil {
		view.Problem, view.Errors = sent.Problem, formErrors(view.Forms)
	} else {
		view.Flash = p.sessions.PopString(r.Context(), sessionFlash)
	}
	p.render(w, r, status, "hostworker.html", "hostworker.title", view)
}

// attendanceGrid fills the month (?month=YYYY-MM, default this one): the
// counted days of the working-days rule, from the contract's start to
// today, each with what was recorded.
func (p *pages) attendanceGrid(r *http.Request, view *hostWorkerView) error {
	wk := view.Worker
	now := time.Now().In(p.loc)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, p.loc)
	if m, err := time.ParseInLocation("2006-01", r.URL.Query().Get("month"), p.loc); err == nil {
		month = m
	}
	view.Month = month.Format("2006-01")
	view.PrevMonth = month.AddDate(0, -1, 0).Format("2006-01")
	if next := month.AddDate(0, 1, 0); !next.After(now) {
		view.NextMonth = next.Format("2006-01")
	}
	pol, err := p.store.LoadPolicy(r.Context(), wk.CentreID)
	if err != nil {
		return err
	}
	recorded, err := p.store.Attendance(r.Context(), wk.ID, month, month.AddDate(0, 1, 0))
	if err != nil {
		return err
	}
	status := map[string]string{}
	for _, d := range recorded {
		status[d.Day.Format(time.DateOnly)] = d.Status
	}
	start := wk.Start.In(p.loc)
	first := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, p.loc)
	for _, d := range pol.Article60.CountedDays(month) {
		if d.Before(first) || d.After(now) {
			continue
		}
		date := d.Format(time.DateOnly)
		view.Attendance = append(view.Attendance, attendanceRow{Day: d, Field: "day-" + date, Status: status[date],
			Locked: slices.Contains(store.NonCountingStatuses, status[date])})
	}
	lang := p.lang(r)
	view.Statuses = []option{{"", t(lang, "attendance.none")}}
	for _, st := range append(slices.Clone(store.CountingStatuses), store.NonCountingStatuses...) {
		view.Statuses = append(view.Statuses, option{st, t(lang, "attendance."+st)})
	}
	return nil
}

// hostAttendance keeps the grid's days: POST /host/workers/{id}/attendance.
// Only the days changed are sent; the non-counting ones move the contract
// end through the workflow.
func (p *pages) hostAttendance(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	wk, err := p.store.HostWorkerByID(r.Context(), v.HostID, chi.URLParam(r, "id"))
	if !p.found(w, r, err) {
		return
	}
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	month, err := time.ParseInLocation("2006-01", r.PostFormValue("month"), p.loc)
	if err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	recorded, err := p.store.Attendance(r.Context(), wk.ID, month, month.AddDate(0, 1, 0))
	if err != nil {
		p.fail(w, r, err)
		return
	}
	old := map[string]string{}
	for _, d := range recorded {
		old[d.Day.Format(time.DateOnly)] = d.Status
	}
	var days []casework.AttendanceDay
	for name, values := range r.PostForm {
		date, ok := strings.CutPrefix(name, "day-")
		if !ok || len(values) == 0 || values[0] == "" || values[0] == old[date] {
			continue
		}
		days = append(days, casework.AttendanceDay{Day: date, Status: values[0]})
	}
	back := "/host/workers/" + wk.ID + "?month=" + month.Format("2006-01")
	if len(days) == 0 {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	caller := p.caller(r)
	caller.CentreID, caller.Key = wk.CentreID, r.PostFormValue("key")
	err = p.work.RecordAttendance(r.Context(), caller, wk, v.HostID, days, p.loc)
	var invalid *store.InvalidError
	var conflict *store.ConflictError
	switch {
	case errors.As(err, &invalid):
		p.showHostWorker(w, r, http.StatusUnprocessableEntity, &submission{Problem: t(lang, "attendance.invalid")})
		return
	case errors.As(err, &conflict):
		p.showHostWorker(w, r, http.StatusConflict, &submission{Problem: conflict.Detail})
		return
	case err != nil:
		p.fail(w, r, err)
		return
	}
	p.sessions.Put(r.Context(), sessionFlash, t(lang, "attendance.saved", len(days)))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// hostRecord sends a host form's write: POST /host/workers/{id}/{record}.
func (p *pages) hostRecord(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	op, ok := hostRecordPaths[chi.URLParam(r, "record")]
	if !ok {
		p.errorPage(w, r, http.StatusNotFound, t(lang, "error.notfound"))
		return
	}
	wk, err := p.store.HostWorkerByID(r.Context(), v.HostID, chi.URLParam(r, "id"))
	if !p.found(w, r, err) {
		return
	}
	var form *actionForm
	for _, f := range hostForms(wk) {
		if f.Action.OperationID == op {
			form = &f
		}
	}
	if form == nil { // no training left to record
		p.errorPage(w, r, http.StatusConflict, t(lang, "hostworker.nothing"))
		return
	}
	p.sendAs(w, r, wk.ID, 0, form, "/host/workers/"+wk.ID, wk.CentreID, func(status int, sent *submission) { p.showHostWorker(w, r, status, sent) })
}
