package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/traject-ocmw/traject/activities"
)

// Trajectory is the long-lived workflow of one participant.
func Trajectory(ctx workflow.Context, in TrajectoryInput) error {
	t := &trajectory{input: in}
	if err := t.setup(ctx); err != nil {
		return err
	}
	return t.run(ctx)
}

type trajectory struct {
	input TrajectoryInput
	state State
}

// readModel is a nil instance: the workflow refers to activity methods
// through it so that calls stay type-checked.
var readModel *activities.ReadModel

func (t *trajectory) setup(ctx workflow.Context) error {
	in := t.input
	if in.ParticipantID == "" || in.CentreID == "" || in.CounsellorID == "" || in.LeefloonDecisionDate.IsZero() {
		return temporal.NewNonRetryableApplicationError("trajectory input needs participant, centre, counsellor and leefloon decision date", "InvalidInput", nil)
	}
	t.state = State{
		ParticipantID: in.ParticipantID,
		CentreID:      in.CentreID,
		CounsellorID:  in.CounsellorID,
		Phase:         PhaseIntake,
		PhaseSince:    workflow.Now(ctx),
	}
	return workflow.SetQueryHandler(ctx, QueryState, func() (State, error) { return t.state, nil })
}

func (t *trajectory) run(ctx workflow.Context) error {
	if err := t.record(ctx, "trajectory_started", "", t.state.Phase); err != nil {
		return err
	}
	// The phase model, deadlines and procedures come with the trajectory
	// issue; until then the workflow holds its state and answers queries.
	return workflow.Await(ctx, func() bool { return t.state.Phase == PhaseClosed })
}

// record writes the new state and one timeline event to PostgreSQL.
func (t *trajectory) record(ctx workflow.Context, kind string, from, to Phase) error {
	t.state.Version++
	info := workflow.GetInfo(ctx)
	err := workflow.UpsertTypedSearchAttributes(ctx,
		SearchCentre.ValueSet(t.state.CentreID),
		SearchPhase.ValueSet(string(t.state.Phase)),
		SearchCounsellor.ValueSet(t.state.CounsellorID),
	)
	if err != nil {
		return err
	}
	ev := activities.TimelineEvent{
		// Stable across activity retries and replays of this run.
		EventKey:      fmt.Sprintf("%s/%d", info.WorkflowExecution.ID, t.state.Version),
		ParticipantID: t.state.ParticipantID,
		CentreID:      t.state.CentreID,
		OccurredAt:    workflow.Now(ctx),
		Kind:          kind,
		PhaseFrom:     string(from),
		PhaseTo:       string(to),
		Snapshot: activities.TrajectorySnapshot{
			WorkflowID:   info.WorkflowExecution.ID,
			Phase:        string(t.state.Phase),
			PhaseSince:   t.state.PhaseSince,
			CounsellorID: t.state.CounsellorID,
			Version:      t.state.Version,
		},
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		// A database outage delays the write; it never drops it.
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute},
	})
	return workflow.ExecuteActivity(actx, readModel.RecordEvent, ev).Get(ctx, nil)
}
