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

-- Every reminder, alert and letter the workflows ask for, once per
-- idempotency key. The notification worker sends pending rows and marks them.
CREATE TABLE outbox (
    id               bigserial PRIMARY KEY,
    idempotency_key  text NOT NULL UNIQUE,
    centre_id        text NOT NULL REFERENCES centres (id),
    participant_id   uuid REFERENCES participants (id),
    kind             text NOT NULL,
    recipient_role   text NOT NULL CHECK (recipient_role IN ('participant', 'counsellor', 'coordinator', 'bcsd', 'host')),
    -- a staff user, the participant or a host organisation; NULL means
    -- every active user of the role in the centre
    recipient_id     text,
    deadline_id      text,
    -- a code the message template reads, e.g. face_to_face
    note             text,
    due_at           timestamptz,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
CREATE INDEX outbox_pending ON outbox (status, created_at) WHERE status <> 'sent';
CREATE INDEX outbox_participant ON outbox (participant_id, created_at);
