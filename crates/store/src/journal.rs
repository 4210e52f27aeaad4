//! The journal: a user's entries, each sealed by the application before it reaches the store.
//!
//! An entry is an id the client chose (so that a retried create is recognised), the sealed
//! bytes and the time of the last write. Nothing else is in the clear — not the entry's kind,
//! not its date — so the store can neither read nor sort entries by their content; listings
//! are ordered by id, byte by byte, on both backends. Every query is keyed by the owner's id:
//! two users may use the same entry id and never see each other's entry.

use std::fmt;

use crate::database::Store;
use crate::error::StoreError;
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

impl Store {
    /// Stores a new entry, unless the user already has one with this id. Returns whether it
    /// was stored: `false` means an entry with this id exists and was left as it was, which
    /// makes a create with a client-chosen id safe to retry.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the user does not exist, the id is empty or longer than
    /// 64 characters, or the database fails.
    pub async fn insert_entry(
        &self,
        user_id: &UserId,
        id: &str,
        sealed: &[u8],
        now: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "INSERT INTO journal_entries (user_id, id, sealed, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, id) DO NOTHING";
        let inserted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(user_id.as_str())
            .bind(id)
            .bind(sealed)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(inserted > 0)
    }

    /// Stores an entry, replacing the user's entry with this id if there is one.
    ///
    /// # Errors
    ///
    /// As [`Store::insert_entry`].
    pub async fn put_entry(
        &self,
        user_id: &UserId,
        id: &str,
        sealed: &[u8],
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(UPSERT_SQL)
                .bind(user_id.as_str())
                .bind(id)
                .bind(sealed)
                .bind(now)
                .execute(pool)
                .await?;
        });
        Ok(())
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
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(user_id.as_str())
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted > 0)
    }

    /// Deletes every entry of the user's journal. Returns how many there were.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn delete_journal(&self, user_id: &UserId) -> Result<u64, StoreError> {
        const SQL: &str = "DELETE FROM journal_entries WHERE user_id = $1";
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(user_id.as_str())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted)
    }

    /// Writes a batch of `(id, sealed)` entries (an import) in one transaction: all of them
    /// or, if any fails, none. With `replace_all` the user's journal is emptied first, so
    /// that afterwards it holds exactly the batch; otherwise each entry is created or
    /// replaced, and the user's other entries stay. Within the batch, a later entry with the
    /// same id replaces an earlier one. Returns how many entries were written.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the user does not exist, an id is empty or longer than 64
    /// characters, or the database fails; the journal is then as it was.
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
        let written = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            if replace_all {
                sqlx::query(DELETE_SQL)
                    .bind(user_id.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            let mut written = 0;
            for (id, sealed) in rows {
                // A failure returns here, dropping the transaction, which rolls it back.
                written += sqlx::query(UPSERT_SQL)
                    .bind(user_id.as_str())
                    .bind(id.as_ref())
                    .bind(sealed.as_ref())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
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

/// Creates an entry or replaces the one with the same owner and id.
const UPSERT_SQL: &str = "INSERT INTO journal_entries (user_id, id, sealed, updated_at) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, id) DO UPDATE SET \
     sealed = excluded.sealed, updated_at = excluded.updated_at";
