//! `cargo xtask`: the workspace's task runner — regenerate the SDK, check it is fresh, dump the spec and model.

use xtask::files;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask codegen           regenerate domain-sdk/src/generated/, its features in domain-sdk/Cargo.toml,
                                test-server/src/generated/, tests/src/generated/ and codegen/model.json
                                from api-spec/
  cargo xtask codegen --check   fail, naming each file, when the committed generated code is stale
  cargo xtask spec dump         print the normalized spec as JSON
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
