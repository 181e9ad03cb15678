//! `ALIBABA_CLOUD_DOMAIN_ENDPOINT` points a client built without an endpoint elsewhere (a test server, a private
//! gateway); an endpoint given in code wins. One test in its own binary: it sets a process-wide variable.

use domain_sdk::{Client, Credentials, Error, ENV_ENDPOINT};
use e2e::{start_server, Verdict, TEST_KEY_ID, TEST_KEY_SECRET};

#[tokio::test]
async fn the_environment_sets_the_endpoint_unless_the_code_does() {
    assert_eq!(ENV_ENDPOINT, "ALIBABA_CLOUD_DOMAIN_ENDPOINT");
    let from_env = start_server().await;
    let in_code = start_server().await;
    std::env::set_var(ENV_ENDPOINT, from_env.endpoint());
    let builder = || {
        Client::builder()
            .credentials(Credentials::new(TEST_KEY_ID, TEST_KEY_SECRET))
            .no_proxy()
    };

    let client = builder().build().unwrap();
    assert_eq!(client.endpoint(), from_env.endpoint());
    client.check_domain().domain_name("a.com").send().await.unwrap();
    assert_eq!(from_env.requests().len(), 1);
    assert_eq!(from_env.requests()[0].verdict, Verdict::Accepted);

    let client = builder().endpoint(in_code.endpoint()).build().unwrap();
    client.check_domain().domain_name("a.com").send().await.unwrap();
    assert_eq!((from_env.requests().len(), in_code.requests().len()), (1, 1));

    std::env::set_var(ENV_ENDPOINT, "domain.example.test");
    match builder().build() {
        Err(Error::Config(msg)) => assert!(msg.contains("from ALIBABA_CLOUD_DOMAIN_ENDPOINT"), "{msg}"),
        other => panic!("expected a configuration error, got {other:?}"),
    }
    std::env::remove_var(ENV_ENDPOINT);
    assert_eq!(builder().build().unwrap().endpoint(), domain_sdk::DEFAULT_ENDPOINT);
}
