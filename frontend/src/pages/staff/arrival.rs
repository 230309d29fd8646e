//! The arrival desk: check a citizen in by the reference on their ticket (typed, or read from
//! its QR code), or give a walk-in a number; then show the number they got, big, or why not.
//! A late citizen has lost the booking and must book again; only a branch head (or an admin)
//! may admit them anyway, with a written reason that goes to the audit log.

use super::login::input_value;
use super::scan::ScanButton;
use super::session_ended;
use crate::api::staff::{self, QueueEntry};
use crate::api::ApiError;
use crate::components::notice::ErrorNotice;
use crate::hooks::{use_language, use_t};
use crate::i18n::{self, Key};
use nobat_domain::calendar::ZONE;
use nobat_domain::catalog::Service;
use nobat_domain::identity::BookingReference;
use nobat_domain::queue::{OverrideReason, PriorityReason};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    None,
    Sending,
    Issued(QueueEntry),
    /// Refused; `reference` is what was sent, for an override.
    Refused {
        reference: String,
        error: ApiError,
    },
}

#[derive(Properties, PartialEq)]
pub struct ArrivalProps {
    pub branch: String,
    /// The services of this branch, for walk-ins.
    pub services: Vec<Service>,
    pub can_override: bool,
    pub on_changed: Callback<()>,
    pub on_expired: Callback<()>,
}

#[function_component(Arrival)]
pub fn arrival(props: &ArrivalProps) -> Html {
    let t = use_t();
    let language = use_language();
    let reference = use_state(String::new);
    let priority = use_state(|| None::<PriorityReason>);
    let reason = use_state(String::new);
    let reference_error = use_state(|| None::<String>);
    let reason_error = use_state(|| None::<String>);
    let outcome = use_state(|| Outcome::None);

    // Sends a check-in (with an override reason) or a walk-in, and shows how it went.
    let send = {
        let (outcome, branch, priority) = (outcome.clone(), props.branch.clone(), priority.clone());
        let (on_changed, on_expired) = (props.on_changed.clone(), props.on_expired.clone());
        move |reference: Option<String>, service: Option<String>, reason: Option<String>| {
            if *outcome == Outcome::Sending {
                return;
            }
            let (outcome, branch, on_changed, on_expired) = (
                outcome.clone(),
                branch.clone(),
                on_changed.clone(),
                on_expired.clone(),
            );
            let priority = priority.map(PriorityReason::code);
            outcome.set(Outcome::Sending);
            spawn_local(async move {
                let result = match (&reference, &service) {
                    (Some(reference), _) => {
                        staff::check_in(&branch, reference, priority, reason.as_deref(), language)
                            .await
                    }
                    (None, Some(service)) => {
                        staff::walk_in(&branch, service, priority, language).await
                    }
                    (None, None) => return,
                };
                match result {
                    Ok(entry) => {
                        outcome.set(Outcome::Issued(entry));
                        on_changed.emit(());
                    }
                    Err(error) if session_ended(&error) => on_expired.emit(()),
                    Err(error) => outcome.set(Outcome::Refused {
                        reference: reference.unwrap_or_default(),
                        error,
                    }),
                }
            });
        }
    };

    let onsubmit = {
        let (reference, reference_error, send) =
            (reference.clone(), reference_error.clone(), send.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match BookingReference::parse(&reference) {
                Ok(parsed) => {
                    reference_error.set(None);
                    reference.set(parsed.as_str().to_owned());
                    send(Some(parsed.as_str().to_owned()), None, None);
                }
                Err(error) => reference_error.set(Some(error.message(language))),
            }
        })
    };
    let on_scanned = {
        let (reference, reference_error, send) =
            (reference.clone(), reference_error.clone(), send.clone());
        Callback::from(move |text: String| {
            // The ticket's QR code holds the reference itself.
            if let Ok(parsed) = BookingReference::parse(text.trim()) {
                reference_error.set(None);
                reference.set(parsed.as_str().to_owned());
                send(Some(parsed.as_str().to_owned()), None, None);
            } else {
                reference.set(text);
            }
        })
    };
    let on_override = {
        let (reason, reason_error, outcome, send) = (
            reason.clone(),
            reason_error.clone(),
            outcome.clone(),
            send.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Outcome::Refused { reference, .. } = &*outcome else {
                return;
            };
            match OverrideReason::parse(&reason) {
                Ok(parsed) => {
                    reason_error.set(None);
                    send(
                        Some(reference.clone()),
                        None,
                        Some(parsed.as_str().to_owned()),
                    );
                }
                Err(error) => reason_error.set(Some(error.message(language))),
            }
        })
    };
    let on_priority = {
        let priority = priority.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                priority.set(PriorityReason::parse(&select.value()));
            }
        })
    };
    let sending = *outcome == Outcome::Sending;
    let service_name = |code: &str| {
        props
            .services
            .iter()
            .find(|s| s.code.as_str() == code)
            .map(|s| s.name.get(language).to_owned())
            .unwrap_or_else(|| code.to_owned())
    };
    let result = match &*outcome {
        Outcome::None | Outcome::Sending => html! {},
        Outcome::Issued(entry) => {
            let at = entry
                .appointment_at
                .map(|at| i18n::time(at.with_timezone(&ZONE)))
                .unwrap_or_default();
            html! {
                <div class="issued" role="status" data-testid="issued">
                    <p class="issued-label">{ t(Key::StaffIssued) }</p>
                    <p class="issued-number" data-testid="issued-number">{ entry.number.clone() }</p>
                    <p class="issued-detail">
                        { service_name(&entry.service) }
                        if entry.reference.is_some() {
                            { " · " }{ t(Key::StaffAppointment) }{ " " }{ at }
                        }
                        if let Some(priority) = entry.priority_reason.as_deref().and_then(PriorityReason::parse) {
                            { " · " }{ priority.label(language) }
                        }
                    </p>
                </div>
            }
        }
        Outcome::Refused { error, .. } if error.slug() == Some("late") => html! {
            <div class="card error late" role="alert" data-testid="late">
                <strong>{ t(Key::StaffLateTitle) }</strong>
                <p>{ t(Key::StaffBookAgain) }</p>
                if let Some(detail) = error.detail() {
                    <p class="muted">{ detail.to_owned() }</p>
                }
                if props.can_override {
                    <form novalidate=true onsubmit={on_override} data-testid="override">
                        <div class={classes!("field", reason_error.is_some().then_some("invalid"))}>
                            <label for="override-reason">{ t(Key::StaffOverrideReason) }</label>
                            <p class="hint" id="override-reason-hint">{ t(Key::StaffOverrideHint) }</p>
                            <textarea id="override-reason" rows="2" value={(*reason).clone()}
                                aria-describedby="override-reason-hint"
                                aria-invalid={reason_error.is_some().to_string()}
                                oninput={let reason = reason.clone(); move |e: InputEvent| {
                                    if let Some(area) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                                        reason.set(area.value());
                                    }
                                }} />
                            if let Some(message) = &*reason_error {
                                <p class="field-error">{ message.clone() }</p>
                            }
                        </div>
                        <button type="submit" class="button danger">{ t(Key::StaffOverride) }</button>
                    </form>
                }
            </div>
        },
        Outcome::Refused { error, .. }
            if error.status() == Some(409) || error.status() == Some(404) =>
        {
            html! {
                <p class="card outcome" data-tone="bad" role="alert" data-testid="refused"
                    data-problem={error.slug().unwrap_or_default().to_owned()}>
                    { error.detail().unwrap_or_default().to_owned() }
                </p>
            }
        }
        Outcome::Refused { error, .. } => html! { <ErrorNotice error={error.clone()} /> },
    };
    let walk_ins = props.services.iter().map(|service| {
        let (send, code) = (send.clone(), service.code.as_str().to_owned());
        html! {
            <button type="button" class="button secondary" disabled={sending}
                data-service={code.clone()}
                onclick={move |_| send(None, Some(code.clone()), None)}>
                { "+ " }{ service.name.get(language).to_owned() }
            </button>
        }
    });
    let reference_invalid = reference_error.is_some();
    html! {
        <section class="card arrival" aria-labelledby="arrival-title" data-testid="arrival">
            <h2 id="arrival-title">{ t(Key::StaffArrivalTitle) }</h2>
            <form novalidate=true {onsubmit}>
                <div class={classes!("field", reference_invalid.then_some("invalid"))}>
                    <label for="check-in-reference">{ t(Key::StaffReference) }</label>
                    <p class="hint" id="check-in-reference-hint">{ t(Key::StaffReferenceHint) }</p>
                    <div class="with-button">
                        <input id="check-in-reference" type="text" class="reference-input"
                            value={(*reference).clone()} autocomplete="off" spellcheck="false"
                            autocapitalize="characters" aria-describedby="check-in-reference-hint"
                            aria-invalid={reference_invalid.to_string()}
                            oninput={let reference = reference.clone(); move |e: InputEvent| {
                                if let Some(v) = input_value(&e) { reference.set(v) }
                            }} />
                        <ScanButton on_scanned={on_scanned} />
                    </div>
                    if let Some(message) = &*reference_error {
                        <p class="field-error">{ message.clone() }</p>
                    }
                </div>
                <div class="field">
                    <label for="check-in-priority">{ t(Key::StaffPriority) }</label>
                    <select id="check-in-priority" onchange={on_priority}>
                        <option value="" selected={priority.is_none()}>{ t(Key::StaffPriorityNone) }</option>
                        { for PriorityReason::ALL.iter().map(|p| html! {
                            <option value={p.code()} selected={*priority == Some(*p)}>{ p.label(language) }</option>
                        }) }
                    </select>
                </div>
                <button type="submit" class="button" disabled={sending} data-testid="check-in">
                    { t(Key::StaffCheckIn) }
                </button>
            </form>
            <div aria-live="polite">{ result }</div>
            if !props.services.is_empty() {
                <h3>{ t(Key::StaffWalkInTitle) }</h3>
                <p class="hint">{ t(Key::StaffWalkInHint) }</p>
                <div class="buttons walk-ins" data-testid="walk-ins">{ for walk_ins }</div>
            }
        </section>
    }
}
