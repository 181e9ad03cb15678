//! The metadata's parameters and response schema in the spec's terms: wire names, types, value sets, notes for
//! every guess.

use super::*;

/// The document's summary or title, and its description, cleaned of the API Explorer's markup.
pub(super) fn clean(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim_end();
        // `<props="china">…</props>`: site-specific text; keep it, drop the tags.
        let line = strip_tags(line);
        out.push_str(&line);
        out.push('\n');
    }
    out.trim().to_owned()
}

pub(super) fn strip_tags(line: &str) -> String {
    let mut s = line.to_owned();
    for tag in ["<props=\"china\">", "<props=\"intl\">", "</props>"] {
        s = s.replace(tag, "");
    }
    s
}

pub(super) fn text(s: &Option<String>) -> Option<String> {
    s.as_deref().map(clean).filter(|s| !s.is_empty())
}

/// The spec's parameters of an action.
pub(super) fn params(api: &Api, notes: &mut Vec<String>) -> Vec<Param> {
    let mut out = Vec::new();
    for p in api.flat_params() {
        let Some(scalar) = p.ty.scalar() else {
            notes.push(format!(
                "request.{}: the metadata types it `{}`, which a request parameter cannot be; left out",
                p.wire, p.ty
            ));
            continue;
        };
        let list = p.wire.ends_with(".N");
        let values = if scalar == ScalarType::Boolean {
            Vec::new()
        } else {
            metadata::documented_values(p.schema)
                .into_iter()
                .filter(|v| scalar.accepts(&v.value))
                .collect()
        };
        out.push(Param {
            name: p.wire.clone(),
            ty: if list { "RepeatList" } else { scalar.as_str() },
            item_type: (list && scalar != ScalarType::String).then(|| scalar.as_str()),
            required: p.required,
            example: p.schema.example.clone().filter(|e| scalar.accepts(e) && !e.is_empty()),
            description: text(&p.schema.description).or_else(|| text(&p.parameter.schema.description)),
            default: p.schema.default.clone(),
            values,
            body: p.position() == "formData",
            deprecated: p.deprecated(),
        });
    }
    out
}

/// A response field from a metadata node.
pub(super) fn field(name: &str, schema: &Schema, notes: &mut Vec<String>, path: &str) -> Option<Field> {
    let up = UpType {
        base: schema.ty.clone().unwrap_or_else(|| "object".to_owned()),
        format: schema.format.clone(),
    };
    let mut f = Field {
        example: schema.example.clone().filter(|e| !e.is_empty() && e != "-"),
        description: text(&schema.description),
        ..Field::named(name)
    };
    if let Some(s) = up.scalar() {
        f.word = s.as_str();
        f.example = f.example.filter(|e| s.accepts(e));
        if s != ScalarType::Boolean {
            f.values = metadata::documented_values(schema)
                .into_iter()
                .filter(|v| s.accepts(&v.value))
                .collect();
        }
        return Some(f);
    }
    f.example = None;
    match up.base.as_str() {
        "array" => {
            f.word = "Array";
            let items = schema.items.as_deref()?;
            list_items(&mut f, items, notes, path)?;
        }
        "object" => {
            // `{"Domain": [ … ]}`: a list wrapped in a one-key object.
            let props = &schema.properties.0;
            match props.as_slice() {
                [(wrapper, inner)] if inner.ty.as_deref() == Some("array") => {
                    f.word = "Array";
                    f.wrapper = Some(wrapper.clone());
                    if f.description.is_none() {
                        f.description = text(&inner.description);
                    }
                    let items = inner.items.as_deref()?;
                    list_items(&mut f, items, notes, &format!("{path}.{wrapper}"))?;
                }
                _ => {
                    f.word = "Object";
                    f.fields = Some(fields(schema, notes, path));
                }
            }
        }
        "any" => {
            f.word = "Json";
            f.description = f
                .description
                .or_else(|| Some("Untyped in the metadata (`any`).".to_owned()));
        }
        other => {
            notes.push(format!(
                "{path}: the metadata types it `{other}`, which the spec cannot say; left out"
            ));
            return None;
        }
    }
    Some(f)
}

pub(super) fn list_items(f: &mut Field, items: &Schema, notes: &mut Vec<String>, path: &str) -> Option<()> {
    let up = UpType {
        base: items.ty.clone().unwrap_or_else(|| "object".to_owned()),
        format: items.format.clone(),
    };
    if let Some(s) = up.scalar() {
        f.item_type = Some(s.as_str());
        return Some(());
    }
    if up.base == "object" {
        f.fields = Some(fields(items, notes, &format!("{path}[]")));
        return Some(());
    }
    if up.base == "any" {
        f.item_type = Some("Json");
        return Some(());
    }
    notes.push(format!(
        "{path}[]: items of type `{}` (a list of lists?) cannot be said in the spec; left out",
        up.base
    ));
    None
}

pub(super) fn fields(schema: &Schema, notes: &mut Vec<String>, path: &str) -> Vec<Field> {
    schema
        .properties
        .0
        .iter()
        .filter_map(|(name, child)| field(name, child, notes, &format!("{path}.{name}")))
        .collect()
}
