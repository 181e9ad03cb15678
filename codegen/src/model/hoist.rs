//! Hoisting: structures and enums that several actions define identically move into the `types` module.

use std::collections::{BTreeMap, BTreeSet};

use super::*;

/// What a type moved into `types` is compared by: its wire shape and Rust names, not its docs.
#[derive(PartialEq)]
pub(super) enum WireShape {
    Enum(Vec<(String, String)>, bool),
    Struct(Vec<(String, String, OutType)>),
}

/// The action-local types (not yet in `types`) that a type refers to.
pub(super) fn local_refs(t: &OutType, out: &mut Vec<String>) {
    match t {
        OutType::Value(ValueType::Enum {
            name, shared: false, ..
        })
        | OutType::Struct { name, shared: false } => out.push(name.clone()),
        OutType::List { item, .. } => local_refs(item, out),
        _ => {}
    }
}

/// Moves the structures and enums that several actions define identically (same name, same fields or values:
/// `Domain`, `TaskDetail`, `Lang`, …) into `types`, so that each is generated once; the actions re-export them,
/// keeping `operation::<action>::Domain` valid. A structure moves only with every type it refers to.
pub(super) fn hoist_common_types(operations: &mut [Operation], shared: &mut TypeSet) {
    let mut by_name: BTreeMap<String, Vec<WireShape>> = BTreeMap::new();
    let mut refs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in operations.iter() {
        for e in &op.types.enums {
            let values = e.variants.iter().map(|v| (v.ident.clone(), v.value.clone())).collect();
            by_name
                .entry(e.name.clone())
                .or_default()
                .push(WireShape::Enum(values, e.integer));
        }
        for s in &op.types.structs {
            let fields = s
                .fields
                .iter()
                .map(|f| (f.json.clone(), f.ident.clone(), f.ty.clone()))
                .collect();
            by_name
                .entry(s.name.clone())
                .or_default()
                .push(WireShape::Struct(fields));
            let r = refs.entry(s.name.clone()).or_default();
            s.fields.iter().for_each(|f| local_refs(&f.ty, r));
        }
    }
    let taken =
        |name: &str| shared.enums.iter().any(|e| e.name == name) || shared.structs.iter().any(|s| s.name == name);
    let mut hoisted: BTreeSet<String> = by_name
        .into_iter()
        .filter(|(name, defs)| defs.len() > 1 && defs.iter().all(|d| *d == defs[0]) && !taken(name))
        .map(|(name, _)| name)
        .collect();
    loop {
        let keep: BTreeSet<String> = hoisted
            .iter()
            .filter(|n| refs.get(*n).is_none_or(|r| r.iter().all(|x| hoisted.contains(x))))
            .cloned()
            .collect();
        if keep.len() == hoisted.len() {
            break;
        }
        hoisted = keep;
    }
    let mark = |v: &mut ValueType| {
        if let ValueType::Enum { name, shared, .. } = v {
            if hoisted.contains(name) {
                *shared = true;
            }
        }
    };
    fn mark_out(t: &mut OutType, hoisted: &BTreeSet<String>, mark: &dyn Fn(&mut ValueType)) {
        match t {
            OutType::Value(v) => mark(v),
            OutType::List { item, .. } => mark_out(item, hoisted, mark),
            OutType::Struct { name, shared } => {
                if hoisted.contains(name) {
                    *shared = true;
                }
            }
            OutType::Json => {}
        }
    }
    for op in operations.iter_mut() {
        let (moved, kept): (Vec<EnumDef>, Vec<EnumDef>) = std::mem::take(&mut op.types.enums)
            .into_iter()
            .partition(|e| hoisted.contains(&e.name));
        op.types.enums = kept;
        for e in moved {
            op.shared_types.push(e.name.clone());
            if !shared.enums.iter().any(|s| s.name == e.name) {
                shared.enums.push(e);
            }
        }
        let (moved, kept): (Vec<StructDef>, Vec<StructDef>) = std::mem::take(&mut op.types.structs)
            .into_iter()
            .partition(|s| hoisted.contains(&s.name));
        op.types.structs = kept;
        for s in moved {
            op.shared_types.push(s.name.clone());
            if !shared.structs.iter().any(|x| x.name == s.name) {
                shared.structs.push(s);
            }
        }
        op.shared_types.sort();
        let mark_input = |f: &mut InputField| match &mut f.kind {
            InputKind::Scalar(v) | InputKind::List(v) => mark(v),
            InputKind::StructList(_) => {}
        };
        op.input.iter_mut().for_each(mark_input);
        op.input_structs
            .iter_mut()
            .flat_map(|s| s.fields.iter_mut())
            .for_each(mark_input);
        for f in op
            .output
            .fields
            .iter_mut()
            .chain(op.types.structs.iter_mut().flat_map(|s| s.fields.iter_mut()))
        {
            mark_out(&mut f.ty, &hoisted, &mark);
        }
        if let Some(p) = op.paging.as_mut() {
            mark_out(&mut p.item, &hoisted, &mark);
        }
    }
    for f in shared.structs.iter_mut().flat_map(|s| s.fields.iter_mut()) {
        mark_out(&mut f.ty, &hoisted, &mark);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(name: &str, mode_values: &str) -> (String, String) {
        let yaml = format!(
            "name: {name}\nsection: \"1.1\"\nsummary: s\nidempotent: true\nresponse:\n\
             - name: Item\n  type: Object\n  description: d\n  fields:\n\
             \x20   - name: Id\n      type: String\n      description: d\n\
             \x20   - name: Kind\n      type: String\n      description: d\n\
             \x20     values: [{{value: a, description: d}}, {{value: b, description: d}}]\n\
             - name: Other\n  type: Object\n  description: d\n  fields:\n\
             \x20   - name: Mode\n      type: String\n      description: d\n      values: [{mode_values}]\n\
             example_response: '{{}}'\n"
        );
        (format!("2018-01-29/actions/{name}.yaml"), yaml)
    }

    #[test]
    fn identical_structures_move_to_types_only_with_every_type_they_name() {
        let spec = crate::load::load_sources(&[
            action("ActionA", "{value: x, description: d}"),
            action("ActionB", "{value: x, description: d}, {value: y, description: d}"),
        ])
        .expect("valid spec");
        let model = lower(&spec).expect("no collision");
        let names = |set: &TypeSet| -> (Vec<String>, Vec<String>) {
            (
                set.structs.iter().map(|s| s.name.clone()).collect(),
                set.enums.iter().map(|e| e.name.clone()).collect(),
            )
        };
        // `Item` and its enum `Kind` are the same in both; `Other` names `Mode`, which differs, so it stays.
        assert_eq!(names(&model.shared), (vec!["Item".to_owned()], vec!["Kind".to_owned()]));
        for op in &model.operations {
            assert_eq!(op.shared_types, ["Item", "Kind"], "{}", op.action);
            assert_eq!(names(&op.types), (vec!["Other".to_owned()], vec!["Mode".to_owned()]));
            let item = op.output.fields.iter().find(|f| f.json == "Item").unwrap();
            assert_eq!(
                item.ty,
                OutType::Struct {
                    name: "Item".into(),
                    shared: true
                }
            );
        }
        let kind = &model.shared.structs[0].fields[1].ty;
        assert!(
            matches!(kind, OutType::Value(ValueType::Enum { shared: true, .. })),
            "{kind:?}"
        );
    }
}
