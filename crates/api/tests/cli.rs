//! The `nobat` binary as an operator runs it: configuration errors, migrate, seed-demo twice,
//! serve, and a graceful stop on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn nobat() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nobat"));
    command
        .env_remove("DATABASE_URL")
        .env("NOBAT_LOG_FORMAT", "human")
        .env("NOBAT_LOG", "info")
        .env(
            "NOBAT_DATA_DIR",
            std::env::temp_dir().join("nobat-test-files"),
        );
    command
}

#[test]
fn help_names_every_subcommand_and_variable() {
    let output = nobat().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for word in [
        "serve",
        "migrate",
        "seed-demo",
        "openapi",
        "DATABASE_URL",
        "NOBAT_BIND",
    ] {
        assert!(help.contains(word), "--help lacks {word}:\n{help}");
    }
}

#[test]
fn bad_configuration_exits_with_every_problem_named() {
    let output = nobat()
        .arg("serve")
        .env("NOBAT_BIND", "everywhere")
        .env("NOBAT_LOG_FORMAT", "xml")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("DATABASE_URL is not set"), "{stderr}");
    assert!(stderr.contains("NOBAT_BIND"), "{stderr}");
    assert!(stderr.contains("NOBAT_LOG_FORMAT"), "{stderr}");
}

#[test]
fn an_unreachable_database_is_a_clear_failure_without_the_password() {
    let output = nobat()
        .arg("migrate")
        .env("DATABASE_URL", "postgres://nobat:hunter2@127.0.0.1:1/nobat")
        .env("NOBAT_DB_TIMEOUT_SECS", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("cannot connect to the database"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn migrate_and_seed_demo_are_idempotent() {
    let database = support::TestDb::empty();
    for command in ["migrate", "migrate", "seed-demo", "seed-demo"] {
        let output = nobat()
            .arg(command)
            .env("DATABASE_URL", &database.url)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{command}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn openapi_prints_the_document() {
    let output = nobat().arg("openapi").output().unwrap();
    assert!(output.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(doc["paths"]["/api/v1/health"].is_object());
}

#[test]
fn serve_answers_and_stops_gracefully_on_sigterm() {
    let database = support::TestDb::new();
    let mut child = nobat()
        .arg("serve")
        .env("DATABASE_URL", &database.url)
        .env("NOBAT_BIND", "127.0.0.1:0")
        .env("NOBAT_WORKERS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("serve exited before listening")
            .unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches('/')
                .to_owned();
        }
    };
    // Keep draining the logs so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});

    let (status, body) = http_get(&address, "/api/v1/health");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"database\":\"up\""), "{body}");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "serve did not stop within 20 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "serve exited with {status}");
}

/// A minimal HTTP/1.1 GET over a plain socket, so this test needs no async runtime.
fn http_get(address: &str, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let host = address.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    (status, body)
}

#[test]
fn production_refuses_the_sandbox_and_demo_passwords() {
    let db = support::TestDb::new();
    let output = nobat()
        .arg("serve")
        .env("DATABASE_URL", &db.url)
        .env("NOBAT_PRODUCTION", "on")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("sandbox acquirer"), "{stderr}");

    nobat_api::seed::seed_demo(&mut db.connect()).unwrap();
    let output = nobat()
        .arg("serve")
        .env("DATABASE_URL", &db.url)
        .env("NOBAT_BIND", "127.0.0.1:0")
        .env("NOBAT_PRODUCTION", "on")
        .env("NOBAT_ACQUIRER_URL", "https://bank.example.tm/payment/rest")
        .env("NOBAT_ACQUIRER_USER", "merchant")
        .env("NOBAT_ACQUIRER_PASSWORD", "secret")
        .env("NOBAT_ACQUIRER_CALLBACK_KEY", "key")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("demo passwords"), "{stderr}");
    assert!(stderr.contains("operator.mary"), "{stderr}");
}
