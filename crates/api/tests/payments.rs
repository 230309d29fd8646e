//! Paying for a booking by card, through the real acquirer protocol against the built-in sandbox
//! acquirer on the same server: the card page, the one-time code, the callback, the return, the
//! reconciler, payments after a hold lapsed, refunds, and recovering access to a booking.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use diesel::prelude::*;
use nobat_api::db::schema::{bookings, outbox, payment_events, payments, sandbox_orders};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use support::card::{come_back, location, no_redirects, open_card_page, pay_on_card_page};
use support::TestApp;

use support::card::GOOD_CARD;
const DECLINED_CARD: &str = "4000 0000 0000 0002";
const POOR_CARD: &str = "4000 0000 0000 9995";

async fn seeded(extra: &[(&str, &str)]) -> TestApp {
    let app = support::spawn_app_with(extra).await;
    nobat_api::seed::seed_demo(&mut app.db.connect()).unwrap();
    app
}

fn applicant(passport: &str) -> Value {
    json!({
        "surname": "Amanow", "given_name": "Merdan", "date_of_birth": "1990-05-17",
        "phone": "+993 65 123456", "email": "merdan@example.tm",
        "passport": {"number": passport, "issued_on": "2020-03-01", "issued_by": "Aşgabat", "expires_on": "2035-03-01"}
    })
}

/// An open slot of the international passport service at Mary: start and remaining seats.
async fn slot(app: &TestApp, nth: usize) -> (String, u64) {
    let mut response = app
        .client
        .get(app.url("/api/v1/branches/mary/availability?service=passport-international"))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().limit(4 << 20).await.unwrap();
    let slot = body["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "open")
        .flat_map(|d| d["slots"].as_array().unwrap().clone())
        .filter(|s| s["remaining"].as_u64().unwrap() > 0)
        // A day ahead at least: a booking for later today could be past the time it may
        // still be cancelled (which made these tests depend on the hour they ran at).
        .filter(|s| {
            chrono::DateTime::parse_from_rfc3339(s["start"].as_str().unwrap()).unwrap()
                > chrono::Utc::now() + chrono::Duration::days(1)
        })
        .nth(nth)
        .expect("an open slot");
    (
        slot["start"].as_str().unwrap().to_owned(),
        slot["remaining"].as_u64().unwrap(),
    )
}

/// Holds seats for `passports` at `start`; the answer.
async fn hold(app: &TestApp, start: &str, passports: &[&str]) -> Value {
    let applicants: Vec<Value> = passports.iter().map(|p| applicant(p)).collect();
    let mut response = app
        .client
        .post(app.url("/api/v1/bookings"))
        .send_json(
            &json!({"branch": "mary", "service": "passport-international",
                           "start": start, "language": "en", "applicants": applicants}),
        )
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(response.status().as_u16(), 201, "{body}");
    body
}

async fn view(app: &TestApp, reference: &str, token: &str) -> Value {
    let mut response = app
        .client
        .get(app.url(&format!("/api/v1/bookings/{reference}")))
        .insert_header(("x-booking-token", token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.unwrap()
}

fn ids(created: &Value) -> (String, String, String) {
    (
        created["reference"].as_str().unwrap().to_owned(),
        created["manage_token"].as_str().unwrap().to_owned(),
        created["payment"]["pay_url"].as_str().unwrap().to_owned(),
    )
}

fn count_outbox(app: &TestApp, template: &str) -> i64 {
    outbox::table
        .filter(outbox::template.eq(template))
        .count()
        .get_result(&mut app.db.connect())
        .unwrap()
}

#[actix_rt::test]
async fn paying_with_the_test_card_and_code_confirms_the_booking() {
    let app = seeded(&[]).await;
    let (start, _) = slot(&app, 0).await;
    let created = hold(&app, &start, &["A1234567"]).await;
    assert_eq!(created["status"], "held");
    assert_eq!(created["fee"]["amount_minor"], 6000);
    let (reference, token, pay_url) = ids(&created);
    assert!(pay_url.starts_with(&app.address), "{pay_url}");
    assert_eq!(created["booking"]["payment"]["status"], "new");

    let form = open_card_page(&pay_url).await;
    let mut page = no_redirects().get(&form).send().await.unwrap();
    let html = String::from_utf8(page.body().await.unwrap().to_vec()).unwrap();
    assert!(html.contains("60,00 TMT"), "the card page shows the amount");
    assert!(html.contains("id=\"pan\""));
    // Opening the pay link again goes to the same order, not a second one.
    assert_eq!(open_card_page(&pay_url).await, form);

    let back = pay_on_card_page(&form, GOOD_CARD, &["000000"])
        .await
        .unwrap();
    let page = come_back(&back).await;
    assert!(
        page.ends_with(&format!("/my-booking/{reference}?payment=paid")),
        "{page}"
    );
    let booking = view(&app, &reference, &token).await;
    assert_eq!(booking["status"], "confirmed");
    assert!(booking["hold_expires_at"].is_null());
    assert_eq!(booking["payment"]["status"], "paid");
    assert_eq!(booking["payment"]["card"], "411111******1111");

    // The callback came before the return; both were stored; the outcome applied once.
    let sources: Vec<(String, String)> = payment_events::table
        .order(payment_events::id)
        .select((payment_events::source, payment_events::status_after))
        .load(&mut app.db.connect())
        .unwrap();
    let first_paid = sources.iter().position(|(_, s)| s == "paid").unwrap();
    assert_eq!(sources[first_paid].0, "callback", "{sources:?}");
    assert!(sources.iter().any(|(s, _)| s == "return"), "{sources:?}");
    assert_eq!(
        count_outbox(&app, "booking_confirmed"),
        2,
        "sms + email, once"
    );
    let (order_status, amount): (i16, i64) = sandbox_orders::table
        .select((sandbox_orders::order_status, sandbox_orders::amount_minor))
        .first(&mut app.db.connect())
        .unwrap();
    assert_eq!((order_status, amount), (2, 6000));

    // A paid booking needs no new payment.
    let refused = app
        .client
        .post(app.url(&format!("/api/v1/bookings/{reference}/payment")))
        .insert_header(("x-booking-token", token.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 409);
    // The pay link of a settled payment leads to the booking's page.
    let response = no_redirects().get(&pay_url).send().await.unwrap();
    assert!(location(&response).ends_with("?payment=paid"));
}

#[actix_rt::test]
async fn declines_keep_the_hold_and_a_new_attempt_can_pay() {
    let app = seeded(&[]).await;
    let (start, _) = slot(&app, 0).await;
    let created = hold(&app, &start, &["A1234567"]).await;
    let (reference, token, pay_url) = ids(&created);

    let back = pay_on_card_page(&open_card_page(&pay_url).await, DECLINED_CARD, &[])
        .await
        .unwrap();
    assert!(come_back(&back).await.ends_with("?payment=declined"));
    let booking = view(&app, &reference, &token).await;
    assert_eq!(
        booking["status"], "held",
        "the seat stays held for another try"
    );
    assert_eq!(booking["payment"]["status"], "declined");

    // Insufficient funds on a second attempt; the acquirer's action code is kept.
    let mut again = app
        .client
        .post(app.url(&format!("/api/v1/bookings/{reference}/payment")))
        .insert_header(("x-booking-token", token.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 201);
    let link: Value = again.json().await.unwrap();
    let second = link["pay_url"].as_str().unwrap().to_owned();
    assert_ne!(second, pay_url);
    let back = pay_on_card_page(&open_card_page(&second).await, POOR_CARD, &[])
        .await
        .unwrap();
    assert!(come_back(&back).await.ends_with("?payment=declined"));
    let codes: Vec<Option<i32>> = payment_events::table
        .filter(payment_events::status_after.eq("declined"))
        .select(payment_events::action_code)
        .load(&mut app.db.connect())
        .unwrap();
    assert!(codes.contains(&Some(116)), "{codes:?}");
    assert!(codes.contains(&Some(5)), "{codes:?}");

    // Three wrong codes fail a third attempt; two wrong and a right one pay the fourth.
    let attempt = |n: usize| {
        let app = &app;
        let token = token.clone();
        let reference = reference.clone();
        async move {
            let mut response = app
                .client
                .post(app.url(&format!("/api/v1/bookings/{reference}/payment")))
                .insert_header(("x-booking-token", token.as_str()))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 201, "attempt {n}");
            let link: Value = response.json().await.unwrap();
            link["pay_url"].as_str().unwrap().to_owned()
        }
    };
    let third = attempt(3).await;
    let back = pay_on_card_page(
        &open_card_page(&third).await,
        GOOD_CARD,
        &["111111", "222222", "333333"],
    )
    .await
    .unwrap();
    assert!(come_back(&back).await.ends_with("?payment=declined"));
    let fourth = attempt(4).await;
    let back = pay_on_card_page(
        &open_card_page(&fourth).await,
        GOOD_CARD,
        &["111111", "222222", "000000"],
    )
    .await
    .unwrap();
    assert!(come_back(&back).await.ends_with("?payment=paid"));
    assert_eq!(view(&app, &reference, &token).await["status"], "confirmed");
}

#[actix_rt::test]
async fn callbacks_are_verified_and_idempotent() {
    let app = seeded(&[]).await;
    let (start, _) = slot(&app, 0).await;
    let created = hold(&app, &start, &["A1234567"]).await;
    let (reference, token, pay_url) = ids(&created);
    let back = pay_on_card_page(&open_card_page(&pay_url).await, GOOD_CARD, &["000000"])
        .await
        .unwrap();
    let (order_id, order_number): (String, String) = sandbox_orders::table
        .select((sandbox_orders::order_id, sandbox_orders::order_number))
        .first(&mut app.db.connect())
        .unwrap();
    assert_eq!(order_number, format!("{reference}-1"));
    let mut params: BTreeMap<String, String> = [
        ("mdOrder", order_id.as_str()),
        ("orderNumber", order_number.as_str()),
        ("operation", "deposited"),
        ("status", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let send = |params: BTreeMap<String, String>| {
        let url = app.url("/api/v1/payments/callback");
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
    // Unsigned and wrongly signed callbacks are refused.
    assert_eq!(send(params.clone()).await, 403);
    let mut forged = params.clone();
    forged.insert(
        "checksum".into(),
        nobat_api::payments::sign("guess", &params),
    );
    assert_eq!(send(forged).await, 403);
    // The same signed callback twice (the sandbox already sent it once): nothing changes.
    params.insert(
        "checksum".into(),
        nobat_api::payments::sign(nobat_api::payments::SANDBOX_CALLBACK_KEY, &params),
    );
    assert_eq!(send(params.clone()).await, 200);
    assert_eq!(send(params.clone()).await, 200);
    assert!(come_back(&back).await.ends_with("?payment=paid"));
    assert_eq!(count_outbox(&app, "booking_confirmed"), 2);
    let confirmations: i64 = nobat_api::db::schema::booking_events::table
        .filter(nobat_api::db::schema::booking_events::to_status.eq("confirmed"))
        .count()
        .get_result(&mut app.db.connect())
        .unwrap();
    assert_eq!(confirmations, 1);
    assert_eq!(view(&app, &reference, &token).await["status"], "confirmed");
    // A callback for an order nobody has is a 404.
    let mut unknown: BTreeMap<String, String> = [
        ("mdOrder", "nope"),
        ("orderNumber", "X"),
        ("operation", "deposited"),
        ("status", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    unknown.insert(
        "checksum".into(),
        nobat_api::payments::sign(nobat_api::payments::SANDBOX_CALLBACK_KEY, &unknown),
    );
    assert_eq!(send(unknown).await, 404);
}

fn payments_of(app: &TestApp) -> nobat_api::payments::Payments {
    let settings = support::settings_with(
        &app.db,
        std::path::Path::new("/nonexistent"),
        &[("NOBAT_SANDBOX_CALLBACKS", "off")],
    );
    let port: u16 = app.address.rsplit(':').next().unwrap().parse().unwrap();
    nobat_api::payments::Payments::new(&settings.payments, ([127, 0, 0, 1], port).into())
}

fn pool_of(app: &TestApp) -> nobat_api::db::PgPool {
    nobat_api::db::build_pool(&app.db.url, 2, std::time::Duration::from_secs(5)).unwrap()
}

async fn reconcile(app: &TestApp) -> nobat_api::payments::flow::Reconciled {
    // The citizen left a while ago: make the payments old enough for the reconciler.
    diesel::update(payments::table)
        .set(payments::created_at.eq(chrono::Utc::now() - chrono::Duration::minutes(5)))
        .execute(&mut app.db.connect())
        .unwrap();
    diesel::update(payments::table)
        .set(payments::checked_at.eq(None::<chrono::DateTime<chrono::Utc>>))
        .execute(&mut app.db.connect())
        .unwrap();
    let (pool, payments) = (pool_of(app), payments_of(app));
    actix_web::web::block(move || {
        nobat_api::payments::flow::reconcile_once(&pool, &payments, chrono::Duration::minutes(1))
    })
    .await
    .unwrap()
    .unwrap()
}

#[actix_rt::test]
async fn without_callback_or_return_the_reconciler_settles_the_payment() {
    let app = seeded(&[("NOBAT_SANDBOX_CALLBACKS", "off")]).await;
    let (start, _) = slot(&app, 0).await;
    let created = hold(&app, &start, &["A1234567"]).await;
    let (reference, token, pay_url) = ids(&created);
    // Paid on the card page, then the browser closed: no return, and no callback either.
    pay_on_card_page(&open_card_page(&pay_url).await, GOOD_CARD, &["000000"])
        .await
        .unwrap();
    assert_eq!(view(&app, &reference, &token).await["status"], "held");
    let done = reconcile(&app).await;
    assert_eq!((done.checked, done.paid), (1, 1), "{done:?}");
    let booking = view(&app, &reference, &token).await;
    assert_eq!(booking["status"], "confirmed");
    assert_eq!(booking["payment"]["status"], "paid");
    // A second sweep finds nothing to do.
    assert_eq!(reconcile(&app).await.paid, 0);
}

fn lapse_holds(app: &TestApp) {
    let mut conn = app.db.connect();
    diesel::update(bookings::table.filter(bookings::status.eq("held")))
        .set(bookings::hold_expires_at.eq(Some(chrono::Utc::now() - chrono::Duration::seconds(1))))
        .execute(&mut conn)
        .unwrap();
    nobat_api::db::bookings::expire_lapsed_holds(&mut conn, None, None).unwrap();
}

#[actix_rt::test]
async fn money_after_the_hold_lapsed_retakes_a_free_seat() {
    let app = seeded(&[]).await;
    let (start, _) = slot(&app, 0).await;
    let created = hold(&app, &start, &["A1234567"]).await;
    let (reference, token, pay_url) = ids(&created);
    let form = open_card_page(&pay_url).await;
    lapse_holds(&app);
    assert_eq!(view(&app, &reference, &token).await["status"], "expired");
    let back = pay_on_card_page(&form, GOOD_CARD, &["000000"])
        .await
        .unwrap();
    assert!(come_back(&back).await.ends_with("?payment=paid"));
    let booking = view(&app, &reference, &token).await;
    assert_eq!(booking["status"], "confirmed", "{booking}");
    // The seat is counted again and the passport blocks a second booking.
    let mut response = app
        .client
        .post(app.url("/api/v1/bookings"))
        .send_json(
            &json!({"branch": "mary", "service": "passport-international",
                           "start": slot(&app, 3).await.0, "language": "en",
                           "applicant": applicant("A1234567")}),
        )
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["type"], "urn:nobat:problem:already-booked", "{body}");
}

#[actix_rt::test]
async fn money_after_the_hold_lapsed_for_a_taken_seat_is_refunded() {
    let app = seeded(&[]).await;
    let (start, remaining) = slot(&app, 0).await;
    let created = hold(&app, &start, &["A1234567"]).await;
    let (reference, token, pay_url) = ids(&created);
    let form = open_card_page(&pay_url).await;
    lapse_holds(&app);
    // Others take every seat of the slot meanwhile.
    let others: Vec<String> = (0..remaining).map(|i| format!("B{:07}", i + 1)).collect();
    for group in others.chunks(5) {
        let group: Vec<&str> = group.iter().map(String::as_str).collect();
        hold(&app, &start, &group).await;
    }
    let back = pay_on_card_page(&form, GOOD_CARD, &["000000"])
        .await
        .unwrap();
    assert!(come_back(&back).await.ends_with("?payment=refunded"));
    let booking = view(&app, &reference, &token).await;
    assert_eq!(booking["status"], "expired");
    assert_eq!(booking["payment"]["status"], "refunded");
    let (status, refunded): (i16, i64) = sandbox_orders::table
        .filter(sandbox_orders::order_number.eq(format!("{reference}-1")))
        .select((sandbox_orders::order_status, sandbox_orders::refunded_minor))
        .first(&mut app.db.connect())
        .unwrap();
    assert_eq!(
        (status, refunded),
        (4, 6000),
        "the acquirer refunded it all"
    );
    assert_eq!(count_outbox(&app, "payment_refunded"), 2);
    // The slot is exactly full, never over.
    let (taken, capacity): (i32, i32) = nobat_api::db::schema::slots::table
        .select((
            nobat_api::db::schema::slots::taken,
            nobat_api::db::schema::slots::capacity,
        ))
        .first(&mut app.db.connect())
        .unwrap();
    assert_eq!(taken, capacity);
}

#[actix_rt::test]
async fn cancelling_a_paid_booking_refunds_the_card() {
    let app = seeded(&[]).await;
    let (start, _) = slot(&app, 0).await;
    let created = hold(&app, &start, &["A1234567", "A7654321"]).await;
    assert_eq!(created["fee"]["amount_minor"], 12000);
    let (reference, token, pay_url) = ids(&created);
    let back = pay_on_card_page(&open_card_page(&pay_url).await, GOOD_CARD, &["000000"])
        .await
        .unwrap();
    come_back(&back).await;
    let mut response = app
        .client
        .post(app.url(&format!("/api/v1/bookings/{reference}/cancel")))
        .insert_header(("x-booking-token", token.as_str()))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{body}");
    assert_eq!(body["status"], "cancelled");
    assert_eq!(body["payment"]["status"], "refunded");
    let refunded: i64 = sandbox_orders::table
        .select(sandbox_orders::refunded_minor)
        .first(&mut app.db.connect())
        .unwrap();
    assert_eq!(refunded, 12000);
    // The refund is made once even if the reconciler runs afterwards.
    assert_eq!(reconcile(&app).await.refunded, 0);
}

#[actix_rt::test]
async fn a_pay_link_after_the_hold_lapsed_says_so() {
    let app = seeded(&[]).await;
    let (start, _) = slot(&app, 0).await;
    let created = hold(&app, &start, &["A1234567"]).await;
    let (reference, _, pay_url) = ids(&created);
    lapse_holds(&app);
    let response = no_redirects().get(&pay_url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert!(location(&response).ends_with(&format!("/my-booking/{reference}?payment=expired")));
    let missing = no_redirects()
        .get(app.url("/api/v1/payments/nosuchpaymentid12345/pay"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
}

#[actix_rt::test]
async fn access_is_recovered_with_passport_and_birth_date_and_limited() {
    let app = seeded(&[]).await;
    let (start, _) = slot(&app, 0).await;
    let created = hold(&app, &start, &["A1234567", "A7654321"]).await;
    let (reference, old_token, _) = ids(&created);
    let recover = |body: Value| {
        let url = app.url("/api/v1/bookings/recover");
        async move {
            let mut response = awc::Client::default()
                .post(url)
                .send_json(&body)
                .await
                .unwrap();
            let status = response.status().as_u16();
            let retry = response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned());
            (status, response.json::<Value>().await.unwrap(), retry)
        }
    };
    // The second person's passport works too; the new token opens it and the old one no longer.
    let (status, body, _) = recover(json!({"reference": reference.to_lowercase(),
        "passport_number": "a7654321", "date_of_birth": "1990-05-17"}))
    .await;
    assert_eq!(status, 200, "{body}");
    let token = body["manage_token"].as_str().unwrap();
    assert_eq!(view(&app, &reference, token).await["reference"], reference);
    let old = app
        .client
        .get(app.url(&format!("/api/v1/bookings/{reference}")))
        .insert_header(("x-booking-token", old_token.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status().as_u16(), 404);
    // A wrong birth date, a wrong passport and an unknown reference all look the same.
    let wrong_date = recover(json!({"reference": reference, "passport_number": "A1234567", "date_of_birth": "1990-05-18"})).await;
    let wrong_passport = recover(json!({"reference": reference, "passport_number": "A1111111", "date_of_birth": "1990-05-17"})).await;
    assert_eq!((wrong_date.0, wrong_passport.0), (404, 404));
    assert_eq!(wrong_date.1["detail"], wrong_passport.1["detail"]);
    let invalid =
        recover(json!({"reference": "nope", "passport_number": "", "date_of_birth": "17.05.1990"}))
            .await;
    assert_eq!(invalid.0, 422);
    assert_eq!(
        invalid.1["errors"].as_object().unwrap().len(),
        3,
        "{}",
        invalid.1
    );
    // Five attempts per reference per window: the sixth is refused with Retry-After.
    let (status, _, _) = recover(json!({"reference": reference, "passport_number": "A1234567", "date_of_birth": "1990-05-17"})).await;
    assert_eq!(status, 200, "the fourth attempt");
    let (status, _, _) = recover(json!({"reference": reference, "passport_number": "A1234567", "date_of_birth": "2000-01-01"})).await;
    assert_eq!(status, 404, "the fifth attempt");
    let (status, body, retry) = recover(json!({"reference": reference, "passport_number": "A1234567", "date_of_birth": "1990-05-17"})).await;
    assert_eq!(status, 429, "{body}");
    let retry: u64 = retry.unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
}

#[actix_rt::test]
async fn closing_a_day_cancels_its_bookings_and_refunds_after_confirmation() {
    let app = seeded(&[]).await;
    let (start, _) = slot(&app, 0).await;
    let paid = hold(&app, &start, &["A1234567"]).await;
    let (paid_ref, paid_token, pay_url) = ids(&paid);
    let back = pay_on_card_page(&open_card_page(&pay_url).await, GOOD_CARD, &["000000"])
        .await
        .unwrap();
    come_back(&back).await;
    let held = hold(&app, &start, &["A7654321"]).await;
    let (held_ref, held_token, _) = ids(&held);

    let login = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .send_json(&json!({"username": "head.mary", "password": "demo-head-2026"}))
        .await
        .unwrap();
    assert_eq!(login.status().as_u16(), 200);
    let session = login
        .cookies()
        .unwrap()
        .iter()
        .find(|c| c.name() == "nobat_session")
        .unwrap()
        .value()
        .to_owned();
    let cookie = || actix_web::cookie::Cookie::new("nobat_session", session.clone());
    let day_start = chrono::DateTime::parse_from_rfc3339(&start).unwrap();
    let from = (day_start - chrono::Duration::hours(1)).to_rfc3339();
    let to = (day_start + chrono::Duration::hours(1)).to_rfc3339();
    let mut preview = app
        .client
        .get(app.url("/api/v1/staff/branches/mary/closures/preview"))
        .query(&[("starts_at", from.as_str()), ("ends_at", to.as_str())])
        .unwrap()
        .cookie(cookie())
        .send()
        .await
        .unwrap();
    let preview: Value = preview.json().await.unwrap();
    assert_eq!(preview["affected_bookings"], 2, "{preview}");
    let close = |confirm: Option<usize>| {
        let body = json!({"starts_at": from, "ends_at": to,
            "reason": {"tk": "Abatlaýyş işleri", "ru": "Ремонт", "en": "Renovation"},
            "confirm_cancellations": confirm});
        let request = app
            .client
            .post(app.url("/api/v1/staff/branches/mary/closures"))
            .cookie(cookie());
        async move {
            let mut response = request.send_json(&body).await.unwrap();
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap(),
            )
        }
    };
    let (status, body) = close(None).await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["detail"].as_str().unwrap().contains("2 booking"),
        "{body}"
    );
    assert_eq!(close(Some(1)).await.0, 409, "a stale count is refused");
    let (status, body) = close(Some(2)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        (
            body["cancelled_bookings"].as_u64(),
            body["refunded"].as_u64()
        ),
        (Some(2), Some(1))
    );
    let paid_view = view(&app, &paid_ref, &paid_token).await;
    assert_eq!(paid_view["status"], "cancelled");
    assert_eq!(paid_view["payment"]["status"], "refunded");
    assert_eq!(
        view(&app, &held_ref, &held_token).await["status"],
        "cancelled"
    );
    assert!(count_outbox(&app, "booking_cancelled") >= 2);
    // The span has no slots any more.
    let mut day = app
        .client
        .get(app.url(&format!(
            "/api/v1/branches/mary/availability?service=passport-international&from={}&to={}",
            &start[..10],
            &start[..10]
        )))
        .send()
        .await
        .unwrap();
    let day: Value = day.json().limit(1 << 20).await.unwrap();
    let offered = day["days"][0]["slots"]
        .as_array()
        .map(|s| s.iter().any(|s| s["start"] == start.as_str()))
        .unwrap_or(false);
    assert!(!offered, "{day}");
    // An operator may not close a branch.
    let operator = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .send_json(&json!({"username": "operator.mary", "password": "demo-operator-2026"}))
        .await
        .unwrap();
    let operator_session = operator
        .cookies()
        .unwrap()
        .iter()
        .find(|c| c.name() == "nobat_session")
        .unwrap()
        .value()
        .to_owned();
    let refused = app
        .client
        .post(app.url("/api/v1/staff/branches/mary/closures"))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            operator_session,
        ))
        .send_json(
            &json!({"starts_at": from, "ends_at": to, "reason": {"tk": "x", "ru": "x", "en": "x"}}),
        )
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);
}
