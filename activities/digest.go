package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/traject-ocmw/traject/notify"
)

// DigestRequest asks for one centre's daily or weekly digests.
type DigestRequest struct {
	CentreID string    `json:"centre_id"`
	Kind     string    `json:"kind"` // daily or weekly
	AsOf     time.Time `json:"as_of"`
	// Until: the daily digest lists deadlines due before it.
	Until time.Time `json:"until"`
}

// deadlineRow is one open deadline from the read model.
type deadlineRow struct {
	counsellorID, counsellor, participant, kind string
	due                                         time.Time
	passed                                      bool
}

// SendDigests sends, from the read model, one daily digest to each
// counsellor (deadlines before Until and anything overdue in their
// caseload) or one weekly digest to each coordinator (the team's overdue
// deadlines by counsellor). Nobody gets an empty one. The outbox key holds
// the day, so a retry or a second run that day sends nothing new.
func (a *Notifier) SendDigests(ctx context.Context, r DigestRequest) (int, error) {
	var centre, tz, replyTo string
	if err := a.DB.QueryRow(ctx, `SELECT name, time_zone, COALESCE(reply_to, '') FROM centres WHERE id = $1`, r.CentreID).Scan(&centre, &tz, &replyTo); err != nil {
		return 0, fmt.Errorf("digest of %s: %w", r.CentreID, err)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	deadlines, err := a.openDeadlines(ctx, r)
	if err != nil {
		return 0, err
	}
	role := map[string]string{"daily": "counsellor", "weekly": "coordinator"}[r.Kind]
	if role == "" {
		return 0, fmt.Errorf("digest kind %q is not daily or weekly", r.Kind)
	}
	rows, err := a.DB.Query(ctx, `SELECT id::text, email, display_name, language FROM staff_users WHERE centre_id = $1 AND role = $2 AND active ORDER BY id`, r.CentreID, role)
	if err != nil {
		return 0, err
	}
	type staff struct {
		person
		name string
	}
	people, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (staff, error) {
		var s staff
		err := row.Scan(&s.id, &s.email, &s.name, &s.language)
		return s, err
	})
	if err != nil {
		return 0, err
	}
	day := r.AsOf.In(loc).Format(time.DateOnly)
	var envs []notify.Envelope
	var queued []outboxRow
	for _, p := range people {
		data := notify.Data{Centre: centre, Recipient: p.name}
		item := func(d deadlineRow) notify.Item {
			return notify.Item{Participant: d.participant, What: notify.Label(d.kind, p.language), Due: notify.FormatDue(d.due, p.language, loc), Overdue: d.passed}
		}
		for _, d := range deadlines {
			switch {
			case r.Kind == "daily" && d.counsellorID == p.id:
				data.Items = append(data.Items, item(d))
			case r.Kind == "weekly" && d.passed:
				if n := len(data.Groups); n == 0 || data.Groups[n-1].Counsellor != d.counsellor {
					data.Groups = append(data.Groups, notify.Group{Counsellor: d.counsellor})
				}
				g := &data.Groups[len(data.Groups)-1]
				g.Items = append(g.Items, item(d))
			}
		}
		if len(data.Items) == 0 && len(data.Groups) == 0 {
			continue
		}
		kind := "digest_" + r.Kind
		row, err := a.queue(ctx, Notice{Key: "digest/" + r.Kind + "/" + r.CentreID + "/" + day, Kind: kind, CentreID: r.CentreID, RecipientRole: role, RecipientID: p.id}, p.person)
		if err != nil {
			return 0, err
		}
		if row.status != "pending" || a.Mailer == nil {
			continue
		}
		msg, err := a.Templates.Render(kind, role, p.language, data)
		if err != nil {
			if err := a.mark(ctx, row, permanentf("template: %v", err)); err != nil {
				return 0, err
			}
			continue
		}
		envs = append(envs, notify.Envelope{To: p.email, ReplyTo: replyTo, Message: msg, MessageID: row.messageID})
		queued = append(queued, row)
	}
	if len(envs) == 0 {
		return 0, nil
	}
	sent := 0
	var temporary error
	for i, sendErr := range a.Mailer.Send(ctx, envs) {
		if err := a.mark(ctx, queued[i], sendErr); err != nil {
			return sent, err
		}
		switch {
		case sendErr == nil:
			sent++
		case !notify.Permanent(sendErr) && temporary == nil:
			temporary = sendErr
		}
	}
	return sent, temporary
}

// openDeadlines reads the open deadlines of the centre's open trajectories
// from the read model: for the daily digest those before Until, for the
// weekly one those overdue. Ordered by counsellor, then due date.
func (a *Notifier) openDeadlines(ctx context.Context, r DigestRequest) ([]deadlineRow, error) {
	rows, err := a.DB.Query(ctx, `
		SELECT t.counsellor_id::text, s.display_name, p.given_name || ' ' || p.family_name,
		       d->>'kind', (d->>'due')::timestamptz, COALESCE((d->>'passed')::boolean, false)
		FROM trajectories t
		JOIN participants p ON p.id = t.participant_id
		JOIN staff_users s ON s.id = t.counsellor_id
		CROSS JOIN LATERAL jsonb_array_elements(
			CASE jsonb_typeof(t.state->'deadlines') WHEN 'array' THEN t.state->'deadlines' ELSE '[]'::jsonb END) d
		WHERE t.centre_id = $1 AND t.phase <> 'closed'
		  AND ((d->>'due')::timestamptz < $2 OR COALESCE((d->>'passed')::boolean, false))
		ORDER BY s.display_name, t.counsellor_id, (d->>'due')::timestamptz, p.family_name`, r.CentreID, r.Until)
	if err != nil {
		return nil, fmt.Errorf("digest deadlines of %s: %w", r.CentreID, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (deadlineRow, error) {
		var d deadlineRow
		err := row.Scan(&d.counsellorID, &d.counsellor, &d.participant, &d.kind, &d.due, &d.passed)
		return d, err
	})
}
