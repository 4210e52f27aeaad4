//! The ids the store hands out.

use std::fmt;

/// A user's id: a random (v4) UUID in its hyphenated text form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(String);

impl UserId {
    /// A fresh random id.
    #[expect(
        clippy::new_without_default,
        reason = "a Default that returns a different random value on every call would surprise"
    )]
    pub fn new() -> UserId {
        UserId(uuid::Uuid::new_v4().to_string())
    }

    /// The id as text, as it is stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An id read back from elsewhere, e.g. a row or a request. It is not checked: an id that
/// names no user simply finds nothing.
impl From<String> for UserId {
    fn from(id: String) -> UserId {
        UserId(id)
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
