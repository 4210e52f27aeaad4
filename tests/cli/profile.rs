// --- profile ---------------------------------------------------------------------------------

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
