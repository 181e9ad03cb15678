//! The opaque value an enum's `Unknown` (or an error-code enum's `Unhandled`) variant keeps: readable, not
//! constructible outside this crate, so a user's match arm cannot depend on a value that a later release documents.

use std::fmt;

/// A value the service sent that the spec does not document, kept as received. Read it with [`as_str`]; it cannot
/// be built outside this crate, so match `Unknown(_)` / `Unhandled(_)` with `_`.
///
/// [`as_str`]: UnknownValue::as_str
///
/// ```
/// use domain_sdk::operation::check_domain::Avail;
/// match Avail::from("42") {
///     Avail::Available => {}
///     Avail::Unknown(value) => assert_eq!(value.as_str(), "42"),
///     _ => {}
/// }
/// ```
///
/// ```compile_fail
/// // Not constructible outside the crate:
/// let value = domain_sdk::UnknownValue::new("42");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    pub(crate) fn new(value: &str) -> Self {
        UnknownValue(value.into())
    }

    /// The value as it came on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
