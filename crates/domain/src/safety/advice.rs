//! Flare-up advice as the policy allows it: the referral alone when a red flag withholds
//! advice; otherwise the knowledge base's items in order, each replaced where the person's
//! conditions withhold it, and the list of when to see a doctor drawn from the triage's own
//! symptoms and levels, so that the product keeps one list of red flags.

use super::conditions::Whose;
use super::conditions::withholds;
use super::person::Person;
use super::red_flags::RedFlags;
use crate::knowledge::{FlareAdvice, Knowledge, Symptom};
use crate::vocab::Level;
use crate::words::lower_first;

/// The id of the referral that stands alone when a red flag withholds advice.
pub const REFERRAL: &str = "see-a-doctor-first";

/// The levels of the warning signs that stop exercise (shown before every exercise session):
/// those that withhold advice.
pub const EXERCISE_STOP_LEVELS: &[Level] = &[Level::Emergency, Level::Urgent];

/// One piece of advice, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice<'k> {
    /// The content's id (or [`REFERRAL`]).
    pub id: &'k str,
    /// A short title.
    pub title: String,
    /// The advice.
    pub text: String,
    /// Sources.
    pub sources: Vec<&'k str>,
}

/// What to do in a flare-up, for this person, in the light of their red flags.
pub fn flare_advice<'k>(
    knowledge: &'k Knowledge,
    person: &Person<'k>,
    red_flags: &RedFlags<'k>,
) -> Vec<Advice<'k>> {
    if red_flags.withholds_advice() {
        return vec![referral(knowledge, red_flags)];
    }
    let mut advice: Vec<Advice<'k>> = Vec::new();
    for a in &knowledge.journal.flare_advice {
        if a.replacement_only {
            continue;
        }
        let (chosen, whose) = if withholds(person, &a.unless_effects) {
            match a.instead.as_deref().map(|id| knowledge.flare_advice(id)) {
                Some(Ok(instead)) => (instead, Some(Whose::You)),
                _ => continue,
            }
        } else {
            (a, None)
        };
        if !advice.iter().any(|x| x.id == chosen.id) {
            advice.push(item(knowledge, chosen, whose));
        }
    }
    advice
}

/// The warning signs of a back, by level: the symptoms screened before the self-assessment at
/// each of `levels`, with the level's headline — the triage's own list, for every page that
/// lists them.
pub fn warning_signs<'k>(knowledge: &'k Knowledge, levels: &[Level]) -> Vec<WarningSigns<'k>> {
    levels
        .iter()
        .filter_map(|level| {
            let symptoms: Vec<&'k Symptom> = knowledge
                .symptoms
                .iter()
                .filter(|s| s.screen_in_assessment && s.level == *level)
                .collect();
            let info = knowledge.level(*level)?;
            (!symptoms.is_empty()).then_some(WarningSigns {
                level: *level,
                headline: &info.headline,
                symptoms,
            })
        })
        .collect()
}

/// The warning signs of one level.
#[derive(Debug, Clone)]
pub struct WarningSigns<'k> {
    /// The level.
    pub level: Level,
    /// What to do, in a few words: "Get emergency care now".
    pub headline: &'k str,
    /// The symptoms.
    pub symptoms: Vec<&'k Symptom>,
}

impl WarningSigns<'_> {
    /// The symptoms' names as they read inside a sentence.
    pub fn names(&self) -> Vec<String> {
        self.symptoms.iter().map(|s| lower_first(&s.name)).collect()
    }
}

fn item<'k>(knowledge: &'k Knowledge, a: &'k FlareAdvice, whose: Option<Whose>) -> Advice<'k> {
    let mut text = match whose {
        Some(w) => w.fill(a.text.trim()),
        None => a.text.trim().to_owned(),
    };
    let mut sources: Vec<&'k str> = a.sources.iter().map(String::as_str).collect();
    for signs in warning_signs(knowledge, &a.red_flag_levels) {
        text.push_str(&format!(
            " {}: {}.",
            signs.headline,
            signs.names().join("; ")
        ));
        for s in signs.symptoms.iter().flat_map(|s| &s.sources) {
            if !sources.contains(&s.as_str()) {
                sources.push(s);
            }
        }
    }
    Advice {
        id: &a.id,
        title: a.title.clone(),
        text,
        sources,
    }
}

/// The referral: the level's headline and action, and the symptoms behind it.
fn referral<'k>(knowledge: &'k Knowledge, red_flags: &RedFlags<'k>) -> Advice<'k> {
    let info = knowledge.level(red_flags.level());
    let mut text = info.map(|i| i.action.trim().to_owned()).unwrap_or_default();
    let named = red_flags.named(red_flags.level());
    if !named.is_empty() {
        text.push_str(&format!(" Because of: {}.", named.join("; ")));
    }
    let mut sources: Vec<&'k str> = Vec::new();
    for f in &red_flags.triage.findings {
        for s in &f.sources {
            if !sources.contains(s) {
                sources.push(s);
            }
        }
    }
    Advice {
        id: REFERRAL,
        title: info.map(|i| i.headline.clone()).unwrap_or_default(),
        text,
        sources,
    }
}
