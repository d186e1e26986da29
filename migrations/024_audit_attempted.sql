-- The entries a write recorded as attempted, by request: an entry whose
-- insert committed while its reply was lost is found by its request ID and
-- settled (store.SettleLostAudit). Most entries are settled at once, so
-- the index stays small.
CREATE INDEX audit_log_attempted ON audit_log (request_id, action) WHERE outcome = 'attempted';
