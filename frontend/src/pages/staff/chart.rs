//! The report's chart: for every day of the range, bars of the bookings, the served and the
//! missed, drawn as inline SVG (no chart library: the bars are a few rectangles). The geometry is
//! plain functions, tested natively.

use crate::api::reports::DayCounts;
use crate::hooks::use_t;
use crate::i18n::{self, fill, Key};
use chrono::NaiveDate;
use yew::prelude::*;

// The chart's units are whole numbers: writing floats would add their formatting code to the
// download for no visible gain.
const LEFT: u64 = 34;
const RIGHT: u64 = 8;
const TOP: u64 = 10;
const PLOT: u64 = 150;
const BOTTOM: u64 = 22;
/// The widest a date label is, in the chart's units.
const LABEL: u64 = 40;

/// What the bars show, in the order they stand within a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    Booked,
    Served,
    Missed,
}

impl Series {
    pub const ALL: [Series; 3] = [Series::Booked, Series::Served, Series::Missed];

    pub fn key(self) -> Key {
        match self {
            Series::Booked => Key::ReportBooked,
            Series::Served => Key::ReportServed,
            Series::Missed => Key::ReportMissed,
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Series::Booked => "booked",
            Series::Served => "served",
            Series::Missed => "missed",
        }
    }

    fn of(self, day: &DayCounts) -> u64 {
        match self {
            Series::Booked => day.booked,
            Series::Served => day.served,
            Series::Missed => day.missed,
        }
    }
}

/// Every day from `from` to `to`, those without bookings (which the report leaves out) as zeros.
pub fn every_day(from: NaiveDate, to: NaiveDate, days: &[DayCounts]) -> Vec<DayCounts> {
    from.iter_days()
        .take_while(|date| *date <= to)
        .take(400)
        .map(|date| {
            days.iter()
                .find(|d| d.date == Some(date))
                .cloned()
                .unwrap_or(DayCounts {
                    date: Some(date),
                    ..DayCounts::default()
                })
        })
        .collect()
}

/// The top of the scale: at least `max`, even (so that its half is a whole number too), and
/// round: 2, 4, … 10, then 20, 50, 100, 200, 500, …
pub fn scale_top(max: u64) -> u64 {
    if max <= 10 {
        return max.max(1).div_ceil(2) * 2;
    }
    let mut step = 10;
    loop {
        for top in [step * 2, step * 5, step * 10] {
            if top >= max {
                return top;
            }
        }
        step *= 10;
    }
}

/// The width given to one day: room for three bars, narrower over long ranges.
pub fn day_width(days: usize) -> u64 {
    match days {
        0..=14 => 48,
        15..=31 => 30,
        _ => 12,
    }
}

/// Every how many days a date is written under the bars, so that the labels do not overlap.
pub fn label_every(day_width: u64) -> usize {
    LABEL.div_ceil(day_width.max(1)).max(1) as usize
}

#[derive(Properties, PartialEq)]
pub struct DayChartProps {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The report's days (only those with bookings).
    pub days: Vec<DayCounts>,
}

#[function_component(DayChart)]
pub fn day_chart(props: &DayChartProps) -> Html {
    let t = use_t();
    let days = every_day(props.from, props.to, &props.days);
    let width_per_day = day_width(days.len());
    let every = label_every(width_per_day);
    let max = days
        .iter()
        .flat_map(|d| Series::ALL.map(|s| s.of(d)))
        .max()
        .unwrap_or(0);
    let top = scale_top(max);
    let width = LEFT + width_per_day * days.len() as u64 + RIGHT;
    let height = TOP + PLOT + BOTTOM;
    let y = |value: u64| TOP + PLOT - (PLOT * value + top / 2) / top;
    let bar = width_per_day * 4 / 15;
    let grid = [0, top / 2, top].map(|value| {
        html! {
            <g class="grid">
                <line x1={LEFT.to_string()} x2={(width - RIGHT).to_string()}
                    y1={y(value).to_string()} y2={y(value).to_string()} />
                <text x={(LEFT - 4).to_string()} y={(y(value) + 4).to_string()} text-anchor="end">
                    { value }
                </text>
            </g>
        }
    });
    let groups = days.iter().enumerate().map(|(i, day)| {
        let x = LEFT + width_per_day * i as u64;
        let date = day.date.unwrap_or(props.from);
        let label = date.format("%d.%m").to_string();
        let bars = Series::ALL
            .iter()
            .enumerate()
            .filter(|(_, s)| s.of(day) > 0)
            .map(|(j, series)| {
                let value = series.of(day);
                html! {
                    <rect class={series.class()} x={(x + width_per_day / 10 + bar * j as u64).to_string()}
                        y={y(value).to_string()} width={bar.to_string()}
                        height={(TOP + PLOT - y(value)).to_string()}>
                        <title>{ format!("{} · {}: {value}", i18n::date(date), t(series.key())) }</title>
                    </rect>
                }
            });
        html! {
            <g data-date={date.to_string()}>
                { for bars }
                if i % every == 0 {
                    <text class="day" x={(x + width_per_day / 2).to_string()}
                        y={(height - 6).to_string()} text-anchor="middle">{ label }</text>
                }
            </g>
        }
    });
    let summary = fill(
        t(Key::ReportChartLabel),
        &[
            ("from", &i18n::date(props.from)),
            ("to", &i18n::date(props.to)),
        ],
    );
    // Drawn at its natural size where there is room, shrunk a little on a phone, and scrolled
    // sideways rather than shrunk into illegibility over a long range.
    let style = format!(
        "min-width:{}px;max-width:{}px",
        width * 3 / 4,
        width * 13 / 10
    );
    html! {
        <figure class="chart" data-testid="report-chart">
            <div class="chart-scroll">
                <svg viewBox={format!("0 0 {width} {height}")} width="100%" {style}
                    role="img" aria-label={summary}>
                    { for grid }
                    { for groups }
                </svg>
            </div>
            <figcaption>
                <ul class="chart-legend">
                    { for Series::ALL.iter().map(|series| html! {
                        <li><span class={classes!("swatch", series.class())} aria-hidden="true"></span>{ t(series.key()) }</li>
                    }) }
                </ul>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    #[test]
    fn days_without_bookings_are_zeros() {
        let booked = DayCounts {
            date: Some(day(22)),
            booked: 3,
            served: 2,
            ..DayCounts::default()
        };
        let all = every_day(day(20), day(26), std::slice::from_ref(&booked));
        assert_eq!(all.len(), 7);
        assert_eq!(all[2], booked);
        assert_eq!(all[0].date, Some(day(20)));
        assert_eq!(all[0].booked, 0);
        assert_eq!(all[6].date, Some(day(26)));
        assert!(every_day(day(26), day(20), &[]).is_empty());
    }

    #[test]
    fn the_scale_is_round_and_halves_evenly() {
        assert_eq!(scale_top(0), 2);
        assert_eq!(scale_top(1), 2);
        assert_eq!(scale_top(3), 4);
        assert_eq!(scale_top(10), 10);
        assert_eq!(scale_top(11), 20);
        assert_eq!(scale_top(21), 50);
        assert_eq!(scale_top(51), 100);
        assert_eq!(scale_top(101), 200);
        assert_eq!(scale_top(4_999), 5_000);
    }

    #[test]
    fn long_ranges_get_narrower_days_and_fewer_labels() {
        assert_eq!(label_every(day_width(7)), 1);
        assert_eq!(label_every(day_width(31)), 2);
        assert_eq!(label_every(day_width(366)), 4);
    }
}
