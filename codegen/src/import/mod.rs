//! Import: an action of an OpenAPI metadata document written as the spec's own YAML, ready for review; or
//! merged into an existing action file, adding what is missing and reporting what disagrees.
//!
//! Pure functions of their inputs; `cargo xtask spec import` reads and writes the files.

mod example;
mod from_metadata;
mod go_sdk;
mod merge;
mod yaml;

use serde_json::Value as Json;

use example::*;
use from_metadata::*;
use go_sdk::*;
pub use merge::merge_action;
use yaml::*;

use crate::metadata::{self, Api, DocValue, Document, Schema, UpType};
use crate::spec::{self, ScalarType};

/// Where an import's response shape comes from when the document has none.
#[derive(Debug, Clone, Copy)]
pub struct GoSdk<'a> {
    /// The file's name, recorded in `source.response`.
    pub name: &'a str,
    /// The parsed file (`{"actions": {Name: {"response": {...}}}}`).
    pub data: &'a Json,
}

/// What the import made of an action.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The action file's YAML (a new file), or the merged file.
    pub yaml: String,
    /// What the maintainer should know: what the document lacked, what was assumed.
    pub notes: Vec<String>,
    /// For a merge: what was added (`request.Tag.N.Key`, `response.Data.Domain[].Tag`).
    pub added: Vec<String>,
    /// For a merge: where the existing file and the document disagree (left as the file has it).
    pub conflicts: Vec<String>,
}

/// A request parameter in the spec's terms.
#[derive(Debug, Clone)]
pub(super) struct Param {
    pub(super) name: String,
    pub(super) ty: &'static str,
    pub(super) item_type: Option<&'static str>,
    pub(super) required: bool,
    pub(super) example: Option<String>,
    pub(super) description: Option<String>,
    pub(super) default: Option<String>,
    pub(super) values: Vec<DocValue>,
    pub(super) body: bool,
    pub(super) deprecated: bool,
}

/// A response field in the spec's terms.
#[derive(Debug, Clone)]
pub(super) struct Field {
    pub(super) name: String,
    pub(super) word: &'static str,
    pub(super) item_type: Option<&'static str>,
    pub(super) wrapper: Option<String>,
    pub(super) fields: Option<Vec<Field>>,
    pub(super) example: Option<String>,
    pub(super) description: Option<String>,
    pub(super) values: Vec<DocValue>,
}

impl Field {
    /// A String field of that name, nothing else said.
    fn named(name: &str) -> Field {
        Field {
            name: name.to_owned(),
            word: "String",
            item_type: None,
            wrapper: None,
            fields: None,
            example: None,
            description: None,
            values: Vec::new(),
        }
    }
}

/// Imports `action` from `doc` (the file `doc_name`, snapshot `snapshot`) as a new spec file. Without a
/// response schema in the document, the response comes from `go_sdk` when given (an error otherwise: the
/// import never invents a response).
///
/// # Errors
/// The action is not in the document, or its response has no source.
pub fn import_action(
    doc: &Document,
    doc_name: &str,
    snapshot: &str,
    action: &str,
    go_sdk: Option<GoSdk<'_>>,
) -> Result<Imported, String> {
    let api = doc
        .apis
        .get(action)
        .ok_or_else(|| format!("'{action}' is not in {doc_name}"))?;
    let mut notes = Vec::new();
    let request = params(api, &mut notes);
    let (response, response_from) = response_of(api, action, go_sdk, doc_name, &mut notes)?;
    let (example, built) = match api.json_example() {
        Some(e) if serde_json::from_str::<serde_json::Map<String, Json>>(&e).is_ok() => (e, false),
        _ => {
            notes.push(format!(
                "example_response: {doc_name} publishes none; built from the response schema (stand-in values)"
            ));
            let e = serde_json::to_string_pretty(&built_example(&response)).unwrap_or_default();
            (e, true)
        }
    };
    let summary = text(&api.summary).or_else(|| text(&api.title));
    if summary.is_none() {
        notes.push(format!("summary: {doc_name} has none; write one"));
    }
    let mut methods = api.http_methods();
    if methods.is_empty() {
        notes.push("methods: the document names none; GET and POST assumed".to_owned());
        methods = vec![spec::HttpMethod::Get, spec::HttpMethod::Post];
    }
    let idempotent = match api.operation_type.as_deref() {
        Some("read") => true,
        Some(_) => false,
        None => {
            notes.push(format!(
                "idempotent: {doc_name} has no operationType; false assumed (confirm: true only if a retry is harmless)"
            ));
            false
        }
    };
    if api.operation_type.as_deref().is_some_and(|t| t != "read") {
        notes.push(format!(
            "idempotent: operationType is `{}`; false proposed (confirm)",
            api.operation_type.as_deref().unwrap_or_default()
        ));
    }

    let mut w = Writer::default();
    w.line(0, &format!("name: {}", scalar(action)));
    w.line(0, "source:");
    w.line(2, &format!("metadata: {}", scalar(doc_name)));
    w.line(2, &format!("snapshot: {}", quoted(snapshot)));
    if let Some(r) = &response_from {
        w.line(2, &format!("response: {}", scalar(r)));
    }
    w.line(2, &format!("example: {}", if built { "built" } else { "metadata" }));
    if api.deprecated {
        w.line(0, "deprecated: true");
    }
    w.prose(
        0,
        "summary",
        &summary.unwrap_or_else(|| format!("(no summary in {doc_name})")),
    );
    if let Some(d) = text(&api.description) {
        w.prose(0, "description", &d);
    }
    let words: Vec<&str> = methods.iter().map(|m| m.as_str()).collect();
    w.line(0, &format!("methods: [{}]", words.join(", ")));
    w.line(0, &format!("idempotent: {idempotent}"));
    if !notes.is_empty() {
        w.line(0, "notes:");
        for n in &notes {
            w.item_scalar(2, &format!("import: {n}"));
        }
    }
    if !request.is_empty() {
        w.line(0, "request:");
        for p in &request {
            write_param(&mut w, 2, p);
        }
    }
    w.line(0, "response:");
    for f in &response {
        write_field(&mut w, 2, f);
    }
    w.key(0, "example_response", &example);
    Ok(Imported {
        yaml: w.out,
        notes,
        added: Vec::new(),
        conflicts: Vec::new(),
    })
}

pub(super) fn response_of(
    api: &Api,
    action: &str,
    go_sdk: Option<GoSdk<'_>>,
    doc_name: &str,
    notes: &mut Vec<String>,
) -> Result<(Vec<Field>, Option<String>), String> {
    if let Some(schema) = api.response_schema().filter(|s| !s.properties.0.is_empty()) {
        return Ok((fields(schema, notes, "response"), None));
    }
    let go = go_sdk.ok_or_else(|| {
        format!("{doc_name} has no response for '{action}': name another source (--response-from go-sdk)")
    })?;
    let tree = go.data["actions"][action]["response"].clone();
    if !tree.is_object() {
        return Err(format!("{} has no response for '{action}' either", go.name));
    }
    notes.push(format!(
        "response: {doc_name} has none; taken from {} (which shares structures between actions: check each field)",
        go.name
    ));
    Ok((go_fields(&tree, notes, "response"), Some(go.name.to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_written() {
        for s in [
            "plain",
            "5.17",
            "true",
            "a: b",
            "- item",
            "x #y",
            "中文：说明。",
            "",
            "New gTLD",
            "1e5",
            "line\nbreak",
        ] {
            let yaml = format!("k: {}\n", scalar(s));
            let v: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(v["k"].as_str(), Some(s), "{yaml}");
        }
    }

    #[test]
    fn literal_blocks_read_back() {
        for text in [
            "{\n  \"RequestId\": \"x\",\n\n  \"A\": [1]\n}",
            "{\n  \"A\": 1\n}\n",
            "line one\n   \nline three",
            "  indented first\nsecond",
            "\nstarts empty\n",
            "two newlines\n\n",
            "carriage\r\nreturn",
        ] {
            let mut w = Writer::default();
            w.key(2, "example_response", text);
            let v: serde_yaml::Value = serde_yaml::from_str(&format!("a:\n{}", w.out)).unwrap();
            assert_eq!(v["a"]["example_response"].as_str(), Some(text), "{}", w.out);
        }
    }
}
