//! Weekly opening plans of a branch: per weekday the opening and closing time and the breaks,
//! valid from a date so that a new plan can be announced ahead.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use std::fmt;

/// Minutes since local midnight.
pub type Minute = u16;

pub fn minute_of(time: NaiveTime) -> Minute {
    (time.hour() * 60 + time.minute()) as Minute
}

pub fn time_of(minute: Minute) -> NaiveTime {
    NaiveTime::from_hms_opt(u32::from(minute / 60), u32::from(minute % 60), 0).unwrap_or_default()
}

/// `HH:MM`, as times are shown and sent.
pub fn hhmm(minute: Minute) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// A half-open span of local time `[start, end)` within one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: Minute,
    pub end: Minute,
}

impl Span {
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Why an opening day was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoursError {
    ClosesBeforeOpening,
    BreakOutsideHours(String),
    BreaksOverlap(String),
}

impl fmt::Display for HoursError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HoursError::ClosesBeforeOpening => {
                f.write_str("the closing time must be after the opening time")
            }
            HoursError::BreakOutsideHours(b) => {
                write!(f, "the break {b} is outside the opening hours")
            }
            HoursError::BreaksOverlap(b) => write!(f, "the break {b} overlaps another break"),
        }
    }
}

/// One weekday's hours: open, close and the breaks in between (sorted, disjoint, inside).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayHours {
    opens: Minute,
    closes: Minute,
    breaks: Vec<Span>,
}

impl DayHours {
    pub fn new(opens: Minute, closes: Minute, mut breaks: Vec<Span>) -> Result<Self, HoursError> {
        if closes <= opens || closes > 24 * 60 {
            return Err(HoursError::ClosesBeforeOpening);
        }
        breaks.sort_by_key(|b| b.start);
        for (i, b) in breaks.iter().enumerate() {
            let label = format!("{}-{}", hhmm(b.start), hhmm(b.end));
            if b.end <= b.start || b.start < opens || b.end > closes {
                return Err(HoursError::BreakOutsideHours(label));
            }
            if i > 0 && breaks[i - 1].end > b.start {
                return Err(HoursError::BreaksOverlap(label));
            }
        }
        Ok(DayHours {
            opens,
            closes,
            breaks,
        })
    }

    pub fn opens(&self) -> Minute {
        self.opens
    }

    pub fn closes(&self) -> Minute {
        self.closes
    }

    pub fn breaks(&self) -> &[Span] {
        &self.breaks
    }

    /// The start of every slot of `duration` minutes that fits between opening and `closes`
    /// without touching a break. After a break the slots restart at its end.
    pub fn slot_starts(&self, closes: Minute, duration: Minute) -> Vec<Minute> {
        let mut starts = Vec::new();
        if duration == 0 {
            return starts;
        }
        let mut t = self.opens;
        while t + duration <= closes {
            let slot = Span {
                start: t,
                end: t + duration,
            };
            match self.breaks.iter().find(|b| b.overlaps(slot)) {
                Some(b) => t = b.end,
                None => {
                    starts.push(t);
                    t += duration;
                }
            }
        }
        starts
    }
}

/// A branch's week from `effective_from` on; `days[0]` is Monday, `None` is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyPlan {
    pub effective_from: NaiveDate,
    pub days: [Option<DayHours>; 7],
}

impl WeeklyPlan {
    pub fn hours_on(&self, date: NaiveDate) -> Option<&DayHours> {
        self.days[date.weekday().num_days_from_monday() as usize].as_ref()
    }
}

/// The plan in force on `date`: the latest one that took effect on or before it.
pub fn plan_on(plans: &[WeeklyPlan], date: NaiveDate) -> Option<&WeeklyPlan> {
    plans
        .iter()
        .filter(|p| p.effective_from <= date)
        .max_by_key(|p| p.effective_from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(a: Minute, b: Minute) -> Span {
        Span { start: a, end: b }
    }

    #[test]
    fn slots_skip_the_lunch_break_and_stop_at_closing() {
        // 09:00-18:00 with lunch 13:00-14:00, 60-minute slots.
        let hours =
            DayHours::new(540, 1080, vec![span(780, 840)]).unwrap_or_else(|e| panic!("{e}"));
        let starts: Vec<String> = hours.slot_starts(1080, 60).into_iter().map(hhmm).collect();
        assert_eq!(
            starts,
            ["09:00", "10:00", "11:00", "12:00", "14:00", "15:00", "16:00", "17:00"]
        );
        // A short day closes an hour earlier.
        assert_eq!(hours.slot_starts(1020, 60).len(), 7);
    }

    #[test]
    fn a_slot_that_would_cross_a_break_restarts_after_it() {
        // 25-minute slots from 09:00; the third (09:50-10:15) crosses the 10:00-10:30 break.
        let hours = DayHours::new(540, 660, vec![span(600, 630)]).unwrap_or_else(|e| panic!("{e}"));
        let starts: Vec<String> = hours.slot_starts(660, 25).into_iter().map(hhmm).collect();
        assert_eq!(starts, ["09:00", "09:25", "10:30"]);
    }

    #[test]
    fn refuses_impossible_hours() {
        assert_eq!(
            DayHours::new(600, 540, vec![]),
            Err(HoursError::ClosesBeforeOpening)
        );
        assert!(matches!(
            DayHours::new(540, 1080, vec![span(500, 560)]),
            Err(HoursError::BreakOutsideHours(_))
        ));
        assert!(matches!(
            DayHours::new(540, 1080, vec![span(700, 800), span(780, 840)]),
            Err(HoursError::BreaksOverlap(_))
        ));
    }

    #[test]
    fn the_latest_plan_in_force_applies() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        let plan = |from| WeeklyPlan {
            effective_from: from,
            days: Default::default(),
        };
        let plans = [plan(d(1, 1)), plan(d(12, 1))];
        assert_eq!(
            plan_on(&plans, d(11, 30)).map(|p| p.effective_from),
            Some(d(1, 1))
        );
        assert_eq!(
            plan_on(&plans, d(12, 1)).map(|p| p.effective_from),
            Some(d(12, 1))
        );
        assert!(plan_on(&plans[1..], d(11, 30)).is_none());
    }
}
