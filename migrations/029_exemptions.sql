-- An exemption from the GPMI (health or equity) carries its written
-- reason, here only; the workflow keeps its ID, ground and review day.
CREATE TABLE exemptions (
    id              uuid PRIMARY KEY,
    participant_id  uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    centre_id       text NOT NULL REFERENCES centres (id),
    ground          text NOT NULL CHECK (ground IN ('health', 'equity')),
    reason          text NOT NULL,
    review_on       date,
    author_id       uuid NOT NULL,
    written_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX exemptions_participant ON exemptions (participant_id, written_at DESC);
