//! What a person's weekly exercise program is worked out from, gathered for the pages and the
//! API alike: their pain type (given, saved in their profile, or from their latest
//! assessment), today's pain (given, or from today's check-in), the red flags their journal
//! holds, and the journal itself. The program is then the engine's
//! ([`spinewise_domain::program::weekly_program`]).

use spinewise_domain::journal::{Entry, Journal, LocalDate};
use spinewise_domain::vocab::{Level, PainScore, PainType};
use spinewise_domain::{Knowledge, triage};

/// How recent an assessment's red flags must be to hold the program back, in days.
pub const ASSESSMENT_FLAGS_DAYS: i64 = 30;
/// How recent red-flag symptoms noted in a log must be to hold the program back, in days.
pub const LOGGED_FLAGS_DAYS: i64 = 7;

/// Where the pain type came from, so that the page can say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PainTypeSource {
    /// Chosen on the page or given to the API.
    Given,
    /// The saved profile.
    Profile,
    /// The latest assessment in the journal.
    Assessment,
    /// Nothing known: the general program.
    Unknown,
}

/// The pain type to plan for: the one given, else the saved profile's, else the latest
/// assessment's, else `unclear` (the general program).
pub fn pain_type(
    given: Option<PainType>,
    profile: Option<PainType>,
    journal: &Journal,
) -> (PainType, PainTypeSource) {
    if let Some(t) = given {
        return (t, PainTypeSource::Given);
    }
    if let Some(t) = profile {
        return (t, PainTypeSource::Profile);
    }
    let assessed = journal.entries().iter().rev().find_map(|e| match e {
        Entry::Assessment(a) => a.pain_type,
        _ => None,
    });
    match assessed {
        Some(t) => (t, PainTypeSource::Assessment),
        None => (PainType::Unclear, PainTypeSource::Unknown),
    }
}

/// Today's pain from today's check-in: the evening's answer when given, else the morning's.
pub fn pain_today(journal: &Journal, today: LocalDate) -> Option<PainScore> {
    journal
        .days()
        .get(&today)
        .and_then(|d| d.pain_evening.or(d.pain_morning))
}

/// The worst red-flag level the journal holds that still matters: an assessment's within
/// [`ASSESSMENT_FLAGS_DAYS`], and symptoms noted in a log within [`LOGGED_FLAGS_DAYS`].
pub fn red_flag_level(k: &Knowledge, journal: &Journal, today: LocalDate) -> Level {
    let within = |date: LocalDate, days: i64| {
        let age = (today.0 - date.0).whole_days();
        (0..=days).contains(&age)
    };
    let mut level = Level::None;
    for entry in journal.entries() {
        let found = match entry {
            Entry::Assessment(a) if within(a.at.date(), ASSESSMENT_FLAGS_DAYS) => a.red_flag_level,
            Entry::Intimacy(log)
                if !log.symptoms.is_empty() && within(log.at.date(), LOGGED_FLAGS_DAYS) =>
            {
                // Symptom ids were checked when the entry was written; an id a later
                // knowledge base no longer knows is left out rather than failing the page.
                triage::check(k, &log.symptoms).map_or(Level::None, |t| t.level)
            }
            _ => Level::None,
        };
        level = level.max(found);
    }
    level
}
