//! Small helpers for the words the engine writes: a name at the start or inside a sentence,
//! a count with its noun, a confidence level as a percentage, and a content phrase with its
//! `{placeholders}` filled. A leaf: it uses nothing else of the crate, so that
//! every module (and the app around the engine) can share one copy.

/// `s` with its first character upper-cased, the rest unchanged: "pain after sex" → "Pain
/// after sex". An empty string stays empty.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// `s` as it reads inside a sentence: its first character lower-cased, the rest unchanged
/// ("Fever" → "fever"). An empty string stays empty.
pub fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A count with its noun: "1 entry", "3 entries".
pub fn count<N>(n: N, one: &str, many: &str) -> String
where
    N: Copy + std::fmt::Display + TryInto<u64>,
{
    let is_one = n.try_into().is_ok_and(|n| n == 1);
    format!("{n} {}", if is_one { one } else { many })
}

/// A confidence level (a fraction, 0.95) as a percentage: "95%", or with one decimal when it
/// is not a whole number of percent ("97.5%"), or two when one would round it to a whole
/// number it is not ("99.95%", never "100.0%"). A level counts as whole when it lies within
/// 1e-9 of a whole percentage, which absorbs floating-point noise (0.95 × 100) and nothing
/// more.
pub fn level_words(level: f64) -> String {
    let p = level * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        return format!("{p:.0}%");
    }
    let one = format!("{p:.1}");
    if one.ends_with(".0") {
        format!("{p:.2}%")
    } else {
        format!("{one}%")
    }
}

/// `template` with each `{name}` of `values` replaced by its value, in one pass; a `{…}` that
/// `values` does not name stays as it is.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let named = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match named {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_template_is_filled_in_one_pass() {
        let values = [("place", "second"), ("of", "four"), ("variant", "")];
        assert_eq!(
            fill("ranked {place} of {of}{variant}.", &values),
            "ranked second of four."
        );
        assert_eq!(fill("no placeholders", &values), "no placeholders");
        assert_eq!(
            fill("{unknown} and {place", &values),
            "{unknown} and {place"
        );
        assert_eq!(fill("{{place}}", &values), "{second}");
        assert_eq!(fill("", &values), "");
    }

    use super::*;

    #[test]
    fn capitalise_changes_only_the_first_character() {
        assert_eq!(capitalise("pain after sex"), "Pain after sex");
        assert_eq!(capitalise("éclair"), "Éclair");
        assert_eq!(capitalise("PEG"), "PEG");
        assert_eq!(capitalise(""), "");
    }

    #[test]
    fn lower_first_changes_only_the_first_character() {
        assert_eq!(lower_first("Fever"), "fever");
        assert_eq!(lower_first("PEG score"), "pEG score");
        assert_eq!(lower_first(""), "");
    }

    #[test]
    fn a_count_agrees_with_its_noun() {
        assert_eq!(count(1, "entry", "entries"), "1 entry");
        assert_eq!(count(0, "entry", "entries"), "0 entries");
        assert_eq!(count(2, "entry", "entries"), "2 entries");
    }

    #[test]
    fn levels_read_as_percentages() {
        assert_eq!(level_words(0.95), "95%");
        assert_eq!(level_words(0.9), "90%");
        assert_eq!(level_words(0.975), "97.5%");
        // Strict: a level a little off a whole percentage is never shown as whole.
        assert_eq!(level_words(0.8996), "89.96%");
        assert_eq!(level_words(1.0 - 0.05 / 100.0), "99.95%");
        assert_eq!(level_words(1.0 - 0.05 / 7.0), "99.3%");
    }
}
