-- Reminders the day before a visit. `reminder_queued_at` is set in the same statement that
-- queues the reminder, so every instance may run the job and each booking is reminded once.
ALTER TABLE bookings ADD COLUMN reminder_queued_at timestamptz;

-- The reminder job looks for confirmed bookings not yet reminded whose slot starts tomorrow.
CREATE INDEX bookings_reminder_due ON bookings (slot_id)
    WHERE status = 'confirmed' AND reminder_queued_at IS NULL;
CREATE INDEX slots_starts_at ON slots (starts_at);

