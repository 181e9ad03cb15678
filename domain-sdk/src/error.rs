//! The SDK's one error type: invalid request, service error, transport failure, undecodable response.

use std::fmt;

pub use crate::credentials::CredentialsError;

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was refused before anything was sent (a required parameter is missing, …).
    #[error("invalid {action} request: parameter {parameter}: {reason}")]
    InvalidRequest {
        /// The action.
        action: &'static str,
        /// The wire name of the offending parameter (`OrderActivateParam.2.DomainName`).
        parameter: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The service answered with an error status (HTTP 4xx/5xx): with its JSON error body, or — a gateway's page,
    /// an empty body — with [`ServiceError::body_excerpt`] and no code.
    #[error(transparent)]
    Service(Box<ServiceError>),
    /// The request did not complete: connection refused or reset, timeout, TLS failure, …
    #[error("{action}: {source}")]
    Transport {
        /// The action.
        action: &'static str,
        /// What kind of failure.
        kind: TransportErrorKind,
        /// What happened, in words (`the answer did not arrive within the 30 s attempt timeout (0 of 512
        /// bytes)`); its own `source()` is the HTTP stack's error, when there is one.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A successful (2xx) answer could not be decoded: empty, not JSON, or of the wrong shape.
    #[error("{action}: undecodable response (HTTP {status}): {reason}; body starts with {excerpt:?}")]
    Decode {
        /// The action.
        action: &'static str,
        /// The HTTP status.
        status: u16,
        /// Why it could not be decoded.
        reason: String,
        /// The first bytes of the body (at most 256 characters).
        excerpt: String,
    },
    /// A paginator stopped because the service's pages would never end: a page came back the same as the one
    /// before it, or the paginator's page limit was reached with more pages to come.
    #[error("{action}: paging stopped: {reason}")]
    Pagination {
        /// The action.
        action: &'static str,
        /// Why.
        reason: String,
    },
    /// No usable credentials.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The client's configuration is invalid (a malformed endpoint, …).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The blocking API was misused (called from within an async runtime) or its runtime could not start.
    #[error("blocking call: {0}")]
    Blocking(String),
    /// A bug in this SDK: a state its code should never reach. Please report it with the message.
    #[error("internal error in domain-sdk (please report it): {0}")]
    Internal(String),
}

/// The kinds of transport failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established: the request never reached the server.
    Connect,
    /// A timeout expired.
    Timeout,
    /// Anything else (a reset mid-response, a body that could not be read, …).
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Other => "transport",
        })
    }
}

impl Error {
    /// The service error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The service's error `Code`, if any.
    pub fn code(&self) -> Option<&str> {
        self.as_service_error().and_then(|e| e.code.as_deref())
    }
}

/// An error answer from the service (§3.4): `{"RequestId", "HostId", "Code", "Message", "Recommend"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceError {
    /// The action that failed.
    pub action: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The error code (`WhoisInfoNotExist`).
    pub code: Option<String>,
    /// The service's message.
    pub message: Option<String>,
    /// The request's unique id: quote it to support.
    pub request_id: Option<String>,
    /// The host that answered.
    pub host_id: Option<String>,
    /// A link to a diagnosis, when the service gives one.
    pub recommend: Option<String>,
    /// What appendix §6.1 documents about this code, when it is a global error.
    pub global: Option<&'static ErrorInfo>,
    /// For `SignatureDoesNotMatch`: the service's string to sign beside ours, when the service sent it.
    pub signature_mismatch: Option<SignatureMismatch>,
    /// When the answer was not a JSON error (a gateway's HTML page, an empty body): the start of its body, at most
    /// 256 characters (empty for an empty body). `None` for a JSON error answer.
    pub body_excerpt: Option<String>,
    /// How long the service asked the client to wait before trying again (`x-acs-retry-after`, in milliseconds,
    /// or `Retry-After`), when it said.
    pub retry_after: Option<std::time::Duration>,
}

/// Both strings to sign of a rejected signature (the STS token redacted), and whether they differ.
///
/// The same strings mean the secret is wrong; different strings mean the request was encoded differently
/// from what the service expects (a proxy rewriting it, an encoding bug).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureMismatch {
    /// The service's string to sign, from its error message.
    pub server_string_to_sign: String,
    /// The string this client signed.
    pub client_string_to_sign: String,
    /// Whether the two strings are the same.
    pub strings_match: bool,
    /// Under signature v3, the canonical request this client hashed into its string to sign (redacted): the
    /// string to sign is only a hash of it, so this is what to compare with what the service received.
    pub client_canonical_request: Option<String>,
}

impl SignatureMismatch {
    const MARKER: &'static str = "server string to sign is:";

    /// Extracts the service's string to sign from its message and compares it with ours.
    pub(crate) fn from_message(
        message: Option<&str>,
        ours: &str,
        canonical_request: Option<&str>,
        redactor: &Redactor,
    ) -> Option<Self> {
        let message = message?;
        let start = message.find(Self::MARKER)? + Self::MARKER.len();
        let theirs = message[start..].trim();
        Some(SignatureMismatch {
            strings_match: theirs == ours,
            server_string_to_sign: redactor.apply(theirs),
            client_string_to_sign: redactor.apply(ours),
            client_canonical_request: canonical_request.map(|c| redactor.apply(c)),
        })
    }

    /// What the comparison means.
    pub fn diagnosis(&self) -> &'static str {
        if self.strings_match {
            "the strings to sign are identical, so the AccessKey secret is wrong"
        } else {
            "the strings to sign differ, so the request was encoded differently from what the service expects"
        }
    }
}

/// Removes the secrets of one attempt (the STS token, the signature) from text a server sent back, whatever it
/// echoed: raw, percent-encoded once or twice with upper- or lower-case hex, or escaped as a JSON string. Every
/// message, excerpt and field of an error goes through it before the error exists, so neither `Display`,
/// `Debug` nor a log can show them. The forms are worked out on first use: an attempt that succeeds never
/// pays for them.
#[derive(Default)]
pub(crate) struct Redactor {
    secrets: Vec<String>,
    /// Every form of every secret, longest first.
    forms: std::sync::OnceLock<Vec<String>>,
}

/// What stands for a secret in redacted text.
pub(crate) const REDACTED: &str = "<redacted>";

impl Redactor {
    /// A redactor of these secrets (empty ones are ignored).
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        Redactor {
            secrets: secrets
                .into_iter()
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            forms: std::sync::OnceLock::new(),
        }
    }

    fn forms(&self) -> &[String] {
        self.forms.get_or_init(|| {
            let mut forms = Vec::new();
            for secret in &self.secrets {
                let once = crate::signing::percent_encode(secret);
                let twice = crate::signing::percent_encode(&once);
                // As a JSON string's inside: quotes and backslashes escaped, and `/` too as some encoders do.
                let json = serde_json::to_string(secret).unwrap_or_default();
                let json = json.trim_matches('"').to_owned();
                let json_slash = json.replace('/', "\\/");
                for form in [
                    secret.clone(),
                    lower_hex(&once),
                    lower_hex(&twice),
                    once,
                    twice,
                    json,
                    json_slash,
                ] {
                    if !form.is_empty() && !forms.contains(&form) {
                        forms.push(form);
                    }
                }
            }
            forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
            forms
        })
    }

    /// `text` with every form of every secret replaced by `<redacted>`.
    pub(crate) fn apply(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for form in self.forms() {
            if out.contains(form.as_str()) {
                out = out.replace(form.as_str(), REDACTED);
            }
        }
        out
    }

    /// The first `max` characters of `body`, redacted before it is cut, so that a secret straddling the cut
    /// cannot leave a prefix behind.
    pub(crate) fn excerpt(&self, body: &[u8], max: usize) -> String {
        let longest = self.forms().first().map_or(0, |f| f.chars().count());
        let window = excerpt(body, max + longest);
        let window = window.strip_suffix('…').unwrap_or(&window);
        let redacted = self.apply(window);
        let mut out: String = redacted.chars().take(max).collect();
        if redacted.chars().nth(max).is_some() || String::from_utf8_lossy(body).chars().nth(max + longest).is_some() {
            out.push('…');
        }
        out
    }
}

/// `%2B` → `%2b`: the same encoding with lower-case hex digits.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut hex_left = 0;
    for c in encoded.chars() {
        if c == '%' {
            hex_left = 2;
            out.push(c);
        } else if hex_left > 0 {
            hex_left -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Which side an error is on (§6.1's two tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// 客户端错误: the request was wrong (or throttled).
    Client,
    /// 服务器端错误: the service failed.
    Server,
}

/// A documented error code (appendix §6.1); `crate::types::GLOBAL_ERRORS` lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorInfo {
    /// The `Code`.
    pub code: &'static str,
    /// The HTTP status it comes with.
    pub http_status: u16,
    /// The service's message, as documented.
    pub message: &'static str,
    /// What it means, in English.
    pub description: &'static str,
    /// What it means, as the reference words it (Chinese).
    pub description_zh: &'static str,
    /// Client or server side.
    pub class: ErrorClass,
    /// Whether a retry may succeed.
    pub retryable: bool,
}

impl ErrorInfo {
    /// A documented error; used by generated code.
    pub const fn new(
        code: &'static str,
        http_status: u16,
        message: &'static str,
        description: &'static str,
        description_zh: &'static str,
        class: ErrorClass,
        retryable: bool,
    ) -> Self {
        ErrorInfo {
            code,
            http_status,
            message,
            description,
            description_zh,
            class,
            retryable,
        }
    }
}

impl ServiceError {
    /// The error code.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// How long the service asked the client to wait before trying again, when it said (a throttled answer's
    /// `x-acs-retry-after`, or `Retry-After`). The client's retries already wait at least that long.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.retry_after
    }
    /// The service's message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    /// The request id.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// The host id.
    pub fn host_id(&self) -> Option<&str> {
        self.host_id.as_deref()
    }
    /// The diagnosis link.
    pub fn recommend(&self) -> Option<&str> {
        self.recommend.as_deref()
    }
    /// The §6.1 entry when the code is a documented global error (throttling, signature mismatch, …).
    pub fn global_error(&self) -> Option<&'static ErrorInfo> {
        self.global
    }
    /// Client or server side: from §6.1 for a global error, else from the HTTP status.
    pub fn class(&self) -> ErrorClass {
        match self.global {
            Some(info) => info.class,
            None if self.status >= 500 => ErrorClass::Server,
            None => ErrorClass::Client,
        }
    }
    /// Whether a retry may succeed: §6.1 says so for a global error; otherwise server-side (5xx) errors are.
    pub fn is_retryable(&self) -> bool {
        match self.global {
            Some(info) => info.retryable,
            None => self.status >= 500,
        }
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.code, &self.body_excerpt) {
            (None, Some(body)) if body.is_empty() => {
                return write!(
                    f,
                    "{}: service error (HTTP {}, no error body)",
                    self.action, self.status
                )
            }
            (None, Some(body)) => {
                return write!(
                    f,
                    "{}: service error (HTTP {}, the body is not a JSON error: {body:?})",
                    self.action, self.status
                )
            }
            (Some(code), _) => write!(f, "{}: service error {code} (HTTP {})", self.action, self.status)?,
            (None, None) => write!(
                f,
                "{}: service error (HTTP {}, no error code)",
                self.action, self.status
            )?,
        }
        if let Some(m) = &self.message {
            // A signature mismatch's message ends with the service's string to sign, shown once below.
            let m = match &self.signature_mismatch {
                Some(_) => m.find(SignatureMismatch::MARKER).map_or(m.as_str(), |at| &m[..at]),
                None => m,
            };
            let m = m.trim_end();
            if !m.is_empty() {
                write!(f, ": {m}")?;
            }
        }
        if let Some(id) = &self.request_id {
            write!(f, " [RequestId {id}]")?;
        }
        match &self.signature_mismatch {
            Some(m) if m.strings_match => write!(
                f,
                "; {}:\n  string to sign (the same on both sides): {}",
                m.diagnosis(),
                m.client_string_to_sign
            )?,
            Some(m) => write!(
                f,
                "; {}:\n  server string to sign: {}\n  client string to sign: {}",
                m.diagnosis(),
                m.server_string_to_sign,
                m.client_string_to_sign
            )?,
            None => {}
        }
        if let Some(canonical) = self
            .signature_mismatch
            .as_ref()
            .and_then(|m| m.client_canonical_request.as_ref())
        {
            write!(f, "\n  client canonical request:")?;
            for line in canonical.lines() {
                write!(f, "\n    {line}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

impl From<ServiceError> for Error {
    fn from(e: ServiceError) -> Self {
        Error::Service(Box::new(e))
    }
}

/// What went wrong in the transport, in words, with the HTTP stack's error as its source.
#[derive(Debug)]
pub(crate) struct TransportFailure {
    pub(crate) message: String,
    pub(crate) cause: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl fmt::Display for TransportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// An error and its sources, joined with `: `, each said once (the HTTP stack repeats itself).
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        let text = err.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = err.source();
    }
    parts.join(": ")
}

/// A duration as people write it: `30 s`, `250 ms`, `1.5 s`.
pub(crate) fn human_duration(d: std::time::Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{} s", d.as_secs())
    } else if d.as_secs() == 0 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// `12 of 512 bytes`, or `12 bytes` when the length was not announced.
pub(crate) fn bytes_of(received: usize, announced: Option<u64>) -> String {
    match announced {
        Some(total) => format!("{received} of {total} bytes"),
        None => format!("{received} bytes, no length announced"),
    }
}

/// The first `max` characters of a body, for error messages.
pub(crate) fn excerpt(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_a_secret_is_redacted() {
        let r = Redactor::new(["CAES+tok/en==", "", "sig+/="]);
        for text in [
            "CAES+tok/en==",
            "CAES%2Btok%2Fen%3D%3D",
            "CAES%2btok%2fen%3d%3d",
            "CAES%252Btok%252Fen%253D%253D",
            "sig%2B%2F%3D",
            r"CAES+tok\/en==",
        ] {
            assert_eq!(r.apply(&format!("a {text} b")), "a <redacted> b", "{text}");
        }
    }

    #[test]
    fn an_excerpt_never_keeps_part_of_a_secret_cut_at_its_end() {
        let secret = "SECRETSECRETSECRET";
        let r = Redactor::new([secret]);
        for pad in 0..40 {
            let body = format!("{}{secret}{}", "x".repeat(pad), "y".repeat(50));
            let e = r.excerpt(body.as_bytes(), 24);
            assert!(!e.contains("SECR"), "pad {pad}: {e}");
            assert!(e.chars().count() <= 25, "{e}");
        }
        assert_eq!(Redactor::default().excerpt(b"short", 24), "short");
        assert_eq!(Redactor::default().excerpt(b"0123456789", 4), "0123…");
    }
}
