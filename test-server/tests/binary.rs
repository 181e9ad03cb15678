//! The binary, as another language's test suite runs it: `--port 0 --mode stateful --fixture FILE` prints the
//! endpoint on its first line and serves the seeded account; bad arguments exit with status 2 and the usage.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_domain-sdk-test-server");

/// Kills the child when the test ends, passing or not.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_serves_a_seeded_account() {
    let fixture = std::env::temp_dir().join(format!("domain-sdk-test-server-{}.yaml", std::process::id()));
    std::fs::write(&fixture, "domains: [{name: seeded.com, remark: from the fixture}]\n").unwrap();
    let mut child = Running(
        Command::new(BIN)
            .args(["--port", "0", "--mode", "stateful", "--fixture"])
            .arg(&fixture)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut first = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let _ = std::fs::remove_file(&fixture);
    let endpoint = first
        .strip_prefix("listening on ")
        .and_then(|rest| rest.strip_suffix(" (AccessKey testid / testsecret)\n"))
        .unwrap_or_else(|| panic!("first line: {first:?}"));
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");

    let client = domain_sdk::Client::builder()
        .endpoint(endpoint)
        .credentials(domain_sdk::Credentials::new("testid", "testsecret"))
        .build()
        .unwrap();
    let seeded = client
        .query_domain_by_domain_name()
        .domain_name("seeded.com")
        .send()
        .await
        .unwrap();
    assert_eq!(seeded.remark.as_deref(), Some("from the fixture"));
}

#[test]
fn bad_arguments_exit_2_with_the_usage() {
    for args in [
        &["--mode", "wild"][..],
        &["--fixture", "/nonexistent/fixture.yaml"],
        &["--port", "x"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("usage: domain-sdk-test-server"), "{args:?}: {err}");
    }
}
