package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// The intake, the personal details and the re-entry: casework's writes
// that are not a workflow update, in the pages.

// The forms' operations, as the API names them.
const (
	opCreate  = "createParticipant"
	opDetails = "updateParticipantDetails"
	opReentry = "reenterParticipant"
)

// intakeFields are the new dossier's fields in the order of the intake
// interview: who, how to reach them, the leefloon decision, who follows
// them. A counsellor opens dossiers in their own caseload: no choice.
func intakeFields(counsellors []option) []field {
	fs := []field{
		{Name: "national_number", Kind: "text", Required: true, Autocomplete: "off", Hint: "hint.national_number"},
		{Name: "given_name", Kind: "text", Required: true, Autocomplete: "off"},
		{Name: "family_name", Kind: "text", Required: true, Autocomplete: "off"},
		{Name: "birth_date", Kind: "date", Required: true},
		{Name: "gender", Kind: "select", Options: options("gender", "", "f", "m", "x")},
		{Name: "leefloon_decision_date", Kind: "date", Required: true},
		{Name: "leefloon_notified_date", Kind: "date", Hint: "hint.leefloon_notified_date"},
		{Name: "language", Kind: "select", Required: true, Options: options("language", "nl", "fr")},
		{Name: "email", Kind: "email", Autocomplete: "off"},
		{Name: "phone", Kind: "tel", Autocomplete: "off"},
		{Name: "street", Kind: "text", Autocomplete: "off"},
		{Name: "postcode", Kind: "text", Autocomplete: "off"},
		{Name: "municipality", Kind: "text", Autocomplete: "off"},
	}
	if counsellors != nil {
		fs = append(fs, field{Name: "counsellor_id", Kind: "select", Required: true, Label: "field.counsellor", Options: counsellors})
	}
	return fs
}

// detailsFields are the personal details staff change after the intake:
// who the person is (to correct what the intake got wrong) and how to
// reach them.
var detailsFields = []field{
	{Name: "national_number", Kind: "text", Required: true, Autocomplete: "off", Hint: "hint.national_number"},
	{Name: "given_name", Kind: "text", Required: true, Autocomplete: "off"},
	{Name: "family_name", Kind: "text", Required: true, Autocomplete: "off"},
	{Name: "birth_date", Kind: "date", Required: true},
	{Name: "gender", Kind: "select", Options: options("gender", "", "f", "m", "x")},
	{Name: "language", Kind: "select", Required: true, Options: options("language", "nl", "fr")},
	{Name: "email", Kind: "email", Autocomplete: "off"},
	{Name: "phone", Kind: "tel", Autocomplete: "off"},
	{Name: "street", Kind: "text", Autocomplete: "off"},
	{Name: "postcode", Kind: "text", Autocomplete: "off"},
	{Name: "municipality", Kind: "text", Autocomplete: "off"},
}

// reentryFields re-open a closed dossier on a new leefloon decision.
func reentryFields(counsellors []option) []field {
	fs := []field{
		{Name: "leefloon_decision_date", Kind: "date", Required: true},
		{Name: "leefloon_notified_date", Kind: "date"},
	}
	if counsellors != nil {
		fs = append(fs, field{Name: "counsellor_id", Kind: "select", Required: true, Label: "field.counsellor", Options: counsellors})
	}
	return fs
}

// pageForm is a form of this file: its operation, title and fields.
func pageForm(operation, titleKey string, fields []field) actionForm {
	return actionForm{Action: casework.Action{OperationID: operation}, TitleKey: titleKey, Fields: fields}
}

// pageForms are this file's forms with all their fields (a coordinator's
// intake), for the catalogue's test.
func pageForms() []actionForm {
	some := []option{{"", ""}}
	return append([]actionForm{
		pageForm(opCreate, "form.new_dossier", intakeFields(some)),
		pageForm(opDetails, "form.update_details", detailsFields),
		pageForm(opReentry, "form.reenter", reentryFields(some)),
		pageForm(opAddNote, "form.add_note", noteFields),
		pageForm(opCorrectNote, "form.correct_note", correctionFields),
		pageForm(opCorrectNote, "form.add_correction", addCorrectionFields),
		pageForm(opNeedsAnalysis, "form.needs_analysis", analysisFields()),
		pageForm(opRecordExtension, "form.gpmi_extension", extensionFields),
	}, recordForms()...)
}

// The buttons of this file's forms.
var submitKeys = []string{"form.open_dossier", "form.save", "form.reenter"}

// counsellorChoice lists the centre's active counsellors for a
// coordinator to choose from; a counsellor chooses nobody (nil).
func (p *pages) counsellorChoice(r *http.Request, v viewer) ([]option, error) {
	if v.Role != domain.RoleCoordinator {
		return nil, nil
	}
	users, err := p.store.Users(r.Context(), v.CentreID)
	if err != nil {
		return nil, err
	}
	out := []option{{"", t(p.lang(r), "form.choose")}}
	for _, u := range users {
		if u.Active && u.Role == domain.RoleCounsellor {
			out = append(out, option{u.ID, u.DisplayName})
		}
	}
	return out, nil
}

// newDossierView is the intake page: the form, and when the centre knows
// the national number, the way to that dossier.
type newDossierView struct {
	Form           formView
	Problem        string
	Errors         []fieldView
	Known          *knownView
	CaseloadIsOwn  bool
	NationalNumber string
}

// knownView is the centre's dossier of the national number an intake gave:
// a link when the viewer may open it, the re-entry form when it is closed.
type knownView struct {
	Link    string
	Closed  bool
	Reentry *formView
}

// newDossier shows the intake form.
func (p *pages) newDossier(w http.ResponseWriter, r *http.Request) {
	p.showNewDossier(w, r, http.StatusOK, nil, nil)
}

// showNewDossier renders the intake form, sent back with its problems
// (and the known dossier) when sent is set.
func (p *pages) showNewDossier(w http.ResponseWriter, r *http.Request, status int, sent *submission, known *casework.KnownPersonError) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	counsellors, err := p.counsellorChoice(r, v)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	form := newFormView(lang, pageForm(opCreate, "form.new_dossier", intakeFields(counsellors)), 0, "/dossiers", sent)
	if sent == nil {
		// the letters' language starts as the one the counsellor works in
		for i := range form.Fields {
			if form.Fields[i].Name == "language" {
				form.Fields[i].Value = lang
			}
		}
	}
	form.Open, form.SubmitKey = true, submitKeys[0]
	view := newDossierView{Form: form, CaseloadIsOwn: v.Role == domain.RoleCounsellor}
	if sent != nil {
		view.Problem, view.Errors = sent.Problem, formErrors([]formView{form})
	}
	if known != nil {
		view.Known = &knownView{Closed: known.Closed}
		if known.Visible && !known.Closed {
			view.Known.Link = "/dossiers/" + known.ParticipantID
		}
		if known.Closed && known.Visible {
			again := &submission{Operation: opReentry, Values: sent.Values, Fields: map[string]string{}}
			re := newFormView(lang, pageForm(opReentry, "form.reenter", reentryFields(counsellors)), 0, "/dossiers/"+known.ParticipantID+"/reentry", again)
			re.Problem, re.SubmitKey = "", submitKeys[2]
			view.Known.Reentry = &re
		}
	}
	p.render(w, r, status, "newdossier.html", "newdossier.title", view)
}

// createDossier opens a dossier from the intake form and goes to it.
func (p *pages) createDossier(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	counsellors, err := p.counsellorChoice(r, v)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var in casework.NewParticipant
	err = readForm(intakeFields(counsellors), r.PostForm, &in, p.loc)
	if v.Role == domain.RoleCounsellor {
		in.CounsellorID = v.ID
	}
	var id string
	if err == nil {
		caller := p.caller(r)
		caller.Key = r.PostFormValue("key")
		id, err = p.work.CreateParticipant(r.Context(), caller, in)
	}
	if err == nil {
		p.sessions.Put(r.Context(), sessionFlash, t(lang, "newdossier.opened", in.GivenName+" "+in.FamilyName))
		http.Redirect(w, r, "/dossiers/"+url.PathEscape(id), http.StatusSeeOther)
		return
	}
	sent, f, ok := p.refused(w, r, err, opCreate)
	if !ok {
		return
	}
	p.showNewDossier(w, r, f.Status, sent, f.Known)
}

// refused turns a refused form's error into the submission to show again;
// an error that is not the form's (a 5xx, a 403) gets the error page.
func (p *pages) refused(w http.ResponseWriter, r *http.Request, err error, operation string) (*submission, casework.Failure, bool) {
	lang := p.lang(r)
	f := casework.Explain(err)
	if !f.Refused() || f.Status == http.StatusForbidden || f.Status == http.StatusNotFound {
		p.failed(w, r, err, f)
		return nil, f, false
	}
	// the forms it serves are the dossier's, which writes dates short
	sent := &submission{Operation: operation, Values: r.PostForm, Fields: map[string]string{}, Problem: shortFailureMessage(lang, f)}
	for _, fp := range f.Fields {
		sent.Fields[formField(fp.Field)] = shortFieldMessage(lang, fp)
	}
	if f.Stale != nil {
		sent.Since = f.Stale.Since
	}
	return sent, f, true
}

// saveDetails changes a dossier's personal details from its page. An edit
// made on details someone changed meanwhile comes back with what they
// changed, the values typed kept in the form.
func (p *pages) saveDetails(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	id := chi.URLParam(r, "id")
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	change := map[string]string{}
	var problems []domain.FieldProblem
	for _, f := range detailsFields {
		if _, sent := r.PostForm[f.Name]; !sent {
			continue // a field the form did not send stays as it is
		}
		value := r.PostFormValue(f.Name)
		if !store.CleanText(value) {
			problems = append(problems, domain.Problem(f.Name, domain.NotText))
		}
		change[f.Name] = value
	}
	// A form without its version is taken as drawn on none: it comes
	// back with the details as they stand.
	version, _ := strconv.Atoi(r.PostFormValue("expected_version"))
	var err error
	if len(problems) > 0 {
		err = &casework.InvalidError{Fields: problems}
	} else {
		_, err = p.work.UpdateDetails(r.Context(), p.caller(r), id, version, trimmed(change))
	}
	if err == nil {
		p.sessions.Put(r.Context(), sessionFlash, t(lang, "form.saved", t(lang, "form.update_details")))
		http.Redirect(w, r, "/dossiers/"+url.PathEscape(id)+"#details", http.StatusSeeOther)
		return
	}
	sent, f, ok := p.refused(w, r, err, opDetails)
	if !ok {
		return
	}
	p.showDossier(w, r, id, f.Status, sent)
}

// reenter re-opens a closed dossier from its page or from the intake page
// that found it.
func (p *pages) reenter(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	id := chi.URLParam(r, "id")
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	counsellors, err := p.counsellorChoice(r, v)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	var in casework.Reentry
	err = readForm(reentryFields(counsellors), r.PostForm, &in, p.loc)
	if v.Role == domain.RoleCounsellor {
		in.CounsellorID = v.ID
	}
	if err == nil {
		caller := p.caller(r)
		caller.Key = r.PostFormValue("key")
		err = p.work.Reenter(r.Context(), caller, id, in)
	}
	if err == nil {
		p.sessions.Put(r.Context(), sessionFlash, t(lang, "form.saved", t(lang, "form.reenter")))
		http.Redirect(w, r, "/dossiers/"+url.PathEscape(id), http.StatusSeeOther)
		return
	}
	sent, f, ok := p.refused(w, r, err, opReentry)
	if !ok {
		return
	}
	// A counsellor re-opening another's closed dossier from the intake
	// page cannot see it yet: the refusal is told on the error page.
	if p.store.VisibleParticipant(r.Context(), v.scope(), id) != nil {
		p.errorPage(w, r, f.Status, sent.Problem)
		return
	}
	p.showDossier(w, r, id, f.Status, sent)
}

// trimmed is change with its values' surrounding spaces removed.
func trimmed(change map[string]string) map[string]string {
	for k, v := range change {
		change[k] = strings.TrimSpace(v)
	}
	return change
}

// detailsView is the dossier's personal details section.
type detailsView struct {
	Rows    []detailRow
	Form    *formView
	Changes []changeView
	// Since are the edits made after the version a stale edit named.
	Since []changeView
}

type detailRow struct{ LabelKey, Value string }

// changeView is one edit of the personal details: who, when, which fields.
type changeView struct {
	At     time.Time
	Who    string
	Fields []string
}

// detailsSection builds the personal details section of a dossier page.
func (p *pages) detailsSection(r *http.Request, v viewer, d store.Dossier, sent *submission) (detailsView, error) {
	lang := p.lang(r)
	opt := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	day := func(s string) string {
		if at, err := time.ParseInLocation(time.DateOnly, s, brussels); err == nil {
			return shortDate(at) // the dossier's style
		}
		return ""
	}
	address := opt(d.Street)
	if pc := strings.TrimSpace(opt(d.Postcode) + " " + opt(d.Municipality)); pc != "" {
		if address != "" {
			address += ", "
		}
		address += pc
	}
	gender := ""
	if d.Gender != nil {
		gender = t(lang, "gender."+*d.Gender)
	}
	view := detailsView{Rows: []detailRow{
		{LabelKey: "field.national_number", Value: formatNationalNumber(d.NationalNumber)},
		{LabelKey: "field.birth_date", Value: day(d.BirthDate)},
		{LabelKey: "field.gender", Value: gender},
		{LabelKey: "field.language", Value: t(lang, "language."+d.Language)},
		{LabelKey: "field.email", Value: opt(d.Email)},
		{LabelKey: "field.phone", Value: opt(d.Phone)},
		{LabelKey: "details.address", Value: address},
		{LabelKey: "field.leefloon_decision_date", Value: day(d.LeefloonDecisionDate)},
		{LabelKey: "field.leefloon_notified_date", Value: day(opt(d.LeefloonNotifiedDate))},
	}}
	changes, err := p.store.DetailsChanges(r.Context(), d.ID)
	if err != nil {
		return view, err
	}
	var since []store.DetailsChange
	if sent != nil {
		since = sent.Since
	}
	ids := make([]string, 0, len(changes))
	for _, c := range changes {
		ids = append(ids, c.ChangedBy)
	}
	actors, err := p.store.Actors(r.Context(), ids)
	if err != nil {
		return view, err
	}
	named := func(cs []store.DetailsChange) []changeView {
		var out []changeView
		for _, c := range cs {
			cv := changeView{At: c.ChangedAt, Who: actors[c.ChangedBy].Name}
			for _, f := range c.Fields {
				cv.Fields = append(cv.Fields, t(lang, "field."+f))
			}
			out = append(out, cv)
		}
		return out
	}
	view.Changes, view.Since = named(changes), named(since)
	if slices.Contains(dossierWriters, v.Role) {
		fv := newFormView(lang, pageForm(opDetails, "form.update_details", detailsFields), int64(d.DetailsVersion), "/dossiers/"+d.ID+"/details", sent)
		if sent == nil || sent.Operation != opDetails {
			current := map[string]string{"language": d.Language, "email": opt(d.Email), "phone": opt(d.Phone),
				"street": opt(d.Street), "postcode": opt(d.Postcode), "municipality": opt(d.Municipality),
				"national_number": formatNationalNumber(d.NationalNumber), "given_name": d.GivenName, "family_name": d.FamilyName,
				"birth_date": d.BirthDate, "gender": opt(d.Gender)}
			for i := range fv.Fields {
				fv.Fields[i].Value = current[fv.Fields[i].Name]
			}
		}
		fv.SubmitKey = submitKeys[1]
		view.Form = &fv
	}
	return view, nil
}

// reentryForm is the re-entry form of a closed dossier, for its writers.
func (p *pages) reentryForm(r *http.Request, v viewer, s *workflows.State, sent *submission) (*formView, error) {
	if s.Phase != workflows.PhaseClosed || !slices.Contains(dossierWriters, v.Role) {
		return nil, nil
	}
	counsellors, err := p.counsellorChoice(r, v)
	if err != nil {
		return nil, err
	}
	fv := newFormView(p.lang(r), pageForm(opReentry, "form.reenter", reentryFields(counsellors)), s.Version, "/dossiers/"+s.ParticipantID+"/reentry", sent)
	fv.SubmitKey = submitKeys[2]
	return &fv, nil
}

// formatNationalNumber writes a national register number as it is
// printed on the identity card: 85.07.30-033.28.
func formatNationalNumber(nn string) string {
	if len(nn) != 11 {
		return nn
	}
	return nn[0:2] + "." + nn[2:4] + "." + nn[4:6] + "-" + nn[6:9] + "." + nn[9:11]
}
