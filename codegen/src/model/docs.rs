//! Rustdoc of request parameters, response fields and structures, from the spec's prose and wire facts.

use crate::spec::{EnumValue, ErrorCode, Field, Param};

pub(super) fn doc_of(description: Option<&str>, extra: &[String]) -> String {
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

pub(super) fn param_doc(p: &Param) -> String {
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
    extra.extend(boolean_values(&p.values));
    doc_of(p.description.as_deref(), &extra)
}

pub(super) fn field_doc(f: &Field) -> String {
    let code = crate::doc::code;
    let mut facts = vec![format!("JSON key: {}", code(&f.name))];
    if let Some(e) = f.example.as_deref().filter(|e| !e.is_empty()) {
        facts.push(format!("example: {}", code(e)));
    }
    let mut extra = vec![format!("{}.", facts.join("; "))];
    extra.extend(boolean_values(&f.values));
    doc_of(f.description.as_deref(), &extra)
}

/// A true/false value set becomes a `bool` (no enum documents its values), so its meanings go in the doc.
fn boolean_values(values: &[EnumValue]) -> Option<String> {
    if !super::types::is_boolean(values) {
        return None;
    }
    let lines: Vec<String> = values
        .iter()
        .filter_map(|v| {
            let d = v.description.as_deref()?.trim();
            Some(format!("- {}: {}", crate::doc::code(&v.value), crate::doc::prose(d)))
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// An action's error code: what it means, then the status and the service's message as documented.
pub(super) fn error_doc(e: &ErrorCode) -> String {
    let code = crate::doc::code;
    let mut facts = Vec::new();
    if let Some(status) = e.http_status {
        facts.push(format!("HTTP {status}"));
    }
    if let Some(m) = e.message.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        facts.push(format!("message: {}", code(m)));
    }
    let extra: Vec<String> = (!facts.is_empty())
        .then(|| format!("{}.", facts.join("; ")))
        .into_iter()
        .collect();
    doc_of(e.description.as_deref(), &extra)
}
