//! The workspace's end-to-end tests' shared helpers (not published): the generated per-action cases, JSON
//! comparison, the raw TCP and instance-metadata fakes, a log sink, the spec — and, re-exported, everything of the
//! test server, so a test names one crate.
#![deny(missing_docs)]

/// An in-memory log sink (`std::io::Write`), shared by its clones: hand one to a tracing subscriber's writer and
/// read what the SDK logged with [`Captured::text`].
#[derive(Clone, Default)]
pub struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The README's Rust examples, compiled as doc tests of this crate (which depends on `domain-sdk` and `tokio`, as
/// the README tells a first program to).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;

/// A metadata endpoint where nothing listens: a default chain built with it is refused at once at its ECS step,
/// so no test reaches the real 100.100.100.200.
pub const NO_IMDS: &str = "http://127.0.0.1:9";

/// An INI credentials file that does not exist, for default chains that must not read the home folder's.
pub fn no_credentials_file() -> std::path::PathBuf {
    std::env::temp_dir().join("domain-sdk-test-no-such-credentials-file")
}

pub mod compare;
pub mod imds;
pub mod raw;

mod generated {
    #[rustfmt::skip]
    pub mod cases;
}

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::OnceLock;

pub use domain_sdk_test_server::*;
pub use generated::cases::CASES;

/// A call's decoded output, re-serialized to JSON for comparison.
pub type CallFuture<'a> = Pin<Box<dyn Future<Output = Result<serde_json::Value, domain_sdk::Error>> + 'a>>;

/// One action's generated test hooks.
pub struct Case {
    /// The action's name.
    pub action: &'static str,
    /// Its API version.
    pub version: &'static str,
    /// Decodes a JSON body into the action's output type and serializes it back.
    pub decode: fn(&str) -> Result<serde_json::Value, String>,
    /// Calls the action with every parameter set from the spec's examples.
    pub call: for<'a> fn(&'a domain_sdk::Client) -> CallFuture<'a>,
    /// Reads wire parameters back into the action's typed input and lays that out again (the mock's
    /// `when_input` path): the round trip gives back what was sent.
    pub read_back: fn(&[(String, String)]) -> ReadBack,
}

/// Wire parameters read back into a typed input and laid out again, in order; or why they did not read back.
pub type ReadBack = Result<Vec<(String, String)>, String>;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// The spec, loaded once.
///
/// # Panics
/// If the committed spec does not validate.
pub fn spec() -> &'static codegen::Spec {
    static SPEC: OnceLock<codegen::Spec> = OnceLock::new();
    SPEC.get_or_init(|| codegen::load_spec(&workspace_root().join("api-spec")).unwrap_or_else(|e| panic!("{e}")))
}
