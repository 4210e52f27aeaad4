//! Accounts: a login (a username or an email address) and an Argon2id password hash.
//!
//! Logins are unique without regard to case: `Alice@Example.org` and `alice@example.org` are one
//! account. The store keeps the login as typed, for display, and a lower-cased `login_key`
//! with a UNIQUE constraint, so that two simultaneous sign-ups for one name cannot both win.
//! A login's confusable skeleton, which the application computes, is unique too.

use std::fmt;

use crate::database::Store;
use crate::error::StoreError;
use crate::ids::UserId;
use crate::keys::NewUserKeys;

/// An account as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct User {
    /// The account's id.
    pub id: UserId,
    /// The login as it was typed at sign-up.
    pub login: String,
    /// The password hash (a PHC string).
    pub password_hash: String,
    /// When the account was created (unix seconds).
    pub created_at: i64,
    /// When the password was last set (unix seconds); sessions older than this can be refused.
    pub password_changed_at: i64,
    /// Whether this is a synthetic demo account rather than a person's.
    pub demo: bool,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("login", &self.login)
            .field("password_hash", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("password_changed_at", &self.password_changed_at)
            .field("demo", &self.demo)
            .finish()
    }
}

/// What [`Store::create_user`] and [`Store::create_user_with_keys`] need.
#[derive(Clone, Copy)]
pub struct NewUser<'a> {
    /// A username or an email address, as typed (the caller validates and prepares it).
    pub login: &'a str,
    /// The login's confusable skeleton, unique among accounts (`None` leaves it unset).
    pub login_skeleton: Option<&'a str>,
    /// The password hash (a PHC string); never the password.
    pub password_hash: &'a str,
    /// The current time (unix seconds).
    pub now: i64,
    /// Whether this is a synthetic demo account rather than a person's.
    pub demo: bool,
}

impl fmt::Debug for NewUser<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("login", &self.login)
            .field("login_skeleton", &self.login_skeleton)
            .field("password_hash", &"<redacted>")
            .field("now", &self.now)
            .field("demo", &self.demo)
            .finish()
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    login: String,
    password_hash: String,
    created_at: i64,
    password_changed_at: i64,
    demo: bool,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> User {
        User {
            id: UserId::from(row.id),
            login: row.login,
            password_hash: row.password_hash,
            created_at: row.created_at,
            password_changed_at: row.password_changed_at,
            demo: row.demo,
        }
    }
}

/// The outcome of inserting a user, with a unique violation read as a taken login.
fn login_free<T>(inserted: Result<T, sqlx::Error>) -> Result<(), StoreError> {
    match inserted {
        Ok(_) => Ok(()),
        // sqlx maps each backend's own code (PostgreSQL's 23505, SQLite's
        // SQLITE_CONSTRAINT_UNIQUE) to this kind: the login key or the skeleton is taken. The
        // only other unique column is the random id, whose collision is not a practical
        // concern.
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            Err(StoreError::LoginTaken)
        }
        Err(error) => Err(error.into()),
    }
}

/// The form of a login that uniqueness and look-ups use. Rust's Unicode lower-casing rather
/// than the database's, whose `lower()` differs between backends (SQLite's is ASCII-only).
fn login_key(login: &str) -> String {
    login.to_lowercase()
}

impl Store {
    /// Creates an account together with its wrapped keys, in one transaction, and returns
    /// its new id. If the login is taken, neither the account nor any keys are written.
    ///
    /// # Errors
    ///
    /// [`StoreError::LoginTaken`] if another account has the same login in any case;
    /// [`StoreError::Database`] if the database fails.
    pub async fn create_user_with_keys(
        &self,
        new: &NewUser<'_>,
        keys: &NewUserKeys<'_>,
    ) -> Result<UserId, StoreError> {
        self.insert_user(new, Some(keys)).await
    }

    /// Creates an account and returns its new id.
    ///
    /// # Errors
    ///
    /// [`StoreError::LoginTaken`] if another account has the same login in any case;
    /// [`StoreError::Database`] if the database fails.
    pub async fn create_user(&self, new: &NewUser<'_>) -> Result<UserId, StoreError> {
        self.insert_user(new, None).await
    }

    /// Creates an account, and its keys if `keys` is given, in one transaction: either both
    /// rows exist afterwards or neither does.
    pub(crate) async fn insert_user(
        &self,
        new: &NewUser<'_>,
        keys: Option<&NewUserKeys<'_>>,
    ) -> Result<UserId, StoreError> {
        const USER_SQL: &str = "INSERT INTO users \
             (id, login, login_key, password_hash, created_at, password_changed_at, demo, \
             login_skeleton) VALUES ($1, $2, $3, $4, $5, $5, $6, $7)";
        const KEYS_SQL: &str = "INSERT INTO user_keys \
             (user_id, password_wrapped, recovery_wrapped, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4)";
        let id = UserId::new();
        let key = login_key(new.login);
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let inserted = sqlx::query(USER_SQL)
                .bind(id.as_str())
                .bind(new.login)
                .bind(&key)
                .bind(new.password_hash)
                .bind(new.now)
                .bind(new.demo)
                .bind(new.login_skeleton)
                .execute(&mut *tx)
                .await;
            // Returning drops the transaction, which rolls it back.
            login_free(inserted)?;
            if let Some(keys) = keys {
                sqlx::query(KEYS_SQL)
                    .bind(id.as_str())
                    .bind(keys.password_wrapped)
                    .bind(keys.recovery_wrapped)
                    .bind(new.now)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(id)
    }

    /// The accounts whose login has no skeleton yet (made before skeletons were kept): their
    /// ids and logins.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn users_without_skeleton(&self) -> Result<Vec<(UserId, String)>, StoreError> {
        const SQL: &str = "SELECT id, login FROM users WHERE login_skeleton IS NULL ORDER BY id";
        let rows: Vec<(String, String)> = on_pool!(self, pool => sqlx::query_as(SQL)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(id, login)| (UserId::from(id), login))
            .collect())
    }

    /// Sets the skeleton of an account's login.
    ///
    /// # Errors
    ///
    /// [`StoreError::LoginTaken`] if another account's login has this skeleton;
    /// [`StoreError::Database`] if the database fails.
    pub async fn set_login_skeleton(&self, id: &UserId, skeleton: &str) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET login_skeleton = $1 WHERE id = $2";
        on_pool!(self, pool => {
            let updated = sqlx::query(SQL)
                .bind(skeleton)
                .bind(id.as_str())
                .execute(pool)
                .await;
            login_free(updated)?;
        });
        Ok(())
    }

    /// The account with this login, compared without regard to case.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn user_by_login(&self, login: &str) -> Result<Option<User>, StoreError> {
        const SQL: &str = "SELECT id, login, password_hash, created_at, password_changed_at, \
             demo FROM users WHERE login_key = $1";
        let key = login_key(login);
        let row = on_pool!(self, pool => sqlx::query_as::<_, UserRow>(SQL)
            .bind(&key)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(User::from))
    }

    /// The account with this id.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn user_by_id(&self, id: &UserId) -> Result<Option<User>, StoreError> {
        const SQL: &str = "SELECT id, login, password_hash, created_at, password_changed_at, \
             demo FROM users WHERE id = $1";
        let row = on_pool!(self, pool => sqlx::query_as::<_, UserRow>(SQL)
            .bind(id.as_str())
            .fetch_optional(pool)
            .await?);
        Ok(row.map(User::from))
    }

    /// Replaces an account's password hash. Returns whether the account exists. Sessions are
    /// left alone: signing out elsewhere is the caller's decision ([`Store::delete_sessions_of`]).
    /// An account with keys needs [`Store::change_password`] instead, which rewraps its key in
    /// the same transaction.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn set_password_hash(
        &self,
        id: &UserId,
        password_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str =
            "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3";
        let changed = on_pool!(self, pool => sqlx::query(SQL)
            .bind(password_hash)
            .bind(now)
            .bind(id.as_str())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(changed > 0)
    }

    /// Deletes an account and, through the foreign keys' cascades, everything that belongs to
    /// it: sessions, API tokens, the profile, the keys and the journal. The rows are deleted, not flagged. Returns
    /// whether the account existed.
    ///
    /// Sign-in throttling rows are not tied to accounts (their keys are the caller's); they
    /// age out through [`Store::delete_login_failures_before`], or the caller clears them.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn delete_user(&self, id: &UserId) -> Result<bool, StoreError> {
        // The account's partner link goes with it, for both partners: its key and everything
        // sealed under it.
        const LINK_SQL: &str = "DELETE FROM partner_links \
             WHERE id IN (SELECT link_id FROM partner_members WHERE user_id = $1)";
        const SQL: &str = "DELETE FROM users WHERE id = $1";
        let deleted = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(LINK_SQL).bind(id.as_str()).execute(&mut *tx).await?;
            let deleted = sqlx::query(SQL)
                .bind(id.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            deleted
        });
        Ok(deleted > 0)
    }
}
