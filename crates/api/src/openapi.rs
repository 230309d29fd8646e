//! The OpenAPI 3.1 document, generated from the routes themselves (utoipa + utoipa-actix-web).

use crate::routes::{self, API_BASE};
use actix_web::App;
use nobat_domain::wire::Problem;
use utoipa::OpenApi;
use utoipa_actix_web::{scope, AppExt};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Nobat API",
        description = "Online queue and international-passport applications of the migration \
service: branches, slots, bookings with card payment, the live queue, passport applications and \
multimedia. Every error is `application/problem+json` (RFC 9457) with `type`, `title`, `status`, \
`detail`, field `errors` for validation, and the `request_id` that the server logged.",
        license(name = "MIT"),
    ),
    tags(
        (name = "bookings", description = "Book a visit, look at it and cancel it with the booking's manage token"),
        (name = "catalog", description = "Branches, services, the national calendar and free times: public, no login"),
        (name = "media", description = "The Multimedia section: photo albums, videos and instructions in three languages, their files with byte ranges; editors write and publish them"),
        (name = "passport applications", description = "Apply for an international passport: a draft with its token (`X-Application-Token`), the photo, submission with the state fee, the receipt, and public tracking by number and birth date"),
        (name = "payments", description = "Card payment through the acquirer: the pay link, the return from the card page and the acquirer's signed callback"),
        (name = "staff", description = "Staff login (session cookie or bearer token) and the branch's live queue: check-in, walk-ins, counters, calls; branch administration; passport applications"),
        (name = "system", description = "Health and metadata of the service"),
    ),
    components(schemas(Problem, routes::staff::CounterAction, routes::staff::EntryAction)),
)]
struct ApiDoc;

/// The document without its paths; the routes add theirs when they are registered.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The complete document, as served at `/api/v1/openapi.json` and committed as
/// `openapi/openapi.json`. Built from the same `configure` the server uses, without a server.
pub fn api_doc() -> utoipa::openapi::OpenApi {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .openapi(base())
        .service(scope::scope(API_BASE).configure(routes::configure))
        .split_for_parts();
    let mut doc = doc;
    document_body_errors(&mut doc);
    doc
}

/// Every operation that takes a body can answer 400 (unreadable), 413 (too large) and 415 (not
/// the media type it takes), whatever its own annotations list: documented once, here.
fn document_body_errors(doc: &mut utoipa::openapi::OpenApi) {
    for item in doc.paths.paths.values_mut() {
        // A query string that cannot be read at all (a number that is not one) is a 400.
        for operation in [&mut item.get, &mut item.delete].into_iter().flatten() {
            let has_query = operation
                .parameters
                .iter()
                .flatten()
                .any(|p| matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query));
            if has_query {
                operation
                    .responses
                    .responses
                    .entry("400".to_owned())
                    .or_insert_with(|| problem("A query parameter cannot be read"));
            }
        }
        for operation in [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let Some(body) = &operation.request_body else {
                continue;
            };
            let json = body.content.keys().any(|k| k.contains("json"));
            let media = if json {
                "`application/json`"
            } else {
                "`multipart/form-data`"
            };
            for (code, description) in [
                (
                    "400",
                    if json {
                        "The body is not valid JSON, or nests deeper than 32 levels".to_owned()
                    } else {
                        "The body cannot be read as multipart form data".to_owned()
                    },
                ),
                ("413", "The body is too large".to_owned()),
                (
                    "422",
                    "The body does not have the expected shape, or fields are invalid".to_owned(),
                ),
                ("415", format!("The body is not {media}")),
            ] {
                operation
                    .responses
                    .responses
                    .entry(code.to_owned())
                    .or_insert_with(|| problem(&description));
            }
        }
    }
}

/// The document as pretty JSON with a trailing newline, the exact bytes of the committed file.
pub fn api_doc_json() -> String {
    let mut json = api_doc()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    json.push('\n');
    json
}

/// A response documented as a problem document.
fn problem(description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}
