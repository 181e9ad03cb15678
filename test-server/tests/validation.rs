//! The fake validates requests as the service does, for every action of the spec: raw signed requests (any
//! client could send them) with a parameter missing, of the wrong type, outside its documented set, unknown, or
//! with a method the action refuses; and the error body the service sends.

use std::collections::BTreeMap;

mod common;

use common::{call, method_of, sample};
use domain_sdk_test_server::validate::{ActionSpec, ParamKind, ValueType};
use domain_sdk_test_server::{ServerConfig, TestServer, Verdict, ACTIONS};

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// Every required parameter of `spec` with a valid value (a list or list of structures with one item).
fn required(spec: &ActionSpec) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in spec.params.iter().filter(|p| p.required) {
        match &p.kind {
            ParamKind::Scalar(v) => out.push((p.name.to_owned(), sample(v).to_owned())),
            ParamKind::List(v) => out.push((format!("{}.1", p.name), sample(v).to_owned())),
            ParamKind::Structs(fields) => {
                for f in fields.iter().filter(|f| f.required) {
                    if let ParamKind::Scalar(v) = &f.kind {
                        out.push((format!("{}.1.{}", p.name, f.name), sample(v).to_owned()));
                    }
                }
            }
        }
    }
    out
}

fn assert_error(body: &serde_json::Value, code: &str, contains: &str, what: &str) {
    assert_eq!(body["Code"], code, "{what}: {body}");
    let message = body["Message"].as_str().unwrap_or_default();
    assert!(
        message.contains(contains),
        "{what}: {message:?} should name {contains:?}"
    );
}

#[tokio::test]
async fn every_action_refuses_a_missing_required_parameter_and_a_value_of_the_wrong_type() {
    let server = TestServer::start(ServerConfig::default()).await;
    let mut checked = (0, 0);
    for spec in ACTIONS {
        let method = method_of(spec);
        let good = required(spec);
        let (status, _, body) = call(&server, method, spec.action, &good).await;
        assert_eq!(status, 200, "{} with its required parameters: {body}", spec.action);
        for (i, (name, _)) in good.iter().enumerate() {
            let mut without = good.clone();
            without.remove(i);
            let (status, _, body) = call(&server, method, spec.action, &without).await;
            assert_eq!(status, 400, "{} without {name}", spec.action);
            assert_error(&body, "MissingParameter", name, spec.action);
            checked.0 += 1;
        }
        for p in spec.params {
            let ParamKind::Scalar(v) = &p.kind else { continue };
            if v.ty == ValueType::String && v.values.is_empty() {
                continue;
            }
            let mut wrong = good.clone();
            wrong.retain(|(k, _)| k != p.name);
            wrong.push((p.name.to_owned(), "not-a-value".to_owned()));
            let (status, _, body) = call(&server, method, spec.action, &wrong).await;
            assert_eq!(status, 400, "{} with {}=not-a-value", spec.action, p.name);
            assert_error(&body, "InvalidParameter", p.name, spec.action);
            assert!(body["Message"].as_str().unwrap().contains("\"not-a-value\""), "{body}");
            checked.1 += 1;
        }
    }
    // Most actions have a required parameter, and many a typed or enumerated one.
    assert!(checked.0 > 100 && checked.1 > 150, "{checked:?}");
}

#[tokio::test]
async fn the_documented_errors_and_their_bodies() {
    let server = TestServer::start(ServerConfig::default()).await;
    let list = |extra: &[(&str, &str)]| {
        let mut p = pairs(&[("PageNum", "1"), ("PageSize", "10")]);
        for (k, v) in extra {
            p.retain(|(name, _)| name != k);
            p.push(((*k).to_owned(), (*v).to_owned()));
        }
        p
    };

    let (status, request_id, body) = call(&server, "GET", "QueryDomainList", &pairs(&[("PageSize", "10")])).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["Message"],
        "The input parameter \"PageNum\" that is mandatory for processing this request is not supplied."
    );
    // The service's error body: every key, the request id also in the header, a troubleshooting link.
    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["Code", "HostId", "Message", "Recommend", "RequestId"]);
    assert_eq!(body["RequestId"], request_id.as_str());
    assert!(body["HostId"].as_str().unwrap().starts_with("127.0.0.1:"));
    assert!(body["Recommend"].as_str().unwrap().contains("q=MissingParameter"));
    let (_, second_id, _) = call(&server, "GET", "QueryDomainList", &pairs(&[])).await;
    assert_ne!(request_id, second_id, "each request has its own id");

    let (_, _, body) = call(&server, "GET", "QueryDomainList", &list(&[("PageNum", "abc")])).await;
    assert_error(
        &body,
        "InvalidParameter",
        "\"PageNum\" is not valid: \"abc\" is not an Integer",
        "type",
    );
    let (_, _, body) = call(&server, "GET", "QueryDomainList", &list(&[("OrderByType", "UP")])).await;
    assert_error(&body, "InvalidParameter", "\"UP\" is not one of ASC, DESC", "value set");
    let (_, _, body) = call(
        &server,
        "GET",
        "SaveBatchTaskForModifyingDomainDns",
        &pairs(&[("AliyunDns", "true")]),
    )
    .await;
    assert_error(&body, "MissingParameter", "\"DomainName.1\"", "a list");
    let (_, _, body) = call(
        &server,
        "GET",
        "SaveBatchTaskForCreatingOrderActivate",
        &pairs(&[
            ("OrderActivateParam.1.DomainName", "a.com"),
            ("OrderActivateParam.2.SubscriptionDuration", "1"),
        ]),
    )
    .await;
    assert_error(
        &body,
        "MissingParameter",
        "\"OrderActivateParam.2.DomainName\"",
        "a structure's field",
    );
    let (_, _, body) = call(
        &server,
        "GET",
        "SaveBatchTaskForCreatingOrderActivate",
        &pairs(&[
            ("OrderActivateParam.1.DomainName", "a.com"),
            ("OrderActivateParam.1.SubscriptionDuration", "one"),
        ]),
    )
    .await;
    assert_error(
        &body,
        "InvalidParameter",
        "\"OrderActivateParam.1.SubscriptionDuration\"",
        "a structure's field type",
    );

    // POST-only actions refuse GET.
    let transfer = pairs(&[("DomainName", "a.com"), ("AuthorizationCode", "x")]);
    let (status, _, body) = call(
        &server,
        "GET",
        "SaveSingleTaskForTransferOutByAuthorizationCode",
        &transfer,
    )
    .await;
    assert_eq!(status, 400);
    assert_error(&body, "UnsupportedOperation", "accepts POST, not GET", "method");
    let (status, _, _) = call(
        &server,
        "POST",
        "SaveSingleTaskForTransferOutByAuthorizationCode",
        &transfer,
    )
    .await;
    assert_eq!(status, 200);

    // An unknown parameter is recorded in the verdict (the service ignores it)…
    let (status, _, _) = call(&server, "GET", "QueryDomainList", &list(&[("PageNumber", "2")])).await;
    assert_eq!(status, 200);
    let last = server.requests().pop().unwrap();
    assert_eq!(last.verdict, Verdict::AcceptedWithUnknown(vec!["PageNumber".into()]));
    assert!(last.verdict.is_accepted());
    // … and refused by a strict server, with the name it was probably meant to be.
    let strict = TestServer::start(ServerConfig::default().strict()).await;
    let (status, _, body) = call(&strict, "GET", "QueryDomainList", &list(&[("PageNumber", "2")])).await;
    assert_eq!(status, 400);
    assert_error(&body, "InvalidParameter", "did you mean \"PageNum\"", "strict");
    let rejected: BTreeMap<_, _> = strict
        .requests()
        .iter()
        .map(|r| (r.action(), r.verdict.clone()))
        .collect();
    assert_eq!(
        rejected[&Some("QueryDomainList".to_owned())],
        Verdict::Rejected("InvalidParameter".into())
    );
}

#[tokio::test]
async fn the_sdk_sees_the_fakes_errors_as_service_errors() {
    // A value outside the documented set passes the SDK (its enums keep unknown values) and the fake refuses it.
    let server = TestServer::start(ServerConfig::default()).await;
    let client = domain_sdk_test_server::client_without_retries(&server);
    let err = client
        .query_domain_list()
        .page_num(1)
        .page_size(10)
        .order_by_type("SIDEWAYS")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameter"), "{err}");
    let service = err.as_service_error().unwrap();
    assert!(service.message().unwrap().contains("SIDEWAYS"));
    assert!(service.request_id().is_some());
}
