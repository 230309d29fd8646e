DROP TABLE queue_entries;
DROP TABLE queue_numbers;
ALTER TABLE counters DROP COLUMN opened_at;
ALTER TABLE counters DROP COLUMN opened_by;
DROP TABLE audit_log;
DROP TABLE staff_sessions;
DROP TABLE staff_branches;
DROP TABLE staff_users;
