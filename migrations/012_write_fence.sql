-- A workflow task's local activities write before the task completes. If
-- the task is then lost (its worker stopped), its retry may handle the same
-- events in another order and write other events under the same versions.
-- task_position orders the workflow tasks that wrote: the task's place in
-- its workflow's history, counted on across continue-as-new. stream names
-- the sequence a row's seq counts in (a trajectory, or a sanction
-- procedure). A write replaces whatever an earlier task wrote at its
-- version or later in the same stream: only a lost task can have done that.
-- Rows written before this migration keep NULL and are never replaced.
ALTER TABLE timeline_events ADD COLUMN stream text, ADD COLUMN task_position bigint;
CREATE INDEX timeline_events_stream ON timeline_events (stream, seq) WHERE stream IS NOT NULL;

ALTER TABLE trajectories ADD COLUMN stream text, ADD COLUMN task_position bigint;

ALTER TABLE sanction_procedures ADD COLUMN task_position bigint;
