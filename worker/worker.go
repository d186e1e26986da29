// Package worker registers traject's workflows and activities on a Temporal
// worker. `traject worker` and `traject dev` both build their worker here.
package worker

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/traject-ocmw/traject/activities"
	"github.com/traject-ocmw/traject/notify"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// Dependencies are what the activities need.
type Dependencies struct {
	DB *pgxpool.Pool
	// Mailer sends the notices; nil leaves them queued in the outbox.
	Mailer *notify.Mailer
	// PublicURL is where staff open the web pages; messages about a
	// dossier link to it (empty: no link).
	PublicURL string
}

// templates are embedded in the binary; the notify tests render them all.
var templates = func() *notify.Templates {
	t, err := notify.LoadTemplates()
	if err != nil {
		panic(err)
	}
	return t
}()

// New returns a worker on taskQueue with every workflow and activity
// registered. The caller starts and stops it. workflowCache is how many
// runs it keeps in memory (0: the SDK's 10,000); the SDK holds that cache
// per process, shared by every worker in it.
func New(c client.Client, taskQueue string, deps Dependencies, workflowCache int) sdkworker.Worker {
	if workflowCache > 0 {
		sdkworker.SetStickyWorkflowCacheSize(workflowCache)
	}
	// Pollers scale with the backlog: two fixed pollers per kind (the SDK's
	// default) left bursts of contract ends and starts queued on the server,
	// which then pages the backlog through its database.
	w := sdkworker.New(c, taskQueue, sdkworker.Options{
		// A task waiting for this worker's cache goes to any worker after
		// 2 s (the SDK's 5 s) when this worker died.
		StickyScheduleToStartTimeout: 2 * time.Second,
		WorkflowTaskPollerBehavior:   sdkworker.NewPollerBehaviorAutoscaling(sdkworker.PollerBehaviorAutoscalingOptions{}),
		ActivityTaskPollerBehavior:   sdkworker.NewPollerBehaviorAutoscaling(sdkworker.PollerBehaviorAutoscalingOptions{}),

		// Told to stop (SIGTERM, Ctrl-C), the worker lets its running
		// activities finish, within Docker's 10 s before SIGKILL, instead
		// of cancelling them at once: a notice the relay has just
		// accepted then gets its outbox row marked, not sent again.
		WorkerStopTimeout: 8 * time.Second,
	})
	Register(w, deps)
	return w
}

// Register adds the workflows and activities to a worker or the test
// environment.
func Register(r sdkworker.Registry, deps Dependencies) {
	RegisterWorkflows(r)
	st := store.New(deps.DB)
	readModel := &activities.ReadModel{Store: st}
	notifier := &activities.Notifier{Store: st, Templates: templates, Mailer: deps.Mailer, PublicURL: deps.PublicURL}
	policies := &activities.Policies{Store: st}
	retention := &activities.Retention{Store: st}
	registerNoResult(r, workflows.RecordEvent, readModel.RecordEvent)
	registerNoResult(r, workflows.RecordTimelineEvent, readModel.RecordTimelineEvent)
	register(r, workflows.RecordEventReadPolicy, readModel.RecordEventReadPolicy)
	register(r, workflows.LoadPolicy, policies.LoadPolicy)
	registerNoResult(r, workflows.Notify, notifier.Notify)
	registerNoResult(r, workflows.GiveUp, notifier.GiveUp)
	register(r, workflows.SendDigests, notifier.SendDigests)
	register(r, workflows.Purge, retention.Purge)
}

// register binds an activity the workflows call to its implementation
// under its name; the types make the compiler check that they agree.
func register[In, Out any](r sdkworker.ActivityRegistry, a workflows.Activity[In, Out], fn func(context.Context, In) (Out, error)) {
	r.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: a.Name})
}

// registerNoResult is register for an activity that answers only an error.
func registerNoResult[In any](r sdkworker.ActivityRegistry, a workflows.Activity[In, workflows.None], fn func(context.Context, In) error) {
	r.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: a.Name})
}

// RegisterWorkflows adds the workflows alone, for the replayer.
func RegisterWorkflows(r sdkworker.WorkflowRegistry) {
	r.RegisterWorkflowWithOptions(workflows.Trajectory, workflow.RegisterOptions{Name: workflows.TrajectoryWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.SanctionProcedure, workflow.RegisterOptions{Name: workflows.SanctionWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.Digest, workflow.RegisterOptions{Name: workflows.DigestWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.Retention, workflow.RegisterOptions{Name: workflows.RetentionWorkflowName})
}
