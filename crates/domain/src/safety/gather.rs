//! A person's circumstances, gathered the same way for every feature and every front end: what
//! they gave now, what their saved profile says, and what their journal holds.
//!
//! - The pain type to plan for: the one given, else the saved profile's, else the latest
//!   assessment's in the journal, else `unclear` (the general, most cautious choice).
//! - Today's pain: the one given, else today's check-in (the evening's answer, else the
//!   morning's).
//! - Conditions: the ones given *added to* the saved ones, never replacing them, so that
//!   naming one condition never drops another.
//! - Red flags: the symptoms reported now, and those the journal still holds
//!   ([`journal_red_flags`]).

use super::person::Person;
use super::red_flags::{ASSESSMENT_FLAGS_DAYS, LOGGED_FLAGS_DAYS, Noted, RedFlags, Reported};
use crate::journal::{Entry, Journal, LocalDate};
use crate::knowledge::{Condition, Knowledge};
use crate::vocab::{PainScore, PainType, Role, UnknownValue};

/// Where the pain type came from, so that a page can say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PainTypeSource {
    /// Given now.
    Given,
    /// The saved profile.
    Profile,
    /// The latest assessment in the journal.
    Assessment,
    /// Nothing known: the general choice.
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

/// What a person gave now, on a page, to the API or on the command line.
#[derive(Debug, Clone, Default)]
pub struct Given {
    /// Their pain type.
    pub pain_type: Option<PainType>,
    /// Their back pain today.
    pub pain_today: Option<PainScore>,
    /// Condition ids, added to the saved ones.
    pub conditions: Vec<String>,
    /// The week of a pregnancy.
    pub pregnancy_weeks: Option<u8>,
    /// Symptom ids reported now.
    pub symptoms: Vec<String>,
}

/// What their saved profile says.
#[derive(Debug, Clone, Default)]
pub struct Saved {
    /// The saved pain type.
    pub pain_type: Option<PainType>,
    /// The saved conditions.
    pub conditions: Vec<String>,
}

/// Everything the safety policy and the features work from, for one person on one day.
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
    /// Condition ids: the saved ones, then the given ones, each once.
    pub conditions: Vec<String>,
    /// The week of a pregnancy, if known.
    pub pregnancy_weeks: Option<u8>,
    /// Symptoms reported now.
    pub symptoms: Vec<String>,
    /// Red-flag symptoms the journal still holds.
    pub noted: Vec<Noted>,
    /// The person's date.
    pub today: LocalDate,
    /// The journal (empty when there is none, or it is locked).
    pub journal: Journal,
}

impl Circumstances {
    /// Gathers them.
    ///
    /// # Errors
    ///
    /// [`UnknownValue`] for a condition or symptom the knowledge base does not know.
    pub fn gather(
        knowledge: &Knowledge,
        given: Given,
        saved: Saved,
        journal: Journal,
        today: LocalDate,
    ) -> Result<Circumstances, UnknownValue> {
        let (pain_type, source) = pain_type(given.pain_type, saved.pain_type, &journal);
        let conditions = with_saved(&saved.conditions, &given.conditions);
        for id in &conditions {
            knowledge.condition(id)?;
        }
        let mut symptoms: Vec<String> = Vec::new();
        for id in &given.symptoms {
            knowledge.symptom(id)?;
            if !symptoms.contains(id) {
                symptoms.push(id.clone());
            }
        }
        Ok(Circumstances {
            pain_type,
            source,
            pain_today: given.pain_today.or_else(|| pain_today(&journal, today)),
            pain_given: given.pain_today.is_some(),
            conditions,
            pregnancy_weeks: given.pregnancy_weeks,
            symptoms,
            noted: journal_red_flags(knowledge, &journal, today),
            today,
            journal,
        })
    }

    /// The person, in `role`.
    pub fn person<'k>(&self, knowledge: &'k Knowledge, role: Role) -> Person<'k> {
        Person {
            pain_type: self.pain_type,
            role,
            pain_now: self.pain_today,
            conditions: self.condition_refs(knowledge),
            weeks: self.pregnancy_weeks,
            switching: false,
        }
    }

    /// The red-flag answer for them.
    pub fn red_flags<'k>(&self, knowledge: &'k Knowledge) -> RedFlags<'k> {
        self.judge(knowledge, &self.symptoms)
    }

    /// The red-flag answer for them with `symptoms` reported now as well: the symptom check's
    /// ticks, or the symptoms of a log just written (judged with the ones the journal held
    /// before it, so that a combination across days is caught).
    ///
    /// # Errors
    ///
    /// [`UnknownValue`] for a symptom the knowledge base does not know.
    pub fn red_flags_with<'k, S: AsRef<str>>(
        &self,
        knowledge: &'k Knowledge,
        symptoms: &[S],
    ) -> Result<RedFlags<'k>, UnknownValue> {
        let mut now = self.symptoms.clone();
        for id in symptoms {
            let id = id.as_ref();
            knowledge.symptom(id)?;
            if !now.iter().any(|s| s == id) {
                now.push(id.to_owned());
            }
        }
        Ok(self.judge(knowledge, &now))
    }

    fn judge<'k>(&self, knowledge: &'k Knowledge, now: &[String]) -> RedFlags<'k> {
        // Every id was checked before it came here.
        let symptoms = now
            .iter()
            .filter_map(|id| knowledge.symptom(id).ok())
            .collect();
        super::red_flags::judged(
            knowledge,
            symptoms,
            now,
            &self.noted,
            &self.condition_refs(knowledge),
        )
    }

    fn condition_refs<'k>(&self, knowledge: &'k Knowledge) -> Vec<&'k Condition> {
        self.conditions
            .iter()
            .filter_map(|id| knowledge.condition(id).ok())
            .collect()
    }
}

/// A person's conditions: the saved ones, then those given now, each once. Given ones add to
/// the saved ones and never replace them, so that naming one condition never drops another.
pub fn with_saved(saved: &[String], given: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(saved.len() + given.len());
    for id in saved.iter().chain(given) {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

/// The pain type to plan for: the one given, else the saved profile's, else the latest
/// assessment's, else `unclear` (the general program, and the most cautious plan).
pub fn pain_type(
    given: Option<PainType>,
    saved: Option<PainType>,
    journal: &Journal,
) -> (PainType, PainTypeSource) {
    if let Some(t) = given {
        return (t, PainTypeSource::Given);
    }
    if let Some(t) = saved {
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

/// The red-flag symptoms `journal` holds that still count on `today`, latest first. Symptom
/// ids the knowledge base no longer knows are left out rather than failing the page.
pub fn journal_red_flags(knowledge: &Knowledge, journal: &Journal, today: LocalDate) -> Vec<Noted> {
    let within = |date: LocalDate, days: i64| (today.0 - date.0).whole_days() <= days;
    let mut noted: Vec<Noted> = Vec::new();
    let mut push = |symptom: &String, reported: Reported| {
        if knowledge.symptom(symptom).is_ok() {
            noted.push(Noted {
                symptom: symptom.clone(),
                reported,
            });
        }
    };
    let latest_assessment = journal.entries().iter().rev().find_map(|e| match e {
        Entry::Assessment(a) => Some(a),
        _ => None,
    });
    if let Some(a) = latest_assessment.filter(|a| within(a.at.date(), ASSESSMENT_FLAGS_DAYS)) {
        for s in &a.answers.red_flags {
            push(s, Reported::Assessed(a.at.date()));
        }
    }
    for entry in journal.entries() {
        if let Entry::Intimacy(log) = entry
            && within(log.at.date(), LOGGED_FLAGS_DAYS)
        {
            for s in &log.symptoms {
                push(s, Reported::Logged(log.at.date()));
            }
        }
    }
    noted.sort_by_key(|n| std::cmp::Reverse(n.reported.date()));
    noted
}
