//! The in-process mock (`domain_sdk_test_server::mock`), used as a downstream crate's unit tests would use it:
//! whole flows with no socket, rules matched on the input, sequences, service errors decoded into the SDK's
//! typed codes, transport failures and the client's retry rules, the check that every rule was used.

use std::time::Duration;

use domain_sdk::operation::check_domain::{CheckDomainErrorCode, CheckDomainInput, CheckDomainOutput};
use domain_sdk::operation::query_domain_list::{Domain, QueryDomainListOutput};
use domain_sdk::operation::query_task_detail_list::{
    QueryTaskDetailListInput, QueryTaskDetailListOutput, TaskDetail, TaskStatusCode,
};
use domain_sdk::operation::save_batch_task_for_modifying_domain_dns::SaveBatchTaskForModifyingDomainDnsOutput;
use domain_sdk::operation::save_single_task_for_creating_order_activate::{
    SaveSingleTaskForCreatingOrderActivateErrorCode as OrderErrorCode, SaveSingleTaskForCreatingOrderActivateInput,
    SaveSingleTaskForCreatingOrderActivateOutput,
};
use domain_sdk::types::GlobalErrorCode;
use domain_sdk::{Client, Error, HttpResponse, SignatureVersion, TaskState, TransportErrorKind, WaiterConfig};
use domain_sdk_test_server::mock::{Mock, Params, MOCK_ENDPOINT, NO_RULE_MATCHED};
use domain_sdk_test_server::{Code, Verdict};

fn order_output(task_no: &str) -> SaveSingleTaskForCreatingOrderActivateOutput {
    let mut out = SaveSingleTaskForCreatingOrderActivateOutput::default();
    out.task_no = Some(task_no.to_owned());
    out.request_id = Some("R-ORDER".to_owned());
    out
}

/// One page listing `domain`'s detail of task `task_no` in state `code`.
fn task_page(task_no: &str, domain: &str, code: TaskStatusCode) -> QueryTaskDetailListOutput {
    let mut detail = TaskDetail::default();
    detail.task_no = Some(task_no.to_owned());
    detail.domain_name = Some(domain.to_owned());
    detail.task_status_code = Some(code);
    let mut page = QueryTaskDetailListOutput::default();
    page.current_page_num = Some(1);
    page.total_page_num = Some(1);
    page.total_item_num = Some(1);
    page.data = Some(vec![detail]);
    page
}

fn checked(domain: &str, avail: &str) -> CheckDomainOutput {
    let mut out = CheckDomainOutput::default();
    out.domain_name = Some(domain.to_owned());
    out.avail = Some(avail.into());
    out
}

fn actions(mock: &Mock) -> Vec<String> {
    mock.requests().iter().map(|r| r.action().unwrap_or_default()).collect()
}

/// Register, wait for the task, list: the whole flow on rules, in one thread, on a paused clock (the waiter's
/// sleeps take no real time).
#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn register_wait_and_list_run_on_mocks_alone() {
    let mock = Mock::new();
    mock.on(Client::save_single_task_for_creating_order_activate)
        .match_input(
            SaveSingleTaskForCreatingOrderActivateInput::builder()
                .domain_name("example.com")
                .registrant_profile_id(7)
                .build(),
        )
        .reply(order_output("T-1"));
    let polls = mock
        .on(Client::query_task_detail_list)
        .param("TaskNo", "T-1")
        .reply(task_page("T-1", "example.com", TaskStatusCode::Executing));
    mock.on(Client::query_task_detail_list)
        .param("TaskNo", "T-1")
        .reply(task_page("T-1", "example.com", TaskStatusCode::Succeeded));
    let mut listed = Domain::default();
    listed.domain_name = Some("example.com".to_owned());
    let mut list = QueryDomainListOutput::default();
    list.total_item_num = Some(1);
    list.current_page_num = Some(1);
    list.total_page_num = Some(1);
    list.data = Some(vec![listed]);
    mock.on(Client::query_domain_list)
        .when(|p| p.parse::<i32>("PageNum") == Some(1))
        .reply(list);

    let client = mock.client();
    let order = client
        .save_single_task_for_creating_order_activate()
        .domain_name("example.com")
        .registrant_profile_id(7)
        .send()
        .await
        .unwrap();
    assert_eq!(order.request_id.as_deref(), Some("R-ORDER"));
    let fast = WaiterConfig {
        initial_interval: Duration::from_millis(1),
        // The waiter's deadline is on the real clock: a bound for a broken run only (this one ends at poll 2).
        deadline: Duration::from_secs(60),
        ..WaiterConfig::default()
    };
    let report = client.wait_for_task_with(order.task_no.unwrap(), fast).await.unwrap();
    assert_eq!(report.state, TaskState::Succeeded);
    assert_eq!(report.polls, 2);
    assert_eq!(report.outcomes[0].domain_name(), "example.com");
    let page = client
        .query_domain_list()
        .page_num(1)
        .page_size(10)
        .send()
        .await
        .unwrap();
    assert_eq!(page.data.unwrap()[0].domain_name.as_deref(), Some("example.com"));

    assert_eq!(polls.calls(), 1);
    mock.assert_all_used();
    assert_eq!(
        actions(&mock),
        [
            "SaveSingleTaskForCreatingOrderActivate",
            "QueryTaskDetailList",
            "QueryTaskDetailList",
            "QueryDomainList"
        ]
    );
    assert!(mock.requests().iter().all(|r| r.verdict == Verdict::Accepted));
}

#[tokio::test(flavor = "current_thread")]
async fn rules_match_on_the_input_and_a_request_no_rule_takes_gets_an_error_naming_the_action() {
    let mock = Mock::new();
    mock.on(Client::check_domain)
        .match_input(CheckDomainInput::builder().domain_name("b.com").build())
        .always()
        .reply(checked("b.com", "0"));
    mock.on(Client::check_domain)
        .when(|p| p.get("DomainName").is_some_and(|d| d.ends_with(".xin")))
        .always()
        .reply_fn(|p: &Params| checked(p.get("DomainName").unwrap_or_default(), "1"));
    let client = mock.client();

    let b = client.check_domain().domain_name("b.com").send().await.unwrap();
    assert_eq!(b, checked("b.com", "0"), "the output decodes to what the rule gave");
    // Extra parameters do not stop an example from matching: it names what must be there.
    let b_en = client
        .check_domain()
        .domain_name("b.com")
        .lang("en")
        .send()
        .await
        .unwrap();
    assert_eq!(b_en.avail.unwrap().as_str(), "0");
    let xin = client.check_domain().domain_name("shop.xin").send().await.unwrap();
    assert_eq!(xin.domain_name.as_deref(), Some("shop.xin"));
    assert_eq!(xin.avail.unwrap().as_str(), "1");

    let before = mock.requests().len();
    let error = client.check_domain().domain_name("a.com").send().await.unwrap_err();
    assert_eq!(error.code(), Some(NO_RULE_MATCHED));
    let message = error.to_string();
    assert!(
        message.starts_with("CheckDomain: service error Mock.NoRuleMatched (HTTP 400)"),
        "{message}"
    );
    for part in ["DomainName=a.com", "input has {DomainName=b.com}", "(predicate)"] {
        assert!(message.contains(part), "{message}");
    }
    assert_eq!(mock.requests().len(), before + 1, "the refusal is not retried");
    assert_eq!(
        mock.requests().last().unwrap().verdict,
        Verdict::Rejected(NO_RULE_MATCHED.to_owned())
    );

    // An action with no rule at all says so.
    let none = client.query_domain_list().page_size(10).send().await.unwrap_err();
    assert!(
        none.to_string().contains("the mock has no rule for QueryDomainList"),
        "{none}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn typed_readers_see_lists_and_under_signature_v3_the_action_comes_from_the_headers() {
    let mock = Mock::new();
    let mut dns = SaveBatchTaskForModifyingDomainDnsOutput::default();
    dns.task_no = Some("T-DNS".to_owned());
    mock.on(Client::save_batch_task_for_modifying_domain_dns)
        .when(|p| {
            p.list("DomainName") == ["a.com", "b.com"]
                && p.list("DomainNameServer") == ["ns1.example.net", "ns2.example.net"]
                && p.flag("AliyunDns") == Some(false)
        })
        .times(2)
        .reply(dns);
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let client = mock.builder().signature_version(version).build().unwrap();
        let out = client
            .save_batch_task_for_modifying_domain_dns()
            .domain_name("a.com")
            .domain_name("b.com")
            .aliyun_dns(false)
            .domain_name_server("ns1.example.net")
            .domain_name_server("ns2.example.net")
            .send()
            .await
            .unwrap();
        assert_eq!(out.task_no.as_deref(), Some("T-DNS"));
    }
    let seen = mock.requests();
    assert!(!seen[0].is_v3() && seen[1].is_v3());
    assert_eq!(
        seen[1].header("x-acs-action").as_deref(),
        Some("SaveBatchTaskForModifyingDomainDns")
    );
    mock.assert_all_used();
}

#[tokio::test(flavor = "current_thread")]
async fn times_then_the_next_rule_and_a_used_up_rule_falls_through_to_the_next_matching_one() {
    let mock = Mock::new();
    let first = mock
        .on(Client::check_domain)
        .param("DomainName", "a.com")
        .times(2)
        .reply(checked("a.com", "1"));
    let other = mock
        .on(Client::check_domain)
        .param("DomainName", "other.com")
        .always()
        .reply(checked("other.com", "1"));
    let then = mock.on(Client::check_domain).always().reply(checked("a.com", "0"));
    let client = mock.client();

    let mut answers = Vec::new();
    for _ in 0..4 {
        let out = client.check_domain().domain_name("a.com").send().await.unwrap();
        answers.push(out.avail.unwrap().as_str().to_owned());
    }
    assert_eq!(answers, ["1", "1", "0", "0"]);
    assert_eq!((first.calls(), other.calls(), then.calls()), (2, 0, 2));
    assert_eq!(
        mock.unused_rules(),
        ["CheckDomain where DomainName=other.com: always, used 0"]
    );
    assert_eq!(first.describe(), "CheckDomain where DomainName=a.com: used 2 of 2");
}

#[tokio::test(flavor = "current_thread")]
async fn a_service_error_decodes_as_the_sdk_typed_code_with_its_status_message_and_request_id() {
    let mock = Mock::new();
    mock.on(Client::save_single_task_for_creating_order_activate)
        .fail_with(Code::TaskIsBeingProcessed.fault());
    mock.on(Client::save_single_task_for_creating_order_activate).fail(
        400,
        "InvalidParameter",
        "The specified value of parameter \"DomainName\" is not valid.",
    );
    mock.on(Client::check_domain)
        .fail(400, "Busy", "Server is busy, please try again later.");
    let client = mock.client();
    let order = || {
        client
            .save_single_task_for_creating_order_activate()
            .domain_name("a.com")
    };

    let busy = order().send().await.unwrap_err();
    assert_eq!(OrderErrorCode::of(&busy), Some(OrderErrorCode::TaskIsBeingProcessed));
    let service = busy.as_service_error().unwrap();
    assert_eq!(service.status, 400);
    assert_eq!(
        service.message.as_deref(),
        Some("An operation is being processed. Please try again later.")
    );
    assert_eq!(
        service.request_id.as_deref(),
        Some("00000000-0000-4000-8000-000000000001")
    );
    assert_eq!(service.host_id.as_deref(), Some("domain.mock.invalid"));

    let invalid = order().send().await.unwrap_err();
    assert_eq!(
        OrderErrorCode::of(&invalid),
        Some(OrderErrorCode::Global(GlobalErrorCode::InvalidParameter))
    );
    let check = client.check_domain().domain_name("a.com").send().await.unwrap_err();
    assert_eq!(CheckDomainErrorCode::of(&check), Some(CheckDomainErrorCode::Busy));
    assert_eq!(mock.requests().len(), 3, "client errors are not retried");
    mock.assert_all_used();
}

#[tokio::test(flavor = "current_thread")]
async fn a_refused_connection_is_retried_even_for_an_order_a_timeout_is_not() {
    let mock = Mock::new();
    let refused = mock
        .on(Client::save_single_task_for_creating_order_activate)
        .param("DomainName", "a.com")
        .fail_transport(TransportErrorKind::Connect);
    mock.on(Client::save_single_task_for_creating_order_activate)
        .param("DomainName", "a.com")
        .reply(order_output("T-A"));
    let client = mock.client();
    let out = client
        .save_single_task_for_creating_order_activate()
        .domain_name("a.com")
        .send()
        .await
        .unwrap();
    assert_eq!(out.task_no.as_deref(), Some("T-A"));
    assert_eq!(refused.calls(), 1);
    assert_eq!(mock.requests().len(), 2);

    // After a timeout the order may have been placed: the client does not send it again.
    mock.on(Client::save_single_task_for_creating_order_activate)
        .param("DomainName", "b.com")
        .fail_transport(TransportErrorKind::Timeout);
    let second = mock
        .on(Client::save_single_task_for_creating_order_activate)
        .param("DomainName", "b.com")
        .reply(order_output("T-B"));
    let error = client
        .save_single_task_for_creating_order_activate()
        .domain_name("b.com")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportErrorKind::Timeout,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("a rule of the mock"), "{error}");
    assert_eq!(second.calls(), 0);
    assert_eq!(mock.requests().len(), 3);

    // A query is safe to repeat: a timeout, then a reset, then the answer.
    mock.on(Client::check_domain)
        .fail_transport(TransportErrorKind::Timeout);
    mock.on(Client::check_domain).fail_transport(TransportErrorKind::Other);
    mock.on(Client::check_domain).reply(checked("a.com", "1"));
    client.check_domain().domain_name("a.com").send().await.unwrap();
    assert_eq!(mock.requests().len(), 6);
    assert_eq!(
        mock.unused_rules(),
        ["SaveSingleTaskForCreatingOrderActivate where DomainName=b.com: used 0 of 1"]
    );
}

#[test]
#[should_panic(
    expected = "rules of the mock that were not used up:\n  CheckDomain where DomainName=never.com: used 0 of 1"
)]
fn assert_all_used_names_the_rule_never_used() {
    let mock = Mock::new();
    mock.on(Client::check_domain)
        .param("DomainName", "never.com")
        .reply(checked("never.com", "1"));
    mock.assert_all_used();
}

#[test]
fn rules_that_can_never_match_are_reported_with_the_reason() {
    let mock = Mock::new();
    // The waiter sends PageSize (required): an example without it cannot be compared.
    mock.on(Client::query_task_detail_list)
        .match_input(QueryTaskDetailListInput::builder().task_no("T-1").build())
        .reply_example();
    mock.on(Client::query_task_detail_list)
        .match_input(CheckDomainInput::builder().domain_name("a.com").build())
        .reply_example();
    let unused = mock.unused_rules();
    assert_eq!(unused.len(), 2);
    assert!(
        unused[0].contains("never matches: the example input cannot be sent (invalid QueryTaskDetailList request: parameter PageSize: is required but not set)"),
        "{}",
        unused[0]
    );
    assert!(
        unused[1].contains("never matches: the example input is of CheckDomain, not of QueryTaskDetailList"),
        "{}",
        unused[1]
    );
}

/// No socket: a listener stands where the client's endpoint points, and sees no connection, while every call
/// succeeds; the mock's own endpoint is a name that never resolves.
#[tokio::test(flavor = "current_thread")]
async fn no_socket_is_opened() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let mock = Mock::new();
    mock.on(Client::check_domain).always().reply(checked("a.com", "1"));
    let aimed = mock.builder().endpoint(&endpoint).build().unwrap();
    let unroutable = mock.client();
    assert_eq!(unroutable.endpoint(), MOCK_ENDPOINT);
    for client in [&aimed, &unroutable, &aimed] {
        client.check_domain().domain_name("a.com").send().await.unwrap();
    }
    assert_eq!(mock.requests().len(), 3);
    assert_eq!(
        listener.accept().unwrap_err().kind(),
        std::io::ErrorKind::WouldBlock,
        "nothing connected to the endpoint"
    );
}

/// An answer held back past the attempt timeout times out as on the wire (on the paused clock: no real wait);
/// a raw answer is passed as it is (here a throttle the client retries).
#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn delays_and_raw_answers_reach_the_client_as_from_the_wire() {
    let mock = Mock::new();
    mock.on(Client::check_domain)
        .delay(Duration::from_secs(60))
        .reply(checked("a.com", "1"));
    let client = mock.client();
    let started = tokio::time::Instant::now();
    let error = client
        .check_domain()
        .domain_name("a.com")
        .customize(|c| c.attempt_timeout(Duration::from_secs(5)).no_retries())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportErrorKind::Timeout,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(started.elapsed(), Duration::from_secs(5));

    let throttled =
        br#"{"RequestId":"R-T","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#;
    mock.on(Client::check_domain).respond(HttpResponse::new(
        400,
        vec![("x-acs-retry-after".to_owned(), "1000".to_owned())],
        throttled.to_vec(),
    ));
    mock.on(Client::check_domain).reply(checked("a.com", "1"));
    client.check_domain().domain_name("a.com").send().await.unwrap();
    let retry = &mock.requests()[2];
    assert_eq!(retry.header("x-acs-retry-attempts").as_deref(), Some("1"));
    mock.assert_all_used();
}

/// A rule started with `mock.on(Client::…)` matches on, and answers from, the request's typed input: lists and
/// lists of structures included, whatever the signature version.
#[tokio::test(flavor = "current_thread")]
async fn rules_match_and_answer_on_the_typed_input() {
    use domain_sdk::operation::save_batch_task_for_modifying_domain_dns::SaveBatchTaskForModifyingDomainDnsInput;
    use domain_sdk::operation::save_single_task_for_creating_order_activate::SaveSingleTaskForCreatingOrderActivateInput as Order;
    let mock = Mock::new();
    mock.on(Client::check_domain)
        .when_input(|input: &CheckDomainInput| input.domain_name.as_deref().is_some_and(|d| d.ends_with(".xin")))
        .always()
        .reply_from_input(|input| checked(input.domain_name.as_deref().unwrap_or_default(), "0"));
    mock.on(Client::check_domain)
        .always()
        .reply_from_input(|input| checked(input.domain_name.as_deref().unwrap_or_default(), "1"));
    mock.on(Client::save_batch_task_for_modifying_domain_dns)
        .when_input(|input: &SaveBatchTaskForModifyingDomainDnsInput| {
            input.domain_name.as_deref() == Some(&["a.com".to_owned(), "b.com".to_owned()][..])
                && input.domain_name_server.as_ref().is_some_and(|s| s.len() == 2)
                && input.aliyun_dns == Some(false)
        })
        .reply(SaveBatchTaskForModifyingDomainDnsOutput::default());
    mock.on(Client::save_single_task_for_creating_order_activate)
        .when_input(|input: &Order| input.subscription_duration == Some(2) && input.enable_domain_proxy == Some(true))
        .reply(order_output("T-TYPED"));

    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let client = mock.builder().signature_version(version).build().unwrap();
        let xin = client.check_domain().domain_name("a.xin").send().await.unwrap();
        assert_eq!(
            (xin.domain_name.as_deref(), xin.avail.map(|a| a.as_str().to_owned())),
            (Some("a.xin"), Some("0".into()))
        );
        let com = client.check_domain().domain_name("a.com").send().await.unwrap();
        assert_eq!(com.avail.map(|a| a.as_str().to_owned()), Some("1".into()));
    }
    let client = mock.client();
    client
        .save_batch_task_for_modifying_domain_dns()
        .domain_name("a.com")
        .domain_name("b.com")
        .domain_name_server("ns1.example.net")
        .domain_name_server("ns2.example.net")
        .aliyun_dns(false)
        .send()
        .await
        .unwrap();
    let order = client
        .save_single_task_for_creating_order_activate()
        .domain_name("a.com")
        .subscription_duration(2)
        .enable_domain_proxy(true)
        .registrant_profile_id(1)
        .send()
        .await
        .unwrap();
    assert_eq!(order.task_no.as_deref(), Some("T-TYPED"));
    mock.assert_all_used();
}
