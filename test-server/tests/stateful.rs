//! Downstream-style tests of the stateful fake, written as a crate that depends on `domain-sdk` would write
//! them: a registrar's whole flow through the typed client with no scripting, and the account's rules (domains,
//! tasks, profiles and their real-name material, ENS associations, qualification reviews).

use std::time::Duration;

use domain_sdk::operation::save_batch_task_for_creating_order_activate::OrderActivateParam;
use domain_sdk::operation::save_registrant_profile_real_name_verification::SaveRegistrantProfileRealNameVerificationFluentBuilder;
use domain_sdk::{Client, WaiterConfig};
use domain_sdk_test_server::{
    client_without_retries, sample_credential_image, Account, FailureRule, ServerConfig, TaskTiming, TestServer,
};

fn fast() -> WaiterConfig {
    WaiterConfig {
        initial_interval: Duration::from_millis(1),
        max_interval: Duration::from_millis(1),
        ..WaiterConfig::default()
    }
}

async fn wait(client: &Client, task_no: Option<String>) -> domain_sdk::TaskReport {
    client
        .wait_for_task_with(task_no.expect("a task number"), fast())
        .await
        .expect("the task is polled")
}

/// A registrant profile, real-name verified as the service verifies it: submitted with a credential image, then
/// listed until its audit is decided (registration needs a verified profile).
async fn profile(client: &Client) -> i64 {
    let id = client
        .save_registrant_profile()
        .registrant_type("1")
        .registrant_name("Li Lei")
        .registrant_organization("Li Lei")
        .email("li@example.com")
        .country("CN")
        .default_registrant_profile(true)
        .send()
        .await
        .unwrap()
        .registrant_profile_id
        .expect("a profile id");
    verify_profile(client, id).await;
    id
}

/// Submits the profile's real-name verification and lists it until the audit is decided; how many listings it
/// took.
async fn verify_profile(client: &Client, id: i64) -> usize {
    client
        .registrant_profile_real_name_verification()
        .registrant_profile_id(id)
        .identity_credential_type("SFZ")
        .identity_credential_no("110101199001011234")
        .identity_credential(sample_credential_image())
        .send()
        .await
        .expect("the verification is submitted");
    for listing in 1..=10 {
        let listed = client
            .query_registrant_profiles()
            .registrant_profile_id(id)
            .send()
            .await
            .unwrap();
        let status = listed
            .registrant_profiles
            .iter()
            .flatten()
            .find_map(|profile| profile.real_name_status.clone());
        if status.as_ref().map(|status| status.as_str()) == Some("SUCCEED") {
            return listing;
        }
    }
    panic!("the profile's audit was never decided")
}

#[tokio::test]
async fn register_wait_list_set_dns_lock_and_delete() {
    let server = TestServer::start(ServerConfig::stateful()).await;
    let client = client_without_retries(&server);
    let profile_id = profile(&client).await;

    let check = client.check_domain().domain_name("example-a.com").send().await.unwrap();
    assert_eq!(check.avail.as_ref().map(|a| a.as_str()), Some("1"), "free before");

    // Register two domains in one batch, for two and one years.
    let task = client
        .save_batch_task_for_creating_order_activate()
        .order_activate_param(
            OrderActivateParam::new()
                .domain_name("example-a.com")
                .registrant_profile_id(profile_id)
                .subscription_duration(2),
        )
        .order_activate_param(
            OrderActivateParam::new()
                .domain_name("example-b.net")
                .registrant_profile_id(profile_id),
        )
        .send()
        .await
        .unwrap();
    // Not listed until the task has run.
    let before = client
        .query_domain_list()
        .page_num(1)
        .page_size(10)
        .send()
        .await
        .unwrap();
    assert_eq!(before.total_item_num, Some(0));
    let report = wait(&client, task.task_no).await;
    assert!(report.all_succeeded(), "{report:?}");
    assert!(report.polls >= 3, "waiting, executing, then done: {report:?}");

    // Listed, with the dates and the profile's registrant.
    let list = client
        .query_domain_list()
        .page_num(1)
        .page_size(10)
        .order_by_type("ASC")
        .send()
        .await
        .unwrap();
    let names: Vec<_> = list
        .data
        .iter()
        .flatten()
        .filter_map(|d| d.domain_name.clone())
        .collect();
    assert_eq!(names, ["example-a.com", "example-b.net"]);
    assert_eq!(list.total_item_num, Some(2));
    let a = client
        .query_domain_by_domain_name()
        .domain_name("example-a.com")
        .send()
        .await
        .unwrap();
    let years = (a.expiration_date_long.unwrap() - a.registration_date_long.unwrap()) / (365 * 24 * 3600 * 1000);
    assert_eq!(years, 2);
    assert_eq!(a.registrant_name.as_deref(), Some("Li Lei"));
    let instance_id = a.instance_id.clone().expect("an instance id");
    let by_id = client
        .query_domain_by_instance_id()
        .instance_id(&instance_id)
        .send()
        .await
        .unwrap();
    assert_eq!(by_id.domain_name.as_deref(), Some("example-a.com"));
    let check = client.check_domain().domain_name("example-a.com").send().await.unwrap();
    assert_eq!(check.avail.as_ref().map(|a| a.as_str()), Some("0"), "taken after");

    // Paging and the other lists see the same account.
    let page2 = client
        .query_domain_list()
        .page_num(2)
        .page_size(1)
        .order_by_type("ASC")
        .send()
        .await
        .unwrap();
    assert_eq!(page2.data.unwrap()[0].domain_name.as_deref(), Some("example-b.net"));
    assert_eq!((page2.total_page_num, page2.pre_page), (Some(2), Some(true)));
    let advanced = client
        .query_advanced_domain_list()
        .page_num(1)
        .page_size(10)
        .suffixs("net")
        .send()
        .await
        .unwrap();
    assert_eq!(advanced.total_item_num, Some(1));
    let scrolled = client.scroll_domain_list().page_size(1).send().await.unwrap();
    assert_eq!(scrolled.data.map(|d| d.len()), Some(1));
    assert!(scrolled.scroll_id.is_some_and(|s| !s.is_empty()), "a next scroll");

    // New name servers.
    let task = client
        .save_batch_task_for_modifying_domain_dns()
        .domain_name("example-a.com")
        .aliyun_dns(false)
        .domain_name_server("ns1.example.org")
        .domain_name_server("ns2.example.org")
        .send()
        .await
        .unwrap();
    assert!(wait(&client, task.task_no).await.all_succeeded());
    let a = client
        .query_domain_by_domain_name()
        .domain_name("example-a.com")
        .send()
        .await
        .unwrap();
    assert_eq!(a.dns_list.unwrap(), ["ns1.example.org", "ns2.example.org"]);

    // The transfer lock, then a transfer out that it stops.
    let task = client
        .save_single_task_for_transfer_prohibition_lock()
        .domain_name("example-a.com")
        .status(true)
        .send()
        .await
        .unwrap();
    assert!(wait(&client, task.task_no).await.all_succeeded());
    let a = client
        .query_domain_by_domain_name()
        .domain_name("example-a.com")
        .send()
        .await
        .unwrap();
    assert_eq!(a.transfer_prohibition_lock.as_ref().map(|l| l.as_str()), Some("OPEN"));
    let task = client
        .save_single_task_for_querying_transfer_authorization_code()
        .domain_name("example-a.com")
        .send()
        .await
        .unwrap();
    let report = wait(&client, task.task_no).await;
    let failed: Vec<_> = report.failed().collect();
    assert_eq!(failed.len(), 1, "{report:?}");
    assert!(
        format!("{:?}", failed[0]).contains("locked against transfers"),
        "{failed:?}"
    );

    // Deletion.
    let task = client
        .save_task_for_submitting_domain_delete()
        .instance_id(&instance_id)
        .send()
        .await
        .unwrap();
    assert!(wait(&client, task.task_no).await.all_succeeded());
    let gone = client
        .query_domain_by_domain_name()
        .domain_name("example-a.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Some("DomainNotExist"), "{gone}");
    let list = client
        .query_domain_list()
        .page_num(1)
        .page_size(10)
        .send()
        .await
        .unwrap();
    assert_eq!(list.total_item_num, Some(1));

    // The snapshot says the same, and lists every task with its type.
    let snapshot = server.account();
    assert_eq!(snapshot.domains.len(), 1);
    let types: Vec<_> = snapshot.tasks.iter().map(|t| t.task_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "ORDER_ACTIVATE",
            "CHG_DNS",
            "SET_TRANSFER_PROHIBITED",
            "TRANSFER_AUTHORIZATION_CODE",
            "DELETE_DOMAIN"
        ]
    );
    let tasks = client.query_task_list().page_num(1).page_size(10).send().await.unwrap();
    assert_eq!(tasks.total_item_num, Some(5));
}

#[tokio::test]
async fn a_fixture_seeds_the_account_and_rules_decide_failures() {
    let fixture = r#"
now: 1764720000000          # 2025-12-03
task_timing: {clock_ms: 60000}
taken: [someone-else.com]
groups: [{id: "7", name: shop}]
profiles: [{id: 100, registrant_name: Li Lei, real_name_status: SUCCEED}]
domains:
  - {name: seeded.com, expiration_date: 1767312000000, group_id: "7", remark: kept}
failure_rules:
  - {domain: "*.xin", reason: "The registry refused the name."}
"#;
    let account = Account::from_fixture(fixture).unwrap();
    let server = TestServer::start(ServerConfig::default().with_account(account)).await;
    let client = client_without_retries(&server);

    let seeded = client
        .query_domain_by_domain_name()
        .domain_name("seeded.com")
        .send()
        .await
        .unwrap();
    assert_eq!(seeded.remark.as_deref(), Some("kept"));
    assert_eq!(seeded.domain_group_name.as_deref(), Some("shop"));
    let groups = client.query_domain_group_list().send().await.unwrap();
    assert_eq!(groups.data.unwrap()[0].total_number, Some(1));

    // Renewal moves the expiration date by the years asked, once the virtual clock has passed the task's time.
    let task = client
        .save_single_task_for_creating_order_renew()
        .domain_name("seeded.com")
        .current_expiration_date(1767312000000)
        .subscription_duration(3)
        .send()
        .await
        .unwrap();
    server.advance_clock(Duration::from_secs(61));
    assert!(wait(&client, task.task_no).await.all_succeeded());
    let renewed = server.account().domains[0].expiration_date;
    assert_eq!(renewed, 1767312000000 + 3 * domain_sdk_test_server::account::YEAR);
    // A stale expiration date is refused, as the service guards against a renewal sent twice.
    let twice = client
        .save_single_task_for_creating_order_renew()
        .domain_name("seeded.com")
        .current_expiration_date(1767312000000)
        .subscription_duration(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(twice.code(), Some("InvalidParameter"), "{twice}");

    // A name someone else holds, and one a rule refuses, fail in the task; the third succeeds.
    let item = |name: &str| {
        OrderActivateParam::new()
            .domain_name(name)
            .registrant_profile_id(100)
            .enable_domain_proxy(false)
    };
    let task = client
        .save_batch_task_for_creating_order_activate()
        .order_activate_param(item("someone-else.com"))
        .order_activate_param(item("refused.xin"))
        .order_activate_param(item("fine.org"))
        .send()
        .await
        .unwrap();
    server.advance_clock(Duration::from_secs(60));
    let report = wait(&client, task.task_no).await;
    let reasons: Vec<String> = report.failed().map(|o| format!("{o:?}")).collect();
    assert_eq!(reasons.len(), 2, "{report:?}");
    assert!(reasons.iter().any(|r| r.contains("already registered")), "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("The registry refused the name.")),
        "{reasons:?}"
    );
    assert!(server.account().domain("fine.org").is_some());

    // Registering a domain the account has is accepted, and fails in its task (the order's outcome is there).
    let again = client
        .save_single_task_for_creating_order_activate()
        .domain_name("fine.org")
        .registrant_profile_id(100)
        .send()
        .await
        .unwrap();
    server.advance_clock(Duration::from_secs(60));
    let report = wait(&client, again.task_no).await;
    assert!(format!("{report:?}").contains("already in your account"), "{report:?}");

    // A rule added in the middle of a test applies to the next task.
    server.with_account(|a| {
        a.failure_rules.push(FailureRule {
            domain: "fine.org".into(),
            action: "SaveSingleTaskForDomainNameProxyService".into(),
            reason: "No privacy for this suffix.".into(),
        })
    });
    let task = client
        .save_single_task_for_domain_name_proxy_service()
        .domain_name("fine.org")
        .status(true)
        .send()
        .await
        .unwrap();
    server.complete_tasks();
    let report = wait(&client, task.task_no).await;
    assert_eq!(report.failed().count(), 1);
    assert!(!server.account().domain("fine.org").unwrap().privacy_proxy);

    // A transfer in takes a name registered elsewhere into the account, with the profile named; a name
    // registered nowhere fails in its task.
    let nowhere = client
        .save_single_task_for_creating_order_transfer()
        .domain_name("nowhere.com")
        .authorization_code("code")
        .registrant_profile_id(100)
        .send()
        .await
        .unwrap();
    server.advance_clock(Duration::from_secs(60));
    let report = wait(&client, nowhere.task_no).await;
    assert!(format!("{report:?}").contains("not registered"), "{report:?}");
    let task = client
        .save_single_task_for_creating_order_transfer()
        .domain_name("someone-else.com")
        .authorization_code("code")
        .registrant_profile_id(100)
        .send()
        .await
        .unwrap();
    server.advance_clock(Duration::from_secs(60));
    assert!(wait(&client, task.task_no).await.all_succeeded());
    let account = server.account();
    assert_eq!(account.domain("someone-else.com").unwrap().registrant_name, "Li Lei");
    assert!(account.taken.is_empty());
}

#[tokio::test]
async fn profiles_groups_hosts_and_email_verification() {
    let server = TestServer::start(ServerConfig::default().with_account(Account {
        task_timing: TaskTiming::Polls(1),
        ..Account::default()
    }))
    .await;
    let client = client_without_retries(&server);
    let first = profile(&client).await;
    let second = client
        .save_registrant_profile()
        .registrant_name("Han Meimei")
        .email("han@example.com")
        .send()
        .await
        .unwrap()
        .registrant_profile_id
        .unwrap();
    client
        .set_default_registrant_profile()
        .registrant_profile_id(second)
        .send()
        .await
        .unwrap();
    let listed = client.query_registrant_profiles().send().await.unwrap();
    let defaults: Vec<_> = listed
        .registrant_profiles
        .iter()
        .flatten()
        .filter(|p| p.default_registrant_profile == Some(true))
        .filter_map(|p| p.registrant_profile_id)
        .collect();
    assert_eq!(defaults, [second]);
    let missing = client
        .delete_registrant_profile()
        .registrant_profile_id(999)
        .send()
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Some("ContactTemplateNotExist"));

    // A registration needs a verified profile: the default one is not used in its place, and one not verified
    // is refused.
    let without = client
        .save_single_task_for_creating_order_activate()
        .domain_name("hosts.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(without.code(), Some("MissingParameter"), "{without}");
    let unverified = client
        .save_single_task_for_creating_order_activate()
        .domain_name("hosts.com")
        .registrant_profile_id(second)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        unverified.code(),
        Some("contactTemplateRealNamedNotExist"),
        "{unverified}"
    );
    assert_eq!(
        verify_profile(&client, second).await,
        1,
        "decided on its first listing under polls: 1"
    );
    // A profile in use cannot be deleted.
    let task = client
        .save_single_task_for_creating_order_activate()
        .domain_name("hosts.com")
        .registrant_profile_id(second)
        .send()
        .await
        .unwrap();
    assert!(wait(&client, task.task_no).await.all_succeeded());
    let in_use = client
        .delete_registrant_profile()
        .registrant_profile_id(second)
        .send()
        .await
        .unwrap_err();
    assert_eq!(in_use.code(), Some("InvalidParameter"));
    assert!(in_use.to_string().contains("hosts.com"), "{in_use}");
    client
        .delete_registrant_profile()
        .registrant_profile_id(first)
        .send()
        .await
        .unwrap();

    // Groups.
    let group = client
        .save_domain_group()
        .domain_group_name("vip")
        .send()
        .await
        .unwrap();
    let group_id = group.domain_group_id.unwrap();
    client
        .update_domain_to_domain_group()
        .domain_group_id(group_id)
        .data_source(1)
        .replace(false)
        .domain_name("hosts.com")
        .send()
        .await
        .unwrap();
    let in_group = client
        .query_domain_list()
        .page_num(1)
        .page_size(10)
        .domain_group_id(group_id.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(in_group.total_item_num, Some(1));

    // DNS hosts and DS records.
    let instance_id = server.account().domains[0].instance_id.clone();
    let task = client
        .save_single_task_for_creating_dns_host()
        .instance_id(&instance_id)
        .dns_name("ns1")
        .ip("192.0.2.1")
        .ip("192.0.2.2")
        .send()
        .await
        .unwrap();
    assert!(wait(&client, task.task_no).await.all_succeeded());
    let hosts = client.query_dns_host().instance_id(&instance_id).send().await.unwrap();
    let host = &hosts.dns_host_list.unwrap()[0];
    assert_eq!(
        host.ip_list.as_deref(),
        Some(&["192.0.2.1".to_owned(), "192.0.2.2".to_owned()][..])
    );
    let task = client
        .save_single_task_for_adding_ds_record()
        .domain_name("hosts.com")
        .key_tag(12345)
        .algorithm(8)
        .digest_type(2)
        .digest("ABCDEF")
        .send()
        .await
        .unwrap();
    assert!(wait(&client, task.task_no).await.all_succeeded());
    let ds = client.query_ds_record().domain_name("hosts.com").send().await.unwrap();
    assert_eq!(ds.ds_record_list.unwrap()[0].key_tag, Some(12345));

    // The update lock stops later changes, in the task.
    let task = client
        .save_single_task_for_update_prohibition_lock()
        .domain_name("hosts.com")
        .status(true)
        .send()
        .await
        .unwrap();
    assert!(wait(&client, task.task_no).await.all_succeeded());
    let task = client
        .save_single_task_for_deleting_dns_host()
        .instance_id(&instance_id)
        .dns_name("ns1")
        .send()
        .await
        .unwrap();
    assert_eq!(wait(&client, task.task_no).await.failed().count(), 1);
    assert_eq!(server.account().domains[0].dns_hosts.len(), 1);

    // Email verification: the token is read from the snapshot, as a test would read it from the mail.
    let sent = client
        .submit_email_verification()
        .email("li@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(sent.success_list.map(|l| l.len()), Some(1));
    let token = server.account().email_verifications[0].token.clone();
    client.verify_email().token(token).send().await.unwrap();
    let status = client
        .query_email_verification()
        .email("li@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(status.verification_status.as_ref().map(|s| s.as_str()), Some("1"));
    let again = client
        .submit_email_verification()
        .email("li@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(again.exist_list.map(|l| l.len()), Some(1));
}

#[tokio::test]
async fn task_results_are_polled_acknowledged_and_canceled() {
    let server = TestServer::start(ServerConfig::default().with_account(Account {
        task_timing: TaskTiming::Polls(2),
        ..Account::from_fixture("domains: [{name: a.com}, {name: b.com}]").unwrap()
    }))
    .await;
    let client = client_without_retries(&server);
    let task = client
        .save_batch_task_for_update_prohibition_lock()
        .domain_name("a.com")
        .domain_name("b.com")
        .status(true)
        .send()
        .await
        .unwrap();
    let task_no = task.task_no.unwrap();
    let first = client
        .poll_task_result()
        .page_num(1)
        .page_size(10)
        .send()
        .await
        .unwrap();
    assert_eq!(first.total_item_num, Some(0), "nothing finished yet");
    let second = client
        .poll_task_result()
        .page_num(1)
        .page_size(10)
        .send()
        .await
        .unwrap();
    let done: Vec<String> = second
        .data
        .iter()
        .flatten()
        .filter_map(|d| d.task_detail_no.clone())
        .collect();
    assert_eq!(done.len(), 2);
    let mut ack = client.acknowledge_task_result();
    for no in &done {
        ack = ack.task_detail_no(no);
    }
    assert_eq!(ack.send().await.unwrap().result, Some(2));
    let after = client
        .poll_task_result()
        .page_num(1)
        .page_size(10)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.total_item_num,
        Some(0),
        "acknowledged results are not polled again"
    );
    let history = client
        .query_task_detail_history()
        .task_no(&task_no)
        .page_size(1)
        .send()
        .await
        .unwrap();
    assert_eq!(history.objects.map(|o| o.len()), Some(1));
    assert!(history.next_page_cursor.is_some());
    let infos = client.query_task_info_history().page_size(1).send().await.unwrap();
    let objects = infos.objects.unwrap();
    assert_eq!(objects[0].task_no.as_deref(), Some(task_no.as_str()));
    assert_eq!(objects[0].task_num, Some(2));
    assert!(infos.next_page_cursor.is_none(), "one task so far");

    // A canceled task's unfinished details fail.
    let task = client
        .save_batch_task_for_transfer_prohibition_lock()
        .domain_name("a.com")
        .status(true)
        .send()
        .await
        .unwrap();
    client
        .cancel_task()
        .task_no(task.task_no.clone().unwrap())
        .send()
        .await
        .unwrap();
    let report = wait(&client, task.task_no).await;
    assert_eq!(report.failed().count(), 1);
    assert!(!server.account().domain("a.com").unwrap().transfer_prohibition_lock);
    let unknown = client.cancel_task().task_no("no-such-task").send().await.unwrap_err();
    assert_eq!(unknown.code(), Some("InvalidParameter"));
}

#[tokio::test]
async fn scripts_match_parameters_count_their_uses_and_survive_a_panicking_predicate() {
    let server = TestServer::start(ServerConfig::stateful()).await;
    let client = client_without_retries(&server);
    server
        .on("CheckDomain")
        .param("DomainName", "b.com")
        .always()
        .fail(400, "DomainExist", "taken");
    server
        .on("CheckDomain")
        .param("DomainName", "c.com")
        .times(2)
        .reply(domain_sdk_test_server::Reply::Json {
            status: 200,
            body: r#"{"RequestId": "R", "Avail": "-3"}"#.into(),
        });
    server
        .on("CheckDomain")
        .when(|p| p["NoSuchKey"].is_empty())
        .reply(domain_sdk_test_server::Reply::Example);
    server
        .on("QueryDomainList")
        .param("PageNum", "9")
        .reply(domain_sdk_test_server::Reply::Example);

    // Concurrent calls each get their own answer, whatever the order they arrive in.
    let calls: Vec<_> = ["b.com", "a.com", "c.com", "b.com"]
        .into_iter()
        .map(|name| {
            let client = client.clone();
            tokio::spawn(async move { client.check_domain().domain_name(name).send().await })
        })
        .collect();
    let mut codes = Vec::new();
    for call in calls {
        codes.push(match call.await.unwrap() {
            Ok(out) => out.avail.map(|a| a.as_str().to_owned()).unwrap_or_default(),
            Err(e) => e.code().unwrap_or("no answer").to_owned(),
        });
    }
    // a.com reaches the panicking predicate: its connection is cut, nothing else is.
    assert_eq!(codes, ["DomainExist", "no answer", "-3", "DomainExist"]);
    let c = client.check_domain().domain_name("c.com").send().await.unwrap();
    assert_eq!(c.avail.map(|a| a.as_str().to_owned()).as_deref(), Some("-3"));
    // The counted script is spent: the next c.com goes on to the panicking predicate too.
    assert!(client.check_domain().domain_name("c.com").send().await.is_err());
    // The server still answers, from the account.
    let list = client
        .query_domain_list()
        .page_num(1)
        .page_size(10)
        .send()
        .await
        .unwrap();
    assert_eq!(list.total_item_num, Some(0));
    assert_eq!(
        server.unused_scripts(),
        [
            "CheckDomain where (predicate): used 0 of 1",
            "QueryDomainList where PageNum=9: used 0 of 1"
        ]
    );
}

#[tokio::test]
async fn an_expired_domain_is_listed_for_redemption_and_redeemed() {
    let now = 1764720000000_i64;
    let day = 24 * 3600 * 1000;
    let fixture = format!(
        "now: {now}\ntask_timing: {{polls: 1}}\ndomains:\n  - {{name: late.com, expiration_date: {}}}\n  - {{name: soon.com, expiration_date: {}}}\n",
        now - 60 * day,
        now - day
    );
    let server =
        TestServer::start(ServerConfig::default().with_account(Account::from_fixture(&fixture).unwrap())).await;
    let client = client_without_retries(&server);
    let names = |out: domain_sdk::operation::query_domain_list::QueryDomainListOutput| -> Vec<String> {
        out.data.into_iter().flatten().filter_map(|d| d.domain_name).collect()
    };
    let urgent_renewal = client
        .query_domain_list()
        .page_num(1)
        .page_size(10)
        .query_type("1")
        .send()
        .await
        .unwrap();
    assert_eq!(names(urgent_renewal), ["soon.com"]);
    let redemption = client
        .query_domain_list()
        .page_num(1)
        .page_size(10)
        .query_type("2")
        .send()
        .await
        .unwrap();
    assert_eq!(names(redemption), ["late.com"]);

    // Past the grace period a renewal fails in its task; a redemption succeeds and gives a year from now.
    let late = server.account().domain("late.com").unwrap().expiration_date;
    let task = client
        .save_single_task_for_creating_order_renew()
        .domain_name("late.com")
        .current_expiration_date(late)
        .subscription_duration(1)
        .send()
        .await
        .unwrap();
    let report = wait(&client, task.task_no).await;
    assert!(format!("{report:?}").contains("must be redeemed"), "{report:?}");
    let task = client
        .save_single_task_for_creating_order_redeem()
        .domain_name("late.com")
        .current_expiration_date(late)
        .send()
        .await
        .unwrap();
    assert!(wait(&client, task.task_no).await.all_succeeded());
    let redeemed = client
        .query_domain_by_domain_name()
        .domain_name("late.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        redeemed.expiration_date_long,
        Some(now + domain_sdk_test_server::account::YEAR)
    );
    assert_eq!(redeemed.domain_status.as_deref(), Some("3"));
}

#[tokio::test]
async fn names_that_break_the_domain_name_rules_are_refused_and_nothing_is_registered() {
    let server = TestServer::start(ServerConfig::stateful()).await;
    let client = client_without_retries(&server);
    let profile_id = profile(&client).await;
    for (bad, rule) in [
        ("-front.com", "hyphen"),
        ("ab--cd.com", "hyphen"),
        ("nosuffix", "no suffix"),
        ("xn--fiq228c.com", "punycode"),
        ("under_score.com", "character"),
    ] {
        let err = client.check_domain().domain_name(bad).send().await.unwrap_err();
        assert_eq!(err.code(), Some("InvalidParameter"), "{bad}: {err}");
        let text = err.to_string();
        assert!(text.contains(bad) && text.contains(rule), "{bad}: {text}");
        let err = client
            .save_single_task_for_creating_order_activate()
            .domain_name(bad)
            .registrant_profile_id(profile_id)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("InvalidParameter"), "{bad}: {err}");
    }
    // A batch with one bad name is refused whole: no task, no domain.
    let err = client
        .save_batch_task_for_creating_order_activate()
        .order_activate_param(
            OrderActivateParam::new()
                .domain_name("fine.com")
                .registrant_profile_id(profile_id),
        )
        .order_activate_param(
            OrderActivateParam::new()
                .domain_name("bad-.com")
                .registrant_profile_id(profile_id),
        )
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("bad-.com"), "{err}");
    assert!(server.account().tasks.is_empty());
    assert!(server.account().domains.is_empty());

    // Chinese names and upper case are fine.
    for good in ["例子.中国", "Example-OK.com"] {
        let check = client.check_domain().domain_name(good).send().await.unwrap();
        assert_eq!(check.avail.as_ref().map(|a| a.as_str()), Some("1"), "{good}");
    }
}

#[tokio::test]
async fn contact_updates_change_the_registrant_lock_transfers_and_respect_the_update_lock() {
    let fixture = r#"
task_timing: {polls: 1}
profiles:
  - {id: 7, registrant_type: "2", registrant_name: New Owner, registrant_organization: New Co, email: new@example.com, country: CN, city: Hangzhou, real_name_status: SUCCEED}
domains:
  - {name: c.com, registrant_name: Old Owner, email: old@example.com}
  - {name: d.com, registrant_name: Old Owner, update_prohibition_lock: true}
"#;
    let account = Account::from_fixture(fixture).unwrap();
    let server = TestServer::start(ServerConfig::default().with_account(account)).await;
    let client = client_without_retries(&server);
    let detail = |name: &'static str| {
        let client = client.clone();
        async move {
            let d = client
                .query_domain_by_domain_name()
                .domain_name(name)
                .send()
                .await
                .unwrap();
            (
                d.registrant_name.unwrap_or_default(),
                d.email.unwrap_or_default(),
                d.transfer_prohibition_lock,
            )
        }
    };

    // An admin contact change succeeds and leaves the registrant alone.
    let task = client
        .save_single_task_for_updating_contact_info()
        .domain_name("c.com")
        .contact_type("admin")
        .registrant_profile_id(7)
        .send()
        .await
        .unwrap();
    assert!(wait(&client, task.task_no).await.all_succeeded());
    assert_eq!(detail("c.com").await.0, "Old Owner");

    // A holder change to profile 7, locking transfers.
    let task = client
        .save_single_task_for_updating_contact_info()
        .domain_name("c.com")
        .contact_type("registrant")
        .registrant_profile_id(7)
        .add_transfer_lock(true)
        .send()
        .await
        .unwrap();
    assert!(wait(&client, task.task_no.clone()).await.all_succeeded());
    let (name, email, lock) = detail("c.com").await;
    assert_eq!((name.as_str(), email.as_str()), ("New Owner", "new@example.com"));
    assert_eq!(lock.as_ref().map(|l| l.as_str()), Some("OPEN"));
    let contact = client
        .query_contact_info()
        .domain_name("c.com")
        .contact_type("registrant")
        .send()
        .await
        .unwrap();
    assert_eq!(contact.registrant_organization.as_deref(), Some("New Co"));
    assert_eq!(contact.city.as_deref(), Some("Hangzhou"));
    let tasks = client.query_task_list().page_num(1).page_size(10).send().await.unwrap();
    let types: Vec<String> = tasks
        .data
        .into_iter()
        .flatten()
        .filter_map(|t| t.task_type.map(|t| t.as_str().to_owned()))
        .collect();
    assert!(types.iter().any(|t| t == "CHG_HOLDER"), "{types:?}");
    assert!(types.iter().any(|t| t == "UPDATE_ADMIN_CONTACT"), "{types:?}");

    // New details given in full, for two domains: the one under the update lock fails, the other changes.
    let task = client
        .save_batch_task_for_updating_contact_info_by_new_contact()
        .contact_type("registrant")
        .registrant_type("1")
        .registrant_name("Third Owner")
        .email("third@example.com")
        .domain_name("c.com")
        .domain_name("d.com")
        .send()
        .await
        .unwrap();
    let report = wait(&client, task.task_no).await;
    let failed: Vec<_> = report.failed().map(|o| format!("{o:?}")).collect();
    assert_eq!(failed.len(), 1, "{report:?}");
    assert!(
        failed[0].contains("d.com") && failed[0].contains("locked against updates"),
        "{failed:?}"
    );
    assert_eq!(detail("c.com").await.0, "Third Owner");
    assert_eq!(detail("d.com").await.0, "Old Owner");
    assert_eq!(server.account().domain("c.com").unwrap().registrant_profile_id, None);

    // An unknown profile is refused up front; the resource group moves.
    let err = client
        .save_task_for_updating_registrant_info_by_registrant_profile_id()
        .domain_name("c.com")
        .registrant_profile_id(99)
        .transfer_out_prohibited(false)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("contactTemplateRealNamedNotExist"), "{err}");
    let instance = server.account().domain("c.com").unwrap().instance_id.clone();
    client
        .change_resource_group()
        .resource_id(instance)
        .new_resource_group_id("rg-test")
        .send()
        .await
        .unwrap();
    assert_eq!(server.account().domain("c.com").unwrap().resource_group_id, "rg-test");
}

#[tokio::test]
async fn transfers_in_are_listed_pending_then_done_and_can_be_canceled() {
    let fixture =
        "task_timing: {polls: 1}\ntaken: [moving.com, staying.com]\nprofiles: [{id: 5, email: me@example.com, real_name_status: SUCCEED}]\n";
    let account = Account::from_fixture(fixture).unwrap();
    let server = TestServer::start(ServerConfig::default().with_account(account)).await;
    let client = client_without_retries(&server);
    let mut tasks = Vec::new();
    for name in ["moving.com", "staying.com"] {
        let task = client
            .save_single_task_for_creating_order_transfer()
            .domain_name(name)
            .authorization_code("code")
            .registrant_profile_id(5)
            .send()
            .await
            .unwrap();
        tasks.push(task.task_no);
    }
    let list = |status: &'static str| {
        let client = client.clone();
        async move {
            let mut call = client.query_transfer_in_list().page_num(1).page_size(10);
            if !status.is_empty() {
                call = call.simple_transfer_in_status(status);
            }
            let out = call.send().await.unwrap();
            let items = out.data.into_iter().flatten();
            items
                .map(|i| {
                    let status = i.simple_transfer_in_status.map(|s| s.as_str().to_owned());
                    (
                        i.domain_name.unwrap_or_default(),
                        status.unwrap_or_default(),
                        i.instance_id.unwrap_or_default(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    // Both are pending, each with an instance id from the start.
    let pending = list("PENDING").await;
    assert_eq!(pending.len(), 2, "{pending:?}");
    assert!(pending.iter().all(|(_, _, id)| !id.is_empty()), "{pending:?}");
    let staying_id = pending.iter().find(|(n, ..)| n == "staying.com").unwrap().2.clone();

    // Canceling one fails it as the customer's cancellation; the other completes and keeps its instance id.
    let cancel = client
        .save_single_task_for_canceling_transfer_in()
        .domain_name("staying.com")
        .send()
        .await
        .unwrap();
    assert!(wait(&client, cancel.task_no).await.all_succeeded());
    let report = wait(&client, tasks[0].clone()).await;
    assert!(report.all_succeeded(), "{report:?}");
    let mut all = list("").await;
    all.sort();
    assert_eq!(all[0].0, "moving.com");
    assert_eq!(all[0].1, "SUCCESS");
    assert_eq!(all[1].1, "FAIL");
    let moved = server.account().domain("moving.com").unwrap().instance_id.clone();
    assert_eq!(moved, all[0].2, "the domain keeps the transfer's instance id");

    let staying = client
        .query_transfer_in_by_instance_id()
        .instance_id(staying_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        staying.result_code.as_ref().map(|c| c.as_str()),
        Some("clientCancelled")
    );
    assert!(server.account().domain("staying.com").is_none());
    let again = client
        .save_single_task_for_canceling_transfer_in()
        .domain_name("staying.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some("DomainTransferPendingNotExist"), "{again}");
    assert_eq!(list("PENDING").await, []);
}

#[tokio::test]
async fn the_domain_list_filters_by_auto_renewal_and_name_server() {
    let fixture = r#"
domains:
  - {name: renews.com, auto_renew: true, aliyun_dns: false, dns: [ns1.example.net, ns2.example.net]}
  - {name: lapses.com}
"#;
    let account = Account::from_fixture(fixture).unwrap();
    let server = TestServer::start(ServerConfig::default().with_account(account)).await;
    let client = client_without_retries(&server);
    let list = |auto: Option<bool>, dns: Option<&'static str>| {
        let client = client.clone();
        async move {
            let mut call = client.query_domain_list().page_num(1).page_size(10);
            if let Some(on) = auto {
                call = call.auto_renew_enabled(on);
            }
            if let Some(server) = dns {
                call = call.dns(server);
            }
            call.send().await.unwrap().data.unwrap_or_default()
        }
    };
    let names = |items: &[domain_sdk::operation::query_domain_list::Domain]| -> Vec<String> {
        items.iter().filter_map(|d| d.domain_name.clone()).collect()
    };
    assert_eq!(names(&list(Some(true), None).await), ["renews.com"]);
    assert_eq!(names(&list(Some(false), None).await), ["lapses.com"]);
    assert_eq!(names(&list(None, Some("NS2.example.net")).await), ["renews.com"]);
    let all = list(None, None).await;
    assert_eq!(all.len(), 2);
    let renews = all
        .iter()
        .find(|d| d.domain_name.as_deref() == Some("renews.com"))
        .unwrap();
    assert_eq!(renews.auto_renew_enabled, Some(true));
    assert_eq!(
        renews.dns_list.as_deref(),
        Some(&["ns1.example.net".to_owned(), "ns2.example.net".to_owned()][..])
    );
}

#[tokio::test]
async fn a_transfer_out_is_followed_step_by_step() {
    let fixture = "task_timing: {polls: 1}\ndomains:\n  - {name: out.com, email: owner@example.com}\n";
    let account = Account::from_fixture(fixture).unwrap();
    let server = TestServer::start(ServerConfig::default().with_account(account)).await;
    let client = client_without_retries(&server);
    let info = || {
        let client = client.clone();
        async move { client.query_transfer_out_info().domain_name("out.com").send().await }
    };
    let none = info().await.unwrap_err();
    assert_eq!(none.code(), Some("InvalidParameter"), "{none}");

    // Asking for the code: verifying, then obtained (with its date).
    let task = client
        .save_single_task_for_querying_transfer_authorization_code()
        .domain_name("out.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        info().await.unwrap().status.map(|s| s.as_str().to_owned()).as_deref(),
        Some("2")
    );
    assert!(wait(&client, task.task_no).await.all_succeeded());
    let obtained = info().await.unwrap();
    assert_eq!(obtained.status.map(|s| s.as_str().to_owned()).as_deref(), Some("3"));
    assert!(obtained
        .transfer_authorization_code_send_date
        .is_some_and(|d| !d.is_empty()));
    assert_eq!(obtained.email.as_deref(), Some("owner@example.com"));

    // The transfer itself: processing, then done, and the domain has left the account.
    let code = server
        .account()
        .domain("out.com")
        .unwrap()
        .transfer_out_code
        .clone()
        .unwrap();
    let task = client
        .save_single_task_for_transfer_out_by_authorization_code()
        .domain_name("out.com")
        .authorization_code(code)
        .send()
        .await
        .unwrap();
    let processing = info().await.unwrap();
    assert_eq!(processing.status.map(|s| s.as_str().to_owned()).as_deref(), Some("4"));
    assert!(processing.pending_request_date.is_some_and(|d| !d.is_empty()));
    assert!(wait(&client, task.task_no).await.all_succeeded());
    assert_eq!(
        info().await.unwrap().status.map(|s| s.as_str().to_owned()).as_deref(),
        Some("5")
    );
    assert!(server.account().domain("out.com").is_none());
}

#[tokio::test]
async fn domain_real_name_verification_audits_then_succeeds_or_fails_with_a_reason() {
    let fixture = r#"
task_timing: {polls: 1}
profiles: [{id: 3, real_name_status: AUDITING}]
domains: [{name: rn.com, real_name_status: NONAUDIT}]
"#;
    let account = Account::from_fixture(fixture).unwrap();
    let server = TestServer::start(ServerConfig::default().with_account(account)).await;
    let client = client_without_retries(&server);
    let status = || {
        let client = client.clone();
        async move {
            let d = client
                .query_domain_by_domain_name()
                .domain_name("rn.com")
                .send()
                .await
                .unwrap();
            d.real_name_status.map(|s| s.as_str().to_owned()).unwrap_or_default()
        }
    };
    let instance = server.account().domain("rn.com").unwrap().instance_id.clone();

    // With a profile still under audit: auditing at once, then failed, with the reason listed.
    let task = client
        .save_task_for_submitting_domain_real_name_verification_by_registrant_profile_id()
        .domain_name("rn.com")
        .instance_id(&instance)
        .registrant_profile_id(3)
        .send()
        .await
        .unwrap();
    assert_eq!(task.success, Some(true));
    assert_eq!(status().await, "AUDITING");
    let report = wait(&client, task.task_no).await;
    assert_eq!(report.failed().count(), 1, "{report:?}");
    assert_eq!(status().await, "FAILED");
    let reasons = client
        .query_fail_reason_for_domain_real_name_verification()
        .domain_name("rn.com")
        .real_name_verification_action("ACTIVATE")
        .send()
        .await
        .unwrap()
        .data
        .unwrap_or_default();
    assert_eq!(reasons.len(), 1);
    assert!(
        reasons[0]
            .fail_reason
            .as_deref()
            .is_some_and(|r| r.contains("AUDITING")),
        "{reasons:?}"
    );

    // With an identity credential: verified, and the credential is kept.
    let task = client
        .save_task_for_submitting_domain_real_name_verification_by_identity_credential()
        .domain_name("rn.com")
        .identity_credential_type("SFZ")
        .identity_credential_no("110101199001011234")
        .identity_credential(sample_credential_image())
        .send()
        .await
        .unwrap();
    assert!(wait(&client, task.task_no).await.all_succeeded());
    assert_eq!(status().await, "SUCCEED");
    let info = client
        .query_domain_real_name_verification_info()
        .domain_name("rn.com")
        .fetch_image(true)
        .send()
        .await
        .unwrap();
    assert_eq!(info.identity_credential_type.as_ref().map(|t| t.as_str()), Some("SFZ"));
    assert_eq!(info.identity_credential_no.as_deref(), Some("110101199001011234"));
    assert_eq!(info.identity_credential, Some(sample_credential_image()));

    let err = client
        .save_task_for_submitting_domain_real_name_verification_by_registrant_profile_id()
        .domain_name("rn.com")
        .instance_id(&instance)
        .registrant_profile_id(99)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ContactTemplateNotExist"), "{err}");
}

#[tokio::test]
async fn the_waiter_reports_an_unknown_task_as_not_found_as_the_fake_lists_nothing_for_it() {
    let server = TestServer::start(ServerConfig::stateful()).await;
    let client = client_without_retries(&server);
    // The fake answers an unknown task number with an empty list (no code documents anything else); the SDK's
    // waiter reads that as a task it cannot find, at its deadline, never as a success or an error.
    let config = WaiterConfig {
        initial_interval: Duration::from_millis(1),
        max_interval: Duration::from_millis(1),
        deadline: Duration::from_millis(20),
        ..WaiterConfig::default()
    };
    let report = client
        .wait_for_task_with("no-such-task", config)
        .await
        .expect("an unknown task is no error");
    assert_eq!(report.state, domain_sdk::TaskState::NotFound, "{report:?}");
    assert!(report.outcomes.is_empty() && !report.all_succeeded());
    let requests = server.requests();
    assert!(!requests.is_empty());
    assert!(requests
        .iter()
        .all(|request| request.action().as_deref() == Some("QueryTaskDetailList") && request.verdict.is_accepted()));
    let page = client
        .query_task_detail_list()
        .task_no("no-such-task")
        .page_num(1)
        .page_size(10)
        .send()
        .await
        .unwrap();
    assert_eq!(page.total_item_num, Some(0));
}

/// The real-name status `QueryRegistrantProfiles` lists for profile `id`.
async fn real_name_status(client: &Client, id: i64) -> String {
    let listed = client
        .query_registrant_profiles()
        .registrant_profile_id(id)
        .send()
        .await
        .unwrap();
    listed
        .registrant_profiles
        .iter()
        .flatten()
        .find_map(|profile| profile.real_name_status.as_ref().map(|s| s.as_str().to_owned()))
        .unwrap_or_default()
}

/// Every holder field `SaveRegistrantProfileRealNameVerification` needs for a new profile but `TelExt`.
fn holder(
    builder: SaveRegistrantProfileRealNameVerificationFluentBuilder,
) -> SaveRegistrantProfileRealNameVerificationFluentBuilder {
    builder
        .registrant_type("1")
        .registrant_name("han mei")
        .registrant_organization("han mei")
        .country("CN")
        .province("bei jing")
        .city("bei jing shi")
        .address("chao yang qu")
        .postal_code("100000")
        .email("han@example.com")
        .telephone("12345678")
}

/// The reasons `QueryFailReasonForRegistrantProfileRealNameVerification` gives for profile `id`, newest first.
async fn profile_fail_reasons(client: &Client, id: i64) -> Vec<String> {
    client
        .query_fail_reason_for_registrant_profile_real_name_verification()
        .registrant_profile_id(id)
        .send()
        .await
        .unwrap()
        .data
        .unwrap_or_default()
        .into_iter()
        .filter_map(|record| record.fail_reason)
        .collect()
}

#[tokio::test]
async fn profile_real_name_material_is_shown_audited_in_the_fakes_time_and_a_refusal_says_why() {
    let fixture = r#"
task_timing: {clock_ms: 60000}
profiles:
  - {id: 20, registrant_type: "2", registrant_organization: Shop Ltd}
  - {id: 21, registrant_name: plain}
"#;
    let server = TestServer::start(ServerConfig::default().with_account(Account::from_fixture(fixture).unwrap())).await;
    let client = client_without_retries(&server);
    let save = || {
        client
            .save_registrant_profile_real_name_verification()
            .identity_credential_no("110101199001011234")
            .identity_credential(sample_credential_image())
    };
    // A new profile needs every holder field (§4.9); then it is made and its material submitted at once. An
    // individual sending a business licence: the auditors will refuse it.
    let missing = holder(save().identity_credential_type("YYZZ"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Some("MissingParameter"), "{missing}");
    assert!(missing.to_string().contains("TelExt"), "{missing}");
    let id = holder(save().identity_credential_type("YYZZ"))
        .tel_ext("1234")
        .send()
        .await
        .unwrap()
        .registrant_profile_id
        .expect("the new profile's id");
    assert_eq!(real_name_status(&client, id).await, "AUDITING");
    let info = client
        .query_registrant_profile_real_name_verification_info()
        .registrant_profile_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(info.registrant_profile_id, Some(id));
    assert_eq!(info.identity_credential_type.as_ref().map(|t| t.as_str()), Some("YYZZ"));
    assert_eq!(info.identity_credential_no.as_deref(), Some("110101199001011234"));
    assert_eq!(info.identity_credential, None, "no image without FetchImage");
    let submitted = info.submission_date.expect("a submission date");
    assert_eq!(info.modification_date.as_ref(), Some(&submitted));

    // The fake's time passes: refused, and the reason says why.
    server.advance_clock(Duration::from_secs(60));
    assert_eq!(real_name_status(&client, id).await, "FAILED");
    let reasons = profile_fail_reasons(&client, id).await;
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0].contains("YYZZ") && reasons[0].contains("individual"),
        "{reasons:?}"
    );

    // Submitted again with an ID card (a refused profile takes new material): the first submission date stays,
    // the update is recorded, the image is returned as sent, and the audit passes.
    client
        .registrant_profile_real_name_verification()
        .registrant_profile_id(id)
        .identity_credential_type("SFZ")
        .identity_credential_no("110101199001011234")
        .identity_credential(sample_credential_image())
        .send()
        .await
        .unwrap();
    let info = client
        .query_registrant_profile_real_name_verification_info()
        .registrant_profile_id(id)
        .fetch_image(true)
        .send()
        .await
        .unwrap();
    assert_eq!(info.identity_credential_type.as_ref().map(|t| t.as_str()), Some("SFZ"));
    assert_eq!(info.submission_date.as_ref(), Some(&submitted));
    assert!(
        info.modification_date.as_ref().is_some_and(|date| *date > submitted),
        "{info:?}"
    );
    assert_eq!(info.identity_credential, Some(sample_credential_image()));
    assert_eq!(real_name_status(&client, id).await, "AUDITING");
    server.advance_clock(Duration::from_secs(60));
    assert_eq!(real_name_status(&client, id).await, "SUCCEED");
    assert_eq!(
        profile_fail_reasons(&client, id).await.len(),
        1,
        "the refusal stays listed"
    );
    // Verified, it registers a domain, and takes no more material.
    client
        .save_single_task_for_creating_order_activate()
        .domain_name("han-mei.com")
        .registrant_profile_id(id)
        .send()
        .await
        .expect("a verified profile registers");
    let again = save()
        .registrant_profile_id(id)
        .identity_credential_type("SFZ")
        .send()
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some("ContactTemplateAudited"), "{again}");

    // With a profile named, the holder fields are not taken.
    let mixed = save()
        .registrant_profile_id(21)
        .identity_credential_type("SFZ")
        .email("other@example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(mixed.code(), Some("InvalidParameter"), "{mixed}");
    assert!(mixed.to_string().contains("Email"), "{mixed}");
    let unknown = save()
        .registrant_profile_id(99)
        .identity_credential_type("SFZ")
        .send()
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some("ContactTemplateNotExist"), "{unknown}");

    // The 2016 API's contact template is the same profile: its credential goes through the same checks and the
    // same audit (an organization's number must be the 18-character unified social credit code).
    let template = |id: i64, image: String| {
        client
            .save_contact_template_credential()
            .contact_template_id(id)
            .credential_no("12345")
            .credential(image)
            .send()
    };
    use base64::Engine as _;
    let not_an_image = base64::engine::general_purpose::STANDARD.encode(b"hello");
    let err = template(20, not_an_image).await.unwrap_err();
    assert_eq!(err.code(), Some("FileFormatNotSupported"), "{err}");
    let err = template(98, sample_credential_image()).await.unwrap_err();
    assert_eq!(err.code(), Some("ContactTemplateNotExist"), "{err}");
    template(20, sample_credential_image()).await.unwrap();
    let err = template(20, sample_credential_image()).await.unwrap_err();
    assert_eq!(err.code(), Some("ContactTemplateAudited"), "{err}");
    let info = client
        .query_registrant_profile_real_name_verification_info()
        .registrant_profile_id(20)
        .send()
        .await
        .unwrap();
    assert_eq!(info.identity_credential_no.as_deref(), Some("12345"));
    assert_eq!(info.identity_credential_type, None, "the 2016 action sends no type");
    server.complete_tasks();
    assert_eq!(real_name_status(&client, 20).await, "FAILED");
    assert!(profile_fail_reasons(&client, 20).await[0].contains("18 characters"));

    // A profile with no material shows only its id; an unknown one is refused.
    let bare = client
        .query_registrant_profile_real_name_verification_info()
        .registrant_profile_id(21)
        .send()
        .await
        .unwrap();
    assert_eq!((bare.registrant_profile_id, bare.submission_date), (Some(21), None));
    assert!(profile_fail_reasons(&client, 21).await.is_empty());
    let err = client
        .query_fail_reason_for_registrant_profile_real_name_verification()
        .registrant_profile_id(97)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ContactTemplateNotExist"), "{err}");
}

#[tokio::test]
async fn an_ens_address_is_recorded_at_once_set_by_its_task_and_removed() {
    let fixture = "domains: [{name: test.luxe}, {name: locked.luxe, update_prohibition_lock: true}]";
    let server = TestServer::start(ServerConfig::default().with_account(Account::from_fixture(fixture).unwrap())).await;
    let client = client_without_retries(&server);
    let wallet = "0x1234567890123456789012345678901234567890";
    let addresses = |name: &'static str| {
        let client = client.clone();
        async move {
            let ens = client.query_ens_association().domain_name(name).send().await.unwrap();
            let local = client
                .query_local_ens_association()
                .domain_name(name)
                .send()
                .await
                .unwrap();
            (ens.address, local.address)
        }
    };
    assert_eq!(addresses("test.luxe").await, (None, None));

    // Refused up front: an address that is no wallet address, a domain the account does not have.
    let err = client
        .save_single_task_for_associating_ens()
        .domain_name("test.luxe")
        .address("vitalik.eth")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameter"), "{err}");
    let err = client
        .save_single_task_for_associating_ens()
        .domain_name("nosuch.luxe")
        .address(wallet)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("DomainNotExist"), "{err}");
    let err = client
        .query_ens_association()
        .domain_name("nosuch.luxe")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("DomainNotExist"), "{err}");

    // Associated: Alibaba Cloud records it at once, the ENS system holds it once the task succeeded.
    let task = client
        .save_single_task_for_associating_ens()
        .domain_name("test.luxe")
        .address(wallet)
        .send()
        .await
        .unwrap();
    assert_eq!(addresses("test.luxe").await, (None, Some(wallet.to_owned())));
    let busy = client
        .save_single_task_for_disassociating_ens()
        .domain_name("test.luxe")
        .send()
        .await
        .unwrap_err();
    assert_eq!(busy.code(), Some("TaskIsBeingProcessed"), "{busy}");
    assert!(wait(&client, task.task_no).await.all_succeeded());
    assert_eq!(
        addresses("test.luxe").await,
        (Some(wallet.to_owned()), Some(wallet.to_owned()))
    );

    // Disassociated: the record goes at once, the ENS system's address when the task succeeds.
    let task = client
        .save_single_task_for_disassociating_ens()
        .domain_name("test.luxe")
        .send()
        .await
        .unwrap();
    assert_eq!(addresses("test.luxe").await, (Some(wallet.to_owned()), None));
    assert!(wait(&client, task.task_no).await.all_succeeded());
    assert_eq!(addresses("test.luxe").await, (None, None));
    // Nothing left to remove: the task fails, saying why.
    let task = client
        .save_single_task_for_disassociating_ens()
        .domain_name("test.luxe")
        .send()
        .await
        .unwrap();
    let report = wait(&client, task.task_no).await;
    assert_eq!(report.failed().count(), 1, "{report:?}");

    // The update lock fails the association; the record keeps what was asked for.
    let task = client
        .save_single_task_for_associating_ens()
        .domain_name("locked.luxe")
        .address(wallet)
        .send()
        .await
        .unwrap();
    let report = wait(&client, task.task_no).await;
    assert!(
        report.failed().any(
            |outcome| matches!(outcome, domain_sdk::TaskOutcome::Failed { reason: Some(r), .. } if r.contains("locked"))
        ),
        "{report:?}"
    );
    assert_eq!(addresses("locked.luxe").await, (None, Some(wallet.to_owned())));
}

#[tokio::test]
async fn a_qualification_review_is_decided_in_the_fakes_time_canceled_reset_and_its_failures_listed() {
    use domain_sdk::types::AuditStatus;
    use domain_sdk_test_server::account::QualificationCredential;

    let fixture = r#"
task_timing: {polls: 2}
domains:
  - name: shop.商标
    qualification:
      status: auditing
      credentials: [{credential_type: SHSQB, credential_no: "92610725MA7G2E0001", credential_url: 20251203/a/sqb.jpg}]
      refusal: The trademark certificate is not legible.
  - {name: food.餐厅}
  - {name: plain.com}
"#;
    let server = TestServer::start(ServerConfig::default().with_account(Account::from_fixture(fixture).unwrap())).await;
    let client = client_without_retries(&server);
    let instance = |name: &str| server.account().domain(name).unwrap().instance_id.clone();
    let (shop, food, plain) = (instance("shop.商标"), instance("food.餐厅"), instance("plain.com"));
    let detail = |id: String| {
        let client = client.clone();
        async move {
            client
                .query_qualification_detail()
                .instance_id(id)
                .qualification_type("knet")
                .send()
                .await
        }
    };
    let failures = |id: String, limit: i32| {
        let client = client.clone();
        async move {
            client
                .query_failing_reason_list_for_qualification()
                .instance_id(id)
                .qualification_type("knet")
                .limit(limit)
                .send()
                .await
        }
    };
    let cancel = |id: String| {
        let client = client.clone();
        async move {
            client
                .cancel_qualification_verification()
                .instance_id(id)
                .qualification_type("knet")
                .send()
                .await
        }
    };
    let reset = |id: String| {
        let client = client.clone();
        async move { client.reset_qualification_verification().instance_id(id).send().await }
    };

    // The seeded review is under way on the first read, refused on the second (polls: 2), with its reason.
    let first = detail(shop.clone()).await.unwrap();
    assert_eq!(first.audit_status, Some(AuditStatus::Auditing1));
    let credentials = first.credentials.unwrap_or_default();
    assert_eq!(credentials.len(), 1);
    assert_eq!(credentials[0].credential_type.as_deref(), Some("SHSQB"));
    assert_eq!(credentials[0].credential_url.as_deref(), Some("20251203/a/sqb.jpg"));
    assert_eq!(
        detail(shop.clone()).await.unwrap().audit_status,
        Some(AuditStatus::Failed)
    );
    let reasons = failures(shop.clone(), 10).await.unwrap().data.unwrap_or_default();
    assert_eq!(reasons.len(), 1);
    assert_eq!(
        reasons[0].fail_reason.as_deref(),
        Some("The trademark certificate is not legible.")
    );
    assert!(reasons[0].date.is_some());

    // Refused: nothing to cancel; reset, it waits for material again, its failures kept.
    let err = cancel(shop.clone()).await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameter"), "{err}");
    reset(shop.clone()).await.unwrap();
    let pending = detail(shop.clone()).await.unwrap();
    assert_eq!(pending.audit_status, Some(AuditStatus::PendingInformation));
    assert!(pending.credentials.unwrap_or_default().is_empty());

    // New material, uploaded under a policy's directory and submitted (outside the API), then canceled.
    let policy = client.get_qualification_upload_policy().send().await.unwrap();
    let dir = policy.dir.expect("a directory");
    let file = policy.prefix.expect("a key prefix").replace("${filename}", "sqb.jpg");
    assert!(file.starts_with(&dir));
    let submit = |file: &str| {
        let credentials = vec![QualificationCredential {
            credential_type: "SHSQB".into(),
            credential_no: "92610725MA7G2E0001".into(),
            credential_url: file.to_owned(),
        }];
        server.with_account(|account| account.submit_qualification("shop.商标", credentials))
    };
    let track = submit(&file).expect("material is taken");
    let under_way = detail(shop.clone()).await.unwrap();
    assert_eq!(under_way.audit_status, Some(AuditStatus::Auditing1));
    assert_eq!(under_way.track_id.as_deref(), Some(track.as_str()));
    assert!(submit(&file).is_err(), "no new material while under review");
    let err = reset(shop.clone()).await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameter"), "{err}");
    cancel(shop.clone()).await.unwrap();
    assert_eq!(
        detail(shop.clone()).await.unwrap().audit_status,
        Some(AuditStatus::Cancelled)
    );

    // Reset and submitted again: passed on the second read; a passed review is neither reset nor canceled.
    reset(shop.clone()).await.unwrap();
    submit(&file).unwrap();
    detail(shop.clone()).await.unwrap();
    assert_eq!(
        detail(shop.clone()).await.unwrap().audit_status,
        Some(AuditStatus::Succeeded)
    );
    assert_eq!(reset(shop.clone()).await.unwrap_err().code(), Some("InvalidParameter"));
    assert_eq!(cancel(shop.clone()).await.unwrap_err().code(), Some("InvalidParameter"));
    let reasons = failures(shop.clone(), 10).await.unwrap().data.unwrap_or_default();
    assert_eq!(reasons.len(), 1, "only the refused review is a failure");

    // A .餐厅 domain with no material waits for it; a .com domain has no review; an unknown instance none at all.
    let food_detail = detail(food).await.unwrap();
    assert_eq!(food_detail.audit_status, Some(AuditStatus::PendingInformation));
    assert_eq!(
        detail(plain.clone()).await.unwrap_err().code(),
        Some("InvalidParameter")
    );
    assert_eq!(failures(plain, 10).await.unwrap_err().code(), Some("InvalidParameter"));
    assert_eq!(
        detail("S000NOSUCH".into()).await.unwrap_err().code(),
        Some("DomainNotExist")
    );
    assert_eq!(failures(shop, 0).await.unwrap_err().code(), Some("InvalidParameter"));
}

#[tokio::test]
async fn an_upload_policy_is_new_each_time_and_expires_five_minutes_after_the_fakes_clock() {
    use base64::Engine as _;

    let server = TestServer::start(ServerConfig::stateful()).await;
    let client = client_without_retries(&server);
    let now = server.account().now;
    let first = client.get_qualification_upload_policy().send().await.unwrap();
    let second = client.get_qualification_upload_policy().send().await.unwrap();
    assert_ne!(first.dir, second.dir);
    assert_eq!(first.expire, Some((now + 300_000).to_string()));
    let dir = first.dir.unwrap();
    assert_eq!(first.prefix, Some(format!("{dir}_${{filename}}")));
    let document = base64::engine::general_purpose::STANDARD
        .decode(first.policy.unwrap())
        .unwrap();
    let document: serde_json::Value = serde_json::from_slice(&document).unwrap();
    assert_eq!(
        document["conditions"][1],
        serde_json::json!(["starts-with", "$key", dir])
    );
    assert!(document["expiration"].as_str().is_some_and(|at| at.ends_with('Z')));
    assert!(first.signature.is_some_and(|s| !s.is_empty()) && first.host.is_some());
}
