//! One action's module: its input and fluent builder, element structures, output, error codes, nested types
//! and paginator.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::errors::emit_action_error_codes;
use super::types::{emit_struct, emit_type_set};
use super::{doc_attrs, format_file, ident, lit, out_tokens, scalar_tokens, value_tokens, GeneratedFile, Target};
use crate::model::*;
use crate::naming;

pub(super) fn emit_operation(op: &Operation) -> Result<GeneratedFile, String> {
    let module_doc = format!(
        "{}\n\n`{}`, API version {}: {}; {}.{}",
        op.summary,
        op.action,
        op.version,
        links(op),
        op.cite,
        op.description
            .as_deref()
            .map(|d| format!("\n\n{d}"))
            .unwrap_or_default(),
    );
    let input = emit_input(op);
    let output = emit_struct(&op.output, false);
    let error_codes = emit_action_error_codes(op);
    let types = emit_type_set(&op.types, false);
    let input_structs = op.input_structs.iter().map(emit_input_struct);
    let reexports = op.shared_types.iter().map(|n| {
        let id = ident(n);
        quote! { pub use crate::types::#id; }
    });
    let tokens = quote! {
        #(#reexports)*
        #input
        #(#input_structs)*
        #output
        #error_codes
        #types
    };
    format_file(
        Target::Sdk,
        &format!("operation/{}.rs", op.names.module),
        &module_doc,
        tokens,
    )
}

/// The action's public pages as Markdown links (`[API Explorer](https://…)`), or a plain mention when the spec
/// lists none.
fn links(op: &Operation) -> String {
    if op.links.is_empty() {
        return "no public page listed".to_owned();
    }
    let links: Vec<String> = op.links.iter().map(|l| format!("[{}]({})", l.title, l.url)).collect();
    links.join(", ")
}

fn method_tokens(m: HttpMethod) -> TokenStream {
    match m {
        HttpMethod::Get => quote!(crate::__private::HttpMethod::Get),
        HttpMethod::Post => quote!(crate::__private::HttpMethod::Post),
    }
}

/// The Rust type stored for an input field (inside the `Option`).
fn input_field_type(f: &InputField) -> TokenStream {
    match &f.kind {
        InputKind::Scalar(v) => value_tokens(v),
        InputKind::List(v) => {
            let t = value_tokens(v);
            quote!(::std::vec::Vec<#t>)
        }
        InputKind::StructList(name) => {
            let id = ident(name);
            quote!(::std::vec::Vec<#id>)
        }
    }
}

/// The setter's argument type and how to turn it into the stored item.
fn setter_arg(v: &ValueType) -> (TokenStream, TokenStream) {
    match v {
        ValueType::Scalar(ScalarType::String) => (
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(input.into()),
        ),
        ValueType::Scalar(s) => (scalar_tokens(*s), quote!(input)),
        ValueType::Enum { .. } => {
            let ty = value_tokens(v);
            (quote!(impl ::std::convert::Into<#ty>), quote!(input.into()))
        }
    }
}

fn emit_input(op: &Operation) -> TokenStream {
    let input_name = ident(&op.names.input);
    let builder_name = ident(&op.names.builder);
    let output_name = ident(&op.names.output);
    let method = ident(&op.names.module);
    let action_lit = lit(&op.action);
    let version_lit = lit(&op.version);
    let methods = op.methods.iter().map(|m| method_tokens(*m));
    let idempotent = op.idempotent;

    let fields = op.input.iter().map(|f| {
        let id = ident(&f.ident);
        let ty = input_field_type(f);
        let doc = doc_attrs(&f.doc);
        quote! { #doc pub #id: ::std::option::Option<#ty>, }
    });

    // A page-number token left unset is sent as 1 (the first page), so a call without it is complete.
    let first_page = op.paging.as_ref().filter(|p| !p.scroll).map(|p| p.token.as_str());
    let writes = op.input.iter().map(|f| {
        let id = ident(&f.ident);
        let wire = lit(&f.wire);
        let required = f.required;
        match &f.kind {
            InputKind::Scalar(_) if first_page == Some(f.ident.as_str()) => quote! {
                request.scalar(#wire, ::std::option::Option::Some(&self.#id.unwrap_or(1)), #required)?;
            },
            InputKind::Scalar(_) => quote! { request.scalar(#wire, self.#id.as_ref(), #required)?; },
            InputKind::List(_) => quote! { request.list(#wire, self.#id.as_deref(), #required)?; },
            InputKind::StructList(_) => quote! { request.structs(#wire, self.#id.as_deref(), #required)?; },
        }
    });

    // The reverse, for mocks (feature `test-util`): each field read back from its wire name.
    let reads = op.input.iter().map(|f| {
        let id = ident(&f.ident);
        let wire = lit(&f.wire);
        match &f.kind {
            InputKind::Scalar(_) => quote! { #id: params.scalar(#wire)?, },
            InputKind::List(_) => quote! { #id: params.list(#wire)?, },
            InputKind::StructList(_) => quote! { #id: params.structs(#wire)?, },
        }
    });

    let setters = op.input.iter().map(|f| {
        let id = ident(&f.ident);
        let set = ident(f.set.as_deref().expect("a request field has a set_ method"));
        let get = ident(f.get.as_deref().expect("a request field has a get_ method"));
        let ty = input_field_type(f);
        let doc = doc_attrs(&f.doc);
        let set_doc = format!(" Sets or clears `{}`.", f.reference_name);
        let deprecated = deprecated_attr(f.deprecated, "parameter");
        let get_doc = format!(" The value of `{}` set so far.", f.reference_name);
        let adder = match &f.kind {
            InputKind::Scalar(v) => {
                let (arg, conv) = setter_arg(v);
                let json = f.json_setter.as_deref().map(|json_setter| {
                    let json_setter = ident(json_setter);
                    let json_doc = format!(
                        " Sets `{}` from a JSON value; the SDK sends it encoded as one string.",
                        f.reference_name
                    );
                    quote! {
                        #[doc = #json_doc]
                        #deprecated
                        pub fn #json_setter(mut self, input: ::serde_json::Value) -> Self {
                            self.input.#id = ::std::option::Option::Some(input.to_string());
                            self
                        }
                    }
                });
                quote! {
                    #doc
                    #deprecated
                    pub fn #id(mut self, input: #arg) -> Self {
                        self.input.#id = ::std::option::Option::Some(#conv);
                        self
                    }
                    #json
                }
            }
            InputKind::List(v) => {
                let (arg, conv) = setter_arg(v);
                quote! {
                    #doc
                    ///
                    /// Each call appends one item.
                    #deprecated
                    pub fn #id(mut self, input: #arg) -> Self {
                        self.input.#id.get_or_insert_with(::std::vec::Vec::new).push(#conv);
                        self
                    }
                }
            }
            InputKind::StructList(name) => {
                let s = ident(name);
                quote! {
                    #doc
                    #deprecated
                    pub fn #id(mut self, input: #s) -> Self {
                        self.input.#id.get_or_insert_with(::std::vec::Vec::new).push(input);
                        self
                    }
                }
            }
        };
        quote! {
            #adder
            #[doc = #set_doc]
            #deprecated
            pub fn #set(mut self, input: ::std::option::Option<#ty>) -> Self {
                self.input.#id = input;
                self
            }
            #[doc = #get_doc]
            #deprecated
            pub fn #get(&self) -> &::std::option::Option<#ty> {
                &self.input.#id
            }
        }
    });

    let paging = op
        .paging
        .as_ref()
        .map(|p| emit_paging(op, p, &builder_name, &output_name));
    let defaults = if op.defaults.is_empty() {
        quote!()
    } else {
        let names = op.defaults.iter().map(|d| lit(d));
        quote! { request.accept_defaults(&[#(#names),*]); }
    };
    let input_doc = format!(
        " The parameters of `{}`. Build it with [`{}`].",
        op.action, builder_name
    );
    let builder_doc = doc_attrs(&format!(
        "Builds and sends a `{}` request; get one from [`Client::{}`](crate::Client::{}).\n\n{}",
        op.action, op.names.module, op.names.feature, op.summary
    ));
    let client_doc = doc_attrs(&format!(
        "{}\n\n`{}`: {}; {}. Set parameters on the returned builder, then call `send()`; the module \
         [`operation::{}`](crate::operation::{}) has the details.\n\n\
         Needs the Cargo feature `{}` (on by default, through `all-actions`).",
        op.summary,
        op.action,
        links(op),
        op.cite,
        op.names.module,
        op.names.feature,
        op.names.feature
    ));
    let deprecated = deprecated_attr(op.deprecated, "action");
    let send = ident(naming::SEND);
    let as_input = ident(naming::AS_INPUT);
    let build = ident(naming::BUILD);
    let customize = ident(naming::CUSTOMIZE);
    let detached_doc = format!(
        " A builder for the parameters of `{}` alone, with no client: set them, then call `build()`. For tests \
         and mocks; to send, start from [`Client::{}`](crate::Client::{}).",
        op.action, op.names.module, op.names.feature
    );
    quote! {
        #[doc = #input_doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::default::Default, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub struct #input_name {
            #(#fields)*
        }

        impl #input_name {
            #[doc = #detached_doc]
            pub fn builder() -> #builder_name<()> {
                #builder_name {
                    client: (),
                    input: ::std::default::Default::default(),
                }
            }
        }

        impl crate::__private::BuildRequest for #input_name {
            fn build_request(&self) -> ::std::result::Result<crate::__private::OperationRequest, crate::Error> {
                let mut request = crate::__private::OperationRequest::new(
                    #action_lit, #version_lit, &[#(#methods),*], #idempotent, crate::types::GLOBAL_ERRORS,
                );
                #(#writes)*
                #defaults
                ::std::result::Result::Ok(request)
            }
        }

        #[cfg(feature = "test-util")]
        impl crate::__private::ReadRequest for #input_name {
            const ACTION: &'static str = #action_lit;
            fn read_request(
                params: &crate::__private::ParamReader<'_>,
            ) -> ::std::result::Result<Self, ::std::string::String> {
                ::std::result::Result::Ok(#input_name { #(#reads)* })
            }
        }

        #builder_doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        pub struct #builder_name<C = crate::Client> {
            client: C,
            input: #input_name,
        }

        impl<C> crate::__private::HasInput for #builder_name<C> {
            type Input = #input_name;
        }

        impl<C> #builder_name<C> {
            /// The input built so far.
            pub fn #as_input(&self) -> &#input_name {
                &self.input
            }

            #(#setters)*
        }

        impl #builder_name<()> {
            /// The input, with the parameters set so far (no check: a missing required parameter is reported by
            /// `send()`).
            pub fn #build(self) -> #input_name {
                self.input
            }
        }

        impl #builder_name {
            /// Overrides the client's configuration for this call only: timeouts, retries, headers, endpoint,
            /// credentials, signature version, interceptors ([`CallConfig`](crate::CallConfig)).
            pub fn #customize(mut self, configure: impl ::std::ops::FnOnce(crate::CallConfig) -> crate::CallConfig) -> Self {
                self.client = self.client.with_config(configure);
                self
            }

            /// Sends the request and decodes the response.
            ///
            /// # Errors
            /// A missing required parameter fails before anything is sent; see [`Error`](crate::Error) for the rest.
            pub async fn #send(self) -> ::std::result::Result<#output_name, crate::Error> {
                let request = crate::__private::BuildRequest::build_request(&self.input)?;
                self.client.execute(request).await
            }
        }

        impl crate::Sendable for #builder_name {
            type Output = #output_name;
            fn send_boxed(self) -> crate::SendFuture<#output_name> {
                ::std::boxed::Box::pin(self.#send())
            }
        }

        #paging

        impl crate::Client {
            #client_doc
            #deprecated
            pub fn #method(&self) -> #builder_name {
                #builder_name {
                    client: ::std::clone::Clone::clone(self),
                    input: ::std::default::Default::default(),
                }
            }
        }
    }
}

fn emit_paging(op: &Operation, p: &Paging, builder: &Ident, output: &Ident) -> TokenStream {
    let action_name = lit(&op.action);
    let token = ident(&p.token);
    let items = ident(&p.items);
    let item = out_tokens(&p.item, false);
    let opt = |name: &Option<String>| match name {
        Some(n) => {
            let id = ident(n);
            quote!(output.#id)
        }
        None => quote!(::std::option::Option::None),
    };
    let count = quote!(output.#items.as_ref().map_or(0, ::std::vec::Vec::len));
    let (token_ty, next) = if p.scroll {
        let out_token = opt(&p.output_token);
        (
            quote!(::std::string::String),
            quote!(crate::__private::next_scroll_id(self.input.#token.as_deref(), #out_token.as_deref(), #count)),
        )
    } else {
        let (more, total) = (opt(&p.more_results), opt(&p.total_pages));
        let size = match &p.page_size {
            Some(s) => {
                let id = ident(s);
                quote!(self.input.#id)
            }
            None => quote!(::std::option::Option::None),
        };
        (
            quote!(i32),
            quote!(crate::__private::next_page_number(self.input.#token, #more, #total, #count, #size)),
        )
    };
    let how = if p.scroll {
        format!("following the scroll id (`{}`)", p.token_wire)
    } else {
        "page by page (`PageNum`), from the page set on the builder (default 1)".to_owned()
    };
    let max = p
        .max_page_size
        .map(|m| format!("\n\nThe page size may be at most {m} (see [`MAX_PAGE_SIZE`])."))
        .unwrap_or_default();
    let doc = doc_attrs(&format!(
        "Pages through the results {how}: `.pages()` is a `Stream` of answers, `.items()` of the items in `{}`.{max}",
        p.items_json
    ));
    let (receiver, start) = if p.scroll {
        (quote!(self), quote!())
    } else {
        (quote!(mut self), quote!(self.input.#token.get_or_insert(1);))
    };
    let into_paginator = ident(naming::INTO_PAGINATOR);
    let max_const = p.max_page_size.map(|m| {
        let m = m as i32;
        quote! {
            /// The largest page size the reference allows for this action.
            pub const MAX_PAGE_SIZE: i32 = #m;
        }
    });
    quote! {
        impl crate::Paged for #builder {
            const ACTION: &'static str = #action_name;
            type Item = #item;
            type Token = #token_ty;
            fn with_token(mut self, token: #token_ty) -> Self {
                self.input.#token = ::std::option::Option::Some(token);
                self
            }
            fn next_token(&self, output: &#output) -> ::std::option::Option<#token_ty> {
                #next
            }
            fn items(output: &#output) -> &[#item] {
                output.#items.as_deref().unwrap_or(&[])
            }
            fn take_items(output: &mut #output) -> ::std::vec::Vec<#item> {
                output.#items.take().unwrap_or_default()
            }
        }

        impl #builder {
            #doc
            pub fn #into_paginator(#receiver) -> crate::Paginator<Self> {
                #start
                crate::Paginator::new(self)
            }
        }

        #max_const
    }
}

fn emit_input_struct(s: &InputStruct) -> TokenStream {
    let name = ident(&s.name);
    let doc = format!(
        " One item of the `{}.N.*` list: each field is sent as `{}.<n>.<Field>`.",
        s.wire, s.wire
    );
    let fields = s.fields.iter().map(|f| {
        let id = ident(&f.ident);
        let ty = input_field_type(f);
        let doc = doc_attrs(&f.doc);
        quote! { #doc pub #id: ::std::option::Option<#ty>, }
    });
    let setters = s.fields.iter().map(|f| {
        let id = ident(&f.ident);
        let InputKind::Scalar(v) = &f.kind else {
            unreachable!("structure fields are scalars")
        };
        let (arg, conv) = setter_arg(v);
        let doc = format!(" Sets `{}`.", f.reference_name);
        quote! {
            #[doc = #doc]
            pub fn #id(mut self, input: #arg) -> Self {
                self.#id = ::std::option::Option::Some(#conv);
                self
            }
        }
    });
    let writes = s.fields.iter().map(|f| {
        let id = ident(&f.ident);
        let wire = lit(&f.wire);
        let required = f.required;
        quote! { writer.field(#wire, self.#id.as_ref(), #required)?; }
    });
    let reads = s.fields.iter().map(|f| {
        let id = ident(&f.ident);
        let wire = lit(&f.wire);
        quote! { #id: item.field(#wire)?, }
    });
    quote! {
        #[doc = #doc]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::default::Default, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// An item with no field set.
            pub fn new() -> Self {
                ::std::default::Default::default()
            }
            #(#setters)*
        }

        impl crate::__private::WriteStruct for #name {
            fn write(&self, writer: &mut crate::__private::StructWriter<'_>) -> ::std::result::Result<(), crate::Error> {
                #(#writes)*
                ::std::result::Result::Ok(())
            }
        }

        #[cfg(feature = "test-util")]
        impl crate::__private::ReadStruct for #name {
            fn read(item: &crate::__private::ItemReader<'_, '_>) -> ::std::result::Result<Self, ::std::string::String> {
                ::std::result::Result::Ok(#name { #(#reads)* })
            }
        }
    }
}

/// `#[deprecated]` for what the service deprecates (the metadata's `deprecated`), else nothing.
fn deprecated_attr(deprecated: bool, what: &str) -> TokenStream {
    if !deprecated {
        return quote!();
    }
    let note = format!("the service deprecates this {what} (OpenAPI metadata: `deprecated`)");
    quote! { #[deprecated(note = #note)] }
}
