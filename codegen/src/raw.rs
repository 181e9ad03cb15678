//! The raw layer of the loader: serde types mirroring the YAML files of `api-spec/` key for key.
//!
//! Each type both deserializes (serde, unknown keys refused) and *explains* ([`Explain`]): lists every
//! problem of a YAML value that does not deserialize, each with its path, so that one bad key or list item
//! never hides another. A list ([`Named`], [`Indexed`]) keeps its well-formed items and drops the others,
//! whose problems [`Explain`] reports; the semantic checks of [`crate::load`] then run on what is left.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_yaml::Value;

use crate::spec::{DriftKind, ErrorClass, HttpMethod, Location, ScalarType, UserType};

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

/// A type that can say why a YAML value does not deserialize as it.
pub trait Explain: DeserializeOwned {
    /// Whether the key may be left out (an `Option`).
    const OPTIONAL: bool = false;

    /// Pushes every problem of `value` read as `Self`, `path` being where `value` is; none if it deserializes.
    fn explain(value: &Value, path: &str, out: &mut Vec<Problem>) {
        explain_default::<Self>(value, path, out);
    }

    /// `value` with what [`Explain::explain`] reports and the rest can do without left out: unknown keys,
    /// ill-formed optional keys; so that one bad key does not hide the semantic problems of the others.
    fn salvage(value: &Value) -> Value {
        value.clone()
    }
}

impl Explain for String {}
impl Explain for bool {}
impl Explain for u16 {}
impl Explain for u32 {}
impl Explain for ScalarType {}
impl Explain for HttpMethod {}
impl Explain for Location {}
impl Explain for ErrorClass {}
impl Explain for UserType {}
impl Explain for DriftKind {}

impl<T: Explain> Explain for Option<T> {
    const OPTIONAL: bool = true;

    fn explain(value: &Value, path: &str, out: &mut Vec<Problem>) {
        if !value.is_null() {
            T::explain(value, path, out);
        }
    }

    fn salvage(value: &Value) -> Value {
        T::salvage(value)
    }
}

impl<T: Explain> Explain for Vec<T> {
    fn explain(value: &Value, path: &str, out: &mut Vec<Problem>) {
        match value {
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    T::explain(item, &format!("{path}[{i}]"), out);
                }
            }
            _ => explain_default::<Self>(value, path, out),
        }
    }

    fn salvage(value: &Value) -> Value {
        match value {
            Value::Sequence(items) => Value::Sequence(items.iter().map(T::salvage).collect()),
            _ => value.clone(),
        }
    }
}

fn explain_default<T: DeserializeOwned>(value: &Value, path: &str, out: &mut Vec<Problem>) {
    if let Err(e) = T::deserialize(value) {
        out.push(Problem::new(
            path,
            e.to_string().replacen("unknown variant", "unknown value", 1),
        ));
    }
}

/// One key of a mapping type: its name, how to explain and salvage its value, and whether it may be left out.
struct KeyRule {
    key: &'static str,
    explain: fn(&Value, &str, &mut Vec<Problem>),
    salvage: fn(&Value) -> Value,
    well_formed: fn(&Value) -> bool,
    optional: bool,
}

impl KeyRule {
    fn of<T: Explain>(key: &'static str) -> KeyRule {
        KeyRule {
            key,
            explain: T::explain,
            salvage: T::salvage,
            well_formed: |v| T::deserialize(v).is_ok(),
            optional: T::OPTIONAL,
        }
    }
}

/// A mapping without its unknown keys and ill-formed optional keys, its other values salvaged.
fn salvage_mapping(value: &Value, keys: &[KeyRule]) -> Value {
    let Value::Mapping(map) = value else {
        return value.clone();
    };
    let mut out = serde_yaml::Mapping::new();
    for rule in keys {
        if let Some(v) = map.get(rule.key) {
            let v = (rule.salvage)(v);
            if !rule.optional || (rule.well_formed)(&v) {
                out.insert(Value::String(rule.key.to_owned()), v);
            }
        }
    }
    Value::Mapping(out)
}

/// Explains a mapping key by key: unknown keys, missing required keys, and each value's own problems.
fn explain_mapping(value: &Value, path: &str, out: &mut Vec<Problem>, keys: &[KeyRule]) {
    let Value::Mapping(map) = value else {
        out.push(Problem::new(path, "expected a mapping of keys to values"));
        return;
    };
    for k in map.keys() {
        let name = k.as_str().unwrap_or("?");
        if !keys.iter().any(|rule| rule.key == name) {
            out.push(Problem::new(&join(path, name), format!("unknown key '{name}'")));
        }
    }
    for KeyRule {
        key, explain, optional, ..
    } in keys
    {
        match map.get(*key).filter(|v| !v.is_null()) {
            // A structure's fields hang directly off the field: `response.Data.DomainName`.
            Some(v) if *key == "fields" => explain(v, path, out),
            Some(v) => explain(v, &join(path, key), out),
            None if !optional => out.push(Problem::new(path, format!("missing required key '{key}'"))),
            None => {}
        }
    }
}

/// The YAML key of a struct field: its name, or the literal given after `=`.
macro_rules! key {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident, $key:literal) => {
        $key
    };
}

/// Structs mirroring YAML mappings, each: derives `Deserialize` (unknown keys refused) and [`Explain`] key by key.
macro_rules! mapping {
    ($($(#[$meta:meta])* pub struct $name:ident {
        $($(#[$fmeta:meta])* $field:ident $(= $key:literal)?: $ty:ty,)*
    })*) => {$(
        $(#[$meta])*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$fmeta])* $(#[serde(rename = $key)])? pub $field: $ty,)*
        }

        impl Explain for $name {
            fn explain(value: &Value, path: &str, out: &mut Vec<Problem>) {
                explain_mapping(value, path, out, &Self::keys());
            }

            fn salvage(value: &Value) -> Value {
                salvage_mapping(value, &Self::keys())
            }
        }

        impl $name {
            fn keys() -> Vec<KeyRule> {
                vec![$(KeyRule::of::<$ty>(key!($field $(, $key)?)),)*]
            }
        }
    )*};
}

/// A list whose items are named by their `name` key in reports (`request.PageNum`); holds the well-formed items.
#[derive(Debug)]
pub struct Named<T>(pub Vec<T>);

/// A list whose items are numbered in reports (`errors[2]`); holds the well-formed items with their index.
#[derive(Debug)]
pub struct Indexed<T>(pub Vec<(usize, T)>);

/// The items that deserialize, salvaged when need be ([`Explain::salvage`]), with their index.
fn well_formed<'de, D: Deserializer<'de>, T: Explain>(d: D) -> Result<Vec<(usize, T)>, D::Error> {
    let items = Vec::<Value>::deserialize(d)?;
    Ok(items
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let t = T::deserialize(v).or_else(|_| T::deserialize(&T::salvage(v)));
            t.ok().map(|t| (i, t))
        })
        .collect())
}

impl<'de, T: Explain> Deserialize<'de> for Named<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Named(well_formed(d)?.into_iter().map(|(_, t)| t).collect()))
    }
}

impl<'de, T: Explain> Deserialize<'de> for Indexed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        well_formed(d).map(Indexed)
    }
}

/// A list item's name, when it has a usable one.
pub fn item_name(item: &Value) -> Option<String> {
    match item.get("name")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn explain_items<T: Explain>(
    value: &Value,
    path: &str,
    out: &mut Vec<Problem>,
    label: impl Fn(usize, &Value) -> String,
) {
    match value {
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                T::explain(item, &label(i, item), out);
            }
        }
        _ => explain_default::<Vec<Value>>(value, path, out),
    }
}

impl<T: Explain> Explain for Named<T> {
    fn explain(value: &Value, path: &str, out: &mut Vec<Problem>) {
        explain_items::<T>(value, path, out, |i, item| match item_name(item) {
            Some(n) => join(path, &n),
            None => format!("{path}[{i}]"),
        });
    }
}

impl<T: Explain> Explain for Indexed<T> {
    fn explain(value: &Value, path: &str, out: &mut Vec<Problem>) {
        explain_items::<T>(value, path, out, |i, _| format!("{path}[{i}]"));
    }
}

/// A text holding a JSON object (`example_response`, an error example's `body`), checked as such.
#[derive(Debug)]
pub struct JsonObject(pub String);

impl<'de> Deserialize<'de> for JsonObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(_)) => Ok(JsonObject(text)),
            Ok(_) => Err(serde::de::Error::custom("must be a JSON object")),
            Err(e) => Err(serde::de::Error::custom(format!("not valid JSON: {e}"))),
        }
    }
}

impl Explain for JsonObject {}

// The mappings of the format, key for key; `api-spec/README.md` says what each key means.

mapping! {
    /// `<version>/actions/<Action>.yaml`.
    pub struct RawAction {
        name: String,
        section: Option<String>,
        source: Option<RawSource>,
        deprecated: Option<bool>,
        summary: String,
        description: Option<String>,
        methods: Option<Vec<HttpMethod>>,
        idempotent: bool,
        notes: Option<Vec<String>>,
        request: Option<Named<RawParam>>,
        response: Named<RawField>,
        errors: Option<Indexed<RawError>>,
        example_response: JsonObject,
        error_examples: Option<Indexed<RawErrorExample>>,
        pagination: Option<RawPagination>,
        go_sdk_differences: Option<Indexed<RawDifference>>,
        metadata_differences: Option<Indexed<RawMetadataDifference>>,
    }

    /// `source`: where an action the reference lacks came from.
    pub struct RawSource {
        metadata: String,
        snapshot: String,
        response: Option<String>,
        example: Option<ExampleOrigin>,
    }

    /// One entry of `metadata_differences`.
    pub struct RawMetadataDifference {
        at: Option<String>,
        kind: DriftKind,
        reason: String,
    }
}

/// Where an imported action's `example_response` came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExampleOrigin {
    /// The metadata's `responseDemo`.
    Metadata,
    /// Built from the response schema: the service publishes none.
    Built,
}

impl Explain for ExampleOrigin {}

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

impl Explain for ParamType {}

/// A parameter's `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A String carrying a JSON document.
    Json,
}

impl Explain for Format {}

mapping! {
    /// One entry of `request`.
    pub struct RawParam {
        name: String,
        ty = "type": ParamType,
        required: bool,
        example: Option<String>,
        description: Option<String>,
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

impl Explain for FieldWord {}

impl FieldWord {
    /// The scalar type the word names, if it names one.
    fn scalar(self) -> Option<ScalarType> {
        Some(match self {
            FieldWord::String => ScalarType::String,
            FieldWord::Integer => ScalarType::Integer,
            FieldWord::Long => ScalarType::Long,
            FieldWord::Boolean => ScalarType::Boolean,
            FieldWord::Float => ScalarType::Float,
            FieldWord::Object | FieldWord::Array | FieldWord::Json => return None,
        })
    }
}

mapping! {
    /// One entry of `response` (or of a structure's `fields`), key for key; [`RawField`] is its checked form.
    pub struct FieldKeys {
        name: String,
        ty = "type": FieldWord,
        example: Option<String>,
        description: Option<String>,
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
    /// The keys every field may have (`type`, `item_type`, `wrapper`, `struct` and `fields` are in `ty`).
    pub keys: FieldKeys,
    /// The field's type.
    pub ty: RawType,
}

/// A response field's type, with the keys that belong to it.
#[derive(Debug)]
pub enum RawType {
    /// `String`, `Integer`, …
    Scalar(ScalarType),
    /// `Array`.
    List {
        /// The items.
        item: RawItem,
        /// The JSON key wrapping the list.
        wrapper: Option<String>,
    },
    /// `Object`.
    Struct(RawStruct),
    /// `Json`: any JSON value.
    Json,
}

/// The items of an `Array`.
#[derive(Debug)]
pub enum RawItem {
    /// `item_type`.
    Scalar(ScalarType),
    /// `item_type: Json`: any JSON values.
    Json,
    /// `fields` (and maybe `struct`).
    Struct(RawStruct),
}

/// A structure declared in place.
#[derive(Debug)]
pub struct RawStruct {
    /// `struct`.
    pub name: Option<String>,
    /// `fields`.
    pub fields: Vec<RawField>,
}

impl TryFrom<FieldKeys> for RawField {
    type Error = &'static str;

    fn try_from(mut keys: FieldKeys) -> Result<Self, Self::Error> {
        let fields = keys.fields.take().map(|f| f.0);
        let (item_type, name, wrapper) = (keys.item_type, keys.struct_name.take(), keys.wrapper.take());
        if wrapper.is_some() && keys.ty != FieldWord::Array {
            return Err("only an Array has a 'wrapper'");
        }
        if let Some(scalar) = keys.ty.scalar() {
            if fields.is_some() || item_type.is_some() || name.is_some() {
                return Err("a scalar has no 'fields', 'struct' or 'item_type'");
            }
            return Ok(RawField {
                keys,
                ty: RawType::Scalar(scalar),
            });
        }
        if keys.ty == FieldWord::Json {
            if fields.is_some() || item_type.is_some() || name.is_some() {
                return Err("a Json field has no 'fields', 'struct' or 'item_type'");
            }
            return Ok(RawField {
                keys,
                ty: RawType::Json,
            });
        }
        let item_type = match item_type {
            None => None,
            Some(FieldWord::Json) if fields.is_none() && name.is_none() && keys.ty == FieldWord::Array => {
                return Ok(RawField {
                    keys,
                    ty: RawType::List {
                        item: RawItem::Json,
                        wrapper,
                    },
                });
            }
            Some(w) => Some(w.scalar().ok_or("'item_type' is a scalar type or Json")?),
        };
        let ty = match (keys.ty, fields, item_type) {
            (FieldWord::Object, Some(fields), None) => RawType::Struct(RawStruct { name, fields }),
            (FieldWord::Object, None, _) => return Err("an Object needs 'fields'"),
            (FieldWord::Object, Some(_), Some(_)) => return Err("an Object has no 'item_type'"),
            (_, Some(fields), None) => RawType::List {
                item: RawItem::Struct(RawStruct { name, fields }),
                wrapper,
            },
            (_, None, Some(t)) if name.is_none() => RawType::List {
                item: RawItem::Scalar(t),
                wrapper,
            },
            (_, None, Some(_)) => return Err("an Array of scalars ('item_type') has no 'struct'"),
            (_, None, None) => return Err("an Array needs 'fields' or 'item_type'"),
            (_, Some(_), Some(_)) => return Err("an Array of structures ('fields') has no 'item_type'"),
        };
        Ok(RawField { keys, ty })
    }
}

impl<'de> Deserialize<'de> for RawField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RawField::try_from(FieldKeys::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl Explain for RawField {
    fn explain(value: &Value, path: &str, out: &mut Vec<Problem>) {
        FieldKeys::explain(value, path, out);
        if let Ok(keys) = FieldKeys::deserialize(&FieldKeys::salvage(value)) {
            if let Err(message) = RawField::try_from(keys) {
                out.push(Problem::new(path, message));
            }
        }
    }

    fn salvage(value: &Value) -> Value {
        FieldKeys::salvage(value)
    }
}

mapping! {
    /// One of an action's own documented error codes.
    pub struct RawError {
        code: String,
        http_status: Option<u16>,
        message: Option<String>,
        description: Option<String>,
    }

    /// An error answer the reference shows.
    pub struct RawErrorExample {
        http_status: u16,
        body: JsonObject,
    }

    /// `pagination`.
    pub struct RawPagination {
        input_token: String,
        output_token: Option<String>,
        page_size: Option<String>,
        max_page_size: Option<u32>,
        items: String,
        more_results: Option<String>,
        total_pages: Option<String>,
    }

    /// One entry of `go_sdk_differences`.
    pub struct RawDifference {
        name: String,
        reason: String,
    }

    /// `endpoints.yaml`.
    pub struct RawEndpoints {
        default_region: String,
        endpoints: Indexed<RawEndpoint>,
    }

    /// One entry of `endpoints`.
    pub struct RawEndpoint {
        region: String,
        host: String,
    }

    /// `client_defaults.yaml`.
    pub struct RawClientDefaults {
        client_defaults: Indexed<RawClientDefault>,
    }

    /// One entry of `client_defaults`.
    pub struct RawClientDefault {
        name: String,
        description: String,
    }

    /// `appendix/global_errors.yaml`.
    pub struct RawGlobalErrors {
        #[allow(dead_code)] // informative: the reference section
        section: Option<String>,
        errors: Indexed<RawGlobalError>,
    }

    /// One §6.1 global error code.
    pub struct RawGlobalError {
        code: String,
        http_status: u16,
        message: String,
        description: Option<String>,
        class: ErrorClass,
        retryable: bool,
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

impl Explain for HyphenPosition {}

/// How §6.2 measures a Chinese name's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// In the punycode form.
    Punycode,
    /// In characters.
    Characters,
}

impl Explain for Measure {}

mapping! {
    /// `appendix/domain_name_rules.yaml`.
    pub struct RawNameRules {
        #[allow(dead_code)] // informative: the reference section
        section: Option<String>,
        description: String,
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

/// Reads a YAML value as `T`: every problem is pushed to `out` (paths relative to the file); `None` when even
/// the salvaged value ([`Explain::salvage`]) is unusable, a required key being missing or ill-formed.
pub fn read<T: Explain>(value: &Value, out: &mut Vec<Problem>) -> Option<T> {
    let before = out.len();
    T::explain(value, "", out);
    let read = if out.len() == before {
        T::deserialize(value)
    } else {
        T::deserialize(&T::salvage(value))
    };
    match read {
        Ok(t) => Some(t),
        Err(e) => {
            if out.len() == before {
                out.push(Problem::new("", e.to_string()));
            }
            None
        }
    }
}
