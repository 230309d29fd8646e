-- Messages about passport applications: to the citizen (SMS, email) and to integrators'
-- webhooks (a signed POST of each status change, retried from the outbox, at least once).
ALTER TABLE outbox
    DROP CONSTRAINT outbox_channel_check,
    ADD CONSTRAINT outbox_channel_check CHECK (channel IN ('sms', 'email', 'webhook')),
    ADD COLUMN application_id bigint REFERENCES passport_applications (id) ON DELETE CASCADE;

CREATE TABLE webhooks (
    id                 serial PRIMARY KEY,
    url                text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
    -- The HMAC-SHA256 key of the X-Nobat-Signature header, shown once when registered.
    secret             text NOT NULL,
    description        text NOT NULL DEFAULT '',
    created_by         integer REFERENCES staff_users (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    active             boolean NOT NULL DEFAULT true
);
