package workflows

import (
	"time"

	"github.com/traject-ocmw/traject/domain"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// RetentionWorkflowName is the nightly purge the retention schedule starts.
const RetentionWorkflowName = "Retention"

// RetentionScheduleID names the installation's retention schedule.
const RetentionScheduleID = "retention"

// Retention reduces closed dossiers past their centre's retention period to
// anonymous statistics rows, and logs how many per centre (never who).
func Retention(ctx workflow.Context) (domain.PurgeReport, error) {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Minute, BackoffCoefficient: 2, MaximumInterval: time.Hour},
	})
	report, err := Purge.run(actx, workflow.Now(ctx))
	if err == nil {
		workflow.GetLogger(ctx).Info("retention run", "anonymised", report.Anonymised, "idempotency_keys", report.IdempotencyKeys)
	}
	return report, err
}
