//! Typed settings, read once from the environment and validated before anything starts.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Readable lines for a terminal (the default).
    #[default]
    Human,
    /// One JSON object per line, for log collectors in production.
    Json,
}

/// Everything `nobat` needs to know about its surroundings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub bind: SocketAddr,
    pub static_dir: PathBuf,
    pub db_pool_size: u32,
    pub db_timeout: Duration,
    pub workers: usize,
    pub log_filter: String,
    pub log_format: LogFormat,
    /// How long a booking with a fee holds its seat for payment.
    pub hold_minutes: u32,
    /// Cancelling and rescheduling close this many minutes before the slot.
    pub change_cutoff_minutes: u32,
    /// The acquirer (or the built-in sandbox) and the public address for its return URLs.
    pub payments: crate::payments::PaymentSettings,
    /// Where SMS and email go (the log, or an SMTP server for email).
    pub notify: crate::notify::NotifySettings,
    /// A production deployment: no sandbox acquirer, no demo passwords.
    pub production: bool,
    /// Where uploaded files live (applicants' photos under `photos/`), outside the database.
    pub data_dir: PathBuf,
    /// The state fee for an international passport, per reason.
    pub passport_fees: nobat_domain::passport::FeeSchedule,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: crate::client::TrustedProxies,
    /// Booking attempts allowed per client address and per passport number.
    pub booking_limits: crate::client::BookingLimits,
    /// How long an availability answer is reused (zero: never).
    pub availability_cache: Duration,
    /// A booking write that has not finished this long after its request arrived is rolled
    /// back and answered 503, so a client that waits this long never misses what it did.
    pub request_deadline: Duration,
}

/// The environment variables, their defaults and what they mean (shown by `nobat --help`).
pub const ENVIRONMENT_HELP: &str = "\
Environment:
  DATABASE_URL          PostgreSQL URL, e.g. postgres://nobat@127.0.0.1:5432/nobat (required)
  NOBAT_BIND            address to listen on [default: 127.0.0.1:8080]
  NOBAT_STATIC_DIR      the built SPA (trunk's dist folder) [default: frontend/dist]
  NOBAT_DB_POOL_SIZE    connections in the pool, 1-200 [default: 10]
  NOBAT_DB_TIMEOUT_SECS seconds to wait for a connection, 1-60 [default: 1]; a request that
                        cannot get one answers 503 (and no statement runs longer than 10 s)
  NOBAT_WORKERS         HTTP worker threads, 1-256 [default: number of CPUs]
  NOBAT_LOG             log filter, e.g. info or nobat_api=debug,info [default: info]
  NOBAT_LOG_FORMAT      human or json [default: human]
  NOBAT_HOLD_MINUTES    minutes a seat is held for payment, 1-60 [default: 10]
  NOBAT_CHANGE_CUTOFF_MINUTES  no cancelling later than this before the slot [default: 120]
  NOBAT_PUBLIC_URL      where browsers reach Nobat, for the acquirer's return URLs [default: http://<bind>]
  NOBAT_ACQUIRER_URL    the bank's REST base, e.g. https://mpi.bank.tm/payment/rest [default: built-in sandbox]
  NOBAT_ACQUIRER_USER, NOBAT_ACQUIRER_PASSWORD, NOBAT_ACQUIRER_CALLBACK_KEY  merchant credentials and
                        the callback HMAC key (required with NOBAT_ACQUIRER_URL)
  NOBAT_SANDBOX_ACQUIRER  on|off: serve the sandbox acquirer [default: on unless NOBAT_ACQUIRER_URL]
  NOBAT_SANDBOX_CALLBACKS on|off: the sandbox sends callbacks [default: on]
  NOBAT_ACQUIRER_TIMEOUT_SECS  one call to the acquirer, 1-60 [default: 10]
  NOBAT_PAYMENT_RECONCILE_SECS how often unsettled payments are checked [default: 30]
  NOBAT_PRODUCTION      on|off: refuse the sandbox acquirer and demo passwords [default: off]
  NOBAT_SMTP_URL        email server, e.g. smtps://user:pass@mail.example.tm:465 or smtp://127.0.0.1:2525
                        [default: none: emails are written to the log, masked, not sent]
  NOBAT_MAIL_FROM       the From of emails [default: Nobat <no-reply@nobat.invalid>]
  NOBAT_SMS_SINK        where SMS go; only log exists for now [default: log]
  NOBAT_DATA_DIR        uploaded files (applicants' photos), never served publicly [default: .nobat/files]
  NOBAT_PASSPORT_FEE    the passport state fee in TMT, optionally per reason, e.g. 60.00 or
                        60.00,lost=120.00 (children under 16 pay nothing) [default: 60.00]
  NOBAT_BOOKING_LIMITS  booking attempts per 10 minutes per client address / per passport
                        number, 0 = no limit (then 429 with Retry-After) [default: 60/10]
  NOBAT_TRUSTED_PROXIES reverse proxies (IP addresses, comma-separated) whose X-Forwarded-For
                        names the client, for rate limits [default: none: the peer is the client]
  NOBAT_AVAILABILITY_CACHE_MS  how long this instance reuses an availability answer, 0-60000;
                        its own writes refresh it at once, 0 turns it off [default: 1000]
  NOBAT_REQUEST_DEADLINE_MS  a booking, cancellation or change not done this long after its
                        request arrived is rolled back and answered 503, 100-60000; clients
                        that wait longer never lose track of a write [default: 10000]";

/// What is wrong with the environment; every problem is listed, not just the first.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n  {}", .0.join("\n  "))]
pub struct ConfigError(pub Vec<String>);

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut problems = Vec::new();
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());

        let database_url = match var("DATABASE_URL") {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => url,
            Some(_) => {
                problems.push(
                    "DATABASE_URL must be a postgres:// URL, e.g. postgres://nobat@127.0.0.1:5432/nobat"
                        .into(),
                );
                String::new()
            }
            None => {
                problems.push(
                    "DATABASE_URL is not set; e.g. postgres://nobat@127.0.0.1:5432/nobat".into(),
                );
                String::new()
            }
        };
        let bind = parse_or(&var, "NOBAT_BIND", "127.0.0.1:8080", &mut problems, |v| {
            v.parse::<SocketAddr>()
                .map_err(|_| format!("{v:?} is not an address like 127.0.0.1:8080"))
        });
        let static_dir = PathBuf::from(var("NOBAT_STATIC_DIR").unwrap_or("frontend/dist".into()));
        let db_pool_size = parse_or(&var, "NOBAT_DB_POOL_SIZE", "10", &mut problems, |v| {
            in_range(v, 1, 200)
        });
        let db_timeout = parse_or(&var, "NOBAT_DB_TIMEOUT_SECS", "1", &mut problems, |v| {
            in_range(v, 1, 60).map(|s| Duration::from_secs(s.into()))
        });
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        let workers = parse_or(
            &var,
            "NOBAT_WORKERS",
            &cpus.to_string(),
            &mut problems,
            |v| in_range(v, 1, 256).map(|n| n as usize),
        );
        let log_filter = var("NOBAT_LOG").unwrap_or("info".into());
        if let Err(e) = tracing_subscriber::EnvFilter::try_new(&log_filter) {
            problems.push(format!(
                "NOBAT_LOG: {log_filter:?} is not a log filter: {e}"
            ));
        }
        let log_format = parse_or(
            &var,
            "NOBAT_LOG_FORMAT",
            "human",
            &mut problems,
            |v| match v.to_ascii_lowercase().as_str() {
                "human" => Ok(LogFormat::Human),
                "json" => Ok(LogFormat::Json),
                _ => Err(format!("{v:?} is neither human nor json")),
            },
        );

        let hold_minutes = parse_or(&var, "NOBAT_HOLD_MINUTES", "10", &mut problems, |v| {
            in_range(v, 1, 60)
        });
        let change_cutoff_minutes = parse_or(
            &var,
            "NOBAT_CHANGE_CUTOFF_MINUTES",
            "120",
            &mut problems,
            |v| in_range(v, 0, 10080),
        );
        let payments = crate::payments::PaymentSettings::from_lookup(&var, &mut problems);
        let production = match var("NOBAT_PRODUCTION").map(|v| v.trim().to_ascii_lowercase()) {
            None => false,
            Some(v) if matches!(v.as_str(), "on" | "true" | "1" | "yes") => true,
            Some(v) if matches!(v.as_str(), "off" | "false" | "0" | "no") => false,
            Some(v) => {
                problems.push(format!("NOBAT_PRODUCTION: {v:?} is neither on nor off"));
                false
            }
        };
        if production && payments.sandbox {
            problems.push(
                "NOBAT_PRODUCTION is on but the sandbox acquirer is too: set NOBAT_ACQUIRER_URL (and its credentials) or NOBAT_SANDBOX_ACQUIRER=off"
                    .into(),
            );
        }
        let notify = crate::notify::NotifySettings::from_lookup(&var, &mut problems);
        let data_dir = PathBuf::from(var("NOBAT_DATA_DIR").unwrap_or(".nobat/files".into()));
        let passport_fees = parse_or(&var, "NOBAT_PASSPORT_FEE", "60.00", &mut problems, |v| {
            fee_schedule(v)
        })
        .unwrap_or_default();
        let trusted_proxies = parse_or(&var, "NOBAT_TRUSTED_PROXIES", "", &mut problems, |v| {
            crate::client::TrustedProxies::parse(v)
        })
        .unwrap_or_default();
        let booking_limits = parse_or(&var, "NOBAT_BOOKING_LIMITS", "60/10", &mut problems, |v| {
            crate::client::BookingLimits::parse(v)
        })
        .unwrap_or_default();
        let availability_cache = parse_or(
            &var,
            "NOBAT_AVAILABILITY_CACHE_MS",
            "1000",
            &mut problems,
            |v| in_range(v, 0, 60_000).map(|ms| Duration::from_millis(ms.into())),
        )
        .unwrap_or_default();
        let request_deadline = parse_or(
            &var,
            "NOBAT_REQUEST_DEADLINE_MS",
            "10000",
            &mut problems,
            |v| in_range(v, 100, 60_000).map(|ms| Duration::from_millis(ms.into())),
        )
        .unwrap_or_default();
        let (
            Some(bind),
            Some(db_pool_size),
            Some(db_timeout),
            Some(workers),
            Some(log_format),
            Some(hold_minutes),
            Some(change_cutoff_minutes),
        ) = (
            bind,
            db_pool_size,
            db_timeout,
            workers,
            log_format,
            hold_minutes,
            change_cutoff_minutes,
        )
        else {
            return Err(ConfigError(problems));
        };
        if !problems.is_empty() {
            return Err(ConfigError(problems));
        }
        Ok(Settings {
            database_url,
            bind,
            static_dir,
            db_pool_size,
            db_timeout,
            workers,
            log_filter,
            log_format,
            hold_minutes,
            change_cutoff_minutes,
            payments,
            notify,
            production,
            data_dir,
            passport_fees,
            trusted_proxies,
            booking_limits,
            availability_cache,
            request_deadline,
        })
    }

    /// The database URL with any password replaced, fit for logs and error messages.
    pub fn database_url_redacted(&self) -> String {
        redact_url(&self.database_url)
    }
}

/// Replaces the password in a `scheme://user:password@host/...` URL with `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// `60.00` or `60.00,lost=120.00,damaged=90`: the base fee and per-reason fees, in TMT.
fn fee_schedule(value: &str) -> Result<nobat_domain::passport::FeeSchedule, String> {
    use nobat_domain::passport::{ApplicationReason, FeeSchedule};
    let money = |raw: &str| -> Result<nobat_domain::Money, String> {
        let raw = raw.trim();
        let (whole, cents) = raw.split_once('.').unwrap_or((raw, "0"));
        let cents = format!("{cents:0<2}");
        match (whole.parse::<i64>(), cents.parse::<i64>()) {
            (Ok(w), Ok(c)) if w >= 0 && cents.len() == 2 && w < 1_000_000 => {
                Ok(nobat_domain::Money::tmt(w * 100 + c))
            }
            _ => Err(format!("{raw:?} is not an amount in TMT such as 60.00")),
        }
    };
    let mut parts = value.split(',');
    let base = money(parts.next().unwrap_or_default())?;
    let mut schedule = FeeSchedule {
        base,
        ..FeeSchedule::default()
    };
    for (_, fee) in schedule.per_reason.iter_mut() {
        if fee.amount_minor > 0 {
            *fee = base;
        }
    }
    for part in parts {
        let (reason, amount) = part
            .split_once('=')
            .ok_or_else(|| format!("{part:?} is not reason=amount"))?;
        let reason = ApplicationReason::parse(reason.trim())
            .ok_or_else(|| format!("{reason:?} is not an application reason"))?;
        let amount = money(amount)?;
        for (r, fee) in schedule.per_reason.iter_mut() {
            if *r == reason {
                *fee = amount;
            }
        }
    }
    Ok(schedule)
}

fn in_range(value: &str, min: u32, max: u32) -> Result<u32, String> {
    match value.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!(
            "{value:?} is not a whole number from {min} to {max}"
        )),
    }
}

fn parse_or<T>(
    var: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: &str,
    problems: &mut Vec<String>,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Option<T> {
    let value = var(name).unwrap_or_else(|| default.to_owned());
    parse(&value)
        .map_err(|message| problems.push(format!("{name}: {message}")))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_apply_when_only_the_database_is_given() {
        let s = settings(&[("DATABASE_URL", "postgres://u@localhost/nobat")])
            .map_err(|e| e.to_string());
        let s = s.as_ref().map_err(String::as_str);
        assert!(s.is_ok(), "{s:?}");
        if let Ok(s) = s {
            assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
            assert_eq!(s.db_pool_size, 10);
            assert_eq!(s.db_timeout, Duration::from_secs(1));
            assert_eq!(s.log_format, LogFormat::Human);
            assert_eq!(s.static_dir, PathBuf::from("frontend/dist"));
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let error = settings(&[
            ("NOBAT_BIND", "localhost"),
            ("NOBAT_DB_POOL_SIZE", "0"),
            ("NOBAT_LOG_FORMAT", "xml"),
        ])
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(error.contains("DATABASE_URL is not set"), "{error}");
        assert!(error.contains("NOBAT_BIND: \"localhost\""), "{error}");
        assert!(error.contains("NOBAT_DB_POOL_SIZE"), "{error}");
        assert!(error.contains("NOBAT_LOG_FORMAT"), "{error}");
    }

    #[test]
    fn rejects_non_postgres_urls_and_bad_filters() {
        let error = settings(&[("DATABASE_URL", "mysql://x"), ("NOBAT_LOG", "[[[")])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("postgres:// URL"), "{error}");
        assert!(error.contains("NOBAT_LOG"), "{error}");
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://nobat:s3cret@db:5432/nobat"),
            "postgres://nobat:***@db:5432/nobat"
        );
        assert_eq!(
            redact_url("postgres://nobat@db/nobat"),
            "postgres://nobat@db/nobat"
        );
    }
}
