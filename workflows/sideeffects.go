package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
)

// untilDone retries with backoff and no limit: a database or mail outage
// delays a write or a notice, it never drops it. These are short database
// transactions: an attempt lost with a crashed worker is retried after 10
// seconds, not after a long timeout.
func untilDone(ctx workflow.Context, maxInterval time.Duration) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: maxInterval},
	})
}

// loadPolicy reads a centre's policy through a local activity: one marker
// in the history, and a database outage only delays the workflow.
func loadPolicy(ctx workflow.Context, centreID string) (policy.Policy, error) {
	lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
	return LoadPolicy.runLocal(lctx, centreID)
}

// sendNotice asks for one message, addressed to the people behind the role.
// While the relay is unreachable it is retried for the policy's budget;
// then its rows are marked failed and ok is false, for the caller to record
// and alert. The workflow carries on either way.
func sendNotice(ctx workflow.Context, n domain.Notice, budget policy.Period) (ok bool, err error) {
	now := workflow.Now(ctx)
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: budget.After(now).Sub(now),
		RetryPolicy:            &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute},
	})
	if _, err := Notify.run(actx, n); err == nil {
		return true, nil
	} else if temporal.IsCanceledError(err) {
		return false, err
	}
	_, err = GiveUp.run(untilDone(ctx, time.Minute), n.Key)
	return false, err
}

// postbox sends notices without holding up the caller: while the relay is
// down, the next deadline must still pass on time. Closing or continuing as
// new waits until it is idle, so no notice is cut short.
type postbox struct {
	logic    Logic
	inFlight int
}

// post sends n in its own coroutine. When n cannot be delivered within the
// budget, undelivered records it on the dossier and the coordinator gets an
// alert (once; an alert that fails in turn is only recorded).
func (p *postbox) post(ctx workflow.Context, n domain.Notice, budget policy.Period, undelivered func(workflow.Context) error) {
	if !p.logic.asyncNotices(ctx) {
		deliver(ctx, n, budget, undelivered)
		return
	}
	p.inFlight++
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { p.inFlight-- }()
		deliver(ctx, n, budget, undelivered)
	})
}

func deliver(ctx workflow.Context, n domain.Notice, budget policy.Period, undelivered func(workflow.Context) error) {
	logger := workflow.GetLogger(ctx)
	ok, err := sendNotice(ctx, n, budget)
	if err != nil || ok {
		if err != nil {
			logger.Error("notice not sent", "kind", n.Kind, "error", err)
		}
		return
	}
	if err := undelivered(ctx); err != nil {
		logger.Error("undelivered notice not recorded", "kind", n.Kind, "error", err)
	}
	if _, err := sendNotice(ctx, undeliveredNotice(n), budget); err != nil {
		logger.Error("undelivered alert not sent", "kind", n.Kind, "error", err)
	}
}

func (p *postbox) idle() bool { return p.inFlight == 0 }

// undeliveredNotice is the coordinator's alert about a message that could
// not be delivered in time. It is sent once, never alerted about in turn.
func undeliveredNotice(n domain.Notice) domain.Notice {
	return domain.Notice{
		Key: n.Key + "/undelivered", Kind: "notice_undelivered", CentreID: n.CentreID, ParticipantID: n.ParticipantID,
		Recipient: domain.ActorCoordinator, DeadlineID: n.DeadlineID, Due: n.Due,
	}
}

// localWriteTimeout bounds how long a local write may hold the workflow
// task, well under its 10 second timeout: while the database is slow or
// away, timers and updates must not wait behind it.
const localWriteTimeout = 2 * time.Second

// writeTimeline records one event (and, with a snapshot, the read model).
func writeTimeline(ctx workflow.Context, lean bool, ev domain.TimelineEvent, withSnapshot bool) error {
	write := RecordTimelineEvent
	if withSnapshot {
		write = RecordEvent
	}
	_, err := runWrite(ctx, lean, write, ev)
	return err
}

// writeState records a trajectory's event and read model, and returns the
// centre's policy as it is now, read by the same activity.
func writeState(ctx workflow.Context, ev domain.TimelineEvent) (policy.Policy, error) {
	return runWrite(ctx, true, RecordEventReadPolicy, ev)
}

// runWrite runs a read-model write. Lean runs try it once as a local
// activity; if that fails, the ordinary activity retries it until the
// database is back. Writes are idempotent, so a local attempt that
// committed before it timed out changes nothing.
func runWrite[Out any](ctx workflow.Context, lean bool, write Activity[domain.TimelineEvent, Out], ev domain.TimelineEvent) (Out, error) {
	if lean {
		lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
			StartToCloseTimeout: localWriteTimeout,
			RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1},
		})
		out, err := write.runLocal(lctx, ev)
		if err == nil || temporal.IsCanceledError(err) {
			return out, err
		}
		workflow.GetLogger(ctx).Warn("read-model write deferred to an activity", "kind", ev.Kind, "error", err)
	}
	return write.run(untilDone(ctx, time.Minute), ev)
}

// taskPosition places the current workflow task in its workflow's history,
// counted on across continue-as-new (run). Local writes commit before their
// task completes; if the task is lost, its retry comes at a later position
// and the read model replaces what the lost task wrote.
func taskPosition(ctx workflow.Context, run int) int64 {
	return int64(run)<<32 | int64(workflow.GetInfo(ctx).GetCurrentHistoryLength())
}

// recipient addresses a notice: the counsellor is resolved when the notice
// is queued, so a reassignment moves every later reminder.
func recipient(to domain.Actor, participantID, counsellorID, hostID string) string {
	switch to {
	case domain.ActorCounsellor:
		return counsellorID
	case domain.ActorParticipant:
		return participantID
	case domain.ActorHost:
		return hostID
	}
	return "" // every coordinator, or the BCSD secretariat, of the centre
}
