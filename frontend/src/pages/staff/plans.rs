//! A branch's weekly opening plans in the Settings tab: the plans in force and to come (newest
//! first), and an editor of one week (seven rows: open or not, opening and closing time, breaks
//! to add and remove) with the date it takes effect, saved with `PUT …/opening-plans/{date}`.
//! The week being edited is a reducer, [`Week`], tested natively.

use super::settings::{done, keep};
use crate::api::catalog::{self, OpeningPlan, PlanBreak, PlanDay};
use crate::api::ApiError;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t};
use crate::i18n::{self, Key};
use chrono::{Days, NaiveDate, Utc, Weekday};
use nobat_domain::calendar::local_date;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// One weekday's row of the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRow {
    pub open: bool,
    pub opens: String,
    pub closes: String,
    pub breaks: Vec<PlanBreak>,
}

impl Default for DayRow {
    fn default() -> Self {
        DayRow {
            open: false,
            opens: "09:00".into(),
            closes: "18:00".into(),
            breaks: Vec::new(),
        }
    }
}

/// The week being edited and the day it takes effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    pub effective_from: String,
    /// Monday first.
    pub days: [DayRow; 7],
}

/// Which time of a row or of one of its breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeField {
    Opens,
    Closes,
    BreakStarts(usize),
    BreakEnds(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WeekAction {
    /// Start again from a saved plan (its days), from `effective_from`.
    Load(Vec<PlanDay>, String),
    EffectiveFrom(String),
    Open(usize, bool),
    Time(usize, TimeField, String),
    AddBreak(usize),
    RemoveBreak(usize, usize),
}

impl Week {
    /// A week from saved days (weekday 1-7); days not listed are closed.
    pub fn from_days(days: &[PlanDay], effective_from: String) -> Week {
        let mut week: [DayRow; 7] = Default::default();
        for day in days {
            if let Some(row) = week.get_mut(usize::from(day.weekday).wrapping_sub(1)) {
                *row = DayRow {
                    open: true,
                    opens: day.opens.get(..5).unwrap_or(&day.opens).to_owned(),
                    closes: day.closes.get(..5).unwrap_or(&day.closes).to_owned(),
                    breaks: day.breaks.clone(),
                };
            }
        }
        Week {
            effective_from,
            days: week,
        }
    }

    /// The open days as the server takes them, and for each one sent, which row it is (the
    /// server names errors by the index sent: `days[2].breaks[0].starts`).
    pub fn to_days(&self) -> (Vec<PlanDay>, Vec<usize>) {
        self.days
            .iter()
            .enumerate()
            .filter(|(_, row)| row.open)
            .map(|(i, row)| {
                let day = PlanDay {
                    weekday: (i + 1) as u8,
                    opens: row.opens.clone(),
                    closes: row.closes.clone(),
                    breaks: row.breaks.clone(),
                };
                (day, i)
            })
            .unzip()
    }
}

impl Reducible for Week {
    type Action = WeekAction;

    fn reduce(self: Rc<Self>, action: WeekAction) -> Rc<Self> {
        let mut week = (*self).clone();
        match action {
            WeekAction::Load(days, from) => week = Week::from_days(&days, from),
            WeekAction::EffectiveFrom(from) => week.effective_from = from,
            WeekAction::Open(i, open) => {
                if let Some(row) = week.days.get_mut(i) {
                    row.open = open;
                }
            }
            WeekAction::Time(i, which, value) => {
                if let Some(row) = week.days.get_mut(i) {
                    let slot = match which {
                        TimeField::Opens => Some(&mut row.opens),
                        TimeField::Closes => Some(&mut row.closes),
                        TimeField::BreakStarts(b) => row.breaks.get_mut(b).map(|b| &mut b.starts),
                        TimeField::BreakEnds(b) => row.breaks.get_mut(b).map(|b| &mut b.ends),
                    };
                    if let Some(slot) = slot {
                        *slot = value;
                    }
                }
            }
            WeekAction::AddBreak(i) => {
                if let Some(row) = week.days.get_mut(i) {
                    row.breaks.push(PlanBreak {
                        starts: "13:00".into(),
                        ends: "14:00".into(),
                    });
                }
            }
            WeekAction::RemoveBreak(i, b) => {
                if let Some(row) = week.days.get_mut(i) {
                    if b < row.breaks.len() {
                        row.breaks.remove(b);
                    }
                }
            }
        }
        Rc::new(week)
    }
}

/// The server's errors (`days[1].opens`) moved to the rows they are about (`row3.opens`).
pub fn errors_by_row(
    errors: &BTreeMap<String, String>,
    sent_rows: &[usize],
) -> BTreeMap<String, String> {
    errors
        .iter()
        .map(|(path, message)| {
            let moved = path
                .strip_prefix("days[")
                .and_then(|rest| rest.split_once(']'))
                .and_then(|(index, rest)| {
                    let row = sent_rows.get(index.parse::<usize>().ok()?)?;
                    Some(format!("row{row}{rest}"))
                })
                .unwrap_or_else(|| path.clone());
            (moved, message.clone())
        })
        .collect()
}

fn tomorrow() -> String {
    local_date(Utc::now())
        .checked_add_days(Days::new(1))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

#[derive(Properties, PartialEq)]
pub struct PlansProps {
    pub branch: String,
    pub on_expired: Callback<()>,
}

#[function_component(PlansPanel)]
pub fn plans_panel(props: &PlansProps) -> Html {
    let t = use_t();
    let language = use_language();
    let reload = use_state(|| 0u32);
    let plans = use_state(|| None::<Result<Vec<OpeningPlan>, ApiError>>);
    let week = use_reducer(|| Week::from_days(&[], tomorrow()));
    // The rows sent with the last save, to place its errors.
    let sent_rows = use_state(Vec::<usize>::new);
    let sent = use_state(|| None::<Result<(), ApiError>>);
    // The branch whose plan the editor was filled from: another branch starts it afresh.
    let loaded_for = use_mut_ref(String::new);
    {
        let (plans, on_expired, week, sent, loaded_for) = (
            plans.clone(),
            props.on_expired.clone(),
            week.dispatcher(),
            sent.clone(),
            loaded_for.clone(),
        );
        use_effect_with((props.branch.clone(), *reload), move |(branch, _)| {
            let branch = branch.clone();
            let fresh = *loaded_for.borrow() != branch;
            if fresh {
                sent.set(None);
                plans.set(None);
                *loaded_for.borrow_mut() = branch.clone();
            }
            spawn_local(async move {
                let result = catalog::opening_plans(&branch, language).await;
                // The editor starts from the newest plan, from tomorrow on.
                if let (Ok(list), true) = (&result, fresh) {
                    let days = list.first().map(|p| p.days.clone()).unwrap_or_default();
                    week.dispatch(WeekAction::Load(days, tomorrow()));
                }
                keep(&plans, &on_expired, result);
            });
        });
    }
    let save = {
        let (week, sent, sent_rows, reload, branch, on_expired) = (
            week.clone(),
            sent.clone(),
            sent_rows.clone(),
            reload.clone(),
            props.branch.clone(),
            props.on_expired.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (days, rows) = week.to_days();
            sent_rows.set(rows);
            let from = week.effective_from.clone();
            let (sent, reload, branch, on_expired) = (
                sent.clone(),
                reload.clone(),
                branch.clone(),
                on_expired.clone(),
            );
            spawn_local(async move {
                let result = catalog::put_opening_plan(&branch, &from, &days, language).await;
                if result.is_ok() {
                    reload.set(*reload + 1);
                }
                keep(&sent, &on_expired, result);
            });
        })
    };
    let errors = match &*sent {
        Some(Err(ApiError::Problem(problem))) => errors_by_row(&problem.errors, &sent_rows),
        _ => BTreeMap::new(),
    };
    let error_at = |path: String| -> Html {
        match errors.get(&path) {
            Some(message) => {
                html! { <p class="field-error" data-field={path}>{ message.clone() }</p> }
            }
            None => html! {},
        }
    };
    let dispatch = |make: Rc<dyn Fn(String) -> WeekAction>| {
        let week = week.dispatcher();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                week.dispatch(make(input.value()));
            }
        })
    };
    let time_input = |i: usize, which: TimeField, current: &str, label: String| {
        let id = match which {
            TimeField::Opens => format!("plan-{i}-opens"),
            TimeField::Closes => format!("plan-{i}-closes"),
            TimeField::BreakStarts(b) => format!("plan-{i}-break-{b}-starts"),
            TimeField::BreakEnds(b) => format!("plan-{i}-break-{b}-ends"),
        };
        html! {
            <input type="time" id={id} aria-label={label} value={current.to_owned()} required=true
                oninput={dispatch(Rc::new(move |v| WeekAction::Time(i, which, v)))} />
        }
    };
    let rows = WEEK.iter().enumerate().map(|(i, &weekday)| {
        let row = &week.days[i];
        let day_name = t(Key::weekday(weekday)).to_owned();
        let toggle = {
            let week = week.dispatcher();
            Callback::from(move |event: Event| {
                if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                    week.dispatch(WeekAction::Open(i, input.checked()));
                }
            })
        };
        let add = {
            let week = week.dispatcher();
            Callback::from(move |_: MouseEvent| week.dispatch(WeekAction::AddBreak(i)))
        };
        let breaks = row.breaks.iter().enumerate().map(|(b, span)| {
            let remove = {
                let week = week.dispatcher();
                Callback::from(move |_: MouseEvent| week.dispatch(WeekAction::RemoveBreak(i, b)))
            };
            html! {
                <li class="plan-break" data-break={b.to_string()}>
                    <span class="muted">{ t(Key::PlanBreak) }</span>
                    { time_input(i, TimeField::BreakStarts(b), &span.starts, format!("{day_name}: {} {}", t(Key::PlanBreak), t(Key::SettingsFrom))) }
                    { "–" }
                    { time_input(i, TimeField::BreakEnds(b), &span.ends, format!("{day_name}: {} {}", t(Key::PlanBreak), t(Key::SettingsTo))) }
                    <button type="button" class="button secondary small" data-action="remove-break"
                        aria-label={format!("{day_name}: {}", t(Key::PlanRemoveBreak))} onclick={remove}>{ "✕" }</button>
                    { error_at(format!("row{i}.breaks[{b}]")) }
                    { error_at(format!("row{i}.breaks[{b}].starts")) }
                    { error_at(format!("row{i}.breaks[{b}].ends")) }
                </li>
            }
        });
        html! {
            <li class="plan-day" data-weekday={(i + 1).to_string()} data-open={row.open.to_string()}>
                <label class="check plan-open">
                    <input type="checkbox" id={format!("plan-{i}-open")} checked={row.open} onchange={toggle} />
                    { " " }<strong>{ day_name.clone() }</strong>
                </label>
                if row.open {
                    <div class="plan-hours">
                        { time_input(i, TimeField::Opens, &row.opens, format!("{day_name}: {}", t(Key::PlanOpens))) }
                        { "–" }
                        { time_input(i, TimeField::Closes, &row.closes, format!("{day_name}: {}", t(Key::PlanCloses))) }
                        <button type="button" class="button secondary small" data-action="add-break" onclick={add}>
                            { t(Key::PlanAddBreak) }
                        </button>
                    </div>
                    <ul class="plan-breaks">{ for breaks }</ul>
                } else {
                    <span class="muted">{ t(Key::DayClosed) }</span>
                }
                { error_at(format!("row{i}")) }
                { error_at(format!("row{i}.weekday")) }
                { error_at(format!("row{i}.opens")) }
                { error_at(format!("row{i}.closes")) }
            </li>
        }
    });
    let summary = |plan: &OpeningPlan| -> String {
        plan.days
            .iter()
            .map(|d| {
                let day = WEEK
                    .get(usize::from(d.weekday).wrapping_sub(1))
                    .map(|&w| t(Key::weekday_short(w)))
                    .unwrap_or("?");
                let hours = |s: &str| s.get(..5).unwrap_or(s).to_owned();
                format!("{day} {}–{}", hours(&d.opens), hours(&d.closes))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let list = match &*plans {
        Some(Ok(plans)) if plans.is_empty() => {
            html! { <p class="notice" data-testid="plans-none">{ t(Key::PlanNone) }</p> }
        }
        Some(Ok(plans)) => html! {
            <ul class="plans" data-testid="plans-list">
                { for plans.iter().map(|plan| {
                    let load = {
                        let (week, days) = (week.dispatcher(), plan.days.clone());
                        Callback::from(move |_: MouseEvent| week.dispatch(WeekAction::Load(days.clone(), tomorrow())))
                    };
                    let from = NaiveDate::parse_from_str(&plan.effective_from, "%Y-%m-%d")
                        .map(i18n::date)
                        .unwrap_or_else(|_| plan.effective_from.clone());
                    html! {
                        <li data-from={plan.effective_from.clone()}>
                            <strong>{ i18n::fill(t(Key::PlanValidFrom), &[("date", &from)]) }</strong>{ ": " }
                            <span>{ summary(plan) }</span>{ " " }
                            <button type="button" class="button secondary small" onclick={load}>{ t(Key::PlanCopy) }</button>
                        </li>
                    }
                }) }
            </ul>
        },
        Some(Err(error)) => html! { <ErrorNotice error={error.clone()} /> },
        None => html! { <Loading /> },
    };
    let on_from = dispatch(Rc::new(WeekAction::EffectiveFrom));
    html! {
        <section class="card" aria-labelledby="plans-title" data-testid="plans-panel"
            data-branch={props.branch.clone()}>
            <h2 id="plans-title">{ t(Key::PlanTitle) }{ ": " }<code>{ props.branch.clone() }</code></h2>
            { list }
            <form class="plan-form" onsubmit={save} data-testid="plan-form">
                <div class="field">
                    <label for="plan-from">{ t(Key::PlanEffectiveFrom) }</label>
                    <input id="plan-from" type="date" required=true value={week.effective_from.clone()} oninput={on_from} />
                    { error_at("effective_from".to_owned()) }
                </div>
                <ol class="plan-days">{ for rows }</ol>
                <button type="submit" class="button" data-testid="plan-save">{ t(Key::PlanSave) }</button>
            </form>
            if let Some(Ok(())) = &*sent {
                { done(t(Key::SettingsSaved).to_owned(), "plan-saved") }
            }
            if let Some(Err(error)) = &*sent {
                <ErrorNotice error={error.clone()} />
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(weekday: u8, opens: &str, closes: &str, breaks: &[(&str, &str)]) -> PlanDay {
        PlanDay {
            weekday,
            opens: opens.into(),
            closes: closes.into(),
            breaks: breaks
                .iter()
                .map(|(s, e)| PlanBreak {
                    starts: (*s).into(),
                    ends: (*e).into(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_saved_plan_fills_its_rows_and_goes_back_the_same() {
        let days = vec![
            day(1, "09:00:00", "18:00", &[("13:00", "14:00")]),
            day(6, "09:00", "13:00", &[]),
        ];
        let week = Week::from_days(&days, "2027-01-04".into());
        assert!(week.days[0].open && week.days[5].open);
        assert!(!week.days[1].open && !week.days[6].open);
        assert_eq!(week.days[0].opens, "09:00", "seconds are dropped");
        let (sent, rows) = week.to_days();
        assert_eq!(
            sent,
            vec![
                day(1, "09:00", "18:00", &[("13:00", "14:00")]),
                day(6, "09:00", "13:00", &[])
            ]
        );
        assert_eq!(rows, vec![0, 5]);
    }

    #[test]
    fn rows_open_close_and_keep_their_breaks() {
        let week = Rc::new(Week::from_days(&[], "2027-01-04".into()));
        let week = week.reduce(WeekAction::Open(2, true));
        let week = week.reduce(WeekAction::AddBreak(2));
        let week = week.reduce(WeekAction::AddBreak(2));
        let week = week.reduce(WeekAction::Time(2, TimeField::BreakEnds(1), "15:00".into()));
        let week = week.reduce(WeekAction::RemoveBreak(2, 0));
        let week = week.reduce(WeekAction::Time(2, TimeField::Closes, "17:00".into()));
        let week = week.reduce(WeekAction::RemoveBreak(2, 9));
        let week = week.reduce(WeekAction::Open(9, true));
        let (sent, _) = week.to_days();
        assert_eq!(sent, vec![day(3, "09:00", "17:00", &[("13:00", "15:00")])]);
        let week = week.reduce(WeekAction::Open(2, false));
        assert!(week.to_days().0.is_empty());
        assert_eq!(
            week.days[2].breaks.len(),
            1,
            "closing a day keeps what was typed"
        );
    }

    #[test]
    fn errors_are_moved_from_the_sent_index_to_the_row() {
        let errors = BTreeMap::from([
            (
                "days[1].breaks[0].starts".to_owned(),
                "must be HH:MM".to_owned(),
            ),
            ("days[0]".to_owned(), "closes before it opens".to_owned()),
            ("effective_from".to_owned(), "must be YYYY-MM-DD".to_owned()),
            ("days[7].opens".to_owned(), "?".to_owned()),
        ]);
        let moved = errors_by_row(&errors, &[0, 5]);
        assert!(moved.contains_key("row5.breaks[0].starts"));
        assert!(moved.contains_key("row0"));
        assert!(moved.contains_key("effective_from"));
        assert!(
            moved.contains_key("days[7].opens"),
            "an index not sent stays as it is"
        );
    }
}
