//! The runtime under faults, against the loopback server: which failures are retried (by idempotency), the error
//! class each gives, clock-skew correction, signature diagnostics — and that no order is ever sent twice.

use std::time::Duration;

use domain_sdk::operation::save_batch_task_for_creating_order_activate::OrderActivateParam;
use domain_sdk::{Client, Credentials, Error, ErrorClass, RetryConfig, TransportErrorKind};
use e2e::{builder_for, start_server, Reply, TestServer, Verdict, TEST_KEY_ID};

const CHECK: &str = "CheckDomain"; // idempotent
const ORDER: &str = "SaveBatchTaskForCreatingOrderActivate"; // creates orders: not idempotent

fn fast_retries() -> RetryConfig {
    RetryConfig::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(4))
}

fn client(server: &TestServer) -> Client {
    builder_for(server)
        .retry(fast_retries())
        .attempt_timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

async fn call(client: &Client, action: &str) -> Result<(), Error> {
    match action {
        CHECK => client.check_domain().domain_name("a.com").send().await.map(drop),
        ORDER => client
            .save_batch_task_for_creating_order_activate()
            .order_activate_param(OrderActivateParam::new().domain_name("a.com").registrant_profile_id(1))
            .send()
            .await
            .map(drop),
        other => unreachable!("{other}"),
    }
}

fn error_json(code: &str) -> String {
    format!(r#"{{"RequestId": "R", "HostId": "h", "Code": "{code}", "Message": "m"}}"#)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Service(&'static str, ErrorClass),
    Transport(TransportErrorKind),
    /// An error status whose body is not a JSON error: a service error with no code, and the body's start.
    ServiceWithoutBody(u16),
    Decode(u16),
}

fn check_error(fault: &str, err: &Error, expect: Expect) {
    match (expect, err) {
        (Expect::Service(code, class), Error::Service(s)) => {
            assert_eq!((s.code(), s.class()), (Some(code), class), "{fault}: {err}");
        }
        (Expect::Transport(kind), Error::Transport { kind: k, .. }) => assert_eq!(*k, kind, "{fault}: {err}"),
        (Expect::ServiceWithoutBody(status), Error::Service(s)) => {
            assert_eq!((s.status, s.code()), (status, None), "{fault}: {err}");
            assert!(s.body_excerpt.is_some(), "{fault}: {err}");
        }
        (Expect::Decode(status), Error::Decode { status: s, .. }) => assert_eq!(*s, status, "{fault}: {err}"),
        _ => panic!("{fault}: expected {expect:?}, got {err:?}"),
    }
}

/// Each fault is scripted for every attempt; the server's request count is the number of attempts.
#[tokio::test]
async fn faults_give_the_designed_error_and_attempt_count_and_never_a_duplicate_order() {
    let half_json = br#"{"Avail": 1, "Pri"#.to_vec();
    let faults: Vec<(&str, Reply, Expect, u32, u32)> = vec![
        // (fault, reply, expected error, attempts for an idempotent action, attempts for a non-idempotent one)
        (
            "HTTP 500",
            Reply::Json {
                status: 500,
                body: error_json("InternalError"),
            },
            Expect::Service("InternalError", ErrorClass::Server),
            3,
            1,
        ),
        (
            "HTTP 503",
            Reply::Json {
                status: 503,
                body: error_json("ServiceUnavailable"),
            },
            Expect::Service("ServiceUnavailable", ErrorClass::Server),
            3,
            1,
        ),
        (
            "Throttling",
            Reply::Json {
                status: 400,
                body: error_json("Throttling"),
            },
            Expect::Service("Throttling", ErrorClass::Client),
            3,
            3,
        ),
        (
            "client error",
            Reply::Json {
                status: 400,
                body: error_json("InvalidParameter"),
            },
            Expect::Service("InvalidParameter", ErrorClass::Client),
            1,
            1,
        ),
        (
            "reset before the response",
            Reply::Reset,
            Expect::Transport(TransportErrorKind::Other),
            3,
            1,
        ),
        (
            "reset after the response starts",
            Reply::CutOff {
                status: 200,
                sent: half_json.clone(),
            },
            Expect::Transport(TransportErrorKind::Other),
            3,
            1,
        ),
        (
            "body cut off mid-JSON",
            Reply::Raw {
                status: 200,
                content_type: "application/json".into(),
                body: half_json,
            },
            Expect::Decode(200),
            3,
            1,
        ),
        (
            "slow body past the timeout",
            Reply::SlowBody {
                delay: Duration::from_secs(30),
                body: "{}".into(),
            },
            Expect::Transport(TransportErrorKind::Timeout),
            3,
            1,
        ),
        (
            "HTML error page",
            Reply::Raw {
                status: 502,
                content_type: "text/html".into(),
                body: b"<html><h1>502 Bad Gateway</h1></html>".to_vec(),
            },
            Expect::ServiceWithoutBody(502),
            3,
            1,
        ),
        (
            "HTTP 503 with an empty body",
            Reply::Raw {
                status: 503,
                content_type: "text/plain".into(),
                body: Vec::new(),
            },
            Expect::ServiceWithoutBody(503),
            3,
            1,
        ),
        (
            "empty body",
            Reply::Raw {
                status: 200,
                content_type: "application/json".into(),
                body: Vec::new(),
            },
            Expect::Decode(200),
            3,
            1,
        ),
        (
            "rejected signature",
            Reply::Json {
                status: 403,
                body: error_json("SignatureDoesNotMatch"),
            },
            Expect::Service("SignatureDoesNotMatch", ErrorClass::Client),
            1,
            1,
        ),
    ];
    for (fault, reply, expect, idempotent_attempts, order_attempts) in faults {
        for (action, attempts) in [(CHECK, idempotent_attempts), (ORDER, order_attempts)] {
            let server = start_server().await;
            for _ in 0..3 {
                server.script(action, reply.clone());
            }
            let err = call(&client(&server), action).await.expect_err(fault);
            check_error(fault, &err, expect);
            assert_eq!(server.request_count() as u32, attempts, "{fault} on {action}: attempts");
        }
    }
}

#[tokio::test]
async fn a_retried_failure_can_still_succeed() {
    let server = start_server().await;
    server.script(
        CHECK,
        Reply::Json {
            status: 503,
            body: error_json("ServiceUnavailable"),
        },
    );
    server.script(CHECK, Reply::Reset);
    call(&client(&server), CHECK).await.expect("third attempt succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let nonces: std::collections::BTreeSet<_> = requests.iter().map(|r| r.param("SignatureNonce")).collect();
    assert_eq!(nonces.len(), 3, "every retry has a fresh nonce");
    assert!(requests.iter().all(|r| r.verdict == Verdict::Accepted));

    let server = start_server().await;
    server.script(
        ORDER,
        Reply::Json {
            status: 400,
            body: error_json("Throttling"),
        },
    );
    call(&client(&server), ORDER)
        .await
        .expect("a throttled order is retried: it was never processed");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn connection_failures_are_retried_even_for_orders() {
    // A port nobody listens on: the request never reaches a server.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .credentials(Credentials::new(TEST_KEY_ID, "s"))
        .retry(fast_retries())
        .build()
        .unwrap();
    match call(&client, ORDER).await.unwrap_err() {
        Error::Transport { kind, .. } => assert_eq!(kind, TransportErrorKind::Connect),
        other => panic!("expected a connect error, got {other:?}"),
    }
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = start_server().await;
    server.script(
        CHECK,
        Reply::Json {
            status: 503,
            body: error_json("ServiceUnavailable"),
        },
    );
    let client = builder_for(&server).retry(RetryConfig::disabled()).build().unwrap();
    assert!(call(&client, CHECK).await.is_err());
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn the_operation_timeout_bounds_the_whole_call() {
    let server = start_server().await;
    for _ in 0..3 {
        server.script(
            CHECK,
            Reply::SlowBody {
                delay: Duration::from_secs(30),
                body: "{}".into(),
            },
        );
    }
    let client = builder_for(&server)
        .retry(fast_retries())
        .attempt_timeout(Duration::from_secs(20))
        .operation_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    match call(&client, CHECK).await.unwrap_err() {
        Error::Transport {
            kind: TransportErrorKind::Timeout,
            source,
            ..
        } => {
            assert!(source.to_string().contains("operation timeout"), "{source}")
        }
        other => panic!("expected the operation timeout, got {other:?}"),
    }
    assert_eq!(
        server.request_count(),
        1,
        "the first attempt was still waiting when the operation ran out"
    );
}

#[tokio::test]
async fn answers_are_decoded_whatever_their_content_type_and_size_up_to_the_limit() {
    let server = start_server().await;
    let client = client(&server);
    server.script(
        CHECK,
        Reply::Raw {
            status: 200,
            content_type: "text/plain".into(),
            body: br#"{"Avail": 1}"#.to_vec(),
        },
    );
    client
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .expect("a wrong Content-Type does not matter");

    let big = format!(r#"{{"Avail": 1, "Reason": "{}"}}"#, "x".repeat(10 * 1024 * 1024));
    server.script(
        CHECK,
        Reply::Json {
            status: 200,
            body: big.clone(),
        },
    );
    let out = client
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .expect("10 MB decodes");
    assert_eq!(out.reason.map(|r| r.len()), Some(10 * 1024 * 1024));

    let capped = builder_for(&server).max_response_bytes(1024 * 1024).build().unwrap();
    let before = server.request_count();
    server.script(CHECK, Reply::Json { status: 200, body: big });
    match capped.check_domain().domain_name("a.com").send().await.unwrap_err() {
        Error::Decode { reason, .. } => assert!(reason.contains("byte limit"), "{reason}"),
        other => panic!("expected a size error, got {other:?}"),
    }
    assert_eq!(server.request_count() - before, 1, "an oversized answer is not retried");
}

#[tokio::test]
async fn clock_skew_is_corrected_from_the_date_header_and_kept() {
    let server = start_server().await;
    server.set_clock_offset_secs(3 * 3600); // the service's clock is three hours ahead of ours
    let client = client(&server);
    call(&client, ORDER).await.expect("accepted after one corrected retry");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].verdict,
        Verdict::Rejected("InvalidTimeStamp.Expired".into())
    );
    assert_eq!(requests[1].verdict, Verdict::Accepted);
    assert!(
        (client.clock_offset_secs() - 3 * 3600).abs() <= 2,
        "{}",
        client.clock_offset_secs()
    );
    call(&client, CHECK).await.expect("the offset is kept");
    assert_eq!(server.request_count(), 3, "no second correction needed");
}

#[tokio::test]
async fn a_rejected_signature_shows_both_strings_to_sign() {
    let server = start_server().await;
    // A wrong secret: the strings match, the signatures do not.
    let wrong_secret = Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::with_security_token(
            TEST_KEY_ID,
            "wrong-secret-value",
            "sts-token/with+chars",
        ))
        .build()
        .unwrap();
    let err = wrong_secret
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .unwrap_err();
    let mismatch = err
        .as_service_error()
        .and_then(|s| s.signature_mismatch.clone())
        .expect("diagnosed");
    assert!(mismatch.strings_match, "{mismatch:?}");
    assert!(mismatch.diagnosis().contains("secret is wrong"));
    let shown = format!("{err} {err:?}");
    let display = err.to_string();
    assert!(
        display.contains("string to sign (the same on both sides): POST&%2F&"),
        "{display}"
    );
    assert_eq!(
        display.matches("POST&%2F&").count(),
        1,
        "the string to sign is shown once: {display}"
    );
    assert!(
        display.starts_with(
            "CheckDomain: service error SignatureDoesNotMatch (HTTP 403): Specified signature is not matched with our calculation."
        ),
        "{display}"
    );
    for secret in ["wrong-secret-value", "sts-token", "sts-token%2Fwith%2Bchars"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    assert!(shown.contains("<redacted>"));

    // A request altered on the way (the service saw other parameters than were signed): the strings differ.
    let server = start_server().await;
    let msg = "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&A%3D2";
    let body = format!(r#"{{"Code": "SignatureDoesNotMatch", "Message": "{msg}", "RequestId": "R"}}"#);
    server.script(CHECK, Reply::Json { status: 400, body });
    let err = client(&server)
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .unwrap_err();
    let mismatch = err
        .as_service_error()
        .and_then(|s| s.signature_mismatch.clone())
        .expect("diagnosed");
    assert!(!mismatch.strings_match);
    assert_eq!(mismatch.server_string_to_sign, "POST&%2F&A%3D2");
    assert!(mismatch
        .client_string_to_sign
        .starts_with("POST&%2F&AccessKeyId%3Dtestid"));
    assert!(mismatch.diagnosis().contains("encoded differently"));
    let display = err.to_string();
    assert_eq!(display.matches("POST&%2F&A%3D2").count(), 1, "{display}");
    assert!(
        display.contains("\n  server string to sign: POST&%2F&A%3D2\n  client string to sign: POST&%2F&AccessKeyId")
    );
}

#[tokio::test]
async fn a_proxy_set_in_code_carries_the_requests() {
    let server = start_server().await;
    // The endpoint's host does not resolve; only the proxy (the loopback server) can answer.
    let client = Client::builder()
        .endpoint("http://domain.invalid")
        .proxy(server.endpoint())
        .credentials(Credentials::new(TEST_KEY_ID, e2e::TEST_KEY_SECRET))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    call(&client, CHECK).await.expect("answered through the proxy");
    assert_eq!(server.requests()[0].verdict, Verdict::Accepted);
}

/// A signed request is never replayed to another address: a redirect comes back as an error of its own status.
#[tokio::test]
async fn redirects_are_not_followed() {
    let server = start_server().await;
    let location = format!("{}/elsewhere", server.endpoint());
    for status in [301, 302, 307] {
        server.script(
            CHECK,
            Reply::Redirect {
                status,
                location: location.clone(),
            },
        );
    }
    let client = builder_for(&server).retry(RetryConfig::disabled()).build().unwrap();
    for (n, status) in [301u16, 302, 307].into_iter().enumerate() {
        let err = call(&client, CHECK).await.unwrap_err();
        let got = match &err {
            Error::Service(s) => s.status,
            Error::Decode { status, .. } => *status,
            other => panic!("{status}: expected an error of the redirect's status, got {other:?}"),
        };
        assert_eq!(got, status, "{err}");
        assert_eq!(server.request_count(), n + 1, "the redirect to {location} was followed");
    }
}
