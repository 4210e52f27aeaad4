//! The errors of the vault.
//!
//! Their messages reach logs and error pages, so they say what went wrong in general terms
//! only: never a key, a password, a recovery code, a token, a salt or a byte of the input.

use std::fmt;

/// Which secret a wrapped key is wrapped under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// The account's password ([`crate::wrap_with_password`]).
    Password,
    /// The recovery code shown once at sign-up ([`crate::wrap_with_recovery_code`]).
    RecoveryCode,
    /// A random session or API token ([`crate::wrap_with_token`]).
    Token,
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SecretKind::Password => "password",
            SecretKind::RecoveryCode => "recovery code",
            SecretKind::Token => "token",
        })
    }
}

/// What can go wrong in the vault.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The operating system's random source failed, so no key, salt or nonce could be drawn.
    #[error("the operating system's random source failed")]
    Random,

    /// A sealed value failed authentication: the wrong key, the wrong associated data, or
    /// bytes that were changed after sealing.
    #[error(
        "the value cannot be decrypted: it was sealed under another key or context, or altered"
    )]
    Undecryptable,

    /// The input is not a sealed value or wrapped key this version can read: too short, an
    /// unknown format version, an unknown key-derivation function or parameters out of range.
    #[error("the encrypted data is malformed or from a newer version: {what}")]
    Corrupt {
        /// What is wrong with its structure, e.g. `too short`.
        what: &'static str,
    },

    /// The password, recovery code or token does not unlock the wrapped key (or the wrapped
    /// key was altered: the two cannot be told apart).
    #[error("the {kind} does not unlock this key")]
    WrongSecret {
        /// What kind of secret was tried.
        kind: SecretKind,
    },

    /// The wrapped key is wrapped under another kind of secret than the one offered.
    #[error("this key is wrapped under a {found}, not a {expected}")]
    WrongKind {
        /// The kind of secret that was offered.
        expected: SecretKind,
        /// The kind the wrapped key says it needs.
        found: SecretKind,
    },

    /// A token too short to be a random token: token wrapping uses a fast key derivation
    /// that is only safe for high-entropy secrets.
    #[error("a token must have at least {min} bytes to wrap a key")]
    TokenTooShort {
        /// The fewest bytes accepted.
        min: usize,
    },

    /// The value is too large to seal.
    #[error("the value is too large to seal")]
    TooLarge,

    /// The key-derivation function refused its inputs (e.g. a password beyond its limits).
    #[error("the key could not be derived from the secret")]
    Kdf,

    /// A recovery code as typed could not be read.
    #[error(transparent)]
    RecoveryCode(#[from] RecoveryCodeError),
}

/// What is wrong with a recovery code as typed. The messages name positions and counts,
/// never the characters, which are part of a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecoveryCodeError {
    /// Nothing but spaces and dashes.
    #[error("the recovery code is empty")]
    Empty,

    /// A character that no recovery code contains.
    #[error(
        "character {position} of the recovery code is not one of its letters or digits \
         (codes use digits and the letters A to Z except U, with dashes or spaces between groups)"
    )]
    BadCharacter {
        /// Where it is in the text as typed, counting from 1.
        position: usize,
    },

    /// Too few or too many characters: a group is missing or one too many was typed.
    #[error(
        "a recovery code has {expected_groups} groups of {group_len} characters; this one has \
         {found} characters where {expected} were expected"
    )]
    WrongLength {
        /// How many letters and digits were typed (without spaces and dashes).
        found: usize,
        /// How many a code has.
        expected: usize,
        /// How many groups a code has.
        expected_groups: usize,
        /// How many characters each group has.
        group_len: usize,
    },

    /// Every character is valid but the check characters do not match the rest: a typo.
    #[error("the recovery code has a typo: its last characters do not match the others")]
    Typo,
}
