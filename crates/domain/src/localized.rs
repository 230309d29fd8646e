//! Text in the three languages of the service.

use crate::Language;
use serde::{Deserialize, Serialize};

/// One text in Turkmen, Russian and English. Turkmen is always present; an empty translation
/// falls back to it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "tk": "Daşoguz welaýat bölümi", "ru": "Дашогузский велаятский отдел", "en": "Daşoguz velayat department"
})))]
pub struct Localized {
    pub tk: String,
    pub ru: String,
    pub en: String,
}

impl Localized {
    pub fn new(tk: impl Into<String>, ru: impl Into<String>, en: impl Into<String>) -> Self {
        Localized {
            tk: tk.into(),
            ru: ru.into(),
            en: en.into(),
        }
    }

    /// The text in `language`, or the Turkmen text when that translation is missing.
    pub fn get(&self, language: Language) -> &str {
        let text = match language {
            Language::Tk => &self.tk,
            Language::Ru => &self.ru,
            Language::En => &self.en,
        };
        if text.trim().is_empty() {
            &self.tk
        } else {
            text
        }
    }

    /// Whether any of the three contains `needle`, ignoring case.
    pub fn contains_ignore_case(&self, needle: &str) -> bool {
        let needle = needle.to_lowercase();
        [&self.tk, &self.ru, &self.en]
            .iter()
            .any(|text| text.to_lowercase().contains(&needle))
    }
}

/// A list of texts (e.g. documents to bring) in the three languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalizedList {
    pub tk: Vec<String>,
    pub ru: Vec<String>,
    pub en: Vec<String>,
}

impl LocalizedList {
    pub fn get(&self, language: Language) -> &[String] {
        let list = match language {
            Language::Tk => &self.tk,
            Language::Ru => &self.ru,
            Language::En => &self.en,
        };
        if list.is_empty() {
            &self.tk
        } else {
            list
        }
    }
}

/// Sort key for Turkmen text in the Turkmen alphabet order
/// A B Ç D E Ä F G H I J Ž K L M N Ň O Ö P R S Ş T U Ü W Y Ý Z (other letters after, by code).
pub fn turkmen_sort_key(text: &str) -> Vec<u32> {
    const ALPHABET: &str = "abçdeäfghijžklmnňoöprsştuüwyýz";
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match ALPHABET.chars().position(|a| a == c) {
            Some(index) => index as u32,
            None => 100 + c as u32,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_translations_fall_back_to_turkmen() {
        let text = Localized::new("Daşoguz", "", "Dashoguz");
        assert_eq!(text.get(Language::Ru), "Daşoguz");
        assert_eq!(text.get(Language::En), "Dashoguz");
    }

    #[test]
    fn turkmen_alphabet_orders_letters_after_their_base() {
        let mut names = vec![
            "Ýaşlyk",
            "Çärjew",
            "Daşoguz",
            "Arkadag",
            "Şatlyk",
            "Zähmet",
            "Ýolöten",
            "Sarahs",
            "Ärsary",
        ];
        names.sort_by_key(|n| turkmen_sort_key(n));
        assert_eq!(
            names,
            vec![
                "Arkadag",
                "Çärjew",
                "Daşoguz",
                "Ärsary",
                "Sarahs",
                "Şatlyk",
                "Ýaşlyk",
                "Ýolöten",
                "Zähmet"
            ]
        );
    }
}
