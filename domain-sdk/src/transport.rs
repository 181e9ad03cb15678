//! The transport stage: one attempt's HTTP exchange — send the signed request, read the answer up to the size
//! limit before the attempt's deadline — behind [`Transport`], which a user may replace whole, or feed with their
//! own `reqwest::Client` ([`ClientBuilder::http_client`](crate::ClientBuilder::http_client)).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

pub use crate::tls::{http_client_builder, http_client_builder_with_roots};

use crate::error::{bytes_of, error_chain, human_duration, TransportErrorKind};
use crate::request::HttpMethod;

/// One signed attempt, as it goes over the wire.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: HttpMethod,
    /// The full URL (under signature v1 its query carries the signature and any STS token).
    pub url: String,
    /// Headers besides the transport's own (`User-Agent`): under v3 the `x-acs-*` headers and `Authorization`.
    pub headers: Vec<(String, String)>,
    /// The form body of a POST (`application/x-www-form-urlencoded`).
    pub body: Option<String>,
}

impl HttpRequest {
    /// The value of header `name` (any case), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_of(&self.headers, name)
    }

    /// `scheme://host[:port]` of the URL: what may be shown of it (the query carries secrets).
    pub fn origin(&self) -> &str {
        let after_scheme = self.url.find("://").map_or(0, |i| i + 3);
        let end = self.url[after_scheme..]
            .find(['/', '?', '#'])
            .map_or(self.url.len(), |i| after_scheme + i);
        &self.url[..end]
    }
}

/// Names whose values are secrets wherever they appear (a query parameter or a header).
const SECRET_NAMES: &[&str] = &[
    "signature",
    "securitytoken",
    "authorization",
    "x-acs-security-token",
    "accesskeysecret",
];

fn is_secret(name: &str) -> bool {
    SECRET_NAMES.iter().any(|s| name.eq_ignore_ascii_case(s))
}

/// A form (`k=v&…`, a query or a POST body) with the values of secret parameters replaced.
fn redacted_form(form: &str) -> String {
    let pairs: Vec<String> = form
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if is_secret(k) => format!("{k}=<redacted>"),
            _ => pair.to_owned(),
        })
        .collect();
    pairs.join("&")
}

/// The URL with the values of secret query parameters replaced.
fn redacted_url(url: &str) -> String {
    match url.split_once('?') {
        Some((base, query)) => format!("{base}?{}", redacted_form(query)),
        None => url.to_owned(),
    }
}

impl fmt::Debug for HttpRequest {
    /// The signature, the STS token and `Authorization` are redacted; the body's secrets too (a v1 POST body
    /// holds none, but a form may be echoed by a proxy).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), if is_secret(k) { "<redacted>" } else { v.as_str() }))
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &redacted_url(&self.url))
            .field("headers", &headers)
            .field("body", &self.body.as_deref().map(redacted_form))
            .finish()
    }
}

/// The answer to one attempt, read whole. Its `Debug` shows the status, the header names and the body's size,
/// never their contents (a server may echo a request's secrets back).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body, at most the client's `max_response_bytes`.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// An answer (for a [`Transport`] of your own, or a mock).
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers: headers.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect(),
            body: body.into(),
        }
    }

    /// The value of header `name` (any case), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_of(&self.headers, name)
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &names)
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

fn header_of<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// What one attempt may take: a transport must give up at the deadline and never read more than the limit.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct AttemptLimits {
    /// When the attempt's time is up (its timeout from the moment it started).
    pub deadline: tokio::time::Instant,
    /// The attempt timeout the deadline came from (for messages).
    pub attempt_timeout: Duration,
    /// The largest answer to read.
    pub max_response_bytes: usize,
}

/// The HTTP stack's error behind a transport failure.
pub(crate) type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Why an attempt got no usable answer.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) kind: TransportErrorKind,
    pub(crate) message: String,
    pub(crate) cause: Option<Cause>,
    /// For an answer over the size limit: its status and the start of its body.
    pub(crate) oversized: Option<(u16, Vec<u8>)>,
}

impl TransportError {
    /// The connection could not be made: the request never reached the server (so even an order may be
    /// retried).
    pub fn connect(message: impl Into<String>, cause: Option<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::new(TransportErrorKind::Connect, message, cause)
    }

    /// The attempt's time ran out; the request may have reached the server.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::new(TransportErrorKind::Timeout, message, None)
    }

    /// Anything else after the request may have left (a reset, a cut-off body).
    pub fn other(message: impl Into<String>, cause: Option<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::new(TransportErrorKind::Other, message, cause)
    }

    fn new(
        kind: TransportErrorKind,
        message: impl Into<String>,
        cause: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            kind,
            message: message.into(),
            cause,
            oversized: None,
        }
    }

    /// The answer was larger than the limit: its status and the start of its body.
    pub(crate) fn too_large(status: u16, start: Vec<u8>) -> Self {
        TransportError {
            kind: TransportErrorKind::Other,
            message: String::new(),
            cause: None,
            oversized: Some((status, start)),
        }
    }

    /// What kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// What happened, in words.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The future a [`Transport`] returns.
pub type TransportFuture<'a> = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// Sends one attempt and reads its answer. The client signs each attempt, then hands it to its transport;
/// timeouts, the size limit, retries and decoding stay the client's, whatever the transport. Implement it to
/// route requests your own way (a service mesh, a recorder, an in-process mock); the default sends with
/// reqwest.
pub trait Transport: fmt::Debug + Send + Sync + 'static {
    /// Sends `request` and reads the answer, giving up at `limits.deadline` and never reading more than
    /// `limits.max_response_bytes`.
    fn send<'a>(&'a self, request: HttpRequest, limits: &'a AttemptLimits) -> TransportFuture<'a>;
}

/// The default transport: a `reqwest::Client` (the SDK's own, or yours), with no redirects followed.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    connect_timeout: Option<Duration>,
}

impl ReqwestTransport {
    /// Sends with `client`. `connect_timeout` is what the client was built with, if known (for messages).
    pub(crate) fn new(client: reqwest::Client, connect_timeout: Option<Duration>) -> Self {
        ReqwestTransport {
            client,
            connect_timeout,
        }
    }

    /// The error of a request that got no answer at all. The URL carries the signature and any STS token: it is
    /// never shown, only the origin.
    fn send_error(&self, origin: &str, e: reqwest::Error, limits: &AttemptLimits) -> TransportError {
        let e = e.without_url();
        let chain = error_chain(&e);
        let boxed = |e: reqwest::Error| Some(Box::new(e) as Box<dyn std::error::Error + Send + Sync>);
        if e.is_connect() && e.is_timeout() {
            let within = self.connect_timeout.map_or_else(String::new, |t| {
                format!(" within the {} connect timeout", human_duration(t))
            });
            TransportError::new(
                TransportErrorKind::Timeout,
                format!("could not connect to {origin}{within}"),
                boxed(e),
            )
        } else if e.is_connect() {
            TransportError::connect(format!("could not connect to {origin}: {chain}"), boxed(e))
        } else if e.is_timeout() {
            TransportError::new(
                TransportErrorKind::Timeout,
                format!(
                    "the answer did not arrive within the {} attempt timeout",
                    human_duration(limits.attempt_timeout)
                ),
                boxed(e),
            )
        } else {
            TransportError::other(format!("the request got no usable answer: {chain}"), boxed(e))
        }
    }

    async fn exchange(&self, request: HttpRequest, limits: &AttemptLimits) -> Result<HttpResponse, TransportError> {
        let origin = request.origin().to_owned();
        let mut builder = match request.method {
            HttpMethod::Get => self.client.get(&request.url),
            HttpMethod::Post => self
                .client
                .post(&request.url)
                .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
        };
        for (name, value) in &request.headers {
            if !name.eq_ignore_ascii_case("content-type") {
                builder = builder.header(name.as_str(), value.as_str());
            }
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        let timed_out = |received: Option<(usize, Option<u64>)>| {
            let so_far = received.map_or_else(String::new, |(n, total)| format!(" ({})", bytes_of(n, total)));
            TransportError::timeout(format!(
                "the answer did not arrive within the {} attempt timeout{so_far}",
                human_duration(limits.attempt_timeout)
            ))
        };
        let mut response = match tokio::time::timeout_at(limits.deadline, builder.send()).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => return Err(self.send_error(&origin, e, limits)),
            Err(_) => return Err(timed_out(None)),
        };
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        let announced = response.content_length();
        let expected = announced.map_or(0, |n| n.min(limits.max_response_bytes as u64));
        let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        loop {
            let chunk = match tokio::time::timeout_at(limits.deadline, response.chunk()).await {
                Ok(chunk) => chunk,
                Err(_) => return Err(timed_out(Some((body.len(), announced)))),
            };
            match chunk {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > limits.max_response_bytes {
                        body.truncate(1024);
                        return Err(TransportError::too_large(status, body));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    let message = format!(
                        "the connection closed before the answer was complete ({})",
                        bytes_of(body.len(), announced)
                    );
                    return Err(TransportError::other(message, Some(Box::new(e.without_url()))));
                }
            }
        }
        Ok(HttpResponse { status, headers, body })
    }
}

impl Transport for ReqwestTransport {
    fn send<'a>(&'a self, request: HttpRequest, limits: &'a AttemptLimits) -> TransportFuture<'a> {
        Box::pin(self.exchange(request, limits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_signatures_tokens_and_authorization() {
        let request = HttpRequest {
            method: HttpMethod::Post,
            url: "https://domain.aliyuncs.com/?Action=X&SecurityToken=TOKEN123&Signature=SIG456".to_owned(),
            headers: vec![
                (
                    "authorization".to_owned(),
                    "ACS3-HMAC-SHA256 Credential=id,Signature=abc789".to_owned(),
                ),
                ("x-acs-security-token".to_owned(), "TOKEN123".to_owned()),
                ("x-acs-action".to_owned(), "X".to_owned()),
            ],
            body: Some("DomainName=a.com&Signature=SIG456".to_owned()),
        };
        let shown = format!("{request:?}");
        for secret in ["TOKEN123", "SIG456", "abc789"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("Action=X") && shown.contains("x-acs-action") && shown.contains("DomainName=a.com"));
        assert_eq!(request.origin(), "https://domain.aliyuncs.com");
        assert_eq!(request.header("X-ACS-ACTION"), Some("X"));

        let echo = HttpResponse::new(
            400,
            vec![("X-Echo".to_owned(), "TOKEN123".to_owned())],
            "SIG456 TOKEN123",
        );
        let shown = format!("{echo:?}");
        assert!(!shown.contains("TOKEN123") && !shown.contains("SIG456"), "{shown}");
        assert!(shown.contains("x-echo") && shown.contains("body_bytes: 15"), "{shown}");
    }
}
