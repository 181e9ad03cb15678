//! The Domain API code generator: load → validate → model → emit (quote) → format (prettyplease).
//!
//! `cargo xtask codegen` drives it; [`generate`] is the whole pipeline in memory.

pub mod cases;
pub mod diagnostics;
pub mod doc;
pub mod dump;
pub mod emit;
pub mod load;
pub mod model;
pub mod naming;
mod raw;
pub mod spec;

use std::path::Path;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use emit::GeneratedFile;
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

/// Generates every file from an already-loaded spec.
pub fn generate_from_spec(spec: &Spec) -> Result<Vec<GeneratedFile>, Error> {
    let model = model::lower(spec).map_err(Error::Spec)?;
    emit::emit(&model).map_err(Error::Emit)
}

/// The whole pipeline: the files `cargo xtask codegen` writes, with paths relative to the workspace root.
pub fn generate(spec_root: &Path) -> Result<Vec<GeneratedFile>, Error> {
    generate_from_spec(&load_spec(spec_root)?)
}
