//! Branch operations against PostgreSQL: staff login (cookie and bearer token), who may do what,
//! check-in with the 10-minute rule, walk-ins, call-next under a race, the counter's actions, and
//! the board's events across two server instances.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::login;

use diesel::prelude::*;
use nobat_api::db::schema::{bookings, counter_services, counters, queue_entries, services, slots};
use serde_json::{json, Value};
use support::TestApp;

async fn seeded() -> TestApp {
    let app = support::spawn_app().await;
    nobat_api::seed::seed_demo(&mut app.db.connect()).unwrap();
    app
}

async fn operator(app: &TestApp) -> String {
    login(app, "operator.mary", "demo-operator-2026").await
}

/// A staff POST with the session cookie; status and JSON body (Null when empty).
async fn staff(app: &TestApp, session: &str, path: &str, body: Value) -> (u16, Value) {
    support::staff_request(app, session, "POST", path, Some(body)).await
}

/// A confirmed (free) booking at Mary whose slot is moved to start `minutes` from now.
async fn booking_starting_in(app: &TestApp, minutes: i64, passport: &str) -> String {
    booking_with_token(app, minutes, passport).await.0
}

/// The same, with the booking's manage token.
async fn booking_with_token(app: &TestApp, minutes: i64, passport: &str) -> (String, String) {
    let mut response = app
        .client
        .get(app.url("/api/v1/branches/mary/availability?service=reception"))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().limit(4 << 20).await.unwrap();
    let start = body["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "open")
        .flat_map(|d| d["slots"].as_array().unwrap().clone())
        .next()
        .unwrap()["start"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut response = app
        .client
        .post(app.url("/api/v1/bookings"))
        .send_json(&json!({"branch": "mary", "service": "reception", "start": start, "language": "tk",
            "applicant": {"surname": "Amanow", "given_name": "Merdan", "date_of_birth": "1990-05-17",
                "phone": "+993 65 123456",
                "passport": {"number": passport, "issued_on": "2020-03-01", "issued_by": "Mary", "expires_on": "2035-03-01"}}}))
        .await
        .unwrap();
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["status"], "confirmed", "{created}");
    let reference = created["reference"].as_str().unwrap().to_owned();
    let token = created["manage_token"].as_str().unwrap().to_owned();
    // A fresh slot row per booking, moved to the wanted time.
    let slot: i64 = bookings::table
        .filter(bookings::reference.eq(&reference))
        .select(bookings::slot_id)
        .first(&mut app.db.connect())
        .unwrap();
    let at = chrono::Utc::now() + chrono::Duration::minutes(minutes);
    diesel::update(slots::table.filter(slots::id.eq(slot)))
        .set((
            slots::starts_at.eq(at),
            slots::ends_at.eq(at + chrono::Duration::minutes(15)),
        ))
        .execute(&mut app.db.connect())
        .unwrap();
    (reference, token)
}

#[actix_rt::test]
async fn login_sessions_and_tokens() {
    let app = seeded().await;
    let wrong = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .send_json(&json!({"username": "operator.mary", "password": "guess"}))
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    let session = operator(&app).await;
    let mut me = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            session.clone(),
        ))
        .send()
        .await
        .unwrap();
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["role"], "operator");
    assert_eq!(me["branches"], json!(["mary"]));

    // A bearer token works like the session, until it is revoked.
    let (status, token) = staff(
        &app,
        &session,
        "/api/v1/auth/tokens",
        json!({"name": "bank", "days": 30}),
    )
    .await;
    assert_eq!(status, 201, "{token}");
    let bearer = format!("Bearer {}", token["token"].as_str().unwrap());
    let with_token = |path: &'static str| {
        let (client, url, bearer) = (app.client.clone(), app.url(path), bearer.clone());
        async move {
            client
                .get(url)
                .insert_header(("authorization", bearer))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(with_token("/api/v1/staff/branches/mary/queue").await, 200);
    let revoked = app
        .client
        .delete(app.url(&format!(
            "/api/v1/auth/tokens/{}",
            token["id"].as_str().unwrap()
        )))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            session.clone(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status().as_u16(), 204);
    assert_eq!(with_token("/api/v1/staff/branches/mary/queue").await, 401);

    // Logging out ends the session everywhere.
    assert_eq!(
        staff(&app, &session, "/api/v1/auth/logout", json!({}))
            .await
            .0,
        204
    );
    assert_eq!(
        staff(
            &app,
            &session,
            "/api/v1/staff/branches/mary/walk-ins",
            json!({"service": "reception"})
        )
        .await
        .0,
        401
    );
}

#[actix_rt::test]
async fn login_attempts_are_limited_per_account() {
    let app = seeded().await;
    let mut statuses = Vec::new();
    for _ in 0..11 {
        let response = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .send_json(&json!({"username": "head.mary", "password": "wrong-password"}))
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    assert_eq!(&statuses[..10], &[401; 10]);
    assert_eq!(statuses[10], 429);
}

#[actix_rt::test]
async fn every_staff_endpoint_refuses_strangers_and_other_branches() {
    let app = seeded().await;
    // An operator of another branch, and the editor.
    let hash = nobat_api::auth::hash_password("other-operator-pass-1").unwrap();
    nobat_api::db::staff::ensure_account(
        &mut app.db.connect(),
        "operator.dashoguz",
        "Other",
        &hash,
        nobat_domain::staff::Role::Operator,
        false,
        &["dashoguz"],
    )
    .unwrap();
    let other = login(&app, "operator.dashoguz", "other-operator-pass-1").await;
    let editor = login(&app, "editor", "demo-editor-2026").await;
    // Every staff endpoint of the published API, with the example body of its schema.
    let spec: Value = serde_json::from_str(&nobat_api::openapi::api_doc_json()).unwrap();
    let schemas = &spec["components"]["schemas"];
    let mut checked = 0;
    for (path, operations) in spec["paths"].as_object().unwrap() {
        // Content is the editors' (their table is in tests/media.rs).
        if !path.starts_with("/api/v1/staff/") || path.starts_with("/api/v1/staff/media") {
            continue;
        }
        for (method, operation) in operations.as_object().unwrap() {
            let concrete = path
                .replace("{code}", "mary")
                .replace("{number}", "1")
                .replace(
                    "{action}",
                    if path.contains("/queue/") {
                        "served"
                    } else {
                        "open"
                    },
                )
                .replace("{id}", "1")
                .replace("{username}", "operator.mary")
                .replace("{effective_from}", "2027-01-04");
            let query = match operation["operationId"].as_str().unwrap() {
                "branch_report" => "?from=2026-12-01&to=2026-12-07",
                "preview_closure" => {
                    "?starts_at=2026-12-01T00:00:00%2B05:00&ends_at=2026-12-02T00:00:00%2B05:00"
                }
                _ => "",
            };
            let body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .map(|r| schemas[r.rsplit('/').next().unwrap()]["example"].clone())
                .unwrap_or(json!({}));
            assert!(
                !body.is_null(),
                "{method} {path}: its request schema has no example"
            );
            // Applications belong to the branch that collects them: an operator elsewhere
            // lists only their own (none here) and finds no application "1" (the 403 for
            // another branch's application is in tests/applications.rs).
            let other_branch = match operation["operationId"].as_str().unwrap() {
                "list_applications" => 200,
                op if op.contains("application") => 404,
                _ => 403,
            };
            for (who, session, expected) in [
                ("nobody", None, 401),
                ("other branch", Some(&other), other_branch),
                ("editor", Some(&editor), 403),
            ] {
                let url = app.url(&format!("{concrete}{query}"));
                let mut request = match method.as_str() {
                    "get" => app.client.get(url),
                    "post" => app.client.post(url),
                    "put" => app.client.put(url),
                    "patch" => app.client.patch(url),
                    "delete" => app.client.delete(url),
                    other => panic!("unexpected method {other}"),
                };
                if let Some(session) = session {
                    request = request.cookie(actix_web::cookie::Cookie::new(
                        "nobat_session",
                        session.clone(),
                    ));
                }
                let mut response = request.send_json(&body).await.unwrap();
                assert_eq!(
                    response.status().as_u16(),
                    expected,
                    "{who}: {method} {concrete}{query}"
                );
                if expected == 200 {
                    continue;
                }
                let problem: Value = response.json().await.unwrap();
                assert!(problem["type"]
                    .as_str()
                    .unwrap()
                    .starts_with("urn:nobat:problem:"));
            }
            checked += 1;
        }
    }
    assert!(checked >= 18, "only {checked} staff endpoints found");
    for path in [
        "/api/v1/auth/me",
        "/api/v1/auth/logout",
        "/api/v1/auth/tokens",
        "/api/v1/auth/password",
    ] {
        let response = app
            .client
            .post(app.url(path))
            .send_json(&json!({"name": "x"}))
            .await
            .unwrap();
        assert!(matches!(response.status().as_u16(), 401 | 405), "{path}");
    }
}

#[actix_rt::test]
async fn check_in_opens_an_hour_before_and_closes_at_the_start() {
    let app = seeded().await;
    let session = operator(&app).await;
    let check_in = |reference: String, extra: Value| {
        let app = &app;
        let session = session.clone();
        async move {
            let mut body = json!({"reference": reference});
            if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
                b.extend(e.clone());
            }
            staff(app, &session, "/api/v1/staff/branches/mary/check-ins", body).await
        }
    };
    // Too early: two hours ahead.
    let early = booking_starting_in(&app, 120, "A1000001").await;
    let (status, body) = check_in(early, json!({})).await;
    assert_eq!(
        (status, body["type"].as_str().unwrap()),
        (409, "urn:nobat:problem:too-early")
    );

    // In the window: a number for the day.
    let ok = booking_starting_in(&app, 30, "A1000002").await;
    let (status, entry) = check_in(ok.clone(), json!({})).await;
    assert_eq!(status, 201, "{entry}");
    assert_eq!(entry["number"], "R-001");
    assert_eq!(entry["status"], "waiting");
    let (status, again) = check_in(ok, json!({})).await;
    assert_eq!(
        (status, again["type"].as_str().unwrap()),
        (409, "urn:nobat:problem:already-checked-in")
    );

    // Late: the booking is lost and the citizen must book again (in the request's language).
    let late = booking_starting_in(&app, -1, "A1000003").await;
    let (status, body) = check_in(late.clone(), json!({})).await;
    assert_eq!(
        (status, body["type"].as_str().unwrap()),
        (409, "urn:nobat:problem:late"),
        "{body}"
    );
    let missed: String = bookings::table
        .filter(bookings::reference.eq(&late))
        .select(bookings::status)
        .first(&mut app.db.connect())
        .unwrap();
    assert_eq!(missed, "missed");
    // An operator may not override; a branch head may, with a reason, and it is audited.
    let late2 = booking_starting_in(&app, -1, "A1000004").await;
    let (status, _) = check_in(
        late2.clone(),
        json!({"override_reason": "The bus from Baýramaly broke down"}),
    )
    .await;
    assert_eq!(status, 403);
    let head = login(&app, "head.mary", "demo-head-2026").await;
    let (status, entry) = staff(
        &app,
        &head,
        "/api/v1/staff/branches/mary/check-ins",
        json!({"reference": late2, "override_reason": "The bus from Baýramaly broke down"}),
    )
    .await;
    assert_eq!(status, 201, "{entry}");
    // A booking already marked missed can be overridden too.
    let (status, entry) = staff(
        &app,
        &head,
        "/api/v1/staff/branches/mary/check-ins",
        json!({"reference": late, "override_reason": "Waited at the wrong entrance, staff confirm"}),
    )
    .await;
    assert_eq!(status, 201, "{entry}");
    let audited: i64 = nobat_api::db::schema::audit_log::table
        .filter(nobat_api::db::schema::audit_log::action.eq("late_check_in_override"))
        .count()
        .get_result(&mut app.db.connect())
        .unwrap();
    assert_eq!(audited, 2);
}

/// Counter numbers at Mary that serve a service.
fn counters_for(app: &TestApp, service: &str) -> Vec<i16> {
    counters::table
        .inner_join(counter_services::table.inner_join(services::table))
        .inner_join(nobat_api::db::schema::branches::table)
        .filter(nobat_api::db::schema::branches::code.eq("mary"))
        .filter(services::code.eq(service))
        .select(counters::number)
        .order(counters::number)
        .load(&mut app.db.connect())
        .unwrap()
}

#[actix_rt::test]
async fn two_operators_calling_at_once_never_get_the_same_citizen() {
    let app = seeded().await;
    let session = operator(&app).await;
    let counters = counters_for(&app, "passport-international");
    assert!(counters.len() >= 2, "{counters:?}");
    // Closed counters call nobody.
    let (status, body) = staff(
        &app,
        &session,
        &format!(
            "/api/v1/staff/branches/mary/counters/{}/call-next",
            counters[0]
        ),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, body["type"].as_str().unwrap()),
        (409, "urn:nobat:problem:counter-closed")
    );
    for c in &counters[..2] {
        let (status, _) = staff(
            &app,
            &session,
            &format!("/api/v1/staff/branches/mary/counters/{c}/open"),
            json!({}),
        )
        .await;
        assert_eq!(status, 200);
    }
    for i in 0..100 {
        let priority = if i == 57 {
            json!("elderly")
        } else {
            Value::Null
        };
        let (status, _) = staff(
            &app,
            &session,
            "/api/v1/staff/branches/mary/walk-ins",
            json!({"service": "passport-international", "priority_reason": priority}),
        )
        .await;
        assert_eq!(status, 201);
    }
    // The elderly citizen goes first although they came 58th.
    let (_, first) = staff(
        &app,
        &session,
        &format!(
            "/api/v1/staff/branches/mary/counters/{}/call-next",
            counters[0]
        ),
        json!({}),
    )
    .await;
    assert_eq!(first["number"], "A-058");
    // Two counters race for the remaining 99, many calls at a time.
    let mut calls = Vec::new();
    for n in 0..99 {
        let path = format!(
            "/api/v1/staff/branches/mary/counters/{}/call-next",
            counters[n % 2]
        );
        let (app, session) = (&app, session.clone());
        calls.push(async move { staff(app, &session, &path, json!({})).await });
    }
    let answers = futures_util::future::join_all(calls).await;
    let mut numbers: Vec<String> = answers
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, 200, "{body}");
            body["number"].as_str().unwrap().to_owned()
        })
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 99, "nobody called twice");
    let (status, body) = staff(
        &app,
        &session,
        &format!(
            "/api/v1/staff/branches/mary/counters/{}/call-next",
            counters[1]
        ),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, body["type"].as_str().unwrap()),
        (409, "urn:nobat:problem:queue-empty")
    );
    let called: i64 = queue_entries::table
        .filter(queue_entries::status.eq("called"))
        .count()
        .get_result(&mut app.db.connect())
        .unwrap();
    assert_eq!(called, 100);
}

#[actix_rt::test]
async fn a_called_citizen_is_served_or_after_three_calls_a_no_show() {
    let app = seeded().await;
    let session = operator(&app).await;
    let counter = counters_for(&app, "reception")[0];
    staff(
        &app,
        &session,
        &format!("/api/v1/staff/branches/mary/counters/{counter}/open"),
        json!({}),
    )
    .await;
    let reference = booking_starting_in(&app, 20, "A2000001").await;
    staff(
        &app,
        &session,
        "/api/v1/staff/branches/mary/check-ins",
        json!({"reference": reference}),
    )
    .await;
    staff(
        &app,
        &session,
        "/api/v1/staff/branches/mary/walk-ins",
        json!({"service": "reception"}),
    )
    .await;
    // The walk-in came now, before the appointment 20 minutes ahead: the walk-in goes first.
    let (_, walk_in) = staff(
        &app,
        &session,
        &format!("/api/v1/staff/branches/mary/counters/{counter}/call-next"),
        json!({}),
    )
    .await;
    assert!(walk_in["reference"].is_null(), "{walk_in}");
    let (_, booked) = staff(
        &app,
        &session,
        &format!("/api/v1/staff/branches/mary/counters/{counter}/call-next"),
        json!({}),
    )
    .await;
    assert_eq!(booked["reference"], reference.as_str());
    let id = booked["id"].as_i64().unwrap();
    let (status, done) = staff(
        &app,
        &session,
        &format!("/api/v1/staff/branches/mary/queue/{id}/served"),
        json!({}),
    )
    .await;
    assert_eq!((status, done["status"].as_str().unwrap()), (200, "served"));
    let booking_status: String = bookings::table
        .filter(bookings::reference.eq(&reference))
        .select(bookings::status)
        .first(&mut app.db.connect())
        .unwrap();
    assert_eq!(booking_status, "served");

    let id = walk_in["id"].as_i64().unwrap();
    let path = |action: &str| format!("/api/v1/staff/branches/mary/queue/{id}/{action}");
    let (status, body) = staff(&app, &session, &path("no-show"), json!({})).await;
    assert_eq!(status, 409, "one call is not enough for a no-show: {body}");
    assert_eq!(
        staff(&app, &session, &path("recall"), json!({})).await.1["calls"],
        2
    );
    assert_eq!(
        staff(&app, &session, &path("recall"), json!({})).await.1["calls"],
        3
    );
    let (status, body) = staff(&app, &session, &path("no-show"), json!({})).await;
    assert_eq!((status, body["status"].as_str().unwrap()), (200, "no_show"));
    assert_eq!(
        staff(&app, &session, &path("served"), json!({})).await.0,
        409,
        "nothing after a no-show"
    );
}

#[actix_rt::test]
async fn a_call_on_one_instance_reaches_a_board_on_another() {
    let app = seeded().await;
    let other = support::start_instance(&app.db, std::path::Path::new("/nonexistent"));
    let session = operator(&app).await;
    let counter = counters_for(&app, "reception")[0];
    staff(
        &app,
        &session,
        &format!("/api/v1/staff/branches/mary/counters/{counter}/open"),
        json!({}),
    )
    .await;
    staff(
        &app,
        &session,
        "/api/v1/staff/branches/mary/walk-ins",
        json!({"service": "reception"}),
    )
    .await;

    // The board listens on the other instance.
    let mut events = awc::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .finish()
        .get(format!("{other}/api/v1/branches/mary/board/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(events.status().as_u16(), 200);
    assert_eq!(
        events.headers().get("content-type").unwrap(),
        "text/event-stream"
    );
    use futures_util::StreamExt;
    let hello = events.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&hello).contains("connected"));
    // Let the listener settle, then call on the first instance.
    actix_rt::time::sleep(std::time::Duration::from_millis(300)).await;
    let called_at = std::time::Instant::now();
    let (status, called) = staff(
        &app,
        &session,
        &format!("/api/v1/staff/branches/mary/counters/{counter}/call-next"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let mut text = String::new();
    while !text.contains("event: call") {
        let chunk = actix_rt::time::timeout(std::time::Duration::from_secs(5), events.next())
            .await
            .expect("the call reaches the board within seconds")
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(text.contains(called["number"].as_str().unwrap()), "{text}");
    assert!(called_at.elapsed() < std::time::Duration::from_secs(5));
    // The snapshot says the same, and nothing about the person.
    let mut board = app
        .client
        .get(app.url("/api/v1/branches/mary/board"))
        .send()
        .await
        .unwrap();
    let board: Value = board.json().await.unwrap();
    assert_eq!(board["now_serving"][0]["number"], called["number"]);
    assert!(!board.to_string().contains("reference"));
}

#[actix_rt::test]
async fn changing_a_password_ends_other_sessions_and_the_demo_flag() {
    let app = seeded().await;
    let first = operator(&app).await;
    let second = operator(&app).await;
    let (status, body) = staff(
        &app,
        &first,
        "/api/v1/auth/password",
        json!({"current_password": "demo-operator-2026", "new_password": "short"}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["errors"]["new_password"].is_string());
    let (status, _) = staff(
        &app,
        &first,
        "/api/v1/auth/password",
        json!({"current_password": "wrong", "new_password": "Bahar-2027-çaý-Mary"}),
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = staff(
        &app,
        &first,
        "/api/v1/auth/password",
        json!({"current_password": "demo-operator-2026", "new_password": "Bahar-2027-çaý-Mary"}),
    )
    .await;
    assert_eq!(status, 204);
    // This session goes on; the other one ended; the old password no longer works.
    assert_eq!(
        staff(
            &app,
            &first,
            "/api/v1/staff/branches/mary/walk-ins",
            json!({"service": "reception"})
        )
        .await
        .0,
        201
    );
    assert_eq!(
        staff(
            &app,
            &second,
            "/api/v1/staff/branches/mary/walk-ins",
            json!({"service": "reception"})
        )
        .await
        .0,
        401
    );
    let old = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .send_json(&json!({"username": "operator.mary", "password": "demo-operator-2026"}))
        .await
        .unwrap();
    assert_eq!(old.status().as_u16(), 401);
    login(&app, "operator.mary", "Bahar-2027-çaý-Mary").await;
    let left = nobat_api::db::staff::demo_passwords_left(&mut app.db.connect()).unwrap();
    assert!(!left.contains(&"operator.mary".to_owned()), "{left:?}");
}

#[actix_rt::test]
async fn the_citizen_sees_the_queue_and_heads_see_the_report() {
    let app = seeded().await;
    let session = operator(&app).await;
    let counter = counters_for(&app, "reception")[0];
    staff(
        &app,
        &session,
        &format!("/api/v1/staff/branches/mary/counters/{counter}/open"),
        json!({}),
    )
    .await;
    staff(
        &app,
        &session,
        "/api/v1/staff/branches/mary/walk-ins",
        json!({"service": "reception"}),
    )
    .await;
    let (reference, token) = booking_with_token(&app, 20, "A3000001").await;
    staff(
        &app,
        &session,
        "/api/v1/staff/branches/mary/check-ins",
        json!({"reference": reference}),
    )
    .await;
    let view = |app: &TestApp| {
        let (client, url, token) = (
            app.client.clone(),
            app.url(&format!("/api/v1/bookings/{reference}")),
            token.clone(),
        );
        async move {
            let mut response = client
                .get(url)
                .insert_header(("x-booking-token", token))
                .send()
                .await
                .unwrap();
            response.json::<Value>().await.unwrap()
        }
    };
    let booking = view(&app).await;
    assert_eq!(booking["status"], "checked_in");
    assert_eq!(booking["queue"]["number"], "R-002");
    assert_eq!(booking["queue"]["ahead"], 1, "{booking}");
    assert_eq!(
        booking["queue"]["estimated_wait_minutes"], 10,
        "one open counter, 10 minutes each until measured"
    );
    for _ in 0..2 {
        let (_, called) = staff(
            &app,
            &session,
            &format!("/api/v1/staff/branches/mary/counters/{counter}/call-next"),
            json!({}),
        )
        .await;
        let id = called["id"].as_i64().unwrap();
        staff(
            &app,
            &session,
            &format!("/api/v1/staff/branches/mary/queue/{id}/served"),
            json!({}),
        )
        .await;
    }
    assert_eq!(view(&app).await["queue"]["status"], "served");

    let today = nobat_domain::calendar::local_date(chrono::Utc::now());
    let path = format!("/api/v1/staff/branches/mary/reports?from={today}&to={today}");
    let operator_try = app
        .client
        .get(app.url(&path))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            session.clone(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        operator_try.status().as_u16(),
        403,
        "operators do not see reports"
    );
    let head = login(&app, "head.mary", "demo-head-2026").await;
    let mut response = app
        .client
        .get(app.url(&path))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            head.clone(),
        ))
        .send()
        .await
        .unwrap();
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["totals"]["served"], 1, "{report}");
    assert_eq!(report["totals"]["checked_in"], 1);
    assert_eq!(report["wait"]["count"], 2);
    assert_eq!(report["service"]["count"], 2);
    assert_eq!(report["counters"][0]["served"], 2);
    assert!(report["wait"]["p90_seconds"].as_f64().unwrap() >= 0.0);
    let mut csv = app
        .client
        .get(app.url(&format!("{path}&format=csv")))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            head.clone(),
        ))
        .send()
        .await
        .unwrap();
    let csv = String::from_utf8(csv.body().await.unwrap().to_vec()).unwrap();
    assert!(
        csv.starts_with("date,booked,paid,checked_in,missed,no_show,served,cancelled\n"),
        "{csv}"
    );
    assert!(csv.contains(&format!("{today},")), "{csv}");
    let bad = app
        .client
        .get(app.url("/api/v1/staff/branches/mary/reports?from=2026-12-31&to=2026-12-01"))
        .cookie(actix_web::cookie::Cookie::new("nobat_session", head))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 422);
}

#[actix_rt::test]
async fn heads_manage_their_operators_and_settings_admins_everything() {
    let app = seeded().await;
    let head = login(&app, "head.mary", "demo-head-2026").await;
    let create = |session: String, body: Value| {
        let app = &app;
        async move { staff(app, &session, "/api/v1/staff/accounts", body).await }
    };
    let operator = json!({"username": "maral", "display_name": "Maral", "role": "operator",
        "branches": ["mary"], "password": "Gök-Dere-2027-ýaz"});
    let (status, made) = create(head.clone(), operator.clone()).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["branches"], json!(["mary"]));
    assert_eq!(
        create(head.clone(), operator.clone()).await.0,
        409,
        "username taken"
    );
    let mut elsewhere = operator.clone();
    elsewhere["username"] = json!("maral2");
    elsewhere["branches"] = json!(["dashoguz"]);
    assert_eq!(
        create(head.clone(), elsewhere).await.0,
        403,
        "not the head's branch"
    );
    let mut head_role = operator.clone();
    head_role["username"] = json!("maral3");
    head_role["role"] = json!("branch_head");
    assert_eq!(
        create(head.clone(), head_role).await.0,
        403,
        "heads make operators only"
    );
    let mut weak = operator.clone();
    weak["username"] = json!("maral4");
    weak["password"] = json!("short");
    assert_eq!(create(head.clone(), weak).await.0, 422);
    login(&app, "maral", "Gök-Dere-2027-ýaz").await;

    // Disabling ends the account's access.
    let maral = login(&app, "maral", "Gök-Dere-2027-ýaz").await;
    let mut response = app
        .client
        .patch(app.url("/api/v1/staff/accounts/maral"))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            head.clone(),
        ))
        .send_json(&json!({"active": false}))
        .await
        .unwrap();
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["active"], false, "{changed}");
    assert_eq!(
        staff(
            &app,
            &maral,
            "/api/v1/staff/branches/mary/walk-ins",
            json!({"service": "reception"})
        )
        .await
        .0,
        401
    );
    let listed = app
        .client
        .get(app.url("/api/v1/staff/accounts"))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            head.clone(),
        ))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"maral") && names.contains(&"operator.mary"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"admin"),
        "a head sees the accounts of their branches only"
    );

    // Booking settings, audited with before and after.
    let mut response = app
        .client
        .patch(app.url("/api/v1/staff/branches/mary/settings"))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            head.clone(),
        ))
        .send_json(&json!({"days_ahead": 14, "release_time": "07:30"}))
        .await
        .unwrap();
    let settings: Value = response.json().await.unwrap();
    assert_eq!(
        (
            settings["days_ahead"].as_i64(),
            settings["release_time"].as_str()
        ),
        (Some(14), Some("07:30:00"))
    );
    let bad = app
        .client
        .patch(app.url("/api/v1/staff/branches/mary/settings"))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            head.clone(),
        ))
        .send_json(&json!({"days_ahead": 0, "release_time": "25:00"}))
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 422);
    let other = app
        .client
        .patch(app.url("/api/v1/staff/branches/dashoguz/settings"))
        .cookie(actix_web::cookie::Cookie::new("nobat_session", head))
        .send_json(&json!({"days_ahead": 10}))
        .await
        .unwrap();
    assert_eq!(other.status().as_u16(), 403);
    let (before, after): (Value, Value) = nobat_api::db::schema::audit_log::table
        .filter(nobat_api::db::schema::audit_log::action.eq("change_branch_settings"))
        .select((
            nobat_api::db::schema::audit_log::before,
            nobat_api::db::schema::audit_log::after,
        ))
        .first(&mut app.db.connect())
        .unwrap();
    assert_eq!(
        (before["days_ahead"].as_i64(), after["days_ahead"].as_i64()),
        (Some(30), Some(14))
    );

    // The admin may make a branch head anywhere.
    let admin = login(&app, "admin", "demo-admin-2026").await;
    let (status, _) = create(
        admin,
        json!({"username": "head.dashoguz", "display_name": "Head", "role": "branch_head",
        "branches": ["dashoguz"], "password": "Daşoguz-Gala-2027"}),
    )
    .await;
    assert_eq!(status, 201);
}

/// The days of Mary's passport availability: date → (status, capacity of the first slot).
async fn mary_days(app: &TestApp) -> Vec<(String, String, u64)> {
    let mut response = app
        .client
        .get(app.url("/api/v1/branches/mary/availability?service=passport-international"))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().limit(4 << 20).await.unwrap();
    body["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap().to_owned(),
                d["status"].as_str().unwrap().to_owned(),
                d["slots"][0]["capacity"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[actix_rt::test]
async fn holidays_plans_and_counters_shape_availability() {
    let app = seeded().await;
    let admin = login(&app, "admin", "demo-admin-2026").await;
    let head = login(&app, "head.mary", "demo-head-2026").await;
    let days = mary_days(&app).await;
    let (open_day, _, capacity) = days.iter().find(|d| d.1 == "open").unwrap().clone();

    // A decreed day off closes the day; removing it opens it again.
    let (status, _) = staff(&app, &head, "/api/v1/staff/holidays",
        json!({"date": open_day, "kind": "extra", "name": {"tk": "Dynç güni", "ru": "Выходной", "en": "Day off"}})).await;
    assert_eq!(status, 403, "admins only");
    let (status, id) = staff(&app, &admin, "/api/v1/staff/holidays",
        json!({"date": open_day, "kind": "extra", "name": {"tk": "Dynç güni", "ru": "Выходной", "en": "Day off"}})).await;
    assert_eq!(status, 201, "{id}");
    let closed = mary_days(&app)
        .await
        .into_iter()
        .find(|d| d.0 == open_day)
        .unwrap();
    assert_eq!(closed.1, "closed");
    let removed = app
        .client
        .delete(app.url(&format!("/api/v1/staff/holidays/{id}")))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            admin.clone(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status().as_u16(), 204);
    assert_eq!(
        mary_days(&app)
            .await
            .into_iter()
            .find(|d| d.0 == open_day)
            .unwrap()
            .1,
        "open"
    );

    // One more passport counter adds a seat to every slot (unless the hall caps it).
    let (status, body) = staff(
        &app,
        &head,
        "/api/v1/staff/branches/mary/counters",
        json!({"number": 20, "services": ["passport-international"]}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        staff(
            &app,
            &head,
            "/api/v1/staff/branches/mary/counters",
            json!({"number": 20, "services": ["passport-international"]})
        )
        .await
        .0,
        409
    );
    let after = mary_days(&app)
        .await
        .into_iter()
        .find(|d| d.0 == open_day)
        .unwrap();
    assert_eq!(after.2, capacity + 1, "{after:?}");
    let taken_out = app
        .client
        .patch(app.url("/api/v1/staff/branches/mary/counters/20"))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            head.clone(),
        ))
        .send_json(&json!({"active": false}))
        .await
        .unwrap();
    assert_eq!(taken_out.status().as_u16(), 204);
    assert_eq!(
        mary_days(&app)
            .await
            .into_iter()
            .find(|d| d.0 == open_day)
            .unwrap()
            .2,
        capacity
    );

    // A plan from the open day on with Mondays only.
    let date = chrono::NaiveDate::parse_from_str(&open_day, "%Y-%m-%d").unwrap();
    let put = |body: Value| {
        let request = app
            .client
            .put(app.url(&format!(
                "/api/v1/staff/branches/mary/opening-plans/{open_day}"
            )))
            .cookie(actix_web::cookie::Cookie::new(
                "nobat_session",
                head.clone(),
            ));
        async move {
            let mut response = request.send_json(&body).await.unwrap();
            let status = response.status().as_u16();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let (status, body) = put(
        json!({"days": [{"weekday": 1, "opens": "09:00", "closes": "18:00",
        "breaks": [{"starts": "08:00", "ends": "09:30"}]}]}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["errors"]["days[0]"]
            .as_str()
            .unwrap()
            .contains("outside"),
        "{body}"
    );
    let (status, _) =
        put(json!({"days": [{"weekday": 1, "opens": "09:00", "closes": "12:00"}]})).await;
    assert_eq!(status, 204);
    use chrono::Datelike;
    for (day, status, _) in mary_days(&app).await {
        let d = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap();
        if d >= date && d.weekday() != chrono::Weekday::Mon {
            assert_ne!(status, "open", "{day} should be closed by the new plan");
        }
    }
    let operator = operator(&app).await;
    assert_eq!(
        staff(
            &app,
            &operator,
            "/api/v1/staff/branches/mary/counters",
            json!({"number": 21, "services": ["reception"]})
        )
        .await
        .0,
        403
    );
}

#[actix_rt::test]
async fn admins_open_branches_and_services_and_heads_tune_their_queue() {
    let app = seeded().await;
    let admin = login(&app, "admin", "demo-admin-2026").await;
    let head = login(&app, "head.mary", "demo-head-2026").await;
    let send = |session: &str, method: &'static str, path: &str, body: Option<Value>| {
        let (app, session, path) = (&app, session.to_owned(), path.to_owned());
        async move { support::staff_request(app, &session, method, &path, body).await }
    };

    // A service: every bad field named at once, then made, then a duplicate refused.
    let (status, problem) = send(&admin, "POST", "/api/v1/staff/services", Some(json!({
        "code": "Bad Code", "name": {"tk": "", "ru": "", "en": ""}, "description": {"tk": "", "ru": "", "en": ""},
        "duration_minutes": 1, "fee_minor": -5, "exemptions": ["nobody"], "queue_prefix": "ab"})))
    .await;
    assert_eq!(status, 422, "{problem}");
    for field in [
        "code",
        "name.tk",
        "name.en",
        "description.tk",
        "duration_minutes",
        "fee_minor",
        "exemptions",
        "queue_prefix",
    ] {
        assert!(problem["errors"][field].is_string(), "{field}: {problem}");
    }
    let service = json!({
        "code": "residence-permit",
        "name": {"tk": "Ýaşamaga ygtyýarnama", "ru": "Вид на жительство", "en": "Residence permit"},
        "description": {"tk": "Daşary ýurtlulara.", "ru": "Для иностранцев.", "en": "For foreigners."},
        "documents": {"tk": ["Pasport"], "ru": ["Паспорт"], "en": ["Passport"]},
        "duration_minutes": 30, "fee_minor": 12000, "exemptions": [], "queue_prefix": "Y"});
    let (status, made) = send(
        &admin,
        "POST",
        "/api/v1/staff/services",
        Some(service.clone()),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["fee"]["amount_minor"], 12000);
    assert_eq!(made["active"], true);
    assert_eq!(
        send(
            &admin,
            "POST",
            "/api/v1/staff/services",
            Some(service.clone())
        )
        .await
        .0,
        409
    );
    assert_eq!(
        send(&head, "POST", "/api/v1/staff/services", Some(service))
            .await
            .0,
        403
    );
    let (status, changed) = send(
        &admin,
        "PATCH",
        "/api/v1/staff/services/residence-permit",
        Some(json!({"fee_minor": 15000, "active": false})),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (
            changed["fee"]["amount_minor"].as_i64(),
            changed["active"].as_bool()
        ),
        (Some(15000), Some(false))
    );
    let (_, all) = send(&admin, "GET", "/api/v1/staff/services", None).await;
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["code"] == "residence-permit" && s["active"] == false));

    // A branch: made by an admin, public at once, bookable once it has a counter and a plan.
    let branch = json!({"code": "mary-2", "region": "mary",
        "name": {"tk": "Mary № 2", "ru": "Мары № 2", "en": "Mary No. 2"},
        "address": {"tk": "Mary, Gurbansoltan eje şaýoly 5", "ru": "", "en": ""},
        "phone": "+993 522 61234", "location": {"latitude": 37.6, "longitude": 61.83}});
    assert_eq!(
        send(
            &head,
            "POST",
            "/api/v1/staff/branches",
            Some(branch.clone())
        )
        .await
        .0,
        403
    );
    let (status, made) = send(
        &admin,
        "POST",
        "/api/v1/staff/branches",
        Some(branch.clone()),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["services"], json!([]));
    assert_eq!(
        send(&admin, "POST", "/api/v1/staff/branches", Some(branch))
            .await
            .0,
        409
    );
    let (status, _) = send(
        &admin,
        "POST",
        "/api/v1/staff/branches/mary-2/counters",
        Some(json!({"number": 1, "services": ["reception"]})),
    )
    .await;
    assert_eq!(status, 201);
    let weekdays: Vec<Value> = (1..=5)
        .map(|d| json!({"weekday": d, "opens": "09:00", "closes": "13:00"}))
        .collect();
    let (status, _) = send(
        &admin,
        "PUT",
        "/api/v1/staff/branches/mary-2/opening-plans/2026-01-01",
        Some(json!({"days": weekdays})),
    )
    .await;
    assert_eq!(status, 204);
    let mut response = app
        .client
        .get(app.url("/api/v1/branches/mary-2/availability?service=reception"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let days: Value = response.json().limit(4 << 20).await.unwrap();
    assert!(
        days["days"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["status"] == "open"),
        "{days}"
    );
    let (_, plans) = send(
        &admin,
        "GET",
        "/api/v1/staff/branches/mary-2/opening-plans",
        None,
    )
    .await;
    assert_eq!(plans[0]["effective_from"], "2026-01-01");
    assert_eq!(plans[0]["days"].as_array().unwrap().len(), 5);

    // A head edits their own branch's phone, but not another's, nor whether it is open.
    let (status, mary) = send(
        &head,
        "PATCH",
        "/api/v1/staff/branches/mary",
        Some(json!({"phone": "+993 522 60000"})),
    )
    .await;
    assert_eq!(status, 200, "{mary}");
    assert_eq!(mary["phone"], "+993 522 60000");
    assert_eq!(
        send(
            &head,
            "PATCH",
            "/api/v1/staff/branches/dashoguz",
            Some(json!({"phone": "+993 322 60000"}))
        )
        .await
        .0,
        403
    );
    assert_eq!(
        send(
            &head,
            "PATCH",
            "/api/v1/staff/branches/mary",
            Some(json!({"active": false}))
        )
        .await
        .0,
        403
    );
    let (status, _) = send(
        &admin,
        "PATCH",
        "/api/v1/staff/branches/mary-2",
        Some(json!({"active": false})),
    )
    .await;
    assert_eq!(status, 200);
    let response = app
        .client
        .get(app.url("/api/v1/branches/mary-2"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        404,
        "a closed branch is gone for citizens"
    );

    // Queue rules: check-in opens 30 minutes ahead now, so 45 minutes ahead is too early.
    let (status, settings) = send(
        &head,
        "PATCH",
        "/api/v1/staff/branches/mary/settings",
        Some(json!({"checkin_opens_minutes": 30, "max_calls": 1})),
    )
    .await;
    assert_eq!(status, 200, "{settings}");
    let (_, read) = send(&head, "GET", "/api/v1/staff/branches/mary/settings", None).await;
    assert_eq!(
        (
            read["checkin_opens_minutes"].as_i64(),
            read["max_calls"].as_i64()
        ),
        (Some(30), Some(1))
    );
    let (status, problem) = send(
        &head,
        "PATCH",
        "/api/v1/staff/branches/mary/settings",
        Some(json!({"checkin_opens_minutes": 2, "max_calls": 11})),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        problem["errors"]["checkin_opens_minutes"].is_string()
            && problem["errors"]["max_calls"].is_string()
    );
    let early = booking_starting_in(&app, 45, "A2000001").await;
    let (status, body) = staff(
        &app,
        &head,
        "/api/v1/staff/branches/mary/check-ins",
        json!({"reference": early}),
    )
    .await;
    assert_eq!(
        (status, body["type"].as_str().unwrap()),
        (409, "urn:nobat:problem:too-early"),
        "{body}"
    );
    let soon = booking_starting_in(&app, 20, "A2000002").await;
    let (status, entry) = staff(
        &app,
        &head,
        "/api/v1/staff/branches/mary/check-ins",
        json!({"reference": soon}),
    )
    .await;
    assert_eq!(status, 201, "{entry}");
    // One call is now enough before a no-show.
    let counter = counters_for(&app, "reception")[0];
    let (status, _) = staff(
        &app,
        &head,
        &format!("/api/v1/staff/branches/mary/counters/{counter}/open"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, called) = staff(
        &app,
        &head,
        &format!("/api/v1/staff/branches/mary/counters/{counter}/call-next"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{called}");
    let id = called["id"].as_i64().unwrap();
    let (status, body) = staff(
        &app,
        &head,
        &format!("/api/v1/staff/branches/mary/queue/{id}/no-show"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "no_show");

    // Every change is in the audit log.
    let actions: Vec<String> = nobat_api::db::schema::audit_log::table
        .select(nobat_api::db::schema::audit_log::action)
        .load(&mut app.db.connect())
        .unwrap();
    for action in [
        "create_service",
        "change_service",
        "create_branch",
        "change_branch",
        "change_branch_settings",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} not audited: {actions:?}"
        );
    }
}

/// Admins list every branch, those taken out of service included (the public list has only
/// those in service, so the console could not show a closed branch to put it back).
#[actix_rt::test]
async fn admins_list_branches_out_of_service_too() {
    let app = seeded().await;
    let admin = login(&app, "admin", "demo-admin-2026").await;
    let head = login(&app, "head.mary", "demo-head-2026").await;
    let (status, changed) = support::staff_request(
        &app,
        &admin,
        "PATCH",
        "/api/v1/staff/branches/lebap",
        Some(json!({"active": false})),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    let (status, all) =
        support::staff_request(&app, &admin, "GET", "/api/v1/staff/branches", None).await;
    assert_eq!(status, 200, "{all}");
    let all = all.as_array().unwrap();
    let public = app
        .client
        .get(app.url("/api/v1/branches?per_page=100"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(
        all.len() as u64,
        public["total"].as_u64().unwrap() + 1,
        "every public branch and the closed one"
    );
    let lebap = all.iter().find(|b| b["code"] == "lebap").unwrap();
    assert_eq!(lebap["active"], false);
    assert!(lebap["name"]["tk"].is_string() && lebap["services"].is_array());
    assert!(all
        .iter()
        .filter(|b| b["code"] != "lebap")
        .all(|b| b["active"] == true));
    let codes: Vec<&str> = all.iter().map(|b| b["code"].as_str().unwrap()).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(codes, sorted, "by code");
    assert_eq!(
        support::staff_request(&app, &head, "GET", "/api/v1/staff/branches", None)
            .await
            .0,
        403
    );
    let anonymous = app
        .client
        .get(app.url("/api/v1/staff/branches"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
}
