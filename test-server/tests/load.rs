//! One stateful fake shared by many concurrent test tasks, as a suite that shares a server uses it: 32 tokio
//! tasks, each with its own domain, make 10,000 calls in all (renewals and their task reads, remarks, lookups);
//! every call is answered, no update is lost, and the account saved as a fixture loads back to the same state.

use domain_sdk::Client;
use domain_sdk_test_server::account::YEAR;
use domain_sdk_test_server::{client_without_retries, Account, ServerConfig, TestServer, Verdict};

const WORKERS: usize = 32;
/// Rounds of four calls each worker makes: renew, read the task, set the remark, read the domain back.
const ROUNDS: usize = 78;
/// The workers that make one more call (a list), so that the calls come to 10,000.
const WITH_EXTRA_CALL: usize = 16;
const CALLS: usize = WORKERS * ROUNDS * 4 + WITH_EXTRA_CALL;
/// Where every seeded domain's expiration date starts (2027-01-01, ms).
const EXPIRES: i64 = 1_798_761_600_000;

fn fixture() -> String {
    let mut text = String::from("now: 1764720000000\ntask_timing: {polls: 1}\ndomains:\n");
    for worker in 0..WORKERS {
        text.push_str(&format!(
            "  - {{name: worker-{worker}.com, expiration_date: {EXPIRES}}}\n"
        ));
    }
    text
}

/// What one worker saw: the number of calls it made and the state it left its domain in.
struct Outcome {
    calls: usize,
    expiration: i64,
    remark: String,
}

async fn worker(client: Client, index: usize) -> Result<Outcome, String> {
    let name = format!("worker-{index}.com");
    let fail = |what: &str, error: domain_sdk::Error| format!("{name}: {what}: {error}");
    let mut calls = 0;
    let mut expiration = EXPIRES;
    let mut remark = String::new();
    for round in 0..ROUNDS {
        let task = client
            .save_single_task_for_creating_order_renew()
            .domain_name(&name)
            .current_expiration_date(expiration)
            .subscription_duration(1)
            .send()
            .await
            .map_err(|error| fail("renew", error))?;
        let details = client
            .query_task_detail_list()
            .task_no(task.task_no.ok_or("no task number")?)
            .page_num(1)
            .page_size(10)
            .send()
            .await
            .map_err(|error| fail("task", error))?;
        let detail = details.data.into_iter().flatten().next().ok_or("no detail")?;
        if detail.task_status.as_ref().map(|status| status.as_str()) != Some("EXECUTE_SUCCESS") {
            return Err(format!("{name}: round {round}: the renewal ended as {detail:?}"));
        }
        expiration += YEAR;
        remark = format!("{name} round {round}");
        client
            .save_batch_domain_remark()
            .instance_ids(detail.instance_id.ok_or("no instance id")?)
            .remark(&remark)
            .send()
            .await
            .map_err(|error| fail("remark", error))?;
        let domain = client
            .query_domain_by_domain_name()
            .domain_name(&name)
            .send()
            .await
            .map_err(|error| fail("read", error))?;
        if domain.expiration_date_long != Some(expiration) || domain.remark.as_deref() != Some(remark.as_str()) {
            return Err(format!("{name}: round {round}: read back {domain:?}"));
        }
        calls += 4;
    }
    if index < WITH_EXTRA_CALL {
        client
            .query_domain_list()
            .page_num(1)
            .page_size(1)
            .domain_name(&name)
            .send()
            .await
            .map_err(|error| fail("list", error))?;
        calls += 1;
    }
    Ok(Outcome {
        calls,
        expiration,
        remark,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_tasks_share_one_fake_for_ten_thousand_calls() {
    let account = Account::from_fixture(&fixture()).unwrap();
    let server = TestServer::start(ServerConfig::default().with_account(account)).await;
    let workers: Vec<_> = (0..WORKERS)
        .map(|index| tokio::spawn(worker(client_without_retries(&server), index)))
        .collect();
    let mut outcomes = Vec::new();
    for (index, handle) in workers.into_iter().enumerate() {
        let outcome = handle
            .await
            .unwrap_or_else(|panic| panic!("worker {index} panicked: {panic}"));
        outcomes.push(outcome.unwrap_or_else(|error| panic!("worker {index}: {error}")));
    }

    // Every call was received and answered; none was refused.
    let made: usize = outcomes.iter().map(|outcome| outcome.calls).sum();
    assert_eq!(made, CALLS);
    assert_eq!(CALLS, 10_000);
    let requests = server.requests();
    assert_eq!(requests.len(), CALLS);
    assert!(requests.iter().all(|request| request.verdict == Verdict::Accepted));

    // No update was lost: each domain has every renewal and its last remark, and one task per renewal.
    let snapshot = server.account();
    for (index, outcome) in outcomes.iter().enumerate() {
        let domain = snapshot.domain(&format!("worker-{index}.com")).unwrap();
        assert_eq!(domain.expiration_date, EXPIRES + ROUNDS as i64 * YEAR, "worker {index}");
        assert_eq!(domain.expiration_date, outcome.expiration);
        assert_eq!(domain.remark, outcome.remark);
    }
    assert_eq!(snapshot.tasks.len(), WORKERS * ROUNDS);
    assert!(snapshot
        .tasks
        .iter()
        .all(|task| task.details.len() == 1 && task.details[0].status.is_final()));

    // Saved as a fixture, the account loads back to the same state, and a server started from it answers
    // from that state.
    let saved = snapshot.to_fixture().unwrap();
    let loaded = Account::from_fixture(&saved).unwrap();
    assert_eq!(loaded, snapshot);
    let reloaded = TestServer::start(ServerConfig::default().with_account(loaded)).await;
    let client = client_without_retries(&reloaded);
    let list = client
        .query_domain_list()
        .page_num(1)
        .page_size(1)
        .send()
        .await
        .unwrap();
    assert_eq!(list.total_item_num, Some(WORKERS as i32));
    let tasks = client.query_task_list().page_num(1).page_size(1).send().await.unwrap();
    assert_eq!(tasks.total_item_num, Some((WORKERS * ROUNDS) as i32));
    assert_eq!(reloaded.account(), snapshot);
}
