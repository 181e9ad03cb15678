//! A loopback HTTP server that speaks the Domain API protocol: it checks each request as the service does
//! (`verify.rs`), records it, and answers with a matching script, the stateful account's answer, or the action's
//! reference example.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Request, Response};
use tokio::net::TcpListener;

use crate::account::Account;
use crate::codes::Code;
use crate::handlers;
use crate::reply::{Envelope, ServerBody};
use crate::script::{Script, ScriptBuilder, Scripts};
use crate::shared::lock;
use crate::sig;
use crate::verify::Gate;

pub use crate::config::{ActionInfo, Mode, ServerConfig, MAX_CLOCK_SKEW_SECS};
pub use crate::reply::Reply;
pub use crate::request::{RecordedRequest, Verdict};
pub use crate::validate::COMMON_PARAMS;

struct State {
    config: ServerConfig,
    clock_offset_secs: AtomicI64,
    requests: Mutex<Vec<RecordedRequest>>,
    nonces: Mutex<HashSet<String>>,
    scripts: Scripts,
    account: Mutex<Account>,
    request_ids: AtomicU64,
}

impl State {
    /// The server's clock in Unix seconds (the real time, shifted by the configured offset).
    fn now_secs(&self) -> i64 {
        time::OffsetDateTime::now_utc().unix_timestamp() + self.clock_offset_secs.load(Ordering::Relaxed)
    }

    /// A request id as the service writes them: a UUID, upper case, unique per request of this server.
    fn request_id(&self) -> String {
        let serial = self.request_ids.fetch_add(1, Ordering::Relaxed);
        format!(
            "{:08X}-7E57-4000-8000-{serial:012X}",
            (serial.wrapping_mul(0x9E37_79B9)) as u32
        )
    }
}

/// A running server; stops when dropped.
pub struct TestServer {
    address: SocketAddr,
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
        let address = listener.local_addr().expect("bound address");
        let account = config
            .account
            .clone()
            .seeded()
            .unwrap_or_else(|error| panic!("the account: {error}"));
        let state = Arc::new(State {
            clock_offset_secs: AtomicI64::new(config.clock_offset_secs),
            config,
            requests: Mutex::new(Vec::new()),
            nonces: Mutex::new(HashSet::new()),
            scripts: Scripts::default(),
            account: Mutex::new(account),
            request_ids: AtomicU64::new(1),
        });
        let task = crate::shared::serve(listener, state.clone(), |state, request| async move {
            handle(&state, request).await
        });
        TestServer { address, state, task }
    }

    /// `http://127.0.0.1:<port>`
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
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
        self.state.clock_offset_secs.store(secs, Ordering::Relaxed);
    }

    /// Queues a reply for the next request of `action` that passes verification (a one-shot script; scripts
    /// of an action answer in the order they were added).
    pub fn script(&self, action: &str, reply: Reply) {
        self.state.scripts.add(Script::new(action, reply));
    }

    /// Starts a script for `action` that can match parameters, be used several times or always, and answer
    /// with a typed output: `server.on("CheckDomain").param("DomainName", "b.com").always().reply_with(&out)`.
    pub fn on(&self, action: &str) -> ScriptBuilder<'_> {
        ScriptBuilder::new(&self.state.scripts, action)
    }

    /// The scripts that still expect requests (a one-shot or counted script not used up; a sticky script never
    /// used), described as `CheckDomain where DomainName=a.com: used 0 of 1`.
    pub fn unused_scripts(&self) -> Vec<String> {
        self.state.scripts.unused()
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
    /// [`crate::TaskTiming::Clock`], tasks progress, and real-name audits and qualification reviews are decided).
    pub fn advance_clock(&self, by: Duration) {
        let mut account = lock(&self.state.account);
        account.now = account
            .now
            .saturating_add(i64::try_from(by.as_millis()).unwrap_or(i64::MAX));
        account.settle();
    }

    /// Ends every unfinished task now, whatever the timing (their effects apply, or failure rules make them
    /// fail), and decides every registrant profile's real-name audit and every domain's qualification review.
    pub fn complete_tasks(&self) {
        lock(&self.state.account).finish_all();
    }
}

/// Reads a request whole, checks it, records it and answers it.
async fn handle(state: &State, request: Request<Incoming>) -> std::io::Result<Response<ServerBody>> {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header("content-type");
    let user_agent = header("user-agent");
    let query_text = request.uri().query().unwrap_or("").to_owned();
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let query = sig::parse_pairs(&query_text);
    let form = if content_type
        .as_deref()
        .is_some_and(|kind| kind.starts_with("application/x-www-form-urlencoded"))
    {
        sig::parse_pairs(&String::from_utf8_lossy(&body))
    } else {
        Ok(Vec::new())
    };
    let parsed = query.and_then(|query| form.map(|form| (query, form)));
    let parse_error = parsed.as_ref().err().cloned();
    let (query, form) = parsed.unwrap_or_default();
    let mut record = RecordedRequest {
        method,
        path,
        headers,
        query,
        body: form,
        body_len: body.len(),
        content_type,
        user_agent,
        verdict: Verdict::Accepted,
        received: tokio::time::Instant::now(),
    };
    let request_id = state.request_id();
    let gate = Gate {
        config: &state.config,
        now_secs: state.now_secs(),
        nonces: &state.nonces,
    };
    let mut example = "";
    let reply = match parse_error {
        Some(why) => {
            let fault = Code::InvalidParameter.fault_with(format!("The request could not be parsed: {why}."));
            record.verdict = Verdict::Rejected(fault.code().to_owned());
            Reply::Fault(fault)
        }
        None => match gate.admit(&record, &body) {
            Ok(admitted) => {
                if !admitted.unknown.is_empty() {
                    record.verdict = Verdict::AcceptedWithUnknown(admitted.unknown);
                }
                if let Some(info) = state.config.actions.get(&admitted.action) {
                    example = &info.example;
                }
                answer(state, &admitted.action, &record, &request_id)
            }
            Err(fault) => {
                record.verdict = Verdict::Rejected(fault.code().to_owned());
                Reply::Fault(fault)
            }
        },
    };
    let host = record.header("host").unwrap_or_else(|| "domain.aliyuncs.com".into());
    lock(&state.requests).push(record);
    // An HTTP date as servers send it: `Mon, 23 Nov 2026 18:05:54 GMT`.
    let date = time::OffsetDateTime::from_unix_timestamp(state.now_secs())
        .ok()
        .and_then(|moment| {
            moment
                .format(time::macros::format_description!(
                    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
                ))
                .ok()
        })
        .unwrap_or_default();
    let envelope = Envelope {
        request_id: &request_id,
        host: &host,
        date: &date,
    };
    reply.into_response(example, &envelope)
}

/// The answer to a valid request: a matching script, else the account's answer (stateful mode), else the
/// example.
fn answer(state: &State, action: &str, request: &RecordedRequest, request_id: &str) -> Reply {
    let params = request.params();
    if let Some(reply) = state.scripts.answer(action, &params) {
        return reply;
    }
    if state.config.mode != Mode::Stateful {
        return Reply::Example;
    }
    let answered = handlers::answer(&mut lock(&state.account), action, &params);
    match answered {
        Some(Ok(mut body)) => {
            body["RequestId"] = request_id.into();
            if let Some(data) = body.get_mut("data").and_then(|data| data.as_object_mut()) {
                data.insert("RequestId".into(), request_id.into());
                data.insert("HostId".into(), request.header("host").unwrap_or_default().into());
            }
            Reply::Json {
                status: 200,
                body: body.to_string(),
            }
        }
        Some(Err(fault)) => Reply::Fault(fault),
        None => Reply::Example,
    }
}
