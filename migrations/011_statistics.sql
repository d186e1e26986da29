-- Statistics are computed from the timeline, so that a past month can be
-- reproduced after the fact.
--
-- seq is the workflow's state version after the event: two events of one
-- workflow task share their time, and the activities that insert them may
-- run in either order, so only seq says which came last.
ALTER TABLE timeline_events ADD COLUMN seq bigint;

-- Phase events are a small share of the timeline; this partial index lets
-- the reports read them in each participant's order without touching the
-- rest (reminders, tasks, notices).
CREATE INDEX timeline_events_phases ON timeline_events (centre_id, participant_id, occurred_at, seq, id)
    INCLUDE (kind, phase_to)
    WHERE kind IN ('trajectory_started', 'phase_changed');

-- A site's whole staff, Article 60 workers included, to check their share
-- against the centre's ceiling. Unknown (NULL) until the host reports it.
ALTER TABLE host_organisations ADD COLUMN staff integer CHECK (staff >= 0);
