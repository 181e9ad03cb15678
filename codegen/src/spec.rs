//! The validated, normalized spec: what `api-spec/` says, with every default applied and every name checked.
//!
//! Where the format has alternatives the types are sum types, so that no value of them is invalid.

use serde::Deserialize;

/// The whole spec: every action of every API version, and the appendices.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    /// Actions, sorted by name.
    pub actions: Vec<Action>,
    /// The reference's appendices (§6).
    pub appendix: Appendix,
    /// Parameters a client can set once for every action that takes them (`client_defaults.yaml`).
    pub client_defaults: Vec<ClientDefault>,
    /// The service's host in each region (`endpoints.yaml`), in the file's order.
    pub endpoints: Vec<RegionEndpoint>,
    /// The region used when the client names none.
    pub default_region: Option<String>,
    /// Actions an upstream source has that the spec deliberately leaves out (`not_imported.yaml`), by name.
    pub not_imported: Vec<NotImported>,
    /// Each action's public pages (`pages.yaml`): URL patterns with `{version}` and `{action}`.
    pub pages: Vec<DocPage>,
}

/// A public page every action has, as a URL pattern.
#[derive(Debug, Clone)]
pub struct DocPage {
    /// What the page is (`API Explorer`).
    pub title: String,
    /// `https://…/{version}/{action}`.
    pub url: String,
}

impl DocPage {
    /// The page of `action` of API `version`.
    pub fn of(&self, version: &str, action: &str) -> String {
        self.url.replace("{version}", version).replace("{action}", action)
    }
}

/// An action an upstream source has that the spec deliberately leaves out, with the reason.
#[derive(Debug, Clone)]
pub struct NotImported {
    /// The action's name.
    pub name: String,
    /// Why the spec leaves it out.
    pub reason: String,
}

/// The service's host in one region.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegionEndpoint {
    /// The region id (`ap-southeast-1`).
    pub region: String,
    /// The host (`domain-intl.aliyuncs.com`).
    pub host: String,
}

/// A parameter a client can default for every action that takes it.
#[derive(Debug, Clone)]
pub struct ClientDefault {
    /// The wire name (`Lang`).
    pub name: String,
    /// What it is (Chinese, as the reference has it).
    pub description: String,
    /// What it is, in English.
    pub description_en: Option<String>,
}

/// The appendices of the reference, as data.
#[derive(Debug, Clone, Default)]
pub struct Appendix {
    /// §6.1 global error codes.
    pub global_errors: Vec<GlobalError>,
    /// §6.3 identity credential types: an enum shared by every parameter of that name.
    pub credential_types: Option<SharedEnum>,
    /// §6.2 domain name validity rules.
    pub name_rules: Option<NameRules>,
}

/// A §6.1 global error code.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GlobalError {
    /// The `Code`.
    pub code: String,
    /// Its HTTP status.
    pub http_status: u16,
    /// The service's message.
    pub message: String,
    /// What it means.
    pub description: Option<String>,
    /// What it means, in English.
    pub description_en: Option<String>,
    /// A client's or the server's fault.
    pub class: ErrorClass,
    /// Whether a retry may succeed.
    pub retryable: bool,
}

/// Whose fault a §6.1 global error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorClass {
    /// `client` (客户端错误).
    Client,
    /// `server` (服务器端错误).
    Server,
}

/// Who may hold an identity credential of §6.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UserType {
    /// `individual` (个人).
    Individual,
    /// `organization` (企业/组织).
    Organization,
}

impl UserType {
    /// The spec's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            UserType::Individual => "individual",
            UserType::Organization => "organization",
        }
    }
}

/// An enum declared once for the whole API (§6.3), used by every parameter or field named `name`.
#[derive(Debug, Clone)]
pub struct SharedEnum {
    /// The file it came from.
    pub file: String,
    /// The enum's name, and the parameter name it applies to.
    pub name: String,
    /// Its values, each with its user type.
    pub values: Vec<EnumValue<UserType>>,
}

/// §6.2 domain name validity rules.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NameRules {
    /// The appendix text.
    pub description: String,
    /// The appendix text, in English.
    pub description_en: Option<String>,
    /// Minimum label length (suffix excluded).
    pub min_length: u32,
    /// Maximum label length.
    pub max_length: u32,
    /// Allowed characters of an English name, as ranges (`a-z0-9-`).
    pub ascii_chars: String,
    /// The hyphen may not be the first character.
    pub hyphen_not_first: bool,
    /// The hyphen may not be the last character.
    pub hyphen_not_last: bool,
    /// Hyphens may not be the third and fourth characters together.
    pub hyphen_not_third_and_fourth: bool,
    /// Names compare case-insensitively.
    pub case_insensitive: bool,
    /// A Chinese name needs at least one Chinese character.
    pub chinese_requires_han: bool,
    /// A Chinese name's length is that of its punycode form.
    pub chinese_length_in_punycode: bool,
    /// `xn--` names are refused.
    pub reject_punycode_input: bool,
}

/// HTTP methods an action accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// `GET`: every parameter in the query string.
    Get,
    /// `POST`: action parameters in a form body.
    Post,
}

impl HttpMethod {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

/// One API action (`QueryDomainList`).
#[derive(Debug, Clone)]
pub struct Action {
    /// The spec file, relative to the spec root (`2018-01-29/actions/QueryDomainList.yaml`).
    pub file: String,
    /// The action's name, the `Action` parameter.
    pub name: String,
    /// The API version, the `Version` parameter.
    pub version: String,
    /// Where the action is documented: a reference section, or the metadata it was imported from.
    pub origin: Origin,
    /// Whether the service deprecates the action (the metadata's `deprecated`).
    pub deprecated: bool,
    /// One sentence: what the action does.
    pub summary: String,
    /// The summary in English.
    pub summary_en: Option<String>,
    /// Longer description, if any.
    pub description: Option<String>,
    /// The description in English.
    pub description_en: Option<String>,
    /// Allowed HTTP methods, sorted.
    pub methods: Vec<HttpMethod>,
    /// Whether a retry after an ambiguous failure is harmless.
    pub idempotent: bool,
    /// Transcription notes.
    pub notes: Vec<String>,
    /// Request parameters, in the reference's order.
    pub request: Vec<Param>,
    /// Top-level response fields.
    pub response: Vec<Field>,
    /// The action's own documented error codes.
    pub errors: Vec<ErrorCode>,
    /// The reference's JSON success example, verbatim.
    pub example_response: String,
    /// Names that differ from the official Go SDK, with the reason.
    pub go_sdk_differences: Vec<GoSdkDifference>,
    /// Differences from the OpenAPI metadata that the spec keeps, with the reason.
    pub metadata_differences: Vec<MetadataDifference>,
    /// Differences from the official Python SDK's request surface that the spec keeps, with the reason.
    pub py_sdk_differences: Vec<MetadataDifference>,
    /// Error answers the reference shows for this action (test fixtures).
    pub error_examples: Vec<ErrorExample>,
    /// How the action pages through results, if it does.
    pub pagination: Option<Pagination>,
}

impl Action {
    /// The spec's reason for keeping its own where it differs from the metadata by `kind` at `at`, if it gives one.
    pub fn explanation(&self, at: &str, kind: DriftKind) -> Option<&str> {
        self.metadata_differences
            .iter()
            .find(|d| d.at == at && d.kind == kind)
            .map(|d| d.reason.as_str())
    }

    /// The spec's reason for keeping its own where it differs from the Python SDK by `kind` at `at`, if any.
    pub fn py_sdk_explanation(&self, at: &str, kind: DriftKind) -> Option<&str> {
        self.py_sdk_differences
            .iter()
            .find(|d| d.at == at && d.kind == kind)
            .map(|d| d.reason.as_str())
    }
}

/// How an action pages: by page number (`PageNum`) or by a scroll token (`ScrollId`).
#[derive(Debug, Clone)]
pub struct Pagination {
    /// The request parameter selecting the page (`PageNum`, `ScrollId`).
    pub input_token: String,
    /// The response field carrying the next token (scroll style only).
    pub output_token: Option<String>,
    /// The request parameter setting the page size.
    pub page_size: Option<String>,
    /// The documented maximum page size.
    pub max_page_size: Option<u32>,
    /// The top-level response list holding the page's items.
    pub items: String,
    /// The response field saying whether there is a next page (`NextPage`).
    pub more_results: Option<String>,
    /// The response field giving the number of pages (`TotalPageNum`).
    pub total_pages: Option<String>,
}

/// An error answer the reference shows.
#[derive(Debug, Clone)]
pub struct ErrorExample {
    /// The HTTP status it comes with.
    pub http_status: u16,
    /// The JSON body, verbatim.
    pub body: String,
}

/// A request parameter's shape on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamShape {
    /// `Name`
    Scalar,
    /// `Name.N`: a plain list.
    List,
    /// `List.N.Field`: one field of a list of structures.
    StructField {
        /// The list's name (`OrderActivateParam`).
        list: String,
        /// The field's name (`DomainName`).
        field: String,
    },
}

/// Scalar types of the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum ScalarType {
    /// `String`
    String,
    /// `Integer` (32-bit)
    Integer,
    /// `Long` (64-bit)
    Long,
    /// `Boolean`
    Boolean,
    /// `Float`
    Float,
}

impl ScalarType {
    /// Parses the reference's type word.
    pub fn parse(s: &str) -> Option<ScalarType> {
        Some(match s {
            "String" => ScalarType::String,
            "Integer" => ScalarType::Integer,
            "Long" => ScalarType::Long,
            "Boolean" => ScalarType::Boolean,
            "Float" => ScalarType::Float,
            _ => return None,
        })
    }

    /// The reference's word for the type.
    pub fn as_str(self) -> &'static str {
        match self {
            ScalarType::String => "String",
            ScalarType::Integer => "Integer",
            ScalarType::Long => "Long",
            ScalarType::Boolean => "Boolean",
            ScalarType::Float => "Float",
        }
    }

    /// Whether `value` is a valid literal of this type.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            ScalarType::String => true,
            ScalarType::Integer => value.parse::<i32>().is_ok(),
            ScalarType::Long => value.parse::<i64>().is_ok(),
            ScalarType::Boolean => matches!(value, "true" | "false"),
            ScalarType::Float => value.parse::<f64>().is_ok(),
        }
    }
}

/// Where a parameter travels, when the reference says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    /// In the query string.
    Query,
    /// In the POST form body.
    Body,
}

/// A documented value of a value set; `G` is the group each value belongs to, `()` for a set without groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue<G = ()> {
    /// The wire value.
    pub value: String,
    /// The Rust variant name, when the spec gives one.
    pub name: Option<String>,
    /// What the value means.
    pub description: Option<String>,
    /// What the value means, in English.
    pub description_en: Option<String>,
    /// The value's group (§6.3: the user type).
    pub group: G,
}

impl<G> EnumValue<G> {
    /// The value without its group.
    pub fn ungrouped(&self) -> EnumValue {
        EnumValue {
            value: self.value.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            description_en: self.description_en.clone(),
            group: (),
        }
    }
}

/// A request parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// The wire name as the reference writes it (`DomainName.N`).
    pub wire_name: String,
    /// The Rust name the spec gives its field and setter (`rust_name:`), instead of one made from the wire name.
    pub rust_name: Option<String>,
    /// Scalar, list or struct field.
    pub shape: ParamShape,
    /// The value's type (for a list: the items' type).
    pub ty: ScalarType,
    /// Whether the parameter must be set.
    pub required: bool,
    /// The reference's example value.
    pub example: Option<String>,
    /// The reference's description.
    pub description: Option<String>,
    /// The description in English.
    pub description_en: Option<String>,
    /// The documented default.
    pub default: Option<String>,
    /// The documented value set.
    pub values: Vec<EnumValue>,
    /// The enum name given by the spec.
    pub enum_name: Option<String>,
    /// The reference's Query/Body column.
    pub location: Option<Location>,
    /// Whether the string carries a JSON document (`format: json`).
    pub json: bool,
    /// Whether the service deprecates the parameter.
    pub deprecated: bool,
    /// Transcription notes.
    pub notes: Vec<String>,
}

impl Param {
    /// The reference's word for the parameter's type (`RepeatList` for a plain list).
    pub fn type_word(&self) -> &'static str {
        match self.shape {
            ParamShape::List => "RepeatList",
            _ => self.ty.as_str(),
        }
    }

    /// The value tests send as the `k`-th item (1-based) of a list, or as the value itself for `k == 1`:
    /// the sample, made distinct per item where the type allows, so that a swapped item is caught; always one
    /// of the documented values when the parameter has a value set (the test server refuses others).
    pub fn sample_item(&self, k: usize) -> String {
        let base = self.sample_value();
        if k <= 1 {
            return base;
        }
        if !self.values.is_empty() {
            let at = self.values.iter().position(|v| v.value == base).unwrap_or(0);
            return self.values[(at + k - 1) % self.values.len()].value.clone();
        }
        match self.ty {
            ScalarType::String => format!("{base}-{k}"),
            ScalarType::Integer => base
                .parse::<i32>()
                .ok()
                .and_then(|n| n.checked_add(k as i32 - 1))
                .map_or(base, |n| n.to_string()),
            ScalarType::Long => base
                .parse::<i64>()
                .ok()
                .and_then(|n| n.checked_add(k as i64 - 1))
                .map_or(base, |n| n.to_string()),
            ScalarType::Boolean => {
                if k.is_multiple_of(2) {
                    (base != "true").to_string()
                } else {
                    base
                }
            }
            ScalarType::Float => base,
        }
    }

    /// A value of the right type for tests: the example when it is valid, else a typed stand-in.
    pub fn sample_value(&self) -> String {
        match &self.example {
            Some(e)
                if !e.is_empty()
                    && self.ty.accepts(e)
                    && (self.values.is_empty() || self.values.iter().any(|v| &v.value == e)) =>
            {
                e.clone()
            }
            _ if !self.values.is_empty() => self.values[0].value.clone(),
            _ => match self.ty {
                ScalarType::String => self
                    .values
                    .first()
                    .map(|v| v.value.clone())
                    .unwrap_or_else(|| "sample".to_owned()),
                ScalarType::Integer | ScalarType::Long => "1".to_owned(),
                ScalarType::Boolean => "true".to_owned(),
                ScalarType::Float => "1.5".to_owned(),
            },
        }
    }
}

/// A response field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// A scalar (`String`, `Integer`, …).
    Scalar(ScalarType),
    /// A JSON array (`Array`), maybe wrapped in a one-key object.
    List {
        /// The items.
        item: ListItem,
        /// The JSON key wrapping the list (`"Data": {"Domain": [...]}`), if any.
        wrapper: Option<String>,
    },
    /// A JSON object (`Object`).
    Struct(Structure),
    /// Any JSON value (`Json`), kept as it came.
    Json,
}

/// The items of a response list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListItem {
    /// Scalars (`item_type`).
    Scalar(ScalarType),
    /// Structures (`fields`).
    Struct(Structure),
    /// Any JSON values (`item_type: Json`).
    Json,
}

/// A response structure declared in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Structure {
    /// The Rust name as the spec gives it: `struct`, else the list's wrapper, else the field's name.
    pub name: String,
    /// Its fields.
    pub fields: Vec<Field>,
}

/// A response field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The JSON key.
    pub name: String,
    /// The Rust name the spec gives its field (`rust_name:`), instead of one made from the key.
    pub rust_name: Option<String>,
    /// Its type.
    pub ty: FieldType,
    /// The reference's example.
    pub example: Option<String>,
    /// The reference's description.
    pub description: Option<String>,
    /// The description in English.
    pub description_en: Option<String>,
    /// The documented default.
    pub default: Option<String>,
    /// The documented value set (of the field, or of a list's scalar items).
    pub values: Vec<EnumValue>,
    /// The enum name given by the spec.
    pub enum_name: Option<String>,
    /// Transcription notes.
    pub notes: Vec<String>,
}

impl Field {
    /// The type word used in `spec dump`.
    pub fn type_word(&self) -> &'static str {
        match &self.ty {
            FieldType::Scalar(s) => s.as_str(),
            FieldType::Struct(_) => "Object",
            FieldType::List { .. } => "Array",
            FieldType::Json => "Json",
        }
    }

    /// The scalar type of this field or of its items, if any.
    pub fn scalar(&self) -> Option<ScalarType> {
        match &self.ty {
            FieldType::Scalar(s)
            | FieldType::List {
                item: ListItem::Scalar(s),
                ..
            } => Some(*s),
            _ => None,
        }
    }

    /// The structure this field holds, itself or as its items, if any.
    pub fn structure(&self) -> Option<&Structure> {
        match &self.ty {
            FieldType::Struct(s)
            | FieldType::List {
                item: ListItem::Struct(s),
                ..
            } => Some(s),
            _ => None,
        }
    }
}

/// A documented error code.
#[derive(Debug, Clone)]
pub struct ErrorCode {
    /// The `Code` the service returns.
    pub code: String,
    /// The HTTP status it comes with.
    pub http_status: Option<u16>,
    /// The service's message.
    pub message: Option<String>,
    /// What it means.
    pub description: Option<String>,
    /// What it means, in English.
    pub description_en: Option<String>,
    /// Where the code is documented for this action (a reference section, a page, a file of a repository).
    pub source: String,
    /// Interpretation notes.
    pub notes: Option<Vec<String>>,
}

/// A name on which the spec and the official Go SDK differ, explained.
#[derive(Debug, Clone)]
pub struct GoSdkDifference {
    /// The wire name (`X.N`, `X.N.Field`).
    pub name: String,
    /// Why the two differ.
    pub reason: String,
}

/// Where an action is documented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A section of the reference (`section: "5.17"`).
    Reference {
        /// `5.17`.
        section: String,
    },
    /// The OpenAPI metadata (`source:`), for an action the reference lacks.
    Imported(Source),
}

impl Origin {
    /// The reference section, if the action is the reference's.
    pub fn section(&self) -> Option<&str> {
        match self {
            Origin::Reference { section } => Some(section),
            Origin::Imported(_) => None,
        }
    }

    /// Where it was imported from, if it was.
    pub fn source(&self) -> Option<&Source> {
        match self {
            Origin::Imported(source) => Some(source),
            Origin::Reference { .. } => None,
        }
    }
}

/// Where an action that the reference lacks was imported from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Source {
    /// The metadata document's file name (`domain-2018-01-29.full.2024-08-14.json`).
    pub metadata: String,
    /// The snapshot's date (`2024-08-14`).
    pub snapshot: String,
    /// Where the response shape came from when the document has none (`go_sdk_domain.json`).
    pub response: Option<String>,
    /// Where `example_response` came from, when the file says.
    pub example: Option<ExampleOrigin>,
}

impl Source {
    /// Whether the action came from the official Go SDK's surface (`go_sdk…` of `api-spec/upstream/`) rather
    /// than from an OpenAPI metadata document.
    pub fn is_go_sdk(&self) -> bool {
        self.metadata.starts_with("go_sdk")
    }

    /// Whether the action came from the official Python SDK's surface (`py_sdk…` of `api-spec/upstream/`).
    pub fn is_py_sdk(&self) -> bool {
        self.metadata.starts_with("py_sdk")
    }

    /// What the document is, for citations: the official Go or Python SDK, or the OpenAPI metadata.
    pub fn document(&self) -> &'static str {
        if self.is_go_sdk() {
            "the official Go SDK"
        } else if self.is_py_sdk() {
            "the official Python SDK"
        } else {
            "the OpenAPI metadata"
        }
    }
}

/// Where an imported action's `example_response` came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExampleOrigin {
    /// The metadata's `responseDemo`.
    Metadata,
    /// Built from the response schema: the service publishes none.
    Built,
}

/// What differs between the spec and the metadata at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// The metadata has it, the spec does not.
    Added,
    /// The spec has it, the metadata does not.
    Removed,
    /// The base type differs (`string` vs `integer`).
    Type,
    /// The same base type, another format (`int32` vs `int64`).
    Format,
    /// The required flag differs.
    Required,
    /// The list shape differs (`X` vs `X.N` vs `X.N.Field`).
    Shape,
    /// Query string vs form body.
    Position,
    /// The documented value sets differ.
    Values,
    /// The accepted HTTP methods differ.
    Methods,
    /// One side deprecates it.
    Deprecated,
}

impl DriftKind {
    /// The spec's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            DriftKind::Added => "added",
            DriftKind::Removed => "removed",
            DriftKind::Type => "type",
            DriftKind::Format => "format",
            DriftKind::Required => "required",
            DriftKind::Shape => "shape",
            DriftKind::Position => "position",
            DriftKind::Values => "values",
            DriftKind::Methods => "methods",
            DriftKind::Deprecated => "deprecated",
        }
    }
}

/// A difference from an upstream source (the metadata, the Python SDK) that the spec keeps on purpose: "upstream
/// says X; we keep Y because …".
#[derive(Debug, Clone)]
pub struct MetadataDifference {
    /// Where: `request.PageNum`, `request.Tag` (a list of structures as a whole), `response.Data.Domain[].Remark`,
    /// or empty for the action itself.
    pub at: String,
    /// What differs.
    pub kind: DriftKind,
    /// Why the spec keeps its own.
    pub reason: String,
}
