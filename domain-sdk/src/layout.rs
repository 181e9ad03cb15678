//! The request layout per signature version, beside the signer: where each parameter travels (query, form body,
//! `x-acs-*` headers) and what is signed. Pure functions of the request, the credentials and the moment.

use crate::credentials::Credentials;
use crate::request::{HttpMethod, OperationRequest};
use crate::signing::{self, SignatureVersion};
use crate::transport::HttpRequest;

/// What a request is laid out with, besides itself and the credentials.
pub(crate) struct Layout<'a> {
    /// `scheme://host[:port]`.
    pub(crate) endpoint: &'a str,
    /// The endpoint's `host[:port]`, as the `Host` header carries it (signed under v3).
    pub(crate) host: &'a str,
    pub(crate) version: SignatureVersion,
    /// Client-wide parameter defaults (`Lang`, …), sent to the actions that take them.
    pub(crate) defaults: &'a [(&'static str, String)],
    /// The request timestamp (`2026-11-23T18:05:54Z`).
    pub(crate) timestamp: String,
    /// Extra headers (the retry headers, a caller's own); `x-acs-*` ones are signed under v3.
    pub(crate) headers: &'a [(String, String)],
}

/// One signed attempt, ready to send, with what a signature-mismatch diagnosis and the redaction need.
pub(crate) struct Signed {
    pub(crate) request: HttpRequest,
    pub(crate) string_to_sign: String,
    /// Under v3, the canonical request.
    pub(crate) canonical_request: Option<String>,
    /// The signature (Base64 under v1, hex under v3), to redact from whatever the server echoes.
    pub(crate) signature: String,
}

/// Lays out and signs `request` as `layout.version` says.
pub(crate) fn sign(layout: &Layout<'_>, request: &OperationRequest, credentials: &Credentials) -> Signed {
    match layout.version {
        SignatureVersion::V3 => sign_v3(layout, request, credentials),
        _ => sign_v1(layout, request, credentials),
    }
}

/// The action's own parameters and the client defaults it takes, in the order they are written.
fn action_params<'a>(layout: &'a Layout<'_>, request: &'a OperationRequest) -> Vec<(&'a str, &'a str)> {
    let mut params: Vec<(&str, &str)> = request.params().iter().map(|(k, v)| (k.as_ref(), v.as_str())).collect();
    let accepted = request.accepted_defaults();
    for (name, value) in layout.defaults {
        if accepted.contains(name) && !params.iter().any(|(k, _)| k == name) {
            params.push((name, value));
        }
    }
    params
}

/// `ACS3-HMAC-SHA256`: common parameters as signed headers; action parameters in the query (GET) or the form
/// body (POST).
fn sign_v3(layout: &Layout<'_>, request: &OperationRequest, credentials: &Credentials) -> Signed {
    use signing::v3;
    let method = request.method();
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    let params = action_params(layout, request);
    let (query, body) = match method {
        HttpMethod::Get => (v3::canonical_query(&params), None),
        HttpMethod::Post => (String::new(), Some(signing::canonical_query(&params))),
    };
    let payload = v3::sha256_hex(body.as_deref().unwrap_or_default().as_bytes());
    let mut headers: Vec<(String, String)> = vec![
        ("host".to_owned(), layout.host.to_owned()),
        ("x-acs-action".to_owned(), request.action().to_owned()),
        ("x-acs-version".to_owned(), request.version().to_owned()),
        ("x-acs-date".to_owned(), layout.timestamp.clone()),
        ("x-acs-signature-nonce".to_owned(), nonce),
        ("x-acs-content-sha256".to_owned(), payload.clone()),
    ];
    if body.is_some() {
        headers.push((
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ));
    }
    if let Some(token) = credentials.security_token() {
        headers.push(("x-acs-security-token".to_owned(), token.to_owned()));
    }
    let mut unsigned = Vec::new();
    for (name, value) in layout.headers {
        let name = name.to_ascii_lowercase();
        if headers.iter().any(|(k, _)| *k == name) {
            continue; // the SDK's own headers win
        }
        if name.starts_with("x-acs-") {
            headers.push((name, value.clone()));
        } else {
            unsigned.push((name, value.clone()));
        }
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
        "authorization".to_owned(),
        v3::authorization(credentials.access_key_id(), &signed_headers, &signature),
    ));
    headers.extend(unsigned);
    let url = if query.is_empty() {
        format!("{}/", layout.endpoint)
    } else {
        format!("{}/?{query}", layout.endpoint)
    };
    Signed {
        request: HttpRequest {
            method,
            url,
            headers,
            body,
        },
        string_to_sign,
        canonical_request: Some(canonical_request),
        signature,
    }
}

/// Signature v1: common parameters and the signature in the query; action parameters in the query (GET) or the
/// form body (POST), signed together.
fn sign_v1(layout: &Layout<'_>, request: &OperationRequest, credentials: &Credentials) -> Signed {
    let method = request.method();
    let nonce = uuid::Uuid::new_v4().to_string();
    let mut common: Vec<(&str, &str)> = vec![
        ("Action", request.action()),
        ("Version", request.version()),
        ("Format", "JSON"),
        ("AccessKeyId", credentials.access_key_id()),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", &nonce),
        ("Timestamp", &layout.timestamp),
    ];
    if let Some(token) = credentials.security_token() {
        common.push(("SecurityToken", token));
    }
    let params = action_params(layout, request);
    let mut all: Vec<(&str, &str)> = Vec::with_capacity(common.len() + params.len());
    all.extend(common.iter().copied());
    all.extend(params.iter().copied());
    let canonical = signing::canonical_query(&all);
    let string_to_sign = signing::string_to_sign(method.as_str(), &canonical);
    let raw_signature = signing::sign(credentials.access_key_secret(), &string_to_sign);
    let signature = signing::percent_encode(&raw_signature);
    let (url, body) = match method {
        HttpMethod::Get => (format!("{}/?{canonical}&Signature={signature}", layout.endpoint), None),
        HttpMethod::Post => (
            format!(
                "{}/?{}&Signature={signature}",
                layout.endpoint,
                signing::canonical_query(&common)
            ),
            Some(signing::canonical_query(&params)),
        ),
    };
    Signed {
        request: HttpRequest {
            method,
            url,
            headers: layout.headers.to_vec(),
            body,
        },
        string_to_sign,
        canonical_request: None,
        signature: raw_signature,
    }
}
