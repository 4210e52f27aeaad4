//! The data key: 32 random bytes that seal and open a user's private data with
//! XChaCha20-Poly1305, zeroed when dropped and never printed.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroize;

use crate::error::VaultError;

/// The length of a data key, in bytes.
pub const KEY_LEN: usize = 32;

/// The length of an XChaCha20-Poly1305 nonce, in bytes.
pub(crate) const NONCE_LEN: usize = 24;

/// The length of a Poly1305 tag, in bytes.
pub(crate) const TAG_LEN: usize = 16;

/// The format version of [`DataKey::seal`]'s output.
const SEALED_V1: u8 = 1;

/// How many bytes [`DataKey::seal`] adds to a plaintext: the version byte, the nonce and the
/// tag.
pub const SEAL_OVERHEAD: usize = 1 + NONCE_LEN + TAG_LEN;

/// A user's data key: 32 random bytes that seal and open their private data.
///
/// It is zeroed when dropped, prints as `DataKey(<redacted>)`, and is deliberately not
/// `Clone`, so that the key lives in as few places as possible. It leaves this crate only
/// wrapped ([`crate::wrap_with_password`] and friends).
pub struct DataKey {
    bytes: [u8; KEY_LEN],
}

impl DataKey {
    /// A fresh random key.
    ///
    /// # Errors
    ///
    /// [`VaultError::Random`] if the operating system's random source fails.
    pub fn generate() -> Result<DataKey, VaultError> {
        let mut key = DataKey {
            bytes: [0; KEY_LEN],
        };
        fill_random(&mut key.bytes)?;
        Ok(key)
    }

    /// A key from its bytes, which are zeroed in `bytes` after the copy.
    pub(crate) fn from_bytes(bytes: &mut [u8; KEY_LEN]) -> DataKey {
        let key = DataKey { bytes: *bytes };
        bytes.zeroize();
        key
    }

    /// The key's bytes, for wrapping.
    pub(crate) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    /// A pseudonym for `message` under this key: 16 bytes that reveal nothing of `message` to
    /// anyone without the key, and are the same each time. For ids that must be stable (one
    /// daily check-in per date) without showing what they stand for (the date).
    ///
    /// HKDF-SHA256 with the key as input keying material and `message` as its `info`, which is
    /// a pseudorandom function of `message`.
    pub fn pseudonym(&self, message: &[u8]) -> [u8; 16] {
        let kdf =
            hkdf::Hkdf::<sha2::Sha256>::new(Some(b"spinewise-vault v1 pseudonym"), &self.bytes);
        let mut out = [0; 16];
        // 16 bytes are far below HKDF-SHA256's limit of 8,160, so expanding cannot fail.
        let _ = kdf.expand(message, &mut out);
        out
    }

    /// Encrypts and authenticates `plaintext`, binding it to `aad` (associated data, e.g.
    /// `"journal:<user id>:<entry id>"`): the same `aad` must be given to [`DataKey::open`],
    /// so that a sealed value moved to another row or another user does not open there.
    ///
    /// The output is `1 || nonce (24 bytes) || ciphertext || tag (16 bytes)`, with a fresh
    /// random nonce each time: sealing the same plaintext twice gives different bytes.
    ///
    /// # Errors
    ///
    /// [`VaultError::Random`] if the random source fails; [`VaultError::TooLarge`] for a
    /// plaintext beyond the cipher's limit (about 256 GiB).
    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut nonce = [0; NONCE_LEN];
        fill_random(&mut nonce)?;
        let header_aad = sealed_aad(SEALED_V1, aad);
        let ciphertext = cipher(&self.bytes)
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: &header_aad,
                },
            )
            .map_err(|_| VaultError::TooLarge)?;
        let mut sealed = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        sealed.push(SEALED_V1);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        Ok(sealed)
    }

    /// Checks and decrypts what [`DataKey::seal`] produced with this key and this `aad`.
    ///
    /// # Errors
    ///
    /// [`VaultError::Corrupt`] if `sealed` is too short to be a sealed value or has an
    /// unknown version; [`VaultError::Undecryptable`] if it was sealed under another key or
    /// another `aad`, or any byte was changed. Never panics, whatever the input.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, VaultError> {
        let (&version, rest) = sealed
            .split_first()
            .ok_or(VaultError::Corrupt { what: "empty" })?;
        if version != SEALED_V1 {
            return Err(VaultError::Corrupt {
                what: "unknown format version",
            });
        }
        if rest.len() < NONCE_LEN + TAG_LEN {
            return Err(VaultError::Corrupt { what: "too short" });
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce =
            <&XNonce>::try_from(nonce).map_err(|_| VaultError::Corrupt { what: "too short" })?;
        let header_aad = sealed_aad(version, aad);
        cipher(&self.bytes)
            .decrypt(
                nonce,
                Payload {
                    msg: ciphertext,
                    aad: &header_aad,
                },
            )
            .map_err(|_| VaultError::Undecryptable)
    }
}

impl DataKey {
    /// Wraps another key under this one, for a key several people hold: a couple's link key
    /// wrapped with each partner's data key. The output is a sealed value
    /// ([`DataKey::seal`]) of the other key's bytes, bound to `aad`.
    ///
    /// # Errors
    ///
    /// [`VaultError::Random`] if the random source fails.
    pub fn wrap_key(&self, aad: &[u8], key: &DataKey) -> Result<Vec<u8>, VaultError> {
        self.seal(aad, key.as_bytes())
    }

    /// Opens what [`DataKey::wrap_key`] produced under this key and `aad`.
    ///
    /// # Errors
    ///
    /// As [`DataKey::open`]; [`VaultError::Corrupt`] if the opened value is not a key.
    pub fn unwrap_key(&self, aad: &[u8], wrapped: &[u8]) -> Result<DataKey, VaultError> {
        let opened = zeroize::Zeroizing::new(self.open(aad, wrapped)?);
        let mut bytes: zeroize::Zeroizing<[u8; KEY_LEN]> =
            zeroize::Zeroizing::new(opened.as_slice().try_into().map_err(|_| {
                VaultError::Corrupt {
                    what: "wrong key length",
                }
            })?);
        Ok(DataKey::from_bytes(&mut bytes))
    }
}

impl Drop for DataKey {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

/// The associated data the cipher authenticates for a sealed value: its version byte, then
/// the caller's. The version has a fixed length, so the two cannot be confused.
pub(crate) fn sealed_aad(version: u8, aad: &[u8]) -> Vec<u8> {
    let mut all = Vec::with_capacity(1 + aad.len());
    all.push(version);
    all.extend_from_slice(aad);
    all
}

/// An XChaCha20-Poly1305 instance under `key` (which zeroes its copy of the key on drop).
pub(crate) fn cipher(key: &[u8; KEY_LEN]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.into())
}

/// Fills `buffer` from the operating system's random source.
pub(crate) fn fill_random(buffer: &mut [u8]) -> Result<(), VaultError> {
    getrandom::fill(buffer).map_err(|_| VaultError::Random)
}

#[cfg(test)]
mod pseudonym_tests {
    use super::DataKey;

    #[test]
    fn pseudonyms_are_stable_per_key_and_differ_between_keys_and_messages() {
        let a = DataKey::generate().expect("a key");
        let b = DataKey::generate().expect("a key");
        assert_eq!(a.pseudonym(b"2026-11-23"), a.pseudonym(b"2026-11-23"));
        assert_ne!(a.pseudonym(b"2026-11-23"), a.pseudonym(b"2026-11-24"));
        assert_ne!(a.pseudonym(b"2026-11-23"), b.pseudonym(b"2026-11-23"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_with_the_same_key_and_aad() {
        let key = DataKey::generate().expect("generate");
        for plaintext in [&b""[..], b"x", b"a journal entry about a better day"] {
            let sealed = key.seal(b"journal:u1:e1", plaintext).expect("seal");
            assert_eq!(sealed.len(), plaintext.len() + SEAL_OVERHEAD);
            assert_eq!(sealed.first(), Some(&1));
            let opened = key.open(b"journal:u1:e1", &sealed).expect("open");
            assert_eq!(opened, plaintext);
        }
    }

    #[test]
    fn the_plaintext_does_not_appear_in_the_sealed_value() {
        let key = DataKey::generate().expect("generate");
        let plaintext = b"pain 7 out of 10 after the long drive";
        let sealed = key.seal(b"", plaintext).expect("seal");
        assert!(!sealed.windows(4).any(|w| w == b"pain"), "{sealed:?}");
    }

    #[test]
    fn two_seals_of_one_plaintext_differ_in_nonce_and_ciphertext() {
        let key = DataKey::generate().expect("generate");
        let first = key.seal(b"aad", b"same").expect("seal");
        let second = key.seal(b"aad", b"same").expect("seal");
        assert_ne!(first.get(1..25), second.get(1..25), "the nonces differ");
        assert_ne!(first.get(25..), second.get(25..), "the ciphertexts differ");
    }

    #[test]
    fn another_key_is_refused() {
        let key = DataKey::generate().expect("generate");
        let other = DataKey::generate().expect("generate");
        let sealed = key.seal(b"aad", b"secret").expect("seal");
        assert!(matches!(
            other.open(b"aad", &sealed),
            Err(VaultError::Undecryptable)
        ));
    }

    #[test]
    fn another_aad_is_refused() {
        let key = DataKey::generate().expect("generate");
        let sealed = key.seal(b"journal:u1:e1", b"secret").expect("seal");
        for aad in [
            &b"journal:u1:e2"[..],
            b"journal:u2:e1",
            b"",
            b"journal:u1:e1 ",
        ] {
            assert!(
                matches!(key.open(aad, &sealed), Err(VaultError::Undecryptable)),
                "{aad:?}"
            );
        }
    }

    #[test]
    fn changing_any_byte_is_refused() {
        let key = DataKey::generate().expect("generate");
        let sealed = key.seal(b"aad", b"secret entry").expect("seal");
        for index in 0..sealed.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut tampered = sealed.clone();
                if let Some(byte) = tampered.get_mut(index) {
                    *byte ^= flip;
                }
                let error = key.open(b"aad", &tampered).expect_err("tampered");
                if index == 0 {
                    assert!(matches!(error, VaultError::Corrupt { .. }), "{error:?}");
                } else {
                    assert!(matches!(error, VaultError::Undecryptable), "{error:?}");
                }
            }
        }
    }

    #[test]
    fn truncated_or_extended_input_is_refused_without_panicking() {
        let key = DataKey::generate().expect("generate");
        let sealed = key.seal(b"aad", b"secret entry").expect("seal");
        for len in 0..sealed.len() {
            let error = key
                .open(b"aad", sealed.get(..len).expect("prefix"))
                .expect_err("truncated");
            if len < SEAL_OVERHEAD {
                assert!(
                    matches!(error, VaultError::Corrupt { .. }),
                    "{len}: {error:?}"
                );
            } else {
                assert!(
                    matches!(error, VaultError::Undecryptable),
                    "{len}: {error:?}"
                );
            }
        }
        let mut longer = sealed.clone();
        longer.push(0);
        assert!(matches!(
            key.open(b"aad", &longer),
            Err(VaultError::Undecryptable)
        ));
    }

    #[test]
    fn an_unknown_version_is_corrupt() {
        let key = DataKey::generate().expect("generate");
        let mut sealed = key.seal(b"aad", b"secret").expect("seal");
        for version in [0, 2, 0xff] {
            if let Some(first) = sealed.first_mut() {
                *first = version;
            }
            let error = key.open(b"aad", &sealed).expect_err("unknown version");
            assert!(
                matches!(error, VaultError::Corrupt { what } if what == "unknown format version"),
                "{error:?}"
            );
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let key = DataKey::generate().expect("generate");
        let mut state: u32 = 0x1234_5678;
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    state.to_le_bytes()[0]
                })
                .collect();
            assert!(key.open(b"", &bytes).is_err());
            let mut versioned = bytes.clone();
            versioned.insert(0, 1);
            assert!(key.open(b"", &versioned).is_err());
        }
    }

    #[test]
    fn a_key_wrapped_under_another_unwraps_only_with_it_and_its_aad() {
        let holder = DataKey::generate().expect("generate");
        let other = DataKey::generate().expect("generate");
        let link = DataKey::generate().expect("generate");
        let wrapped = holder.wrap_key(b"link:1:u1", &link).expect("wrap");
        let unwrapped = holder.unwrap_key(b"link:1:u1", &wrapped).expect("unwrap");
        assert_eq!(unwrapped.as_bytes(), link.as_bytes());
        assert!(holder.unwrap_key(b"link:1:u2", &wrapped).is_err());
        assert!(other.unwrap_key(b"link:1:u1", &wrapped).is_err());
        let not_a_key = holder.seal(b"link:1:u1", b"short").expect("seal");
        assert!(matches!(
            holder.unwrap_key(b"link:1:u1", &not_a_key),
            Err(VaultError::Corrupt { .. })
        ));
    }

    #[test]
    fn debug_hides_the_key() {
        let key = DataKey::generate().expect("generate");
        assert_eq!(format!("{key:?}"), "DataKey(<redacted>)");
        assert_eq!(format!("{key:#?}"), "DataKey(<redacted>)");
    }

    #[test]
    fn keys_are_random() {
        let first = DataKey::generate().expect("generate");
        let second = DataKey::generate().expect("generate");
        assert_ne!(first.as_bytes(), second.as_bytes());
        assert_ne!(first.as_bytes(), &[0; KEY_LEN]);
    }

    #[test]
    fn error_messages_carry_no_input() {
        let key = DataKey::generate().expect("generate");
        let sealed = key.seal(b"aad-marker", b"plaintext-marker").expect("seal");
        let other = DataKey::generate().expect("generate");
        let text = other
            .open(b"aad-marker", &sealed)
            .expect_err("other key")
            .to_string();
        assert!(!text.contains("marker"), "{text}");
    }
}
