//! Error-code enums: each action's own codes (with §6.1's as `Global(…)`), and §6.1's `GlobalErrorCode`.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{doc_attrs, ident, lit};
use crate::model::{CodeEnum, Operation};

/// An enum of error codes with an `Unhandled` fallback, and its conversions; `with_global` adds a
/// `Global(GlobalErrorCode)` variant for §6.1's codes.
pub(super) fn emit_code_enum(codes: &CodeEnum, doc: &str, with_global: bool) -> TokenStream {
    let name = ident(&codes.name);
    let doc = doc_attrs(doc);
    let variants: Vec<(Ident, Literal, &str)> = codes
        .variants
        .iter()
        .map(|v| (ident(&v.ident), lit(&v.code), v.doc.as_str()))
        .collect();
    let defs = variants.iter().map(|(id, _, d)| {
        let d = doc_attrs(d);
        quote! { #d #id, }
    });
    let to_str = variants.iter().map(|(id, code, _)| quote! { Self::#id => #code, });
    let from_str = variants.iter().map(|(id, code, _)| quote! { #code => Self::#id, });
    let own_ifs = variants
        .iter()
        .map(|(id, code, _)| quote! { if code == #code { return Self::#id; } });
    let (global_def, global_str, from_code) = if with_global {
        (
            quote! {
                /// A global error code of appendix §6.1 (throttling, signature, AccessKey, server errors, …).
                Global(crate::types::GlobalErrorCode),
            },
            quote! { Self::Global(code) => code.as_str(), },
            quote! {
                #(#own_ifs)*
                match crate::types::GlobalErrorCode::from_code(code) {
                    crate::types::GlobalErrorCode::Unhandled(code) => Self::Unhandled(code),
                    global => Self::Global(global),
                }
            },
        )
    } else {
        (
            quote!(),
            quote!(),
            quote! {
                match code {
                    #(#from_str)*
                    other => Self::Unhandled(crate::UnknownValue::new(other)),
                }
            },
        )
    };
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#defs)*
            #global_def
            /// A code this SDK does not document, kept as received (read it with `as_str()`; it cannot be built).
            Unhandled(crate::UnknownValue),
        }

        impl #name {
            /// The code as the service sends it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    #global_str
                    Self::Unhandled(code) => code.as_str(),
                }
            }

            /// The variant for a code.
            pub fn from_code(code: &str) -> Self {
                #from_code
            }

            /// The code of a service error, if `error` is one (and carries a code).
            pub fn of(error: &crate::Error) -> ::std::option::Option<Self> {
                error.code().map(Self::from_code)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

pub(super) fn emit_action_error_codes(op: &Operation) -> TokenStream {
    let doc = format!(
        "The error codes `{}` may answer: its own documented codes, and the global ones of §6.1 as `Global(…)`.\n\n\
         `{}::of(&error)` gives the code of a failed call, for `match`.",
        op.action, op.error_codes.name
    );
    emit_code_enum(&op.error_codes, &doc, true)
}
