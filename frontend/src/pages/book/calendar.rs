//! Step 3a: a month calendar, weeks from Monday, each date a button saying whether it can be
//! booked and, when it cannot, why (the holiday's name, a day off, when booking opens).

use super::month::Month;
use super::state::Load;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{document, use_language, use_t};
use crate::i18n::{self, fill, Key};
use chrono::{Datelike, NaiveDate, Weekday};
use nobat_domain::availability::{AvailabilityDay, DayStatus};
use nobat_domain::catalog::Availability;
use nobat_domain::Language;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// The `data-status` of a day and the words for it.
pub fn status_code(status: DayStatus) -> &'static str {
    match status {
        DayStatus::Open => "open",
        DayStatus::Full => "full",
        DayStatus::Closed => "closed",
        DayStatus::NotYetOpen => "not_yet_open",
    }
}

pub fn status_key(status: DayStatus) -> Key {
    match status {
        DayStatus::Open => Key::DayOpen,
        DayStatus::Full => Key::DayFull,
        DayStatus::Closed => Key::DayClosed,
        DayStatus::NotYetOpen => Key::DayNotYetOpen,
    }
}

/// Why a day cannot be booked, in the citizen's language: the closing reason, or when booking
/// opens; `None` for days that can be.
pub fn day_note(day: &AvailabilityDay, language: Language) -> Option<String> {
    match day.status {
        DayStatus::Closed => day.reason.as_ref().map(|r| r.text.get(language).to_owned()),
        DayStatus::NotYetOpen => day.opens_at.map(|opens| {
            fill(
                i18n::t(language, Key::BookOpensAt),
                &[
                    ("date", &i18n::date(opens.date_naive())),
                    ("time", &i18n::time(opens)),
                ],
            )
        }),
        DayStatus::Open | DayStatus::Full => None,
    }
}

/// The full spoken name of a day: "Sişenbe, 01.12.2026: boş wagt bar".
pub fn day_label(date: NaiveDate, status: &str, note: Option<&str>, language: Language) -> String {
    let weekday = i18n::t(language, Key::weekday(date.weekday()));
    match note {
        Some(note) => format!("{weekday}, {}: {status}. {note}", i18n::date(date)),
        None => format!("{weekday}, {}: {status}", i18n::date(date)),
    }
}

/// How many days an arrow key moves the focus in the grid.
fn arrow_step(key: &str) -> Option<i64> {
    match key {
        "ArrowLeft" => Some(-1),
        "ArrowRight" => Some(1),
        "ArrowUp" => Some(-7),
        "ArrowDown" => Some(7),
        _ => None,
    }
}

/// Arrow keys move between the day buttons like in a paper calendar (within the month).
fn move_focus(event: KeyboardEvent) {
    let Some(step) = arrow_step(&event.key()) else {
        return;
    };
    let Some(date) = event
        .target_dyn_into::<web_sys::Element>()
        .and_then(|button| button.get_attribute("data-date"))
        .and_then(|date| NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok())
    else {
        return;
    };
    let target = date + chrono::Duration::days(step);
    let selector = format!(
        "button.day[data-date=\"{}\"]:not([disabled])",
        target.format("%Y-%m-%d")
    );
    let button = document()
        .and_then(|d| d.query_selector(&selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(button) = button {
        event.prevent_default();
        let _ = button.focus();
    }
}

#[derive(Properties, PartialEq)]
pub struct CalendarProps {
    pub month: Month,
    pub first: Month,
    pub last: Month,
    pub today: NaiveDate,
    /// The days of `month` from the API.
    pub availability: Option<Load<Rc<Availability>>>,
    pub selected: Option<NaiveDate>,
    pub on_month: Callback<Month>,
    pub on_pick: Callback<NaiveDate>,
    pub on_retry: Callback<()>,
}

#[function_component(Calendar)]
pub fn calendar(props: &CalendarProps) -> Html {
    let t = use_t();
    let language = use_language();
    let month = props.month;
    let days = props
        .availability
        .as_ref()
        .and_then(Load::ready)
        .map(|a| a.days.as_slice())
        .unwrap_or_default();
    let can_go_back = month > props.first;
    let can_go_on = month < props.last;
    // aria-disabled rather than disabled: the button keeps the keyboard focus at either end.
    let previous = {
        let on_month = props.on_month.clone();
        Callback::from(move |_| {
            if can_go_back {
                on_month.emit(month.previous());
            }
        })
    };
    let next = {
        let on_month = props.on_month.clone();
        Callback::from(move |_| {
            if can_go_on {
                on_month.emit(month.next());
            }
        })
    };
    let title = format!("{} {}", t(Key::month(month.number())), month.year());
    let headings = WEEK.iter().map(|&day| {
        html! {
            <th scope="col"><abbr title={t(Key::weekday(day))}>{ t(Key::weekday_short(day)) }</abbr></th>
        }
    });
    let cell = |date: Option<NaiveDate>| -> Html {
        let Some(date) = date else {
            return html! { <td></td> };
        };
        let number = date.day().to_string();
        let iso = date.format("%Y-%m-%d").to_string();
        let today = (date == props.today).then_some("date");
        if date < props.today {
            let label = day_label(date, t(Key::DayPast), None, language);
            return html! {
                <td><span class="day" data-date={iso} data-status="past" title={label}>{ number }</span></td>
            };
        }
        let Some(day) = days.iter().find(|d| d.date == date) else {
            return html! {
                <td><button type="button" class="day" data-date={iso} data-status="loading" disabled=true>
                    <span class="number">{ number }</span>
                </button></td>
            };
        };
        let note = day_note(day, language);
        let mut label = day_label(date, t(status_key(day.status)), note.as_deref(), language);
        if today.is_some() {
            label = format!("{label} ({})", t(Key::DayToday));
        }
        let pressed = (props.selected == Some(date)).to_string();
        let onclick = {
            let on_pick = props.on_pick.clone();
            Callback::from(move |_| on_pick.emit(date))
        };
        let hint = note.unwrap_or_else(|| t(status_key(day.status)).to_owned());
        html! {
            <td>
                <button type="button" class="day" data-date={iso}
                    data-status={status_code(day.status)} data-short-day={day.short_day.then_some("true")}
                    aria-label={label} aria-pressed={pressed} aria-current={today} title={hint} {onclick}>
                    <span class="number">{ number }</span>
                    <span class="mark" aria-hidden="true"></span>
                </button>
            </td>
        }
    };
    let rows = month.weeks().into_iter().map(|week| {
        html! { <tr>{ for week.into_iter().map(cell) }</tr> }
    });
    let state = match &props.availability {
        Some(Load::Loading) | None => html! { <Loading /> },
        Some(Load::Failed(error)) => {
            html! { <ErrorNotice error={error.clone()} on_retry={props.on_retry.clone()} /> }
        }
        Some(Load::Ready(_)) => Html::default(),
    };
    let legend = [DayStatus::Open, DayStatus::Full, DayStatus::Closed, DayStatus::NotYetOpen]
        .into_iter()
        .map(|status| {
            html! {
                <li><span class="swatch" data-status={status_code(status)} aria-hidden="true"></span>{ t(status_key(status)) }</li>
            }
        });
    let loading = matches!(props.availability, Some(Load::Loading) | None).to_string();
    html! {
        <section class="card calendar" aria-labelledby="calendar-title" data-testid="calendar"
            data-month={format!("{:04}-{:02}", month.year(), month.number())}>
            <h2 id="calendar-title" tabindex="-1">{ t(Key::BookCalendarTitle) }</h2>
            <div class="month-nav">
                <button type="button" class="month-step" data-testid="month-previous"
                    aria-label={t(Key::BookPrevMonth)} title={t(Key::BookPrevMonth)}
                    aria-disabled={(!can_go_back).to_string()} onclick={previous}>
                    <span aria-hidden="true">{ "‹" }</span>
                </button>
                <h3 id="month-title" aria-live="polite">{ title }</h3>
                <button type="button" class="month-step" data-testid="month-next"
                    aria-label={t(Key::BookNextMonth)} title={t(Key::BookNextMonth)}
                    aria-disabled={(!can_go_on).to_string()} onclick={next}>
                    <span aria-hidden="true">{ "›" }</span>
                </button>
            </div>
            <table class="month" aria-labelledby="month-title" aria-busy={loading}
                onkeydown={Callback::from(move_focus)}>
                <thead><tr>{ for headings }</tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            { state }
            <ul class="legend" aria-label={t(Key::BookLegend)}>{ for legend }</ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(value: serde_json::Value) -> AvailabilityDay {
        serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn closed_days_say_why_in_the_chosen_language() {
        let new_year = day(json!({
            "date": "2027-01-01", "status": "closed",
            "reason": {"code": "holiday", "text": {"tk": "Täze ýyl baýramy", "ru": "Новый год", "en": "New Year"}}
        }));
        assert_eq!(
            day_note(&new_year, Language::Tk).as_deref(),
            Some("Täze ýyl baýramy")
        );
        assert_eq!(
            day_note(&new_year, Language::Ru).as_deref(),
            Some("Новый год")
        );
        let label = day_label(
            new_year.date,
            i18n::t(Language::Tk, status_key(new_year.status)),
            day_note(&new_year, Language::Tk).as_deref(),
            Language::Tk,
        );
        assert_eq!(label, "Anna, 01.01.2027: kabul ýok. Täze ýyl baýramy");
    }

    #[test]
    fn arrows_move_by_a_day_or_a_week() {
        assert_eq!(arrow_step("ArrowRight"), Some(1));
        assert_eq!(arrow_step("ArrowUp"), Some(-7));
        assert_eq!(arrow_step("Enter"), None);
    }

    #[test]
    fn days_not_yet_open_say_when_they_open_in_ashgabat_time() {
        let later = day(json!({
            "date": "2026-12-29", "status": "not_yet_open", "opens_at": "2026-11-29T08:00:00+05:00"
        }));
        assert_eq!(
            day_note(&later, Language::En).as_deref(),
            Some("Booking for this day opens on 29.11.2026 at 08:00.")
        );
        let open = day(json!({"date": "2026-12-01", "status": "open"}));
        assert_eq!(day_note(&open, Language::En), None);
        assert_eq!(status_code(open.status), "open");
    }
}
