//! Step 5: everything the booking will hold, the fee of each person and the total (computed as
//! the server computes it), and "Pay by card": `POST /api/v1/bookings` with an
//! `Idempotency-Key` that stays the same while the same submission is retried, so a lost answer
//! never holds two seats. The manage token is saved before the citizen leaves for the bank.

use super::services::fee_text;
use super::state::slot_time;
use crate::api::{self, ApiError};
use crate::app::Route;
use crate::components::notice::ErrorNotice;
use crate::hooks::{use_language, use_t};
use crate::i18n::{self, fill, Key};
use crate::pages::my_booking::tokens;
use chrono::Datelike;
use nobat_domain::availability::Slot;
use nobat_domain::booking::{fee_for, total_fee, Applicant};
use nobat_domain::booking_api::BookingCreated;
use nobat_domain::catalog::{Branch, Service};
use nobat_domain::Money;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

/// How long to wait before each automatic retry after no answer at all.
const RETRY_DELAYS_MS: [u32; 2] = [1_000, 3_000];

/// A fresh idempotency key for a new submission.
fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("{}-{}", js_sys::Date::now(), js_sys::Math::random()))
}

#[derive(Debug, Clone, PartialEq)]
enum Sending {
    Idle,
    Waiting,
    /// No answer yet; trying again by itself (attempt number).
    Retrying(usize),
    Failed(ApiError),
}

#[derive(Properties, PartialEq)]
pub struct ReviewProps {
    pub branch: Branch,
    pub service: Service,
    pub slot: Slot,
    /// The JSON body that will be sent (already checked).
    pub body: AttrValue,
    /// The same people, parsed.
    pub applicants: Rc<Vec<Applicant>>,
    pub arrive_minutes_early: u16,
    /// The server refused fields: back to step 4 with them.
    pub on_refused: Callback<nobat_domain::booking::FieldErrors>,
    /// The time is gone: choose another.
    pub on_other_time: Callback<()>,
    pub on_edit: Callback<()>,
}

#[function_component(Review)]
pub fn review(props: &ReviewProps) -> Html {
    let t = use_t();
    let language = use_language();
    let navigator = use_navigator();
    let sending = use_state(|| Sending::Idle);
    // The body of the last submission and its key: the same body reuses the key.
    let attempt = use_mut_ref(|| None::<(String, String)>);
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        use_effect_with((), move |_| {
            if let Some(element) = heading.cast::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        });
    }
    let day = props.slot.start.date_naive();
    let fees: Vec<Money> = props
        .applicants
        .iter()
        .map(|a| fee_for(props.service.fee, &props.service.exemptions, a.age_on(day)))
        .collect();
    let total = total_fee(
        props.service.fee,
        &props.service.exemptions,
        &props.applicants,
        day,
    );

    let submit = {
        let sending = sending.clone();
        let body = props.body.clone();
        let on_refused = props.on_refused.clone();
        Callback::from(move |()| {
            if matches!(*sending, Sending::Waiting | Sending::Retrying(_)) {
                return;
            }
            let key = {
                let mut attempt = attempt.borrow_mut();
                match &*attempt {
                    Some((sent, key)) if *sent == *body => key.clone(),
                    _ => {
                        let key = new_key();
                        *attempt = Some((body.to_string(), key.clone()));
                        key
                    }
                }
            };
            sending.set(Sending::Waiting);
            let sending = sending.clone();
            let body = body.clone();
            let navigator = navigator.clone();
            let on_refused = on_refused.clone();
            spawn_local(async move {
                let mut result = api::bookings::create(&body, &key, language).await;
                for (attempt, delay) in RETRY_DELAYS_MS.into_iter().enumerate() {
                    if !matches!(result, Err(ApiError::Network(_))) {
                        break;
                    }
                    sending.set(Sending::Retrying(attempt + 1));
                    gloo_timers::future::TimeoutFuture::new(delay).await;
                    result = api::bookings::create(&body, &key, language).await;
                }
                match result {
                    Ok(created) => leave_for_payment(&created, navigator.as_ref()),
                    Err(ApiError::Problem(problem))
                        if problem.status == 422 && !problem.errors.is_empty() =>
                    {
                        sending.set(Sending::Idle);
                        on_refused.emit(problem.errors);
                    }
                    Err(error) => sending.set(Sending::Failed(error)),
                }
            });
        })
    };

    let date = i18n::date(day);
    let weekday = t(i18n::Key::weekday(day.weekday()));
    let people = props.applicants.iter().zip(&fees).enumerate().map(|(i, (person, fee))| {
        html! {
            <li data-person={i.to_string()}>
                <span class="name">{ person.full_name() }</span>
                <span class="muted">{ t(Key::FieldPassportNumber) }{ " " }{ person.passport.number.masked() }</span>
                <span class="fee">{ fee_text(*fee, t(Key::BookFree)) }</span>
            </li>
        }
    });
    let busy = matches!(*sending, Sending::Waiting | Sending::Retrying(_));
    let free = total.amount_minor == 0;
    let label = if free {
        t(Key::BookConfirmFree).to_owned()
    } else {
        fill(t(Key::BookPay), &[("amount", &total.display())])
    };
    let problem = match &*sending {
        Sending::Failed(error) => Some(failure(error, &t, props, &submit)),
        _ => None,
    };
    let minutes = props.arrive_minutes_early.to_string();
    html! {
        <section class="card summary review" aria-labelledby="review-title" data-testid="review">
            <h2 id="review-title" tabindex="-1" ref={heading}>{ t(Key::BookReviewTitle) }</h2>
            <dl class="facts">
                <dt>{ t(Key::BookStepBranch) }</dt>
                <dd>
                    { props.branch.name.get(language).to_owned() }
                    <br /><small>{ props.branch.address.get(language).to_owned() }</small>
                </dd>
                <dt>{ t(Key::BookStepService) }</dt>
                <dd>{ props.service.name.get(language).to_owned() }</dd>
                <dt>{ t(Key::BookDate) }</dt>
                <dd data-testid="review-date">{ date }{ ", " }{ weekday }</dd>
                <dt>{ t(Key::BookTime) }</dt>
                <dd>{ i18n::time(slot_time(&props.slot)) }{ "–" }{ i18n::time(props.slot.end.time()) }</dd>
            </dl>
            <h3>{ t(Key::BookPeople) }</h3>
            <ul class="people">{ for people }</ul>
            <p class="total" data-testid="review-total">
                <span>{ t(Key::BookTotal) }</span>
                <strong>{ fee_text(total, t(Key::BookFree)) }</strong>
            </p>
            <p class="notice" role="note"><strong>{ fill(t(Key::BookArrive), &[("n", &minutes)]) }</strong></p>
            if !free {
                <p class="hint">{ t(Key::BookPayNote) }</p>
            }
            { for problem }
            if let Sending::Retrying(_) = *sending {
                <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{ t(Key::BookRetrying) }</p>
            }
            <div class="buttons">
                <button type="button" class="button pay" data-testid="pay" disabled={busy}
                    aria-busy={busy.to_string()} onclick={submit.reform(|_: MouseEvent| ())}>
                    if busy { { t(Key::BookSending) } } else { { label } }
                </button>
                <button type="button" class="button secondary" onclick={props.on_edit.reform(|_: MouseEvent| ())}>
                    { t(Key::BookEditDetails) }
                </button>
            </div>
        </section>
    }
}

/// Saves the token, then sends the citizen to the card page, or to the booking when there is
/// nothing to pay (or no card payment yet).
fn leave_for_payment(created: &BookingCreated, navigator: Option<&Navigator>) {
    tokens::remember(&created.reference, &created.manage_token);
    if let Some(payment) = &created.payment {
        if let Some(window) = web_sys::window() {
            if window.location().assign(&payment.pay_url).is_ok() {
                return;
            }
        }
    }
    if let Some(navigator) = navigator {
        navigator.push(&Route::Booking {
            reference: created.reference.clone(),
        });
    }
}

/// What a refused submission tells the citizen, and the way on.
fn failure(
    error: &ApiError,
    t: &impl Fn(Key) -> &'static str,
    props: &ReviewProps,
    retry: &Callback<()>,
) -> Html {
    match error.slug() {
        Some("slot-full" | "slot-unavailable") => html! {
            <div class="card error" role="alert" data-testid="slot-gone">
                <p>{ error.detail().unwrap_or_default().to_owned() }</p>
                <button type="button" class="button" onclick={props.on_other_time.reform(|_: MouseEvent| ())}>
                    { t(Key::BookOtherTime) }
                </button>
            </div>
        },
        Some("already-booked") => html! {
            <div class="card error" role="alert" data-testid="already-booked">
                <p>{ error.detail().unwrap_or_default().to_owned() }</p>
                <Link<Route> to={Route::MyBooking} classes="button secondary">{ t(Key::NavMyBooking) }</Link<Route>>
            </div>
        },
        // No answer, or an answer this page does not expect: "Try again" sends the same
        // submission with the same key.
        _ => html! { <ErrorNotice error={error.clone()} on_retry={retry.clone()} /> },
    }
}
