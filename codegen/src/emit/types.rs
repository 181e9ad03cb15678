//! Response structures (with their decoders and optional `Serialize`) and forward-compatible enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident, lit, out_tokens};
use crate::model::{EnumDef, OutType, StructDef, TypeSet};

pub(super) fn emit_type_set(set: &TypeSet, shared: bool) -> TokenStream {
    let structs = set.structs.iter().map(|s| emit_struct(s, shared));
    let enums = set.enums.iter().map(emit_enum);
    quote! { #(#structs)* #(#enums)* }
}

pub(super) fn emit_struct(s: &StructDef, in_shared_module: bool) -> TokenStream {
    let name = ident(&s.name);
    let doc = doc_attrs(&s.doc);
    let fields = s.fields.iter().map(|f| {
        let id = ident(&f.ident);
        let ty = out_tokens(&f.ty, in_shared_module);
        let doc = doc_attrs(&f.doc);
        quote! {
            #doc
            pub #id: ::std::option::Option<#ty>,
        }
    });
    // Each key, and its lowerCamel form (the reference's own examples use both), reads through the seed of the
    // field's type.
    let arms = s.fields.iter().map(|f| {
        let id = ident(&f.ident);
        let json = lit(&f.json);
        let alias = lower_first(&f.json);
        let pattern = if alias != f.json {
            let alias = lit(&alias);
            quote!(#json | #alias)
        } else {
            quote!(#json)
        };
        let seed = match &f.ty {
            OutType::List { wrapper: Some(_), .. } => quote!(crate::__private::ListOf::wrapped()),
            OutType::List { wrapper: None, .. } => quote!(crate::__private::ListOf::bare()),
            _ => quote!(crate::__private::OptSeed::new()),
        };
        quote! { #pattern => self.#id = map.next_value_seed(#seed)?, }
    });
    let struct_name = lit(&s.name);
    let ser = s.fields.iter().map(|f| {
        let id = ident(&f.ident);
        let json = lit(&f.json);
        match &f.ty {
            OutType::List { wrapper: Some(w), .. } => {
                let w = lit(w);
                quote! {
                    if let ::std::option::Option::Some(value) = &self.#id {
                        map.serialize_entry(#json, &crate::__private::Wrapped(#w, value))?;
                    }
                }
            }
            _ => quote! {
                if let ::std::option::Option::Some(value) = &self.#id {
                    map.serialize_entry(#json, value)?;
                }
            },
        }
    });
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::default::Default, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl crate::__private::DecodeFields for #name {
            const NAME: &'static str = #struct_name;
            fn field<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> ::std::result::Result<(), A::Error> {
                match key {
                    #(#arms)*
                    _ => crate::__private::skip_value(map)?,
                }
                ::std::result::Result::Ok(())
            }
        }

        crate::__private::decode_via_fields!(#name);

        #[cfg(feature = "serialize")]
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                #(#ser)*
                map.end()
            }
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

pub(super) fn emit_enum(e: &EnumDef) -> TokenStream {
    let name = ident(&e.name);
    let doc = doc_attrs(&e.doc);
    let variants = e.variants.iter().map(|v| {
        let id = ident(&v.ident);
        let doc = doc_attrs(&v.doc);
        quote! { #doc #id, }
    });
    let to_str = e.variants.iter().map(|v| {
        let id = ident(&v.ident);
        let value = lit(&v.value);
        quote! { Self::#id => #value, }
    });
    let from_str = e.variants.iter().map(|v| {
        let id = ident(&v.ident);
        let value = lit(&v.value);
        quote! { #value => Self::#id, }
    });
    let values = e.variants.iter().map(|v| lit(&v.value));
    let kind = if e.integer { "integer-coded" } else { "string-coded" };
    let values_doc = format!(" Every documented wire value ({kind}), in the reference's order.");
    let from_ints = if e.integer {
        quote! {
            impl ::std::convert::From<i32> for #name {
                fn from(value: i32) -> Self {
                    Self::from(value.to_string().as_str())
                }
            }

            impl ::std::convert::From<i64> for #name {
                fn from(value: i64) -> Self {
                    Self::from(value.to_string().as_str())
                }
            }
        }
    } else {
        quote!()
    };
    let user_types = if e.groups.is_empty() {
        quote!()
    } else {
        let arms = e.variants.iter().zip(&e.groups).map(|(v, g)| {
            let id = ident(&v.ident);
            let group = if g == "individual" {
                quote!(UserType::Individual)
            } else {
                quote!(UserType::Organization)
            };
            quote! { Self::#id => ::std::option::Option::Some(#group), }
        });
        quote! {
            impl #name {
                /// Whether the credential belongs to an individual or an organization (appendix §6.3);
                /// `None` for an unknown value.
                pub fn user_type(&self) -> ::std::option::Option<UserType> {
                    match self {
                        #(#arms)*
                        Self::Unknown(_) => ::std::option::Option::None,
                    }
                }
            }

            /// Who a credential type is for (appendix §6.3's 用户类型).
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
            pub enum UserType {
                /// An individual (the reference: 个人).
                Individual,
                /// An enterprise or organization (the reference: 企业/组织).
                Organization,
            }
        }
    };
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value the reference does not document, kept as received. Match it with `_` (or read it with
            /// `as_str()`): it cannot be built, so a value documented later never silently changes what an arm
            /// of yours means.
            Unknown(crate::UnknownValue),
        }

        impl #name {
            #[doc = #values_doc]
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Unknown(crate::UnknownValue::new(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #from_ints

        crate::__private::wire_enum!(#name);

        #user_types
    }
}
