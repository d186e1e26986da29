package worker

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/traject-ocmw/traject/activities"
	"github.com/traject-ocmw/traject/workflows"
)

// EnsureDigestSchedules creates, or brings in line with the centre's
// policy, the daily and weekly digest schedules of every centre. The worker
// runs it at start; a policy change takes effect at the next start.
func EnsureDigestSchedules(ctx context.Context, c client.Client, db *pgxpool.Pool, taskQueue string) error {
	rows, err := db.Query(ctx, `SELECT id FROM centres ORDER BY id`)
	if err != nil {
		return fmt.Errorf("digest schedules: %w", err)
	}
	centres, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("digest schedules: %w", err)
	}
	policies := &activities.Policies{DB: db}
	for _, centre := range centres {
		p, err := policies.LoadPolicy(ctx, centre)
		if err != nil {
			return err
		}
		hour, minute := p.Notifications.DigestTime()
		at := client.ScheduleCalendarSpec{Hour: []client.ScheduleRange{{Start: hour}}, Minute: []client.ScheduleRange{{Start: minute}}}
		weekly := at
		weekly.DayOfWeek = []client.ScheduleRange{{Start: int(p.Notifications.Weekday())}}
		for kind, spec := range map[string]client.ScheduleCalendarSpec{"daily": at, "weekly": weekly} {
			if err := ensureSchedule(ctx, c, centre, kind, client.ScheduleSpec{Calendars: []client.ScheduleCalendarSpec{spec}, TimeZoneName: p.TimeZone}, taskQueue); err != nil {
				return err
			}
		}
	}
	return nil
}

func ensureSchedule(ctx context.Context, c client.Client, centre, kind string, spec client.ScheduleSpec, taskQueue string) error {
	id := workflows.DigestScheduleID(centre, kind)
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:      id,
		Spec:    spec,
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		Action: &client.ScheduleWorkflowAction{
			ID: id, Workflow: workflows.DigestWorkflowName, TaskQueue: taskQueue,
			Args: []any{workflows.DigestInput{CentreID: centre, Kind: kind}},
		},
	})
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		if err != nil {
			return fmt.Errorf("schedule %s: %w", id, err)
		}
		return nil
	}
	err = c.ScheduleClient().GetHandle(ctx, id).Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			in.Description.Schedule.Spec = &spec
			return &client.ScheduleUpdate{Schedule: &in.Description.Schedule}, nil
		},
	})
	if err != nil {
		return fmt.Errorf("schedule %s: %w", id, err)
	}
	return nil
}
