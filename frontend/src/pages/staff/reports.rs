//! The Reports tab (branch heads and admins): a day range (by default the last 7 days up to
//! today), the bookings by outcome, wait and service times, served per counter, a chart per day,
//! and the same per day as a CSV download.

use super::chart::DayChart;
use super::session_ended;
use crate::api::reports::{self, BranchReport, Timing};
use crate::api::ApiError;
use crate::components::notice::{ErrorNotice, Loading};
use crate::hooks::{use_language, use_t};
use crate::i18n::{fill, t as text, Key};
use chrono::{Days, NaiveDate, Utc};
use nobat_domain::calendar::local_date;
use nobat_domain::Language;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// The last 7 days up to `today`.
fn default_range(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (today.checked_sub_days(Days::new(6)).unwrap_or(today), today)
}

/// Seconds as minutes with one decimal, the decimal mark of `language`; a dash when unknown.
fn minutes(seconds: Option<f64>, language: Language) -> String {
    let Some(seconds) = seconds.filter(|s| s.is_finite()) else {
        return "—".to_owned();
    };
    // Tenths of a minute as a whole number, then written with the language's decimal mark
    // (formatting the float itself would add its code to the download).
    let tenths = (seconds.max(0.0) / 6.0).round() as u64;
    let mark = if language == Language::En { '.' } else { ',' };
    let number = format!("{}{mark}{}", tenths / 10, tenths % 10);
    fill(text(language, Key::ReportMinutes), &[("n", &number)])
}

/// A date input's value, if it is a whole date.
fn date_value(event: &Event) -> Option<NaiveDate> {
    let input = event.target_dyn_into::<web_sys::HtmlInputElement>()?;
    NaiveDate::parse_from_str(&input.value(), "%Y-%m-%d").ok()
}

type Loaded = (
    (String, NaiveDate, NaiveDate),
    Result<BranchReport, ApiError>,
);

#[derive(Properties, PartialEq)]
pub struct ReportsProps {
    pub branch: String,
    pub on_expired: Callback<()>,
}

#[function_component(Reports)]
pub fn reports(props: &ReportsProps) -> Html {
    let t = use_t();
    let language = use_language();
    let today = local_date(Utc::now());
    let range = use_state(|| default_range(today));
    let (from, to) = *range;
    let retry = use_state(|| 0u32);
    let loaded = use_state(|| None::<Loaded>);
    {
        let (loaded, on_expired) = (loaded.clone(), props.on_expired.clone());
        use_effect_with(
            (props.branch.clone(), from, to, *retry),
            move |(branch, from, to, _)| {
                let (branch, from, to) = (branch.clone(), *from, *to);
                if from <= to {
                    spawn_local(async move {
                        match reports::fetch(&branch, from, to, language).await {
                            Err(error) if session_ended(&error) => on_expired.emit(()),
                            result => loaded.set(Some(((branch, from, to), result))),
                        }
                    });
                }
            },
        );
    }
    let on_from = {
        let range = range.clone();
        Callback::from(move |event: Event| {
            if let Some(day) = date_value(&event) {
                range.set((day, range.1));
            }
        })
    };
    let on_to = {
        let range = range.clone();
        Callback::from(move |event: Event| {
            if let Some(day) = date_value(&event) {
                range.set((range.0, day));
            }
        })
    };
    let body = match &*loaded {
        _ if from > to => html! {
            <p class="card outcome" data-tone="wait" role="alert" data-testid="report-bad-range">
                { t(Key::ReportBadRange) }
            </p>
        },
        Some((asked, Ok(report))) if *asked == (props.branch.clone(), from, to) => {
            report_view(report, language)
        }
        Some((asked, Err(error))) if *asked == (props.branch.clone(), from, to) => {
            let retry = retry.clone();
            html! { <ErrorNotice error={error.clone()} on_retry={Callback::from(move |()| retry.set(*retry + 1))} /> }
        }
        _ => html! { <Loading /> },
    };
    html! {
        <div class="reports" data-testid="reports">
            <section class="card" aria-labelledby="report-title">
                <h2 id="report-title">{ t(Key::ReportTitle) }</h2>
                <div class="report-range">
                    <div class="field">
                        <label for="report-from">{ t(Key::ReportFrom) }</label>
                        <input id="report-from" type="date" value={from.to_string()}
                            max={today.to_string()} onchange={on_from} />
                    </div>
                    <div class="field">
                        <label for="report-to">{ t(Key::ReportTo) }</label>
                        <input id="report-to" type="date" value={to.to_string()} onchange={on_to} />
                    </div>
                    if from <= to {
                        <a class="button secondary" data-testid="report-csv" download=""
                            href={reports::csv_url(&props.branch, from, to)}>{ t(Key::ReportCsv) }</a>
                    }
                </div>
            </section>
            { body }
        </div>
    }
}

fn timing_row(key: Key, timing: &Timing, language: Language) -> Html {
    html! {
        <tr>
            <th scope="row">{ text(language, key) }</th>
            <td>{ minutes(timing.average_seconds, language) }</td>
            <td>{ minutes(timing.p90_seconds, language) }</td>
            <td>{ timing.count }</td>
        </tr>
    }
}

fn report_view(report: &BranchReport, language: Language) -> Html {
    let t = |key| text(language, key);
    let totals = &report.totals;
    let figures = [
        ("booked", Key::ReportBooked, totals.booked),
        ("paid", Key::ReportPaid, totals.paid),
        ("checked-in", Key::ReportCheckedIn, totals.checked_in),
        ("served", Key::ReportServed, totals.served),
        ("missed", Key::ReportMissed, totals.missed),
        ("no-show", Key::ReportNoShow, totals.no_show),
        ("cancelled", Key::ReportCancelled, totals.cancelled),
    ];
    let counters = report.counters.iter().map(|counter| {
        html! {
            <tr data-counter={counter.counter.to_string()}>
                <th scope="row">{ counter.counter }</th>
                <td>{ counter.served }</td>
                <td>{ minutes(counter.average_service_seconds, language) }</td>
            </tr>
        }
    });
    html! {
        <>
            <section class="card" aria-label={t(Key::ReportTitle)}>
                <dl class="figures">
                    { for figures.iter().map(|(name, key, value)| html! {
                        <div class={classes!("figure", *name)} data-testid={format!("figure-{name}")}
                            data-value={value.to_string()}>
                            <dt>{ t(*key) }</dt>
                            <dd>{ value }</dd>
                        </div>
                    }) }
                </dl>
            </section>
            <section class="card" aria-labelledby="chart-title">
                <h2 id="chart-title">{ t(Key::ReportChartTitle) }</h2>
                <DayChart from={report.from} to={report.to} days={report.days.clone()} />
            </section>
            <div class="report-tables">
                <section class="card" aria-labelledby="times-title">
                    <h2 id="times-title">{ t(Key::ReportTimesTitle) }</h2>
                    <div class="table-scroll">
                        <table class="report" data-testid="report-times">
                            <thead>
                                <tr>
                                    <td></td>
                                    <th scope="col">{ t(Key::ReportAverage) }</th>
                                    <th scope="col">{ t(Key::ReportP90) }</th>
                                    <th scope="col">{ t(Key::ReportMeasured) }</th>
                                </tr>
                            </thead>
                            <tbody>
                                { timing_row(Key::ReportWait, &report.wait, language) }
                                { timing_row(Key::ReportService, &report.service, language) }
                            </tbody>
                        </table>
                    </div>
                </section>
                <section class="card" aria-labelledby="counters-title">
                    <h2 id="counters-title">{ t(Key::ReportCountersTitle) }</h2>
                    if report.counters.is_empty() {
                        <p class="muted">{ t(Key::ReportNoneServed) }</p>
                    } else {
                        <div class="table-scroll">
                            <table class="report" data-testid="report-counters">
                                <thead>
                                    <tr>
                                        <th scope="col">{ t(Key::StaffColCounter) }</th>
                                        <th scope="col">{ t(Key::ReportServed) }</th>
                                        <th scope="col">{ t(Key::ReportAverageService) }</th>
                                    </tr>
                                </thead>
                                <tbody>{ for counters }</tbody>
                            </table>
                        </div>
                    }
                </section>
            </div>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_range_is_the_last_seven_days() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        let (from, to) = default_range(today);
        assert_eq!(to, today);
        assert_eq!(
            from,
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
        );
    }

    #[test]
    fn times_read_as_minutes_in_each_language() {
        assert_eq!(minutes(Some(90.0), Language::En), "1.5 min");
        assert_eq!(minutes(Some(600.0), Language::Ru), "10,0 мин");
        assert_eq!(minutes(None, Language::Tk), "—");
        assert_eq!(minutes(Some(f64::NAN), Language::En), "—");
    }
}
