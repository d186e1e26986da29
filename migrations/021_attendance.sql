-- What a host records of its Article 60 workers, day by day: present, or
-- absent in a way that counts as worked (paid sick leave, holiday), or
-- absent in one of the ways that do not count (they move the contract end,
-- as the workflow's absences do). The monthly attendance sheet per centre
-- and month, which the centre needs for the wages and the federal
-- subsidy, is read from here.
CREATE TABLE attendance (
    participant_id uuid NOT NULL REFERENCES participants (id),
    day            date NOT NULL,
    status         text NOT NULL CHECK (status IN ('present', 'paid_absence', 'unpaid_sickness', 'unjustified', 'unpaid_leave', 'suspension')),
    host_id        uuid NOT NULL REFERENCES hosts (id),
    recorded_by    uuid NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (participant_id, day)
);
CREATE INDEX attendance_host_day ON attendance (host_id, day);
