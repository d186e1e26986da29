package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

// getNotes lists a dossier's case notes newest first, each with its
// corrections: ?before=<the last note ID seen>&limit=<1..200, default 50>.
// The BCSD reads them only while a procedure runs on the dossier.
func (s *server) getNotes(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := s.work.MayReadNotes(r.Context(), s.caller(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	limit, ok := pageLimit(w, r)
	if !ok {
		return
	}
	var cursor store.NoteCursor
	if before := r.URL.Query().Get("before"); before != "" {
		if casework.CheckPath([]string{"note"}, []string{before}) != nil {
			badQuery(w, r, domain.Problem("before", domain.NotID))
			return
		}
		last, err := s.store.Note(r.Context(), id, before)
		if errors.Is(err, store.ErrNotFound) {
			badQuery(w, r, domain.Problem("before", domain.NotID))
			return
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
		cursor = store.NoteCursor{WrittenAt: last.WrittenAt, ID: last.ID}
	}
	notes, err := s.store.Notes(r.Context(), id, cursor, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_notes", "participant", id, "ok") {
		return
	}
	if notes == nil {
		notes = []store.Note{}
	}
	body := map[string]any{"notes": notes}
	if len(notes) == limit {
		body["next"] = "/v1/participants/" + id + "/notes?before=" + notes[len(notes)-1].ID + "&limit=" + strconv.Itoa(limit)
	}
	writeJSON(w, http.StatusOK, body)
}

// addNote writes a case note (201, Location names the dossier's notes).
func (s *server) addNote(w http.ResponseWriter, r *http.Request) {
	var req casework.NoteInput
	if !decode(w, r, &req) {
		return
	}
	id := chi.URLParam(r, "id")
	n, err := s.work.AddNote(r.Context(), s.caller(r), id, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/participants/"+id+"/notes")
	writeJSON(w, http.StatusCreated, n)
}

// correctNote corrects a note: 200 with the note corrected in place while
// its author may still, 201 with the correction added beside it later.
func (s *server) correctNote(w http.ResponseWriter, r *http.Request) {
	var req casework.Correction
	if !decode(w, r, &req) {
		return
	}
	n, edited, err := s.work.CorrectNote(r.Context(), s.caller(r), chi.URLParam(r, "id"), chi.URLParam(r, "note"), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if edited {
		status = http.StatusOK
	}
	writeJSON(w, status, n)
}
