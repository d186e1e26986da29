-- A host organisation exists once, not as each centre's copy: it has its
-- sites (each with its staff, for the Article 60 ceiling) and an agreement
-- with each centre it works with (positions per function, dates of
-- validity). Today's per-centre hosts move in with their IDs kept, so
-- every contract's host (trajectories.contract_host_id, the timeline's
-- host_id) and the statistics' history stay as they are: each becomes a
-- host with one site and one agreement with its centre, from the day it
-- was registered. Two centres' copies of one host stay two hosts: nothing
-- here can tell that they are the same organisation.
CREATE TABLE hosts (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    email       text,
    language    text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'fr')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz
);

CREATE TABLE host_sites (
    id        uuid PRIMARY KEY,
    host_id   uuid NOT NULL REFERENCES hosts (id),
    name      text NOT NULL,
    address   text,
    -- the site's whole staff, Article 60 workers included; NULL: unknown
    staff     integer CHECK (staff >= 0)
);
CREATE INDEX host_sites_host ON host_sites (host_id);

CREATE TABLE host_agreements (
    id          uuid PRIMARY KEY,
    host_id     uuid NOT NULL REFERENCES hosts (id),
    centre_id   text NOT NULL REFERENCES centres (id),
    valid_from  date NOT NULL,
    valid_until date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- the centre stopped working with the host
    archived_at timestamptz,
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX host_agreements_centre ON host_agreements (centre_id, host_id);
CREATE INDEX host_agreements_host ON host_agreements (host_id);

CREATE TABLE host_agreement_positions (
    agreement_id uuid NOT NULL REFERENCES host_agreements (id),
    function     text NOT NULL,
    positions    integer NOT NULL CHECK (positions >= 0),
    site_id      uuid REFERENCES host_sites (id),
    PRIMARY KEY (agreement_id, function)
);

INSERT INTO hosts (id, name, email, language, created_at, archived_at)
SELECT id, name, email, language, created_at, archived_at FROM host_organisations;

INSERT INTO host_sites (id, host_id, name, address, staff)
SELECT gen_random_uuid(), id, name, address, staff FROM host_organisations;

INSERT INTO host_agreements (id, host_id, centre_id, valid_from, created_at, archived_at)
SELECT gen_random_uuid(), id, centre_id, (created_at AT TIME ZONE 'Europe/Brussels')::date, created_at, archived_at
FROM host_organisations;

INSERT INTO host_agreement_positions (agreement_id, function, positions, site_id)
SELECT a.id, hp.function, hp.positions, s.id
FROM host_positions hp
JOIN host_agreements a ON a.host_id = hp.host_id
JOIN host_sites s ON s.host_id = hp.host_id;

DROP TABLE host_positions;
DROP TABLE host_organisations;
