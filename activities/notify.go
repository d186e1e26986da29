package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/store"
)

// Notifier delivers the reminders, alerts and letters the workflows ask for.
type Notifier struct {
	Store     *store.Store
	Templates *notify.Templates
	// Mailer, when nil, leaves the messages queued in the outbox (the
	// workflow unit tests run so); the worker always has one.
	Mailer *notify.Mailer
	// PublicURL, when set, is where staff open the web pages: a message
	// about a dossier links to its page there.
	PublicURL string
}

// Notice is one message a workflow asks for (the workflows' contract).
type Notice = domain.Notice

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
	// The relay's answer is recorded even when the attempt was cancelled
	// meanwhile (a worker that stops cancels its running activities) or
	// PostgreSQL is away for a moment: a message it accepted, its row left
	// pending, would be sent again.
	markCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	var temporary error
	for i, sendErr := range a.Mailer.Send(ctx, envs) {
		if err := a.markAfterSend(markCtx, rows[i], sendErr); err != nil {
			return err
		}
		if sendErr != nil && !notify.Permanent(sendErr) && temporary == nil {
			temporary = sendErr
		}
	}
	return temporary
}

// markTimeout bounds the marks after a send, which outlive a cancellation
// and wait out a short database outage; well under the activity's 30 s, so
// that Temporal does not start another attempt meanwhile.
const markTimeout = 15 * time.Second

// recipients resolves the role to people.
func (a *Notifier) recipients(ctx context.Context, n Notice) ([]person, error) {
	found, err := a.Store.Recipients(ctx, n.Recipient, n.CentreID, n.RecipientID)
	if err != nil {
		return nil, fmt.Errorf("notice %s: %w", n.Kind, err)
	}
	people := make([]person, len(found))
	for i, r := range found {
		people[i] = person{id: r.ID, email: r.Email, language: r.Language}
	}
	return people, nil
}

// queue writes the outbox row for one person once and returns it.
func (a *Notifier) queue(ctx context.Context, n Notice, p person) (outboxRow, error) {
	key := n.Key + "/" + p.id
	row := outboxRow{key: key, messageID: MessageID(key), person: p}
	var due *time.Time
	if !n.Due.IsZero() {
		due = &n.Due
	}
	var err error
	row.id, row.status, err = a.Store.QueueMessage(ctx, store.OutboxEntry{
		Key: key, NoticeKey: n.Key, CentreID: n.CentreID, ParticipantID: n.ParticipantID, Kind: n.Kind,
		Recipient: n.Recipient, RecipientID: p.id, Language: p.language, DeadlineID: n.DeadlineID,
		Due: due, Note: n.Note, MessageID: row.messageID,
	})
	if err != nil {
		return row, err
	}
	return row, nil
}

// render builds the envelopes; rows that cannot be sent at all (no
// address, no template) are marked failed and dropped from the batch.
func (a *Notifier) render(ctx context.Context, n Notice, rows []outboxRow) ([]notify.Envelope, []outboxRow, error) {
	mc, err := a.Store.MessageContext(ctx, n.CentreID, n.ParticipantID)
	if err != nil {
		return nil, nil, fmt.Errorf("message data of %s: %w", n.Kind, err)
	}
	participant, centre, replyTo := mc.Participant, mc.Centre, mc.ReplyTo
	loc, err := time.LoadLocation(mc.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	var envs []notify.Envelope
	var kept []outboxRow
	for _, row := range rows {
		if row.person.email == "" {
			if err := a.mark(ctx, row, cannotSend(store.FailureNoAddress, "no e-mail address for this %s", n.Recipient)); err != nil {
				return nil, nil, err
			}
			continue
		}
		lang := row.person.language
		data := notify.Data{Participant: participant, Centre: centre, Due: notify.FormatDue(n.Due, lang, loc), FaceToFace: n.Note == "face_to_face", About: notify.Label(n.Note, lang)}
		if a.PublicURL != "" && n.ParticipantID != "" {
			// A host's user opens the worker's page; staff the dossier.
			page := "/dossiers/"
			if n.Recipient == domain.ActorHost {
				page = "/host/workers/"
			}
			data.Link = strings.TrimSuffix(a.PublicURL, "/") + page + n.ParticipantID
		}
		msg, err := a.Templates.Render(n.Kind, n.Recipient, lang, data)
		if err != nil {
			if err := a.mark(ctx, row, cannotSend(store.FailureNoTemplate, "template: %v", err)); err != nil {
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
		err = a.Store.MarkSent(ctx, row.id)
	case notify.Permanent(sendErr):
		failure := store.FailureRejected
		var u undeliverable
		if errors.As(sendErr, &u) {
			failure = u.failure
		}
		err = a.Store.MarkFailed(ctx, row.id, failure, sendErr.Error())
	default:
		err = a.Store.MarkAttempt(ctx, row.id, sendErr.Error())
	}
	if err != nil {
		return fmt.Errorf("mark outbox row %d: %w", row.id, err)
	}
	return nil
}

// markAfterSend is mark, tried again while the database is unavailable,
// until ctx ends.
func (a *Notifier) markAfterSend(ctx context.Context, row outboxRow, sendErr error) error {
	wait := 100 * time.Millisecond
	for {
		err := a.mark(ctx, row, sendErr)
		if err == nil || !errors.Is(err, store.ErrUnavailable) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// GiveUp marks the rows of a notice that are still pending as failed, once
// the workflow stopped retrying it: the relay stayed unreachable too long.
func (a *Notifier) GiveUp(ctx context.Context, noticeKey string) error {
	return a.Store.GiveUpNotice(ctx, noticeKey)
}

// MessageID derives the Message-ID from the idempotency key, so that a
// resend after a crash carries the same one and can be recognised.
func MessageID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16]) + "@traject"
}

// undeliverable is a message that cannot be sent at all, with the code
// the pages put in words for whoever must then send it by post.
type undeliverable struct {
	failure string
	error
}

func (u undeliverable) Unwrap() error { return u.error }

func cannotSend(failure, format string, args ...any) error {
	return notify.PermanentError(undeliverable{failure, fmt.Errorf(format, args...)})
}
