//! The official OpenAPI metadata (`api-docs`) of a product, read leniently, and its actions seen in the spec's
//! terms: wire names (`X`, `X.N`, `X.N.Field`), the spec's types, positions and value sets.
//!
//! The documents come from a mirror that turned empty JSON objects into empty arrays (`"properties": []`), and
//! snapshots differ in what they keep (the 2025 one has no descriptions, examples or responses): every key but
//! an action's parameters is optional, and an empty array stands for an empty object wherever a map is expected.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::spec::{HttpMethod, ScalarType};

/// A metadata document: one product, one version.
#[derive(Debug, Clone, Deserialize)]
pub struct Document {
    /// Product and version.
    pub info: Info,
    /// Every action, by name.
    pub apis: BTreeMap<String, Api>,
    /// Region → host.
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
}

/// `info`.
#[derive(Debug, Clone, Deserialize)]
pub struct Info {
    /// `Domain`.
    pub product: String,
    /// `2018-01-29`.
    pub version: String,
}

/// One entry of `endpoints`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// `cn-hangzhou`.
    pub region_id: String,
    /// `domain.aliyuncs.com`.
    pub endpoint: String,
}

/// One action.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Api {
    /// One sentence.
    pub summary: Option<String>,
    /// The API Explorer's title.
    pub title: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    /// `post`, `get`.
    #[serde(default)]
    pub methods: Vec<String>,
    /// `read`, `write`, `readAndWrite`.
    pub operation_type: Option<String>,
    /// The request parameters, in the document's order.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// `200` → its schema.
    #[serde(default)]
    pub responses: Ordered<Response>,
    /// A JSON string: a list of `{type: json|xml, example}`.
    pub response_demo: Option<String>,
    /// Whether the action is deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// One entry of `responses`.
#[derive(Debug, Clone, Deserialize)]
pub struct Response {
    /// The body's schema.
    pub schema: Option<Schema>,
}

/// A request parameter.
#[derive(Debug, Clone, Deserialize)]
pub struct Parameter {
    /// `PageNum`, `DomainName` (a list: `style: repeatList`).
    pub name: String,
    /// `query` or `formData`.
    #[serde(rename = "in")]
    pub position: String,
    /// `repeatList` for `X.N` lists.
    pub style: Option<String>,
    /// Type and documentation.
    pub schema: Schema,
}

/// A JSON-schema-like node.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// `string`, `integer`, `boolean`, `number`, `array`, `object`, `any`.
    #[serde(rename = "type")]
    pub ty: Option<String>,
    /// `int32`, `int64`, `double`.
    pub format: Option<String>,
    /// Whether the parameter must be set.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub required: bool,
    /// Markdown.
    pub description: Option<String>,
    /// The example value.
    #[serde(default, deserialize_with = "lenient_string")]
    pub example: Option<String>,
    /// The default value.
    #[serde(default, deserialize_with = "lenient_string")]
    pub default: Option<String>,
    /// The documented values, when the document lists them as such.
    #[serde(rename = "enum")]
    pub values: Option<Vec<serde_json::Value>>,
    /// An array's items.
    pub items: Option<Box<Schema>>,
    /// An object's properties, in the document's order.
    #[serde(default)]
    pub properties: Ordered<Schema>,
    /// Whether the parameter is deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// A JSON object whose key order matters, also accepted as an empty array (the mirror's empty object).
#[derive(Debug, Clone)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<T> Ordered<T> {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object (or an empty array)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, T>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                match seq.next_element::<de::IgnoredAny>()? {
                    None => Ok(Ordered(Vec::new())),
                    Some(_) => Err(de::Error::custom("expected an object, found a non-empty array")),
                }
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Ordered(Vec::new()))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `true`, `false`, `"true"`, `"false"`, or null (false).
fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Bool(b) => Ok(b),
        serde_json::Value::Null => Ok(false),
        serde_json::Value::String(s) if s == "true" || s == "false" => Ok(s == "true"),
        other => Err(de::Error::custom(format!("expected a boolean, found {other}"))),
    }
}

/// A scalar as text (examples and defaults are strings, numbers or booleans); null is none.
fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(scalar_text(&serde_json::Value::deserialize(d)?))
}

fn scalar_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Reads a document, saying what is wrong when it is not one.
pub fn parse(text: &str) -> Result<Document, String> {
    serde_json::from_str(text).map_err(|e| format!("not an OpenAPI metadata document: {e}"))
}

/// A metadata type in the spec's words: the base type (`string`, `integer`, …) and its format (`int64`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UpType {
    /// `string`, `integer`, `boolean`, `number`, `array`, `object`, `any`.
    pub base: String,
    /// `int32`, `int64`, `double`, …
    pub format: Option<String>,
}

impl UpType {
    /// A type without a format (`object`, `array`, `any`, …).
    pub fn named(base: &str) -> UpType {
        UpType {
            base: base.to_owned(),
            format: None,
        }
    }

    fn of(schema: &Schema) -> UpType {
        UpType {
            base: schema.ty.clone().unwrap_or_else(|| "any".to_owned()),
            format: schema.format.clone(),
        }
    }

    /// The spec's scalar type for this one, if it is a scalar: `integer` is `Integer` unless `int64`.
    pub fn scalar(&self) -> Option<ScalarType> {
        Some(match self.base.as_str() {
            "string" => ScalarType::String,
            "integer" if self.format.as_deref() == Some("int64") => ScalarType::Long,
            "integer" => ScalarType::Integer,
            "boolean" => ScalarType::Boolean,
            "number" => ScalarType::Float,
            _ => return None,
        })
    }
}

impl fmt::Display for UpType {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.format {
            Some(format) => write!(f, "{}/{format}", self.base),
            None => f.write_str(&self.base),
        }
    }
}

/// The base type and format the spec's scalar type stands for.
pub fn up_type(ty: ScalarType) -> UpType {
    let (base, format) = match ty {
        ScalarType::String => ("string", None),
        ScalarType::Integer => ("integer", Some("int32")),
        ScalarType::Long => ("integer", Some("int64")),
        ScalarType::Boolean => ("boolean", None),
        ScalarType::Float => ("number", Some("double")),
    };
    UpType {
        base: base.to_owned(),
        format: format.map(str::to_owned),
    }
}

/// A request parameter flattened to one wire name, as the spec writes it.
#[derive(Debug, Clone)]
pub struct FlatParam<'a> {
    /// `X`, `X.N` or `X.N.Field`.
    pub wire: String,
    /// The value's type (a list's items, a structure field's own).
    pub ty: UpType,
    /// For `X.N.Field`: required in every item; else: the parameter must be set.
    pub required: bool,
    /// The node this wire name documents (a structure field's own, else the parameter's).
    pub schema: &'a Schema,
    /// The whole parameter.
    pub parameter: &'a Parameter,
}

impl FlatParam<'_> {
    /// `X`: the parameter's name.
    pub fn base(&self) -> &str {
        &self.parameter.name
    }

    /// `query` or `formData`.
    pub fn position(&self) -> &str {
        &self.parameter.position
    }

    /// Whether the parameter, or this field of it, is deprecated.
    pub fn deprecated(&self) -> bool {
        self.parameter.schema.deprecated || self.schema.deprecated
    }
}

impl Api {
    /// The parameters as the spec's wire names: `repeatList` arrays become `X.N` (scalar items) or one
    /// `X.N.Field` per property (object items).
    pub fn flat_params(&self) -> Vec<FlatParam<'_>> {
        let mut out = Vec::new();
        for p in &self.parameters {
            let flat = |wire: String, ty: &Schema, required: bool, schema| FlatParam {
                wire,
                ty: UpType::of(ty),
                required,
                schema,
                parameter: p,
            };
            let list = p.style.as_deref() == Some("repeatList") || p.schema.ty.as_deref() == Some("array");
            match p.schema.items.as_deref().filter(|_| list) {
                Some(items) if !items.properties.0.is_empty() || items.ty.as_deref() == Some("object") => {
                    for (field, schema) in &items.properties.0 {
                        out.push(flat(format!("{}.N.{field}", p.name), schema, schema.required, schema));
                    }
                }
                Some(items) => out.push(flat(format!("{}.N", p.name), items, p.schema.required, &p.schema)),
                None => out.push(flat(p.name.clone(), &p.schema, p.schema.required, &p.schema)),
            }
        }
        out
    }

    /// The methods the action accepts, in the spec's words; unknown words are left out.
    pub fn http_methods(&self) -> Vec<HttpMethod> {
        let mut out: Vec<HttpMethod> = self
            .methods
            .iter()
            .filter_map(|m| match m.to_ascii_lowercase().as_str() {
                "get" => Some(HttpMethod::Get),
                "post" => Some(HttpMethod::Post),
                _ => None,
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The success body's schema, when the document has one.
    pub fn response_schema(&self) -> Option<&Schema> {
        self.responses.get("200").and_then(|r| r.schema.as_ref())
    }

    /// The JSON success example of `responseDemo`, when there is one.
    pub fn json_example(&self) -> Option<String> {
        let demo: Vec<serde_json::Value> = serde_json::from_str(self.response_demo.as_deref()?).ok()?;
        demo.iter()
            .find(|d| d["type"] == "json")
            .and_then(|d| d["example"].as_str())
            .map(str::to_owned)
    }
}

/// Every node of a response schema, flattened: `Data` (object), `Data.Domain` (array), `Data.Domain[]`
/// (its items), `Data.Domain[].DomainName` (a scalar); the body itself is left out.
pub fn flat_response(schema: &Schema) -> Vec<(String, UpType)> {
    fn walk(schema: &Schema, path: &str, out: &mut Vec<(String, UpType)>) {
        for (name, child) in &schema.properties.0 {
            let p = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            out.push((p.clone(), UpType::of(child)));
            walk_node(child, &p, out);
        }
    }
    fn walk_node(schema: &Schema, path: &str, out: &mut Vec<(String, UpType)>) {
        if let Some(items) = &schema.items {
            let p = format!("{path}[]");
            out.push((p.clone(), UpType::of(items)));
            walk_node(items, &p, out);
        }
        walk(schema, path, out);
    }
    let mut out = Vec::new();
    walk(schema, "", &mut out);
    out
}

/// A documented value read from a Markdown description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocValue {
    /// The wire value (the bold text).
    pub value: String,
    /// What follows it, if anything.
    pub description: Option<String>,
}

/// The value set a description lists as Markdown items, `- **zh**：中文。`, one per line; empty when it lists
/// none. Only a description that introduces its values (`取值`, `可选值`, `Valid values`) is read, so that a
/// bulleted note is not taken for a value set.
pub fn description_values(description: &str) -> Vec<DocValue> {
    if !["取值", "可选值", "Valid values", "枚举值"]
        .iter()
        .any(|w| description.contains(w))
    {
        return Vec::new();
    }
    let mut out: Vec<DocValue> = Vec::new();
    for line in description.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix("**") else {
            continue;
        };
        let Some(end) = rest.find("**") else { continue };
        let value = rest[..end].trim().to_owned();
        let after = rest[end + 2..].trim_start();
        let Some(after) = after
            .strip_prefix('：')
            .or_else(|| after.strip_prefix(':'))
            .or_else(|| after.strip_prefix('（'))
            .or_else(|| after.strip_prefix('-'))
            .or((after.is_empty()).then_some(""))
        else {
            continue;
        };
        if value.is_empty() || out.iter().any(|v| v.value == value) {
            continue;
        }
        let description = after.trim();
        out.push(DocValue {
            value,
            description: (!description.is_empty()).then(|| description.to_owned()),
        });
    }
    out
}

/// The documented values of a node: its `enum`, else the values its description lists.
pub fn documented_values(schema: &Schema) -> Vec<DocValue> {
    match &schema.values {
        Some(values) if !values.is_empty() => {
            let from_description = schema
                .description
                .as_deref()
                .map(description_values)
                .unwrap_or_default();
            values
                .iter()
                .filter_map(scalar_text)
                .map(|value| DocValue {
                    description: from_description
                        .iter()
                        .find(|d| d.value == value)
                        .and_then(|d| d.description.clone()),
                    value,
                })
                .collect()
        }
        _ => schema
            .description
            .as_deref()
            .map(description_values)
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_lists_are_read_from_descriptions_that_introduce_them() {
        let d = "接口返回错误信息语言。取值：\n- **zh**：中文。\n- **en**：英文。\n\n默认值为**en**。";
        let values = description_values(d);
        assert_eq!(
            values,
            vec![
                DocValue {
                    value: "zh".into(),
                    description: Some("中文。".into())
                },
                DocValue {
                    value: "en".into(),
                    description: Some("英文。".into())
                },
            ]
        );
        assert!(description_values("> - 取值为**true**时 …\n- **a**：b").len() == 1);
        assert!(description_values("说明：\n- **注意**：这不是取值列表").len() == 1);
        assert!(description_values("说明：\n- **注意**：不读").is_empty());
    }

    #[test]
    fn empty_objects_written_as_arrays_are_read() {
        let doc = parse(
            r#"{"info": {"product": "Domain", "version": "2018-01-29"}, "components": {"schemas": []},
                "apis": {"A": {"methods": ["post"], "parameters": [], "responses": []}}}"#,
        )
        .unwrap();
        assert!(doc.apis["A"].response_schema().is_none());
        assert_eq!(doc.apis["A"].http_methods(), vec![HttpMethod::Post]);
    }

    #[test]
    fn repeat_lists_flatten_to_wire_names() {
        let doc = parse(
            r#"{"info": {"product": "Domain", "version": "2018-01-29"}, "apis": {"A": {"parameters": [
                {"name": "DomainName", "in": "query", "style": "repeatList",
                 "schema": {"type": "array", "required": true, "items": {"type": "string"}}},
                {"name": "Tag", "in": "query", "style": "repeatList",
                 "schema": {"type": "array", "items": {"type": "object", "properties": {
                    "Key": {"type": "string", "required": true}, "Value": {"type": "string"}}}}},
                {"name": "BizId", "in": "formData", "schema": {"type": "integer", "format": "int64"}}
            ]}}}"#,
        )
        .unwrap();
        let flat = doc.apis["A"].flat_params();
        let names: Vec<_> = flat
            .iter()
            .map(|p| (p.wire.as_str(), p.required, p.position()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("DomainName.N", true, "query"),
                ("Tag.N.Key", true, "query"),
                ("Tag.N.Value", false, "query"),
                ("BizId", false, "formData")
            ]
        );
        assert_eq!(flat[3].ty.scalar(), Some(ScalarType::Long));
    }
}
