package web

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/stats"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// The pages of a host organisation's users: their Article 60 workers of
// every centre, and a worker's page where the host records absences and
// trainings. A host user sees what store.HostWorker holds and nothing
// more; a centre's staff never get these pages, nor a host user theirs.

func isHostRole(r domain.Role) bool { return slices.Contains(domain.HostRoles, r) }

// home is where a signed-in user lands: My work, a centre's staff's or a
// host's.
func (p *pages) home(w http.ResponseWriter, r *http.Request) {
	if v, _ := viewerFrom(r.Context()); isHostRole(v.Role) {
		p.hostWork(w, r)
		return
	}
	p.myWork(w, r)
}

type hostWorkersView struct {
	Workers    []store.HostWorker
	Agreements []store.Agreement
	// Positions and Occupied are the totals over the agreements.
	Positions, Occupied int
}

// hostWorkers lists the host's workers of every centre, by contract end,
// and its agreements: each centre's positions and their occupancy.
func (p *pages) hostWorkers(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	workers, err := p.store.HostWorkers(r.Context(), v.HostID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	agreements, err := p.store.HostAgreements(r.Context(), v.HostID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.auditIn(w, r, "", "list_host_workers", "host", v.HostID) {
		return
	}
	view := hostWorkersView{Workers: workers, Agreements: agreements}
	view.Positions, view.Occupied = store.AgreementTotals(agreements)
	p.render(w, r, http.StatusOK, "hostworkers.html", "hostworkers.title", view)
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

// hostForms are what a host records on its worker while the contract
// runs: an absence whose days do not count (they move the contract end, as
// the working-days rule says), a training of the skills plan done, a check
// due before the end, a problem for the counsellor; and, until recorded,
// that it hires the worker, also in the follow-up after the contract. Each
// with the path it is sent to under /host/workers/{id}/.
func hostForms(wk store.HostWorker) []workerForm {
	byOp := map[string]casework.Action{}
	for _, a := range append(slices.Clone(casework.Actions), casework.HostActions...) {
		byOp[a.OperationID] = a
	}
	var forms []workerForm
	if !wk.Ended {
		forms = append(forms, workerForm{"absences", actionForm{byOp["recordAbsence"], "form.record_absence", []field{
			{Name: "kind", Kind: "select", Required: true, Options: options("absence", "unpaid_sickness", "unjustified", "unpaid_leave", "suspension")},
			{Name: "days", Kind: "number", Required: true}}, nil}})
		var codes []option
		for _, tr := range wk.Trainings {
			if tr.DoneOn == nil {
				codes = append(codes, option{tr.Code, tr.Code})
			}
		}
		// the codes; the page names them in its language (hostWorkerPage)
		if len(codes) > 0 {
			forms = append(forms, workerForm{"trainings", actionForm{byOp["recordTraining"], "form.record_training", []field{
				{Name: "code", Kind: "select", Required: true, Options: codes}, {Name: "done_on", Kind: "date", Required: true}}, nil}})
		}
		if len(wk.ChecksDue) > 0 {
			var due []option
			for _, c := range wk.ChecksDue {
				due = append(due, option{strconv.Itoa(c.N), strconv.Itoa(c.N)})
			}
			forms = append(forms, workerForm{"checks", actionForm{byOp["recordHostCheck"], "form.record_host_check", []field{
				{Name: "n", Kind: "nselect", Required: true, Options: due},
				{Name: "held_on", Kind: "date", Required: true},
				{Name: "attendance", Kind: "select", Required: true, Options: options("check.attendance", workflows.CheckAttendance...)},
				{Name: "skills", Kind: "select", Required: true, Options: options("check.skills", workflows.CheckSkills...)},
				{Name: "hiring_chance", Kind: "select", Required: true, Options: options("check.hiring_chance", workflows.CheckHiringChance...)},
			}, nil}})
		}
		forms = append(forms, workerForm{"problems", actionForm{byOp["signalHostProblem"], "form.signal_problem", []field{
			{Name: "category", Kind: "select", Required: true, Options: options("signal", workflows.SignalCategories...)},
			{Name: "text", Kind: "textarea", Required: true}}, nil}})
	}
	if wk.Hiring == nil {
		forms = append(forms, workerForm{"hiring", actionForm{byOp["recordHiring"], "form.record_hiring", []field{
			{Name: "start", Kind: "date", Required: true},
			{Name: "employment", Kind: "select", Required: true, Options: options("employment", workflows.Employments...)}}, nil}})
	}
	return forms
}

// workerForm is a form on a host's worker and the path under the worker it goes to.
type workerForm struct {
	Path string
	actionForm
}

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
		fv := newFormView(lang, f.actionForm, wk.Version, "/host/workers/"+wk.ID+"/"+f.Path, sent)
		for i := range fv.Fields {
			switch fv.Fields[i].Name {
			case "code":
				var codes []string
				for _, o := range f.Fields[0].Options {
					codes = append(codes, o.Value)
				}
				fv.Fields[i].Options = trainingOptions(lang, codes)
			case "n":
				for j, o := range f.Fields[0].Options {
					n, _ := strconv.Atoi(o.Value)
					fv.Fields[i].Options[j].Label = t(lang, "check.n", n)
				}
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
	month := p.month(r)
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
	if err != nil {
		f := casework.Explain(err)
		switch {
		case !f.Refused():
			p.failed(w, r, err, f)
		case f.Status == http.StatusUnprocessableEntity:
			p.showHostWorker(w, r, f.Status, &submission{Problem: t(lang, "attendance.invalid")})
		default:
			message := failureMessage(lang, f)
			for _, fp := range f.Fields {
				message = fieldMessage(lang, fp)
			}
			p.showHostWorker(w, r, f.Status, &submission{Problem: message})
		}
		return
	}
	p.sessions.Put(r.Context(), sessionFlash, tn(lang, "attendance.saved", len(days)))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// hostRecordPaths are the paths of the host's forms.
var hostRecordPaths = []string{"absences", "trainings", "checks", "problems", "hiring"}

// hostRecord sends a host form's write: POST /host/workers/{id}/{record}.
func (p *pages) hostRecord(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	if !slices.Contains(hostRecordPaths, chi.URLParam(r, "record")) {
		p.errorPage(w, r, http.StatusNotFound, t(lang, "error.notfound"))
		return
	}
	wk, err := p.store.HostWorkerByID(r.Context(), v.HostID, chi.URLParam(r, "id"))
	if !p.found(w, r, err) {
		return
	}
	var form *actionForm
	for _, f := range hostForms(wk) {
		if f.Path == chi.URLParam(r, "record") {
			form = &f.actionForm
		}
	}
	if form == nil { // nothing of the kind left to record
		p.errorPage(w, r, http.StatusConflict, t(lang, "hostworker.nothing"))
		return
	}
	p.sendAs(w, r, wk.ID, 0, form, "/host/workers/"+wk.ID, wk.CentreID, func(status int, sent *submission) { p.showHostWorker(w, r, status, sent) })
}

type hostReportView struct {
	Rows               []stats.HostRow
	FromValue, ToValue string
	Problem            string
}

// hostReport is the host's year as it reports it, across the centres it
// works with (?from=YYYY-MM&to=YYYY-MM, the last twelve months by default),
// and as CSV at /host/report.csv with the same range.
func (p *pages) hostReport(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	rg, problem := p.readRange(r)
	view := hostReportView{FromValue: r.URL.Query().Get("from"), ToValue: r.URL.Query().Get("to"), Problem: problem}
	if problem != "" {
		p.render(w, r, http.StatusBadRequest, "hostreport.html", "hostreport.title", view)
		return
	}
	view.FromValue, view.ToValue = rg.First.Format("2006-01"), rg.Last.Format("2006-01")
	rows, err := (stats.Reports{DB: p.store.Pool()}).HostOutcomes(r.Context(), v.HostID, rg.From, rg.To)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.auditIn(w, r, "", "read_host_report", "host", v.HostID) {
		return
	}
	view.Rows = rows
	if r.URL.Path == "/host/report.csv" {
		table := stats.HostTable(rows)
		p.download(w, r, "text/csv; charset=utf-8", table.FileName(), func(w io.Writer) error {
			return table.WriteCSV(w, r.URL.Query().Get("delimiter") == "semicolon")
		})
		return
	}
	p.render(w, r, http.StatusOK, "hostreport.html", "hostreport.title", view)
}

// month reads ?month=YYYY-MM, the attendance pages' month; this month when
// it is missing or malformed.
func (p *pages) month(r *http.Request) time.Time {
	if m, err := time.ParseInLocation("2006-01", r.URL.Query().Get("month"), p.loc); err == nil {
		return m
	}
	now := time.Now().In(p.loc)
	return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, p.loc)
}
