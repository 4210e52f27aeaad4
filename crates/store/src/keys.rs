//! Each account's data key, stored only wrapped.
//!
//! The key that encrypts a user's journal is kept twice, each time encrypted ("wrapped") under
//! a key derived from a secret the server does not store: the password, and the recovery code
//! shown once at sign-up. The store sees opaque bytes; the caller wraps and unwraps. What it
//! guarantees is that the wrapped keys change together with what they depend on: an account
//! is created with its keys in one transaction, and a password change replaces the password
//! hash and the password-wrapped key in one transaction, so that no crash can leave a
//! password that signs in but no longer opens the journal.

use std::fmt;

use crate::database::Store;
use crate::error::StoreError;
use crate::ids::UserId;

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
