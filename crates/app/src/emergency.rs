//! The emergency number the pages offer to call (tap-to-call), beside the words "your local
//! emergency number": set per server, checked once.

/// The emergency number when none is set: 112, which mobile phones connect in most of the
/// world (in the US and Canada it reaches 911 on most networks).
pub const DEFAULT_NUMBER: &str = "112";

/// Checks an emergency number: 2 to 15 digits, optionally after a `+`.
pub fn number(raw: &str) -> Result<String, String> {
    let n = raw.trim();
    let digits = n.strip_prefix('+').unwrap_or(n);
    if (2..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(n.to_owned())
    } else {
        Err(format!(
            "'{raw}' is not a phone number: give 2 to 15 digits, optionally after a '+' (for example 112, 911 or 999)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emergency_number_is_digits_with_an_optional_plus() {
        for ok in ["112", "911", "999", "000", "+4112345"] {
            assert_eq!(number(ok).as_deref(), Ok(ok));
        }
        for bad in ["", "1", "call 112", "112; drop", "+", "1234567890123456"] {
            let e = number(bad).expect_err("refused");
            assert!(e.contains(&format!("'{bad}'")), "{e}");
        }
    }
}
