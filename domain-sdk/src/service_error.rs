//! Decoding an error answer (HTTP 4xx/5xx) into a [`ServiceError`]: the JSON error body, or — a gateway's page,
//! an empty body — the status and an excerpt; the throttling hint; the signature-mismatch diagnosis.

use std::time::Duration;

use crate::clock::{parse_http_date, unix_now};
use crate::error::{Error, Redactor, ServiceError, SignatureMismatch};
use crate::request::OperationRequest;
use crate::transport::HttpResponse;

/// How long the service asks a throttled client to wait: `x-acs-retry-after` (milliseconds, as the official
/// runtimes read it), else `Retry-After` (seconds, or an HTTP date). Zero, negative or unreadable values are no
/// hint.
pub(crate) fn retry_after(response: &HttpResponse) -> Option<Duration> {
    if let Some(ms) = response
        .header("x-acs-retry-after")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|ms| *ms > 0)
    {
        return Some(Duration::from_millis(ms.unsigned_abs()));
    }
    let value = response.header("retry-after")?.trim();
    if let Ok(secs) = value.parse::<i64>() {
        return (secs > 0).then(|| Duration::from_secs(secs.unsigned_abs()));
    }
    let at = parse_http_date(value)?;
    let secs = at.saturating_sub(unix_now());
    (secs > 0).then(|| Duration::from_secs(secs.unsigned_abs()))
}

/// Decodes an error answer; every text taken from it goes through `redactor`.
pub(crate) fn decode(
    request: &OperationRequest,
    response: &HttpResponse,
    (string_to_sign, canonical_request): (&str, Option<&str>),
    redactor: &Redactor,
) -> Error {
    let (action, status, body) = (request.action(), response.status, response.body.as_slice());
    let retry_after = retry_after(response);
    let header_request_id = response.header("x-acs-request-id").map(|id| redactor.apply(id));
    // A gateway's page or an empty body is still the service side's answer: an error with its status.
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) else {
        return ServiceError {
            action,
            status,
            code: None,
            message: None,
            request_id: header_request_id,
            host_id: None,
            recommend: None,
            global: None,
            signature_mismatch: None,
            body_excerpt: Some(redactor.excerpt(body, 256)),
            retry_after,
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
        request_id: get("RequestId").or(header_request_id),
        host_id: get("HostId"),
        recommend: get("Recommend"),
        signature_mismatch,
        body_excerpt: None,
        retry_after,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(headers: &[(&str, &str)]) -> HttpResponse {
        let headers = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        HttpResponse::new(400, headers, "{}")
    }

    #[test]
    fn the_throttling_hint_is_read_in_milliseconds_then_from_retry_after() {
        assert_eq!(
            retry_after(&answer(&[("x-acs-retry-after", " 1500 ")])),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            retry_after(&answer(&[("Retry-After", "3")])),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after(&answer(&[("x-acs-retry-after", "250"), ("retry-after", "9")])),
            Some(Duration::from_millis(250))
        );
        for bad in ["0", "-5", "soon", ""] {
            assert_eq!(retry_after(&answer(&[("x-acs-retry-after", bad)])), None, "{bad:?}");
        }
        assert_eq!(
            retry_after(&answer(&[("retry-after", "Thu, 01 Jan 1970 00:00:00 GMT")])),
            None
        );
        assert_eq!(retry_after(&answer(&[])), None);
    }
}
