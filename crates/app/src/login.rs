//! Logins: one account per name, however it is typed.
//!
//! A login is prepared with the PRECIS `UsernameCasePreserved` profile (RFC 8265): fullwidth
//! and halfwidth forms are mapped to their usual width, the text is put in Unicode
//! normalisation form C (so a composed and a decomposed "é" are the same), and control,
//! format and invisible characters (a zero-width space, say) are refused. The store compares
//! logins without regard to case. A new login is also refused when its confusable skeleton
//! (Unicode Technical Standard #39) is that of an existing one: "admin@example.com" written
//! with a Cyrillic "а" cannot become a second account beside the first.

use precis_core::profile::Profile as _;
use precis_profiles::UsernameCasePreserved;

/// The most characters a login may have (an email address's limit).
pub const MAX_LOGIN_CHARS: usize = 254;

/// A login ready to be stored: the form shown and compared, and its confusable skeleton.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    /// The login as prepared: width-mapped, NFC, case kept.
    pub text: String,
    /// Its confusable skeleton (of the lower-cased text), unique among accounts.
    pub skeleton: String,
}

/// The login `typed` as it is stored and compared, or why it cannot be one. Used at sign-in
/// too, so that every spelling of one login reaches the same account.
///
/// # Errors
///
/// The reason, in words that name the bad character or the rule.
pub fn prepare(typed: &str) -> Result<String, String> {
    let trimmed = typed.trim();
    if trimmed.is_empty() {
        return Err("a login cannot be empty".to_owned());
    }
    if let Some(c) = trimmed.chars().find(|c| c.is_control() || is_invisible(*c)) {
        return Err(format!(
            "a login cannot contain an invisible or control character (U+{:04X})",
            u32::from(c)
        ));
    }
    UsernameCasePreserved::new()
        .enforce(trimmed)
        .map(std::borrow::Cow::into_owned)
        .map_err(|e| match e {
            precis_core::Error::BadCodepoint(info) => format!(
                "a login cannot contain the character U+{:04X}{}",
                info.cp,
                char::from_u32(info.cp)
                    .filter(|c| !c.is_whitespace())
                    .map(|c| format!(" ('{c}')"))
                    .unwrap_or_default()
            ),
            _ => "a login must be letters, digits and ordinary punctuation, without spaces"
                .to_owned(),
        })
}

/// The confusable skeleton of a prepared login.
pub fn skeleton(prepared: &str) -> String {
    unicode_security::skeleton(&prepared.to_lowercase()).collect()
}

/// Checks a new login: a username (3–64 letters, digits, `.`, `_`, `-`) or an email address,
/// prepared as [`prepare`] does.
///
/// # Errors
///
/// The reason, naming the login and what is allowed.
pub fn new_login(typed: &str) -> Result<Login, String> {
    let text = prepare(typed)?;
    let is_username = (3..=64).contains(&text.chars().count())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    let is_email = text.chars().count() <= MAX_LOGIN_CHARS
        && text.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if is_username || is_email {
        let skeleton = skeleton(&text);
        Ok(Login { text, skeleton })
    } else {
        Err(format!(
            "'{text}' is neither a username (3 to 64 letters, digits, '.', '_' or '-') nor an email address"
        ))
    }
}

/// Characters that show as nothing: format characters and the like, which PRECIS would
/// also refuse, named here so that the message is plain.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_one_login_is_prepared_alike() {
        let plain = prepare("admin@example.com").expect("plain");
        assert_eq!(prepare("ａｄｍｉｎ@example.com").expect("fullwidth"), plain);
        assert_eq!(
            prepare("  admin@example.com ").expect("spaces around"),
            plain
        );
        assert_eq!(
            prepare("cafe\u{301}@example.org"),
            prepare("caf\u{e9}@example.org"),
            "decomposed and composed"
        );
        assert_eq!(prepare("Robin").expect("case kept"), "Robin");
    }

    #[test]
    fn invisible_and_control_characters_are_refused_by_name() {
        for (typed, code) in [
            ("ad\u{200b}min@example.com", "U+200B"),
            ("ad\u{7}min@example.com", "U+0007"),
            ("\u{feff}admin", "U+FEFF"),
            ("ad\u{2062}min", "U+2062"),
        ] {
            let e = prepare(typed).expect_err(typed);
            assert!(e.contains(code), "{typed:?}: {e}");
        }
        assert!(prepare("").is_err());
        assert!(new_login("two words").is_err());
    }

    #[test]
    fn look_alike_logins_share_a_skeleton() {
        let latin = new_login("admin@example.com").expect("latin");
        let cyrillic = new_login("admin@ex\u{430}mple.com").expect("cyrillic a");
        assert_ne!(latin.text, cyrillic.text);
        assert_eq!(latin.skeleton, cyrillic.skeleton);
        assert_eq!(
            new_login("Admin@Example.com").expect("case").skeleton,
            latin.skeleton
        );
        assert_ne!(
            new_login("robin").expect("robin").skeleton,
            new_login("robyn").expect("robyn").skeleton
        );
    }

    #[test]
    fn the_shape_rules_still_hold() {
        assert!(new_login("ab").is_err(), "too short for a username");
        assert!(new_login("robin_w-1.0").is_ok());
        assert!(new_login("a@b@c.org").is_err());
        assert!(new_login("x@nodot").is_err());
        let e = new_login("not valid!").expect_err("a space");
        assert!(e.contains("U+0020") || e.contains("neither"), "{e}");
    }
}
