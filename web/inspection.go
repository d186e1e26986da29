package web

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/store"
)

// The inspection pack: one printable page per dossier with what the
// federal inspection reads, in its order: the file check's elements with
// their days, the agreements, the evaluations with their reports, the
// extensions and the letters produced. Reading it is audited like the
// dossier.

// inspectionView is the inspection pack.
type inspectionView struct {
	// Centre heads the pack: the inspector files it under the centre.
	Centre     store.Centre
	Dossier    store.Dossier
	AsOf       time.Time
	Items      []checkItem
	GPMI       casework.GPMIContent
	Extensions []store.Extension
	Letters    []keptLetter
	Authors    map[string]store.Actor
}

// inspectionPack is GET /dossiers/{id}/inspection-pack.
func (p *pages) inspectionPack(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	lang := p.lang(r)
	id := chi.URLParam(r, "id")
	rep, err := p.work.FileCheck(r.Context(), p.caller(r), id, "")
	if err != nil {
		p.fail(w, r, err)
		return
	}
	view := inspectionView{AsOf: rep.AsOf}
	if view.Dossier, err = p.store.Dossier(r.Context(), id); err != nil {
		p.fail(w, r, err)
		return
	}
	if view.Centre, err = p.store.Centre(r.Context(), v.CentreID); err != nil {
		p.fail(w, r, err)
		return
	}
	pol, err := p.store.LoadPolicy(r.Context(), v.CentreID)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	view.Items = checkItems(lang, id, rep.Elements, pol.Inspection.AtRiskHorizon.After(rep.AsOf), nil)
	if view.GPMI, err = p.work.GPMI(r.Context(), id); err != nil {
		p.fail(w, r, err)
		return
	}
	if view.Extensions, err = p.store.Extensions(r.Context(), id); err != nil {
		p.fail(w, r, err)
		return
	}
	kept, err := p.store.Letters(r.Context(), id, "")
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if err := p.namedLetters(r, kept, &view.Letters); err != nil {
		p.fail(w, r, err)
		return
	}
	var authors []string
	for _, e := range view.GPMI.Evaluations {
		if e.Report != nil {
			authors = append(authors, e.Report.AuthorID)
		}
	}
	for _, x := range view.Extensions {
		authors = append(authors, x.AuthorID)
	}
	if view.Authors, err = p.store.Actors(r.Context(), authors); err != nil {
		p.fail(w, r, err)
		return
	}
	if !p.audit(w, r, "read_inspection_pack", "participant", id) {
		return
	}
	p.render(w, r, http.StatusOK, "inspection.html", "inspection.title", view)
}
