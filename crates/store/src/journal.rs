//! The journal: a user's entries, each sealed by the application before it reaches the store.
//!
//! An entry is an id the client chose (so that a retried create is recognised), the sealed
//! bytes and the time of the last write. Nothing else is in the clear — not the entry's kind,
//! not its date — so the store can neither read nor sort entries by their content; listings
//! are ordered by id, byte by byte, on both backends. Every query is keyed by the owner's id:
//! two users may use the same entry id and never see each other's entry.
//!
//! A journal is bounded ([`JournalQuota`]): every write that adds rows or bytes counts the
//! journal inside its own transaction, after taking the owner's lock, and is rolled back whole
//! when it would pass a bound, so that writes sent at the same time cannot overshoot it
//! together.

use std::fmt;

use crate::database::Store;
use crate::error::StoreError;
use crate::group_commit::{Write, WriteKind};
use crate::ids::UserId;

/// One journal entry as stored.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JournalRow {
    /// The entry's id, chosen by the client (1 to 64 characters).
    pub id: String,
    /// The entry, sealed under the user's data key.
    pub sealed: Vec<u8>,
    /// When it was last written (unix seconds).
    pub updated_at: i64,
}

impl fmt::Debug for JournalRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JournalRow")
            .field("id", &self.id)
            .field("sealed", &format_args!("<{} bytes>", self.sealed.len()))
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

/// The most one user's journal may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalQuota {
    /// Entries.
    pub entries: u64,
    /// Bytes of sealed entries, as stored.
    pub bytes: u64,
}

impl JournalQuota {
    /// The bounds of every journal unless a server is set up otherwise: 50,000 entries (forty
    /// years of daily check-ins is 14,610, with room for as many intimacy and exercise logs
    /// besides, and the weekly PEG) and 64 MiB of sealed entries (a sealed entry is 297 bytes
    /// for a check-in and rarely more than a kilobyte with a note, so that 50,000 entries fit
    /// with notes to spare).
    pub const STANDARD: JournalQuota = JournalQuota {
        entries: 50_000,
        bytes: 64 * 1024 * 1024,
    };
}

/// What one user's journal holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JournalUsage {
    /// Entries.
    pub entries: u64,
    /// Bytes of sealed entries, as stored.
    pub bytes: u64,
}

impl JournalUsage {
    /// Whether this passes `quota` where `before` did not already: a write may keep a journal
    /// that is over a bound (one lowered since) where it is, or shrink it, but not grow it.
    pub(crate) fn outgrows(&self, before: &JournalUsage, quota: &JournalQuota) -> bool {
        (self.entries > quota.entries && self.entries > before.entries)
            || (self.bytes > quota.bytes && self.bytes > before.bytes)
    }
}

/// How many entries and sealed bytes a user's journal holds: one row, kept by the database's
/// triggers (migration 0009, `journal_stats`); none for a journal never written.
pub(crate) const USAGE_SQL: &str = "SELECT COALESCE(MAX(entries), 0), COALESCE(MAX(bytes), 0) \
     FROM journal_stats WHERE user_id = $1";

/// The first statement of every journal write (the group commit's `BEGIN IMMEDIATE` does the
/// same on SQLite): it writes the user's row without changing it, which takes that row's lock
/// on PostgreSQL (held to the commit, so that two writes to one journal take turns and each
/// counts what the other wrote, and so that every write locks the user before the journal's
/// entries and its `journal_stats` row, in one order, never crossing another) and the
/// database's write lock on SQLite (before anything is read, so that the count is never of an
/// older snapshot).
const LOCK_SQL: &str = "UPDATE users SET demo = demo WHERE id = $1";

pub(crate) fn usage_of((entries, bytes): (i64, i64)) -> JournalUsage {
    JournalUsage {
        entries: u64::try_from(entries).unwrap_or(0),
        bytes: u64::try_from(bytes).unwrap_or(0),
    }
}

/// Runs `$writes` (which use `$tx`) in a transaction on `$pool` that holds the user's lock,
/// and commits only if the journal stays within the store's quota; yields the writes' value.
macro_rules! bounded_write {
    ($store:expr, $user:expr, $pool:ident, $tx:ident => $writes:expr) => {{
        let quota = $store.journal_quota;
        let user: &str = $user.as_str();
        on_pool!($store, $pool => {
            let mut $tx = $pool.begin().await?;
            sqlx::query(LOCK_SQL).bind(user).execute(&mut *$tx).await?;
            let before = usage_of(
                sqlx::query_as::<_, (i64, i64)>(USAGE_SQL)
                    .bind(user)
                    .fetch_one(&mut *$tx)
                    .await?,
            );
            // A failure returns here, dropping the transaction, which rolls it back.
            let value = $writes;
            let after = usage_of(
                sqlx::query_as::<_, (i64, i64)>(USAGE_SQL)
                    .bind(user)
                    .fetch_one(&mut *$tx)
                    .await?,
            );
            if after.outgrows(&before, &quota) {
                $tx.rollback().await?;
                return Err(StoreError::JournalFull {
                    usage: before,
                    would_be: after,
                    quota,
                });
            }
            $tx.commit().await?;
            value
        })
    }};
}

impl Store {
    /// The bounds of every journal in this store ([`JournalQuota::STANDARD`] unless set with
    /// [`Store::with_journal_quota`]).
    pub fn journal_quota(&self) -> JournalQuota {
        self.journal_quota
    }

    /// This store with other bounds on every journal.
    #[must_use]
    pub fn with_journal_quota(mut self, quota: JournalQuota) -> Store {
        self.journal_quota = quota;
        self
    }

    /// This store with SQLite's group commit of journal writes on (as it opens) or off: off,
    /// each write is its own transaction on its own connection, as on PostgreSQL. Only for
    /// measuring the one against the other; no effect on PostgreSQL.
    #[must_use]
    pub fn with_group_commit(mut self, on: bool) -> Store {
        if !on {
            self.writer = None;
        } else if self.writer.is_none()
            && let crate::database::Pool::Sqlite(pool) = &self.pool
        {
            self.writer = Some(crate::group_commit::Writer::start(pool.clone()));
        }
        self
    }

    /// How much the user's journal holds.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn journal_usage(&self, user_id: &UserId) -> Result<JournalUsage, StoreError> {
        let counted = on_pool!(self, pool => sqlx::query_as::<_, (i64, i64)>(USAGE_SQL)
            .bind(user_id.as_str())
            .fetch_one(pool)
            .await?);
        Ok(usage_of(counted))
    }

    /// The journal's version: a number that goes up with every change to the user's entries
    /// (a write, a replacement, a deletion, an import, a move, a new key), kept by the
    /// database and so shared by every instance on it; 0 for a journal never written. What
    /// was computed from the journal at one version is current while the version is the same.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn journal_version(&self, user_id: &UserId) -> Result<u64, StoreError> {
        const SQL: &str = "SELECT COALESCE(MAX(version), 0) FROM journal_stats WHERE user_id = $1";
        let version = on_pool!(self, pool => sqlx::query_scalar::<_, i64>(SQL)
            .bind(user_id.as_str())
            .fetch_one(pool)
            .await?);
        Ok(u64::try_from(version).unwrap_or(0))
    }

    /// Stores a new entry, unless the user already has one with this id. Returns whether it
    /// was stored: `false` means an entry with this id exists and was left as it was, which
    /// makes a create with a client-chosen id safe to retry.
    ///
    /// # Errors
    ///
    /// [`StoreError::JournalFull`] if the entry would take the journal past its quota;
    /// [`StoreError::Database`] if the user does not exist, the id is empty or longer than
    /// 64 characters, or the database fails.
    pub async fn insert_entry(
        &self,
        user_id: &UserId,
        id: &str,
        sealed: &[u8],
        now: i64,
    ) -> Result<bool, StoreError> {
        if let Some(inserted) = self
            .grouped(WriteKind::Insert, user_id, id, sealed, now)
            .await
        {
            return Ok(inserted? > 0);
        }
        let inserted = bounded_write!(self, user_id, pool, tx => sqlx::query(INSERT_SQL)
            .bind(user_id.as_str())
            .bind(id)
            .bind(sealed)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected());
        Ok(inserted > 0)
    }

    /// Stores an entry, replacing the user's entry with this id if there is one.
    ///
    /// # Errors
    ///
    /// As [`Store::insert_entry`]: a replacement that makes the entry larger counts too.
    pub async fn put_entry(
        &self,
        user_id: &UserId,
        id: &str,
        sealed: &[u8],
        now: i64,
    ) -> Result<(), StoreError> {
        if let Some(done) = self.grouped(WriteKind::Put, user_id, id, sealed, now).await {
            return done.map(|_| ());
        }
        bounded_write!(self, user_id, pool, tx => {
            sqlx::query(UPSERT_SQL)
                .bind(user_id.as_str())
                .bind(id)
                .bind(sealed)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// Hands a write to the group commit (SQLite): the rows it changed; `None` when it is to
    /// be written directly (PostgreSQL, where nothing is copied for it, or a writer task that
    /// is gone).
    async fn grouped(
        &self,
        kind: WriteKind,
        user_id: &UserId,
        id: &str,
        sealed: &[u8],
        now: i64,
    ) -> Option<Result<u64, StoreError>> {
        let writer = self.writer.as_ref()?;
        let write = Write {
            kind,
            user: user_id.as_str().to_owned(),
            id: id.to_owned(),
            sealed: sealed.to_vec(),
            now,
            quota: self.journal_quota,
        };
        writer.write(write).await
    }

    /// The user's entry with this id.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn entry(
        &self,
        user_id: &UserId,
        id: &str,
    ) -> Result<Option<JournalRow>, StoreError> {
        const SQL: &str = "SELECT id, sealed, updated_at FROM journal_entries \
             WHERE user_id = $1 AND id = $2";
        let row = on_pool!(self, pool => sqlx::query_as::<_, JournalRow>(SQL)
            .bind(user_id.as_str())
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// All of the user's entries, ordered by id (byte by byte, on both backends).
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn entries(&self, user_id: &UserId) -> Result<Vec<JournalRow>, StoreError> {
        // The column's collation (SQLite's BINARY, PostgreSQL's "C") makes this byte order.
        const SQL: &str = "SELECT id, sealed, updated_at FROM journal_entries \
             WHERE user_id = $1 ORDER BY id";
        let rows = on_pool!(self, pool => sqlx::query_as::<_, JournalRow>(SQL)
            .bind(user_id.as_str())
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }

    /// Deletes the user's entry with this id. Returns whether there was one: another user's
    /// entry with the same id is neither found nor deleted.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn delete_entry(&self, user_id: &UserId, id: &str) -> Result<bool, StoreError> {
        const SQL: &str = "DELETE FROM journal_entries WHERE user_id = $1 AND id = $2";
        let deleted = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // The user's lock first, as every write to a journal takes it (see LOCK_SQL).
            sqlx::query(LOCK_SQL).bind(user_id.as_str()).execute(&mut *tx).await?;
            let deleted = sqlx::query(SQL)
                .bind(user_id.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            deleted
        });
        Ok(deleted > 0)
    }

    /// Deletes every entry of the user's journal. Returns how many there were.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn delete_journal(&self, user_id: &UserId) -> Result<u64, StoreError> {
        const SQL: &str = "DELETE FROM journal_entries WHERE user_id = $1";
        let deleted = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(LOCK_SQL).bind(user_id.as_str()).execute(&mut *tx).await?;
            let deleted = sqlx::query(SQL)
                .bind(user_id.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            deleted
        });
        Ok(deleted)
    }

    /// Writes a batch of `(id, sealed)` entries (an import) in one transaction: all of them
    /// or, if any fails, none. With `replace_all` the user's journal is emptied first, so
    /// that afterwards it holds exactly the batch; otherwise each entry is created or
    /// replaced, and the user's other entries stay. Within the batch, a later entry with the
    /// same id replaces an earlier one. Returns how many entries were written.
    ///
    /// The quota is checked on what the journal holds afterwards (with `replace_all`, the
    /// batch alone).
    ///
    /// # Errors
    ///
    /// [`StoreError::JournalFull`] if the journal would end up past its quota;
    /// [`StoreError::Database`] if the user does not exist, an id is empty or longer than 64
    /// characters, or the database fails. The journal is then as it was.
    pub async fn import_entries<I, S>(
        &self,
        user_id: &UserId,
        rows: &[(I, S)],
        replace_all: bool,
        now: i64,
    ) -> Result<u64, StoreError>
    where
        I: AsRef<str> + Sync,
        S: AsRef<[u8]> + Sync,
    {
        const DELETE_SQL: &str = "DELETE FROM journal_entries WHERE user_id = $1";
        let written = bounded_write!(self, user_id, pool, tx => {
            if replace_all {
                sqlx::query(DELETE_SQL)
                    .bind(user_id.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            let mut written = 0;
            for (id, sealed) in rows {
                written += sqlx::query(UPSERT_SQL)
                    .bind(user_id.as_str())
                    .bind(id.as_ref())
                    .bind(sealed.as_ref())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            written
        });
        Ok(written)
    }
}

impl Store {
    /// Moves entries to new ids, each with its bytes sealed again for the new id, in one
    /// transaction: `(old id, new id, sealed)`. Keeps each entry's write time. Returns how many
    /// moved (an old id no longer there is skipped).
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails; nothing has moved then.
    pub async fn move_entries<O, N, S>(
        &self,
        user_id: &UserId,
        moves: &[(O, N, S)],
    ) -> Result<u64, StoreError>
    where
        O: AsRef<str> + Sync,
        N: AsRef<str> + Sync,
        S: AsRef<[u8]> + Sync,
    {
        const MOVE_SQL: &str = "UPDATE journal_entries SET id = $1, sealed = $2 \
             WHERE user_id = $3 AND id = $4";
        let moved = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(LOCK_SQL).bind(user_id.as_str()).execute(&mut *tx).await?;
            let mut moved = 0;
            for (old, new, sealed) in moves {
                moved += sqlx::query(MOVE_SQL)
                    .bind(new.as_ref())
                    .bind(sealed.as_ref())
                    .bind(user_id.as_str())
                    .bind(old.as_ref())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            moved
        });
        Ok(moved)
    }
}

/// Creates an entry unless the owner has one with the same id.
pub(crate) const INSERT_SQL: &str = "INSERT INTO journal_entries (user_id, id, sealed, updated_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, id) DO NOTHING";

/// Creates an entry or replaces the one with the same owner and id.
pub(crate) const UPSERT_SQL: &str = "INSERT INTO journal_entries (user_id, id, sealed, updated_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, id) DO UPDATE SET \
     sealed = excluded.sealed, updated_at = excluded.updated_at";
