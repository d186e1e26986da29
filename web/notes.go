package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/store"
)

// notesPage is how many notes the dossier page shows at once.
const notesPage = 20

// The notes' forms, as the API names them.
const (
	opAddNote     = "addNote"
	opCorrectNote = "correctNote"
)

// noteFields are a new note's fields.
var noteFields = []field{
	{Name: "kind", Kind: "select", Required: true, Options: options("note.kind", store.NoteKinds...)},
	{Name: "happened_on", Kind: "date", Required: true},
	{Name: "text", Kind: "textarea", Required: true},
}

// correctionFields correct a note in place; addCorrectionFields add a
// correction under it, the note kept as written.
var (
	correctionFields    = []field{{Name: "text", Kind: "textarea", Required: true, Label: "field.corrected_text"}}
	addCorrectionFields = []field{{Name: "text", Kind: "textarea", Required: true, Label: "field.correction", Hint: "hint.correction"}}
)

// notesView is the dossier's notes section: shown to those who may read
// the notes, with the form for those who may write them.
type notesView struct {
	Shown bool
	Notes []noteView
	Form  *formView
	// More links to the older notes.
	More string
}

// noteView is a note as the page shows it, with its author's name and
// the form to correct it for its author.
type noteView struct {
	store.Note
	Author      string
	Correct     *formView
	Corrections []noteView
}

// notesSection builds the notes section of a dossier page: nothing for a
// viewer who may not read them (the BCSD while no procedure runs).
func (p *pages) notesSection(w http.ResponseWriter, r *http.Request, v viewer, id string, sent *submission) (notesView, bool) {
	lang := p.lang(r)
	err := p.work.MayReadNotes(r.Context(), p.caller(r), id)
	if errors.Is(err, casework.ErrForbidden) {
		return notesView{}, true
	}
	if err != nil {
		p.fail(w, r, err)
		return notesView{}, false
	}
	var cursor store.NoteCursor
	if before := r.URL.Query().Get("notes_before"); casework.CheckPath([]string{"note"}, []string{before}) == nil {
		if last, err := p.store.Note(r.Context(), id, before); err == nil {
			cursor = store.NoteCursor{WrittenAt: last.WrittenAt, ID: last.ID}
		}
	}
	notes, err := p.store.Notes(r.Context(), id, cursor, notesPage)
	if err != nil {
		p.fail(w, r, err)
		return notesView{}, false
	}
	if !p.audit(w, r, "read_notes", "participant", id) {
		return notesView{}, false
	}
	var authors []string
	for _, n := range notes {
		authors = append(authors, n.AuthorID)
		for _, c := range n.Corrections {
			authors = append(authors, c.AuthorID)
		}
	}
	names, err := p.store.Actors(r.Context(), authors)
	if err != nil {
		p.fail(w, r, err)
		return notesView{}, false
	}
	writer := slices.Contains(dossierWriters, v.Role)
	pol, err := p.store.LoadPolicy(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return notesView{}, false
	}
	view := notesView{Shown: true}
	// Its author corrects a note in place while the policy allows, later
	// adds a correction under it; a correction is only edited in place.
	correctable := func(n store.Note) *formView {
		if !writer || n.AuthorID != v.ID {
			return nil
		}
		inPlace := pol.Notes.CorrectWithin.After(n.WrittenAt).After(time.Now())
		if !inPlace && n.Corrects != nil {
			return nil
		}
		op := opCorrectNote + "-" + n.ID
		title, fields := "form.add_correction", addCorrectionFields
		if inPlace {
			title, fields = "form.correct_note", correctionFields
		}
		fv := newFormView(lang, pageForm(op, title, fields), 0, "/dossiers/"+id+"/notes/"+n.ID+"/correction", sent)
		if inPlace && (sent == nil || sent.Operation != op) {
			fv.Fields[0].Value = n.Text
		}
		return &fv
	}
	for _, n := range notes {
		nv := noteView{Note: n, Author: names[n.AuthorID].Name, Correct: correctable(n)}
		for _, c := range n.Corrections {
			nv.Corrections = append(nv.Corrections, noteView{Note: c, Author: names[c.AuthorID].Name, Correct: correctable(c)})
		}
		view.Notes = append(view.Notes, nv)
	}
	if len(notes) == notesPage {
		view.More = "/dossiers/" + id + "?notes_before=" + notes[len(notes)-1].ID + "#notes"
	}
	if writer {
		fv := newFormView(lang, pageForm(opAddNote, "form.add_note", noteFields), 0, "/dossiers/"+id+"/notes", sent)
		if sent == nil || sent.Operation != opAddNote {
			fv.Fields[1].Value = time.Now().In(brussels).Format(time.DateOnly)
		}
		view.Form = &fv
	}
	return view, true
}

// allForms are the notes' forms, for the error summary of a form sent back.
func (n notesView) allForms() []formView {
	var out []formView
	if n.Form != nil {
		out = append(out, *n.Form)
	}
	for _, nv := range n.Notes {
		for _, x := range append([]noteView{nv}, nv.Corrections...) {
			if x.Correct != nil {
				out = append(out, *x.Correct)
			}
		}
	}
	return out
}

// addNote writes a note from the dossier page.
func (p *pages) addNote(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	id := chi.URLParam(r, "id")
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	var in casework.NoteInput
	err := readForm(noteFields, r.PostForm, &in, p.loc)
	if err == nil {
		caller := p.caller(r)
		caller.Key = r.PostFormValue("key")
		_, err = p.work.AddNote(r.Context(), caller, id, in)
	}
	if err == nil {
		p.sessions.Put(r.Context(), sessionFlash, t(lang, "form.saved", t(lang, "form.add_note")))
		http.Redirect(w, r, "/dossiers/"+url.PathEscape(id)+"#notes", http.StatusSeeOther)
		return
	}
	sent, f, ok := p.refused(w, r, err, opAddNote)
	if !ok {
		return
	}
	p.showDossier(w, r, id, f.Status, sent)
}

// correctNote corrects a note from the dossier page: in place while its
// author may, later as a correction beside it.
func (p *pages) correctNote(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	id, note := chi.URLParam(r, "id"), chi.URLParam(r, "note")
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	var in casework.Correction
	err := readForm(correctionFields, r.PostForm, &in, p.loc)
	if err == nil {
		caller := p.caller(r)
		caller.Key = r.PostFormValue("key")
		_, _, err = p.work.CorrectNote(r.Context(), caller, id, note, in)
	}
	if err == nil {
		p.sessions.Put(r.Context(), sessionFlash, t(lang, "form.saved", t(lang, "form.correct_note")))
		http.Redirect(w, r, "/dossiers/"+url.PathEscape(id)+"#notes", http.StatusSeeOther)
		return
	}
	sent, f, ok := p.refused(w, r, err, opCorrectNote+"-"+note)
	if !ok {
		return
	}
	p.showDossier(w, r, id, f.Status, sent)
}
