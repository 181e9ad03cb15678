//! Lists every domain of the account with a paginator.
//!
//! `ALIBABA_CLOUD_DOMAIN_ENDPOINT` (read by the client builder) points it at another endpoint, e.g. the test
//! server's; credentials come from the default chain.
//! Run: `ALIBABA_CLOUD_DOMAIN_ENDPOINT=http://127.0.0.1:PORT ALIBABA_CLOUD_ACCESS_KEY_ID=testid \
//!       ALIBABA_CLOUD_ACCESS_KEY_SECRET=testsecret cargo run -p domain-sdk --example list_domains`

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), domain_sdk::Error> {
    let client = domain_sdk::Client::builder().app_name("list-domains-example").build()?;
    let mut domains = client.query_domain_list().page_size(50).into_paginator().items();
    let mut count = 0;
    while let Some(domain) = domains.try_next().await? {
        count += 1;
        println!(
            "{:<40} expires {}",
            domain.domain_name.as_deref().unwrap_or("?"),
            domain.expiration_date.as_deref().unwrap_or("?")
        );
    }
    println!("{count} domain(s)");
    Ok(())
}
