-- A host organisation's address, shown and edited on the hosts page.
ALTER TABLE host_organisations ADD COLUMN address text;
