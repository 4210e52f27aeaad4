//! The journal over HTTP: the one-page clinical summary, as JSON with an API token and as a
//! printable page, and its refusals.

use super::*;

/// `today` moved by `days`, as `YYYY-MM-DD`.
fn day(days: i64) -> String {
    (today_utc() + time::Duration::days(days)).to_string()
}

/// A PEG answer of `value` on every item.
fn peg_of(id: &str, date: &str, value: u8) -> Value {
    json!({"kind": "peg", "id": id, "date": date,
           "pain": value, "enjoyment": value, "activity": value})
}

/// An account with a saved condition, a self-assessment, four PEG answers falling by half
/// over six weeks, two exercise sessions this week and a red flag logged three days ago.
async fn with_a_journal(app: &TestApp) -> (Api, Browser) {
    let kim = sign_up(&app.base, "kim", PASSWORD).await;
    let api = Api::token(
        &app.base,
        &create_token(&app.base, &kim.browser, "laptop").await,
    );
    let profile = api
        .put(
            "/api/v1/profile",
            &json!({"pain_type": "flexion", "role": "receptive", "conditions": ["disc-problem"]}),
        )
        .await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.text);
    let mut entries = vec![
        assessment("a1", &format!("{}T08:00", day(-50))),
        peg_of("p1", &day(-42), 8),
        peg_of("p2", &day(-35), 8),
        peg_of("p3", &day(-7), 4),
        peg_of("p4", &day(0), 4),
        exercise("x1", &format!("{}T07:30", day(-1))),
        exercise("x2", &format!("{}T07:30", day(-2))),
    ];
    entries.push(with(
        &intimacy("i1", &format!("{}T22:00", day(-3))),
        "symptoms",
        json!(["saddle-numbness"]),
    ));
    for e in &entries {
        api.create_new(e).await;
    }
    (api, kim.browser)
}

#[tokio::test]
async fn the_summary_reads_pain_type_peg_exercise_red_flags_and_conditions_with_a_token() {
    let app = TestApp::spawn().await;
    let (api, _) = with_a_journal(&app).await;
    let r = api
        .get(&format!("/api/v1/journal/summary?today={}", day(0)))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let s = r.json();
    assert_eq!(s["today"], day(0));
    assert_eq!(s["pain_type"]["pain_type"], "flexion");
    assert_eq!(s["pain_type"]["date"], day(-50));
    assert!(
        s["pain_type"]["confidence"].is_number(),
        "{}",
        s["pain_type"]
    );
    assert_eq!(s["peg"]["answers"], 4);
    assert_eq!(s["peg"]["first"], json!({"date": day(-42), "score": 8.0}));
    assert_eq!(s["peg"]["latest"], json!({"date": day(0), "score": 4.0}));
    assert_eq!(s["peg"]["change_from_first"], -4.0);
    assert_eq!(s["peg"]["meaningful_improvement"], true);
    let weeks = s["exercise"]["weeks"].as_array().expect("weeks");
    assert_eq!(weeks.len(), 8);
    assert_eq!(weeks[7]["sessions"], 2);
    assert_eq!(weeks[7]["end"], day(0));
    assert_eq!(s["red_flags"][0]["symptom"], "saddle-numbness");
    assert_eq!(s["red_flags"][0]["source"], "logged");
    assert_eq!(s["red_flags"][0]["date"], day(-3));
    assert_eq!(s["red_flag_level"], "emergency");
    assert_eq!(s["conditions"][0]["id"], "disc-problem");
}

#[tokio::test]
async fn a_bad_day_or_no_credentials_get_problem_json() {
    let app = TestApp::spawn().await;
    let (api, _) = with_a_journal(&app).await;
    let r = api.get("/api/v1/journal/summary?today=someday").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert!(r.text.contains("someday"), "names the value: {}", r.text);
    assert_eq!(r.json()["errors"][0]["field"], "today");
    let nobody = Api::nobody(&app.base).get("/api/v1/journal/summary").await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        nobody.header("content-type"),
        Some("application/problem+json")
    );
}

#[tokio::test]
async fn the_summary_page_is_one_printable_page_linked_from_the_journal() {
    let app = TestApp::spawn().await;
    let (_, b) = with_a_journal(&app).await;
    let journal = b.page(&app.url("/journal")).await;
    assert!(
        journal.text.contains("href=\"/journal/summary\""),
        "linked from the journal"
    );
    let page = b.page(&app.url("/journal/summary")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    for expected in [
        "Clinical summary",
        "Flexion",
        "8.0",
        "4.0",
        "meaningful",
        "Exercise sessions",
        "Saddle",
        "Disc problem",
        "not a diagnosis",
    ] {
        assert!(
            page.text.to_lowercase().contains(&expected.to_lowercase()),
            "the page shows '{expected}': {}",
            page.text
        );
    }
}
