//! A short-lived, per-instance cache of availability answers (issue #9: the release-morning
//! crowd reloads the same month of the same branch thousands of times a second).
//!
//! Availability is advice, never the decision: a hold takes its seat with the conditional
//! `UPDATE slots … WHERE taken + n <= capacity`, so a stale answer can only make a citizen try a
//! seat that is gone (a clean 409) or miss one for at most the time to live. To keep what a
//! citizen sees right after their own action exact, every successful write through this instance
//! (any 2xx answer to a POST, PUT, PATCH or DELETE) empties the cache; writes made by another
//! instance or by the hold reaper show within `NOBAT_AVAILABILITY_CACHE_MS` (1 s by default).

use crate::http::Tagged;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries kept at most; beyond it the expired ones go, then everything.
const MAX_ENTRIES: usize = 4096;

/// Branch, service, first and last date.
type Key = (String, String, NaiveDate, NaiveDate);

#[derive(Debug)]
pub struct AvailabilityCache {
    ttl: Duration,
    /// Bumped by every successful write; an entry from an older generation is stale.
    generation: AtomicU64,
    entries: Mutex<HashMap<Key, (Instant, u64, Tagged)>>,
}

impl AvailabilityCache {
    /// A cache keeping answers for `ttl` (zero: no caching at all).
    pub fn new(ttl: Duration) -> AvailabilityCache {
        AvailabilityCache {
            ttl,
            generation: AtomicU64::new(0),
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    /// The generation to record with an answer computed from now on.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Every answer cached so far is stale.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    pub fn get(
        &self,
        branch: &str,
        service: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Option<Tagged> {
        if !self.enabled() {
            return None;
        }
        let key = (branch.to_owned(), service.to_owned(), from, to);
        let generation = self.generation();
        let entries = self.entries.lock().ok()?;
        let (at, entry_generation, tagged) = entries.get(&key)?;
        (*entry_generation == generation && at.elapsed() < self.ttl).then(|| tagged.clone())
    }

    /// Keeps `tagged`, computed when the generation was `generation` (an answer computed while
    /// a write happened is not kept as current).
    pub fn put(
        &self,
        branch: &str,
        service: &str,
        from: NaiveDate,
        to: NaiveDate,
        generation: u64,
        tagged: Tagged,
    ) {
        if !self.enabled() || generation != self.generation() {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= MAX_ENTRIES {
            let current = self.generation();
            entries.retain(|_, (at, g, _)| *g == current && at.elapsed() < self.ttl);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(
            (branch.to_owned(), service.to_owned(), from, to),
            (Instant::now(), generation, tagged),
        );
    }
}

/// Middleware: a successful write through this instance makes every cached answer stale.
pub async fn invalidate_on_write(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let cache = request.app_data::<web::Data<AvailabilityCache>>().cloned();
    let response = next.call(request).await?;
    if writes && response.status().is_success() {
        if let Some(cache) = cache {
            cache.invalidate();
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default()
    }

    #[test]
    fn answers_are_kept_until_a_write_or_the_time_to_live() {
        let cache = AvailabilityCache::new(Duration::from_secs(60));
        let tagged = Tagged::new(b"{}".to_vec());
        let g = cache.generation();
        cache.put("mary", "reception", day(1), day(31), g, tagged.clone());
        assert!(cache.get("mary", "reception", day(1), day(31)).is_some());
        assert!(cache.get("mary", "reception", day(2), day(31)).is_none());
        cache.invalidate();
        assert!(cache.get("mary", "reception", day(1), day(31)).is_none());
        // Computed before the write: not kept.
        cache.put("mary", "reception", day(1), day(31), g, tagged.clone());
        assert!(cache.get("mary", "reception", day(1), day(31)).is_none());

        let short = AvailabilityCache::new(Duration::from_millis(1));
        short.put("mary", "reception", day(1), day(31), 0, tagged.clone());
        std::thread::sleep(Duration::from_millis(5));
        assert!(short.get("mary", "reception", day(1), day(31)).is_none());

        let off = AvailabilityCache::new(Duration::ZERO);
        off.put("mary", "reception", day(1), day(31), 0, tagged);
        assert!(off.get("mary", "reception", day(1), day(31)).is_none());
    }
}
