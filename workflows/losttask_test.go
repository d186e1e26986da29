package workflows_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/traject-ocmw/traject/activities"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/testenv"
	"github.com/traject-ocmw/traject/worker"
	"github.com/traject-ocmw/traject/workflows"
)

// A local write commits inside its workflow task; when the worker stops
// before that task completes, the task is lost and its retry may run in
// another order (here: a check-in update arrives meanwhile and is handled
// before the check-in due is passed). The retry's writes must replace what
// the lost task wrote: the check-in recorded once, one timeline event per
// state version, the read model equal to the workflow's state.
func TestLostWorkflowTaskLeavesNoStaleWrite(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	d := &driver{t: t, db: db, fx: fx}
	d.savePolicy(func(p *policy.Policy) {
		p.PostArticle60 = policy.PostArticle60{
			Length: policy.Seconds(120), CheckInEvery: policy.Seconds(3),
			OutcomeReminders: []policy.Period{policy.Seconds(2)}, OutcomeGrace: policy.Seconds(3),
		}
		p.Calendar.MoveToWorkingDay = false
	})
	c := testenv.Client(t)
	queue := fmt.Sprintf("lost-task-%d", time.Now().UnixNano())
	lose := &loseTaskAfterWrite{kind: "task_due", committed: make(chan struct{})}
	lose.armed.Store(true)
	start := func() sdkworker.Worker {
		w := sdkworker.New(c, queue, sdkworker.Options{Interceptors: []interceptor.WorkerInterceptor{lose}})
		worker.Register(w, worker.Dependencies{DB: db})
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		return w
	}
	first := start()

	id := fmt.Sprintf("%s-lost-%d", workflows.WorkflowID(fx.ParticipantID), time.Now().UnixNano())
	in := d.input()
	in.LeefloonDecisionDate = time.Now()
	// A short task timeout: the lost task is retried 4 seconds later.
	opts := client.StartWorkflowOptions{ID: id, TaskQueue: queue, WorkflowTaskTimeout: 4 * time.Second}
	if _, err := c.ExecuteWorkflow(ctx, opts, workflows.TrajectoryWorkflowName, in); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.TerminateWorkflow(context.Background(), id, "", "test over") })
	toFollowUp(t, ctx, c, d, id)

	// The first check-in falls due 3 seconds into the follow-up; its write
	// commits and the worker stops under it.
	select {
	case <-lose.committed:
	case <-ctx.Done():
		t.Fatal("the check-in due was never written")
	}
	first.Stop()
	checkIn := make(chan error, 1)
	go func() {
		checkIn <- sendUpdate(ctx, c, id, workflows.UpdateRecordCheckIn, workflows.CheckInRequest{By: d.counsellor(), On: time.Now()}, nil)
	}()
	time.Sleep(time.Second) // the update waits for the retried task
	second := start()
	defer second.Stop()
	if err := <-checkIn; err != nil {
		t.Fatalf("check-in: %v", err)
	}

	final := queryState(t, ctx, c, id)
	var version, events, versions, checkIns int64
	if err := db.QueryRow(ctx, `SELECT version FROM trajectories WHERE participant_id = $1`, fx.ParticipantID).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `
		SELECT count(*), count(DISTINCT seq), count(*) FILTER (WHERE kind = 'check_in_recorded')
		FROM timeline_events WHERE participant_id = $1`, fx.ParticipantID).Scan(&events, &versions, &checkIns); err != nil {
		t.Fatal(err)
	}
	if len(final.PostArticle60.CheckIns) != 1 || checkIns != 1 {
		t.Errorf("check-ins: %d in the workflow, %d in the timeline; want 1 and 1", len(final.PostArticle60.CheckIns), checkIns)
	}
	if version != final.Version || events != versions || versions != final.Version {
		t.Errorf("read model v%d, workflow v%d, timeline %d events for %d versions", version, final.Version, events, versions)
	}
	if lose.armed.Load() {
		t.Error("no workflow task was lost: the test proved nothing")
	}
}

// loseTaskAfterWrite lets the first local write of one kind commit, then
// holds its workflow task until the worker stops under it.
type loseTaskAfterWrite struct {
	interceptor.WorkerInterceptorBase
	kind      string
	armed     atomic.Bool
	committed chan struct{}
}

func (l *loseTaskAfterWrite) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	i := &loseTaskActivity{lose: l}
	i.Next = next
	return i
}

type loseTaskActivity struct {
	interceptor.ActivityInboundInterceptorBase
	lose *loseTaskAfterWrite
}

func (a *loseTaskActivity) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	result, err := a.Next.ExecuteActivity(ctx, in)
	if err != nil || !activity.GetInfo(ctx).IsLocalActivity || len(in.Args) == 0 {
		return result, err
	}
	if ev, ok := in.Args[0].(activities.TimelineEvent); ok && ev.Kind == a.lose.kind && a.lose.armed.CompareAndSwap(true, false) {
		close(a.lose.committed)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return result, err
}
