package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/letters"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// opNeedsAnalysis is the needs analysis form's operation, as the API names it.
const opNeedsAnalysis = "recordNeedsAnalysis"

// opRecordExtension is the extension form's operation, as the API names it.
const opRecordExtension = "recordGPMIExtension"

// extensionFields are the extension form's: its day and its motivation.
var extensionFields = []field{
	{Name: "extended_on", Kind: "date", Required: true, Label: "extension.extended_on"},
	{Name: "motivation", Kind: "textarea", Required: true, Label: "extension.motivation", Hint: "extension.motivation.hint"},
}

// findingParts are what a needs analysis notes in a domain.
var findingParts = []string{"situation", "barriers", "goal"}

// analysisFields are the needs analysis form's: its day, then a group per
// domain; a domain left empty was not looked at.
func analysisFields() []field {
	fs := []field{{Name: "done_on", Kind: "date", Required: true, Label: "field.analysis_done_on", Hint: "hint.analysis"}}
	for _, d := range store.LifeDomains {
		for i, part := range findingParts {
			f := field{Name: d + "." + part, Kind: "textarea", Label: "field." + part}
			if i == 0 {
				f.Legend = "life." + d
			}
			f.EndGroup = i == len(findingParts)-1
			fs = append(fs, f)
		}
	}
	return fs
}

// gpmiView is the GPMI section's content: the latest needs analysis, the
// agreements signed, the evaluations with their reports.
type gpmiView struct {
	Content  casework.GPMIContent
	Analysis *store.NeedsAnalysis
	// Earlier counts the needs analyses before the latest.
	Earlier int
	// Numbers name each agreement by its place, for the reports.
	Numbers map[string]int
	Form    *formView
	Authors map[string]store.Actor
	// LetterForm writes the GPMI document, once it is signed.
	LetterForm *formView
	// Extensions are the GPMI's extensions, the latest first;
	// ExtensionForm records one, once the GPMI is signed.
	Extensions    []store.Extension
	ExtensionForm *formView
}

// gpmiSection builds the GPMI's content for the dossier page.
func (p *pages) gpmiSection(r *http.Request, v viewer, id string, state *workflows.State, sent *submission) (gpmiView, error) {
	var view gpmiView
	var err error
	if state != nil {
		if view.Content, err = p.work.GPMI(r.Context(), id); err != nil {
			return view, err
		}
	}
	analyses, err := p.store.NeedsAnalyses(r.Context(), id)
	if err != nil {
		return view, err
	}
	var authors []string
	if len(analyses) > 0 {
		view.Analysis, view.Earlier = &analyses[0], len(analyses)-1
		authors = append(authors, analyses[0].AuthorID)
	}
	view.Numbers = map[string]int{}
	for i, a := range view.Content.Agreements {
		view.Numbers[a.ID] = i + 1
	}
	for _, e := range view.Content.Evaluations {
		if e.Report != nil {
			authors = append(authors, e.Report.AuthorID)
		}
	}
	if view.Extensions, err = p.store.Extensions(r.Context(), id); err != nil {
		return view, err
	}
	for _, x := range view.Extensions {
		authors = append(authors, x.AuthorID)
	}
	if view.Authors, err = p.store.Actors(r.Context(), authors); err != nil {
		return view, err
	}
	if slices.Contains(dossierWriters, v.Role) && (state == nil || state.Phase != workflows.PhaseClosed) {
		fv := newFormView(p.lang(r), pageForm(opNeedsAnalysis, "form.needs_analysis", analysisFields()), 0, "/dossiers/"+id+"/needs-analysis", sent)
		if sent == nil || sent.Operation != opNeedsAnalysis {
			// a new analysis starts from the latest one
			fv.Fields[0].Value = time.Now().In(brussels).Format(time.DateOnly)
			if view.Analysis != nil {
				last := map[string]string{}
				for _, f := range view.Analysis.Domains {
					last[f.Domain+".situation"], last[f.Domain+".barriers"], last[f.Domain+".goal"] = f.Situation, f.Barriers, f.Goal
				}
				for i := range fv.Fields {
					if v, ok := last[fv.Fields[i].Name]; ok {
						fv.Fields[i].Value = v
					}
				}
			}
		}
		view.Form = &fv
		if view.Content.SignedOn != nil && len(view.Content.Agreements) > 0 {
			lf := newFormView(p.lang(r), letterForm(letters.GPMIDocument), 0, "/dossiers/"+id+"/gpmi-letter", sent)
			lf.SubmitKey = "letter.produce"
			view.LetterForm = &lf
		}
		if view.Content.SignedOn != nil {
			xf := newFormView(p.lang(r), pageForm(opRecordExtension, "form.gpmi_extension", extensionFields), 0, "/dossiers/"+id+"/gpmi-extensions", sent)
			view.ExtensionForm = &xf
		}
	}
	return view, nil
}

// recordNeedsAnalysis stores a needs analysis from the dossier page.
func (p *pages) recordNeedsAnalysis(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	id := chi.URLParam(r, "id")
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	in := casework.NeedsAnalysisInput{DoneOn: strings.TrimSpace(r.PostFormValue("done_on"))}
	var looked []string // the domain of each finding, to put its errors back
	for _, d := range store.LifeDomains {
		f := store.DomainFinding{Domain: d, Situation: strings.TrimSpace(r.PostFormValue(d + ".situation")),
			Barriers: strings.TrimSpace(r.PostFormValue(d + ".barriers")), Goal: strings.TrimSpace(r.PostFormValue(d + ".goal"))}
		if f.Situation != "" || f.Barriers != "" || f.Goal != "" {
			in.Domains = append(in.Domains, f)
			looked = append(looked, d)
		}
	}
	caller := p.caller(r)
	caller.Key = r.PostFormValue("key")
	_, err := p.work.RecordNeedsAnalysis(r.Context(), caller, id, in)
	if err == nil {
		p.sessions.Put(r.Context(), sessionFlash, t(lang, "form.saved", t(lang, "form.needs_analysis")))
		http.Redirect(w, r, "/dossiers/"+url.PathEscape(id)+"#gpmi", http.StatusSeeOther)
		return
	}
	// domains[i].situation is the form's <domain>.situation; no domain at
	// all is the first domain's situation.
	var invalid *casework.InvalidError
	if errors.As(err, &invalid) {
		for i, fp := range invalid.Fields {
			if fp.Field == "domains" {
				invalid.Fields[i] = domain.Problem(store.LifeDomains[0]+".situation", fp.Code, fp.Args...)
				continue
			}
			for n, d := range looked {
				if head := "domains[" + strconv.Itoa(n) + "]."; strings.HasPrefix(fp.Field, head) {
					invalid.Fields[i].Field = d + "." + strings.TrimPrefix(fp.Field, head)
				}
			}
		}
	}
	sent, f, ok := p.refused(w, r, err, opNeedsAnalysis)
	if !ok {
		return
	}
	p.showDossier(w, r, id, f.Status, sent)
}

// recordExtension records the GPMI's extension from the dossier page.
func (p *pages) recordExtension(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	id := chi.URLParam(r, "id")
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, r, http.StatusBadRequest, t(lang, "form.unreadable"))
		return
	}
	caller := p.caller(r)
	caller.Key = r.PostFormValue("key")
	_, err := p.work.RecordExtension(r.Context(), caller, id, casework.ExtensionInput{
		ExtendedOn: strings.TrimSpace(r.PostFormValue("extended_on")), Motivation: strings.TrimSpace(r.PostFormValue("motivation"))})
	if err == nil {
		p.sessions.Put(r.Context(), sessionFlash, t(lang, "form.saved", t(lang, "form.gpmi_extension")))
		http.Redirect(w, r, "/dossiers/"+url.PathEscape(id)+"#extensions", http.StatusSeeOther)
		return
	}
	sent, f, ok := p.refused(w, r, err, opRecordExtension)
	if !ok {
		return
	}
	p.showDossier(w, r, id, f.Status, sent)
}
