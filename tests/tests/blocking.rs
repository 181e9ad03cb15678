//! The blocking API (feature `blocking`): the same generated operations, called from plain threads.

use domain_sdk::blocking::SendBlocking as _;
use domain_sdk::Error;
use e2e::{client_for, start_server, Reply, Verdict};

fn server_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn send_blocking_and_blocking_paginators_work_from_plain_threads() {
    let rt = server_runtime();
    let server = rt.block_on(start_server());
    let client = client_for(&server);

    let out = client
        .check_domain()
        .domain_name("a.com")
        .send_blocking()
        .expect("answered");
    assert_eq!(out.price, Some(1286));
    assert_eq!(server.requests()[0].verdict, Verdict::Accepted);

    let page = |names: &[&str], more: bool| {
        let data: Vec<String> = names.iter().map(|n| format!(r#"{{"DomainName": "{n}"}}"#)).collect();
        Reply::Json {
            status: 200,
            body: format!(r#"{{"Data": {{"Domain": [{}]}}, "NextPage": {more}}}"#, data.join(",")),
        }
    };
    server.script("QueryDomainList", page(&["a.com"], true));
    server.script("QueryDomainList", page(&["b.com"], false));
    let names: Vec<String> = client
        .query_domain_list()
        .page_size(1)
        .into_paginator()
        .items_blocking()
        .map(|d| d.unwrap().domain_name.unwrap_or_default())
        .collect();
    assert_eq!(names, ["a.com", "b.com"]);

    // From several threads at once.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || {
                client
                    .check_domain()
                    .domain_name("a.com")
                    .send_blocking()
                    .map(|o| o.price)
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), Some(1286));
    }
}

#[tokio::test]
async fn a_blocking_call_inside_an_async_runtime_is_an_error_not_a_panic() {
    let server = start_server().await;
    let err = client_for(&server)
        .check_domain()
        .domain_name("a.com")
        .send_blocking()
        .unwrap_err();
    assert!(
        matches!(&err, Error::Blocking(m) if m.contains("async runtime")),
        "{err:?}"
    );
    assert_eq!(server.request_count(), 0);
}

#[test]
fn wait_for_task_blocking_polls_until_the_task_is_over() {
    use e2e::TaskState::{Executing, Failed, Succeeded};
    let rt = server_runtime();
    let server = rt.block_on(start_server());
    let task = "T-blocking";
    server.script(
        "QueryTaskDetailList",
        e2e::task_details_reply(task, &[("a.com", Executing), ("b.com", Succeeded)], 1, 1),
    );
    server.script(
        "QueryTaskDetailList",
        e2e::task_details_reply(task, &[("a.com", Failed("held")), ("b.com", Succeeded)], 1, 1),
    );
    let config = domain_sdk::WaiterConfig {
        initial_interval: std::time::Duration::from_millis(1),
        ..Default::default()
    };
    let report = client_for(&server)
        .wait_for_task_with_blocking(task, config)
        .expect("polled");
    assert_eq!(report.state, domain_sdk::TaskState::Failed);
    assert_eq!(report.polls, 2);
    assert_eq!(report.failed().map(|o| o.domain_name()).collect::<Vec<_>>(), ["a.com"]);

    // From inside an async runtime it refuses instead of deadlocking.
    let client = client_for(&server);
    let err = rt
        .block_on(async move { client.wait_for_task_blocking(task) })
        .unwrap_err();
    assert!(matches!(err, Error::Blocking(_)), "{err}");
}
