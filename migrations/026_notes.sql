-- Case notes: what staff write down of a conversation, a call, a visit.
-- The text lives here only (never in a workflow's history). Its author may
-- correct a note in place within the policy's notes.correct_within; later
-- a correction is a note of its own that names the one it corrects, both
-- kept. The timeline records that a note was written, never its text.
CREATE TABLE notes (
    id              uuid PRIMARY KEY,
    participant_id  uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    centre_id       text NOT NULL REFERENCES centres (id),
    kind            text NOT NULL CHECK (kind IN ('conversation', 'phone_call', 'home_visit', 'email', 'third_party', 'other')),
    happened_on     date NOT NULL,
    body            text NOT NULL,
    author_id       uuid NOT NULL,
    written_at      timestamptz NOT NULL DEFAULT now(),
    edited_at       timestamptz,
    corrects        uuid REFERENCES notes (id) ON DELETE CASCADE
);
-- The dossier lists its notes newest first, a page at a time.
CREATE INDEX notes_participant ON notes (participant_id, written_at DESC, id DESC);
CREATE INDEX notes_corrects ON notes (corrects) WHERE corrects IS NOT NULL;
