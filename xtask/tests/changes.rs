//! `cargo xtask spec changes` on this repository's own history: a revision against itself changes nothing, and the
//! Issue 25 commit shows its breaking changes (value sets that became `bool`, a renamed enum) beside its additive
//! ones (`DomainKnowledgeRetrieve`, `ExpectedPunycode`). Where there is no history (CI runs the tests in a copy of
//! the files without `.git`; a shallow clone) those tests skip, saying why on stderr; the rest always run.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use codegen::changes::{self, Surface};
use xtask::{files, history};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Whether the repository's history is here; if not, says so where the test harness does not swallow it.
fn history_or_skip(test: &str) -> bool {
    match history::unavailable(&root()) {
        None => true,
        Some(why) => {
            let _ = writeln!(std::io::stderr(), "SKIPPED {test}: needs the git history: {why}");
            false
        }
    }
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "xtask failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn a_revision_against_itself_changes_nothing() {
    if !history_or_skip("a_revision_against_itself_changes_nothing") {
        return;
    }
    let text = stdout(&xtask(&["spec", "changes", "HEAD", "HEAD"]));
    assert!(
        text.ends_with("0 change(s): 0 breaking, 0 additive\nverdict: none\n"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&xtask(&["spec", "changes", "HEAD", "HEAD", "--json"]))).unwrap();
    assert_eq!(json["verdict"], "none");
    assert_eq!(json["changes"], serde_json::json!([]));
    // HEAD's spec, read from git and lowered by today's generator, against itself (unless the work tree's loader
    // has moved on from HEAD's spec: a change not committed yet).
    let output = xtask(&["spec", "changes", "HEAD", "HEAD", "--from-spec"]);
    let err = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() && err.contains("does not load with today's loader") {
        let _ = writeln!(std::io::stderr(), "SKIPPED --from-spec on HEAD: {err}");
        return;
    }
    let text = stdout(&output);
    assert!(text.contains("its api-spec/ lowered by today's generator"), "{text}");
    assert!(text.ends_with("verdict: none\n"), "{text}");
}

#[test]
fn the_issue_25_commit_is_breaking_where_value_sets_became_bool() {
    if !history_or_skip("the_issue_25_commit_is_breaking_where_value_sets_became_bool") {
        return;
    }
    let subject = "Issue 25: prelude-safe type names";
    let found = Command::new("git")
        .arg("-C")
        .arg(root())
        .args(["log", "--format=%H", "--fixed-strings", "--grep", subject])
        .output()
        .expect("git runs");
    let commits = String::from_utf8(found.stdout).unwrap();
    let commit = commits
        .lines()
        .next()
        .unwrap_or_else(|| panic!("no commit '{subject}…' in a full history: was it rewritten?"));
    let before = format!("{commit}^");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&xtask(&["spec", "changes", &before, commit, "--json"]))).unwrap();
    let lines: Vec<String> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{} {} {} {}", c["verdict"], c["kind"], c["item"], c["rule"]).replace('"', ""))
        .collect();
    assert_eq!(
        lines,
        [
            "breaking became_bool operation::change_resource_group::ChangeResourceGroupOutput::result became_bool",
            "breaking removed operation::change_resource_group::Result removed",
            "breaking became_bool operation::check_domain::CheckDomainOutput::premium became_bool",
            "breaking removed operation::check_domain::Premium removed",
            "breaking renamed operation::check_domain_sunrise_claim::Result renamed",
            "additive added operation::domain_knowledge_retrieve new_action",
            "additive added operation::save_single_task_for_creating_order_activate::\
             SaveSingleTaskForCreatingOrderActivateFluentBuilder::expected_punycode new_optional_parameter",
        ]
    );
    assert_eq!(json["changes"][4]["to"], "SunriseClaimPhase");
    assert_eq!(json["verdict"], "breaking");
    let text = stdout(&xtask(&["spec", "changes", &before, commit]));
    assert!(text.ends_with("verdict: breaking (minor bump while 0.x)\n"), "{text}");
    assert!(
        text.contains("\nCheckDomain\n  breaking  became bool   field           operation::check_domain::CheckDomainOutput::premium: Premium -> bool  [became_bool]\n"),
        "{text}"
    );
}

#[test]
fn the_committed_snapshot_reads_as_the_spec_lowers() {
    // What a past revision's side is read from (its snapshot) agrees with what the working tree's side is made
    // from (the model), on the whole spec: no git needed.
    let snapshot = std::fs::read_to_string(root().join(files::MODEL_SNAPSHOT)).unwrap();
    let committed = Surface::from_snapshot(&snapshot).expect("the snapshot reads");
    let (now, _) = history::working_surface(&root()).expect("the spec lowers");
    assert!(now.actions() >= 129, "{}", now.actions());
    let found = changes::changes(&committed, &now);
    assert!(
        found.is_empty(),
        "the committed snapshot is stale (run `cargo xtask codegen`), or reads differently: {found:#?}"
    );
}

#[test]
fn an_unknown_revision_is_an_error_naming_it() {
    let output = xtask(&["spec", "changes", "no-such-revision"]);
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("unknown revision 'no-such-revision'"), "{err}");
    let output = xtask(&["spec", "changes"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("name one revision, or two"));
}
