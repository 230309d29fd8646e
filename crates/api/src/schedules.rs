//! Each instance's copy of what decides when a branch offers a service: the branch, the service,
//! the counters serving it, the opening plans, the holidays and the closures (issue #9).
//!
//! These rows change a few times a day and were read again by every hold and every availability
//! request: seven statements before a seat could be taken. Now they are kept here, tagged with
//! the `catalog_version` they were read at. Triggers bump that number on every write to those
//! tables, by any instance, and the booking path reads it in the same statement as the slot
//! ([`crate::db::bookings::probe_slot`]): a copy older than the database is never used to
//! decide, it is reloaded first. Seats taken are never cached.
//!
//! The version is read before the rows, each in its own statement, so a copy can only be newer
//! than its tag, never older: at worst it is reloaded once more than needed.

use crate::db::catalog::{self, BranchRow, ServiceRow};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use nobat_domain::availability::DateRange;
use nobat_domain::availability::{availability, AvailabilityDay, AvailabilityInput, Closure, Slot};
use nobat_domain::calendar::{local_date, local_instant, HolidayCalendar};
use nobat_domain::opening::WeeklyPlan;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Schedules kept at most; beyond it the map starts again (there are a few dozen branches and
/// services, so only made-up codes could reach it, and those are never kept).
const MAX_ENTRIES: usize = 1024;

/// Holidays this far back are loaded: a Sunday holiday moves to a later working day.
const HOLIDAYS_BACK_DAYS: u64 = 14;

/// Holidays and closures this far ahead are loaded: beyond any branch's booking window (at most
/// a year) and the day after it.
const DAYS_AHEAD: u64 = 400;

/// What decides one branch's bookable times for one service, as of one catalog version.
#[derive(Debug)]
pub struct Schedule {
    /// The `catalog_version` read before these rows.
    pub version: i64,
    /// The local date it was loaded on; closures and holidays are loaded from around then.
    pub loaded_on: NaiveDate,
    pub branch: BranchRow,
    pub service: ServiceRow,
    /// Active counters of the branch that serve the service (none: the service is not offered
    /// there).
    pub counters: u32,
    plans: Vec<WeeklyPlan>,
    holidays: HolidayCalendar,
    closures: Vec<Closure>,
}

/// Why there is no schedule for a pair of codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Branch,
    Service,
}

impl Schedule {
    /// Whether the holidays and closures kept reach every day `range` needs (a far-off range
    /// is read from the database instead).
    pub fn covers(&self, range: DateRange) -> bool {
        // Holidays were loaded from HOLIDAYS_BACK_DAYS before `loaded_on`, so any range from
        // `loaded_on` on has the ones that move into it.
        let last = self
            .loaded_on
            .checked_add_days(Days::new(DAYS_AHEAD))
            .unwrap_or(self.loaded_on);
        range.from >= self.loaded_on
            && range
                .to
                .checked_add_days(Days::new(1))
                .is_some_and(|d| d < last)
    }

    /// Whether the branch offers the service at all.
    pub fn offered(&self) -> bool {
        self.counters > 0
    }

    /// The calendar of `range` as seen at `now`, with `taken` seats per slot start.
    pub fn availability(
        &self,
        range: DateRange,
        now: DateTime<Utc>,
        taken: &HashMap<DateTime<Utc>, u32>,
    ) -> Vec<AvailabilityDay> {
        availability(&AvailabilityInput {
            from: range.from,
            to: range.to,
            now,
            plans: &self.plans,
            counters: self.counters,
            hall_capacity: self.branch.hall_capacity(),
            holidays: &self.holidays,
            closures: &self.closures,
            duration_minutes: u16::try_from(self.service.duration_minutes).unwrap_or(30),
            window: self.branch.window(),
            taken,
        })
    }

    /// The bookable time that starts at `start`, if there is one at `now` (seats left are not
    /// considered: the database decides those).
    pub fn bookable_slot(&self, start: DateTime<Utc>, now: DateTime<Utc>) -> Option<Slot> {
        let day = local_date(start);
        self.availability(DateRange { from: day, to: day }, now, &HashMap::new())
            .into_iter()
            .flat_map(|d| d.slots)
            .find(|s| s.start.with_timezone(&Utc) == start)
    }

    /// Reads the schedule of `branch` and `service` (active ones only).
    pub fn load(
        conn: &mut PgConnection,
        branch: &str,
        service: &str,
    ) -> QueryResult<Result<Schedule, Missing>> {
        let version = catalog_version(conn)?;
        let Some(branch) = catalog::find_branch(conn, branch)? else {
            return Ok(Err(Missing::Branch));
        };
        let Some(service) = catalog::find_service(conn, service)? else {
            return Ok(Err(Missing::Service));
        };
        let counters = catalog::counters_serving(conn, branch.id, service.id)?;
        let plans = catalog::weekly_plans(conn, &[branch.id])?
            .remove(&branch.id)
            .unwrap_or_default();
        let now = Utc::now();
        let loaded_on = local_date(now);
        let since = loaded_on
            .checked_sub_days(Days::new(HOLIDAYS_BACK_DAYS))
            .unwrap_or(loaded_on);
        let until = loaded_on
            .checked_add_days(Days::new(DAYS_AHEAD))
            .unwrap_or(loaded_on);
        let holidays = HolidayCalendar::new(catalog::holidays_between(conn, since, until)?);
        // Closures in force from the day it was loaded on.
        let midnight = |d: NaiveDate| local_instant(d, NaiveTime::MIN).with_timezone(&Utc);
        let closures =
            catalog::closures_between(conn, branch.id, midnight(loaded_on), midnight(until))?;
        Ok(Ok(Schedule {
            version,
            loaded_on,
            branch,
            service,
            counters,
            plans,
            holidays,
            closures,
        }))
    }
}

/// The current `catalog_version`.
pub fn catalog_version(conn: &mut PgConnection) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Version {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        version: i64,
    }
    crate::db::prepared::Prepared::new("SELECT version FROM catalog_version")
        .get_result::<Version>(conn)
        .map(|v| v.version)
}

/// The schedules this instance has read, by branch and service code.
#[derive(Debug, Default)]
pub struct Schedules {
    entries: Mutex<HashMap<(String, String), Arc<Schedule>>>,
}

impl Schedules {
    pub fn new() -> Schedules {
        Schedules::default()
    }

    /// The kept schedule, if it was loaded today (its version is not checked: the caller reads
    /// the current version with its next statement and calls [`Schedules::reload`] if it moved).
    pub fn kept(&self, branch: &str, service: &str) -> Option<Arc<Schedule>> {
        let today = local_date(Utc::now());
        let entries = self.entries.lock().ok()?;
        entries
            .get(&(branch.to_owned(), service.to_owned()))
            .filter(|s| s.loaded_on == today)
            .cloned()
    }

    /// The kept schedule, or one read now.
    pub fn get(
        &self,
        conn: &mut PgConnection,
        branch: &str,
        service: &str,
    ) -> QueryResult<Result<Arc<Schedule>, Missing>> {
        match self.kept(branch, service) {
            Some(kept) => Ok(Ok(kept)),
            None => self.reload(conn, branch, service),
        }
    }

    /// The kept schedule if it is still the database's version (one statement), or one read now.
    pub fn current(
        &self,
        conn: &mut PgConnection,
        branch: &str,
        service: &str,
    ) -> QueryResult<Result<Arc<Schedule>, Missing>> {
        match self.get(conn, branch, service)? {
            Ok(kept) if kept.version != catalog_version(conn)? => {
                self.reload(conn, branch, service)
            }
            other => Ok(other),
        }
    }

    /// Reads the schedule again and keeps it (or forgets the codes if they no longer name an
    /// active branch and service).
    pub fn reload(
        &self,
        conn: &mut PgConnection,
        branch: &str,
        service: &str,
    ) -> QueryResult<Result<Arc<Schedule>, Missing>> {
        let key = (branch.to_owned(), service.to_owned());
        let loaded = Schedule::load(conn, branch, service)?.map(Arc::new);
        if let Ok(mut entries) = self.entries.lock() {
            match &loaded {
                Ok(schedule) => {
                    if entries.len() >= MAX_ENTRIES {
                        entries.clear();
                    }
                    // A concurrent reload may have kept a newer one.
                    let newer = entries
                        .get(&key)
                        .is_some_and(|kept| kept.version > schedule.version);
                    if !newer {
                        entries.insert(key, schedule.clone());
                    }
                }
                Err(_) => {
                    entries.remove(&key);
                }
            }
        }
        Ok(loaded)
    }
}
