//! Every error under `/api` is RFC 9457 problem+json: our own, actix's extractor failures,
//! unknown routes and wrong methods, each stamped with the request id of the logs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use actix_web::{test, web, App, HttpResponse};
use nobat_api::error;
use serde::Deserialize;
use serde_json::Value;
use tracing_actix_web::TracingLogger;

async fn problem<S>(mut response: awc::ClientResponse<S>) -> (u16, Value, String)
where
    S: futures_util::Stream<Item = Result<web::Bytes, awc::error::PayloadError>> + Unpin,
{
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/problem+json", "status {status}");
    let request_id = response
        .headers()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let body: Value = response.json().await.unwrap();
    (status, body, request_id)
}

#[actix_rt::test]
async fn unknown_api_routes_are_problem_404s_with_the_request_id() {
    let app = support::spawn_app().await;
    for path in [
        "/api/v1/no-such-thing",
        "/api/nothing-here",
        "/api/v2/health",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let (status, body, request_id) = problem(response).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["type"], "urn:nobat:problem:not-found", "{path}");
        assert_eq!(body["status"], 404);
        assert!(body["title"].is_string() && body["detail"].is_string());
        assert_eq!(body["request_id"], request_id.as_str(), "{path}");
    }
}

#[actix_rt::test]
async fn a_wrong_method_is_a_problem_405() {
    let app = support::spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/health"))
        .send()
        .await
        .unwrap();
    let allow = response
        .headers()
        .get("allow")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(allow, "GET");
    let (status, body, _) = problem(response).await;
    assert_eq!(status, 405);
    assert_eq!(body["type"], "urn:nobat:problem:method-not-allowed");
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Probe {
    name: String,
    count: u32,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Page {
    page: u32,
}

async fn probe(_: web::Json<Probe>, _: web::Query<Page>) -> HttpResponse {
    HttpResponse::NoContent().finish()
}

/// The extractor configuration and error middleware the server installs, around a probe route
/// that takes a JSON body and a query string.
macro_rules! probe_app {
    () => {
        test::init_service(
            App::new()
                .configure(error::extractor_configs)
                .route("/api/v1/probe", web::post().to(probe))
                .wrap(error::problem_responses())
                .wrap(TracingLogger::default()),
        )
        .await
    };
}

async fn call(body: &'static [u8], content_type: &str, query: &str) -> (u16, Value) {
    let app = probe_app!();
    let request = test::TestRequest::post()
        .uri(&format!("/api/v1/probe?{query}"))
        .insert_header(("content-type", content_type))
        .set_payload(body)
        .to_request();
    let response = test::call_service(&app, request).await;
    let status = response.status().as_u16();
    if status == 204 {
        return (status, Value::Null);
    }
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "application/problem+json"
    );
    let body: Value = test::read_body_json(response).await;
    assert!(body["request_id"].is_string(), "{body}");
    (status, body)
}

#[actix_rt::test]
async fn a_valid_probe_passes() {
    let (status, _) = call(
        r#"{"name":"Aý","count":2}"#.as_bytes(),
        "application/json",
        "page=1",
    )
    .await;
    assert_eq!(status, 204);
}

#[actix_rt::test]
async fn malformed_json_is_a_400_that_says_where() {
    let (status, body) = call(br#"{"name": "x", "count": 2"#, "application/json", "page=1").await;
    assert_eq!(status, 400);
    assert_eq!(body["type"], "urn:nobat:problem:bad-request");
    assert!(
        body["detail"].as_str().unwrap().contains("not valid JSON"),
        "{body}"
    );
}

#[actix_rt::test]
async fn json_of_the_wrong_shape_is_a_422() {
    let (status, body) = call(
        br#"{"name": "x", "count": "two"}"#,
        "application/json",
        "page=1",
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["detail"].as_str().unwrap().contains("invalid type"),
        "{body}"
    );
}

#[actix_rt::test]
async fn a_body_over_the_limit_is_a_413() {
    static BIG: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let big = BIG.get_or_init(|| {
        format!(
            "{{\"name\":\"{}\",\"count\":1}}",
            "a".repeat(error::JSON_LIMIT_BYTES)
        )
        .into_bytes()
    });
    let (status, body) = call(big, "application/json", "page=1").await;
    assert_eq!(status, 413);
    assert_eq!(body["type"], "urn:nobat:problem:payload-too-large");
}

#[actix_rt::test]
async fn a_body_that_is_not_json_is_a_415() {
    let (status, body) = call(b"name=x", "application/x-www-form-urlencoded", "page=1").await;
    assert_eq!(status, 415);
    assert_eq!(body["type"], "urn:nobat:problem:unsupported-media-type");
}

#[actix_rt::test]
async fn a_query_of_the_wrong_type_is_a_400() {
    let (status, body) = call(br#"{"name":"x","count":1}"#, "application/json", "page=abc").await;
    assert_eq!(status, 400);
    assert!(
        body["detail"].as_str().unwrap().contains("query string"),
        "{body}"
    );
}
