//! A bounded memo of what was computed from a user's journal (the insights page), so that
//! opening it again with nothing new costs one row read instead of opening every entry.
//!
//! A result is served again only while everything it was computed from is unchanged: the
//! journal's version, which the database keeps and every instance reads (a write through
//! another instance changes it), the day, and the profile. Being derived from health data, a
//! result is kept for a short while only ([`MEMO_TTL`]), for a bounded number of users, and
//! forgotten when its user signs out; it is never written anywhere.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use spinewise_domain::journal::LocalDate;
use spinewise_store::{ProfileRecord, UserId};

/// How long a result may be served again.
pub const MEMO_TTL: Duration = Duration::from_secs(10 * 60);

/// What a result was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// The journal's version ([`spinewise_store::Store::journal_version`]), read before the
    /// journal was.
    pub version: u64,
    /// The day it was computed for.
    pub today: LocalDate,
    /// The profile it was computed with.
    pub profile: Option<ProfileRecord>,
}

struct Kept {
    inputs: Inputs,
    /// The result, of whichever type the page that kept it reads back (the memo knows no
    /// page, so that the server's state does not depend on the pages).
    value: Arc<dyn Any + Send + Sync>,
    at: Instant,
}

/// Results by user, each with what it was computed from.
pub struct JournalMemo {
    capacity: usize,
    entries: Mutex<HashMap<UserId, Kept>>,
}

impl std::fmt::Debug for JournalMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalMemo")
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl JournalMemo {
    /// A memo for at most `capacity` users; 0 turns it off.
    pub fn new(capacity: usize) -> JournalMemo {
        JournalMemo {
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The result kept for `user`, if it was computed from exactly `inputs`, recently, and is
    /// a `T`.
    pub fn get<T: Clone + 'static>(&self, user: &UserId, inputs: &Inputs) -> Option<T> {
        self.get_at(user, inputs, Instant::now())
    }

    fn get_at<T: Clone + 'static>(
        &self,
        user: &UserId,
        inputs: &Inputs,
        now: Instant,
    ) -> Option<T> {
        let entries = self.entries.lock().ok()?;
        let kept = entries.get(user)?;
        if kept.inputs != *inputs || now.duration_since(kept.at) >= MEMO_TTL {
            return None;
        }
        kept.value.downcast_ref::<T>().cloned()
    }

    /// Keeps `value`, computed from `inputs`, for `user` (replacing what was kept for them),
    /// making room if needed.
    pub fn insert<T: Send + Sync + 'static>(&self, user: &UserId, inputs: Inputs, value: T) {
        self.insert_at(user, inputs, value, Instant::now());
    }

    fn insert_at<T: Send + Sync + 'static>(
        &self,
        user: &UserId,
        inputs: Inputs,
        value: T,
        now: Instant,
    ) {
        if self.capacity == 0 {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= self.capacity && !entries.contains_key(user) {
            // What is too old goes first; if nothing is, the oldest.
            entries.retain(|_, k| now.duration_since(k.at) < MEMO_TTL);
            if entries.len() >= self.capacity
                && let Some(oldest) = entries
                    .iter()
                    .min_by_key(|(_, k)| k.at)
                    .map(|(u, _)| u.clone())
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(
            user.clone(),
            Kept {
                inputs,
                value: Arc::new(value),
                at: now,
            },
        );
    }

    /// Forgets what was kept for `user` (they signed out, or their data changed shape).
    pub fn forget(&self, user: &UserId) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(user);
        }
    }

    /// How many users have a result kept.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn inputs(version: u64) -> Inputs {
        Inputs {
            version,
            today: LocalDate(date!(2026 - 06 - 15)),
            profile: None,
        }
    }

    #[test]
    fn a_result_is_served_only_for_the_same_inputs() {
        let memo = JournalMemo::new(4);
        let ada = UserId::from("ada".to_owned());
        memo.insert(&ada, inputs(3), "three");
        assert_eq!(memo.get(&ada, &inputs(3)), Some("three"));
        assert_eq!(memo.get::<&str>(&ada, &inputs(4)), None, "a newer journal");
        let tomorrow = Inputs {
            today: LocalDate(date!(2026 - 06 - 16)),
            ..inputs(3)
        };
        assert_eq!(memo.get::<&str>(&ada, &tomorrow), None, "another day");
        let profiled = Inputs {
            profile: Some(ProfileRecord::default()),
            ..inputs(3)
        };
        assert_eq!(memo.get::<&str>(&ada, &profiled), None, "another profile");
        assert_eq!(
            memo.get::<&str>(&UserId::from("bob".to_owned()), &inputs(3)),
            None,
            "another user"
        );
        assert_eq!(memo.get::<String>(&ada, &inputs(3)), None, "another type");
        memo.forget(&ada);
        assert_eq!(memo.get::<&str>(&ada, &inputs(3)), None, "forgotten");
    }

    #[test]
    fn a_result_is_not_served_after_its_time() {
        let memo = JournalMemo::new(4);
        let ada = UserId::from("ada".to_owned());
        let then = Instant::now();
        memo.insert_at(&ada, inputs(1), 1, then);
        assert_eq!(memo.get_at(&ada, &inputs(1), then + MEMO_TTL / 2), Some(1));
        assert_eq!(memo.get_at::<i32>(&ada, &inputs(1), then + MEMO_TTL), None);
    }

    #[test]
    fn the_memo_holds_at_most_its_capacity_and_drops_the_oldest() {
        let memo = JournalMemo::new(3);
        let then = Instant::now();
        let users: Vec<UserId> = (0..5).map(|i| UserId::from(format!("u{i}"))).collect();
        for (i, u) in users.iter().enumerate() {
            memo.insert_at(u, inputs(1), i, then + Duration::from_secs(i as u64));
        }
        assert_eq!(memo.len(), 3);
        let at = then + Duration::from_secs(5);
        assert_eq!(memo.get_at::<usize>(&users[0], &inputs(1), at), None);
        assert_eq!(memo.get_at::<usize>(&users[4], &inputs(1), at), Some(4));
        let off = JournalMemo::new(0);
        off.insert(&users[0], inputs(1), 0);
        assert!(off.is_empty());
    }
}
