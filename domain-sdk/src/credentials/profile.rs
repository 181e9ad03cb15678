//! The aliyun CLI's profile file (`~/.aliyun/config.json`): modes AK, StsToken, RamRoleArn and EcsRamRole.

use std::path::PathBuf;
use std::sync::Arc;

use serde::de::MapAccess;

use crate::de::{skip_value, DecodeFields, ListOf, OptSeed};

use super::{
    AssumeRole, CachedCredentials, Credentials, CredentialsError, EcsRamRole, ProvideCredentials, ProvideFuture,
};

/// Credentials from one profile of the aliyun CLI's `config.json`. The file is read once, on first use.
#[derive(Debug)]
pub struct ProfileFile {
    path: PathBuf,
    profile: Option<String>,
    imds_endpoint: Option<String>,
    resolved: tokio::sync::OnceCell<Arc<dyn ProvideCredentials>>,
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
            resolved: tokio::sync::OnceCell::new(),
        }
    }

    /// `~/.aliyun/config.json`, if the home folder is known.
    pub fn default_path() -> Option<PathBuf> {
        std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(|h| PathBuf::from(h).join(".aliyun/config.json"))
    }

    /// The metadata endpoint used by an `EcsRamRole` profile (for tests).
    pub fn imds_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.imds_endpoint = Some(endpoint.into());
        self
    }

    /// Whether the file exists (the default chain skips a missing file).
    pub fn exists(&self) -> bool {
        self.path.is_file()
    }

    fn resolve(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let path = self.path.display().to_string();
        let fail = |reason: String| CredentialsError::Profile {
            path: path.clone(),
            reason,
        };
        let text = std::fs::read_to_string(&self.path).map_err(|e| fail(format!("cannot read: {e}")))?;
        let file: ConfigFile =
            serde_json::from_str(&text).map_err(|e| fail(format!("not a valid config.json: {e}")))?;
        let name = self
            .profile
            .clone()
            .or(file.current)
            .unwrap_or_else(|| "default".to_owned());
        let p = file
            .profiles
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| fail(format!("no profile named {name:?}")))?;
        let need = |value: &str, key: &str| {
            if value.is_empty() {
                Err(fail(format!("profile {name:?} (mode {}) has no {key}", p.mode)))
            } else {
                Ok(())
            }
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
                need(&p.ram_role_arn, "ram_role_arn")?;
                let mut role = AssumeRole::new(
                    Credentials::new(&p.access_key_id, &p.access_key_secret),
                    &p.ram_role_arn,
                );
                if !p.ram_session_name.is_empty() {
                    role = role.session_name(&p.ram_session_name);
                }
                if p.expired_seconds > 0 {
                    role = role.duration_secs(p.expired_seconds);
                }
                if !p.sts_endpoint.is_empty() {
                    let endpoint = if p.sts_endpoint.contains("://") {
                        p.sts_endpoint.clone()
                    } else {
                        format!("https://{}", p.sts_endpoint)
                    };
                    role = role.endpoint(endpoint);
                }
                Arc::new(CachedCredentials::new(role))
            }
            "EcsRamRole" => {
                let mut role = EcsRamRole::new().role_name(&p.ram_role_name);
                if let Some(e) = &self.imds_endpoint {
                    role = role.endpoint(e);
                }
                Arc::new(CachedCredentials::new(role))
            }
            other => {
                return Err(CredentialsError::UnsupportedMode {
                    profile: name.clone(),
                    mode: other.to_owned(),
                })
            }
        };
        Ok(provider)
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
