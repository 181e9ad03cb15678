//! Drift finds every kind of difference the issue names, place by place, and matches the spec's explanations.

use codegen::drift::drift;
use codegen::{load, metadata};

const SPEC: &str = r#"
name: A
section: "1.1"
summary: s
idempotent: true
metadata_differences:
  - at: request.Gone
    kind: removed
    reason: the spec keeps it on purpose
  - at: request.PageNum
    kind: shape
    reason: a stale explanation, needed by no difference
request:
  - name: PageNum
    type: Integer
    description: d
    required: true
  - name: Kind
    type: String
    description: d
    required: false
    values:
      - value: x
        description: d
      - value: y
        description: d
  - name: Ids.N
    type: RepeatList
    description: d
    required: false
  - name: Body
    type: String
    description: d
    required: false
  - name: Old
    type: String
    description: d
    required: false
  - name: Gone
    type: String
    description: d
    required: false
  - name: Tag.N
    type: RepeatList
    description: d
    required: false
response:
  - name: RequestId
    type: String
    description: d
  - name: Count
    type: Integer
    description: d
  - name: List
    type: Array
    description: d
    item_type: String
example_response: '{"RequestId": "r"}'
"#;

const ENDPOINTS: &str = "default_region: cn-hangzhou
endpoints:
  - region: cn-hangzhou
    host: other.example.com
  - region: xx-gone
    host: gone.example.com
";

const DOCUMENT: &str = r#"{"info": {"product": "Domain", "version": "2018-01-29"},
  "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "domain.aliyuncs.com"},
                {"regionId": "ap-southeast-1", "endpoint": "domain-intl.aliyuncs.com"}],
  "apis": {"A": {"methods": ["post"], "deprecated": true, "parameters": [
    {"name": "PageNum", "in": "query", "schema": {"type": "integer", "format": "int64", "required": false}},
    {"name": "Kind", "in": "query", "schema": {"type": "string", "enum": ["x", "z"]}},
    {"name": "Ids", "in": "query", "style": "repeatList", "schema": {"type": "array", "items": {"type": "integer"}}},
    {"name": "Body", "in": "formData", "schema": {"type": "string"}},
    {"name": "Old", "in": "query", "schema": {"type": "string", "deprecated": true}},
    {"name": "New", "in": "query", "schema": {"type": "boolean"}},
    {"name": "Tag", "in": "query", "style": "repeatList",
     "schema": {"type": "array", "items": {"type": "object", "properties": {"Key": {"type": "string"}}}}}
  ], "responses": {"200": {"schema": {"type": "object", "properties": {
    "RequestId": {"type": "string"},
    "Count": {"type": "string"},
    "List": {"type": "object", "properties": {"Item": {"type": "array", "items": {"type": "string"}}}},
    "Extra": {"type": "object", "properties": {"Flag": {"type": "boolean"}}}
  }}}}},
  "B": {"methods": ["get"], "parameters": []}}}"#;

#[test]
fn every_kind_of_difference_is_found_where_it_is_and_explanations_apply() {
    let spec = load::load_sources(&[
        ("2018-01-29/actions/A.yaml".to_owned(), SPEC.to_owned()),
        ("endpoints.yaml".to_owned(), ENDPOINTS.to_owned()),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let doc = metadata::parse(DOCUMENT).unwrap();
    let report = drift(&spec, &doc, "doc.json");
    let found: Vec<String> = report
        .differences
        .iter()
        .map(|d| format!("{} {} {}", d.action, d.kind.as_str(), d.at))
        .collect();
    let expected = [
        "A methods ",
        "A deprecated ",
        "A shape request.Tag",
        "A added request.New",
        "A removed request.Gone",
        "A format request.PageNum",
        "A required request.PageNum",
        "A values request.Kind",
        "A type request.Ids.N",
        "A position request.Body",
        "A deprecated request.Old",
        "A added response.Extra",
        "A type response.List",
        "A added response.List.Item",
        "A removed response.List[]",
        "A type response.Count",
        "B added ",
        " added endpoints.ap-southeast-1",
        " type endpoints.cn-hangzhou",
        " removed endpoints.xx-gone",
    ];
    let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    let mut got = found.clone();
    want.sort();
    got.sort();
    assert_eq!(got, want, "{}", report.render(true));

    let gone = report.differences.iter().find(|d| d.at == "request.Gone").unwrap();
    assert_eq!(gone.explanation.as_deref(), Some("the spec keeps it on purpose"));
    assert_eq!(report.unexplained().count(), expected.len() - 1);
    let unused: Vec<(&str, &str)> = report.unused.iter().map(|u| (u.at.as_str(), u.kind.as_str())).collect();
    assert_eq!(unused, [("request.PageNum", "shape")]);
    let required = report
        .differences
        .iter()
        .find(|d| d.kind.as_str() == "required")
        .unwrap();
    assert_eq!((required.upstream.as_str(), required.ours.as_str()), ("false", "true"));
    // Machine-readable too.
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["differences"].as_array().map(Vec::len), Some(expected.len()));
}
