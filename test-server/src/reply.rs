//! What the server answers a request with: the reference example, a JSON body, a service fault, any body, or a
//! fault of the connection (a reset, a body cut off or held back); and how each goes on the wire.

use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame};
use hyper::Response;

use crate::fault::Fault;

/// An answer: scripted, or the server's own.
#[derive(Debug, Clone)]
pub enum Reply {
    /// The action's reference example (what the server answers when nothing is scripted).
    Example,
    /// A JSON body with this status.
    Json {
        /// HTTP status.
        status: u16,
        /// The body.
        body: String,
    },
    /// The service's error body (`RequestId`, `HostId`, `Code`, `Message`, `Recommend`) for this fault, with its
    /// status.
    Fault(Fault),
    /// Any body with any content type.
    Raw {
        /// HTTP status.
        status: u16,
        /// The `Content-Type` header.
        content_type: String,
        /// The body.
        body: Vec<u8>,
    },
    /// A redirect: this status, an empty body and a `Location` header.
    Redirect {
        /// HTTP status (301, 302, 307, …).
        status: u16,
        /// The `Location` header.
        location: String,
    },
    /// Close the connection without answering (the request was received and recorded).
    Reset,
    /// Send the status, the headers and the first bytes of a body, then cut the connection.
    CutOff {
        /// HTTP status.
        status: u16,
        /// What is sent of the body before the connection is cut.
        sent: Vec<u8>,
    },
    /// Send the status and headers, then wait this long before the body.
    SlowBody {
        /// How long the body is held back.
        delay: Duration,
        /// The body, sent after the delay.
        body: String,
    },
    /// Another reply with extra headers on its answer (a throttle's `x-acs-retry-after`, say).
    WithHeaders {
        /// The reply.
        reply: Box<Reply>,
        /// Header names and values, added to the answer's own.
        headers: Vec<(String, String)>,
    },
}

impl Reply {
    /// HTTP 200 with `output` serialized as JSON: an SDK output type (the `serialize` feature of `domain-sdk`,
    /// which this crate turns on, writes the service's JSON keys) or any `Serialize` value.
    ///
    /// # Panics
    /// If `output` cannot be serialized as JSON (a map with non-string keys).
    pub fn output<T: serde::Serialize>(output: &T) -> Reply {
        Reply::Json {
            status: 200,
            body: serde_json::to_string(output).expect("the reply serializes as JSON"),
        }
    }

    /// The service's error body with this status, code and message (a scripted fault).
    pub fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply::Fault(Fault::new(status, code, message))
    }

    /// This reply with header `name: value` added to its answer.
    pub fn with_header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::WithHeaders { reply, mut headers } => {
                headers.push((name.to_owned(), value.to_owned()));
                Reply::WithHeaders { reply, headers }
            }
            other => Reply::WithHeaders {
                reply: Box::new(other),
                headers: vec![(name.to_owned(), value.to_owned())],
            },
        }
    }

    /// The service throttling the caller: HTTP 400 `Throttling.User`, asking with `x-acs-retry-after` (in
    /// milliseconds, as the service and the official runtimes write it) that the next try wait `retry_after`.
    pub fn throttled(retry_after: Duration) -> Reply {
        Reply::error(400, "Throttling.User", "Too many requests: slow down.")
            .with_header("x-acs-retry-after", &retry_after.as_millis().to_string())
    }
}

impl From<Fault> for Reply {
    fn from(fault: Fault) -> Self {
        Reply::Fault(fault)
    }
}

/// The body type of every answer.
pub(crate) type ServerBody = BoxBody<Bytes, std::io::Error>;

/// What the answer's headers carry besides its own: the request id and the server's date.
pub(crate) struct Envelope<'a> {
    /// The request id (`x-acs-request-id`, and `RequestId` of an error body).
    pub request_id: &'a str,
    /// The `Host` the request named (`HostId` of an error body).
    pub host: &'a str,
    /// The `Date` header.
    pub date: &'a str,
}

impl Reply {
    /// The HTTP answer; `Err` for a reset. `example` is the action's reference example, for [`Reply::Example`].
    pub(crate) fn into_response(self, example: &str, envelope: &Envelope<'_>) -> std::io::Result<Response<ServerBody>> {
        let json = "application/json;charset=utf-8".to_owned();
        let mut location = None;
        let (status, content_type, body): (u16, String, ServerBody) = match self {
            Reply::Example => (200, json, full(example.to_owned())),
            Reply::Fault(fault) => (
                fault.status(),
                json,
                full(fault.body(envelope.request_id, envelope.host)),
            ),
            Reply::Redirect { status, location: to } => {
                location = Some(to);
                (status, json, full(Vec::new()))
            }
            Reply::Json { status, body } => (status, json, full(body)),
            Reply::Raw {
                status,
                content_type,
                body,
            } => (status, content_type, full(body)),
            Reply::Reset => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "reset by the test",
                ))
            }
            Reply::CutOff { status, sent } => (
                status,
                json,
                FaultBody {
                    delay: None,
                    data: Some(sent.into()),
                    fail_after: true,
                }
                .boxed(),
            ),
            Reply::SlowBody { delay, body } => (
                200,
                json,
                FaultBody {
                    delay: Some(Box::pin(tokio::time::sleep(delay))),
                    data: Some(body.into()),
                    fail_after: false,
                }
                .boxed(),
            ),
            Reply::WithHeaders { reply, headers } => {
                let mut response = reply.into_response(example, envelope)?;
                for (name, value) in headers {
                    let bad = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
                    let name = hyper::header::HeaderName::from_bytes(name.as_bytes())
                        .map_err(|e| bad(format!("scripted header name {name:?}: {e}")))?;
                    let value = hyper::header::HeaderValue::from_str(&value)
                        .map_err(|e| bad(format!("scripted header value {value:?}: {e}")))?;
                    response.headers_mut().append(name, value);
                }
                return Ok(response);
            }
        };
        let mut response = Response::builder()
            .status(status)
            .header("content-type", content_type)
            .header("x-acs-request-id", envelope.request_id)
            .header("date", envelope.date);
        if let Some(location) = location {
            response = response.header("location", location);
        }
        response
            .body(body)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    }
}

fn full(bytes: impl Into<Bytes>) -> ServerBody {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed()
}

/// A body that sends some bytes, maybe after a delay, then maybe fails (cutting the connection).
struct FaultBody {
    delay: Option<Pin<Box<tokio::time::Sleep>>>,
    data: Option<Bytes>,
    fail_after: bool,
}

impl Body for FaultBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(delay) = self.delay.as_mut() {
            if delay.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.delay = None;
        }
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if self.fail_after {
            self.fail_after = false;
            return Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "cut off by the test",
            ))));
        }
        Poll::Ready(None)
    }
}
