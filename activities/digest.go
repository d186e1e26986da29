package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/store"
)

// DigestRequest asks for one centre's daily or weekly digests (the
// workflows' contract).
type DigestRequest = domain.DigestRequest

// SendDigests sends, from the read model, one daily digest to each
// counsellor (deadlines before Until and anything overdue in their
// caseload) or one weekly digest to each coordinator (the team's overdue
// deadlines by counsellor). Nobody gets an empty one. The outbox key holds
// the day, so a retry or a second run that day sends nothing new.
func (a *Notifier) SendDigests(ctx context.Context, r DigestRequest) (int, error) {
	if r.Kind == domain.DigestHost {
		return a.sendHostDigests(ctx, r)
	}
	c, err := a.Store.Centre(ctx, r.CentreID)
	if err != nil {
		return 0, fmt.Errorf("digest of %s: %w", r.CentreID, err)
	}
	centre, replyTo := c.Name, c.ReplyTo
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	deadlines, err := a.Store.OpenDeadlines(ctx, r.CentreID, r.Until)
	if err != nil {
		return 0, err
	}
	// the daily digest goes to each counsellor, the weekly to each coordinator
	to, role := domain.ActorCounsellor, domain.RoleCounsellor
	switch r.Kind {
	case domain.DigestDaily:
	case domain.DigestWeekly:
		to, role = domain.ActorCoordinator, domain.RoleCoordinator
	default:
		return 0, fmt.Errorf("digest kind %q is not daily or weekly", r.Kind)
	}
	people, err := a.Store.ActiveStaff(ctx, r.CentreID, role)
	if err != nil {
		return 0, err
	}
	day := r.AsOf.In(loc).Format(time.DateOnly)
	var envs []notify.Envelope
	var queued []outboxRow
	for _, p := range people {
		data := notify.Data{Centre: centre, Recipient: p.Name}
		item := func(d store.OpenDeadline) notify.Item {
			return notify.Item{Participant: d.Participant, What: notify.Label(d.Kind, p.Language), Due: notify.FormatDue(d.Due, p.Language, loc), Overdue: d.Passed}
		}
		for _, d := range deadlines {
			switch {
			case r.Kind == domain.DigestDaily && d.CounsellorID == p.ID:
				data.Items = append(data.Items, item(d))
			case r.Kind == domain.DigestWeekly && d.Passed:
				if n := len(data.Groups); n == 0 || data.Groups[n-1].Counsellor != d.Counsellor {
					data.Groups = append(data.Groups, notify.Group{Counsellor: d.Counsellor})
				}
				g := &data.Groups[len(data.Groups)-1]
				g.Items = append(g.Items, item(d))
			}
		}
		if len(data.Items) == 0 && len(data.Groups) == 0 {
			continue
		}
		kind := "digest_" + r.Kind
		row, err := a.queue(ctx, Notice{Key: "digest/" + r.Kind + "/" + r.CentreID + "/" + day, Kind: kind, CentreID: r.CentreID, Recipient: to, RecipientID: p.ID}, person{id: p.ID, email: p.Email, language: p.Language})
		if err != nil {
			return 0, err
		}
		if row.status != "pending" || a.Mailer == nil {
			continue
		}
		msg, err := a.Templates.Render(kind, to, p.Language, data)
		if err != nil {
			if err := a.mark(ctx, row, cannotSend(store.FailureNoTemplate, "template: %v", err)); err != nil {
				return 0, err
			}
			continue
		}
		envs = append(envs, notify.Envelope{To: p.Email, ReplyTo: replyTo, Message: msg, MessageID: row.messageID})
		queued = append(queued, row)
	}
	return a.send(ctx, envs, queued)
}

// sendHostDigests sends each host's users, in their language, one digest
// of what is due for its workers of every centre: contract ends, its
// checks, the trainings still to follow, before Until or overdue. A host
// without users gets it at its own address. Nobody gets an empty one; the
// outbox key holds the day.
func (a *Notifier) sendHostDigests(ctx context.Context, r DigestRequest) (int, error) {
	dues, err := a.Store.HostDues(ctx, r.Until)
	if err != nil {
		return 0, err
	}
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		loc = time.UTC
	}
	day := r.AsOf.In(loc).Format(time.DateOnly)
	var envs []notify.Envelope
	var queued []outboxRow
	for len(dues) > 0 {
		host := dues[0].HostID
		n := 1
		for n < len(dues) && dues[n].HostID == host {
			n++
		}
		mine := dues[:n]
		dues = dues[n:]
		people, err := a.Store.Recipients(ctx, domain.ActorHost, "", host)
		if err != nil {
			return 0, err
		}
		for _, p := range people {
			if p.Email == "" {
				continue
			}
			data := notify.Data{}
			for _, d := range mine {
				data.Items = append(data.Items, notify.Item{Participant: d.Participant + " (" + d.Centre + ")",
					What: notify.Label(d.Kind, p.Language), Due: notify.FormatDue(d.Due, p.Language, loc), Overdue: d.Passed})
			}
			row, err := a.queue(ctx, Notice{Key: "digest/host/" + host + "/" + day, Kind: "digest_host", Recipient: domain.ActorHost, RecipientID: p.ID},
				person{id: p.ID, email: p.Email, language: p.Language})
			if err != nil {
				return 0, err
			}
			if row.status != "pending" || a.Mailer == nil {
				continue
			}
			msg, err := a.Templates.Render("digest_host", domain.ActorHost, p.Language, data)
			if err != nil {
				if err := a.mark(ctx, row, cannotSend(store.FailureNoTemplate, "template: %v", err)); err != nil {
					return 0, err
				}
				continue
			}
			envs = append(envs, notify.Envelope{To: p.Email, Message: msg, MessageID: row.messageID})
			queued = append(queued, row)
		}
	}
	return a.send(ctx, envs, queued)
}

// send mails a digest batch and marks each row; a temporary failure is
// returned for a retry, which sends only what is still pending.
func (a *Notifier) send(ctx context.Context, envs []notify.Envelope, queued []outboxRow) (int, error) {
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
