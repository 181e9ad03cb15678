//! What the SDK tells about itself: tracing spans per call and attempt (never a secret, signature or image),
//! and its user agent.

use domain_sdk::{Client, Credentials};
use e2e::{start_server, Captured, Reply, TEST_KEY_ID, TEST_KEY_SECRET};

#[tokio::test]
async fn tracing_shows_calls_and_attempts_but_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = start_server().await;
    let token = "STS-TOKEN-THAT-MUST-NOT-LEAK";
    let client = Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::with_security_token(TEST_KEY_ID, TEST_KEY_SECRET, token))
        .app_name("my-app/1.0")
        .retry(domain_sdk::RetryConfig::default().with_initial_backoff(std::time::Duration::from_millis(1)))
        .build()
        .unwrap();
    server.script(
        "CheckDomain",
        Reply::Json {
            status: 503,
            body: r#"{"Code": "ServiceUnavailable", "RequestId": "REQ-503"}"#.into(),
        },
    );
    client
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .expect("second attempt succeeds");
    let image = "SU1BR0UtQllURVM=".repeat(1000);
    client
        .registrant_profile_real_name_verification()
        .registrant_profile_id(1)
        .identity_credential_type("SFZ")
        .identity_credential_no("1")
        .identity_credential(image.clone())
        .send()
        .await
        .unwrap();

    let logs = captured.text();
    assert!(
        logs.contains("domain_sdk.call") && logs.contains("action=\"CheckDomain\""),
        "{logs}"
    );
    assert!(logs.contains("attempt=1") && logs.contains("attempt=2"), "{logs}");
    assert!(logs.contains("status=503") && logs.contains("REQ-503"), "{logs}");
    assert!(logs.contains("latency_ms="), "{logs}");
    // OpenTelemetry's RPC semantic conventions on the span and the attempt events.
    for field in [
        "rpc.system=\"alibaba_cloud\"",
        "rpc.service=\"Domain\"",
        "rpc.method=\"CheckDomain\"",
        "server.address=\"127.0.0.1:",
        "http.response.status_code=503",
        "http.response.status_code=200",
    ] {
        assert!(logs.contains(field), "{field} missing:\n{logs}");
    }
    let signatures: Vec<String> = server.requests().iter().filter_map(|r| r.param("Signature")).collect();
    for secret in [TEST_KEY_SECRET, token, &image[..64]]
        .iter()
        .map(|s| s.to_string())
        .chain(signatures)
    {
        assert!(!logs.contains(&secret), "{secret} appears in the logs:\n{logs}");
    }
    let ua = server.requests()[0].user_agent.clone().unwrap_or_default();
    assert!(
        ua.starts_with(&format!("domain-sdk/{} (rust; ", env!("CARGO_PKG_VERSION"))) && ua.ends_with(" my-app/1.0"),
        "{ua}"
    );
}
