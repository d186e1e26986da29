-- The letters the law requires (issue 26). A centre's letter settings: its
-- letterhead, who signs, the service handling the files, the labour court
-- an appeal goes to and where hearings are held; edited by its
-- administrator, read into every letter.
CREATE TABLE centre_letter_settings (
    centre_id        text PRIMARY KEY REFERENCES centres (id),
    name             text NOT NULL DEFAULT '',
    street           text NOT NULL DEFAULT '',
    postcode         text NOT NULL DEFAULT '',
    municipality     text NOT NULL DEFAULT '',
    phone            text NOT NULL DEFAULT '',
    email            text NOT NULL DEFAULT '',
    service          text NOT NULL DEFAULT '',
    signatory        text NOT NULL DEFAULT '',
    signatory_title  text NOT NULL DEFAULT '',
    court_name       text NOT NULL DEFAULT '',
    court_address    text NOT NULL DEFAULT '',
    hearing_place    text NOT NULL DEFAULT '',
    updated_by       uuid,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Each letter produced is kept: its kind and language, who produced it and
-- when, the facts it was made from, the PDF and its SHA-256, so that it is
-- downloaded again unchanged. Personal data: only here, purged with the
-- dossier (the cascade), never in a workflow's history or a log.
CREATE TABLE letters (
    id              uuid PRIMARY KEY,
    participant_id  uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    centre_id       text NOT NULL REFERENCES centres (id),
    procedure_id    text,
    kind            text NOT NULL CHECK (kind IN ('warning', 'hearing_invitation', 'decision', 'gpmi')),
    language        text NOT NULL CHECK (language IN ('nl', 'fr')),
    produced_by     uuid NOT NULL,
    produced_at     timestamptz NOT NULL DEFAULT now(),
    facts           jsonb NOT NULL,
    letter          jsonb NOT NULL,
    pdf             bytea NOT NULL,
    sha256          text NOT NULL
);
CREATE INDEX letters_participant ON letters (participant_id, produced_at DESC, id);
