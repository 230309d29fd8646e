//! "My counter": the number of the operator's counter (remembered in this browser, as there is
//! no list of counters yet), opening and closing it, and calling the next citizen to it.

use super::login::input_value;
use super::session_ended;
use crate::api::staff::{self, CounterAction, QueueEntry};
use crate::api::ApiError;
use crate::components::notice::ErrorNotice;
use crate::hooks::{use_language, use_t};
use crate::i18n::{fill, Key};
use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

const COUNTER_KEY: &str = "nobat.staff.counter";
const MAX_COUNTER: u8 = 12;

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    None,
    Sending,
    Done(u8, CounterAction, Option<QueueEntry>),
    Failed(ApiError),
}

/// The counter number typed, if it is one of 1 to 12.
fn counter_number(text: &str) -> Option<u8> {
    text.trim()
        .parse::<u8>()
        .ok()
        .filter(|n| (1..=MAX_COUNTER).contains(n))
}

#[derive(Properties, PartialEq)]
pub struct CounterProps {
    pub branch: String,
    pub on_changed: Callback<()>,
    pub on_expired: Callback<()>,
}

#[function_component(CounterPanel)]
pub fn counter_panel(props: &CounterProps) -> Html {
    let t = use_t();
    let language = use_language();
    let number = use_state(|| {
        LocalStorage::get::<u8>(COUNTER_KEY)
            .ok()
            .filter(|n| (1..=MAX_COUNTER).contains(n))
            .map(|n| n.to_string())
            .unwrap_or_else(|| "1".to_owned())
    });
    let outcome = use_state(|| Outcome::None);
    let valid = counter_number(&number);
    let act = |action: CounterAction| {
        let (outcome, branch) = (outcome.clone(), props.branch.clone());
        let (on_changed, on_expired) = (props.on_changed.clone(), props.on_expired.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(counter) = valid else { return };
            if *outcome == Outcome::Sending {
                return;
            }
            let (outcome, branch, on_changed, on_expired) = (
                outcome.clone(),
                branch.clone(),
                on_changed.clone(),
                on_expired.clone(),
            );
            outcome.set(Outcome::Sending);
            spawn_local(async move {
                match staff::counter(&branch, counter, action, language).await {
                    Ok(entry) => {
                        outcome.set(Outcome::Done(counter, action, entry));
                        on_changed.emit(());
                    }
                    Err(error) if session_ended(&error) => on_expired.emit(()),
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    let oninput = {
        let number = number.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(value) = input_value(&event) {
                if let Some(n) = counter_number(&value) {
                    let _ = LocalStorage::set(COUNTER_KEY, n);
                }
                number.set(value);
            }
        })
    };
    let sending = *outcome == Outcome::Sending;
    let result = match &*outcome {
        Outcome::None | Outcome::Sending => html! {},
        Outcome::Done(n, CounterAction::CallNext, Some(entry)) => html! {
            <div class="issued called" role="status" data-testid="called">
                <p class="issued-number" data-testid="called-number">{ entry.number.clone() }</p>
                <p class="issued-detail">
                    { fill(t(Key::StaffCalled), &[("number", &entry.number), ("n", &n.to_string())]) }
                </p>
            </div>
        },
        Outcome::Done(n, action, _) => {
            let key = if *action == CounterAction::Close {
                Key::StaffCounterClosed
            } else {
                Key::StaffCounterOpened
            };
            html! {
                <p class="card outcome" data-tone="ok" role="status" data-testid="counter-state">
                    { fill(t(key), &[("n", &n.to_string())]) }
                </p>
            }
        }
        Outcome::Failed(error) if error.status() == Some(409) => html! {
            <p class="card outcome" data-tone="wait" role="alert" data-testid="counter-refused"
                data-problem={error.slug().unwrap_or_default().to_owned()}>
                { error.detail().unwrap_or_default().to_owned() }
            </p>
        },
        Outcome::Failed(error) => html! { <ErrorNotice error={error.clone()} /> },
    };
    let disabled = sending || valid.is_none();
    html! {
        <section class="card counter" aria-labelledby="counter-title" data-testid="counter">
            <h2 id="counter-title">{ t(Key::StaffCounterTitle) }</h2>
            <div class="counter-row">
                <div class={classes!("field", valid.is_none().then_some("invalid"))}>
                    <label for="counter-number">{ t(Key::StaffCounterNumber) }</label>
                    <input id="counter-number" type="number" min="1" max={MAX_COUNTER.to_string()}
                        inputmode="numeric" value={(*number).clone()} {oninput}
                        aria-invalid={valid.is_none().to_string()} />
                </div>
                <button type="button" class="button secondary" {disabled} data-testid="counter-open"
                    onclick={act(CounterAction::Open)}>{ t(Key::StaffOpen) }</button>
                <button type="button" class="button secondary" {disabled} data-testid="counter-close"
                    onclick={act(CounterAction::Close)}>{ t(Key::StaffClose) }</button>
            </div>
            <button type="button" class="button call-next" {disabled} data-testid="call-next"
                onclick={act(CounterAction::CallNext)}>{ t(Key::StaffCallNext) }</button>
            <div aria-live="polite">{ result }</div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::counter_number;

    #[test]
    fn counters_are_numbered_one_to_twelve() {
        assert_eq!(counter_number(" 4 "), Some(4));
        assert_eq!(counter_number("12"), Some(12));
        assert_eq!(counter_number("0"), None);
        assert_eq!(counter_number("13"), None);
        assert_eq!(counter_number("x"), None);
    }
}
