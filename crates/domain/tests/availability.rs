//! The slot arithmetic: examples from the Turkmen calendar and properties over random plans.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use nobat_domain::availability::{
    availability, AvailabilityInput, BookingWindow, ClosedReason, Closure, DateRange, DayStatus,
};
use nobat_domain::calendar::{local_date, local_instant, Holiday, HolidayCalendar, HolidayKind};
use nobat_domain::opening::{minute_of, DayHours, Span, WeeklyPlan};
use nobat_domain::Localized;
use proptest::prelude::*;
use std::collections::HashMap;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    local_instant(date(y, m, d), NaiveTime::from_hms_opt(h, min, 0).unwrap()).with_timezone(&Utc)
}

/// Monday to Friday 09:00-18:00 with lunch 13:00-14:00.
fn office_week() -> WeeklyPlan {
    let day = || {
        Some(
            DayHours::new(
                540,
                1080,
                vec![Span {
                    start: 780,
                    end: 840,
                }],
            )
            .unwrap(),
        )
    };
    WeeklyPlan {
        effective_from: date(2020, 1, 1),
        days: [day(), day(), day(), day(), day(), None, None],
    }
}

fn holiday(d: NaiveDate, kind: HolidayKind, name: &str) -> Holiday {
    Holiday {
        date: d,
        kind,
        name: Localized::new(name, name, name),
        provisional: false,
        transferred_from: None,
    }
}

#[derive(Debug)]
struct Case {
    plans: Vec<WeeklyPlan>,
    holidays: HolidayCalendar,
    closures: Vec<Closure>,
    taken: HashMap<DateTime<Utc>, u32>,
    counters: u32,
    hall: Option<u32>,
    duration: u16,
    window: BookingWindow,
    now: DateTime<Utc>,
}

impl Case {
    fn new(now: DateTime<Utc>) -> Case {
        Case {
            plans: vec![office_week()],
            holidays: HolidayCalendar::default(),
            closures: vec![],
            taken: HashMap::new(),
            counters: 4,
            hall: None,
            duration: 60,
            window: BookingWindow::default(),
            now,
        }
    }

    fn run(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<nobat_domain::availability::AvailabilityDay> {
        availability(&AvailabilityInput {
            from,
            to,
            now: self.now,
            plans: &self.plans,
            counters: self.counters,
            hall_capacity: self.hall,
            holidays: &self.holidays,
            closures: &self.closures,
            duration_minutes: self.duration,
            window: self.window,
            taken: &self.taken,
        })
    }
}

#[test]
fn a_plain_week_has_weekdays_open_and_the_weekend_closed() {
    // Now: Monday 30 November 2026, 08:00 in Aşgabat.
    let case = Case::new(at(2026, 11, 30, 8, 0));
    let days = case.run(date(2026, 11, 30), date(2026, 12, 6));
    let statuses: Vec<DayStatus> = days.iter().map(|d| d.status).collect();
    use DayStatus::*;
    assert_eq!(statuses, [Open, Open, Open, Open, Open, Closed, Closed]);
    assert_eq!(
        days[5].reason.as_ref().map(|r| r.code),
        Some(ClosedReason::Weekend)
    );
    // Today: 09:00 is within the 60-minute cut-off of 08:00? No: 09:00 - 60 min = 08:00 >= now.
    assert_eq!(days[0].slots.len(), 8);
    assert_eq!(
        days[1].slots[0].start.to_rfc3339(),
        "2026-12-01T09:00:00+05:00"
    );
    assert_eq!(
        days[1].slots[0].end.to_rfc3339(),
        "2026-12-01T10:00:00+05:00"
    );
    assert!(days[1]
        .slots
        .iter()
        .all(|s| s.capacity == 4 && s.remaining == 4));
}

#[test]
fn the_cut_off_hides_times_too_close_to_now() {
    let case = Case::new(at(2026, 11, 30, 10, 30));
    let today = &case.run(date(2026, 11, 30), date(2026, 11, 30))[0];
    // 11:00 and 12:00 start less than 60 minutes after... 11:00 - 60 = 10:00 < 10:30: hidden.
    let starts: Vec<String> = today
        .slots
        .iter()
        .map(|s| s.start.format("%H:%M").to_string())
        .collect();
    assert_eq!(starts, ["12:00", "14:00", "15:00", "16:00", "17:00"]);
    let evening = Case::new(at(2026, 11, 30, 16, 30));
    let today = &evening.run(date(2026, 11, 30), date(2026, 11, 30))[0];
    assert_eq!(today.status, DayStatus::Closed);
    assert_eq!(
        today.reason.as_ref().map(|r| r.code),
        Some(ClosedReason::BookingClosed)
    );
}

#[test]
fn holidays_close_the_day_with_their_name_and_shorten_the_day_before() {
    let mut case = Case::new(at(2026, 3, 2, 8, 0));
    case.holidays = HolidayCalendar::new(vec![
        holiday(
            date(2026, 3, 8),
            HolidayKind::Fixed,
            "Halkara zenanlar güni",
        ),
        holiday(date(2026, 3, 20), HolidayKind::Movable, "Oraza baýramy"),
    ]);
    let days = case.run(date(2026, 3, 9), date(2026, 3, 20));
    // 8 March is a Sunday: Monday 9 March is off in its place.
    assert_eq!(days[0].status, DayStatus::Closed);
    assert_eq!(
        days[0].reason.as_ref().map(|r| r.code),
        Some(ClosedReason::Holiday)
    );
    assert!(days[0]
        .reason
        .as_ref()
        .unwrap()
        .text
        .tk
        .starts_with("Halkara zenanlar güni"));
    // Thursday 19 March closes at 17:00 instead of 18:00.
    let thursday = &days[10];
    assert_eq!(thursday.date, date(2026, 3, 19));
    assert!(thursday.short_day);
    assert_eq!(
        thursday
            .slots
            .last()
            .unwrap()
            .end
            .format("%H:%M")
            .to_string(),
        "17:00"
    );
    assert_eq!(days[11].reason.as_ref().unwrap().text.tk, "Oraza baýramy");
}

#[test]
fn days_beyond_the_window_say_when_they_open() {
    let mut case = Case::new(at(2026, 11, 30, 7, 0));
    case.window.days_ahead = 3;
    let days = case.run(date(2026, 12, 2), date(2026, 12, 4));
    assert_eq!(days[0].status, DayStatus::Open); // 2 Dec: today + 2
                                                 // Before 08:00 release, today + 3 (3 Dec) is not open yet; it opens today at 08:00.
    assert_eq!(days[1].status, DayStatus::NotYetOpen);
    assert_eq!(
        days[1].opens_at.unwrap().to_rfc3339(),
        "2026-11-30T08:00:00+05:00"
    );
    assert_eq!(
        days[2].opens_at.unwrap().to_rfc3339(),
        "2026-12-01T08:00:00+05:00"
    );
    // After the release, 3 December is open.
    case.now = at(2026, 11, 30, 8, 0);
    assert_eq!(
        case.run(date(2026, 12, 3), date(2026, 12, 3))[0].status,
        DayStatus::Open
    );
}

#[test]
fn seats_taken_lower_remaining_and_a_full_day_is_full() {
    let mut case = Case::new(at(2026, 11, 30, 8, 0));
    case.counters = 2;
    let first = at(2026, 12, 1, 9, 0);
    case.taken.insert(first, 1);
    let day = &case.run(date(2026, 12, 1), date(2026, 12, 1))[0];
    assert_eq!((day.slots[0].capacity, day.slots[0].remaining), (2, 1));
    assert_eq!(day.slots[1].remaining, 2);
    for slot in &day.slots {
        case.taken.insert(slot.start.with_timezone(&Utc), 2);
    }
    let day = &case.run(date(2026, 12, 1), date(2026, 12, 1))[0];
    assert_eq!(day.status, DayStatus::Full);
    assert!(day.slots.iter().all(|s| s.remaining == 0));
}

#[test]
fn the_hall_cap_limits_capacity_and_no_counter_means_not_served() {
    let mut case = Case::new(at(2026, 11, 30, 8, 0));
    case.hall = Some(3);
    case.counters = 5;
    assert_eq!(
        case.run(date(2026, 12, 1), date(2026, 12, 1))[0].slots[0].capacity,
        3
    );
    case.counters = 0;
    let day = &case.run(date(2026, 12, 1), date(2026, 12, 1))[0];
    assert_eq!(
        day.reason.as_ref().map(|r| r.code),
        Some(ClosedReason::NotServed)
    );
}

#[test]
fn a_closure_removes_its_hours_or_the_whole_day_with_its_reason() {
    let mut case = Case::new(at(2026, 11, 30, 8, 0));
    case.closures = vec![
        Closure {
            starts_at: at(2026, 12, 1, 9, 0),
            ends_at: at(2026, 12, 1, 11, 30),
            reason: Localized::new("Abatlaýyş", "Ремонт", "Renovation"),
        },
        Closure {
            starts_at: at(2026, 12, 2, 0, 0),
            ends_at: at(2026, 12, 3, 0, 0),
            reason: Localized::new("Abatlaýyş", "Ремонт", "Renovation"),
        },
    ];
    let days = case.run(date(2026, 12, 1), date(2026, 12, 2));
    assert_eq!(days[0].slots[0].start.format("%H:%M").to_string(), "12:00");
    assert_eq!(days[1].status, DayStatus::Closed);
    assert_eq!(days[1].reason.as_ref().unwrap().text.en, "Renovation");
}

#[test]
fn past_days_are_closed() {
    let case = Case::new(at(2026, 12, 2, 8, 0));
    let day = &case.run(date(2026, 12, 1), date(2026, 12, 1))[0];
    assert_eq!(
        day.reason.as_ref().map(|r| r.code),
        Some(ClosedReason::Past)
    );
}

#[test]
fn date_ranges_are_validated_by_field() {
    let today = date(2026, 12, 1);
    let range = DateRange::parse(None, None, today).unwrap();
    assert_eq!((range.from, range.to), (today, date(2026, 12, 31)));
    assert!(DateRange::parse(Some("2026-12-01"), Some("2027-01-31"), today).is_ok());
    let too_long = DateRange::parse(Some("2026-12-01"), Some("2027-02-01"), today).unwrap_err();
    assert!(too_long["to"].contains("62"));
    let bad = DateRange::parse(Some("1.12.2026"), Some("tomorrow"), today).unwrap_err();
    assert!(bad.contains_key("from") && bad.contains_key("to"));
    let reversed = DateRange::parse(Some("2026-12-05"), Some("2026-12-01"), today).unwrap_err();
    assert!(reversed.contains_key("to"));
}

// -- properties ------------------------------------------------------------------------------

fn arb_hours() -> impl Strategy<Value = Option<DayHours>> {
    prop_oneof![
        1 => Just(None),
        4 => (6u16..11, 14u16..20, proptest::option::of((11u16..13, 20u16..90))).prop_map(
            |(open_h, close_h, lunch)| {
                let breaks = lunch
                    .map(|(h, len)| vec![Span { start: h * 60, end: h * 60 + len }])
                    .unwrap_or_default();
                DayHours::new(open_h * 60, close_h * 60, breaks).ok()
            }
        ),
    ]
}

prop_compose! {
    fn arb_case()(
        days in proptest::array::uniform7(arb_hours()),
        holiday_offsets in proptest::collection::vec(0u64..40, 0..6),
        closure in proptest::option::of((0u64..40, 0u32..24, 1u32..30)),
        counters in 0u32..6,
        hall in proptest::option::of(1u32..5),
        duration in prop_oneof![Just(15u16), Just(20), Just(30), Just(45), Just(60)],
        days_ahead in 1u16..40,
        cutoff in 0u16..180,
        now_offset_min in 0i64..(40 * 24 * 60),
        taken_seed in 0u32..6,
    ) -> (Case, NaiveDate) {
        let base = date(2026, 11, 23);
        let now = at(2026, 11, 23, 0, 0) + Duration::minutes(now_offset_min);
        let mut case = Case::new(now);
        case.plans = vec![WeeklyPlan { effective_from: date(2020, 1, 1), days }];
        case.holidays = HolidayCalendar::new(holiday_offsets.iter().map(|o| {
            holiday(base + chrono::Days::new(*o), HolidayKind::Fixed, "H")
        }).collect());
        case.closures = closure.map(|(day, hour, hours)| {
            let start = at(2026, 11, 23, 0, 0) + Duration::days(day as i64) + Duration::hours(hour as i64);
            vec![Closure { starts_at: start, ends_at: start + Duration::hours(hours as i64), reason: Localized::new("C", "C", "C") }]
        }).unwrap_or_default();
        case.counters = counters;
        case.hall = hall;
        case.duration = duration;
        case.window = BookingWindow { days_ahead, release_time: NaiveTime::from_hms_opt(8, 0, 0).unwrap(), cutoff_minutes: cutoff };
        // Some seats taken in every slot of the first days.
        for d in 0..40u64 {
            for m in (0..24 * 60).step_by(15) {
                let t = local_instant(base + chrono::Days::new(d), NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap());
                if (d as u32 + m) % 7 == 0 { case.taken.insert(t.with_timezone(&Utc), taken_seed); }
            }
        }
        (case, base)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_offered_slot_respects_every_rule((case, base) in arb_case()) {
        let to = base + chrono::Days::new(45);
        let days = case.run(base, to);
        prop_assert_eq!(days.len(), 46);
        let capacity = case.hall.map_or(case.counters, |h| h.min(case.counters));
        let last_open = case.window.last_open_date(case.now);
        for day in &days {
            let hours = case.plans[0].hours_on(day.date);
            if day.slots.is_empty() { continue; }
            prop_assert!(matches!(day.status, DayStatus::Open | DayStatus::Full));
            prop_assert!(!matches!(day.date.weekday(), Weekday::Sat | Weekday::Sun) || hours.is_some());
            let hours = hours.expect("slots only on days with hours");
            prop_assert!(case.holidays.day_off(day.date).is_none(), "slot on a holiday");
            prop_assert!(day.date <= last_open, "slot beyond the window");
            let closes = if case.holidays.is_pre_holiday(day.date) { hours.closes() - 60 } else { hours.closes() };
            for slot in &day.slots {
                prop_assert_eq!(slot.start.offset().local_minus_utc(), 5 * 3600);
                prop_assert_eq!(slot.start.date_naive(), day.date);
                let start = minute_of(slot.start.time());
                let end = start + case.duration;
                prop_assert!(start >= hours.opens() && end <= closes, "outside hours");
                for b in hours.breaks() {
                    prop_assert!(!(Span { start, end }).overlaps(*b), "inside a break");
                }
                let s = slot.start.with_timezone(&Utc);
                let e = slot.end.with_timezone(&Utc);
                prop_assert_eq!(e - s, Duration::minutes(case.duration as i64));
                for c in &case.closures {
                    prop_assert!(!(c.starts_at < e && s < c.ends_at), "inside a closure");
                }
                prop_assert!(s - Duration::minutes(case.window.cutoff_minutes as i64) >= case.now, "past the cut-off");
                prop_assert_eq!(slot.capacity, capacity);
                prop_assert!(slot.remaining <= slot.capacity);
                let taken = case.taken.get(&s).copied().unwrap_or(0);
                prop_assert_eq!(slot.remaining, capacity.saturating_sub(taken));
            }
        }
        // Nothing before today is open.
        let today = local_date(case.now);
        for day in days.iter().filter(|d| d.date < today) {
            prop_assert_eq!(day.status, DayStatus::Closed);
        }
    }

    #[test]
    fn holidays_on_sundays_always_give_a_weekday_off(year in 2026i32..2040, month in 1u32..13, day in 1u32..29) {
        let d = date(year, month, day);
        let calendar = HolidayCalendar::new(vec![holiday(d, HolidayKind::Fixed, "H")]);
        let next_week: Vec<NaiveDate> = (1..8).map(|i| d + chrono::Days::new(i)).collect();
        let transfers: Vec<&NaiveDate> = next_week.iter().filter(|x| calendar.day_off(**x).is_some()).collect();
        match d.weekday() {
            Weekday::Sun => {
                prop_assert_eq!(transfers.len(), 1);
                prop_assert_eq!(transfers[0].weekday(), Weekday::Mon);
            }
            _ => prop_assert!(transfers.is_empty()),
        }
    }
}

#[test]
fn a_utc_instant_is_a_local_date_at_any_hour() {
    // 2026-12-01 19:00 UTC = 2026-12-02 00:00 in Aşgabat.
    let t = Utc.with_ymd_and_hms(2026, 12, 1, 19, 0, 0).unwrap();
    assert_eq!(local_date(t), date(2026, 12, 2));
}
