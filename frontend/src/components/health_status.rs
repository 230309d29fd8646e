//! The live status of the API and its database, refreshed every 30 seconds.

use crate::api;
use crate::hooks::{use_language, use_t};
use crate::i18n::Key;
use gloo_timers::callback::Interval;
use nobat_domain::wire::{DependencyState, Health};
use yew::prelude::*;

const REFRESH_MS: u32 = 30_000;

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Checking,
    Known(Health),
    Unreachable,
}

#[function_component(HealthStatus)]
pub fn health_status() -> Html {
    let t = use_t();
    let language = use_language();
    let status = use_state(|| Status::Checking);
    {
        let status = status.clone();
        use_effect_with(language, move |&language| {
            let refresh = move || {
                let status = status.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    status.set(match api::health::fetch(language).await {
                        Ok(health) => Status::Known(health),
                        Err(_) => Status::Unreachable,
                    });
                });
            };
            refresh();
            let interval = Interval::new(REFRESH_MS, refresh);
            move || drop(interval)
        });
    }
    let (state, text) = match &*status {
        Status::Checking => ("checking", t(Key::StatusChecking)),
        Status::Known(h) if h.database == DependencyState::Up => ("up", t(Key::StatusUp)),
        Status::Known(_) => ("down", t(Key::StatusDown)),
        Status::Unreachable => ("down", t(Key::StatusUnreachable)),
    };
    let version = match &*status {
        Status::Known(h) => format!(" · v{}", h.version),
        _ => String::new(),
    };
    html! {
        <span class="status" data-state={state} role="status" aria-live="polite" data-testid="health">
            <span class="dot" aria-hidden="true"></span>
            { t(Key::StatusLabel) }{ ": " }<strong>{ text }</strong>{ version }
        </span>
    }
}
