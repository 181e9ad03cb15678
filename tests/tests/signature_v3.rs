//! Signature v3 (`ACS3-HMAC-SHA256`) end to end: what goes on the wire, the server's own verification (and what it
//! answers for a request it cannot verify), the signature-mismatch diagnosis and clock-skew correction under v3.

use std::time::Duration;

use domain_sdk::{Client, Credentials, RetryConfig, SignatureVersion};
use e2e::{builder_for, start_server, Verdict, TEST_KEY_ID, TEST_KEY_SECRET};

const TOKEN: &str = "CAES+v3/sts==token";

fn v3(server: &e2e::TestServer) -> Client {
    builder_for(server)
        .signature_version(SignatureVersion::V3)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn common_parameters_travel_as_signed_headers_and_nothing_secret_is_in_the_url() {
    let server = start_server().await;
    let client = Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::with_security_token(TEST_KEY_ID, TEST_KEY_SECRET, TOKEN))
        .signature_version(SignatureVersion::V3)
        .build()
        .unwrap();
    let image = "SU1BR0U=".repeat(20_000);
    client
        .registrant_profile_real_name_verification()
        .registrant_profile_id(1)
        .identity_credential_type("SFZ")
        .identity_credential_no("1")
        .identity_credential(image.clone())
        .send()
        .await
        .unwrap();
    let seen = &server.requests()[0];
    assert_eq!(seen.verdict, Verdict::Accepted);
    assert!(seen.is_v3());
    assert_eq!((seen.method.as_str(), seen.path.as_str()), ("POST", "/"));
    assert!(seen.query.is_empty(), "no query string under v3 POST: {:?}", seen.query);
    assert_eq!(
        seen.param("IdentityCredential").as_deref(),
        Some(image.as_str()),
        "in the form body"
    );
    for common in [
        "Action",
        "Version",
        "Signature",
        "SignatureNonce",
        "Timestamp",
        "SecurityToken",
        "AccessKeyId",
    ] {
        assert!(
            !seen.body.iter().any(|(k, _)| k == common),
            "{common} is a header, not a form field"
        );
    }
    assert_eq!(
        seen.header("x-acs-action").as_deref(),
        Some("RegistrantProfileRealNameVerification")
    );
    assert_eq!(seen.header("x-acs-version").as_deref(), Some("2018-01-29"));
    assert_eq!(seen.header("x-acs-security-token").as_deref(), Some(TOKEN));
    let date = seen.header("x-acs-date").unwrap();
    assert!(
        date.len() == 20 && date.ends_with('Z') && date.as_bytes()[10] == b'T',
        "{date}"
    );
    let nonce = seen.header("x-acs-signature-nonce").unwrap();
    assert!(
        nonce.len() == 32 && nonce.bytes().all(|b| b.is_ascii_hexdigit()),
        "{nonce}"
    );
    let auth = seen.header("authorization").unwrap();
    assert!(
        auth.starts_with(&format!(
            "ACS3-HMAC-SHA256 Credential={TEST_KEY_ID},SignedHeaders=content-type;host;x-acs-action;\
             x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature="
        )),
        "{auth}"
    );
}

#[tokio::test]
async fn a_wrong_secret_under_v3_shows_the_canonical_request_and_no_token() {
    let server = start_server().await;
    let client = Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::with_security_token(TEST_KEY_ID, "wrong-secret", TOKEN))
        .signature_version(SignatureVersion::V3)
        .build()
        .unwrap();
    let err = client.check_domain().domain_name("a.com").send().await.unwrap_err();
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"));
    let mismatch = err
        .as_service_error()
        .and_then(|s| s.signature_mismatch.clone())
        .expect("diagnosed");
    assert!(
        mismatch.strings_match,
        "the same canonical request, another key: {mismatch:?}"
    );
    let canonical = mismatch
        .client_canonical_request
        .clone()
        .expect("the canonical request");
    assert!(canonical.starts_with("POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:127.0.0.1:"));
    assert!(canonical.contains("x-acs-security-token:<redacted>\n"), "{canonical}");
    let shown = format!("{err}\n{err:?}");
    assert!(shown.contains("client canonical request:\n    POST\n    /"), "{shown}");
    assert!(shown.contains("the AccessKey secret is wrong"), "{shown}");
    assert!(!shown.contains("CAES"), "{shown}");
}

#[tokio::test]
async fn clock_skew_is_corrected_under_v3() {
    let server = start_server().await;
    server.set_clock_offset_secs(3 * 3600);
    let client = v3(&server);
    client
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .expect("corrected");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].verdict,
        Verdict::Rejected("InvalidTimeStamp.Expired".into())
    );
    assert_eq!(requests[1].verdict, Verdict::Accepted);
    assert!((client.clock_offset_secs() - 3 * 3600).abs() <= 5);
}

/// A request the server cannot verify is answered with what is wrong with it.
#[tokio::test]
async fn the_server_says_what_is_wrong_with_a_v3_request() {
    let server = start_server().await;
    let http = domain_sdk::transport::http_client_builder()
        .unwrap()
        .no_proxy()
        .build()
        .unwrap();
    let url = format!("{}/", server.endpoint());
    let send = |headers: Vec<(&'static str, String)>, body: &'static str| {
        let mut r = http.post(&url).body(body);
        for (k, v) in headers {
            r = r.header(k, v);
        }
        async move {
            let resp = r.send().await.unwrap();
            let status = resp.status().as_u16();
            let body: serde_json::Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
            (
                status,
                body["Code"].as_str().unwrap_or_default().to_owned(),
                body["Message"].as_str().unwrap_or_default().to_owned(),
            )
        }
    };
    let empty_sha = e2e::sig::sha256_hex(b"");
    let base = |auth: &str| {
        vec![
            ("x-acs-action", "CheckDomain".to_owned()),
            ("x-acs-version", "2018-01-29".to_owned()),
            ("x-acs-date", "2026-01-01T00:00:00Z".to_owned()),
            ("x-acs-signature-nonce", "n".to_owned()),
            ("x-acs-content-sha256", empty_sha.clone()),
            ("authorization", auth.to_owned()),
        ]
    };
    let all_signed = "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";

    let (status, code, message) = send(
        base(&format!(
            "ACS3-HMAC-SM3 Credential=testid,SignedHeaders={all_signed},Signature=00"
        )),
        "",
    )
    .await;
    assert_eq!((status, code.as_str()), (400, "InvalidParameter"));
    assert!(
        message.contains("ACS3-HMAC-SM3") && message.contains("not supported"),
        "{message}"
    );

    let (_, code, message) = send(base("ACS3-HMAC-SHA256 Credential=testid"), "").await;
    assert_eq!(code, "InvalidParameter");
    assert!(message.contains("no SignedHeaders"), "{message}");

    let mut headers = base(&format!(
        "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders={all_signed},Signature=00"
    ));
    headers.retain(|(k, _)| *k != "x-acs-action");
    let (_, code, message) = send(headers, "").await;
    assert_eq!(code, "MissingParameter");
    assert!(message.contains("x-acs-action"), "{message}");
    assert!(
        !message.contains("parameter \u{201c}Action\u{201d}"),
        "not the misleading v1 answer: {message}"
    );

    let (_, code, message) = send(
        base("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action,Signature=00"),
        "",
    )
    .await;
    assert_eq!(code, "InvalidParameter");
    assert!(message.contains("must be signed"), "{message}");

    let (_, code, message) = send(
        base(&format!(
            "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders={all_signed},Signature=00"
        )),
        "DomainName=a.com",
    )
    .await;
    assert_eq!(code, "InvalidParameter");
    assert!(message.contains("x-acs-content-sha256"), "{message}");

    let (status, code, _) = send(
        base(&format!(
            "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders={all_signed},Signature=00"
        )),
        "",
    )
    .await;
    assert_eq!((status, code.as_str()), (403, "SignatureDoesNotMatch"));
    assert!(server.requests().iter().all(|r| r.verdict != Verdict::Accepted));
}

#[tokio::test]
async fn v3_requests_are_retried_with_a_fresh_nonce_and_date() {
    let server = start_server().await;
    server.script(
        "CheckDomain",
        e2e::Reply::Json {
            status: 503,
            body: r#"{"Code": "ServiceUnavailable"}"#.into(),
        },
    );
    let client = builder_for(&server)
        .signature_version(SignatureVersion::V3)
        .retry(RetryConfig::default().with_initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    client.check_domain().domain_name("a.com").send().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_ne!(
        requests[0].header("x-acs-signature-nonce"),
        requests[1].header("x-acs-signature-nonce")
    );
    assert_eq!(requests[1].verdict, Verdict::Accepted);
}
