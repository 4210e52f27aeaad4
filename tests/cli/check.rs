// --- check -----------------------------------------------------------------------------------

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
