package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/store"
)

// listNeedsAnalyses answers a dossier's needs analyses, the latest first.
func (s *server) listNeedsAnalyses(w http.ResponseWriter, r *http.Request) {
	id, ok := s.visibleParticipant(w, r)
	if !ok {
		return
	}
	analyses, err := s.store.NeedsAnalyses(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_needs_analyses", "participant", id, "ok") {
		return
	}
	if analyses == nil {
		analyses = []store.NeedsAnalysis{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"needs_analyses": analyses})
}

// recordNeedsAnalysis stores a needs analysis (201).
func (s *server) recordNeedsAnalysis(w http.ResponseWriter, r *http.Request) {
	var req casework.NeedsAnalysisInput
	if !decode(w, r, &req) {
		return
	}
	id := chi.URLParam(r, "id")
	analysisID, err := s.work.RecordNeedsAnalysis(r.Context(), s.caller(r), id, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	analyses, err := s.store.NeedsAnalyses(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, a := range analyses {
		if a.ID == analysisID {
			writeJSON(w, http.StatusCreated, a)
			return
		}
	}
	s.fail(w, r, store.ErrNotFound)
}

// getGPMI answers the GPMI as it stands, with its agreements and reports.
func (s *server) getGPMI(w http.ResponseWriter, r *http.Request) {
	id, ok := s.visibleParticipant(w, r)
	if !ok {
		return
	}
	g, err := s.work.GPMI(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_gpmi", "participant", id, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, g)
}
