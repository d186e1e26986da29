-- A bilingual centre (Brussels) writes its name, its streets, its service,
-- the labour court and the place of hearings differently in its Dutch and
-- its French letters: per language, the words that differ from the
-- settings ({"fr": {"name": "CPAS de ...", ...}}); empty fields keep them.
ALTER TABLE centre_letter_settings ADD COLUMN translations jsonb NOT NULL DEFAULT '{}'::jsonb;
