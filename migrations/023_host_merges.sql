-- Two records of one host organisation merged into one (each centre kept
-- its own copy before hosts existed across centres): who merged which
-- into which, when. The merged record stays, archived, so that nothing
-- that named it is left dangling.
CREATE TABLE host_merges (
    from_host_id uuid PRIMARY KEY REFERENCES hosts (id),
    into_host_id uuid NOT NULL REFERENCES hosts (id),
    centre_id    text NOT NULL REFERENCES centres (id),
    merged_by    uuid NOT NULL,
    merged_at    timestamptz NOT NULL DEFAULT now()
);
