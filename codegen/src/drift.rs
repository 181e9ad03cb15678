//! Drift: how the spec differs from an OpenAPI metadata document, place by place, and which of those
//! differences the spec explains (`metadata_differences`).
//!
//! A pure function of the spec and the document; `cargo xtask spec drift` prints its report.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::metadata::{self, Api, Document, UpType};
use crate::spec::{Action, DriftKind, Field, FieldType, ListItem, Location, Param, Spec};

/// One difference between the spec and the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The action (empty for the endpoints).
    pub action: String,
    /// `request.PageNum`, `response.Data.Domain[].Remark`, `endpoints.cn-hangzhou`, or empty for the action.
    pub at: String,
    /// What differs.
    pub kind: DriftKind,
    /// What the document says (`-` for nothing).
    pub upstream: String,
    /// What the spec says (`-` for nothing).
    pub ours: String,
    /// The spec's reason for keeping its own, when it gives one.
    pub explanation: Option<String>,
}

/// An explanation in the spec that no difference with this document needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Unused {
    /// The action file.
    pub file: String,
    /// Its `at`.
    pub at: String,
    /// Its `kind`.
    pub kind: DriftKind,
}

/// Everything that differs between the spec and one document.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The document's name.
    pub document: String,
    /// The API version it describes.
    pub version: String,
    /// How many actions both sides have.
    pub compared: usize,
    /// Spec actions of other versions, which the document cannot speak for.
    pub other_versions: Vec<String>,
    /// Every difference, explained or not, by action and place.
    pub differences: Vec<Difference>,
    /// Explanations this document does not need (another document may).
    pub unused: Vec<Unused>,
    /// Where the spec explains a difference from this document (`metadata_differences`, `py_sdk_differences`).
    pub explained_in: &'static str,
}

impl Report {
    /// The differences the spec does not explain.
    pub fn unexplained(&self) -> impl Iterator<Item = &Difference> {
        self.differences.iter().filter(|d| d.explanation.is_none())
    }

    /// How many differences of each kind are explained and unexplained.
    pub fn counts(&self) -> BTreeMap<DriftKind, (usize, usize)> {
        let mut out: BTreeMap<DriftKind, (usize, usize)> = BTreeMap::new();
        for d in &self.differences {
            let e = out.entry(d.kind).or_default();
            if d.explanation.is_some() {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
        out
    }

    /// The report for people: unexplained differences first, by action; then the explained ones, one line each.
    pub fn render(&self, verbose: bool) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "spec vs {} (version {}): {} actions compared",
            self.document, self.version, self.compared
        );
        if !self.other_versions.is_empty() {
            let _ = writeln!(s, "not covered (other versions): {}", self.other_versions.join(", "));
        }
        let line = |s: &mut String, d: &Difference| {
            let at = if d.at.is_empty() { "(action)" } else { &d.at };
            let _ = writeln!(
                s,
                "    {:<10} {at}: upstream {}, spec {}",
                d.kind.as_str(),
                d.upstream,
                d.ours
            );
        };
        let mut last = None;
        for d in self.unexplained() {
            if last != Some(&d.action) {
                let name = if d.action.is_empty() { "(endpoints)" } else { &d.action };
                let _ = writeln!(s, "  {name}");
                last = Some(&d.action);
            }
            line(&mut s, d);
        }
        if verbose {
            let _ = writeln!(s, "explained:");
            for d in self.differences.iter().filter(|d| d.explanation.is_some()) {
                let _ = writeln!(
                    s,
                    "  {} {} {}: {}",
                    d.action,
                    d.kind.as_str(),
                    d.at,
                    d.explanation.as_deref().unwrap_or_default()
                );
            }
        }
        let counts = self.counts();
        let (explained, unexplained) = counts.values().fold((0, 0), |a, c| (a.0 + c.0, a.1 + c.1));
        let by_kind: Vec<String> = counts
            .iter()
            .map(|(k, (e, u))| format!("{} {e}+{u}", k.as_str()))
            .collect();
        let _ = writeln!(
            s,
            "{unexplained} unexplained, {explained} explained ({}; explained+unexplained)",
            by_kind.join(", ")
        );
        if !self.unused.is_empty() {
            let _ = writeln!(s, "{} explanation(s) not needed by this document", self.unused.len());
        }
        s
    }
}

/// Compares the spec with `doc` (named `name` in the report).
pub fn drift(spec: &Spec, doc: &Document, name: &str) -> Report {
    let mut differences = Vec::new();
    let mut compared = 0;
    let mut other_versions = Vec::new();
    let mut used: BTreeSet<(String, String, DriftKind)> = BTreeSet::new();
    for action in &spec.actions {
        if action.version != doc.info.version {
            other_versions.push(action.name.clone());
            continue;
        }
        let api = doc.apis.get(&action.name);
        compared += usize::from(api.is_some());
        for d in action_differences(action, api) {
            if d.explanation.is_some() {
                used.insert((action.name.clone(), d.at.clone(), d.kind));
            }
            differences.push(d);
        }
    }
    for name in doc.apis.keys() {
        if !spec
            .actions
            .iter()
            .any(|a| &a.name == name && a.version == doc.info.version)
        {
            let mut d = diff("", DriftKind::Added, "the action", "-");
            d.action = name.clone();
            differences.push(d);
        }
    }
    compare_endpoints(spec, doc, &mut differences);
    differences.sort_by(|a, b| (&a.action, &a.at, a.kind).cmp(&(&b.action, &b.at, b.kind)));
    let unused = spec
        .actions
        .iter()
        .filter(|a| a.version == doc.info.version)
        .flat_map(|a| {
            a.metadata_differences
                .iter()
                .filter(|e| !used.contains(&(a.name.clone(), e.at.clone(), e.kind)))
                .map(|e| Unused {
                    file: a.file.clone(),
                    at: e.at.clone(),
                    kind: e.kind,
                })
        })
        .collect();
    Report {
        document: name.to_owned(),
        version: doc.info.version.clone(),
        compared,
        other_versions,
        differences,
        unused,
        explained_in: "metadata_differences",
    }
}

/// How one action differs from the document's (`None`: the document lacks it), each difference with the
/// action's explanation when it gives one.
pub fn action_differences(action: &Action, api: Option<&Api>) -> Vec<Difference> {
    let mut found = Vec::new();
    match api {
        Some(api) => compare_action(action, api, &mut found),
        None => found.push(diff("", DriftKind::Removed, "-", "the action")),
    }
    for d in &mut found {
        d.action = action.name.clone();
        d.explanation = action.explanation(&d.at, d.kind).map(str::to_owned);
    }
    found
}

pub(crate) fn diff(at: &str, kind: DriftKind, upstream: impl Into<String>, ours: impl Into<String>) -> Difference {
    Difference {
        action: String::new(),
        at: at.to_owned(),
        kind,
        upstream: upstream.into(),
        ours: ours.into(),
        explanation: None,
    }
}

pub(crate) fn words<T: AsRef<str>>(items: impl IntoIterator<Item = T>) -> String {
    let v: Vec<String> = items.into_iter().map(|s| s.as_ref().to_owned()).collect();
    if v.is_empty() {
        "-".to_owned()
    } else {
        v.join(" ")
    }
}

fn compare_action(action: &Action, api: &Api, out: &mut Vec<Difference>) {
    let theirs = api.http_methods();
    if !theirs.is_empty() && theirs != action.methods {
        out.push(diff(
            "",
            DriftKind::Methods,
            words(theirs.iter().map(|m| m.as_str())),
            words(action.methods.iter().map(|m| m.as_str())),
        ));
    }
    if api.deprecated != action.deprecated {
        out.push(diff(
            "",
            DriftKind::Deprecated,
            api.deprecated.to_string(),
            action.deprecated.to_string(),
        ));
    }
    compare_request(&action.request, api, out);
    if let Some(schema) = api.response_schema() {
        let theirs = metadata::flat_response(schema);
        let mut ours = Vec::new();
        flat_fields(&action.response, "", &mut ours);
        compare_response(&ours, &theirs, out);
    }
}

fn base_of(wire: &str) -> &str {
    wire.split('.').next().unwrap_or(wire)
}

fn compare_request(request: &[Param], api: &Api, out: &mut Vec<Difference>) {
    let theirs = api.flat_params();
    let our_names: BTreeSet<&str> = request.iter().map(|p| p.wire_name.as_str()).collect();
    let their_names: BTreeSet<&str> = theirs.iter().map(|p| p.wire.as_str()).collect();
    // The shape of each list on each side: `X` (scalar), `X.N` (list) or `X.N.Field` (structures).
    let class = |wire: &str| wire.matches('.').count();
    let their_class: BTreeMap<&str, usize> = theirs.iter().map(|p| (p.base(), class(&p.wire))).collect();
    let our_class: BTreeMap<&str, usize> = request
        .iter()
        .map(|q| (base_of(&q.wire_name), class(&q.wire_name)))
        .collect();
    for (base, c) in &their_class {
        if our_class.get(base).is_some_and(|o| o != c) {
            let up = theirs.iter().filter(|p| p.base() == *base).map(|p| p.wire.as_str());
            let ours = request
                .iter()
                .filter(|p| base_of(&p.wire_name) == *base)
                .map(|p| p.wire_name.as_str());
            out.push(diff(
                &format!("request.{base}"),
                DriftKind::Shape,
                words(up),
                words(ours),
            ));
        }
    }
    let same_shape = |base: &str| their_class.get(base) == our_class.get(base);
    for p in &theirs {
        if !our_names.contains(p.wire.as_str()) && (same_shape(p.base()) || !our_class.contains_key(p.base())) {
            out.push(diff(
                &format!("request.{}", p.wire),
                DriftKind::Added,
                p.ty.to_string(),
                "-",
            ));
        }
    }
    for q in request {
        let base = base_of(&q.wire_name);
        if !their_names.contains(q.wire_name.as_str()) && (same_shape(base) || !their_class.contains_key(base)) {
            out.push(diff(
                &format!("request.{}", q.wire_name),
                DriftKind::Removed,
                "-",
                q.ty.as_str(),
            ));
        }
    }
    for q in request {
        let Some(p) = theirs.iter().find(|p| p.wire == q.wire_name) else {
            continue;
        };
        let at = format!("request.{}", q.wire_name);
        compare_type(&at, &p.ty, &metadata::up_type(q.ty), out);
        if p.required != q.required {
            out.push(diff(
                &at,
                DriftKind::Required,
                p.required.to_string(),
                q.required.to_string(),
            ));
        }
        let ours_position = if q.location == Some(Location::Body) {
            "formData"
        } else {
            "query"
        };
        if p.position() != ours_position {
            out.push(diff(&at, DriftKind::Position, p.position().to_owned(), ours_position));
        }
        let up_values: BTreeSet<String> = metadata::documented_values(p.schema)
            .into_iter()
            .map(|v| v.value)
            .collect();
        let our_values: BTreeSet<String> = q.values.iter().map(|v| v.value.clone()).collect();
        // A Boolean's `true`/`false` list is no value set.
        if q.ty != crate::spec::ScalarType::Boolean && !up_values.is_empty() && up_values != our_values {
            out.push(diff(&at, DriftKind::Values, words(&up_values), words(&our_values)));
        }
        if p.deprecated() != q.deprecated {
            out.push(diff(
                &at,
                DriftKind::Deprecated,
                p.deprecated().to_string(),
                q.deprecated.to_string(),
            ));
        }
    }
}

/// A type difference: of base type, else (both scalars of one base) of format.
fn compare_type(at: &str, up: &UpType, ours: &UpType, out: &mut Vec<Difference>) {
    if up.base != ours.base {
        out.push(diff(at, DriftKind::Type, up.to_string(), ours.to_string()));
    } else if up.scalar().is_some() && up.scalar() != ours.scalar() {
        out.push(diff(at, DriftKind::Format, up.to_string(), ours.to_string()));
    }
}

/// The spec's response fields as [`metadata::flat_response`] lays out the document's.
fn flat_fields(fields: &[Field], prefix: &str, out: &mut Vec<(String, UpType)>) {
    for f in fields {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        match &f.ty {
            FieldType::Scalar(s) => out.push((path, metadata::up_type(*s))),
            FieldType::Json => out.push((path, UpType::named("any"))),
            FieldType::Struct(s) => {
                out.push((path.clone(), UpType::named("object")));
                flat_fields(&s.fields, &path, out);
            }
            FieldType::List { item, wrapper } => {
                let list = match wrapper {
                    Some(w) => {
                        out.push((path.clone(), UpType::named("object")));
                        format!("{path}.{w}")
                    }
                    None => path,
                };
                out.push((list.clone(), UpType::named("array")));
                let items = format!("{list}[]");
                match item {
                    ListItem::Scalar(s) => out.push((items, metadata::up_type(*s))),
                    ListItem::Json => out.push((items, UpType::named("any"))),
                    ListItem::Struct(s) => {
                        out.push((items.clone(), UpType::named("object")));
                        flat_fields(&s.fields, &items, out);
                    }
                }
            }
        }
    }
}

/// Added and removed subtrees are reported at their root only.
fn compare_response(ours: &[(String, UpType)], theirs: &[(String, UpType)], out: &mut Vec<Difference>) {
    let ours_map: BTreeMap<&str, &UpType> = ours.iter().map(|(p, t)| (p.as_str(), t)).collect();
    let theirs_map: BTreeMap<&str, &UpType> = theirs.iter().map(|(p, t)| (p.as_str(), t)).collect();
    let under = |path: &str, reported: &[String]| {
        reported.iter().any(|r| {
            path.strip_prefix(r.as_str())
                .is_some_and(|rest| rest.starts_with(['.', '[']))
        })
    };
    let mut reported: Vec<String> = Vec::new();
    for (path, t) in theirs {
        if !ours_map.contains_key(path.as_str()) && !under(path, &reported) {
            out.push(diff(&format!("response.{path}"), DriftKind::Added, t.to_string(), "-"));
            reported.push(path.clone());
        }
    }
    for (path, t) in ours {
        if !theirs_map.contains_key(path.as_str()) && !under(path, &reported) {
            out.push(diff(
                &format!("response.{path}"),
                DriftKind::Removed,
                "-",
                t.to_string(),
            ));
            reported.push(path.clone());
        }
    }
    for (path, t) in ours {
        if let Some(up) = theirs_map.get(path.as_str()) {
            compare_type(&format!("response.{path}"), up, t, out);
        }
    }
}

fn compare_endpoints(spec: &Spec, doc: &Document, out: &mut Vec<Difference>) {
    for e in &doc.endpoints {
        match spec.endpoints.iter().find(|s| s.region == e.region_id) {
            Some(s) if s.host == e.endpoint => {}
            Some(s) => out.push(diff(
                &format!("endpoints.{}", e.region_id),
                DriftKind::Type,
                e.endpoint.clone(),
                s.host.clone(),
            )),
            None => out.push(diff(
                &format!("endpoints.{}", e.region_id),
                DriftKind::Added,
                e.endpoint.clone(),
                "-",
            )),
        }
    }
    for s in &spec.endpoints {
        if !doc.endpoints.iter().any(|e| e.region_id == s.region) {
            out.push(diff(
                &format!("endpoints.{}", s.region),
                DriftKind::Removed,
                "-",
                s.host.clone(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::ParamShape;

    #[test]
    fn shape_differences_are_reported_once_per_list() {
        let doc = metadata::parse(
            r#"{"info": {"product": "Domain", "version": "2018-01-29"}, "apis": {"A": {"parameters": [
                {"name": "Tag", "in": "query", "style": "repeatList",
                 "schema": {"type": "array", "items": {"type": "object", "properties": {
                    "Key": {"type": "string"}, "Value": {"type": "string"}}}}}
            ]}}}"#,
        )
        .unwrap();
        let request = vec![Param {
            wire_name: "Tag.N".into(),
            rust_name: None,
            shape: ParamShape::List,
            ty: crate::spec::ScalarType::String,
            required: false,
            example: None,
            description: None,
            description_en: None,
            default: None,
            values: Vec::new(),
            enum_name: None,
            location: None,
            json: false,
            deprecated: false,
            notes: Vec::new(),
        }];
        let mut out = Vec::new();
        compare_request(&request, &doc.apis["A"], &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].kind, DriftKind::Shape);
        assert_eq!(out[0].upstream, "Tag.N.Key Tag.N.Value");
        assert_eq!(out[0].ours, "Tag.N");
    }
}
