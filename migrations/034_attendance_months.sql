-- A host declares a month of its workers' attendance at one centre
-- complete: who declared it and when. The centre reads the declaration on
-- its monthly attendance sheet (it pays the wages and claims the federal
-- subsidy from it), and the days of a declared month no longer change.
-- One declaration per host, centre and month: declaring again answers the
-- first one.
CREATE TABLE attendance_months (
    host_id     uuid NOT NULL REFERENCES hosts (id),
    centre_id   text NOT NULL REFERENCES centres (id),
    month       date NOT NULL CHECK (extract(day FROM month) = 1),
    declared_by uuid NOT NULL,
    declared_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (host_id, centre_id, month)
);
CREATE INDEX attendance_months_centre ON attendance_months (centre_id, month);
