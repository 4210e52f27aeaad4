// --- sources ---------------------------------------------------------------------------------

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
