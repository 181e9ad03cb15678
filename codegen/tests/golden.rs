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

/// The methods a setter may not take (`naming::BUILDER_METHODS`, `PAGING_METHODS`) are exactly those the
/// generated builders and the runtime's builder traits (`Sendable`, `SendBlocking`) have: every method of a
/// generated builder is a setter of the model or a reserved name, and every reserved name is emitted somewhere.
#[test]
fn reserved_builder_methods_are_what_builders_have() {
    use std::collections::BTreeSet;
    let spec_root = tests_dir().join("../../api-spec");
    let spec = codegen::load_spec(&spec_root).expect("the workspace spec loads");
    let model = codegen::lower(&spec).expect("lowers");
    let files = codegen::generate_from_spec(&spec).expect("generates");
    let reserved: BTreeSet<&str> = codegen::naming::BUILDER_METHODS
        .iter()
        .chain(codegen::naming::PAGING_METHODS)
        .copied()
        .collect();
    let mut seen = BTreeSet::new();
    for op in &model.operations {
        let file = files
            .iter()
            .find(|f| f.path == format!("operation/{}.rs", op.names.module))
            .expect("the operation's file");
        let ast = syn::parse_file(&file.contents).expect("parses");
        let setters: BTreeSet<String> = op
            .input
            .iter()
            .flat_map(|f| [Some(&f.ident), f.set.as_ref(), f.get.as_ref(), f.json_setter.as_ref()])
            .flatten()
            .map(|m| m.trim_start_matches("r#").to_owned())
            .collect();
        for item in &ast.items {
            let syn::Item::Impl(imp) = item else { continue };
            let syn::Type::Path(ty) = &*imp.self_ty else { continue };
            if imp.trait_.is_some() || ty.path.segments.last().unwrap().ident != op.names.builder {
                continue;
            }
            for it in &imp.items {
                let syn::ImplItem::Fn(f) = it else { continue };
                let name = f.sig.ident.to_string();
                let name = name.trim_start_matches("r#");
                if !setters.contains(name) {
                    assert!(
                        reserved.contains(name),
                        "{}: builder method `{name}` is not reserved",
                        op.action
                    );
                    seen.insert(name.to_owned());
                }
            }
        }
    }
    // The runtime's traits implemented for every builder.
    let runtime = tests_dir().join("../../domain-sdk/src");
    for (file, trait_name) in [("blocking.rs", "SendBlocking"), ("paginator.rs", "Sendable")] {
        let text = std::fs::read_to_string(runtime.join(file)).expect("runtime source");
        let ast = syn::parse_file(&text).expect("parses");
        let tr = ast
            .items
            .iter()
            .find_map(|i| match i {
                syn::Item::Trait(t) if t.ident == trait_name => Some(t),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{file} defines {trait_name}"));
        for it in &tr.items {
            if let syn::TraitItem::Fn(f) = it {
                let name = f.sig.ident.to_string();
                assert!(reserved.contains(name.as_str()), "{trait_name}::{name} is not reserved");
                seen.insert(name);
            }
        }
    }
    let unused: Vec<&&str> = reserved.iter().filter(|r| !seen.contains(**r)).collect();
    assert!(unused.is_empty(), "reserved but never emitted: {unused:?}");
}
