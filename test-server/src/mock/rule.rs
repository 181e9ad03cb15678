//! A mock's rules: which requests of an action a rule takes (wire parameters, a predicate, an example input, a
//! predicate on the typed input),
//! how often (once, `times(n)`, always), and what it answers (an output serialized as the service's JSON, a
//! service error, any HTTP answer, or a transport failure), built with [`RuleBuilder`].

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use domain_sdk::__private::{ParamReader, ReadRequest};
use domain_sdk::{HttpResponse, TransportErrorKind};

use super::params::{MockInput, Params};
use super::Shared;
use crate::fault::Fault;
use crate::script::Uses;

type Predicate = Arc<dyn Fn(&Params) -> bool + Send + Sync>;
type Compute = Arc<dyn Fn(&Params) -> Result<String, String> + Send + Sync>;

/// One condition of a rule.
#[derive(Clone)]
enum Matcher {
    /// This wire parameter has this value.
    Param(String, String),
    /// The test's own predicate.
    Predicate(Predicate),
    /// Every parameter of an example input, with its value.
    Input(Vec<(String, String)>),
}

impl Matcher {
    fn accepts(&self, params: &Params) -> bool {
        match self {
            Matcher::Param(name, value) => params.is(name, value),
            Matcher::Predicate(predicate) => predicate(params),
            Matcher::Input(pairs) => pairs.iter().all(|(name, value)| params.is(name, value)),
        }
    }
}

/// What a rule answers.
pub(crate) enum Answer {
    /// HTTP 200 with this JSON body (an output serialized), or why it could not be serialized.
    Json(Result<String, String>),
    /// A JSON body made from the request.
    Computed(Compute),
    /// The service's error body for this fault, with its status.
    Fault(Fault),
    /// This answer, as it is.
    Http(HttpResponse),
    /// No answer: the attempt fails this way.
    Transport(TransportErrorKind),
}

/// An answer made for one request (a computed output computed).
pub(crate) enum Resolved {
    /// HTTP 200 with this JSON body, or why the output could not be serialized.
    Json(Result<String, String>),
    /// The service's error body for this fault.
    Fault(Fault),
    /// This answer, as it is.
    Http(HttpResponse),
    /// No answer.
    Transport(TransportErrorKind),
}

impl Answer {
    /// The answer to the request with these parameters.
    pub(crate) fn resolve(&self, params: &Params) -> Resolved {
        match self {
            Answer::Json(body) => Resolved::Json(body.clone()),
            Answer::Computed(compute) => Resolved::Json(compute(params)),
            Answer::Fault(fault) => Resolved::Fault(fault.clone()),
            Answer::Http(response) => Resolved::Http(response.clone()),
            Answer::Transport(kind) => Resolved::Transport(*kind),
        }
    }
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Json(_) => f.write_str("an output"),
            Answer::Computed(_) => f.write_str("a computed output"),
            Answer::Fault(fault) => write!(f, "the error {fault}"),
            Answer::Http(response) => write!(f, "an HTTP {} answer", response.status),
            Answer::Transport(kind) => write!(f, "a {kind} failure"),
        }
    }
}

/// A rule as the mock keeps it: what it was built with, and how often it was used.
pub(crate) struct RuleState {
    pub(crate) action: String,
    conditions: Vec<String>,
    matchers: Vec<Matcher>,
    uses: Uses,
    used: AtomicUsize,
    pub(crate) delay: Option<Duration>,
    pub(crate) answer: Answer,
    /// Why the rule can never match (a misnamed action, an example input that cannot be sent).
    pub(crate) problem: Option<String>,
}

impl RuleState {
    fn spent(&self, used: usize) -> bool {
        matches!(self.uses, Uses::Times(limit) if used >= limit)
    }

    /// Whether the rule takes this request (of `action`), not counting it.
    pub(crate) fn accepts(&self, params: &Params) -> bool {
        self.problem.is_none()
            && self.action == params.action()
            && !self.spent(self.used.load(Ordering::SeqCst))
            && self.matchers.iter().all(|matcher| matcher.accepts(params))
    }

    /// Counts one use; `false` if the rule got used up meanwhile (by a concurrent call).
    pub(crate) fn claim(&self) -> bool {
        self.used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                (!self.spent(used)).then_some(used + 1)
            })
            .is_ok()
    }

    /// Whether a test still expects requests for it: a counted rule not used up, a rule for good never used, or
    /// one that can never match.
    pub(crate) fn expected(&self) -> bool {
        let used = self.used.load(Ordering::SeqCst);
        self.problem.is_some() || (!self.spent(used) && (self.uses != Uses::Always || used == 0))
    }

    /// `CheckDomain where DomainName=b.com, (predicate): used 0 of 1`
    pub(crate) fn describe(&self) -> String {
        let mut text = self.action.clone();
        if !self.conditions.is_empty() {
            text.push_str(" where ");
            text.push_str(&self.conditions.join(", "));
        }
        let used = self.used.load(Ordering::SeqCst);
        match self.uses {
            Uses::Times(limit) => text.push_str(&format!(": used {used} of {limit}")),
            Uses::Always => text.push_str(&format!(": always, used {used}")),
        }
        if let Some(problem) = &self.problem {
            text.push_str(&format!(" (never matches: {problem})"));
        }
        text
    }
}

/// A rule added to a mock: read how often it answered.
#[derive(Clone)]
pub struct Rule(pub(crate) Arc<RuleState>);

impl Rule {
    /// How many requests it answered.
    pub fn calls(&self) -> usize {
        self.0.used.load(Ordering::SeqCst)
    }

    /// What it matches and how often it was used: `CheckDomain where DomainName=b.com: used 1 of 1`.
    pub fn describe(&self) -> String {
        self.0.describe()
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Builds one rule of a [`Mock`](super::Mock): conditions, then how often, then the answer, which adds it.
///
/// `O` is the action's output type for a rule started with [`Mock::on`](super::Mock::on) (so
/// [`reply`](Self::reply) takes only that type), or `serde_json::Value` for one started with
/// [`Mock::on_action`](super::Mock::on_action).
#[must_use = "a rule is only added by its answer: reply, reply_fn, reply_example, fail, fail_with, fail_transport or respond"]
pub struct RuleBuilder<O, I = ()> {
    shared: Arc<Shared>,
    action: String,
    conditions: Vec<String>,
    matchers: Vec<Matcher>,
    uses: Uses,
    delay: Option<Duration>,
    problem: Option<String>,
    output: PhantomData<fn() -> (O, I)>,
}

impl<O, I> fmt::Debug for RuleBuilder<O, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleBuilder")
            .field("action", &self.action)
            .field("conditions", &self.conditions)
            .field("uses", &self.uses)
            .finish_non_exhaustive()
    }
}

impl<O: serde::Serialize + 'static, I: 'static> RuleBuilder<O, I> {
    pub(crate) fn new(shared: Arc<Shared>, action: String, problem: Option<String>) -> Self {
        RuleBuilder {
            shared,
            action,
            conditions: Vec::new(),
            matchers: Vec::new(),
            uses: Uses::Times(1),
            delay: None,
            problem,
            output: PhantomData,
        }
    }

    /// Only requests that send wire parameter `name` with exactly `value` (`.param("DomainName", "a.com")`).
    pub fn param(mut self, name: &str, value: impl fmt::Display) -> Self {
        let value = value.to_string();
        self.conditions.push(format!("{name}={value}"));
        self.matchers.push(Matcher::Param(name.to_owned(), value));
        self
    }

    /// Only requests whose parameters satisfy `predicate` (read them typed: [`Params::parse`], [`Params::list`],
    /// [`Params::items`], …).
    pub fn when(mut self, predicate: impl Fn(&Params) -> bool + Send + Sync + 'static) -> Self {
        self.conditions.push("(predicate)".to_owned());
        self.matchers.push(Matcher::Predicate(Arc::new(predicate)));
        self
    }

    /// Only requests that carry every parameter `example` sets, with the same value (they may carry more):
    /// `.match_input(CheckDomainInput::builder().domain_name("a.com").build())`. The example is compared by
    /// the wire parameters the SDK sends for it, so it must be sendable: with its action's required
    /// parameters set (which then have to match too). An example that is not (or is another action's) makes
    /// a rule that never matches, listed with the reason by [`Mock::unused_rules`](super::Mock::unused_rules).
    pub fn match_input(mut self, example: impl MockInput) -> Self {
        match example.wire_params() {
            Ok((action, pairs)) if action == self.action => {
                let shown: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                self.conditions.push(format!("input has {{{}}}", shown.join(", ")));
                self.matchers.push(Matcher::Input(pairs));
            }
            Ok((action, _)) => {
                self.conditions.push(format!("input like {example:?}"));
                self.problem
                    .get_or_insert(format!("the example input is of {action}, not of {}", self.action));
            }
            Err(why) => {
                self.conditions.push(format!("input like {example:?}"));
                self.problem.get_or_insert(format!(
                    "the example input cannot be sent ({why}); set its required parameters, or match with \
                     param() or when()"
                ));
            }
        }
        self
    }

    /// Answers `count` matching requests, then leaves the next ones to the rules after it (without `times`
    /// or `always`, a rule answers once).
    pub fn times(mut self, count: usize) -> Self {
        self.uses = Uses::Times(count);
        self
    }

    /// Answers every matching request: the rules after it see none of them.
    pub fn always(mut self) -> Self {
        self.uses = Uses::Always;
        self
    }

    /// Answers after `delay` of the runtime's clock (with `tokio::time::pause`, at once in real time): past the
    /// client's attempt timeout, the attempt times out as it would on the wire.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    fn add(self, answer: Answer) -> Rule {
        let rule = Arc::new(RuleState {
            action: self.action,
            conditions: self.conditions,
            matchers: self.matchers,
            uses: self.uses,
            used: AtomicUsize::new(0),
            delay: self.delay,
            answer,
            problem: self.problem,
        });
        self.shared.add(rule.clone());
        Rule(rule)
    }

    /// Adds the rule answering HTTP 200 with `output` serialized as the service sends it (its wire keys: the
    /// crate enables `domain-sdk`'s `serialize` feature). The body is the output alone: set `request_id` if
    /// your code reads it.
    pub fn reply(self, output: O) -> Rule {
        self.add(Answer::Json(to_json(&output)))
    }

    /// Adds the rule answering HTTP 200 with the output `compute` makes from the request (to echo a parameter,
    /// say).
    pub fn reply_fn(self, compute: impl Fn(&Params) -> O + Send + Sync + 'static) -> Rule {
        self.add(Answer::Computed(Arc::new(move |params| to_json(&compute(params)))))
    }

    /// Adds the rule answering HTTP 200 with the action's reference example (what the fake server answers when
    /// nothing is scripted).
    pub fn reply_example(self) -> Rule {
        let example = crate::action_spec(&self.action).map_or("{}", |spec| spec.example);
        self.add(Answer::Json(Ok(example.to_owned())))
    }

    /// Adds the rule answering the service's error body (`RequestId`, `HostId`, `Code`, `Message`,
    /// `Recommend`) with this status, code and message. The SDK decodes it as it decodes the service's: a
    /// `ServiceError` with the code, which the action's `…ErrorCode::of` reads; a 5xx or a `Throttling` code is
    /// retried as the client's policy says.
    pub fn fail(self, status: u16, code: &str, message: &str) -> Rule {
        self.add(Answer::Fault(Fault::new(status, code, message)))
    }

    /// Adds the rule answering this fault: one of the fake's documented codes (`Code::DomainNotExist.fault()`,
    /// with its status and message) or any other ([`Fault::new`]).
    pub fn fail_with(self, fault: Fault) -> Rule {
        self.add(Answer::Fault(fault))
    }

    /// Adds the rule failing the attempt with no answer: [`TransportErrorKind::Connect`] (the connection was
    /// refused: the request never left, so the client retries even an order), [`TransportErrorKind::Timeout`]
    /// (the answer did not come in time: the request may have been acted on, so an order is not retried), or
    /// [`TransportErrorKind::Other`] (the connection was reset mid-answer: as a timeout).
    pub fn fail_transport(self, kind: TransportErrorKind) -> Rule {
        self.add(Answer::Transport(kind))
    }

    /// Adds the rule answering `response` exactly as given: any status, headers (a throttle's
    /// `x-acs-retry-after`, say) and body (a gateway's HTML page, a truncated JSON, …).
    pub fn respond(self, response: HttpResponse) -> Rule {
        self.add(Answer::Http(response))
    }
}

/// The typed input a request's parameters describe, or `None` when they do not read back as one (a
/// parameter's text of the wrong type).
fn input_of<I: ReadRequest>(params: &Params) -> Option<I> {
    I::read_request(&ParamReader::new(params.iter())).ok()
}

/// Rules of an action started with [`Mock::on`](super::Mock::on) know its input type: they match on, and answer
/// from, the typed input the request carries (read back from its wire parameters).
impl<O: serde::Serialize + 'static, I: ReadRequest + 'static> RuleBuilder<O, I> {
    /// Only requests whose typed input satisfies `predicate`:
    /// `.when_input(|input: &CheckDomainInput| input.domain_name.as_deref() == Some("a.com"))`. A request
    /// whose parameters do not read back as the input (a value of the wrong type) does not match.
    pub fn when_input(mut self, predicate: impl Fn(&I) -> bool + Send + Sync + 'static) -> Self {
        self.conditions.push("(input predicate)".to_owned());
        self.matchers.push(Matcher::Predicate(Arc::new(move |params: &Params| {
            input_of::<I>(params).is_some_and(|input| predicate(&input))
        })));
        self
    }

    /// Adds the rule answering HTTP 200 with the output `compute` makes from the request's typed input (to echo
    /// what was asked, say). A request whose parameters do not read back as the input gets an error answer
    /// saying so.
    pub fn reply_from_input(self, compute: impl Fn(&I) -> O + Send + Sync + 'static) -> Rule {
        self.add(Answer::Computed(Arc::new(move |params| {
            match I::read_request(&ParamReader::new(params.iter())) {
                Ok(input) => to_json(&compute(&input)),
                Err(why) => Err(format!("the request's parameters are not a {}: {why}", I::ACTION)),
            }
        })))
    }
}

fn to_json<T: serde::Serialize>(output: &T) -> Result<String, String> {
    serde_json::to_string(output).map_err(|e| format!("the reply could not be serialized as JSON: {e}"))
}
