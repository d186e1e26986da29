-- The running Article 60 contract's host and function get columns of their
-- own: host occupancy, the caseload's host filter and archiving read them,
-- and a JSON path into the workflow's state would break silently when a
-- field of the state is renamed. The workflow's write fills them while the
-- trajectory is in Article 60 and empties them after.
ALTER TABLE trajectories ADD COLUMN contract_host_id text, ADD COLUMN contract_function text;

UPDATE trajectories
SET contract_host_id = state->'contract'->>'host_id', contract_function = state->'contract'->>'function'
WHERE phase = 'article60';

DROP INDEX IF EXISTS trajectories_host;
CREATE INDEX trajectories_contract_host ON trajectories (contract_host_id, contract_function) WHERE contract_host_id IS NOT NULL;
