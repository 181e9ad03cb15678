//! Tidy checks of the workspace: every hand-written `.rs` file starts with a `//!` line saying what it is for,
//! the runtime never names generated code, the emitter reads only the model, and the library never writes.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(name.as_str(), "target" | "generated" | "expected" | ".git") {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_hand_written_file_says_what_it_is_for() {
    let mut files = Vec::new();
    for dir in [
        "codegen",
        "domain-sdk",
        "xtask",
        "test-server",
        "tests",
        "bench",
        "fuzz",
    ] {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(files.len() > 20);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| !std::fs::read_to_string(f).unwrap_or_default().starts_with("//!"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a leading //! line:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_runtime_never_names_generated_code() {
    let src = root().join("domain-sdk/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    // The crate root re-exports; the extensions build on generated operations by design.
    let allowed = ["lib.rs", "waiters.rs"];
    let mut offenders = Vec::new();
    for f in files
        .iter()
        .filter(|f| !allowed.contains(&f.file_name().unwrap().to_str().unwrap()))
    {
        for (i, line) in std::fs::read_to_string(f).unwrap().lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if ["crate::operation", "crate::types", "generated::"]
                .iter()
                .any(|p| code.contains(p))
            {
                offenders.push(format!("{}:{}: {line}", f.display(), i + 1));
            }
        }
    }
    // Nor an item the generated code adds to a runtime type (`Region::ALL`, `ClientBuilder::default_lang`,
    // `Client::query_domain_list`): the runtime receives generated data (the generated `Default` of
    // `ClientBuilder` hands it the endpoints), it never reads it by name.
    let mut generated = Vec::new();
    rust_files(&src.join("generated"), &mut generated);
    let mut added: Vec<(String, String)> = Vec::new();
    for g in &generated {
        let ast = syn::parse_file(&std::fs::read_to_string(g).unwrap()).unwrap();
        for item in &ast.items {
            let syn::Item::Impl(imp) = item else { continue };
            let syn::Type::Path(ty) = &*imp.self_ty else { continue };
            let segments: Vec<String> = ty.path.segments.iter().map(|s| s.ident.to_string()).collect();
            if imp.trait_.is_some() || segments.first().map(String::as_str) != Some("crate") || segments.len() != 2 {
                continue;
            }
            for it in &imp.items {
                let name = match it {
                    syn::ImplItem::Const(c) => c.ident.to_string(),
                    syn::ImplItem::Fn(f) => f.sig.ident.to_string(),
                    _ => continue,
                };
                added.push((segments[1].clone(), name));
            }
        }
    }
    assert!(added.iter().any(|(t, n)| t == "Region" && n == "ALL"), "{added:?}");
    for f in files
        .iter()
        .filter(|f| !f.starts_with(src.join("generated")))
        .filter(|f| !allowed.contains(&f.file_name().unwrap().to_str().unwrap()))
    {
        for (i, line) in std::fs::read_to_string(f).unwrap().lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for (ty, name) in &added {
                let qualified = format!("{ty}::{name}");
                let called = format!(".{name}(");
                let is_word_end =
                    |at: usize, len: usize| !code[at + len..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
                // A method the generated code adds to `Client`/`ClientBuilder` may be called on a value.
                let method_call = ty != "Region" && code.contains(&called);
                let named = code.match_indices(&qualified).any(|(at, m)| is_word_end(at, m.len())) || method_call;
                if named {
                    offenders.push(format!(
                        "{}:{}: {line} (names the generated {qualified})",
                        f.display(),
                        i + 1
                    ));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "runtime code naming generated code:\n{}",
        offenders.join("\n")
    );
}

/// Code and scripts of the workspace, outside build output and the vendored data.
fn code_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(name.as_str(), "target" | ".git" | "upstream") {
                code_files(&path, out);
            }
        } else if [".rs", ".toml", ".sh", ".py", ".js"].iter().any(|e| name.ends_with(e)) || name == "run" {
            out.push(path);
        }
    }
}

#[test]
fn nothing_reads_outside_the_repository() {
    // A fresh clone has nothing beside it: data a test or tool reads is vendored (`api-spec/upstream/`).
    let beside = ["..", "/shared"].concat();
    let mut files = Vec::new();
    code_files(&root(), &mut files);
    assert!(files.iter().any(|f| f.ends_with(".ci/run")), "the CI script is scanned");
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).unwrap_or_default().contains(&beside))
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "files naming {beside}, which a fresh clone does not have:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_emitter_reads_only_the_model_and_the_library_writes_nothing() {
    let mut files = Vec::new();
    rust_files(&root().join("codegen/src/emit"), &mut files);
    assert!(files.len() >= 6, "{files:?}");
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(
            !text.contains("spec::"),
            "{}: the emitter names the raw spec",
            f.display()
        );
    }
    let mut lib = Vec::new();
    rust_files(&root().join("codegen/src"), &mut lib);
    for f in &lib {
        let text = std::fs::read_to_string(f).unwrap();
        for call in ["fs::write", "create_dir", "remove_file", "read_dir"] {
            assert!(
                !text.contains(call) || f.ends_with("load.rs"),
                "{}: the library calls {call}; writing is xtask's",
                f.display()
            );
        }
        for path in ["domain-sdk/", "tests/src", "test-server/"] {
            assert!(
                !text.contains(path),
                "{}: the library names the workspace path {path}",
                f.display()
            );
        }
    }
}

/// Every Rust name is made by `naming.rs`: the model and the emitter build no identifier themselves (no
/// `format!("{s}_value")`, no case conversion, no suffix pushed onto a name).
#[test]
fn every_rust_name_is_made_by_naming() {
    let mut files = Vec::new();
    rust_files(&root().join("codegen/src/model"), &mut files);
    rust_files(&root().join("codegen/src/emit"), &mut files);
    assert!(files.len() >= 10, "{files:?}");
    let mut offenders = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let at = format!("{}:{}: {}", f.display(), n + 1, line.trim());
            if [
                "use heck",
                " heck::",
                "to_snake_case",
                "to_upper_camel_case",
                "format_ident!",
                ".push('_')",
            ]
            .iter()
            .any(|p| line.contains(p))
            {
                offenders.push(at);
                continue;
            }
            // A format string made only of identifier characters and placeholders builds a name.
            let mut rest = line;
            while let Some(i) = rest.find("format!(\"") {
                rest = &rest[i + "format!(\"".len()..];
                let literal = rest.split('"').next().unwrap_or("");
                let name_like = literal.contains('{')
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '{' | '}' | ':'));
                if name_like {
                    offenders.push(at.clone());
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "names built outside naming.rs (add a function there):\n{}",
        offenders.join("\n")
    );
}

/// The generated docs lead with English: no doc block of the generated SDK starts with a Chinese line (the
/// reference's wording comes after the English, labelled).
#[test]
fn generated_doc_blocks_lead_with_english() {
    let mut files = Vec::new();
    rust_files(&root().join("domain-sdk/src/generated"), &mut files);
    assert!(files.len() > 100, "{}", files.len());
    let is_han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    // A line is Chinese when its first letter is (an English line may quote a Chinese name: `.中国`).
    let han = |s: &str| s.chars().find(|c| c.is_alphabetic()).is_some_and(is_han);
    let (mut blocks, mut offenders) = (0, Vec::new());
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let mut in_block = false;
        for (n, line) in text.lines().enumerate() {
            let t = line.trim_start();
            let doc = t.strip_prefix("///").or_else(|| t.strip_prefix("//!"));
            match doc {
                Some(d) if !in_block => {
                    in_block = true;
                    blocks += 1;
                    if han(d) {
                        offenders.push(format!("{}:{}: {}", f.display(), n + 1, d.trim()));
                    }
                }
                Some(_) => {}
                None => in_block = false,
            }
        }
    }
    assert!(blocks > 3000, "{blocks} doc blocks");
    assert!(
        offenders.is_empty(),
        "{} of {blocks} doc blocks start in Chinese:\n{}",
        offenders.len(),
        offenders.join("\n")
    );
}

/// Every action's module links to its public pages (`api-spec/pages.yaml`), in the module's own doc.
#[test]
fn every_action_links_to_its_public_page() {
    let mut files = Vec::new();
    rust_files(&root().join("domain-sdk/src/generated/operation"), &mut files);
    let modules: Vec<&PathBuf> = files.iter().filter(|f| !f.ends_with("mod.rs")).collect();
    assert!(modules.len() > 100, "{}", modules.len());
    for f in modules {
        let text = std::fs::read_to_string(f).unwrap();
        let stem = f.file_stem().unwrap().to_str().unwrap();
        let header: String = text.lines().take_while(|l| !l.starts_with("pub ")).collect();
        assert!(
            header.contains("(https://api.alibabacloud.com/api/Domain/")
                && header.contains("(https://next.api.aliyun.com/api/Domain/"),
            "{stem}: no link to its API Explorer pages in the module doc"
        );
    }
}
