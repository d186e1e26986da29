package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
)

// getPhaseRecords answers a dossier's programmes, student jobs and work
// placements; the read is audited.
func (s *server) getPhaseRecords(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	recs, err := s.work.ReadPhaseRecords(r.Context(), s.caller(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_phase_records", "participant", id, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, recs)
}

func (s *server) addProgramme(w http.ResponseWriter, r *http.Request) {
	var req casework.ProgrammeInput
	if !decode(w, r, &req) {
		return
	}
	id := chi.URLParam(r, "id")
	p, err := s.work.AddProgramme(r.Context(), s.caller(r), id, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/participants/"+id+"/phase-records")
	writeJSON(w, http.StatusCreated, p)
}

func (s *server) recordProgrammeResult(w http.ResponseWriter, r *http.Request) {
	var req casework.ProgrammeResult
	if !decode(w, r, &req) {
		return
	}
	p, err := s.work.RecordProgrammeResult(r.Context(), s.caller(r), chi.URLParam(r, "id"), chi.URLParam(r, "programme"), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *server) addStudentJob(w http.ResponseWriter, r *http.Request) {
	var req casework.StudentJobInput
	if !decode(w, r, &req) {
		return
	}
	id := chi.URLParam(r, "id")
	j, err := s.work.AddStudentJob(r.Context(), s.caller(r), id, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/participants/"+id+"/phase-records")
	writeJSON(w, http.StatusCreated, j)
}

func (s *server) addPlacement(w http.ResponseWriter, r *http.Request) {
	var req casework.PlacementInput
	if !decode(w, r, &req) {
		return
	}
	id := chi.URLParam(r, "id")
	p, err := s.work.AddPlacement(r.Context(), s.caller(r), id, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/participants/"+id+"/phase-records")
	writeJSON(w, http.StatusCreated, p)
}

func (s *server) endPlacement(w http.ResponseWriter, r *http.Request) {
	var req casework.PlacementEnd
	if !decode(w, r, &req) {
		return
	}
	p, err := s.work.EndPlacement(r.Context(), s.caller(r), chi.URLParam(r, "id"), chi.URLParam(r, "placement"), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *server) setCivicIntegration(w http.ResponseWriter, r *http.Request) {
	var req casework.CivicInput
	if !decode(w, r, &req) {
		return
	}
	c, err := s.work.SetCivicIntegration(r.Context(), s.caller(r), chi.URLParam(r, "id"), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}
