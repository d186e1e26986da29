package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/export"
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
// their centre: ?object_id= narrows it to one dossier; pages by ID. As
// JSON or, with ?format=csv, the same entries one a row with their codes
// and each time to the second with the centre's UTC offset, semicolons
// behind a byte order mark for Excel; a download is audited as one.
func (s *server) getAudit(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" {
		badQuery(w, r, domain.Problem("format", domain.OneOf, "json", "csv"))
		return
	}
	after, limit, ok := page(w, r)
	if !ok {
		return
	}
	entries, err := s.store.AuditLog(r.Context(), p.CentreID, r.URL.Query().Get("object_id"), after, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format != "csv" {
		if !s.audited(w, r, "read_audit", "centre", p.CentreID, "ok") {
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
		return
	}
	pol, err := s.store.LoadPolicy(r.Context(), p.CentreID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "export_audit", "centre", p.CentreID, "ok") {
		return
	}
	loc := pol.Location()
	text := func(s *string) string {
		if s == nil {
			return ""
		}
		return export.Inert(*s)
	}
	table := export.Table{Sheet: "audit", Header: []string{"id", "at", "actor_id", "actor_role", "action", "object_type", "object_id", "request_id", "outcome"}}
	for _, e := range entries {
		table.Rows = append(table.Rows, []string{strconv.FormatInt(e.ID, 10), e.At.In(loc).Format(time.RFC3339), text(e.ActorID), text(e.ActorRole),
			export.Inert(e.Action), export.Inert(e.ObjectType), text(e.ObjectID), text(e.RequestID), export.Inert(e.Outcome)})
	}
	name := "traject-audit-" + p.CentreID + "-" + time.Now().In(loc).Format(time.DateOnly) + ".csv"
	s.download(w, r, "text/csv; charset=utf-8", name, table.WriteCSV)
}
