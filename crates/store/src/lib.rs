//! spinewise's storage: the only code that knows SQL.
//!
//! A [`Store`] keeps accounts, server-side sessions, profiles, API tokens, sign-in
//! throttling, wrapped data keys and the encrypted journal in an embedded SQLite database (the default) or in PostgreSQL (for clinics that
//! run several server instances on one database). Both backends get the same schema and the
//! same behaviour; the conformance suite in `tests/` runs every test on both.
//!
//! The store reads no clock and draws no secrets: the caller passes the time (unix seconds)
//! and hashes session and API tokens before they reach it, so that a copy of the database
//! signs nobody in and the tests are deterministic. The only randomness is the v4 UUID that
//! becomes a new user's id. Nor does it encrypt: wrapped keys and journal entries arrive
//! sealed, and the store keeps them as opaque bytes.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// Runs the same statement on whichever pool the store holds.
///
/// The body is compiled once per backend, so each arm gets its own concrete database types and
/// the SQL text is shared. That works because SQLite accepts PostgreSQL's `$1` placeholders,
/// `ON CONFLICT … DO UPDATE` and `excluded.` as they are.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($pool) => $body,
            $crate::Pool::Postgres($pool) => $body,
        }
    };
}

mod api_tokens;
mod error;
mod journal;
mod keys;
mod profiles;
mod sessions;
mod throttle;
mod users;

pub use api_tokens::{ApiToken, FoundApiToken, NewApiToken};
pub use error::StoreError;
pub use journal::JournalRow;
pub use keys::{NewUserKeys, UserKeys};
pub use profiles::ProfileRecord;
pub use sessions::{NewSession, Session};
pub use users::{NewUser, User, UserId};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// How long a SQLite connection waits for another one's write to finish before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The application's database. Cloning it is cheap: every clone shares one connection pool.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
}

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

// Written by hand so that no connection option (a PostgreSQL password among them) can ever
// reach a log line through `{:?}`.
impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the database at `url` and brings its schema up to date.
    ///
    /// `sqlite:` URLs name a file (`sqlite:///var/lib/spinewise/spinewise.db`,
    /// `sqlite://relative.db`, or `sqlite::memory:` for a throwaway database); the file is
    /// created if it is missing, but its directory must exist. `postgres://` and
    /// `postgresql://` URLs take the usual libpq-style parameters, `options` among them.
    ///
    /// # Errors
    ///
    /// [`StoreError::UnsupportedUrl`] for any other scheme, [`StoreError::Database`] when the
    /// database cannot be reached or refuses the connection, [`StoreError::Migrate`] when the
    /// schema cannot be brought up to date (e.g. the database was written by a newer version).
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        match scheme_of(url) {
            Some("sqlite") => Self::open_sqlite(url).await,
            Some("postgres" | "postgresql") => Self::open_postgres(url).await,
            other => Err(StoreError::UnsupportedUrl {
                scheme: other.unwrap_or_default().to_owned(),
            }),
        }
    }

    async fn open_sqlite(url: &str) -> Result<Store, StoreError> {
        // WAL lets readers go on while one connection writes; synchronous = FULL makes a
        // commit wait for the fsync of the log, so an acknowledged write survives a power cut
        // (NORMAL, WAL's usual partner, may lose the last commits).
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(SQLITE_BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new().connect_with(options).await?;
        SQLITE_MIGRATIONS.run(&pool).await?;
        Ok(Store {
            pool: Pool::Sqlite(pool),
        })
    }

    async fn open_postgres(url: &str) -> Result<Store, StoreError> {
        // PostgreSQL's defaults (synchronous_commit = on) already make a commit durable before
        // it is acknowledged. The migrations land in the connection's current schema, so a
        // `search_path` in the URL's `options` puts the whole store in that schema.
        let pool = PgPoolOptions::new().connect(url).await?;
        POSTGRES_MIGRATIONS.run(&pool).await?;
        Ok(Store {
            pool: Pool::Postgres(pool),
        })
    }

    /// Which database this store is on: `"sqlite"` or `"postgres"`.
    pub fn backend(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// Checks that the database answers (for a readiness probe).
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] when it does not.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Waits for the queries in flight to finish and closes every connection, in every clone.
    /// Later calls on any clone fail with [`StoreError::Database`].
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }
}

/// The scheme of `url`, if it has a well-formed one. Only the scheme is ever echoed back in an
/// error: the rest of a database URL may hold a password.
fn scheme_of(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let well_formed = scheme.len() <= 32
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    well_formed.then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::scheme_of;

    #[test]
    fn schemes_are_read_up_to_the_first_colon_and_only_when_well_formed() {
        assert_eq!(scheme_of("sqlite::memory:"), Some("sqlite"));
        assert_eq!(scheme_of("postgres://u:p@h/db"), Some("postgres"));
        assert_eq!(scheme_of("mysql://root:secret@db"), Some("mysql"));
        assert_eq!(scheme_of("/var/lib/spinewise.db"), None);
        assert_eq!(scheme_of("my secret:x"), None);
        assert_eq!(scheme_of(""), None);
    }
}
