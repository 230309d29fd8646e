//! `GET /api/v1/health` against a real PostgreSQL, up and down.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;

#[actix_rt::test]
async fn health_is_ok_when_the_database_answers() {
    let app = support::spawn_app().await;
    let mut response = app
        .client
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers.get("content-type").unwrap(), "application/json");
    assert_eq!(headers.get("cache-control").unwrap(), "no-store");
    assert!(headers.get("x-request-id").is_some());
    assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
    assert!(headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "up");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[actix_rt::test]
async fn health_is_503_in_the_same_shape_when_the_database_is_gone() {
    let app = support::spawn_app().await;
    let ok = app
        .client
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status().as_u16(), 200);

    app.db.drop_now();

    let mut response = app
        .client
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["database"], "down");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}
