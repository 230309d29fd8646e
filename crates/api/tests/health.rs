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

#[actix_rt::test]
async fn with_the_database_gone_requests_get_a_503_within_about_a_second() {
    let app = support::spawn_app().await;
    app.db.drop_now();
    // The pool waits NOBAT_DB_TIMEOUT_SECS (1 s by default) for a connection, then gives up.
    let settings = support::settings_with(
        &app.db,
        std::path::Path::new("/nonexistent"),
        &[("NOBAT_DB_TIMEOUT_SECS", "1")],
    );
    let pool = nobat_api::db::build_pool(&settings.database_url, 4, settings.db_timeout).unwrap();
    let server = nobat_api::startup::Application::build(&settings, pool).unwrap();
    let url = format!("http://127.0.0.1:{}/api/v1/branches", server.port());
    actix_web::rt::spawn(server.run_until_stopped());
    let started = std::time::Instant::now();
    let mut response = app.client.get(url).send().await.unwrap();
    let took = started.elapsed();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        "application/problem+json"
    );
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "urn:nobat:problem:unavailable");
    assert!(
        took < std::time::Duration::from_millis(2500),
        "took {took:?}"
    );
}

#[test]
fn pooled_connections_carry_a_statement_timeout() {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        statement_timeout: String,
    }
    let db = support::TestDb::new();
    let pool = nobat_api::db::build_pool(&db.url, 1, std::time::Duration::from_secs(2)).unwrap();
    let mut conn = pool.get().unwrap();
    let shown: Setting = diesel::sql_query("SHOW statement_timeout")
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(shown.statement_timeout, "10s");
}
