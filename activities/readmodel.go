// Package activities holds the side effects of the workflows: writes to
// PostgreSQL and e-mail. Every activity is idempotent, because Temporal runs
// an activity at least once. The SQL they run lives in package store.
package activities

import (
	"context"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
)

// The read model's inputs, as the workflows send them (their JSON is in
// recorded histories).
type (
	TimelineEvent      = domain.TimelineEvent
	TrajectorySnapshot = domain.TrajectorySnapshot
	ProcedureSnapshot  = domain.ProcedureSnapshot
)

// ReadModel writes the trajectory read model and timeline that the API lists
// and reports from.
type ReadModel struct {
	Store *store.Store
}

// RecordTimelineEvent inserts a timeline event that changes no trajectory
// row (the sanction procedure's steps). Running it twice inserts it once.
func (a *ReadModel) RecordTimelineEvent(ctx context.Context, ev TimelineEvent) error {
	return a.Store.RecordTimelineEvent(ctx, ev)
}

// RecordEvent inserts the timeline event and moves the read model forward in
// one transaction. Running it twice changes nothing.
func (a *ReadModel) RecordEvent(ctx context.Context, ev TimelineEvent) error {
	return a.Store.RecordEvent(ctx, ev)
}

// RecordEventReadPolicy is RecordEvent, then the centre's current policy,
// in the same round trip.
func (a *ReadModel) RecordEventReadPolicy(ctx context.Context, ev TimelineEvent) (policy.Policy, error) {
	return a.Store.RecordEventReadPolicy(ctx, ev)
}
