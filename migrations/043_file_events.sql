-- The timeline's file events (what the file check and the claims judge:
-- starts, phase changes, signatures and evaluations) with the fields they
-- read as columns, kept by a trigger on timeline_events. A centre's files
-- at risk read all of them: from the timeline itself that meant reading a
-- quarter of its rows from every page of the table and each one's jsonb
-- (750,000 of 2.9 million events at 50,000 dossiers, docs/benchmarks.md).
-- The timeline stays the record; this is a copy the trigger keeps in the
-- same transaction, so the two never disagree.
CREATE TABLE file_events (
    event_id        bigint PRIMARY KEY REFERENCES timeline_events (id) ON DELETE CASCADE,
    participant_id  uuid NOT NULL,
    centre_id       text NOT NULL,
    occurred_at     timestamptz NOT NULL,
    kind            text NOT NULL,
    -- a phase change's phase
    phase_to        text NOT NULL,
    -- the days as the workflow wrote them (a time's JSON text); Go reads
    -- the date of each, since a trigger that refused a malformed one would
    -- refuse the event
    contract_end    text,
    signed_on       text,
    held_on         text,
    report_id       text NOT NULL,
    -- NULL when the event did not say
    acknowledged    boolean,
    face_to_face    boolean
);
CREATE INDEX file_events_centre ON file_events (centre_id, occurred_at);
CREATE INDEX file_events_participant ON file_events (participant_id, occurred_at, event_id);

-- An event's copy, or none when it is of no kind the checks read. The kinds
-- are store.fileEventKinds; a test holds the two together.
CREATE FUNCTION file_event_of(e timeline_events) RETURNS SETOF file_events LANGUAGE sql IMMUTABLE AS $$
    SELECT e.id, e.participant_id, e.centre_id, e.occurred_at, e.kind, COALESCE(e.data->>'to', ''),
           e.data->>'contract_end', e.data->>'signed_on', e.data->>'held_on', COALESCE(e.data->>'report_id', ''),
           CASE jsonb_typeof(e.data->'acknowledged') WHEN 'boolean' THEN (e.data->>'acknowledged')::boolean END,
           CASE jsonb_typeof(e.data->'face_to_face') WHEN 'boolean' THEN (e.data->>'face_to_face')::boolean END
    WHERE e.kind IN ('trajectory_started', 'phase_changed', 'gpmi_signed', 'gpmi_evaluated')
$$;

CREATE FUNCTION keep_file_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM file_events WHERE event_id = OLD.id;
    END IF;
    INSERT INTO file_events SELECT * FROM file_event_of(NEW);
    RETURN NULL;
END
$$;

CREATE TRIGGER timeline_file_events_inserted AFTER INSERT ON timeline_events
    FOR EACH ROW EXECUTE FUNCTION keep_file_event();
-- A retried task's event is written again over its row (ON CONFLICT DO
-- UPDATE), and a host merge rewrites data: the copy follows.
CREATE TRIGGER timeline_file_events_updated AFTER UPDATE ON timeline_events
    FOR EACH ROW WHEN ((OLD.kind, OLD.occurred_at, OLD.data, OLD.participant_id, OLD.centre_id)
                       IS DISTINCT FROM (NEW.kind, NEW.occurred_at, NEW.data, NEW.participant_id, NEW.centre_id))
    EXECUTE FUNCTION keep_file_event();

INSERT INTO file_events SELECT f.* FROM timeline_events e, file_event_of(e) f;
-- Plans for the first reads need its statistics before autovacuum comes.
ANALYZE file_events;
