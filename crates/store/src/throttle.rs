//! Throttling that every server instance sees: failed sign-ins, and imports.
//!
//! Attempts are counted in the database, not in one process's memory, so that an attacker
//! gains nothing from a load balancer spreading attempts over several instances. Each attempt
//! is one row under a key the caller chooses, which starts with its kind (e.g.
//! `account:<login_key>`, `address:<ip>`, `import:<user>`), and lets the caller count over
//! any window it likes.

use crate::database::Store;
use crate::error::StoreError;

impl Store {
    /// Records one failed sign-in under `key` at `now`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn record_login_failure(&self, key: &str, now: i64) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO login_failures (throttle_key, failed_at) VALUES ($1, $2)";
        on_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(key)
                .bind(now)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// How many failures `key` has had at or after `since` (unix seconds).
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn login_failures_since(&self, key: &str, since: i64) -> Result<u32, StoreError> {
        const SQL: &str =
            "SELECT COUNT(*) FROM login_failures WHERE throttle_key = $1 AND failed_at >= $2";
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(SQL)
            .bind(key)
            .bind(since)
            .fetch_one(pool)
            .await?);
        // A count beyond u32 means "far too many" either way.
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// When `key` last failed (unix seconds), if it has failures on record.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn latest_login_failure(&self, key: &str) -> Result<Option<i64>, StoreError> {
        const SQL: &str = "SELECT MAX(failed_at) FROM login_failures WHERE throttle_key = $1";
        let latest: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(SQL)
            .bind(key)
            .fetch_one(pool)
            .await?);
        Ok(latest)
    }

    /// When the `n`-th record of `key` (counting from 0, oldest first) at or after `since`
    /// was made, if there are that many.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn nth_login_failure_since(
        &self,
        key: &str,
        since: i64,
        n: u32,
    ) -> Result<Option<i64>, StoreError> {
        const SQL: &str = "SELECT failed_at FROM login_failures \
             WHERE throttle_key = $1 AND failed_at >= $2 ORDER BY failed_at LIMIT 1 OFFSET $3";
        let at: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(SQL)
            .bind(key)
            .bind(since)
            .bind(i64::from(n))
            .fetch_optional(pool)
            .await?);
        Ok(at)
    }

    /// Forgets every failure of `key` (e.g. after a successful sign-in). Returns how many.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn clear_login_failures(&self, key: &str) -> Result<u64, StoreError> {
        const SQL: &str = "DELETE FROM login_failures WHERE throttle_key = $1";
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(key)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted)
    }

    /// Deletes every failure recorded before `before` (unix seconds), of every key: the
    /// periodic clean-up that keeps the table (and the addresses in it) from piling up.
    /// Returns how many.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn delete_login_failures_before(&self, before: i64) -> Result<u64, StoreError> {
        const SQL: &str = "DELETE FROM login_failures WHERE failed_at < $1";
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(before)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted)
    }

    /// As [`Store::delete_login_failures_before`], but keeps the records of kind `kept` (those
    /// whose key starts with `kept:`), which count over a longer window. Returns how many.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn delete_login_failures_before_except(
        &self,
        kept: &str,
        before: i64,
    ) -> Result<u64, StoreError> {
        const SQL: &str = "DELETE FROM login_failures \
             WHERE failed_at < $1 AND substr(throttle_key, 1, length($2)) <> $2";
        let prefix = format!("{kept}:");
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(before)
            .bind(prefix.as_str())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted)
    }
}
