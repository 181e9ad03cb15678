//! The identity fake (`domain_sdk_test_server::identity`) driven over raw HTTP/1.1, as any client would drive
//! it: the CloudSSO portal, the OAuth token and exchange endpoints, scripted failures, echoed secrets and the
//! record of requests.

use std::time::Duration;

use domain_sdk_test_server::identity::{
    IdentityFake, Issued, DEFAULT_CLOUD_SSO_ACCESS_TOKEN, OAUTH_CLIENT_ID_CN, OAUTH_CLIENT_ID_INTL,
};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What came back: status, headers (names in lower case) and body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|error| panic!("{error}: {}", self.body))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// One request on a connection of its own (closed after the answer).
async fn send(fake: &IdentityFake, method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let host = fake.endpoint().trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&host).await.expect("connect");
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.expect("write head");
    stream.write_all(body.as_bytes()).await.expect("write body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let raw = String::from_utf8(raw).expect("UTF-8 answer");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a head and a body");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let answer = Answer {
        status,
        headers,
        body: body.to_owned(),
    };
    if let Some(length) = answer.header("content-length") {
        assert_eq!(
            length.parse::<usize>().unwrap(),
            answer.body.len(),
            "the whole body came"
        );
    }
    answer
}

/// `POST /cloud-credentials` as a CloudSSO client sends it.
async fn sso(fake: &IdentityFake, token: Option<&str>, body: &str) -> Answer {
    let authorization = token.map(|token| format!("Bearer {token}"));
    let mut headers = vec![("Content-Type", "application/json"), ("Accept", "application/json")];
    if let Some(authorization) = &authorization {
        headers.push(("Authorization", authorization));
    }
    send(fake, "POST", "/cloud-credentials", &headers, body).await
}

fn sso_body(account_id: &str, access_config_id: &str) -> String {
    serde_json::json!({"AccountId": account_id, "AccessConfigurationId": access_config_id}).to_string()
}

/// `POST /cloud-credentials` with the default token, account and access configuration.
async fn sso_default(fake: &IdentityFake) -> Answer {
    sso(
        fake,
        Some(DEFAULT_CLOUD_SSO_ACCESS_TOKEN),
        &sso_body("1234567890", "ac-test"),
    )
    .await
}

/// `POST /v1/token` with a refresh grant.
async fn refresh(fake: &IdentityFake, refresh_token: &str, client_id: &str) -> Answer {
    let form = format!("grant_type=refresh_token&refresh_token={refresh_token}&client_id={client_id}");
    send(
        fake,
        "POST",
        "/v1/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &form,
    )
    .await
}

/// `POST /v1/exchange`, with a bearer token if given.
async fn exchange(fake: &IdentityFake, access_token: Option<&str>) -> Answer {
    let authorization = access_token.map(|token| format!("Bearer {token}"));
    let headers: Vec<(&str, &str)> = authorization
        .iter()
        .map(|value| ("Authorization", value.as_str()))
        .collect();
    send(fake, "POST", "/v1/exchange", &headers, "").await
}

/// Asserts `expiration` is `YYYY-MM-DDTHH:MM:SSZ` about `lifetime` from now.
fn assert_expires_in(expiration: &Value, lifetime: Duration) {
    let text = expiration.as_str().expect("a string");
    let at = time::PrimitiveDateTime::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"),
    )
    .unwrap_or_else(|error| panic!("{text}: {error}"))
    .assume_utc();
    let left = (at - time::OffsetDateTime::now_utc()).whole_seconds();
    let lifetime = i64::try_from(lifetime.as_secs()).unwrap();
    assert!(
        (lifetime - 60..=lifetime + 1).contains(&left),
        "{text} is {left} s away, not about {lifetime} s"
    );
}

#[tokio::test]
async fn urls_point_at_the_fake() {
    let fake = IdentityFake::start().await;
    let endpoint = fake.endpoint();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
    assert_eq!(fake.cloud_sso_sign_in_url(), format!("{endpoint}/start/login"));
    assert_eq!(fake.oauth_base_url(), endpoint);
    assert_eq!(fake.issued(), Issued::default());
}

#[tokio::test]
async fn cloud_sso_issues_fresh_credentials_each_time() {
    let fake = IdentityFake::start().await;
    let first = sso_default(&fake).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(first.header("content-type").unwrap().starts_with("application/json"));
    let first = first.json();
    let credential = &first["CloudCredential"];
    assert_eq!(credential["AccessKeyId"], "STS.sso-1");
    assert_eq!(credential["AccessKeySecret"], "sso-secret-1");
    assert_eq!(credential["SecurityToken"], "sso-sts-token-1");
    assert_expires_in(&credential["Expiration"], Duration::from_secs(3600));
    assert!(!first["RequestId"].as_str().unwrap().is_empty());

    fake.credentials_lifetime(Duration::from_secs(900));
    let second = sso_default(&fake).await.json();
    let credential = &second["CloudCredential"];
    assert_eq!(credential["AccessKeyId"], "STS.sso-2");
    assert_eq!(credential["AccessKeySecret"], "sso-secret-2");
    assert_eq!(credential["SecurityToken"], "sso-sts-token-2");
    assert_expires_in(&credential["Expiration"], Duration::from_secs(900));
    assert_ne!(first["RequestId"], second["RequestId"]);
    assert_eq!(
        fake.issued(),
        Issued {
            cloud_sso: 2,
            oauth_tokens: 0,
            oauth_exchanges: 0
        }
    );
}

#[tokio::test]
async fn cloud_sso_refuses_bad_tokens_bodies_and_accounts() {
    let fake = IdentityFake::start().await;
    let body = sso_body("1234567890", "ac-test");

    let missing = sso(&fake, None, &body).await;
    assert_eq!(missing.status, 401);
    assert_eq!(missing.json()["ErrorCode"], "InvalidAccessToken");
    assert!(!missing.json()["ErrorMessage"].as_str().unwrap().is_empty());
    assert!(!missing.json()["RequestId"].as_str().unwrap().is_empty());

    let unknown = sso(&fake, Some("not-a-token"), &body).await;
    assert_eq!(unknown.status, 401);
    assert_eq!(unknown.json()["ErrorCode"], "InvalidAccessToken");

    let basic = send(
        &fake,
        "POST",
        "/cloud-credentials",
        &[("Authorization", "Basic c3NvLWFjY2Vzcy10b2tlbg==")],
        &body,
    )
    .await;
    assert_eq!(basic.status, 401);

    for malformed in [
        "",
        "not json",
        "[1, 2]",
        r#"{"AccountId": "1234567890"}"#,
        r#"{"AccountId": 1, "AccessConfigurationId": "ac-test"}"#,
    ] {
        let answer = sso(&fake, Some(DEFAULT_CLOUD_SSO_ACCESS_TOKEN), malformed).await;
        assert_eq!(answer.status, 400, "{malformed}: {}", answer.body);
        assert!(answer.json()["ErrorCode"].is_string());
    }

    for (account, access_config) in [("999", "ac-test"), ("1234567890", "ac-other")] {
        let answer = sso(
            &fake,
            Some(DEFAULT_CLOUD_SSO_ACCESS_TOKEN),
            &sso_body(account, access_config),
        )
        .await;
        assert_eq!(answer.status, 403, "{}", answer.body);
        assert_eq!(answer.json()["ErrorCode"], "NoPermission");
    }
    assert_eq!(fake.issued().cloud_sso, 0);
}

#[tokio::test]
async fn cloud_sso_settings_change_while_running() {
    let fake = IdentityFake::start().await;
    fake.cloud_sso_access_token("token-b");
    fake.cloud_sso_account("42", "ac-admin");

    let old_token = sso(&fake, Some(DEFAULT_CLOUD_SSO_ACCESS_TOKEN), &sso_body("42", "ac-admin")).await;
    assert_eq!(old_token.status, 401);
    let old_account = sso(&fake, Some("token-b"), &sso_body("1234567890", "ac-test")).await;
    assert_eq!(old_account.status, 403);
    let granted = sso(&fake, Some("token-b"), &sso_body("42", "ac-admin")).await;
    assert_eq!(granted.status, 200, "{}", granted.body);

    fake.add_cloud_sso_access_token("token-c");
    for token in ["token-b", "token-c"] {
        let answer = sso(&fake, Some(token), &sso_body("42", "ac-admin")).await;
        assert_eq!(answer.status, 200, "{token}: {}", answer.body);
    }
    assert_eq!(fake.issued().cloud_sso, 3);
}

#[tokio::test]
async fn oauth_refresh_rotates_the_refresh_token() {
    let fake = IdentityFake::start().await;
    fake.oauth_tokens("seed-access", Duration::ZERO, Some("seed-refresh"));

    let first = refresh(&fake, "seed-refresh", OAUTH_CLIENT_ID_CN).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let first = first.json();
    assert_eq!(first["access_token"], "oauth-access-1");
    assert_eq!(first["refresh_token"], "oauth-refresh-1");
    assert_eq!(first["expires_in"], 3600);
    assert_eq!(first["token_type"], "Bearer");

    // The spent refresh token is refused from now on.
    let again = refresh(&fake, "seed-refresh", OAUTH_CLIENT_ID_CN).await;
    assert_eq!(again.status, 400);
    let again = again.json();
    assert_eq!(again["error"], "invalid_grant");
    assert!(again["error_description"].is_string());
    assert!(!again["requestId"].as_str().unwrap().is_empty());

    fake.oauth_access_lifetime(Duration::from_secs(120));
    let second = refresh(&fake, "oauth-refresh-1", OAUTH_CLIENT_ID_INTL).await;
    assert_eq!(second.status, 200, "{}", second.body);
    let second = second.json();
    assert_eq!(second["access_token"], "oauth-access-2");
    assert_eq!(second["refresh_token"], "oauth-refresh-2");
    assert_eq!(second["expires_in"], 120);
    assert_eq!(
        refresh(&fake, "oauth-refresh-1", OAUTH_CLIENT_ID_INTL).await.status,
        400
    );

    assert_eq!(
        fake.oauth_client_ids(),
        [
            OAUTH_CLIENT_ID_CN,
            OAUTH_CLIENT_ID_CN,
            OAUTH_CLIENT_ID_INTL,
            OAUTH_CLIENT_ID_INTL
        ]
    );
    assert_eq!(fake.issued().oauth_tokens, 2);
}

#[tokio::test]
async fn oauth_token_endpoint_checks_client_grant_and_form() {
    let fake = IdentityFake::start().await;
    fake.oauth_tokens("a", Duration::from_secs(3600), Some("rt"));

    let wrong_client = refresh(&fake, "rt", "1234").await;
    assert_eq!(wrong_client.status, 400);
    assert_eq!(wrong_client.json()["error"], "invalid_client");
    let no_client = send(
        &fake,
        "POST",
        "/v1/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "grant_type=refresh_token&refresh_token=rt",
    )
    .await;
    assert_eq!(no_client.status, 400);

    let wrong_grant = send(
        &fake,
        "POST",
        "/v1/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &format!("grant_type=password&refresh_token=rt&client_id={OAUTH_CLIENT_ID_CN}"),
    )
    .await;
    assert_eq!(wrong_grant.status, 400);
    assert_eq!(wrong_grant.json()["error"], "unsupported_grant_type");

    let as_json = send(
        &fake,
        "POST",
        "/v1/token",
        &[("Content-Type", "application/json")],
        &format!("grant_type=refresh_token&refresh_token=rt&client_id={OAUTH_CLIENT_ID_CN}"),
    )
    .await;
    assert_eq!(as_json.status, 400);
    assert_eq!(as_json.json()["error"], "invalid_request");

    let unknown = refresh(&fake, "who-knows", OAUTH_CLIENT_ID_CN).await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.json()["error"], "invalid_grant");

    // None of the refusals spent the refresh token; a Timestamp field and escapes are fine.
    let accepted = send(
        &fake,
        "POST",
        "/v1/token",
        &[("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
        &format!("grant_type=refresh_token&refresh_token=%72t&client_id={OAUTH_CLIENT_ID_INTL}&Timestamp=1700000000"),
    )
    .await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert_eq!(fake.issued().oauth_tokens, 1);
    assert_eq!(
        fake.oauth_client_ids(),
        [
            "1234",
            OAUTH_CLIENT_ID_CN,
            OAUTH_CLIENT_ID_CN,
            OAUTH_CLIENT_ID_CN,
            OAUTH_CLIENT_ID_INTL
        ]
    );
}

#[tokio::test]
async fn oauth_exchange_takes_fresh_access_tokens_only() {
    let fake = IdentityFake::start().await;
    fake.oauth_tokens("live", Duration::from_secs(3600), None);
    fake.oauth_tokens("dead", Duration::ZERO, Some("rt"));

    let first = exchange(&fake, Some("live")).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let first = first.json();
    assert_eq!(first["accessKeyId"], "STS.oauth-1");
    assert_eq!(first["accessKeySecret"], "oauth-secret-1");
    assert_eq!(first["securityToken"], "oauth-sts-token-1");
    assert_expires_in(&first["expiration"], Duration::from_secs(3600));
    assert!(!first["requestId"].as_str().unwrap().is_empty());

    let second = exchange(&fake, Some("live")).await.json();
    assert_eq!(second["accessKeyId"], "STS.oauth-2");
    assert_ne!(second["accessKeySecret"], first["accessKeySecret"]);
    assert_ne!(second["securityToken"], first["securityToken"]);

    for token in [Some("dead"), Some("never-issued"), None] {
        let refused = exchange(&fake, token).await;
        assert_eq!(refused.status, 401, "{token:?}: {}", refused.body);
        let refused = refused.json();
        assert_eq!(refused["error"], "invalid_token");
        assert!(refused["error_description"].is_string());
        assert!(!refused["requestId"].as_str().unwrap().is_empty());
    }

    // A refreshed access token is accepted; one issued with a zero lifetime is not.
    let refreshed = refresh(&fake, "rt", OAUTH_CLIENT_ID_CN).await.json();
    fake.credentials_lifetime(Duration::from_secs(300));
    let third = exchange(&fake, refreshed["access_token"].as_str()).await;
    assert_eq!(third.status, 200, "{}", third.body);
    assert_expires_in(&third.json()["expiration"], Duration::from_secs(300));
    fake.oauth_access_lifetime(Duration::ZERO);
    let born_dead = refresh(&fake, refreshed["refresh_token"].as_str().unwrap(), OAUTH_CLIENT_ID_CN)
        .await
        .json();
    assert_eq!(born_dead["expires_in"], 0);
    assert_eq!(exchange(&fake, born_dead["access_token"].as_str()).await.status, 401);
    assert_eq!(
        fake.issued(),
        Issued {
            cloud_sso: 0,
            oauth_tokens: 2,
            oauth_exchanges: 3
        }
    );
}

#[tokio::test]
async fn scripted_failures_come_first_then_service_resumes() {
    let fake = IdentityFake::start().await;
    fake.oauth_tokens("live", Duration::from_secs(3600), Some("rt"));
    fake.fail_next("/cloud-credentials", 2, 503);
    fake.fail_next("/cloud-credentials", 1, 429);
    fake.fail_next("/v1/token", 1, 500);
    fake.fail_next("/v1/exchange", 1, 502);

    for (status, code) in [
        (503, "ServiceUnavailable"),
        (503, "ServiceUnavailable"),
        (429, "Throttling"),
    ] {
        let failed = sso_default(&fake).await;
        assert_eq!(failed.status, status, "{}", failed.body);
        let failed = failed.json();
        assert_eq!(failed["ErrorCode"], code);
        assert!(failed["ErrorMessage"].is_string());
        assert!(failed["RequestId"].is_string());
    }
    assert_eq!(sso_default(&fake).await.status, 200);

    let failed = refresh(&fake, "rt", OAUTH_CLIENT_ID_CN).await;
    assert_eq!(failed.status, 500);
    assert_eq!(failed.json()["error"], "server_error");
    assert!(failed.json()["requestId"].is_string());
    // The failure came before the grant: the refresh token is still good.
    assert_eq!(refresh(&fake, "rt", OAUTH_CLIENT_ID_CN).await.status, 200);

    let failed = exchange(&fake, Some("live")).await;
    assert_eq!(failed.status, 502);
    assert_eq!(failed.json()["error"], "server_error");
    assert_eq!(exchange(&fake, Some("live")).await.status, 200);

    assert_eq!(
        fake.issued(),
        Issued {
            cloud_sso: 1,
            oauth_tokens: 1,
            oauth_exchanges: 1
        }
    );
}

#[tokio::test]
#[should_panic(expected = "not an HTTP status code")]
async fn fail_next_refuses_a_status_that_is_none() {
    let fake = IdentityFake::start().await;
    fake.fail_next("/v1/token", 1, 42);
}

#[tokio::test]
async fn echo_secrets_repeats_tokens_in_error_bodies() {
    let fake = IdentityFake::start().await;
    fake.oauth_tokens("expired-access-secret", Duration::ZERO, None);

    // Off by default.
    let quiet = sso(&fake, Some("sso-token-secret"), &sso_body("1234567890", "ac-test")).await;
    assert_eq!(quiet.status, 401);
    assert!(!quiet.body.contains("sso-token-secret"), "{}", quiet.body);
    let quiet = refresh(&fake, "refresh-secret", OAUTH_CLIENT_ID_CN).await;
    assert!(!quiet.body.contains("refresh-secret"), "{}", quiet.body);

    fake.echo_secrets(true);
    let loud = sso(&fake, Some("sso-token-secret"), &sso_body("1234567890", "ac-test")).await;
    assert_eq!(loud.status, 401);
    assert!(
        loud.json()["ErrorMessage"]
            .as_str()
            .unwrap()
            .contains("sso-token-secret"),
        "{}",
        loud.body
    );

    let loud = sso(&fake, Some(DEFAULT_CLOUD_SSO_ACCESS_TOKEN), &sso_body("1", "ac-test")).await;
    assert_eq!(loud.status, 403);
    assert!(loud.body.contains(DEFAULT_CLOUD_SSO_ACCESS_TOKEN), "{}", loud.body);

    let loud = refresh(&fake, "refresh-secret", OAUTH_CLIENT_ID_CN).await;
    assert_eq!(loud.status, 400);
    assert!(
        loud.json()["error_description"]
            .as_str()
            .unwrap()
            .contains("refresh-secret"),
        "{}",
        loud.body
    );

    let loud = exchange(&fake, Some("expired-access-secret")).await;
    assert_eq!(loud.status, 401);
    assert!(loud.body.contains("expired-access-secret"), "{}", loud.body);

    fake.fail_next("/v1/exchange", 1, 503);
    let loud = exchange(&fake, Some("scripted-secret")).await;
    assert_eq!(loud.status, 503);
    assert!(loud.body.contains("scripted-secret"), "{}", loud.body);

    // A success has nothing to repeat.
    let fine = sso_default(&fake).await;
    assert_eq!(fine.status, 200);
    assert!(!fine.body.contains(DEFAULT_CLOUD_SSO_ACCESS_TOKEN), "{}", fine.body);
}

#[tokio::test]
async fn requests_are_recorded_and_debug_shows_no_token() {
    let fake = IdentityFake::start().await;
    fake.oauth_tokens("seeded-access", Duration::from_secs(60), Some("seeded-refresh"));
    sso_default(&fake).await;
    refresh(&fake, "seeded-refresh", OAUTH_CLIENT_ID_INTL).await;
    let unknown = send(&fake, "GET", "/start/login?x=1", &[], "").await;
    assert_eq!(unknown.status, 404);
    let wrong_method = send(&fake, "GET", "/v1/exchange", &[], "").await;
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.header("allow"), Some("POST"));

    let seen = fake.requests();
    assert_eq!(seen.len(), 4);
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].path, "/cloud-credentials");
    assert_eq!(seen[0].bearer_token(), Some(DEFAULT_CLOUD_SSO_ACCESS_TOKEN));
    assert_eq!(seen[0].header("Content-Type"), Some("application/json"));
    assert_eq!(seen[0].header("accept"), Some("application/json"));
    assert!(seen[0]
        .headers
        .iter()
        .all(|(name, _)| *name == name.to_ascii_lowercase()));
    assert!(seen[0].headers.contains(&(
        "authorization".to_owned(),
        format!("Bearer {DEFAULT_CLOUD_SSO_ACCESS_TOKEN}")
    )));
    let body: Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(body["AccountId"], "1234567890");

    assert_eq!(seen[1].path, "/v1/token");
    assert_eq!(seen[1].form_param("refresh_token").as_deref(), Some("seeded-refresh"));
    assert_eq!(seen[1].form_param("client_id").as_deref(), Some(OAUTH_CLIENT_ID_INTL));
    assert_eq!(seen[1].bearer_token(), None);

    assert_eq!(
        (seen[2].method.as_str(), seen[2].path.as_str()),
        ("GET", "/start/login")
    );
    assert_eq!(seen[2].query, "x=1");
    assert_eq!(seen[2].body, "");

    let debug = format!("{fake:?}");
    assert!(debug.contains(&fake.endpoint()), "{debug}");
    for secret in [
        DEFAULT_CLOUD_SSO_ACCESS_TOKEN,
        "seeded-access",
        "seeded-refresh",
        "oauth-refresh-1",
        "oauth-access-1",
    ] {
        assert!(!debug.contains(secret), "{debug}");
    }
}

#[tokio::test]
async fn one_connection_serves_several_requests() {
    let fake = IdentityFake::start().await;
    let host = fake.endpoint().trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&host).await.unwrap();
    let body = sso_body("1234567890", "ac-test");
    let one = format!(
        "POST /cloud-credentials HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {DEFAULT_CLOUD_SSO_ACCESS_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let last = one.replacen("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n", 1);
    stream.write_all(format!("{one}{last}").as_bytes()).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    assert_eq!(raw.matches("HTTP/1.1 200 OK").count(), 2, "{raw}");
    assert!(raw.contains("STS.sso-1") && raw.contains("STS.sso-2"), "{raw}");
}
