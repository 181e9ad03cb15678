//! A loopback HTTP server that speaks the Domain API protocol: it verifies signatures with its own signer,
//! rejects stale timestamps and reused nonces, validates parameters against the spec's table, records every
//! request, and answers with a scripted reply, the stateful account's answer, or the action's reference example.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future as _;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::account::Account;
use crate::script::{Script, ScriptBuilder};
use crate::validate::{self, ActionSpec};
use crate::{sig, stateful};

pub use crate::validate::COMMON_PARAMS;

/// How far a request's timestamp may be from the server's clock, as the service allows.
pub const MAX_CLOCK_SKEW_SECS: i64 = 15 * 60;

/// What the server knows of one action.
#[derive(Debug, Clone)]
pub struct ActionInfo {
    /// Its API version.
    pub version: String,
    /// The reference's JSON success example.
    pub example: String,
    /// Its methods and parameters, which requests are validated against (`None`: not validated).
    pub spec: Option<&'static ActionSpec>,
}

impl ActionInfo {
    /// An action the spec does not describe (another product's, for a test): any parameters, any method.
    pub fn new(version: impl Into<String>, example: impl Into<String>) -> Self {
        ActionInfo {
            version: version.into(),
            example: example.into(),
            spec: None,
        }
    }
}

/// How the server answers a valid request that no script answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// With the action's reference example (stateless).
    #[default]
    Examples,
    /// From one in-memory account: the actions of [`crate::STATEFUL_ACTIONS`] read and change it, every other
    /// action answers its reference example.
    Stateful,
}

/// The server's configuration.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// AccessKey IDs and their secrets.
    pub keys: HashMap<String, String>,
    /// Known actions.
    pub actions: HashMap<String, ActionInfo>,
    /// Seconds added to the real clock (to play a server whose clock differs from the client's).
    pub clock_offset_secs: i64,
    /// How requests are answered.
    pub mode: Mode,
    /// Whether a parameter the action does not have is refused (`InvalidParameter`); otherwise it is only
    /// recorded in the request's [`Verdict::AcceptedWithUnknown`], as the service ignores it.
    pub strict: bool,
    /// The account the stateful mode starts with (see [`Account::from_fixture`]).
    pub account: Account,
}

impl Default for ServerConfig {
    /// Every action of the SDK, answered with its reference example, and one key pair `testid`/`testsecret`.
    fn default() -> Self {
        let actions = crate::ACTIONS
            .iter()
            .map(|a| {
                (
                    a.action.to_owned(),
                    ActionInfo {
                        version: a.version.to_owned(),
                        example: a.example.to_owned(),
                        spec: Some(a),
                    },
                )
            })
            .collect();
        ServerConfig {
            keys: HashMap::from([(crate::TEST_KEY_ID.to_owned(), crate::TEST_KEY_SECRET.to_owned())]),
            actions,
            clock_offset_secs: 0,
            mode: Mode::Examples,
            strict: false,
            account: Account::default(),
        }
    }
}

impl ServerConfig {
    /// The stateful fake with an empty account (tasks end on their third read).
    pub fn stateful() -> Self {
        ServerConfig {
            mode: Mode::Stateful,
            ..ServerConfig::default()
        }
    }

    /// The stateful fake starting from `account` (a fixture: [`Account::from_fixture`]).
    pub fn with_account(mut self, account: Account) -> Self {
        self.mode = Mode::Stateful;
        self.account = account;
        self
    }

    /// Adds (or replaces) an AccessKey pair the server accepts.
    pub fn with_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.keys.insert(id.into(), secret.into());
        self
    }

    /// Refuses parameters the action does not have.
    pub fn strict(mut self) -> Self {
        self.strict = true;
        self
    }
}

/// A scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// The action's reference example (what the server answers when nothing is scripted).
    Example,
    /// A JSON body with this status.
    Json {
        /// HTTP status.
        status: u16,
        /// The body.
        body: String,
    },
    /// The service's error body (`RequestId`, `HostId`, `Code`, `Message`, `Recommend`) with this status.
    Error {
        /// HTTP status.
        status: u16,
        /// The error code.
        code: String,
        /// The message.
        message: String,
    },
    /// Any body with any content type.
    Raw {
        /// HTTP status.
        status: u16,
        /// The `Content-Type` header.
        content_type: String,
        /// The body.
        body: Vec<u8>,
    },
    /// A redirect: this status, an empty body and a `Location` header.
    Redirect {
        /// HTTP status (301, 302, 307, …).
        status: u16,
        /// The `Location` header.
        location: String,
    },
    /// Close the connection without answering (the request was received and recorded).
    Reset,
    /// Send the status, the headers and the first bytes of a body, then cut the connection.
    CutOff {
        /// HTTP status.
        status: u16,
        /// What is sent of the body before the connection is cut.
        sent: Vec<u8>,
    },
    /// Send the status and headers, then wait this long before the body.
    SlowBody {
        /// How long the body is held back.
        delay: Duration,
        /// The body, sent after the delay.
        body: String,
    },
}

impl Reply {
    /// HTTP 200 with `output` serialized as JSON: an SDK output type (the `serialize` feature of `domain-sdk`,
    /// which this crate turns on, writes the service's JSON keys) or any `Serialize` value.
    ///
    /// # Panics
    /// If `output` cannot be serialized as JSON (a map with non-string keys).
    pub fn output<T: serde::Serialize>(output: &T) -> Reply {
        Reply::Json {
            status: 200,
            body: serde_json::to_string(output).expect("the reply serializes as JSON"),
        }
    }
}

/// How the server judged a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Signature, timestamp, nonce and parameters were good; the server answered.
    Accepted,
    /// Accepted, but it carried parameters the action does not have (the service ignores them; a strict server
    /// refuses them): their names.
    AcceptedWithUnknown(Vec<String>),
    /// Rejected with this error code.
    Rejected(String),
}

impl Verdict {
    /// Accepted, with or without unknown parameters.
    pub fn is_accepted(&self) -> bool {
        !matches!(self, Verdict::Rejected(_))
    }
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// `GET` or `POST`.
    pub method: String,
    /// The request path (`/`).
    pub path: String,
    /// Every header, its name in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// Parameters of the query string, decoded, in order.
    pub query: Vec<(String, String)>,
    /// Parameters of the form body, decoded, in order.
    pub body: Vec<(String, String)>,
    /// The raw body's length in bytes.
    pub body_len: usize,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
}

impl RecordedRequest {
    /// All parameters, query and body together.
    pub fn params(&self) -> BTreeMap<String, String> {
        self.query.iter().chain(&self.body).cloned().collect()
    }

    /// The action's own parameters: everything but the common ones.
    pub fn action_params(&self) -> BTreeMap<String, String> {
        self.params()
            .into_iter()
            .filter(|(k, _)| !COMMON_PARAMS.contains(&k.as_str()))
            .collect()
    }

    /// A parameter's value, from the query or the body; under signature v3, a common parameter from the header
    /// that carries it (`Action` from `x-acs-action`, `AccessKeyId` from `Authorization`'s `Credential`, …).
    pub fn param(&self, name: &str) -> Option<String> {
        let direct = self
            .query
            .iter()
            .chain(&self.body)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone());
        direct.or_else(|| {
            let auth = || {
                self.header("authorization")
                    .and_then(|a| sig::parse_v3_authorization(&a).ok())
            };
            match name {
                "Action" => self.header("x-acs-action"),
                "Version" => self.header("x-acs-version"),
                "SignatureNonce" => self.header("x-acs-signature-nonce"),
                "Timestamp" => self.header("x-acs-date"),
                "SecurityToken" => self.header("x-acs-security-token"),
                "AccessKeyId" => auth().map(|a| a.credential),
                "Signature" => auth().map(|a| a.signature),
                _ => None,
            }
        })
    }

    /// A header's value (the first, if it came several times); `name` in any case.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    /// Whether the request was signed with signature v3 (an `ACS3-…` `Authorization` header).
    pub fn is_v3(&self) -> bool {
        self.header("authorization").is_some_and(|a| a.starts_with("ACS3-"))
    }

    /// The `Action` parameter.
    pub fn action(&self) -> Option<String> {
        self.param("Action")
    }
}

struct State {
    config: ServerConfig,
    clock_offset_secs: std::sync::atomic::AtomicI64,
    requests: Mutex<Vec<RecordedRequest>>,
    nonces: Mutex<HashSet<String>>,
    scripts: Mutex<Vec<Script>>,
    account: Mutex<Account>,
    request_ids: std::sync::atomic::AtomicU64,
}

/// A running server; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    /// Starts a server on `127.0.0.1:0`.
    ///
    /// # Panics
    /// If no loopback port can be bound, or the configured account is inconsistent (see [`Account::seeded`]).
    pub async fn start(config: ServerConfig) -> TestServer {
        Self::start_on(0, config).await
    }

    /// Starts a server on `127.0.0.1:port` (0 for any free port).
    ///
    /// # Panics
    /// If the port cannot be bound, or the configured account is inconsistent.
    pub async fn start_on(port: u16, config: ServerConfig) -> TestServer {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("bound address");
        let account = config
            .account
            .clone()
            .seeded()
            .unwrap_or_else(|e| panic!("the account: {e}"));
        let state = Arc::new(State {
            clock_offset_secs: std::sync::atomic::AtomicI64::new(config.clock_offset_secs),
            config,
            requests: Mutex::new(Vec::new()),
            nonces: Mutex::new(HashSet::new()),
            scripts: Mutex::new(Vec::new()),
            account: Mutex::new(account),
            request_ids: std::sync::atomic::AtomicU64::new(1),
        });
        let accept_state = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let state = accept_state.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let state = state.clone();
                        async move { handle(&state, req).await }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        TestServer { addr, state, task }
    }

    /// `http://127.0.0.1:<port>`
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.requests).clone()
    }

    /// How many requests were received.
    pub fn request_count(&self) -> usize {
        lock(&self.state.requests).len()
    }

    /// Changes the server's clock: `secs` are added to the real time (to play clock skew).
    pub fn set_clock_offset_secs(&self, secs: i64) {
        self.state
            .clock_offset_secs
            .store(secs, std::sync::atomic::Ordering::Relaxed);
    }

    /// Queues a reply for the next request of `action` that passes verification (a one-shot script; scripts
    /// of an action answer in the order they were added).
    pub fn script(&self, action: &str, reply: Reply) {
        self.add_script(Script::new(action, reply));
    }

    /// Starts a script for `action` that can match parameters, be used several times or always, and answer
    /// with a typed output: `server.on("CheckDomain").param("DomainName", "b.com").always().reply_with(&out)`.
    pub fn on(&self, action: &str) -> ScriptBuilder<'_> {
        ScriptBuilder::new(self, action)
    }

    pub(crate) fn add_script(&self, script: Script) {
        lock(&self.state.scripts).push(script);
    }

    /// The scripts that still expect requests (a one-shot or counted script not used up; a sticky script never
    /// used), described as `CheckDomain where DomainName=a.com: used 0 of 1`.
    pub fn unused_scripts(&self) -> Vec<String> {
        lock(&self.state.scripts)
            .iter()
            .filter(|s| !s.spent() && (s.uses != crate::script::Uses::Always || s.used == 0))
            .map(Script::describe)
            .collect()
    }

    /// Panics, listing them, if some scripts were not used (call it at the end of a test).
    ///
    /// # Panics
    /// If [`TestServer::unused_scripts`] is not empty.
    pub fn assert_scripts_used(&self) {
        let unused = self.unused_scripts();
        assert!(
            unused.is_empty(),
            "scripts the test server never used:\n  {}",
            unused.join("\n  ")
        );
    }

    /// A snapshot of the stateful account (serializable: compare it, or save it as a fixture).
    pub fn account(&self) -> Account {
        lock(&self.state.account).clone()
    }

    /// Changes the account in place (to seed a domain, add a failure rule, …, in the middle of a test).
    pub fn with_account<R>(&self, change: impl FnOnce(&mut Account) -> R) -> R {
        change(&mut lock(&self.state.account))
    }

    /// Moves the account's virtual clock forward (expiration dates come closer; under
    /// [`crate::TaskTiming::Clock`], tasks progress).
    pub fn advance_clock(&self, by: Duration) {
        let mut account = lock(&self.state.account);
        account.now = account
            .now
            .saturating_add(i64::try_from(by.as_millis()).unwrap_or(i64::MAX));
        account.settle();
    }

    /// Ends every unfinished task now, whatever the timing (their effects apply, or failure rules make them fail).
    pub fn complete_tasks(&self) {
        lock(&self.state.account).finish_all();
    }
}

/// A lock that survives a panic of the code that held it (a test's predicate): the state it guards is only
/// ever changed whole.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn now_secs(state: &State) -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
        + state.clock_offset_secs.load(std::sync::atomic::Ordering::Relaxed)
}

fn error_reply(status: u16, code: &str, message: &str) -> Reply {
    Reply::Error {
        status,
        code: code.to_owned(),
        message: message.to_owned(),
    }
}

/// The service's error body.
fn error_body(request_id: &str, host: &str, code: &str, message: &str) -> String {
    serde_json::json!({
        "RequestId": request_id,
        "HostId": host,
        "Code": code,
        "Message": message,
        "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}&product=Domain&requestId={request_id}"),
    })
    .to_string()
}

/// A request id as the service writes them: a UUID, upper case, unique per request of this server.
fn request_id(state: &State) -> String {
    let n = state.request_ids.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{:08X}-7E57-4000-8000-{n:012X}", (n.wrapping_mul(0x9E37_79B9)) as u32)
}

/// Checks the parameters and the method as the service does, after the signature; the names the action does
/// not have, or the rejection.
fn check_request(state: &State, action: &str, r: &RecordedRequest) -> Result<Vec<String>, Rejection> {
    let Some(spec) = state.config.actions.get(action).and_then(|a| a.spec) else {
        return Ok(Vec::new());
    };
    validate::check_method(spec, &r.method).map_err(|e| reject(400, e.code, e.message))?;
    let unknown = validate::check_params(spec, &r.params()).map_err(|e| reject(400, e.code, e.message))?;
    if state.config.strict && !unknown.is_empty() {
        return Err(reject(
            400,
            "InvalidParameter",
            validate::unknown_message(spec, &unknown),
        ));
    }
    Ok(unknown)
}

/// The answer to a valid request: a matching script, else the account's answer (stateful mode), else the
/// example.
fn answer(state: &State, action: &str, r: &RecordedRequest, request_id: &str) -> Reply {
    let params = r.params();
    let scripted = {
        let mut scripts = lock(&state.scripts);
        scripts.iter_mut().find(|s| s.matches(action, &params)).map(|s| {
            s.used += 1;
            s.reply.clone()
        })
    };
    if let Some(reply) = scripted {
        return reply;
    }
    if state.config.mode == Mode::Stateful {
        let answered = stateful::answer(&mut lock(&state.account), action, &params);
        match answered {
            Some(Ok(mut body)) => {
                body["RequestId"] = request_id.into();
                if let Some(data) = body.get_mut("data").and_then(|d| d.as_object_mut()) {
                    data.insert("RequestId".into(), request_id.into());
                    data.insert("HostId".into(), r.header("host").unwrap_or_default().into());
                }
                return Reply::Json {
                    status: 200,
                    body: body.to_string(),
                };
            }
            Some(Err(f)) => return error_reply(f.status, &f.code, &f.message),
            None => {}
        }
    }
    Reply::Example
}

type ServerBody = BoxBody<Bytes, std::io::Error>;

/// A body that sends some bytes, maybe after a delay, then maybe fails (cutting the connection).
struct FaultBody {
    delay: Option<Pin<Box<tokio::time::Sleep>>>,
    data: Option<Bytes>,
    fail_after: bool,
}

impl Body for FaultBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(delay) = self.delay.as_mut() {
            if delay.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.delay = None;
        }
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if self.fail_after {
            self.fail_after = false;
            return Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "cut off by the test",
            ))));
        }
        Poll::Ready(None)
    }
}

fn full(bytes: impl Into<Bytes>) -> ServerBody {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed()
}

async fn handle(state: &State, req: Request<Incoming>) -> Result<Response<ServerBody>, std::io::Error> {
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let content_type = header("content-type");
    let user_agent = header("user-agent");
    let query_text = req.uri().query().unwrap_or("").to_owned();
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let query = sig::parse_pairs(&query_text);
    let form = if content_type
        .as_deref()
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
    {
        sig::parse_pairs(&String::from_utf8_lossy(&body))
    } else {
        Ok(Vec::new())
    };
    let (query, form, parse_error) = match (query, form) {
        (Ok(q), Ok(f)) => (q, f, None),
        (Err(e), _) | (_, Err(e)) => (Vec::new(), Vec::new(), Some(e)),
    };
    let mut record = RecordedRequest {
        method: method.clone(),
        path,
        headers,
        query,
        body: form,
        body_len: body.len(),
        content_type,
        user_agent,
        verdict: Verdict::Accepted,
    };
    let request_id = request_id(state);
    let reply = match parse_error {
        Some(e) => error_reply(
            400,
            "InvalidParameter",
            &format!("The request could not be parsed: {e}"),
        ),
        None => match verify(state, &record, &body).and_then(|a| check_request(state, &a, &record).map(|u| (a, u))) {
            Ok((action, unknown)) => {
                if !unknown.is_empty() {
                    record.verdict = Verdict::AcceptedWithUnknown(unknown);
                }
                match answer(state, &action, &record, &request_id) {
                    Reply::Example => Reply::Json {
                        status: 200,
                        body: state.config.actions[&action].example.clone(),
                    },
                    other => other,
                }
            }
            Err((status, code, message)) => {
                record.verdict = Verdict::Rejected(code.clone());
                error_reply(status, &code, &message)
            }
        },
    };
    let host = record.header("host").unwrap_or_else(|| "domain.aliyuncs.com".into());
    lock(&state.requests).push(record);
    let json = "application/json;charset=utf-8".to_owned();
    let mut location = None;
    let (status, content_type, body): (u16, String, ServerBody) = match reply {
        Reply::Error { status, code, message } => (status, json, full(error_body(&request_id, &host, &code, &message))),
        Reply::Redirect { status, location: to } => {
            location = Some(to);
            (status, json, full(Vec::new()))
        }
        Reply::Json { status, body } => (status, json, full(body)),
        Reply::Raw {
            status,
            content_type,
            body,
        } => (status, content_type, full(body)),
        Reply::Reset => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "reset by the test",
            ))
        }
        Reply::CutOff { status, sent } => (
            status,
            json,
            FaultBody {
                delay: None,
                data: Some(sent.into()),
                fail_after: true,
            }
            .boxed(),
        ),
        Reply::SlowBody { delay, body } => (
            200,
            json,
            FaultBody {
                delay: Some(Box::pin(tokio::time::sleep(delay))),
                data: Some(body.into()),
                fail_after: false,
            }
            .boxed(),
        ),
        Reply::Example => unreachable!("resolved above"),
    };
    // An HTTP date as servers send it: `Mon, 23 Nov 2026 18:05:54 GMT`.
    let date = time::OffsetDateTime::from_unix_timestamp(now_secs(state))
        .ok()
        .and_then(|d| {
            d.format(time::macros::format_description!(
                "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
            ))
            .ok()
        })
        .unwrap_or_default();
    let mut response = Response::builder()
        .status(status)
        .header("content-type", content_type)
        .header("x-acs-request-id", &request_id)
        .header("date", date);
    if let Some(location) = location {
        response = response.header("location", location);
    }
    Ok(response.body(body).expect("valid response"))
}

type Rejection = (u16, String, String);

fn reject(status: u16, code: &str, message: impl Into<String>) -> Rejection {
    (status, code.to_owned(), message.into())
}

/// Checks a request as the service does (signature v1 or v3, by its `Authorization` header); returns the action's
/// name.
fn verify(state: &State, r: &RecordedRequest, body: &[u8]) -> Result<String, Rejection> {
    match r.header("authorization") {
        Some(auth) => verify_v3(state, r, &auth, body),
        None => verify_v1(state, r),
    }
}

/// The action (known, of its version), the timestamp (well-formed, near the server's clock) and the nonce
/// (unused): what both signature versions check alike, in the service's order.
fn check_action(state: &State, action: &str, version: Option<&str>) -> Result<(), Rejection> {
    let Some(info) = state.config.actions.get(action) else {
        return Err(reject(
            400,
            "UnsupportedOperation",
            "The specified action is not supported.",
        ));
    };
    if version != Some(info.version.as_str()) {
        return Err(reject(400, "NoSuchVersion", "The specified version does not exist."));
    }
    Ok(())
}

fn check_time_and_nonce(state: &State, timestamp: &str, nonce: &str) -> Result<(), Rejection> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let Ok(at) = time::PrimitiveDateTime::parse(timestamp, format) else {
        return Err(reject(
            400,
            "InvalidTimeStamp.Format",
            format!("Specified time stamp {timestamp:?} is not in the format YYYY-MM-DDThh:mm:ssZ."),
        ));
    };
    if (at.assume_utc().unix_timestamp() - now_secs(state)).abs() > MAX_CLOCK_SKEW_SECS {
        return Err(reject(
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        ));
    }
    if !lock(&state.nonces).insert(nonce.to_owned()) {
        return Err(reject(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        ));
    }
    Ok(())
}

/// The headers a v3 request must carry, each signed.
const V3_REQUIRED_HEADERS: &[&str] = &[
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
];

/// Signature v3 (`ACS3-HMAC-SHA256`): every problem is answered with what is wrong.
fn verify_v3(state: &State, r: &RecordedRequest, authorization: &str, body: &[u8]) -> Result<String, Rejection> {
    let auth = sig::parse_v3_authorization(authorization).map_err(|e| {
        reject(
            400,
            "IncompleteSignature",
            format!("The Authorization header is not ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…: {e}."),
        )
    })?;
    if auth.algorithm != "ACS3-HMAC-SHA256" {
        return Err(reject(
            400,
            "IncompleteSignature",
            format!(
                "The signature algorithm {:?} is not supported by this server; sign with ACS3-HMAC-SHA256.",
                auth.algorithm
            ),
        ));
    }
    for name in V3_REQUIRED_HEADERS {
        if r.header(name).is_none_or(|v| v.trim().is_empty()) {
            return Err(reject(
                400,
                "MissingParameter",
                format!(
                    "The header \u{201c}{name}\u{201d} that is mandatory for processing this request is not supplied."
                ),
            ));
        }
    }
    let signed: Vec<&str> = auth.signed_headers.iter().map(String::as_str).collect();
    let must_sign = V3_REQUIRED_HEADERS
        .iter()
        .copied()
        .chain(r.header("x-acs-security-token").map(|_| "x-acs-security-token"));
    for name in must_sign {
        if !signed.contains(&name) {
            return Err(reject(
                400,
                "IncompleteSignature",
                format!("The header {name} must be signed (it is not in SignedHeaders)."),
            ));
        }
    }
    let declared = r.header("x-acs-content-sha256").unwrap_or_default();
    let actual = sig::sha256_hex(body);
    if !declared.eq_ignore_ascii_case(&actual) {
        return Err(reject(
            400,
            "InvalidParameter",
            format!("x-acs-content-sha256 is {declared}, but the body's SHA-256 is {actual}."),
        ));
    }
    let action = r.header("x-acs-action").unwrap_or_default();
    check_action(state, &action, r.header("x-acs-version").as_deref())?;
    let Some(secret) = state.config.keys.get(&auth.credential) else {
        return Err(reject(
            400,
            "InvalidAccessKeyId.NotFound",
            "The Access Key ID provided does not exist in our records.",
        ));
    };
    let canonical = sig::v3_canonical_request(&r.method, &r.path, &r.query, &r.headers, &signed, &declared);
    let string_to_sign = sig::v3_string_to_sign(&canonical);
    if sig::v3_signature(secret, &string_to_sign) != auth.signature {
        return Err(reject(
            403,
            "SignatureDoesNotMatch",
            format!(
                "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
            ),
        ));
    }
    check_time_and_nonce(
        state,
        &r.header("x-acs-date").unwrap_or_default(),
        &r.header("x-acs-signature-nonce").unwrap_or_default(),
    )?;
    Ok(action)
}

/// Signature v1 (§3.5): common parameters among the query and body parameters.
fn verify_v1(state: &State, r: &RecordedRequest) -> Result<String, Rejection> {
    let mut all: Vec<(String, String)> = Vec::new();
    for (k, v) in r.query.iter().chain(&r.body) {
        if all.iter().any(|(seen, _)| seen == k) {
            return Err(reject(
                400,
                "InvalidParameter",
                format!("The parameter \"{k}\" is given twice."),
            ));
        }
        all.push((k.clone(), v.clone()));
    }
    let get = |name: &str| all.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    for name in [
        "Action",
        "Version",
        "AccessKeyId",
        "Signature",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "Timestamp",
    ] {
        if get(name).is_none_or(str::is_empty) {
            return Err(reject(
                400,
                "MissingParameter",
                format!("The input parameter \u{201c}{name}\u{201d} that is mandatory for processing this request is not supplied."),
            ));
        }
    }
    let action = get("Action").unwrap_or_default().to_owned();
    check_action(state, &action, get("Version"))?;
    if get("SignatureMethod") != Some("HMAC-SHA1") || get("SignatureVersion") != Some("1.0") {
        return Err(reject(
            400,
            "InvalidParameter",
            "SignatureMethod must be HMAC-SHA1 and SignatureVersion 1.0.",
        ));
    }
    if let Some(format) = get("Format") {
        if !format.eq_ignore_ascii_case("JSON") {
            return Err(reject(400, "InvalidParameter", "This server answers JSON only."));
        }
    }
    let Some(secret) = state.config.keys.get(get("AccessKeyId").unwrap_or_default()) else {
        return Err(reject(
            400,
            "InvalidAccessKeyId.NotFound",
            "The Access Key ID provided does not exist in our records.",
        ));
    };
    let unsigned: Vec<(String, String)> = all.iter().filter(|(k, _)| k != "Signature").cloned().collect();
    let string_to_sign = sig::string_to_sign(&r.method, &unsigned);
    if get("Signature") != Some(sig::signature(secret, &string_to_sign).as_str()) {
        return Err(reject(
            403,
            "SignatureDoesNotMatch",
            format!(
                "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
            ),
        ));
    }
    check_time_and_nonce(
        state,
        get("Timestamp").unwrap_or_default(),
        get("SignatureNonce").unwrap_or_default(),
    )?;
    Ok(action)
}
