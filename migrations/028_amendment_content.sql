-- An amendment of the GPMI says who asked for it (the person or the
-- centre); the agreements it adds are gpmi_agreements rows like the
-- signature's, and the workflow keeps which it added and which it ended.
ALTER TABLE gpmi_amendments ADD COLUMN requested_by text CHECK (requested_by IN ('person', 'centre'));
