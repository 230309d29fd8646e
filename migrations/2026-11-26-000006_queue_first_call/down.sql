DROP INDEX queue_entries_reports;
ALTER TABLE queue_entries DROP COLUMN first_called_at;
