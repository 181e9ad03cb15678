//! Proxy settings from the environment (`HTTP_PROXY`/`HTTPS_PROXY`, `NO_PROXY`) are honoured by default.
//! Its own test binary: it changes the process environment. No name is ever resolved: direct calls go to a closed
//! loopback port.

use domain_sdk::{Client, Credentials, Error, RetryConfig, TransportErrorKind};
use e2e::{start_server, Verdict, TEST_KEY_ID, TEST_KEY_SECRET};

fn client_for(endpoint: &str) -> Client {
    Client::builder()
        .endpoint(endpoint)
        .credentials(Credentials::new(TEST_KEY_ID, TEST_KEY_SECRET))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn proxy_environment_variables_are_honoured() {
    let server = start_server().await;
    std::env::set_var("HTTP_PROXY", server.endpoint());
    std::env::set_var("HTTPS_PROXY", server.endpoint());
    std::env::remove_var("NO_PROXY");
    client_for("http://domain.invalid")
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .expect("answered through the proxy from HTTP_PROXY");
    assert_eq!(server.requests()[0].verdict, Verdict::Accepted);

    // NO_PROXY names the endpoint's host: the client goes direct, to a loopback port nobody listens on.
    let closed = format!(
        "http://127.0.0.1:{}",
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    );
    std::env::set_var("NO_PROXY", "127.0.0.1");
    let err = client_for(&closed)
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        server.request_count(),
        1,
        "the second call did not go through the proxy"
    );

    // `no_proxy()` in code overrides the environment.
    std::env::remove_var("NO_PROXY");
    let direct = Client::builder()
        .endpoint(&closed)
        .credentials(Credentials::new(TEST_KEY_ID, TEST_KEY_SECRET))
        .retry(RetryConfig::disabled())
        .no_proxy()
        .build()
        .unwrap();
    assert!(direct.check_domain().domain_name("a.com").send().await.is_err());
    assert_eq!(server.request_count(), 1);
}
