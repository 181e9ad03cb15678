//! A Rust SDK for the Alibaba Cloud Domain API (`domain.aliyuncs.com`): every action of API version 2018-01-29
//! (and `SaveContactTemplateCredential` of 2016-05-11), generated from a transcription of the API reference, on a
//! runtime that signs, retries, times out and reports errors safely with no configuration.
//!
//! **How the docs are written.** Every action, parameter, field and value is documented in English first; the
//! Chinese text of the Domain API reference follows it, marked *The reference's wording*, then the wire facts
//! (wire name, whether it is required, an example, the default). "The reference" is the Domain API reference of
//! Alibaba Cloud, API version 2018-01-29, document version 20220711, in Chinese, from which the SDK's spec was
//! transcribed; "§5.17 of the reference" names its section. Actions added to the service since then cite the
//! official OpenAPI metadata or SDK they come from instead. Each action's module links to its page in the
//! official API Explorer, in English on the international site and in Chinese on the China site. Where the
//! reference's text looks wrong (two texts swapped, a value's meaning inverted), the English says so.
//!
//! # Guide
//!
//! ## Configure a client and its credentials
//!
//! [`Client::builder()`] has safe defaults for everything: HTTPS to `domain.aliyuncs.com`, retries with
//! backoff, timeouts, the proxy from `HTTPS_PROXY`/`NO_PROXY`, and credentials from the
//! [`DefaultCredentialsChain`], in the order and with the variables of the official SDKs' chain: environment
//! variables, OIDC/RRSA ([`OidcRoleArn`]), the aliyun CLI's `~/.aliyun/config.json`, the official SDKs'
//! `~/.alibabacloud/credentials`, the ECS RAM role, a credentials URI ([`CredentialsUri`]). Requests are signed with signature
//! v1 as the reference documents; [`ClientBuilder::signature_version`] selects v3 (`ACS3-HMAC-SHA256`, the newest
//! official SDKs' default), under which the common parameters, the STS token and the signature travel in
//! headers, never in the URL.
//!
//! ```no_run
//! use std::time::Duration;
//! use domain_sdk::{AssumeRole, Client, Credentials, RetryConfig};
//!
//! # fn demo() -> Result<(), domain_sdk::Error> {
//! // Credentials from the environment, the profile file or the instance: nothing to write.
//! let client = Client::builder().build()?;
//!
//! // Or explicit keys, a RAM role assumed through STS (cached, refreshed before it expires), and tuning.
//! let role = AssumeRole::new(Credentials::new("LTAI...", "secret"), "acs:ram::123456:role/domain-admin").cached();
//! let client = Client::builder()
//!     .credentials_provider(role)
//!     .retry(RetryConfig::default().with_max_attempts(5))
//!     .operation_timeout(Duration::from_secs(60))
//!     .signature_version(domain_sdk::SignatureVersion::V3)
//!     .default_lang("en")             // sent by every action that takes `Lang`
//!     .app_name("my-registrar/2.1")   // appended to the User-Agent
//!     .build()?;
//! # let _ = client; Ok(()) }
//! ```
//!
//! ## Credentials
//!
//! Without [`ClientBuilder::credentials`] or [`ClientBuilder::credentials_provider`], the client asks the
//! [`DefaultCredentialsChain`] once and keeps the first source that has credentials. Temporary credentials are
//! cached and refreshed from three minutes before they expire; if a refresh fails while the cached ones are
//! still valid, calls keep using them (a `tracing` warning says so) and the refresh is retried ten seconds later.
//!
//! The aliyun CLI's profile modes ([`ProfileFile`], `~/.aliyun/config.json`), as credentials-go 1.4 and the CLI
//! 3.4 read them:
//!
//! | `mode` | what the SDK does |
//! | --- | --- |
//! | `AK` | `access_key_id` and `access_key_secret` as they are |
//! | `StsToken` | the same with `sts_token` |
//! | `RamRoleArn` | STS `AssumeRole` of `ram_role_arn` (`ram_session_name`, `expired_seconds`, `external_id`) signed with the profile's key (and its `sts_token`, if any), at `sts_endpoint`, else `ALIBABA_CLOUD_STS_ENDPOINT`, else `sts.<sts_region>.aliyuncs.com`, else the chain's STS endpoint; always over HTTPS, as the CLI connects (`http://` is kept for a loopback test server only) |
//! | `ChainableRamRoleArn` | the same, signed with the credentials of `source_profile` (any mode; a cycle is an error) |
//! | `EcsRamRole` | the instance's RAM role `ram_role_name` (or the one attached) from the metadata service |
//! | `RamRoleArnWithRoleName` | `AssumeRole` of `ram_role_arn`, signed with the instance role `ram_role_name` |
//! | `OIDC` | STS `AssumeRoleWithOIDC` with `oidc_provider_arn`, `oidc_token_file`, `ram_role_arn` |
//! | `External` | runs `process_command` (no shell; its words split with quotes and `\` as a POSIX shell splits them, as the CLI does since 3.4.9; 60 s at most) and reads its JSON output, `mode` `AK` or `StsToken`; a token printed without `expiration` is not kept: the command runs again at the next use |
//! | `CredentialsURI` | GETs `credentials_uri` (else `ALIBABA_CLOUD_CREDENTIALS_URI`); an answer without `Expiration` is taken, as the CLI takes it, and asked for again at the next use |
//! | `CloudSSO` | exchanges the CLI sign-in's `access_token` at the host of `cloud_sso_sign_in_url` for STS credentials of `cloud_sso_account_id` with `cloud_sso_access_config`; an expired sign-in is an error telling you to sign in again with the CLI |
//! | `OAuth` | refreshes `oauth_access_token` with `oauth_refresh_token` when 20 minutes or less are left, at the site of `oauth_site_type` (`CN`: `oauth.aliyun.com`, `INTL`: `oauth.alibabacloud.com`), then exchanges it for STS credentials; without a refresh token the access token is exchanged as it is |
//! | `RsaKeyPair`, `BearerToken`, `Anonymous` | refused by name ([`CredentialsError::UnsupportedMode`]) |
//!
//! A `CloudSSO` or `OAuth` profile starts from the STS credentials the CLI saved in it while they have more
//! than three minutes left, and writes what it obtains back to the profile it belongs to (the OAuth profile
//! itself when a `ChainableRamRoleArn` leads to it): the rotated tokens and their expiry, and the STS
//! credentials, as the CLI stores them. The write changes only those keys of that profile (every other key,
//! profile and the key order stay), under an exclusive lock on `config.json` (the one credentials-go and
//! credentials-python take), through a temporary file in the same folder with the file's permissions and an
//! atomic rename; the lock is waited for two seconds at most, and a file that cannot be written (locked,
//! read-only, another user's) is logged and left as it was, while the call goes on with its credentials. When an
//! exchange or a refresh fails and the profile in the file now holds newer tokens (another process refreshed
//! them, which retires the refresh token this one held, or you signed in again with the CLI), the SDK takes
//! those and tries once more; it never goes back to older ones.
//!
//! The variables the chain and its sources read:
//!
//! | variable | what the SDK does with it |
//! | --- | --- |
//! | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN` | step 1: a key (and STS token) |
//! | `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE`, `ALIBABA_CLOUD_ROLE_SESSION_NAME` | step 2: OIDC (RRSA), when the first three are set |
//! | `ALIBABA_CLOUD_STS_ENDPOINT` | the STS endpoint of role sources that name none (the CLI's variable; wins over a profile's `sts_region` and `ALIBABA_CLOUD_STS_REGION`) |
//! | `ALIBABA_CLOUD_STS_REGION`, `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED` | else `sts[-vpc].<region>.aliyuncs.com` |
//! | `ALIBABA_CLOUD_CONFIG_FILE` | step 3: another path for `config.json` |
//! | `ALIBABA_CLOUD_PROFILE` | the profile of `config.json` (else its `current`) and the section of the INI file (else `default`); empty counts as unset |
//! | `ALIBABA_CLOUD_CLI_PROFILE_DISABLED`, `ALIBABA_CLOUD_IGNORE_PROFILE` (or `ALIBABACLOUD_IGNORE_PROFILE`) | `true`: step 3 is skipped (the CLI takes `TRUE` for the second; any case here) |
//! | `ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS` | `1` or `true`: profiles of modes `External` and `CredentialsURI` are refused |
//! | `ALIBABA_CLOUD_CREDENTIALS_FILE` | step 4: another path for `~/.alibabacloud/credentials` |
//! | `ALIBABA_CLOUD_ECS_METADATA` | step 5: the instance role's name (else the attached one is looked up) |
//! | `ALIBABA_CLOUD_ECS_METADATA_DISABLED` | `true`: step 5 is skipped |
//! | `ALIBABA_CLOUD_IMDSV1_DISABLED` | `true`: the metadata service's v2 session token is required (step 5, and ECS roles of profiles and INI sections) |
//! | `ALIBABA_CLOUD_CREDENTIALS_URI` | step 6: credentials from this URL |
//!
//! Step 5 first asks whether a metadata service exists at all (a session token, or a v1 service's list of
//! roles; an error page at the address does not count) and gives up after one second without an answer, so a
//! program off Alibaba Cloud does not wait in the chain. Every exchange has its own short timeouts, and no
//! token, secret or signature appears in a `Debug`, a log line or an error, whatever a service echoes back. (One
//! thing is shown as it comes: the first 200 characters of a failed External command's standard error, its
//! own message about why it failed.)
//!
//! ## Check a name
//!
//! ```no_run
//! use domain_sdk::operation::check_domain::Avail;
//!
//! # async fn demo(client: domain_sdk::Client) -> Result<(), Box<dyn std::error::Error>> {
//! domain_sdk::validate_domain_name("例子.com")?; // §6.2's rules, before any call
//! let check = client.check_domain().domain_name("例子.com").send().await?;
//! if check.avail == Some(Avail::Available) {
//!     println!("available for {:?}", check.price);
//! }
//! # Ok(()) }
//! ```
//!
//! ## Register with a registrant profile, then wait for the task
//!
//! Lists of structures (`OrderActivateParam.N.*`) take one item per call; task actions return a `TaskNo` that
//! [`Client::wait_for_task`] follows to the end, domain by domain.
//!
//! ```no_run
//! use domain_sdk::operation::save_batch_task_for_creating_order_activate::OrderActivateParam;
//! use domain_sdk::{TaskOutcome, TaskState};
//!
//! # async fn demo(client: domain_sdk::Client) -> Result<(), domain_sdk::Error> {
//! let task = client
//!     .save_batch_task_for_creating_order_activate()
//!     .order_activate_param(OrderActivateParam::new().domain_name("example.com").registrant_profile_id(1234567))
//!     .order_activate_param(OrderActivateParam::new().domain_name("example.net").registrant_profile_id(1234567))
//!     .send()
//!     .await?;
//! let report = client.wait_for_task(task.task_no.unwrap_or_default()).await?;
//! match report.state {
//!     TaskState::Succeeded => println!("registered"),
//!     TaskState::Failed => {
//!         for outcome in report.failed() {
//!             if let TaskOutcome::Failed { domain_name, reason, .. } = outcome {
//!                 eprintln!("{domain_name}: {reason:?}");
//!             }
//!         }
//!     }
//!     TaskState::TimedOut => eprintln!("{} domain(s) still pending; wait again later", report.pending().count()),
//!     TaskState::NotFound => eprintln!("the service does not know task {}", report.task_no),
//!     _ => eprintln!("{}", report.state),
//! }
//! # Ok(()) }
//! ```
//!
//! ## List domains with a paginator
//!
//! Every paged action has `into_paginator()`: a [`PaginationStream`] of pages, or of items across pages, with
//! `next()`, `try_next()` and `try_collect()` of its own (no other crate needed); it is also a
//! `futures::Stream` for stream combinators.
//!
//! ```no_run
//! # async fn demo(client: domain_sdk::Client) -> Result<(), domain_sdk::Error> {
//! let mut domains = client.query_domain_list().page_size(100).into_paginator().items();
//! while let Some(domain) = domains.try_next().await? {
//!     println!("{:?} expires {:?}", domain.domain_name, domain.expiration_date);
//! }
//! # Ok(()) }
//! ```
//!
//! ## Handle errors
//!
//! One [`Error`] type says what happened: an invalid request (caught before sending), a service error with its
//! code, message and request id, a transport failure, an undecodable answer, missing credentials. Each action
//! has an `…ErrorCode` enum of the codes documented for it (74 of the 129 actions have some; each code's source is
//! recorded in the spec) and §6.1's global ones (`Global(…)`), to `match`. A code no enum lists is
//! `Unhandled`: compare its text with `as_str()`, or read it from [`ServiceError::code`]:
//!
//! ```no_run
//! use domain_sdk::operation::query_transfer_out_info::QueryTransferOutInfoErrorCode as Code;
//! use domain_sdk::types::GlobalErrorCode;
//!
//! # async fn demo(client: domain_sdk::Client) {
//! match client.query_transfer_out_info().domain_name("example.com").send().await {
//!     Ok(info) => println!("{:?}", info.status),
//!     Err(err) => match Code::of(&err) {
//!         Some(Code::DomainNotExist) => eprintln!("example.com is not in this account"),
//!         Some(Code::Global(GlobalErrorCode::Throttling)) => eprintln!("still throttled after the retries"),
//!         // A code the SDK does not list for this action: match its text.
//!         Some(Code::Unhandled(code)) if code.as_str() == "DomainTransferOutProhibited" => eprintln!("locked"),
//!         Some(code) => eprintln!("service error {code}: {:?}", err.as_service_error().and_then(|e| e.request_id())),
//!         None => eprintln!("{err}"),
//!     },
//! }
//! # }
//! ```
//!
//! ## Retries, limits, and what a broken answer can do
//!
//! - **Retries** ([`RetryConfig`]): 3 attempts with jittered backoff, only where a retry is safe (an order is
//!   never sent twice). All calls of a client (and its clones) share a [`RetryBudget`], a token bucket as in
//!   aws-smithy's standard strategy: during an outage a burst of calls makes a few retries in all, not three
//!   attempts each. `RetryConfig::default().without_budget()` turns it off. Your rules by error code:
//!   [`RetryConfig::retry_code`] (idempotent actions only) and [`RetryConfig::never_retry_code`].
//! - **Throttling:** a throttled answer that says when to come back (`x-acs-retry-after`, in milliseconds, or
//!   `Retry-After`) is retried no sooner than that, within [`RetryConfig::with_max_throttle_delay`] (60 s) and
//!   never past the operation timeout; the retry carries `x-acs-retry-attempts` and `x-acs-retry-delay` as the
//!   official runtimes send them, and [`ServiceError::retry_after`] shows the hint.
//! - **Timeouts:** connect (5 s), each attempt from sending to the last byte (30 s), the whole call with its
//!   retries (90 s); an error says which ran out and how much of the answer had arrived.
//! - **Clock skew:** when the service rejects a timestamp, the client learns its clock from the `Date` header
//!   and retries once, but only for an offset within [`MAX_CLOCK_SKEW`] (a day): a `Date` further off is ignored
//!   with a warning.
//! - **Paging:** a paginator stops with [`Error::Pagination`] when a page repeats the one before it, or after
//!   [`Paginator::max_pages`] pages (default [`DEFAULT_MAX_PAGES`]) while the service still says there are more.
//! - **Numbers:** answers may send numbers as strings; a value out of the field's range is an error naming the
//!   field (`field Data.Domain[3].Price: …`), never the nearest representable value.
//! - **Secrets:** the AccessKey secret never leaves the client; the STS token and the signature are removed from
//!   every message, excerpt and log line the server's answer could put them in, however it echoes them. (Under
//!   signature v1 both travel in the URL's query string, as the reference and the official SDKs send them;
//!   under v3 they are headers.)
//! - **Sizes:** an answer larger than [`ClientBuilder::max_response_bytes`] (16 MB) is an error, not an
//!   allocation.
//!
//! ## Endpoints, and your own HTTP client
//!
//! The endpoint follows the official SDKs' rule: [`ClientBuilder::region`] `ap-southeast-1` is the
//! international site's own host (`domain-intl.aliyuncs.com`); every other region, and none, the central
//! `domain.aliyuncs.com`, with the official `network` (`vpc`) and `suffix` options ([`ClientBuilder::network`],
//! [`ClientBuilder::suffix`]). [`ClientBuilder::endpoint`] and `ALIBABA_CLOUD_DOMAIN_ENDPOINT` win over it;
//! `ALIBABA_CLOUD_USER_AGENT` is appended to the `User-Agent`.
//!
//! [`ClientBuilder::http_client`] sends with your own `reqwest::Client` (custom roots, mTLS, a SOCKS proxy, a
//! shared pool): start from [`transport::http_client_builder`] (the SDK's TLS setup, no redirects) or
//! [`transport::http_client_builder_with_roots`] (trusting your own root certificates too); [`ClientBuilder::transport`] replaces the exchange whole with a [`Transport`] of yours. Either
//! way the SDK still signs every attempt, applies its timeouts and size limit, retries and decodes; a
//! [`HttpRequest`]'s `Debug` hides the signature, the STS token and `Authorization`.
//!
//! The crate `domain-sdk-test-server` is a loopback server for your own tests. Runnable examples are in
//! `examples/`.
//!
//! # Cargo features
//!
//! | feature | default | what it does |
//! | --- | --- | --- |
//! | `all-actions` | yes | every action; each is also a feature of its own, named as its module |
//! | `query_domain_list`, `check_domain`, … | via `all-actions` | one action: `operation::<name>` and `Client::<name>()` |
//! | `rustls` | yes | HTTPS with rustls on the `ring` crypto provider, trusting the platform's roots (see [`transport::http_client_builder`]) |
//! | `native-tls` | no | HTTPS with the platform's TLS library instead |
//! | `http2` | no | HTTP/2 when the endpoint offers it (HTTP/1.1 otherwise, as the official SDKs) |
//! | `blocking` | no | `send_blocking()` on every operation, blocking paginators |
//! | `serialize` | no | `serde::Serialize` on every output structure |
//!
//! An app that calls a few actions compiles only those (a one-action app builds about a quarter faster):
//!
//! ```toml
//! # Not on crates.io yet: by path (or git) today; `version = "0.1"` in place of `path` once published.
//! domain-sdk = { path = "../domain-sdk/domain-sdk", default-features = false, features = ["rustls", "query_domain_list"] }
//! ```
//!
//! [`Client::wait_for_task`] needs `query_task_detail_list`. Without a TLS feature only `http://` endpoints
//! work, and [`ClientBuilder::build`] says so for an `https://` one.
//!
//! # How it is made
//!
//! The action modules in [`operation`] and the shared [`types`] are generated from `api-spec/` by
//! `cargo xtask codegen`; signing, transport, retries, credentials and errors are hand-written in this crate.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod attempt;
#[cfg(feature = "blocking")]
pub mod blocking;
mod client;
mod clock;
mod config;
mod credentials;
mod de;
mod error;
#[rustfmt::skip]
mod generated;
pub mod interceptor;
mod layout;
mod names;
mod paginator;
#[cfg(feature = "test-util")]
mod read_back;
mod request;
mod retry;
mod retry_loop;
mod service_error;
pub mod signing;
mod tls;
pub mod transport;
mod unknown;
#[cfg(feature = "query_task_detail_list")]
mod waiters;

pub use client::Client;
pub use clock::MAX_CLOCK_SKEW;
pub use config::{
    user_agent, CallConfig, ClientBuilder, Region, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_OPERATION_TIMEOUT, ENV_ENDPOINT, ENV_USER_AGENT,
};
/// The service's endpoint when the client names no region (that of [`DEFAULT_REGION`]).
pub const DEFAULT_ENDPOINT: &str = Region::DEFAULT_ENDPOINT;
/// The region a client uses when it names none.
pub const DEFAULT_REGION: &str = Region::DEFAULT_ID;
pub use credentials::{
    sts_endpoint, AssumeRole, CachedCredentials, Credentials, CredentialsError, CredentialsFile, CredentialsUri,
    DefaultCredentialsChain, DefaultCredentialsChainBuilder, EcsRamRole, EnvironmentVariables, ExternalProcess,
    OidcRoleArn, ProfileFile, ProvideCredentials, ProvideFuture, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET,
    ENV_CLI_PROFILE_DISABLED, ENV_CONFIG_FILE, ENV_CREDENTIALS_FILE, ENV_CREDENTIALS_URI, ENV_DISABLE_EXTERNAL_PROCESS,
    ENV_ECS_METADATA, ENV_ECS_METADATA_DISABLED, ENV_IGNORE_PROFILE, ENV_IMDSV1_DISABLED, ENV_OIDC_PROVIDER_ARN,
    ENV_OIDC_TOKEN_FILE, ENV_PROFILE, ENV_ROLE_ARN, ENV_ROLE_SESSION_NAME, ENV_SECURITY_TOKEN, ENV_STS_ENDPOINT,
    ENV_STS_REGION, ENV_VPC_ENDPOINT_ENABLED, EXTERNAL_PROCESS_TIMEOUT,
};
pub use error::{Error, ErrorClass, ErrorInfo, ServiceError, SignatureMismatch, TransportErrorKind};
pub use generated::types::validate_domain_name;
pub use generated::{operation, types};
pub use names::{DomainNameError, DomainNameRules};
pub use paginator::{Paged, PaginationStream, Paginator, SendFuture, Sendable, DEFAULT_MAX_PAGES};
pub use request::{HttpMethod, OperationRequest};
pub use retry::{RetryBudget, RetryConfig};
pub use signing::SignatureVersion;
pub use transport::{AttemptLimits, HttpRequest, HttpResponse, Transport, TransportError};
pub use unknown::UnknownValue;
#[cfg(feature = "query_task_detail_list")]
#[cfg_attr(docsrs, doc(cfg(feature = "query_task_detail_list")))]
pub use waiters::{TaskOutcome, TaskReport, TaskState, WaiterConfig};

/// Items generated code uses; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::config::ServiceEndpoints;
    pub use crate::de::{decode_struct, skip_value, wire_enum_value, DecodeFields, Lenient, ListOf, OptSeed, Wrapped};
    pub(crate) use crate::de::{decode_via_fields, lenient_via_serde, wire_enum};
    pub use crate::paginator::{next_page_number, next_scroll_id};
    #[cfg(feature = "test-util")]
    pub use crate::read_back::{FromWire, ItemReader, ParamReader, ReadRequest, ReadStruct};
    pub use crate::request::{
        BuildRequest, HasInput, HttpMethod, OperationRequest, StructWriter, WireValue, WriteStruct,
    };
}
