//! The one error type of the store.
//!
//! Its messages end up in logs and error pages, which must never carry health data, tokens or
//! passwords. So they name what went wrong (a scheme, a column, an error code, a constraint),
//! never a value: not a bound parameter, not a stored value, not a database URL. A database's
//! own message can quote the value it refused (PostgreSQL's "invalid input syntax for type …:
//! "…"" does), so it is left to the error's `source()` for whoever debugs with the data at hand.

use std::borrow::Cow;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another account already has this login, compared without regard to case.
    #[error("this login is already taken")]
    LoginTaken,

    /// The database URL's scheme is not one the store understands.
    #[error(
        "unsupported database URL {} (expected a URL starting with sqlite:, postgres: or postgresql:)",
        describe_scheme(scheme)
    )]
    UnsupportedUrl {
        /// The URL's scheme (the part before the first `:`), or empty if it has none.
        scheme: String,
    },

    /// A journal write would take the journal past its quota; nothing was written.
    #[error(
        "the journal would hold {} entries and {} bytes, past its bounds of {} entries and {} bytes",
        would_be.entries, would_be.bytes, quota.entries, quota.bytes
    )]
    JournalFull {
        /// What the journal holds.
        usage: crate::journal::JournalUsage,
        /// What it would have held after the write.
        would_be: crate::journal::JournalUsage,
        /// Its bounds.
        quota: crate::journal::JournalQuota,
    },

    /// A stored value cannot be read back (e.g. a pain type this version does not know).
    #[error("stored data is corrupt or from a newer version: {what}")]
    Corrupt {
        /// Which column holds the bad value, e.g. `profiles.pain_type`.
        what: &'static str,
    },

    /// What a transaction was rewriting changed under it (another write came first); the
    /// transaction was rolled back and nothing changed.
    #[error("{what} changed while it was being rewritten; nothing was changed")]
    Changed {
        /// What changed, e.g. `journal_entries`.
        what: &'static str,
    },

    /// The transaction a journal write was committed in failed as a whole (SQLite's group
    /// commit); nothing of it was written.
    #[error("the journal write was not committed: {reason}")]
    CommitFailed {
        /// What went wrong, without any value.
        reason: Cow<'static, str>,
    },

    /// The database failed or refused a statement.
    #[error("database error: {}", describe_sqlx(.0))]
    Database(#[from] sqlx::Error),

    /// The schema could not be brought up to date.
    #[error("could not apply the database migrations: {}", describe_migrate(.0))]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

fn describe_scheme(scheme: &str) -> String {
    if scheme.is_empty() {
        "without a scheme".to_owned()
    } else {
        format!("scheme '{scheme}'")
    }
}

/// A summary of a migration error: which migration, and the database's code if it failed.
fn describe_migrate(error: &sqlx::migrate::MigrateError) -> Cow<'static, str> {
    use sqlx::migrate::MigrateError;
    match error {
        MigrateError::Execute(error) => describe_sqlx(error),
        MigrateError::ExecuteMigration(error, version) => Cow::Owned(format!(
            "migration {version} failed: {}",
            describe_sqlx(error)
        )),
        MigrateError::VersionMissing(version) => Cow::Owned(format!(
            "migration {version} was applied but is unknown to this version (the database \
             was written by a newer spinewise)"
        )),
        MigrateError::VersionMismatch(version) => Cow::Owned(format!(
            "migration {version} was applied but has been changed since"
        )),
        MigrateError::Dirty(version) => {
            Cow::Owned(format!("migration {version} was only partly applied"))
        }
        _ => "unexpected migration error".into(),
    }
}

/// A summary of a sqlx error that holds no value from the statement or the database.
fn describe_sqlx(error: &sqlx::Error) -> Cow<'static, str> {
    match error {
        sqlx::Error::Database(db) => {
            let mut text = String::from("the database refused the statement");
            if let Some(code) = db.code() {
                text.push_str(&format!(" (code {code}"));
                if let Some(constraint) = db.constraint() {
                    text.push_str(&format!(", constraint {constraint}"));
                }
                text.push(')');
            }
            Cow::Owned(text)
        }
        sqlx::Error::Configuration(_) => "invalid database URL or settings".into(),
        sqlx::Error::Io(io) => Cow::Owned(format!("I/O error ({})", io.kind())),
        sqlx::Error::Tls(_) => "TLS error".into(),
        sqlx::Error::Protocol(_) => "protocol error".into(),
        sqlx::Error::PoolTimedOut => "timed out waiting for a connection".into(),
        sqlx::Error::PoolClosed => "the store has been closed".into(),
        sqlx::Error::RowNotFound => "no row found".into(),
        sqlx::Error::ColumnNotFound(column) => Cow::Owned(format!("no column {column}")),
        sqlx::Error::ColumnDecode { index, .. } => {
            Cow::Owned(format!("cannot decode column {index}"))
        }
        _ => "unexpected error".into(),
    }
}
