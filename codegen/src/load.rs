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
    let mut appendix = Appendix::default();
    let mut client_defaults = Vec::new();
    let mut endpoints = (Vec::new(), None);
    let mut actions: Vec<Action> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (file, text) in sources {
        let parts: Vec<&str> = file.split('/').collect();
        let kind = match parts.as_slice() {
            [v, "actions", f] if is_version(v) && f.ends_with(".yaml") => Kind::Action(v),
            ["appendix", f] if f.ends_with(".yaml") => Kind::Appendix,
            ["client_defaults.yaml"] => Kind::Defaults,
            ["endpoints.yaml"] => Kind::Endpoints,
            [_, f] if f.ends_with(".yaml") || f.ends_with(".yml") => continue,
            _ => {
                diags.push(
                    file,
                    "",
                    "unexpected file: spec files live in <version>/actions/ or appendix/",
                );
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
        match kind {
            Kind::Action(version) => {
                if value.is_mapping() && value.get("section").is_none() && value.get("source").is_none() {
                    cx.err(
                        "",
                        "missing required key 'section' (or 'source', for an action the reference lacks)",
                    );
                }
                let Some(action) = cx.read(&value).and_then(|raw| cx.action(raw, version)) else {
                    continue;
                };
                if let Some(first) = seen.get(&action.name) {
                    cx.err(
                        "name",
                        format!("duplicate action '{}': already defined in {first}", action.name),
                    );
                    continue;
                }
                seen.insert(action.name.clone(), file.clone());
                actions.push(action);
            }
            Kind::Appendix => match stem(file) {
                "global_errors" => {
                    appendix.global_errors = cx.read(&value).map(|r| cx.global_errors(r)).unwrap_or_default()
                }
                "identity_credential_types" => {
                    appendix.credential_types = cx.read(&value).and_then(|r| cx.shared_enum(r))
                }
                "domain_name_rules" => appendix.name_rules = cx.read(&value).map(name_rules),
                other => cx.err(
                    "",
                    format!("unknown appendix '{other}' (global_errors, identity_credential_types, domain_name_rules)"),
                ),
            },
            Kind::Defaults => {
                if let Some(raw::RawClientDefaults { client_defaults: list }) = cx.read(&value) {
                    client_defaults = cx.client_defaults(list);
                }
            }
            Kind::Endpoints => {
                if let Some(r) = cx.read(&value) {
                    endpoints = cx.endpoints(r);
                }
            }
        }
    }
    actions.sort_by(|a, b| a.name.cmp(&b.name));
    if diags.is_empty() {
        Ok(Spec {
            actions,
            appendix,
            client_defaults,
            endpoints: endpoints.0,
            default_region: endpoints.1,
        })
    } else {
        diags.0.sort();
        Err(diags)
    }
}

enum Kind<'a> {
    Action(&'a str),
    Appendix,
    Defaults,
    Endpoints,
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
        let out = raw::read(value, &mut problems);
        for Problem { path, message } in problems {
            self.err(&path, message);
        }
        out
    }

    fn action(&mut self, a: raw::RawAction, version: &str) -> Option<Action> {
        let methods = match a.methods {
            None => vec![HttpMethod::Get, HttpMethod::Post],
            Some(mut methods) => {
                methods.sort();
                let before = methods.len();
                methods.dedup();
                if before != methods.len() {
                    self.err("methods", "a method is listed twice");
                }
                if methods.is_empty() {
                    self.err("methods", "at least one method is needed");
                }
                methods
            }
        };

        let mut request: Vec<Param> = Vec::new();
        for raw in a.request.map_or_else(Vec::new, |r| r.0) {
            let Some(p) = self.param(raw) else { continue };
            if request.iter().any(|q| q.wire_name == p.wire_name) {
                self.err(
                    &format!("request.{}", p.wire_name),
                    format!("duplicate parameter '{}'", p.wire_name),
                );
                continue;
            }
            request.push(p);
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
        let response = self.fields(a.response.0, "response");

        let mut errors = Vec::new();
        for (i, e) in a.errors.map_or_else(Vec::new, |e| e.0) {
            if let Some(s) = e.http_status.filter(|s| !(100..600).contains(s)) {
                self.err(
                    &format!("errors[{i}].http_status"),
                    format!("'{s}' is not an HTTP status"),
                );
                continue;
            }
            errors.push(e);
        }
        let mut error_examples = Vec::new();
        for (i, e) in a.error_examples.map_or_else(Vec::new, |e| e.0) {
            if !(400..600).contains(&e.http_status) {
                self.err(
                    &format!("error_examples[{i}].http_status"),
                    format!("'{}' is not an HTTP error status", e.http_status),
                );
                continue;
            }
            error_examples.push(ErrorExample {
                http_status: e.http_status,
                body: e.body.0,
            });
        }
        if let Some(p) = &a.pagination {
            self.pagination(p, &request, &response);
        }
        let metadata_differences = self.metadata_differences(a.metadata_differences, &request);
        let origin = match (a.section, a.source) {
            (Some(section), None) => Origin::Reference { section },
            (None, Some(s)) => Origin::Imported(Source {
                metadata: s.metadata,
                snapshot: s.snapshot,
                response: s.response,
                example_built: s.example == Some(raw::ExampleOrigin::Built),
            }),
            (Some(_), Some(_)) => {
                self.err(
                    "source",
                    "an action has a reference 'section' or an import 'source', not both",
                );
                return None;
            }
            // Reported before the raw layer read the file (`load_sources`).
            (None, None) => return None,
        };

        let file_stem = stem(self.file).to_owned();
        if a.name != file_stem {
            self.err(
                "name",
                format!("'{}' does not match the file name '{file_stem}'", a.name),
            );
        }
        if !is_identifier(&a.name) {
            self.err("name", format!("'{}' is not a valid action name", a.name));
        }
        Some(Action {
            file: self.file.to_owned(),
            name: a.name,
            version: version.to_owned(),
            origin,
            deprecated: a.deprecated.unwrap_or(false),
            summary: a.summary,
            description: a.description,
            methods,
            idempotent: a.idempotent,
            notes: a.notes.unwrap_or_default(),
            request,
            response,
            errors,
            example_response: a.example_response.0,
            go_sdk_differences: a.go_sdk_differences.unwrap_or_default(),
            metadata_differences,
            error_examples,
            pagination: a.pagination,
        })
    }

    /// Explained differences from the metadata: each at most once, a request place naming a parameter.
    fn metadata_differences(
        &mut self,
        list: Option<Indexed<raw::RawMetadataDifference>>,
        request: &[Param],
    ) -> Vec<MetadataDifference> {
        let mut out: Vec<MetadataDifference> = Vec::new();
        for (i, d) in list.map_or_else(Vec::new, |d| d.0) {
            let path = format!("metadata_differences[{i}]");
            let at = d.at.unwrap_or_default();
            let known_place = at.is_empty() || at.starts_with("response.") || at.starts_with("request.");
            if !known_place {
                self.err(
                    &join(&path, "at"),
                    format!("'{at}' is not '', 'request.<name>' or 'response.<path>'"),
                );
                continue;
            }
            if d.reason.trim().is_empty() {
                self.err(&join(&path, "reason"), "say why the spec keeps its own");
            }
            if let Some(name) = at.strip_prefix("request.") {
                // Only upstream has it (`added`), or the spec has it in another shape: no such wire name here.
                let may_be_absent = d.kind == DriftKind::Added || d.kind == DriftKind::Shape;
                if !may_be_absent && !request.iter().any(|p| p.wire_name == name) {
                    self.err(&join(&path, "at"), format!("no request parameter '{name}'"));
                }
            }
            if out.iter().any(|o| o.at == at && o.kind == d.kind) {
                self.err(&path, format!("'{}' at '{at}' is explained twice", d.kind.as_str()));
                continue;
            }
            out.push(MetadataDifference {
                at,
                kind: d.kind,
                reason: d.reason,
            });
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
                self.err(
                    &format!("{vpath}.value"),
                    format!("'{}' is not a valid {}", v.value, ty.as_str()),
                );
            }
            if let Some(n) = v.name.as_ref().filter(|n| !is_identifier(n)) {
                self.err(&format!("{vpath}.name"), format!("'{n}' is not a valid variant name"));
            }
            if out.iter().any(|e| e.value == v.value) {
                self.err(&format!("{vpath}.value"), format!("duplicate value '{}'", v.value));
                continue;
            }
            out.push(EnumValue {
                value: v.value,
                name: v.name,
                description: v.description,
                group: (),
            });
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
        let shape = match parse_wire_name(&p.name) {
            Ok(s) => s,
            Err(msg) => {
                self.err(&join(&label, "name"), msg);
                return None;
            }
        };
        let scalar = match p.ty {
            raw::ParamType::String => Some(ScalarType::String),
            raw::ParamType::Integer => Some(ScalarType::Integer),
            raw::ParamType::Long => Some(ScalarType::Long),
            raw::ParamType::Boolean => Some(ScalarType::Boolean),
            raw::ParamType::Float => Some(ScalarType::Float),
            raw::ParamType::RepeatList => None,
        };
        let ty = match (scalar, &shape) {
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
            self.err(
                &join(&label, "example"),
                format!("'{ex}' is not a valid {}", ty.as_str()),
            );
        }
        let values = self.values(p.values, &label, Some(ty));
        self.enum_name(&p.enum_name, &values, &label);
        let json = p.format == Some(raw::Format::Json);
        if json && (ty != ScalarType::String || shape != ParamShape::Scalar) {
            self.err(&join(&label, "format"), "format: json is for scalar String parameters");
        }
        Some(Param {
            wire_name: p.name,
            shape,
            ty,
            required: p.required,
            example: p.example,
            description: p.description,
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

    fn fields(&mut self, fields: Vec<raw::RawField>, path: &str) -> Vec<Field> {
        let mut out: Vec<Field> = Vec::new();
        for f in fields {
            let f = self.field(f, path);
            if out.iter().any(|g| g.name == f.name) {
                self.err(&format!("{path}.{}", f.name), format!("duplicate field '{}'", f.name));
                continue;
            }
            out.push(f);
        }
        out
    }

    fn field(&mut self, f: raw::RawField, parent: &str) -> Field {
        let k = f.keys;
        let label = join(parent, &k.name);
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
        let ty = match f.ty {
            raw::RawType::Scalar(s) => FieldType::Scalar(s),
            raw::RawType::Json => FieldType::Json,
            raw::RawType::Struct(fields) => FieldType::Struct(Structure {
                name,
                fields: self.fields(fields, &label),
            }),
            raw::RawType::List(item) => FieldType::List {
                item: match item {
                    raw::RawItem::Scalar(s) => ListItem::Scalar(s),
                    raw::RawItem::Json => ListItem::Json,
                    raw::RawItem::Struct(fields) => ListItem::Struct(Structure {
                        name,
                        fields: self.fields(fields, &label),
                    }),
                },
                wrapper: k.wrapper,
            },
        };
        let mut field = Field {
            name: k.name,
            ty,
            example: k.example,
            description: k.description,
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
        let param = |cx: &mut Self, key: &str, name: Option<&String>, ty: ScalarType| {
            let Some(n) = name else { return };
            match request.iter().find(|p| &p.wire_name == n) {
                Some(p) if p.shape == ParamShape::Scalar && p.ty == ty => {}
                Some(_) => cx.err(
                    &format!("pagination.{key}"),
                    format!("'{n}' must be a scalar {} parameter", ty.as_str()),
                ),
                None => cx.err(&format!("pagination.{key}"), format!("no request parameter '{n}'")),
            }
        };
        let token_type = if p.output_token.is_some() {
            ScalarType::String
        } else {
            ScalarType::Integer
        };
        param(self, "input_token", Some(&p.input_token), token_type);
        param(self, "page_size", p.page_size.as_ref(), ScalarType::Integer);
        let field = |cx: &mut Self, key: &str, name: Option<&String>, ok: &dyn Fn(&FieldType) -> bool| {
            let Some(n) = name else { return };
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
        };
        let scalar = |s: ScalarType| move |t: &FieldType| *t == FieldType::Scalar(s);
        field(self, "items", Some(&p.items), &|t| matches!(t, FieldType::List { .. }));
        field(
            self,
            "output_token",
            p.output_token.as_ref(),
            &scalar(ScalarType::String),
        );
        field(
            self,
            "more_results",
            p.more_results.as_ref(),
            &scalar(ScalarType::Boolean),
        );
        field(
            self,
            "total_pages",
            p.total_pages.as_ref(),
            &scalar(ScalarType::Integer),
        );
    }

    fn global_errors(&mut self, r: raw::RawGlobalErrors) -> Vec<GlobalError> {
        let mut out: Vec<GlobalError> = Vec::new();
        for (i, e) in r.errors.0 {
            if out.iter().any(|o| o.code == e.code) {
                self.err(&format!("errors[{i}].code"), format!("duplicate code '{}'", e.code));
                continue;
            }
            out.push(GlobalError {
                code: e.code,
                http_status: e.http_status,
                message: e.message,
                description: e.description.unwrap_or_default(),
                class: e.class,
                retryable: e.retryable,
            });
        }
        out
    }

    fn shared_enum(&mut self, r: raw::RawCredentialTypes) -> Option<SharedEnum> {
        if !is_identifier(&r.name) {
            self.err("name", format!("'{}' is not a valid enum name", r.name));
        }
        let values = r
            .values
            .0
            .into_iter()
            .map(|(_, v)| EnumValue {
                value: v.value,
                name: Some(v.name),
                description: v.description,
                group: v.user_type,
            })
            .collect();
        Some(SharedEnum {
            file: self.file.to_owned(),
            name: r.name,
            values,
        })
    }

    /// Regions and hosts: each region once, each host a bare host name, the default region among them.
    fn endpoints(&mut self, r: raw::RawEndpoints) -> (Vec<RegionEndpoint>, Option<String>) {
        let mut out: Vec<RegionEndpoint> = Vec::new();
        for (i, e) in r.endpoints.0 {
            let path = format!("endpoints[{i}]");
            let region_ok = !e.region.is_empty()
                && e.region
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !region_ok {
                self.err(&join(&path, "region"), format!("'{}' is not a region id", e.region));
                continue;
            }
            let host_ok = !e.host.is_empty()
                && e.host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
            if !host_ok {
                let msg = format!("'{}' is not a host name (no scheme, port or path)", e.host);
                self.err(&join(&path, "host"), msg);
                continue;
            }
            if out.iter().any(|o| o.region == e.region) {
                self.err(&join(&path, "region"), format!("duplicate region '{}'", e.region));
                continue;
            }
            out.push(e);
        }
        if !out.iter().any(|e| e.region == r.default_region) {
            self.err(
                "default_region",
                format!("'{}' is not one of the regions listed", r.default_region),
            );
        }
        (out, Some(r.default_region))
    }

    fn client_defaults(&mut self, list: Indexed<ClientDefault>) -> Vec<ClientDefault> {
        let mut out = Vec::new();
        for (i, d) in list.0 {
            if !is_identifier(&d.name) {
                self.err(
                    &format!("client_defaults[{i}].name"),
                    format!("'{}' is not a scalar parameter name", d.name),
                );
            }
            out.push(d);
        }
        out
    }
}

fn name_rules(r: raw::RawNameRules) -> NameRules {
    let positions = r.hyphen_forbidden_positions.unwrap_or_default();
    NameRules {
        description: r.description,
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
