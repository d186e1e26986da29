package api

import (
	"net/http"

	"github.com/traject-ocmw/traject/domain"
)

// getAgenda lists the centre's hearings between from and to (YYYY-MM-DD,
// to excluded), and the decisions and notifications due before to,
// overdue ones included.
func (s *server) getAgenda(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	var problems []domain.FieldProblem
	from, ok := s.date(r.URL.Query().Get("from"))
	if !ok {
		problems = append(problems, domain.Problem("from", domain.NotDate))
	}
	to, ok := s.date(r.URL.Query().Get("to"))
	if !ok || !to.After(from) {
		problems = append(problems, domain.Problem("to", domain.AfterField, "from"))
	}
	if len(problems) > 0 {
		badQuery(w, r, problems...)
		return
	}
	items, err := s.store.Agenda(r.Context(), p.CentreID, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_agenda", "centre", p.CentreID, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// getAudit is the administrators' view of who read or changed what in
// their centre: ?object_id= narrows it to one dossier; pages by ID.
func (s *server) getAudit(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	after, limit, ok := page(w, r)
	if !ok {
		return
	}
	entries, err := s.store.AuditLog(r.Context(), p.CentreID, r.URL.Query().Get("object_id"), after, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_audit", "centre", p.CentreID, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}
