//! Load and validate: reads `api-spec/`, reads each file into the raw layer (`raw.rs`: the format's
//! keys and types), then checks what the format cannot say by itself (names, cross-references, value sets)
//! and builds the typed [`Spec`].
//!
//! Validation never stops at the first problem: every file is read and every problem is
//! reported, each with the file and the path inside it.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::Value;

use crate::diagnostics::Diagnostics;
use crate::raw::{self, join, Indexed, Problem};
use crate::spec::*;

/// Reads and validates the whole spec under `root`.
pub fn load(root: &Path) -> Result<Spec, Diagnostics> {
    let (mut sources, mut diags) = (Vec::new(), Diagnostics::default());
    read_files(root, root, &mut sources, &mut diags);
    sources.sort();
    let spec = load_sources(&sources);
    if diags.is_empty() {
        return spec;
    }
    diags.0.extend(spec.err().map(|d| d.0).unwrap_or_default());
    Err(diags)
}

/// The YAML files under `dir`, as `(path relative to root, text)`.
fn read_files(root: &Path, dir: &Path, out: &mut Vec<(String, String)>, diags: &mut Diagnostics) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return diags.push(&dir.display().to_string(), "", format!("cannot read folder: {e}")),
    };
    for path in entries.flatten().map(|e| e.path()) {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if path.is_dir() {
            read_files(root, &path, out, diags);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            match std::fs::read_to_string(&path) {
                Ok(text) => out.push((rel, text)),
                Err(e) => diags.push(&rel, "", format!("cannot read: {e}")),
            }
        }
    }
}

/// Validates a spec given as `(relative path, YAML text)` pairs. Used by [`load`] and by tests.
pub fn load_sources(sources: &[(String, String)]) -> Result<Spec, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut spec = Spec::default();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (file, text) in sources {
        let version = match file.split('/').collect::<Vec<_>>().as_slice() {
            [v, "actions", f] if is_version(v) && f.ends_with(".yaml") => Some(v.to_string()),
            ["appendix", f] if f.ends_with(".yaml") => None,
            ["client_defaults.yaml" | "endpoints.yaml" | "not_imported.yaml" | "pages.yaml"] => None,
            [_, f] if f.ends_with(".yaml") || f.ends_with(".yml") => continue,
            _ => {
                let msg = "unexpected file: spec files live in <version>/actions/ or appendix/";
                diags.push(file, "", msg);
                continue;
            }
        };
        let value: Value = match serde_yaml::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                diags.push(file, "", format!("not valid YAML: {e}"));
                continue;
            }
        };
        let mut cx = Cx {
            file,
            diags: &mut diags,
        };
        let Some(version) = version else {
            match file.as_str() {
                "appendix/global_errors.yaml" => {
                    if let Some(raw::RawGlobalErrors { errors, .. }) = cx.read(&value) {
                        for (i, e) in errors.0 {
                            let at = format!("errors[{i}]");
                            cx.english(
                                &at,
                                "description",
                                e.description.as_deref(),
                                e.description_en.as_deref(),
                            );
                            let path = format!("errors[{i}].code");
                            cx.add_unique(&mut spec.appendix.global_errors, e, |e| &e.code, "code", &path);
                        }
                    }
                }
                "appendix/identity_credential_types.yaml" => {
                    spec.appendix.credential_types = cx.read(&value).map(|r| cx.shared_enum(r))
                }
                "appendix/domain_name_rules.yaml" => {
                    let rules: Option<raw::RawNameRules> = cx.read(&value);
                    if let Some(r) = &rules {
                        cx.english("", "description", Some(&r.description), r.description_en.as_deref());
                    }
                    spec.appendix.name_rules = rules.map(name_rules);
                }
                "client_defaults.yaml" => {
                    if let Some(raw::RawClientDefaults { client_defaults }) = cx.read(&value) {
                        spec.client_defaults = cx.client_defaults(client_defaults);
                    }
                }
                "endpoints.yaml" => {
                    if let Some(r) = cx.read(&value) {
                        (spec.endpoints, spec.default_region) = cx.endpoints(r);
                    }
                }
                "pages.yaml" => {
                    if let Some(raw::RawPages { pages }) = cx.read(&value) {
                        spec.pages = cx.pages(pages);
                    }
                }
                "not_imported.yaml" => {
                    if let Some(raw::RawNotImported { not_imported }) = cx.read(&value) {
                        spec.not_imported = cx.not_imported(not_imported.0);
                    }
                }
                _ => cx.err(
                    "",
                    format!(
                        "unknown appendix '{}' (global_errors, identity_credential_types, domain_name_rules)",
                        stem(file)
                    ),
                ),
            }
            continue;
        };
        if value.is_mapping() && value.get("section").is_none() && value.get("source").is_none() {
            let msg = "missing required key 'section' (or 'source', for an action the reference lacks)";
            cx.err("", msg);
        }
        let Some(action) = cx.read(&value).and_then(|raw| cx.action(raw, version)) else {
            continue;
        };
        if let Some(first) = seen.get(&action.name) {
            let msg = format!("duplicate action '{}': already defined in {first}", action.name);
            cx.err("name", msg);
            continue;
        }
        seen.insert(action.name.clone(), file.clone());
        spec.actions.push(action);
    }
    spec.actions.sort_by(|a, b| a.name.cmp(&b.name));
    for n in spec.not_imported.iter().filter(|n| seen.contains_key(&n.name)) {
        let msg = format!(
            "'{}' is in the spec ({}): remove it from not_imported",
            n.name, seen[&n.name]
        );
        diags.push("not_imported.yaml", &format!("not_imported.{}", n.name), msg);
    }
    if diags.is_empty() {
        Ok(spec)
    } else {
        diags.0.sort();
        Err(diags)
    }
}

fn is_version(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn stem(file: &str) -> &str {
    Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or(file)
}

/// The semantic checks of one file, and the shared list of problems.
struct Cx<'a> {
    file: &'a str,
    diags: &'a mut Diagnostics,
}

impl Cx<'_> {
    fn err(&mut self, path: &str, msg: impl Into<String>) {
        self.diags.push(self.file, path, msg);
    }

    /// The raw layer: the file as `T`, its problems recorded.
    fn read<T: raw::Read>(&mut self, value: &Value) -> Option<T> {
        let mut problems = Vec::new();
        let out = T::read(value, "", &mut problems);
        for Problem { path, message } in problems {
            self.err(&path, message);
        }
        out
    }

    /// Every text a user reads has English: a `summary` or `description` written in Chinese needs its `…_en`
    /// sibling, and an `…_en` left as `spec import`'s placeholder is refused.
    fn english(&mut self, path: &str, key: &str, original: Option<&str>, english: Option<&str>) {
        self.english_text(path, key, original, english, false);
    }

    /// As [`english`](Self::english), for what users always read (an action, a parameter, a field, a documented
    /// value): with no text at all, an English one must be written (`description_en` alone).
    fn described(&mut self, path: &str, key: &str, original: Option<&str>, english: Option<&str>) {
        self.english_text(path, key, original, english, true);
    }

    fn english_text(&mut self, path: &str, key: &str, original: Option<&str>, english: Option<&str>, needed: bool) {
        let en_key = format!("{key}_en");
        match english.map(str::trim) {
            Some(en) if en.starts_with(ENGLISH_PLACEHOLDER) => self.err(
                &join(path, &en_key),
                "write the English text (the import left a placeholder)",
            ),
            Some("") => self.err(&join(path, &en_key), "empty English text"),
            Some(_) => {}
            None if original.is_some_and(has_han) => self.err(
                path,
                format!("'{key}' is in Chinese and has no English text ('{en_key}')"),
            ),
            None if needed && original.is_none_or(|o| o.trim().is_empty()) => {
                self.err(path, format!("no '{key}' in any language: write '{en_key}'"))
            }
            None => {}
        }
    }

    /// Adds `item` to `out` unless an item with the same key is there: that is reported at `path`.
    fn add_unique<T>(&mut self, out: &mut Vec<T>, item: T, key: fn(&T) -> &str, what: &str, path: &str) {
        if out.iter().any(|o| key(o) == key(&item)) {
            self.err(path, format!("duplicate {what} '{}'", key(&item)));
        } else {
            out.push(item);
        }
    }

    fn action(&mut self, a: raw::RawAction, version: String) -> Option<Action> {
        let mut methods = a.methods.unwrap_or_else(|| vec![HttpMethod::Get, HttpMethod::Post]);
        methods.sort();
        let listed = methods.len();
        methods.dedup();
        if listed != methods.len() {
            self.err("methods", "a method is listed twice");
        }
        if methods.is_empty() {
            self.err("methods", "at least one method is needed");
        }

        self.english("", "summary", Some(&a.summary), a.summary_en.as_deref());
        self.english("", "description", a.description.as_deref(), a.description_en.as_deref());
        let mut request: Vec<Param> = Vec::new();
        for p in a.request.map_or_else(Vec::new, |r| r.0) {
            let Some(p) = self.param(p) else { continue };
            let path = format!("request.{}", p.wire_name);
            self.add_unique(&mut request, p, |p| &p.wire_name, "parameter", &path);
        }
        self.check_param_groups(&request);
        if let Some(p) = request.iter().find(|p| p.location == Some(Location::Body)) {
            if !methods.contains(&HttpMethod::Post) {
                let path = format!("request.{}.location", p.wire_name);
                self.err(&path, "a body parameter needs POST in the action's methods");
            }
        }
        let response = self.fields(a.response.0, "response");

        let mut errors = Vec::new();
        for (i, e) in a.errors.map_or_else(Vec::new, |e| e.0) {
            let path = format!("errors[{i}]");
            self.english(
                &path,
                "description",
                e.description.as_deref(),
                e.description_en.as_deref(),
            );
            match e.http_status.filter(|s| !(100..600).contains(s)) {
                Some(s) => self.err(
                    &format!("errors[{i}].http_status"),
                    format!("'{s}' is not an HTTP status"),
                ),
                None => errors.push(e),
            }
        }
        let mut error_examples = Vec::new();
        for (i, e) in a.error_examples.map_or_else(Vec::new, |e| e.0) {
            let (http_status, body) = (e.http_status, e.body.0);
            if (400..600).contains(&http_status) {
                error_examples.push(ErrorExample { http_status, body });
            } else {
                let path = format!("error_examples[{i}].http_status");
                self.err(&path, format!("'{http_status}' is not an HTTP error status"));
            }
        }
        if let Some(p) = &a.pagination {
            self.pagination(p, &request, &response);
        }
        let metadata_differences = self.differences(a.metadata_differences, &request, "metadata_differences");
        let py_sdk_differences = self.differences(a.py_sdk_differences, &request, "py_sdk_differences");
        let origin = match (a.section, a.source) {
            (Some(section), None) => Origin::Reference { section },
            (None, Some(source)) => Origin::Imported(source),
            (Some(_), Some(_)) => {
                let msg = "an action has a reference 'section' or an import 'source', not both";
                self.err("source", msg);
                return None;
            }
            // Reported before the raw layer read the file (`load_sources`).
            (None, None) => return None,
        };

        let file_stem = stem(self.file);
        if a.name != file_stem {
            let msg = format!("'{}' does not match the file name '{file_stem}'", a.name);
            self.err("name", msg);
        }
        if !is_identifier(&a.name) {
            self.err("name", format!("'{}' is not a valid action name", a.name));
        }
        Some(Action {
            file: self.file.to_owned(),
            name: a.name,
            version,
            origin,
            deprecated: a.deprecated.unwrap_or(false),
            summary: a.summary,
            summary_en: a.summary_en,
            description: a.description,
            description_en: a.description_en,
            methods,
            idempotent: a.idempotent,
            notes: a.notes.unwrap_or_default(),
            request,
            response,
            errors,
            example_response: a.example_response.0,
            go_sdk_differences: a.go_sdk_differences.unwrap_or_default(),
            metadata_differences,
            py_sdk_differences,
            error_examples,
            pagination: a.pagination,
        })
    }

    /// Explained differences from an upstream source (the list under `key`): each at most once, a request place
    /// naming a parameter or a list of structures.
    fn differences(
        &mut self,
        list: Option<Indexed<raw::RawMetadataDifference>>,
        request: &[Param],
        key: &str,
    ) -> Vec<MetadataDifference> {
        let mut out: Vec<MetadataDifference> = Vec::new();
        for (i, d) in list.map_or_else(Vec::new, |d| d.0) {
            let path = format!("{key}[{i}]");
            let at = d.at.unwrap_or_default();
            if !(at.is_empty() || at.starts_with("response.") || at.starts_with("request.")) {
                let msg = format!("'{at}' is not '', 'request.<name>' or 'response.<path>'");
                self.err(&join(&path, "at"), msg);
                continue;
            }
            if d.reason.trim().is_empty() {
                self.err(&join(&path, "reason"), "say why the spec keeps its own");
            }
            if let Some(name) = at.strip_prefix("request.") {
                // Only upstream has it (`added`), or the spec has it in another shape: no such wire name here.
                let may_be_absent = d.kind == DriftKind::Added || d.kind == DriftKind::Shape;
                let names_it = |p: &Param| {
                    p.wire_name == name || matches!(&p.shape, ParamShape::StructField { list, .. } if list == name)
                };
                if !may_be_absent && !request.iter().any(names_it) {
                    self.err(&join(&path, "at"), format!("no request parameter '{name}'"));
                }
            }
            if out.iter().any(|o| o.at == at && o.kind == d.kind) {
                self.err(&path, format!("'{}' at '{at}' is explained twice", d.kind.as_str()));
                continue;
            }
            let (kind, reason) = (d.kind, d.reason);
            out.push(MetadataDifference { at, kind, reason });
        }
        out
    }

    /// A value set: every value valid for `ty` (when known), no value twice, variant names usable.
    fn values(&mut self, values: Option<Indexed<raw::RawValue>>, path: &str, ty: Option<ScalarType>) -> Vec<EnumValue> {
        let path = join(path, "values");
        let mut out: Vec<EnumValue> = Vec::new();
        for (i, v) in values.map_or_else(Vec::new, |v| v.0) {
            let vpath = format!("{path}[{i}]");
            if ty == Some(ScalarType::Boolean) {
                self.err(&path, "a Boolean has no value set");
                break;
            }
            if let Some(ty) = ty.filter(|t| *t != ScalarType::String && !t.accepts(&v.value)) {
                let msg = format!("'{}' is not a valid {}", v.value, ty.as_str());
                self.err(&format!("{vpath}.value"), msg);
            }
            if let Some(n) = v.name.as_ref().filter(|n| !is_identifier(n)) {
                self.err(&format!("{vpath}.name"), format!("'{n}' is not a valid variant name"));
            }
            self.described(
                &vpath,
                "description",
                v.description.as_deref(),
                v.description_en.as_deref(),
            );
            let value = EnumValue {
                value: v.value,
                name: v.name,
                description: v.description,
                description_en: v.description_en,
                group: (),
            };
            self.add_unique(&mut out, value, |v| &v.value, "value", &format!("{vpath}.value"));
        }
        out
    }

    /// An `enum:` name: usable, and naming a value set.
    fn enum_name(&mut self, name: &Option<String>, values: &[EnumValue], path: &str) {
        if let Some(n) = name {
            if !is_identifier(n) {
                self.err(&join(path, "enum"), format!("'{n}' is not a valid enum name"));
            } else if values.is_empty() {
                self.err(&join(path, "enum"), "an enum name needs a value set ('values')");
            }
        }
    }

    fn param(&mut self, p: raw::RawParam) -> Option<Param> {
        let label = format!("request.{}", p.name);
        self.described(
            &label,
            "description",
            p.description.as_deref(),
            p.description_en.as_deref(),
        );
        let shape = parse_wire_name(&p.name)
            .map_err(|msg| self.err(&join(&label, "name"), msg))
            .ok()?;
        let ty = match (raw::scalar(p.ty), &shape) {
            (None, ParamShape::List) => p.item_type.unwrap_or(ScalarType::String),
            (None, _) => {
                self.err(&join(&label, "type"), "RepeatList needs a name of the form 'Name.N'");
                return None;
            }
            (Some(_), ParamShape::List) => {
                let msg = format!("'{}' is a plain list: its type is RepeatList", p.name);
                self.err(&join(&label, "type"), msg);
                return None;
            }
            (Some(t), _) => {
                if p.item_type.is_some() {
                    self.err(&join(&label, "item_type"), "item_type is only for RepeatList");
                }
                t
            }
        };
        if let Some(ex) = p.example.as_ref().filter(|ex| !ex.is_empty() && !ty.accepts(ex)) {
            let msg = format!("'{ex}' is not a valid {}", ty.as_str());
            self.err(&join(&label, "example"), msg);
        }
        let values = self.values(p.values, &label, Some(ty));
        self.enum_name(&p.enum_name, &values, &label);
        let json = p.format == Some(raw::Format::Json);
        if json && (ty != ScalarType::String || shape != ParamShape::Scalar) {
            self.err(&join(&label, "format"), "format: json is for scalar String parameters");
        }
        if let Some(n) = p.rust_name.as_ref().filter(|n| !is_rust_field(n)) {
            self.err(
                &join(&label, "rust_name"),
                format!("'{n}' is not a snake_case Rust name"),
            );
        }
        Some(Param {
            wire_name: p.name,
            rust_name: p.rust_name,
            shape,
            ty,
            required: p.required,
            example: p.example,
            description: p.description,
            description_en: p.description_en,
            default: p.default,
            values,
            enum_name: p.enum_name,
            location: p.location,
            json,
            deprecated: p.deprecated.unwrap_or(false),
            notes: p.notes.unwrap_or_default(),
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
                    let msg = format!("malformed .N. structure: '{base}' is used both as a {k} and as a {kind}");
                    self.err(&format!("request.{}", p.wire_name), msg);
                }
                _ => {
                    kinds.insert(base, kind);
                }
            }
        }
    }

    fn fields(&mut self, fields: Vec<raw::RawField>, path: &str) -> Vec<Field> {
        let mut out: Vec<Field> = Vec::new();
        for f in fields {
            let f = self.field(f, path);
            let fpath = format!("{path}.{}", f.name);
            self.add_unique(&mut out, f, |f| &f.name, "field", &fpath);
        }
        out
    }

    fn field(&mut self, f: raw::RawField, parent: &str) -> Field {
        let k = f.keys;
        let label = join(parent, &k.name);
        self.described(
            &label,
            "description",
            k.description.as_deref(),
            k.description_en.as_deref(),
        );
        if k.name.is_empty() || k.name.contains('/') {
            self.err(&join(&label, "name"), format!("'{}' is not a valid JSON key", k.name));
        }
        if let Some(n) = k.struct_name.as_ref().filter(|n| !is_identifier(n)) {
            self.err(&join(&label, "struct"), format!("'{n}' is not a valid structure name"));
        }
        // Named by `struct`, else by the list's wrapper, else by the field's name.
        let name = k
            .struct_name
            .or_else(|| k.wrapper.clone())
            .unwrap_or_else(|| k.name.clone());
        let structure = |cx: &mut Self, fields| Structure {
            name,
            fields: cx.fields(fields, &label),
        };
        let ty = match f.ty {
            raw::RawType::Scalar(s) => FieldType::Scalar(s),
            raw::RawType::Json => FieldType::Json,
            raw::RawType::Struct(fields) => FieldType::Struct(structure(self, fields)),
            raw::RawType::List(item) => FieldType::List {
                item: match item {
                    raw::RawItem::Scalar(s) => ListItem::Scalar(s),
                    raw::RawItem::Json => ListItem::Json,
                    raw::RawItem::Struct(fields) => ListItem::Struct(structure(self, fields)),
                },
                wrapper: k.wrapper,
            },
        };
        if let Some(n) = k.rust_name.as_ref().filter(|n| !is_rust_field(n)) {
            self.err(
                &join(&label, "rust_name"),
                format!("'{n}' is not a snake_case Rust name"),
            );
        }
        let mut field = Field {
            name: k.name,
            rust_name: k.rust_name,
            ty,
            example: k.example,
            description: k.description,
            description_en: k.description_en,
            default: k.default,
            values: Vec::new(),
            enum_name: k.enum_name,
            notes: k.notes.unwrap_or_default(),
        };
        let scalar = field.scalar();
        field.values = self.values(k.values, &label, scalar);
        if !field.values.is_empty() && scalar.is_none() {
            self.err(&join(&label, "values"), "only scalars have a value set");
        }
        self.enum_name(&field.enum_name, &field.values, &label);
        field
    }

    /// The parameters and fields `pagination` names exist, with the types paging needs.
    fn pagination(&mut self, p: &Pagination, request: &[Param], response: &[Field]) {
        use ScalarType::{Boolean, Integer, String};
        let token = if p.output_token.is_some() { String } else { Integer };
        for (key, name, ty) in [
            ("input_token", Some(&p.input_token), token),
            ("page_size", p.page_size.as_ref(), Integer),
        ] {
            let Some(n) = name else { continue };
            let msg = match request.iter().find(|p| &p.wire_name == n) {
                Some(p) if p.shape == ParamShape::Scalar && p.ty == ty => continue,
                Some(_) => format!("'{n}' must be a scalar {} parameter", ty.as_str()),
                None => format!("no request parameter '{n}'"),
            };
            self.err(&join("pagination", key), msg);
        }
        let fields = [
            ("items", Some(&p.items), None),
            ("output_token", p.output_token.as_ref(), Some(String)),
            ("more_results", p.more_results.as_ref(), Some(Boolean)),
            ("total_pages", p.total_pages.as_ref(), Some(Integer)),
        ];
        for (key, name, scalar) in fields {
            let Some(n) = name else { continue };
            let msg = match (response.iter().find(|f| &f.name == n), scalar) {
                (Some(f), Some(s)) if f.ty == FieldType::Scalar(s) => continue,
                (Some(f), None) if matches!(f.ty, FieldType::List { .. }) => continue,
                (Some(_), _) => format!("response field '{n}' has the wrong type"),
                (None, _) => format!("no top-level response field '{n}'"),
            };
            self.err(&join("pagination", key), msg);
        }
    }

    fn shared_enum(&mut self, r: raw::RawCredentialTypes) -> SharedEnum {
        if !is_identifier(&r.name) {
            self.err("name", format!("'{}' is not a valid enum name", r.name));
        }
        for (i, v) in &r.values.0 {
            let path = format!("values[{i}]");
            self.english(
                &path,
                "description",
                v.description.as_deref(),
                v.description_en.as_deref(),
            );
        }
        let values = r.values.0.into_iter().map(|(_, v)| EnumValue {
            value: v.value,
            name: Some(v.name),
            description: v.description,
            description_en: v.description_en,
            group: v.user_type,
        });
        SharedEnum {
            file: self.file.to_owned(),
            name: r.name,
            values: values.collect(),
        }
    }

    /// Regions and hosts: each region once, each host a bare host name, the default region among them.
    fn endpoints(&mut self, r: raw::RawEndpoints) -> (Vec<RegionEndpoint>, Option<String>) {
        let mut out: Vec<RegionEndpoint> = Vec::new();
        let only = |s: &str, ok: fn(char) -> bool| !s.is_empty() && s.chars().all(ok);
        for (i, e) in r.endpoints.0 {
            let path = format!("endpoints[{i}]");
            if !only(&e.region, |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                self.err(&join(&path, "region"), format!("'{}' is not a region id", e.region));
            } else if !only(&e.host, |c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
                let msg = format!("'{}' is not a host name (no scheme, port or path)", e.host);
                self.err(&join(&path, "host"), msg);
            } else {
                self.add_unique(&mut out, e, |e| &e.region, "region", &join(&path, "region"));
            }
        }
        if !out.iter().any(|e| e.region == r.default_region) {
            let msg = format!("'{}' is not one of the regions listed", r.default_region);
            self.err("default_region", msg);
        }
        (out, Some(r.default_region))
    }

    /// Actions left out on purpose: each named once, as an action is, and with a reason.
    fn not_imported(&mut self, list: Vec<NotImported>) -> Vec<NotImported> {
        let mut out = Vec::new();
        for n in list {
            let path = format!("not_imported.{}", n.name);
            if !is_identifier(&n.name) {
                self.err(&join(&path, "name"), format!("'{}' is not a valid action name", n.name));
            }
            if n.reason.trim().is_empty() {
                self.err(&join(&path, "reason"), "say why the spec leaves the action out");
            }
            self.add_unique(&mut out, n, |n| &n.name, "action", &path);
        }
        out
    }

    /// Page patterns: HTTPS, and naming the action (each action's own page).
    fn pages(&mut self, list: Indexed<DocPage>) -> Vec<DocPage> {
        let mut out = Vec::new();
        for (i, page) in list.0 {
            if !page.url.starts_with("https://") || !page.url.contains("{action}") {
                let msg = format!("'{}' is not an https:// URL pattern with {{action}}", page.url);
                self.err(&format!("pages[{i}].url"), msg);
                continue;
            }
            out.push(page);
        }
        out
    }

    fn client_defaults(&mut self, list: Indexed<ClientDefault>) -> Vec<ClientDefault> {
        let mut out = Vec::new();
        for (i, d) in list.0 {
            let path = format!("client_defaults[{i}]");
            self.english(&path, "description", Some(&d.description), d.description_en.as_deref());
            if !is_identifier(&d.name) {
                let msg = format!("'{}' is not a scalar parameter name", d.name);
                self.err(&format!("client_defaults[{i}].name"), msg);
            }
            out.push(d);
        }
        out
    }
}

/// What `spec import` writes where the English text goes; the loader refuses it until it is replaced.
pub const ENGLISH_PLACEHOLDER: &str = "TODO(en)";

/// A name `rust_name:` may give: snake_case ASCII, starting with a letter.
fn is_rust_field(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `text` has a Chinese (Han) character.
pub fn has_han(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}'))
}

fn name_rules(r: raw::RawNameRules) -> NameRules {
    let positions = r.hyphen_forbidden_positions.unwrap_or_default();
    NameRules {
        description: r.description,
        description_en: r.description_en,
        min_length: r.min_length,
        max_length: r.max_length,
        ascii_chars: r.ascii_chars,
        hyphen_not_first: positions.contains(&raw::HyphenPosition::First),
        hyphen_not_last: positions.contains(&raw::HyphenPosition::Last),
        hyphen_not_third_and_fourth: positions.contains(&raw::HyphenPosition::ThirdAndFourth),
        case_insensitive: r.case_insensitive,
        chinese_requires_han: r.chinese.requires_han,
        chinese_length_in_punycode: r.chinese.length_measured_in == raw::Measure::Punycode,
        reject_punycode_input: r.chinese.reject_punycode_input,
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
