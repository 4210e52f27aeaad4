//! The API: success and error paths, the knowledge endpoints, the OpenAPI document.

use super::*;

#[tokio::test]
async fn the_api_recommends_for_a_couple_in_the_documented_shape() {
    let app = TestApp::spawn().await;
    let c = Client::new();
    let r = c
        .post(app.url("/api/v1/recommend"))
        .json(&json!({
            "you": {"pain_type": "flexion", "role": "receptive", "pain_now": 4, "conditions": ["disc-problem"]},
            "partner": {"pain_type": "extension"},
            "time": "evening"
        }))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap_or_default()),
        Some("no-store")
    );
    let plan = json_of(r).await;
    for key in ["positions", "tips", "triage", "notices", "disclaimer"] {
        assert!(plan.get(key).is_some(), "{key}");
    }
    let first = &plan["positions"][0];
    for key in [
        "id",
        "name",
        "verdict",
        "reasons",
        "modifications",
        "sources",
    ] {
        assert!(first.get(key).is_some(), "position.{key}");
    }
    assert_eq!(plan["couple"]["partner"]["role"], "insertive");
    // The CLI gives the same plan.
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_spinewise"))
        .args([
            "--json",
            "recommend",
            "--no-profile",
            "--pain-type",
            "flexion",
            "--role",
            "receptive",
            "--pain-now",
            "4",
            "--condition",
            "disc-problem",
            "--partner-pain-type",
            "extension",
            "--time",
            "evening",
        ])
        .env("SPINEWISE_DATA_DIR", app.dir())
        .output()
        .expect("the CLI runs");
    let cli: Value = serde_json::from_slice(&cli.stdout).expect("JSON");
    assert_eq!(cli["positions"], plan["positions"]);
    // Asked again, the remembered answer is the same answer.
    let again = json_of(
        c.post(app.url("/api/v1/recommend"))
            .json(&json!({
                "you": {"pain_type": "flexion", "role": "receptive", "pain_now": 4, "conditions": ["disc-problem"]},
                "partner": {"pain_type": "extension"},
                "time": "evening"
            }))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(again, plan);
    app.stop().await;
}

#[tokio::test]
async fn bad_requests_get_a_problem_document_naming_every_field() {
    let app = TestApp::spawn().await;
    let c = Client::new();
    let r = c
        .post(app.url("/api/v1/recommend"))
        .json(&json!({
            "you": {"pain_type": "sideways", "role": "receptive", "pain_now": 11, "conditions": ["gout"]},
            "symptoms": ["fever", "hiccups"]
        }))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let p = json_of(r).await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "you.pain_type",
            "you.pain_now",
            "you.conditions[0]",
            "symptoms[1]"
        ]
    );
    let detail = p["errors"][0]["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("'sideways'") && detail.contains("flexion, extension"),
        "{detail}"
    );

    // Not JSON at all; the wrong content type; an unknown field; the same role twice.
    let r = c
        .post(app.url("/api/v1/recommend"))
        .header("content-type", "application/json")
        .body("{ not json")
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(
        json_of(r).await["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("line 1")
    );
    let r = c
        .post(app.url("/api/v1/check"))
        .body("symptoms=fever")
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = c
        .post(app.url("/api/v1/check"))
        .json(&json!({"symptom": ["fever"]}))
        .send()
        .await
        .expect("sent");
    // An unknown field is named, with the fields that are allowed.
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p = json_of(r).await;
    assert_eq!(p["errors"][0]["field"], "symptom");
    let detail = p["errors"][0]["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("symptoms"), "{detail}");
    let r = c
        .post(app.url("/api/v1/recommend"))
        .json(&json!({"you": {"pain_type": "none", "role": "receptive"}, "partner": {"role": "receptive"}}))
        .send()
        .await
        .expect("sent");
    let p = json_of(r).await;
    assert_eq!(p["errors"][0]["field"], "partner.role");
    let detail = p["errors"][0]["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("'switch'"),
        "the message names the switch role: {detail}"
    );
    // A week of pregnancy off the scale, and a role that is not one.
    let r = c
        .post(app.url("/api/v1/recommend"))
        .json(&json!({"you": {"pain_type": "none", "role": "both", "conditions": ["pregnancy"], "pregnancy_weeks": 60}}))
        .send()
        .await
        .expect("sent");
    let p = json_of(r).await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["you.role", "you.pregnancy_weeks"]);
    let detail = p["errors"][0]["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("receptive, insertive, switch"), "{detail}");
    app.stop().await;
}

/// The symptoms added with the one safety policy, and their levels.
const NEW_SYMPTOMS: [(&str, &str); 6] = [
    ("chest-pain", "emergency"),
    ("testicular-pain", "emergency"),
    ("penile-injury", "emergency"),
    ("heavy-rectal-bleeding", "emergency"),
    ("new-leg-weakness", "urgent"),
    ("rectal-bleeding-after-sex", "soon"),
];

/// The conditions added with it.
const NEW_CONDITIONS: [&str; 3] = ["osteoporosis", "heart-disease", "liver-disease"];

#[tokio::test]
async fn the_pages_answer_each_new_symptom_and_condition() {
    let app = TestApp::spawn().await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/check").await;
    for (symptom, level) in NEW_SYMPTOMS {
        let html = b
            .post(app.url("/check"))
            .form(&[("csrf", csrf.as_str()), ("symptom", symptom)])
            .send()
            .await
            .expect("sent")
            .text()
            .await
            .expect("html");
        assert!(
            html.contains(&format!("class=\"triage level-{level}\"")),
            "{symptom}: {html}"
        );
    }
    let csrf = page_csrf(&b, &app, "/plan").await;
    for condition in NEW_CONDITIONS {
        let r = b
            .post(app.url("/plan"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("pain_type", "flexion"),
                ("role", "receptive"),
                ("condition", condition),
            ])
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), StatusCode::OK, "{condition}");
        let html = r.text().await.expect("html");
        let expected = if condition == "osteoporosis" {
            "thin bones"
        } else {
            "a condition you mentioned"
        };
        assert!(html.contains(expected), "{condition}: {expected}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_api_judges_a_couple_that_switches_and_new_conditions_and_symptoms() {
    let app = TestApp::spawn().await;
    let c = Client::new();
    let r = c
        .post(app.url("/api/v1/recommend"))
        .json(&json!({
            "you": {"pain_type": "flexion", "role": "switch"},
            "partner": {"pain_type": "none", "role": "switch"}
        }))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    let plan = json_of(r).await;
    assert_eq!(plan["couple"]["switching"], true);
    assert!(
        plan["notices"]
            .as_array()
            .expect("notices")
            .iter()
            .any(|n| n["id"] == "switch-roles")
    );
    let r = c
        .post(app.url("/api/v1/recommend"))
        .json(&json!({
            "you": {"pain_type": "none", "role": "receptive", "conditions": ["pregnancy"], "pregnancy_weeks": 24},
            "partner": {"pain_type": "flexion", "conditions": ["heart-disease"]}
        }))
        .send()
        .await
        .expect("sent");
    let plan = json_of(r).await;
    let prone = plan["positions"]
        .as_array()
        .expect("positions")
        .iter()
        .find(|p| p["id"] == "prone-flat")
        .expect("prone")
        .clone();
    assert_eq!(prone["verdict"], "avoid");
    let tips = plan["tips"]["before"].as_array().expect("tips");
    let pharmacist = tips
        .iter()
        .find(|t| t["id"] == "ask-pharmacist")
        .expect("the replacement");
    assert!(
        pharmacist["text"]
            .as_str()
            .is_some_and(|t| t.contains("your partner mentioned")),
        "{pharmacist}"
    );
    for (symptom, level) in NEW_SYMPTOMS {
        let r = c
            .post(app.url("/api/v1/check"))
            .json(&json!({"symptoms": [symptom]}))
            .send()
            .await
            .expect("sent");
        assert_eq!(json_of(r).await["level"], level, "{symptom}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_plan_page_defines_the_roles_and_takes_switch_and_the_week_of_a_pregnancy() {
    let app = TestApp::spawn().await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/plan").await;
    let form = b
        .get(app.url("/plan"))
        .send()
        .await
        .expect("the form")
        .text()
        .await
        .expect("html");
    for words in [
        "the partner who is penetrated",
        "the partner who penetrates",
        "value=\"switch\"",
        "name=\"pregnancy_weeks\"",
    ] {
        assert!(form.contains(words), "{words}");
    }
    let r = b
        .post(app.url("/plan"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("pain_type", "flexion"),
            ("role", "switch"),
            ("condition", "pregnancy"),
            ("pregnancy_weeks", "26"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("html");
    assert!(html.contains("as the receptive partner"), "{html}");
    assert!(html.contains("You take turns"), "the switch notice");
    let r = b
        .post(app.url("/plan"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("pain_type", "flexion"),
            ("role", "receptive"),
            ("pregnancy_weeks", "99"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(html.contains("Your week of pregnancy"), "{html}");
    assert!(html.contains("0 to 45"), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn request_bodies_have_a_size_limit() {
    let app = TestApp::spawn().await;
    let big = json!({ "symptoms": vec!["fever"; 20_000] });
    let r = Client::new()
        .post(app.url("/api/v1/check"))
        .json(&big)
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let problem: Value = r.json().await.expect("a problem");
    assert!(
        problem.to_string().contains("larger than 64 KiB"),
        "{problem}"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_import_over_its_own_limit_is_refused_naming_that_limit() {
    let app = TestApp::spawn().await;
    let b = sign_up(&app, "big", "a long enough password").await;
    let token = common::server::create_token(&app.base, &b, "importer").await;
    // 17 MiB of padding in an otherwise well-formed document.
    let huge = json!({ "format": "spinewise-journal", "entries": [], "padding": "x".repeat(17 * 1024 * 1024) });
    let r = Client::new()
        .post(app.url("/api/v1/journal/import"))
        .bearer_auth(&token)
        .json(&huge)
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let problem: Value = r.json().await.expect("a problem");
    assert!(
        problem.to_string().contains("larger than 16 MiB"),
        "{problem}"
    );
    app.stop().await;
}

#[tokio::test]
async fn check_assess_and_the_knowledge_endpoints_answer() {
    let app = TestApp::spawn().await;
    let c = Client::new();
    let check = json_of(
        c.post(app.url("/api/v1/check"))
            .json(&json!({"symptoms": ["bleeding-after-sex"], "conditions": ["pregnancy"]}))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(check["level"], "urgent");
    let mut answers = serde_json::Map::new();
    for (item, option) in [
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
    ] {
        answers.insert(item.to_owned(), json!(option));
    }
    let assessed = json_of(
        c.post(app.url("/api/v1/assess"))
            .json(&json!({"red_flags": [], "answers": answers}))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(assessed["pain_type"], "flexion");
    let r = c
        .post(app.url("/api/v1/assess"))
        .json(&json!({"answers": {"sitting": "sometimes"}}))
        .send()
        .await
        .expect("sent");
    assert_eq!(json_of(r).await["errors"][0]["field"], "answers.sitting");

    for (path, key) in [
        ("/api/v1/positions", "positions"),
        ("/api/v1/positions/spooning", "positions"),
        ("/api/v1/tips?phase=after", "tips"),
        ("/api/v1/faq?q=why+does+my+back+hurt+after+sex", "results"),
        ("/api/v1/sources", "sources"),
    ] {
        let v = json_of(c.get(app.url(path)).send().await.expect("sent")).await;
        assert!(!v[key].as_array().expect(key).is_empty(), "{path}");
    }
    let faq = json_of(
        c.get(app.url("/api/v1/faq?q=will+surgery+help"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(faq["results"][0]["id"], "surgery");
    let r = c
        .get(app.url("/api/v1/positions/handstand"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = c
        .get(app.url("/api/v1/tips?phase=sometime"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let app = TestApp::spawn().await;
    let doc = json_of(
        Client::new()
            .get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert!(
        doc["openapi"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3.1")
    );
    for path in [
        "/api/v1/health",
        "/api/v1/assess",
        "/api/v1/recommend",
        "/api/v1/check",
        "/api/v1/positions",
        "/api/v1/positions/{id}",
        "/api/v1/tips",
        "/api/v1/faq",
        "/api/v1/sources",
        "/api/v1/sources/{id}",
        "/api/v1/profile",
        "/api/v1/journal",
        "/api/v1/journal/entries",
        "/api/v1/journal/entries/{id}",
        "/api/v1/journal/insights",
        "/api/v1/journal/plan",
        "/api/v1/journal/export",
        "/api/v1/journal/export/csv/{kind}",
        "/api/v1/journal/export/fhir",
        "/api/v1/journal/import",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    assert!(doc["components"]["schemas"].get("PlanDto").is_some());
    // An entry's shape is documented kind by kind, with the values each field takes.
    let schemas = doc["components"]["schemas"].to_string();
    assert!(doc["components"]["schemas"].get("Entry").is_some());
    for word in [
        "\"intimacy\"",
        "\"pain_before\"",
        "\"warm-bath\"",
        "\"next_day_pain\"",
    ] {
        assert!(schemas.contains(word), "{word} is in the schemas");
    }
    assert!(doc["components"]["schemas"].get("Problem").is_some());
    app.stop().await;
}

#[tokio::test]
async fn every_api_error_is_a_problem_document() {
    let app = TestApp::spawn().await;
    let c = Client::new();
    let is_problem = |r: &Response| {
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            == Some("application/problem+json")
    };
    // A value of the wrong type names its path.
    let r = c
        .post(app.url("/api/v1/recommend"))
        .json(&json!({"you": {"pain_type": 5}}))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(is_problem(&r));
    assert_eq!(json_of(r).await["errors"][0]["field"], "you.pain_type");
    // A bad query value, an unknown endpoint, a wrong method.
    let r = c
        .get(app.url("/api/v1/faq?q=sex&limit=abc"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(is_problem(&r));
    assert_eq!(json_of(r).await["errors"][0]["field"], "limit");
    let r = c
        .get(app.url("/api/v1/no-such-thing"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(is_problem(&r));
    let r = c
        .delete(app.url("/api/v1/recommend"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(is_problem(&r));
    // The security schemes the profile endpoints name are defined.
    let doc = json_of(
        c.get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    for scheme in ["token", "session"] {
        assert!(
            doc["components"]["securitySchemes"].get(scheme).is_some(),
            "{scheme}"
        );
    }
    app.stop().await;
}
