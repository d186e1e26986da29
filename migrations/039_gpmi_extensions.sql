-- A GPMI's extensions: the day a counsellor extended it past its first
-- period and the written motivation the inspection asks for. The
-- motivation is personal text: it stays here, never in the workflow's
-- history; the timeline says only that the GPMI was extended.
CREATE TABLE gpmi_extensions (
    id              uuid PRIMARY KEY,
    participant_id  uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    centre_id       text NOT NULL REFERENCES centres (id),
    extended_on     date NOT NULL,
    motivation      text NOT NULL CHECK (btrim(motivation) <> ''),
    author_id       uuid NOT NULL,
    written_at      timestamptz NOT NULL DEFAULT now()
);
-- The dossier lists its extensions; the claims read a centre's as of a day.
CREATE INDEX gpmi_extensions_participant ON gpmi_extensions (participant_id, written_at);
CREATE INDEX gpmi_extensions_centre ON gpmi_extensions (centre_id, written_at);

