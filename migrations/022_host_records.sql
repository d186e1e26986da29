-- A problem a host signals to the counsellor about its Article 60 worker:
-- the workflow keeps its ID and category, the text stays here, read by the
-- worker's centre and by the host that wrote it. A signal the workflow
-- refused leaves its row unread: every page reads signals from the state.
CREATE TABLE host_signals (
    id             uuid PRIMARY KEY,
    participant_id uuid NOT NULL REFERENCES participants (id),
    host_id        uuid NOT NULL REFERENCES hosts (id),
    category       text NOT NULL,
    text           text NOT NULL,
    created_by     uuid NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX host_signals_participant ON host_signals (participant_id, created_at);

-- A host sees its former workers during their follow-up, to record that it
-- hires them: their contract's host is only in the state by then.
CREATE INDEX trajectories_followed_up_host ON trajectories ((state->'contract'->>'host_id')) WHERE phase = 'post_article60';

-- The host's report reads its placements across centres from the timeline.
CREATE INDEX timeline_events_placements ON timeline_events ((data->>'host_id'), occurred_at)
    WHERE kind = 'phase_changed' AND phase_to = 'article60';

-- A host's weekly digest spans the centres it works with: its outbox row
-- belongs to none.
ALTER TABLE outbox ALTER COLUMN centre_id DROP NOT NULL;
