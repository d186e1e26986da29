package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/store"
)

// The dossier's records of phases 3 and 4 (studies and training, student
// jobs, in-company training and entry traineeships) and its civic
// integration: listed on the dossier page with their forms, each written
// through the casework function the API calls.

// The forms, as the API names them.
const (
	opAddProgramme    = "addProgramme"
	opProgrammeResult = "recordProgrammeResult"
	opAddStudentJob   = "addStudentJob"
	opAddPlacement    = "addPlacement"
	opEndPlacement    = "endPlacement"
	opCivic           = "setCivicIntegration"
)

var (
	programmeFields = []field{
		{Name: "school", Kind: "text", Required: true, Label: "records.field.school"},
		{Name: "name", Kind: "text", Required: true, Label: "records.field.programme"},
		{Name: "starts_on", Kind: "date", Required: true, Label: "records.field.starts_on"},
		{Name: "expected_end_on", Kind: "date", Required: true, Label: "records.field.expected_end_on"},
	}
	resultFields = []field{
		{Name: "result", Kind: "select", Required: true, Label: "records.field.result", Options: options("study_result", store.StudyResults...)},
		{Name: "on", Kind: "date", Label: "records.field.result_on"},
	}
	studentJobFields = []field{
		{Name: "employer", Kind: "text", Required: true, Label: "records.field.employer"},
		{Name: "from", Kind: "date", Required: true, Label: "records.field.from"},
		{Name: "to", Kind: "date", Required: true, Label: "records.field.to"},
	}
	placementFields = []field{
		{Name: "kind", Kind: "select", Required: true, Label: "records.field.placement_kind", Options: options("placement_kind", store.PlacementKinds...)},
		{Name: "company", Kind: "text", Required: true, Label: "records.field.company"},
		{Name: "from", Kind: "date", Required: true, Label: "records.field.from"},
		{Name: "to", Kind: "date", Required: true, Label: "records.field.planned_to"},
	}
	placementEndFields = []field{
		{Name: "on", Kind: "date", Label: "records.field.ended_on"},
		{Name: "ended_early", Kind: "yesno", Required: true, Label: "records.field.ended_early", Options: options("records.early", "false", "true")},
	}
	civicFields = []field{
		{Name: "obligation", Kind: "select", Required: true, Label: "records.field.civic_obligation", Options: options("civic.obligation", store.CivicObligations...)},
		{Name: "referred_on", Kind: "date", Label: "records.field.civic_referred_on"},
		{Name: "status", Kind: "select", Required: true, Label: "records.field.civic_status", Options: options("civic.status", store.CivicStatuses...)},
	}
)

// recordForms are this file's forms, for the catalogue's test.
func recordForms() []actionForm {
	return []actionForm{
		pageForm(opAddProgramme, "form.add_programme", programmeFields),
		pageForm(opProgrammeResult, "form.programme_result", resultFields),
		pageForm(opAddStudentJob, "form.add_student_job", studentJobFields),
		pageForm(opAddPlacement, "form.add_placement", placementFields),
		pageForm(opEndPlacement, "form.end_placement", placementEndFields),
		pageForm(opCivic, "form.civic_integration", civicFields),
	}
}

// recordsView is the dossier's section of these records.
type recordsView struct {
	Shown      bool
	Programmes []programmeView
	Jobs       []store.StudentJob
	Placements []placementView
	Civic      *store.Civic
	// CivicApplies: the centre's policy records civic integration.
	CivicApplies                                 bool
	AddProgramme, AddJob, AddPlacement, SetCivic *formView
}

type programmeView struct {
	store.Programme
	ResultForm *formView
}

type placementView struct {
	store.Placement
	// Early: it ended before its planned end.
	Early bool
	End   *formView
}

// recordsSection builds the section: nothing for a viewer who may not
// read the records.
func (p *pages) recordsSection(w http.ResponseWriter, r *http.Request, v viewer, id string, sent *submission) (recordsView, bool) {
	lang := p.lang(r)
	recs, err := p.work.ReadPhaseRecords(r.Context(), p.caller(r), id)
	if errors.Is(err, casework.ErrForbidden) {
		return recordsView{}, true
	}
	if err != nil {
		p.fail(w, r, err)
		return recordsView{}, false
	}
	if !p.audit(w, r, "read_phase_records", "participant", id) {
		return recordsView{}, false
	}
	pol, err := p.store.LoadPolicy(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return recordsView{}, false
	}
	centre, err := p.store.Centre(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return recordsView{}, false
	}
	writer := slices.Contains(dossierWriters, v.Role)
	view := recordsView{Shown: true, Jobs: recs.StudentJobs, Civic: recs.Civic, CivicApplies: pol.CivicIntegration.AppliesIn(centre.Region)}
	base := "/dossiers/" + id
	form := func(op, title string, fields []field, action string) *formView {
		if !writer {
			return nil
		}
		fv := newFormView(lang, pageForm(op, title, fields), 0, action, sent)
		return &fv
	}
	// A dossier may hold several programmes and placements: each one's
	// form says which it is about.
	about := func(f *formView, subject string) *formView {
		if f != nil {
			f.Subject = subject
		}
		return f
	}
	for _, pr := range recs.Programmes {
		view.Programmes = append(view.Programmes, programmeView{Programme: pr,
			ResultForm: about(form(opProgrammeResult+"-"+pr.ID, "form.programme_result", resultFields, base+"/programmes/"+pr.ID+"/result"),
				t(lang, "records.about_programme", pr.Name, pr.School, shortDate(dateOf(pr.StartsOn))))})
	}
	for _, pl := range recs.Placements {
		view.Placements = append(view.Placements, placementView{Placement: pl, Early: pl.EndedEarly != nil && *pl.EndedEarly,
			End: about(form(opEndPlacement+"-"+pl.ID, "form.end_placement", placementEndFields, base+"/placements/"+pl.ID+"/end"),
				t(lang, "records.about_placement", t(lang, "placement_kind."+pl.Kind), pl.Company, shortDate(dateOf(pl.From))))})
	}
	view.AddProgramme = form(opAddProgramme, "form.add_programme", programmeFields, base+"/programmes")
	view.AddJob = form(opAddStudentJob, "form.add_student_job", studentJobFields, base+"/student-jobs")
	view.AddPlacement = form(opAddPlacement, "form.add_placement", placementFields, base+"/placements")
	if view.CivicApplies {
		view.SetCivic = form(opCivic, "form.civic_integration", civicFields, base+"/civic-integration")
		if view.SetCivic != nil && recs.Civic != nil && (sent == nil || sent.Operation != opCivic) {
			view.SetCivic.Fields[0].Value, view.SetCivic.Fields[2].Value = recs.Civic.Obligation, recs.Civic.Status
			if recs.Civic.ReferredOn != nil {
				view.SetCivic.Fields[1].Value = *recs.Civic.ReferredOn
			}
		}
	}
	return view, true
}

// allForms are the section's forms, for the error summary.
func (rv recordsView) allForms() []formView {
	var out []formView
	for _, f := range []*formView{rv.AddProgramme, rv.AddJob, rv.AddPlacement, rv.SetCivic} {
		if f != nil {
			out = append(out, *f)
		}
	}
	for _, pr := range rv.Programmes {
		if pr.ResultForm != nil {
			out = append(out, *pr.ResultForm)
		}
	}
	for _, pl := range rv.Placements {
		if pl.End != nil {
			out = append(out, *pl.End)
		}
	}
	return out
}

// saveRecord reads a form of the section into in and writes it with do;
// saved, back to the section, refused, the page with the form's problems.
func (p *pages) saveRecord(w http.ResponseWriter, r *http.Request, op, title string, fields []field, in any, do func(casework.Caller) error) {
	lang := p.lang(r)
	id := chi.URLParam(r, "id")
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	err := readForm(fields, r.PostForm, in, p.loc)
	if err == nil {
		caller := p.caller(r)
		caller.Key = r.PostFormValue("key")
		err = do(caller)
	}
	if err == nil {
		p.sessions.Put(r.Context(), sessionFlash, t(lang, "form.saved", t(lang, title)))
		http.Redirect(w, r, "/dossiers/"+url.PathEscape(id)+"#records", http.StatusSeeOther)
		return
	}
	sent, f, ok := p.refused(w, r, err, op)
	if !ok {
		return
	}
	p.showDossier(w, r, id, f.Status, sent)
}

func (p *pages) addProgramme(w http.ResponseWriter, r *http.Request) {
	var in casework.ProgrammeInput
	p.saveRecord(w, r, opAddProgramme, "form.add_programme", programmeFields, &in, func(c casework.Caller) error {
		_, err := p.work.AddProgramme(r.Context(), c, chi.URLParam(r, "id"), in)
		return err
	})
}

func (p *pages) recordProgrammeResult(w http.ResponseWriter, r *http.Request) {
	var in casework.ProgrammeResult
	pr := chi.URLParam(r, "programme")
	p.saveRecord(w, r, opProgrammeResult+"-"+pr, "form.programme_result", resultFields, &in, func(c casework.Caller) error {
		_, err := p.work.RecordProgrammeResult(r.Context(), c, chi.URLParam(r, "id"), pr, in)
		return err
	})
}

func (p *pages) addStudentJob(w http.ResponseWriter, r *http.Request) {
	var in casework.StudentJobInput
	p.saveRecord(w, r, opAddStudentJob, "form.add_student_job", studentJobFields, &in, func(c casework.Caller) error {
		_, err := p.work.AddStudentJob(r.Context(), c, chi.URLParam(r, "id"), in)
		return err
	})
}

func (p *pages) addPlacement(w http.ResponseWriter, r *http.Request) {
	var in casework.PlacementInput
	p.saveRecord(w, r, opAddPlacement, "form.add_placement", placementFields, &in, func(c casework.Caller) error {
		_, err := p.work.AddPlacement(r.Context(), c, chi.URLParam(r, "id"), in)
		return err
	})
}

func (p *pages) endPlacement(w http.ResponseWriter, r *http.Request) {
	var in casework.PlacementEnd
	pl := chi.URLParam(r, "placement")
	p.saveRecord(w, r, opEndPlacement+"-"+pl, "form.end_placement", placementEndFields, &in, func(c casework.Caller) error {
		_, err := p.work.EndPlacement(r.Context(), c, chi.URLParam(r, "id"), pl, in)
		return err
	})
}

func (p *pages) setCivicIntegration(w http.ResponseWriter, r *http.Request) {
	var in casework.CivicInput
	p.saveRecord(w, r, opCivic, "form.civic_integration", civicFields, &in, func(c casework.Caller) error {
		_, err := p.work.SetCivicIntegration(r.Context(), c, chi.URLParam(r, "id"), in)
		return err
	})
}
