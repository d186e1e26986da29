package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/traject-ocmw/traject/domain"
)

// Recipient is one person a notice goes to.
type Recipient struct {
	ID, Email, Language string
}

// Recipients resolves a recipient role to people. The counsellor, the
// participant and the host are named by ID (a host's message goes to its
// active users); coordinators and the BCSD secretariat are every active
// user of that role in the centre.
func (s *Store) Recipients(ctx context.Context, to domain.Actor, centreID, recipientID string) ([]Recipient, error) {
	var q string
	var args []any
	switch to {
	case domain.ActorParticipant:
		q, args = `SELECT id::text, COALESCE(email, ''), language FROM participants WHERE id = $1`, []any{recipientID}
	case domain.ActorCounsellor:
		q, args = `SELECT id::text, email, language FROM staff_users WHERE id = $1`, []any{recipientID}
	case domain.ActorCoordinator, domain.ActorBCSD:
		// the actor's name is its role's
		q, args = `SELECT id::text, email, language FROM staff_users WHERE centre_id = $1 AND role = $2 AND active ORDER BY id`, []any{centreID, string(to)}
	case domain.ActorHost:
		// The host's own users, each in their language; the host's address
		// while it has none.
		q, args = `
			SELECT id::text, email, language FROM staff_users WHERE host_id::text = $1 AND active
			UNION ALL
			SELECT h.id::text, COALESCE(h.email, ''), h.language FROM hosts h
			WHERE h.id::text = $1 AND NOT EXISTS (SELECT 1 FROM staff_users u WHERE u.host_id = h.id AND u.active)
			ORDER BY 1`, []any{recipientID}
	default:
		return nil, fmt.Errorf("unknown recipient %q", to)
	}
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, classify("recipients", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Recipient, error) {
		var p Recipient
		err := r.Scan(&p.ID, &p.Email, &p.Language)
		return p, err
	})
	return out, classify("recipients", err)
}

// OutboxEntry is one message to queue: one person, one notice.
type OutboxEntry struct {
	Key, NoticeKey, CentreID, ParticipantID, Kind string
	Recipient                                     domain.Actor
	RecipientID, Language                         string
	DeadlineID                                    string
	Due                                           *time.Time
	Note, MessageID                               string
}

// QueueMessage writes the outbox row under its key once and answers its ID
// and status: a second call finds the first row.
func (s *Store) QueueMessage(ctx context.Context, e OutboxEntry) (id int64, status string, err error) {
	_, err = s.db.Exec(ctx, `
		INSERT INTO outbox (idempotency_key, notice_key, centre_id, participant_id, kind, recipient_role, recipient_id, language, deadline_id, due_at, note, message_id)
		VALUES ($1, $2, NULLIF($3, ''), NULLIF($4, '')::uuid, $5, $6, NULLIF($7, ''), NULLIF($8, ''), NULLIF($9, ''), $10, NULLIF($11, ''), $12)
		ON CONFLICT (idempotency_key) DO NOTHING`,
		e.Key, e.NoticeKey, e.CentreID, e.ParticipantID, e.Kind, string(e.Recipient), e.RecipientID, e.Language, e.DeadlineID, e.Due, e.Note, e.MessageID)
	if err != nil {
		return 0, "", classify("queue "+e.Kind, err)
	}
	err = s.db.QueryRow(ctx, `SELECT id, status FROM outbox WHERE idempotency_key = $1`, e.Key).Scan(&id, &status)
	return id, status, classify("queue "+e.Kind, err)
}

// MessageContext is what a message says besides its template: the
// participant's and the centre's names, the centre's time zone and reply
// address.
type MessageContext struct {
	Participant, Centre, TimeZone, ReplyTo string
}

// MessageContext reads the names a message about a participant (or none)
// carries.
func (s *Store) MessageContext(ctx context.Context, centreID, participantID string) (MessageContext, error) {
	var m MessageContext
	err := s.db.QueryRow(ctx, `
		SELECT COALESCE(p.given_name || ' ' || p.family_name, ''), c.name, `+centreTimeZone+`, COALESCE(c.reply_to, '')
		FROM centres c LEFT JOIN participants p ON p.id = NULLIF($2, '')::uuid
		WHERE c.id = $1`, centreID, participantID).Scan(&m.Participant, &m.Centre, &m.TimeZone, &m.ReplyTo)
	return m, classify("message context", err)
}

// MarkSent records a delivered message.
func (s *Store) MarkSent(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, `UPDATE outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1 AND status <> 'sent'`, id)
	return classify("mark sent", err)
}

// Why a message was not delivered (outbox.failure).
const (
	FailureNoAddress  = "no_address"
	FailureNoTemplate = "no_template"
	FailureRejected   = "rejected"
	FailureGaveUp     = "gave_up"
)

// MarkFailed records a message that will never be delivered: why (one of
// the Failure codes) and the relay's or our own words for the administrator.
func (s *Store) MarkFailed(ctx context.Context, id int64, failure, reason string) error {
	_, err := s.db.Exec(ctx, `UPDATE outbox SET status = 'failed', failure = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1 AND status = 'pending'`, id, failure, reason)
	return classify("mark failed", err)
}

// MarkAttempt records a failed attempt that will be retried.
func (s *Store) MarkAttempt(ctx context.Context, id int64, reason string) error {
	_, err := s.db.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1 AND status = 'pending'`, id, reason)
	return classify("mark attempt", err)
}

// GiveUpNotice marks the rows of a notice still pending as failed.
func (s *Store) GiveUpNotice(ctx context.Context, noticeKey string) error {
	_, err := s.db.Exec(ctx, `
		UPDATE outbox SET status = 'failed', failure = 'gave_up', last_error = 'not delivered within the retry period; last error: ' || COALESCE(last_error, 'none')
		WHERE notice_key = $1 AND status = 'pending'`, noticeKey)
	return classify("give up on "+noticeKey, err)
}

// Notification is one outbox row as staff may see it: whom (by role and
// ID), what kind, and what became of it. No address, no content.
type Notification struct {
	ID            int64        `json:"id"`
	ParticipantID *string      `json:"participant_id"`
	Kind          string       `json:"kind"`
	Recipient     domain.Actor `json:"recipient_role"`
	RecipientID   *string      `json:"recipient_id"`
	Language      *string      `json:"language"`
	DeadlineID    *string      `json:"deadline_id"`
	DueAt         *time.Time   `json:"due_at"`
	Status        string       `json:"status"`
	Attempts      int          `json:"attempts"`
	LastError     *string      `json:"last_error"`
	// Failure says why a failed message was not delivered (a Failure code).
	Failure   *string    `json:"failure,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

const notificationColumns = `id, participant_id::text, kind, recipient_role, recipient_id, language, deadline_id, due_at, status, attempts, last_error, failure, created_at, sent_at`

func (s *Store) notifications(ctx context.Context, query string, args ...any) ([]Notification, error) {
	rows, err := s.db.Query(ctx, `SELECT `+notificationColumns+` FROM outbox WHERE `+query, args...)
	if err != nil {
		return nil, classify("notifications", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Notification, error) {
		var n Notification
		err := row.Scan(&n.ID, &n.ParticipantID, &n.Kind, &n.Recipient, &n.RecipientID, &n.Language, &n.DeadlineID, &n.DueAt, &n.Status, &n.Attempts, &n.LastError, &n.Failure, &n.CreatedAt, &n.SentAt)
		return n, err
	})
	if out == nil {
		out = []Notification{}
	}
	return out, classify("notifications", err)
}

// ParticipantNotifications lists the mail about a dossier after the ID
// after, oldest first.
func (s *Store) ParticipantNotifications(ctx context.Context, participantID string, after int64, limit int) ([]Notification, error) {
	return s.notifications(ctx, `participant_id = $1 AND id > $2 ORDER BY id LIMIT $3`, participantID, after, limit)
}

// Outbox lists a centre's mail in one status (pending or failed).
func (s *Store) Outbox(ctx context.Context, centreID, status string, after int64, limit int) ([]Notification, error) {
	return s.notifications(ctx, `centre_id = $1 AND status = $2 AND id > $3 ORDER BY id LIMIT $4`, centreID, status, after, limit)
}

// Undelivered is a message that was not delivered, with the name of the
// participant it is about when the reader may see the dossier.
type Undelivered struct {
	Notification
	Participant string
}

// UndeliveredMessages lists the failed messages of the viewer's centre,
// newest first: with lettersOnly, those to participants of the dossiers
// the viewer may see (each a letter to send by post), with the
// participant's name; without, every failed message and no name (the
// administrator's view, who opens no dossier).
func (s *Store) UndeliveredMessages(ctx context.Context, v Viewer, lettersOnly bool) ([]Undelivered, error) {
	rows, err := s.db.Query(ctx, `
		SELECT `+prefixed("o.", notificationColumns)+`, CASE WHEN $2 THEN COALESCE(p.given_name || ' ' || p.family_name, '') ELSE '' END
		FROM outbox o LEFT JOIN participants p ON p.id = o.participant_id LEFT JOIN trajectories t ON t.participant_id = o.participant_id
		WHERE o.centre_id = $1 AND o.status = 'failed'
		  AND (NOT $2 OR (o.recipient_role = 'participant'
		       AND (NOT $3 OR COALESCE(t.counsellor_id, p.intake_counsellor_id) = $4::uuid)
		       AND (NOT $5 OR `+withProcedure+`)
		       AND COALESCE(t.phase, '') <> 'closed'))
		ORDER BY o.id DESC LIMIT 200`, v.CentreID, lettersOnly, v.CaseloadOnly, v.UserID, v.ProceduresOnly)
	if err != nil {
		return nil, classify("undelivered", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Undelivered, error) {
		var u Undelivered
		n := &u.Notification
		err := row.Scan(&n.ID, &n.ParticipantID, &n.Kind, &n.Recipient, &n.RecipientID, &n.Language, &n.DeadlineID, &n.DueAt, &n.Status, &n.Attempts, &n.LastError, &n.Failure, &n.CreatedAt, &n.SentAt, &u.Participant)
		return u, err
	})
	return out, classify("undelivered", err)
}
