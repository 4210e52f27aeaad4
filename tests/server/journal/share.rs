//! Sharing with a clinician over HTTP, on SQLite and on PostgreSQL: a third account never
//! lists or revokes another's share; a revoked link answers 404 and an expired one 410, and
//! neither says anything of what it held; wrong PINs lock a link, and enough of them end it;
//! the clinician's page is never stored, indexed or given a referrer; the download is the
//! journal's FHIR export; and nothing shared is readable in the database.

use super::*;

/// Runs each `async fn(TestApp)` on SQLite, and on PostgreSQL when
/// `SPINEWISE_TEST_POSTGRES_URL` is set (listed as ignored otherwise).
macro_rules! on_both {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(crate::common::server::TestApp::spawn().await).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                #[cfg_attr(
                    not(postgres_tests),
                    ignore = "set SPINEWISE_TEST_POSTGRES_URL to run the PostgreSQL variant"
                )]
                async fn $test() {
                    super::$test(
                        crate::common::server::TestApp::on_postgres("sw_share").await,
                    )
                    .await;
                }
            )+
        }
    };
}

on_both! {
    a_third_account_never_lists_or_revokes_a_share_and_a_revoked_link_reveals_nothing,
    an_expired_link_answers_410_and_reveals_nothing,
    wrong_pins_lock_a_link_and_twenty_end_it,
    bad_share_requests_are_refused_naming_the_value_and_write_nothing,
    the_clinicians_page_opens_without_an_account_and_is_never_stored_or_indexed,
}

/// What the shared journal says: none of it may be readable in the database.
const NOTE: &str = "heliotrope-saffron-quill";

/// An account with a saved profile and a journal, and an API token for it.
async fn patient(app: &TestApp, login: &str) -> (Api, crate::common::server::Account) {
    let account = sign_up(&app.base, login, PASSWORD).await;
    let token = create_token(&app.base, &account.browser, "phone").await;
    let api = Api::token(&app.base, &token);
    let r = api
        .put(
            "/api/v1/profile",
            &json!({
                "pain_type": "flexion", "role": "receptive",
                "conditions": ["osteoporosis"], "partner_pain_type": "extension"
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let today = time::OffsetDateTime::now_utc().date();
    for days_ago in [20_i64, 13, 6] {
        let date = today - time::Duration::days(days_ago);
        api.create_new(&peg(&format!("peg-{days_ago}"), &date.to_string()))
            .await;
    }
    let at = format!("{}T07:30", today - time::Duration::days(2));
    api.create_new(&with(&exercise("ex-1", &at), "what", json!(NOTE)))
        .await;
    (api, account)
}

/// The day of the PEG answered `days_ago` days before today.
fn peg_date(days_ago: i64) -> String {
    (time::OffsetDateTime::now_utc().date() - time::Duration::days(days_ago)).to_string()
}

/// Makes a share through the API; returns (id, secret).
async fn share(api: &Api, body: &Value) -> (String, String) {
    let r = api.post("/api/v1/shares", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let created = r.json();
    let secret = created["secret"].as_str().expect("a secret").to_owned();
    let url = created["url"].as_str().expect("a url");
    assert!(url.ends_with(&format!("/s/{secret}")), "{url}");
    (created["id"].as_str().expect("an id").to_owned(), secret)
}

/// A clinician's request for a link, with a PIN or not.
async fn shared(app: &TestApp, path: &str, pin: Option<&str>) -> Reply {
    let mut rb = Api::nobody(&app.base).request(Method::GET, path);
    if let Some(pin) = pin {
        rb = rb.header("x-share-pin", pin);
    }
    Reply::from(rb.send().await.expect("sent")).await
}

/// Runs `sql` with one text argument on the app's database, behind its back.
async fn execute(app: &TestApp, sql: &'static str, arg: &str) {
    match app.schema() {
        None => {
            let mut c = sqlite(&app.db_path()).await;
            sqlx::query(sql)
                .bind(arg)
                .execute(&mut c)
                .await
                .expect("run");
        }
        Some(schema) => {
            let mut c = sqlx::PgConnection::connect(schema.url())
                .await
                .expect("PostgreSQL answers");
            sqlx::query(sql)
                .bind(arg)
                .execute(&mut c)
                .await
                .expect("run");
        }
    }
}

/// Checks that a refusal says nothing of the share: not the patient, not what it held.
#[track_caller]
fn reveals_nothing(r: &Reply, login: &str) {
    for word in [
        login,
        NOTE,
        "flexion",
        "osteoporosis",
        "peg score",
        "exercise",
    ] {
        assert!(
            !r.text.to_lowercase().contains(word),
            "'{word}' in {}: {}",
            r.status,
            r.text
        );
    }
}

async fn a_third_account_never_lists_or_revokes_a_share_and_a_revoked_link_reveals_nothing(
    app: TestApp,
) {
    let (alice, alice_account) = patient(&app, "alice").await;
    let (id, secret) = share(
        &alice,
        &json!({"parts": ["plan", "summary", "adherence", "fhir"], "days": 3}),
    )
    .await;

    // The clinician opens it and downloads the bundle, which is the journal's export.
    let view = shared(&app, &format!("/api/v1/shared/{secret}"), None).await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.text);
    let v = view.json();
    assert_eq!(v["parts"], json!(["plan", "summary", "adherence", "fhir"]));
    assert!(
        v["plan"]["positions"]
            .as_array()
            .is_some_and(|p| p.len() >= 12),
        "{v}"
    );
    assert!(v["summary"]["peg"]["answers"] == json!(3), "{v}");
    assert!(
        v["adherence"]["weeks"]
            .as_array()
            .is_some_and(|w| !w.is_empty()),
        "{v}"
    );
    assert_eq!(v["summary"]["conditions"][0]["id"], "osteoporosis");
    assert!(v["summary"].get("exercise").is_none());
    let bundle = shared(&app, &format!("/api/v1/shared/{secret}/fhir"), None).await;
    assert_eq!(bundle.status, StatusCode::OK);
    assert_eq!(bundle.header("content-type"), Some("application/fhir+json"));
    let export = alice.get("/api/v1/journal/export/fhir").await;
    let without_time = |text: &str| {
        let mut v: Value = serde_json::from_str(text).expect("JSON");
        // The bundle's id and its lastUpdated follow the moment it was made.
        let o = v.as_object_mut().expect("an object");
        for key in ["timestamp", "id", "meta"] {
            o.remove(key);
        }
        v
    };
    assert_eq!(without_time(&bundle.text), without_time(&export.text));
    assert!(
        bundle.text.contains(&peg_date(6)),
        "the bundle holds the journal's PEG"
    );

    // A third account sees none of it and cannot revoke it, with a token or a session.
    let mallory = sign_up(&app.base, "mallory", PASSWORD).await;
    let mallory_token = Api::token(
        &app.base,
        &create_token(&app.base, &mallory.browser, "m").await,
    );
    let mallory_session = Api::session(&app.base, &mallory.browser).await;
    for api in [&mallory_token, &mallory_session] {
        assert_eq!(api.get("/api/v1/shares").await.json(), json!([]));
        api.delete(&format!("/api/v1/shares/{id}"))
            .await
            .refused(StatusCode::NOT_FOUND);
    }
    let page = mallory
        .browser
        .submit(
            &app.url("/journal/share/revoke"),
            &[
                (
                    "csrf",
                    &page_csrf(&mallory.browser, &app.base, "/journal/share").await,
                ),
                ("id", &id),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    // Nobody signed in, and a session without its CSRF token, are refused too.
    let nobody = Api::nobody(&app.base);
    nobody
        .get("/api/v1/shares")
        .await
        .refused(StatusCode::UNAUTHORIZED);
    nobody
        .delete(&format!("/api/v1/shares/{id}"))
        .await
        .refused(StatusCode::UNAUTHORIZED);
    nobody
        .post("/api/v1/shares", &json!({"parts": ["summary"]}))
        .await
        .refused(StatusCode::UNAUTHORIZED);
    Api::session_without_csrf(&app.base, &alice_account.browser)
        .delete(&format!("/api/v1/shares/{id}"))
        .await
        .refused(StatusCode::FORBIDDEN);
    assert_eq!(
        shared(&app, &format!("/api/v1/shared/{secret}"), None)
            .await
            .status,
        StatusCode::OK
    );

    // Alice sees her access log: three openings so far.
    let listed = alice.get("/api/v1/shares").await.json();
    assert_eq!(listed[0]["id"], json!(id));
    assert_eq!(listed[0]["status"], "active");
    assert_eq!(listed[0]["times_opened"], 3);
    assert_eq!(listed[0]["openings"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        Api::session(&app.base, &alice_account.browser)
            .await
            .get("/api/v1/shares")
            .await
            .json()[0]["id"],
        json!(id)
    );

    // She revokes it: the link answers as one never made, and says nothing.
    assert_eq!(
        alice.delete(&format!("/api/v1/shares/{id}")).await.status,
        StatusCode::NO_CONTENT
    );
    let never = shared(
        &app,
        "/api/v1/shared/never-made-never-made-never-made-never",
        None,
    )
    .await;
    never.refused(StatusCode::NOT_FOUND);
    for path in [
        format!("/api/v1/shared/{secret}"),
        format!("/api/v1/shared/{secret}/fhir"),
    ] {
        let r = shared(&app, &path, None).await;
        r.refused(StatusCode::NOT_FOUND);
        assert_eq!(r.json()["detail"], never.json()["detail"]);
        reveals_nothing(&r, "alice");
    }
    let page = Browser::new().page(&app.url(&format!("/s/{secret}"))).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    reveals_nothing(&page, "alice");
    assert_eq!(
        alice.get("/api/v1/shares").await.json()[0]["status"],
        "revoked"
    );
    // The content and the key are gone from the row.
    let gone = match app.schema() {
        None => {
            let mut c = sqlite(&app.db_path()).await;
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM clinician_shares WHERE id = $1 AND sealed IS NULL \
                 AND wrapped_key IS NULL AND sealed_fhir IS NULL",
            )
            .bind(&id)
            .fetch_one(&mut c)
            .await
            .expect("count")
        }
        Some(schema) => {
            let mut c = sqlx::PgConnection::connect(schema.url())
                .await
                .expect("PostgreSQL answers");
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM clinician_shares WHERE id = $1 AND sealed IS NULL \
                 AND wrapped_key IS NULL AND sealed_fhir IS NULL",
            )
            .bind(&id)
            .fetch_one(&mut c)
            .await
            .expect("count")
        }
    };
    assert_eq!(gone, 1);
    app.stop().await;
}

async fn an_expired_link_answers_410_and_reveals_nothing(app: TestApp) {
    let (alice, _) = patient(&app, "alice").await;
    let (id, secret) = share(&alice, &json!({"parts": ["summary", "fhir"]})).await;
    let (_, other) = share(&alice, &json!({"parts": ["adherence"], "pin": "2468"})).await;
    let listed = alice.get("/api/v1/shares").await.json();
    let first = |listed: &Value| -> Value {
        listed
            .as_array()
            .and_then(|l| l.iter().find(|s| s["id"] == json!(id)))
            .cloned()
            .expect("listed")
    };
    let made = first(&listed)["created_at"]
        .as_str()
        .expect("a time")
        .to_owned();
    let expires = first(&listed)["expires_at"]
        .as_str()
        .expect("a time")
        .to_owned();
    let day = |s: &str| {
        time::Date::parse(
            &s[..10],
            &time::macros::format_description!("[year]-[month]-[day]"),
        )
        .expect("a date")
    };
    assert_eq!(
        day(&expires) - day(&made),
        time::Duration::days(7),
        "7 days by default"
    );

    execute(
        &app,
        "UPDATE clinician_shares SET expires_at = 1000 WHERE id <> $1",
        "",
    )
    .await;
    for (path, pin) in [
        (format!("/api/v1/shared/{secret}"), None),
        (format!("/api/v1/shared/{secret}/fhir"), None),
        (format!("/api/v1/shared/{other}"), Some("2468")),
        (format!("/api/v1/shared/{other}"), Some("1111")),
    ] {
        let r = shared(&app, &path, pin).await;
        let problem = r.refused(StatusCode::GONE);
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains("expired")),
            "{problem}"
        );
        reveals_nothing(&r, "alice");
    }
    let page = Browser::new().page(&app.url(&format!("/s/{secret}"))).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.text.contains("expired"));
    reveals_nothing(&page, "alice");
    assert_eq!(
        first(&alice.get("/api/v1/shares").await.json())["status"],
        "expired"
    );
    app.stop().await;
}

async fn wrong_pins_lock_a_link_and_twenty_end_it(app: TestApp) {
    let (alice, _) = patient(&app, "alice").await;
    let (_, secret) = share(&alice, &json!({"parts": ["summary"], "pin": "482913"})).await;
    let path = format!("/api/v1/shared/{secret}");

    // Without the PIN, and with a wrong one, nothing opens.
    let r = shared(&app, &path, None).await;
    r.refused(StatusCode::FORBIDDEN);
    reveals_nothing(&r, "alice");
    let malformed = shared(&app, &path, Some("12"))
        .await
        .refused(StatusCode::FORBIDDEN);
    assert!(
        malformed["detail"]
            .as_str()
            .is_some_and(|d| d.contains("4 to 8 digits")),
        "{malformed}"
    );
    for _ in 0..4 {
        shared(&app, &path, Some("000000"))
            .await
            .refused(StatusCode::FORBIDDEN);
    }
    // The right PIN opens it and forgets the wrong ones in a row.
    assert_eq!(
        shared(&app, &path, Some("482913")).await.status,
        StatusCode::OK
    );
    // Five wrong in a row lock it: then even the right PIN waits, and says for how long.
    for _ in 0..5 {
        shared(&app, &path, Some("000000"))
            .await
            .refused(StatusCode::FORBIDDEN);
    }
    for pin in ["482913", "000000"] {
        let r = shared(&app, &path, Some(pin)).await;
        r.refused(StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = r
            .header("retry-after")
            .and_then(|s| s.parse().ok())
            .expect("a Retry-After in seconds");
        assert!((890..=900).contains(&wait), "{wait}");
        assert!(r.text.contains("minutes"), "{}", r.text);
    }
    // Requests sent at once cannot slip past the lock: after the wait, five are tried.
    execute(
        &app,
        "UPDATE clinician_shares SET locked_until = 1 WHERE id <> $1",
        "",
    )
    .await;
    let attempts = (0..12).map(|_| shared(&app, &path, Some("111111")));
    let answers = futures_util::future::join_all(attempts).await;
    let tried = answers
        .iter()
        .filter(|r| r.status == StatusCode::FORBIDDEN)
        .count();
    assert_eq!(
        tried,
        5,
        "{:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert!(answers.iter().all(|r| matches!(
        r.status,
        StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS
    )));
    // Fourteen wrong so far; the twentieth ends the link for good, right PIN or not.
    let mut ended = None;
    for _ in 0..10 {
        execute(
            &app,
            "UPDATE clinician_shares SET locked_until = 1 WHERE id <> $1",
            "",
        )
        .await;
        let r = shared(&app, &path, Some("999999")).await;
        if r.status == StatusCode::NOT_FOUND {
            ended = Some(r);
            break;
        }
        r.refused(StatusCode::FORBIDDEN);
    }
    let ended = ended.expect("the link ended");
    reveals_nothing(&ended, "alice");
    execute(
        &app,
        "UPDATE clinician_shares SET locked_until = 1 WHERE id <> $1",
        "",
    )
    .await;
    shared(&app, &path, Some("482913"))
        .await
        .refused(StatusCode::NOT_FOUND);
    assert_eq!(
        alice.get("/api/v1/shares").await.json()[0]["status"],
        "revoked"
    );
    app.stop().await;
}

async fn bad_share_requests_are_refused_naming_the_value_and_write_nothing(app: TestApp) {
    let (alice, _) = patient(&app, "alice").await;
    alice
        .post("/api/v1/shares", &json!({"parts": ["summary"], "days": 31}))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "days", &["31", "1 to 30"]);
    alice
        .post("/api/v1/shares", &json!({"parts": ["summary"], "days": 0}))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "days", &["0", "1 to 30"]);
    alice
        .post(
            "/api/v1/shares",
            &json!({"parts": ["summary"], "pin": "12a"}),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "pin", &["4 to 8 digits"]);
    alice
        .post("/api/v1/shares", &json!({"parts": ["diary"]}))
        .await
        .problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "parts[0]",
            &["'diary'", "plan, summary, adherence, fhir"],
        );
    alice
        .post("/api/v1/shares", &json!({"parts": []}))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "parts", &["at least one"]);
    alice
        .post(
            "/api/v1/shares",
            &json!({"parts": ["summary"], "expires": 3}),
        )
        .await
        .problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "expires",
            &["unknown field"],
        );
    // The plan needs a saved pain type and role.
    let bob = sign_up(&app.base, "bob", PASSWORD).await;
    let bobs = Api::token(&app.base, &create_token(&app.base, &bob.browser, "b").await);
    bobs.post("/api/v1/shares", &json!({"parts": ["plan"]}))
        .await
        .problem(StatusCode::CONFLICT, "parts", &["pain type and role"]);
    assert_eq!(alice.get("/api/v1/shares").await.json(), json!([]));
    assert_eq!(bobs.get("/api/v1/shares").await.json(), json!([]));
    // The page says the same.
    let r = alice_page_submit(&app, &bob, &[("parts", "summary"), ("days", "45")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("45 days is not allowed"), "{}", r.text);
    app.stop().await;
}

/// Submits the share form as `account`.
async fn alice_page_submit(
    app: &TestApp,
    account: &crate::common::server::Account,
    fields: &[(&str, &str)],
) -> Reply {
    let csrf = page_csrf(&account.browser, &app.base, "/journal/share").await;
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    account
        .browser
        .submit(&app.url("/journal/share"), &form)
        .await
}

async fn the_clinicians_page_opens_without_an_account_and_is_never_stored_or_indexed(app: TestApp) {
    let (_, alice) = patient(&app, "alice").await;
    // The page makes the link and shows it once, until she says she has copied it.
    let made = alice_page_submit(
        &app,
        &alice,
        &[
            ("parts", "plan"),
            ("parts", "summary"),
            ("parts", "adherence"),
            ("parts", "fhir"),
            ("days", "5"),
            ("pin", "7391"),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    let page = alice.browser.page(&app.url("/journal/share")).await;
    let link = element_text(&page.text, "<p class=\"token\" id=\"link-value\">")
        .expect("the new link is shown");
    assert!(page.text.contains("with the PIN you chose"));
    let again = alice.browser.page(&app.url("/journal/share")).await;
    assert!(again.text.contains(&link), "a reload shows it again");
    let r = alice
        .browser
        .submit(
            &app.url("/journal/share/saved"),
            &[("csrf", &csrf_in(&again.text))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = alice.browser.page(&app.url("/journal/share")).await;
    assert!(!after.text.contains(&link), "shown once");
    assert!(after.text.contains("Not opened yet"));
    let secret = link.rsplit('/').next().expect("a secret").to_owned();

    // The clinician: no account, a PIN form, then the page.
    let clinician = Browser::new();
    let form = clinician.page(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains("name=\"pin\""));
    reveals_nothing(&form, "alice");
    let wrong = clinician
        .submit(&link, &[("csrf", &csrf_in(&form.text)), ("pin", "0000")])
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(wrong.text.contains("Wrong PIN"), "{}", wrong.text);
    let opened = clinician
        .submit(&link, &[("csrf", &csrf_in(&form.text)), ("pin", "7391")])
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text);
    for words in [
        "Shared by the patient through spinewise. Health education, not diagnosis.",
        "Download FHIR R4 bundle",
        "Recommended:",
        "PEG score",
        "Exercise sessions",
        "Osteoporosis",
        "<meta name=\"robots\" content=\"noindex",
        "<meta name=\"referrer\" content=\"no-referrer\">",
    ] {
        assert!(opened.text.contains(words), "'{words}' in {}", opened.text);
    }
    for r in [&form, &opened] {
        assert_eq!(r.header("cache-control"), Some("no-store"));
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
        assert!(
            r.header("x-robots-tag")
                .is_some_and(|v| v.contains("noindex"))
        );
        assert!(
            r.header("content-security-policy")
                .is_some_and(|v| v.starts_with("default-src 'self'") && !v.contains("unsafe"))
        );
    }
    let download = clinician
        .submit(
            &format!("{link}/fhir"),
            &[("csrf", &csrf_in(&opened.text)), ("pin", "7391")],
        )
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert!(download.text.contains("\"resourceType\": \"Bundle\""));
    assert!(
        download
            .header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment"))
    );
    let api = shared(&app, &format!("/api/v1/shared/{secret}"), Some("7391")).await;
    assert!(
        api.header("x-robots-tag")
            .is_some_and(|v| v.contains("noindex"))
    );

    // Her list shows the openings (the page, the download, the API) and a Revoke button.
    let listed = alice.browser.page(&app.url("/journal/share")).await;
    assert!(listed.text.contains("Opened 3 times"), "{}", listed.text);
    assert!(listed.text.contains(">Revoke</button>"));
    assert!(listed.text.contains("with PIN"));
    app.stop().await;
}

/// Nothing shared is readable in the database: the journal's words, the profile's, the
/// link's secret and its PIN, in the SQLite files (running and stopped) or any PostgreSQL
/// column.
async fn share_everything(app: &TestApp) -> Vec<String> {
    let (alice, _) = patient(app, "alice").await;
    let (_, secret) = share(
        &alice,
        &json!({"parts": ["plan", "summary", "adherence", "fhir"], "pin": "86420135"}),
    )
    .await;
    let (_, open_secret) = share(&alice, &json!({"parts": ["summary", "fhir"]})).await;
    assert_eq!(
        shared(app, &format!("/api/v1/shared/{open_secret}"), None)
            .await
            .status,
        StatusCode::OK
    );
    let mut needles: Vec<String> = [
        NOTE,
        "osteoporosis",
        "Osteoporosis",
        "flexion",
        "Flexion",
        "receptive",
        "extension",
        "QuestionnaireResponse",
        "resourceType",
        "\"summary\"",
        "\"adherence\"",
        "\"plan\"",
        "sessions_per_week",
        "86420135",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    needles.push(secret);
    needles.push(open_secret);
    needles.extend([20, 13, 6].map(peg_date));
    needles
}

#[tokio::test]
async fn shares_are_unreadable_in_the_sqlite_files() {
    let app = TestApp::spawn().await;
    let needles = share_everything(&app).await;
    let db = app.db_path();
    let id = user_id(&db, "alice").await;
    let mut c = sqlite(&db).await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM clinician_shares WHERE user_id = $1")
        .bind(&id)
        .fetch_one(&mut c)
        .await
        .expect("count");
    drop(c);
    assert_eq!(n, 2);
    let check = |when: &str| {
        let mut found = Vec::new();
        for (file, bytes) in sqlite_files(&db) {
            for n in &needles {
                if contains(&bytes, n.as_bytes()) {
                    found.push(format!("{when}: '{n}' in {file}"));
                }
            }
        }
        assert!(found.is_empty(), "{}", found.join("\n"));
    };
    check("running");
    let _dir = app.stop().await;
    check("stopped");
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set SPINEWISE_TEST_POSTGRES_URL to run the PostgreSQL variant"
)]
async fn shares_are_unreadable_in_every_postgresql_column() {
    let app = TestApp::on_postgres("sw_share_rest").await;
    let needles = share_everything(&app).await;
    let schema = app.schema().expect("an app on PostgreSQL");
    let rows = pg_rows(schema.base_url(), schema.name()).await;
    assert_eq!(rows["clinician_shares"].len(), 2);
    assert_eq!(rows["clinician_share_openings"].len(), 1);
    for row in &rows["clinician_shares"] {
        assert!(row.contains(r#""sealed":"\\x"#), "sealed content: {row}");
    }
    let mut found = Vec::new();
    for (table, texts) in &rows {
        for row in texts {
            for n in &needles {
                if row.contains(n.as_str()) || row.contains(&hex(n.as_bytes())) {
                    found.push(format!("'{n}' in {table}: {row}"));
                }
            }
        }
    }
    app.stop().await;
    assert!(found.is_empty(), "{}", found.join("\n"));
}
