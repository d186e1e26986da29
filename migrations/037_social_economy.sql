-- A host organisation's sector: social economy (a social workshop, a
-- work-integration enterprise, ...) or not. Seed 003 counts the Article 60
-- positions in the social economy apart (350 positions, 121 of them there).
ALTER TABLE hosts ADD COLUMN social_economy boolean NOT NULL DEFAULT false;
