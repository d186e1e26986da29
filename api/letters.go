package api

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/letters"
	"github.com/traject-ocmw/traject/store"
)

// A dossier's letters: produced from a procedure, kept, listed and
// downloaded as the PDF kept; and the centre's letter settings.

// listLetters lists a dossier's letters, the latest first, without their
// PDFs.
func (s *server) listLetters(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := s.work.MayReadLetters(r.Context(), s.caller(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	kept, err := s.store.Letters(r.Context(), id, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_letters", "participant", id, "ok") {
		return
	}
	if kept == nil {
		kept = []store.KeptLetter{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"letters": kept})
}

// produceGPMILetter writes the GPMI document for signature and keeps it.
func (s *server) produceGPMILetter(w http.ResponseWriter, r *http.Request) {
	s.writeLetter(w, r, 0)
}

// produceLetter writes procedure n's letter of a kind and keeps it: 201
// with the letter, its PDF at Location.
func (s *server) produceLetter(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(chi.URLParam(r, "n"))
	s.writeLetter(w, r, n)
}

// writeLetter reads a letter's request and writes it: of procedure n, or
// of the dossier (n = 0).
func (s *server) writeLetter(w http.ResponseWriter, r *http.Request, n int) {
	var req casework.LetterInput
	if !decode(w, r, &req) {
		return
	}
	id := chi.URLParam(r, "id")
	l, err := s.work.ProduceLetter(r.Context(), s.caller(r), id, n, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/participants/"+id+"/letters/"+l.ID+"/pdf")
	writeJSON(w, http.StatusCreated, l)
}

// keptLetter reads one letter of a dossier the caller may see.
func (s *server) keptLetter(w http.ResponseWriter, r *http.Request, action string) (store.KeptLetter, bool) {
	id := chi.URLParam(r, "id")
	if err := s.work.MayReadLetters(r.Context(), s.caller(r), id); err != nil {
		s.fail(w, r, err)
		return store.KeptLetter{}, false
	}
	l, err := s.store.Letter(r.Context(), id, chi.URLParam(r, "letter"))
	if err != nil {
		s.fail(w, r, err)
		return store.KeptLetter{}, false
	}
	return l, s.audited(w, r, action, "participant", id, "ok")
}

// getLetter reads a letter: what it was made from and its text.
func (s *server) getLetter(w http.ResponseWriter, r *http.Request) {
	if l, ok := s.keptLetter(w, r, "read_letter"); ok {
		writeJSON(w, http.StatusOK, l)
	}
}

// getLetterPDF downloads the PDF as it was produced, byte for byte.
func (s *server) getLetterPDF(w http.ResponseWriter, r *http.Request) {
	l, ok := s.keptLetter(w, r, "download_letter")
	if !ok {
		return
	}
	pdf, err := s.store.LetterPDF(r.Context(), l.ParticipantID, l.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+l.FileName()+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("ETag", `"`+l.SHA256+`"`)
	_, _ = w.Write(pdf)
}

// getLetterSettings reads the centre's letter settings.
func (s *server) getLetterSettings(w http.ResponseWriter, r *http.Request) {
	c := s.caller(r)
	settings, err := s.store.LetterSettings(r.Context(), c.CentreID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, settings)
}

// putLetterSettings replaces them.
func (s *server) putLetterSettings(w http.ResponseWriter, r *http.Request) {
	var req letters.Centre
	if !decode(w, r, &req) {
		return
	}
	c := s.caller(r)
	if err := s.work.SaveLetterSettings(r.Context(), c, req); err != nil {
		s.fail(w, r, err)
		return
	}
	settings, err := s.store.LetterSettings(r.Context(), c.CentreID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, settings)
}
