//! Drift from the official Python SDK: its request surface (`py_sdk_domain.json` of `api-spec/upstream/`) read,
//! and compared with the spec, each difference matched against the action's `py_sdk_differences`.
//!
//! The surface carries, per action, the version, the method the SDK sends, and each request parameter's name,
//! Python type, position (`query`/`formData`), required flag and serialization; no descriptions, value sets or
//! responses. So the comparison covers actions on one side only (`added`: only the SDK, explained for an action
//! the spec leaves out by `not_imported.yaml`; `removed`: only the spec), parameters on one side only, list
//! `shape`, `type`, `format` (a value the SDK sends as one JSON text, where the spec's String has no
//! `format: json`), `required`, `position` and `methods`. Where the Python types say less than the spec, the
//! comparison asks no more of them: `int` is Integer or Long; a `str` may carry a JSON document; a list of
//! structures is named by its model only, so it is compared as a whole at `request.X` (required when any of its
//! fields is, in the spec); and the SDK sends each action by one method, a difference only when the spec does
//! not allow it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::drift::{diff, words, Difference, Report, Unused};
use crate::spec::{Action, DriftKind, HttpMethod, Location, Param, ParamShape, ScalarType, Spec};

/// The Python SDK's request surface.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Surface {
    /// Where it was extracted from.
    pub source: String,
    /// How many actions it lists.
    pub count: usize,
    /// Every action, by name.
    pub apis: BTreeMap<String, PyApi>,
}

/// One action of the SDK.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PyApi {
    /// The API version (`2018-01-29`).
    pub version: String,
    /// The method the SDK sends (`POST`).
    pub method: String,
    /// `RPC`.
    pub style: String,
    /// How the SDK sends body parameters (`formData`).
    pub req_body_type: String,
    /// How it reads the answer (`json`).
    pub body_type: String,
    /// The request model's class.
    pub request_model: String,
    /// The request parameters, by name.
    pub parameters: Vec<PyParam>,
}

/// One request parameter of the SDK.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PyParam {
    /// The wire name without list suffixes (`DomainName`, `Tag`).
    pub name: String,
    /// `query` or `formData`.
    #[serde(rename = "in")]
    pub position: String,
    /// The Python type: `str`, `int`, `bool`, `float`, `List[str]`, `List[main_models.…]`.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the SDK requires it.
    pub required: bool,
    /// `json-shrink`: the SDK sends the value as one JSON text.
    pub serialization: Option<String>,
}

/// A Python parameter's shape on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PyShape<'a> {
    /// `X`, of this Python type (a JSON text is a `str`).
    Scalar(&'a str),
    /// `X.N`, items of this Python type.
    List(&'a str),
    /// `X.N.Field`: a list of structures, named by its model only.
    Structs,
}

const SCALARS: [&str; 4] = ["str", "int", "bool", "float"];

impl PyParam {
    /// Whether the SDK sends the value as one JSON text (its `json-shrink`).
    fn json(&self) -> bool {
        self.serialization.is_some()
    }

    fn shape(&self) -> PyShape<'_> {
        if self.json() {
            return PyShape::Scalar("str");
        }
        match self.ty.strip_prefix("List[").and_then(|t| t.strip_suffix(']')) {
            Some(item) if SCALARS.contains(&item) => PyShape::List(item),
            Some(_) => PyShape::Structs,
            None => PyShape::Scalar(&self.ty),
        }
    }

    /// How the spec writes the place: `X`, `X.N`, or `X` for a list of structures as a whole.
    fn wire(&self) -> String {
        match self.shape() {
            PyShape::List(_) => format!("{}.N", self.name),
            _ => self.name.clone(),
        }
    }
}

/// Reads a surface, saying what is wrong when it is not one the spec can be compared with.
pub fn parse(text: &str) -> Result<Surface, String> {
    let surface: Surface = serde_json::from_str(text).map_err(|e| format!("not a Python SDK surface: {e}"))?;
    if surface.count != surface.apis.len() {
        let n = surface.apis.len();
        return Err(format!(
            "the surface says it has {} actions, but lists {n}",
            surface.count
        ));
    }
    for (name, api) in &surface.apis {
        let fixed = [("style", &api.style, "RPC"), ("bodyType", &api.body_type, "json")];
        for (key, value, want) in fixed {
            if value != want {
                return Err(format!("{name}: {key} `{value}`; the spec describes {want} only"));
            }
        }
        if !matches!(api.method.as_str(), "GET" | "POST") {
            return Err(format!("{name}: unknown method `{}`", api.method));
        }
        for p in &api.parameters {
            if !matches!(p.position.as_str(), "query" | "formData") {
                return Err(format!("{name}.{}: unknown position `{}`", p.name, p.position));
            }
            if p.serialization.as_deref().is_some_and(|s| s != "json-shrink") {
                return Err(format!(
                    "{name}.{}: unknown serialization {:?}",
                    p.name, p.serialization
                ));
            }
        }
    }
    Ok(surface)
}

/// Compares the spec with the surface (named `name` in the report); explanations come from each action's
/// `py_sdk_differences` and, for actions only the SDK has, from the spec's `not_imported`.
pub fn drift(spec: &Spec, surface: &Surface, name: &str) -> Report {
    let versions: BTreeSet<&str> = surface.apis.values().map(|a| a.version.as_str()).collect();
    let mut differences = Vec::new();
    let (mut compared, mut other_versions) = (0, Vec::new());
    let mut used: BTreeSet<(String, String, DriftKind)> = BTreeSet::new();
    for action in &spec.actions {
        if !versions.contains(action.version.as_str()) {
            other_versions.push(action.name.clone());
            continue;
        }
        let api = surface.apis.get(&action.name).filter(|a| a.version == action.version);
        compared += usize::from(api.is_some());
        let mut found = Vec::new();
        match api {
            Some(api) => compare_action(action, api, &mut found),
            None => found.push(diff("", DriftKind::Removed, "-", "the action")),
        }
        for mut d in found {
            d.action = action.name.clone();
            d.explanation = action.py_sdk_explanation(&d.at, d.kind).map(str::to_owned);
            if d.explanation.is_some() {
                used.insert((action.name.clone(), d.at.clone(), d.kind));
            }
            differences.push(d);
        }
    }
    let mut left_out_used = BTreeSet::new();
    for (action, api) in &surface.apis {
        if spec
            .actions
            .iter()
            .any(|a| &a.name == action && a.version == api.version)
        {
            continue;
        }
        let mut d = diff("", DriftKind::Added, "the action", "-");
        d.action = action.clone();
        d.explanation = spec
            .not_imported
            .iter()
            .find(|n| &n.name == action)
            .map(|n| n.reason.clone());
        if d.explanation.is_some() {
            left_out_used.insert(action.as_str());
        }
        differences.push(d);
    }
    differences.sort_by(|a, b| (&a.action, &a.at, a.kind).cmp(&(&b.action, &b.at, b.kind)));
    let mut unused: Vec<Unused> = spec
        .actions
        .iter()
        .filter(|a| versions.contains(a.version.as_str()))
        .flat_map(|a| {
            let used = &used;
            a.py_sdk_differences
                .iter()
                .filter(move |e| !used.contains(&(a.name.clone(), e.at.clone(), e.kind)))
                .map(|e| Unused {
                    file: a.file.clone(),
                    at: e.at.clone(),
                    kind: e.kind,
                })
        })
        .collect();
    unused.extend(
        spec.not_imported
            .iter()
            .filter(|n| !left_out_used.contains(n.name.as_str()))
            .map(|n| Unused {
                file: "not_imported.yaml".to_owned(),
                at: n.name.clone(),
                kind: DriftKind::Added,
            }),
    );
    Report {
        document: name.to_owned(),
        version: words(versions),
        compared,
        other_versions,
        differences,
        unused,
        explained_in: "py_sdk_differences",
    }
}

/// The spec's parameters grouped as the SDK names them: by the name before any `.N`, in the spec's order.
fn groups(request: &[Param]) -> Vec<(&str, Vec<&Param>)> {
    let mut out: Vec<(&str, Vec<&Param>)> = Vec::new();
    for p in request {
        let base = p.wire_name.split('.').next().unwrap_or(&p.wire_name);
        match out.iter_mut().find(|(b, _)| *b == base) {
            Some((_, ps)) => ps.push(p),
            None => out.push((base, vec![p])),
        }
    }
    out
}

/// `0` scalar, `1` plain list, `2` list of structures: the spec's side.
fn class(p: &Param) -> u8 {
    match p.shape {
        ParamShape::Scalar => 0,
        ParamShape::List => 1,
        ParamShape::StructField { .. } => 2,
    }
}

fn py_class(p: &PyParam) -> u8 {
    match p.shape() {
        PyShape::Scalar(_) => 0,
        PyShape::List(_) => 1,
        PyShape::Structs => 2,
    }
}

/// Whether a value of the spec's type is one of the Python type's.
fn accepts(py: &str, ours: ScalarType) -> bool {
    use ScalarType::*;
    matches!(
        (py, ours),
        ("str", String) | ("int", Integer | Long) | ("bool", Boolean) | ("float", Float)
    )
}

fn compare_action(action: &Action, api: &PyApi, out: &mut Vec<Difference>) {
    let method = if api.method == "GET" {
        HttpMethod::Get
    } else {
        HttpMethod::Post
    };
    if !action.methods.contains(&method) {
        let ours = words(action.methods.iter().map(|m| m.as_str()));
        out.push(diff("", DriftKind::Methods, api.method.clone(), ours));
    }
    let ours = groups(&action.request);
    for p in &api.parameters {
        match ours.iter().find(|(base, _)| *base == p.name) {
            Some((_, params)) => compare_param(p, params, out),
            None => out.push(diff(
                &format!("request.{}", p.wire()),
                DriftKind::Added,
                p.ty.clone(),
                "-",
            )),
        }
    }
    for (base, params) in &ours {
        if api.parameters.iter().any(|p| p.name == *base) {
            continue;
        }
        let (wire, ty) = match params[0].shape {
            ParamShape::StructField { .. } => (base.to_string(), words(params.iter().map(|p| &p.wire_name))),
            _ => (params[0].wire_name.clone(), params[0].type_word().to_owned()),
        };
        out.push(diff(&format!("request.{wire}"), DriftKind::Removed, "-", ty));
    }
}

/// One parameter of the SDK against the spec's parameters of that name (one, or a structure's fields).
fn compare_param(p: &PyParam, params: &[&Param], out: &mut Vec<Difference>) {
    let first = params[0];
    if class(first) != py_class(p) {
        let ours = words(params.iter().map(|q| &q.wire_name));
        out.push(diff(&format!("request.{}", p.name), DriftKind::Shape, p.wire(), ours));
        return;
    }
    let at = format!("request.{}", p.wire());
    if let PyShape::Scalar(ty) | PyShape::List(ty) = p.shape() {
        if !accepts(ty, first.ty) {
            out.push(diff(&at, DriftKind::Type, p.ty.clone(), first.ty.as_str()));
        } else if p.json() && !first.json {
            // A `str` does not say its text is no JSON document: only the SDK's JSON text can differ.
            out.push(diff(&at, DriftKind::Format, "json-shrink", "-"));
        }
    }
    let required = params.iter().any(|q| q.required);
    if p.required != required {
        out.push(diff(
            &at,
            DriftKind::Required,
            p.required.to_string(),
            required.to_string(),
        ));
    }
    let body = params.iter().any(|q| q.location == Some(Location::Body));
    let position = if body { "formData" } else { "query" };
    if p.position != position {
        out.push(diff(&at, DriftKind::Position, p.position.clone(), position));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
name: A
section: "1.1"
summary: s
idempotent: true
py_sdk_differences:
  - at: request.Tag
    kind: required
    reason: the spec keeps its own on purpose
  - at: request.Gone
    kind: position
    reason: a stale explanation, needed by no difference
request:
  - name: PageNum
    type: Long
    description: d
    required: true
  - name: Ids.N
    type: RepeatList
    description: d
    required: false
  - name: Json
    type: String
    description: d
    required: false
  - name: Doc
    type: String
    description: d
    format: json
    required: false
  - name: Body
    type: String
    description: d
    required: false
    location: body
  - name: Gone
    type: String
    description: d
    required: false
  - name: Flat.N
    type: RepeatList
    description: d
    required: false
  - name: Tag.N.Key
    type: String
    description: d
    required: false
  - name: Tag.N.Value
    type: String
    description: d
    required: false
  - name: Pair.N.Key
    type: String
    description: d
    required: false
response:
  - name: RequestId
    type: String
    description: d
example_response: '{"RequestId": "r"}'
"#;

    const LOST: &str = r#"
name: Lost
section: "1.2"
summary: s
idempotent: true
response:
  - name: RequestId
    type: String
    description: d
example_response: '{"RequestId": "r"}'
"#;

    const GET_ONLY: &str = r#"
name: G
section: "1.3"
summary: s
methods: [GET]
idempotent: true
response:
  - name: RequestId
    type: String
    description: d
example_response: '{"RequestId": "r"}'
"#;

    const NOT_IMPORTED: &str = "not_imported:
  - name: Hidden
    reason: undocumented anywhere
  - name: Stale
    reason: no longer in the SDK
";

    const SURFACE: &str = r#"{"source": "fixture", "count": 4, "apis": {
      "A": {"version": "2018-01-29", "method": "POST", "style": "RPC", "reqBodyType": "formData",
            "bodyType": "json", "requestModel": "ARequest", "parameters": [
        {"name": "PageNum", "in": "query", "type": "int", "required": true},
        {"name": "Ids", "in": "query", "type": "List[int]", "required": false},
        {"name": "Json", "in": "query", "type": "List[main_models.AJson]", "required": false,
         "serialization": "json-shrink"},
        {"name": "Doc", "in": "query", "type": "str", "required": false},
        {"name": "Body", "in": "query", "type": "str", "required": false},
        {"name": "New", "in": "query", "type": "bool", "required": false},
        {"name": "Flat", "in": "query", "type": "List[main_models.AFlat]", "required": false},
        {"name": "Tag", "in": "query", "type": "List[main_models.ATag]", "required": true},
        {"name": "Pair", "in": "formData", "type": "List[main_models.APair]", "required": false}]},
      "G": {"version": "2018-01-29", "method": "POST", "style": "RPC", "reqBodyType": "formData",
            "bodyType": "json", "requestModel": "GRequest", "parameters": []},
      "Hidden": {"version": "2018-01-29", "method": "POST", "style": "RPC", "reqBodyType": "formData",
                 "bodyType": "json", "requestModel": "HiddenRequest", "parameters": []},
      "Other": {"version": "2018-01-29", "method": "POST", "style": "RPC", "reqBodyType": "formData",
                "bodyType": "json", "requestModel": "OtherRequest", "parameters": []}}}"#;

    #[test]
    fn every_kind_of_difference_is_found_where_it_is_and_explanations_apply() {
        let spec = crate::load::load_sources(&[
            ("2018-01-29/actions/A.yaml".to_owned(), SPEC.to_owned()),
            ("2018-01-29/actions/Lost.yaml".to_owned(), LOST.to_owned()),
            ("2018-01-29/actions/G.yaml".to_owned(), GET_ONLY.to_owned()),
            ("not_imported.yaml".to_owned(), NOT_IMPORTED.to_owned()),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let report = drift(&spec, &parse(SURFACE).unwrap(), "py.json");
        let found: Vec<String> = report
            .differences
            .iter()
            .map(|d| format!("{} {} {} {}", d.action, d.kind.as_str(), d.at, d.explanation.is_some()))
            .collect();
        let expected = [
            "G methods  false",
            "A type request.Ids.N false",
            "A format request.Json false",
            "A position request.Body false",
            "A added request.New false",
            "A removed request.Gone false",
            "A shape request.Flat false",
            "A required request.Tag true",
            "A position request.Pair false",
            "Hidden added  true",
            "Lost removed  false",
            "Other added  false",
        ];
        let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        let mut got = found;
        want.sort();
        got.sort();
        assert_eq!(got, want);
        assert_eq!(report.compared, 2);
        let unused: Vec<(&str, &str)> = report.unused.iter().map(|u| (u.file.as_str(), u.at.as_str())).collect();
        assert_eq!(
            unused,
            [
                ("2018-01-29/actions/A.yaml", "request.Gone"),
                ("not_imported.yaml", "Stale")
            ]
        );
        let tag = report.differences.iter().find(|d| d.at == "request.Tag").unwrap();
        assert_eq!((tag.upstream.as_str(), tag.ours.as_str()), ("true", "false"));
    }

    #[test]
    fn an_action_left_out_on_purpose_cannot_be_in_the_spec() {
        let err = crate::load::load_sources(&[
            ("2018-01-29/actions/Lost.yaml".to_owned(), LOST.to_owned()),
            (
                "not_imported.yaml".to_owned(),
                "not_imported:\n  - name: Lost\n    reason: r\n".to_owned(),
            ),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("not_imported.Lost: 'Lost' is in the spec"), "{err}");
    }

    #[test]
    fn a_surface_the_spec_cannot_describe_is_refused() {
        let rest = SURFACE.replacen("\"style\": \"RPC\"", "\"style\": \"ROA\"", 1);
        assert!(parse(&rest).unwrap_err().contains("RPC"));
        let count = SURFACE.replacen("\"count\": 4", "\"count\": 5", 1);
        assert!(parse(&count).unwrap_err().contains("5 actions"));
    }
}
