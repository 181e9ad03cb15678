//! Cross-checks the spec's request wire names against the newest official Go SDK's
//! (`api-spec/upstream/go_sdk_tea_domain.json`): every name on one side only must be explained in the action's
//! `go_sdk_differences`, and nothing else.

use std::collections::BTreeSet;

use e2e::{spec, workspace_root};

fn go_names(request: &serde_json::Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in request.as_array().into_iter().flatten() {
        let name = p["name"].as_str().unwrap_or_default();
        let fields: Vec<&str> = p["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str())
            .collect();
        match (p["repeated"].as_bool().unwrap_or(false), fields.is_empty()) {
            (true, false) => out.extend(fields.iter().map(|f| format!("{name}.N.{f}"))),
            (true, true) => {
                out.insert(format!("{name}.N"));
            }
            (false, _) => {
                out.insert(name.to_owned());
            }
        }
    }
    out
}

#[test]
fn request_names_agree_with_the_go_sdk_or_are_explained() {
    let path = workspace_root().join(xtask::files::GO_SDK_TEA_SURFACE);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let reference: serde_json::Value = serde_json::from_str(&text).expect("the reference is JSON");
    let go_actions = reference["actions"].as_object().expect("actions by name");
    let mut failures = Vec::new();
    let mut compared = 0;
    for action in &spec().actions {
        let Some(go) = go_actions
            .get(&action.name)
            .filter(|g| g["version"] == action.version.as_str())
        else {
            continue;
        };
        compared += 1;
        let ours: BTreeSet<String> = action.request.iter().map(|p| p.wire_name.clone()).collect();
        let theirs = go_names(&go["request"]);
        let differing: BTreeSet<String> = ours.symmetric_difference(&theirs).cloned().collect();
        let explained: BTreeSet<String> = action.go_sdk_differences.iter().map(|d| d.name.clone()).collect();
        for name in differing.difference(&explained) {
            let side = if ours.contains(name) { "the spec" } else { "the Go SDK" };
            failures.push(format!(
                "{}: '{name}' is only in {side}; fix it or explain it in go_sdk_differences",
                action.file
            ));
        }
        for name in explained.difference(&differing) {
            failures.push(format!(
                "{}: go_sdk_differences lists '{name}', but both sides agree on it",
                action.file
            ));
        }
    }
    assert!(
        compared >= 100,
        "only {compared} actions were compared; is the reference complete?"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
