//! Interceptors: code of yours that runs at the stages of every attempt — before signing (read or change the
//! action's parameters), after signing (read the signed request, add headers), after the attempt (status,
//! headers, request id, latency, error). Registered on the builder or for one call; none registered costs
//! nothing.

use std::fmt;
use std::time::Duration;

use crate::error::Error;
use crate::request::OperationRequest;
use crate::transport::{HttpRequest, HttpResponse};

/// Hooks around each attempt of a call. Every method has an empty default: implement the ones you need.
///
/// ```
/// use domain_sdk::interceptor::{AfterSigning, Interceptor};
///
/// /// Adds a tracing header to every request.
/// #[derive(Debug)]
/// struct TraceParent(String);
///
/// impl Interceptor for TraceParent {
///     fn after_signing(&self, context: &mut AfterSigning<'_>) {
///         context.request.headers.push(("traceparent".to_owned(), self.0.clone()));
///     }
/// }
///
/// let client = domain_sdk::Client::builder()
///     .endpoint("http://127.0.0.1:1")
///     .credentials(domain_sdk::Credentials::new("id", "secret"))
///     .interceptor(TraceParent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".to_owned()))
///     .build()
///     .unwrap();
/// # let _ = client;
/// ```
pub trait Interceptor: fmt::Debug + Send + Sync + 'static {
    /// Before the attempt is laid out and signed: `context.request`'s parameters may be read or changed (they
    /// are signed as changed). Runs for every attempt, on that attempt's copy of the request.
    fn before_signing(&self, context: &mut BeforeSigning<'_>) {
        let _ = context;
    }

    /// After signing, before sending: the signed request may be read, and headers added. A header added here is
    /// not signed (under signature v3, an `x-acs-*` header the service checks must be set through
    /// [`CallConfig::header`](crate::CallConfig::header) instead, which is signed). Its `Debug` hides the
    /// signature, the STS token and `Authorization`.
    fn after_signing(&self, context: &mut AfterSigning<'_>) {
        let _ = context;
    }

    /// After the attempt, whatever its outcome (before the client decides to retry).
    fn after_attempt(&self, context: &AttemptDone<'_>) {
        let _ = context;
    }
}

/// What [`Interceptor::before_signing`] sees.
#[derive(Debug)]
#[non_exhaustive]
pub struct BeforeSigning<'a> {
    /// The action.
    pub action: &'static str,
    /// The attempt's number (1 for the first).
    pub attempt: u32,
    /// The request, its parameters changeable ([`OperationRequest::params_mut`]).
    pub request: &'a mut OperationRequest,
}

/// What [`Interceptor::after_signing`] sees.
#[derive(Debug)]
#[non_exhaustive]
pub struct AfterSigning<'a> {
    /// The action.
    pub action: &'static str,
    /// The attempt's number (1 for the first).
    pub attempt: u32,
    /// The signed request, as it will be sent.
    pub request: &'a mut HttpRequest,
}

/// What [`Interceptor::after_attempt`] sees.
#[derive(Debug)]
#[non_exhaustive]
pub struct AttemptDone<'a> {
    /// The action.
    pub action: &'static str,
    /// The attempt's number (1 for the first).
    pub attempt: u32,
    /// The answer, when one came (its body included); `None` after a transport failure.
    pub response: Option<&'a HttpResponse>,
    /// The error, when the attempt failed (a service error, a transport failure, an undecodable answer).
    pub error: Option<&'a Error>,
    /// From sending to the end of the answer (or the failure).
    pub latency: Duration,
}

impl AttemptDone<'_> {
    /// The HTTP status, when an answer came.
    pub fn status(&self) -> Option<u16> {
        self.response.map(|r| r.status)
    }

    /// The service's request id: the `x-acs-request-id` header, else the error body's `RequestId`.
    pub fn request_id(&self) -> Option<&str> {
        self.response.and_then(|r| r.header("x-acs-request-id")).or_else(|| {
            self.error
                .and_then(|e| e.as_service_error())
                .and_then(|s| s.request_id.as_deref())
        })
    }
}

/// A shared interceptor (keep an `Arc` to read what it recorded).
impl<T: Interceptor + ?Sized> Interceptor for std::sync::Arc<T> {
    fn before_signing(&self, context: &mut BeforeSigning<'_>) {
        (**self).before_signing(context);
    }

    fn after_signing(&self, context: &mut AfterSigning<'_>) {
        (**self).after_signing(context);
    }

    fn after_attempt(&self, context: &AttemptDone<'_>) {
        (**self).after_attempt(context);
    }
}
