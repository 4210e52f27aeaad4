//! The exercise program over HTTP: its pages and API for anyone, following the journal when
//! signed in, red flags first; today's session and a camera-coached set saved to the journal;
//! bad values named on the form with nothing written.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::common::server::{Browser, TestApp, csrf_in, sign_up};

/// A server on SQLite, or on PostgreSQL in a schema of the test's own (so that one test's
/// accounts and sign-up throttle never reach another) when `SPINEWISE_TEST_POSTGRES_URL` is
/// set; no plans remembered, no coach files.
async fn spawn() -> TestApp {
    TestApp::on_either("sw_program", |s, dir| {
        s.plan_cache = 0;
        s.coach_assets = dir.join("no-assets");
    })
    .await
}

fn browser() -> Browser {
    Browser::new()
}

/// Posts a form, without following the redirect that answers success.
async fn post_form(client: &Client, url: &str, form: &[(&str, String)]) -> reqwest::Response {
    client.post(url).form(form).send().await.expect("an answer")
}

async fn text(client: &Client, url: &str) -> (StatusCode, String) {
    let r = client.get(url).send().await.expect("an answer");
    (r.status(), r.text().await.expect("a body"))
}

/// A signed-in browser, with a unique login (the PostgreSQL database is shared).
async fn signed_up(app: &TestApp) -> (Browser, String) {
    let login = format!("mover-{}", uuid::Uuid::new_v4().simple());
    let b = sign_up(app, &login, "a long enough password").await.browser;
    let (_, page) = text(&b, &app.url("/move/session")).await;
    let csrf = csrf_in(&page);
    (b, csrf)
}

async fn entries(b: &Client, app: &TestApp) -> Vec<Value> {
    let r = b
        .get(app.url("/api/v1/journal/entries"))
        .send()
        .await
        .expect("entries");
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.expect("JSON");
    body["entries"]
        .as_array()
        .or_else(|| body.as_array())
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn anyone_sees_a_program_for_their_pain_type_with_held_back_exercises_named() {
    let app = spawn().await;
    let c = browser();
    let k = spinewise_domain::Knowledge::bundled().expect("the knowledge base");

    for pain_type in ["flexion", "extension", "motion", "unclear"] {
        let r = c
            .get(app.url(&format!("/api/v1/program?pain_type={pain_type}")))
            .send()
            .await
            .expect("the program");
        assert_eq!(r.status(), StatusCode::OK);
        let body: Value = r.json().await.expect("JSON");
        assert_eq!(body["pain_type_source"], "given");
        assert_eq!(body["follows_journal"], false);
        let program = &body["program"];
        assert_eq!(program["kind"], "ready");
        assert_eq!(program["level"], 1);
        let parsed: spinewise_domain::vocab::PainType = pain_type.parse().expect("a pain type");
        for day in program["days"].as_array().expect("days") {
            for item in day["items"].as_array().expect("items") {
                let id = item["exercise"].as_str().expect("an id");
                let exercise = k.exercise(id).expect("a known exercise");
                assert!(
                    exercise.fit(parsed).is_prescribed(),
                    "{id} is held back for {pain_type} but prescribed"
                );
                assert!(!item["dose"].as_str().expect("a dose").is_empty());
            }
        }
    }

    // The page: today's items, the week, links to each exercise and to the coach.
    let (status, page) = text(&c, &app.url("/move?pain_type=flexion")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Before you start"), "red flags come first");
    assert!(page.contains("Level 1 of"));
    assert!(page.contains("/move/exercises/bird-dog"));
    assert!(page.contains("/move/coach?exercise="));

    // An exercise's page: drawing, steps, dose, sources.
    let (status, page) = text(&c, &app.url("/move/exercises/side-plank")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<svg") && page.contains("<title>"));
    assert!(page.contains("When to back off") && page.contains("/sources#"));

    // Bad values are named with what is allowed.
    let (status, page) = text(&c, &app.url("/move?pain=12")).await;
    assert!(status.is_client_error(), "{status}");
    assert!(page.contains("12"), "{page}");
    let r = c
        .get(app.url("/api/v1/program?pain_type=sideways"))
        .send()
        .await
        .expect("an answer");
    assert!(r.status().is_client_error());
    let problem: Value = r.json().await.expect("a problem");
    let detail = problem["detail"].as_str().expect("a detail");
    assert!(
        detail.contains("sideways") && detail.contains("flexion"),
        "{detail}"
    );
    let (status, page) = text(&c, &app.url("/move/exercises/handstand")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("bird-dog"), "the known exercises are listed");

    // Credentials that are sent but wrong are refused, not taken for a signed-out caller.
    for authorization in ["Bearer sw_not-a-token", "Basic dXNlcjpwYXNz"] {
        let r = c
            .get(app.url("/api/v1/program?pain_type=flexion"))
            .header("authorization", authorization)
            .send()
            .await
            .expect("an answer");
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{authorization}");
    }

    let r = c
        .get(app.url("/api/v1/exercises"))
        .send()
        .await
        .expect("the exercises");
    let list: Value = r.json().await.expect("JSON");
    assert_eq!(list.as_array().expect("a list").len(), k.exercises().len());
    app.stop().await;
}

#[tokio::test]
async fn a_logged_session_goes_into_the_journal_and_the_program_follows_it() {
    let app = spawn().await;
    let (b, csrf) = signed_up(&app).await;

    let (status, form) = text(&b, &app.url("/move/session?pain_type=motion")).await;
    assert_eq!(status, StatusCode::OK);
    let entry_id = {
        let marker = r#"name="entry_id" value=""#;
        let at = form.find(marker).expect("an entry id") + marker.len();
        form[at..at + form[at..].find('"').expect("ends")].to_owned()
    };
    let date = {
        let marker = r#"name="date" value=""#;
        let at = form.find(marker).expect("a date") + marker.len();
        form[at..at + 10].to_owned()
    };
    let first_exercise = {
        let marker = r#"name="exercise_0" value=""#;
        let at = form.find(marker).expect("the first exercise") + marker.len();
        form[at..at + form[at..].find('"').expect("ends")].to_owned()
    };
    let base: Vec<(&str, String)> = vec![
        ("csrf", csrf.clone()),
        ("entry_id", entry_id.clone()),
        ("pain_type", "motion".to_owned()),
        ("date", date.clone()),
        ("done", "0".to_owned()),
        ("exercise_0", first_exercise.clone()),
        ("sets_0", "1".to_owned()),
        ("minutes", "25".to_owned()),
        ("pain_before", "3".to_owned()),
        ("pain_after", "3".to_owned()),
    ];

    // A bad value comes back named, with what was typed, and nothing is written.
    let mut bad = base.clone();
    bad.push(("felt", "ecstatic".to_owned()));
    let r = post_form(&b, &app.url("/move/session"), &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("a body");
    assert!(
        page.contains("How your back felt") && page.contains("ecstatic"),
        "{page}"
    );
    assert!(page.contains(r#"value="25""#), "what was typed stays");
    assert!(entries(&b, &app).await.is_empty(), "nothing was written");

    // A form whose exercise is no longer today's first item, or whose date is far off, is
    // refused with what to do.
    let mut changed = base.clone();
    changed.push(("felt", "same".to_owned()));
    changed.retain(|(k, _)| *k != "exercise_0");
    changed.push(("exercise_0", "handstand".to_owned()));
    let r = post_form(&b, &app.url("/move/session"), &changed).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("a body").contains("program changed"));
    let mut far = base.clone();
    far.retain(|(k, _)| *k != "date");
    far.push(("date", "2001-01-01".to_owned()));
    far.push(("felt", "same".to_owned()));
    let r = post_form(&b, &app.url("/move/session"), &far).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.expect("a body").contains("2001-01-01"));
    assert!(entries(&b, &app).await.is_empty(), "nothing was written");

    let mut good = base.clone();
    good.push(("felt", "same".to_owned()));
    let r = post_form(&b, &app.url("/move/session"), &good).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    // The same form sent twice writes one entry.
    let again = post_form(&b, &app.url("/move/session"), &good).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let saved = entries(&b, &app).await;
    assert_eq!(saved.len(), 1, "{saved:?}");
    // Other answers under the same form id: a conflict, and the form comes back with a fresh
    // id so that sending it again saves a second entry.
    let mut other = good.clone();
    other.retain(|(k, _)| *k != "minutes");
    other.push(("minutes", "40".to_owned()));
    let r = post_form(&b, &app.url("/move/session"), &other).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.expect("a body");
    assert!(!page.contains(&entry_id), "a fresh form id");
    assert_eq!(entries(&b, &app).await.len(), 1);
    let saved = entries(&b, &app).await;
    let entry = &saved[0];
    assert_eq!(entry["kind"], "exercise");
    assert_eq!(entry["minutes"], 25);
    let sets = entry["sets"].as_array().expect("sets");
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0]["level"], 1);
    assert!(
        entry["what"]
            .as_str()
            .expect("what")
            .starts_with("Exercise program, level 1")
    );

    // The API follows the journal now.
    let body: Value = b
        .get(app.url(&format!("/api/v1/program?today={date}")))
        .send()
        .await
        .expect("the program")
        .json()
        .await
        .expect("JSON");
    assert_eq!(body["follows_journal"], true);
    assert_eq!(
        body["pain_type_source"], "unknown",
        "no profile, no assessment"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_red_flag_in_the_journal_withholds_the_program() {
    let app = spawn().await;
    let (b, csrf) = signed_up(&app).await;
    let (_, page) = text(&b, &app.url("/move")).await;
    let date = {
        let marker = r#"data-today=""#;
        let at = page.find(marker).expect("the page's date") + marker.len();
        page[at..at + 10].to_owned()
    };
    let r = b
        .post(app.url("/api/v1/journal/entries"))
        .header("x-csrf-token", &csrf)
        .json(&json!({
            "kind": "intimacy", "id": "flag-1", "at": format!("{date}T08:00"),
            "positions": ["spooning"], "preparation": [],
            "pain_before": 2, "pain_after": 3, "stopped_early": false,
            "symptoms": ["fever"]
        }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap_or_default()
    );

    let body: Value = b
        .get(app.url(&format!("/api/v1/program?pain_type=flexion&today={date}")))
        .send()
        .await
        .expect("the program")
        .json()
        .await
        .expect("JSON");
    assert_eq!(body["red_flag_level"], "urgent");
    assert_eq!(body["program"]["kind"], "withheld");

    let (_, page) = text(&b, &app.url(&format!("/move?today={date}"))).await;
    assert!(page.contains("on hold"), "{page}");
    assert!(!page.contains("Log today's session"));
    app.stop().await;
}

#[tokio::test]
async fn a_coached_set_is_saved_with_its_counts_and_bad_values_are_named() {
    let app = spawn().await;
    let (b, csrf) = signed_up(&app).await;
    let form = |reps: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("entry_id", "coached-1".to_owned()),
            ("exercise", "hip-hinge".to_owned()),
            ("reps", reps.to_owned()),
            ("warnings", "1".to_owned()),
            ("minutes", "4".to_owned()),
            ("felt", "better".to_owned()),
            ("pain_after", "2".to_owned()),
        ]
    };
    let r = post_form(&b, &app.url("/move/coach/save"), &form("lots")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("a body");
    assert!(
        page.contains("Repetitions") && page.contains("lots"),
        "{page}"
    );
    assert!(entries(&b, &app).await.is_empty());

    let r = post_form(&b, &app.url("/move/coach/save"), &form("10")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let saved = entries(&b, &app).await;
    assert_eq!(saved.len(), 1);
    let set = &saved[0]["sets"][0];
    assert_eq!(set["exercise"], "hip-hinge");
    assert_eq!(set["reps"], 10);
    assert_eq!(set["warnings"], 1);
    assert_eq!(set["coached"], true);

    // Signed out, the coach still works but saving needs an account.
    let anonymous = browser();
    let (_, page) = text(&anonymous, &app.url("/check")).await;
    let r = anonymous
        .post(app.url("/move/coach/save"))
        .form(&[("csrf", csrf_in(&page).as_str()), ("exercise", "hip-hinge")])
        .send()
        .await
        .expect("an answer");
    assert!(
        r.status() == StatusCode::UNAUTHORIZED || r.status() == StatusCode::SEE_OTHER,
        "{}",
        r.status()
    );
    app.stop().await;
}

/// The guided timer's plan the coach page carries (its `data-plan`), as JSON.
fn guided_plan(page: &str) -> Value {
    let start = page
        .find("id=\"guided\"")
        .and_then(|at| page[at..].find("data-plan=\"").map(|i| at + i + 11))
        .unwrap_or_else(|| panic!("a guided timer on the page: {page}"));
    let end = start + page[start..].find('"').expect("the attribute ends");
    let json = page[start..end]
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).expect("the plan is JSON")
}

#[tokio::test]
async fn the_coach_page_offers_a_guided_timer_at_the_programs_dose_even_without_the_camera_files() {
    let app = spawn().await;
    let c = browser();
    let program: Value = c
        .get(app.url("/api/v1/program?pain_type=flexion"))
        .send()
        .await
        .expect("the program")
        .json()
        .await
        .expect("JSON");
    let week = &program["program"];
    let today = week["today"].as_u64().and_then(|i| usize::try_from(i).ok());
    let prescribed = |day: &Value| {
        day["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|item| item["exercise"] == "bird-dog")
            .cloned()
    };
    let on_today = today.and_then(|i| prescribed(&week["days"][i]));
    let item = on_today
        .clone()
        .or_else(|| {
            week["days"]
                .as_array()
                .into_iter()
                .flatten()
                .find_map(prescribed)
        })
        .expect("bird dog is in a flexion program");

    // No camera files on this server: the page says so, and still offers the timer.
    let (status, page) = text(
        &c,
        &app.url("/move/coach?exercise=bird-dog&pain_type=flexion"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("not set up on this server"), "{page}");
    assert!(
        page.contains(spinewise::server::assets::url("coach.js")),
        "{page}"
    );
    assert!(page.contains("Follow a guided timer"), "{page}");
    let dose = item["dose"].as_str().expect("the dose in words");
    let when = if on_today.is_some() {
        "Today"
    } else {
        "This week"
    };
    assert!(
        page.contains(&format!("{when}, level {}", item["level"])),
        "{page}"
    );
    assert!(page.contains(dose), "the program's dose, {dose}: {page}");
    // The plan is the dose, step by step: every repetition on each side is counted.
    let plan = guided_plan(&page);
    let per_set: u64 = match item["pyramid"].as_array() {
        Some(p) if !p.is_empty() => p.iter().filter_map(Value::as_u64).sum(),
        _ => item["reps"].as_u64().expect("reps") * item["sets"].as_u64().expect("sets"),
    };
    let steps = plan["steps"].as_array().expect("steps");
    let counted = steps.iter().filter(|s| s["rep"] == true).count() as u64;
    assert_eq!(counted, per_set * 2, "each side");
    assert!(
        steps
            .iter()
            .filter(|s| s["kind"] == "hold")
            .all(|s| s["s"] == item["hold_s"])
    );
    assert_eq!(
        steps.iter().filter(|s| s["kind"] == "rest").count() as u64,
        item["sets"].as_u64().expect("sets") - 1
    );
    assert_eq!(steps.last().expect("a step")["kind"], "done");
    assert_eq!(plan["counts_reps"], true);
    assert_eq!(plan["holds"], true);
    app.stop().await;
}

#[tokio::test]
async fn a_guided_set_is_saved_as_such_at_the_programs_level_and_bad_modes_are_named() {
    let app = spawn().await;
    let (b, csrf) = signed_up(&app).await;
    let (_, page) = text(
        &b,
        &app.url("/move/coach?exercise=side-plank&pain_type=flexion"),
    )
    .await;
    assert!(page.contains("name=\"mode\" value=\"camera\""), "{page}");
    let form = |mode: &str, warnings: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("entry_id", "guided-1".to_owned()),
            ("exercise", "side-plank".to_owned()),
            ("mode", mode.to_owned()),
            ("pain_type", "flexion".to_owned()),
            ("reps", String::new()),
            ("hold_s", "10".to_owned()),
            ("warnings", warnings.to_owned()),
            ("minutes", "3".to_owned()),
            ("felt", "same".to_owned()),
        ]
    };
    let r = post_form(&b, &app.url("/move/coach/save"), &form("sideways", "0")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("a body");
    assert!(
        page.contains("Mode: &#34;sideways&#34; is not one of camera, guided."),
        "{page}"
    );
    let r = post_form(&b, &app.url("/move/coach/save"), &form("guided", "2")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.expect("a body");
    assert!(page.contains("guided timer has none"), "{page}");
    assert!(page.contains("followed with the guided timer"), "{page}");
    assert!(page.contains("name=\"mode\" value=\"guided\""), "{page}");
    assert!(entries(&b, &app).await.is_empty());

    let r = post_form(&b, &app.url("/move/coach/save"), &form("guided", "0")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let saved = entries(&b, &app).await;
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0]["what"], "Side plank (guided timer)");
    assert_eq!(saved[0]["minutes"], 3);
    let set = &saved[0]["sets"][0];
    assert_eq!(set["exercise"], "side-plank");
    assert_eq!(set["hold_s"], 10);
    assert_eq!(set["coached"], false, "no camera counted it");
    assert_eq!(set["level"], 1, "the program's level for a new account");
    assert!(set.get("reps").is_none_or(Value::is_null), "{set}");
    let (_, journal) = text(&b, &app.url("/journal")).await;
    assert!(journal.contains("Side plank (guided timer)"), "{journal}");
    app.stop().await;
}

#[tokio::test]
async fn conditions_change_the_program_on_the_api_and_on_the_page() {
    let app = spawn().await;
    let c = browser();
    let get = |q: &str| {
        let c = c.clone();
        let url = app.url(&format!("/api/v1/program?{q}"));
        async move { c.get(url).send().await.expect("an answer") }
    };
    let r = get("pain_type=flexion&conditions=pregnancy").await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.expect("JSON");
    assert_eq!(body["conditions"], json!(["pregnancy"]));
    let note = &body["program"]["conditions"][0];
    assert_eq!(note["condition"], "pregnancy");
    assert!(
        note["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .any(|c| c["exercise"] == "glute-bridge" && c["instead"] == "clamshell")
    );
    let monday = body["program"]["days"][0]["items"]
        .as_array()
        .expect("items")
        .clone();
    assert!(!monday.iter().any(|i| i["exercise"] == "curl-up"));
    // Before week 20 nothing is swapped.
    let body: Value = get("pain_type=flexion&conditions=pregnancy&pregnancy_weeks=14")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(body["pregnancy_weeks"], 14);
    assert_eq!(body["program"]["conditions"][0]["changes"], json!([]));
    // Recent spine surgery holds it.
    let body: Value = get("conditions=recent-spine-surgery")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(body["program"]["kind"], "withheld");
    assert_eq!(body["program"]["because"], "condition");
    // Bad values are named, every one of them.
    let r = get("conditions=pregnancy,gout&pregnancy_weeks=60&pain=eleven").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let p: Value = r.json().await.expect("JSON");
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["pain", "pregnancy_weeks", "conditions[1]"]);
    let detail = p["errors"][2]["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("'gout'") && detail.contains("osteoporosis"),
        "{detail}"
    );

    // The page: the box before the start names the condition and what changed.
    let (status, page) = text(
        &c,
        &app.url("/move?pain_type=flexion&condition=pregnancy&condition=osteoporosis"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for words in [
        "Before you start",
        "Pregnancy (week not given: counted as possibly past 20 weeks)",
        "Curl-up</a>: swapped for trunk brace, sitting",
        "Osteoporosis",
        "Cat-camel</a>: adapted",
        "Get emergency care now:",
        "numbness in the saddle area",
    ] {
        assert!(page.contains(words), "{words}");
    }
    assert!(page.contains(r#"id="c-pregnancy" name="condition" value="pregnancy" checked"#));
    let (_, page) = text(&c, &app.url("/move?condition=recent-spine-surgery")).await;
    assert!(page.contains("The program is on hold"), "{page}");
    assert!(page.contains("surgeon or physiotherapist"), "{page}");
    let (status, page) = text(&c, &app.url("/move?condition=gout")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("gout"), "{page}");
    app.stop().await;
}

#[tokio::test]
async fn the_saved_conditions_shape_the_program_and_the_journal_red_flags_use_them() {
    let app = spawn().await;
    let (b, csrf) = signed_up(&app).await;
    let r = b
        .put(app.url("/api/v1/profile"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"pain_type": "flexion", "role": "receptive", "conditions": ["pregnancy"]}))
        .send()
        .await
        .expect("saved");
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = b
        .get(app.url("/api/v1/program"))
        .send()
        .await
        .expect("the program")
        .json()
        .await
        .expect("JSON");
    assert_eq!(body["conditions"], json!(["pregnancy"]));
    assert_eq!(body["program"]["kind"], "ready");
    // Bleeding after sex is "soon" on its own, "urgent" in a pregnancy: the journal's red
    // flag is judged with the saved condition and holds the program.
    let (_, page) = text(&b, &app.url("/move")).await;
    let date = {
        let marker = r#"data-today=""#;
        let at = page.find(marker).expect("the page's date") + marker.len();
        page[at..at + 10].to_owned()
    };
    let r = b
        .post(app.url("/api/v1/journal/entries"))
        .header("x-csrf-token", &csrf)
        .json(&json!({
            "kind": "intimacy", "id": "bleed-1", "at": format!("{date}T08:00"),
            "positions": ["spooning"], "preparation": [],
            "pain_before": 2, "pain_after": 3, "stopped_early": false,
            "symptoms": ["bleeding-after-sex"]
        }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(r.status(), StatusCode::CREATED);
    let body: Value = b
        .get(app.url(&format!("/api/v1/program?today={date}")))
        .send()
        .await
        .expect("the program")
        .json()
        .await
        .expect("JSON");
    assert_eq!(body["red_flag_level"], "urgent");
    assert_eq!(body["program"]["kind"], "withheld");
    assert_eq!(body["program"]["because"], "red-flag");
    // The personal plan says the same.
    let plan: Value = b
        .get(app.url(&format!("/api/v1/journal/plan?today={date}")))
        .send()
        .await
        .expect("the plan")
        .json()
        .await
        .expect("JSON");
    assert_eq!(plan["withholds_advice"], true, "{plan}");
    app.stop().await;
}

#[tokio::test]
async fn the_coach_page_asks_the_same_policy() {
    let app = spawn().await;
    // Without an account, the warning signs come from the triage's own list.
    let (_, page) = text(&browser(), &app.url("/move/coach?exercise=glute-bridge")).await;
    assert!(page.contains("Get emergency care now:"), "{page}");
    assert!(page.contains("numbness in the saddle area"), "{page}");
    assert!(!page.contains("Swapped in your program"));
    assert!(page.contains("data-open=\"true\""), "{page}");
    // A pregnancy asked for on the page swaps the glute bridge, and the coach is not offered
    // for it; early in a pregnancy the bridge stays.
    let (_, page) = text(
        &browser(),
        &app.url("/move/coach?exercise=glute-bridge&condition=pregnancy&pregnancy_weeks=24"),
    )
    .await;
    assert!(page.contains("Swapped in your program"), "{page}");
    assert!(page.contains("Clamshell, lying on the side"), "{page}");
    assert!(page.contains("data-open=\"false\""), "{page}");
    assert!(
        page.split("href=\"/move/coach?exercise=bird-dog")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .is_some_and(
                |link| link.contains("condition=pregnancy") && link.contains("pregnancy_weeks=24")
            ),
        "the links keep the circumstances: {page}"
    );
    let (_, page) = text(
        &browser(),
        &app.url("/move/coach?exercise=glute-bridge&condition=pregnancy&pregnancy_weeks=12"),
    )
    .await;
    assert!(!page.contains("Swapped in your program"), "{page}");
    let (status, page) = text(
        &browser(),
        &app.url("/move/coach?exercise=glute-bridge&pregnancy_weeks=99"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("&#39;99&#39;") && page.contains("0 to 45"),
        "{page}"
    );
    // A coached set is judged in the circumstances the page was opened with (the save form
    // carries them): not saved for an exercise the program swaps out, saved when it keeps it.
    let (b, csrf) = signed_up(&app).await;
    let set = |weeks: &str, id: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("entry_id", id.to_owned()),
            ("exercise", "glute-bridge".to_owned()),
            ("reps", "8".to_owned()),
            ("minutes", "4".to_owned()),
            ("felt", "same".to_owned()),
            ("condition", "pregnancy".to_owned()),
            ("pregnancy_weeks", weeks.to_owned()),
        ]
    };
    let r = post_form(&b, &app.url("/move/coach/save"), &set("24", "coached-late")).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.expect("a body");
    assert!(page.contains("Clamshell"), "{page}");
    // The form comes back with the circumstances, to be sent again as they were.
    assert!(
        page.contains("name=\"pregnancy_weeks\" value=\"24\""),
        "{page}"
    );
    assert!(entries(&b, &app).await.is_empty());
    let r = post_form(
        &b,
        &app.url("/move/coach/save"),
        &set("12", "coached-early"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(entries(&b, &app).await.len(), 1);
    // A pregnancy saved in the profile does the same.
    let (b, csrf) = signed_up(&app).await;
    let r = b
        .put(app.url("/api/v1/profile"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"pain_type": "flexion", "role": "receptive", "conditions": ["pregnancy"]}))
        .send()
        .await
        .expect("saved");
    assert_eq!(r.status(), StatusCode::OK);
    let (_, page) = text(&b, &app.url("/move/coach?exercise=glute-bridge")).await;
    assert!(page.contains("Swapped in your program"), "{page}");
    assert!(page.contains("Clamshell, lying on the side"), "{page}");
    let (_, page) = text(&b, &app.url("/move/coach?exercise=bird-dog")).await;
    assert!(!page.contains("Swapped in your program"), "{page}");
    // Recent spine surgery holds the program, and the coach says so.
    let r = b
        .put(app.url("/api/v1/profile"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"pain_type": "flexion", "role": "receptive", "conditions": ["recent-spine-surgery"]}))
        .send()
        .await
        .expect("saved");
    assert_eq!(r.status(), StatusCode::OK);
    let (_, page) = text(&b, &app.url("/move/coach?exercise=bird-dog")).await;
    assert!(page.contains("The program is on hold"), "{page}");
    assert!(page.contains("surgeon or physiotherapist"), "{page}");
    assert!(page.contains("data-open=\"false\""), "{page}");
    assert!(
        !page.contains("id=\"guided\""),
        "no guided timer either: {page}"
    );
    // And a coached set sent anyway is not saved.
    let r = post_form(
        &b,
        &app.url("/move/coach/save"),
        &[
            ("csrf", csrf.clone()),
            ("entry_id", "coached-on-hold".to_owned()),
            ("exercise", "bird-dog".to_owned()),
            ("reps", "8".to_owned()),
            ("warnings", "0".to_owned()),
            ("minutes", "4".to_owned()),
            ("felt", "same".to_owned()),
            ("pain_after", "2".to_owned()),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.expect("a body");
    assert!(page.contains("Nothing was saved"), "{page}");
    assert!(entries(&b, &app).await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn the_symptom_check_counts_the_conditions_ticked_and_saved() {
    let app = spawn().await;
    // Signed out: the conditions that change how urgent a symptom is are offered as ticks.
    let c = browser();
    let (_, page) = text(&c, &app.url("/check")).await;
    assert!(
        page.contains("name=\"condition\" value=\"pregnancy\""),
        "{page}"
    );
    let csrf = csrf_in(&page);
    let check = |client: &Client, fields: Vec<(&'static str, String)>| {
        let client = client.clone();
        let url = app.url("/check");
        async move {
            let r = post_form(&client, &url, &fields).await;
            assert_eq!(r.status(), StatusCode::OK);
            r.text().await.expect("a body")
        }
    };
    let bleeding = ("symptom", "bleeding-after-sex".to_owned());
    let alone = check(&c, vec![("csrf", csrf.clone()), bleeding.clone()]).await;
    assert!(alone.contains("class=\"triage level-soon\""), "{alone}");
    let ticked = check(
        &c,
        vec![
            ("csrf", csrf.clone()),
            bleeding.clone(),
            ("condition", "pregnancy".to_owned()),
        ],
    )
    .await;
    assert!(ticked.contains("class=\"triage level-urgent\""), "{ticked}");
    // The tick is kept on the answer's form.
    assert!(
        ticked.contains("name=\"condition\" value=\"pregnancy\" checked"),
        "{ticked}"
    );
    // Signed in with a pregnancy saved: it is shown as always counted, and counts.
    let (b, csrf) = signed_up(&app).await;
    let r = b
        .put(app.url("/api/v1/profile"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"pain_type": "flexion", "role": "receptive", "conditions": ["pregnancy"]}))
        .send()
        .await
        .expect("saved");
    assert_eq!(r.status(), StatusCode::OK);
    let (_, page) = text(&b, &app.url("/check")).await;
    assert!(
        page.contains("saved in your profile, always counted"),
        "{page}"
    );
    assert!(
        !page.contains("name=\"condition\" value=\"pregnancy\""),
        "{page}"
    );
    let saved = check(&b, vec![("csrf", csrf_in(&page)), bleeding]).await;
    assert!(saved.contains("class=\"triage level-urgent\""), "{saved}");
    app.stop().await;
}

#[tokio::test]
async fn the_plan_page_counts_the_saved_conditions_unless_the_form_replaces_them() {
    let app = spawn().await;
    let (b, csrf) = signed_up(&app).await;
    let r = b
        .put(app.url("/api/v1/profile"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"pain_type": "flexion", "role": "receptive", "conditions": ["pregnancy"]}))
        .send()
        .await
        .expect("saved");
    assert_eq!(r.status(), StatusCode::OK);
    let (_, form) = text(&b, &app.url("/plan")).await;
    let csrf = csrf_in(&form);
    let plan = |save: bool| {
        let mut fields = vec![
            ("csrf", csrf.clone()),
            ("pain_type", "flexion".to_owned()),
            ("role", "receptive".to_owned()),
        ];
        if save {
            fields.push(("save", "yes".to_owned()));
        }
        let b = b.clone();
        let url = app.url("/plan");
        async move {
            let r = post_form(&b, &url, &fields).await;
            assert_eq!(r.status(), StatusCode::OK);
            r.text().await.expect("a body")
        }
    };
    // Unticked but not saved: the saved pregnancy still counts.
    let page = plan(false).await;
    assert!(
        page.contains("midwife or doctor has advised against sex"),
        "{page}"
    );
    // Saved without it: the profile no longer has it, and the plan does not count it.
    let page = plan(true).await;
    assert!(
        !page.contains("midwife or doctor has advised against sex"),
        "{page}"
    );
    let profile: Value = b
        .get(app.url("/api/v1/profile"))
        .send()
        .await
        .expect("the profile")
        .json()
        .await
        .expect("JSON");
    assert_eq!(profile["conditions"], json!([]), "{profile}");
    app.stop().await;
}
