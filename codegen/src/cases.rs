//! Emits `tests/src/generated/cases.rs`: for every action, a decoder of its reference example and a call
//! that sets every parameter from the spec's examples, so the data-driven tests cover each new action.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::{format_file, GeneratedFile, TESTS_DIR};
use crate::model::{InputField, InputKind, Model, Operation, ValueType};
use crate::spec::{Param, ScalarType};

/// Items a list parameter gets in the round trip.
pub const LIST_ITEMS: usize = 2;

fn value_literal(v: &ValueType, value: &str) -> TokenStream {
    match v {
        ValueType::Scalar(ScalarType::Integer) => {
            let n: i32 = value.parse().unwrap_or_default();
            quote!(#n)
        }
        ValueType::Scalar(ScalarType::Long) => {
            let n: i64 = value.parse().unwrap_or_default();
            quote!(#n)
        }
        ValueType::Scalar(ScalarType::Boolean) => {
            let b = value == "true";
            quote!(#b)
        }
        ValueType::Scalar(ScalarType::Float) => {
            let f: f64 = value.parse().unwrap_or_default();
            quote!(#f)
        }
        ValueType::Scalar(ScalarType::String) | ValueType::Enum { .. } => quote!(#value),
    }
}

fn the_param(f: &InputField) -> &Param {
    f.params
        .first()
        .expect("a scalar or list field stands for one parameter")
}

fn call_chain(op: &Operation) -> TokenStream {
    let module = format_ident!("{}", op.module.trim_start_matches("r#"));
    let mut chain = Vec::new();
    for f in &op.input {
        let setter = crate::emit::ident(&f.ident);
        match &f.kind {
            InputKind::Scalar(v) => {
                let lit = value_literal(v, &the_param(f).sample_item(1));
                chain.push(quote!(.#setter(#lit)));
            }
            InputKind::List(v) => {
                for k in 1..=LIST_ITEMS {
                    let lit = value_literal(v, &the_param(f).sample_item(k));
                    chain.push(quote!(.#setter(#lit)));
                }
            }
            InputKind::StructList(name) => {
                let s = op
                    .input_structs
                    .iter()
                    .find(|s| &s.name == name)
                    .expect("element structure");
                let ty = crate::emit::ident(&s.name);
                for k in 1..=LIST_ITEMS {
                    let fields = s.fields.iter().map(|m| {
                        let InputKind::Scalar(v) = &m.kind else {
                            unreachable!("structure fields are scalars")
                        };
                        let id = crate::emit::ident(&m.ident);
                        let lit = value_literal(v, &the_param(m).sample_item(k));
                        quote!(.#id(#lit))
                    });
                    chain.push(quote!(.#setter(domain_sdk::operation::#module::#ty::new() #(#fields)*)));
                }
            }
        }
    }
    quote!(#(#chain)*)
}

/// The test-case table for every operation.
pub fn emit_cases(model: &Model) -> Result<GeneratedFile, String> {
    let mut fns = Vec::new();
    let mut entries = Vec::new();
    for op in &model.operations {
        let module = format_ident!("{}", op.module.trim_start_matches("r#"));
        let method = crate::emit::ident(&op.module);
        let output = format_ident!("{}Output", op.type_prefix);
        let decode = format_ident!("decode_{}", op.module.trim_start_matches("r#"));
        let call = format_ident!("call_{}", op.module.trim_start_matches("r#"));
        let chain = call_chain(op);
        let action = &op.action.name;
        let version = &op.action.version;
        fns.push(quote! {
            fn #decode(json: &str) -> ::std::result::Result<serde_json::Value, ::std::string::String> {
                let output: domain_sdk::operation::#module::#output =
                    serde_json::from_str(json).map_err(|e| e.to_string())?;
                serde_json::to_value(&output).map_err(|e| e.to_string())
            }

            fn #call(client: &domain_sdk::Client) -> CallFuture<'_> {
                ::std::boxed::Box::pin(async move {
                    let output = client.#method() #chain .send().await?;
                    ::std::result::Result::Ok(serde_json::to_value(&output).expect("outputs serialize"))
                })
            }
        });
        entries.push(quote! {
            Case { action: #action, version: #version, decode: #decode, call: #call },
        });
    }
    let examples = model.operations.iter().map(|op| {
        let (action, version, example) = (&op.action.name, &op.action.version, &op.action.example_response);
        quote! { crate::server::ActionExample { action: #action, version: #version, example: #example }, }
    });
    let tokens = quote! {
        use crate::{CallFuture, Case};

        /// Every action of the spec with its version and its reference JSON example, sorted by action name.
        pub static ACTIONS: &[crate::server::ActionExample] = &[ #(#examples)* ];

        /// One entry per action of the spec, sorted by action name.
        pub static CASES: &[Case] = &[ #(#entries)* ];

        #(#fns)*
    };
    format_file(
        &format!("{TESTS_DIR}/cases.rs"),
        "For every action: decode its reference example, and call it with every parameter set from the spec's examples.",
        tokens,
    )
}
