package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/messages"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// A form on the dossier page sends one of casework's writes: the same
// request, checks and workflow update as the API's.

// field is one input of a form. Name is the request's JSON name (a dot
// for the contract's fields); Kind is date, number, text, textarea,
// checkbox or select.
type field struct {
	Name, Kind string
	Options    []option
	Required   bool
	// Label is the label's message key when it is not field.<Name>.
	Label string
	// Autocomplete helps the browser fill a person's details in.
	Autocomplete string
	// Legend opens a group of fields (a fieldset) with this message and
	// LegendN; EndGroup closes it after the field.
	Legend   string
	LegendN  int
	EndGroup bool
	// Text is a label that is data, not a message (an agreement's text).
	Text string
	// Hint is a message shown under the label: the form a value takes.
	Hint string
}

// LabelKey is the field's label, a message key.
func (f field) LabelKey() string {
	if f.Label != "" {
		return f.Label
	}
	return "field." + f.Name
}

// option is a choice of a select. Its label is a message key, or data
// shown as is (a name, an agreement) when no message has that key.
type option struct{ Value, Label string }

// actionForm is the form of one write.
type actionForm struct {
	Action   casework.Action
	TitleKey string
	Fields   []field
	// Shown tells whether the form fits the dossier as it stands.
	Shown func(s *workflows.State) bool
}

func gpmiSigned(s *workflows.State) bool { return s.GPMI.SignedOn != nil }

func inPhase(phases ...workflows.Phase) func(*workflows.State) bool {
	return func(s *workflows.State) bool { return slices.Contains(phases, s.Phase) }
}

// forms lists the writes the dossier page offers, in its order. The BCSD
// procedure's steps have their own page.
func forms() []actionForm {
	byOp := map[string]casework.Action{}
	for _, a := range casework.Actions {
		byOp[a.OperationID] = a
	}
	open := workflows.Phases[:len(workflows.Phases)-1]
	return []actionForm{
		{byOp["signGPMI"], "form.sign_gpmi", signFields(),
			func(s *workflows.State) bool { return !gpmiSigned(s) && s.Phase != workflows.PhaseClosed }},
		{byOp["recordEvaluation"], "form.record_evaluation", []field{{Name: "held_on", Kind: "date", Required: true}, {Name: "face_to_face", Kind: "checkbox"},
			{Name: "report", Kind: "textarea", Required: true}}, gpmiSigned},
		{byOp["amendGPMI"], "form.amend_gpmi", amendFields(), gpmiSigned},
		{byOp["recordAbsence"], "form.record_absence", []field{{Name: "kind", Kind: "select", Required: true, Options: options("absence", "unjustified", "unpaid_leave", "suspension", "unpaid_sickness")},
			{Name: "days", Kind: "number", Required: true}}, inPhase(workflows.PhaseArticle60)},
		{byOp["recordTraining"], "form.record_training", []field{{Name: "code", Kind: "select", Required: true}, {Name: "done_on", Kind: "date", Required: true}},
			func(s *workflows.State) bool { return s.Phase == workflows.PhaseArticle60 && len(trainingsToDo(s)) > 0 }},
		{byOp["changeContractEnd"], "form.change_contract_end", []field{{Name: "end", Kind: "date", Required: true}, {Name: "reason_code", Kind: "text", Required: true}}, inPhase(workflows.PhaseArticle60)},
		{byOp["recordEmploymentReferral"], "form.record_employment_referral", []field{{Name: "referred_on", Kind: "date", Required: true},
			{Name: "contact", Kind: "text", Required: true}},
			func(s *workflows.State) bool {
				return s.Contract != nil && (s.Phase == workflows.PhaseArticle60 || s.Phase == workflows.PhasePostArticle60)
			}},
		{byOp["recordCheckIn"], "form.record_check_in", []field{{Name: "on", Kind: "date", Required: true}}, inPhase(workflows.PhasePostArticle60)},
		{byOp["recordOutcome"], "form.record_outcome", []field{{Name: "outcome", Kind: "select", Required: true,
			Options: options("outcome", "regular_job", "hired_by_host", "social_workplace", "studies", "unemployment_benefits", "moved", "leefloon_ended", "other")}}, inPhase(workflows.PhasePostArticle60)},
		{byOp["postTransition"], "form.transition", []field{
			{Name: "to", Kind: "select", Required: true}, {Name: "reason_code", Kind: "text"},
			{Name: "outcome", Kind: "select", Options: options("outcome", "", "regular_job", "hired_by_host", "social_workplace", "studies", "unemployment_benefits", "moved", "leefloon_ended", "other")},
			{Name: "contract.host_id", Kind: "select"}, {Name: "contract.function", Kind: "select", Options: options("function", append([]string{""}, store.HostFunctions...)...)},
			{Name: "contract.regime", Kind: "select", Options: options("regime", "", "full_time", "half_time")}, {Name: "contract.start", Kind: "date"},
			{Name: "exemption.ground", Kind: "select", Options: options("ground", "", "health", "equity"), Legend: "form.exemption"},
			{Name: "exemption.reason", Kind: "textarea"},
			{Name: "exemption.review_on", Kind: "date", Hint: "hint.exemption_review_on", EndGroup: true},
		}, inPhase(open...)},
		{byOp["reassignCounsellor"], "form.reassign_counsellor", []field{{Name: "counsellor_id", Kind: "select", Required: true}}, inPhase(open...)},
		{byOp["reportNonCooperation"], "form.report_non_cooperation", []field{{Name: "description", Kind: "textarea", Required: true}},
			func(s *workflows.State) bool {
				return s.Sanction.ActiveProcedureID == "" && s.Phase != workflows.PhaseClosed
			}},
	}
}

// agreementRows is how many agreements the signature form offers; a row
// left empty is no agreement.
const agreementRows = 5

// signFields are the signature's: the day, the agreements, each in its
// group, and the acknowledgement.
func signFields() []field {
	fs := []field{{Name: "signed_on", Kind: "date", Required: true}}
	for i := range agreementRows {
		row := "agreements." + strconv.Itoa(i) + "."
		first := i == 0 // a GPMI has at least one agreement
		fs = append(fs,
			field{Name: row + "domain", Kind: "select", Label: "field.agreement.domain", Options: options("life", append([]string{""}, store.LifeDomains...)...),
				Legend: "form.agreement", LegendN: i + 1, Required: first},
			field{Name: row + "person_does", Kind: "textarea", Label: "field.agreement.person_does", Required: first},
			field{Name: row + "centre_does", Kind: "textarea", Label: "field.agreement.centre_does", Required: first},
			field{Name: row + "due_on", Kind: "date", Label: "field.agreement.due_on", EndGroup: true})
	}
	return append(fs, field{Name: "acknowledged", Kind: "checkbox"})
}

// amendFields are an amendment's: when, who asked, why, the agreements it
// ends (the GPMI's, filled in per dossier) and up to two it adds.
func amendFields() []field {
	fs := []field{
		{Name: "amended_on", Kind: "date", Required: true},
		{Name: "requested_by", Kind: "select", Required: true, Options: options("requester", casework.Requesters...)},
		{Name: "text", Kind: "textarea", Required: true, Label: "field.amendment_reason"},
		{Name: "end_agreements", Kind: "checklist"},
	}
	for i := range 2 {
		row := "agreements." + strconv.Itoa(i) + "."
		fs = append(fs,
			field{Name: row + "domain", Kind: "select", Label: "field.agreement.domain", Options: options("life", append([]string{""}, store.LifeDomains...)...),
				Legend: "form.new_agreement", LegendN: i + 1},
			field{Name: row + "person_does", Kind: "textarea", Label: "field.agreement.person_does"},
			field{Name: row + "centre_does", Kind: "textarea", Label: "field.agreement.centre_does"},
			field{Name: row + "due_on", Kind: "date", Label: "field.agreement.due_on", EndGroup: true})
	}
	return fs
}

// options names values; their labels are the messages prefix.value.
func options(prefix string, values ...string) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{Value: v, Label: prefix + "." + v}
	}
	return out
}

// formView is a form as the page renders it: its values and the problems
// of its last submission, if it was this one.
type formView struct {
	actionForm
	Fields []fieldView
	// URL is where the form is sent.
	URL     string
	Key     string
	Version int64
	// Problem is the refusal of the whole form (a conflict, a phase that
	// does not allow it), shown above its fields.
	Problem string
	Open    bool
	// SubmitKey labels the button when it is not form.submit.
	SubmitKey string
	// Subject says which record the form is about, after its title, when
	// a page holds one such form per record (a programme's result).
	Subject string
}

type fieldView struct {
	field
	ID, Value, Error string
	Options          []option
}

// Choose says a required choice among several starts on "choose": the
// person picks an answer (did the person come to the hearing?) rather than
// send the first one unread.
func (f fieldView) Choose() bool {
	if !f.Required || len(f.Options) < 2 {
		return false
	}
	return !slices.ContainsFunc(f.Options, func(o option) bool { return o.Value == "" })
}

// newKey is a form's token: sent back with the form, it names the write,
// so that a second click or a resend after an outage is the same update.
func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// act serves a dossier form: POST /dossiers/{id}/act/{operation}. A write
// that succeeds goes back to the dossier (and its section); one refused
// shows the dossier again with the form's values, the problem and each
// field's error next to the field.
func (p *pages) act(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	id := chi.URLParam(r, "id")
	var form *actionForm
	for _, f := range forms() {
		if f.Action.OperationID == chi.URLParam(r, "operation") {
			form = &f
			break
		}
	}
	if form == nil {
		p.errorPage(w, r, http.StatusNotFound, t(lang, "error.notfound"))
		return
	}
	if err := p.store.VisibleParticipant(r.Context(), v.scope(), id); !p.found(w, r, err) {
		return
	}
	if form.Action.OperationID == "recordEvaluation" || form.Action.OperationID == "amendGPMI" {
		d, err := p.store.Dossier(r.Context(), id)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		var state workflows.State
		_ = json.Unmarshal(d.Trajectory, &state)
		state.ParticipantID = id
		withProgress, err := p.withAgreements(r, *form, &state)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		form = &withProgress
	}
	p.send(w, r, id, 0, form, "/dossiers/"+id, func(status int, sent *submission) { p.showDossier(w, r, id, status, sent) })
}

// send reads a form, sends its write through casework (to the trajectory,
// or to sanction procedure n when n > 0) and goes to done on success;
// a refusal goes to back with the problems for the form's page.
func (p *pages) send(w http.ResponseWriter, r *http.Request, id string, n int, form *actionForm, done string, back func(status int, sent *submission)) {
	p.sendAs(w, r, id, n, form, done, "", back)
}

// sendAs is send with the write audited in centreID (empty: the viewer's):
// a host user's write goes to its worker's centre.
func (p *pages) sendAs(w http.ResponseWriter, r *http.Request, id string, n int, form *actionForm, done, centreID string, back func(status int, sent *submission)) {
	v, _ := viewerFrom(r.Context())
	if centreID == "" {
		centreID = v.CentreID
	}
	lang := p.lang(r)
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	submitted := submission{Operation: form.Action.OperationID, Values: r.PostForm, Fields: map[string]string{}}
	req := form.Action.New()
	err := readForm(form.Fields, r.PostForm, req, p.loc)
	if err == nil {
		caller := casework.Caller{UserID: v.ID, CentreID: centreID, Role: v.Role, RequestID: middleware.GetReqID(r.Context()),
			Key: r.PostFormValue("key"), Route: "web " + r.URL.Path}
		var result any
		err = p.work.Act(r.Context(), caller, id, n, form.Action.Update, req, &result)
	}
	if err == nil {
		p.sessions.Put(r.Context(), sessionFlash, t(lang, "form.saved", t(lang, form.TitleKey)))
		http.Redirect(w, r, done, http.StatusSeeOther)
		return
	}
	f := casework.Explain(err)
	if !f.Refused() {
		p.failed(w, r, err, f)
		return
	}
	submitted.Problem = shortFailureMessage(lang, f)
	submitted.place(lang, f, form.Fields)
	back(f.Status, &submitted)
}

// place puts each field problem of a refusal next to its field, and says
// one of no field of the form (a needs analysis to write first, a hearing
// too close for a letter) with the form's problem; the forms it serves are
// on the dossier's and the procedure's pages, which write dates short.
// When no problem stands at a field of the form, the summary does not
// send the reader to a field below.
func (s *submission) place(lang string, f casework.Failure, fields []field) {
	var elsewhere []string
	for _, fp := range f.Fields {
		name := formField(fp.Field)
		if !slices.ContainsFunc(fields, func(fl field) bool { return fl.Name == name }) {
			said := shortFieldMessage(lang, fp)
			if messages.Has(lang, "field."+name) {
				said = t(lang, "field."+name) + t(lang, "punct.colon") + " " + said
			}
			elsewhere = append(elsewhere, sentence(said))
			delete(s.Fields, name)
			continue
		}
		s.Fields[name] = shortFieldMessage(lang, fp)
	}
	if len(elsewhere) == 0 {
		return
	}
	if len(s.Fields) == 0 {
		switch f.Key {
		case "problem.conflict":
			s.Problem = t(lang, "problem.conflict.no_field")
		case "problem.invalid":
			s.Problem = t(lang, "problem.invalid.no_field")
		}
	}
	s.Problem += " " + strings.Join(elsewhere, " ")
}

// submission is a form sent back to its page with what was wrong.
type submission struct {
	Operation string
	Values    map[string][]string
	Fields    map[string]string
	Problem   string
	// Since are the edits made meanwhile to personal details an edit
	// found changed.
	Since []store.DetailsChange
}

// formField is the form's name of a field the workflow names otherwise.
func formField(name string) string {
	if name == "hearing_on" { // the request's hearing_at
		return "hearing_at"
	}
	// a list's item: agreements[0].domain is the form's agreements.0.domain
	return strings.NewReplacer("[", ".", "]", "").Replace(name)
}

// readForm turns a form into the request's JSON and decodes it as the API
// would: numbers, booleans, times (a local date and time in loc) and the
// contract's fields in their places.
func readForm(fields []field, values map[string][]string, req any, loc *time.Location) error {
	body := map[string]any{}
	var problems []domain.FieldProblem
	get := func(name string) string {
		if v := values[name]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	lists := map[string]map[int]map[string]any{}
	put := func(name string, v any) {
		// list.N.field: the Nth item of a list, empty items left out
		if parts := strings.Split(name, "."); len(parts) == 3 {
			if n, err := strconv.Atoi(parts[1]); err == nil {
				if lists[parts[0]] == nil {
					lists[parts[0]] = map[int]map[string]any{}
				}
				if lists[parts[0]][n] == nil {
					lists[parts[0]][n] = map[string]any{}
				}
				lists[parts[0]][n][parts[2]] = v
				return
			}
		}
		if head, tail, ok := strings.Cut(name, "."); ok {
			sub, _ := body[head].(map[string]any)
			if sub == nil {
				sub = map[string]any{}
				body[head] = sub
			}
			sub[tail] = v
			return
		}
		body[name] = v
	}
	for _, f := range fields {
		raw := get(f.Name)
		if !store.CleanText(raw) {
			problems = append(problems, domain.Problem(f.Name, domain.NotText))
			continue
		}
		switch {
		case f.Kind == "checklist":
			if picked := values[f.Name]; len(picked) > 0 {
				put(f.Name, picked)
			}
		case f.Kind == "checkbox":
			put(f.Name, raw != "")
		case raw == "" && f.Required:
			problems = append(problems, domain.Problem(f.Name, domain.Required))
		case raw == "":
		case f.Kind == "yesno":
			put(f.Name, raw == "true")
		case f.Kind == "datetime":
			at, err := time.ParseInLocation("2006-01-02T15:04", raw, loc)
			if err != nil {
				problems = append(problems, domain.Problem(f.Name, domain.NotDateTime))
				continue
			}
			put(f.Name, at.Format(time.RFC3339))
		case f.Kind == "number" || f.Kind == "nselect":
			n, err := strconv.Atoi(raw)
			if err != nil {
				problems = append(problems, domain.Problem(f.Name, domain.NotWhole))
				continue
			}
			put(f.Name, n)
		default:
			put(f.Name, raw)
		}
	}
	for name, items := range lists {
		var list []map[string]any
		for _, n := range slices.Sorted(maps.Keys(items)) {
			list = append(list, items[n])
		}
		body[name] = list
	}
	// A workflow update names the version it was drawn on; casework's
	// other writes carry their own.
	if _, update := req.(casework.Request); update {
		if n, err := strconv.ParseInt(get("expected_version"), 10, 64); err == nil {
			body["expected_version"] = n
		}
	}
	if len(problems) > 0 {
		return &casework.InvalidError{Fields: problems}
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	return casework.Decode(bytes.NewReader(raw), req)
}

// dossierForms are the forms the viewer may send on the dossier as it
// stands, filled from sent when a form came back.
func (p *pages) dossierForms(r *http.Request, v viewer, s *workflows.State, sent *submission) ([]formView, error) {
	lang := p.lang(r)
	var out []formView
	for _, f := range forms() {
		if !slices.Contains(f.Action.Roles(), v.Role) || !f.Shown(s) {
			continue
		}
		var err error
		if f, err = p.withAgreements(r, f, s); err != nil {
			return nil, err
		}
		fv := newFormView(lang, f, s.Version, "/dossiers/"+s.ParticipantID+"/act/"+f.Action.OperationID, sent)
		for i := range fv.Fields {
			view := &fv.Fields[i]
			switch view.Name {
			case "to":
				view.Options = transitionTargets(lang, s.Phase, v.Role)
			case "contract.host_id":
				hosts, err := p.store.Hosts(r.Context(), v.CentreID, "")
				if err != nil {
					return nil, err
				}
				view.Options = []option{{"", ""}}
				for _, h := range hosts {
					view.Options = append(view.Options, option{h.ID, h.Name})
				}
			case "code":
				view.Options = trainingOptions(lang, trainingsToDo(s))
			case "counsellor_id":
				users, err := p.store.Users(r.Context(), v.CentreID)
				if err != nil {
					return nil, err
				}
				for _, u := range users {
					if u.Active && u.Role == domain.RoleCounsellor && u.ID != s.CounsellorID {
						view.Options = append(view.Options, option{u.ID, u.DisplayName})
					}
				}
			}
		}
		out = append(out, fv)
	}
	return out, nil
}

// trainingsToDo are the codes of the contract's trainings not yet done.
func trainingsToDo(s *workflows.State) []string {
	var codes []string
	if s.Contract != nil {
		for _, tr := range s.Contract.Trainings {
			if tr.DoneOn == nil {
				codes = append(codes, tr.Code)
			}
		}
	}
	return codes
}

// withAgreements adds to the evaluation's form a field per agreement of
// the signed GPMI: how far it came, labelled with the agreement.
func (p *pages) withAgreements(r *http.Request, f actionForm, s *workflows.State) (actionForm, error) {
	if f.Action.OperationID != "recordEvaluation" && f.Action.OperationID != "amendGPMI" {
		return f, nil
	}
	lang := p.lang(r)
	agreements, err := p.store.Agreements(r.Context(), s.ParticipantID, s.GPMI.AgreementIDs)
	if err != nil {
		return f, err
	}
	f.Fields = slices.Clone(f.Fields)
	if f.Action.OperationID == "amendGPMI" {
		// the agreements it may end
		for i := range f.Fields {
			if f.Fields[i].Name == "end_agreements" {
				for n, a := range agreements {
					f.Fields[i].Options = append(f.Fields[i].Options, option{Value: a.ID, Label: t(lang, "form.progress_of", n+1, t(lang, "life."+a.Domain), a.PersonDoes)})
				}
			}
		}
		return f, nil
	}
	for i, a := range agreements {
		f.Fields = append(f.Fields, field{Name: "progress." + a.ID, Kind: "select", Options: options("progress", append([]string{""}, casework.Progress...)...),
			Text: t(lang, "form.progress_of", i+1, t(lang, "life."+a.Domain), a.PersonDoes)})
	}
	return f, nil
}

// newFormView draws a form sent to url, drawn on the given version, filled
// from sent when it is the form that came back.
func newFormView(lang string, f actionForm, version int64, url string, sent *submission) formView {
	fv := formView{actionForm: f, Key: newKey(), Version: version, URL: url}
	mine := sent != nil && sent.Operation == f.Action.OperationID
	if mine {
		fv.Problem, fv.Open = sent.Problem, true
		if k := sent.Values["key"]; len(k) > 0 && sent.Problem != t(lang, "form.conflict") {
			fv.Key = k[0] // the same write when it is sent again
		}
	}
	for _, fld := range f.Fields {
		view := fieldView{field: fld, ID: f.Action.OperationID + "-" + strings.ReplaceAll(fld.Name, ".", "-")}
		for _, o := range fld.Options {
			label := o.Label
			if messages.Has(lang, label) {
				label = t(lang, label)
			}
			view.Options = append(view.Options, option{Value: o.Value, Label: label})
		}
		if mine {
			if vals := sent.Values[fld.Name]; len(vals) > 0 {
				view.Value = vals[0]
			}
			view.Error = sent.Fields[fld.Name]
		}
		fv.Fields = append(fv.Fields, view)
	}
	return fv
}

// formErrors are the fields at fault of the forms, for the error summary.
func formErrors(forms []formView) []fieldView {
	var out []fieldView
	for _, f := range forms {
		for _, fv := range f.Fields {
			if fv.Error != "" {
				out = append(out, fv)
			}
		}
	}
	return out
}

// transitionTargets are the phases the role may move a trajectory to
// from where it is (the workflows' transition table).
func transitionTargets(lang string, from workflows.Phase, role domain.Role) []option {
	var out []option
	for _, rule := range workflows.TransitionTable() {
		if slices.Contains(rule.From, from) && slices.Contains(rule.Roles, role) {
			out = append(out, option{string(rule.To), t(lang, "phase."+string(rule.To))})
		}
	}
	return out
}

// sentence makes a field's message a sentence of its own.
func sentence(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:] + "."
}
