//! A Rust SDK for the Alibaba Cloud Domain API (`domain.aliyuncs.com`, API versions 2018-01-29 and 2016-05-11).
//!
//! Every action of the API reference is a method on [`Client`] returning a fluent builder:
//!
//! ```no_run
//! # async fn run() -> Result<(), domain_sdk::Error> {
//! let client = domain_sdk::Client::from_env()?;
//! let page = client.query_domain_list().page_num(1).page_size(20).send().await?;
//! for domain in page.data.unwrap_or_default() {
//!     println!("{:?} expires {:?}", domain.domain_name, domain.expiration_date);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! The action modules live in [`operation`]; the code there is generated from `api-spec/` by
//! `cargo xtask codegen`. Signing, transport and errors are hand-written in this crate.
#![deny(missing_docs)]

#[cfg(feature = "blocking")]
pub mod blocking;
mod client;
mod credentials;
mod de;
mod error;
#[rustfmt::skip]
mod generated;
mod names;
mod paginator;
mod request;
mod retry;
pub mod signing;
mod waiters;

pub use client::{
    user_agent, Client, ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_ENDPOINT,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_OPERATION_TIMEOUT,
};
pub use credentials::{
    AssumeRole, CachedCredentials, Credentials, CredentialsError, DefaultCredentialsChain,
    DefaultCredentialsChainBuilder, EcsRamRole, EnvironmentVariables, ProfileFile, ProvideCredentials, ProvideFuture,
    ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_ECS_METADATA, ENV_PROFILE, ENV_SECURITY_TOKEN,
};
pub use error::{Error, ErrorClass, ErrorInfo, ServiceError, SignatureMismatch, TransportErrorKind};
pub use generated::types::validate_domain_name;
pub use generated::{operation, types};
pub use names::{DomainNameError, DomainNameRules};
pub use paginator::{Operation, Paged, Paginator, SendFuture};
pub use request::{HttpMethod, OperationRequest};
pub use retry::RetryConfig;
pub use waiters::{TaskOutcome, TaskReport, WaiterConfig};

/// Items generated code uses; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::de::{de_list, de_opt, de_wrapped, wire_string, Lenient, Wrapped};
    pub(crate) use crate::de::{lenient_via_serde, wire_enum};
    pub use crate::paginator::{next_page_number, next_scroll_id};
    pub use crate::request::{HttpMethod, OperationRequest, StructWriter, WireValue, WriteStruct};
}

/// The generator's golden fixture output, compiled against this runtime so that a fixture that no longer
/// builds fails the test build (`codegen/tests/golden/`).
#[cfg(test)]
#[rustfmt::skip]
#[allow(dead_code, unreachable_pub, clippy::all)]
#[path = "../../codegen/tests/golden/awkward/expected/domain-sdk/src/generated/operation/mod.rs"]
mod golden_awkward;

#[cfg(test)]
mod golden_awkward_tests {
    use super::golden_awkward::fixture_awkward_names::{
        FixtureAwkwardNamesInput, FixtureAwkwardNamesOutput, Mode, Ref,
    };

    #[test]
    fn awkward_names_reach_the_wire_unchanged() {
        let mut input = FixtureAwkwardNamesInput {
            r#type: Some("a".into()),
            self_: Some(3),
            send_value: Some("x".into()),
            r#ref: Some(vec![Ref::new().r#type("t1"), Ref::new().r#type("t2").option(9)]),
            r#box: Some(vec![7, 8]),
            mode: Some(Mode::from("a b")),
            ..Default::default()
        };
        let request = input.into_request().expect("complete");
        let wire: Vec<String> = request.params().iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            wire,
            [
                "type=a",
                "self=3",
                "Send=x",
                "Ref.1.type=t1",
                "Ref.2.type=t2",
                "Ref.2.Option=9",
                "Box.1=7",
                "Box.2=8",
                "Mode=a b"
            ]
        );
        assert_eq!(request.method(), crate::HttpMethod::Post);

        input.r#ref = Some(vec![Ref::new().option(1)]);
        let err = input.into_request().unwrap_err();
        assert!(err.to_string().contains("Ref.1.type"), "{err}");
    }

    #[test]
    fn awkward_names_decode() {
        let out: FixtureAwkwardNamesOutput = serde_json::from_str(
            r#"{"3rdParty": "x", "self": "1", "Result": {"type": "t", "Vec": {"String": ["a", "b"]}}}"#,
        )
        .unwrap();
        assert_eq!(out.n3rd_party.as_deref(), Some("x"));
        assert_eq!(out.self_, Some(1));
        let result = out.result.expect("Result");
        assert_eq!(result.vec, Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(Mode::from("-1"), Mode::Minus1);
        assert_eq!(Mode::Minus1.as_str(), "-1");
    }
}
