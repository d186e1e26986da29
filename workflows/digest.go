package workflows

import (
	"time"

	"github.com/traject-ocmw/traject/domain"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// DigestWorkflowName is the workflow a centre's digest schedules start.
const DigestWorkflowName = "Digest"

// DigestScheduleID names a centre's daily or weekly digest schedule.
func DigestScheduleID(centreID, kind string) string { return "digest-" + kind + ":" + centreID }

// DigestInput says which centre and which digest.
type DigestInput struct {
	CentreID string `json:"centre_id"`
	Kind     string `json:"kind"` // daily, weekly, or DigestHost
}

// Digest sends one centre's daily digests to its counsellors or weekly
// digests to its coordinators, from the read model, as of the schedule's
// run. It retries within the policy's budget, like any notice.
func Digest(ctx workflow.Context, in DigestInput) (int, error) {
	p, err := loadPolicy(ctx, in.CentreID)
	if err != nil {
		return 0, err
	}
	now := workflow.Now(ctx)
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    time.Minute,
		ScheduleToCloseTimeout: p.Notifications.RetryFor.After(now).Sub(now),
		RetryPolicy:            &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute},
	})
	return SendDigests.run(actx, domain.DigestRequest{
		CentreID: in.CentreID, Kind: in.Kind, AsOf: now, Until: p.Notifications.DigestHorizon.After(now),
	})
}
