//! STS `AssumeRole` (RamRoleArn) and the cache that keeps temporary credentials until shortly before they expire.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::de::MapAccess;

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::de::{skip_value, DecodeFields, OptSeed};
use crate::request::{HttpMethod, OperationRequest};

/// Credentials are refreshed when they expire within this margin.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(180);
/// After a failed refresh, cached credentials that are still valid are served for this long before the next try.
pub(crate) const RETRY_AFTER_FAILED_REFRESH: Duration = Duration::from_secs(10);
/// Cached credentials this close to expiry are not served after a failed refresh: a request signed with them
/// could arrive after they expired.
pub(crate) const LAST_USABLE: Duration = Duration::from_secs(15);

/// How long the error of a failed refresh is given to callers without asking the source again, when there are
/// no cached credentials to serve instead: a failing source is not asked once per queued call.
pub(crate) const REMEMBER_FAILURE: Duration = Duration::from_secs(2);

/// Caches a provider's temporary credentials and refreshes them ahead of expiry: from three minutes before it,
/// so that a failing source has time to recover. One refresh runs at a time; while it runs, callers get the
/// cached credentials if they are still valid, and wait for it only otherwise. When a refresh fails while the
/// cached credentials are still valid, calls keep getting those (a warning is logged) and the refresh is tried
/// again ten seconds later; only when they are about to expire does the source's error reach the caller (and
/// callers arriving in the next two seconds get that error without the source being asked again).
#[derive(Debug)]
pub struct CachedCredentials<P> {
    inner: P,
    state: std::sync::Mutex<CacheState>,
    /// Held by the one refresh under way.
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct CacheState {
    cached: Option<Credentials>,
    /// Set after a failed refresh while credentials were still valid: no new try before then.
    next_try: Option<std::time::Instant>,
    /// The last refresh's error, when nothing valid was cached, and until when it is given out.
    failure: Option<(CredentialsError, std::time::Instant)>,
}

impl<P: ProvideCredentials> CachedCredentials<P> {
    /// Wraps `inner`.
    pub fn new(inner: P) -> Self {
        Self::with_cached(inner, None)
    }

    /// Wraps `inner`, starting from credentials obtained earlier (a profile's cached STS credentials).
    pub(crate) fn with_cached(inner: P, cached: Option<Credentials>) -> Self {
        CachedCredentials {
            inner,
            state: std::sync::Mutex::new(CacheState {
                cached,
                ..CacheState::default()
            }),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, CacheState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What the cache can answer without the source: credentials to serve, a recent failure, or nothing.
    fn answer_from_cache(&self, refresh_under_way: bool) -> Option<Result<Credentials, CredentialsError>> {
        let state = self.state();
        let now = std::time::Instant::now();
        if let Some(c) = &state.cached {
            let backing_off = state.next_try.is_some_and(|t| now < t);
            if fresh(c) || ((backing_off || refresh_under_way) && usable(c)) {
                return Some(Ok(c.clone()));
            }
        }
        match &state.failure {
            Some((e, until)) if now < *until => Some(Err(e.clone())),
            _ => None,
        }
    }
}

/// How long `c` stays valid (`None`: it does not expire).
fn time_left(c: &Credentials) -> Option<Duration> {
    c.expiration()
        .map(|at| at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// Whether `c` can be served without asking the source again: temporary credentials until the refresh margin;
/// an STS token of unknown lifetime never (it expires, and nothing says when: the source is asked every time).
fn fresh(c: &Credentials) -> bool {
    match time_left(c) {
        None => c.security_token().is_none(),
        Some(left) => left > REFRESH_MARGIN,
    }
}

fn usable(c: &Credentials) -> bool {
    time_left(c).is_none_or(|left| left > LAST_USABLE)
}

impl<P: ProvideCredentials> ProvideCredentials for CachedCredentials<P> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let gate = match self.refreshing.try_lock() {
                Ok(gate) => gate,
                Err(_) => {
                    // A refresh is under way: valid cached credentials need not wait for it.
                    if let Some(answer) = self.answer_from_cache(true) {
                        return answer;
                    }
                    self.refreshing.lock().await
                }
            };
            // Under the gate: another caller's refresh may have just answered.
            if let Some(answer) = self.answer_from_cache(false) {
                return answer;
            }
            tracing::debug!(provider = ?self.inner, "refreshing temporary credentials");
            let outcome = self.inner.provide_credentials().await;
            let mut state = self.state();
            let now = std::time::Instant::now();
            let answer = match outcome {
                Ok(c) => {
                    *state = CacheState {
                        cached: Some(c.clone()),
                        ..CacheState::default()
                    };
                    Ok(c)
                }
                Err(e) => match state.cached.clone().filter(usable) {
                    Some(c) => {
                        state.next_try = Some(now + RETRY_AFTER_FAILED_REFRESH);
                        tracing::warn!(
                            provider = ?self.inner,
                            error = %e,
                            valid_for = ?time_left(&c),
                            "refreshing temporary credentials failed; using the cached ones until they expire"
                        );
                        Ok(c)
                    }
                    None => {
                        state.failure = Some((e.clone(), now + REMEMBER_FAILURE));
                        Err(e)
                    }
                },
            };
            drop(state);
            drop(gate);
            answer
        })
    }
}

/// Parses an ISO 8601 expiration (`2026-11-23T19:05:54Z`).
pub(crate) fn parse_expiration(value: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(value.trim()).ok()
}

/// The STS endpoint.
pub const DEFAULT_STS_ENDPOINT: &str = "https://sts.aliyuncs.com";

/// Assumes a RAM role with STS `AssumeRole` (version 2015-04-01), signed with the source credentials.
/// Wrap it in [`CachedCredentials`] (as [`AssumeRole::cached`] does) so that it is called once per lifetime.
#[derive(Debug)]
pub struct AssumeRole {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: String,
    duration_secs: u32,
    endpoint: String,
    external_id: Option<String>,
}

#[derive(Default)]
struct AssumeRoleOutput {
    credentials: Option<StsCredentials>,
}

impl DecodeFields for AssumeRoleOutput {
    const NAME: &'static str = "AssumeRole answer";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "Credentials" => self.credentials = map.next_value_seed(OptSeed::new())?,
            _ => skip_value(map)?,
        }
        Ok(())
    }
}

crate::__private::decode_via_fields!(AssumeRoleOutput);

/// Temporary credentials as STS and the instance metadata service write them.
#[derive(Default)]
pub(crate) struct StsCredentials {
    pub(crate) access_key_id: Option<String>,
    pub(crate) access_key_secret: Option<String>,
    pub(crate) security_token: Option<String>,
    pub(crate) expiration: Option<String>,
}

impl StsCredentials {
    /// Reads one of the four keys; `false` for any other key (left to the caller).
    pub(crate) fn read_key<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        let slot = match key {
            "AccessKeyId" => &mut self.access_key_id,
            "AccessKeySecret" => &mut self.access_key_secret,
            "SecurityToken" => &mut self.security_token,
            "Expiration" => &mut self.expiration,
            _ => return Ok(false),
        };
        *slot = map.next_value_seed(OptSeed::new())?;
        Ok(true)
    }

    pub(crate) fn into_credentials(self) -> Result<Credentials, String> {
        self.into_credentials_expiring(true)
    }

    /// The credentials; without `Expiration` when it is not `required` (then they are fetched again at every
    /// use, as an unknown lifetime must be).
    pub(crate) fn into_credentials_expiring(self, required: bool) -> Result<Credentials, String> {
        let need = |value: Option<String>, key: &str| {
            value
                .filter(|v| !v.is_empty())
                .ok_or(format!("the answer has no {key}"))
        };
        let id = need(self.access_key_id, "AccessKeyId")?;
        let secret = need(self.access_key_secret, "AccessKeySecret")?;
        let token = need(self.security_token, "SecurityToken")?;
        let credentials = Credentials::with_security_token(id, secret, token);
        let expiration = match self.expiration.filter(|e| !e.is_empty()) {
            None if !required => return Ok(credentials),
            other => need(other, "Expiration")?,
        };
        let at = parse_expiration(&expiration).ok_or_else(|| format!("unreadable Expiration {expiration:?}"))?;
        Ok(credentials.with_expiration(at))
    }
}

impl DecodeFields for StsCredentials {
    const NAME: &'static str = "Credentials";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        if !self.read_key(key, map)? {
            skip_value(map)?;
        }
        Ok(())
    }
}

crate::__private::decode_via_fields!(StsCredentials);

impl AssumeRole {
    /// Assumes `role_arn` with `source`'s credentials, for sessions of one hour named `domain-sdk`.
    pub fn new(source: impl ProvideCredentials + 'static, role_arn: impl Into<String>) -> Self {
        Self::from_arc(Arc::new(source), role_arn)
    }

    /// Like [`new`](Self::new), with a shared source (another profile's provider).
    pub(crate) fn from_arc(source: Arc<dyn ProvideCredentials>, role_arn: impl Into<String>) -> Self {
        AssumeRole {
            source,
            role_arn: role_arn.into(),
            session_name: "domain-sdk".to_owned(),
            duration_secs: 3600,
            endpoint: DEFAULT_STS_ENDPOINT.to_owned(),
            external_id: None,
        }
    }

    /// The role's external id (`ExternalId`), when its trust policy asks for one.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into()).filter(|i: &String| !i.is_empty());
        self
    }

    /// The session name recorded in the role's audit trail.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// How long the temporary credentials last (900 to 43200 seconds).
    pub fn duration_secs(mut self, secs: u32) -> Self {
        self.duration_secs = secs;
        self
    }

    /// Another STS endpoint (a regional one, or a test server).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// This provider behind a cache: the usual way to use it.
    pub fn cached(self) -> CachedCredentials<Self> {
        CachedCredentials::new(self)
    }

    async fn assume(&self) -> Result<Credentials, CredentialsError> {
        let fail = |reason: String| CredentialsError::AssumeRole {
            role_arn: self.role_arn.clone(),
            reason,
        };
        let source = self.source.provide_credentials().await?;
        // STS gets short timeouts of its own, so that a slow STS cannot stall every call for its whole timeout.
        let client = crate::Client::builder()
            .endpoint(&self.endpoint)
            .credentials(source)
            .connect_timeout(Duration::from_secs(5))
            .attempt_timeout(Duration::from_secs(10))
            .operation_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| fail(e.to_string()))?;
        let mut request = OperationRequest::new("AssumeRole", "2015-04-01", &[HttpMethod::Post], true, &[]);
        let duration = self.duration_secs.to_string();
        for (name, value) in [
            ("RoleArn", &self.role_arn),
            ("RoleSessionName", &self.session_name),
            ("DurationSeconds", &duration),
        ] {
            request
                .scalar(name, Some(value), true)
                .map_err(|e| fail(e.to_string()))?;
        }
        if let Some(id) = &self.external_id {
            request
                .scalar("ExternalId", Some(id), false)
                .map_err(|e| fail(e.to_string()))?;
        }
        let output: AssumeRoleOutput = client.execute(request).await.map_err(|e| fail(e.to_string()))?;
        output
            .credentials
            .ok_or_else(|| fail("the answer has no Credentials".to_owned()))?
            .into_credentials()
            .map_err(fail)
    }
}

impl ProvideCredentials for AssumeRole {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.assume())
    }
}

/// An answer with a `Code` beside the credentials' four keys: the ECS metadata service's and a credentials URI's.
#[derive(Default)]
pub(crate) struct CodedCredentials {
    pub(crate) code: Option<String>,
    pub(crate) credentials: StsCredentials,
}

impl DecodeFields for CodedCredentials {
    const NAME: &'static str = "temporary credentials";
    fn field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        if key == "Code" {
            self.code = map.next_value_seed(OptSeed::new())?;
        } else if !self.credentials.read_key(key, map)? {
            skip_value(map)?;
        }
        Ok(())
    }
}

crate::__private::decode_via_fields!(CodedCredentials);
