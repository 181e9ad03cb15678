//! The reference's appendices as the SDK uses them: §6.1 global errors classify service errors, §6.3's credential
//! types are one typed enum for every `IdentityCredentialType`, §6.2's rules back `validate_domain_name`.

use domain_sdk::types::{IdentityCredentialType, UserType, GLOBAL_ERRORS};
use domain_sdk::{validate_domain_name, DomainNameError, ErrorClass};
use e2e::{client_for, client_without_retries, spec, start_server, Reply};

fn error_body(code: &str) -> String {
    format!(r#"{{"RequestId": "R", "HostId": "domain.aliyuncs.com", "Code": "{code}", "Message": "m"}}"#)
}

#[tokio::test]
async fn service_errors_say_whether_they_are_documented_global_errors_and_their_class() {
    let server = start_server().await;
    let client = client_without_retries(&server);
    let cases = [
        ("Throttling", 400, Some((ErrorClass::Client, true))),
        ("SignatureDoesNotMatch", 403, Some((ErrorClass::Client, false))),
        ("InvalidAccessKeyId.NotFound", 400, Some((ErrorClass::Client, false))),
        ("InternalError", 500, Some((ErrorClass::Server, true))),
        ("ServiceUnavailable", 503, Some((ErrorClass::Server, true))),
        ("DomainNotExist", 400, None),
        ("SomethingNew", 502, None),
    ];
    for (code, status, documented) in cases {
        server.script(
            "CheckDomain",
            Reply::Json {
                status,
                body: error_body(code),
            },
        );
        let err = client
            .check_domain()
            .domain_name("a.com")
            .send()
            .await
            .expect_err("scripted error");
        let service = err.as_service_error().expect("service error");
        match documented {
            Some((class, retryable)) => {
                let info = service.global_error().unwrap_or_else(|| panic!("{code} is in §6.1"));
                assert_eq!((info.code, info.class, info.retryable), (code, class, retryable));
                assert_eq!((service.class(), service.is_retryable()), (class, retryable), "{code}");
            }
            None => {
                assert!(service.global_error().is_none(), "{code} is not a global error");
                let class = if status >= 500 {
                    ErrorClass::Server
                } else {
                    ErrorClass::Client
                };
                assert_eq!(
                    (service.class(), service.is_retryable()),
                    (class, status >= 500),
                    "{code}"
                );
            }
        }
    }
}

#[test]
fn every_global_error_of_the_appendix_is_in_the_sdk() {
    let appendix = &spec().appendix.global_errors;
    assert_eq!(appendix.len(), 12, "§6.1 lists 12 codes");
    for e in appendix {
        let info = GLOBAL_ERRORS
            .iter()
            .find(|i| i.code == e.code)
            .unwrap_or_else(|| panic!("{} missing", e.code));
        assert_eq!(info.http_status, e.http_status);
        assert_eq!(
            info.class == ErrorClass::Server,
            e.class == codegen::spec::ErrorClass::Server
        );
    }
}

#[test]
fn identity_credential_types_are_one_enum_with_an_unknown_fallback() {
    let appendix = spec().appendix.credential_types.as_ref().expect("§6.3 is in the spec");
    let values: Vec<&str> = appendix.values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(IdentityCredentialType::VALUES, values.as_slice());
    assert!(values.contains(&"SFZ") && values.contains(&"YYZZ") && values.contains(&"QT"));
    assert_eq!(IdentityCredentialType::from("SFZ"), IdentityCredentialType::IdCard);
    assert_eq!(IdentityCredentialType::IdCard.user_type(), Some(UserType::Individual));
    assert_eq!(
        IdentityCredentialType::from("YYZZ").user_type(),
        Some(UserType::Organization)
    );
    let new = IdentityCredentialType::from("NEWKIND");
    assert!(
        matches!(&new, IdentityCredentialType::Unknown(v) if v.as_str() == "NEWKIND"),
        "{new:?}"
    );
    assert_eq!(
        new,
        IdentityCredentialType::from("NEWKIND"),
        "the same unknown value is equal to itself"
    );
    assert_eq!((new.as_str(), new.user_type()), ("NEWKIND", None));
}

#[tokio::test]
async fn every_identity_credential_type_parameter_takes_the_shared_enum() {
    let server = start_server().await;
    let client = client_for(&server);
    // Each call compiles only because the setter takes `impl Into<types::IdentityCredentialType>`.
    let t = IdentityCredentialType::BusinessLicense;
    client
        .registrant_profile_real_name_verification()
        .registrant_profile_id(1)
        .identity_credential_type(t.clone())
        .identity_credential_no("n")
        .identity_credential("aW1n")
        .send()
        .await
        .unwrap();
    client
        .save_registrant_profile_real_name_verification()
        .identity_credential_type(t.clone())
        .send()
        .await
        .ok();
    client
        .save_task_for_submitting_domain_real_name_verification_by_identity_credential()
        .identity_credential_type(t.clone())
        .send()
        .await
        .ok();
    client
        .save_task_for_updating_registrant_info_by_identity_credential()
        .identity_credential_type(t)
        .send()
        .await
        .ok();
    let sent: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| r.param("IdentityCredentialType"))
        .collect();
    assert!(!sent.is_empty() && sent.iter().all(|v| v == "YYZZ"), "{sent:?}");

    // Responses decode into it too.
    let out = client
        .query_registrant_profile_real_name_verification_info()
        .registrant_profile_id(1)
        .send()
        .await
        .unwrap();
    let _: Option<IdentityCredentialType> = out.identity_credential_type;
    let used_in: Vec<&str> = spec()
        .actions
        .iter()
        .filter(|a| a.request.iter().any(|p| p.wire_name == "IdentityCredentialType"))
        .map(|a| a.name.as_str())
        .collect();
    assert!(used_in.len() >= 4, "{used_in:?}");
}

#[test]
fn domain_names_are_checked_rule_by_rule() {
    // Valid: English, digits, hyphens inside, Chinese, upper case (case-insensitive), 63 characters.
    for ok in [
        "example.com",
        "a.cn",
        "my-shop1.com",
        "例子.中国",
        "中文-abc.com",
        "EXAMPLE.com",
        &format!("{}.com", "a".repeat(63)),
    ] {
        assert_eq!(validate_domain_name(ok), Ok(()), "{ok}");
    }
    let cases: Vec<(String, DomainNameError)> = vec![
        ("example".into(), DomainNameError::MissingSuffix),
        (".com".into(), DomainNameError::TooShort { length: 0, min: 1 }),
        (
            format!("{}.com", "a".repeat(64)),
            DomainNameError::TooLong {
                length: 64,
                max: 63,
                punycode: false,
            },
        ),
        (
            "exa_mple.com".into(),
            DomainNameError::InvalidCharacter {
                character: '_',
                position: 4,
            },
        ),
        (
            "exa mple.com".into(),
            DomainNameError::InvalidCharacter {
                character: ' ',
                position: 4,
            },
        ),
        ("-abc.com".into(), DomainNameError::HyphenFirst),
        ("abc-.com".into(), DomainNameError::HyphenLast),
        ("ab--cd.com".into(), DomainNameError::HyphenThirdAndFourth),
        ("xn--fiq228c.com".into(), DomainNameError::PunycodeInput),
        ("éàü.com".into(), DomainNameError::NoChineseCharacter),
        (
            "例！.com".into(),
            DomainNameError::InvalidCharacter {
                character: '！',
                position: 2,
            },
        ),
    ];
    for (name, expected) in cases {
        assert_eq!(validate_domain_name(&name), Err(expected.clone()), "{name}");
        assert!(expected.to_string().starts_with("invalid domain name (§6.2): "));
    }
    // A Chinese name's length is that of its punycode form: 10 varied Chinese characters fit in 63, 25 do not,
    // though 25 characters are far fewer than 63.
    let han = |n: u32| -> String { (0..n).map(|i| char::from_u32(0x4E00 + i * 389).unwrap()).collect() };
    assert_eq!(validate_domain_name(&format!("{}.com", han(10))), Ok(()));
    match validate_domain_name(&format!("{}.com", han(25))) {
        Err(DomainNameError::TooLong {
            punycode: true,
            length,
            max: 63,
        }) => assert!(length > 63),
        other => panic!("expected TooLong in punycode, got {other:?}"),
    }
}
