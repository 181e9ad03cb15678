//! A fake ECS instance metadata service on `127.0.0.1:0`: token-based (v2) or v1 only, one RAM role.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// One request the fake received: method, path, and the session token it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImdsRequest {
    /// `PUT` or `GET`.
    pub method: String,
    /// The path.
    pub path: String,
    /// The `X-aliyun-ecs-metadata-token` header.
    pub token: Option<String>,
}

/// A running fake; stops when dropped.
pub struct FakeImds {
    addr: std::net::SocketAddr,
    requests: Arc<Mutex<Vec<ImdsRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeImds {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The token the fake hands out in v2 mode.
pub const IMDS_TOKEN: &str = "imds-session-token";

impl FakeImds {
    /// Starts a fake serving `role` with `credentials_json`; `v2` offers session tokens (and then requires one).
    ///
    /// # Panics
    /// If no loopback port can be bound.
    pub async fn start(role: &str, credentials_json: String, v2: bool) -> FakeImds {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let requests: Arc<Mutex<Vec<ImdsRequest>>> = Arc::default();
        let (log, role, creds) = (requests.clone(), role.to_owned(), credentials_json);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (log, role, creds) = (log.clone(), role.clone(), creds.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |req: Request<hyper::body::Incoming>| {
                        let token = req
                            .headers()
                            .get("X-aliyun-ecs-metadata-token")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        let seen = ImdsRequest {
                            method: req.method().to_string(),
                            path: req.uri().path().to_owned(),
                            token,
                        };
                        log.lock().unwrap().push(seen.clone());
                        let base = "/latest/meta-data/ram/security-credentials/";
                        let (status, body) = match (seen.method.as_str(), seen.path.as_str()) {
                            ("PUT", "/latest/api/token") if v2 => (200, IMDS_TOKEN.to_owned()),
                            ("PUT", _) => (404, String::new()),
                            _ if v2 && seen.token.as_deref() != Some(IMDS_TOKEN) => (401, String::new()),
                            ("GET", p) if p == base => (200, format!("{role}\n")),
                            ("GET", p) if p == format!("{base}{role}") => (200, creds.clone()),
                            _ => (404, String::new()),
                        };
                        async move {
                            Ok::<_, Infallible>(
                                Response::builder()
                                    .status(status)
                                    .body(Full::new(Bytes::from(body)))
                                    .unwrap(),
                            )
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        FakeImds { addr, requests, task }
    }

    /// `http://127.0.0.1:<port>`
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<ImdsRequest> {
        self.requests.lock().unwrap().clone()
    }
}
