//! Typed error codes: each action's own documented codes and the global ones of §6.1 are variants to `match`,
//! with an `Unhandled` fallback; every service error keeps code, message, request id, host id and recommend.

use domain_sdk::operation::check_domain::CheckDomainErrorCode;
use domain_sdk::operation::save_contact_template_credential::SaveContactTemplateCredentialErrorCode;
use domain_sdk::operation::save_single_task_for_querying_transfer_authorization_code::SaveSingleTaskForQueryingTransferAuthorizationCodeErrorCode as TransferCodeError;
use domain_sdk::types::GlobalErrorCode;
use e2e::{client_without_retries, start_server, Reply};

fn error(code: &str) -> Reply {
    Reply::Json {
        status: 400,
        body: format!(
            r#"{{"Code": "{code}", "Message": "m", "RequestId": "R", "HostId": "H", "Recommend": "https://r"}}"#
        ),
    }
}

#[tokio::test]
async fn service_errors_match_as_enums() {
    let server = start_server().await;
    let client = client_without_retries(&server);

    server.script("CheckDomain", error("Throttling"));
    let err = client.check_domain().domain_name("a.com").send().await.unwrap_err();
    assert_eq!(
        CheckDomainErrorCode::of(&err),
        Some(CheckDomainErrorCode::Global(GlobalErrorCode::Throttling))
    );
    assert_eq!(GlobalErrorCode::of(&err), Some(GlobalErrorCode::Throttling));
    let s = err.as_service_error().unwrap();
    assert_eq!(
        (s.code(), s.message(), s.request_id(), s.host_id(), s.recommend()),
        (Some("Throttling"), Some("m"), Some("R"), Some("H"), Some("https://r"))
    );
    assert!(s.is_retryable());

    server.script("CheckDomain", error("InvalidAccessKeyId.NotFound"));
    let err = client.check_domain().domain_name("a.com").send().await.unwrap_err();
    assert_eq!(
        CheckDomainErrorCode::of(&err),
        Some(CheckDomainErrorCode::Global(
            GlobalErrorCode::InvalidAccessKeyIdNotFound
        ))
    );
    assert!(!err.as_service_error().unwrap().is_retryable());

    server.script("CheckDomain", error("SomethingNew"));
    let err = client.check_domain().domain_name("a.com").send().await.unwrap_err();
    let code = CheckDomainErrorCode::of(&err).unwrap();
    assert!(
        matches!(&code, CheckDomainErrorCode::Unhandled(c) if c.as_str() == "SomethingNew"),
        "{code:?}"
    );
    assert_eq!(code.as_str(), "SomethingNew");
}

#[tokio::test]
async fn an_actions_own_documented_codes_are_variants() {
    let server = start_server().await;
    let client = client_without_retries(&server);
    server.script("SaveContactTemplateCredential", error("ContactTemplateNotExist"));
    let err = client
        .save_contact_template_credential()
        .contact_template_id(1)
        .credential_no("n")
        .credential("aW1n")
        .send()
        .await
        .unwrap_err();
    match SaveContactTemplateCredentialErrorCode::of(&err) {
        Some(SaveContactTemplateCredentialErrorCode::ContactTemplateNotExist) => {}
        other => panic!("expected ContactTemplateNotExist, got {other:?}"),
    }
    server.script(
        "SaveSingleTaskForQueryingTransferAuthorizationCode",
        error("TaskIsBeingProcessed"),
    );
    let err = client
        .save_single_task_for_querying_transfer_authorization_code()
        .domain_name("a.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        TransferCodeError::of(&err),
        Some(TransferCodeError::TaskIsBeingProcessed)
    );
    // Global codes are variants of every action's enum too.
    assert_eq!(
        TransferCodeError::from_code("SignatureDoesNotMatch"),
        TransferCodeError::Global(GlobalErrorCode::SignatureDoesNotMatch)
    );
}

#[tokio::test]
async fn errors_that_are_not_service_errors_have_no_code() {
    let err = domain_sdk::Client::builder()
        .endpoint("http://127.0.0.1:1")
        .credentials(domain_sdk::Credentials::new("a", "b"))
        .retry(domain_sdk::RetryConfig::disabled())
        .build()
        .unwrap()
        .check_domain()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, domain_sdk::Error::InvalidRequest { .. }),
        "DomainName is required: {err:?}"
    );
    assert_eq!(CheckDomainErrorCode::of(&err), None);
}

/// §5.84/§5.85 carry JSON documents as parameter values: a caller passes a JSON value or a raw string, and the
/// service receives one encoded string either way.
#[tokio::test]
async fn json_blob_parameters_take_a_value_or_a_raw_string() {
    let server = start_server().await;
    let client = client_without_retries(&server);
    let audit = serde_json::json!({"regType": 1, "registrantName": "张三", "reason": 1, "remark": "账号丢失"});
    client
        .submit_operation_audit_info()
        .audit_type(1)
        .domain_name("a.com")
        .audit_info_json(audit.clone())
        .send()
        .await
        .unwrap();
    let raw = r#"[{"credentialType":"SHSQB","credentialUrl":"a/b.jpg"}]"#;
    client
        .submit_operation_credentials()
        .audit_type(1)
        .credentials(raw)
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    let sent = requests[0].param("AuditInfo").expect("sent");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&sent).unwrap(),
        audit,
        "one encoded string, the same document"
    );
    assert_eq!(requests[1].param("Credentials").as_deref(), Some(raw));
}

#[tokio::test]
async fn documented_per_action_codes_are_variants_and_others_stay_readable() {
    use domain_sdk::operation::query_transfer_out_info::QueryTransferOutInfoErrorCode as Code;
    let server = start_server().await;
    let client = client_without_retries(&server);

    server.script("QueryTransferOutInfo", error("DomainNotExist"));
    let err = client
        .query_transfer_out_info()
        .domain_name("a.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(Code::of(&err), Some(Code::DomainNotExist));

    server.script("QueryTransferOutInfo", error("SomethingNew"));
    let err = client
        .query_transfer_out_info()
        .domain_name("a.com")
        .send()
        .await
        .unwrap_err();
    match Code::of(&err) {
        Some(Code::Unhandled(code)) => assert_eq!(code.as_str(), "SomethingNew"),
        other => panic!("{other:?}"),
    }
    assert_eq!(err.code(), Some("SomethingNew"));
}
