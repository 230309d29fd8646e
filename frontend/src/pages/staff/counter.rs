//! "My counter": the operator picks one of the branch's counters (its label and services; the
//! open ones say by whom), remembered in this browser, opens and closes it, and calls the next
//! citizen to it.

use super::session_ended;
use crate::api::staff::{self, CounterAction, CounterView, QueueEntry};
use crate::api::ApiError;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t};
use crate::i18n::{fill, Key};
use gloo_storage::{LocalStorage, Storage};
use nobat_domain::catalog::Service;
use nobat_domain::Language;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

const COUNTER_KEY: &str = "nobat.staff.counter";

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    None,
    Sending,
    Done(i32, CounterAction, Option<QueueEntry>),
    Failed(ApiError),
}

/// The counter to work at: the one remembered if the branch has it, else the first.
fn pick_counter(remembered: Option<i32>, counters: &[CounterView]) -> Option<i32> {
    remembered
        .filter(|n| counters.iter().any(|c| c.number == *n))
        .or_else(|| counters.first().map(|c| c.number))
}

/// How a counter reads in the list: `4 · Reception — open: operator.mary`.
fn counter_text(
    counter: &CounterView,
    services: &[Service],
    me: &str,
    language: Language,
) -> String {
    let names: Vec<&str> = counter
        .services
        .iter()
        .map(|code| {
            services
                .iter()
                .find(|s| s.code.as_str() == code)
                .map_or(code.as_str(), |s| s.name.get(language))
        })
        .collect();
    let mut text = counter.label.clone();
    if !names.is_empty() {
        text.push_str(" · ");
        text.push_str(&names.join(", "));
    }
    match counter.opened_by.as_deref() {
        Some(who) if who == me => {
            text.push_str(" — ");
            text.push_str(crate::i18n::t(language, Key::StaffCounterOpenMine));
        }
        Some(who) => {
            text.push_str(" — ");
            text.push_str(&fill(
                crate::i18n::t(language, Key::StaffCounterOpenBy),
                &[("who", who)],
            ));
        }
        None => {}
    }
    text
}

#[derive(Properties, PartialEq)]
pub struct CounterProps {
    pub branch: String,
    /// The username of the member, to tell their own open counter from others'.
    pub me: String,
    /// The branch's services, to name what each counter serves.
    pub services: Vec<Service>,
    pub on_changed: Callback<()>,
    pub on_expired: Callback<()>,
}

#[function_component(CounterPanel)]
pub fn counter_panel(props: &CounterProps) -> Html {
    let t = use_t();
    let language = use_language();
    let chosen = use_state(|| LocalStorage::get::<i32>(COUNTER_KEY).ok());
    // The branch's counters, with the branch they were loaded for; reloaded after each open
    // and close so that the list says who has which open.
    let counters = use_state(|| None::<(String, Result<Vec<CounterView>, ApiError>)>);
    let reload = use_state(|| 0u32);
    {
        let (counters, on_expired) = (counters.clone(), props.on_expired.clone());
        use_effect_with((props.branch.clone(), *reload), move |(branch, _)| {
            let branch = branch.clone();
            spawn_local(async move {
                match staff::counters(&branch, language).await {
                    Err(error) if session_ended(&error) => on_expired.emit(()),
                    result => counters.set(Some((branch, result))),
                }
            });
        });
    }
    let outcome = use_state(|| Outcome::None);
    let list: &[CounterView] = match &*counters {
        Some((branch, Ok(list))) if *branch == props.branch => list,
        _ => &[],
    };
    let number = pick_counter(*chosen, list);
    let act = |action: CounterAction| {
        let (outcome, branch, reload) = (outcome.clone(), props.branch.clone(), reload.clone());
        let (on_changed, on_expired) = (props.on_changed.clone(), props.on_expired.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(counter) = number else { return };
            if *outcome == Outcome::Sending {
                return;
            }
            let (outcome, branch, reload, on_changed, on_expired) = (
                outcome.clone(),
                branch.clone(),
                reload.clone(),
                on_changed.clone(),
                on_expired.clone(),
            );
            outcome.set(Outcome::Sending);
            spawn_local(async move {
                match staff::counter(&branch, counter, action, language).await {
                    Ok(entry) => {
                        outcome.set(Outcome::Done(counter, action, entry));
                        if action != CounterAction::CallNext {
                            reload.set(*reload + 1);
                        }
                        on_changed.emit(());
                    }
                    Err(error) if session_ended(&error) => on_expired.emit(()),
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Ok(n) = select.value().parse::<i32>() {
                    let _ = LocalStorage::set(COUNTER_KEY, n);
                    chosen.set(Some(n));
                }
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
    let picker = match &*counters {
        Some((branch, Ok(list))) if *branch == props.branch && list.is_empty() => {
            html! { <p class="muted" data-testid="no-counters">{ t(Key::StaffNoCounters) }</p> }
        }
        Some((branch, Ok(list))) if *branch == props.branch => html! {
            <select id="counter-number" {onchange}>
                { for list.iter().map(|counter| html! {
                    <option value={counter.number.to_string()} selected={number == Some(counter.number)}
                        data-open={counter.opened_by.is_some().to_string()}>
                        { counter_text(counter, &props.services, &props.me, language) }
                    </option>
                }) }
            </select>
        },
        Some((branch, Err(error))) if *branch == props.branch => {
            let reload = reload.clone();
            html! { <ErrorNotice error={error.clone()} on_retry={Callback::from(move |()| reload.set(*reload + 1))} /> }
        }
        _ => html! { <Loading /> },
    };
    let disabled = sending || number.is_none();
    html! {
        <section class="card counter" aria-labelledby="counter-title" data-testid="counter">
            <h2 id="counter-title">{ t(Key::StaffCounterTitle) }</h2>
            <div class="counter-row">
                <div class="field">
                    <label for="counter-number">{ t(Key::StaffCounterNumber) }</label>
                    { picker }
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
    use super::*;
    use nobat_domain::catalog::Service;

    fn counter(number: i32, services: &[&str], opened_by: Option<&str>) -> CounterView {
        CounterView {
            number,
            label: number.to_string(),
            services: services.iter().map(|s| (*s).to_owned()).collect(),
            opened_by: opened_by.map(str::to_owned),
        }
    }

    #[test]
    fn the_remembered_counter_is_kept_only_if_the_branch_has_it() {
        let list = [counter(1, &[], None), counter(4, &[], None)];
        assert_eq!(pick_counter(Some(4), &list), Some(4));
        assert_eq!(pick_counter(Some(7), &list), Some(1));
        assert_eq!(pick_counter(None, &list), Some(1));
        assert_eq!(pick_counter(Some(4), &[]), None);
    }

    #[test]
    fn a_counter_reads_with_its_services_and_who_has_it_open() {
        let services: Vec<Service> = vec![serde_json::from_value(serde_json::json!({
            "code": "reception",
            "name": {"tk": "Kabul", "ru": "Приём", "en": "Reception"},
            "description": {"tk": "", "ru": "", "en": ""},
            "documents": {"tk": [], "ru": [], "en": []},
            "duration_minutes": 15,
            "fee": {"amount_minor": 0, "currency": "TMT"},
            "exemptions": []
        }))
        .unwrap_or_else(|e| panic!("{e}"))];
        let en = Language::En;
        let closed = counter(4, &["reception", "other"], None);
        let text = counter_text(&closed, &services, "me", en);
        assert!(text.starts_with("4 · Reception, "), "{text}");
        assert!(
            text.contains("other"),
            "an unknown service shows its code: {text}"
        );
        let mine = counter(4, &[], Some("me"));
        assert_eq!(
            counter_text(&mine, &services, "me", en),
            format!("4 — {}", crate::i18n::t(en, Key::StaffCounterOpenMine))
        );
        let theirs = counter(4, &[], Some("operator.mary"));
        assert!(counter_text(&theirs, &services, "me", en).ends_with("operator.mary"));
    }
}
