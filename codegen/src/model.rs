//! Lowers the validated spec to a Rust-facing model: every type, field and variant named, collisions resolved.
//!
//! The emitter only ever sees this model, never the raw spec.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostics;
use crate::naming::{bare, camel, snake, variant};
use crate::spec::*;

/// Everything the emitter needs.
#[derive(Debug, Clone)]
pub struct Model {
    /// One per action, sorted by action name.
    pub operations: Vec<Operation>,
    /// Structures and enums shared across actions (`shapes/`, §6.3).
    pub shared: TypeSet,
    /// §6.1 global errors and §6.2 name rules, emitted as data.
    pub appendix: Appendix,
    /// Parameters a client can default.
    pub client_defaults: Vec<ClientDefault>,
}

/// Structures and enums defined in one module.
#[derive(Debug, Clone, Default)]
pub struct TypeSet {
    /// Structures, sorted by name.
    pub structs: Vec<StructDef>,
    /// Enums, sorted by name.
    pub enums: Vec<EnumDef>,
}

/// One action, as Rust.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec.
    pub action: Action,
    /// Module and client method name (`query_domain_list`).
    pub module: String,
    /// `QueryDomainList`
    pub type_prefix: String,
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
    /// §6.1's global errors (every action may answer them).
    pub global_errors: Vec<GlobalError>,
    /// The client defaults this action takes (wire names).
    pub defaults: Vec<String>,
    /// Enums of this action that live in `types` because several actions share them (re-exported here).
    pub shared_enums: Vec<String>,
}

/// Pagination in Rust names.
#[derive(Debug, Clone)]
pub struct Paging {
    /// The input field selecting the page.
    pub token: String,
    /// Whether the token is a scroll id (else a page number).
    pub scroll: bool,
    /// The input field with the page size.
    pub page_size: Option<String>,
    /// The documented maximum page size.
    pub max_page_size: Option<u32>,
    /// The output field with the items.
    pub items: String,
    /// The items' type.
    pub item: OutType,
    /// The output field with the next scroll id.
    pub output_token: Option<String>,
    /// The output field saying whether there is a next page.
    pub more_results: Option<String>,
    /// The output field with the number of pages.
    pub total_pages: Option<String>,
}

/// A value's Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone)]
pub struct InputField {
    /// Wire name without `.N` (`DomainName`, `OrderActivateParam`).
    pub wire: String,
    /// The wire name as the reference writes it (`DomainName.N`).
    pub reference_name: String,
    /// The Rust field and setter name.
    pub ident: String,
    /// Rustdoc.
    pub doc: String,
    /// Whether `send()` fails without it.
    pub required: bool,
    /// Its shape.
    pub kind: InputKind,
    /// Where the reference says it travels.
    pub location: Option<Location>,
    /// The spec parameters it stands for (one, or every field of a list of structures).
    pub params: Vec<Param>,
}

/// A request field's shape.
#[derive(Debug, Clone)]
pub enum InputKind {
    /// One value.
    Scalar(ValueType),
    /// `X.N`
    List(ValueType),
    /// `X.N.Field`, by element structure name.
    StructList(String),
}

/// The element structure of a list of structures.
#[derive(Debug, Clone)]
pub struct InputStruct {
    /// Rust name.
    pub name: String,
    /// Wire prefix (`OrderActivateParam`).
    pub wire: String,
    /// Its fields (all scalars).
    pub fields: Vec<InputField>,
}

/// A response structure.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// Rust name.
    pub name: String,
    /// Rustdoc.
    pub doc: String,
    /// Fields in spec order.
    pub fields: Vec<OutField>,
}

/// A field of a response structure.
#[derive(Debug, Clone, PartialEq)]
pub struct OutField {
    /// The JSON key.
    pub json: String,
    /// The Rust field name.
    pub ident: String,
    /// Rustdoc.
    pub doc: String,
    /// Its type.
    pub ty: OutType,
}

/// A response field's type.
#[derive(Debug, Clone, PartialEq)]
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
}

/// A generated enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// Rust name.
    pub name: String,
    /// Rustdoc.
    pub doc: String,
    /// Whether the wire values are integers.
    pub integer: bool,
    /// Variants in spec order.
    pub variants: Vec<Variant>,
    /// For §6.3: each variant's user type (`individual` / `organization`), in variant order; else empty.
    pub groups: Vec<String>,
}

/// An enum variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Rust name.
    pub ident: String,
    /// Wire value.
    pub value: String,
    /// Rustdoc.
    pub doc: String,
}

/// Names kept for the items every operation module defines.
fn reserved_type_names(prefix: &str) -> Vec<String> {
    vec![
        format!("{prefix}Input"),
        format!("{prefix}Output"),
        format!("{prefix}FluentBuilder"),
    ]
}

/// Setter names that would clash with the fluent builder's own methods.
const RESERVED_METHODS: &[&str] = &[
    "send",
    "new",
    "input",
    "build_request",
    "customize",
    "client",
    "as_input",
];

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
    let mut operations = Vec::new();
    for action in &spec.actions {
        if let Some(op) = lower_action(action, spec, &mut diags) {
            operations.push(op);
        }
    }
    hoist_common_enums(&mut operations, &mut shared);
    shared.structs.sort_by(|a, b| a.name.cmp(&b.name));
    shared.enums.sort_by(|a, b| a.name.cmp(&b.name));
    if diags.is_empty() {
        Ok(Model {
            operations,
            shared,
            appendix: spec.appendix.clone(),
            client_defaults: spec.client_defaults.clone(),
        })
    } else {
        diags.0.sort();
        Err(diags)
    }
}

fn lower_action(action: &Action, spec: &Spec, diags: &mut Diagnostics) -> Option<Operation> {
    let prefix = camel(&action.name);
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
                let wire = p.wire_name.trim_end_matches(".N").to_owned();
                let kind = if p.shape == ParamShape::List {
                    InputKind::List(ty)
                } else {
                    InputKind::Scalar(ty)
                };
                input.push(InputField {
                    ident: setter_ident(&wire),
                    doc: param_doc(p),
                    wire,
                    reference_name: p.wire_name.clone(),
                    required: p.required,
                    kind,
                    location: p.location,
                    params: vec![p.clone()],
                });
            }
            ParamShape::StructField { list, field } => {
                let ty = cx.value_type(p.ty, &p.values, p.enum_name.as_deref(), field, &p.description, &path);
                let member = InputField {
                    wire: field.clone(),
                    reference_name: p.wire_name.clone(),
                    ident: setter_ident(field),
                    doc: param_doc(p),
                    required: p.required,
                    kind: InputKind::Scalar(ty),
                    location: p.location,
                    params: vec![p.clone()],
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
                        input.push(InputField {
                            wire: list.clone(),
                            reference_name: format!("{list}.N"),
                            ident: setter_ident(list),
                            doc: String::new(),
                            required: false,
                            kind: InputKind::StructList(name),
                            location: p.location,
                            params: Vec::new(),
                        });
                    }
                }
                let f = input.iter_mut().find(|f| &f.wire == list).expect("just inserted");
                f.required |= p.required;
                f.params.push(p.clone());
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
    // Input struct names must not collide with response types either.
    for s in &input_structs {
        if cx.set.structs.iter().any(|d| d.name == s.name) || cx.set.enums.iter().any(|d| d.name == s.name) {
            cx.err(
                &format!("request.{}.N", s.wire),
                format!("type name '{}' is used twice in this action", s.name),
            );
        }
    }

    let out_fields = cx.out_fields(&action.response, "response");
    let output = StructDef {
        name: format!("{prefix}Output"),
        doc: format!(
            "The response of [`{}`](crate::Client::{}).",
            action.name,
            snake(&action.name)
        ),
        fields: out_fields,
    };
    let reserved = reserved_type_names(&prefix);
    for name in cx
        .set
        .structs
        .iter()
        .map(|s| &s.name)
        .chain(cx.set.enums.iter().map(|e| &e.name))
    {
        if reserved.contains(name) {
            cx.diags.push(
                &action.file,
                "response",
                format!("type name '{name}' is reserved for the action's own types"),
            );
        }
    }
    // Sort the action's types by name: deterministic output, small diffs.
    types.structs.sort_by(|a, b| a.name.cmp(&b.name));
    types.enums.sort_by(|a, b| a.name.cmp(&b.name));
    if diags.0.len() != before {
        return None;
    }
    let paging = action.pagination.as_ref().and_then(|p| {
        let input_ident = |wire: &str| input.iter().find(|f| f.wire == wire).map(|f| f.ident.clone());
        let output_ident = |json: &str| output.fields.iter().find(|f| f.json == json).map(|f| f.ident.clone());
        let items = output.fields.iter().find(|f| f.json == p.items)?;
        let OutType::List { item, .. } = &items.ty else {
            return None;
        };
        Some(Paging {
            token: input_ident(&p.input_token)?,
            scroll: p.output_token.is_some(),
            page_size: p.page_size.as_deref().and_then(input_ident),
            max_page_size: p.max_page_size,
            items: items.ident.clone(),
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
    Some(Operation {
        shared_enums: Vec::new(),
        defaults,
        global_errors: spec.appendix.global_errors.clone(),
        paging,
        action: action.clone(),
        module: snake(&action.name),
        type_prefix: prefix,
        input,
        input_structs,
        output,
        types,
    })
}

/// Moves enums that several actions define identically (same name, same values: `Lang`, …) into `types`, so
/// that each is generated once; the actions re-export them, keeping `operation::<action>::Lang` valid.
fn hoist_common_enums(operations: &mut [Operation], shared: &mut TypeSet) {
    let signature = |e: &EnumDef| -> Vec<(String, String)> {
        e.variants.iter().map(|v| (v.ident.clone(), v.value.clone())).collect()
    };
    type Signature = (Vec<(String, String)>, bool);
    let mut by_name: BTreeMap<String, Vec<Signature>> = BTreeMap::new();
    for op in operations.iter() {
        for e in &op.types.enums {
            by_name
                .entry(e.name.clone())
                .or_default()
                .push((signature(e), e.integer));
        }
    }
    let taken =
        |name: &str| shared.enums.iter().any(|e| e.name == name) || shared.structs.iter().any(|s| s.name == name);
    let hoisted: Vec<String> = by_name
        .into_iter()
        .filter(|(name, defs)| defs.len() > 1 && defs.iter().all(|d| *d == defs[0]) && !taken(name))
        .map(|(name, _)| name)
        .collect();
    for op in operations.iter_mut() {
        let (moved, kept): (Vec<EnumDef>, Vec<EnumDef>) = std::mem::take(&mut op.types.enums)
            .into_iter()
            .partition(|e| hoisted.contains(&e.name));
        op.types.enums = kept;
        for e in moved {
            op.shared_enums.push(e.name.clone());
            if !shared.enums.iter().any(|s| s.name == e.name) {
                shared.enums.push(e);
            }
        }
        let mark = |v: &mut ValueType| {
            if let ValueType::Enum { name, shared, .. } = v {
                if hoisted.contains(name) {
                    *shared = true;
                }
            }
        };
        fn mark_out(t: &mut OutType, mark: &dyn Fn(&mut ValueType)) {
            match t {
                OutType::Value(v) => mark(v),
                OutType::List { item, .. } => mark_out(item, mark),
                OutType::Struct { .. } => {}
            }
        }
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
            mark_out(&mut f.ty, &mark);
        }
        if let Some(p) = op.paging.as_mut() {
            mark_out(&mut p.item, &mark);
        }
    }
}

fn setter_ident(wire: &str) -> String {
    let s = snake(wire);
    if RESERVED_METHODS.contains(&bare(&s)) {
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
            FieldType::List { item, wrapper } => {
                let item = match item {
                    ListItem::Scalar(s) => value(self, *s),
                    ListItem::Struct(s) => structure(self, s),
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
