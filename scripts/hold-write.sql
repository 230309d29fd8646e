-- pgbench script: the write of one hold as `write_hold` in crates/api/src/db/bookings.rs sends it
-- (take a seat, insert the booking, its applicant, its first event and its payment, in one
-- statement and one transaction), with nothing else: no HTTP, no JSON, no Rust. scripts/bench.sh
-- runs it at the same concurrency as the holds scenario to show the database's own ceiling for
-- this write on this machine. Slots are picked at random between :first and :last (ids).
\set slot random(:first, :last)
\set r random(0, 68719476735)
\set p random(0, 999999999)
BEGIN;
WITH took AS (
    UPDATE slots SET taken = taken + 1 WHERE id = :slot AND taken + 1 <= capacity RETURNING id),
booking AS (
    INSERT INTO bookings (reference, branch_id, service_id, slot_id, seats, status, language,
                          fee_minor, hold_expires_at, manage_token_hash)
    SELECT regexp_replace(translate(lpad(to_hex(:r::bigint), 9, '0'), '0123456789abcdef', '23456789ABCDEFGH'),
                          '(...)(...)(...)', '\1-\2-\3'),
           s.branch_id, s.service_id, s.id, 1, 'held', 'tk', 6000, now() + interval '15 minutes',
           sha256('token')
      FROM took JOIN slots s USING (id)
    ON CONFLICT (reference) DO NOTHING
    RETURNING id, service_id),
applicant AS (
    INSERT INTO booking_applicants (booking_id, position, service_id, surname, given_name,
        date_of_birth, phone, passport_number, passport_issued_on, passport_issued_by,
        passport_expires_on, fee_minor)
    SELECT id, 0, service_id, 'Amanow', 'Merdan', '1990-05-17', '+99365123456', 'W' || lpad(:p::text, 9, '0'),
           '2020-01-01', 'Daşoguz', '2035-01-01', 6000 FROM booking
    ON CONFLICT DO NOTHING),
event AS (
    INSERT INTO booking_events (booking_id, actor, to_status, note)
    SELECT id, 'citizen', 'held', 'seat held until payment' FROM booking)
INSERT INTO payments (public_id, booking_id, order_number, amount_minor, status)
SELECT 'bench' || md5(id::text || :r::text), id, 'bench-' || id, 6000, 'new' FROM booking;
COMMIT;
