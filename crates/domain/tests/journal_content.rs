//! `content/journal.toml` keeps the knowledge base's rules: it loads, every explanation the
//! insights show and every promised piece of flare-up advice is there, every text cites
//! sources that resolve, no text copies the seed articles, and broken copies are refused with
//! the problem named.

use std::collections::HashSet;

use spinewise_domain::Knowledge;
use spinewise_domain::journal::insights::TEXTS_USED;
use spinewise_domain::knowledge::{ContentError, ContentFiles, REQUIRED_FLARE_ADVICE};

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base is valid")
}

#[test]
fn every_explanation_and_promised_advice_is_there_with_sources() {
    let k = knowledge();
    assert!(!k.journal.disclaimer.trim().is_empty());
    assert!(k.journal.disclaimer.contains("not medical advice"));
    for id in TEXTS_USED {
        let t = k.insight_text(id).expect("an explanation");
        assert!(!t.sources.is_empty(), "{id}");
        for s in &t.sources {
            assert!(k.source(s).is_ok(), "{id} cites {s}");
        }
    }
    for id in REQUIRED_FLARE_ADVICE {
        let a = k.flare_advice(id).expect("advice");
        assert!(!a.replacement_only, "{id}");
    }
    for id in ["krebs-2009", "ostelo-2008", "finan-2013", "linton-2000"] {
        let s = k.source(id).expect("a source");
        assert!(s.doi.is_some() && s.year.is_some(), "{id} is fully cited");
    }
    // The sources the flare-up advice rests on.
    let red_flags = k.flare_advice("red-flags").expect("advice");
    assert!(red_flags.sources.iter().any(|s| s == "nice-ng59"));
    let heat = k.flare_advice("heat").expect("advice");
    assert!(heat.sources.iter().any(|s| s == "french-2006"));
}

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['\'', '\u{2019}'], "")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn strings(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(s) => out.push(s.clone()),
        toml::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        toml::Value::Table(t) => t.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// The same check as `content.rs` makes of the other files: no run of 8 words from the seeds.
#[test]
fn no_journal_text_copies_a_sentence_of_the_seed_articles() {
    let seeds: HashSet<u64> = include_str!("../../../tests/fixtures/seed-shingles.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| u64::from_str_radix(l.trim(), 16).expect("a hex hash"))
        .collect();
    assert!(seeds.len() > 1000);
    let doc: toml::Value = toml::from_str(ContentFiles::BUNDLED_JOURNAL).expect("valid TOML");
    let mut all = Vec::new();
    strings(&doc, &mut all);
    let mut copied = Vec::new();
    for s in all {
        let w = words(&s);
        for run in w.windows(8) {
            if seeds.contains(&fnv1a(&run.join(" "))) {
                copied.push(run.join(" "));
            }
        }
    }
    assert!(
        copied.is_empty(),
        "copied from the seeds:\n{}",
        copied.join("\n")
    );
}

fn broken(edit: impl Fn(&str) -> String) -> ContentError {
    let journal = edit(ContentFiles::BUNDLED_JOURNAL);
    Knowledge::load_with_journal(&ContentFiles::BUNDLED, &journal)
        .expect_err("broken content is refused")
}

fn assert_problem(err: &ContentError, expected: &str) {
    let msg = err.to_string();
    assert!(msg.contains(expected), "expected «{expected}» in:\n{msg}");
}

#[test]
fn broken_journal_content_is_refused_with_the_problem_named() {
    let e = broken(|t| t.replace("id = \"peg\"", "id = \"weekly-score\""));
    assert_problem(&e, "insight 'peg', which the journal explains, is missing");

    let e = broken(|t| {
        t.replacen(
            "sources = [\"krebs-2009\", \"ostelo-2008\"]",
            "sources = [\"krebs-2099\"]",
            1,
        )
    });
    assert_problem(&e, "insight peg cites unknown source 'krebs-2099'");

    let e = broken(|t| t.replace("id = \"ease-off\"", "id = \"slow-down\""));
    assert_problem(&e, "flare advice 'ease-off' is missing");

    let e = broken(|t| t.replace("instead = \"ask-pharmacist\"", "instead = \"ask-anyone\""));
    assert_problem(&e, "refers to unknown flare advice 'ask-anyone'");

    let e = broken(|t| t.replace("instead = \"ask-surgeon\"", "instead = \"stay-active\""));
    assert_problem(&e, "its replacement 'stay-active' must be replacement_only");

    let e = broken(|t| {
        t.replacen(
            "title = \"Keep gently active\"",
            "title = \"Keep gently active\"\ncolour = \"red\"",
            1,
        )
    });
    assert_problem(&e, "content/journal.toml");

    let e = broken(|t| {
        t.replacen(
            "disclaimer = \"\"\"",
            "disclaimer = \"\"\"\"\"\"\nold = \"\"\"",
            1,
        )
    });
    assert_problem(&e, "content/journal.toml");

    // A source cited only by the journal is cited: without it, it would not be.
    let e = broken(|t| t.replace("\"finan-2013\"", "\"nice-ng59\""));
    assert_problem(&e, "source 'finan-2013' is never cited");
}
