//! End-to-end tests of `spinewise journal …` and `spinewise demo`: the real binary on a
//! journal file in a temporary data directory, with the passphrase in
//! `SPINEWISE_JOURNAL_PASSPHRASE` and standard input closed, so that nothing waits for a
//! terminal.
//!
//! They cover the first use (the file and its recovery code), logging each kind (text and
//! `--json`), idempotent ids, bad values (exit code 2, one line naming the option and what is
//! allowed), a wrong passphrase, listing, insights, the clinical summary, the three export
//! formats, export → delete → import restoring the same entries, deleting, that nothing logged is readable in the files on
//! disk, and the demo account.

use std::ops::Deref;
use std::path::Path;

use serde_json::Value;

use crate::common::cli::{self as sandbox, Run, path_str};

const PASSPHRASE: &str = "correct horse battery staple";

/// The sandbox of the local journal: every run passes the data directory as `--data-dir`
/// and the passphrase in `SPINEWISE_JOURNAL_PASSPHRASE` ([`sandbox::Sandbox::run_with_passphrase`]),
/// and `--json` comes first.
struct Sandbox(sandbox::Sandbox);

impl Deref for Sandbox {
    type Target = sandbox::Sandbox;

    fn deref(&self) -> &sandbox::Sandbox {
        &self.0
    }
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox(sandbox::Sandbox::new())
    }

    /// Runs `spinewise --data-dir DIR ARGS` with `passphrase`.
    fn run_with(&self, passphrase: &str, args: &[&str]) -> Run {
        self.0.run_with_passphrase(passphrase, args)
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(PASSPHRASE, args)
    }

    /// `spinewise --json ARGS`, parsed.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        self.run(&all).json()
    }

    /// Creates the journal (discarding the recovery code).
    fn created(self) -> Sandbox {
        self.run(&["journal", "list"]).ok();
        self
    }

    /// Every entry, as `journal list --json` gives them.
    fn entries(&self) -> Vec<Value> {
        let list = self.json(&["journal", "list"]);
        let entries = list["entries"].as_array().expect("entries").clone();
        assert_eq!(list["count"], entries.len(), "{list}");
        entries
    }

    /// Logs one entry of each kind, with distinctive values.
    fn log_one_of_each(&self) {
        self.run(&[
            "journal",
            "log",
            "intimacy",
            "--id",
            "i1",
            "--at",
            "2026-11-20T21:30",
            "--position",
            "spooning",
            "--position",
            "side-lying-face-to-face",
            "--prep",
            "warm-bath",
            "--before",
            "2",
            "--during",
            "3",
            "--after",
            "4",
            "--note",
            NOTE,
        ])
        .ok();
        self.run(&[
            "journal",
            "log",
            "daily",
            "--date",
            "2026-11-20",
            "--morning",
            "3",
            "--evening",
            "5",
            "--sleep-hours",
            "6.5",
            "--sleep-quality",
            "2",
            "--mood",
            "4",
            "--stress",
            "3",
        ])
        .ok();
        self.run(&[
            "journal",
            "log",
            "peg",
            "--id",
            "p1",
            "--date",
            "2026-11-15",
            "--pain",
            "4",
            "--enjoyment",
            "3",
            "--activity",
            "6",
        ])
        .ok();
        self.run(&[
            "journal",
            "log",
            "exercise",
            "--id",
            "x1",
            "--at",
            "2026-11-19T18:00",
            "--what",
            "bird dog, side plank",
            "--minutes",
            "25",
            "--felt",
            "better",
            "--before",
            "4",
            "--after",
            "3",
        ])
        .ok();
    }
}

/// A note nobody would write by chance, to look for on disk.
const NOTE: &str = "quokka-marmalade-7741 felt fine, \"slow\" start";

/// The id of the day's check-in in `entries`: the apps derive it from the date under the
/// journal's key, so that the stored id does not show the date.
fn daily_id(entries: &[Value]) -> String {
    let ids: Vec<&str> = entries
        .iter()
        .filter(|e| e["kind"] == "daily")
        .map(|e| e["id"].as_str().expect("an id"))
        .collect();
    assert_eq!(ids.len(), 1, "one daily check-in: {entries:?}");
    let id = ids[0];
    assert!(
        !id.contains("2026"),
        "a daily id that does not show the date: {id}"
    );
    id.to_owned()
}

fn ids(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e["id"].as_str().expect("an id"))
        .collect()
}

// --- First use and the passphrase --------------------------------------------------------------

#[test]
fn first_use_creates_the_journal_and_prints_its_recovery_code_once() {
    let sb = Sandbox::new();
    assert!(!sb.journal_file().exists());
    let run = sb.run(&["journal", "list"]);
    run.ok();
    assert_eq!(run.stdout, "No entries.\n");
    assert!(sb.journal_file().exists(), "the journal file is created");
    assert!(run.stderr.contains("recovery code"), "{}", run.describe());
    // The code: groups of four letters and digits joined by dashes.
    let code = run
        .stderr
        .split_whitespace()
        .find(|w| w.len() > 20 && w.split('-').all(|g| g.len() == 4))
        .unwrap_or_else(|| panic!("a recovery code on stderr: {}", run.describe()));
    assert!(
        code.chars()
            .all(|c| c == '-' || c.is_ascii_uppercase() || c.is_ascii_digit()),
        "{code}"
    );
    assert!(!run.stdout.contains(code), "the code is not on stdout");

    let again = sb.run(&["journal", "list"]);
    again.ok();
    assert!(
        !again.stderr.contains("recovery code") && !again.stderr.contains(code),
        "the code is shown only when the journal is created: {}",
        again.describe()
    );
}

#[cfg(unix)]
#[test]
fn the_journal_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new().created();
    let mode = |p: &Path| {
        let mode = std::fs::metadata(p)
            .expect("it exists")
            .permissions()
            .mode();
        format!("{:o}", mode & 0o777)
    };
    assert_eq!(mode(&sb.data_dir()), "700", "the data directory");
    assert_eq!(mode(&sb.journal_file()), "600", "the journal file");
    // Also at a path of the person's choosing, in a directory that already exists.
    let file = sb.path("elsewhere.db");
    let run = sb.run(&["journal", "--file", path_str(&file), "list"]);
    run.ok();
    assert_eq!(mode(&file), "600", "a journal file given with --file");
}

#[test]
fn a_short_passphrase_creates_nothing_usable() {
    let sb = Sandbox::new();
    sb.run_with("short", &["journal", "list"])
        .usage_error(&["passphrase", "10 characters"]);
}

#[test]
fn a_wrong_passphrase_is_refused() {
    let sb = Sandbox::new().created();
    sb.log_one_of_each();
    sb.run_with("not the passphrase at all", &["journal", "list"])
        .usage_error(&["passphrase is not right"]);
    // The right one still opens it.
    assert_eq!(sb.entries().len(), 4);
}

// --- Logging -----------------------------------------------------------------------------------

#[test]
fn logging_each_kind_prints_what_was_saved() {
    let sb = Sandbox::new().created();
    let r = sb.json(&[
        "journal",
        "log",
        "intimacy",
        "--id",
        "i1",
        "--at",
        "2026-11-20T21:30",
        "--position",
        "spooning",
        "--prep",
        "pillows",
        "--before",
        "2",
        "--after",
        "4",
        "--next-day",
        "3",
        "--stopped-early",
        "--note",
        NOTE,
    ]);
    assert_eq!(r["id"], "i1");
    assert_eq!(r["created"], true);
    assert!(r["triage"].is_null(), "no symptoms, no triage: {r}");
    let e = &r["entry"];
    assert_eq!(e["kind"], "intimacy");
    assert_eq!(e["at"], "2026-11-20T21:30");
    assert_eq!(e["positions"], serde_json::json!(["spooning"]));
    assert_eq!(e["preparation"], serde_json::json!(["pillows"]));
    assert_eq!(e["pain_before"], 2);
    assert_eq!(e["pain_after"], 4);
    assert_eq!(e["next_day_pain"], 3);
    assert_eq!(e["stopped_early"], true);
    assert_eq!(e["note"], NOTE);
    assert!(e.get("pain_during").is_none(), "{e}");

    let r = sb.json(&[
        "journal",
        "log",
        "daily",
        "--date",
        "2026-11-20",
        "--morning",
        "3",
        "--sleep-hours",
        "7.5",
    ]);
    let day_id = r["id"].as_str().expect("an id").to_owned();
    assert!(
        !day_id.is_empty() && !day_id.contains("2026"),
        "the stored id does not show the date: {day_id}"
    );
    assert_eq!(r["entry"]["id"], day_id);
    assert_eq!(r["entry"]["date"], "2026-11-20");
    assert_eq!(r["entry"]["kind"], "daily");
    assert_eq!(r["entry"]["pain_morning"], 3);
    assert_eq!(r["entry"]["sleep_hours"], 7.5);
    // The evening adds to the same day.
    let r = sb.json(&[
        "journal",
        "log",
        "daily",
        "--date",
        "2026-11-20",
        "--evening",
        "5",
        "--mood",
        "4",
    ]);
    assert_eq!(r["id"], day_id, "the same day, the same entry");
    assert_eq!(r["entry"]["pain_morning"], 3, "the morning stays: {r}");
    assert_eq!(r["entry"]["pain_evening"], 5);
    assert_eq!(r["entry"]["mood"], 4);

    let r = sb.json(&[
        "journal",
        "log",
        "peg",
        "--date",
        "2026-11-15",
        "--pain",
        "4",
        "--enjoyment",
        "3",
        "--activity",
        "6",
    ]);
    assert_eq!(r["entry"]["kind"], "peg");
    let peg_id = r["id"].as_str().expect("a new id");
    assert_eq!(peg_id.len(), 36, "a random UUID: {peg_id}");

    let r = sb.json(&[
        "journal",
        "log",
        "exercise",
        "--id",
        "x1",
        "--at",
        "2026-11-19T18:00",
        "--what",
        "walk",
        "--minutes",
        "30",
        "--felt",
        "same",
    ]);
    assert_eq!(r["entry"]["kind"], "exercise");
    assert_eq!(r["entry"]["felt"], "same");
    assert_eq!(r["entry"]["minutes"], 30);

    // Text: one line naming the kind and the id.
    let run = sb.run(&[
        "journal",
        "log",
        "exercise",
        "--id",
        "x2",
        "--at",
        "2026-11-18T07:30",
        "--what",
        "swimming",
        "--minutes",
        "40",
        "--felt",
        "better",
    ]);
    run.ok();
    assert!(run.stdout.contains("x2"), "{}", run.describe());

    let entries = sb.entries();
    let mut found = ids(&entries);
    found.sort_unstable();
    let mut expected = vec!["i1", day_id.as_str(), peg_id, "x1", "x2"];
    expected.sort_unstable();
    assert_eq!(found, expected);
}

#[test]
fn a_symptom_logged_with_intimacy_is_triaged_at_once() {
    let sb = Sandbox::new().created();
    let r = sb.json(&[
        "journal",
        "log",
        "intimacy",
        "--at",
        "2026-11-20T21:30",
        "--before",
        "2",
        "--after",
        "4",
        "--symptom",
        "saddle-numbness",
    ]);
    assert_eq!(
        r["entry"]["symptoms"],
        serde_json::json!(["saddle-numbness"])
    );
    assert_eq!(r["triage"]["level"], "emergency", "{r}");
}

#[test]
fn a_logged_symptom_is_judged_with_the_saved_conditions_and_the_journals_red_flags() {
    let sb = Sandbox::new().created();
    // With a pregnancy saved, bleeding after sex is urgent.
    sb.run(&["profile", "set", "--condition", "pregnancy"]).ok();
    let today = sb.json(&[
        "journal", "log", "intimacy", "--before", "2", "--after", "2",
    ]);
    let today = today["entry"]["at"]
        .as_str()
        .and_then(|at| at.split('T').next())
        .expect("the entry's date")
        .to_owned();
    let bleeding = sb.json(&[
        "journal",
        "log",
        "intimacy",
        "--before",
        "2",
        "--after",
        "3",
        "--symptom",
        "bleeding-after-sex",
    ]);
    assert_eq!(bleeding["triage"]["level"], "urgent", "{bleeding}");
    // Without it, the bleeding noted earlier and pelvic pain now are urgent together, and the
    // answer says where the earlier one was noted.
    sb.run(&["profile", "set", "--no-conditions"]).ok();
    let pain = sb.run(&[
        "journal",
        "log",
        "intimacy",
        "--before",
        "2",
        "--after",
        "3",
        "--symptom",
        "pelvic-pain",
    ]);
    pain.ok();
    let text = pain.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("URGENT"), "{text}");
    assert!(
        text.contains(&format!("noted in your journal on {today}")),
        "{text}"
    );
}

#[test]
fn logging_the_same_id_twice_keeps_one_entry() {
    let sb = Sandbox::new().created();
    let args = [
        "journal",
        "log",
        "peg",
        "--id",
        "p1",
        "--date",
        "2026-11-15",
        "--pain",
        "4",
        "--enjoyment",
        "3",
        "--activity",
        "6",
    ];
    sb.run(&args).ok();
    let again = sb.run(&args);
    again.ok();
    assert!(again.stdout.contains("already"), "{}", again.describe());
    let mut json_args = vec!["--json"];
    json_args.extend_from_slice(&args);
    let r = sb.run(&json_args).json();
    assert_eq!(r["created"], false, "{r}");
    assert_eq!(ids(&sb.entries()), ["p1"]);

    // The same id with other content is refused, and the first stays.
    let line = sb
        .run(&[
            "journal",
            "log",
            "peg",
            "--id",
            "p1",
            "--date",
            "2026-11-15",
            "--pain",
            "9",
            "--enjoyment",
            "3",
            "--activity",
            "6",
        ])
        .usage_error(&["p1", "already"])
        .to_owned();
    assert!(!line.contains("PUT"), "the command line has no PUT: {line}");
    let entries = sb.entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["pain"], 4);
}

#[test]
fn bad_values_are_refused_naming_the_option_and_what_is_allowed() {
    let sb = Sandbox::new().created();
    let intimacy = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut args = vec![
            "journal", "log", "intimacy", "--before", "2", "--after", "3",
        ];
        args.extend_from_slice(extra);
        args
    };
    sb.run(&[
        "journal", "log", "intimacy", "--before", "11", "--after", "3",
    ])
    .usage_error(&["--before", "11", "0 to 10"]);
    sb.run(&[
        "journal", "log", "intimacy", "--before", "-1", "--after", "3",
    ])
    .usage_error(&["--before", "-1", "0 to 10"]);
    sb.run(&intimacy(&["--position", "sideways"]))
        .usage_error(&["--position", "sideways", "spooning", "missionary"]);
    sb.run(&intimacy(&["--prep", "nap"]))
        .usage_error(&["--prep", "nap", "warm-bath", "ice-after"]);
    sb.run(&intimacy(&["--symptom", "hiccups"])).usage_error(&[
        "--symptom",
        "hiccups",
        "saddle-numbness",
    ]);
    sb.run(&intimacy(&["--at", "2999-01-01T10:00"]))
        .usage_error(&["--at", "2999-01-01T10:00", "future"]);
    sb.run(&intimacy(&["--at", "yesterday evening"]))
        .usage_error(&["--at", "YYYY-MM-DDTHH:MM"]);
    sb.run(&intimacy(&[
        "--position",
        "spooning",
        "--position",
        "spooning",
    ]))
    .usage_error(&["--position", "spooning", "twice"]);
    sb.run(&["journal", "log", "daily", "--mood", "6"])
        .usage_error(&["--mood", "6", "1 to 5"]);
    sb.run(&["journal", "log", "daily", "--sleep-hours", "25"])
        .usage_error(&["--sleep-hours", "25", "0 to 24"]);
    sb.run(&[
        "journal",
        "log",
        "daily",
        "--date",
        "2026-02-30",
        "--morning",
        "2",
    ])
    .usage_error(&["--date", "2026-02-30", "YYYY-MM-DD"]);
    sb.run(&[
        "journal",
        "log",
        "exercise",
        "--what",
        "walk",
        "--minutes",
        "30",
        "--felt",
        "great",
    ])
    .usage_error(&["--felt", "great", "better", "worse"]);
    sb.run(&[
        "journal",
        "log",
        "exercise",
        "--what",
        "walk",
        "--minutes",
        "601",
        "--felt",
        "same",
    ])
    .usage_error(&["--minutes", "601"]);
    sb.run(&intimacy(&["--id", "has spaces"]))
        .usage_error(&["--id", "has spaces"]);
    // Nothing was written.
    assert!(sb.entries().is_empty());
}

#[test]
fn next_day_pain_is_added_to_an_intimacy_entry() {
    let sb = Sandbox::new().created();
    sb.log_one_of_each();
    let r = sb.json(&["journal", "next-day", "i1", "5"]);
    assert_eq!(r["entry"]["next_day_pain"], 5, "{r}");
    let entries = sb.entries();
    let i1 = entries.iter().find(|e| e["id"] == "i1").expect("i1");
    assert_eq!(i1["next_day_pain"], 5);
    sb.run(&["journal", "next-day", "p1", "5"])
        .usage_error(&["p1", "intimacy"]);
    sb.run(&["journal", "next-day", "i1", "11"])
        .usage_error(&["11", "0 to 10"]);
}

// --- Reading ---------------------------------------------------------------------------------

#[test]
fn list_shows_every_entry_oldest_first_and_filters_by_kind() {
    let sb = Sandbox::new().created();
    sb.log_one_of_each();
    let entries = sb.entries();
    let day = daily_id(&entries);
    assert_eq!(ids(&entries), ["p1", "x1", "i1", day.as_str()]);
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().expect("a kind"))
        .collect();
    assert_eq!(kinds, ["peg", "exercise", "intimacy", "daily"]);

    // The entries' JSON is the import format's: pinned.
    let mut list = sb.json(&["journal", "list"]);
    list["entries"][3]["id"] = Value::from("[the day's keyed id]");
    insta::assert_json_snapshot!("journal_list_one_of_each", list);

    let text = sb.run(&["journal", "list"]);
    text.ok();
    let lines: Vec<&str> = text.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", text.describe());
    assert!(lines[0].contains("[p1]") && lines[0].starts_with("2026-11-15"));
    assert!(lines[2].contains("[i1]") && lines[2].starts_with("2026-11-20 21:30"));

    let pegs = sb.json(&["journal", "list", "--kind", "peg"]);
    assert_eq!(pegs["count"], 1);
    assert_eq!(pegs["entries"][0]["id"], "p1");
    let text = sb.run(&["journal", "list", "--kind", "peg"]);
    assert_eq!(text.ok().stdout.lines().count(), 1);
    let from = sb.json(&[
        "journal",
        "list",
        "--from",
        "2026-11-19",
        "--to",
        "2026-11-19",
    ]);
    assert_eq!(from["count"], 1);
    assert_eq!(from["entries"][0]["id"], "x1");
    sb.run(&["journal", "list", "--kind", "nap"])
        .usage_error(&["--kind", "nap", "intimacy", "peg"]);
}

#[test]
fn insights_run_on_an_empty_and_on_a_filled_journal() {
    let sb = Sandbox::new().created();
    sb.run(&["journal", "insights"]).ok();
    sb.log_one_of_each();
    let text = sb.run(&["journal", "insights"]);
    assert!(!text.ok().stdout.trim().is_empty());
    let json = sb.json(&["journal", "insights"]);
    assert!(json.is_object(), "{json}");
}

#[test]
fn the_clinical_summary_prints_every_part_as_text_and_as_json() {
    let sb = Sandbox::new().created();
    let empty = sb.run(&["journal", "summary"]);
    let text = &empty.ok().stdout;
    for part in [
        "Clinical summary, as of",
        "not a diagnosis",
        "No self-assessment in the journal.",
        "No PEG answers.",
        "Flare-ups",
        "0.0 per week over the last 8 weeks.",
        "None noted in the journal.",
        "None saved in the profile.",
    ] {
        assert!(text.contains(part), "'{part}' in:\n{text}");
    }
    sb.log_one_of_each();
    let json = sb.json(&["journal", "summary"]);
    assert_eq!(json["peg"]["answers"], 1, "{json}");
    assert_eq!(json["peg"]["first"]["date"], "2026-11-15");
    assert_eq!(json["peg"]["enough_answers"], false);
    assert_eq!(json["exercise"]["weeks"].as_array().map(Vec::len), Some(8));
    assert_eq!(json["red_flag_level"], "none");
    assert!(json["conditions"].as_array().is_some_and(Vec::is_empty));
    let text = sb.run(&["journal", "summary"]);
    assert!(
        text.ok().stdout.contains("First 4.3/10 (2026-11-15)"),
        "{}",
        text.stdout
    );
}

// --- Export, import, delete ------------------------------------------------------------------

#[test]
fn export_then_delete_then_import_restores_the_same_entries() {
    let sb = Sandbox::new().created();
    sb.log_one_of_each();
    let before = sb.entries();
    let file = sb.path("journal.json");
    let run = sb.run(&[
        "journal",
        "export",
        "--format",
        "json",
        "-o",
        path_str(&file),
    ]);
    run.ok();
    assert!(
        run.stdout.is_empty(),
        "the export went to the file: {}",
        run.describe()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)
            .expect("written")
            .permissions()
            .mode();
        assert_eq!(
            format!("{:o}", mode & 0o777),
            "600",
            "the export is private"
        );
    }
    let document: Value =
        serde_json::from_slice(&std::fs::read(&file).expect("written")).expect("JSON");
    assert_eq!(document["format"], "spinewise-journal");
    assert_eq!(document["version"], 1);
    assert_eq!(document["entries"].as_array().map(Vec::len), Some(4));

    let deleted = sb.json(&["journal", "delete", "--all", "--yes"]);
    assert_eq!(deleted["deleted"], 4);
    assert!(sb.entries().is_empty());

    let imported = sb.json(&["journal", "import", path_str(&file)]);
    assert_eq!(imported["imported"], 4);
    assert_eq!(sb.entries(), before);

    // Importing again changes nothing; --replace gives the same.
    sb.json(&["journal", "import", path_str(&file)]);
    assert_eq!(sb.entries(), before);
    let replaced = sb.json(&["journal", "import", "--replace", path_str(&file)]);
    assert_eq!(replaced["replaced"], true);
    assert_eq!(sb.entries(), before);
}

#[test]
fn export_to_a_file_refuses_to_overwrite_it() {
    let sb = Sandbox::new().created();
    sb.log_one_of_each();
    let file = sb.path("taken.json");
    std::fs::write(&file, "keep me").expect("written");
    sb.run(&["journal", "export", "-o", path_str(&file)])
        .usage_error(&["--output", "already exists"]);
    assert_eq!(
        std::fs::read_to_string(&file).expect("still there"),
        "keep me"
    );
}

#[test]
fn csv_export_needs_a_kind_and_writes_that_kind() {
    let sb = Sandbox::new().created();
    sb.log_one_of_each();
    sb.run(&["journal", "export", "--format", "csv"])
        .usage_error(&["--kind"]);
    let run = sb.run(&["journal", "export", "--format", "csv", "--kind", "daily"]);
    run.ok();
    let day = daily_id(&sb.entries());
    assert_eq!(
        run.stdout,
        format!(
            "id,date,pain_morning,pain_evening,sleep_hours,sleep_quality,mood,stress,note\r\n\
             {day},2026-11-20,3,5,6.5,2,4,3,\r\n"
        )
    );
    let run = sb.run(&["journal", "export", "--format", "csv", "--kind", "intimacy"]);
    run.ok();
    assert!(
        run.stdout
            .contains("\"quokka-marmalade-7741 felt fine, \"\"slow\"\" start\""),
        "the note is quoted: {}",
        run.describe()
    );
    sb.run(&["journal", "export", "--format", "xml"])
        .usage_error(&["xml", "json", "csv", "fhir"]);
}

#[test]
fn fhir_export_is_a_bundle() {
    let sb = Sandbox::new().created();
    sb.log_one_of_each();
    let bundle = sb.run(&["journal", "export", "--format", "fhir"]).json();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    let resources: Vec<&Value> = bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| &e["resource"])
        .collect();
    let pain = resources
        .iter()
        .filter(|r| r["code"]["coding"][0]["code"] == "72514-3")
        .count();
    // Intimacy: before, during, after; daily: morning, evening; exercise: before, after.
    assert_eq!(pain, 3 + 2 + 2, "{bundle}");
    assert_eq!(
        resources
            .iter()
            .filter(|r| r["resourceType"] == "QuestionnaireResponse")
            .count(),
        1,
        "the PEG"
    );
    assert!(!bundle.to_string().contains("quokka"), "notes stay private");
    // An empty journal's bundle is valid FHIR: no empty `entry` array.
    let empty = Sandbox::new().created();
    let bundle = empty.run(&["journal", "export", "--format", "fhir"]).json();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert!(bundle.get("entry").is_none(), "{bundle}");
}

#[test]
fn import_names_the_file_and_the_place_of_a_problem() {
    let sb = Sandbox::new().created();
    sb.log_one_of_each();
    let file = sb.path("journal.json");
    sb.run(&["journal", "export", "-o", path_str(&file)]).ok();
    let mut document: Value =
        serde_json::from_slice(&std::fs::read(&file).expect("written")).expect("JSON");
    document["entries"][2]["pain_after"] = serde_json::json!(11);
    let bad = sb.path("bad.json");
    std::fs::write(&bad, document.to_string()).expect("written");
    sb.run(&["journal", "import", path_str(&bad)])
        .usage_error(&["bad.json", "entries[2].pain_after", "11"]);
    let not_json = sb.path("notes.txt");
    std::fs::write(&not_json, "just some notes").expect("written");
    sb.run(&["journal", "import", path_str(&not_json)])
        .usage_error(&["notes.txt", "not a JSON document"]);
    sb.run(&["journal", "import", path_str(&sb.path("missing.json"))])
        .usage_error(&["missing.json"]);
    assert_eq!(sb.entries().len(), 4, "nothing changed");
}

#[test]
fn delete_removes_one_entry_or_all_and_needs_yes() {
    let sb = Sandbox::new().created();
    sb.log_one_of_each();
    sb.run(&["journal", "delete", "i1"]).usage_error(&["--yes"]);
    assert_eq!(sb.entries().len(), 4, "nothing deleted without --yes");
    let day = daily_id(&sb.entries());
    let r = sb.json(&["journal", "delete", "i1", "--yes"]);
    assert_eq!(r["deleted"], 1);
    assert_eq!(ids(&sb.entries()), ["p1", "x1", day.as_str()]);
    sb.run(&["journal", "delete", "i1", "--yes"])
        .usage_error(&["i1", "no entry"]);
    sb.run(&["journal", "delete", "--all"])
        .usage_error(&["--yes"]);
    let run = sb.run(&["journal", "delete", "--all", "--yes"]);
    run.ok();
    assert!(run.stdout.contains('3'), "{}", run.describe());
    assert!(sb.entries().is_empty());
}

#[test]
fn nothing_logged_is_readable_on_disk() {
    let sb = Sandbox::new().created();
    sb.log_one_of_each();
    sb.run(&[
        "journal",
        "log",
        "intimacy",
        "--id",
        "i2",
        "--at",
        "2026-11-21T22:00",
        "--position",
        "missionary-knees-up",
        "--prep",
        "pain-reliever",
        "--before",
        "1",
        "--after",
        "1",
        "--symptom",
        "night-pain",
        "--note",
        "pelican-umbrella-3309",
    ])
    .ok();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(sb.data_dir()).expect("the data directory") {
        let path = entry.expect("an entry").path();
        files.push((path.clone(), std::fs::read(&path).expect("readable")));
    }
    assert!(
        files.iter().any(|(p, _)| p == &sb.journal_file()),
        "{files:?}"
    );
    let needles = [
        "quokka-marmalade",
        "pelican-umbrella",
        "spooning",
        "side-lying-face-to-face",
        "missionary-knees-up",
        "warm-bath",
        "pain-reliever",
        "night-pain",
        "bird dog",
        "intimacy",
        "pain_before",
        "next_day_pain",
        "2026-11-20",
        "2026-11-21",
    ];
    for (path, bytes) in &files {
        for needle in needles {
            let found = bytes
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
            assert!(
                !found,
                "{} contains {needle:?} in plain text",
                path.display()
            );
        }
    }
}

// --- The demo account --------------------------------------------------------------------------

#[test]
fn demo_fills_a_demo_account_and_refills_it() {
    let sb = Sandbox::new();
    let db = sb.path("demo.db");
    let url = format!("sqlite://{}", path_str(&db));
    let first = sb.json(&["demo", "--database-url", &url, "--days", "60"]);
    assert_eq!(first["login"], "demo");
    let password = first["password"].as_str().expect("a password");
    assert!(password.len() >= 16, "{first}");
    let code = first["recovery_code"].as_str().expect("a recovery code");
    assert!(code.split('-').all(|g| g.len() == 4), "{code}");
    let entries = first["entries"].as_u64().expect("a count");
    assert!(entries > 60, "about two months of entries: {first}");
    assert!(db.exists());

    let again = sb.json(&["demo", "--database-url", &url, "--days", "60"]);
    assert_eq!(again["entries"], entries, "refilled, not added to");
    assert_ne!(
        again["password"], first["password"],
        "a new password each time"
    );

    let text = sb.run(&[
        "demo",
        "--database-url",
        &url,
        "--days",
        "60",
        "--login",
        "demo-two",
    ]);
    text.ok();
    assert!(text.stdout.contains("demo-two"), "{}", text.describe());
}

#[test]
fn demo_refuses_a_login_that_is_a_real_account() {
    let sb = Sandbox::new().created();
    let url = format!("sqlite://{}", path_str(&sb.journal_file()));
    sb.run(&["demo", "--login", "local", "--database-url", &url])
        .usage_error(&["--login", "local", "real account"]);
    // The journal is untouched.
    sb.log_one_of_each();
    assert_eq!(sb.entries().len(), 4);
    sb.run(&["demo", "--login", "no spaces", "--database-url", &url])
        .usage_error(&["--login"]);
    sb.run(&["demo", "--days", "0", "--database-url", &url])
        .usage_error(&["--days", "0"]);
}
