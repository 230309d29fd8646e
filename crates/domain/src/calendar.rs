//! Time in Turkmenistan and the national calendar of days off.
//!
//! Local time is Asia/Ashgabat (UTC+5, no daylight saving). Instants are UTC; every conversion
//! goes through [`ZONE`], never through the machine's own zone.
//!
//! Public holidays are data (decrees set the movable ones each year). The rules applied on top:
//! a holiday on a Sunday gives a day off on the next working day (Monday to Friday, not itself a
//! day off) unless a decree already named the transferred day; a holiday on a Saturday does not
//! move; the working day immediately before a day off for a holiday is one hour shorter.

use crate::Localized;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The service's time zone.
pub const ZONE: Tz = chrono_tz::Asia::Ashgabat;

/// The local calendar date of an instant.
pub fn local_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&ZONE).date_naive()
}

/// The local wall-clock time of an instant.
pub fn local_time(instant: DateTime<Utc>) -> NaiveTime {
    instant.with_timezone(&ZONE).time()
}

/// The instant of a local date and time, with the `+05:00` offset it is shown with.
pub fn local_instant(date: NaiveDate, time: NaiveTime) -> DateTime<FixedOffset> {
    let naive = date.and_time(time);
    match ZONE.from_local_datetime(&naive).earliest() {
        Some(local) => local.fixed_offset(),
        // Unreachable for Ashgabat (no gaps since 1992); fall back to the standard offset.
        None => FixedOffset::east_opt(5 * 3600)
            .and_then(|offset| offset.from_local_datetime(&naive).earliest())
            .unwrap_or_else(|| DateTime::<Utc>::MIN_UTC.fixed_offset()),
    }
}

/// Where a day off comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// A holiday on the same date every year (1 January, 27 September...).
    Fixed,
    /// A religious holiday whose date is decreed each year (Oraza, Gurban bayramy).
    Movable,
    /// A one-off day off decreed by the government.
    Extra,
    /// The day off that replaces a holiday falling on a Sunday.
    Transfer,
}

/// A day off as stored: the date, its name in three languages, and its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub kind: HolidayKind,
    pub name: Localized,
    /// Not yet confirmed by decree (movable dates announced later).
    pub provisional: bool,
    /// For a transfer: the Sunday holiday it replaces.
    pub transferred_from: Option<NaiveDate>,
}

/// The national days off with the transfer rule applied.
#[derive(Debug, Clone, Default)]
pub struct HolidayCalendar {
    /// The first holiday of each day off (what a closed day is called).
    days_off: BTreeMap<NaiveDate, Holiday>,
    /// Every stored holiday and computed transfer, by date (two may share a date).
    entries: Vec<Holiday>,
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

impl HolidayCalendar {
    /// Builds the calendar from stored holidays, adding the transfer of every Sunday holiday
    /// that no stored transfer covers.
    pub fn new(mut holidays: Vec<Holiday>) -> Self {
        holidays.sort_by_key(|h| (h.date, h.kind));
        let mut days_off: BTreeMap<NaiveDate, Holiday> = BTreeMap::new();
        for holiday in &holidays {
            days_off
                .entry(holiday.date)
                .or_insert_with(|| holiday.clone());
        }
        let decreed_transfers: Vec<NaiveDate> =
            holidays.iter().filter_map(|h| h.transferred_from).collect();
        let sundays: Vec<Holiday> = holidays
            .iter()
            .filter(|h| h.kind != HolidayKind::Transfer && h.date.weekday() == Weekday::Sun)
            .filter(|h| !decreed_transfers.contains(&h.date))
            .cloned()
            .collect();
        for holiday in sundays {
            let mut day = holiday.date;
            // The next weekday that is not already off (bounded: a fortnight is plenty).
            for _ in 0..14 {
                let Some(next) = day.succ_opt() else { break };
                day = next;
                if !is_weekend(day) && !days_off.contains_key(&day) {
                    let transfer = Holiday {
                        date: day,
                        kind: HolidayKind::Transfer,
                        name: transfer_name(&holiday.name),
                        provisional: holiday.provisional,
                        transferred_from: Some(holiday.date),
                    };
                    days_off.insert(day, transfer.clone());
                    holidays.push(transfer);
                    break;
                }
            }
        }
        holidays.sort_by_key(|h| (h.date, h.kind));
        HolidayCalendar {
            days_off,
            entries: holidays,
        }
    }

    /// The holiday that makes `date` a day off, if any.
    pub fn day_off(&self, date: NaiveDate) -> Option<&Holiday> {
        self.days_off.get(&date)
    }

    /// Whether `date` is the working day immediately before a holiday (one hour shorter).
    pub fn is_pre_holiday(&self, date: NaiveDate) -> bool {
        self.day_off(date).is_none()
            && date
                .succ_opt()
                .is_some_and(|next| self.days_off.contains_key(&next))
    }

    /// Every holiday and transfer between `from` and `to` inclusive, in date order.
    pub fn between(&self, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = &Holiday> {
        self.entries
            .iter()
            .filter(move |h| h.date >= from && h.date <= to)
    }
}

/// The name of the day off that replaces `original` when it falls on a Sunday.
pub fn transfer_name(original: &Localized) -> Localized {
    Localized::new(
        format!("{} (dynç güni geçirildi)", original.tk),
        format!("{} (перенос выходного дня)", original.ru),
        format!("{} (day off moved from Sunday)", original.en),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn holiday(d: NaiveDate, kind: HolidayKind) -> Holiday {
        Holiday {
            date: d,
            kind,
            name: Localized::new(format!("h{d}"), "", ""),
            provisional: false,
            transferred_from: None,
        }
    }

    #[test]
    fn a_sunday_holiday_moves_to_monday() {
        // 8 March 2026 is a Sunday.
        let calendar = HolidayCalendar::new(vec![holiday(date(2026, 3, 8), HolidayKind::Fixed)]);
        let monday = calendar.day_off(date(2026, 3, 9));
        assert_eq!(monday.map(|h| h.kind), Some(HolidayKind::Transfer));
        assert_eq!(
            monday.and_then(|h| h.transferred_from),
            Some(date(2026, 3, 8))
        );
    }

    #[test]
    fn a_saturday_holiday_does_not_move() {
        // 12 December 2026 is a Saturday.
        let calendar = HolidayCalendar::new(vec![holiday(date(2026, 12, 12), HolidayKind::Fixed)]);
        assert!(calendar.day_off(date(2026, 12, 14)).is_none());
        assert!(calendar.day_off(date(2026, 12, 12)).is_some());
    }

    #[test]
    fn a_transfer_skips_days_that_are_already_off() {
        // Nowruz 2027: 21 March is a Sunday, 22 March (Monday) is itself a holiday.
        let calendar = HolidayCalendar::new(vec![
            holiday(date(2027, 3, 21), HolidayKind::Fixed),
            holiday(date(2027, 3, 22), HolidayKind::Fixed),
        ]);
        assert_eq!(
            calendar.day_off(date(2027, 3, 23)).map(|h| h.kind),
            Some(HolidayKind::Transfer)
        );
    }

    #[test]
    fn a_decreed_transfer_replaces_the_computed_one() {
        // 27 September 2026 (Sunday); the decree names 28 September.
        let mut transfer = holiday(date(2026, 9, 28), HolidayKind::Transfer);
        transfer.transferred_from = Some(date(2026, 9, 27));
        let calendar = HolidayCalendar::new(vec![
            holiday(date(2026, 9, 27), HolidayKind::Fixed),
            transfer,
        ]);
        assert!(calendar.day_off(date(2026, 9, 28)).is_some());
        assert!(calendar.day_off(date(2026, 9, 29)).is_none());
    }

    #[test]
    fn the_day_before_a_holiday_is_short_but_not_the_holiday_itself() {
        // Oraza 20 March 2026 (Friday) then Nowruz 21-22 March.
        let calendar = HolidayCalendar::new(vec![
            holiday(date(2026, 3, 20), HolidayKind::Movable),
            holiday(date(2026, 3, 21), HolidayKind::Fixed),
        ]);
        assert!(calendar.is_pre_holiday(date(2026, 3, 19)));
        assert!(!calendar.is_pre_holiday(date(2026, 3, 20)));
        assert!(!calendar.is_pre_holiday(date(2026, 3, 18)));
    }

    #[test]
    fn local_instants_carry_plus_five() {
        let instant = local_instant(
            date(2026, 12, 1),
            NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
        );
        assert_eq!(instant.to_rfc3339(), "2026-12-01T09:00:00+05:00");
        assert_eq!(local_date(instant.with_timezone(&Utc)), date(2026, 12, 1));
        // 20:00 UTC is already tomorrow in Aşgabat.
        let late = Utc
            .with_ymd_and_hms(2026, 12, 1, 20, 0, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(local_date(late), date(2026, 12, 2));
    }
}
