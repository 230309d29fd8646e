//! `/api/v1/media`: the Multimedia section as citizens read it (published items, their files
//! with thumbnails), and `/api/v1/staff/media` as editors write it (drafts in three languages,
//! the publication status, a Markdown preview, uploads with progress, removing files).

use super::{percent_encode, query, read_json, read_text, request, send, send_json, ApiError};
use chrono::{DateTime, Utc};
use gloo_net::http::Method;
use nobat_domain::catalog::Page;
use nobat_domain::media::{LocalizedText, MediaKind, PublicationStatus};
use nobat_domain::wire::Problem;
use nobat_domain::Language;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use yew::Callback;

/// A server-made smaller copy of an image (JPEG, 320 or 1280 px wide).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Thumbnail {
    pub width: u32,
    pub height: u32,
    pub url: String,
}

/// A file of an item.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MediaFile {
    pub id: i32,
    /// `image`, `video` or `attachment`.
    pub class: String,
    pub mime: String,
    pub bytes: i64,
    #[serde(default)]
    pub width: Option<i32>,
    #[serde(default)]
    pub height: Option<i32>,
    pub url: String,
    #[serde(default)]
    pub thumbnails: Vec<Thumbnail>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub caption: String,
}

impl MediaFile {
    pub fn is_image(&self) -> bool {
        self.class == "image"
    }

    /// The smallest copy at least `width` pixels wide (the original when none is), with its
    /// size in pixels, for `src`, `width` and `height`.
    pub fn at_least(&self, width: u32) -> (String, u32, u32) {
        let original = (
            self.url.clone(),
            self.width.unwrap_or(0).max(0) as u32,
            self.height.unwrap_or(0).max(0) as u32,
        );
        let mut thumbs: Vec<&Thumbnail> = self.thumbnails.iter().collect();
        thumbs.sort_by_key(|t| t.width);
        thumbs
            .into_iter()
            .find(|t| t.width >= width)
            .map(|t| (t.url.clone(), t.width, t.height))
            .unwrap_or(original)
    }

    /// `srcset` of the thumbnails and the original, each with its width.
    pub fn srcset(&self) -> String {
        let mut parts: Vec<(u32, String)> = self
            .thumbnails
            .iter()
            .map(|t| (t.width, t.url.clone()))
            .collect();
        if let Some(width) = self.width.filter(|w| *w > 0) {
            parts.push((width as u32, self.url.clone()));
        }
        parts.sort_by_key(|(w, _)| *w);
        parts.dedup_by_key(|(w, _)| *w);
        parts
            .into_iter()
            .map(|(w, url)| format!("{url} {w}w"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One item in a list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MediaSummary {
    pub slug: String,
    pub kind: MediaKind,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// The language the texts are in.
    pub language: Language,
    /// The Turkmen texts are shown: the translation is not written yet.
    #[serde(default)]
    pub fallback: bool,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub published_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub cover: Option<MediaFile>,
    /// How many files the item has.
    #[serde(default)]
    pub file_count: usize,
}

/// A published item with its files; `body_html` is sanitized by the server.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MediaItem {
    pub slug: String,
    pub kind: MediaKind,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    pub language: Language,
    #[serde(default)]
    pub fallback: bool,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub published_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub cover: Option<MediaFile>,
    #[serde(default)]
    pub body_html: String,
    #[serde(default)]
    pub files: Vec<MediaFile>,
}

/// What the section's list shows: a kind, a tag, words to find, a page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

impl Filters {
    /// The API's query string for these filters, in `language`, `per_page` at a time.
    pub fn api_query(&self, per_page: u32, language: Language) -> String {
        let page = self.page.unwrap_or(1).max(1).to_string();
        let per_page = per_page.to_string();
        let mut pairs: Vec<(&str, &str)> = vec![("lang", language.code())];
        for (name, value) in [("kind", &self.kind), ("tag", &self.tag), ("q", &self.q)] {
            if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                pairs.push((name, value));
            }
        }
        pairs.push(("page", &page));
        pairs.push(("per_page", &per_page));
        query(&pairs)
    }
}

/// Published items, newest first.
pub async fn list(
    filters: &Filters,
    per_page: u32,
    language: Language,
) -> Result<Page<MediaSummary>, ApiError> {
    super::get_json(
        &format!("/media{}", filters.api_query(per_page, language)),
        language,
    )
    .await
}

/// One published item in `language` (Turkmen texts where it is not translated).
pub async fn item(slug: &str, language: Language) -> Result<MediaItem, ApiError> {
    super::get_json(
        &format!(
            "/media/{}{}",
            percent_encode(slug),
            query(&[("lang", language.code())])
        ),
        language,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Editors

/// An item as editors see it: every language as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EditorItem {
    pub slug: String,
    pub kind: MediaKind,
    pub status: PublicationStatus,
    #[serde(default)]
    pub allowed: Vec<PublicationStatus>,
    pub title: LocalizedText,
    pub summary: LocalizedText,
    /// Markdown.
    pub body: LocalizedText,
    #[serde(default)]
    pub missing: Vec<Language>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub sort_order: i32,
    #[serde(default)]
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub files: Vec<MediaFile>,
}

/// The body of a create (`kind` set) or a change (`kind` left out).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<MediaKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    pub title: LocalizedText,
    pub summary: LocalizedText,
    pub body: LocalizedText,
    pub tags: Vec<String>,
    pub sort_order: i32,
}

/// Editors' list: every status, filtered.
pub async fn staff_list(
    status: &str,
    kind: &str,
    words: &str,
    language: Language,
) -> Result<Page<MediaSummary>, ApiError> {
    let mut pairs: Vec<(&str, &str)> = vec![("lang", language.code()), ("per_page", "100")];
    for (name, value) in [("status", status), ("kind", kind), ("q", words)] {
        if !value.trim().is_empty() {
            pairs.push((name, value.trim()));
        }
    }
    read_json(
        send(request(
            Method::GET,
            &format!("/staff/media{}", query(&pairs)),
            language,
        ))
        .await?,
    )
    .await
}

pub async fn staff_item(slug: &str, language: Language) -> Result<EditorItem, ApiError> {
    let path = format!("/staff/media/{}", percent_encode(slug));
    read_json(send(request(Method::GET, &path, language)).await?).await
}

/// Creates a draft.
pub async fn create(draft: &Draft, language: Language) -> Result<EditorItem, ApiError> {
    read_json(send_json(request(Method::POST, "/staff/media", language), draft).await?).await
}

/// Changes an item's texts, slug, tags, order.
pub async fn change(slug: &str, draft: &Draft, language: Language) -> Result<EditorItem, ApiError> {
    let path = format!("/staff/media/{}", percent_encode(slug));
    read_json(send_json(request(Method::PATCH, &path, language), draft).await?).await
}

#[derive(Serialize)]
struct StatusChange {
    status: PublicationStatus,
}

/// Publishes, unpublishes, archives or restores.
pub async fn set_status(
    slug: &str,
    status: PublicationStatus,
    language: Language,
) -> Result<EditorItem, ApiError> {
    let path = format!("/staff/media/{}/status", percent_encode(slug));
    read_json(
        send_json(
            request(Method::POST, &path, language),
            &StatusChange { status },
        )
        .await?,
    )
    .await
}

#[derive(Serialize)]
struct PreviewRequest<'a> {
    markdown: &'a str,
}

#[derive(Deserialize)]
struct Rendered {
    html: String,
}

/// The sanitized HTML that `markdown` becomes, exactly as citizens will see it.
pub async fn preview(markdown: &str, language: Language) -> Result<String, ApiError> {
    let response = send_json(
        request(Method::POST, "/staff/media/preview", language),
        &PreviewRequest { markdown },
    )
    .await?;
    read_json::<Rendered>(response).await.map(|r| r.html)
}

pub async fn remove_file(slug: &str, id: i32, language: Language) -> Result<(), ApiError> {
    let path = format!("/staff/media/{}/files/{id}", percent_encode(slug));
    read_text(send(request(Method::DELETE, &path, language)).await?)
        .await
        .map(drop)
}

/// Uploads `file` (with `caption`) to item `slug` through `XMLHttpRequest`, whose upload
/// reports progress (fetch does not): `on_progress` gets the per-cent sent.
pub async fn upload(
    slug: &str,
    file: &web_sys::File,
    caption: &str,
    language: Language,
    on_progress: Callback<u32>,
) -> Result<MediaFile, ApiError> {
    let broken = |what: &str| ApiError::Network(format!("XMLHttpRequest: {what}"));
    let form = web_sys::FormData::new().map_err(|_| broken("FormData"))?;
    if !caption.trim().is_empty() {
        form.append_with_str("caption", caption.trim())
            .map_err(|_| broken("caption"))?;
    }
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(|_| broken("file"))?;
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| broken("new"))?;
    let url = format!("/api/v1/staff/media/{}/files", percent_encode(slug));
    xhr.open_with_async("POST", &url, true)
        .map_err(|_| broken("open"))?;
    let _ = xhr.set_request_header("Accept", "application/json");
    let _ = xhr.set_request_header("Accept-Language", language.code());
    let progress = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(
        move |event: web_sys::ProgressEvent| {
            if event.length_computable() && event.total() > 0.0 {
                let percent = (event.loaded() / event.total() * 100.0).clamp(0.0, 100.0);
                on_progress.emit(percent as u32);
            }
        },
    );
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let finished = {
        let xhr = xhr.clone();
        js_sys::Promise::new(&mut move |resolve: js_sys::Function, _reject| {
            // `loadend` comes once, after success, error or abort alike.
            let done = wasm_bindgen::closure::Closure::once_into_js(move || {
                let _ = resolve.call0(&JsValue::NULL);
            });
            xhr.set_onloadend(Some(done.unchecked_ref()));
        })
    };
    xhr.send_with_opt_form_data(Some(&form))
        .map_err(|_| broken("send"))?;
    let _ = wasm_bindgen_futures::JsFuture::from(finished).await;
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(None);
    }
    drop(progress);
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    read_upload_answer(status, &text)
}

/// The stored file from a 201, or the server's problem; a 413 without a problem document (a
/// proxy's) is still "too large". (The app's one error type, returned once per upload: its size
/// does not matter here.)
#[allow(clippy::result_large_err)]
pub fn read_upload_answer(status: u16, text: &str) -> Result<MediaFile, ApiError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(text).map_err(|e| ApiError::Unreadable(e.to_string()));
    }
    if let Ok(problem) = serde_json::from_str::<Problem>(text) {
        return Err(ApiError::Problem(problem));
    }
    match status {
        0 => Err(ApiError::Network(
            "the upload did not reach the server".into(),
        )),
        413 => Err(ApiError::Problem(Problem {
            kind: "urn:nobat:problem:payload-too-large".into(),
            title: "Payload too large".into(),
            status,
            detail: String::new(),
            errors: Default::default(),
            request_id: None,
        })),
        _ => Err(ApiError::Network(format!("HTTP {status}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(width: i32, thumbs: &[u32]) -> MediaFile {
        MediaFile {
            id: 1,
            class: "image".into(),
            mime: "image/png".into(),
            bytes: 1000,
            width: Some(width),
            height: Some(width * 5 / 8),
            url: "/o.png".into(),
            thumbnails: thumbs
                .iter()
                .map(|&w| Thumbnail {
                    width: w,
                    height: w * 5 / 8,
                    url: format!("/t{w}.jpg"),
                })
                .collect(),
            name: "o.png".into(),
            caption: String::new(),
        }
    }

    #[test]
    fn pictures_pick_the_smallest_copy_wide_enough() {
        let file = image(1600, &[1280, 320]);
        assert_eq!(file.at_least(300), ("/t320.jpg".into(), 320, 200));
        assert_eq!(file.at_least(800), ("/t1280.jpg".into(), 1280, 800));
        assert_eq!(file.at_least(1500), ("/o.png".into(), 1600, 1000));
        assert_eq!(
            file.srcset(),
            "/t320.jpg 320w, /t1280.jpg 1280w, /o.png 1600w"
        );
        assert_eq!(image(200, &[]).srcset(), "/o.png 200w");
    }

    #[test]
    fn filters_become_the_api_query() {
        let filters = Filters {
            kind: Some("photo".into()),
            tag: Some(" ".into()),
            q: Some("Daşoguz".into()),
            page: None,
        };
        assert_eq!(
            filters.api_query(12, Language::Ru),
            "?lang=ru&kind=photo&q=Da%C5%9Foguz&page=1&per_page=12"
        );
    }

    #[test]
    fn upload_answers_are_read() {
        assert!(matches!(
            read_upload_answer(413, "<html>"),
            Err(ApiError::Problem(p)) if p.status == 413
        ));
        assert!(matches!(
            read_upload_answer(0, ""),
            Err(ApiError::Network(_))
        ));
        let problem = r#"{"type":"urn:nobat:problem:validation","title":"Invalid","status":422,"detail":"x","errors":{"file":"not an image"}}"#;
        assert!(matches!(
            read_upload_answer(422, problem),
            Err(ApiError::Problem(p)) if p.errors.get("file").map(String::as_str) == Some("not an image")
        ));
    }
}
