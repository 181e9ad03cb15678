//! OIDC role credentials (RAM Roles for Service Accounts, RRSA, on Kubernetes): STS `AssumeRoleWithOIDC`, unsigned,
//! with the OIDC token read afresh from its file at every refresh, as credentials-go's `OIDCCredentialsProvider`.

use std::path::PathBuf;
use std::time::Duration;

use serde::de::MapAccess;

use super::sts::StsCredentials;
use super::{CachedCredentials, Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::de::{skip_value, DecodeFields, OptSeed};
use crate::error::Redactor;

/// The role to assume (`acs:ram::123456:role/name`).
pub const ENV_ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// The OIDC identity provider (`acs:ram::123456:oidc-provider/name`).
pub const ENV_OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// The file holding the OIDC token (a projected service-account token, rotated by the platform).
pub const ENV_OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
/// The session name (otherwise one is generated).
pub const ENV_ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
/// The region whose STS endpoint to use (`sts.<region>.aliyuncs.com`); otherwise `sts.aliyuncs.com`.
pub const ENV_STS_REGION: &str = "ALIBABA_CLOUD_STS_REGION";
/// `true`: use the region's VPC endpoint (`sts-vpc.<region>.aliyuncs.com`).
pub const ENV_VPC_ENDPOINT_ENABLED: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";

/// The STS endpoint the official SDKs use for these settings: `https://sts.aliyuncs.com`, or the region's
/// (`sts.<region>.aliyuncs.com`, `sts-vpc.<region>.aliyuncs.com` when `vpc`).
pub fn sts_endpoint(region: Option<&str>, vpc: bool) -> String {
    match region.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if vpc => format!("https://sts-vpc.{r}.aliyuncs.com"),
        Some(r) => format!("https://sts.{r}.aliyuncs.com"),
        None => super::sts::DEFAULT_STS_ENDPOINT.to_owned(),
    }
}

/// Temporary credentials of a RAM role assumed with an OIDC token (RRSA). The request is not signed: the token is
/// the proof. Wrap it in [`CachedCredentials`] (as [`OidcRoleArn::cached`] does) so that it is called once per
/// lifetime; each call reads the token file again, so a rotated token is used.
#[derive(Debug, Clone)]
pub struct OidcRoleArn {
    role_arn: String,
    provider_arn: String,
    token_file: PathBuf,
    session_name: Option<String>,
    duration_secs: u32,
    policy: Option<String>,
    endpoint: String,
}

#[derive(Default)]
struct OidcAnswer {
    code: Option<String>,
    message: Option<String>,
    credentials: Option<StsCredentials>,
}

impl DecodeFields for OidcAnswer {
    const NAME: &'static str = "AssumeRoleWithOIDC answer";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "Code" => self.code = map.next_value_seed(OptSeed::new())?,
            "Message" => self.message = map.next_value_seed(OptSeed::new())?,
            "Credentials" => self.credentials = map.next_value_seed(OptSeed::new())?,
            _ => skip_value(map)?,
        }
        Ok(())
    }
}

crate::__private::decode_via_fields!(OidcAnswer);

impl OidcRoleArn {
    /// Assumes `role_arn` through the identity provider `provider_arn`, with the token in `token_file`, for sessions
    /// of one hour.
    pub fn new(role_arn: impl Into<String>, provider_arn: impl Into<String>, token_file: impl Into<PathBuf>) -> Self {
        OidcRoleArn {
            role_arn: role_arn.into(),
            provider_arn: provider_arn.into(),
            token_file: token_file.into(),
            session_name: None,
            duration_secs: 3600,
            policy: None,
            endpoint: super::sts::DEFAULT_STS_ENDPOINT.to_owned(),
        }
    }

    /// From `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` (all three
    /// needed: `None` otherwise), `ALIBABA_CLOUD_ROLE_SESSION_NAME`, `ALIBABA_CLOUD_STS_REGION` and
    /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`, read through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let mut provider = OidcRoleArn::new(
            get(ENV_ROLE_ARN)?,
            get(ENV_OIDC_PROVIDER_ARN)?,
            get(ENV_OIDC_TOKEN_FILE)?,
        );
        provider.session_name = get(ENV_ROLE_SESSION_NAME);
        let vpc = get(ENV_VPC_ENDPOINT_ENABLED).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        provider.endpoint = sts_endpoint(get(ENV_STS_REGION).as_deref(), vpc);
        Some(provider)
    }

    /// The session name recorded in the role's audit trail (default: generated, `domain-sdk-<milliseconds>`).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long the temporary credentials last: at least 900 seconds (default 3600).
    pub fn duration_secs(mut self, secs: u32) -> Self {
        self.duration_secs = secs;
        self
    }

    /// A policy that further restricts the session (a JSON document).
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// Another STS endpoint (a regional one, or a test server).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into().trim_end_matches('/').to_owned();
        self
    }

    /// The STS endpoint it asks.
    pub fn sts_endpoint(&self) -> &str {
        &self.endpoint
    }

    /// This provider behind a cache: the usual way to use it.
    pub fn cached(self) -> CachedCredentials<Self> {
        CachedCredentials::new(self)
    }

    async fn assume(&self) -> Result<Credentials, CredentialsError> {
        let fail = |reason: String| CredentialsError::Oidc {
            role_arn: self.role_arn.clone(),
            reason,
        };
        if self.duration_secs < 900 {
            return Err(fail(format!(
                "DurationSeconds is {}; it must be at least 900",
                self.duration_secs
            )));
        }
        let token = std::fs::read_to_string(&self.token_file).map_err(|e| {
            fail(format!(
                "cannot read the OIDC token file {}: {e}",
                self.token_file.display()
            ))
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(fail(format!(
                "the OIDC token file {} is empty",
                self.token_file.display()
            )));
        }
        let session = self.session_name.clone().unwrap_or_else(|| {
            let millis = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis());
            format!("domain-sdk-{millis}")
        });
        let duration = self.duration_secs.to_string();
        let timestamp = crate::clock::format_utc(crate::clock::unix_now());
        let query = crate::signing::canonical_query(&[
            ("Action", "AssumeRoleWithOIDC"),
            ("Format", "JSON"),
            ("Version", "2015-04-01"),
            ("Timestamp", timestamp.as_str()),
        ]);
        let mut form = vec![
            ("RoleArn", self.role_arn.as_str()),
            ("OIDCProviderArn", self.provider_arn.as_str()),
            ("OIDCToken", token),
            ("RoleSessionName", session.as_str()),
            ("DurationSeconds", duration.as_str()),
        ];
        if let Some(p) = &self.policy {
            form.push(("Policy", p));
        }
        // Whatever STS echoes of the token stays out of errors.
        let redactor = Redactor::new([token]);
        let http = super::http_client(Duration::from_secs(5), Duration::from_secs(10), true).map_err(fail)?;
        let request = http
            .post(format!("{}/?{query}", self.endpoint))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(crate::signing::canonical_query(&form));
        let (status, body) = super::send_for_text(request).await.map_err(fail)?;
        let answer: OidcAnswer = serde_json::from_str(&body).map_err(|_| {
            fail(format!(
                "HTTP {status}, and the answer is not JSON: {:?}",
                redactor.excerpt(body.as_bytes(), 200)
            ))
        })?;
        if !status.is_success() || answer.code.is_some() {
            return Err(fail(format!(
                "HTTP {status}: {} {}",
                answer.code.as_deref().unwrap_or("<no code>"),
                redactor.apply(answer.message.as_deref().unwrap_or_default())
            )));
        }
        answer
            .credentials
            .ok_or_else(|| fail("the answer has no Credentials".to_owned()))?
            .into_credentials()
            .map_err(fail)
    }
}

impl ProvideCredentials for OidcRoleArn {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.assume())
    }
}
