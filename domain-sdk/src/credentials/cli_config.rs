//! Writing refreshed tokens back into the aliyun CLI's `config.json` without ever leaving a broken or half-merged
//! file: one profile's fields change, under an exclusive lock, through a temporary file and an atomic rename.
//!
//! The steps, and why each is there:
//! 1. Lock `config.json` itself, exclusively (`flock` on Unix, `LockFileEx` on Windows — what credentials-go and
//!    credentials-python lock, so the three cooperate), waiting two seconds at most: a lock someone keeps never
//!    holds up credentials. A lock taken on a file that another writer has just replaced by a rename locks
//!    nothing (on Windows too, where a rename may replace an open file): the lock is retaken until the locked
//!    file is the one at the path.
//! 2. Read the file again under the lock, so that no other writer's change made since it was first read is
//!    lost; change only the named fields of the named profile, keeping every other key, profile and the order
//!    of keys as they were (the CLI and other tools write keys this SDK does not know).
//! 3. Write the whole file to a temporary file in the same folder (created readable by its owner only, then given
//!    the original's permissions), flush it to disk, and rename it over `config.json` (atomic on one file
//!    system): a reader sees the old file or the new one, never a part. A symbolic link at the path is followed,
//!    so the link stays. A file another user owns (a program run with `sudo` and the user's home) is left
//!    alone: replacing it would take it from its owner.
//! 4. Unlock only after the rename.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap as _, SerializeSeq as _, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A JSON value whose objects keep their keys in file order (serde_json's own map sorts them).
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    Scalar(Value),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NodeVisitor;
        impl<'de> Visitor<'de> for NodeVisitor {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Node>()? {
                    entries.push((key, value));
                }
                Ok(Node::Object(entries))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Node>()? {
                    items.push(item);
                }
                Ok(Node::Array(items))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
                Ok(Node::Scalar(Value::Bool(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Scalar(Value::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
                Ok(Node::Scalar(Value::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
                Ok(Node::Scalar(Value::from(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Scalar(Value::String(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
                Ok(Node::Scalar(Value::String(v)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Scalar(Value::Null))
            }
            fn visit_none<E: de::Error>(self) -> Result<Node, E> {
                Ok(Node::Scalar(Value::Null))
            }
        }
        deserializer.deserialize_any(NodeVisitor)
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Node::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Scalar(v) => v.serialize(serializer),
        }
    }
}

/// Sets `fields` on profile `profile` of the `config.json` at `path`, as the module's text describes. The
/// profile must exist (a write-back never creates one); the error says why nothing was written.
pub(crate) fn write_back(path: &Path, profile: &str, fields: &[(&str, Value)]) -> Result<(), String> {
    // Follow a symbolic link: the rename replaces the file it points to, and the link stays.
    let path = std::fs::canonicalize(path).map_err(|e| format!("cannot find {}: {e}", path.display()))?;
    let locked = lock(&path)?;
    let result = rewrite(&path, &locked, profile, fields);
    drop(locked);
    result
}

/// How long a write-back waits for the lock on the file before giving up (logged; the credentials are used).
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Opens and exclusively locks the file at `path`, waiting [`LOCK_WAIT`] at most, and retrying while a rename
/// replaced it between the open and the lock (then the lock is on a file no longer at the path, and protects
/// nothing).
fn lock(path: &Path) -> Result<File, String> {
    let deadline = std::time::Instant::now() + LOCK_WAIT;
    loop {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(format!(
                        "{} stayed locked by another program for {} s",
                        path.display(),
                        LOCK_WAIT.as_secs()
                    ))
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(format!("cannot lock {}: {e}", path.display())),
            }
        }
        if same_file(&file, path) {
            return Ok(file);
        }
        if std::time::Instant::now() >= deadline {
            return Err(format!(
                "{} kept being replaced while it was being locked",
                path.display()
            ));
        }
    }
}

/// Whether the open `file` is the one now at `path` (same device and file number, on every platform).
fn same_file(file: &File, path: &Path) -> bool {
    let (Ok(open), Ok(now)) = (
        file.try_clone().and_then(same_file::Handle::from_file),
        same_file::Handle::from_path(path),
    ) else {
        return false;
    };
    open == now
}

fn rewrite(path: &Path, mut locked: &File, profile: &str, fields: &[(&str, Value)]) -> Result<(), String> {
    let shown = path.display();
    let mut text = String::new();
    locked
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    // The parser's message names a line and column only: a file holding secrets is never quoted.
    let mut root: Node =
        serde_json::from_str(&text).map_err(|e| format!("{shown} is not valid JSON ({e}); it was left as it was"))?;
    let Node::Object(top) = &mut root else {
        return Err(format!("{shown} is not a JSON object; it was left as it was"));
    };
    let profiles = top
        .iter_mut()
        .find(|(k, _)| k == "profiles")
        .and_then(|(_, v)| match v {
            Node::Array(items) => Some(items),
            _ => None,
        })
        .ok_or_else(|| format!("{shown} has no list of profiles"))?;
    let target = profiles
        .iter_mut()
        .find_map(|p| match p {
            Node::Object(entries)
                if entries
                    .iter()
                    .any(|(k, v)| k == "name" && *v == Node::Scalar(Value::String(profile.to_owned()))) =>
            {
                Some(entries)
            }
            _ => None,
        })
        .ok_or_else(|| format!("{shown} has no profile named {profile:?} any more"))?;
    for (key, value) in fields {
        let node = Node::Scalar(value.clone());
        match target.iter_mut().find(|(k, _)| k == key) {
            Some((_, slot)) => *slot = node,
            None => target.push(((*key).to_owned(), node)),
        }
    }
    // Tab indentation, as the CLI writes the file.
    let mut out = Vec::with_capacity(text.len() + 256);
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
    root.serialize(&mut serde_json::Serializer::with_formatter(&mut out, formatter))
        .map_err(|e| format!("cannot write {shown}: {e}"))?;
    replace(path, &out, locked)
}

/// Writes `contents` to a new file beside `path` and renames it over `path`.
fn replace(path: &Path, contents: &[u8], original: &File) -> Result<(), String> {
    let shown = path.display();
    let folder = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("config.json");
    let temp: PathBuf = folder.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    let original_meta = original
        .metadata()
        .map_err(|e| format!("cannot read the permissions of {shown}: {e}"))?;
    let written = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        // Secrets go in: readable by its owner alone until it has the original's permissions.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(&temp)
            .map_err(|e| format!("cannot create a temporary file in {}: {e}", folder.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            let mine = file
                .metadata()
                .map_err(|e| format!("cannot read the temporary file: {e}"))?
                .uid();
            if mine != original_meta.uid() {
                return Err(format!(
                    "{shown} belongs to another user; it was left as it was (the file would change owner)"
                ));
            }
        }
        file.set_permissions(original_meta.permissions())
            .map_err(|e| format!("cannot set the temporary file's permissions: {e}"))?;
        file.write_all(contents)
            .and_then(|()| file.sync_all())
            .map_err(|e| format!("cannot write the temporary file: {e}"))?;
        drop(file);
        std::fs::rename(&temp, path).map_err(|e| format!("cannot replace {shown}: {e}"))?;
        // The rename itself made durable (a crash now leaves the new file, not the old one or none).
        #[cfg(unix)]
        if let Ok(dir) = File::open(folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("domain-sdk-cli-config-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    const FILE: &str = r#"{
	"current": "sso",
	"profiles": [
		{"name": "sso", "mode": "OAuth", "zeta": 1, "oauth_access_token": "old", "alpha": [1, {"b": 2, "a": 1}]},
		{"name": "other", "mode": "AK", "access_key_id": "id", "unknown_key": true}
	],
	"meta_path": ""
}"#;

    #[test]
    fn one_profile_changes_and_everything_else_stays_in_order() {
        let dir = temp_dir();
        let path = dir.join("config.json");
        std::fs::write(&path, FILE).unwrap();
        write_back(
            &path,
            "sso",
            &[
                ("oauth_access_token", Value::from("new")),
                ("sts_expiration", Value::from(42)),
            ],
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let again: Node = serde_json::from_str(&text).unwrap();
        let expected: Node = serde_json::from_str(
            &FILE
                .replace(r#""oauth_access_token": "old""#, r#""oauth_access_token": "new""#)
                .replace(r#"{"b": 2, "a": 1}]}"#, r#"{"b": 2, "a": 1}], "sts_expiration": 42}"#),
        )
        .unwrap();
        assert_eq!(again, expected, "{text}");
        assert!(text.contains("\n\t\"current\""), "tab-indented: {text}");
        // Nothing left beside it.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    }

    #[test]
    fn a_broken_file_or_a_missing_profile_is_left_alone() {
        let dir = temp_dir();
        let path = dir.join("config.json");
        std::fs::write(&path, FILE).unwrap();
        let err = write_back(&path, "gone", &[("x", Value::from(1))]).unwrap_err();
        assert!(err.contains("no profile named \"gone\""), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), FILE);
        std::fs::write(&path, "{\"current\": \"sso\", \"secret-ish\": ").unwrap();
        let err = write_back(&path, "sso", &[("x", Value::from(1))]).unwrap_err();
        assert!(err.contains("not valid JSON") && !err.contains("secret-ish"), "{err}");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn permissions_and_a_symbolic_link_survive() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = temp_dir();
        let real = dir.join("real.json");
        std::fs::write(&real, FILE).unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.join("config.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_back(&link, "other", &[("access_key_id", Value::from("id2"))]).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o600);
        assert!(std::fs::read_to_string(&real).unwrap().contains("\"id2\""));
    }

    const WRITES: usize = 15;
    const CHILD: &str = "DOMAIN_SDK_WRITE_BACK_CHILD";

    /// Writer `who`: `WRITES` write-backs to its own profile, each adding a key of its own.
    fn write_many(path: &Path, who: &str) {
        for n in 0..WRITES {
            write_back(
                path,
                who,
                &[(&format!("write_{n}"), Value::from(n)), ("last", Value::from(n))],
            )
            .unwrap();
        }
    }

    /// Three processes and three threads write to one file at once: each write is a read-modify-write of the
    /// whole file, so a lost update would lose another writer's key.
    #[test]
    fn concurrent_writers_in_threads_and_processes_lose_nothing() {
        if let Ok(job) = std::env::var(CHILD) {
            let (path, who) = job.split_once('|').unwrap();
            write_many(Path::new(path), who);
            return;
        }
        let dir = temp_dir();
        let path = dir.join("config.json");
        let writers: Vec<String> = (0..6).map(|i| format!("w{i}")).collect();
        let profiles: Vec<String> = writers
            .iter()
            .map(|w| format!(r#"{{"name": "{w}", "mode": "OAuth", "keep": "{w}"}}"#))
            .collect();
        std::fs::write(
            &path,
            format!(r#"{{"current": "w0", "profiles": [{}]}}"#, profiles.join(",")),
        )
        .unwrap();
        let children: Vec<_> = writers[..3]
            .iter()
            .map(|w| {
                std::process::Command::new(std::env::current_exe().unwrap())
                    .args([
                        "--exact",
                        "credentials::cli_config::tests::concurrent_writers_in_threads_and_processes_lose_nothing",
                    ])
                    .env(CHILD, format!("{}|{w}", path.display()))
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        std::thread::scope(|scope| {
            for w in &writers[3..] {
                let path = &path;
                scope.spawn(move || write_many(path, w));
            }
        });
        for mut child in children {
            assert!(child.wait().unwrap().success());
        }
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for w in &writers {
            let p = file["profiles"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == **w)
                .unwrap();
            assert_eq!(p["keep"], **w);
            assert_eq!(p["last"], WRITES - 1);
            for n in 0..WRITES {
                assert_eq!(p[format!("write_{n}")], n, "{w} lost write {n}: {p}");
            }
        }
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left");
    }

    /// A lock that another holder keeps is waited for two seconds at most; the file is left as it was.
    #[test]
    fn a_lock_kept_by_someone_else_gives_up_after_a_while() {
        let dir = temp_dir();
        let path = dir.join("config.json");
        std::fs::write(&path, FILE).unwrap();
        let holder = File::open(&path).unwrap();
        holder.lock().unwrap();
        let started = std::time::Instant::now();
        let err = write_back(&path, "sso", &[("x", Value::from(1))]).unwrap_err();
        assert!(err.contains("stayed locked by another program"), "{err}");
        assert!(started.elapsed() >= LOCK_WAIT);
        holder.unlock().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), FILE);
        write_back(&path, "sso", &[("x", Value::from(1))]).unwrap();
    }
}
