//! A raw loopback peer for the answers a well-behaved HTTP server cannot give: a `Content-Length` the body never
//! reaches, a trickled or endless body, huge headers, an absurd `Date`, a page that echoes the request. It reads
//! each request (head and `Content-Length` body) and plays the steps the test gives for it, byte for byte —
//! over plain TCP, or over TLS with a given certificate ([`RawServer::start_tls`]).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::TcpListener;
use tokio_rustls::rustls;

/// One step of an answer.
#[derive(Debug, Clone)]
pub enum Step {
    /// Write these bytes.
    Send(Vec<u8>),
    /// Write these bytes again and again, forever (until the client goes away).
    Repeat(Vec<u8>),
    /// Write these bytes one at a time, waiting this long before each.
    Trickle(Vec<u8>, Duration),
    /// Wait.
    Sleep(Duration),
}

impl Step {
    /// Writes `text`.
    pub fn text(text: impl Into<String>) -> Step {
        Step::Send(text.into().into_bytes())
    }
}

/// The request as the peer read it.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// The request line and headers, as text.
    pub head: String,
    /// The body (`Content-Length` bytes).
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The request target (`/?AccessKeyId=…&Signature=…`).
    pub fn target(&self) -> &str {
        self.head.split_whitespace().nth(1).unwrap_or_default()
    }

    /// The body as text.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

type Answer = dyn Fn(&RawRequest) -> Vec<Step> + Send + Sync;

/// A peer on `127.0.0.1:0`. Each connection carries one request; after its steps the connection is closed.
pub struct RawServer {
    endpoint: String,
    seen: Arc<Mutex<Vec<RawRequest>>>,
    count: Arc<AtomicUsize>,
}

impl RawServer {
    /// Starts a peer that answers every request with the steps `answer` gives for it.
    pub async fn start(answer: impl Fn(&RawRequest) -> Vec<Step> + Send + Sync + 'static) -> RawServer {
        Self::listen(None, Arc::new(answer)).await
    }

    /// Starts a peer that speaks TLS with the certificate chain `cert_pem` and key `key_pem` (the `https://`
    /// endpoint names `localhost`), and answers like [`start`](Self::start).
    pub async fn start_tls(
        cert_pem: &str,
        key_pem: &str,
        answer: impl Fn(&RawRequest) -> Vec<Step> + Send + Sync + 'static,
    ) -> RawServer {
        use rustls::pki_types::pem::PemObject as _;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let chain = CertificateDer::pem_slice_iter(cert_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .expect("certificate PEM");
        let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).expect("key PEM");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("certificate and key match");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        Self::listen(Some(acceptor), Arc::new(answer)).await
    }

    async fn listen(tls: Option<tokio_rustls::TlsAcceptor>, answer: Arc<Answer>) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("bound").port();
        let endpoint = match tls {
            Some(_) => format!("https://localhost:{port}"),
            None => format!("http://127.0.0.1:{port}"),
        };
        let seen = Arc::new(Mutex::new(Vec::new()));
        let count = Arc::new(AtomicUsize::new(0));
        let (seen2, count2) = (seen.clone(), count.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (answer, seen, count, tls) = (answer.clone(), seen2.clone(), count2.clone(), tls.clone());
                tokio::spawn(async move {
                    let _ = match tls {
                        None => serve(socket, &*answer, &seen, &count).await,
                        Some(tls) => match tls.accept(socket).await {
                            Ok(stream) => serve(stream, &*answer, &seen, &count).await,
                            Err(e) => Err(e),
                        },
                    };
                });
            }
        });
        RawServer { endpoint, seen, count }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// How many requests arrived.
    pub fn request_count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// The requests that arrived, in order.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.seen.lock().expect("not poisoned").clone()
    }
}

async fn serve(
    mut socket: impl AsyncRead + AsyncWrite + Unpin,
    answer: &Answer,
    seen: &Mutex<Vec<RawRequest>>,
    count: &AtomicUsize,
) -> std::io::Result<()> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
    }
    let request = RawRequest {
        head,
        body: data[head_end..].to_vec(),
    };
    count.fetch_add(1, Ordering::SeqCst);
    let steps = answer(&request);
    seen.lock().expect("not poisoned").push(request);
    for step in steps {
        match step {
            Step::Send(bytes) => socket.write_all(&bytes).await?,
            Step::Repeat(bytes) => loop {
                socket.write_all(&bytes).await?;
            },
            Step::Trickle(bytes, pause) => {
                for b in bytes {
                    tokio::time::sleep(pause).await;
                    socket.write_all(&[b]).await?;
                    socket.flush().await?;
                }
            }
            Step::Sleep(d) => tokio::time::sleep(d).await,
        }
        socket.flush().await?;
    }
    socket.shutdown().await
}

/// `HTTP/1.1 <status>` with `Content-Length`, `Connection: close`, these extra header lines, and `body`.
pub fn response(status: &str, extra_headers: &[&str], body: &str) -> Step {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for h in extra_headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    head.push_str(body);
    Step::Send(head.into_bytes())
}
