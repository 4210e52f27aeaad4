//! End-to-end tests of the `spinewise` binary, organised by subcommand: the success paths of
//! every command (text and `--json`), the usage errors (exit code 2 and exactly one line on
//! standard error that names the bad value), the behaviour the plan promises as seen from the
//! command line, and insta snapshots of the JSON contract.
//!
//! Every test runs the real binary (`CARGO_BIN_EXE_spinewise`) with `SPINEWISE_DATA_DIR` set
//! explicitly to its own temporary directory, so that no test reads or writes a real profile or
//! another test's, and with standard input closed or piped, so that no test waits for a
//! terminal. Answers files live in `tests/fixtures/answers/`; variants of them are written to
//! the test's temporary directory.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use tempfile::TempDir;

// --- Helpers ---------------------------------------------------------------------------------

/// What one run of the binary came to.
#[derive(Debug)]
struct Run {
    args: Vec<String>,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Asserts that the run succeeded.
    fn ok(&self) -> &Run {
        assert_eq!(
            self.code,
            Some(0),
            "`spinewise {}` failed\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts that the run succeeded and parses its standard output as JSON.
    fn json(&self) -> Value {
        self.ok();
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "`spinewise {}` printed invalid JSON ({e}):\n{}",
                self.args.join(" "),
                self.stdout
            )
        })
    }

    /// Asserts a usage error: exit code 2, nothing on standard output, and exactly one
    /// non-empty line on standard error that contains every one of `needles`. Returns the line.
    fn usage_error(&self, needles: &[&str]) -> &str {
        assert_eq!(
            self.code,
            Some(2),
            "`spinewise {}` should fail with exit code 2\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.stdout,
            self.stderr
        );
        assert!(
            self.stdout.is_empty(),
            "`spinewise {}` printed on stdout:\n{}",
            self.args.join(" "),
            self.stdout
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "`spinewise {}` should print exactly one line on stderr, got:\n{}",
            self.args.join(" "),
            self.stderr
        );
        let line = lines[0];
        assert!(!line.trim().is_empty(), "the error line is empty");
        for needle in needles {
            assert!(
                line.contains(needle),
                "`spinewise {}`: the error should contain {needle:?}:\n{line}",
                self.args.join(" ")
            );
        }
        line
    }
}

/// A private data directory for one test, and the binary run against it.
struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    /// The data directory given to the binary. It does not exist until a profile is saved.
    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_spinewise"));
        command
            .args(args)
            .env("SPINEWISE_DATA_DIR", self.data_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    fn finish(args: &[&str], output: std::process::Output) -> Run {
        Run {
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Runs `spinewise ARGS` with standard input closed.
    fn run(&self, args: &[&str]) -> Run {
        let output = self
            .command(args)
            .stdin(Stdio::null())
            .output()
            .expect("the binary runs");
        Sandbox::finish(args, output)
    }

    /// Runs `spinewise ARGS` with `input` piped to standard input.
    fn run_with_stdin(&self, args: &[&str], input: &str) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        {
            let mut stdin = child.stdin.take().expect("a pipe to stdin");
            // The input is far smaller than a pipe's buffer; if the program exits without
            // reading all of it the write fails with a broken pipe, which the assertions on
            // its output then explain better than a panic here.
            let _ = stdin.write_all(input.as_bytes());
        }
        let output = child.wait_with_output().expect("the binary finishes");
        Sandbox::finish(args, output)
    }

    /// Runs `spinewise ARGS --json`, asserts success and returns the JSON.
    fn json(&self, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        self.run(&args).json()
    }

    /// The saved profile according to `profile show --json` (`null` if there is none).
    fn saved_profile(&self) -> Value {
        let shown = self.json(&["profile", "show"]);
        assert_eq!(
            shown["path"].as_str().map(PathBuf::from),
            Some(self.data_dir().join("profile.json")),
            "the profile lives in the data directory"
        );
        shown["profile"].clone()
    }

    /// Writes an answers file (or any text) into the test's directory and returns its path.
    fn write_file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("the file is written");
        path
    }

    /// Writes `answers` as an answers file and returns its path.
    fn write_answers(&self, name: &str, answers: &Value) -> PathBuf {
        let text = serde_json::to_string_pretty(answers).expect("answers encode");
        self.write_file(name, &text)
    }
}

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

fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
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

// --- recommend -------------------------------------------------------------------------------

mod recommend {
    use super::*;

    const VERDICTS: [&str; 3] = ["recommended", "caution", "avoid"];

    #[test]
    fn text_plan_describes_the_couple_and_ranks_the_positions() {
        let sb = Sandbox::new();
        let run = sb.run(&["recommend", "--pain-type", "flexion", "--role", "receptive"]);
        run.ok();
        let out = &run.stdout;
        assert!(out.starts_with("Your plan"), "{out}");
        assert!(out.contains("You: flexion-intolerant, receptive"), "{out}");
        assert!(out.contains("Partner: no back pain, insertive"), "{out}");
        assert!(out.contains("Positions, best first"), "{out}");
        // The women's study ranked kneeling from behind (on the hands) first for a
        // flexion-intolerant back, side-lying second.
        assert!(
            out.contains(" 1. Kneeling from behind (hands and knees): RECOMMENDED"),
            "{out}"
        );
        assert!(
            out.contains(" 2. Spooning (side-lying): RECOMMENDED"),
            "{out}"
        );
        assert!(
            out.contains("Basis: Posture filmed with motion capture"),
            "the plan labels measured positions: {out}"
        );
        assert!(
            out.contains("Basis: Posture not measured in a study"),
            "the plan labels reasoned positions: {out}"
        );
        assert!(out.contains("AVOID"), "{out}");
        assert!(out.contains("does not replace an examination"), "{out}");
        assert!(run.stderr.is_empty(), "{}", run.stderr);
        assert!(
            !sb.data_dir().exists(),
            "recommend does not create the data directory"
        );
    }

    #[test]
    fn json_follows_the_documented_contract() {
        let sb = Sandbox::new();
        let plan = sb.json(&["recommend", "--pain-type", "flexion", "--role", "receptive"]);

        let positions = as_array(&plan["positions"], "positions");
        assert_eq!(positions.len(), 13, "every position is ranked");
        for p in positions {
            assert!(!as_str(&p["id"], "id").is_empty());
            assert!(!as_str(&p["name"], "name").is_empty());
            let verdict = as_str(&p["verdict"], "verdict");
            assert!(VERDICTS.contains(&verdict), "unknown verdict {verdict}");
            assert!(!strings(&p["reasons"], "reasons").is_empty(), "{p}");
            for m in as_array(&p["modifications"], "modifications") {
                as_str(&m["id"], "modification id");
                as_str(&m["how"], "modification how");
            }
            assert!(
                !strings(&p["sources"], "position sources").is_empty(),
                "{p}"
            );
        }

        let tips = plan["tips"].as_object().expect("tips is an object");
        for phase in ["before", "during", "after"] {
            let list = as_array(&tips[phase], phase);
            assert!(!list.is_empty(), "no tips for {phase}");
            for t in list {
                as_str(&t["id"], "tip id");
                assert!(!as_str(&t["text"], "tip text").is_empty());
                strings(&t["sources"], "tip sources");
            }
        }

        assert_triage_contract(&plan["triage"]);
        assert_eq!(plan["triage"]["level"], "none");
        assert_eq!(plan["triage"]["findings"], json!([]));

        for n in as_array(&plan["notices"], "notices") {
            as_str(&n["id"], "notice id");
            as_str(&n["text"], "notice text");
            strings(&n["sources"], "notice sources");
        }
        assert!(as_str(&plan["disclaimer"], "disclaimer").contains("does not diagnose"));

        // Every source cited anywhere is listed in full once under "references".
        let references: Vec<String> = as_array(&plan["references"], "references")
            .iter()
            .map(|r| as_str(&r["id"], "reference id").to_owned())
            .collect();
        let mut cited: Vec<String> = Vec::new();
        for p in positions {
            cited.extend(strings(&p["sources"], "sources"));
        }
        for phase in ["before", "during", "after"] {
            for t in as_array(&tips[phase], phase) {
                cited.extend(strings(&t["sources"], "sources"));
            }
        }
        for id in &cited {
            assert!(references.contains(id), "{id} is cited but not referenced");
        }
        let mut unique = references.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), references.len(), "references are listed once");
    }

    #[test]
    fn json_flag_is_accepted_before_the_subcommand() {
        let sb = Sandbox::new();
        let args = ["recommend", "--pain-type", "motion", "--role", "insertive"];
        let after = sb.json(&args);
        let mut before = vec!["--json"];
        before.extend(args);
        assert_eq!(sb.run(&before).json(), after);
    }

    #[test]
    fn an_emergency_symptom_withholds_every_position() {
        let sb = Sandbox::new();
        let plan = sb.json(&[
            "recommend",
            "--pain-type",
            "flexion",
            "--role",
            "receptive",
            "--symptom",
            "saddle-numbness",
        ]);
        assert_eq!(plan["positions"], json!([]));
        assert_eq!(plan["triage"]["level"], "emergency");
        assert_eq!(plan["triage"]["findings"][0]["symptom"], "saddle-numbness");
        assert!(tip_ids(&plan).is_empty(), "{}", plan["tips"]);
    }

    #[test]
    fn kidney_disease_replaces_the_pain_reliever_with_asking_a_pharmacist() {
        let sb = Sandbox::new();
        let base = ["recommend", "--pain-type", "flexion", "--role", "receptive"];
        let plain = tip_ids(&sb.json(&base));
        assert!(plain.contains(&"pain-reliever".to_owned()), "{plain:?}");
        assert!(!plain.contains(&"ask-pharmacist".to_owned()), "{plain:?}");

        let mut args = base.to_vec();
        args.extend(["--condition", "kidney-disease"]);
        let plan = sb.json(&args);
        let tips = tip_ids(&plan);
        assert!(!tips.contains(&"pain-reliever".to_owned()), "{tips:?}");
        assert!(tips.contains(&"ask-pharmacist".to_owned()), "{tips:?}");
        let ask = as_array(&plan["tips"]["before"], "before")
            .iter()
            .find(|t| t["id"] == "ask-pharmacist")
            .expect("ask-pharmacist comes before");
        assert_eq!(ask["replaces"], "pain-reliever");
    }

    #[test]
    fn recent_spine_surgery_puts_the_surgeon_first_and_recommends_nothing() {
        let sb = Sandbox::new();
        let base = ["recommend", "--pain-type", "flexion", "--role", "receptive"];
        let plain = verdicts(&sb.json(&base));
        assert!(plain.iter().any(|(_, v)| v == "recommended"));

        let mut args = base.to_vec();
        args.extend(["--condition", "recent-spine-surgery"]);
        let plan = sb.json(&args);
        assert_eq!(
            notice_ids(&plan).first().map(String::as_str),
            Some("surgeon-first")
        );
        let list = verdicts(&plan);
        assert_eq!(list.len(), plain.len());
        assert!(
            list.iter().all(|(_, v)| v != "recommended"),
            "nothing is recommended after surgery: {list:?}"
        );
    }

    #[test]
    fn a_high_pain_day_puts_non_penetrative_first() {
        let sb = Sandbox::new();
        let base = ["recommend", "--pain-type", "flexion", "--role", "receptive"];
        let plain = verdicts(&sb.json(&base));
        assert_ne!(plain[0].0, "non-penetrative", "the test needs a contrast");

        let mut args = base.to_vec();
        args.extend(["--pain-now", "8"]);
        let plan = sb.json(&args);
        assert_eq!(plan["positions"][0]["id"], "non-penetrative");
        assert_eq!(plan["couple"]["you"]["pain_now"], 8);
    }

    #[test]
    fn the_couple_can_be_described_from_either_side() {
        let sb = Sandbox::new();
        // (your pain type, your role, your condition, partner's pain type, partner's condition)
        let couples = [
            ("flexion", "receptive", None, "none", None),
            (
                "extension",
                "insertive",
                Some("disc-problem"),
                "motion",
                None,
            ),
            (
                "flexion",
                "receptive",
                Some("disc-problem"),
                "extension",
                Some("kidney-disease"),
            ),
            (
                "motion",
                "receptive",
                None,
                "unclear",
                Some("hip-replacement"),
            ),
            ("unclear", "insertive", Some("pregnancy"), "flexion", None),
        ];
        for (pain, role, condition, partner_pain, partner_condition) in couples {
            let other = if role == "receptive" {
                "insertive"
            } else {
                "receptive"
            };
            let mut mine = vec![
                "recommend",
                "--pain-type",
                pain,
                "--role",
                role,
                "--partner-pain-type",
                partner_pain,
                "--pain-now",
                "6",
            ];
            let mut theirs = vec![
                "recommend",
                "--pain-type",
                partner_pain,
                "--role",
                other,
                "--partner-pain-type",
                pain,
                "--partner-pain-now",
                "6",
            ];
            if let Some(c) = condition {
                mine.extend(["--condition", c]);
                theirs.extend(["--partner-condition", c]);
            }
            if let Some(c) = partner_condition {
                mine.extend(["--partner-condition", c]);
                theirs.extend(["--condition", c]);
            }
            let a = sb.json(&mine);
            let b = sb.json(&theirs);
            assert_eq!(
                verdicts(&a),
                verdicts(&b),
                "the same couple described from either side: {mine:?} / {theirs:?}"
            );
            assert_eq!(a["couple"]["you"], b["couple"]["partner"]);
        }
    }

    #[test]
    fn arguments_override_the_saved_profile_and_no_profile_ignores_it() {
        let sb = Sandbox::new();
        sb.run(&[
            "profile",
            "set",
            "--pain-type",
            "extension",
            "--role",
            "insertive",
            "--condition",
            "disc-problem",
        ])
        .ok();

        let plan = sb.json(&["recommend"]);
        assert_eq!(plan["couple"]["you"]["pain_type"], "extension");
        assert_eq!(plan["couple"]["you"]["role"], "insertive");
        assert_eq!(plan["couple"]["you"]["conditions"], json!(["disc-problem"]));

        let plan = sb.json(&["recommend", "--pain-type", "flexion"]);
        assert_eq!(plan["couple"]["you"]["pain_type"], "flexion");
        assert_eq!(
            plan["couple"]["you"]["role"], "insertive",
            "from the profile"
        );
        assert_eq!(plan["couple"]["partner"]["role"], "receptive");

        sb.run(&["recommend", "--no-profile"])
            .usage_error(&["no pain type given", "--pain-type"]);
    }

    #[test]
    fn snapshot_flexion_receptive() {
        let sb = Sandbox::new();
        let plan = sb.json(&["recommend", "--pain-type", "flexion", "--role", "receptive"]);
        insta::assert_json_snapshot!("recommend_flexion_receptive", plan);
    }

    #[test]
    fn snapshot_extension_insertive_with_partner_motion() {
        let sb = Sandbox::new();
        let plan = sb.json(&[
            "recommend",
            "--pain-type",
            "extension",
            "--role",
            "insertive",
            "--partner-pain-type",
            "motion",
        ]);
        insta::assert_json_snapshot!("recommend_extension_insertive_partner_motion", plan);
    }

    #[test]
    fn snapshot_unclear_receptive_painful_morning_disc_problem() {
        let sb = Sandbox::new();
        let plan = sb.json(&[
            "recommend",
            "--pain-type",
            "unclear",
            "--role",
            "receptive",
            "--pain-now",
            "7",
            "--time",
            "morning",
            "--condition",
            "disc-problem",
        ]);
        insta::assert_json_snapshot!("recommend_unclear_receptive_pain7_morning_disc", plan);
    }

    #[test]
    fn snapshot_night_pain() {
        let sb = Sandbox::new();
        let plan = sb.json(&[
            "recommend",
            "--pain-type",
            "flexion",
            "--role",
            "receptive",
            "--symptom",
            "night-pain",
        ]);
        insta::assert_json_snapshot!("recommend_symptom_night_pain", plan);
    }

    // Errors.

    fn flexion_receptive_and(extra: &[&'static str]) -> Vec<&'static str> {
        let mut args = vec!["recommend", "--pain-type", "flexion", "--role", "receptive"];
        args.extend(extra);
        args
    }

    #[test]
    fn an_unknown_pain_type_is_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        sb.run(&[
            "recommend",
            "--pain-type",
            "sideways",
            "--role",
            "receptive",
        ])
        .usage_error(&["'sideways'", "flexion, extension, motion, none, unclear"]);
        sb.run(&flexion_receptive_and(&["--partner-pain-type", "wobbly"]))
            .usage_error(&["'wobbly'", "flexion, extension, motion, none, unclear"]);
    }

    #[test]
    fn an_unknown_role_is_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        sb.run(&["recommend", "--pain-type", "flexion", "--role", "bottom"])
            .usage_error(&["'bottom'", "receptive, insertive"]);
    }

    #[test]
    fn an_unknown_partner_role_is_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        sb.run(&flexion_receptive_and(&["--partner-role", "top"]))
            .usage_error(&["'top'", "--partner-role", "receptive, insertive"]);
    }

    #[test]
    fn an_unknown_time_is_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        sb.run(&flexion_receptive_and(&["--time", "noon"]))
            .usage_error(&["'noon'", "morning, afternoon, evening, night"]);
    }

    #[test]
    fn an_unknown_condition_is_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        sb.run(&flexion_receptive_and(&["--condition", "gout"]))
            .usage_error(&["'gout'", "--condition", "disc-problem", "kidney-disease"]);
        sb.run(&flexion_receptive_and(&["--partner-condition", "gout"]))
            .usage_error(&[
                "'gout'",
                "--partner-condition",
                "disc-problem",
                "recent-spine-surgery",
            ]);
    }

    #[test]
    fn an_unknown_symptom_is_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        sb.run(&flexion_receptive_and(&["--symptom", "sneezing"]))
            .usage_error(&["'sneezing'", "saddle-numbness", "night-pain"]);
    }

    #[test]
    fn pain_now_must_be_a_whole_number_from_0_to_10() {
        let sb = Sandbox::new();
        sb.run(&flexion_receptive_and(&["--pain-now", "11"]))
            .usage_error(&["'11'", "--pain-now", "0 to 10"]);
        sb.run(&flexion_receptive_and(&["--pain-now", "3.5"]))
            .usage_error(&["'3.5'", "--pain-now", "0 to 10"]);
        sb.run(&flexion_receptive_and(&["--partner-pain-now", "12"]))
            .usage_error(&["'12'", "--partner-pain-now", "0 to 10"]);
        sb.run(&flexion_receptive_and(&["--pain-now", "-1"]))
            .usage_error(&["'-1'", "--pain-now", "0 to 10"]);
        sb.run(&flexion_receptive_and(&["--pain-now=-1"]))
            .usage_error(&["'-1'", "--pain-now", "0 to 10"]);
    }

    #[test]
    fn both_partners_cannot_take_the_same_role() {
        let sb = Sandbox::new();
        sb.run(&flexion_receptive_and(&["--partner-role", "receptive"]))
            .usage_error(&["receptive", "both"]);
        sb.run(&[
            "recommend",
            "--pain-type",
            "flexion",
            "--role",
            "insertive",
            "--partner-role",
            "insertive",
        ])
        .usage_error(&["insertive", "both", "'switch'"]);
    }

    #[test]
    fn a_couple_that_switches_is_judged_both_ways_round() {
        let sb = Sandbox::new();
        let plan = sb.json(&["recommend", "--pain-type", "flexion", "--role", "switch"]);
        assert_eq!(plan["couple"]["you"]["role"], "switch");
        assert_eq!(plan["couple"]["partner"]["role"], "switch");
        assert_eq!(plan["couple"]["switching"], true);
        let spooning = as_array(&plan["positions"], "positions")
            .iter()
            .find(|p| p["id"] == "spooning")
            .expect("spooning")
            .clone();
        // Side-lying suits a receptive flexion-intolerant back, not an insertive one: taking
        // turns, the back keeps the more cautious verdict and says in which role.
        assert_eq!(spooning["verdict"], "avoid");
        assert_eq!(spooning["partners"]["you"]["role"], "insertive");
        assert!(
            strings(&spooning["reasons"], "reasons")
                .iter()
                .any(|r| r.contains("as the insertive partner"))
        );
        let text = sb.run(&["recommend", "--pain-type", "flexion", "--role", "switch"]);
        text.ok();
        assert!(
            text.stdout.contains("switch (partners who take turns"),
            "{}",
            text.stdout
        );
    }

    #[test]
    fn the_help_defines_the_roles_by_what_each_partner_does() {
        let sb = Sandbox::new();
        let help = sb.run(&["recommend", "--help"]);
        help.ok();
        for words in [
            "the partner who is penetrated",
            "the partner who penetrates",
            "switch",
        ] {
            assert!(help.stdout.contains(words), "{words}: {}", help.stdout);
        }
    }

    /// The help is written by hand; the numbers it gives for the week of a pregnancy are the
    /// safety policy's and the content's.
    #[test]
    fn the_help_gives_the_policys_weeks_of_pregnancy() {
        let k = spinewise_domain::Knowledge::bundled().expect("the bundled knowledge base");
        let from_week = k
            .condition("pregnancy")
            .expect("pregnancy")
            .restrictions
            .iter()
            .find_map(|r| match r {
                spinewise_domain::knowledge::ConditionRestriction::FromWeek {
                    from_week, ..
                } => Some(*from_week),
                spinewise_domain::knowledge::ConditionRestriction::Always(_) => None,
            })
            .expect("a restriction from a week");
        let sb = Sandbox::new();
        for command in ["recommend", "program"] {
            let help = sb.run(&[command, "--help"]);
            help.ok();
            let text = help.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
            for words in [
                format!("0 to {}", spinewise_domain::safety::MAX_PREGNANCY_WEEKS),
                format!("possibly past {from_week} weeks"),
            ] {
                assert!(text.contains(&words), "{command}: {words}: {text}");
            }
        }
    }

    #[test]
    fn new_conditions_change_the_plan() {
        let sb = Sandbox::new();
        let plan = sb.json(&flexion_receptive_and(&["--condition", "osteoporosis"]));
        let missionary = as_array(&plan["positions"], "positions")
            .iter()
            .find(|p| p["id"] == "missionary")
            .expect("missionary")
            .clone();
        assert!(
            strings(&missionary["reasons"], "reasons")
                .iter()
                .any(|r| r.contains("thin bones"))
        );
        let plan = sb.json(&[
            "recommend",
            "--pain-type",
            "none",
            "--role",
            "receptive",
            "--condition",
            "pregnancy",
            "--pregnancy-weeks",
            "12",
        ]);
        let verdict = |id: &str| {
            as_array(&plan["positions"], "positions")
                .iter()
                .find(|p| p["id"] == id)
                .map(|p| p["verdict"].clone())
                .expect("the position")
        };
        assert_eq!(verdict("prone-flat"), "avoid");
        assert_eq!(verdict("missionary"), "recommended", "before week 20");
        assert_eq!(plan["couple"]["you"]["pregnancy_weeks"], 12);
        sb.run(&flexion_receptive_and(&["--pregnancy-weeks", "50"]))
            .usage_error(&["'50'", "0 to 45"]);
    }

    #[test]
    fn without_a_pain_type_or_a_profile_the_pain_types_are_listed() {
        let sb = Sandbox::new();
        sb.run(&["recommend"]).usage_error(&[
            "no pain type given",
            "--pain-type",
            "flexion, extension, motion, none, unclear",
        ]);
        sb.run(&["recommend", "--role", "receptive"])
            .usage_error(&["no pain type given"]);
    }

    #[test]
    fn with_a_pain_type_but_no_role_or_profile_the_roles_are_listed() {
        let sb = Sandbox::new();
        sb.run(&["recommend", "--pain-type", "flexion"])
            .usage_error(&["no role given", "--role", "receptive, insertive, switch"]);
    }
}

// --- check -----------------------------------------------------------------------------------

mod check {
    use super::*;

    #[test]
    fn text_names_the_level_the_symptom_and_the_sources() {
        let sb = Sandbox::new();
        let run = sb.run(&["check", "--symptom", "fever"]);
        run.ok();
        assert!(
            run.stdout.contains("URGENT: See a doctor today"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("Fever or chills"), "{}", run.stdout);
        assert!(run.stdout.contains("[nice-ng59]"), "{}", run.stdout);
    }

    #[test]
    fn json_follows_the_documented_contract() {
        let sb = Sandbox::new();
        let check = sb.json(&["check", "--symptom", "fever"]);
        assert_triage_contract(&check);
        assert_eq!(check["level"], "urgent");
        let findings = as_array(&check["findings"], "findings");
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0]["symptom"], "fever");
        assert_eq!(findings[0]["level"], "urgent");
        assert!(as_str(&findings[0]["advice"], "advice").contains("infection"));
        assert_eq!(
            strings(&findings[0]["sources"], "sources"),
            ["nice-ng59", "chou-2007"]
        );
        assert!(check["disclaimer"].is_string());
    }

    #[test]
    fn the_most_urgent_finding_sets_the_level_and_comes_first() {
        let sb = Sandbox::new();
        let check = sb.json(&[
            "check",
            "--symptom",
            "night-pain",
            "--symptom",
            "bladder-bowel-change",
        ]);
        assert_eq!(check["level"], "emergency");
        assert_eq!(check["findings"][0]["symptom"], "bladder-bowel-change");
        assert_eq!(check["findings"][1]["symptom"], "night-pain");
        assert_eq!(check["findings"][1]["level"], "soon");
    }

    #[test]
    fn a_combination_escalates_both_symptoms() {
        let sb = Sandbox::new();
        let check = sb.json(&[
            "check",
            "--symptom",
            "cancer-history",
            "--symptom",
            "night-pain",
        ]);
        assert_eq!(check["level"], "urgent");
        for finding in as_array(&check["findings"], "findings") {
            assert_eq!(finding["level"], "urgent");
            assert_eq!(finding["escalated_by"], "cancer-with-night-pain");
        }
        let alone = sb.json(&["check", "--symptom", "night-pain"]);
        assert_eq!(alone["level"], "soon");
    }

    #[test]
    fn the_saved_conditions_count_unless_left_out() {
        // Bleeding after sex is to be seen soon; in a pregnancy, today. A pregnancy saved in the
        // profile counts as one given now, as in every other feature.
        let sb = Sandbox::new();
        sb.run(&["profile", "set", "--condition", "pregnancy"]).ok();
        let saved = sb.json(&["check", "--symptom", "bleeding-after-sex"]);
        assert_eq!(saved["level"], "urgent", "{saved}");
        assert_eq!(
            saved["findings"][0]["escalated_by"],
            "bleeding-in-pregnancy"
        );
        let left_out = sb.json(&["check", "--symptom", "bleeding-after-sex", "--no-profile"]);
        assert_eq!(left_out["level"], "soon", "{left_out}");
        let given = sb.json(&[
            "check",
            "--symptom",
            "bleeding-after-sex",
            "--no-profile",
            "--condition",
            "pregnancy",
        ]);
        assert_eq!(given["level"], "urgent", "{given}");
    }

    #[test]
    fn without_symptoms_and_without_a_terminal_nothing_is_asked() {
        let sb = Sandbox::new();
        let run = sb.run(&["check", "--json"]);
        let check = run.json();
        assert_eq!(check["level"], "none");
        assert_eq!(check["findings"], json!([]));
        assert!(run.stderr.is_empty(), "{}", run.stderr);
    }

    #[test]
    fn list_shows_every_symptom_with_its_level() {
        let sb = Sandbox::new();
        let run = sb.run(&["check", "--list"]);
        run.ok();
        assert!(
            run.stdout.contains("saddle-numbness (emergency)"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("night-pain (soon)"), "{}", run.stdout);

        let list = sb.json(&["check", "--list"]);
        let list = as_array(&list, "symptom list");
        assert_eq!(list.len(), 23);
        let saddle = list
            .iter()
            .find(|s| s["id"] == "saddle-numbness")
            .expect("saddle-numbness is listed");
        assert_eq!(saddle["level"], "emergency");
        for s in list {
            as_str(&s["name"], "name");
            as_str(&s["question"], "question");
        }
    }

    #[test]
    fn snapshot_cancer_history_with_night_pain() {
        let sb = Sandbox::new();
        let check = sb.json(&[
            "check",
            "--symptom",
            "cancer-history",
            "--symptom",
            "night-pain",
        ]);
        insta::assert_json_snapshot!("check_cancer_history_night_pain", check);
    }

    #[test]
    fn an_unknown_symptom_is_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        sb.run(&["check", "--symptom", "sneezing"]).usage_error(&[
            "'sneezing'",
            "saddle-numbness",
            "severe-sudden-pelvic-pain",
        ]);
    }

    #[test]
    fn list_and_symptoms_conflict() {
        let sb = Sandbox::new();
        sb.run(&["check", "--list", "--symptom", "fever"])
            .usage_error(&["--list", "--symptom"]);
    }
}

// --- positions -------------------------------------------------------------------------------

mod positions {
    use super::*;

    #[test]
    fn list_shows_every_position() {
        let sb = Sandbox::new();
        let run = sb.run(&["positions"]);
        run.ok();
        for id in ["(missionary)", "(spooning)", "(non-penetrative)"] {
            assert!(run.stdout.contains(id), "{id} missing:\n{}", run.stdout);
        }

        let all = sb.json(&["positions"]);
        let list = as_array(&all["positions"], "positions");
        assert_eq!(list.len(), 13);
        for p in list {
            for role in ["receptive", "insertive"] {
                for dim in ["flexion", "extension", "motion"] {
                    let level = p[role][dim].as_u64().expect("a demand level");
                    assert!(level <= 4, "{} {role} {dim} = {level}", p["id"]);
                }
            }
        }
        assert_eq!(notice_ids(&all), ["study-caveat"]);
    }

    #[test]
    fn one_position_is_shown_in_full() {
        let sb = Sandbox::new();
        let run = sb.run(&["positions", "spooning"]);
        run.ok();
        assert!(
            run.stdout.starts_with("Spooning (side-lying) (spooning)"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("Also called"), "{}", run.stdout);
        assert!(!run.stdout.contains("(missionary)"), "{}", run.stdout);

        let one = sb.json(&["positions", "spooning"]);
        let list = as_array(&one["positions"], "positions");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["id"], "spooning");
        assert!(list[0]["receptive"]["posture"].is_string());
        assert!(list[0]["insertive"]["modifications"].is_array());
    }

    #[test]
    fn an_unknown_position_is_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        sb.run(&["positions", "doggy"]).usage_error(&[
            "'doggy'",
            "missionary",
            "spooning",
            "non-penetrative",
        ]);
    }
}

// --- tips ------------------------------------------------------------------------------------

mod tips {
    use super::*;

    #[test]
    fn every_tip_is_listed_by_phase() {
        let sb = Sandbox::new();
        let run = sb.run(&["tips"]);
        run.ok();
        for heading in ["Before\n------", "During\n------", "After\n-----"] {
            assert!(run.stdout.contains(heading), "{heading}:\n{}", run.stdout);
        }
        assert!(run.stdout.contains("(pain-reliever)"), "{}", run.stdout);

        let all = sb.json(&["tips"]);
        let list = as_array(&all["tips"], "tips");
        let phases: Vec<&str> = list.iter().map(|t| as_str(&t["phase"], "phase")).collect();
        for phase in ["before", "during", "after"] {
            assert!(phases.contains(&phase), "no {phase} tip");
        }
        for t in list {
            as_str(&t["id"], "id");
            as_str(&t["text"], "text");
            as_str(&t["applies"], "applies");
            strings(&t["sources"], "sources");
        }
    }

    #[test]
    fn phase_during_lists_only_tips_for_during() {
        let sb = Sandbox::new();
        let during = sb.json(&["tips", "--phase", "during"]);
        let list = as_array(&during["tips"], "tips");
        assert!(!list.is_empty());
        assert!(list.iter().all(|t| t["phase"] == "during"), "{list:?}");
        let all = sb.json(&["tips"]);
        assert!(list.len() < as_array(&all["tips"], "tips").len());

        let run = sb.run(&["tips", "--phase", "during"]);
        run.ok();
        assert!(run.stdout.contains("(stop-if-pain)"), "{}", run.stdout);
        assert!(!run.stdout.contains("(talk-to-partner)"), "{}", run.stdout);
    }

    #[test]
    fn an_unknown_phase_is_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        sb.run(&["tips", "--phase", "foreplay"])
            .usage_error(&["'foreplay'", "before, during, after"]);
    }
}

// --- faq -------------------------------------------------------------------------------------

mod faq {
    use super::*;

    #[test]
    fn words_find_the_best_answer_first() {
        let sb = Sandbox::new();
        let words = ["faq", "why", "does", "my", "back", "hurt", "after", "sex"];
        let run = sb.run(&words);
        run.ok();
        assert!(
            run.stdout.starts_with("Why does my back hurt after sex?"),
            "{}",
            run.stdout
        );

        let found = sb.json(&words);
        assert_eq!(found["query"], "why does my back hurt after sex");
        let results = as_array(&found["results"], "results");
        assert!(!results.is_empty() && results.len() <= 3, "{results:?}");
        assert_eq!(results[0]["id"], "why-back-hurts-after-sex");
        let scores: Vec<f64> = results
            .iter()
            .map(|r| r["score"].as_f64().expect("a score"))
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

        let one = sb.json(&["faq", "--limit", "1", "back", "hurt", "after", "sex"]);
        assert_eq!(as_array(&one["results"], "results").len(), 1);
    }

    #[test]
    fn without_words_every_question_is_listed() {
        let sb = Sandbox::new();
        let run = sb.run(&["faq"]);
        run.ok();
        assert!(run.stdout.starts_with("Questions"), "{}", run.stdout);
        assert!(run.stdout.contains("Why does my back hurt after sex?"));

        let all = sb.json(&["faq"]);
        assert!(all.get("query").is_none(), "{all}");
        let results = as_array(&all["results"], "results");
        assert!(results.len() > 3, "more than the default limit");
        assert!(results.iter().all(|r| r.get("score").is_none()));
    }

    #[test]
    fn words_that_match_nothing_say_so() {
        let sb = Sandbox::new();
        let run = sb.run(&["faq", "zzzqqq", "xyzzy"]);
        run.ok();
        assert!(run.stdout.contains("No answer matches"), "{}", run.stdout);
        let none = sb.json(&["faq", "zzzqqq", "xyzzy"]);
        assert_eq!(none["results"], json!([]));
    }

    #[test]
    fn a_zero_limit_is_refused() {
        let sb = Sandbox::new();
        sb.run(&["faq", "--limit", "0", "sex"])
            .usage_error(&["'0'", "--limit"]);
    }
}

// --- sources ---------------------------------------------------------------------------------

mod sources {
    use super::*;

    #[test]
    fn every_source_is_listed() {
        let sb = Sandbox::new();
        let run = sb.run(&["sources"]);
        run.ok();
        assert!(
            run.stdout.contains("[nice-ng59] (guideline)"),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("[sidorkewicz-2014] (study)"),
            "{}",
            run.stdout
        );

        let all = sb.json(&["sources"]);
        let list = as_array(&all["sources"], "sources");
        assert!(list.len() > 20, "{}", list.len());
        for s in list {
            as_str(&s["id"], "id");
            as_str(&s["kind"], "kind");
            assert!(!as_str(&s["citation"], "citation").is_empty());
            as_str(&s["note"], "note");
        }
    }

    #[test]
    fn one_source_is_shown() {
        let sb = Sandbox::new();
        let run = sb.run(&["sources", "nice-ng59"]);
        run.ok();
        assert!(
            run.stdout.starts_with("[nice-ng59] (guideline)"),
            "{}",
            run.stdout
        );
        assert!(!run.stdout.contains("[chou-2007]"), "{}", run.stdout);

        let one = sb.json(&["sources", "nice-ng59"]);
        let list = as_array(&one["sources"], "sources");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["id"], "nice-ng59");
        assert_eq!(list[0]["url"], "https://www.nice.org.uk/guidance/ng59");
    }

    #[test]
    fn an_unknown_source_is_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        sb.run(&["sources", "wikipedia"]).usage_error(&[
            "'wikipedia'",
            "nice-ng59",
            "sidorkewicz-2014",
        ]);
    }
}

// --- profile ---------------------------------------------------------------------------------

mod profile {
    use super::*;

    #[test]
    fn show_without_a_profile_says_none_is_saved() {
        let sb = Sandbox::new();
        let run = sb.run(&["profile", "show"]);
        run.ok();
        assert!(
            run.stdout.contains("No profile is saved."),
            "{}",
            run.stdout
        );
        assert_eq!(sb.saved_profile(), Value::Null);
        assert!(!sb.data_dir().exists(), "showing creates nothing");
    }

    #[test]
    fn set_saves_and_show_reads_it_back() {
        let sb = Sandbox::new();
        let run = sb.run(&[
            "profile",
            "set",
            "--pain-type",
            "extension",
            "--role",
            "insertive",
            "--condition",
            "disc-problem",
            "--condition",
            "disc-problem",
            "--partner-pain-type",
            "motion",
            "--partner-condition",
            "pregnancy",
        ]);
        run.ok();
        assert!(
            run.stdout.contains("Your pain type: Extension-intolerant"),
            "{}",
            run.stdout
        );
        assert!(sb.data_dir().join("profile.json").is_file());

        assert_eq!(
            sb.saved_profile(),
            json!({
                "version": 1,
                "pain_type": "extension",
                "role": "insertive",
                "conditions": ["disc-problem"],
                "partner_pain_type": "motion",
                "partner_conditions": ["pregnancy"],
            })
        );

        let shown = sb.run(&["profile", "show"]);
        shown.ok();
        assert!(
            shown.stdout.contains("Your role: insertive"),
            "{}",
            shown.stdout
        );
        assert!(
            shown.stdout.contains("Your conditions: disc-problem"),
            "{}",
            shown.stdout
        );

        // A later set changes only what it is given; --no-conditions clears the conditions.
        sb.run(&["profile", "set", "--role", "receptive", "--no-conditions"])
            .ok();
        let profile = sb.saved_profile();
        assert_eq!(profile["role"], "receptive");
        assert_eq!(profile["pain_type"], "extension");
        assert!(profile.get("conditions").is_none(), "{profile}");
        assert_eq!(profile["partner_conditions"], json!(["pregnancy"]));
    }

    #[cfg(unix)]
    #[test]
    fn the_saved_profile_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let sb = Sandbox::new();
        sb.run(&["profile", "set", "--role", "receptive"]).ok();
        let mode = std::fs::metadata(sb.data_dir().join("profile.json"))
            .expect("the profile exists")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "mode {mode:o}");
    }

    #[test]
    fn clear_deletes_the_profile_once() {
        let sb = Sandbox::new();
        sb.run(&["profile", "set", "--pain-type", "flexion"]).ok();

        let run = sb.run(&["profile", "clear"]);
        run.ok();
        assert!(
            run.stdout.starts_with("Deleted the saved profile"),
            "{}",
            run.stdout
        );
        assert_eq!(sb.saved_profile(), Value::Null);

        let again = sb.json(&["profile", "clear"]);
        assert_eq!(again["deleted"], false);
        let run = sb.run(&["profile", "clear"]);
        run.ok();
        assert!(
            run.stdout.contains("There was no saved profile."),
            "{}",
            run.stdout
        );
    }

    #[test]
    fn set_refuses_todays_pain_and_the_partners_role() {
        let sb = Sandbox::new();
        // Today's pain belongs to `recommend`, and the partner's role is always the other one.
        sb.run(&["profile", "set", "--pain-now", "3"])
            .usage_error(&["--pain-now"]);
        sb.run(&["profile", "set", "--partner-role", "receptive"])
            .usage_error(&["--partner-role"]);
        assert_eq!(sb.saved_profile(), Value::Null, "nothing was saved");
    }

    #[test]
    fn set_names_unknown_values() {
        let sb = Sandbox::new();
        sb.run(&["profile", "set", "--pain-type", "achy"])
            .usage_error(&["'achy'", "flexion, extension, motion, none, unclear"]);
        sb.run(&["profile", "set", "--condition", "gout"])
            .usage_error(&["'gout'", "disc-problem"]);
        assert_eq!(sb.saved_profile(), Value::Null, "nothing was saved");
    }
}

// --- assess ----------------------------------------------------------------------------------

mod assess {
    use super::*;

    /// The interactive answers that match `flexion.json`: no red flags (an empty line), then
    /// the number of each answer in the order the questions are asked.
    const FLEXION_LINES: &str = "\n1\n1\n2\n3\n3\n2\n1\n2\n2\n2\n";

    fn assess_file(sb: &Sandbox, path: &Path) -> Value {
        sb.json(&["assess", "--answers", path_str(path)])
    }

    #[test]
    fn flexion_answers_give_flexion() {
        let sb = Sandbox::new();
        let result = assess_file(&sb, &fixture("flexion.json"));
        assert_eq!(result["pain_type"], "flexion");
        assert_eq!(result["confidence_label"], "high");
        let strengths = &result["strengths"];
        let flexion = strengths["flexion"].as_f64().expect("a strength");
        assert!(flexion > strengths["extension"].as_f64().expect("a strength"));
        assert!(flexion > strengths["motion"].as_f64().expect("a strength"));
        assert!(
            strings(&result["why"], "why").contains(&"bending forward brings it on".to_owned())
        );
        assert_eq!(result["triage"]["level"], "none");
        assert_eq!(result["saved"], false);
        assert!(!sb.data_dir().exists(), "nothing is saved without --save");

        let run = sb.run(&["assess", "--answers", path_str(&fixture("flexion.json"))]);
        run.ok();
        assert!(
            run.stdout
                .contains("Pain type: Flexion-intolerant (flexion)"),
            "{}",
            run.stdout
        );
    }

    #[test]
    fn all_neutral_answers_give_unclear() {
        let sb = Sandbox::new();
        let result = assess_file(&sb, &fixture("neutral.json"));
        assert_eq!(result["pain_type"], "unclear");
        assert_eq!(result["unclear"], "weak");
        assert_eq!(result["why"], json!([]));
    }

    #[test]
    fn an_emergency_red_flag_gives_no_pain_type() {
        let sb = Sandbox::new();
        let result = assess_file(&sb, &fixture("emergency.json"));
        assert_eq!(result["pain_type"], Value::Null);
        assert_eq!(result["confidence"], Value::Null);
        assert_eq!(result["triage"]["level"], "emergency");
        assert_eq!(
            result["triage"]["findings"][0]["symptom"],
            "saddle-numbness"
        );

        // With an emergency, the questions need not be answered.
        let mut answers = fixture_json("emergency.json");
        answers["answers"] = json!({});
        let path = sb.write_answers("emergency-only.json", &answers);
        let result = assess_file(&sb, &path);
        assert_eq!(result["pain_type"], Value::Null);
        assert_eq!(result["triage"]["level"], "emergency");

        let run = sb.run(&["assess", "--answers", path_str(&fixture("emergency.json"))]);
        run.ok();
        assert!(run.stdout.starts_with("!!! EMERGENCY"), "{}", run.stdout);
    }

    #[test]
    fn answers_can_come_from_standard_input() {
        let sb = Sandbox::new();
        let text = std::fs::read_to_string(fixture("flexion.json")).expect("the fixture");
        let run = sb.run_with_stdin(&["assess", "--answers", "-", "--json"], &text);
        let from_stdin = run.json();
        assert_eq!(from_stdin, assess_file(&sb, &fixture("flexion.json")));
        assert_eq!(from_stdin["pain_type"], "flexion");
    }

    #[test]
    fn bad_answers_on_standard_input_name_it() {
        let sb = Sandbox::new();
        sb.run_with_stdin(&["assess", "--answers", "-"], "nope")
            .usage_error(&["standard input", "not valid"]);
    }

    #[test]
    fn save_makes_recommend_use_the_result() {
        let sb = Sandbox::new();
        let saved = sb.json(&[
            "assess",
            "--answers",
            path_str(&fixture("flexion.json")),
            "--save",
            "--role",
            "receptive",
        ]);
        assert_eq!(saved["saved"], true);

        let profile = sb.saved_profile();
        assert_eq!(profile["pain_type"], "flexion");
        assert_eq!(profile["role"], "receptive");
        let confidence = profile["confidence"].as_f64().expect("a confidence");
        assert!((confidence - 0.929).abs() < 0.001, "{confidence}");

        let plan = sb.json(&["recommend"]);
        assert_eq!(plan["couple"]["you"]["pain_type"], "flexion");
        assert_eq!(plan["couple"]["you"]["role"], "receptive");
        assert_eq!(plan["couple"]["partner"]["role"], "insertive");
        let explicit = sb.json(&[
            "recommend",
            "--no-profile",
            "--pain-type",
            "flexion",
            "--role",
            "receptive",
        ]);
        assert_eq!(verdicts(&plan), verdicts(&explicit));

        let text = sb.run(&["recommend"]);
        text.ok();
        assert!(
            text.stdout.contains("You: flexion-intolerant, receptive"),
            "{}",
            text.stdout
        );
    }

    #[test]
    fn save_keeps_the_role_already_in_the_profile() {
        let sb = Sandbox::new();
        sb.run(&[
            "profile",
            "set",
            "--role",
            "insertive",
            "--pain-type",
            "motion",
        ])
        .ok();
        sb.run(&[
            "assess",
            "--answers",
            path_str(&fixture("neutral.json")),
            "--save",
        ])
        .ok();
        let profile = sb.saved_profile();
        assert_eq!(profile["pain_type"], "unclear");
        assert_eq!(profile["role"], "insertive");
    }

    #[test]
    fn interactive_answers_are_read_line_by_line_from_a_pipe() {
        let sb = Sandbox::new();
        let run = sb.run_with_stdin(&["assess", "--json"], FLEXION_LINES);
        let result = run.json();
        assert_eq!(result, assess_file(&sb, &fixture("flexion.json")));
        assert_eq!(result["pain_type"], "flexion");

        // Questions go to stderr, the result alone to stdout.
        assert!(
            run.stderr.contains("First, a safety check."),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("(1/10) How does sitting"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("(10/10) What gives you the most relief?")
        );
        assert!(!run.stdout.contains("safety check"), "{}", run.stdout);
        assert!(!run.stdout.contains("Answer (1-"), "{}", run.stdout);
    }

    #[test]
    fn an_invalid_interactive_answer_is_asked_again() {
        let sb = Sandbox::new();
        // No red flags, then "9" and "abc" are refused for the first question before the
        // answers of FLEXION_LINES (whose own leading empty line ends the "abc" line).
        let input = format!("\n9\nabc{FLEXION_LINES}");
        let run = sb.run_with_stdin(&["assess", "--json"], &input);
        assert_eq!(run.json()["pain_type"], "flexion");
        assert_eq!(
            run.stderr
                .matches("Please type a number from 1 to 4.")
                .count(),
            2,
            "{}",
            run.stderr
        );
    }

    #[test]
    fn an_interactive_emergency_stops_the_questions() {
        let sb = Sandbox::new();
        let run = sb.run_with_stdin(&["assess", "--json"], "1\n");
        let result = run.json();
        assert_eq!(result["pain_type"], Value::Null);
        assert_eq!(result["triage"]["level"], "emergency");
        assert!(!run.stderr.contains("(1/10)"), "{}", run.stderr);
    }

    #[test]
    fn interactive_save_asks_for_the_role() {
        let sb = Sandbox::new();
        let input = format!("{FLEXION_LINES}2\n");
        let run = sb.run_with_stdin(&["assess", "--save"], &input);
        run.ok();
        assert!(
            run.stderr.contains("Which role do you usually take"),
            "{}",
            run.stderr
        );
        assert!(
            run.stdout.contains("Pain type: Flexion-intolerant"),
            "{}",
            run.stdout
        );
        let profile = sb.saved_profile();
        assert_eq!(profile["pain_type"], "flexion");
        assert_eq!(profile["role"], "insertive");
    }

    #[test]
    fn input_that_ends_early_is_bad_input() {
        let sb = Sandbox::new();
        let run = sb.run_with_stdin(&["assess", "--save"], "\n1\n1\n");
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        let last = run.stderr.lines().last().unwrap_or_default();
        assert!(
            last.starts_with("error: the input ended before every question was answered"),
            "{last}"
        );
        assert_eq!(sb.saved_profile(), Value::Null);
    }

    #[test]
    fn the_template_is_an_answers_file_that_assess_accepts() {
        let sb = Sandbox::new();
        let run = sb.run(&["assess", "--template"]);
        run.ok();
        let template: Value = serde_json::from_str(&run.stdout).expect("the template is JSON");
        assert_eq!(template["red_flags"], json!([]));
        let answers = template["answers"].as_object().expect("answers");
        assert_eq!(answers.len(), 10, "every question has an answer");

        let path = sb.write_file("template.json", &run.stdout);
        let result = assess_file(&sb, &path);
        assert_eq!(result["pain_type"], "unclear");

        // In JSON mode the template is the questionnaire itself, with every option.
        let questionnaire = sb.json(&["assess", "--template"]);
        let questions = as_array(&questionnaire["questions"], "questions");
        assert_eq!(questions.len(), answers.len());
        for q in questions {
            let id = as_str(&q["id"], "question id");
            let chosen = answers[id].as_str().expect("the template answers it");
            assert!(
                as_array(&q["options"], "options")
                    .iter()
                    .any(|o| o["id"] == chosen),
                "{id}: {chosen}"
            );
        }
        let red_flags = as_array(&questionnaire["red_flags"], "red flags");
        assert!(red_flags.iter().any(|r| r["id"] == "saddle-numbness"));
    }

    #[test]
    fn snapshot_extension_answers_with_a_soon_red_flag() {
        let sb = Sandbox::new();
        let result = assess_file(&sb, &fixture("extension.json"));
        assert_eq!(result["pain_type"], "extension");
        assert_eq!(result["triage"]["level"], "soon");
        insta::assert_json_snapshot!("assess_extension_fixture", result);
    }

    // Errors.

    /// Writes a variant of the flexion fixture changed by `edit`, and returns its path.
    fn flexion_variant(sb: &Sandbox, name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
        let mut answers = fixture_json("flexion.json");
        edit(&mut answers);
        sb.write_answers(name, &answers)
    }

    #[test]
    fn a_missing_answers_file_is_named() {
        let sb = Sandbox::new();
        let path = sb.dir.path().join("no-such-answers.json");
        sb.run(&["assess", "--answers", path_str(&path)])
            .usage_error(&["cannot read the answers file", "no-such-answers.json"]);
    }

    #[test]
    fn an_answers_file_that_is_not_json_is_named() {
        let sb = Sandbox::new();
        let path = sb.write_file("garbage.json", "sitting: worse\n");
        sb.run(&["assess", "--answers", path_str(&path)])
            .usage_error(&["garbage.json", "is not valid", "--template"]);
    }

    #[test]
    fn an_unknown_field_is_named() {
        let sb = Sandbox::new();
        let path = flexion_variant(&sb, "field.json", |a| a["mood"] = json!("grumpy"));
        sb.run(&["assess", "--answers", path_str(&path)])
            .usage_error(&["field.json", "unknown field `mood`", "red_flags", "answers"]);
    }

    #[test]
    fn an_unknown_question_is_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        let path = flexion_variant(&sb, "question.json", |a| {
            a["answers"]["jumping"] = json!("worse");
        });
        sb.run(&["assess", "--answers", path_str(&path)])
            .usage_error(&["question.json", "'jumping'", "sitting, bending"]);
    }

    #[test]
    fn an_unknown_answer_is_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        let path = flexion_variant(&sb, "answer.json", |a| {
            a["answers"]["sitting"] = json!("sometimes");
        });
        sb.run(&["assess", "--answers", path_str(&path)])
            .usage_error(&[
                "'sometimes'",
                "'sitting'",
                "worse, better, no-change, not-sure",
            ]);
    }

    #[test]
    fn unanswered_questions_are_named() {
        let sb = Sandbox::new();
        let path = flexion_variant(&sb, "unanswered.json", |a| {
            let answers = a["answers"].as_object_mut().expect("answers");
            answers.remove("twisting");
            answers.remove("relief");
        });
        sb.run(&["assess", "--answers", path_str(&path)])
            .usage_error(&["no answer", "twisting", "relief"]);
    }

    #[test]
    fn an_unknown_red_flag_is_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        let path = flexion_variant(&sb, "flag.json", |a| {
            a["red_flags"] = json!(["sneezing"]);
        });
        sb.run(&["assess", "--answers", path_str(&path)])
            .usage_error(&["'sneezing'", "saddle-numbness"]);
    }

    #[test]
    fn save_with_an_emergency_saves_nothing() {
        let sb = Sandbox::new();
        // The referral matters more than the profile: it is shown, and nothing is saved.
        let run = sb.run(&[
            "assess",
            "--answers",
            path_str(&fixture("emergency.json")),
            "--save",
            "--role",
            "receptive",
        ]);
        run.ok();
        assert!(run.stdout.contains("EMERGENCY"), "{}", run.stdout);
        assert!(
            run.stdout.contains("Numbness in the saddle area"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("Nothing was saved"), "{}", run.stdout);
        let json = sb.json(&[
            "assess",
            "--answers",
            path_str(&fixture("emergency.json")),
            "--save",
        ]);
        assert_eq!(json["saved"], json!(false));
        assert_eq!(json["triage"]["level"], json!("emergency"));
        let shown = sb.run(&["profile", "show"]);
        shown.ok();
        assert!(
            shown.stdout.contains("No profile is saved."),
            "{}",
            shown.stdout
        );
        assert_eq!(sb.saved_profile(), Value::Null);
    }

    #[test]
    fn template_conflicts_with_answers_and_save() {
        let sb = Sandbox::new();
        sb.run(&["assess", "--template", "--save"])
            .usage_error(&["--template", "--save"]);
        sb.run(&[
            "assess",
            "--template",
            "--answers",
            path_str(&fixture("flexion.json")),
        ])
        .usage_error(&["--template", "--answers"]);
    }
}

// --- the command line as a whole -------------------------------------------------------------

mod command_line {
    use super::*;

    #[test]
    fn a_missing_or_unknown_subcommand_is_one_line() {
        let sb = Sandbox::new();
        sb.run(&[])
            .usage_error(&["requires a subcommand", "recommend"]);
        sb.run(&["bogus"]).usage_error(&["'bogus'"]);
        sb.run(&["profile"]).usage_error(&["show, set, clear"]);
    }

    #[test]
    fn help_and_version_succeed() {
        let sb = Sandbox::new();
        let help = sb.run(&["--help"]);
        help.ok();
        assert!(help.stdout.contains("recommend"), "{}", help.stdout);
        let version = sb.run(&["--version"]);
        version.ok();
        assert!(
            version.stdout.starts_with("spinewise "),
            "{}",
            version.stdout
        );
    }

    #[test]
    fn a_damaged_profile_is_an_error_with_a_way_out() {
        let sb = Sandbox::new();
        std::fs::create_dir_all(sb.data_dir()).expect("the data directory");
        std::fs::write(sb.data_dir().join("profile.json"), "{ not json").expect("written");
        let run = sb.run(&["recommend"]);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains("profile clear"), "{}", run.stderr);
        sb.run(&["profile", "clear"]).ok();
        assert_eq!(sb.saved_profile(), Value::Null);
    }
}

// --- fixed bugs, kept as regressions -----------------------------------------------------------

mod regressions {
    use super::*;

    #[test]
    fn negative_pain_now_names_the_range() {
        let sb = Sandbox::new();
        for flag in ["--pain-now", "--partner-pain-now"] {
            sb.run(&[
                "recommend",
                "--pain-type",
                "flexion",
                "--role",
                "receptive",
                flag,
                "-1",
            ])
            .usage_error(&["'-1'", flag, "0 to 10"]);
        }
    }

    #[test]
    fn escalated_findings_list_each_source_once() {
        let sb = Sandbox::new();
        let check = sb.json(&[
            "check",
            "--symptom",
            "cancer-history",
            "--symptom",
            "night-pain",
        ]);
        for finding in as_array(&check["findings"], "findings") {
            let sources = strings(&finding["sources"], "sources");
            let mut unique = sources.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), sources.len(), "{sources:?}");
        }
    }

    #[test]
    fn a_repeated_condition_or_symptom_counts_once() {
        let sb = Sandbox::new();
        let plan = sb.json(&[
            "recommend",
            "--pain-type",
            "flexion",
            "--role",
            "receptive",
            "--condition",
            "disc-problem",
            "--condition",
            "disc-problem",
            "--symptom",
            "night-pain",
            "--symptom",
            "night-pain",
        ]);
        assert_eq!(plan["couple"]["you"]["conditions"], json!(["disc-problem"]));
        assert_eq!(plan["couple"]["symptoms"], json!(["night-pain"]));
    }

    #[test]
    fn a_role_without_save_is_refused() {
        let sb = Sandbox::new();
        sb.run(&[
            "assess",
            "--answers",
            path_str(&fixture("flexion.json")),
            "--role",
            "receptive",
        ])
        .usage_error(&["--save"]);
    }

    #[test]
    fn saving_without_a_role_says_how_to_add_it() {
        let sb = Sandbox::new();
        let run = sb.run(&[
            "assess",
            "--answers",
            path_str(&fixture("flexion.json")),
            "--save",
        ]);
        run.ok();
        assert!(run.stdout.contains("profile set --role"), "{}", run.stdout);
    }

    #[test]
    fn conditions_given_now_add_to_the_saved_ones() {
        let sb = Sandbox::new();
        sb.run(&[
            "profile",
            "set",
            "--pain-type",
            "flexion",
            "--role",
            "receptive",
            "--condition",
            "recent-spine-surgery",
            "--condition",
            "kidney-disease",
        ])
        .ok();
        let plan = sb.json(&["recommend", "--condition", "disc-problem"]);
        assert_eq!(
            plan["couple"]["you"]["conditions"],
            json!(["recent-spine-surgery", "kidney-disease", "disc-problem"])
        );
        assert_eq!(plan["notices"][0]["id"], json!("surgeon-first"));
        let tips: Vec<&str> = as_array(&plan["tips"]["before"], "before")
            .iter()
            .filter_map(|t| t["id"].as_str())
            .collect();
        assert!(!tips.contains(&"pain-reliever"), "{tips:?}");
        // --no-profile leaves the saved ones out.
        let plan = sb.json(&[
            "recommend",
            "--no-profile",
            "--pain-type",
            "flexion",
            "--role",
            "receptive",
            "--condition",
            "disc-problem",
        ]);
        assert_eq!(plan["couple"]["you"]["conditions"], json!(["disc-problem"]));
    }

    #[test]
    fn an_answers_file_must_be_an_object_answering_each_question_once() {
        let sb = Sandbox::new();
        let list = sb.write_file("list.json", "[]");
        sb.run(&["assess", "--answers", path_str(&list)])
            .usage_error(&["is not valid", "object"]);
        let twice = sb.write_file(
            "twice.json",
            r#"{"answers": {"sitting": "worse", "sitting": "better"}}"#,
        );
        sb.run(&["assess", "--answers", path_str(&twice)])
            .usage_error(&["'sitting'", "twice"]);
    }

    #[test]
    fn pregnancy_makes_bleeding_urgent_in_a_check() {
        let sb = Sandbox::new();
        let check = sb.json(&[
            "check",
            "--symptom",
            "bleeding-after-sex",
            "--condition",
            "pregnancy",
        ]);
        assert_eq!(check["level"], json!("urgent"));
        assert_eq!(
            check["findings"][0]["escalated_by"],
            json!("bleeding-in-pregnancy")
        );
        let plain = sb.json(&["check", "--symptom", "bleeding-after-sex"]);
        assert_eq!(plain["level"], json!("soon"));
    }

    #[test]
    fn a_closed_pipe_is_not_an_error() {
        use std::io::Read;
        let sb = Sandbox::new();
        let mut child = sb
            .command(&["positions"])
            .stdin(Stdio::null())
            .spawn()
            .expect("spawned");
        // Hang up before the output comes, as `spinewise positions | head -0` would.
        drop(child.stdout.take());
        let status = child.wait().expect("exited");
        let mut err = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut err)
            .expect("stderr read");
        assert!(status.success(), "{status:?} {err}");
        assert!(err.is_empty(), "{err}");
    }
}

// --- program ---------------------------------------------------------------------------------

mod program {
    use super::*;

    const MONDAY: &str = "2026-03-02";

    #[test]
    fn text_shows_the_week_today_and_why() {
        let sb = Sandbox::new();
        let run = sb.run(&["program", "--pain-type", "flexion", "--today", MONDAY]);
        run.ok();
        let out = &run.stdout;
        for words in [
            "Your exercise program",
            "flexion-intolerant (as given)",
            "Why this program",
            "Today, 2026-03-02",
            "Curl-up",
            "This week",
            "does not replace an examination",
        ] {
            assert!(out.contains(words), "{words}: {out}");
        }
        assert!(run.stderr.is_empty(), "{}", run.stderr);
    }

    #[test]
    fn json_has_the_same_shape_as_the_api() {
        let sb = Sandbox::new();
        let p = sb.json(&[
            "program",
            "--pain-type",
            "motion",
            "--pain",
            "3",
            "--today",
            MONDAY,
        ]);
        for key in [
            "pain_type",
            "pain_type_source",
            "conditions",
            "red_flag_level",
            "follows_journal",
            "coach_sockets",
            "program",
        ] {
            assert!(p.get(key).is_some(), "{key} in {p}");
        }
        assert_eq!(p["pain_type"], "motion");
        assert_eq!(p["pain_today"], 3);
        assert_eq!(p["follows_journal"], false);
        assert_eq!(p["program"]["kind"], "ready");
        assert_eq!(p["program"]["week_start"], MONDAY);
    }

    #[test]
    fn pregnancy_swaps_the_exercises_lying_on_the_back_and_says_so() {
        let sb = Sandbox::new();
        let args = [
            "program",
            "--pain-type",
            "flexion",
            "--condition",
            "pregnancy",
            "--today",
            MONDAY,
        ];
        let p = sb.json(&args);
        let notes = as_array(&p["program"]["conditions"], "conditions");
        assert_eq!(notes[0]["condition"], "pregnancy");
        let changes = as_array(&notes[0]["changes"], "changes");
        assert!(
            changes
                .iter()
                .any(|c| c["exercise"] == "curl-up" && c["instead"] == "trunk-brace")
        );
        let monday = &p["program"]["days"][0]["items"];
        let items = as_array(monday, "items");
        assert!(
            items
                .iter()
                .any(|i| i["exercise"] == "trunk-brace" && i["instead_of"] == "curl-up")
        );
        assert!(!items.iter().any(|i| i["exercise"] == "curl-up"));
        let text = sb.run(&args);
        text.ok();
        assert!(text.stdout.contains("Before you start"), "{}", text.stdout);
        assert!(
            text.stdout
                .contains("Curl-up: swapped for Trunk brace, sitting"),
            "{}",
            text.stdout
        );
        let words = text.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("counted as possibly past 20 weeks"),
            "{words}"
        );
    }

    #[test]
    fn recent_spine_surgery_and_red_flags_put_the_program_on_hold() {
        let sb = Sandbox::new();
        let p = sb.json(&["program", "--condition", "recent-spine-surgery"]);
        assert_eq!(p["program"]["kind"], "withheld");
        assert_eq!(p["program"]["because"], "condition");
        assert!(
            p["program"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("surgeon or physiotherapist"))
        );
        let p = sb.json(&["program", "--symptom", "fever"]);
        assert_eq!(p["program"]["kind"], "withheld");
        assert_eq!(p["program"]["because"], "red-flag");
        assert_eq!(p["program"]["level"], "urgent");
        assert_eq!(p["red_flag_level"], "urgent");
        let text = sb.run(&["program", "--symptom", "fever"]);
        text.ok();
        assert!(text.stdout.contains("!! URGENT"), "{}", text.stdout);
        assert!(text.stdout.contains("on hold"), "{}", text.stdout);
    }

    #[test]
    fn saved_conditions_count_and_given_ones_add_to_them() {
        let sb = Sandbox::new();
        sb.run(&[
            "profile",
            "set",
            "--pain-type",
            "flexion",
            "--condition",
            "osteoporosis",
        ])
        .ok();
        let p = sb.json(&[
            "program",
            "--condition",
            "kidney-disease",
            "--today",
            MONDAY,
        ]);
        assert_eq!(p["pain_type_source"], "profile");
        assert_eq!(p["conditions"], json!(["osteoporosis", "kidney-disease"]));
        let p = sb.json(&["program", "--no-profile", "--today", MONDAY]);
        assert_eq!(p["conditions"], json!([]));
        assert_eq!(p["pain_type"], "unclear");
    }

    #[test]
    fn bad_values_are_named_with_the_allowed_ones() {
        let sb = Sandbox::new();
        sb.run(&["program", "--condition", "gout"]).usage_error(&[
            "'gout'",
            "osteoporosis",
            "pregnancy",
        ]);
        sb.run(&["program", "--pain", "11"])
            .usage_error(&["'11'", "0 to 10"]);
        sb.run(&["program", "--pregnancy-weeks", "x"])
            .usage_error(&["'x'", "0 to 45"]);
        sb.run(&["program", "--today", "yesterday"])
            .usage_error(&["yesterday"]);
    }
}

// --- new red flags ---------------------------------------------------------------------------

mod red_flags {
    use super::*;

    #[test]
    fn each_new_symptom_has_its_level() {
        let sb = Sandbox::new();
        for (symptom, level) in [
            ("chest-pain", "emergency"),
            ("testicular-pain", "emergency"),
            ("penile-injury", "emergency"),
            ("heavy-rectal-bleeding", "emergency"),
            ("new-leg-weakness", "urgent"),
            ("rectal-bleeding-after-sex", "soon"),
        ] {
            let t = sb.json(&["check", "--symptom", symptom]);
            assert_eq!(t["level"], level, "{symptom}");
        }
        let t = sb.json(&[
            "check",
            "--symptom",
            "pelvic-pain",
            "--symptom",
            "bleeding-after-sex",
        ]);
        assert_eq!(t["level"], "urgent", "even without a declared pregnancy");
    }
}
