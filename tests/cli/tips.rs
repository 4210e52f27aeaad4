// --- tips ------------------------------------------------------------------------------------

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
