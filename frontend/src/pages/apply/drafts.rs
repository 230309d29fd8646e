//! The applications this browser holds, by number, in `localStorage` under
//! `nobat.applications` (a JSON object number → token), and the one being filled in under
//! `nobat.application.current`. The token is the only key to an application besides tracking,
//! so it is kept before anything else happens, and never put in a URL.

use gloo_storage::{LocalStorage, Storage};
use std::collections::BTreeMap;

pub const TOKENS_KEY: &str = "nobat.applications";
pub const CURRENT_KEY: &str = "nobat.application.current";

fn all() -> BTreeMap<String, String> {
    LocalStorage::get(TOKENS_KEY).unwrap_or_default()
}

pub fn token(number: &str) -> Option<String> {
    all().remove(number)
}

/// Keeps the token of a new application and makes it the current one.
pub fn remember(number: &str, token: &str) {
    let mut tokens = all();
    tokens.insert(number.to_owned(), token.to_owned());
    let _ = LocalStorage::set(TOKENS_KEY, tokens);
    let _ = LocalStorage::set(CURRENT_KEY, number);
}

/// The application being filled in on this device, if its token is still here.
pub fn current() -> Option<String> {
    let number: String = LocalStorage::get(CURRENT_KEY).ok()?;
    token(&number).map(|_| number)
}

/// The citizen starts another application; the earlier one stays openable by its number.
pub fn start_new() {
    LocalStorage::delete(CURRENT_KEY);
}

/// Drops a token the server no longer accepts.
pub fn forget(number: &str) {
    let mut tokens = all();
    if tokens.remove(number).is_some() {
        let _ = LocalStorage::set(TOKENS_KEY, tokens);
    }
    if LocalStorage::get::<String>(CURRENT_KEY).ok().as_deref() == Some(number) {
        LocalStorage::delete(CURRENT_KEY);
    }
}
