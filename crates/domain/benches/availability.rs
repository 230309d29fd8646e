//! How long the slot arithmetic takes for the most-read request: one branch, 31 days.
//!
//! `cargo bench -p nobat-domain --bench availability`

use chrono::{Days, NaiveDate, NaiveTime, Utc};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use nobat_domain::availability::{availability, AvailabilityInput, BookingWindow};
use nobat_domain::calendar::{local_instant, Holiday, HolidayCalendar, HolidayKind};
use nobat_domain::opening::{DayHours, Span, WeeklyPlan};
use nobat_domain::Localized;
use std::collections::HashMap;

fn bench(c: &mut Criterion) {
    let start = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    let day = || {
        DayHours::new(
            540,
            1080,
            vec![Span {
                start: 780,
                end: 840,
            }],
        )
        .ok()
    };
    let plans = [WeeklyPlan {
        effective_from: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
        days: [day(), day(), day(), day(), day(), None, None],
    }];
    let holidays = HolidayCalendar::new(vec![Holiday {
        date: NaiveDate::from_ymd_opt(2026, 12, 12).unwrap_or_default(),
        kind: HolidayKind::Fixed,
        name: Localized::new("Halkara Bitaraplyk güni", "", ""),
        provisional: false,
        transferred_from: None,
    }]);
    let now = local_instant(
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default(),
        NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
    )
    .with_timezone(&Utc);
    // Every other slot has one seat taken.
    let mut taken = HashMap::new();
    for d in 0..31 {
        for m in (540..1080).step_by(60) {
            let t = local_instant(
                start + Days::new(d),
                NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap_or_default(),
            );
            taken.insert(t.with_timezone(&Utc), 1);
        }
    }
    for (name, duration) in [
        ("31 days, 30-minute slots", 30),
        ("31 days, 15-minute slots", 15),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| {
                availability(black_box(&AvailabilityInput {
                    from: start,
                    to: start + Days::new(30),
                    now,
                    plans: &plans,
                    counters: 4,
                    hall_capacity: Some(3),
                    holidays: &holidays,
                    closures: &[],
                    duration_minutes: duration,
                    window: BookingWindow::default(),
                    taken: &taken,
                }))
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
