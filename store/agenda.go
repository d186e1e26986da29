package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// AgendaItem is one thing the committee must do: hold a hearing, take a
// decision, or notify one.
type AgendaItem struct {
	ProcedureID   string    `json:"procedure_id"`
	ParticipantID string    `json:"participant_id"`
	Participant   string    `json:"participant"`
	Item          string    `json:"item"` // hearing, decision or notification
	At            time.Time `json:"at"`
	Overdue       bool      `json:"overdue"`
	// InvitedOn is a hearing's invitation date, when the procedure's state
	// holds it.
	InvitedOn *time.Time `json:"invited_on,omitempty"`
	// InvitationFailure says why a hearing's latest invitation to the
	// participant was not delivered (an outbox failure code), when it was
	// not: the right to be heard depends on it.
	InvitationFailure *string `json:"invitation_failure,omitempty"`
}

// Agenda lists a centre's hearings in [from, to), and the decisions and
// notifications due before to, overdue ones included.
func (s *Store) Agenda(ctx context.Context, centreID string, from, to time.Time) ([]AgendaItem, error) {
	rows, err := s.db.Query(ctx, `
		SELECT sp.procedure_id, sp.participant_id::text, pa.given_name || ' ' || pa.family_name, item.name, item.at, item.at < now(),
			CASE WHEN item.name = 'hearing' THEN (sp.state->>'invited_on')::timestamptz END,
			CASE WHEN item.name = 'hearing' THEN (
				SELECT CASE WHEN o.status = 'failed' THEN COALESCE(o.failure, 'rejected') END FROM outbox o
				WHERE o.participant_id = sp.participant_id AND o.kind = 'sanction_hearing_invitation' AND o.recipient_role = 'participant'
				  AND left(o.notice_key, length(sp.procedure_id) + 1) = sp.procedure_id || '/'
				ORDER BY o.id DESC LIMIT 1) END
		FROM sanction_procedures sp
		JOIN participants pa ON pa.id = sp.participant_id
		CROSS JOIN LATERAL (VALUES
			('hearing', CASE WHEN sp.stage = 'hearing_scheduled' AND sp.hearing_at >= $2 AND sp.hearing_at < $3 THEN sp.hearing_at END),
			('decision', CASE WHEN sp.stage = 'heard' AND sp.decision_due < $3 THEN sp.decision_due END),
			('notification', CASE WHEN sp.stage = 'decided' AND sp.notification_due < $3 THEN sp.notification_due END)
		) AS item(name, at)
		WHERE sp.centre_id = $1 AND item.at IS NOT NULL
		ORDER BY item.at, sp.procedure_id`, centreID, from, to)
	if err != nil {
		return nil, classify("agenda", err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AgendaItem, error) {
		var a AgendaItem
		err := row.Scan(&a.ProcedureID, &a.ParticipantID, &a.Participant, &a.Item, &a.At, &a.Overdue, &a.InvitedOn, &a.InvitationFailure)
		return a, err
	})
	if items == nil {
		items = []AgendaItem{}
	}
	return items, classify("agenda", err)
}
