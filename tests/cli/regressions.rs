// --- fixed bugs, kept as regressions -----------------------------------------------------------

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
