-- A statistics download was audited as read_stats_<table>; it is now
-- read_stats:<table>, like transition:<phase>, so that the audit filter
-- finds every download by its action alone. Only the action's spelling
-- changes: who read what, when, and how it ended stay as they were.
UPDATE audit_log SET action = 'read_stats:' || substr(action, length('read_stats_') + 1)
WHERE action LIKE 'read\_stats\_%';
