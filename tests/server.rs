//! The web server over HTTP: the real application, started on a free port with its own
//! database, driven by an HTTP client. API success and error paths, the pages without
//! JavaScript, accounts, sessions, CSRF, access control between users, security headers,
//! and two instances sharing one PostgreSQL database.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use spinewise::server::{Application, Settings};
use tokio::sync::oneshot;

/// A running server with its own database.
struct TestApp {
    base: String,
    stop: Option<oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _dir: Option<tempfile::TempDir>,
}

impl TestApp {
    async fn spawn() -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("spinewise.db").display());
        let mut app = TestApp::on(&url).await;
        app._dir = Some(dir);
        app
    }

    async fn on(database_url: &str) -> TestApp {
        TestApp::with(database_url, false).await
    }

    async fn with(database_url: &str, behind_proxy: bool) -> TestApp {
        let app = Application::build(Settings {
            bind: "127.0.0.1:0".parse().expect("an address"),
            database_url: database_url.to_owned(),
            behind_proxy,
            plan_cache: 64,
            tls: None,
            coach_assets: spinewise::server::default_coach_assets(),
            coach_max_fps: spinewise::server::web::coach::MAX_FRAMES_PER_SECOND,
        })
        .await
        .expect("the server starts");
        let base = format!("http://127.0.0.1:{}", app.port());
        let (tx, rx) = oneshot::channel::<()>();
        let done = tokio::spawn(app.run_until(async move {
            let _ = rx.await;
        }));
        TestApp {
            base,
            stop: Some(tx),
            done: Some(done),
            _dir: None,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser-like client with its own cookie jar that does not follow redirects.
    fn browser() -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a client")
    }

    async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(done) = self.done.take() {
            done.await.expect("joined").expect("stopped cleanly");
        }
    }
}

async fn json_of(r: Response) -> Value {
    r.json().await.expect("a JSON body")
}

fn csrf_in(html: &str) -> String {
    let at = html
        .find(r#"name="csrf" value=""#)
        .expect("the page has a CSRF field");
    let rest = &html[at + r#"name="csrf" value=""#.len()..];
    rest[..rest.find('"').expect("the value ends")].to_owned()
}

/// Signs up through the pages and returns the signed-in browser.
async fn sign_up(app: &TestApp, login: &str, password: &str) -> Client {
    let b = TestApp::browser();
    let page = b.get(app.url("/signup")).send().await.expect("sent");
    let csrf = csrf_in(&page.text().await.expect("a page"));
    let r = b
        .post(app.url("/signup"))
        .form(&[("login", login), ("password", password), ("csrf", &csrf)])
        .send()
        .await
        .expect("sent");
    // The answer is the page that shows the journal's recovery code, once.
    assert_eq!(r.status(), StatusCode::OK, "signed up");
    let page = r.text().await.expect("a page");
    assert!(page.contains("recovery-code"), "{page}");
    b
}

async fn page_csrf(b: &Client, app: &TestApp, path: &str) -> String {
    let page = b.get(app.url(path)).send().await.expect("sent");
    csrf_in(&page.text().await.expect("a page"))
}

// --- the API --------------------------------------------------------------------------------

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
        .env(
            "SPINEWISE_DATA_DIR",
            app._dir.as_ref().expect("a dir").path(),
        )
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
    let b = TestApp::browser();
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
    let b = TestApp::browser();
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

// --- headers and privacy --------------------------------------------------------------------

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let c = Client::new();
    for path in [
        "/",
        "/plan",
        "/static/style.css",
        "/api/v1/health",
        "/no-such-page",
    ] {
        let r = c.get(app.url(path)).send().await.expect("sent");
        let h = r.headers();
        let get = |name: &str| {
            h.get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let csp = get("content-security-policy");
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(get("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(get("referrer-policy"), "no-referrer", "{path}");
        assert!(get("permissions-policy").contains("camera=()"), "{path}");
        if path.starts_with("/static/") {
            assert!(get("cache-control").contains("max-age"), "{path}");
        } else {
            assert_eq!(get("cache-control"), "no-store", "{path}");
        }
    }
    let r = c.get(app.url("/no-such-page")).send().await.expect("sent");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn pages_reference_nothing_outside_the_app() {
    let app = TestApp::spawn().await;
    let c = TestApp::browser();
    for path in [
        "/",
        "/assess",
        "/plan",
        "/check",
        "/sources",
        "/login",
        "/signup",
        "/faq?q=surgery",
    ] {
        let html = c
            .get(app.url(path))
            .send()
            .await
            .expect("sent")
            .text()
            .await
            .expect("html");
        for bad in [
            "src=\"http",
            "href=\"http",
            "<script",
            "style=\"",
            "url(http",
            "@import",
        ] {
            assert!(!html.contains(bad), "{path} contains {bad}");
        }
    }
    let css = c
        .get(app.url("/static/style.css"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("css");
    assert!(!css.contains("url(") && !css.contains("@import"));
    app.stop().await;
}

// --- the pages, without JavaScript ----------------------------------------------------------

#[tokio::test]
async fn the_assessment_leads_step_by_step_to_a_plan_without_javascript() {
    let app = TestApp::spawn().await;
    let b = TestApp::browser();
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
    let b = TestApp::browser();
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
    app.stop().await;
}

#[tokio::test]
async fn a_plan_form_with_bad_values_says_what_is_wrong_and_keeps_the_answers() {
    let app = TestApp::spawn().await;
    let b = TestApp::browser();
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
async fn forms_without_the_csrf_token_are_refused() {
    let app = TestApp::spawn().await;
    let b = TestApp::browser();
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

// --- accounts -------------------------------------------------------------------------------

#[tokio::test]
async fn an_account_saves_the_profile_and_is_deleted_with_everything_in_it() {
    let app = TestApp::spawn().await;
    let b = sign_up(&app, "robin", "a long enough password").await;
    let account = b
        .get(app.url("/account"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(account.contains("Signed in as <strong>robin</strong>"));

    // Save a plan to the profile; the plan page comes back prefilled.
    let csrf = page_csrf(&b, &app, "/plan").await;
    let r = b
        .post(app.url("/plan"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("pain_type", "extension"),
            ("role", "insertive"),
            ("condition", "disc-problem"),
            ("partner_pain_type", "motion"),
            ("save", "yes"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    let form = b
        .get(app.url("/plan"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(
        form.contains(r#"<option value="extension" selected>"#),
        "prefilled"
    );
    assert!(form.contains(r#"value="disc-problem" checked"#));

    // The profile through the API, with the session cookie.
    let profile = json_of(
        b.get(app.url("/api/v1/profile"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(profile["pain_type"], "extension");
    assert_eq!(profile["partner_pain_type"], "motion");

    // Delete the account: a wrong password deletes nothing; then everything goes.
    let csrf = page_csrf(&b, &app, "/account").await;
    let r = b
        .post(app.url("/account/delete"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("password", "not the password"),
            ("confirm", "yes"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = b
        .post(app.url("/account/delete"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("password", "a long enough password"),
            ("confirm", "yes"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.text()
            .await
            .expect("html")
            .contains("Your account is deleted")
    );
    let r = b
        .get(app.url("/api/v1/profile"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // The login is free again: nothing of the account is left.
    let _again = sign_up(&app, "robin", "another long password").await;
    app.stop().await;
}

#[tokio::test]
async fn sign_in_errors_do_not_reveal_whether_an_account_exists_and_are_throttled() {
    let app = TestApp::spawn().await;
    let _ = sign_up(&app, "kim", "kims long password").await;
    let b = TestApp::browser();
    let csrf = page_csrf(&b, &app, "/login").await;
    let attempt = |login: &'static str, password: &'static str| {
        let b = b.clone();
        let csrf = csrf.clone();
        let url = app.url("/login");
        async move {
            let r = b
                .post(url)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("login", login),
                    ("password", password),
                ])
                .send()
                .await
                .expect("sent");
            (r.status(), r.text().await.expect("html"))
        }
    };
    let (s1, wrong_password) = attempt("kim", "not kims password").await;
    let (s2, no_account) = attempt("nobody", "not kims password").await;
    assert_eq!(
        (s1, s2),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    let message = |html: &str| {
        html[html.find("role=\"alert\"").expect("an error")..]
            .split("</p>")
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        message(&wrong_password),
        message(&no_account),
        "the same message either way"
    );
    // Five failures for the account, then even the right password waits.
    for _ in 0..4 {
        let _ = attempt("kim", "still not it").await;
    }
    let (status, _) = attempt("kim", "kims long password").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

#[tokio::test]
async fn sessions_rotate_at_sign_in_and_end_everywhere_on_request() {
    let app = TestApp::spawn().await;
    let first = sign_up(&app, "alex", "alexs long password").await;
    // A second browser signs in.
    let second = TestApp::browser();
    let csrf = page_csrf(&second, &app, "/login").await;
    let before = second.get(app.url("/login")).send().await.expect("sent");
    let cookie_before: Vec<String> = before
        .cookies()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect();
    let r = second
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", "ALEX"),
            ("password", "alexs long password"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "logins are case-insensitive"
    );
    let session = r
        .cookies()
        .find(|c| c.name() == "sw_session")
        .expect("a session cookie");
    assert!(session.http_only() && session.same_site_lax());
    assert!(
        !cookie_before.iter().any(|c| c.starts_with("sw_session=")),
        "no session before sign-in"
    );

    // Sign out everywhere from the first browser: the second is signed out too.
    let csrf = page_csrf(&first, &app, "/account").await;
    let r = first
        .post(app.url("/account/sign-out-everywhere"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for b in [&first, &second] {
        let r = b
            .get(app.url("/api/v1/profile"))
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    app.stop().await;
}

#[tokio::test]
async fn changing_the_password_signs_out_other_sessions_and_keeps_this_one() {
    let app = TestApp::spawn().await;
    let here = sign_up(&app, "jody", "jodys first password").await;
    let there = TestApp::browser();
    let csrf = page_csrf(&there, &app, "/login").await;
    there
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", "jody"),
            ("password", "jodys first password"),
        ])
        .send()
        .await
        .expect("sent");
    let csrf = page_csrf(&here, &app, "/account").await;
    let r = here
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", "jodys first password"),
            ("new", "jodys second password"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        here.get(app.url("/api/v1/profile"))
            .send()
            .await
            .expect("sent")
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        there
            .get(app.url("/api/v1/profile"))
            .send()
            .await
            .expect("sent")
            .status(),
        StatusCode::UNAUTHORIZED
    );
    app.stop().await;
}

#[tokio::test]
async fn api_tokens_authenticate_and_one_user_never_reaches_anothers_data() {
    let app = TestApp::spawn().await;
    let ann = sign_up(&app, "ann", "anns long password").await;
    let bob = sign_up(&app, "bob", "bobs long password").await;

    // Ann creates a token on the account page; it is shown once.
    let csrf = page_csrf(&ann, &app, "/account").await;
    let html = ann
        .post(app.url("/account/tokens"))
        .form(&[("csrf", csrf.as_str()), ("name", "my app")])
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    let start = html
        .find("<p class=\"token\">")
        .expect("the token is shown")
        + "<p class=\"token\">".len();
    let token = html[start..start + html[start..].find('<').expect("ends")].to_owned();
    assert!(token.starts_with("sw_"));
    let again = ann
        .get(app.url("/account"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    assert!(!again.contains(&token), "shown only once");

    // The token reads and writes Ann's profile, without cookies or CSRF.
    let api = Client::new();
    let mut auth = HeaderMap::new();
    auth.insert(
        "authorization",
        HeaderValue::from_str(&format!("Bearer {token}")).expect("a header"),
    );
    let r = api
        .put(app.url("/api/v1/profile"))
        .headers(auth.clone())
        .json(&json!({"pain_type": "motion", "role": "receptive", "conditions": ["pregnancy"]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    let bad = api
        .put(app.url("/api/v1/profile"))
        .headers(auth.clone())
        .json(&json!({"pain_type": "achy", "conditions": ["gout"]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Bob sees only his own (empty) profile, through his session and through no token.
    let bobs = json_of(
        bob.get(app.url("/api/v1/profile"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(bobs["pain_type"], Value::Null);
    // A cookie-authenticated write needs the CSRF header.
    let r = bob
        .put(app.url("/api/v1/profile"))
        .json(&json!({"pain_type": "flexion"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Bob cannot revoke Ann's token, even knowing an id from his own page's form shape.
    let anns_page = ann
        .get(app.url("/account"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("html");
    let id_at = anns_page
        .find("name=\"id\" value=\"")
        .expect("a revoke form")
        + "name=\"id\" value=\"".len();
    let token_id = anns_page[id_at..id_at + anns_page[id_at..].find('"').expect("ends")].to_owned();
    let csrf = page_csrf(&bob, &app, "/account").await;
    let r = bob
        .post(app.url("/account/tokens/revoke"))
        .form(&[("csrf", csrf.as_str()), ("id", token_id.as_str())])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        api.get(app.url("/api/v1/profile"))
            .headers(auth.clone())
            .send()
            .await
            .expect("sent")
            .status(),
        StatusCode::OK
    );
    // Ann revokes it; it stops working.
    let csrf = page_csrf(&ann, &app, "/account").await;
    ann.post(app.url("/account/tokens/revoke"))
        .form(&[("csrf", csrf.as_str()), ("id", token_id.as_str())])
        .send()
        .await
        .expect("sent");
    let r = api
        .get(app.url("/api/v1/profile"))
        .headers(auth)
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
}

// --- several instances, one database ---------------------------------------------------------

#[tokio::test]
async fn two_instances_on_one_postgresql_database_share_sessions() {
    let Ok(base_url) = std::env::var("SPINEWISE_TEST_POSTGRES_URL") else {
        eprintln!("SPINEWISE_TEST_POSTGRES_URL is not set: the PostgreSQL test does not run");
        return;
    };
    // A schema of its own on the shared test database.
    let schema = format!("sw_server_{}", uuid::Uuid::new_v4().simple());
    sqlx_admin(&base_url, &format!("CREATE SCHEMA {schema}")).await;
    let sep = if base_url.contains('?') { '&' } else { '?' };
    let url = format!("{base_url}{sep}options=-c%20search_path%3D{schema}");
    let one = TestApp::on(&url).await;
    let two = TestApp::on(&url).await;

    let b = sign_up(&one, "pat", "pats long password").await;
    // The session cookie is for 127.0.0.1, whatever the port: the second instance sees it.
    let r = b.get(two.url("/account")).send().await.expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.text()
            .await
            .expect("html")
            .contains("Signed in as <strong>pat</strong>")
    );
    one.stop().await;
    two.stop().await;
    sqlx_admin(&base_url, &format!("DROP SCHEMA {schema} CASCADE")).await;
}

async fn sqlx_admin(url: &str, sql: &str) {
    use sqlx::Connection;
    let mut c = sqlx::PgConnection::connect(url)
        .await
        .expect("PostgreSQL answers");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut c)
        .await
        .expect("the statement runs");
}

#[tokio::test]
async fn stopping_lets_requests_in_flight_finish() {
    let app = TestApp::spawn().await;
    let c = Client::new();
    let url = app.url("/api/v1/recommend");
    let in_flight = tokio::spawn(async move {
        c.post(url)
            .json(&json!({"you": {"pain_type": "motion", "role": "insertive"}}))
            .send()
            .await
            .map(|r| r.status())
    });
    tokio::time::sleep(Duration::from_millis(5)).await;
    app.stop().await;
    let status = in_flight
        .await
        .expect("joined")
        .expect("answered, not dropped");
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn over_tls_cookies_are_secure_and_hsts_is_sent() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl makes a test certificate");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let app = Application::build(Settings {
        bind: "127.0.0.1:0".parse().expect("an address"),
        database_url: format!("sqlite://{}", dir.path().join("db.sqlite").display()),
        behind_proxy: false,
        plan_cache: 0,
        tls: Some(spinewise::server::TlsFiles { cert, key }),
        coach_assets: spinewise::server::default_coach_assets(),
        coach_max_fps: spinewise::server::web::coach::MAX_FRAMES_PER_SECOND,
    })
    .await
    .expect("the server starts with TLS");
    let url = format!("https://127.0.0.1:{}/login", app.port());
    let (tx, rx) = oneshot::channel::<()>();
    let done = tokio::spawn(app.run_until(async move {
        let _ = rx.await;
    }));
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("curl")
            .args(["-sk", "-D", "-", "-o", "/dev/null", &url])
            .output()
            .expect("curl runs")
    })
    .await
    .expect("joined");
    let headers = String::from_utf8_lossy(&out.stdout).to_lowercase();
    assert!(headers.starts_with("http/"), "an HTTPS answer: {headers}");
    assert!(
        headers.contains("strict-transport-security: max-age="),
        "{headers}"
    );
    let cookie = headers
        .lines()
        .find(|l| l.starts_with("set-cookie: __host-sw_csrf="))
        .expect("the CSRF cookie, with the __Host- prefix");
    assert!(
        cookie.contains("secure") && cookie.contains("httponly"),
        "{cookie}"
    );
    let _ = tx.send(());
    done.await.expect("joined").expect("stopped cleanly");
}

#[tokio::test]
async fn guesses_sent_in_parallel_are_counted_before_any_password_is_checked() {
    let app = TestApp::spawn().await;
    let _ = sign_up(&app, "sam", "sams long password").await;
    let b = TestApp::browser();
    let csrf = page_csrf(&b, &app, "/login").await;
    let guesses = (0..12).map(|i| {
        let (b, csrf, url) = (b.clone(), csrf.clone(), app.url("/login"));
        tokio::spawn(async move {
            b.post(url)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("login", "sam"),
                    ("password", &format!("guess {i}")),
                ])
                .send()
                .await
                .map(|r| r.status())
        })
    });
    let mut checked = 0;
    for g in guesses {
        match g.await.expect("joined").expect("answered") {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        checked <= 5,
        "{checked} passwords were checked; at most 5 may be"
    );
    app.stop().await;
}

#[tokio::test]
async fn sign_ups_and_password_confirmations_are_throttled_too() {
    let app = TestApp::spawn().await;
    // Sign-ups from one address: ten, then a wait.
    let mut statuses = Vec::new();
    for i in 0..11 {
        let b = TestApp::browser();
        let csrf = page_csrf(&b, &app, "/signup").await;
        let r = b
            .post(app.url("/signup"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("login", "taken-name"),
                ("password", &format!("password number {i}")),
            ])
            .send()
            .await
            .expect("sent");
        statuses.push(r.status());
    }
    assert_eq!(statuses[0], StatusCode::OK, "the recovery code page");
    assert_eq!(statuses[1], StatusCode::CONFLICT);
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;

    // Guessing the current password on the account page is limited like signing in.
    let app = TestApp::spawn().await;
    let signed_in = sign_up(&app, "lee", "lees long password").await;
    let csrf = page_csrf(&signed_in, &app, "/account").await;
    let mut last = StatusCode::OK;
    for i in 0..6 {
        last = signed_in
            .post(app.url("/account/password"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("current", &format!("guess {i}")),
                ("new", "a brand new password"),
            ])
            .send()
            .await
            .expect("sent")
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

#[tokio::test]
async fn behind_a_proxy_the_address_is_the_one_the_proxy_saw() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let app = TestApp::with(
        &format!("sqlite://{}", dir.path().join("db").display()),
        true,
    )
    .await;
    let b = TestApp::browser();
    let csrf = page_csrf(&b, &app, "/login").await;
    let mut last = StatusCode::OK;
    for i in 0..31 {
        // The client writes what it likes at the front; the proxy appends what it saw.
        last = b
            .post(app.url("/login"))
            .header("x-forwarded-for", format!("10.0.{i}.1, 192.0.2.7"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("login", &format!("nobody{i}")),
                ("password", "a wrong password"),
            ])
            .send()
            .await
            .expect("sent")
            .status();
    }
    assert_eq!(
        last,
        StatusCode::TOO_MANY_REQUESTS,
        "thirty attempts from 192.0.2.7, whatever the client wrote"
    );
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
