//! Calls an action and handles each kind of failure: typed service error codes, retries already spent,
//! transport failures and undecodable answers.
//!
//! `ALIBABA_CLOUD_DOMAIN_ENDPOINT` (read by the client builder) points it at another endpoint, e.g. the test
//! server's; credentials come from the default chain.

use domain_sdk::operation::query_contact_info::QueryContactInfoErrorCode;
use domain_sdk::types::GlobalErrorCode;
use domain_sdk::Error;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = match domain_sdk::Client::builder().build() {
        Ok(c) => c,
        Err(e) => return eprintln!("configuration: {e}"),
    };
    let result = client
        .query_contact_info()
        .domain_name("example.com")
        .contact_type("registrant")
        .send()
        .await;
    match result {
        Ok(contact) => println!("registrant: {:?} <{:?}>", contact.registrant_name, contact.email),
        Err(err) => match (QueryContactInfoErrorCode::of(&err), &err) {
            (Some(QueryContactInfoErrorCode::Global(GlobalErrorCode::Throttling)), _) => {
                eprintln!("throttled even after retries; try later")
            }
            (Some(QueryContactInfoErrorCode::Global(GlobalErrorCode::SignatureDoesNotMatch)), Error::Service(s)) => {
                eprintln!(
                    "signature rejected: {}",
                    s.signature_mismatch.as_ref().map_or("", |m| m.diagnosis())
                )
            }
            (Some(code), Error::Service(s)) => {
                eprintln!(
                    "service error {code} (request {:?}, retryable: {})",
                    s.request_id(),
                    s.is_retryable()
                )
            }
            (_, Error::Transport { kind, .. }) => eprintln!("network ({kind}): {err}"),
            (_, Error::Credentials(e)) => eprintln!("credentials: {e}"),
            _ => eprintln!("{err}"),
        },
    }
}
