//! The manage tokens this browser holds, by booking reference, in `localStorage` under
//! `nobat.booking-tokens` (a JSON object reference → token). A token is the only key to a
//! booking besides the passport data, so it is saved before the citizen leaves for the bank.

use gloo_storage::{LocalStorage, Storage};
use std::collections::BTreeMap;

pub const STORAGE_KEY: &str = "nobat.booking-tokens";

fn all() -> BTreeMap<String, String> {
    LocalStorage::get(STORAGE_KEY).unwrap_or_default()
}

/// The references of the bookings opened in this browser, in order.
pub fn references() -> Vec<String> {
    all().into_keys().collect()
}

pub fn get(reference: &str) -> Option<String> {
    all().remove(reference)
}

pub fn remember(reference: &str, token: &str) {
    let mut tokens = all();
    tokens.insert(reference.to_owned(), token.to_owned());
    let _ = LocalStorage::set(STORAGE_KEY, tokens);
}

/// Drops a token the server no longer accepts.
pub fn forget(reference: &str) {
    let mut tokens = all();
    if tokens.remove(reference).is_some() {
        let _ = LocalStorage::set(STORAGE_KEY, tokens);
    }
}

/// The token of a manage link's fragment (`#token=…`), if the address has one.
pub fn from_fragment(hash: &str) -> Option<String> {
    hash.trim_start_matches('#')
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manage_link_carries_the_token_in_its_fragment() {
        assert_eq!(
            from_fragment("#token=abc_DEF-1").as_deref(),
            Some("abc_DEF-1")
        );
        assert_eq!(from_fragment("#x=1&token=t").as_deref(), Some("t"));
        assert_eq!(from_fragment("#token="), None);
        assert_eq!(from_fragment(""), None);
    }
}
