//! A faithful fake of the Alibaba Cloud Domain service, for your own tests ([the guide](guide)).
//!
//! The server binds `127.0.0.1:0`, verifies every request's signature with its own implementation of signatures
//! v1 and v3 (not the SDK's), rejects stale timestamps and reused nonces, validates every parameter and the
//! method against the spec as the service does, records what it received, and answers from one in-memory
//! account that keeps the service's rules ([`ServerConfig::stateful`]), with what you script (matched on the
//! parameters, faults included), or with each action's reference example. Every code it answers by itself is a
//! row of one table of documented codes ([`Code`]). For unit tests of your own logic, [`mock`] answers a client
//! from rules in-process instead, with no socket (the guide says which to use when).
//! The identity services a credential chain trades tokens with (the CloudSSO portal, the OAuth service) have
//! a fake of their own, [`identity::IdentityFake`].
//!
//! ```no_run
//! use domain_sdk_test_server::{Reply, ServerConfig, TestServer, Verdict};
//!
//! # async fn demo() {
//! let server = TestServer::start(ServerConfig::default()).await; // knows every action; key testid/testsecret
//! let client = domain_sdk::Client::builder()
//!     .endpoint(server.endpoint())
//!     .credentials(domain_sdk::Credentials::new("testid", "testsecret"))
//!     .build()
//!     .unwrap();
//!
//! // Script the next answer of an action (JSON, any body, a reset, a cut-off or slow body, …).
//! server.script("CheckDomain", Reply::Json { status: 200, body: r#"{"Avail": 1}"#.into() });
//! let out = client.check_domain().domain_name("example.com").send().await.unwrap();
//!
//! // Read back what the server received.
//! let seen = &server.requests()[0];
//! assert_eq!(seen.verdict, Verdict::Accepted);
//! assert_eq!(seen.param("DomainName").as_deref(), Some("example.com"));
//! # let _ = out;
//! # }
//! ```
//!
//! It depends on `domain-sdk` with no default feature (for [`client_for`] and its kin only) and on no code
//! generator: what it knows of the API (every action with its version and reference example) is generated into
//! it by `cargo xtask codegen`.
#![deny(missing_docs)]

pub mod account;
pub mod codes;
mod config;
mod fault;

/// The guide: testing code that uses domain-sdk (every example in it is compiled and run as a doc test).
#[doc = include_str!("../docs/testing.md")]
pub mod guide {}

mod handlers;
pub mod identity;
pub mod mock;
mod reply;
mod request;
pub mod script;
pub mod server;
mod shared;
pub mod sig;
pub mod validate;
mod verify;

mod generated {
    #[rustfmt::skip]
    pub mod actions;
}

pub use account::{Account, FailureRule, TaskTiming};
pub use codes::Code;
pub use config::{ActionInfo, Mode, ServerConfig};
pub use fault::Fault;
pub use generated::actions::ACTIONS;
pub use handlers::STATEFUL_ACTIONS;
pub use mock::Mock;
pub use reply::Reply;
pub use request::{RecordedRequest, Verdict};
pub use script::ScriptBuilder;
pub use server::TestServer;

/// The table entry of `action`, if the spec has it.
pub fn action_spec(action: &str) -> Option<&'static validate::ActionSpec> {
    ACTIONS.iter().find(|spec| spec.action == action)
}

/// A Base64 identity credential image that passes the service's checks (a JPG of 56 KB, as §4.3 asks: JPG or
/// BMP, 55 KB to 1 MB), for a test's `RegistrantProfileRealNameVerification` (and its kin): the fake's auditors
/// accept it, with a credential type that fits the registrant.
/// Its content is no picture; never send it to the service.
pub fn sample_credential_image() -> String {
    use base64::Engine as _;
    let mut image = vec![0u8; 56 * 1024];
    image[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    let end = image.len() - 2;
    image[end..].copy_from_slice(&[0xFF, 0xD9]);
    base64::engine::general_purpose::STANDARD.encode(image)
}

/// The AccessKey ID the test server knows.
pub const TEST_KEY_ID: &str = "testid";
/// Its secret.
pub const TEST_KEY_SECRET: &str = "testsecret";

/// A server that knows every action of the spec.
pub async fn start_server() -> TestServer {
    TestServer::start(ServerConfig::default()).await
}

/// A client builder for `server`, signing with the test key (retries on, as by default).
pub fn builder_for(server: &TestServer) -> domain_sdk::ClientBuilder {
    domain_sdk::Client::builder()
        .endpoint(server.endpoint())
        .credentials(domain_sdk::Credentials::new(TEST_KEY_ID, TEST_KEY_SECRET))
}

/// A client for `server`, signing with the test key, with the default retry policy.
///
/// # Panics
/// If the client cannot be built.
pub fn client_for(server: &TestServer) -> domain_sdk::Client {
    builder_for(server).build().expect("client")
}

/// A client for `server` that makes one attempt per call.
///
/// # Panics
/// If the client cannot be built.
pub fn client_without_retries(server: &TestServer) -> domain_sdk::Client {
    builder_for(server)
        .retry(domain_sdk::RetryConfig::disabled())
        .build()
        .expect("client")
}

/// One domain's state in a task's life, for [`task_details_reply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    /// 0: waiting.
    Waiting,
    /// 1: executing.
    Executing,
    /// 2: succeeded.
    Succeeded,
    /// 3: failed, with the service's reason.
    Failed(&'static str),
}

/// A `QueryTaskDetailList` page describing `domains` at one moment of a task's life.
pub fn task_details_reply(task_no: &str, domains: &[(&str, TaskState)], page: i32, total_pages: i32) -> Reply {
    let details: Vec<serde_json::Value> = domains
        .iter()
        .map(|(name, state)| {
            let (code, status, error) = match state {
                TaskState::Waiting => (0, "WAITING_EXECUTE", ""),
                TaskState::Executing => (1, "EXECUTING", ""),
                TaskState::Succeeded => (2, "EXECUTE_SUCCESS", ""),
                TaskState::Failed(why) => (3, "EXECUTE_FAILURE", *why),
            };
            serde_json::json!({"DomainName": name, "TaskNo": task_no, "TaskStatusCode": code, "TaskStatus": status, "ErrorMsg": error})
        })
        .collect();
    let body = serde_json::json!({
        "RequestId": "R", "CurrentPageNum": page, "TotalPageNum": total_pages, "NextPage": page < total_pages,
        "Data": {"TaskDetail": details}
    });
    Reply::Json {
        status: 200,
        body: body.to_string(),
    }
}
