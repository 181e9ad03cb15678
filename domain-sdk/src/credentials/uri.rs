//! Credentials from a URI (`ALIBABA_CLOUD_CREDENTIALS_URI`), as credentials-go's `URLCredentialsProvider`: a GET
//! that answers `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and `Expiration` (with or without
//! `"Code": "Success"`).

use std::time::Duration;

use super::sts::CodedCredentials;
use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// The environment variable that names the credentials URI.
pub const ENV_CREDENTIALS_URI: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";

/// Temporary credentials handed out over HTTP by the platform (a sidecar, a local agent). Uncached: wrap it in
/// [`CachedCredentials`](super::CachedCredentials) (the default chain does). Its requests have their own short
/// timeouts (1 s to connect, 5 s in all), so a slow provider cannot stall calls for their whole timeout, and they
/// go through no proxy.
#[derive(Clone)]
pub struct CredentialsUri {
    uri: String,
    expiration_required: bool,
}

impl std::fmt::Debug for CredentialsUri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialsUri")
            .field("uri", &shown(&self.uri))
            .finish()
    }
}

/// The URI without its query (which may carry a token of the platform's) and without a `user:password@`.
fn shown(uri: &str) -> String {
    let bare = uri.split(['?', '#']).next().unwrap_or(uri);
    match bare.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
            format!("{scheme}://{host}{path}")
        }
        None => bare.to_owned(),
    }
}

impl CredentialsUri {
    /// Credentials from `uri` (`http://127.0.0.1:8080/credentials`).
    pub fn new(uri: impl Into<String>) -> Self {
        CredentialsUri {
            uri: uri.into(),
            expiration_required: true,
        }
    }

    /// Accepts an answer without `Expiration` (a `CredentialsURI` profile, as the CLI reads it); such
    /// credentials are fetched again at every use.
    pub(crate) fn expiration_optional(mut self) -> Self {
        self.expiration_required = false;
        self
    }

    /// The URI.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let fail = |reason: String| CredentialsError::Uri {
            uri: shown(&self.uri),
            reason,
        };
        let http = super::http_client(Duration::from_secs(1), Duration::from_secs(5), false).map_err(fail)?;
        let (status, body) = super::send_for_text(http.get(&self.uri)).await.map_err(fail)?;
        if !status.is_success() {
            return Err(fail(format!("HTTP {status}")));
        }
        // The answer holds secrets: its decode error is reported without the body.
        let answer: CodedCredentials = serde_json::from_str(&body).map_err(|e| {
            fail(format!(
                "the answer is not the expected JSON (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        if let Some(code) = answer.code.as_deref().filter(|c| *c != "Success") {
            return Err(fail(format!("the answer's Code is {code:?}, not \"Success\"")));
        }
        answer
            .credentials
            .into_credentials_expiring(self.expiration_required)
            .map_err(fail)
    }
}

impl ProvideCredentials for CredentialsUri {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn a_uri_is_shown_without_its_query_or_credentials() {
        assert_eq!(
            shown("http://user:pass@127.0.0.1:8080/creds?token=t"),
            "http://127.0.0.1:8080/creds"
        );
        assert_eq!(shown("https://host/c#frag"), "https://host/c");
        assert_eq!(shown("http://host"), "http://host");
    }
}
