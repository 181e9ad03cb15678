//! The generator's golden fixture output compiled and run against the SDK's runtime: a scratch copy of the
//! `domain-sdk` crate (under `target/`, with its own target folder) whose generated code and feature region are
//! the fixture's, placed by xtask's `files::plan`, tested by `tests/golden/*.rs`. The shipped crate carries none of the generator's fixtures.

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path, skip: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let path = entry.path();
        if path == skip {
            continue;
        }
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target, skip);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn the_golden_fixture_compiles_and_behaves_against_the_runtime() {
    let root = e2e::workspace_root();
    let fixture = root.join("codegen/tests/golden/awkward");
    let scratch: PathBuf = root.join("target/golden-fixture-crate");
    let sdk = scratch.join("domain-sdk");
    let _ = std::fs::remove_dir_all(&sdk);

    // The runtime as it is, the fixture's generated code put in place as `cargo xtask codegen` would (its
    // `golden.rs` checks that this output is the committed expected one).
    copy_dir(&root.join("domain-sdk"), &sdk, &root.join("domain-sdk/src/generated"));
    let files = codegen::generate(&fixture.join("spec")).expect("fixture spec");
    for change in xtask::files::plan(&scratch, &files).expect("plan") {
        change.apply(&scratch).expect("write");
    }
    copy_dir(&root.join("tests/golden"), &sdk.join("tests"), Path::new(""));

    // A workspace of its own, with the workspace's settings and locked versions.
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let members = workspace
        .lines()
        .find(|l| l.starts_with("members ="))
        .expect("members line");
    std::fs::write(
        scratch.join("Cargo.toml"),
        workspace.replace(members, "members = [\"domain-sdk\"]"),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .env_remove("RUSTFLAGS")
        .args([
            "test",
            "--offline",
            "-p",
            "domain-sdk",
            "--no-default-features",
            "--features",
            "all-actions",
        ])
        .args(["--test", "awkward_names"])
        .output()
        .expect("run cargo");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "the fixture crate failed:\n{text}");
    assert!(text.contains("test result: ok. 5 passed"), "{text}");
}
