//! The saved profile: one per account, what the plan pages prefill.
//!
//! Vocabulary words are stored as their canonical ids and parsed back with the domain's
//! `FromStr`, so a value this version does not know is reported as corrupt rather than
//! guessed at. The condition lists are JSON arrays of content ids.

use spinewise_domain::vocab::{PainType, RoleChoice};

use crate::database::Store;
use crate::error::StoreError;
use crate::ids::UserId;

/// A user's saved profile.
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
    /// When the profile was last saved (unix seconds). Set by [`Store::put_profile`]; the
    /// value passed in is ignored.
    pub updated_at: i64,
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

fn list_json(list: &[String]) -> String {
    serde_json::Value::from(list).to_string()
}

impl Store {
    /// The user's saved profile, if they have saved one.
    ///
    /// # Errors
    ///
    /// [`StoreError::Corrupt`] naming the column if a stored value cannot be read back;
    /// [`StoreError::Database`] if the database fails.
    pub async fn profile(&self, user_id: &UserId) -> Result<Option<ProfileRecord>, StoreError> {
        const SQL: &str = "SELECT pain_type, role, conditions, partner_pain_type, \
             partner_conditions, updated_at FROM profiles WHERE user_id = $1";
        let row = on_pool!(self, pool => sqlx::query_as::<_, ProfileRow>(SQL)
            .bind(user_id.as_str())
            .fetch_optional(pool)
            .await?);
        row.map(ProfileRecord::try_from).transpose()
    }

    /// Saves the user's profile, replacing the one they had. `updated_at` becomes `now`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the user does not exist or the database fails.
    pub async fn put_profile(
        &self,
        user_id: &UserId,
        profile: &ProfileRecord,
        now: i64,
    ) -> Result<(), StoreError> {
        // One statement, so that two saves racing each other leave one whole profile, not a
        // mix, and a first save racing another cannot fail on the primary key.
        const SQL: &str = "INSERT INTO profiles \
             (user_id, pain_type, role, conditions, partner_pain_type, partner_conditions, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (user_id) DO UPDATE SET \
             pain_type = excluded.pain_type, role = excluded.role, \
             conditions = excluded.conditions, partner_pain_type = excluded.partner_pain_type, \
             partner_conditions = excluded.partner_conditions, updated_at = excluded.updated_at";
        let conditions = list_json(&profile.conditions);
        let partner_conditions = list_json(&profile.partner_conditions);
        on_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(user_id.as_str())
                .bind(profile.pain_type.map(PainType::as_str))
                .bind(profile.role.map(RoleChoice::as_str))
                .bind(&conditions)
                .bind(profile.partner_pain_type.map(PainType::as_str))
                .bind(&partner_conditions)
                .bind(now)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}
