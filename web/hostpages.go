package web

import (
	"errors"
	"net/http"
	"slices"

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
	if errors.Is(err, store.ErrNotFound) {
		p.errorPage(w, r, http.StatusNotFound, t(lang, "error.notfound"))
		return
	} else if err != nil {
		p.fail(w, r, err)
		return
	}
	// The worker's centre must see who read its worker.
	if !p.auditIn(w, r, wk.CentreID, "read_host_worker", "participant", wk.ID) {
		return
	}
	view := hostWorkerView{Worker: wk}
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
	if errors.Is(err, store.ErrNotFound) {
		p.errorPage(w, r, http.StatusNotFound, t(lang, "error.notfound"))
		return
	} else if err != nil {
		p.fail(w, r, err)
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
