-- What the GPMI holds beyond its dates, in PostgreSQL only: the needs
-- analysis (sociaal-professionele balans) by domain, the agreements the
-- GPMI is signed with, and each evaluation's report with the progress per
-- agreement. The workflow keeps the IDs of the agreements its GPMI was
-- signed with and of each evaluation's report: a row it never took (a
-- signature it refused) belongs to no GPMI and is not shown.
CREATE TABLE needs_analyses (
    id              uuid PRIMARY KEY,
    participant_id  uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    centre_id       text NOT NULL REFERENCES centres (id),
    done_on         date NOT NULL,
    domains         jsonb NOT NULL,
    author_id       uuid NOT NULL,
    written_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX needs_analyses_participant ON needs_analyses (participant_id, done_on DESC, written_at DESC);

CREATE TABLE gpmi_agreements (
    id              uuid PRIMARY KEY,
    participant_id  uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    centre_id       text NOT NULL REFERENCES centres (id),
    position        integer NOT NULL,
    domain          text NOT NULL,
    person_does     text NOT NULL,
    centre_does     text NOT NULL,
    due_on          date,
    written_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gpmi_agreements_participant ON gpmi_agreements (participant_id);

CREATE TABLE evaluation_reports (
    id              uuid PRIMARY KEY,
    participant_id  uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    centre_id       text NOT NULL REFERENCES centres (id),
    body            text NOT NULL,
    progress        jsonb NOT NULL DEFAULT '{}',
    author_id       uuid NOT NULL,
    written_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evaluation_reports_participant ON evaluation_reports (participant_id);
