//! Server-side sessions, shared by every server instance on the database.
//!
//! The cookie holds a random token; the store keeps only its hash (the caller hashes), so that
//! a leaked copy of the database cannot be used to sign in. A session ends at whichever comes
//! first: its idle expiry, which each use may push forward, or its absolute expiry, which
//! nothing extends.
//!
//! A session may also carry the user's data key wrapped under the cookie's token (which the
//! store never sees), so that requests made with the cookie can open the journal and a copy
//! of the database cannot.

use std::fmt;

use crate::database::Store;
use crate::error::StoreError;
use crate::ids::UserId;

/// What [`Store::create_session`] needs.
#[derive(Clone, Copy)]
pub struct NewSession<'a> {
    /// The hash of the session token in the cookie.
    pub id_hash: &'a str,
    /// Whose session it is.
    pub user_id: &'a UserId,
    /// The token forms and cookie-authenticated API calls must echo.
    pub csrf_token: &'a str,
    /// When the session starts (unix seconds).
    pub created_at: i64,
    /// When it ends if unused (unix seconds); capped at `absolute_expires_at`.
    pub idle_expires_at: i64,
    /// When it ends regardless of use (unix seconds).
    pub absolute_expires_at: i64,
    /// The user's data key wrapped under the cookie's token, if the session opens the journal.
    pub wrapped_key: Option<&'a [u8]>,
    /// A secret to show the person once, sealed under the cookie's token (see
    /// [`Session::shown_once`]).
    pub shown_once: Option<&'a [u8]>,
}

impl fmt::Debug for NewSession<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSession")
            .field("id_hash", &self.id_hash)
            .field("user_id", &self.user_id)
            .field("csrf_token", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("idle_expires_at", &self.idle_expires_at)
            .field("absolute_expires_at", &self.absolute_expires_at)
            .field("wrapped_key", &redacted(self.wrapped_key.is_some()))
            .field("shown_once", &redacted(self.shown_once.is_some()))
            .finish()
    }
}

/// A live session as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// The hash of the session token in the cookie.
    pub id_hash: String,
    /// Whose session it is.
    pub user_id: UserId,
    /// The token forms and cookie-authenticated API calls must echo.
    pub csrf_token: String,
    /// When the session started (unix seconds).
    pub created_at: i64,
    /// When it ends if unused (unix seconds); never after `absolute_expires_at`.
    pub idle_expires_at: i64,
    /// When it ends regardless of use (unix seconds).
    pub absolute_expires_at: i64,
    /// The user's data key wrapped under the cookie's token, if the session opens the journal.
    pub wrapped_key: Option<Vec<u8>>,
    /// A secret waiting to be shown to the person once (a new recovery code or API token),
    /// sealed under the cookie's token, until they say they have saved it.
    pub shown_once: Option<Vec<u8>>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("id_hash", &self.id_hash)
            .field("user_id", &self.user_id)
            .field("csrf_token", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("idle_expires_at", &self.idle_expires_at)
            .field("absolute_expires_at", &self.absolute_expires_at)
            .field("wrapped_key", &redacted(self.wrapped_key.is_some()))
            .field("shown_once", &redacted(self.shown_once.is_some()))
            .finish()
    }
}

/// What `Debug` shows of a wrapped key: whether there is one.
pub(crate) fn redacted(present: bool) -> Option<&'static str> {
    present.then_some("<redacted>")
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id_hash: String,
    user_id: String,
    csrf_token: String,
    created_at: i64,
    idle_expires_at: i64,
    absolute_expires_at: i64,
    wrapped_key: Option<Vec<u8>>,
    shown_once: Option<Vec<u8>>,
}

impl From<SessionRow> for Session {
    fn from(row: SessionRow) -> Session {
        Session {
            id_hash: row.id_hash,
            user_id: UserId::from(row.user_id),
            csrf_token: row.csrf_token,
            created_at: row.created_at,
            idle_expires_at: row.idle_expires_at,
            absolute_expires_at: row.absolute_expires_at,
            wrapped_key: row.wrapped_key,
            shown_once: row.shown_once,
        }
    }
}

impl Store {
    /// Stores a new session.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the user does not exist, the hash is already in use, or the
    /// database fails.
    pub async fn create_session(&self, new: &NewSession<'_>) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO sessions \
             (id_hash, user_id, csrf_token, created_at, idle_expires_at, absolute_expires_at, \
             wrapped_key, shown_once) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        let idle_expires_at = new.idle_expires_at.min(new.absolute_expires_at);
        on_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(new.id_hash)
                .bind(new.user_id.as_str())
                .bind(new.csrf_token)
                .bind(new.created_at)
                .bind(idle_expires_at)
                .bind(new.absolute_expires_at)
                .bind(new.wrapped_key)
                .bind(new.shown_once)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The session with this token hash, if it is still live at `now`: both its idle and its
    /// absolute expiry are later than `now`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn session(&self, id_hash: &str, now: i64) -> Result<Option<Session>, StoreError> {
        const SQL: &str = "SELECT id_hash, user_id, csrf_token, created_at, idle_expires_at, \
             absolute_expires_at, wrapped_key, shown_once FROM sessions \
             WHERE id_hash = $1 AND idle_expires_at > $2 AND absolute_expires_at > $2";
        let row = on_pool!(self, pool => sqlx::query_as::<_, SessionRow>(SQL)
            .bind(id_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(Session::from))
    }

    /// Moves a live session's idle expiry to `idle_expires_at`, but never past its absolute
    /// expiry. Returns whether a session live at `now` was found: an expired one stays
    /// expired.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn touch_session(
        &self,
        id_hash: &str,
        now: i64,
        idle_expires_at: i64,
    ) -> Result<bool, StoreError> {
        // CASE rather than MIN/LEAST, which are spelled differently on the two backends.
        const SQL: &str = "UPDATE sessions SET idle_expires_at = \
             CASE WHEN $1 < absolute_expires_at THEN $1 ELSE absolute_expires_at END \
             WHERE id_hash = $2 AND idle_expires_at > $3 AND absolute_expires_at > $3";
        let touched = on_pool!(self, pool => sqlx::query(SQL)
            .bind(idle_expires_at)
            .bind(id_hash)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(touched > 0)
    }

    /// Puts a sealed secret in a live session to be shown once (`Some`), or clears it (`None`)
    /// once the person has saved it. Returns whether a session live at `now` was found.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn set_shown_once(
        &self,
        id_hash: &str,
        now: i64,
        sealed: Option<&[u8]>,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE sessions SET shown_once = $1 \
             WHERE id_hash = $2 AND idle_expires_at > $3 AND absolute_expires_at > $3";
        let updated = on_pool!(self, pool => sqlx::query(SQL)
            .bind(sealed)
            .bind(id_hash)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(updated > 0)
    }

    /// Ends one session (sign out). Returns whether it existed.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn delete_session(&self, id_hash: &str) -> Result<bool, StoreError> {
        const SQL: &str = "DELETE FROM sessions WHERE id_hash = $1";
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(id_hash)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted > 0)
    }

    /// Ends every session of one user (sign out everywhere). Returns how many there were.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn delete_sessions_of(&self, user_id: &UserId) -> Result<u64, StoreError> {
        const SQL: &str = "DELETE FROM sessions WHERE user_id = $1";
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(user_id.as_str())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted)
    }

    /// Deletes the sessions that are no longer live at `now`. Returns how many.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
        const SQL: &str =
            "DELETE FROM sessions WHERE idle_expires_at <= $1 OR absolute_expires_at <= $1";
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted)
    }
}
