//! Diesel table definitions, kept in step with `migrations/` by hand (each migration that
//! changes a table changes it here too; the integration tests exercise every column).

diesel::table! {
    services (id) {
        id -> Int4,
        code -> Text,
        name_tk -> Text,
        name_ru -> Text,
        name_en -> Text,
        description_tk -> Text,
        description_ru -> Text,
        description_en -> Text,
        documents_tk -> Array<Text>,
        documents_ru -> Array<Text>,
        documents_en -> Array<Text>,
        duration_minutes -> Int2,
        fee_minor -> Int8,
        exemptions -> Array<Text>,
        queue_prefix -> Text,
        sort_order -> Int4,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    branches (id) {
        id -> Int4,
        code -> Text,
        region -> Text,
        name_tk -> Text,
        name_ru -> Text,
        name_en -> Text,
        address_tk -> Text,
        address_ru -> Text,
        address_en -> Text,
        phone -> Text,
        latitude -> Nullable<Float8>,
        longitude -> Nullable<Float8>,
        days_ahead -> Int2,
        release_time -> Time,
        cutoff_minutes -> Int2,
        hall_capacity -> Nullable<Int4>,
        sort_order -> Int4,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        checkin_opens_minutes -> Int2,
        max_calls -> Int2,
    }
}

diesel::table! {
    counters (id) {
        id -> Int4,
        branch_id -> Int4,
        number -> Int2,
        label -> Text,
        active -> Bool,
        opened_by -> Nullable<Int4>,
        opened_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    counter_services (counter_id, service_id) {
        counter_id -> Int4,
        service_id -> Int4,
    }
}

diesel::table! {
    opening_plans (id) {
        id -> Int4,
        branch_id -> Int4,
        effective_from -> Date,
    }
}

diesel::table! {
    opening_hours (plan_id, weekday) {
        plan_id -> Int4,
        weekday -> Int2,
        opens -> Time,
        closes -> Time,
    }
}

diesel::table! {
    opening_breaks (id) {
        id -> Int4,
        plan_id -> Int4,
        weekday -> Int2,
        starts -> Time,
        ends -> Time,
    }
}

diesel::table! {
    holidays (id) {
        id -> Int4,
        date -> Date,
        kind -> Text,
        name_tk -> Text,
        name_ru -> Text,
        name_en -> Text,
        provisional -> Bool,
        transferred_from -> Nullable<Date>,
    }
}

diesel::table! {
    branch_closures (id) {
        id -> Int4,
        branch_id -> Int4,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        reason_tk -> Text,
        reason_ru -> Text,
        reason_en -> Text,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(counters -> branches (branch_id));
diesel::joinable!(counter_services -> counters (counter_id));
diesel::joinable!(counter_services -> services (service_id));
diesel::joinable!(opening_plans -> branches (branch_id));
diesel::joinable!(opening_hours -> opening_plans (plan_id));
diesel::joinable!(branch_closures -> branches (branch_id));

diesel::allow_tables_to_appear_in_same_query!(
    services,
    branches,
    counters,
    counter_services,
    opening_plans,
    opening_hours,
    opening_breaks,
    holidays,
    branch_closures,
    slots,
    bookings,
    booking_applicants,
    booking_events,
    idempotency_keys,
    outbox,
    payments,
    payment_events,
    staff_users,
    staff_branches,
    staff_sessions,
    audit_log,
    queue_numbers,
    queue_entries,
    passport_applications,
    application_events,
    webhooks,
    media_items,
    media_files,
);

diesel::table! {
    slots (id) {
        id -> Int8,
        branch_id -> Int4,
        service_id -> Int4,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        capacity -> Int4,
        taken -> Int4,
    }
}

diesel::table! {
    bookings (id) {
        id -> Int8,
        reference -> Text,
        branch_id -> Int4,
        service_id -> Int4,
        slot_id -> Int8,
        seats -> Int2,
        status -> Text,
        language -> Text,
        fee_minor -> Int8,
        hold_expires_at -> Nullable<Timestamptz>,
        manage_token_hash -> Bytea,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        reminder_queued_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    booking_applicants (booking_id, position) {
        booking_id -> Int8,
        position -> Int2,
        service_id -> Int4,
        surname -> Text,
        given_name -> Text,
        patronymic -> Nullable<Text>,
        date_of_birth -> Date,
        phone -> Text,
        email -> Nullable<Text>,
        passport_number -> Text,
        passport_issued_on -> Date,
        passport_issued_by -> Text,
        passport_expires_on -> Date,
        fee_minor -> Int8,
        active -> Bool,
    }
}

diesel::table! {
    booking_events (id) {
        id -> Int8,
        booking_id -> Int8,
        at -> Timestamptz,
        actor -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        note -> Text,
    }
}

diesel::table! {
    idempotency_keys (scope, key) {
        scope -> Text,
        key -> Text,
        request_hash -> Bytea,
        status -> Nullable<Int2>,
        response -> Nullable<Jsonb>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    outbox (id) {
        id -> Int8,
        booking_id -> Nullable<Int8>,
        channel -> Text,
        recipient -> Text,
        template -> Text,
        language -> Text,
        payload -> Jsonb,
        created_at -> Timestamptz,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        delivered_at -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        application_id -> Nullable<Int8>,
    }
}

diesel::joinable!(slots -> branches (branch_id));
diesel::joinable!(bookings -> slots (slot_id));
diesel::joinable!(bookings -> branches (branch_id));
diesel::joinable!(bookings -> services (service_id));
diesel::joinable!(booking_applicants -> bookings (booking_id));
diesel::joinable!(booking_events -> bookings (booking_id));

diesel::table! {
    payments (id) {
        id -> Int8,
        public_id -> Text,
        booking_id -> Nullable<Int8>,
        order_number -> Text,
        acquirer_order_id -> Nullable<Text>,
        form_url -> Nullable<Text>,
        amount_minor -> Int8,
        currency -> Text,
        status -> Text,
        masked_pan -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        paid_at -> Nullable<Timestamptz>,
        refunded_at -> Nullable<Timestamptz>,
        checked_at -> Nullable<Timestamptz>,
        refund_claimed_at -> Nullable<Timestamptz>,
        application_id -> Nullable<Int8>,
    }
}

diesel::table! {
    payment_events (id) {
        id -> Int8,
        payment_id -> Int8,
        at -> Timestamptz,
        source -> Text,
        error_code -> Nullable<Text>,
        order_status -> Nullable<Int4>,
        action_code -> Nullable<Int4>,
        amount_minor -> Nullable<Int8>,
        masked_pan -> Nullable<Text>,
        status_after -> Text,
        note -> Text,
    }
}

diesel::table! {
    sandbox_orders (order_id) {
        order_id -> Text,
        merchant -> Text,
        order_number -> Text,
        amount_minor -> Int8,
        currency -> Int4,
        return_url -> Text,
        fail_url -> Nullable<Text>,
        language -> Text,
        description -> Text,
        order_status -> Int2,
        action_code -> Int4,
        action_description -> Text,
        masked_pan -> Nullable<Text>,
        cardholder -> Nullable<Text>,
        awaiting_code -> Bool,
        code_tries -> Int2,
        refunded_minor -> Int8,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
        deposited_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    rate_limits (bucket) {
        bucket -> Text,
        window_started_at -> Timestamptz,
        hits -> Int4,
    }
}

diesel::joinable!(payments -> bookings (booking_id));
diesel::joinable!(payment_events -> payments (payment_id));

diesel::table! {
    staff_users (id) {
        id -> Int4,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        demo_password -> Bool,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    staff_branches (user_id, branch_id) {
        user_id -> Int4,
        branch_id -> Int4,
    }
}

diesel::table! {
    staff_sessions (token_hash) {
        token_hash -> Bytea,
        user_id -> Int4,
        kind -> Text,
        name -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        last_used_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        at -> Timestamptz,
        actor_id -> Nullable<Int4>,
        actor -> Text,
        action -> Text,
        target -> Text,
        before -> Jsonb,
        after -> Jsonb,
    }
}

diesel::table! {
    queue_numbers (branch_id, queue_date, prefix) {
        branch_id -> Int4,
        queue_date -> Date,
        prefix -> Text,
        last_number -> Int4,
    }
}

diesel::table! {
    queue_entries (id) {
        id -> Int8,
        branch_id -> Int4,
        service_id -> Int4,
        booking_id -> Nullable<Int8>,
        queue_date -> Date,
        prefix -> Text,
        number -> Int4,
        priority_reason -> Nullable<Text>,
        appointment_at -> Timestamptz,
        checked_in_at -> Timestamptz,
        status -> Text,
        counter_id -> Nullable<Int4>,
        calls -> Int4,
        called_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
        checked_in_by -> Nullable<Int4>,
        first_called_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(staff_branches -> staff_users (user_id));
diesel::joinable!(staff_branches -> branches (branch_id));
diesel::joinable!(staff_sessions -> staff_users (user_id));
diesel::joinable!(queue_entries -> counters (counter_id));
diesel::joinable!(queue_entries -> services (service_id));

diesel::table! {
    passport_applications (id) {
        id -> Int8,
        number -> Text,
        token_hash -> Bytea,
        status -> Text,
        language -> Text,
        data -> Jsonb,
        reason -> Nullable<Text>,
        full_name -> Text,
        date_of_birth -> Nullable<Date>,
        collection_branch_id -> Nullable<Int4>,
        photo_sha256 -> Nullable<Text>,
        photo_format -> Nullable<Text>,
        photo_width -> Nullable<Int4>,
        photo_height -> Nullable<Int4>,
        photo_bytes -> Nullable<Int4>,
        fee_minor -> Int8,
        action_required -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        submitted_at -> Nullable<Timestamptz>,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    application_events (id) {
        id -> Int8,
        application_id -> Int8,
        at -> Timestamptz,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor -> Text,
        staff_id -> Nullable<Int4>,
        note -> Text,
    }
}

diesel::joinable!(passport_applications -> branches (collection_branch_id));
diesel::joinable!(application_events -> passport_applications (application_id));
diesel::joinable!(payments -> passport_applications (application_id));

diesel::table! {
    webhooks (id) {
        id -> Int4,
        url -> Text,
        secret -> Text,
        description -> Text,
        created_by -> Nullable<Int4>,
        created_at -> Timestamptz,
        active -> Bool,
    }
}

diesel::table! {
    media_items (id) {
        id -> Int4,
        slug -> Text,
        kind -> Text,
        status -> Text,
        title_tk -> Text,
        title_ru -> Nullable<Text>,
        title_en -> Nullable<Text>,
        summary_tk -> Text,
        summary_ru -> Nullable<Text>,
        summary_en -> Nullable<Text>,
        body_tk -> Text,
        body_ru -> Nullable<Text>,
        body_en -> Nullable<Text>,
        tags -> Array<Text>,
        published_at -> Nullable<Timestamptz>,
        sort_order -> Int4,
        created_by -> Nullable<Int4>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    media_files (id) {
        id -> Int4,
        item_id -> Int4,
        position -> Int4,
        sha256 -> Text,
        file_type -> Text,
        class -> Text,
        bytes -> Int8,
        width -> Nullable<Int4>,
        height -> Nullable<Int4>,
        thumbnails -> Jsonb,
        original_name -> Text,
        caption -> Text,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(media_files -> media_items (item_id));
