-- The first domain objects. Personal data lives only in participants; every
-- other table refers to people by ID, so the timeline and the audit log can be
-- kept, reported on and exported without exposing anyone.

CREATE TABLE centres (
    id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name        text NOT NULL,
    region      text NOT NULL CHECK (region IN ('brussels', 'flanders', 'wallonia')),
    language    text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'fr')),
    time_zone   text NOT NULL DEFAULT 'Europe/Brussels',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_users (
    id            uuid PRIMARY KEY,
    centre_id     text NOT NULL REFERENCES centres (id),
    email         text NOT NULL,
    display_name  text NOT NULL,
    role          text NOT NULL CHECK (role IN ('counsellor', 'coordinator', 'bcsd', 'admin')),
    language      text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'fr')),
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (centre_id, email)
);

CREATE TABLE participants (
    id                      uuid PRIMARY KEY,
    centre_id               text NOT NULL REFERENCES centres (id),
    given_name              text NOT NULL,
    family_name             text NOT NULL,
    birth_date              date NOT NULL,
    gender                  text CHECK (gender IN ('f', 'm', 'x')),
    national_number         text NOT NULL CHECK (national_number ~ '^[0-9]{11}$'),
    email                   text,
    language                text NOT NULL CHECK (language IN ('nl', 'fr')),
    leefloon_decision_date  date NOT NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (centre_id, national_number)
);

-- The read model of each trajectory, written only by workflow activities.
-- version grows with every write from the workflow, so a late retry of an
-- older write never overwrites a newer state.
CREATE TABLE trajectories (
    participant_id  uuid PRIMARY KEY REFERENCES participants (id),
    centre_id       text NOT NULL REFERENCES centres (id),
    workflow_id     text NOT NULL UNIQUE,
    phase           text NOT NULL,
    phase_since     timestamptz NOT NULL,
    counsellor_id   uuid REFERENCES staff_users (id),
    next_actor      text CHECK (next_actor IN ('participant', 'counsellor', 'coordinator', 'bcsd')),
    next_deadline   timestamptz,
    outcome         text,
    state           jsonb NOT NULL DEFAULT '{}',
    version         bigint NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trajectories_centre_phase ON trajectories (centre_id, phase);
CREATE INDEX trajectories_counsellor ON trajectories (counsellor_id, next_deadline);
CREATE INDEX trajectories_next_deadline ON trajectories (centre_id, next_deadline) WHERE next_deadline IS NOT NULL;

-- What happened to a trajectory, in order. event_key is derived from the
-- workflow (workflow ID, run and event sequence), which makes an activity
-- retry insert nothing new.
CREATE TABLE timeline_events (
    id              bigserial PRIMARY KEY,
    event_key       text NOT NULL UNIQUE,
    participant_id  uuid NOT NULL REFERENCES participants (id),
    centre_id       text NOT NULL REFERENCES centres (id),
    occurred_at     timestamptz NOT NULL,
    kind            text NOT NULL,
    phase_from      text,
    phase_to        text,
    actor_id        uuid,
    data            jsonb NOT NULL DEFAULT '{}',
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX timeline_events_participant ON timeline_events (participant_id, occurred_at, id);
CREATE INDEX timeline_events_centre_kind ON timeline_events (centre_id, kind, occurred_at);

-- Who read or changed which dossier, when and through which request.
-- Append-only; holds IDs and action names, never personal data.
CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    centre_id    text REFERENCES centres (id),
    actor_id     uuid,
    actor_role   text,
    action       text NOT NULL,
    object_type  text NOT NULL,
    object_id    text,
    request_id   text,
    outcome      text NOT NULL
);
CREATE INDEX audit_log_centre_at ON audit_log (centre_id, at);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, at);
