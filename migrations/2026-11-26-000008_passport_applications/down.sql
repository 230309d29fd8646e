DELETE FROM payments WHERE application_id IS NOT NULL;
ALTER TABLE payments DROP CONSTRAINT payments_one_subject, DROP COLUMN application_id,
    ALTER COLUMN booking_id SET NOT NULL;
DROP TABLE application_events;
DROP TABLE passport_applications;
