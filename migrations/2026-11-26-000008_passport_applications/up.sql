-- International passport applications. The citizen's answers are kept as typed (a draft may be
-- incomplete) in `data`; what staff filter on and tracking checks is copied out at submission.
-- Personal data: never logged, never in a URL; the photo lives on disk, named by its sha256.

CREATE TABLE passport_applications (
    id                   bigserial PRIMARY KEY,
    -- P-26-4K7Q-93: year, four random characters, two check characters (domain ApplicationNumber).
    number               text NOT NULL UNIQUE,
    -- sha256 of the citizen's secret token (sent in X-Application-Token).
    token_hash           bytea NOT NULL,
    status               text NOT NULL DEFAULT 'draft' CHECK (status IN
                         ('draft', 'submitted', 'under_review', 'needs_action', 'in_production', 'ready', 'issued', 'rejected')),
    language             text NOT NULL DEFAULT 'tk' CHECK (language IN ('tk', 'ru', 'en')),
    data                 jsonb NOT NULL DEFAULT '{}',
    reason               text,
    full_name            text NOT NULL DEFAULT '',
    date_of_birth        date,
    collection_branch_id integer REFERENCES branches (id),
    photo_sha256         text CHECK (photo_sha256 ~ '^[0-9a-f]{64}$'),
    photo_format         text CHECK (photo_format IN ('jpeg', 'png')),
    photo_width          integer,
    photo_height         integer,
    photo_bytes          integer,
    fee_minor            bigint NOT NULL DEFAULT 0 CHECK (fee_minor >= 0),
    -- What the citizen must bring or correct while `needs_action`.
    action_required      text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    submitted_at         timestamptz,
    -- A draft is kept 30 days after its last change.
    expires_at           timestamptz NOT NULL DEFAULT now() + interval '30 days',
    CHECK (status = 'draft' OR (reason IS NOT NULL AND date_of_birth IS NOT NULL
                                AND collection_branch_id IS NOT NULL AND submitted_at IS NOT NULL))
);
SELECT diesel_manage_updated_at('passport_applications');
CREATE INDEX passport_applications_staff ON passport_applications (collection_branch_id, status, submitted_at DESC)
    WHERE status <> 'draft';
CREATE INDEX passport_applications_drafts ON passport_applications (expires_at) WHERE status = 'draft';

-- Every status an application has had: who, when, and a note (public notes are shown to the citizen).
CREATE TABLE application_events (
    id                   bigserial PRIMARY KEY,
    application_id       bigint NOT NULL REFERENCES passport_applications (id) ON DELETE CASCADE,
    at                   timestamptz NOT NULL DEFAULT now(),
    from_status          text,
    to_status            text NOT NULL,
    -- 'citizen', 'payments' or a staff username.
    actor                text NOT NULL,
    staff_id             integer REFERENCES staff_users (id),
    note                 text NOT NULL DEFAULT ''
);
CREATE INDEX application_events_application ON application_events (application_id, at);

-- A payment is for a booking or for an application's state fee.
ALTER TABLE payments
    ALTER COLUMN booking_id DROP NOT NULL,
    ADD COLUMN application_id bigint REFERENCES passport_applications (id) ON DELETE CASCADE,
    ADD CONSTRAINT payments_one_subject CHECK ((booking_id IS NULL) <> (application_id IS NULL));
CREATE INDEX payments_application ON payments (application_id, id) WHERE application_id IS NOT NULL;
