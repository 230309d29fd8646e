//! International passport applications through the real server and PostgreSQL: drafts with
//! their token, the photo upload, submission paid with the sandbox acquirer's test card (or
//! exempt for a child), tracking that cannot tell a wrong number from a wrong birth date, and
//! staff moving an application through the statuses the domain allows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use diesel::prelude::*;
use nobat_api::db::schema::{audit_log, outbox, passport_applications, payments};
use serde_json::{json, Value};
use support::card::{come_back, open_card_page, pay_on_card_page, GOOD_CARD};
use support::png::{multipart, png};
use support::{login, staff_request as staff, TestApp};

async fn seeded() -> TestApp {
    let app = support::spawn_app().await;
    nobat_api::seed::seed_demo(&mut app.db.connect()).unwrap();
    app
}

fn adult() -> Value {
    json!({
        "reason": "renewal_expiring",
        "applicant": {
            "surname": "Öwezgeldiýewa", "given_names": "Aýna", "patronymic": "Merdanowna",
            "date_of_birth": "1990-04-12", "place_of_birth": "Aşgabat", "sex": "F",
            "national_id": "I-AŞ 123456"
        },
        "address": {"velayat": "mary", "locality": "Mary", "street": "Magtymguly köçesi 12, 5"},
        "phone": "+993 65 123456",
        "email": "ayna@example.com",
        "previous_passport": {"number": "A1234567", "issued_on": "2016-07-01"},
        "collection_branch": "mary"
    })
}

fn child() -> Value {
    json!({
        "reason": "child_under_16",
        "applicant": {
            "surname": "Öwezgeldiýew", "given_names": "Döwlet",
            "date_of_birth": "2018-02-03", "place_of_birth": "Mary", "sex": "M",
            "national_id": "I-MR 654321"
        },
        "address": {"velayat": "mary", "locality": "Mary", "street": "Magtymguly köçesi 12, 5"},
        "phone": "+993 65 123456",
        "guardian": {"surname": "Öwezgeldiýewa", "given_names": "Aýna", "relation": "mother",
                     "national_id": "I-AŞ 123456", "consent": true},
        "collection_branch": "mary"
    })
}

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let url = app.url(path);
    let mut request = match method {
        "GET" => app.client.get(url),
        "PUT" => app.client.put(url),
        _ => app.client.post(url),
    };
    if let Some(token) = token {
        request = request.insert_header(("x-application-token", token));
    }
    let mut response = match body {
        Some(body) => request.send_json(body).await.unwrap(),
        None => request.send().await.unwrap(),
    };
    let status = response.status().as_u16();
    let bytes = response.body().limit(1 << 22).await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A new draft with these answers: number and token.
async fn draft(app: &TestApp, application: Value) -> (String, String) {
    let (status, body) = send(
        app,
        "POST",
        "/api/v1/passport-applications",
        None,
        Some(&json!({"language": "en", "application": application})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    (
        body["number"].as_str().unwrap().to_owned(),
        body["token"].as_str().unwrap().to_owned(),
    )
}

async fn upload(app: &TestApp, number: &str, token: &str, bytes: &[u8]) -> (u16, Value) {
    let (content_type, body) = multipart("photo", "me.png", "image/png", bytes);
    let mut response = app
        .client
        .post(app.url(&format!("/api/v1/passport-applications/{number}/photo")))
        .insert_header(("x-application-token", token))
        .insert_header(("content-type", content_type))
        .send_body(body)
        .await
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.json().limit(1 << 20).await.unwrap_or(Value::Null),
    )
}

/// Draft, photo, submit: the application's view after submission.
async fn complete(app: &TestApp, application: Value) -> (String, String, Value) {
    let (number, token) = draft(app, application).await;
    let (status, body) = upload(app, &number, &token, &png(600, 800)).await;
    assert_eq!(status, 200, "{body}");
    let path = format!("/api/v1/passport-applications/{number}/submit");
    let (status, submitted) = send(app, "POST", &path, Some(&token), None).await;
    assert_eq!(status, 200, "{submitted}");
    (number, token, submitted)
}

async fn pay(pay_url: &str) -> String {
    let form = open_card_page(pay_url).await;
    let back = pay_on_card_page(&form, GOOD_CARD, &["000000"])
        .await
        .expect("the test card pays");
    come_back(&back).await
}

#[actix_rt::test]
async fn a_draft_is_saved_with_its_token_and_says_what_is_missing() {
    let app = seeded().await;
    let (number, token) = draft(&app, json!({"reason": "first_passport"})).await;
    assert!(number.starts_with("P-"), "{number}");
    let path = format!("/api/v1/passport-applications/{number}");

    // Without the token, or with a wrong one, or a wrong number: the same 404.
    for (path, token) in [
        (path.clone(), None),
        (path.clone(), Some("wrong-token")),
        (
            "/api/v1/passport-applications/P-26-AAAA-00".to_owned(),
            Some(token.as_str()),
        ),
    ] {
        let (status, body) = send(&app, "GET", &path, token, None).await;
        assert_eq!(status, 404, "{body}");
    }

    let (status, view) = send(&app, "GET", &path, Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(view["status"], "draft");
    for field in [
        "applicant.surname",
        "applicant.date_of_birth",
        "phone",
        "photo",
    ] {
        assert!(view["problems"][field].is_string(), "{field}: {view}");
    }
    // Submitting an incomplete draft names every problem and changes nothing.
    let (status, problem) = send(&app, "POST", &format!("{path}/submit"), Some(&token), None).await;
    assert_eq!(status, 422);
    assert!(problem["errors"]["photo"].is_string(), "{problem}");

    // The whole set of answers saved; the printed name is offered in ICAO transliteration.
    let (status, saved) = send(
        &app,
        "PUT",
        &path,
        Some(&token),
        Some(&json!({"language": "en", "application": adult()})),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["printed_name"]["surname"], "OEWEZGELDIYEWA");
    assert_eq!(saved["fee"]["amount_minor"], 6000);
    let problems: Vec<&String> = saved["problems"].as_object().unwrap().keys().collect();
    assert_eq!(problems, ["photo"], "{saved}");
}

#[actix_rt::test]
async fn the_photo_is_checked_by_its_content_and_size() {
    let app = seeded().await;
    let (number, token) = draft(&app, adult()).await;

    // Text named .png, a photo too small, one not 3:4: each a 422 that says why.
    for bytes in [
        b"this is not an image at all".to_vec(),
        png(300, 400),
        png(800, 800),
    ] {
        let (status, problem) = upload(&app, &number, &token, &bytes).await;
        assert_eq!(status, 422, "{problem}");
        assert!(problem["errors"]["photo"].as_str().unwrap().len() > 10);
    }
    // More than 5 MiB is refused.
    let big = vec![0u8; 5 * 1024 * 1024 + 10];
    let (status, problem) = upload(&app, &number, &token, &big).await;
    assert_eq!(status, 413, "{problem}");
    // Not multipart at all.
    let response = app
        .client
        .post(app.url(&format!("/api/v1/passport-applications/{number}/photo")))
        .insert_header(("x-application-token", token.as_str()))
        .insert_header(("content-type", "image/png"))
        .send_body(png(600, 800))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
    // A stranger's upload is refused before it is read.
    let (status, _) = upload(&app, &number, "not-the-token", &png(600, 800)).await;
    assert_eq!(status, 404);

    let photo = png(600, 800);
    let (status, view) = upload(&app, &number, &token, &photo).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["photo"]["width"], 600);
    assert_eq!(view["photo"]["format"], "png");
    assert!(view["problems"].as_object().unwrap().is_empty(), "{view}");
    // The holder gets the same bytes back, never cached.
    let mut response = app
        .client
        .get(app.url(&format!("/api/v1/passport-applications/{number}/photo")))
        .insert_header(("x-application-token", token.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers().get("content-type").unwrap(), "image/png");
    assert!(response
        .headers()
        .get("cache-control")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("no-store"));
    assert_eq!(response.body().limit(1 << 22).await.unwrap(), photo);
}

#[actix_rt::test]
async fn paying_the_fee_submits_the_application_and_tracking_shows_it() {
    let app = seeded().await;
    let (number, token, submitted) = complete(&app, adult()).await;
    // Not yet paid: still a draft with a pay link, and not trackable.
    assert_eq!(submitted["status"], "draft", "{submitted}");
    let pay_url = submitted["payment"]["pay_url"].as_str().unwrap().to_owned();
    let track = json!({"number": number, "date_of_birth": "1990-04-12", "language": "en"});
    let (status, _) = send(
        &app,
        "POST",
        "/api/v1/passport-applications/track",
        None,
        Some(&track),
    )
    .await;
    assert_eq!(status, 404);
    // No receipt for a draft.
    let receipt_path = format!("/api/v1/passport-applications/{number}/receipt.svg");
    let response = app
        .client
        .get(app.url(&receipt_path))
        .insert_header(("x-application-token", token.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 409);

    let page = pay(&pay_url).await;
    assert!(
        page.ends_with(&format!("/apply/{number}?payment=paid")),
        "{page}"
    );

    let path = format!("/api/v1/passport-applications/{number}");
    let (_, view) = send(&app, "GET", &path, Some(&token), None).await;
    assert_eq!(view["status"], "submitted", "{view}");
    assert_eq!(view["payment"]["status"], "paid");
    assert!(view["payment"]["pay_url"].is_null());
    let statuses: Vec<&str> = view["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["draft", "submitted"]);
    // Paying twice is impossible: the pay link now just says it is paid.
    assert!(come_back(&pay_url).await.ends_with("?payment=paid"));
    let paid: i64 = payments::table
        .filter(payments::status.eq("paid"))
        .count()
        .get_result(&mut app.db.connect())
        .unwrap();
    assert_eq!(paid, 1);

    // A submitted application can no longer change.
    let (status, _) = send(
        &app,
        "PUT",
        &path,
        Some(&token),
        Some(&json!({"application": adult()})),
    )
    .await;
    assert_eq!(status, 409);

    let (status, tracking) = send(
        &app,
        "POST",
        "/api/v1/passport-applications/track",
        None,
        Some(&track),
    )
    .await;
    assert_eq!(status, 200, "{tracking}");
    assert_eq!(tracking["status"], "submitted");
    assert_eq!(tracking["collection_branch"]["code"], "mary");
    // Tracking says nothing about the person.
    let text = tracking.to_string();
    for personal in ["Aýna", "I-AŞ", "123456", "ayna@example.com", "Magtymguly"] {
        assert!(!text.contains(personal), "{personal} leaked: {text}");
    }

    let mut response = app
        .client
        .get(app.url(&receipt_path))
        .insert_header(("x-application-token", token.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let svg = String::from_utf8(response.body().await.unwrap().to_vec()).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(&number), "{svg}");
}

#[actix_rt::test]
async fn a_child_under_16_is_exempt_and_submitted_at_once() {
    let app = seeded().await;
    let (number, _, view) = complete(&app, child()).await;
    assert_eq!(view["status"], "submitted", "{view}");
    assert_eq!(view["fee"]["amount_minor"], 0);
    assert!(view["payment"].is_null());
    let (status, tracking) = send(
        &app,
        "POST",
        "/api/v1/passport-applications/track",
        None,
        Some(&json!({"number": number, "date_of_birth": "2018-02-03"})),
    )
    .await;
    assert_eq!(status, 200, "{tracking}");
    assert_eq!(tracking["status"], "submitted");
}

#[actix_rt::test]
async fn tracking_cannot_tell_a_wrong_number_from_a_wrong_date_and_is_limited() {
    let app = seeded().await;
    let (number, _, _) = complete(&app, child()).await;
    // A well-formed number (right check characters) that is not this application's.
    let other = (1..)
        .map(|r| nobat_domain::passport::ApplicationNumber::from_random(2026, r).to_string())
        .find(|n| *n != number)
        .unwrap();
    let other = other.as_str();
    let mut answers = Vec::new();
    for (number, born) in [(number.as_str(), "2018-02-04"), (other, "2018-02-03")] {
        let (status, mut body) = send(
            &app,
            "POST",
            "/api/v1/passport-applications/track",
            None,
            Some(&json!({"number": number, "date_of_birth": born, "language": "en"})),
        )
        .await;
        assert_eq!(status, 404);
        body.as_object_mut().unwrap().remove("request_id");
        answers.push(body);
    }
    assert_eq!(answers[0], answers[1]);
    // A malformed number is a 422 (it tells nothing about any application).
    let (status, _) = send(
        &app,
        "POST",
        "/api/v1/passport-applications/track",
        None,
        Some(&json!({"number": "hello", "date_of_birth": "2018-02-03"})),
    )
    .await;
    assert_eq!(status, 422);
    // Five tries per number in 15 minutes (one was used above), then 429 with Retry-After.
    for _ in 0..4 {
        let (status, _) = send(
            &app,
            "POST",
            "/api/v1/passport-applications/track",
            None,
            Some(&json!({"number": number, "date_of_birth": "2018-02-03"})),
        )
        .await;
        assert_eq!(status, 200);
    }
    let response = app
        .client
        .post(app.url("/api/v1/passport-applications/track"))
        .send_json(&json!({"number": number, "date_of_birth": "2018-02-03"}))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    let retry: u64 = response
        .headers()
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry));
}

#[actix_rt::test]
async fn staff_move_an_application_only_along_the_allowed_statuses() {
    let app = seeded().await;
    let (number, token, _) = complete(&app, child()).await;
    let operator = login(&app, "operator.mary", "demo-operator-2026").await;
    let base = format!("/api/v1/staff/passport-applications/{number}");

    let (status, list) = staff(
        &app,
        &operator,
        "GET",
        "/api/v1/staff/passport-applications?status=submitted",
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["number"], number.as_str());

    let (status, view) = staff(&app, &operator, "GET", &base, None).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["allowed"], json!(["under_review"]));
    assert_eq!(view["full_name"], "Öwezgeldiýew Döwlet");

    let move_to = |to: &'static str, note: &'static str| {
        let (app, operator, base) = (&app, operator.clone(), base.clone());
        async move {
            staff(
                app,
                &operator,
                "POST",
                &format!("{base}/status"),
                Some(json!({"status": to, "note": note})),
            )
            .await
        }
    };
    // Skipping a step is a conflict; needs_action without a note is invalid.
    assert_eq!(move_to("in_production", "").await.0, 409);
    assert_eq!(move_to("under_review", "").await.0, 200);
    assert_eq!(move_to("needs_action", " ").await.0, 422);
    let (status, view) = move_to("needs_action", "Bring the birth certificate.").await;
    assert_eq!(status, 200);
    assert_eq!(view["action_required"], "Bring the birth certificate.");
    for to in ["under_review", "in_production", "ready"] {
        assert_eq!(move_to(to, "").await.0, 200, "{to}");
    }
    assert_eq!(move_to("submitted", "").await.0, 409);

    // The citizen sees the whole way with the public note.
    let (_, own) = send(
        &app,
        "GET",
        &format!("/api/v1/passport-applications/{number}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(own["status"], "ready");
    assert_eq!(
        own["pickup"],
        json!({"branch": "mary", "service": "passport-pickup"})
    );
    let history = own["history"].as_array().unwrap();
    assert_eq!(history.len(), 7, "{own}");
    assert!(history
        .iter()
        .any(|h| h["note"] == "Bring the birth certificate."));

    // Every move is audited.
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("change_application_status"))
        .count()
        .get_result(&mut app.db.connect())
        .unwrap();
    assert_eq!(audited, 5);

    // An operator of another branch sees neither the list entry nor the application.
    let hash = nobat_api::auth::hash_password("other-operator-pass-1").unwrap();
    nobat_api::db::staff::ensure_account(
        &mut app.db.connect(),
        "operator.dashoguz",
        "Dashoguz operator",
        &hash,
        nobat_domain::staff::Role::Operator,
        false,
        &["dashoguz"],
    )
    .unwrap();
    let other = login(&app, "operator.dashoguz", "other-operator-pass-1").await;
    let (status, list) = staff(
        &app,
        &other,
        "GET",
        "/api/v1/staff/passport-applications",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 0, "{list}");
    assert_eq!(staff(&app, &other, "GET", &base, None).await.0, 403);
    assert_eq!(
        staff(&app, &other, "GET", &format!("{base}/photo"), None)
            .await
            .0,
        403
    );
    let (status, _) = staff(
        &app,
        &other,
        "POST",
        &format!("{base}/status"),
        Some(json!({"status": "issued"})),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = staff(
        &app,
        &other,
        "GET",
        "/api/v1/staff/passport-applications?branch=mary",
        None,
    )
    .await;
    assert_eq!(status, 403);
    // The editor handles no applications at all.
    let editor = login(&app, "editor", "demo-editor-2026").await;
    assert_eq!(
        staff(
            &app,
            &editor,
            "GET",
            "/api/v1/staff/passport-applications",
            None
        )
        .await
        .0,
        403
    );

    // Staff see the photo.
    let response = app
        .client
        .get(app.url(&format!("{base}/photo")))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            operator.clone(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers().get("content-type").unwrap(), "image/png");

    let stored: String = passport_applications::table
        .select(passport_applications::status)
        .first(&mut app.db.connect())
        .unwrap();
    assert_eq!(stored, "ready");
}

/// What a webhook receiver got: the headers that matter and the body.
#[derive(Debug, Clone)]
struct Received {
    event_id: String,
    signature: String,
    body: Vec<u8>,
}

/// A webhook receiver on a free port that answers 500 to its first `failures` requests.
fn receiver(failures: usize) -> (String, std::sync::Arc<std::sync::Mutex<Vec<Received>>>) {
    use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Received>::new()));
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let state = (got.clone(), seen);
    let server = HttpServer::new(move || {
        let (got, seen) = state.clone();
        App::new().default_service(web::to(move |request: HttpRequest, body: web::Bytes| {
            let (got, seen) = (got.clone(), seen.clone());
            async move {
                let header = |name: &str| {
                    request
                        .headers()
                        .get(name)
                        .map(|v| v.to_str().unwrap().to_owned())
                        .unwrap_or_default()
                };
                got.lock().unwrap().push(Received {
                    event_id: header("x-nobat-event-id"),
                    signature: header("x-nobat-signature"),
                    body: body.to_vec(),
                });
                if seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < failures {
                    HttpResponse::InternalServerError().finish()
                } else {
                    HttpResponse::NoContent().finish()
                }
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let address = format!("http://{}/hooks/nobat", server.addrs()[0]);
    actix_web::rt::spawn(server.run());
    (address, got)
}

/// One delivery round of the outbox, off the async runtime (it blocks).
async fn deliver(app: &TestApp) -> nobat_api::notify::DeliveryCounts {
    let url = app.db.url.clone();
    actix_web::rt::task::spawn_blocking(move || {
        let mut conn = diesel::PgConnection::establish(&url).unwrap();
        nobat_api::notify::deliver_batch(&mut conn, &nobat_api::notify::Sinks::log()).unwrap()
    })
    .await
    .unwrap()
}

/// Makes every undelivered message due now (instead of waiting out the back-off).
fn due_now(app: &TestApp) {
    diesel::update(outbox::table.filter(outbox::delivered_at.is_null()))
        .set(outbox::next_attempt_at.eq(diesel::dsl::now))
        .execute(&mut app.db.connect())
        .unwrap();
}

#[actix_rt::test]
async fn status_changes_reach_the_citizen_and_signed_webhooks_retried_until_received() {
    use hmac::{Hmac, Mac};
    let app = seeded().await;
    let admin = login(&app, "admin", "demo-admin-2026").await;
    let (url, received) = receiver(4);

    // Only admins register webhooks, with an http(s) URL.
    let operator = login(&app, "operator.mary", "demo-operator-2026").await;
    let hook = json!({"url": url, "description": "portal"});
    assert_eq!(
        staff(
            &app,
            &operator,
            "POST",
            "/api/v1/staff/webhooks",
            Some(hook.clone())
        )
        .await
        .0,
        403
    );
    let (status, _) = staff(
        &app,
        &admin,
        "POST",
        "/api/v1/staff/webhooks",
        Some(json!({"url": "ftp://x"})),
    )
    .await;
    assert_eq!(status, 422);
    let (status, made) = staff(&app, &admin, "POST", "/api/v1/staff/webhooks", Some(hook)).await;
    assert_eq!(status, 201, "{made}");
    let secret = made["secret"].as_str().unwrap().to_owned();
    let (_, listed) = staff(&app, &admin, "GET", "/api/v1/staff/webhooks", None).await;
    assert!(
        listed[0]["secret"].is_null(),
        "the secret is shown once: {listed}"
    );

    // A child's application is submitted at once: one event, and an SMS to the citizen.
    let (number, _, _) = complete(&app, child()).await;
    let path = format!("/api/v1/staff/passport-applications/{number}/status");
    let (status, _) = staff(
        &app,
        &admin,
        "POST",
        &path,
        Some(json!({"status": "under_review"})),
    )
    .await;
    assert_eq!(status, 200);

    // Two events (submitted, under_review); the receiver fails each twice, then takes them.
    // (The server's own outbox worker may make some of the tries: the count is what matters.)
    let delivered = || -> i64 {
        outbox::table
            .filter(outbox::channel.eq("webhook"))
            .filter(outbox::delivered_at.is_not_null())
            .count()
            .get_result(&mut app.db.connect())
            .unwrap()
    };
    for _ in 0..10 {
        if delivered() == 2 {
            break;
        }
        deliver(&app).await;
        due_now(&app);
    }
    assert_eq!(delivered(), 2);
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 6, "two events, three tries each");
    let mut tries = std::collections::BTreeMap::<&str, usize>::new();
    for r in &got {
        *tries.entry(r.event_id.as_str()).or_default() += 1;
    }
    assert_eq!(
        tries.values().copied().collect::<Vec<_>>(),
        [3, 3],
        "{tries:?}"
    );
    // The body says what changed, nothing personal.
    let last: Value = serde_json::from_slice(&got[5].body).unwrap();
    assert_eq!(last["type"], "application.status_changed");
    assert_eq!(last["data"]["number"], number.as_str());
    assert!(["submitted", "under_review"].contains(&last["data"]["status"].as_str().unwrap()));
    assert!(!String::from_utf8_lossy(&got[5].body).contains("Öwezgeldiýew"));
    // The receiver can verify every signature with the secret; a forged body would not pass.
    for r in &got {
        let (t, v1) = r.signature.split_once(',').unwrap();
        let t = t.strip_prefix("t=").unwrap();
        let v1 = v1.strip_prefix("v1=").unwrap();
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{t}.").as_bytes());
        mac.update(&r.body);
        let expected: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(v1, expected);
        let mut forged = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        forged.update(format!("{t}.").as_bytes());
        forged.update(b"{}");
        let forged: String = forged
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_ne!(v1, forged);
    }

    // The citizen's SMS for both statuses went out (to the log sink) with the number.
    let sms: Vec<(String, Option<chrono::DateTime<chrono::Utc>>)> = outbox::table
        .filter(outbox::template.eq("application_status"))
        .select((outbox::channel, outbox::delivered_at))
        .load(&mut app.db.connect())
        .unwrap();
    assert_eq!(sms.len(), 2, "{sms:?}");
    assert!(sms
        .iter()
        .all(|(channel, delivered)| channel == "sms" && delivered.is_some()));

    // A removed webhook gets nothing more.
    let id = made["id"].as_i64().unwrap();
    assert_eq!(
        staff(
            &app,
            &admin,
            "DELETE",
            &format!("/api/v1/staff/webhooks/{id}"),
            None
        )
        .await
        .0,
        204
    );
    let (status, _) = staff(
        &app,
        &admin,
        "POST",
        &path,
        Some(json!({"status": "in_production"})),
    )
    .await;
    assert_eq!(status, 200);
    deliver(&app).await;
    assert_eq!(received.lock().unwrap().len(), 6);
}

#[actix_rt::test]
async fn drafts_are_forgotten_after_their_30_days_with_their_photo() {
    let app = seeded().await;
    let (number, token) = draft(&app, adult()).await;
    let photo = png(600, 800);
    let (status, _) = upload(&app, &number, &token, &photo).await;
    assert_eq!(status, 200);
    let (kept, kept_token) = draft(&app, child()).await;
    let dir = std::env::temp_dir().join("nobat-test-files").join("photos");
    let sha: String = passport_applications::table
        .filter(passport_applications::number.eq(&number))
        .select(passport_applications::photo_sha256.assume_not_null())
        .first(&mut app.db.connect())
        .unwrap();
    assert!(dir.join(&sha).exists());
    diesel::update(passport_applications::table.filter(passport_applications::number.eq(&number)))
        .set(
            passport_applications::expires_at.eq(chrono::Utc::now() - chrono::Duration::minutes(1)),
        )
        .execute(&mut app.db.connect())
        .unwrap();
    // Expired: the citizen's link no longer opens it, and the sweep deletes it and its photo.
    let path = format!("/api/v1/passport-applications/{number}");
    assert_eq!(send(&app, "GET", &path, Some(&token), None).await.0, 404);
    let gone =
        nobat_api::db::applications::forget_expired_drafts(&mut app.db.connect(), &dir).unwrap();
    assert_eq!(gone, 1);
    assert!(!dir.join(&sha).exists());
    let left: Vec<String> = passport_applications::table
        .select(passport_applications::number)
        .load(&mut app.db.connect())
        .unwrap();
    assert_eq!(left, std::slice::from_ref(&kept));
    let path = format!("/api/v1/passport-applications/{kept}");
    assert_eq!(
        send(&app, "GET", &path, Some(&kept_token), None).await.0,
        200
    );
}
