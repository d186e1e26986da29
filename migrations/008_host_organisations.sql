-- Where Article 60 workers work, with positions per function. Occupancy is
-- not stored: it is counted from the running contracts in the read model.
CREATE TABLE host_organisations (
    id           uuid PRIMARY KEY,
    centre_id    text NOT NULL REFERENCES centres (id),
    name         text NOT NULL,
    email        text,
    language     text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'fr')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    archived_at  timestamptz
);
CREATE INDEX host_organisations_centre ON host_organisations (centre_id, name);

CREATE TABLE host_positions (
    host_id    uuid NOT NULL REFERENCES host_organisations (id),
    function   text NOT NULL CHECK (function ~ '^[a-z][a-z0-9_]{0,62}$'),
    positions  integer NOT NULL CHECK (positions >= 0),
    PRIMARY KEY (host_id, function)
);
