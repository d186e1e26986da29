package activities_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/activities"
	"github.com/traject-ocmw/traject/testenv"
)

// The read model follows the workflow tasks that completed, whatever order
// the writes arrive in: a lost task's writes are replaced by its retry's, a
// late retried write never undoes a newer one, and rows written before task
// positions existed are left alone.
func TestReadModelReplacesALostTasksWrites(t *testing.T) {
	ctx := context.Background()
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	rm := &activities.ReadModel{DB: db}
	const stream = "trajectory-x/run-1"
	write := func(version, position int64, kind string) {
		t.Helper()
		ev := activities.TimelineEvent{
			EventKey: fmt.Sprintf("%s/%d", stream, version), Stream: stream, TaskPosition: position,
			ParticipantID: fx.ParticipantID, CentreID: fx.CentreID, OccurredAt: time.Now(), Kind: kind,
			Snapshot: activities.TrajectorySnapshot{
				WorkflowID: "trajectory-x", Phase: kind, PhaseSince: time.Now(), CounsellorID: fx.CounsellorID, Version: version,
			},
		}
		if position == 0 {
			ev.Stream = "" // written before positions existed
		}
		if err := rm.RecordEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	expect := func(step string, wantVersion int64, wantKinds ...string) {
		t.Helper()
		var version int64
		var phase string
		if err := db.QueryRow(ctx, `SELECT version, phase FROM trajectories WHERE participant_id = $1`, fx.ParticipantID).Scan(&version, &phase); err != nil {
			t.Fatal(err)
		}
		var kinds []string
		rows, err := db.Query(ctx, `SELECT kind FROM timeline_events WHERE participant_id = $1 ORDER BY seq`, fx.ParticipantID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			kinds = append(kinds, k)
		}
		if version != wantVersion || phase != wantKinds[len(wantKinds)-1] || !slices.Equal(kinds, wantKinds) {
			t.Errorf("%s: read model v%d %s, timeline %v; want v%d, %v", step, version, phase, kinds, wantVersion, wantKinds)
		}
	}

	write(1, 0, "started") // from before this change: no position
	write(2, 5, "a")
	expect("in order", 2, "started", "a")

	// A task at position 8 wrote versions 3 and 4, then was lost; its
	// retry at 11 wrote another event as 3 and stopped there.
	write(3, 8, "lost-b")
	write(4, 8, "lost-c")
	write(3, 11, "b")
	expect("the lost task's writes replaced", 3, "started", "a", "b")

	// The retry's write of version 3, run again, changes nothing.
	write(3, 11, "b")
	expect("a retried write", 3, "started", "a", "b")

	// Version 4 failed as a local write at 14 and went to an activity,
	// which ran only after version 5 had been written at 17.
	write(5, 17, "d")
	write(4, 14, "c")
	expect("a late write", 5, "started", "a", "b", "c", "d")
}
