//! The test server's table of actions (parameters to validate, reference examples), and the end-to-end tests' cases: for every action, a decoder
//! of its reference example and a call that sets every parameter from the spec's examples, so the data-driven
//! tests cover each new action.

use proc_macro2::TokenStream;
use quote::quote;

use super::{format_file, ident, GeneratedFile, Target};
use crate::model::{HttpMethod, InputField, InputKind, Model, Operation, ScalarType, ValueType};

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

/// The `k`-th sample (1-based) of a field.
fn sample(f: &InputField, k: usize) -> &str {
    f.samples.get(k - 1).map_or("", String::as_str)
}

fn call_chain(op: &Operation) -> TokenStream {
    let module = ident(&op.names.module);
    let mut chain = Vec::new();
    for f in &op.input {
        let setter = ident(&f.ident);
        match &f.kind {
            InputKind::Scalar(v) => {
                let lit = value_literal(v, sample(f, 1));
                chain.push(quote!(.#setter(#lit)));
            }
            InputKind::List(v) => {
                for k in 1..=f.samples.len() {
                    let lit = value_literal(v, sample(f, k));
                    chain.push(quote!(.#setter(#lit)));
                }
            }
            InputKind::StructList(name) => {
                let s = op
                    .input_structs
                    .iter()
                    .find(|s| &s.name == name)
                    .expect("element structure");
                let ty = ident(&s.name);
                let items = s.fields.iter().map(|m| m.samples.len()).max().unwrap_or(0);
                for k in 1..=items {
                    let fields = s.fields.iter().map(|m| {
                        let InputKind::Scalar(v) = &m.kind else {
                            unreachable!("structure fields are scalars")
                        };
                        let id = ident(&m.ident);
                        let lit = value_literal(v, sample(m, k));
                        quote!(.#id(#lit))
                    });
                    chain.push(quote!(.#setter(domain_sdk::operation::#module::#ty::new() #(#fields)*)));
                }
            }
        }
    }
    quote!(#(#chain)*)
}

/// The type and the wire values a value may take, for the test server's validation: an enum's documented
/// values, or none (any value of the type).
fn value_spec(model: &Model, op: &Operation, v: &ValueType) -> TokenStream {
    let (ty, values): (&str, Vec<&str>) = match v {
        ValueType::Scalar(s) => (scalar_name(*s), Vec::new()),
        ValueType::Enum { name, integer, shared } => {
            let set = if *shared { &model.shared } else { &op.types };
            let values = set
                .enums
                .iter()
                .find(|e| &e.name == name)
                .map(|e| e.variants.iter().map(|v| v.value.as_str()).collect())
                .unwrap_or_default();
            (if *integer { "Long" } else { "String" }, values)
        }
    };
    let ty = ident(ty);
    quote!(T::#ty, &[#(#values),*])
}

fn scalar_name(s: ScalarType) -> &'static str {
    match s {
        ScalarType::String => "String",
        ScalarType::Integer => "Integer",
        ScalarType::Long => "Long",
        ScalarType::Boolean => "Boolean",
        ScalarType::Float => "Float",
    }
}

/// One parameter, built by `ParamSpec`'s constructors (`P::scalar`, `P::list`, `P::structs`).
fn param_spec(model: &Model, op: &Operation, f: &InputField) -> TokenStream {
    let name = &f.wire;
    let required = f.required;
    match &f.kind {
        InputKind::Scalar(v) => {
            let v = value_spec(model, op, v);
            quote!(P::scalar(#name, #required, #v))
        }
        InputKind::List(v) => {
            let v = value_spec(model, op, v);
            quote!(P::list(#name, #required, #v))
        }
        InputKind::StructList(s) => {
            let fields = op
                .input_structs
                .iter()
                .find(|st| &st.name == s)
                .map(|st| st.fields.iter().map(|m| param_spec(model, op, m)).collect::<Vec<_>>())
                .unwrap_or_default();
            quote!(P::structs(#name, #required, &[#(#fields),*]))
        }
    }
}

/// The test server's table: every action with its version, methods, parameters and reference example.
pub(super) fn examples(model: &Model) -> Result<GeneratedFile, String> {
    let actions = model.operations.iter().map(|op| {
        let (action, version, example) = (&op.action, &op.version, &op.example_response);
        let methods = op
            .methods
            .iter()
            .map(|m| ident(if *m == HttpMethod::Get { "Get" } else { "Post" }));
        let params = op.input.iter().map(|f| param_spec(model, op, f));
        quote! {
            ActionSpec {
                action: #action,
                version: #version,
                methods: &[#(M::#methods),*],
                params: &[#(#params),*],
                example: #example,
            },
        }
    });
    format_file(
        Target::TestServer,
        "actions.rs",
        "Every action of the spec with its version, methods, parameters and reference JSON example: what the test\nserver validates requests against, and its default answers.",
        quote! {
            use crate::validate::{ActionSpec, Method as M, ParamSpec as P, ValueType as T};

            /// Every action of the spec, sorted by action name.
            pub static ACTIONS: &[ActionSpec] = &[ #(#actions)* ];
        },
    )
}

/// The end-to-end tests' table: for every action, a decoder of its example and a call setting every parameter.
pub(super) fn cases(model: &Model) -> Result<GeneratedFile, String> {
    let mut fns = Vec::new();
    let mut entries = Vec::new();
    for op in &model.operations {
        // The module, the client method and the feature share one name.
        let module = ident(&op.names.module);
        let output = ident(&op.names.output);
        let decode = ident(&op.names.decode_case);
        let call = ident(&op.names.call_case);
        let read_back = ident(&op.names.read_back_case);
        let input = ident(&op.names.input);
        let chain = call_chain(op);
        let action = &op.action;
        let version = &op.version;
        fns.push(quote! {
            fn #decode(json: &str) -> ::std::result::Result<serde_json::Value, ::std::string::String> {
                let output: domain_sdk::operation::#module::#output =
                    serde_json::from_str(json).map_err(|e| e.to_string())?;
                serde_json::to_value(&output).map_err(|e| e.to_string())
            }

            // Deprecated actions and parameters are called too: they still work.
            #[allow(deprecated)]
            fn #call(client: &domain_sdk::Client) -> CallFuture<'_> {
                ::std::boxed::Box::pin(async move {
                    let output = client.#module() #chain .send().await?;
                    ::std::result::Result::Ok(serde_json::to_value(&output).expect("outputs serialize"))
                })
            }

            fn #read_back(
                params: &[(::std::string::String, ::std::string::String)],
            ) -> ::std::result::Result<::std::vec::Vec<(::std::string::String, ::std::string::String)>, ::std::string::String> {
                let reader = domain_sdk::__private::ParamReader::new(params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                let input = <domain_sdk::operation::#module::#input as domain_sdk::__private::ReadRequest>::read_request(&reader)?;
                let request = domain_sdk::__private::BuildRequest::build_request(&input).map_err(|e| e.to_string())?;
                ::std::result::Result::Ok(request.params().iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
            }
        });
        entries.push(quote! {
            Case { action: #action, version: #version, decode: #decode, call: #call, read_back: #read_back },
        });
    }
    let tokens = quote! {
        use crate::{CallFuture, Case};

        /// One entry per action of the spec, sorted by action name.
        pub static CASES: &[Case] = &[ #(#entries)* ];

        #(#fns)*
    };
    format_file(
        Target::EndToEnd,
        "cases.rs",
        "For every action: decode its reference example, call it with every parameter set from the spec's examples, and read its wire parameters back into its typed input.",
        tokens,
    )
}
