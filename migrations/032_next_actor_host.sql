-- The host organisation can be the next to act on a trajectory: its check of
-- an Article 60 worker before the contract ends is its own deadline.
ALTER TABLE trajectories DROP CONSTRAINT trajectories_next_actor_check;
ALTER TABLE trajectories ADD CONSTRAINT trajectories_next_actor_check
    CHECK (next_actor IN ('participant', 'counsellor', 'coordinator', 'bcsd', 'host'));
