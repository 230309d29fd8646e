//! The public catalog against PostgreSQL with the demo data: branches, services, holidays and
//! availability, every filter and every error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{Datelike, Days, NaiveDate, Utc, Weekday};
use diesel::prelude::*;
use nobat_domain::calendar::local_date;
use serde_json::Value;
use support::TestApp;

async fn seeded_app() -> TestApp {
    let app = support::spawn_app().await;
    nobat_api::seed::seed_demo(&mut app.db.connect()).unwrap();
    app
}

async fn get(app: &TestApp, path: &str) -> (u16, Value) {
    let mut response = app.client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    let body = response
        .json::<Value>()
        .limit(8 * 1024 * 1024)
        .await
        .unwrap();
    (status, body)
}

fn today() -> NaiveDate {
    local_date(Utc::now())
}

/// The first date on or after `from` that falls on `weekday`.
fn next(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let mut d = from;
    while d.weekday() != weekday {
        d = d.succ_opt().unwrap();
    }
    d
}

fn codes(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["code"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_rt::test]
async fn branches_list_filters_and_pages() {
    let app = seeded_app().await;
    let (status, all) = get(&app, "/api/v1/branches?per_page=100").await;
    assert_eq!(status, 200);
    assert_eq!(all["total"], 12);
    let order = codes(&all);
    assert_eq!(&order[..2], ["central", "ashgabat-city"], "{order:?}");

    let (_, dashoguz) = get(&app, "/api/v1/branches?region=dashoguz").await;
    assert_eq!(codes(&dashoguz), ["dashoguz"]);
    let branch = &dashoguz["items"][0];
    assert_eq!(branch["name"]["tk"], "Daşoguz welaýat migrasiýa bölümi");
    assert_eq!(branch["region_name"]["tk"], "Daşoguz welaýaty");

    let (_, reception) = get(&app, "/api/v1/branches?service=reception&per_page=100").await;
    assert_eq!(reception["total"], 8, "district offices have no reception");
    assert!(!codes(&reception).contains(&"sarahs".to_owned()));

    let q = |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    let (_, found) = get(&app, &format!("/api/v1/branches?q={}", q("ýaşlyk"))).await;
    assert_eq!(codes(&found), ["mary"]);
    assert_eq!(
        found["items"][0]["address"]["tk"],
        "Mary ş., Ýaşlyk köçesi, 5"
    );
    let (_, found) = get(&app, &format!("/api/v1/branches?q={}", q("TÜRKMENABAT"))).await;
    assert_eq!(codes(&found), ["lebap"]);

    let (_, page3) = get(&app, "/api/v1/branches?per_page=5&page=3").await;
    assert_eq!(
        (page3["page"].as_u64(), page3["total"].as_u64()),
        (Some(3), Some(12))
    );
    assert_eq!(codes(&page3).len(), 2);
    assert_eq!(codes(&page3), order[10..12]);
}

#[actix_rt::test]
async fn branches_list_rejects_bad_parameters_by_name() {
    let app = seeded_app().await;
    let (status, body) = get(
        &app,
        "/api/v1/branches?region=moscow&per_page=0&service=Bad!",
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["type"], "urn:nobat:problem:validation");
    for field in ["region", "per_page", "service"] {
        assert!(body["errors"][field].is_string(), "{field}: {body}");
    }
}

#[actix_rt::test]
async fn a_branch_shows_its_services_hours_and_settings() {
    let app = seeded_app().await;
    let (status, branch) = get(&app, "/api/v1/branches/ashgabat-city").await;
    assert_eq!(status, 200);
    assert_eq!(
        branch["services"],
        serde_json::json!(["passport-international", "reception", "passport-pickup"])
    );
    let hours = branch["opening_hours"].as_array().unwrap();
    assert_eq!(hours.len(), 6, "Monday to Saturday");
    assert_eq!(hours[0]["breaks"][0]["starts"], "13:00");
    assert_eq!(hours[5]["closes"], "13:00");
    assert_eq!(branch["booking"]["days_ahead"], 30);
    let (_, central) = get(&app, "/api/v1/branches/central").await;
    assert_eq!(central["booking"]["hall_capacity"], 3);

    let (status, problem) = get(&app, "/api/v1/branches/atlantis").await;
    assert_eq!(status, 404);
    assert!(problem["detail"].as_str().unwrap().contains("atlantis"));
}

#[actix_rt::test]
async fn services_carry_fee_duration_exemptions_and_documents() {
    let app = seeded_app().await;
    let (_, list) = get(&app, "/api/v1/services").await;
    assert_eq!(
        codes(&list),
        ["passport-international", "reception", "passport-pickup"]
    );
    let (status, passport) = get(&app, "/api/v1/services/passport-international").await;
    assert_eq!(status, 200);
    assert_eq!(
        passport["fee"],
        serde_json::json!({"amount_minor": 6000, "currency": "TMT"})
    );
    assert_eq!(passport["duration_minutes"], 30);
    assert_eq!(
        passport["exemptions"],
        serde_json::json!(["child_under_16"])
    );
    for language in ["tk", "ru", "en"] {
        assert!(passport["documents"][language].as_array().unwrap().len() >= 3);
    }
    let (_, reception) = get(&app, "/api/v1/services/reception").await;
    assert_eq!(reception["duration_minutes"], 15);
    assert_eq!(reception["fee"]["amount_minor"], 0);
    let (status, _) = get(&app, "/api/v1/services/visa").await;
    assert_eq!(status, 404);
}

#[actix_rt::test]
async fn holidays_apply_the_sunday_rule_and_mark_provisional_dates() {
    let app = seeded_app().await;
    let (status, body) = get(&app, "/api/v1/holidays?year=2026").await;
    assert_eq!(status, 200);
    let items = body["items"].as_array().unwrap();
    let on = |d: &str| items.iter().filter(|h| h["date"] == d).collect::<Vec<_>>();
    // 8 March 2026 is a Sunday: Monday 9 March is off in its place (computed).
    assert_eq!(on("2026-03-09")[0]["kind"], "transfer");
    assert_eq!(on("2026-03-09")[0]["transferred_from"], "2026-03-08");
    // Decreed: 22 March moved to 23 March; 27 September to 28 September, and nothing more.
    assert_eq!(on("2026-03-23")[0]["transferred_from"], "2026-03-22");
    assert_eq!(on("2026-09-28")[0]["transferred_from"], "2026-09-27");
    assert!(on("2026-09-29").is_empty());
    // 12 December 2026 is a Saturday: it does not move.
    assert_eq!(on("2026-12-12")[0]["name"]["tk"], "Halkara Bitaraplyk güni");
    assert!(on("2026-12-14").is_empty());
    assert_eq!(on("2026-05-28")[0]["name"]["tk"], "Gurban baýramy");
    assert_eq!(on("2026-03-20")[0]["provisional"], false);

    let (_, next_year) = get(&app, "/api/v1/holidays?year=2027").await;
    let items = next_year["items"].as_array().unwrap();
    let oraza = items
        .iter()
        .find(|h| h["name"]["en"].as_str().unwrap().starts_with("Oraza"))
        .unwrap();
    assert_eq!(oraza["provisional"], true);
    // 2027: Nowruz 21 March is a Sunday and 22 March a holiday too: 23 March is off.
    assert!(items
        .iter()
        .any(|h| h["date"] == "2027-03-23" && h["kind"] == "transfer"));

    let (status, problem) = get(&app, "/api/v1/holidays?year=20x6").await;
    assert_eq!(status, 422);
    assert!(problem["errors"]["year"].is_string());
}

#[actix_rt::test]
async fn catalog_responses_revalidate_with_etags() {
    let app = seeded_app().await;
    for path in [
        "/api/v1/branches",
        "/api/v1/services/reception",
        "/api/v1/holidays?year=2026",
        "/api/v1/branches/mary/availability?service=passport-international",
    ] {
        let first = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(first.status().as_u16(), 200, "{path}");
        let etag = first.headers().get("etag").unwrap().clone();
        assert!(first.headers().get("cache-control").is_some());
        let second = app
            .client
            .get(app.url(path))
            .insert_header(("if-none-match", etag.clone()))
            .send()
            .await
            .unwrap();
        assert_eq!(second.status().as_u16(), 304, "{path}");
        assert_eq!(second.headers().get("etag").unwrap(), &etag);
    }
}

fn day(body: &Value, date: NaiveDate) -> &Value {
    body["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == date.to_string())
        .unwrap_or_else(|| panic!("{date} missing"))
}

#[actix_rt::test]
async fn availability_shows_weekends_window_capacity_and_plus_five_instants() {
    let app = seeded_app().await;
    let from = today();
    let to = from + Days::new(40);
    let (status, body) = get(
        &app,
        &format!("/api/v1/branches/central/availability?service=passport-international&from={from}&to={to}"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["time_zone"], "Asia/Ashgabat");
    assert_eq!(body["arrive_minutes_early"], 10);
    let days = body["days"].as_array().unwrap();
    assert_eq!(days.len(), 41);
    let sunday = next(from + Days::new(1), Weekday::Sun);
    assert_eq!(day(&body, sunday)["status"], "closed");
    assert_eq!(day(&body, sunday)["reason"]["code"], "weekend");
    let far = next(from + Days::new(35), Weekday::Tue);
    assert_eq!(day(&body, far)["status"], "not_yet_open");
    assert!(day(&body, far)["opens_at"]
        .as_str()
        .unwrap()
        .ends_with("T08:00:00+05:00"));
    let open: Vec<&Value> = days.iter().filter(|d| d["status"] == "open").collect();
    assert!(open.len() >= 10, "{}", open.len());
    for d in open {
        for slot in d["slots"].as_array().unwrap() {
            let start = slot["start"].as_str().unwrap();
            assert!(start.ends_with("+05:00") && start.starts_with(d["date"].as_str().unwrap()));
            // Four counters serve passports at the central office, but its hall holds three.
            assert_eq!(slot["capacity"], 3);
            assert_eq!(slot["remaining"], 3);
        }
    }
    // The city department opens on Saturday mornings.
    let saturday = next(from + Days::new(2), Weekday::Sat);
    let (_, city) = get(
        &app,
        &format!("/api/v1/branches/ashgabat-city/availability?service=passport-international&from={saturday}&to={saturday}"),
    )
    .await;
    let saturday_day = day(&city, saturday);
    if saturday_day["status"] == "open" {
        let slots = saturday_day["slots"].as_array().unwrap();
        assert_eq!(
            slots.last().unwrap()["end"].as_str().unwrap()[11..16].to_owned(),
            "13:00"
        );
    } else {
        assert_eq!(saturday_day["reason"]["code"], "holiday", "{saturday_day}");
    }
}

#[actix_rt::test]
async fn holidays_and_closures_close_days_with_their_reasons() {
    let app = seeded_app().await;
    let wednesday = next(today() + Days::new(3), Weekday::Wed);
    let thursday = wednesday + Days::new(1);
    let friday = wednesday + Days::new(2);
    {
        use nobat_api::db::schema::{branch_closures, branches, holidays};
        let mut conn = app.db.connect();
        diesel::insert_into(holidays::table)
            .values((
                holidays::date.eq(wednesday),
                holidays::kind.eq("extra"),
                holidays::name_tk.eq("Synag dynç güni"),
                holidays::name_ru.eq("Тестовый выходной"),
                holidays::name_en.eq("Test day off"),
            ))
            .execute(&mut conn)
            .unwrap();
        let dashoguz: i32 = branches::table
            .filter(branches::code.eq("dashoguz"))
            .select(branches::id)
            .first(&mut conn)
            .unwrap();
        let at = |d: NaiveDate, h: u32| {
            nobat_domain::calendar::local_instant(
                d,
                chrono::NaiveTime::from_hms_opt(h, 0, 0).unwrap(),
            )
            .with_timezone(&Utc)
        };
        diesel::insert_into(branch_closures::table)
            .values(&vec![
                (
                    branch_closures::branch_id.eq(dashoguz),
                    branch_closures::starts_at.eq(at(thursday, 0)),
                    branch_closures::ends_at.eq(at(friday, 0)),
                    branch_closures::reason_tk.eq("Abatlaýyş işleri"),
                    branch_closures::reason_ru.eq("Ремонт"),
                    branch_closures::reason_en.eq("Renovation"),
                ),
                (
                    branch_closures::branch_id.eq(dashoguz),
                    branch_closures::starts_at.eq(at(friday, 9)),
                    branch_closures::ends_at.eq(at(friday, 12)),
                    branch_closures::reason_tk.eq("Ýygnak"),
                    branch_closures::reason_ru.eq("Собрание"),
                    branch_closures::reason_en.eq("Staff meeting"),
                ),
            ])
            .execute(&mut conn)
            .unwrap();
    }
    let tuesday = wednesday - Days::new(1);
    let (status, body) = get(
        &app,
        &format!("/api/v1/branches/dashoguz/availability?service=passport-international&from={tuesday}&to={friday}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let holiday = day(&body, wednesday);
    assert_eq!(holiday["status"], "closed");
    assert_eq!(holiday["reason"]["code"], "holiday");
    assert_eq!(holiday["reason"]["text"]["tk"], "Synag dynç güni");
    // The day before a holiday closes an hour earlier: the last 30-minute slot ends at 17:00.
    let eve = day(&body, tuesday);
    if eve["status"] == "open" {
        assert_eq!(eve["short_day"], true);
        let last = eve["slots"].as_array().unwrap().last().unwrap();
        assert_eq!(&last["end"].as_str().unwrap()[11..], "17:00:00+05:00");
    }
    let closed = day(&body, thursday);
    assert_eq!(closed["reason"]["code"], "closure");
    assert_eq!(closed["reason"]["text"]["en"], "Renovation");
    let partly = day(&body, friday);
    assert_eq!(partly["status"], "open");
    assert_eq!(
        &partly["slots"][0]["start"].as_str().unwrap()[11..16],
        "12:00"
    );
}

#[actix_rt::test]
async fn availability_errors_name_the_field_or_the_missing_thing() {
    let app = seeded_app().await;
    let base = "/api/v1/branches/dashoguz/availability";
    let cases: [(&str, u16, &str); 7] = [
        ("", 422, "service"),
        (
            "?service=passport-international&from=01.12.2026",
            422,
            "from",
        ),
        (
            "?service=passport-international&from=2026-12-01&to=2027-02-15",
            422,
            "to",
        ),
        (
            "?service=passport-international&from=2026-12-10&to=2026-12-01",
            422,
            "to",
        ),
        ("?service=visa", 404, ""),
        ("?service=Visa!", 422, "service"),
        ("?service=passport-international&to=someday", 422, "to"),
    ];
    for (query, status, field) in cases {
        let (got, body) = get(&app, &format!("{base}{query}")).await;
        assert_eq!(got, status, "{query}: {body}");
        if !field.is_empty() {
            assert!(body["errors"][field].is_string(), "{query}: {body}");
        }
    }
    let (status, body) = get(
        &app,
        "/api/v1/branches/atlantis/availability?service=reception",
    )
    .await;
    assert_eq!(status, 404);
    assert!(body["detail"].as_str().unwrap().contains("atlantis"));
    let (status, body) = get(
        &app,
        "/api/v1/branches/sarahs/availability?service=reception",
    )
    .await;
    assert_eq!(status, 404);
    assert!(
        body["detail"].as_str().unwrap().contains("does not offer"),
        "{body}"
    );
}
