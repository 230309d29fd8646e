-- Card payments for bookings. A payment is created with its held booking ("new"), registered with
-- the acquirer when the citizen goes to pay ("pending"), and settled by the acquirer's answer.
-- Every answer the acquirer gives is kept in payment_events for reconciliation.

CREATE TABLE payments (
    id                 bigserial PRIMARY KEY,
    -- Random and unguessable: it names the payment in the pay and return URLs.
    public_id          text NOT NULL UNIQUE CHECK (public_id ~ '^[A-Za-z0-9_-]{16,64}$'),
    booking_id         bigint NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    -- Our order number at the acquirer (unique per registration).
    order_number       text NOT NULL UNIQUE,
    -- The acquirer's order id (mdOrder), once registered.
    acquirer_order_id  text UNIQUE,
    form_url           text,
    amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
    currency           text NOT NULL DEFAULT 'TMT',
    status             text NOT NULL CHECK (status IN ('new', 'pending', 'paid', 'declined', 'refund_pending', 'refunded')),
    masked_pan         text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    paid_at            timestamptz,
    refunded_at        timestamptz,
    -- When the reconciler last asked the acquirer; when a refund was last attempted.
    checked_at         timestamptz,
    refund_claimed_at  timestamptz,
    CHECK ((status = 'new') = (acquirer_order_id IS NULL) OR status = 'declined')
);
SELECT diesel_manage_updated_at('payments');
CREATE INDEX payments_booking ON payments (booking_id, id);
CREATE INDEX payments_unsettled ON payments (created_at) WHERE status IN ('pending', 'refund_pending');

CREATE TABLE payment_events (
    id                 bigserial PRIMARY KEY,
    payment_id         bigint NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
    at                 timestamptz NOT NULL DEFAULT now(),
    -- register | status | callback | refund | settle
    source             text NOT NULL,
    error_code         text,
    order_status       integer,
    action_code        integer,
    amount_minor       bigint,
    masked_pan         text,
    status_after       text NOT NULL,
    note               text NOT NULL DEFAULT ''
);
CREATE INDEX payment_events_payment ON payment_events (payment_id, at);

-- The built-in sandbox acquirer's orders (development and tests only). Kept in PostgreSQL so
-- that every instance of Nobat serves the same card pages.
CREATE TABLE sandbox_orders (
    order_id           text PRIMARY KEY,
    merchant           text NOT NULL,
    order_number       text NOT NULL,
    amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
    currency           integer NOT NULL,
    return_url         text NOT NULL,
    fail_url           text,
    language           text NOT NULL DEFAULT 'tk',
    description        text NOT NULL DEFAULT '',
    -- 0 registered, 2 deposited, 4 refunded, 6 declined (the protocol's orderStatus).
    order_status       smallint NOT NULL DEFAULT 0,
    action_code        integer NOT NULL DEFAULT 0,
    action_description text NOT NULL DEFAULT '',
    masked_pan         text,
    cardholder         text,
    awaiting_code      boolean NOT NULL DEFAULT false,
    code_tries         smallint NOT NULL DEFAULT 0,
    refunded_minor     bigint NOT NULL DEFAULT 0,
    expires_at         timestamptz NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    deposited_at       timestamptz,
    UNIQUE (merchant, order_number)
);

-- Fixed-window rate limits shared by every instance (e.g. access recovery attempts).
CREATE TABLE rate_limits (
    bucket             text PRIMARY KEY,
    window_started_at  timestamptz NOT NULL,
    hits               integer NOT NULL
);
