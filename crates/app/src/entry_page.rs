//! Pages of the journal's entries: which entries a list asks for (a kind, a range of dates),
//! how many a page holds, and the cursor that carries a list on to its next page.
//!
//! The database cannot order entries by date (it holds neither their dates nor their kinds),
//! so a list is cut into pages after the journal is opened, in the journal's own order: oldest
//! first, entries at the same time by id. A cursor names the last entry of a page and the
//! filter it was made for, sealed under the user's data key: it reads as noise, tells nobody
//! the date or id it holds, cannot be altered or made up, and does not open for another
//! account. A cursor made for another filter is refused, naming the filter it was made for.

use base64::Engine as _;
use spinewise_domain::journal::{Entry, EntryId, Journal, LocalDate};
use spinewise_domain::vocab::EntryKind;
use spinewise_store::UserId;
use spinewise_vault::DataKey;

use crate::error::AppError;

/// Entries on a page unless the request says otherwise.
pub const DEFAULT_LIMIT: usize = 100;
/// The fewest entries a page may be asked to hold.
pub const MIN_LIMIT: usize = 1;
/// The most entries a page may be asked to hold.
pub const MAX_LIMIT: usize = 500;

/// Which entries a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filter {
    /// Only this kind.
    pub kind: Option<EntryKind>,
    /// Only on or after this date.
    pub from: Option<LocalDate>,
    /// Only on or before this date.
    pub to: Option<LocalDate>,
}

impl Filter {
    /// Reads the query's `kind`, `from` and `to`, naming the first bad one.
    ///
    /// # Errors
    ///
    /// [`AppError::Invalid`] naming the field and what is allowed.
    pub fn parse(
        kind: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Filter, AppError> {
        let kind = kind
            .map(str::parse::<EntryKind>)
            .transpose()
            .map_err(|e| AppError::field("kind", e))?;
        let date = |field: &str, v: Option<&str>| {
            v.map(str::parse::<LocalDate>)
                .transpose()
                .map_err(|e| AppError::field(field, e))
        };
        Ok(Filter {
            kind,
            from: date("from", from)?,
            to: date("to", to)?,
        })
    }

    fn admits(&self, e: &Entry) -> bool {
        self.kind.is_none_or(|k| e.kind() == k)
            && self.from.is_none_or(|f| e.date() >= f)
            && self.to.is_none_or(|t| e.date() <= t)
    }

    /// The filter as the query string writes it, for messages: "kind=daily, from=2024-01-01".
    fn words(&self) -> String {
        let mut parts = Vec::new();
        if let Some(k) = self.kind {
            parts.push(format!("kind={}", k.as_str()));
        }
        if let Some(f) = self.from {
            parts.push(format!("from={f}"));
        }
        if let Some(t) = self.to {
            parts.push(format!("to={t}"));
        }
        if parts.is_empty() {
            "no filter".to_owned()
        } else {
            parts.join(", ")
        }
    }

    /// The filter as a cursor holds it.
    fn encoded(&self) -> String {
        format!(
            "{}\n{}\n{}",
            self.kind.map(EntryKind::as_str).unwrap_or_default(),
            self.from.map(|d| d.to_string()).unwrap_or_default(),
            self.to.map(|d| d.to_string()).unwrap_or_default(),
        )
    }
}

/// Reads the query's `limit`: a whole number from [`MIN_LIMIT`] to [`MAX_LIMIT`], or
/// [`DEFAULT_LIMIT`] when there is none.
///
/// # Errors
///
/// [`AppError::Invalid`] naming `limit`, the value and the range.
pub fn parse_limit(limit: Option<&str>) -> Result<usize, AppError> {
    let Some(text) = limit else {
        return Ok(DEFAULT_LIMIT);
    };
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (MIN_LIMIT..=MAX_LIMIT).contains(n))
        .ok_or_else(|| {
            AppError::field(
                "limit",
                format!("'{text}' is not a whole number from {MIN_LIMIT} to {MAX_LIMIT}"),
            )
        })
}

/// The associated data of a cursor: what it is bound to.
fn aad(user: &UserId) -> Vec<u8> {
    let mut aad = b"spinewise journal cursor v1\0".to_vec();
    aad.extend_from_slice(user.as_str().as_bytes());
    aad
}

/// Where an entry stands in the journal's order: its time (unix seconds, as if UTC) and id.
fn position(e: &Entry) -> (i64, &EntryId) {
    (e.when().0.assume_utc().unix_timestamp(), e.id())
}

/// One page of a list.
#[derive(Debug)]
pub struct Page<'a> {
    /// The page's entries, oldest first.
    pub entries: Vec<&'a Entry>,
    /// The cursor of the next page; `None` on the last.
    pub next: Option<String>,
}

/// The page of `journal`'s entries that `filter` admits after `cursor` (from the first, without
/// one), at most `limit` of them.
///
/// # Errors
///
/// [`AppError::Invalid`] naming `cursor` when it is garbled, another account's, or made for
/// another filter; [`AppError::Internal`] if a cursor cannot be sealed.
pub fn page<'a>(
    journal: &'a Journal,
    filter: &Filter,
    limit: usize,
    cursor: Option<&str>,
    key: &DataKey,
    user: &UserId,
) -> Result<Page<'a>, AppError> {
    let after = cursor
        .map(|c| open_cursor(c, filter, key, user))
        .transpose()?;
    let mut entries: Vec<&Entry> = journal
        .entries()
        .iter()
        .filter(|e| filter.admits(e))
        .filter(|e| {
            after
                .as_ref()
                .is_none_or(|(at, id)| position(e) > (*at, id))
        })
        .take(limit.saturating_add(1))
        .collect();
    let next = if entries.len() > limit {
        entries.truncate(limit);
        entries
            .last()
            .map(|last| seal_cursor(last, filter, key, user))
            .transpose()?
    } else {
        None
    };
    Ok(Page { entries, next })
}

fn seal_cursor(
    last: &Entry,
    filter: &Filter,
    key: &DataKey,
    user: &UserId,
) -> Result<String, AppError> {
    let (at, id) = position(last);
    let plain = format!("{at}\n{id}\n{}", filter.encoded());
    let sealed = key
        .seal(&aad(user), plain.as_bytes())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot seal a cursor: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sealed))
}

fn open_cursor(
    cursor: &str,
    filter: &Filter,
    key: &DataKey,
    user: &UserId,
) -> Result<(i64, EntryId), AppError> {
    let garbled = || {
        AppError::field(
            "cursor",
            "this is not a cursor this list gave (garbled, cut short, or another account's); \
             copy the `next` of the last page whole, or start again without a cursor",
        )
    };
    let sealed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .map_err(|_| garbled())?;
    let plain = key.open(&aad(user), &sealed).map_err(|_| garbled())?;
    let plain = String::from_utf8(plain).map_err(|_| garbled())?;
    let (position, made_for) = plain
        .split_once('\n')
        .and_then(|(at, rest)| {
            let (id, made_for) = rest.split_once('\n')?;
            Some((
                (at.parse::<i64>().ok()?, id.parse::<EntryId>().ok()?),
                made_for,
            ))
        })
        .ok_or_else(garbled)?;
    if made_for != filter.encoded() {
        let mut parts = made_for.splitn(3, '\n');
        let was = Filter::parse(
            parts.next().filter(|s| !s.is_empty()),
            parts.next().filter(|s| !s.is_empty()),
            parts.next().filter(|s| !s.is_empty()),
        )
        .map(|f| f.words())
        .unwrap_or_else(|_| "another filter".to_owned());
        return Err(AppError::field(
            "cursor",
            format!(
                "this cursor continues the list with {was}, not with {}; ask with the same \
                 kind, from and to as the first page, or start again without a cursor",
                filter.words()
            ),
        ));
    }
    Ok(position)
}
