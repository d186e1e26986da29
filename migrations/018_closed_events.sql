-- The outcomes report looks up, for each ended Article 60 contract, the
-- first closing of the trajectory after it: a probe into this small index
-- instead of a walk through the participant's whole timeline (1.8 s for 24
-- months at 50,000 participants before, see docs/benchmarks.md).
CREATE INDEX timeline_events_closed ON timeline_events (participant_id, occurred_at, seq, id)
    WHERE kind = 'phase_changed' AND phase_to = 'closed';
