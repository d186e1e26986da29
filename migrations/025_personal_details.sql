-- A dossier's personal details beyond the intake's first fields: phone and
-- postal address, and the day the leefloon decision was notified (which
-- starts the GPMI's months when the centre's policy says so).
-- details_version counts the edits of these details, so that two people
-- editing at once get one change and one conflict; participant_changes
-- keeps who changed which fields when, never the values.
ALTER TABLE participants
    ADD COLUMN phone                  text,
    ADD COLUMN street                 text,
    ADD COLUMN postcode               text CHECK (postcode ~ '^[1-9][0-9]{3}$'),
    ADD COLUMN municipality           text,
    ADD COLUMN leefloon_notified_date date,
    ADD COLUMN details_version        integer NOT NULL DEFAULT 1;

CREATE TABLE participant_changes (
    participant_id  uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    version         integer NOT NULL,
    changed_by      uuid NOT NULL,
    changed_at      timestamptz NOT NULL DEFAULT now(),
    fields          text[] NOT NULL,
    PRIMARY KEY (participant_id, version)
);

-- A search by national register number is exact, within a centre: the
-- unique constraint's index (centre_id, national_number) serves it.
