//! Lowering of one action: its request fields and element structures, output, error codes, pagination and
//! client defaults, in Rust names.

use super::check::{check_operation_names, code_variants};
use super::docs::{error_doc, param_doc, Text};
use super::types::TypeCx;
use super::*;
use crate::diagnostics::Diagnostics;
use crate::naming::{self, bare};
use crate::spec::{Action, Origin, Param, ParamShape, Spec};

pub(super) fn lower_action(action: &Action, spec: &Spec, diags: &mut Diagnostics) -> Option<Operation> {
    let names = naming::operation(&action.name);
    let mut types = TypeSet::default();
    let before = diags.0.len();
    let shared_enum = spec.appendix.credential_types.as_ref();
    let mut cx = TypeCx {
        file: &action.file,
        set: &mut types,
        diags,
        shared_enum,
    };

    // A page-number token left unset is sent as 1 by the generated code.
    let first_page = action
        .pagination
        .as_ref()
        .filter(|p| p.output_token.is_none())
        .map(|p| p.input_token.as_str());
    let behaviour = |p: &Param| {
        (Some(p.wire_name.as_str()) == first_page).then_some("When unset, the SDK sends `1`: the first page.")
    };
    let mut input: Vec<InputField> = Vec::new();
    let mut input_structs: Vec<InputStruct> = Vec::new();
    for p in &action.request {
        let path = format!("request.{}", p.wire_name);
        match &p.shape {
            ParamShape::Scalar | ParamShape::List => {
                let ty = cx.value_type(
                    p.ty,
                    &p.values,
                    p.enum_name.as_deref(),
                    &p.wire_name,
                    Text::new(p.description.as_deref(), p.description_en.as_deref()),
                    &path,
                );
                let wire = naming::list_name(&p.wire_name).to_owned();
                let ident = naming::setter(p.rust_name.as_deref().unwrap_or(&wire));
                let (set, get) = naming::set_get(&ident);
                let (kind, samples) = if p.shape == ParamShape::List {
                    (
                        InputKind::List(ty),
                        (1..=LIST_ITEMS).map(|k| p.sample_item(k)).collect(),
                    )
                } else {
                    (InputKind::Scalar(ty), vec![p.sample_item(1)])
                };
                input.push(InputField {
                    json_setter: (p.json && p.shape == ParamShape::Scalar).then(|| naming::json_setter(&ident)),
                    set: Some(set),
                    get: Some(get),
                    ident,
                    doc: param_doc(p, behaviour(p)),
                    wire,
                    reference_name: p.wire_name.clone(),
                    required: p.required,
                    kind,
                    location: p.location,
                    deprecated: p.deprecated,
                    samples,
                });
            }
            ParamShape::StructField { list, field } => {
                let text = Text::new(p.description.as_deref(), p.description_en.as_deref());
                let ty = cx.value_type(p.ty, &p.values, p.enum_name.as_deref(), field, text, &path);
                let member = InputField {
                    wire: field.clone(),
                    reference_name: p.wire_name.clone(),
                    ident: naming::setter(p.rust_name.as_deref().unwrap_or(field)),
                    set: None,
                    get: None,
                    json_setter: None,
                    doc: param_doc(p, behaviour(p)),
                    required: p.required,
                    kind: InputKind::Scalar(ty),
                    location: p.location,
                    deprecated: p.deprecated,
                    samples: (1..=LIST_ITEMS).map(|k| p.sample_item(k)).collect(),
                };
                match input_structs.iter_mut().find(|s| &s.wire == list) {
                    Some(s) => s.fields.push(member),
                    None => {
                        let name = naming::type_name(list);
                        input_structs.push(InputStruct {
                            name: name.clone(),
                            wire: list.clone(),
                            fields: vec![member],
                        });
                        let ident = naming::setter(list);
                        let (set, get) = naming::set_get(&ident);
                        input.push(InputField {
                            wire: list.clone(),
                            reference_name: format!("{list}.N"),
                            ident,
                            set: Some(set),
                            get: Some(get),
                            json_setter: None,
                            doc: String::new(),
                            required: false,
                            kind: InputKind::StructList(name),
                            location: p.location,
                            deprecated: true,
                            samples: Vec::new(),
                        });
                    }
                }
                let f = input.iter_mut().find(|f| &f.wire == list).expect("just inserted");
                f.required |= p.required;
                f.deprecated &= p.deprecated;
            }
        }
    }
    for f in &mut input {
        if let InputKind::StructList(name) = &f.kind {
            f.doc = format!(
                "A list of [`{name}`], sent as `{}.1.*`, `{}.2.*`, …; each call appends one item.{}",
                f.wire,
                f.wire,
                if f.required {
                    "\n\nRequired: at least one item."
                } else {
                    ""
                }
            );
        }
    }

    let out_fields = cx.out_fields(&action.response, "response");
    let output = StructDef {
        name: names.output.clone(),
        doc: format!(
            "The response of [`{}`](crate::Client::{}).",
            action.name,
            bare(&names.module)
        ),
        fields: out_fields,
    };
    // Sort the action's types by name: deterministic output, small diffs.
    types.structs.sort_by(|a, b| a.name.cmp(&b.name));
    types.enums.sort_by(|a, b| a.name.cmp(&b.name));
    let own_codes = action
        .errors
        .iter()
        .filter(|e| !spec.appendix.global_errors.iter().any(|g| g.code == e.code))
        .map(|e| (e.code.as_str(), error_doc(e)));
    let error_codes = CodeEnum {
        name: names.error_code.clone(),
        variants: code_variants(own_codes, &action.file, diags),
    };
    let paging = action.pagination.as_ref().and_then(|p| {
        let input_ident = |wire: &str| input.iter().find(|f| f.wire == wire).map(|f| f.ident.clone());
        let output_ident = |json: &str| output.fields.iter().find(|f| f.json == json).map(|f| f.ident.clone());
        let items = output.fields.iter().find(|f| f.json == p.items)?;
        let OutType::List { item, .. } = &items.ty else {
            return None;
        };
        Some(Paging {
            token: input_ident(&p.input_token)?,
            token_wire: p.input_token.clone(),
            scroll: p.output_token.is_some(),
            page_size: p.page_size.as_deref().and_then(input_ident),
            max_page_size: p.max_page_size,
            items: items.ident.clone(),
            items_json: items.json.clone(),
            item: (**item).clone(),
            output_token: p.output_token.as_deref().and_then(output_ident),
            more_results: p.more_results.as_deref().and_then(output_ident),
            total_pages: p.total_pages.as_deref().and_then(output_ident),
        })
    });
    let defaults = spec
        .client_defaults
        .iter()
        .filter(|d| {
            action
                .request
                .iter()
                .any(|p| p.wire_name == d.name && p.shape == ParamShape::Scalar)
        })
        .map(|d| d.name.clone())
        .collect();
    let op = Operation {
        action: action.name.clone(),
        version: action.version.clone(),
        cite: match &action.origin {
            Origin::Reference { section } => format!("§{section} of the reference"),
            Origin::Imported(source) => format!("{} of {}", source.document(), source.snapshot),
        },
        deprecated: action.deprecated,
        summary: Text::new(Some(&action.summary), action.summary_en.as_deref())
            .english()
            .unwrap_or_default(),
        description: action_description(action),
        links: spec
            .pages
            .iter()
            .map(|p| Link {
                title: p.title.clone(),
                url: p.of(&action.version, &action.name),
            })
            .collect(),
        methods: action.methods.clone(),
        idempotent: action.idempotent,
        names,
        input,
        input_structs,
        output,
        types,
        paging,
        error_codes,
        defaults,
        shared_types: Vec::new(),
        example_response: action.example_response.clone(),
    };
    check_operation_names(&op, &action.file, diags);
    (diags.0.len() == before).then_some(op)
}

/// An action's docs after its summary: the English description, then the reference's Chinese wording of the
/// summary and the description (when the spec has them beside the English).
fn action_description(action: &Action) -> Option<String> {
    let summary = Text::new(Some(&action.summary), action.summary_en.as_deref());
    let description = Text::new(action.description.as_deref(), action.description_en.as_deref());
    let mut parts: Vec<String> = description.english().into_iter().collect();
    if action.methods == [crate::spec::HttpMethod::Post] {
        parts.push("The service accepts this action by POST only; the SDK always sends it so.".to_owned());
    }
    if action.deprecated {
        parts.push("The service deprecates this action (OpenAPI metadata: `deprecated`).".to_owned());
    }
    let chinese = |t: &Text<'_>| t.original.filter(|o| crate::load::has_han(o)).map(crate::doc::prose);
    let wording: Vec<String> = [chinese(&summary), chinese(&description)]
        .into_iter()
        .flatten()
        .collect();
    if !wording.is_empty() {
        parts.push(format!("*The reference's wording:*\n\n{}", wording.join("\n\n")));
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}
