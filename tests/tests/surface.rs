//! The generated surface has no traps: no type shadows the prelude, true/false value sets are `bool`s, a
//! paginated action needs no page number, and an input can be built without a client.

use domain_sdk::operation::change_resource_group::ChangeResourceGroupOutput;
use domain_sdk::operation::check_domain_sunrise_claim::SunriseClaimPhase;
use domain_sdk::operation::query_domain_list::QueryDomainListInput;
use e2e::{client_for, start_server, Verdict};

#[tokio::test]
async fn a_paginated_action_sends_the_first_page_when_none_is_set() {
    let server = start_server().await;
    let out = client_for(&server)
        .query_domain_list()
        .page_size(10)
        .send()
        .await
        .expect("PageNum defaults to 1");
    assert!(out.data.is_some());
    let request = &server.requests()[0];
    assert_eq!(request.verdict, Verdict::Accepted);
    let sent = |name: &str| request.body.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    assert_eq!((sent("PageNum"), sent("PageSize")), (Some("1"), Some("10")));

    // A page set by the caller is sent as set.
    client_for(&server)
        .query_domain_list()
        .page_num(3)
        .page_size(10)
        .send()
        .await
        .expect("answered");
    let request = &server.requests()[1];
    assert!(request.body.contains(&("PageNum".to_owned(), "3".to_owned())));
}

#[tokio::test]
async fn an_input_built_without_a_client_equals_the_fluent_one() {
    let server = start_server().await;
    let input = QueryDomainListInput::builder()
        .page_size(10)
        .domain_name("example.com")
        .build();
    let fluent = client_for(&server)
        .query_domain_list()
        .page_size(10)
        .domain_name("example.com");
    assert_eq!(&input, fluent.as_input());
    assert_eq!(input.page_size, Some(10));
    assert_eq!(
        input.page_num, None,
        "the default page is applied on the wire, not in the input"
    );
}

#[tokio::test]
async fn true_false_value_sets_are_booleans_and_enums_avoid_prelude_names() {
    let server = start_server().await;
    let client = client_for(&server);
    // The reference example of ChangeResourceGroup answers "Result": "true".
    let out: ChangeResourceGroupOutput = client
        .change_resource_group()
        .resource_id("example.com")
        .new_resource_group_id("rg-1")
        .send()
        .await
        .expect("answered");
    assert_eq!(out.result, Some(true));
    // CheckDomain's Premium ("true"/"false" on the wire).
    let check = client
        .check_domain()
        .domain_name("a.com")
        .send()
        .await
        .expect("answered");
    let _: Option<bool> = check.premium;
    // CheckDomainSunriseClaim's 0/1/2 answer: the example says 2.
    let claim = client
        .check_domain_sunrise_claim()
        .domain_name("a.com")
        .send()
        .await
        .expect("answered");
    assert_eq!(claim.result, Some(SunriseClaimPhase::Claim));
}
