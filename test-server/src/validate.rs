//! Checks a request's parameters against its action's table (generated from the spec) as the service does:
//! required parameters present, values of the right type and in the documented set, the HTTP method allowed,
//! parameters the action does not have recorded (and refused in strict mode).

use std::collections::BTreeMap;

use crate::codes::Code;
use crate::fault::Fault;
use crate::fault::{invalid_parameter, missing_parameter};

/// An HTTP method an action accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A value's type on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// Any text.
    String,
    /// A 32-bit integer.
    Integer,
    /// A 64-bit integer.
    Long,
    /// `true` or `false`.
    Boolean,
    /// A decimal number.
    Float,
}

/// What values a parameter (or a list's item) takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueSpec {
    /// The type.
    pub ty: ValueType,
    /// The documented values (empty: any value of the type).
    pub values: &'static [&'static str],
}

/// A parameter's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// One value: `DomainName=example.com`.
    Scalar(ValueSpec),
    /// A list of values: `DomainName.1=a.com&DomainName.2=b.com`.
    List(ValueSpec),
    /// A list of structures: `OrderActivateParam.1.DomainName=a.com`; the fields are scalars.
    Structs(&'static [ParamSpec]),
}

/// One parameter of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    /// The wire name, without `.N` (`PageNum`, `DomainName` of `DomainName.N`, `OrderActivateParam`).
    pub name: &'static str,
    /// Whether the service refuses a request without it (for a list: without any item).
    pub required: bool,
    /// Its shape and values.
    pub kind: ParamKind,
}

impl ParamSpec {
    /// A parameter taking one value of `ty` (one of `values`, when they are given).
    pub const fn scalar(name: &'static str, required: bool, ty: ValueType, values: &'static [&'static str]) -> Self {
        let kind = ParamKind::Scalar(ValueSpec { ty, values });
        ParamSpec { name, required, kind }
    }

    /// A list parameter (`Name.N`) of such values.
    pub const fn list(name: &'static str, required: bool, ty: ValueType, values: &'static [&'static str]) -> Self {
        let kind = ParamKind::List(ValueSpec { ty, values });
        ParamSpec { name, required, kind }
    }

    /// A list of structures (`Name.N.Field`) with these fields.
    pub const fn structs(name: &'static str, required: bool, fields: &'static [ParamSpec]) -> Self {
        let kind = ParamKind::Structs(fields);
        ParamSpec { name, required, kind }
    }
}

/// One action as the spec describes it (generated into [`crate::ACTIONS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionSpec {
    /// The action's name.
    pub action: &'static str,
    /// Its API version.
    pub version: &'static str,
    /// The HTTP methods it accepts.
    pub methods: &'static [Method],
    /// Its own parameters (the common ones excluded).
    pub params: &'static [ParamSpec],
    /// The reference's JSON success example.
    pub example: &'static str,
}

/// The parameters every request may carry besides the action's own.
pub const COMMON_PARAMS: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "Timestamp",
    "SecurityToken",
    "Signature",
    "RegionId",
];

/// Checks `method` against the methods `spec` accepts: another method is refused as the action unsupported
/// (`UnsupportedOperation`; the reference only says such a call fails, and names no code).
pub fn check_method(spec: &ActionSpec, method: &str) -> Result<(), Fault> {
    if spec.methods.is_empty() || spec.methods.iter().any(|allowed| allowed.as_str() == method) {
        return Ok(());
    }
    let allowed: Vec<&str> = spec.methods.iter().map(|allowed| allowed.as_str()).collect();
    Err(Code::UnsupportedOperation.fault_with(format!(
        "The specified action is not supported with this HTTP method: {} accepts {}, not {method}.",
        spec.action,
        allowed.join(" and ")
    )))
}

fn check_value(name: &str, value: &str, spec: &ValueSpec) -> Result<(), Fault> {
    let well_typed = match spec.ty {
        ValueType::String => true,
        ValueType::Integer => value.parse::<i32>().is_ok(),
        ValueType::Long => value.parse::<i64>().is_ok(),
        ValueType::Boolean => value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false"),
        ValueType::Float => value.parse::<f64>().is_ok_and(f64::is_finite),
    };
    if !well_typed {
        let ty = match spec.ty {
            ValueType::String => "a string",
            ValueType::Integer => "an Integer (32-bit)",
            ValueType::Long => "a Long (64-bit integer)",
            ValueType::Boolean => "a Boolean (true or false)",
            ValueType::Float => "a number",
        };
        return Err(invalid_parameter(name, format!("{value:?} is not {ty}")));
    }
    if !spec.values.is_empty() && !spec.values.contains(&value) {
        return Err(invalid_parameter(
            name,
            format!("{value:?} is not one of {}", spec.values.join(", ")),
        ));
    }
    Ok(())
}

/// Where `key` stands in the list parameter `prefix`: its index N and the rest of the key after `prefix.N` (`""`
/// for a list of values, `.Field` for a list of structures); `None` when the key does not belong to the list.
pub(crate) fn list_index<'k>(key: &'k str, prefix: &str) -> Option<(u32, &'k str)> {
    let rest = key.strip_prefix(prefix)?.strip_prefix('.')?;
    let (index, tail) = match rest.find('.') {
        Some(dot) => (&rest[..dot], &rest[dot..]),
        None => (rest, ""),
    };
    if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((index.parse().ok()?, tail))
}

/// Checks an action's own parameters (`params`: every parameter of the request; the common ones are skipped).
/// Returns the names the action does not have, in order; the first problem found otherwise, in the table's order.
pub fn check_params(spec: &ActionSpec, params: &BTreeMap<String, String>) -> Result<Vec<String>, Fault> {
    let mut known: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for param in spec.params {
        match &param.kind {
            ParamKind::Scalar(values) => match params.get(param.name).map(String::as_str) {
                Some(value) => {
                    known.insert(param.name);
                    if value.is_empty() && param.required {
                        return Err(missing_parameter(param.name));
                    }
                    if !value.is_empty() {
                        check_value(param.name, value, values)?;
                    }
                }
                None if param.required => return Err(missing_parameter(param.name)),
                None => {}
            },
            ParamKind::List(values) => {
                let mut items = 0;
                for (key, value) in params {
                    if let Some((_, "")) = list_index(key, param.name) {
                        known.insert(key);
                        items += 1;
                        check_value(key, value, values)?;
                    }
                }
                if items == 0 && param.required {
                    return Err(missing_parameter(&format!("{}.1", param.name)));
                }
            }
            ParamKind::Structs(fields) => {
                let mut indexes: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
                for (key, value) in params {
                    let Some((index, tail)) = list_index(key, param.name) else {
                        continue;
                    };
                    let Some(field_name) = tail.strip_prefix('.') else {
                        continue;
                    };
                    let Some(field) = fields.iter().find(|field| field.name == field_name) else {
                        continue;
                    };
                    known.insert(key);
                    indexes.entry(index).or_default().push(field.name);
                    if let ParamKind::Scalar(values) = &field.kind {
                        check_value(key, value, values)?;
                    }
                }
                if indexes.is_empty() && param.required {
                    let first = fields.iter().find(|field| field.required).unwrap_or(&fields[0]);
                    return Err(missing_parameter(&format!("{}.1.{}", param.name, first.name)));
                }
                for (index, present) in &indexes {
                    if let Some(field) = fields
                        .iter()
                        .find(|field| field.required && !present.contains(&field.name))
                    {
                        return Err(missing_parameter(&format!("{}.{index}.{}", param.name, field.name)));
                    }
                }
            }
        }
    }
    Ok(params
        .keys()
        .filter(|name| !known.contains(name.as_str()) && !COMMON_PARAMS.contains(&name.as_str()))
        .cloned()
        .collect())
}

/// The message refusing unknown parameters in strict mode, suggesting the nearest known name.
pub fn unknown_message(spec: &ActionSpec, unknown: &[String]) -> String {
    let name = unknown.first().map_or("", String::as_str);
    let nearest = spec
        .params
        .iter()
        .map(|param| param.name)
        .map(|known| {
            (
                edit_distance(&name.to_ascii_lowercase(), &known.to_ascii_lowercase()),
                known,
            )
        })
        .filter(|(distance, _)| *distance <= 3)
        .min();
    let hint = nearest
        .map(|(_, known)| format!(" (did you mean \"{known}\"?)"))
        .unwrap_or_default();
    format!(
        "The parameter \"{name}\" is not a parameter of {}{hint}; this server refuses unknown parameters (strict mode).",
        spec.action
    )
}

/// The Levenshtein distance between two names.
pub(crate) fn edit_distance(from: &str, to: &str) -> usize {
    let to: Vec<char> = to.chars().collect();
    let mut row: Vec<usize> = (0..=to.len()).collect();
    for (row_index, from_char) in from.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = row_index + 1;
        for (column, to_char) in to.iter().enumerate() {
            let above = row[column + 1];
            row[column + 1] = (above + 1)
                .min(row[column] + 1)
                .min(diagonal + usize::from(from_char != *to_char));
            diagonal = above;
        }
    }
    row[to.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: ValueSpec = ValueSpec {
        ty: ValueType::String,
        values: &[],
    };
    const SPEC: ActionSpec = ActionSpec {
        action: "Demo",
        version: "2018-01-29",
        methods: &[Method::Post],
        params: &[
            ParamSpec {
                name: "PageNum",
                required: true,
                kind: ParamKind::Scalar(ValueSpec {
                    ty: ValueType::Integer,
                    values: &[],
                }),
            },
            ParamSpec {
                name: "Order",
                required: false,
                kind: ParamKind::Scalar(ValueSpec {
                    ty: ValueType::String,
                    values: &["ASC", "DESC"],
                }),
            },
            ParamSpec {
                name: "DomainName",
                required: false,
                kind: ParamKind::List(TEXT),
            },
            ParamSpec {
                name: "Item",
                required: false,
                kind: ParamKind::Structs(&[
                    ParamSpec {
                        name: "Name",
                        required: true,
                        kind: ParamKind::Scalar(TEXT),
                    },
                    ParamSpec {
                        name: "Years",
                        required: false,
                        kind: ParamKind::Scalar(ValueSpec {
                            ty: ValueType::Integer,
                            values: &[],
                        }),
                    },
                ]),
            },
        ],
        example: "{}",
    };

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn every_shape_is_checked_and_unknown_names_are_returned() {
        let ok = params(&[
            ("Action", "Demo"),
            ("PageNum", "1"),
            ("Order", "ASC"),
            ("DomainName.1", "a.com"),
            ("DomainName.2", "b.com"),
            ("Item.1.Name", "a.com"),
            ("Item.2.Name", "b.com"),
            ("Item.2.Years", "2"),
            ("PageNumber", "1"),
            ("Item.1.Nmae", "x"),
        ]);
        assert_eq!(check_params(&SPEC, &ok).unwrap(), ["Item.1.Nmae", "PageNumber"]);
        let err = |pairs: &[(&str, &str)]| check_params(&SPEC, &params(pairs)).unwrap_err();
        assert_eq!(err(&[]), missing_parameter("PageNum"));
        assert_eq!(err(&[("PageNum", "")]).code(), "MissingParameter");
        let wrong = err(&[("PageNum", "abc")]);
        assert_eq!(
            (wrong.code(), wrong.message()),
            (
                "InvalidParameter",
                "The specified value of parameter \"PageNum\" is not valid: \"abc\" is not an Integer (32-bit)."
            )
        );
        assert!(err(&[("PageNum", "1"), ("Order", "UP")])
            .message()
            .contains("\"UP\" is not one of ASC, DESC"));
        assert!(err(&[("PageNum", "1"), ("Item.2.Years", "2")])
            .message()
            .contains("\"Item.2.Name\""));
        assert!(err(&[("PageNum", "1"), ("Item.1.Name", "a"), ("Item.1.Years", "x")])
            .message()
            .contains("\"Item.1.Years\""));
    }

    #[test]
    fn methods_and_suggestions() {
        assert!(check_method(&SPEC, "POST").is_ok());
        assert_eq!(check_method(&SPEC, "GET").unwrap_err().code(), "UnsupportedOperation");
        assert!(unknown_message(&SPEC, &["PageNumber".into()]).contains("did you mean \"PageNum\""));
        assert!(!unknown_message(&SPEC, &["Zzzzzzzzzz".into()]).contains("did you mean"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
