//! The spec against every vendored OpenAPI metadata snapshot (`api-spec/upstream/openapi-meta/`): no
//! difference left unexplained, and no explanation in the spec that no snapshot needs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use xtask::files;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn snapshots() -> Vec<PathBuf> {
    files::vendored_metadata(&root()).expect("the vendored snapshots")
}

#[test]
fn every_vendored_snapshot_differs_from_the_spec_only_where_the_spec_says_why() {
    let spec = codegen::load_spec(&root().join("api-spec")).expect("the spec loads");
    let snapshots = snapshots();
    assert!(
        snapshots.len() >= 2,
        "the vendored snapshots are missing: {snapshots:?}"
    );
    let mut failures = Vec::new();
    let mut unused_everywhere: Option<BTreeSet<(String, String, &'static str)>> = None;
    for path in &snapshots {
        let report = files::drift_report(&spec, path).expect("the snapshot reads");
        assert!(
            report.compared >= 100,
            "{}: only {} actions compared",
            report.document,
            report.compared
        );
        for d in report.unexplained() {
            failures.push(format!(
                "{}: {} {} {}: upstream {}, spec {}",
                report.document,
                d.action,
                d.kind.as_str(),
                d.at,
                d.upstream,
                d.ours
            ));
        }
        let unused: BTreeSet<_> = report
            .unused
            .iter()
            .map(|u| (u.file.clone(), u.at.clone(), u.kind.as_str()))
            .collect();
        unused_everywhere = Some(match unused_everywhere {
            None => unused,
            Some(before) => before.intersection(&unused).cloned().collect(),
        });
    }
    for (file, at, kind) in unused_everywhere.unwrap_or_default() {
        failures.push(format!(
            "{file}: metadata_differences explains '{kind}' at '{at}', but no snapshot differs there; remove it"
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_spec_has_every_action_of_the_newest_snapshot_and_its_endpoints() {
    let spec = codegen::load_spec(&root().join("api-spec")).expect("the spec loads");
    let newest = snapshots().pop().unwrap();
    let doc = codegen::metadata::parse(&std::fs::read_to_string(&newest).unwrap()).unwrap();
    for name in doc.apis.keys() {
        assert!(
            spec.actions.iter().any(|a| &a.name == name),
            "{name} is not in the spec"
        );
    }
    // Beyond the snapshot's: the 2016-05-11 action, and actions only the newer official Go or Python SDK has.
    let extra: Vec<&str> = spec
        .actions
        .iter()
        .filter(|a| !doc.apis.contains_key(&a.name))
        .filter(|a| a.version == doc.info.version)
        .filter(|a| a.origin.source().is_none_or(|s| !(s.is_go_sdk() || s.is_py_sdk())))
        .map(|a| a.name.as_str())
        .collect();
    assert!(
        extra.is_empty(),
        "in the spec, not in the newest snapshot nor from a newer official SDK: {extra:?}"
    );
    for e in &doc.endpoints {
        assert!(
            spec.endpoints
                .iter()
                .any(|s| s.region == e.region_id && s.host == e.endpoint),
            "{e:?} is not in endpoints.yaml"
        );
    }
}
