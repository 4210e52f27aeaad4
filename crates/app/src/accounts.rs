//! Accounts and their keys, the half of signing in that knows no HTTP: passwords (Argon2id,
//! hashed off the async threads), random tokens stored only as SHA-256 hashes, new sessions,
//! sign-in throttling shared by every server instance through the database, and the journal's
//! data keys.
//!
//! Secrets never reach the database or the logs: session and API tokens are stored as
//! SHA-256 hashes, passwords as Argon2id PHC strings.
//!
//! Journal keys: each account has a data key, stored only wrapped (under a key derived from
//! the password, and under the recovery code shown once at sign-up). Signing in unwraps it and
//! wraps it again under the new session's token, and an API token made in a session gets a
//! copy wrapped under that token. Tokens never reach the database, so the key is unwrapped in
//! memory for each request and nowhere else; a copy of the database opens no journal.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use spinewise_store::{NewSession, NewUserKeys, Store, User, UserId};
use spinewise_vault::{self as vault, DataKey, RecoveryCode, VaultError};

use spinewise_domain::words;

use crate::error::AppError;
use crate::login::Login;
use crate::shown_once::Waiting;

/// A session ends after this long without a request (seconds).
pub const IDLE_SECS: i64 = 60 * 60;
/// A session ends this long after sign-in, however busy (seconds).
pub const ABSOLUTE_SECS: i64 = 24 * 60 * 60;
/// Password checks allowed per account *from one address* in the window (and per signed-in
/// account for a password change or deletion); a right password clears the count. Attempts
/// from elsewhere do not count against the owner's own address, so nobody can lock the
/// owner out by failing on purpose.
pub const MAX_ATTEMPTS_PER_ACCOUNT: u32 = 5;
/// Failed attempts on one account from all addresses together before each further attempt
/// has to wait ([`account_spacing`]): a delay that grows, not a wall.
pub const SPACED_AFTER: u32 = 10;
/// The longest wait between attempts on one account (seconds).
pub const MAX_SPACING_SECS: i64 = 60;
/// Failed attempts on one account from all addresses together in the window, after which it
/// takes no more until the window has passed (NIST SP 800-63B's limit of 100).
pub const MAX_FAILURES_PER_ACCOUNT: u32 = 100;
/// Sign-in attempts allowed per address in the window, right or wrong.
pub const MAX_ATTEMPTS_PER_ADDRESS: u32 = 30;
/// Sign-ups allowed per address in the window.
pub const MAX_SIGNUPS_PER_ADDRESS: u32 = 10;
/// The window over which attempts count (seconds).
pub const FAILURE_WINDOW_SECS: i64 = 15 * 60;
/// Imports one account may start in [`IMPORT_WINDOW_SECS`], from every instance together:
/// an import seals and writes up to a whole journal, so it is the costliest request there is.
pub const MAX_IMPORTS_PER_WINDOW: u32 = 10;
/// The window over which imports count (seconds): an hour.
pub const IMPORT_WINDOW_SECS: i64 = 60 * 60;
/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Passwords longer than this are refused (hashing cost and abuse).
pub const MAX_PASSWORD_BYTES: usize = 512;

/// The current time, in unix seconds.
pub fn now() -> i64 {
    crate::clock::unix_now()
}

/// A random token of 256 bits, URL-safe.
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// The hash under which a token is stored.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hashes a password with Argon2id (OWASP parameters: 19 MiB, 2 passes, 1 lane), off the
/// async threads.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("cannot hash a password: {e}"))
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
    .map_err(AppError::Internal)
}

/// A hash of a password nobody has, checked when the account does not exist, so that an
/// unknown login takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"no account has this password")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Checks a password against a stored hash (or the dummy), off the async threads.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let stored = hash.unwrap_or_else(|| dummy_hash().to_owned());
        match PasswordHash::new(&stored) {
            Ok(parsed) => Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))
}

/// Checks a new login: a username or an email address, prepared so that every spelling of
/// one login is one account ([`crate::login`]).
///
/// # Errors
///
/// Why it cannot be a login, naming it and what is allowed.
pub fn validate_login(login: &str) -> Result<Login, String> {
    crate::login::new_login(login)
}

/// Gives every account made before skeletons were kept its login's skeleton. An account whose
/// skeleton another already has keeps none (both go on signing in as before) and is counted
/// in the log, without its login.
///
/// # Errors
///
/// The store's errors.
pub async fn fill_login_skeletons(store: &Store) -> Result<(), AppError> {
    let mut clashes = 0_u32;
    for (id, login) in store.users_without_skeleton().await? {
        match store
            .set_login_skeleton(&id, &crate::login::skeleton(&login))
            .await
        {
            Ok(()) => {}
            Err(spinewise_store::StoreError::LoginTaken) => clashes += 1,
            Err(e) => return Err(e.into()),
        }
    }
    if clashes > 0 {
        tracing::warn!(
            accounts = clashes,
            "accounts whose login looks like another's kept no skeleton"
        );
    }
    Ok(())
}

/// Checks a new password.
pub fn validate_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(format!(
            "a password needs at least {MIN_PASSWORD_CHARS} characters"
        ))
    } else if password.len() > MAX_PASSWORD_BYTES {
        Err(format!(
            "a password can have at most {MAX_PASSWORD_BYTES} bytes"
        ))
    } else {
        Ok(())
    }
}

/// Why a sign-in did not succeed. The message never says whether the account exists.
#[derive(Debug)]
pub enum SignInError {
    /// Wrong login or password.
    Rejected,
    /// Too many attempts; try again in this many seconds.
    Throttled {
        /// How long to wait (seconds).
        wait_secs: i64,
    },
    /// Something failed on our side.
    Failed(AppError),
}

impl From<AppError> for SignInError {
    fn from(e: AppError) -> Self {
        SignInError::Failed(e)
    }
}

impl From<spinewise_store::StoreError> for SignInError {
    fn from(e: spinewise_store::StoreError) -> Self {
        SignInError::Failed(e.into())
    }
}

/// The throttling key of the account a login names: every spelling of one login counts
/// against the same account.
fn account_key(login: &str) -> String {
    let prepared = crate::login::prepare(login).unwrap_or_else(|_| login.trim().to_owned());
    format!("account:{}", prepared.to_lowercase())
}

/// The account a typed login names, if it is a login at all.
async fn account_named(store: &Store, login: &str) -> Result<Option<User>, AppError> {
    match crate::login::prepare(login) {
        Ok(prepared) => Ok(store.user_by_login(&prepared).await?),
        Err(_) => Ok(None),
    }
}

/// Forgets the attempts counted against an account (when it is deleted).
pub async fn forget_failures(store: &Store, login: &str) -> Result<(), AppError> {
    clear_failures(store, &account_key(login)).await
}

/// The name of the server secret that keys the throttling records.
const THROTTLE_SECRET: &str = "throttle";

/// The form in which a throttling key (`account:<login>`, `address:<ip>`) is stored: an
/// HMAC-SHA256 under a secret kept in the database, so that the table of recent failures
/// holds no login and no address in the clear, and every server instance on the database
/// agrees.
async fn stored_key(store: &Store, plain: &str) -> Result<String, AppError> {
    let kind = plain.split_once(':').map_or("key", |(kind, _)| kind);
    Ok(format!(
        "{kind}:{}",
        server_mac(store, THROTTLE_SECRET, plain).await?
    ))
}

/// The name of the server secret that signs the CSRF tokens of visitors without a session.
const CSRF_SECRET: &str = "csrf";

/// The HMAC-SHA256 of `message` under the server secret `name`, base64url.
async fn server_mac(store: &Store, name: &str, message: &str) -> Result<String, AppError> {
    use hmac::{KeyInit as _, Mac as _};
    let mut candidate = [0_u8; 32];
    getrandom::fill(&mut candidate)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("no random source: {e}")))?;
    let secret = store.server_secret(name, &candidate, now()).await?;
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&secret)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("server secret {name}: {e}")))?;
    mac.update(message.as_bytes());
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

/// A new CSRF token for a visitor without a session: a random value and its signature under
/// a server secret, so that a token the client made up (or planted in a cookie) is refused.
///
/// # Errors
///
/// [`AppError::Internal`] if the random source or the database fails.
pub async fn signed_csrf(store: &Store) -> Result<String, AppError> {
    let value = random_token()?;
    let signature = server_mac(store, CSRF_SECRET, &value).await?;
    Ok(format!("{value}.{signature}"))
}

/// Whether `token` is one [`signed_csrf`] made (on any instance on this database).
pub async fn csrf_is_signed(store: &Store, token: &str) -> bool {
    let Some((value, signature)) = token.split_once('.') else {
        return false;
    };
    match server_mac(store, CSRF_SECRET, value).await {
        Ok(expected) => constant_time_eq(&expected, signature),
        Err(_) => false,
    }
}

/// Forgets the failures counted under a throttling key.
async fn clear_failures(store: &Store, plain: &str) -> Result<(), AppError> {
    store
        .clear_login_failures(&stored_key(store, plain).await?)
        .await?;
    Ok(())
}

/// How long each further attempt on an account waits after `failures` failed ones in the
/// window, from every address: none up to [`SPACED_AFTER`], then 1, 2, 4… seconds up to
/// [`MAX_SPACING_SECS`].
pub fn account_spacing(failures: u32) -> i64 {
    match failures.checked_sub(SPACED_AFTER) {
        None => 0,
        Some(over) => 1_i64
            .checked_shl(over.min(16))
            .unwrap_or(MAX_SPACING_SECS)
            .min(MAX_SPACING_SECS),
    }
}

/// Counts an attempt under each key *before* the password is checked, so that guesses sent
/// in parallel are counted too, and refuses when a key is over its limit (until the window
/// has passed). With `account`, also the attempts on that account from every address: each
/// waits its turn ([`account_spacing`]), and after [`MAX_FAILURES_PER_ACCOUNT`] none is
/// taken. A refused attempt is not counted there, so waiting is always enough.
async fn admit(
    store: &Store,
    keys: &[(&str, u32)],
    account: Option<&str>,
) -> Result<(), SignInError> {
    let now = now();
    let since = now - FAILURE_WINDOW_SECS;
    if let Some(plain) = account {
        let key = stored_key(store, plain).await?;
        let failures = store.login_failures_since(&key, since).await?;
        if failures >= MAX_FAILURES_PER_ACCOUNT {
            return Err(SignInError::Throttled {
                wait_secs: FAILURE_WINDOW_SECS,
            });
        }
        let spacing = account_spacing(failures);
        if spacing > 0
            && let Some(last) = store.latest_login_failure(&key).await?
            && now - last < spacing
        {
            return Err(SignInError::Throttled {
                wait_secs: spacing - (now - last),
            });
        }
        store.record_login_failure(&key, now).await?;
    }
    let mut over = false;
    for (plain, limit) in keys {
        let key = stored_key(store, plain).await?;
        store.record_login_failure(&key, now).await?;
        over |= store.login_failures_since(&key, since).await? > *limit;
    }
    if over {
        Err(SignInError::Throttled {
            wait_secs: FAILURE_WINDOW_SECS,
        })
    } else {
        Ok(())
    }
}

/// A wait in words: "40 seconds", "1 minute", "23 minutes" (rounded up).
pub fn wait_words(secs: u64) -> String {
    if secs < 90 {
        return words::count(secs, "second", "seconds");
    }
    words::count(secs.div_ceil(60), "minute", "minutes")
}

/// Admits an import to `user`'s journal: at most `per_hour` ([`MAX_IMPORTS_PER_WINDOW`] on
/// a server as it comes) in [`IMPORT_WINDOW_SECS`], counted
/// in the database (so that every server instance agrees) under a keyed hash of the account,
/// whether or not the import is then written. Each attempt is counted before the others are,
/// so that imports sent at once cannot all slip through; the wait it answers with is until
/// enough of the hour's attempts, this one included, have aged out.
///
/// # Errors
///
/// [`AppError::TooManyRequests`] saying how long to wait; [`AppError::Internal`] if the
/// database fails.
pub async fn admit_import(store: &Store, user: &UserId, per_hour: u32) -> Result<(), AppError> {
    let key = stored_key(store, &format!("import:{}", user.as_str())).await?;
    let now = now();
    let since = now - IMPORT_WINDOW_SECS;
    store.record_login_failure(&key, now).await?;
    let count = store.login_failures_since(&key, since).await?;
    let Some(over) = count.checked_sub(per_hour).filter(|over| *over > 0) else {
        return Ok(());
    };
    // With `over` too many in the window, one more can start once the `over` oldest have left
    // it: the last of them leaves a second after the window has passed it.
    let leaves = store
        .nth_login_failure_since(&key, since, over - 1)
        .await?
        .unwrap_or(now);
    let wait = u64::try_from(leaves + IMPORT_WINDOW_SECS + 1 - now)
        .unwrap_or(1)
        .max(1);
    Err(AppError::TooManyRequests {
        detail: format!(
            "this account has tried {count} imports in the last hour, this one included, and \
             the most is {per_hour} an hour; wait {} and try again",
            wait_words(wait)
        ),
        retry_after_secs: wait,
    })
}

/// Deletes the throttling records that no window counts any more: failed sign-ins after
/// [`FAILURE_WINDOW_SECS`], imports after [`IMPORT_WINDOW_SECS`].
///
/// # Errors
///
/// [`AppError::Internal`] if the database fails.
pub async fn sweep_throttling(store: &Store, now: i64) -> Result<(), AppError> {
    store
        .delete_login_failures_before_except("import", now - FAILURE_WINDOW_SECS)
        .await?;
    store
        .delete_login_failures_before(now - IMPORT_WINDOW_SECS.max(FAILURE_WINDOW_SECS))
        .await?;
    Ok(())
}

/// Admits a sign-up from `address`: creating accounts, and learning which logins are taken,
/// is limited per address.
pub async fn admit_signup(store: &Store, address: &str) -> Result<(), SignInError> {
    admit(
        store,
        &[(&format!("signup:{address}"), MAX_SIGNUPS_PER_ADDRESS)],
        None,
    )
    .await
}

/// Checks a login and password, with throttling per account and per address.
pub async fn authenticate(
    store: &Store,
    login: &str,
    password: &str,
    address: &str,
) -> Result<User, SignInError> {
    let account = account_key(login);
    let from_here = format!("{account}|address:{address}");
    admit(
        store,
        &[
            (&from_here, MAX_ATTEMPTS_PER_ACCOUNT),
            (&format!("address:{address}"), MAX_ATTEMPTS_PER_ADDRESS),
        ],
        Some(&account),
    )
    .await?;
    let user = account_named(store, login).await?;
    let ok = verify_password(
        password.to_owned(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    match user {
        Some(user) if ok => {
            clear_failures(store, &from_here).await?;
            clear_failures(store, &account).await?;
            Ok(user)
        }
        _ => Err(SignInError::Rejected),
    }
}

/// Checks the signed-in user's password again (to change it, or to delete the account), with
/// the same per-account limit as signing in.
pub async fn confirm_password(
    store: &Store,
    user: &UserId,
    login: &str,
    password: &str,
) -> Result<(), SignInError> {
    // Only the signed-in session can try here: its own limit, apart from sign-ins.
    let confirming = format!("confirm:{}", account_key(login));
    admit(store, &[(&confirming, MAX_ATTEMPTS_PER_ACCOUNT)], None).await?;
    let stored = store.user_by_id(user).await?;
    if verify_password(password.to_owned(), stored.map(|u| u.password_hash)).await? {
        clear_failures(store, &confirming).await?;
        Ok(())
    } else {
        Err(SignInError::Rejected)
    }
}

/// Starts a session for `user`, ending `old` (the token of the session the client had: the id
/// is rotated at every sign-in), with the journal's key wrapped under the new token and, when
/// there is one, a secret to show once sealed for it, in the same row. Returns the new
/// session's token, which only the client keeps.
pub async fn start_session(
    store: &Store,
    old: Option<&str>,
    user: &UserId,
    key: Option<&DataKey>,
    shown_once: &Waiting,
) -> Result<String, AppError> {
    if let Some(old) = old {
        store.delete_session(&hash_token(old)).await?;
    }
    let token = random_token()?;
    let csrf = random_token()?;
    let wrapped_key = key.map(|k| wrap_under_token(k, &token)).transpose()?;
    let shown_once = (!shown_once.is_empty())
        .then(|| shown_once.seal(&token))
        .transpose()?;
    let now = now();
    store
        .create_session(&NewSession {
            id_hash: &hash_token(&token),
            user_id: user,
            csrf_token: &csrf,
            created_at: now,
            idle_expires_at: now + IDLE_SECS,
            absolute_expires_at: now + ABSOLUTE_SECS,
            wrapped_key: wrapped_key.as_deref(),
            shown_once: shown_once.as_deref(),
        })
        .await?;
    Ok(token)
}

/// Replaces what waits to be shown once in the session whose cookie holds `session_token`
/// (nothing waiting clears it). Returns whether the session was still live.
///
/// # Errors
///
/// [`AppError::Internal`] if sealing fails; the store's errors.
pub async fn set_shown_once(
    store: &Store,
    session_token: &str,
    waiting: &Waiting,
) -> Result<bool, AppError> {
    let sealed = (!waiting.is_empty())
        .then(|| waiting.seal(session_token))
        .transpose()?;
    Ok(store
        .set_shown_once(&hash_token(session_token), now(), sealed.as_deref())
        .await?)
}

/// Unwraps a key wrapped under a session or API token. A blob that does not open (it was
/// tampered with) counts as no key: the journal stays locked rather than the request failing.
pub fn key_under_token(wrapped: Option<&[u8]>, token: &str) -> Option<Arc<DataKey>> {
    wrapped
        .and_then(|blob| vault::unwrap_with_token(blob, token.as_bytes()).ok())
        .map(Arc::new)
}

/// Wraps a data key under a session or API token.
pub fn wrap_under_token(key: &DataKey, token: &str) -> Result<Vec<u8>, AppError> {
    vault::wrap_with_token(key, token.as_bytes())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot wrap a key: {e}")))
}

fn vault_failure(e: VaultError) -> AppError {
    AppError::Internal(anyhow::anyhow!("journal key: {e}"))
}

/// A new account's keys: a fresh data key, a recovery code, and the key wrapped under each
/// of the password and the code (Argon2id twice, off the async threads).
pub struct NewKeys {
    /// The data key.
    pub key: DataKey,
    /// The recovery code, to show once.
    pub code: RecoveryCode,
    password_wrapped: Vec<u8>,
    recovery_wrapped: Vec<u8>,
}

impl std::fmt::Debug for NewKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewKeys(<redacted>)")
    }
}

impl NewKeys {
    /// Makes the keys for an account with this password.
    pub async fn generate(password: String) -> Result<NewKeys, AppError> {
        tokio::task::spawn_blocking(move || {
            let key = DataKey::generate()?;
            let code = vault::recovery_code()?;
            let password_wrapped = vault::wrap_with_password(&key, &password)?;
            let recovery_wrapped = vault::wrap_with_recovery_code(&key, &code)?;
            Ok(NewKeys {
                key,
                code,
                password_wrapped,
                recovery_wrapped,
            })
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(vault_failure)
    }

    /// The wrapped keys, as the store takes them.
    pub fn wrapped(&self) -> NewUserKeys<'_> {
        NewUserKeys {
            password_wrapped: &self.password_wrapped,
            recovery_wrapped: &self.recovery_wrapped,
        }
    }
}

/// Unwraps an account's data key with the password just checked. An account made before
/// journals existed gets its keys now, and the recovery code comes back to be shown once.
pub async fn unlock(
    store: &Store,
    user: &UserId,
    password: &str,
) -> Result<(DataKey, Option<RecoveryCode>), AppError> {
    match store.user_keys(user).await? {
        Some(keys) => {
            let password = password.to_owned();
            let key = tokio::task::spawn_blocking(move || {
                vault::unwrap_with_password(&keys.password_wrapped, &password)
            })
            .await
            .map_err(|e| AppError::Internal(e.into()))?
            .map_err(vault_failure)?;
            Ok((key, None))
        }
        None => {
            let new = NewKeys::generate(password.to_owned()).await?;
            let wrapped = new.wrapped();
            if store
                .insert_user_keys(
                    user,
                    wrapped.password_wrapped,
                    wrapped.recovery_wrapped,
                    now(),
                )
                .await?
            {
                return Ok((new.key, Some(new.code)));
            }
            // Another sign-in gave the account its keys a moment ago: use those.
            Box::pin(unlock(store, user, password)).await
        }
    }
}

/// Wraps a data key under a new password (Argon2id, off the async threads).
pub async fn wrap_under_password(key: Arc<DataKey>, password: String) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(move || vault::wrap_with_password(&key, &password))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(vault_failure)
}

/// Unwraps an account's data key with its recovery code. `None` when the code is not this
/// account's (or the account has no keys).
pub async fn unlock_with_recovery_code(
    store: &Store,
    user: &UserId,
    code: RecoveryCode,
) -> Result<Option<DataKey>, AppError> {
    let Some(keys) = store.user_keys(user).await? else {
        // As long as a wrong code, so that the answer does not tell such accounts apart.
        let _ = verify_password(String::new(), None).await;
        return Ok(None);
    };
    let opened = tokio::task::spawn_blocking(move || {
        vault::unwrap_with_recovery_code(&keys.recovery_wrapped, &code)
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?;
    match opened {
        Ok(key) => Ok(Some(key)),
        Err(VaultError::WrongSecret { .. }) => Ok(None),
        Err(e) => Err(vault_failure(e)),
    }
}

/// A new recovery code for the signed-in account whose password this is: the journal's key
/// is wrapped under the new code in place of the old one, which stops working. The password
/// check is throttled like a password change.
///
/// # Errors
///
/// [`SignInError::Rejected`] for a wrong password, [`SignInError::Throttled`] after too many,
/// [`SignInError::Failed`] if the account has no journal key yet or something fails.
pub async fn new_recovery_code(
    store: &Store,
    user: &UserId,
    login: &str,
    password: &str,
) -> Result<RecoveryCode, SignInError> {
    confirm_password(store, user, login, password).await?;
    let (key, made_now) = unlock(store, user, password).await?;
    if let Some(code) = made_now {
        // The account got its first keys just now, with this code.
        return Ok(code);
    }
    let (code, wrapped) = tokio::task::spawn_blocking(move || {
        let code = vault::recovery_code()?;
        let wrapped = vault::wrap_with_recovery_code(&key, &code)?;
        Ok::<_, VaultError>((code, wrapped))
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
    .map_err(vault_failure)?;
    if store
        .replace_recovery_wrapped(user, &wrapped, now())
        .await?
    {
        Ok(code)
    } else {
        Err(AppError::Internal(anyhow::anyhow!("the account has no keys to replace")).into())
    }
}

/// Checks a login and recovery code, with the same throttling as signing in.
pub async fn authenticate_recovery(
    store: &Store,
    login: &str,
    code: RecoveryCode,
    address: &str,
) -> Result<(User, DataKey), SignInError> {
    let account = account_key(login);
    let from_here = format!("{account}|address:{address}");
    admit(
        store,
        &[
            (&from_here, MAX_ATTEMPTS_PER_ACCOUNT),
            (&format!("address:{address}"), MAX_ATTEMPTS_PER_ADDRESS),
        ],
        Some(&account),
    )
    .await?;
    let Some(user) = account_named(store, login).await? else {
        // As long as a wrong code, so that the answer does not tell whether the login exists.
        let _ = verify_password(String::new(), None).await;
        return Err(SignInError::Rejected);
    };
    match unlock_with_recovery_code(store, &user.id, code).await? {
        Some(key) => {
            clear_failures(store, &from_here).await?;
            clear_failures(store, &account).await?;
            Ok((user, key))
        }
        None => Err(SignInError::Rejected),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_usernames_or_email_addresses() {
        for ok in ["sam", "sam.k_1-x", "sam@example.org", " Sam@Example.org "] {
            assert!(validate_login(ok).is_ok(), "{ok}");
        }
        for bad in ["ab", "sam@", "@x.org", "sam@x", "x<y>z"] {
            let e = validate_login(bad).expect_err("refused");
            assert!(e.contains(&format!("'{}'", bad.trim())), "{e}");
        }
        for bad in ["", "sam smith"] {
            assert!(validate_login(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn attempts_on_an_account_are_spaced_more_and_more_but_never_walled_off() {
        assert_eq!(account_spacing(0), 0);
        assert_eq!(account_spacing(SPACED_AFTER - 1), 0);
        assert_eq!(account_spacing(SPACED_AFTER), 1);
        assert_eq!(account_spacing(SPACED_AFTER + 3), 8);
        assert_eq!(account_spacing(SPACED_AFTER + 40), MAX_SPACING_SECS);
        assert_eq!(account_spacing(u32::MAX), MAX_SPACING_SECS);
    }

    #[test]
    fn every_spelling_of_a_login_is_throttled_as_one_account() {
        assert_eq!(
            account_key("ＳＡＭ@example.org"),
            account_key(" sam@example.org")
        );
        assert_eq!(account_key("cafe\u{301}"), account_key("caf\u{e9}"));
    }

    #[test]
    fn waits_are_said_in_seconds_then_whole_minutes_rounded_up() {
        assert_eq!(wait_words(1), "1 second");
        assert_eq!(wait_words(89), "89 seconds");
        assert_eq!(wait_words(90), "2 minutes");
        assert_eq!(wait_words(3_601), "61 minutes");
    }

    #[tokio::test]
    async fn imports_are_limited_per_account_and_the_wait_is_until_one_more_fits() {
        let store = Store::open("sqlite::memory:").await.expect("a store");
        let (kim, lee) = (UserId::new(), UserId::new());
        for _ in 0..MAX_IMPORTS_PER_WINDOW {
            admit_import(&store, &kim, MAX_IMPORTS_PER_WINDOW)
                .await
                .expect("within the limit");
        }
        let Err(AppError::TooManyRequests {
            detail,
            retry_after_secs,
        }) = admit_import(&store, &kim, MAX_IMPORTS_PER_WINDOW).await
        else {
            panic!("the eleventh is refused");
        };
        assert!(
            (IMPORT_WINDOW_SECS as u64 - 5..=IMPORT_WINDOW_SECS as u64 + 1)
                .contains(&retry_after_secs),
            "{retry_after_secs}"
        );
        assert!(
            detail.contains("tried 11 imports in the last hour")
                && detail.contains("the most is 10")
                && (detail.contains("wait 60 minutes") || detail.contains("wait 61 minutes")),
            "{detail}"
        );
        admit_import(&store, &lee, MAX_IMPORTS_PER_WINDOW)
            .await
            .expect("another account's own");
    }

    #[test]
    fn passwords_need_ten_characters() {
        assert!(validate_password("short").is_err());
        assert!(validate_password("long enough pass").is_ok());
        assert!(validate_password(&"x".repeat(600)).is_err());
    }

    #[tokio::test]
    async fn a_password_verifies_against_its_hash_only() {
        let hash = hash_password("correct horse battery".to_owned())
            .await
            .expect("hashed");
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            verify_password("correct horse battery".to_owned(), Some(hash.clone()))
                .await
                .expect("checked")
        );
        assert!(
            !verify_password("wrong horse battery".to_owned(), Some(hash))
                .await
                .expect("checked")
        );
        assert!(
            !verify_password("anything".to_owned(), None)
                .await
                .expect("checked")
        );
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let a = random_token().expect("token");
        let b = random_token().expect("token");
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), hash_token(&b));
    }
}
