//! The default credentials chain, in credentials-go's order: environment → OIDC (RRSA) → aliyun CLI profile →
//! INI credentials file → ECS RAM role → credentials URI; first hit wins.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{
    CachedCredentials, Credentials, CredentialsError, CredentialsFile, CredentialsUri, EcsRamRole, OidcRoleArn,
    ProfileFile, ProvideCredentials, ProvideFuture, ENV_ACCESS_KEY_ID, ENV_CREDENTIALS_FILE, ENV_CREDENTIALS_URI,
    ENV_OIDC_TOKEN_FILE,
};

/// Names the aliyun CLI profile to use (else the file's `current`).
pub const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// Names the ECS instance's RAM role; when set, the chain asks the instance metadata service.
pub const ENV_ECS_METADATA: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// Another path for the aliyun CLI's profile file than `~/.aliyun/config.json`.
pub const ENV_CONFIG_FILE: &str = "ALIBABA_CLOUD_CONFIG_FILE";
/// `true`: the chain skips the aliyun CLI's profile file.
pub const ENV_CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
/// `true`: the chain skips the ECS RAM role, even when `ALIBABA_CLOUD_ECS_METADATA` names one.
pub const ENV_ECS_METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// `true` (any case; the aliyun CLI's switch, which takes `TRUE`; also read as `ALIBABACLOUD_IGNORE_PROFILE`):
/// the chain skips the aliyun CLI's profile file.
pub const ENV_IGNORE_PROFILE: &str = "ALIBABA_CLOUD_IGNORE_PROFILE";
/// The STS endpoint (`sts.cn-shanghai.aliyuncs.com`, or a URL) of the role sources that name none of their own
/// (the aliyun CLI's variable); it wins over `ALIBABA_CLOUD_STS_REGION`.
pub const ENV_STS_ENDPOINT: &str = "ALIBABA_CLOUD_STS_ENDPOINT";
/// `true`: the ECS RAM role uses the token-based metadata service (v2) only, never the v1 fallback.
pub const ENV_IMDSV1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";

/// An STS endpoint as the CLI takes it (a host, or a URL): always HTTPS, as the CLI connects (it strips any
/// scheme), except to a loopback host, where `http://` is kept (a test server).
pub(crate) fn sts_url(value: &str) -> String {
    let value = value.trim().trim_end_matches('/');
    let (scheme, host) = value.split_once("://").unwrap_or(("https", value));
    let hostname = if host.starts_with('[') {
        host.split(']').next().unwrap_or(host).trim_start_matches('[')
    } else {
        host.split(['/', ':']).next().unwrap_or(host)
    };
    let loopback = hostname == "localhost" || hostname.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if scheme.eq_ignore_ascii_case("http") && loopback {
        format!("http://{host}")
    } else {
        format!("https://{host}")
    }
}

pub(crate) type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Where a client without explicit credentials finds them, in this order:
///
/// 1. the environment: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN`;
/// 2. OIDC / RRSA ([`OidcRoleArn`]), when `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
///    `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set (with `ALIBABA_CLOUD_ROLE_SESSION_NAME`,
///    `ALIBABA_CLOUD_STS_REGION`, `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`);
/// 3. the aliyun CLI's profile file, `ALIBABA_CLOUD_CONFIG_FILE` or `~/.aliyun/config.json`: the profile named by
///    `ALIBABA_CLOUD_PROFILE`, else the file's `current` (every mode the CLI writes but RsaKeyPair, BearerToken
///    and Anonymous, see [`ProfileFile`]); skipped when `ALIBABA_CLOUD_CLI_PROFILE_DISABLED` or
///    `ALIBABA_CLOUD_IGNORE_PROFILE` is `true`;
/// 4. the official SDKs' INI credentials file, `ALIBABA_CLOUD_CREDENTIALS_FILE` or `~/.alibabacloud/credentials`:
///    the section named by `ALIBABA_CLOUD_PROFILE`, else `[default]` (types `access_key`, `ecs_ram_role`,
///    `ram_role_arn`);
/// 5. the ECS instance's RAM role from the metadata service (token-based v2, then v1 unless
///    `ALIBABA_CLOUD_IMDSV1_DISABLED=true`): the role `ALIBABA_CLOUD_ECS_METADATA` names, else the one attached
///    to the instance; skipped when `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`. Off Alibaba Cloud the service
///    does not exist: the step gives up after one second without an answer ([`EcsRamRole::probe`]);
/// 6. the credentials URI named by `ALIBABA_CLOUD_CREDENTIALS_URI` ([`CredentialsUri`]).
///
/// A step whose source is absent is skipped; a source that exists but is malformed stops the chain with an error
/// naming it. The step that answers first is kept for the client's life (its temporary credentials are cached).
/// Role sources use the STS endpoint of `ALIBABA_CLOUD_STS_ENDPOINT`, else of `ALIBABA_CLOUD_STS_REGION` (and
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`), else `sts.aliyuncs.com`.
pub struct DefaultCredentialsChain {
    env: Lookup,
    profile_path: Option<PathBuf>,
    imds_endpoint: Option<String>,
    sts_endpoint: Option<String>,
    credentials_file: Option<PathBuf>,
    oauth_base_url: Option<String>,
    chosen: tokio::sync::OnceCell<Arc<dyn ProvideCredentials>>,
}

impl std::fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DefaultCredentialsChain")
            .field("chosen", &self.chosen.get())
            .finish_non_exhaustive()
    }
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

/// Configures a [`DefaultCredentialsChain`] (mostly for tests: another environment, file or metadata endpoint).
pub struct DefaultCredentialsChainBuilder {
    chain: DefaultCredentialsChain,
}

impl DefaultCredentialsChainBuilder {
    /// Reads variables through `lookup` instead of the process environment.
    pub fn env(mut self, lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        self.chain.env = Arc::new(lookup);
        self
    }

    /// Another profile file than `~/.aliyun/config.json` (and than `ALIBABA_CLOUD_CONFIG_FILE`).
    pub fn profile_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.chain.profile_path = Some(path.into());
        self
    }

    /// Another metadata service endpoint than `http://100.100.100.200`.
    pub fn imds_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.chain.imds_endpoint = Some(endpoint.into());
        self
    }

    /// Another INI credentials file than `~/.alibabacloud/credentials` (and than `ALIBABA_CLOUD_CREDENTIALS_FILE`).
    pub fn credentials_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.chain.credentials_file = Some(path.into());
        self
    }

    /// Another STS endpoint for the role sources (OIDC, role profiles without their own) than the one the
    /// environment selects (for tests, or a private endpoint).
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.chain.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Another address for the OAuth service of `OAuth` profiles than their site's (a test server).
    pub fn oauth_base_url(mut self, url: impl Into<String>) -> Self {
        self.chain.oauth_base_url = Some(url.into());
        self
    }

    /// The chain.
    pub fn build(self) -> DefaultCredentialsChain {
        self.chain
    }
}

impl DefaultCredentialsChain {
    /// The chain over the process environment and the home folder.
    pub fn new() -> Self {
        DefaultCredentialsChain {
            env: Arc::new(|name| std::env::var(name).ok()),
            profile_path: None,
            imds_endpoint: None,
            sts_endpoint: None,
            credentials_file: None,
            oauth_base_url: None,
            chosen: tokio::sync::OnceCell::new(),
        }
    }

    /// A builder.
    pub fn builder() -> DefaultCredentialsChainBuilder {
        DefaultCredentialsChainBuilder { chain: Self::new() }
    }

    async fn choose(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let env = &self.env;
        let mut tried = Vec::new();
        // 1. Environment.
        if env(ENV_ACCESS_KEY_ID).is_some_and(|v| !v.trim().is_empty()) {
            let creds = Credentials::from_lookup(|n| env(n))?;
            tracing::debug!("credentials: from the environment");
            return Ok(Arc::new(creds));
        }
        tried.push(format!("environment: {ENV_ACCESS_KEY_ID} is not set"));
        let on = |name: &str| env(name).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        // The STS endpoint role sources use unless they name their own.
        let sts = self
            .sts_endpoint
            .clone()
            .or_else(|| {
                env(ENV_STS_ENDPOINT)
                    .filter(|e| !e.trim().is_empty())
                    .map(|e| sts_url(&e))
            })
            .or_else(|| {
                env(super::ENV_STS_REGION)
                    .filter(|r| !r.trim().is_empty())
                    .map(|r| super::sts_endpoint(Some(&r), on(super::ENV_VPC_ENDPOINT_ENABLED)))
            });
        // 2. OIDC (RRSA).
        match OidcRoleArn::from_lookup(|n| env(n)) {
            Some(mut oidc) => {
                if let Some(e) = &sts {
                    oidc = oidc.endpoint(e);
                }
                let cached = oidc.cached();
                cached.provide_credentials().await?;
                tracing::debug!("credentials: from OIDC (AssumeRoleWithOIDC)");
                return Ok(Arc::new(cached));
            }
            None => tried.push(format!(
                "OIDC: ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and {ENV_OIDC_TOKEN_FILE} are not all set"
            )),
        }
        // The file sources: the builder's path, else the environment's, else the home folder's.
        let path_of = |given: &Option<PathBuf>, var: &str, default: fn() -> Option<PathBuf>| {
            given
                .clone()
                .or_else(|| env(var).filter(|p| !p.trim().is_empty()).map(PathBuf::from))
                .or_else(default)
        };
        // 3. The aliyun CLI's profile file.
        if on(ENV_CLI_PROFILE_DISABLED) {
            tried.push(format!("profile file: {ENV_CLI_PROFILE_DISABLED} is true"));
        } else if on(ENV_IGNORE_PROFILE) || on("ALIBABACLOUD_IGNORE_PROFILE") {
            tried.push(format!("profile file: {ENV_IGNORE_PROFILE} is true"));
        } else if let Some(path) = path_of(&self.profile_path, ENV_CONFIG_FILE, ProfileFile::default_path) {
            let lookup = env.clone();
            let profile = env(ENV_PROFILE).filter(|p| !p.trim().is_empty());
            let mut file = ProfileFile::new(&path, profile).env(move |name| lookup(name));
            if let Some(url) = &self.oauth_base_url {
                file = file.oauth_base_url(url);
            }
            if let Some(e) = &sts {
                file = file.sts_endpoint(e);
            }
            if let Some(e) = &self.imds_endpoint {
                file = file.imds_endpoint(e);
            }
            if let Some(found) = file_source("profile file", &path, file, &mut tried).await? {
                return Ok(found);
            }
        } else {
            tried.push("profile file: no home folder".to_owned());
        }
        // 4. The official SDKs' INI credentials file.
        if let Some(path) = path_of(
            &self.credentials_file,
            ENV_CREDENTIALS_FILE,
            CredentialsFile::default_path,
        ) {
            let section = env(ENV_PROFILE)
                .filter(|p| !p.trim().is_empty())
                .unwrap_or_else(|| "default".to_owned());
            let mut file = CredentialsFile::new(&path, section).imds_v1(!on(ENV_IMDSV1_DISABLED));
            if let Some(e) = &sts {
                file = file.sts_endpoint(e);
            }
            if let Some(e) = &self.imds_endpoint {
                file = file.imds_endpoint(e);
            }
            if let Some(found) = file_source("credentials file", &path, file, &mut tried).await? {
                return Ok(found);
            }
        } else {
            tried.push("credentials file: no home folder".to_owned());
        }
        // 5. ECS RAM role.
        if on(ENV_ECS_METADATA_DISABLED) {
            tried.push(format!("ECS RAM role: {ENV_ECS_METADATA_DISABLED} is true"));
        } else {
            let mut ecs = EcsRamRole::new().imds_v1(!on(ENV_IMDSV1_DISABLED));
            if let Some(role) = env(ENV_ECS_METADATA).filter(|r| !r.trim().is_empty()) {
                ecs = ecs.role_name(role.trim());
            }
            if let Some(e) = &self.imds_endpoint {
                ecs = ecs.endpoint(e);
            }
            // Is there a metadata service at all? Off Alibaba Cloud, nothing answers: move on at once.
            if ecs.probe().await {
                let cached = CachedCredentials::new(ecs);
                cached.provide_credentials().await?;
                tracing::debug!("credentials: from the ECS RAM role");
                return Ok(Arc::new(cached));
            }
            tried.push(format!(
                "ECS RAM role: no instance metadata service answered within {} (not on ECS)",
                crate::error::human_duration(super::imds::PROBE_TIMEOUT)
            ));
        }
        // 6. A credentials URI.
        match env(ENV_CREDENTIALS_URI).filter(|u| !u.trim().is_empty()) {
            Some(uri) => {
                let cached = CachedCredentials::new(CredentialsUri::new(uri.trim()));
                cached.provide_credentials().await?;
                tracing::debug!("credentials: from the credentials URI");
                return Ok(Arc::new(cached));
            }
            None => tried.push(format!("credentials URI: {ENV_CREDENTIALS_URI} is not set")),
        }
        Err(CredentialsError::Exhausted { tried })
    }
}

/// A file source: chosen when its file exists (and resolved at once, so that a malformed file is reported as
/// such rather than skipped), else noted among what was tried.
async fn file_source<P: ProvideCredentials + 'static>(
    label: &str,
    path: &Path,
    provider: P,
    tried: &mut Vec<String>,
) -> Result<Option<Arc<dyn ProvideCredentials>>, CredentialsError> {
    if !path.is_file() {
        tried.push(format!("{label}: {} does not exist", path.display()));
        return Ok(None);
    }
    provider.provide_credentials().await?;
    tracing::debug!(path = %path.display(), "credentials: from the {label}");
    Ok(Some(Arc::new(provider)))
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let provider = self.chosen.get_or_try_init(|| self.choose()).await?;
            provider.provide_credentials().await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::sts_url;

    #[test]
    fn sts_endpoints_are_https_unless_a_loopback_test_server() {
        for (given, used) in [
            ("sts.cn-hangzhou.aliyuncs.com", "https://sts.cn-hangzhou.aliyuncs.com"),
            (
                " http://sts-vpc.cn-hangzhou.aliyuncs.com/ ",
                "https://sts-vpc.cn-hangzhou.aliyuncs.com",
            ),
            ("https://sts.aliyuncs.com", "https://sts.aliyuncs.com"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://localhost:1", "http://localhost:1"),
            ("http://[::1]:9", "http://[::1]:9"),
            ("http://127.0.0.1.example.com", "https://127.0.0.1.example.com"),
        ] {
            assert_eq!(sts_url(given), used, "{given}");
        }
    }
}
