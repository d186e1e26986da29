package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/traject-ocmw/traject/domain"
	"github.com/traject-ocmw/traject/policy"
)

// RecordTimelineEvent inserts a timeline event that changes no trajectory
// row (the sanction procedure's steps). Running it twice inserts it once.
func (s *Store) RecordTimelineEvent(ctx context.Context, ev domain.TimelineEvent) error {
	w, err := newWrite(ev)
	if err != nil {
		return err
	}
	if p := ev.Procedure; p != nil {
		w.queue("upsert procedure", `
			INSERT INTO sanction_procedures (procedure_id, participant_id, centre_id, stage, hearing_at, decision_due, notification_due, appeal_until, decision, version, task_position, state, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULLIF($9, ''), $10, $11, $12, now())
			ON CONFLICT (procedure_id) DO UPDATE SET
				stage = EXCLUDED.stage, hearing_at = EXCLUDED.hearing_at, decision_due = EXCLUDED.decision_due,
				notification_due = EXCLUDED.notification_due, appeal_until = EXCLUDED.appeal_until,
				decision = EXCLUDED.decision, version = EXCLUDED.version, task_position = EXCLUDED.task_position,
				state = EXCLUDED.state, updated_at = now()
			WHERE sanction_procedures.version < EXCLUDED.version OR sanction_procedures.task_position < EXCLUDED.task_position`,
			p.ProcedureID, ev.ParticipantID, ev.CentreID, p.Stage, p.HearingAt, p.DecisionDue, p.NotificationDue, p.AppealUntil, p.Decision, p.Version, nullPosition(ev.TaskPosition), p.State)
	}
	return w.run(ctx, s.db, nil)
}

// RecordEvent inserts the timeline event and moves the read model forward in
// one transaction. Running it twice changes nothing: the event key is unique
// and the row only moves to a higher version, or to a later workflow task's
// write (see TimelineEvent.TaskPosition).
func (s *Store) RecordEvent(ctx context.Context, ev domain.TimelineEvent) error {
	w, err := trajectoryWrite(ev)
	if err != nil {
		return err
	}
	return w.run(ctx, s.db, nil)
}

// RecordEventReadPolicy is RecordEvent, then the centre's current policy,
// in the same round trip: the workflow plans its next deadlines with it,
// with no separate read.
func (s *Store) RecordEventReadPolicy(ctx context.Context, ev domain.TimelineEvent) (policy.Policy, error) {
	w, err := trajectoryWrite(ev)
	if err != nil {
		return policy.Policy{}, err
	}
	w.batch.Queue(loadPolicySQL, ev.CentreID)
	var p policy.Policy
	err = w.run(ctx, s.db, func(results pgx.BatchResults) error {
		p, err = scanPolicy(results.QueryRow(), ev.CentreID)
		return err
	})
	return p, err
}

// trajectoryWrite is the timeline event and the trajectory's row.
func trajectoryWrite(ev domain.TimelineEvent) (*write, error) {
	s := ev.Snapshot
	var state []byte
	if s.State != nil {
		var err error
		if state, err = json.Marshal(s.State); err != nil {
			return nil, fmt.Errorf("trajectory state: %w", err)
		}
	}
	w, err := newWrite(ev)
	if err != nil {
		return nil, err
	}
	// An insert that does nothing if the row exists, then an update under
	// the version and task-position rules, rather than one upsert: a
	// workflow task can write two versions at once, and an upsert's conflict
	// clause covers one unique index (participant_id) while the other
	// (workflow_id) would fail the second first insert. DO NOTHING without a
	// target waits for the first; the update, with its own snapshot, then
	// sees its row (and changes nothing after its own insert).
	args := []any{ev.ParticipantID, ev.CentreID, s.WorkflowID, s.Phase, s.PhaseSince, s.CounsellorID, s.NextActor, s.NextDeadline, s.Outcome,
		nullJSON(state), s.Version, ev.Stream, nullPosition(ev.TaskPosition), s.HostID, s.HostFunction}
	w.queue("insert trajectory", `
		INSERT INTO trajectories (participant_id, centre_id, workflow_id, phase, phase_since, counsellor_id, next_actor, next_deadline, outcome, state, version, stream, task_position,
		                          contract_host_id, contract_function, updated_at)
		VALUES ($1, $2, $3, $4, $5, NULLIF($6, '')::uuid, NULLIF($7, ''), $8, NULLIF($9, ''), COALESCE($10::jsonb, '{}'), $11, NULLIF($12, ''), $13,
		        NULLIF($14, ''), NULLIF($15, ''), now())
		ON CONFLICT DO NOTHING`, args...)
	w.queue("update trajectory", `
		UPDATE trajectories SET
			workflow_id = $3, phase = $4, phase_since = $5, counsellor_id = NULLIF($6, '')::uuid, next_actor = NULLIF($7, ''),
			next_deadline = $8, outcome = NULLIF($9, ''), state = COALESCE($10::jsonb, '{}'), version = $11,
			stream = NULLIF($12, ''), task_position = $13, contract_host_id = NULLIF($14, ''), contract_function = NULLIF($15, ''), updated_at = now()
		WHERE participant_id = $1 AND centre_id = $2 -- a participant never changes centre
			AND (version < $11 OR (stream = NULLIF($12, '') AND task_position < $13))`, args...)
	return w, nil
}

// nullPosition stores an unknown position (a write recorded before
// positions existed) as NULL, which never replaces anything.
func nullPosition(p int64) *int64 {
	if p <= 0 {
		return nil
	}
	return &p
}

func nullJSON(b []byte) *string {
	if len(b) == 0 {
		return nil
	}
	s := string(b)
	return &s
}

// write is one read-model change: its statements go to PostgreSQL in one
// batch, one round trip, and run in one implicit transaction.
type write struct {
	batch pgx.Batch
	what  []string
}

func (w *write) queue(what, sql string, args ...any) {
	w.batch.Queue(sql, args...)
	w.what = append(w.what, what)
}

// run sends the batch; read, when given, reads what was queued after the
// statements.
func (w *write) run(ctx context.Context, db *pgxpool.Pool, read func(pgx.BatchResults) error) error {
	results := db.SendBatch(ctx, &w.batch)
	for _, what := range w.what {
		if _, err := results.Exec(); err != nil {
			_ = results.Close()
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if read != nil {
		if err := read(results); err != nil {
			_ = results.Close()
			return err
		}
	}
	return results.Close()
}

// newWrite starts a write with the timeline event.
func newWrite(ev domain.TimelineEvent) (*write, error) {
	data := []byte("{}")
	if ev.Data != nil {
		var err error
		if data, err = json.Marshal(ev.Data); err != nil {
			return nil, fmt.Errorf("timeline data: %w", err)
		}
	}
	seq := ev.Snapshot.Version
	if ev.Procedure != nil {
		seq = ev.Procedure.Version
	}
	w := &write{}
	if ev.Stream != "" && ev.TaskPosition > 0 {
		// Versions are written in order of their workflow tasks, so a row at
		// this version or later from an earlier task was written by a task
		// that was lost and then retried differently.
		w.queue("replace a lost task's timeline events", `
			DELETE FROM timeline_events WHERE stream = $1 AND seq >= $2 AND task_position < $3`,
			ev.Stream, seq, ev.TaskPosition)
	}
	// The same key from the same task is a retry: nothing new. (A lost
	// task's retry has the same position only when the server retried a
	// transient task; the later write wins.)
	w.queue("insert timeline event", `
		INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, seq, kind, phase_from, phase_to, actor_id, data, stream, task_position)
		VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, ''), NULLIF($8, ''), NULLIF($9, '')::uuid, $10, NULLIF($11, ''), $12)
		ON CONFLICT (event_key) DO UPDATE SET
			occurred_at = EXCLUDED.occurred_at, seq = EXCLUDED.seq, kind = EXCLUDED.kind, phase_from = EXCLUDED.phase_from,
			phase_to = EXCLUDED.phase_to, actor_id = EXCLUDED.actor_id, data = EXCLUDED.data
		WHERE timeline_events.task_position <= EXCLUDED.task_position`,
		ev.EventKey, ev.ParticipantID, ev.CentreID, ev.OccurredAt, seq, ev.Kind, ev.PhaseFrom, ev.PhaseTo, ev.ActorID, data,
		ev.Stream, nullPosition(ev.TaskPosition))
	return w, nil
}
