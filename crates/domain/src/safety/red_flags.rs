//! Red flags: the symptoms reported now and those the journal still holds, judged together by
//! the triage in the light of the couple's conditions, into one graded referral. At `urgent`
//! or `emergency` it withholds every other piece of advice — positions, tips, the exercise
//! program, flare-up advice — in every feature alike.
//!
//! How long the journal's red flags count: symptoms noted in a log for [`LOGGED_FLAGS_DAYS`]
//! days, the latest assessment's for [`ASSESSMENT_FLAGS_DAYS`] (a newer assessment without
//! red flags replaces an older one with them). An entry dated after today counts as today's:
//! some entries are stamped by a server clock that can be a day ahead of the person's date.

use crate::journal::date::LocalDate;
use crate::knowledge::{Condition, Knowledge, Symptom};
use crate::triage::{self, Triage};
use crate::vocab::{Level, UnknownValue};
use crate::words::lower_first;

/// How recent an assessment's red flags must be to count, in days.
pub const ASSESSMENT_FLAGS_DAYS: i64 = 30;
/// How recent red-flag symptoms noted in a log must be to count, in days.
pub const LOGGED_FLAGS_DAYS: i64 = 7;

/// Where a red-flag symptom was reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reported {
    /// Noted in a journal log on this date.
    Logged(LocalDate),
    /// Answered in a self-assessment on this date.
    Assessed(LocalDate),
}

impl Reported {
    /// The date it was reported on.
    pub const fn date(self) -> LocalDate {
        match self {
            Reported::Logged(d) | Reported::Assessed(d) => d,
        }
    }

    /// Where, in words: "noted in your journal on 2025-03-04".
    pub fn words(self) -> String {
        match self {
            Reported::Logged(d) => format!("noted in your journal on {d}"),
            Reported::Assessed(d) => format!("answered in your self-assessment on {d}"),
        }
    }
}

/// A red-flag symptom the journal holds that still counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Noted {
    /// The symptom's id.
    pub symptom: String,
    /// Where and when.
    pub reported: Reported,
}

/// The conditions that change how urgent a symptom is: those a combination names (pregnancy
/// makes bleeding after sex urgent). A symptom check asks about these.
pub fn triage_conditions(knowledge: &Knowledge) -> Vec<&Condition> {
    knowledge
        .conditions
        .iter()
        .filter(|c| {
            knowledge
                .combinations
                .iter()
                .any(|combo| combo.conditions.contains(&c.id))
        })
        .collect()
}

/// The red-flag answer for a person or a couple.
#[derive(Debug, Clone)]
pub struct RedFlags<'k> {
    /// The triage of every symptom, reported now or noted in the journal: the level and one
    /// finding per symptom, most urgent first.
    pub triage: Triage<'k>,
    /// The symptoms that came from the journal, and when.
    pub noted: Vec<Noted>,
}

impl<'k> RedFlags<'k> {
    /// No red flags at all.
    pub fn none() -> RedFlags<'k> {
        RedFlags {
            triage: Triage {
                level: Level::None,
                findings: Vec::new(),
            },
            noted: Vec::new(),
        }
    }

    /// The most urgent level.
    pub fn level(&self) -> Level {
        self.triage.level
    }

    /// Whether the referral comes alone: urgent or emergency.
    pub fn withholds_advice(&self) -> bool {
        self.triage.level.withholds_advice()
    }

    /// The symptoms behind `level` in words, each with where it was reported when it came from
    /// the journal: "fever (noted in your journal on 2026-03-04)".
    pub fn named(&self, level: Level) -> Vec<String> {
        self.triage
            .findings
            .iter()
            .filter(|f| f.level == level)
            .map(|f| {
                let name = lower_first(&f.symptom.name);
                match self.reported(&f.symptom.id) {
                    Some(r) => format!("{name} ({})", r.words()),
                    None => name,
                }
            })
            .collect()
    }

    /// Where a symptom came from, if from the journal (the latest report).
    pub fn reported(&self, symptom: &str) -> Option<Reported> {
        self.noted
            .iter()
            .find(|n| n.symptom == symptom)
            .map(|n| n.reported)
    }
}

/// Judges the symptoms reported now and those `noted` in the journal, in the light of the
/// conditions of everyone concerned (bleeding in pregnancy is more urgent than bleeding
/// otherwise).
///
/// # Errors
///
/// [`UnknownValue`] for a symptom reported now that the knowledge base does not know.
pub fn red_flags<'k, S: AsRef<str>>(
    knowledge: &'k Knowledge,
    now: &[S],
    noted: &[Noted],
    conditions: &[&Condition],
) -> Result<RedFlags<'k>, UnknownValue> {
    let mut symptoms: Vec<&'k Symptom> = Vec::with_capacity(now.len() + noted.len());
    for id in now {
        symptoms.push(knowledge.symptom(id.as_ref())?);
    }
    Ok(judged(knowledge, symptoms, now, noted, conditions))
}

/// [`red_flags`] for symptoms reported now that are already known to the knowledge base
/// (`noted` ones it no longer knows are left out).
pub(super) fn judged<'k, S: AsRef<str>>(
    knowledge: &'k Knowledge,
    mut symptoms: Vec<&'k Symptom>,
    now: &[S],
    noted: &[Noted],
    conditions: &[&Condition],
) -> RedFlags<'k> {
    symptoms.extend(
        noted
            .iter()
            .filter_map(|n| knowledge.symptom(&n.symptom).ok()),
    );
    let triage = triage::judge(knowledge, &symptoms, conditions);
    // A symptom reported now is reported now, whatever the journal says of it.
    let noted = noted
        .iter()
        .filter(|n| !now.iter().any(|s| s.as_ref() == n.symptom))
        .cloned()
        .collect();
    RedFlags { triage, noted }
}
