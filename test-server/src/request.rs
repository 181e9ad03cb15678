//! A request as the server received it (method, path, headers, query and form parameters) and how the server
//! judged it: what a test reads back with `server.requests()`.

use std::collections::BTreeMap;

use crate::sig;
use crate::validate::COMMON_PARAMS;

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
    /// When it arrived (tokio's clock: paused in a test on a paused runtime), to check the time between
    /// attempts.
    pub received: tokio::time::Instant,
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
