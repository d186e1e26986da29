-- Literacy (phase 2): the partners that give literacy and language
-- courses, their courses with their places, the level tests, and each
-- person's place on a course: on its waiting list, enrolled, then ended.
-- None of it changes a workflow deadline, so it lives here only (no
-- workflow state); the timeline records each step with IDs and codes.

-- A partner organisation; a course without a partner is the centre's own.
CREATE TABLE literacy_partners (
    id          uuid PRIMARY KEY,
    centre_id   text NOT NULL REFERENCES centres (id),
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz
);
CREATE INDEX literacy_partners_centre ON literacy_partners (centre_id, name);

CREATE TABLE literacy_courses (
    id          uuid PRIMARY KEY,
    centre_id   text NOT NULL REFERENCES centres (id),
    partner_id  uuid REFERENCES literacy_partners (id),
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('literacy', 'dutch', 'french')),
    places      integer NOT NULL CHECK (places >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    archived_at timestamptz
);
CREATE INDEX literacy_courses_centre ON literacy_courses (centre_id, name);

-- A level test: the day and the level reached (one of the centre's
-- policy's literacy.levels).
CREATE TABLE level_tests (
    id             uuid PRIMARY KEY,
    participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    centre_id      text NOT NULL REFERENCES centres (id),
    tested_on      date NOT NULL,
    level          text NOT NULL CHECK (level ~ '^[a-z][a-z0-9_]{0,30}$'),
    author_id      uuid NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX level_tests_participant ON level_tests (participant_id, tested_on);
CREATE INDEX level_tests_centre ON level_tests (centre_id, tested_on);

-- A person's place on a course: referred (on the waiting list since a
-- day), enrolled, then ended (completed, stopped) or withdrawn from the
-- list. The list's order is (since, created_at, id): people referred the
-- same day keep the order they were referred in, and nothing is left to
-- chance.
CREATE TABLE course_places (
    id             uuid PRIMARY KEY,
    participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    centre_id      text NOT NULL REFERENCES centres (id),
    course_id      uuid NOT NULL REFERENCES literacy_courses (id),
    status         text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'enrolled', 'completed', 'stopped', 'withdrawn')),
    since          date NOT NULL,
    enrolled_on    date,
    ended_on       date,
    referred_by    uuid NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (enrolled_on IS NULL OR enrolled_on >= since),
    CHECK (ended_on IS NULL OR ended_on >= since)
);
-- One course at a time, and once on each list.
CREATE UNIQUE INDEX course_places_one_enrolment ON course_places (participant_id) WHERE status = 'enrolled';
CREATE UNIQUE INDEX course_places_once_a_list ON course_places (participant_id, course_id) WHERE status IN ('waiting', 'enrolled');
CREATE INDEX course_places_waiting ON course_places (course_id, since, created_at, id) WHERE status = 'waiting';
CREATE INDEX course_places_enrolled ON course_places (course_id) WHERE status = 'enrolled';
CREATE INDEX course_places_participant ON course_places (participant_id, created_at);
CREATE INDEX course_places_centre ON course_places (centre_id, enrolled_on);
