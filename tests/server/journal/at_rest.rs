//! The journal over HTTP: encrypted at rest.

use super::*;

/// What the journal below says, none of which may be found in the database.
const NOTE: &str = "zebra-violet-quartz";

/// A journal with distinctive plaintext in every kind of entry, written through the API.
async fn write_distinctive_journal(api: &Api) -> Vec<Value> {
    let entries = vec![
        json!({
            "kind": "intimacy", "id": "e1", "at": "2023-04-05T22:10",
            "positions": ["spooning"], "preparation": ["warm-bath"],
            "pain_before": 2, "pain_after": 3, "stopped_early": true,
            "symptoms": ["pelvic-pain"], "note": NOTE
        }),
        with(&daily("e2", "2023-04-06"), "note", json!(NOTE)),
        peg("e3", "2023-04-07"),
        with(
            &exercise("e4", "2023-04-08T07:15"),
            "what",
            json!("kettlebell-swing"),
        ),
        assessment("e5", "2023-04-09T09:20"),
    ];
    for e in &entries {
        api.create_new(e).await;
    }
    assert_eq!(api.list("").await, entries);
    entries
}

/// The strings that must not be in the database: the entries' content and kinds, their
/// dates, and the secrets that open them.
fn secrets_and_plaintext(secrets: &[&str]) -> Vec<String> {
    let mut needles: Vec<String> = [
        NOTE,
        "spooning",
        "warm-bath",
        "pelvic-pain",
        "kettlebell",
        "stand-or-walk",
        "intimacy",
        "daily",
        "exercise",
        "assessment",
        "\"peg\"",
        "\"kind\"",
        "pain_before",
        "2023-04-05",
        "2023-04-06",
        "2023-04-07",
        "2023-04-08",
        "2023-04-09",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    needles.extend(secrets.iter().map(|s| (*s).to_owned()));
    needles
}

#[tokio::test]
async fn journal_entries_are_unreadable_in_the_sqlite_files_and_so_are_the_keys_secrets() {
    let app = TestApp::spawn().await;
    let holder = sign_up(&app.base, "holder", PASSWORD).await;
    let token = create_token(&app.base, &holder.browser, "phone").await;
    write_distinctive_journal(&Api::token(&app.base, &token)).await;
    let session = Api::session(&app.base, &holder.browser).await;
    session
        .create_new(&json!({
            "kind": "intimacy", "id": "e6", "at": "2023-04-05T23:40",
            "positions": ["spooning"], "preparation": [], "pain_before": 1, "pain_after": 1,
            "stopped_early": false, "symptoms": [], "note": NOTE
        }))
        .await;
    let cookie = holder
        .browser
        .cookie(&app.base, "sw_session")
        .expect("a session cookie");
    let code = holder.recovery_code.replace('-', "");
    let needles = secrets_and_plaintext(&[&token, &cookie, PASSWORD, &holder.recovery_code, &code]);
    let db = app.db_path();
    // The key material is there, wrapped: the tables are not empty.
    let id = user_id(&db, "holder").await;
    assert_eq!(rows_of(&db, "journal_entries", &id).await, 6);
    assert_eq!(rows_of(&db, "user_keys", &id).await, 1);

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
    // While the server runs (the WAL holds the latest pages) and after it stopped (the WAL
    // checkpointed into the main file).
    check("running");
    let _dir = app.stop().await;
    check("stopped");
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set SPINEWISE_TEST_POSTGRES_URL to run the PostgreSQL variant"
)]
async fn journal_entries_are_unreadable_in_every_postgresql_column_and_so_are_the_keys_secrets() {
    let app = TestApp::on_postgres("sw_journal_rest").await;
    let holder = sign_up(&app.base, "holder", PASSWORD).await;
    let token = create_token(&app.base, &holder.browser, "phone").await;
    write_distinctive_journal(&Api::token(&app.base, &token)).await;
    let r = Api::token(&app.base, &token)
        .put("/api/v1/profile", &distinctive_profile())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let cookie = holder
        .browser
        .cookie(&app.base, "sw_session")
        .expect("a session cookie");
    let mut needles = secrets_and_plaintext(&[&token, &cookie, PASSWORD, &holder.recovery_code]);
    needles.extend(PROFILE_WORDS.iter().map(|w| (*w).to_owned()));
    let schema = app.schema().expect("an app on PostgreSQL");
    let rows = pg_rows(schema.base_url(), schema.name()).await;
    for table in [
        "journal_entries",
        "sealed_profiles",
        "user_keys",
        "sessions",
        "api_tokens",
        "users",
    ] {
        assert!(
            rows.get(table).is_some_and(|r| !r.is_empty()),
            "{table} has rows"
        );
    }
    assert_eq!(rows["journal_entries"].len(), 5);
    for row in rows["sessions"].iter().chain(&rows["api_tokens"]) {
        assert!(
            row.contains(r#""wrapped_key":"\\x"#),
            "carries a wrapped key: {row}"
        );
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

#[tokio::test]
async fn a_daily_check_in_logged_on_the_page_keeps_its_kind_and_date_out_of_the_database() {
    let app = TestApp::spawn().await;
    let holder = sign_up(&app.base, "holder", PASSWORD).await;
    let date = "2023-04-06";
    // The form's `date` is the device's today: one far from the server's is refused, naming
    // it; a past day is logged by changing the date on the form.
    let far = holder
        .browser
        .page(&app.url(&format!("/journal/log/daily?date={date}")))
        .await;
    assert_eq!(far.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(far.text.contains(date), "names the date: {}", far.text);
    let form = holder.browser.page(&app.url("/journal/log/daily")).await;
    assert_eq!(form.status, StatusCode::OK);
    let r = holder
        .browser
        .submit(
            &app.url("/journal/log/daily"),
            &[
                ("csrf", &csrf_in(&form.text)),
                ("entry_id", &hidden_value(&form.text, "entry_id")),
                ("date", date),
                ("pain_morning", "4"),
                ("note", NOTE),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let db = app.db_path();
    assert_eq!(
        rows_of(&db, "journal_entries", &user_id(&db, "holder").await).await,
        1
    );
    let mut c = sqlite(&db).await;
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM journal_entries")
        .fetch_all(&mut c)
        .await
        .expect("read");
    drop(c);
    let _dir = app.stop().await;
    let mut found = Vec::new();
    for (file, bytes) in sqlite_files(&_dir.as_ref().expect("a directory").path().join(DB_FILE)) {
        for n in ["daily", date, NOTE] {
            if contains(&bytes, n.as_bytes()) {
                found.push(format!("'{n}' in {file}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the entry's id {ids:?} is in the clear: {}",
        found.join(", ")
    );
}

#[tokio::test]
async fn a_failed_sign_in_leaves_neither_the_login_typed_nor_the_address_in_the_files() {
    let app = TestApp::spawn().await;
    sign_up(&app.base, "holder", PASSWORD).await;
    // A mistyped login (an email address, say) and a wrong password for a real one.
    for (login, password) in [
        ("someone.private@example.org", "not the password"),
        ("holder", "not the password either"),
    ] {
        assert_eq!(
            sign_in(&app.base, login, password).await.err(),
            Some(StatusCode::UNAUTHORIZED)
        );
    }
    let db = app.db_path();
    let mut c = sqlite(&db).await;
    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures")
        .fetch_one(&mut c)
        .await
        .expect("counted");
    drop(c);
    assert!(recorded >= 4, "the failures are counted ({recorded})");
    let check = |when: &str| {
        for (file, bytes) in sqlite_files(&db) {
            for n in ["someone.private", "account:holder", "address:127.0.0.1"] {
                assert!(!contains(&bytes, n.as_bytes()), "{when}: '{n}' in {file}");
            }
        }
    };
    check("running");
    let _dir = app.stop().await;
    check("stopped");
}

#[tokio::test]
async fn ids_an_app_chose_are_not_in_the_files_either() {
    let app = TestApp::spawn().await;
    let holder = sign_up(&app.base, "holder", PASSWORD).await;
    let token = create_token(&app.base, &holder.browser, "phone").await;
    let api = Api::token(&app.base, &token);
    let entry = peg("evening-of-2023-04-05-quartz", "2023-04-05");
    api.create_new(&entry).await;
    assert_eq!(api.list("").await, vec![entry]);
    let db = app.db_path();
    let check = |when: &str| {
        for (file, bytes) in sqlite_files(&db) {
            assert!(
                !contains(&bytes, b"evening-of-2023"),
                "{when}: the id is in {file}"
            );
        }
    };
    check("running");
    let _dir = app.stop().await;
    check("stopped");
}

/// A profile with a word in every field, none of which may be found in the database.
fn distinctive_profile() -> Value {
    json!({
        "pain_type": "flexion",
        "role": "receptive",
        "conditions": ["disc-problem", "hip-replacement"],
        "partner_pain_type": "extension",
        "partner_conditions": ["osteoporosis"]
    })
}

/// The words of [`distinctive_profile`].
const PROFILE_WORDS: [&str; 6] = [
    "flexion",
    "receptive",
    "disc-problem",
    "hip-replacement",
    "extension",
    "osteoporosis",
];

/// The words of [`PROFILE_WORDS`] found in `bytes`.
fn profile_words_in(bytes: &[u8]) -> Vec<&'static str> {
    PROFILE_WORDS
        .into_iter()
        .filter(|w| contains(bytes, w.as_bytes()))
        .collect()
}

#[tokio::test]
async fn the_saved_profile_is_sealed_in_its_row_and_nowhere_in_the_sqlite_files() {
    let app = TestApp::spawn().await;
    let holder = sign_up(&app.base, "holder", PASSWORD).await;
    let api = Api::session(&app.base, &holder.browser).await;
    let r = api.put("/api/v1/profile", &distinctive_profile()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        api.get("/api/v1/profile").await.json(),
        distinctive_profile()
    );

    let db = app.db_path();
    let id = user_id(&db, "holder").await;
    // The raw row: one sealed blob, no clear row.
    let mut c = sqlite(&db).await;
    let sealed: Vec<u8> =
        sqlx::query_scalar("SELECT sealed FROM sealed_profiles WHERE user_id = ?")
            .bind(&id)
            .fetch_one(&mut c)
            .await
            .expect("a sealed profile");
    drop(c);
    assert!(sealed.len() >= 256, "padded: {} bytes", sealed.len());
    assert_eq!(profile_words_in(&sealed), Vec::<&str>::new());
    assert_eq!(rows_of(&db, "profiles", &id).await, 0);

    let check = |when: &str| {
        for (file, bytes) in sqlite_files(&db) {
            let found = profile_words_in(&bytes);
            assert!(found.is_empty(), "{when}: {found:?} in {file}");
        }
    };
    check("running");
    let _dir = app.stop().await;
    check("stopped");
}

#[tokio::test]
async fn a_profile_saved_in_the_clear_before_is_sealed_at_sign_in_and_reads_the_same() {
    let app = TestApp::spawn().await;
    sign_up(&app.base, "elder", PASSWORD).await;
    let db = app.db_path();
    let id = user_id(&db, "elder").await;
    // As profiles were saved before they were sealed.
    let mut c = sqlite(&db).await;
    sqlx::query(
        "INSERT INTO profiles (user_id, pain_type, role, conditions, partner_pain_type, \
         partner_conditions, updated_at) VALUES (?, 'flexion', 'receptive', \
         '[\"disc-problem\",\"hip-replacement\"]', 'extension', '[\"osteoporosis\"]', 1000)",
    )
    .bind(&id)
    .execute(&mut c)
    .await
    .expect("planted");
    drop(c);

    let b = sign_in(&app.base, "elder", PASSWORD)
        .await
        .expect("signed in");
    // Signing in sealed it: the clear row is gone before anything read the profile.
    assert_eq!(rows_of(&db, "profiles", &id).await, 0);
    assert_eq!(rows_of(&db, "sealed_profiles", &id).await, 1);
    let api = Api::session(&app.base, &b).await;
    assert_eq!(
        api.get("/api/v1/profile").await.json(),
        distinctive_profile()
    );
    let page = b.page(&app.url("/account")).await;
    assert!(
        page.text
            .contains("Your partner&#39;s conditions: Osteoporosis"),
        "{}",
        page.text
    );
    app.stop().await;
}

#[tokio::test]
async fn a_session_without_the_key_says_the_profile_is_locked_rather_than_showing_none() {
    let app = TestApp::spawn().await;
    let holder = sign_up(&app.base, "holder", PASSWORD).await;
    let api = Api::session(&app.base, &holder.browser).await;
    let r = api.put("/api/v1/profile", &distinctive_profile()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // A session begun before journals existed holds no key.
    let db = app.db_path();
    let mut c = sqlite(&db).await;
    sqlx::query("UPDATE sessions SET wrapped_key = NULL")
        .execute(&mut c)
        .await
        .expect("locked");
    drop(c);

    let r = api.get("/api/v1/profile").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert!(r.text.contains("saved profile are locked"), "{}", r.text);
    let r = api.put("/api/v1/profile", &distinctive_profile()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    for path in ["/account", "/plan"] {
        let page = holder.browser.page(&app.url(path)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            page.text
                .contains("saved profile is locked in this session"),
            "{path}: {}",
            page.text
        );
    }
    app.stop().await;
}
