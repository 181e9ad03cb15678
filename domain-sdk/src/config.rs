//! Configuration: the [`ClientBuilder`] and its defaults, the endpoint (an explicit one, the environment's, or
//! the region's as the official SDKs resolve it), the user agent, and the HTTP client the transport starts with.

use std::sync::Arc;
use std::time::Duration;

use crate::client::{Client, Inner};
use crate::clock::ClockOffset;
use crate::credentials::{Credentials, DefaultCredentialsChain, ProvideCredentials};
use crate::error::Error;
use crate::interceptor::Interceptor;
use crate::retry::{RetryConfig, TokenBucket};
use crate::signing::SignatureVersion;
use crate::transport::{ReqwestTransport, Transport};

/// A region with an endpoint of its own: one of [`Region::ALL`], generated from the spec's `endpoints.yaml`
/// (the OpenAPI metadata's `endpoints`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Region {
    /// The region id (`ap-southeast-1`).
    pub id: &'static str,
    /// The service's host there (`domain-intl.aliyuncs.com`).
    pub host: &'static str,
}

impl Region {
    /// A region (generated code lists them).
    #[doc(hidden)]
    pub const fn new(id: &'static str, host: &'static str) -> Self {
        Region { id, host }
    }

    /// The region's endpoint, `https://host`.
    pub fn endpoint(&self) -> String {
        format!("https://{}", self.host)
    }
}

/// The service's endpoints, as the generated code hands them to the runtime (which names no generated item).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct ServiceEndpoints {
    /// The regions with an endpoint of their own.
    pub regions: &'static [Region],
    /// The region a client uses when it names none; its host is the service's central host.
    pub default_region: &'static str,
}

impl ServiceEndpoints {
    /// The central host: the default region's (`domain.aliyuncs.com`).
    fn central(&self) -> Option<&'static str> {
        self.regions
            .iter()
            .find(|r| r.id == self.default_region)
            .map(|r| r.host)
    }

    /// The host for `region` (none: the default), with the official SDKs' `network` and `suffix`: a region with
    /// its own endpoint uses it; any other the central host, as `<product>[-suffix][-network].aliyuncs.com`.
    pub(crate) fn host(&self, region: Option<&str>, network: Option<&str>, suffix: Option<&str>) -> Option<String> {
        if let Some(own) = region.and_then(|id| self.regions.iter().find(|r| r.id == id)) {
            return Some(own.host.to_owned());
        }
        let central = self.central()?;
        let Some(product) = central.strip_suffix(".aliyuncs.com") else {
            return Some(central.to_owned());
        };
        let part = |p: Option<&str>| {
            p.map(str::trim)
                .filter(|p| !p.is_empty() && !p.eq_ignore_ascii_case("public"))
                .map_or_else(String::new, |p| format!("-{p}"))
        };
        Some(format!("{product}{}{}.aliyuncs.com", part(suffix), part(network)))
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

/// The environment variable whose value the official runtimes append to the `User-Agent`.
pub const ENV_USER_AGENT: &str = "ALIBABA_CLOUD_USER_AGENT";

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
    service: ServiceEndpoints,
    endpoint: Option<String>,
    region: Option<String>,
    network: Option<String>,
    suffix: Option<String>,
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
    transport: Option<Arc<dyn Transport>>,
    headers: Vec<(String, String)>,
    interceptors: Vec<Arc<dyn Interceptor>>,
}

impl ClientBuilder {
    /// A builder for the service whose endpoints are `service` (the generated `Default` calls this).
    #[doc(hidden)]
    pub fn for_service(service: ServiceEndpoints) -> Self {
        ClientBuilder {
            service,
            endpoint: None,
            region: None,
            network: None,
            suffix: None,
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
            transport: None,
            headers: Vec::new(),
            interceptors: Vec::new(),
        }
    }

    /// The endpoint, `scheme://host[:port]`. Without one, the client uses the endpoint in the environment
    /// variable [`ENV_ENDPOINT`] (`ALIBABA_CLOUD_DOMAIN_ENDPOINT`) if it is set, else that of the
    /// [`region`](Self::region), else [`DEFAULT_ENDPOINT`](crate::DEFAULT_ENDPOINT).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The region, resolved to a host as the official SDKs do: a region with an endpoint of its own
    /// ([`Region::ALL`]: `ap-southeast-1` → `domain-intl.aliyuncs.com`, the international site) uses it, every
    /// other region the service's central host (`domain.aliyuncs.com`), so the region your program sets for its
    /// other clients (`cn-shanghai`, …) works here too. An explicit [`endpoint`](Self::endpoint) or
    /// [`ENV_ENDPOINT`] wins over it.
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

    /// The network type of the endpoint, as the official SDKs name it (`vpc` for `domain-vpc.aliyuncs.com`;
    /// `public`, the default, for the public host). Applies to the central host, not to a region's own
    /// endpoint or an explicit one.
    pub fn network(mut self, network: impl Into<String>) -> Self {
        self.network = Some(network.into());
        self
    }

    /// An endpoint suffix, as the official SDKs name it (`share` for `domain-share.aliyuncs.com`). Applies
    /// like [`network`](Self::network).
    pub fn suffix(mut self, suffix: impl Into<String>) -> Self {
        self.suffix = Some(suffix.into());
        self
    }

    /// Sends with your own `reqwest::Client` (custom root certificates, mTLS, a SOCKS proxy, a pool shared with
    /// the rest of your program). The SDK's attempt and operation timeouts, size limit, retries and redaction
    /// still apply; its connect timeout, proxy and `User-Agent` settings are yours to set on that client, and it
    /// should not follow redirects (a signed request must not be replayed elsewhere).
    ///
    /// [`transport::http_client_builder`](crate::transport::http_client_builder) starts a `reqwest::ClientBuilder`
    /// with the SDK's TLS setup; [`http_client_builder_with_roots`](crate::transport::http_client_builder_with_roots)
    /// also trusts root certificates of yours (a company proxy that inspects TLS, a private endpoint):
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// let company_root = std::fs::read("/etc/company/root-ca.pem")?;
    /// let http = domain_sdk::transport::http_client_builder_with_roots(&company_root)?
    ///     .proxy(reqwest::Proxy::https("http://proxy.internal:3128")?)
    ///     .connect_timeout(std::time::Duration::from_secs(3))
    ///     .build()?;
    /// let client = domain_sdk::Client::builder().http_client(http).build()?;
    /// # let _ = client; Ok(()) }
    /// ```
    ///
    /// A client from `reqwest::Client::builder()` works as well when reqwest has a crypto provider of its own
    /// (its default features bring `aws-lc-rs`); with `domain-sdk`'s `rustls` feature alone it has none, and
    /// reqwest panics when such a client is built before your program installs one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.transport = Some(Arc::new(ReqwestTransport::new(client, None)));
        self
    }

    /// Replaces the HTTP exchange whole: every signed attempt goes to `transport` (a recorder, a service mesh
    /// client, an in-process mock such as `domain-sdk-test-server`'s `mock`). Signing, timeouts, the size limit,
    /// retries and decoding still run.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Runs `interceptor` around every attempt of every call (in the order they are added).
    pub fn interceptor(mut self, interceptor: impl Interceptor) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Sends header `name: value` with every request; an `x-acs-*` header is signed under signature v3. The
    /// SDK's own headers (`x-acs-action`, `authorization`, …) cannot be replaced.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
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
    /// [`Error::Config`] for an endpoint (given, or from [`ENV_ENDPOINT`]) that is not `http://` or `https://`,
    /// an `https://` endpoint when the crate was built without a TLS feature (`rustls`, the default, or
    /// `native-tls`), a malformed proxy, or an HTTP client that cannot start.
    pub fn build(self) -> Result<Client, Error> {
        let (endpoint, from) = choose_endpoint(
            self.endpoint,
            std::env::var(ENV_ENDPOINT).ok(),
            self.service.host(
                self.region.as_deref().map(str::trim),
                self.network.as_deref(),
                self.suffix.as_deref(),
            ),
        )?;
        let endpoint = endpoint.trim_end_matches('/').to_owned();
        check_endpoint(&endpoint, from)?;
        tracing::debug!(endpoint, region = self.region.as_deref(), "endpoint chosen");
        // The SDK's own HTTP client sends the user agent itself; another transport gets it on every request.
        let (transport, user_agent): (Arc<dyn Transport>, _) = match self.transport {
            Some(t) => (t, Some(user_agent(self.app_name.as_deref()))),
            None => {
                let http = http_client(&self.proxy, self.app_name.as_deref(), self.connect_timeout)?;
                (Arc::new(ReqwestTransport::new(http, Some(self.connect_timeout))), None)
            }
        };
        let credentials = self
            .credentials
            .unwrap_or_else(|| Arc::new(DefaultCredentialsChain::new()));
        let host = host_of(&endpoint);
        Ok(Client::from_inner(Inner {
            host,
            signature_version: self.signature_version,
            endpoint,
            credentials,
            transport,
            retry_tokens: Arc::new(TokenBucket::new(self.retry.budget().copied())),
            retry: self.retry,
            attempt_timeout: self.attempt_timeout,
            operation_timeout: self.operation_timeout,
            max_response_bytes: self.max_response_bytes,
            clock: Arc::new(ClockOffset::default()),
            defaults: self.defaults,
            user_agent,
            headers: self.headers,
            interceptors: self.interceptors,
            config_error: None,
        }))
    }
}

/// Overrides of a client's configuration for some calls only: [`Client::with_config`], or a fluent builder's
/// `customize` for one call. Whatever is not set stays the client's. The derived client shares the original's
/// connections, retry budget and clock offset.
///
/// ```no_run
/// use std::time::Duration;
/// # async fn demo(client: domain_sdk::Client) -> Result<(), domain_sdk::Error> {
/// // One slow upload: a longer attempt timeout, no retries, for this call only.
/// let saved = client
///     .save_registrant_profile_real_name_verification()
///     .registrant_profile_id(1234)
///     .customize(|c| c.attempt_timeout(Duration::from_secs(120)).no_retries())
///     .send()
///     .await?;
/// # let _ = saved; Ok(()) }
/// ```
#[derive(Debug, Default)]
#[must_use]
pub struct CallConfig {
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryConfig>,
    headers: Vec<(String, String)>,
    endpoint: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    signature_version: Option<SignatureVersion>,
    interceptors: Vec<Arc<dyn Interceptor>>,
}

impl CallConfig {
    /// How long each attempt may take.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// How long the whole call may take, retries included.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// The retry policy (the client's retry budget still applies to it).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// One attempt only.
    pub fn no_retries(self) -> Self {
        self.retry(RetryConfig::disabled())
    }

    /// Sends header `name: value` too (an `x-acs-*` header is signed under signature v3).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Another endpoint, `scheme://host[:port]`.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Other credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// Another credentials provider.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Another signature version.
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature_version = Some(version);
        self
    }

    /// One more interceptor, after the client's.
    pub fn interceptor(mut self, interceptor: impl Interceptor) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// `inner` with these overrides. An invalid endpoint is kept as an error every call of the result answers.
    pub(crate) fn apply(self, inner: &Inner) -> Inner {
        let mut config_error = inner.config_error.clone();
        let (mut endpoint, mut host) = (inner.endpoint.clone(), inner.host.clone());
        if let Some(e) = self.endpoint {
            let e = e.trim_end_matches('/').to_owned();
            match check_endpoint(&e, "") {
                Ok(()) => {
                    host = host_of(&e);
                    endpoint = e;
                }
                Err(Error::Config(message)) => config_error = Some(message),
                Err(other) => config_error = Some(other.to_string()),
            }
        }
        let mut headers = inner.headers.clone();
        headers.extend(self.headers);
        let mut interceptors = inner.interceptors.clone();
        interceptors.extend(self.interceptors);
        Inner {
            endpoint,
            host,
            signature_version: self.signature_version.unwrap_or(inner.signature_version),
            credentials: self.credentials.unwrap_or_else(|| Arc::clone(&inner.credentials)),
            transport: Arc::clone(&inner.transport),
            retry: self.retry.unwrap_or_else(|| inner.retry.clone()),
            retry_tokens: Arc::clone(&inner.retry_tokens),
            attempt_timeout: self.attempt_timeout.unwrap_or(inner.attempt_timeout),
            operation_timeout: self.operation_timeout.unwrap_or(inner.operation_timeout),
            max_response_bytes: inner.max_response_bytes,
            clock: Arc::clone(&inner.clock),
            defaults: inner.defaults.clone(),
            user_agent: inner.user_agent.clone(),
            headers,
            interceptors,
            config_error,
        }
    }
}

/// An endpoint must look like `http(s)://host[:port]`, and HTTPS needs a TLS feature.
fn check_endpoint(endpoint: &str, from: &str) -> Result<(), Error> {
    if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) || endpoint.contains(['?', '#']) {
        return Err(Error::Config(format!(
            "endpoint {endpoint:?}{from} must look like https://host[:port]"
        )));
    }
    check_tls(endpoint, cfg!(any(feature = "rustls", feature = "native-tls")))
}

/// The SDK's own HTTP client: no redirects (the service never redirects, and a signed request must not be
/// replayed elsewhere), the user agent, the connect timeout, the proxy setting.
fn http_client(
    proxy: &ProxySetting,
    app_name: Option<&str>,
    connect_timeout: Duration,
) -> Result<reqwest::Client, Error> {
    let mut http = crate::tls::http_client_builder()?
        .user_agent(user_agent(app_name))
        .connect_timeout(connect_timeout);
    http = match proxy {
        ProxySetting::FromEnv => http,
        ProxySetting::Disabled => http.no_proxy(),
        ProxySetting::Url(url) => http
            .proxy(reqwest::Proxy::all(url).map_err(|e| Error::Config(format!("proxy {url:?}: {}", e.without_url())))?),
    };
    http.build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {}", e.without_url())))
}

/// The endpoint to use, and where it came from (for error messages): the builder's, else the environment's
/// (when not blank), else the region's host.
fn choose_endpoint(
    given: Option<String>,
    env: Option<String>,
    region_host: Option<String>,
) -> Result<(String, &'static str), Error> {
    Ok(match (given, env.filter(|e| !e.trim().is_empty()), region_host) {
        (Some(e), _, _) => (e, ""),
        (None, Some(e), _) => (e.trim().to_owned(), " (from ALIBABA_CLOUD_DOMAIN_ENDPOINT)"),
        (None, None, Some(host)) => (format!("https://{host}"), " (of the region)"),
        (None, None, None) => {
            return Err(Error::Config(
                "no endpoint: the spec names none; set one with ClientBuilder::endpoint".to_owned(),
            ))
        }
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

/// `domain-sdk/<version> (rust; <os>; <arch>)`, the application's name if given, and the value of
/// [`ENV_USER_AGENT`] if set (as the official runtimes append it).
pub fn user_agent(app_name: Option<&str>) -> String {
    let mut ua = format!(
        "domain-sdk/{} (rust; {}; {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    let env = std::env::var(ENV_USER_AGENT).ok();
    for extra in [app_name, env.as_deref()].into_iter().flatten() {
        let extra = extra.trim();
        if !extra.is_empty() && !extra.contains(['\r', '\n']) {
            ua.push(' ');
            ua.push_str(extra);
        }
    }
    ua
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

#[cfg(test)]
mod tests {
    use super::*;

    const REGIONS: &[Region] = &[
        Region::new("cn-hangzhou", "domain.aliyuncs.com"),
        Region::new("ap-southeast-1", "domain-intl.aliyuncs.com"),
    ];
    const SERVICE: ServiceEndpoints = ServiceEndpoints {
        regions: REGIONS,
        default_region: "cn-hangzhou",
    };

    #[test]
    fn regions_resolve_as_the_official_sdks_central_rule() {
        let host = |region, network, suffix| SERVICE.host(region, network, suffix).unwrap();
        assert_eq!(host(None, None, None), "domain.aliyuncs.com");
        assert_eq!(host(Some("ap-southeast-1"), None, None), "domain-intl.aliyuncs.com");
        assert_eq!(host(Some("cn-shanghai"), None, None), "domain.aliyuncs.com");
        assert_eq!(host(Some("eu-central-1"), Some("vpc"), None), "domain-vpc.aliyuncs.com");
        assert_eq!(
            host(Some("cn-shanghai"), Some("public"), Some("share")),
            "domain-share.aliyuncs.com"
        );
        assert_eq!(host(None, Some("vpc"), Some("share")), "domain-share-vpc.aliyuncs.com");
        // A region's own endpoint wins, as in the official SDKs' endpoint map.
        assert_eq!(
            host(Some("ap-southeast-1"), Some("vpc"), None),
            "domain-intl.aliyuncs.com"
        );
    }

    #[test]
    fn the_endpoint_is_the_builders_then_the_environments_then_the_regions() {
        let s = |v: &str| Some(v.to_owned());
        let pick = |given, env, host| choose_endpoint(given, env, host).unwrap();
        assert_eq!(pick(s("http://a"), s("http://b"), s("x.example")).0, "http://a");
        assert_eq!(pick(None, s(" http://b "), s("x.example")).0, "http://b");
        assert!(pick(None, s("http://b"), None)
            .1
            .contains("ALIBABA_CLOUD_DOMAIN_ENDPOINT"));
        assert_eq!(pick(None, s("  "), s("x.example")).0, "https://x.example");
        assert!(choose_endpoint(None, None, None).is_err());
    }

    #[test]
    fn https_needs_a_tls_feature() {
        let err = check_tls("https://domain.aliyuncs.com", false).unwrap_err().to_string();
        assert!(err.contains("without TLS") && err.contains("rustls"), "{err}");
        assert!(check_tls("http://127.0.0.1:8080", false).is_ok());
        assert!(check_tls("https://domain.aliyuncs.com", true).is_ok());
    }

    #[test]
    fn hosts_drop_default_ports() {
        assert_eq!(host_of("https://Domain.Aliyuncs.com:443"), "domain.aliyuncs.com");
        assert_eq!(host_of("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(host_of("http://a.example:80"), "a.example");
    }
}
