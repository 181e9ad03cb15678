//! Import: an action of an OpenAPI metadata document written as the spec's own YAML, ready for review; or
//! merged into an existing action file, adding what is missing and reporting what disagrees.
//!
//! Pure functions of their inputs; `cargo xtask spec import` reads and writes the files.

use serde_json::Value as Json;

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
struct Param {
    name: String,
    ty: &'static str,
    item_type: Option<&'static str>,
    required: bool,
    example: Option<String>,
    description: Option<String>,
    default: Option<String>,
    values: Vec<DocValue>,
    body: bool,
    deprecated: bool,
}

/// A response field in the spec's terms.
#[derive(Debug, Clone)]
struct Field {
    name: String,
    word: &'static str,
    item_type: Option<&'static str>,
    wrapper: Option<String>,
    fields: Option<Vec<Field>>,
    example: Option<String>,
    description: Option<String>,
    values: Vec<DocValue>,
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

/// The document's summary or title, and its description, cleaned of the API Explorer's markup.
fn clean(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim_end();
        // `<props="china">…</props>`: site-specific text; keep it, drop the tags.
        let line = strip_tags(line);
        out.push_str(&line);
        out.push('\n');
    }
    out.trim().to_owned()
}

fn strip_tags(line: &str) -> String {
    let mut s = line.to_owned();
    for tag in ["<props=\"china\">", "<props=\"intl\">", "</props>"] {
        s = s.replace(tag, "");
    }
    s
}

fn text(s: &Option<String>) -> Option<String> {
    s.as_deref().map(clean).filter(|s| !s.is_empty())
}

/// The spec's parameters of an action.
fn params(api: &Api, notes: &mut Vec<String>) -> Vec<Param> {
    let mut out = Vec::new();
    for p in api.flat_params() {
        let Some(scalar) = p.ty.scalar() else {
            notes.push(format!(
                "request.{}: the metadata types it `{}`, which a request parameter cannot be; left out",
                p.wire, p.ty
            ));
            continue;
        };
        let list = p.wire.ends_with(".N");
        let values = if scalar == ScalarType::Boolean {
            Vec::new()
        } else {
            metadata::documented_values(p.schema)
                .into_iter()
                .filter(|v| scalar.accepts(&v.value))
                .collect()
        };
        out.push(Param {
            name: p.wire.clone(),
            ty: if list { "RepeatList" } else { scalar.as_str() },
            item_type: (list && scalar != ScalarType::String).then(|| scalar.as_str()),
            required: p.required,
            example: p.schema.example.clone().filter(|e| scalar.accepts(e) && !e.is_empty()),
            description: text(&p.schema.description).or_else(|| text(&p.parameter.schema.description)),
            default: p.schema.default.clone(),
            values,
            body: p.position() == "formData",
            deprecated: p.deprecated(),
        });
    }
    out
}

/// A response field from a metadata node.
fn field(name: &str, schema: &Schema, notes: &mut Vec<String>, path: &str) -> Option<Field> {
    let up = UpType {
        base: schema.ty.clone().unwrap_or_else(|| "object".to_owned()),
        format: schema.format.clone(),
    };
    let mut f = Field {
        example: schema.example.clone().filter(|e| !e.is_empty() && e != "-"),
        description: text(&schema.description),
        ..Field::named(name)
    };
    if let Some(s) = up.scalar() {
        f.word = s.as_str();
        f.example = f.example.filter(|e| s.accepts(e));
        if s != ScalarType::Boolean {
            f.values = metadata::documented_values(schema)
                .into_iter()
                .filter(|v| s.accepts(&v.value))
                .collect();
        }
        return Some(f);
    }
    f.example = None;
    match up.base.as_str() {
        "array" => {
            f.word = "Array";
            let items = schema.items.as_deref()?;
            list_items(&mut f, items, notes, path)?;
        }
        "object" => {
            // `{"Domain": [ … ]}`: a list wrapped in a one-key object.
            let props = &schema.properties.0;
            match props.as_slice() {
                [(wrapper, inner)] if inner.ty.as_deref() == Some("array") => {
                    f.word = "Array";
                    f.wrapper = Some(wrapper.clone());
                    if f.description.is_none() {
                        f.description = text(&inner.description);
                    }
                    let items = inner.items.as_deref()?;
                    list_items(&mut f, items, notes, &format!("{path}.{wrapper}"))?;
                }
                _ => {
                    f.word = "Object";
                    f.fields = Some(fields(schema, notes, path));
                }
            }
        }
        "any" => {
            f.word = "Json";
            f.description = f
                .description
                .or_else(|| Some("Untyped in the metadata (`any`).".to_owned()));
        }
        other => {
            notes.push(format!(
                "{path}: the metadata types it `{other}`, which the spec cannot say; left out"
            ));
            return None;
        }
    }
    Some(f)
}

fn list_items(f: &mut Field, items: &Schema, notes: &mut Vec<String>, path: &str) -> Option<()> {
    let up = UpType {
        base: items.ty.clone().unwrap_or_else(|| "object".to_owned()),
        format: items.format.clone(),
    };
    if let Some(s) = up.scalar() {
        f.item_type = Some(s.as_str());
        return Some(());
    }
    if up.base == "object" {
        f.fields = Some(fields(items, notes, &format!("{path}[]")));
        return Some(());
    }
    if up.base == "any" {
        f.item_type = Some("Json");
        return Some(());
    }
    notes.push(format!(
        "{path}[]: items of type `{}` (a list of lists?) cannot be said in the spec; left out",
        up.base
    ));
    None
}

fn fields(schema: &Schema, notes: &mut Vec<String>, path: &str) -> Vec<Field> {
    schema
        .properties
        .0
        .iter()
        .filter_map(|(name, child)| field(name, child, notes, &format!("{path}.{name}")))
        .collect()
}

/// A response tree from the Go SDK's surface (`{"Name": "string", "List": [{…}], "Obj": {…}}`).
fn go_fields(tree: &Json, notes: &mut Vec<String>, path: &str) -> Vec<Field> {
    let Json::Object(map) = tree else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, v) in map {
        let mut f = Field::named(name);
        let here = format!("{path}.{name}");
        let typed = match v {
            Json::String(t) => go_scalar(t).map(|w| f.word = w).is_some(),
            Json::Array(items) => go_list(&mut f, items, notes, &format!("{here}[]")),
            Json::Object(inner) => match inner.iter().next() {
                // `{"Item": [ … ]}`: a list wrapped in a one-key object.
                Some((wrapper, Json::Array(items))) if inner.len() == 1 => {
                    f.wrapper = Some(wrapper.clone());
                    go_list(&mut f, items, notes, &format!("{here}.{wrapper}[]"))
                }
                _ => {
                    f.word = "Object";
                    f.fields = Some(go_fields(v, notes, &here));
                    true
                }
            },
            _ => false,
        };
        if typed {
            out.push(f);
        } else {
            notes.push(format!("{here}: {v} is not a Go type the spec can say; left out"));
        }
    }
    out
}

/// `f` as an Array of the Go SDK's `[item]`; false when the item is not typed.
fn go_list(f: &mut Field, items: &[Json], notes: &mut Vec<String>, items_path: &str) -> bool {
    f.word = "Array";
    match items.first() {
        Some(Json::String(t)) => {
            f.item_type = go_scalar(t);
            f.item_type.is_some()
        }
        Some(obj @ Json::Object(_)) => {
            f.fields = Some(go_fields(obj, notes, items_path));
            true
        }
        _ => false,
    }
}

fn go_scalar(t: &str) -> Option<&'static str> {
    Some(match t {
        "string" => "String",
        "int" | "int32" => "Integer",
        "int64" => "Long",
        "bool" => "Boolean",
        "float64" | "float32" => "Float",
        _ => return None,
    })
}

/// A JSON example built from a response tree: each field's example, else a stand-in of its type.
fn built_example(fields: &[Field]) -> Json {
    let mut map = serde_json::Map::new();
    for f in fields {
        map.insert(f.name.clone(), example_value(f));
    }
    Json::Object(map)
}

fn example_value(f: &Field) -> Json {
    let scalar = |word: &str, example: Option<&str>| -> Json {
        let ex = example.map(str::to_owned);
        match word {
            "Integer" | "Long" => Json::from(ex.and_then(|e| e.parse::<i64>().ok()).unwrap_or(0)),
            "Float" => Json::from(ex.and_then(|e| e.parse::<f64>().ok()).unwrap_or(0.0)),
            "Boolean" => Json::from(ex.map(|e| e == "true").unwrap_or(false)),
            _ => Json::from(ex.unwrap_or_else(|| {
                if f.name == "RequestId" {
                    "00000000-0000-0000-0000-000000000000".to_owned()
                } else {
                    String::new()
                }
            })),
        }
    };
    match f.word {
        "Object" => built_example(f.fields.as_deref().unwrap_or_default()),
        "Array" => {
            let item = match (&f.fields, f.item_type) {
                (Some(fields), _) => built_example(fields),
                (None, Some(t)) => scalar(t, None),
                (None, None) => Json::Null,
            };
            let list = Json::Array(vec![item]);
            match &f.wrapper {
                Some(w) => serde_json::json!({ w: list }),
                None => list,
            }
        }
        word => scalar(word, f.example.as_deref()),
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
    w.key(
        0,
        "summary",
        &summary.unwrap_or_else(|| format!("(no summary in {doc_name})")),
    );
    if let Some(d) = text(&api.description) {
        w.key(0, "description", &d);
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

fn response_of(
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

/// Merges `action` from `doc` into an existing action file (`existing`, already loaded as `current`): adds
/// the request parameters and response fields the file lacks, and reports every other disagreement as a
/// conflict, leaving the file's own choice in place.
///
/// # Errors
/// The action is not in the document.
pub fn merge_action(
    existing: &str,
    current: &spec::Action,
    doc: &Document,
    doc_name: &str,
) -> Result<Imported, String> {
    let api = doc
        .apis
        .get(&current.name)
        .ok_or_else(|| format!("'{}' is not in {doc_name}", current.name))?;
    let mut notes = Vec::new();
    let mut added = Vec::new();
    let mut lines: Vec<String> = existing.lines().map(str::to_owned).collect();

    // What the drift finds unexplained: a parameter or response subtree only the document has is added; any
    // other difference is a conflict, left as the file has it.
    let mut to_add = std::collections::BTreeSet::new();
    let mut conflicts = Vec::new();
    for d in crate::drift::action_differences(current, Some(api)) {
        if d.explanation.is_some() {
            continue;
        }
        if d.kind == spec::DriftKind::Added && !d.at.is_empty() {
            to_add.insert(d.at);
        } else {
            conflicts.push(format!(
                "{} {}: the document says {}, the file {}; kept (resolve it, or explain it in metadata_differences)",
                d.kind.as_str(),
                if d.at.is_empty() { "(action)" } else { &d.at },
                d.upstream,
                d.ours
            ));
        }
    }

    // Request parameters the file lacks, appended to its `request:` list in the document's order.
    let mut new_params = Vec::new();
    for p in params(api, &mut notes) {
        let at = format!("request.{}", p.name);
        if to_add.contains(&at) {
            added.push(at);
            new_params.push(p);
        }
    }
    if !new_params.is_empty() {
        let mut w = Writer::default();
        for p in &new_params {
            write_param(&mut w, 2, p);
        }
        let at = match top_block_end(&lines, "request") {
            Some(end) => end,
            None => {
                let at = top_key_line(&lines, "response").unwrap_or(lines.len());
                lines.insert(at, "request:".to_owned());
                at + 1
            }
        };
        splice(&mut lines, at, &w.out);
    }

    // Response fields the file lacks, each inserted at the end of its parent's list.
    if let Some(schema) = api.response_schema() {
        let theirs = fields(schema, &mut notes, "response");
        let mut inserts = Vec::new();
        missing_fields(&theirs, &current.response, &[], "response", &mut inserts);
        inserts.retain(|(_, _, at)| to_add.contains(at));
        // Insertions are made from the end of the file, so that the line numbers found stay valid. Several at
        // one line (the end of a last item's fields is the end of its parent's list too) go in so that the file
        // reads deeper fields first, then each level in the document's order.
        let mut placed = Vec::new();
        for (index, (parents, f, at)) in inserts.into_iter().enumerate() {
            if let Some((line, indent)) = field_list_end(&lines, &parents) {
                placed.push((line, indent, index, f, at));
            } else {
                conflicts.push(format!(
                    "{at}: could not find where to add it in the file; add it by hand"
                ));
            }
        }
        placed.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
        let mut added_fields = Vec::new();
        for (line, indent, _, f, at) in placed {
            let mut w = Writer::default();
            write_field(&mut w, indent, &f);
            splice(&mut lines, line, &w.out);
            added_fields.push(at);
        }
        added_fields.reverse();
        added.extend(added_fields);
    }
    let mut yaml = lines.join("\n");
    yaml.push('\n');
    Ok(Imported {
        yaml,
        notes,
        added,
        conflicts,
    })
}

/// The metadata fields the spec lacks: the names of their parents in the spec's tree, the field, and its
/// drift path (`response.Data.Domain[].Tag`).
fn missing_fields(
    theirs: &[Field],
    ours: &[spec::Field],
    parents: &[String],
    prefix: &str,
    out: &mut Vec<(Vec<String>, Field, String)>,
) {
    for f in theirs {
        let at = format!("{prefix}.{}", f.name);
        match ours.iter().find(|o| o.name == f.name) {
            None => out.push((parents.to_vec(), f.clone(), at)),
            Some(o) => {
                if let (Some(their_fields), Some(s)) = (&f.fields, o.structure()) {
                    let inner = match (f.word, &f.wrapper) {
                        ("Array", Some(w)) => format!("{at}.{w}[]"),
                        ("Array", None) => format!("{at}[]"),
                        _ => at,
                    };
                    let mut p = parents.to_vec();
                    p.push(f.name.clone());
                    missing_fields(their_fields, &s.fields, &p, &inner, out);
                }
            }
        }
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn top_key_line(lines: &[String], key: &str) -> Option<usize> {
    lines.iter().position(|l| l.starts_with(&format!("{key}:")))
}

/// The line after the last line of a top-level key's block.
fn top_block_end(lines: &[String], key: &str) -> Option<usize> {
    let start = top_key_line(lines, key)?;
    let mut end = start + 1;
    while end < lines.len() && (lines[end].trim().is_empty() || indent_of(&lines[end]) > 0) {
        end += 1;
    }
    while end > start + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    Some(end)
}

/// Where a field of the response tree under `parents` (names from the top) is to be inserted: the line after
/// the parent's last field, and the indentation of its items.
fn field_list_end(lines: &[String], parents: &[String]) -> Option<(usize, usize)> {
    let mut start = top_key_line(lines, "response")?;
    let mut end = top_block_end(lines, "response")?;
    let mut item_indent = 2;
    for name in parents {
        // The item `- name: <name>` at `item_indent` inside [start, end).
        let pos = (start + 1..end).find(|&i| {
            indent_of(&lines[i]) == item_indent && lines[i].trim() == format!("- name: {name}")
                || lines[i].trim() == format!("- name: \"{name}\"")
        })?;
        let mut item_end = pos + 1;
        while item_end < end && (lines[item_end].trim().is_empty() || indent_of(&lines[item_end]) > item_indent) {
            item_end += 1;
        }
        let fields = (pos + 1..item_end)
            .find(|&i| indent_of(&lines[i]) == item_indent + 2 && lines[i].trim_start().starts_with("fields:"))?;
        start = fields;
        end = item_end;
        let mut fe = fields + 1;
        while fe < item_end && (lines[fe].trim().is_empty() || indent_of(&lines[fe]) > item_indent + 2) {
            fe += 1;
        }
        end = end.min(fe);
        item_indent += 4;
    }
    Some((end, item_indent))
}

fn splice(lines: &mut Vec<String>, at: usize, text: &str) {
    let new: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.splice(at..at, new);
}

fn write_param(w: &mut Writer, indent: usize, p: &Param) {
    w.line(indent, &format!("- name: {}", scalar(&p.name)));
    let i = indent + 2;
    w.line(i, &format!("type: {}", p.ty));
    if let Some(t) = p.item_type {
        w.line(i, &format!("item_type: {t}"));
    }
    w.line(i, &format!("required: {}", p.required));
    if let Some(e) = &p.example {
        w.line(i, &format!("example: {}", quoted(e)));
    }
    if let Some(d) = &p.description {
        w.key(i, "description", d);
    }
    if let Some(d) = &p.default {
        w.line(i, &format!("default: {}", quoted(d)));
    }
    if p.body {
        w.line(i, "location: body");
    }
    if p.deprecated {
        w.line(i, "deprecated: true");
    }
    write_values(w, i, &p.values);
}

fn write_values(w: &mut Writer, indent: usize, values: &[DocValue]) {
    if values.is_empty() {
        return;
    }
    w.line(indent, "values:");
    for v in values {
        w.line(indent + 2, &format!("- value: {}", quoted(&v.value)));
        if let Some(d) = &v.description {
            w.key(indent + 4, "description", d);
        }
    }
}

fn write_field(w: &mut Writer, indent: usize, f: &Field) {
    w.line(indent, &format!("- name: {}", scalar(&f.name)));
    let i = indent + 2;
    w.line(i, &format!("type: {}", f.word));
    if let Some(t) = f.item_type {
        w.line(i, &format!("item_type: {t}"));
    }
    if let Some(wr) = &f.wrapper {
        w.line(i, &format!("wrapper: {}", scalar(wr)));
    }
    if let Some(e) = &f.example {
        w.line(i, &format!("example: {}", quoted(e)));
    }
    if let Some(d) = &f.description {
        w.key(i, "description", d);
    }
    write_values(w, i, &f.values);
    if let Some(fields) = &f.fields {
        if fields.is_empty() {
            w.line(i, "fields: []");
        } else {
            w.line(i, "fields:");
            for c in fields {
                write_field(w, i + 2, c);
            }
        }
    }
}

/// A small YAML writer for the spec's format: block mappings and sequences, strings plain when safe.
#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    fn line(&mut self, indent: usize, text: &str) {
        self.out.push_str(&" ".repeat(indent));
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// `key: value`, as a literal block when the value has several lines.
    fn key(&mut self, indent: usize, key: &str, value: &str) {
        // A literal block reads back verbatim unless its first line is indented (it would set the block's
        // indentation), it ends in more than one newline, or it holds a carriage return.
        let first = value.lines().find(|l| !l.is_empty());
        let literal = value.contains('\n')
            && first.is_some_and(|l| !l.starts_with([' ', '\t']))
            && !value.ends_with("\n\n")
            && !value.contains('\r');
        if !literal {
            self.line(indent, &format!("{key}: {}", scalar(value)));
            return;
        }
        let chomp = if value.ends_with('\n') { "" } else { "-" };
        self.line(indent, &format!("{key}: |{chomp}"));
        for l in value.lines() {
            if l.is_empty() {
                self.out.push('\n');
            } else {
                self.line(indent + 2, l);
            }
        }
    }

    fn item_scalar(&mut self, indent: usize, value: &str) {
        self.line(indent, &format!("- {}", quoted(value)));
    }
}

/// A string as a YAML scalar: plain when that reads back as the same string, else double-quoted.
fn scalar(s: &str) -> String {
    let special_start = s.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ',
    ]);
    let looks_typed = matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | ""
    ) || s.parse::<f64>().is_ok()
        || s.starts_with(|c: char| c.is_ascii_digit());
    let unsafe_inside = s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.ends_with(' ')
        || s.contains(['\n', '\t', '\r'])
        || s.chars().any(|c| c.is_control());
    if special_start || looks_typed || unsafe_inside {
        quoted(s)
    } else {
        s.to_owned()
    }
}

/// A string as a double-quoted YAML scalar (JSON's escapes are YAML's).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
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
