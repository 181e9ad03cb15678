//! The `types` module: the shared structures and enums, and the reference's appendices (§6) as data.

use proc_macro2::TokenStream;
use quote::quote;

use super::errors::emit_code_enum;
use super::types::emit_type_set;
use super::{doc_attrs, format_file, lit, GeneratedFile, Target};
use crate::model::{ErrorClass, Model};

/// `types/mod.rs`.
pub(super) fn types_module(model: &Model) -> Result<GeneratedFile, String> {
    let shared = emit_type_set(&model.shared, true);
    let appendix = emit_appendix(model);
    format_file(
        Target::Sdk,
        "types/mod.rs",
        "Structures and enums shared by several actions, and the reference's appendices (§6) as data.",
        quote! { #shared #appendix },
    )
}

/// §6.1's global errors, §6.2's name rules (and the check), and §6.3's user types.
fn emit_appendix(model: &Model) -> TokenStream {
    let errors = model.global_errors.iter().map(|e| {
        let (code, status, message, retryable) = (lit(&e.code), e.http_status, lit(&e.message), e.retryable);
        let description = lit(e.description_en.as_deref().unwrap_or_default());
        let description_zh = lit(e.description.as_deref().unwrap_or_default());
        let class = match e.class {
            ErrorClass::Server => quote!(crate::ErrorClass::Server),
            ErrorClass::Client => quote!(crate::ErrorClass::Client),
        };
        quote! { crate::ErrorInfo::new(#code, #status, #message, #description, #description_zh, #class, #retryable), }
    });
    let rules = model.name_rules.as_ref().map(|r| {
        let doc = doc_attrs(&format!(
            "Domain name validity rules (appendix §6.2):\n\n{}",
            crate::doc::Text::new(Some(&r.description), r.description_en.as_deref())
                .paragraphs()
                .join("\n\n")
        ));
        let (min, max, chars) = (r.min_length as usize, r.max_length as usize, lit(&r.ascii_chars));
        let (first, last, third) = (r.hyphen_not_first, r.hyphen_not_last, r.hyphen_not_third_and_fourth);
        let (ci, han, puny, reject) = (
            r.case_insensitive,
            r.chinese_requires_han,
            r.chinese_length_in_punycode,
            r.reject_punycode_input,
        );
        quote! {
            #doc
            pub static DOMAIN_NAME_RULES: crate::DomainNameRules = crate::DomainNameRules {
                min_length: #min,
                max_length: #max,
                ascii_chars: #chars,
                hyphen_not_first: #first,
                hyphen_not_last: #last,
                hyphen_not_third_and_fourth: #third,
                case_insensitive: #ci,
                chinese_requires_han: #han,
                chinese_length_in_punycode: #puny,
                reject_punycode_input: #reject,
            };

            /// Checks a domain name (`example.com`, `例子.中国`) against [`DOMAIN_NAME_RULES`] before sending it.
            ///
            /// # Errors
            /// The rule of §6.2 that the name breaks.
            pub fn validate_domain_name(name: &str) -> ::std::result::Result<(), crate::DomainNameError> {
                DOMAIN_NAME_RULES.check(name)
            }
        }
    });
    let codes = emit_code_enum(
        &model.global_error_codes,
        "The global error codes of appendix §6.1, for `match`; `GlobalErrorCode::of(&error)` gives a failed call's.",
        false,
    );
    let regions = model.endpoints.iter().map(|e| {
        let (id, host) = (lit(&e.region), lit(&e.host));
        quote! { crate::Region::new(#id, #host), }
    });
    let default_region = model.default_region.as_deref().unwrap_or_default();
    let default_host = model
        .endpoints
        .iter()
        .find(|e| e.region == default_region)
        .map(|e| format!("https://{}", e.host))
        .unwrap_or_default();
    let (default_region, default_host) = (lit(default_region), lit(&default_host));
    quote! {
        impl crate::Region {
            /// The regions with an endpoint of their own (the spec's `endpoints.yaml`, from the OpenAPI
            /// metadata); [`ClientBuilder::region`](crate::ClientBuilder::region) uses it for them, and the
            /// service's central host for every other region.
            pub const ALL: &'static [crate::Region] = &[ #(#regions)* ];

            /// The region named `id`, if it has an endpoint of its own.
            pub fn find(id: &str) -> ::std::option::Option<&'static crate::Region> {
                Self::ALL.iter().find(|r| r.id == id)
            }

            /// The region a client uses when it names none (empty when the spec names no endpoints).
            pub const DEFAULT_ID: &'static str = #default_region;

            /// The endpoint of [`DEFAULT_ID`](Self::DEFAULT_ID) (empty when the spec names no endpoints).
            pub const DEFAULT_ENDPOINT: &'static str = #default_host;
        }

        /// A builder for this service: its endpoints handed to the runtime.
        impl ::std::default::Default for crate::ClientBuilder {
            fn default() -> Self {
                crate::ClientBuilder::for_service(crate::__private::ServiceEndpoints {
                    regions: crate::Region::ALL,
                    default_region: crate::Region::DEFAULT_ID,
                })
            }
        }

        /// The global error codes of appendix §6.1, with their class and whether a retry may succeed.
        pub static GLOBAL_ERRORS: &[crate::ErrorInfo] = &[ #(#errors)* ];

        #codes

        #rules
    }
}
