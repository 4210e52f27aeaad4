//! The pages, without JavaScript: the assessment step by step, red flags, bad forms, CSRF.

use super::*;

#[tokio::test]
async fn the_assessment_leads_step_by_step_to_a_plan_without_javascript() {
    let app = TestApp::spawn().await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/assess").await;
    // Step 1: no red flags. Then three steps of questions; every answer travels along.
    let mut fields: Vec<(String, String)> = vec![
        ("csrf".into(), csrf.clone()),
        ("step".into(), "1".into()),
        ("nav".into(), "next".into()),
    ];
    let answers = [
        ("sitting", "worse"),
        ("bending", "worse"),
        ("standing", "better"),
        ("walking", "better"),
        ("arching", "no-change"),
        ("lying-face-down", "better"),
        ("time-of-day", "morning"),
        ("any-direction", "one-direction"),
        ("twisting", "no-change"),
        ("relief", "stand-or-walk"),
    ];
    let mut html = b
        .post(app.url("/assess"))
        .form(&fields)
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Step 2 of 4"), "{html}");
    // Enter on an answer submits the form's first submit button: it must go forward.
    let form = &html[html.find(r#"action="/assess""#).expect("the form")..];
    let first = &form[form.find(r#"type="submit""#).expect("a submit button")..];
    assert!(
        first.starts_with(r#"type="submit" name="nav" value="next""#),
        "the first button goes forward: {first:.80}"
    );
    for (step, chunk) in [(2, &answers[..4]), (3, &answers[4..8]), (4, &answers[8..])] {
        fields = vec![
            ("csrf".into(), csrf.clone()),
            ("step".into(), step.to_string()),
            ("nav".into(), "next".into()),
        ];
        for (item, option) in &answers[..] {
            // Answers of earlier steps come back as hidden fields; send them as a browser would.
            if html.contains(&format!("name=\"a.{item}\" value=\"{option}\""))
                || chunk.iter().any(|(i, _)| i == item)
            {
                fields.push((format!("a.{item}"), (*option).to_owned()));
            }
        }
        html = b
            .post(app.url("/assess"))
            .form(&fields)
            .send()
            .await
            .expect("sent")
            .text()
            .await
            .expect("html");
    }
    assert!(html.contains("Flexion-intolerant"), "{html}");
    assert!(html.contains("<form method=\"post\" action=\"/plan\""));
    // The assessment carries over: the pain type is filled in, the red-flag questions it
    // asked are not asked again, and Move is one step away with that pain type.
    assert!(
        html.contains(r#"<option value="flexion" selected"#),
        "{html}"
    );
    assert!(html.contains("Your answers to the assessment's red-flag questions count here too"));
    let k = spinewise_domain::Knowledge::bundled().expect("the knowledge base");
    for s in k.symptoms.iter().filter(|s| s.screen_in_assessment) {
        assert!(
            !html.contains(&format!(r#"id="s-{}""#, s.id)),
            "{} is not asked again",
            s.id
        );
    }
    assert!(html.contains(r#"href="/move?pain_type=flexion""#), "{html}");

    // The plan, from the form on the result page.
    let r = b
        .post(app.url("/plan"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("pain_type", "flexion"),
            ("role", "receptive"),
            ("partner_pain_type", "none"),
            ("time", ""),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    let plan = r.text().await.expect("html");
    assert!(plan.contains("Positions, best first"));
    assert!(
        plan.contains("<svg") && plan.contains("role=\"img\""),
        "drawings with text alternatives"
    );
    assert!(plan.contains("Spooning"));
    // The printable summary.
    let print = b
        .post(app.url("/plan"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("pain_type", "flexion"),
            ("role", "receptive"),
            ("view", "print"),
        ])
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(print.contains("plan summary") && print.contains("<table"));
    app.stop().await;
}

#[tokio::test]
async fn an_emergency_red_flag_stops_the_assessment_with_the_referral() {
    let app = TestApp::spawn().await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/assess").await;
    let html = b
        .post(app.url("/assess"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("step", "1"),
            ("nav", "next"),
            ("rf", "saddle-numbness"),
        ])
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Get emergency care now"), "{html}");
    assert!(html.contains("role=\"alert\""));
    assert!(!html.contains("Positions, best first"));
    // One tap to call, beside the words that fit everywhere.
    assert!(html.contains(r#"href="tel:112""#), "{html}");
    assert!(html.contains("or your local emergency number"), "{html}");
    app.stop().await;

    // The number is the server's setting.
    let app = TestApp::spawn_with(|s, _| s.emergency_number = "999".to_owned()).await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/check").await;
    let html = b
        .post(app.url("/check"))
        .form(&[("csrf", csrf.as_str()), ("symptom", "saddle-numbness")])
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(html.contains(r#"href="tel:999""#), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn a_plan_form_with_bad_values_says_what_is_wrong_and_keeps_the_answers() {
    let app = TestApp::spawn().await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/plan").await;
    let r = b
        .post(app.url("/plan"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("pain_type", "flexion"),
            ("role", "receptive"),
            ("pain_now", "12"),
            ("condition", "disc-problem"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(
        html.contains("&#39;12&#39;") || html.contains("'12'"),
        "{html}"
    );
    assert!(html.contains(r#"id="c-disc-problem" name="condition" value="disc-problem" checked"#));
    app.stop().await;
}

#[tokio::test]
async fn the_plan_leads_with_its_answer_and_folds_the_details() {
    let app = TestApp::spawn().await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/plan").await;
    let r = b
        .post(app.url("/plan"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("pain_type", "flexion"),
            ("role", "receptive"),
            ("pain_now", "6"),
            ("partner_pain_type", "extension"),
            ("time", "morning"),
            ("condition", "disc-problem"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("html");
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {html}"))
    };
    // The answer first: the summary comes before the notices and the positions.
    assert!(at("At a glance") < at(r#"class="notices""#));
    assert!(at("At a glance") < at("Positions, best first"));
    assert!(html.contains("Best for both of your backs"), "{html}");
    assert!(html.contains("Your back pain today: 6/10"), "{html}");
    assert!(html.contains("Time of day: morning"), "{html}");
    assert!(html.contains("Taken into account: Disc problem"), "{html}");
    // Every position folds away (no JavaScript needed), and each summary line links to it.
    let cards = html.matches(r#"<li class="position verdict-"#).count();
    assert!(cards >= 12, "{cards} positions");
    assert_eq!(
        html.matches("<details>").count(),
        cards,
        "each position folds"
    );
    assert!(html.contains(r##"<a href="#pos-"##), "{html}");
    // Plain verdict words: a position the changes help says what it is as it is, and with them.
    assert!(html.contains(" as it is</span>"), "{html}");
    // Citations read as authors and year, not ids.
    assert!(html.contains(">Sidorkewicz and McGill 2014</a>"), "{html}");
    assert!(!html.contains(">sidorkewicz-2014</a>"), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = TestApp::spawn().await;
    let b = Browser::new();
    let _ = page_csrf(&b, &app, "/plan").await;
    for path in ["/plan", "/check", "/assess", "/signup", "/login"] {
        let r = b
            .post(app.url(path))
            .form(&[
                ("csrf", "forged"),
                ("pain_type", "flexion"),
                ("role", "receptive"),
                ("login", "x"),
                ("password", "y"),
            ])
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_app_is_installable_and_keeps_nothing_personal_offline() {
    let app = TestApp::spawn().await;
    let b = Browser::new();
    let get = |path: &'static str| {
        let b = &b;
        let url = app.url(path);
        async move { b.get(url).send().await.expect("sent") }
    };
    // A manifest with a name, a start page and icons at the sizes an installed app needs.
    let r = get("/manifest.webmanifest").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/manifest+json");
    let manifest: Value = r.json().await.expect("JSON");
    assert_eq!(manifest["start_url"], "/");
    assert_eq!(manifest["display"], "standalone");
    for icon in manifest["icons"].as_array().expect("icons") {
        let src = icon["src"].as_str().expect("a path").to_owned();
        let r = b.get(app.url(&src)).send().await.expect("sent");
        assert_eq!(r.status(), StatusCode::OK, "{src}");
        assert_eq!(
            r.headers()["content-type"],
            icon["type"].as_str().expect("a type"),
            "{src}"
        );
    }
    // Every page links the manifest and the script that registers the service worker.
    let home = get("/").await.text().await.expect("html");
    assert!(home.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#));
    assert!(home.contains(&format!(
        r#"<script src="{}" defer></script>"#,
        spinewise::server::assets::url("app.js")
    )));
    // The service worker keeps the static files and the offline page, nothing else.
    let r = get("/sw.js").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("text")
            .starts_with("text/javascript")
    );
    let sw = r.text().await.expect("js");
    let kept = &sw[sw.find("const FILES").expect("a list")..];
    let kept = &kept[..kept.find("];").expect("its end")];
    for path in kept.split('"').skip(1).step_by(2) {
        assert!(
            path.starts_with("/static/"),
            "only static files are kept, not {path}"
        );
    }
    for personal in ["/journal", "/plan", "/account", "/api/"] {
        assert!(!kept.contains(personal), "{personal} is never kept");
    }
    // The offline page says what to do, and has nothing personal: no form, no token.
    let r = get("/offline").await;
    assert_eq!(r.status(), StatusCode::OK);
    let offline = r.text().await.expect("html");
    assert!(offline.contains("You are offline"), "{offline}");
    assert!(offline.contains("emergency number"), "{offline}");
    // Its warning signs are the safety policy's, as the program and the coach list them.
    let k = spinewise_domain::Knowledge::bundled().expect("the knowledge base");
    for signs in
        spinewise_domain::safety::warning_signs(k, spinewise_domain::safety::EXERCISE_STOP_LEVELS)
    {
        assert!(
            offline.contains(signs.headline),
            "{} in {offline}",
            signs.headline
        );
    }
    assert!(
        !offline.contains("<form") && !offline.contains("csrf"),
        "{offline}"
    );
    // Pages are still never stored.
    assert_eq!(get("/plan").await.headers()["cache-control"], "no-store");
    app.stop().await;
}
