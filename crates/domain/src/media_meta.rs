//! Taking the metadata out of an uploaded image before anyone else can download it: a phone's
//! photo carries where it was taken (Exif GPS), the camera, the time and often an editor's
//! history (XMP, IPTC), none of which a citizen means to publish.
//!
//! The removal is lossless: the image data is never decoded or re-encoded. JPEG segments, PNG
//! chunks and WebP chunks that hold metadata are dropped whole and everything else is copied
//! byte for byte, so what remains decodes to exactly the same pixels (colour profiles are kept).
//!
//! Like the rest of the crate, nothing here does I/O: the caller reads the bytes and passes them
//! in, and the SPA can run the same code before an upload starts.

use crate::media::FileType;
use crate::Language;
use std::fmt;
use std::ops::Range;

/// Picks the text in `language` out of the three.
fn pick(language: Language, tk: String, ru: String, en: String) -> String {
    match language {
        Language::Tk => tk,
        Language::Ru => ru,
        Language::En => en,
    }
}

/// Why the metadata of an image could not be removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataError {
    /// The file's structure is broken (a length past its end, bytes where a marker or chunk
    /// should be, no image data). The text says where, in English, for the logs.
    Malformed(&'static str),
}

impl MetadataError {
    /// A stable code for clients.
    pub fn code(&self) -> &'static str {
        match self {
            MetadataError::Malformed(_) => "malformed_image",
        }
    }

    /// What exactly is broken, in English, for the logs (not for citizens).
    pub fn detail(&self) -> &'static str {
        match self {
            MetadataError::Malformed(detail) => detail,
        }
    }

    /// The message for the person who uploaded the file.
    pub fn message(&self, language: Language) -> String {
        match self {
            MetadataError::Malformed(_) => pick(
                language,
                "suratyň meta-maglumatlaryny aýryp bolmady: faýl zeper ýetendir, başga faýl \
                 saýlaň"
                    .into(),
                "не удалось удалить метаданные изображения: файл, возможно, повреждён, выберите \
                 другой"
                    .into(),
                "the image's metadata could not be removed: the file may be damaged, choose \
                 another"
                    .into(),
            ),
        }
    }
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message(Language::En), self.detail())
    }
}

impl std::error::Error for MetadataError {}

/// The image without its metadata, losslessly (nothing is re-encoded):
///
/// - JPEG: the segments before the image data (SOS) are walked; APP1 (Exif and XMP), APP13
///   (Photoshop/IPTC) and COM are dropped, everything else (APP0 JFIF, APP2 ICC profile, APP14
///   Adobe, the tables and the frame header) is kept, fill bytes included. From SOS on, the
///   bytes are copied as they are.
/// - PNG: the chunks up to IEND are walked; `eXIf`, `tEXt`, `zTXt`, `iTXt` and `tIME` are
///   dropped, every other chunk is copied whole (so its CRC stays valid).
/// - WebP: the `EXIF` and `XMP ` chunks are dropped, the EXIF and XMP flags of a `VP8X` chunk
///   are cleared, and the RIFF size is rewritten.
/// - Any other type: the bytes unchanged.
///
/// Bytes after the end of the image (past JPEG's image data, PNG's IEND or the RIFF size) are
/// copied as they are. Stripping twice gives what stripping once did.
pub fn strip_metadata(file_type: FileType, bytes: &[u8]) -> Result<Vec<u8>, MetadataError> {
    match file_type {
        FileType::Jpeg => strip_jpeg(bytes),
        FileType::Png => strip_png(bytes),
        FileType::WebP => strip_webp(bytes),
        FileType::Mp4 | FileType::WebM | FileType::Pdf | FileType::Unknown => Ok(bytes.to_vec()),
    }
}

/// Whether the image carries a GPS position: Exif (in a JPEG's APP1 segment, a PNG's `eXIf`
/// chunk or a WebP's `EXIF` chunk) whose first IFD has a GPS IFD pointer (tag 0x8825). Only
/// the Exif that [`strip_metadata`] walks past is looked at; a damaged file is read up to the
/// damage. `false` for every other file type.
pub fn has_location(file_type: FileType, bytes: &[u8]) -> bool {
    match file_type {
        FileType::Jpeg => JpegParts::new(bytes).is_ok_and(|parts| {
            parts.map_while(Result::ok).any(|part| match part {
                JpegPart::Segment(segment) if segment.marker == APP1 => bytes
                    .get(segment.payload)
                    .and_then(|payload| payload.strip_prefix(b"Exif\0"))
                    .and_then(|rest| rest.get(1..))
                    .is_some_and(tiff_has_gps_pointer),
                _ => false,
            })
        }),
        FileType::Png => PngParts::new(bytes).is_ok_and(|parts| {
            parts.map_while(Result::ok).any(|part| match part {
                PngPart::Chunk(chunk) if &chunk.kind == b"eXIf" => {
                    bytes.get(chunk.data).is_some_and(exif_has_gps_pointer)
                }
                _ => false,
            })
        }),
        FileType::WebP => WebpParts::new(bytes).is_ok_and(|parts| {
            parts.map_while(Result::ok).any(|part| match part {
                WebpPart::Chunk(chunk) if &chunk.kind == b"EXIF" => {
                    bytes.get(chunk.data).is_some_and(exif_has_gps_pointer)
                }
                _ => false,
            })
        }),
        FileType::Mp4 | FileType::WebM | FileType::Pdf | FileType::Unknown => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Exif

/// The tag in IFD0 whose value is the offset of the GPS IFD.
const GPS_IFD_POINTER: u16 = 0x8825;

/// Exif as PNG and WebP store it: the TIFF structure itself, or (as some writers do) after the
/// `Exif\0\0` that JPEG's APP1 segment starts with.
fn exif_has_gps_pointer(exif: &[u8]) -> bool {
    tiff_has_gps_pointer(exif.strip_prefix(b"Exif\0\0").unwrap_or(exif))
}

/// Whether a TIFF structure's IFD0 has the GPS IFD pointer: the byte order (`II` little-endian,
/// `MM` big-endian), 42, the offset of IFD0, then IFD0's entry count and 12-byte entries, each
/// starting with its tag. Entries past the end are not there.
fn tiff_has_gps_pointer(tiff: &[u8]) -> bool {
    let big_endian = match tiff.get(0..2) {
        Some(b"II") => false,
        Some(b"MM") => true,
        _ => return false,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let bytes: [u8; 2] = tiff.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if big_endian {
            u16::from_be_bytes(bytes)
        } else {
            u16::from_le_bytes(bytes)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let bytes: [u8; 4] = tiff.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if big_endian {
            u32::from_be_bytes(bytes)
        } else {
            u32::from_le_bytes(bytes)
        })
    };
    if u16_at(2) != Some(42) {
        return false;
    }
    let Some(ifd0) = u32_at(4).and_then(|offset| usize::try_from(offset).ok()) else {
        return false;
    };
    let Some(count) = u16_at(ifd0) else {
        return false;
    };
    (0..usize::from(count))
        .any(|i| ifd0.checked_add(2 + 12 * i).and_then(u16_at) == Some(GPS_IFD_POINTER))
}

// ---------------------------------------------------------------------------------------------
// JPEG

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const TEM: u8 = 0x01;
const RST0: u8 = 0xD0;
const RST7: u8 = 0xD7;
const APP1: u8 = 0xE1;
const APP13: u8 = 0xED;
const COM: u8 = 0xFE;

/// A marker and its segment (empty for a standalone marker).
struct JpegSegment {
    marker: u8,
    /// Where the marker starts, fill bytes included.
    start: usize,
    /// The segment's data after its two length bytes.
    payload: Range<usize>,
    end: usize,
}

enum JpegPart {
    Segment(JpegSegment),
    /// Everything from here on (after SOS: the image data; after an early EOI: trailing bytes).
    Rest(usize),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum WalkState {
    Headers,
    Rest,
    Done,
}

/// The parts of a JPEG after its SOI marker, in order; an `Err` ends them.
struct JpegParts<'a> {
    bytes: &'a [u8],
    pos: usize,
    state: WalkState,
}

impl<'a> JpegParts<'a> {
    fn new(bytes: &'a [u8]) -> Result<Self, MetadataError> {
        if !bytes.starts_with(&[0xFF, SOI]) {
            return Err(MetadataError::Malformed(
                "JPEG: no start-of-image marker at the start",
            ));
        }
        Ok(JpegParts {
            bytes,
            pos: 2,
            state: WalkState::Headers,
        })
    }

    fn segment(&mut self) -> Result<JpegSegment, MetadataError> {
        let b = self.bytes;
        let start = self.pos;
        match b.get(start).copied() {
            None => {
                return Err(MetadataError::Malformed(
                    "JPEG: the file ends before the image data",
                ))
            }
            Some(0xFF) => {}
            Some(_) => {
                return Err(MetadataError::Malformed(
                    "JPEG: something other than a marker between segments",
                ))
            }
        }
        // Any number of 0xFF fill bytes may come before a marker.
        let mut at = start;
        while b.get(at) == Some(&0xFF) {
            at += 1;
        }
        let Some(&marker) = b.get(at) else {
            return Err(MetadataError::Malformed(
                "JPEG: the file ends in fill bytes",
            ));
        };
        let after = at + 1;
        match marker {
            0x00 => Err(MetadataError::Malformed(
                "JPEG: a stuffed zero byte outside the image data",
            )),
            SOI => Err(MetadataError::Malformed(
                "JPEG: a second start-of-image marker",
            )),
            TEM | RST0..=RST7 | EOI => Ok(JpegSegment {
                marker,
                start,
                payload: after..after,
                end: after,
            }),
            _ => {
                let Some(length) = b.get(after..after + 2) else {
                    return Err(MetadataError::Malformed(
                        "JPEG: a segment's length is cut off",
                    ));
                };
                let length = usize::from(u16::from_be_bytes([length[0], length[1]]));
                if length < 2 {
                    return Err(MetadataError::Malformed(
                        "JPEG: a segment's length is less than 2",
                    ));
                }
                let end = after + length;
                if end > b.len() {
                    return Err(MetadataError::Malformed(
                        "JPEG: a segment runs past the end of the file",
                    ));
                }
                Ok(JpegSegment {
                    marker,
                    start,
                    payload: after + 2..end,
                    end,
                })
            }
        }
    }
}

impl Iterator for JpegParts<'_> {
    type Item = Result<JpegPart, MetadataError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.state {
            WalkState::Done => None,
            WalkState::Rest => {
                self.state = WalkState::Done;
                Some(Ok(JpegPart::Rest(self.pos)))
            }
            WalkState::Headers => match self.segment() {
                Ok(segment) => {
                    self.pos = segment.end;
                    if matches!(segment.marker, SOS | EOI) {
                        self.state = WalkState::Rest;
                    }
                    Some(Ok(JpegPart::Segment(segment)))
                }
                Err(error) => {
                    self.state = WalkState::Done;
                    Some(Err(error))
                }
            },
        }
    }
}

/// APP1 (Exif, XMP), APP13 (Photoshop, IPTC) and comments.
fn is_jpeg_metadata(marker: u8) -> bool {
    matches!(marker, APP1 | APP13 | COM)
}

fn strip_jpeg(bytes: &[u8]) -> Result<Vec<u8>, MetadataError> {
    let parts = JpegParts::new(bytes)?;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    for part in parts {
        match part? {
            JpegPart::Segment(segment) => {
                if !is_jpeg_metadata(segment.marker) {
                    out.extend_from_slice(&bytes[segment.start..segment.end]);
                }
            }
            JpegPart::Rest(at) => out.extend_from_slice(&bytes[at..]),
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// PNG

const PNG_SIGNATURE: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
/// The largest chunk length PNG allows (2³¹ − 1).
const PNG_MAX_CHUNK: u32 = 0x7FFF_FFFF;

/// A chunk: length, type, data and CRC.
struct PngChunk {
    kind: [u8; 4],
    start: usize,
    data: Range<usize>,
    end: usize,
}

enum PngPart {
    Chunk(PngChunk),
    /// The bytes after IEND.
    Rest(usize),
}

/// The chunks of a PNG after its signature, up to IEND; an `Err` ends them.
struct PngParts<'a> {
    bytes: &'a [u8],
    pos: usize,
    state: WalkState,
}

impl<'a> PngParts<'a> {
    fn new(bytes: &'a [u8]) -> Result<Self, MetadataError> {
        if !bytes.starts_with(PNG_SIGNATURE) {
            return Err(MetadataError::Malformed("PNG: no signature at the start"));
        }
        Ok(PngParts {
            bytes,
            pos: PNG_SIGNATURE.len(),
            state: WalkState::Headers,
        })
    }

    fn chunk(&self) -> Result<PngChunk, MetadataError> {
        let b = self.bytes;
        let start = self.pos;
        if start == b.len() {
            return Err(MetadataError::Malformed("PNG: the file ends without IEND"));
        }
        let Some(header) = b.get(start..start + 8) else {
            return Err(MetadataError::Malformed("PNG: a chunk header is cut off"));
        };
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let kind = [header[4], header[5], header[6], header[7]];
        if length > PNG_MAX_CHUNK {
            return Err(MetadataError::Malformed("PNG: a chunk length over 2³¹ − 1"));
        }
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(MetadataError::Malformed(
                "PNG: a chunk type that is not four letters",
            ));
        }
        let data_start = start + 8;
        let data_end = usize::try_from(length)
            .ok()
            .and_then(|length| data_start.checked_add(length));
        let end = data_end.and_then(|data_end| data_end.checked_add(4));
        match (data_end, end) {
            (Some(data_end), Some(end)) if end <= b.len() => Ok(PngChunk {
                kind,
                start,
                data: data_start..data_end,
                end,
            }),
            _ => Err(MetadataError::Malformed(
                "PNG: a chunk runs past the end of the file",
            )),
        }
    }
}

impl Iterator for PngParts<'_> {
    type Item = Result<PngPart, MetadataError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.state {
            WalkState::Done => None,
            WalkState::Rest => {
                self.state = WalkState::Done;
                Some(Ok(PngPart::Rest(self.pos)))
            }
            WalkState::Headers => match self.chunk() {
                Ok(chunk) => {
                    self.pos = chunk.end;
                    if &chunk.kind == b"IEND" {
                        self.state = WalkState::Rest;
                    }
                    Some(Ok(PngPart::Chunk(chunk)))
                }
                Err(error) => {
                    self.state = WalkState::Done;
                    Some(Err(error))
                }
            },
        }
    }
}

/// Exif, the three kinds of text (author, description, software, comments…) and the time of the
/// last change.
fn is_png_metadata(kind: &[u8; 4]) -> bool {
    matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME")
}

fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, MetadataError> {
    let parts = PngParts::new(bytes)?;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_SIGNATURE);
    for part in parts {
        match part? {
            PngPart::Chunk(chunk) => {
                if !is_png_metadata(&chunk.kind) {
                    out.extend_from_slice(&bytes[chunk.start..chunk.end]);
                }
            }
            PngPart::Rest(at) => out.extend_from_slice(&bytes[at..]),
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// WebP

/// `RIFF`, the size of what follows, `WEBP`.
const WEBP_HEADER_LEN: usize = 12;
/// The VP8X flags: Exif and XMP metadata present.
const VP8X_EXIF: u8 = 0x08;
const VP8X_XMP: u8 = 0x04;
/// A VP8X chunk's data: flags, three reserved bytes, two 24-bit canvas sizes.
const VP8X_LEN: usize = 10;

/// A chunk: four-character code, little-endian size, data, and a padding byte when the size
/// is odd.
struct WebpChunk {
    kind: [u8; 4],
    start: usize,
    data: Range<usize>,
    /// After the padding byte.
    end: usize,
}

enum WebpPart {
    Chunk(WebpChunk),
    /// The bytes after the RIFF's end.
    Rest(usize),
}

/// The chunks inside a WebP's RIFF; an `Err` ends them.
struct WebpParts<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Where the RIFF ends by its size.
    riff_end: usize,
    state: WalkState,
}

impl<'a> WebpParts<'a> {
    fn new(bytes: &'a [u8]) -> Result<Self, MetadataError> {
        if !bytes.starts_with(b"RIFF") || bytes.get(8..12) != Some(b"WEBP".as_slice()) {
            return Err(MetadataError::Malformed("WebP: no RIFF/WEBP header"));
        }
        let riff_size = read_le_u32(bytes, 4)
            .and_then(|size| usize::try_from(size).ok())
            .unwrap_or(0);
        if riff_size < 4 {
            return Err(MetadataError::Malformed("WebP: a RIFF size under 4"));
        }
        match riff_size.checked_add(8) {
            Some(riff_end) if riff_end <= bytes.len() => Ok(WebpParts {
                bytes,
                pos: WEBP_HEADER_LEN,
                riff_end,
                state: WalkState::Headers,
            }),
            _ => Err(MetadataError::Malformed(
                "WebP: the RIFF size runs past the end of the file",
            )),
        }
    }

    fn chunk(&self) -> Result<WebpChunk, MetadataError> {
        let start = self.pos;
        let (Some(kind), Some(size)) = (
            self.bytes
                .get(start..start + 4)
                .filter(|_| start + 8 <= self.riff_end),
            read_le_u32(self.bytes, start + 4),
        ) else {
            return Err(MetadataError::Malformed("WebP: a chunk header is cut off"));
        };
        let kind = [kind[0], kind[1], kind[2], kind[3]];
        let data_start = start + 8;
        let Some(data_end) = usize::try_from(size)
            .ok()
            .and_then(|size| data_start.checked_add(size))
            .filter(|&data_end| data_end <= self.riff_end)
        else {
            return Err(MetadataError::Malformed(
                "WebP: a chunk runs past the end of the RIFF",
            ));
        };
        // An odd-sized chunk is followed by a padding byte, which some writers leave off the
        // last chunk.
        let end = if size % 2 == 1 && data_end < self.riff_end {
            data_end + 1
        } else {
            data_end
        };
        Ok(WebpChunk {
            kind,
            start,
            data: data_start..data_end,
            end,
        })
    }
}

impl Iterator for WebpParts<'_> {
    type Item = Result<WebpPart, MetadataError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.state {
            WalkState::Done => None,
            WalkState::Rest => {
                self.state = WalkState::Done;
                Some(Ok(WebpPart::Rest(self.riff_end)))
            }
            WalkState::Headers if self.pos >= self.riff_end => {
                self.state = WalkState::Done;
                Some(Ok(WebpPart::Rest(self.riff_end)))
            }
            WalkState::Headers => match self.chunk() {
                Ok(chunk) => {
                    self.pos = chunk.end;
                    Some(Ok(WebpPart::Chunk(chunk)))
                }
                Err(error) => {
                    self.state = WalkState::Done;
                    Some(Err(error))
                }
            },
        }
    }
}

fn read_le_u32(b: &[u8], at: usize) -> Option<u32> {
    let bytes: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(bytes))
}

fn strip_webp(bytes: &[u8]) -> Result<Vec<u8>, MetadataError> {
    let parts = WebpParts::new(bytes)?;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..WEBP_HEADER_LEN]);
    for part in parts {
        match part? {
            WebpPart::Chunk(chunk) => match &chunk.kind {
                b"EXIF" | b"XMP " => {}
                kind => {
                    if kind == b"VP8X" && chunk.data.len() < VP8X_LEN {
                        return Err(MetadataError::Malformed("WebP: a VP8X chunk is too short"));
                    }
                    let flags_at = out.len() + 8;
                    out.extend_from_slice(&bytes[chunk.start..chunk.end]);
                    if kind == b"VP8X" {
                        if let Some(flags) = out.get_mut(flags_at) {
                            *flags &= !(VP8X_EXIF | VP8X_XMP);
                        }
                    }
                }
            },
            WebpPart::Rest(at) => {
                // What is left is smaller than the RIFF was, so its size still fits.
                let riff_size = u32::try_from(out.len() - 8)
                    .map_err(|_| MetadataError::Malformed("WebP: the file is too large"))?;
                out[4..8].copy_from_slice(&riff_size.to_le_bytes());
                out.extend_from_slice(&bytes[at..]);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::{sniff, webp_dimensions};
    use proptest::prelude::*;

    // --- building test files ---

    /// A TIFF structure like a phone writes: IFD0 with the GPS IFD pointer (and, when asked, an
    /// Orientation entry first), then a GPS IFD with GPSLatitudeRef N, GPSLatitude 37°57′36″,
    /// GPSLongitudeRef E, GPSLongitude 58°23′0″ (Ashgabat). With `gps` false, IFD0 has only the
    /// Orientation entry.
    fn tiff(big_endian: bool, gps: bool) -> Vec<u8> {
        let u16b = |n: u16| {
            if big_endian {
                n.to_be_bytes()
            } else {
                n.to_le_bytes()
            }
        };
        let u32b = |n: u32| {
            if big_endian {
                n.to_be_bytes()
            } else {
                n.to_le_bytes()
            }
        };
        let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
            t.extend_from_slice(&u16b(tag));
            t.extend_from_slice(&u16b(kind));
            t.extend_from_slice(&u32b(count));
            t.extend_from_slice(&value);
        };
        const SHORT: u16 = 3;
        const ASCII: u16 = 2;
        const LONG: u16 = 4;
        const RATIONAL: u16 = 5;
        let mut t = Vec::new();
        t.extend_from_slice(if big_endian { b"MM" } else { b"II" });
        t.extend_from_slice(&u16b(42));
        t.extend_from_slice(&u32b(8));
        // IFD0: the orientation, then the GPS pointer.
        let ifd0_entries: u16 = if gps { 2 } else { 1 };
        let gps_ifd = 8 + 2 + 12 * u32::from(ifd0_entries) + 4;
        t.extend_from_slice(&u16b(ifd0_entries));
        let mut orientation = [0; 4];
        orientation[..2].copy_from_slice(&u16b(1));
        entry(&mut t, 0x0112, SHORT, 1, orientation);
        if gps {
            entry(&mut t, GPS_IFD_POINTER, LONG, 1, u32b(gps_ifd));
        }
        t.extend_from_slice(&u32b(0));
        if !gps {
            return t;
        }
        // The GPS IFD, its four entries, then the rationals they point at.
        let rationals = gps_ifd + 2 + 4 * 12 + 4;
        t.extend_from_slice(&u16b(4));
        entry(&mut t, 0x0001, ASCII, 2, *b"N\0\0\0");
        entry(&mut t, 0x0002, RATIONAL, 3, u32b(rationals));
        entry(&mut t, 0x0003, ASCII, 2, *b"E\0\0\0");
        entry(&mut t, 0x0004, RATIONAL, 3, u32b(rationals + 24));
        t.extend_from_slice(&u32b(0));
        assert_eq!(t.len(), rationals as usize);
        for (numerator, denominator) in [(37, 1), (57, 1), (36, 1), (58, 1), (23, 1), (0, 1)] {
            t.extend_from_slice(&u32b(numerator));
            t.extend_from_slice(&u32b(denominator));
        }
        t
    }

    /// A JPEG segment: marker, big-endian length (counting itself), data.
    fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(data.len() + 2).unwrap().to_be_bytes());
        s.extend_from_slice(data);
        s
    }

    fn exif_app1(tiff: &[u8]) -> Vec<u8> {
        segment(APP1, &[b"Exif\0\0".as_slice(), tiff].concat())
    }

    /// A synthetic JPEG as its pieces, each with whether stripping keeps it.
    fn jpeg_pieces() -> Vec<(Vec<u8>, bool)> {
        let mut dqt = vec![0];
        dqt.extend(1..=64u8);
        let mut dht = vec![0x00, 1];
        dht.extend_from_slice(&[0; 15]);
        dht.push(0);
        vec![
            (vec![0xFF, SOI], true),
            (segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"), true),
            (exif_app1(&tiff(false, true)), false),
            (
                segment(
                    APP1,
                    b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>37,57.6N\
                      </exif:GPSLatitude></x:xmpmeta>",
                ),
                false,
            ),
            (segment(COM, b"Taken at home"), false),
            (
                segment(0xE2, b"ICC_PROFILE\0\x01\x01not really a profile"),
                true,
            ),
            (
                segment(APP13, b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\0"),
                false,
            ),
            (segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01"), true),
            // Fill bytes before a marker.
            ([vec![0xFF, 0xFF], segment(0xDB, &dqt)].concat(), true),
            (segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]), true),
            (segment(0xC4, &dht), true),
            (segment(0xDD, &[0, 1]), true),
            (segment(SOS, &[1, 1, 0, 0, 0x3F, 0]), true),
            // Entropy-coded data with stuffed 0xFF bytes and a restart marker, then EOI.
            (
                vec![
                    0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0x9A, 0xFF, 0x00, 0xFF, EOI,
                ],
                true,
            ),
        ]
    }

    fn jpeg() -> Vec<u8> {
        jpeg_pieces()
            .into_iter()
            .flat_map(|(piece, _)| piece)
            .collect()
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        let crc = crc32(&c[4..]);
        c.extend_from_slice(&crc.to_be_bytes());
        c
    }

    /// A real 1×1 grey PNG with metadata, as its pieces, each with whether stripping keeps it.
    fn png_pieces() -> Vec<(Vec<u8>, bool)> {
        vec![
            (PNG_SIGNATURE.to_vec(), true),
            (
                png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]),
                true,
            ),
            (png_chunk(b"eXIf", &tiff(true, true)), false),
            (png_chunk(b"tEXt", b"Author\0Someone"), false),
            (
                png_chunk(b"pHYs", &[0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1]),
                true,
            ),
            (png_chunk(b"tIME", &[0x07, 0xEA, 11, 26, 17, 0, 0]), false),
            (
                png_chunk(b"zTXt", b"Comment\0\0\x78\x01\x01\0\0\xff\xff\0\0\0\x01"),
                false,
            ),
            (
                png_chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>"),
                false,
            ),
            // zlib: a stored block of the filter byte and one black pixel.
            (
                png_chunk(
                    b"IDAT",
                    &[
                        0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF, 0, 0, 0x00, 0x02, 0x00, 0x01,
                    ],
                ),
                true,
            ),
            (png_chunk(b"IEND", &[]), true),
        ]
    }

    fn png() -> Vec<u8> {
        png_pieces()
            .into_iter()
            .flat_map(|(piece, _)| piece)
            .collect()
    }

    fn webp_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = kind.to_vec();
        c.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    /// The 1×1 lossless image of `media`'s tests (13 bytes: odd, so padded).
    const VP8L_1X1: &[u8] = &[
        0x2F, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07,
    ];

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut w = b"RIFF".to_vec();
        w.extend_from_slice(&u32::try_from(body.len() + 4).unwrap().to_le_bytes());
        w.extend_from_slice(b"WEBP");
        w.extend_from_slice(&body);
        w
    }

    /// VP8X with `flags` and a 1×1 canvas.
    fn vp8x(flags: u8) -> Vec<u8> {
        webp_chunk(b"VP8X", &[flags, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    fn webp() -> Vec<u8> {
        // Odd-sized Exif: the TIFF and one more byte.
        let mut exif = tiff(false, true);
        exif.push(0);
        assert_eq!(exif.len() % 2, 1);
        riff(&[
            vp8x(0x10 | VP8X_EXIF | VP8X_XMP),
            webp_chunk(b"VP8L", VP8L_1X1),
            webp_chunk(b"EXIF", &exif),
            webp_chunk(b"XMP ", b"<x:xmpmeta>GPS</x:xmpmeta>"),
        ])
    }

    // --- JPEG ---

    #[test]
    fn jpeg_loses_exif_xmp_iptc_and_comments_and_keeps_the_rest_byte_for_byte() {
        let input = jpeg();
        assert_eq!(sniff(&input), FileType::Jpeg);
        assert!(has_location(FileType::Jpeg, &input));
        let output = strip_metadata(FileType::Jpeg, &input).unwrap();
        let expected: Vec<u8> = jpeg_pieces()
            .into_iter()
            .filter(|(_, kept)| *kept)
            .flat_map(|(piece, _)| piece)
            .collect();
        assert_eq!(output, expected);
        assert!(!has_location(FileType::Jpeg, &output));
        // From SOS on, everything is as it was.
        let sos = input.windows(2).position(|w| w == [0xFF, SOS]).unwrap();
        let out_sos = output.windows(2).position(|w| w == [0xFF, SOS]).unwrap();
        assert_eq!(output[out_sos..], input[sos..]);
        assert!(output.ends_with(&[0xFF, EOI]));
        assert!(!output.windows(4).any(|w| w == b"Exif"));
        assert!(!output.windows(3).any(|w| w == b"GPS"));
        assert!(!output.windows(8).any(|w| w == b"Photosho"));
        assert_eq!(strip_metadata(FileType::Jpeg, &output).unwrap(), output);
    }

    #[test]
    fn gps_is_found_in_either_byte_order_and_only_when_pointed_to() {
        let with = |tiff: Vec<u8>| {
            [
                vec![0xFF, SOI],
                exif_app1(&tiff),
                segment(SOS, &[1, 1, 0, 0, 0x3F, 0]),
                vec![0, 0xFF, EOI],
            ]
            .concat()
        };
        assert!(has_location(FileType::Jpeg, &with(tiff(false, true))));
        assert!(has_location(FileType::Jpeg, &with(tiff(true, true))));
        assert!(!has_location(FileType::Jpeg, &with(tiff(false, false))));
        assert!(!has_location(FileType::Jpeg, &with(tiff(true, false))));
        // A TIFF cut inside IFD0, a wrong magic number, an IFD0 offset past the end.
        let mut cut = tiff(false, true);
        cut.truncate(8 + 2 + 12 + 1);
        assert!(!has_location(FileType::Jpeg, &with(cut)));
        let mut magic = tiff(false, true);
        magic[2] = 43;
        assert!(!has_location(FileType::Jpeg, &with(magic)));
        let mut far = tiff(true, true);
        far[4..8].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(!has_location(FileType::Jpeg, &with(far)));
        // Both byte orders read directly, too.
        assert!(tiff_has_gps_pointer(&tiff(true, true)));
        assert!(tiff_has_gps_pointer(&tiff(false, true)));
        assert!(!tiff_has_gps_pointer(b"II*\0"));
        assert!(!tiff_has_gps_pointer(b""));
        // Not for other file types.
        assert!(!has_location(FileType::Png, &with(tiff(false, true))));
        assert!(!has_location(FileType::Pdf, &with(tiff(false, true))));
    }

    #[test]
    fn jpeg_standalone_markers_and_an_early_eoi() {
        // RST and TEM before the frame have no length; a tables-only stream ends at EOI and
        // whatever follows is copied.
        let input = [
            vec![0xFF, SOI, 0xFF, TEM, 0xFF, 0xD3],
            segment(COM, b"x"),
            vec![0xFF, EOI, 1, 2, 3],
        ]
        .concat();
        assert_eq!(
            strip_metadata(FileType::Jpeg, &input).unwrap(),
            [0xFF, SOI, 0xFF, TEM, 0xFF, 0xD3, 0xFF, EOI, 1, 2, 3]
        );
    }

    #[test]
    fn damaged_jpegs_are_refused() {
        let cases: [(&[u8], &str); 9] = [
            (b"", "JPEG: no start-of-image marker at the start"),
            (&[0x89, b'P'], "JPEG: no start-of-image marker at the start"),
            (&[0xFF, SOI], "JPEG: the file ends before the image data"),
            (
                &[0xFF, SOI, 0xFF, 0xFF],
                "JPEG: the file ends in fill bytes",
            ),
            (
                &[0xFF, SOI, 0x00],
                "JPEG: something other than a marker between segments",
            ),
            (
                &[0xFF, SOI, 0xFF, APP1, 0x00],
                "JPEG: a segment's length is cut off",
            ),
            (
                &[0xFF, SOI, 0xFF, APP1, 0x00, 0x20, b'E', b'x'],
                "JPEG: a segment runs past the end of the file",
            ),
            (
                &[0xFF, SOI, 0xFF, APP1, 0x00, 0x01],
                "JPEG: a segment's length is less than 2",
            ),
            (
                &[0xFF, SOI, 0xFF, SOI],
                "JPEG: a second start-of-image marker",
            ),
        ];
        for (bytes, detail) in cases {
            assert_eq!(
                strip_metadata(FileType::Jpeg, bytes),
                Err(MetadataError::Malformed(detail)),
                "{bytes:x?}"
            );
            assert!(!has_location(FileType::Jpeg, bytes));
        }
        // Cut anywhere before the end of the SOS header: refused; after it: fine.
        let input = jpeg();
        let sos = input.windows(2).position(|w| w == [0xFF, SOS]).unwrap();
        let sos_end = sos + 2 + 8;
        for len in 0..input.len() {
            let result = strip_metadata(FileType::Jpeg, &input[..len]);
            assert_eq!(result.is_ok(), len >= sos_end, "cut at {len}: {result:?}");
        }
    }

    // --- PNG ---

    #[test]
    fn png_loses_exif_text_and_time_chunks_and_keeps_the_rest_byte_for_byte() {
        let input = png();
        assert_eq!(sniff(&input), FileType::Png);
        assert!(has_location(FileType::Png, &input));
        let output = strip_metadata(FileType::Png, &input).unwrap();
        let expected: Vec<u8> = png_pieces()
            .into_iter()
            .filter(|(_, kept)| *kept)
            .flat_map(|(piece, _)| piece)
            .collect();
        assert_eq!(output, expected);
        assert!(!has_location(FileType::Png, &output));
        // Every chunk left still has a valid CRC.
        let kinds: Vec<[u8; 4]> = PngParts::new(&output)
            .unwrap()
            .filter_map(|part| match part.unwrap() {
                PngPart::Chunk(chunk) => {
                    let crc =
                        u32::from_be_bytes(output[chunk.data.end..chunk.end].try_into().unwrap());
                    assert_eq!(crc32(&output[chunk.start + 4..chunk.data.end]), crc);
                    Some(chunk.kind)
                }
                PngPart::Rest(at) => {
                    assert_eq!(at, output.len());
                    None
                }
            })
            .collect();
        assert_eq!(kinds, [*b"IHDR", *b"pHYs", *b"IDAT", *b"IEND"]);
        assert_eq!(strip_metadata(FileType::Png, &output).unwrap(), output);
    }

    #[test]
    fn png_exif_may_carry_the_jpeg_prefix() {
        let input = [
            PNG_SIGNATURE.to_vec(),
            png_chunk(
                b"eXIf",
                &[b"Exif\0\0".as_slice(), &tiff(false, true)].concat(),
            ),
            png_chunk(b"IEND", &[]),
        ]
        .concat();
        assert!(has_location(FileType::Png, &input));
        let no_gps = [
            PNG_SIGNATURE.to_vec(),
            png_chunk(b"eXIf", &tiff(false, false)),
            png_chunk(b"IEND", &[]),
        ]
        .concat();
        assert!(!has_location(FileType::Png, &no_gps));
    }

    #[test]
    fn damaged_pngs_are_refused() {
        let sig = PNG_SIGNATURE;
        let cases: [(Vec<u8>, &str); 6] = [
            (b"\x89PNG".to_vec(), "PNG: no signature at the start"),
            (sig.to_vec(), "PNG: the file ends without IEND"),
            (
                [sig, &[0, 0, 0, 13, b'I', b'H']].concat(),
                "PNG: a chunk header is cut off",
            ),
            (
                [sig, &[0x80, 0, 0, 0, b'I', b'D', b'A', b'T']].concat(),
                "PNG: a chunk length over 2³¹ − 1",
            ),
            (
                [sig, &[0, 0, 0, 0, b'I', b'D', b'1', b'T', 0, 0, 0, 0]].concat(),
                "PNG: a chunk type that is not four letters",
            ),
            (
                [sig, &[0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0]].concat(),
                "PNG: a chunk runs past the end of the file",
            ),
        ];
        for (bytes, detail) in cases {
            assert_eq!(
                strip_metadata(FileType::Png, &bytes),
                Err(MetadataError::Malformed(detail))
            );
        }
        // Cut anywhere before IEND's end: refused.
        let input = png();
        for len in 0..input.len() {
            assert!(
                strip_metadata(FileType::Png, &input[..len]).is_err(),
                "{len}"
            );
            let _ = has_location(FileType::Png, &input[..len]);
        }
        // Bytes after IEND are copied as they are.
        let trailing = [input.as_slice(), b"trailing"].concat();
        assert!(strip_metadata(FileType::Png, &trailing)
            .unwrap()
            .ends_with(b"IEND\xAE\x42\x60\x82trailing"));
    }

    // --- WebP ---

    #[test]
    fn webp_loses_exif_and_xmp_chunks_and_flags() {
        let input = webp();
        assert_eq!(sniff(&input), FileType::WebP);
        assert!(has_location(FileType::WebP, &input));
        let output = strip_metadata(FileType::WebP, &input).unwrap();
        // Only the alpha flag is left; the image chunk keeps its padding byte.
        let expected = riff(&[vp8x(0x10), webp_chunk(b"VP8L", VP8L_1X1)]);
        assert_eq!(output, expected);
        assert_eq!(output.len(), 12 + 18 + 8 + 14);
        assert_eq!(
            read_le_u32(&output, 4),
            Some(u32::try_from(output.len() - 8).unwrap())
        );
        assert!(!has_location(FileType::WebP, &output));
        assert_eq!(webp_dimensions(&output), Some((1, 1)));
        assert_eq!(strip_metadata(FileType::WebP, &output).unwrap(), output);
    }

    #[test]
    fn webp_edge_cases() {
        // Simple (VP8L only) files have nothing to remove.
        let simple = riff(&[webp_chunk(b"VP8L", VP8L_1X1)]);
        assert_eq!(strip_metadata(FileType::WebP, &simple).unwrap(), simple);
        // An odd last chunk whose padding byte was left off, and bytes after the RIFF.
        let odd_unpadded = [b"ODD ".as_slice(), &3u32.to_le_bytes(), b"abc"].concat();
        let mut unpadded = riff(&[
            webp_chunk(b"VP8L", VP8L_1X1),
            webp_chunk(b"EXIF", &tiff(true, true)),
            odd_unpadded.clone(),
        ]);
        unpadded.extend_from_slice(b"after");
        assert!(has_location(FileType::WebP, &unpadded));
        let output = strip_metadata(FileType::WebP, &unpadded).unwrap();
        let mut expected = riff(&[webp_chunk(b"VP8L", VP8L_1X1), odd_unpadded]);
        expected.extend_from_slice(b"after");
        assert_eq!(output, expected);
        assert!(!has_location(FileType::WebP, &output));
        // Exif with the JPEG prefix, as some writers store it.
        let prefixed = riff(&[
            vp8x(VP8X_EXIF),
            webp_chunk(b"VP8L", VP8L_1X1),
            webp_chunk(
                b"EXIF",
                &[b"Exif\0\0".as_slice(), &tiff(false, true)].concat(),
            ),
        ]);
        assert!(has_location(FileType::WebP, &prefixed));
    }

    #[test]
    fn damaged_webps_are_refused() {
        let good = webp();
        let mut too_long = good.clone();
        too_long[4..8].copy_from_slice(&u32::try_from(good.len()).unwrap().to_le_bytes());
        let mut tiny = good.clone();
        tiny[4..8].copy_from_slice(&3u32.to_le_bytes());
        let mut chunk_too_long = good.clone();
        chunk_too_long[16..20].copy_from_slice(&1000u32.to_le_bytes());
        let short_vp8x = riff(&[webp_chunk(b"VP8X", &[0x08, 0, 0, 0])]);
        let mut cut_header = [riff(&[webp_chunk(b"VP8L", VP8L_1X1)]), b"VP8".to_vec()].concat();
        let body_len = cut_header.len() - 8;
        cut_header[4..8].copy_from_slice(&u32::try_from(body_len).unwrap().to_le_bytes());
        let cases: [(&[u8], &str); 6] = [
            (b"RIFF\x04\0\0\0WAVE", "WebP: no RIFF/WEBP header"),
            (
                &too_long,
                "WebP: the RIFF size runs past the end of the file",
            ),
            (&tiny, "WebP: a RIFF size under 4"),
            (
                &chunk_too_long,
                "WebP: a chunk runs past the end of the RIFF",
            ),
            (&short_vp8x, "WebP: a VP8X chunk is too short"),
            (&cut_header, "WebP: a chunk header is cut off"),
        ];
        for (bytes, detail) in cases {
            assert_eq!(
                strip_metadata(FileType::WebP, bytes),
                Err(MetadataError::Malformed(detail))
            );
        }
        for len in 0..good.len() {
            let _ = strip_metadata(FileType::WebP, &good[..len]);
            let _ = has_location(FileType::WebP, &good[..len]);
        }
    }

    // --- the rest ---

    #[test]
    fn other_types_are_left_alone() {
        let bytes = jpeg();
        for file_type in [
            FileType::Mp4,
            FileType::WebM,
            FileType::Pdf,
            FileType::Unknown,
        ] {
            assert_eq!(strip_metadata(file_type, &bytes).unwrap(), bytes);
            assert!(!has_location(file_type, &bytes));
        }
    }

    #[test]
    fn errors_speak_three_languages() {
        let error = MetadataError::Malformed("JPEG: a segment's length is cut off");
        assert_eq!(error.code(), "malformed_image");
        assert_eq!(
            error.message(Language::En),
            "the image's metadata could not be removed: the file may be damaged, choose another"
        );
        assert!(error.message(Language::Tk).contains("zeper ýetendir"));
        assert!(error.message(Language::Ru).contains("повреждён"));
        assert_eq!(
            error.to_string(),
            "the image's metadata could not be removed: the file may be damaged, choose \
             another (JPEG: a segment's length is cut off)"
        );
    }

    /// Stripping never panics; when it works, the result has no location and stripping it
    /// again changes nothing.
    fn check_strip(file_type: FileType, bytes: &[u8]) -> Result<(), TestCaseError> {
        let _ = has_location(file_type, bytes);
        if let Ok(output) = strip_metadata(file_type, bytes) {
            prop_assert!(output.len() <= bytes.len());
            prop_assert!(!has_location(file_type, &output));
            prop_assert_eq!(strip_metadata(file_type, &output), Ok(output.clone()));
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn random_bytes_after_a_signature_never_panic(
            tail in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            check_strip(FileType::Jpeg, &[[0xFF, SOI].as_slice(), &tail].concat())?;
            check_strip(FileType::Png, &[PNG_SIGNATURE, &tail].concat())?;
            let len = u32::try_from(tail.len() + 4).unwrap().to_le_bytes();
            check_strip(FileType::WebP, &[b"RIFF".as_slice(), &len, b"WEBP", &tail].concat())?;
        }

        #[test]
        fn damaged_files_never_panic(
            which in 0usize..3,
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
            cut in any::<prop::sample::Index>(),
        ) {
            let (file_type, mut bytes) = match which {
                0 => (FileType::Jpeg, jpeg()),
                1 => (FileType::Png, png()),
                _ => (FileType::WebP, webp()),
            };
            for (at, value) in edits {
                let at = at.index(bytes.len());
                bytes[at] = value;
            }
            check_strip(file_type, &bytes)?;
            check_strip(file_type, &bytes[..cut.index(bytes.len() + 1)])?;
        }
    }
}
