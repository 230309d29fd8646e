//! Translations: one `key = text` file per language (`tk.txt`, `ru.txt`, `en.txt`), compiled in.
//! Every key the app uses is a [`Key`]; a test fails when any language lacks one or has extras.

use nobat_domain::Language;
use std::collections::HashMap;
use std::sync::OnceLock;

macro_rules! keys {
    ($($variant:ident => $id:literal),* $(,)?) => {
        /// A piece of text the interface shows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $($variant),* }

        impl Key {
            #[cfg_attr(not(test), allow(dead_code))]
            pub const ALL: &'static [Key] = &[$(Key::$variant),*];

            /// The key as written in the translation files.
            pub fn id(self) -> &'static str {
                match self { $(Key::$variant => $id),* }
            }
        }
    };
}

keys! {
    AppName => "app.name",
    AppTagline => "app.tagline",
    Skip => "skip",
    LangLabel => "lang.label",
    NavLabel => "nav.label",
    NavHome => "nav.home",
    NavBook => "nav.book",
    NavMyBooking => "nav.my_booking",
    NavApply => "nav.apply",
    NavTrack => "nav.track",
    NavMedia => "nav.media",
    NavStaff => "nav.staff",
    HomeTitle => "home.title",
    HomeLead => "home.lead",
    HomeStepsTitle => "home.steps_title",
    HomeStep1 => "home.step1",
    HomeStep2 => "home.step2",
    HomeStep3 => "home.step3",
    HomeStep4 => "home.step4",
    HomeStep5 => "home.step5",
    HomeArrive => "home.arrive",
    HomeActionsTitle => "home.actions_title",
    ActionBook => "action.book",
    ActionMyBooking => "action.my_booking",
    ActionApply => "action.apply",
    ActionTrack => "action.track",
    ActionMedia => "action.media",
    ActionStaff => "action.staff",
    StatusLabel => "status.label",
    StatusChecking => "status.checking",
    StatusUp => "status.up",
    StatusDown => "status.down",
    StatusUnreachable => "status.unreachable",
    SectionSoon => "section.soon",
    SectionBack => "section.back",
    NotFoundTitle => "notfound.title",
    NotFoundText => "notfound.text",
    FooterOwner => "footer.owner",
    FooterApi => "footer.api",
}

fn source(language: Language) -> &'static str {
    match language {
        Language::Tk => include_str!("tk.txt"),
        Language::Ru => include_str!("ru.txt"),
        Language::En => include_str!("en.txt"),
    }
}

/// Parses a translation file: `key = text` lines; blank lines and `#` comments are skipped.
fn parse(source: &'static str) -> HashMap<&'static str, &'static str> {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, text)| (key.trim(), text.trim()))
        .collect()
}

fn table(language: Language) -> &'static HashMap<&'static str, &'static str> {
    static TABLES: OnceLock<[HashMap<&'static str, &'static str>; 3]> = OnceLock::new();
    let tables = TABLES.get_or_init(|| Language::ALL.map(|l| parse(source(l))));
    match language {
        Language::Tk => &tables[0],
        Language::Ru => &tables[1],
        Language::En => &tables[2],
    }
}

/// The text for `key` in `language`, falling back to Turkmen, then to the key itself.
pub fn t(language: Language, key: Key) -> &'static str {
    table(language)
        .get(key.id())
        .or_else(|| table(Language::Tk).get(key.id()))
        .copied()
        .unwrap_or(key.id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key_and_no_other() {
        let known: Vec<&str> = Key::ALL.iter().map(|k| k.id()).collect();
        for language in Language::ALL {
            let table = parse(source(language));
            for key in &known {
                let text = table.get(key).copied().unwrap_or_default();
                assert!(!text.is_empty(), "{language}: missing or empty key {key}");
            }
            for key in table.keys() {
                assert!(known.contains(key), "{language}: unknown key {key}");
            }
        }
    }

    #[test]
    fn no_file_defines_a_key_twice() {
        for language in Language::ALL {
            let lines = source(language)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .count();
            assert_eq!(
                lines,
                parse(source(language)).len(),
                "{language}: duplicate key"
            );
        }
    }

    #[test]
    fn key_ids_are_unique() {
        let mut ids: Vec<&str> = Key::ALL.iter().map(|k| k.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Key::ALL.len());
    }

    #[test]
    fn turkmen_letters_survive() {
        assert!(t(Language::Tk, Key::NavMyBooking).contains('ň'));
        assert!(t(Language::Tk, Key::AppTagline).contains('ý'));
    }
}
