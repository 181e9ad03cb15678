//! The client: configuration, signing each request, sending it over HTTP and decoding the answer.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::credentials::{Credentials, CredentialsError};
use crate::error::{excerpt, Error, ServiceError, TransportErrorKind};
use crate::request::{HttpMethod, OperationRequest};
use crate::signing;

/// The service's public endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://domain.aliyuncs.com";
/// How long establishing a connection may take by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one request may take by default, from sending to the last byte of the answer
/// (long enough for a 1 MB Base64 image on a slow link).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A Domain API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    endpoint: String,
    credentials: Option<Credentials>,
    http: reqwest::Client,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("credentials", &self.inner.credentials)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    endpoint: Option<String>,
    credentials: Option<Credentials>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    app_name: Option<String>,
}

impl ClientBuilder {
    /// The endpoint, `scheme://host[:port]` (default [`DEFAULT_ENDPOINT`]).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The credentials to sign with.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// How long establishing a connection may take (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long one request may take (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A suffix for the `User-Agent` header naming your application (`my-app/1.2`).
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] for an endpoint that is not `http://` or `https://`, or an HTTP client that cannot start.
    pub fn build(self) -> Result<Client, Error> {
        let endpoint = self.endpoint.unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
        let endpoint = endpoint.trim_end_matches('/').to_owned();
        if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) || endpoint.contains(['?', '#']) {
            return Err(Error::Config(format!(
                "endpoint {endpoint:?} must look like https://host[:port]"
            )));
        }
        let http = reqwest::Client::builder()
            .user_agent(user_agent(self.app_name.as_deref()))
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {}", e.without_url())))?;
        Ok(Client {
            inner: Arc::new(Inner {
                endpoint,
                credentials: self.credentials,
                http,
            }),
        })
    }
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

fn timestamp() -> String {
    const FORMAT: &[time::format_description::FormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::now_utc()
        .format(FORMAT)
        .expect("a UTC date always formats")
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

    /// Signs and sends one request, and decodes the answer. Generated operations call this.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn execute<O: DeserializeOwned>(&self, request: OperationRequest) -> Result<O, Error> {
        let action = request.action();
        let credentials = self.inner.credentials.as_ref().ok_or(CredentialsError::NotConfigured)?;
        let method = request.method();
        let nonce = uuid::Uuid::new_v4().to_string();
        let timestamp = timestamp();
        let mut common: Vec<(Cow<'static, str>, Cow<'_, str>)> = vec![
            (Cow::Borrowed("Action"), Cow::Borrowed(action)),
            (Cow::Borrowed("Version"), Cow::Borrowed(request.version())),
            (Cow::Borrowed("Format"), Cow::Borrowed("JSON")),
            (Cow::Borrowed("AccessKeyId"), Cow::Borrowed(credentials.access_key_id())),
            (Cow::Borrowed("SignatureMethod"), Cow::Borrowed("HMAC-SHA1")),
            (Cow::Borrowed("SignatureVersion"), Cow::Borrowed("1.0")),
            (Cow::Borrowed("SignatureNonce"), Cow::Owned(nonce)),
            (Cow::Borrowed("Timestamp"), Cow::Owned(timestamp)),
        ];
        if let Some(token) = credentials.security_token() {
            common.push((Cow::Borrowed("SecurityToken"), Cow::Borrowed(token)));
        }
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(common.len() + request.params().len());
        all.extend(common.iter().map(|(k, v)| (k.as_ref(), v.as_ref())));
        all.extend(request.params().iter().map(|(k, v)| (k.as_ref(), v.as_str())));
        let canonical = signing::canonical_query(&all);
        let signature = signing::sign(
            credentials.access_key_secret(),
            &signing::string_to_sign(method.as_str(), &canonical),
        );

        let http = &self.inner.http;
        let builder = match method {
            HttpMethod::Get => {
                let url = format!(
                    "{}/?{canonical}&Signature={}",
                    self.inner.endpoint,
                    signing::percent_encode(&signature)
                );
                http.get(url)
            }
            HttpMethod::Post => {
                let mut query = signing::canonical_query(&common);
                query.push_str("&Signature=");
                query.push_str(&signing::percent_encode(&signature));
                let body = signing::canonical_query(request.params());
                http.post(format!("{}/?{query}", self.inner.endpoint))
                    .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(body)
            }
        };
        let response = builder.send().await.map_err(|e| transport(action, e))?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(|e| transport(action, e))?;
        if (200..300).contains(&status) {
            serde_json::from_slice(&body).map_err(|e| Error::Decode {
                action,
                status,
                reason: e.to_string(),
                excerpt: excerpt(&body, 256),
            })
        } else {
            Err(service_error(&request, status, &body))
        }
    }
}

fn transport(action: &'static str, e: reqwest::Error) -> Error {
    let kind = if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Other
    };
    // The URL carries the signature and any STS token: never show it.
    Error::Transport {
        action,
        kind,
        source: Box::new(e.without_url()),
    }
}

/// Decodes an error answer; a body that is not a JSON error is reported with its status and an excerpt.
fn service_error(request: &OperationRequest, status: u16, body: &[u8]) -> Error {
    let action = request.action();
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Error::Decode {
            action,
            status,
            reason: "the error answer is not a JSON object".to_owned(),
            excerpt: excerpt(body, 256),
        };
    };
    let get = |key: &str| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, v)| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            })
    };
    let code = get("Code");
    ServiceError {
        action,
        status,
        global: code.as_deref().and_then(|c| request.global_error(c)),
        code,
        message: get("Message"),
        request_id: get("RequestId"),
        host_id: get("HostId"),
        recommend: get("Recommend"),
    }
    .into()
}
