//! The API's contract, recorded: an insta snapshot (`tests/server/snapshots/`) of the answer
//! of every `/api/v1` endpoint in the OpenAPI document (status, content type and body), a
//! representative `application/problem+json` refusal of each, and the motion coach's
//! WebSocket messages. A change to any of them shows up as a snapshot diff.
//!
//! The snapshots hold on any day, in any time zone: the journal's entries are dated relative
//! to the server's today (UTC) and every date near today is written `{today-N}`; what comes
//! from the clock itself (export times) is redacted by name, nothing else.
//!
//! [`every_operation_in_the_openapi_document_has_a_snapshot`] fails when the document names an
//! operation that [`OPERATIONS`] does not list, or that has no snapshot file.

use futures_util::SinkExt;
use spinewise_domain::motion::synthetic::{self, HingeScript, Noise, View};
use tokio_tungstenite::tungstenite::Message;

use super::coach::{connect, next_json, with_max_fps, ws};
use super::*;
use crate::common::server::{Reply, create_token};

/// Every operation of the API, and the snapshot of its success answer.
const OPERATIONS: &[(&str, &str, &str)] = &[
    ("get", "/api/v1/health", "health"),
    ("post", "/api/v1/assess", "assess"),
    ("post", "/api/v1/recommend", "recommend"),
    ("post", "/api/v1/check", "check"),
    ("get", "/api/v1/positions", "positions"),
    ("get", "/api/v1/positions/{id}", "position"),
    ("get", "/api/v1/tips", "tips"),
    ("get", "/api/v1/faq", "faq"),
    ("get", "/api/v1/sources", "sources"),
    ("get", "/api/v1/sources/{id}", "source"),
    ("get", "/api/v1/exercises", "exercises"),
    ("get", "/api/v1/exercises/{id}", "exercise"),
    ("get", "/api/v1/program", "program"),
    ("get", "/api/v1/profile", "profile_get"),
    ("put", "/api/v1/profile", "profile_put"),
    ("post", "/api/v1/journal/entries", "journal_entries_post"),
    ("get", "/api/v1/journal/entries", "journal_entries_get"),
    ("get", "/api/v1/journal/entries/{id}", "journal_entry_get"),
    ("put", "/api/v1/journal/entries/{id}", "journal_entry_put"),
    (
        "delete",
        "/api/v1/journal/entries/{id}",
        "journal_entry_delete",
    ),
    ("get", "/api/v1/journal/insights", "journal_insights"),
    ("get", "/api/v1/journal/plan", "journal_plan"),
    ("get", "/api/v1/journal/summary", "journal_summary"),
    ("get", "/api/v1/journal/export", "journal_export"),
    (
        "get",
        "/api/v1/journal/export/csv/{kind}",
        "journal_export_csv",
    ),
    ("get", "/api/v1/journal/export/fhir", "journal_export_fhir"),
    ("post", "/api/v1/journal/import", "journal_import"),
    ("delete", "/api/v1/journal", "journal_delete"),
    ("get", "/api/v1/partner", "partner_get"),
    ("delete", "/api/v1/partner", "partner_delete"),
    (
        "post",
        "/api/v1/partner/invitation",
        "partner_invitation_post",
    ),
    (
        "delete",
        "/api/v1/partner/invitation",
        "partner_invitation_delete",
    ),
    ("post", "/api/v1/partner/accept", "partner_accept"),
    ("put", "/api/v1/partner/sharing", "partner_sharing"),
    ("get", "/api/v1/partner/plan", "partner_plan"),
    ("get", "/api/v1/partner/marks", "partner_marks_get"),
    ("put", "/api/v1/partner/marks", "partner_marks_put"),
    ("get", "/api/v1/partner/list", "partner_list"),
    ("get", "/api/v1/partner/occasions", "partner_occasions_get"),
    (
        "post",
        "/api/v1/partner/occasions",
        "partner_occasions_post",
    ),
    (
        "post",
        "/api/v1/partner/occasions/{id}/answer",
        "partner_occasion_answer",
    ),
    ("post", "/api/v1/shares", "shares_post"),
    ("get", "/api/v1/shares", "shares_get"),
    ("delete", "/api/v1/shares/{id}", "share_delete"),
    ("get", "/api/v1/shared/{secret}", "shared_get"),
    ("get", "/api/v1/shared/{secret}/fhir", "shared_fhir"),
];

/// The server's today (UTC), which the API's `today` may differ from by a day at most.
fn server_today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// `today` moved by `days`, as `YYYY-MM-DD`.
fn day(today: time::Date, days: i64) -> String {
    (today + time::Duration::days(days)).to_string()
}

/// The day dates are written relative to, and its name.
#[derive(Debug, Clone, Copy)]
struct Dates {
    anchor: time::Date,
    name: &'static str,
}

impl Dates {
    /// Relative to `today`.
    fn today(today: time::Date) -> Dates {
        Dates {
            anchor: today,
            name: "today",
        }
    }

    /// Relative to the Monday of `today`'s week (the exercise program's weeks start then).
    fn monday(today: time::Date) -> Dates {
        let back = i64::from(today.weekday().number_days_from_monday());
        Dates {
            anchor: today - time::Duration::days(back),
            name: "monday",
        }
    }
}

/// Every `YYYY-MM-DD` in `text` within a year of the anchor, written `{today}` or
/// `{today±N}` (`{monday…}` when relative to the week's Monday).
fn relative_dates(text: &str, dates: Dates) -> String {
    let (today, name) = (dates.anchor, dates.name);
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let candidate = text.get(i..i + 10).filter(|c| {
            c.bytes().enumerate().all(|(k, b)| {
                if k == 4 || k == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            })
        });
        let boundary = i == 0 || !bytes[i - 1].is_ascii_digit();
        if let (Some(c), true) = (candidate, boundary)
            && let Ok(date) = time::Date::parse(c, &format)
        {
            let n = (date - today).whole_days();
            if n.abs() <= 366 {
                match n {
                    0 => out.push_str(&format!("{{{name}}}")),
                    n if n < 0 => out.push_str(&format!("{{{name}{n}}}")),
                    n => out.push_str(&format!("{{{name}+{n}}}")),
                }
                i += 10;
                continue;
            }
        }
        let ch = text[i..].chars().next().expect("a character");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// `value` with every string's dates near `today` made relative ([`relative_dates`]), and the
/// values of the keys in `clock` (times read from the server's clock), or at the JSON pointers
/// in it (those that start with `/`), replaced by `"[clock]"`.
fn stable(value: &Value, today: Dates, clock: &[&str]) -> Value {
    let mut value = stable_keys(value, today, clock);
    for pointer in clock.iter().filter(|c| c.starts_with('/')) {
        let at = value
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("nothing at {pointer}"));
        *at = json!("[clock]");
    }
    value
}

fn stable_keys(value: &Value, today: Dates, clock: &[&str]) -> Value {
    match value {
        Value::String(s) => Value::String(relative_dates(s, today)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| stable_keys(v, today, clock)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if clock.contains(&k.as_str()) && !v.is_null() {
                        json!("[clock]")
                    } else {
                        stable_keys(v, today, clock)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// An answer as recorded: status, content type, and the body (JSON, or text).
fn recorded(r: &Reply, today: Dates, clock: &[&str]) -> Value {
    let content_type = r.header("content-type").unwrap_or_default().to_owned();
    let body = if content_type.contains("json") {
        r.json()
    } else {
        Value::String(r.text.clone())
    };
    stable(
        &json!({"status": r.status.as_u16(), "content_type": content_type, "body": body}),
        today,
        clock,
    )
}

/// A client of the API, signed in with an API token or not at all.
struct Api {
    http: Client,
    base: String,
    token: Option<String>,
}

impl Api {
    async fn send(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Reply {
        let mut rb = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base));
        if let Some(t) = &self.token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(b);
        }
        Reply::from(rb.send().await.expect("sent")).await
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    async fn put(&self, path: &str, body: &Value) -> Reply {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    async fn delete(&self, path: &str) -> Reply {
        self.send(reqwest::Method::DELETE, path, None).await
    }
}

/// Snapshots an answer that must have `status`, under the name `name`.
macro_rules! record {
    ($name:expr, $reply:expr, $status:expr, $today:expr) => {
        record!($name, $reply, $status, $today, &[])
    };
    ($name:expr, $reply:expr, $status:expr, $today:expr, $clock:expr) => {{
        let r: Reply = $reply;
        assert_eq!(r.status, $status, "{}: {}", $name, r.text);
        insta::assert_json_snapshot!($name, recorded(&r, $today, $clock));
    }};
}

/// Snapshots a refusal: a problem document with `status`.
macro_rules! refusal {
    ($name:expr, $reply:expr, $status:expr, $today:expr) => {{
        let r: Reply = $reply;
        r.refused($status);
        insta::assert_json_snapshot!(concat!("problem_", $name), recorded(&r, $today, &[]));
    }};
}

#[tokio::test]
async fn every_operation_in_the_openapi_document_has_a_snapshot() {
    let app = TestApp::spawn().await;
    let doc = json_of(
        Client::new()
            .get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .expect("sent"),
    )
    .await;
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            if ["get", "put", "post", "delete", "patch", "head", "options"]
                .contains(&method.as_str())
            {
                documented.push((method.clone(), path.clone()));
            }
        }
    }
    documented.sort();
    let mut listed: Vec<(String, String)> = OPERATIONS
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    listed.sort();
    assert_eq!(
        documented, listed,
        "every operation in the OpenAPI document has a snapshot in OPERATIONS, and no other"
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/server/snapshots");
    for (_, path, name) in OPERATIONS {
        for snapshot in [
            format!("server__contract__{name}.snap"),
            format!("server__contract__problem_{name}.snap"),
        ] {
            assert!(
                dir.join(&snapshot).is_file(),
                "{path}: no snapshot {snapshot}"
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn the_engine_knowledge_and_program_answer_as_recorded() {
    let app = TestApp::spawn().await;
    let date = server_today();
    let today = Dates::today(date);
    let api = Api {
        http: Client::new(),
        base: app.base.clone(),
        token: None,
    };
    record!("health", api.get("/health").await, StatusCode::OK, today);
    let answers = json!({"red_flags": [], "answers": {
        "any-direction": "one-direction", "arching": "better", "bending": "worse",
        "lying-face-down": "better", "relief": "stand-or-walk", "sitting": "worse",
        "standing": "better", "time-of-day": "morning", "twisting": "no-change",
        "walking": "better"
    }});
    record!(
        "assess",
        api.post("/assess", &answers).await,
        StatusCode::OK,
        today
    );
    record!(
        "recommend",
        api.post(
            "/recommend",
            &json!({
                "you": {"pain_type": "flexion", "role": "receptive", "pain_now": 4,
                        "conditions": ["disc-problem"]},
                "partner": {"pain_type": "extension"},
                "time": "evening"
            })
        )
        .await,
        StatusCode::OK,
        today
    );
    record!(
        "check",
        api.post(
            "/check",
            &json!({"symptoms": ["cancer-history", "night-pain"]})
        )
        .await,
        StatusCode::OK,
        today
    );
    record!(
        "positions",
        api.get("/positions").await,
        StatusCode::OK,
        today
    );
    record!(
        "position",
        api.get("/positions/spooning").await,
        StatusCode::OK,
        today
    );
    record!(
        "tips",
        api.get("/tips?phase=before").await,
        StatusCode::OK,
        today
    );
    record!(
        "faq",
        api.get("/faq?q=is%20sex%20safe%20with%20a%20disc%20problem&limit=2")
            .await,
        StatusCode::OK,
        today
    );
    record!("sources", api.get("/sources").await, StatusCode::OK, today);
    let sources = api.get("/sources").await.json();
    let first_source = sources["sources"][0]["id"]
        .as_str()
        .or_else(|| sources[0]["id"].as_str())
        .expect("a source id")
        .to_owned();
    record!(
        "source",
        api.get(&format!("/sources/{first_source}")).await,
        StatusCode::OK,
        today
    );
    record!(
        "exercises",
        api.get("/exercises").await,
        StatusCode::OK,
        today
    );
    record!(
        "exercise",
        api.get("/exercises/hip-hinge").await,
        StatusCode::OK,
        today
    );
    // The program's week runs from Monday: its dates are written from the week's Monday, and
    // `today`, the weekday, is checked here rather than recorded.
    let program = api
        .get(&format!(
            "/program?pain_type=flexion&pain=3&conditions=osteoporosis&today={}",
            day(date, 0)
        ))
        .await;
    assert_eq!(
        program.json()["program"]["today"],
        date.weekday().number_days_from_monday(),
        "{}",
        program.text
    );
    record!(
        "program",
        program,
        StatusCode::OK,
        Dates::monday(date),
        &["/body/program/today"]
    );

    // The refusals.
    refusal!(
        "health",
        api.post("/health", &json!({})).await,
        StatusCode::METHOD_NOT_ALLOWED,
        today
    );
    refusal!(
        "assess",
        api.post(
            "/assess",
            &json!({"red_flags": [], "answers": {"sitting": "sometimes"}})
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    refusal!(
        "recommend",
        api.post(
            "/recommend",
            &json!({"you": {"pain_type": "sideways", "role": "receptive", "pain_now": 11}})
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    refusal!(
        "check",
        api.post("/check", &json!({"symptoms": ["sneezing"]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    refusal!(
        "positions",
        api.delete("/positions").await,
        StatusCode::METHOD_NOT_ALLOWED,
        today
    );
    refusal!(
        "position",
        api.get("/positions/no-such-position").await,
        StatusCode::NOT_FOUND,
        today
    );
    refusal!(
        "tips",
        api.get("/tips?phase=sometime").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    refusal!(
        "faq",
        api.get("/faq?q=sex&limit=abc").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    refusal!(
        "sources",
        api.post("/sources", &json!({})).await,
        StatusCode::METHOD_NOT_ALLOWED,
        today
    );
    refusal!(
        "source",
        api.get("/sources/no-such-source").await,
        StatusCode::NOT_FOUND,
        today
    );
    refusal!(
        "exercises",
        api.put("/exercises", &json!({})).await,
        StatusCode::METHOD_NOT_ALLOWED,
        today
    );
    refusal!(
        "exercise",
        api.get("/exercises/no-such-exercise").await,
        StatusCode::NOT_FOUND,
        today
    );
    refusal!(
        "program",
        api.get(&format!(
            "/program?pain_type=sideways&today={}",
            day(date, 0)
        ))
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    refusal!(
        "unknown_endpoint",
        api.get("/no-such-thing").await,
        StatusCode::NOT_FOUND,
        today
    );
    app.stop().await;
}

/// A journal of every kind, dated relative to `today`, a week apart where it is weekly, so
/// that what the insights count per week is the same whatever day today is.
fn journal(today: time::Date) -> Vec<Value> {
    let mut entries = Vec::new();
    for (n, week) in [28, 21, 14, 7].into_iter().enumerate() {
        let at = format!("{}T21:30", day(today, -week));
        entries.push(json!({
            "kind": "intimacy", "id": format!("i{n}"), "at": at,
            "positions": if n % 2 == 0 { json!(["spooning"]) } else { json!(["missionary"]) },
            "preparation": ["warm-bath"],
            "pain_before": 2, "pain_during": 3 + n, "pain_after": 2 + n,
            "stopped_early": false, "symptoms": [], "note": "slow and easy"
        }));
        entries.push(json!({
            "kind": "daily", "id": format!("d{n}"), "date": day(today, -week),
            "pain_morning": 4, "pain_evening": 3, "sleep_hours": 7.5,
            "sleep_quality": 3, "mood": 4, "stress": 2, "note": "a stiff morning"
        }));
        entries.push(json!({
            "kind": "peg", "id": format!("p{n}"), "date": day(today, -week),
            "pain": 5, "enjoyment": 4, "activity": 6
        }));
        entries.push(json!({
            "kind": "exercise", "id": format!("x{n}"), "at": format!("{}T18:00", day(today, -week)),
            "what": "bird dog, side plank", "minutes": 25, "felt": "better",
            "pain_before": 4, "pain_after": 3, "note": "easier"
        }));
    }
    entries
}

#[tokio::test]
async fn the_account_and_journal_endpoints_answer_as_recorded() {
    let app = TestApp::spawn().await;
    let date = server_today();
    let today = Dates::today(date);
    let account = sign_up(&app, "contract", "a long enough password").await;
    let token = create_token(&app, &account, "contract").await;
    let api = Api {
        http: Client::new(),
        base: app.base.clone(),
        token: Some(token),
    };
    let nobody = Api {
        http: Client::new(),
        base: app.base.clone(),
        token: None,
    };
    let q = format!("today={}", day(date, 0));

    refusal!(
        "profile_get",
        nobody.get("/profile").await,
        StatusCode::UNAUTHORIZED,
        today
    );
    record!(
        "profile_get",
        api.get("/profile").await,
        StatusCode::OK,
        today
    );
    refusal!(
        "journal_plan",
        api.get(&format!("/journal/plan?{q}")).await,
        StatusCode::CONFLICT,
        today
    );
    refusal!(
        "profile_put",
        api.put(
            "/profile",
            &json!({"pain_type": "sideways", "role": "receptive"})
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    record!(
        "profile_put",
        api.put(
            "/profile",
            &json!({"pain_type": "flexion", "role": "receptive",
                    "conditions": ["disc-problem"], "partner_pain_type": "extension"})
        )
        .await,
        StatusCode::OK,
        today
    );

    let entries = journal(date);
    for e in &entries[1..] {
        let r = api.post("/journal/entries", e).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    record!(
        "journal_entries_post",
        api.post("/journal/entries", &entries[0]).await,
        StatusCode::CREATED,
        today
    );
    refusal!(
        "journal_entries_post",
        api.post(
            "/journal/entries",
            &json!({"kind": "peg", "id": "bad", "date": day(date, 0), "pain": 11,
                    "enjoyment": 4, "activity": 6})
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    record!(
        "journal_entries_get",
        api.get("/journal/entries").await,
        StatusCode::OK,
        today
    );
    refusal!(
        "journal_entries_get",
        api.get("/journal/entries?kind=dream").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    record!(
        "journal_entry_get",
        api.get("/journal/entries/i0").await,
        StatusCode::OK,
        today
    );
    refusal!(
        "journal_entry_get",
        api.get("/journal/entries/no-such-entry").await,
        StatusCode::NOT_FOUND,
        today
    );
    let mut changed = entries[0].clone();
    changed["note"] = json!("easier than last time");
    record!(
        "journal_entry_put",
        api.put("/journal/entries/i0", &changed).await,
        StatusCode::OK,
        today
    );
    refusal!(
        "journal_entry_put",
        api.put("/journal/entries/another-id", &changed).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    record!(
        "journal_insights",
        api.get(&format!("/journal/insights?{q}")).await,
        StatusCode::OK,
        today
    );
    refusal!(
        "journal_insights",
        api.get(&format!("/journal/insights?today={}", day(date, -30)))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    record!(
        "journal_plan",
        api.get(&format!("/journal/plan?{q}")).await,
        StatusCode::OK,
        today
    );
    record!(
        "journal_summary",
        api.get(&format!("/journal/summary?{q}")).await,
        StatusCode::OK,
        today
    );
    refusal!(
        "journal_summary",
        api.get("/journal/summary?today=tomorrow").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    let export = api.get("/journal/export").await;
    record!(
        "journal_export",
        Reply {
            status: export.status,
            headers: export.headers.clone(),
            text: export.text.clone(),
        },
        StatusCode::OK,
        today,
        &["exported_at"]
    );
    refusal!(
        "journal_export",
        nobody.get("/journal/export").await,
        StatusCode::UNAUTHORIZED,
        today
    );
    record!(
        "journal_export_csv",
        api.get("/journal/export/csv/intimacy").await,
        StatusCode::OK,
        today
    );
    refusal!(
        "journal_export_csv",
        api.get("/journal/export/csv/dream").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    record!(
        "journal_export_fhir",
        api.get("/journal/export/fhir?utc_offset=%2B01:00").await,
        StatusCode::OK,
        today,
        // The bundle's own id is made from the time of the export.
        &["timestamp", "lastUpdated", "/body/id"]
    );
    refusal!(
        "journal_export_fhir",
        api.get("/journal/export/fhir?utc_offset=%2B15:00").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    // Sharing with a clinician: the link's secret, the share's id and its times are the
    // clock's (random, or read from it).
    let created = api
        .post(
            "/shares",
            &json!({"parts": ["plan", "summary", "adherence", "fhir"], "days": 7}),
        )
        .await;
    let secret = created.json()["secret"]
        .as_str()
        .expect("a secret")
        .to_owned();
    let share_id = created.json()["id"].as_str().expect("an id").to_owned();
    record!(
        "shares_post",
        created,
        StatusCode::CREATED,
        today,
        &["id", "secret", "url", "expires_at"]
    );
    refusal!(
        "shares_post",
        api.post(
            "/shares",
            &json!({"parts": ["summary", "diary"], "days": 31, "pin": "12"})
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    record!(
        "shared_get",
        nobody.get(&format!("/shared/{secret}")).await,
        StatusCode::OK,
        today,
        &["expires_at"]
    );
    refusal!(
        "shared_get",
        nobody.get("/shared/no-such-link").await,
        StatusCode::NOT_FOUND,
        today
    );
    record!(
        "shared_fhir",
        nobody.get(&format!("/shared/{secret}/fhir")).await,
        StatusCode::OK,
        today,
        &["timestamp", "lastUpdated", "/body/id"]
    );
    record!(
        "shares_get",
        api.get("/shares").await,
        StatusCode::OK,
        today,
        &["id", "created_at", "expires_at", "openings"]
    );
    refusal!(
        "shares_get",
        nobody.get("/shares").await,
        StatusCode::UNAUTHORIZED,
        today
    );
    let with_pin = api
        .post("/shares", &json!({"parts": ["fhir"], "pin": "2468"}))
        .await
        .json();
    refusal!(
        "shared_fhir",
        nobody
            .get(&format!(
                "/shared/{}/fhir",
                with_pin["secret"].as_str().expect("a secret")
            ))
            .await,
        StatusCode::FORBIDDEN,
        today
    );
    record!(
        "share_delete",
        api.delete(&format!("/shares/{share_id}")).await,
        StatusCode::NO_CONTENT,
        today
    );
    refusal!(
        "share_delete",
        api.delete("/shares/no-such-share").await,
        StatusCode::NOT_FOUND,
        today
    );
    record!(
        "journal_entry_delete",
        api.delete("/journal/entries/x0").await,
        StatusCode::NO_CONTENT,
        today
    );
    refusal!(
        "journal_entry_delete",
        api.delete("/journal/entries/x0").await,
        StatusCode::NOT_FOUND,
        today
    );
    record!(
        "journal_delete",
        api.delete("/journal").await,
        StatusCode::NO_CONTENT,
        today
    );
    refusal!(
        "journal_delete",
        nobody.delete("/journal").await,
        StatusCode::UNAUTHORIZED,
        today
    );
    record!(
        "journal_import",
        api.post("/journal/import", &export.json()).await,
        StatusCode::OK,
        today
    );
    refusal!(
        "journal_import",
        api.post("/journal/import", &json!({"entries": "none"}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    app.stop().await;
}

#[tokio::test]
async fn the_coach_socket_answers_as_recorded() {
    let app = with_max_fps(false, u32::MAX).await;
    let today = Dates::today(server_today());
    let mut socket = connect(&ws(&app, "exercise=hip-hinge&aspect=1")).await;
    insta::assert_json_snapshot!(
        "coach_ready",
        stable(&next_json(&mut socket).await, today, &[])
    );
    let script = HingeScript {
        rounded: vec![2],
        rounding_deg: 35.0,
        ..HingeScript::new(4)
    };
    let frames = synthetic::sequence(
        script.duration_ms(),
        30.0,
        View::Right,
        &Noise::NONE,
        7,
        |t| script.pose_at(t),
    );
    let mut states = Vec::new();
    for frame in &frames {
        let text = serde_json::to_string(frame).expect("a frame encodes");
        socket
            .send(Message::Text(text.into()))
            .await
            .expect("the frame is sent");
        states.push(next_json(&mut socket).await);
    }
    // The first state, the first that warns, the first of each new count, and the last.
    let mut kept = vec![states[0].clone()];
    if let Some(w) = states
        .iter()
        .find(|s| s["warnings"].as_array().is_some_and(|w| !w.is_empty()))
    {
        kept.push(w.clone());
    }
    let mut reps = 0;
    for s in &states {
        if s["reps"].as_u64() > Some(reps) {
            reps = s["reps"].as_u64().expect("reps");
            kept.push(s.clone());
        }
    }
    kept.push(states.last().expect("states").clone());
    insta::assert_json_snapshot!("coach_states", stable(&json!(kept), today, &[]));
    socket
        .send(Message::Text(r#"{"cmd":"dance"}"#.into()))
        .await
        .expect("sent");
    insta::assert_json_snapshot!(
        "coach_error",
        stable(&next_json(&mut socket).await, today, &[])
    );
    socket
        .send(Message::Text(r#"{"cmd":"finish"}"#.into()))
        .await
        .expect("finish is sent");
    insta::assert_json_snapshot!(
        "coach_summary",
        stable(&next_json(&mut socket).await, today, &[])
    );
    app.stop().await;
}

/// The schema a `$ref` names, from the document's components.
fn schema<'a>(doc: &'a Value, reference: &Value) -> &'a Value {
    let name = reference["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .unwrap_or_else(|| panic!("a schema reference: {reference}"));
    &doc["components"]["schemas"][name]
}

#[tokio::test]
async fn the_saved_profile_and_a_positions_posture_profile_are_different_schemas() {
    let app = TestApp::spawn().await;
    let doc: Value = Client::new()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("the document");
    let profile = &doc["paths"]["/api/v1/profile"];
    for (method, answer) in [
        ("get", &profile["get"]["responses"]["200"]),
        ("put", &profile["put"]["responses"]["200"]),
        ("put body", &profile["put"]["requestBody"]),
    ] {
        let s = schema(&doc, &answer["content"]["application/json"]["schema"]);
        assert!(
            s["properties"]["conditions"].is_object() && s["properties"]["posture"].is_null(),
            "/profile {method}: {s}"
        );
    }
    let position = doc["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .values()
        .find(|s| s["properties"]["receptive"].is_object() && s["properties"]["basis"].is_object())
        .expect("the position schema");
    let posture = schema(&doc, &position["properties"]["receptive"]);
    assert!(posture["properties"]["posture"].is_object(), "{posture}");
    app.stop().await;
}

#[tokio::test]
async fn the_refusals_an_endpoint_gives_are_in_its_documented_answers() {
    let app = TestApp::spawn().await;
    let c = Client::new();
    let doc: Value = c
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("the document");
    let documented = |path: &str, method: &str, status: StatusCode| {
        doc["paths"][format!("/api/v1{path}")][method]["responses"][status.as_str()].is_object()
    };
    // A body that is not JSON, to each engine endpoint.
    for path in ["/assess", "/recommend", "/check"] {
        let r = c
            .post(app.url(&format!("/api/v1{path}")))
            .header("content-type", "text/plain")
            .body("pain")
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{path}");
        assert!(
            documented(path, "post", r.status()),
            "{path}: 415 is not documented"
        );
    }
    // A path parameter that does not read.
    let r = c
        .get(app.url("/api/v1/positions/%ff"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    // An entry id that is not one, with a token.
    let b = sign_up(&app, "documented", "a long enough password").await;
    let token = create_token(&app.base, &b, "checker").await;
    let bad_id = "x".repeat(65);
    for method in ["get", "delete"] {
        let url = app.url(&format!("/api/v1/journal/entries/{bad_id}"));
        let r = match method {
            "get" => c.get(url),
            _ => c.delete(url),
        }
        .bearer_auth(&token)
        .send()
        .await
        .expect("sent");
        assert!(
            documented("/journal/entries/{id}", method, r.status()),
            "{method}: {} is not documented",
            r.status()
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn the_partner_endpoints_answer_as_recorded() {
    let app = TestApp::spawn().await;
    let date = server_today();
    let today = Dates::today(date);
    let clock: &[&str] = &[
        "code",
        "link",
        "expires_at",
        "invitation_expires_at",
        "since",
        "id",
    ];
    let mut apis = Vec::new();
    for login in ["inviter", "accepter"] {
        let account = sign_up(&app, login, "a long enough password").await;
        let token = create_token(&app, &account, "contract").await;
        apis.push(Api {
            http: Client::new(),
            base: app.base.clone(),
            token: Some(token),
        });
    }
    let b = apis.pop().expect("b");
    let a = apis.pop().expect("a");
    for (api, profile) in [
        (
            &a,
            json!({"pain_type": "flexion", "role": "receptive", "conditions": ["disc-problem"]}),
        ),
        (&b, json!({"pain_type": "extension", "role": "insertive"})),
    ] {
        let r = api.put("/profile", &profile).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    refusal!(
        "partner_plan",
        a.get("/partner/plan").await,
        StatusCode::NOT_FOUND,
        today
    );
    refusal!(
        "partner_invitation_delete",
        a.delete("/partner/invitation").await,
        StatusCode::NOT_FOUND,
        today
    );
    let first = a.post("/partner/invitation", &json!({})).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    record!(
        "partner_invitation_delete",
        a.delete("/partner/invitation").await,
        StatusCode::NO_CONTENT,
        today
    );
    let invitation = a.post("/partner/invitation", &json!({})).await;
    let code = invitation.json()["code"]
        .as_str()
        .expect("a code")
        .to_owned();
    record!(
        "partner_invitation_post",
        invitation,
        StatusCode::CREATED,
        today,
        clock
    );
    record!(
        "partner_get",
        a.get("/partner").await,
        StatusCode::OK,
        today,
        clock
    );
    refusal!(
        "partner_accept",
        b.post("/partner/accept", &json!({"code": "0000-0000-0000-0000"}))
            .await,
        StatusCode::NOT_FOUND,
        today
    );
    record!(
        "partner_accept",
        b.post("/partner/accept", &json!({"code": code})).await,
        StatusCode::OK,
        today,
        clock
    );
    refusal!(
        "partner_invitation_post",
        a.post("/partner/invitation", &json!({})).await,
        StatusCode::CONFLICT,
        today
    );
    refusal!(
        "partner_sharing",
        a.put("/partner/sharing", &json!({"items": ["diary"]}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    record!(
        "partner_sharing",
        a.put(
            "/partner/sharing",
            &json!({"items": ["pain_type_role", "conditions", "morning_answer"]})
        )
        .await,
        StatusCode::OK,
        today,
        clock
    );
    let r = b
        .put("/partner/sharing", &json!({"items": ["morning_answer"]}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    record!(
        "partner_plan",
        b.get("/partner/plan").await,
        StatusCode::OK,
        today
    );
    refusal!(
        "partner_marks_put",
        a.put("/partner/marks", &json!({"marks": {"spooning": "perhaps"}}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    record!(
        "partner_marks_put",
        a.put(
            "/partner/marks",
            &json!({"marks": {"spooning": "yes", "quadruped": "no", "missionary": "maybe"}})
        )
        .await,
        StatusCode::OK,
        today
    );
    let r = b
        .put(
            "/partner/marks",
            &json!({"marks": {"spooning": "yes", "quadruped": "yes", "missionary": "yes"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    record!(
        "partner_marks_get",
        a.get("/partner/marks").await,
        StatusCode::OK,
        today
    );
    record!(
        "partner_list",
        b.get("/partner/list").await,
        StatusCode::OK,
        today
    );
    let entry = json!({
        "kind": "intimacy", "id": "occasion", "at": format!("{}T22:00", day(date, -1)),
        "positions": ["spooning"], "preparation": [], "pain_before": 2, "pain_after": 3,
        "stopped_early": false, "symptoms": [], "next_day_pain": 3
    });
    let r = a.post("/journal/entries", &entry).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    refusal!(
        "partner_occasions_post",
        a.post("/partner/occasions", &json!({"entry_id": "no-such-entry"}))
            .await,
        StatusCode::NOT_FOUND,
        today
    );
    let asked = a
        .post("/partner/occasions", &json!({"entry_id": "occasion"}))
        .await;
    let occasion = asked.json()["id"].as_str().expect("an id").to_owned();
    record!(
        "partner_occasions_post",
        asked,
        StatusCode::CREATED,
        today,
        clock
    );
    let answer = format!("/partner/occasions/{occasion}/answer");
    refusal!(
        "partner_occasion_answer",
        b.post(&answer, &json!({"pain": 12})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        today
    );
    record!(
        "partner_occasion_answer",
        b.post(&answer, &json!({"pain": 1})).await,
        StatusCode::OK,
        today
    );
    record!(
        "partner_occasions_get",
        a.get("/partner/occasions").await,
        StatusCode::OK,
        today,
        clock
    );
    record!(
        "partner_delete",
        b.delete("/partner").await,
        StatusCode::NO_CONTENT,
        today
    );
    for (name, reply) in [
        (
            "partner_get",
            Api {
                http: Client::new(),
                base: app.base.clone(),
                token: None,
            }
            .get("/partner")
            .await,
        ),
        ("partner_delete", a.delete("/partner").await),
        ("partner_marks_get", a.get("/partner/marks").await),
        ("partner_list", a.get("/partner/list").await),
        ("partner_occasions_get", a.get("/partner/occasions").await),
    ] {
        let status = if name == "partner_get" {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::NOT_FOUND
        };
        reply.refused(status);
        insta::assert_json_snapshot!(format!("problem_{name}"), recorded(&reply, today, &[]));
    }
}
