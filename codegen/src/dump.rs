//! `cargo xtask spec dump`: the normalized spec as JSON, in the shape other tools read.

use serde_json::{json, Value};

use crate::spec::{Field, FieldType, Spec};

/// The normalized spec: every action with its methods, request wire names and response paths.
pub fn dump(spec: &Spec) -> Value {
    let actions: Vec<Value> = spec
        .actions
        .iter()
        .map(|a| {
            let request: Vec<Value> = a
                .request
                .iter()
                .map(|p| json!({"wire_name": p.wire_name, "type": p.type_word(), "required": p.required}))
                .collect();
            let mut response = Vec::new();
            response_paths(&a.response, "", &mut response);
            json!({
                "name": a.name,
                "version": a.version,
                "section": a.origin.section(),
                "source": a.origin.source(),
                "deprecated": a.deprecated,
                "methods": a.methods.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
                "request": request,
                "response": response,
            })
        })
        .collect();
    json!({ "actions": actions })
}

fn response_paths(fields: &[Field], prefix: &str, out: &mut Vec<Value>) {
    for f in fields {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}/{}", f.name)
        };
        out.push(json!({"path": path, "type": f.type_word()}));
        let inner_prefix = match &f.ty {
            FieldType::List { wrapper: Some(w), .. } => format!("{path}/{w}"),
            _ => path,
        };
        if let Some(s) = f.structure() {
            response_paths(&s.fields, &inner_prefix, out);
        }
    }
}
