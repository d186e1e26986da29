-- The referral to the regional employment service before an Article 60
-- contract ends (or in its follow-up): the service (Actiris, VDAB, Forem,
-- by the centre's region), the day and the contact there, a person or an
-- office. The workflow keeps the service, the day and this row's ID (the
-- referral completes its deadline); the contact stays here. A row whose ID
-- the workflow refused is never read: readers go by the workflow's ID.

CREATE TABLE employment_referrals (
    id             uuid PRIMARY KEY,
    participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    centre_id      text NOT NULL REFERENCES centres (id),
    service        text NOT NULL CHECK (service IN ('actiris', 'vdab', 'forem')),
    referred_on    date NOT NULL,
    contact        text NOT NULL,
    author_id      uuid NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX employment_referrals_participant ON employment_referrals (participant_id, created_at);
