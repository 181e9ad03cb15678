//! Credentials and where they come from: fixed keys, environment variables, the aliyun CLI's profile file, the
//! ECS instance metadata service, STS `AssumeRole` — cached, refreshed before expiry, and chained by default.

mod chain;
mod cli_config;
mod imds;
mod ini;
mod oidc;
mod profile;
mod sign_in;
mod sts;
mod uri;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

pub use chain::{
    DefaultCredentialsChain, DefaultCredentialsChainBuilder, ENV_CLI_PROFILE_DISABLED, ENV_CONFIG_FILE,
    ENV_ECS_METADATA, ENV_ECS_METADATA_DISABLED, ENV_IGNORE_PROFILE, ENV_IMDSV1_DISABLED, ENV_PROFILE,
    ENV_STS_ENDPOINT,
};
pub use imds::EcsRamRole;
pub use ini::{CredentialsFile, ENV_CREDENTIALS_FILE};
pub use oidc::{
    sts_endpoint, OidcRoleArn, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE, ENV_ROLE_ARN, ENV_ROLE_SESSION_NAME,
    ENV_STS_REGION, ENV_VPC_ENDPOINT_ENABLED,
};
pub use profile::{ExternalProcess, ProfileFile, ENV_DISABLE_EXTERNAL_PROCESS, EXTERNAL_PROCESS_TIMEOUT};
pub use sts::{AssumeRole, CachedCredentials};
pub use uri::{CredentialsUri, ENV_CREDENTIALS_URI};

/// `relative` under the home folder (`HOME`, else `USERPROFILE`), if it is known.
fn home_file(relative: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(|h| std::path::PathBuf::from(h).join(relative))
}

/// The HTTP client of one credential exchange: its own short timeouts, no redirects, the SDK's TLS, and the
/// environment's proxy only when `proxied` (never for a loopback or link-local service).
fn http_client(
    connect: std::time::Duration,
    total: std::time::Duration,
    proxied: bool,
) -> Result<reqwest::Client, String> {
    let mut builder = crate::tls::http_client_builder()
        .map_err(|e| e.to_string())?
        .connect_timeout(connect)
        .timeout(total);
    if !proxied {
        builder = builder.no_proxy();
    }
    builder.build().map_err(|e| crate::error::error_chain(&e.without_url()))
}

/// Sends a credential source's request and reads its answer whole: the status and the body, or what went wrong
/// in words (the URL left out: it may carry a token).
async fn send_for_text(request: reqwest::RequestBuilder) -> Result<(reqwest::StatusCode, String), String> {
    let chain = |e: reqwest::Error| crate::error::error_chain(&e.without_url());
    let response = request.send().await.map_err(chain)?;
    let status = response.status();
    let body = response.text().await.map_err(chain)?;
    Ok((status, body))
}

/// The future a provider returns.
pub type ProvideFuture<'a> = Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials. The client asks before every attempt; providers of temporary credentials cache them.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Current credentials.
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let c = self.clone();
        Box::pin(async move { Ok(c) })
    }
}

/// Reads `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and `ALIBABA_CLOUD_SECURITY_TOKEN` on each call.
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvironmentVariables;

impl ProvideCredentials for EnvironmentVariables {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async { Credentials::from_env() })
    }
}

/// The environment variable holding the AccessKey ID.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// The environment variable holding the AccessKey secret.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// The environment variable holding an STS security token.
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

/// An AccessKey pair, optionally with an STS `SecurityToken`.
///
/// `Debug` shows the AccessKey ID only; the secret and the token are never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    expiration: Option<SystemTime>,
}

impl Credentials {
    /// A long-lived AccessKey pair.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
            expiration: None,
        }
    }

    /// Temporary STS credentials: an AccessKey pair and its security token.
    pub fn with_security_token(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: Some(security_token.into()),
            expiration: None,
        }
    }

    /// The same credentials, expiring at `expiration` (temporary credentials).
    pub fn with_expiration(mut self, expiration: SystemTime) -> Self {
        self.expiration = Some(expiration);
        self
    }

    /// When temporary credentials expire.
    pub fn expiration(&self) -> Option<SystemTime> {
        self.expiration
    }

    /// Reads `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, if set,
    /// `ALIBABA_CLOUD_SECURITY_TOKEN`.
    ///
    /// # Errors
    /// [`CredentialsError`] naming the variable that is missing or empty.
    pub fn from_env() -> Result<Self, CredentialsError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through `lookup` (for tests and custom sources).
    ///
    /// # Errors
    /// [`CredentialsError`] naming the variable that is missing or empty.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, CredentialsError> {
        let get = |name: &'static str| match lookup(name) {
            Some(v) if !v.trim().is_empty() => Ok(v),
            _ => Err(CredentialsError::MissingVariable(name)),
        };
        let id = get(ENV_ACCESS_KEY_ID)?;
        let secret = get(ENV_ACCESS_KEY_SECRET)?;
        let token = lookup(ENV_SECURITY_TOKEN).filter(|t| !t.trim().is_empty());
        Ok(Credentials {
            access_key_id: id,
            access_key_secret: secret,
            security_token: token,
            expiration: None,
        })
    }

    /// The AccessKey ID (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret. Handle with care: never log it.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
    }

    /// The STS security token, for temporary credentials.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"** redacted **")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "** redacted **"),
            )
            .finish()
    }
}

/// Credentials could not be had; each variant names the source and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// An environment variable is missing or empty.
    #[error("credentials: environment variable {0} is not set or empty")]
    MissingVariable(&'static str),
    /// The aliyun CLI's profile file is unreadable or malformed.
    #[error("credentials: profile file {path}: {reason}")]
    Profile {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The profile uses a mode this SDK does not support (RsaKeyPair, BearerToken, Anonymous, …).
    #[error(
        "credentials: profile {profile:?} has mode {mode:?}, which this SDK does not support; supported modes are AK, \
         StsToken, RamRoleArn, ChainableRamRoleArn, RamRoleArnWithRoleName, EcsRamRole, OIDC, External, \
         CredentialsURI, CloudSSO and OAuth (configure one of those with the aliyun CLI, or pass credentials in code)"
    )]
    UnsupportedMode {
        /// The profile's name.
        profile: String,
        /// Its mode.
        mode: String,
    },
    /// The ECS instance metadata service failed.
    #[error("credentials: ECS RAM role: {step}: {reason}")]
    Imds {
        /// Which request failed.
        step: &'static str,
        /// Why.
        reason: String,
    },
    /// An `External` profile's command failed or printed something unusable.
    #[error("credentials: external process {program:?}: {reason}")]
    External {
        /// The program run.
        program: String,
        /// Why.
        reason: String,
    },
    /// The official SDKs' INI credentials file is unreadable or malformed.
    #[error("credentials: credentials file {path}: {reason}")]
    CredentialsFile {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// STS `AssumeRoleWithOIDC` (RRSA) failed, or its token file could not be read.
    #[error("credentials: AssumeRoleWithOIDC {role_arn}: {reason}")]
    Oidc {
        /// The role.
        role_arn: String,
        /// Why.
        reason: String,
    },
    /// The credentials URI failed or answered something unusable.
    #[error("credentials: credentials URI {uri}: {reason}")]
    Uri {
        /// The URI, without its query.
        uri: String,
        /// Why.
        reason: String,
    },
    /// STS `AssumeRole` failed.
    #[error("credentials: AssumeRole {role_arn}: {reason}")]
    AssumeRole {
        /// The role.
        role_arn: String,
        /// Why.
        reason: String,
    },
    /// A CloudSSO or OAuth sign-in could not be turned into credentials (expired, refused, unreachable).
    #[error("credentials: {service} profile {profile:?}: {reason}")]
    SignIn {
        /// `CloudSSO` or `OAuth`.
        service: &'static str,
        /// The profile.
        profile: String,
        /// Why; never a token, whatever the service echoed.
        reason: String,
    },
    /// No step of the default chain had credentials.
    #[error("credentials: no source has credentials; tried: {}", tried.join("; "))]
    Exhausted {
        /// Each step and why it had none.
        tried: Vec<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let c = Credentials::with_security_token("LTAIid", "very-secret-value", "sts-token-value");
        let shown = format!("{c:?} {c:#?}");
        assert!(shown.contains("LTAIid"));
        assert!(!shown.contains("very-secret-value"));
        assert!(!shown.contains("sts-token-value"));
    }

    #[test]
    fn from_lookup_reads_the_three_variables() {
        let env = |name: &str| match name {
            ENV_ACCESS_KEY_ID => Some("id".to_owned()),
            ENV_ACCESS_KEY_SECRET => Some("secret".to_owned()),
            ENV_SECURITY_TOKEN => Some("token".to_owned()),
            _ => None,
        };
        let c = Credentials::from_lookup(env).unwrap();
        assert_eq!(
            (c.access_key_id(), c.access_key_secret(), c.security_token()),
            ("id", "secret", Some("token"))
        );
    }

    #[test]
    fn from_lookup_names_the_missing_variable() {
        let env = |name: &str| (name == ENV_ACCESS_KEY_ID).then(|| "id".to_owned());
        let err = Credentials::from_lookup(env).unwrap_err();
        assert_eq!(err, CredentialsError::MissingVariable(ENV_ACCESS_KEY_SECRET));
        assert!(err.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"));
        let empty = |name: &str| {
            Some(if name == ENV_ACCESS_KEY_ID {
                " ".to_owned()
            } else {
                "x".to_owned()
            })
        };
        assert_eq!(
            Credentials::from_lookup(empty).unwrap_err(),
            CredentialsError::MissingVariable(ENV_ACCESS_KEY_ID)
        );
    }
}
