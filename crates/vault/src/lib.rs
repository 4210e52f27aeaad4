//! spinewise's encryption at rest: pure cryptography, no I/O but the OS random source.
//!
//! Each account has one random [`DataKey`]. Whatever must stay private (journal entries) is
//! sealed under it with XChaCha20-Poly1305 ([`DataKey::seal`]), so the database holds only
//! ciphertext. The data key itself is stored only *wrapped*, encrypted under a key derived
//! from a secret the server does not keep:
//!
//! - the account's password ([`wrap_with_password`], Argon2id),
//! - the recovery code shown once at sign-up ([`wrap_with_recovery_code`], Argon2id),
//! - a session cookie's or API token's random value ([`wrap_with_token`], HKDF-SHA256: fast,
//!   because it runs on every request, and safe, because such tokens have 256 bits of
//!   entropy).
//!
//! A copy of the database therefore opens no journal: it needs one of those secrets too.
//!
//! # Formats
//!
//! Every output starts with a format version byte, so that the algorithms and parameters can
//! change later while old data stays readable.
//!
//! A sealed value is `version (1) || nonce (24) || ciphertext || tag (16)`, version 1. The
//! nonce is random (192 bits, so random nonces never collide in practice). The version byte
//! and the caller's associated data are both authenticated.
//!
//! A wrapped key is `version (1) || kind of secret (1) || KDF id (1) || KDF parameters ||
//! salt length (1) || salt || nonce (24) || encrypted key (32) || tag (16)`, version 1, with
//! everything before the nonce authenticated as associated data:
//!
//! | kind | KDF | parameters | salt | total |
//! | --- | --- | --- | --- | --- |
//! | `1` password, `2` recovery code | `1` Argon2id v0x13 | memory KiB, passes, lanes (3 × u32 BE) | 16 | 104 bytes |
//! | `3` token | `2` HKDF-SHA256 | none | 16 | 92 bytes |
//!
//! Keys and key-encryption keys are zeroed when dropped; no error message carries a secret.

mod error;
mod key;
mod recovery;
mod wrap;

pub use error::{RecoveryCodeError, SecretKind, VaultError};
pub use key::{DataKey, KEY_LEN, SEAL_OVERHEAD};
pub use recovery::{RecoveryCode, recovery_code};
pub use wrap::{
    unwrap_with_password, unwrap_with_recovery_code, unwrap_with_token, wrap_with_password,
    wrap_with_recovery_code, wrap_with_token, wrapped_kind,
};
