//! "Change my encryption key": a new data key for an account, with everything under the old
//! one re-sealed under it.
//!
//! After the password is confirmed, the old key is unwrapped with it, and the journal and the
//! profile are read and checked (rows of before are moved and sealed on the way, as on any
//! read). Then a new key is made, each journal row sealed again under it (under its new keyed
//! pseudonym, since row ids are keyed by the data key) and the profile too; the new key is
//! wrapped under the password and under a new recovery code (the old code cannot wrap a key it
//! has never opened), and the new session is prepared with the key wrapped under its token and
//! the new code waiting to be shown once. The store then writes all of it in one transaction
//! ([`Store::rotate_data_key`]), which also ends every session and API token of the account:
//! they carry the old key wrapped under tokens the server does not keep, so they cannot be
//! given the new one. A crash before the commit leaves the old key opening everything; after
//! it, the new one.

use spinewise_store::{NewSession, Resealed, Rotation, Store, StoreError, UserId};
use spinewise_vault::{self as vault, DataKey, RecoveryCode, VaultError};

use crate::accounts::{self, SignInError};
use crate::error::{AppError, FieldError};
use crate::journal;
use crate::partner;
use crate::profile;
use crate::shown_once::{ShownOnce, Waiting};

/// What a new data key left behind.
pub struct KeyChanged {
    /// The token of the new session (for the cookie), which holds the new key and the new
    /// recovery code waiting to be shown.
    pub session_token: String,
    /// The new recovery code.
    pub code: RecoveryCode,
    /// How many journal entries were re-sealed.
    pub entries: usize,
    /// How many sessions ended (the one that asked among them).
    pub sessions_ended: u64,
    /// The names of the API tokens revoked.
    pub tokens_revoked: Vec<String>,
}

impl std::fmt::Debug for KeyChanged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyChanged")
            .field("entries", &self.entries)
            .field("sessions_ended", &self.sessions_ended)
            .field("tokens_revoked", &self.tokens_revoked)
            .finish_non_exhaustive()
    }
}

fn vault_failure(e: VaultError) -> AppError {
    AppError::Internal(anyhow::anyhow!("a new journal key: {e}"))
}

/// Puts the signed-in account whose password this is under a new data key (see the module's
/// documentation). `waiting` is what waited in the session that asked: a recovery code there
/// is replaced by the new one, and an API token there is dropped (it is revoked).
///
/// # Errors
///
/// [`SignInError::Rejected`] for a wrong password, [`SignInError::Throttled`] after too many;
/// [`SignInError::Failed`] with [`AppError::Conflict`] if the journal or the profile changed
/// meanwhile, or another failure. Whatever the error, nothing has changed.
pub async fn change_data_key(
    store: &Store,
    user: &UserId,
    login: &str,
    password: &str,
    waiting: &Waiting,
) -> Result<KeyChanged, SignInError> {
    accounts::confirm_password(store, user, login, password).await?;
    let (old_key, _) = accounts::unlock(store, user, password).await?;
    // Read and checked under the old key: rows and a profile of before are moved and sealed.
    profile::load(store, user, &old_key).await?;
    journal::load(store, user, &old_key)
        .await
        .map_err(AppError::from)?;
    let rows = store.entries(user).await?;
    let stored_profile = store.sealed_profile(user).await?;

    let password = password.to_owned();
    let (new_key, code, password_wrapped, recovery_wrapped) =
        tokio::task::spawn_blocking(move || {
            let key = DataKey::generate()?;
            let code = vault::recovery_code()?;
            let password_wrapped = vault::wrap_with_password(&key, &password)?;
            let recovery_wrapped = vault::wrap_with_recovery_code(&key, &code)?;
            Ok::<_, VaultError>((key, code, password_wrapped, recovery_wrapped))
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(vault_failure)?;

    let mut resealed = Vec::with_capacity(rows.len());
    for row in &rows {
        let entry = journal::open(&old_key, user, &row.id, &row.sealed).map_err(AppError::from)?;
        resealed.push((
            journal::row_id(&new_key, entry.id()),
            journal::seal(&new_key, user, &entry).map_err(AppError::from)?,
        ));
    }
    let entries: Vec<Resealed<'_>> = rows
        .iter()
        .zip(&resealed)
        .map(|(row, (new_id, new_sealed))| Resealed {
            old_id: &row.id,
            old_sealed: &row.sealed,
            new_id,
            new_sealed,
        })
        .collect();
    let new_profile = match &stored_profile {
        Some(p) => {
            let opened = profile::open(&old_key, user, &p.sealed, p.updated_at)?;
            Some(profile::seal(&new_key, user, &opened)?)
        }
        None => None,
    };

    let link_key = partner::rewrap(store, user, &old_key, &new_key).await?;

    // The new session: the new key wrapped under its token, the new code waiting in it.
    let token = accounts::random_token()?;
    let csrf = accounts::random_token()?;
    let wrapped_key = accounts::wrap_under_token(&new_key, &token)?;
    let shown = waiting
        .clone()
        .without_api_token()
        .without_recovery_code()
        .with(ShownOnce::RecoveryCode {
            code: code.to_string(),
            new_account: false,
            replaced: true,
            key_changed: true,
        })
        .seal(&token)?;
    let now = accounts::now();
    let id_hash = accounts::hash_token(&token);
    let session = NewSession {
        id_hash: &id_hash,
        user_id: user,
        csrf_token: &csrf,
        created_at: now,
        idle_expires_at: now + accounts::IDLE_SECS,
        absolute_expires_at: now + accounts::ABSOLUTE_SECS,
        wrapped_key: Some(&wrapped_key),
        shown_once: Some(&shown),
    };
    let rotation = Rotation {
        entries: &entries,
        profile: stored_profile
            .as_ref()
            .zip(new_profile.as_ref())
            .map(|(old, new)| (old.sealed.as_slice(), new.as_slice())),
        password_wrapped: &password_wrapped,
        recovery_wrapped: &recovery_wrapped,
        link_key: link_key
            .as_ref()
            .map(|(old, new)| (old.as_slice(), new.as_slice())),
        session: &session,
        now,
    };
    tracing::info!("re-sealing an account's journal and profile under a new key");
    let rotated = match store.rotate_data_key(user, &rotation).await {
        Ok(r) => r,
        Err(StoreError::Changed { .. }) => {
            return Err(AppError::Conflict {
                detail: "your journal or profile changed while the key was being changed (a write from another device or app); nothing was changed: try again".to_owned(),
                errors: vec![FieldError::new(
                    "password",
                    "the journal changed meanwhile; try again",
                )],
            }
            .into());
        }
        Err(e) => return Err(AppError::from(e).into()),
    };
    Ok(KeyChanged {
        session_token: token,
        code,
        entries: entries.len(),
        sessions_ended: rotated.sessions_ended,
        tokens_revoked: rotated.tokens_revoked,
    })
}
