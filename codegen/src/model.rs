//! Lowers the validated spec to a Rust-facing model: every type, field, variant, method, feature and module
//! named (by `naming`, once), every collision reported as a spec error naming both sources.
//!
//! The emitter only ever sees this model, never the raw spec; `cargo xtask model dump` prints it as JSON.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::diagnostics::Diagnostics;
use crate::naming::{self, bare, camel, snake, variant, OperationNames};
use crate::spec::{
    Action, EnumValue, Field, FieldType, ListItem, Origin, Param, ParamShape, SharedEnum, Spec, Structure,
};
pub use crate::spec::{ErrorClass, GlobalError, HttpMethod, Location, NameRules, RegionEndpoint, ScalarType};

/// Items a list parameter gets in the generated round-trip test cases.
pub const LIST_ITEMS: usize = 2;

/// Everything the emitter needs.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// One per action, sorted by action name.
    pub operations: Vec<Operation>,
    /// Structures and enums of the `types` module: §6.3's enum, and those several actions define identically.
    pub shared: TypeSet,
    /// §6.1's global errors (every action may answer them).
    pub global_errors: Vec<GlobalError>,
    /// The enum of §6.1's codes (`GlobalErrorCode`).
    pub global_error_codes: CodeEnum,
    /// §6.2's domain name rules.
    pub name_rules: Option<NameRules>,
    /// Parameters a client can default, with their `ClientBuilder` methods.
    pub client_defaults: Vec<ClientDefault>,
    /// The service's host in each region, in the spec's order.
    pub endpoints: Vec<RegionEndpoint>,
    /// The region a client uses when it names none (`None`: the spec names no endpoints).
    pub default_region: Option<String>,
}

/// A parameter a client can set once for every action that takes it.
#[derive(Debug, Clone, Serialize)]
pub struct ClientDefault {
    /// The wire name (`Lang`).
    pub wire: String,
    /// The `ClientBuilder` method (`default_lang`).
    pub method: String,
    /// What it is (the spec's prose).
    #[serde(skip)]
    pub description: String,
}

/// Structures and enums defined in one module.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TypeSet {
    /// Structures, sorted by name.
    pub structs: Vec<StructDef>,
    /// Enums, sorted by name.
    pub enums: Vec<EnumDef>,
}

/// One action, as Rust.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// The action's name, the `Action` parameter (`QueryDomainList`).
    pub action: String,
    /// The API version, the `Version` parameter.
    pub version: String,
    /// Where the action is documented: `§5.17 of the reference`, or the metadata snapshot it was imported from.
    pub cite: String,
    /// Whether the service deprecates the action.
    pub deprecated: bool,
    /// One sentence: what the action does (the spec's prose).
    #[serde(skip)]
    pub summary: String,
    /// Longer description (the spec's prose).
    #[serde(skip)]
    pub description: Option<String>,
    /// Allowed HTTP methods, sorted.
    pub methods: Vec<HttpMethod>,
    /// Whether a retry after an ambiguous failure is harmless.
    pub idempotent: bool,
    /// The names of the action's module, feature and items.
    pub names: OperationNames,
    /// Request fields, in the reference's order.
    pub input: Vec<InputField>,
    /// Element structures of lists of structures.
    pub input_structs: Vec<InputStruct>,
    /// The output structure (`QueryDomainListOutput`).
    pub output: StructDef,
    /// Nested structures and enums of this action.
    pub types: TypeSet,
    /// How the action pages, in Rust names.
    pub paging: Option<Paging>,
    /// The action's own error codes (§6.1's global ones excluded), named `names.error_code`.
    pub error_codes: CodeEnum,
    /// The client defaults this action takes (wire names).
    pub defaults: Vec<String>,
    /// Types of this action that live in `types` because several actions share them (re-exported here).
    pub shared_types: Vec<String>,
    /// The reference's JSON success example, verbatim (the test server's default answer).
    #[serde(skip)]
    pub example_response: String,
}

/// Pagination in Rust names.
#[derive(Debug, Clone, Serialize)]
pub struct Paging {
    /// The input field selecting the page.
    pub token: String,
    /// Its wire name (`PageNum`, `ScrollId`).
    pub token_wire: String,
    /// Whether the token is a scroll id (else a page number).
    pub scroll: bool,
    /// The input field with the page size.
    pub page_size: Option<String>,
    /// The documented maximum page size.
    pub max_page_size: Option<u32>,
    /// The output field with the items.
    pub items: String,
    /// Its JSON key.
    pub items_json: String,
    /// The items' type.
    pub item: OutType,
    /// The output field with the next scroll id.
    pub output_token: Option<String>,
    /// The output field saying whether there is a next page.
    pub more_results: Option<String>,
    /// The output field with the number of pages.
    pub total_pages: Option<String>,
}

/// An enum of error codes with an `Unhandled` fallback.
#[derive(Debug, Clone, Serialize)]
pub struct CodeEnum {
    /// Rust name.
    pub name: String,
    /// One variant per distinct code, in the spec's order.
    pub variants: Vec<CodeVariant>,
}

/// One error code.
#[derive(Debug, Clone, Serialize)]
pub struct CodeVariant {
    /// Rust name.
    pub ident: String,
    /// The `Code` the service sends.
    pub code: String,
    /// Rustdoc.
    #[serde(skip)]
    pub doc: String,
}

/// A value's Rust type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ValueType {
    /// A plain scalar.
    Scalar(ScalarType),
    /// A generated enum, by name (in the same module, or in `types` when `shared`).
    Enum {
        /// The enum's name.
        name: String,
        /// Whether its wire values are integers.
        integer: bool,
        /// Defined in `types` (§6.3) rather than in the action's module.
        shared: bool,
    },
}

/// A request field.
#[derive(Debug, Clone, Serialize)]
pub struct InputField {
    /// Wire name without `.N` (`DomainName`, `OrderActivateParam`).
    pub wire: String,
    /// The wire name as the reference writes it (`DomainName.N`).
    pub reference_name: String,
    /// The Rust field and setter name.
    pub ident: String,
    /// The builder's `set_…` method (`None` for a field of a list's element structure).
    pub set: Option<String>,
    /// The builder's `get_…` method (`None` for a field of a list's element structure).
    pub get: Option<String>,
    /// The setter taking a JSON value, for a string that carries a JSON document (`format: json`).
    pub json_setter: Option<String>,
    /// Rustdoc.
    #[serde(skip)]
    pub doc: String,
    /// Whether `send()` fails without it.
    pub required: bool,
    /// Its shape.
    pub kind: InputKind,
    /// Where the reference says it travels.
    pub location: Option<Location>,
    /// Whether the service deprecates the parameter (for a list of structures: all its fields).
    pub deprecated: bool,
    /// The values the generated round trip sends: one for a scalar, one per item for a list or an element
    /// structure's field ([`LIST_ITEMS`]); empty for a list of structures (its fields have theirs).
    pub samples: Vec<String>,
}

/// A request field's shape.
#[derive(Debug, Clone, Serialize)]
pub enum InputKind {
    /// One value.
    Scalar(ValueType),
    /// `X.N`
    List(ValueType),
    /// `X.N.Field`, by element structure name.
    StructList(String),
}

/// The element structure of a list of structures.
#[derive(Debug, Clone, Serialize)]
pub struct InputStruct {
    /// Rust name.
    pub name: String,
    /// Wire prefix (`OrderActivateParam`).
    pub wire: String,
    /// Its fields (all scalars).
    pub fields: Vec<InputField>,
}

/// A response structure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructDef {
    /// Rust name.
    pub name: String,
    /// Rustdoc.
    #[serde(skip)]
    pub doc: String,
    /// Fields in spec order.
    pub fields: Vec<OutField>,
}

/// A field of a response structure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutField {
    /// The JSON key.
    pub json: String,
    /// The Rust field name.
    pub ident: String,
    /// Rustdoc.
    #[serde(skip)]
    pub doc: String,
    /// Its type.
    pub ty: OutType,
}

/// A response field's type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum OutType {
    /// A scalar or enum.
    Value(ValueType),
    /// A structure; `shared` when it lives in `types`.
    Struct {
        /// Rust name.
        name: String,
        /// Defined in `types` rather than in the action's module.
        shared: bool,
    },
    /// A list, maybe wrapped in a one-key object.
    List {
        /// The items.
        item: Box<OutType>,
        /// The wrapping key.
        wrapper: Option<String>,
    },
    /// Any JSON value (`serde_json::Value`).
    Json,
}

/// A generated enum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumDef {
    /// Rust name.
    pub name: String,
    /// Rustdoc.
    #[serde(skip)]
    pub doc: String,
    /// Whether the wire values are integers.
    pub integer: bool,
    /// Variants in spec order.
    pub variants: Vec<Variant>,
    /// For §6.3: each variant's user type (`individual` / `organization`), in variant order; else empty.
    pub groups: Vec<String>,
}

/// An enum variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// Rust name.
    pub ident: String,
    /// Wire value.
    pub value: String,
    /// Rustdoc.
    #[serde(skip)]
    pub doc: String,
}

/// Methods every fluent builder has, which a setter may not take.
const BUILDER_METHODS: &[&str] = &[
    "send",
    "new",
    "input",
    "build_request",
    "customize",
    "client",
    "as_input",
];
/// Methods of a paginated action's builder.
const PAGING_METHODS: &[&str] = &["into_paginator"];
/// Variants every error-code enum has.
const CODE_VARIANTS: &[&str] = &["Unhandled", "Global"];
/// Items the `types` module always defines (§6.1, §6.2, §6.3).
const TYPES_ITEMS: &[&str] = &["GlobalErrorCode", "UserType"];
/// The uninhabited type of the feature hints module.
const HINTS_ITEMS: &[&str] = &["Off"];

/// Lowers the spec; reports naming collisions the spec must resolve.
pub fn lower(spec: &Spec) -> Result<Model, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut shared = TypeSet::default();
    let shared_enum = spec.appendix.credential_types.as_ref();
    if let Some(e) = shared_enum {
        let mut cx = TypeCx {
            file: &e.file,
            set: &mut shared,
            diags: &mut diags,
            shared_enum: None,
        };
        let description =
            Some("实名认证证件类型（附录 §6.3）。The identity credential types of appendix §6.3.".to_owned());
        let values: Vec<EnumValue> = e.values.iter().map(EnumValue::ungrouped).collect();
        if let ValueType::Enum { name, .. } =
            cx.value_type(ScalarType::String, &values, None, &e.name, &description, "values")
        {
            if let Some(def) = cx.set.enums.iter_mut().find(|d| d.name == name) {
                def.groups = e.values.iter().map(|v| v.group.as_str().to_owned()).collect();
            }
        }
    }
    let global_errors = spec.appendix.global_errors.clone();
    let global_file = "appendix/global_errors.yaml";
    let global_error_codes = CodeEnum {
        name: "GlobalErrorCode".to_owned(),
        variants: code_variants(
            global_errors
                .iter()
                .map(|e| (e.code.as_str(), crate::doc::prose(&e.message))),
            global_file,
            &mut diags,
        ),
    };
    let mut operations = Vec::new();
    for action in &spec.actions {
        if let Some(op) = lower_action(action, spec, &mut diags) {
            operations.push(op);
        }
    }
    hoist_common_types(&mut operations, &mut shared);
    shared.structs.sort_by(|a, b| a.name.cmp(&b.name));
    shared.enums.sort_by(|a, b| a.name.cmp(&b.name));
    check_modules(spec, &mut diags);
    let mut types = Namespace::new("module types", "(the types module)");
    for name in TYPES_ITEMS {
        types.claim(name, "an item the generator defines", "", &mut diags);
    }
    for s in &shared.structs {
        types.claim(&s.name, "a shared structure", "", &mut diags);
    }
    for e in &shared.enums {
        types.claim(&e.name, "a shared value set", "", &mut diags);
    }
    let client_defaults = spec
        .client_defaults
        .iter()
        .map(|d| ClientDefault {
            wire: d.name.clone(),
            method: naming::default_setter(&d.name),
            description: d.description.clone(),
        })
        .collect();
    if diags.is_empty() {
        Ok(Model {
            operations,
            shared,
            global_errors,
            global_error_codes,
            name_rules: spec.appendix.name_rules.clone(),
            client_defaults,
            endpoints: spec.endpoints.clone(),
            default_region: spec.default_region.clone(),
        })
    } else {
        diags.0.sort();
        diags.0.dedup();
        Err(diags)
    }
}

/// Names claimed in one Rust namespace (a module's types, a builder's methods) of one spec file, each with what
/// claimed it.
struct Namespace<'a> {
    scope: String,
    file: &'a str,
    claimed: BTreeMap<String, String>,
}

impl<'a> Namespace<'a> {
    fn new(scope: impl Into<String>, file: &'a str) -> Self {
        Namespace {
            scope: scope.into(),
            file,
            claimed: BTreeMap::new(),
        }
    }

    /// Claims `name` for `what`; a second claim by something else is a spec error at `path` naming both.
    fn claim(&mut self, name: &str, what: impl Into<String>, path: &str, diags: &mut Diagnostics) {
        let what = what.into();
        match self.claimed.get(name) {
            Some(first) if *first != what => diags.push(
                self.file,
                path,
                format!(
                    "{what} and {first} both become '{name}' in {}; rename one in the spec",
                    self.scope
                ),
            ),
            Some(_) => {}
            None => {
                self.claimed.insert(name.to_owned(), what);
            }
        }
    }
}

/// Two actions must not share a module (and so a feature, a client method and a hint trait: the hint is the
/// feature in UpperCamelCase), nor name a hint as the generator's own item.
fn check_modules(spec: &Spec, diags: &mut Diagnostics) {
    let mut modules: BTreeMap<String, &Action> = BTreeMap::new();
    for a in &spec.actions {
        let names = naming::operation(&a.name);
        if HINTS_ITEMS.contains(&names.hint_trait.as_str()) {
            let msg = format!(
                "action '{}' would name its feature hint '{}', an item the generator defines",
                a.name, names.hint_trait
            );
            diags.push(&a.file, "name", msg);
        }
        match modules.get(&names.feature) {
            Some(first) => diags.push(
                &a.file,
                "name",
                format!(
                    "action '{}' and action '{}' both become '{}' in the operation modules and Cargo features; \
                     rename one in the spec",
                    a.name, first.name, names.feature
                ),
            ),
            None => {
                modules.insert(names.feature, a);
            }
        }
    }
}

/// The types of an action's module, and the methods of its builder and element structures, are each named once.
fn check_operation_names(op: &Operation, file: &str, diags: &mut Diagnostics) {
    let mut types = Namespace::new(format!("module operation::{}", op.names.module), file);
    for (name, what) in [
        (&op.names.input, "the action's input"),
        (&op.names.output, "the action's output"),
        (&op.names.builder, "the action's builder"),
        (&op.names.error_code, "the action's error codes"),
    ] {
        types.claim(name, what, "name", diags);
    }
    for s in &op.input_structs {
        types.claim(
            &s.name,
            format!("request list '{}.N'", s.wire),
            &format!("request.{}.N", s.wire),
            diags,
        );
    }
    for s in &op.types.structs {
        types.claim(&s.name, format!("response structure '{}'", s.name), "response", diags);
    }
    for e in &op.types.enums {
        types.claim(&e.name, format!("value set '{}'", e.name), "request", diags);
    }

    let mut methods = Namespace::new(format!("the methods of {}", op.names.builder), file);
    let paging: &[&str] = if op.paging.is_some() { PAGING_METHODS } else { &[] };
    for m in BUILDER_METHODS.iter().chain(paging) {
        methods.claim(m, "a method every builder has", "request", diags);
    }
    for f in &op.input {
        let path = format!("request.{}", f.reference_name);
        let what = format!("a method of parameter '{}'", f.reference_name);
        for m in [Some(&f.ident), f.set.as_ref(), f.get.as_ref(), f.json_setter.as_ref()]
            .into_iter()
            .flatten()
        {
            methods.claim(bare(m), what.as_str(), &path, diags);
        }
    }
    for s in &op.input_structs {
        let mut methods = Namespace::new(format!("the methods of {}", s.name), file);
        methods.claim("new", "a method every element structure has", "", diags);
        for f in &s.fields {
            let path = format!("request.{}", f.reference_name);
            methods.claim(
                bare(&f.ident),
                format!("parameter '{}'", f.reference_name),
                &path,
                diags,
            );
        }
    }
}

/// One variant per distinct code, in order; two codes that become one variant are an error naming both.
fn code_variants<'a>(
    codes: impl Iterator<Item = (&'a str, String)>,
    file: &str,
    diags: &mut Diagnostics,
) -> Vec<CodeVariant> {
    let mut out: Vec<CodeVariant> = Vec::new();
    for (code, doc) in codes {
        let ident = camel(code);
        if CODE_VARIANTS.contains(&ident.as_str()) {
            diags.push(
                file,
                "errors",
                format!("error code '{code}' becomes variant '{ident}', which every error-code enum has"),
            );
            continue;
        }
        match out.iter().find(|v| v.ident == ident) {
            Some(v) if v.code == code => {}
            Some(v) => diags.push(
                file,
                "errors",
                format!("error codes '{}' and '{code}' both become variant '{ident}'", v.code),
            ),
            None => out.push(CodeVariant {
                ident,
                code: code.to_owned(),
                doc,
            }),
        }
    }
    out
}

fn lower_action(action: &Action, spec: &Spec, diags: &mut Diagnostics) -> Option<Operation> {
    let names = naming::operation(&action.name);
    let mut types = TypeSet::default();
    let before = diags.0.len();
    let shared_enum = spec.appendix.credential_types.as_ref();
    let mut cx = TypeCx {
        file: &action.file,
        set: &mut types,
        diags,
        shared_enum,
    };

    let mut input: Vec<InputField> = Vec::new();
    let mut input_structs: Vec<InputStruct> = Vec::new();
    for p in &action.request {
        let path = format!("request.{}", p.wire_name);
        match &p.shape {
            ParamShape::Scalar | ParamShape::List => {
                let ty = cx.value_type(
                    p.ty,
                    &p.values,
                    p.enum_name.as_deref(),
                    &p.wire_name,
                    &p.description,
                    &path,
                );
                let wire = naming::list_name(&p.wire_name).to_owned();
                let ident = setter_ident(&wire);
                let (set, get) = naming::set_get(&ident);
                let (kind, samples) = if p.shape == ParamShape::List {
                    (
                        InputKind::List(ty),
                        (1..=LIST_ITEMS).map(|k| p.sample_item(k)).collect(),
                    )
                } else {
                    (InputKind::Scalar(ty), vec![p.sample_item(1)])
                };
                input.push(InputField {
                    json_setter: (p.json && p.shape == ParamShape::Scalar).then(|| naming::json_setter(&ident)),
                    set: Some(set),
                    get: Some(get),
                    ident,
                    doc: param_doc(p),
                    wire,
                    reference_name: p.wire_name.clone(),
                    required: p.required,
                    kind,
                    location: p.location,
                    deprecated: p.deprecated,
                    samples,
                });
            }
            ParamShape::StructField { list, field } => {
                let ty = cx.value_type(p.ty, &p.values, p.enum_name.as_deref(), field, &p.description, &path);
                let member = InputField {
                    wire: field.clone(),
                    reference_name: p.wire_name.clone(),
                    ident: setter_ident(field),
                    set: None,
                    get: None,
                    json_setter: None,
                    doc: param_doc(p),
                    required: p.required,
                    kind: InputKind::Scalar(ty),
                    location: p.location,
                    deprecated: p.deprecated,
                    samples: (1..=LIST_ITEMS).map(|k| p.sample_item(k)).collect(),
                };
                match input_structs.iter_mut().find(|s| &s.wire == list) {
                    Some(s) => s.fields.push(member),
                    None => {
                        let name = camel(list);
                        input_structs.push(InputStruct {
                            name: name.clone(),
                            wire: list.clone(),
                            fields: vec![member],
                        });
                        let ident = setter_ident(list);
                        let (set, get) = naming::set_get(&ident);
                        input.push(InputField {
                            wire: list.clone(),
                            reference_name: format!("{list}.N"),
                            ident,
                            set: Some(set),
                            get: Some(get),
                            json_setter: None,
                            doc: String::new(),
                            required: false,
                            kind: InputKind::StructList(name),
                            location: p.location,
                            deprecated: true,
                            samples: Vec::new(),
                        });
                    }
                }
                let f = input.iter_mut().find(|f| &f.wire == list).expect("just inserted");
                f.required |= p.required;
                f.deprecated &= p.deprecated;
            }
        }
    }
    for f in &mut input {
        if let InputKind::StructList(name) = &f.kind {
            f.doc = format!(
                "A list of [`{name}`], sent as `{}.1.*`, `{}.2.*`, …; each call appends one item.{}",
                f.wire,
                f.wire,
                if f.required {
                    "\n\nRequired: at least one item."
                } else {
                    ""
                }
            );
        }
    }

    let out_fields = cx.out_fields(&action.response, "response");
    let output = StructDef {
        name: names.output.clone(),
        doc: format!(
            "The response of [`{}`](crate::Client::{}).",
            action.name,
            bare(&names.module)
        ),
        fields: out_fields,
    };
    // Sort the action's types by name: deterministic output, small diffs.
    types.structs.sort_by(|a, b| a.name.cmp(&b.name));
    types.enums.sort_by(|a, b| a.name.cmp(&b.name));
    let own_codes = action
        .errors
        .iter()
        .filter(|e| !spec.appendix.global_errors.iter().any(|g| g.code == e.code))
        .map(|e| {
            let doc = e
                .description
                .as_deref()
                .or(e.message.as_deref())
                .unwrap_or("Documented for this action.");
            (e.code.as_str(), crate::doc::prose(doc))
        });
    let error_codes = CodeEnum {
        name: names.error_code.clone(),
        variants: code_variants(own_codes, &action.file, diags),
    };
    let paging = action.pagination.as_ref().and_then(|p| {
        let input_ident = |wire: &str| input.iter().find(|f| f.wire == wire).map(|f| f.ident.clone());
        let output_ident = |json: &str| output.fields.iter().find(|f| f.json == json).map(|f| f.ident.clone());
        let items = output.fields.iter().find(|f| f.json == p.items)?;
        let OutType::List { item, .. } = &items.ty else {
            return None;
        };
        Some(Paging {
            token: input_ident(&p.input_token)?,
            token_wire: p.input_token.clone(),
            scroll: p.output_token.is_some(),
            page_size: p.page_size.as_deref().and_then(input_ident),
            max_page_size: p.max_page_size,
            items: items.ident.clone(),
            items_json: items.json.clone(),
            item: (**item).clone(),
            output_token: p.output_token.as_deref().and_then(output_ident),
            more_results: p.more_results.as_deref().and_then(output_ident),
            total_pages: p.total_pages.as_deref().and_then(output_ident),
        })
    });
    let defaults = spec
        .client_defaults
        .iter()
        .filter(|d| {
            action
                .request
                .iter()
                .any(|p| p.wire_name == d.name && p.shape == ParamShape::Scalar)
        })
        .map(|d| d.name.clone())
        .collect();
    let op = Operation {
        action: action.name.clone(),
        version: action.version.clone(),
        cite: match &action.origin {
            Origin::Reference { section } => format!("§{section} of the reference"),
            Origin::Imported(source) => format!("{} of {}", source.document(), source.snapshot),
        },
        deprecated: action.deprecated,
        summary: action.summary.clone(),
        description: action.description.clone(),
        methods: action.methods.clone(),
        idempotent: action.idempotent,
        names,
        input,
        input_structs,
        output,
        types,
        paging,
        error_codes,
        defaults,
        shared_types: Vec::new(),
        example_response: action.example_response.clone(),
    };
    check_operation_names(&op, &action.file, diags);
    (diags.0.len() == before).then_some(op)
}

/// What a type moved into `types` is compared by: its wire shape and Rust names, not its docs.
#[derive(PartialEq)]
enum Signature {
    Enum(Vec<(String, String)>, bool),
    Struct(Vec<(String, String, OutType)>),
}

/// The action-local types (not yet in `types`) that a type refers to.
fn local_refs(t: &OutType, out: &mut Vec<String>) {
    match t {
        OutType::Value(ValueType::Enum {
            name, shared: false, ..
        })
        | OutType::Struct { name, shared: false } => out.push(name.clone()),
        OutType::List { item, .. } => local_refs(item, out),
        _ => {}
    }
}

/// Moves the structures and enums that several actions define identically (same name, same fields or values:
/// `Domain`, `TaskDetail`, `Lang`, …) into `types`, so that each is generated once; the actions re-export them,
/// keeping `operation::<action>::Domain` valid. A structure moves only with every type it refers to.
fn hoist_common_types(operations: &mut [Operation], shared: &mut TypeSet) {
    let mut by_name: BTreeMap<String, Vec<Signature>> = BTreeMap::new();
    let mut refs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in operations.iter() {
        for e in &op.types.enums {
            let values = e.variants.iter().map(|v| (v.ident.clone(), v.value.clone())).collect();
            by_name
                .entry(e.name.clone())
                .or_default()
                .push(Signature::Enum(values, e.integer));
        }
        for s in &op.types.structs {
            let fields = s
                .fields
                .iter()
                .map(|f| (f.json.clone(), f.ident.clone(), f.ty.clone()))
                .collect();
            by_name
                .entry(s.name.clone())
                .or_default()
                .push(Signature::Struct(fields));
            let r = refs.entry(s.name.clone()).or_default();
            s.fields.iter().for_each(|f| local_refs(&f.ty, r));
        }
    }
    let taken =
        |name: &str| shared.enums.iter().any(|e| e.name == name) || shared.structs.iter().any(|s| s.name == name);
    let mut hoisted: BTreeSet<String> = by_name
        .into_iter()
        .filter(|(name, defs)| defs.len() > 1 && defs.iter().all(|d| *d == defs[0]) && !taken(name))
        .map(|(name, _)| name)
        .collect();
    loop {
        let keep: BTreeSet<String> = hoisted
            .iter()
            .filter(|n| refs.get(*n).is_none_or(|r| r.iter().all(|x| hoisted.contains(x))))
            .cloned()
            .collect();
        if keep.len() == hoisted.len() {
            break;
        }
        hoisted = keep;
    }
    let mark = |v: &mut ValueType| {
        if let ValueType::Enum { name, shared, .. } = v {
            if hoisted.contains(name) {
                *shared = true;
            }
        }
    };
    fn mark_out(t: &mut OutType, hoisted: &BTreeSet<String>, mark: &dyn Fn(&mut ValueType)) {
        match t {
            OutType::Value(v) => mark(v),
            OutType::List { item, .. } => mark_out(item, hoisted, mark),
            OutType::Struct { name, shared } => {
                if hoisted.contains(name) {
                    *shared = true;
                }
            }
            OutType::Json => {}
        }
    }
    for op in operations.iter_mut() {
        let (moved, kept): (Vec<EnumDef>, Vec<EnumDef>) = std::mem::take(&mut op.types.enums)
            .into_iter()
            .partition(|e| hoisted.contains(&e.name));
        op.types.enums = kept;
        for e in moved {
            op.shared_types.push(e.name.clone());
            if !shared.enums.iter().any(|s| s.name == e.name) {
                shared.enums.push(e);
            }
        }
        let (moved, kept): (Vec<StructDef>, Vec<StructDef>) = std::mem::take(&mut op.types.structs)
            .into_iter()
            .partition(|s| hoisted.contains(&s.name));
        op.types.structs = kept;
        for s in moved {
            op.shared_types.push(s.name.clone());
            if !shared.structs.iter().any(|x| x.name == s.name) {
                shared.structs.push(s);
            }
        }
        op.shared_types.sort();
        let mark_input = |f: &mut InputField| match &mut f.kind {
            InputKind::Scalar(v) | InputKind::List(v) => mark(v),
            InputKind::StructList(_) => {}
        };
        op.input.iter_mut().for_each(mark_input);
        op.input_structs
            .iter_mut()
            .flat_map(|s| s.fields.iter_mut())
            .for_each(mark_input);
        for f in op
            .output
            .fields
            .iter_mut()
            .chain(op.types.structs.iter_mut().flat_map(|s| s.fields.iter_mut()))
        {
            mark_out(&mut f.ty, &hoisted, &mark);
        }
        if let Some(p) = op.paging.as_mut() {
            mark_out(&mut p.item, &hoisted, &mark);
        }
    }
    for f in shared.structs.iter_mut().flat_map(|s| s.fields.iter_mut()) {
        mark_out(&mut f.ty, &hoisted, &mark);
    }
}

/// A field's setter name; one that would take a builder method's name gets a suffix (`Send` → `send_value`).
fn setter_ident(wire: &str) -> String {
    let s = snake(wire);
    if BUILDER_METHODS.contains(&bare(&s)) {
        format!("{s}_value")
    } else {
        s
    }
}

struct TypeCx<'a> {
    file: &'a str,
    set: &'a mut TypeSet,
    diags: &'a mut Diagnostics,
    /// §6.3's enum: every parameter or field of its name uses it.
    shared_enum: Option<&'a SharedEnum>,
}

impl TypeCx<'_> {
    fn err(&mut self, path: &str, msg: impl Into<String>) {
        self.diags.push(self.file, path, msg);
    }

    fn value_type(
        &mut self,
        ty: ScalarType,
        values: &[EnumValue],
        enum_name: Option<&str>,
        owner: &str,
        description: &Option<String>,
        path: &str,
    ) -> ValueType {
        if let Some(shared) = self.shared_enum.filter(|e| e.name == owner && ty == ScalarType::String) {
            for v in values {
                if !shared.values.iter().any(|s| s.value == v.value) {
                    self.err(
                        path,
                        format!("value '{}' is not one of {}'s in {}", v.value, shared.name, shared.file),
                    );
                }
            }
            return ValueType::Enum {
                name: camel(&shared.name),
                integer: false,
                shared: true,
            };
        }
        if values.is_empty() || ty == ScalarType::Boolean || ty == ScalarType::Float {
            return ValueType::Scalar(ty);
        }
        let name = camel(enum_name.unwrap_or(owner));
        let integer = matches!(ty, ScalarType::Integer | ScalarType::Long);
        let mut variants: Vec<Variant> = Vec::new();
        for v in values {
            let ident = v.name.as_deref().map(camel).unwrap_or_else(|| variant(&v.value));
            if ident == "Unknown" {
                self.err(
                    path,
                    format!(
                        "variant name 'Unknown' is reserved for unlisted values (value '{}')",
                        v.value
                    ),
                );
                continue;
            }
            if let Some(other) = variants.iter().find(|o| o.ident == ident) {
                self.err(
                    path,
                    format!(
                        "values '{}' and '{}' both become variant '{ident}'; give one a `name`",
                        other.value, v.value
                    ),
                );
                continue;
            }
            let doc = match &v.description {
                Some(d) => format!("{} ({})", crate::doc::prose(d.trim()), crate::doc::code(&v.value)),
                None => crate::doc::code(&v.value),
            };
            variants.push(Variant {
                ident,
                value: v.value.clone(),
                doc,
            });
        }
        let doc = format!(
            "{}\n\nValues the service may add later decode as `Unknown`, keeping the raw value.",
            description
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map_or_else(|| "A documented value set.".to_owned(), crate::doc::prose)
        );
        let def = EnumDef {
            name: name.clone(),
            doc,
            integer,
            variants,
            groups: Vec::new(),
        };
        self.add_enum(def, path);
        ValueType::Enum {
            name,
            integer,
            shared: false,
        }
    }

    fn add_enum(&mut self, def: EnumDef, path: &str) {
        if self.set.structs.iter().any(|s| s.name == def.name) {
            self.err(
                path,
                format!("'{}' names both a structure and an enum; set `enum:`", def.name),
            );
            return;
        }
        match self.set.enums.iter().find(|e| e.name == def.name) {
            None => self.set.enums.push(def),
            Some(existing) => {
                let same = existing.integer == def.integer
                    && existing.variants.len() == def.variants.len()
                    && existing
                        .variants
                        .iter()
                        .zip(&def.variants)
                        .all(|(a, b)| a.ident == b.ident && a.value == b.value);
                if !same {
                    self.err(
                        path,
                        format!(
                            "enum '{}' is defined twice with different values; give one of them another `enum:` name",
                            def.name
                        ),
                    );
                }
            }
        }
    }

    fn add_struct(&mut self, def: StructDef, path: &str) {
        if self.set.enums.iter().any(|e| e.name == def.name) {
            self.err(
                path,
                format!("'{}' names both a structure and an enum; set `struct:`", def.name),
            );
            return;
        }
        match self.set.structs.iter().find(|s| s.name == def.name) {
            None => self.set.structs.push(def),
            Some(existing) if same_shape(&existing.fields, &def.fields) => {}
            Some(_) => self.err(
                path,
                format!(
                    "two different structures are named '{}'; give one of them another `struct:` name",
                    def.name
                ),
            ),
        }
    }

    fn out_fields(&mut self, fields: &[Field], path: &str) -> Vec<OutField> {
        let mut out: Vec<OutField> = Vec::new();
        for f in fields {
            let fpath = format!("{path}.{}", f.name);
            let ty = self.out_type(f, &fpath);
            let mut ident = snake(&f.name);
            if out.iter().any(|o| o.ident == ident) {
                self.err(&fpath, format!("field '{}' becomes Rust field '{ident}' twice", f.name));
                ident.push('_');
            }
            out.push(OutField {
                json: f.name.clone(),
                ident,
                doc: field_doc(f),
                ty,
            });
        }
        out
    }

    fn out_type(&mut self, f: &Field, path: &str) -> OutType {
        let value = |cx: &mut Self, ty: ScalarType| {
            OutType::Value(cx.value_type(ty, &f.values, f.enum_name.as_deref(), &f.name, &f.description, path))
        };
        let structure = |cx: &mut Self, s: &Structure| -> OutType {
            let name = camel(&s.name);
            let fields = cx.out_fields(&s.fields, path);
            let doc = doc_of(f.description.as_deref(), &[]);
            cx.add_struct(
                StructDef {
                    name: name.clone(),
                    doc,
                    fields,
                },
                path,
            );
            OutType::Struct { name, shared: false }
        };
        match &f.ty {
            FieldType::Scalar(s) => value(self, *s),
            FieldType::Struct(s) => structure(self, s),
            FieldType::Json => OutType::Json,
            FieldType::List { item, wrapper } => {
                let item = match item {
                    ListItem::Scalar(s) => value(self, *s),
                    ListItem::Struct(s) => structure(self, s),
                    ListItem::Json => OutType::Json,
                };
                OutType::List {
                    item: Box::new(item),
                    wrapper: wrapper.clone(),
                }
            }
        }
    }
}

/// Two structures with the same fields and types are one structure, whatever their docs say.
fn same_shape(a: &[OutField], b: &[OutField]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.json == y.json && x.ident == y.ident && x.ty == y.ty)
}

fn doc_of(description: Option<&str>, extra: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = description.map(str::trim).filter(|d| !d.is_empty()) {
        parts.push(crate::doc::prose(d));
    }
    parts.extend(extra.iter().cloned());
    if parts.is_empty() {
        parts.push("Not described by the reference.".to_owned());
    }
    parts.join("\n\n")
}

fn param_doc(p: &Param) -> String {
    let mut extra = Vec::new();
    let code = crate::doc::code;
    let mut facts = vec![format!("Wire name: {}", code(&p.wire_name))];
    if p.required {
        facts.push("required".to_owned());
    }
    if let Some(e) = p.example.as_deref().filter(|e| !e.is_empty()) {
        facts.push(format!("example: {}", code(e)));
    }
    if let Some(d) = &p.default {
        facts.push(format!("default: {}", code(d)));
    }
    extra.push(format!("{}.", facts.join("; ")));
    doc_of(p.description.as_deref(), &extra)
}

fn field_doc(f: &Field) -> String {
    let code = crate::doc::code;
    let mut facts = vec![format!("JSON key: {}", code(&f.name))];
    if let Some(e) = f.example.as_deref().filter(|e| !e.is_empty()) {
        facts.push(format!("example: {}", code(e)));
    }
    doc_of(f.description.as_deref(), &[format!("{}.", facts.join("; "))])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(name: &str, mode_values: &str) -> (String, String) {
        let yaml = format!(
            "name: {name}\nsection: \"1.1\"\nsummary: s\nidempotent: true\nresponse:\n\
             - name: Item\n  type: Object\n  fields:\n\
             \x20   - name: Id\n      type: String\n\
             \x20   - name: Kind\n      type: String\n      values: [{{value: a}}, {{value: b}}]\n\
             - name: Other\n  type: Object\n  fields:\n\
             \x20   - name: Mode\n      type: String\n      values: [{mode_values}]\n\
             example_response: '{{}}'\n"
        );
        (format!("2018-01-29/actions/{name}.yaml"), yaml)
    }

    #[test]
    fn identical_structures_move_to_types_only_with_every_type_they_name() {
        let spec = crate::load::load_sources(&[
            action("ActionA", "{value: x}"),
            action("ActionB", "{value: x}, {value: y}"),
        ])
        .expect("valid spec");
        let model = lower(&spec).expect("no collision");
        let names = |set: &TypeSet| -> (Vec<String>, Vec<String>) {
            (
                set.structs.iter().map(|s| s.name.clone()).collect(),
                set.enums.iter().map(|e| e.name.clone()).collect(),
            )
        };
        // `Item` and its enum `Kind` are the same in both; `Other` names `Mode`, which differs, so it stays.
        assert_eq!(names(&model.shared), (vec!["Item".to_owned()], vec!["Kind".to_owned()]));
        for op in &model.operations {
            assert_eq!(op.shared_types, ["Item", "Kind"], "{}", op.action);
            assert_eq!(names(&op.types), (vec!["Other".to_owned()], vec!["Mode".to_owned()]));
            let item = op.output.fields.iter().find(|f| f.json == "Item").unwrap();
            assert_eq!(
                item.ty,
                OutType::Struct {
                    name: "Item".into(),
                    shared: true
                }
            );
        }
        let kind = &model.shared.structs[0].fields[1].ty;
        assert!(
            matches!(kind, OutType::Value(ValueType::Enum { shared: true, .. })),
            "{kind:?}"
        );
    }
}
