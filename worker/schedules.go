package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/workflows"
)

// EnsureSchedules creates, or brings in line with the centres' policies,
// the daily and weekly digest schedules of every centre and the nightly
// retention run. The worker runs it at start; a policy change takes effect
// at the next start.
func EnsureSchedules(ctx context.Context, c client.Client, db *pgxpool.Pool, taskQueue string) error {
	nightly := client.ScheduleSpec{
		Calendars:    []client.ScheduleCalendarSpec{{Hour: []client.ScheduleRange{{Start: 2}}, Minute: []client.ScheduleRange{{Start: 30}}}},
		TimeZoneName: "Europe/Brussels",
	}
	if err := ensureSchedule(ctx, c, workflows.RetentionScheduleID, nightly, &client.ScheduleWorkflowAction{
		ID: workflows.RetentionScheduleID, Workflow: workflows.RetentionWorkflowName, TaskQueue: taskQueue,
	}); err != nil {
		return err
	}
	if err := ensureDigestSchedules(ctx, c, db, taskQueue); err != nil {
		return err
	}
	// The hosts' weekly digest, across centres: the legal defaults' day and time.
	d := policy.Default().Notifications
	hour, minute := d.DigestTime()
	id := workflows.DigestScheduleID("", domain.DigestHost)
	return ensureSchedule(ctx, c, id, client.ScheduleSpec{
		Calendars: []client.ScheduleCalendarSpec{{
			Hour: []client.ScheduleRange{{Start: hour}}, Minute: []client.ScheduleRange{{Start: minute}},
			DayOfWeek: []client.ScheduleRange{{Start: int(d.Weekday())}},
		}},
		TimeZoneName: policy.Default().TimeZone,
	}, &client.ScheduleWorkflowAction{
		ID: id, Workflow: workflows.DigestWorkflowName, TaskQueue: taskQueue,
		Args: []any{workflows.DigestInput{Kind: domain.DigestHost}},
	})
}

func ensureDigestSchedules(ctx context.Context, c client.Client, db *pgxpool.Pool, taskQueue string) error {
	policies := store.New(db)
	centres, err := policies.CentreIDs(ctx)
	if err != nil {
		return fmt.Errorf("digest schedules: %w", err)
	}
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
			id := workflows.DigestScheduleID(centre, kind)
			action := &client.ScheduleWorkflowAction{
				ID: id, Workflow: workflows.DigestWorkflowName, TaskQueue: taskQueue,
				Args: []any{workflows.DigestInput{CentreID: centre, Kind: kind}},
			}
			if err := ensureSchedule(ctx, c, id, client.ScheduleSpec{Calendars: []client.ScheduleCalendarSpec{spec}, TimeZoneName: p.TimeZone}, action); err != nil {
				return err
			}
		}
	}
	return nil
}

// ensureSchedule creates a schedule, or updates the spec of the existing one.
func ensureSchedule(ctx context.Context, c client.Client, id string, spec client.ScheduleSpec, action *client.ScheduleWorkflowAction) error {
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:      id,
		Spec:    spec,
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		Action:  action,
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

// CheckNamespaceRetention reports a Temporal namespace that keeps closed
// workflow histories longer than a centre keeps its dossiers. Histories
// hold IDs only, but they must not outlive the file they belong to.
func CheckNamespaceRetention(ctx context.Context, c client.Client, namespace string, db *pgxpool.Pool) error {
	desc, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("describe namespace: %w", err)
	}
	kept := desc.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration()
	policies := store.New(db)
	centres, err := policies.CentreIDs(ctx)
	if err != nil {
		return fmt.Errorf("digest schedules: %w", err)
	}
	now := time.Now()
	for _, centre := range centres {
		p, err := policies.LoadPolicy(ctx, centre)
		if err != nil {
			return err
		}
		if limit := p.Retention.ClosedDossiers.After(now).Sub(now); kept > limit {
			return fmt.Errorf("the namespace keeps closed histories %s, longer than centre %s keeps its closed dossiers (%s); lower the namespace retention", kept, centre, p.Retention.ClosedDossiers)
		}
	}
	return nil
}
