//! Step 3b: the chosen day: its free times as buttons, or why it cannot be booked.

use super::calendar::day_note;
use super::state::slot_time;
use crate::hooks::{use_language, use_t};
use crate::i18n::{self, fill, Key};
use chrono::NaiveTime;
use nobat_domain::availability::{AvailabilityDay, DayStatus};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DayDetailProps {
    pub day: AvailabilityDay,
    pub selected: Option<NaiveTime>,
    pub on_pick: Callback<NaiveTime>,
}

#[function_component(DayDetail)]
pub fn day_detail(props: &DayDetailProps) -> Html {
    let t = use_t();
    let language = use_language();
    let section = use_node_ref();
    {
        // A new day's times appear below the calendar: bring them into view on a phone.
        let section = section.clone();
        use_effect_with(props.day.date, move |_| {
            if let Some(element) = section.cast::<web_sys::Element>() {
                element.scroll_into_view_with_bool(false);
            }
        });
    }
    let day = &props.day;
    let date = i18n::date(day.date);
    let body = match day.status {
        DayStatus::Open => {
            let times = day.slots.iter().map(|slot| {
                let start = slot_time(slot);
                let free = slot.remaining > 0;
                let seats = if free {
                    fill(t(Key::BookSeatsFree), &[("n", &slot.remaining.to_string())])
                } else {
                    t(Key::BookSeatsNone).to_owned()
                };
                let onclick = {
                    let on_pick = props.on_pick.clone();
                    Callback::from(move |_| on_pick.emit(start))
                };
                html! {
                    <li>
                        <button type="button" class="time" data-time={i18n::time(start)}
                            aria-pressed={(props.selected == Some(start)).to_string()}
                            disabled={!free} {onclick}>
                            <strong>{ i18n::time(start) }</strong>
                            <small>{ seats }</small>
                        </button>
                    </li>
                }
            });
            html! { <ul class="times">{ for times }</ul> }
        }
        DayStatus::Full => html! { <p class="notice">{ t(Key::BookDayFull) }</p> },
        DayStatus::Closed => html! {
            <p class="notice">
                if let Some(note) = day_note(day, language) {
                    <strong>{ note }</strong>{ ". " }
                }
                { t(Key::BookDayClosed) }
            </p>
        },
        DayStatus::NotYetOpen => html! {
            <p class="notice">{ day_note(day, language).unwrap_or_else(|| t(Key::DayNotYetOpen).to_owned()) }</p>
        },
    };
    html! {
        <section class="card day-detail" aria-labelledby="times-title" data-testid="times"
            data-date={day.date.format("%Y-%m-%d").to_string()} ref={section}>
            <h2 id="times-title">{ fill(t(Key::BookTimesTitle), &[("date", &date)]) }</h2>
            if day.short_day {
                <p class="hint" data-testid="short-day">{ t(Key::BookShortDay) }</p>
            }
            { body }
        </section>
    }
}
