//! `cargo xtask`: the workspace's task runner — regenerate the SDK, check it is fresh, dump the spec and model.

use codegen::changes;
use xtask::{files, history};

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask codegen           regenerate domain-sdk/src/generated/, its features in domain-sdk/Cargo.toml,
                                test-server/src/generated/, tests/src/generated/ and codegen/model.json
                                from api-spec/
  cargo xtask codegen --check   fail, naming each file, when the committed generated code is stale
  cargo xtask spec dump         print the normalized spec as JSON
  cargo xtask spec drift [--metadata FILE] [--py-sdk FILE] [--json] [--verbose]
                                compare the spec with an OpenAPI metadata document (default: the newest in
                                api-spec/upstream/openapi-meta/) and with the official Python SDK's request
                                surface (default: api-spec/upstream/py_sdk_domain.json); fails when a
                                difference is not explained in the spec's metadata_differences or
                                py_sdk_differences (an action only the SDK has: not_imported.yaml)
  cargo xtask spec import ACTION... [--metadata FILE] [--response-from go-sdk] [--dry-run]
                                write api-spec/<version>/actions/ACTION.yaml from a metadata document (default:
                                the newest vendored one that has the action); into an existing file, add what
                                it lacks and report conflicts without overwriting; --response-from go-sdk takes
                                the response from api-spec/upstream/go_sdk_domain.json when the document has none
  cargo xtask spec changes REV [REV2] [--json] [--from-spec]
                                list what changed in the generated public API since revision REV (to REV2, or
                                to the working tree's api-spec/), each change additive or breaking by a named
                                rule, and the verdict (the version bump); REV's side is its committed
                                codegen/model.json, or with --from-spec its api-spec/ lowered by today's
                                generator; exits 0 whatever the verdict
  cargo xtask model dump        print the model the emitter reads (every Rust name) as JSON
  cargo xtask codegen --spec DIR --root DIR
                                generate from another spec into another workspace root (benchmarks)";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = workspace_root();
    let result = match args.as_slice() {
        ["codegen"] => codegen(&root.join("api-spec"), &root, false),
        ["codegen", "--check"] => codegen(&root.join("api-spec"), &root, true),
        ["codegen", "--spec", spec, "--root", out] => codegen(Path::new(spec), Path::new(out), false),
        ["spec", "dump"] => dump(&root),
        ["spec", "drift", rest @ ..] => drift(&root, rest),
        ["spec", "import", rest @ ..] => import(&root, rest),
        ["spec", "changes", rest @ ..] => changes(&root, rest),
        ["model", "dump"] => model_dump(&root),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn dump(root: &Path) -> Result<(), String> {
    let spec = codegen::load_spec(&root.join("api-spec")).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&codegen::dump::dump(&spec)).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

fn drift(root: &Path, args: &[&str]) -> Result<(), String> {
    let (mut metadata, mut py_sdk, mut json, mut verbose) = (None, None, false, false);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--json" => json = true,
            "--verbose" => verbose = true,
            "--metadata" => metadata = Some(PathBuf::from(args.next().ok_or("--metadata needs a FILE")?)),
            "--py-sdk" => py_sdk = Some(PathBuf::from(args.next().ok_or("--py-sdk needs a FILE")?)),
            other => return Err(format!("unknown argument '{other}'\n{USAGE}")),
        }
    }
    let path = match metadata {
        Some(p) => p,
        None => files::vendored_metadata(root)?
            .pop()
            .ok_or_else(|| format!("no metadata document in {}", files::METADATA_DIR))?,
    };
    let py_sdk = py_sdk.unwrap_or_else(|| root.join(files::PY_SDK_SURFACE));
    let spec = codegen::load_spec(&root.join("api-spec")).map_err(|e| e.to_string())?;
    let reports = [
        files::drift_report(&spec, &path)?,
        files::py_sdk_report(&spec, &py_sdk)?,
    ];
    if json {
        // One report per document, the metadata's first.
        println!("{}", serde_json::to_string_pretty(&reports).map_err(|e| e.to_string())?);
    } else {
        let rendered: Vec<String> = reports.iter().map(|r| r.render(verbose)).collect();
        print!("{}", rendered.join("\n"));
    }
    let failed: Vec<String> = reports
        .iter()
        .filter(|r| r.unexplained().next().is_some())
        .map(|r| {
            format!(
                "{} difference(s) from {} are not explained: fix the spec, or say why it keeps its own in the \
                 action's {}",
                r.unexplained().count(),
                r.document,
                r.explained_in
            )
        })
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n"))
    }
}

fn import(root: &Path, args: &[&str]) -> Result<(), String> {
    let (mut metadata, mut go, mut dry_run, mut actions) = (None, false, false, Vec::new());
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--dry-run" => dry_run = true,
            "--metadata" => metadata = Some(PathBuf::from(args.next().ok_or("--metadata needs a FILE")?)),
            "--response-from" => match args.next() {
                Some(&"go-sdk") => go = true,
                other => return Err(format!("--response-from takes `go-sdk`, not {other:?}")),
            },
            a if a.starts_with('-') => return Err(format!("unknown argument '{a}'\n{USAGE}")),
            a => actions.push(a.to_owned()),
        }
    }
    if actions.is_empty() {
        return Err(format!("name at least one action\n{USAGE}"));
    }
    let spec_dir = root.join("api-spec");
    let spec = codegen::load_spec(&spec_dir).map_err(|e| e.to_string())?;
    let go_data = if go {
        let path = root.join(files::GO_SDK_SURFACE);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Some(serde_json::from_str::<serde_json::Value>(&text).map_err(|e| format!("{}: {e}", path.display()))?)
    } else {
        None
    };
    let go_sdk = go_data.as_ref().map(|data| codegen::import::GoSdk {
        name: "go_sdk_domain.json",
        data,
    });
    let mut documents = Vec::new();
    for path in metadata.map_or_else(|| files::vendored_metadata(root), |p| Ok(vec![p]))? {
        let (name, doc) = files::read_metadata(&path)?;
        documents.push((path, name, doc));
    }
    let mut failed = false;
    for action in &actions {
        let Some((path, name, doc)) = documents.iter().rev().find(|(_, _, d)| d.apis.contains_key(action)) else {
            eprintln!("{action}: in no metadata document read");
            failed = true;
            continue;
        };
        let existing = spec.actions.iter().find(|a| &a.name == action);
        let result = match existing {
            Some(current) => {
                let file = spec_dir.join(&current.file);
                let text =
                    std::fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
                codegen::import::merge_action(&text, current, doc, name).map(|r| (file, r))
            }
            None => {
                let snapshot = files::snapshot_date(path);
                let file = spec_dir
                    .join(&doc.info.version)
                    .join("actions")
                    .join(format!("{action}.yaml"));
                codegen::import::import_action(doc, name, &snapshot, action, go_sdk).map(|r| (file, r))
            }
        };
        let (file, imported) = match result {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{action}: {e}");
                failed = true;
                continue;
            }
        };
        let rel = file.strip_prefix(root).unwrap_or(&file).display().to_string();
        let verb = if existing.is_some() {
            "merged into"
        } else {
            "imported as"
        };
        println!("{action}: {verb} {rel} from {name}");
        if existing.is_none() && doc.apis[action].response_schema().is_none() {
            if let Some((older, _, _)) = documents
                .iter()
                .find(|(_, _, d)| d.apis.get(action).is_some_and(|a| a.response_schema().is_some()))
            {
                println!(
                    "  hint: {} has this action's descriptions and response (--metadata)",
                    older.display()
                );
            }
        }
        for a in &imported.added {
            println!("  added     {a}");
        }
        for n in &imported.notes {
            println!("  note      {n}");
        }
        for c in &imported.conflicts {
            println!("  conflict  {c}");
        }
        if !dry_run {
            if let Some(dir) = file.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            std::fs::write(&file, &imported.yaml).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        } else if existing.is_none() {
            print!("{}", imported.yaml);
        }
    }
    if failed {
        return Err("some actions were not imported".to_owned());
    }
    if !dry_run {
        println!("review the files, then run `cargo xtask codegen`");
    }
    Ok(())
}

fn changes(root: &Path, args: &[&str]) -> Result<(), String> {
    let (mut json, mut baseline, mut revs) = (false, history::Baseline::Snapshot, Vec::new());
    for arg in args {
        match *arg {
            "--json" => json = true,
            "--from-spec" => baseline = history::Baseline::Spec,
            a if a.starts_with('-') => return Err(format!("unknown argument '{a}'\n{USAGE}")),
            a => revs.push(a),
        }
    }
    let (old, new) = match revs.as_slice() {
        [old] => (
            history::surface_at(root, old, baseline)?,
            history::working_surface(root)?,
        ),
        [old, new] => (
            history::surface_at(root, old, baseline)?,
            history::surface_at(root, new, baseline)?,
        ),
        _ => return Err(format!("name one revision, or two\n{USAGE}")),
    };
    let report = changes::Report::new(old.1, new.1, changes::changes(&old.0, &new.0));
    let text = if json {
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
    } else {
        report.render()
    };
    // A reader that stops early (`| head`) is not an error.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
    Ok(())
}

fn model_dump(root: &Path) -> Result<(), String> {
    let spec = codegen::load_spec(&root.join("api-spec")).map_err(|e| e.to_string())?;
    let model = codegen::lower(&spec).map_err(|e| e.to_string())?;
    print!("{}", codegen::model_json(&model));
    Ok(())
}

fn codegen(spec: &Path, root: &Path, check: bool) -> Result<(), String> {
    let files = codegen::generate(spec).map_err(|e| e.to_string())?;
    let plan = files::plan(root, &files).map_err(|e| e.to_string())?;
    if check {
        if plan.is_empty() {
            return Ok(());
        }
        let mut msg = String::from("generated code is stale:\n");
        for change in &plan {
            msg.push_str(&format!("  {change}\n"));
        }
        msg.push_str("run `cargo xtask codegen` and commit the result");
        return Err(msg);
    }
    for change in &plan {
        change.apply(root).map_err(|e| e.to_string())?;
        println!("{change}");
    }
    println!("{} file(s) generated, {} changed", files.len(), plan.len());
    Ok(())
}
