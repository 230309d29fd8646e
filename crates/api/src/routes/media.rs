//! The Multimedia section: photo albums, videos and instructions in three languages. Citizens
//! and integrators list and read published items; files are served from disk by their sha256
//! with `ETag`, a year of `Cache-Control` and byte ranges (videos seek without downloading the
//! whole file). Editors write items, upload files (multipart, streamed to disk with the size
//! limit enforced while streaming, the type decided by content), and publish; all audited.
//! Instruction bodies are Markdown, rendered on the server and sanitized.

use super::bookings::{conflict, random_bytes, request_language};
use crate::auth::Staff;
use crate::db::schema::{media_files, media_items};
use crate::db::{staff as staff_store, PgPool};
use crate::error::ApiError;
use crate::http::no_store;
use actix_web::http::header;
use actix_web::{delete, get, patch, post, web, FromRequest as _, HttpRequest, HttpResponse};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use futures_util::StreamExt as _;
use nobat_domain::booking::FieldErrors;
use nobat_domain::catalog::{parse_paging, Page};
use nobat_domain::media::{
    check_size, max_bytes, sniff, thumbnail_sizes, FileClass, FileType, LocalizedText, MediaKind,
    PublicationStatus, Slug, UploadProblem, SNIFF_LEN,
};
use nobat_domain::staff::Permission;
use nobat_domain::wire::Problem;
use nobat_domain::Language;
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use utoipa::IntoParams;

/// Where media files live; from the configuration (`NOBAT_DATA_DIR/media`).
#[derive(Debug, Clone)]
pub struct MediaSettings {
    pub dir: PathBuf,
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// Renders an instruction's Markdown to HTML that cannot run script: no `<script>`, no event
/// handlers, no `javascript:` or `data:` links; links get `rel="noopener noreferrer"`.
pub fn render_markdown(markdown: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .clean(&unsafe_html)
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Files on disk

fn file_type_code(file_type: FileType) -> &'static str {
    match file_type {
        FileType::Jpeg => "jpeg",
        FileType::Png => "png",
        FileType::WebP => "webp",
        FileType::Mp4 => "mp4",
        FileType::WebM => "webm",
        FileType::Pdf => "pdf",
        FileType::Unknown => "unknown",
    }
}

fn file_type_of(code: &str) -> FileType {
    FileType::ALL
        .into_iter()
        .find(|t| file_type_code(*t) == code)
        .unwrap_or(FileType::Unknown)
}

/// The public URL of a stored file.
fn file_url(sha: &str, file_type: FileType) -> String {
    format!(
        "{}/media/files/{sha}.{}",
        super::API_BASE,
        file_type.extension().unwrap_or("bin")
    )
}

/// Writes bytes under their sha256 (once: the same content twice is one file).
fn store_bytes(dir: &Path, bytes: &[u8]) -> Result<String, ApiError> {
    let sha = format!("{:x}", Sha256::digest(bytes));
    let path = dir.join(&sha);
    if !path.exists() {
        let partial = dir.join(format!("{sha}.{}.partial", token(6)?));
        std::fs::write(&partial, bytes).map_err(ApiError::internal)?;
        std::fs::rename(&partial, &path).map_err(ApiError::internal)?;
    }
    Ok(sha)
}

fn token(n: usize) -> Result<String, ApiError> {
    let bytes = random_bytes::<16>()?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes[..n.min(16)]))
}

/// A thumbnail as stored: JPEG, made by the server.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct StoredThumb {
    width: u32,
    height: u32,
    sha256: String,
}

/// What processing an upload kept: the stored file, its size in pixels and its thumbnails.
struct Processed {
    sha256: String,
    bytes: u64,
    dimensions: Option<(u32, u32)>,
    thumbnails: Vec<StoredThumb>,
}

/// Images lose their metadata (EXIF location included) and get JPEG thumbnails; other files are
/// moved into place as they are, never read into memory.
fn process(
    dir: &Path,
    partial: &Path,
    file_type: FileType,
    sha: String,
    len: u64,
) -> Result<Processed, ApiError> {
    if file_type.class() != Some(FileClass::Image) {
        let path = dir.join(&sha);
        if path.exists() {
            std::fs::remove_file(partial).map_err(ApiError::internal)?;
        } else {
            std::fs::rename(partial, &path).map_err(ApiError::internal)?;
        }
        return Ok(Processed {
            sha256: sha,
            bytes: len,
            dimensions: None,
            thumbnails: Vec::new(),
        });
    }
    let original = std::fs::read(partial).map_err(ApiError::internal)?;
    let _ = std::fs::remove_file(partial);
    let unreadable = |detail: String| {
        ApiError::invalid(
            [(
                "file".to_owned(),
                format!("the image cannot be read: {detail}"),
            )]
            .into(),
        )
    };
    let clean = nobat_domain::media_meta::strip_metadata(file_type, &original)
        .map_err(|e| unreadable(e.to_string()))?;
    let image = image::load_from_memory(&clean).map_err(|e| unreadable(e.to_string()))?;
    let (width, height) = (image.width(), image.height());
    let sha256 = store_bytes(dir, &clean)?;
    let mut thumbnails = Vec::new();
    for (w, h) in thumbnail_sizes(width, height) {
        let small = image.resize_exact(w, h, image::imageops::FilterType::Triangle);
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 82)
            .encode_image(&small.to_rgb8())
            .map_err(ApiError::internal)?;
        thumbnails.push(StoredThumb {
            width: w,
            height: h,
            sha256: store_bytes(dir, &jpeg)?,
        });
    }
    Ok(Processed {
        sha256,
        bytes: clean.len() as u64,
        dimensions: Some((width, height)),
        thumbnails,
    })
}

// ---------------------------------------------------------------------------------------------
// Wire types

/// A server-made smaller copy of an image (JPEG).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Thumbnail {
    pub width: u32,
    pub height: u32,
    pub url: String,
}

/// A file of an item.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MediaFile {
    pub id: i32,
    /// `image`, `video` or `attachment`.
    pub class: String,
    pub mime: String,
    pub bytes: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    /// Served with ETag, long caching and byte ranges.
    pub url: String,
    /// Narrower copies (320 and 1280 px wide) for grids and lightboxes; none when the image is
    /// narrower than that.
    pub thumbnails: Vec<Thumbnail>,
    pub name: String,
    pub caption: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = media_files, check_for_backend(diesel::pg::Pg))]
struct FileRow {
    id: i32,
    item_id: i32,
    sha256: String,
    file_type: String,
    class: String,
    bytes: i64,
    width: Option<i32>,
    height: Option<i32>,
    thumbnails: serde_json::Value,
    original_name: String,
    caption: String,
}

impl FileRow {
    fn to_wire(&self) -> MediaFile {
        let file_type = file_type_of(&self.file_type);
        let thumbs: Vec<StoredThumb> =
            serde_json::from_value(self.thumbnails.clone()).unwrap_or_default();
        MediaFile {
            id: self.id,
            class: self.class.clone(),
            mime: file_type.mime().to_owned(),
            bytes: self.bytes,
            width: self.width,
            height: self.height,
            url: file_url(&self.sha256, file_type),
            thumbnails: thumbs
                .iter()
                .map(|t| Thumbnail {
                    width: t.width,
                    height: t.height,
                    url: file_url(&t.sha256, FileType::Jpeg),
                })
                .collect(),
            name: self.original_name.clone(),
            caption: self.caption.clone(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = media_items, check_for_backend(diesel::pg::Pg))]
struct ItemRow {
    id: i32,
    slug: String,
    kind: String,
    status: String,
    title_tk: String,
    title_ru: Option<String>,
    title_en: Option<String>,
    summary_tk: String,
    summary_ru: Option<String>,
    summary_en: Option<String>,
    body_tk: String,
    body_ru: Option<String>,
    body_en: Option<String>,
    tags: Vec<String>,
    published_at: Option<DateTime<Utc>>,
    sort_order: i32,
    updated_at: DateTime<Utc>,
}

impl ItemRow {
    fn title(&self) -> LocalizedText {
        LocalizedText::new(&self.title_tk, self.title_ru.clone(), self.title_en.clone())
    }
    fn summary(&self) -> LocalizedText {
        LocalizedText::new(
            &self.summary_tk,
            self.summary_ru.clone(),
            self.summary_en.clone(),
        )
    }
    fn body(&self) -> LocalizedText {
        LocalizedText::new(&self.body_tk, self.body_ru.clone(), self.body_en.clone())
    }
    fn kind(&self) -> MediaKind {
        MediaKind::parse(&self.kind).unwrap_or(MediaKind::Instruction)
    }
    fn status(&self) -> PublicationStatus {
        PublicationStatus::parse(&self.status).unwrap_or_default()
    }
}

/// One item in a list.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MediaSummary {
    pub slug: String,
    pub kind: MediaKind,
    pub title: String,
    pub summary: String,
    /// The language of the texts.
    pub language: Language,
    /// The texts are the Turkmen ones: this language's translation is not written yet.
    pub fallback: bool,
    pub tags: Vec<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The first image (an album's first photo, a video's poster).
    pub cover: Option<MediaFile>,
    /// How many files the item has.
    pub file_count: usize,
}

/// A published item with its files; an instruction's body as sanitized HTML.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MediaItem {
    #[serde(flatten)]
    pub summary: MediaSummary,
    pub body_html: String,
    pub files: Vec<MediaFile>,
}

fn summarize(row: &ItemRow, files: &[MediaFile], language: Language) -> MediaSummary {
    let title = row.title();
    let summary = row.summary();
    let (title_text, fallback) = title.get(language);
    MediaSummary {
        slug: row.slug.clone(),
        kind: row.kind(),
        title: title_text.to_owned(),
        summary: summary.get(language).0.to_owned(),
        language: if fallback { Language::Tk } else { language },
        fallback,
        tags: row.tags.clone(),
        published_at: row.published_at,
        cover: files.iter().find(|f| f.class == "image").cloned(),
        file_count: files.len(),
    }
}

fn files_of(
    conn: &mut PgConnection,
    items: &[i32],
) -> QueryResult<std::collections::HashMap<i32, Vec<MediaFile>>> {
    let rows: Vec<FileRow> = media_files::table
        .filter(media_files::item_id.eq_any(items))
        .order((media_files::position, media_files::id))
        .select(FileRow::as_select())
        .load(conn)?;
    let mut by_item: std::collections::HashMap<i32, Vec<MediaFile>> = Default::default();
    for row in rows {
        by_item.entry(row.item_id).or_default().push(row.to_wire());
    }
    Ok(by_item)
}

fn language_of(request: &HttpRequest, raw: Option<&str>) -> Result<Language, ApiError> {
    match raw.map(str::trim).filter(|l| !l.is_empty()) {
        None => Ok(request_language(request)),
        Some(tag) => Language::parse(tag).map_err(|_| {
            ApiError::invalid([("lang".to_owned(), "must be tk, ru or en".to_owned())].into())
        }),
    }
}

/// `%` and `_` typed by a reader are letters, not wildcards.
fn like_pattern(text: &str) -> String {
    let escaped = text
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

// ---------------------------------------------------------------------------------------------
// Public

#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MediaQuery {
    /// `photo`, `video` or `instruction`.
    kind: Option<String>,
    /// Only items with this tag.
    tag: Option<String>,
    /// The language of the texts: `tk`, `ru` or `en` (default: `Accept-Language`).
    lang: Option<String>,
    /// Words to find in titles, summaries and bodies (any language).
    q: Option<String>,
    /// 1-based page number (default 1).
    page: Option<String>,
    /// Items per page, 1-100 (default 12).
    per_page: Option<String>,
    /// Staff lists only: `draft`, `published` or `archived`.
    status: Option<String>,
}

/// Published items, newest first.
#[utoipa::path(
    tag = "media",
    operation_id = "list_media",
    params(MediaQuery),
    responses(
        (status = 200, description = "One page of items", body = Page<MediaSummary>),
        (status = 422, description = "An unknown kind or language, or bad paging", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/media")]
pub async fn list_media(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    query: web::Query<MediaQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = listing(&request, pool, &query, Some(PublicationStatus::Published)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .json(page))
}

async fn listing(
    request: &HttpRequest,
    pool: web::Data<PgPool>,
    query: &MediaQuery,
    only: Option<PublicationStatus>,
) -> Result<Page<MediaSummary>, ApiError> {
    let mut errors = FieldErrors::new();
    let paging = parse_paging(query.page.as_deref(), query.per_page.as_deref(), 12);
    if let Err(e) = &paging {
        errors.extend(e.clone());
    }
    let kind = query
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty());
    if kind.is_some_and(|k| MediaKind::parse(k).is_none()) {
        errors.insert("kind".into(), "must be photo, video or instruction".into());
    }
    let status = match only {
        Some(status) => Some(status.code().to_owned()),
        None => {
            let raw = query
                .status
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty());
            if raw.is_some_and(|s| PublicationStatus::parse(s).is_none()) {
                errors.insert(
                    "status".into(),
                    "must be draft, published or archived".into(),
                );
            }
            raw.map(str::to_owned)
        }
    };
    let language = language_of(request, query.lang.as_deref());
    if language.is_err() {
        errors.insert("lang".into(), "must be tk, ru or en".into());
    }
    let (page, per_page) = match paging {
        Ok(p) if errors.is_empty() => p,
        _ => return Err(ApiError::invalid(errors)),
    };
    let language = language?;
    let kind = kind.map(str::to_owned);
    let tag = query
        .tag
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    let search = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(like_pattern);
    web::block(move || {
        let mut conn = pool.get()?;
        let filtered = || {
            let mut q = media_items::table.into_boxed();
            if let Some(status) = &status {
                q = q.filter(media_items::status.eq(status.clone()));
            }
            if let Some(kind) = &kind {
                q = q.filter(media_items::kind.eq(kind.clone()));
            }
            if let Some(tag) = &tag {
                q = q.filter(media_items::tags.contains(vec![tag.clone()]));
            }
            if let Some(p) = &search {
                q = q.filter(
                    media_items::title_tk
                        .ilike(p.clone())
                        .or(media_items::title_ru.ilike(p.clone()))
                        .or(media_items::title_en.ilike(p.clone()))
                        .or(media_items::summary_tk.ilike(p.clone()))
                        .or(media_items::summary_ru.ilike(p.clone()))
                        .or(media_items::summary_en.ilike(p.clone()))
                        .or(media_items::body_tk.ilike(p.clone()))
                        .or(media_items::body_ru.ilike(p.clone()))
                        .or(media_items::body_en.ilike(p.clone())),
                );
            }
            q
        };
        let total: i64 = filtered().count().get_result(&mut conn)?;
        let rows: Vec<ItemRow> = filtered()
            .order((
                media_items::published_at.desc().nulls_first(),
                media_items::sort_order,
                media_items::id.desc(),
            ))
            .offset(i64::from((page - 1) * per_page))
            .limit(i64::from(per_page))
            .select(ItemRow::as_select())
            .load(&mut conn)?;
        let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
        let mut files = files_of(&mut conn, &ids)?;
        Ok(Page {
            items: rows
                .iter()
                .map(|r| summarize(r, &files.remove(&r.id).unwrap_or_default(), language))
                .collect(),
            page,
            per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    })
    .await?
}

#[derive(Debug, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LanguageQuery {
    /// `tk`, `ru` or `en` (default: `Accept-Language`).
    lang: Option<String>,
}

fn find_item(conn: &mut PgConnection, slug: &str) -> Result<ItemRow, ApiError> {
    media_items::table
        .filter(media_items::slug.eq(slug))
        .select(ItemRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found(format!("There is no item {slug:?}.")))
}

/// One published item with its files.
#[utoipa::path(
    tag = "media",
    operation_id = "get_media",
    params(("slug" = String, Path, description = "The item's stable name", example = "how-to-book-a-visit"), LanguageQuery),
    responses(
        (status = 200, description = "The item", body = MediaItem),
        (status = 404, description = "No published item has this slug", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown language", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/media/{slug}")]
pub async fn get_media(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    slug: web::Path<String>,
    query: web::Query<LanguageQuery>,
) -> Result<HttpResponse, ApiError> {
    let language = language_of(&request, query.lang.as_deref())?;
    let item = web::block(move || {
        let mut conn = pool.get()?;
        let row = find_item(&mut conn, &slug)?;
        if !row.status().is_public() {
            return Err(ApiError::not_found(format!("There is no item {slug:?}.")));
        }
        let files = files_of(&mut conn, &[row.id])?
            .remove(&row.id)
            .unwrap_or_default();
        Ok(MediaItem {
            summary: summarize(&row, &files, language),
            body_html: render_markdown(row.body().get(language).0),
            files,
        })
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .json(item))
}

/// Who may see a stored file: everyone once an item showing it is published, editors while it
/// is only in drafts or archived items, nobody when no item has it (any more).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileAudience {
    Everyone,
    Editors,
    Nobody,
}

fn file_audience(conn: &mut PgConnection, sha: &str) -> QueryResult<FileAudience> {
    #[derive(QueryableByName)]
    struct Seen {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        published: bool,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        known: bool,
    }
    let seen: Seen = crate::db::prepared::Prepared::new(
        "SELECT coalesce(bool_or(i.status = 'published'), false) AS published,
                count(*) > 0 AS known
           FROM media_files f JOIN media_items i ON i.id = f.item_id
          WHERE f.sha256 = $1
             OR f.thumbnails @> jsonb_build_array(jsonb_build_object('sha256', $1::text))",
    )
    .bind::<diesel::sql_types::Text, _>(sha)
    .get_result(conn)?;
    Ok(match (seen.published, seen.known) {
        (true, _) => FileAudience::Everyone,
        (false, true) => FileAudience::Editors,
        (false, false) => FileAudience::Nobody,
    })
}

/// A stored file (or thumbnail) by its sha256: `ETag`, a year of `Cache-Control` (the name is
/// its content), `Range` for seeking (206, or 416 for a range past the end). Only files of
/// published items are public; those of drafts and archived items are served to editors
/// (session or token) with `Cache-Control: private, no-store`, and are a 404 for anyone else.
#[utoipa::path(
    tag = "media",
    operation_id = "get_media_file",
    params(("file" = String, Path, description = "`{sha256}.{extension}` as in a file's `url`", example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg")),
    responses(
        (status = 200, description = "The whole file", content_type = "application/octet-stream"),
        (status = 206, description = "The requested byte range"),
        (status = 304, description = "Not modified since the `ETag` in `If-None-Match`"),
        (status = 404, description = "No such file, or not published and the request is not an editor's", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = "The range lies past the end of the file"),
        (status = 503, description = "The database is unavailable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/media/files/{file}")]
pub async fn get_media_file(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    settings: web::Data<MediaSettings>,
    file: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::not_found("No such file.");
    let (sha, extension) = file.split_once('.').ok_or_else(not_found)?;
    let valid = sha.len() == 64
        && sha
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    let file_type = FileType::ALL
        .into_iter()
        .find(|t| t.extension() == Some(extension))
        .ok_or_else(not_found)?;
    if !valid {
        return Err(not_found());
    }
    let sha_owned = sha.to_owned();
    let audience = web::block(move || {
        let mut conn = pool.get()?;
        file_audience(&mut conn, &sha_owned).map_err(ApiError::from)
    })
    .await??;
    let cache_control = match audience {
        FileAudience::Everyone => "public, max-age=31536000, immutable",
        FileAudience::Editors => {
            let editor = Staff::from_request(&request, &mut actix_web::dev::Payload::None)
                .await
                .ok()
                .filter(|staff| staff.require(Permission::EditContent, None).is_ok());
            if editor.is_none() {
                return Err(not_found());
            }
            "private, no-store"
        }
        FileAudience::Nobody => return Err(not_found()),
    };
    let named = actix_files::NamedFile::open_async(settings.dir.join(sha))
        .await
        .map_err(|_| not_found())?
        .set_content_type(file_type.mime().parse().map_err(|_| not_found())?)
        .use_etag(true)
        .use_last_modified(false)
        .disable_content_disposition();
    let mut response = named.into_response(&request);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static(cache_control),
    );
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// Editors

/// An item as editors see it: every language as written, the status and the moves allowed.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct EditorItem {
    pub slug: String,
    pub kind: MediaKind,
    pub status: PublicationStatus,
    /// The statuses it may move to now.
    pub allowed: Vec<PublicationStatus>,
    pub title: LocalizedText,
    pub summary: LocalizedText,
    /// Markdown.
    pub body: LocalizedText,
    /// The languages whose title is not written yet.
    pub missing: Vec<Language>,
    pub tags: Vec<String>,
    pub sort_order: i32,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub files: Vec<MediaFile>,
}

fn editor_item(conn: &mut PgConnection, row: &ItemRow) -> Result<EditorItem, ApiError> {
    let files = files_of(conn, &[row.id])?
        .remove(&row.id)
        .unwrap_or_default();
    let title = row.title();
    Ok(EditorItem {
        slug: row.slug.clone(),
        kind: row.kind(),
        status: row.status(),
        allowed: row.status().next_statuses(),
        missing: title.missing(),
        title,
        summary: row.summary(),
        body: row.body(),
        tags: row.tags.clone(),
        sort_order: row.sort_order,
        published_at: row.published_at,
        updated_at: row.updated_at,
        files,
    })
}

/// Every item, drafts and archived included, for editors.
#[utoipa::path(
    tag = "media",
    operation_id = "list_media_editor",
    params(MediaQuery),
    responses(
        (status = 200, description = "One page of items", body = Page<MediaSummary>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter or paging value", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/media")]
pub async fn list_media_editor(
    request: HttpRequest,
    staff: Staff,
    pool: web::Data<PgPool>,
    query: web::Query<MediaQuery>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditContent, None)?;
    let page = listing(&request, pool, &query, None).await?;
    Ok(no_store(&page))
}

/// One item as editors see it.
#[utoipa::path(
    tag = "media",
    operation_id = "get_media_editor",
    params(("slug" = String, Path, description = "The item", example = "how-to-book-a-visit")),
    responses(
        (status = 200, description = "The item", body = EditorItem),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/media/{slug}")]
pub async fn get_media_editor(
    staff: Staff,
    pool: web::Data<PgPool>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditContent, None)?;
    let item = web::block(move || {
        let mut conn = pool.get()?;
        let row = find_item(&mut conn, &slug)?;
        editor_item(&mut conn, &row)
    })
    .await??;
    Ok(no_store(&item))
}

/// `POST /api/v1/staff/media` and `PATCH /api/v1/staff/media/{slug}` (every field optional
/// there; `kind` cannot change).
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({
    "kind": "instruction",
    "title": {"tk": "Nobata nädip ýazylmaly", "ru": "Как записаться на приём", "en": "How to book a visit"},
    "summary": {"tk": "Dört ädimde.", "ru": "В четыре шага.", "en": "In four steps."},
    "body": {"tk": "1. Bölümi saýlaň…", "ru": "1. Выберите отдел…", "en": "1. Choose a branch…"},
    "tags": ["booking"]
}))]
pub struct MediaDraft {
    /// `photo`, `video` or `instruction` (on creation only).
    pub kind: Option<String>,
    /// Made from the Turkmen title when left out.
    pub slug: Option<String>,
    pub title: Option<LocalizedText>,
    pub summary: Option<LocalizedText>,
    /// Markdown.
    pub body: Option<LocalizedText>,
    pub tags: Option<Vec<String>>,
    /// Items with a lower number come first among those published the same moment.
    pub sort_order: Option<i32>,
}

fn clean_text(
    errors: &mut FieldErrors,
    field: &str,
    text: &LocalizedText,
    required: bool,
    max: usize,
) -> LocalizedText {
    let out = LocalizedText::new(
        text.tk.trim(),
        text.ru.as_deref().map(|t| t.trim().to_owned()),
        text.en.as_deref().map(|t| t.trim().to_owned()),
    );
    if required && out.tk.is_empty() {
        errors.insert(format!("{field}.tk"), "is required".into());
    }
    for (language, value) in [
        ("tk", Some(&out.tk)),
        ("ru", out.ru.as_ref()),
        ("en", out.en.as_ref()),
    ] {
        if value.is_some_and(|v| v.chars().count() > max) {
            errors.insert(
                format!("{field}.{language}"),
                format!("must be at most {max} characters"),
            );
        }
    }
    out
}

fn clean_tags(errors: &mut FieldErrors, tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.trim().to_lowercase();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > 40 || tag.chars().any(|c| c.is_control() || c == ',') {
            errors.insert(
                "tags".into(),
                "each tag: at most 40 characters, no commas".into(),
            );
        } else if !out.contains(&tag) {
            out.push(tag);
        }
    }
    if out.len() > 20 {
        errors.insert("tags".into(), "at most 20 tags".into());
    }
    out
}

/// The columns creating and changing an item both write.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = media_items, treat_none_as_null = true)]
struct ItemValues {
    slug: String,
    title_tk: String,
    title_ru: Option<String>,
    title_en: Option<String>,
    summary_tk: String,
    summary_ru: Option<String>,
    summary_en: Option<String>,
    body_tk: String,
    body_ru: Option<String>,
    body_en: Option<String>,
    tags: Vec<String>,
    sort_order: i32,
}

impl ItemValues {
    fn new(
        slug: String,
        title: LocalizedText,
        summary: LocalizedText,
        body: LocalizedText,
        tags: Vec<String>,
        sort_order: i32,
    ) -> Self {
        ItemValues {
            slug,
            title_tk: title.tk,
            title_ru: title.ru,
            title_en: title.en,
            summary_tk: summary.tk,
            summary_ru: summary.ru,
            summary_en: summary.en,
            body_tk: body.tk,
            body_ru: body.ru,
            body_en: body.en,
            tags,
            sort_order,
        }
    }
}

fn slug_of(errors: &mut FieldErrors, raw: Option<&str>, title: &str) -> Option<Slug> {
    let parsed = match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => Slug::parse(raw),
        None => Slug::from_title(title),
    };
    parsed
        .map_err(|e| errors.insert("slug".into(), e.message(Language::En)))
        .ok()
}

fn slug_taken(slug: &str) -> ApiError {
    conflict(
        "slug-taken",
        "The slug is taken",
        format!("Another item is at {slug:?}; choose another slug."),
    )
}

fn item_snapshot(item: &EditorItem) -> serde_json::Value {
    serde_json::json!({
        "slug": item.slug, "status": item.status, "title": item.title, "summary": item.summary,
        "body": item.body, "tags": item.tags, "sort_order": item.sort_order,
        "files": item.files.iter().map(|f| &f.url).collect::<Vec<_>>(),
    })
}

/// Write a new item (a draft).
#[utoipa::path(
    tag = "media",
    operation_id = "create_media",
    request_body = MediaDraft,
    responses(
        (status = 201, description = "The new draft", body = EditorItem),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`slug-taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/media")]
pub async fn create_media(
    staff: Staff,
    pool: web::Data<PgPool>,
    body: web::Json<MediaDraft>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditContent, None)?;
    let body = body.into_inner();
    let mut errors = FieldErrors::new();
    let kind = body
        .kind
        .as_deref()
        .and_then(|k| MediaKind::parse(k.trim()));
    if kind.is_none() {
        errors.insert("kind".into(), "must be photo, video or instruction".into());
    }
    let title = clean_text(
        &mut errors,
        "title",
        &body.title.clone().unwrap_or_default(),
        true,
        200,
    );
    let summary = clean_text(
        &mut errors,
        "summary",
        &body.summary.clone().unwrap_or_default(),
        false,
        1000,
    );
    let text = clean_text(
        &mut errors,
        "body",
        &body.body.clone().unwrap_or_default(),
        false,
        100_000,
    );
    let tags = clean_tags(&mut errors, body.tags.as_deref().unwrap_or_default());
    let slug = slug_of(&mut errors, body.slug.as_deref(), &title.tk);
    let (Some(kind), Some(slug)) = (kind, slug) else {
        return Err(ApiError::invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let values = ItemValues::new(
        slug.as_str().to_owned(),
        title,
        summary,
        text,
        tags,
        body.sort_order.unwrap_or(0),
    );
    let item = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let inserted = diesel::insert_into(media_items::table)
                .values((
                    media_items::kind.eq(kind.code()),
                    media_items::created_by.eq(Some(staff.id)),
                    &values,
                ))
                .on_conflict_do_nothing()
                .execute(conn)?;
            if inserted == 0 {
                return Err(slug_taken(&values.slug));
            }
            let row = find_item(conn, &values.slug)?;
            let item = editor_item(conn, &row)?;
            staff_store::audit(
                conn,
                &staff,
                "create_media",
                &format!("media:{}", item.slug),
                serde_json::Value::Null,
                item_snapshot(&item),
            )?;
            Ok(item)
        })
    })
    .await??;
    Ok(HttpResponse::Created().json(item))
}

/// Change an item's texts, slug, tags or place in the order.
#[utoipa::path(
    tag = "media",
    operation_id = "change_media",
    request_body = MediaDraft,
    params(("slug" = String, Path, description = "The item", example = "how-to-book-a-visit")),
    responses(
        (status = 200, description = "The item now", body = EditorItem),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`slug-taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/staff/media/{slug}")]
pub async fn change_media(
    staff: Staff,
    pool: web::Data<PgPool>,
    path: web::Path<String>,
    body: web::Json<MediaDraft>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditContent, None)?;
    let current = path.into_inner();
    let body = body.into_inner();
    let item = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let row = find_item(conn, &current)?;
            let before = editor_item(conn, &row)?;
            let mut errors = FieldErrors::new();
            let title = clean_text(
                &mut errors,
                "title",
                body.title.as_ref().unwrap_or(&before.title),
                true,
                200,
            );
            let summary = clean_text(
                &mut errors,
                "summary",
                body.summary.as_ref().unwrap_or(&before.summary),
                false,
                1000,
            );
            let text = clean_text(
                &mut errors,
                "body",
                body.body.as_ref().unwrap_or(&before.body),
                false,
                100_000,
            );
            let tags = clean_tags(&mut errors, body.tags.as_deref().unwrap_or(&before.tags));
            if body
                .kind
                .as_deref()
                .is_some_and(|k| k.trim() != before.kind.code())
            {
                errors.insert("kind".into(), "cannot change; make a new item".into());
            }
            let slug = slug_of(
                &mut errors,
                Some(body.slug.as_deref().unwrap_or(&before.slug)),
                &title.tk,
            );
            let Some(slug) = slug.filter(|_| errors.is_empty()) else {
                return Err(ApiError::invalid(errors));
            };
            let values = ItemValues::new(
                slug.as_str().to_owned(),
                title,
                summary,
                text,
                tags,
                body.sort_order.unwrap_or(before.sort_order),
            );
            let taken = slug.as_str() != before.slug
                && media_items::table
                    .filter(media_items::slug.eq(slug.as_str()))
                    .count()
                    .get_result::<i64>(conn)?
                    > 0;
            if taken {
                return Err(slug_taken(slug.as_str()));
            }
            diesel::update(media_items::table.find(row.id))
                .set(&values)
                .execute(conn)?;
            let row = find_item(conn, slug.as_str())?;
            let after = editor_item(conn, &row)?;
            staff_store::audit(
                conn,
                &staff,
                "change_media",
                &format!("media:{}", before.slug),
                item_snapshot(&before),
                item_snapshot(&after),
            )?;
            Ok(after)
        })
    })
    .await??;
    Ok(no_store(&item))
}

/// `POST /api/v1/staff/media/{slug}/status`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"status": "published"}))]
pub struct MediaStatusChange {
    /// `draft` (unpublish, or restore from the archive), `published` or `archived`.
    pub status: String,
}

/// Publish, unpublish, archive or restore an item (only the moves the domain allows).
#[utoipa::path(
    tag = "media",
    operation_id = "change_media_status",
    request_body = MediaStatusChange,
    params(("slug" = String, Path, description = "The item", example = "how-to-book-a-visit")),
    responses(
        (status = 200, description = "The item now", body = EditorItem),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`transition-not-allowed`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown status", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/media/{slug}/status")]
pub async fn change_media_status(
    staff: Staff,
    pool: web::Data<PgPool>,
    path: web::Path<String>,
    body: web::Json<MediaStatusChange>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditContent, None)?;
    let next = PublicationStatus::parse(body.status.trim()).ok_or_else(|| {
        ApiError::invalid(
            [(
                "status".to_owned(),
                "must be draft, published or archived".to_owned(),
            )]
            .into(),
        )
    })?;
    let slug = path.into_inner();
    let item = web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let row = find_item(conn, &slug)?;
            let current = row.status();
            current.check_transition(next).map_err(|e| {
                conflict(
                    "transition-not-allowed",
                    "Not allowed now",
                    e.message(Language::En),
                )
            })?;
            let target = media_items::table.find(row.id);
            if next == PublicationStatus::Published && row.published_at.is_none() {
                diesel::update(target)
                    .set((
                        media_items::status.eq(next.code()),
                        media_items::published_at.eq(Some(Utc::now())),
                    ))
                    .execute(conn)?;
            } else {
                diesel::update(target)
                    .set(media_items::status.eq(next.code()))
                    .execute(conn)?;
            }
            staff_store::audit(
                conn,
                &staff,
                "change_media_status",
                &format!("media:{slug}"),
                serde_json::json!({"status": current}),
                serde_json::json!({"status": next}),
            )?;
            let row = find_item(conn, &slug)?;
            editor_item(conn, &row)
        })
    })
    .await??;
    Ok(no_store(&item))
}

/// `POST /api/v1/staff/media/preview`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"markdown": "**Bring** your passport. <script>alert(1)</script>"}))]
pub struct MarkdownPreview {
    pub markdown: String,
}

/// The HTML a Markdown body becomes (sanitized), for the editor's live preview.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RenderedHtml {
    pub html: String,
}

/// Render Markdown exactly as citizens will see it.
#[utoipa::path(
    tag = "media",
    operation_id = "preview_markdown",
    request_body = MarkdownPreview,
    responses(
        (status = 200, description = "The sanitized HTML", body = RenderedHtml),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Longer than the body limit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/media/preview")]
pub async fn preview_markdown(
    staff: Staff,
    body: web::Json<MarkdownPreview>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditContent, None)?;
    Ok(no_store(&RenderedHtml {
        html: render_markdown(&body.markdown),
    }))
}

/// The class a file's name claims (`.mp4` → video), if its extension is one we know.
fn declared_class(name: &str) -> Option<FileClass> {
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    let extension = if extension == "jpeg" {
        "jpg".to_owned()
    } else {
        extension
    };
    FileType::ALL
        .into_iter()
        .find(|t| t.extension() == Some(extension.as_str()))
        .and_then(FileType::class)
}

fn upload_problem(problem: UploadProblem, language: Language) -> ApiError {
    match problem {
        UploadProblem::TooLarge { max } => ApiError::PayloadTooLarge {
            limit: usize::try_from(max).unwrap_or(usize::MAX),
        },
        other => ApiError::invalid([("file".to_owned(), other.message(language))].into()),
    }
}

/// A partial upload on disk, removed unless kept.
struct Partial(PathBuf);

impl Drop for Partial {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// What streaming one file to disk gave.
struct Streamed {
    partial: Partial,
    file_type: FileType,
    sha256: String,
    len: u64,
    name: String,
}

/// Streams the `file` field to a partial file: sniffs the type from the first bytes, refuses a
/// type the item cannot carry or that its name contradicts, and stops at the size limit.
async fn stream_file(
    field: &mut actix_multipart::Field,
    dir: &Path,
    kind: MediaKind,
    language: Language,
) -> Result<Streamed, ApiError> {
    let name: String = field
        .content_disposition()
        .and_then(|d| d.get_filename())
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let mut head: Vec<u8> = Vec::new();
    let mut out: Option<(std::fs::File, Partial, FileType, FileClass)> = None;
    let mut hasher = Sha256::new();
    let mut len: u64 = 0;
    loop {
        let chunk = match field.next().await {
            Some(chunk) => chunk.map_err(|e| ApiError::BadRequest {
                detail: format!("The upload broke off: {e}"),
            })?,
            None => web::Bytes::new(),
        };
        let done = chunk.is_empty();
        len += chunk.len() as u64;
        if out.is_none() {
            head.extend_from_slice(&chunk);
            if head.len() < SNIFF_LEN && !done {
                continue;
            }
            let found = sniff(&head);
            let class = found
                .class()
                .ok_or_else(|| upload_problem(UploadProblem::UnknownType, language))?;
            let expected = declared_class(&name).unwrap_or(class);
            if expected != class || !kind.accepts(class) {
                let expected = if kind.accepts(expected) {
                    expected
                } else {
                    class
                };
                return Err(upload_problem(
                    UploadProblem::Mismatch { expected, found },
                    language,
                ));
            }
            std::fs::create_dir_all(dir).map_err(ApiError::internal)?;
            let partial = Partial(dir.join(format!("upload-{}.partial", token(12)?)));
            let mut file = std::fs::File::create(&partial.0).map_err(ApiError::internal)?;
            file.write_all(&head).map_err(ApiError::internal)?;
            hasher.update(&head);
            check_size(class, len).map_err(|p| upload_problem(p, language))?;
            out = Some((file, partial, found, class));
        } else if let Some((file, _, _, class)) = out.as_mut() {
            check_size(*class, len).map_err(|p| upload_problem(p, language))?;
            file.write_all(&chunk).map_err(ApiError::internal)?;
            hasher.update(&chunk);
        }
        if done {
            break;
        }
    }
    let (file, partial, file_type, _) =
        out.ok_or_else(|| upload_problem(UploadProblem::UnknownType, language))?;
    file.sync_all().map_err(ApiError::internal)?;
    Ok(Streamed {
        partial,
        file_type,
        sha256: format!("{:x}", hasher.finalize()),
        len,
        name,
    })
}

/// Add a file to an item: images (JPEG, PNG, WebP, 10 MiB) to any kind, videos (MP4, WebM,
/// 200 MiB) to a video, PDF attachments (20 MiB) to an instruction. Sent as
/// `multipart/form-data` with the file in `file` and an optional `caption`. The type is read
/// from the content; a name that claims another type is refused. Images lose their metadata
/// (EXIF location included) and get 320 and 1280 px wide thumbnails.
#[utoipa::path(
    tag = "media",
    operation_id = "upload_media_file",
    params(("slug" = String, Path, description = "The item", example = "our-new-hall")),
    request_body(content = String, description = "`multipart/form-data`: `file` and optionally `caption`", content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The stored file", body = MediaFile),
        (status = 400, description = "Not a readable multipart body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over the limit of its type; reading stopped there", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart/form-data", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown type, a type the item cannot carry, or a name that claims another type", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/media/{slug}/files")]
pub async fn upload_media_file(
    request: HttpRequest,
    staff: Staff,
    pool: web::Data<PgPool>,
    settings: web::Data<MediaSettings>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditContent, None)?;
    let language = request_language(&request);
    let slug = path.into_inner();
    let (pool2, slug2) = (pool.clone(), slug.clone());
    let item = web::block(move || {
        let mut conn = pool2.get()?;
        find_item(&mut conn, &slug2)
    })
    .await??;
    let largest = max_bytes(FileClass::Video);
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > largest + 64 * 1024) {
        return Err(ApiError::PayloadTooLarge {
            limit: usize::try_from(largest).unwrap_or(usize::MAX),
        });
    }
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(ApiError::UnsupportedMediaType {
            detail: "Send the file as multipart/form-data in a field named file.".into(),
        });
    }
    let mut form = actix_multipart::Multipart::new(request.headers(), payload);
    let mut streamed = None;
    let mut caption = String::new();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| ApiError::BadRequest {
            detail: format!("The multipart body cannot be read: {e}"),
        })?;
        match field.name() {
            Some("file") if streamed.is_none() => {
                streamed =
                    Some(stream_file(&mut field, &settings.dir, item.kind(), language).await?);
            }
            Some("caption") => {
                let mut text = Vec::new();
                while let Some(chunk) = field.next().await {
                    let chunk = chunk.map_err(|e| ApiError::BadRequest {
                        detail: e.to_string(),
                    })?;
                    if text.len() + chunk.len() > 2000 {
                        return Err(ApiError::invalid(
                            [(
                                "caption".to_owned(),
                                "must be at most 500 characters".to_owned(),
                            )]
                            .into(),
                        ));
                    }
                    text.extend_from_slice(&chunk);
                }
                caption = String::from_utf8_lossy(&text)
                    .trim()
                    .chars()
                    .take(500)
                    .collect();
            }
            _ => while field.next().await.is_some() {},
        }
    }
    let streamed = streamed.ok_or_else(|| {
        ApiError::invalid(
            [(
                "file".to_owned(),
                "send the file in a multipart field named file".to_owned(),
            )]
            .into(),
        )
    })?;
    let dir = settings.dir.clone();
    let file = web::block(move || {
        let Streamed {
            partial,
            file_type,
            sha256,
            len,
            name,
        } = streamed;
        let processed = process(&dir, &partial.0, file_type, sha256, len)?;
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let row = insert_file(conn, item.id, file_type, &processed, &name, &caption)?;
            let file = row.to_wire();
            staff_store::audit(
                conn,
                &staff,
                "upload_media_file",
                &format!("media:{}", item.slug),
                serde_json::Value::Null,
                serde_json::json!({"url": file.url, "name": name, "bytes": file.bytes}),
            )?;
            Ok(file)
        })
    })
    .await??;
    Ok(HttpResponse::Created().json(file))
}

/// Records a stored file as the last of an item's files.
fn insert_file(
    conn: &mut PgConnection,
    item_id: i32,
    file_type: FileType,
    processed: &Processed,
    name: &str,
    caption: &str,
) -> QueryResult<FileRow> {
    let position: i32 = media_files::table
        .filter(media_files::item_id.eq(item_id))
        .count()
        .get_result::<i64>(conn)
        .map(|n| i32::try_from(n).unwrap_or(i32::MAX))?;
    let as_i32 = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    diesel::insert_into(media_files::table)
        .values((
            media_files::item_id.eq(item_id),
            media_files::position.eq(position),
            media_files::sha256.eq(&processed.sha256),
            media_files::file_type.eq(file_type_code(file_type)),
            media_files::class.eq(file_type.class().map_or("attachment", FileClass::code)),
            media_files::bytes.eq(i64::try_from(processed.bytes).unwrap_or(i64::MAX)),
            media_files::width.eq(processed.dimensions.map(|d| as_i32(d.0))),
            media_files::height.eq(processed.dimensions.map(|d| as_i32(d.1))),
            media_files::thumbnails
                .eq(serde_json::to_value(&processed.thumbnails).unwrap_or_default()),
            media_files::original_name.eq(name),
            media_files::caption.eq(caption),
        ))
        .returning(FileRow::as_returning())
        .get_result(conn)
}

/// Adds a file given whole (demo content, imports) to the item `item_id`, processed exactly as
/// an upload: typed by content, images stripped of metadata and thumbnailed.
pub fn import_file(
    conn: &mut PgConnection,
    dir: &Path,
    item_id: i32,
    bytes: &[u8],
    name: &str,
    caption: &str,
) -> Result<(), ApiError> {
    let file_type = sniff(&bytes[..bytes.len().min(SNIFF_LEN)]);
    if file_type.class().is_none() {
        return Err(upload_problem(UploadProblem::UnknownType, Language::En));
    }
    std::fs::create_dir_all(dir).map_err(ApiError::internal)?;
    let partial = Partial(dir.join(format!("import-{}.partial", token(12)?)));
    std::fs::write(&partial.0, bytes).map_err(ApiError::internal)?;
    let sha = format!("{:x}", Sha256::digest(bytes));
    let processed = process(dir, &partial.0, file_type, sha, bytes.len() as u64)?;
    insert_file(conn, item_id, file_type, &processed, name, caption)?;
    Ok(())
}

/// Remove a file from an item (the stored bytes stay while another item uses them).
#[utoipa::path(
    tag = "media",
    operation_id = "delete_media_file",
    params(
        ("slug" = String, Path, description = "The item", example = "our-new-hall"),
        ("id" = i32, Path, description = "The file", example = 1),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an editor or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item or file", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/staff/media/{slug}/files/{id}")]
pub async fn delete_media_file(
    staff: Staff,
    pool: web::Data<PgPool>,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, ApiError> {
    staff.require(Permission::EditContent, None)?;
    let (slug, id) = path.into_inner();
    web::block(move || {
        let mut conn = pool.get()?;
        conn.transaction::<_, ApiError, _>(|conn| {
            let item = find_item(conn, &slug)?;
            let removed: Option<String> = diesel::delete(
                media_files::table
                    .filter(media_files::id.eq(id))
                    .filter(media_files::item_id.eq(item.id)),
            )
            .returning(media_files::sha256)
            .get_result(conn)
            .optional()?;
            let sha = removed.ok_or_else(|| ApiError::not_found("The item has no such file."))?;
            staff_store::audit(
                conn,
                &staff,
                "delete_media_file",
                &format!("media:{slug}"),
                serde_json::json!({"sha256": sha}),
                serde_json::Value::Null,
            )?;
            Ok(())
        })
    })
    .await??;
    Ok(HttpResponse::NoContent().finish())
}
