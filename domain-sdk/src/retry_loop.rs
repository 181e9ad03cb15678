//! The retry loop: attempts until one succeeds or the policy says stop. It retries only what is safe for the
//! action (by idempotency), within the client's budget, after a jittered backoff — or at least as long as a
//! throttled answer asked, within the policy's cap and the operation's deadline — and retries once at once after
//! learning the service's clock from a skew error. A function of the attempts, the policy, the budget and the
//! clock: tested with scripted attempts and a paused clock.

use std::future::Future;
use std::time::Duration;

use crate::clock::{ClockOffset, CLOCK_SKEW_CODES};
use crate::error::Error;
use crate::retry::{is_retryable, Failure, RetryConfig, TokenBucket};

/// What one attempt produced.
pub(crate) struct Outcome {
    pub(crate) result: Result<(), Error>,
    /// How it failed, as far as retrying is concerned (`None`: never retried, such as missing credentials).
    pub(crate) failure: Option<Failure>,
    /// The service's clock, from its `Date` header, in Unix seconds.
    pub(crate) server_date: Option<i64>,
    /// The HTTP status, when an answer came.
    pub(crate) status: Option<u16>,
}

/// Which retry an attempt is, and how long the loop waited before it (sent as `x-acs-retry-attempts` and
/// `x-acs-retry-delay`, as the official runtimes do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryInfo {
    pub(crate) retries: u32,
    pub(crate) delay: Duration,
}

/// The attempts of one call.
pub(crate) trait Attempts {
    /// Attempt number `number` (1-based); `retry` is set for a retry after a failure.
    fn attempt(&mut self, number: u32, retry: Option<RetryInfo>) -> impl Future<Output = Outcome> + Send;
}

/// What the loop decides with.
pub(crate) struct Policy<'a> {
    pub(crate) retry: &'a RetryConfig,
    pub(crate) budget: &'a TokenBucket,
    pub(crate) clock: &'a ClockOffset,
    pub(crate) idempotent: bool,
    /// When the whole call's time is up: no wait may end after it.
    pub(crate) deadline: tokio::time::Instant,
}

/// Runs the attempts as the policy says, and returns the last one's result.
pub(crate) async fn run(attempts: &mut impl Attempts, policy: &Policy<'_>) -> Result<(), Error> {
    let mut skew_corrected = false;
    let mut number = 0u32;
    let mut retries = 0u32;
    let mut spent = 0u32;
    let mut next: Option<RetryInfo> = None;
    loop {
        number += 1;
        let outcome = attempts.attempt(number, next).await;
        let Err(error) = outcome.result else {
            policy.budget.succeeded(spent);
            return Ok(());
        };
        // The service rejected our timestamp: learn its clock from `Date` and try once more at once, unless
        // the `Date` is implausible.
        if let (Some(code), Some(server_now)) = (error.code(), outcome.server_date) {
            if CLOCK_SKEW_CODES.contains(&code) && !skew_corrected {
                skew_corrected = true;
                if policy.clock.learn(server_now) {
                    next = None;
                    continue;
                }
            }
        }
        let failure = match outcome.failure {
            Some(f) if is_retryable(f, policy.idempotent) && retries + 1 < policy.retry.max_attempts() => f,
            _ => return Err(error),
        };
        let asked = error
            .as_service_error()
            .and_then(|s| s.retry_after)
            .map(|d| d.min(policy.retry.max_throttle_delay()));
        let wait = retry_wait(policy.retry.backoff(retries + 1), asked);
        if tokio::time::Instant::now() + wait >= policy.deadline {
            tracing::warn!(
                attempt = number,
                wait_ms = wait.as_millis() as u64,
                error = %error,
                "not retrying: the wait would outlast the operation timeout"
            );
            return Err(error);
        }
        match policy.budget.take(failure) {
            Some(cost) => spent += cost,
            None => {
                tracing::warn!(
                    attempt = number,
                    error = %error,
                    "not retrying: the client's retry budget is spent (the service is failing for many calls)"
                );
                return Err(error);
            }
        }
        retries += 1;
        tracing::info!(
            attempt = number,
            backoff_ms = wait.as_millis() as u64,
            throttle_hint_ms = asked.map(|d| d.as_millis() as u64),
            error = %error,
            "retrying"
        );
        tokio::time::sleep(wait).await;
        next = Some(RetryInfo { retries, delay: wait });
    }
}

/// The wait before a retry: the jittered backoff, or at least what the service asked.
fn retry_wait(backoff: Duration, asked: Option<Duration>) -> Duration {
    asked.map_or(backoff, |asked| asked.max(backoff))
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::time::Duration;

    use super::*;
    use crate::error::ServiceError;
    use crate::retry::RetryBudget;

    /// Attempts that answer from a script, recording when each started and what retry it was.
    struct Script {
        outcomes: VecDeque<Outcome>,
        seen: Vec<(u32, Option<RetryInfo>, tokio::time::Instant)>,
    }

    impl Attempts for Script {
        fn attempt(&mut self, number: u32, retry: Option<RetryInfo>) -> impl Future<Output = Outcome> + Send {
            self.seen.push((number, retry, tokio::time::Instant::now()));
            let outcome = self
                .outcomes
                .pop_front()
                .expect("the script has an outcome for every attempt");
            async move { outcome }
        }
    }

    fn ok() -> Outcome {
        Outcome {
            result: Ok(()),
            failure: None,
            server_date: None,
            status: None,
        }
    }

    fn service(code: &str, failure: Failure, retry_after: Option<Duration>) -> Outcome {
        let error = ServiceError {
            action: "Test",
            status: 400,
            code: Some(code.to_owned()),
            message: None,
            request_id: None,
            host_id: None,
            recommend: None,
            global: None,
            signature_mismatch: None,
            body_excerpt: None,
            retry_after,
        };
        Outcome {
            result: Err(error.into()),
            failure: Some(failure),
            server_date: None,
            status: None,
        }
    }

    struct Fixture {
        retry: RetryConfig,
        budget: TokenBucket,
        clock: ClockOffset,
    }

    impl Fixture {
        fn new(retry: RetryConfig) -> Self {
            Fixture {
                budget: TokenBucket::new(retry.budget().copied()),
                retry,
                clock: ClockOffset::default(),
            }
        }

        async fn run(
            &self,
            outcomes: Vec<Outcome>,
            idempotent: bool,
            timeout: Duration,
        ) -> (Result<(), Error>, Script) {
            let mut script = Script {
                outcomes: outcomes.into(),
                seen: Vec::new(),
            };
            let policy = Policy {
                retry: &self.retry,
                budget: &self.budget,
                clock: &self.clock,
                idempotent,
                deadline: tokio::time::Instant::now() + timeout,
            };
            let result = run(&mut script, &policy).await;
            (result, script)
        }
    }

    const LONG: Duration = Duration::from_secs(600);

    #[tokio::test(start_paused = true)]
    async fn a_throttled_answer_is_retried_no_sooner_than_it_asked_and_the_retry_says_so() {
        let fixture = Fixture::new(RetryConfig::default().with_max_backoff(Duration::from_millis(10)));
        let hint = Duration::from_millis(1500);
        let (result, script) = fixture
            .run(
                vec![service("Throttling", Failure::Throttled, Some(hint)), ok()],
                false,
                LONG,
            )
            .await;
        assert!(result.is_ok());
        let [(1, None, first), (2, Some(retry), second)] = script.seen[..] else {
            panic!("{:?}", script.seen.iter().map(|s| (s.0, s.1)).collect::<Vec<_>>());
        };
        assert!(second - first >= hint, "waited {:?}", second - first);
        assert_eq!(
            retry,
            RetryInfo {
                retries: 1,
                delay: second - first
            }
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_throttling_wait_is_capped_and_never_outlasts_the_operation() {
        let capped = Fixture::new(RetryConfig::default().with_max_throttle_delay(Duration::from_secs(2)));
        let asked = Some(Duration::from_secs(3600));
        let (result, script) = capped
            .run(vec![service("Throttling", Failure::Throttled, asked), ok()], true, LONG)
            .await;
        assert!(result.is_ok());
        let waited = script.seen[1].2 - script.seen[0].2;
        assert!(
            waited >= Duration::from_secs(2) && waited < Duration::from_secs(10),
            "{waited:?}"
        );

        // A wait that would end after the operation's deadline is not waited: the call fails at once.
        let fixture = Fixture::new(RetryConfig::default());
        let started = tokio::time::Instant::now();
        let (result, script) = fixture
            .run(
                vec![service("Throttling", Failure::Throttled, Some(Duration::from_secs(30)))],
                true,
                Duration::from_secs(10),
            )
            .await;
        assert_eq!(result.unwrap_err().code(), Some("Throttling"));
        assert_eq!(script.seen.len(), 1);
        assert_eq!(tokio::time::Instant::now(), started, "no time passed");
    }

    #[tokio::test(start_paused = true)]
    async fn an_order_is_never_sent_again_after_an_ambiguous_failure() {
        let fixture = Fixture::new(RetryConfig::default());
        let ambiguous = || Outcome {
            result: Err(Error::Internal("timeout after sending".to_owned())),
            failure: Some(Failure::Ambiguous),
            server_date: None,
            status: None,
        };
        let (result, script) = fixture.run(vec![ambiguous()], false, LONG).await;
        assert!(result.is_err());
        assert_eq!(script.seen.len(), 1, "not idempotent: one attempt");
        let (result, script) = fixture.run(vec![ambiguous(), ambiguous(), ok()], true, LONG).await;
        assert!(result.is_ok());
        assert_eq!(script.seen.len(), 3, "idempotent: retried");
        // But a connection that could not be made never reached the service: even an order is retried.
        let refused = Outcome {
            result: Err(Error::Internal("refused".to_owned())),
            failure: Some(Failure::Connect),
            server_date: None,
            status: None,
        };
        let (result, script) = fixture.run(vec![refused, ok()], false, LONG).await;
        assert!(result.is_ok());
        assert_eq!(script.seen.len(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn attempts_stop_at_the_maximum_and_when_the_budget_is_spent() {
        let fixture = Fixture::new(RetryConfig::default().with_max_attempts(4));
        let server = || service("ServiceUnavailable", Failure::Server, None);
        let (result, script) = fixture
            .run(vec![server(), server(), server(), server()], true, LONG)
            .await;
        assert_eq!(result.unwrap_err().code(), Some("ServiceUnavailable"));
        assert_eq!(script.seen.len(), 4);

        // A budget that pays for one retry only.
        let tight = Fixture::new(
            RetryConfig::default()
                .with_max_attempts(10)
                .with_budget(RetryBudget::default().with_capacity(5).with_retry_cost(5)),
        );
        let (result, script) = tight.run(vec![server(), server(), server()], true, LONG).await;
        assert!(result.is_err());
        assert_eq!(script.seen.len(), 2, "one retry paid, the next refused");
        // A client error is never retried.
        let (result, script) = fixture
            .run(vec![service("DomainNotExist", Failure::Client, None)], true, LONG)
            .await;
        assert!(result.is_err());
        assert_eq!(script.seen.len(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_skew_error_is_retried_once_at_once_after_learning_the_clock() {
        let fixture = Fixture::new(RetryConfig::disabled());
        let now = crate::clock::unix_now();
        let skewed = |date: i64| {
            let mut outcome = service("InvalidTimeStamp.Expired", Failure::Client, None);
            outcome.server_date = Some(date);
            outcome
        };
        let started = tokio::time::Instant::now();
        let (result, script) = fixture.run(vec![skewed(now + 900), ok()], false, LONG).await;
        assert!(result.is_ok(), "retried despite no retries configured");
        assert_eq!(script.seen.len(), 2);
        assert_eq!(script.seen[1].1, None, "not a retry of a failure: sent at once");
        assert_eq!(tokio::time::Instant::now(), started);
        assert!((899..=901).contains(&fixture.clock.secs()));
        // Only once per call, and never from an implausible Date.
        let (result, script) = fixture
            .run(vec![skewed(now + 900), skewed(now + 900)], false, LONG)
            .await;
        assert!(result.is_err());
        assert_eq!(script.seen.len(), 2);
        let fresh = Fixture::new(RetryConfig::disabled());
        let (result, script) = fresh.run(vec![skewed(now + 10 * 86_400)], false, LONG).await;
        assert!(result.is_err());
        assert_eq!(script.seen.len(), 1);
        assert_eq!(fresh.clock.secs(), 0);
    }
}
