//! The client: configuration, and the call loop — sign, send, decode, retry, correct clock skew — with tracing.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::credentials::{Credentials, DefaultCredentialsChain, ProvideCredentials};
use crate::error::{
    bytes_of, error_chain, human_duration, Error, Redactor, ServiceError, SignatureMismatch, TransportErrorKind,
    TransportFailure,
};
use crate::request::{HttpMethod, OperationRequest};
use crate::retry::{is_retryable, Failure, RetryConfig, TokenBucket};
use crate::signing::{self, SignatureVersion};

/// The service's endpoint when the client names no region (that of [`DEFAULT_REGION`]).
pub const DEFAULT_ENDPOINT: &str = Region::DEFAULT_ENDPOINT;
/// The region a client uses when it names none.
pub const DEFAULT_REGION: &str = Region::DEFAULT_ID;

/// A region the service has an endpoint in: one of [`Region::ALL`], generated from the spec's
/// `endpoints.yaml` (the OpenAPI metadata's `endpoints`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Region {
    /// The region id (`ap-southeast-1`).
    pub id: &'static str,
    /// The service's host there (`domain-intl.aliyuncs.com`).
    pub host: &'static str,
}

impl Region {
    /// The region named `id`, if the service has an endpoint there.
    pub fn find(id: &str) -> Option<&'static Region> {
        Region::ALL.iter().find(|r| r.id == id)
    }

    /// The region's endpoint, `https://host`.
    pub fn endpoint(&self) -> String {
        format!("https://{}", self.host)
    }
}
/// The environment variable that sets the endpoint when the builder is given none
/// (`ALIBABA_CLOUD_DOMAIN_ENDPOINT=http://127.0.0.1:18080` for a test server, a private gateway, …).
pub const ENV_ENDPOINT: &str = "ALIBABA_CLOUD_DOMAIN_ENDPOINT";
/// How long establishing a connection may take by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one attempt may take by default, from sending to the last byte of the answer
/// (enough for a 1 MB Base64 image on a slow link).
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a whole call may take by default, retries and backoff included.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(90);
/// The largest answer read by default; a larger one is an error, not an allocation.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Error codes with which the service rejects a request whose timestamp is too far from its clock.
const CLOCK_SKEW_CODES: &[&str] = &["InvalidTimeStamp.Expired", "RequestTimeTooSkewed"];
/// The largest clock offset the client learns from a server's `Date` header: a day either way. A `Date` further
/// off is a broken or hostile answer (a clock really that wrong breaks TLS first), and is ignored with a warning.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(24 * 3600);

/// A Domain API client. Cheap to clone: clones share one connection pool, credentials cache and clock offset.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    endpoint: String,
    /// The endpoint's `host[:port]`, as the `Host` header carries it (signed under v3).
    host: String,
    signature_version: SignatureVersion,
    credentials: Arc<dyn ProvideCredentials>,
    http: reqwest::Client,
    retry: RetryConfig,
    /// The retry budget's tokens, shared by every call of this client and its clones.
    retry_tokens: TokenBucket,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    operation_timeout: Duration,
    max_response_bytes: usize,
    /// Seconds to add to the local clock to match the service's (learned from a skew error).
    clock_offset_secs: AtomicI64,
    /// Client-wide parameter defaults (`Lang`, `UserClientIp`, …).
    defaults: Vec<(&'static str, String)>,
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

/// How the client reaches the network through a proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ProxySetting {
    /// `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` and `NO_PROXY` from the environment (the default).
    FromEnv,
    /// No proxy, whatever the environment says.
    Disabled,
    /// This proxy for every request.
    Url(String),
}

/// Configures a [`Client`]. Every setting has a safe default; see the setters.
#[derive(Debug)]
pub struct ClientBuilder {
    endpoint: Option<String>,
    region: Option<String>,
    signature_version: SignatureVersion,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    connect_timeout: Duration,
    attempt_timeout: Duration,
    operation_timeout: Duration,
    retry: RetryConfig,
    app_name: Option<String>,
    proxy: ProxySetting,
    max_response_bytes: usize,
    defaults: Vec<(&'static str, String)>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            endpoint: None,
            region: None,
            signature_version: SignatureVersion::V1,
            credentials: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            operation_timeout: DEFAULT_OPERATION_TIMEOUT,
            retry: RetryConfig::default(),
            app_name: None,
            proxy: ProxySetting::FromEnv,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            defaults: Vec::new(),
        }
    }
}

impl ClientBuilder {
    /// The endpoint, `scheme://host[:port]`. Without one, the client uses the endpoint in the environment
    /// variable [`ENV_ENDPOINT`] (`ALIBABA_CLOUD_DOMAIN_ENDPOINT`) if it is set, else that of the
    /// [`region`](Self::region), else [`DEFAULT_ENDPOINT`].
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The region whose endpoint to use: `cn-hangzhou` (`domain.aliyuncs.com`, also the default) or
    /// `ap-southeast-1` (`domain-intl.aliyuncs.com`, the international site); the list is [`Region::ALL`]. An explicit [`endpoint`](Self::endpoint) or
    /// [`ENV_ENDPOINT`] wins over it; [`build`](Self::build) fails on a region the service has no endpoint in.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// How requests are signed: [`SignatureVersion::V1`] (default, as the reference documents) or
    /// [`SignatureVersion::V3`] (`ACS3-HMAC-SHA256`, the newest official SDKs' default). Under v3 the common
    /// parameters travel as `x-acs-*` headers and the signature in `Authorization`; action parameters stay in
    /// the POST form body, so nothing secret and no large value is in the URL.
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature_version = version;
        self
    }

    /// Fixed credentials to sign with.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// A credentials provider (a RAM role, the default chain, your own). Without one, the client uses
    /// [`DefaultCredentialsChain`].
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// How long establishing a connection may take (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, from sending the request to the last byte of the answer (default
    /// [`DEFAULT_ATTEMPT_TIMEOUT`]).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// How long a whole call may take, retries included (default [`DEFAULT_OPERATION_TIMEOUT`]).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = timeout;
        self
    }

    /// The retry policy (default [`RetryConfig::default`]; [`RetryConfig::disabled`] turns retries off).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// A suffix for the `User-Agent` header naming your application (`my-app/1.2`).
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// Sends every request through this proxy (`http://proxy:3128`), whatever the environment says.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = ProxySetting::Url(url.into());
        self
    }

    /// Uses no proxy, even if `HTTPS_PROXY` is set. By default the proxy environment variables are honoured.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = ProxySetting::Disabled;
        self
    }

    /// Sends parameter `name` with `value` on every call of an action that takes it (one the spec lists in
    /// `client_defaults.yaml`), unless the call sets its own. The generated `default_lang`,
    /// `default_user_client_ip`, … call this.
    pub fn default_parameter(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.defaults.retain(|(n, _)| *n != name);
        self.defaults.push((name, value.into()));
        self
    }

    /// The largest answer to read (default [`DEFAULT_MAX_RESPONSE_BYTES`]).
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] for a region the service has no endpoint in (naming those it has), an endpoint
    /// (given, or from [`ENV_ENDPOINT`]) that is not `http://` or `https://`,
    /// an `https://` endpoint when the crate was built without a TLS feature (`rustls`, the default, or
    /// `native-tls`), a malformed proxy, or an HTTP client that cannot start.
    pub fn build(self) -> Result<Client, Error> {
        let (endpoint, from) =
            choose_endpoint(self.endpoint, std::env::var(ENV_ENDPOINT).ok(), self.region.as_deref())?;
        let endpoint = endpoint.trim_end_matches('/').to_owned();
        if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) || endpoint.contains(['?', '#']) {
            return Err(Error::Config(format!(
                "endpoint {endpoint:?}{from} must look like https://host[:port]"
            )));
        }
        check_tls(&endpoint, cfg!(any(feature = "rustls", feature = "native-tls")))?;
        // The service never redirects, and a signed request must not be replayed elsewhere: no redirect policy
        // (which also spares every call the policy's bookkeeping).
        let mut http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(user_agent(self.app_name.as_deref()))
            .connect_timeout(self.connect_timeout);
        http = match &self.proxy {
            ProxySetting::FromEnv => http,
            ProxySetting::Disabled => http.no_proxy(),
            ProxySetting::Url(url) => http.proxy(
                reqwest::Proxy::all(url).map_err(|e| Error::Config(format!("proxy {url:?}: {}", e.without_url())))?,
            ),
        };
        let http = http
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {}", e.without_url())))?;
        let credentials = self
            .credentials
            .unwrap_or_else(|| Arc::new(DefaultCredentialsChain::new()));
        let host = host_of(&endpoint);
        Ok(Client {
            inner: Arc::new(Inner {
                host,
                signature_version: self.signature_version,
                endpoint,
                credentials,
                http,
                retry_tokens: TokenBucket::new(self.retry.budget().copied()),
                retry: self.retry,
                connect_timeout: self.connect_timeout,
                attempt_timeout: self.attempt_timeout,
                operation_timeout: self.operation_timeout,
                max_response_bytes: self.max_response_bytes,
                clock_offset_secs: AtomicI64::new(0),
                defaults: self.defaults,
            }),
        })
    }
}

/// The endpoint to use, and where it came from (for error messages): the builder's, else the environment's
/// (when not blank), else the region's, else the default. A region must be known, whichever endpoint wins.
fn choose_endpoint(
    given: Option<String>,
    env: Option<String>,
    region: Option<&str>,
) -> Result<(String, &'static str), Error> {
    let region = match region {
        None => None,
        Some(id) => Some(Region::find(id.trim()).ok_or_else(|| {
            let known: Vec<&str> = Region::ALL.iter().map(|r| r.id).collect();
            Error::Config(format!(
                "unknown region {id:?}: the Domain API has endpoints in {}",
                if known.is_empty() {
                    "no region".to_owned()
                } else {
                    known.join(", ")
                }
            ))
        })?),
    };
    Ok(match (given, env.filter(|e| !e.trim().is_empty()), region) {
        (Some(e), _, _) => (e, ""),
        (None, Some(e), _) => (e.trim().to_owned(), " (from ALIBABA_CLOUD_DOMAIN_ENDPOINT)"),
        (None, None, Some(r)) => (r.endpoint(), " (of the region)"),
        (None, None, None) if DEFAULT_ENDPOINT.is_empty() => {
            return Err(Error::Config(
                "no endpoint: the spec names none; set one with ClientBuilder::endpoint".to_owned(),
            ))
        }
        (None, None, None) => (DEFAULT_ENDPOINT.to_owned(), ""),
    })
}

/// The `Host` header of an endpoint: its authority, without a default port.
fn host_of(endpoint: &str) -> String {
    let (scheme, rest) = endpoint.split_once("://").unwrap_or(("https", endpoint));
    let authority = rest.split('/').next().unwrap_or(rest);
    let default_port = if scheme == "http" { ":80" } else { ":443" };
    authority
        .strip_suffix(default_port)
        .unwrap_or(authority)
        .to_ascii_lowercase()
}

/// `domain-sdk/<version> (rust; <os>; <arch>)`, and the application's name if given.
pub fn user_agent(app_name: Option<&str>) -> String {
    let mut ua = format!(
        "domain-sdk/{} (rust; {}; {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    if let Some(app) = app_name.filter(|a| !a.is_empty()) {
        ua.push(' ');
        ua.push_str(app);
    }
    ua
}

/// Now, in Unix seconds.
pub(crate) fn unix_now() -> i64 {
    match SystemTime::now().duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// The request timestamp: ISO 8601 in UTC to the second (`2026-11-23T18:05:54Z`), shifted by the learned offset.
fn timestamp(offset_secs: i64) -> String {
    format_utc(unix_now().saturating_add(offset_secs))
}

/// Unix seconds as `YYYY-MM-DDThh:mm:ssZ`; total: a time outside years 0000–9999 is clamped to the nearest end,
/// so no clock and no offset can make it fail.
pub(crate) fn format_utc(unix_secs: i64) -> String {
    const MIN: i64 = -62_167_219_200; // 0000-01-01T00:00:00Z
    const MAX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    let secs = unix_secs.clamp(MIN, MAX);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm), in the proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Parses an HTTP `Date` header (`Mon, 23 Nov 2026 18:05:54 GMT`) into Unix seconds.
pub(crate) fn parse_http_date(value: &str) -> Option<i64> {
    let normalized = value.trim().replace(" +0000", " GMT").replace(" UTC", " GMT");
    let at = httpdate::parse_http_date(&normalized).ok()?;
    i64::try_from(at.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs()).ok()
}

/// An `https://` endpoint needs one of the TLS features; without them only `http://` works.
fn check_tls(endpoint: &str, tls: bool) -> Result<(), Error> {
    if endpoint.starts_with("https://") && !tls {
        return Err(Error::Config(format!(
            "endpoint {endpoint:?} is HTTPS, but domain-sdk was built without TLS: enable its `rustls` (default) \
             or `native-tls` feature"
        )));
    }
    Ok(())
}

/// One signed attempt, ready to send.
struct Signed {
    url: String,
    body: Option<String>,
    /// Headers to send besides the client's own (v3: `x-acs-*`, `host`, `authorization`).
    headers: Vec<(&'static str, String)>,
    string_to_sign: String,
    /// Under v3, the canonical request (for the signature-mismatch diagnosis).
    canonical_request: Option<String>,
    /// The signature (Base64 under v1, hex under v3), to redact from whatever the server echoes.
    signature: String,
}

/// Decodes a successful answer into the caller's output (which it keeps).
type Decoder<'a> = dyn FnMut(&str) -> Result<(), serde_json::Error> + Send + 'a;

/// What one attempt produced.
struct Attempt {
    result: Result<(), Error>,
    failure: Option<Failure>,
    server_date: Option<i64>,
}

impl Client {
    /// A builder for a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
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

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The offset, in seconds, added to the local clock to match the service's (learned from a skew error).
    pub fn clock_offset_secs(&self) -> i64 {
        self.inner.clock_offset_secs.load(Ordering::Relaxed)
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

    /// The call loop behind [`execute`](Client::execute), with the decoder of the successful answer passed in.
    async fn execute_dyn(&self, request: OperationRequest, decode: &mut Decoder<'_>) -> Result<(), Error> {
        let span = tracing::info_span!(
            "domain_sdk.call",
            action = request.action(),
            version = request.version()
        );
        let timeout = self.inner.operation_timeout;
        match tokio::time::timeout(timeout, self.call(&request, decode).instrument(span)).await {
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

    async fn call(&self, request: &OperationRequest, decode: &mut Decoder<'_>) -> Result<(), Error> {
        let retry = &self.inner.retry;
        let mut skew_corrected = false;
        let mut attempt_no = 0u32;
        let mut retries = 0u32;
        let mut spent = 0u32;
        loop {
            attempt_no += 1;
            let started = Instant::now();
            let attempt = self.attempt(request, decode).await;
            let latency_ms = started.elapsed().as_millis() as u64;
            let (status, request_id) = match &attempt.result {
                Err(Error::Service(s)) => (s.status, s.request_id.clone()),
                Err(Error::Decode { status, .. }) => (*status, None),
                _ => (0, None),
            };
            tracing::debug!(
                attempt = attempt_no,
                status,
                request_id,
                latency_ms,
                ok = attempt.result.is_ok(),
                "attempt done"
            );
            let Err(error) = attempt.result else {
                self.inner.retry_tokens.succeeded(spent);
                return attempt.result;
            };

            // The service rejected our timestamp: learn its clock from `Date` and try once more at once, unless
            // the `Date` is implausible.
            if let (Some(code), Some(server_now)) = (error.code(), attempt.server_date) {
                if CLOCK_SKEW_CODES.contains(&code) && !skew_corrected {
                    skew_corrected = true;
                    let offset = server_now.saturating_sub(unix_now());
                    if offset.unsigned_abs() <= MAX_CLOCK_SKEW.as_secs() {
                        self.inner.clock_offset_secs.store(offset, Ordering::Relaxed);
                        tracing::info!(
                            offset_secs = offset,
                            "clock skew corrected from the service's Date header"
                        );
                        continue;
                    }
                    tracing::warn!(
                        offset_secs = offset,
                        max_secs = MAX_CLOCK_SKEW.as_secs(),
                        "the service's Date header is implausibly far from this clock; ignored"
                    );
                }
            }
            let failure = match attempt.failure {
                Some(f) if is_retryable(f, request.idempotent()) && retries + 1 < retry.max_attempts() => f,
                _ => return Err(error),
            };
            match self.inner.retry_tokens.take(failure) {
                Some(cost) => spent += cost,
                None => {
                    tracing::warn!(
                        attempt = attempt_no,
                        error = %error,
                        "not retrying: the client's retry budget is spent (the service is failing for many calls)"
                    );
                    return Err(error);
                }
            }
            retries += 1;
            let wait = retry.backoff(retries);
            tracing::info!(attempt = attempt_no, backoff_ms = wait.as_millis() as u64, error = %error, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    fn sign(&self, request: &OperationRequest, credentials: &Credentials) -> Signed {
        match self.inner.signature_version {
            SignatureVersion::V3 => self.sign_v3(request, credentials),
            _ => self.sign_v1(request, credentials),
        }
    }

    /// The action's own parameters and the client defaults it takes, in the order they are written.
    fn action_params<'a>(&'a self, request: &'a OperationRequest) -> Vec<(&'a str, &'a str)> {
        let mut params: Vec<(&str, &str)> = request.params().iter().map(|(k, v)| (k.as_ref(), v.as_str())).collect();
        let accepted = request.accepted_defaults();
        for (name, value) in &self.inner.defaults {
            if accepted.contains(name) && !params.iter().any(|(k, _)| k == name) {
                params.push((name, value));
            }
        }
        params
    }

    /// `ACS3-HMAC-SHA256`: common parameters as signed headers; action parameters in the query (GET) or the
    /// form body (POST).
    fn sign_v3(&self, request: &OperationRequest, credentials: &Credentials) -> Signed {
        use signing::v3;
        let method = request.method();
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let date = timestamp(self.clock_offset_secs());
        let params = self.action_params(request);
        let (query, body) = match method {
            HttpMethod::Get => (v3::canonical_query(&params), None),
            HttpMethod::Post => (String::new(), Some(signing::canonical_query(&params))),
        };
        let payload = v3::sha256_hex(body.as_deref().unwrap_or_default().as_bytes());
        let mut headers: Vec<(&'static str, String)> = vec![
            ("host", self.inner.host.clone()),
            ("x-acs-action", request.action().to_owned()),
            ("x-acs-version", request.version().to_owned()),
            ("x-acs-date", date),
            ("x-acs-signature-nonce", nonce),
            ("x-acs-content-sha256", payload.clone()),
        ];
        if body.is_some() {
            headers.push(("content-type", "application/x-www-form-urlencoded".to_owned()));
        }
        if let Some(token) = credentials.security_token() {
            headers.push(("x-acs-security-token", token.to_owned()));
        }
        let (canonical_headers, signed_headers) = v3::canonical_headers(&headers);
        let canonical_request = v3::canonical_request(
            method.as_str(),
            "/",
            &query,
            &canonical_headers,
            &signed_headers,
            &payload,
        );
        let string_to_sign = v3::string_to_sign(&canonical_request);
        let signature = v3::sign(credentials.access_key_secret(), &string_to_sign);
        headers.push((
            "authorization",
            v3::authorization(credentials.access_key_id(), &signed_headers, &signature),
        ));
        let url = if query.is_empty() {
            format!("{}/", self.inner.endpoint)
        } else {
            format!("{}/?{query}", self.inner.endpoint)
        };
        Signed {
            url,
            body,
            headers,
            string_to_sign,
            canonical_request: Some(canonical_request),
            signature,
        }
    }

    fn sign_v1(&self, request: &OperationRequest, credentials: &Credentials) -> Signed {
        let method = request.method();
        let nonce = uuid::Uuid::new_v4().to_string();
        let timestamp = timestamp(self.clock_offset_secs());
        let mut common: Vec<(&str, &str)> = vec![
            ("Action", request.action()),
            ("Version", request.version()),
            ("Format", "JSON"),
            ("AccessKeyId", credentials.access_key_id()),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", &nonce),
            ("Timestamp", &timestamp),
        ];
        if let Some(token) = credentials.security_token() {
            common.push(("SecurityToken", token));
        }
        let params = self.action_params(request);
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(common.len() + params.len());
        all.extend(common.iter().copied());
        all.extend(params.iter().copied());
        let canonical = signing::canonical_query(&all);
        let string_to_sign = signing::string_to_sign(method.as_str(), &canonical);
        let raw_signature = signing::sign(credentials.access_key_secret(), &string_to_sign);
        let signature = signing::percent_encode(&raw_signature);
        match method {
            HttpMethod::Get => Signed {
                url: format!("{}/?{canonical}&Signature={signature}", self.inner.endpoint),
                body: None,
                headers: Vec::new(),
                string_to_sign,
                canonical_request: None,
                signature: raw_signature,
            },
            HttpMethod::Post => Signed {
                url: format!(
                    "{}/?{}&Signature={signature}",
                    self.inner.endpoint,
                    signing::canonical_query(&common)
                ),
                body: Some(signing::canonical_query(&params)),
                headers: Vec::new(),
                string_to_sign,
                canonical_request: None,
                signature: raw_signature,
            },
        }
    }

    async fn attempt(&self, request: &OperationRequest, decode: &mut Decoder<'_>) -> Attempt {
        let action = request.action();
        let fail = |error: Error, failure: Failure| Attempt {
            result: Err(error),
            failure: Some(failure),
            server_date: None,
        };
        let credentials = match self.inner.credentials.provide_credentials().await {
            Ok(c) => c,
            Err(e) => {
                return Attempt {
                    result: Err(e.into()),
                    failure: None,
                    server_date: None,
                }
            }
        };
        let signed = self.sign(request, &credentials);
        // What the server may echo of this attempt's secrets, removed from every error built below.
        let redactor = || {
            Redactor::new(
                credentials
                    .security_token()
                    .into_iter()
                    .chain([signed.signature.as_str()]),
            )
        };
        let http = &self.inner.http;
        let mut builder = match signed.body {
            None => http.get(&signed.url),
            Some(body) => http
                .post(&signed.url)
                .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(body),
        };
        for (name, value) in signed.headers {
            if name != "content-type" {
                builder = builder.header(name, value);
            }
        }
        // The attempt timeout covers sending and the whole answer; it is kept here, not in reqwest, so that the
        // error can say how far the answer got.
        let attempt_timeout = self.inner.attempt_timeout;
        let deadline = tokio::time::Instant::now() + attempt_timeout;
        let timed_out = |received: Option<(usize, Option<u64>)>| {
            let so_far = received.map_or_else(String::new, |(n, total)| format!(" ({})", bytes_of(n, total)));
            transport_failure(
                action,
                TransportErrorKind::Timeout,
                format!(
                    "the answer did not arrive within the {} attempt timeout{so_far}",
                    human_duration(attempt_timeout)
                ),
                None,
            )
        };
        let mut response = match tokio::time::timeout_at(deadline, builder.send()).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                let failure = if e.is_connect() {
                    Failure::Connect
                } else {
                    Failure::Ambiguous
                };
                return fail(self.send_error(action, e), failure);
            }
            Err(_) => return fail(timed_out(None), Failure::Ambiguous),
        };
        let status = response.status().as_u16();
        let server_date = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date);
        let announced = response.content_length();
        let encoding = response
            .headers()
            .get(reqwest::header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.trim().eq_ignore_ascii_case("identity"))
            .map(|v| v.chars().take(32).collect::<String>());
        let expected = announced.map_or(0, |n| n.min(self.inner.max_response_bytes as u64));
        let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        loop {
            let chunk = match tokio::time::timeout_at(deadline, response.chunk()).await {
                Ok(chunk) => chunk,
                Err(_) => return fail(timed_out(Some((body.len(), announced))), Failure::Ambiguous),
            };
            match chunk {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.inner.max_response_bytes {
                        let error = Error::Decode {
                            action,
                            status,
                            reason: format!("the answer exceeds the {} byte limit", self.inner.max_response_bytes),
                            excerpt: redactor().excerpt(&body, 256),
                        };
                        return fail(error, Failure::Client);
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    let message = format!(
                        "the connection closed before the answer was complete ({})",
                        bytes_of(body.len(), announced)
                    );
                    let error = transport_failure(action, TransportErrorKind::Other, message, Some(e.without_url()));
                    return fail(error, Failure::Ambiguous);
                }
            }
        }
        if (200..300).contains(&status) {
            // UTF-8 is checked once for the whole body, not string by string inside the JSON decoder.
            let result = match std::str::from_utf8(&body) {
                Ok("") => Err("the answer has no body".to_owned()),
                Ok(text) => decode(text).map_err(|e| e.to_string()),
                Err(_) if encoding.is_some() => Err(format!(
                    "the answer is compressed (Content-Encoding: {}), which this client did not ask for",
                    encoding.as_deref().unwrap_or_default()
                )),
                Err(e) => Err(format!("the answer is not UTF-8: {e}")),
            }
            .map_err(|reason| {
                let redactor = redactor();
                Error::Decode {
                    action,
                    status,
                    // A decoder's message quotes the offending value, which may be any size.
                    reason: redactor.excerpt(reason.as_bytes(), 1024),
                    excerpt: redactor.excerpt(&body, 256),
                }
            });
            let failure = result.is_err().then_some(Failure::Ambiguous);
            return Attempt {
                result,
                failure,
                server_date,
            };
        }
        let error = service_error(
            request,
            status,
            &body,
            (&signed.string_to_sign, signed.canonical_request.as_deref()),
            &redactor(),
        );
        let failure = match &error {
            Error::Service(s)
                if s.code
                    .as_deref()
                    .is_some_and(|c| c == "Throttling" || c.starts_with("Throttling.")) =>
            {
                Failure::Throttled
            }
            Error::Service(s) if s.is_retryable() => Failure::Server,
            _ if status >= 500 => Failure::Server,
            _ => Failure::Client,
        };
        Attempt {
            result: Err(error),
            failure: Some(failure),
            server_date,
        }
    }
}

impl Client {
    /// The error of a request that got no answer at all.
    fn send_error(&self, action: &'static str, e: reqwest::Error) -> Error {
        // The URL carries the signature and any STS token: never show it.
        let e = e.without_url();
        let chain = error_chain(&e);
        let (kind, message) = if e.is_connect() && e.is_timeout() {
            (
                TransportErrorKind::Timeout,
                format!(
                    "could not connect to {} within the {} connect timeout",
                    self.inner.endpoint,
                    human_duration(self.inner.connect_timeout)
                ),
            )
        } else if e.is_connect() {
            (
                TransportErrorKind::Connect,
                format!("could not connect to {}: {chain}", self.inner.endpoint),
            )
        } else if e.is_timeout() {
            (
                TransportErrorKind::Timeout,
                format!(
                    "the answer did not arrive within the {} attempt timeout",
                    human_duration(self.inner.attempt_timeout)
                ),
            )
        } else {
            (
                TransportErrorKind::Other,
                format!("the request got no usable answer: {chain}"),
            )
        };
        transport_failure(action, kind, message, Some(e))
    }
}

fn transport_failure(
    action: &'static str,
    kind: TransportErrorKind,
    message: String,
    cause: Option<reqwest::Error>,
) -> Error {
    Error::Transport {
        action,
        kind,
        source: Box::new(TransportFailure {
            message,
            cause: cause.map(|c| Box::new(c) as Box<dyn std::error::Error + Send + Sync>),
        }),
    }
}

/// Decodes an error answer; a body that is not a JSON error is reported with its status and an excerpt. Every
/// text taken from the answer goes through `redactor`.
fn service_error(
    request: &OperationRequest,
    status: u16,
    body: &[u8],
    (string_to_sign, canonical_request): (&str, Option<&str>),
    redactor: &Redactor,
) -> Error {
    let action = request.action();
    // A gateway's page or an empty body is still the service side's answer: an error with its status.
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) else {
        return ServiceError {
            action,
            status,
            code: None,
            message: None,
            request_id: None,
            host_id: None,
            recommend: None,
            global: None,
            signature_mismatch: None,
            body_excerpt: Some(redactor.excerpt(body, 256)),
        }
        .into();
    };
    let raw = |key: &str| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, v)| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            })
    };
    let get = |key: &str| raw(key).map(|text| redactor.apply(&text));
    let code = get("Code");
    let message = get("Message");
    let signature_mismatch = if code.as_deref() == Some("SignatureDoesNotMatch") {
        // Compared as sent, shown redacted.
        SignatureMismatch::from_message(raw("Message").as_deref(), string_to_sign, canonical_request, redactor)
    } else {
        None
    };
    ServiceError {
        action,
        status,
        global: code.as_deref().and_then(|c| request.global_error(c)),
        code,
        message,
        request_id: get("RequestId"),
        host_id: get("HostId"),
        recommend: get("Recommend"),
        signature_mismatch,
        body_excerpt: None,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_parse() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:01:40 GMT"), Some(100));
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:01:40 +0000"), Some(100));
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn timestamps_are_total() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(1_795_457_554), "2026-11-23T18:12:34Z");
        assert_eq!(format_utc(-1), "1969-12-31T23:59:59Z");
        assert_eq!(format_utc(i64::MAX), "9999-12-31T23:59:59Z");
        assert_eq!(format_utc(i64::MIN), "0000-01-01T00:00:00Z");
        assert_eq!(timestamp(i64::MAX).len(), 20);
        assert_eq!(timestamp(i64::MIN).len(), 20);
        // Every day of four centuries against the calendar's own arithmetic.
        let mut days = 0i64;
        for year in 1900..2300i64 {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            for (month, len) in [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
                .iter()
                .enumerate()
            {
                for day in 1..=*len {
                    let secs = (days - 25_567) * 86_400;
                    assert_eq!(format_utc(secs)[..10], format!("{year:04}-{:02}-{day:02}", month + 1));
                    days += 1;
                }
            }
        }
    }

    #[test]
    fn timestamps_follow_the_offset() {
        let now = unix_now();
        let parse = |s: &str| {
            assert!(s.len() == 20 && s.ends_with('Z') && s.as_bytes()[10] == b'T', "{s}");
            let at = humantime::parse_rfc3339(s).unwrap();
            at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64
        };
        assert!((parse(&timestamp(3600)) - now - 3600).abs() <= 2);
        assert!((parse(&timestamp(-3600)) - now + 3600).abs() <= 2);
        assert!((parse(&timestamp(0)) - now).abs() <= 2);
    }

    #[test]
    fn the_endpoint_is_the_builders_then_the_environments_then_the_regions_then_the_default() {
        let s = |v: &str| Some(v.to_owned());
        let pick = |given, env, region| choose_endpoint(given, env, region).unwrap();
        assert_eq!(pick(s("http://a"), s("http://b"), Some("ap-southeast-1")).0, "http://a");
        assert_eq!(pick(None, s(" http://b "), Some("ap-southeast-1")).0, "http://b");
        assert!(pick(None, s("http://b"), None)
            .1
            .contains("ALIBABA_CLOUD_DOMAIN_ENDPOINT"));
        assert_eq!(pick(None, s("  "), None).0, DEFAULT_ENDPOINT);
        assert_eq!(pick(None, None, None).0, DEFAULT_ENDPOINT);
        assert_eq!(
            pick(None, None, Some("ap-southeast-1")).0,
            "https://domain-intl.aliyuncs.com"
        );
        assert_eq!(pick(None, None, Some("cn-hangzhou")).0, "https://domain.aliyuncs.com");
        assert_eq!(DEFAULT_ENDPOINT, "https://domain.aliyuncs.com");
        assert_eq!(DEFAULT_REGION, "cn-hangzhou");
    }

    #[test]
    fn an_unknown_region_is_an_error_naming_the_known_ones_even_beside_an_endpoint() {
        for given in [None, Some("http://127.0.0.1:1".to_owned())] {
            let Err(Error::Config(msg)) = choose_endpoint(given, None, Some("eu-west-1")) else {
                panic!("an unknown region must fail");
            };
            assert!(msg.contains("\"eu-west-1\""), "{msg}");
            assert!(msg.contains("cn-hangzhou, ap-southeast-1"), "{msg}");
        }
    }

    #[test]
    fn https_needs_a_tls_feature() {
        let err = check_tls("https://domain.aliyuncs.com", false).unwrap_err().to_string();
        assert!(err.contains("without TLS") && err.contains("rustls"), "{err}");
        assert!(check_tls("http://127.0.0.1:8080", false).is_ok());
        assert!(check_tls("https://domain.aliyuncs.com", true).is_ok());
    }
}
