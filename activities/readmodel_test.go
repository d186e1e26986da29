package activities_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/traject-ocmw/traject/activities"
	"github.com/traject-ocmw/traject/policy"
	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// trajectoryEvent is the event of kind at version of a trajectory's stream,
// written by the workflow task at position; its snapshot's phase is kind.
func trajectoryEvent(fx testenv.Fixture, participant, stream string, version, position int64, kind string) activities.TimelineEvent {
	return activities.TimelineEvent{
		EventKey: fmt.Sprintf("%s/%d", stream, version), Stream: stream, TaskPosition: position,
		ParticipantID: participant, CentreID: fx.CentreID, OccurredAt: time.Now(), Kind: kind,
		Snapshot: activities.TrajectorySnapshot{
			WorkflowID: stream, Phase: kind, PhaseSince: time.Now(), CounsellorID: fx.CounsellorID, Version: version,
		},
	}
}

// The read model follows the workflow tasks that completed, whatever order
// the writes arrive in: a lost task's writes are replaced by its retry's, a
// late retried write never undoes a newer one, and rows written before task
// positions existed are left alone.
func TestReadModelReplacesALostTasksWrites(t *testing.T) {
	ctx := context.Background()
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	rm := &activities.ReadModel{Store: store.New(db)}
	const stream = "trajectory-x/run-1"
	write := func(version, position int64, kind string) {
		t.Helper()
		ev := trajectoryEvent(fx, fx.ParticipantID, stream, version, position, kind)
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

// A workflow task may write a new trajectory's first two versions at once
// (the start and an update that came with it): neither write may fail, and
// the later version stays.
func TestReadModelTakesTwoFirstWritesAtOnce(t *testing.T) {
	ctx := context.Background()
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	rm := &activities.ReadModel{Store: store.New(db)}
	for i := range 20 {
		var participant string
		if err := db.QueryRow(ctx, `
			INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, language, leefloon_decision_date)
			VALUES (gen_random_uuid(), $1, 'Bench', $2, '1985-01-01', 'nl', current_date) RETURNING id::text`, fx.CentreID, fmt.Sprint(i)).Scan(&participant); err != nil {
			t.Fatal(err)
		}
		stream := "trajectory:" + participant + "/run"
		errs := make(chan error, 2)
		ready := make(chan struct{})
		for version := int64(1); version <= 2; version++ {
			go func() {
				<-ready
				errs <- rm.RecordEvent(ctx, trajectoryEvent(fx, participant, stream, version, 3, "intake"))
			}()
		}
		close(ready)
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatalf("participant %d: %v", i, err)
			}
		}
		var version int64
		if err := db.QueryRow(ctx, `SELECT version FROM trajectories WHERE participant_id = $1`, participant).Scan(&version); err != nil {
			t.Fatal(err)
		}
		if version != 2 {
			t.Fatalf("participant %d: read model at v%d, want v2", i, version)
		}
	}
}

// BenchmarkRecordEvent writes successive versions of one trajectory, as a
// workflow does, one transaction each.
func BenchmarkRecordEvent(b *testing.B) {
	ctx := context.Background()
	db := testenv.Database(b)
	fx := testenv.Seed(b, db)
	rm := &activities.ReadModel{Store: store.New(db)}
	const stream = "trajectory-bench/run-1"
	state := map[string]any{"phase": "work", "deadlines": []string{"gpmi.sign", "gpmi.evaluation"}}
	version := int64(0)
	for b.Loop() {
		version++
		ev := trajectoryEvent(fx, fx.ParticipantID, stream, version, version*4, "work")
		ev.Data, ev.Snapshot.State = map[string]any{"from": "facilitator"}, state
		if err := rm.RecordEvent(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
}

// The write that returns the centre's policy returns its newest version, or
// the legal defaults while the centre has none.
func TestRecordEventReadPolicyReturnsTheNewestPolicy(t *testing.T) {
	ctx := context.Background()
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	rm := &activities.ReadModel{Store: store.New(db)}
	write := func(version int64) policy.Policy {
		t.Helper()
		p, err := rm.RecordEventReadPolicy(ctx, trajectoryEvent(fx, fx.ParticipantID, "policy-test", version, version, "intake"))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := write(1); p.Version != 0 || p.GPMI.SignWithin != policy.Default().GPMI.SignWithin {
		t.Errorf("without a policy of its own: v%d, want the defaults", p.Version)
	}
	changed := policy.Default()
	changed.GPMI.SignWithin = policy.Seconds(30)
	saved, err := store.New(db).SavePolicy(ctx, fx.CentreID, changed, "")
	if err != nil {
		t.Fatal(err)
	}
	if p := write(2); p.Version != saved || p.GPMI.SignWithin != changed.GPMI.SignWithin {
		t.Errorf("after saving v%d: v%d with signing within %v", saved, p.Version, p.GPMI.SignWithin)
	}
}

// A sanction procedure's row follows the same rules as a trajectory's: a
// lost task's stage is replaced by its retry's, and a late write of an
// older version never undoes a newer one.
func TestProcedureRowReplacesALostTasksWrite(t *testing.T) {
	ctx := context.Background()
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	rm := &activities.ReadModel{Store: store.New(db)}
	const procedure = "sanction:x:1"
	write := func(version, position int64, stage string) {
		t.Helper()
		if err := rm.RecordTimelineEvent(ctx, activities.TimelineEvent{
			EventKey: fmt.Sprintf("%s/%d", procedure, version), Stream: procedure, TaskPosition: position,
			ParticipantID: fx.ParticipantID, CentreID: fx.CentreID, OccurredAt: time.Now(), Kind: stage,
			Procedure: &activities.ProcedureSnapshot{ProcedureID: procedure, Stage: stage, Version: version},
		}); err != nil {
			t.Fatal(err)
		}
	}
	expect := func(step, wantStage string) {
		t.Helper()
		var stage string
		if err := db.QueryRow(ctx, `SELECT stage FROM sanction_procedures WHERE procedure_id = $1`, procedure).Scan(&stage); err != nil {
			t.Fatal(err)
		}
		if stage != wantStage {
			t.Errorf("%s: stage %s, want %s", step, stage, wantStage)
		}
	}
	write(1, 5, "reported")
	write(2, 8, "heard") // a lost task
	write(2, 11, "hearing_scheduled")
	expect("the lost task's stage replaced", "hearing_scheduled")
	write(3, 17, "heard")
	write(2, 11, "hearing_scheduled") // its write, retried late
	expect("a late write", "heard")
}
