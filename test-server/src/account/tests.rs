//! The account's own rules: fixtures are filled and checked, details move through their states by reads or by
//! the clock, failure rules and audits decide outcomes.

use super::*;

#[test]
fn glob_matches_runs() {
    assert!(glob("*.xin", "a.xin"));
    assert!(glob("blocked-*", "BLOCKED-1.com"));
    assert!(glob("a*b*c", "aXXbYYc"));
    assert!(!glob("a*b*c", "aXXcYYb"));
    assert!(glob("a.com", "A.com"));
    assert!(!glob("a.com", "b.com"));
    assert!(!glob("ab*ba", "aba"));
}

#[test]
fn a_fixture_is_filled_and_checked() {
    let account = Account::from_fixture("now: 1700000000000\ndomains:\n  - name: Example.com\n").unwrap();
    assert_eq!(account.domains[0].name, "example.com");
    assert!(account.domains[0].instance_id.starts_with("S20231114"));
    assert_eq!(
        account.domains[0].expiration_date - account.domains[0].registration_date,
        YEAR
    );
    let twice = Account::from_fixture(r#"{"domains": [{"name": "a.com"}, {"name": "A.com"}]}"#).unwrap_err();
    assert!(twice.0.contains("a.com is listed twice"), "{twice}");
    let typo = Account::from_fixture("domians: []").unwrap_err();
    assert!(typo.0.contains("domians"), "{typo}");
    let group = Account::from_fixture("domains: [{name: a.com, group_id: g1}]").unwrap_err();
    assert!(group.0.contains("group g1"), "{group}");
}

#[test]
fn polls_move_a_detail_through_its_states() {
    let mut account = Account::from_fixture("domains: [{name: a.com}]").unwrap();
    let before = account.domain("a.com").unwrap().expiration_date;
    let task_no = account.create_task(
        "SaveSingleTaskForCreatingOrderRenew",
        "ORDER_RENEW",
        "",
        vec![NewDetail {
            domain: "a.com".into(),
            instance_id: String::new(),
            effect: Effect::Renew { years: 2 },
        }],
    );
    assert_eq!(account.tasks[0].task_no, task_no);
    let mut seen = Vec::new();
    for _ in 0..4 {
        account.observe(0, 0);
        seen.push(account.tasks[0].details[0].status.code());
    }
    assert_eq!(seen, [0, 1, 2, 2]);
    assert_eq!(account.domain("a.com").unwrap().expiration_date, before + 2 * YEAR);
}

#[test]
fn failure_rules_and_the_clock() {
    let mut account =
        Account::from_fixture("task_timing: {clock_ms: 60000}\nfailure_rules: [{domain: '*.xin', reason: no}]\n")
            .unwrap();
    let add = |name: &str| NewDetail {
        domain: name.to_owned(),
        instance_id: String::new(),
        effect: Effect::Add {
            domain: Box::new(Domain {
                name: name.into(),
                ..Domain::default()
            }),
            years: 1,
            transfer_in: false,
        },
    };
    account.create_task(
        "SaveBatchTaskForCreatingOrderActivate",
        "ORDER_ACTIVATE",
        "",
        vec![add("a.com"), add("b.xin")],
    );
    account.settle();
    assert_eq!(account.tasks[0].progress().name(), "WAITING_EXECUTE");
    account.now += 1000;
    account.settle();
    assert_eq!(account.tasks[0].progress().name(), "EXECUTING");
    account.now += 60_000;
    account.settle();
    assert_eq!(account.tasks[0].progress().name(), "COMPLETE");
    assert_eq!(account.tasks[0].details[0].status, DetailStatus::Succeeded);
    assert!(matches!(&account.tasks[0].details[1].status, DetailStatus::Failed { reason, .. } if reason == "no"));
    assert_eq!(account.domains.len(), 1);
    assert_eq!(account.tasks[0].details[0].instance_id, account.domains[0].instance_id);
}

#[test]
fn a_real_name_audit_is_decided_on_its_nth_listing_or_by_the_clock() {
    let fixture = "task_timing: {polls: 2}\nprofiles: [{id: 1, real_name_status: AUDITING}]\n";
    let mut account = Account::from_fixture(fixture).unwrap();
    account.observe_profile(0);
    assert_eq!(account.profiles[0].real_name_status, "AUDITING");
    account.observe_profile(0);
    assert_eq!(account.profiles[0].real_name_status, "SUCCEED");
    assert_eq!(
        account.profiles[0].real_name_reads, 0,
        "the count is cleared with the audit"
    );

    let fixture = "task_timing: {clock_ms: 1000}\nprofiles: [{id: 1, real_name_status: AUDITING, real_name_submitted: 5000}]\nnow: 5000\n";
    let mut account = Account::from_fixture(fixture).unwrap();
    account.now += 999;
    account.settle();
    assert_eq!(account.profiles[0].real_name_status, "AUDITING");
    account.now += 1;
    account.settle();
    assert_eq!(account.profiles[0].real_name_status, "SUCCEED");
}

#[test]
fn a_verified_profile_is_what_registration_needs() {
    let fixture = "profiles: [{id: 1, real_name_status: SUCCEED}, {id: 2, real_name_status: AUDITING}]\n";
    let account = Account::from_fixture(fixture).unwrap();
    assert_eq!(account.verified_profile(1).unwrap().id, 1);
    for id in [2, 3] {
        assert_eq!(
            account.verified_profile(id).unwrap_err().code(),
            "contactTemplateRealNamedNotExist"
        );
    }
    assert_eq!(
        account.existing_profile(3).unwrap_err().code(),
        "ContactTemplateNotExist"
    );
    assert_eq!(account.existing_domain("a.com").unwrap_err().code(), "DomainNotExist");
}

#[test]
fn a_snapshot_reads_back_as_the_same_account() {
    let fixture = "task_timing: {polls: 1}\ndomains: [{name: a.com, dns_hosts: [{name: ns1, ips: [192.0.2.1]}]}]\nprofiles: [{id: 4}]\n";
    let mut account = Account::from_fixture(fixture).unwrap();
    account.create_task(
        "SaveSingleTaskForTransferProhibitionLock",
        "SET_TRANSFER_PROHIBITED",
        "",
        vec![NewDetail {
            domain: "a.com".into(),
            instance_id: account.domains[0].instance_id.clone(),
            effect: Effect::TransferLock { on: true },
        }],
    );
    let text = account.to_fixture().unwrap();
    assert_eq!(Account::from_fixture(&text).unwrap(), account);
    let json = serde_json::to_string(&account).unwrap();
    assert_eq!(Account::from_fixture(&json).unwrap(), account);
}

#[test]
fn the_auditors_refuse_a_credential_of_the_other_kind_of_holder_and_a_short_organization_number() {
    let material = |kind: &str, number: &str| RealNameVerification {
        credential_type: kind.into(),
        credential_no: number.into(),
        ..RealNameVerification::default()
    };
    let individual = Profile::default();
    let organization = Profile {
        registrant_type: "2".into(),
        ..Profile::default()
    };
    let code18 = "91350100M000100Y43";
    assert_eq!(reviews::auditors_refusal(&individual, &material("SFZ", "1")), None);
    assert_eq!(
        reviews::auditors_refusal(&organization, &material("YYZZ", code18)),
        None
    );
    let mismatch = reviews::auditors_refusal(&individual, &material("YYZZ", code18)).unwrap();
    assert!(
        mismatch.contains("organization's") && mismatch.contains("an individual"),
        "{mismatch}"
    );
    assert!(reviews::auditors_refusal(&organization, &material("HZ", "E1")).is_some());
    assert!(reviews::auditors_refusal(&organization, &material("XYDM", "123")).is_some());
    // With no type (the 2016 action), the registrant's kind decides which rule applies.
    assert!(reviews::auditors_refusal(&organization, &material("", "123")).is_some());
    assert_eq!(reviews::auditors_refusal(&individual, &material("", "123")), None);
}

#[test]
fn a_qualification_review_is_decided_by_reads_or_by_the_clock_and_a_refusal_is_kept() {
    let fixture = "task_timing: {polls: 2}\ndomains: [{name: a.商标, qualification: {status: auditing, refusal: blurred}}, {name: b.com}]\n";
    let mut account = Account::from_fixture(fixture).unwrap();
    assert!(account.domains[0].needs_qualification() && !account.domains[1].needs_qualification());
    account.observe_qualification(0);
    let review = account.domains[0].qualification.clone().unwrap();
    assert_eq!((review.status, review.reads), (QualificationStatus::Auditing, 1));
    account.observe_qualification(0);
    let review = account.domains[0].qualification.clone().unwrap();
    assert_eq!(review.status.code(), 5);
    assert_eq!(review.failures.len(), 1);
    assert_eq!(review.failures[0].reason, "blurred");
    let text = account.to_fixture().unwrap();
    assert_eq!(
        Account::from_fixture(&text).unwrap(),
        account,
        "a review is part of the snapshot"
    );

    // Submitted material is reviewed again (passed, as nothing refuses it), in the clock's time.
    account.task_timing = TaskTiming::Clock(1000);
    let document = QualificationCredential {
        credential_type: "SHSQB".into(),
        credential_no: "1".into(),
        credential_url: "d/f.jpg".into(),
    };
    assert!(
        account.submit_qualification("a.商标", Vec::new()).is_err(),
        "no material"
    );
    let track = account.submit_qualification("a.商标", vec![document.clone()]).unwrap();
    assert_eq!(account.domains[0].qualification.as_ref().unwrap().track_id, track);
    account.now += 999;
    account.settle();
    assert_eq!(account.domains[0].qualification.as_ref().unwrap().status.code(), 1);
    account.now += 1;
    account.settle();
    assert_eq!(account.domains[0].qualification.as_ref().unwrap().status.code(), 6);
    let no_review = account.submit_qualification("b.com", vec![document]).unwrap_err();
    assert_eq!(no_review.code(), "InvalidParameter");
}
