package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
)

// Activity is an activity the workflows call: the name the worker
// registers it under (recorded histories hold it) with its argument and
// result types. The workflows refer to activities through these values
// rather than import package activities, so that the API, which imports
// this contract, never links their implementations; package worker binds
// each to its method, and the compiler checks that the two agree.
type Activity[In, Out any] struct{ Name string }

// None is the result of an activity that answers nothing but its error.
type None = struct{}

// The activities, by their registered names.
var (
	RecordEvent           = Activity[domain.TimelineEvent, None]{"RecordEvent"}
	RecordEventReadPolicy = Activity[domain.TimelineEvent, policy.Policy]{"RecordEventReadPolicy"}
	RecordTimelineEvent   = Activity[domain.TimelineEvent, None]{"RecordTimelineEvent"}
	LoadPolicy            = Activity[string, policy.Policy]{"LoadPolicy"}
	Notify                = Activity[domain.Notice, None]{"Notify"}
	GiveUp                = Activity[string, None]{"GiveUp"}
	SendDigests           = Activity[domain.DigestRequest, int]{"SendDigests"}
	Purge                 = Activity[time.Time, domain.PurgeReport]{"Purge"}
)

// run executes an activity with the options already in ctx.
func (a Activity[In, Out]) run(ctx workflow.Context, in In) (Out, error) {
	var out Out
	err := workflow.ExecuteActivity(ctx, a.Name, in).Get(ctx, resultOf(&out))
	return out, err
}

// runLocal executes it as a local activity.
func (a Activity[In, Out]) runLocal(ctx workflow.Context, in In) (Out, error) {
	var out Out
	err := workflow.ExecuteLocalActivity(ctx, a.Name, in).Get(ctx, resultOf(&out))
	return out, err
}

// resultOf is where a result is decoded: nowhere for None, whose
// activities answer no value.
func resultOf[Out any](out *Out) any {
	if _, none := any(out).(*None); none {
		return nil
	}
	return out
}
