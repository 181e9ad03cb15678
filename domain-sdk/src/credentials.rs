//! AccessKey credentials (with an optional STS token), kept out of `Debug` output.

use std::fmt;

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
}

impl Credentials {
    /// A long-lived AccessKey pair.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
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
        }
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

/// Credentials could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// An environment variable is missing or empty.
    #[error("credentials: environment variable {0} is not set or empty")]
    MissingVariable(&'static str),
    /// The client was built without credentials.
    #[error("credentials: none configured (call ClientBuilder::credentials, or set {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET})")]
    NotConfigured,
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
