-- Bookings hold seats in slots. A slot row counts the seats taken; the conditional
-- `UPDATE slots SET taken = taken + n WHERE taken + n <= capacity` and the CHECK below make
-- over-booking impossible whatever the application does. One active booking per passport and
-- service is a partial unique index.

CREATE TABLE slots (
    id                 bigserial PRIMARY KEY,
    branch_id          integer NOT NULL REFERENCES branches (id),
    service_id         integer NOT NULL REFERENCES services (id),
    starts_at          timestamptz NOT NULL,
    ends_at            timestamptz NOT NULL,
    capacity           integer NOT NULL CHECK (capacity >= 0),
    taken              integer NOT NULL DEFAULT 0 CHECK (taken >= 0),
    UNIQUE (branch_id, service_id, starts_at),
    CHECK (taken <= capacity),
    CHECK (starts_at < ends_at)
);

CREATE TABLE bookings (
    id                 bigserial PRIMARY KEY,
    reference          text NOT NULL UNIQUE CHECK (reference ~ '^[2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{3}$'),
    branch_id          integer NOT NULL REFERENCES branches (id),
    service_id         integer NOT NULL REFERENCES services (id),
    slot_id            bigint NOT NULL REFERENCES slots (id),
    seats              smallint NOT NULL CHECK (seats BETWEEN 1 AND 5),
    status             text NOT NULL CHECK (status IN ('held', 'confirmed', 'checked_in', 'serving', 'served', 'no_show', 'missed', 'cancelled', 'expired')),
    language           text NOT NULL CHECK (language IN ('tk', 'ru', 'en')),
    fee_minor          bigint NOT NULL CHECK (fee_minor >= 0),
    hold_expires_at    timestamptz,
    -- sha256 of the citizen's secret manage token; the token itself is never stored.
    manage_token_hash  bytea NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'held') = (hold_expires_at IS NOT NULL))
);
SELECT diesel_manage_updated_at('bookings');
CREATE INDEX bookings_slot ON bookings (slot_id);
CREATE INDEX bookings_lapsing_holds ON bookings (hold_expires_at) WHERE status = 'held';

CREATE TABLE booking_applicants (
    booking_id         bigint NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    position           smallint NOT NULL CHECK (position BETWEEN 0 AND 4),
    service_id         integer NOT NULL REFERENCES services (id),
    surname            text NOT NULL,
    given_name         text NOT NULL,
    patronymic         text,
    date_of_birth      date NOT NULL,
    phone              text NOT NULL,
    email              text,
    passport_number    text NOT NULL,
    passport_issued_on date NOT NULL,
    passport_issued_by text NOT NULL,
    passport_expires_on date NOT NULL,
    fee_minor          bigint NOT NULL CHECK (fee_minor >= 0),
    -- true while the booking holds its seat; false once it ends (expired, cancelled, served...).
    active             boolean NOT NULL DEFAULT true,
    PRIMARY KEY (booking_id, position)
);
CREATE UNIQUE INDEX one_active_booking_per_passport
    ON booking_applicants (passport_number, service_id) WHERE active;

-- Who changed what, when and why: every status change of a booking.
CREATE TABLE booking_events (
    id                 bigserial PRIMARY KEY,
    booking_id         bigint NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    at                 timestamptz NOT NULL DEFAULT now(),
    actor              text NOT NULL,
    from_status        text,
    to_status          text NOT NULL,
    note               text NOT NULL DEFAULT ''
);
CREATE INDEX booking_events_booking ON booking_events (booking_id, at);

-- Answers to POSTs that carried an Idempotency-Key, replayed for the same key and body.
CREATE TABLE idempotency_keys (
    scope              text NOT NULL,
    key                text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash       bytea NOT NULL,
    status             smallint,
    response           jsonb,
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);

-- Messages to send, written in the same transaction as the change they report.
CREATE TABLE outbox (
    id                 bigserial PRIMARY KEY,
    booking_id         bigint REFERENCES bookings (id) ON DELETE CASCADE,
    channel            text NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient          text NOT NULL,
    template           text NOT NULL,
    language           text NOT NULL CHECK (language IN ('tk', 'ru', 'en')),
    payload            jsonb NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL DEFAULT now(),
    attempts           integer NOT NULL DEFAULT 0,
    next_attempt_at    timestamptz NOT NULL DEFAULT now(),
    delivered_at       timestamptz,
    last_error         text
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
