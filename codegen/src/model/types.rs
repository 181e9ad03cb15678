//! Type conversion: a spec value set becomes an enum (or `bool`), a response field a Rust type, a structure a
//! `StructDef`; two different definitions under one name are a spec error.

use super::docs::{doc_of, field_doc, Text};
use super::*;
use crate::diagnostics::Diagnostics;
use crate::naming::{camel, snake, type_name, variant};
use crate::spec::{EnumValue, Field, FieldType, ListItem, SharedEnum, Structure};

/// A value set of exactly `true` and `false`: a boolean sent or received as a string, so a `bool` in Rust.
pub(super) fn is_boolean<G>(values: &[EnumValue<G>]) -> bool {
    let mut wire: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
    wire.sort_unstable();
    wire == ["false", "true"]
}

pub(super) struct TypeCx<'a> {
    pub(super) file: &'a str,
    pub(super) set: &'a mut TypeSet,
    pub(super) diags: &'a mut Diagnostics,
    /// §6.3's enum: every parameter or field of its name uses it.
    pub(super) shared_enum: Option<&'a SharedEnum>,
}

impl TypeCx<'_> {
    pub(super) fn err(&mut self, path: &str, msg: impl Into<String>) {
        self.diags.push(self.file, path, msg);
    }

    pub(super) fn value_type(
        &mut self,
        ty: ScalarType,
        values: &[EnumValue],
        enum_name: Option<&str>,
        owner: &str,
        text: Text<'_>,
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
                name: type_name(&shared.name),
                integer: false,
                shared: true,
            };
        }
        if values.is_empty() || ty == ScalarType::Boolean || ty == ScalarType::Float {
            return ValueType::Scalar(ty);
        }
        if is_boolean(values) {
            return ValueType::Scalar(ScalarType::Boolean);
        }
        let name = type_name(enum_name.unwrap_or(owner));
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
            let value_text = Text::new(v.description.as_deref(), v.description_en.as_deref());
            let wire = crate::doc::code(&v.value);
            let mut doc = match value_text.english() {
                Some(en) => format!("{en} ({wire})"),
                None => wire,
            };
            if let Some(reference) = value_text.reference() {
                doc = format!("{doc}\n\n{reference}");
            }
            variants.push(Variant {
                ident,
                value: v.value.clone(),
                doc,
            });
        }
        let mut parts = text.paragraphs();
        if text.english().is_none() {
            parts.insert(0, "A documented value set.".to_owned());
        }
        parts.push("Values the service may add later decode as `Unknown`, keeping the raw value.".to_owned());
        let doc = parts.join("\n\n");
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

    pub(super) fn out_fields(&mut self, fields: &[Field], path: &str) -> Vec<OutField> {
        let mut out: Vec<OutField> = Vec::new();
        for f in fields {
            let fpath = format!("{path}.{}", f.name);
            let ty = self.out_type(f, &fpath);
            let ident = snake(f.rust_name.as_deref().unwrap_or(&f.name));
            if out.iter().any(|o| o.ident == ident) {
                self.err(&fpath, format!("field '{}' becomes Rust field '{ident}' twice", f.name));
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
            let text = Text::new(f.description.as_deref(), f.description_en.as_deref());
            OutType::Value(cx.value_type(ty, &f.values, f.enum_name.as_deref(), &f.name, text, path))
        };
        let structure = |cx: &mut Self, s: &Structure| -> OutType {
            let name = type_name(&s.name);
            let fields = cx.out_fields(&s.fields, path);
            let doc = doc_of(Text::new(f.description.as_deref(), f.description_en.as_deref()), &[]);
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
pub(super) fn same_shape(a: &[OutField], b: &[OutField]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.json == y.json && x.ident == y.ident && x.ty == y.ty)
}
