package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/notify"
)

// Notifier delivers the reminders, alerts and letters the workflows ask for.
type Notifier struct {
	DB        *pgxpool.Pool
	Templates *notify.Templates
	// Mailer, when nil, leaves the messages queued in the outbox (the
	// workflow unit tests run so); the worker always has one.
	Mailer *notify.Mailer
}

// Notice is one message a workflow asks for. IDs and codes only: the
// activity reads names and addresses from PostgreSQL.
type Notice struct {
	// Key is stable for one message (workflow, deadline, reminder, due
	// date): asking twice sends it once.
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

// person is one recipient of a notice.
type person struct {
	id, email, language string
}

// outboxRow is a message as the outbox knows it.
type outboxRow struct {
	id        int64
	key       string
	messageID string
	status    string
	person    person
}

// Notify writes one outbox row per recipient, sends the rows not sent yet
// and marks them. A row marked sent is never sent again. A permanent
// failure (no address, 5xx) is recorded on the row and not retried; a
// temporary one fails the activity so that Temporal retries it with
// backoff, and the rows already sent stay sent.
func (a *Notifier) Notify(ctx context.Context, n Notice) error {
	people, err := a.recipients(ctx, n)
	if err != nil {
		return err
	}
	if len(people) == 0 {
		// Nobody holds the role (or the host is unknown): a row without an
		// address, recorded as failed, so that the gap shows in the outbox.
		id := n.RecipientID
		if id == "" {
			id = "nobody"
		}
		people = []person{{id: id}}
	}
	var rows []outboxRow
	for _, p := range people {
		row, err := a.queue(ctx, n, p)
		if err != nil {
			return err
		}
		if row.status == "pending" {
			rows = append(rows, row)
		}
	}
	if a.Mailer == nil || len(rows) == 0 {
		return nil
	}
	envs, rows, err := a.render(ctx, n, rows)
	if err != nil {
		return err
	}
	var temporary error
	for i, sendErr := range a.Mailer.Send(ctx, envs) {
		if err := a.mark(ctx, rows[i], sendErr); err != nil {
			return err
		}
		if sendErr != nil && !notify.Permanent(sendErr) && temporary == nil {
			temporary = sendErr
		}
	}
	return temporary
}

// recipients resolves the role to people. The counsellor and the
// participant are named by ID; coordinators and the BCSD secretariat are
// every active user of that role in the centre.
func (a *Notifier) recipients(ctx context.Context, n Notice) ([]person, error) {
	var q string
	var args []any
	switch n.RecipientRole {
	case "participant":
		q, args = `SELECT id::text, COALESCE(email, ''), language FROM participants WHERE id = $1`, []any{n.RecipientID}
	case "counsellor":
		q, args = `SELECT id::text, email, language FROM staff_users WHERE id = $1`, []any{n.RecipientID}
	case "coordinator", "bcsd":
		q, args = `SELECT id::text, email, language FROM staff_users WHERE centre_id = $1 AND role = $2 AND active ORDER BY id`, []any{n.CentreID, n.RecipientRole}
	case "host":
		q, args = `SELECT id::text, COALESCE(email, ''), language FROM host_organisations WHERE id::text = $1`, []any{n.RecipientID}
	default:
		return nil, fmt.Errorf("notice %s: unknown recipient role %q", n.Kind, n.RecipientRole)
	}
	rows, err := a.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("recipients of %s: %w", n.Kind, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (person, error) {
		var p person
		err := r.Scan(&p.id, &p.email, &p.language)
		return p, err
	})
}

// queue writes the outbox row for one person once and returns it.
func (a *Notifier) queue(ctx context.Context, n Notice, p person) (outboxRow, error) {
	key := n.Key + "/" + p.id
	row := outboxRow{key: key, messageID: MessageID(key), person: p}
	var due *time.Time
	if !n.Due.IsZero() {
		due = &n.Due
	}
	_, err := a.DB.Exec(ctx, `
		INSERT INTO outbox (idempotency_key, notice_key, centre_id, participant_id, kind, recipient_role, recipient_id, language, deadline_id, due_at, note, message_id)
		VALUES ($1, $2, $3, NULLIF($4, '')::uuid, $5, $6, NULLIF($7, ''), NULLIF($8, ''), NULLIF($9, ''), $10, NULLIF($11, ''), $12)
		ON CONFLICT (idempotency_key) DO NOTHING`,
		key, n.Key, n.CentreID, n.ParticipantID, n.Kind, n.RecipientRole, p.id, p.language, n.DeadlineID, due, n.Note, row.messageID)
	if err != nil {
		return row, fmt.Errorf("queue %s: %w", n.Kind, err)
	}
	err = a.DB.QueryRow(ctx, `SELECT id, status FROM outbox WHERE idempotency_key = $1`, key).Scan(&row.id, &row.status)
	if err != nil {
		return row, fmt.Errorf("queue %s: %w", n.Kind, err)
	}
	return row, nil
}

// render builds the envelopes; rows that cannot be sent at all (no
// address, no template) are marked failed and dropped from the batch.
func (a *Notifier) render(ctx context.Context, n Notice, rows []outboxRow) ([]notify.Envelope, []outboxRow, error) {
	var participant, centre, tz, replyTo string
	err := a.DB.QueryRow(ctx, `
		SELECT COALESCE(p.given_name || ' ' || p.family_name, ''), c.name, c.time_zone, COALESCE(c.reply_to, '')
		FROM centres c LEFT JOIN participants p ON p.id = NULLIF($2, '')::uuid
		WHERE c.id = $1`, n.CentreID, n.ParticipantID).Scan(&participant, &centre, &tz, &replyTo)
	if err != nil {
		return nil, nil, fmt.Errorf("message data of %s: %w", n.Kind, err)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	var envs []notify.Envelope
	var kept []outboxRow
	for _, row := range rows {
		if row.person.email == "" {
			if err := a.mark(ctx, row, permanentf("no e-mail address for this %s", n.RecipientRole)); err != nil {
				return nil, nil, err
			}
			continue
		}
		lang := row.person.language
		msg, err := a.Templates.Render(n.Kind, n.RecipientRole, lang, notify.Data{
			Participant: participant, Centre: centre, Due: notify.FormatDue(n.Due, lang, loc), FaceToFace: n.Note == "face_to_face",
		})
		if err != nil {
			if err := a.mark(ctx, row, permanentf("template: %v", err)); err != nil {
				return nil, nil, err
			}
			continue
		}
		envs = append(envs, notify.Envelope{To: row.person.email, ReplyTo: replyTo, Message: msg, MessageID: row.messageID})
		kept = append(kept, row)
	}
	return envs, kept, nil
}

// mark records the outcome of one attempt. The error text is the relay's
// answer or a reason of ours; it holds no message content.
func (a *Notifier) mark(ctx context.Context, row outboxRow, sendErr error) error {
	var err error
	switch {
	case sendErr == nil:
		_, err = a.DB.Exec(ctx, `UPDATE outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1 AND status <> 'sent'`, row.id)
	case notify.Permanent(sendErr):
		_, err = a.DB.Exec(ctx, `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $2 WHERE id = $1 AND status = 'pending'`, row.id, sendErr.Error())
	default:
		_, err = a.DB.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1 AND status = 'pending'`, row.id, sendErr.Error())
	}
	if err != nil {
		return fmt.Errorf("mark outbox row %d: %w", row.id, err)
	}
	return nil
}

// GiveUp marks the rows of a notice that are still pending as failed, once
// the workflow stopped retrying it: the relay stayed unreachable too long.
func (a *Notifier) GiveUp(ctx context.Context, noticeKey string) error {
	_, err := a.DB.Exec(ctx, `
		UPDATE outbox SET status = 'failed', last_error = 'not delivered within the retry period; last error: ' || COALESCE(last_error, 'none')
		WHERE notice_key = $1 AND status = 'pending'`, noticeKey)
	if err != nil {
		return fmt.Errorf("give up on %s: %w", noticeKey, err)
	}
	return nil
}

// MessageID derives the Message-ID from the idempotency key, so that a
// resend after a crash carries the same one and can be recognised.
func MessageID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16]) + "@traject"
}

func permanentf(format string, args ...any) error {
	return notify.PermanentError(fmt.Errorf(format, args...))
}
