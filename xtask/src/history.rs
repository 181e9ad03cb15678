//! Past revisions of the workspace read from git, without touching the work tree or the index: a revision's
//! committed model snapshot or its spec, as the public API surface `cargo xtask spec changes` compares.

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::{Command, Stdio};

use codegen::changes::Surface;

use crate::files::MODEL_SNAPSHOT;

/// What a revision's surface is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    /// The revision's committed `codegen/model.json`: what that revision's generator made of its spec, so generator
    /// changes show as well as spec changes (the default).
    Snapshot,
    /// The revision's `api-spec/` lowered by today's generator: what the spec change alone did.
    Spec,
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        String::from_utf8(output.stdout).map_err(|e| format!("git {}: not UTF-8: {e}", args.join(" ")))
    } else {
        Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// Why `root` has no history to read, or `None` when it is the top level of a git work tree with full history.
/// A copy of the files (CI's isolated copy) or a folder inside another repository has none; a shallow clone has
/// only part of it.
pub fn unavailable(root: &Path) -> Option<String> {
    let top = match git(root, &["rev-parse", "--show-toplevel"]) {
        Ok(top) => top,
        Err(e) => return Some(format!("{} is not a git checkout ({e})", root.display())),
    };
    let same = |a: &Path, b: &Path| a.canonicalize().ok().is_some_and(|a| b.canonicalize().ok() == Some(a));
    if !same(Path::new(top.trim()), root) {
        return Some(format!(
            "{} is not the top level of a git checkout (git found {}): a copy of the files has no history",
            root.display(),
            top.trim()
        ));
    }
    match git(root, &["rev-parse", "--is-shallow-repository"]) {
        Ok(s) if s.trim() == "false" => None,
        Ok(_) => Some(format!(
            "{} is a shallow clone: its history is cut (git fetch --unshallow)",
            root.display()
        )),
        Err(e) => Some(e),
    }
}

/// The commit a revision names, as its full hash.
pub fn resolve(root: &Path, rev: &str) -> Result<String, String> {
    if rev.starts_with('-') {
        return Err(format!("'{rev}' is not a revision"));
    }
    let spec = format!("{rev}^{{commit}}");
    git(root, &["rev-parse", "--verify", "--quiet", &spec])
        .map(|h| h.trim().to_owned())
        .map_err(|_| match unavailable(root) {
            Some(why) => format!("unknown revision '{rev}': {why}"),
            None => format!("unknown revision '{rev}'"),
        })
}

/// `89f80ba (subject…)`: a commit as people recognize it.
pub fn describe(root: &Path, hash: &str) -> String {
    let Ok(line) = git(root, &["log", "-1", "--format=%h %s", hash]) else {
        return hash.to_owned();
    };
    let (short, subject) = line.trim().split_once(' ').unwrap_or((line.trim(), ""));
    let mut cut: String = subject.chars().take(60).collect();
    if cut.len() < subject.len() {
        cut.push('…');
    }
    format!("{short} ({cut})")
}

/// The files under `dir` at a commit whose names end with one of `extensions`, as (path relative to `dir`, text),
/// sorted by path; read in one `git cat-file --batch`.
pub fn files_at(root: &Path, hash: &str, dir: &str, extensions: &[&str]) -> Result<Vec<(String, String)>, String> {
    let listing = git(root, &["ls-tree", "-r", "-z", "--full-tree", hash, "--", dir])?;
    let prefix = format!("{dir}/");
    let mut wanted: Vec<(String, String)> = Vec::new();
    for entry in listing.split('\0').filter(|e| !e.is_empty()) {
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (_, kind, object) = (meta.next(), meta.next(), meta.next());
        if kind != Some("blob") || !extensions.iter().any(|e| path.ends_with(e)) {
            continue;
        }
        if let (Some(object), Some(rel)) = (object, path.strip_prefix(&prefix)) {
            wanted.push((rel.to_owned(), object.to_owned()));
        }
    }
    wanted.sort();
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let request: String = wanted.iter().map(|(_, object)| format!("{object}\n")).collect();
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .expect("piped")
        .read_to_end(&mut out)
        .map_err(|e| format!("git cat-file: {e}"))?;
    let _ = writer.join();
    let status = child.wait().map_err(|e| format!("git cat-file: {e}"))?;
    if !status.success() {
        return Err(format!("git cat-file --batch failed ({status})"));
    }
    let mut files = Vec::new();
    let mut rest = out.as_slice();
    for (path, _) in wanted {
        let header_end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("git cat-file: truncated output")?;
        let header = String::from_utf8_lossy(&rest[..header_end]).into_owned();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("git cat-file: unexpected header '{header}'"))?;
        let body = rest
            .get(header_end + 1..header_end + 1 + size)
            .ok_or("git cat-file: truncated output")?;
        let text = String::from_utf8(body.to_vec()).map_err(|e| format!("{dir}/{path} at {hash}: {e}"))?;
        files.push((path, text));
        rest = rest.get(header_end + 2 + size..).unwrap_or_default();
    }
    Ok(files)
}

/// The public API surface at a revision, and how the report names it.
pub fn surface_at(root: &Path, rev: &str, baseline: Baseline) -> Result<(Surface, String), String> {
    let hash = resolve(root, rev)?;
    let name = describe(root, &hash);
    match baseline {
        Baseline::Snapshot => {
            let path = format!("{hash}:{MODEL_SNAPSHOT}");
            let snapshot = git(root, &["show", &path]).map_err(|_| {
                format!(
                    "{name} has no {MODEL_SNAPSHOT} (it predates the model snapshot): compare its spec with \
                     --from-spec"
                )
            })?;
            let surface = Surface::from_snapshot(&snapshot).map_err(|e| format!("{MODEL_SNAPSHOT} at {name}: {e}"))?;
            Ok((surface, format!("{name}, its {MODEL_SNAPSHOT}")))
        }
        Baseline::Spec => {
            let sources = files_at(root, &hash, "api-spec", &[".yaml", ".yml"])?;
            let spec = codegen::load::load_sources(&sources).map_err(|e| {
                let mut first: Vec<String> = e.0.iter().take(5).map(ToString::to_string).collect();
                if e.0.len() > first.len() {
                    first.push(format!("… {} problem(s) in all", e.0.len()));
                }
                format!(
                    "the spec at {name} does not load with today's loader (compare its committed \
                     {MODEL_SNAPSHOT} instead: leave out --from-spec):\n{}",
                    first.join("\n")
                )
            })?;
            let model = codegen::lower(&spec).map_err(|e| format!("the spec at {name}: {e}"))?;
            Ok((
                Surface::of(&model),
                format!("{name}, its api-spec/ lowered by today's generator"),
            ))
        }
    }
}

/// The working tree's surface: its `api-spec/` lowered by today's generator (what `cargo xtask codegen` writes).
pub fn working_surface(root: &Path) -> Result<(Surface, String), String> {
    let spec = codegen::load_spec(&root.join("api-spec")).map_err(|e| e.to_string())?;
    let model = codegen::lower(&spec).map_err(|e| e.to_string())?;
    Ok((
        Surface::of(&model),
        "the working tree (api-spec/ lowered now)".to_owned(),
    ))
}
