//! The raw layer of the loader: types mirroring the YAML files of `api-spec/` key for key, read by [`Read`].
//!
//! Leaves (strings, numbers, the format's words) are read by serde; mappings and lists by one generic walk
//! that reports *every* problem with its path (serde stops at the first). Unknown keys are reported and
//! ignored, a list keeps its well-formed items and an ill-formed optional key is left out, so one bad key or
//! item never hides another; the semantic checks of [`crate::load`] then run on what is left.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_yaml::{Mapping, Value};

use crate::spec::{
    ClientDefault, DocPage, DriftKind, ErrorClass, ErrorCode, ExampleOrigin, GlobalError, GoSdkDifference, HttpMethod,
    Location, NotImported, Pagination, RegionEndpoint, ScalarType, Source, UserType,
};

/// A problem found in a YAML value, at a path inside its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The path (`request.PageSize.type`); empty for the whole file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    fn new(path: &str, message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_owned(),
            message: message.into(),
        }
    }
}

/// `path.key`, or `key` at the top.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// A type read from a YAML value, every problem of it reported.
pub trait Read: Sized {
    /// `value` (found at `path`) as `Self`, its problems pushed to `out`; `None` when it is unusable.
    fn read(value: &Value, path: &str, out: &mut Vec<Problem>) -> Option<Self>;

    /// What a missing (or null) key reads as: nothing, so that it is reported, unless `Self` is an `Option`.
    fn absent() -> Option<Self> {
        None
    }
}

/// A leaf, read by serde; its error is the problem ("unknown variant" said as "unknown value").
fn leaf<T: DeserializeOwned>(value: &Value, path: &str, out: &mut Vec<Problem>) -> Option<T> {
    T::deserialize(value)
        .map_err(|e| {
            let message = e.to_string().replacen("unknown variant", "unknown value", 1);
            out.push(Problem::new(path, message));
        })
        .ok()
}

macro_rules! leaves {
    ($($ty:ty),*) => {$(
        impl Read for $ty {
            fn read(value: &Value, path: &str, out: &mut Vec<Problem>) -> Option<Self> {
                leaf(value, path, out)
            }
        }
    )*};
}

leaves!(String, bool, u16, u32, ScalarType, HttpMethod, Location, ErrorClass, UserType, DriftKind);
leaves!(ExampleOrigin, ParamType, Format, FieldWord, HyphenPosition, Measure);

/// An ill-formed optional value is reported and left out.
impl<T: Read> Read for Option<T> {
    fn read(value: &Value, path: &str, out: &mut Vec<Problem>) -> Option<Self> {
        Some(T::read(value, path, out))
    }

    fn absent() -> Option<Self> {
        Some(None)
    }
}

/// The well-formed items of a list, with their index; each item's problems reported under `label(index, item)`.
fn items<T: Read>(
    value: &Value,
    path: &str,
    out: &mut Vec<Problem>,
    label: impl Fn(usize, &Value) -> String,
) -> Option<Vec<(usize, T)>> {
    let Value::Sequence(items) = value else {
        return leaf::<Vec<Value>>(value, path, out).map(|_| Vec::new());
    };
    let read = items.iter().enumerate();
    Some(
        read.filter_map(|(i, v)| T::read(v, &label(i, v), out).map(|t| (i, t)))
            .collect(),
    )
}

impl<T: Read> Read for Vec<T> {
    fn read(value: &Value, path: &str, out: &mut Vec<Problem>) -> Option<Self> {
        let items = items(value, path, out, |i, _| format!("{path}[{i}]"))?;
        Some(items.into_iter().map(|(_, t)| t).collect())
    }
}

/// A list whose items are named by their `name` key in reports (`request.PageNum`); holds the well-formed items.
#[derive(Debug)]
pub struct Named<T>(pub Vec<T>);

impl<T: Read> Read for Named<T> {
    fn read(value: &Value, path: &str, out: &mut Vec<Problem>) -> Option<Self> {
        let label = |i, item: &Value| match item.get("name") {
            Some(Value::String(name)) => join(path, name),
            _ => format!("{path}[{i}]"),
        };
        let items = items(value, path, out, label)?;
        Some(Named(items.into_iter().map(|(_, t)| t).collect()))
    }
}

/// A list whose items are numbered in reports (`errors[2]`); holds the well-formed items with their index.
#[derive(Debug)]
pub struct Indexed<T>(pub Vec<(usize, T)>);

impl<T: Read> Read for Indexed<T> {
    fn read(value: &Value, path: &str, out: &mut Vec<Problem>) -> Option<Self> {
        items(value, path, out, |i, _| format!("{path}[{i}]")).map(Indexed)
    }
}

/// A mapping, its keys not among `keys` reported; `None` (reported) when `value` is no mapping.
fn mapping<'v>(value: &'v Value, path: &str, keys: &[&str], out: &mut Vec<Problem>) -> Option<&'v Mapping> {
    let Value::Mapping(map) = value else {
        out.push(Problem::new(path, "expected a mapping of keys to values"));
        return None;
    };
    for name in map.keys().map(|k| k.as_str().unwrap_or("?")) {
        if !keys.contains(&name) {
            out.push(Problem::new(&join(path, name), format!("unknown key '{name}'")));
        }
    }
    Some(map)
}

/// The value of `key` in a mapping at `path`, read as `T`; a missing required key reported.
fn key<T: Read>(map: &Mapping, path: &str, key: &str, out: &mut Vec<Problem>) -> Option<T> {
    match map.get(key).filter(|v| !v.is_null()) {
        // A structure's fields hang directly off the field: `response.Data.DomainName`.
        Some(v) if key == "fields" => T::read(v, path, out),
        Some(v) => T::read(v, &join(path, key), out),
        None => T::absent().or_else(|| {
            out.push(Problem::new(path, format!("missing required key '{key}'")));
            None
        }),
    }
}

/// The YAML key of a struct field: its name, or the literal given after `=`.
macro_rules! yaml_key {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident, $key:literal) => {
        $key
    };
}

/// [`Read`] for structs mirroring YAML mappings: every key read (so every problem reported), then the struct
/// built if its required keys are usable.
macro_rules! read_mapping {
    ($($name:ident { $($field:ident $(= $key:literal)?),* $(,)? })*) => {$(
        impl Read for $name {
            fn read(value: &Value, path: &str, out: &mut Vec<Problem>) -> Option<Self> {
                let map = mapping(value, path, &[$(yaml_key!($field $(, $key)?)),*], out)?;
                $(let $field = key(map, path, yaml_key!($field $(, $key)?), out);)*
                Some($name { $($field: $field?),* })
            }
        }
    )*};
}

/// Structs mirroring YAML mappings, each readable key by key ([`read_mapping!`]).
macro_rules! mapping {
    ($($(#[$meta:meta])* pub struct $name:ident {
        $($(#[$fmeta:meta])* $field:ident $(= $key:literal)?: $ty:ty,)*
    })*) => {$(
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        read_mapping!($name { $($field $(= $key)?),* });
    )*};
}

/// A text holding a JSON object (`example_response`, an error example's `body`), checked as such.
#[derive(Debug)]
pub struct JsonObject(pub String);

impl Read for JsonObject {
    fn read(value: &Value, path: &str, out: &mut Vec<Problem>) -> Option<Self> {
        let text: String = leaf(value, path, out)?;
        let problem = match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(_)) => return Some(JsonObject(text)),
            Ok(_) => "must be a JSON object".to_owned(),
            Err(e) => format!("not valid JSON: {e}"),
        };
        out.push(Problem::new(path, problem));
        None
    }
}

// The spec's own types that mirror a mapping key for key.
read_mapping! {
    Pagination { input_token, output_token, page_size, max_page_size, items, more_results, total_pages }
    ErrorCode { code, http_status, message, description, description_en, source, notes }
    GoSdkDifference { name, reason }
    GlobalError { code, http_status, message, description, description_en, class, retryable }
    RegionEndpoint { region, host }
    ClientDefault { name, description, description_en }
    Source { metadata, snapshot, response, example }
    NotImported { name, reason }
    DocPage { title, url }
}

// The mappings of the format, key for key; `api-spec/README.md` says what each key means.
mapping! {
    /// `<version>/actions/<Action>.yaml`.
    pub struct RawAction {
        name: String,
        section: Option<String>,
        source: Option<Source>,
        deprecated: Option<bool>,
        summary: String,
        summary_en: Option<String>,
        description: Option<String>,
        description_en: Option<String>,
        methods: Option<Vec<HttpMethod>>,
        idempotent: bool,
        notes: Option<Vec<String>>,
        request: Option<Named<RawParam>>,
        response: Named<RawField>,
        errors: Option<Indexed<ErrorCode>>,
        example_response: JsonObject,
        error_examples: Option<Indexed<RawErrorExample>>,
        pagination: Option<Pagination>,
        go_sdk_differences: Option<Vec<GoSdkDifference>>,
        metadata_differences: Option<Indexed<RawMetadataDifference>>,
        py_sdk_differences: Option<Indexed<RawMetadataDifference>>,
    }

    /// One entry of `metadata_differences` (or of `py_sdk_differences`).
    pub struct RawMetadataDifference {
        at: Option<String>,
        kind: DriftKind,
        reason: String,
    }
}

/// A request parameter's `type`: a scalar type, or `RepeatList` (a plain list, `Name.N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ParamType {
    String,
    Integer,
    Long,
    Boolean,
    Float,
    RepeatList,
}

/// A parameter's `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A String carrying a JSON document.
    Json,
}

mapping! {
    /// One entry of `request`.
    pub struct RawParam {
        name: String,
        rust_name: Option<String>,
        ty = "type": ParamType,
        required: bool,
        example: Option<String>,
        description: Option<String>,
        description_en: Option<String>,
        default: Option<String>,
        enum_name = "enum": Option<String>,
        item_type: Option<ScalarType>,
        notes: Option<Vec<String>>,
        format: Option<Format>,
        location: Option<Location>,
        deprecated: Option<bool>,
        values: Option<Indexed<RawValue>>,
    }

    /// One documented value of a value set.
    pub struct RawValue {
        value: String,
        name: Option<String>,
        description: Option<String>,
        description_en: Option<String>,
    }
}

/// A response field's `type`: a scalar type, `Object` or `Array`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum FieldWord {
    String,
    Integer,
    Long,
    Boolean,
    Float,
    Object,
    Array,
    /// Any JSON value (the metadata's `any`).
    Json,
}

/// The scalar type spelled like `word` (`Integer`), if any: the format's words for types are the scalar types'
/// names, plus `RepeatList`, `Object`, `Array` and `Json`.
pub fn scalar(word: impl std::fmt::Debug) -> Option<ScalarType> {
    ScalarType::parse(&format!("{word:?}"))
}

mapping! {
    /// One entry of `response` (or of a structure's `fields`), key for key; [`RawField`] is its checked form.
    pub struct FieldKeys {
        name: String,
        rust_name: Option<String>,
        ty = "type": FieldWord,
        example: Option<String>,
        description: Option<String>,
        description_en: Option<String>,
        default: Option<String>,
        enum_name = "enum": Option<String>,
        wrapper: Option<String>,
        struct_name = "struct": Option<String>,
        item_type: Option<FieldWord>,
        notes: Option<Vec<String>>,
        fields: Option<Named<RawField>>,
        values: Option<Indexed<RawValue>>,
    }
}

/// A response field whose keys fit its type.
#[derive(Debug)]
pub struct RawField {
    /// Its keys; `fields` and `item_type` are moved into `ty`, `struct` and `wrapper` are set only where allowed.
    pub keys: FieldKeys,
    /// Its type.
    pub ty: RawType,
}

/// A response field's type: `String`…, `Json`, `Object` (its fields) or `Array` (its items).
#[derive(Debug)]
pub enum RawType {
    Scalar(ScalarType),
    Json,
    Struct(Vec<RawField>),
    List(RawItem),
}

/// The items of an `Array`: `item_type` (a scalar or `Json`) or `fields`.
#[derive(Debug)]
pub enum RawItem {
    Scalar(ScalarType),
    Json,
    Struct(Vec<RawField>),
}

impl Read for RawField {
    fn read(value: &Value, path: &str, out: &mut Vec<Problem>) -> Option<Self> {
        let mut keys = FieldKeys::read(value, path, out)?;
        let ty = field_type(&mut keys)
            .map_err(|e| out.push(Problem::new(path, e)))
            .ok()?;
        Some(RawField { keys, ty })
    }
}

/// The type that `type`, `item_type`, `fields`, `struct` and `wrapper` say together, if they agree.
fn field_type(k: &mut FieldKeys) -> Result<RawType, &'static str> {
    use FieldWord as W;
    let (fields, item) = (k.fields.take().map(|f| f.0), k.item_type.take());
    let plain = fields.is_none() && item.is_none() && k.struct_name.is_none();
    Ok(match (k.ty, fields, item) {
        _ if k.wrapper.is_some() && k.ty != W::Array => return Err("only an Array has a 'wrapper'"),
        (W::Json, ..) if plain => RawType::Json,
        (W::Json, ..) => return Err("a Json field has no 'fields', 'struct' or 'item_type'"),
        (W::Object, None, _) => return Err("an Object needs 'fields'"),
        (W::Object, Some(_), Some(_)) => return Err("an Object has no 'item_type'"),
        (W::Object, Some(f), None) => RawType::Struct(f),
        (W::Array, None, None) => return Err("an Array needs 'fields' or 'item_type'"),
        (W::Array, Some(_), Some(_)) => return Err("an Array of structures ('fields') has no 'item_type'"),
        (W::Array, Some(f), None) => RawType::List(RawItem::Struct(f)),
        (W::Array, None, Some(_)) if k.struct_name.is_some() => {
            return Err("an Array of scalars ('item_type') has no 'struct'")
        }
        (W::Array, None, Some(W::Json)) => RawType::List(RawItem::Json),
        (W::Array, None, Some(w)) => RawType::List(RawItem::Scalar(
            scalar(w).ok_or("'item_type' is a scalar type or Json")?,
        )),
        (w, ..) => match scalar(w) {
            Some(s) if plain => RawType::Scalar(s),
            _ => return Err("a scalar has no 'fields', 'struct' or 'item_type'"),
        },
    })
}

mapping! {
    /// An error answer the reference shows.
    pub struct RawErrorExample {
        http_status: u16,
        body: JsonObject,
    }

    /// `endpoints.yaml`.
    pub struct RawEndpoints {
        default_region: String,
        endpoints: Indexed<RegionEndpoint>,
    }

    /// `client_defaults.yaml`.
    pub struct RawClientDefaults {
        client_defaults: Indexed<ClientDefault>,
    }

    /// `pages.yaml`.
    pub struct RawPages {
        pages: Indexed<DocPage>,
    }

    /// `not_imported.yaml`.
    pub struct RawNotImported {
        not_imported: Named<NotImported>,
    }

    /// `appendix/global_errors.yaml`.
    pub struct RawGlobalErrors {
        #[allow(dead_code)] // informative: the reference section
        section: Option<String>,
        errors: Indexed<GlobalError>,
    }

    /// `appendix/identity_credential_types.yaml`.
    pub struct RawCredentialTypes {
        #[allow(dead_code)] // informative: the reference section
        section: Option<String>,
        name: String,
        values: Indexed<RawCredentialType>,
    }

    /// One §6.3 credential type.
    pub struct RawCredentialType {
        value: String,
        name: String,
        description: Option<String>,
        description_en: Option<String>,
        user_type: UserType,
    }
}

/// A place where §6.2 forbids a hyphen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum HyphenPosition {
    /// The first character.
    #[serde(rename = "first")]
    First,
    /// The last character.
    #[serde(rename = "last")]
    Last,
    /// The third and fourth characters together.
    #[serde(rename = "3-4")]
    ThirdAndFourth,
}

/// How §6.2 measures a Chinese name's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// In the punycode form.
    Punycode,
    /// In characters.
    Characters,
}

mapping! {
    /// `appendix/domain_name_rules.yaml`.
    pub struct RawNameRules {
        #[allow(dead_code)] // informative: the reference section
        section: Option<String>,
        description: String,
        description_en: Option<String>,
        min_length: u32,
        max_length: u32,
        ascii_chars: String,
        hyphen_forbidden_positions: Option<Vec<HyphenPosition>>,
        case_insensitive: bool,
        chinese: RawChinese,
    }

    /// `chinese` of the §6.2 rules.
    pub struct RawChinese {
        requires_han: bool,
        length_measured_in: Measure,
        reject_punycode_input: bool,
    }
}
