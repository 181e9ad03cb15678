//! The one place that turns spec names into Rust identifiers (snake_case fields, UpperCamelCase types).

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do",
    "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Keeps ASCII letters, digits and `_`; every other character becomes a word break.
fn clean(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A snake_case identifier for a field, method or module: `PageNum` → `page_num`, `type` → `r#type`.
pub fn snake(name: &str) -> String {
    let mut s = clean(name).to_snake_case();
    if s.is_empty() {
        s = "field".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("n{s}");
    }
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// An UpperCamelCase identifier for a type or variant: `New gTLD` → `NewGTld`, `Self` → `Self_`.
pub fn camel(name: &str) -> String {
    let mut s = clean(name).to_upper_camel_case();
    if s.is_empty() {
        s = "Value".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("V{s}");
    }
    if s == "Self" {
        s = "Self_".to_owned();
    }
    s
}

/// The identifier without a raw prefix, for building other names (`set_type` from `r#type`).
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// A variant name for a wire value with no name in the spec: `-1` → `Minus1`, `1` → `V1`.
pub fn variant(value: &str) -> String {
    if let Some(rest) = value.strip_prefix('-') {
        return format!("Minus{}", camel(rest).trim_start_matches('V'));
    }
    camel(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("PageNum"), "page_num");
        assert_eq!(snake("RegistrantProfileID"), "registrant_profile_id");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("3Des"), "n3des");
        assert_eq!(snake("-entitlement"), "entitlement");
        assert_eq!(snake("Result"), "result");
    }

    #[test]
    fn camel_names() {
        assert_eq!(camel("New gTLD"), "NewGTld");
        assert_eq!(camel("FAILED"), "Failed");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(camel("1"), "V1");
        assert_eq!(camel("WAITING_EXECUTE"), "WaitingExecute");
        assert_eq!(variant("-2"), "Minus2");
    }
}
