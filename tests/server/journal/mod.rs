//! The journal over HTTP, against the real application: started in-process on a free port
//! with its own database, or as the real binary that is killed with SIGKILL in the middle of
//! a burst of writes or of a change of key. Writes through the API are idempotent by the
//! entry's id and refuse bad values naming the field; one user never reaches another's
//! entries; nothing of an entry or of the saved profile is readable in the database (SQLite
//! files read as bytes, PostgreSQL rows read as text); the journal's key follows the account
//! through the recovery code, a password change and API tokens, and a new key re-seals
//! everything; export and import give back the same entries; the pages work without
//! JavaScript; every write the server acknowledged survives a crash, and a crash in the
//! middle of a change of key leaves the old key opening everything.
//!
//! The PostgreSQL variants run when `SPINEWISE_TEST_POSTGRES_URL` is set, each in a schema of
//! its own that is dropped afterwards.
//!
//! One module per part: [`writes`], [`access`], [`at_rest`], [`keys`], [`export`], [`pages`],
//! [`summary`], [`partners`] (linked partners: what each reads, and nothing shared in the
//! database), [`share`] (sharing with a clinician), [`bounds`] and [`crash`]; what they share
//! is here and in `tests/common/server.rs`.

mod access;
mod at_rest;
mod bounds;
mod crash;
mod export;
mod keys;
mod pages;
mod partners;
mod share;
mod summary;
mod writes;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{Client, Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection;
use tokio::sync::oneshot;

use crate::common::postgres::Schema;
use crate::common::server::{
    Browser, DB_FILE, Reply, TestApp, create_token, csrf_in, element_text, hidden_value, page_csrf,
    sign_in, sign_up,
};

/// A password good enough for every account here.
const PASSWORD: &str = "a long enough password";

// --- the harness -----------------------------------------------------------------------------

/// Revokes the API token named `name` on the account page.
async fn revoke_token(base: &str, b: &Browser, name: &str) {
    let page = b.page(&format!("{base}/account")).await;
    let at = page
        .text
        .find(&format!("<li>{name} (created"))
        .unwrap_or_else(|| panic!("the token '{name}' is listed"));
    let id = hidden_value(&page.text[at..], "id");
    let csrf = csrf_in(&page.text);
    let r = b
        .submit(
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

    /// The entries listed with this query string (`""` for all), every page of them.
    async fn list(&self, query: &str) -> Vec<Value> {
        let mut all = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let path = match (&next, query.is_empty()) {
                (None, _) => format!("/api/v1/journal/entries{query}"),
                (Some(c), true) => format!("/api/v1/journal/entries?cursor={c}"),
                (Some(c), false) => format!("/api/v1/journal/entries{query}&cursor={c}"),
            };
            let r = self.get(&path).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            let body = r.json();
            let entries = body["entries"].as_array().expect("entries").clone();
            assert_eq!(body["count"], entries.len(), "count");
            all.extend(entries);
            match body["next"].as_str() {
                Some(c) => next = Some(c.to_owned()),
                None => return all,
            }
        }
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

/// Every journal row of the account `user_id` in the SQLite file, as (row id, sealed bytes),
/// in row-id order.
async fn journal_rows(c: &mut sqlx::SqliteConnection, user_id: &str) -> Vec<(String, Vec<u8>)> {
    sqlx::query_as("SELECT id, sealed FROM journal_entries WHERE user_id = ? ORDER BY id")
        .bind(user_id)
        .fetch_all(c)
        .await
        .expect("rows")
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
