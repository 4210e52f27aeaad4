//! Secrets of the server itself, kept in the database so that every instance agrees on them.
//!
//! The store draws no secret: the caller offers a fresh random candidate each time, and the
//! first one written under a name is the one every caller gets from then on. Each store
//! remembers what it read, so the database is asked once per name.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::database::Store;
use crate::error::StoreError;

/// What a store has read of the server's secrets, by name.
pub(crate) type Remembered = Arc<Mutex<HashMap<String, Arc<[u8]>>>>;

impl Store {
    /// The server secret called `name`: `candidate` if none was kept yet (it is kept now),
    /// otherwise the one kept before, whichever instance wrote it.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn server_secret(
        &self,
        name: &str,
        candidate: &[u8],
        now: i64,
    ) -> Result<Arc<[u8]>, StoreError> {
        if let Some(known) = self
            .secrets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
        {
            return Ok(known.clone());
        }
        const INSERT: &str = "INSERT INTO server_secrets (name, secret, created_at) \
             VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING";
        const SELECT: &str = "SELECT secret FROM server_secrets WHERE name = $1";
        let secret: Vec<u8> = on_pool!(self, pool => {
            sqlx::query(INSERT)
                .bind(name)
                .bind(candidate)
                .bind(now)
                .execute(pool)
                .await?;
            sqlx::query_scalar(SELECT).bind(name).fetch_one(pool).await?
        });
        let secret: Arc<[u8]> = Arc::from(secret);
        self.secrets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(name.to_owned(), secret.clone());
        Ok(secret)
    }
}
