//! The saved profile — pain types, role, conditions, the partner's — under the user's data
//! key, like the journal: the one way to read or write it, and every way needs the key.
//!
//! A profile is serialised to JSON, padded and sealed with XChaCha20-Poly1305; the associated
//! data binds it to its user, so a row copied to another account does not open. The store
//! sees opaque bytes and the time of the last save.
//!
//! Profiles saved before they were sealed are in a clear table: the first time the key is
//! open for such an account ([`seal_clear`] at sign-in, or any [`load`]), the clear row is
//! sealed and deleted in one transaction, as journal rows stored under their own ids are moved
//! to their pseudonyms.

use spinewise_domain::journal::Journal;
use spinewise_domain::safety::Saved;
use spinewise_store::{ProfileRecord, Store, UserId};
use spinewise_vault::DataKey;

use crate::error::AppError;
use crate::journal;
use crate::partner;

/// Profiles are padded to a multiple of this many bytes before they are sealed, so that the
/// length of the ciphertext does not tell one condition from two.
pub const PAD_TO: usize = 256;

/// The associated data of a sealed profile: what its ciphertext is bound to.
fn aad(user: &UserId) -> Vec<u8> {
    let mut aad = b"spinewise profile v1\0".to_vec();
    aad.extend_from_slice(user.as_str().as_bytes());
    aad
}

/// The profile as it is sealed: vocabulary words by their ids, so that it reads back with the
/// domain's parsers whatever the order of the enums.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Sealed {
    pain_type: Option<String>,
    role: Option<String>,
    conditions: Vec<String>,
    partner_pain_type: Option<String>,
    partner_conditions: Vec<String>,
}

fn unreadable() -> AppError {
    AppError::Internal(anyhow::anyhow!(
        "the stored profile cannot be opened: the database was altered, or the key is not this account's"
    ))
}

/// Seals a profile for `user` (its `updated_at` is not sealed: the row holds it).
///
/// # Errors
///
/// [`AppError::Internal`] if sealing fails (no randomness, say).
pub fn seal(key: &DataKey, user: &UserId, profile: &ProfileRecord) -> Result<Vec<u8>, AppError> {
    let sealed = Sealed {
        pain_type: profile.pain_type.map(|t| t.as_str().to_owned()),
        role: profile.role.map(|r| r.as_str().to_owned()),
        conditions: profile.conditions.clone(),
        partner_pain_type: profile.partner_pain_type.map(|t| t.as_str().to_owned()),
        partner_conditions: profile.partner_conditions.clone(),
    };
    let mut json = serde_json::to_vec(&sealed)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot write a profile: {e}")))?;
    // Spaces, which JSON ignores.
    json.resize(json.len().div_ceil(PAD_TO) * PAD_TO, b' ');
    key.seal(&aad(user), &json)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot seal a profile: {e}")))
}

/// Opens a sealed profile of `user`, saved at `updated_at`.
///
/// # Errors
///
/// [`AppError::Internal`] if it does not open under this key or does not read back.
pub fn open(
    key: &DataKey,
    user: &UserId,
    sealed: &[u8],
    updated_at: i64,
) -> Result<ProfileRecord, AppError> {
    let json = key.open(&aad(user), sealed).map_err(|_| unreadable())?;
    let s: Sealed = serde_json::from_slice(&json).map_err(|_| unreadable())?;
    fn word<T: std::str::FromStr>(w: Option<String>) -> Result<Option<T>, AppError> {
        w.map(|w| w.parse().map_err(|_| unreadable())).transpose()
    }
    Ok(ProfileRecord {
        pain_type: word(s.pain_type)?,
        role: word(s.role)?,
        conditions: s.conditions,
        partner_pain_type: word(s.partner_pain_type)?,
        partner_conditions: s.partner_conditions,
        updated_at,
    })
}

/// Seals the user's profile if it is still in the clear table, deleting the clear row in the
/// same transaction. Returns the profile if there was one to seal.
///
/// # Errors
///
/// The store's errors; [`AppError::Internal`] if sealing fails.
pub async fn seal_clear(
    store: &Store,
    user: &UserId,
    key: &DataKey,
) -> Result<Option<ProfileRecord>, AppError> {
    let Some(clear) = store.clear_profile(user).await? else {
        return Ok(None);
    };
    let sealed = seal(key, user, &clear)?;
    store
        .seal_clear_profile(user, &sealed, clear.updated_at)
        .await?;
    Ok(Some(clear))
}

/// The user's saved profile, opened with their data key; `None` if they have saved none.
///
/// # Errors
///
/// [`AppError::Internal`] if the stored profile does not open; the store's errors.
pub async fn load(
    store: &Store,
    user: &UserId,
    key: &DataKey,
) -> Result<Option<ProfileRecord>, AppError> {
    // A clear row (saved before profiles were sealed) is sealed first; beside a sealed one it
    // is older (every save deletes it), and only goes.
    seal_clear(store, user, key).await?;
    match store.sealed_profile(user).await? {
        Some(row) => open(key, user, &row.sealed, row.updated_at).map(Some),
        None => Ok(None),
    }
}

/// Saves the user's profile, sealed, in place of the one they had. Returns it as saved (its
/// `updated_at` is `now`).
///
/// # Errors
///
/// [`AppError::Internal`] if sealing fails; the store's errors (nothing is written then).
pub async fn save(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    profile: &ProfileRecord,
    now: i64,
) -> Result<ProfileRecord, AppError> {
    let sealed = seal(key, user, profile)?;
    store.put_sealed_profile(user, &sealed, now).await?;
    let saved = ProfileRecord {
        updated_at: now,
        ..profile.clone()
    };
    partner::refresh(
        store,
        user,
        key,
        partner::Source::Profile(Some(&saved)),
        now,
    )
    .await?;
    Ok(saved)
}

/// What the safety policy reads of a signed-in person: their saved profile's pain type and
/// conditions, and their journal, when the key is open. Both are under the key: when it is
/// locked, neither is read (an empty profile, an empty journal), and the caller says so.
///
/// # Errors
///
/// As [`load`] and [`journal::load`].
pub async fn saved_and_journal(
    store: &Store,
    user: &UserId,
    key: Option<&DataKey>,
) -> Result<(Saved, Journal), AppError> {
    let Some(key) = key else {
        return Ok((Saved::default(), Journal::default()));
    };
    let saved = load(store, user, key)
        .await?
        .map(|p| Saved {
            pain_type: p.pain_type,
            conditions: p.conditions,
        })
        .unwrap_or_default();
    Ok((saved, journal::load(store, user, key).await?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use spinewise_domain::vocab::{PainType, RoleChoice};
    use spinewise_store::NewUser;

    async fn store_with_user(login: &str) -> (Store, UserId) {
        let store = Store::open("sqlite::memory:").await.expect("a store");
        let user = store
            .create_user(&NewUser {
                login,
                login_skeleton: None,
                password_hash: "not a real hash",
                now: 0,
                demo: false,
            })
            .await
            .expect("a user");
        (store, user)
    }

    fn full() -> ProfileRecord {
        ProfileRecord {
            pain_type: Some(PainType::Flexion),
            role: Some(RoleChoice::Switch),
            conditions: vec!["disc-problem".to_owned(), "pregnancy".to_owned()],
            partner_pain_type: Some(PainType::Extension),
            partner_conditions: vec!["recent-surgery".to_owned()],
            updated_at: 0,
        }
    }

    #[tokio::test]
    async fn a_profile_saved_opens_with_its_key_only_and_for_its_user_only() {
        let (store, user) = store_with_user("kim").await;
        let key = DataKey::generate().expect("a key");
        assert_eq!(load(&store, &user, &key).await.expect("read"), None);
        let saved = save(&store, &user, &key, &full(), 1_000)
            .await
            .expect("saved");
        assert_eq!(saved.updated_at, 1_000);
        assert_eq!(
            load(&store, &user, &key).await.expect("read"),
            Some(saved.clone())
        );

        let row = store
            .sealed_profile(&user)
            .await
            .expect("read")
            .expect("a row");
        let other = DataKey::generate().expect("another key");
        assert!(open(&other, &user, &row.sealed, 0).is_err(), "another key");
        let someone = UserId::new();
        assert!(
            open(&key, &someone, &row.sealed, 0).is_err(),
            "another user"
        );
        for word in ["flexion", "switch", "disc-problem", "recent-surgery"] {
            assert!(
                !row.sealed.windows(word.len()).any(|w| w == word.as_bytes()),
                "{word} is in the sealed bytes"
            );
        }
    }
}
