-- The dossier read's statements under EXPLAIN (ANALYZE, BUFFERS), on a
-- migrated database filled to :n participants (docs/benchmarks.md, "The
-- dossier read"). Run on a scratch database, never a centre's:
--
--   traject migrate up --database-url postgres://postgres@127.0.0.1/explain
--   psql -d explain -v n=50000 -f bench/explain_read.sql
--
-- Half the participants are in each of two centres; each has an Article
-- 60 trajectory, 40 timeline events and 10 audit entries, and the one read
-- has 300 events.
\set ON_ERROR_STOP on
\timing off
BEGIN;
INSERT INTO centres (id, name, region, language) VALUES ('explain-a', 'A', 'brussels', 'nl'), ('explain-b', 'B', 'brussels', 'fr') ON CONFLICT DO NOTHING;
INSERT INTO staff_users (id, centre_id, email, display_name, role, language)
VALUES ('00000000-0000-4000-8000-0000000000c1', 'explain-a', 'c1@explain.example', 'Counsellor', 'counsellor', 'nl')
ON CONFLICT DO NOTHING;
INSERT INTO api_tokens (id, user_id, name, token_hash)
VALUES ('00000000-0000-4000-8000-0000000000d1', '00000000-0000-4000-8000-0000000000c1', 'explain', sha256('explain-token'))
ON CONFLICT DO NOTHING;
INSERT INTO participants (id, centre_id, given_name, family_name, birth_date, national_number, language, leefloon_decision_date)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, CASE WHEN i % 2 = 0 THEN 'explain-a' ELSE 'explain-b' END,
       'Voornaam' || i, 'Familienaam' || i, '1980-01-01', lpad(i::text, 11, '0'), 'nl', '2026-01-01'
FROM generate_series(1, :n) i;
INSERT INTO trajectories (participant_id, centre_id, workflow_id, phase, phase_since, counsellor_id, next_actor, next_deadline, state, version)
SELECT id, centre_id, 'trajectory:' || id, 'article60', now(), '00000000-0000-4000-8000-0000000000c1', 'counsellor', now() + interval '30 days',
       '{"phase":"article60","contract":{"host_id":"h","start":"2026-06-01","end":"2027-06-01"},"deadlines":[{"id":"gpmi","kind":"gpmi_evaluation"}]}', 1
FROM participants WHERE centre_id LIKE 'explain-%';
INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, data)
SELECT p.id || '/explain/' || k, p.id, p.centre_id, now() - k * interval '1 day', (ARRAY['task_due','phase_changed','absence_recorded','deadline_overdue'])[1 + k % 4], '{}'
FROM participants p, generate_series(1, 40) k WHERE p.centre_id LIKE 'explain-%';
INSERT INTO timeline_events (event_key, participant_id, centre_id, occurred_at, kind, data)
SELECT '00000000-0000-4000-8000-000000000002/explain/more/' || k, '00000000-0000-4000-8000-000000000002', 'explain-a', now() - k * interval '1 hour', 'task_due', '{}'
FROM generate_series(1, 260) k;
INSERT INTO audit_log (centre_id, actor_id, actor_role, action, object_type, object_id, request_id, outcome)
SELECT p.centre_id, '00000000-0000-4000-8000-0000000000c1', 'counsellor', 'read_dossier', 'participant', p.id::text, 'explain', 'ok'
FROM participants p, generate_series(1, 10) k WHERE p.centre_id LIKE 'explain-%';
COMMIT;
ANALYZE;

\echo '== authentication (every API request)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
WITH token AS (
	SELECT t.id, t.last_used_at, u.id::text AS user_id, COALESCE(u.centre_id, '') AS centre_id, u.role, COALESCE(u.host_id::text, '') AS host_id
	FROM api_tokens t JOIN staff_users u ON u.id = t.user_id
	WHERE t.token_hash = sha256('explain-token') AND t.revoked_at IS NULL AND u.active
), touched AS (
	UPDATE api_tokens SET last_used_at = now() FROM token
	WHERE api_tokens.id = token.id AND (token.last_used_at IS NULL OR token.last_used_at < now() - make_interval(secs => 60))
)
SELECT user_id, centre_id, role, host_id FROM token;

\echo '== the API read: visibility, audit entry and dossier in one statement (store.ReadDossier)'
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
WITH seen AS (
	SELECT p.id::text, p.centre_id, p.given_name, p.family_name, p.birth_date, p.gender, COALESCE(p.national_number, ''), p.email, p.language,
	       p.leefloon_decision_date, t.state
	FROM participants p LEFT JOIN trajectories t ON t.participant_id = p.id
	WHERE p.id = '00000000-0000-4000-8000-000000000002' AND p.centre_id = 'explain-a' AND (NOT true OR t.counsellor_id = '00000000-0000-4000-8000-0000000000c1'::uuid)
), logged AS (
	INSERT INTO audit_log (centre_id, actor_id, actor_role, action, object_type, object_id, request_id, outcome)
	SELECT 'explain-a', '00000000-0000-4000-8000-0000000000c1'::uuid, 'counsellor', 'read_dossier', 'participant', '00000000-0000-4000-8000-000000000002', 'explain', 'ok' FROM seen
)
SELECT * FROM seen;
ROLLBACK;

\echo '== the dossier page: timeline (first 50 of 300)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT id, occurred_at, kind, phase_from, phase_to, actor_id::text, data FROM timeline_events
WHERE participant_id = '00000000-0000-4000-8000-000000000002' AND id > 0 ORDER BY id LIMIT 50;

\echo '== the dossier page: the host signals'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT g.id::text, g.category, g.text, g.created_at, g.created_by::text FROM host_signals g
WHERE g.participant_id = '00000000-0000-4000-8000-000000000002' AND EXISTS (
    SELECT 1 FROM timeline_events e WHERE e.participant_id = g.participant_id AND e.kind = 'problem_signalled' AND e.data->>'signal_id' = g.id::text)
ORDER BY g.created_at DESC, g.id;

\echo '== the dossier page: its mail'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT id FROM outbox WHERE participant_id = '00000000-0000-4000-8000-000000000002' AND id > 0 ORDER BY id LIMIT 100;

\echo '== the dossier page: who acted (by primary key)'
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT u.id::text, u.display_name, u.role, COALESCE(h.name, '')
FROM staff_users u LEFT JOIN hosts h ON h.id = u.host_id
WHERE u.id = ANY(ARRAY['00000000-0000-4000-8000-0000000000c1']::uuid[]);
