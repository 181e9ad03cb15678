//! In-process mocks: a [`Mock`] is a `domain_sdk::Transport` that answers each signed request from rules of
//! your test, so a `Client` runs its whole call path — layout, signing, retries, decoding, errors — with no
//! socket, no server and no thread of its own.
//!
//! A rule is for one action, typed by the client method that sends it ([`Mock::on`]`(Client::check_domain)`):
//! it takes the requests that match its conditions (wire parameters, a predicate, an example input built with
//! the SDK's own builder), a number of times, and answers with the action's output type, a service error, any
//! HTTP answer, or a transport failure. Rules are tried in the order they were added; a rule used up leaves
//! the next requests to the matching rules after it. A request no rule takes gets an error answer naming the
//! action and the rules there are ([`NO_RULE_MATCHED`]), never a panic.
//!
//! ```
//! use domain_sdk::operation::check_domain::{CheckDomainInput, CheckDomainOutput};
//! use domain_sdk::{Client, TransportErrorKind};
//! use domain_sdk_test_server::mock::Mock;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let mock = Mock::new();
//! let mut taken = CheckDomainOutput::default();
//! taken.avail = Some("0".into());
//! // The first call for b.com finds the connection refused (the client retries), the next says it is taken.
//! mock.on(Client::check_domain).param("DomainName", "b.com").fail_transport(TransportErrorKind::Connect);
//! mock.on(Client::check_domain)
//!     .match_input(CheckDomainInput::builder().domain_name("b.com").build())
//!     .reply(taken);
//!
//! let client = mock.client(); // test key, quick retries, an endpoint that no socket could reach
//! let out = client.check_domain().domain_name("b.com").send().await.unwrap();
//! assert_eq!(out.avail.unwrap().as_str(), "0");
//! assert_eq!(mock.requests().len(), 2);
//! mock.assert_all_used();
//! # }
//! ```
//!
//! Rules match on the request's wire parameters, read back from the wire as the service reads them; a
//! predicate over the typed input (`|input: &CheckDomainInput| …`) would need the SDK to parse parameters back
//! into its inputs, which it does not generate. [`RuleBuilder::match_input`] compares with an example input
//! instead, and [`Params`] reads parameters typed.

mod params;
mod rule;

use std::fmt;
use std::future::ready;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use domain_sdk::transport::TransportFuture;
use domain_sdk::{
    AttemptLimits, Client, ClientBuilder, Credentials, HttpRequest, HttpResponse, RetryConfig, Sendable, Transport,
    TransportError, TransportErrorKind,
};

pub use params::{MockInput, Params, WireParams};
pub use rule::{Rule, RuleBuilder};

use crate::fault::{missing_parameter, Fault};
use crate::request::{RecordedRequest, Verdict};
use crate::shared::lock;
use crate::validate::edit_distance;
use crate::{Code, ACTIONS, TEST_KEY_ID, TEST_KEY_SECRET};
use rule::{Resolved, RuleState};

/// The endpoint of [`Mock::client`]: a name under `.invalid`, which never resolves, so no request could
/// leave the process unnoticed.
pub const MOCK_ENDPOINT: &str = "http://domain.mock.invalid";

/// The error code a mock answers a request that no rule takes (HTTP 400, not retried); its message names the
/// action, the request's parameters and the action's rules.
///
/// The mock's own codes start with `Mock.`: no service code does, so none is taken for the service's.
pub const NO_RULE_MATCHED: &str = "Mock.NoRuleMatched";

/// The error code a mock answers when a rule's output cannot be serialized as JSON (HTTP 400).
pub const INVALID_REPLY: &str = "Mock.InvalidReply";

/// An output type of the SDK (`CheckDomainOutput`, …): what a rule started with [`Mock::on`] answers.
/// Implemented for every output of `domain-sdk` (whose `serialize` feature this crate enables); there is
/// nothing to implement yourself.
pub trait MockOutput: serde::Serialize + 'static {
    /// The type's name in the SDK (`CheckDomainOutput`), from which the mock finds the action.
    fn sdk_type_name() -> &'static str;
}

impl<T: domain_sdk::__private::DecodeFields + serde::Serialize + 'static> MockOutput for T {
    fn sdk_type_name() -> &'static str {
        T::NAME
    }
}

/// What a mock shares with its rules, its clients and their clones.
#[derive(Default)]
pub(crate) struct Shared {
    rules: Mutex<Vec<Arc<RuleState>>>,
    requests: Mutex<Vec<RecordedRequest>>,
    serial: AtomicU64,
}

impl Shared {
    pub(crate) fn add(&self, rule: Arc<RuleState>) {
        lock(&self.rules).push(rule);
    }

    /// Picks the answer to `request` (recording it), and how long to hold it back.
    fn answer(
        &self,
        request: &HttpRequest,
        limits: &AttemptLimits,
    ) -> (Option<Duration>, Result<HttpResponse, TransportError>) {
        let serial = self.serial.fetch_add(1, Ordering::Relaxed) + 1;
        let request_id = format!("00000000-0000-4000-8000-{serial:012X}");
        let origin = request.origin();
        let host = origin.split_once("://").map_or(origin, |(_, host)| host);
        let (mut record, readable) = params::record(request);
        let picked = match (readable, record.action()) {
            (Err(why), _) => Err(Code::InvalidParameter.fault_with(format!("The request could not be parsed: {why}."))),
            (Ok(()), None) => Err(missing_parameter("Action")),
            (Ok(()), Some(action)) => self.pick(&action, &record),
        };
        let (delay, answer) = match picked {
            Ok(picked) => picked,
            Err(refusal) => {
                record.verdict = Verdict::Rejected(refusal.code().to_owned());
                (None, Resolved::Fault(refusal))
            }
        };
        lock(&self.requests).push(record);
        let json = |status: u16, body: String| {
            HttpResponse::new(
                status,
                vec![
                    ("content-type".to_owned(), "application/json;charset=utf-8".to_owned()),
                    ("x-acs-request-id".to_owned(), request_id.clone()),
                ],
                body,
            )
        };
        let result = match answer {
            Resolved::Json(Ok(body)) => Ok(json(200, body)),
            Resolved::Json(Err(why)) => Ok(json(400, own_fault(Own::InvalidReply, why).body(&request_id, host))),
            Resolved::Fault(fault) => Ok(json(fault.status(), fault.body(&request_id, host))),
            Resolved::Http(response) => Ok(response),
            Resolved::Transport(kind) => Err(transport_error(kind, origin, limits)),
        };
        (delay, result)
    }

    /// The first rule that takes the request (counted as used): its delay and answer; else the no-rule error.
    fn pick(&self, action: &str, record: &RecordedRequest) -> Result<(Option<Duration>, Resolved), Fault> {
        let params = Params::of(action, record);
        // The predicates run with no lock held: one may read the mock.
        let rules: Vec<Arc<RuleState>> = lock(&self.rules).clone();
        for rule in &rules {
            if rule.accepts(&params) && rule.claim() {
                return Ok((rule.delay, rule.answer.resolve(&params)));
            }
        }
        Err(no_rule(&params, &rules))
    }
}

/// The answers of the mock's own (not its rules'). The fake answers only the documented codes of [`Code`]; the
/// mock is no fake of the service, and its own codes say so by their `Mock.` prefix.
#[derive(Clone, Copy)]
enum Own {
    NoRuleMatched,
    InvalidReply,
}

impl Own {
    fn code(self) -> &'static str {
        match self {
            Own::NoRuleMatched => NO_RULE_MATCHED,
            Own::InvalidReply => INVALID_REPLY,
        }
    }
}

/// An answer of the mock's own (HTTP 400: not retried).
fn own_fault(own: Own, message: String) -> Fault {
    Fault::new(400, own.code(), message)
}

/// The error answer to a request no rule takes: the action, the request's parameters, the action's rules.
fn no_rule(params: &Params, rules: &[Arc<RuleState>]) -> Fault {
    let action = params.action();
    let own: Vec<String> = rules
        .iter()
        .filter(|rule| rule.action == action)
        .map(|rule| rule.describe())
        .collect();
    let rules_text = if own.is_empty() {
        format!("the mock has no rule for {action}")
    } else {
        format!("its rules for {action}: {}", own.join("; "))
    };
    own_fault(
        Own::NoRuleMatched,
        format!(
            "No rule of the mock matched this {action} request ({}); {rules_text}.",
            params.describe()
        ),
    )
}

/// The failure a transport rule plays, worded as the SDK's own transport words it.
fn transport_error(kind: TransportErrorKind, origin: &str, limits: &AttemptLimits) -> TransportError {
    match kind {
        TransportErrorKind::Connect => TransportError::connect(
            format!("could not connect to {origin}: connection refused (a rule of the mock)"),
            None,
        ),
        TransportErrorKind::Timeout => TransportError::timeout(format!(
            "the answer did not arrive within the {:?} attempt timeout (a rule of the mock)",
            limits.attempt_timeout
        )),
        _ => TransportError::other(
            "the connection was reset before the answer was complete (a rule of the mock)",
            None,
        ),
    }
}

/// The action whose SDK type is named `name` (`QueryDsRecordOutput` is of `QueryDSRecord`): the SDK's type
/// names are its actions' names with acronyms in one case, so the comparison ignores case.
fn action_of_type(name: &str) -> Option<&'static str> {
    let stem = name.strip_suffix("Output").unwrap_or(name);
    ACTIONS
        .iter()
        .map(|spec| spec.action)
        .find(|action| action.eq_ignore_ascii_case(stem))
}

/// A fake of the service inside your test: rules answer the requests of the clients wired to it (see the
/// [module documentation](self)). Clones share the rules and the record.
#[derive(Clone, Default)]
pub struct Mock {
    shared: Arc<Shared>,
}

impl Mock {
    /// A mock with no rule (every request gets the [`NO_RULE_MATCHED`] error until rules are added).
    pub fn new() -> Mock {
        Mock::default()
    }

    /// Starts a rule for the action that `operation` sends, given as the client's method:
    /// `mock.on(Client::query_domain_list)`. Its [`reply`](RuleBuilder::reply) takes that action's output
    /// type only. Give the method itself: it is not called, so a closure that also sets parameters
    /// (`|c| c.check_domain().domain_name("a.com")`) matches on none of them; conditions go on the rule.
    pub fn on<F, B>(&self, operation: F) -> RuleBuilder<B::Output, B::Input>
    where
        F: FnOnce(&Client) -> B,
        B: Sendable + domain_sdk::__private::HasInput,
        B::Output: MockOutput,
    {
        let _ = operation;
        let type_name = <B::Output as MockOutput>::sdk_type_name();
        match action_of_type(type_name) {
            Some(action) => RuleBuilder::new(self.shared.clone(), action.to_owned(), None),
            None => RuleBuilder::new(
                self.shared.clone(),
                type_name.to_owned(),
                Some(format!("{type_name} is the output of no action this crate knows")),
            ),
        }
    }

    /// Starts a rule for `action` by its name (`"CheckDomain"`), answered with any JSON value. An action the
    /// spec does not have makes a rule that never matches, listed with the nearest name by
    /// [`unused_rules`](Self::unused_rules).
    pub fn on_action(&self, action: &str) -> RuleBuilder<serde_json::Value> {
        let problem = crate::action_spec(action).is_none().then(|| {
            let nearest = ACTIONS
                .iter()
                .map(|spec| {
                    (
                        edit_distance(&action.to_ascii_lowercase(), &spec.action.to_ascii_lowercase()),
                        spec.action,
                    )
                })
                .min();
            match nearest {
                Some((distance, near)) if distance <= 3 => {
                    format!("the spec has no action {action} (did you mean {near}?)")
                }
                _ => format!("the spec has no action {action}"),
            }
        });
        RuleBuilder::new(self.shared.clone(), action.to_owned(), problem)
    }

    /// A client builder wired to this mock: the endpoint [`MOCK_ENDPOINT`], the test key, and retries that do
    /// not wait (up to 3 attempts, no backoff, a throttle's `x-acs-retry-after` not honoured). Change what you
    /// like before `build()`; set your own `.retry(…)` to test waits (under `tokio::time::pause`, they take no
    /// real time).
    pub fn builder(&self) -> ClientBuilder {
        Client::builder()
            .endpoint(MOCK_ENDPOINT)
            .credentials(Credentials::new(TEST_KEY_ID, TEST_KEY_SECRET))
            .retry(
                RetryConfig::default()
                    .with_initial_backoff(Duration::ZERO)
                    .with_max_backoff(Duration::ZERO)
                    .with_max_throttle_delay(Duration::ZERO),
            )
            .transport(self.clone())
    }

    /// A client wired to this mock, as [`builder`](Self::builder) makes it.
    ///
    /// # Panics
    /// Never in practice: the builder's settings are fixed and valid.
    pub fn client(&self) -> Client {
        self.builder()
            .build()
            .expect("a client with the mock's fixed settings builds")
    }

    /// Every request the mock received, in order, read back as the fake server records them: its verdict is
    /// `Accepted` when a rule answered, `Rejected(NO_RULE_MATCHED)` when none did.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// The rules a test still expects requests for, described (`CheckDomain where DomainName=b.com: used 0 of
    /// 1`): a rule not used up (`times(n)` counts), a rule for good (`always`) never used, and a rule that can
    /// never match, with the reason.
    pub fn unused_rules(&self) -> Vec<String> {
        lock(&self.shared.rules)
            .iter()
            .filter(|rule| rule.expected())
            .map(|rule| rule.describe())
            .collect()
    }

    /// Panics, listing them, if [`unused_rules`](Self::unused_rules) is not empty: call it at the end of a test.
    ///
    /// # Panics
    /// If some rule was not used as it said.
    #[track_caller]
    pub fn assert_all_used(&self) {
        let unused = self.unused_rules();
        assert!(
            unused.is_empty(),
            "rules of the mock that were not used up:\n  {}",
            unused.join("\n  ")
        );
    }
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rules: Vec<String> = lock(&self.shared.rules).iter().map(|rule| rule.describe()).collect();
        f.debug_struct("Mock")
            .field("rules", &rules)
            .field("requests", &lock(&self.shared.requests).len())
            .finish()
    }
}

impl Transport for Mock {
    /// Answers in the calling task: the rule is picked and the answer made before the future is first polled;
    /// only a rule's [`delay`](RuleBuilder::delay) waits, on the runtime's clock.
    fn send<'a>(&'a self, request: HttpRequest, limits: &'a AttemptLimits) -> TransportFuture<'a> {
        match self.shared.answer(&request, limits) {
            (None, result) => Box::pin(ready(result)),
            (Some(delay), result) => Box::pin(async move {
                tokio::time::sleep(delay).await;
                result
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_found_from_its_type_name_whatever_the_case_of_its_acronyms() {
        for spec in ACTIONS {
            let lower = format!("{}Output", spec.action.to_ascii_lowercase());
            assert_eq!(action_of_type(&lower), Some(spec.action), "{lower}");
        }
        assert_eq!(action_of_type("QueryDsRecordOutput"), Some("QueryDSRecord"));
        assert_eq!(action_of_type("NoSuchOutput"), None);
    }

    #[test]
    fn no_two_actions_differ_only_in_case() {
        let mut names: Vec<String> = ACTIONS.iter().map(|spec| spec.action.to_ascii_lowercase()).collect();
        names.sort();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count);
    }

    #[test]
    fn a_misnamed_action_is_a_rule_that_never_matches_and_says_why() {
        let mock = Mock::new();
        let rule = mock.on_action("CheckDomian").always().reply_example();
        assert_eq!(rule.calls(), 0);
        let unused = mock.unused_rules();
        assert_eq!(unused.len(), 1);
        assert!(
            unused[0].contains("the spec has no action CheckDomian (did you mean CheckDomain?)"),
            "{unused:?}"
        );
        let far = Mock::new();
        let _ = far.on_action("Zzzzzzzzzzzzzzzz").reply(serde_json::json!({}));
        assert!(far.unused_rules()[0].ends_with("(never matches: the spec has no action Zzzzzzzzzzzzzzzz)"));
    }
}
