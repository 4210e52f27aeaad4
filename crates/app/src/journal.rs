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
//! is all or nothing.

use spinewise_domain::Knowledge;
use spinewise_domain::journal::{DailyCheckIn, Entry, EntryError, EntryId, Journal, LocalDate};
use spinewise_domain::safety::Saved;
use spinewise_domain::vocab::PainScore;
use spinewise_store::{Store, StoreError, UserId};
use spinewise_vault::DataKey;

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
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Sealing failed (no randomness, say).
    #[error("cannot seal an entry: {0}")]
    Seal(String),
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

/// Seals an entry for storage.
pub fn seal(key: &DataKey, user: &UserId, entry: &Entry) -> Result<Vec<u8>, JournalError> {
    let mut json = serde_json::to_vec(entry).map_err(|e| JournalError::Seal(e.to_string()))?;
    // Padded with spaces (which JSON ignores) to a multiple of PAD_TO bytes, so that the
    // ciphertext's length does not tell a score of 9 from 10, or one kind from another of
    // similar size.
    json.resize(json.len().div_ceil(PAD_TO) * PAD_TO, b' ');
    key.seal(&aad(user, entry.id().as_str()), &json)
        .map_err(|e| JournalError::Seal(e.to_string()))
}

/// Opens a stored entry.
pub fn open(key: &DataKey, user: &UserId, id: &str, sealed: &[u8]) -> Result<Entry, JournalError> {
    let json = key
        .open(&aad(user, id), sealed)
        .map_err(|_| JournalError::Undecryptable(id.to_owned()))?;
    let entry: Entry =
        serde_json::from_slice(&json).map_err(|_| JournalError::Undecryptable(id.to_owned()))?;
    if entry.id().as_str() == id {
        Ok(entry)
    } else {
        Err(JournalError::Undecryptable(id.to_owned()))
    }
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
    Ok(Journal::new(entries))
}

/// What the safety policy reads of a signed-in person: their saved profile's pain type and
/// conditions, and their journal when its key is open (an empty one when it is locked).
pub async fn saved_and_journal(
    store: &Store,
    user: &UserId,
    key: Option<&DataKey>,
) -> Result<(Saved, Journal), JournalError> {
    let saved = store
        .profile(user)
        .await?
        .map(|p| Saved {
            pain_type: p.pain_type,
            conditions: p.conditions,
        })
        .unwrap_or_default();
    let journal = match key {
        Some(key) => load(store, user, key).await?,
        None => Journal::default(),
    };
    Ok((saved, journal))
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
    match store.entry(user, id.as_str()).await? {
        Some(row) => open(key, user, &row.id, &row.sealed).map(Some),
        None => Ok(None),
    }
}

/// Adds a new entry, idempotently: the same entry sent twice is written once.
///
/// # Errors
///
/// [`JournalError::Invalid`], [`JournalError::Conflict`] when the id is taken by another
/// entry, [`JournalError::Store`].
pub async fn create(
    store: &Store,
    knowledge: &Knowledge,
    user: &UserId,
    key: &DataKey,
    entry: &Entry,
    now: i64,
) -> Result<Created, JournalError> {
    entry.validate(knowledge, now)?;
    let sealed = seal(key, user, entry)?;
    if store
        .insert_entry(user, entry.id().as_str(), &sealed, now)
        .await?
    {
        return Ok(Created::New);
    }
    match get(store, user, key, entry.id()).await? {
        Some(existing) if existing == *entry => Ok(Created::AlreadyThere),
        _ => Err(JournalError::Conflict(entry.id().clone())),
    }
}

/// Creates or replaces an entry.
///
/// # Errors
///
/// [`JournalError::Invalid`], [`JournalError::Store`].
pub async fn put(
    store: &Store,
    knowledge: &Knowledge,
    user: &UserId,
    key: &DataKey,
    entry: &Entry,
    now: i64,
) -> Result<(), JournalError> {
    entry.validate(knowledge, now)?;
    let sealed = seal(key, user, entry)?;
    store
        .put_entry(user, entry.id().as_str(), &sealed, now)
        .await?;
    Ok(())
}

/// Imports entries in one transaction, after checking every one: either all are written or
/// none. With `replace_all` the journal is emptied first; otherwise entries replace those
/// with the same id and the rest stay.
///
/// # Errors
///
/// [`JournalError::Invalid`] with the entry's index in the field, [`JournalError::Duplicate`],
/// [`JournalError::Store`].
pub async fn import(
    store: &Store,
    knowledge: &Knowledge,
    user: &UserId,
    key: &DataKey,
    entries: &[Entry],
    replace_all: bool,
    now: i64,
) -> Result<u64, JournalError> {
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
    let mut rows = Vec::with_capacity(entries.len());
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
        rows.push((entry.id().as_str().to_owned(), seal(key, user, entry)?));
    }
    Ok(store.import_entries(user, &rows, replace_all, now).await?)
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
            if let Some(m) = e.mood {
                parts.push(format!("mood {}/5", m.value()));
            }
            if let Some(s) = e.stress {
                parts.push(format!("stress {}/5", s.value()));
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
