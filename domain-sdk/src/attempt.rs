//! One attempt of a call: credentials, layout and signature, the transport, then what the answer is — a decoded
//! success, a service error, a transport failure — and how it counts for retrying.

use crate::client::Inner;
use crate::clock::parse_http_date;
use crate::error::{human_duration, Error, Redactor, TransportErrorKind, TransportFailure};
use crate::interceptor::{AfterSigning, AttemptDone, BeforeSigning};
use crate::layout::{self, Layout};
use crate::request::OperationRequest;
use crate::retry::Failure;
use crate::retry_loop::{Outcome, RetryInfo};
use crate::transport::{AttemptLimits, HttpResponse, TransportError};

/// Decodes a successful answer into the caller's output (which it keeps).
pub(crate) type Decoder<'a> = dyn FnMut(&str) -> Result<(), serde_json::Error> + Send + 'a;

/// Runs attempt `number` of `request` on the client `inner` (`retry` says which retry it is), with the
/// client's interceptors around it.
pub(crate) async fn attempt(
    inner: &Inner,
    request: &OperationRequest,
    decode: &mut Decoder<'_>,
    number: u32,
    retry: Option<RetryInfo>,
) -> Outcome {
    if inner.interceptors.is_empty() {
        return exchange(inner, request, decode, number, retry).await.0;
    }
    // The interceptors change this attempt's copy of the request, never the call's.
    let mut request = request.clone();
    for interceptor in &inner.interceptors {
        interceptor.before_signing(&mut BeforeSigning {
            action: request.action(),
            attempt: number,
            request: &mut request,
        });
    }
    let started = std::time::Instant::now();
    let (outcome, response) = exchange(inner, &request, decode, number, retry).await;
    let done = AttemptDone {
        action: request.action(),
        attempt: number,
        response: response.as_ref(),
        error: outcome.result.as_ref().err(),
        latency: started.elapsed(),
    };
    for interceptor in &inner.interceptors {
        interceptor.after_attempt(&done);
    }
    outcome
}

/// The attempt itself: its outcome, and the answer when one came (for the interceptors).
async fn exchange(
    inner: &Inner,
    request: &OperationRequest,
    decode: &mut Decoder<'_>,
    number: u32,
    retry: Option<RetryInfo>,
) -> (Outcome, Option<HttpResponse>) {
    let action = request.action();
    let credentials = match inner.credentials.provide_credentials().await {
        Ok(c) => c,
        Err(e) => {
            let outcome = Outcome {
                result: Err(e.into()),
                failure: None,
                server_date: None,
                status: None,
            };
            return (outcome, None);
        }
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    if let Some(agent) = &inner.user_agent {
        headers.push(("user-agent".to_owned(), agent.clone()));
    }
    headers.extend(inner.headers.iter().cloned());
    if let Some(retry) = retry {
        headers.push(("x-acs-retry-attempts".to_owned(), retry.retries.to_string()));
        headers.push(("x-acs-retry-delay".to_owned(), retry.delay.as_millis().to_string()));
    }
    let layout = Layout {
        endpoint: &inner.endpoint,
        host: &inner.host,
        version: inner.signature_version,
        defaults: &inner.defaults,
        timestamp: inner.clock.timestamp(),
        headers: &headers,
    };
    let mut signed = layout::sign(&layout, request, &credentials);
    for interceptor in &inner.interceptors {
        interceptor.after_signing(&mut AfterSigning {
            action,
            attempt: number,
            request: &mut signed.request,
        });
    }
    // What the server may echo of this attempt's secrets, removed from every error built below.
    let redactor = Redactor::new(
        credentials
            .security_token()
            .into_iter()
            .chain([signed.signature.as_str()]),
    );
    let limits = AttemptLimits {
        deadline: tokio::time::Instant::now() + inner.attempt_timeout,
        attempt_timeout: inner.attempt_timeout,
        max_response_bytes: inner.max_response_bytes,
    };
    // The deadline is enforced here too, whatever the transport does.
    let sent = tokio::time::timeout_at(limits.deadline, inner.transport.send(signed.request, &limits)).await;
    let response = match sent {
        Ok(Ok(response)) if response.body.len() > limits.max_response_bytes => Err(TransportError::too_large(
            response.status,
            response.body[..1024.min(response.body.len())].to_vec(),
        )),
        Ok(result) => result,
        Err(_) => Err(TransportError::timeout(format!(
            "the answer did not arrive within the {} attempt timeout",
            human_duration(inner.attempt_timeout)
        ))),
    };
    let response = match response {
        Ok(response) => response,
        Err(e) => return (transport_outcome(action, e, &redactor, limits.max_response_bytes), None),
    };
    let status = response.status;
    let server_date = response.header("date").and_then(parse_http_date);
    if (200..300).contains(&status) {
        let encoding = response
            .header("content-encoding")
            .filter(|v| !v.trim().eq_ignore_ascii_case("identity"))
            .map(|v| v.chars().take(32).collect::<String>());
        // UTF-8 is checked once for the whole body, not string by string inside the JSON decoder.
        let result = match std::str::from_utf8(&response.body) {
            Ok("") => Err("the answer has no body".to_owned()),
            Ok(text) => decode(text).map_err(|e| e.to_string()),
            Err(_) if encoding.is_some() => Err(format!(
                "the answer is compressed (Content-Encoding: {}), which this client did not ask for",
                encoding.as_deref().unwrap_or_default()
            )),
            Err(e) => Err(format!("the answer is not UTF-8: {e}")),
        }
        .map_err(|reason| Error::Decode {
            action,
            status,
            // A decoder's message quotes the offending value, which may be any size.
            reason: redactor.excerpt(reason.as_bytes(), 1024),
            excerpt: redactor.excerpt(&response.body, 256),
        });
        let failure = result.is_err().then_some(Failure::Ambiguous);
        let outcome = Outcome {
            result,
            failure,
            server_date,
            status: Some(status),
        };
        return (outcome, Some(response));
    }
    let error = crate::service_error::decode(
        request,
        &response,
        (&signed.string_to_sign, signed.canonical_request.as_deref()),
        &redactor,
    );
    let failure = match &error {
        Error::Service(s) => inner.retry.classify(status, s.code.as_deref(), s.is_retryable()),
        _ => Failure::Client,
    };
    let outcome = Outcome {
        result: Err(error),
        failure: Some(failure),
        server_date,
        status: Some(status),
    };
    (outcome, Some(response))
}

/// The outcome of an attempt that got no usable answer.
fn transport_outcome(action: &'static str, e: TransportError, redactor: &Redactor, max: usize) -> Outcome {
    let TransportError {
        kind,
        message,
        cause,
        oversized,
    } = e;
    let (error, failure) = match oversized {
        Some((status, start)) => (
            Error::Decode {
                action,
                status,
                reason: format!("the answer exceeds the {max} byte limit"),
                excerpt: redactor.excerpt(&start, 256),
            },
            Failure::Client,
        ),
        None => (
            Error::Transport {
                action,
                kind,
                source: Box::new(TransportFailure {
                    message: redactor.apply(&message),
                    cause,
                }),
            },
            if kind == TransportErrorKind::Connect {
                Failure::Connect
            } else {
                Failure::Ambiguous
            },
        ),
    };
    Outcome {
        result: Err(error),
        failure: Some(failure),
        server_date: None,
        status: None,
    }
}
