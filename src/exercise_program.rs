//! What a person's weekly exercise program is worked out from, gathered for the pages and the
//! API alike: their pain type (given, saved in their profile, or from their latest
//! assessment), today's pain (given, or from today's check-in), the red flags their journal
//! holds, and the journal itself. The program is then the engine's
//! ([`spinewise_domain::program::weekly_program`]).

use spinewise_domain::journal::{Entry, Journal, LocalDate};
use spinewise_domain::program::{Program, ProgramInput, weekly_program};
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

impl PainTypeSource {
    /// The id used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            PainTypeSource::Given => "given",
            PainTypeSource::Profile => "profile",
            PainTypeSource::Assessment => "assessment",
            PainTypeSource::Unknown => "unknown",
        }
    }
}

/// Everything the week's program is worked out from, for one person on one day.
#[derive(Debug, Clone)]
pub struct Circumstances {
    /// The pain type planned for.
    pub pain_type: PainType,
    /// Where it came from.
    pub source: PainTypeSource,
    /// Back pain today: given, or from today's check-in.
    pub pain_today: Option<PainScore>,
    /// Whether today's pain was given rather than read from the journal.
    pub pain_given: bool,
    /// The person's date.
    pub today: LocalDate,
    /// The worst red-flag level in the journal that still matters.
    pub red_flags: Level,
    /// The journal (empty when signed out or locked).
    pub journal: Journal,
}

impl Circumstances {
    /// Gathers them from what was given, the saved profile's pain type and the journal.
    pub fn new(
        k: &Knowledge,
        given_type: Option<PainType>,
        given_pain: Option<PainScore>,
        profile: Option<PainType>,
        journal: Journal,
        today: LocalDate,
    ) -> Circumstances {
        let (pain_type, source) = pain_type(given_type, profile, &journal);
        Circumstances {
            pain_type,
            source,
            pain_today: given_pain.or_else(|| pain_today(&journal, today)),
            pain_given: given_pain.is_some(),
            red_flags: red_flag_level(k, &journal, today),
            today,
            journal,
        }
    }

    /// This week's program.
    pub fn program<'k>(&self, k: &'k Knowledge) -> Program<'k> {
        weekly_program(
            k,
            &ProgramInput {
                pain_type: self.pain_type,
                today: self.today,
                pain_today: self.pain_today,
                red_flag_level: self.red_flags,
                journal: &self.journal,
            },
        )
    }
}

/// A value the page or the API may leave blank; a bad one is an error naming the field and
/// what is allowed.
pub fn optional<T: std::str::FromStr>(
    raw: Option<&str>,
    field: &str,
) -> Result<Option<T>, crate::error::AppError>
where
    T::Err: std::fmt::Display,
{
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse::<T>()
            .map(Some)
            .map_err(|e| crate::error::AppError::field(field, e)),
    }
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

/// The worst red-flag level the journal holds that still matters: the latest assessment's,
/// if it was taken within [`ASSESSMENT_FLAGS_DAYS`] (a newer assessment without red flags
/// replaces an older one with them), and symptoms noted in a log within [`LOGGED_FLAGS_DAYS`].
///
/// Entries dated after `today` count as today's: the server stamps some entries with its own
/// UTC clock, which can be a day ahead of the person's date.
pub fn red_flag_level(k: &Knowledge, journal: &Journal, today: LocalDate) -> Level {
    let within = |date: LocalDate, days: i64| (today.0 - date.0).whole_days() <= days;
    let latest_assessment = journal.entries().iter().rev().find_map(|e| match e {
        Entry::Assessment(a) => Some(a),
        _ => None,
    });
    let mut level = latest_assessment
        .filter(|a| within(a.at.date(), ASSESSMENT_FLAGS_DAYS))
        .map_or(Level::None, |a| a.red_flag_level);
    for entry in journal.entries() {
        if let Entry::Intimacy(log) = entry
            && !log.symptoms.is_empty()
            && within(log.at.date(), LOGGED_FLAGS_DAYS)
        {
            // Symptom ids were checked when the entry was written; an id a later knowledge
            // base no longer knows is left out rather than failing the page.
            let found = triage::check(k, &log.symptoms).map_or(Level::None, |t| t.level);
            level = level.max(found);
        }
    }
    level
}

#[cfg(test)]
mod tests {
    use spinewise_domain::assessment::Answers;
    use spinewise_domain::journal::{AssessmentRecord, EntryId, Intimacy, LocalDateTime};

    use super::*;

    fn at(s: &str) -> LocalDateTime {
        s.parse().expect("a date and time")
    }

    fn log(id: &str, when: &str, symptoms: &[&str]) -> Entry {
        Entry::Intimacy(Intimacy {
            id: id.parse::<EntryId>().expect("an id"),
            at: at(when),
            positions: vec!["spooning".to_owned()],
            preparation: Vec::new(),
            pain_before: PainScore::new(2).expect("a score"),
            pain_during: None,
            pain_after: PainScore::new(2).expect("a score"),
            next_day_pain: None,
            stopped_early: false,
            symptoms: symptoms.iter().map(|s| (*s).to_owned()).collect(),
            note: None,
        })
    }

    fn day(s: &str) -> LocalDate {
        s.parse().expect("a date")
    }

    #[test]
    fn logged_red_flags_count_for_a_week_and_from_tomorrow_too() {
        let k = Knowledge::bundled().expect("the knowledge base");
        let fever = |when: &str| Journal::new(vec![log("a", when, &["fever"])]);
        let today = day("2025-03-10");
        // Stamped by a clock a day ahead of the person's evening.
        assert_eq!(
            red_flag_level(k, &fever("2025-03-11T01:00"), today),
            Level::Urgent
        );
        assert_eq!(
            red_flag_level(k, &fever("2025-03-10T08:00"), today),
            Level::Urgent
        );
        assert_eq!(
            red_flag_level(k, &fever("2025-03-03T08:00"), today),
            Level::Urgent
        );
        assert_eq!(
            red_flag_level(k, &fever("2025-03-02T08:00"), today),
            Level::None
        );
        let clean = Journal::new(vec![log("b", "2025-03-10T08:00", &[])]);
        assert_eq!(red_flag_level(k, &clean, today), Level::None);
    }

    fn assessment(id: &str, when: &str, level: Level) -> Entry {
        Entry::Assessment(AssessmentRecord {
            id: id.parse::<EntryId>().expect("an id"),
            at: at(when),
            answers: Answers::default(),
            pain_type: None,
            red_flag_level: level,
        })
    }

    #[test]
    fn the_latest_assessment_counts_for_a_month() {
        let k = Knowledge::bundled().expect("the knowledge base");
        let today = day("2025-03-10");
        let flagged = |when: &str| Journal::new(vec![assessment("a", when, Level::Emergency)]);
        assert_eq!(
            red_flag_level(k, &flagged("2025-02-08T09:00"), today),
            Level::Emergency
        );
        assert_eq!(
            red_flag_level(k, &flagged("2025-02-07T09:00"), today),
            Level::None
        );
        // A newer assessment without red flags replaces it.
        let cleared = Journal::new(vec![
            assessment("a", "2025-03-01T09:00", Level::Emergency),
            assessment("b", "2025-03-05T09:00", Level::None),
        ]);
        assert_eq!(red_flag_level(k, &cleared, today), Level::None);
    }

    #[test]
    fn the_pain_type_comes_from_what_was_given_then_the_profile_then_the_latest_assessment() {
        let with_type = |t: PainType| {
            let Entry::Assessment(mut a) = assessment("a", "2025-03-01T09:00", Level::None) else {
                unreachable!("an assessment")
            };
            a.pain_type = Some(t);
            Journal::new(vec![Entry::Assessment(a)])
        };
        let journal = with_type(PainType::Extension);
        assert_eq!(
            pain_type(Some(PainType::Motion), Some(PainType::Flexion), &journal),
            (PainType::Motion, PainTypeSource::Given)
        );
        assert_eq!(
            pain_type(None, Some(PainType::Flexion), &journal),
            (PainType::Flexion, PainTypeSource::Profile)
        );
        assert_eq!(
            pain_type(None, None, &journal),
            (PainType::Extension, PainTypeSource::Assessment)
        );
        assert_eq!(
            pain_type(None, None, &Journal::default()),
            (PainType::Unclear, PainTypeSource::Unknown)
        );
    }
}
