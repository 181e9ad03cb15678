//! A response shape from the Go SDK's surface, for an action whose metadata has none.

use super::*;

/// A response tree from the Go SDK's surface (`{"Name": "string", "List": [{…}], "Obj": {…}}`).
pub(super) fn go_fields(tree: &Json, notes: &mut Vec<String>, path: &str) -> Vec<Field> {
    let Json::Object(map) = tree else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, v) in map {
        let mut f = Field::named(name);
        let here = format!("{path}.{name}");
        let typed = match v {
            Json::String(t) => go_scalar(t).map(|w| f.word = w).is_some(),
            Json::Array(items) => go_list(&mut f, items, notes, &format!("{here}[]")),
            Json::Object(inner) => match inner.iter().next() {
                // `{"Item": [ … ]}`: a list wrapped in a one-key object.
                Some((wrapper, Json::Array(items))) if inner.len() == 1 => {
                    f.wrapper = Some(wrapper.clone());
                    go_list(&mut f, items, notes, &format!("{here}.{wrapper}[]"))
                }
                _ => {
                    f.word = "Object";
                    f.fields = Some(go_fields(v, notes, &here));
                    true
                }
            },
            _ => false,
        };
        if typed {
            out.push(f);
        } else {
            notes.push(format!("{here}: {v} is not a Go type the spec can say; left out"));
        }
    }
    out
}

/// `f` as an Array of the Go SDK's `[item]`; false when the item is not typed.
pub(super) fn go_list(f: &mut Field, items: &[Json], notes: &mut Vec<String>, items_path: &str) -> bool {
    f.word = "Array";
    match items.first() {
        Some(Json::String(t)) => {
            f.item_type = go_scalar(t);
            f.item_type.is_some()
        }
        Some(obj @ Json::Object(_)) => {
            f.fields = Some(go_fields(obj, notes, items_path));
            true
        }
        _ => false,
    }
}

pub(super) fn go_scalar(t: &str) -> Option<&'static str> {
    Some(match t {
        "string" => "String",
        "int" | "int32" => "Integer",
        "int64" => "Long",
        "bool" => "Boolean",
        "float64" | "float32" => "Float",
        _ => return None,
    })
}
