//! ECS RAM role credentials from the instance metadata service: token-based (v2) first, then v1.

use std::time::Duration;

use super::sts::CodedCredentials;
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// The metadata service's address on ECS.
pub const DEFAULT_IMDS_ENDPOINT: &str = "http://100.100.100.200";

/// How long [`EcsRamRole::probe`] waits for the metadata service to answer at all.
pub(crate) const PROBE_TIMEOUT: Duration = Duration::from_secs(1);
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";

/// Temporary credentials of the ECS instance's RAM role. Uncached: wrap it in
/// [`CachedCredentials`](super::CachedCredentials) (the default chain does).
#[derive(Debug, Clone)]
pub struct EcsRamRole {
    role_name: Option<String>,
    endpoint: String,
    imds_v1: bool,
}

impl Default for EcsRamRole {
    fn default() -> Self {
        EcsRamRole {
            role_name: None,
            endpoint: DEFAULT_IMDS_ENDPOINT.to_owned(),
            imds_v1: true,
        }
    }
}

impl EcsRamRole {
    /// The instance's role, found from the metadata service.
    pub fn new() -> Self {
        Self::default()
    }

    /// A given role name (skips looking it up).
    pub fn role_name(mut self, name: impl Into<String>) -> Self {
        self.role_name = Some(name.into()).filter(|n: &String| !n.is_empty());
        self
    }

    /// Whether to fall back to the v1 metadata service (no session token) when v2 offers no token (default
    /// `true`; `ALIBABA_CLOUD_IMDSV1_DISABLED=true` turns it off in the default chain).
    pub fn imds_v1(mut self, allowed: bool) -> Self {
        self.imds_v1 = allowed;
        self
    }

    /// Another metadata endpoint (a test server).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into().trim_end_matches('/').to_owned();
        self
    }

    /// Whether a metadata service answers at the endpoint within one second (a session token, or, from a
    /// v1-only service, the list of roles). Off Alibaba Cloud the address leads nowhere, and this says so in at most that
    /// long: the default chain asks before it waits for a role.
    pub async fn probe(&self) -> bool {
        let Ok(http) = super::http_client(PROBE_TIMEOUT, PROBE_TIMEOUT, false) else {
            return false;
        };
        let probe = async {
            let token = http
                .put(format!("{}/latest/api/token", self.endpoint))
                .header(TOKEN_TTL_HEADER, "21600")
                .send()
                .await
                .ok()?;
            if token.status().is_success() {
                return Some(true);
            }
            // Some answer, but no session token: a v1-only service lists roles (or has none: 404); anything
            // else (a proxy's or a captive portal's page) is not a metadata service.
            let roles = http
                .get(format!("{}{CREDENTIALS_PATH}", self.endpoint))
                .send()
                .await
                .ok()?;
            Some(roles.status().is_success() || roles.status() == reqwest::StatusCode::NOT_FOUND)
        };
        matches!(tokio::time::timeout(PROBE_TIMEOUT, probe).await, Ok(Some(true)))
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let fail = |step: &'static str, reason: String| CredentialsError::Imds { step, reason };
        let http =
            super::http_client(Duration::from_secs(1), Duration::from_secs(5), false).map_err(|e| fail("client", e))?;
        // v2: a session token; if the service does not offer one, fall back to v1 (no token).
        let token = match http
            .put(format!("{}/latest/api/token", self.endpoint))
            .header(TOKEN_TTL_HEADER, "21600")
            .send()
            .await
        {
            Ok(r) if r.status().is_success() => r.text().await.ok().filter(|t| !t.is_empty()),
            _ => None,
        };
        if token.is_none() && !self.imds_v1 {
            return Err(fail(
                "session token",
                "the metadata service offered no v2 session token, and v1 is disabled".to_owned(),
            ));
        }
        let get = |path: String| {
            let mut req = http.get(format!("{}{path}", self.endpoint));
            if let Some(t) = &token {
                req = req.header(TOKEN_HEADER, t);
            }
            req
        };
        let text = |step: &'static str, r: Result<reqwest::Response, reqwest::Error>| async move {
            let r = r.map_err(|e| fail(step, e.without_url().to_string()))?;
            let status = r.status();
            let body = r.text().await.map_err(|e| fail(step, e.without_url().to_string()))?;
            if status.is_success() {
                Ok(body)
            } else {
                Err(fail(step, format!("HTTP {status}")))
            }
        };
        let role = match &self.role_name {
            Some(r) => r.clone(),
            None => {
                let list = text("role name", get(CREDENTIALS_PATH.to_owned()).send().await).await?;
                list.lines()
                    .next()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| fail("role name", "the instance has no RAM role attached".to_owned()))?
            }
        };
        let body = text("credentials", get(format!("{CREDENTIALS_PATH}{role}")).send().await).await?;
        let answer: CodedCredentials =
            serde_json::from_str(&body).map_err(|e| fail("credentials", format!("not the expected JSON: {e}")))?;
        if answer.code.as_deref().is_some_and(|c| c != "Success") {
            return Err(fail(
                "credentials",
                format!("the service answered Code {:?}", answer.code.unwrap_or_default()),
            ));
        }
        answer
            .credentials
            .into_credentials()
            .map_err(|e| fail("credentials", e))
    }
}

impl ProvideCredentials for EcsRamRole {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}
