//! End-to-end tests of the `spinewise` binary, organised by subcommand (one module each): the
//! success paths of every command (text and `--json`), the usage errors (exit code 2 and
//! exactly one line on standard error that names the bad value), the behaviour the plan
//! promises as seen from the command line, insta snapshots of the JSON contract
//! (`tests/cli/snapshots/`), and the local journal and `demo` ([`journal`]).
//!
//! Every test runs the real binary in a [`Sandbox`] of its own (`tests/common/cli.rs`): its
//! data directory set explicitly to a temporary directory, so that no test reads or writes a
//! real profile or another test's, and standard input closed or piped, so that no test waits
//! for a terminal. Answers files live in `tests/fixtures/answers/`; variants of them are
//! written to the test's temporary directory.

#[path = "../common/mod.rs"]
mod common;

mod assess;
mod check;
mod command_line;
mod faq;
mod journal;
mod positions;
mod profile;
mod program;
mod recommend;
mod red_flags;
mod regressions;
mod sources;
mod tips;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde_json::{Value, json};

use common::cli::{Sandbox, path_str};

// --- Helpers ---------------------------------------------------------------------------------

/// The path of a fixture in `tests/fixtures/answers/`.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/answers")
        .join(name)
}

/// A fixture in `tests/fixtures/answers/`, parsed.
fn fixture_json(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture(name)).expect("the fixture exists");
    serde_json::from_str(&text).expect("the fixture is JSON")
}

fn as_array<'v>(value: &'v Value, what: &str) -> &'v Vec<Value> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("{what} should be an array: {value}"))
}

fn as_str<'v>(value: &'v Value, what: &str) -> &'v str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{what} should be a string: {value}"))
}

/// Asserts that `value` is an array of strings and returns them.
fn strings(value: &Value, what: &str) -> Vec<String> {
    as_array(value, what)
        .iter()
        .map(|v| as_str(v, what).to_owned())
        .collect()
}

/// The (id, verdict) pairs of a plan's positions, in order.
fn verdicts(plan: &Value) -> Vec<(String, String)> {
    as_array(&plan["positions"], "positions")
        .iter()
        .map(|p| {
            (
                as_str(&p["id"], "position id").to_owned(),
                as_str(&p["verdict"], "verdict").to_owned(),
            )
        })
        .collect()
}

/// Every tip id in a plan, all phases together.
fn tip_ids(plan: &Value) -> Vec<String> {
    ["before", "during", "after"]
        .iter()
        .flat_map(|phase| as_array(&plan["tips"][phase], "tips of a phase"))
        .map(|t| as_str(&t["id"], "tip id").to_owned())
        .collect()
}

/// The ids of a plan's notices, in order.
fn notice_ids(plan: &Value) -> Vec<String> {
    as_array(&plan["notices"], "notices")
        .iter()
        .map(|n| as_str(&n["id"], "notice id").to_owned())
        .collect()
}

/// Asserts the documented shape of a triage: `level` and `findings` with `symptom`, `level`,
/// `advice` and `sources`.
fn assert_triage_contract(triage: &Value) {
    let level = as_str(&triage["level"], "triage level");
    assert!(
        ["emergency", "urgent", "soon", "none"].contains(&level),
        "unknown level {level}"
    );
    for finding in as_array(&triage["findings"], "findings") {
        as_str(&finding["symptom"], "finding symptom");
        let level = as_str(&finding["level"], "finding level");
        assert!(["emergency", "urgent", "soon", "none"].contains(&level));
        assert!(!as_str(&finding["advice"], "finding advice").is_empty());
        assert!(!strings(&finding["sources"], "finding sources").is_empty());
    }
}
