//! Retry policy: which failures are retried (by idempotency), and exponential backoff with full jitter.

use std::time::Duration;

/// How failed attempts are retried. On by default ([`RetryConfig::default`]).
///
/// An attempt is retried when it failed in a way a retry may fix — a connection that could not be made,
/// a throttled request, a server error — and never after a client error. An action that is not idempotent
/// (it creates orders or tasks) is retried only when the request provably never reached the server (the
/// connection failed) or the server answered `Throttling`: never after an ambiguous failure, such as a
/// timeout after sending or a connection reset mid-response, that might have created a duplicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    /// 3 attempts, backoff from 200 ms doubling up to 5 s, with full jitter.
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryConfig {
    /// No retries: one attempt only.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How many attempts at most, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry; each further retry doubles it, up to `max_backoff`.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff between two attempts.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// How many attempts at most.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The upper bound of the wait before retry number `retry` (1-based): `initial × 2^(retry-1)`, capped.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
    }

    /// The wait before retry number `retry`: uniformly random in `[0, ceiling]` ("full jitter").
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// How an attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The connection could not be made: the request never reached the server.
    Connect,
    /// The server answered `Throttling` (or a `Throttling.*` code): it did not process the request.
    Throttled,
    /// A server-side failure (HTTP 5xx, `ServiceUnavailable`, `InternalError`): the request may or may not have
    /// been processed.
    Server,
    /// The request may have reached the server and the answer was lost (timeout after sending, reset, cut-off body).
    Ambiguous,
    /// The request was wrong; a retry gives the same answer.
    Client,
}

/// Whether a failure of this kind is retried, for an idempotent action or not.
pub fn is_retryable(failure: Failure, idempotent: bool) -> bool {
    match failure {
        Failure::Connect | Failure::Throttled => true,
        Failure::Server | Failure::Ambiguous => idempotent,
        Failure::Client => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_idempotent_actions_retry_only_when_nothing_can_have_happened() {
        for (failure, idempotent, retried) in [
            (Failure::Connect, false, true),
            (Failure::Throttled, false, true),
            (Failure::Server, false, false),
            (Failure::Ambiguous, false, false),
            (Failure::Client, false, false),
            (Failure::Connect, true, true),
            (Failure::Throttled, true, true),
            (Failure::Server, true, true),
            (Failure::Ambiguous, true, true),
            (Failure::Client, true, false),
        ] {
            assert_eq!(
                is_retryable(failure, idempotent),
                retried,
                "{failure:?} idempotent={idempotent}"
            );
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_below_the_ceiling() {
        let c = RetryConfig::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(350));
        assert_eq!(c.backoff_ceiling(1), Duration::from_millis(100));
        assert_eq!(c.backoff_ceiling(2), Duration::from_millis(200));
        assert_eq!(c.backoff_ceiling(3), Duration::from_millis(350));
        assert_eq!(c.backoff_ceiling(40), Duration::from_millis(350));
        for retry in 1..6 {
            assert!(c.backoff(retry) <= c.backoff_ceiling(retry));
        }
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
        assert_eq!(RetryConfig::default().with_max_attempts(0).max_attempts(), 1);
    }
}
