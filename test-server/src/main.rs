//! Runs the loopback test server on its own, for trying the SDK's examples:
//! `cargo run -p domain-sdk-test-server` prints the endpoint, then serves until stopped.

#[tokio::main]
async fn main() {
    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(0);
    let server =
        domain_sdk_test_server::TestServer::start_on(port, domain_sdk_test_server::ServerConfig::default()).await;
    println!(
        "listening on {} (AccessKey testid / testsecret); stop with Ctrl-C",
        server.endpoint()
    );
    println!(
        "try: ALIBABA_CLOUD_DOMAIN_ENDPOINT={} ALIBABA_CLOUD_ACCESS_KEY_ID=testid \\\n     ALIBABA_CLOUD_ACCESS_KEY_SECRET=testsecret cargo run -p domain-sdk --example list_domains",
        server.endpoint()
    );
    std::future::pending::<()>().await;
}
