//! Client-wide defaults for the parameters `api-spec/client_defaults.yaml` lists: set once, sent by every action
//! that takes them, overridable per call, and signed like any parameter.

use e2e::{builder_for, spec, start_server, Verdict};

#[tokio::test]
async fn defaults_apply_to_actions_that_take_them_and_yield_to_the_call() {
    let server = start_server().await;
    let client = builder_for(&server)
        .default_lang("zh")
        .default_user_client_ip("203.0.113.7")
        .build()
        .unwrap();

    client
        .query_domain_list()
        .page_num(1)
        .page_size(1)
        .send()
        .await
        .unwrap();
    client
        .query_domain_list()
        .page_num(1)
        .page_size(1)
        .lang("en")
        .send()
        .await
        .unwrap();
    // CheckDomain takes Lang but no UserClientIp (§5.2); SetDefaultRegistrantProfile the reverse (§4.7).
    client.check_domain().domain_name("a.com").send().await.unwrap();
    client
        .set_default_registrant_profile()
        .registrant_profile_id(1)
        .send()
        .await
        .unwrap();

    let r = server.requests();
    assert!(r.iter().all(|r| r.verdict == Verdict::Accepted), "defaults are signed");
    let sent = |i: usize| (r[i].param("Lang"), r[i].param("UserClientIp"));
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(sent(0), (some("zh"), some("203.0.113.7")));
    assert_eq!(sent(1), (some("en"), some("203.0.113.7")), "the call's own value wins");
    assert_eq!(
        r[1].query.iter().chain(&r[1].body).filter(|(k, _)| k == "Lang").count(),
        1,
        "sent once"
    );
    assert_eq!(sent(2), (some("zh"), None));
    assert_eq!(sent(3), (None, some("203.0.113.7")));

    let takes = |action: &str, param: &str| {
        spec()
            .actions
            .iter()
            .find(|a| a.name == action)
            .unwrap()
            .request
            .iter()
            .any(|p| p.wire_name == param)
    };
    assert!(!takes("CheckDomain", "UserClientIp") && !takes("SetDefaultRegistrantProfile", "Lang"));
}
