// --- positions -------------------------------------------------------------------------------

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
