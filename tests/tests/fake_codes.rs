//! The test server's table of codes (`domain_sdk_test_server::Code`) against the spec: every row is documented
//! where it says, with its status and message, and the one row no source documents is the one the guide names.

use e2e::codes::Source;
use e2e::{spec, Code};

#[test]
fn every_row_of_the_fakes_table_is_documented_where_it_says() {
    let spec = spec();
    let mut problems = Vec::new();
    let mut undocumented = Vec::new();
    for code in Code::ALL {
        let row = code.info();
        let mut messages = Vec::new();
        for source in row.sources {
            match source {
                Source::Global => match spec
                    .appendix
                    .global_errors
                    .iter()
                    .find(|global| global.code == row.code)
                {
                    Some(global) => {
                        if global.http_status != row.http_status {
                            problems.push(format!("{}: §6.1 says HTTP {}", row.code, global.http_status));
                        }
                        messages.push(global.message.clone());
                    }
                    None => problems.push(format!("{}: not in §6.1", row.code)),
                },
                Source::Errors(action) => {
                    let documented = spec
                        .actions
                        .iter()
                        .find(|candidate| candidate.name == *action)
                        .and_then(|found| found.errors.iter().find(|error| error.code == row.code));
                    match documented {
                        Some(error) => {
                            if error.http_status.is_some_and(|status| status != row.http_status) {
                                problems.push(format!("{}: {action} documents HTTP {:?}", row.code, error.http_status));
                            }
                            messages.extend(error.message.clone());
                        }
                        None => problems.push(format!("{}: not among the errors of {action}", row.code)),
                    }
                }
                Source::Example(action) => {
                    let Some(found) = spec.actions.iter().find(|candidate| candidate.name == *action) else {
                        problems.push(format!("{}: no action {action}", row.code));
                        continue;
                    };
                    let quoted = format!("\"{}\"", row.code);
                    let shown = found.example_response.contains(&quoted)
                        || found
                            .error_examples
                            .iter()
                            .any(|example| example.body.contains(&quoted));
                    if !shown {
                        problems.push(format!("{}: not in the examples of {action}", row.code));
                    }
                    messages.push(row.message.to_owned());
                }
                Source::Undocumented(why) => {
                    assert!(!why.is_empty());
                    undocumented.push(row.code);
                }
            }
        }
        if !messages.is_empty() && !messages.iter().any(|message| message == row.message) {
            problems.push(format!(
                "{}: the message is none of the documented ones: {messages:?}",
                row.code
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(undocumented, ["InvalidTimeStamp.Expired"]);
    let guide = std::fs::read_to_string(e2e::workspace_root().join("test-server/docs/testing.md")).unwrap();
    assert!(guide.contains("`InvalidTimeStamp.Expired` is the table's one row no source documents"));
}
