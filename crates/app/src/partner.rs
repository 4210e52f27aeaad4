//! Linked partners: the invitation, the link and its key, what each partner shares, their
//! private marks of positions and the occasions both logged — everything the partner sees
//! sealed under the link's key.
//!
//! A link has one random key. It is stored only wrapped: under each partner's data key, as
//! Bitwarden wraps an organisation's key once per member, and, while an invitation is open,
//! under the invitation's one-time code (80 random bits, HKDF). What a partner shares is a
//! snapshot sealed under the link key, refreshed whenever they change what it is made of (their
//! profile, their journal, their choices), since only they hold their data key; the other
//! partner's requests open it with their own copy of the link key. Ending the link deletes
//! both copies, so nothing sealed under it can be opened again.
//!
//! This module reads the person's profile and journal only as values given to it (the journal
//! and the profile call it after a write), so that it sits below both.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use spinewise_domain::journal::{Entry, Journal, LocalDate};
use spinewise_domain::knowledge::Knowledge;
use spinewise_domain::vocab::{PainScore, PainType, RoleChoice};
use spinewise_store::{
    Acceptance, Link, MemberColumn, NewInvitation, Occasion, ProfileRecord, Store, UserId,
};
use spinewise_vault::{self as vault, DataKey};

use crate::accounts;
use crate::error::AppError;

/// How long an invitation's code works: a day.
pub const INVITATION_SECS: i64 = 24 * 60 * 60;

/// Crockford's base-32 alphabet: no I, L, O or U.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The characters of an invitation code (80 random bits), shown in groups of four.
const CODE_CHARS: usize = 16;

/// What a partner can share, item by item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    /// Their pain type and usual role: what a couple plan needs.
    PainTypeRole,
    /// Their back pain today, from today's check-in.
    TodaysPain,
    /// Their conditions.
    Conditions,
    /// Their answer the morning after an occasion both logged.
    MorningAnswer,
}

impl Item {
    /// Every item, in the order the pages list them.
    pub const ALL: [Item; 4] = [
        Item::PainTypeRole,
        Item::TodaysPain,
        Item::Conditions,
        Item::MorningAnswer,
    ];

    /// The id used in forms and JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Item::PainTypeRole => "pain_type_role",
            Item::TodaysPain => "todays_pain",
            Item::Conditions => "conditions",
            Item::MorningAnswer => "morning_answer",
        }
    }

    /// What it is, in words.
    pub const fn label(self) -> &'static str {
        match self {
            Item::PainTypeRole => "My pain type and role",
            Item::TodaysPain => "My back pain today",
            Item::Conditions => "My conditions",
            Item::MorningAnswer => "My answer the morning after",
        }
    }
}

impl FromStr for Item {
    type Err = String;

    fn from_str(s: &str) -> Result<Item, String> {
        Item::ALL
            .into_iter()
            .find(|i| i.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "'{s}' is not something a partner can share; expected one of {}",
                    Item::ALL.map(Item::as_str).join(", ")
                )
            })
    }
}

/// A private mark of a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Keen to.
    Yes,
    /// Open to it.
    Maybe,
    /// Not for me.
    No,
}

impl Mark {
    /// The id used in forms and JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Mark::Yes => "yes",
            Mark::Maybe => "maybe",
            Mark::No => "no",
        }
    }
}

impl FromStr for Mark {
    type Err = String;

    fn from_str(s: &str) -> Result<Mark, String> {
        match s {
            "yes" => Ok(Mark::Yes),
            "maybe" => Ok(Mark::Maybe),
            "no" => Ok(Mark::No),
            other => Err(format!(
                "'{other}' is not a mark; expected yes, maybe or no"
            )),
        }
    }
}

/// What one partner shares, as the link holds it: the items they chose, and the value of each.
/// Values of items not chosen are never written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shared {
    /// The items chosen.
    pub items: BTreeSet<Item>,
    /// Their pain type, with [`Item::PainTypeRole`].
    pub pain_type: Option<PainType>,
    /// Their usual role, with [`Item::PainTypeRole`].
    pub role: Option<RoleChoice>,
    /// Their latest check-in's pain and its date, with [`Item::TodaysPain`].
    pub pain: Option<(LocalDate, PainScore)>,
    /// Their condition ids, with [`Item::Conditions`].
    pub conditions: Vec<String>,
    /// Their morning-after answer per occasion id, with [`Item::MorningAnswer`].
    pub morning: BTreeMap<String, PainScore>,
}

impl Shared {
    /// Whether this item is shared.
    pub fn has(&self, item: Item) -> bool {
        self.items.contains(&item)
    }

    /// Their pain on `today`, if they share it and their latest check-in is that day's.
    pub fn pain_on(&self, today: LocalDate) -> Option<PainScore> {
        self.pain
            .filter(|(date, _)| *date == today)
            .map(|(_, score)| score)
    }
}

/// An occasion both partners can log: one asked the other how their back was the next
/// morning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OccasionRecord {
    /// Its id.
    pub id: String,
    /// The day of the occasion.
    pub date: LocalDate,
    /// The account that asked.
    pub asked_by: String,
    /// The asker's journal entry for it.
    pub entry: String,
    /// The day the other partner answered in their journal, once they have.
    pub answered_on: Option<LocalDate>,
}

impl OccasionRecord {
    /// The morning after.
    pub fn morning(&self) -> LocalDate {
        self.date.next().unwrap_or(self.date)
    }
}

/// An open invitation as its author sees it right after making it: the code, once.
pub struct NewCode {
    /// The one-time code, in groups of four.
    pub code: String,
    /// When it stops working (unix seconds).
    pub expires_at: i64,
}

impl fmt::Debug for NewCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewCode")
            .field("code", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Where an account stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Not linked, no invitation open.
    Alone,
    /// An invitation is open until this time (unix seconds).
    Invited {
        /// When its code stops working.
        expires_at: i64,
    },
    /// Linked.
    Linked {
        /// The partner's login.
        partner_login: String,
        /// Since when (unix seconds).
        since: i64,
    },
}

/// Everything a linked partner's requests may see, opened with the link key: their own
/// share and marks, the partner's share, and the occasions. The partner's marks are not here:
/// only [`View::marked_by_both`] reads them.
pub struct View {
    /// The link's id.
    pub link_id: String,
    /// The partner's login.
    pub partner_login: String,
    /// Since when (unix seconds).
    pub since: i64,
    /// What this person shares.
    pub mine: Shared,
    /// What the partner shares.
    pub theirs: Shared,
    /// This person's marks.
    pub my_marks: BTreeMap<String, Mark>,
    their_marks: BTreeMap<String, Mark>,
    /// The occasions, latest first.
    pub occasions: Vec<OccasionRecord>,
    /// This person's account.
    pub me: String,
}

impl fmt::Debug for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("View")
            .field("since", &self.since)
            .finish_non_exhaustive()
    }
}

impl View {
    /// The positions both partners marked `yes`, and those both marked `yes` or `maybe` (the
    /// first list among them), in `order`. A position one of them marked `no` or left unmarked
    /// is in neither, and nothing else of the partner's marks leaves this function, so a `no`
    /// looks exactly like a position not yet marked.
    pub fn marked_by_both<'a>(
        &self,
        order: impl Iterator<Item = &'a str>,
    ) -> (Vec<String>, Vec<String>) {
        let mut yes = Vec::new();
        let mut open = Vec::new();
        for id in order {
            let mine = self.my_marks.get(id);
            let theirs = self.their_marks.get(id);
            match (mine, theirs) {
                (Some(Mark::Yes), Some(Mark::Yes)) => {
                    yes.push(id.to_owned());
                    open.push(id.to_owned());
                }
                (Some(Mark::Yes | Mark::Maybe), Some(Mark::Yes | Mark::Maybe)) => {
                    open.push(id.to_owned());
                }
                _ => {}
            }
        }
        (yes, open)
    }

    /// The partner's answer on the morning after `occasion`, if both share morning answers.
    pub fn their_morning(&self, occasion: &str) -> Option<PainScore> {
        if self.mine.has(Item::MorningAnswer) && self.theirs.has(Item::MorningAnswer) {
            self.theirs.morning.get(occasion).copied()
        } else {
            None
        }
    }
}

/// What a share is refreshed from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// The saved profile (pain type, role, conditions).
    Profile(Option<&'a ProfileRecord>),
    /// The journal (today's pain, the morning-after answers).
    Journal(&'a Journal),
}

fn vault_failure(e: vault::VaultError) -> AppError {
    AppError::Internal(anyhow::anyhow!("a partner link's key: {e}"))
}

fn unreadable(what: &str) -> AppError {
    AppError::Internal(anyhow::anyhow!(
        "a partner link's {what} cannot be opened: the database was altered, or the key is not this account's"
    ))
}

fn aad(kind: &str, link: &str, id: &str) -> Vec<u8> {
    format!("spinewise partner {kind} v1\0{link}\0{id}").into_bytes()
}

/// A fresh invitation code: 80 random bits in Crockford's base 32, in groups of four.
fn new_code() -> Result<String, AppError> {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    let mut bits: u128 = 0;
    for b in bytes {
        bits = (bits << 8) | u128::from(b);
    }
    let mut code = String::with_capacity(CODE_CHARS + 3);
    for i in 0..CODE_CHARS {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        let shift = 5 * (CODE_CHARS - 1 - i);
        let index = usize::try_from((bits >> shift) & 31).unwrap_or(0);
        code.push(char::from(
            CODE_ALPHABET.get(index).copied().unwrap_or(b'0'),
        ));
    }
    Ok(code)
}

/// An invitation code as typed, in its one canonical form: case, spaces and hyphens do not
/// matter, and O, I and L read as 0, 1 and 1.
///
/// # Errors
///
/// [`AppError::Invalid`] naming `code`, and what a code looks like.
pub fn parse_code(typed: &str) -> Result<String, AppError> {
    let mut canonical = String::with_capacity(CODE_CHARS);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !CODE_ALPHABET.contains(&(c as u8)) {
            return Err(AppError::field(
                "code",
                "an invitation code is 16 letters and digits, like 7KQ2-M9XD-4RTB-HW3N",
            ));
        }
        canonical.push(c);
    }
    if canonical.chars().count() != CODE_CHARS {
        return Err(AppError::field(
            "code",
            "an invitation code is 16 letters and digits, like 7KQ2-M9XD-4RTB-HW3N",
        ));
    }
    Ok(canonical)
}

/// Where the account stands: alone, inviting, or linked.
///
/// # Errors
///
/// The store's errors.
pub async fn status(store: &Store, user: &UserId, now: i64) -> Result<Status, AppError> {
    if let Some(link) = store.partner_link(user).await? {
        return Ok(Status::Linked {
            partner_login: partner_login(store, &link).await?,
            since: link.created_at,
        });
    }
    Ok(match store.own_partner_invitation(user, now).await? {
        Some(invitation) => Status::Invited {
            expires_at: invitation.expires_at,
        },
        None => Status::Alone,
    })
}

/// Whether the account is linked with a partner.
///
/// # Errors
///
/// The store's errors.
pub async fn is_linked(store: &Store, user: &UserId) -> Result<bool, AppError> {
    Ok(store.partner_link(user).await?.is_some())
}

async fn partner_login(store: &Store, link: &Link) -> Result<String, AppError> {
    let id = UserId::from(link.partner.user_id.clone());
    Ok(store
        .user_by_id(&id)
        .await?
        .map(|u| u.login)
        .unwrap_or_default())
}

fn already_linked() -> AppError {
    AppError::Conflict {
        detail: "you are already linked with a partner; end that link first".to_owned(),
        errors: vec![],
    }
}

/// Opens an invitation for `user`, in place of any open one: a new link key, wrapped under a
/// new one-time code and under the user's data key. The code is returned once and stored only
/// as a hash.
///
/// # Errors
///
/// [`AppError::Conflict`] if the user is already linked; the store's errors.
pub async fn invite(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    now: i64,
) -> Result<NewCode, AppError> {
    let code = new_code()?;
    let canonical = parse_code(&code)?;
    let link_id = accounts::random_token()?;
    let link_key = DataKey::generate().map_err(vault_failure)?;
    let under_code =
        vault::wrap_with_token(&link_key, canonical.as_bytes()).map_err(vault_failure)?;
    let under_key = key
        .wrap_key(&aad("key", &link_id, user.as_str()), &link_key)
        .map_err(vault_failure)?;
    let code_hash = accounts::hash_token(&canonical);
    let expires_at = now + INVITATION_SECS;
    let stored = store
        .create_partner_invitation(&NewInvitation {
            code_hash: &code_hash,
            user_id: user,
            link_id: &link_id,
            under_code: &under_code,
            under_key: &under_key,
            now,
            expires_at,
        })
        .await?;
    if !stored {
        return Err(already_linked());
    }
    Ok(NewCode { code, expires_at })
}

/// Cancels the user's open invitation. Returns whether there was one.
///
/// # Errors
///
/// The store's errors.
pub async fn cancel_invitation(store: &Store, user: &UserId) -> Result<bool, AppError> {
    Ok(store.cancel_partner_invitation(user).await?)
}

/// Accepts the invitation with this code: the link key is unwrapped with the code, wrapped
/// under the acceptor's data key, and the link made in one transaction. Nothing is shared yet.
///
/// # Errors
///
/// [`AppError::Invalid`] for a code that is not one; [`AppError::NotFound`] when no open
/// invitation has it (never made, used, cancelled or expired: the same answer for all);
/// [`AppError::Conflict`] for one's own invitation, or when either account is already linked.
pub async fn accept(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    typed_code: &str,
    now: i64,
) -> Result<(), AppError> {
    let canonical = parse_code(typed_code)?;
    let code_hash = accounts::hash_token(&canonical);
    let not_found = || {
        AppError::NotFound(
            "no open invitation has this code: it may have expired (codes last 24 hours), been used or been cancelled; ask your partner for a new one".to_owned(),
        )
    };
    let Some(invitation) = store.partner_invitation(&code_hash, now).await? else {
        return Err(not_found());
    };
    if invitation.user_id == user.as_str() {
        return Err(AppError::Conflict {
            detail: "this is your own invitation: your partner accepts it, signed in to their own account".to_owned(),
            errors: vec![],
        });
    }
    let link_key = vault::unwrap_with_token(&invitation.under_code, canonical.as_bytes())
        .map_err(|_| not_found())?;
    let wrapped = key
        .wrap_key(&aad("key", &invitation.link_id, user.as_str()), &link_key)
        .map_err(vault_failure)?;
    match store
        .accept_partner_invitation(&code_hash, user, &wrapped, now)
        .await?
    {
        Acceptance::Linked => Ok(()),
        Acceptance::NoSuchInvitation => Err(not_found()),
        Acceptance::OwnInvitation => Err(AppError::Conflict {
            detail: "this is your own invitation: your partner accepts it, signed in to their own account".to_owned(),
            errors: vec![],
        }),
        Acceptance::AcceptorLinked => Err(already_linked()),
        Acceptance::InviterLinked => Err(not_found()),
    }
}

/// Ends the user's link: both copies of its key, both partners' shares and marks and every
/// occasion are deleted. Returns whether there was one.
///
/// # Errors
///
/// The store's errors.
pub async fn end(store: &Store, user: &UserId) -> Result<bool, AppError> {
    Ok(store.end_partner_link(user).await?)
}

/// The user's link and its key, if they are linked.
async fn link_and_key(
    store: &Store,
    user: &UserId,
    key: &DataKey,
) -> Result<Option<(Link, DataKey)>, AppError> {
    let Some(link) = store.partner_link(user).await? else {
        return Ok(None);
    };
    let link_key = key
        .unwrap_key(&aad("key", &link.id, user.as_str()), &link.me.wrapped_key)
        .map_err(|_| unreadable("key"))?;
    Ok(Some((link, link_key)))
}

fn open_json<T: serde::de::DeserializeOwned>(
    link_key: &DataKey,
    aad: &[u8],
    sealed: &[u8],
    what: &str,
) -> Result<T, AppError> {
    let json = link_key.open(aad, sealed).map_err(|_| unreadable(what))?;
    serde_json::from_slice(&json).map_err(|_| unreadable(what))
}

fn seal_json<T: Serialize>(link_key: &DataKey, aad: &[u8], value: &T) -> Result<Vec<u8>, AppError> {
    let json = serde_json::to_vec(value)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot write a partner share: {e}")))?;
    link_key.seal(aad, &json).map_err(vault_failure)
}

fn shared_of(
    link_key: &DataKey,
    link: &str,
    user: &str,
    sealed: Option<&[u8]>,
) -> Result<Shared, AppError> {
    sealed.map_or(Ok(Shared::default()), |s| {
        open_json(link_key, &aad("shared", link, user), s, "share")
    })
}

fn marks_of(
    link_key: &DataKey,
    link: &str,
    user: &str,
    sealed: Option<&[u8]>,
) -> Result<BTreeMap<String, Mark>, AppError> {
    sealed.map_or(Ok(BTreeMap::new()), |s| {
        open_json(link_key, &aad("marks", link, user), s, "marks")
    })
}

fn occasions_of(
    link_key: &DataKey,
    link: &str,
    rows: &[Occasion],
) -> Result<Vec<OccasionRecord>, AppError> {
    rows.iter()
        .map(|row| {
            open_json(
                link_key,
                &aad("occasion", link, &row.id),
                &row.sealed,
                "occasion",
            )
        })
        .collect()
}

/// What the user's requests may see of their link, opened; `None` if they are not linked.
///
/// # Errors
///
/// [`AppError::Internal`] if something sealed does not open; the store's errors.
pub async fn view(store: &Store, user: &UserId, key: &DataKey) -> Result<Option<View>, AppError> {
    let Some((link, link_key)) = link_and_key(store, user, key).await? else {
        return Ok(None);
    };
    let occasions = occasions_of(
        &link_key,
        &link.id,
        &store.partner_occasions(&link.id).await?,
    )?;
    Ok(Some(View {
        partner_login: partner_login(store, &link).await?,
        since: link.created_at,
        mine: shared_of(
            &link_key,
            &link.id,
            &link.me.user_id,
            link.me.shared.as_deref(),
        )?,
        theirs: shared_of(
            &link_key,
            &link.id,
            &link.partner.user_id,
            link.partner.shared.as_deref(),
        )?,
        my_marks: marks_of(
            &link_key,
            &link.id,
            &link.me.user_id,
            link.me.marks.as_deref(),
        )?,
        their_marks: marks_of(
            &link_key,
            &link.id,
            &link.partner.user_id,
            link.partner.marks.as_deref(),
        )?,
        occasions,
        me: link.me.user_id,
        link_id: link.id,
    }))
}

fn not_linked() -> AppError {
    AppError::NotFound("you are not linked with a partner".to_owned())
}

/// Fills in the values of `shared`'s chosen items from `source`, clearing any item not chosen.
fn refresh_values(shared: &mut Shared, source: Source<'_>, me: &str, occasions: &[OccasionRecord]) {
    match source {
        Source::Profile(profile) => {
            let with_pain = shared.has(Item::PainTypeRole);
            shared.pain_type = profile.and_then(|p| p.pain_type).filter(|_| with_pain);
            shared.role = profile.and_then(|p| p.role).filter(|_| with_pain);
            shared.conditions = match profile {
                Some(p) if shared.has(Item::Conditions) => p.conditions.clone(),
                _ => Vec::new(),
            };
        }
        Source::Journal(journal) => {
            let days = journal.days();
            shared.pain = if shared.has(Item::TodaysPain) {
                days.iter()
                    .rev()
                    .find_map(|(date, d)| d.pain_evening.or(d.pain_morning).map(|p| (*date, p)))
            } else {
                None
            };
            shared.morning = BTreeMap::new();
            if shared.has(Item::MorningAnswer) {
                for occasion in occasions {
                    let answer = if occasion.asked_by == me {
                        journal.entries().iter().find_map(|e| match e {
                            Entry::Intimacy(i) if i.id.as_str() == occasion.entry => {
                                i.next_day_pain
                            }
                            _ => None,
                        })
                    } else if occasion.answered_on.is_some() {
                        days.get(&occasion.morning()).and_then(|d| d.pain_morning)
                    } else {
                        None
                    };
                    if let Some(answer) = answer {
                        shared.morning.insert(occasion.id.clone(), answer);
                    }
                }
            }
        }
    }
}

/// How many times a refresh reads and writes again when the share changed under it.
const REFRESH_TRIES: usize = 8;

/// Refreshes what the user shares from `source`, if they are linked; the items chosen stay.
///
/// The write is a compare-and-set against the share as read: when another request changed it
/// meanwhile (the items chosen, or a refresh from the other source), this one reads it again,
/// so that neither an item just withdrawn nor a value just written is put back.
///
/// # Errors
///
/// [`AppError::Internal`] if the link's key or their share does not open;
/// [`AppError::Conflict`] if the share kept changing under every try; the store's errors.
pub async fn refresh(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    source: Source<'_>,
    now: i64,
) -> Result<(), AppError> {
    for _ in 0..REFRESH_TRIES {
        let Some((link, link_key)) = link_and_key(store, user, key).await? else {
            return Ok(());
        };
        let mut shared = shared_of(
            &link_key,
            &link.id,
            &link.me.user_id,
            link.me.shared.as_deref(),
        )?;
        let from_journal = matches!(source, Source::Journal(_));
        if from_journal && !(shared.has(Item::TodaysPain) || shared.has(Item::MorningAnswer)) {
            return Ok(());
        }
        if !(from_journal || shared.has(Item::PainTypeRole) || shared.has(Item::Conditions)) {
            return Ok(());
        }
        let occasions = if from_journal {
            occasions_of(
                &link_key,
                &link.id,
                &store.partner_occasions(&link.id).await?,
            )?
        } else {
            Vec::new()
        };
        refresh_values(&mut shared, source, &link.me.user_id, &occasions);
        let sealed = seal_json(
            &link_key,
            &aad("shared", &link.id, &link.me.user_id),
            &shared,
        )?;
        if store
            .swap_partner_shared(user, &link.id, link.me.shared.as_deref(), &sealed, now)
            .await?
        {
            return Ok(());
        }
    }
    Err(AppError::Conflict {
        detail:
            "what you share with your partner kept changing while it was being updated; try again"
                .to_owned(),
        errors: vec![],
    })
}

/// Whether a journal write by `user` changes what they share (they are linked and share
/// today's pain or their morning answers), so that the journal needs reading.
///
/// # Errors
///
/// As [`refresh`].
pub async fn shares_from_journal(
    store: &Store,
    user: &UserId,
    key: &DataKey,
) -> Result<bool, AppError> {
    let Some((link, link_key)) = link_and_key(store, user, key).await? else {
        return Ok(false);
    };
    let shared = shared_of(
        &link_key,
        &link.id,
        &link.me.user_id,
        link.me.shared.as_deref(),
    )?;
    Ok(shared.has(Item::TodaysPain) || shared.has(Item::MorningAnswer))
}

/// Sets what the user shares to exactly `items`, with their values from `profile` and
/// `journal`; what is no longer chosen is gone from the link at once.
///
/// # Errors
///
/// [`AppError::NotFound`] if the user is not linked; as [`refresh`].
pub async fn choose(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    items: BTreeSet<Item>,
    profile: Option<&ProfileRecord>,
    journal: &Journal,
    now: i64,
) -> Result<Shared, AppError> {
    let (link, link_key) = link_and_key(store, user, key)
        .await?
        .ok_or_else(not_linked)?;
    let occasions = occasions_of(
        &link_key,
        &link.id,
        &store.partner_occasions(&link.id).await?,
    )?;
    let mut shared = Shared {
        items,
        ..Shared::default()
    };
    refresh_values(
        &mut shared,
        Source::Profile(profile),
        &link.me.user_id,
        &occasions,
    );
    refresh_values(
        &mut shared,
        Source::Journal(journal),
        &link.me.user_id,
        &occasions,
    );
    let sealed = seal_json(
        &link_key,
        &aad("shared", &link.id, &link.me.user_id),
        &shared,
    )?;
    if !store
        .put_partner_member(user, &link.id, MemberColumn::Shared, &sealed, now)
        .await?
    {
        return Err(not_linked());
    }
    Ok(shared)
}

/// Replaces the user's private marks of positions. Every position id must be the knowledge
/// base's.
///
/// # Errors
///
/// [`AppError::Invalid`] naming an unknown position; [`AppError::NotFound`] if the user is
/// not linked; the store's errors.
pub async fn set_marks(
    store: &Store,
    knowledge: &Knowledge,
    user: &UserId,
    key: &DataKey,
    marks: BTreeMap<String, Mark>,
    now: i64,
) -> Result<(), AppError> {
    for id in marks.keys() {
        knowledge
            .position(id)
            .map_err(|e| AppError::field(format!("marks.{id}"), e))?;
    }
    let (link, link_key) = link_and_key(store, user, key)
        .await?
        .ok_or_else(not_linked)?;
    let sealed = seal_json(&link_key, &aad("marks", &link.id, &link.me.user_id), &marks)?;
    if !store
        .put_partner_member(user, &link.id, MemberColumn::Marks, &sealed, now)
        .await?
    {
        return Err(not_linked());
    }
    Ok(())
}

/// Asks the partner how their back is the morning after the occasion the user logged as
/// `entry` on `date`. Returns the occasion's id.
///
/// # Errors
///
/// [`AppError::NotFound`] if the user is not linked; [`AppError::Conflict`] if they already
/// asked about this entry; the store's errors.
pub async fn ask_next_morning(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    entry: &str,
    date: LocalDate,
    now: i64,
) -> Result<String, AppError> {
    let (link, link_key) = link_and_key(store, user, key)
        .await?
        .ok_or_else(not_linked)?;
    let asked = occasions_of(
        &link_key,
        &link.id,
        &store.partner_occasions(&link.id).await?,
    )?;
    if asked
        .iter()
        .any(|o| o.entry == entry && o.asked_by == user.as_str())
    {
        return Err(AppError::Conflict {
            detail: format!("you already asked your partner about entry '{entry}'"),
            errors: vec![],
        });
    }
    let id = accounts::random_token()?;
    let record = OccasionRecord {
        id: id.clone(),
        date,
        asked_by: user.as_str().to_owned(),
        entry: entry.to_owned(),
        answered_on: None,
    };
    let sealed = seal_json(&link_key, &aad("occasion", &link.id, &id), &record)?;
    if !store
        .put_partner_occasion(
            user,
            &link.id,
            &Occasion {
                id: id.clone(),
                sealed,
                created_at: now,
            },
        )
        .await?
    {
        return Err(not_linked());
    }
    Ok(id)
}

/// Marks the occasion `id`, which the partner asked about, as answered by the user on
/// `answered_on`. Returns the occasion.
///
/// # Errors
///
/// [`AppError::NotFound`] if the user is not linked, or no occasion of theirs has this id or
/// it is the user's own question; the store's errors.
pub async fn mark_answered(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    id: &str,
    answered_on: LocalDate,
) -> Result<OccasionRecord, AppError> {
    let (link, link_key) = link_and_key(store, user, key)
        .await?
        .ok_or_else(not_linked)?;
    let rows = store.partner_occasions(&link.id).await?;
    let Some(row) = rows.iter().find(|r| r.id == id) else {
        return Err(AppError::NotFound(
            "your partner asked no such question".to_owned(),
        ));
    };
    let mut record: OccasionRecord = open_json(
        &link_key,
        &aad("occasion", &link.id, &row.id),
        &row.sealed,
        "occasion",
    )?;
    if record.asked_by == user.as_str() {
        return Err(AppError::NotFound(
            "your partner asked no such question".to_owned(),
        ));
    }
    record.answered_on = Some(answered_on);
    let sealed = seal_json(&link_key, &aad("occasion", &link.id, &row.id), &record)?;
    let stored = store
        .put_partner_occasion(
            user,
            &link.id,
            &Occasion {
                id: row.id.clone(),
                sealed,
                created_at: row.created_at,
            },
        )
        .await?;
    if !stored {
        return Err(not_linked());
    }
    Ok(record)
}

/// The link key wrapped under `key` as stored, and wrapped again under `new_key`, for a new
/// data key; `None` if the user is not linked.
///
/// # Errors
///
/// [`AppError::Internal`] if the stored copy does not open under `key`; the store's errors.
pub async fn rewrap(
    store: &Store,
    user: &UserId,
    key: &DataKey,
    new_key: &DataKey,
) -> Result<Option<(Vec<u8>, Vec<u8>)>, AppError> {
    let Some((link, link_key)) = link_and_key(store, user, key).await? else {
        return Ok(None);
    };
    let rewrapped = new_key
        .wrap_key(&aad("key", &link.id, user.as_str()), &link_key)
        .map_err(vault_failure)?;
    Ok(Some((link.me.wrapped_key, rewrapped)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sixteen_crockford_characters_in_groups_and_read_back_however_typed() {
        let code = new_code().expect("a code");
        assert_eq!(code.len(), 19, "{code}");
        assert_eq!(code.matches('-').count(), 3, "{code}");
        let canonical = parse_code(&code).expect("its own code reads");
        assert_eq!(canonical, code.replace('-', ""));
        let typed = format!(" {} ", code.to_lowercase().replace('-', " "));
        assert_eq!(parse_code(&typed).expect("typed loosely"), canonical);
        assert_eq!(
            parse_code("oooo-iiii-llll-0000").expect("O, I and L"),
            "0000111111110000"
        );
        for bad in [
            "",
            "ABCD",
            "ABCD-EFGH-JKMN-PQRSX",
            "ABCD-EFGH-JKMN-PQRU",
            "ÀBCD-EFGH-JKMN-PQRS",
        ] {
            let error = parse_code(bad).expect_err(bad).to_string();
            assert!(error.contains("16 letters and digits"), "{bad}: {error}");
        }
        assert_ne!(new_code().expect("a code"), new_code().expect("a code"));
    }

    fn view(mine: &[(&str, Mark)], theirs: &[(&str, Mark)]) -> View {
        let marks = |m: &[(&str, Mark)]| m.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
        View {
            link_id: String::new(),
            partner_login: String::new(),
            since: 0,
            mine: Shared::default(),
            theirs: Shared::default(),
            my_marks: marks(mine),
            their_marks: marks(theirs),
            occasions: Vec::new(),
            me: String::new(),
        }
    }

    #[test]
    fn a_partners_no_looks_exactly_like_a_position_they_have_not_marked() {
        let order = ["a", "b", "c", "d"];
        let mine = [
            ("a", Mark::Yes),
            ("b", Mark::Yes),
            ("c", Mark::Maybe),
            ("d", Mark::Yes),
        ];
        let with_no = view(
            &mine,
            &[("a", Mark::Yes), ("b", Mark::No), ("c", Mark::Yes)],
        );
        let unmarked = view(&mine, &[("a", Mark::Yes), ("c", Mark::Yes)]);
        let (yes, open) = with_no.marked_by_both(order.into_iter());
        assert_eq!(yes, ["a"]);
        assert_eq!(open, ["a", "c"]);
        assert_eq!(
            with_no.marked_by_both(order.into_iter()),
            unmarked.marked_by_both(order.into_iter())
        );
        // Whatever one partner marks, the other's no and "not marked" give the same lists.
        for my in [None, Some(Mark::Yes), Some(Mark::Maybe), Some(Mark::No)] {
            let mine: Vec<(&str, Mark)> = my.map(|m| vec![("b", m)]).unwrap_or_default();
            assert_eq!(
                view(&mine, &[("b", Mark::No)]).marked_by_both(["b"].into_iter()),
                view(&mine, &[]).marked_by_both(["b"].into_iter())
            );
        }
    }

    #[test]
    fn a_morning_answer_shows_only_when_both_share_morning_answers() {
        let mut v = view(&[], &[]);
        v.theirs.items.insert(Item::MorningAnswer);
        v.theirs
            .morning
            .insert("o1".to_owned(), PainScore::new(3).expect("3"));
        assert_eq!(v.their_morning("o1"), None, "I do not share mine");
        v.mine.items.insert(Item::MorningAnswer);
        assert_eq!(v.their_morning("o1"), PainScore::new(3));
        v.theirs.items.clear();
        assert_eq!(v.their_morning("o1"), None, "they stopped sharing");
    }

    #[test]
    fn items_and_marks_read_their_ids_and_name_a_bad_one() {
        for item in Item::ALL {
            assert_eq!(item.as_str().parse::<Item>(), Ok(item));
        }
        let error = "diary".parse::<Item>().expect_err("unknown");
        assert!(
            error.contains("'diary'") && error.contains("todays_pain"),
            "{error}"
        );
        assert_eq!("maybe".parse::<Mark>(), Ok(Mark::Maybe));
        assert!(
            "perhaps"
                .parse::<Mark>()
                .expect_err("unknown")
                .contains("'perhaps'")
        );
    }
}
