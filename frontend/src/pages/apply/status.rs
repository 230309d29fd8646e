//! A submitted application as its citizen sees it: the number, the status and what happens
//! next, the history with dates, the payment, and the receipt (an SVG fetched with the token and
//! shown from a Blob URL, since the token may not go in a link).

use crate::api::applications::{self, ApplicationView, HistoryEntry};
use crate::hooks::{use_language, use_t};
use crate::i18n::{self, Key};
use chrono::{DateTime, Utc};
use nobat_domain::calendar::local_date;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// `dd.MM.yyyy HH:MM`, Ashgabat time (UTC+5).
pub fn moment(at: DateTime<Utc>) -> String {
    let local = at + chrono::Duration::hours(5);
    format!(
        "{} {}",
        i18n::date(local_date(at)),
        i18n::time(local.time())
    )
}

/// The statuses an application went through, oldest first.
pub fn timeline(history: &[HistoryEntry]) -> Html {
    html! {
        <ol class="timeline" data-testid="timeline">
            { for history.iter().map(|entry| html! {
                <li data-status={entry.status.clone()}>
                    <strong>{ entry.label.clone() }</strong>
                    <time datetime={entry.at.to_rfc3339()}>{ moment(entry.at) }</time>
                    if let Some(note) = entry.note.as_ref().filter(|n| !n.trim().is_empty()) {
                        <p class="note">{ note.clone() }</p>
                    }
                </li>
            }) }
        </ol>
    }
}

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub number: String,
    pub token: String,
    pub view: ApplicationView,
}

#[function_component(StatusPage)]
pub fn status_page(props: &StatusProps) -> Html {
    let t = use_t();
    let language = use_language();
    let receipt = use_state(|| None::<String>);
    {
        let receipt = receipt.clone();
        use_effect_with(
            (
                props.number.clone(),
                props.token.clone(),
                props.view.status.clone(),
            ),
            move |(number, token, _)| {
                let (number, token) = (number.clone(), token.clone());
                let made = std::rc::Rc::new(std::cell::RefCell::new(None::<String>));
                let keep = made.clone();
                spawn_local(async move {
                    if let Ok(url) = applications::receipt_url(&number, &token, language).await {
                        *keep.borrow_mut() = Some(url.clone());
                        receipt.set(Some(url));
                    }
                });
                move || {
                    if let Some(url) = made.borrow_mut().take() {
                        let _ = web_sys::Url::revoke_object_url(&url);
                    }
                }
            },
        );
    }
    let view = &props.view;
    let paid = view.payment.as_ref().filter(|p| p.status == "paid");
    html! {
        <section class="card ticket valid" aria-labelledby="application-title" data-testid="application-status"
            data-status={view.status.clone()}>
            <h2 id="application-title">{ t(Key::ApplyNumber) }</h2>
            <p class="reference" data-testid="application-number">{ props.number.clone() }</p>
            <p class="status-line" data-status={view.status.clone()}>
                { t(Key::MyStatus) }{ ": " }<strong data-testid="application-status-label">{ view.status_label.clone() }</strong>
            </p>
            if !view.next_step.is_empty() {
                <p class="notice" data-testid="application-next">{ view.next_step.clone() }</p>
            }
            if let Some(action) = view.action_required.as_ref().filter(|a| !a.trim().is_empty()) {
                <p class="card outcome" data-tone="bad" role="alert" data-testid="application-action">{ action.clone() }</p>
            }
            if let Some(payment) = paid {
                <p class="muted">
                    { t(Key::MyPayment) }{ ": " }{ view.fee_display() }{ " · " }{ t(Key::PaymentPaid) }
                    if let Some(pan) = &payment.masked_pan { { " · " }<code>{ pan.clone() }</code> }
                </p>
            }
            <h3>{ t(Key::TrackHistory) }</h3>
            { timeline(&view.history) }
            <h3>{ t(Key::ApplyReceipt) }</h3>
            if let Some(url) = &*receipt {
                <img class="ticket-image receipt" src={url.clone()} alt={t(Key::ApplyReceipt)} data-testid="application-receipt" />
                <p class="no-print">
                    <a href={url.clone()} download={format!("{}.svg", props.number)} class="button secondary">{ t(Key::ApplyReceiptSave) }</a>
                    { " " }
                    <button type="button" class="button secondary" onclick={Callback::from(|_: MouseEvent| {
                        if let Some(window) = web_sys::window() { let _ = window.print(); }
                    })}>{ t(Key::MyPrint) }</button>
                </p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn moments_read_in_ashgabat_time() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 26, 20, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(moment(at), "27.11.2026 01:30");
    }
}
