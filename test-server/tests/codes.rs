//! The fake says only what the service says: every code it answers, over the wire, is a row of its table
//! (`Code`). The test drives every stateful action with nothing, with values the account does not know, and
//! with values that break each rule the account keeps, plus the protocol's refusals; then it checks that the
//! fake's source builds no fault but from the table.

mod common;

use std::collections::BTreeSet;

use common::{call, method_of, sample};
use domain_sdk_test_server::mock::{INVALID_REPLY, NO_RULE_MATCHED};
use domain_sdk_test_server::validate::{ActionSpec, ParamKind};
use domain_sdk_test_server::{
    action_spec, sample_credential_image, sig, Account, Code, ServerConfig, TestServer, STATEFUL_ACTIONS,
};

const FIXTURE: &str = r#"
task_timing: {polls: 2}
taken: [taken.com]
groups: [{id: "7", name: shop}, {id: "8", name: other}]
profiles:
  - {id: 1, registrant_name: verified, email: v@example.com, real_name_status: SUCCEED}
  - {id: 2, registrant_name: auditing, real_name_status: AUDITING}
  - {id: 3, registrant_name: plain}
domains:
  - {name: locked.com, update_prohibition_lock: true, transfer_prohibition_lock: true, registrant_profile_id: 1}
  - {name: held.com, real_name_status: AUDITING, dns_hosts: [{name: ns1, ips: [192.0.2.1]}],
     ds_records: [{key_tag: 1, algorithm: 8, digest_type: 2, digest: AB}],
     qualification: {status: auditing, refusal: unreadable,
                     credentials: [{credential_type: SHSQB, credential_no: "1", credential_url: a/b.jpg}]}}
  - {name: verified.com, real_name_status: SUCCEED, registry_lock: true, registrant_profile_id: 2}
  - {name: late.com, expiration_date: 1000, registrant_profile_id: 3}
email_verifications:
  - {email: v@example.com, verified: true, token: t1}
  - {email: w@example.com, verified: false, token: t2}
"#;

/// The values a variant gives each parameter, by name; `None` for the spec's sample.
fn value(variant: usize, name: &str, account: &Account) -> Option<String> {
    let instance = |domain: &str| {
        account
            .domain(domain)
            .map(|d| d.instance_id.clone())
            .unwrap_or_default()
    };
    let pick = |choices: &[&str]| Some(choices[variant % choices.len()].to_owned());
    match name {
        "DomainName" => pick(&[
            "nosuch.com",
            "locked.com",
            "held.com",
            "verified.com",
            "taken.com",
            "bad-.com",
            "late.com",
        ]),
        "InstanceId" | "ResourceId" | "InstanceIds" => Some(match variant % 4 {
            0 => "S000NOSUCH".to_owned(),
            1 => instance("locked.com"),
            2 => instance("held.com"),
            _ => instance("verified.com"),
        }),
        // Profile 3 (not verified) meets each bad image once, before a good one.
        "RegistrantProfileId" | "RegistrantProfileID" | "ContactTemplateId" => pick(&["999", "1", "2", "3", "3", "3"]),
        "DomainGroupId" => pick(&["999", "7", "8"]),
        "DomainGroupName" => pick(&["other", "shop", "new"]),
        "Email" => pick(&["nobody@example.com", "v@example.com", "w@example.com", "not-an-address"]),
        "Token" => pick(&["bad", "t2"]),
        "TaskNo" => pick(&["no-such-task"]),
        "TaskDetailNo" => pick(&["no-such-detail"]),
        "DnsName" => pick(&["ns1", "ns9"]),
        "KeyTag" => pick(&["1", "9"]),
        "Ip" => pick(&["192.0.2.9"]),
        "IdentityCredential" | "Credential" => Some(match variant {
            3 => "!!!".to_owned(),
            4 => "aGVsbG8=".to_owned(),
            5 => "/9j/4A==".to_owned(),
            _ => sample_credential_image(),
        }),
        "CurrentExpirationDate" => pick(&["0", "1000"]),
        "AliyunDns" => pick(&["false", "true"]),
        "AuthorizationCode" => pick(&["wrong"]),
        "ContactType" => pick(&["registrant", "admin"]),
        _ => None,
    }
}

/// Every parameter of `spec` (lists and structures with one item) with the values of `variant`.
fn params(spec: &ActionSpec, variant: usize, account: &Account) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for param in spec.params {
        match &param.kind {
            ParamKind::Scalar(values) => {
                let chosen = value(variant, param.name, account).unwrap_or_else(|| sample(values).to_owned());
                all.push((param.name.to_owned(), chosen));
            }
            ParamKind::List(values) => {
                let chosen = value(variant, param.name, account).unwrap_or_else(|| sample(values).to_owned());
                all.push((format!("{}.1", param.name), chosen));
            }
            ParamKind::Structs(fields) => {
                for field in fields.iter() {
                    if let ParamKind::Scalar(values) = &field.kind {
                        let chosen = value(variant, field.name, account).unwrap_or_else(|| sample(values).to_owned());
                        all.push((format!("{}.1.{}", param.name, field.name), chosen));
                    }
                }
            }
        }
    }
    all
}

/// The codes an answer carries: its error `Code`, or the `Code` of each `SendResult`.
fn codes_of(status: u16, body: &serde_json::Value) -> Vec<String> {
    if status != 200 {
        return vec![body["Code"].as_str().unwrap_or("(no code)").to_owned()];
    }
    ["SuccessList", "FailList", "ExistList"]
        .iter()
        .filter_map(|list| body[list].as_array())
        .flatten()
        .filter_map(|item| item["Code"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn every_code_the_fake_answers_is_a_row_of_its_table() {
    let mut answered: BTreeSet<String> = BTreeSet::new();
    let mut calls = 0;
    // Deletions last, so that each round meets the fixture's profiles, groups and addresses first.
    let mut actions: Vec<&str> = STATEFUL_ACTIONS.to_vec();
    actions.sort_by_key(|action| action.starts_with("Delete"));
    let mut server = None;
    for variant in 0..8 {
        let account = Account::from_fixture(FIXTURE).unwrap();
        let fresh = TestServer::start(ServerConfig::default().with_account(account)).await;
        for action in &actions {
            let spec = action_spec(action).expect("every stateful action is in the spec");
            let account = fresh.account();
            let method = method_of(spec);
            let sets = [Vec::new(), params(spec, variant, &account)];
            for set in &sets {
                let (status, _, body) = call(&fresh, method, action, set).await;
                calls += 1;
                let codes = codes_of(status, &body);
                assert!(
                    !codes.contains(&"(no code)".to_owned()),
                    "{action} (variant {variant}, {} parameters): {status} {body}",
                    set.len()
                );
                answered.extend(codes);
            }
        }
        server = Some(fresh);
    }
    let server = server.expect("eight rounds");
    // The protocol's refusals: an unknown action, a POST-only action sent with GET, a stale timestamp.
    let (status, _, body) = call(&server, "GET", "NoSuchAction", &[]).await;
    answered.extend(codes_of(status, &body));
    let (status, _, body) = call(&server, "GET", "RegistrantProfileRealNameVerification", &[]).await;
    answered.extend(codes_of(status, &body));
    server.set_clock_offset_secs(3600);
    let (status, _, body) = call(&server, "POST", "CheckDomain", &[]).await;
    answered.extend(codes_of(status, &body));
    server.set_clock_offset_secs(0);

    let undocumented: Vec<&String> = answered.iter().filter(|code| Code::from_code(code).is_none()).collect();
    assert!(
        undocumented.is_empty(),
        "codes no row of the table has: {undocumented:?}"
    );
    // The drive reached the account's refusals, not only the validation's.
    for expected in [
        "MissingParameter",
        "InvalidParameter",
        "UnsupportedOperation",
        "InvalidTimeStamp.Expired",
        "DomainNotExist",
        "TaskIsBeingProcessed",
        "ContactTemplateNotExist",
        "ContactTemplateAudited",
        "contactTemplateRealNamedNotExist",
        "DomainAlreadyAudited",
        "DomainAlreadyAuditing",
        "DomainGroupNameDuplicated",
        "ParameterIllegall",
        "DomainTransferPendingNotExist",
        "FileDataError",
        "FileFormatNotSupported",
        "FileSizeLessThanMinLimit",
        "Success",
        "SendTokenQuotaExceeded",
    ] {
        assert!(answered.contains(expected), "{expected} never answered: {answered:?}");
    }
    assert_eq!(calls, 2 * 8 * STATEFUL_ACTIONS.len());
}

#[tokio::test]
async fn the_signature_refusals_are_rows_of_the_table_too() {
    let server = TestServer::start(ServerConfig::stateful().with_key("other", "secret")).await;
    let host = server.endpoint().trim_start_matches("http://").to_owned();
    // A query signed with the wrong secret, and one with an AccessKey the server does not know.
    let mut seen = BTreeSet::new();
    for (key, secret) in [("testid", "wrong"), ("unknown", "testsecret")] {
        let timestamp = time::OffsetDateTime::now_utc()
            .format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
            .unwrap();
        let mut all: Vec<(String, String)> = [
            ("Action", "CheckDomain"),
            ("Version", "2018-01-29"),
            ("AccessKeyId", key),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", key),
            ("Timestamp", &timestamp),
            ("DomainName", "a.com"),
        ]
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
        let signature = sig::signature(secret, &sig::string_to_sign("GET", &all));
        all.push(("Signature".into(), signature));
        let query: Vec<String> = all
            .iter()
            .map(|(name, value)| format!("{}={}", sig::encode(name), sig::encode(value)))
            .collect();
        let request = format!(
            "GET /?{} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
            query.join("&")
        );
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let code = response
            .split("\"Code\":\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default()
            .to_owned();
        seen.insert(code);
    }
    assert_eq!(
        seen,
        BTreeSet::from([
            "InvalidAccessKeyId.NotFound".to_owned(),
            "SignatureDoesNotMatch".to_owned()
        ])
    );
    assert!(seen.iter().all(|code| Code::from_code(code).is_some()));
}

/// The fake's own faults are built from the table alone: `Fault::new` (any code, for a test's scripts) is called
/// only where scripts and replies are made, and in the mock, which is no fake of the service: its rules answer a
/// test's own faults (`mock/rule.rs`), and its own answers (`mock.rs`) carry `Mock.*` codes, which no service
/// code resembles.
#[test]
fn no_source_file_builds_a_fault_with_a_code_of_its_own() {
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![source];
    let mut offenders = Vec::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|entry| entry.unwrap().path()));
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.extension().is_none_or(|ext| ext != "rs")
            || ["fault.rs", "reply.rs", "script.rs", "rule.rs"].contains(&name.as_str())
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        if name == "mock.rs" {
            // One constructor of the mock's own answers, whose codes are `Mock.*`.
            assert_eq!(text.matches("Fault::new(").count(), 1, "{}", path.display());
            assert!(
                text.contains("Fault::new(400, own.code(), message)"),
                "{}",
                path.display()
            );
            continue;
        }
        for needle in ["Fault::new(", "Reply::error("] {
            if text.contains(needle) {
                offenders.push(format!("{}: {needle}", path.display()));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
    for own in [NO_RULE_MATCHED, INVALID_REPLY] {
        assert!(own.starts_with("Mock.") && Code::from_code(own).is_none(), "{own}");
    }
}
