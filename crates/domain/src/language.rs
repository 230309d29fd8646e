//! The three languages Nobat speaks: Turkmen (the default), Russian and English.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A language of the service. Turkmen comes first: it is the default everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Tk,
    Ru,
    En,
}

/// The text was not one of `tk`, `ru`, `en`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?}: expected one of tk, ru, en")]
pub struct UnknownLanguage(pub String);

impl Language {
    pub const ALL: [Language; 3] = [Language::Tk, Language::Ru, Language::En];

    /// Parses a language tag such as `tk`, `ru-RU` or `EN`; only the primary subtag counts.
    pub fn parse(tag: &str) -> Result<Self, UnknownLanguage> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "tk" => Ok(Language::Tk),
            "ru" => Ok(Language::Ru),
            "en" => Ok(Language::En),
            _ => Err(UnknownLanguage(tag.to_owned())),
        }
    }

    /// Picks the best of our languages from an HTTP `Accept-Language` header, honouring `q`
    /// weights; Turkmen when none of ours is acceptable.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(Language, u32)> = None;
        for (position, item) in header.split(',').enumerate() {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .filter_map(|q| q.trim().parse::<f32>().ok())
                .next()
                .unwrap_or(1.0);
            if quality.is_nan() || quality <= 0.0 {
                continue;
            }
            let Ok(language) = Language::parse(tag) else {
                continue;
            };
            // Weight in thousandths first; among equal weights the earlier entry wins.
            let score = (quality.min(1.0) * 1000.0) as u32 * 64 + (63 - position.min(63) as u32);
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((language, score));
            }
        }
        best.map(|(l, _)| l).unwrap_or_default()
    }

    /// The ISO 639-1 code, as used in URLs, headers and `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Tk => "tk",
            Language::Ru => "ru",
            Language::En => "en",
        }
    }

    /// The language's own name for itself, as a language switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::Tk => "Türkmençe",
            Language::Ru => "Русский",
            Language::En => "English",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Language {
    type Err = UnknownLanguage;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_codes_and_regional_tags() {
        assert_eq!(Language::parse("tk"), Ok(Language::Tk));
        assert_eq!(Language::parse("ru-RU"), Ok(Language::Ru));
        assert_eq!(Language::parse(" EN_gb "), Ok(Language::En));
        assert!(Language::parse("de").is_err());
        assert!(Language::parse("").is_err());
    }

    #[test]
    fn accept_language_honours_weights_and_order() {
        assert_eq!(
            Language::from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"),
            Language::Ru
        );
        assert_eq!(
            Language::from_accept_language("de,en;q=0.5,ru;q=0.7"),
            Language::Ru
        );
        assert_eq!(Language::from_accept_language("en,ru"), Language::En);
        assert_eq!(Language::from_accept_language("de,fr"), Language::Tk);
        assert_eq!(
            Language::from_accept_language("ru;q=0,en;q=0.1"),
            Language::En
        );
        assert_eq!(Language::from_accept_language(""), Language::Tk);
    }

    #[test]
    fn serializes_as_lowercase_code() {
        for language in Language::ALL {
            let json = serde_json::to_string(&language).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", language.code()));
        }
    }

    proptest! {
        #[test]
        fn code_round_trips(index in 0usize..3) {
            let language = Language::ALL[index];
            prop_assert_eq!(Language::parse(language.code()), Ok(language));
        }

        #[test]
        fn accept_language_never_panics(header in ".{0,200}") {
            let _ = Language::from_accept_language(&header);
        }
    }
}
