-- Host staff sign in too: a user belongs to a centre (counsellor,
-- coordinator, bcsd, admin) or to a host organisation (host; host_admin,
-- who manages the host's users and tokens), never to both.
ALTER TABLE staff_users ALTER COLUMN centre_id DROP NOT NULL;
ALTER TABLE staff_users ADD COLUMN host_id uuid REFERENCES hosts (id);
ALTER TABLE staff_users DROP CONSTRAINT staff_users_role_check;
ALTER TABLE staff_users ADD CONSTRAINT staff_users_role_check
    CHECK (role IN ('counsellor', 'coordinator', 'bcsd', 'admin', 'host', 'host_admin'));
ALTER TABLE staff_users ADD CONSTRAINT staff_users_belongs_once CHECK (
    CASE WHEN role IN ('host', 'host_admin') THEN host_id IS NOT NULL AND centre_id IS NULL
         ELSE centre_id IS NOT NULL AND host_id IS NULL END);
CREATE UNIQUE INDEX staff_users_host_email ON staff_users (host_id, lower(email)) WHERE host_id IS NOT NULL;
