//! What a citizen chooses from: branches, the services they offer, and the national holidays,
//! as they travel over the wire.

use crate::calendar::{Holiday, HolidayKind};
use crate::{Localized, LocalizedList, Money, Region};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A code naming a branch or a service in URLs: lowercase ASCII letters, digits and single
/// hyphens, 2 to 40 characters (`dashoguz`, `passport-international`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Code(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a code: use 2-40 lowercase letters, digits and single hyphens")]
pub struct BadCode(pub String);

impl Code {
    pub fn parse(value: &str) -> Result<Code, BadCode> {
        let ok = (2..=40).contains(&value.len())
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !value.starts_with('-')
            && !value.ends_with('-')
            && !value.contains("--");
        if ok {
            Ok(Code(value.to_owned()))
        } else {
            Err(BadCode(value.to_owned()))
        }
    }

    /// A code read back from a column whose CHECK constraint is the same rule as [`Code::parse`].
    pub fn from_database(value: &str) -> Code {
        Code(value.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Code::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Who pays no fee for a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Exemption {
    #[serde(rename = "child_under_16")]
    ChildUnder16,
    Veteran,
    Disabled,
}

impl Exemption {
    pub fn code(self) -> &'static str {
        match self {
            Exemption::ChildUnder16 => "child_under_16",
            Exemption::Veteran => "veteran",
            Exemption::Disabled => "disabled",
        }
    }

    pub fn parse(code: &str) -> Option<Exemption> {
        [
            Exemption::ChildUnder16,
            Exemption::Veteran,
            Exemption::Disabled,
        ]
        .into_iter()
        .find(|e| e.code() == code)
    }
}

/// A service a branch offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Service {
    pub code: Code,
    pub name: Localized,
    pub description: Localized,
    /// What to bring, per language.
    pub documents: LocalizedList,
    /// Length of one appointment.
    pub duration_minutes: u16,
    /// The fee per person.
    pub fee: Money,
    /// Who pays nothing.
    pub exemptions: Vec<Exemption>,
}

/// A geographic point (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GeoPoint {
    pub latitude: f64,
    pub longitude: f64,
}

/// A break inside opening hours, `HH:MM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeSpan {
    pub starts: String,
    pub ends: String,
}

/// Opening hours on one weekday (1 = Monday ... 7 = Sunday); weekdays not listed are closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "weekday": 1, "opens": "09:00", "closes": "18:00", "breaks": [{"starts": "13:00", "ends": "14:00"}]
})))]
pub struct OpeningDay {
    pub weekday: u8,
    pub opens: String,
    pub closes: String,
    pub breaks: Vec<TimeSpan>,
}

/// How far ahead and how late a branch takes bookings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingSettings {
    /// Days are bookable up to this many days ahead.
    pub days_ahead: u16,
    /// Local time (`HH:MM`) at which the next day is released each day.
    pub release_time: String,
    /// A slot can be booked until this many minutes before it starts.
    pub cutoff_minutes: u16,
    /// At most this many citizens in the hall at once, if capped.
    pub hall_capacity: Option<u32>,
}

/// A branch office of the migration service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Branch {
    pub code: Code,
    pub name: Localized,
    pub region: Region,
    pub region_name: Localized,
    pub address: Localized,
    /// As shown to citizens, e.g. `+993 12 345678`.
    pub phone: String,
    pub location: Option<GeoPoint>,
    /// Codes of the services some counter of this branch serves.
    pub services: Vec<Code>,
    /// The opening hours in force today.
    pub opening_hours: Vec<OpeningDay>,
    pub booking: BookingSettings,
}

/// A day off in the national calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "date": "2026-03-23", "kind": "transfer", "provisional": false, "transferred_from": "2026-03-22",
    "name": {"tk": "Milli bahar baýramy (dynç güni geçirildi)", "ru": "Национальный весенний праздник (перенос выходного дня)", "en": "Nowruz (day off moved from Sunday)"}
})))]
pub struct HolidayEntry {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: NaiveDate,
    pub name: Localized,
    pub kind: HolidayKind,
    /// The date is expected but not yet decreed.
    pub provisional: bool,
    /// For a transfer: the Sunday holiday it replaces.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub transferred_from: Option<NaiveDate>,
}

impl From<&Holiday> for HolidayEntry {
    fn from(h: &Holiday) -> Self {
        HolidayEntry {
            date: h.date,
            name: h.name.clone(),
            kind: h.kind,
            provisional: h.provisional,
            transferred_from: h.transferred_from,
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// 1-based page number.
    pub page: u32,
    pub per_page: u32,
    /// Items in all pages.
    pub total: u64,
}

/// The largest page a list returns.
pub const MAX_PER_PAGE: u32 = 100;

/// Validates `page`/`per_page` query values: page ≥ 1, 1 ≤ per_page ≤ [`MAX_PER_PAGE`].
pub fn parse_paging(
    page: Option<&str>,
    per_page: Option<&str>,
    default_per_page: u32,
) -> Result<(u32, u32), std::collections::BTreeMap<String, String>> {
    let mut errors = std::collections::BTreeMap::new();
    let page = match page.map(str::trim).filter(|v| !v.is_empty()) {
        None => 1,
        Some(v) => match v.parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => {
                errors.insert(
                    "page".into(),
                    format!("{v:?} is not a page number (1, 2, ...)"),
                );
                1
            }
        },
    };
    let per_page = match per_page.map(str::trim).filter(|v| !v.is_empty()) {
        None => default_per_page,
        Some(v) => match v.parse::<u32>() {
            Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => n,
            _ => {
                errors.insert(
                    "per_page".into(),
                    format!("{v:?} is not a page size from 1 to {MAX_PER_PAGE}"),
                );
                default_per_page
            }
        },
    };
    if errors.is_empty() {
        Ok((page, per_page))
    } else {
        Err(errors)
    }
}

/// The availability of one branch for one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Availability {
    pub branch: Code,
    pub service: Code,
    /// Always `Asia/Ashgabat`; slot instants carry `+05:00`.
    pub time_zone: String,
    /// Arrive this many minutes before the slot.
    pub arrive_minutes_early: u16,
    pub days: Vec<crate::availability::AvailabilityDay>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes() {
        assert!(Code::parse("passport-international").is_ok());
        assert!(Code::parse("dashoguz").is_ok());
        assert!(Code::parse("Dashoguz").is_err());
        assert!(Code::parse("a").is_err());
        assert!(Code::parse("-x").is_err());
        assert!(Code::parse("a--b").is_err());
        assert!(Code::parse("daşoguz").is_err());
    }

    #[test]
    fn exemptions_serialize_as_their_codes() {
        for e in [
            Exemption::ChildUnder16,
            Exemption::Veteran,
            Exemption::Disabled,
        ] {
            let json = serde_json::to_string(&e).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", e.code()));
            assert_eq!(Exemption::parse(e.code()), Some(e));
        }
    }

    #[test]
    fn paging() {
        assert_eq!(parse_paging(None, None, 20), Ok((1, 20)));
        assert_eq!(parse_paging(Some("3"), Some("100"), 20), Ok((3, 100)));
        let errors = parse_paging(Some("0"), Some("101"), 20)
            .err()
            .unwrap_or_default();
        assert!(errors.contains_key("page") && errors.contains_key("per_page"));
    }

    proptest! {
        #[test]
        fn parsed_codes_are_url_safe(raw in "[a-z0-9-]{0,45}") {
            if let Ok(code) = Code::parse(&raw) {
                prop_assert!(code.as_str().chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
                prop_assert!((2..=40).contains(&code.as_str().len()));
            }
        }
    }
}
