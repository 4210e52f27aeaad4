// --- program ---------------------------------------------------------------------------------

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
