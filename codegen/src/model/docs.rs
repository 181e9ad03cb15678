//! Rustdoc of actions, request parameters, response fields, structures, values and error codes, from the spec's
//! prose and wire facts: the English text first, then the reference's Chinese wording, then the wire facts.

pub(super) use crate::doc::Text;
use crate::spec::{EnumValue, ErrorCode, Field, GlobalError, Param};

/// A rustdoc block: the English, then the reference's wording, then `extra` paragraphs (behaviour, wire facts).
pub(super) fn doc_of(text: Text<'_>, extra: &[String]) -> String {
    let english = text
        .english()
        .unwrap_or_else(|| "Not described by the reference.".to_owned());
    let mut parts = vec![english];
    parts.extend(text.reference());
    parts.extend(extra.iter().cloned());
    parts.join("\n\n")
}

/// A request parameter's doc; `behaviour` is what the SDK does with it beyond the reference (a default page).
pub(super) fn param_doc(p: &Param, behaviour: Option<&str>) -> String {
    let mut extra: Vec<String> = behaviour.map(str::to_owned).into_iter().collect();
    extra.extend(boolean_values(&p.values));
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
    doc_of(Text::new(p.description.as_deref(), p.description_en.as_deref()), &extra)
}

pub(super) fn field_doc(f: &Field) -> String {
    let code = crate::doc::code;
    let mut facts = vec![format!("JSON key: {}", code(&f.name))];
    if let Some(e) = f.example.as_deref().filter(|e| !e.is_empty()) {
        facts.push(format!("example: {}", code(e)));
    }
    let mut extra: Vec<String> = boolean_values(&f.values).into_iter().collect();
    extra.push(format!("{}.", facts.join("; ")));
    doc_of(Text::new(f.description.as_deref(), f.description_en.as_deref()), &extra)
}

/// A true/false value set becomes a `bool` (no enum documents its values), so its meanings go in the doc.
fn boolean_values(values: &[EnumValue]) -> Option<String> {
    if !super::types::is_boolean(values) {
        return None;
    }
    let lines: Vec<String> = values
        .iter()
        .filter_map(|v| {
            let text = Text::new(v.description.as_deref(), v.description_en.as_deref());
            Some(format!("- {}: {}", crate::doc::code(&v.value), text.english()?))
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
    doc_of(Text::new(e.description.as_deref(), e.description_en.as_deref()), &extra)
}

/// A §6.1 global code: what it means, then its status and the service's message.
pub(super) fn global_error_doc(e: &GlobalError) -> String {
    let facts = format!("HTTP {}; message: {}.", e.http_status, crate::doc::code(&e.message));
    doc_of(
        Text::new(e.description.as_deref(), e.description_en.as_deref()),
        &[facts],
    )
}
