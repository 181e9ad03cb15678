//! Lowers the validated spec to a Rust-facing model: every type, field, variant, method, feature and module
//! named (by `naming`, once), every collision reported as a spec error naming both sources.
//!
//! The emitter only ever sees this model, never the raw spec; `cargo xtask model dump` prints it as JSON.

mod check;
mod docs;
mod hoist;
mod lower;
mod types;

use check::{check_modules, code_variants, Namespace};
use hoist::hoist_common_types;
use lower::lower_action;
use types::TypeCx;

use serde::Serialize;

use crate::diagnostics::Diagnostics;
use crate::naming::{self, OperationNames};
use crate::spec::{EnumValue, Spec};
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
    /// What it is: final Markdown, English first.
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
    /// One sentence: what the action does, in English (final Markdown).
    #[serde(skip)]
    pub summary: String,
    /// The rest of its docs (final Markdown): the English description, then the reference's Chinese wording of
    /// the summary and the description.
    #[serde(skip)]
    pub description: Option<String>,
    /// The action's public pages (`pages.yaml`).
    pub links: Vec<Link>,
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

/// A public page of an action.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// What the page is.
    pub title: String,
    /// Its URL.
    pub url: String,
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
        let text = docs::Text::new(
            Some("实名认证证件类型（附录 §6.3）。"),
            Some("The identity credentials accepted for real-name verification (appendix §6.3 of the reference)."),
        );
        let values: Vec<EnumValue> = e.values.iter().map(EnumValue::ungrouped).collect();
        if let ValueType::Enum { name, .. } = cx.value_type(ScalarType::String, &values, None, &e.name, text, "values")
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
                .map(|e| (e.code.as_str(), docs::global_error_doc(e))),
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
    for name in naming::TYPES_ITEMS {
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
            description: docs::Text::new(Some(&d.description), d.description_en.as_deref())
                .paragraphs()
                .join("\n\n"),
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
