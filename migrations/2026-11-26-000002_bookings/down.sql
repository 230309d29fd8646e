DROP TABLE outbox;
DROP TABLE idempotency_keys;
DROP TABLE booking_events;
DROP TABLE booking_applicants;
DROP TABLE bookings;
DROP TABLE slots;
