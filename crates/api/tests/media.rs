//! The Multimedia section through the real server: editors write and publish in three
//! languages, uploads are judged by content and stopped at their limit, images lose their GPS
//! data and get thumbnails, files are served with byte ranges, and Markdown cannot carry script.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use std::io::{Read, Write};
use support::png::{multipart, png};
use support::{login, staff_request as staff, TestApp};

async fn seeded() -> TestApp {
    let app = support::spawn_app().await;
    nobat_api::seed::seed_demo(&mut app.db.connect()).unwrap();
    app
}

async fn editor(app: &TestApp) -> String {
    login(app, "editor", "demo-editor-2026").await
}

async fn create(app: &TestApp, session: &str, body: Value) -> Value {
    let (status, item) = staff(app, session, "POST", "/api/v1/staff/media", Some(body)).await;
    assert_eq!(status, 201, "{item}");
    item
}

async fn publish(app: &TestApp, session: &str, slug: &str) {
    let path = format!("/api/v1/staff/media/{slug}/status");
    let (status, item) = staff(
        app,
        session,
        "POST",
        &path,
        Some(json!({"status": "published"})),
    )
    .await;
    assert_eq!(status, 200, "{item}");
}

async fn upload(
    app: &TestApp,
    session: &str,
    slug: &str,
    name: &str,
    bytes: &[u8],
) -> (u16, Value) {
    let (content_type, body) = multipart("file", name, "application/octet-stream", bytes);
    let mut response = app
        .client
        .post(app.url(&format!("/api/v1/staff/media/{slug}/files")))
        .cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            session.to_owned(),
        ))
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

async fn public(app: &TestApp, path: &str) -> (u16, Value) {
    let mut response = app.client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.json().limit(1 << 22).await.unwrap_or(Value::Null),
    )
}

async fn fetch(
    app: &TestApp,
    url: &str,
    range: Option<&str>,
) -> (u16, Vec<u8>, awc::http::header::HeaderMap) {
    fetch_as(app, url, range, None).await
}

/// A GET, with a staff session when given.
async fn fetch_as(
    app: &TestApp,
    url: &str,
    range: Option<&str>,
    session: Option<&str>,
) -> (u16, Vec<u8>, awc::http::header::HeaderMap) {
    let mut request = app.client.get(app.url(url));
    if let Some(range) = range {
        request = request.insert_header(("range", range));
    }
    if let Some(session) = session {
        request = request.cookie(actix_web::cookie::Cookie::new(
            "nobat_session",
            session.to_owned(),
        ));
    }
    let mut response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (
        status,
        response.body().limit(1 << 26).await.unwrap().to_vec(),
        headers,
    )
}

#[actix_rt::test]
async fn an_instruction_in_three_languages_is_published_and_cannot_carry_script() {
    let app = seeded().await;
    let session = editor(&app).await;
    let item = create(
        &app,
        &session,
        json!({
            "kind": "instruction",
            "title": {"tk": "Nobata nädip ýazylmaly", "ru": "Как записаться", "en": "How to book"},
            "summary": {"tk": "Dört ädim.", "ru": "Четыре шага.", "en": "Four steps."},
            "body": {
                "tk": "**Pasportyňyzy** alyň.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[bas](javascript:alert(3))",
                "ru": "Возьмите **паспорт**.", "en": "Bring your **passport**."
            },
            "tags": ["Booking", "booking", "help"]
        }),
    )
    .await;
    assert_eq!(item["slug"], "nobata-nadip-yazylmaly");
    assert_eq!(item["status"], "draft");
    assert_eq!(item["tags"], json!(["booking", "help"]));
    // A draft is the editors' alone.
    assert_eq!(
        public(&app, "/api/v1/media/nobata-nadip-yazylmaly").await.0,
        404
    );
    publish(&app, &session, "nobata-nadip-yazylmaly").await;

    let (status, tk) = public(&app, "/api/v1/media/nobata-nadip-yazylmaly?lang=tk").await;
    assert_eq!(status, 200, "{tk}");
    let html = tk["body_html"].as_str().unwrap();
    assert!(html.contains("<strong>Pasportyňyzy</strong>"), "{html}");
    for bad in ["<script", "onerror", "javascript:", "alert(1)"] {
        assert!(!html.contains(bad), "{bad} survived: {html}");
    }
    let (_, en) = public(&app, "/api/v1/media/nobata-nadip-yazylmaly?lang=en").await;
    assert_eq!(
        (en["title"].as_str(), en["fallback"].as_bool()),
        (Some("How to book"), Some(false))
    );

    // Only Turkmen written: Russian readers get it, marked as the fallback.
    create(
        &app,
        &session,
        json!({"kind": "instruction", "slug": "only-turkmen",
        "title": {"tk": "Diňe türkmençe"}, "body": {"tk": "Tekst"}}),
    )
    .await;
    publish(&app, &session, "only-turkmen").await;
    let (_, ru) = public(&app, "/api/v1/media/only-turkmen?lang=ru").await;
    assert_eq!(
        (
            ru["title"].as_str(),
            ru["fallback"].as_bool(),
            ru["language"].as_str()
        ),
        (Some("Diňe türkmençe"), Some(true), Some("tk"))
    );

    // The list: newest first, filtered by kind, tag and words in any language.
    let (_, list) = public(&app, "/api/v1/media?kind=instruction&lang=en").await;
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"][0]["slug"], "only-turkmen");
    let (_, tagged) = public(&app, "/api/v1/media?tag=booking").await;
    assert_eq!(tagged["total"], 1);
    let (_, found) = public(
        &app,
        "/api/v1/media?q=%D0%B7%D0%B0%D0%BF%D0%B8%D1%81%D0%B0%D1%82%D1%8C%D1%81%D1%8F",
    )
    .await;
    assert_eq!(
        found["items"][0]["slug"], "nobata-nadip-yazylmaly",
        "{found}"
    );
    let (_, none) = public(&app, "/api/v1/media?q=100%25").await;
    assert_eq!(none["total"], 0);
    assert_eq!(public(&app, "/api/v1/media?kind=poem").await.0, 422);

    // Archived: gone for citizens; back only through a draft.
    let path = "/api/v1/staff/media/only-turkmen/status";
    assert_eq!(
        staff(
            &app,
            &session,
            "POST",
            path,
            Some(json!({"status": "archived"}))
        )
        .await
        .0,
        200
    );
    assert_eq!(public(&app, "/api/v1/media/only-turkmen").await.0, 404);
    assert_eq!(
        staff(
            &app,
            &session,
            "POST",
            path,
            Some(json!({"status": "published"}))
        )
        .await
        .0,
        409
    );

    // The preview renders the same way.
    let (_, preview) = staff(
        &app,
        &session,
        "POST",
        "/api/v1/staff/media/preview",
        Some(json!({"markdown": "<a href=\"javascript:x()\" onclick=\"y()\">go</a>"})),
    )
    .await;
    let html = preview["html"].as_str().unwrap();
    assert!(
        !html.contains("javascript") && !html.contains("onclick"),
        "{html}"
    );
}

/// A JPEG with an Exif APP1 segment carrying a GPS position, made in the test.
fn jpeg_with_gps(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 80)
        .encode_image(&image)
        .unwrap();
    // TIFF (little-endian): IFD0 with one entry, the GPS IFD pointer (0x8825) to a GPS IFD with
    // GPSLatitudeRef 'N'.
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&0x8825u16.to_le_bytes());
    tiff.extend_from_slice(&4u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&26u32.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&2u32.to_le_bytes());
    tiff.extend_from_slice(b"N\0\0\0");
    tiff.extend_from_slice(&0u32.to_le_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

#[actix_rt::test]
async fn uploads_are_judged_by_content_lose_gps_and_get_thumbnails() {
    let app = seeded().await;
    let session = editor(&app).await;
    create(
        &app,
        &session,
        json!({"kind": "photo", "slug": "our-new-hall", "title": {"tk": "Täze zal"}}),
    )
    .await;

    // A PNG renamed .mp4, text renamed .png, a PDF in an album: each refused, saying why.
    for (name, bytes) in [
        ("clip.mp4", png(100, 100)),
        ("photo.png", b"hello, this is not an image".to_vec()),
        (
            "rules.pdf",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec(),
        ),
    ] {
        let (status, problem) = upload(&app, &session, "our-new-hall", name, &bytes).await;
        assert_eq!(status, 422, "{name}: {problem}");
        assert!(problem["errors"]["file"].is_string(), "{problem}");
    }

    // A JPEG with a GPS position comes back without it, and with both thumbnails.
    let original = jpeg_with_gps(1600, 1200);
    assert!(nobat_domain::media_meta::has_location(
        nobat_domain::media::FileType::Jpeg,
        &original
    ));
    let (status, file) = upload(&app, &session, "our-new-hall", "hall.jpg", &original).await;
    assert_eq!(status, 201, "{file}");
    assert_eq!(
        (file["width"].as_i64(), file["height"].as_i64()),
        (Some(1600), Some(1200))
    );
    let thumbs: Vec<(i64, i64)> = file["thumbnails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["width"].as_i64().unwrap(), t["height"].as_i64().unwrap()))
        .collect();
    assert_eq!(thumbs, [(320, 240), (1280, 960)]);
    // Still a draft: the editor sees the file.
    let (status, stored, _) =
        fetch_as(&app, file["url"].as_str().unwrap(), None, Some(&session)).await;
    assert_eq!(status, 200);
    assert!(!nobat_domain::media_meta::has_location(
        nobat_domain::media::FileType::Jpeg,
        &stored
    ));
    assert!(!stored.windows(6).any(|w| w == b"Exif\0\0"));
    let decoded = image::load_from_memory(&stored).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (1600, 1200));
    for (thumb, (w, h)) in file["thumbnails"].as_array().unwrap().iter().zip(thumbs) {
        let (_, bytes, headers) =
            fetch_as(&app, thumb["url"].as_str().unwrap(), None, Some(&session)).await;
        assert_eq!(headers.get("content-type").unwrap(), "image/jpeg");
        let t = image::load_from_memory(&bytes).unwrap();
        assert_eq!((i64::from(t.width()), i64::from(t.height())), (w, h));
    }
    // The same photo twice is stored once.
    let (_, again) = upload(&app, &session, "our-new-hall", "again.jpg", &original).await;
    assert_eq!(again["url"], file["url"]);
    // A small image gets no thumbnails (never upscaled).
    let (_, small) = upload(&app, &session, "our-new-hall", "small.png", &png(200, 150)).await;
    assert_eq!(small["thumbnails"], json!([]));

    publish(&app, &session, "our-new-hall").await;
    let (_, album) = public(&app, "/api/v1/media/our-new-hall").await;
    assert_eq!(album["files"].as_array().unwrap().len(), 3);
    assert_eq!(album["cover"]["url"], file["url"]);
    // Each key once in the item's object (a list item counts its files in `file_count`).
    let (_, raw, _) = fetch(&app, "/api/v1/media/our-new-hall", None).await;
    let raw = String::from_utf8(raw).unwrap();
    assert_eq!(raw.matches("\"files\":").count(), 1, "{raw}");
    assert_eq!(album["file_count"], 3);
    let (_, list) = public(&app, "/api/v1/media?kind=photo&per_page=100").await;
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|item| item["slug"] == "our-new-hall" && item["file_count"] == 3));
}

#[actix_rt::test]
async fn an_oversized_upload_is_stopped_while_streaming() {
    let app = seeded().await;
    let session = editor(&app).await;
    create(
        &app,
        &session,
        json!({"kind": "photo", "slug": "too-big", "title": {"tk": "Uly"}}),
    )
    .await;
    let address = app.address.trim_start_matches("http://").to_owned();
    // 40 MiB of "PNG" sent chunked (no Content-Length), against a 10 MiB limit for images.
    let total: usize = 40 << 20;
    let (sent, answer) = actix_web::rt::task::spawn_blocking(move || {
        let mut socket = std::net::TcpStream::connect(&address).unwrap();
        let boundary = "b0undary";
        write!(
            socket,
            "POST /api/v1/staff/media/too-big/files HTTP/1.1\r\nHost: {address}\r\nCookie: nobat_session={session}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        .unwrap();
        let head = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\nContent-Type: image/png\r\n\r\n");
        let mut first = head.into_bytes();
        first.extend_from_slice(&png(64, 64)[..64]);
        let mut sent = 0usize;
        let chunk = vec![0u8; 64 * 1024];
        let write_chunk = |socket: &mut std::net::TcpStream, data: &[u8]| -> bool {
            socket.write_all(format!("{:x}\r\n", data.len()).as_bytes()).is_ok()
                && socket.write_all(data).is_ok()
                && socket.write_all(b"\r\n").is_ok()
        };
        write_chunk(&mut socket, &first);
        socket.set_nonblocking(false).unwrap();
        while sent < total {
            if !write_chunk(&mut socket, &chunk) {
                break;
            }
            sent += chunk.len();
            // Has the server answered already?
            socket.set_nonblocking(true).unwrap();
            let mut peek = [0u8; 1];
            let answered = matches!(socket.peek(&mut peek), Ok(n) if n > 0);
            socket.set_nonblocking(false).unwrap();
            if answered {
                break;
            }
        }
        socket.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
        let mut answer = vec![0u8; 4096];
        let n = socket.read(&mut answer).unwrap_or(0);
        (sent, String::from_utf8_lossy(&answer[..n]).into_owned())
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        sent < total / 2,
        "the server read {sent} of {total} bytes before refusing"
    );
    // Nothing half-written is left behind.
    let dir = std::env::temp_dir().join("nobat-test-files").join("media");
    let leftovers = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().contains("partial"))
                .count()
        })
        .unwrap_or(0);
    assert_eq!(leftovers, 0);
}

#[actix_rt::test]
async fn videos_are_served_in_byte_ranges() {
    let app = seeded().await;
    let session = editor(&app).await;
    create(
        &app,
        &session,
        json!({"kind": "video", "slug": "a-day-at-the-branch", "title": {"tk": "Bölümde bir gün"}}),
    )
    .await;
    // An MP4 by its first bytes (ftyp box), then 1000 numbered bytes.
    let mut video = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
    video.extend((0..1000u32).map(|i| (i % 251) as u8));
    let (status, file) = upload(&app, &session, "a-day-at-the-branch", "day.mp4", &video).await;
    assert_eq!(status, 201, "{file}");
    assert_eq!(file["mime"], "video/mp4");
    let url = file["url"].as_str().unwrap();
    publish(&app, &session, "a-day-at-the-branch").await;

    let (status, body, headers) = fetch(&app, url, Some("bytes=100-199")).await;
    assert_eq!(status, 206);
    assert_eq!(body, &video[100..200]);
    assert_eq!(
        headers.get("content-range").unwrap(),
        &format!("bytes 100-199/{}", video.len())
    );
    let (status, _, _) = fetch(&app, url, Some("bytes=5000-6000")).await;
    assert_eq!(status, 416);
    let (status, whole, headers) = fetch(&app, url, None).await;
    assert_eq!((status, whole.len()), (200, video.len()));
    assert!(headers.get("etag").is_some());
    assert!(headers
        .get("cache-control")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("immutable"));
    let response = app
        .client
        .get(app.url(url))
        .insert_header((
            "if-none-match",
            headers.get("etag").unwrap().to_str().unwrap(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 304);
    let missing = format!("/api/v1/media/files/{}.mp4", "0".repeat(64));
    assert_eq!(fetch(&app, &missing, None).await.0, 404);
    let sneaky = "/api/v1/media/files/..%2F..%2Fetc%2Fpasswd.pdf";
    assert_eq!(fetch(&app, sneaky, None).await.0, 404);
}

#[actix_rt::test]
async fn only_editors_and_admins_write_content() {
    let app = seeded().await;
    let spec: Value = serde_json::from_str(&nobat_api::openapi::api_doc_json()).unwrap();
    let schemas = &spec["components"]["schemas"];
    let operator = login(&app, "operator.mary", "demo-operator-2026").await;
    let head = login(&app, "head.mary", "demo-head-2026").await;
    let editor = editor(&app).await;
    let admin = login(&app, "admin", "demo-admin-2026").await;
    let mut checked = 0;
    for (path, operations) in spec["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/staff/media") {
            continue;
        }
        for (method, operation) in operations.as_object().unwrap() {
            let concrete = path.replace("{slug}", "no-such-item").replace("{id}", "1");
            let body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .map(|r| schemas[r.rsplit('/').next().unwrap()]["example"].clone());
            for (who, session, refused) in [
                ("operator", Some(&operator), true),
                ("branch head", Some(&head), true),
                ("editor", Some(&editor), false),
                ("admin", Some(&admin), false),
            ] {
                let (status, _) = staff(
                    &app,
                    session.unwrap(),
                    &method.to_uppercase(),
                    &concrete,
                    body.clone(),
                )
                .await;
                if refused {
                    assert_eq!(status, 403, "{who}: {method} {concrete}");
                } else {
                    assert!(
                        ![401, 403].contains(&status),
                        "{who}: {method} {concrete} gave {status}"
                    );
                }
            }
            let response = app
                .client
                .request(method.to_uppercase().parse().unwrap(), app.url(&concrete))
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status().as_u16(),
                401,
                "nobody: {method} {concrete}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} editor endpoints found");
}

/// A file is public only while an item showing it is published: before that (and after the
/// item is archived) its URL, and its thumbnails', answer 404 to the public and serve editors
/// privately; a file no item has any more is a 404 for everyone.
#[actix_rt::test]
async fn unpublished_files_are_for_editors_only() {
    let app = seeded().await;
    let session = editor(&app).await;
    create(
        &app,
        &session,
        json!({"kind": "photo", "slug": "not-yet", "title": {"tk": "Entek däl"}}),
    )
    .await;
    let (status, file) = upload(&app, &session, "not-yet", "hall.png", &png(1600, 1200)).await;
    assert_eq!(status, 201, "{file}");
    let urls: Vec<String> = std::iter::once(&file["url"])
        .chain(
            file["thumbnails"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| &t["url"]),
        )
        .map(|u| u.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(urls.len(), 3, "{file}");
    let cache_control = |headers: &awc::http::header::HeaderMap| {
        headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    for url in &urls {
        assert_eq!(fetch(&app, url, None).await.0, 404, "{url}");
        let (status, _, headers) = fetch_as(&app, url, None, Some(&session)).await;
        assert_eq!(status, 200, "{url}");
        assert_eq!(cache_control(&headers), "private, no-store");
    }
    // An operator is staff but not an editor.
    let operator = login(&app, "operator.mary", "demo-operator-2026").await;
    assert_eq!(fetch_as(&app, &urls[0], None, Some(&operator)).await.0, 404);

    publish(&app, &session, "not-yet").await;
    for url in &urls {
        let (status, _, headers) = fetch(&app, url, None).await;
        assert_eq!(status, 200, "{url}");
        assert!(cache_control(&headers).contains("immutable"));
    }

    let (status, archived) = staff(
        &app,
        &session,
        "POST",
        "/api/v1/staff/media/not-yet/status",
        Some(json!({"status": "archived"})),
    )
    .await;
    assert_eq!(status, 200, "{archived}");
    assert_eq!(fetch(&app, &urls[0], None).await.0, 404);

    // Removed from its item: nobody gets it, editors included.
    let id = file["id"].as_i64().unwrap();
    let (status, _) = staff(
        &app,
        &session,
        "DELETE",
        &format!("/api/v1/staff/media/not-yet/files/{id}"),
        None,
    )
    .await;
    assert!(status == 200 || status == 204, "{status}");
    assert_eq!(fetch_as(&app, &urls[0], None, Some(&session)).await.0, 404);
}
