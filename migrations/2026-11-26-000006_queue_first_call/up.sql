-- The first call of a queue entry (recalls move called_at; waits are measured to the first call).
ALTER TABLE queue_entries ADD COLUMN first_called_at timestamptz;
CREATE INDEX queue_entries_reports ON queue_entries (branch_id, queue_date);
