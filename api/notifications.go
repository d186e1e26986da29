package api

import (
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
)

// notification is one outbox row as staff may see it: whom (by role and
// ID), what kind, and what became of it. No address, no content.
type notification struct {
	ID            int64      `json:"id"`
	ParticipantID *string    `json:"participant_id"`
	Kind          string     `json:"kind"`
	RecipientRole string     `json:"recipient_role"`
	RecipientID   *string    `json:"recipient_id"`
	Language      *string    `json:"language"`
	DeadlineID    *string    `json:"deadline_id"`
	DueAt         *time.Time `json:"due_at"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	LastError     *string    `json:"last_error"`
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        *time.Time `json:"sent_at"`
}

const notificationColumns = `id, participant_id::text, kind, recipient_role, recipient_id, language, deadline_id, due_at, status, attempts, last_error, created_at, sent_at`

func scanNotifications(rows pgx.Rows) ([]notification, error) {
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (notification, error) {
		var n notification
		err := row.Scan(&n.ID, &n.ParticipantID, &n.Kind, &n.RecipientRole, &n.RecipientID, &n.Language, &n.DeadlineID, &n.DueAt, &n.Status, &n.Attempts, &n.LastError, &n.CreatedAt, &n.SentAt)
		return n, err
	})
	if out == nil {
		out = []notification{}
	}
	return out, err
}

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
	rows, err := s.db.Query(r.Context(), `SELECT `+notificationColumns+` FROM outbox WHERE participant_id = $1 AND id > $2 ORDER BY id LIMIT $3`, id, after, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := scanNotifications(rows)
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
	if p.Role != "admin" {
		writeProblem(w, r, http.StatusForbidden, "the outbox is for administrators")
		return
	}
	status := r.URL.Query().Get("status")
	if status == "" {
		status = "failed"
	}
	if status != "failed" && status != "pending" {
		writeProblem(w, r, http.StatusBadRequest, "status must be failed or pending", FieldError{"status", "must be failed or pending"})
		return
	}
	after, limit, ok := page(w, r)
	if !ok {
		return
	}
	rows, err := s.db.Query(r.Context(), `SELECT `+notificationColumns+` FROM outbox WHERE centre_id = $1 AND status = $2 AND id > $3 ORDER BY id LIMIT $4`, p.CentreID, status, after, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := scanNotifications(rows)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.audited(w, r, "read_outbox", "centre", p.CentreID, "ok") {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": list})
}
