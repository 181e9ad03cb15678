//! What a spec change did to the generated public API: two revisions' surfaces compared name by name, each change
//! classified additive or breaking for Rust users by a named rule (`cargo xtask spec changes`).
//!
//! The model names the whole generated public surface (modules, features, types, fields, setters, variants, error
//! codes, and the type of each), and its serde form is the committed snapshot (`codegen/model.json`). A
//! [`Surface`] is read from either: [`Surface::of`] a model lowered today, [`Surface::from_snapshot`] the snapshot a
//! past revision committed (what that revision's generator made of its spec, so a generator change shows as well as
//! a spec change). [`changes`] compares two surfaces as a pure function.
//!
//! Not seen, because the model does not hold it: the hand-written runtime, the shape the emitter gives every
//! builder and trait, and wire behaviour (HTTP methods, retries, idempotency). Those need a review of their own.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use crate::model::{Model, ScalarType};

/// Whether a change can break a program that compiled and worked before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every program that compiled and worked still does.
    Additive,
    /// Some program that compiled (or worked) no longer does.
    Breaking,
}

impl Verdict {
    /// `additive` or `breaking`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Additive => "additive",
            Verdict::Breaking => "breaking",
        }
    }
}

/// The verdict of a whole list of changes: the worst of them, `None` when there is no change.
pub fn verdict(changes: &[Change]) -> Option<Verdict> {
    changes.iter().map(|c| c.verdict).max()
}

/// The version bump a verdict asks for while the crates are 0.x (`verdict: …` line of the report).
pub fn bump(verdict: Option<Verdict>) -> &'static str {
    match verdict {
        Some(Verdict::Breaking) => "breaking (minor bump while 0.x)",
        Some(Verdict::Additive) => "additive (patch)",
        None => "none",
    }
}

/// What kind of public item changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// An action: its module, `Client` method and Cargo feature.
    Action,
    /// A request parameter: a builder's setter (with `set_`/`get_`) and the input's field, or a field of a list
    /// parameter's element structure with its setter.
    Parameter,
    /// A field of an output structure.
    Field,
    /// A structure or enum (input, output, builder, element, nested, shared, error-code enum).
    Type,
    /// A variant of a value-set enum.
    Variant,
    /// A variant of an error-code enum.
    ErrorCode,
    /// A method beside the setters: `into_paginator`, a `…_json` setter.
    Method,
    /// A `ClientBuilder::default_…` method.
    ClientDefault,
    /// A region of `Region::ALL`, or `Region::DEFAULT_ID`.
    Region,
}

impl Place {
    /// The word the report prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Action => "action",
            Place::Parameter => "parameter",
            Place::Field => "field",
            Place::Type => "type",
            Place::Variant => "variant",
            Place::ErrorCode => "error code",
            Place::Method => "method",
            Place::ClientDefault => "client default",
            Place::Region => "region",
        }
    }
}

/// What happened to the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// New in the newer revision.
    Added,
    /// Gone from the newer revision.
    Removed,
    /// The same thing on the wire (wire name, JSON key, value, code; a type of the same shape) under another Rust
    /// name: `from` and `to` are the names.
    Renamed,
    /// Another Rust type: `from` and `to` are the types.
    Retyped,
    /// A value-set enum that became `bool`.
    BecameBool,
    /// A parameter that became required.
    BecameRequired,
    /// A parameter that is no longer required.
    BecameOptional,
    /// `#[deprecated]` added.
    Deprecated,
    /// `#[deprecated]` removed.
    Undeprecated,
    /// Another value (a region's host, the default region): `from` and `to` are the values.
    Changed,
}

impl Kind {
    /// The words the report prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Renamed => "renamed",
            Kind::Retyped => "retyped",
            Kind::BecameBool => "became bool",
            Kind::BecameRequired => "required now",
            Kind::BecameOptional => "optional now",
            Kind::Deprecated => "deprecated",
            Kind::Undeprecated => "undeprecated",
            Kind::Changed => "changed",
        }
    }
}

/// The rule that decides a change's verdict. When in doubt a rule says breaking: a needless minor bump costs less
/// than a user's broken build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A new action.
    NewAction,
    /// A new optional parameter.
    NewOptionalParameter,
    /// A new required parameter.
    NewRequiredParameter,
    /// A parameter that became required.
    RequiredNow,
    /// A parameter that is no longer required.
    OptionalNow,
    /// A new field of an output structure.
    NewField,
    /// A new variant of an enum.
    NewVariant,
    /// A new type.
    NewType,
    /// A new method on an existing type.
    NewMethod,
    /// A new region.
    NewRegion,
    /// `#[deprecated]` added or removed.
    Deprecation,
    /// Something removed.
    Removed,
    /// Something renamed.
    Renamed,
    /// Something of another type.
    Retyped,
    /// A value set that became `bool`.
    BecameBool,
    /// A region's host, or the default region, changed.
    Moved,
}

impl Rule {
    /// Every rule, in the order the report's legend lists them.
    pub const ALL: &'static [Rule] = &[
        Rule::NewAction,
        Rule::NewOptionalParameter,
        Rule::NewField,
        Rule::NewVariant,
        Rule::NewType,
        Rule::NewMethod,
        Rule::NewRegion,
        Rule::OptionalNow,
        Rule::Deprecation,
        Rule::Removed,
        Rule::Renamed,
        Rule::Retyped,
        Rule::BecameBool,
        Rule::NewRequiredParameter,
        Rule::RequiredNow,
        Rule::Moved,
    ];

    /// The verdict the rule gives.
    pub fn verdict(self) -> Verdict {
        match self {
            Rule::NewAction
            | Rule::NewOptionalParameter
            | Rule::OptionalNow
            | Rule::NewField
            | Rule::NewVariant
            | Rule::NewType
            | Rule::NewMethod
            | Rule::NewRegion
            | Rule::Deprecation => Verdict::Additive,
            Rule::NewRequiredParameter
            | Rule::RequiredNow
            | Rule::Removed
            | Rule::Renamed
            | Rule::Retyped
            | Rule::BecameBool
            | Rule::Moved => Verdict::Breaking,
        }
    }

    /// The rule's name in the report and in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Rule::NewAction => "new_action",
            Rule::NewOptionalParameter => "new_optional_parameter",
            Rule::NewRequiredParameter => "new_required_parameter",
            Rule::RequiredNow => "required_now",
            Rule::OptionalNow => "optional_now",
            Rule::NewField => "new_field",
            Rule::NewVariant => "new_variant",
            Rule::NewType => "new_type",
            Rule::NewMethod => "new_method",
            Rule::NewRegion => "new_region",
            Rule::Deprecation => "deprecation",
            Rule::Removed => "removed",
            Rule::Renamed => "renamed",
            Rule::Retyped => "retyped",
            Rule::BecameBool => "became_bool",
            Rule::Moved => "moved",
        }
    }

    /// Why the rule gives its verdict.
    pub fn reason(self) -> &'static str {
        match self {
            Rule::NewAction => "a new action is a new module, Client method and Cargo feature; nothing that compiled before changes",
            Rule::NewOptionalParameter => "a new optional parameter is a new setter and a new field of a #[non_exhaustive] input; calls without it send what they sent before",
            Rule::NewRequiredParameter => "a new required parameter compiles, but every call without it now fails before sending (Error::InvalidRequest): no compiler sees it, users do",
            Rule::RequiredNow => "a parameter that became required compiles, but every call without it now fails before sending (Error::InvalidRequest)",
            Rule::OptionalNow => "a parameter no longer required: every call that worked still works",
            Rule::NewField => "a new field of a #[non_exhaustive] structure: no user code builds it with a literal or destructures it exhaustively",
            Rule::NewVariant => "a new variant of a #[non_exhaustive] enum: every match already has a wildcard arm, and as_str() reads the value as it read it from Unknown/Unhandled",
            Rule::NewType => "a new type is a new name; nothing that compiled refers to it",
            Rule::NewMethod => "a new method (paginator, JSON setter, client default) on an existing type adds a name and changes none",
            Rule::NewRegion => "a new region in Region::ALL (or a default region where the spec named none); every region resolves as before",
            Rule::Deprecation => "#[deprecated] added or removed is a warning at most (an error only where a build denies warnings)",
            Rule::Removed => "a removed item breaks every use of its name",
            Rule::Renamed => "a renamed item is a removal for code that uses the old name",
            Rule::Retyped => "a changed type breaks code that passes or reads a value of the old type",
            Rule::BecameBool => "a value set that became bool: the enum's name, matches on its variants and impl Into<Enum> arguments no longer compile",
            Rule::Moved => "a region's host or the default region changed: calls that compiled reach another host",
        }
    }
}

/// One change to the public API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Where the report lists it: the action's name, `types` (the shared `types` module) or `client`
    /// (`ClientBuilder`, `Region`).
    pub scope: String,
    /// What kind of item.
    pub place: Place,
    /// The item's path inside the crate (`operation::check_domain::CheckDomainOutput::premium`); for a removed or
    /// renamed item its old path.
    pub item: String,
    /// What happened to it.
    pub kind: Kind,
    /// Before: the old type, name or value (`None` for an addition).
    pub from: Option<String>,
    /// After: the new type, name or value (`None` for a removal).
    pub to: Option<String>,
    /// The rule that decided the verdict.
    pub rule: Rule,
    /// Additive or breaking.
    pub verdict: Verdict,
}

/// The public API of one revision: the part of the model's serde form that becomes Rust names and types. Unknown
/// keys are ignored and keys older snapshots lack take their default, so every committed snapshot reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Surface {
    operations: Vec<Op>,
    #[serde(default)]
    shared: Types,
    global_error_codes: Codes,
    #[serde(default)]
    client_defaults: Vec<ClientDefault>,
    #[serde(default)]
    endpoints: Vec<Endpoint>,
    #[serde(default)]
    default_region: Option<String>,
}

impl Surface {
    /// The surface of a model lowered now.
    pub fn of(model: &Model) -> Surface {
        let value = serde_json::to_value(model).expect("the model serializes");
        serde_json::from_value(value).expect("the model's serde form is a surface")
    }

    /// The surface a model snapshot (`codegen::model_json`, committed as `codegen/model.json`) records.
    pub fn from_snapshot(json: &str) -> Result<Surface, String> {
        serde_json::from_str(json).map_err(|e| format!("not a model snapshot: {e}"))
    }

    /// How many actions it has.
    pub fn actions(&self) -> usize {
        self.operations.len()
    }
}

#[derive(Debug, Clone, Deserialize)]
struct Op {
    action: String,
    #[serde(default)]
    deprecated: bool,
    names: Names,
    input: Vec<Param>,
    #[serde(default)]
    input_structs: Vec<Element>,
    output: Struct,
    #[serde(default)]
    types: Types,
    paging: Option<IgnoredAny>,
    error_codes: Codes,
    #[serde(default)]
    shared_types: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Names {
    module: String,
    feature: String,
    input: String,
    output: String,
    builder: String,
    error_code: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Param {
    wire: String,
    ident: String,
    #[serde(default)]
    json_setter: Option<String>,
    required: bool,
    kind: InKind,
    #[serde(default)]
    deprecated: bool,
}

#[derive(Debug, Clone, Deserialize)]
enum InKind {
    Scalar(ValueTy),
    List(ValueTy),
    StructList(String),
}

#[derive(Debug, Clone, Deserialize)]
enum ValueTy {
    Scalar(ScalarType),
    Enum { name: String },
}

#[derive(Debug, Clone, Deserialize)]
struct Element {
    name: String,
    fields: Vec<Param>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct Types {
    structs: Vec<Struct>,
    enums: Vec<Enum>,
}

#[derive(Debug, Clone, Deserialize)]
struct Struct {
    name: String,
    fields: Vec<Field>,
}

#[derive(Debug, Clone, Deserialize)]
struct Field {
    json: String,
    ident: String,
    ty: OutTy,
}

#[derive(Debug, Clone, Deserialize)]
enum OutTy {
    Value(ValueTy),
    Struct { name: String },
    List { item: Box<OutTy> },
    Json,
}

#[derive(Debug, Clone, Deserialize)]
struct Enum {
    name: String,
    variants: Vec<Variant>,
}

#[derive(Debug, Clone, Deserialize)]
struct Variant {
    ident: String,
    value: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Codes {
    name: String,
    variants: Vec<CodeVariant>,
}

#[derive(Debug, Clone, Deserialize)]
struct CodeVariant {
    ident: String,
    code: String,
}

#[derive(Debug, Clone, Deserialize)]
struct ClientDefault {
    wire: String,
    method: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Endpoint {
    region: String,
    host: String,
}

/// Old type names that are new names of the same type (a renamed enum or structure), by module.
type Renames = BTreeMap<String, String>;

fn scalar(s: ScalarType) -> &'static str {
    match s {
        ScalarType::String => "String",
        ScalarType::Integer => "i32",
        ScalarType::Long => "i64",
        ScalarType::Boolean => "bool",
        ScalarType::Float => "f64",
    }
}

fn renamed<'a>(name: &'a str, renames: &'a Renames) -> &'a str {
    renames.get(name).map_or(name, String::as_str)
}

impl ValueTy {
    fn rust(&self, renames: &Renames) -> String {
        match self {
            ValueTy::Scalar(s) => scalar(*s).to_owned(),
            ValueTy::Enum { name } => renamed(name, renames).to_owned(),
        }
    }
}

impl InKind {
    fn rust(&self, renames: &Renames) -> String {
        match self {
            InKind::Scalar(v) => v.rust(renames),
            InKind::List(v) => format!("Vec<{}>", v.rust(renames)),
            InKind::StructList(s) => format!("Vec<{}>", renamed(s, renames)),
        }
    }

    /// The value inside, and how many lists deep.
    fn leaf(&self) -> Option<(&ValueTy, usize)> {
        match self {
            InKind::Scalar(v) => Some((v, 0)),
            InKind::List(v) => Some((v, 1)),
            InKind::StructList(_) => None,
        }
    }
}

impl OutTy {
    fn rust(&self, renames: &Renames) -> String {
        match self {
            OutTy::Value(v) => v.rust(renames),
            OutTy::Struct { name } => renamed(name, renames).to_owned(),
            OutTy::List { item } => format!("Vec<{}>", item.rust(renames)),
            OutTy::Json => "serde_json::Value".to_owned(),
        }
    }

    fn leaf(&self) -> Option<(&ValueTy, usize)> {
        match self {
            OutTy::Value(v) => Some((v, 0)),
            OutTy::List { item } => item.leaf().map(|(v, depth)| (v, depth + 1)),
            OutTy::Struct { .. } | OutTy::Json => None,
        }
    }
}

/// Whether a type change is an enum becoming `bool` at the same depth of lists.
fn became_bool(old: Option<(&ValueTy, usize)>, new: Option<(&ValueTy, usize)>) -> bool {
    matches!(
        (old, new),
        (Some((ValueTy::Enum { .. }, a)), Some((ValueTy::Scalar(ScalarType::Boolean), b))) if a == b
    )
}

/// A type visible in a module, by what the comparison needs of it.
#[derive(Clone, Copy)]
enum Def<'a> {
    /// An output or nested structure.
    Struct(&'a Struct),
    /// A value-set enum.
    Enum(&'a Enum),
    /// An action's input: its fields are the parameters, compared with the action.
    Input,
    /// An action's fluent builder: its setters are the parameters, compared with the action.
    Builder,
    /// The element structure of a list parameter.
    Element(&'a Element),
    /// An error-code enum.
    Codes(&'a Codes),
}

impl Def<'_> {
    /// What a type must keep for a rename to be recognized: the same kind, with the same wire names.
    fn signature(&self) -> String {
        match self {
            Def::Struct(s) => {
                let mut keys: Vec<&str> = s.fields.iter().map(|f| f.json.as_str()).collect();
                keys.sort_unstable();
                format!("struct {}", keys.join(","))
            }
            Def::Enum(e) => {
                let mut values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
                values.sort_unstable();
                format!("enum {}", values.join(","))
            }
            Def::Input => "input".to_owned(),
            Def::Builder => "builder".to_owned(),
            Def::Element(s) => {
                let mut wires: Vec<&str> = s.fields.iter().map(|f| f.wire.as_str()).collect();
                wires.sort_unstable();
                format!("element {}", wires.join(","))
            }
            Def::Codes(c) => {
                let mut codes: Vec<&str> = c.variants.iter().map(|v| v.code.as_str()).collect();
                codes.sort_unstable();
                format!("codes {}", codes.join(","))
            }
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Def::Struct(_) | Def::Input | Def::Builder | Def::Element(_) => "struct",
            Def::Enum(_) | Def::Codes(_) => "enum",
        }
    }
}

/// The types a module makes visible, with whether each is defined in `types` (and only re-exported here).
type Namespace<'a> = BTreeMap<&'a str, (Def<'a>, bool)>;

fn shared_namespace(s: &Surface) -> Namespace<'_> {
    let mut ns = Namespace::new();
    for t in &s.shared.structs {
        ns.insert(t.name.as_str(), (Def::Struct(t), true));
    }
    for e in &s.shared.enums {
        ns.insert(e.name.as_str(), (Def::Enum(e), true));
    }
    ns.insert(
        s.global_error_codes.name.as_str(),
        (Def::Codes(&s.global_error_codes), true),
    );
    ns
}

fn op_namespace<'a>(op: &'a Op, shared: &'a Types) -> Namespace<'a> {
    let mut ns = Namespace::new();
    ns.insert(op.names.input.as_str(), (Def::Input, false));
    ns.insert(op.names.builder.as_str(), (Def::Builder, false));
    ns.insert(op.names.output.as_str(), (Def::Struct(&op.output), false));
    ns.insert(op.names.error_code.as_str(), (Def::Codes(&op.error_codes), false));
    for t in &op.types.structs {
        ns.insert(t.name.as_str(), (Def::Struct(t), false));
    }
    for e in &op.types.enums {
        ns.insert(e.name.as_str(), (Def::Enum(e), false));
    }
    for s in &op.input_structs {
        ns.insert(s.name.as_str(), (Def::Element(s), false));
    }
    for name in &op.shared_types {
        if let Some(t) = shared.structs.iter().find(|t| &t.name == name) {
            ns.insert(t.name.as_str(), (Def::Struct(t), true));
        } else if let Some(e) = shared.enums.iter().find(|e| &e.name == name) {
            ns.insert(e.name.as_str(), (Def::Enum(e), true));
        }
    }
    ns
}

/// Collects the changes of one comparison, each in the scope being compared.
struct Out {
    scope: String,
    changes: Vec<Change>,
}

impl Out {
    /// Records a change; its `from` and `to` follow with [`Change::was`] and [`Change::now`].
    fn add(&mut self, place: Place, item: String, kind: Kind, rule: Rule) -> &mut Change {
        self.changes.push(Change {
            scope: self.scope.clone(),
            place,
            item,
            kind,
            from: None,
            to: None,
            rule,
            verdict: rule.verdict(),
        });
        self.changes.last_mut().expect("just pushed")
    }

    /// Records `#[deprecated]` added or removed.
    fn deprecation(&mut self, place: Place, item: String, now: bool) {
        let kind = if now { Kind::Deprecated } else { Kind::Undeprecated };
        self.add(place, item, kind, Rule::Deprecation);
    }
}

impl Change {
    fn was(&mut self, from: impl Into<String>) -> &mut Change {
        self.from = Some(from.into());
        self
    }

    fn now(&mut self, to: impl Into<String>) -> &mut Change {
        self.to = Some(to.into());
        self
    }
}

/// `Client::check_domain, feature check_domain`: what an action adds to the client and the manifest.
fn entry_points(names: &Names) -> String {
    format!("Client::{}, feature {}", names.module, names.feature)
}

/// Every change from `old` to `new`, by action (in name order), then the shared `types` module, then the client.
pub fn changes(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut out = Out {
        scope: String::new(),
        changes: Vec::new(),
    };
    let old_ops: BTreeMap<&str, &Op> = old.operations.iter().map(|o| (o.action.as_str(), o)).collect();
    let new_ops: BTreeMap<&str, &Op> = new.operations.iter().map(|o| (o.action.as_str(), o)).collect();
    let actions: BTreeSet<&str> = old_ops.keys().chain(new_ops.keys()).copied().collect();
    for action in actions {
        out.scope = action.to_owned();
        match (old_ops.get(action), new_ops.get(action)) {
            (Some(o), None) => {
                let item = format!("operation::{}", o.names.module);
                out.add(Place::Action, item, Kind::Removed, Rule::Removed)
                    .was(entry_points(&o.names));
            }
            (None, Some(n)) => {
                let item = format!("operation::{}", n.names.module);
                out.add(Place::Action, item, Kind::Added, Rule::NewAction)
                    .now(entry_points(&n.names));
            }
            (Some(o), Some(n)) => compare_op(o, n, old, new, &mut out),
            (None, None) => {}
        }
    }
    out.scope = "types".to_owned();
    let (old_types, new_types) = (shared_namespace(old), shared_namespace(new));
    compare_namespace("types", &old_types, &new_types, false, &mut out);
    out.scope = "client".to_owned();
    compare_client(old, new, &mut out);
    out.changes
}

fn compare_op(o: &Op, n: &Op, old: &Surface, new: &Surface, out: &mut Out) {
    let module = format!("operation::{}", n.names.module);
    if o.names.module != n.names.module || o.names.feature != n.names.feature {
        let item = format!("operation::{}", o.names.module);
        out.add(Place::Action, item, Kind::Renamed, Rule::Renamed)
            .was(entry_points(&o.names))
            .now(entry_points(&n.names));
    }
    if o.deprecated != n.deprecated {
        out.deprecation(Place::Action, module.clone(), n.deprecated);
    }
    // The types first, for their renames; they are listed after the parameters.
    let (old_ns, new_ns) = (op_namespace(o, &old.shared), op_namespace(n, &new.shared));
    let mut types = Out {
        scope: out.scope.clone(),
        changes: Vec::new(),
    };
    let renames = compare_namespace(&module, &old_ns, &new_ns, true, &mut types);
    let builder = format!("{module}::{}", n.names.builder);
    compare_params(&builder, &o.input, &n.input, &renames, out);
    match (o.paging.is_some(), n.paging.is_some()) {
        (false, true) => {
            out.add(
                Place::Method,
                format!("{builder}::into_paginator"),
                Kind::Added,
                Rule::NewMethod,
            );
        }
        (true, false) => {
            let item = format!("{module}::{}::into_paginator", o.names.builder);
            out.add(Place::Method, item, Kind::Removed, Rule::Removed);
        }
        _ => {}
    }
    out.changes.append(&mut types.changes);
}

/// Compares the types two revisions make visible in one module: the contents of those in both, then the removed,
/// the renamed (a removed and an added type of one unique signature) and the added. `skip_shared`: a type defined
/// in `types` on both sides is compared in the `types` pass only. Returns the renames (old name → new name).
fn compare_namespace(
    module: &str,
    old: &Namespace<'_>,
    new: &Namespace<'_>,
    skip_shared: bool,
    out: &mut Out,
) -> Renames {
    let removed: Vec<&str> = old.keys().filter(|k| !new.contains_key(*k)).copied().collect();
    let added: Vec<&str> = new.keys().filter(|k| !old.contains_key(*k)).copied().collect();
    let signatures = |names: &[&str], ns: &Namespace<'_>| -> BTreeMap<String, Vec<String>> {
        let mut by: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for name in names {
            by.entry(ns[name].0.signature()).or_default().push((*name).to_owned());
        }
        by
    };
    let (gone, came) = (signatures(&removed, old), signatures(&added, new));
    let mut renames = Renames::new();
    for (signature, from) in &gone {
        if let (Some([to]), [from]) = (came.get(signature).map(Vec::as_slice), from.as_slice()) {
            renames.insert(from.clone(), to.clone());
        }
    }
    let mut both: Vec<(&str, &str)> = old.keys().filter(|k| new.contains_key(*k)).map(|k| (*k, *k)).collect();
    both.extend(renames.iter().map(|(from, to)| (from.as_str(), to.as_str())));
    both.sort_unstable();
    for (from, to) in both {
        let ((o, o_shared), (n, n_shared)) = (old[from], new[to]);
        if !(skip_shared && o_shared && n_shared) {
            compare_def(&format!("{module}::{to}"), o, n, &renames, out);
        }
    }
    for name in &removed {
        let item = format!("{module}::{name}");
        match renames.get(*name) {
            Some(to) => out
                .add(Place::Type, item, Kind::Renamed, Rule::Renamed)
                .was(*name)
                .now(to),
            None => out
                .add(Place::Type, item, Kind::Removed, Rule::Removed)
                .was(old[name].0.kind()),
        };
    }
    let renamed_to: BTreeSet<&str> = renames.values().map(String::as_str).collect();
    for name in added.iter().filter(|n| !renamed_to.contains(*n)) {
        let item = format!("{module}::{name}");
        out.add(Place::Type, item, Kind::Added, Rule::NewType)
            .now(new[name].0.kind());
    }
    renames
}

fn compare_def(path: &str, o: Def<'_>, n: Def<'_>, renames: &Renames, out: &mut Out) {
    match (o, n) {
        (Def::Struct(o), Def::Struct(n)) => compare_fields(path, &o.fields, &n.fields, renames, out),
        (Def::Enum(o), Def::Enum(n)) => compare_variants(path, Place::Variant, &o.variants, &n.variants, out),
        (Def::Codes(o), Def::Codes(n)) => {
            compare_variants(path, Place::ErrorCode, &code_variants(o), &code_variants(n), out)
        }
        (Def::Element(o), Def::Element(n)) => compare_params(path, &o.fields, &n.fields, renames, out),
        (Def::Input, Def::Input) | (Def::Builder, Def::Builder) => {}
        (o, n) => {
            out.add(Place::Type, path.to_owned(), Kind::Retyped, Rule::Retyped)
                .was(o.kind())
                .now(n.kind());
        }
    }
}

fn code_variants(c: &Codes) -> Vec<Variant> {
    c.variants
        .iter()
        .map(|v| Variant {
            ident: v.ident.clone(),
            value: v.code.clone(),
        })
        .collect()
}

/// The kind and rule of a type change: an enum that became `bool`, or any other.
fn retyped(became: bool) -> (Kind, Rule) {
    if became {
        (Kind::BecameBool, Rule::BecameBool)
    } else {
        (Kind::Retyped, Rule::Retyped)
    }
}

/// The fields of an output or nested structure, matched by JSON key.
fn compare_fields(path: &str, old: &[Field], new: &[Field], renames: &Renames, out: &mut Out) {
    let plain = Renames::new();
    for o in old {
        let Some(n) = new.iter().find(|n| n.json == o.json) else {
            let item = format!("{path}::{}", o.ident);
            out.add(Place::Field, item, Kind::Removed, Rule::Removed)
                .was(o.ty.rust(&plain));
            continue;
        };
        if o.ident != n.ident {
            let item = format!("{path}::{}", o.ident);
            out.add(Place::Field, item, Kind::Renamed, Rule::Renamed)
                .was(&o.ident)
                .now(&n.ident);
        }
        if o.ty.rust(renames) != n.ty.rust(&plain) {
            let (kind, rule) = retyped(became_bool(o.ty.leaf(), n.ty.leaf()));
            let item = format!("{path}::{}", n.ident);
            out.add(Place::Field, item, kind, rule)
                .was(o.ty.rust(&plain))
                .now(n.ty.rust(&plain));
        }
    }
    for n in new.iter().filter(|n| !old.iter().any(|o| o.json == n.json)) {
        let item = format!("{path}::{}", n.ident);
        out.add(Place::Field, item, Kind::Added, Rule::NewField)
            .now(n.ty.rust(&plain));
    }
}

/// The variants of a value-set or error-code enum, matched by wire value or code.
fn compare_variants(path: &str, place: Place, old: &[Variant], new: &[Variant], out: &mut Out) {
    for o in old {
        let item = format!("{path}::{}", o.ident);
        match new.iter().find(|n| n.value == o.value) {
            None => {
                out.add(place, item, Kind::Removed, Rule::Removed).was(&o.value);
            }
            Some(n) if n.ident != o.ident => {
                out.add(place, item, Kind::Renamed, Rule::Renamed)
                    .was(&o.ident)
                    .now(&n.ident);
            }
            Some(_) => {}
        }
    }
    for n in new.iter().filter(|n| !old.iter().any(|o| o.value == n.value)) {
        let item = format!("{path}::{}", n.ident);
        out.add(place, item, Kind::Added, Rule::NewVariant).now(&n.value);
    }
}

/// Parameters of an action (`owner` is its builder) or fields of an element structure (`owner` is the structure),
/// matched by wire name.
fn compare_params(owner: &str, old: &[Param], new: &[Param], renames: &Renames, out: &mut Out) {
    let plain = Renames::new();
    for o in old {
        let Some(n) = new.iter().find(|n| n.wire == o.wire) else {
            let item = format!("{owner}::{}", o.ident);
            out.add(Place::Parameter, item, Kind::Removed, Rule::Removed)
                .was(o.kind.rust(&plain));
            if let Some(json) = &o.json_setter {
                out.add(Place::Method, format!("{owner}::{json}"), Kind::Removed, Rule::Removed);
            }
            continue;
        };
        if o.ident != n.ident {
            let item = format!("{owner}::{}", o.ident);
            out.add(Place::Parameter, item, Kind::Renamed, Rule::Renamed)
                .was(&o.ident)
                .now(&n.ident);
        }
        let here = format!("{owner}::{}", n.ident);
        if o.kind.rust(renames) != n.kind.rust(&plain) {
            let (kind, rule) = retyped(became_bool(o.kind.leaf(), n.kind.leaf()));
            out.add(Place::Parameter, here.clone(), kind, rule)
                .was(o.kind.rust(&plain))
                .now(n.kind.rust(&plain));
        }
        match (o.required, n.required) {
            (false, true) => {
                out.add(Place::Parameter, here.clone(), Kind::BecameRequired, Rule::RequiredNow);
            }
            (true, false) => {
                out.add(Place::Parameter, here.clone(), Kind::BecameOptional, Rule::OptionalNow);
            }
            _ => {}
        }
        if o.deprecated != n.deprecated {
            out.deprecation(Place::Parameter, here.clone(), n.deprecated);
        }
        match (&o.json_setter, &n.json_setter) {
            (None, Some(json)) => {
                out.add(Place::Method, format!("{owner}::{json}"), Kind::Added, Rule::NewMethod);
            }
            (Some(json), None) => {
                out.add(Place::Method, format!("{owner}::{json}"), Kind::Removed, Rule::Removed);
            }
            (Some(a), Some(b)) if a != b => {
                out.add(Place::Method, format!("{owner}::{a}"), Kind::Renamed, Rule::Renamed)
                    .was(a)
                    .now(b);
            }
            _ => {}
        }
    }
    for n in new.iter().filter(|n| !old.iter().any(|o| o.wire == n.wire)) {
        let rule = if n.required {
            Rule::NewRequiredParameter
        } else {
            Rule::NewOptionalParameter
        };
        let item = format!("{owner}::{}", n.ident);
        out.add(Place::Parameter, item, Kind::Added, rule)
            .now(n.kind.rust(&plain));
        if let Some(json) = &n.json_setter {
            out.add(Place::Method, format!("{owner}::{json}"), Kind::Added, Rule::NewMethod);
        }
    }
}

/// `ClientBuilder::default_…` methods (by wire name) and regions (by id), and the default region.
fn compare_client(old: &Surface, new: &Surface, out: &mut Out) {
    for o in &old.client_defaults {
        let item = format!("ClientBuilder::{}", o.method);
        match new.client_defaults.iter().find(|n| n.wire == o.wire) {
            None => {
                out.add(Place::ClientDefault, item, Kind::Removed, Rule::Removed);
            }
            Some(n) if n.method != o.method => {
                out.add(Place::ClientDefault, item, Kind::Renamed, Rule::Renamed)
                    .was(&o.method)
                    .now(&n.method);
            }
            Some(_) => {}
        }
    }
    for n in new
        .client_defaults
        .iter()
        .filter(|n| !old.client_defaults.iter().any(|o| o.wire == n.wire))
    {
        out.add(
            Place::ClientDefault,
            format!("ClientBuilder::{}", n.method),
            Kind::Added,
            Rule::NewMethod,
        );
    }
    for o in &old.endpoints {
        let item = format!("Region::ALL {}", o.region);
        match new.endpoints.iter().find(|n| n.region == o.region) {
            None => {
                out.add(Place::Region, item, Kind::Removed, Rule::Removed).was(&o.host);
            }
            Some(n) if n.host != o.host => {
                out.add(Place::Region, item, Kind::Changed, Rule::Moved)
                    .was(&o.host)
                    .now(&n.host);
            }
            Some(_) => {}
        }
    }
    for n in new
        .endpoints
        .iter()
        .filter(|n| !old.endpoints.iter().any(|o| o.region == n.region))
    {
        let item = format!("Region::ALL {}", n.region);
        out.add(Place::Region, item, Kind::Added, Rule::NewRegion).now(&n.host);
    }
    let item = || "Region::DEFAULT_ID".to_owned();
    match (&old.default_region, &new.default_region) {
        // A default where the spec named none (and `Region::ALL` was empty): nothing resolved before.
        (None, Some(n)) => {
            out.add(Place::Region, item(), Kind::Added, Rule::NewRegion).now(n);
        }
        (Some(o), None) => {
            out.add(Place::Region, item(), Kind::Removed, Rule::Removed).was(o);
        }
        (Some(o), Some(n)) if o != n => {
            out.add(Place::Region, item(), Kind::Changed, Rule::Moved).was(o).now(n);
        }
        _ => {}
    }
}

/// The changes between two named revisions, for people ([`Report::render`]) or tools (`Serialize`).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The older revision, as the caller names it.
    pub from: String,
    /// The newer revision.
    pub to: String,
    /// `breaking`, `additive` or `none`.
    pub verdict: &'static str,
    /// The version bump the verdict asks for while the crates are 0.x.
    pub bump: &'static str,
    /// Every change.
    pub changes: Vec<Change>,
    /// The rules the changes use: id → why.
    pub rules: BTreeMap<&'static str, &'static str>,
}

impl Report {
    /// The report of `changes` from `from` to `to`.
    pub fn new(from: impl Into<String>, to: impl Into<String>, changes: Vec<Change>) -> Report {
        let v = verdict(&changes);
        let rules = changes.iter().map(|c| (c.rule.id(), c.rule.reason())).collect();
        Report {
            from: from.into(),
            to: to.into(),
            verdict: v.map_or("none", Verdict::as_str),
            bump: bump(v),
            changes,
            rules,
        }
    }

    /// Grouped by action (then `types`, then `client`), one line per change, the rules used, the counts, and a
    /// last line `verdict: …`.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "changes to the generated public API\n  from {}\n  to   {}",
            self.from, self.to
        );
        let mut scope = None;
        for c in &self.changes {
            if scope != Some(&c.scope) {
                let _ = writeln!(s, "\n{}", c.scope);
                scope = Some(&c.scope);
            }
            let what = match (&c.from, &c.to) {
                (Some(f), Some(t)) => format!(": {f} -> {t}"),
                (None, Some(t)) => format!(": {t}"),
                (Some(f), None) => format!(" (was {f})"),
                (None, None) => String::new(),
            };
            let _ = writeln!(
                s,
                "  {:<8}  {:<12}  {:<14}  {}{what}  [{}]",
                c.verdict.as_str(),
                c.kind.as_str(),
                c.place.as_str(),
                c.item,
                c.rule.id()
            );
        }
        if !self.changes.is_empty() {
            let _ = writeln!(s, "\nrules:");
            for rule in Rule::ALL.iter().filter(|r| self.rules.contains_key(r.id())) {
                let _ = writeln!(
                    s,
                    "  {:<22}  {:<8}  {}",
                    rule.id(),
                    rule.verdict().as_str(),
                    rule.reason()
                );
            }
        }
        let breaking = self.changes.iter().filter(|c| c.verdict == Verdict::Breaking).count();
        let _ = writeln!(
            s,
            "\n{} change(s): {breaking} breaking, {} additive",
            self.changes.len(),
            self.changes.len() - breaking
        );
        let _ = writeln!(s, "verdict: {}", self.bump);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An action file of a fixture spec; `request` and `response` are YAML list items (request items indented by
    /// two, response items by none), RequestId always first in the response.
    fn action(name: &str, request: &str, response: &str) -> (String, String) {
        let request = if request.is_empty() {
            String::new()
        } else {
            format!("request:\n{request}")
        };
        let yaml = format!(
            "name: {name}\nsection: \"1.1\"\nsummary: s\nidempotent: true\n{request}response:\n\
             - name: RequestId\n  type: String\n  description: d\n{response}example_response: '{{}}'\n"
        );
        (format!("2018-01-29/actions/{name}.yaml"), yaml)
    }

    fn model(files: &[(String, String)]) -> Model {
        let spec = crate::load::load_sources(files).unwrap_or_else(|e| panic!("{e}"));
        crate::model::lower(&spec).unwrap_or_else(|e| panic!("{e}"))
    }

    fn surface(files: &[(String, String)]) -> Surface {
        Surface::of(&model(files))
    }

    /// Each change as `verdict kind place item [from -> to] rule`.
    fn lines(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|c| {
                let what = match (&c.from, &c.to) {
                    (Some(f), Some(t)) => format!(" {f} -> {t}"),
                    _ => String::new(),
                };
                format!(
                    "{} {} {} {}{what} {}",
                    c.verdict.as_str(),
                    c.kind.as_str(),
                    c.place.as_str(),
                    c.item,
                    c.rule.id()
                )
            })
            .collect()
    }

    fn param(name: &str, ty: &str, required: bool) -> String {
        format!("  - name: {name}\n    type: {ty}\n    required: {required}\n    description: d\n")
    }

    /// A response field; `extra` is more keys, each line indented by two.
    fn field(name: &str, ty: &str, extra: &str) -> String {
        format!("- name: {name}\n  type: {ty}\n  description: d\n{extra}")
    }

    fn values(values: &[&str]) -> String {
        let items: Vec<String> = values
            .iter()
            .map(|v| format!("  - {{value: \"{v}\", description: d}}\n"))
            .collect();
        format!("  values:\n{}", items.concat())
    }

    #[test]
    fn an_additive_revision_is_additive_item_by_item() {
        let domain = param("DomainName", "String", true);
        let old = surface(&[action(
            "Check",
            &domain,
            &field("Status", "String", &values(&["a", "b"])),
        )]);
        let request = [domain.clone(), param("Remark", "String", false)].concat();
        let response = [
            field("Status", "String", &values(&["a", "b", "c"])),
            field("Price", "Long", ""),
        ]
        .concat();
        let new = surface(&[action("Check", &request, &response), action("Fresh", &domain, "")]);
        let found = changes(&old, &new);
        assert_eq!(
            lines(&found),
            [
                "additive added parameter operation::check::CheckFluentBuilder::remark new_optional_parameter",
                "additive added field operation::check::CheckOutput::price new_field",
                "additive added variant operation::check::Status::C new_variant",
                "additive added action operation::fresh new_action",
            ]
        );
        assert_eq!(verdict(&found), Some(Verdict::Additive));
        let text = Report::new("old", "new", found).render();
        assert!(
            text.ends_with("4 change(s): 0 breaking, 4 additive\nverdict: additive (patch)\n"),
            "{text}"
        );
        assert!(text.contains("\nCheck\n  additive  added"), "{text}");
    }

    #[test]
    fn a_breaking_revision_names_each_break_and_its_rule() {
        let old_request = [
            param("DomainName", "String", true),
            param("Remark", "String", false),
            param("Period", "Integer", false),
        ]
        .concat();
        let old_response = [
            field("Status", "String", &values(&["a", "b"])),
            field("Flag", "String", &values(&["true", "false", "maybe"])),
            field("Mode", "String", &format!("  enum: Mode\n{}", values(&["x", "y"]))),
            field("Count", "Integer", ""),
            field("Owner", "String", ""),
        ]
        .concat();
        let old = surface(&[action("Check", &old_request, &old_response), action("Gone", "", "")]);
        let new_request = [
            param("DomainName", "String", true),
            param("Period", "Integer", true),
            param("Token", "String", true),
        ]
        .concat();
        let new_response = [
            field("Status", "String", &values(&["a"])),
            field("Flag", "String", &values(&["true", "false"])),
            field("Mode", "String", &format!("  enum: Phase\n{}", values(&["x", "y"]))),
            field("Count", "Long", ""),
            field("Owner", "String", "  rust_name: holder\n"),
        ]
        .concat();
        let new = surface(&[action("Check", &new_request, &new_response)]);
        let found = changes(&old, &new);
        assert_eq!(
            lines(&found),
            [
                "breaking removed parameter operation::check::CheckFluentBuilder::remark removed",
                "breaking required now parameter operation::check::CheckFluentBuilder::period required_now",
                "breaking added parameter operation::check::CheckFluentBuilder::token new_required_parameter",
                "breaking became bool field operation::check::CheckOutput::flag Flag -> bool became_bool",
                "breaking retyped field operation::check::CheckOutput::count i32 -> i64 retyped",
                "breaking renamed field operation::check::CheckOutput::owner owner -> holder renamed",
                "breaking removed variant operation::check::Status::B removed",
                "breaking removed type operation::check::Flag removed",
                "breaking renamed type operation::check::Mode Mode -> Phase renamed",
                "breaking removed action operation::gone removed",
            ]
        );
        let report = Report::new("old", "new", found);
        let text = report.render();
        assert!(text.ends_with("verdict: breaking (minor bump while 0.x)\n"), "{text}");
        assert!(
            text.contains("  became_bool             breaking  a value set that became bool"),
            "{text}"
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["verdict"], "breaking");
        assert_eq!(json["changes"][3]["kind"], "became_bool");
        assert_eq!(json["changes"][3]["from"], "Flag");
        assert_eq!(json["rules"]["required_now"], Rule::RequiredNow.reason());
    }

    #[test]
    fn a_type_moving_into_types_stays_where_it_was() {
        let item = field(
            "Item",
            "Object",
            "  fields:\n    - name: Id\n      type: String\n      description: d\n",
        );
        let old = surface(&[action("A", "", &item)]);
        let new = surface(&[action("A", "", &item), action("B", "", &item)]);
        // `Item` is defined in `types` now and re-exported by both actions: nothing of `A` changed.
        assert_eq!(
            lines(&changes(&old, &new)),
            [
                "additive added action operation::b new_action",
                "additive added type types::Item new_type",
            ]
        );
    }

    #[test]
    fn a_snapshot_reads_as_the_model_it_records_older_ones_too() {
        let files = [action(
            "Check",
            &param("DomainName", "String", true),
            &field("Status", "String", &values(&["a", "b"])),
        )];
        let model = model(&files);
        let snapshot = Surface::from_snapshot(&crate::model_json(&model)).expect("the snapshot reads");
        let now = Surface::of(&model);
        assert!(changes(&snapshot, &now).is_empty());
        assert_eq!(verdict(&changes(&now, &now)), None);
        assert!(Report::new("a", "a", Vec::new())
            .render()
            .ends_with("0 change(s): 0 breaking, 0 additive\nverdict: none\n"));
        // The first snapshots had no deprecation, endpoints, default region or links.
        let mut old: serde_json::Value = serde_json::from_str(&crate::model_json(&model)).unwrap();
        for key in ["endpoints", "default_region"] {
            old.as_object_mut().unwrap().remove(key);
        }
        for op in old["operations"].as_array_mut().unwrap() {
            op.as_object_mut().unwrap().remove("deprecated");
            op.as_object_mut().unwrap().remove("links");
        }
        let old = Surface::from_snapshot(&old.to_string()).expect("an older snapshot reads");
        assert!(changes(&old, &now).is_empty());
        assert!(Surface::from_snapshot("{}").is_err());
    }
}
