//! Wrapping a data key under a password, a recovery code or a token.
//!
//! A key-encryption key (KEK) is derived from the secret and a random salt, and encrypts the
//! data key with XChaCha20-Poly1305. The result is self-describing, so that the KDF or its
//! parameters can change later and old blobs still unwrap:
//!
//! | bytes | what |
//! | --- | --- |
//! | 1 | format version, `1` |
//! | 1 | the kind of secret: `1` password, `2` recovery code, `3` token |
//! | 1 | the KDF: `1` Argon2id (version 0x13), `2` HKDF-SHA256 |
//! | 12 or 0 | Argon2id: memory (KiB), passes, lanes, each a big-endian `u32`; HKDF: nothing |
//! | 1 | the salt's length, `16` |
//! | 16 | the salt |
//! | 24 | the nonce |
//! | 48 | the encrypted data key (32) and its tag (16) |
//!
//! Everything before the nonce is authenticated as associated data, so a changed parameter
//! or kind is refused like a wrong secret. Passwords and recovery codes go through Argon2id
//! with the OWASP parameters (19 MiB, 2 passes, 1 lane: the argon2 crate's defaults). Tokens
//! are random 256-bit values checked on every request, so they get HKDF-SHA256, which costs
//! microseconds; a guess at one is a guess at 256 random bits, which no KDF cost would
//! improve on.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::XNonce;
use chacha20poly1305::aead::{Aead, Payload};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{SecretKind, VaultError};
use crate::key::{DataKey, KEY_LEN, NONCE_LEN, TAG_LEN, cipher, fill_random};
use crate::recovery::RecoveryCode;

/// The format version of a wrapped key.
const WRAPPED_V1: u8 = 1;

/// The length of a fresh salt, in bytes.
const SALT_LEN: usize = 16;

/// The shortest token [`wrap_with_token`] accepts, in bytes (128 bits; spinewise's tokens
/// have 256).
const MIN_TOKEN_LEN: usize = 16;

/// What HKDF binds a token-derived key to, so that the same token used elsewhere derives a
/// different key.
const TOKEN_KEK_INFO: &[u8] = b"spinewise-vault v1 token key-encryption key";

/// The largest Argon2id parameters an unwrap accepts. A blob asks for its own parameters,
/// and a damaged one must not make the server allocate terabytes or spin for hours.
const MAX_ARGON2_M_COST: u32 = 1024 * 1024; // 1 GiB
const MAX_ARGON2_T_COST: u32 = 64;
const MAX_ARGON2_P_COST: u32 = 16;

const KIND_PASSWORD: u8 = 1;
const KIND_RECOVERY_CODE: u8 = 2;
const KIND_TOKEN: u8 = 3;

const KDF_ARGON2ID: u8 = 1;
const KDF_HKDF_SHA256: u8 = 2;

/// A key-derivation function and its parameters, as a blob records them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kdf {
    Argon2id {
        m_cost: u32,
        t_cost: u32,
        p_cost: u32,
    },
    HkdfSha256,
}

impl Kdf {
    /// Argon2id with the OWASP parameters, which are the argon2 crate's defaults.
    const ARGON2ID_DEFAULT: Kdf = Kdf::Argon2id {
        m_cost: Params::DEFAULT_M_COST,
        t_cost: Params::DEFAULT_T_COST,
        p_cost: Params::DEFAULT_P_COST,
    };

    /// Derives the key-encryption key from `secret` and `salt`.
    fn derive(self, secret: &[u8], salt: &[u8]) -> Result<Zeroizing<[u8; KEY_LEN]>, VaultError> {
        let mut kek = Zeroizing::new([0; KEY_LEN]);
        match self {
            Kdf::Argon2id {
                m_cost,
                t_cost,
                p_cost,
            } => {
                let params = Params::new(m_cost, t_cost, p_cost, Some(KEY_LEN))
                    .map_err(|_| VaultError::Kdf)?;
                Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                    .hash_password_into(secret, salt, kek.as_mut_slice())
                    .map_err(|_| VaultError::Kdf)?;
            }
            Kdf::HkdfSha256 => {
                Hkdf::<Sha256>::new(Some(salt), secret)
                    .expand(TOKEN_KEK_INFO, kek.as_mut_slice())
                    .map_err(|_| VaultError::Kdf)?;
            }
        }
        Ok(kek)
    }

    fn write(self, out: &mut Vec<u8>) {
        match self {
            Kdf::Argon2id {
                m_cost,
                t_cost,
                p_cost,
            } => {
                out.push(KDF_ARGON2ID);
                out.extend_from_slice(&m_cost.to_be_bytes());
                out.extend_from_slice(&t_cost.to_be_bytes());
                out.extend_from_slice(&p_cost.to_be_bytes());
            }
            Kdf::HkdfSha256 => out.push(KDF_HKDF_SHA256),
        }
    }

    fn read(reader: &mut Reader<'_>) -> Result<Kdf, VaultError> {
        match reader.byte()? {
            KDF_ARGON2ID => {
                let m_cost = reader.u32()?;
                let t_cost = reader.u32()?;
                let p_cost = reader.u32()?;
                let in_range = m_cost <= MAX_ARGON2_M_COST
                    && (1..=MAX_ARGON2_T_COST).contains(&t_cost)
                    && (1..=MAX_ARGON2_P_COST).contains(&p_cost)
                    && Params::new(m_cost, t_cost, p_cost, Some(KEY_LEN)).is_ok();
                if !in_range {
                    return Err(VaultError::Corrupt {
                        what: "key-derivation parameters out of range",
                    });
                }
                Ok(Kdf::Argon2id {
                    m_cost,
                    t_cost,
                    p_cost,
                })
            }
            KDF_HKDF_SHA256 => Ok(Kdf::HkdfSha256),
            _ => Err(VaultError::Corrupt {
                what: "unknown key-derivation function",
            }),
        }
    }
}

fn kind_byte(kind: SecretKind) -> u8 {
    match kind {
        SecretKind::Password => KIND_PASSWORD,
        SecretKind::RecoveryCode => KIND_RECOVERY_CODE,
        SecretKind::Token => KIND_TOKEN,
    }
}

fn kind_of_byte(byte: u8) -> Result<SecretKind, VaultError> {
    match byte {
        KIND_PASSWORD => Ok(SecretKind::Password),
        KIND_RECOVERY_CODE => Ok(SecretKind::RecoveryCode),
        KIND_TOKEN => Ok(SecretKind::Token),
        _ => Err(VaultError::Corrupt {
            what: "unknown kind of secret",
        }),
    }
}

/// Reads a blob front to back, refusing to run past its end.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], VaultError> {
        if self.rest.len() < n {
            return Err(VaultError::Corrupt { what: "too short" });
        }
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(taken)
    }

    fn byte(&mut self) -> Result<u8, VaultError> {
        let taken = self.take(1)?;
        taken
            .first()
            .copied()
            .ok_or(VaultError::Corrupt { what: "too short" })
    }

    fn u32(&mut self) -> Result<u32, VaultError> {
        let taken = self.take(4)?;
        let bytes: [u8; 4] = taken
            .try_into()
            .map_err(|_| VaultError::Corrupt { what: "too short" })?;
        Ok(u32::from_be_bytes(bytes))
    }
}

/// The parts of a wrapped key.
struct Parsed<'a> {
    kind: SecretKind,
    kdf: Kdf,
    salt: &'a [u8],
    /// Everything before the nonce: the associated data.
    header: &'a [u8],
    nonce: &'a XNonce,
    wrapped: &'a [u8],
}

fn parse(blob: &[u8]) -> Result<Parsed<'_>, VaultError> {
    let mut reader = Reader { rest: blob };
    if reader.byte()? != WRAPPED_V1 {
        return Err(VaultError::Corrupt {
            what: "unknown format version",
        });
    }
    let kind = kind_of_byte(reader.byte()?)?;
    let kdf = Kdf::read(&mut reader)?;
    let salt_len = usize::from(reader.byte()?);
    if salt_len < argon2::MIN_SALT_LEN {
        return Err(VaultError::Corrupt {
            what: "salt too short",
        });
    }
    let salt = reader.take(salt_len)?;
    let header_len = blob.len() - reader.rest.len();
    let header = blob
        .get(..header_len)
        .ok_or(VaultError::Corrupt { what: "too short" })?;
    let nonce = <&XNonce>::try_from(reader.take(NONCE_LEN)?)
        .map_err(|_| VaultError::Corrupt { what: "too short" })?;
    let wrapped = reader.take(KEY_LEN + TAG_LEN)?;
    if !reader.rest.is_empty() {
        return Err(VaultError::Corrupt {
            what: "trailing bytes",
        });
    }
    Ok(Parsed {
        kind,
        kdf,
        salt,
        header,
        nonce,
        wrapped,
    })
}

fn wrap(key: &DataKey, kind: SecretKind, kdf: Kdf, secret: &[u8]) -> Result<Vec<u8>, VaultError> {
    let mut salt = [0; SALT_LEN];
    fill_random(&mut salt)?;
    let mut nonce = [0; NONCE_LEN];
    fill_random(&mut nonce)?;

    let mut blob = vec![WRAPPED_V1, kind_byte(kind)];
    kdf.write(&mut blob);
    blob.push(SALT_LEN as u8);
    blob.extend_from_slice(&salt);

    let kek = kdf.derive(secret, &salt)?;
    let wrapped = cipher(&kek)
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: key.as_bytes(),
                aad: &blob,
            },
        )
        .map_err(|_| VaultError::TooLarge)?;
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&wrapped);
    Ok(blob)
}

fn unwrap(blob: &[u8], expected: SecretKind, secret: &[u8]) -> Result<DataKey, VaultError> {
    let parsed = parse(blob)?;
    if parsed.kind != expected {
        return Err(VaultError::WrongKind {
            expected,
            found: parsed.kind,
        });
    }
    let kek = parsed.kdf.derive(secret, parsed.salt)?;
    let opened = Zeroizing::new(
        cipher(&kek)
            .decrypt(
                parsed.nonce,
                Payload {
                    msg: parsed.wrapped,
                    aad: parsed.header,
                },
            )
            .map_err(|_| VaultError::WrongSecret { kind: expected })?,
    );
    let mut bytes: Zeroizing<[u8; KEY_LEN]> = Zeroizing::new(
        opened
            .as_slice()
            .try_into()
            .map_err(|_| VaultError::Corrupt {
                what: "wrong key length",
            })?,
    );
    Ok(DataKey::from_bytes(&mut bytes))
}

/// Which kind of secret `blob` is wrapped under, read from its header without unwrapping it.
///
/// # Errors
///
/// [`VaultError::Corrupt`] if `blob` is not a wrapped key this version can read.
pub fn wrapped_kind(blob: &[u8]) -> Result<SecretKind, VaultError> {
    parse(blob).map(|parsed| parsed.kind)
}

/// Wraps `key` under the account's password (Argon2id with a fresh random salt).
///
/// The password is used exactly as given, as the password hash uses it: the same text that
/// signs in unwraps.
///
/// # Errors
///
/// [`VaultError::Random`] if the random source fails; [`VaultError::Kdf`] if Argon2 refuses
/// the password (longer than 4 GiB).
pub fn wrap_with_password(key: &DataKey, password: &str) -> Result<Vec<u8>, VaultError> {
    wrap(
        key,
        SecretKind::Password,
        Kdf::ARGON2ID_DEFAULT,
        password.as_bytes(),
    )
}

/// The data key that [`wrap_with_password`] wrapped under `password`.
///
/// # Errors
///
/// [`VaultError::WrongSecret`] if the password is not the one it was wrapped under (or the
/// blob was altered); [`VaultError::WrongKind`] if the blob is wrapped under another kind of
/// secret; [`VaultError::Corrupt`] if it is not a wrapped key this version can read.
pub fn unwrap_with_password(blob: &[u8], password: &str) -> Result<DataKey, VaultError> {
    unwrap(blob, SecretKind::Password, password.as_bytes())
}

/// Wraps `key` under a recovery code (Argon2id with a fresh random salt).
///
/// # Errors
///
/// [`VaultError::Random`] if the random source fails.
pub fn wrap_with_recovery_code(key: &DataKey, code: &RecoveryCode) -> Result<Vec<u8>, VaultError> {
    wrap(
        key,
        SecretKind::RecoveryCode,
        Kdf::ARGON2ID_DEFAULT,
        code.kdf_input(),
    )
}

/// The data key that [`wrap_with_recovery_code`] wrapped under `code`.
///
/// # Errors
///
/// As [`unwrap_with_password`], with [`VaultError::WrongSecret`] for another code.
pub fn unwrap_with_recovery_code(blob: &[u8], code: &RecoveryCode) -> Result<DataKey, VaultError> {
    unwrap(blob, SecretKind::RecoveryCode, code.kdf_input())
}

/// Wraps `key` under a high-entropy random token (a session cookie's or an API token's
/// value, 256 bits), with HKDF-SHA256 and a fresh random salt: fast enough for every request.
/// Never use it for a secret a person chose or can type.
///
/// # Errors
///
/// [`VaultError::TokenTooShort`] if `token` has fewer than 16 bytes; [`VaultError::Random`]
/// if the random source fails.
pub fn wrap_with_token(key: &DataKey, token: &[u8]) -> Result<Vec<u8>, VaultError> {
    check_token(token)?;
    wrap(key, SecretKind::Token, Kdf::HkdfSha256, token)
}

/// The data key that [`wrap_with_token`] wrapped under `token`.
///
/// # Errors
///
/// As [`unwrap_with_password`], with [`VaultError::WrongSecret`] for another token and
/// [`VaultError::TokenTooShort`] for a token that could not have wrapped anything.
pub fn unwrap_with_token(blob: &[u8], token: &[u8]) -> Result<DataKey, VaultError> {
    check_token(token)?;
    unwrap(blob, SecretKind::Token, token)
}

fn check_token(token: &[u8]) -> Result<(), VaultError> {
    if token.len() < MIN_TOKEN_LEN {
        return Err(VaultError::TokenTooShort { min: MIN_TOKEN_LEN });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recovery_code;

    /// Whether two keys are the same key, by what one seals and the other opens.
    fn same_key(a: &DataKey, b: &DataKey) -> bool {
        let sealed = a.seal(b"check", b"same key?").expect("seal");
        b.open(b"check", &sealed).is_ok()
    }

    const TOKEN: [u8; 32] = [7; 32];

    #[test]
    fn a_password_wrapped_key_unwraps_with_that_password_only() {
        let key = DataKey::generate().expect("generate");
        let blob = wrap_with_password(&key, "correct horse battery staple").expect("wrap");
        assert_eq!(
            blob.len(),
            3 + 12 + 1 + SALT_LEN + NONCE_LEN + KEY_LEN + TAG_LEN
        );
        assert_eq!(blob.get(..3), Some(&[1, 1, 1][..]));
        // 19 MiB, 2 passes, 1 lane.
        assert_eq!(
            blob.get(3..15),
            Some(&[0, 0, 0x4c, 0, 0, 0, 0, 2, 0, 0, 0, 1][..])
        );
        let back = unwrap_with_password(&blob, "correct horse battery staple").expect("unwrap");
        assert!(same_key(&key, &back));

        for wrong in [
            "correct horse battery stapl",
            "Correct horse battery staple",
            "",
        ] {
            let error = unwrap_with_password(&blob, wrong).expect_err("wrong password");
            assert!(
                matches!(
                    error,
                    VaultError::WrongSecret {
                        kind: SecretKind::Password
                    }
                ),
                "{error:?}"
            );
            assert_eq!(error.to_string(), "the password does not unlock this key");
        }
    }

    #[test]
    fn a_recovery_code_wrapped_key_unwraps_with_that_code_only() {
        let key = DataKey::generate().expect("generate");
        let code = recovery_code().expect("code");
        let blob = wrap_with_recovery_code(&key, &code).expect("wrap");
        assert_eq!(blob.get(..3), Some(&[1, 2, 1][..]));
        // As the person types it back, in lower case with spaces.
        let typed = code.to_string().to_lowercase().replace('-', " ");
        let parsed = RecoveryCode::parse(&typed).expect("parse");
        let back = unwrap_with_recovery_code(&blob, &parsed).expect("unwrap");
        assert!(same_key(&key, &back));

        let other = recovery_code().expect("code");
        let error = unwrap_with_recovery_code(&blob, &other).expect_err("another code");
        assert!(
            matches!(
                error,
                VaultError::WrongSecret {
                    kind: SecretKind::RecoveryCode
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn a_token_wrapped_key_unwraps_with_that_token_only() {
        let key = DataKey::generate().expect("generate");
        let blob = wrap_with_token(&key, &TOKEN).expect("wrap");
        assert_eq!(blob.len(), 3 + 1 + SALT_LEN + NONCE_LEN + KEY_LEN + TAG_LEN);
        assert_eq!(blob.get(..3), Some(&[1, 3, 2][..]));
        let back = unwrap_with_token(&blob, &TOKEN).expect("unwrap");
        assert!(same_key(&key, &back));

        let mut other = TOKEN;
        other[31] ^= 1;
        let error = unwrap_with_token(&blob, &other).expect_err("another token");
        assert!(
            matches!(
                error,
                VaultError::WrongSecret {
                    kind: SecretKind::Token
                }
            ),
            "{error:?}"
        );
        // A token-wrapped key opens with the same token as text too, if that is what the
        // caller passes both times.
        let text_token = b"Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5";
        let blob = wrap_with_token(&key, text_token).expect("wrap");
        assert!(same_key(
            &key,
            &unwrap_with_token(&blob, text_token).expect("unwrap")
        ));
    }

    #[test]
    fn short_tokens_are_refused() {
        let key = DataKey::generate().expect("generate");
        let error = wrap_with_token(&key, b"short").expect_err("too short");
        assert!(
            matches!(error, VaultError::TokenTooShort { min: 16 }),
            "{error:?}"
        );
        let blob = wrap_with_token(&key, &TOKEN).expect("wrap");
        assert!(matches!(
            unwrap_with_token(&blob, b""),
            Err(VaultError::TokenTooShort { .. })
        ));
    }

    #[test]
    fn wrapping_twice_gives_different_salts_and_nonces() {
        let key = DataKey::generate().expect("generate");
        let first = wrap_with_token(&key, &TOKEN).expect("wrap");
        let second = wrap_with_token(&key, &TOKEN).expect("wrap");
        assert_ne!(first, second);
        assert_ne!(first.get(4..20), second.get(4..20), "the salts differ");
    }

    #[test]
    fn a_blob_of_another_kind_is_refused_by_name() {
        let key = DataKey::generate().expect("generate");
        let blob = wrap_with_token(&key, &TOKEN).expect("wrap");
        assert_eq!(wrapped_kind(&blob).expect("kind"), SecretKind::Token);
        let error = unwrap_with_password(&blob, "whatever").expect_err("a token blob");
        assert!(
            matches!(
                error,
                VaultError::WrongKind {
                    expected: SecretKind::Password,
                    found: SecretKind::Token
                }
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "this key is wrapped under a token, not a password"
        );
    }

    #[test]
    fn changing_any_byte_of_a_wrapped_key_is_refused() {
        let key = DataKey::generate().expect("generate");
        // Token blobs, because every changed byte costs a KDF run; the format is shared.
        let blob = wrap_with_token(&key, &TOKEN).expect("wrap");
        for index in 0..blob.len() {
            let mut tampered = blob.clone();
            if let Some(byte) = tampered.get_mut(index) {
                *byte ^= 0x01;
            }
            assert!(
                unwrap_with_token(&tampered, &TOKEN).is_err(),
                "byte {index} changed"
            );
        }
    }

    #[test]
    fn changing_any_byte_of_a_password_wrapped_key_is_refused() {
        let key = DataKey::generate().expect("generate");
        let blob = wrap_with_password(&key, "pw").expect("wrap");
        // The header (parameters, salt), the nonce and the ciphertext, each at a few places.
        for index in [0, 1, 2, 3, 6, 10, 14, 15, 16, 31, 32, 40, 55, 56, 80, 103] {
            let mut tampered = blob.clone();
            if let Some(byte) = tampered.get_mut(index) {
                *byte ^= 0x01;
            }
            let error = unwrap_with_password(&tampered, "pw").expect_err("tampered");
            assert!(
                matches!(
                    error,
                    VaultError::WrongSecret { .. }
                        | VaultError::Corrupt { .. }
                        | VaultError::WrongKind { .. }
                ),
                "byte {index}: {error:?}"
            );
        }
    }

    #[test]
    fn truncated_extended_and_arbitrary_blobs_are_corrupt() {
        let key = DataKey::generate().expect("generate");
        let blob = wrap_with_token(&key, &TOKEN).expect("wrap");
        for len in 0..blob.len() {
            let error =
                unwrap_with_token(blob.get(..len).expect("prefix"), &TOKEN).expect_err("truncated");
            assert!(
                matches!(error, VaultError::Corrupt { .. }),
                "{len}: {error:?}"
            );
        }
        let mut longer = blob.clone();
        longer.push(0);
        assert!(matches!(
            unwrap_with_token(&longer, &TOKEN),
            Err(VaultError::Corrupt {
                what: "trailing bytes"
            })
        ));
        let mut future = blob.clone();
        if let Some(first) = future.first_mut() {
            *first = 2;
        }
        assert!(matches!(
            unwrap_with_token(&future, &TOKEN),
            Err(VaultError::Corrupt {
                what: "unknown format version"
            })
        ));
        for garbage in [&b""[..], &[1], &[1, 3], &[1, 3, 9], &[0xff; 200]] {
            assert!(matches!(
                unwrap_with_token(garbage, &TOKEN),
                Err(VaultError::Corrupt { .. })
            ));
        }
    }

    #[test]
    fn argon2_parameters_beyond_the_limits_are_refused_before_any_work() {
        let key = DataKey::generate().expect("generate");
        let blob = wrap_with_password(&key, "pw").expect("wrap");
        // Memory 4 TiB, passes 0, lanes 0: each alone is refused.
        for (at, value) in [(3, [0xff, 0xff, 0xff, 0xff]), (7, [0; 4]), (11, [0; 4])] {
            let mut bad = blob.clone();
            if let Some(field) = bad.get_mut(at..at + 4) {
                field.copy_from_slice(&value);
            }
            let error = unwrap_with_password(&bad, "pw").expect_err("out of range");
            assert!(
                matches!(error, VaultError::Corrupt { what } if what.contains("parameters")),
                "{error:?}"
            );
        }
    }

    #[test]
    fn errors_name_no_secret() {
        let key = DataKey::generate().expect("generate");
        let blob = wrap_with_password(&key, "hunter2").expect("wrap");
        let error = unwrap_with_password(&blob, "letmein").expect_err("wrong");
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains("hunter2"), "{shown}");
            assert!(!shown.contains("letmein"), "{shown}");
        }
    }
}
