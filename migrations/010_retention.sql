-- Closed dossiers past the centre's retention period keep only what the
-- statistics need: the participant row loses its personal data.
ALTER TABLE participants ALTER COLUMN national_number DROP NOT NULL;
ALTER TABLE participants ADD COLUMN anonymised_at timestamptz;
