// --- assess ----------------------------------------------------------------------------------

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
    assert!(strings(&result["why"], "why").contains(&"bending forward brings it on".to_owned()));
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
    let path = sb.path("no-such-answers.json");
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
