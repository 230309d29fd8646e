//! Issue #9, "Bad input": oversized bodies, deep JSON, invalid UTF-8, header injection, SQL
//! metacharacters in every string field, 10,000-character names, emoji and RTL text in names.
//! Each is a 4xx problem+json (never a 5xx) and writes nothing, except where a field's own rule
//! legitimately accepts the text, in which case it is stored exactly as sent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use diesel::pg::PgConnection;
use diesel::prelude::*;
use nobat_api::db::schema::booking_applicants;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::time::Duration;
use support::TestApp;

const PROBLEM: &str = "application/problem+json";

/// Classic injection strings, tried in every string field of a booking.
const SQL: [&str; 8] = [
    "'; DROP TABLE bookings; --",
    "\" OR 1=1 --",
    "\\",
    "%",
    "_",
    "' OR '1'='1",
    "Robert'); DROP TABLE booking_applicants;--",
    "$1",
];

/// Every string field of `POST /api/v1/bookings`, as JSON pointers into [`booking`].
const FIELDS: [&str; 14] = [
    "/branch",
    "/service",
    "/start",
    "/language",
    "/applicant/surname",
    "/applicant/given_name",
    "/applicant/patronymic",
    "/applicant/date_of_birth",
    "/applicant/phone",
    "/applicant/email",
    "/applicant/passport/number",
    "/applicant/passport/issued_on",
    "/applicant/passport/issued_by",
    "/applicant/passport/expires_on",
];

// ---------------------------------------------------------------------------------------------
// Helpers

/// What came back: status, content type, headers (lower-case names) and the body, parsed as JSON
/// when it is JSON (`Null` otherwise).
struct Answer {
    status: u16,
    content_type: String,
    headers: Vec<(String, Vec<u8>)>,
    raw: Vec<u8>,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.raw).into_owned()
    }
}

/// Every answer goes through here: whatever the input, never a server error.
fn answer(status: u16, headers: Vec<(String, Vec<u8>)>, raw: Vec<u8>) -> Answer {
    assert!(
        status < 500,
        "bad input must never be a server error; got {status}: {}",
        String::from_utf8_lossy(&raw)
    );
    let content_type = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        .unwrap_or_default();
    let body = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    Answer {
        status,
        content_type,
        headers,
        raw,
        body,
    }
}

/// A header for [`exchange`]; the value may be any bytes a compliant client can send.
fn h(name: &'static str, value: impl AsRef<[u8]>) -> (&'static str, Vec<u8>) {
    (name, value.as_ref().to_vec())
}

/// One request with awc.
async fn exchange(
    app: &TestApp,
    method: &str,
    path: &str,
    headers: &[(&str, Vec<u8>)],
    body: Option<Vec<u8>>,
) -> Answer {
    let method = awc::http::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = app.client.request(method, app.url(path));
    for (name, value) in headers {
        request = request.insert_header((*name, value.as_slice()));
    }
    let sent = match body {
        Some(body) => request.send_body(body),
        None => request.send(),
    };
    let mut response = sent.await.unwrap();
    let status = response.status().as_u16();
    let headers: Vec<(String, Vec<u8>)> = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.as_bytes().to_vec()))
        .collect();
    let raw = response.body().limit(1 << 22).await.unwrap().to_vec();
    answer(status, headers, raw)
}

/// Raw bytes with a content type (none when `None`): status, content type and JSON body.
async fn send_raw(
    app: &TestApp,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> (u16, String, Value) {
    let headers: Vec<(&str, Vec<u8>)> = content_type
        .map(|c| h("content-type", c))
        .into_iter()
        .collect();
    let answer = exchange(app, method, path, &headers, Some(body)).await;
    (answer.status, answer.content_type, answer.body)
}

async fn post_json(app: &TestApp, path: &str, body: &Value, extra: &[(&str, Vec<u8>)]) -> Answer {
    let mut headers = vec![h("content-type", "application/json")];
    headers.extend(extra.iter().cloned());
    exchange(
        app,
        "POST",
        path,
        &headers,
        Some(serde_json::to_vec(body).unwrap()),
    )
    .await
}

async fn post_booking(app: &TestApp, body: &Value, extra: &[(&str, Vec<u8>)]) -> Answer {
    post_json(app, "/api/v1/bookings", body, extra).await
}

/// A POST over a bare socket, for bodies the server may refuse before reading them: writing
/// stops as soon as the server answers (or stops reading), so an early 413 is seen rather than a
/// broken pipe. `chunked` sends the body without a `Content-Length`.
async fn raw_post(
    app: &TestApp,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
    chunked: bool,
) -> Answer {
    let address = app.address.trim_start_matches("http://").to_owned();
    let framing = if chunked {
        "Transfer-Encoding: chunked".to_owned()
    } else {
        format!("Content-Length: {}", body.len())
    };
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: {content_type}\r\n{framing}\r\nConnection: close\r\n\r\n"
    );
    let received = actix_web::rt::task::spawn_blocking(move || {
        socket_exchange(&address, head.as_bytes(), &body, chunked)
    })
    .await
    .unwrap();
    parse_http(&received)
}

fn socket_exchange(address: &str, head: &[u8], body: &[u8], chunked: bool) -> Vec<u8> {
    let mut socket = std::net::TcpStream::connect(address).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    socket
        .set_write_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    socket.write_all(head).unwrap();
    let mut whole = true;
    for chunk in body.chunks(64 * 1024) {
        let written = if chunked {
            socket
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .is_ok()
                && socket.write_all(chunk).is_ok()
                && socket.write_all(b"\r\n").is_ok()
        } else {
            socket.write_all(chunk).is_ok()
        };
        if !written || answered(&socket) {
            whole = false;
            break;
        }
    }
    if whole && chunked {
        let _ = socket.write_all(b"0\r\n\r\n");
    }
    let mut received = Vec::new();
    let mut buffer = vec![0u8; 16 * 1024];
    while !complete(&received) {
        match socket.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
        }
    }
    received
}

/// Whether the server has started answering.
fn answered(socket: &std::net::TcpStream) -> bool {
    let mut peek = [0u8; 1];
    socket.set_nonblocking(true).unwrap();
    let answered = matches!(socket.peek(&mut peek), Ok(n) if n > 0);
    socket.set_nonblocking(false).unwrap();
    answered
}

fn head_end(bytes: &[u8]) -> Option<usize> {
    bytes.windows(4).position(|w| w == b"\r\n\r\n")
}

fn content_length(head: &str) -> Option<usize> {
    head.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        if name.trim().eq_ignore_ascii_case("content-length") {
            value.trim().parse().ok()
        } else {
            None
        }
    })
}

/// Whether `received` holds a whole answer: its head and `Content-Length` bytes of body.
fn complete(received: &[u8]) -> bool {
    let Some(end) = head_end(received) else {
        return false;
    };
    let head = String::from_utf8_lossy(&received[..end]).into_owned();
    content_length(&head).is_some_and(|length| received.len() >= end + 4 + length)
}

fn parse_http(received: &[u8]) -> Answer {
    let end = head_end(received).unwrap_or_else(|| {
        panic!(
            "no HTTP answer: {:?}",
            String::from_utf8_lossy(received).into_owned()
        )
    });
    let head = String::from_utf8_lossy(&received[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"));
    let headers: Vec<(String, Vec<u8>)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().as_bytes().to_vec()))
        .collect();
    let mut body = received[end + 4..].to_vec();
    if let Some(length) = content_length(&head) {
        body.truncate(length);
    }
    answer(status, headers, body)
}

/// Rows in the tables a booking or an application writes. The query failing would also mean a
/// table is gone.
#[derive(QueryableByName, Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    bookings: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    booking_applicants: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    passport_applications: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    payments: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    idempotency_keys: i64,
}

impl Counts {
    /// After one more free booking of one person (no payment, no idempotency key).
    fn plus_booking(self) -> Counts {
        Counts {
            bookings: self.bookings + 1,
            booking_applicants: self.booking_applicants + 1,
            ..self
        }
    }
}

fn counts(conn: &mut PgConnection) -> Counts {
    diesel::sql_query(
        "SELECT (SELECT count(*) FROM bookings) AS bookings, \
                (SELECT count(*) FROM booking_applicants) AS booking_applicants, \
                (SELECT count(*) FROM passport_applications) AS passport_applications, \
                (SELECT count(*) FROM payments) AS payments, \
                (SELECT count(*) FROM idempotency_keys) AS idempotency_keys",
    )
    .get_result(conn)
    .unwrap()
}

/// The applicant stored under a passport number, as the database holds it.
struct Stored {
    surname: String,
    given_name: String,
    email: Option<String>,
    issued_by: String,
}

fn stored(conn: &mut PgConnection, passport: &str) -> Stored {
    let (surname, given_name, email, issued_by): (String, String, Option<String>, String) =
        booking_applicants::table
            .filter(booking_applicants::passport_number.eq(passport))
            .select((
                booking_applicants::surname,
                booking_applicants::given_name,
                booking_applicants::email,
                booking_applicants::passport_issued_by,
            ))
            .first(conn)
            .unwrap();
    Stored {
        surname,
        given_name,
        email,
        issued_by,
    }
}

async fn seeded() -> TestApp {
    let app = support::spawn_app().await;
    nobat_api::seed::seed_demo(&mut app.db.connect()).unwrap();
    app
}

/// Bookable starts of the free `reception` service at Daşoguz with a seat left, from the second
/// open day on (today's slots may pass their cut-off while a test runs).
async fn open_slots(app: &TestApp) -> std::vec::IntoIter<String> {
    let answer = exchange(
        app,
        "GET",
        "/api/v1/branches/dashoguz/availability?service=reception",
        &[],
        None,
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let slots: Vec<String> = answer.body["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "open")
        .skip(1)
        .flat_map(|d| d["slots"].as_array().cloned().unwrap_or_default())
        .filter(|s| s["remaining"].as_u64().unwrap_or(0) > 0)
        .filter_map(|s| s["start"].as_str().map(str::to_owned))
        .collect();
    assert!(slots.len() >= 12, "too few open slots: {}", answer.text());
    slots.into_iter()
}

/// A valid booking of the free reception service (confirmed at once, no payment), in English.
fn booking(start: &str, passport: &str) -> Value {
    json!({
        "branch": "dashoguz", "service": "reception", "start": start, "language": "en",
        "applicant": {
            "surname": "Öwezgeldiýewa", "given_name": "Jeren", "patronymic": "Batyrowna",
            "date_of_birth": "1990-05-17", "phone": "+993 65 123456", "email": "jeren@example.tm",
            "passport": {"number": passport, "issued_on": "2020-03-01", "issued_by": "Daşoguz",
                         "expires_on": "2035-03-01"}
        }
    })
}

/// `/applicant/passport/number` → `applicant.passport.number`, the key of the problem's `errors`.
fn error_key(pointer: &str) -> String {
    pointer.trim_start_matches('/').replace('/', ".")
}

fn set(body: &mut Value, pointer: &str, value: Value) {
    *body
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in the body")) = value;
}

fn assert_problem(answer: &Answer, status: u16, what: &str) {
    assert_eq!(answer.status, status, "{what}: {}", answer.text());
    assert_eq!(answer.content_type, PROBLEM, "{what}: {}", answer.text());
    assert_eq!(answer.body["status"], status, "{what}: {}", answer.text());
    assert!(
        answer.body["type"]
            .as_str()
            .is_some_and(|t| t.starts_with("urn:nobat:problem:")),
        "{what}: {}",
        answer.text()
    );
}

/// A 422 whose `errors` name exactly this one field.
fn assert_invalid(answer: &Answer, field: &str, what: &str) {
    assert_problem(answer, 422, what);
    assert_eq!(
        answer.body["type"], "urn:nobat:problem:validation",
        "{what}"
    );
    let errors = answer.body["errors"]
        .as_object()
        .unwrap_or_else(|| panic!("{what}: no errors in {}", answer.text()));
    let keys: Vec<&String> = errors.keys().collect();
    assert_eq!(keys, [field], "{what}: {}", answer.text());
    assert!(errors[field].is_string(), "{what}");
}

fn assert_created(answer: &Answer, what: &str) -> String {
    assert_eq!(answer.status, 201, "{what}: {}", answer.text());
    answer.body["reference"].as_str().unwrap().to_owned()
}

async fn assert_healthy(app: &TestApp) {
    let answer = exchange(app, "GET", "/api/v1/health", &[], None).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.body["status"], "ok");
}

/// `body` with the JSON text `"MARKER"` (quotes included) replaced by `raw` bytes.
fn splice(body: &Value, raw: &[u8]) -> Vec<u8> {
    let text = serde_json::to_vec(body).unwrap();
    let marker: &[u8] = b"\"MARKER\"";
    let at = text
        .windows(marker.len())
        .position(|w| w == marker)
        .unwrap();
    let mut out = text[..at].to_vec();
    out.extend_from_slice(raw);
    out.extend_from_slice(&text[at + marker.len()..]);
    out
}

/// `body` as JSON text padded with trailing spaces (still valid JSON) to exactly `size` bytes.
fn padded(body: &Value, size: usize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(body).unwrap();
    assert!(bytes.len() <= size);
    bytes.resize(size, b' ');
    bytes
}

fn percent_encoded(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

// ---------------------------------------------------------------------------------------------
// Oversized bodies

/// `create_booking` reads its body as `web::Bytes`, so the limit is actix's `PayloadConfig`
/// (256 KiB by default); past it the extractor fails with `PayloadError::Overflow` (413) and
/// `problem_responses` renders it as `urn:nobat:problem:payload-too-large`. The OpenAPI entry of
/// `create_booking` documents 413 "The body is too large".
#[actix_rt::test]
async fn a_two_mebibyte_body_is_a_413_and_writes_nothing() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let body = booking(&slots.next().unwrap(), "A9000001");
    for chunked in [false, true] {
        let what = if chunked {
            "chunked"
        } else {
            "with Content-Length"
        };
        let before = counts(&mut conn);
        let answer = raw_post(
            &app,
            "/api/v1/bookings",
            "application/json",
            padded(&body, 2 << 20),
            chunked,
        )
        .await;
        assert_problem(&answer, 413, what);
        assert_eq!(
            answer.body["type"], "urn:nobat:problem:payload-too-large",
            "{what}"
        );
        assert_eq!(counts(&mut conn), before, "nothing written ({what})");
    }
    assert_healthy(&app).await;
}

/// `error::JSON_LIMIT_BYTES` (64 KiB) is documented as "Largest JSON body any endpoint accepts",
/// so a valid booking one byte over it must be refused with 413, not booked.
#[actix_rt::test]
async fn a_valid_booking_one_byte_over_the_json_limit_is_a_413() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let body = booking(&slots.next().unwrap(), "A9000002");
    let before = counts(&mut conn);
    let answer = raw_post(
        &app,
        "/api/v1/bookings",
        "application/json",
        padded(&body, nobat_api::error::JSON_LIMIT_BYTES + 1),
        false,
    )
    .await;
    assert_problem(&answer, 413, "JSON_LIMIT_BYTES + 1");
    assert_eq!(answer.body["type"], "urn:nobat:problem:payload-too-large");
    assert_eq!(counts(&mut conn), before, "nothing written");
}

// ---------------------------------------------------------------------------------------------
// Deep JSON

/// A body nested deeper than `JSON_MAX_DEPTH` (32) is refused by a linear scan before any
/// parser sees it: 400 "nested deeper than 32 levels". No stack overflow, no 500, and the server
/// keeps answering.
#[actix_rt::test]
async fn deeply_nested_json_is_a_400_and_the_server_lives_on() {
    let app = seeded().await;
    let mut conn = app.db.connect();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_objects = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let cases = [
        ("10,000 arrays", deep.clone()),
        ("10,000 unclosed arrays", "[".repeat(10_000)),
        ("arrays as the branch", format!("{{\"branch\":{deep}}}")),
        (
            "arrays as the passport",
            format!("{{\"applicant\":{{\"passport\":{deep}}}}}"),
        ),
        (
            "arrays as the applicants",
            format!("{{\"applicants\":{deep}}}"),
        ),
        ("10,000 objects", deep_objects),
    ];
    for (what, text) in cases {
        let before = counts(&mut conn);
        let (status, content_type, body) = send_raw(
            &app,
            "POST",
            "/api/v1/bookings",
            Some("application/json"),
            text.into_bytes(),
        )
        .await;
        assert_eq!(status, 400, "{what}: {body}");
        assert_eq!(content_type, PROBLEM, "{what}");
        assert_eq!(body["type"], "urn:nobat:problem:bad-request", "{what}");
        assert!(
            body["detail"].as_str().unwrap().contains("deeper than 32"),
            "{what}: {body}"
        );
        assert_eq!(counts(&mut conn), before, "nothing written ({what})");
    }
    assert_healthy(&app).await;
}

/// Issue #9 asks that deep JSON be refused. A valid booking that carries 10,000 levels of nesting
/// in a member it does not define must not be booked (a 400 from a depth limit or a 422 for an
/// unknown member would both do).
#[actix_rt::test]
async fn a_booking_carrying_deep_json_in_an_unknown_member_is_refused() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let body = serde_json::to_string(&booking(&slots.next().unwrap(), "A9000003")).unwrap();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let text = format!("{{\"extra\":{deep},{}", &body[1..]);
    let before = counts(&mut conn);
    let (status, content_type, problem) = send_raw(
        &app,
        "POST",
        "/api/v1/bookings",
        Some("application/json"),
        text.into_bytes(),
    )
    .await;
    assert!(status == 400 || status == 422, "{status}: {problem}");
    assert_eq!(content_type, PROBLEM);
    assert_eq!(counts(&mut conn), before, "nothing written");
    assert_healthy(&app).await;
}

// ---------------------------------------------------------------------------------------------
// Invalid UTF-8 and broken strings

/// `parse_body` maps serde_json's syntax errors (`InvalidUnicodeCodePoint`,
/// `ControlCharacterWhileParsingString`, the surrogate escapes, `ExpectedSomeValue`) to a 400
/// `urn:nobat:problem:bad-request`.
#[actix_rt::test]
async fn bodies_that_are_not_utf8_json_are_a_400() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let mut template = booking(&slots.next().unwrap(), "A9000004");
    set(&mut template, "/applicant/surname", json!("MARKER"));
    let spliced: [(&str, &[u8]); 7] = [
        ("\\xff\\xfe in the surname", b"\"\xff\xfe\""),
        ("a broken two-byte sequence", b"\"Aman\xc3\x28ow\""),
        ("an overlong encoding", b"\"\xc0\xaf\""),
        ("an encoded surrogate", b"\"\xed\xa0\x80\""),
        ("a raw control character", b"\"Aman\x01ow\""),
        ("a lone leading surrogate escape", b"\"\\ud800\""),
        ("a lone trailing surrogate escape", b"\"\\udc00x\""),
    ];
    let mut cases: Vec<(String, Vec<u8>)> = spliced
        .iter()
        .map(|(what, raw)| ((*what).to_owned(), splice(&template, raw)))
        .collect();
    cases.push((
        "the issue's example".into(),
        b"{\"branch\":\"\xff\xfe\"}".to_vec(),
    ));
    let mut with_bom = b"\xef\xbb\xbf".to_vec();
    with_bom.extend_from_slice(
        &serde_json::to_vec(&booking(&slots.next().unwrap(), "A9000005")).unwrap(),
    );
    cases.push(("a UTF-8 byte order mark".into(), with_bom));
    let utf16: Vec<u8> = "\u{feff}{\"branch\":\"dashoguz\"}"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    cases.push(("UTF-16".into(), utf16));
    cases.push(("bytes only".into(), b"\xff\xfe\xfd\x00\x01".to_vec()));
    for (what, bytes) in cases {
        let before = counts(&mut conn);
        let (status, content_type, body) = send_raw(
            &app,
            "POST",
            "/api/v1/bookings",
            Some("application/json"),
            bytes,
        )
        .await;
        assert_eq!(status, 400, "{what}: {body}");
        assert_eq!(content_type, PROBLEM, "{what}");
        assert_eq!(body["type"], "urn:nobat:problem:bad-request", "{what}");
        assert_eq!(counts(&mut conn), before, "nothing written ({what})");
    }
}

// ---------------------------------------------------------------------------------------------
// Content type

/// `parse_body` accepts only a `Content-Type` starting with `application/json` and answers
/// anything else with 415 (`ApiError::from_status(UNSUPPORTED_MEDIA_TYPE)`), before reading
/// the JSON: a valid booking sent as text is not booked.
#[actix_rt::test]
async fn a_booking_that_is_not_sent_as_json_is_a_415() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let body = serde_json::to_vec(&booking(&slots.next().unwrap(), "A9000006")).unwrap();
    for content_type in [
        Some("text/plain"),
        Some("text/plain; charset=utf-8"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/xml"),
        Some("application/problem+json"),
        None,
    ] {
        let before = counts(&mut conn);
        let (status, got, problem) =
            send_raw(&app, "POST", "/api/v1/bookings", content_type, body.clone()).await;
        assert_eq!(status, 415, "{content_type:?}: {problem}");
        assert_eq!(got, PROBLEM, "{content_type:?}");
        assert_eq!(
            problem["type"], "urn:nobat:problem:unsupported-media-type",
            "{content_type:?}"
        );
        assert_eq!(
            counts(&mut conn),
            before,
            "nothing written ({content_type:?})"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// SQL metacharacters

/// The domain's rule for `passport.issued_by` (booking.rs, `parse_issuer`): any text, trimmed,
/// 2 to 100 characters. It is the only booking field that takes free text; every other string
/// field has a strict grammar (codes, RFC 3339, `YYYY-MM-DD`, letters-only names, Turkmen
/// mobiles, emails, passport numbers, tk/ru/en) that each injection string breaks.
fn issuer_accepts(field: &str, payload: &str) -> bool {
    field == "/applicant/passport/issued_by" && (2..=100).contains(&payload.trim().chars().count())
}

/// Every string field of a booking, one at a time, with each injection string: a 422 naming
/// exactly that field and nothing written, or, where the field legitimately takes the text
/// (`issued_by`; an apostrophe in a name; a quote, semicolon, `%` or `_` in an email's local
/// part), a 201 that stores the text exactly. The tables are still there at the end.
#[actix_rt::test]
async fn sql_metacharacters_in_every_booking_field_are_refused_or_stored_verbatim() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let base_start = slots.next().unwrap();
    let initial = counts(&mut conn);
    let mut serial = 0u32;
    let mut created = 0i64;
    for field in FIELDS {
        for payload in SQL {
            let what = format!("{field} = {payload:?}");
            let accept = issuer_accepts(field, payload);
            let (start, passport) = if accept {
                serial += 1;
                (slots.next().unwrap(), format!("S{serial:07}"))
            } else {
                (base_start.clone(), "A7000001".to_owned())
            };
            let mut body = booking(&start, &passport);
            set(&mut body, field, json!(payload));
            let before = counts(&mut conn);
            let answer = post_booking(&app, &body, &[]).await;
            let after = counts(&mut conn);
            if accept {
                assert_created(&answer, &what);
                created += 1;
                assert_eq!(after, before.plus_booking(), "{what}");
                assert_eq!(stored(&mut conn, &passport).issued_by, payload, "{what}");
            } else {
                assert_invalid(&answer, &error_key(field), &what);
                assert_eq!(after, before, "nothing written for {what}");
            }
        }
    }

    // Texts the field rules accept on purpose, stored byte for byte.
    let legitimate = [
        ("/applicant/surname", "O'Brien' OR 'x'"),
        ("/applicant/given_name", "D'Arsy’ OR ’a"),
        ("/applicant/email", "o'brien;--%_\\\"@example.tm"),
        ("/applicant/passport/issued_by", "\\%_"),
        (
            "/applicant/passport/issued_by",
            "x'); DELETE FROM bookings WHERE ('1'='1",
        ),
    ];
    for (field, text) in legitimate {
        let what = format!("{field} = {text:?}");
        serial += 1;
        let passport = format!("S{serial:07}");
        let mut body = booking(&slots.next().unwrap(), &passport);
        set(&mut body, field, json!(text));
        let before = counts(&mut conn);
        let answer = post_booking(&app, &body, &[]).await;
        assert_created(&answer, &what);
        created += 1;
        assert_eq!(counts(&mut conn), before.plus_booking(), "{what}");
        let row = stored(&mut conn, &passport);
        let kept = match field {
            "/applicant/surname" => row.surname,
            "/applicant/given_name" => row.given_name,
            "/applicant/email" => row.email.unwrap_or_default(),
            _ => row.issued_by,
        };
        assert_eq!(kept, text, "{what}");
        // Names also come back as sent in the booking's own view.
        let full_name = match field {
            "/applicant/surname" => Some(format!("{text} Jeren Batyrowna")),
            "/applicant/given_name" => Some(format!("Öwezgeldiýewa {text} Batyrowna")),
            _ => None,
        };
        if let Some(full_name) = full_name {
            assert_eq!(
                answer.body["booking"]["applicants"][0]["full_name"], full_name,
                "{what}"
            );
        }
    }

    // The tables are all still there (the query would fail otherwise) and hold only the
    // accepted bookings.
    let last = counts(&mut conn);
    assert_eq!(last.bookings, initial.bookings + created);
    assert_eq!(
        last.booking_applicants,
        initial.booking_applicants + created
    );
    assert_eq!(last.payments, initial.payments);
    assert_eq!(last.passport_applications, initial.passport_applications);
    assert_healthy(&app).await;
}

/// References in the path and manage tokens in `X-Booking-Token` are never SQL: a reference
/// that `BookingReference::parse` refuses and a token whose hash does not match are the same
/// 404 (`authorised` in routes/bookings.rs); `reschedule` refuses a `start` that is not RFC 3339
/// with a 422 before it looks anything up. The real booking is untouched.
#[actix_rt::test]
async fn sql_metacharacters_in_references_tokens_and_reschedules_change_nothing() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let answer = post_booking(&app, &booking(&slots.next().unwrap(), "A8000001"), &[]).await;
    let reference = assert_created(&answer, "the booking");
    let token = answer.body["manage_token"].as_str().unwrap().to_owned();
    let before = counts(&mut conn);
    for payload in SQL {
        let encoded = percent_encoded(payload);
        for (method, path) in [
            ("GET", format!("/api/v1/bookings/{encoded}")),
            ("GET", format!("/api/v1/bookings/{encoded}/ticket.ics")),
            ("POST", format!("/api/v1/bookings/{encoded}/cancel")),
        ] {
            let answer = exchange(&app, method, &path, &[h("x-booking-token", &token)], None).await;
            assert_problem(&answer, 404, &format!("{method} {path}"));
        }
        for (method, path) in [
            ("GET", format!("/api/v1/bookings/{reference}")),
            ("POST", format!("/api/v1/bookings/{reference}/cancel")),
        ] {
            let answer =
                exchange(&app, method, &path, &[h("x-booking-token", payload)], None).await;
            assert_problem(&answer, 404, &format!("{method} {path} token {payload:?}"));
        }
        let answer = post_json(
            &app,
            &format!("/api/v1/bookings/{reference}/reschedule"),
            &json!({ "start": payload }),
            &[h("x-booking-token", &token)],
        )
        .await;
        assert_invalid(&answer, "start", &format!("reschedule to {payload:?}"));
    }
    assert_eq!(counts(&mut conn), before, "nothing written");
    let view = exchange(
        &app,
        "GET",
        &format!("/api/v1/bookings/{reference}"),
        &[h("x-booking-token", &token)],
        None,
    )
    .await;
    assert_eq!(view.status, 200, "{}", view.text());
    assert_eq!(view.body["status"], "confirmed");
}

/// `track_application` parses `language`, then `number` (`ApplicationNumber::parse`: letters and
/// digits only once spaces and dashes are dropped) and `date_of_birth` before any query: each
/// injection string is a 422 naming its field. A well-formed number that matches nothing is the
/// documented 404. Never a 500.
#[actix_rt::test]
async fn tracking_with_sql_metacharacters_is_a_422_never_a_500() {
    let app = seeded().await;
    let mut conn = app.db.connect();
    let valid_number = nobat_domain::passport::ApplicationNumber::from_random(26, 424_242)
        .as_str()
        .to_owned();
    let before = counts(&mut conn);
    let path = "/api/v1/passport-applications/track";
    let extra = [
        "P-26-%%%%-93",
        "P-26-____-__",
        "-- --",
        "P-26-4K7Q-93' --",
        "P 26 4K7Q 93 OR 1=1",
    ];
    for payload in SQL.iter().chain(extra.iter()) {
        let body = json!({"number": payload, "date_of_birth": "1990-04-12", "language": "en"});
        let answer = post_json(&app, path, &body, &[]).await;
        assert_invalid(&answer, "number", &format!("number {payload:?}"));

        let body = json!({"number": valid_number, "date_of_birth": payload, "language": "en"});
        let answer = post_json(&app, path, &body, &[]).await;
        assert_invalid(&answer, "date_of_birth", &format!("date {payload:?}"));
    }
    for payload in SQL {
        let body =
            json!({"number": valid_number, "date_of_birth": "1990-04-12", "language": payload});
        let answer = post_json(&app, path, &body, &[]).await;
        assert_invalid(&answer, "language", &format!("language {payload:?}"));
    }
    let body = json!({"number": valid_number, "date_of_birth": "1990-04-12", "language": "en"});
    let answer = post_json(&app, path, &body, &[]).await;
    assert_problem(&answer, 404, "a well-formed number that matches nothing");
    assert_eq!(counts(&mut conn), before, "nothing written");
}

// ---------------------------------------------------------------------------------------------
// Long text

/// 10,000 characters in any string field is a 422 naming the field: names are at most
/// `PersonName::MAX_CHARS` (60), issuers 100, emails 254, codes 40, and the dates, phone,
/// passport number and language have fixed shapes. The body (about 10 KB) is well within the
/// size limit, so this is the field rules at work.
#[actix_rt::test]
async fn ten_thousand_characters_in_any_field_is_a_422_naming_it() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let start = slots.next().unwrap();
    let long = "a".repeat(10_000);
    for field in FIELDS {
        let mut body = booking(&start, "A6000001");
        set(&mut body, field, json!(long));
        let before = counts(&mut conn);
        let answer = post_booking(&app, &body, &[]).await;
        assert_invalid(
            &answer,
            &error_key(field),
            &format!("10,000 characters in {field}"),
        );
        assert_eq!(counts(&mut conn), before, "nothing written ({field})");
    }
    // The surname in particular, with the limit in the message of the request's language.
    let mut body = booking(&start, "A6000001");
    set(&mut body, "/applicant/surname", json!("Ş".repeat(10_000)));
    let before = counts(&mut conn);
    let answer = post_booking(&app, &body, &[]).await;
    assert_invalid(&answer, "applicant.surname", "a 10,000-letter surname");
    let message = answer.body["errors"]["applicant.surname"].as_str().unwrap();
    assert!(message.contains("60"), "{message}");
    assert_eq!(counts(&mut conn), before, "nothing written");
}

// ---------------------------------------------------------------------------------------------
// Emoji, RTL and invisible characters in names

/// `PersonName::parse` allows letters (`char::is_alphabetic`), spaces, hyphens and apostrophes
/// only: an emoji, a bidi control (U+202E RIGHT-TO-LEFT OVERRIDE and friends), a zero-width
/// character or a NUL is a forbidden character, so a 422 naming the field; nothing is written.
/// The message shows the character escaped, so the problem never carries a raw U+202E.
#[actix_rt::test]
async fn emoji_and_invisible_characters_in_names_are_a_422() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let start = slots.next().unwrap();
    let cases = [
        ("/applicant/given_name", "Merdan😀"),
        ("/applicant/surname", "😀😀"),
        ("/applicant/patronymic", "Batyrowiç😀"),
        ("/applicant/given_name", "مردان😀"),
        ("/applicant/surname", "Amanow\u{202E}wonamA"),
        ("/applicant/given_name", "\u{202E}Merdan"),
        ("/applicant/surname", "Amanow\u{200F}"),
        ("/applicant/given_name", "Merdan\u{2067}x\u{2069}"),
        ("/applicant/patronymic", "مردان\u{202C}"),
        ("/applicant/surname", "Ama\u{200D}now"),
        ("/applicant/surname", "Ama\u{200B}now"),
        ("/applicant/surname", "\u{FEFF}Amanow"),
        ("/applicant/given_name", "Mer\u{0}dan"),
        ("/applicant/given_name", "Merdan\u{7}"),
    ];
    for (field, name) in cases {
        let what = format!("{field} = {name:?}");
        let mut body = booking(&start, "A5000001");
        set(&mut body, field, json!(name));
        let before = counts(&mut conn);
        let answer = post_booking(&app, &body, &[]).await;
        assert_invalid(&answer, &error_key(field), &what);
        assert!(
            !answer.text().contains('\u{202E}'),
            "{what}: the problem reflects a raw RIGHT-TO-LEFT OVERRIDE: {}",
            answer.text()
        );
        assert_eq!(counts(&mut conn), before, "nothing written for {what}");
    }
}

/// The other side of the name rule: "letters of any script" (identity.rs, `PersonName`), so
/// Cyrillic and Arabic names, and Latin Turkmen written with combining marks, are accepted and
/// stored exactly (the Turkmen marks composed).
#[actix_rt::test]
async fn names_in_any_script_are_accepted_and_stored_exactly() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let cases = [
        ("Аманова", "Джерен", "Аманова", "Джерен"),
        ("Amanow", "مردان", "Amanow", "مردان"),
        (
            "O\u{308}wezgeldiy\u{301}ewa",
            "Jeren",
            "Öwezgeldiýewa",
            "Jeren",
        ),
    ];
    for (i, (surname, given_name, kept_surname, kept_given)) in cases.into_iter().enumerate() {
        let passport = format!("N{:07}", i + 1);
        let mut body = booking(&slots.next().unwrap(), &passport);
        set(&mut body, "/applicant/surname", json!(surname));
        set(&mut body, "/applicant/given_name", json!(given_name));
        let before = counts(&mut conn);
        let answer = post_booking(&app, &body, &[]).await;
        assert_created(&answer, surname);
        assert_eq!(counts(&mut conn), before.plus_booking(), "{surname}");
        let row = stored(&mut conn, &passport);
        assert_eq!(row.surname, kept_surname);
        assert_eq!(row.given_name, kept_given);
        assert_eq!(
            answer.body["booking"]["applicants"][0]["full_name"],
            format!("{kept_surname} {kept_given} Batyrowna")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Headers

/// `idempotency_key` (routes/bookings.rs) takes 1 to 200 visible characters; anything else is a
/// 422 naming `Idempotency-Key`, decided before the database is touched. A key of exactly 200
/// characters is fine. (CR and LF cannot be sent at all: no compliant client, awc included, lets
/// them into a header.)
#[actix_rt::test]
async fn a_malformed_idempotency_key_is_a_422_and_writes_nothing() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let body = booking(&slots.next().unwrap(), "A4000001");
    let cases: [(&str, Vec<u8>); 5] = [
        ("201 characters", "k".repeat(201).into_bytes()),
        ("4,096 characters", "k".repeat(4096).into_bytes()),
        ("empty", Vec::new()),
        ("UTF-8 bytes", "ключ-é".as_bytes().to_vec()),
        ("a byte over 0x7f", b"key-\xff".to_vec()),
    ];
    for (what, key) in cases {
        let before = counts(&mut conn);
        let answer = post_booking(&app, &body, &[h("idempotency-key", key)]).await;
        assert_invalid(&answer, "Idempotency-Key", what);
        assert_eq!(counts(&mut conn), before, "nothing written ({what})");
    }
    let before = counts(&mut conn);
    let answer = post_booking(&app, &body, &[h("idempotency-key", "k".repeat(200))]).await;
    assert_created(&answer, "a 200-character key");
    let after = counts(&mut conn);
    assert_eq!(
        after,
        Counts {
            idempotency_keys: before.idempotency_keys + 1,
            ..before.plus_booking()
        }
    );
}

/// A horizontal tab is the one control character a client can put in a header value; the
/// `Idempotency-Key` rule says "visible characters", so it must be refused like the others.
#[actix_rt::test]
async fn an_idempotency_key_with_a_tab_is_a_422() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let body = booking(&slots.next().unwrap(), "A4000002");
    let before = counts(&mut conn);
    let answer = post_booking(&app, &body, &[h("idempotency-key", "retry\tme")]).await;
    assert_invalid(&answer, "Idempotency-Key", "a tab in the key");
    assert_eq!(counts(&mut conn), before, "nothing written");
}

/// `request_language` falls back to Turkmen when `Accept-Language` is not text or names none of
/// tk/ru/en (`Language::from_accept_language`): a garbage header changes nothing but the
/// language, and never makes a 500.
#[actix_rt::test]
async fn a_garbage_accept_language_answers_in_turkmen() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let mut body = booking(&slots.next().unwrap(), "A3000001");
    body.as_object_mut().unwrap().remove("language");
    set(&mut body, "/applicant/phone", json!("+7 912 345 67 89"));
    let turkmen = nobat_domain::identity::PhoneNumber::parse("+7 912 345 67 89")
        .unwrap_err()
        .message(nobat_domain::Language::Tk);
    let baseline = post_booking(&app, &body, &[]).await;
    assert_invalid(&baseline, "applicant.phone", "no Accept-Language");
    assert_eq!(baseline.body["errors"]["applicant.phone"], turkmen.as_str());
    let russian = post_booking(&app, &body, &[h("accept-language", "ru")]).await;
    assert_ne!(russian.body["errors"]["applicant.phone"], turkmen.as_str());

    let garbage: [Vec<u8>; 7] = [
        b"\xff\xfe\xfd".to_vec(),
        "ру, тк".as_bytes().to_vec(),
        b"en;q=NaN, ru;q=0, tk;q=-1".to_vec(),
        b"zz-ZZ, x-klingon;q=0.9, *;q=0.1, ;;;==,,,".to_vec(),
        b"'; DROP TABLE bookings; --".to_vec(),
        "a,".repeat(2000).into_bytes(),
        b"\t".to_vec(),
    ];
    for value in garbage {
        let what = String::from_utf8_lossy(&value)
            .chars()
            .take(40)
            .collect::<String>();
        let before = counts(&mut conn);
        let answer = post_booking(&app, &body, &[h("accept-language", &value)]).await;
        assert_invalid(&answer, "applicant.phone", &what);
        assert_eq!(
            answer.body["errors"]["applicant.phone"],
            turkmen.as_str(),
            "{what}"
        );
        assert_eq!(counts(&mut conn), before, "nothing written ({what})");

        let health = exchange(
            &app,
            "GET",
            "/api/v1/health",
            &[h("accept-language", &value)],
            None,
        )
        .await;
        assert_eq!(health.status, 200, "{what}");
        let missing = exchange(
            &app,
            "GET",
            "/api/v1/no-such-thing",
            &[h("accept-language", &value)],
            None,
        )
        .await;
        assert_problem(&missing, 404, &what);
    }
}

/// A booking made with a garbage `Accept-Language`, an `Idempotency-Key` that spells a header
/// injection in visible characters and a client-chosen `X-Request-Id`: the booking is in Turkmen,
/// `Location` is exactly `/api/v1/bookings/{reference}`, and nothing the client sent comes back
/// as a header.
#[actix_rt::test]
async fn the_location_of_a_booking_is_its_reference_and_nothing_else() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut body = booking(&slots.next().unwrap(), "A2000001");
    body.as_object_mut().unwrap().remove("language");
    let answer = post_booking(
        &app,
        &body,
        &[
            h("accept-language", b"\xff\xfe, ;q=x"),
            h(
                "idempotency-key",
                "abc%0D%0ASet-Cookie:%20evil=1\\r\\nX-Evil: 1",
            ),
            h("x-request-id", "injected-request-id"),
        ],
    )
    .await;
    let reference = assert_created(&answer, "the booking");
    assert!(nobat_domain::identity::BookingReference::parse(&reference).is_ok());
    assert_eq!(
        answer.header("location").as_deref(),
        Some(format!("/api/v1/bookings/{reference}").as_str())
    );
    assert_eq!(answer.body["booking"]["language"], "tk");
    let token = answer.body["manage_token"].as_str().unwrap();
    for (name, value) in &answer.headers {
        let value = String::from_utf8_lossy(value);
        assert_ne!(name, "set-cookie", "{value}");
        assert_ne!(name, "x-evil", "{value}");
        assert!(!value.contains("evil"), "{name}: {value}");
        assert!(!value.contains(token), "the manage token leaks in {name}");
    }
    assert_ne!(
        answer.header("x-request-id").as_deref(),
        Some("injected-request-id")
    );
}

// ---------------------------------------------------------------------------------------------
// NUL in free text

/// `issued_by` is free text, but PostgreSQL `text` cannot hold U+0000. A NUL must be refused as
/// bad input (4xx), not reach the database and fail there as a 500.
#[actix_rt::test]
async fn a_nul_in_the_passport_issuer_is_a_4xx_not_a_500() {
    let app = seeded().await;
    let mut slots = open_slots(&app).await;
    let mut conn = app.db.connect();
    let mut body = booking(&slots.next().unwrap(), "A1000001");
    set(
        &mut body,
        "/applicant/passport/issued_by",
        json!("Daş\u{0}oguz"),
    );
    let before = counts(&mut conn);
    let answer = post_booking(&app, &body, &[]).await;
    assert!((400..500).contains(&answer.status), "{}", answer.text());
    assert_eq!(answer.content_type, PROBLEM);
    assert_eq!(counts(&mut conn), before, "nothing written");
}
