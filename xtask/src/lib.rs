//! The workspace's task runner as a library: where generated files go and how the tree is brought in line
//! with them (`files`), shared by the `cargo xtask` binary and the end-to-end tests that assemble a scratch SDK;
//! past revisions read from git (`history`, for `spec changes`).

pub mod files;
pub mod history;
