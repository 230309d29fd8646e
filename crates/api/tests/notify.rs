//! Notifications against PostgreSQL: the outbox delivered through sinks with retries, never twice
//! under concurrent workers, reminders the day before, email through a real SMTP conversation,
//! and the printable ticket.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use nobat_api::db::bookings::{hold_seats, NewApplicant, NewHold};
use nobat_api::db::schema::outbox;
use nobat_api::db::{catalog, outbox as store};
use nobat_api::notify::{deliver_batch, Delivery, LogSink, Sink, Sinks, SmtpSink};
use nobat_domain::calendar::{local_date, local_instant};
use nobat_domain::identity::BookingReference;
use nobat_domain::notification::{Channel, Message};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use support::TestDb;

static REFERENCES: AtomicU64 = AtomicU64::new(1);

fn seeded() -> (TestDb, PgConnection) {
    let db = TestDb::new();
    let mut conn = db.connect();
    nobat_api::seed::seed_demo(&mut conn).unwrap();
    (db, conn)
}

/// A confirmed booking for the free reception service at Daşoguz, straight in the database (the
/// HTTP route would refuse a slot on a day off, and these tests need exact days).
fn book(
    conn: &mut PgConnection,
    start: DateTime<Utc>,
    passport: &str,
    email: Option<&str>,
    language: &'static str,
) -> (i64, String) {
    let branch = catalog::find_branch(conn, "dashoguz").unwrap().unwrap();
    let service = catalog::find_service(conn, "reception").unwrap().unwrap();
    let hold = NewHold {
        branch_id: branch.id,
        service_id: service.id,
        starts_at: start,
        ends_at: start + Duration::minutes(20),
        capacity: 100,
        status: "confirmed",
        hold_expires_at: None,
        fee_minor: 0,
        language,
        manage_token_hash: vec![0; 32],
        applicants: vec![NewApplicant {
            surname: "Öwezgeldiýewa".into(),
            given_name: "Jeren".into(),
            patronymic: Some("Batyrowna".into()),
            date_of_birth: chrono::NaiveDate::from_ymd_opt(1990, 5, 17).unwrap(),
            phone: "+99365123456".into(),
            email: email.map(str::to_owned),
            passport_number: passport.into(),
            passport_issued_on: chrono::NaiveDate::from_ymd_opt(2020, 3, 1).unwrap(),
            passport_issued_by: "Daşoguz".into(),
            passport_expires_on: chrono::NaiveDate::from_ymd_opt(2035, 3, 1).unwrap(),
            fee_minor: 0,
        }],
    };
    let seed = REFERENCES.fetch_add(1, Ordering::Relaxed) * 7_919 + std::process::id() as u64;
    hold_seats(conn, &hold, || {
        BookingReference::from_random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)).to_string()
    })
    .unwrap()
}

/// 10:00 in Ashgabat, `days` after today there.
fn local_ten(days: i64) -> DateTime<Utc> {
    let date = local_date(Utc::now()) + Duration::days(days);
    local_instant(date, NaiveTime::from_hms_opt(10, 0, 0).unwrap()).with_timezone(&Utc)
}

/// A sink that records what it is given, optionally failing or pausing.
#[derive(Default)]
struct Recorder {
    sent: Mutex<Vec<(i64, Channel, String, Message)>>,
    fail: bool,
    pause: Option<std::time::Duration>,
}

impl Sink for Recorder {
    fn deliver(&self, d: &Delivery<'_>) -> Result<(), String> {
        if let Some(pause) = self.pause {
            std::thread::sleep(pause);
        }
        if self.fail {
            return Err("gateway down".into());
        }
        self.sent.lock().unwrap().push((
            d.outbox_id,
            d.channel,
            d.recipient.to_owned(),
            d.message.clone(),
        ));
        Ok(())
    }
}

fn sinks(recorder: &Arc<Recorder>) -> Sinks {
    Sinks {
        sms: recorder.clone(),
        email: recorder.clone(),
        webhooks: nobat_api::notify::Webhooks::new(),
    }
}

type Row = (
    i64,
    String,
    String,
    i32,
    Option<DateTime<Utc>>,
    Option<String>,
    DateTime<Utc>,
);

fn rows(conn: &mut PgConnection) -> Vec<Row> {
    outbox::table
        .order(outbox::id)
        .select((
            outbox::id,
            outbox::channel,
            outbox::template,
            outbox::attempts,
            outbox::delivered_at,
            outbox::last_error,
            outbox::next_attempt_at,
        ))
        .load(conn)
        .unwrap()
}

#[test]
fn a_confirmed_booking_is_delivered_once_in_its_language() {
    let (_db, mut conn) = seeded();
    let (_, reference) = book(
        &mut conn,
        local_ten(3),
        "A1234567",
        Some("jeren@example.tm"),
        "ru",
    );
    let recorder = Arc::new(Recorder::default());
    let counts = deliver_batch(&mut conn, &sinks(&recorder)).unwrap();
    assert_eq!((counts.claimed, counts.delivered, counts.failed), (2, 2, 0));

    let sent = recorder.sent.lock().unwrap().clone();
    let channels: Vec<Channel> = sent.iter().map(|s| s.1).collect();
    assert_eq!(channels, vec![Channel::Sms, Channel::Email]);
    assert_eq!(sent[0].2, "+99365123456");
    assert_eq!(sent[1].2, "jeren@example.tm");
    let (sms, email) = (&sent[0].3, &sent[1].3);
    assert!(sms.body.contains(&reference), "{}", sms.body);
    assert!(sms.body.chars().count() <= 300);
    assert!(sms.body.contains("10:00") && sms.body.contains("не позже 09:50"));
    assert!(email.subject.contains("Ваша запись подтверждена"));
    assert!(email.body.contains("записаться заново"), "{}", email.body);
    assert!(email.body.contains("Бесплатно"), "{}", email.body);

    for (_, _, template, attempts, delivered_at, last_error, _) in rows(&mut conn) {
        assert_eq!(template, "booking_confirmed");
        assert_eq!(attempts, 1);
        assert!(delivered_at.is_some());
        assert_eq!(last_error, None);
    }
    let again = deliver_batch(&mut conn, &sinks(&recorder)).unwrap();
    assert_eq!(again.claimed, 0);
    assert_eq!(recorder.sent.lock().unwrap().len(), 2);
}

#[test]
fn a_failed_delivery_waits_for_a_later_attempt_with_growing_backoff() {
    let (_db, mut conn) = seeded();
    book(&mut conn, local_ten(3), "A1234567", None, "tk");
    let failing = Arc::new(Recorder {
        fail: true,
        ..Recorder::default()
    });
    let before = Utc::now();
    let counts = deliver_batch(&mut conn, &sinks(&failing)).unwrap();
    assert_eq!((counts.claimed, counts.delivered, counts.failed), (1, 0, 1));
    let (id, _, _, attempts, delivered_at, last_error, next) = rows(&mut conn).remove(0);
    assert_eq!(attempts, 1);
    assert_eq!(delivered_at, None);
    assert_eq!(last_error.as_deref(), Some("gateway down"));
    assert!(next >= before + Duration::seconds(29), "{next} vs {before}");
    assert!(next <= Utc::now() + Duration::seconds(31));

    // Not due yet: nobody claims it.
    assert_eq!(
        deliver_batch(&mut conn, &sinks(&failing)).unwrap().claimed,
        0
    );

    // Due again: the second failure waits twice as long.
    diesel::update(outbox::table.find(id))
        .set(outbox::next_attempt_at.eq(Utc::now() - Duration::seconds(1)))
        .execute(&mut conn)
        .unwrap();
    let before = Utc::now();
    deliver_batch(&mut conn, &sinks(&failing)).unwrap();
    let (_, _, _, attempts, _, _, next) = rows(&mut conn).remove(0);
    assert_eq!(attempts, 2);
    assert!(next >= before + Duration::seconds(59), "{next} vs {before}");

    // After the last attempt it is left alone.
    diesel::update(outbox::table.find(id))
        .set((
            outbox::attempts.eq(store::MAX_ATTEMPTS),
            outbox::next_attempt_at.eq(Utc::now() - Duration::seconds(1)),
        ))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        deliver_batch(&mut conn, &sinks(&failing)).unwrap().claimed,
        0
    );

    // A working sink later delivers what is still due.
    diesel::update(outbox::table.find(id))
        .set(outbox::attempts.eq(3))
        .execute(&mut conn)
        .unwrap();
    let working = Arc::new(Recorder::default());
    assert_eq!(
        deliver_batch(&mut conn, &sinks(&working))
            .unwrap()
            .delivered,
        1
    );
    let (_, _, _, attempts, delivered_at, last_error, _) = rows(&mut conn).remove(0);
    assert_eq!(attempts, 4);
    assert!(delivered_at.is_some());
    assert_eq!(last_error, None);
}

#[test]
fn an_unknown_template_is_abandoned_not_retried() {
    let (_db, mut conn) = seeded();
    let (booking_id, _) = book(&mut conn, local_ten(3), "A1234567", None, "en");
    diesel::update(outbox::table.filter(outbox::booking_id.eq(booking_id)))
        .set(outbox::template.eq("booking_exploded"))
        .execute(&mut conn)
        .unwrap();
    let recorder = Arc::new(Recorder::default());
    let counts = deliver_batch(&mut conn, &sinks(&recorder)).unwrap();
    assert_eq!((counts.claimed, counts.abandoned), (1, 1));
    let (_, _, _, attempts, delivered_at, last_error, _) = rows(&mut conn).remove(0);
    assert_eq!(attempts, store::MAX_ATTEMPTS);
    assert_eq!(delivered_at, None);
    assert!(last_error.unwrap().contains("booking_exploded"));
    assert!(recorder.sent.lock().unwrap().is_empty());
}

#[test]
fn two_workers_never_deliver_a_message_twice() {
    let (db, mut conn) = seeded();
    for i in 0..40 {
        book(
            &mut conn,
            local_ten(3),
            &format!("B{:07}", 1000 + i),
            Some("jeren@example.tm"),
            "tk",
        );
    }
    let total = rows(&mut conn).len();
    assert_eq!(total, 80);
    let recorder = Arc::new(Recorder {
        pause: Some(std::time::Duration::from_millis(2)),
        ..Recorder::default()
    });
    let barrier = Arc::new(Barrier::new(2));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (barrier, recorder, url) = (barrier.clone(), recorder.clone(), db.url.clone());
            std::thread::spawn(move || {
                let mut conn = PgConnection::establish(&url).unwrap();
                let sinks = sinks(&recorder);
                barrier.wait();
                let mut delivered = 0;
                loop {
                    let counts = deliver_batch(&mut conn, &sinks).unwrap();
                    delivered += counts.delivered;
                    if counts.claimed == 0 {
                        return delivered;
                    }
                }
            })
        })
        .collect();
    let per_worker: Vec<usize> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    assert_eq!(per_worker.iter().sum::<usize>(), total, "{per_worker:?}");
    let mut ids: Vec<i64> = recorder.sent.lock().unwrap().iter().map(|s| s.0).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total);
    assert!(rows(&mut conn).iter().all(|r| r.3 == 1 && r.4.is_some()));
}

#[test]
fn a_reminder_is_queued_once_for_tomorrow_and_not_for_later_or_cancelled_visits() {
    let (_db, mut conn) = seeded();
    let (tomorrow, _) = book(
        &mut conn,
        local_ten(1),
        "C1234567",
        Some("jeren@example.tm"),
        "en",
    );
    let (later, _) = book(&mut conn, local_ten(2), "C1234568", None, "en");
    let (cancelled, _) = book(&mut conn, local_ten(1), "C1234569", None, "en");
    assert!(
        nobat_api::db::bookings::cancel_booking(&mut conn, cancelled, "citizen", "test")
            .unwrap()
            .is_some()
    );
    // The confirmations are not what this test is about.
    diesel::update(outbox::table)
        .set(outbox::delivered_at.eq(Some(Utc::now())))
        .execute(&mut conn)
        .unwrap();

    let now = Utc::now();
    assert_eq!(store::queue_reminders(&mut conn, now).unwrap(), 2);
    assert_eq!(store::queue_reminders(&mut conn, now).unwrap(), 0);
    let reminders: Vec<(Option<i64>, String, String)> = outbox::table
        .filter(outbox::template.eq("booking_reminder"))
        .order(outbox::id)
        .select((outbox::booking_id, outbox::channel, outbox::recipient))
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        reminders,
        vec![
            (Some(tomorrow), "sms".into(), "+99365123456".into()),
            (Some(tomorrow), "email".into(), "jeren@example.tm".into()),
        ]
    );
    use nobat_api::db::schema::bookings;
    let marked: Vec<(i64, Option<DateTime<Utc>>)> = bookings::table
        .order(bookings::id)
        .select((bookings::id, bookings::reminder_queued_at))
        .load(&mut conn)
        .unwrap();
    for (id, at) in marked {
        assert_eq!(
            at.is_some(),
            id == tomorrow,
            "booking {id} ({later} is later)"
        );
    }

    let recorder = Arc::new(Recorder::default());
    assert_eq!(
        deliver_batch(&mut conn, &sinks(&recorder))
            .unwrap()
            .delivered,
        2
    );
    let sent = recorder.sent.lock().unwrap();
    assert!(sent[0].3.body.contains("Reminder"), "{}", sent[0].3.body);
    assert!(sent[0].3.body.contains("(by 09:50)"));
}

#[test]
fn reminders_queued_from_two_connections_at_once_are_not_doubled() {
    let (db, mut conn) = seeded();
    for i in 0..20 {
        book(
            &mut conn,
            local_ten(1),
            &format!("D{:07}", 1000 + i),
            None,
            "tk",
        );
    }
    let barrier = Arc::new(Barrier::new(2));
    let now = Utc::now();
    let queued: usize = (0..2)
        .map(|_| {
            let (barrier, url) = (barrier.clone(), db.url.clone());
            std::thread::spawn(move || {
                let mut conn = PgConnection::establish(&url).unwrap();
                barrier.wait();
                store::queue_reminders(&mut conn, now).unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .sum();
    assert_eq!(queued, 20);
    let count: i64 = outbox::table
        .filter(outbox::template.eq("booking_reminder"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(count, 20);
}

/// Speaks just enough SMTP to take one message; returns the conversation the client wrote.
fn tiny_smtp_server() -> (u16, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut writer = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        let mut seen = String::new();
        writer.write_all(b"220 mail.test ESMTP ready\r\n").unwrap();
        let mut in_data = false;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            seen.push_str(&line);
            let command = line.trim_end().to_ascii_uppercase();
            let reply: &[u8] = if in_data {
                if command == "." {
                    in_data = false;
                    b"250 2.0.0 queued\r\n"
                } else {
                    continue;
                }
            } else if command.starts_with("EHLO") || command.starts_with("HELO") {
                b"250 mail.test\r\n"
            } else if command.starts_with("MAIL") || command.starts_with("RCPT") {
                b"250 2.1.0 ok\r\n"
            } else if command == "DATA" {
                in_data = true;
                b"354 go ahead\r\n"
            } else if command == "QUIT" {
                writer.write_all(b"221 bye\r\n").unwrap();
                break;
            } else {
                b"250 ok\r\n"
            };
            writer.write_all(reply).unwrap();
        }
        seen
    });
    (port, handle)
}

#[test]
fn email_is_sent_over_smtp_with_the_rendered_subject() {
    let (_db, mut conn) = seeded();
    let (_, reference) = book(
        &mut conn,
        local_ten(3),
        "E1234567",
        Some("jeren@example.tm"),
        "en",
    );
    let (port, server) = tiny_smtp_server();
    let smtp = SmtpSink::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Nobat <no-reply@nobat.test>",
    )
    .unwrap();
    let sinks = Sinks {
        sms: Arc::new(LogSink),
        email: Arc::new(smtp),
        webhooks: nobat_api::notify::Webhooks::new(),
    };
    let counts = deliver_batch(&mut conn, &sinks).unwrap();
    assert_eq!(
        (counts.delivered, counts.failed),
        (2, 0),
        "{:?}",
        rows(&mut conn)
    );
    let conversation = server.join().unwrap();
    assert!(
        conversation.contains("MAIL FROM:<no-reply@nobat.test>"),
        "{conversation}"
    );
    assert!(conversation.contains("RCPT TO:<jeren@example.tm>"));
    assert!(
        conversation.contains(&format!(
            "Subject: Nobat {reference}: Your booking is confirmed"
        )),
        "{conversation}"
    );
    let body = conversation.replace("=\r\n", "");
    assert!(
        body.contains("If you are late, you must book again."),
        "{body}"
    );
    assert!(conversation.contains("Message-ID: <outbox-"));
    assert!(rows(&mut conn).iter().all(|r| r.4.is_some()));
}

#[test]
fn an_smtp_server_that_is_down_is_a_retryable_failure() {
    let (_db, mut conn) = seeded();
    book(
        &mut conn,
        local_ten(3),
        "E1234568",
        Some("jeren@example.tm"),
        "tk",
    );
    // A port nothing listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sinks = Sinks {
        sms: Arc::new(LogSink),
        email: Arc::new(
            SmtpSink::new(&format!("smtp://127.0.0.1:{port}"), "no-reply@nobat.test").unwrap(),
        ),
        webhooks: nobat_api::notify::Webhooks::new(),
    };
    let counts = deliver_batch(&mut conn, &sinks).unwrap();
    assert_eq!((counts.delivered, counts.failed), (1, 1));
    let email = rows(&mut conn)
        .into_iter()
        .find(|r| r.1 == "email")
        .unwrap();
    assert_eq!(email.4, None);
    assert!(email.5.unwrap().starts_with("SMTP"));
}

#[actix_rt::test]
async fn the_ticket_svg_is_served_to_the_holder_of_the_token() {
    let app = support::spawn_app().await;
    let mut conn = app.db.connect();
    nobat_api::seed::seed_demo(&mut conn).unwrap();
    let (booking_id, reference) = book(&mut conn, local_ten(3), "F1234567", None, "en");
    // The route checks the token's hash: give the booking a known token.
    use nobat_api::db::schema::bookings;
    use sha2::{Digest, Sha256};
    let token = "a-test-token-that-is-long-enough-for-the-check";
    diesel::update(bookings::table.find(booking_id))
        .set(bookings::manage_token_hash.eq(Sha256::digest(token.as_bytes()).to_vec()))
        .execute(&mut conn)
        .unwrap();

    let url = app.url(&format!("/api/v1/bookings/{reference}/ticket.svg"));
    let mut response = app
        .client
        .get(&url)
        .insert_header(("x-booking-token", token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(header("content-type"), "image/svg+xml; charset=utf-8");
    assert_eq!(header("cache-control"), "no-store");
    assert_eq!(
        header("content-disposition"),
        format!("inline; filename=\"nobat-{reference}.svg\"")
    );
    let svg = String::from_utf8(response.body().await.unwrap().to_vec()).unwrap();
    assert!(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains(&reference));
    assert!(svg.contains("Öwezgeldiýewa Jeren Batyrowna"));
    assert!(svg.contains("you must book again"));

    let stranger = app
        .client
        .get(&url)
        .insert_header(("x-booking-token", "wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status().as_u16(), 404);
    assert_eq!(
        app.client.get(&url).send().await.unwrap().status().as_u16(),
        404
    );
}
