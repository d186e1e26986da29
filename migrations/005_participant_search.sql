-- The caseload list filters on a name fragment and pages by ID.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX participants_name_trgm ON participants USING gin ((given_name || ' ' || family_name) gin_trgm_ops);
CREATE INDEX participants_centre_id ON participants (centre_id, id);
CREATE INDEX trajectories_host ON trajectories ((state->'contract'->>'host_id')) WHERE phase = 'article60';
