//! The one-page clinical summary of a journal, for a physiotherapist or doctor to read in a
//! minute: the pain type from the latest self-assessment and how sure it was, the weekly PEG
//! score's first and latest answers and their change against the meaningful-change threshold,
//! the flare-ups with their dates, exercise sessions per week, the red flags the journal still
//! holds and the person's conditions.
//!
//! Nothing here is a new judgement: each part is read from what already works it out (the
//! assessment's scoring, [`super::insights::peg_trend`], [`super::flares::flares`], the
//! safety policy's [`crate::safety::journal_red_flags`] and triage). The summary describes the
//! person's own records; it is education, not a diagnosis ([`ClinicalSummary::disclaimer`]).

use crate::assessment::{self, ConfidenceLabel};
use crate::knowledge::{Condition, Knowledge, Symptom};
use crate::safety::{self, Noted, Reported};
use crate::vocab::{Level, PainType, UnknownValue};

use super::insights::{PEG_MEANINGFUL_FALL, PegTrend, peg_trend};
use super::{Entry, Journal, LocalDate};

/// How many weeks of exercise the summary counts, the latest ending on `today`.
pub const SUMMARY_WEEKS: usize = 8;

/// The pain type from the latest self-assessment that gave one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AssessedPainType {
    /// The day of the assessment.
    pub date: LocalDate,
    /// The pain type it found.
    pub pain_type: PainType,
    /// How sure, 0–1, as the assessment scores its answers today; `None` when the answers no
    /// longer score (the questionnaire changed since).
    pub confidence: Option<f64>,
    /// How sure, in a word (`None` as for `confidence`).
    pub confidence_label: Option<ConfidenceLabel>,
}

/// The weekly PEG score in the summary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PegSummary {
    /// The trend the insights show.
    pub trend: PegTrend,
    /// The fall, as a share of the starting score, counted as meaningful.
    pub threshold: f64,
    /// Whether there are enough answers over enough weeks to speak of a trend.
    pub enough: bool,
    /// Whether the fall reaches the threshold (only with enough answers).
    pub meaningful: bool,
}

/// A flare-up in the summary: its dates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlareDates {
    /// The first day.
    pub start: LocalDate,
    /// The last day, `None` while it is ongoing.
    pub end: Option<LocalDate>,
    /// How many days so far.
    pub days: usize,
    /// The highest daily pain, 0–10.
    pub peak: f64,
}

/// Exercise sessions in one week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExerciseWeek {
    /// The week's first day.
    pub start: LocalDate,
    /// The week's last day.
    pub end: LocalDate,
    /// Sessions logged in it.
    pub sessions: usize,
    /// Minutes logged in it.
    pub minutes: u32,
}

/// A red flag the journal still holds.
#[derive(Debug, Clone, Copy)]
pub struct NotedFlag<'k> {
    /// The symptom.
    pub symptom: &'k Symptom,
    /// Where and when it was reported.
    pub reported: Reported,
}

/// The one-page clinical summary.
#[derive(Debug, Clone)]
pub struct ClinicalSummary<'k> {
    /// The day it was worked out for; entries dated after it are left out.
    pub today: LocalDate,
    /// The pain type from the latest self-assessment that gave one.
    pub pain_type: Option<AssessedPainType>,
    /// The weekly PEG score.
    pub peg: PegSummary,
    /// Flare-ups: an ongoing one first, then the most recent first.
    pub flares: Vec<FlareDates>,
    /// Exercise sessions in each of the last [`SUMMARY_WEEKS`] weeks, oldest first.
    pub exercise: Vec<ExerciseWeek>,
    /// The red flags the journal still holds, most recent first.
    pub red_flags: Vec<NotedFlag<'k>>,
    /// The safety policy's level for those red flags, with the person's conditions.
    pub red_flag_level: Level,
    /// The person's conditions.
    pub conditions: Vec<&'k Condition>,
    /// The person's own records, not a diagnosis.
    pub disclaimer: &'k str,
}

impl ClinicalSummary<'_> {
    /// The mean number of exercise sessions per week over [`ClinicalSummary::exercise`].
    pub fn sessions_per_week(&self) -> f64 {
        if self.exercise.is_empty() {
            return 0.0;
        }
        let total: usize = self.exercise.iter().map(|w| w.sessions).sum();
        total as f64 / self.exercise.len() as f64
    }
}

/// The clinical summary of `journal` for a person with `conditions` (condition ids), as of
/// `today`. Entries dated after `today` are left out.
///
/// # Errors
///
/// [`UnknownValue`] when a condition id is unknown.
pub fn clinical_summary<'k, S: AsRef<str>>(
    knowledge: &'k Knowledge,
    journal: &Journal,
    conditions: &[S],
    today: LocalDate,
) -> Result<ClinicalSummary<'k>, UnknownValue> {
    let conditions = conditions
        .iter()
        .map(|id| knowledge.condition(id.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    let noted: Vec<Noted> = safety::journal_red_flags(knowledge, journal, today)
        .into_iter()
        .filter(|n| n.reported.date() <= today)
        .collect();
    let judged = safety::red_flags(knowledge, &[] as &[&str], &noted, &conditions)?;
    let red_flags = noted
        .iter()
        .map(|n| {
            Ok(NotedFlag {
                symptom: knowledge.symptom(&n.symptom)?,
                reported: n.reported,
            })
        })
        .collect::<Result<Vec<_>, UnknownValue>>()?;
    let trend = peg_trend(journal, today);
    let flares = super::flares::flares(knowledge, journal, &[], today)
        .iter()
        .map(|f| FlareDates {
            start: f.start,
            end: f.end,
            days: f.days,
            peak: f.peak,
        })
        .collect();
    Ok(ClinicalSummary {
        today,
        pain_type: assessed_pain_type(knowledge, journal, today),
        peg: PegSummary {
            trend,
            threshold: PEG_MEANINGFUL_FALL,
            enough: trend.has_enough_answers(),
            meaningful: trend.fell_meaningfully(),
        },
        flares,
        exercise: exercise_weeks(journal, today),
        red_flags,
        red_flag_level: judged.triage.level,
        conditions,
        disclaimer: &knowledge.journal.disclaimer,
    })
}

/// The latest assessment up to `today` that found a pain type, scored again for its
/// confidence.
fn assessed_pain_type(
    knowledge: &Knowledge,
    journal: &Journal,
    today: LocalDate,
) -> Option<AssessedPainType> {
    let record = journal.entries().iter().rev().find_map(|e| match e {
        Entry::Assessment(a) if a.at.date() <= today && a.pain_type.is_some() => Some(a),
        _ => None,
    })?;
    let scored = assessment::assess(knowledge, &record.answers)
        .ok()
        .and_then(|a| a.result)
        .filter(|r| Some(r.pain_type) == record.pain_type);
    Some(AssessedPainType {
        date: record.at.date(),
        pain_type: record.pain_type?,
        confidence: scored.as_ref().map(|r| r.confidence),
        confidence_label: scored.map(|r| r.confidence_label),
    })
}

/// Exercise sessions in each of the [`SUMMARY_WEEKS`] weeks ending on `today`, oldest first.
fn exercise_weeks(journal: &Journal, today: LocalDate) -> Vec<ExerciseWeek> {
    let today_n = today.0.to_julian_day();
    (0..SUMMARY_WEEKS)
        .rev()
        .filter_map(|back| {
            let back = i32::try_from(back).ok()?;
            let end_n = today_n - 7 * back;
            let start_n = end_n - 6;
            let mut week = ExerciseWeek {
                start: LocalDate(time::Date::from_julian_day(start_n).ok()?),
                end: LocalDate(time::Date::from_julian_day(end_n).ok()?),
                sessions: 0,
                minutes: 0,
            };
            for e in journal.exercise() {
                let d = e.at.date().0.to_julian_day();
                if (start_n..=end_n).contains(&d) {
                    week.sessions += 1;
                    week.minutes += u32::from(e.minutes);
                }
            }
            Some(week)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{DailyCheckIn, EntryId, Exercise, Intimacy, LocalDateTime, Peg};
    use crate::vocab::{Felt, PainScore};

    fn knowledge() -> &'static Knowledge {
        Knowledge::bundled().expect("the bundled knowledge base is valid")
    }

    fn today() -> LocalDate {
        "2025-06-30".parse().expect("a date")
    }

    fn day(offset: i32) -> LocalDate {
        LocalDate(time::Date::from_julian_day(today().0.to_julian_day() + offset).expect("a date"))
    }

    fn id(prefix: &str, n: i32) -> EntryId {
        format!("{prefix}-{:06}", n.unsigned_abs())
            .parse()
            .expect("an id")
    }

    fn score(x: u8) -> PainScore {
        PainScore::new(x).expect("a score")
    }

    fn peg(offset: i32, value: u8) -> Entry {
        Entry::Peg(Peg {
            id: id("peg", offset),
            date: day(offset),
            pain: score(value),
            enjoyment: score(value),
            activity: score(value),
        })
    }

    fn check_in(offset: i32, pain: u8) -> Entry {
        Entry::Daily(DailyCheckIn {
            id: id("day", offset),
            date: day(offset),
            pain_morning: Some(score(pain)),
            pain_evening: Some(score(pain)),
            sleep_hours: None,
            sleep_quality: None,
            mood: None,
            stress: None,
            note: None,
        })
    }

    fn exercise(offset: i32, minutes: u16) -> Entry {
        Entry::Exercise(Exercise {
            id: id("ex", offset),
            at: LocalDateTime::at(day(offset), 8, 0).expect("a time"),
            what: "walk".to_owned(),
            minutes,
            felt: Felt::Same,
            pain_before: None,
            pain_after: None,
            note: None,
            sets: Vec::new(),
        })
    }

    fn summary(entries: Vec<Entry>, conditions: &[&str]) -> ClinicalSummary<'static> {
        clinical_summary(knowledge(), &Journal::new(entries), conditions, today())
            .expect("a summary")
    }

    #[test]
    fn an_empty_journal_gives_an_empty_summary_with_eight_empty_weeks() {
        let s = summary(Vec::new(), &[]);
        assert_eq!(s.pain_type, None);
        assert_eq!(s.peg.trend.answers, 0);
        assert!(!s.peg.enough && !s.peg.meaningful);
        assert!(s.flares.is_empty() && s.red_flags.is_empty() && s.conditions.is_empty());
        assert_eq!(s.red_flag_level, Level::None);
        assert_eq!(s.exercise.len(), SUMMARY_WEEKS);
        assert_eq!(s.exercise.last().map(|w| w.end), Some(today()));
        assert_eq!(s.exercise.first().map(|w| w.start), Some(day(-55)));
        assert!(s.sessions_per_week().abs() < 1e-9);
        assert!(!s.disclaimer.is_empty());
    }

    #[test]
    fn a_peg_fall_past_the_threshold_is_meaningful_and_a_small_one_is_not() {
        let fell = summary(vec![peg(-42, 8), peg(-35, 8), peg(-7, 4), peg(0, 4)], &[]);
        assert!(fell.peg.enough && fell.peg.meaningful);
        assert_eq!(fell.peg.trend.first, Some((day(-42), 8.0)));
        assert_eq!(fell.peg.trend.latest, Some((day(0), 4.0)));
        assert_eq!(fell.peg.trend.change_from_first(), Some(-4.0));
        assert!((fell.peg.threshold - 0.30).abs() < 1e-9);

        let small = summary(vec![peg(-42, 8), peg(-35, 8), peg(-7, 7), peg(0, 7)], &[]);
        assert!(small.peg.enough && !small.peg.meaningful);

        let early = summary(vec![peg(-7, 8), peg(0, 2)], &[]);
        assert!(!early.peg.enough && !early.peg.meaningful);
    }

    #[test]
    fn flare_ups_are_listed_with_their_dates() {
        let mut entries: Vec<Entry> = (-30..=-5).map(|o| check_in(o, 3)).collect();
        entries.extend((-4..=-2).map(|o| check_in(o, 7)));
        entries.extend((-1..=0).map(|o| check_in(o, 3)));
        let s = summary(entries, &[]);
        assert_eq!(s.flares.len(), 1, "{:?}", s.flares);
        let f = s.flares[0];
        assert_eq!(f.start, day(-4));
        assert_eq!(f.end, Some(day(-2)));
        assert_eq!(f.days, 3);
        assert!((f.peak - 7.0).abs() < 1e-9);
    }

    #[test]
    fn exercise_sessions_are_counted_in_the_week_they_fall_in() {
        let s = summary(
            vec![
                exercise(0, 20),
                exercise(-6, 30),
                exercise(-7, 10),
                exercise(-60, 15),
                exercise(1, 40),
            ],
            &[],
        );
        let latest = s.exercise[SUMMARY_WEEKS - 1];
        assert_eq!((latest.sessions, latest.minutes), (2, 50));
        let before = s.exercise[SUMMARY_WEEKS - 2];
        assert_eq!((before.sessions, before.minutes), (1, 10));
        assert_eq!(s.exercise.iter().map(|w| w.sessions).sum::<usize>(), 3);
        assert!((s.sessions_per_week() - 3.0 / 8.0).abs() < 1e-9);
    }

    #[test]
    fn red_flags_logged_in_the_journal_are_noted_with_the_safety_level() {
        let log = Entry::Intimacy(Intimacy {
            id: id("log", 3),
            at: LocalDateTime::at(day(-3), 21, 0).expect("a time"),
            positions: Vec::new(),
            preparation: Vec::new(),
            pain_before: score(2),
            pain_during: None,
            pain_after: score(3),
            stopped_early: false,
            symptoms: vec!["saddle-numbness".to_owned()],
            next_day_pain: None,
            note: None,
        });
        let s = summary(vec![log], &["disc-problem"]);
        assert_eq!(s.red_flags.len(), 1);
        assert_eq!(s.red_flags[0].symptom.id, "saddle-numbness");
        assert_eq!(s.red_flags[0].reported, Reported::Logged(day(-3)));
        assert!(s.red_flag_level.withholds_advice());
        assert_eq!(s.conditions.len(), 1);
        assert_eq!(s.conditions[0].id, "disc-problem");
    }

    /// A self-assessment on `offset` whose answers score as flexion-intolerant.
    fn assessment(offset: i32) -> Entry {
        let answers = [
            ("any-direction", "one-direction"),
            ("arching", "better"),
            ("bending", "worse"),
            ("lying-face-down", "better"),
            ("relief", "stand-or-walk"),
            ("sitting", "worse"),
            ("standing", "better"),
            ("time-of-day", "morning"),
            ("twisting", "no-change"),
            ("walking", "better"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let record = crate::journal::AssessmentRecord::new(
            knowledge(),
            id("as", offset),
            LocalDateTime::at(day(offset), 9, 0).expect("a time"),
            assessment::Answers {
                red_flags: Vec::new(),
                answers,
            },
        )
        .expect("answers that score");
        Entry::Assessment(record)
    }

    #[test]
    fn the_pain_type_is_the_latest_assessments_with_its_confidence() {
        let s = summary(vec![assessment(-20), assessment(-10), assessment(5)], &[]);
        let p = s.pain_type.expect("a pain type");
        assert_eq!(p.date, day(-10), "the latest up to today");
        assert_eq!(p.pain_type, PainType::Flexion);
        let scored = assessment::assess(knowledge(), &{
            let Entry::Assessment(a) = assessment(-10) else {
                unreachable!()
            };
            a.answers
        })
        .expect("scores")
        .result
        .expect("a result");
        assert_eq!(p.confidence, Some(scored.confidence));
        assert_eq!(p.confidence_label, Some(scored.confidence_label));
    }

    #[test]
    fn an_unknown_condition_is_refused_by_name() {
        let err = clinical_summary(knowledge(), &Journal::default(), &["no-such"], today())
            .expect_err("an unknown condition");
        assert!(err.to_string().contains("no-such"), "{err}");
    }
}
