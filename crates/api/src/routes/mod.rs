//! HTTP resources under `/api/v1`, one module per resource, each registered by `configure`.

pub mod access;
pub mod admin;
pub mod applications;
pub mod applications_staff;
pub mod auth;
pub mod board;
pub mod bookings;
pub mod branches;
pub mod catalog_admin;
pub mod catalog_edit;
pub mod health;
pub mod holidays;
pub mod media;
pub mod payments;
pub mod reports;
pub mod services;
pub mod staff;
pub mod ticket;
pub mod webhooks;

use utoipa_actix_web::service_config::ServiceConfig;

/// The versioned base path of the REST API.
pub const API_BASE: &str = "/api/v1";

/// Registers every resource of the API (paths relative to [`API_BASE`]).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health)
        .service(branches::list_branches)
        .service(branches::get_availability)
        .service(board::get_board)
        .service(board::board_events)
        .service(branches::get_branch)
        .service(services::list_services)
        .service(services::get_service)
        .service(holidays::list_holidays)
        .service(access::recover_booking)
        .service(bookings::create_booking)
        .service(bookings::get_booking)
        .service(bookings::cancel_booking)
        .service(bookings::reschedule_booking)
        .service(bookings::get_booking_ics)
        .service(ticket::get_booking_svg)
        .service(payments::start_booking_payment)
        .service(payments::payment_callback)
        .service(payments::pay)
        .service(payments::payment_return)
        .service(applications::track_application)
        .service(applications::create_application)
        .service(applications::get_application)
        .service(applications::save_application)
        .service(applications::upload_application_photo)
        .service(applications::get_application_photo)
        .service(applications::submit_application)
        .service(applications::get_application_receipt)
        .service(applications_staff::list_applications)
        .service(applications_staff::get_staff_application)
        .service(applications_staff::get_staff_application_photo)
        .service(applications_staff::change_application_status)
        .service(webhooks::create_webhook)
        .service(webhooks::list_webhooks)
        .service(webhooks::delete_webhook)
        .service(media::list_media)
        .service(media::get_media_file)
        .service(media::get_media)
        .service(media::list_media_editor)
        .service(media::preview_markdown)
        .service(media::create_media)
        .service(media::get_media_editor)
        .service(media::change_media)
        .service(media::change_media_status)
        .service(media::upload_media_file)
        .service(media::delete_media_file)
        .service(auth::login)
        .service(auth::logout)
        .service(auth::whoami)
        .service(auth::change_password)
        .service(auth::create_token)
        .service(auth::revoke_token)
        .service(staff::check_in)
        .service(staff::walk_in)
        .service(staff::get_queue)
        .service(staff::list_counters)
        .service(reports::branch_report)
        .service(admin::preview_closure)
        .service(admin::close_branch)
        .service(admin::get_branch_settings)
        .service(admin::change_branch_settings)
        .service(admin::list_accounts)
        .service(admin::create_account)
        .service(admin::change_account)
        .service(catalog_edit::list_branches_admin)
        .service(catalog_edit::create_branch)
        .service(catalog_edit::change_branch)
        .service(catalog_edit::list_services_admin)
        .service(catalog_edit::create_service)
        .service(catalog_edit::change_service)
        .service(catalog_edit::list_opening_plans)
        .service(catalog_admin::put_opening_plan)
        .service(catalog_admin::create_counter)
        .service(catalog_admin::change_counter)
        .service(catalog_admin::create_holiday)
        .service(catalog_admin::delete_holiday)
        .service(staff::counter_action)
        .service(staff::entry_action);
}
