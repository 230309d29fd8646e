//! Nobat's domain: the business rules of the queue and passport service and the types that cross
//! the wire between the API and its clients (the SPA and integrators).
//!
//! Nothing here does I/O. The crate builds for `wasm32-unknown-unknown` as well, so the SPA parses
//! and validates with exactly the rules the server applies.

pub mod application_docs;
pub mod availability;
pub mod booking;
pub mod booking_api;
pub mod calendar;
pub mod catalog;
pub mod identity;
pub mod language;
pub mod localized;
pub mod media;
pub mod media_meta;
pub mod money;
pub mod notification;
pub mod opening;
pub mod passport;
pub mod payment;
pub mod queue;
pub mod region;
pub mod staff;
pub mod ticket;
pub mod wire;

pub use language::Language;
pub use localized::{Localized, LocalizedList};
pub use money::Money;
pub use region::Region;

/// A character no free text may hold: a control character (NUL, line breaks, escape...) or an
/// invisible formatting one (zero-width, bidirectional embeddings and overrides, the BOM), which
/// could hide or reorder what staff read. PostgreSQL refuses NUL in text outright.
pub fn is_control_or_format(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod text_tests {
    use super::is_control_or_format;

    #[test]
    fn control_and_invisible_formatting_characters_are_found() {
        for c in [
            '\0', '\n', '\t', '\u{7f}', '\u{200B}', '\u{202E}', '\u{2066}', '\u{FEFF}',
        ] {
            assert!(is_control_or_format(c), "{c:?}");
        }
        for c in ['a', 'Ş', 'ý', 'Ж', 'م', ' ', '-', '\'', '№'] {
            assert!(!is_control_or_format(c), "{c:?}");
        }
    }
}
