-- The counsellor an intake names, kept with the participant: until the
-- trajectory's first write reaches the read model, the dossier is theirs
-- to open (the intake page goes straight to it).
ALTER TABLE participants ADD COLUMN intake_counsellor_id uuid;
