//! Merging into an existing action file: only what it lacks is added, found by indentation (parameters at the end
//! of `request`, fields at the end of their parent's list); nothing it says is changed.

use super::*;

/// Merges `action` from `doc` into an existing action file (`existing`, already loaded as `current`): adds
/// the request parameters and response fields the file lacks, and reports every other disagreement as a
/// conflict, leaving the file's own choice in place.
///
/// # Errors
/// The action is not in the document.
pub fn merge_action(
    existing: &str,
    current: &spec::Action,
    doc: &Document,
    doc_name: &str,
) -> Result<Imported, String> {
    let api = doc
        .apis
        .get(&current.name)
        .ok_or_else(|| format!("'{}' is not in {doc_name}", current.name))?;
    let mut notes = Vec::new();
    let mut added = Vec::new();
    let mut lines: Vec<String> = existing.lines().map(str::to_owned).collect();

    // What the drift finds unexplained: a parameter or response subtree only the document has is added; any
    // other difference is a conflict, left as the file has it.
    let mut to_add = std::collections::BTreeSet::new();
    let mut conflicts = Vec::new();
    for d in crate::drift::action_differences(current, Some(api)) {
        if d.explanation.is_some() {
            continue;
        }
        if d.kind == spec::DriftKind::Added && !d.at.is_empty() {
            to_add.insert(d.at);
        } else {
            conflicts.push(format!(
                "{} {}: the document says {}, the file {}; kept (resolve it, or explain it in metadata_differences)",
                d.kind.as_str(),
                if d.at.is_empty() { "(action)" } else { &d.at },
                d.upstream,
                d.ours
            ));
        }
    }

    // Request parameters the file lacks, appended to its `request:` list in the document's order.
    let mut new_params = Vec::new();
    for p in params(api, &mut notes) {
        let at = format!("request.{}", p.name);
        if to_add.contains(&at) {
            added.push(at);
            new_params.push(p);
        }
    }
    if !new_params.is_empty() {
        let mut w = Writer::default();
        for p in &new_params {
            write_param(&mut w, 2, p);
        }
        let at = match top_block_end(&lines, "request") {
            Some(end) => end,
            None => {
                let at = top_key_line(&lines, "response").unwrap_or(lines.len());
                lines.insert(at, "request:".to_owned());
                at + 1
            }
        };
        splice(&mut lines, at, &w.out);
    }

    // Response fields the file lacks, each inserted at the end of its parent's list.
    if let Some(schema) = api.response_schema() {
        let theirs = fields(schema, &mut notes, "response");
        let mut inserts = Vec::new();
        missing_fields(&theirs, &current.response, &[], "response", &mut inserts);
        inserts.retain(|(_, _, at)| to_add.contains(at));
        // Insertions are made from the end of the file, so that the line numbers found stay valid. Several at
        // one line (the end of a last item's fields is the end of its parent's list too) go in so that the file
        // reads deeper fields first, then each level in the document's order.
        let mut placed = Vec::new();
        for (index, (parents, f, at)) in inserts.into_iter().enumerate() {
            if let Some((line, indent)) = field_list_end(&lines, &parents) {
                placed.push((line, indent, index, f, at));
            } else {
                conflicts.push(format!(
                    "{at}: could not find where to add it in the file; add it by hand"
                ));
            }
        }
        placed.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)));
        let mut added_fields = Vec::new();
        for (line, indent, _, f, at) in placed {
            let mut w = Writer::default();
            write_field(&mut w, indent, &f);
            splice(&mut lines, line, &w.out);
            added_fields.push(at);
        }
        added_fields.reverse();
        added.extend(added_fields);
    }
    let mut yaml = lines.join("\n");
    yaml.push('\n');
    Ok(Imported {
        yaml,
        notes,
        added,
        conflicts,
    })
}

/// The metadata fields the spec lacks: the names of their parents in the spec's tree, the field, and its
/// drift path (`response.Data.Domain[].Tag`).
pub(super) fn missing_fields(
    theirs: &[Field],
    ours: &[spec::Field],
    parents: &[String],
    prefix: &str,
    out: &mut Vec<(Vec<String>, Field, String)>,
) {
    for f in theirs {
        let at = format!("{prefix}.{}", f.name);
        match ours.iter().find(|o| o.name == f.name) {
            None => out.push((parents.to_vec(), f.clone(), at)),
            Some(o) => {
                if let (Some(their_fields), Some(s)) = (&f.fields, o.structure()) {
                    let inner = match (f.word, &f.wrapper) {
                        ("Array", Some(w)) => format!("{at}.{w}[]"),
                        ("Array", None) => format!("{at}[]"),
                        _ => at,
                    };
                    let mut p = parents.to_vec();
                    p.push(f.name.clone());
                    missing_fields(their_fields, &s.fields, &p, &inner, out);
                }
            }
        }
    }
}

pub(super) fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

pub(super) fn top_key_line(lines: &[String], key: &str) -> Option<usize> {
    lines.iter().position(|l| l.starts_with(&format!("{key}:")))
}

/// The line after the last line of a top-level key's block.
pub(super) fn top_block_end(lines: &[String], key: &str) -> Option<usize> {
    let start = top_key_line(lines, key)?;
    let mut end = start + 1;
    while end < lines.len() && (lines[end].trim().is_empty() || indent_of(&lines[end]) > 0) {
        end += 1;
    }
    while end > start + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    Some(end)
}

/// Where a field of the response tree under `parents` (names from the top) is to be inserted: the line after
/// the parent's last field, and the indentation of its items.
pub(super) fn field_list_end(lines: &[String], parents: &[String]) -> Option<(usize, usize)> {
    let mut start = top_key_line(lines, "response")?;
    let mut end = top_block_end(lines, "response")?;
    let mut item_indent = 2;
    for name in parents {
        // The item `- name: <name>` at `item_indent` inside [start, end).
        let pos = (start + 1..end).find(|&i| {
            indent_of(&lines[i]) == item_indent && lines[i].trim() == format!("- name: {name}")
                || lines[i].trim() == format!("- name: \"{name}\"")
        })?;
        let mut item_end = pos + 1;
        while item_end < end && (lines[item_end].trim().is_empty() || indent_of(&lines[item_end]) > item_indent) {
            item_end += 1;
        }
        let fields = (pos + 1..item_end)
            .find(|&i| indent_of(&lines[i]) == item_indent + 2 && lines[i].trim_start().starts_with("fields:"))?;
        start = fields;
        end = item_end;
        let mut fe = fields + 1;
        while fe < item_end && (lines[fe].trim().is_empty() || indent_of(&lines[fe]) > item_indent + 2) {
            fe += 1;
        }
        end = end.min(fe);
        item_indent += 4;
    }
    Some((end, item_indent))
}

pub(super) fn splice(lines: &mut Vec<String>, at: usize, text: &str) {
    let new: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.splice(at..at, new);
}
