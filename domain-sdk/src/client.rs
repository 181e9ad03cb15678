//! The client: [`Client`], cheap to clone, and the thin generic shell of a call — the operation timeout and a
//! `tracing` span around the retry loop (`retry_loop.rs`) of attempts (`attempt.rs`); everything else is a stage
//! of its own (`config.rs`, `layout.rs`, `transport.rs`, `service_error.rs`, `clock.rs`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::attempt::{attempt, Decoder};
use crate::clock::ClockOffset;
use crate::config::{CallConfig, ClientBuilder};
use crate::credentials::{Credentials, ProvideCredentials};
use crate::error::{human_duration, Error, TransportErrorKind, TransportFailure};
use crate::interceptor::Interceptor;
use crate::request::OperationRequest;
use crate::retry::{RetryConfig, TokenBucket};
use crate::retry_loop::{self, Attempts, Outcome, Policy, RetryInfo};
use crate::signing::SignatureVersion;
use crate::transport::Transport;

/// A Domain API client. Cheap to clone: clones share one connection pool, credentials cache and clock offset.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What a client is made of ([`ClientBuilder::build`] fills it in).
pub(crate) struct Inner {
    pub(crate) endpoint: String,
    /// The endpoint's `host[:port]`, as the `Host` header carries it (signed under v3).
    pub(crate) host: String,
    pub(crate) signature_version: SignatureVersion,
    pub(crate) credentials: Arc<dyn ProvideCredentials>,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) retry: RetryConfig,
    /// The retry budget's tokens, shared by every call of this client and its clones.
    pub(crate) retry_tokens: Arc<TokenBucket>,
    pub(crate) attempt_timeout: Duration,
    pub(crate) operation_timeout: Duration,
    pub(crate) max_response_bytes: usize,
    /// The offset learned from the service's clock.
    pub(crate) clock: Arc<ClockOffset>,
    /// Client-wide parameter defaults (`Lang`, `UserClientIp`, …).
    pub(crate) defaults: Vec<(&'static str, String)>,
    /// The `User-Agent` to set on every request, when the transport is not the SDK's own client (which sets it).
    pub(crate) user_agent: Option<String>,
    /// Headers sent with every request (`x-acs-*` ones signed under v3).
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) interceptors: Vec<Arc<dyn Interceptor>>,
    /// An invalid per-call override (an endpoint), answered by every call of this client.
    pub(crate) config_error: Option<String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .field("operation_timeout", &self.inner.operation_timeout)
            .finish_non_exhaustive()
    }
}

/// The attempts of one call, for the retry loop.
struct CallAttempts<'a, 'd> {
    inner: &'a Inner,
    request: &'a OperationRequest,
    decode: &'a mut Decoder<'d>,
}

impl Attempts for CallAttempts<'_, '_> {
    async fn attempt(&mut self, number: u32, retry: Option<RetryInfo>) -> Outcome {
        let started = std::time::Instant::now();
        let outcome = attempt(self.inner, self.request, self.decode, number, retry).await;
        let status = outcome.status.unwrap_or(0);
        let request_id = match &outcome.result {
            Err(Error::Service(s)) => s.request_id.clone(),
            _ => None,
        };
        tracing::Span::current().record("attempts", number);
        tracing::debug!(
            attempt = number,
            status,
            http.response.status_code = status,
            request_id,
            latency_ms = started.elapsed().as_millis() as u64,
            ok = outcome.result.is_ok(),
            "attempt done"
        );
        outcome
    }
}

impl Client {
    /// A builder for a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub(crate) fn from_inner(inner: Inner) -> Client {
        Client { inner: Arc::new(inner) }
    }

    /// A client for the public endpoint with these credentials.
    ///
    /// # Errors
    /// As [`ClientBuilder::build`].
    pub fn new(credentials: Credentials) -> Result<Client, Error> {
        Client::builder().credentials(credentials).build()
    }

    /// A client for the public endpoint with credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID`,
    /// `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and `ALIBABA_CLOUD_SECURITY_TOKEN`.
    ///
    /// # Errors
    /// [`Error::Credentials`] naming a missing variable.
    pub fn from_env() -> Result<Client, Error> {
        Client::new(Credentials::from_env()?)
    }

    /// This client with some settings overridden ([`CallConfig`]), for the calls made with the result; it shares
    /// this one's connections, retry budget and clock offset. A fluent builder's `customize` does the same for
    /// one call.
    pub fn with_config(&self, configure: impl FnOnce(CallConfig) -> CallConfig) -> Client {
        Client::from_inner(configure(CallConfig::default()).apply(&self.inner))
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The offset, in seconds, added to the local clock to match the service's (learned from a skew error).
    pub fn clock_offset_secs(&self) -> i64 {
        self.inner.clock.secs()
    }

    /// Signs and sends one request, retrying as the policy allows, and decodes the answer. Generated operations
    /// call this.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn execute<O: DeserializeOwned + Send>(&self, request: OperationRequest) -> Result<O, Error> {
        // Only this thin shell is generic: the call loop below is compiled once, not once per action.
        let mut decoded: Option<O> = None;
        let mut decode = |body: &str| -> Result<(), serde_json::Error> {
            decoded = Some(serde_json::from_str(body)?);
            Ok(())
        };
        self.execute_dyn(request, &mut decode).await?;
        decoded.ok_or_else(|| Error::Internal("a successful call produced no decoded answer".to_owned()))
    }

    /// The call behind [`execute`](Client::execute), with the decoder of the successful answer passed in.
    async fn execute_dyn(&self, request: OperationRequest, decode: &mut Decoder<'_>) -> Result<(), Error> {
        // OpenTelemetry's RPC semantic conventions, beside the SDK's own names.
        let span = tracing::info_span!(
            "domain_sdk.call",
            action = request.action(),
            version = request.version(),
            rpc.system = "alibaba_cloud",
            rpc.service = "Domain",
            rpc.method = request.action(),
            server.address = self.inner.host.as_str(),
            attempts = tracing::field::Empty,
        );
        let inner = &*self.inner;
        if let Some(message) = &inner.config_error {
            return Err(Error::Config(message.clone()));
        }
        let timeout = inner.operation_timeout;
        let policy = Policy {
            retry: &inner.retry,
            budget: &inner.retry_tokens,
            clock: &inner.clock,
            idempotent: request.idempotent(),
            deadline: tokio::time::Instant::now() + timeout,
        };
        let mut attempts = CallAttempts {
            inner,
            request: &request,
            decode,
        };
        let call = retry_loop::run(&mut attempts, &policy).instrument(span);
        match tokio::time::timeout(timeout, call).await {
            Ok(result) => result,
            Err(_) => Err(Error::Transport {
                action: request.action(),
                kind: TransportErrorKind::Timeout,
                source: Box::new(TransportFailure {
                    message: format!(
                        "the call did not complete within the {} operation timeout (retries included)",
                        human_duration(timeout)
                    ),
                    cause: None,
                }),
            }),
        }
    }
}
