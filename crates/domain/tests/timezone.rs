//! Slot instants carry +05:00 whatever zone the process runs in.
#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, NaiveTime, Utc};
use nobat_domain::availability::{availability, AvailabilityInput, BookingWindow};
use nobat_domain::calendar::{local_instant, HolidayCalendar};
use nobat_domain::opening::{DayHours, WeeklyPlan};
use std::collections::HashMap;

#[test]
fn slots_are_plus_five_under_any_tz() {
    for zone in ["America/New_York", "Asia/Tokyo", "UTC", "Europe/Moscow"] {
        // This test binary runs alone (one process per test file), so changing TZ is safe here.
        std::env::set_var("TZ", zone);
        let day = || Some(DayHours::new(540, 600, vec![]).unwrap());
        let plans = [WeeklyPlan {
            effective_from: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            days: [day(), day(), day(), day(), day(), day(), day()],
        }];
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let now = local_instant(
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        )
        .with_timezone(&Utc);
        let days = availability(&AvailabilityInput {
            from: date,
            to: date,
            now,
            plans: &plans,
            counters: 1,
            hall_capacity: None,
            holidays: &HolidayCalendar::default(),
            closures: &[],
            duration_minutes: 60,
            window: BookingWindow::default(),
            taken: &HashMap::new(),
        });
        assert_eq!(
            days[0].slots[0].start.to_rfc3339(),
            "2026-12-01T09:00:00+05:00",
            "TZ={zone}"
        );
        assert_eq!(
            days[0].slots[0].start.with_timezone(&Utc).to_rfc3339(),
            "2026-12-01T04:00:00+00:00"
        );
    }
}
