//! The journal service: the one place where journal entries meet their encryption.
//!
//! Every entry is checked ([`Entry::validate`]), serialised to JSON and sealed with
//! XChaCha20-Poly1305 under the user's data key before it reaches the store; reading opens
//! and checks each one. The associated data binds a sealed entry to its user and id, so a row
//! copied to another user or id does not open. The store sees ids, write times and
//! ciphertext, nothing else: not even an entry's kind or date.
//!
//! Writes are idempotent by the entry's client-chosen id: [`create`] of an id that exists with
//! the same content succeeds without writing; with other content it is a conflict. [`import`]
//! is all or nothing, and [`check_import`] is its checking half, without the store.
//!
//! A journal is bounded (the store's [`JournalQuota`], checked in the transaction of every
//! write): a write that would take it past its entries or its bytes is refused whole with
//! [`JournalError::Full`], which says what it holds and what it may hold.

use spinewise_domain::Knowledge;
use spinewise_domain::journal::{DailyCheckIn, Entry, EntryError, EntryId, Journal, LocalDate};
use spinewise_domain::vocab::PainScore;
use spinewise_store::{JournalQuota, JournalUsage, Store, StoreError, UserId};
use spinewise_vault::DataKey;

use crate::error::{AppError, FieldError};
use crate::partner;

/// Why a journal operation failed.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The entry is not valid.
    #[error(transparent)]
    Invalid(#[from] EntryError),
    /// An entry with this id exists with other content.
    #[error(
        "an entry with id '{0}' already exists with other content; choose a new id, or replace it with PUT"
    )]
    Conflict(EntryId),
    /// An import names the same id twice.
    #[error("entries[{index}].id: '{id}' appears more than once in the import")]
    Duplicate {
        /// The position of the second one.
        index: usize,
        /// The id.
        id: EntryId,
    },
    /// A stored entry does not open under this key or does not parse: the database was
    /// altered, or the key is not this user's.
    #[error("the stored entry '{0}' cannot be opened")]
    Undecryptable(String),
    /// The write would take the journal past its quota; nothing was written.
    #[error("{}", full_words(usage, would_be, quota))]
    Full {
        /// What the journal holds.
        usage: JournalUsage,
        /// What it would have held.
        would_be: JournalUsage,
        /// What it may hold.
        quota: JournalQuota,
    },
    /// The database failed.
    #[error(transparent)]
    Store(StoreError),
    /// Sealing failed (no randomness, say).
    #[error("cannot seal an entry: {0}")]
    Seal(String),
    /// The entry was written, but what the user shares with a linked partner could not be
    /// brought up to date from it.
    #[error("the entry was saved, but what you share with your partner could not be updated: {0}")]
    Shared(String),
}

// The journal's failures, and the store's (a full journal is the journal's), as the
// application's: here rather than in `error`, so that `error` sits below every use case.
impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::JournalFull { .. } => JournalError::from(e).into(),
            e => AppError::Internal(e.into()),
        }
    }
}

impl From<JournalError> for AppError {
    fn from(e: JournalError) -> Self {
        use JournalError as J;
        match e {
            J::Invalid(e) => AppError::field(e.field, e.message),
            J::Duplicate { index, ref id } => AppError::field(
                format!("entries[{index}].id"),
                format!("'{id}' appears more than once in the import"),
            ),
            J::Conflict(ref id) => AppError::Conflict {
                detail: e.to_string(),
                errors: vec![FieldError::new(
                    "id",
                    format!("an entry with id '{id}' already exists with other content"),
                )],
            },
            J::Full { usage, quota, .. } => AppError::JournalFull {
                detail: e.to_string(),
                usage: usage.into(),
                limit: quota.into(),
            },
            J::Store(e) => e.into(),
            J::Undecryptable(_) | J::Seal(_) | J::Shared(_) => AppError::Internal(e.into()),
        }
    }
}

impl From<StoreError> for JournalError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::JournalFull {
                usage,
                would_be,
                quota,
            } => JournalError::Full {
                usage,
                would_be,
                quota,
            },
            e => JournalError::Store(e),
        }
    }
}

/// A whole number with its thousands grouped: "50,000".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes in mebibytes with one decimal ("12.3 MiB"), whole when they are whole ("64 MiB").
pub fn mebibytes(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes.is_multiple_of(MIB) {
        return format!("{} MiB", thousands(bytes / MIB));
    }
    let tenths = (bytes * 10).div_ceil(MIB);
    format!("{}.{} MiB", thousands(tenths / 10), tenths % 10)
}

/// How full a journal is, in words: "1,234 of 50,000 entries, 0.4 of 64 MiB".
pub fn usage_words(usage: &JournalUsage, quota: &JournalQuota) -> String {
    let of_bytes = mebibytes(quota.bytes);
    format!(
        "{} of {} entries, {} of {of_bytes}",
        thousands(usage.entries),
        thousands(quota.entries),
        mebibytes(usage.bytes).trim_end_matches(" MiB"),
    )
}

/// Why a write was refused for the quota, naming the bound it would pass and what the journal
/// holds.
fn full_words(usage: &JournalUsage, would_be: &JournalUsage, quota: &JournalQuota) -> String {
    let passed = if would_be.entries > quota.entries && would_be.entries > usage.entries {
        format!(
            "this would make {} entries, more than the {} an account keeps",
            thousands(would_be.entries),
            thousands(quota.entries)
        )
    } else {
        format!(
            "this would make {} of entries, more than the {} an account keeps",
            mebibytes(would_be.bytes),
            mebibytes(quota.bytes)
        )
    };
    format!(
        "your journal is full: it holds {}, and {passed}; delete entries you no longer need \
         (export the journal first to keep a copy) and try again",
        usage_words(usage, quota)
    )
}

/// Entries are padded to a multiple of this many bytes before they are sealed.
pub const PAD_TO: usize = 256;

/// The most entries one import takes.
pub const MAX_IMPORT_ENTRIES: usize = 200_000;

/// How a [`create`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    /// The entry is new.
    New,
    /// The same entry was already there (a retried write); nothing was written.
    AlreadyThere,
}

/// The id of the user's check-in for `date`: the same for every write on that date, but a
/// keyed pseudonym, so that the id (which the database holds in the clear) does not show the
/// date.
pub fn daily_id(key: &DataKey, date: LocalDate) -> EntryId {
    EntryId::daily_pseudonym(key.pseudonym(format!("daily check-in {date}").as_bytes()))
}

/// The user's check-in for `date`, whatever its id (one written here, imported, or from an
/// API client): the one under [`daily_id`] if there is one, else the latest of that date.
///
/// # Errors
///
/// As [`load`].
pub async fn day_check_in(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    date: LocalDate,
) -> Result<Option<DailyCheckIn>, JournalError> {
    if let Some(Entry::Daily(d)) = get(store, user, key, &daily_id(key, date)).await? {
        return Ok(Some(d));
    }
    let journal = load(store, user, key).await?;
    Ok(journal.entries().iter().rev().find_map(|e| match e {
        Entry::Daily(d) if d.date == date => Some(d.clone()),
        _ => None,
    }))
}

/// The associated data of an entry: what its ciphertext is bound to.
fn aad(user: &UserId, id: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(32 + user.as_str().len() + id.len());
    aad.extend_from_slice(b"spinewise journal entry v1\0");
    aad.extend_from_slice(user.as_str().as_bytes());
    aad.push(0);
    aad.extend_from_slice(id.as_bytes());
    aad
}

/// The id an entry's row is stored under: a keyed pseudonym of the entry's own id (`k` and
/// 32 hex digits), so that ids an app chose ("2024-03-01-evening", say) are not in the
/// database in the clear. The entry's own id is inside the sealed bytes.
pub fn row_id(key: &DataKey, id: &EntryId) -> String {
    let pseudonym = key.pseudonym(format!("journal entry id {}", id.as_str()).as_bytes());
    let mut row = String::with_capacity(33);
    row.push('k');
    for byte in pseudonym {
        row.push_str(&format!("{byte:02x}"));
    }
    row
}

/// Seals an entry for storage under its row id ([`row_id`]).
pub fn seal(key: &DataKey, user: &UserId, entry: &Entry) -> Result<Vec<u8>, JournalError> {
    seal_as(key, user, entry, &row_id(key, entry.id()))
}

/// Seals an entry for the row `row`.
fn seal_as(
    key: &DataKey,
    user: &UserId,
    entry: &Entry,
    row: &str,
) -> Result<Vec<u8>, JournalError> {
    let mut json = serde_json::to_vec(entry).map_err(|e| JournalError::Seal(e.to_string()))?;
    // Padded with spaces (which JSON ignores) to a multiple of PAD_TO bytes, so that the
    // ciphertext's length does not tell a score of 9 from 10, or one kind from another of
    // similar size.
    json.resize(json.len().div_ceil(PAD_TO) * PAD_TO, b' ');
    key.seal(&aad(user, row), &json)
        .map_err(|e| JournalError::Seal(e.to_string()))
}

/// Opens a stored entry from its row: one stored under its [`row_id`], or one stored under
/// its own id before ids were pseudonymised.
pub fn open(key: &DataKey, user: &UserId, row: &str, sealed: &[u8]) -> Result<Entry, JournalError> {
    let json = key
        .open(&aad(user, row), sealed)
        .map_err(|_| JournalError::Undecryptable(row.to_owned()))?;
    let entry: Entry =
        serde_json::from_slice(&json).map_err(|_| JournalError::Undecryptable(row.to_owned()))?;
    if row == row_id(key, entry.id()) || entry.id().as_str() == row {
        Ok(entry)
    } else {
        Err(JournalError::Undecryptable(row.to_owned()))
    }
}

/// Moves opened entries still stored under their own ids to their [`row_id`]s, sealed again
/// for it, in one transaction.
async fn move_to_pseudonyms(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    stored_under_own_id: &[&Entry],
) -> Result<(), JournalError> {
    if stored_under_own_id.is_empty() {
        return Ok(());
    }
    let moves = stored_under_own_id
        .iter()
        .map(|e| {
            let row = row_id(key, e.id());
            let sealed = seal_as(key, user, e, &row)?;
            Ok((e.id().as_str().to_owned(), row, sealed))
        })
        .collect::<Result<Vec<_>, JournalError>>()?;
    store.move_entries(user, &moves).await?;
    Ok(())
}

/// Moves the entry with id `id` to its [`row_id`] if it is still stored under its own id;
/// returns it, opened, if it was.
async fn move_one(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    id: &EntryId,
) -> Result<Option<Entry>, JournalError> {
    if id.as_str() == row_id(key, id) {
        return Ok(None);
    }
    match store.entry(user, id.as_str()).await? {
        Some(row) => {
            let entry = open(key, user, &row.id, &row.sealed)?;
            move_to_pseudonyms(store, user, key, &[&entry]).await?;
            Ok(Some(entry))
        }
        None => Ok(None),
    }
}

/// The journal's version: it goes up with every change to the user's entries, on whichever
/// instance (see [`Store::journal_version`]).
///
/// # Errors
///
/// [`JournalError::Store`] if the database fails.
pub async fn version(store: &Store, user: &UserId) -> Result<u64, JournalError> {
    Ok(store.journal_version(user).await?)
}

/// The user's whole journal, opened.
///
/// # Errors
///
/// [`JournalError::Undecryptable`] if any entry does not open; [`JournalError::Store`].
pub async fn load(store: &Store, user: &UserId, key: &DataKey) -> Result<Journal, JournalError> {
    let rows = store.entries(user).await?;
    let entries = rows
        .iter()
        .map(|row| open(key, user, &row.id, &row.sealed))
        .collect::<Result<Vec<_>, _>>()?;
    let under_own_id: Vec<&Entry> = rows
        .iter()
        .zip(&entries)
        .filter(|(row, e)| row.id != row_id(key, e.id()))
        .map(|(_, e)| e)
        .collect();
    move_to_pseudonyms(store, user, key, &under_own_id).await?;
    Ok(Journal::new(entries))
}

/// After a write: brings what the user shares with a linked partner (today's pain, their
/// morning-after answers) up to date from the journal, if they share either.
async fn share_after_write(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    now: i64,
) -> Result<(), JournalError> {
    let shared = |e: AppError| JournalError::Shared(e.to_string());
    if partner::shares_from_journal(store, user, key)
        .await
        .map_err(shared)?
    {
        let journal = load(store, user, key).await?;
        partner::refresh(store, user, key, partner::Source::Journal(&journal), now)
            .await
            .map_err(shared)?;
    }
    Ok(())
}

/// One entry, opened.
///
/// # Errors
///
/// As [`load`].
pub async fn get(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    id: &EntryId,
) -> Result<Option<Entry>, JournalError> {
    match store.entry(user, &row_id(key, id)).await? {
        Some(row) => open(key, user, &row.id, &row.sealed).map(Some),
        None => move_one(store, user, key, id).await,
    }
}

/// Deletes one entry. Returns whether there was one.
///
/// # Errors
///
/// [`JournalError::Store`].
pub async fn delete(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    id: &EntryId,
) -> Result<bool, JournalError> {
    let pseudonymous = store.delete_entry(user, &row_id(key, id)).await?;
    let under_own_id = store.delete_entry(user, id.as_str()).await?;
    share_after_write(store, user, key, crate::clock::unix_now()).await?;
    Ok(pseudonymous || under_own_id)
}

/// Deletes the user's whole journal. Returns how many entries there were. With the key, what
/// they share with a linked partner from the journal (today's pain, morning answers) goes too.
///
/// # Errors
///
/// [`JournalError::Store`]; [`JournalError::Shared`] if the share could not be refreshed (the
/// journal is deleted then).
pub async fn delete_all(
    store: &Store,
    user: &UserId,
    key: Option<&DataKey>,
    now: i64,
) -> Result<u64, JournalError> {
    let deleted = store.delete_journal(user).await?;
    if let Some(key) = key {
        share_after_write(store, user, key, now).await?;
    }
    Ok(deleted)
}

/// Adds a new entry, idempotently: the same entry sent twice is written once.
///
/// # Errors
///
/// [`JournalError::Invalid`], [`JournalError::Conflict`] when the id is taken by another
/// entry, [`JournalError::Full`] when the journal has no room for it, [`JournalError::Store`].
pub async fn create(
    store: &Store,
    knowledge: &Knowledge,
    user: &UserId,
    key: &DataKey,
    entry: &Entry,
    now: i64,
) -> Result<Created, JournalError> {
    entry.validate(knowledge, now)?;
    move_one(store, user, key, entry.id()).await?;
    let sealed = seal(key, user, entry)?;
    if store
        .insert_entry(user, &row_id(key, entry.id()), &sealed, now)
        .await?
    {
        share_after_write(store, user, key, now).await?;
        return Ok(Created::New);
    }
    match get(store, user, key, entry.id()).await? {
        Some(existing) if existing == *entry => {
            // A retry: the first try's share refresh may be the part that failed.
            share_after_write(store, user, key, now).await?;
            Ok(Created::AlreadyThere)
        }
        _ => Err(JournalError::Conflict(entry.id().clone())),
    }
}

/// Creates or replaces an entry.
///
/// # Errors
///
/// [`JournalError::Invalid`], [`JournalError::Full`] when the journal has no room for it (a
/// replacement as large as the entry it replaces always has room), [`JournalError::Store`].
pub async fn put(
    store: &Store,
    knowledge: &Knowledge,
    user: &UserId,
    key: &DataKey,
    entry: &Entry,
    now: i64,
) -> Result<(), JournalError> {
    entry.validate(knowledge, now)?;
    move_one(store, user, key, entry.id()).await?;
    let sealed = seal(key, user, entry)?;
    store
        .put_entry(user, &row_id(key, entry.id()), &sealed, now)
        .await?;
    share_after_write(store, user, key, now).await?;
    Ok(())
}

/// Checks entries for an import, before anything is sealed or written: no more than
/// [`MAX_IMPORT_ENTRIES`], each valid ([`Entry::validate`], the field named under
/// `entries[i]`), and no id twice. Pure: no store, no key.
///
/// # Errors
///
/// [`JournalError::Invalid`] with the entry's index in the field, [`JournalError::Duplicate`].
pub fn check_import(
    knowledge: &Knowledge,
    entries: &[Entry],
    now: i64,
) -> Result<(), JournalError> {
    if entries.len() > MAX_IMPORT_ENTRIES {
        return Err(EntryError::new(
            "entries",
            format!(
                "{} entries are more than one import takes ({MAX_IMPORT_ENTRIES}); split the file",
                entries.len()
            ),
        )
        .into());
    }
    let mut seen = std::collections::HashSet::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        entry
            .validate(knowledge, now)
            .map_err(|e| EntryError::new(format!("entries[{index}].{}", e.field), e.message))?;
        if !seen.insert(entry.id()) {
            return Err(JournalError::Duplicate {
                index,
                id: entry.id().clone(),
            });
        }
    }
    Ok(())
}

/// Imports entries in one transaction, after checking every one ([`check_import`]): either
/// all are written or none. With `replace_all` the journal is emptied first; otherwise entries
/// replace those with the same id and the rest stay.
///
/// # Errors
///
/// [`JournalError::Invalid`] with the entry's index in the field, [`JournalError::Duplicate`],
/// [`JournalError::Full`] when the journal would end up past its quota (with `replace_all`,
/// the import alone counts), [`JournalError::Store`].
pub async fn import(
    store: &Store,
    knowledge: &Knowledge,
    user: &UserId,
    key: &DataKey,
    entries: &[Entry],
    replace_all: bool,
    now: i64,
) -> Result<u64, JournalError> {
    check_import(knowledge, entries, now)?;
    let quota = store.journal_quota();
    if u64::try_from(entries.len()).unwrap_or(u64::MAX) > quota.entries {
        // Refused before the work of sealing: however it merges, the journal cannot hold it.
        let usage = store.journal_usage(user).await?;
        return Err(JournalError::Full {
            usage,
            would_be: JournalUsage {
                entries: u64::try_from(entries.len()).unwrap_or(u64::MAX),
                bytes: usage.bytes,
            },
            quota,
        });
    }
    let rows = entries
        .iter()
        .map(|entry| Ok((row_id(key, entry.id()), seal(key, user, entry)?)))
        .collect::<Result<Vec<_>, JournalError>>()?;
    if !replace_all {
        // Entries still under their own ids move first, so that one imported again replaces
        // its row rather than standing beside it.
        load(store, user, key).await?;
    }
    let written = store.import_entries(user, &rows, replace_all, now).await?;
    share_after_write(store, user, key, now).await?;
    Ok(written)
}

/// The names of the positions an intimacy log noted, or that it noted none.
pub fn position_names(k: &Knowledge, ids: &[String]) -> String {
    let names: Vec<&str> = ids
        .iter()
        .map(|id| k.position(id).map_or(id.as_str(), |p| p.name.as_str()))
        .collect();
    if names.is_empty() {
        "no position noted".to_owned()
    } else {
        names.join(", ")
    }
}

/// A one-line summary of an entry, for lists.
pub fn summary(k: &Knowledge, entry: &Entry) -> String {
    let opt = |label: &str, v: Option<PainScore>| v.map(|p| format!("{label} {}", p.value()));
    match entry {
        Entry::Intimacy(e) => {
            let mut parts = vec![
                position_names(k, &e.positions),
                format!("pain {} → {}", e.pain_before.value(), e.pain_after.value()),
            ];
            parts.extend(opt("next day", e.next_day_pain));
            if e.stopped_early {
                parts.push("stopped early".to_owned());
            }
            if !e.symptoms.is_empty() {
                parts.push(format!("{} symptom(s) noted", e.symptoms.len()));
            }
            parts.join(" · ")
        }
        Entry::Daily(e) => {
            let mut parts: Vec<String> = Vec::new();
            parts.extend(opt("morning pain", e.pain_morning));
            parts.extend(opt("evening pain", e.pain_evening));
            if let Some(h) = e.sleep_hours {
                parts.push(format!("slept {h} h"));
            }
            if let Some(q) = e.sleep_quality {
                parts.push(format!("sleep {}/5", q.value()));
            }
            if let Some(m) = e.mood {
                parts.push(format!("mood {}/5", m.value()));
            }
            if let Some(s) = e.stress {
                parts.push(format!("stress {}/5", s.value()));
            }
            if parts.is_empty() {
                // A check-in has at least one answer; when it is only a note, say so (the
                // note itself is shown with the entry, not in the list).
                parts.push("a note".to_owned());
            }
            parts.join(" · ")
        }
        Entry::Peg(e) => format!(
            "PEG {:.1} (pain {}, enjoyment {}, activity {})",
            e.score(),
            e.pain.value(),
            e.enjoyment.value(),
            e.activity.value()
        ),
        Entry::Exercise(e) => format!("{} · {} min · felt {}", e.what, e.minutes, e.felt),
        Entry::Assessment(e) => match e.pain_type {
            Some(t) => format!("pain type {t}"),
            None => format!("red flags at level {}", e.red_flag_level),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spinewise_store::NewUser;

    /// A time after the entries' date (2025-01-01, unix seconds).
    const NOW: i64 = 1_735_689_600;

    async fn store_with_user() -> (Store, UserId, DataKey) {
        let store = Store::open("sqlite::memory:").await.expect("a store");
        let user = store
            .create_user(&NewUser {
                login: "kim",
                login_skeleton: None,
                password_hash: "not a real hash",
                now: 0,
                demo: false,
            })
            .await
            .expect("a user");
        (store, user, DataKey::generate().expect("a key"))
    }

    fn peg(id: &str, pain: u8) -> Entry {
        serde_json::from_value(serde_json::json!({
            "kind": "peg", "id": id, "date": "2024-03-01",
            "pain": pain, "enjoyment": 4, "activity": 6
        }))
        .expect("an entry")
    }

    async fn row_ids(store: &Store, user: &UserId) -> Vec<String> {
        let mut ids: Vec<String> = store
            .entries(user)
            .await
            .expect("rows")
            .into_iter()
            .map(|r| r.id)
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn usage_is_said_in_grouped_numbers_and_mebibytes() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234), "1,234");
        assert_eq!(thousands(50_000), "50,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(mebibytes(64 * 1024 * 1024), "64 MiB");
        assert_eq!(mebibytes(1), "0.1 MiB", "never 0.0 for something");
        assert_eq!(mebibytes(0), "0 MiB");
        assert_eq!(
            usage_words(
                &JournalUsage {
                    entries: 1_234,
                    bytes: 400_000
                },
                &JournalQuota::STANDARD
            ),
            "1,234 of 50,000 entries, 0.4 of 64 MiB"
        );
    }

    #[tokio::test]
    async fn an_import_larger_than_a_journal_is_refused_before_it_is_sealed() {
        let (store, user, key) = store_with_user().await;
        let store = store.with_journal_quota(JournalQuota {
            entries: 2,
            bytes: 1 << 20,
        });
        let k = Knowledge::bundled().expect("the knowledge base");
        create(&store, k, &user, &key, &peg("kept", 3), NOW)
            .await
            .expect("made");
        let three = [peg("a", 1), peg("b", 2), peg("c", 3)];
        let e = import(&store, k, &user, &key, &three, true, NOW)
            .await
            .expect_err("too many");
        let words = e.to_string();
        assert!(matches!(e, JournalError::Full { .. }), "{e:?}");
        assert!(
            words.contains("it holds 1 of 2 entries")
                && words.contains("this would make 3 entries, more than the 2"),
            "{words}"
        );
        assert_eq!(row_ids(&store, &user).await.len(), 1);
        // Through the store's own check: two new beside the one kept.
        let e = import(&store, k, &user, &key, &three[..2], false, NOW)
            .await
            .expect_err("three in all");
        assert!(e.to_string().contains("this would make 3 entries"), "{e}");
        assert_eq!(
            import(&store, k, &user, &key, &three[..2], true, NOW)
                .await
                .expect("two replace one"),
            2
        );
    }

    #[test]
    fn a_check_in_with_only_a_note_or_its_sleep_quality_has_a_summary() {
        // Found by fuzzing: the summary of such a check-in was empty, so the journal's list
        // showed nothing for it.
        let k = Knowledge::bundled().expect("the knowledge base");
        let daily = |extra: serde_json::Value| -> Entry {
            let mut value = serde_json::json!({"kind": "daily", "id": "d", "date": "2024-03-01"});
            value.as_object_mut().expect("an object").extend(
                extra
                    .as_object()
                    .expect("an object")
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
            Entry::from_json(value).expect("an entry")
        };
        assert_eq!(
            summary(k, &daily(serde_json::json!({"note": "stiff"}))),
            "a note"
        );
        assert_eq!(
            summary(k, &daily(serde_json::json!({"sleep_quality": 2}))),
            "sleep 2/5"
        );
        assert_eq!(
            summary(k, &daily(serde_json::json!({"pain_morning": 4, "mood": 3}))),
            "morning pain 4 · mood 3/5"
        );
    }

    #[test]
    fn an_import_is_checked_without_a_store_naming_the_entry_at_fault() {
        let k = Knowledge::bundled().expect("the knowledge base");
        assert!(check_import(k, &[peg("a", 3), peg("b", 4)], NOW).is_ok());
        match check_import(k, &[peg("a", 3), peg("b", 4), peg("a", 5)], NOW) {
            Err(JournalError::Duplicate { index: 2, id }) => assert_eq!(id.as_str(), "a"),
            other => panic!("a repeated id is refused: {other:?}"),
        }
        // 2024-03-01 is in the future a year earlier.
        match check_import(k, &[peg("a", 3), peg("b", 4)], NOW - 366 * 24 * 60 * 60) {
            Err(JournalError::Invalid(e)) => assert_eq!(e.field, "entries[0].date"),
            other => panic!("an entry from the future is refused: {other:?}"),
        }
    }

    #[tokio::test]
    async fn an_apps_own_ids_are_stored_as_keyed_pseudonyms() {
        let (store, user, key) = store_with_user().await;
        let k = Knowledge::bundled().expect("the knowledge base");
        let entry = peg("2024-03-01-evening-diary", 5);
        let id = entry.id().clone();
        assert_eq!(
            create(&store, k, &user, &key, &entry, NOW)
                .await
                .expect("made"),
            Created::New
        );
        assert_eq!(
            create(&store, k, &user, &key, &entry, NOW)
                .await
                .expect("again"),
            Created::AlreadyThere
        );
        let rows = row_ids(&store, &user).await;
        assert_eq!(rows, vec![row_id(&key, &id)]);
        assert!(rows[0].starts_with('k') && rows[0].len() == 33, "{rows:?}");
        assert!(!rows[0].contains("2024"), "{rows:?}");
        assert_eq!(
            get(&store, &user, &key, &id).await.expect("read"),
            Some(entry)
        );

        put(
            &store,
            k,
            &user,
            &key,
            &peg("2024-03-01-evening-diary", 7),
            NOW,
        )
        .await
        .expect("replaced");
        assert_eq!(row_ids(&store, &user).await.len(), 1, "replaced, not added");
        assert!(delete(&store, &user, &key, &id).await.expect("deleted"));
        assert!(row_ids(&store, &user).await.is_empty());
        assert!(!delete(&store, &user, &key, &id).await.expect("gone"));
    }

    #[tokio::test]
    async fn entries_stored_under_their_own_ids_are_read_and_moved_to_pseudonyms() {
        let (store, user, key) = store_with_user().await;
        let k = Knowledge::bundled().expect("the knowledge base");
        // Two entries as they were stored before: under their own ids, sealed for them.
        for id in ["old-one", "old-two"] {
            let entry = peg(id, 3);
            let sealed = seal_as(&key, &user, &entry, id).expect("sealed");
            assert!(
                store
                    .insert_entry(&user, id, &sealed, 0)
                    .await
                    .expect("stored")
            );
        }
        // Read by id: found, and moved.
        let one: EntryId = "old-one".parse().expect("an id");
        assert_eq!(
            get(&store, &user, &key, &one).await.expect("read"),
            Some(peg("old-one", 3))
        );
        assert!(row_ids(&store, &user).await.contains(&row_id(&key, &one)));
        // Writing the other again replaces it rather than standing beside it.
        put(&store, k, &user, &key, &peg("old-two", 6), NOW)
            .await
            .expect("replaced");
        let journal = load(&store, &user, &key).await.expect("loaded");
        assert_eq!(journal.entries(), &[peg("old-one", 3), peg("old-two", 6)]);
        let rows = row_ids(&store, &user).await;
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.starts_with('k')), "{rows:?}");
    }
}
