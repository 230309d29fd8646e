//! The Multimedia section (DESIGN.md §2, "Multimedia"; issue 8): what kinds of items there are
//! and how an item moves between draft, published and archived; the slug of an item's stable URL;
//! texts whose translations may be missing; what an uploaded file is, told from its bytes, and
//! how large it may be; the sizes of the thumbnails made for an image; and the HTTP byte range a
//! video player asks for when it seeks.
//!
//! Like the rest of the crate, nothing here does I/O: the caller reads the bytes and passes them
//! in, so the same rules run in the API and, where useful, in the SPA before an upload starts.

use crate::{Language, Localized};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Picks the text in `language` out of the three.
fn pick(language: Language, tk: String, ru: String, en: String) -> String {
    match language {
        Language::Tk => tk,
        Language::Ru => ru,
        Language::En => en,
    }
}

// ---------------------------------------------------------------------------------------------
// Kinds and publication

/// What an item of the Multimedia section is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// An album of images.
    Photo,
    /// One video (with an optional poster image).
    Video,
    /// Rich text (Markdown) with optional images and PDF attachments.
    Instruction,
}

impl MediaKind {
    pub const ALL: [MediaKind; 3] = [MediaKind::Photo, MediaKind::Video, MediaKind::Instruction];

    /// The snake_case code, as on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            MediaKind::Photo => "photo",
            MediaKind::Video => "video",
            MediaKind::Instruction => "instruction",
        }
    }

    pub fn parse(code: &str) -> Option<MediaKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Which files an item of this kind may carry: images in an album, a video and its poster,
    /// images and PDF attachments in an instruction.
    pub fn accepts(self, class: FileClass) -> bool {
        matches!(
            (self, class),
            (MediaKind::Photo, FileClass::Image)
                | (MediaKind::Video, FileClass::Video | FileClass::Image)
                | (
                    MediaKind::Instruction,
                    FileClass::Image | FileClass::Attachment
                )
        )
    }

    /// The kind's name as a filter button shows it.
    pub fn label(self, language: Language) -> String {
        let (tk, ru, en) = match self {
            MediaKind::Photo => ("Suratlar", "Фото", "Photos"),
            MediaKind::Video => ("Wideolar", "Видео", "Videos"),
            MediaKind::Instruction => ("Gollanmalar", "Инструкции", "Instructions"),
        };
        pick(language, tk.into(), ru.into(), en.into())
    }
}

impl fmt::Display for MediaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Whether citizens can see an item:
///
/// ```text
/// draft ──publish──► published ──archive──► archived
///   ▲  ◄──unpublish──    │                     │
///   │                                          │
///   └──────────────── restore ◄────────────────┘      (and draft ──archive──► archived)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PublicationStatus {
    /// Being written; only editors see it.
    #[default]
    Draft,
    /// Shown to everyone.
    Published,
    /// Taken out of the section but kept; it can be restored to a draft.
    Archived,
}

impl PublicationStatus {
    pub const ALL: [PublicationStatus; 3] = [
        PublicationStatus::Draft,
        PublicationStatus::Published,
        PublicationStatus::Archived,
    ];

    /// The snake_case code, as on the wire and in the database.
    pub fn code(self) -> &'static str {
        match self {
            PublicationStatus::Draft => "draft",
            PublicationStatus::Published => "published",
            PublicationStatus::Archived => "archived",
        }
    }

    pub fn parse(code: &str) -> Option<PublicationStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether an item in this status may move to `next`. Nothing else is possible; in
    /// particular an archived item goes back through draft, so it is looked at before it is
    /// shown again.
    pub fn can_become(self, next: PublicationStatus) -> bool {
        use PublicationStatus::*;
        matches!(
            (self, next),
            (Draft, Published | Archived) | (Published, Draft | Archived) | (Archived, Draft)
        )
    }

    /// The statuses this one may move to, in [`PublicationStatus::ALL`] order.
    pub fn next_statuses(self) -> Vec<PublicationStatus> {
        Self::ALL
            .into_iter()
            .filter(|&next| self.can_become(next))
            .collect()
    }

    /// Whether citizens and integrators see an item in this status.
    pub fn is_public(self) -> bool {
        self == PublicationStatus::Published
    }

    /// Checks a move, with a message for the editor when it is not possible.
    pub fn check_transition(
        self,
        next: PublicationStatus,
    ) -> Result<(), PublicationTransitionError> {
        if self.can_become(next) {
            Ok(())
        } else {
            Err(PublicationTransitionError {
                from: self,
                to: next,
            })
        }
    }

    /// The status's name as the staff console shows it.
    pub fn label(self, language: Language) -> String {
        let (tk, ru, en) = match self {
            PublicationStatus::Draft => ("Garalama", "Черновик", "Draft"),
            PublicationStatus::Published => ("Çap edildi", "Опубликовано", "Published"),
            PublicationStatus::Archived => ("Arhiwde", "В архиве", "Archived"),
        };
        pick(language, tk.into(), ru.into(), en.into())
    }
}

impl fmt::Display for PublicationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The state machine has no move from `from` to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicationTransitionError {
    pub from: PublicationStatus,
    pub to: PublicationStatus,
}

impl PublicationTransitionError {
    pub fn message(&self, language: Language) -> String {
        let (from, to) = (self.from.label(language), self.to.label(language));
        pick(
            language,
            format!("materialy «{from}» ýagdaýyndan «{to}» ýagdaýyna geçirip bolmaýar"),
            format!("материал нельзя перевести из состояния «{from}» в «{to}»"),
            format!("an item cannot go from “{from}” to “{to}”"),
        )
    }
}

impl fmt::Display for PublicationTransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl std::error::Error for PublicationTransitionError {}

// ---------------------------------------------------------------------------------------------
// Slug

pub const MIN_SLUG_LEN: usize = 3;
pub const MAX_SLUG_LEN: usize = 80;

/// The last part of an item's stable URL, e.g. `pasport-ucin-resminamalar`: lower-case ASCII
/// letters, digits and single hyphens between them, 3 to 80 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, example = "nobata-nadip-yazylmaly"))]
#[serde(transparent)]
pub struct Slug(String);

/// Why a text is not a slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugError {
    TooShort {
        len: usize,
    },
    TooLong {
        len: usize,
    },
    /// Anything but `a`–`z`, `0`–`9` and `-`.
    InvalidCharacter(char),
    /// A hyphen at the start or end, or two in a row.
    MisplacedHyphen,
}

impl Slug {
    pub fn parse(raw: &str) -> Result<Slug, SlugError> {
        let len = raw.chars().count();
        if let Some(c) = raw
            .chars()
            .find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        {
            return Err(SlugError::InvalidCharacter(c));
        }
        if len < MIN_SLUG_LEN {
            return Err(SlugError::TooShort { len });
        }
        if len > MAX_SLUG_LEN {
            return Err(SlugError::TooLong { len });
        }
        if raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            return Err(SlugError::MisplacedHyphen);
        }
        Ok(Slug(raw.to_owned()))
    }

    /// A slug made from a title in Turkmen (Latin), Russian or English: Turkmen letters lose
    /// their marks (ç→c, ş→s, ž→z, ň→n, ä→a, ö→o, ü→u, ý→y), Cyrillic is romanised with a
    /// simple table, apostrophes vanish, and every other run of non-letters becomes one hyphen.
    /// A long title is cut at a word boundary to fit 80 characters. Fails only when fewer than 3
    /// letters or digits are left (e.g. a title of punctuation).
    pub fn from_title(title: &str) -> Result<Slug, SlugError> {
        let mut slug = String::with_capacity(title.len());
        let mut pending_hyphen = false;
        for c in title.chars().flat_map(char::to_lowercase) {
            if is_combining_mark(c) || matches!(c, '\'' | '’' | 'ʼ' | '`') {
                continue;
            }
            let piece = if c.is_ascii_lowercase() || c.is_ascii_digit() {
                Some(Romanised::Char(c))
            } else {
                match romanise(c) {
                    // The hard and soft signs are silent: no letter, and no word break either.
                    Some("") => continue,
                    other => other.map(Romanised::Str),
                }
            };
            match piece {
                Some(piece) => {
                    if pending_hyphen && !slug.is_empty() {
                        slug.push('-');
                    }
                    pending_hyphen = false;
                    match piece {
                        Romanised::Char(c) => slug.push(c),
                        Romanised::Str(s) => slug.push_str(s),
                    }
                }
                None => pending_hyphen = true,
            }
        }
        if slug.len() > MAX_SLUG_LEN {
            // The slug is ASCII, so byte positions are character positions.
            let cut_inside_word = slug.as_bytes().get(MAX_SLUG_LEN) != Some(&b'-');
            slug.truncate(MAX_SLUG_LEN);
            if cut_inside_word {
                if let Some(boundary) = slug.rfind('-').filter(|&at| at >= MIN_SLUG_LEN) {
                    slug.truncate(boundary);
                }
            }
            while slug.ends_with('-') {
                slug.pop();
            }
        }
        Slug::parse(&slug)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

enum Romanised {
    Char(char),
    Str(&'static str),
}

/// Combining marks (U+0300–U+036F): a decomposed `ş` is `s` and a cedilla, and the cedilla goes.
fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// The ASCII spelling of a lower-case Turkmen Latin or Cyrillic letter; `None` for anything
/// else, which separates words.
fn romanise(c: char) -> Option<&'static str> {
    Some(match c {
        // Turkmen Latin.
        'ç' => "c",
        'ş' => "s",
        'ž' => "z",
        'ň' => "n",
        'ä' => "a",
        'ö' => "o",
        'ü' => "u",
        'ý' => "y",
        // Russian Cyrillic.
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "yo",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "h",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        // The letters of Turkmen written in Cyrillic (before 1993).
        'ә' => "a",
        'ө' => "o",
        'ү' => "u",
        'җ' => "j",
        'ң' => "n",
        _ => return None,
    })
}

impl SlugError {
    pub fn message(&self, language: Language) -> String {
        match *self {
            SlugError::TooShort { len } => pick(
                language,
                format!("salgy azyndan {MIN_SLUG_LEN} nyşandan ybarat bolmaly ({len} däl)"),
                format!("адрес должен содержать не менее {MIN_SLUG_LEN} символов (а не {len})"),
                format!("the slug must be at least {MIN_SLUG_LEN} characters long (not {len})"),
            ),
            SlugError::TooLong { len } => pick(
                language,
                format!("salgy iň köp {MAX_SLUG_LEN} nyşandan ybarat bolup biler ({len} däl)"),
                format!("адрес может содержать не более {MAX_SLUG_LEN} символов (а не {len})"),
                format!("the slug may be at most {MAX_SLUG_LEN} characters long (not {len})"),
            ),
            SlugError::InvalidCharacter(c) => {
                let c = c.escape_debug();
                pick(
                    language,
                    format!(
                        "salgyda diňe kiçi latyn harplary, sanlar we defis bolup biler («{c}» \
                         bolup bilmez)"
                    ),
                    format!(
                        "адрес может содержать только строчные латинские буквы, цифры и дефис \
                         (не «{c}»)"
                    ),
                    format!(
                        "the slug may contain only lower-case Latin letters, digits and hyphens \
                         (not “{c}”)"
                    ),
                )
            }
            SlugError::MisplacedHyphen => pick(
                language,
                "defis salgynyň başynda, ahyrynda ýa-da iki gezek yzly-yzyna bolup bilmez".into(),
                "дефис не может стоять в начале или в конце адреса или дважды подряд".into(),
                "a hyphen cannot start or end the slug or follow another hyphen".into(),
            ),
        }
    }
}

impl fmt::Display for SlugError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl std::error::Error for SlugError {}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Slug {
    type Err = SlugError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Slug::parse(s)
    }
}

impl<'de> Deserialize<'de> for Slug {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Slug::parse(&raw).map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------------------------
// Texts with optional translations

/// A title, summary or body: Turkmen always, Russian and English when an editor has written
/// them. Unlike [`Localized`], a reader is told when the text shown is the Turkmen fallback, so
/// the page can say "not yet translated".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "tk": "Nobata nädip ýazylmaly", "ru": "Как записаться на приём", "en": null
})))]
pub struct LocalizedText {
    pub tk: String,
    #[serde(default)]
    pub ru: Option<String>,
    #[serde(default)]
    pub en: Option<String>,
}

impl LocalizedText {
    /// Blank translations become `None`.
    pub fn new(tk: impl Into<String>, ru: Option<String>, en: Option<String>) -> Self {
        LocalizedText {
            tk: tk.into(),
            ru: ru.filter(|t| !t.trim().is_empty()),
            en: en.filter(|t| !t.trim().is_empty()),
        }
    }

    /// The translation into `language`, if there is one (a blank one counts as missing).
    pub fn translation(&self, language: Language) -> Option<&str> {
        let text = match language {
            Language::Tk => Some(self.tk.as_str()),
            Language::Ru => self.ru.as_deref(),
            Language::En => self.en.as_deref(),
        };
        text.filter(|t| !t.trim().is_empty())
    }

    /// The text in `language`, or the Turkmen text and `true` when that translation is missing.
    pub fn get(&self, language: Language) -> (&str, bool) {
        match self.translation(language) {
            Some(text) => (text, false),
            None => (self.tk.as_str(), language != Language::Tk),
        }
    }

    /// The languages still to be written, for the editor's checklist.
    pub fn missing(&self) -> Vec<Language> {
        Language::ALL
            .into_iter()
            .filter(|&l| self.translation(l).is_none())
            .collect()
    }

    /// Whether any of the three contains `needle`, ignoring case (the section's search).
    pub fn contains_ignore_case(&self, needle: &str) -> bool {
        let needle = needle.to_lowercase();
        [Some(&self.tk), self.ru.as_ref(), self.en.as_ref()]
            .into_iter()
            .flatten()
            .any(|text| text.to_lowercase().contains(&needle))
    }
}

impl From<Localized> for LocalizedText {
    fn from(text: Localized) -> Self {
        LocalizedText::new(text.tk, Some(text.ru), Some(text.en))
    }
}

// ---------------------------------------------------------------------------------------------
// Files

/// How many first bytes [`sniff`] needs to tell every type apart (a WebM's doc type sits a few
/// dozen bytes in); fewer are fine for most types.
pub const SNIFF_LEN: usize = 64;

pub const MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;
pub const MAX_VIDEO_BYTES: u64 = 200 * 1024 * 1024;
pub const MAX_ATTACHMENT_BYTES: u64 = 20 * 1024 * 1024;

/// What a file is, told by its first bytes (never by its name or the client's Content-Type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum FileType {
    Jpeg,
    Png,
    WebP,
    Mp4,
    WebM,
    Pdf,
    Unknown,
}

/// What a file is for, which sets its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileClass {
    /// JPEG, PNG or WebP.
    Image,
    /// MP4 or WebM.
    Video,
    /// PDF.
    Attachment,
}

impl FileType {
    pub const ALL: [FileType; 7] = [
        FileType::Jpeg,
        FileType::Png,
        FileType::WebP,
        FileType::Mp4,
        FileType::WebM,
        FileType::Pdf,
        FileType::Unknown,
    ];

    /// The media type to store and serve the file with.
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::WebP => "image/webp",
            FileType::Mp4 => "video/mp4",
            FileType::WebM => "video/webm",
            FileType::Pdf => "application/pdf",
            FileType::Unknown => "application/octet-stream",
        }
    }

    /// The extension to store the file under; `None` for [`FileType::Unknown`].
    pub fn extension(self) -> Option<&'static str> {
        Some(match self {
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::WebP => "webp",
            FileType::Mp4 => "mp4",
            FileType::WebM => "webm",
            FileType::Pdf => "pdf",
            FileType::Unknown => return None,
        })
    }

    /// The format's usual name, as messages show it.
    pub fn name(self) -> &'static str {
        match self {
            FileType::Jpeg => "JPEG",
            FileType::Png => "PNG",
            FileType::WebP => "WebP",
            FileType::Mp4 => "MP4",
            FileType::WebM => "WebM",
            FileType::Pdf => "PDF",
            FileType::Unknown => "?",
        }
    }

    /// What the file is for; `None` for [`FileType::Unknown`], which is never accepted.
    pub fn class(self) -> Option<FileClass> {
        match self {
            FileType::Jpeg | FileType::Png | FileType::WebP => Some(FileClass::Image),
            FileType::Mp4 | FileType::WebM => Some(FileClass::Video),
            FileType::Pdf => Some(FileClass::Attachment),
            FileType::Unknown => None,
        }
    }
}

impl fmt::Display for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FileClass {
    pub const ALL: [FileClass; 3] = [FileClass::Image, FileClass::Video, FileClass::Attachment];

    /// The snake_case code, as in the upload form and the database.
    pub fn code(self) -> &'static str {
        match self {
            FileClass::Image => "image",
            FileClass::Video => "video",
            FileClass::Attachment => "attachment",
        }
    }

    pub fn parse(code: &str) -> Option<FileClass> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn max_bytes(self) -> u64 {
        max_bytes(self)
    }

    /// What the class is, with its formats, as an upload message names it.
    fn described(self, language: Language) -> String {
        let (tk, ru, en) = match self {
            FileClass::Image => (
                "surat (JPEG, PNG ýa-da WebP)",
                "изображение (JPEG, PNG или WebP)",
                "an image (JPEG, PNG or WebP)",
            ),
            FileClass::Video => (
                "wideo (MP4 ýa-da WebM)",
                "видео (MP4 или WebM)",
                "a video (MP4 or WebM)",
            ),
            FileClass::Attachment => ("PDF resminama", "документ PDF", "a PDF document"),
        };
        pick(language, tk.into(), ru.into(), en.into())
    }
}

impl fmt::Display for FileClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The largest file of a class: images 10 MiB, videos 200 MiB, PDF attachments 20 MiB.
pub const fn max_bytes(class: FileClass) -> u64 {
    match class {
        FileClass::Image => MAX_IMAGE_BYTES,
        FileClass::Video => MAX_VIDEO_BYTES,
        FileClass::Attachment => MAX_ATTACHMENT_BYTES,
    }
}

const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];
const PNG_MAGIC: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
const EBML_MAGIC: &[u8] = &[0x1A, 0x45, 0xDF, 0xA3];
const PDF_MAGIC: &[u8] = b"%PDF-";
/// ISO base media brands of MP4 files browsers play (what phones, cameras and ffmpeg write).
const MP4_BRANDS: [&[u8; 4]; 5] = [b"isom", b"iso2", b"mp41", b"mp42", b"avc1"];

/// The type of a file by its magic number: JPEG `FF D8 FF`; PNG `89 50 4E 47 0D 0A 1A 0A`;
/// WebP `RIFF`, 4 size bytes, `WEBP`; MP4 an `ftyp` box first whose major or a compatible brand
/// is isom, iso2, mp41, mp42 or avc1 (so QuickTime `.mov` is not MP4); WebM the EBML magic
/// `1A 45 DF A3` with doc type `webm` (a Matroska `.mkv` is not); PDF `%PDF-`.
/// Pass at least [`SNIFF_LEN`] bytes when the file has them.
pub fn sniff(first_bytes: &[u8]) -> FileType {
    let b = first_bytes;
    if b.starts_with(JPEG_MAGIC) {
        FileType::Jpeg
    } else if b.starts_with(PNG_MAGIC) {
        FileType::Png
    } else if is_webp(b) {
        FileType::WebP
    } else if is_mp4(b) {
        FileType::Mp4
    } else if is_webm(b) {
        FileType::WebM
    } else if b.starts_with(PDF_MAGIC) {
        FileType::Pdf
    } else {
        FileType::Unknown
    }
}

fn is_webp(b: &[u8]) -> bool {
    b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP".as_slice())
}

fn is_mp4(b: &[u8]) -> bool {
    if b.get(4..8) != Some(b"ftyp".as_slice()) {
        return false;
    }
    let Some(size) = read_be_u32(b, 0) else {
        return false;
    };
    // Size, type, major brand and minor version take 16 bytes; compatible brands follow.
    let Ok(size) = usize::try_from(size) else {
        return false;
    };
    if size < 16 {
        return false;
    }
    let major = b.get(8..12);
    let compatible = b.get(16..size.min(b.len())).unwrap_or_default();
    major
        .into_iter()
        .chain(compatible.chunks_exact(4))
        .any(|brand| MP4_BRANDS.iter().any(|known| brand == known.as_slice()))
}

/// EBML magic, and the header's DocType element (ID `42 82`) says `webm` when it is among the
/// bytes given. A header cut off before the doc type is taken as WebM.
fn is_webm(b: &[u8]) -> bool {
    if !b.starts_with(EBML_MAGIC) {
        return false;
    }
    let Some(at) = b.windows(2).position(|w| w == [0x42, 0x82]) else {
        return true;
    };
    let Some(&size) = b.get(at + 2) else {
        return true;
    };
    // A one-byte EBML size: the top bit set, the length in the other seven.
    if size & 0x80 == 0 {
        return false;
    }
    let len = usize::from(size & 0x7F);
    match b.get(at + 3..at + 3 + len) {
        Some(doc_type) => doc_type == b"webm",
        None => true,
    }
}

fn read_be_u32(b: &[u8], at: usize) -> Option<u32> {
    let bytes: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_be_bytes(bytes))
}

fn read_le_u32(b: &[u8], at: usize) -> Option<u32> {
    let bytes: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_le_bytes(bytes))
}

fn read_le_u24(b: &[u8], at: usize) -> Option<u32> {
    let bytes = b.get(at..at + 3)?;
    Some(
        bytes
            .iter()
            .rev()
            .fold(0, |n, &byte| (n << 8) | u32::from(byte)),
    )
}

fn read_le_u16(b: &[u8], at: usize) -> Option<u16> {
    let bytes: [u8; 2] = b.get(at..at + 2)?.try_into().ok()?;
    Some(u16::from_le_bytes(bytes))
}

/// The size in pixels of a WebP image from its first chunk: lossy `VP8 ` (key frame header),
/// lossless `VP8L` (14-bit sizes minus one) or extended `VP8X` (24-bit canvas sizes minus one).
/// `None` when the header is missing, truncated or damaged. 30 bytes are enough.
pub fn webp_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if !is_webp(bytes) {
        return None;
    }
    let (width, height) = match bytes.get(12..16)? {
        b"VP8 " => {
            // Frame tag (3 bytes, bit 0 clear on a key frame), start code, then 14-bit sizes
            // whose top two bits are the scaling.
            let key_frame = bytes.get(20)? & 1 == 0;
            if !key_frame || bytes.get(23..26)? != [0x9D, 0x01, 0x2A] {
                return None;
            }
            let width = read_le_u16(bytes, 26)? & 0x3FFF;
            let height = read_le_u16(bytes, 28)? & 0x3FFF;
            (u32::from(width), u32::from(height))
        }
        b"VP8L" => {
            if *bytes.get(20)? != 0x2F {
                return None;
            }
            let bits = read_le_u32(bytes, 21)?;
            ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        }
        b"VP8X" => (read_le_u24(bytes, 24)? + 1, read_le_u24(bytes, 27)? + 1),
        _ => return None,
    };
    (width > 0 && height > 0).then_some((width, height))
}

/// Why an upload was refused (422).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadProblem {
    /// None of the types we accept.
    UnknownType,
    /// A file of another class than the one asked for, e.g. a PNG renamed `.mp4`.
    Mismatch {
        expected: FileClass,
        found: FileType,
    },
    /// Over the class's limit. The server stops reading at the limit, so only the limit is known.
    TooLarge { max: u64 },
}

/// Megabytes with at most one decimal, the decimal separator of `language`.
fn megabytes(bytes: u64, language: Language) -> String {
    let tenths = (bytes.saturating_mul(10) + 512 * 1024) / (1024 * 1024);
    if tenths % 10 == 0 {
        return (tenths / 10).to_string();
    }
    let separator = if language == Language::En { '.' } else { ',' };
    format!("{}{separator}{}", tenths / 10, tenths % 10)
}

impl UploadProblem {
    /// A stable code for clients.
    pub fn code(&self) -> &'static str {
        match self {
            UploadProblem::UnknownType => "unknown_type",
            UploadProblem::Mismatch { .. } => "type_mismatch",
            UploadProblem::TooLarge { .. } => "too_large",
        }
    }

    pub fn message(&self, language: Language) -> String {
        match *self {
            UploadProblem::UnknownType => pick(
                language,
                "faýlyň görnüşi tanalmady: JPEG, PNG, WebP, MP4, WebM ýa-da PDF faýlyny ýükläň"
                    .into(),
                "тип файла не распознан: загрузите файл JPEG, PNG, WebP, MP4, WebM или PDF".into(),
                "the file type was not recognised: upload a JPEG, PNG, WebP, MP4, WebM or PDF file"
                    .into(),
            ),
            UploadProblem::Mismatch { expected, found } => {
                let expected = expected.described(language);
                pick(
                    language,
                    format!("bu {found} faýly, emma bu ýere {expected} gerek"),
                    format!("это файл {found}, а здесь нужно: {expected}"),
                    format!("this is a {found} file, but {expected} is needed here"),
                )
            }
            UploadProblem::TooLarge { max } => {
                let limit = megabytes(max, language);
                pick(
                    language,
                    format!("faýl gaty uly: iň köp {limit} MB bolup biler"),
                    format!("файл слишком большой: допускается не более {limit} МБ"),
                    format!("the file is too large: the limit is {limit} MB"),
                )
            }
        }
    }
}

impl fmt::Display for UploadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl std::error::Error for UploadProblem {}

/// Checks a size against the class's limit; call it as bytes arrive, so reading stops at the
/// limit instead of after the whole file.
pub fn check_size(class: FileClass, bytes_so_far: u64) -> Result<(), UploadProblem> {
    let max = max_bytes(class);
    if bytes_so_far > max {
        Err(UploadProblem::TooLarge { max })
    } else {
        Ok(())
    }
}

/// Checks an upload the editor declared to be of `declared` class: its type from `first_bytes`
/// (at least [`SNIFF_LEN`] of them when the file has that many) and its length. The type is
/// judged first: a wrong file is wrong whatever its size.
pub fn check_upload(
    declared: FileClass,
    first_bytes: &[u8],
    total_len: u64,
) -> Result<FileType, UploadProblem> {
    let found = sniff(first_bytes);
    match found.class() {
        None => Err(UploadProblem::UnknownType),
        Some(class) if class != declared => Err(UploadProblem::Mismatch {
            expected: declared,
            found,
        }),
        Some(_) => check_size(declared, total_len).map(|()| found),
    }
}

// ---------------------------------------------------------------------------------------------
// Thumbnails

/// The widths of the thumbnails made for an image: the grid's card and the lightbox.
pub const THUMBNAIL_WIDTHS: [u32; 2] = [320, 1280];

/// The sizes of the thumbnails to make for a `width × height` image, keeping its aspect (the
/// height rounded to the nearest pixel, at least 1). Widths the image does not exceed are left
/// out: it is never upscaled, and the original serves there.
pub fn thumbnail_sizes(width: u32, height: u32) -> Vec<(u32, u32)> {
    if width == 0 || height == 0 {
        return Vec::new();
    }
    THUMBNAIL_WIDTHS
        .into_iter()
        .filter(|&target| target < width)
        .map(|target| {
            let (w, h, t) = (u64::from(width), u64::from(height), u64::from(target));
            let scaled = (h * t + w / 2) / w;
            // target < width, so the scaled height is at most the original one.
            (target, u32::try_from(scaled.max(1)).unwrap_or(height))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// HTTP byte ranges

/// A `Range` header the server must answer with 416 Range Not Satisfiable and
/// `Content-Range: bytes */{len}` (see [`unsatisfied_content_range`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    /// `bytes=` followed by something that is not a range, or a range whose end is before its
    /// start.
    #[error("the byte range is malformed")]
    Malformed,
    /// A well-formed range that lies wholly past the end, a `bytes=-0` suffix, or any range of
    /// an empty file.
    #[error("the byte range is outside the file")]
    Unsatisfiable,
}

/// Digits only (`u64::from_str` would take a `+`), saturating on overflow: a first byte past
/// `u64::MAX` is past any end, a last byte there is clamped anyway.
fn parse_position(text: &str) -> Result<u64, RangeError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RangeError::Malformed);
    }
    Ok(text.parse().unwrap_or(u64::MAX))
}

/// The single byte range a `Range` header asks of a `len`-byte file, as the first and the last
/// byte (inclusive, the end clamped to `len - 1`): `bytes=a-b`, `bytes=a-` (to the end) or
/// `bytes=-n` (the last `n` bytes, the whole file when `n ≥ len`).
///
/// `Ok(None)` means "ignore the header and send the whole file with 200", which RFC 9110 allows
/// for units other than `bytes` and which this server does for several ranges at once (a
/// multipart answer is not worth it for a video player, which asks one range at a time).
pub fn parse_range(header: &str, len: u64) -> Result<Option<(u64, u64)>, RangeError> {
    let Some((unit, ranges)) = header.trim().split_once('=') else {
        return Ok(None);
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") {
        return Ok(None);
    }
    let mut specs = ranges.split(',').map(str::trim).filter(|s| !s.is_empty());
    let (Some(spec), None) = (specs.next(), specs.next()) else {
        return if ranges.trim().trim_matches(',').trim().is_empty() {
            Err(RangeError::Malformed)
        } else {
            Ok(None)
        };
    };
    let (first, last) = spec.split_once('-').ok_or(RangeError::Malformed)?;
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        let suffix = parse_position(last)?;
        if suffix == 0 || len == 0 {
            return Err(RangeError::Unsatisfiable);
        }
        return Ok(Some((len - suffix.min(len), len - 1)));
    }
    let first = parse_position(first)?;
    let last = if last.is_empty() {
        None
    } else {
        Some(parse_position(last)?)
    };
    if last.is_some_and(|last| last < first) {
        return Err(RangeError::Malformed);
    }
    if first >= len {
        return Err(RangeError::Unsatisfiable);
    }
    let end = last.map_or(len - 1, |last| last.min(len - 1));
    Ok(Some((first, end)))
}

/// The `Content-Range` of a 206 answer: `bytes 100-199/1000`.
pub fn content_range(first: u64, last: u64, len: u64) -> String {
    format!("bytes {first}-{last}/{len}")
}

/// The `Content-Range` of a 416 answer: `bytes */1000`.
pub fn unsatisfied_content_range(len: u64) -> String {
    format!("bytes */{len}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // --- kinds and publication ---

    #[test]
    fn codes_round_trip_and_match_serde() {
        for kind in MediaKind::ALL {
            assert_eq!(MediaKind::parse(kind.code()), Some(kind));
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.code())
            );
        }
        for status in PublicationStatus::ALL {
            assert_eq!(PublicationStatus::parse(status.code()), Some(status));
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{}\"", status.code())
            );
        }
        for class in FileClass::ALL {
            assert_eq!(FileClass::parse(class.code()), Some(class));
            assert_eq!(
                serde_json::to_string(&class).unwrap(),
                format!("\"{}\"", class.code())
            );
        }
        assert_eq!(MediaKind::parse("Photo"), None);
        assert_eq!(PublicationStatus::parse(""), None);
        assert_eq!(serde_json::to_string(&FileType::WebP).unwrap(), "\"webp\"");
        assert_eq!(serde_json::to_string(&FileType::WebM).unwrap(), "\"webm\"");
    }

    #[test]
    fn publication_moves_exactly_as_drawn() {
        use PublicationStatus::*;
        let allowed = [
            (Draft, Published),
            (Published, Draft),
            (Published, Archived),
            (Draft, Archived),
            (Archived, Draft),
        ];
        for from in PublicationStatus::ALL {
            for to in PublicationStatus::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from} → {to}"
                );
                assert_eq!(from.check_transition(to).is_ok(), from.can_become(to));
            }
        }
        assert_eq!(Archived.next_statuses(), vec![Draft]);
        assert_eq!(Draft.next_statuses(), vec![Published, Archived]);
        assert!(Published.is_public());
        assert!(!Draft.is_public() && !Archived.is_public());
        assert_eq!(PublicationStatus::default(), Draft);
    }

    #[test]
    fn a_refused_move_names_both_statuses_in_each_language() {
        let error = PublicationStatus::Archived
            .check_transition(PublicationStatus::Published)
            .unwrap_err();
        assert!(error.message(Language::Tk).contains("«Arhiwde»"));
        assert!(error.message(Language::Ru).contains("«Опубликовано»"));
        assert_eq!(
            error.to_string(),
            "an item cannot go from “Archived” to “Published”"
        );
    }

    #[test]
    fn each_kind_takes_its_own_files() {
        assert!(MediaKind::Photo.accepts(FileClass::Image));
        assert!(!MediaKind::Photo.accepts(FileClass::Video));
        assert!(!MediaKind::Photo.accepts(FileClass::Attachment));
        assert!(MediaKind::Video.accepts(FileClass::Video));
        assert!(MediaKind::Video.accepts(FileClass::Image));
        assert!(!MediaKind::Video.accepts(FileClass::Attachment));
        assert!(MediaKind::Instruction.accepts(FileClass::Attachment));
        assert!(MediaKind::Instruction.accepts(FileClass::Image));
        assert!(!MediaKind::Instruction.accepts(FileClass::Video));
    }

    // --- slugs ---

    #[test]
    fn slug_parse_takes_lower_case_words_joined_by_single_hyphens() {
        assert_eq!(Slug::parse("abc").unwrap().as_str(), "abc");
        assert!(Slug::parse("pasport-2026-resminamalar").is_ok());
        assert!(Slug::parse(&"a".repeat(80)).is_ok());
        assert_eq!(Slug::parse("ab"), Err(SlugError::TooShort { len: 2 }));
        assert_eq!(Slug::parse(""), Err(SlugError::TooShort { len: 0 }));
        assert_eq!(
            Slug::parse(&"a".repeat(81)),
            Err(SlugError::TooLong { len: 81 })
        );
        assert_eq!(Slug::parse("Abc"), Err(SlugError::InvalidCharacter('A')));
        assert_eq!(Slug::parse("a_bc"), Err(SlugError::InvalidCharacter('_')));
        assert_eq!(Slug::parse("aşa"), Err(SlugError::InvalidCharacter('ş')));
        assert_eq!(Slug::parse("a bc"), Err(SlugError::InvalidCharacter(' ')));
        for bad in ["-abc", "abc-", "ab--c"] {
            assert_eq!(Slug::parse(bad), Err(SlugError::MisplacedHyphen), "{bad}");
        }
    }

    #[test]
    fn slug_serde_goes_through_parse() {
        let slug: Slug = serde_json::from_str("\"nobat-almak\"").unwrap();
        assert_eq!(serde_json::to_string(&slug).unwrap(), "\"nobat-almak\"");
        assert!(serde_json::from_str::<Slug>("\"Nobat almak\"").is_err());
    }

    #[test]
    fn slug_from_turkmen_title_drops_the_marks() {
        let slug = |t: &str| Slug::from_title(t).map(|s| s.0);
        assert_eq!(
            slug("Nobata nädip ýazylmaly?"),
            Ok("nobata-nadip-yazylmaly".into())
        );
        assert_eq!(
            slug("Daşary ýurt pasporty üçin resminamalar"),
            Ok("dasary-yurt-pasporty-ucin-resminamalar".into())
        );
        assert_eq!(slug("ÇŞŽŇÄÖÜÝ çşžňäöüý"), Ok("csznaouy-csznaouy".into()));
        assert_eq!(
            slug("  Türkmenistan'yň — 2026!  "),
            Ok("turkmenistanyn-2026".into())
        );
        // A decomposed ş (s + combining cedilla) is still s.
        assert_eq!(slug("Das\u{0327}oguz"), Ok("dasoguz".into()));
    }

    #[test]
    fn slug_from_russian_and_english_titles() {
        let slug = |t: &str| Slug::from_title(t).map(|s| s.0);
        assert_eq!(
            slug("Как записаться на приём"),
            Ok("kak-zapisatsya-na-priyom".into())
        );
        assert_eq!(slug("Щука и ёж: съезд"), Ok("shchuka-i-yozh-sezd".into()));
        assert_eq!(slug("How to pay by card"), Ok("how-to-pay-by-card".into()));
        assert_eq!(slug("?!"), Err(SlugError::TooShort { len: 0 }));
        assert_eq!(slug("Ъ a"), Err(SlugError::TooShort { len: 1 }));
        assert_eq!(slug("Подъезд Ь"), Ok("podezd".into()));
    }

    #[test]
    fn a_long_title_is_cut_at_a_word() {
        let title = "Pasport ".repeat(20);
        let slug = Slug::from_title(&title).unwrap();
        assert!(slug.as_str().len() <= MAX_SLUG_LEN);
        assert!(slug.as_str().ends_with("pasport"));
        // "pasport-" is 8 characters: ten words fill exactly 79.
        assert_eq!(slug.as_str().len(), 79);
        // One endless word is cut inside it.
        let slug = Slug::from_title(&"a".repeat(200)).unwrap();
        assert_eq!(slug.as_str().len(), MAX_SLUG_LEN);
        // A cut that falls just before a hyphen keeps the whole word.
        let title = format!("{} bbb", "a".repeat(80));
        assert_eq!(Slug::from_title(&title).unwrap().as_str(), "a".repeat(80));
    }

    #[test]
    fn slug_errors_speak_three_languages() {
        for error in [
            SlugError::TooShort { len: 1 },
            SlugError::TooLong { len: 90 },
            SlugError::InvalidCharacter('ş'),
            SlugError::MisplacedHyphen,
        ] {
            let texts: Vec<String> = Language::ALL.iter().map(|&l| error.message(l)).collect();
            assert!(texts.iter().all(|t| !t.is_empty()));
            assert_ne!(texts[0], texts[1]);
            assert_ne!(texts[1], texts[2]);
        }
    }

    // --- texts ---

    #[test]
    fn a_missing_translation_falls_back_to_turkmen_and_says_so() {
        let text = LocalizedText::new("Töleg", Some("Оплата".into()), None);
        assert_eq!(text.get(Language::Tk), ("Töleg", false));
        assert_eq!(text.get(Language::Ru), ("Оплата", false));
        assert_eq!(text.get(Language::En), ("Töleg", true));
        assert_eq!(text.missing(), vec![Language::En]);
        // A blank translation is a missing one, however it got there.
        let blank = LocalizedText {
            tk: "Töleg".into(),
            ru: Some("  ".into()),
            en: None,
        };
        assert_eq!(blank.get(Language::Ru), ("Töleg", true));
        assert_eq!(LocalizedText::new("a", Some(" ".into()), None).ru, None);
    }

    #[test]
    fn localized_text_reads_absent_translations_from_json() {
        let text: LocalizedText = serde_json::from_str(r#"{"tk":"Wideo","en":"Video"}"#).unwrap();
        assert_eq!(text.ru, None);
        assert_eq!(text.get(Language::En), ("Video", false));
        let from_old = LocalizedText::from(Localized::new("Surat", "", "Photo"));
        assert_eq!(from_old.ru, None);
        assert!(from_old.contains_ignore_case("PHOTO"));
        assert!(!from_old.contains_ignore_case("видео"));
    }

    // --- files ---

    fn mp4_header(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compatible.len() as u32;
        let mut bytes = size.to_be_bytes().to_vec();
        bytes.extend_from_slice(b"ftyp");
        bytes.extend_from_slice(major);
        bytes.extend_from_slice(&[0, 0, 2, 0]);
        for brand in compatible {
            bytes.extend_from_slice(*brand);
        }
        bytes.extend_from_slice(&[0, 0, 0, 8, b'f', b'r', b'e', b'e']);
        bytes
    }

    fn ebml_header(doc_type: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0x1A, 0x45, 0xDF, 0xA3, 0xA3, 0x42, 0x86, 0x81, 0x01];
        bytes.extend_from_slice(&[0x42, 0xF7, 0x81, 0x01, 0x42, 0xF2, 0x81, 0x04]);
        bytes.extend_from_slice(&[0x42, 0xF3, 0x81, 0x08, 0x42, 0x82]);
        bytes.push(0x80 | doc_type.len() as u8);
        bytes.extend_from_slice(doc_type);
        bytes.extend_from_slice(&[0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02]);
        bytes
    }

    /// A 1×1 lossless WebP (the smallest one libwebp writes).
    const WEBP_1X1_LOSSLESS: &[u8] = &[
        b'R', b'I', b'F', b'F', 0x1A, 0, 0, 0, b'W', b'E', b'B', b'P', b'V', b'P', b'8', b'L',
        0x0D, 0, 0, 0, 0x2F, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0,
    ];

    fn webp_lossy(width: u16, height: u16) -> Vec<u8> {
        let mut bytes = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0".to_vec();
        bytes.extend_from_slice(&[0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A]);
        bytes.extend_from_slice(&width.to_le_bytes());
        bytes.extend_from_slice(&height.to_le_bytes());
        bytes
    }

    fn webp_extended(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x10\0\0\0".to_vec();
        bytes.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
        bytes.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
        bytes
    }

    #[test]
    fn sniffs_each_type_by_its_magic_number() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), FileType::Jpeg);
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            FileType::Png
        );
        assert_eq!(sniff(WEBP_1X1_LOSSLESS), FileType::WebP);
        assert_eq!(
            sniff(&mp4_header(b"isom", &[b"isom", b"iso2", b"avc1", b"mp41"])),
            FileType::Mp4
        );
        assert_eq!(sniff(&mp4_header(b"mp42", &[])), FileType::Mp4);
        // A major brand we do not list, but a compatible one we do (an iPhone's M4V).
        assert_eq!(
            sniff(&mp4_header(b"M4V ", &[b"M4V ", b"mp42"])),
            FileType::Mp4
        );
        assert_eq!(sniff(&ebml_header(b"webm")), FileType::WebM);
        assert_eq!(sniff(b"%PDF-1.7\n%\xE2\xE3"), FileType::Pdf);
    }

    #[test]
    fn look_alikes_are_unknown() {
        // QuickTime .mov, Matroska .mkv, a WAV (RIFF but not WebP), text, and short prefixes.
        assert_eq!(sniff(&mp4_header(b"qt  ", &[b"qt  "])), FileType::Unknown);
        assert_eq!(sniff(&ebml_header(b"matroska")), FileType::Unknown);
        assert_eq!(sniff(b"RIFF\x24\0\0\0WAVEfmt "), FileType::Unknown);
        assert_eq!(sniff(b"GIF89a"), FileType::Unknown);
        assert_eq!(sniff(b"%PDF"), FileType::Unknown);
        assert_eq!(sniff(&[0xFF, 0xD8]), FileType::Unknown);
        assert_eq!(sniff(b""), FileType::Unknown);
        assert_eq!(sniff(b"<html>ftypisom"), FileType::Unknown);
        // An ftyp box claiming fewer than 16 bytes is damaged.
        let mut short_box = mp4_header(b"isom", &[]);
        short_box[3] = 8;
        assert_eq!(sniff(&short_box), FileType::Unknown);
    }

    #[test]
    fn mime_extension_and_class_agree() {
        for file_type in FileType::ALL {
            let mime = file_type.mime();
            match file_type.class() {
                Some(FileClass::Image) => assert!(mime.starts_with("image/")),
                Some(FileClass::Video) => assert!(mime.starts_with("video/")),
                Some(FileClass::Attachment) => assert_eq!(mime, "application/pdf"),
                None => assert_eq!(file_type, FileType::Unknown),
            }
            assert_eq!(file_type.extension().is_some(), file_type.class().is_some());
        }
        assert_eq!(max_bytes(FileClass::Image), 10 * 1024 * 1024);
        assert_eq!(max_bytes(FileClass::Video), 200 * 1024 * 1024);
        assert_eq!(FileClass::Attachment.max_bytes(), 20 * 1024 * 1024);
    }

    #[test]
    fn an_upload_is_judged_by_content_then_size() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];
        assert_eq!(
            check_upload(FileClass::Image, &png, 1000),
            Ok(FileType::Png)
        );
        assert_eq!(
            check_upload(FileClass::Image, &png, MAX_IMAGE_BYTES),
            Ok(FileType::Png)
        );
        assert_eq!(
            check_upload(FileClass::Image, &png, MAX_IMAGE_BYTES + 1),
            Err(UploadProblem::TooLarge {
                max: MAX_IMAGE_BYTES
            })
        );
        // A PNG renamed .mp4 and offered as the video.
        assert_eq!(
            check_upload(FileClass::Video, &png, 1000),
            Err(UploadProblem::Mismatch {
                expected: FileClass::Video,
                found: FileType::Png
            })
        );
        assert_eq!(
            check_upload(FileClass::Attachment, b"MZ\x90\0", 10),
            Err(UploadProblem::UnknownType)
        );
        let mp4 = mp4_header(b"isom", &[b"isom"]);
        assert_eq!(
            check_upload(FileClass::Video, &mp4, 150 * 1024 * 1024),
            Ok(FileType::Mp4)
        );
        assert_eq!(
            check_upload(FileClass::Attachment, b"%PDF-1.4", MAX_ATTACHMENT_BYTES + 1),
            Err(UploadProblem::TooLarge {
                max: MAX_ATTACHMENT_BYTES
            })
        );
        assert!(check_size(FileClass::Video, MAX_VIDEO_BYTES).is_ok());
        assert!(check_size(FileClass::Video, MAX_VIDEO_BYTES + 1).is_err());
    }

    #[test]
    fn upload_problems_speak_three_languages() {
        let mismatch = UploadProblem::Mismatch {
            expected: FileClass::Video,
            found: FileType::Png,
        };
        assert_eq!(
            mismatch.message(Language::En),
            "this is a PNG file, but a video (MP4 or WebM) is needed here"
        );
        assert_eq!(
            mismatch.message(Language::Tk),
            "bu PNG faýly, emma bu ýere wideo (MP4 ýa-da WebM) gerek"
        );
        assert!(mismatch
            .message(Language::Ru)
            .contains("видео (MP4 или WebM)"));
        let too_large = UploadProblem::TooLarge {
            max: MAX_VIDEO_BYTES,
        };
        assert_eq!(
            too_large.message(Language::Ru),
            "файл слишком большой: допускается не более 200 МБ"
        );
        assert_eq!(
            too_large.to_string(),
            "the file is too large: the limit is 200 MB"
        );
        assert_eq!(megabytes(1536 * 1024, Language::Tk), "1,5");
        assert_eq!(megabytes(1536 * 1024, Language::En), "1.5");
        assert_eq!(UploadProblem::UnknownType.code(), "unknown_type");
        assert!(UploadProblem::UnknownType
            .message(Language::Tk)
            .contains("tanalmady"));
    }

    #[test]
    fn reads_webp_sizes_from_each_header() {
        assert_eq!(webp_dimensions(WEBP_1X1_LOSSLESS), Some((1, 1)));
        assert_eq!(webp_dimensions(&webp_lossy(1920, 1080)), Some((1920, 1080)));
        // The top two bits of a VP8 size are the upscaling, not the size.
        assert_eq!(
            webp_dimensions(&webp_lossy(640 | 0x4000, 480 | 0xC000)),
            Some((640, 480))
        );
        assert_eq!(
            webp_dimensions(&webp_extended(4000, 3000)),
            Some((4000, 3000))
        );
        assert_eq!(
            webp_dimensions(&webp_extended(1 << 24, 1)),
            Some((1 << 24, 1))
        );
        // Lossless: width − 1 in 14 bits, then height − 1 in 14 bits.
        let (w, h) = (1280u32, 720u32);
        let bits = (w - 1) | ((h - 1) << 14);
        let mut lossless = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f".to_vec();
        lossless.extend_from_slice(&bits.to_le_bytes());
        assert_eq!(webp_dimensions(&lossless), Some((1280, 720)));
    }

    #[test]
    fn damaged_webp_headers_have_no_size() {
        let lossy = webp_lossy(100, 100);
        assert_eq!(webp_dimensions(&lossy[..29]), None);
        let mut no_start_code = lossy.clone();
        no_start_code[24] = 0;
        assert_eq!(webp_dimensions(&no_start_code), None);
        let mut inter_frame = lossy.clone();
        inter_frame[20] |= 1;
        assert_eq!(webp_dimensions(&inter_frame), None);
        assert_eq!(webp_dimensions(&webp_lossy(0, 100)), None);
        let mut bad_signature = WEBP_1X1_LOSSLESS.to_vec();
        bad_signature[20] = 0x2E;
        assert_eq!(webp_dimensions(&bad_signature), None);
        assert_eq!(webp_dimensions(b"RIFF\0\0\0\0WEBPALPH\0\0\0\0"), None);
        assert_eq!(webp_dimensions(&[0xFF, 0xD8, 0xFF]), None);
    }

    // --- thumbnails ---

    #[test]
    fn thumbnails_keep_the_aspect_and_never_upscale() {
        assert_eq!(thumbnail_sizes(4000, 3000), vec![(320, 240), (1280, 960)]);
        assert_eq!(thumbnail_sizes(1920, 1080), vec![(320, 180), (1280, 720)]);
        // Portrait: still by width.
        assert_eq!(thumbnail_sizes(3000, 4000), vec![(320, 427), (1280, 1707)]);
        // Between the two widths: only the small one; at or below 320: none.
        assert_eq!(thumbnail_sizes(800, 600), vec![(320, 240)]);
        assert_eq!(thumbnail_sizes(1280, 720), vec![(320, 180)]);
        assert_eq!(thumbnail_sizes(1281, 720), vec![(320, 180), (1280, 719)]);
        assert_eq!(thumbnail_sizes(320, 240), vec![]);
        assert_eq!(thumbnail_sizes(100, 100), vec![]);
        // A panorama keeps at least one pixel of height.
        assert_eq!(thumbnail_sizes(100_000, 10), vec![(320, 1), (1280, 1)]);
        assert_eq!(thumbnail_sizes(0, 100), vec![]);
        assert_eq!(thumbnail_sizes(100, 0), vec![]);
        assert_eq!(
            thumbnail_sizes(u32::MAX, u32::MAX),
            vec![(320, 320), (1280, 1280)]
        );
    }

    // --- ranges ---

    #[test]
    fn parses_the_three_forms_of_a_byte_range() {
        assert_eq!(parse_range("bytes=100-199", 1000), Ok(Some((100, 199))));
        assert_eq!(parse_range("bytes=100-", 1000), Ok(Some((100, 999))));
        assert_eq!(parse_range("bytes=-100", 1000), Ok(Some((900, 999))));
        assert_eq!(parse_range("bytes=0-0", 1000), Ok(Some((0, 0))));
        assert_eq!(parse_range("Bytes = 5-9 ", 10), Ok(Some((5, 9))));
    }

    #[test]
    fn range_edges() {
        // The end is clamped to the last byte.
        assert_eq!(parse_range("bytes=0-999", 1000), Ok(Some((0, 999))));
        assert_eq!(parse_range("bytes=0-1000", 1000), Ok(Some((0, 999))));
        assert_eq!(
            parse_range("bytes=0-99999999999999999999999", 1000),
            Ok(Some((0, 999)))
        );
        // The last byte itself, and one past it.
        assert_eq!(parse_range("bytes=999-", 1000), Ok(Some((999, 999))));
        assert_eq!(parse_range("bytes=999-999", 1000), Ok(Some((999, 999))));
        assert_eq!(
            parse_range("bytes=1000-", 1000),
            Err(RangeError::Unsatisfiable)
        );
        assert_eq!(
            parse_range("bytes=1000-2000", 1000),
            Err(RangeError::Unsatisfiable)
        );
        assert_eq!(
            parse_range("bytes=99999999999999999999999-", 1000),
            Err(RangeError::Unsatisfiable)
        );
        // Suffixes: the whole file when longer than it; zero bytes is nothing to send.
        assert_eq!(parse_range("bytes=-1000", 1000), Ok(Some((0, 999))));
        assert_eq!(parse_range("bytes=-5000", 1000), Ok(Some((0, 999))));
        assert_eq!(parse_range("bytes=-1", 1000), Ok(Some((999, 999))));
        assert_eq!(
            parse_range("bytes=-0", 1000),
            Err(RangeError::Unsatisfiable)
        );
        // An empty file satisfies no range.
        assert_eq!(parse_range("bytes=0-", 0), Err(RangeError::Unsatisfiable));
        assert_eq!(parse_range("bytes=-5", 0), Err(RangeError::Unsatisfiable));
        assert_eq!(parse_range("bytes=0-0", 1), Ok(Some((0, 0))));
    }

    #[test]
    fn malformed_ranges_are_refused() {
        for header in [
            "bytes=",
            "bytes=,",
            "bytes=-",
            "bytes=abc",
            "bytes=a-b",
            "bytes=5",
            "bytes=1-2-3",
            "bytes=+1-2",
            "bytes=-+5",
            "bytes=0x10-",
            "bytes=200-100",
            "bytes=1.5-2",
        ] {
            assert_eq!(
                parse_range(header, 1000),
                Err(RangeError::Malformed),
                "{header}"
            );
        }
    }

    #[test]
    fn ranges_we_do_not_serve_fall_back_to_the_whole_file() {
        assert_eq!(parse_range("items=0-5", 1000), Ok(None));
        assert_eq!(parse_range("", 1000), Ok(None));
        assert_eq!(parse_range("bytes 0-5", 1000), Ok(None));
        assert_eq!(parse_range("bytes=0-1,5-6", 1000), Ok(None));
        // Empty list elements do not make several ranges.
        assert_eq!(parse_range("bytes=0-1, ,", 1000), Ok(Some((0, 1))));
    }

    #[test]
    fn content_range_headers() {
        assert_eq!(content_range(100, 199, 1000), "bytes 100-199/1000");
        assert_eq!(unsatisfied_content_range(1000), "bytes */1000");
    }

    proptest! {
        #[test]
        fn a_title_always_makes_a_valid_slug_or_says_it_is_too_short(title in "\\PC{0,200}") {
            match Slug::from_title(&title) {
                Ok(slug) => prop_assert_eq!(Slug::parse(slug.as_str()), Ok(slug.clone())),
                Err(error) => prop_assert!(matches!(error, SlugError::TooShort { .. }), "{:?}", error),
            }
        }

        #[test]
        fn a_slug_is_its_own_title(slug in "[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,6}") {
            prop_assume!(slug.len() >= MIN_SLUG_LEN);
            prop_assert_eq!(Slug::from_title(&slug).map(|s| s.0), Ok(slug.clone()));
        }

        #[test]
        fn sniffing_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            let file_type = sniff(&bytes);
            let _ = webp_dimensions(&bytes);
            let _ = check_upload(FileClass::Image, &bytes, bytes.len() as u64);
            // Whatever the rest, these prefixes decide.
            if bytes.starts_with(b"%PDF-") {
                prop_assert_eq!(file_type, FileType::Pdf);
            }
        }

        #[test]
        fn a_satisfied_range_lies_inside_the_file(
            header in "(bytes|BYTES|items)=[ 0-9,-]{0,20}",
            len in 0u64..5000,
        ) {
            if let Ok(Some((first, last))) = parse_range(&header, len) {
                prop_assert!(first <= last && last < len);
            }
        }

        #[test]
        fn first_and_last_give_exactly_that_range(
            first in 0u64..1_000_000,
            span in 0u64..1_000_000,
            len in 1u64..2_000_000,
        ) {
            let last = first + span;
            let result = parse_range(&format!("bytes={first}-{last}"), len);
            if first < len {
                prop_assert_eq!(result, Ok(Some((first, last.min(len - 1)))));
            } else {
                prop_assert_eq!(result, Err(RangeError::Unsatisfiable));
            }
        }

        #[test]
        fn thumbnails_are_narrower_and_keep_the_aspect(width in 1u32..20_000, height in 1u32..20_000) {
            for (w, h) in thumbnail_sizes(width, height) {
                prop_assert!(w < width && h <= height && h >= 1);
                // Within half a pixel of the exact height (or the one-pixel floor).
                let exact = f64::from(height) * f64::from(w) / f64::from(width);
                prop_assert!((f64::from(h) - exact).abs() <= 0.5 || h == 1);
            }
        }
    }
}
