-- The read model of the BCSD procedures, for the committee's agenda.
CREATE TABLE sanction_procedures (
    procedure_id       text PRIMARY KEY,
    participant_id     uuid NOT NULL REFERENCES participants (id),
    centre_id          text NOT NULL REFERENCES centres (id),
    stage              text NOT NULL,
    hearing_at         timestamptz,
    decision_due       timestamptz,
    notification_due   timestamptz,
    appeal_until       timestamptz,
    decision           text,
    version            bigint NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sanction_procedures_hearing ON sanction_procedures (centre_id, hearing_at);
CREATE INDEX sanction_procedures_decision ON sanction_procedures (centre_id, decision_due);
