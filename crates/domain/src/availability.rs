//! Which days and times of a branch are free for a service: the slot arithmetic.
//!
//! [`availability`] is a pure function of the branch's plans, counters, the national calendar,
//! closures, the service's duration, the seats already taken and "now". The API feeds it from
//! the database; the tests feed it directly.

use crate::calendar::{local_date, local_instant, HolidayCalendar};
use crate::opening::{plan_on, time_of, Minute, Span};
use crate::Localized;
use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The longest range of dates one availability request may ask for.
pub const MAX_RANGE_DAYS: u64 = 62;

/// When slots can be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingWindow {
    /// How many days ahead of today the last bookable day is (today + `days_ahead`).
    pub days_ahead: u16,
    /// Local time at which the next day is released each day.
    pub release_time: NaiveTime,
    /// Minutes before a slot's start after which it can no longer be booked.
    pub cutoff_minutes: u16,
}

impl Default for BookingWindow {
    fn default() -> Self {
        BookingWindow {
            days_ahead: 30,
            release_time: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            cutoff_minutes: 60,
        }
    }
}

impl BookingWindow {
    /// The last date that can be booked at `now`.
    pub fn last_open_date(&self, now: DateTime<Utc>) -> NaiveDate {
        let today = local_date(now);
        let released_today = crate::calendar::local_time(now) >= self.release_time;
        let ahead = u64::from(self.days_ahead) + u64::from(released_today);
        (today + Days::new(ahead)).pred_opt().unwrap_or(today)
    }

    /// When `date` becomes bookable: its release time, `days_ahead` days before it.
    pub fn opens_at(&self, date: NaiveDate) -> DateTime<FixedOffset> {
        let day = date
            .checked_sub_days(Days::new(u64::from(self.days_ahead)))
            .unwrap_or(date);
        local_instant(day, self.release_time)
    }
}

/// A branch closure (renovation, an event): a span of instants with a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub reason: Localized,
}

/// Everything [`availability`] needs to know.
#[derive(Debug, Clone)]
pub struct AvailabilityInput<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub now: DateTime<Utc>,
    pub plans: &'a [crate::opening::WeeklyPlan],
    /// Counters of the branch that serve this service.
    pub counters: u32,
    /// The most people the hall may hold at once, if the branch caps it.
    pub hall_capacity: Option<u32>,
    pub holidays: &'a HolidayCalendar,
    pub closures: &'a [Closure],
    pub duration_minutes: Minute,
    pub window: BookingWindow,
    /// Seats already taken, by slot start.
    pub taken: &'a HashMap<DateTime<Utc>, u32>,
}

/// How a day looks to a citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayStatus {
    /// At least one time has a free seat.
    Open,
    /// Times exist but every seat is taken.
    Full,
    /// No times at all; `reason` says why.
    Closed,
    /// Beyond the booking window; `opens_at` says when it opens.
    NotYetOpen,
}

/// Why a day is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClosedReason {
    /// The branch does not open on this weekday.
    Weekend,
    /// A public holiday or a day off in its place.
    Holiday,
    /// The branch is closed (renovation, event...).
    Closure,
    /// The day is over.
    Past,
    /// Today, but every remaining time is within the booking cut-off.
    BookingClosed,
    /// No counter serves this service that day.
    NotServed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayReason {
    pub code: ClosedReason,
    /// What to tell the citizen: the holiday's name, the closure's reason...
    pub text: Localized,
}

/// One time a citizen can book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "start": "2026-12-01T09:00:00+05:00", "end": "2026-12-01T10:00:00+05:00", "capacity": 4, "remaining": 3
})))]
pub struct Slot {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub start: DateTime<FixedOffset>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub end: DateTime<FixedOffset>,
    /// Seats in this slot: the counters serving the service, capped by the hall limit.
    pub capacity: u32,
    pub remaining: u32,
}

/// One date of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailabilityDay {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: NaiveDate,
    pub status: DayStatus,
    /// For closed days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<DayReason>,
    /// For days not yet open: when booking opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub opens_at: Option<DateTime<FixedOffset>>,
    /// The working day before a holiday closes an hour earlier.
    #[serde(default)]
    pub short_day: bool,
    /// Bookable times (open and full days only).
    #[serde(default)]
    pub slots: Vec<Slot>,
}

fn text(tk: &str, ru: &str, en: &str) -> Localized {
    Localized::new(tk, ru, en)
}

fn closed(date: NaiveDate, code: ClosedReason, text: Localized) -> AvailabilityDay {
    AvailabilityDay {
        date,
        status: DayStatus::Closed,
        reason: Some(DayReason { code, text }),
        opens_at: None,
        short_day: false,
        slots: Vec::new(),
    }
}

/// The days from `input.from` to `input.to` with their status and bookable slots.
pub fn availability(input: &AvailabilityInput<'_>) -> Vec<AvailabilityDay> {
    let today = local_date(input.now);
    let last_open = input.window.last_open_date(input.now);
    let capacity = input
        .hall_capacity
        .map_or(input.counters, |cap| cap.min(input.counters));
    let cutoff = chrono::Duration::minutes(i64::from(input.window.cutoff_minutes));
    let mut days = Vec::new();
    let mut date = input.from;
    while date <= input.to {
        days.push(day(input, date, today, last_open, capacity, cutoff));
        match date.succ_opt() {
            Some(next) => date = next,
            None => break,
        }
    }
    days
}

fn day(
    input: &AvailabilityInput<'_>,
    date: NaiveDate,
    today: NaiveDate,
    last_open: NaiveDate,
    capacity: u32,
    cutoff: chrono::Duration,
) -> AvailabilityDay {
    if date < today {
        return closed(
            date,
            ClosedReason::Past,
            text("Geçen gün", "Прошедший день", "Past day"),
        );
    }
    let Some(hours) = plan_on(input.plans, date).and_then(|plan| plan.hours_on(date)) else {
        return closed(
            date,
            ClosedReason::Weekend,
            text("Dynç güni", "Выходной день", "Day off"),
        );
    };
    if let Some(holiday) = input.holidays.day_off(date) {
        return closed(date, ClosedReason::Holiday, holiday.name.clone());
    }
    if capacity == 0 {
        return closed(
            date,
            ClosedReason::NotServed,
            text(
                "Bu gün bu hyzmat berilmeýär",
                "В этот день услуга не оказывается",
                "This service is not offered on this day",
            ),
        );
    }
    let short_day = input.holidays.is_pre_holiday(date);
    let closes = if short_day {
        hours.closes().saturating_sub(60).max(hours.opens())
    } else {
        hours.closes()
    };
    let duration = input.duration_minutes;
    let mut blocking_closure = None;
    let slots: Vec<(DateTime<FixedOffset>, DateTime<FixedOffset>)> = hours
        .slot_starts(closes, duration)
        .into_iter()
        .map(|start| {
            let span = Span {
                start,
                end: start + duration,
            };
            (
                local_instant(date, time_of(span.start)),
                local_instant(date, time_of(span.start))
                    + chrono::Duration::minutes(i64::from(duration)),
            )
        })
        .filter(|(start, end)| {
            let hit = input.closures.iter().find(|c| {
                c.starts_at < end.with_timezone(&Utc) && start.with_timezone(&Utc) < c.ends_at
            });
            if let Some(closure) = hit {
                blocking_closure.get_or_insert(closure);
            }
            hit.is_none()
        })
        .collect();
    if slots.is_empty() {
        return match blocking_closure {
            Some(closure) => closed(date, ClosedReason::Closure, closure.reason.clone()),
            None => closed(
                date,
                ClosedReason::Weekend,
                text("Dynç güni", "Выходной день", "Day off"),
            ),
        };
    }
    if date > last_open {
        return AvailabilityDay {
            date,
            status: DayStatus::NotYetOpen,
            reason: None,
            opens_at: Some(input.window.opens_at(date)),
            short_day,
            slots: Vec::new(),
        };
    }
    let bookable: Vec<Slot> = slots
        .into_iter()
        .filter(|(start, _)| start.with_timezone(&Utc) - cutoff >= input.now)
        .map(|(start, end)| {
            let taken = input
                .taken
                .get(&start.with_timezone(&Utc))
                .copied()
                .unwrap_or(0);
            Slot {
                start,
                end,
                capacity,
                remaining: capacity.saturating_sub(taken),
            }
        })
        .collect();
    if bookable.is_empty() {
        let reason = if date == today {
            (
                ClosedReason::BookingClosed,
                text(
                    "Bu gün üçin ýazylyş tamamlandy",
                    "Запись на этот день закрыта",
                    "Booking for this day has closed",
                ),
            )
        } else {
            (
                ClosedReason::Past,
                text("Geçen gün", "Прошедший день", "Past day"),
            )
        };
        let mut day = closed(date, reason.0, reason.1);
        day.short_day = short_day;
        return day;
    }
    let status = if bookable.iter().any(|s| s.remaining > 0) {
        DayStatus::Open
    } else {
        DayStatus::Full
    };
    AvailabilityDay {
        date,
        status,
        reason: None,
        opens_at: None,
        short_day,
        slots: bookable,
    }
}

/// A validated range of dates for an availability request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DateRange {
    /// Parses `from`/`to` (ISO dates, both optional: `from` defaults to `today`, `to` to 30 days
    /// after `from`). Errors are keyed by the parameter name.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
    ) -> Result<DateRange, BTreeMap<String, String>> {
        let mut errors = BTreeMap::new();
        let mut date = |name: &str, value: Option<&str>| -> Option<NaiveDate> {
            let value = value.map(str::trim).filter(|v| !v.is_empty())?;
            match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.insert(
                        name.to_owned(),
                        format!("{value:?} is not a date in the form YYYY-MM-DD"),
                    );
                    None
                }
            }
        };
        let from_value = date("from", from);
        let to_value = date("to", to);
        if !errors.is_empty() {
            return Err(errors);
        }
        let from = from_value.unwrap_or(today);
        let to = to_value.unwrap_or_else(|| from + Days::new(30));
        if to < from {
            errors.insert("to".into(), "must not be before `from`".into());
        } else if (to - from).num_days() >= MAX_RANGE_DAYS as i64 {
            errors.insert(
                "to".into(),
                format!("the range may cover at most {MAX_RANGE_DAYS} days"),
            );
        }
        if errors.is_empty() {
            Ok(DateRange { from, to })
        } else {
            Err(errors)
        }
    }
}

/// For the wire: the ISO weekday (1 = Monday) of a date.
pub fn iso_weekday(date: NaiveDate) -> u32 {
    date.weekday().number_from_monday()
}
