//! Red-flag triage: from the symptoms a person reports to a graded referral. This is the
//! mechanism; [`crate::safety::red_flags()`] is what every feature asks, with the journal's red
//! flags and the couple's conditions.
//!
//! Each symptom has its own level; a combination of symptoms, or of symptoms and a condition,
//! that together mean more (a history of cancer with pain at night; bleeding in pregnancy)
//! raises every symptom in it to the combination's level. The overall level is the highest finding. Levels only ever go up as
//! symptoms are added.

use crate::knowledge::{Combination, Condition, Knowledge, Symptom};
use crate::vocab::{Level, UnknownValue};

/// What the triage found for one symptom.
#[derive(Debug, Clone)]
pub struct Finding<'k> {
    /// The symptom.
    pub symptom: &'k Symptom,
    /// Its level, raised by a combination where one applies.
    pub level: Level,
    /// What to do.
    pub advice: &'k str,
    /// The combination that raised it, if any.
    pub escalated_by: Option<&'k Combination>,
    /// Sources.
    pub sources: Vec<&'k str>,
}

/// The result of a red-flag check.
#[derive(Debug, Clone)]
pub struct Triage<'k> {
    /// The most urgent level found (`none` when nothing was reported).
    pub level: Level,
    /// One finding per symptom reported, most urgent first.
    pub findings: Vec<Finding<'k>>,
}

/// Checks the reported symptoms. Every id must be a known symptom; repeats count once.
pub fn check<'k, S: AsRef<str>>(
    knowledge: &'k Knowledge,
    symptoms: &[S],
) -> Result<Triage<'k>, UnknownValue> {
    check_with_conditions::<S, &str>(knowledge, symptoms, &[])
}

/// Checks the reported symptoms in the light of the couple's conditions (bleeding in
/// pregnancy is more urgent than bleeding otherwise). Every id must be known.
pub fn check_with_conditions<'k, S: AsRef<str>, C: AsRef<str>>(
    knowledge: &'k Knowledge,
    symptoms: &[S],
    conditions: &[C],
) -> Result<Triage<'k>, UnknownValue> {
    let mut known: Vec<&'k Condition> = Vec::with_capacity(conditions.len());
    for c in conditions {
        known.push(knowledge.condition(c.as_ref())?);
    }
    let mut reported: Vec<&'k Symptom> = Vec::with_capacity(symptoms.len());
    for id in symptoms {
        reported.push(knowledge.symptom(id.as_ref())?);
    }
    Ok(judge(knowledge, &reported, &known))
}

/// The smallest sets of symptoms that, reported with no condition, reach a level that
/// withholds all other advice ([`Level::withholds_advice`]): each symptom that does alone,
/// and each combination without conditions that does. A report withholds advice exactly when
/// it holds all of one of these sets — what the self-assessment's answers may then leave out.
pub fn sets_that_withhold_advice(knowledge: &Knowledge) -> Vec<Vec<&str>> {
    let alone = knowledge
        .symptoms
        .iter()
        .filter(|s| s.level.withholds_advice())
        .map(|s| vec![s.id.as_str()]);
    let together = knowledge
        .combinations
        .iter()
        .filter(|c| c.conditions.is_empty() && c.level.withholds_advice())
        .map(|c| c.all.iter().map(String::as_str).collect());
    alone.chain(together).collect()
}

/// Judges symptoms already looked up (repeats count once) in the light of `conditions`.
pub fn judge<'k>(
    knowledge: &'k Knowledge,
    symptoms: &[&'k Symptom],
    conditions: &[&Condition],
) -> Triage<'k> {
    let has_condition = |id: &String| conditions.iter().any(|c| &c.id == id);
    let mut reported: Vec<&'k Symptom> = Vec::with_capacity(symptoms.len());
    for &symptom in symptoms {
        if !reported.iter().any(|s| s.id == symptom.id) {
            reported.push(symptom);
        }
    }

    let mut findings: Vec<Finding<'k>> = reported
        .iter()
        .map(|&symptom| {
            let escalated_by = knowledge
                .combinations
                .iter()
                .filter(|c| c.all.contains(&symptom.id))
                .filter(|c| c.all.iter().all(|id| reported.iter().any(|r| &r.id == id)))
                .filter(|c| c.conditions.iter().all(has_condition))
                .filter(|c| c.level > symptom.level)
                .max_by_key(|c| c.level);
            let (level, advice, cited) = match escalated_by {
                Some(c) => (c.level, c.advice.as_str(), &c.sources[..]),
                None => (symptom.level, symptom.advice.as_str(), &[][..]),
            };
            let mut sources: Vec<&'k str> = Vec::new();
            for s in cited.iter().chain(&symptom.sources) {
                if !sources.contains(&s.as_str()) {
                    sources.push(s);
                }
            }
            Finding {
                symptom,
                level,
                advice,
                escalated_by,
                sources,
            }
        })
        .collect();
    // Most urgent first; a stable sort keeps the content's order within a level.
    findings.sort_by_key(|f| std::cmp::Reverse(f.level));
    let level = findings.first().map_or(Level::None, |f| f.level);
    Triage { level, findings }
}
