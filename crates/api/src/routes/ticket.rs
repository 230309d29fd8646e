//! The printable ticket: `GET /api/v1/bookings/{reference}/ticket.svg`, for the holder of the
//! manage token (`X-Booking-Token`), like the calendar event.

use crate::db::PgPool;
use crate::error::ApiError;
use crate::routes::bookings::owner_view;
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use nobat_domain::wire::Problem;

/// The booking as a printable ticket (SVG, A6 wide) with a QR code of the reference, in the
/// booking's language.
#[utoipa::path(
    tag = "bookings",
    operation_id = "get_booking_svg",
    params(
        ("reference" = String, Path, description = "The booking reference", example = "AG7-K3Q-9XF"),
        ("X-Booking-Token" = String, Header, description = "The manage token given when the booking was made"),
    ),
    responses(
        (status = 200, description = "An SVG page: QR code of the reference, branch and address, service, local date and time, applicants, fee and the arrival rule", content_type = "image/svg+xml", body = String),
        (status = 404, description = "No booking with this reference and token", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/bookings/{reference}/ticket.svg")]
pub async fn get_booking_svg(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    reference: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let view = owner_view(&request, pool, reference.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"nobat-{}.svg\"", view.reference),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(nobat_domain::ticket::svg(&view)))
}
