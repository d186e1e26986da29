-- A dossier number for every participant (issue 24 §7): counted per centre
-- from 1, given at intake, shown on the dossier and the caseload, and
-- searched.
--
-- A trigger numbers each new participant, whichever door inserts it: the
-- centre's next number after its highest. Locking the centre's row (FOR NO
-- KEY UPDATE, which leaves the foreign keys' checks free) makes two
-- intakes at once take one number after the other, and a unique
-- constraint holds them apart. An insert that repeats an existing
-- participant's ID (an intake retried under its Idempotency-Key, ON
-- CONFLICT DO NOTHING) carries that participant's number, and an intake
-- refused (a national number the centre has) takes none, so no number is
-- skipped. (Retention anonymises a dossier but keeps its row and number;
-- only an intake whose trajectory never started is deleted, and its
-- number was never the dossier's.) Rows inserted by one statement see the
-- earlier ones, so a bulk insert numbers each row after the last.
ALTER TABLE participants ADD COLUMN dossier_number integer;

-- The participants already registered, in the order they were.
UPDATE participants p SET dossier_number = n.number
FROM (SELECT id, row_number() OVER (PARTITION BY centre_id ORDER BY created_at, id) AS number FROM participants) n
WHERE p.id = n.id;

ALTER TABLE participants ALTER COLUMN dossier_number SET NOT NULL;
ALTER TABLE participants ADD CONSTRAINT participants_dossier_number UNIQUE (centre_id, dossier_number);

CREATE FUNCTION number_dossier() RETURNS trigger LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF NEW.dossier_number IS NULL THEN
        SELECT dossier_number INTO NEW.dossier_number FROM participants WHERE id = NEW.id;
    END IF;
    IF NEW.dossier_number IS NULL THEN
        PERFORM FROM centres WHERE id = NEW.centre_id FOR NO KEY UPDATE;
        SELECT COALESCE(max(dossier_number), 0) + 1 INTO NEW.dossier_number FROM participants WHERE centre_id = NEW.centre_id;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER participants_dossier_number BEFORE INSERT ON participants
    FOR EACH ROW EXECUTE FUNCTION number_dossier();

-- The caseload sorts by dossier number (the unique constraint's index), by
-- name and by birth date, a page at a time on each order's key; and finds
-- a name typed family name first as well as given name first.
CREATE INDEX participants_caseload_name ON participants (centre_id, lower(family_name), lower(given_name), id);
CREATE INDEX participants_caseload_birth ON participants (centre_id, birth_date, id);
CREATE INDEX participants_name_reversed_trgm ON participants USING gin ((family_name || ' ' || given_name) gin_trgm_ops);
