//! Queries for branches, services, counters, opening plans, holidays and closures, and their
//! conversion into domain types.

use super::schema::{
    branch_closures, branches, counter_services, counters, holidays, opening_breaks, opening_hours,
    opening_plans, services,
};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use nobat_domain::availability::Closure;
use nobat_domain::calendar::{Holiday, HolidayKind};
use nobat_domain::catalog::{
    BookingSettings, Branch, Code, Exemption, GeoPoint, OpeningDay, Service, TimeSpan,
};
use nobat_domain::opening::{hhmm, minute_of, DayHours, Span, WeeklyPlan};
use nobat_domain::{Localized, LocalizedList, Money, Region};
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = services, check_for_backend(diesel::pg::Pg))]
pub struct ServiceRow {
    pub id: i32,
    pub code: String,
    pub name_tk: String,
    pub name_ru: String,
    pub name_en: String,
    pub description_tk: String,
    pub description_ru: String,
    pub description_en: String,
    pub documents_tk: Vec<String>,
    pub documents_ru: Vec<String>,
    pub documents_en: Vec<String>,
    pub duration_minutes: i16,
    pub fee_minor: i64,
    pub exemptions: Vec<String>,
    pub queue_prefix: String,
}

impl ServiceRow {
    pub fn to_wire(&self) -> Service {
        Service {
            code: stored_code(&self.code),
            name: Localized::new(&self.name_tk, &self.name_ru, &self.name_en),
            description: Localized::new(
                &self.description_tk,
                &self.description_ru,
                &self.description_en,
            ),
            documents: LocalizedList {
                tk: self.documents_tk.clone(),
                ru: self.documents_ru.clone(),
                en: self.documents_en.clone(),
            },
            duration_minutes: u16::try_from(self.duration_minutes).unwrap_or(0),
            fee: Money::tmt(self.fee_minor),
            exemptions: self
                .exemptions
                .iter()
                .filter_map(|e| Exemption::parse(e))
                .collect(),
        }
    }
}

/// Codes in the database passed the same CHECK as [`Code::parse`].
fn stored_code(code: &str) -> Code {
    Code::from_database(code)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = branches, check_for_backend(diesel::pg::Pg))]
pub struct BranchRow {
    pub id: i32,
    pub code: String,
    pub region: String,
    pub name_tk: String,
    pub name_ru: String,
    pub name_en: String,
    pub address_tk: String,
    pub address_ru: String,
    pub address_en: String,
    pub phone: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub days_ahead: i16,
    pub release_time: NaiveTime,
    pub cutoff_minutes: i16,
    pub hall_capacity: Option<i32>,
    pub sort_order: i32,
}

impl BranchRow {
    pub fn region(&self) -> Region {
        Region::parse(&self.region).unwrap_or(Region::Ashgabat)
    }

    pub fn name(&self) -> Localized {
        Localized::new(&self.name_tk, &self.name_ru, &self.name_en)
    }

    pub fn window(&self) -> nobat_domain::availability::BookingWindow {
        nobat_domain::availability::BookingWindow {
            days_ahead: u16::try_from(self.days_ahead).unwrap_or(30),
            release_time: self.release_time,
            cutoff_minutes: u16::try_from(self.cutoff_minutes).unwrap_or(60),
        }
    }

    pub fn hall_capacity(&self) -> Option<u32> {
        self.hall_capacity.and_then(|c| u32::try_from(c).ok())
    }

    /// The wire form, with the services offered and the plan in force on `today`.
    pub fn to_wire(&self, services: Vec<Code>, plans: &[WeeklyPlan], today: NaiveDate) -> Branch {
        let region = self.region();
        Branch {
            code: stored_code(&self.code),
            name: self.name(),
            region,
            region_name: region.name(),
            address: Localized::new(&self.address_tk, &self.address_ru, &self.address_en),
            phone: self.phone.clone(),
            location: self
                .latitude
                .zip(self.longitude)
                .map(|(latitude, longitude)| GeoPoint {
                    latitude,
                    longitude,
                }),
            services,
            opening_hours: nobat_domain::opening::plan_on(plans, today)
                .map(opening_days)
                .unwrap_or_default(),
            booking: BookingSettings {
                days_ahead: u16::try_from(self.days_ahead).unwrap_or(30),
                release_time: hhmm(minute_of(self.release_time)),
                cutoff_minutes: u16::try_from(self.cutoff_minutes).unwrap_or(60),
                hall_capacity: self.hall_capacity(),
            },
        }
    }
}

/// The open weekdays of a plan, as the API shows them.
pub fn opening_days(plan: &WeeklyPlan) -> Vec<OpeningDay> {
    plan.days
        .iter()
        .enumerate()
        .filter_map(|(i, day)| {
            let day = day.as_ref()?;
            Some(OpeningDay {
                weekday: i as u8 + 1,
                opens: hhmm(day.opens()),
                closes: hhmm(day.closes()),
                breaks: day
                    .breaks()
                    .iter()
                    .map(|b| TimeSpan {
                        starts: hhmm(b.start),
                        ends: hhmm(b.end),
                    })
                    .collect(),
            })
        })
        .collect()
}

pub fn active_services(conn: &mut PgConnection) -> QueryResult<Vec<ServiceRow>> {
    services::table
        .filter(services::active.eq(true))
        .order((services::sort_order, services::code))
        .select(ServiceRow::as_select())
        .load(conn)
}

pub fn find_service(conn: &mut PgConnection, code: &str) -> QueryResult<Option<ServiceRow>> {
    services::table
        .filter(services::code.eq(code))
        .filter(services::active.eq(true))
        .select(ServiceRow::as_select())
        .first(conn)
        .optional()
}

pub fn active_branches(
    conn: &mut PgConnection,
    region: Option<Region>,
) -> QueryResult<Vec<BranchRow>> {
    let mut query = branches::table
        .filter(branches::active.eq(true))
        .select(BranchRow::as_select())
        .into_boxed();
    if let Some(region) = region {
        query = query.filter(branches::region.eq(region.code()));
    }
    query.load(conn)
}

pub fn find_branch(conn: &mut PgConnection, code: &str) -> QueryResult<Option<BranchRow>> {
    branches::table
        .filter(branches::code.eq(code))
        .filter(branches::active.eq(true))
        .select(BranchRow::as_select())
        .first(conn)
        .optional()
}

/// Service codes offered by each branch (an active counter serves an active service).
pub fn offered_services(
    conn: &mut PgConnection,
    branch_ids: &[i32],
) -> QueryResult<HashMap<i32, Vec<Code>>> {
    let rows: Vec<(i32, String, i32)> = counter_services::table
        .inner_join(counters::table)
        .inner_join(services::table)
        .filter(counters::branch_id.eq_any(branch_ids))
        .filter(counters::active.eq(true))
        .filter(services::active.eq(true))
        .select((counters::branch_id, services::code, services::sort_order))
        .distinct()
        .order((counters::branch_id, services::sort_order, services::code))
        .load(conn)?;
    let mut offered: HashMap<i32, Vec<Code>> = HashMap::new();
    for (branch_id, code, _) in rows {
        offered
            .entry(branch_id)
            .or_default()
            .push(stored_code(&code));
    }
    Ok(offered)
}

/// Active counters of a branch that serve a service.
pub fn counters_serving(
    conn: &mut PgConnection,
    branch_id: i32,
    service_id: i32,
) -> QueryResult<u32> {
    let n: i64 = counter_services::table
        .inner_join(counters::table)
        .filter(counters::branch_id.eq(branch_id))
        .filter(counters::active.eq(true))
        .filter(counter_services::service_id.eq(service_id))
        .count()
        .get_result(conn)?;
    Ok(u32::try_from(n).unwrap_or(0))
}

/// Every opening plan of the given branches, as domain plans.
pub fn weekly_plans(
    conn: &mut PgConnection,
    branch_ids: &[i32],
) -> QueryResult<HashMap<i32, Vec<WeeklyPlan>>> {
    let plans: Vec<(i32, i32, NaiveDate)> = opening_plans::table
        .filter(opening_plans::branch_id.eq_any(branch_ids))
        .select((
            opening_plans::id,
            opening_plans::branch_id,
            opening_plans::effective_from,
        ))
        .load(conn)?;
    let plan_ids: Vec<i32> = plans.iter().map(|p| p.0).collect();
    let hours: Vec<(i32, i16, NaiveTime, NaiveTime)> = opening_hours::table
        .filter(opening_hours::plan_id.eq_any(&plan_ids))
        .select((
            opening_hours::plan_id,
            opening_hours::weekday,
            opening_hours::opens,
            opening_hours::closes,
        ))
        .load(conn)?;
    let breaks: Vec<(i32, i16, NaiveTime, NaiveTime)> = opening_breaks::table
        .filter(opening_breaks::plan_id.eq_any(&plan_ids))
        .select((
            opening_breaks::plan_id,
            opening_breaks::weekday,
            opening_breaks::starts,
            opening_breaks::ends,
        ))
        .load(conn)?;
    let mut by_branch: HashMap<i32, Vec<WeeklyPlan>> = HashMap::new();
    for (plan_id, branch_id, effective_from) in plans {
        let mut days: [Option<DayHours>; 7] = Default::default();
        for (_, weekday, opens, closes) in hours.iter().filter(|h| h.0 == plan_id) {
            let day_breaks = breaks
                .iter()
                .filter(|b| b.0 == plan_id && b.1 == *weekday)
                .map(|b| Span {
                    start: minute_of(b.2),
                    end: minute_of(b.3),
                })
                .collect();
            let index = usize::try_from(*weekday - 1).unwrap_or(7);
            match DayHours::new(minute_of(*opens), minute_of(*closes), day_breaks) {
                Ok(day) if index < 7 => days[index] = Some(day),
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(plan_id, weekday, %error, "ignoring invalid opening hours")
                }
            }
        }
        by_branch.entry(branch_id).or_default().push(WeeklyPlan {
            effective_from,
            days,
        });
    }
    Ok(by_branch)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = holidays, check_for_backend(diesel::pg::Pg))]
pub struct HolidayRow {
    pub date: NaiveDate,
    pub kind: String,
    pub name_tk: String,
    pub name_ru: String,
    pub name_en: String,
    pub provisional: bool,
    pub transferred_from: Option<NaiveDate>,
}

impl HolidayRow {
    fn to_domain(&self) -> Holiday {
        let kind = match self.kind.as_str() {
            "movable" => HolidayKind::Movable,
            "extra" => HolidayKind::Extra,
            "transfer" => HolidayKind::Transfer,
            _ => HolidayKind::Fixed,
        };
        Holiday {
            date: self.date,
            kind,
            name: Localized::new(&self.name_tk, &self.name_ru, &self.name_en),
            provisional: self.provisional,
            transferred_from: self.transferred_from,
        }
    }
}

/// Stored holidays between two dates inclusive.
pub fn holidays_between(
    conn: &mut PgConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Holiday>> {
    let rows: Vec<HolidayRow> = holidays::table
        .filter(holidays::date.between(from, to))
        .order((holidays::date, holidays::id))
        .select(HolidayRow::as_select())
        .load(conn)?;
    Ok(rows.iter().map(HolidayRow::to_domain).collect())
}

/// Closures of a branch overlapping `[from, to)`.
pub fn closures_between(
    conn: &mut PgConnection,
    branch_id: i32,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> QueryResult<Vec<Closure>> {
    type ClosureRow = (DateTime<Utc>, DateTime<Utc>, String, String, String);
    let rows: Vec<ClosureRow> = branch_closures::table
        .filter(branch_closures::branch_id.eq(branch_id))
        .filter(branch_closures::ends_at.gt(from))
        .filter(branch_closures::starts_at.lt(to))
        .order(branch_closures::starts_at)
        .select((
            branch_closures::starts_at,
            branch_closures::ends_at,
            branch_closures::reason_tk,
            branch_closures::reason_ru,
            branch_closures::reason_en,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(starts_at, ends_at, tk, ru, en)| Closure {
            starts_at,
            ends_at,
            reason: Localized::new(tk, ru, en),
        })
        .collect())
}

/// The availability of `service` at `branch` for a range of dates, seats taken included: what
/// the availability endpoint shows and what a booking is checked against.
pub fn availability_between(
    conn: &mut PgConnection,
    branch: &BranchRow,
    service: &ServiceRow,
    range: nobat_domain::availability::DateRange,
    now: DateTime<Utc>,
) -> QueryResult<Option<Vec<nobat_domain::availability::AvailabilityDay>>> {
    use chrono::Days;
    use nobat_domain::availability::{availability, AvailabilityInput};
    use nobat_domain::calendar::{local_instant, HolidayCalendar};
    let counters = counters_serving(conn, branch.id, service.id)?;
    if counters == 0 {
        return Ok(None);
    }
    let plans = weekly_plans(conn, &[branch.id])?
        .remove(&branch.id)
        .unwrap_or_default();
    // Sunday holidays up to a fortnight back may move into the range; the day after the range
    // decides whether its last day is shortened.
    let since = range
        .from
        .checked_sub_days(Days::new(14))
        .unwrap_or(range.from);
    let until = range.to.checked_add_days(Days::new(1)).unwrap_or(range.to);
    let holidays = HolidayCalendar::new(holidays_between(conn, since, until)?);
    let first = local_instant(range.from, NaiveTime::MIN).with_timezone(&Utc);
    let last = local_instant(until, NaiveTime::MIN).with_timezone(&Utc);
    let closures = closures_between(conn, branch.id, first, last)?;
    let taken = seats_taken_in(conn, branch.id, service.id, range)?;
    Ok(Some(availability(&AvailabilityInput {
        from: range.from,
        to: range.to,
        now,
        plans: &plans,
        counters,
        hall_capacity: branch.hall_capacity(),
        holidays: &holidays,
        closures: &closures,
        duration_minutes: u16::try_from(service.duration_minutes).unwrap_or(30),
        window: branch.window(),
        taken: &taken,
    })))
}

/// Seats taken per slot start on the days of `range` (local days).
pub fn seats_taken_in(
    conn: &mut PgConnection,
    branch_id: i32,
    service_id: i32,
    range: nobat_domain::availability::DateRange,
) -> QueryResult<HashMap<DateTime<Utc>, u32>> {
    use nobat_domain::calendar::local_instant;
    let midnight = |d: NaiveDate| local_instant(d, NaiveTime::MIN).with_timezone(&Utc);
    let after = range
        .to
        .checked_add_days(chrono::Days::new(1))
        .unwrap_or(range.to);
    super::bookings::seats_taken(
        conn,
        branch_id,
        service_id,
        midnight(range.from),
        midnight(after),
    )
}
