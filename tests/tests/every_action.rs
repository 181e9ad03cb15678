//! Data-driven tests over every action of the spec: each reference example decodes, and each action
//! round-trips through the generated SDK and the loopback server with every parameter set.

use std::collections::BTreeMap;

use codegen::spec::{Action, ParamShape, ScalarType};
use domain_sdk::SignatureVersion;
use e2e::{builder_for, compare, spec, start_server, Verdict, CASES};

fn case_for(action: &Action) -> &'static e2e::Case {
    CASES
        .iter()
        .find(|c| c.action == action.name)
        .unwrap_or_else(|| panic!("{}: no generated case; run `cargo xtask codegen`", action.name))
}

#[test]
fn every_reference_example_decodes() {
    let mut failures = Vec::new();
    for action in &spec().actions {
        let case = case_for(action);
        let example: serde_json::Value = serde_json::from_str(&action.example_response).expect("validated JSON");
        match (case.decode)(&action.example_response) {
            Err(e) => failures.push(format!("{} ({}): does not decode: {e}", action.name, action.file)),
            Ok(decoded) => {
                for d in compare::differences(&example, &decoded) {
                    failures.push(format!("{} ({}): {d}", action.name, action.file));
                }
            }
        }
    }
    assert_eq!(CASES.len(), spec().actions.len(), "one generated case per action");
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The value the server must see for a parameter's `k`-th item, as the service would normalize it.
fn normalized(ty: ScalarType, value: String) -> String {
    match ty {
        ScalarType::Integer | ScalarType::Long => value.parse::<i64>().map_or(value, |n| n.to_string()),
        ScalarType::Float => value.parse::<f64>().map_or(value, |n| n.to_string()),
        ScalarType::String | ScalarType::Boolean => value,
    }
}

/// The exact action parameters the spec says a request with every parameter set carries.
fn expected_wire(action: &Action) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for p in &action.request {
        match &p.shape {
            ParamShape::Scalar => {
                out.insert(p.wire_name.clone(), normalized(p.ty, p.sample_item(1)));
            }
            ParamShape::List => {
                let base = p.wire_name.trim_end_matches(".N");
                for k in 1..=codegen::model::LIST_ITEMS {
                    out.insert(format!("{base}.{k}"), normalized(p.ty, p.sample_item(k)));
                }
            }
            ParamShape::StructField { list, field } => {
                for k in 1..=codegen::model::LIST_ITEMS {
                    out.insert(format!("{list}.{k}.{field}"), normalized(p.ty, p.sample_item(k)));
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn every_action_round_trips() {
    round_trip_every_action(SignatureVersion::V1).await;
}

/// The same under signature v3: common parameters as `x-acs-*` headers, verified by the server's own v3 code.
#[tokio::test]
async fn every_action_round_trips_under_signature_v3() {
    round_trip_every_action(SignatureVersion::V3).await;
}

async fn round_trip_every_action(version: SignatureVersion) {
    let server = start_server().await;
    let client = builder_for(&server).signature_version(version).build().unwrap();
    let mut failures = Vec::new();
    for action in &spec().actions {
        let case = case_for(action);
        let before = server.request_count();
        let result = (case.call)(&client).await;
        let requests = server.requests();
        let name = &action.name;
        if requests.len() != before + 1 {
            failures.push(format!(
                "{name}: expected one request on the wire, saw {}",
                requests.len() - before
            ));
            continue;
        }
        let seen = &requests[before];
        if seen.verdict != Verdict::Accepted {
            failures.push(format!("{name}: the server rejected the request: {:?}", seen.verdict));
        }
        if seen.is_v3() != (version == SignatureVersion::V3) {
            failures.push(format!("{name}: not signed with {version:?}"));
        }
        if seen.action().as_deref() != Some(name.as_str()) || seen.param("Version").as_deref() != Some(&action.version)
        {
            failures.push(format!(
                "{name}: sent Action={:?} Version={:?}",
                seen.action(),
                seen.param("Version")
            ));
        }
        let sent_with = if action.methods.contains(&codegen::spec::HttpMethod::Post) {
            "POST"
        } else {
            "GET"
        };
        if seen.method != sent_with {
            failures.push(format!("{name}: sent with {} instead of {sent_with}", seen.method));
        }
        let expected = expected_wire(action);
        let actual = seen.action_params();
        for (k, v) in &expected {
            match actual.get(k) {
                None => failures.push(format!("{name}: parameter {k} was not sent")),
                Some(a) if a != v => failures.push(format!("{name}: parameter {k} sent as {a:?}, expected {v:?}")),
                Some(_) => {}
            }
        }
        for k in actual.keys().filter(|k| !expected.contains_key(*k)) {
            failures.push(format!("{name}: parameter {k} was sent but is not in the spec"));
        }
        // The parameters read back into the typed input and laid out again are the ones sent.
        let sent: Vec<(String, String)> = actual.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        match (case.read_back)(&sent) {
            Ok(again) => {
                let again: BTreeMap<String, String> = again.into_iter().collect();
                if again != actual {
                    failures.push(format!("{name}: read back as {again:?}, sent {actual:?}"));
                }
            }
            Err(e) => failures.push(format!("{name}: the sent parameters do not read back: {e}")),
        }
        match result {
            Err(e) => failures.push(format!("{name}: call failed: {e}")),
            Ok(decoded) => {
                let example: serde_json::Value =
                    serde_json::from_str(&action.example_response).expect("validated JSON");
                for d in compare::differences(&example, &decoded) {
                    failures.push(format!("{name}: response {d}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{version:?}: {} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_servers_default_actions_are_the_specs() {
    let config = e2e::ServerConfig::default();
    assert_eq!(config.actions.len(), spec().actions.len());
    for action in &spec().actions {
        let known = &config.actions[&action.name];
        assert_eq!(
            (known.version.as_str(), known.example.as_str()),
            (action.version.as_str(), action.example_response.as_str())
        );
    }
}
