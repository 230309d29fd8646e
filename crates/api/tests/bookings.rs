//! Booking a visit against PostgreSQL: holds and confirmations, capacity under races, one active
//! booking per passport, idempotency, the manage token, cancelling and lapsed holds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use diesel::prelude::*;
use serde_json::{json, Value};
use support::TestApp;

async fn seeded_app() -> TestApp {
    let app = support::spawn_app().await;
    nobat_api::seed::seed_demo(&mut app.db.connect()).unwrap();
    app
}

fn applicant(passport: &str, born: &str) -> Value {
    json!({
        "surname": "Öwezgeldiýewa", "given_name": "Jeren", "patronymic": "Batyrowna",
        "date_of_birth": born, "phone": "+993 65 123456", "email": "jeren@example.tm",
        "passport": {"number": passport, "issued_on": "2020-03-01", "issued_by": "Daşoguz", "expires_on": "2035-03-01"}
    })
}

/// The first bookable slot of a branch and service: its start and remaining seats.
async fn first_slot(app: &TestApp, branch: &str, service: &str, skip_days: usize) -> (String, u64) {
    let mut response = app
        .client
        .get(app.url(&format!(
            "/api/v1/branches/{branch}/availability?service={service}"
        )))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().limit(4 << 20).await.unwrap();
    let day = body["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "open")
        .nth(skip_days)
        .expect("an open day");
    let slot = &day["slots"][1];
    (
        slot["start"].as_str().unwrap().to_owned(),
        slot["remaining"].as_u64().unwrap(),
    )
}

async fn post(app: &TestApp, body: &Value, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut request = app.client.post(app.url("/api/v1/bookings"));
    for (name, value) in headers {
        request = request.insert_header((*name, *value));
    }
    let mut response = request.send_json(body).await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn get_booking(app: &TestApp, reference: &str, token: &str) -> (u16, Value) {
    let mut response = app
        .client
        .get(app.url(&format!("/api/v1/bookings/{reference}")))
        .insert_header(("x-booking-token", token))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[actix_rt::test]
async fn a_free_service_is_confirmed_at_once_and_opens_with_its_token() {
    let app = seeded_app().await;
    let (start, _) = first_slot(&app, "dashoguz", "reception", 1).await;
    let body = json!({"branch": "dashoguz", "service": "reception", "start": start, "language": "tk",
                      "applicant": applicant("A1234567", "1990-05-17")});
    let (status, created) = post(&app, &body, &[]).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "confirmed");
    assert!(created["hold_expires_at"].is_null());
    assert_eq!(created["fee"]["amount_minor"], 0);
    let reference = created["reference"].as_str().unwrap();
    assert!(nobat_domain::identity::BookingReference::parse(reference).is_ok());
    let token = created["manage_token"].as_str().unwrap();
    assert!(token.len() >= 40);
    assert_eq!(created["booking"]["start"], start);
    assert_eq!(
        created["booking"]["branch"]["name"]["tk"],
        "Daşoguz welaýat migrasiýa bölümi"
    );
    assert_eq!(
        created["booking"]["applicants"][0]["full_name"],
        "Öwezgeldiýewa Jeren Batyrowna"
    );
    assert_eq!(created["booking"]["applicants"][0]["passport"], "*****567");

    let (status, view) = get_booking(&app, reference, token).await;
    assert_eq!(status, 200);
    assert_eq!(view["status"], "confirmed");
    let mut ics = app
        .client
        .get(app.url(&format!("/api/v1/bookings/{reference}/ticket.ics")))
        .insert_header(("x-booking-token", token))
        .send()
        .await
        .unwrap();
    assert_eq!(ics.status().as_u16(), 200);
    assert!(ics
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let calendar = String::from_utf8(ics.body().await.unwrap().to_vec())
        .unwrap()
        .replace("\r\n ", "");
    assert!(
        calendar.contains(&format!("UID:{reference}@nobat")),
        "{calendar}"
    );
    assert!(calendar.contains("10 minut öň geliň"));
    assert_eq!(get_booking(&app, reference, "wrong-token").await.0, 404);
    let bare = app
        .client
        .get(app.url(&format!("/api/v1/bookings/{reference}")))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status().as_u16(), 404);

    // The confirmation waits in the outbox, written in the same transaction.
    use nobat_api::db::schema::outbox;
    let messages: Vec<(String, String)> = outbox::table
        .select((outbox::channel, outbox::template))
        .load(&mut app.db.connect())
        .unwrap();
    assert!(
        messages.contains(&("sms".into(), "booking_confirmed".into())),
        "{messages:?}"
    );
    assert!(messages.contains(&("email".into(), "booking_confirmed".into())));
}

#[actix_rt::test]
async fn a_fee_holds_the_seat_and_children_under_16_are_exempt() {
    let app = seeded_app().await;
    let (start, remaining) = first_slot(&app, "dashoguz", "passport-international", 1).await;
    let body = json!({"branch": "dashoguz", "service": "passport-international", "start": start,
        "applicants": [applicant("A1000001", "1985-01-01"), applicant("A1000002", "2015-06-01")]});
    let (status, created) = post(&app, &body, &[]).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "held");
    assert_eq!(
        created["fee"]["amount_minor"], 6000,
        "the child pays nothing"
    );
    assert_eq!(created["booking"]["seats"], 2);
    let expires =
        chrono::DateTime::parse_from_rfc3339(created["hold_expires_at"].as_str().unwrap()).unwrap();
    let minutes = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds();
    assert!((540..=600).contains(&minutes), "{minutes}");
    let (_, after) = first_slot(&app, "dashoguz", "passport-international", 1).await;
    assert_eq!(after, remaining - 2);
}

#[actix_rt::test]
async fn invalid_fields_are_named_in_the_request_language() {
    let app = seeded_app().await;
    let mut person = applicant("12", "1990-05-17");
    person["phone"] = json!("+7 912 345 67 89");
    person["surname"] = json!("");
    let body = json!({"branch": "dashoguz", "service": "reception", "start": "tomorrow 9am", "applicant": person});
    let (status, en) = post(&app, &body, &[("accept-language", "en")]).await;
    assert_eq!(status, 422);
    for field in [
        "start",
        "applicant.phone",
        "applicant.surname",
        "applicant.passport.number",
    ] {
        assert!(en["errors"][field].is_string(), "{field}: {en}");
    }
    let (_, ru) = post(&app, &body, &[("accept-language", "ru")]).await;
    assert_ne!(
        en["errors"]["applicant.phone"],
        ru["errors"]["applicant.phone"]
    );
    let (status, _) = post(&app, &json!({"branch": 5}), &[]).await;
    assert_eq!(status, 422);
    let raw = app
        .client
        .post(app.url("/api/v1/bookings"))
        .insert_header(("content-type", "application/json"))
        .send_body("{not json")
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 400);
}

#[actix_rt::test]
async fn times_that_are_not_slots_are_refused() {
    let app = seeded_app().await;
    let (start, _) = first_slot(&app, "dashoguz", "passport-international", 1).await;
    let off_grid = start
        .replace(":30:00+05:00", ":10:00+05:00")
        .replace(":00:00+05:00", ":10:00+05:00");
    let body = json!({"branch": "dashoguz", "service": "passport-international", "start": off_grid,
                      "applicant": applicant("A2000001", "1990-01-01")});
    let (status, problem) = post(&app, &body, &[]).await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["type"], "urn:nobat:problem:slot-unavailable");
    let body = json!({"branch": "sarahs", "service": "reception", "start": start, "applicant": applicant("A2000002", "1990-01-01")});
    assert_eq!(post(&app, &body, &[]).await.0, 404);
}

#[actix_rt::test]
async fn one_active_booking_per_passport_across_branches() {
    let app = seeded_app().await;
    let (start, _) = first_slot(&app, "dashoguz", "passport-international", 1).await;
    let first = json!({"branch": "dashoguz", "service": "passport-international", "start": start,
                       "applicant": applicant("B7654321", "1990-01-01")});
    let (status, created) = post(&app, &first, &[]).await;
    assert_eq!(status, 201);
    let (other, _) = first_slot(&app, "mary", "passport-international", 2).await;
    let second = json!({"branch": "mary", "service": "passport-international", "start": other,
                        "applicant": applicant("b 765-4321", "1990-01-01")});
    let (status, problem) = post(&app, &second, &[]).await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["type"], "urn:nobat:problem:already-booked");
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("Daşoguz welaýat migrasiýa bölümi"),
        "{detail}"
    );
    assert!(!detail.contains(created["reference"].as_str().unwrap()));
}

#[actix_rt::test]
async fn fifty_citizens_racing_for_one_slot_get_exactly_its_seats() {
    let app = seeded_app().await;
    let (start, remaining) = first_slot(&app, "dashoguz", "passport-international", 1).await;
    let requests = (0..50).map(|i| {
        let body = json!({"branch": "dashoguz", "service": "passport-international", "start": start,
                          "applicant": applicant(&format!("C{:07}", i), "1990-01-01")});
        let app = &app;
        async move { post(app, &body, &[]).await }
    });
    let answers = futures_util::future::join_all(requests).await;
    let created = answers.iter().filter(|(s, _)| *s == 201).count();
    let full = answers
        .iter()
        .filter(|(s, b)| *s == 409 && b["type"] == "urn:nobat:problem:slot-full")
        .count();
    assert_eq!(created as u64, remaining, "{answers:?}");
    assert_eq!(created + full, 50);
    use nobat_api::db::schema::slots;
    let over: i64 = slots::table
        .filter(slots::taken.gt(slots::capacity))
        .count()
        .get_result(&mut app.db.connect())
        .unwrap();
    assert_eq!(over, 0);
}

#[actix_rt::test]
async fn two_instances_on_one_database_never_overbook() {
    let app = seeded_app().await;
    let second = support::start_instance(&app.db, std::path::Path::new("/nonexistent"));
    let (start, remaining) = first_slot(&app, "mary", "passport-international", 1).await;
    let requests = (0..40).map(|i| {
        let body = json!({"branch": "mary", "service": "passport-international", "start": start,
                          "applicant": applicant(&format!("K{:07}", i), "1990-01-01")});
        let base = if i % 2 == 0 {
            app.address.clone()
        } else {
            second.clone()
        };
        let client = &app.client;
        async move {
            let response = client
                .post(format!("{base}/api/v1/bookings"))
                .send_json(&body)
                .await
                .unwrap();
            response.status().as_u16()
        }
    });
    let statuses = futures_util::future::join_all(requests).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count() as u64,
        remaining,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
}

#[test]
fn threads_behind_a_barrier_never_overbook_a_slot() {
    use nobat_api::db::bookings::{hold_seats, HoldError, NewApplicant, NewHold};
    use std::sync::{Arc, Barrier};
    let db = support::TestDb::new();
    nobat_api::seed::seed_demo(&mut db.connect()).unwrap();
    let (branch_id, service_id): (i32, i32) = {
        use nobat_api::db::schema::{branches, services};
        let mut conn = db.connect();
        (
            branches::table
                .filter(branches::code.eq("mary"))
                .select(branches::id)
                .first(&mut conn)
                .unwrap(),
            services::table
                .filter(services::code.eq("passport-international"))
                .select(services::id)
                .first(&mut conn)
                .unwrap(),
        )
    };
    let start = chrono::Utc::now() + chrono::Duration::days(3);
    const THREADS: usize = 40;
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|i| {
            let barrier = barrier.clone();
            let mut conn = db.connect();
            std::thread::spawn(move || {
                let hold = NewHold {
                    branch_id,
                    service_id,
                    starts_at: start,
                    ends_at: start + chrono::Duration::minutes(30),
                    capacity: 3,
                    status: "confirmed",
                    hold_expires_at: None,
                    fee_minor: 0,
                    language: "tk",
                    manage_token_hash: vec![0; 32],
                    applicants: vec![NewApplicant {
                        surname: "Amanow".into(),
                        given_name: "Merdan".into(),
                        patronymic: None,
                        date_of_birth: chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
                        phone: "+99365123456".into(),
                        email: None,
                        passport_number: format!("D{i:07}"),
                        passport_issued_on: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                        passport_issued_by: "Mary".into(),
                        passport_expires_on: chrono::NaiveDate::from_ymd_opt(2035, 1, 1).unwrap(),
                        fee_minor: 0,
                    }],
                };
                barrier.wait();
                let mut n = 0u64;
                hold_seats(&mut conn, &hold, || {
                    n += 1;
                    nobat_domain::identity::BookingReference::from_random(i as u64 * 1000 + n)
                        .to_string()
                })
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let won = results.iter().filter(|r| r.is_ok()).count();
    let full = results
        .iter()
        .filter(|r| matches!(r, Err(HoldError::SlotFull)))
        .count();
    assert_eq!((won, full), (3, THREADS - 3));
    use nobat_api::db::schema::slots;
    let taken: i32 = slots::table
        .select(slots::taken)
        .first(&mut db.connect())
        .unwrap();
    assert_eq!(taken, 3);
}

#[actix_rt::test]
async fn the_same_passport_racing_itself_gets_one_booking() {
    let app = seeded_app().await;
    let mut bodies = Vec::new();
    for skip in 0..6 {
        let (start, _) = first_slot(&app, "lebap", "passport-international", skip).await;
        bodies.push(
            json!({"branch": "lebap", "service": "passport-international", "start": start,
                           "applicant": applicant("E5555555", "1990-01-01")}),
        );
    }
    let answers = futures_util::future::join_all(bodies.iter().map(|b| post(&app, b, &[]))).await;
    assert_eq!(
        answers.iter().filter(|(s, _)| *s == 201).count(),
        1,
        "{answers:?}"
    );
    assert!(answers
        .iter()
        .filter(|(s, _)| *s != 201)
        .all(|(s, b)| *s == 409 && b["type"] == "urn:nobat:problem:already-booked"));
}

#[actix_rt::test]
async fn an_idempotency_key_replays_the_first_answer() {
    let app = seeded_app().await;
    let (start, _) = first_slot(&app, "balkan", "reception", 1).await;
    let body = json!({"branch": "balkan", "service": "reception", "start": start, "applicant": applicant("F1111111", "1990-01-01")});
    let key = [("idempotency-key", "retry-me-7")];
    let (first_status, first) = post(&app, &body, &key).await;
    let (second_status, second) = post(&app, &body, &key).await;
    assert_eq!((first_status, second_status), (201, 201));
    assert_eq!(first, second);
    use nobat_api::db::schema::bookings;
    let count: i64 = bookings::table
        .count()
        .get_result(&mut app.db.connect())
        .unwrap();
    assert_eq!(count, 1);
    let mut changed = body.clone();
    changed["language"] = json!("en");
    let (status, problem) = post(&app, &changed, &key).await;
    assert_eq!(status, 422);
    assert!(problem["errors"]["Idempotency-Key"].is_string());
}

#[actix_rt::test]
async fn cancelling_frees_the_seat_once() {
    let app = seeded_app().await;
    let (start, remaining) = first_slot(&app, "mary", "reception", 2).await;
    let body = json!({"branch": "mary", "service": "reception", "start": start, "applicant": applicant("G2222222", "1990-01-01")});
    let (_, created) = post(&app, &body, &[]).await;
    let reference = created["reference"].as_str().unwrap();
    let token = created["manage_token"].as_str().unwrap();
    let cancel = || {
        app.client
            .post(app.url(&format!("/api/v1/bookings/{reference}/cancel")))
            .insert_header(("x-booking-token", token))
            .send()
    };
    let mut first = cancel().await.unwrap();
    assert_eq!(first.status().as_u16(), 200);
    let view: Value = first.json().await.unwrap();
    assert_eq!(view["status"], "cancelled");
    let (_, after) = first_slot(&app, "mary", "reception", 2).await;
    assert_eq!(after, remaining);
    let mut again = cancel().await.unwrap();
    assert_eq!(again.status().as_u16(), 409);
    let problem: Value = again.json().await.unwrap();
    assert_eq!(problem["type"], "urn:nobat:problem:not-cancellable");
    // The passport is free to book again.
    assert_eq!(post(&app, &body, &[]).await.0, 201);
}

#[actix_rt::test]
async fn a_lapsed_hold_frees_its_seat_and_passport_at_once() {
    let app = seeded_app().await;
    let (start, remaining) = first_slot(&app, "ahal", "passport-international", 1).await;
    let body = json!({"branch": "ahal", "service": "passport-international", "start": start,
                      "applicant": applicant("H3333333", "1990-01-01")});
    let (status, created) = post(&app, &body, &[]).await;
    assert_eq!(status, 201);
    {
        use nobat_api::db::schema::bookings;
        diesel::update(bookings::table)
            .set(bookings::hold_expires_at.eq(chrono::Utc::now() - chrono::Duration::seconds(1)))
            .execute(&mut app.db.connect())
            .unwrap();
    }
    let (_, after) = first_slot(&app, "ahal", "passport-international", 1).await;
    assert_eq!(after, remaining, "the lapsed hold no longer counts");
    let (status, again) = post(&app, &body, &[]).await;
    assert_eq!(status, 201, "{again}");
    assert_ne!(again["reference"], created["reference"]);
    use nobat_api::db::schema::bookings;
    let statuses: Vec<String> = bookings::table
        .order(bookings::id)
        .select(bookings::status)
        .load(&mut app.db.connect())
        .unwrap();
    assert_eq!(statuses, ["expired", "held"]);
}

#[actix_rt::test]
async fn rescheduling_moves_the_seat_in_one_step() {
    let app = seeded_app().await;
    let (old_start, old_remaining) = first_slot(&app, "balkan", "passport-international", 1).await;
    let (new_start, new_remaining) = first_slot(&app, "balkan", "passport-international", 2).await;
    let body = json!({"branch": "balkan", "service": "passport-international", "start": old_start,
                      "applicant": applicant("M4444444", "1990-01-01")});
    let (_, created) = post(&app, &body, &[]).await;
    let reference = created["reference"].as_str().unwrap();
    let token = created["manage_token"].as_str().unwrap();
    let reschedule = |start: String| {
        app.client
            .post(app.url(&format!("/api/v1/bookings/{reference}/reschedule")))
            .insert_header(("x-booking-token", token))
            .send_json(&json!({ "start": start }))
    };
    let mut moved = reschedule(new_start.clone()).await.unwrap();
    assert_eq!(moved.status().as_u16(), 200);
    let view: Value = moved.json().await.unwrap();
    assert_eq!(view["start"], new_start);
    assert_eq!(
        view["status"], "held",
        "the hold and its payment carry over"
    );
    assert_eq!(
        first_slot(&app, "balkan", "passport-international", 1)
            .await
            .1,
        old_remaining
    );
    assert_eq!(
        first_slot(&app, "balkan", "passport-international", 2)
            .await
            .1,
        new_remaining - 1
    );
    let off_grid = reschedule(new_start.replace(":00+05:00", ":07+05:00"))
        .await
        .unwrap();
    assert_eq!(off_grid.status().as_u16(), 409);
    let wrong_token = app
        .client
        .post(app.url(&format!("/api/v1/bookings/{reference}/reschedule")))
        .insert_header(("x-booking-token", "nope"))
        .send_json(&json!({ "start": old_start }))
        .await
        .unwrap();
    assert_eq!(wrong_token.status().as_u16(), 404);
}

/// `POST /api/v1/bookings` from one address or for one passport, counted by every instance
/// together (the counts are in PostgreSQL); behind a trusted proxy the client's address is the
/// one the proxy appended to `X-Forwarded-For`, never one the client wrote itself.
#[actix_rt::test]
async fn booking_attempts_are_limited_per_address_and_per_passport_across_instances() {
    let app = support::spawn_app_with(&[
        ("NOBAT_BOOKING_LIMITS", "4/2"),
        ("NOBAT_TRUSTED_PROXIES", "127.0.0.1"),
    ])
    .await;
    nobat_api::seed::seed_demo(&mut app.db.connect()).unwrap();
    let second = support::start_instance_with(
        &app.db,
        std::path::Path::new("/nonexistent"),
        &[
            ("NOBAT_BOOKING_LIMITS", "4/2"),
            ("NOBAT_TRUSTED_PROXIES", "127.0.0.1"),
        ],
    );
    let (start, _) = first_slot(&app, "mary", "passport-international", 2).await;
    let (later, _) = first_slot(&app, "mary", "passport-international", 3).await;
    let attempt_at = |start: String, base: String, passport: String, forwarded: &'static str| {
        let client = app.client.clone();
        let body = json!({"branch": "mary", "service": "passport-international", "start": start,
                          "applicant": applicant(&passport, "1990-01-01")});
        async move {
            let mut response = client
                .post(format!("{base}/api/v1/bookings"))
                .insert_header(("x-forwarded-for", forwarded))
                .send_json(&body)
                .await
                .unwrap();
            let retry = response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned());
            let body: Value = response.json().await.unwrap();
            (response.status().as_u16(), retry, body)
        }
    };
    let attempt = |base: String, passport: String, forwarded: &'static str| {
        attempt_at(start.clone(), base, passport, forwarded)
    };
    // Four attempts from 95.85.1.7, alternating instances: all counted, then 429.
    for i in 0..4 {
        let base = if i % 2 == 0 {
            app.address.clone()
        } else {
            second.clone()
        };
        let (status, _, body) = attempt(base, format!("R{i:07}"), "95.85.1.7").await;
        assert!(matches!(status, 201 | 409), "{status} {body}");
    }
    let (status, retry, body) = attempt(second.clone(), "R0000009".into(), "95.85.1.7").await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["type"], "urn:nobat:problem:rate-limited");
    let retry: u64 = retry.expect("Retry-After").parse().unwrap();
    assert!((1..=600).contains(&retry), "{retry}");
    // A client cannot pick its own address: what it writes before the proxy's entry is ignored.
    let (status, _, _) = attempt(
        app.address.clone(),
        "R0000010".into(),
        "10.9.9.9, 95.85.1.7",
    )
    .await;
    assert_eq!(status, 429);
    // Another address is another count.
    let (status, _, body) = attempt(app.address.clone(), "R0000011".into(), "95.85.1.8").await;
    assert!(matches!(status, 201 | 409), "{status} {body}");

    // One passport: two attempts (the second an `already-booked`), then 429 from any address.
    let (status, _, _) = attempt_at(
        later.clone(),
        app.address.clone(),
        "S0000001".into(),
        "95.85.2.1",
    )
    .await;
    assert_eq!(status, 201);
    let (status, _, body) = attempt_at(
        later.clone(),
        second.clone(),
        "S0000001".into(),
        "95.85.2.2",
    )
    .await;
    assert_eq!(
        (status, body["type"].as_str()),
        (409, Some("urn:nobat:problem:already-booked"))
    );
    let (status, _, _) = attempt_at(
        later.clone(),
        app.address.clone(),
        "S0000001".into(),
        "95.85.2.3",
    )
    .await;
    assert_eq!(status, 429);
    // The passport number is not a key in plain text.
    let plain: i64 =
        diesel::sql_query("SELECT count(*) AS n FROM rate_limits WHERE bucket LIKE '%S0000001%'")
            .get_result::<Count>(&mut app.db.connect())
            .unwrap()
            .n;
    assert_eq!(plain, 0);
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The availability cache: an answer is reused (another instance's booking is not seen until
/// the time to live ends), but this instance's own successful write refreshes it at once.
#[actix_rt::test]
async fn availability_is_reused_until_this_instance_writes() {
    let app = support::spawn_app_with(&[("NOBAT_AVAILABILITY_CACHE_MS", "60000")]).await;
    nobat_api::seed::seed_demo(&mut app.db.connect()).unwrap();
    let other = support::start_instance(&app.db, std::path::Path::new("/nonexistent"));
    let (start, remaining) = first_slot(&app, "dashoguz", "passport-international", 1).await;
    let book = |base: String, passport: &str| {
        let body = json!({"branch": "dashoguz", "service": "passport-international", "start": start,
                          "applicant": applicant(passport, "1990-05-17")});
        let client = app.client.clone();
        async move {
            client
                .post(format!("{base}/api/v1/bookings"))
                .send_json(&body)
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(book(other.clone(), "C1000001").await, 201);
    // Still the cached answer on this instance.
    assert_eq!(
        first_slot(&app, "dashoguz", "passport-international", 1).await,
        (start.clone(), remaining)
    );
    // Its own write makes it fresh: both bookings show.
    assert_eq!(book(app.address.clone(), "C1000002").await, 201);
    assert_eq!(
        first_slot(&app, "dashoguz", "passport-international", 1).await,
        (start.clone(), remaining - 2)
    );
}

/// Each instance keeps the catalog rows a hold needs (branch, service, counters, plans,
/// holidays, closures). A change written elsewhere (here straight into the database, as another
/// instance or an operator would) is seen by the very next hold, not after a time to live.
#[actix_rt::test]
async fn a_hold_sees_catalog_changes_made_elsewhere_at_once() {
    let app = seeded_app().await;
    let (first, _) = first_slot(&app, "dashoguz", "passport-international", 1).await;
    let (later, _) = first_slot(&app, "dashoguz", "passport-international", 2).await;
    let body = |start: &str, passport: &str| {
        json!({"branch": "dashoguz", "service": "passport-international", "start": start,
               "applicant": applicant(passport, "1990-05-17")})
    };
    let (status, _) = post(&app, &body(&first, "K1000001"), &[]).await;
    assert_eq!(status, 201);

    // The branch closes for the later slot's hour.
    let start = chrono::DateTime::parse_from_rfc3339(&later)
        .unwrap()
        .with_timezone(&chrono::Utc);
    diesel::sql_query(
        "INSERT INTO branch_closures (branch_id, starts_at, ends_at, reason_tk, reason_ru, reason_en)
         SELECT id, $1, $2, 'Abatlaýyş', 'Ремонт', 'Repairs' FROM branches WHERE code = 'dashoguz'",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(start - chrono::Duration::minutes(1))
    .bind::<diesel::sql_types::Timestamptz, _>(start + chrono::Duration::hours(1))
    .execute(&mut app.db.connect())
    .unwrap();
    let (status, problem) = post(&app, &body(&later, "K1000002"), &[]).await;
    assert_eq!(
        (status, problem["type"].as_str()),
        (409, Some("urn:nobat:problem:slot-unavailable")),
        "{problem}"
    );

    // The service's counters stop serving it: the branch no longer offers it.
    diesel::sql_query(
        "DELETE FROM counter_services WHERE counter_id IN
           (SELECT c.id FROM counters c JOIN branches b ON b.id = c.branch_id WHERE b.code = 'dashoguz')",
    )
    .execute(&mut app.db.connect())
    .unwrap();
    let (status, problem) = post(&app, &body(&first, "K1000003"), &[]).await;
    assert_eq!(status, 404, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("does not offer"),
        "{problem}"
    );

    // The branch is withdrawn.
    diesel::sql_query("UPDATE branches SET active = false WHERE code = 'dashoguz'")
        .execute(&mut app.db.connect())
        .unwrap();
    let (status, problem) = post(&app, &body(&first, "K1000004"), &[]).await;
    assert_eq!(status, 404, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("no branch"),
        "{problem}"
    );
}

/// The answer to a hold is made from what was written, not read back: it must be the booking
/// its owner then reads, field for field.
#[actix_rt::test]
async fn the_answer_to_a_hold_is_the_booking_as_stored() {
    let app = seeded_app().await;
    let (start, _) = first_slot(&app, "lebap", "passport-international", 1).await;
    let body = json!({"branch": "lebap", "service": "passport-international", "start": start,
                      "applicants": [applicant("L2000001", "1990-05-17"), applicant("L2000002", "2015-01-01")]});
    let (status, created) = post(&app, &body, &[]).await;
    assert_eq!(status, 201, "{created}");
    let (status, stored) = get_booking(
        &app,
        created["reference"].as_str().unwrap(),
        created["manage_token"].as_str().unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let mut stored = stored;
    // Only the owner's view has the queue position.
    if let Some(view) = stored.as_object_mut() {
        view.remove("queue");
    }
    let mut answered = created["booking"].clone();
    if let Some(view) = answered.as_object_mut() {
        view.remove("queue");
    }
    assert_eq!(answered, stored);
    assert_eq!(answered["payment"]["status"], "new", "{answered}");
    assert_eq!(answered["applicants"].as_array().unwrap().len(), 2);
}

/// No request commits after its client may have given up: a booking that could not be written
/// before `NOBAT_REQUEST_DEADLINE_MS` is rolled back whole (seat, booking, idempotency key) and
/// answered 503, so the retry with the same key books afresh.
#[actix_rt::test]
async fn a_booking_past_its_deadline_is_rolled_back_not_committed() {
    let app = support::spawn_app_with(&[("NOBAT_REQUEST_DEADLINE_MS", "300")]).await;
    nobat_api::seed::seed_demo(&mut app.db.connect()).unwrap();
    let (start, _) = first_slot(&app, "dashoguz", "passport-international", 1).await;
    let body = |passport: &str| {
        json!({"branch": "dashoguz", "service": "passport-international", "start": start,
               "applicant": applicant(passport, "1990-05-17")})
    };
    let (status, _) = post(&app, &body("M1000001"), &[]).await;
    assert_eq!(status, 201);

    // Another transaction holds the slot's row for a second.
    let at = chrono::DateTime::parse_from_rfc3339(&start)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let (locked, lock_taken) = std::sync::mpsc::channel();
    let mut blocker = app.db.connect();
    let holder = std::thread::spawn(move || {
        blocker
            .transaction::<_, diesel::result::Error, _>(|conn| {
                diesel::sql_query("SELECT id FROM slots WHERE starts_at = $1 FOR UPDATE")
                    .bind::<diesel::sql_types::Timestamptz, _>(at)
                    .execute(conn)?;
                locked.send(()).unwrap();
                std::thread::sleep(std::time::Duration::from_secs(1));
                Ok(())
            })
            .unwrap();
    });
    lock_taken.recv().unwrap();
    let key = [("idempotency-key", "late-booking-1")];
    let asked = std::time::Instant::now();
    let (status, problem) = post(&app, &body("M1000002"), &key).await;
    assert_eq!(status, 503, "{problem}");
    assert!(asked.elapsed() >= std::time::Duration::from_millis(900));
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("nothing was changed"),
        "{problem}"
    );
    holder.join().unwrap();

    let mut conn = app.db.connect();
    let late: i64 = diesel::sql_query(
        "SELECT count(*) AS n FROM booking_applicants WHERE passport_number = 'M1000002'",
    )
    .get_result::<Count>(&mut conn)
    .unwrap()
    .n;
    let taken: i32 = nobat_api::db::schema::slots::table
        .filter(nobat_api::db::schema::slots::starts_at.eq(at))
        .select(nobat_api::db::schema::slots::taken)
        .first(&mut conn)
        .unwrap();
    assert_eq!((late, taken), (0, 1), "nothing of the late booking stayed");

    // The retry with the same key is a new attempt, and books.
    let (status, created) = post(&app, &body("M1000002"), &key).await;
    assert_eq!(status, 201, "{created}");
}
