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

/// Type names of the prelude (and the std items users name unqualified): a generated type of one of these names
/// would shadow it in a user's module after a glob import (`use domain_sdk::operation::x::*`).
const PRELUDE_TYPES: &[&str] = &[
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "Box",
    "String",
    "Vec",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "ToString",
    "ToOwned",
    "AsRef",
    "AsMut",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Debug",
    "Hash",
    "Unpin",
    "FromIterator",
];

/// What a name that would shadow or take a reserved name gets appended: `Result` → `ResultValue`,
/// `Send` (a setter) → `send_value`.
const RENAMED_SUFFIX: &str = "Value";

/// Methods every fluent builder has: `send`, `as_input`, `customize`; `build` (on a builder from `Input::builder()`);
/// `send_blocking` and `send_boxed` (the runtime's `SendBlocking` and `Sendable`, implemented for every builder).
/// The emitter takes these names from here; a setter of one of them is renamed (`Send` → `send_value`).
pub const BUILDER_METHODS: &[&str] = &[SEND, AS_INPUT, BUILD, CUSTOMIZE, "send_blocking", "send_boxed"];
/// The builder method that sends the request.
pub const SEND: &str = "send";
/// The builder method overriding the client's configuration for one call.
pub const CUSTOMIZE: &str = "customize";
/// The builder method returning the input built so far.
pub const AS_INPUT: &str = "as_input";
/// The method of a builder from `Input::builder()` returning the input.
pub const BUILD: &str = "build";
/// The method of a paginated action's builder that makes a paginator.
pub const INTO_PAGINATOR: &str = "into_paginator";
/// Methods of a paginated action's builder.
pub const PAGING_METHODS: &[&str] = &[INTO_PAGINATOR];
/// The constructor of a list's element structure.
pub const ELEMENT_NEW: &str = "new";
/// Variants every error-code enum has.
pub const CODE_VARIANTS: &[&str] = &["Unhandled", "Global"];
/// Items the `types` module always defines (§6.1, §6.2, §6.3).
pub const TYPES_ITEMS: &[&str] = &["GlobalErrorCode", "UserType"];
/// The uninhabited type of the feature hints module.
pub const HINTS_ITEMS: &[&str] = &["Off"];

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

/// An UpperCamelCase type name: as [`camel`], and a prelude name gets a suffix (`Result` → `ResultValue`), so no
/// generated type shadows the prelude.
pub fn type_name(name: &str) -> String {
    let s = camel(name);
    if PRELUDE_TYPES.contains(&s.as_str()) {
        format!("{s}{RENAMED_SUFFIX}")
    } else {
        s
    }
}

/// A request field's setter (and field) name: as [`snake`], and a name every builder already has gets a suffix
/// (`Send` → `send_value`).
pub fn setter(wire: &str) -> String {
    let s = snake(wire);
    if BUILDER_METHODS.contains(&bare(&s)) || PAGING_METHODS.contains(&bare(&s)) {
        format!("{s}_{}", RENAMED_SUFFIX.to_ascii_lowercase())
    } else {
        s
    }
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
    /// See `decode_case` (`read_back_query_domain_list`).
    pub read_back_case: String,
}

/// The names of an action's generated items.
pub fn operation(action: &str) -> OperationNames {
    let prefix = camel(action);
    let module = snake(action);
    let feature = bare(&module).to_owned();
    OperationNames {
        hint_trait: type_name(&feature),
        input: format!("{prefix}Input"),
        output: format!("{prefix}Output"),
        builder: format!("{prefix}FluentBuilder"),
        error_code: format!("{prefix}ErrorCode"),
        decode_case: format!("decode_{feature}"),
        call_case: format!("call_{feature}"),
        read_back_case: format!("read_back_{feature}"),
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
    fn prelude_and_reserved_names_are_renamed() {
        assert_eq!(type_name("Result"), "ResultValue");
        assert_eq!(type_name("option"), "OptionValue");
        assert_eq!(type_name("ResultCode"), "ResultCode");
        assert_eq!(camel("Result"), "Result", "variants live in their enum's namespace");
        assert_eq!(setter("Send"), "send_value");
        assert_eq!(setter("Build"), "build_value");
        assert_eq!(setter("SendBlocking"), "send_blocking_value");
        assert_eq!(setter("IntoPaginator"), "into_paginator_value");
        assert_eq!(setter("PageNum"), "page_num");
        assert_eq!(operation("Vec").input, "VecInput");
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
