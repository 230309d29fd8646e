-- The queue rules a branch head may tune: how long before a slot check-in opens, and how many
-- calls an absent citizen gets before the operator may mark a no-show.
ALTER TABLE branches
    ADD COLUMN checkin_opens_minutes smallint NOT NULL DEFAULT 60 CHECK (checkin_opens_minutes BETWEEN 5 AND 240),
    ADD COLUMN max_calls smallint NOT NULL DEFAULT 3 CHECK (max_calls BETWEEN 1 AND 10);
