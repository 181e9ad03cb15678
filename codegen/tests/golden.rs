//! Golden tests of the generator: fixture specs whose output is compared byte for byte (and compiled, by
//! `domain-sdk`'s test build), spec errors compared with their expected report, determinism and freshness.
//!
//! Set `UPDATE_GOLDEN=1` to rewrite the expected files after a deliberate change, then review the diff.

use std::path::{Path, PathBuf};

fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn update() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some()
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

fn files_under(dir: &Path, rel: &str, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if entry.path().is_dir() {
            files_under(&entry.path(), &path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn golden_outputs_match_byte_for_byte() {
    let mut failures = Vec::new();
    for fixture in subdirs(&tests_dir().join("golden")) {
        let files = codegen::generate(&fixture.join("spec")).unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
        let expected_dir = fixture.join("expected");
        for file in &files {
            let path = expected_dir.join(&file.path);
            if update() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &file.contents).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
                failures.push(format!("{}: differs from the generator's output", path.display()));
            }
        }
        let mut existing = Vec::new();
        files_under(&expected_dir, "", &mut existing);
        for path in existing {
            if !files.iter().any(|f| f.path == path) {
                failures.push(format!("{}: no longer generated", expected_dir.join(path).display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\nrerun with UPDATE_GOLDEN=1 and review the diff",
        failures.join("\n")
    );
}

#[test]
fn spec_errors_are_reported_all_at_once_with_file_and_path() {
    let mut failures = Vec::new();
    for case in subdirs(&tests_dir().join("errors")) {
        let report = match codegen::generate(&case) {
            Ok(_) => "(no error: the spec was accepted)\n".to_owned(),
            Err(codegen::Error::Spec(d)) => format!("{d}\n"),
            Err(e) => format!("(not a spec error) {e}\n"),
        };
        let expected_path = case.join("expected.txt");
        if update() {
            std::fs::write(&expected_path, &report).unwrap();
        } else {
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if expected != report {
                failures.push(format!(
                    "{}:\n--- expected\n{expected}--- actual\n{report}",
                    case.display()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\nrerun with UPDATE_GOLDEN=1 and review the diff",
        failures.join("\n")
    );
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn generation_is_deterministic() {
    let spec_root = workspace_root().join("api-spec");
    let a = codegen::generate(&spec_root).expect("the committed spec is valid");
    let b = codegen::generate(&spec_root).expect("the committed spec is valid");
    assert_eq!(a, b);
}

#[test]
fn committed_generated_code_is_fresh() {
    let root = workspace_root();
    let files = codegen::generate(&root.join("api-spec")).expect("the committed spec is valid");
    let plan = codegen::emit::plan(&root, &files).expect("read the working tree");
    let stale: Vec<String> = plan.iter().map(ToString::to_string).collect();
    assert!(
        stale.is_empty(),
        "{}\nrun `cargo xtask codegen` and commit the result",
        stale.join("\n")
    );
}

#[test]
fn the_freshness_check_names_stale_and_orphaned_files() {
    let root = std::env::temp_dir().join(format!("domain-codegen-plan-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let files = codegen::generate(&tests_dir().join("golden/awkward/spec")).unwrap();
    for change in codegen::emit::plan(&root, &files).unwrap() {
        change.apply(&root).unwrap();
    }
    assert!(
        codegen::emit::plan(&root, &files).unwrap().is_empty(),
        "fresh after writing"
    );

    let stale = &files.iter().find(|f| f.path.ends_with(".rs")).unwrap().path;
    std::fs::write(root.join(stale), "// edited by hand\n").unwrap();
    let orphan = "domain-sdk/src/generated/operation/removed_action.rs";
    std::fs::write(root.join(orphan), "//! old\n").unwrap();
    let report: std::collections::BTreeSet<String> = codegen::emit::plan(&root, &files)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let expected: std::collections::BTreeSet<String> =
        [format!("orphaned: {orphan}"), format!("stale: {stale}")].into();
    assert_eq!(report, expected);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn the_feature_list_is_spliced_into_the_hand_written_manifest() {
    let root = std::env::temp_dir().join(format!("domain-codegen-splice-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let files = codegen::generate(&tests_dir().join("golden/awkward/spec")).unwrap();
    let manifest = root.join(codegen::emit::SDK_MANIFEST);
    std::fs::create_dir_all(manifest.parent().unwrap()).unwrap();
    let splice = codegen::emit::CARGO_FEATURES;
    let hand = format!(
        "[package]\nname = \"x\"\n\n[features]\ndefault = [\"all-actions\"]\n{}\nold = []\n{}\n\n[dependencies]\n",
        splice.begin, splice.end
    );
    std::fs::write(&manifest, &hand).unwrap();
    for change in codegen::emit::plan(&root, &files).unwrap() {
        change.apply(&root).unwrap();
    }
    let written = std::fs::read_to_string(&manifest).unwrap();
    assert!(written.starts_with("[package]\nname = \"x\"\n\n[features]\ndefault = [\"all-actions\"]\n"));
    assert!(
        written.ends_with(&format!("{}\n\n[dependencies]\n", splice.end)),
        "{written}"
    );
    assert!(!written.contains("old = []"), "the old region is replaced: {written}");
    assert!(written.contains("\nfixture_awkward_names = []\n"), "{written}");
    assert!(
        written.contains("all-actions = [\n    \"fixture_awkward_names\",\n"),
        "{written}"
    );
    assert!(codegen::emit::plan(&root, &files).unwrap().is_empty());

    // A hand edit inside the region is stale; without the markers the plan says what to add.
    std::fs::write(
        &manifest,
        written.replace("fixture_awkward_names = []", "fixture_awkward_names = [\"x\"]"),
    )
    .unwrap();
    let stale: Vec<String> = codegen::emit::plan(&root, &files)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(stale, [format!("stale: {}", codegen::emit::SDK_MANIFEST)]);
    std::fs::write(&manifest, "[package]\n").unwrap();
    let err = codegen::emit::plan(&root, &files).unwrap_err().to_string();
    assert!(
        err.contains("marker lines are missing") && err.contains(splice.begin),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&root);
}
