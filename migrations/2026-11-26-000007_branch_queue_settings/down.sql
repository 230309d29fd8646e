ALTER TABLE branches DROP COLUMN max_calls, DROP COLUMN checkin_opens_minutes;
