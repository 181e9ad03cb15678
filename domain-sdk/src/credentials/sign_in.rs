//! The aliyun CLI's sign-in profiles: `CloudSSO` (a CloudSSO portal's access token exchanged for an account's
//! STS credentials) and `OAuth` (an Alibaba Cloud account's OAuth tokens, refreshed, exchanged for STS
//! credentials), with what they obtain written back to the profile they came from.
//!
//! Facts from credentials-go v1.4.12 and aliyun-cli v3.4.11, which this follows: the CloudSSO exchange is a
//! `POST <scheme>://<host of the sign-in URL>/cloud-credentials` with the access token as a bearer token and
//! `{"AccountId", "AccessConfigurationId"}`, answered `{"CloudCredential": {AccessKeyId, AccessKeySecret,
//! SecurityToken, Expiration}}`; OAuth refreshes with `POST <site>/v1/token` (form `grant_type=refresh_token`,
//! `refresh_token`, `client_id` of the site) when the access token has 20 minutes or less left, and exchanges
//! it with `POST <site>/v1/exchange` (bearer token), answered in camelCase. Since credentials-go v1.4.12 the
//! refresh token is optional: without one, the access token is exchanged as it is and the service judges it.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::{cli_config, Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::error::Redactor;

/// How long before its expiry an OAuth access token is refreshed (credentials-go's lead since v1.4.11).
const OAUTH_REFRESH_LEAD: Duration = Duration::from_secs(20 * 60);
/// Timeouts of every sign-in exchange: the services answer in well under a second.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const TOTAL_TIMEOUT: Duration = Duration::from_secs(10);

/// Where what an exchange obtained is saved: a profile of a `config.json`.
#[derive(Debug, Clone)]
pub(crate) struct WriteBack {
    pub(crate) path: PathBuf,
    pub(crate) profile: String,
}

impl WriteBack {
    /// Saves `fields` into the profile; a failure is logged, never the call's failure (the credentials are
    /// good, only the next process will have to exchange again).
    async fn save(&self, fields: Vec<(&'static str, Value)>) {
        let (path, profile) = (self.path.clone(), self.profile.clone());
        let result = tokio::task::spawn_blocking(move || cli_config::write_back(&path, &profile, &fields)).await;
        match result {
            Ok(Ok(())) => tracing::debug!(profile = %self.profile, "saved refreshed credentials to the profile"),
            Ok(Err(reason)) => tracing::warn!(
                profile = %self.profile,
                %reason,
                "could not save refreshed credentials to the profile"
            ),
            Err(e) => tracing::warn!(profile = %self.profile, error = %e, "saving refreshed credentials stopped"),
        }
    }

    /// The profile as the file holds it now (another process, or the CLI, may have changed it since it was read).
    fn current(&self) -> Option<serde_json::Map<String, Value>> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let file: Value = serde_json::from_str(&text).ok()?;
        file.get("profiles")?
            .as_array()?
            .iter()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(self.profile.as_str()))?
            .as_object()
            .cloned()
    }

    /// The fields of STS credentials, as the CLI stores them.
    fn sts_fields(c: &Credentials) -> Vec<(&'static str, Value)> {
        vec![
            ("access_key_id", Value::from(c.access_key_id())),
            ("access_key_secret", Value::from(c.access_key_secret())),
            ("sts_token", Value::from(c.security_token().unwrap_or_default())),
            ("sts_expiration", Value::from(c.expiration().map_or(0, unix_secs))),
        ]
    }
}

fn text_of(profile: &serde_json::Map<String, Value>, key: &str) -> String {
    profile.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

fn secs_of(profile: &serde_json::Map<String, Value>, key: &str) -> u64 {
    profile.get(key).and_then(Value::as_u64).unwrap_or(0)
}

/// The STS credentials saved in a profile, if still good for more than the refresh margin.
fn saved_sts(profile: &serde_json::Map<String, Value>) -> Option<Credentials> {
    cached_sts(
        &text_of(profile, "access_key_id"),
        &text_of(profile, "access_key_secret"),
        &text_of(profile, "sts_token"),
        secs_of(profile, "sts_expiration"),
        super::sts::REFRESH_MARGIN,
    )
}

pub(crate) fn unix_secs(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn from_unix(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// The STS credentials a profile cached (`access_key_id`, `access_key_secret`, `sts_token`, `sts_expiration`),
/// if complete and not within `margin` of expiry.
pub(crate) fn cached_sts(
    id: &str,
    secret: &str,
    token: &str,
    expiration: u64,
    margin: Duration,
) -> Option<Credentials> {
    if id.is_empty() || secret.is_empty() || token.is_empty() || expiration == 0 {
        return None;
    }
    let at = from_unix(expiration);
    (at.duration_since(SystemTime::now()).ok()? > margin)
        .then(|| Credentials::with_security_token(id, secret, token).with_expiration(at))
}

/// Sends a JSON-answering request; the status and the parsed body, or what went wrong in words with every
/// secret redacted (a hostile or buggy service may echo the token).
async fn exchange(
    request: reqwest::RequestBuilder,
    redactor: &Redactor,
) -> Result<(reqwest::StatusCode, Option<Value>, String), String> {
    let (status, body) = super::send_for_text(request).await.map_err(|e| redactor.apply(&e))?;
    let parsed = serde_json::from_str::<Value>(&body).ok();
    Ok((status, parsed, redactor.apply(&body)))
}

/// What an error answer says: its code and message fields, or a short cut of its body — secrets redacted
/// either way.
fn error_text(status: reqwest::StatusCode, parsed: Option<&Value>, redacted_body: &str, redactor: &Redactor) -> String {
    let field = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| parsed?.get(*k)?.as_str().map(|v| redactor.apply(v)))
    };
    match (
        field(&["ErrorCode", "error", "Code"]),
        field(&["ErrorMessage", "error_description", "Message"]),
    ) {
        (Some(code), Some(message)) => format!("HTTP {status}: {code}: {message}"),
        (Some(code), None) => format!("HTTP {status}: {code}"),
        _ => format!(
            "HTTP {status}: {}",
            redacted_body.trim().chars().take(200).collect::<String>()
        ),
    }
}

/// The four keys of temporary credentials under `names` (the services spell them differently).
fn credentials_in(object: Option<&Value>, names: [&str; 4]) -> Result<Credentials, String> {
    let object = object.ok_or("the answer has no credentials")?;
    let get = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .ok_or(format!("the answer has no {key}"))
    };
    let (id, secret, token, expiration) = (get(names[0])?, get(names[1])?, get(names[2])?, get(names[3])?);
    let at =
        super::sts::parse_expiration(expiration).ok_or_else(|| format!("unreadable {} {expiration:?}", names[3]))?;
    Ok(Credentials::with_security_token(id, secret, token).with_expiration(at))
}

/// A `CloudSSO` profile: the portal's access token (from `aliyun configure --mode CloudSSO`) exchanged for STS
/// credentials of one account and access configuration. The access token cannot be refreshed here: when it
/// has expired, the error says to sign in again with the CLI. `Debug` shows no token.
pub(crate) struct CloudSso {
    pub(crate) profile: String,
    pub(crate) sign_in_url: String,
    pub(crate) account_id: String,
    pub(crate) access_config: String,
    /// The access token and its expiry (unix seconds), as last read from the profile.
    pub(crate) access_token: Mutex<(String, u64)>,
    pub(crate) write_back: Option<WriteBack>,
}

impl std::fmt::Debug for CloudSso {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CloudSso")
            .field("profile", &self.profile)
            .field("sign_in_url", &self.sign_in_url)
            .field("account_id", &self.account_id)
            .field("access_config", &self.access_config)
            .finish_non_exhaustive()
    }
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> Option<&str> {
    let after = url.find("://")? + 3;
    let end = url[after..].find(['/', '?', '#']).map_or(url.len(), |i| after + i);
    (end > after).then(|| &url[..end])
}

impl CloudSso {
    fn fail(&self, reason: impl Into<String>) -> CredentialsError {
        CredentialsError::SignIn {
            service: "CloudSSO",
            profile: self.profile.clone(),
            reason: reason.into(),
        }
    }

    /// Exchanges the access token; when that fails, and the profile now holds another one (the user signed in
    /// again with the CLI while this program ran), takes the profile's credentials or token and tries once more.
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let first = self.exchange_token().await;
        if first.is_ok() {
            return first;
        }
        let Some(profile) = self.write_back.as_ref().and_then(WriteBack::current) else {
            return first;
        };
        let token = (
            text_of(&profile, "access_token"),
            secs_of(&profile, "cloud_sso_access_token_expire"),
        );
        if let Some(credentials) = saved_sts(&profile) {
            return Ok(credentials);
        }
        {
            // Only a sign-in no older than the one held.
            let mut held = self.access_token.lock().unwrap_or_else(|e| e.into_inner());
            if token.1 < held.1 || token.0 == held.0 {
                return first;
            }
            *held = token;
        }
        tracing::debug!(profile = %self.profile, "the profile has a new CloudSSO sign-in; using it");
        self.exchange_token().await
    }

    async fn exchange_token(&self) -> Result<Credentials, CredentialsError> {
        let again = format!(
            "sign in again with `aliyun configure --profile {} --mode CloudSSO`",
            self.profile
        );
        let (access_token, expire) = self.access_token.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if access_token.is_empty() {
            return Err(self.fail(format!("the profile has no access token: {again}")));
        }
        if expire == 0 || from_unix(expire) <= SystemTime::now() {
            return Err(self.fail(format!("the sign-in has expired: {again}")));
        }
        let origin = origin(&self.sign_in_url)
            .ok_or_else(|| self.fail(format!("cloud_sso_sign_in_url {:?} is not a URL", self.sign_in_url)))?;
        let redactor = Redactor::new([access_token.as_str()]);
        let http = super::http_client(CONNECT_TIMEOUT, TOTAL_TIMEOUT, true).map_err(|e| self.fail(e))?;
        let body = serde_json::json!({"AccountId": self.account_id, "AccessConfigurationId": self.access_config});
        let request = http
            .post(format!("{origin}/cloud-credentials"))
            .bearer_auth(&access_token)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        let (status, parsed, redacted) = exchange(request, &redactor).await.map_err(|e| self.fail(e))?;
        if !status.is_success() {
            return Err(self.fail(error_text(status, parsed.as_ref(), &redacted, &redactor)));
        }
        let credentials = credentials_in(
            parsed.as_ref().and_then(|v| v.get("CloudCredential")),
            ["AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"],
        )
        .map_err(|e| self.fail(e))?;
        if let Some(target) = &self.write_back {
            target.save(WriteBack::sts_fields(&credentials)).await;
        }
        Ok(credentials)
    }
}

impl ProvideCredentials for CloudSso {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}

/// The two OAuth sites of the aliyun CLI: the China site and the international one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OAuthSite {
    China,
    International,
}

impl OAuthSite {
    /// `CN` or `INTL`, in any case.
    pub(crate) fn parse(site: &str) -> Option<Self> {
        match site.to_ascii_uppercase().as_str() {
            "CN" => Some(OAuthSite::China),
            "INTL" => Some(OAuthSite::International),
            _ => None,
        }
    }

    pub(crate) fn base_url(self) -> &'static str {
        match self {
            OAuthSite::China => "https://oauth.aliyun.com",
            OAuthSite::International => "https://oauth.alibabacloud.com",
        }
    }

    /// The aliyun CLI's OAuth application on the site.
    pub(crate) fn client_id(self) -> &'static str {
        match self {
            OAuthSite::China => "4038181954557748008",
            OAuthSite::International => "4103531455503354461",
        }
    }
}

/// The tokens of an OAuth profile, as they change with each refresh.
#[derive(Clone)]
pub(crate) struct OAuthTokens {
    pub(crate) access_token: String,
    pub(crate) refresh_token: String,
    /// Unix seconds; 0 when unknown.
    pub(crate) access_token_expire: u64,
}

/// An `OAuth` profile (from `aliyun configure --mode OAuth`). `Debug` shows no token.
pub(crate) struct OAuth {
    pub(crate) profile: String,
    pub(crate) site: OAuthSite,
    /// The site's address, or another (a test server).
    pub(crate) base_url: String,
    pub(crate) tokens: Mutex<OAuthTokens>,
    pub(crate) write_back: Option<WriteBack>,
}

impl std::fmt::Debug for OAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth")
            .field("profile", &self.profile)
            .field("site", &self.site)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl OAuth {
    fn fail(&self, reason: impl Into<String>) -> CredentialsError {
        CredentialsError::SignIn {
            service: "OAuth",
            profile: self.profile.clone(),
            reason: reason.into(),
        }
    }

    fn tokens(&self) -> OAuthTokens {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Whether the access token is missing or within the refresh lead of expiry.
    fn needs_refresh(tokens: &OAuthTokens) -> bool {
        tokens.access_token.is_empty()
            || tokens.access_token_expire == 0
            || from_unix(tokens.access_token_expire)
                .duration_since(SystemTime::now())
                .map_or(true, |left| left <= OAUTH_REFRESH_LEAD)
    }

    async fn refresh(&self, http: &reqwest::Client, tokens: &OAuthTokens) -> Result<OAuthTokens, CredentialsError> {
        let redactor = Redactor::new([tokens.refresh_token.as_str(), tokens.access_token.as_str()]);
        let form = crate::signing::canonical_query(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens.refresh_token.as_str()),
            ("client_id", self.site.client_id()),
        ]);
        let request = http
            .post(format!("{}/v1/token", self.base_url))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form);
        let (status, parsed, redacted) = exchange(request, &redactor)
            .await
            .map_err(|e| self.fail(format!("refreshing the access token: {e}")))?;
        if !status.is_success() {
            return Err(self.fail(format!(
                "refreshing the access token: {}; if the sign-in has ended, run `aliyun configure --profile {} --mode OAuth`",
                error_text(status, parsed.as_ref(), &redacted, &redactor),
                self.profile
            )));
        }
        let field = |key: &str| parsed.as_ref().and_then(|v| v.get(key));
        let access_token = field("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| self.fail("refreshing the access token: the answer has no access_token"))?;
        let expires_in = field("expires_in").and_then(Value::as_u64).unwrap_or(0);
        Ok(OAuthTokens {
            access_token: access_token.to_owned(),
            // The service may rotate the refresh token; if it sends none, the old one stays.
            refresh_token: field("refresh_token")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .map_or_else(|| tokens.refresh_token.clone(), str::to_owned),
            access_token_expire: if expires_in == 0 {
                0
            } else {
                unix_secs(SystemTime::now()) + expires_in
            },
        })
    }

    /// Refreshes if due and exchanges; when that fails and the profile now holds credentials or tokens newer
    /// than this one's (another process refreshed them, which retires the refresh token this one holds, or the
    /// user signed in again), takes those and tries once more.
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let first = self.exchange_tokens().await;
        if first.is_ok() {
            return first;
        }
        let Some(profile) = self.write_back.as_ref().and_then(WriteBack::current) else {
            return first;
        };
        // Another process's credentials, if it exchanged since.
        if let Some(credentials) = saved_sts(&profile) {
            return Ok(credentials);
        }
        if self.adopt_newer(&profile).is_none() {
            return first;
        }
        self.exchange_tokens().await
    }

    /// Takes the profile's tokens if they are other than the ones held and not older (expiry not earlier):
    /// never back to older ones, which a failed save may have left in the file.
    fn adopt_newer(&self, profile: &serde_json::Map<String, Value>) -> Option<OAuthTokens> {
        let on_file = OAuthTokens {
            access_token: text_of(profile, "oauth_access_token"),
            refresh_token: text_of(profile, "oauth_refresh_token"),
            access_token_expire: secs_of(profile, "oauth_access_token_expire"),
        };
        let mut held = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        if on_file.access_token.is_empty()
            || on_file.access_token == held.access_token
            || on_file.access_token_expire < held.access_token_expire
        {
            return None;
        }
        tracing::debug!(profile = %self.profile, "the profile has newer OAuth tokens; using them");
        *held = on_file.clone();
        Some(on_file)
    }

    /// Refreshes `tokens`, keeps the new ones and saves them at once, before any exchange: the old refresh token
    /// no longer works, and a call cancelled from here on must not leave the file holding it. (The save runs on
    /// a blocking thread that finishes even if this future is dropped.)
    async fn refresh_and_keep(
        &self,
        http: &reqwest::Client,
        tokens: &OAuthTokens,
    ) -> Result<OAuthTokens, CredentialsError> {
        let new = self.refresh(http, tokens).await?;
        *self.tokens.lock().unwrap_or_else(|e| e.into_inner()) = new.clone();
        if let Some(target) = &self.write_back {
            target.save(Self::token_fields(&new)).await;
        }
        Ok(new)
    }

    async fn exchange_tokens(&self) -> Result<Credentials, CredentialsError> {
        let http = super::http_client(CONNECT_TIMEOUT, TOTAL_TIMEOUT, true).map_err(|e| self.fail(e))?;
        let mut tokens = self.tokens();
        let due = |t: &OAuthTokens| !t.refresh_token.is_empty() && Self::needs_refresh(t);
        let mut refreshed = false;
        if due(&tokens) {
            match self.refresh_and_keep(&http, &tokens).await {
                Ok(new) => {
                    tokens = new;
                    refreshed = true;
                }
                Err(e) => {
                    let newer = self
                        .write_back
                        .as_ref()
                        .and_then(WriteBack::current)
                        .and_then(|profile| self.adopt_newer(&profile));
                    match newer {
                        // Another process refreshed first: its tokens, refreshed in turn when due.
                        Some(newer) if due(&newer) => {
                            tokens = self.refresh_and_keep(&http, &newer).await?;
                            refreshed = true;
                        }
                        Some(newer) => tokens = newer,
                        // The access token still has some life: try the exchange with it.
                        None if Self::valid_for_a_while(&tokens) => tracing::warn!(
                            profile = %self.profile,
                            error = %e,
                            "refreshing the OAuth access token failed; exchanging it as it is"
                        ),
                        None => return Err(e),
                    }
                }
            }
        }
        if tokens.access_token.is_empty() {
            return Err(self.fail(format!(
                "the profile has neither an access token nor a refresh token: run `aliyun configure --profile {} --mode OAuth`",
                self.profile
            )));
        }
        let redactor = Redactor::new([tokens.access_token.as_str(), tokens.refresh_token.as_str()]);
        let request = http
            .post(format!("{}/v1/exchange", self.base_url))
            .bearer_auth(&tokens.access_token)
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        let (status, parsed, redacted) = exchange(request, &redactor)
            .await
            .map_err(|e| self.fail(format!("exchanging the access token: {e}")))?;
        if !status.is_success() {
            return Err(self.fail(format!(
                "exchanging the access token: {}",
                error_text(status, parsed.as_ref(), &redacted, &redactor)
            )));
        }
        let credentials = credentials_in(
            parsed.as_ref(),
            ["accessKeyId", "accessKeySecret", "securityToken", "expiration"],
        )
        .map_err(|e| self.fail(format!("exchanging the access token: {e}")))?;
        if let Some(target) = &self.write_back {
            // The tokens only if this call refreshed them: else the file may already hold newer ones.
            let mut fields = if refreshed {
                Self::token_fields(&tokens)
            } else {
                Vec::new()
            };
            fields.extend(WriteBack::sts_fields(&credentials));
            target.save(fields).await;
        }
        Ok(credentials)
    }

    /// The token keys of the profile, as the CLI stores them.
    fn token_fields(tokens: &OAuthTokens) -> Vec<(&'static str, Value)> {
        vec![
            ("oauth_access_token", Value::from(tokens.access_token.as_str())),
            ("oauth_refresh_token", Value::from(tokens.refresh_token.as_str())),
            ("oauth_access_token_expire", Value::from(tokens.access_token_expire)),
        ]
    }

    /// Whether the access token is known to stay valid for at least another minute.
    fn valid_for_a_while(tokens: &OAuthTokens) -> bool {
        !tokens.access_token.is_empty()
            && tokens.access_token_expire > 0
            && from_unix(tokens.access_token_expire)
                .duration_since(SystemTime::now())
                .is_ok_and(|left| left > Duration::from_secs(60))
    }
}

impl ProvideCredentials for OAuth {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_and_origins() {
        assert_eq!(OAuthSite::parse("intl"), Some(OAuthSite::International));
        assert_eq!(OAuthSite::parse("CN").unwrap().client_id(), "4038181954557748008");
        assert_eq!(OAuthSite::parse("EU"), None);
        assert_eq!(
            origin("https://signin-cn-shanghai.alibabacloudsso.com/start/login"),
            Some("https://signin-cn-shanghai.alibabacloudsso.com")
        );
        assert_eq!(origin("http://127.0.0.1:9/x?y"), Some("http://127.0.0.1:9"));
        assert_eq!(origin("no-scheme"), None);
    }

    #[test]
    fn a_cached_sts_is_used_only_when_complete_and_not_about_to_expire() {
        let later = unix_secs(SystemTime::now()) + 3600;
        assert!(cached_sts("id", "secret", "token", later, Duration::from_secs(180)).is_some());
        assert!(cached_sts("id", "secret", "", later, Duration::from_secs(180)).is_none());
        assert!(cached_sts("id", "secret", "token", later, Duration::from_secs(7200)).is_none());
        assert!(cached_sts("id", "secret", "token", 0, Duration::ZERO).is_none());
    }

    #[test]
    fn refresh_is_due_within_twenty_minutes_of_expiry() {
        let now = unix_secs(SystemTime::now());
        let tokens = |token: &str, expire: u64| OAuthTokens {
            access_token: token.to_owned(),
            refresh_token: "r".to_owned(),
            access_token_expire: expire,
        };
        assert!(!OAuth::needs_refresh(&tokens("a", now + 3600)));
        assert!(OAuth::needs_refresh(&tokens("a", now + 600)));
        assert!(OAuth::needs_refresh(&tokens("a", 0)));
        assert!(OAuth::needs_refresh(&tokens("", now + 3600)));
    }
}
