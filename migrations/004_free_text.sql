-- Free text written about a participant stays in PostgreSQL; the workflow
-- only carries the row's ID.
CREATE TABLE gpmi_amendments (
    id              uuid PRIMARY KEY,
    participant_id  uuid NOT NULL REFERENCES participants (id),
    text            text NOT NULL,
    created_by      uuid NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gpmi_amendments_participant ON gpmi_amendments (participant_id, created_at);

CREATE TABLE noncooperation_reports (
    id              uuid PRIMARY KEY,
    participant_id  uuid NOT NULL REFERENCES participants (id),
    description     text NOT NULL,
    reported_by     uuid NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX noncooperation_reports_participant ON noncooperation_reports (participant_id, created_at);
