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
    std::future::pending::<()>().await;
}
