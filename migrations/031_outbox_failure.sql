-- Why a message was not delivered, as a code the pages put in words in the
-- reader's language (last_error keeps the relay's own answer for the
-- administrator): no_address (the person has no e-mail address), no_template,
-- rejected (the relay refused it for good), gave_up (the relay stayed
-- unreachable past the retry period).
ALTER TABLE outbox ADD COLUMN failure text CHECK (failure IN ('no_address', 'no_template', 'rejected', 'gave_up'));
UPDATE outbox SET failure = CASE
    WHEN last_error LIKE 'no e-mail address%' THEN 'no_address'
    WHEN last_error LIKE 'template:%' THEN 'no_template'
    WHEN last_error LIKE 'not delivered within the retry period%' THEN 'gave_up'
    ELSE 'rejected' END
WHERE status = 'failed';
CREATE INDEX outbox_failed_participant ON outbox (centre_id, participant_id) WHERE status = 'failed';
