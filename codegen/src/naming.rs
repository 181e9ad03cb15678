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

/// A list parameter's name without its `.N` (`DomainName.N` → `DomainName`).
pub fn list_name(wire: &str) -> &str {
    wire.strip_suffix(".N").unwrap_or(wire)
}

/// The names an action's generated items take, all derived from the action's name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OperationNames {
    /// Module, client method and Cargo feature (`query_domain_list`; a keyword becomes `r#…` for the module).
    pub module: String,
    /// The Cargo feature: the module name without a raw prefix.
    pub feature: String,
    /// The trait that explains a call of the action when its feature is off (`QueryDomainList`).
    pub hint_trait: String,
    /// `QueryDomainListInput`
    pub input: String,
    /// `QueryDomainListOutput`
    pub output: String,
    /// `QueryDomainListFluentBuilder`
    pub builder: String,
    /// `QueryDomainListErrorCode`
    pub error_code: String,
    /// The generated test hooks (`decode_query_domain_list`, `call_query_domain_list`).
    pub decode_case: String,
    /// See `decode_case`.
    pub call_case: String,
}

/// The names of an action's generated items.
pub fn operation(action: &str) -> OperationNames {
    let prefix = camel(action);
    let module = snake(action);
    let feature = bare(&module).to_owned();
    OperationNames {
        hint_trait: camel(&feature),
        input: format!("{prefix}Input"),
        output: format!("{prefix}Output"),
        builder: format!("{prefix}FluentBuilder"),
        error_code: format!("{prefix}ErrorCode"),
        decode_case: format!("decode_{feature}"),
        call_case: format!("call_{feature}"),
        feature,
        module,
    }
}

/// The builder's `set_…` and `get_…` methods for a field whose setter is `ident`.
pub fn set_get(ident: &str) -> (String, String) {
    (format!("set_{}", bare(ident)), format!("get_{}", bare(ident)))
}

/// The setter taking a JSON value, for a string parameter that carries a JSON document (`tags_json`).
pub fn json_setter(ident: &str) -> String {
    format!("{}_json", bare(ident))
}

/// The `ClientBuilder` method setting a client-wide default for a parameter (`Lang` → `default_lang`).
pub fn default_setter(wire: &str) -> String {
    format!("default_{}", bare(&snake(wire)))
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

    #[test]
    fn operation_names() {
        let n = operation("QueryDomainList");
        assert_eq!(
            (n.module.as_str(), n.feature.as_str(), n.hint_trait.as_str()),
            ("query_domain_list", "query_domain_list", "QueryDomainList")
        );
        assert_eq!(
            [n.input, n.output, n.builder, n.error_code],
            [
                "QueryDomainListInput",
                "QueryDomainListOutput",
                "QueryDomainListFluentBuilder",
                "QueryDomainListErrorCode"
            ]
        );
        let k = operation("Type");
        assert_eq!((k.module.as_str(), k.feature.as_str()), ("r#type", "type"));
        assert_eq!(k.call_case, "call_type");
        assert_eq!(set_get("r#type"), ("set_type".to_owned(), "get_type".to_owned()));
        assert_eq!(json_setter("r#type"), "type_json");
        assert_eq!(default_setter("Lang"), "default_lang");
    }
}
