//! `cargo xtask spec dump`: the normalized spec as JSON, in the shape other tools read.

use serde_json::{json, Value};

use crate::spec::{Field, Fields, Spec};

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
            response_paths(spec, &a.response, "", &mut response);
            json!({
                "name": a.name,
                "version": a.version,
                "section": a.section,
                "methods": a.methods.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
                "request": request,
                "response": response,
            })
        })
        .collect();
    json!({ "actions": actions })
}

fn response_paths(spec: &Spec, fields: &[Field], prefix: &str, out: &mut Vec<Value>) {
    for f in fields {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}/{}", f.name)
        };
        out.push(json!({"path": path, "type": f.type_word()}));
        let inner_prefix = match &f.wrapper {
            Some(w) => format!("{path}/{w}"),
            None => path,
        };
        match &f.fields {
            Fields::Inline(inner) => response_paths(spec, inner, &inner_prefix, out),
            Fields::Ref(name) => {
                if let Some(shape) = spec.shapes.get(name) {
                    response_paths(spec, &shape.fields, &inner_prefix, out);
                }
            }
            Fields::None => {}
        }
    }
}
