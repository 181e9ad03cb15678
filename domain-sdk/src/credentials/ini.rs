//! The credentials file of the official SDKs (`~/.alibabacloud/credentials`, INI): sections of type `access_key`,
//! `ecs_ram_role` and `ram_role_arn`, as credentials-go's `ProfileCredentialsProvider` reads them.

use std::path::PathBuf;
use std::sync::Arc;

use super::{
    AssumeRole, CachedCredentials, Credentials, CredentialsError, EcsRamRole, ProvideCredentials, ProvideFuture,
};

/// Another path for the credentials file than `~/.alibabacloud/credentials`.
pub const ENV_CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";

/// Credentials from one section of the official SDKs' INI credentials file. The file is read once, on first use.
#[derive(Debug)]
pub struct CredentialsFile {
    path: PathBuf,
    section: String,
    imds_endpoint: Option<String>,
    sts_endpoint: Option<String>,
    imds_v1: bool,
    resolved: tokio::sync::OnceCell<Arc<dyn ProvideCredentials>>,
}

/// One `[name]` section of an INI file and its `key = value` pairs, in order.
type Section = (String, Vec<(String, String)>);

/// The sections of an INI text, in order: `[name]` then `key = value` lines; `#` and `;` start comments.
fn sections(text: &str) -> Result<Vec<Section>, String> {
    let mut out: Vec<Section> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[') {
            let name = name
                .strip_suffix(']')
                .ok_or_else(|| format!("line {}: a section header must end with ']'", i + 1))?;
            out.push((name.trim().to_owned(), Vec::new()));
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("line {}: expected key = value", i + 1))?;
        let section = out
            .last_mut()
            .ok_or_else(|| format!("line {}: a key before any [section]", i + 1))?;
        section.1.push((key.trim().to_owned(), value.trim().to_owned()));
    }
    Ok(out)
}

impl CredentialsFile {
    /// The section `section` of the file at `path`.
    pub fn new(path: impl Into<PathBuf>, section: impl Into<String>) -> Self {
        CredentialsFile {
            path: path.into(),
            section: section.into(),
            imds_endpoint: None,
            imds_v1: true,
            sts_endpoint: None,
            resolved: tokio::sync::OnceCell::new(),
        }
    }

    /// `~/.alibabacloud/credentials`, if the home folder is known.
    pub fn default_path() -> Option<PathBuf> {
        super::home_file(".alibabacloud/credentials")
    }

    /// The metadata endpoint used by an `ecs_ram_role` section (for tests).
    pub fn imds_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.imds_endpoint = Some(endpoint.into());
        self
    }

    /// The STS endpoint of a `ram_role_arn` section (default `https://sts.aliyuncs.com`; the default chain sets
    /// the one `ALIBABA_CLOUD_STS_REGION` selects).
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// Whether an `ecs_ram_role` section may fall back to the metadata service's v1 (default `true`; the
    /// default chain passes `ALIBABA_CLOUD_IMDSV1_DISABLED`).
    pub fn imds_v1(mut self, allowed: bool) -> Self {
        self.imds_v1 = allowed;
        self
    }

    fn resolve(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let path = self.path.display().to_string();
        let fail = |reason: String| CredentialsError::CredentialsFile {
            path: path.clone(),
            reason,
        };
        let text = std::fs::read_to_string(&self.path).map_err(|e| fail(format!("cannot read: {e}")))?;
        let all = sections(&text).map_err(fail)?;
        let (_, keys) = all
            .iter()
            .find(|(name, _)| *name == self.section)
            .ok_or_else(|| fail(format!("no section [{}]", self.section)))?;
        let get = |key: &str| {
            keys.iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
                .filter(|v| !v.is_empty())
        };
        let need = |key: &str| get(key).ok_or_else(|| fail(format!("section [{}] has no {key}", self.section)));
        if get("enable").is_some_and(|v| v.eq_ignore_ascii_case("false")) {
            return Err(fail(format!("section [{}] is disabled (enable = false)", self.section)));
        }
        let provider: Arc<dyn ProvideCredentials> = match need("type")? {
            "access_key" => Arc::new(Credentials::new(need("access_key_id")?, need("access_key_secret")?)),
            "ram_role_arn" => {
                let source = Credentials::new(need("access_key_id")?, need("access_key_secret")?);
                let mut role = AssumeRole::new(source, need("role_arn")?);
                if let Some(name) = get("role_session_name") {
                    role = role.session_name(name);
                }
                if let Some(id) = get("external_id") {
                    role = role.external_id(id);
                }
                if let Some(e) = &self.sts_endpoint {
                    role = role.endpoint(e);
                }
                Arc::new(CachedCredentials::new(role))
            }
            "ecs_ram_role" => {
                let mut role = EcsRamRole::new()
                    .role_name(get("role_name").unwrap_or_default())
                    .imds_v1(self.imds_v1);
                if let Some(e) = &self.imds_endpoint {
                    role = role.endpoint(e);
                }
                Arc::new(CachedCredentials::new(role))
            }
            other => {
                return Err(fail(format!(
                    "section [{}] has type {other:?}; supported types are access_key, ecs_ram_role and ram_role_arn",
                    self.section
                )))
            }
        };
        Ok(provider)
    }
}

impl ProvideCredentials for CredentialsFile {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let provider = self.resolved.get_or_try_init(|| async { self.resolve() }).await?;
            provider.provide_credentials().await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_sections_keys_and_comments() {
        let s = sections("# c\n[default]\ntype = access_key\n; c\n access_key_id=a \n\n[other]\nk = v = w\n").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].0, "default");
        assert_eq!(
            s[0].1,
            [
                ("type".into(), "access_key".into()),
                ("access_key_id".into(), "a".into())
            ]
        );
        assert_eq!(s[1].1, [("k".to_owned(), "v = w".to_owned())]);
        assert!(sections("k = v").unwrap_err().contains("before any [section]"));
        assert!(sections("[a\n").unwrap_err().contains("line 1"));
        assert!(sections("[a]\njunk").unwrap_err().contains("key = value"));
    }
}
