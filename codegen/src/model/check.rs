//! Collision checks: every Rust name of a module or a builder is claimed once, and a second claim by something
//! else is a spec error naming both sources.

use std::collections::BTreeMap;

use super::*;
use crate::diagnostics::Diagnostics;
use crate::naming::{self, bare, camel};
use crate::spec::{Action, Spec};

/// Names claimed in one Rust namespace (a module's types, a builder's methods) of one spec file, each with what
/// claimed it.
pub(super) struct Namespace<'a> {
    scope: String,
    file: &'a str,
    claimed: BTreeMap<String, String>,
}

impl<'a> Namespace<'a> {
    pub(super) fn new(scope: impl Into<String>, file: &'a str) -> Self {
        Namespace {
            scope: scope.into(),
            file,
            claimed: BTreeMap::new(),
        }
    }

    /// Claims `name` for `what`; a second claim by something else is a spec error at `path` naming both.
    pub(super) fn claim(&mut self, name: &str, what: impl Into<String>, path: &str, diags: &mut Diagnostics) {
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
pub(super) fn check_modules(spec: &Spec, diags: &mut Diagnostics) {
    let mut modules: BTreeMap<String, &Action> = BTreeMap::new();
    for a in &spec.actions {
        let names = naming::operation(&a.name);
        if naming::HINTS_ITEMS.contains(&names.hint_trait.as_str()) {
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
pub(super) fn check_operation_names(op: &Operation, file: &str, diags: &mut Diagnostics) {
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
    let paging: &[&str] = if op.paging.is_some() {
        naming::PAGING_METHODS
    } else {
        &[]
    };
    for m in naming::BUILDER_METHODS.iter().chain(paging) {
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
        methods.claim(naming::ELEMENT_NEW, "a method every element structure has", "", diags);
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
pub(super) fn code_variants<'a>(
    codes: impl Iterator<Item = (&'a str, String)>,
    file: &str,
    diags: &mut Diagnostics,
) -> Vec<CodeVariant> {
    let mut out: Vec<CodeVariant> = Vec::new();
    for (code, doc) in codes {
        let ident = camel(code);
        if naming::CODE_VARIANTS.contains(&ident.as_str()) {
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
