// --- the command line as a whole -------------------------------------------------------------

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
fn a_bad_emergency_number_stops_serve_before_it_starts() {
    let sb = Sandbox::new();
    sb.run(&["serve", "--emergency-number", "call 112"])
        .usage_error(&["'call 112'", "2 to 15 digits"]);
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
