//! The web server under test: the real application started in-process on a free port with a
//! database of its own, and a browser without JavaScript to drive it.
//!
//! - [`settings`]: the one `Settings` every test server starts from.
//! - [`TestApp`]: a running server; [`TestApp::stop`] lets requests in flight finish, stops it
//!   and drops its PostgreSQL schema (a test that panics before stops it when it is dropped).
//! - [`Browser`]: a cookie jar we can look into, redirects not followed; [`Account`]: one made
//!   through the sign-up page, with its recovery code.
//! - [`Reply`]: an answer read whole, with [`Reply::problem`] for `application/problem+json`.

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::HeaderMap;
use reqwest::{Client, Response, StatusCode, Url};
use serde_json::Value;
use spinewise::server::{Application, Settings, TlsFiles};
use tokio::sync::oneshot;

use super::postgres::{self, Schema};

/// The SQLite database file of an app, in its temporary directory.
pub const DB_FILE: &str = "spinewise.db";

/// The settings of a test server on `database_url`: a free port on the loopback address, not
/// behind a proxy, plain HTTP, 64 plans remembered, the coach's files where `serve` puts them
/// and the coach's usual frame and idle limits.
pub fn settings(database_url: &str) -> Settings {
    Settings {
        bind: "127.0.0.1:0".parse().expect("an address"),
        database_url: database_url.to_owned(),
        behind_proxy: false,
        plan_cache: 64,
        tls: None,
        coach_assets: spinewise::server::default_coach_assets(),
        coach_max_fps: MAX_FRAMES_PER_SECOND,
        coach_idle_timeout: spinewise::server::web::coach::IDLE_TIMEOUT,
        journal_quota: spinewise_store::JournalQuota::STANDARD,
        imports_per_hour: spinewise_app::accounts::MAX_IMPORTS_PER_WINDOW,
        emergency_number: spinewise_app::emergency::DEFAULT_NUMBER.to_owned(),
        connections: spinewise::server::connections::ConnectionLimits::usual(false),
        public_hosts: Vec::new(),
    }
}

/// The frames a second one coaching connection may send.
pub const MAX_FRAMES_PER_SECOND: u32 = spinewise::server::web::coach::MAX_FRAMES_PER_SECOND;

/// The coaching connections one address may hold at once.
pub const MAX_CONNECTIONS_PER_ADDRESS: usize =
    spinewise::server::web::coach::MAX_CONNECTIONS_PER_ADDRESS;

/// HTTPS with this certificate chain and key.
pub fn tls(cert: PathBuf, key: PathBuf) -> Option<TlsFiles> {
    Some(TlsFiles { cert, key })
}

/// A running server with its own database.
#[derive(Debug)]
pub struct TestApp {
    /// `http://127.0.0.1:PORT` (`https://` over TLS).
    pub base: String,
    port: u16,
    stop: Option<oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    /// The app's own directory: the SQLite database, certificates, coach files.
    dir: Option<tempfile::TempDir>,
    /// On PostgreSQL, the schema of the test's own.
    schema: Option<Schema>,
}

impl TestApp {
    /// An app on a SQLite database of its own, with [`settings`].
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_, _| {}).await
    }

    /// An app on a SQLite database of its own, with [`settings`] changed by `change` (given the
    /// app's directory, for files it should use).
    pub async fn spawn_with(change: impl FnOnce(&mut Settings, &Path)) -> TestApp {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut s = settings(&format!("sqlite://{}", dir.path().join(DB_FILE).display()));
        change(&mut s, dir.path());
        TestApp::start(s, Some(dir), None).await
    }

    /// An app on PostgreSQL, in a schema of its own named `{prefix}_…`, dropped when it stops.
    pub async fn on_postgres(prefix: &str) -> TestApp {
        let schema = Schema::create(prefix).await;
        TestApp::start(settings(schema.url()), None, Some(schema)).await
    }

    /// An app on PostgreSQL when `SPINEWISE_TEST_POSTGRES_URL` is set (in a schema of its own,
    /// so that one test's accounts and sign-up throttle never reach another), on SQLite
    /// otherwise; [`settings`] changed by `change`.
    pub async fn on_either(prefix: &str, change: impl FnOnce(&mut Settings, &Path)) -> TestApp {
        if postgres::base_url().is_none() {
            return TestApp::spawn_with(change).await;
        }
        let dir = tempfile::tempdir().expect("a temporary directory");
        let schema = Schema::create(prefix).await;
        let mut s = settings(schema.url());
        change(&mut s, dir.path());
        TestApp::start(s, Some(dir), Some(schema)).await
    }

    /// An app on a database the test looks after (several apps on one database).
    pub async fn on(database_url: &str) -> TestApp {
        TestApp::start(settings(database_url), None, None).await
    }

    async fn start(
        settings: Settings,
        dir: Option<tempfile::TempDir>,
        schema: Option<Schema>,
    ) -> TestApp {
        let scheme = if settings.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let app = Application::build(settings)
            .await
            .expect("the server starts");
        let port = app.port();
        let (tx, rx) = oneshot::channel::<()>();
        let done = tokio::spawn(app.run_until(async move {
            let _ = rx.await;
        }));
        TestApp {
            base: format!("{scheme}://127.0.0.1:{port}"),
            port,
            stop: Some(tx),
            done: Some(done),
            dir,
            schema,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The app's own directory.
    pub fn dir(&self) -> &Path {
        self.dir.as_ref().expect("an app with a directory").path()
    }

    /// The PostgreSQL schema of an app on PostgreSQL.
    pub fn schema(&self) -> Option<&Schema> {
        self.schema.as_ref()
    }

    /// The SQLite database file.
    pub fn db_path(&self) -> PathBuf {
        self.dir().join(DB_FILE)
    }

    /// Stops the server, letting requests in flight finish, and checks that it stopped
    /// cleanly; drops its PostgreSQL schema. The app's directory (if any) lives on in the
    /// answer.
    pub async fn stop(mut self) -> Option<tempfile::TempDir> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(done) = self.done.take() {
            done.await.expect("joined").expect("stopped cleanly");
        }
        if let Some(schema) = self.schema.take() {
            schema.drop().await;
        }
        self.dir.take()
    }
}

impl Drop for TestApp {
    /// A test that did not get to [`TestApp::stop`]: the server is told to stop (its schema is
    /// dropped by [`Schema`]'s own `Drop`).
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

impl AsRef<str> for TestApp {
    /// The base URL.
    fn as_ref(&self) -> &str {
        &self.base
    }
}

/// A browser without JavaScript: a cookie jar we can look into, no redirects followed. It is
/// a [`Client`] too.
#[derive(Debug, Clone)]
pub struct Browser {
    pub client: Client,
    jar: Arc<Jar>,
}

impl Default for Browser {
    fn default() -> Browser {
        Browser::new()
    }
}

impl Browser {
    pub fn new() -> Browser {
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
    pub fn cookie(&self, base: &str, name: &str) -> Option<String> {
        let url = Url::parse(base).expect("a URL");
        let header = self.jar.cookies(&url)?;
        header.to_str().ok()?.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
    }

    /// `GET url`, read whole.
    pub async fn page(&self, url: &str) -> Reply {
        Reply::from(self.client.get(url).send().await.expect("sent")).await
    }

    /// `POST url` with a form, read whole.
    pub async fn submit(&self, url: &str, form: &[(&str, &str)]) -> Reply {
        Reply::from(self.client.post(url).form(form).send().await.expect("sent")).await
    }
}

impl Deref for Browser {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

/// An answer, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    pub async fn from(r: Response) -> Reply {
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().await.expect("a body");
        Reply {
            status,
            headers,
            text,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("a JSON body ({e}), got {}: {}", self.status, self.text))
    }

    /// Checks that this is a problem document with `status`; returns it.
    #[track_caller]
    pub fn refused(&self, status: StatusCode) -> Value {
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
    #[track_caller]
    pub fn problem(&self, status: StatusCode, field: &str, mentions: &[&str]) -> Value {
        let p = self.refused(status);
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

/// The JSON body of an answer.
pub async fn json_of(r: Response) -> Value {
    r.json().await.expect("a JSON body")
}

/// The CSRF token in a page's form.
pub fn csrf_in(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let at = html.find(marker).expect("the page has a CSRF field") + marker.len();
    let rest = &html[at..];
    rest[..rest.find('"').expect("the value ends")].to_owned()
}

/// The text of the first element that starts with `open`.
pub fn element_text(html: &str, open: &str) -> Option<String> {
    let at = html.find(open)? + open.len();
    let rest = &html[at..];
    Some(rest[..rest.find('<')?].trim().to_owned())
}

/// The value of the hidden input `name` in a form.
pub fn hidden_value(html: &str, name: &str) -> String {
    element_text(html, &format!(r#"name="{name}" value=""#))
        .and_then(|v| v.split('"').next().map(str::to_owned))
        .unwrap_or_else(|| panic!("the page has a hidden '{name}'"))
}

/// The CSRF token of the form on the page at `path`.
pub async fn page_csrf(b: &Client, base: impl AsRef<str>, path: &str) -> String {
    let page = b
        .get(format!("{}{path}", base.as_ref()))
        .send()
        .await
        .expect("sent");
    csrf_in(&page.text().await.expect("a page"))
}

/// An account made through the pages, with its signed-in browser.
#[derive(Debug)]
pub struct Account {
    pub browser: Browser,
    pub recovery_code: String,
}

impl Deref for Account {
    type Target = Browser;

    fn deref(&self) -> &Browser {
        &self.browser
    }
}

/// Signs up through the pages; keeps the recovery code the answer shows, and says it is
/// saved, as a person would.
pub async fn sign_up(base: impl AsRef<str>, login: &str, password: &str) -> Account {
    let base = base.as_ref();
    let b = Browser::new();
    let csrf = page_csrf(&b, base, "/signup").await;
    let r = b
        .submit(
            &format!("{base}/signup"),
            &[("login", login), ("password", password), ("csrf", &csrf)],
        )
        .await;
    // The answer is a redirect to the page that shows the journal's recovery code.
    assert_eq!(r.status, StatusCode::SEE_OTHER, "signed up: {}", r.text);
    assert_eq!(r.header("location"), Some("/account/recovery-code"));
    assert!(b.cookie(base, "sw_session").is_some(), "signed in");
    let shown = b.page(&format!("{base}/account/recovery-code")).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    let recovery_code = element_text(&shown.text, r#"<p class="token" id="recovery-code">"#)
        .expect("the recovery code is shown");
    assert_eq!(recovery_code.len(), 34, "7 groups of 4: {recovery_code}");
    let saved = b
        .submit(
            &format!("{base}/account/recovery-code"),
            &[("csrf", &csrf_in(&shown.text))],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    assert_eq!(saved.header("location"), Some("/journal"));
    Account {
        browser: b,
        recovery_code,
    }
}

/// Signs in through the pages: the new browser, or the status of the refusal.
pub async fn sign_in(
    base: impl AsRef<str>,
    login: &str,
    password: &str,
) -> Result<Browser, StatusCode> {
    let base = base.as_ref();
    let b = Browser::new();
    let csrf = page_csrf(&b, base, "/login").await;
    let r = b
        .submit(
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

/// Creates an API token on the account page and returns it: the form redirects to the
/// account page, which shows the token until "I have copied it".
pub async fn create_token(base: impl AsRef<str>, b: &Browser, name: &str) -> String {
    let base = base.as_ref();
    let csrf = page_csrf(b, base, "/account").await;
    let r = b
        .submit(
            &format!("{base}/account/tokens"),
            &[("csrf", &csrf), ("name", name)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.header("location"), Some("/account#new-token"));
    let shown = b.page(&format!("{base}/account")).await;
    let token = element_text(&shown.text, r#"<p class="token" id="token-value">"#)
        .expect("the token is shown");
    assert!(token.starts_with("sw_"), "{token}");
    let saved = b
        .submit(&format!("{base}/account/tokens/saved"), &[("csrf", &csrf)])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    token
}
