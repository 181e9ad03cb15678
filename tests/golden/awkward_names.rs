//! The awkward-names fixture's generated code, used as a user would: copied into a scratch SDK crate by
//! `tests/golden_fixtures.rs` in place of the SDK's own generated code, and run there.

use domain_sdk::__private::BuildRequest;
use domain_sdk::operation::fixture_awkward_names::{
    FixtureAwkwardNamesInput, FixtureAwkwardNamesOutput, Mode, OptionValue, Ref, ResultValue,
};

fn client() -> domain_sdk::Client {
    domain_sdk::Client::builder()
        .endpoint("http://127.0.0.1:9")
        .credentials(domain_sdk::Credentials::new("id", "secret"))
        .build()
        .expect("client")
}

#[test]
fn awkward_names_reach_the_wire_unchanged() {
    let builder = client()
        .fixture_awkward_names()
        .r#type("a")
        .self_(3)
        .send_value("x")
        .build_tag("b")
        .flag(true)
        .r#ref(Ref::new().r#type("t1"))
        .r#ref(Ref::new().r#type("t2").option(9))
        .r#box(7)
        .r#box(8)
        .mode(Mode::from("a b"));
    let request = builder.as_input().build_request().expect("complete");
    let wire: Vec<String> = request.params().iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(
        wire,
        ["type=a", "self=3", "Send=x", "Build=b", "Flag=true", "Ref.1.type=t1", "Ref.2.type=t2", "Ref.2.Option=9", "Box.1=7", "Box.2=8", "Mode=a b"]
    );
    assert_eq!(request.method(), domain_sdk::HttpMethod::Post);

    // The same input, built with no client.
    let detached = FixtureAwkwardNamesInput::builder()
        .r#type("a")
        .self_(3)
        .send_value("x")
        .build_tag("b")
        .flag(true)
        .r#ref(Ref::new().r#type("t1"))
        .r#ref(Ref::new().r#type("t2").option(9))
        .r#box(7)
        .r#box(8)
        .mode(Mode::from("a b"))
        .build();
    assert_eq!(&detached, builder.as_input());

    let missing = builder.set_ref(Some(vec![Ref::new().option(1)]));
    let err = missing.as_input().build_request().unwrap_err();
    assert!(err.to_string().contains("Ref.1.type"), "{err}");
}

#[test]
fn awkward_names_decode() {
    let out: FixtureAwkwardNamesOutput = serde_json::from_str(
        r#"{"3rdParty": "x", "self": "1", "Result": {"type": "t", "Vec": {"String": ["a", "b"]}}, "Option": "y"}"#,
    )
    .unwrap();
    assert_eq!(out.n3rd_party.as_deref(), Some("x"));
    assert_eq!(out.self_, Some(1));
    // Prelude names are renamed: `Result` and `Option` would shadow the prelude after a glob import.
    let result: ResultValue = out.result.expect("Result");
    assert_eq!(out.option, Some(OptionValue::Y));
    assert_eq!(result.vec, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(Mode::from("-1"), Mode::Minus1);
    assert_eq!(Mode::Minus1.as_str(), "-1");
}

#[test]
fn a_structure_of_the_same_name_in_another_action_is_its_own_type() {
    use domain_sdk::operation::fixture_same_struct_name::FixtureSameStructNameOutput;
    let out: FixtureSameStructNameOutput = serde_json::from_str(r#"{"Addr": {"Lines": ["a"], "Code": 1}}"#).unwrap();
    let addr = out.addr.expect("Addr");
    assert_eq!(addr.lines, Some(vec!["a".to_owned()]));
}

#[test]
fn regions_come_from_the_fixtures_endpoints() {
    assert_eq!(domain_sdk::DEFAULT_ENDPOINT, "https://home.fixture.example");
    assert_eq!(domain_sdk::DEFAULT_REGION, "fx-home");
    let away = domain_sdk::Region::find("fx-away").expect("listed");
    assert_eq!(away.endpoint(), "https://away.fixture.example");
    // This crate has no TLS feature, so building names the HTTPS endpoint the region resolved to.
    let chosen = |region: &str| {
        domain_sdk::Client::builder()
            .region(region)
            .credentials(domain_sdk::Credentials::new("id", "secret"))
            .build()
            .unwrap_err()
            .to_string()
    };
    assert!(chosen("fx-away").contains("\"https://away.fixture.example\""), "{}", chosen("fx-away"));
    // A region without an endpoint of its own goes to the central host: the default region's.
    assert!(chosen("cn-hangzhou").contains("\"https://home.fixture.example\""));
}

#[test]
#[allow(deprecated)]
fn deprecated_actions_and_parameters_still_work() {
    let builder = client().fixture_same_struct_name().image("x").old_flag(2);
    let request = builder.as_input().build_request().expect("complete");
    let wire: Vec<String> = request.params().iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(wire, ["Image=x", "OldFlag=2"]);
}
