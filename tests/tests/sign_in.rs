//! The aliyun CLI's sign-in profiles against the test server's fakes of the CloudSSO portal and the OAuth
//! service: credentials obtained, refreshed ahead of expiry, written back to the right profile of
//! `config.json`, served from the cache when a refresh fails, and no token in any error.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use domain_sdk::{CredentialsError, ProfileFile, ProvideCredentials};
use e2e::identity::IdentityFake;
use serde_json::{json, Value};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// A `config.json` in a folder of its own, with these profiles (and a key no credential code knows).
fn config_file(current: &str, profiles: Vec<Value>) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("domain-sdk-sign-in-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.json");
    let file = json!({"current": current, "profiles": profiles, "meta_path": ""});
    std::fs::write(&path, serde_json::to_string_pretty(&file).unwrap()).unwrap();
    path
}

fn profile_of(path: &PathBuf, name: &str) -> Value {
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap()
        .clone()
}

fn cloud_sso_profile(fake: &IdentityFake, token: &str, expire: u64) -> Value {
    json!({
        "name": "sso", "mode": "CloudSSO", "region_id": "cn-hangzhou", "output_format": "json",
        "cloud_sso_sign_in_url": fake.cloud_sso_sign_in_url(),
        "cloud_sso_account_id": "1234567890", "cloud_sso_access_config": "ac-test",
        "access_token": token, "cloud_sso_access_token_expire": expire,
    })
}

#[tokio::test]
async fn a_cloud_sso_profile_gets_credentials_and_saves_them_for_the_next_process() {
    let fake = IdentityFake::start().await;
    let other = json!({"name": "ak", "mode": "AK", "access_key_id": "id", "access_key_secret": "secret"});
    let path = config_file(
        "sso",
        vec![
            cloud_sso_profile(&fake, "sso-access-token", now() + 3600),
            other.clone(),
        ],
    );

    let first = ProfileFile::new(&path, None).provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), "STS.sso-1");
    assert_eq!(first.security_token(), Some("sso-sts-token-1"));
    let sent = &fake.requests()[0];
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/cloud-credentials")
    );
    assert_eq!(sent.bearer_token(), Some("sso-access-token"));
    let body: Value = serde_json::from_str(&sent.body).unwrap();
    assert_eq!(
        body,
        json!({"AccountId": "1234567890", "AccessConfigurationId": "ac-test"})
    );

    // Written back as the CLI stores them; the rest of the file is as it was.
    let saved = profile_of(&path, "sso");
    assert_eq!(saved["access_key_id"], "STS.sso-1");
    assert_eq!(saved["sts_token"], "sso-sts-token-1");
    assert!(saved["sts_expiration"].as_u64().unwrap() > now() + 3000, "{saved}");
    assert_eq!(
        (saved["region_id"].clone(), saved["output_format"].clone()),
        (json!("cn-hangzhou"), json!("json"))
    );
    assert_eq!(profile_of(&path, "ak"), other);

    // The next process starts from the saved credentials: no exchange.
    let again = ProfileFile::new(&path, None).provide_credentials().await.unwrap();
    assert_eq!(again.access_key_id(), "STS.sso-1");
    assert_eq!(fake.issued().cloud_sso, 1);
}

#[tokio::test]
async fn cloud_sso_refreshes_ahead_of_expiry_and_rides_out_a_failing_portal() {
    let fake = IdentityFake::start().await;
    // Credentials that last 100 s: inside the refresh margin, so each call wants new ones.
    fake.credentials_lifetime(Duration::from_secs(100));
    let path = config_file("sso", vec![cloud_sso_profile(&fake, "sso-access-token", now() + 3600)]);
    let provider = ProfileFile::new(&path, None);
    assert_eq!(
        provider.provide_credentials().await.unwrap().access_key_id(),
        "STS.sso-1"
    );
    assert_eq!(
        provider.provide_credentials().await.unwrap().access_key_id(),
        "STS.sso-2"
    );
    assert_eq!(profile_of(&path, "sso")["access_key_id"], "STS.sso-2");

    // The portal fails: the cached credentials (still valid) keep coming, with no error.
    fake.fail_next("/cloud-credentials", 3, 503);
    assert_eq!(
        provider.provide_credentials().await.unwrap().access_key_id(),
        "STS.sso-2"
    );
    assert_eq!(fake.issued().cloud_sso, 2);
}

#[tokio::test]
async fn an_expired_cloud_sso_sign_in_says_to_sign_in_again_and_sends_nothing() {
    let fake = IdentityFake::start().await;
    let path = config_file("sso", vec![cloud_sso_profile(&fake, "sso-access-token", now() - 60)]);
    let err = ProfileFile::new(&path, None).provide_credentials().await.unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(
            err,
            CredentialsError::SignIn {
                service: "CloudSSO",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        text.contains("aliyun configure --profile sso --mode CloudSSO"),
        "{text}"
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn no_token_leaks_from_a_service_that_echoes_it() {
    let fake = IdentityFake::start().await;
    fake.echo_secrets(true);
    let leaky = "sso-token-that-must-never-be-shown";
    let path = config_file("sso", vec![cloud_sso_profile(&fake, leaky, now() + 3600)]);
    let err = ProfileFile::new(&path, None).provide_credentials().await.unwrap_err();
    assert!(fake.requests()[0].body.contains("AccountId"));
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(leaky), "{shown}");
        assert!(shown.contains("HTTP 401"), "{shown}");
    }

    // OAuth: the refresh token and the access token are both echoed back; neither is shown.
    let (access, refresh) = ("oauth-access-never-shown", "oauth-refresh-never-shown");
    let path = config_file(
        "o",
        vec![
            json!({"name": "o", "mode": "OAuth", "oauth_site_type": "INTL", "oauth_access_token": access,
                    "oauth_refresh_token": refresh, "oauth_access_token_expire": now() + 60}),
        ],
    );
    let provider = ProfileFile::new(&path, None).oauth_base_url(fake.oauth_base_url());
    let err = provider.provide_credentials().await.unwrap_err();
    for shown in [err.to_string(), format!("{err:?}"), format!("{provider:?}")] {
        assert!(!shown.contains(access) && !shown.contains(refresh), "{shown}");
    }
    assert!(err.to_string().contains("invalid_grant"), "{err}");
}

/// The same hostile service, with every log line at TRACE captured: a refused refresh that falls back to the
/// access token (a warning carrying the service's answer), then a refused exchange, log no token.
#[tokio::test]
async fn no_token_reaches_a_log_line() {
    let log = e2e::Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let fake = IdentityFake::start().await;
    fake.echo_secrets(true);
    let (access, refresh) = ("oauth-access-never-logged", "oauth-refresh-never-logged");
    let path = config_file(
        "o",
        vec![
            json!({"name": "o", "mode": "OAuth", "oauth_site_type": "CN", "oauth_access_token": access,
                    "oauth_refresh_token": refresh, "oauth_access_token_expire": now() + 600}),
        ],
    );
    let err = ProfileFile::new(&path, None)
        .oauth_base_url(fake.oauth_base_url())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("invalid_token"), "{err}");
    let text = log.text();
    assert!(text.contains("refreshing the OAuth access token failed"), "{text}");
    assert!(!text.contains(access) && !text.contains(refresh), "{text}");
}

fn oauth_profile(site: &str, access: &str, expire: u64, refresh: Option<&str>) -> Value {
    let mut p = json!({"name": "oauth", "mode": "OAuth", "oauth_site_type": site, "oauth_access_token": access,
                       "oauth_access_token_expire": expire, "language": "en"});
    if let Some(r) = refresh {
        p["oauth_refresh_token"] = json!(r);
    }
    p
}

#[tokio::test]
async fn an_oauth_profile_refreshes_its_token_on_either_site_and_saves_the_rotated_one() {
    for (site, client_id) in [("CN", "4038181954557748008"), ("INTL", "4103531455503354461")] {
        let fake = IdentityFake::start().await;
        // An access token with 10 minutes left: inside the 20-minute lead, so it is refreshed first.
        fake.oauth_tokens("seed-access", Duration::from_secs(600), Some("seed-refresh"));
        let path = config_file(
            "oauth",
            vec![oauth_profile(site, "seed-access", now() + 600, Some("seed-refresh"))],
        );
        let provider = ProfileFile::new(&path, None).oauth_base_url(fake.oauth_base_url());
        let creds = provider.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "STS.oauth-1");
        assert_eq!(fake.oauth_client_ids(), vec![client_id.to_owned()], "{site}");
        let paths: Vec<String> = fake.requests().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["/v1/token", "/v1/exchange"], "{site}");
        assert_eq!(fake.requests()[1].bearer_token(), Some("oauth-access-1"));

        let saved = profile_of(&path, "oauth");
        assert_eq!(saved["oauth_access_token"], "oauth-access-1", "{site}");
        assert_eq!(saved["oauth_refresh_token"], "oauth-refresh-1", "{site}");
        assert!(saved["oauth_access_token_expire"].as_u64().unwrap() > now() + 3000);
        assert_eq!(saved["access_key_id"], "STS.oauth-1");
        assert_eq!(saved["sts_token"], "oauth-sts-token-1");
        assert_eq!(saved["language"], "en", "keys the SDK does not know stay");

        // The old refresh token no longer works; the saved one does.
        let next = ProfileFile::new(&path, None).oauth_base_url(fake.oauth_base_url());
        assert_eq!(
            next.provide_credentials().await.unwrap().access_key_id(),
            "STS.oauth-1",
            "from the file"
        );
    }
}

#[tokio::test]
async fn an_oauth_profile_without_a_refresh_token_exchanges_its_access_token_as_it_is() {
    let fake = IdentityFake::start().await;
    fake.oauth_tokens("long-access", Duration::from_secs(7200), None);
    let path = config_file("oauth", vec![oauth_profile("CN", "long-access", now() + 7200, None)]);
    let provider = ProfileFile::new(&path, None).oauth_base_url(fake.oauth_base_url());
    assert_eq!(
        provider.provide_credentials().await.unwrap().access_key_id(),
        "STS.oauth-1"
    );
    let paths: Vec<String> = fake.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/v1/exchange"]);

    // An expired one is still sent (the service judges it) and its refusal is the error.
    let fake = IdentityFake::start().await;
    fake.oauth_tokens("old-access", Duration::ZERO, None);
    let path = config_file("oauth", vec![oauth_profile("CN", "old-access", now() - 10, None)]);
    let err = ProfileFile::new(&path, None)
        .oauth_base_url(fake.oauth_base_url())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("invalid_token"), "{err}");
}

#[tokio::test]
async fn a_failed_oauth_refresh_keeps_serving_the_cached_credentials() {
    let fake = IdentityFake::start().await;
    fake.credentials_lifetime(Duration::from_secs(100));
    fake.oauth_tokens("seed-access", Duration::from_secs(3600), Some("seed-refresh"));
    let path = config_file(
        "oauth",
        vec![oauth_profile("INTL", "seed-access", now() + 3600, Some("seed-refresh"))],
    );
    let provider = ProfileFile::new(&path, None).oauth_base_url(fake.oauth_base_url());
    assert_eq!(
        provider.provide_credentials().await.unwrap().access_key_id(),
        "STS.oauth-1"
    );
    fake.fail_next("/v1/exchange", 2, 500);
    assert_eq!(
        provider.provide_credentials().await.unwrap().access_key_id(),
        "STS.oauth-1"
    );
    assert_eq!(fake.issued().oauth_exchanges, 1);

    // A refresh whose exchange then fails: the rotated refresh token is in the file all the same (the old one
    // no longer works).
    let fake = IdentityFake::start().await;
    fake.oauth_tokens("seed-access", Duration::from_secs(600), Some("seed-refresh"));
    let path = config_file(
        "oauth",
        vec![oauth_profile("CN", "seed-access", now() + 600, Some("seed-refresh"))],
    );
    fake.fail_next("/v1/exchange", 5, 503);
    let err = ProfileFile::new(&path, None)
        .oauth_base_url(fake.oauth_base_url())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("HTTP 503"), "{err}");
    assert_eq!(profile_of(&path, "oauth")["oauth_refresh_token"], "oauth-refresh-1");
}

/// A `ChainableRamRoleArn` profile whose source is an OAuth profile: the OAuth tokens go back to the OAuth
/// profile, not to the chained one (the bug of credentials-python#75).
#[tokio::test]
async fn refreshed_tokens_go_to_the_oauth_profile_behind_a_chain() {
    use e2e::server::ActionInfo;
    use e2e::{ServerConfig, TestServer};
    let fake = IdentityFake::start().await;
    fake.oauth_tokens("seed-access", Duration::from_secs(60), Some("seed-refresh"));
    let assumed = r#"{"RequestId": "R", "Credentials": {"AccessKeyId": "STS.role", "AccessKeySecret": "role-secret",
        "SecurityToken": "role-token", "Expiration": "2099-01-01T00:00:00Z"}}"#;
    let mut config = ServerConfig::default().with_key("STS.oauth-1", "oauth-secret-1");
    config
        .actions
        .insert("AssumeRole".into(), ActionInfo::new("2015-04-01", assumed.to_owned()));
    let sts = TestServer::start(config).await;
    let chained = json!({"name": "admin", "mode": "ChainableRamRoleArn", "source_profile": "oauth",
                         "ram_role_arn": "acs:ram::1:role/domain-admin", "sts_endpoint": sts.endpoint()});
    let path = config_file(
        "admin",
        vec![
            chained.clone(),
            oauth_profile("CN", "seed-access", now() + 60, Some("seed-refresh")),
        ],
    );
    let creds = ProfileFile::new(&path, None)
        .oauth_base_url(fake.oauth_base_url())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "STS.role");
    assert_eq!(profile_of(&path, "oauth")["oauth_refresh_token"], "oauth-refresh-1");
    assert_eq!(profile_of(&path, "admin"), chained, "the chained profile is untouched");
}

#[tokio::test]
async fn the_switches_of_the_current_cli() {
    // ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS refuses External and CredentialsURI profiles by name.
    let path = config_file(
        "ext",
        vec![
            json!({"name": "ext", "mode": "External", "process_command": "echo {}"}),
            json!({"name": "uri", "mode": "CredentialsURI", "credentials_uri": "http://127.0.0.1:9/creds"}),
        ],
    );
    for name in ["ext", "uri"] {
        let err = ProfileFile::new(&path, Some(name.into()))
            .env(|v| (v == "ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS").then(|| "1".to_owned()))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS=1 turns off"),
            "{err}"
        );
    }

    // ALIBABA_CLOUD_IGNORE_PROFILE skips the file in the chain.
    let ak = config_file(
        "ak",
        vec![json!({"name": "ak", "mode": "AK", "access_key_id": "fileid", "access_key_secret": "s"})],
    );
    let chain = |ignore: bool| {
        domain_sdk::DefaultCredentialsChain::builder()
            .imds_endpoint(e2e::NO_IMDS)
            .credentials_file(e2e::no_credentials_file())
            .profile_path(&ak)
            .env(move |v| (ignore && v == "ALIBABA_CLOUD_IGNORE_PROFILE").then(|| "TRUE".to_owned()))
            .build()
    };
    assert_eq!(
        chain(false).provide_credentials().await.unwrap().access_key_id(),
        "fileid"
    );
    match chain(true).provide_credentials().await.unwrap_err() {
        CredentialsError::Exhausted { tried } => {
            assert!(tried[2].contains("ALIBABA_CLOUD_IGNORE_PROFILE is true"), "{tried:?}")
        }
        other => panic!("expected Exhausted, got {other:?}"),
    }

    // ALIBABA_CLOUD_STS_ENDPOINT: where a role profile without an endpoint of its own assumes its role.
    use e2e::server::ActionInfo;
    use e2e::{ServerConfig, TestServer, TEST_KEY_ID, TEST_KEY_SECRET};
    let assumed = r#"{"RequestId": "R", "Credentials": {"AccessKeyId": "STS.env", "AccessKeySecret": "env-secret",
        "SecurityToken": "env-token", "Expiration": "2099-01-01T00:00:00Z"}}"#;
    let mut config = ServerConfig::default();
    config
        .actions
        .insert("AssumeRole".into(), ActionInfo::new("2015-04-01", assumed.to_owned()));
    let sts = TestServer::start(config).await;
    let role = config_file(
        "role",
        vec![
            json!({"name": "role", "mode": "RamRoleArn", "access_key_id": TEST_KEY_ID,
                    "access_key_secret": TEST_KEY_SECRET, "ram_role_arn": "acs:ram::1:role/r"}),
        ],
    );
    let endpoint = sts.endpoint().to_owned();
    let chain = domain_sdk::DefaultCredentialsChain::builder()
        .imds_endpoint(e2e::NO_IMDS)
        .credentials_file(e2e::no_credentials_file())
        .profile_path(&role)
        .env(move |v| match v {
            "ALIBABA_CLOUD_STS_ENDPOINT" => Some(endpoint.clone()),
            "ALIBABA_CLOUD_STS_REGION" => Some("cn-shanghai".to_owned()),
            _ => None,
        })
        .build();
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), "STS.env");
    assert_eq!(sts.requests()[0].param("Action").as_deref(), Some("AssumeRole"));
}

/// Two processes share one OAuth profile. Each refresh rotates the refresh token, so the one that refreshed
/// second left the other holding a dead token: that one reads the profile again, takes the newer tokens and
/// goes on (rather than serving its old credentials until they expire, then failing).
#[tokio::test]
async fn a_refresh_token_rotated_by_another_process_is_picked_up_from_the_file() {
    let fake = IdentityFake::start().await;
    // Every access token is due for refresh (10 minutes left), and every credential for renewal (100 s).
    fake.oauth_access_lifetime(Duration::from_secs(600));
    fake.credentials_lifetime(Duration::from_secs(100));
    fake.oauth_tokens("seed-access", Duration::from_secs(600), Some("seed-refresh"));
    let path = config_file(
        "oauth",
        vec![oauth_profile("CN", "seed-access", now() + 600, Some("seed-refresh"))],
    );
    let first = ProfileFile::new(&path, None).oauth_base_url(fake.oauth_base_url());
    let second = ProfileFile::new(&path, None).oauth_base_url(fake.oauth_base_url());

    assert_eq!(
        first.provide_credentials().await.unwrap().access_key_id(),
        "STS.oauth-1"
    );
    assert_eq!(
        second.provide_credentials().await.unwrap().access_key_id(),
        "STS.oauth-2"
    );
    assert_eq!(profile_of(&path, "oauth")["oauth_refresh_token"], "oauth-refresh-2");
    // `first` still holds oauth-refresh-1, which the second refresh retired.
    let creds = first.provide_credentials().await.unwrap();
    assert_eq!(
        creds.access_key_id(),
        "STS.oauth-3",
        "new credentials, not the cached STS.oauth-1"
    );
    assert_eq!(profile_of(&path, "oauth")["oauth_refresh_token"], "oauth-refresh-3");
    let refused = fake
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1/token" && r.form_param("refresh_token").as_deref() == Some("oauth-refresh-1"))
        .count();
    assert_eq!(refused, 2, "used once, refused once");
}

/// The user signs in to CloudSSO again while the program runs: the program takes the new sign-in from the file.
#[tokio::test]
async fn a_new_cloud_sso_sign_in_in_the_file_is_picked_up() {
    let fake = IdentityFake::start().await;
    fake.credentials_lifetime(Duration::from_secs(100));
    let path = config_file("sso", vec![cloud_sso_profile(&fake, "sso-access-token", now() + 3600)]);
    let provider = ProfileFile::new(&path, None);
    assert_eq!(
        provider.provide_credentials().await.unwrap().access_key_id(),
        "STS.sso-1"
    );
    // The portal retires the old token; the CLI writes a new one into the profile.
    fake.cloud_sso_access_token("signed-in-again");
    let mut file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    file["profiles"][0]["access_token"] = json!("signed-in-again");
    file["profiles"][0]["cloud_sso_access_token_expire"] = json!(now() + 7200);
    std::fs::write(&path, serde_json::to_string(&file).unwrap()).unwrap();
    assert_eq!(
        provider.provide_credentials().await.unwrap().access_key_id(),
        "STS.sso-2"
    );
    assert_eq!(fake.requests().last().unwrap().bearer_token(), Some("signed-in-again"));
}
