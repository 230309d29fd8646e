//! A branch's report for a day range (`/staff/branches/{code}/reports`, branch heads and admins):
//! bookings by outcome in total and per day, waits and service times, served per counter; and
//! the address of the same per day as CSV, which the session cookie opens as a plain link.

use super::staff::branch_path;
use super::{get_json, query, ApiError};
use chrono::NaiveDate;
use nobat_domain::Language;
use serde::Deserialize;

/// Bookings by outcome, of one day or of the whole range (`date` is then absent).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct DayCounts {
    #[serde(default)]
    pub date: Option<NaiveDate>,
    pub booked: u64,
    pub paid: u64,
    pub checked_in: u64,
    pub missed: u64,
    pub no_show: u64,
    pub served: u64,
    pub cancelled: u64,
}

/// Average and 90th percentile of a duration, in seconds (absent when nothing was measured).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Timing {
    pub count: u64,
    #[serde(default)]
    pub average_seconds: Option<f64>,
    #[serde(default)]
    pub p90_seconds: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CounterServed {
    pub counter: i32,
    pub served: u64,
    #[serde(default)]
    pub average_service_seconds: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BranchReport {
    pub branch: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub totals: DayCounts,
    /// Check-in to the first call.
    pub wait: Timing,
    /// The first call to served.
    pub service: Timing,
    pub counters: Vec<CounterServed>,
    /// Only the days that had bookings, in order.
    pub days: Vec<DayCounts>,
}

fn report_path(branch: &str, from: NaiveDate, to: NaiveDate, csv: bool) -> String {
    let (from, to) = (from.to_string(), to.to_string());
    let mut pairs = vec![("from", from.as_str()), ("to", to.as_str())];
    if csv {
        pairs.push(("format", "csv"));
    }
    branch_path(branch, &format!("/reports{}", query(&pairs)))
}

pub async fn fetch(
    branch: &str,
    from: NaiveDate,
    to: NaiveDate,
    language: Language,
) -> Result<BranchReport, ApiError> {
    get_json(&report_path(branch, from, to, false), language).await
}

/// Where the browser downloads the report per day as CSV.
pub fn csv_url(branch: &str, from: NaiveDate, to: NaiveDate) -> String {
    format!("/api/v1{}", report_path(branch, from, to, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_link_is_the_report_with_format_csv() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        assert_eq!(
            csv_url("mary", day(20), day(26)),
            "/api/v1/staff/branches/mary/reports?from=2026-11-20&to=2026-11-26&format=csv"
        );
    }

    #[test]
    fn a_report_reads_with_empty_timings() {
        let json = r#"{"branch":"mary","from":"2026-11-20","to":"2026-11-26",
            "totals":{"date":null,"booked":3,"paid":1,"checked_in":2,"missed":1,"no_show":0,"served":1,"cancelled":0},
            "wait":{"count":0,"average_seconds":null,"p90_seconds":null},
            "service":{"count":1,"average_seconds":90.5,"p90_seconds":90.5},
            "counters":[{"counter":4,"served":1,"average_service_seconds":90.5}],
            "days":[{"date":"2026-11-26","booked":3,"paid":1,"checked_in":2,"missed":1,"no_show":0,"served":1,"cancelled":0}]}"#;
        let report: BranchReport = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.totals.served, 1);
        assert_eq!(report.wait.average_seconds, None);
        assert_eq!(report.days[0].date, NaiveDate::from_ymd_opt(2026, 11, 26));
    }
}
