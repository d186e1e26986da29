package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/traject-ocmw/traject/activities"
)

// RetentionWorkflowName is the nightly purge the retention schedule starts.
const RetentionWorkflowName = "Retention"

// RetentionScheduleID names the installation's retention schedule.
const RetentionScheduleID = "retention"

var retention *activities.Retention

// Retention reduces closed dossiers past their centre's retention period to
// anonymous statistics rows, and logs how many per centre (never who).
func Retention(ctx workflow.Context) (activities.PurgeReport, error) {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Minute, BackoffCoefficient: 2, MaximumInterval: time.Hour},
	})
	var report activities.PurgeReport
	err := workflow.ExecuteActivity(actx, retention.Purge, workflow.Now(ctx)).Get(ctx, &report)
	if err == nil {
		workflow.GetLogger(ctx).Info("retention run", "anonymised", report.Anonymised, "idempotency_keys", report.IdempotencyKeys)
	}
	return report, err
}
