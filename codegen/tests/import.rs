//! The importer on a small metadata fixture (`tests/import/`): new files and merges compared with golden YAML,
//! every imported file valid as a spec, and an imported action without drift from its source.

use std::path::{Path, PathBuf};

use codegen::import::{import_action, merge_action, GoSdk, Imported};
use codegen::{drift, load, metadata};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn document() -> metadata::Document {
    metadata::parse(&read("metadata.json")).expect("the fixture is a metadata document")
}

/// The import's whole output: the YAML, then what it reports.
fn rendered(imported: &Imported) -> String {
    let mut s = imported.yaml.clone();
    for (label, lines) in [
        ("added", &imported.added),
        ("note", &imported.notes),
        ("conflict", &imported.conflicts),
    ] {
        for l in lines {
            s.push_str(&format!("# {label}: {l}\n"));
        }
    }
    s
}

fn check_golden(name: &str, actual: &str) {
    let path = dir().join("expected").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{name} differs from its golden file (rerun with UPDATE_GOLDEN=1 and review):\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

/// The imported file as a spec. While it has English placeholders it is refused for them alone (each named); with
/// them written, as a maintainer would, it loads.
fn load_one(action: &str, yaml: &str) -> codegen::spec::Spec {
    let file = format!("2018-01-29/actions/{action}.yaml");
    let mut yaml = yaml.to_owned();
    if yaml.contains(load::ENGLISH_PLACEHOLDER) {
        let refused = load::load_sources(&[(file.clone(), yaml.clone())]).expect_err("a placeholder is refused");
        let placeholders = yaml.matches(load::ENGLISH_PLACEHOLDER).count();
        assert_eq!(refused.0.len(), placeholders, "{refused}");
        assert!(
            refused.0.iter().all(|d| d.message.contains("write the English text")),
            "{refused}"
        );
        yaml = yaml
            .lines()
            .map(|l| match l.split_once(": \"TODO(en)") {
                Some((key, _)) => format!("{key}: An English text.\n"),
                None => format!("{l}\n"),
            })
            .collect();
    }
    load::load_sources(&[(file, yaml.clone())])
        .unwrap_or_else(|e| panic!("the imported {action} is not a valid spec:\n{e}\n{yaml}"))
}

#[test]
fn a_full_action_imports_as_the_specs_own_yaml_and_drifts_only_where_it_says() {
    let doc = document();
    let imported = import_action(&doc, "fixture.json", "2024-08-14", "FixtureListThings", None).unwrap();
    check_golden("FixtureListThings.yaml", &rendered(&imported));
    let spec = load_one("FixtureListThings", &imported.yaml);
    let a = &spec.actions[0];
    // repeatList of scalars and of objects, formData, a value set from the description and from `enum`.
    let names: Vec<&str> = a.request.iter().map(|p| p.wire_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "PageNum",
            "Lang",
            "Kind",
            "OldFilter",
            "DomainName.N",
            "Size.N",
            "Tag.N.Key",
            "Tag.N.Value",
            "BizId"
        ]
    );
    assert!(a
        .request
        .iter()
        .any(|p| p.wire_name == "BizId" && p.location == Some(codegen::spec::Location::Body)));
    assert!(a.request.iter().any(|p| p.wire_name == "OldFilter" && p.deprecated));
    let lang = a.request.iter().find(|p| p.wire_name == "Lang").unwrap();
    assert_eq!(
        lang.values.iter().map(|v| v.value.as_str()).collect::<Vec<_>>(),
        ["zh", "en"]
    );
    assert!(a.idempotent, "operationType read proposes idempotent");
    // An untyped (`any`) field is kept as JSON.
    let data = a
        .response
        .iter()
        .find(|f| f.name == "Data")
        .and_then(|f| f.structure())
        .unwrap();
    let blob = data.fields.iter().find(|f| f.name == "Blob").expect("kept");
    assert_eq!(blob.ty, codegen::spec::FieldType::Json);
    // Nothing drifts: the file says what the document says.
    let left: Vec<String> = drift::action_differences(a, doc.apis.get("FixtureListThings"))
        .iter()
        .map(|d| format!("{} {}: upstream {}, spec {}", d.kind.as_str(), d.at, d.upstream, d.ours))
        .collect();
    assert!(left.is_empty(), "{left:#?}");
}

#[test]
fn a_thin_action_takes_its_response_from_the_named_source_and_never_invents_one() {
    let doc = document();
    let err = import_action(&doc, "fixture.json", "2025-12-03", "FixtureThin", None).unwrap_err();
    assert!(err.contains("no response") && err.contains("--response-from"), "{err}");
    let go: serde_json::Value = serde_json::from_str(&read("go_sdk.json")).unwrap();
    let source = GoSdk {
        name: "go_fixture.json",
        data: &go,
    };
    let imported = import_action(&doc, "fixture.json", "2025-12-03", "FixtureThin", Some(source)).unwrap();
    check_golden("FixtureThin.yaml", &rendered(&imported));
    let spec = load_one("FixtureThin", &imported.yaml);
    let a = &spec.actions[0];
    let source = a.origin.source().expect("an imported action says where it came from");
    assert_eq!(source.response.as_deref(), Some("go_fixture.json"));
    assert_eq!(
        source.example,
        Some(codegen::spec::ExampleOrigin::Built),
        "no published example: built, and marked so"
    );
    let example: serde_json::Value = serde_json::from_str(&a.example_response).unwrap();
    assert_eq!(example["Items"]["Item"][0]["Score"], serde_json::json!(0.0));
    assert!(!a.idempotent, "no operationType: false, for the maintainer to confirm");
    for missing in ["summary", "idempotent", "example_response"] {
        assert!(
            imported.notes.iter().any(|n| n.starts_with(missing)),
            "no note on {missing}: {:?}",
            imported.notes
        );
    }
}

#[test]
fn importing_into_an_existing_action_adds_what_is_missing_and_reports_conflicts() {
    let doc = document();
    let existing = read("existing/FixtureListThings.yaml");
    let current = load_one("FixtureListThings", &existing);
    let merged = merge_action(&existing, &current.actions[0], &doc, "fixture.json").unwrap();
    check_golden("merged_FixtureListThings.yaml", &rendered(&merged));
    // Hand-made choices stay; what was missing is there, in a file that still loads.
    let spec = load_one("FixtureListThings", &merged.yaml);
    let a = &spec.actions[0];
    let page = a.request.iter().find(|p| p.wire_name == "PageNum").unwrap();
    assert!(!page.required, "a conflict is reported, not overwritten");
    assert_eq!(page.description.as_deref(), Some("页码（手写）。"));
    assert!(
        merged
            .conflicts
            .iter()
            .any(|c| c.starts_with("required request.PageNum")),
        "{:?}",
        merged.conflicts
    );
    assert!(
        merged
            .conflicts
            .iter()
            .any(|c| c.starts_with("type response.Data.Thing[].Status")),
        "{:?}",
        merged.conflicts
    );
    for added in [
        "request.Tag.N.Key",
        "request.BizId",
        "response.Ratio",
        "response.Data.Thing[].DnsList",
    ] {
        assert!(
            merged.added.iter().any(|x| x == added),
            "{added} not added: {:?}",
            merged.added
        );
    }
    let thing = a
        .response
        .iter()
        .find(|f| f.name == "Data")
        .and_then(|f| f.structure())
        .unwrap();
    assert!(
        thing.fields.iter().any(|f| f.name == "DnsList"),
        "nested field merged into its structure"
    );
    // A second merge has nothing left to add.
    let again = merge_action(&merged.yaml, a, &doc, "fixture.json").unwrap();
    assert!(again.added.is_empty(), "{:?}", again.added);
    assert_eq!(again.yaml, merged.yaml);
}
