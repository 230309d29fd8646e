DROP INDEX slots_starts_at;
DROP INDEX bookings_reminder_due;
ALTER TABLE bookings DROP COLUMN reminder_queued_at;
