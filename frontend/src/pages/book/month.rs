//! A calendar month: the grid the booking calendar draws (weeks from Monday) and the dates it asks
//! the API about.

use chrono::{Datelike, Days, NaiveDate};

/// A month of a year; ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    /// 1 = January ... 12 = December.
    month: u32,
}

impl Month {
    /// The month `date` falls in.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 = January ... 12 = December.
    pub fn number(self) -> u32 {
        self.month
    }

    pub fn first(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn last(self) -> NaiveDate {
        self.next().first().pred_opt().unwrap_or_default()
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        Month::of(date) == self
    }

    /// The dates to ask availability for: from the first of the month or `today`, whichever is
    /// later, to the last of the month; `None` when the whole month is past.
    pub fn range_from(self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let from = self.first().max(today);
        let to = self.last();
        (from <= to).then_some((from, to))
    }

    /// The month as weeks from Monday to Sunday; cells outside the month are `None`.
    pub fn weeks(self) -> Vec<[Option<NaiveDate>; 7]> {
        let first = self.first();
        let lead = first.weekday().num_days_from_monday() as usize;
        let mut weeks = Vec::new();
        let mut week = [None; 7];
        let mut column = lead;
        let mut date = first;
        while self.contains(date) {
            week[column] = Some(date);
            column += 1;
            if column == 7 {
                weeks.push(week);
                week = [None; 7];
                column = 0;
            }
            match date.checked_add_days(Days::new(1)) {
                Some(next) => date = next,
                None => break,
            }
        }
        if column > 0 {
            weeks.push(week);
        }
        weeks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn months_step_over_years() {
        let december = Month::of(date(2026, 12, 12));
        assert_eq!(december.next(), Month::of(date(2027, 1, 1)));
        assert_eq!(december.next().previous(), december);
        assert_eq!(Month::of(date(2027, 1, 31)).previous(), december);
        assert!(december < december.next());
        assert_eq!(december.first(), date(2026, 12, 1));
        assert_eq!(december.last(), date(2026, 12, 31));
        assert_eq!(Month::of(date(2028, 2, 3)).last(), date(2028, 2, 29));
    }

    #[test]
    fn the_grid_starts_on_monday() {
        // 1 December 2026 is a Tuesday; 31 December a Thursday.
        let weeks = Month::of(date(2026, 12, 1)).weeks();
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks[0][0], None);
        assert_eq!(weeks[0][1], Some(date(2026, 12, 1)));
        assert_eq!(weeks[0][6], Some(date(2026, 12, 6)));
        assert_eq!(weeks[4][3], Some(date(2026, 12, 31)));
        assert_eq!(weeks[4][4], None);
        let days: usize = weeks.iter().map(|w| w.iter().flatten().count()).sum();
        assert_eq!(days, 31);
        // February 2027 starts on a Monday and fills exactly four weeks.
        let february = Month::of(date(2027, 2, 1)).weeks();
        assert_eq!(february.len(), 4);
        assert_eq!(february[0][0], Some(date(2027, 2, 1)));
        assert_eq!(february[3][6], Some(date(2027, 2, 28)));
    }

    #[test]
    fn the_asked_range_starts_today_at_the_earliest() {
        let today = date(2026, 11, 26);
        assert_eq!(
            Month::of(today).range_from(today),
            Some((today, date(2026, 11, 30)))
        );
        assert_eq!(
            Month::of(date(2026, 12, 1)).range_from(today),
            Some((date(2026, 12, 1), date(2026, 12, 31)))
        );
        assert_eq!(Month::of(date(2026, 10, 1)).range_from(today), None);
        let (from, to) = Month::of(date(2027, 1, 1))
            .range_from(today)
            .unwrap_or_default();
        assert!((to - from).num_days() < 62, "the API's limit");
    }
}
