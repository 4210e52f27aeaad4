//! The saved profile: one per account, what the plan pages prefill.
//!
//! It is stored sealed under the user's data key (`sealed_profiles`), as opaque bytes the
//! application sealed: the store never sees a pain type, a role or a condition. Profiles saved
//! before that are still in the clear table `profiles` until the application, holding the
//! key, seals them ([`Store::seal_clear_profile`]); nothing writes a clear profile any more.
//!
//! In the clear table, vocabulary words are stored as their canonical ids and parsed back
//! with the domain's `FromStr`, so a value this version does not know is reported as corrupt
//! rather than guessed at. The condition lists are JSON arrays of content ids.

use std::fmt;

use spinewise_domain::vocab::{PainType, RoleChoice};

use crate::database::Store;
use crate::error::StoreError;
use crate::ids::UserId;

/// A user's saved profile, as the application reads it (out of its sealed bytes, or out of
/// the clear table of profiles saved before they were sealed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProfileRecord {
    /// The user's pain type, if known.
    pub pain_type: Option<PainType>,
    /// The user's usual role, if given.
    pub role: Option<RoleChoice>,
    /// Condition ids from the knowledge base.
    pub conditions: Vec<String>,
    /// The partner's pain type, if given.
    pub partner_pain_type: Option<PainType>,
    /// The partner's condition ids.
    pub partner_conditions: Vec<String>,
    /// When the profile was last saved (unix seconds).
    pub updated_at: i64,
}

/// A saved profile as stored: sealed under the user's data key.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SealedProfile {
    /// The profile, sealed by the application.
    pub sealed: Vec<u8>,
    /// When it was last saved (unix seconds).
    pub updated_at: i64,
}

impl fmt::Debug for SealedProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealedProfile")
            .field("sealed", &format_args!("<{} bytes>", self.sealed.len()))
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    pain_type: Option<String>,
    role: Option<String>,
    conditions: String,
    partner_pain_type: Option<String>,
    partner_conditions: String,
    updated_at: i64,
}

impl TryFrom<ProfileRow> for ProfileRecord {
    type Error = StoreError;

    fn try_from(row: ProfileRow) -> Result<ProfileRecord, StoreError> {
        Ok(ProfileRecord {
            pain_type: parse_word(row.pain_type, "profiles.pain_type")?,
            role: parse_word(row.role, "profiles.role")?,
            conditions: parse_list(&row.conditions, "profiles.conditions")?,
            partner_pain_type: parse_word(row.partner_pain_type, "profiles.partner_pain_type")?,
            partner_conditions: parse_list(&row.partner_conditions, "profiles.partner_conditions")?,
            updated_at: row.updated_at,
        })
    }
}

/// The error names only the column: the value is health data.
fn parse_word<T: std::str::FromStr>(
    value: Option<String>,
    what: &'static str,
) -> Result<Option<T>, StoreError> {
    value
        .map(|text| text.parse().map_err(|_| StoreError::Corrupt { what }))
        .transpose()
}

fn parse_list(json: &str, what: &'static str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt { what })
}

impl Store {
    /// The user's profile as it was saved before profiles were sealed, if it is still in the
    /// clear table: for the application to seal it ([`Store::seal_clear_profile`]).
    ///
    /// # Errors
    ///
    /// [`StoreError::Corrupt`] naming the column if a stored value cannot be read back;
    /// [`StoreError::Database`] if the database fails.
    pub async fn clear_profile(
        &self,
        user_id: &UserId,
    ) -> Result<Option<ProfileRecord>, StoreError> {
        const SQL: &str = "SELECT pain_type, role, conditions, partner_pain_type, \
             partner_conditions, updated_at FROM profiles WHERE user_id = $1";
        let row = on_pool!(self, pool => sqlx::query_as::<_, ProfileRow>(SQL)
            .bind(user_id.as_str())
            .fetch_optional(pool)
            .await?);
        row.map(ProfileRecord::try_from).transpose()
    }

    /// Replaces the user's clear profile with its sealed bytes, in one transaction: the sealed
    /// profile is stored (unless one was saved meanwhile, which is newer and stays) and the
    /// clear row is deleted. Returns whether these bytes were stored.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails; nothing has changed then.
    pub async fn seal_clear_profile(
        &self,
        user_id: &UserId,
        sealed: &[u8],
        updated_at: i64,
    ) -> Result<bool, StoreError> {
        const INSERT_SQL: &str = "INSERT INTO sealed_profiles (user_id, sealed, updated_at) \
             VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING";
        let stored = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let stored = sqlx::query(INSERT_SQL)
                .bind(user_id.as_str())
                .bind(sealed)
                .bind(updated_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            sqlx::query(DELETE_CLEAR_SQL)
                .bind(user_id.as_str())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            stored
        });
        Ok(stored > 0)
    }

    /// The user's sealed profile, if they have saved one.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn sealed_profile(
        &self,
        user_id: &UserId,
    ) -> Result<Option<SealedProfile>, StoreError> {
        const SQL: &str = "SELECT sealed, updated_at FROM sealed_profiles WHERE user_id = $1";
        let row = on_pool!(self, pool => sqlx::query_as::<_, SealedProfile>(SQL)
            .bind(user_id.as_str())
            .fetch_optional(pool)
            .await?);
        Ok(row)
    }

    /// Saves the user's sealed profile, replacing the one they had, and deletes any clear
    /// profile of theirs, in one transaction.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the user does not exist or the database fails; nothing has
    /// changed then.
    pub async fn put_sealed_profile(
        &self,
        user_id: &UserId,
        sealed: &[u8],
        now: i64,
    ) -> Result<(), StoreError> {
        // One statement for the profile, so that two saves racing each other leave one whole
        // profile, and a first save racing another cannot fail on the primary key.
        const SQL: &str = "INSERT INTO sealed_profiles (user_id, sealed, updated_at) \
             VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE SET \
             sealed = excluded.sealed, updated_at = excluded.updated_at";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(SQL)
                .bind(user_id.as_str())
                .bind(sealed)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(DELETE_CLEAR_SQL)
                .bind(user_id.as_str())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

/// Deletes a user's clear profile.
const DELETE_CLEAR_SQL: &str = "DELETE FROM profiles WHERE user_id = $1";
