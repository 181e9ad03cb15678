//! End-to-end tests of ten representative actions and of the protocol's error paths, over real HTTP
//! against the loopback server: what the server saw on the wire, and what the SDK decoded.

use domain_sdk::operation::{
    check_domain, lookup_tmch_notice, query_domain_list, query_task_detail_list,
    save_batch_task_for_creating_order_activate,
};
use domain_sdk::{Client, Credentials, Error};
use e2e::{client_for, client_without_retries, sig, spec, start_server, Reply, Verdict, TEST_KEY_ID, TEST_KEY_SECRET};

fn params(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn query_domain_list_sends_exactly_what_was_set_and_decodes_the_reference_example() {
    let server = start_server().await;
    let out = client_for(&server)
        .query_domain_list()
        .page_num(1)
        .page_size(20)
        .start_expiration_date(1_522_080_000_000)
        .order_by_type(query_domain_list::OrderByType::Asc)
        .product_domain_type("New gTLD")
        .send()
        .await
        .expect("call succeeds");

    let seen = &server.requests()[0];
    assert_eq!(seen.verdict, Verdict::Accepted);
    assert_eq!(seen.method, "POST");
    assert_eq!(
        seen.action_params(),
        params(&[
            ("PageNum", "1"),
            ("PageSize", "20"),
            ("StartExpirationDate", "1522080000000"),
            ("OrderByType", "ASC"),
            ("ProductDomainType", "New gTLD"),
        ])
    );
    // Action parameters travel in the form body, common parameters in the query string.
    assert!(seen.body.iter().any(|(k, _)| k == "PageNum"));
    assert!(seen.query.iter().all(|(k, _)| k != "PageNum"));
    assert_eq!(seen.content_type.as_deref(), Some("application/x-www-form-urlencoded"));
    for (k, v) in [
        ("Action", "QueryDomainList"),
        ("Version", "2018-01-29"),
        ("Format", "JSON"),
        ("AccessKeyId", "testid"),
    ] {
        assert_eq!(seen.param(k).as_deref(), Some(v), "{k}");
    }
    assert_eq!(seen.param("SignatureMethod").as_deref(), Some("HMAC-SHA1"));
    assert_eq!(seen.param("SignatureVersion").as_deref(), Some("1.0"));
    let ts = seen.param("Timestamp").expect("timestamp");
    assert!(ts.len() == 20 && ts.ends_with('Z') && ts.as_bytes()[10] == b'T', "{ts}");
    assert!(seen
        .user_agent
        .as_deref()
        .is_some_and(|ua| ua.starts_with("domain-sdk/")));

    assert_eq!(out.total_item_num, Some(1));
    assert_eq!(out.next_page, Some(false));
    let domains = out.data.expect("Data");
    assert_eq!(domains.len(), 1);
    assert_eq!(domains[0].domain_name.as_deref(), Some("example.com"));
    assert_eq!(domains[0].domain_type, Some(query_domain_list::DomainType::Gtld));
    assert_eq!(domains[0].instance_id.as_deref(), Some("ST2015110212003800001928"));
}

#[tokio::test]
async fn every_request_has_a_fresh_nonce() {
    let server = start_server().await;
    let client = client_for(&server);
    for _ in 0..3 {
        client
            .check_domain()
            .domain_name("example.com")
            .send()
            .await
            .expect("accepted");
    }
    let nonces: std::collections::BTreeSet<String> = server
        .requests()
        .iter()
        .map(|r| r.param("SignatureNonce").expect("nonce"))
        .collect();
    assert_eq!(nonces.len(), 3);
}

#[tokio::test]
async fn creating_order_activate_sends_a_list_of_structures() {
    let server = start_server().await;
    use save_batch_task_for_creating_order_activate::OrderActivateParam;
    let out = client_for(&server)
        .save_batch_task_for_creating_order_activate()
        .order_activate_param(
            OrderActivateParam::new()
                .domain_name("a.com")
                .registrant_profile_id(123)
                .subscription_duration(1)
                .aliyun_dns(true),
        )
        .order_activate_param(
            OrderActivateParam::new()
                .domain_name("b.com")
                .subscription_duration(2)
                .dns1("ns1.b.com"),
        )
        .use_coupon(false)
        .send()
        .await
        .expect("call succeeds");
    assert!(out.task_no.is_some());
    let seen = &server.requests()[0];
    assert_eq!(
        seen.action_params(),
        params(&[
            ("OrderActivateParam.1.DomainName", "a.com"),
            ("OrderActivateParam.1.RegistrantProfileId", "123"),
            ("OrderActivateParam.1.SubscriptionDuration", "1"),
            ("OrderActivateParam.1.AliyunDns", "true"),
            ("OrderActivateParam.2.DomainName", "b.com"),
            ("OrderActivateParam.2.SubscriptionDuration", "2"),
            ("OrderActivateParam.2.Dns1", "ns1.b.com"),
            ("UseCoupon", "false"),
        ])
    );
}

#[tokio::test]
async fn modifying_domain_dns_sends_plain_lists_and_a_boolean() {
    let server = start_server().await;
    let client = client_for(&server);
    client
        .save_batch_task_for_modifying_domain_dns()
        .domain_name("example.com")
        .domain_name("aliyundoc.com")
        .domain_name_server("ns1.test.com")
        .domain_name_server("ns2.test.com")
        .aliyun_dns(false)
        .send()
        .await
        .expect("call succeeds");
    assert_eq!(
        server.requests()[0].action_params(),
        params(&[
            ("AliyunDns", "false"),
            ("DomainName.1", "example.com"),
            ("DomainName.2", "aliyundoc.com"),
            ("DomainNameServer.1", "ns1.test.com"),
            ("DomainNameServer.2", "ns2.test.com"),
        ])
    );

    // A required list left empty fails before anything goes on the wire.
    let err = client
        .save_batch_task_for_modifying_domain_dns()
        .aliyun_dns(true)
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::InvalidRequest { action, parameter, .. } => {
            assert_eq!(
                (*action, parameter.as_str()),
                ("SaveBatchTaskForModifyingDomainDns", "DomainName.N")
            );
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert_eq!(server.request_count(), 1, "nothing was sent for the invalid request");
}

#[tokio::test]
async fn query_task_detail_list_sends_an_integer_coded_value_and_decodes_nested_items() {
    let server = start_server().await;
    let out = client_for(&server)
        .query_task_detail_list()
        .task_no("75addb07-28a3-450e-b5ec-test")
        .page_num(1)
        .page_size(1000)
        .task_status(query_task_detail_list::TaskStatusCode::Succeeded)
        .send()
        .await
        .expect("call succeeds");
    assert_eq!(server.requests()[0].param("TaskStatus").as_deref(), Some("2"));
    let details = out.data.expect("Data");
    assert_eq!(
        details.len(),
        1,
        "the example's lone TaskDetail object is a one-item list"
    );
    assert_eq!(details[0].domain_name.as_deref(), Some("example.com"));
    assert!(details[0].task_status_code.is_some());
}

#[tokio::test]
async fn registrant_profile_real_name_verification_sends_the_image_in_a_post_body() {
    let server = start_server().await;
    // A 1 MB Base64 image: far too large for a URL.
    let image = "QUJD".repeat(256 * 1024);
    client_for(&server)
        .registrant_profile_real_name_verification()
        .registrant_profile_id(1_234_567)
        .identity_credential_type("SFZ")
        .identity_credential_no("43012512345678****")
        .identity_credential(image.clone())
        .send()
        .await
        .expect("call succeeds");
    let seen = &server.requests()[0];
    assert_eq!(seen.verdict, Verdict::Accepted);
    assert_eq!(seen.method, "POST");
    assert!(
        seen.query.iter().all(|(k, _)| k != "IdentityCredential"),
        "the image is not in the URL"
    );
    let sent = seen
        .body
        .iter()
        .find(|(k, _)| k == "IdentityCredential")
        .map(|(_, v)| v.clone());
    assert_eq!(sent.as_deref().map(str::len), Some(image.len()));
    assert_eq!(sent, Some(image));
    assert!(seen.body_len > 1_000_000);
}

#[tokio::test]
async fn query_registrant_profiles_decodes_the_deep_response() {
    let server = start_server().await;
    let out = client_for(&server)
        .query_registrant_profiles()
        .send()
        .await
        .expect("call succeeds");
    assert_eq!(out.total_item_num, Some(9));
    let profiles = out.registrant_profiles.expect("RegistrantProfiles");
    assert!(!profiles.is_empty());
    assert_eq!(profiles[0].zh_city.as_deref(), Some("杭州市"));
    assert_eq!(profiles[0].default_registrant_profile, Some(false));
}

#[tokio::test]
async fn lookup_tmch_notice_decodes_five_levels_in_either_documented_shape() {
    let server = start_server().await;
    let client = client_for(&server);
    // The reference's JSON example: the notice under "tmchNotice".
    let out = client
        .lookup_tmch_notice()
        .claim_key("k")
        .send()
        .await
        .expect("example decodes");
    let notice = out.tmch_notice.expect("tmchNotice");
    let claim = notice.claims.and_then(|c| c.claim).expect("claim");
    let street = claim
        .contacts
        .and_then(|c| c.contact)
        .and_then(|c| c.addr)
        .and_then(|a| a.street);
    assert_eq!(street.map(|s| s.len()), Some(3));

    // The table's (and the Go SDK's) shape: everything at the top level, lists wrapped.
    let flat = r#"{"RequestId": "R", "Id": 586608000000, "Label": "noted",
        "Claims": {"Claim": [{"MarkName": "POTED",
            "Contacts": {"Contact": [{"Name": "Tom", "Addr": {"Cc": "NZ", "Street": {"Street": ["Level 5", "131 Queen Street"]}}}]},
            "Holders": {"Holder": [{"Entitlement": "owner", "Org": "Whitcoulls"}]},
            "ClassDescs": {"ClassDesc": [{"ClassNum": "18", "Desc": "Leather"}]},
            "JurDesc": {"JurCC": "NZ", "Desc": "New Zealand"}}]}}"#;
    server.script(
        "LookupTmchNotice",
        Reply::Json {
            status: 200,
            body: flat.to_owned(),
        },
    );
    let out = client
        .lookup_tmch_notice()
        .claim_key("k")
        .send()
        .await
        .expect("flat shape decodes");
    assert_eq!(out.id.as_deref(), Some("586608000000"));
    let claims: Vec<lookup_tmch_notice::ClaimInfo> = out.claims.expect("Claims");
    let addr = claims[0]
        .contacts
        .as_ref()
        .and_then(|c| c[0].addr.clone())
        .expect("Addr");
    assert_eq!(
        addr.street,
        Some(vec!["Level 5".to_owned(), "131 Queen Street".to_owned()])
    );
    assert_eq!(claims[0].class_descs.as_ref().and_then(|c| c[0].class_num), Some(18));
    assert_eq!(
        claims[0].jur_desc.as_ref().and_then(|j| j.jur_cc.as_deref()),
        Some("NZ")
    );
}

#[tokio::test]
async fn check_domain_decodes_value_sets_and_keeps_unknown_values() {
    let server = start_server().await;
    let client = client_for(&server);
    let out = client
        .check_domain()
        .domain_name("test.xin")
        .send()
        .await
        .expect("call succeeds");
    assert_eq!(
        out.avail,
        Some(check_domain::Avail::Available),
        "the example sends Avail as the number 1"
    );
    assert_eq!(out.price, Some(1286));

    server.script(
        "CheckDomain",
        Reply::Json {
            status: 200,
            body: r#"{"Avail": "42", "Price": "7"}"#.to_owned(),
        },
    );
    let out = client
        .check_domain()
        .domain_name("test.xin")
        .send()
        .await
        .expect("call succeeds");
    match out.avail {
        Some(check_domain::Avail::Unknown(value)) => assert_eq!(value.as_str(), "42"),
        other => panic!("expected an unknown value kept as received, got {other:?}"),
    }
    assert_eq!(out.price, Some(7), "a number sent as a string still decodes");
}

#[tokio::test]
async fn save_contact_template_credential_uses_version_2016_05_11_and_post() {
    let server = start_server().await;
    client_for(&server)
        .save_contact_template_credential()
        .contact_template_id(123)
        .credential_no("110101199001011234")
        .credential("dGVzdA==")
        .send()
        .await
        .expect("call succeeds");
    let seen = &server.requests()[0];
    assert_eq!(seen.verdict, Verdict::Accepted);
    assert_eq!(seen.param("Version").as_deref(), Some("2016-05-11"));
    assert_eq!(seen.method, "POST");
    assert!(seen.body.iter().any(|(k, v)| k == "Credential" && v == "dGVzdA=="));
}

#[tokio::test]
async fn error_examples_of_the_spec_come_back_as_typed_service_errors() {
    let server = start_server().await;
    let client = client_for(&server);
    let action = spec()
        .actions
        .iter()
        .find(|a| a.name == "SaveSingleTaskForQueryingTransferAuthorizationCode")
        .expect("in the spec");
    let example = &action.error_examples[0];
    server.script(
        &action.name,
        Reply::Json {
            status: example.http_status,
            body: example.body.clone(),
        },
    );
    let err = client
        .save_single_task_for_querying_transfer_authorization_code()
        .domain_name("test.com")
        .send()
        .await;
    let err = err.expect_err("scripted error");
    let service = err.as_service_error().expect("a service error");
    assert_eq!(service.status, 400);
    assert_eq!(service.code(), Some("TaskIsBeingProcessed"));
    assert_eq!(
        service.message(),
        Some("An operation is being processed. Please try again later.")
    );
    assert_eq!(service.request_id(), Some("CF7F1EC6-9BE0-4B96-968A-4982EE813647"));
    assert_eq!(service.host_id(), Some("domain.aliyuncs.com"));
    assert_eq!(service.action, "SaveSingleTaskForQueryingTransferAuthorizationCode");
}

#[tokio::test]
async fn the_reference_error_format_of_section_3_4_decodes_every_field() {
    let server = start_server().await;
    let body = r#"{
        "RequestId": "8906582E-6722-409A-A6C4-0E7863B733A5",
        "HostId": "domain.aliyuncs.com",
        "Code": "WhoisInfoNotExist",
        "Message": "The whois info of this domain name does not exist.",
        "Recommend": "https://api.aliyun.com/troubleshoot?q=WhoisInfoNotExist"
    }"#;
    server.script(
        "QueryContactInfo",
        Reply::Json {
            status: 404,
            body: body.to_owned(),
        },
    );
    let err = client_for(&server)
        .query_contact_info()
        .domain_name("example.com")
        .contact_type("registrant")
        .send()
        .await;
    let err = err.expect_err("scripted error");
    let s = err.as_service_error().expect("service error");
    assert_eq!(
        (s.status, s.code(), s.message(), s.request_id(), s.host_id()),
        (
            404,
            Some("WhoisInfoNotExist"),
            Some("The whois info of this domain name does not exist."),
            Some("8906582E-6722-409A-A6C4-0E7863B733A5"),
            Some("domain.aliyuncs.com")
        )
    );
    assert_eq!(
        s.recommend(),
        Some("https://api.aliyun.com/troubleshoot?q=WhoisInfoNotExist")
    );
    let shown = err.to_string();
    assert!(
        shown.contains("WhoisInfoNotExist") && shown.contains("8906582E"),
        "{shown}"
    );
}

#[tokio::test]
async fn bodies_that_are_not_json_are_errors_with_status_and_excerpt() {
    let server = start_server().await;
    let client = client_without_retries(&server);
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    server.script(
        "CheckDomain",
        Reply::Raw {
            status: 502,
            content_type: "text/html".to_owned(),
            body: html.as_bytes().to_vec(),
        },
    );
    let err = client.check_domain().domain_name("a.com").send().await.unwrap_err();
    match &err {
        Error::Service(s) => {
            assert_eq!((s.status, s.code()), (502, None));
            assert!(s.is_retryable(), "a gateway's 502 is the service side failing");
            let excerpt = s.body_excerpt.as_deref().unwrap_or_default();
            assert!(excerpt.contains("502 Bad Gateway"), "{excerpt}");
        }
        other => panic!("expected a service error, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!("CheckDomain: service error (HTTP 502, the body is not a JSON error: {html:?})")
    );
    server.script(
        "CheckDomain",
        Reply::Raw {
            status: 200,
            content_type: "application/json".to_owned(),
            body: vec![],
        },
    );
    match client.check_domain().domain_name("a.com").send().await.unwrap_err() {
        Error::Decode {
            status: 200, excerpt, ..
        } => assert!(excerpt.is_empty()),
        other => panic!("expected Decode, got {other:?}"),
    }
    server.script(
        "CheckDomain",
        Reply::Json {
            status: 200,
            body: r#"{"Avail": 1, "Price": "#.to_owned(),
        },
    );
    assert!(matches!(
        client.check_domain().domain_name("a.com").send().await,
        Err(Error::Decode { status: 200, .. })
    ));
}

#[tokio::test]
async fn a_wrong_secret_is_rejected_with_the_servers_string_to_sign() {
    let server = start_server().await;
    let client = Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::new(TEST_KEY_ID, "not-the-secret"))
        .build()
        .unwrap();
    let err = client.check_domain().domain_name("a.com").send().await.unwrap_err();
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"));
    assert!(err
        .as_service_error()
        .and_then(|s| s.message())
        .is_some_and(|m| m.contains("POST&%2F&")));
    assert!(
        !format!("{err} {err:?}").contains("not-the-secret"),
        "the secret never shows"
    );
    assert_eq!(
        server.requests()[0].verdict,
        Verdict::Rejected("SignatureDoesNotMatch".to_owned())
    );
}

#[tokio::test]
async fn sts_credentials_send_a_signed_security_token() {
    let server = start_server().await;
    let client = Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::with_security_token(
            TEST_KEY_ID,
            TEST_KEY_SECRET,
            "sts-token",
        ))
        .build()
        .unwrap();
    client
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .expect("accepted: the token is covered by the signature");
    assert_eq!(
        server.requests()[0].param("SecurityToken").as_deref(),
        Some("sts-token")
    );
}

/// Sends a request signed by the test's own signer, to play a client the SDK would never be.
async fn raw_call(endpoint: &str, timestamp: &str, nonce: &str) -> (u16, String) {
    let mut params: Vec<(String, String)> = [
        ("Action", "CheckDomain"),
        ("Version", "2018-01-29"),
        ("Format", "JSON"),
        ("AccessKeyId", TEST_KEY_ID),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce),
        ("Timestamp", timestamp),
        ("DomainName", "a.com"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let signature = sig::signature(TEST_KEY_SECRET, &sig::string_to_sign("GET", &params));
    params.push(("Signature".to_owned(), signature));
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", sig::encode(k), sig::encode(v)))
        .collect();
    let url = format!("{endpoint}/?{}", query.join("&"));
    // reqwest's own `get` would need a crypto provider of its own; the SDK's builder brings one.
    let http = domain_sdk::transport::http_client_builder()
        .unwrap()
        .no_proxy()
        .build()
        .unwrap();
    let response = http.get(url).send().await.expect("loopback request");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

fn now_timestamp(offset_secs: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::seconds(offset_secs);
    t.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    ))
    .unwrap()
}

#[tokio::test]
async fn the_server_rejects_stale_timestamps_and_reused_nonces() {
    let server = start_server().await;
    let (status, body) = raw_call(&server.endpoint(), &now_timestamp(0), "nonce-1").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = raw_call(&server.endpoint(), &now_timestamp(0), "nonce-1").await;
    assert_eq!(status, 400);
    assert!(
        body.contains("InvalidParameter") && body.contains("SignatureNonce"),
        "a reused nonce is an invalid value of SignatureNonce: {body}"
    );
    let (status, body) = raw_call(&server.endpoint(), &now_timestamp(-3600), "nonce-2").await;
    assert_eq!(status, 400);
    assert!(body.contains("InvalidTimeStamp.Expired"), "{body}");
}
