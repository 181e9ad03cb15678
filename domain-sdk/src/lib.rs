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

mod client;
mod credentials;
mod de;
mod error;
#[rustfmt::skip]
mod generated;
mod request;
pub mod signing;

pub use client::{user_agent, Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_ENDPOINT, DEFAULT_TIMEOUT};
pub use credentials::{Credentials, CredentialsError, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SECURITY_TOKEN};
pub use error::{Error, ServiceError, TransportErrorKind};
pub use generated::{operation, types};
pub use request::{HttpMethod, OperationRequest};

/// Items generated code uses; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::de::{de_list, de_opt, de_wrapped, wire_string, Lenient, Wrapped};
    pub(crate) use crate::de::{lenient_via_serde, wire_enum};
    pub use crate::request::{HttpMethod, OperationRequest, StructWriter, WireValue, WriteStruct};
}
