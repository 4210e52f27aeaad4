//! The database a [`Store`] holds: SQLite or PostgreSQL behind one type, opened from a URL with
//! its schema brought up to date, and closed.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::error::StoreError;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// How long a SQLite connection waits for another one's write to finish before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The application's database. Cloning it is cheap: every clone shares one connection pool.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: Pool,
    /// The server secrets read so far ([`Store::server_secret`]).
    pub(crate) secrets: crate::secrets::Remembered,
    /// The bounds of every journal.
    pub(crate) journal_quota: crate::journal::JournalQuota,
    /// The task that commits journal writes together (SQLite only).
    pub(crate) writer: Option<crate::group_commit::Writer>,
}

/// The connection pool of one backend or the other.
#[derive(Clone)]
pub(crate) enum Pool {
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
            .busy_timeout(SQLITE_BUSY_TIMEOUT)
            // Deleted rows (an entry, a whole journal, an account) are overwritten with
            // zeros, not left in free pages of the file.
            .pragma("secure_delete", "ON");
        create_private(options.get_filename())?;
        let pool = SqlitePoolOptions::new().connect_with(options).await?;
        SQLITE_MIGRATIONS.run(&pool).await?;
        Ok(Store {
            writer: Some(crate::group_commit::Writer::start(pool.clone())),
            pool: Pool::Sqlite(pool),
            secrets: crate::secrets::Remembered::default(),
            journal_quota: crate::journal::JournalQuota::STANDARD,
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
            secrets: crate::secrets::Remembered::default(),
            journal_quota: crate::journal::JournalQuota::STANDARD,
            writer: None,
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

/// Creates the database file, if it is missing, readable and writable by its owner only
/// (0600); SQLite gives its write-ahead log and shared-memory files the same permissions. An
/// existing file keeps the permissions it has. A name that is not a file (an in-memory
/// database) is left alone.
fn create_private(path: &std::path::Path) -> Result<(), StoreError> {
    let name = path.to_string_lossy();
    if name.is_empty() || name.starts_with(':') || name.starts_with("file:") || path.exists() {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        // Another process made it meanwhile: it keeps the permissions it was made with.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Database(sqlx::Error::Io(e))),
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
