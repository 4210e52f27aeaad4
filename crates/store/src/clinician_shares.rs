//! Links a person makes for a clinician, and when each was opened.
//!
//! The store sees a share as opaque bytes: the caller hashes the link's secret before it
//! arrives (a share is found by that hash, never by the secret), and seals the content and
//! wraps its key before handing them over. Ending a share — revoking it, its expiry, too many
//! wrong PINs — clears those bytes and keeps the row, so that an old link can still be told
//! apart from one that never existed. Wrong PINs are counted in the share's own row, each
//! attempt in one statement, so that several instances on one database count together.

use std::collections::HashMap;
use std::fmt;

use crate::database::Store;
use crate::error::StoreError;
use crate::ids::UserId;
use crate::sessions::redacted;

/// What [`Store::create_clinician_share`] needs.
#[derive(Clone, Copy)]
pub struct NewClinicianShare<'a> {
    /// The share's id, chosen by the caller (a v4 UUID): what revocation names.
    pub id: &'a str,
    /// Whose share it is.
    pub user_id: &'a UserId,
    /// The hash of the link's secret.
    pub secret_hash: &'a str,
    /// The content key, wrapped under the secret (and the PIN).
    pub wrapped_key: &'a [u8],
    /// The content, sealed under the content key.
    pub sealed: &'a [u8],
    /// The FHIR bundle, sealed under the content key, if the share includes it.
    pub sealed_fhir: Option<&'a [u8]>,
    /// Whether opening it needs a PIN.
    pub has_pin: bool,
    /// When it was made (unix seconds).
    pub created_at: i64,
    /// When it stops opening (unix seconds).
    pub expires_at: i64,
}

impl fmt::Debug for NewClinicianShare<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewClinicianShare")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("secret_hash", &"<redacted>")
            .field("wrapped_key", &"<redacted>")
            .field("sealed", &"<redacted>")
            .field("sealed_fhir", &redacted(self.sealed_fhir.is_some()))
            .field("has_pin", &self.has_pin)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A share as its owner's list shows it: no secret, no content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicianShare {
    /// The share's id.
    pub id: String,
    /// Whether opening it needs a PIN.
    pub has_pin: bool,
    /// When it was made (unix seconds).
    pub created_at: i64,
    /// When it stops (or stopped) opening (unix seconds).
    pub expires_at: i64,
    /// When it was revoked (by its owner, or after too many wrong PINs), if it was.
    pub revoked_at: Option<i64>,
    /// When it was opened, the most recent first.
    pub openings: Vec<i64>,
}

/// A share found by the hash of its secret ([`Store::clinician_share_by_hash`]): what opening
/// it needs.
#[derive(Clone, PartialEq, Eq)]
pub struct FoundClinicianShare {
    /// The share's id.
    pub id: String,
    /// The content key wrapped under the secret (and the PIN); `None` once it has ended.
    pub wrapped_key: Option<Vec<u8>>,
    /// The sealed content; `None` once it has ended.
    pub sealed: Option<Vec<u8>>,
    /// Whether a FHIR bundle is kept with it.
    pub has_fhir: bool,
    /// Whether opening it needs a PIN.
    pub has_pin: bool,
    /// When it stops opening (unix seconds).
    pub expires_at: i64,
    /// When it was revoked, if it was.
    pub revoked_at: Option<i64>,
    /// Until when wrong PINs have locked it (unix seconds), if they have.
    pub locked_until: Option<i64>,
    /// How many wrong PINs it has had in all.
    pub failed_pins: i64,
}

impl fmt::Debug for FoundClinicianShare {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FoundClinicianShare")
            .field("id", &self.id)
            .field("wrapped_key", &redacted(self.wrapped_key.is_some()))
            .field("sealed", &redacted(self.sealed.is_some()))
            .field("has_fhir", &self.has_fhir)
            .field("has_pin", &self.has_pin)
            .field("expires_at", &self.expires_at)
            .field("revoked_at", &self.revoked_at)
            .field("locked_until", &self.locked_until)
            .field("failed_pins", &self.failed_pins)
            .finish()
    }
}

/// How the PIN attempts of a share are throttled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinThrottle {
    /// Wrong PINs in a row that lock the share.
    pub lock_after: i64,
    /// For how long (seconds).
    pub lock_secs: i64,
    /// Wrong PINs in all that end the share for good.
    pub revoke_after: i64,
}

impl PinThrottle {
    /// 5 wrong PINs lock a share for 15 minutes; 20 in all end it.
    pub const STANDARD: PinThrottle = PinThrottle {
        lock_after: 5,
        lock_secs: 15 * 60,
        revoke_after: 20,
    };
}

#[derive(sqlx::FromRow)]
struct FoundRow {
    id: String,
    wrapped_key: Option<Vec<u8>>,
    sealed: Option<Vec<u8>>,
    has_fhir: bool,
    has_pin: bool,
    expires_at: i64,
    revoked_at: Option<i64>,
    locked_until: Option<i64>,
    failed_pins: i64,
}

#[derive(sqlx::FromRow)]
struct ListedRow {
    id: String,
    has_pin: bool,
    created_at: i64,
    expires_at: i64,
    revoked_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct OpeningRow {
    share_id: String,
    opened_at: i64,
}

impl Store {
    /// Stores a new share.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the user does not exist, the id or hash is already in use,
    /// or the database fails.
    pub async fn create_clinician_share(
        &self,
        new: &NewClinicianShare<'_>,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO clinician_shares \
             (id, user_id, secret_hash, wrapped_key, sealed, sealed_fhir, has_pin, created_at, \
              expires_at, revoked_at, failed_pins, pin_streak, locked_until) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, 0, 0, NULL)";
        on_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(new.id)
                .bind(new.user_id.as_str())
                .bind(new.secret_hash)
                .bind(new.wrapped_key)
                .bind(new.sealed)
                .bind(new.sealed_fhir)
                .bind(new.has_pin)
                .bind(new.created_at)
                .bind(new.expires_at)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// A user's shares, newest first, each with when it was opened.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn clinician_shares(
        &self,
        user_id: &UserId,
    ) -> Result<Vec<ClinicianShare>, StoreError> {
        const SHARES: &str = "SELECT id, has_pin, created_at, expires_at, revoked_at \
             FROM clinician_shares WHERE user_id = $1 ORDER BY created_at DESC, id DESC";
        const OPENINGS: &str = "SELECT o.share_id, o.opened_at FROM clinician_share_openings o \
             JOIN clinician_shares s ON s.id = o.share_id \
             WHERE s.user_id = $1 ORDER BY o.opened_at DESC";
        let (rows, openings) = on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, ListedRow>(SHARES)
                .bind(user_id.as_str())
                .fetch_all(pool)
                .await?;
            let openings = sqlx::query_as::<_, OpeningRow>(OPENINGS)
                .bind(user_id.as_str())
                .fetch_all(pool)
                .await?;
            (rows, openings)
        });
        let mut by_share: HashMap<String, Vec<i64>> = HashMap::new();
        for o in openings {
            by_share.entry(o.share_id).or_default().push(o.opened_at);
        }
        Ok(rows
            .into_iter()
            .map(|r| ClinicianShare {
                openings: by_share.remove(&r.id).unwrap_or_default(),
                id: r.id,
                has_pin: r.has_pin,
                created_at: r.created_at,
                expires_at: r.expires_at,
                revoked_at: r.revoked_at,
            })
            .collect())
    }

    /// The share whose secret has this hash: how a link is opened.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn clinician_share_by_hash(
        &self,
        secret_hash: &str,
    ) -> Result<Option<FoundClinicianShare>, StoreError> {
        const SQL: &str = "SELECT id, wrapped_key, sealed, sealed_fhir IS NOT NULL AS has_fhir, \
             has_pin, expires_at, revoked_at, locked_until, failed_pins \
             FROM clinician_shares WHERE secret_hash = $1";
        let row = on_pool!(self, pool => sqlx::query_as::<_, FoundRow>(SQL)
            .bind(secret_hash)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(|r| FoundClinicianShare {
            id: r.id,
            wrapped_key: r.wrapped_key,
            sealed: r.sealed,
            has_fhir: r.has_fhir,
            has_pin: r.has_pin,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
            locked_until: r.locked_until,
            failed_pins: r.failed_pins,
        }))
    }

    /// The sealed FHIR bundle of a share that has not ended, if it keeps one.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn clinician_share_fhir(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        const SQL: &str = "SELECT sealed_fhir FROM clinician_shares WHERE id = $1";
        let sealed: Option<Option<Vec<u8>>> = on_pool!(self, pool => sqlx::query_scalar(SQL)
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(sealed.flatten())
    }

    /// Revokes one of `user_id`'s shares at `now`: its content and key are deleted, the row
    /// kept. Returns whether it was found: another user's share is neither found nor changed.
    /// Revoking again keeps the first time.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn revoke_clinician_share(
        &self,
        user_id: &UserId,
        id: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE clinician_shares SET revoked_at = COALESCE(revoked_at, $3), \
             wrapped_key = NULL, sealed = NULL, sealed_fhir = NULL \
             WHERE id = $1 AND user_id = $2";
        let updated = on_pool!(self, pool => sqlx::query(SQL)
            .bind(id)
            .bind(user_id.as_str())
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(updated > 0)
    }

    /// Records that a share was opened at `now`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the share does not exist or the database fails.
    pub async fn record_clinician_share_opening(
        &self,
        id: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        const SQL: &str =
            "INSERT INTO clinician_share_openings (share_id, opened_at) VALUES ($1, $2)";
        on_pool!(self, pool => {
            sqlx::query(SQL).bind(id).bind(now).execute(pool).await?;
        });
        Ok(())
    }

    /// Counts a PIN attempt on a share before the PIN is checked, so that attempts sent at
    /// once cannot all slip through: the attempt counts as wrong until
    /// [`Store::clinician_share_pin_accepted`] takes it back. The attempt that makes
    /// `throttle.lock_after` in a row locks the share for `throttle.lock_secs` (it is still
    /// checked). Returns `false`, counting nothing, when the share is locked, has ended or
    /// does not exist.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn admit_clinician_share_pin(
        &self,
        id: &str,
        now: i64,
        throttle: PinThrottle,
    ) -> Result<bool, StoreError> {
        // One statement: the row's lock (PostgreSQL) or the write lock (SQLite) orders
        // attempts from every instance, and each sees the counts the one before left.
        const SQL: &str = "UPDATE clinician_shares SET failed_pins = failed_pins + 1, \
             pin_streak = CASE WHEN pin_streak + 1 >= $3 THEN 0 ELSE pin_streak + 1 END, \
             locked_until = CASE WHEN pin_streak + 1 >= $3 THEN $2 + $4 ELSE NULL END \
             WHERE id = $1 AND revoked_at IS NULL AND wrapped_key IS NOT NULL \
             AND expires_at > $2 AND (locked_until IS NULL OR locked_until <= $2)";
        let updated = on_pool!(self, pool => sqlx::query(SQL)
            .bind(id)
            .bind(now)
            .bind(throttle.lock_after)
            .bind(throttle.lock_secs)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(updated > 0)
    }

    /// The PIN of an attempt [`Store::admit_clinician_share_pin`] counted was right: the
    /// attempt is taken back, and the wrong ones in a row (and a lock they set) forgotten.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn clinician_share_pin_accepted(&self, id: &str) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE clinician_shares SET \
             failed_pins = CASE WHEN failed_pins > 0 THEN failed_pins - 1 ELSE 0 END, \
             pin_streak = 0, locked_until = NULL WHERE id = $1";
        on_pool!(self, pool => {
            sqlx::query(SQL).bind(id).execute(pool).await?;
        });
        Ok(())
    }

    /// The PIN of a counted attempt was wrong: when the share has had
    /// `throttle.revoke_after` wrong PINs in all, it is revoked at `now` and its content and
    /// key deleted. Returns whether this revoked it.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn clinician_share_pin_refused(
        &self,
        id: &str,
        now: i64,
        throttle: PinThrottle,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE clinician_shares SET revoked_at = $2, wrapped_key = NULL, \
             sealed = NULL, sealed_fhir = NULL \
             WHERE id = $1 AND revoked_at IS NULL AND failed_pins >= $3";
        let updated = on_pool!(self, pool => sqlx::query(SQL)
            .bind(id)
            .bind(now)
            .bind(throttle.revoke_after)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(updated > 0)
    }

    /// Deletes the content and key of every share that expired at or before `now` (the rows
    /// stay, so that their links say they have expired). Returns how many were cleared.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn clear_expired_clinician_shares(&self, now: i64) -> Result<u64, StoreError> {
        const SQL: &str = "UPDATE clinician_shares SET wrapped_key = NULL, sealed = NULL, \
             sealed_fhir = NULL WHERE expires_at <= $1 \
             AND (wrapped_key IS NOT NULL OR sealed IS NOT NULL OR sealed_fhir IS NOT NULL)";
        let cleared = on_pool!(self, pool => sqlx::query(SQL)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(cleared)
    }
}
