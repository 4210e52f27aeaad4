//! The private journal: what a person logs, and what it says about their own back.
//!
//! - [`entry`]: the kinds of entry and the checks each passes before it is kept.
//! - [`Journal`]: a person's entries in time order, with the views the insights read: days
//!   (check-ins merged per date) and each intimacy log's outcome.
//! - [`insights`]: what the journal says about this person's back, with its evidence and
//!   uncertainty; [`flares`] finds flare-ups and what came before them; [`stats`] holds the
//!   small statistics they need.
//! - [`summary`]: the one-page clinical summary, read from the computations above.
//! - [`personal`]: the couple's plan re-ranked by that evidence, never against safety.
//! - [`export`]: the journal as JSON (re-importable), CSV and an HL7 FHIR R4 bundle.
//! - [`demo`]: a realistic synthetic journal for trying the app out.
//!
//! The journal is plain data here; the store keeps it encrypted, and nothing in this module
//! reads a clock: "now" and "today" are always passed in.

pub(crate) mod date;
pub mod demo;
pub mod entry;
pub mod export;
pub mod flares;
pub mod insights;
pub mod personal;
pub mod stats;
pub mod summary;

use std::collections::BTreeMap;

pub use entry::{
    AssessmentRecord, DailyCheckIn, Entry, EntryError, EntryId, Exercise, ExerciseSet, Intimacy,
    LocalDate, LocalDateTime, Peg, Rating,
};

use crate::vocab::PainScore;

/// How much pain must rise, afterwards or the next day, for a log to count as a flare-up of
/// pain (points on the 0–10 scale). Two points is about the smallest change people with back
/// pain notice as real (Ostelo et al. 2008).
pub const RISE_POINTS: u8 = 2;

/// A person's journal: every entry, ordered by when it happened (ties by id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Journal {
    entries: Vec<Entry>,
}

/// A day's check-ins merged into one: a later entry's answer replaces an earlier one's, field
/// by field, so that a morning and an evening check-in make one day.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Day {
    /// Back pain on getting up.
    pub pain_morning: Option<PainScore>,
    /// Back pain in the evening.
    pub pain_evening: Option<PainScore>,
    /// Hours slept the night before.
    pub sleep_hours: Option<f64>,
    /// Sleep quality, 1–5.
    pub sleep_quality: Option<Rating>,
    /// Mood, 1–5.
    pub mood: Option<Rating>,
    /// Stress, 1–5.
    pub stress: Option<Rating>,
}

impl Day {
    /// The day's pain: the mean of the morning's and the evening's, or whichever was given.
    pub fn pain(&self) -> Option<f64> {
        match (self.pain_morning, self.pain_evening) {
            (Some(m), Some(e)) => Some(f64::from(m.value() + e.value()) / 2.0),
            (Some(p), None) | (None, Some(p)) => Some(f64::from(p.value())),
            (None, None) => None,
        }
    }

    fn merge(&mut self, e: &DailyCheckIn) {
        self.pain_morning = e.pain_morning.or(self.pain_morning);
        self.pain_evening = e.pain_evening.or(self.pain_evening);
        self.sleep_hours = e.sleep_hours.or(self.sleep_hours);
        self.sleep_quality = e.sleep_quality.or(self.sleep_quality);
        self.mood = e.mood.or(self.mood);
        self.stress = e.stress.or(self.stress);
    }
}

impl Journal {
    /// A journal of `entries`, in any order.
    pub fn new(mut entries: Vec<Entry>) -> Journal {
        entries.sort_by(|a, b| (a.when(), a.id()).cmp(&(b.when(), b.id())));
        Journal { entries }
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Whether there is nothing in it.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry, oldest first, as owned values.
    pub fn into_entries(self) -> Vec<Entry> {
        self.entries
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entry with this id.
    pub fn get(&self, id: &EntryId) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id() == id)
    }

    /// The intimacy logs, oldest first.
    pub fn intimacy(&self) -> impl Iterator<Item = &Intimacy> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Intimacy(i) => Some(i),
            _ => None,
        })
    }

    /// The exercise sessions, oldest first.
    pub fn exercise(&self) -> impl Iterator<Item = &Exercise> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Exercise(x) => Some(x),
            _ => None,
        })
    }

    /// The PEG answers, oldest first.
    pub fn peg(&self) -> impl Iterator<Item = &Peg> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Peg(p) => Some(p),
            _ => None,
        })
    }

    /// The daily check-ins merged per date.
    pub fn days(&self) -> BTreeMap<LocalDate, Day> {
        let mut days: BTreeMap<LocalDate, Day> = BTreeMap::new();
        for e in &self.entries {
            if let Entry::Daily(d) = e {
                days.entry(d.date).or_default().merge(d);
            }
        }
        days
    }

    /// Pain the morning after an intimacy log: the one logged with it, or else the next day's
    /// morning check-in.
    pub fn next_day_pain(
        &self,
        log: &Intimacy,
        days: &BTreeMap<LocalDate, Day>,
    ) -> Option<PainScore> {
        log.next_day_pain.or_else(|| {
            let next = log.at.date().next()?;
            days.get(&next).and_then(|d| d.pain_morning)
        })
    }

    /// The intimacy logs of the last three days before `today` that still lack the next
    /// morning's pain, for the app to ask about.
    pub fn awaiting_next_day(&self, today: LocalDate) -> Vec<&Intimacy> {
        let days = self.days();
        let earliest = today.0.saturating_sub(time::Duration::days(3));
        self.intimacy()
            .filter(|log| {
                let date = log.at.date().0;
                date < today.0 && date >= earliest && self.next_day_pain(log, &days).is_none()
            })
            .collect()
    }
}

/// What an intimacy log says happened to the back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Pain before.
    pub before: PainScore,
    /// Pain right after.
    pub after: PainScore,
    /// Pain the next morning, if known.
    pub next_day: Option<PainScore>,
}

impl Outcome {
    /// The largest rise in pain, right after or the next day (0 when pain fell).
    pub fn rise(&self) -> u8 {
        let worst = self.next_day.map_or(self.after, |n| n.max(self.after));
        worst.value().saturating_sub(self.before.value())
    }

    /// Whether pain rose by [`RISE_POINTS`] or more.
    pub fn flared(&self) -> bool {
        self.rise() >= RISE_POINTS
    }
}

impl Journal {
    /// The outcome of an intimacy log.
    pub fn outcome(&self, log: &Intimacy, days: &BTreeMap<LocalDate, Day>) -> Outcome {
        Outcome {
            before: log.pain_before,
            after: log.pain_after,
            next_day: self.next_day_pain(log, days),
        }
    }
}
