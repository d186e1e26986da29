package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// alarm is the one timer the main loop waits on for the earliest deadline.
// It is kept while that deadline stays the same: before the lean history,
// every wake-up by an update cancelled the timer and started a new one.
type alarm struct {
	due    time.Time
	timer  workflow.Future
	cancel workflow.CancelFunc
}

// await blocks until due, or until woken returns true.
func (a *alarm) await(ctx workflow.Context, lean bool, due time.Time, woken func() bool) error {
	if !lean {
		_, err := workflow.AwaitWithTimeout(ctx, due.Sub(workflow.Now(ctx)), woken)
		return err
	}
	if a.timer == nil || !a.due.Equal(due) {
		if a.timer != nil && !a.timer.IsReady() {
			a.cancel()
		}
		tctx, cancel := workflow.WithCancel(ctx)
		a.due, a.cancel = due, cancel
		a.timer = workflow.NewTimer(tctx, due.Sub(workflow.Now(ctx)))
	}
	return workflow.Await(ctx, func() bool { return woken() || a.timer.IsReady() })
}
