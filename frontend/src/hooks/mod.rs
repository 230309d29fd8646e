//! Hooks shared by pages.

use crate::i18n::{self, Key};
use crate::state::{Action, AppState};
use nobat_domain::Language;
use yew::prelude::*;

/// The app state and its dispatcher, provided by `App`.
pub type AppContext = UseReducerHandle<AppState>;

/// Where the chosen language is remembered between visits.
pub const LANGUAGE_STORAGE_KEY: &str = "nobat.language";

/// A translator bound to the current language: `let t = use_t(); t(Key::HomeTitle)`.
#[hook]
pub fn use_t() -> impl Fn(Key) -> &'static str {
    let language = use_language();
    move |key| i18n::t(language, key)
}

#[hook]
pub fn use_language() -> Language {
    use_context::<AppContext>()
        .map(|ctx| ctx.language)
        .unwrap_or_default()
}

/// Switches the language, remembers it, and sets `<html lang>` for screen readers.
pub fn set_language(ctx: &AppContext, language: Language) {
    use gloo_storage::Storage;
    let _ = gloo_storage::LocalStorage::set(LANGUAGE_STORAGE_KEY, language.code());
    if let Some(root) = document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", language.code());
    }
    ctx.dispatch(Action::SetLanguage(language));
}

/// The language remembered from an earlier visit, if any.
pub fn remembered_language() -> Option<Language> {
    use gloo_storage::Storage;
    let code: String = gloo_storage::LocalStorage::get(LANGUAGE_STORAGE_KEY).ok()?;
    Language::parse(&code).ok()
}

pub fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Sets the document title to "<page> · Nobat".
#[hook]
pub fn use_title(page: &'static str) {
    use_effect_with(page, |page| {
        if let Some(document) = document() {
            document.set_title(&format!("{page} · Nobat"));
        }
    });
}
