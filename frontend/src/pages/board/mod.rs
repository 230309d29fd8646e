//! The display board of a branch (`/board/{code}`): a full-screen page for the hall's screen,
//! without the site's header and footer. It shows "now serving" (number → counter) and the last
//! calls, loads a snapshot and then follows the branch's event stream (the browser's
//! `EventSource`, which reconnects by itself; each reconnection reloads the snapshot), chimes on
//! every call, and turns its headings through Turkmen, Russian and English.

mod sound;
pub mod state;

use crate::api::{board, branches};
use crate::i18n::{self, Key};
use gloo_timers::callback::Interval;
use nobat_domain::queue::{announcement, QueueNumber};
use nobat_domain::Language;
use state::{BoardAction, BoardState};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// How long the headings stay in one language.
const TURN_MS: u32 = 8_000;
/// How often the snapshot is reloaded: served citizens leave the board without a call event.
const RELOAD_MS: u32 = 30_000;

#[derive(Properties, PartialEq)]
pub struct BoardProps {
    pub code: AttrValue,
}

/// Loads the snapshot into the board (a missing branch shows as such).
fn load_snapshot(code: String, state: UseReducerHandle<BoardState>, missing: UseStateHandle<bool>) {
    spawn_local(async move {
        match board::fetch(&code, Language::Tk).await {
            Ok(view) => state.dispatch(BoardAction::Snapshot(view)),
            Err(error) if error.status() == Some(404) => missing.set(true),
            // The stream's state shows that something is wrong; the next load may succeed.
            Err(_) => {}
        }
    });
}

#[function_component(BoardPage)]
pub fn board_page(props: &BoardProps) -> Html {
    let state = use_reducer(BoardState::default);
    let missing = use_state(|| false);
    let branch = use_state(|| None::<nobat_domain::catalog::Branch>);
    let sound = sound::use_sound();
    let language = Language::ALL[state.turn % 3];

    {
        let (state, missing, branch) = (state.clone(), missing.clone(), branch.clone());
        use_effect_with(props.code.to_string(), move |code| {
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                document.set_title(&format!("{code} · Nobat"));
            }
            {
                let (code, branch) = (code.clone(), branch.clone());
                spawn_local(async move {
                    if let Ok(found) = branches::get(&code, Language::Tk).await {
                        branch.set(Some(found));
                    }
                });
            }
            load_snapshot(code.clone(), state.clone(), missing.clone());
            let source = web_sys::EventSource::new(&board::events_url(code)).ok();
            let on_call = {
                let state = state.clone();
                Closure::<dyn Fn(web_sys::MessageEvent)>::new(
                    move |event: web_sys::MessageEvent| {
                        let call = event
                            .data()
                            .as_string()
                            .and_then(|text| serde_json::from_str::<board::CallEvent>(&text).ok());
                        if let Some(call) = call {
                            state.dispatch(BoardAction::Called(call));
                        }
                    },
                )
            };
            let on_open = {
                let (state, missing, code) = (state.clone(), missing.clone(), code.clone());
                Closure::<dyn Fn()>::new(move || {
                    state.dispatch(BoardAction::Connected(true));
                    load_snapshot(code.clone(), state.clone(), missing.clone());
                })
            };
            let on_error = {
                let state = state.clone();
                Closure::<dyn Fn()>::new(move || state.dispatch(BoardAction::Connected(false)))
            };
            if let Some(source) = &source {
                let _ = source
                    .add_event_listener_with_callback("call", on_call.as_ref().unchecked_ref());
                source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
                source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            }
            let reload = {
                let (state, code) = (state.clone(), code.clone());
                Interval::new(RELOAD_MS, move || {
                    load_snapshot(code.clone(), state.clone(), missing.clone())
                })
            };
            let turn = Interval::new(TURN_MS, move || state.dispatch(BoardAction::NextLanguage));
            move || {
                if let Some(source) = source {
                    source.close();
                }
                drop((on_call, on_open, on_error, reload, turn));
            }
        });
    }
    {
        let sound = sound.clone();
        use_effect_with(state.heard, move |heard| {
            if *heard > 0 {
                sound.chime();
            }
        });
    }

    let t = |key| i18n::t(language, key);
    if *missing {
        return html! {
            <div class="board" lang={language.code()}>
                <p class="board-empty" data-testid="board-unknown">{ t(Key::BoardUnknown) }</p>
            </div>
        };
    }
    let title = branch
        .as_ref()
        .map(|b| b.name.get(language).to_owned())
        .unwrap_or_else(|| props.code.to_string());
    let clock = i18n::time(chrono::Utc::now().with_timezone(&nobat_domain::calendar::ZONE));
    let announce = state.newest.as_ref().map(|call| {
        let counter = call.counter_name();
        match QueueNumber::parse(&call.number) {
            Ok(number) => announcement(&number, &counter, language),
            Err(_) => format!("{} → {counter}", call.number),
        }
    });
    let now = state.now_serving.iter().enumerate().map(|(i, call)| {
        html! {
            <li class={classes!("now", (i == 0).then_some("newest"))}
                data-number={call.number.clone()} data-counter={call.counter_name()}>
                <span class="num">{ call.number.clone() }</span>
                <span class="arrow" aria-hidden="true">{ "→" }</span>
                <span class="ctr">{ call.counter_name() }</span>
            </li>
        }
    });
    let last = state.last_calls.iter().map(|call| {
        let at = call
            .called_at
            .map(|at| i18n::time(at.with_timezone(&nobat_domain::calendar::ZONE)))
            .unwrap_or_default();
        html! {
            <li data-number={call.number.clone()}>
                <span class="num">{ call.number.clone() }</span>
                <span class="ctr">{ call.counter_name() }</span>
                <span class="at">{ at }</span>
            </li>
        }
    });
    html! {
        <div class="board" lang={language.code()} data-testid="board" data-heard={state.heard.to_string()}
            data-live={state.live.to_string()}>
            <header class="board-head">
                <h1>{ title }</h1>
                <div class="board-status">
                    if !state.live && state.loaded {
                        <span class="offline" role="status">{ t(Key::BoardOffline) }</span>
                    }
                    if !sound.on() {
                        <button type="button" class="board-sound" data-testid="enable-sound"
                            onclick={let sound = sound.clone(); move |_| sound.enable()}>
                            { "🔔 " }{ t(Key::BoardEnableSound) }
                        </button>
                    }
                    <span class="clock">{ clock }</span>
                </div>
            </header>
            <div class="board-main">
                <section class="board-now" aria-labelledby="board-now-title">
                    <h2 id="board-now-title">{ t(Key::BoardNowServing) }</h2>
                    <div class="board-cols" aria-hidden="true">
                        <span>{ t(Key::BoardNumber) }</span><span>{ t(Key::BoardCounter) }</span>
                    </div>
                    if state.now_serving.is_empty() {
                        <p class="board-empty">{ t(Key::BoardWaiting) }</p>
                    } else {
                        <ol data-testid="now-serving">{ for now }</ol>
                    }
                </section>
                <section class="board-last" aria-labelledby="board-last-title">
                    <h2 id="board-last-title">{ t(Key::BoardLastCalls) }</h2>
                    <ol data-testid="last-calls">{ for last }</ol>
                </section>
            </div>
            <p class="board-announce" aria-live="polite" data-testid="announcement">
                { announce.unwrap_or_default() }
            </p>
        </div>
    }
}
