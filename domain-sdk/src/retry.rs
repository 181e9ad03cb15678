//! Retry policy: which failures are retried (by idempotency), exponential backoff with full jitter, and the
//! client-wide retry budget (a token bucket) that keeps a fleet of failing calls from multiplying the load.

use std::sync::Mutex;
use std::time::Duration;

/// How failed attempts are retried. On by default ([`RetryConfig::default`]).
///
/// An attempt is retried when it failed in a way a retry may fix — a connection that could not be made,
/// a throttled request, a server error — and never after a client error. An action that is not idempotent
/// (it creates orders or tasks) is retried only when the request provably never reached the server (the
/// connection failed) or the server answered `Throttling`: never after an ambiguous failure, such as a
/// timeout after sending or a connection reset mid-response, that might have created a duplicate.
///
/// Retries also draw on a budget shared by every call of a client (and its clones): see [`RetryBudget`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_throttle_delay: Duration,
    budget: Option<RetryBudget>,
    retry_codes: Vec<String>,
    never_retry_codes: Vec<String>,
}

impl Default for RetryConfig {
    /// 3 attempts, backoff from 200 ms doubling up to 5 s, with full jitter, within the default
    /// [`RetryBudget`]; a throttled answer's own wait honoured up to 60 s.
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_throttle_delay: Duration::from_secs(60),
            budget: Some(RetryBudget::default()),
            retry_codes: Vec::new(),
            never_retry_codes: Vec::new(),
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

    /// The longest wait a throttled answer may ask for (`x-acs-retry-after`, `Retry-After`) that the client
    /// honours before its next attempt (default 60 s); a longer one is cut to this.
    pub fn with_max_throttle_delay(mut self, delay: Duration) -> Self {
        self.max_throttle_delay = delay;
        self
    }

    /// Also retries an answer with error `code` (say, a code your account sees during maintenance), like a server
    /// error: for idempotent actions only, since the service may have acted on the request. Codes listed by
    /// [`never_retry_code`](Self::never_retry_code) win.
    pub fn retry_code(mut self, code: impl Into<String>) -> Self {
        self.retry_codes.push(code.into());
        self
    }

    /// Never retries an answer with error `code`, even one retried by default (`Throttling`,
    /// `ServiceUnavailable`, …).
    pub fn never_retry_code(mut self, code: impl Into<String>) -> Self {
        self.never_retry_codes.push(code.into());
        self
    }

    /// The longest throttling wait honoured.
    pub fn max_throttle_delay(&self) -> Duration {
        self.max_throttle_delay
    }

    /// How an error answer counts for retrying: the user's rules by code first, then `Throttling` (and
    /// `Throttling.*`), then what §6.1 says of the code (`retryable`), then the status (5xx: a server error).
    pub(crate) fn classify(&self, status: u16, code: Option<&str>, documented_retryable: bool) -> Failure {
        let listed = |codes: &[String]| code.is_some_and(|c| codes.iter().any(|x| x == c));
        if listed(&self.never_retry_codes) {
            Failure::Client
        } else if code.is_some_and(|c| c == "Throttling" || c.starts_with("Throttling.")) {
            Failure::Throttled
        } else if listed(&self.retry_codes) || documented_retryable || status >= 500 {
            Failure::Server
        } else {
            Failure::Client
        }
    }

    /// Retries draw on this client-wide budget (the default is [`RetryBudget::default`]).
    pub fn with_budget(mut self, budget: RetryBudget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// Retries draw on no budget: every call may retry up to its attempts, whatever the others do.
    pub fn without_budget(mut self) -> Self {
        self.budget = None;
        self
    }

    /// How many attempts at most.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The retry budget, if retries draw on one.
    pub fn budget(&self) -> Option<&RetryBudget> {
        self.budget.as_ref()
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

/// A client-wide budget of retries, as in aws-smithy's standard retry strategy: a bucket of tokens shared by every
/// call of a client. Each retry takes tokens (more after a timeout, a lost connection or throttling, which are
/// the signs of an overloaded service); each call that succeeds at its first attempt puts one back, and one that
/// succeeds after retrying gives back what its retries took. When the bucket cannot pay for a retry, the call
/// fails with its last error at once: during an outage a burst of calls makes a few retries in all, not
/// `max_attempts` each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryBudget {
    capacity: u32,
    retry_cost: u32,
    timeout_cost: u32,
    success_refill: u32,
}

impl Default for RetryBudget {
    /// 500 tokens; a retry costs 5, or 10 after a timeout, a lost connection or throttling; a first-attempt
    /// success refills 1 (aws-smithy's figures).
    fn default() -> Self {
        RetryBudget {
            capacity: 500,
            retry_cost: 5,
            timeout_cost: 10,
            success_refill: 1,
        }
    }
}

impl RetryBudget {
    /// How many tokens the bucket holds, full (it starts full).
    pub fn with_capacity(mut self, tokens: u32) -> Self {
        self.capacity = tokens;
        self
    }

    /// What a retry after a server error costs.
    pub fn with_retry_cost(mut self, tokens: u32) -> Self {
        self.retry_cost = tokens;
        self
    }

    /// What a retry after a timeout, a lost or refused connection, or throttling costs.
    pub fn with_timeout_cost(mut self, tokens: u32) -> Self {
        self.timeout_cost = tokens;
        self
    }

    /// What a call that succeeds at its first attempt puts back.
    pub fn with_success_refill(mut self, tokens: u32) -> Self {
        self.success_refill = tokens;
        self
    }

    /// How many tokens the bucket holds, full.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// What a retry after `failure` costs.
    pub(crate) fn cost(&self, failure: Failure) -> u32 {
        match failure {
            Failure::Server | Failure::Client => self.retry_cost,
            Failure::Connect | Failure::Throttled | Failure::Ambiguous => self.timeout_cost,
        }
    }
}

/// The tokens of a client's [`RetryBudget`], shared by its clones.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    budget: Option<RetryBudget>,
    available: Mutex<u32>,
}

impl TokenBucket {
    pub(crate) fn new(budget: Option<RetryBudget>) -> Self {
        TokenBucket {
            available: Mutex::new(budget.map_or(0, |b| b.capacity)),
            budget,
        }
    }

    fn tokens(&self) -> std::sync::MutexGuard<'_, u32> {
        // The guarded value is a plain counter: a panic elsewhere cannot leave it inconsistent.
        self.available.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes what a retry after `failure` costs: `Some(cost)` if the budget could pay (`Some(0)` without a
    /// budget), `None` if it could not.
    pub(crate) fn take(&self, failure: Failure) -> Option<u32> {
        let Some(budget) = &self.budget else {
            return Some(0);
        };
        let cost = budget.cost(failure);
        let mut available = self.tokens();
        if *available < cost {
            return None;
        }
        *available -= cost;
        Some(cost)
    }

    /// A call succeeded after retries that took `spent` tokens (0 if it succeeded at once).
    pub(crate) fn succeeded(&self, spent: u32) {
        let Some(budget) = &self.budget else {
            return;
        };
        let back = if spent == 0 { budget.success_refill } else { spent };
        let mut available = self.tokens();
        *available = available.saturating_add(back).min(budget.capacity);
    }

    /// Tokens left.
    #[cfg(test)]
    fn available(&self) -> u32 {
        *self.tokens()
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
    fn error_codes_are_classified_by_the_users_rules_first() {
        let default = RetryConfig::default();
        assert_eq!(
            default.classify(400, Some("Throttling.User"), false),
            Failure::Throttled
        );
        assert_eq!(default.classify(503, Some("ServiceUnavailable"), true), Failure::Server);
        assert_eq!(default.classify(400, Some("DomainNotExist"), false), Failure::Client);
        assert_eq!(default.classify(502, None, false), Failure::Server);
        let custom = RetryConfig::default()
            .retry_code("DomainNotExist")
            .never_retry_code("Throttling")
            .never_retry_code("ServiceUnavailable");
        assert_eq!(custom.classify(400, Some("DomainNotExist"), false), Failure::Server);
        assert_eq!(custom.classify(400, Some("Throttling"), false), Failure::Client);
        assert_eq!(custom.classify(503, Some("ServiceUnavailable"), true), Failure::Client);
        // A code retried by the user's rule is still never retried for an order (not idempotent).
        assert!(!is_retryable(
            custom.classify(400, Some("DomainNotExist"), false),
            false
        ));
    }

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
    fn the_budget_pays_for_retries_until_it_is_empty_and_successes_refill_it() {
        let bucket = TokenBucket::new(Some(RetryBudget::default().with_capacity(22)));
        assert_eq!(bucket.take(Failure::Server), Some(5));
        assert_eq!(bucket.take(Failure::Throttled), Some(10), "throttling costs more");
        assert_eq!(bucket.take(Failure::Server), Some(5));
        assert_eq!(bucket.available(), 2);
        assert_eq!(bucket.take(Failure::Server), None, "cannot pay: no retry");
        assert_eq!(bucket.available(), 2, "a refused retry takes nothing");
        bucket.succeeded(10);
        assert_eq!(
            bucket.available(),
            12,
            "a success after retries gives back what they took"
        );
        bucket.succeeded(0);
        assert_eq!(bucket.available(), 13);
        for _ in 0..100 {
            bucket.succeeded(0);
        }
        assert_eq!(bucket.available(), 22, "never above the capacity");

        let unlimited = TokenBucket::new(None);
        for _ in 0..1000 {
            assert_eq!(unlimited.take(Failure::Ambiguous), Some(0));
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
