//! The aliyun CLI's profile file (`~/.aliyun/config.json`): modes AK, StsToken, RamRoleArn, EcsRamRole,
//! RamRoleArnWithRoleName, ChainableRamRoleArn, OIDC, External, CredentialsURI, CloudSSO and OAuth.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::de::MapAccess;

use crate::de::{skip_value, DecodeFields, ListOf, OptSeed};

use super::sign_in::{cached_sts, CloudSso, OAuth, OAuthSite, OAuthTokens, WriteBack};
use super::sts::REFRESH_MARGIN;
use super::{
    AssumeRole, CachedCredentials, Credentials, CredentialsError, CredentialsUri, EcsRamRole, OidcRoleArn,
    ProvideCredentials, ProvideFuture, ENV_CREDENTIALS_URI,
};

/// `1` or `true` (any case): profiles of modes External and CredentialsURI are refused (the aliyun CLI's switch,
/// v3.4.3 on), for a machine where a config file must not make the SDK run a program or call a URL.
pub const ENV_DISABLE_EXTERNAL_PROCESS: &str = "ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS";

/// Credentials from one profile of the aliyun CLI's `config.json`. The file is read once, on first use; what a
/// `CloudSSO` or `OAuth` profile obtains later (refreshed tokens, STS credentials) is written back to that
/// profile, safely (see the crate guide's credentials section).
pub struct ProfileFile {
    path: PathBuf,
    profile: Option<String>,
    imds_endpoint: Option<String>,
    sts_endpoint: Option<String>,
    oauth_base_url: Option<String>,
    env: super::chain::Lookup,
    resolved: tokio::sync::OnceCell<Arc<dyn ProvideCredentials>>,
}

impl std::fmt::Debug for ProfileFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileFile")
            .field("path", &self.path)
            .field("profile", &self.profile)
            .field("resolved", &self.resolved.get())
            .finish_non_exhaustive()
    }
}

/// The parts of the aliyun CLI's `config.json` that name credentials.
#[derive(Default)]
struct ConfigFile {
    current: Option<String>,
    profiles: Vec<Profile>,
}

#[derive(Default)]
struct Profile {
    name: String,
    mode: String,
    access_key_id: String,
    access_key_secret: String,
    sts_token: String,
    ram_role_name: String,
    ram_role_arn: String,
    ram_session_name: String,
    expired_seconds: u32,
    sts_endpoint: String,
    sts_region: String,
    source_profile: String,
    oidc_provider_arn: String,
    oidc_token_file: String,
    process_command: String,
    external_id: String,
    credentials_uri: String,
    cloud_sso_sign_in_url: String,
    cloud_sso_account_id: String,
    cloud_sso_access_config: String,
    access_token: String,
    cloud_sso_access_token_expire: u64,
    oauth_site_type: String,
    oauth_access_token: String,
    oauth_refresh_token: String,
    oauth_access_token_expire: u64,
    sts_expiration: u64,
}

impl DecodeFields for ConfigFile {
    const NAME: &'static str = "config.json";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "current" => self.current = map.next_value_seed(OptSeed::new())?,
            "profiles" => self.profiles = map.next_value_seed(ListOf::bare())?.unwrap_or_default(),
            _ => skip_value(map)?,
        }
        Ok(())
    }
}

impl DecodeFields for Profile {
    const NAME: &'static str = "profile";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let text = match key {
            "name" => &mut self.name,
            "mode" => &mut self.mode,
            "access_key_id" => &mut self.access_key_id,
            "access_key_secret" => &mut self.access_key_secret,
            "sts_token" => &mut self.sts_token,
            "ram_role_name" => &mut self.ram_role_name,
            "ram_role_arn" => &mut self.ram_role_arn,
            "ram_session_name" => &mut self.ram_session_name,
            "sts_endpoint" => &mut self.sts_endpoint,
            "sts_region" => &mut self.sts_region,
            "source_profile" => &mut self.source_profile,
            "oidc_provider_arn" => &mut self.oidc_provider_arn,
            "oidc_token_file" => &mut self.oidc_token_file,
            "process_command" => &mut self.process_command,
            "external_id" => &mut self.external_id,
            "credentials_uri" => &mut self.credentials_uri,
            "cloud_sso_sign_in_url" => &mut self.cloud_sso_sign_in_url,
            "cloud_sso_account_id" => &mut self.cloud_sso_account_id,
            "cloud_sso_access_config" => &mut self.cloud_sso_access_config,
            "access_token" => &mut self.access_token,
            "oauth_site_type" => &mut self.oauth_site_type,
            "oauth_access_token" => &mut self.oauth_access_token,
            "oauth_refresh_token" => &mut self.oauth_refresh_token,
            "cloud_sso_access_token_expire" | "oauth_access_token_expire" | "sts_expiration" => {
                // Unix seconds; a negative or fractional value counts as unknown (0).
                let value: Option<serde_json::Value> = map.next_value_seed(OptSeed::new())?;
                let secs = value.as_ref().and_then(serde_json::Value::as_u64).unwrap_or(0);
                match key {
                    "cloud_sso_access_token_expire" => self.cloud_sso_access_token_expire = secs,
                    "oauth_access_token_expire" => self.oauth_access_token_expire = secs,
                    _ => self.sts_expiration = secs,
                }
                return Ok(());
            }
            "expired_seconds" => {
                let secs: Option<i64> = map.next_value_seed(OptSeed::new())?;
                self.expired_seconds = secs.map_or(Ok(0), u32::try_from).map_err(|_| {
                    serde::de::Error::custom(format!("expired_seconds {} is out of range", secs.unwrap_or_default()))
                })?;
                return Ok(());
            }
            _ => return skip_value(map),
        };
        *text = map.next_value_seed(OptSeed::<String>::new())?.unwrap_or_default();
        Ok(())
    }
}

crate::__private::decode_via_fields!(ConfigFile);

crate::__private::decode_via_fields!(Profile);

impl ProfileFile {
    /// The profile `profile` (or the file's `current` one when `None`) of the file at `path`.
    pub fn new(path: impl Into<PathBuf>, profile: Option<String>) -> Self {
        ProfileFile {
            path: path.into(),
            profile,
            imds_endpoint: None,
            sts_endpoint: None,
            oauth_base_url: None,
            env: Arc::new(|name| std::env::var(name).ok()),
            resolved: tokio::sync::OnceCell::new(),
        }
    }

    /// Reads environment variables (`ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS`, `ALIBABA_CLOUD_CREDENTIALS_URI`)
    /// through `lookup` instead of the process environment.
    pub fn env(mut self, lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        self.env = Arc::new(lookup);
        self
    }

    /// Another address for the OAuth service of an `OAuth` profile than its site's (`https://oauth.aliyun.com`
    /// for `CN`, `https://oauth.alibabacloud.com` for `INTL`): a test server.
    pub fn oauth_base_url(mut self, url: impl Into<String>) -> Self {
        self.oauth_base_url = Some(url.into().trim_end_matches('/').to_owned());
        self
    }

    /// `~/.aliyun/config.json`, if the home folder is known.
    pub fn default_path() -> Option<PathBuf> {
        super::home_file(".aliyun/config.json")
    }

    /// The metadata endpoint used by an `EcsRamRole` profile (for tests).
    pub fn imds_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.imds_endpoint = Some(endpoint.into());
        self
    }

    /// The STS endpoint of a role profile that names none (`sts_endpoint`, `sts_region`); the default chain sets
    /// the one `ALIBABA_CLOUD_STS_REGION` and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED` select.
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Whether the file exists (the default chain skips a missing file).
    pub fn exists(&self) -> bool {
        self.path.is_file()
    }

    fn resolve(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let fail = |reason: String| CredentialsError::Profile {
            path: self.path.display().to_string(),
            reason,
        };
        let text = std::fs::read_to_string(&self.path).map_err(|e| fail(format!("cannot read: {e}")))?;
        let file: ConfigFile =
            serde_json::from_str(&text).map_err(|e| fail(format!("not a valid config.json: {e}")))?;
        let named = |n: &Option<String>| n.clone().filter(|n| !n.trim().is_empty());
        let name = named(&self.profile)
            .or_else(|| named(&file.current))
            .unwrap_or_else(|| "default".to_owned());
        self.provider_for(&file.profiles, &name, &mut Vec::new())
    }

    /// The provider of profile `name`; `chain` holds the profiles that lead to it (`source_profile`), so a cycle
    /// is an error, not an endless recursion.
    fn provider_for(
        &self,
        profiles: &[Profile],
        name: &str,
        chain: &mut Vec<String>,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let fail = |reason: String| CredentialsError::Profile {
            path: self.path.display().to_string(),
            reason,
        };
        if chain.iter().any(|n| n == name) {
            return Err(fail(format!(
                "source_profile makes a cycle: {} -> {name}",
                chain.join(" -> ")
            )));
        }
        chain.push(name.to_owned());
        let p = profiles
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| fail(format!("no profile named {name:?}")))?;
        let need = |value: &str, key: &str| {
            if value.is_empty() {
                Err(fail(format!("profile {name:?} (mode {}) has no {key}", p.mode)))
            } else {
                Ok(())
            }
        };
        // As the CLI orders them: the profile's endpoint, the environment's, the profile's region, the chain's.
        let sts_endpoint = || {
            let from_env = (self.env)(super::ENV_STS_ENDPOINT).filter(|e| !e.trim().is_empty());
            if !p.sts_endpoint.is_empty() {
                Some(super::chain::sts_url(&p.sts_endpoint))
            } else if let Some(e) = from_env {
                Some(super::chain::sts_url(&e))
            } else if !p.sts_region.is_empty() {
                Some(super::sts_endpoint(Some(&p.sts_region), false))
            } else {
                self.sts_endpoint.clone()
            }
        };
        let assume = |source: Arc<dyn ProvideCredentials>| -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
            need(&p.ram_role_arn, "ram_role_arn")?;
            let mut role = AssumeRole::from_arc(source, &p.ram_role_arn);
            if !p.ram_session_name.is_empty() {
                role = role.session_name(&p.ram_session_name);
            }
            if p.expired_seconds > 0 {
                role = role.duration_secs(p.expired_seconds);
            }
            if let Some(e) = sts_endpoint() {
                role = role.endpoint(e);
            }
            if !p.external_id.is_empty() {
                role = role.external_id(&p.external_id);
            }
            Ok(Arc::new(CachedCredentials::new(role)))
        };
        let provider: Arc<dyn ProvideCredentials> = match p.mode.as_str() {
            "AK" => {
                need(&p.access_key_id, "access_key_id")?;
                need(&p.access_key_secret, "access_key_secret")?;
                Arc::new(Credentials::new(&p.access_key_id, &p.access_key_secret))
            }
            "StsToken" => {
                need(&p.access_key_id, "access_key_id")?;
                need(&p.access_key_secret, "access_key_secret")?;
                need(&p.sts_token, "sts_token")?;
                Arc::new(Credentials::with_security_token(
                    &p.access_key_id,
                    &p.access_key_secret,
                    &p.sts_token,
                ))
            }
            "RamRoleArn" => {
                need(&p.access_key_id, "access_key_id")?;
                need(&p.access_key_secret, "access_key_secret")?;
                // Signed with the profile's STS token too when it has one, as the CLI signs.
                let key = if p.sts_token.is_empty() {
                    Credentials::new(&p.access_key_id, &p.access_key_secret)
                } else {
                    Credentials::with_security_token(&p.access_key_id, &p.access_key_secret, &p.sts_token)
                };
                assume(Arc::new(key))?
            }
            "ChainableRamRoleArn" => {
                need(&p.source_profile, "source_profile")?;
                let source = self.provider_for(profiles, &p.source_profile, chain)?;
                assume(source)?
            }
            "EcsRamRole" => {
                let mut role = EcsRamRole::new()
                    .role_name(&p.ram_role_name)
                    .imds_v1(self.imds_v1_allowed());
                if let Some(e) = &self.imds_endpoint {
                    role = role.endpoint(e);
                }
                Arc::new(CachedCredentials::new(role))
            }
            "OIDC" => {
                need(&p.ram_role_arn, "ram_role_arn")?;
                need(&p.oidc_provider_arn, "oidc_provider_arn")?;
                need(&p.oidc_token_file, "oidc_token_file")?;
                let mut role = OidcRoleArn::new(&p.ram_role_arn, &p.oidc_provider_arn, &p.oidc_token_file);
                if !p.ram_session_name.is_empty() {
                    role = role.session_name(&p.ram_session_name);
                }
                if p.expired_seconds > 0 {
                    role = role.duration_secs(p.expired_seconds);
                }
                if let Some(e) = sts_endpoint() {
                    role = role.endpoint(e);
                }
                Arc::new(role.cached())
            }
            "RamRoleArnWithRoleName" => {
                // The instance's role (named, or found) signs the AssumeRole of `ram_role_arn`.
                let mut role = EcsRamRole::new()
                    .role_name(&p.ram_role_name)
                    .imds_v1(self.imds_v1_allowed());
                if let Some(e) = &self.imds_endpoint {
                    role = role.endpoint(e);
                }
                assume(Arc::new(CachedCredentials::new(role)))?
            }
            "External" => {
                self.external_allowed(name, &p.mode)?;
                need(&p.process_command, "process_command")?;
                Arc::new(CachedCredentials::new(ExternalProcess::new(&p.process_command)))
            }
            "CredentialsURI" => {
                self.external_allowed(name, &p.mode)?;
                let uri = Some(p.credentials_uri.clone())
                    .filter(|u| !u.is_empty())
                    .or_else(|| (self.env)(ENV_CREDENTIALS_URI).filter(|u| !u.trim().is_empty()))
                    .ok_or_else(|| fail(format!("profile {name:?} (mode CredentialsURI) has no credentials_uri, and {ENV_CREDENTIALS_URI} is not set")))?;
                Arc::new(CachedCredentials::new(
                    CredentialsUri::new(uri.trim()).expiration_optional(),
                ))
            }
            "CloudSSO" => {
                need(&p.cloud_sso_sign_in_url, "cloud_sso_sign_in_url")?;
                need(&p.cloud_sso_account_id, "cloud_sso_account_id")?;
                need(&p.cloud_sso_access_config, "cloud_sso_access_config")?;
                let sso = CloudSso {
                    profile: name.to_owned(),
                    sign_in_url: p.cloud_sso_sign_in_url.clone(),
                    account_id: p.cloud_sso_account_id.clone(),
                    access_config: p.cloud_sso_access_config.clone(),
                    access_token: std::sync::Mutex::new((p.access_token.clone(), p.cloud_sso_access_token_expire)),
                    write_back: Some(self.write_back_to(name)),
                };
                Arc::new(CachedCredentials::with_cached(sso, self.cached_sts_of(p)))
            }
            "OAuth" => {
                need(&p.oauth_site_type, "oauth_site_type")?;
                let site = OAuthSite::parse(&p.oauth_site_type).ok_or_else(|| {
                    fail(format!(
                        "profile {name:?} has oauth_site_type {:?}; expected \"CN\" or \"INTL\"",
                        p.oauth_site_type
                    ))
                })?;
                let oauth = OAuth {
                    profile: name.to_owned(),
                    site,
                    base_url: self
                        .oauth_base_url
                        .clone()
                        .unwrap_or_else(|| site.base_url().to_owned()),
                    tokens: std::sync::Mutex::new(OAuthTokens {
                        access_token: p.oauth_access_token.clone(),
                        refresh_token: p.oauth_refresh_token.clone(),
                        access_token_expire: p.oauth_access_token_expire,
                    }),
                    // The tokens go back to this profile, the OAuth one, even when a ChainableRamRoleArn profile
                    // led here (credentials-python#75 wrote them into the chained profile).
                    write_back: Some(self.write_back_to(name)),
                };
                Arc::new(CachedCredentials::with_cached(oauth, self.cached_sts_of(p)))
            }
            other => {
                return Err(CredentialsError::UnsupportedMode {
                    profile: name.to_owned(),
                    mode: other.to_owned(),
                })
            }
        };
        chain.pop();
        Ok(provider)
    }

    /// Whether the metadata service's v1 (no session token) may be used: not when
    /// `ALIBABA_CLOUD_IMDSV1_DISABLED` is `true`.
    fn imds_v1_allowed(&self) -> bool {
        !(self.env)(super::ENV_IMDSV1_DISABLED).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }

    /// Refuses modes that run a program or call a URL when `ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS` says so.
    fn external_allowed(&self, name: &str, mode: &str) -> Result<(), CredentialsError> {
        let value = (self.env)(ENV_DISABLE_EXTERNAL_PROCESS).unwrap_or_default();
        let value = value.trim();
        if value == "1" || value.eq_ignore_ascii_case("true") {
            return Err(CredentialsError::Profile {
                path: self.path.display().to_string(),
                reason: format!(
                    "profile {name:?} has mode {mode}, which {ENV_DISABLE_EXTERNAL_PROCESS}={value} turns off"
                ),
            });
        }
        Ok(())
    }

    fn write_back_to(&self, name: &str) -> WriteBack {
        WriteBack {
            path: self.path.clone(),
            profile: name.to_owned(),
        }
    }

    /// The STS credentials the CLI saved in a sign-in profile, if still good for more than the refresh margin.
    fn cached_sts_of(&self, p: &Profile) -> Option<Credentials> {
        cached_sts(
            &p.access_key_id,
            &p.access_key_secret,
            &p.sts_token,
            p.sts_expiration,
            REFRESH_MARGIN,
        )
    }
}

/// How long an `External` profile's command may run.
pub const EXTERNAL_PROCESS_TIMEOUT: Duration = Duration::from_secs(60);

/// The program an External command line runs (its first word), for messages.
fn program_of(command: &str) -> String {
    shlex::split(command)
        .and_then(|words| words.into_iter().next())
        .unwrap_or_else(|| command.split_whitespace().next().unwrap_or_default().to_owned())
}

/// An `External` profile's command: run with no shell, its words split as a POSIX shell would (quotes group,
/// `\` escapes; what the aliyun CLI does since 3.4.9), its standard output a JSON object
/// `{"mode": "AK" | "StsToken", "access_key_id", "access_key_secret", "sts_token", "expiration"}`. `Debug` shows
/// the program only, not its arguments (which may carry secrets).
#[derive(Clone)]
pub struct ExternalProcess {
    command: String,
    timeout: Duration,
}

impl std::fmt::Debug for ExternalProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExternalProcess")
            .field("program", &program_of(&self.command))
            .field("timeout", &self.timeout)
            .finish()
    }
}

#[derive(Default)]
struct ExternalAnswer {
    mode: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    sts_token: Option<String>,
    expiration: Option<String>,
}

impl DecodeFields for ExternalAnswer {
    const NAME: &'static str = "process_command output";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let slot = match key {
            "mode" => &mut self.mode,
            "access_key_id" => &mut self.access_key_id,
            "access_key_secret" => &mut self.access_key_secret,
            "sts_token" => &mut self.sts_token,
            "expiration" => &mut self.expiration,
            _ => return skip_value(map),
        };
        *slot = map.next_value_seed(OptSeed::new())?;
        Ok(())
    }
}

crate::__private::decode_via_fields!(ExternalAnswer);

impl ExternalProcess {
    /// The command line to run.
    pub fn new(command: impl Into<String>) -> Self {
        ExternalProcess {
            command: command.into(),
            timeout: EXTERNAL_PROCESS_TIMEOUT,
        }
    }

    /// How long the command may run (default [`EXTERNAL_PROCESS_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn run(&self) -> Result<Credentials, CredentialsError> {
        let program = program_of(&self.command);
        let fail = |reason: String| CredentialsError::External {
            program: program.clone(),
            reason,
        };
        let words = shlex::split(&self.command)
            .ok_or_else(|| fail("the command has an unclosed quote or ends with a lone `\\`".to_owned()))?;
        let mut words = words.into_iter();
        let first = words.next().ok_or_else(|| fail("the command is empty".to_owned()))?;
        let mut command = tokio::process::Command::new(first);
        command
            .args(words)
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        let output = tokio::time::timeout(self.timeout, command.output())
            .await
            .map_err(|_| fail(format!("did not finish within {:?}", self.timeout)))?
            .map_err(|e| fail(format!("cannot run: {e}")))?;
        if !output.status.success() {
            // Its standard error, not its output: the output may hold secrets.
            let err = String::from_utf8_lossy(&output.stderr);
            return Err(fail(format!(
                "exited with {}: {}",
                output.status,
                err.trim().chars().take(200).collect::<String>()
            )));
        }
        let answer: ExternalAnswer = serde_json::from_slice(&output.stdout).map_err(|e| {
            fail(format!(
                "its output is not the expected JSON (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        let need = |v: Option<String>, key: &str| {
            v.filter(|v| !v.is_empty())
                .ok_or_else(|| fail(format!("its output has no {key}")))
        };
        let id = need(answer.access_key_id, "access_key_id")?;
        let secret = need(answer.access_key_secret, "access_key_secret")?;
        match answer.mode.as_deref() {
            Some("AK") => Ok(Credentials::new(id, secret)),
            Some("StsToken") => {
                let token = need(answer.sts_token, "sts_token")?;
                let mut c = Credentials::with_security_token(id, secret, token);
                if let Some(e) = answer.expiration.filter(|e| !e.is_empty()) {
                    let at =
                        super::sts::parse_expiration(&e).ok_or_else(|| fail(format!("unreadable expiration {e:?}")))?;
                    c = c.with_expiration(at);
                }
                Ok(c)
            }
            other => Err(fail(format!(
                "its output has mode {other:?}; expected \"AK\" or \"StsToken\""
            ))),
        }
    }
}

impl ProvideCredentials for ExternalProcess {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.run())
    }
}

impl ProvideCredentials for ProfileFile {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let provider = self.resolved.get_or_try_init(|| async { self.resolve() }).await?;
            provider.provide_credentials().await
        })
    }
}
