//! Who is asking: the client's address behind trusted reverse proxies, and the booking rate
//! limits keyed on it. Limits are counted in PostgreSQL (`rate_limits`), so every instance
//! behind the load balancer counts the same attempts and a bot gains nothing by spreading its
//! requests over instances.

use actix_web::HttpRequest;
use std::net::IpAddr;

/// The reverse proxies whose `X-Forwarded-For` is believed (`NOBAT_TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<IpAddr>);

impl TrustedProxies {
    /// Parses a comma-separated list of IP addresses.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpAddr>()
                    .map_err(|_| format!("{s:?} is not an IP address"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the
    /// right-most address of `X-Forwarded-For` that is not itself a trusted proxy (the left
    /// part of the header is whatever the client wrote, and is never believed).
    pub fn client(&self, peer: Option<IpAddr>, forwarded_for: Option<&str>) -> Option<IpAddr> {
        let peer = peer?;
        if !self.0.contains(&peer) {
            return Some(peer);
        }
        let mut last = peer;
        for hop in forwarded_for.unwrap_or_default().rsplit(',').map(str::trim) {
            let Ok(address) = hop.parse::<IpAddr>() else {
                // A malformed hop: stop at the last address we could vouch for.
                return Some(last);
            };
            if !self.0.contains(&address) {
                return Some(address);
            }
            last = address;
        }
        Some(last)
    }
}

/// The address of the client that sent `request`, as a rate-limit key ("unknown" when the
/// connection has no peer address, e.g. in some tests).
pub fn address(request: &HttpRequest) -> String {
    let trusted = request
        .app_data::<actix_web::web::Data<TrustedProxies>>()
        .map(|d| d.get_ref().clone())
        .unwrap_or_default();
    let forwarded = request
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    trusted
        .client(request.peer_addr().map(|a| a.ip()), forwarded)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// How many booking attempts (`POST /api/v1/bookings`) are allowed per window: per client
/// address and per passport number; 0 turns a limit off (`NOBAT_BOOKING_LIMITS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingLimits {
    pub per_address: u32,
    pub per_passport: u32,
    pub window_secs: u32,
}

impl Default for BookingLimits {
    fn default() -> Self {
        BookingLimits {
            per_address: 60,
            per_passport: 10,
            window_secs: 600,
        }
    }
}

impl BookingLimits {
    /// `ADDRESS/PASSPORT` attempts per 10 minutes, e.g. `60/10`; `0/0` turns both off.
    pub fn parse(text: &str) -> Result<BookingLimits, String> {
        let (address, passport) = text
            .split_once('/')
            .ok_or_else(|| format!("{text:?} is not ADDRESS/PASSPORT, e.g. 60/10"))?;
        let number = |s: &str| {
            s.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= 1_000_000)
                .ok_or_else(|| format!("{s:?} is not a number of attempts (0-1000000)"))
        };
        Ok(BookingLimits {
            per_address: number(address)?,
            per_passport: number(passport)?,
            window_secs: 600,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(Some(ip("10.0.0.9")), Some("1.2.3.4")),
            Some(ip("10.0.0.9"))
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client() {
        let proxies = TrustedProxies::parse("127.0.0.1, 10.0.0.2").unwrap_or_default();
        // The client wrote "6.6.6.6" itself; nginx appended the real address.
        assert_eq!(
            proxies.client(Some(ip("127.0.0.1")), Some("6.6.6.6, 95.85.1.7")),
            Some(ip("95.85.1.7"))
        );
        assert_eq!(
            proxies.client(Some(ip("127.0.0.1")), Some("95.85.1.7, 10.0.0.2")),
            Some(ip("95.85.1.7"))
        );
        assert_eq!(
            proxies.client(Some(ip("127.0.0.1")), None),
            Some(ip("127.0.0.1"))
        );
        assert_eq!(
            proxies.client(Some(ip("127.0.0.1")), Some("garbage, 10.0.0.2")),
            Some(ip("10.0.0.2"))
        );
        // A peer that is not a proxy cannot choose its address.
        assert_eq!(
            proxies.client(Some(ip("95.85.1.7")), Some("1.1.1.1")),
            Some(ip("95.85.1.7"))
        );
        assert!(TrustedProxies::parse("127.0.0.1,nginx").is_err());
    }

    #[test]
    fn booking_limits_parse() {
        assert_eq!(
            BookingLimits::parse("60/10"),
            Ok(BookingLimits {
                per_address: 60,
                per_passport: 10,
                window_secs: 600
            })
        );
        assert_eq!(
            BookingLimits::parse(" 0 / 0 ").map(|l| l.per_address),
            Ok(0)
        );
        assert!(BookingLimits::parse("60").is_err());
        assert!(BookingLimits::parse("-1/3").is_err());
    }
}
