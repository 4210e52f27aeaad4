//! The journal over HTTP, against the real application: started in-process on a free port
//! with its own database, or as the real binary that is killed with SIGKILL in the middle of
//! a burst of writes. Writes through the API are idempotent by the entry's id and refuse bad
//! values naming the field; one user never reaches another's entries; nothing of an entry is
//! readable in the database (SQLite files read as bytes, PostgreSQL rows read as text); the
//! journal's key follows the account through the recovery code, a password change and API
//! tokens; export and import give back the same entries; the pages work without JavaScript;
//! and every write the server acknowledged survives a crash.
//!
//! The PostgreSQL variants run when `SPINEWISE_TEST_POSTGRES_URL` is set, each in a schema of
//! its own that is dropped afterwards.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::HeaderMap;
use reqwest::{Client, Method, RequestBuilder, StatusCode, Url};
use serde_json::{Value, json};
use spinewise::server::{Application, Settings};
use sqlx::Connection;
use tokio::sync::oneshot;

/// The database file of an in-process app, in its temporary directory.
const DB_FILE: &str = "spinewise.db";

/// A password good enough for every account here.
const PASSWORD: &str = "a long enough password";

// --- the harness -----------------------------------------------------------------------------

/// A running server with its own database.
struct TestApp {
    base: String,
    stop: Option<oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    dir: Option<tempfile::TempDir>,
}

impl TestApp {
    /// An app on a SQLite database of its own.
    async fn spawn() -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join(DB_FILE).display());
        let mut app = TestApp::on(&url).await;
        app.dir = Some(dir);
        app
    }

    async fn on(database_url: &str) -> TestApp {
        let app = Application::build(Settings {
            bind: "127.0.0.1:0".parse().expect("an address"),
            database_url: database_url.to_owned(),
            behind_proxy: false,
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
            dir: None,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The SQLite database file.
    fn db_path(&self) -> PathBuf {
        self.dir
            .as_ref()
            .expect("an app on SQLite")
            .path()
            .join(DB_FILE)
    }

    /// Stops the server; the database directory (if any) lives on in the answer.
    async fn stop(mut self) -> Option<tempfile::TempDir> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(done) = self.done.take() {
            done.await.expect("joined").expect("stopped cleanly");
        }
        self.dir.take()
    }
}

/// A browser without JavaScript: a cookie jar we can look into, no redirects followed.
struct Browser {
    client: Client,
    jar: Arc<Jar>,
}

impl Browser {
    fn new() -> Browser {
        let jar = Arc::new(Jar::default());
        let client = Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a client");
        Browser { client, jar }
    }

    /// The value of the cookie `name` the browser would send to `base`.
    fn cookie(&self, base: &str, name: &str) -> Option<String> {
        let url = Url::parse(base).expect("a URL");
        let header = self.jar.cookies(&url)?;
        header.to_str().ok()?.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
    }

    async fn get(&self, url: &str) -> Reply {
        Reply::from(self.client.get(url).send().await.expect("sent")).await
    }

    async fn post_form(&self, url: &str, form: &[(&str, &str)]) -> Reply {
        Reply::from(self.client.post(url).form(form).send().await.expect("sent")).await
    }
}

/// An answer, read whole.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    async fn from(r: reqwest::Response) -> Reply {
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.expect("a body");
        Reply {
            status,
            headers,
            text,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("a JSON body ({e}), got {}: {}", self.status, self.text))
    }

    /// Checks that this is a problem document with `status`; returns it.
    fn refused(&self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}",
            self.text
        );
        self.json()
    }

    /// Checks that this is a problem document with `status` that names `field` and mentions
    /// each of `mentions` in what it says about it; returns the document.
    fn problem(&self, status: StatusCode, field: &str, mentions: &[&str]) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}",
            self.text
        );
        let p = self.json();
        let named = p["errors"]
            .as_array()
            .and_then(|errors| errors.iter().find(|e| e["field"] == field))
            .unwrap_or_else(|| panic!("the problem names '{field}': {p}"));
        let detail = named["detail"].as_str().unwrap_or_default();
        for m in mentions {
            assert!(detail.contains(m), "'{m}' is mentioned for {field}: {p}");
        }
        p
    }
}

/// An account made through the pages, with its signed-in browser.
struct Account {
    browser: Browser,
    recovery_code: String,
}

fn csrf_in(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let at = html.find(marker).expect("the page has a CSRF field") + marker.len();
    let rest = &html[at..];
    rest[..rest.find('"').expect("the value ends")].to_owned()
}

/// The text of the first element that starts with `open`.
fn element_text(html: &str, open: &str) -> Option<String> {
    let at = html.find(open)? + open.len();
    let rest = &html[at..];
    Some(rest[..rest.find('<')?].trim().to_owned())
}

/// The value of the hidden input `name` in a form.
fn hidden_value(html: &str, name: &str) -> String {
    element_text(html, &format!(r#"name="{name}" value=""#))
        .and_then(|v| v.split('"').next().map(str::to_owned))
        .unwrap_or_else(|| panic!("the page has a hidden '{name}'"))
}

async fn page_csrf(b: &Browser, base: &str, path: &str) -> String {
    let page = b.get(&format!("{base}{path}")).await;
    csrf_in(&page.text)
}

/// Signs up through the pages; keeps the recovery code the answer shows once.
async fn sign_up(base: &str, login: &str, password: &str) -> Account {
    let b = Browser::new();
    let csrf = page_csrf(&b, base, "/signup").await;
    let r = b
        .post_form(
            &format!("{base}/signup"),
            &[("login", login), ("password", password), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "signed up: {}", r.text);
    let recovery_code = element_text(&r.text, r#"<p class="token" id="recovery-code">"#)
        .expect("the recovery code is shown");
    assert_eq!(recovery_code.len(), 34, "7 groups of 4: {recovery_code}");
    assert!(b.cookie(base, "sw_session").is_some(), "signed in");
    Account {
        browser: b,
        recovery_code,
    }
}

/// Signs in through the pages: the new browser, or the status of the refusal.
async fn sign_in(base: &str, login: &str, password: &str) -> Result<Browser, StatusCode> {
    let b = Browser::new();
    let csrf = page_csrf(&b, base, "/login").await;
    let r = b
        .post_form(
            &format!("{base}/login"),
            &[("login", login), ("password", password), ("csrf", &csrf)],
        )
        .await;
    if r.status == StatusCode::SEE_OTHER {
        assert_eq!(r.header("location"), Some("/journal"));
        Ok(b)
    } else {
        Err(r.status)
    }
}

/// Creates an API token on the account page and returns it (it is shown once).
async fn create_token(base: &str, b: &Browser, name: &str) -> String {
    let csrf = page_csrf(b, base, "/account").await;
    let r = b
        .post_form(
            &format!("{base}/account/tokens"),
            &[("csrf", &csrf), ("name", name)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let token = element_text(&r.text, r#"<p class="token">"#).expect("the token is shown");
    assert!(token.starts_with("sw_"), "{token}");
    token
}

/// Revokes the API token named `name` on the account page.
async fn revoke_token(base: &str, b: &Browser, name: &str) {
    let page = b.get(&format!("{base}/account")).await;
    let at = page
        .text
        .find(&format!("<li>{name} (created"))
        .unwrap_or_else(|| panic!("the token '{name}' is listed"));
    let id = hidden_value(&page.text[at..], "id");
    let csrf = csrf_in(&page.text);
    let r = b
        .post_form(
            &format!("{base}/account/tokens/revoke"),
            &[("csrf", &csrf), ("id", &id)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
}

/// How an API call authenticates.
enum Auth {
    /// `Authorization: Bearer …`.
    Token(String),
    /// The session cookie, with the session's CSRF token in `X-CSRF-Token`.
    Session(String),
    /// The session cookie without the CSRF header.
    SessionWithoutCsrf,
    /// Nothing at all.
    Nobody,
}

/// A client of the journal API.
struct Api {
    http: Client,
    base: String,
    auth: Auth,
}

impl Api {
    fn plain_client() -> Client {
        Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a client")
    }

    fn token(base: &str, token: &str) -> Api {
        Api {
            http: Api::plain_client(),
            base: base.to_owned(),
            auth: Auth::Token(token.to_owned()),
        }
    }

    async fn session(base: &str, b: &Browser) -> Api {
        let csrf = page_csrf(b, base, "/account").await;
        Api {
            http: b.client.clone(),
            base: base.to_owned(),
            auth: Auth::Session(csrf),
        }
    }

    fn session_without_csrf(base: &str, b: &Browser) -> Api {
        Api {
            http: b.client.clone(),
            base: base.to_owned(),
            auth: Auth::SessionWithoutCsrf,
        }
    }

    fn nobody(base: &str) -> Api {
        Api {
            http: Api::plain_client(),
            base: base.to_owned(),
            auth: Auth::Nobody,
        }
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let rb = self.http.request(method, format!("{}{path}", self.base));
        match &self.auth {
            Auth::Token(t) => rb.bearer_auth(t),
            Auth::Session(csrf) => rb.header("x-csrf-token", csrf),
            Auth::SessionWithoutCsrf | Auth::Nobody => rb,
        }
    }

    async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let mut rb = self.request(method, path);
        if let Some(body) = body {
            rb = rb.json(body);
        }
        Reply::from(rb.send().await.expect("sent")).await
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::POST, path, Some(body)).await
    }

    async fn put(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::PUT, path, Some(body)).await
    }

    async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }

    async fn create(&self, entry: &Value) -> Reply {
        self.post("/api/v1/journal/entries", entry).await
    }

    /// Creates an entry that must be new.
    async fn create_new(&self, entry: &Value) {
        let r = self.create(entry).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }

    /// The entries listed with this query string (`""` for all).
    async fn list(&self, query: &str) -> Vec<Value> {
        let r = self.get(&format!("/api/v1/journal/entries{query}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let body = r.json();
        let entries = body["entries"].as_array().expect("entries").clone();
        assert_eq!(body["count"], entries.len(), "count");
        entries
    }

    async fn ids(&self, query: &str) -> Vec<String> {
        self.list(query)
            .await
            .iter()
            .map(|e| e["id"].as_str().expect("an id").to_owned())
            .collect()
    }

    async fn entry(&self, id: &str) -> Reply {
        self.get(&format!("/api/v1/journal/entries/{id}")).await
    }
}

// --- entries, as the API writes them back (every field the server would fill in given) ------

fn intimacy(id: &str, at: &str) -> Value {
    json!({
        "kind": "intimacy", "id": id, "at": at,
        "positions": ["spooning", "missionary"], "preparation": ["warm-bath", "pillows"],
        "pain_before": 3, "pain_during": 5, "pain_after": 4,
        "stopped_early": false, "symptoms": [], "note": "slow and easy"
    })
}

fn daily(id: &str, date: &str) -> Value {
    json!({
        "kind": "daily", "id": id, "date": date,
        "pain_morning": 4, "pain_evening": 3, "sleep_hours": 7.5,
        "sleep_quality": 3, "mood": 4, "stress": 2, "note": "a stiff morning"
    })
}

fn peg(id: &str, date: &str) -> Value {
    json!({"kind": "peg", "id": id, "date": date, "pain": 5, "enjoyment": 4, "activity": 6})
}

fn exercise(id: &str, at: &str) -> Value {
    json!({
        "kind": "exercise", "id": id, "at": at, "what": "bird dog, side plank",
        "minutes": 25, "felt": "better", "pain_before": 4, "pain_after": 3, "note": "easier"
    })
}

/// A self-assessment whose answers score as flexion-intolerant (checked with
/// `spinewise assess --answers`).
fn assessment(id: &str, at: &str) -> Value {
    json!({
        "kind": "assessment", "id": id, "at": at,
        "answers": {"red_flags": [], "answers": {
            "any-direction": "one-direction", "arching": "better", "bending": "worse",
            "lying-face-down": "better", "relief": "stand-or-walk", "sitting": "worse",
            "standing": "better", "time-of-day": "morning", "twisting": "no-change",
            "walking": "better"
        }},
        "pain_type": "flexion", "red_flag_level": "none"
    })
}

/// `entry` with `key` set to `value` (or removed, for `Value::Null`).
fn with(entry: &Value, key: &str, value: Value) -> Value {
    let mut e = entry.clone();
    let map = e.as_object_mut().expect("an object");
    if value.is_null() {
        map.remove(key);
    } else {
        map.insert(key.to_owned(), value);
    }
    e
}

/// Today's date by the server's clock (UTC).
fn today_utc() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

// --- the database, read directly ----------------------------------------------------------------

async fn sqlite(path: &Path) -> sqlx::SqliteConnection {
    sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("the database opens")
}

/// How many rows of `table` belong to the account `login` (or, once it is gone, to `user_id`).
async fn rows_of(path: &Path, table: &str, user_id: &str) -> i64 {
    let mut c = sqlite(path).await;
    let column = if table == "users" { "id" } else { "user_id" };
    let sql = format!("SELECT count(*) FROM {table} WHERE {column} = ?");
    sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .fetch_one(&mut c)
        .await
        .expect("counted")
}

async fn user_id(path: &Path, login: &str) -> String {
    let mut c = sqlite(path).await;
    sqlx::query_scalar::<_, String>("SELECT id FROM users WHERE login = ?")
        .bind(login)
        .fetch_one(&mut c)
        .await
        .expect("the user exists")
}

/// Every file of the SQLite database (the main file, the WAL and the shared memory), as bytes.
fn sqlite_files(db: &Path) -> Vec<(String, Vec<u8>)> {
    let dir = db.parent().expect("a directory");
    let name = db
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a file name");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("the directory is listed") {
        let entry = entry.expect("an entry");
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(name) {
            files.push((file, std::fs::read(entry.path()).expect("read")));
        }
    }
    assert!(!files.is_empty(), "the database has files");
    files
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A PostgreSQL schema of its own on the test database, or `None` when
/// `SPINEWISE_TEST_POSTGRES_URL` is not set. Returns the URL that uses it and its name.
async fn postgres_schema(prefix: &str) -> Option<(String, String, String)> {
    let Ok(base_url) = std::env::var("SPINEWISE_TEST_POSTGRES_URL") else {
        eprintln!("SPINEWISE_TEST_POSTGRES_URL is not set: the PostgreSQL variant does not run");
        return None;
    };
    let schema = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    pg_admin(&base_url, &format!("CREATE SCHEMA {schema}")).await;
    let sep = if base_url.contains('?') { '&' } else { '?' };
    let url = format!("{base_url}{sep}options=-c%20search_path%3D{schema}");
    Some((base_url, url, schema))
}

async fn pg_admin(url: &str, sql: &str) {
    let mut c = sqlx::PgConnection::connect(url)
        .await
        .expect("PostgreSQL answers");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut c)
        .await
        .expect("the statement runs");
}

/// Every row of every table in `schema`, as text (`bytea` columns come out in hex).
async fn pg_rows(base_url: &str, schema: &str) -> HashMap<String, Vec<String>> {
    let mut c = sqlx::PgConnection::connect(base_url)
        .await
        .expect("PostgreSQL answers");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = $1 AND table_type = 'BASE TABLE'",
    )
    .bind(schema)
    .fetch_all(&mut c)
    .await
    .expect("the tables are listed");
    let mut rows = HashMap::new();
    for table in tables {
        let sql = format!("SELECT row_to_json(t)::text FROM {schema}.\"{table}\" t");
        let texts: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut c)
            .await
            .expect("the rows are read");
        rows.insert(table, texts);
    }
    rows
}

// --- 1. idempotent, validated writes ----------------------------------------------------------

#[tokio::test]
async fn api_writes_are_idempotent_by_id_and_bad_values_are_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let ann = sign_up(&app.base, "ann", PASSWORD).await;
    let token = create_token(&app.base, &ann.browser, "phone").await;
    let mut failures =
        writes_are_idempotent_and_validated(&Api::token(&app.base, &token), "by token").await;
    let session = Api::session(&app.base, &ann.browser).await;
    failures.extend(writes_are_idempotent_and_validated(&session, "by session").await);
    app.stop().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs the checks through `api`; returns the bad values that were not refused as they should
/// be (the other checks panic at once).
async fn writes_are_idempotent_and_validated(api: &Api, how: &str) -> Vec<String> {
    let tag = if how == "by token" { "tok" } else { "ses" };
    let id = format!("{tag}-first");
    let entry = intimacy(&id, "2024-05-10T21:30");

    // New: 201 with its address.
    let r = api.create(&entry).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let location = format!("/api/v1/journal/entries/{id}");
    assert_eq!(r.header("location"), Some(location.as_str()));
    assert_eq!(r.json(), json!({"id": id, "created": true}));
    let got = api.get(&location).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.json(), entry, "read back as written");

    // The same entry again, as a retry after a timeout would send it: 200, still one entry.
    let r = api.create(&entry).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json(), json!({"id": id, "created": false}));
    assert_eq!(r.header("location"), Some(location.as_str()));
    assert_eq!(api.list("").await, std::slice::from_ref(&entry));

    // The same id with other content: a conflict naming the id; the entry is unchanged.
    let r = api.create(&with(&entry, "pain_after", json!(7))).await;
    r.problem(StatusCode::CONFLICT, "id", &[&id]);
    assert_eq!(api.entry(&id).await.json(), entry);

    // Bad values: 422, naming the field and what is allowed; nothing written.
    let other = format!("{tag}-bad");
    let fresh = intimacy(&other, "2024-05-11T21:30");
    let cases: Vec<(&str, Value, &str, Vec<&str>)> = vec![
        (
            "pain 11",
            with(&fresh, "pain_after", json!(11)),
            "pain_after",
            vec!["11", "0 to 10"],
        ),
        (
            "an unknown position",
            with(&fresh, "positions", json!(["spooning", "cartwheel"])),
            "positions[1]",
            vec!["cartwheel", "spooning", "missionary"],
        ),
        (
            "an unknown preparation",
            with(&fresh, "preparation", json!(["massage"])),
            "preparation[0]",
            vec!["massage", "warm-bath", "ice-after"],
        ),
        (
            "a time in the future",
            with(&fresh, "at", json!("2999-01-01T10:00")),
            "at",
            vec!["2999-01-01T10:00", "future"],
        ),
        (
            "a time that is not one",
            with(&fresh, "at", json!("yesterday")),
            "at",
            vec!["yesterday", "YYYY-MM-DDTHH:MM"],
        ),
        (
            "an unknown field",
            with(&fresh, "mood", json!(3)),
            "mood",
            vec!["mood", "pain_after"],
        ),
        (
            "no kind",
            with(&fresh, "kind", Value::Null),
            "kind",
            vec!["intimacy", "daily", "peg", "exercise", "assessment"],
        ),
        (
            "an unknown kind",
            with(&fresh, "kind", json!("nap")),
            "kind",
            vec!["nap", "intimacy", "exercise"],
        ),
        (
            "a bad id",
            with(&fresh, "id", json!("no spaces/please")),
            "id",
            vec!["no spaces/please", "64"],
        ),
    ];
    let mut failures = Vec::new();
    for (what, body, field, mentions) in &cases {
        let r = api.create(body).await;
        let ok = r.status == StatusCode::UNPROCESSABLE_ENTITY
            && r.header("content-type") == Some("application/problem+json")
            && r.json()["errors"].as_array().is_some_and(|errors| {
                errors.iter().any(|e| {
                    e["field"] == *field
                        && mentions
                            .iter()
                            .all(|m| e["detail"].as_str().unwrap_or_default().contains(m))
                })
            });
        if !ok {
            failures.push(format!(
                "{how}, {what}: expected 422 naming '{field}' with {mentions:?}; got {} {}",
                r.status, r.text
            ));
        }
    }
    assert_eq!(
        api.ids("").await,
        std::slice::from_ref(&id),
        "nothing bad was written"
    );

    // PUT replaces (and creates); the path's id and the body's must agree.
    let replaced = with(&entry, "pain_after", json!(6));
    let r = api.put(&location, &replaced).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json(), json!({"id": id, "created": false}));
    assert_eq!(api.entry(&id).await.json(), replaced);
    let second = format!("{tag}-second");
    let r = api
        .put(
            &format!("/api/v1/journal/entries/{second}"),
            &exercise(&second, "2024-05-12T08:00"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json(), json!({"id": second, "created": true}));
    let r = api
        .put(
            &location,
            &intimacy(&format!("{tag}-third"), "2024-05-10T21:30"),
        )
        .await;
    r.problem(StatusCode::UNPROCESSABLE_ENTITY, "id", &[&id]);
    let r = api
        .put(
            &location,
            &with(&replaced, "positions", json!(["cartwheel"])),
        )
        .await;
    r.problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "positions[0]",
        &["cartwheel"],
    );
    let r = api
        .put(&location, &with(&replaced, "pain_before", json!(-1)))
        .await;
    if r.status != StatusCode::UNPROCESSABLE_ENTITY {
        failures.push(format!(
            "{how}, PUT with pain -1: expected 422 naming 'pain_before'; got {} {}",
            r.status, r.text
        ));
    }
    assert_eq!(
        api.entry(&id).await.json(),
        replaced,
        "a bad PUT changes nothing"
    );

    // DELETE: 204, then 404 (for the entry and for a second delete).
    let path = format!("/api/v1/journal/entries/{second}");
    assert_eq!(api.delete(&path).await.status, StatusCode::NO_CONTENT);
    assert_eq!(api.delete(&path).await.status, StatusCode::NOT_FOUND);
    api.get(&path).await.refused(StatusCode::NOT_FOUND);

    // Filters: by kind, by date (inclusive), oldest first.
    let d = format!("{tag}-daily");
    let p = format!("{tag}-peg");
    let x = format!("{tag}-exercise");
    let a = format!("{tag}-assessment");
    api.create_new(&daily(&d, "2024-05-11")).await;
    api.create_new(&peg(&p, "2024-05-12")).await;
    api.create_new(&exercise(&x, "2024-05-13T07:45")).await;
    api.create_new(&assessment(&a, "2024-05-09T12:00")).await;
    assert_eq!(
        api.ids("").await,
        [&a, &id, &d, &p, &x].map(String::clone),
        "oldest first"
    );
    assert_eq!(api.ids("?kind=daily").await, std::slice::from_ref(&d));
    assert_eq!(api.ids("?kind=intimacy").await, std::slice::from_ref(&id));
    assert_eq!(api.ids("?kind=assessment").await, std::slice::from_ref(&a));
    assert_eq!(
        api.ids("?from=2024-05-11&to=2024-05-12").await,
        [&d, &p].map(String::clone)
    );
    assert_eq!(api.ids("?from=2024-05-13").await, std::slice::from_ref(&x));
    assert_eq!(
        api.ids("?to=2024-05-10").await,
        [&a, &id].map(String::clone)
    );
    assert_eq!(
        api.ids("?kind=peg&from=2024-05-13").await,
        Vec::<String>::new()
    );
    let r = api.get("/api/v1/journal/entries?kind=nap").await;
    r.problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "kind",
        &["nap", "intimacy", "assessment"],
    );
    let r = api.get("/api/v1/journal/entries?from=last-week").await;
    r.problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "from",
        &["last-week", "YYYY-MM-DD"],
    );
    let r = api.get("/api/v1/journal/entries?to=2024-13-01").await;
    r.problem(StatusCode::UNPROCESSABLE_ENTITY, "to", &["2024-13-01"]);

    // The whole journal goes at once.
    assert_eq!(
        api.delete("/api/v1/journal").await.status,
        StatusCode::NO_CONTENT
    );
    assert!(api.list("").await.is_empty());
    failures
}

// --- 2. access control --------------------------------------------------------------------------

#[tokio::test]
async fn one_users_entries_are_invisible_to_another_even_under_the_same_id() {
    let app = TestApp::spawn().await;
    let ann = sign_up(&app.base, "ann", PASSWORD).await;
    let bob = sign_up(&app.base, "bob", PASSWORD).await;
    let anns = Api::token(
        &app.base,
        &create_token(&app.base, &ann.browser, "ann's").await,
    );
    let bobs_token = Api::token(
        &app.base,
        &create_token(&app.base, &bob.browser, "bob's").await,
    );
    let bobs_session = Api::session(&app.base, &bob.browser).await;

    let id = "shared-id";
    let anns_entry = intimacy(id, "2024-06-01T22:00");
    anns.create_new(&anns_entry).await;
    for api in [&bobs_token, &bobs_session] {
        api.entry(id).await.refused(StatusCode::NOT_FOUND);
        assert!(api.list("").await.is_empty());
        assert_eq!(
            api.delete(&format!("/api/v1/journal/entries/{id}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let export = api.get("/api/v1/journal/export").await;
        assert_eq!(export.json()["entries"], json!([]));
        assert!(!export.text.contains(id));
    }
    // Bob deleting his whole journal leaves Ann's alone.
    assert_eq!(
        bobs_session.delete("/api/v1/journal").await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(anns.entry(id).await.json(), anns_entry);

    // Bob may use the same id: it is his own entry, and each reads their own.
    let bobs_entry = peg(id, "2024-06-02");
    let r = bobs_token.create(&bobs_entry).await;
    assert_eq!(r.status, StatusCode::CREATED, "not a conflict: {}", r.text);
    assert_eq!(anns.entry(id).await.json(), anns_entry);
    assert_eq!(bobs_session.entry(id).await.json(), bobs_entry);
    // Bob's PUT on the id replaces his entry, never Ann's.
    let bobs_new = peg(id, "2024-06-03");
    assert_eq!(
        bobs_token
            .put(&format!("/api/v1/journal/entries/{id}"), &bobs_new)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(anns.list("").await, std::slice::from_ref(&anns_entry));
    assert_eq!(bobs_token.list("").await, std::slice::from_ref(&bobs_new));
    // An import of Bob's, even replacing everything, touches only his journal.
    let r = bobs_token
        .post(
            "/api/v1/journal/import?replace=true",
            &json!({"format": "spinewise-journal", "version": 1,
                    "exported_at": "2024-06-04T00:00:00Z", "entries": []}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(bobs_token.list("").await.is_empty());
    assert_eq!(anns.list("").await, std::slice::from_ref(&anns_entry));

    // Without credentials, or with a token that is not one, every journal endpoint is 401.
    let entry_path = format!("/api/v1/journal/entries/{id}");
    let endpoints: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/journal/entries".into(), None),
        (
            Method::POST,
            "/api/v1/journal/entries".into(),
            Some(peg("x", "2024-06-05")),
        ),
        (Method::GET, entry_path.clone(), None),
        (Method::PUT, entry_path.clone(), Some(anns_entry.clone())),
        (Method::DELETE, entry_path.clone(), None),
        (Method::DELETE, "/api/v1/journal".into(), None),
        (Method::GET, "/api/v1/journal/export".into(), None),
        (
            Method::GET,
            "/api/v1/journal/export/csv/intimacy".into(),
            None,
        ),
        (
            Method::GET,
            "/api/v1/journal/export/fhir?utc_offset=%2B01:00".into(),
            None,
        ),
        (
            Method::POST,
            "/api/v1/journal/import".into(),
            Some(json!({"format": "spinewise-journal", "version": 1,
                        "exported_at": "2024-06-04T00:00:00Z", "entries": []})),
        ),
    ];
    let nobody = Api::nobody(&app.base);
    let forged = Api::token(&app.base, "sw_not-a-token-anyone-was-given");
    for (method, path, body) in &endpoints {
        for api in [&nobody, &forged] {
            let r = api.send(method.clone(), path, body.as_ref()).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
            assert_eq!(
                r.header("content-type"),
                Some("application/problem+json"),
                "{method} {path}"
            );
            assert!(r.header("www-authenticate").is_some(), "{method} {path}");
        }
    }

    // A session without the CSRF header may read but not write.
    let no_csrf = Api::session_without_csrf(&app.base, &ann.browser);
    assert_eq!(
        no_csrf.get("/api/v1/journal/entries").await.status,
        StatusCode::OK
    );
    for (method, path, body) in endpoints.iter().filter(|(m, _, _)| *m != Method::GET) {
        let r = no_csrf.send(method.clone(), path, body.as_ref()).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{method} {path}: {}",
            r.text
        );
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
    }
    // Nor with the CSRF token of another session.
    let wrong = Api {
        http: ann.browser.client.clone(),
        base: app.base.clone(),
        auth: Auth::Session(page_csrf(&bob.browser, &app.base, "/account").await),
    };
    let r = wrong.delete("/api/v1/journal").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        anns.list("").await,
        [anns_entry],
        "nothing was written or deleted"
    );
    app.stop().await;
}

// --- 3. encrypted at rest -----------------------------------------------------------------------

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
async fn journal_entries_are_unreadable_in_every_postgresql_column_and_so_are_the_keys_secrets() {
    let Some((base_url, url, schema)) = postgres_schema("sw_journal_rest").await else {
        return;
    };
    let app = TestApp::on(&url).await;
    let holder = sign_up(&app.base, "holder", PASSWORD).await;
    let token = create_token(&app.base, &holder.browser, "phone").await;
    write_distinctive_journal(&Api::token(&app.base, &token)).await;
    let cookie = holder
        .browser
        .cookie(&app.base, "sw_session")
        .expect("a session cookie");
    let needles = secrets_and_plaintext(&[&token, &cookie, PASSWORD, &holder.recovery_code]);
    let rows = pg_rows(&base_url, &schema).await;
    for table in [
        "journal_entries",
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
    pg_admin(&base_url, &format!("DROP SCHEMA {schema} CASCADE")).await;
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[tokio::test]
async fn a_daily_check_in_logged_on_the_page_keeps_its_kind_and_date_out_of_the_database() {
    let app = TestApp::spawn().await;
    let holder = sign_up(&app.base, "holder", PASSWORD).await;
    let date = "2023-04-06";
    let form = holder
        .browser
        .get(&app.url(&format!("/journal/log/daily?date={date}")))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    let r = holder
        .browser
        .post_form(
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

// --- 4. the key follows the account -----------------------------------------------------------

#[tokio::test]
async fn the_recovery_code_sets_a_new_password_and_the_journal_written_before_still_opens() {
    let app = TestApp::spawn().await;
    let kim = sign_up(&app.base, "kim", PASSWORD).await;
    let before = Api::session(&app.base, &kim.browser).await;
    let written = vec![
        intimacy("r1", "2024-02-01T21:00"),
        daily("r2", "2024-02-02"),
    ];
    for e in &written {
        before.create_new(e).await;
    }

    // A code with a typo is caught as one; another account's code does not match.
    let b = Browser::new();
    let csrf = page_csrf(&b, &app.base, "/recover").await;
    let mut typo = kim.recovery_code.clone();
    let last = if typo.ends_with('0') { "1" } else { "0" };
    typo.replace_range(typo.len() - 1.., last);
    let r = b
        .post_form(
            &app.url("/recover"),
            &[
                ("csrf", &csrf),
                ("login", "kim"),
                ("code", &typo),
                ("new", "a new long password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let lee = sign_up(&app.base, "lee", PASSWORD).await;
    let r = b
        .post_form(
            &app.url("/recover"),
            &[
                ("csrf", &csrf),
                ("login", "kim"),
                ("code", &lee.recovery_code),
                ("new", "a new long password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert!(
        sign_in(&app.base, "kim", PASSWORD).await.is_ok(),
        "nothing changed"
    );

    // The right code, typed carelessly (lower case, spaces): a new password, a new session.
    let careless = kim.recovery_code.to_lowercase().replace('-', " ");
    let r = b
        .post_form(
            &app.url("/recover"),
            &[
                ("csrf", &csrf),
                ("login", "kim"),
                ("code", &careless),
                ("new", "a new long password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.header("location"), Some("/journal"));
    let after = Api::session(&app.base, &b).await;
    assert_eq!(
        after.list("").await,
        written,
        "the journal opens in the new session"
    );
    // Every earlier session ended; the old password no longer signs in, the new one does and
    // opens the same journal.
    assert_eq!(
        before.get("/api/v1/journal/entries").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app.base, "kim", PASSWORD).await.err(),
        Some(StatusCode::UNAUTHORIZED)
    );
    let again = sign_in(&app.base, "kim", "a new long password")
        .await
        .expect("the new password signs in");
    let again = Api::session(&app.base, &again).await;
    assert_eq!(again.list("").await, written);
    // The journal page opens too.
    let page = b.get(&app.url("/journal")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("2 entries in all"), "{}", page.text);
    app.stop().await;
}

#[tokio::test]
async fn a_password_change_keeps_the_journal_and_a_token_made_before_it_keeps_opening_it_with_its_own_wrapped_key_until_revoked()
 {
    let app = TestApp::spawn().await;
    let jo = sign_up(&app.base, "joan", PASSWORD).await;
    let token = create_token(&app.base, &jo.browser, "old phone").await;
    let by_token = Api::token(&app.base, &token);
    let written = vec![peg("p1", "2024-03-01"), exercise("x1", "2024-03-02T18:00")];
    for e in &written {
        by_token.create_new(e).await;
    }
    let elsewhere = sign_in(&app.base, "joan", PASSWORD)
        .await
        .expect("signed in elsewhere");

    let csrf = page_csrf(&jo.browser, &app.base, "/account").await;
    let r = jo
        .browser
        .post_form(
            &app.url("/account/password"),
            &[
                ("csrf", &csrf),
                ("current", PASSWORD),
                ("new", "the second long password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    // This browser's fresh session opens the journal; the other session is over.
    let here = Api::session(&app.base, &jo.browser).await;
    assert_eq!(here.list("").await, written);
    assert_eq!(
        Api::session_without_csrf(&app.base, &elsewhere)
            .get("/api/v1/journal/entries")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // The new password opens it; the old one does not sign in.
    let fresh = sign_in(&app.base, "joan", "the second long password")
        .await
        .expect("the new password signs in");
    assert_eq!(
        Api::session(&app.base, &fresh).await.list("").await,
        written
    );
    assert_eq!(
        sign_in(&app.base, "joan", PASSWORD).await.err(),
        Some(StatusCode::UNAUTHORIZED)
    );

    // The token made before the change carries its own wrapped copy of the journal's key: it
    // still reads and writes the journal, until it is revoked.
    assert_eq!(by_token.list("").await, written);
    by_token.create_new(&peg("p2", "2024-03-08")).await;
    assert_eq!(here.ids("").await, ["p1", "x1", "p2"]);
    revoke_token(&app.base, &jo.browser, "old phone").await;
    for r in [
        by_token.get("/api/v1/journal/entries").await,
        by_token.get("/api/v1/journal/export").await,
        by_token.create(&peg("p3", "2024-03-09")).await,
    ] {
        r.refused(StatusCode::UNAUTHORIZED);
    }
    // A token made now opens it too.
    let new_token = create_token(&app.base, &jo.browser, "new phone").await;
    assert_eq!(
        Api::token(&app.base, &new_token).ids("").await,
        ["p1", "x1", "p2"]
    );
    app.stop().await;
}

// --- 5. export and import -------------------------------------------------------------------------

/// Every kind of entry, the assessment included.
fn every_kind() -> Vec<Value> {
    vec![
        assessment("a1", "2024-04-01T08:00"),
        intimacy("i1", "2024-04-01T22:15"),
        with(
            &with(
                &intimacy("i2", "2024-04-03T21:00"),
                "next_day_pain",
                json!(5),
            ),
            "symptoms",
            json!(["pain-during-sex"]),
        ),
        daily("d1", "2024-04-02"),
        with(
            &daily("d2", "2024-04-04"),
            "note",
            json!("commas, \"quotes\"\nand a line"),
        ),
        peg("p1", "2024-04-05"),
        exercise("x1", "2024-04-06T07:30"),
        with(&exercise("x2", "2024-04-06T18:00"), "note", Value::Null),
    ]
}

/// The export without its time of writing: what must come back byte for byte.
fn without_exported_at(export: &str) -> String {
    export
        .lines()
        .filter(|l| !l.trim_start().starts_with("\"exported_at\""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn an_export_imports_back_to_the_same_entries_and_a_bad_import_writes_nothing() {
    let app = TestApp::spawn().await;
    let eve = sign_up(&app.base, "eve", PASSWORD).await;
    let api = Api::token(
        &app.base,
        &create_token(&app.base, &eve.browser, "laptop").await,
    );
    for e in every_kind() {
        api.create_new(&e).await;
    }

    let export = api.get("/api/v1/journal/export").await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(export.header("content-type"), Some("application/json"));
    assert!(
        export
            .header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment")),
        "a download"
    );
    let document = export.json();
    assert_eq!(document["format"], "spinewise-journal");
    assert_eq!(document["version"], 1);
    let entries = document["entries"].as_array().expect("entries").clone();
    assert_eq!(entries.len(), every_kind().len());
    for e in every_kind() {
        assert!(entries.contains(&e), "exported as written: {e}");
    }

    // Deleted, then imported: the same journal, byte for byte.
    assert_eq!(
        api.delete("/api/v1/journal").await.status,
        StatusCode::NO_CONTENT
    );
    assert!(api.list("").await.is_empty());
    let r = api.post("/api/v1/journal/import", &document).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"imported": entries.len(), "replaced": false})
    );
    let again = api.get("/api/v1/journal/export").await;
    assert_eq!(
        without_exported_at(&again.text),
        without_exported_at(&export.text)
    );
    assert_eq!(again.json()["entries"], document["entries"]);

    // Without `replace`, an import adds and replaces by id; with it, the journal is the file.
    let extra = peg("extra", "2024-04-20");
    api.create_new(&extra).await;
    let changed = with(&peg("p1", "2024-04-05"), "pain", json!(9));
    let partial = json!({"format": "spinewise-journal", "version": 1,
        "exported_at": "2024-04-21T00:00:00Z", "entries": [changed]});
    let r = api.post("/api/v1/journal/import", &partial).await;
    assert_eq!(r.json(), json!({"imported": 1, "replaced": false}));
    assert_eq!(api.entry("p1").await.json(), changed);
    assert_eq!(api.list("").await.len(), entries.len() + 1);
    let r = api
        .post("/api/v1/journal/import?replace=true", &document)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.json(),
        json!({"imported": entries.len(), "replaced": true})
    );
    assert_eq!(api.entry("extra").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        without_exported_at(&api.get("/api/v1/journal/export").await.text),
        without_exported_at(&export.text)
    );

    // One bad entry, wherever it is, and nothing is imported (even with replace).
    let count = entries.len();
    let mut bad_cases: Vec<(Value, String, Vec<&str>)> = Vec::new();
    let mut doc = document.clone();
    // Oldest first: a1, i1, d1, i2, d2, p1, x1, x2.
    doc["entries"][1]["positions"] = json!(["spooning", "cartwheel"]);
    doc["entries"]
        .as_array_mut()
        .expect("entries")
        .push(peg("new-one", "2024-04-22"));
    bad_cases.push((doc, "entries[1].positions[1]".into(), vec!["cartwheel"]));
    let mut doc = document.clone();
    doc["entries"][3]["pain_after"] = json!(11);
    bad_cases.push((doc, "entries[3].pain_after".into(), vec!["11", "0 to 10"]));
    let mut doc = document.clone();
    let dup = doc["entries"][0].clone();
    doc["entries"].as_array_mut().expect("entries").push(dup);
    bad_cases.push((
        doc,
        format!("entries[{count}].id"),
        vec!["a1", "more than once"],
    ));
    let mut doc = document.clone();
    doc["entries"][5]["date"] = json!("2999-12-31");
    bad_cases.push((doc, "entries[5].date".into(), vec!["future"]));
    let mut failures = Vec::new();
    for (doc, field, mentions) in &bad_cases {
        for path in [
            "/api/v1/journal/import",
            "/api/v1/journal/import?replace=true",
        ] {
            let r = api.post(path, doc).await;
            let named = r.status == StatusCode::UNPROCESSABLE_ENTITY
                && r.json()["errors"].as_array().is_some_and(|errors| {
                    errors.iter().any(|e| {
                        e["field"] == field.as_str()
                            && mentions
                                .iter()
                                .all(|m| e["detail"].as_str().unwrap_or_default().contains(m))
                    })
                });
            if !named {
                failures.push(format!(
                    "{path}: expected 422 naming {field} with {mentions:?}, got {} {}",
                    r.status, r.text
                ));
            }
            assert_eq!(
                api.list("").await.len(),
                count,
                "{path} {field}: nothing imported"
            );
        }
    }

    // Another format, or a version this server does not read, is refused whole.
    let mut other = document.clone();
    other["format"] = json!("somebody-elses-journal");
    let r = api
        .post("/api/v1/journal/import?replace=true", &other)
        .await;
    if r.status != StatusCode::UNPROCESSABLE_ENTITY
        || !r.json()["errors"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["field"] == "format"))
    {
        failures.push(format!(
            "another format: expected 422 naming format, got {}",
            r.text
        ));
    }
    for version in [json!(2), json!(0)] {
        let mut newer = document.clone();
        newer["version"] = version.clone();
        let r = api
            .post("/api/v1/journal/import?replace=true", &newer)
            .await;
        r.problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "version",
            &[&version.to_string()],
        );
    }
    let r = api
        .post(
            "/api/v1/journal/import",
            &json!({"format": "spinewise-journal"}),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.text);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert_eq!(
        without_exported_at(&api.get("/api/v1/journal/export").await.text),
        without_exported_at(&export.text),
        "nothing changed"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    app.stop().await;
}

#[tokio::test]
async fn csv_exports_have_a_header_and_a_row_per_entry_and_fhir_is_a_bundle_of_pain_observations() {
    let app = TestApp::spawn().await;
    let eve = sign_up(&app.base, "eve", PASSWORD).await;
    let api = Api::session(&app.base, &eve.browser).await;
    let written = every_kind();
    for e in &written {
        api.create_new(e).await;
    }

    for (kind, header) in [
        ("intimacy", "id,at,positions,preparation,pain_before"),
        ("daily", "id,date,pain_morning,pain_evening"),
        ("peg", "id,date,pain,enjoyment,activity,score"),
        ("exercise", "id,at,what,minutes,felt"),
        ("assessment", "id,at,pain_type,red_flag_level"),
    ] {
        let r = api.get(&format!("/api/v1/journal/export/csv/{kind}")).await;
        assert_eq!(r.status, StatusCode::OK, "{kind}: {}", r.text);
        assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
        assert!(
            r.header("content-disposition")
                .is_some_and(|d| d.contains(&format!("spinewise-{kind}.csv"))),
            "{kind}"
        );
        let ids: Vec<&str> = written
            .iter()
            .filter(|e| e["kind"] == kind)
            .map(|e| e["id"].as_str().unwrap_or_default())
            .collect();
        assert!(r.text.starts_with(header), "{kind}: {}", r.text);
        // Records, not lines: a quoted note may hold a line break.
        let records = csv_records(&r.text);
        assert_eq!(records.len(), 1 + ids.len(), "{kind}: {}", r.text);
        let columns = records[0].len();
        for (record, id) in records[1..].iter().zip(&ids) {
            assert_eq!(record[0], *id, "{kind}");
            assert_eq!(record.len(), columns, "{kind}: {record:?}");
        }
    }
    let daily = csv_records(&api.get("/api/v1/journal/export/csv/daily").await.text);
    assert!(
        daily[2].contains(&"commas, \"quotes\"\nand a line".to_owned()),
        "{daily:?}"
    );
    api.get("/api/v1/journal/export/csv/nap").await.problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "kind",
        &["nap", "intimacy"],
    );

    let r = api
        .get("/api/v1/journal/export/fhir?utc_offset=%2B02:00")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.header("content-type"), Some("application/fhir+json"));
    let bundle = r.json();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    let resources: Vec<&Value> = bundle["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| &e["resource"])
        .collect();
    let pain: Vec<&&Value> = resources
        .iter()
        .filter(|r| {
            r["resourceType"] == "Observation"
                && r["code"]["coding"]
                    .as_array()
                    .is_some_and(|c| c.iter().any(|c| c["code"] == "72514-3"))
        })
        .collect();
    // Intimacy: before, during, after (and the next day for i2); daily: morning, evening;
    // exercise: before and after.
    assert_eq!(pain.len(), 3 + 4 + 2 * 2 + 2 * 2, "{bundle}");
    let times: HashSet<&str> = pain
        .iter()
        .filter_map(|o| o["effectiveDateTime"].as_str())
        .collect();
    assert!(times.contains("2024-04-01T22:15:00+02:00"), "{times:?}");
    assert!(times.contains("2024-04-04"), "the day after i2: {times:?}");
    for o in &pain {
        let v = &o["valueQuantity"]["value"];
        assert!(v.as_f64().is_some_and(|v| (0.0..=10.0).contains(&v)), "{o}");
    }
    assert!(
        resources
            .iter()
            .any(|r| r["resourceType"] == "QuestionnaireResponse"),
        "the PEG and the assessment"
    );
    for bad in ["5", "%2B25:00", "%2B01:75"] {
        api.get(&format!("/api/v1/journal/export/fhir?utc_offset={bad}"))
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY, "utc_offset", &["HH:MM"]);
    }
    // Without an offset, only dates.
    let plain = api.get("/api/v1/journal/export/fhir").await.json();
    for e in plain["entry"].as_array().expect("entries") {
        let when = e["resource"]["effectiveDateTime"]
            .as_str()
            .or_else(|| e["resource"]["authored"].as_str())
            .unwrap_or_default();
        assert_eq!(when.len(), "2024-04-01".len(), "a date: {e}");
    }
    app.stop().await;
}

/// The records of an RFC 4180 CSV text.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

// --- 6. the pages -----------------------------------------------------------------------------

/// The fields of the intimacy form, as a browser without JavaScript sends them.
fn intimacy_form<'a>(csrf: &'a str, entry_id: &'a str, at: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("entry_id", entry_id),
        ("at", at),
        ("position", "spooning"),
        ("position", "missionary-knees-up"),
        ("preparation", "warm-bath"),
        ("preparation", "pillows"),
        ("pain_before", "3"),
        ("pain_after", "4"),
    ]
}

#[tokio::test]
async fn intimacy_logged_on_the_form_is_listed_and_sending_the_form_twice_makes_one_entry() {
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let form = b.get(&app.url("/journal/log/intimacy")).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = csrf_in(&form.text);
    let entry_id = hidden_value(&form.text, "entry_id");
    let fields = intimacy_form(&csrf, &entry_id, "2024-07-01T22:30");
    for _ in 0..2 {
        let r = b
            .post_form(&app.url("/journal/log/intimacy"), &fields)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert_eq!(r.header("location"), Some("/journal?saved=intimacy"));
    }
    let page = b.get(&app.url("/journal?saved=intimacy")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Intimacy saved."), "{}", page.text);
    assert!(page.text.contains("1 entries in all"), "{}", page.text);
    assert!(page.text.contains("2024-07-01 22:30"), "{}", page.text);
    assert!(page.text.contains("Spooning (side-lying)"), "{}", page.text);
    assert!(page.text.contains("pain 3 → 4"), "{}", page.text);
    let api = Api::session(&app.base, b).await;
    let entries = api.list("").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["id"], entry_id.as_str());
    assert_eq!(
        entries[0]["positions"],
        json!(["spooning", "missionary-knees-up"])
    );
    assert_eq!(entries[0]["preparation"], json!(["warm-bath", "pillows"]));
    let db = app.db_path();
    let id = user_id(&db, "sam").await;
    assert_eq!(rows_of(&db, "journal_entries", &id).await, 1);

    // The same form with other values and the same id (a stale tab) saves nothing.
    let mut changed = fields.clone();
    changed.retain(|(k, _)| *k != "pain_after");
    changed.push(("pain_after", "8"));
    let r = b
        .post_form(&app.url("/journal/log/intimacy"), &changed)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("Nothing was saved"), "{}", r.text);
    // The form comes back with a fresh id, so that sending it again makes a new entry.
    assert!(
        !r.text.contains(&format!("value=\"{entry_id}\"")),
        "{}",
        r.text
    );
    assert_eq!(api.entry(&entry_id).await.json()["pain_after"], 4);
    // Without the CSRF token, nothing either.
    let mut forged = fields.clone();
    forged.retain(|(k, _)| *k != "csrf");
    forged.push(("entry_id", "another-id"));
    let r = b
        .post_form(&app.url("/journal/log/intimacy"), &forged)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(rows_of(&db, "journal_entries", &id).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn a_form_with_a_bad_value_comes_back_422_naming_it_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let form = b.get(&app.url("/journal/log/intimacy")).await;
    let csrf = csrf_in(&form.text);
    let entry_id = hidden_value(&form.text, "entry_id");
    let good = intimacy_form(&csrf, &entry_id, "2024-07-01T22:30");
    let replace = |key: &'static str, value: &'static str| {
        let mut f: Vec<(&str, &str)> = good.iter().filter(|(k, _)| *k != key).copied().collect();
        f.push((key, value));
        f
    };
    let cases = [
        (
            replace("pain_after", "11"),
            vec!["Back pain right after", "0 to 10"],
        ),
        (
            replace("pain_before", ""),
            vec!["Back pain just before", "please answer"],
        ),
        (
            replace("at", "2999-01-01T10:00"),
            vec!["When", "in the future"],
        ),
        (
            replace("at", "tonight"),
            vec!["When", "tonight", "YYYY-MM-DDTHH:MM"],
        ),
        (
            replace("preparation", "massage"),
            vec!["Preparation", "massage", "warm-bath"],
        ),
        (
            {
                let mut f = good.clone();
                f.push(("position", "cartwheel"));
                f
            },
            vec!["Positions", "cartwheel"],
        ),
    ];
    let db = app.db_path();
    let id = user_id(&db, "sam").await;
    for (fields, mentions) in &cases {
        let r = b.post_form(&app.url("/journal/log/intimacy"), fields).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}: {}",
            r.text
        );
        let text = r.text.replace("&#x27;", "'").replace("&#39;", "'");
        assert!(text.contains("Nothing was saved"), "{text}");
        for m in mentions {
            assert!(text.contains(m), "'{m}' for {fields:?}: {text}");
        }
        // What was typed comes back, with the same entry id.
        assert_eq!(hidden_value(&text, "entry_id"), entry_id);
        assert!(text.contains(r#"value="spooning" checked"#), "{text}");
        assert_eq!(rows_of(&db, "journal_entries", &id).await, 0, "{fields:?}");
    }
    // Corrected, it saves once.
    let r = b.post_form(&app.url("/journal/log/intimacy"), &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(rows_of(&db, "journal_entries", &id).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn an_intimacy_log_with_bleeding_after_sex_is_saved_and_answered_with_the_triage() {
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let form = b.get(&app.url("/journal/log/intimacy")).await;
    let csrf = csrf_in(&form.text);
    let entry_id = hidden_value(&form.text, "entry_id");
    let mut fields = intimacy_form(&csrf, &entry_id, "2024-07-02T23:00");
    fields.push(("symptom", "bleeding-after-sex"));
    let r = b
        .post_form(&app.url("/journal/log/intimacy"), &fields)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("class=\"triage level-soon\""), "{}", r.text);
    assert!(
        r.text.contains("Bleeding from the vagina after sex"),
        "{}",
        r.text
    );
    assert!(r.text.contains("gynaecologist"), "{}", r.text);
    let api = Api::session(&app.base, b).await;
    let saved = api.entry(&entry_id).await.json();
    assert_eq!(saved["symptoms"], json!(["bleeding-after-sex"]));
    app.stop().await;
}

#[tokio::test]
async fn a_logs_symptoms_are_judged_with_the_red_flags_the_journal_already_holds() {
    // Bleeding after sex logged yesterday, pelvic pain logged today: alone each is to be seen
    // soon, together they are urgent, and the answer says where the earlier one was noted.
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let yesterday = today_utc() - time::Duration::days(1);
    for (when, symptom) in [
        (format!("{yesterday}T22:00"), "bleeding-after-sex"),
        (format!("{}T08:00", today_utc()), "pelvic-pain"),
    ] {
        let form = b.get(&app.url("/journal/log/intimacy")).await;
        let csrf = csrf_in(&form.text);
        let entry_id = hidden_value(&form.text, "entry_id");
        let mut fields = intimacy_form(&csrf, &entry_id, &when);
        fields.push(("symptom", symptom));
        let r = b
            .post_form(&app.url("/journal/log/intimacy"), &fields)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        if symptom == "bleeding-after-sex" {
            assert!(r.text.contains("class=\"triage level-soon\""), "{}", r.text);
        } else {
            assert!(
                r.text.contains("class=\"triage level-urgent\""),
                "{}",
                r.text
            );
            assert!(
                r.text
                    .contains(&format!("noted in your journal on {yesterday}")),
                "{}",
                r.text
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn signed_in_the_plan_page_counts_the_red_flags_the_journal_holds() {
    // Chest pain logged today is an emergency: the plan page, asked for the couple's plan,
    // gives the referral alone, says where the symptom was noted, and holds no positions.
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let plan_fields = |csrf: &str| {
        vec![
            ("csrf".to_owned(), csrf.to_owned()),
            ("pain_type".to_owned(), "flexion".to_owned()),
            ("role".to_owned(), "receptive".to_owned()),
        ]
    };
    let csrf = page_csrf(b, &app.base, "/plan").await;
    let fields = plan_fields(&csrf);
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let before = b.post_form(&app.url("/plan"), &fields).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text);
    assert!(
        before.text.contains("Positions, best first"),
        "{}",
        before.text
    );

    let api = Api::session(&app.base, b).await;
    let today = today_utc();
    api.create_new(&with(
        &intimacy("chest", &format!("{today}T08:00")),
        "symptoms",
        json!(["chest-pain"]),
    ))
    .await;
    let after = b.post_form(&app.url("/plan"), &fields).await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.text);
    assert!(
        after.text.contains("class=\"triage level-emergency\""),
        "{}",
        after.text
    );
    assert!(
        after
            .text
            .contains(&format!("noted in your journal on {today}")),
        "{}",
        after.text
    );
    assert!(
        !after.text.contains("Positions, best first"),
        "{}",
        after.text
    );
    app.stop().await;
}

#[tokio::test]
async fn the_next_day_question_appears_for_yesterdays_log_and_its_answer_is_saved() {
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let yesterday = format!("{}T22:00", today_utc() - time::Duration::days(1));
    let form = b.get(&app.url("/journal/log/intimacy")).await;
    let csrf = csrf_in(&form.text);
    let entry_id = hidden_value(&form.text, "entry_id");
    let r = b
        .post_form(
            &app.url("/journal/log/intimacy"),
            &intimacy_form(&csrf, &entry_id, &yesterday),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);

    let page = b.get(&app.url("/journal")).await;
    assert!(
        page.text.contains("How is your back this morning?"),
        "{}",
        page.text
    );
    let at = page
        .text
        .find("action=\"/journal/next-day\"")
        .expect("the question's form");
    assert_eq!(hidden_value(&page.text[at..], "id"), entry_id);
    let r = b
        .post_form(
            &app.url("/journal/next-day"),
            &[
                ("csrf", &csrf_in(&page.text)),
                ("id", &entry_id),
                ("pain", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let api = Api::session(&app.base, b).await;
    let saved = api.entry(&entry_id).await.json();
    assert_eq!(saved["next_day_pain"], 2);
    assert_eq!(saved["pain_after"], 4, "the rest is as it was");
    let page = b.get(&app.url("/journal")).await;
    assert!(
        !page.text.contains("How is your back this morning?"),
        "asked once"
    );
    assert!(page.text.contains("next day 2"), "{}", page.text);
    // A bad answer names it and saves nothing; an unknown entry is not found.
    let csrf = csrf_in(&page.text);
    let r = b
        .post_form(
            &app.url("/journal/next-day"),
            &[("csrf", &csrf), ("id", &entry_id), ("pain", "12")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = b
        .post_form(
            &app.url("/journal/next-day"),
            &[("csrf", &csrf), ("id", "no-such-entry"), ("pain", "2")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(api.entry(&entry_id).await.json()["next_day_pain"], 2);
    app.stop().await;
}

#[tokio::test]
async fn deleting_an_entry_the_journal_or_the_account_removes_the_rows_from_the_database() {
    let app = TestApp::spawn().await;
    let sam = sign_up(&app.base, "sam", PASSWORD).await;
    let b = &sam.browser;
    let api = Api::session(&app.base, b).await;
    let token = create_token(&app.base, b, "watch").await;
    for e in every_kind() {
        api.create_new(&e).await;
    }
    let db = app.db_path();
    let id = user_id(&db, "sam").await;
    let n = i64::try_from(every_kind().len()).expect("a few");
    assert_eq!(rows_of(&db, "journal_entries", &id).await, n);
    // Someone else's journal, which none of this touches.
    let other = sign_up(&app.base, "other", PASSWORD).await;
    let others = Api::session(&app.base, &other.browser).await;
    others.create_new(&peg("p1", "2024-04-05")).await;
    let other_id = user_id(&db, "other").await;

    // One entry, from the overview's delete button.
    let page = b.get(&app.url("/journal")).await;
    assert!(
        page.text.contains("action=\"/journal/entries/i1/delete\""),
        "{}",
        page.text
    );
    let r = b
        .post_form(
            &app.url("/journal/entries/i1/delete"),
            &[("csrf", &csrf_in(&page.text))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some("/journal?deleted=1"));
    assert_eq!(rows_of(&db, "journal_entries", &id).await, n - 1);
    let mut c = sqlite(&db).await;
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM journal_entries WHERE id = 'i1'")
        .fetch_one(&mut c)
        .await
        .expect("counted");
    assert_eq!(left, 0, "the row is gone, not flagged");
    drop(c);
    // Deleting it again, or an entry of someone else's, finds nothing.
    let csrf = page_csrf(b, &app.base, "/journal").await;
    let r = b
        .post_form(&app.url("/journal/entries/i1/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(rows_of(&db, "journal_entries", &other_id).await, 1);

    // The whole journal: only with the box ticked.
    let r = b
        .post_form(&app.url("/journal/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rows_of(&db, "journal_entries", &id).await, n - 1);
    let r = b
        .post_form(
            &app.url("/journal/delete"),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some("/journal?deleted=all"));
    assert_eq!(rows_of(&db, "journal_entries", &id).await, 0);
    assert_eq!(rows_of(&db, "journal_entries", &other_id).await, 1);
    let page = b.get(&app.url("/journal?deleted=all")).await;
    assert!(page.text.contains("Your whole journal was deleted."));
    assert!(page.text.contains("Nothing logged yet"));

    // The account, with everything in it.
    api.create_new(&peg("p9", "2024-04-09")).await;
    assert_eq!(rows_of(&db, "journal_entries", &id).await, 1);
    let csrf = page_csrf(b, &app.base, "/account").await;
    let r = b
        .post_form(
            &app.url("/account/delete"),
            &[("csrf", &csrf), ("password", PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for table in [
        "journal_entries",
        "user_keys",
        "sessions",
        "api_tokens",
        "users",
    ] {
        assert_eq!(rows_of(&db, table, &id).await, 0, "{table}");
    }
    assert_eq!(
        Api::token(&app.base, &token)
            .get("/api/v1/journal/entries")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(rows_of(&db, "journal_entries", &other_id).await, 1);
    assert_eq!(rows_of(&db, "user_keys", &other_id).await, 1);
    assert_eq!(others.ids("").await, ["p1"]);
    app.stop().await;
}

// --- 7. a crash in the middle of writes -----------------------------------------------------

/// The real binary, serving on a port of its own; killed when dropped.
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    async fn start(database_url: &str, dir: &Path, name: &str) -> Server {
        // A free port: bound, read and released for the server to take.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log = dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).expect("a log file");
        let err = out.try_clone().expect("the log file again");
        let child = Command::new(env!("CARGO_BIN_EXE_spinewise"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .args(["--database-url", database_url])
            .env("SPINEWISE_DATA_DIR", dir)
            .env_remove("SPINEWISE_BEHIND_PROXY")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("the binary starts");
        let mut server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        server.wait_until_ready().await;
        server
    }

    async fn wait_until_ready(&mut self) {
        let client = Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .expect("a client");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = client
                .get(format!("{}/api/v1/health", self.base))
                .send()
                .await
                && r.status() == StatusCode::OK
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the server exited ({status}): {}", self.log_text());
            }
            assert!(
                Instant::now() < deadline,
                "the server did not answer in time: {}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no graceful anything.
    fn kill(&mut self) {
        self.child.kill().expect("killed");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How many writes are sent, how many at once, and after how many acknowledgements the
/// server is killed.
const WRITES: usize = 300;
const CONCURRENCY: usize = 16;
const KILL_AFTER: usize = 150;

/// The `i`th entry of the burst: every kind, distinct content.
fn burst_entry(i: usize) -> Value {
    let id = format!("crash-{i:03}-{}", uuid::Uuid::new_v4().simple());
    let day = time::Date::from_calendar_date(2023, time::Month::January, 1).expect("a date")
        + time::Duration::days(i64::try_from(i).expect("small"));
    let at = format!("{day}T{:02}:{:02}", i % 24, i % 60);
    let pain = i % 11;
    match i % 4 {
        0 => with(
            &with(&intimacy(&id, &at), "pain_after", json!(pain)),
            "note",
            json!(format!("note {i}")),
        ),
        1 => with(&daily(&id, &day.to_string()), "pain_morning", json!(pain)),
        2 => with(&peg(&id, &day.to_string()), "activity", json!(pain)),
        _ => with(&exercise(&id, &at), "minutes", json!(i + 1)),
    }
}

async fn acknowledged_writes_survive_a_kill(database_url: &str, dir: &Path) {
    let mut server = Server::start(database_url, dir, "first").await;
    let account = sign_up(&server.base, "crash", PASSWORD).await;
    let token = create_token(&server.base, &account.browser, "burst").await;

    let sent: Vec<Value> = (0..WRITES).map(burst_entry).collect();
    let acknowledged: Arc<Mutex<HashMap<String, Value>>> = Arc::default();
    let failed = Arc::new(AtomicUsize::new(0));
    let permits = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let (kill_tx, kill_rx) = oneshot::channel::<()>();
    let kill_tx = Arc::new(Mutex::new(Some(kill_tx)));
    let client = Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("a client");
    let url = format!("{}/api/v1/journal/entries", server.base);
    let mut tasks = tokio::task::JoinSet::new();
    for entry in sent.clone() {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        let (acknowledged, failed, permits, kill_tx) = (
            acknowledged.clone(),
            failed.clone(),
            permits.clone(),
            kill_tx.clone(),
        );
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("a permit");
            let answer = client
                .post(&url)
                .bearer_auth(&token)
                .json(&entry)
                .send()
                .await;
            match answer {
                Ok(r) if r.status().is_success() => {
                    let id = entry["id"].as_str().expect("an id").to_owned();
                    let n = {
                        let mut acked = acknowledged.lock().expect("not poisoned");
                        acked.insert(id, entry);
                        acked.len()
                    };
                    if n >= KILL_AFTER
                        && let Some(tx) = kill_tx.lock().expect("not poisoned").take()
                    {
                        let _ = tx.send(());
                    }
                }
                Ok(r) => panic!("a write was refused before the crash: {}", r.status()),
                Err(_) => {
                    failed.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
    }
    tokio::time::timeout(Duration::from_secs(60), kill_rx)
        .await
        .expect("enough writes were acknowledged in time")
        .expect("the signal to kill");
    server.kill();
    let at_kill = acknowledged.lock().expect("not poisoned").len();
    while let Some(done) = tasks.join_next().await {
        done.expect("a write task finished without panicking");
    }
    let acknowledged = acknowledged.lock().expect("not poisoned").clone();
    let failed = failed.load(Ordering::SeqCst);
    assert!(acknowledged.len() >= KILL_AFTER);
    assert!(
        acknowledged.len() < WRITES && failed > 0,
        "the kill came while writes were in flight ({} acknowledged, {at_kill} at the kill, {failed} failed)",
        acknowledged.len()
    );

    // Restarted on the same database: every acknowledged entry is there with exactly its
    // content, every stored entry opens, none twice.
    let server = Server::start(database_url, dir, "second").await;
    let api = Api::token(&server.base, &token);
    let listed = api.list("").await;
    let mut seen = HashSet::new();
    let by_id: HashMap<&str, &Value> = sent
        .iter()
        .map(|e| (e["id"].as_str().expect("an id"), e))
        .collect();
    for e in &listed {
        let id = e["id"].as_str().expect("an id");
        assert!(seen.insert(id.to_owned()), "{id} is listed twice");
        assert_eq!(
            Some(&e),
            by_id.get(id),
            "a stored entry is one that was sent, whole"
        );
    }
    for (id, entry) in &acknowledged {
        let stored = listed.iter().find(|e| e["id"] == id.as_str());
        assert_eq!(stored, Some(entry), "acknowledged {id} survived the crash");
    }
    assert!(listed.len() >= acknowledged.len());
    eprintln!(
        "killed after {at_kill} acknowledged writes; {} acknowledged in all, {failed} failed, \
         {} stored",
        acknowledged.len(),
        listed.len()
    );

    // A fresh session opens the same journal; every write, retried, lands exactly once.
    let again = sign_in(&server.base, "crash", PASSWORD)
        .await
        .expect("signed in after the crash");
    let session = Api::session(&server.base, &again).await;
    assert_eq!(session.list("").await, listed);
    for entry in &sent {
        let r = api.create(entry).await;
        let id = entry["id"].as_str().expect("an id");
        let expected = if seen.contains(id) {
            StatusCode::OK
        } else {
            StatusCode::CREATED
        };
        assert_eq!(r.status, expected, "{id} retried: {}", r.text);
    }
    assert_eq!(api.list("").await.len(), WRITES);
    drop(server);
}

#[tokio::test]
async fn every_write_acknowledged_before_a_kill_9_is_there_after_a_restart_on_sqlite() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join(DB_FILE).display());
    acknowledged_writes_survive_a_kill(&url, dir.path()).await;
}

#[tokio::test]
async fn every_write_acknowledged_before_a_kill_9_is_there_after_a_restart_on_postgresql() {
    let Some((base_url, url, schema)) = postgres_schema("sw_journal_crash").await else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    acknowledged_writes_survive_a_kill(&url, dir.path()).await;
    pg_admin(&base_url, &format!("DROP SCHEMA {schema} CASCADE")).await;
}
