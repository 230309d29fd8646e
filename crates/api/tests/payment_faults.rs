//! Payment faults (issue #9): an acquirer that answers 500 or too slowly, and the same signed
//! callback sent three times at once. The pay link must answer within the acquirer timeout and
//! send the citizen back to the booking ("unavailable") with the hold intact and the order free
//! to be registered again; three concurrent callbacks must make one confirmation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use diesel::prelude::*;
use nobat_api::db::schema::{booking_events, outbox, payments, sandbox_orders};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::card::{location, no_redirects, open_card_page, pay_on_card_page, GOOD_CARD};
use support::TestApp;

const FAILS: u8 = 0;
const SLOW: u8 = 1;
const WORKS: u8 = 2;

/// A stand-in for the bank's REST API on 127.0.0.1: answers `register.do` with a 500, after 3 s,
/// or with a good order, as `mode` says; counts the calls.
fn fake_acquirer(mode: Arc<AtomicU8>, calls: Arc<AtomicUsize>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (mode, calls) = (mode.clone(), calls.clone());
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                let mut length = 0usize;
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    line.clear();
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                calls.fetch_add(1, Ordering::SeqCst);
                let (status, answer) = match mode.load(Ordering::SeqCst) {
                    FAILS => ("500 Internal Server Error", "oops".to_owned()),
                    SLOW => {
                        std::thread::sleep(Duration::from_secs(3));
                        (
                            "200 OK",
                            json!({"orderId": "late", "formUrl": "http://x/late"}).to_string(),
                        )
                    }
                    _ => (
                        "200 OK",
                        json!({"orderId": "ord-1", "formUrl": "https://bank.example.tm/pay/ord-1"})
                            .to_string(),
                    ),
                };
                let mut stream = reader.into_inner();
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                );
            });
        }
    });
    address
}

async fn hold(app: &TestApp, passport: &str) -> Value {
    let mut response = app
        .client
        .get(app.url("/api/v1/branches/mary/availability?service=passport-international"))
        .send()
        .await
        .unwrap();
    let days: Value = response.json().limit(4 << 20).await.unwrap();
    let start = days["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["slots"].as_array().cloned().unwrap_or_default())
        .find(|s| s["remaining"].as_u64().unwrap_or(0) > 0)
        .expect("a free slot")["start"]
        .clone();
    let mut response = app
        .client
        .post(app.url("/api/v1/bookings"))
        .send_json(&json!({"branch": "mary", "service": "passport-international", "start": start,
            "language": "en",
            "applicant": {"surname": "Amanow", "given_name": "Merdan", "date_of_birth": "1990-05-17",
                "phone": "+993 65 123456", "email": "merdan@example.tm",
                "passport": {"number": passport, "issued_on": "2020-03-01", "issued_by": "Mary",
                             "expires_on": "2035-03-01"}}}))
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(response.status().as_u16(), 201, "{body}");
    body
}

#[actix_rt::test]
async fn an_acquirer_that_fails_or_hangs_sends_the_citizen_back_and_can_be_tried_again() {
    let mode = Arc::new(AtomicU8::new(FAILS));
    let calls = Arc::new(AtomicUsize::new(0));
    let acquirer = fake_acquirer(mode.clone(), calls.clone());
    let app = support::spawn_app_with(&[
        ("NOBAT_ACQUIRER_URL", &acquirer),
        ("NOBAT_ACQUIRER_USER", "merchant"),
        ("NOBAT_ACQUIRER_PASSWORD", "secret"),
        ("NOBAT_ACQUIRER_CALLBACK_KEY", "key"),
        ("NOBAT_ACQUIRER_TIMEOUT_SECS", "1"),
    ])
    .await;
    nobat_api::seed::seed_demo(&mut app.db.connect()).unwrap();
    let created = hold(&app, "F1234567").await;
    let reference = created["reference"].as_str().unwrap();
    let pay_url = created["payment"]["pay_url"].as_str().unwrap();
    let expected = format!("/my-booking/{reference}?payment=unavailable");

    for (fault, most) in [
        (FAILS, Duration::from_secs(2)),
        (SLOW, Duration::from_millis(2500)),
    ] {
        mode.store(fault, Ordering::SeqCst);
        let before = calls.load(Ordering::SeqCst);
        let started = Instant::now();
        let response = no_redirects().get(pay_url).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 303);
        assert!(
            location(&response).ends_with(&expected),
            "{}",
            location(&response)
        );
        assert!(started.elapsed() < most, "took {:?}", started.elapsed());
        assert_eq!(calls.load(Ordering::SeqCst), before + 1);
        // The order is free to be registered again and the seat is still held.
        let (order, status): (Option<String>, String) = payments::table
            .select((payments::acquirer_order_id, payments::status))
            .first(&mut app.db.connect())
            .unwrap();
        assert_eq!((order, status.as_str()), (None, "new"));
    }
    mode.store(WORKS, Ordering::SeqCst);
    let response = no_redirects().get(pay_url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "https://bank.example.tm/pay/ord-1");
    let held: String = nobat_api::db::schema::bookings::table
        .select(nobat_api::db::schema::bookings::status)
        .first(&mut app.db.connect())
        .unwrap();
    assert_eq!(held, "held");
}

#[actix_rt::test]
async fn the_same_callback_three_times_at_once_confirms_once() {
    let app = support::spawn_app_with(&[("NOBAT_SANDBOX_CALLBACKS", "off")]).await;
    nobat_api::seed::seed_demo(&mut app.db.connect()).unwrap();
    let created = hold(&app, "G1234567").await;
    let pay_url = created["payment"]["pay_url"].as_str().unwrap();
    pay_on_card_page(&open_card_page(pay_url).await, GOOD_CARD, &["000000"])
        .await
        .unwrap();
    let (order_id, order_number): (String, String) = sandbox_orders::table
        .select((sandbox_orders::order_id, sandbox_orders::order_number))
        .first(&mut app.db.connect())
        .unwrap();
    let mut params: BTreeMap<String, String> = [
        ("mdOrder", order_id.as_str()),
        ("orderNumber", order_number.as_str()),
        ("operation", "deposited"),
        ("status", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    params.insert(
        "checksum".into(),
        nobat_api::payments::sign(nobat_api::payments::SANDBOX_CALLBACK_KEY, &params),
    );
    let send = || {
        let url = app.url("/api/v1/payments/callback");
        let params = params.clone();
        async move {
            awc::Client::default()
                .get(url)
                .query(&params)
                .unwrap()
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let statuses = futures_util::future::join_all([send(), send(), send()]).await;
    assert_eq!(statuses, [200, 200, 200]);
    let mut conn = app.db.connect();
    let confirmations: i64 = booking_events::table
        .filter(booking_events::to_status.eq("confirmed"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(confirmations, 1);
    let paid: i64 = payments::table
        .filter(payments::status.eq("paid"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(paid, 1);
    // One confirmation: one SMS and one email.
    let messages: i64 = outbox::table
        .filter(outbox::template.eq("booking_confirmed"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(messages, 2);
}
