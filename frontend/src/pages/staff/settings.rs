//! The Settings tab (heads of the branch and admins): closing the branch for a span (a preview of
//! the bookings it cancels, then a confirmation with that count), the booking settings, the
//! counters, the staff accounts, and for admins the holidays. Each panel is a plain form read
//! with `FormData` on submit; a 422's field errors show next to their fields.

use super::catalog::{BranchesPanel, ServicesPanel};
use super::plans::PlansPanel;
use super::session_ended;
use crate::api::admin::{self, Account, BranchSettings, ClosureMade, NewClosure};
use crate::api::staff::{self, CounterView};
use crate::api::ApiError;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t};
use crate::i18n::{fill, Key};
use chrono::{Datelike, NaiveDateTime, Utc};
use nobat_domain::calendar::local_date;
use nobat_domain::catalog::{Branch, Service};
use nobat_domain::staff::Role;
use nobat_domain::Localized;
use wasm_bindgen_futures::spawn_local;
use web_sys::{FormData, HtmlFormElement};
use yew::prelude::*;

/// A `datetime-local` value read as Ashgabat time (UTC+5 all year), in RFC 3339; anything else
/// goes as it is, for the server to name the field.
pub fn ashgabat_instant(raw: &str) -> String {
    let raw = raw.trim();
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .map(|t| format!("{}+05:00", t.format("%Y-%m-%dT%H:%M:%S")))
        .unwrap_or_else(|_| raw.to_owned())
}

/// A number field: empty (or unreadable, which a number input never sends) leaves it unchanged.
pub(super) fn optional_number(raw: &str) -> Option<i32> {
    raw.trim().parse().ok()
}

/// The submitted form's values (and no page load).
pub(super) fn submitted(event: &SubmitEvent) -> Option<FormData> {
    event.prevent_default();
    FormData::new_with_form(&event.target_dyn_into::<HtmlFormElement>()?).ok()
}

pub(super) fn value(data: &FormData, name: &str) -> String {
    data.get(name)
        .as_string()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

pub(super) fn values(data: &FormData, name: &str) -> Vec<String> {
    data.get_all(name)
        .iter()
        .filter_map(|v| v.as_string())
        .collect()
}

fn localized(data: &FormData, prefix: &str) -> Localized {
    Localized::new(
        value(data, &format!("{prefix}_tk")),
        value(data, &format!("{prefix}_ru")),
        value(data, &format!("{prefix}_en")),
    )
}

/// What the server said is wrong with field `path`, for a 422.
pub(super) fn field_error(failed: Option<&ApiError>, path: &str) -> Html {
    match failed {
        Some(ApiError::Problem(problem)) => match problem.errors.get(path) {
            Some(message) => {
                html! { <p class="field-error" data-field={path.to_owned()}>{ message.clone() }</p> }
            }
            None => html! {},
        },
        _ => html! {},
    }
}

/// A labelled input with its error underneath.
pub(super) fn field(
    id: &str,
    label: &str,
    input: Html,
    failed: Option<&ApiError>,
    path: &str,
) -> Html {
    html! {
        <div class="field">
            <label for={id.to_owned()}>{ label.to_owned() }</label>
            { input }
            { field_error(failed, path) }
        </div>
    }
}

/// The three inputs of a text in Turkmen, Russian and English.
fn localized_fields(prefix: &str, label: &str, failed: Option<&ApiError>, path: &str) -> Html {
    let one = |code: &str, required: bool| {
        let id = format!("{prefix}-{code}");
        let input =
            html! { <input id={id.clone()} name={format!("{prefix}_{code}")} {required} /> };
        field(
            &id,
            &format!("{label} ({code})"),
            input,
            failed,
            &format!("{path}.{code}"),
        )
    };
    // The server names either one language (`reason.tk`) or the whole text (`name`).
    html! { <>{ one("tk", true) }{ one("ru", false) }{ one("en", false) }{ field_error(failed, path) }</> }
}

/// A value to put in a field of an uncontrolled form.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Fill {
    Text(String),
    /// A single checkbox.
    Check(bool),
    /// The checkboxes of one name whose values are listed are checked, the others not.
    Checks(Vec<String>),
}

/// Puts `values` into the named fields of `form`, once (when what is edited changes): the form
/// stays uncontrolled, so what is typed survives the renders after a refusal.
pub(super) fn fill_form(form: &NodeRef, values: &[(&'static str, Fill)]) {
    use wasm_bindgen::JsCast;
    let Some(form) = form.cast::<HtmlFormElement>() else {
        return;
    };
    for (name, fill) in values {
        let Ok(fields) = form.query_selector_all(&format!("[name=\"{name}\"]")) else {
            continue;
        };
        for i in 0..fields.length() {
            let Some(node) = fields.item(i) else {
                continue;
            };
            match fill {
                Fill::Text(text) => {
                    if let Some(input) = node.dyn_ref::<web_sys::HtmlInputElement>() {
                        input.set_value(text);
                    } else if let Some(area) = node.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                        area.set_value(text);
                    } else if let Some(select) = node.dyn_ref::<web_sys::HtmlSelectElement>() {
                        select.set_value(text);
                    }
                }
                Fill::Check(on) => {
                    if let Some(input) = node.dyn_ref::<web_sys::HtmlInputElement>() {
                        input.set_checked(*on);
                    }
                }
                Fill::Checks(on) => {
                    if let Some(input) = node.dyn_ref::<web_sys::HtmlInputElement>() {
                        input.set_checked(on.contains(&input.value()));
                    }
                }
            }
        }
    }
}

/// The result of the last call of a panel.
pub(super) type Sent<T> = Option<Result<T, ApiError>>;

pub(super) fn failed<T>(sent: &Sent<T>) -> Option<&ApiError> {
    sent.as_ref().and_then(|r| r.as_ref().err())
}

/// Keeps a result, or signs out when the session has ended.
pub(super) fn keep<T: 'static>(
    state: &UseStateHandle<Sent<T>>,
    on_expired: &Callback<()>,
    result: Result<T, ApiError>,
) {
    match result {
        Err(error) if session_ended(&error) => on_expired.emit(()),
        result => state.set(Some(result)),
    }
}

pub(super) fn done(text: String, testid: &'static str) -> Html {
    html! { <p class="card outcome" data-tone="ok" role="status" data-testid={testid}>{ text }</p> }
}

/// Brings the element with `data-testid` into view (the panel a button just filled).
fn scroll_to(testid: &str) {
    let element = crate::hooks::document().and_then(|d| {
        d.query_selector(&format!("[data-testid=\"{testid}\"]"))
            .ok()
            .flatten()
    });
    if let Some(element) = element {
        element.scroll_into_view();
    }
}

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub branch: String,
    pub is_admin: bool,
    /// The services the branch offers.
    pub services: Vec<Service>,
    pub branches: Vec<Branch>,
    pub on_expired: Callback<()>,
}

#[function_component(Settings)]
pub fn settings(props: &SettingsProps) -> Html {
    // The branch whose opening hours are edited: the console's, or one an admin picked below.
    let plan_branch = use_state(|| None::<String>);
    let on_plans = {
        let plan_branch = plan_branch.clone();
        Callback::from(move |code: String| {
            plan_branch.set(Some(code));
            scroll_to("plans-panel");
        })
    };
    let plans_for = (*plan_branch)
        .clone()
        .filter(|_| props.is_admin)
        .unwrap_or_else(|| props.branch.clone());
    html! {
        <div class="settings" data-testid="settings">
            if props.is_admin {
                <BranchesPanel on_expired={props.on_expired.clone()} {on_plans} />
                <ServicesPanel on_expired={props.on_expired.clone()} />
            }
            <PlansPanel branch={plans_for} on_expired={props.on_expired.clone()} />
            <ClosurePanel branch={props.branch.clone()} on_expired={props.on_expired.clone()} />
            <SettingsPanel branch={props.branch.clone()} on_expired={props.on_expired.clone()} />
            <CountersPanel branch={props.branch.clone()} services={props.services.clone()}
                on_expired={props.on_expired.clone()} />
            <AccountsPanel branch={props.branch.clone()} is_admin={props.is_admin}
                branches={props.branches.clone()} on_expired={props.on_expired.clone()} />
            if props.is_admin {
                <HolidaysPanel on_expired={props.on_expired.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BranchProps {
    branch: String,
    on_expired: Callback<()>,
}

#[function_component(ClosurePanel)]
fn closure_panel(props: &BranchProps) -> Html {
    let t = use_t();
    let language = use_language();
    // The closure checked, and how many bookings it cancels.
    let checked = use_state(|| None::<(NewClosure, Result<u32, ApiError>)>);
    let made = use_state(|| None::<Result<ClosureMade, ApiError>>);
    let check = {
        let (checked, branch, on_expired) = (
            checked.clone(),
            props.branch.clone(),
            props.on_expired.clone(),
        );
        Callback::from(move |draft: NewClosure| {
            let (checked, branch, on_expired) =
                (checked.clone(), branch.clone(), on_expired.clone());
            spawn_local(async move {
                let result =
                    admin::preview_closure(&branch, &draft.starts_at, &draft.ends_at, language)
                        .await
                        .map(|p| p.affected_bookings);
                match result {
                    Err(error) if session_ended(&error) => on_expired.emit(()),
                    result => checked.set(Some((draft, result))),
                }
            });
        })
    };
    let onsubmit = {
        let (check, made) = (check.clone(), made.clone());
        Callback::from(move |event: SubmitEvent| {
            if let Some(data) = submitted(&event) {
                made.set(None);
                check.emit(NewClosure {
                    starts_at: ashgabat_instant(&value(&data, "starts_at")),
                    ends_at: ashgabat_instant(&value(&data, "ends_at")),
                    reason: localized(&data, "reason"),
                    confirm_cancellations: 0,
                });
            }
        })
    };
    let confirm = {
        let (checked, made, branch, on_expired) = (
            checked.clone(),
            made.clone(),
            props.branch.clone(),
            props.on_expired.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some((draft, Ok(count))) = (*checked).clone() else {
                return;
            };
            let (checked, made, branch, on_expired, check) = (
                checked.clone(),
                made.clone(),
                branch.clone(),
                on_expired.clone(),
                check.clone(),
            );
            let closure = NewClosure {
                confirm_cancellations: count,
                ..draft.clone()
            };
            spawn_local(async move {
                match admin::close_branch(&branch, &closure, language).await {
                    Err(error) if session_ended(&error) => on_expired.emit(()),
                    // The bookings changed since the check: say so and count them again.
                    Err(error) if error.slug() == Some("confirmation-required") => {
                        made.set(Some(Err(error)));
                        check.emit(draft);
                    }
                    Ok(closed) => {
                        checked.set(None);
                        made.set(Some(Ok(closed)));
                    }
                    Err(error) => made.set(Some(Err(error))),
                }
            });
        })
    };
    let check_failed = checked.as_ref().and_then(|(_, r)| r.as_ref().err());
    let preview = match &*checked {
        Some((_, Ok(count))) => html! {
            <div class="card outcome" data-tone="wait" role="status" data-testid="closure-preview"
                data-count={count.to_string()}>
                <p>{ fill(t(Key::SettingsClosureAffects), &[("n", &count.to_string())]) }</p>
                <button type="button" class="button" data-testid="closure-confirm" onclick={confirm}>
                    { t(Key::SettingsClosureConfirm) }
                </button>
            </div>
        },
        Some((_, Err(error))) => html! { <ErrorNotice error={error.clone()} /> },
        None => html! {},
    };
    let outcome = match &*made {
        Some(Ok(closed)) => done(
            fill(
                t(Key::SettingsClosureDone),
                &[
                    ("n", &closed.cancelled_bookings.to_string()),
                    ("r", &closed.refunded.to_string()),
                ],
            ),
            "closure-done",
        ),
        // The server's detail is for API clients; the head needs to know to look again.
        Some(Err(error)) if error.slug() == Some("confirmation-required") => html! {
            <p class="card outcome" data-tone="bad" role="alert" data-testid="closure-recount">
                { t(Key::SettingsClosureChanged) }
            </p>
        },
        Some(Err(error)) => html! { <ErrorNotice error={error.clone()} /> },
        None => html! {},
    };
    html! {
        <section class="card" aria-labelledby="closure-title" data-testid="closure-panel">
            <h2 id="closure-title">{ t(Key::SettingsClosureTitle) }</h2>
            <p class="hint">{ t(Key::SettingsClosureHint) }</p>
            <form class="settings-form" {onsubmit}>
                { field("closure-from", t(Key::SettingsFrom),
                    html! { <input id="closure-from" name="starts_at" type="datetime-local" required=true /> },
                    check_failed, "starts_at") }
                { field("closure-to", t(Key::SettingsTo),
                    html! { <input id="closure-to" name="ends_at" type="datetime-local" required=true /> },
                    check_failed, "ends_at") }
                { localized_fields("reason", t(Key::SettingsReason), failed(&made).or(check_failed), "reason") }
                <button type="submit" class="button secondary" data-testid="closure-check">
                    { t(Key::SettingsClosureCheck) }
                </button>
            </form>
            { outcome }
            { preview }
        </section>
    }
}

#[function_component(SettingsPanel)]
fn settings_panel(props: &BranchProps) -> Html {
    let t = use_t();
    let language = use_language();
    // What the server holds now: loaded first, then the answer of each save.
    let current = use_state(|| None::<Result<BranchSettings, ApiError>>);
    let saved = use_state(|| None::<Result<BranchSettings, ApiError>>);
    {
        let (current, saved, on_expired) =
            (current.clone(), saved.clone(), props.on_expired.clone());
        use_effect_with(props.branch.clone(), move |branch| {
            let branch = branch.clone();
            current.set(None);
            saved.set(None);
            spawn_local(async move {
                keep(
                    &current,
                    &on_expired,
                    admin::settings(&branch, language).await,
                );
            });
        });
    }
    let onsubmit = {
        let (saved, current, branch, on_expired) = (
            saved.clone(),
            current.clone(),
            props.branch.clone(),
            props.on_expired.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            let Some(data) = submitted(&event) else {
                return;
            };
            let number = |name| optional_number(&value(&data, name));
            let release = value(&data, "release_time");
            let hall = if data.get("no_cap").is_string() {
                Some(None)
            } else {
                number("hall_capacity").map(Some)
            };
            let change = admin::SettingsChange {
                days_ahead: number("days_ahead"),
                release_time: (!release.is_empty()).then_some(release),
                cutoff_minutes: number("cutoff_minutes"),
                hall_capacity: hall,
                checkin_opens_minutes: number("checkin_opens_minutes"),
                max_calls: number("max_calls"),
            };
            let (saved, current, branch, on_expired) = (
                saved.clone(),
                current.clone(),
                branch.clone(),
                on_expired.clone(),
            );
            spawn_local(async move {
                let result = admin::change_settings(&branch, &change, language).await;
                if let Ok(now) = &result {
                    current.set(Some(Ok(now.clone())));
                }
                keep(&saved, &on_expired, result);
            });
        })
    };
    let error = failed(&saved);
    let loaded = match &*current {
        Some(Ok(settings)) => Some(settings.clone()),
        _ => None,
    };
    let shown = |name: &str| -> Option<String> {
        let s = loaded.as_ref()?;
        match name {
            "days_ahead" => Some(s.days_ahead.to_string()),
            "cutoff_minutes" => Some(s.cutoff_minutes.to_string()),
            "hall_capacity" => s.hall_capacity.map(|h| h.to_string()),
            "checkin_opens_minutes" => s.checkin_opens_minutes.map(|m| m.to_string()),
            "max_calls" => s.max_calls.map(|m| m.to_string()),
            _ => None,
        }
    };
    let number = |name: &'static str, key: Key, min: u32, max: u32| {
        let id = format!("settings-{}", name.replace('_', "-"));
        let input = html! {
            <input id={id.clone()} name={name} type="number" min={min.to_string()} max={max.to_string()}
                />
        };
        field(&id, t(key), input, error, name)
    };
    // The form shows what the server holds each time that changes, and keeps what is typed
    // across a refusal.
    let form_ref = use_node_ref();
    {
        let release = loaded
            .as_ref()
            .map(|s| {
                s.release_time
                    .get(..5)
                    .unwrap_or(&s.release_time)
                    .to_owned()
            })
            .unwrap_or_default();
        let mut fills: Vec<(&'static str, Fill)> = [
            "days_ahead",
            "cutoff_minutes",
            "hall_capacity",
            "checkin_opens_minutes",
            "max_calls",
        ]
        .into_iter()
        .map(|name| (name, Fill::Text(shown(name).unwrap_or_default())))
        .collect();
        fills.push(("release_time", Fill::Text(release)));
        fills.push((
            "no_cap",
            Fill::Check(loaded.as_ref().is_some_and(|s| s.hall_capacity.is_none())),
        ));
        let form_ref = form_ref.clone();
        use_effect_with(loaded.clone(), move |_| fill_form(&form_ref, &fills));
    }
    let now = match &*saved {
        Some(Ok(s)) => html! {
            <dl class="card outcome" data-tone="ok" data-testid="settings-now">
                <dt>{ t(Key::SettingsDaysAhead) }</dt><dd>{ s.days_ahead }</dd>
                <dt>{ t(Key::SettingsRelease) }</dt><dd>{ s.release_time.get(..5).unwrap_or(&s.release_time).to_owned() }</dd>
                <dt>{ t(Key::SettingsCutoff) }</dt><dd>{ s.cutoff_minutes }</dd>
                <dt>{ t(Key::SettingsHall) }</dt>
                <dd>{ s.hall_capacity.map(|h| h.to_string()).unwrap_or_else(|| t(Key::SettingsNoCap).to_owned()) }</dd>
                if let Some(minutes) = s.checkin_opens_minutes {
                    <dt>{ t(Key::SettingsCheckinOpens) }</dt><dd data-testid="settings-now-checkin">{ minutes }</dd>
                }
                if let Some(calls) = s.max_calls {
                    <dt>{ t(Key::SettingsMaxCalls) }</dt><dd data-testid="settings-now-max-calls">{ calls }</dd>
                }
            </dl>
        },
        Some(Err(error)) => html! { <ErrorNotice error={error.clone()} /> },
        None => html! {},
    };
    let load_failed = match &*current {
        Some(Err(error)) => html! { <ErrorNotice error={error.clone()} /> },
        _ => html! {},
    };
    html! {
        <section class="card" aria-labelledby="booking-settings-title" data-testid="settings-panel"
            data-loaded={loaded.is_some().to_string()}>
            <h2 id="booking-settings-title">{ t(Key::SettingsBookingTitle) }</h2>
            <p class="hint">{ t(Key::SettingsBookingHint) }</p>
            { load_failed }
            <form class="settings-form" ref={form_ref} {onsubmit}>
                { number("days_ahead", Key::SettingsDaysAhead, 1, 366) }
                { field("settings-release", t(Key::SettingsRelease),
                    html! { <input id="settings-release" name="release_time" type="time" /> },
                    error, "release_time") }
                { number("cutoff_minutes", Key::SettingsCutoff, 0, 10080) }
                { number("hall_capacity", Key::SettingsHall, 1, 10000) }
                <label class="check"><input type="checkbox" name="no_cap" />{ " " }{ t(Key::SettingsNoCap) }</label>
                { number("checkin_opens_minutes", Key::SettingsCheckinOpens, 5, 240) }
                { number("max_calls", Key::SettingsMaxCalls, 1, 10) }
                <button type="submit" class="button">{ t(Key::SettingsSave) }</button>
            </form>
            { now }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CountersProps {
    branch: String,
    services: Vec<Service>,
    on_expired: Callback<()>,
}

#[function_component(CountersPanel)]
fn counters_panel(props: &CountersProps) -> Html {
    let t = use_t();
    let language = use_language();
    let reload = use_state(|| 0u32);
    let list = use_state(|| None::<Result<Vec<CounterView>, ApiError>>);
    let sent = use_state(|| None::<Result<(), ApiError>>);
    {
        let (list, on_expired) = (list.clone(), props.on_expired.clone());
        use_effect_with((props.branch.clone(), *reload), move |(branch, _)| {
            let branch = branch.clone();
            spawn_local(async move {
                keep(&list, &on_expired, staff::counters(&branch, language).await);
            });
        });
    }
    let after =
        |sent: UseStateHandle<Sent<()>>, reload: UseStateHandle<u32>, on_expired: Callback<()>| {
            move |result: Result<(), ApiError>| {
                if result.is_ok() {
                    reload.set(*reload + 1);
                }
                keep(&sent, &on_expired, result);
            }
        };
    let onsubmit = {
        let finish = after(sent.clone(), reload.clone(), props.on_expired.clone());
        let branch = props.branch.clone();
        let finish = std::rc::Rc::new(finish);
        Callback::from(move |event: SubmitEvent| {
            let Some(data) = submitted(&event) else {
                return;
            };
            let counter = admin::NewCounter {
                number: value(&data, "number").parse().unwrap_or(0),
                label: value(&data, "label"),
                services: values(&data, "services"),
            };
            let (branch, finish) = (branch.clone(), finish.clone());
            spawn_local(
                async move { finish(admin::add_counter(&branch, &counter, language).await) },
            );
        })
    };
    let retire = |number: i32| {
        let finish = after(sent.clone(), reload.clone(), props.on_expired.clone());
        let branch = props.branch.clone();
        Callback::from(move |_: MouseEvent| {
            let (branch, finish) = (branch.clone(), finish.clone());
            spawn_local(
                async move { finish(admin::retire_counter(&branch, number, language).await) },
            );
        })
    };
    let service_name = |code: &String| {
        props
            .services
            .iter()
            .find(|s| s.code.as_str() == code)
            .map(|s| s.name.get(language).to_owned())
            .unwrap_or_else(|| code.clone())
    };
    let table = match &*list {
        Some(Ok(counters)) => html! {
            <div class="table-scroll">
                <table class="report" data-testid="counters-table">
                    <thead><tr>
                        <th scope="col">{ t(Key::StaffColCounter) }</th>
                        <th scope="col">{ t(Key::SettingsLabel) }</th>
                        <th scope="col">{ t(Key::StaffColService) }</th>
                        <th scope="col">{ t(Key::StaffColActions) }</th>
                    </tr></thead>
                    <tbody>
                        { for counters.iter().map(|c| html! {
                            <tr data-counter={c.number.to_string()}>
                                <th scope="row">{ c.number }</th>
                                <td>{ c.label.clone() }</td>
                                <td>{ c.services.iter().map(service_name).collect::<Vec<_>>().join(", ") }</td>
                                <td><button type="button" class="button secondary small"
                                    onclick={retire(c.number)}>{ t(Key::SettingsRetire) }</button></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
        Some(Err(error)) => html! { <ErrorNotice error={error.clone()} /> },
        None => html! { <Loading /> },
    };
    let error = failed(&sent);
    html! {
        <section class="card" aria-labelledby="counters-admin-title" data-testid="counters-panel">
            <h2 id="counters-admin-title">{ t(Key::SettingsCountersTitle) }</h2>
            { table }
            <form class="settings-form" {onsubmit}>
                { field("counter-number", t(Key::StaffCounterNumber),
                    html! { <input id="counter-number" name="number" type="number" min="1" required=true /> },
                    error, "number") }
                { field("counter-label", t(Key::SettingsLabel),
                    html! { <input id="counter-label" name="label" /> }, error, "label") }
                <fieldset class="choices">
                    <legend>{ t(Key::StaffColService) }</legend>
                    { for props.services.iter().map(|s| html! {
                        <label class="check">
                            <input type="checkbox" name="services" value={s.code.as_str().to_owned()} />
                            { " " }{ s.name.get(language).to_owned() }
                        </label>
                    }) }
                    { field_error(error, "services") }
                </fieldset>
                <button type="submit" class="button">{ t(Key::SettingsAddCounter) }</button>
            </form>
            if let Some(error) = error {
                <ErrorNotice error={error.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct AccountsProps {
    branch: String,
    is_admin: bool,
    branches: Vec<Branch>,
    on_expired: Callback<()>,
}

#[function_component(AccountsPanel)]
fn accounts_panel(props: &AccountsProps) -> Html {
    let t = use_t();
    let language = use_language();
    let reload = use_state(|| 0u32);
    let list = use_state(|| None::<Result<Vec<Account>, ApiError>>);
    let sent = use_state(|| None::<Result<Account, ApiError>>);
    {
        let (list, on_expired) = (list.clone(), props.on_expired.clone());
        use_effect_with(*reload, move |_| {
            spawn_local(async move { keep(&list, &on_expired, admin::accounts(language).await) });
        });
    }
    let finish = {
        let (sent, reload, on_expired) = (sent.clone(), reload.clone(), props.on_expired.clone());
        Callback::from(move |result: Result<Account, ApiError>| {
            if result.is_ok() {
                reload.set(*reload + 1);
            }
            keep(&sent, &on_expired, result);
        })
    };
    let onsubmit = {
        let (finish, is_admin, branch) = (finish.clone(), props.is_admin, props.branch.clone());
        Callback::from(move |event: SubmitEvent| {
            let Some(data) = submitted(&event) else {
                return;
            };
            let account = admin::NewAccount {
                username: value(&data, "username"),
                display_name: value(&data, "display_name"),
                role: value(&data, "role"),
                branches: if is_admin {
                    values(&data, "branches")
                } else {
                    vec![branch.clone()]
                },
                password: value(&data, "password"),
            };
            let finish = finish.clone();
            spawn_local(
                async move { finish.emit(admin::create_account(&account, language).await) },
            );
        })
    };
    let toggle = |account: &Account| {
        let (finish, username, active) =
            (finish.clone(), account.username.clone(), !account.active);
        Callback::from(move |_: MouseEvent| {
            let (finish, username) = (finish.clone(), username.clone());
            spawn_local(async move {
                finish.emit(admin::set_account_active(&username, active, language).await);
            });
        })
    };
    let role_name = |code: &str| {
        Role::parse(code)
            .map(|r| r.label(language))
            .unwrap_or_else(|| code.to_owned())
    };
    let table = match &*list {
        Some(Ok(accounts)) => html! {
            <div class="table-scroll">
                <table class="report" data-testid="accounts-table">
                    <thead><tr>
                        <th scope="col">{ t(Key::StaffUsername) }</th>
                        <th scope="col">{ t(Key::SettingsDisplayName) }</th>
                        <th scope="col">{ t(Key::SettingsRole) }</th>
                        <th scope="col">{ t(Key::StaffBranch) }</th>
                        <th scope="col">{ t(Key::StaffColActions) }</th>
                    </tr></thead>
                    <tbody>
                        { for accounts.iter().map(|a| html! {
                            <tr data-username={a.username.clone()} data-active={a.active.to_string()}>
                                <th scope="row">
                                    { a.username.clone() }
                                    if a.demo_password {
                                        <br /><small class="field-error" data-testid="demo-password">{ t(Key::SettingsDemoPassword) }</small>
                                    }
                                </th>
                                <td>{ a.display_name.clone() }</td>
                                <td>{ role_name(&a.role) }</td>
                                <td>{ a.branches.join(", ") }</td>
                                <td><button type="button" class="button secondary small" onclick={toggle(a)}>
                                    { t(if a.active { Key::SettingsDisable } else { Key::SettingsEnable }) }
                                </button></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
        Some(Err(error)) => html! { <ErrorNotice error={error.clone()} /> },
        None => html! { <Loading /> },
    };
    let error = failed(&sent);
    let roles: &[Role] = if props.is_admin {
        &Role::ALL
    } else {
        &[Role::Operator]
    };
    let text_field = |name: &'static str, key: Key, kind: &'static str| {
        let id = format!("account-{name}");
        let input = html! { <input id={id.clone()} name={name} type={kind} required=true /> };
        field(&id, t(key), input, error, name)
    };
    html! {
        <section class="card" aria-labelledby="accounts-title" data-testid="accounts-panel">
            <h2 id="accounts-title">{ t(Key::SettingsAccountsTitle) }</h2>
            { table }
            <form class="settings-form" {onsubmit}>
                { text_field("username", Key::StaffUsername, "text") }
                { text_field("display_name", Key::SettingsDisplayName, "text") }
                { field("account-role", t(Key::SettingsRole), html! {
                    <select id="account-role" name="role">
                        // Yew leaves the browser showing the last option unless one is marked.
                        { for roles.iter().map(|r| html! {
                            <option value={r.code()} selected={*r == Role::Operator}>{ r.label(language) }</option>
                        }) }
                    </select>
                }, error, "role") }
                if props.is_admin {
                    <fieldset class="choices">
                        <legend>{ t(Key::StaffBranch) }</legend>
                        { for props.branches.iter().map(|b| html! {
                            <label class="check">
                                <input type="checkbox" name="branches" value={b.code.as_str().to_owned()} />
                                { " " }{ b.name.get(language).to_owned() }
                            </label>
                        }) }
                        { field_error(error, "branches") }
                    </fieldset>
                }
                { text_field("password", Key::StaffPassword, "password") }
                <button type="submit" class="button">{ t(Key::SettingsCreateAccount) }</button>
            </form>
            if let Some(error) = error {
                <ErrorNotice error={error.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct HolidaysProps {
    on_expired: Callback<()>,
}

const HOLIDAY_KINDS: [(&str, Key); 4] = [
    ("extra", Key::SettingsKindExtra),
    ("transfer", Key::SettingsKindTransfer),
    ("fixed", Key::SettingsKindFixed),
    ("movable", Key::SettingsKindMovable),
];

#[function_component(HolidaysPanel)]
fn holidays_panel(props: &HolidaysProps) -> Html {
    let t = use_t();
    let language = use_language();
    let year = local_date(Utc::now()).year();
    let reload = use_state(|| 0u32);
    let list = use_state(|| None::<Result<admin::HolidayList, ApiError>>);
    let sent = use_state(|| None::<Result<(), ApiError>>);
    {
        let (list, on_expired) = (list.clone(), props.on_expired.clone());
        use_effect_with(*reload, move |_| {
            spawn_local(
                async move { keep(&list, &on_expired, admin::holidays(year, language).await) },
            );
        });
    }
    let onsubmit = {
        let (sent, reload, on_expired) = (sent.clone(), reload.clone(), props.on_expired.clone());
        Callback::from(move |event: SubmitEvent| {
            let Some(data) = submitted(&event) else {
                return;
            };
            let from = value(&data, "transferred_from");
            let holiday = admin::NewHoliday {
                date: value(&data, "date"),
                kind: value(&data, "kind"),
                name: localized(&data, "holiday"),
                transferred_from: (!from.is_empty()).then_some(from),
            };
            let (sent, reload, on_expired) = (sent.clone(), reload.clone(), on_expired.clone());
            spawn_local(async move {
                let result = admin::add_holiday(&holiday, language).await;
                if result.is_ok() {
                    reload.set(*reload + 1);
                }
                keep(&sent, &on_expired, result);
            });
        })
    };
    let kind_name = |kind: &str| {
        HOLIDAY_KINDS
            .iter()
            .find(|(code, _)| *code == kind)
            .map(|(_, key)| t(*key).to_owned())
            .unwrap_or_else(|| kind.to_owned())
    };
    let table = match &*list {
        Some(Ok(holidays)) => html! {
            <div class="table-scroll">
                <table class="report" data-testid="holidays-table">
                    <tbody>
                        { for holidays.items.iter().map(|h| {
                            let kind = serde_json::to_value(h.kind).ok()
                                .and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                            html! {
                                <tr>
                                    <th scope="row">{ h.date.to_string() }</th>
                                    <td>{ h.name.get(language).to_owned() }</td>
                                    <td>{ kind_name(&kind) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        },
        Some(Err(error)) => html! { <ErrorNotice error={error.clone()} /> },
        None => html! { <Loading /> },
    };
    let error = failed(&sent);
    html! {
        <section class="card" aria-labelledby="holidays-title" data-testid="holidays-panel">
            <h2 id="holidays-title">{ fill(t(Key::SettingsHolidaysTitle), &[("year", &year.to_string())]) }</h2>
            { table }
            <form class="settings-form" {onsubmit}>
                { field("holiday-date", t(Key::SettingsDate),
                    html! { <input id="holiday-date" name="date" type="date" required=true /> }, error, "date") }
                { field("holiday-kind", t(Key::SettingsKind), html! {
                    <select id="holiday-kind" name="kind">
                        { for HOLIDAY_KINDS.iter().map(|(code, key)| html! {
                            <option value={*code} selected={*code == "extra"}>{ t(*key) }</option>
                        }) }
                    </select>
                }, error, "kind") }
                { localized_fields("holiday", t(Key::SettingsHolidayName), error, "name") }
                { field("holiday-from", t(Key::SettingsTransferredFrom),
                    html! { <input id="holiday-from" name="transferred_from" type="date" /> },
                    error, "transferred_from") }
                <button type="submit" class="button">{ t(Key::SettingsAddHoliday) }</button>
            </form>
            if let Some(Ok(())) = &*sent {
                { done(t(Key::SettingsSaved).to_owned(), "holiday-added") }
            }
            if let Some(error) = error {
                <ErrorNotice error={error.clone()} />
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_go_out_at_ashgabat_offset() {
        assert_eq!(
            ashgabat_instant("2026-12-04T09:30"),
            "2026-12-04T09:30:00+05:00"
        );
        assert_eq!(
            ashgabat_instant("2026-12-04T09:30:15"),
            "2026-12-04T09:30:15+05:00"
        );
        assert_eq!(ashgabat_instant(" nonsense "), "nonsense");
    }

    #[test]
    fn empty_numbers_leave_a_setting_as_it_is() {
        assert_eq!(optional_number(""), None);
        assert_eq!(optional_number(" 21 "), Some(21));
    }
}
