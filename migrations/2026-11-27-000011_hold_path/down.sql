ALTER TABLE booking_applicants ADD CONSTRAINT booking_applicants_service_id_fkey
    FOREIGN KEY (service_id) REFERENCES services (id);
ALTER TABLE bookings ADD CONSTRAINT bookings_service_id_fkey FOREIGN KEY (service_id) REFERENCES services (id),
                     ADD CONSTRAINT bookings_branch_id_fkey FOREIGN KEY (branch_id) REFERENCES branches (id);
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['branches', 'services', 'counters', 'counter_services',
                             'opening_plans', 'opening_hours', 'opening_breaks', 'holidays',
                             'branch_closures']
    LOOP
        EXECUTE format('DROP TRIGGER bump_catalog_version ON %I', t);
    END LOOP;
END;
$$;
DROP FUNCTION bump_catalog_version();
DROP TABLE catalog_version;
