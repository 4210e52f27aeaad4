//! Each account's data key, stored only wrapped.
//!
//! The key that encrypts a user's journal is kept twice, each time encrypted ("wrapped") under
//! a key derived from a secret the server does not store: the password, and the recovery code
//! shown once at sign-up. The store sees opaque bytes; the caller wraps and unwraps. What it
//! guarantees is that the wrapped keys change together with what they depend on: an account
//! is created with its keys in one transaction, and a password change replaces the password
//! hash and the password-wrapped key in one transaction, so that no crash can leave a
//! password that signs in but no longer opens the journal.
//!
//! A new data key ([`Store::rotate_data_key`]) is one transaction too: every journal row and
//! the profile re-sealed under it (the rows under their new pseudonyms), both wrapped keys
//! replaced, every session and API token (which carry the old key) ended and the new session
//! begun. A crash at any point leaves the old key opening everything, or the new one; never
//! some rows under each.
//!
//! Test hook: in debug builds only, `SPINEWISE_TEST_REKEY_PAUSE_MS` makes the rotation sleep
//! that many milliseconds after each journal row, inside the transaction, so that a test can
//! kill the process in the middle of it. Release builds do not read it.

use std::fmt;

use crate::database::Store;
use crate::error::StoreError;
use crate::ids::UserId;
use crate::sessions::NewSession;

/// The wrapped keys of a new account, for [`Store::create_user_with_keys`].
#[derive(Clone, Copy)]
pub struct NewUserKeys<'a> {
    /// The data key wrapped under the password.
    pub password_wrapped: &'a [u8],
    /// The data key wrapped under the recovery code.
    pub recovery_wrapped: &'a [u8],
}

impl fmt::Debug for NewUserKeys<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUserKeys")
            .field("password_wrapped", &"<redacted>")
            .field("recovery_wrapped", &"<redacted>")
            .finish()
    }
}

/// An account's wrapped keys as stored.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserKeys {
    /// The data key wrapped under the password.
    pub password_wrapped: Vec<u8>,
    /// The data key wrapped under the recovery code.
    pub recovery_wrapped: Vec<u8>,
    /// When the keys were first stored (unix seconds).
    pub created_at: i64,
    /// When either was last replaced (unix seconds).
    pub updated_at: i64,
}

impl fmt::Debug for UserKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserKeys")
            .field("password_wrapped", &"<redacted>")
            .field("recovery_wrapped", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

impl Store {
    /// The account's wrapped keys, if it has any (accounts made before keys existed have
    /// none until [`Store::put_user_keys`] gives them some).
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn user_keys(&self, user_id: &UserId) -> Result<Option<UserKeys>, StoreError> {
        const SQL: &str = "SELECT password_wrapped, recovery_wrapped, created_at, updated_at \
             FROM user_keys WHERE user_id = $1";
        let row = on_pool!(self, pool => sqlx::query_as::<_, UserKeys>(SQL)
            .bind(user_id.as_str())
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// Stores an account's first wrapped keys unless it already has some (two sign-ins at
    /// once must not give one account two keys). Returns whether these were stored.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the account does not exist or the database fails.
    pub async fn insert_user_keys(
        &self,
        user_id: &UserId,
        password_wrapped: &[u8],
        recovery_wrapped: &[u8],
        now: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "INSERT INTO user_keys \
             (user_id, password_wrapped, recovery_wrapped, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) ON CONFLICT (user_id) DO NOTHING";
        let inserted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(user_id.as_str())
            .bind(password_wrapped)
            .bind(recovery_wrapped)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(inserted > 0)
    }

    /// Stores an account's wrapped keys, replacing any it had (its creation time is kept).
    /// For accounts made before keys existed, and for a new recovery code.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the account does not exist or the database fails.
    pub async fn put_user_keys(
        &self,
        user_id: &UserId,
        password_wrapped: &[u8],
        recovery_wrapped: &[u8],
        now: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO user_keys \
             (user_id, password_wrapped, recovery_wrapped, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) \
             ON CONFLICT (user_id) DO UPDATE SET \
             password_wrapped = excluded.password_wrapped, \
             recovery_wrapped = excluded.recovery_wrapped, \
             updated_at = excluded.updated_at";
        on_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(user_id.as_str())
                .bind(password_wrapped)
                .bind(recovery_wrapped)
                .bind(now)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Replaces the data key wrapped under the recovery code (a new recovery code: the old one
    /// stops opening the journal). Returns whether the account had keys to replace.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn replace_recovery_wrapped(
        &self,
        user_id: &UserId,
        recovery_wrapped: &[u8],
        now: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE user_keys SET recovery_wrapped = $1, updated_at = $2 \
             WHERE user_id = $3";
        let updated = on_pool!(self, pool => sqlx::query(SQL)
            .bind(recovery_wrapped)
            .bind(now)
            .bind(user_id.as_str())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(updated > 0)
    }

    /// Sets a new password: the hash and its date, and the data key rewrapped under the new
    /// password, in one transaction. Returns whether the account exists; nothing is written
    /// if it does not.
    ///
    /// An account without keys (made before keys existed) gets its new hash and still has no
    /// keys: [`Store::put_user_keys`] is how it gets some. Sessions are left alone, as with
    /// [`Store::set_password_hash`].
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails (and then nothing is written).
    pub async fn change_password(
        &self,
        user_id: &UserId,
        password_hash: &str,
        password_wrapped: &[u8],
        now: i64,
    ) -> Result<bool, StoreError> {
        const HASH_SQL: &str =
            "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3";
        const KEY_SQL: &str = "UPDATE user_keys SET password_wrapped = $1, updated_at = $2 \
             WHERE user_id = $3";
        let changed = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(HASH_SQL)
                .bind(password_hash)
                .bind(now)
                .bind(user_id.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed > 0 {
                sqlx::query(KEY_SQL)
                    .bind(password_wrapped)
                    .bind(now)
                    .bind(user_id.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            changed
        });
        Ok(changed > 0)
    }
}

/// One journal row re-sealed under a new data key, for [`Store::rotate_data_key`].
#[derive(Clone, Copy)]
pub struct Resealed<'a> {
    /// The row's id now.
    pub old_id: &'a str,
    /// Its bytes now: the row is rewritten only if it still holds them.
    pub old_sealed: &'a [u8],
    /// Its id under the new key.
    pub new_id: &'a str,
    /// Its bytes sealed under the new key.
    pub new_sealed: &'a [u8],
}

impl fmt::Debug for Resealed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resealed")
            .field("old_id", &self.old_id)
            .field("new_id", &self.new_id)
            .finish_non_exhaustive()
    }
}

/// Everything a new data key changes, for [`Store::rotate_data_key`].
pub struct Rotation<'a> {
    /// Every row of the user's journal, re-sealed.
    pub entries: &'a [Resealed<'a>],
    /// The sealed profile as it is and re-sealed, if the user has one.
    pub profile: Option<(&'a [u8], &'a [u8])>,
    /// The new key wrapped under the password.
    pub password_wrapped: &'a [u8],
    /// The new key wrapped under the new recovery code.
    pub recovery_wrapped: &'a [u8],
    /// The partner link's key as wrapped under the old data key and under the new one, if
    /// the user is linked. An open invitation to link is cancelled either way (it holds the
    /// link key under the old data key).
    pub link_key: Option<(&'a [u8], &'a [u8])>,
    /// The session that holds the new key (every other one ends).
    pub session: &'a NewSession<'a>,
    /// The time (unix seconds).
    pub now: i64,
}

impl fmt::Debug for Rotation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rotation")
            .field("entries", &self.entries.len())
            .field("profile", &self.profile.is_some())
            .field("link_key", &self.link_key.is_some())
            .field("now", &self.now)
            .finish_non_exhaustive()
    }
}

/// What a rotation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotated {
    /// How many sessions ended (the one that asked among them).
    pub sessions_ended: u64,
    /// The names of the API tokens revoked.
    pub tokens_revoked: Vec<String>,
}

/// The pause after each row of a rotation, from the test hook (debug builds only).
fn rotation_pause() -> Option<std::time::Duration> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var("SPINEWISE_TEST_REKEY_PAUSE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(std::time::Duration::from_millis)
}

impl Store {
    /// Puts an account under a new data key, in one transaction: every journal row and the
    /// sealed profile replaced by their re-sealed bytes (each row only if it still holds the
    /// bytes it was read with, and the journal only if it holds no row besides them), both
    /// wrapped keys replaced, every session and API token of the account ended (they carry
    /// the old key), and the new session begun. Write times are kept.
    ///
    /// # Errors
    ///
    /// [`StoreError::Changed`] if the journal, the profile or the keys are not as they were
    /// read (a write came in between); [`StoreError::Database`] if the database fails. In
    /// either case nothing has changed: the old key still opens everything.
    pub async fn rotate_data_key(
        &self,
        user_id: &UserId,
        rotation: &Rotation<'_>,
    ) -> Result<Rotated, StoreError> {
        const KEYS_SQL: &str = "UPDATE user_keys SET password_wrapped = $1, \
             recovery_wrapped = $2, updated_at = $3 WHERE user_id = $4";
        const ROW_SQL: &str = "UPDATE journal_entries SET id = $1, sealed = $2 \
             WHERE user_id = $3 AND id = $4 AND sealed = $5";
        const COUNT_ROWS_SQL: &str = "SELECT COUNT(*) FROM journal_entries WHERE user_id = $1";
        const PROFILE_SQL: &str = "UPDATE sealed_profiles SET sealed = $1 \
             WHERE user_id = $2 AND sealed = $3";
        const COUNT_PROFILES_SQL: &str = "SELECT COUNT(*) FROM sealed_profiles WHERE user_id = $1";
        const LINK_KEY_SQL: &str = "UPDATE partner_members SET wrapped_key = $1 \
             WHERE user_id = $2 AND wrapped_key = $3";
        const COUNT_LINKS_SQL: &str = "SELECT COUNT(*) FROM partner_members WHERE user_id = $1";
        const INVITATION_SQL: &str = "DELETE FROM partner_invitations WHERE user_id = $1";
        const SESSIONS_SQL: &str = "DELETE FROM sessions WHERE user_id = $1";
        const TOKENS_SQL: &str = "DELETE FROM api_tokens WHERE user_id = $1 RETURNING name";
        const NEW_SESSION_SQL: &str = "INSERT INTO sessions \
             (id_hash, user_id, csrf_token, created_at, idle_expires_at, absolute_expires_at, \
             wrapped_key, shown_once) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        let pause = rotation_pause();
        let user = user_id.as_str();
        let new = rotation.session;
        let rotated = on_pool!(self, pool => {
            // Any error returns here, dropping the transaction, which rolls it back.
            let mut tx = pool.begin().await?;
            // The keys first: on SQLite this takes the write lock at once.
            let keys = sqlx::query(KEYS_SQL)
                .bind(rotation.password_wrapped)
                .bind(rotation.recovery_wrapped)
                .bind(rotation.now)
                .bind(user)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if keys != 1 {
                return Err(StoreError::Changed { what: "user_keys" });
            }
            for row in rotation.entries {
                let moved = sqlx::query(ROW_SQL)
                    .bind(row.new_id)
                    .bind(row.new_sealed)
                    .bind(user)
                    .bind(row.old_id)
                    .bind(row.old_sealed)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if moved != 1 {
                    return Err(StoreError::Changed { what: "journal_entries" });
                }
                if let Some(pause) = pause {
                    tokio::time::sleep(pause).await;
                }
            }
            let rows: i64 = sqlx::query_scalar(COUNT_ROWS_SQL)
                .bind(user)
                .fetch_one(&mut *tx)
                .await?;
            if usize::try_from(rows).ok() != Some(rotation.entries.len()) {
                return Err(StoreError::Changed { what: "journal_entries" });
            }
            match rotation.profile {
                Some((old, new_sealed)) => {
                    let updated = sqlx::query(PROFILE_SQL)
                        .bind(new_sealed)
                        .bind(user)
                        .bind(old)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    if updated != 1 {
                        return Err(StoreError::Changed { what: "sealed_profiles" });
                    }
                }
                None => {
                    let profiles: i64 = sqlx::query_scalar(COUNT_PROFILES_SQL)
                        .bind(user)
                        .fetch_one(&mut *tx)
                        .await?;
                    if profiles != 0 {
                        return Err(StoreError::Changed { what: "sealed_profiles" });
                    }
                }
            }
            match rotation.link_key {
                Some((old, new_wrapped)) => {
                    let updated = sqlx::query(LINK_KEY_SQL)
                        .bind(new_wrapped)
                        .bind(user)
                        .bind(old)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    if updated != 1 {
                        return Err(StoreError::Changed { what: "partner_members" });
                    }
                }
                None => {
                    let links: i64 = sqlx::query_scalar(COUNT_LINKS_SQL)
                        .bind(user)
                        .fetch_one(&mut *tx)
                        .await?;
                    if links != 0 {
                        return Err(StoreError::Changed { what: "partner_members" });
                    }
                }
            }
            sqlx::query(INVITATION_SQL).bind(user).execute(&mut *tx).await?;
            let sessions_ended = sqlx::query(SESSIONS_SQL)
                .bind(user)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let tokens_revoked: Vec<String> = sqlx::query_scalar(TOKENS_SQL)
                .bind(user)
                .fetch_all(&mut *tx)
                .await?;
            sqlx::query(NEW_SESSION_SQL)
                .bind(new.id_hash)
                .bind(user)
                .bind(new.csrf_token)
                .bind(new.created_at)
                .bind(new.idle_expires_at.min(new.absolute_expires_at))
                .bind(new.absolute_expires_at)
                .bind(new.wrapped_key)
                .bind(new.shown_once)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Rotated {
                sessions_ended,
                tokens_revoked,
            }
        });
        Ok(rotated)
    }
}
