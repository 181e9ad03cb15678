//! Time on the wire: request timestamps (shifted by the offset learned from the service), HTTP dates, and the
//! clock-skew correction that learns that offset from a rejected request's `Date` header.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

/// Error codes with which the service rejects a request whose timestamp is too far from its clock.
pub(crate) const CLOCK_SKEW_CODES: &[&str] = &["InvalidTimeStamp.Expired", "RequestTimeTooSkewed"];

/// The largest clock offset the client learns from a server's `Date` header: a day either way. A `Date` further
/// off is a broken or hostile answer (a clock really that wrong breaks TLS first), and is ignored with a warning.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(24 * 3600);

/// Now, in Unix seconds.
pub(crate) fn unix_now() -> i64 {
    match SystemTime::now().duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// Unix seconds as `YYYY-MM-DDThh:mm:ssZ` (the request timestamp's format). Total: a time outside the years
/// 1970–9999 (a broken clock) is clamped to the nearest end, so no clock and no offset can make it fail.
pub(crate) fn format_utc(unix_secs: i64) -> String {
    const MAX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    let secs = u64::try_from(unix_secs.clamp(0, MAX)).unwrap_or(0);
    humantime::format_rfc3339_seconds(SystemTime::UNIX_EPOCH + Duration::from_secs(secs)).to_string()
}

/// Parses an HTTP `Date` header (`Mon, 23 Nov 2026 18:05:54 GMT`) into Unix seconds.
pub(crate) fn parse_http_date(value: &str) -> Option<i64> {
    let normalized = value.trim().replace(" +0000", " GMT").replace(" UTC", " GMT");
    let at = httpdate::parse_http_date(&normalized).ok()?;
    i64::try_from(at.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs()).ok()
}

/// The offset, in seconds, added to the local clock to match the service's: shared by a client and its clones.
#[derive(Debug, Default)]
pub(crate) struct ClockOffset(AtomicI64);

impl ClockOffset {
    /// The offset now.
    pub(crate) fn secs(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }

    /// The request timestamp: now, shifted by the offset.
    pub(crate) fn timestamp(&self) -> String {
        format_utc(unix_now().saturating_add(self.secs()))
    }

    /// Learns the offset from the service's clock (`server_now`, Unix seconds) unless it is implausibly far
    /// ([`MAX_CLOCK_SKEW`]); says whether it did.
    pub(crate) fn learn(&self, server_now: i64) -> bool {
        let offset = server_now.saturating_sub(unix_now());
        if offset.unsigned_abs() > MAX_CLOCK_SKEW.as_secs() {
            tracing::warn!(
                offset_secs = offset,
                max_secs = MAX_CLOCK_SKEW.as_secs(),
                "the service's Date header is implausibly far from this clock; ignored"
            );
            return false;
        }
        self.0.store(offset, Ordering::Relaxed);
        tracing::info!(
            offset_secs = offset,
            "clock skew corrected from the service's Date header"
        );
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_parse() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:01:40 GMT"), Some(100));
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:01:40 +0000"), Some(100));
        assert_eq!(parse_http_date("not a date"), None);
    }

    #[test]
    fn timestamps_are_total_and_exact() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(1_795_457_154), "2026-11-23T18:05:54Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(-5), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(i64::MAX), "9999-12-31T23:59:59Z");
        assert_eq!(format_utc(i64::MIN), "1970-01-01T00:00:00Z");
        // Every day of three centuries against the calendar's own arithmetic.
        let mut days = 0i64;
        for year in 1970..2300i64 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            for (month, len) in [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
                .iter()
                .enumerate()
            {
                for day in 1..=*len {
                    assert_eq!(
                        format_utc(days * 86_400)[..10],
                        format!("{year:04}-{:02}-{day:02}", month + 1)
                    );
                    days += 1;
                }
            }
        }
    }

    #[test]
    fn the_offset_is_learned_only_when_plausible() {
        let clock = ClockOffset::default();
        assert!(clock.learn(unix_now() + 600));
        assert!((599..=601).contains(&clock.secs()), "{}", clock.secs());
        assert!(!clock.learn(unix_now() + 2 * 86_400));
        assert!(
            (599..=601).contains(&clock.secs()),
            "an implausible Date changes nothing"
        );
    }
}
