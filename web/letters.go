package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/letters"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// The letters a procedure needs: produced from its page, kept in the
// dossier, shown as a printable page and downloaded as the PDF kept.

// opProduceLetter names a letter's form; the kind follows it.
const opProduceLetter = "produceLetter"

// letterFields are the fields of a letter's form: its language, and what
// traject cannot know (where the hearing is held when the centre holds it
// elsewhere, the committee's reasons).
func letterFields(kind letters.Kind) []field {
	fields := []field{{Name: "language", Kind: "select", Required: true, Options: options("language", letters.Languages...), Label: "field.letter_language"}}
	switch kind {
	case letters.HearingInvitation:
		fields = append(fields, field{Name: "hearing_place", Kind: "text", Hint: "hint.hearing_place"})
	case letters.DecisionNotice:
		fields = append(fields, field{Name: "reasons", Kind: "textarea", Required: true, Label: "field.decision_reasons"})
	}
	return fields
}

func letterForm(kind letters.Kind) actionForm {
	return pageForm(opProduceLetter+"_"+string(kind), "letter.produce."+string(kind), letterFields(kind))
}

// lettersView is a procedure's letters: those kept, and the forms of the
// ones the viewer may produce at this stage.
type lettersView struct {
	Kept    []keptLetter
	Forms   []formView
	Missing string
}

type keptLetter struct {
	store.KeptLetter
	By string
}

// lettersSection builds the letters of procedure n for its page.
func (p *pages) lettersSection(r *http.Request, id string, n int, state *workflows.SanctionState, mayRecordStep func(domain.Role) bool, personLang string, sent *submission) (lettersView, error) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	kept, err := p.store.Letters(r.Context(), id, workflows.SanctionWorkflowID(id, n))
	if err != nil {
		return lettersView{}, err
	}
	var view lettersView
	if err := p.namedLetters(r, kept, &view.Kept); err != nil {
		return lettersView{}, err
	}
	if state == nil {
		return view, nil
	}
	for _, kind := range letters.ProcedureKinds {
		ready := kind == letters.Warning || (kind == letters.HearingInvitation && state.HearingOn != nil) || (kind == letters.DecisionNotice && state.Decision != nil)
		if !ready || !casework.MayWriteLetter(kind, v.Role, mayRecordStep) {
			continue
		}
		fv := newFormView(lang, letterForm(kind), 0, "/dossiers/"+id+"/procedures/"+strconv.Itoa(n)+"/letters/"+string(kind), sent)
		fv.SubmitKey = "letter.produce"
		if fv.Fields[0].Value == "" {
			fv.Fields[0].Value = personLang
		}
		view.Forms = append(view.Forms, fv)
	}
	return view, nil
}

// namedLetters names who produced each letter.
func (p *pages) namedLetters(r *http.Request, kept []store.KeptLetter, out *[]keptLetter) error {
	ids := make([]string, len(kept))
	for i, l := range kept {
		ids[i] = l.ProducedBy
	}
	actors, err := p.store.Actors(r.Context(), ids)
	if err != nil {
		return err
	}
	for _, l := range kept {
		*out = append(*out, keptLetter{KeptLetter: l, By: actors[l.ProducedBy].Name})
	}
	return nil
}

// produceLetter serves a procedure letter's form: POST
// /dossiers/{id}/procedures/{n}/letters/{kind}. The letter kept, the
// procedure's page lists it; a refusal (the hearing too close for the
// notice, the reasons missing) comes back on the form.
func (p *pages) produceLetter(w http.ResponseWriter, r *http.Request) {
	kind := letters.Kind(chi.URLParam(r, "kind"))
	n, err := strconv.Atoi(chi.URLParam(r, "n"))
	if err != nil || n < 1 || !slices.Contains(letters.ProcedureKinds, kind) {
		p.errorPage(w, r, http.StatusNotFound, t(p.lang(r), "error.notfound"))
		return
	}
	page := "/dossiers/" + url.PathEscape(chi.URLParam(r, "id")) + "/procedures/" + strconv.Itoa(n)
	p.writeLetter(w, r, n, kind, page, func(status int, sent *submission) { p.showProcedure(w, r, status, sent) })
}

// produceGPMILetter serves the GPMI document's form on the dossier: POST
// /dossiers/{id}/gpmi-letter.
func (p *pages) produceGPMILetter(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	p.writeLetter(w, r, 0, letters.GPMIDocument, "/dossiers/"+url.PathEscape(id), func(status int, sent *submission) { p.showDossier(w, r, id, status, sent) })
}

// writeLetter reads a letter's form, writes the letter through casework
// and goes to page's letters, or back to the form with its problems.
func (p *pages) writeLetter(w http.ResponseWriter, r *http.Request, n int, kind letters.Kind, page string, back func(status int, sent *submission)) {
	lang := p.lang(r)
	id := chi.URLParam(r, "id")
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	in := casework.LetterInput{Kind: kind}
	err := readForm(letterFields(kind), r.PostForm, &in, p.loc)
	var kept store.KeptLetter
	if err == nil {
		caller := p.caller(r)
		caller.Key = r.PostFormValue("key")
		kept, err = p.work.ProduceLetter(r.Context(), caller, id, n, in)
	}
	if err == nil {
		p.sessions.Put(r.Context(), sessionFlash, t(lang, "letter.produced", t(lang, "letter.kind."+string(kind))))
		http.Redirect(w, r, page+"?letter="+kept.ID+"#documents", http.StatusSeeOther)
		return
	}
	sent, f, ok := p.refused(w, r, err, opProduceLetter+"_"+string(kind))
	if !ok {
		return
	}
	sent.Problem = shortFailureMessage(lang, f)
	sent.place(lang, f, letterFields(kind))
	back(f.Status, sent)
}

// letterView is a kept letter as its printable page shows it: the same
// text as its PDF.
type letterView struct {
	Letter    keptLetter
	Procedure string
}

// keptLetterFor reads a letter of a dossier the viewer may see and audits
// the read.
func (p *pages) keptLetterFor(w http.ResponseWriter, r *http.Request, action string) (store.KeptLetter, bool) {
	id, letterID := chi.URLParam(r, "id"), chi.URLParam(r, "letter")
	err := p.work.MayReadLetters(r.Context(), p.caller(r), id)
	if errors.Is(err, casework.ErrForbidden) {
		p.fail(w, r, err)
		return store.KeptLetter{}, false
	}
	if !p.found(w, r, err) {
		return store.KeptLetter{}, false
	}
	l, err := p.store.Letter(r.Context(), id, letterID)
	if !p.found(w, r, err) {
		return store.KeptLetter{}, false
	}
	return l, p.audit(w, r, action, "participant", id)
}

// letterPage shows a kept letter, printable: GET /dossiers/{id}/letters/{letter}.
func (p *pages) letterPage(w http.ResponseWriter, r *http.Request) {
	l, ok := p.keptLetterFor(w, r, "read_letter")
	if !ok {
		return
	}
	var named []keptLetter
	if err := p.namedLetters(r, []store.KeptLetter{l}, &named); err != nil {
		p.fail(w, r, err)
		return
	}
	view := letterView{Letter: named[0]}
	if _, ok := procedureNumber(l.ParticipantID, l.ProcedureID); ok {
		view.Procedure = procedureLink(l.ParticipantID, l.ProcedureID)
	}
	p.render(w, r, http.StatusOK, "letter.html", "letter.title", view)
}

// letterPDF downloads the PDF as it was produced: GET
// /dossiers/{id}/letters/{letter}/pdf.
func (p *pages) letterPDF(w http.ResponseWriter, r *http.Request) {
	l, ok := p.keptLetterFor(w, r, "download_letter")
	if !ok {
		return
	}
	pdf, err := p.store.LetterPDF(r.Context(), l.ParticipantID, l.ID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+l.FileName()+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("ETag", `"`+l.SHA256+`"`)
	_, _ = w.Write(pdf)
}

// letterSettingFields are the centre's letter settings, in the form's order.
var letterSettingFields = []string{"name", "street", "postcode", "municipality", "phone", "email", "service",
	"signatory", "signatory_title", "court_name", "court_address", "hearing_place"}

// letterSettingsView is the administrator's letter settings page.
type letterSettingsView struct {
	Fields []fieldView
	// NeededForDecision are the fields a decision notice needs: the form
	// says so at each rather than "optional".
	NeededForDecision []string
	// Wordings are the words a bilingual centre writes differently in
	// one language's letters, a fieldset per language.
	Wordings []wordingView
	Key      string
	Flash    string
	Problem  string
	Errors   []fieldView
	Sample   string
}

type wordingView struct {
	Lang, Legend string
	Open         bool
	Fields       []fieldView
}

func settingValues(c letters.Centre) map[string]string {
	return map[string]string{"name": c.Name, "street": c.Street, "postcode": c.Postcode, "municipality": c.Municipality,
		"phone": c.Phone, "email": c.Email, "service": c.Service, "signatory": c.Signatory, "signatory_title": c.SignatoryTitle,
		"court_name": c.CourtName, "court_address": c.CourtAddress, "hearing_place": c.HearingPlace}
}

// letterSettings shows the centre's letter settings: GET /admin/letters.
func (p *pages) letterSettings(w http.ResponseWriter, r *http.Request) {
	p.showLetterSettings(w, r, http.StatusOK, nil)
}

func (p *pages) showLetterSettings(w http.ResponseWriter, r *http.Request, status int, sent *submission) {
	v, _ := viewerFrom(r.Context())
	c, err := p.store.LetterSettings(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	values := settingValues(c)
	view := letterSettingsView{Key: newKey()}
	for _, name := range letterSettingFields {
		fv := fieldView{field: field{Name: name, Kind: "text", Required: name == "name", Label: "letters.setting." + name}, ID: "letters-" + name, Value: values[name]}
		if name == "court_address" || name == "hearing_place" {
			fv.Hint = "letters.setting." + name + ".hint"
		}
		if slices.Contains(letters.DecisionNeeds, name) {
			view.NeededForDecision = append(view.NeededForDecision, name)
		}
		if sent != nil {
			fv.Value, fv.Error = sent.Values[name][0], sent.Fields[name]
			if fv.Error != "" {
				view.Errors = append(view.Errors, fv)
			}
		}
		view.Fields = append(view.Fields, fv)
	}
	for _, wl := range letters.Languages {
		wv := wordingView{Lang: wl, Legend: t(p.lang(r), "letters.settings.wording", t(p.lang(r), "language."+wl))}
		own := c.Translations[wl].Fields()
		for _, name := range letters.WordingFields {
			key := "translations." + wl + "." + name
			fv := fieldView{field: field{Name: key, Kind: "text", Label: "letters.setting." + name}, ID: "letters-" + wl + "-" + name, Value: own[name]}
			if sent != nil {
				fv.Value, fv.Error = sent.Values[key][0], sent.Fields[key]
				if fv.Error != "" {
					view.Errors = append(view.Errors, fv)
				}
			}
			wv.Open = wv.Open || fv.Value != "" || fv.Error != ""
			wv.Fields = append(wv.Fields, fv)
		}
		view.Wordings = append(view.Wordings, wv)
	}
	if sent != nil {
		view.Problem = sent.Problem
	} else {
		view.Flash = p.sessions.PopString(r.Context(), sessionFlash)
	}
	p.render(w, r, status, "lettersettings.html", "letters.settings.title", view)
}

// saveLetterSettings writes them: POST /admin/letters.
func (p *pages) saveLetterSettings(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	names := slices.Clone(letterSettingFields)
	for _, wl := range letters.Languages {
		for _, name := range letters.WordingFields {
			names = append(names, "translations."+wl+"."+name)
		}
	}
	for _, name := range names {
		if len(r.PostForm[name]) == 0 {
			r.PostForm[name] = []string{""}
		}
	}
	f := r.PostFormValue
	in := letters.Centre{Name: f("name"), Street: f("street"), Postcode: f("postcode"), Municipality: f("municipality"), Phone: f("phone"),
		Email: f("email"), Service: f("service"), Signatory: f("signatory"), SignatoryTitle: f("signatory_title"),
		CourtName: f("court_name"), CourtAddress: f("court_address"), HearingPlace: f("hearing_place"), Translations: map[string]letters.Wording{}}
	for _, wl := range letters.Languages {
		w := func(name string) string { return strings.TrimSpace(f("translations." + wl + "." + name)) }
		in.Translations[wl] = letters.Wording{Name: w("name"), Street: w("street"), Municipality: w("municipality"), Service: w("service"),
			SignatoryTitle: w("signatory_title"), CourtName: w("court_name"), CourtAddress: w("court_address"), HearingPlace: w("hearing_place")}
	}
	err := p.work.SaveLetterSettings(r.Context(), p.caller(r), in)
	if err == nil {
		p.sessions.Put(r.Context(), sessionFlash, t(lang, "form.saved", t(lang, "letters.settings.title")))
		http.Redirect(w, r, "/admin/letters", http.StatusSeeOther)
		return
	}
	sent, failure, ok := p.refused(w, r, err, "letterSettings")
	if !ok {
		return
	}
	p.showLetterSettings(w, r, failure.Status, sent)
}
