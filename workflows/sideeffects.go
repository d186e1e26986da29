package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/traject-ocmw/traject/activities"
	"github.com/traject-ocmw/traject/policy"
)

// Nil instances: the workflows name activity methods through them, so the
// calls stay type-checked.
var (
	readModel *activities.ReadModel
	notifier  *activities.Notifier
	policies  *activities.Policies
)

// untilDone retries with backoff and no limit: a database or mail outage
// delays a write or a notice, it never drops it.
func untilDone(ctx workflow.Context, maxInterval time.Duration) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
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
	var p policy.Policy
	err := workflow.ExecuteLocalActivity(lctx, policies.LoadPolicy, centreID).Get(ctx, &p)
	return p, err
}

// queueNotice asks for one message, addressed to the people behind the role.
func queueNotice(ctx workflow.Context, n activities.Notice) error {
	return workflow.ExecuteActivity(untilDone(ctx, 5*time.Minute), notifier.Notify, n).Get(ctx, nil)
}

// writeTimeline records one event (and, with a snapshot, the read model).
func writeTimeline(ctx workflow.Context, ev activities.TimelineEvent, withSnapshot bool) error {
	wctx := untilDone(ctx, time.Minute)
	if withSnapshot {
		return workflow.ExecuteActivity(wctx, readModel.RecordEvent, ev).Get(ctx, nil)
	}
	return workflow.ExecuteActivity(wctx, readModel.RecordTimelineEvent, ev).Get(ctx, nil)
}

// recipient addresses a notice: the counsellor is resolved when the notice
// is queued, so a reassignment moves every later reminder.
func recipient(to Actor, participantID, counsellorID, hostID string) string {
	switch to {
	case ActorCounsellor:
		return counsellorID
	case ActorParticipant:
		return participantID
	case ActorHost:
		return hostID
	}
	return "" // every coordinator, or the BCSD secretariat, of the centre
}
