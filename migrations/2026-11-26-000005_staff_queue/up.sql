-- Staff accounts, their sessions and API tokens, the audit log, and the live queue of a branch.

CREATE TABLE staff_users (
    id                 serial PRIMARY KEY,
    username           text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,31}$'),
    display_name       text NOT NULL,
    -- argon2id PHC string.
    password_hash      text NOT NULL,
    role               text NOT NULL CHECK (role IN ('admin', 'branch_head', 'operator', 'editor')),
    -- Set while the password is a published demo password: production refuses to start.
    demo_password      boolean NOT NULL DEFAULT false,
    active             boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
SELECT diesel_manage_updated_at('staff_users');

CREATE TABLE staff_branches (
    user_id            integer NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    branch_id          integer NOT NULL REFERENCES branches (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, branch_id)
);

-- Console sessions (the cookie carries a random secret; only its sha256 is stored) and
-- integrators' bearer tokens. Both are revocable and shared by every instance.
CREATE TABLE staff_sessions (
    token_hash         bytea PRIMARY KEY,
    user_id            integer NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    kind               text NOT NULL CHECK (kind IN ('session', 'api_token')),
    name               text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL,
    last_used_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at         timestamptz
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

CREATE TABLE audit_log (
    id                 bigserial PRIMARY KEY,
    at                 timestamptz NOT NULL DEFAULT now(),
    actor_id           integer REFERENCES staff_users (id),
    actor              text NOT NULL,
    action             text NOT NULL,
    target             text NOT NULL,
    before             jsonb NOT NULL DEFAULT 'null',
    after              jsonb NOT NULL DEFAULT 'null'
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Counters an operator has opened (and who), for call-next.
ALTER TABLE counters ADD COLUMN opened_by integer REFERENCES staff_users (id);
ALTER TABLE counters ADD COLUMN opened_at timestamptz;

-- Queue numbers of a day, per branch and prefix (A-001, R-001...).
CREATE TABLE queue_numbers (
    branch_id          integer NOT NULL REFERENCES branches (id) ON DELETE CASCADE,
    queue_date         date NOT NULL,
    prefix             text NOT NULL CHECK (prefix ~ '^[A-Z]$'),
    last_number        integer NOT NULL,
    PRIMARY KEY (branch_id, queue_date, prefix)
);

CREATE TABLE queue_entries (
    id                 bigserial PRIMARY KEY,
    branch_id          integer NOT NULL REFERENCES branches (id) ON DELETE CASCADE,
    service_id         integer NOT NULL REFERENCES services (id),
    booking_id         bigint UNIQUE REFERENCES bookings (id),
    queue_date         date NOT NULL,
    prefix             text NOT NULL,
    number             integer NOT NULL CHECK (number > 0),
    priority_reason    text CHECK (priority_reason IN ('disabled', 'elderly', 'pregnant')),
    -- The appointment's start; a walk-in's check-in time.
    appointment_at     timestamptz NOT NULL,
    checked_in_at      timestamptz NOT NULL DEFAULT now(),
    status             text NOT NULL DEFAULT 'waiting'
                       CHECK (status IN ('waiting', 'called', 'serving', 'served', 'no_show', 'cancelled')),
    counter_id         integer REFERENCES counters (id),
    calls              integer NOT NULL DEFAULT 0,
    called_at          timestamptz,
    finished_at        timestamptz,
    checked_in_by      integer REFERENCES staff_users (id),
    UNIQUE (branch_id, queue_date, prefix, number),
    CHECK ((status = 'waiting') = (counter_id IS NULL) OR status = 'cancelled')
);
CREATE INDEX queue_entries_waiting
    ON queue_entries (branch_id, queue_date, (priority_reason IS NOT NULL) DESC, appointment_at, checked_in_at)
    WHERE status = 'waiting';
CREATE INDEX queue_entries_day ON queue_entries (branch_id, queue_date, status);
