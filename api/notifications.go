package api

import (
	"net/http"

	"github.com/traject-ocmw/traject/domain"
)

// getNotifications lists what was sent about a dossier, and what failed.
func (s *server) getNotifications(w http.ResponseWriter, r *http.Request) {
	id, ok := s.visibleParticipant(w, r)
	if !ok {
		return
	}
	after, limit, ok := page(w, r)
	if !ok {
		return
	}
	list, err := s.store.ParticipantNotifications(r.Context(), id, after, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_notifications", "participant", id, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": list})
}

// getOutbox is the administrators' view of the centre's undelivered mail:
// ?status=failed (default) or pending.
func (s *server) getOutbox(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	status := r.URL.Query().Get("status")
	if status == "" {
		status = "failed"
	}
	if status != "failed" && status != "pending" {
		badQuery(w, r, domain.Problem("status", domain.OneOf, "failed", "pending"))
		return
	}
	after, limit, ok := page(w, r)
	if !ok {
		return
	}
	list, err := s.store.Outbox(r.Context(), p.CentreID, status, after, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_outbox", "centre", p.CentreID, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": list})
}
