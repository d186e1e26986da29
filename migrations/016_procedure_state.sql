-- The procedure's whole state as its workflow last wrote it (invitation,
-- hearing held or missed, decision with its suspension, notification), for
-- the procedure page and the dossier's BCSD section. NULL for a procedure
-- whose last event predates this column: its page shows the columns alone.
ALTER TABLE sanction_procedures ADD COLUMN state jsonb;
CREATE INDEX sanction_procedures_participant ON sanction_procedures (participant_id);
