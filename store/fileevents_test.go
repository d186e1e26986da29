package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/traject-ocmw/traject/store"
	"github.com/traject-ocmw/traject/testenv"
)

// file_events is the timeline's file events, kept by a trigger (migration
// 043): every insert, rewrite and removal of a timeline event shows in it,
// of the kinds the checks read and no other.
func TestFileEventsFollowTheTimeline(t *testing.T) {
	db := testenv.Database(t)
	fx := testenv.Seed(t, db)
	ctx := context.Background()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	// Each kind the checks read, and one they do not.
	for _, kind := range append(slices.Clone(store.FileEventKinds), "task_due") {
		exec(`INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, data)
			VALUES ('copy/' || $3, $1, $2, now() - interval '1 day', $3, '{"to": "literacy", "signed_on": "2026-01-05T00:00:00Z", "acknowledged": true}')`,
			fx.ParticipantID, fx.CentreID, kind)
	}
	kinds := func() []string {
		t.Helper()
		rows, err := db.Query(ctx, `SELECT f.kind FROM file_events f JOIN timeline_events e ON e.id = f.event_id WHERE e.event_key LIKE 'copy/%' ORDER BY f.kind`)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			out = append(out, k)
		}
		return out
	}
	if got, want := kinds(), slices.Sorted(slices.Values(store.FileEventKinds)); !slices.Equal(got, want) {
		t.Errorf("copied kinds %v, want store's file event kinds %v", got, want)
	}
	var to, signed string
	var ack *bool
	if err := db.QueryRow(ctx, `SELECT f.phase_to, f.signed_on, f.acknowledged FROM file_events f JOIN timeline_events e ON e.id = f.event_id
		WHERE e.event_key = 'copy/gpmi_signed'`).Scan(&to, &signed, &ack); err != nil {
		t.Fatal(err)
	}
	if to != "literacy" || signed != "2026-01-05T00:00:00Z" || ack == nil || !*ack {
		t.Errorf("the signature's copy: to %q, signed %q, acknowledged %v", to, signed, ack)
	}

	// A task written again as an evaluation (a retried workflow task's
	// upsert), an evaluation's data rewritten, a start that becomes a task,
	// a phase change removed.
	exec(`INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, data)
		VALUES ('copy/task_due', $1, $2, now(), 'gpmi_evaluated', '{"held_on": "2026-02-01T00:00:00Z"}')
		ON CONFLICT (event_key) DO UPDATE SET kind = EXCLUDED.kind, data = EXCLUDED.data`, fx.ParticipantID, fx.CentreID)
	exec(`UPDATE timeline_events SET data = '{"held_on": "2026-03-01T00:00:00Z", "face_to_face": false}' WHERE event_key = 'copy/gpmi_evaluated'`)
	exec(`UPDATE timeline_events SET kind = 'task_due' WHERE event_key = 'copy/trajectory_started'`)
	exec(`DELETE FROM timeline_events WHERE event_key = 'copy/phase_changed'`)
	if got, want := kinds(), []string{"gpmi_evaluated", "gpmi_evaluated", "gpmi_signed"}; !slices.Equal(got, want) {
		t.Errorf("after the rewrites: %v, want %v", got, want)
	}
	var held string
	var faceToFace *bool
	if err := db.QueryRow(ctx, `SELECT f.held_on, f.face_to_face FROM file_events f JOIN timeline_events e ON e.id = f.event_id
		WHERE e.event_key = 'copy/gpmi_evaluated'`).Scan(&held, &faceToFace); err != nil {
		t.Fatal(err)
	}
	if held != "2026-03-01T00:00:00Z" || faceToFace == nil || *faceToFace {
		t.Errorf("the rewritten evaluation's copy: held %q, face to face %v", held, faceToFace)
	}

	// And the whole copy is what the timeline holds, no more, no less.
	var differ int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM (
		(SELECT f.* FROM timeline_events e, file_event_of(e) f EXCEPT SELECT * FROM file_events)
		UNION ALL (SELECT * FROM file_events EXCEPT SELECT f.* FROM timeline_events e, file_event_of(e) f)) d`).Scan(&differ); err != nil {
		t.Fatal(err)
	}
	if differ != 0 {
		t.Errorf("%d file events differ from the timeline's", differ)
	}
}
