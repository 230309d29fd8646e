-- Branches, services, counters, opening plans, the national holidays and branch closures.
-- Everything a branch owns carries branch_id, so the tables can be distributed by branch.

CREATE TABLE services (
    id                 serial PRIMARY KEY,
    code               text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(code) BETWEEN 2 AND 40),
    name_tk            text NOT NULL CHECK (name_tk <> ''),
    name_ru            text NOT NULL,
    name_en            text NOT NULL,
    description_tk     text NOT NULL,
    description_ru     text NOT NULL,
    description_en     text NOT NULL,
    documents_tk       text[] NOT NULL DEFAULT '{}',
    documents_ru       text[] NOT NULL DEFAULT '{}',
    documents_en       text[] NOT NULL DEFAULT '{}',
    duration_minutes   smallint NOT NULL CHECK (duration_minutes BETWEEN 5 AND 240),
    fee_minor          bigint NOT NULL CHECK (fee_minor >= 0),
    exemptions         text[] NOT NULL DEFAULT '{}'
                       CHECK (exemptions <@ ARRAY['child_under_16', 'veteran', 'disabled']),
    -- Queue numbers for this service start with this letter (A-017).
    queue_prefix       text NOT NULL CHECK (queue_prefix ~ '^[A-Z]$'),
    sort_order         integer NOT NULL DEFAULT 0,
    active             boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
SELECT diesel_manage_updated_at('services');

CREATE TABLE branches (
    id                 serial PRIMARY KEY,
    code               text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(code) BETWEEN 2 AND 40),
    region             text NOT NULL CHECK (region IN ('ashgabat', 'arkadag', 'ahal', 'balkan', 'dashoguz', 'lebap', 'mary')),
    name_tk            text NOT NULL CHECK (name_tk <> ''),
    name_ru            text NOT NULL,
    name_en            text NOT NULL,
    address_tk         text NOT NULL,
    address_ru         text NOT NULL,
    address_en         text NOT NULL,
    phone              text NOT NULL,
    latitude           double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude          double precision CHECK (longitude BETWEEN -180 AND 180),
    -- Booking window: bookable up to days_ahead days ahead, the next day released daily at
    -- release_time (local), no booking later than cutoff_minutes before a slot.
    days_ahead         smallint NOT NULL DEFAULT 30 CHECK (days_ahead BETWEEN 1 AND 366),
    release_time       time NOT NULL DEFAULT '08:00',
    cutoff_minutes     smallint NOT NULL DEFAULT 60 CHECK (cutoff_minutes BETWEEN 0 AND 10080),
    -- Social distancing: at most this many citizens per slot whatever the counters.
    hall_capacity      integer CHECK (hall_capacity > 0),
    sort_order         integer NOT NULL DEFAULT 0,
    active             boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
SELECT diesel_manage_updated_at('branches');
CREATE INDEX branches_region ON branches (region) WHERE active;

CREATE TABLE counters (
    id                 serial PRIMARY KEY,
    branch_id          integer NOT NULL REFERENCES branches (id) ON DELETE CASCADE,
    number             smallint NOT NULL CHECK (number > 0),
    label              text NOT NULL DEFAULT '',
    active             boolean NOT NULL DEFAULT true,
    UNIQUE (branch_id, number)
);

-- Which services each counter serves; a branch offers a service when an active counter does.
CREATE TABLE counter_services (
    counter_id         integer NOT NULL REFERENCES counters (id) ON DELETE CASCADE,
    service_id         integer NOT NULL REFERENCES services (id) ON DELETE RESTRICT,
    PRIMARY KEY (counter_id, service_id)
);
CREATE INDEX counter_services_service ON counter_services (service_id);

CREATE TABLE opening_plans (
    id                 serial PRIMARY KEY,
    branch_id          integer NOT NULL REFERENCES branches (id) ON DELETE CASCADE,
    effective_from     date NOT NULL,
    UNIQUE (branch_id, effective_from)
);

CREATE TABLE opening_hours (
    plan_id            integer NOT NULL REFERENCES opening_plans (id) ON DELETE CASCADE,
    weekday            smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),  -- ISO: 1 = Monday
    opens              time NOT NULL,
    closes             time NOT NULL,
    PRIMARY KEY (plan_id, weekday),
    CHECK (opens < closes)
);

CREATE TABLE opening_breaks (
    id                 serial PRIMARY KEY,
    plan_id            integer NOT NULL,
    weekday            smallint NOT NULL,
    starts             time NOT NULL,
    ends               time NOT NULL,
    FOREIGN KEY (plan_id, weekday) REFERENCES opening_hours (plan_id, weekday) ON DELETE CASCADE,
    CHECK (starts < ends)
);
CREATE INDEX opening_breaks_day ON opening_breaks (plan_id, weekday);

CREATE TABLE holidays (
    id                 serial PRIMARY KEY,
    date               date NOT NULL,
    kind               text NOT NULL CHECK (kind IN ('fixed', 'movable', 'extra', 'transfer')),
    name_tk            text NOT NULL CHECK (name_tk <> ''),
    name_ru            text NOT NULL,
    name_en            text NOT NULL,
    provisional        boolean NOT NULL DEFAULT false,
    transferred_from   date,
    UNIQUE (date, name_en),
    CHECK ((kind = 'transfer') = (transferred_from IS NOT NULL))
);
CREATE INDEX holidays_date ON holidays (date);

CREATE TABLE branch_closures (
    id                 serial PRIMARY KEY,
    branch_id          integer NOT NULL REFERENCES branches (id) ON DELETE CASCADE,
    starts_at          timestamptz NOT NULL,
    ends_at            timestamptz NOT NULL,
    reason_tk          text NOT NULL CHECK (reason_tk <> ''),
    reason_ru          text NOT NULL,
    reason_en          text NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at)
);
CREATE INDEX branch_closures_span ON branch_closures (branch_id, ends_at);
