package api

import (
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
)

// agendaItem is one thing the committee must do: hold a hearing, take a
// decision, or notify one.
type agendaItem struct {
	ProcedureID   string    `json:"procedure_id"`
	ParticipantID string    `json:"participant_id"`
	Participant   string    `json:"participant"`
	Item          string    `json:"item"` // hearing, decision or notification
	At            time.Time `json:"at"`
	Overdue       bool      `json:"overdue"`
}

// getAgenda lists the centre's hearings between from and to (YYYY-MM-DD,
// to excluded), and the decisions and notifications due before to,
// overdue ones included.
func (s *server) getAgenda(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	if p.Role != "bcsd" && p.Role != "coordinator" && p.Role != "admin" {
		writeProblem(w, r, http.StatusForbidden, "the agenda is for the BCSD secretariat, coordinators and administrators")
		return
	}
	var problems []FieldError
	from, ok := s.date(r.URL.Query().Get("from"))
	if !ok {
		problems = append(problems, FieldError{"from", "must be a date as YYYY-MM-DD"})
	}
	to, ok := s.date(r.URL.Query().Get("to"))
	if !ok || !to.After(from) {
		problems = append(problems, FieldError{"to", "must be a date as YYYY-MM-DD after from"})
	}
	if len(problems) > 0 {
		writeProblem(w, r, http.StatusBadRequest, "the period is malformed", problems...)
		return
	}
	rows, err := s.db.Query(r.Context(), `
		SELECT sp.procedure_id, sp.participant_id::text, pa.given_name || ' ' || pa.family_name, item.name, item.at, item.at < now()
		FROM sanction_procedures sp
		JOIN participants pa ON pa.id = sp.participant_id
		CROSS JOIN LATERAL (VALUES
			('hearing', CASE WHEN sp.stage = 'hearing_scheduled' AND sp.hearing_at >= $2 AND sp.hearing_at < $3 THEN sp.hearing_at END),
			('decision', CASE WHEN sp.stage = 'heard' AND sp.decision_due < $3 THEN sp.decision_due END),
			('notification', CASE WHEN sp.stage = 'decided' AND sp.notification_due < $3 THEN sp.notification_due END)
		) AS item(name, at)
		WHERE sp.centre_id = $1 AND item.at IS NOT NULL
		ORDER BY item.at, sp.procedure_id`, p.CentreID, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (agendaItem, error) {
		var a agendaItem
		err := row.Scan(&a.ProcedureID, &a.ParticipantID, &a.Participant, &a.Item, &a.At, &a.Overdue)
		return a, err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_agenda", "centre", p.CentreID, "ok") {
		return
	}
	if items == nil {
		items = []agendaItem{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

type auditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	ActorID    *string   `json:"actor_id"`
	ActorRole  *string   `json:"actor_role"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   *string   `json:"object_id"`
	RequestID  *string   `json:"request_id"`
	Outcome    string    `json:"outcome"`
}

// getAudit is the administrators' view of who read or changed what in
// their centre: ?object_id= narrows it to one dossier; pages by ID.
func (s *server) getAudit(w http.ResponseWriter, r *http.Request) {
	p := principalFrom(r.Context())
	if p.Role != "admin" {
		writeProblem(w, r, http.StatusForbidden, "the audit log is for administrators")
		return
	}
	after, limit, ok := page(w, r)
	if !ok {
		return
	}
	rows, err := s.db.Query(r.Context(), `
		SELECT id, at, actor_id::text, actor_role, action, object_type, object_id, request_id, outcome
		FROM audit_log WHERE centre_id = $1 AND id > $2 AND ($3 = '' OR object_id = $3)
		ORDER BY id LIMIT $4`, p.CentreID, after, r.URL.Query().Get("object_id"), limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (auditEntry, error) {
		var e auditEntry
		err := row.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorRole, &e.Action, &e.ObjectType, &e.ObjectID, &e.RequestID, &e.Outcome)
		return e, err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_audit", "centre", p.CentreID, "ok") {
		return
	}
	if entries == nil {
		entries = []auditEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}
