//! Compares a reference JSON example with what the SDK decoded from it (re-serialized), leniently:
//! numbers and strings compare by text, a lone object equals a one-item list, key case may differ in its first letter.

use serde_json::Value;

/// Every difference, each as `path: what`; empty when the decoded value carries the example fully.
pub fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk("$", expected, Some(actual), &mut out);
    out
}

fn same_key(a: &str, b: &str) -> bool {
    let mut x = a.chars();
    let mut y = b.chars();
    match (x.next(), y.next()) {
        (Some(p), Some(q)) => p.to_lowercase().eq(q.to_lowercase()) && x.as_str() == y.as_str(),
        (None, None) => true,
        _ => false,
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty() || o.values().all(empty),
        _ => false,
    }
}

fn walk(path: &str, expected: &Value, actual: Option<&Value>, out: &mut Vec<String>) {
    let Some(actual) = actual else {
        if !empty(expected) {
            out.push(format!("{path}: in the example but not decoded (is it in the spec?)"));
        }
        return;
    };
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                let found = a.iter().find(|(ak, _)| same_key(ak, k)).map(|(_, av)| av);
                walk(&format!("{path}.{k}"), v, found, out);
            }
            for k in a.keys() {
                if !e.keys().any(|ek| same_key(ek, k)) {
                    out.push(format!("{path}.{k}: decoded but not in the example"));
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!("{path}: {} items in the example, {} decoded", e.len(), a.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                walk(&format!("{path}[{i}]"), ev, Some(av), out);
            }
        }
        // A bare list where the spec declares a wrapper: `[…]` against `{"Item": […]}`.
        (Value::Array(_), Value::Object(a)) if a.len() == 1 && a.values().all(Value::is_array) => {
            walk(path, expected, a.values().next(), out)
        }
        // A lone item where the spec says list.
        (e, Value::Array(a)) if a.len() == 1 && !e.is_array() => walk(&format!("{path}[0]"), e, Some(&a[0]), out),
        (e, a) => match (scalar_text(e), scalar_text(a)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y))
                if x.parse::<f64>()
                    .ok()
                    .zip(y.parse::<f64>().ok())
                    .is_some_and(|(p, q)| p == q) => {}
            _ if empty(e) && empty(a) => {}
            _ => out.push(format!("{path}: example has {e}, decoded {a}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_where_the_protocol_is() {
        let e = json!({"taskNo": "1", "Data": {"D": {"N": 2}}, "Ok": true, "Empty": ""});
        let a = json!({"TaskNo": "1", "Data": {"D": [{"N": "2"}]}, "Ok": "true"});
        assert_eq!(differences(&e, &a), Vec::<String>::new());
    }

    #[test]
    fn reports_missing_extra_and_different_values() {
        let e = json!({"A": 1, "B": {"C": "x"}, "L": [1, 2]});
        let a = json!({"A": 2, "B": {}, "L": [1], "Z": 0});
        let d = differences(&e, &a);
        assert!(d.iter().any(|s| s.starts_with("$.A: example has 1")), "{d:?}");
        assert!(
            d.iter().any(|s| s.starts_with("$.B.C: in the example but not decoded")),
            "{d:?}"
        );
        assert!(d.iter().any(|s| s.starts_with("$.L: 2 items")), "{d:?}");
        assert!(
            d.iter().any(|s| s.starts_with("$.Z: decoded but not in the example")),
            "{d:?}"
        );
    }
}
