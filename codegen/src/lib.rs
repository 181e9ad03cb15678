//! The Domain API code generator: load → validate → model → emit (quote) → format (prettyplease).
//!
//! `cargo xtask codegen` drives it; [`generate`] is the whole pipeline in memory. The library returns the planned
//! files, each tagged with the tree it belongs to ([`Target`]); it holds no workspace paths and writes nothing.

pub mod changes;
pub mod diagnostics;
pub mod doc;
pub mod drift;
pub mod dump;
pub mod emit;
pub mod import;
pub mod load;
pub mod metadata;
pub mod model;
pub mod naming;
pub mod py_sdk;
mod raw;
pub mod spec;

use std::path::Path;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use emit::{GeneratedFile, Target};
pub use model::Model;
pub use spec::Spec;

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The spec breaks its format; every problem is listed.
    Spec(Diagnostics),
    /// The generator produced code that does not parse (a generator bug).
    Emit(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Spec(d) => write!(f, "{d}"),
            Error::Emit(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

/// Loads and validates the spec under `spec_root` (`api-spec/`).
pub fn load_spec(spec_root: &Path) -> Result<Spec, Error> {
    load::load(spec_root).map_err(Error::Spec)
}

/// Lowers an already-loaded spec to the model `emit` reads (every name made, every collision reported).
pub fn lower(spec: &Spec) -> Result<Model, Error> {
    model::lower(spec).map_err(Error::Spec)
}

/// The model as pretty JSON (`cargo xtask model dump`, and the committed snapshot that shows a reviewer a spec
/// change's effect on names before the generated code). Docs are left out: they are the spec's prose.
pub fn model_json(model: &Model) -> String {
    let mut json = serde_json::to_string_pretty(model).expect("the model serializes");
    json.push('\n');
    json
}

/// Generates every file from an already-loaded spec: the emitter's, and the model snapshot.
pub fn generate_from_spec(spec: &Spec) -> Result<Vec<GeneratedFile>, Error> {
    let model = lower(spec)?;
    let mut files = emit::emit(&model).map_err(Error::Emit)?;
    files.push(GeneratedFile {
        target: Target::Model,
        path: "model.json".to_owned(),
        contents: model_json(&model),
    });
    Ok(files)
}

/// The whole pipeline: the files `cargo xtask codegen` writes, each tagged with its tree.
pub fn generate(spec_root: &Path) -> Result<Vec<GeneratedFile>, Error> {
    generate_from_spec(&load_spec(spec_root)?)
}
