-- A first attempt holds its key while it runs: owner names the API process
-- (an ID made at its start) and heartbeat_at is refreshed every few
-- seconds. A retry takes the key over as soon as the attempt is known to
-- have ended without storing an answer (its own process no longer runs
-- it) or its heartbeat stopped (its process died or lost the database),
-- instead of waiting minutes. Rows from before keep NULL and count their
-- age from created_at.
ALTER TABLE idempotency_keys ADD COLUMN owner text, ADD COLUMN heartbeat_at timestamptz;
