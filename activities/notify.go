package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Notifier queues reminders, alerts and letters for delivery.
type Notifier struct {
	DB *pgxpool.Pool
}

// Notice is one message a workflow asks for. IDs and codes only: the
// notification worker reads names and addresses from PostgreSQL.
type Notice struct {
	// Key is stable for one message (workflow, deadline, reminder, due
	// date): asking twice queues it once.
	Key           string    `json:"key"`
	Kind          string    `json:"kind"`
	CentreID      string    `json:"centre_id"`
	ParticipantID string    `json:"participant_id"`
	RecipientRole string    `json:"recipient_role"`
	RecipientID   string    `json:"recipient_id,omitempty"`
	DeadlineID    string    `json:"deadline_id,omitempty"`
	Due           time.Time `json:"due,omitempty"`
	// Note is a code for the template, e.g. face_to_face.
	Note string `json:"note,omitempty"`
}

// Notify writes the notice to the outbox once per key.
func (a *Notifier) Notify(ctx context.Context, n Notice) error {
	var due *time.Time
	if !n.Due.IsZero() {
		due = &n.Due
	}
	_, err := a.DB.Exec(ctx, `
		INSERT INTO outbox (idempotency_key, centre_id, participant_id, kind, recipient_role, recipient_id, deadline_id, due_at, note)
		VALUES ($1, $2, NULLIF($3, '')::uuid, $4, $5, NULLIF($6, ''), NULLIF($7, ''), $8, NULLIF($9, ''))
		ON CONFLICT (idempotency_key) DO NOTHING`,
		n.Key, n.CentreID, n.ParticipantID, n.Kind, n.RecipientRole, n.RecipientID, n.DeadlineID, due, n.Note)
	if err != nil {
		return fmt.Errorf("queue notice %s: %w", n.Kind, err)
	}
	return nil
}
