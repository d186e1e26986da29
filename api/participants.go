package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/traject-ocmw/traject/casework"
	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/store"
)

func (s *server) createParticipant(w http.ResponseWriter, r *http.Request) {
	var req casework.NewParticipant
	if !decode(w, r, &req) {
		return
	}
	id, err := s.work.CreateParticipant(r.Context(), s.caller(r), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/participants/"+id)
	s.writeDossier(w, r, id, http.StatusCreated)
}

// getParticipant answers a dossier the caller may see, its read logged,
// in one statement (the API's most frequent request).
func (s *server) getParticipant(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	d, err := s.store.ReadDossier(r.Context(), p.viewer(), chi.URLParam(r, "id"), store.Access{
		CentreID: p.CentreID, ActorID: p.UserID, ActorRole: string(p.Role),
		Action: "read_dossier", ObjectType: "participant",
		RequestID: middleware.GetReqID(r.Context()), Outcome: "ok",
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", detailsETag(d.DetailsVersion))
	writeJSON(w, http.StatusOK, d)
}

func (s *server) writeDossier(w http.ResponseWriter, r *http.Request, id string, status int) {
	d, err := s.store.Dossier(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", detailsETag(d.DetailsVersion))
	writeJSON(w, status, d)
}

// visibleParticipant resolves {id} to a participant the caller may see: of
// their centre, and of their own caseload for a counsellor. Anything else
// is 404, so that the existence of another centre's file does not leak.
func (s *server) visibleParticipant(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := chi.URLParam(r, "id")
	if err := s.store.VisibleParticipant(r.Context(), principalFrom(r.Context()).viewer(), id); err != nil {
		s.fail(w, r, err)
		return "", false
	}
	return id, true
}

// getTimeline lists a dossier's events in order, a page at a time:
// ?after=<last id seen>&limit=<1..200, default 50>.
func (s *server) getTimeline(w http.ResponseWriter, r *http.Request) {
	id, ok := s.visibleParticipant(w, r)
	if !ok {
		return
	}
	after, limit, ok := page(w, r)
	if !ok {
		return
	}
	events, err := s.store.Timeline(r.Context(), id, after, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_timeline", "participant", id, "ok") {
		return
	}
	body := map[string]any{"events": events}
	if len(events) == limit {
		body["next"] = "/v1/participants/" + id + "/timeline?after=" + strconv.FormatInt(events[len(events)-1].ID, 10) + "&limit=" + strconv.Itoa(limit)
	}
	writeJSON(w, http.StatusOK, body)
}

// getSignals answers the problems hosts signalled about the participant,
// with their text.
func (s *server) getSignals(w http.ResponseWriter, r *http.Request) {
	id, ok := s.visibleParticipant(w, r)
	if !ok {
		return
	}
	signals, err := s.store.Signals(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_signals", "participant", id, "ok") {
		return
	}
	if signals == nil {
		signals = []store.Signal{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"signals": signals})
}

// detailsETag is the entity tag of a dossier's personal details: their
// version, which an edit names in If-Match.
func detailsETag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// ifMatch reads the details version an edit names; none is 428.
func ifMatch(r *http.Request) (int, error) {
	v := strings.TrimPrefix(strings.TrimSpace(r.Header.Get("If-Match")), "W/")
	if v == "" {
		return 0, casework.ErrPreconditionRequired
	}
	n, err := strconv.Atoi(strings.Trim(v, `"`))
	if err != nil || n < 1 {
		return 0, &casework.QueryError{Fields: []domain.FieldProblem{domain.Problem("If-Match", domain.NotWhole)}}
	}
	return n, nil
}

// patchParticipant edits a dossier's personal details (a JSON merge patch)
// at the version If-Match names, and answers the dossier as it now stands.
func (s *server) patchParticipant(w http.ResponseWriter, r *http.Request) {
	var raw map[string]json.RawMessage
	if !decode(w, r, &raw) {
		return
	}
	change, err := casework.ReadDetailsPatch(raw)
	if err != nil {
		problem(w, r, err)
		return
	}
	version, err := ifMatch(r)
	if err != nil {
		problem(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	if _, err := s.work.UpdateDetails(r.Context(), s.caller(r), id, version, change); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeDossier(w, r, id, http.StatusOK)
}

// reenterParticipant brings a person whose trajectory closed back in: a
// new run of the same dossier starts (202); its state follows on the
// dossier in a moment.
func (s *server) reenterParticipant(w http.ResponseWriter, r *http.Request) {
	var req casework.Reentry
	if !decode(w, r, &req) {
		return
	}
	id := chi.URLParam(r, "id")
	if err := s.work.Reenter(r.Context(), s.caller(r), id, req); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/participants/"+id)
	s.writeDossier(w, r, id, http.StatusAccepted)
}
