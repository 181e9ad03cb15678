//! Load and validate: reads `api-spec/`, checks every file against the spec format, and builds the typed [`Spec`].
//!
//! Validation never stops at the first problem: every file is read and every problem is
//! reported, each with the file and the path inside it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::diagnostics::Diagnostics;
use crate::spec::*;

/// Reads and validates the whole spec under `root`.
pub fn load(root: &Path) -> Result<Spec, Diagnostics> {
    let mut files = Vec::new();
    let mut diags = Diagnostics::default();
    collect_files(root, root, &mut files, &mut diags);
    files.sort();
    let sources: Vec<(String, String)> = files
        .into_iter()
        .filter_map(|rel| match std::fs::read_to_string(root.join(&rel)) {
            Ok(text) => Some((rel, text)),
            Err(e) => {
                diags.push(&rel, "", format!("cannot read: {e}"));
                None
            }
        })
        .collect();
    match load_sources(&sources) {
        Ok(spec) if diags.is_empty() => Ok(spec),
        Ok(_) => Err(diags),
        Err(more) => {
            diags.0.extend(more.0);
            Err(diags)
        }
    }
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>, diags: &mut Diagnostics) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(&dir.display().to_string(), "", format!("cannot read folder: {e}"));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(root, &path, out, diags);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Validates a spec given as `(relative path, YAML text)` pairs. Used by [`load`] and by tests.
pub fn load_sources(sources: &[(String, String)]) -> Result<Spec, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut actions = Vec::new();
    let mut shapes = BTreeMap::new();
    let mut shape_files = Vec::new();
    let mut appendix_files = Vec::new();
    let mut defaults_file = None;

    // Shapes first, so that actions can be checked against them.
    for (file, text) in sources {
        let parts: Vec<&str> = file.split('/').collect();
        let kind = match parts.as_slice() {
            [v, "actions", f] if is_version(v) && f.ends_with(".yaml") => Kind::Action(v.to_string()),
            [v, "shapes", f] if is_version(v) && f.ends_with(".yaml") => Kind::Shape,
            ["appendix", f] if f.ends_with(".yaml") => Kind::Appendix,
            ["client_defaults.yaml"] => Kind::Defaults,
            [_, f] if f.ends_with(".yaml") || f.ends_with(".yml") => Kind::Ignored,
            _ => {
                diags.push(
                    file,
                    "",
                    "unexpected file: spec files live in <version>/actions/, <version>/shapes/ or appendix/",
                );
                continue;
            }
        };
        if matches!(kind, Kind::Ignored) {
            continue;
        }
        let value: Value = match serde_yaml::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                diags.push(file, "", format!("not valid YAML: {e}"));
                continue;
            }
        };
        match kind {
            Kind::Shape => shape_files.push((file.clone(), value)),
            Kind::Appendix => appendix_files.push((file.clone(), value)),
            Kind::Defaults => defaults_file = Some((file.clone(), value)),
            Kind::Action(version) => actions.push((file.clone(), version, value)),
            Kind::Ignored => {}
        }
    }

    for (file, value) in &shape_files {
        let mut cx = Cx {
            file,
            diags: &mut diags,
        };
        if let Some(shape) = cx.shape(value) {
            let stem = stem(file);
            if shape.name != stem {
                cx.err(
                    "name",
                    format!("'{}' does not match the file name '{stem}'", shape.name),
                );
            }
            shapes.insert(shape.name.clone(), shape);
        }
    }

    let mut appendix = Appendix::default();
    for (file, value) in &appendix_files {
        let mut cx = Cx {
            file,
            diags: &mut diags,
        };
        match stem(file) {
            "global_errors" => appendix.global_errors = cx.global_errors(value),
            "identity_credential_types" => appendix.credential_types = cx.shared_enum(value),
            "domain_name_rules" => appendix.name_rules = cx.name_rules(value),
            other => cx.err(
                "",
                format!("unknown appendix '{other}' (global_errors, identity_credential_types, domain_name_rules)"),
            ),
        }
    }

    let mut client_defaults = Vec::new();
    if let Some((file, value)) = &defaults_file {
        let mut cx = Cx {
            file,
            diags: &mut diags,
        };
        if let Some(mut o) = cx.obj(value, "") {
            for (i, dv) in cx.list(&mut o, "client_defaults", true).iter().enumerate() {
                let path = format!("client_defaults[{i}]");
                let Some(mut d) = cx.obj(dv, &path) else { continue };
                let name = cx.text(&mut d, "name", true);
                let description = cx.text(&mut d, "description", true);
                cx.finish(d);
                if let (Some(name), Some(description)) = (name, description) {
                    if !is_identifier(&name) {
                        cx.err(
                            &format!("{path}.name"),
                            format!("'{name}' is not a scalar parameter name"),
                        );
                    }
                    client_defaults.push(ClientDefault { name, description });
                }
            }
            cx.finish(o);
        }
    }

    let mut out = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (file, version, value) in &actions {
        let mut cx = Cx {
            file,
            diags: &mut diags,
        };
        if let Some(action) = cx.action(value, version, &shapes) {
            if let Some(first) = seen.get(&action.name) {
                cx.err(
                    "name",
                    format!("duplicate action '{}': already defined in {first}", action.name),
                );
                continue;
            }
            seen.insert(action.name.clone(), file.clone());
            out.push(action);
        }
    }
    // Shapes may reference shapes too.
    for shape in shapes.values() {
        check_refs(&shape.file, "fields", &shape.fields, &shapes, &mut diags);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));

    if diags.is_empty() {
        Ok(Spec {
            actions: out,
            shapes,
            appendix,
            client_defaults,
        })
    } else {
        diags.0.sort();
        Err(diags)
    }
}

enum Kind {
    Action(String),
    Shape,
    Appendix,
    Defaults,
    Ignored,
}

fn is_version(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn stem(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
        .unwrap_or(name)
}

fn check_refs(file: &str, path: &str, fields: &[Field], shapes: &BTreeMap<String, Shape>, diags: &mut Diagnostics) {
    for f in fields {
        let p = format!("{path}.{}", f.name);
        match &f.fields {
            Fields::Ref(r) if !shapes.contains_key(r) => diags.push(
                file,
                &format!("{p}.ref"),
                format!("dangling reference to shared structure '{r}'"),
            ),
            Fields::Inline(inner) => check_refs(file, &p, inner, shapes, diags),
            _ => {}
        }
    }
}

/// A validation context: one file, and the shared list of problems.
struct Cx<'a> {
    file: &'a str,
    diags: &'a mut Diagnostics,
}

/// A YAML mapping being read, remembering which keys were used.
struct Obj<'v> {
    map: &'v Mapping,
    path: String,
    used: BTreeSet<&'static str>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl<'a> Cx<'a> {
    fn err(&mut self, path: &str, msg: impl Into<String>) {
        self.diags.push(self.file, path, msg);
    }

    fn obj<'v>(&mut self, v: &'v Value, path: &str) -> Option<Obj<'v>> {
        match v {
            Value::Mapping(map) => Some(Obj {
                map,
                path: path.to_owned(),
                used: BTreeSet::new(),
            }),
            _ => {
                self.err(path, "expected a mapping of keys to values");
                None
            }
        }
    }

    fn raw<'v>(&mut self, o: &mut Obj<'v>, key: &'static str) -> Option<&'v Value> {
        o.used.insert(key);
        o.map.get(key).filter(|v| !v.is_null())
    }

    /// A text value; numbers and booleans are taken as their text.
    fn text(&mut self, o: &mut Obj<'_>, key: &'static str, required: bool) -> Option<String> {
        match self.raw(o, key) {
            None => {
                if required {
                    self.err(&o.path, format!("missing required key '{key}'"));
                }
                None
            }
            Some(v) => match scalar_string(v) {
                Some(s) => Some(s),
                None => {
                    self.err(&join(&o.path, key), "expected text");
                    None
                }
            },
        }
    }

    fn boolean(&mut self, o: &mut Obj<'_>, key: &'static str, required: bool) -> Option<bool> {
        match self.raw(o, key) {
            None => {
                if required {
                    self.err(&o.path, format!("missing required key '{key}'"));
                }
                None
            }
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.err(&join(&o.path, key), "expected true or false");
                None
            }
        }
    }

    fn list<'v>(&mut self, o: &mut Obj<'v>, key: &'static str, required: bool) -> &'v [Value] {
        match self.raw(o, key) {
            None => {
                if required {
                    self.err(&o.path, format!("missing required key '{key}'"));
                }
                &[]
            }
            Some(Value::Sequence(s)) => s,
            Some(_) => {
                self.err(&join(&o.path, key), "expected a list");
                &[]
            }
        }
    }

    fn texts(&mut self, o: &mut Obj<'_>, key: &'static str) -> Vec<String> {
        let path = join(&o.path, key);
        let mut out = Vec::new();
        for (i, v) in self.list(o, key, false).iter().enumerate() {
            match scalar_string(v) {
                Some(s) => out.push(s),
                None => self.err(&format!("{path}[{i}]"), "expected text"),
            }
        }
        out
    }

    fn finish(&mut self, o: Obj<'_>) {
        for k in o.map.keys() {
            let name = k.as_str().unwrap_or("?");
            if !o.used.contains(name) {
                self.err(&join(&o.path, name), format!("unknown key '{name}'"));
            }
        }
    }

    fn action(&mut self, v: &Value, version: &str, shapes: &BTreeMap<String, Shape>) -> Option<Action> {
        let mut o = self.obj(v, "")?;
        let name = self.text(&mut o, "name", true);
        let section = self.text(&mut o, "section", true);
        let summary = self.text(&mut o, "summary", true);
        let description = self.text(&mut o, "description", false);
        let idempotent = self.boolean(&mut o, "idempotent", true);
        let notes = self.texts(&mut o, "notes");

        let mut methods = Vec::new();
        if o.map.contains_key("methods") {
            for (i, m) in self.texts(&mut o, "methods").iter().enumerate() {
                match m.as_str() {
                    "GET" => methods.push(HttpMethod::Get),
                    "POST" => methods.push(HttpMethod::Post),
                    other => self.err(
                        &format!("methods[{i}]"),
                        format!("unknown HTTP method '{other}' (GET or POST)"),
                    ),
                }
            }
            methods.sort();
            let before = methods.len();
            methods.dedup();
            if before != methods.len() {
                self.err("methods", "a method is listed twice");
            }
            if methods.is_empty() {
                self.err("methods", "at least one method is needed");
            }
        } else {
            methods = vec![HttpMethod::Get, HttpMethod::Post];
        }

        let request_vals = self.list(&mut o, "request", false);
        let mut request = Vec::new();
        let mut seen_params: BTreeSet<String> = BTreeSet::new();
        for (i, pv) in request_vals.iter().enumerate() {
            if let Some(p) = self.param(pv, i) {
                if !seen_params.insert(p.wire_name.clone()) {
                    self.err(
                        &format!("request.{}", p.wire_name),
                        format!("duplicate parameter '{}'", p.wire_name),
                    );
                    continue;
                }
                request.push(p);
            }
        }
        self.check_param_groups(&request);
        if let Some(p) = request.iter().find(|p| p.location == Some(Location::Body)) {
            if !methods.contains(&HttpMethod::Post) {
                self.err(
                    &format!("request.{}.location", p.wire_name),
                    "a body parameter needs POST in the action's methods",
                );
            }
        }

        let response_vals = self.list(&mut o, "response", true);
        let response = self.fields(response_vals, "response");
        check_refs(self.file, "response", &response, shapes, self.diags);

        let mut errors = Vec::new();
        for (i, ev) in self.list(&mut o, "errors", false).iter().enumerate() {
            let path = format!("errors[{i}]");
            let Some(mut eo) = self.obj(ev, &path) else { continue };
            let code = self.text(&mut eo, "code", true);
            let http_status = self
                .text(&mut eo, "http_status", false)
                .and_then(|s| match s.parse::<u16>() {
                    Ok(n) if (100..600).contains(&n) => Some(n),
                    _ => {
                        self.err(&format!("{path}.http_status"), format!("'{s}' is not an HTTP status"));
                        None
                    }
                });
            let message = self.text(&mut eo, "message", false);
            let description = self.text(&mut eo, "description", false);
            self.finish(eo);
            if let Some(code) = code {
                errors.push(ErrorCode {
                    code,
                    http_status,
                    message,
                    description,
                });
            }
        }

        let example_response = self.text(&mut o, "example_response", true);
        if let Some(ex) = &example_response {
            match serde_json::from_str::<serde_json::Value>(ex) {
                Ok(serde_json::Value::Object(_)) => {}
                Ok(_) => self.err("example_response", "must be a JSON object"),
                Err(e) => self.err("example_response", format!("not valid JSON: {e}")),
            }
        }

        let mut go_sdk_differences = Vec::new();
        for (i, dv) in self.list(&mut o, "go_sdk_differences", false).iter().enumerate() {
            let path = format!("go_sdk_differences[{i}]");
            let Some(mut d) = self.obj(dv, &path) else { continue };
            let name = self.text(&mut d, "name", true);
            let reason = self.text(&mut d, "reason", true);
            self.finish(d);
            if let (Some(name), Some(reason)) = (name, reason) {
                go_sdk_differences.push(GoSdkDifference { name, reason });
            }
        }
        let mut error_examples = Vec::new();
        for (i, ev) in self.list(&mut o, "error_examples", false).iter().enumerate() {
            let path = format!("error_examples[{i}]");
            let Some(mut eo) = self.obj(ev, &path) else { continue };
            let status = self.text(&mut eo, "http_status", true);
            let body = self.text(&mut eo, "body", true);
            self.finish(eo);
            let status = status.and_then(|s| match s.parse::<u16>() {
                Ok(n) if (400..600).contains(&n) => Some(n),
                _ => {
                    self.err(
                        &format!("{path}.http_status"),
                        format!("'{s}' is not an HTTP error status"),
                    );
                    None
                }
            });
            if let Some(b) = &body {
                if !matches!(
                    serde_json::from_str::<serde_json::Value>(b),
                    Ok(serde_json::Value::Object(_))
                ) {
                    self.err(&format!("{path}.body"), "must be a JSON object");
                }
            }
            if let (Some(http_status), Some(body)) = (status, body) {
                error_examples.push(ErrorExample { http_status, body });
            }
        }
        let pagination = match self.raw(&mut o, "pagination") {
            None => None,
            Some(pv) => self.pagination(pv, &request, &response),
        };
        self.finish(o);

        let name = name?;
        let file_stem = stem(self.file).to_owned();
        if name != file_stem {
            self.err("name", format!("'{name}' does not match the file name '{file_stem}'"));
        }
        if !is_identifier(&name) {
            self.err("name", format!("'{name}' is not a valid action name"));
        }
        Some(Action {
            file: self.file.to_owned(),
            name,
            version: version.to_owned(),
            section: section?,
            summary: summary?,
            description,
            methods,
            idempotent: idempotent?,
            notes,
            request,
            response,
            errors,
            example_response: example_response?,
            go_sdk_differences,
            error_examples,
            pagination,
        })
    }

    fn values(&mut self, o: &mut Obj<'_>, ty: Option<ScalarType>) -> Vec<EnumValue> {
        let path = join(&o.path, "values");
        let mut out: Vec<EnumValue> = Vec::new();
        for (i, vv) in self.list(o, "values", false).iter().enumerate() {
            let vpath = format!("{path}[{i}]");
            let Some(mut vo) = self.obj(vv, &vpath) else { continue };
            let value = self.text(&mut vo, "value", true);
            let name = self.text(&mut vo, "name", false);
            let description = self.text(&mut vo, "description", false);
            self.finish(vo);
            let Some(value) = value else { continue };
            if let Some(ty) = ty {
                if ty != ScalarType::String && !ty.accepts(&value) {
                    self.err(
                        &format!("{vpath}.value"),
                        format!("'{value}' is not a valid {}", ty.as_str()),
                    );
                }
                if ty == ScalarType::Boolean {
                    self.err(&path, "a Boolean has no value set");
                }
            }
            if let Some(n) = &name {
                if !is_identifier(n) {
                    self.err(&format!("{vpath}.name"), format!("'{n}' is not a valid variant name"));
                }
            }
            if out.iter().any(|e| e.value == value) {
                self.err(&format!("{vpath}.value"), format!("duplicate value '{value}'"));
                continue;
            }
            out.push(EnumValue {
                value,
                name,
                description,
            });
        }
        out
    }

    fn param(&mut self, v: &Value, index: usize) -> Option<Param> {
        // The path names the parameter once its name is known.
        let label = match v.get("name").and_then(scalar_string) {
            Some(n) => format!("request.{n}"),
            None => format!("request[{index}]"),
        };
        let mut o = self.obj(v, &label)?;
        let wire_name = self.text(&mut o, "name", true);
        let ty_word = self.text(&mut o, "type", true);
        let required = self.boolean(&mut o, "required", true);
        let example = self.text(&mut o, "example", false);
        let description = self.text(&mut o, "description", false);
        let default = self.text(&mut o, "default", false);
        let enum_name = self.text(&mut o, "enum", false);
        let item_type = self.text(&mut o, "item_type", false);
        let notes = self.texts(&mut o, "notes");
        let json = match self.text(&mut o, "format", false).as_deref() {
            None => false,
            Some("json") => true,
            Some(other) => {
                self.err(&join(&label, "format"), format!("unknown format '{other}' (json)"));
                false
            }
        };
        let location = match self.text(&mut o, "location", false).as_deref() {
            None => None,
            Some("query") => Some(Location::Query),
            Some("body") => Some(Location::Body),
            Some(other) => {
                self.err(
                    &join(&label, "location"),
                    format!("unknown location '{other}' (query or body)"),
                );
                None
            }
        };

        let shape = wire_name.as_deref().and_then(|n| match parse_wire_name(n) {
            Ok(s) => Some(s),
            Err(msg) => {
                self.err(&join(&label, "name"), msg);
                None
            }
        });
        let ty = match (ty_word.as_deref(), &shape) {
            (None, _) => None,
            (Some("RepeatList"), Some(ParamShape::List)) => match item_type.as_deref() {
                None => Some(ScalarType::String),
                Some(t) => match ScalarType::parse(t) {
                    Some(t) => Some(t),
                    None => {
                        self.err(&join(&label, "item_type"), format!("unknown type '{t}'"));
                        None
                    }
                },
            },
            (Some("RepeatList"), Some(_)) => {
                self.err(&join(&label, "type"), "RepeatList needs a name of the form 'Name.N'");
                None
            }
            (Some(t), Some(ParamShape::List)) if ScalarType::parse(t).is_some() => {
                self.err(
                    &join(&label, "type"),
                    format!(
                        "'{}' is a plain list: its type is RepeatList",
                        wire_name.as_deref().unwrap_or("")
                    ),
                );
                None
            }
            (Some(t), _) => {
                if item_type.is_some() {
                    self.err(&join(&label, "item_type"), "item_type is only for RepeatList");
                }
                match ScalarType::parse(t) {
                    Some(t) => Some(t),
                    None => {
                        self.err(&join(&label, "type"), format!("unknown type '{t}'"));
                        None
                    }
                }
            }
        };
        if let (Some(ty), Some(ex)) = (ty, &example) {
            if !ex.is_empty() && !ty.accepts(ex) {
                self.err(
                    &join(&label, "example"),
                    format!("'{ex}' is not a valid {}", ty.as_str()),
                );
            }
        }
        let values = self.values(&mut o, ty);
        if let Some(n) = &enum_name {
            if !is_identifier(n) {
                self.err(&join(&label, "enum"), format!("'{n}' is not a valid enum name"));
            } else if values.is_empty() {
                self.err(&join(&label, "enum"), "an enum name needs a value set ('values')");
            }
        }
        if json && (ty != Some(ScalarType::String) || shape != Some(ParamShape::Scalar)) {
            self.err(&join(&label, "format"), "format: json is for scalar String parameters");
        }
        self.finish(o);
        Some(Param {
            wire_name: wire_name?,
            shape: shape?,
            ty: ty?,
            required: required?,
            example,
            description,
            default,
            values,
            enum_name,
            location,
            json,
            notes,
        })
    }

    /// A list of structures and a scalar or plain list must not share a name.
    fn check_param_groups(&mut self, params: &[Param]) {
        let mut kinds: BTreeMap<&str, &str> = BTreeMap::new();
        for p in params {
            let (base, kind) = match &p.shape {
                ParamShape::Scalar => (p.wire_name.as_str(), "scalar"),
                ParamShape::List => (p.wire_name.trim_end_matches(".N"), "list"),
                ParamShape::StructField { list, .. } => (list.as_str(), "structure"),
            };
            match kinds.get(base) {
                Some(k) if *k != kind || kind != "structure" => {
                    self.err(
                        &format!("request.{}", p.wire_name),
                        format!("malformed .N. structure: '{base}' is used both as a {k} and as a {kind}"),
                    );
                }
                _ => {
                    kinds.insert(base, kind);
                }
            }
        }
    }

    fn fields(&mut self, vals: &[Value], path: &str) -> Vec<Field> {
        let mut out: Vec<Field> = Vec::new();
        for (i, fv) in vals.iter().enumerate() {
            if let Some(f) = self.field(fv, path, i) {
                if out.iter().any(|g| g.name == f.name) {
                    self.err(&format!("{path}.{}", f.name), format!("duplicate field '{}'", f.name));
                    continue;
                }
                out.push(f);
            }
        }
        out
    }

    fn field(&mut self, v: &Value, parent: &str, index: usize) -> Option<Field> {
        let label = match v.get("name").and_then(scalar_string) {
            Some(n) => format!("{parent}.{n}"),
            None => format!("{parent}[{index}]"),
        };
        let mut o = self.obj(v, &label)?;
        let name = self.text(&mut o, "name", true);
        let ty_word = self.text(&mut o, "type", true);
        let example = self.text(&mut o, "example", false);
        let description = self.text(&mut o, "description", false);
        let default = self.text(&mut o, "default", false);
        let enum_name = self.text(&mut o, "enum", false);
        let wrapper = self.text(&mut o, "wrapper", false);
        let struct_name = self.text(&mut o, "struct", false);
        let item_type_word = self.text(&mut o, "item_type", false);
        let reference = self.text(&mut o, "ref", false);
        let notes = self.texts(&mut o, "notes");
        let has_fields = o.map.contains_key("fields");
        let field_vals = self.list(&mut o, "fields", false);
        let fields = self.fields(field_vals, &label);

        if let Some(n) = &name {
            if n.is_empty() || n.contains('/') {
                self.err(&join(&label, "name"), format!("'{n}' is not a valid JSON key"));
            }
        }
        let ty = match ty_word.as_deref() {
            None => None,
            Some("Object") => Some(FieldType::Object),
            Some("Array") => Some(FieldType::Array),
            Some(t) => match ScalarType::parse(t) {
                Some(s) => Some(FieldType::Scalar(s)),
                None => {
                    self.err(&join(&label, "type"), format!("unknown type '{t}'"));
                    None
                }
            },
        };
        let item_type = match item_type_word.as_deref() {
            None => None,
            Some(t) => match ScalarType::parse(t) {
                Some(s) => Some(s),
                None => {
                    self.err(&join(&label, "item_type"), format!("unknown type '{t}'"));
                    None
                }
            },
        };
        let structured = has_fields || reference.is_some();
        if has_fields && reference.is_some() {
            self.err(&label, "give either 'fields' or 'ref', not both");
        }
        match &ty {
            Some(FieldType::Object) if !structured => self.err(&label, "an Object needs 'fields' or 'ref'"),
            Some(FieldType::Array) if !structured && item_type.is_none() => {
                self.err(&label, "an Array needs 'fields', 'ref' or 'item_type'")
            }
            Some(FieldType::Array) if structured && item_type.is_some() => {
                self.err(&label, "an Array of structures has no 'item_type'")
            }
            Some(FieldType::Scalar(_)) if structured || item_type.is_some() || struct_name.is_some() => {
                self.err(&label, "a scalar has no 'fields', 'ref', 'struct' or 'item_type'")
            }
            _ => {}
        }
        if wrapper.is_some() && ty != Some(FieldType::Array) {
            self.err(&join(&label, "wrapper"), "only an Array has a wrapper");
        }
        if let Some(s) = &struct_name {
            if !is_identifier(s) {
                self.err(&join(&label, "struct"), format!("'{s}' is not a valid structure name"));
            }
        }
        let scalar = match &ty {
            Some(FieldType::Scalar(s)) => Some(*s),
            Some(FieldType::Array) => item_type,
            _ => None,
        };
        let values = self.values(&mut o, scalar);
        if !values.is_empty() && scalar.is_none() {
            self.err(&join(&label, "values"), "only scalars have a value set");
        }
        if let Some(n) = &enum_name {
            if !is_identifier(n) {
                self.err(&join(&label, "enum"), format!("'{n}' is not a valid enum name"));
            } else if values.is_empty() {
                self.err(&join(&label, "enum"), "an enum name needs a value set ('values')");
            }
        }
        self.finish(o);
        let fields = if let Some(r) = reference {
            Fields::Ref(r)
        } else if has_fields {
            Fields::Inline(fields)
        } else {
            Fields::None
        };
        Some(Field {
            name: name?,
            ty: ty?,
            item_type,
            wrapper,
            struct_name,
            fields,
            example,
            description,
            default,
            values,
            enum_name,
            notes,
        })
    }

    fn shape(&mut self, v: &Value) -> Option<Shape> {
        let mut o = self.obj(v, "")?;
        let name = self.text(&mut o, "name", true);
        let description = self.text(&mut o, "description", false);
        let vals = self.list(&mut o, "fields", true);
        let fields = self.fields(vals, "fields");
        self.finish(o);
        let name = name?;
        if !is_identifier(&name) {
            self.err("name", format!("'{name}' is not a valid structure name"));
        }
        Some(Shape {
            file: self.file.to_owned(),
            name,
            description,
            fields,
        })
    }
}

impl Cx<'_> {
    fn pagination(&mut self, v: &Value, request: &[Param], response: &[Field]) -> Option<Pagination> {
        let mut o = self.obj(v, "pagination")?;
        let input_token = self.text(&mut o, "input_token", true);
        let output_token = self.text(&mut o, "output_token", false);
        let page_size = self.text(&mut o, "page_size", false);
        let max_page_size = self
            .text(&mut o, "max_page_size", false)
            .and_then(|s| match s.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    self.err("pagination.max_page_size", format!("'{s}' is not a whole number"));
                    None
                }
            });
        let items = self.text(&mut o, "items", true);
        let more_results = self.text(&mut o, "more_results", false);
        let total_pages = self.text(&mut o, "total_pages", false);
        self.finish(o);
        let param = |cx: &mut Self, key: &str, name: &Option<String>, ty: ScalarType| {
            if let Some(n) = name {
                match request.iter().find(|p| &p.wire_name == n) {
                    Some(p) if p.shape == ParamShape::Scalar && p.ty == ty => {}
                    Some(_) => cx.err(
                        &format!("pagination.{key}"),
                        format!("'{n}' must be a scalar {} parameter", ty.as_str()),
                    ),
                    None => cx.err(&format!("pagination.{key}"), format!("no request parameter '{n}'")),
                }
            }
        };
        let token_type = if output_token.is_some() {
            ScalarType::String
        } else {
            ScalarType::Integer
        };
        param(self, "input_token", &input_token, token_type);
        param(self, "page_size", &page_size, ScalarType::Integer);
        let field = |cx: &mut Self, key: &str, name: &Option<String>, ok: &dyn Fn(&FieldType) -> bool| {
            if let Some(n) = name {
                match response.iter().find(|f| &f.name == n) {
                    Some(f) if ok(&f.ty) => {}
                    Some(_) => cx.err(
                        &format!("pagination.{key}"),
                        format!("response field '{n}' has the wrong type"),
                    ),
                    None => cx.err(
                        &format!("pagination.{key}"),
                        format!("no top-level response field '{n}'"),
                    ),
                }
            }
        };
        field(self, "items", &items, &|t| *t == FieldType::Array);
        field(self, "output_token", &output_token, &|t| {
            *t == FieldType::Scalar(ScalarType::String)
        });
        field(self, "more_results", &more_results, &|t| {
            *t == FieldType::Scalar(ScalarType::Boolean)
        });
        field(self, "total_pages", &total_pages, &|t| {
            *t == FieldType::Scalar(ScalarType::Integer)
        });
        Some(Pagination {
            input_token: input_token?,
            output_token,
            page_size,
            max_page_size,
            items: items?,
            more_results,
            total_pages,
        })
    }

    fn global_errors(&mut self, v: &Value) -> Vec<GlobalError> {
        let Some(mut o) = self.obj(v, "") else {
            return Vec::new();
        };
        self.text(&mut o, "section", false);
        let mut out: Vec<GlobalError> = Vec::new();
        for (i, ev) in self.list(&mut o, "errors", true).iter().enumerate() {
            let path = format!("errors[{i}]");
            let Some(mut eo) = self.obj(ev, &path) else { continue };
            let code = self.text(&mut eo, "code", true);
            let status = self
                .text(&mut eo, "http_status", true)
                .and_then(|s| s.parse::<u16>().ok());
            let message = self.text(&mut eo, "message", true);
            let description = self.text(&mut eo, "description", false);
            let class = self.text(&mut eo, "class", true);
            let retryable = self.boolean(&mut eo, "retryable", true);
            self.finish(eo);
            let server = match class.as_deref() {
                Some("client") => false,
                Some("server") => true,
                Some(other) => {
                    self.err(
                        &format!("{path}.class"),
                        format!("unknown class '{other}' (client or server)"),
                    );
                    continue;
                }
                None => continue,
            };
            let (Some(code), Some(http_status), Some(message), Some(retryable)) = (code, status, message, retryable)
            else {
                self.err(&path, "needs code, a numeric http_status, message, class and retryable");
                continue;
            };
            if out.iter().any(|e| e.code == code) {
                self.err(&format!("{path}.code"), format!("duplicate code '{code}'"));
                continue;
            }
            out.push(GlobalError {
                code,
                http_status,
                message,
                description: description.unwrap_or_default(),
                server,
                retryable,
            });
        }
        self.finish(o);
        out
    }

    fn shared_enum(&mut self, v: &Value) -> Option<SharedEnum> {
        let mut o = self.obj(v, "")?;
        self.text(&mut o, "section", false);
        let name = self.text(&mut o, "name", true);
        let mut values = Vec::new();
        let mut groups = Vec::new();
        for (i, vv) in self.list(&mut o, "values", true).iter().enumerate() {
            let path = format!("values[{i}]");
            let Some(mut vo) = self.obj(vv, &path) else { continue };
            let value = self.text(&mut vo, "value", true);
            let vname = self.text(&mut vo, "name", true);
            let description = self.text(&mut vo, "description", false);
            let group = self.text(&mut vo, "user_type", true);
            self.finish(vo);
            if let Some(g) = &group {
                if g != "individual" && g != "organization" {
                    self.err(
                        &format!("{path}.user_type"),
                        format!("unknown user type '{g}' (individual or organization)"),
                    );
                }
            }
            if let (Some(value), Some(g)) = (value, group) {
                values.push(EnumValue {
                    value,
                    name: vname,
                    description,
                });
                groups.push(g);
            }
        }
        self.finish(o);
        let name = name?;
        if !is_identifier(&name) {
            self.err("name", format!("'{name}' is not a valid enum name"));
        }
        Some(SharedEnum {
            file: self.file.to_owned(),
            name,
            values,
            groups,
        })
    }

    fn name_rules(&mut self, v: &Value) -> Option<NameRules> {
        let mut o = self.obj(v, "")?;
        self.text(&mut o, "section", false);
        let description = self.text(&mut o, "description", true);
        let number = |cx: &mut Self, o: &mut Obj<'_>, key: &'static str| {
            cx.text(o, key, true).and_then(|s| match s.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    cx.err(key, format!("'{s}' is not a whole number"));
                    None
                }
            })
        };
        let min_length = number(self, &mut o, "min_length");
        let max_length = number(self, &mut o, "max_length");
        let ascii_chars = self.text(&mut o, "ascii_chars", true);
        let positions = self.texts(&mut o, "hyphen_forbidden_positions");
        for p in &positions {
            if !["first", "last", "3-4"].contains(&p.as_str()) {
                self.err(
                    "hyphen_forbidden_positions",
                    format!("unknown position '{p}' (first, last, 3-4)"),
                );
            }
        }
        let case_insensitive = self.boolean(&mut o, "case_insensitive", true);
        let (mut requires_han, mut punycode_length, mut reject_punycode) = (None, None, None);
        if let Some(cv) = self.raw(&mut o, "chinese") {
            if let Some(mut co) = self.obj(cv, "chinese") {
                requires_han = self.boolean(&mut co, "requires_han", true);
                punycode_length = match self.text(&mut co, "length_measured_in", true).as_deref() {
                    Some("punycode") => Some(true),
                    Some("characters") => Some(false),
                    Some(other) => {
                        self.err(
                            "chinese.length_measured_in",
                            format!("unknown measure '{other}' (punycode or characters)"),
                        );
                        None
                    }
                    None => None,
                };
                reject_punycode = self.boolean(&mut co, "reject_punycode_input", true);
                self.finish(co);
            }
        } else {
            self.err("", "missing required key 'chinese'");
        }
        self.finish(o);
        Some(NameRules {
            description: description?,
            min_length: min_length?,
            max_length: max_length?,
            ascii_chars: ascii_chars?,
            hyphen_not_first: positions.iter().any(|p| p == "first"),
            hyphen_not_last: positions.iter().any(|p| p == "last"),
            hyphen_not_third_and_fourth: positions.iter().any(|p| p == "3-4"),
            case_insensitive: case_insensitive?,
            chinese_requires_han: requires_han?,
            chinese_length_in_punycode: punycode_length?,
            reject_punycode_input: reject_punycode?,
        })
    }
}

/// `A`, `A.N` or `A.N.B`, each part an identifier.
fn parse_wire_name(name: &str) -> Result<ParamShape, String> {
    let parts: Vec<&str> = name.split('.').collect();
    let bad = |why: &str| Err(format!("malformed .N. structure in '{name}': {why}"));
    match parts.as_slice() {
        [a] if is_identifier(a) => Ok(ParamShape::Scalar),
        [a, "N"] if is_identifier(a) => Ok(ParamShape::List),
        [a, "N", b] if is_identifier(a) && is_identifier(b) => Ok(ParamShape::StructField {
            list: (*a).to_owned(),
            field: (*b).to_owned(),
        }),
        [a] => Err(format!("'{a}' is not a valid parameter name")),
        [_, "N", ""] => bad("the field name after '.N.' is missing"),
        [_, "N", _, ..] if parts.len() > 3 => bad("lists nested in lists of structures are not supported"),
        [_, n, ..] if *n != "N" => bad("the list index must be written 'N'"),
        _ => bad("expected 'Name', 'Name.N' or 'Name.N.Field'"),
    }
}

/// ASCII letters, digits and `_`, not starting with a digit.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names() {
        assert_eq!(parse_wire_name("PageNum"), Ok(ParamShape::Scalar));
        assert_eq!(parse_wire_name("DomainName.N"), Ok(ParamShape::List));
        assert_eq!(
            parse_wire_name("OrderActivateParam.N.DomainName"),
            Ok(ParamShape::StructField {
                list: "OrderActivateParam".into(),
                field: "DomainName".into()
            })
        );
        for bad in ["X.N.", "X.1.Y", "X.N.Y.N", "X..Y", "1X", "X.N.Y.Z"] {
            assert!(parse_wire_name(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn versions() {
        assert!(is_version("2018-01-29"));
        assert!(!is_version("appendix"));
        assert!(!is_version("2018-1-29x"));
    }
}
