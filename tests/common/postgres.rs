//! One PostgreSQL schema per test, on the database named by `SPINEWISE_TEST_POSTGRES_URL`.
//!
//! [`Schema::create`] makes a fresh schema with a name of its own and gives the URL that puts
//! it first on the `search_path` (`options=-c search_path=…`), so that everything the
//! application creates and reads lives in it and no two tests ever see each other's rows.
//! [`Schema::drop`] removes it with everything in it; a schema that was not dropped that way
//! (the test panicked) is dropped when the value is, so a failing test leaves nothing behind
//! either.
//!
//! The PostgreSQL tests carry
//! `#[cfg_attr(not(postgres_tests), ignore = "set SPINEWISE_TEST_POSTGRES_URL to run the
//! PostgreSQL variant")]`: the build script sets `postgres_tests` when the variable is set, so
//! without it they are listed as ignored, with the reason, instead of passing without running.
//!
//! Shared by the root crate's test binaries (`tests/common/`) and the store's conformance
//! suite (`crates/store/tests/conformance.rs`), so it needs nothing but `sqlx`, `tokio` and
//! `uuid`.

use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// The variable that names the PostgreSQL test database.
pub const URL_VARIABLE: &str = "SPINEWISE_TEST_POSTGRES_URL";

/// The database URL from `SPINEWISE_TEST_POSTGRES_URL`, if it is set (and not empty).
pub fn base_url() -> Option<String> {
    std::env::var(URL_VARIABLE)
        .ok()
        .filter(|url| !url.is_empty())
}

/// A schema of one test's own; dropped with everything in it at the end.
#[derive(Debug)]
pub struct Schema {
    base_url: String,
    name: String,
    url: String,
    dropped: bool,
}

impl Schema {
    /// Creates a fresh schema named `{prefix}_{random}`. Panics when
    /// `SPINEWISE_TEST_POSTGRES_URL` is not set: a test that gets here was asked to run on
    /// PostgreSQL (see the module's documentation for how it is skipped otherwise).
    pub async fn create(prefix: &str) -> Schema {
        let base_url = base_url()
            .unwrap_or_else(|| panic!("{URL_VARIABLE} is not set: this test needs PostgreSQL"));
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        admin(&base_url, &format!("CREATE SCHEMA {name}")).await;
        let separator = if base_url.contains('?') { '&' } else { '?' };
        let url = format!("{base_url}{separator}options=-c%20search_path%3D{name}");
        Schema {
            base_url,
            name,
            url,
            dropped: false,
        }
    }

    /// The URL whose connections use this schema (and only it) for everything.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL of the database without the `search_path` option: to look at the schema from
    /// outside, by its name.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Drops the schema with everything in it.
    pub async fn drop(mut self) {
        self.dropped = true;
        admin(&self.base_url, &drop_statement(&self.name)).await;
    }
}

impl Drop for Schema {
    /// The schema of a test that did not get to [`Schema::drop`] (it panicked): dropped from a
    /// thread of its own, with a runtime of its own, since the test's may be unwinding.
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        let (base_url, sql) = (self.base_url.clone(), drop_statement(&self.name));
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime")
                .block_on(admin(&base_url, &sql));
        })
        .join();
    }
}

/// `DROP SCHEMA … CASCADE`, giving up rather than waiting for ever on a lock that a
/// connection still open in the schema holds.
fn drop_statement(name: &str) -> String {
    format!("SET lock_timeout = '20s'; DROP SCHEMA IF EXISTS {name} CASCADE")
}

/// Runs `sql` (one or more statements) on its own connection to `url`.
pub async fn admin(url: &str, sql: &str) {
    let mut c = PgConnection::connect(url)
        .await
        .expect("PostgreSQL answers");
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(&mut c)
        .await
        .expect("the statement runs");
    c.close().await.expect("closed");
}
