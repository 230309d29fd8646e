//! The SPA, Swagger UI and the OpenAPI document on the API's port: fallback routing, caching,
//! compression and the Content-Security-Policy that admits the boot script by hash.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;

const INDEX: &str = r#"<!DOCTYPE html><html><head>
<link rel="modulepreload" href="/app-0123456789abcdef.js">
<script type="module">import init from '/app-0123456789abcdef.js';init('/app-0123456789abcdef_bg.wasm');</script>
</head><body></body></html>"#;

fn built_spa() -> support::TempDir {
    let dir = support::TempDir::new();
    std::fs::write(dir.0.join("index.html"), INDEX).unwrap();
    std::fs::write(
        dir.0.join("app-0123456789abcdef.js"),
        "export default function(){}\n".repeat(200),
    )
    .unwrap();
    std::fs::write(
        dir.0.join("app-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .unwrap();
    std::fs::write(dir.0.join("favicon.svg"), "<svg/>").unwrap();
    dir
}

#[actix_rt::test]
async fn index_and_client_routes_serve_the_app_uncached() {
    let dist = built_spa();
    let app = support::spawn_app_with_static(&dist.0).await;
    for path in ["/", "/book", "/staff/queue/3", "/no/such/page"] {
        let mut response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(
            response.headers().get("cache-control").unwrap(),
            "no-cache",
            "{path}"
        );
        let body = response.body().await.unwrap();
        assert_eq!(std::str::from_utf8(&body).unwrap(), INDEX, "{path}");
    }
}

#[actix_rt::test]
async fn the_csp_admits_exactly_the_inline_boot_script() {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let dist = built_spa();
    let app = support::spawn_app_with_static(&dist.0).await;
    let response = app.client.get(app.url("/")).send().await.unwrap();
    let csp = response
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    let script =
        "import init from '/app-0123456789abcdef.js';init('/app-0123456789abcdef_bg.wasm');";
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    assert_eq!(response.headers().get("x-frame-options").unwrap(), "DENY");
    assert_eq!(
        response.headers().get("referrer-policy").unwrap(),
        "no-referrer"
    );
}

#[actix_rt::test]
async fn hashed_assets_are_cached_for_a_year_and_compressed() {
    let dist = built_spa();
    let app = support::spawn_app_with_static(&dist.0).await;
    let wasm = app
        .client
        .get(app.url("/app-0123456789abcdef_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.status().as_u16(), 200);
    assert_eq!(
        wasm.headers().get("content-type").unwrap(),
        "application/wasm"
    );
    assert_eq!(
        wasm.headers().get("cache-control").unwrap(),
        "public, max-age=31536000, immutable"
    );
    let js = app
        .client
        .get(app.url("/app-0123456789abcdef.js"))
        .insert_header(("accept-encoding", "gzip"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.headers().get("content-encoding").unwrap(), "gzip");
    let icon = app
        .client
        .get(app.url("/favicon.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        icon.headers().get("cache-control").unwrap(),
        "public, max-age=3600"
    );
}

#[actix_rt::test]
async fn swagger_ui_and_the_openapi_document_are_served() {
    let app = support::spawn_app().await;
    let mut ui = app
        .client
        .get(app.url("/swagger-ui/"))
        .send()
        .await
        .unwrap();
    assert_eq!(ui.status().as_u16(), 200);
    let html = ui.body().await.unwrap();
    assert!(std::str::from_utf8(&html).unwrap().contains("swagger-ui"));
    let no_follow = awc::Client::builder().disable_redirects().finish();
    let redirect = no_follow.get(app.url("/swagger-ui")).send().await.unwrap();
    assert!(redirect.status().is_redirection());
    assert_eq!(redirect.headers().get("location").unwrap(), "/swagger-ui/");
    let mut doc = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(doc.status().as_u16(), 200);
    let doc: Value = doc.json().limit(4 * 1024 * 1024).await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["paths"]["/api/v1/health"]["get"].is_object());
}

#[actix_rt::test]
async fn without_a_built_spa_the_api_still_works_and_pages_say_why() {
    let app = support::spawn_app().await;
    let mut page = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 503);
    let text = page.body().await.unwrap();
    assert!(std::str::from_utf8(&text).unwrap().contains("trunk build"));
    let health = app
        .client
        .get(app.url("/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
}
