-- Each change of a centre's deadlines is a new version; workflows record the
-- version they planned with. No row means the legal defaults (version 0).
CREATE TABLE centre_policies (
    centre_id   text NOT NULL REFERENCES centres (id),
    version     integer NOT NULL CHECK (version > 0),
    doc         jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  uuid,
    PRIMARY KEY (centre_id, version)
);

-- Every reminder, alert and letter the workflows ask for, one row per
-- person it goes to. The row is written before the message is sent and
-- marked after, so a retry never sends a row marked sent; the Message-ID is
-- derived from the key, so the one resend SMTP allows (a crash between the
-- server's acceptance and the mark) carries the same Message-ID.
CREATE TABLE outbox (
    id               bigserial PRIMARY KEY,
    idempotency_key  text NOT NULL UNIQUE,
    notice_key       text NOT NULL,
    centre_id        text NOT NULL REFERENCES centres (id),
    participant_id   uuid REFERENCES participants (id),
    kind             text NOT NULL,
    recipient_role   text NOT NULL CHECK (recipient_role IN ('participant', 'counsellor', 'coordinator', 'bcsd', 'host')),
    -- a staff user, the participant or a host organisation
    recipient_id     text,
    language         text CHECK (language IN ('nl', 'fr')),
    deadline_id      text,
    due_at           timestamptz,
    -- a code the message template reads, e.g. face_to_face
    note             text,
    message_id       text NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
CREATE INDEX outbox_pending ON outbox (status, created_at) WHERE status <> 'sent';
CREATE INDEX outbox_participant ON outbox (participant_id, created_at);
CREATE INDEX outbox_notice ON outbox (notice_key);
