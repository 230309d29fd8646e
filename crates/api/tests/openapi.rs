//! The committed `openapi/openapi.json` is exactly what the code generates, and every operation
//! is documented well enough for an integrator.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;

const REGENERATE: &str = "cargo run -q -p nobat-api --bin nobat -- openapi > openapi/openapi.json";

#[test]
fn committed_spec_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let generated = nobat_api::openapi::api_doc_json();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date with the code; regenerate it with:\n    {REGENERATE}"
    );
}

#[test]
fn every_operation_has_an_id_a_tag_a_summary_and_an_error_response() {
    let doc: Value = serde_json::from_str(&nobat_api::openapi::api_doc_json()).unwrap();
    assert_eq!(doc["openapi"].as_str().map(|v| &v[..3]), Some("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    assert!(!paths.is_empty());
    for (path, item) in paths {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (method, operation) in item.as_object().unwrap() {
            let name = format!("{method} {path}");
            assert!(operation["operationId"].is_string(), "{name}: operationId");
            assert!(
                operation["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{name}: tags"
            );
            assert!(operation["summary"].is_string(), "{name}: summary");
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                responses
                    .keys()
                    .any(|code| code.starts_with('4') || code.starts_with('5')),
                "{name}: documents no error response"
            );
        }
    }
}
