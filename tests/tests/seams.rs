//! The runtime's seams, used as a user would: the service's throttling hint honoured end to end, per-call
//! overrides, interceptors, your own `reqwest::Client` or a whole `Transport`, the official endpoint rule.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use domain_sdk::interceptor::{AfterSigning, AttemptDone, BeforeSigning, Interceptor};
use domain_sdk::{
    AttemptLimits, Client, Credentials, Error, HttpRequest, HttpResponse, RetryConfig, Transport, TransportError,
};
use e2e::raw::{response, RawServer, Step};

const CHECK_OK: &str = r#"{"RequestId": "R-2", "Avail": 1, "DomainName": "a.com"}"#;
const THROTTLED: &str = r#"{"RequestId": "R-1", "Code": "Throttling", "Message": "slow down"}"#;

fn client(endpoint: &str) -> domain_sdk::ClientBuilder {
    Client::builder()
        .endpoint(endpoint)
        .credentials(Credentials::new("testid", "testsecret"))
        .no_proxy()
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[tokio::test]
async fn a_throttled_call_waits_as_long_as_the_service_asked_and_says_so_on_the_retry() {
    let arrivals = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let seen = Arc::clone(&arrivals);
    let server = RawServer::start(move |_| {
        let mut at = seen.lock().unwrap();
        at.push(Instant::now());
        if at.len() == 1 {
            vec![response("400 Bad Request", &["x-acs-retry-after: 400"], THROTTLED)]
        } else {
            vec![response("200 OK", &[], CHECK_OK)]
        }
    })
    .await;
    let retry = RetryConfig::default().with_max_backoff(Duration::from_millis(1));
    let out = client(server.endpoint())
        .retry(retry)
        .build()
        .unwrap()
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .expect("retried after the hint");
    assert_eq!(out.request_id.as_deref(), Some("R-2"));
    let at = arrivals.lock().unwrap().clone();
    assert_eq!(at.len(), 2);
    assert!(
        at[1] - at[0] >= Duration::from_millis(400),
        "retried after {:?}",
        at[1] - at[0]
    );
    let requests = server.requests();
    assert_eq!(header(&requests[0].head, "x-acs-retry-attempts"), None);
    assert_eq!(header(&requests[1].head, "x-acs-retry-attempts"), Some("1"));
    let delay: u64 = header(&requests[1].head, "x-acs-retry-delay").unwrap().parse().unwrap();
    assert!(delay >= 400, "{delay}");

    // Without retries, the hint is on the error.
    let server = RawServer::start(|_| vec![response("400 Bad Request", &["x-acs-retry-after: 1500"], THROTTLED)]).await;
    let err = client(server.endpoint())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .unwrap_err();
    let service = err.as_service_error().expect("a service error");
    assert_eq!(service.retry_after(), Some(Duration::from_millis(1500)));
}

#[tokio::test]
async fn a_per_call_override_changes_that_call_only() {
    // The peer answers after 300 ms.
    let server = RawServer::start(|_| {
        vec![
            Step::Sleep(Duration::from_millis(300)),
            response("200 OK", &[], CHECK_OK),
        ]
    })
    .await;
    let client = client(server.endpoint()).build().unwrap();
    let err = client
        .check_domain()
        .domain_name("a.com")
        .customize(|c| c.attempt_timeout(Duration::from_millis(50)).no_retries())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: domain_sdk::TransportErrorKind::Timeout,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(server.request_count(), 1, "no retries for that call");
    // The client itself is unchanged: its 30 s attempt timeout lets the next call through.
    let out = client
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .expect("answered");
    assert_eq!(out.request_id.as_deref(), Some("R-2"));

    // A header for one call; an endpoint that is not a URL fails that call only, with a clear error.
    client
        .check_domain()
        .domain_name("a.com")
        .customize(|c| c.header("x-acs-caller-tag", "batch-7"))
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(
        header(&requests.last().unwrap().head, "x-acs-caller-tag"),
        Some("batch-7")
    );
    assert_eq!(header(&requests[1].head, "x-acs-caller-tag"), None);
    let err = client
        .check_domain()
        .domain_name("a.com")
        .customize(|c| c.endpoint("ftp://nowhere"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Config(m) if m.contains("ftp://nowhere")), "{err}");
}

/// What the recorder saw of an attempt: its number, status, request id, and whether it failed.
type Seen = (u32, Option<u16>, Option<String>, bool);

/// Records what it sees, adds a header, and changes a parameter.
#[derive(Debug, Default)]
struct Recorder {
    signed: Mutex<Vec<String>>,
    done: Mutex<Vec<Seen>>,
}

impl Interceptor for Recorder {
    fn before_signing(&self, context: &mut BeforeSigning<'_>) {
        for (name, value) in context.request.params_mut() {
            if name == "DomainName" {
                *value = value.to_uppercase();
            }
        }
    }

    fn after_signing(&self, context: &mut AfterSigning<'_>) {
        self.signed.lock().unwrap().push(format!("{:?}", context.request));
        context
            .request
            .headers
            .push(("x-traced-by".to_owned(), "recorder".to_owned()));
    }

    fn after_attempt(&self, context: &AttemptDone<'_>) {
        self.done.lock().unwrap().push((
            context.attempt,
            context.status(),
            context.request_id().map(str::to_owned),
            context.error.is_some(),
        ));
    }
}

#[tokio::test]
async fn interceptors_see_each_attempt_add_headers_and_never_see_a_secret_in_debug() {
    let server = RawServer::start(|request| {
        if request.body_text().to_lowercase().contains("throttle") {
            vec![response("400 Bad Request", &["x-acs-request-id: R-1"], THROTTLED)]
        } else {
            vec![response("200 OK", &["x-acs-request-id: R-2"], CHECK_OK)]
        }
    })
    .await;
    let recorder = Arc::new(Recorder::default());
    let token = "STS.TOKEN-be-quiet-1234567890";
    let client = Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::with_security_token("testid", "testsecret", token))
        .no_proxy()
        .interceptor(Arc::clone(&recorder))
        .retry(
            RetryConfig::default()
                .with_max_attempts(2)
                .with_max_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    client.check_domain().domain_name("a.com").send().await.unwrap();
    let sent = server.requests();
    assert_eq!(header(&sent[0].head, "x-traced-by"), Some("recorder"));
    assert!(
        sent[0].body_text().contains("DomainName=A.COM"),
        "{}",
        sent[0].body_text()
    );
    // Two attempts of a throttled call: both seen, with status, request id and error.
    let err = client
        .check_domain()
        .domain_name("throttle.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("Throttling"));
    let done = recorder.done.lock().unwrap().clone();
    assert_eq!(
        done,
        [
            (1, Some(200), Some("R-2".to_owned()), false),
            (1, Some(400), Some("R-1".to_owned()), true),
            (2, Some(400), Some("R-1".to_owned()), true)
        ]
    );
    // The signed request's Debug hides the STS token and the signature.
    let signed = recorder.signed.lock().unwrap().clone();
    let target = sent[0].target();
    let signature = target.split("Signature=").nth(1).unwrap().split('&').next().unwrap();
    for shown in &signed {
        assert!(!shown.contains(token) && !shown.contains("be-quiet"), "{shown}");
        assert!(!shown.contains(signature), "{shown}");
        assert!(shown.contains("SecurityToken=<redacted>"), "{shown}");
    }
}

#[tokio::test]
async fn your_own_reqwest_client_sends_the_requests() {
    let server = RawServer::start(|_| vec![response("200 OK", &[], CHECK_OK)]).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-from-my-client", "yes".parse().unwrap());
    let http = domain_sdk::transport::http_client_builder()
        .unwrap()
        .default_headers(headers)
        .no_proxy()
        .build()
        .unwrap();
    let client = client(server.endpoint())
        .http_client(http)
        .app_name("my-app/1.0")
        .build()
        .unwrap();
    client.check_domain().domain_name("a.com").send().await.unwrap();
    let head = &server.requests()[0].head;
    assert_eq!(header(head, "x-from-my-client"), Some("yes"));
    assert!(header(head, "user-agent").unwrap().ends_with("my-app/1.0"), "{head}");
}

/// The fake scripted to throttle with `x-acs-retry-after`: the second attempt arrives no sooner than asked.
#[tokio::test]
async fn a_throttle_scripted_on_the_fake_delays_the_retry_as_asked() {
    use domain_sdk_test_server::{Reply, ServerConfig, TestServer};
    let server = TestServer::start(ServerConfig::default()).await;
    server.script("CheckDomain", Reply::throttled(Duration::from_millis(300)));
    let retry = RetryConfig::default().with_max_backoff(Duration::from_millis(1));
    client(&server.endpoint())
        .retry(retry)
        .build()
        .unwrap()
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .expect("retried after the hint");
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    let gap = seen[1].received - seen[0].received;
    assert!(gap >= Duration::from_millis(300), "retried after {gap:?}");
    let header = |r: &domain_sdk_test_server::RecordedRequest, name: &str| {
        r.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    };
    assert_eq!(header(&seen[1], "x-acs-retry-attempts").as_deref(), Some("1"));

    // Without retries the hint reaches the caller.
    server.script("CheckDomain", Reply::throttled(Duration::from_secs(2)));
    let err = client(&server.endpoint())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .unwrap_err();
    let service = err.as_service_error().expect("a service error");
    assert_eq!(service.code(), Some("Throttling.User"));
    assert_eq!(service.retry_after(), Some(Duration::from_secs(2)));
}

/// HTTPS to a server whose certificate a private root signed: refused by the SDK's own client (the platform's
/// roots do not know it), accepted by a client built with that root.
#[tokio::test]
async fn your_own_client_trusts_a_private_root_certificate() {
    let testdata = concat!(env!("CARGO_MANIFEST_DIR"), "/../domain-sdk/testdata");
    let read = |name: &str| std::fs::read_to_string(format!("{testdata}/{name}")).unwrap();
    let server = RawServer::start_tls(&read("localhost.pem"), &read("localhost.key"), |_| {
        vec![response("200 OK", &[], CHECK_OK)]
    })
    .await;
    assert!(server.endpoint().starts_with("https://localhost:"));

    let default = client(server.endpoint())
        .retry(domain_sdk::RetryConfig::disabled())
        .build()
        .unwrap();
    let err = default.check_domain().domain_name("a.com").send().await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("invalid peer certificate"), "{text}");
    assert_eq!(server.request_count(), 0);

    let http = domain_sdk::transport::http_client_builder_with_roots(read("root-ca.pem").as_bytes())
        .unwrap()
        .no_proxy()
        .build()
        .unwrap();
    let trusting = client(server.endpoint()).http_client(http).build().unwrap();
    let out = trusting.check_domain().domain_name("a.com").send().await.unwrap();
    assert_eq!(out.domain_name.as_deref(), Some("a.com"));
    assert_eq!(server.request_count(), 1);
}

/// A transport that answers in-process: no socket.
#[derive(Debug, Default)]
struct InProcess {
    seen: Mutex<Vec<HttpRequest>>,
}

impl Transport for InProcess {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
        limits: &'a AttemptLimits,
    ) -> domain_sdk::transport::TransportFuture<'a> {
        let answer = if request.body.as_deref().is_some_and(|b| b.contains("refused")) {
            Err(TransportError::connect("refused in-process", None))
        } else {
            assert!(limits.max_response_bytes > 0);
            Ok(HttpResponse::new(
                200,
                vec![("X-Acs-Request-Id".to_owned(), "R-9".to_owned())],
                CHECK_OK,
            ))
        };
        self.seen.lock().unwrap().push(request);
        Box::pin(async move { answer })
    }
}

#[tokio::test]
async fn a_transport_of_your_own_replaces_the_network_and_signing_still_runs() {
    let transport = Arc::new(InProcess::default());
    #[derive(Debug)]
    struct Shared(Arc<InProcess>);
    impl Transport for Shared {
        fn send<'a>(&'a self, r: HttpRequest, l: &'a AttemptLimits) -> domain_sdk::transport::TransportFuture<'a> {
            self.0.send(r, l)
        }
    }
    let client = Client::builder()
        .credentials(Credentials::new("testid", "testsecret"))
        .transport(Shared(Arc::clone(&transport)))
        .retry(RetryConfig::default().with_max_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    let out = client.check_domain().domain_name("a.com").send().await.unwrap();
    assert_eq!(out.request_id.as_deref(), Some("R-2"));
    let err = client
        .check_domain()
        .domain_name("refused.com")
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("refused in-process"), "{err}");
    let seen = transport.seen.lock().unwrap();
    assert_eq!(seen.len(), 1 + 3, "a refused connection is retried");
    assert!(
        seen[0].url.starts_with("https://domain.aliyuncs.com/?"),
        "{}",
        seen[0].url
    );
    assert!(seen[0].url.contains("Signature="));
}

#[test]
fn regions_resolve_as_the_official_sdks_do() {
    let build = |b: domain_sdk::ClientBuilder| b.credentials(Credentials::new("id", "secret")).build().unwrap();
    assert_eq!(
        build(Client::builder().region("ap-southeast-1")).endpoint(),
        "https://domain-intl.aliyuncs.com"
    );
    assert_eq!(
        build(Client::builder().region("cn-shanghai")).endpoint(),
        "https://domain.aliyuncs.com"
    );
    assert_eq!(
        build(Client::builder().region("cn-shanghai").network("vpc")).endpoint(),
        "https://domain-vpc.aliyuncs.com"
    );
    assert_eq!(build(Client::builder()).endpoint(), domain_sdk::DEFAULT_ENDPOINT);
}
