//! Recovery codes: the one secret that unlocks a user's data when they forget their password.
//!
//! A code is shown once, at sign-up, to be written down or printed, and typed back in when
//! needed, so it is made for people: 28 characters of Crockford's base32 (digits and capital
//! letters without I, L, O and U) in 7 groups of 4, such as `7KQ2-M9XD-…`. The first 26
//! characters are random (130 bits); the last 2 are a check on the others, so that a typo is
//! reported as a typo at once instead of as a wrong code after a slow key derivation.
//!
//! Reading one back forgives what people do: lower case, spaces or dashes anywhere (or none),
//! and the letters Crockford's alphabet leaves out because they look like digits (O for 0,
//! I and L for 1).

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{RecoveryCodeError, VaultError};
use crate::key::fill_random;

/// Crockford's base32 alphabet: the value of each character is its index.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters per group, as shown.
const GROUP_LEN: usize = 4;

/// Groups in a code.
const GROUPS: usize = 7;

/// Characters in a code, without separators.
const CODE_LEN: usize = GROUP_LEN * GROUPS;

/// Random characters in a code; the rest are the check.
const RANDOM_LEN: usize = 26;

/// What the check characters' hash is bound to.
const CHECK_LABEL: &[u8] = b"spinewise-vault recovery code check v1";

/// A recovery code: made by [`recovery_code`], or read back from what a person typed by
/// [`RecoveryCode::parse`].
///
/// `Display` shows it in groups (`XXXX-XXXX-…`), for the one page that shows it at sign-up;
/// `Debug` shows `RecoveryCode(<redacted>)`. Its text is zeroed when dropped.
#[derive(PartialEq, Eq)]
pub struct RecoveryCode {
    /// The 28 canonical characters, without separators.
    canonical: Zeroizing<String>,
}

/// A fresh random recovery code.
///
/// # Errors
///
/// [`VaultError::Random`] if the operating system's random source fails.
pub fn recovery_code() -> Result<RecoveryCode, VaultError> {
    let mut random = Zeroizing::new([0u8; RANDOM_LEN]);
    fill_random(random.as_mut_slice())?;
    let mut canonical = Zeroizing::new(String::with_capacity(CODE_LEN));
    for byte in random.iter() {
        // 256 is a multiple of 32, so the low five bits of a random byte are uniform.
        canonical.push(symbol(*byte));
    }
    let check = check_symbols(canonical.as_bytes());
    canonical.push(check[0]);
    canonical.push(check[1]);
    Ok(RecoveryCode { canonical })
}

impl RecoveryCode {
    /// Reads a code as a person typed it: any case, with or without spaces and dashes, with
    /// O for 0 and I or L for 1.
    ///
    /// # Errors
    ///
    /// A [`RecoveryCodeError`] naming what is wrong: nothing typed, a character no code has
    /// (by its position), too few or too many characters (a group missing or extra), or a
    /// typo that the check characters catch. The error never repeats the characters.
    pub fn parse(typed: &str) -> Result<RecoveryCode, RecoveryCodeError> {
        let mut canonical = Zeroizing::new(String::with_capacity(CODE_LEN));
        for (index, typed_char) in typed.chars().enumerate() {
            if is_separator(typed_char) {
                continue;
            }
            let symbol = canonical_symbol(typed_char).ok_or(RecoveryCodeError::BadCharacter {
                position: index + 1,
            })?;
            canonical.push(symbol);
        }
        if canonical.is_empty() {
            return Err(RecoveryCodeError::Empty);
        }
        if canonical.len() != CODE_LEN {
            return Err(RecoveryCodeError::WrongLength {
                found: canonical.len(),
                expected: CODE_LEN,
                expected_groups: GROUPS,
                group_len: GROUP_LEN,
            });
        }
        let (random, check) = canonical.as_bytes().split_at(RANDOM_LEN);
        let expected = check_symbols(random);
        let matches = check.len() == 2
            && check.first() == Some(&(expected[0] as u8))
            && check.get(1) == Some(&(expected[1] as u8));
        if !matches {
            return Err(RecoveryCodeError::Typo);
        }
        Ok(RecoveryCode { canonical })
    }

    /// The bytes the key derivation takes: the canonical characters, so that every way of
    /// typing one code derives one key.
    pub(crate) fn kdf_input(&self) -> &[u8] {
        self.canonical.as_bytes()
    }
}

impl FromStr for RecoveryCode {
    type Err = RecoveryCodeError;

    fn from_str(typed: &str) -> Result<RecoveryCode, RecoveryCodeError> {
        RecoveryCode::parse(typed)
    }
}

impl fmt::Display for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, symbol) in self.canonical.chars().enumerate() {
            if index > 0 && index % GROUP_LEN == 0 {
                f.write_str("-")?;
            }
            fmt::Write::write_char(f, symbol)?;
        }
        Ok(())
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

/// The symbol for the low five bits of `value`.
fn symbol(value: u8) -> char {
    char::from(ALPHABET[usize::from(value & 0x1f)])
}

/// Separators people put between groups, or that a copy and paste brings along.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}')
}

/// The canonical symbol a typed character stands for, if any.
fn canonical_symbol(c: char) -> Option<char> {
    let upper = c.to_ascii_uppercase();
    let upper = match upper {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    let byte = u8::try_from(upper).ok()?;
    ALPHABET.contains(&byte).then_some(upper)
}

/// The two check symbols of the random part: the first ten bits of a labelled SHA-256.
fn check_symbols(random: &[u8]) -> [char; 2] {
    let mut hasher = Sha256::new();
    hasher.update(CHECK_LABEL);
    hasher.update(random);
    let digest = hasher.finalize();
    let (first, second) = (digest[0], digest[1]);
    [
        symbol(first >> 3),
        symbol(((first & 0x07) << 2) | (second >> 6)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> RecoveryCode {
        recovery_code().expect("a recovery code")
    }

    #[test]
    fn codes_are_seven_groups_of_four_crockford_characters() {
        let shown = code().to_string();
        assert_eq!(shown.len(), 34, "{shown}");
        let groups: Vec<&str> = shown.split('-').collect();
        assert_eq!(groups.len(), 7, "{shown}");
        for group in groups {
            assert_eq!(group.len(), 4, "{shown}");
            assert!(
                group.bytes().all(|b| ALPHABET.contains(&b)),
                "{shown} uses only Crockford's alphabet"
            );
        }
    }

    #[test]
    fn codes_are_random() {
        let codes: Vec<String> = (0..20).map(|_| code().to_string()).collect();
        for (i, a) in codes.iter().enumerate() {
            for b in codes.iter().skip(i + 1) {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn a_shown_code_parses_back_to_itself() {
        for _ in 0..50 {
            let original = code();
            let back = RecoveryCode::parse(&original.to_string()).expect("parse");
            assert!(back == original);
            assert_eq!(back.to_string(), original.to_string());
        }
    }

    #[test]
    fn case_separators_and_confusables_are_forgiven() {
        let original = code();
        let shown = original.to_string();
        let variants = [
            shown.to_lowercase(),
            shown.replace('-', ""),
            shown.replace('-', " "),
            format!("  {}  ", shown.replace('-', " - ")),
            shown.replace('-', "\u{2013}"),
            shown.replace('0', "O").replace('1', "I"),
            shown.replace('0', "o").replace('1', "l"),
            shown.replace('1', "L"),
        ];
        for typed in variants {
            let parsed = RecoveryCode::parse(&typed).unwrap_or_else(|e| panic!("{typed}: {e}"));
            assert!(parsed == original, "{typed}");
        }
    }

    #[test]
    fn a_known_code_is_read_exactly() {
        // Built by hand: 26 characters and their check.
        let random = "0123456789ABCDEFGHJKMNPQRS";
        let check = check_symbols(random.as_bytes());
        let text = format!("{random}{}{}", check[0], check[1]);
        let parsed = RecoveryCode::parse(&text.to_lowercase()).expect("parse");
        assert_eq!(parsed.kdf_input(), text.as_bytes());
        assert_eq!(
            parsed.to_string(),
            format!("0123-4567-89AB-CDEF-GHJK-MNPQ-RS{}{}", check[0], check[1])
        );
        // O, I and L are read as 0, 1 and 1.
        let confusable = text.replacen('0', "o", 1).replacen('1', "i", 1);
        assert!(RecoveryCode::parse(&confusable).expect("parse") == parsed);
    }

    #[test]
    fn missing_and_extra_groups_are_named() {
        let shown = code().to_string();
        let missing = shown.get(..shown.len() - 5).expect("six groups");
        let error = RecoveryCode::parse(missing).expect_err("a group short");
        assert_eq!(
            error,
            RecoveryCodeError::WrongLength {
                found: 24,
                expected: 28,
                expected_groups: 7,
                group_len: 4
            }
        );
        assert_eq!(
            error.to_string(),
            "a recovery code has 7 groups of 4 characters; this one has 24 characters where 28 \
             were expected"
        );
        let extra = format!("{shown}-ABCD");
        assert!(matches!(
            RecoveryCode::parse(&extra),
            Err(RecoveryCodeError::WrongLength { found: 32, .. })
        ));
        let one_more = format!("{shown}7");
        assert!(matches!(
            RecoveryCode::parse(&one_more),
            Err(RecoveryCodeError::WrongLength { found: 29, .. })
        ));
    }

    #[test]
    fn characters_no_code_has_are_named_by_position() {
        let shown = code().to_string();
        let mut messages = Vec::new();
        for (bad, at) in [('U', 0), ('u', 5), ('*', 10), ('é', 33), ('_', 3)] {
            let mut typed: Vec<char> = shown.chars().collect();
            if let Some(c) = typed.get_mut(at) {
                *c = bad;
            }
            let typed: String = typed.into_iter().collect();
            let error = RecoveryCode::parse(&typed).expect_err("bad character");
            assert_eq!(
                error,
                RecoveryCodeError::BadCharacter { position: at + 1 },
                "{typed}"
            );
            let text = error.to_string();
            assert!(text.contains(&format!("character {}", at + 1)), "{text}");
            messages.push((at, text));
        }
        // The message depends on the position only, never on the character typed.
        let mut typed: Vec<char> = shown.chars().collect();
        if let Some(c) = typed.get_mut(0) {
            *c = '#';
        }
        let other = RecoveryCode::parse(&typed.into_iter().collect::<String>())
            .expect_err("bad character")
            .to_string();
        assert_eq!(messages.first(), Some(&(0, other)));
    }

    #[test]
    fn empty_input_is_named() {
        for typed in ["", "   ", "- - -"] {
            assert_eq!(
                RecoveryCode::parse(typed).expect_err("empty"),
                RecoveryCodeError::Empty
            );
        }
        assert_eq!(
            RecoveryCodeError::Empty.to_string(),
            "the recovery code is empty"
        );
    }

    #[test]
    fn typos_are_caught_by_the_check() {
        let shown = code().to_string();
        let mut caught = 0;
        let mut tried = 0;
        // Every single-character substitution in the random part.
        for index in shown
            .char_indices()
            .filter(|(_, c)| *c != '-')
            .map(|(i, _)| i)
            .take(RANDOM_LEN)
        {
            for replacement in ALPHABET.iter().map(|b| char::from(*b)) {
                let mut typed: Vec<char> = shown.chars().collect();
                let Some(slot) = typed.get_mut(index) else {
                    continue;
                };
                if *slot == replacement {
                    continue;
                }
                *slot = replacement;
                let typed: String = typed.into_iter().collect();
                tried += 1;
                if RecoveryCode::parse(&typed) == Err(RecoveryCodeError::Typo) {
                    caught += 1;
                }
            }
        }
        // Ten check bits miss about one typo in a thousand.
        assert!(caught * 100 >= tried * 98, "{caught} of {tried}");
        assert_eq!(
            RecoveryCodeError::Typo.to_string(),
            "the recovery code has a typo: its last characters do not match the others"
        );
    }

    #[test]
    fn debug_hides_the_code() {
        let code = code();
        assert_eq!(format!("{code:?}"), "RecoveryCode(<redacted>)");
        let shown = code.to_string();
        assert!(!format!("{code:?}").contains(&shown));
    }

    #[test]
    fn from_str_parses_too() {
        let original = code();
        let parsed: RecoveryCode = original.to_string().parse().expect("parse");
        assert!(parsed == original);
        let error: VaultError = RecoveryCode::parse("x").expect_err("short").into();
        assert!(
            error
                .to_string()
                .starts_with("a recovery code has 7 groups")
        );
    }
}
