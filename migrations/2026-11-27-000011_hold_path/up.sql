-- A number that changes with every write to what decides a branch's bookable times (branches,
-- services, counters and what they serve, opening plans, holidays, closures). Each instance
-- keeps these rows in memory for the booking path and reloads them when the number it reads
-- with the slot differs from the one it loaded them at (issue #9: a hold no longer reads seven
-- catalog tables).
CREATE TABLE catalog_version (
    id       boolean PRIMARY KEY DEFAULT true CHECK (id),
    version  bigint NOT NULL
);
INSERT INTO catalog_version (version) VALUES (1);

CREATE FUNCTION bump_catalog_version() RETURNS trigger AS $$
BEGIN
    UPDATE catalog_version SET version = version + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['branches', 'services', 'counters', 'counter_services',
                             'opening_plans', 'opening_hours', 'opening_breaks', 'holidays',
                             'branch_closures']
    LOOP
        EXECUTE format('CREATE TRIGGER bump_catalog_version
                            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                            FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version()', t);
    END LOOP;
END;
$$;

-- A booking's branch and service are its slot's, and the slot's foreign keys already tie them to
-- the catalog. The copies on bookings and applicants made every hold lock the same branch and
-- service rows FOR KEY SHARE, so concurrent holds shared those locks through multixacts:
-- a quarter of the hold statement's time under load.
ALTER TABLE bookings DROP CONSTRAINT bookings_branch_id_fkey,
                     DROP CONSTRAINT bookings_service_id_fkey;
ALTER TABLE booking_applicants DROP CONSTRAINT booking_applicants_service_id_fkey;
