//! Personal API tokens, created and revoked on the account page.
//!
//! Only a hash of each token is stored (the caller hashes), and it is never read back out: a
//! token is looked up by its hash, and listings carry its name and dates only. A token may
//! also carry the user's data key wrapped under the token itself; only the look-up by hash,
//! which only the token's bearer can make, returns it.

use std::fmt;

use crate::database::Store;
use crate::error::StoreError;
use crate::ids::UserId;
use crate::sessions::redacted;

/// What [`Store::create_api_token`] needs.
#[derive(Clone, Copy)]
pub struct NewApiToken<'a> {
    /// The token's id, chosen by the caller (e.g. a v4 UUID); what revocation names.
    pub id: &'a str,
    /// Whose token it is.
    pub user_id: &'a UserId,
    /// The user's label for it.
    pub name: &'a str,
    /// The hash of the token.
    pub token_hash: &'a str,
    /// When it was created (unix seconds).
    pub created_at: i64,
    /// The user's data key wrapped under the token, if the token opens the journal.
    pub wrapped_key: Option<&'a [u8]>,
}

impl fmt::Debug for NewApiToken<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewApiToken")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("name", &self.name)
            .field("token_hash", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("wrapped_key", &redacted(self.wrapped_key.is_some()))
            .finish()
    }
}

/// A stored API token, without its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// The token's id.
    pub id: String,
    /// Whose token it is.
    pub user_id: UserId,
    /// The user's label for it.
    pub name: String,
    /// When it was created (unix seconds).
    pub created_at: i64,
    /// When it was last used (unix seconds), if ever.
    pub last_used_at: Option<i64>,
}

/// A token found by its hash ([`Store::api_token_by_hash`]): the token's fields and the data
/// key wrapped under it, which listings never carry.
#[derive(Clone, PartialEq, Eq)]
pub struct FoundApiToken {
    /// The token's id.
    pub id: String,
    /// Whose token it is.
    pub user_id: UserId,
    /// The user's label for it.
    pub name: String,
    /// When it was created (unix seconds).
    pub created_at: i64,
    /// When it was last used (unix seconds), if ever.
    pub last_used_at: Option<i64>,
    /// The user's data key wrapped under the token, if the token opens the journal.
    pub wrapped_key: Option<Vec<u8>>,
}

impl FoundApiToken {
    /// The token without its wrapped key, as listings show it.
    pub fn into_token(self) -> ApiToken {
        ApiToken {
            id: self.id,
            user_id: self.user_id,
            name: self.name,
            created_at: self.created_at,
            last_used_at: self.last_used_at,
        }
    }
}

impl fmt::Debug for FoundApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FoundApiToken")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("name", &self.name)
            .field("created_at", &self.created_at)
            .field("last_used_at", &self.last_used_at)
            .field("wrapped_key", &redacted(self.wrapped_key.is_some()))
            .finish()
    }
}

#[derive(sqlx::FromRow)]
struct FoundApiTokenRow {
    id: String,
    user_id: String,
    name: String,
    created_at: i64,
    last_used_at: Option<i64>,
    wrapped_key: Option<Vec<u8>>,
}

impl From<FoundApiTokenRow> for FoundApiToken {
    fn from(row: FoundApiTokenRow) -> FoundApiToken {
        FoundApiToken {
            id: row.id,
            user_id: UserId::from(row.user_id),
            name: row.name,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            wrapped_key: row.wrapped_key,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ApiTokenRow {
    id: String,
    user_id: String,
    name: String,
    created_at: i64,
    last_used_at: Option<i64>,
}

impl From<ApiTokenRow> for ApiToken {
    fn from(row: ApiTokenRow) -> ApiToken {
        ApiToken {
            id: row.id,
            user_id: UserId::from(row.user_id),
            name: row.name,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
        }
    }
}

impl Store {
    /// Stores a new API token.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the user does not exist, the id or hash is already in use,
    /// or the database fails.
    pub async fn create_api_token(&self, new: &NewApiToken<'_>) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO api_tokens \
             (id, user_id, name, token_hash, created_at, last_used_at, wrapped_key) \
             VALUES ($1, $2, $3, $4, $5, NULL, $6)";
        on_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(new.id)
                .bind(new.user_id.as_str())
                .bind(new.name)
                .bind(new.token_hash)
                .bind(new.created_at)
                .bind(new.wrapped_key)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// A user's API tokens, newest first.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn api_tokens(&self, user_id: &UserId) -> Result<Vec<ApiToken>, StoreError> {
        // The id breaks ties between tokens created in the same second, so that the order is
        // the same on every call and every backend.
        const SQL: &str = "SELECT id, user_id, name, created_at, last_used_at FROM api_tokens \
             WHERE user_id = $1 ORDER BY created_at DESC, id DESC";
        let rows = on_pool!(self, pool => sqlx::query_as::<_, ApiTokenRow>(SQL)
            .bind(user_id.as_str())
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(ApiToken::from).collect())
    }

    /// The token with this hash, and the data key wrapped under it: how an API request is
    /// authenticated.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn api_token_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<FoundApiToken>, StoreError> {
        const SQL: &str = "SELECT id, user_id, name, created_at, last_used_at, wrapped_key \
             FROM api_tokens WHERE token_hash = $1";
        let row = on_pool!(self, pool => sqlx::query_as::<_, FoundApiTokenRow>(SQL)
            .bind(token_hash)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(FoundApiToken::from))
    }

    /// Records that a token was used at `now`. Returns whether it exists.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn touch_api_token(&self, id: &str, now: i64) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2";
        let touched = on_pool!(self, pool => sqlx::query(SQL)
            .bind(now)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(touched > 0)
    }

    /// Revokes every API token of one user (after a recovery, when the account may have been
    /// in other hands). Returns how many there were.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn revoke_api_tokens_of(&self, user_id: &UserId) -> Result<u64, StoreError> {
        const SQL: &str = "DELETE FROM api_tokens WHERE user_id = $1";
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(user_id.as_str())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted)
    }

    /// Deletes one of `user_id`'s tokens. Returns whether it was found: a token of another
    /// user is neither found nor deleted, so one user can never revoke another's.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn revoke_api_token(&self, user_id: &UserId, id: &str) -> Result<bool, StoreError> {
        const SQL: &str = "DELETE FROM api_tokens WHERE id = $1 AND user_id = $2";
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(id)
            .bind(user_id.as_str())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted > 0)
    }
}
