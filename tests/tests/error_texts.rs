//! What each failure says, word for word: a body slower than the attempt timeout, a body cut off by the peer, an
//! error status without a JSON body, a connection refused. A raw peer (`e2e::raw`) plays the
//! answers whose bytes on the wire matter (a `Content-Length` the body never reaches).

use std::time::Duration;

use domain_sdk::{Client, Credentials, Error, RetryConfig, TransportErrorKind};
use e2e::raw::{RawServer, Step};
use e2e::{builder_for, start_server, Reply, TEST_KEY_ID, TEST_KEY_SECRET};

/// A raw peer that answers every request with `head`, then `body`, then holds the connection for `hold`.
async fn raw_server(head: String, body: Vec<u8>, hold: Duration) -> RawServer {
    RawServer::start(move |_| {
        let mut bytes = head.clone().into_bytes();
        bytes.extend_from_slice(&body);
        vec![Step::Send(bytes), Step::Sleep(hold)]
    })
    .await
}

fn client(endpoint: &str, attempt_timeout: Duration) -> Client {
    Client::builder()
        .endpoint(endpoint)
        .credentials(Credentials::new(TEST_KEY_ID, TEST_KEY_SECRET))
        .retry(RetryConfig::disabled())
        .attempt_timeout(attempt_timeout)
        .no_proxy()
        .build()
        .unwrap()
}

async fn check(client: &Client) -> Error {
    client
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .expect_err("the answer is broken")
}

#[tokio::test]
async fn a_body_slower_than_the_attempt_timeout_says_so_and_how_far_it_got() {
    // Headers announce 12 bytes; one arrives, the rest never does.
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n".to_owned();
    let server = raw_server(head, b"{".to_vec(), Duration::from_secs(60)).await;
    let err = check(&client(server.endpoint(), Duration::from_millis(300))).await;
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "CheckDomain: the answer did not arrive within the 300 ms attempt timeout (1 of 12 bytes)"
    );
}

#[tokio::test]
async fn an_answer_that_never_starts_times_out_with_the_timeout_named() {
    let server = start_server().await;
    server.script(
        "CheckDomain",
        Reply::SlowBody {
            delay: Duration::from_secs(60),
            body: "{}".into(),
        },
    );
    let client = builder_for(&server)
        .retry(RetryConfig::disabled())
        .attempt_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let text = check(&client).await.to_string();
    assert!(
        text.starts_with("CheckDomain: the answer did not arrive within the 1 s attempt timeout ("),
        "{text}"
    );
}

#[tokio::test]
async fn a_body_cut_off_by_the_peer_says_how_much_arrived() {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n".to_owned();
    let server = raw_server(head, br#"{"Avail": 1"#.to_vec(), Duration::ZERO).await;
    let err = check(&client(server.endpoint(), Duration::from_secs(20))).await;
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Other,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "CheckDomain: the connection closed before the answer was complete (11 of 100 bytes)"
    );
    // The HTTP stack's own error stays reachable as the source.
    let source = std::error::Error::source(&err).expect("what happened");
    assert!(std::error::Error::source(source).is_some(), "{source:?}");
}

#[tokio::test]
async fn an_error_status_without_a_json_body_is_a_service_failure_with_its_status() {
    let head = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n".to_owned();
    let server = raw_server(head, Vec::new(), Duration::ZERO).await;
    let err = check(&client(server.endpoint(), Duration::from_secs(20))).await;
    assert_eq!(err.to_string(), "CheckDomain: service error (HTTP 503, no error body)");
    let service = err.as_service_error().expect("a service error");
    assert!(service.is_retryable() && service.code().is_none());
    assert_eq!(service.class(), domain_sdk::ErrorClass::Server);
}

#[tokio::test]
async fn a_refused_connection_names_the_endpoint() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let err = check(&client(&endpoint, Duration::from_secs(20))).await;
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("CheckDomain: could not connect to {endpoint}: ")),
        "{text}"
    );
    assert!(!text.contains("Signature"), "no URL in the error: {text}");
}

#[tokio::test]
async fn an_empty_success_body_says_it_is_empty() {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n".to_owned();
    let server = raw_server(head, Vec::new(), Duration::ZERO).await;
    let err = check(&client(server.endpoint(), Duration::from_secs(20))).await;
    assert_eq!(
        err.to_string(),
        "CheckDomain: undecodable response (HTTP 200): the answer has no body; body starts with \"\""
    );
}
