//! Sign-in throttling: a token bucket per client address (kept in memory, trimmed as it
//! grows) in front of the per-account lockout kept with the account (see `db::accounts`).
//!
//! Behind proxies the peer is the nearest proxy; each proxy appends the address it received
//! from to `X-Forwarded-For`, so with `hops` trusted proxies the client is the `hops`-th entry
//! from the right. Entries further left were written by the client and are never trusted.

use axum::http::HeaderMap;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The address to throttle a request by: the peer's, or with `hops` trusted proxies in front,
/// the address the outermost of them saw. `None` when the proxies' header is missing or
/// shorter than `hops` (the request did not come through them).
pub fn client_address(headers: &HeaderMap, peer: Option<IpAddr>, hops: usize) -> Option<IpAddr> {
    if hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let at = entries.len().checked_sub(hops)?;
    entries[at].parse().ok()
}

/// Reads `PF_TRUST_PROXY`: how many proxies stand in front. `true` (one) and `false` (none)
/// are accepted too, as older READMEs wrote them.
pub fn parse_proxy_hops(text: &str) -> Result<usize, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" => Ok(1),
        "false" | "no" | "off" | "" => Ok(0),
        n => n
            .parse()
            .map_err(|_| format!("'{text}' is not a number of proxies (0, 1, 2 …) nor true/false")),
    }
}

/// Token buckets per address: `burst` attempts at once, one more every `refill`.
#[derive(Debug)]
pub struct AddressLimiter {
    burst: u32,
    refill: Duration,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Past this many addresses, full buckets (which are the same as no bucket) are dropped.
const TRIM_ABOVE: usize = 4_096;

impl AddressLimiter {
    /// A limiter allowing `burst` attempts at once and one more per `refill`.
    pub fn new(burst: u32, refill: Duration) -> AddressLimiter {
        AddressLimiter {
            burst: burst.max(1),
            refill: refill.max(Duration::from_millis(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn level(&self, bucket: &Bucket, now: Instant) -> f64 {
        let gained = now.duration_since(bucket.at).as_secs_f64() / self.refill.as_secs_f64();
        (bucket.tokens + gained).min(f64::from(self.burst))
    }

    /// Takes one attempt for `ip` at `now`; `Err(seconds to wait)` when none is left.
    pub fn take(&self, ip: IpAddr, now: Instant) -> Result<(), u64> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= TRIM_ABOVE {
            let full = f64::from(self.burst);
            buckets.retain(|_, b| self.level(b, now) < full);
        }
        let full = Bucket {
            tokens: f64::from(self.burst),
            at: now,
        };
        let bucket = buckets.entry(ip).or_insert(full);
        let tokens = self.level(bucket, now);
        if tokens < 1.0 {
            let wait = (1.0 - tokens) * self.refill.as_secs_f64();
            return Err(wait.ceil().max(1.0) as u64);
        }
        *bucket = Bucket {
            tokens: tokens - 1.0,
            at: now,
        };
        Ok(())
    }

    /// Returns the attempt `take` charged `ip`, for an attempt that proved to be a right
    /// password: a class signing in together behind one address is then never throttled,
    /// while every wrong guess still costs its token.
    pub fn give_back(&self, ip: IpAddr, now: Instant) {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bucket) = buckets.get_mut(&ip) {
            let tokens = (self.level(bucket, now) + 1.0).min(f64::from(self.burst));
            *bucket = Bucket { tokens, at: now };
        }
    }

    /// Addresses tracked now (the trimming test reads it).
    pub fn tracked(&self) -> usize {
        self.buckets.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn only_the_configured_hops_are_trusted() {
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        let h = forwarded("6.6.6.6, 198.51.100.7, 10.0.0.2");
        // No proxy trusted: the header is ignored.
        assert_eq!(client_address(&h, Some(peer), 0), Some(peer));
        // One proxy: the address it saw, not what the client wrote before it.
        assert_eq!(client_address(&h, Some(peer), 1), "10.0.0.2".parse().ok());
        assert_eq!(
            client_address(&h, Some(peer), 2),
            "198.51.100.7".parse().ok()
        );
        // More hops than entries: it did not come through the proxies.
        assert_eq!(client_address(&forwarded("1.2.3.4"), Some(peer), 2), None);
        assert_eq!(client_address(&HeaderMap::new(), Some(peer), 1), None);
    }

    #[test]
    fn the_proxy_setting_reads_as_the_readme_writes_it() {
        assert_eq!(parse_proxy_hops("1"), Ok(1));
        assert_eq!(parse_proxy_hops("2"), Ok(2));
        assert_eq!(parse_proxy_hops("true"), Ok(1));
        assert_eq!(parse_proxy_hops("false"), Ok(0));
        assert!(parse_proxy_hops("lots").is_err());
    }

    #[test]
    fn a_returned_attempt_is_free_and_never_overfills_the_bucket() {
        let limiter = AddressLimiter::new(2, Duration::from_secs(3600));
        let t0 = Instant::now();
        let ip: IpAddr = "198.51.100.9".parse().unwrap();
        for _ in 0..20 {
            assert_eq!(limiter.take(ip, t0), Ok(()));
            limiter.give_back(ip, t0);
        }
        limiter.give_back(ip, t0);
        assert_eq!(limiter.take(ip, t0), Ok(()));
        assert_eq!(limiter.take(ip, t0), Ok(()));
        assert_eq!(
            limiter.take(ip, t0),
            Err(3600),
            "returns never add past the burst"
        );
    }

    #[test]
    fn buckets_refill_and_full_ones_are_trimmed() {
        let limiter = AddressLimiter::new(2, Duration::from_secs(10));
        let t0 = Instant::now();
        let ip: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(limiter.take(ip, t0), Ok(()));
        assert_eq!(limiter.take(ip, t0), Ok(()));
        assert_eq!(limiter.take(ip, t0), Err(10));
        assert_eq!(limiter.take(ip, t0 + Duration::from_secs(10)), Ok(()));
        for i in 0..TRIM_ABOVE as u32 {
            let other = IpAddr::from(i.to_be_bytes());
            limiter.take(other, t0).unwrap();
        }
        assert!(limiter.tracked() >= TRIM_ABOVE);
        // Once every bucket has refilled, the next attempt drops them all.
        let later = t0 + Duration::from_secs(100);
        limiter.take(ip, later).unwrap();
        assert_eq!(limiter.tracked(), 1);
    }
}
