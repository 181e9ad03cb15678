//! Golden tests of the generator: fixture specs whose output is compared byte for byte (and compiled, by
//! `domain-sdk`'s test build), spec errors compared with their expected report, and determinism. The working
//! tree's freshness is xtask's (`cargo xtask codegen --check`, and its tests).
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
            let path = expected_dir.join(file.target.name()).join(&file.path);
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
            if !files.iter().any(|f| format!("{}/{}", f.target.name(), f.path) == path) {
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
