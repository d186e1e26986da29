-- Records of phases 3 and 4: the studies or training a person follows
-- (the school or training body, the programme, its start and expected
-- end, then its result on a day), their student jobs, and the work
-- placements that lead to a job (in-company training, IBO, and entry
-- traineeships). None of them changes a workflow deadline, so they live
-- here only (no workflow state); the timeline records each step with IDs
-- and codes, never the names written here.

CREATE TABLE study_programmes (
    id              uuid PRIMARY KEY,
    participant_id  uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    centre_id       text NOT NULL REFERENCES centres (id),
    school          text NOT NULL,
    name            text NOT NULL,
    starts_on       date NOT NULL,
    expected_end_on date NOT NULL,
    result          text CHECK (result IN ('diploma', 'certificate', 'attest', 'not_obtained', 'stopped')),
    result_on       date,
    author_id       uuid NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (expected_end_on >= starts_on),
    CHECK ((result IS NULL) = (result_on IS NULL)),
    CHECK (result_on IS NULL OR result_on >= starts_on)
);
CREATE INDEX study_programmes_participant ON study_programmes (participant_id, starts_on);

CREATE TABLE student_jobs (
    id             uuid PRIMARY KEY,
    participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    centre_id      text NOT NULL REFERENCES centres (id),
    employer       text NOT NULL,
    from_on        date NOT NULL,
    to_on          date NOT NULL,
    author_id      uuid NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (to_on >= from_on)
);
CREATE INDEX student_jobs_participant ON student_jobs (participant_id, from_on);

-- An in-company training (ibo) or an entry traineeship: the company, the
-- planned period, and once it ends, whether it ended early and on which
-- day.
CREATE TABLE work_placements (
    id             uuid PRIMARY KEY,
    participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    centre_id      text NOT NULL REFERENCES centres (id),
    kind           text NOT NULL CHECK (kind IN ('ibo', 'entry_traineeship')),
    company        text NOT NULL,
    from_on        date NOT NULL,
    to_on          date NOT NULL,
    ended_on       date,
    ended_early    boolean,
    author_id      uuid NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (to_on >= from_on),
    CHECK ((ended_on IS NULL) = (ended_early IS NULL)),
    CHECK (ended_on IS NULL OR ended_on >= from_on)
);
CREATE INDEX work_placements_participant ON work_placements (participant_id, from_on);

-- Civic integration (Flanders: inburgering), where the centre's policy
-- records it (civic_integration.regions): whether the person is obliged
-- to follow it or follows it voluntarily, the day of the referral and
-- where they stand. The caseload filters on the first.
ALTER TABLE participants
    ADD COLUMN civic_integration text CHECK (civic_integration IN ('obliged', 'voluntary')),
    ADD COLUMN civic_referred_on date,
    ADD COLUMN civic_status text CHECK (civic_status IN ('enrolled', 'following', 'completed', 'exempt')),
    ADD CHECK ((civic_integration IS NULL) = (civic_status IS NULL));
CREATE INDEX participants_civic_integration ON participants (centre_id, civic_integration) WHERE civic_integration IS NOT NULL;
