//! Credential sources against loopback fakes: the aliyun CLI profile file, the ECS metadata service (v2 and v1),
//! STS AssumeRole with caching and a single refresh under concurrency, and the default chain's order and errors.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use domain_sdk::{
    AssumeRole, CachedCredentials, Client, Credentials, CredentialsError, DefaultCredentialsChain, EcsRamRole, Error,
    ProfileFile, ProvideCredentials, RetryConfig,
};
use e2e::imds::{FakeImds, IMDS_TOKEN};
use e2e::server::ActionInfo;
use e2e::{ServerConfig, TestServer, Verdict, NO_IMDS, TEST_KEY_ID, TEST_KEY_SECRET};

const STS_ID: &str = "STS.NUgYrLnoC37mZZCNnAbez2";
const STS_SECRET: &str = "sts-secret";
const STS_TOKEN: &str = "CAES+wMIARKAAZhjH0EUOIhJMQBMjRywXq7MQ/cjLYg80Aho1ek0Jm63XMhr9Oc5s";

fn expiring_in(secs: i64) -> String {
    let at = time::OffsetDateTime::now_utc() + time::Duration::seconds(secs);
    at.format(&time::format_description::well_known::Rfc3339).unwrap()
}

fn sts_json(expires_in: i64) -> String {
    format!(
        r#"{{"RequestId": "R", "AssumedRoleUser": {{"Arn": "acs:ram::1:role/r/s", "AssumedRoleId": "1"}},
            "Credentials": {{"AccessKeyId": "{STS_ID}", "AccessKeySecret": "{STS_SECRET}", "SecurityToken": "{STS_TOKEN}",
            "Expiration": "{}"}}}}"#,
        expiring_in(expires_in)
    )
}

/// A server that also plays STS and knows the temporary key.
async fn server_with_sts(expires_in: i64) -> TestServer {
    let mut config = ServerConfig::default().with_key(STS_ID, STS_SECRET);
    config
        .actions
        .insert("AssumeRole".into(), ActionInfo::new("2015-04-01", sts_json(expires_in)));
    TestServer::start(config).await
}

fn domain_client(server: &TestServer, provider: impl ProvideCredentials + 'static) -> Client {
    Client::builder()
        .endpoint(server.endpoint())
        .credentials_provider(provider)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn temp_file(contents: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("domain-sdk-test-{}-{n}.json", std::process::id()));
    std::fs::write(&path, contents).unwrap();
    path
}

fn config_json(profiles: &str, current: &str) -> String {
    format!(r#"{{"current": "{current}", "profiles": [{profiles}], "meta_path": ""}}"#)
}

#[tokio::test]
async fn assume_role_signs_with_the_source_and_uses_the_temporary_key() {
    let server = server_with_sts(3600).await;
    let role = AssumeRole::new(
        Credentials::new(TEST_KEY_ID, TEST_KEY_SECRET),
        "acs:ram::123:role/domain-admin",
    )
    .session_name("ci")
    .endpoint(server.endpoint())
    .cached();
    let client = domain_client(&server, role);
    for _ in 0..5 {
        client
            .check_domain()
            .domain_name("a.com")
            .send()
            .await
            .expect("signed with the temporary key");
    }
    let requests = server.requests();
    let sts: Vec<_> = requests
        .iter()
        .filter(|r| r.action().as_deref() == Some("AssumeRole"))
        .collect();
    assert_eq!(sts.len(), 1, "cached: one AssumeRole for five calls");
    assert_eq!(sts[0].verdict, Verdict::Accepted);
    assert_eq!(sts[0].param("Version").as_deref(), Some("2015-04-01"));
    assert_eq!(
        sts[0].param("RoleArn").as_deref(),
        Some("acs:ram::123:role/domain-admin")
    );
    assert_eq!(sts[0].param("RoleSessionName").as_deref(), Some("ci"));
    let domain: Vec<_> = requests
        .iter()
        .filter(|r| r.action().as_deref() == Some("CheckDomain"))
        .collect();
    assert_eq!(domain.len(), 5);
    for r in domain {
        assert_eq!(r.verdict, Verdict::Accepted);
        assert_eq!(r.param("AccessKeyId").as_deref(), Some(STS_ID));
        assert_eq!(r.param("SecurityToken").as_deref(), Some(STS_TOKEN));
    }
}

#[tokio::test]
async fn concurrent_callers_trigger_one_refresh() {
    let server = server_with_sts(3600).await;
    let role = Arc::new(
        AssumeRole::new(Credentials::new(TEST_KEY_ID, TEST_KEY_SECRET), "acs:ram::1:role/r")
            .endpoint(server.endpoint())
            .cached(),
    );
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let role = role.clone();
        tasks.spawn(async move { role.provide_credentials().await });
    }
    let results = tasks.join_all().await;
    assert!(results
        .iter()
        .all(|r| r.as_ref().is_ok_and(|c| c.access_key_id() == STS_ID)));
    assert_eq!(server.request_count(), 1, "sixteen concurrent callers, one AssumeRole");
}

#[tokio::test]
async fn credentials_close_to_expiry_are_refreshed() {
    // Expiring in one minute: inside the refresh margin, so every use refreshes.
    let server = server_with_sts(60).await;
    let role = AssumeRole::new(Credentials::new(TEST_KEY_ID, TEST_KEY_SECRET), "acs:ram::1:role/r")
        .endpoint(server.endpoint())
        .cached();
    role.provide_credentials().await.unwrap();
    role.provide_credentials().await.unwrap();
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn assume_role_failures_say_so() {
    let server = server_with_sts(3600).await;
    let role = AssumeRole::new(Credentials::new(TEST_KEY_ID, "wrong"), "acs:ram::1:role/r").endpoint(server.endpoint());
    match role.provide_credentials().await.unwrap_err() {
        CredentialsError::AssumeRole { role_arn, reason } => {
            assert_eq!(role_arn, "acs:ram::1:role/r");
            assert!(reason.contains("SignatureDoesNotMatch"), "{reason}");
        }
        other => panic!("expected an AssumeRole error, got {other:?}"),
    }
}

fn imds_credentials() -> String {
    format!(
        r#"{{"AccessKeyId": "{STS_ID}", "AccessKeySecret": "{STS_SECRET}", "SecurityToken": "{STS_TOKEN}",
            "Expiration": "{}", "LastUpdated": "2026-11-23T10:00:00Z", "Code": "Success"}}"#,
        expiring_in(6 * 3600)
    )
}

#[tokio::test]
async fn ecs_ram_role_uses_session_tokens_when_offered() {
    let imds = FakeImds::start("EcsDomainRole", imds_credentials(), true).await;
    let creds = EcsRamRole::new()
        .endpoint(imds.endpoint())
        .provide_credentials()
        .await
        .expect("v2");
    assert_eq!(
        (creds.access_key_id(), creds.security_token()),
        (STS_ID, Some(STS_TOKEN))
    );
    assert!(creds.expiration().is_some());
    let seen = imds.requests();
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(
        seen[1].path, "/latest/meta-data/ram/security-credentials/",
        "the role is looked up"
    );
    assert!(seen[1..].iter().all(|r| r.token.as_deref() == Some(IMDS_TOKEN)));
}

#[tokio::test]
async fn ecs_ram_role_falls_back_to_v1() {
    let imds = FakeImds::start("EcsDomainRole", imds_credentials(), false).await;
    let creds = EcsRamRole::new()
        .role_name("EcsDomainRole")
        .endpoint(imds.endpoint())
        .provide_credentials()
        .await
        .expect("v1");
    assert_eq!(creds.access_key_id(), STS_ID);
    let seen = imds.requests();
    assert_eq!(seen.len(), 2, "token attempt, then the credentials (role given)");
    assert!(seen[1].token.is_none());

    let broken = FakeImds::start("R", r#"{"Code": "Failed"}"#.to_owned(), false).await;
    match EcsRamRole::new()
        .endpoint(broken.endpoint())
        .provide_credentials()
        .await
        .unwrap_err()
    {
        CredentialsError::Imds { step, reason } => {
            assert_eq!(step, "credentials");
            assert!(reason.contains("Failed"), "{reason}");
        }
        other => panic!("expected an IMDS error, got {other:?}"),
    }
}

#[tokio::test]
async fn profile_file_modes() {
    let ak = r#"{"name": "default", "mode": "AK", "access_key_id": "testid", "access_key_secret": "testsecret"}"#;
    let sts =
        r#"{"name": "sts", "mode": "StsToken", "access_key_id": "a", "access_key_secret": "b", "sts_token": "t"}"#;
    let odd = r#"{"name": "odd", "mode": "RsaKeyPair", "key_pair_name": "kp"}"#;
    let ecs = r#"{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "EcsDomainRole"}"#;
    let path = temp_file(&config_json(&[ak, sts, odd, ecs].join(","), "default"));

    let current = ProfileFile::new(&path, None).provide_credentials().await.unwrap();
    assert_eq!((current.access_key_id(), current.security_token()), ("testid", None));
    let named = ProfileFile::new(&path, Some("sts".into()))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(named.security_token(), Some("t"));
    match ProfileFile::new(&path, Some("odd".into()))
        .provide_credentials()
        .await
        .unwrap_err()
    {
        CredentialsError::UnsupportedMode { profile, mode } => {
            assert_eq!((profile.as_str(), mode.as_str()), ("odd", "RsaKeyPair"))
        }
        other => panic!("expected UnsupportedMode, got {other:?}"),
    }
    let imds = FakeImds::start("EcsDomainRole", imds_credentials(), true).await;
    let from_ecs = ProfileFile::new(&path, Some("ecs".into()))
        .imds_endpoint(imds.endpoint())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(from_ecs.access_key_id(), STS_ID);
    let missing = ProfileFile::new(&path, Some("nope".into()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("no profile named \"nope\""), "{missing}");

    let broken = temp_file("{ not json");
    match ProfileFile::new(&broken, None).provide_credentials().await.unwrap_err() {
        CredentialsError::Profile { path, reason } => {
            assert_eq!(path, broken.display().to_string());
            assert!(reason.contains("not a valid config.json"), "{reason}");
        }
        other => panic!("expected a Profile error, got {other:?}"),
    }
    let out_of_range =
        temp_file(r#"{"current": "r", "profiles": [{"name": "r", "mode": "AK", "expired_seconds": -1}]}"#);
    let err = ProfileFile::new(&out_of_range, None)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("expired_seconds -1 is out of range"), "{err}");
}

#[tokio::test]
async fn profile_file_ram_role_arn_assumes_the_role() {
    let server = server_with_sts(3600).await;
    let profile = format!(
        r#"{{"name": "role", "mode": "RamRoleArn", "access_key_id": "{TEST_KEY_ID}", "access_key_secret": "{TEST_KEY_SECRET}",
            "ram_role_arn": "acs:ram::1:role/r", "ram_session_name": "cli", "expired_seconds": 900, "sts_endpoint": "{}",
            "external_id": "abcd1234"}}"#,
        server.endpoint()
    );
    let path = temp_file(&config_json(&profile, "role"));
    let client = domain_client(&server, ProfileFile::new(&path, None));
    client
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .expect("via the assumed role");
    client.check_domain().domain_name("a.com").send().await.expect("cached");
    let sts: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.action().as_deref() == Some("AssumeRole"))
        .collect();
    assert_eq!(sts.len(), 1);
    assert_eq!(sts[0].param("DurationSeconds").as_deref(), Some("900"));
    assert_eq!(sts[0].param("RoleSessionName").as_deref(), Some("cli"));
    assert_eq!(sts[0].param("ExternalId").as_deref(), Some("abcd1234"));
}

fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
    move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
}

#[tokio::test]
async fn the_default_chain_takes_the_first_source_that_has_credentials() {
    let no_file = std::env::temp_dir().join("domain-sdk-test-no-such-file.json");
    // 1. The environment wins.
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(env_of(&[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "envid"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "envsecret"),
        ]))
        .profile_path(temp_file(&config_json(
            r#"{"name": "default", "mode": "AK", "access_key_id": "fileid", "access_key_secret": "s"}"#,
            "default",
        )))
        .build();
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), "envid");

    // 2. Then the profile file, with the profile the environment names.
    let path = temp_file(&config_json(
        r#"{"name": "default", "mode": "AK", "access_key_id": "fileid", "access_key_secret": "s"},
           {"name": "other", "mode": "AK", "access_key_id": "otherid", "access_key_secret": "s"}"#,
        "default",
    ));
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(env_of(&[("ALIBABA_CLOUD_PROFILE", "other")]))
        .profile_path(&path)
        .build();
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), "otherid");

    // 3. Then the ECS RAM role, when named.
    let imds = FakeImds::start("EcsDomainRole", imds_credentials(), true).await;
    let chain = DefaultCredentialsChain::builder()
        .credentials_file(no_ini())
        .env(env_of(&[("ALIBABA_CLOUD_ECS_METADATA", "EcsDomainRole")]))
        .profile_path(&no_file)
        .imds_endpoint(imds.endpoint())
        .build();
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), STS_ID);
    chain.provide_credentials().await.unwrap();
    assert_eq!(
        imds.requests()
            .iter()
            .filter(|r| r.path.ends_with("EcsDomainRole"))
            .count(),
        1,
        "cached"
    );

    // Nothing anywhere: an error listing every step.
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(env_of(&[]))
        .profile_path(&no_file)
        .build();
    match chain.provide_credentials().await.unwrap_err() {
        CredentialsError::Exhausted { tried } => {
            assert_eq!(tried.len(), 6, "{tried:?}");
            assert!(
                tried[0].contains("ALIBABA_CLOUD_ACCESS_KEY_ID")
                    && tried[1].contains("ALIBABA_CLOUD_OIDC_TOKEN_FILE")
                    && tried[3].contains("credentials file")
                    && tried[4].contains("no instance metadata service answered")
                    && tried[5].contains("ALIBABA_CLOUD_CREDENTIALS_URI"),
                "{tried:?}"
            );
        }
        other => panic!("expected Exhausted, got {other:?}"),
    }

    // A malformed source stops the chain and is named, rather than silently skipped.
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(env_of(&[("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")]))
        .profile_path(&no_file)
        .build();
    assert_eq!(
        chain.provide_credentials().await.unwrap_err(),
        CredentialsError::MissingVariable("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
    );
    let broken = temp_file("[]");
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(env_of(&[]))
        .profile_path(&broken)
        .build();
    assert!(matches!(
        chain.provide_credentials().await.unwrap_err(),
        CredentialsError::Profile { .. }
    ));
}

#[tokio::test]
async fn a_client_without_credentials_reports_which_sources_it_tried() {
    let server = e2e::start_server().await;
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(env_of(&[]))
        .profile_path(std::env::temp_dir().join("domain-sdk-test-no-such-file.json"))
        .build();
    let client = domain_client(&server, chain);
    let err = client.check_domain().domain_name("a.com").send().await.unwrap_err();
    assert!(
        matches!(err, Error::Credentials(CredentialsError::Exhausted { .. })),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 0, "nothing is sent unsigned");
}

/// A fake credentials URI: answers every GET with `status` and `body`.
async fn credentials_uri(status: &'static str, body: String) -> e2e::raw::RawServer {
    use e2e::raw::{response, RawServer};
    RawServer::start(move |_| vec![response(status, &[], &body)]).await
}

fn uri_json(code: Option<&str>, expires_in: i64) -> String {
    let code = code.map(|c| format!(r#""Code": "{c}", "#)).unwrap_or_default();
    format!(
        r#"{{{code}"AccessKeyId": "{STS_ID}", "AccessKeySecret": "{STS_SECRET}", "SecurityToken": "{STS_TOKEN}", "Expiration": "{}"}}"#,
        expiring_in(expires_in)
    )
}

#[tokio::test]
async fn a_credentials_uri_is_read_with_or_without_code_success() {
    for code in [Some("Success"), None] {
        let server = credentials_uri("200 OK", uri_json(code, 3600)).await;
        let provider = domain_sdk::CredentialsUri::new(format!("{}/creds?token=platform-secret", server.endpoint()));
        let c = provider.provide_credentials().await.unwrap();
        assert_eq!((c.access_key_id(), c.security_token()), (STS_ID, Some(STS_TOKEN)));
        assert!(c.expiration().is_some());
        assert_eq!(server.requests()[0].target(), "/creds?token=platform-secret");
        let shown = format!("{provider:?}");
        assert!(
            !shown.contains("platform-secret"),
            "the URI's query is not shown: {shown}"
        );
    }
}

#[tokio::test]
async fn a_credentials_uri_is_cached_until_shortly_before_expiry() {
    // An hour left: read once.
    let server = credentials_uri("200 OK", uri_json(None, 3600)).await;
    let cached = CachedCredentials::new(domain_sdk::CredentialsUri::new(server.endpoint()));
    for _ in 0..3 {
        cached.provide_credentials().await.unwrap();
    }
    assert_eq!(server.request_count(), 1);
    // A minute left (inside the refresh margin): read again at every use.
    let server = credentials_uri("200 OK", uri_json(None, 60)).await;
    let cached = CachedCredentials::new(domain_sdk::CredentialsUri::new(server.endpoint()));
    for _ in 0..3 {
        cached.provide_credentials().await.unwrap();
    }
    assert_eq!(server.request_count(), 3);
}

#[tokio::test]
async fn a_credentials_uri_that_fails_says_why_and_shows_no_secret() {
    for (status, body, expected) in [
        ("200 OK", uri_json(Some("Failed"), 3600), "Code is \"Failed\""),
        ("500 Internal Server Error", String::from("{}"), "HTTP 500"),
        (
            "200 OK",
            format!(r#"{{"AccessKeyId": "{STS_ID}", "AccessKeySecret": "{STS_SECRET}""#),
            "not the expected JSON",
        ),
        (
            "200 OK",
            format!(r#"{{"AccessKeyId": "{STS_ID}", "AccessKeySecret": "{STS_SECRET}"}}"#),
            "no SecurityToken",
        ),
    ] {
        let server = credentials_uri(status, body).await;
        let err = domain_sdk::CredentialsUri::new(server.endpoint())
            .provide_credentials()
            .await
            .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(shown.contains(expected), "{shown}");
        assert!(shown.contains("credentials URI http://127.0.0.1:"), "{shown}");
        assert!(!shown.contains(STS_SECRET) && !shown.contains("CAES"), "{shown}");
    }
    // Nothing listening: a connect error, quickly (the provider's own timeouts).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = domain_sdk::CredentialsUri::new(format!("http://127.0.0.1:{port}/"))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, CredentialsError::Uri { .. }), "{err:?}");
}

#[tokio::test]
async fn the_default_chain_ends_with_the_credentials_uri() {
    let server = credentials_uri("200 OK", uri_json(Some("Success"), 3600)).await;
    let uri = server.endpoint().to_owned();
    let no_file = std::env::temp_dir().join("domain-sdk-test-no-such-file.json");
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(move |name| (name == "ALIBABA_CLOUD_CREDENTIALS_URI").then(|| uri.clone()))
        .profile_path(&no_file)
        .build();
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), STS_ID);
    chain.provide_credentials().await.unwrap();
    assert_eq!(server.request_count(), 1, "chosen once, then cached");
}

fn oidc_answer(expires_in: i64) -> String {
    format!(
        r#"{{"RequestId": "R", "Credentials": {{"AccessKeyId": "{STS_ID}", "AccessKeySecret": "{STS_SECRET}", "SecurityToken": "{STS_TOKEN}", "Expiration": "{}"}}}}"#,
        expiring_in(expires_in)
    )
}

/// A fake STS that answers `AssumeRoleWithOIDC` with `status` and `body`.
async fn fake_sts(status: &'static str, body: String) -> e2e::raw::RawServer {
    use e2e::raw::{response, RawServer};
    RawServer::start(move |_| vec![response(status, &[], &body)]).await
}

fn form_param(body: &str, name: &str) -> Option<String> {
    e2e::sig::parse_pairs(body)
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

const ROLE: &str = "acs:ram::123456:role/domain-rrsa";
const OIDC_PROVIDER: &str = "acs:ram::123456:oidc-provider/ack-rrsa";

#[tokio::test]
async fn oidc_assumes_the_role_unsigned_with_the_token_from_its_file() {
    let sts = fake_sts("200 OK", oidc_answer(3600)).await;
    let token_file = temp_file("eyJhbGciOiJSUzI1NiJ9.first-token.sig\n");
    let provider = domain_sdk::OidcRoleArn::new(ROLE, OIDC_PROVIDER, &token_file)
        .session_name("my-pod")
        .endpoint(sts.endpoint());
    let c = provider.provide_credentials().await.unwrap();
    assert_eq!((c.access_key_id(), c.security_token()), (STS_ID, Some(STS_TOKEN)));
    let r = &sts.requests()[0];
    assert!(r.head.starts_with("POST /?"), "{}", r.head);
    let query = r.target().trim_start_matches("/?");
    for (k, v) in [
        ("Action", "AssumeRoleWithOIDC"),
        ("Version", "2015-04-01"),
        ("Format", "JSON"),
    ] {
        assert_eq!(form_param(query, k).as_deref(), Some(v), "{query}");
    }
    assert!(
        form_param(query, "Signature").is_none() && form_param(query, "AccessKeyId").is_none(),
        "unsigned"
    );
    let body = r.body_text();
    assert_eq!(
        form_param(&body, "OIDCToken").as_deref(),
        Some("eyJhbGciOiJSUzI1NiJ9.first-token.sig")
    );
    assert_eq!(form_param(&body, "RoleArn").as_deref(), Some(ROLE));
    assert_eq!(form_param(&body, "OIDCProviderArn").as_deref(), Some(OIDC_PROVIDER));
    assert_eq!(form_param(&body, "RoleSessionName").as_deref(), Some("my-pod"));
    assert_eq!(form_param(&body, "DurationSeconds").as_deref(), Some("3600"));
}

#[tokio::test]
async fn oidc_reads_the_rotated_token_at_every_refresh() {
    // A minute left: inside the refresh margin, so every use refreshes.
    let sts = fake_sts("200 OK", oidc_answer(60)).await;
    let token_file = temp_file("token-one");
    let cached = domain_sdk::OidcRoleArn::new(ROLE, OIDC_PROVIDER, &token_file)
        .endpoint(sts.endpoint())
        .cached();
    cached.provide_credentials().await.unwrap();
    std::fs::write(&token_file, "token-two").unwrap();
    cached.provide_credentials().await.unwrap();
    let tokens: Vec<Option<String>> = sts
        .requests()
        .iter()
        .map(|r| form_param(&r.body_text(), "OIDCToken"))
        .collect();
    assert_eq!(tokens, [Some("token-one".to_owned()), Some("token-two".to_owned())]);
    let sessions: Vec<Option<String>> = sts
        .requests()
        .iter()
        .map(|r| form_param(&r.body_text(), "RoleSessionName"))
        .collect();
    assert!(
        sessions
            .iter()
            .all(|s| s.as_deref().is_some_and(|s| s.starts_with("domain-sdk-"))),
        "{sessions:?}"
    );
}

#[tokio::test]
async fn oidc_failures_say_why_and_never_show_the_token() {
    let token = "eyJsecret-oidc-token";
    let token_file = temp_file(token);
    let body = format!(r#"{{"Code": "AuthenticationFail.OIDCToken.Expired", "Message": "token {token} has expired"}}"#);
    let sts = fake_sts("400 Bad Request", body).await;
    let err = domain_sdk::OidcRoleArn::new(ROLE, OIDC_PROVIDER, &token_file)
        .endpoint(sts.endpoint())
        .provide_credentials()
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(
        shown.contains("AuthenticationFail.OIDCToken.Expired") && shown.contains(ROLE),
        "{shown}"
    );
    assert!(!shown.contains(token), "{shown}");

    let sts = fake_sts("200 OK", "<html>".to_owned()).await;
    let err = domain_sdk::OidcRoleArn::new(ROLE, OIDC_PROVIDER, &token_file)
        .endpoint(sts.endpoint())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not JSON"), "{err}");

    let missing = std::env::temp_dir().join("domain-sdk-no-such-oidc-token");
    let err = domain_sdk::OidcRoleArn::new(ROLE, OIDC_PROVIDER, &missing)
        .endpoint(sts.endpoint())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot read the OIDC token file"), "{err}");

    let err = domain_sdk::OidcRoleArn::new(ROLE, OIDC_PROVIDER, &token_file)
        .duration_secs(600)
        .endpoint(sts.endpoint())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("at least 900"), "{err}");
}

#[test]
fn sts_endpoints_follow_region_and_vpc() {
    assert_eq!(domain_sdk::sts_endpoint(None, true), "https://sts.aliyuncs.com");
    assert_eq!(
        domain_sdk::sts_endpoint(Some("cn-hangzhou"), false),
        "https://sts.cn-hangzhou.aliyuncs.com"
    );
    assert_eq!(
        domain_sdk::sts_endpoint(Some("cn-hangzhou"), true),
        "https://sts-vpc.cn-hangzhou.aliyuncs.com"
    );
    let oidc = domain_sdk::OidcRoleArn::from_lookup(|n| match n {
        "ALIBABA_CLOUD_ROLE_ARN" => Some(ROLE.into()),
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN" => Some(OIDC_PROVIDER.into()),
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE" => Some("/var/run/token".into()),
        "ALIBABA_CLOUD_STS_REGION" => Some("ap-southeast-1".into()),
        "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED" => Some("true".into()),
        _ => None,
    })
    .expect("all three set");
    assert_eq!(oidc.sts_endpoint(), "https://sts-vpc.ap-southeast-1.aliyuncs.com");
    assert!(domain_sdk::OidcRoleArn::from_lookup(|n| (n == "ALIBABA_CLOUD_ROLE_ARN").then(|| ROLE.into())).is_none());
}

#[tokio::test]
async fn the_default_chain_takes_oidc_second_and_honours_the_switches() {
    let no_file = std::env::temp_dir().join("domain-sdk-test-no-such-file.json");
    let sts = fake_sts("200 OK", oidc_answer(3600)).await;
    let token_file = temp_file("chain-token").display().to_string();
    let profile = temp_file(&config_json(
        r#"{"name": "default", "mode": "AK", "access_key_id": "fileid", "access_key_secret": "s"}"#,
        "default",
    ));
    let env = move |pairs: Vec<(&'static str, String)>| {
        move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone())
    };
    // OIDC comes before the profile file.
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(env(vec![
            ("ALIBABA_CLOUD_ROLE_ARN", ROLE.into()),
            ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", OIDC_PROVIDER.into()),
            ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_file),
        ]))
        .profile_path(&profile)
        .sts_endpoint(sts.endpoint())
        .build();
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), STS_ID);

    // ALIBABA_CLOUD_CONFIG_FILE names the profile file; ALIBABA_CLOUD_CLI_PROFILE_DISABLED skips it.
    let path = profile.display().to_string();
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(env(vec![("ALIBABA_CLOUD_CONFIG_FILE", path.clone())]))
        .build();
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), "fileid");
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(env(vec![
            ("ALIBABA_CLOUD_CONFIG_FILE", path),
            ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true".into()),
        ]))
        .build();
    match chain.provide_credentials().await.unwrap_err() {
        CredentialsError::Exhausted { tried } => {
            assert!(
                tried[2].contains("ALIBABA_CLOUD_CLI_PROFILE_DISABLED is true"),
                "{tried:?}"
            )
        }
        other => panic!("expected Exhausted, got {other:?}"),
    }

    // ALIBABA_CLOUD_ECS_METADATA_DISABLED skips the ECS RAM role even when one is named.
    let imds = FakeImds::start("EcsDomainRole", imds_credentials(), true).await;
    let chain = DefaultCredentialsChain::builder()
        .credentials_file(no_ini())
        .env(env(vec![
            ("ALIBABA_CLOUD_ECS_METADATA", "EcsDomainRole".into()),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true".into()),
        ]))
        .profile_path(&no_file)
        .imds_endpoint(imds.endpoint())
        .build();
    assert!(chain.provide_credentials().await.is_err());
    assert!(imds.requests().is_empty(), "the metadata service was not asked");
}

#[tokio::test]
async fn imds_v1_can_be_disabled() {
    // A metadata service that offers no v2 session token.
    let imds = FakeImds::start("EcsDomainRole", imds_credentials(), false).await;
    let err = EcsRamRole::new()
        .role_name("EcsDomainRole")
        .endpoint(imds.endpoint())
        .imds_v1(false)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("v1 is disabled"), "{err}");
    let ok = EcsRamRole::new()
        .role_name("EcsDomainRole")
        .endpoint(imds.endpoint())
        .provide_credentials()
        .await;
    assert!(ok.is_ok(), "{ok:?}");
}

/// A path where no INI credentials file is, so that a developer's own `~/.alibabacloud/credentials` cannot leak in.
fn no_ini() -> PathBuf {
    e2e::no_credentials_file()
}

#[tokio::test]
async fn the_ini_credentials_file_types() {
    let ini = temp_file(
        "# the official SDKs' credentials file\n[default]\nenable = true\ntype = access_key\naccess_key_id = iniid\naccess_key_secret = inisecret\n\n\
         [ecs]\ntype = ecs_ram_role\nrole_name = EcsDomainRole\n\n[off]\nenable = false\ntype = access_key\naccess_key_id = x\naccess_key_secret = y\n\n\
         [bearer]\ntype = bearer\nbearer_token = t\n",
    );
    let c = domain_sdk::CredentialsFile::new(&ini, "default")
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "iniid");
    let imds = FakeImds::start("EcsDomainRole", imds_credentials(), true).await;
    let c = domain_sdk::CredentialsFile::new(&ini, "ecs")
        .imds_endpoint(imds.endpoint())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), STS_ID);
    for (section, expected) in [
        ("off", "disabled"),
        ("bearer", "type \"bearer\""),
        ("nope", "no section [nope]"),
    ] {
        let err = domain_sdk::CredentialsFile::new(&ini, section)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.to_string().contains(expected), "{section}: {err}");
        assert!(!format!("{err:?}").contains("inisecret"));
    }
    // In the chain: after the CLI profile, named by ALIBABA_CLOUD_CREDENTIALS_FILE, section by ALIBABA_CLOUD_PROFILE.
    let no_file = std::env::temp_dir().join("domain-sdk-test-no-such-file.json");
    let path = ini.display().to_string();
    let chain = DefaultCredentialsChain::builder()
        .env(move |n| match n {
            "ALIBABA_CLOUD_CREDENTIALS_FILE" => Some(path.clone()),
            "ALIBABA_CLOUD_PROFILE" => Some("ecs".into()),
            _ => None,
        })
        .profile_path(&no_file)
        .imds_endpoint(imds.endpoint())
        .build();
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), STS_ID);
}

#[tokio::test]
async fn chainable_ram_role_arn_assumes_from_its_source_profile_and_rejects_cycles() {
    let server = server_with_sts(3600).await;
    let profiles = format!(
        r#"{{"name": "base", "mode": "AK", "access_key_id": "{TEST_KEY_ID}", "access_key_secret": "{TEST_KEY_SECRET}"}},
           {{"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "base", "ram_role_arn": "acs:ram::1:role/r",
             "sts_endpoint": "{}"}},
           {{"name": "a", "mode": "ChainableRamRoleArn", "source_profile": "b", "ram_role_arn": "x"}},
           {{"name": "b", "mode": "ChainableRamRoleArn", "source_profile": "a", "ram_role_arn": "x"}}"#,
        server.endpoint()
    );
    let path = temp_file(&config_json(&profiles, "chained"));
    let client = domain_client(&server, ProfileFile::new(&path, None));
    client
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .expect("via the chained role");
    let sts: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.action().as_deref() == Some("AssumeRole"))
        .collect();
    assert_eq!(sts.len(), 1);
    assert_eq!(
        sts[0].param("AccessKeyId").as_deref(),
        Some(TEST_KEY_ID),
        "signed with the source profile"
    );
    assert_eq!(sts[0].verdict, Verdict::Accepted);
    let err = ProfileFile::new(&path, Some("a".into()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cycle: a -> b -> a"), "{err}");
}

#[tokio::test]
async fn an_oidc_profile_assumes_the_role_with_its_token_file() {
    let sts = fake_sts("200 OK", oidc_answer(3600)).await;
    let token = temp_file("profile-oidc-token");
    let profile = format!(
        r#"{{"name": "k8s", "mode": "OIDC", "ram_role_arn": "{ROLE}", "oidc_provider_arn": "{OIDC_PROVIDER}",
             "oidc_token_file": "{}", "sts_endpoint": "{}"}}"#,
        token.display(),
        sts.endpoint()
    );
    let path = temp_file(&config_json(&profile, "k8s"));
    let c = ProfileFile::new(&path, None).provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id(), STS_ID);
    assert_eq!(
        form_param(&sts.requests()[0].body_text(), "OIDCToken").as_deref(),
        Some("profile-oidc-token")
    );
}

/// An executable script printing `output` (or failing), for `External` profiles.
#[cfg(unix)]
fn script(body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = temp_file(&format!("#!/bin/sh\n{body}\n"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[cfg(unix)]
#[tokio::test]
async fn an_external_profile_runs_its_command() {
    let ok = script(&format!(
        r#"echo '{{"mode": "StsToken", "access_key_id": "{STS_ID}", "access_key_secret": "{STS_SECRET}", "sts_token": "{STS_TOKEN}", "expiration": "{}"}}'"#,
        expiring_in(3600)
    ));
    let profile = format!(
        r#"{{"name": "ext", "mode": "External", "process_command": "{} --profile x"}}"#,
        ok.display()
    );
    let path = temp_file(&config_json(&profile, "ext"));
    let c = ProfileFile::new(&path, None).provide_credentials().await.unwrap();
    assert_eq!((c.access_key_id(), c.security_token()), (STS_ID, Some(STS_TOKEN)));
    assert!(c.expiration().is_some());

    let failing = script(&format!("echo '{STS_SECRET}'; echo 'not signed in' >&2; exit 3"));
    let err = domain_sdk::ExternalProcess::new(failing.display().to_string())
        .provide_credentials()
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(
        shown.contains("not signed in") && shown.contains("exit status: 3"),
        "{shown}"
    );
    assert!(!shown.contains(STS_SECRET), "{shown}");

    let garbage = script(&format!("echo '{{\"mode\": \"AK\", \"access_key_id\": \"{STS_SECRET}'"));
    let err = domain_sdk::ExternalProcess::new(garbage.display().to_string())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("not the expected JSON") && !err.to_string().contains(STS_SECRET),
        "{err}"
    );

    let slow = script("sleep 30");
    let err = domain_sdk::ExternalProcess::new(slow.display().to_string())
        .timeout(std::time::Duration::from_millis(200))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("did not finish within"), "{err}");

    let err = domain_sdk::ExternalProcess::new("/no/such/program")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot run"), "{err}");

    // Words split as a shell would: a quoted argument with a space arrives whole, as the CLI passes it.
    let echo_arg = script(r#"printf '{"mode": "AK", "access_key_id": "%s", "access_key_secret": "s"}' "$1""#);
    let c = domain_sdk::ExternalProcess::new(format!("'{}' 'key id with spaces' ignored", echo_arg.display()))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id(), "key id with spaces");
    let err = domain_sdk::ExternalProcess::new(format!("{} 'unclosed", echo_arg.display()))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("unclosed quote"), "{err}");

    // A token printed without an expiration is not kept: the command runs at every use (as credentials-go).
    let runs = temp_file("");
    let counting = script(&format!(
        r#"echo run >> '{}'; echo '{{"mode": "StsToken", "access_key_id": "id", "access_key_secret": "s", "sts_token": "t"}}'"#,
        runs.display()
    ));
    let profile = format!(
        r#"{{"name": "ext", "mode": "External", "process_command": "{}"}}"#,
        counting.display()
    );
    let provider = ProfileFile::new(temp_file(&config_json(&profile, "ext")), None);
    provider.provide_credentials().await.unwrap();
    provider.provide_credentials().await.unwrap();
    assert_eq!(std::fs::read_to_string(&runs).unwrap().lines().count(), 2);
}

#[tokio::test]
async fn role_profiles_without_an_endpoint_use_the_chains_sts_endpoint() {
    let server = server_with_sts(3600).await;
    let profile = format!(
        r#"{{"name": "role", "mode": "RamRoleArn", "access_key_id": "{TEST_KEY_ID}", "access_key_secret": "{TEST_KEY_SECRET}",
            "ram_role_arn": "acs:ram::1:role/r"}}"#
    );
    let path = temp_file(&config_json(&profile, "role"));
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(|_| None)
        .profile_path(&path)
        .sts_endpoint(server.endpoint())
        .build();
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), STS_ID);
    assert!(server
        .requests()
        .iter()
        .any(|r| r.action().as_deref() == Some("AssumeRole")));
}

/// At TRACE, with the sources refreshing and failing, nothing logged carries a secret: not the temporary key's,
/// not the STS token, not the OIDC token.
#[tokio::test]
async fn credential_sources_log_no_secret() {
    let captured = e2e::Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let oidc_token = "eyJlog-test-oidc-token";
    let token_file = temp_file(oidc_token).display().to_string();
    let sts = fake_sts("200 OK", oidc_answer(60)).await;
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(move |n| match n {
            "ALIBABA_CLOUD_ROLE_ARN" => Some(ROLE.into()),
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN" => Some(OIDC_PROVIDER.into()),
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE" => Some(token_file.clone()),
            _ => None,
        })
        .sts_endpoint(sts.endpoint())
        .build();
    for _ in 0..2 {
        chain.provide_credentials().await.unwrap();
    }
    let uri = credentials_uri("200 OK", uri_json(Some("Success"), 60)).await;
    let cached = CachedCredentials::new(domain_sdk::CredentialsUri::new(uri.endpoint()));
    for _ in 0..2 {
        cached.provide_credentials().await.unwrap();
    }
    let failing = fake_sts(
        "400 Bad Request",
        format!(r#"{{"Code": "AuthenticationFail", "Message": "bad token {oidc_token}"}}"#),
    )
    .await;
    let err = domain_sdk::OidcRoleArn::new(ROLE, OIDC_PROVIDER, temp_file(oidc_token))
        .endpoint(failing.endpoint())
        .cached()
        .provide_credentials()
        .await
        .unwrap_err();
    tracing::error!(error = %err, "logged by the application");

    let logs = captured.text();
    assert!(logs.contains("refreshing temporary credentials"), "{logs}");
    assert!(logs.contains("AuthenticationFail"), "{logs}");
    for secret in [STS_SECRET, STS_TOKEN, oidc_token] {
        assert!(!logs.contains(secret), "{secret} logged:\n{logs}");
    }
}

/// A refresh that fails while the cached credentials are still valid serves those (with a warning), waits ten
/// seconds before trying again, and reaches the caller only once they are about to expire.
#[tokio::test]
async fn a_failed_refresh_keeps_serving_valid_credentials() {
    use e2e::raw::{response, RawServer};
    let log = e2e::Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // First answer: credentials with two minutes left (inside the three-minute refresh margin, so every call
    // wants a refresh); every later answer: the source is down.
    let first = uri_json(None, 120);
    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    let server = RawServer::start(move |_| {
        if count.fetch_add(1, Ordering::SeqCst) == 0 {
            vec![response("200 OK", &[], &first)]
        } else {
            vec![response(
                "503 Service Unavailable",
                &[],
                r#"{"Code": "ServiceUnavailable"}"#,
            )]
        }
    })
    .await;
    let cached = CachedCredentials::new(domain_sdk::CredentialsUri::new(server.endpoint()));
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), STS_ID);
    assert_eq!(server.request_count(), 1);
    // The refresh fails: the still-valid credentials are served, and the log says why.
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), STS_ID);
    assert_eq!(server.request_count(), 2);
    let text = log.text();
    assert!(
        text.contains("WARN") && text.contains("using the cached ones until they expire"),
        "{text}"
    );
    assert!(text.contains("HTTP 503"), "{text}");
    assert!(!text.contains(STS_SECRET) && !text.contains(STS_TOKEN), "{text}");
    // Within the next ten seconds no new attempt is made.
    assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), STS_ID);
    assert_eq!(server.request_count(), 2);

    // Credentials about to expire (10 s left) are not served after a failed refresh: the error arrives.
    let first = uri_json(None, 10);
    let count = Arc::new(AtomicUsize::new(0));
    let server = RawServer::start(move |_| {
        if count.fetch_add(1, Ordering::SeqCst) == 0 {
            vec![response("200 OK", &[], &first)]
        } else {
            vec![response("503 Service Unavailable", &[], "{}")]
        }
    })
    .await;
    let cached = CachedCredentials::new(domain_sdk::CredentialsUri::new(server.endpoint()));
    cached.provide_credentials().await.unwrap();
    let err = cached.provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::Uri { .. }), "{err:?}");
}

/// Off Alibaba Cloud the metadata address answers nothing: the chain's ECS step gives up after one second (on
/// a paused clock: no real waiting) and the chain's error says so.
#[tokio::test(start_paused = true)]
async fn the_chain_does_not_wait_for_a_metadata_service_that_does_not_answer() {
    use e2e::raw::{RawServer, Step};
    let silent = RawServer::start(|_| vec![Step::Sleep(std::time::Duration::from_secs(3600))]).await;
    let started = tokio::time::Instant::now();
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(silent.endpoint())
        .credentials_file(no_ini())
        .env(env_of(&[]))
        .profile_path(std::env::temp_dir().join("domain-sdk-test-no-such-file.json"))
        .build();
    match chain.provide_credentials().await.unwrap_err() {
        CredentialsError::Exhausted { tried } => {
            assert!(
                tried[4].contains("no instance metadata service answered within 1 s"),
                "{tried:?}"
            )
        }
        other => panic!("expected Exhausted, got {other:?}"),
    }
    assert!(
        started.elapsed() <= std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

/// On ECS without `ALIBABA_CLOUD_ECS_METADATA`, the chain finds the attached role itself.
#[tokio::test]
async fn the_chain_finds_the_instance_role_without_being_told_its_name() {
    let imds = FakeImds::start("EcsDomainRole", uri_json(Some("Success"), 3600), true).await;
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(imds.endpoint())
        .credentials_file(no_ini())
        .env(env_of(&[]))
        .profile_path(std::env::temp_dir().join("domain-sdk-test-no-such-file.json"))
        .build();
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), STS_ID);
    let paths: Vec<String> = imds.requests().into_iter().map(|r| r.path).collect();
    assert!(
        paths.contains(&"/latest/meta-data/ram/security-credentials/".to_owned())
            && paths.contains(&"/latest/meta-data/ram/security-credentials/EcsDomainRole".to_owned()),
        "{paths:?}"
    );
}

/// How the CLI's file is read where the first version of the chain read it otherwise: the environment's STS
/// endpoint before a profile's region, a role signed with the profile's STS token, an empty profile name, a
/// CredentialsURI answer without `Expiration`, an External token without one.
#[tokio::test]
async fn profile_details_as_the_cli_reads_them() {
    // ALIBABA_CLOUD_STS_ENDPOINT wins over the profile's sts_region (the CLI fills the endpoint first), and a
    // RamRoleArn profile's sts_token signs the AssumeRole.
    let server = server_with_sts(3600).await;
    let profile = format!(
        r#"{{"name": "role", "mode": "RamRoleArn", "access_key_id": "{TEST_KEY_ID}", "access_key_secret": "{TEST_KEY_SECRET}",
            "sts_token": "source-sts-token", "sts_region": "cn-shanghai", "ram_role_arn": "acs:ram::1:role/r"}}"#
    );
    let path = temp_file(&config_json(&profile, ""));
    let endpoint = server.endpoint();
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(move |n| match n {
            "ALIBABA_CLOUD_STS_ENDPOINT" => Some(endpoint.clone()),
            "ALIBABA_CLOUD_PROFILE" => Some("role".to_owned()),
            _ => None,
        })
        .profile_path(&path)
        .build();
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), STS_ID);
    let assume = &server.requests()[0];
    assert_eq!(assume.param("SecurityToken").as_deref(), Some("source-sts-token"));

    // An empty ALIBABA_CLOUD_PROFILE is no choice: the file's `current` is used.
    let path = temp_file(&config_json(
        r#"{"name": "main", "mode": "AK", "access_key_id": "mainid", "access_key_secret": "s"}"#,
        "main",
    ));
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(NO_IMDS)
        .credentials_file(no_ini())
        .env(|n| (n == "ALIBABA_CLOUD_PROFILE").then(String::new))
        .profile_path(&path)
        .build();
    assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), "mainid");

    // A CredentialsURI profile takes an answer without Expiration (as the CLI), and asks again at every use.
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let body = format!(
        r#"{{"Code": "Success", "AccessKeyId": "{STS_ID}", "AccessKeySecret": "{STS_SECRET}", "SecurityToken": "{STS_TOKEN}"}}"#
    );
    let uri = e2e::raw::RawServer::start(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
        vec![e2e::raw::response("200 OK", &[], &body)]
    })
    .await;
    let profile = format!(
        r#"{{"name": "u", "mode": "CredentialsURI", "credentials_uri": "{}/c"}}"#,
        uri.endpoint()
    );
    let provider = ProfileFile::new(temp_file(&config_json(&profile, "u")), None);
    assert_eq!(
        provider.provide_credentials().await.unwrap().security_token(),
        Some(STS_TOKEN)
    );
    provider.provide_credentials().await.unwrap();
    assert_eq!(
        count.load(Ordering::SeqCst),
        2,
        "a token of unknown lifetime is not kept"
    );
}

/// A metadata address that answers every request with an error page (a proxy, a captive portal) is not taken
/// for a metadata service: the chain goes on and says so.
#[tokio::test]
async fn an_error_page_at_the_metadata_address_is_not_a_metadata_service() {
    use e2e::raw::{response, RawServer};
    let portal = RawServer::start(|_| vec![response("403 Forbidden", &[], "<html>sign in to the Wi-Fi</html>")]).await;
    let chain = DefaultCredentialsChain::builder()
        .imds_endpoint(portal.endpoint())
        .credentials_file(no_ini())
        .env(env_of(&[]))
        .profile_path(std::env::temp_dir().join("domain-sdk-test-no-such-file.json"))
        .build();
    match chain.provide_credentials().await.unwrap_err() {
        CredentialsError::Exhausted { tried } => {
            assert!(tried[4].contains("no instance metadata service answered"), "{tried:?}")
        }
        other => panic!("expected Exhausted, got {other:?}"),
    }
}

/// While a refresh is under way, callers holding still-valid credentials do not wait for it; a source that
/// fails with nothing valid cached is not asked again by the callers of the next two seconds.
#[tokio::test]
async fn a_slow_refresh_holds_up_nobody_and_a_failing_source_is_not_hammered() {
    use e2e::raw::{response, RawServer, Step};
    // First answer at once (two minutes of life: every call wants a refresh); the next never comes.
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let body = uri_json(None, 120);
    let server = RawServer::start(move |_| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            vec![response("200 OK", &[], &body)]
        } else {
            vec![Step::Sleep(std::time::Duration::from_secs(3600))]
        }
    })
    .await;
    let cached = Arc::new(CachedCredentials::new(domain_sdk::CredentialsUri::new(
        server.endpoint(),
    )));
    cached.provide_credentials().await.unwrap();
    let slow = tokio::spawn({
        let cached = cached.clone();
        async move { cached.provide_credentials().await }
    });
    // Wait until the slow refresh has reached the server, then ask: the valid credentials come at once.
    while count.load(Ordering::SeqCst) < 2 {
        tokio::task::yield_now().await;
    }
    let answer = tokio::time::timeout(std::time::Duration::from_secs(60), cached.provide_credentials())
        .await
        .expect("served from the cache, not after the refresh");
    assert_eq!(answer.unwrap().access_key_id(), STS_ID);
    assert!(!slow.is_finished(), "the refresh is still under way");
    slow.abort();

    // Nothing valid cached and the source refuses: one request, then the same error for the next callers.
    let server = credentials_uri("500 Internal Server Error", "{}".to_owned()).await;
    let cached = CachedCredentials::new(domain_sdk::CredentialsUri::new(server.endpoint()));
    for _ in 0..3 {
        assert!(cached.provide_credentials().await.is_err());
    }
    assert_eq!(server.request_count(), 1);
}

/// `RamRoleArnWithRoleName` (the CLI's): the instance role's credentials sign the AssumeRole of `ram_role_arn`.
#[tokio::test]
async fn a_role_assumed_with_the_instance_role() {
    let imds = FakeImds::start("EcsDomainRole", uri_json(Some("Success"), 3600), true).await;
    let server = server_with_sts(3600).await;
    let profile = format!(
        r#"{{"name": "r", "mode": "RamRoleArnWithRoleName", "ram_role_name": "EcsDomainRole",
            "ram_role_arn": "acs:ram::1:role/domain-admin", "ram_session_name": "s1", "sts_endpoint": "{}"}}"#,
        server.endpoint()
    );
    let provider = ProfileFile::new(temp_file(&config_json(&profile, "r")), None).imds_endpoint(imds.endpoint());
    assert_eq!(provider.provide_credentials().await.unwrap().access_key_id(), STS_ID);
    let assume = &server.requests()[0];
    assert_eq!(assume.action().as_deref(), Some("AssumeRole"));
    assert_eq!(
        assume.param("AccessKeyId").as_deref(),
        Some(STS_ID),
        "signed with the instance role's key"
    );
    assert_eq!(assume.param("SecurityToken").as_deref(), Some(STS_TOKEN));
    assert_eq!(assume.param("RoleArn").as_deref(), Some("acs:ram::1:role/domain-admin"));
    assert!(imds.requests().iter().any(|r| r.path.ends_with("/EcsDomainRole")));
}
