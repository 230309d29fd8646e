//! Faults (issue #9): the real `nobat serve` process killed with SIGKILL in the middle of a
//! booking run, then started again on the same database. Every booking that was acknowledged
//! exists; every request retried with its `Idempotency-Key` gets its first answer; no passport
//! holds two active bookings; no slot is over its capacity, and each slot's seat counter equals
//! the seats of its active bookings.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(db: &support::TestDb, data: &support::TempDir) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nobat"))
            .arg("serve")
            .env("DATABASE_URL", &db.url)
            .env("NOBAT_BIND", "127.0.0.1:0")
            .env("NOBAT_WORKERS", "2")
            .env("NOBAT_DB_POOL_SIZE", "8")
            .env("NOBAT_BOOKING_LIMITS", "0/0")
            .env("NOBAT_DATA_DIR", &data.0)
            .env("NOBAT_STATIC_DIR", "/nonexistent/nobat-dist")
            .env("NOBAT_LOG_FORMAT", "human")
            .env("NOBAT_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let address = loop {
            let line = lines.next().expect("serve exited early").unwrap();
            if let Some(rest) = line.split("listening on ").nth(1) {
                break rest
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_owned();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Server { child, address }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(15)))
        .http_status_as_error(false)
        .build()
        .into()
}

/// `Some((status, body))` when the server answered, `None` when the request failed.
type Answer = Option<(u16, Value)>;

fn post(agent: &ureq::Agent, url: &str, key: &str, body: &str) -> Answer {
    let mut response = agent
        .post(url)
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .send(body)
        .ok()?;
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().ok()?;
    Some((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

fn booking(start: &str, passport: &str) -> String {
    json!({
        "branch": "dashoguz",
        "service": "passport-international",
        "start": start,
        "applicant": {
            "surname": "Amanow", "given_name": "Merdan", "date_of_birth": "1990-05-17",
            "phone": "+99365123456",
            "passport": {"number": passport, "issued_on": "2020-01-01", "issued_by": "Daşoguz",
                         "expires_on": "2035-01-01"}
        }
    })
    .to_string()
}

#[derive(QueryableByName, Debug)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName, Debug)]
struct Reference {
    #[diesel(sql_type = Text)]
    reference: String,
}

#[test]
fn a_server_killed_mid_run_keeps_every_acknowledged_booking() {
    let db = support::TestDb::new();
    nobat_api::seed::seed_demo(&mut db.connect()).unwrap();
    let data = support::TempDir::new();
    let first = Server::start(&db, &data);

    // The first 40 free slots at Daşoguz (3 seats each): 120 seats for 300 requests, of which
    // 60 repeat an earlier passport on another slot (each must get a 409 or replace nothing).
    let today = (chrono::Utc::now() + chrono::Duration::hours(5)).date_naive();
    let mut response = agent()
        .get(format!(
            "{}/api/v1/branches/dashoguz/availability?service=passport-international&from={today}&to={}",
            first.address,
            today + chrono::Duration::days(30)
        ))
        .call()
        .unwrap();
    let days: Value = serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    let starts: Vec<String> = days["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["slots"].as_array().cloned().unwrap_or_default())
        .filter(|s| s["remaining"].as_u64().unwrap_or(0) > 0)
        .map(|s| s["start"].as_str().unwrap().to_owned())
        .take(40)
        .collect();
    assert_eq!(starts.len(), 40);
    let requests: Vec<(String, String)> = (0..300)
        .map(|i| {
            let passport = format!("K{:08}", if i < 240 { i } else { i - 240 });
            let start = &starts[(i * 7) % starts.len()];
            (format!("kill-test-{i}"), booking(start, &passport))
        })
        .collect();
    let requests = Arc::new(requests);

    // Eight clients send the requests; the server is killed once 80 of them were answered.
    let answers: Arc<Mutex<Vec<Answer>>> = Arc::new(Mutex::new(vec![None; 300]));
    let answered = Arc::new(AtomicUsize::new(0));
    let next = Arc::new(AtomicUsize::new(0));
    let url = format!("{}/api/v1/bookings", first.address);
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let (requests, answers, answered, next, url) = (
                requests.clone(),
                answers.clone(),
                answered.clone(),
                next.clone(),
                url.clone(),
            );
            std::thread::spawn(move || {
                let agent = agent();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((key, body)) = requests.get(i) else {
                        break;
                    };
                    let answer = post(&agent, &url, key, body);
                    if answer.is_some() {
                        answered.fetch_add(1, Ordering::SeqCst);
                    }
                    answers.lock().unwrap()[i] = answer;
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while answered.load(Ordering::SeqCst) < 80 {
        assert!(Instant::now() < deadline, "80 answers took over 60 s");
        std::thread::sleep(Duration::from_millis(2));
    }
    let mut first = first;
    first.child.kill().unwrap(); // SIGKILL: no graceful stop, transactions cut mid-way.
    first.child.wait().unwrap();
    for client in clients {
        client.join().unwrap();
    }
    let answers = answers.lock().unwrap().clone();
    let acknowledged: Vec<(usize, Value)> = answers
        .iter()
        .enumerate()
        .filter_map(|(i, a)| match a {
            Some((201, body)) => Some((i, body.clone())),
            _ => None,
        })
        .collect();
    let lost_in_flight = answers.iter().filter(|a| a.is_none()).count();
    assert!(
        acknowledged.len() >= 40,
        "{} acknowledged",
        acknowledged.len()
    );
    assert!(lost_in_flight > 0, "the kill came after the run ended");
    for answer in answers.iter().flatten() {
        assert!(matches!(answer.0, 201 | 409), "before the kill: {answer:?}");
    }

    // Started again on the same database: every request is retried with its key.
    let second = Server::start(&db, &data);
    let url = format!("{}/api/v1/bookings", second.address);
    let agent = agent();
    let mut references = Vec::new();
    for (i, (key, body)) in requests.iter().enumerate() {
        let (status, again) = post(&agent, &url, key, body).expect("the restarted server answers");
        match &answers[i] {
            Some((201, first_body)) => {
                assert_eq!(status, 201, "request {i}: {again}");
                assert_eq!(&again, first_body, "request {i} got another answer");
            }
            _ => assert!(matches!(status, 201 | 409), "request {i}: {status} {again}"),
        }
        if status == 201 {
            references.push(again["reference"].as_str().unwrap().to_owned());
        }
    }

    let mut conn = db.connect();
    let stored: Vec<Reference> =
        diesel::sql_query("SELECT reference FROM bookings WHERE status IN ('held', 'confirmed')")
            .load(&mut conn)
            .unwrap();
    let stored: std::collections::HashSet<String> =
        stored.into_iter().map(|r| r.reference).collect();
    for (i, body) in &acknowledged {
        let reference = body["reference"].as_str().unwrap();
        assert!(
            stored.contains(reference),
            "acknowledged booking {i} ({reference}) is gone"
        );
    }
    references.sort();
    references.dedup();
    assert_eq!(
        references.len(),
        stored.len(),
        "every active booking is one that a client was told about"
    );
    let twice: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM (SELECT passport_number FROM booking_applicants WHERE active
           GROUP BY passport_number, service_id HAVING count(*) > 1) t",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(twice.n, 0, "a passport holds two active bookings");
    let wrong: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM slots s
          WHERE s.taken > s.capacity
             OR s.taken <> (SELECT coalesce(sum(b.seats), 0) FROM bookings b
                             WHERE b.slot_id = s.id AND b.status IN ('held', 'confirmed'))",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(
        wrong.n, 0,
        "a slot is over capacity or counts other seats than its bookings"
    );
    let seats: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM bookings WHERE status IN ('held', 'confirmed')",
    )
    .get_result(&mut conn)
    .unwrap();
    // Each slot was asked for by at least three different passports: all 120 seats are taken.
    assert_eq!(seats.n, 120);
}

/// Holds expiring under load: every lapsed hold is expired once and frees its seat once, while
/// four sweepers (as several instances' reapers would) and a crowd of new holds on the same
/// slots (whose path expires the slot's lapsed holds itself) race for them.
#[actix_rt::test]
async fn lapsed_holds_release_their_seats_exactly_once_under_load() {
    let app = support::spawn_app().await;
    nobat_api::seed::seed_demo(&mut app.db.connect()).unwrap();
    let mut response = app
        .client
        .get(app.url("/api/v1/branches/dashoguz/availability?service=passport-international"))
        .send()
        .await
        .unwrap();
    let days: Value = response.json().limit(4 << 20).await.unwrap();
    let slots: Vec<(String, u64)> = days["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["slots"].as_array().cloned().unwrap_or_default())
        .filter(|s| s["remaining"].as_u64().unwrap_or(0) > 0)
        .take(10)
        .map(|s| {
            (
                s["start"].as_str().unwrap().to_owned(),
                s["remaining"].as_u64().unwrap(),
            )
        })
        .collect();
    let seats: u64 = slots.iter().map(|s| s.1).sum();
    assert!(seats >= 20, "{seats} seats");
    let crowd = |prefix: &'static str| {
        let requests: Vec<_> = slots
            .iter()
            .enumerate()
            .flat_map(|(i, (start, n))| {
                (0..*n).map(move |k| (start.clone(), format!("{prefix}{i:03}{k:04}")))
            })
            .map(|(start, passport)| {
                let client = app.client.clone();
                let url = app.url("/api/v1/bookings");
                async move {
                    client
                        .post(url)
                        .insert_header(("content-type", "application/json"))
                        .send_body(booking(&start, &passport))
                        .await
                        .map(|r| r.status().as_u16())
                        .unwrap_or(0)
                }
            })
            .collect();
        futures_util::future::join_all(requests)
    };
    let first = crowd("E").await;
    assert!(first.iter().all(|s| *s == 201), "{first:?}");
    let mut conn = app.db.connect();
    diesel::sql_query(
        "UPDATE bookings SET hold_expires_at = now() - interval '1 second' WHERE status = 'held'",
    )
    .execute(&mut conn)
    .unwrap();

    let sweepers: Vec<_> = (0..4)
        .map(|_| {
            let mut conn = app.db.connect();
            std::thread::spawn(move || {
                (0..25)
                    .map(|_| {
                        nobat_api::db::bookings::expire_lapsed_holds(&mut conn, None, None).unwrap()
                    })
                    .sum::<usize>()
            })
        })
        .collect();
    let second = crowd("N").await;
    let swept: usize = sweepers.into_iter().map(|s| s.join().unwrap()).sum();
    assert!(swept <= seats as usize);
    // Every seat was freed once, so every new citizen got one.
    assert!(second.iter().all(|s| *s == 201), "{second:?}");

    let expired_twice: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM (SELECT booking_id FROM booking_events WHERE to_status = 'expired'
           GROUP BY booking_id HAVING count(*) > 1) t",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(expired_twice.n, 0);
    let expired: Count =
        diesel::sql_query("SELECT count(*) AS n FROM bookings WHERE status = 'expired'")
            .get_result(&mut conn)
            .unwrap();
    assert_eq!(expired.n as u64, seats);
    let wrong: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM slots s
          WHERE s.taken > s.capacity
             OR s.taken <> (SELECT coalesce(sum(b.seats), 0) FROM bookings b
                             WHERE b.slot_id = s.id AND b.status IN ('held', 'confirmed'))",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(wrong.n, 0);
}
