//! The per-action Cargo features: the feature list of the SDK's manifest, the feature-gated module list, the
//! hints a call of a disabled action compiles to, and the client-wide defaults' builder methods.

use quote::quote;

use super::{doc_attrs, format_file, ident, lit, GeneratedFile, Target};
use crate::model::Model;

/// `operation/mod.rs`: one module per action, each behind its feature.
pub(super) fn operation_modules(model: &Model) -> Result<GeneratedFile, String> {
    let ops_mods = model.operations.iter().map(|op| {
        let m = ident(&op.names.module);
        // The module's own doc (its first line the English summary) is what rustdoc shows, here and in lists.
        let feature = lit(&op.names.feature);
        quote! {
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            pub mod #m;
        }
    });
    format_file(
        Target::Sdk,
        "operation/mod.rs",
        "One module per API action: its fluent builder, input, output, nested structures and enums.",
        quote! { #(#ops_mods)* },
    )
}

/// `client_defaults.rs`: a `ClientBuilder::default_…` method per client default.
pub(super) fn client_defaults(model: &Model) -> Result<GeneratedFile, String> {
    let setters = model.client_defaults.iter().map(|d| {
        let method = ident(&d.method);
        let name = lit(&d.wire);
        let doc = doc_attrs(&format!(
            "Sends `{}` with this value on every call of an action that takes it, unless the call sets its own.\n\n{}",
            d.wire, d.description
        ));
        quote! {
            #doc
            pub fn #method(self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.default_parameter(#name, value)
            }
        }
    });
    format_file(
        Target::Sdk,
        "client_defaults.rs",
        "Client-wide defaults for the parameters `api-spec/client_defaults.yaml` lists.",
        quote! {
            impl crate::ClientBuilder {
                #(#setters)*
            }
        },
    )
}

/// For every action whose feature is off, a `Client` method of its name that cannot be called: its bound is a
/// trait of the action's own that nothing implements, whose `#[diagnostic::on_unimplemented]` message names the
/// feature to enable, so the call fails to compile with that message instead of a bare "no method named …".
/// The method returns the bound's associated type, which stays unknown when the bound fails, so a chained setter
/// (`client.x().domain_name(…)`) adds no second error.
pub(super) fn feature_hints(model: &Model) -> Result<GeneratedFile, String> {
    let items = model.operations.iter().map(|op| {
        let feature = &op.names.feature;
        let method = ident(&op.names.module);
        let feature_lit = lit(feature);
        let hint = ident(&op.names.hint_trait);
        let message = lit(&format!(
            "`Client::{feature}` needs the Cargo feature `{feature}` of domain-sdk, which is off"
        ));
        let label = lit(&format!("the action `{}` is not compiled in", op.action));
        let note = lit(&format!(
            "add \"{feature}\" to the features of your domain-sdk dependency in Cargo.toml (with \
             default-features = false: features = [\"rustls\", \"{feature}\"]), or keep the default features \
             (`all-actions`)"
        ));
        let doc = format!(" Implemented by nothing: the bound of `Client::{feature}` without its feature.");
        quote! {
            #[cfg(not(feature = #feature_lit))]
            #[doc = #doc]
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            pub trait #hint<'a> {
                /// What the call would return (never: nothing implements the trait).
                type Builder;
                /// Never called.
                fn never() -> Self::Builder;
            }
            #[cfg(not(feature = #feature_lit))]
            impl crate::Client {
                /// Not compiled in: the action's Cargo feature is off.
                #[doc(hidden)]
                pub fn #method<'a, B>(&self) -> B
                where
                    Off: #hint<'a, Builder = B>,
                {
                    <Off as #hint<'a>>::never()
                }
            }
        }
    });
    format_file(
        Target::Sdk,
        "feature_hints.rs",
        "What a call of an action whose Cargo feature is off says: `Client::<action>()` exists but cannot be\n\
         called, and the compiler's message names the feature to enable.",
        quote! {
            /// The type of the bounds below; uninhabited.
            #[allow(dead_code)]
            pub enum Off {}
            #(#items)*
        },
    )
}

/// The per-action Cargo features of the SDK's manifest: one per action, named as its module, and
/// `all-actions` enabling every one (a default feature).
pub(super) fn cargo_features(model: &Model) -> GeneratedFile {
    let names: Vec<&str> = model.operations.iter().map(|op| op.names.feature.as_str()).collect();
    let mut region = String::from("all-actions = [\n");
    for name in &names {
        region.push_str(&format!("    \"{name}\",\n"));
    }
    region.push_str("]\n");
    for (op, name) in model.operations.iter().zip(&names) {
        region.push_str(&format!("# `{}` ({})\n{name} = []\n", op.action, op.cite));
    }
    GeneratedFile {
        target: Target::SdkFeatures,
        path: "features.toml".to_owned(),
        contents: region,
    }
}
