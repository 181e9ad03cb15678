//! The task waiter against a task's life played by the loopback server: waiting → executing → success or failure
//! per domain, across several pages, and a deadline that leaves domains pending.

use std::time::Duration;

use domain_sdk::{TaskOutcome, TaskState as Ended, WaiterConfig};
use e2e::{client_without_retries, start_server, task_details_reply, TaskState::*};

fn fast(deadline: Duration) -> WaiterConfig {
    WaiterConfig {
        initial_interval: Duration::from_millis(1),
        max_interval: Duration::from_millis(4),
        deadline,
        page_size: 2,
    }
}

#[tokio::test]
async fn waits_until_every_domain_is_done_across_pages() {
    let server = start_server().await;
    let t = "75addb07-28a3-450e-b5ec-test";
    // Three domains, two per page: each poll reads two pages.
    for (first, second) in [
        ([("a.com", Waiting), ("b.com", Waiting)], [("c.com", Waiting)]),
        ([("a.com", Executing), ("b.com", Succeeded)], [("c.com", Executing)]),
        (
            [("a.com", Succeeded), ("b.com", Succeeded)],
            [("c.com", Failed("Registrant profile not verified"))],
        ),
    ] {
        server.script("QueryTaskDetailList", task_details_reply(t, &first, 1, 2));
        server.script("QueryTaskDetailList", task_details_reply(t, &second, 2, 2));
    }
    let report = client_without_retries(&server)
        .wait_for_task_with(t, fast(Duration::from_secs(60)))
        .await
        .unwrap();
    assert_eq!(report.polls, 3);
    assert_eq!(report.state, Ended::Failed);
    assert!(report.is_complete() && !report.all_succeeded());
    assert_eq!(
        report.failed().map(TaskOutcome::domain_name).collect::<Vec<_>>(),
        ["c.com"]
    );
    let summary: Vec<(String, &str)> = report
        .outcomes
        .iter()
        .map(|o| {
            let kind = match o {
                TaskOutcome::Succeeded { .. } => "ok",
                TaskOutcome::Failed { reason, .. } => {
                    assert_eq!(reason.as_deref(), Some("Registrant profile not verified"));
                    "failed"
                }
                TaskOutcome::Pending { .. } => "pending",
                _ => "other",
            };
            (o.domain_name().to_owned(), kind)
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("a.com".into(), "ok"),
            ("b.com".into(), "ok"),
            ("c.com".into(), "failed")
        ]
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 6, "three polls of two pages");
    assert!(requests
        .iter()
        .all(|r| r.param("TaskNo").as_deref() == Some(t) && r.param("PageSize").as_deref() == Some("2")));
}

#[tokio::test]
async fn the_deadline_reports_what_is_still_pending() {
    let server = start_server().await;
    for _ in 0..200 {
        server.script(
            "QueryTaskDetailList",
            task_details_reply("t", &[("a.com", Succeeded), ("b.com", Executing)], 1, 1),
        );
    }
    let report = client_without_retries(&server)
        .wait_for_task_with("t", fast(Duration::from_millis(30)))
        .await
        .unwrap();
    assert_eq!(report.state, Ended::TimedOut);
    assert!(!report.is_complete() && !report.all_succeeded());
    assert_eq!(report.pending().count(), 1);
    assert!(matches!(&report.outcomes[0], TaskOutcome::Succeeded { .. }));
    match &report.outcomes[1] {
        TaskOutcome::Pending {
            domain_name, status, ..
        } => {
            assert_eq!(domain_name, "b.com");
            assert_eq!(
                status,
                &Some(domain_sdk::operation::query_task_detail_list::TaskStatusCode::Executing)
            );
        }
        other => panic!("expected pending, got {other:?}"),
    }
}

#[tokio::test]
async fn a_failed_poll_is_an_error() {
    let server = start_server().await;
    server.script(
        "QueryTaskDetailList",
        e2e::Reply::Json {
            status: 403,
            body: r#"{"Code": "Forbidden", "Message": "m"}"#.into(),
        },
    );
    let err = client_without_retries(&server)
        .wait_for_task_with("t", fast(Duration::from_secs(5)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("Forbidden"));
}

#[tokio::test]
async fn a_task_whose_details_never_appear_is_not_found_never_a_success() {
    let server = start_server().await;
    // The service lists nothing for an unknown TaskNo: an empty page, at every poll until the deadline.
    for _ in 0..200 {
        server.script("QueryTaskDetailList", task_details_reply("NO-SUCH-TASK", &[], 1, 0));
    }
    let report = client_without_retries(&server)
        .wait_for_task_with("NO-SUCH-TASK", fast(Duration::from_millis(30)))
        .await
        .unwrap();
    assert_eq!(report.state, Ended::NotFound, "{report:?}");
    assert!(report.outcomes.is_empty());
    assert!(!report.is_complete(), "a task never seen is not complete");
    assert!(!report.all_succeeded(), "a task never seen did not succeed");
    assert!(
        report.polls >= 2,
        "it kept polling until the deadline: {}",
        report.polls
    );
    assert_eq!(
        Ended::NotFound.to_string(),
        "no such task: the service listed no detail for it"
    );
}

#[tokio::test]
async fn every_domain_succeeding_is_the_only_success() {
    let server = start_server().await;
    server.script(
        "QueryTaskDetailList",
        task_details_reply("t", &[("a.com", Succeeded), ("b.com", Succeeded)], 1, 1),
    );
    let report = client_without_retries(&server)
        .wait_for_task_with("t", fast(Duration::from_secs(60)))
        .await
        .unwrap();
    assert_eq!((report.state, report.polls), (Ended::Succeeded, 1));
    assert!(report.is_complete() && report.all_succeeded() && report.state.is_success());
}
