//! One booking for its owner: its status in words, the ticket (QR code from the server, the
//! reference in large type, where and when, who, the fee, the rule about arriving early), and
//! what can be done with it: pay while it is held (with the hold's countdown), print, add to a
//! calendar, change the time, cancel.

use super::queue::QueuePlace;
use super::reschedule::Reschedule;
use crate::api::bookings;
use crate::api::ApiError;
use crate::components::notice::ErrorNotice;
use crate::hooks::{use_language, use_t};
use crate::i18n::{self, fill, Key};
use crate::pages::book::services::fee_text;
use chrono::{DateTime, Datelike, FixedOffset, Utc};
use nobat_domain::booking::BookingStatus;
use nobat_domain::booking_api::BookingView;
use nobat_domain::calendar::{local_date, local_time};
use nobat_domain::payment::PaymentStatus;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

pub fn status_key(status: BookingStatus) -> Key {
    match status {
        BookingStatus::Held => Key::BookingHeld,
        BookingStatus::Confirmed => Key::BookingConfirmed,
        BookingStatus::CheckedIn => Key::BookingCheckedIn,
        BookingStatus::Serving => Key::BookingServing,
        BookingStatus::Served => Key::BookingServed,
        BookingStatus::NoShow => Key::BookingNoShow,
        BookingStatus::Missed => Key::BookingMissed,
        BookingStatus::Cancelled => Key::BookingCancelled,
        BookingStatus::Expired => Key::BookingExpired,
    }
}

/// Whether the booking is a ticket to come with (paid, or free, and not over).
fn is_ticket(status: BookingStatus) -> bool {
    matches!(
        status,
        BookingStatus::Confirmed | BookingStatus::CheckedIn | BookingStatus::Serving
    )
}

/// `mm:ss` (or `h:mm:ss`) left until `until`.
pub fn countdown(now: DateTime<Utc>, until: DateTime<Utc>) -> String {
    let seconds = (until - now).num_seconds().max(0);
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// Offers `text` as a file named `name` (a Blob behind a temporary link).
fn download(text: &str, name: &str, media_type: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Some(())
}

#[derive(Properties, PartialEq)]
struct CountdownProps {
    until: DateTime<FixedOffset>,
    on_over: Callback<()>,
}

/// The time left to pay, each second; says when it is over, once.
#[function_component(HoldCountdown)]
fn hold_countdown(props: &CountdownProps) -> Html {
    let t = use_t();
    let now = use_state(Utc::now);
    {
        let now = now.clone();
        let until = props.until.with_timezone(&Utc);
        let on_over = props.on_over.clone();
        use_effect_with(until, move |&until| {
            let told = std::cell::Cell::new(false);
            let interval = gloo_timers::callback::Interval::new(1_000, move || {
                let current = Utc::now();
                now.set(current);
                if current >= until && !told.replace(true) {
                    on_over.emit(());
                }
            });
            move || drop(interval)
        });
    }
    let until = props.until.with_timezone(&Utc);
    if *now >= until {
        return html! { <p class="notice" role="status">{ t(Key::MyHoldOver) }</p> };
    }
    let left = countdown(*now, until);
    html! {
        <p class="notice hold" data-testid="hold">
            { fill(t(Key::MyHold), &[("time", &left)]) }
        </p>
    }
}

#[derive(Properties, PartialEq)]
struct TicketImageProps {
    reference: AttrValue,
    token: AttrValue,
    /// What the ticket shows (the time and status): a change draws it anew.
    version: AttrValue,
}

/// The ticket's QR code and details as the server draws them (SVG), fetched with the token and
/// shown through a blob URL; nothing when the server has none.
#[function_component(TicketImage)]
fn ticket_image(props: &TicketImageProps) -> Html {
    let t = use_t();
    let language = use_language();
    let url = use_state(|| None::<String>);
    {
        let url = url.clone();
        use_effect_with(
            (
                props.reference.clone(),
                props.token.clone(),
                props.version.clone(),
            ),
            move |(reference, token, _)| {
                let (reference, token) = (reference.clone(), token.clone());
                let made = std::rc::Rc::new(std::cell::RefCell::new(None::<String>));
                let keep = made.clone();
                spawn_local(async move {
                    let Ok(svg) = bookings::ticket_svg(&reference, &token, language).await else {
                        return;
                    };
                    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&svg));
                    let options = web_sys::BlobPropertyBag::new();
                    options.set_type("image/svg+xml");
                    let object = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
                        .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob));
                    if let Ok(object) = object {
                        *keep.borrow_mut() = Some(object.clone());
                        url.set(Some(object));
                    }
                });
                move || {
                    if let Some(object) = made.borrow_mut().take() {
                        let _ = web_sys::Url::revoke_object_url(&object);
                    }
                }
            },
        );
    }
    match &*url {
        Some(src) => html! {
            <img class="ticket-image" src={src.clone()} data-testid="ticket-image"
                alt={fill(t(Key::MyQrAlt), &[("reference", &props.reference)])} />
        },
        None => Html::default(),
    }
}

/// What the owner just did, said at the top of the booking.
#[derive(Debug, Clone, PartialEq)]
enum Done {
    Cancelled { refund: Option<String> },
    Rescheduled,
}

#[derive(Debug, Clone, PartialEq)]
enum Panel {
    None,
    ConfirmCancel,
    Reschedule,
}

#[derive(Properties, PartialEq)]
pub struct BookingDetailsProps {
    pub booking: BookingView,
    pub token: AttrValue,
    pub on_changed: Callback<BookingView>,
    /// Ask the server again (the hold ran out).
    pub on_reload: Callback<()>,
}

#[function_component(BookingDetails)]
pub fn booking_details(props: &BookingDetailsProps) -> Html {
    let t = use_t();
    let language = use_language();
    let panel = use_state(|| Panel::None);
    let done = use_state(|| None::<Done>);
    let failed = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let view = &props.booking;
    let reference = AttrValue::from(view.reference.clone());
    let token = props.token.clone();

    let paid = props
        .booking
        .payment
        .as_ref()
        .map_or(view.status == BookingStatus::Confirmed, |p| {
            p.status == PaymentStatus::Paid
        })
        && view.fee.amount_minor > 0;
    let on_cancel = {
        let (reference, token) = (reference.clone(), token.clone());
        let (panel, done, failed, busy) =
            (panel.clone(), done.clone(), failed.clone(), busy.clone());
        let on_changed = props.on_changed.clone();
        let refund = paid.then(|| view.fee.display());
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            busy.set(true);
            let (reference, token, refund) = (reference.clone(), token.clone(), refund.clone());
            let (panel, done, failed, busy) =
                (panel.clone(), done.clone(), failed.clone(), busy.clone());
            let on_changed = on_changed.clone();
            spawn_local(async move {
                let result = bookings::cancel(&reference, &token, language).await;
                busy.set(false);
                panel.set(Panel::None);
                match result {
                    Ok(booking) => {
                        failed.set(None);
                        done.set(Some(Done::Cancelled { refund }));
                        on_changed.emit(booking);
                    }
                    Err(error) => failed.set(Some(error)),
                }
            });
        })
    };
    let on_pay = {
        let (reference, token) = (reference.clone(), token.clone());
        let (failed, busy) = (failed.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            if *busy {
                return;
            }
            busy.set(true);
            let (reference, token) = (reference.clone(), token.clone());
            let (failed, busy) = (failed.clone(), busy.clone());
            spawn_local(async move {
                match bookings::pay(&reference, &token, language).await {
                    Ok(link) => {
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().assign(&link.pay_url);
                        }
                    }
                    Err(error) => {
                        busy.set(false);
                        failed.set(Some(error));
                    }
                }
            });
        })
    };
    let on_calendar = {
        let (reference, token) = (reference.clone(), token.clone());
        let failed = failed.clone();
        Callback::from(move |_: MouseEvent| {
            let (reference, token, failed) = (reference.clone(), token.clone(), failed.clone());
            spawn_local(async move {
                match bookings::ticket_ics(&reference, &token, language).await {
                    Ok(ics) => {
                        download(&ics, &format!("nobat-{reference}.ics"), "text/calendar");
                    }
                    Err(error) => failed.set(Some(error)),
                }
            });
        })
    };
    let on_print = Callback::from(|_: MouseEvent| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    });
    let open = |which: Panel| {
        let (panel, failed) = (panel.clone(), failed.clone());
        Callback::from(move |_: MouseEvent| {
            failed.set(None);
            panel.set(which.clone());
        })
    };
    let on_rescheduled = {
        let (panel, done) = (panel.clone(), done.clone());
        let on_changed = props.on_changed.clone();
        Callback::from(move |booking: BookingView| {
            panel.set(Panel::None);
            done.set(Some(Done::Rescheduled));
            on_changed.emit(booking);
        })
    };

    let start = view.start.with_timezone(&Utc);
    let day = local_date(start);
    let weekday = t(Key::weekday(day.weekday()));
    let from = local_time(start);
    let to = local_time(view.end.with_timezone(&Utc));
    let arrive_by = local_time(view.arrive_by.with_timezone(&Utc));
    let minutes = (view.start - view.arrive_by).num_minutes().to_string();
    let status = view.status;
    let ticket = is_ticket(status);
    let changeable = matches!(status, BookingStatus::Held | BookingStatus::Confirmed);
    let people = view.applicants.iter().map(|person| {
        html! {
            <li>
                <span class="name">{ person.full_name.clone() }</span>
                <span class="muted">{ person.passport.clone() }</span>
            </li>
        }
    });
    let payment = view.payment.as_ref().map(|payment| {
        let card = payment.card.clone();
        let status = t(payment_status_key(payment.status));
        html! {
            <>
                <dt>{ t(Key::MyPayment) }</dt>
                <dd data-testid="payment-status">
                    { status }
                    if let Some(card) = card {
                        <br /><small>{ card }</small>
                    }
                </dd>
            </>
        }
    });
    let said = match &*done {
        Some(Done::Cancelled { refund }) => html! {
            <div class="card done" role="status" data-testid="cancelled">
                <p><strong>{ t(Key::MyCancelled) }</strong></p>
                if let Some(amount) = refund {
                    <p>{ fill(t(Key::MyRefund), &[("amount", amount)]) }</p>
                }
            </div>
        },
        Some(Done::Rescheduled) => html! {
            <p class="card done" role="status" data-testid="rescheduled">{ t(Key::MyRescheduled) }</p>
        },
        None => Html::default(),
    };
    let failure = match &*failed {
        Some(error) if error.status() == Some(409) => html! {
            <p class="card error" role="alert" data-testid="action-refused">
                { error.detail().unwrap_or_default().to_owned() }
            </p>
        },
        Some(error) => html! { <ErrorNotice error={error.clone()} /> },
        None => Html::default(),
    };
    let panel_view = match &*panel {
        Panel::ConfirmCancel => html! {
            <div class="card confirm" role="alertdialog" aria-labelledby="cancel-title"
                aria-describedby="cancel-text" data-testid="cancel-confirm">
                <h2 id="cancel-title">{ t(Key::MyCancelTitle) }</h2>
                <p id="cancel-text">
                    { t(Key::MyCancelText) }
                    if paid {
                        { " " }{ fill(t(Key::MyRefund), &[("amount", &view.fee.display())]) }
                    }
                </p>
                <div class="buttons">
                    <button type="button" class="button danger" data-testid="cancel-yes"
                        disabled={*busy} onclick={on_cancel}>{ t(Key::MyCancelYes) }</button>
                    <button type="button" class="button secondary" autofocus=true
                        onclick={open(Panel::None)}>{ t(Key::MyCancelNo) }</button>
                </div>
            </div>
        },
        Panel::Reschedule => html! {
            <Reschedule reference={reference.clone()} token={token.clone()}
                branch={view.branch.code.clone()} service={view.service.code.clone()}
                on_done={on_rescheduled} on_close={{
                    let panel = panel.clone();
                    Callback::from(move |()| panel.set(Panel::None))
                }} />
        },
        Panel::None => Html::default(),
    };
    let title = if ticket {
        t(Key::MyTicketTitle)
    } else {
        t(Key::MyBookingTitle)
    };
    html! {
        <>
            { said }
            <p class="status-line" data-testid="status" data-status={status.code()}>
                { t(Key::MyStatus) }{ ": " }<strong>{ t(status_key(status)) }</strong>
            </p>
            if let Some(position) = view.queue.clone() {
                <QueuePlace {position} />
            }
            if status == BookingStatus::Held {
                if let Some(until) = view.hold_expires_at {
                    <HoldCountdown {until} on_over={props.on_reload.clone()} />
                }
                <button type="button" class="button pay" data-testid="pay-held" disabled={*busy}
                    onclick={on_pay}>
                    { fill(t(Key::BookPay), &[("amount", &view.fee.display())]) }
                </button>
            }
            { failure.clone() }
            <article class={classes!("card", "ticket", ticket.then_some("valid"))}
                aria-labelledby="ticket-title" data-testid="ticket">
                <h2 id="ticket-title">{ title }</h2>
                <div class="ticket-body">
                    <div class="ticket-text">
                        <p class="muted reference-label">{ t(Key::MyReference) }</p>
                        <p class="reference" data-testid="reference">{ view.reference.clone() }</p>
                        <dl class="facts">
                            <dt>{ t(Key::BookStepBranch) }</dt>
                            <dd>
                                { view.branch.name.get(language).to_owned() }
                                if let Some(address) = &view.branch.address {
                                    <br /><small>{ address.get(language).to_owned() }</small>
                                }
                            </dd>
                            <dt>{ t(Key::BookStepService) }</dt>
                            <dd>{ view.service.name.get(language).to_owned() }</dd>
                            <dt>{ t(Key::BookDate) }</dt>
                            <dd data-testid="ticket-date">{ i18n::date(day) }{ ", " }{ weekday }</dd>
                            <dt>{ t(Key::BookTime) }</dt>
                            <dd data-testid="ticket-time">{ i18n::time(from) }{ "–" }{ i18n::time(to) }</dd>
                            <dt>{ t(Key::BookPeople) }</dt>
                            <dd><ul class="people plain">{ for people }</ul></dd>
                            <dt>{ t(Key::BookFee) }</dt>
                            <dd>{ fee_text(view.fee, t(Key::BookFree)) }</dd>
                            { for payment }
                        </dl>
                    </div>
                    if ticket {
                        <TicketImage reference={reference.clone()} token={token.clone()}
                            version={format!("{} {}", view.start.to_rfc3339(), status.code())} />
                    }
                </div>
                // Once checked in, the time to arrive by is past news.
                if changeable {
                    <p class="notice arrive" role="note" data-testid="arrive">
                        <strong>{ fill(t(Key::MyArrive), &[("n", &minutes), ("time", &i18n::time(arrive_by))]) }</strong>
                    </p>
                }
            </article>
            if changeable {
                <div class="buttons actions-row no-print">
                    if ticket {
                        <button type="button" class="button secondary" data-testid="print" onclick={on_print}>
                            { t(Key::MyPrint) }
                        </button>
                        <button type="button" class="button secondary" data-testid="calendar-file" onclick={on_calendar}>
                            { t(Key::MyAddToCalendar) }
                        </button>
                    }
                    <button type="button" class="button secondary" data-testid="reschedule-open"
                        onclick={open(Panel::Reschedule)}>{ t(Key::MyReschedule) }</button>
                    <button type="button" class="button secondary danger" data-testid="cancel"
                        onclick={open(Panel::ConfirmCancel)}>{ t(Key::MyCancel) }</button>
                </div>
            }
            <div class="no-print">{ panel_view }</div>
        </>
    }
}

fn payment_status_key(status: PaymentStatus) -> Key {
    match status {
        PaymentStatus::New => Key::PaymentNew,
        PaymentStatus::Pending => Key::PaymentPending,
        PaymentStatus::Paid => Key::PaymentPaid,
        PaymentStatus::Declined => Key::PaymentDeclined,
        PaymentStatus::RefundPending => Key::PaymentRefundPending,
        PaymentStatus::Refunded => Key::PaymentRefunded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hold_counts_down_in_minutes_and_seconds() {
        let now = Utc::now();
        assert_eq!(
            countdown(now, now + chrono::Duration::seconds(605)),
            "10:05"
        );
        assert_eq!(countdown(now, now - chrono::Duration::seconds(5)), "00:00");
        assert_eq!(
            countdown(now, now + chrono::Duration::seconds(3_661)),
            "1:01:01"
        );
    }

    #[test]
    fn every_status_has_words() {
        for status in BookingStatus::ALL {
            assert!(!crate::i18n::t(nobat_domain::Language::Tk, status_key(status)).is_empty());
        }
        assert!(is_ticket(BookingStatus::Confirmed));
        assert!(!is_ticket(BookingStatus::Held));
    }
}
