//! Moving a booking to another time at the same office, for the same service: the calendar and
//! the time grid of "Book a visit", then `POST /api/v1/bookings/{reference}/reschedule`.

use crate::api::bookings;
use crate::api::{self, ApiError};
use crate::components::notice::ErrorNotice;
use crate::hooks::{use_language, use_t};
use crate::i18n::{self, fill, Key};
use crate::pages::book::calendar::Calendar;
use crate::pages::book::month::Month;
use crate::pages::book::state::{slot_time, Load};
use crate::pages::book::times::DayDetail;
use chrono::{NaiveDate, NaiveTime};
use nobat_domain::booking_api::BookingView;
use nobat_domain::catalog::{Availability, Code};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// How far ahead the calendar goes: the usual booking window and two months to see later days.
const MONTHS_AHEAD: usize = 3;

#[derive(Properties, PartialEq)]
pub struct RescheduleProps {
    pub reference: AttrValue,
    pub token: AttrValue,
    pub branch: AttrValue,
    pub service: AttrValue,
    pub on_done: Callback<BookingView>,
    pub on_close: Callback<()>,
}

#[function_component(Reschedule)]
pub fn reschedule(props: &RescheduleProps) -> Html {
    let t = use_t();
    let language = use_language();
    let today = use_memo((), |_| {
        nobat_domain::calendar::local_date(chrono::Utc::now())
    });
    let today = *today;
    let first = Month::of(today);
    let last = (0..MONTHS_AHEAD).fold(first, |m, _| m.next());
    let month = use_state(|| first);
    // The days of a month, with the month they are for (a late answer for another is ignored).
    let days = use_state(|| None::<(Month, Load<Rc<Availability>>)>);
    let reload = use_state(|| 0u32);
    let date = use_state(|| None::<NaiveDate>);
    let time = use_state(|| None::<NaiveTime>);
    let moving = use_state(|| None::<Load<()>>);
    {
        let days = days.clone();
        let (branch, service) = (props.branch.clone(), props.service.clone());
        use_effect_with((*month, *reload), move |&(month, _)| {
            let (Ok(branch), Ok(service)) = (Code::parse(&branch), Code::parse(&service)) else {
                return;
            };
            let Some((from, to)) = month.range_from(today) else {
                return;
            };
            days.set(Some((month, Load::Loading)));
            spawn_local(async move {
                let result = api::availability::fetch(&branch, &service, from, to, language).await;
                days.set(Some((
                    month,
                    match result {
                        Ok(a) => Load::Ready(Rc::new(a)),
                        Err(e) => Load::Failed(e),
                    },
                )));
            });
        });
    }
    let availability = match &*days {
        Some((for_month, load)) if *for_month == *month => Some(load.clone()),
        _ => Some(Load::Loading),
    };
    let loaded = availability.as_ref().and_then(|l| l.ready().cloned());
    let day = loaded
        .as_ref()
        .zip(*date)
        .and_then(|(a, date)| a.days.iter().find(|d| d.date == date).cloned());
    let slot = day.as_ref().zip(*time).and_then(|(day, time)| {
        day.slots
            .iter()
            .find(|s| slot_time(s) == time && s.remaining > 0)
            .cloned()
    });
    let on_month = {
        let (month, date, time) = (month.clone(), date.clone(), time.clone());
        Callback::from(move |m: Month| {
            let m = m.max(first).min(last);
            month.set(m);
            date.set(None);
            time.set(None);
        })
    };
    let on_pick = {
        let (date, time) = (date.clone(), time.clone());
        Callback::from(move |d: NaiveDate| {
            date.set(Some(d));
            time.set(None);
        })
    };
    let on_time = {
        let time = time.clone();
        Callback::from(move |t: NaiveTime| time.set(Some(t)))
    };
    let on_retry = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };
    let on_move = {
        let moving = moving.clone();
        let (reference, token) = (props.reference.clone(), props.token.clone());
        let on_done = props.on_done.clone();
        let reload = reload.clone();
        let slot = slot.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(slot) = slot.clone() else {
                return;
            };
            if matches!(*moving, Some(Load::Loading)) {
                return;
            }
            moving.set(Some(Load::Loading));
            let (moving, reference, token) = (moving.clone(), reference.clone(), token.clone());
            let (on_done, reload) = (on_done.clone(), reload.clone());
            spawn_local(async move {
                let start = slot.start.to_rfc3339();
                match bookings::reschedule(&reference, &token, &start, language).await {
                    Ok(booking) => on_done.emit(booking),
                    Err(error) => {
                        if matches!(error, ApiError::Problem(_)) {
                            // The time may have been taken meanwhile: show the days as they are now.
                            reload.set(*reload + 1);
                        }
                        moving.set(Some(Load::Failed(error)));
                    }
                }
            });
        })
    };
    let failure = match &*moving {
        Some(Load::Failed(error)) => match error.detail() {
            Some(detail) if error.status() == Some(409) => html! {
                <p class="card error" role="alert">{ detail.to_owned() }</p>
            },
            _ => html! { <ErrorNotice error={error.clone()} /> },
        },
        _ => Html::default(),
    };
    let busy = matches!(*moving, Some(Load::Loading));
    html! {
        <section class="reschedule" aria-labelledby="reschedule-title" data-testid="reschedule">
            <h2 id="reschedule-title">{ t(Key::MyRescheduleTitle) }</h2>
            <Calendar month={*month} {first} {last} {today} {availability}
                selected={*date} {on_month} {on_pick} on_retry={on_retry.clone()} />
            if let Some(day) = day {
                <DayDetail {day} selected={*time} on_pick={on_time} />
            }
            { failure }
            <div class="buttons">
                if let Some(slot) = &slot {
                    <button type="button" class="button" data-testid="reschedule-confirm"
                        disabled={busy} onclick={on_move}>
                        { fill(t(Key::MyRescheduleTo), &[
                            ("date", &i18n::date(slot.start.date_naive())),
                            ("time", &i18n::time(slot_time(slot))),
                        ]) }
                    </button>
                }
                <button type="button" class="button secondary" onclick={props.on_close.reform(|_: MouseEvent| ())}>
                    { t(Key::MyKeepTime) }
                </button>
            </div>
        </section>
    }
}
