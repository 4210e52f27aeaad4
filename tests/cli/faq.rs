// --- faq -------------------------------------------------------------------------------------

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
