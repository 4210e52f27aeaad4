//! What a person's conditions rule out or flag, in positions, in exercises and in advice.
//!
//! A condition brings *restrictions* (`conditions.toml`): postures and movements described in
//! the same words for positions and exercises — lying on the back (pregnancy, from week 20 or
//! when the week is not known), lying face down (pregnancy), the hip past 90 degrees, across
//! the midline, turned inward, or taken back with the leg turned out (hip replacement), and
//! loaded rounding of the spine (osteoporosis). It can also switch on *effects*: capping every
//! position at "caution" (recent spine surgery), withholding the exercise program until the
//! surgeon or physiotherapist says when to start, making forward bending count for more in the
//! morning (disc problem), and withholding the advice that lists them in `unless_effects`
//! (anti-inflammatories, baths and stretching after surgery).
//!
//! - Positions ([`position_flags`]): a posture that falls under one of the person's
//!   restrictions gets the restriction's verdict (`avoid`, or `caution` for lying on the back
//!   and for the front approach's precaution), whatever the modifications; loaded rounding is
//!   not a flag but a sensitivity, judged by the posture model on the flexion demand
//!   ([`flexion_restriction`]).
//! - Exercises ([`exercise_decision`]): an exercise that falls under a restriction is done in
//!   its adapted form where the content gives one that suits the pain type, else swapped for
//!   its first alternative that is itself allowed, else left out, with the reason.
//! - Advice ([`withheld_for`]): a tip or flare-up item is withheld when a person with back
//!   pain has a condition with one of its `unless_effects`, and the replacement says whose
//!   condition it is.

use super::person::{Person, Who, fill};
use super::red_flags::RedFlags;
use crate::knowledge::{
    Condition, ConditionEffect, ExerciseInfo, Fit, Knowledge, Position, RestrictionInfo,
    RoleProfile,
};
use crate::vocab::{Restriction, Verdict};

/// A restriction in force for a person, and the condition it comes from.
#[derive(Debug, Clone, Copy)]
pub struct Active<'k> {
    /// What it rules out.
    pub info: &'k RestrictionInfo,
    /// The condition that brings it.
    pub condition: &'k Condition,
}

impl<'k> Person<'k> {
    /// The restrictions in force for this person today, each once (the first condition that
    /// brings it is named).
    pub fn restrictions(&self, knowledge: &'k Knowledge) -> Vec<Active<'k>> {
        let mut out: Vec<Active<'k>> = Vec::new();
        for condition in &self.conditions {
            for r in &condition.restrictions {
                let weeks = if condition.weeks { self.weeks } else { None };
                if !r.applies(weeks) || out.iter().any(|a| a.info.id == r.id()) {
                    continue;
                }
                if let Some(info) = knowledge.restriction(r.id()) {
                    out.push(Active { info, condition });
                }
            }
        }
        out
    }

    /// The restriction in force for `restriction`, if it is.
    pub fn restricted(
        &self,
        knowledge: &'k Knowledge,
        restriction: Restriction,
    ) -> Option<Active<'k>> {
        self.restrictions(knowledge)
            .into_iter()
            .find(|a| a.info.id == restriction)
    }
}

/// The restrictions a posture falls under: its support (lying on the back or face down) and
/// what it asks of the hips. Loaded rounding is judged on the flexion demand instead.
pub fn posture_restrictions(profile: &RoleProfile) -> impl Iterator<Item = Restriction> + '_ {
    profile
        .support
        .restriction()
        .into_iter()
        .chain(profile.hip.iter().copied())
}

/// Loaded rounding of the spine, when it is one of this person's restrictions: the posture
/// model then treats forward bending as a movement this back must be spared, whatever its pain
/// type (marked rounding is to be avoided, moderate done with care).
pub fn flexion_restriction<'k>(
    knowledge: &'k Knowledge,
    person: &Person<'k>,
) -> Option<Active<'k>> {
    person.restricted(knowledge, Restriction::LoadedFlexion)
}

/// What a person's conditions do to their verdict on a position, beyond the posture model's
/// own judgement: the verdict they allow at most, with the reasons and sources.
#[derive(Debug, Clone, Default)]
pub struct PositionFlags<'k> {
    /// The best verdict the conditions allow (`recommended` when they flag nothing). The
    /// modifications do not change it: they do not change a support or a hip.
    pub verdict: Option<Verdict>,
    /// Why, one sentence per flag, opening with whose back it is.
    pub reasons: Vec<String>,
    /// The sources of the conditions and restrictions that flagged it.
    pub sources: Vec<&'k str>,
}

impl PositionFlags<'_> {
    /// The verdict the flags allow at most.
    pub fn floor(&self) -> Verdict {
        self.verdict.unwrap_or(Verdict::Recommended)
    }

    fn raise(&mut self, verdict: Verdict) {
        self.verdict = Some(self.floor().max(verdict));
    }
}

/// The flags a person's conditions raise on `position` in their role: no position is
/// recommended while a surgeon has not yet said what is safe after spine surgery, and a
/// posture that falls under one of their restrictions gets that restriction's verdict.
pub fn position_flags<'k>(
    knowledge: &'k Knowledge,
    position: &'k Position,
    person: &Person<'k>,
    who: Who,
) -> PositionFlags<'k> {
    let mut flags = PositionFlags::default();
    for c in person.with_effect(ConditionEffect::CapAtCaution) {
        flags.raise(Verdict::Caution);
        if let Some(r) = &c.position_reason {
            flags
                .reasons
                .push([person.label(who).as_str(), ": ", &fill(r, who)].concat());
        }
        flags.sources.extend(c.sources.iter().map(String::as_str));
    }
    let profile = position.profile(person.role);
    let posture: Vec<Restriction> = posture_restrictions(profile).collect();
    for active in person.restrictions(knowledge) {
        if !posture.contains(&active.info.id) {
            continue;
        }
        flags.raise(active.info.position_verdict);
        flags.reasons.push(
            [
                person.label(who).as_str(),
                ": ",
                &fill(&active.info.position_reason, who),
            ]
            .concat(),
        );
        flags
            .sources
            .extend(active.info.sources.iter().map(String::as_str));
    }
    flags.sources.sort_unstable();
    flags.sources.dedup();
    flags
}

/// What the program does with one exercise for one person, because of their conditions.
#[derive(Debug, Clone)]
pub enum ExerciseDecision<'k> {
    /// Nothing in their conditions touches it.
    Unchanged,
    /// Done in its adapted form.
    Adapted {
        /// How, from the content (the forms for each restriction it falls under, in turn).
        how: String,
        /// Why.
        because: Active<'k>,
    },
    /// Replaced by another exercise.
    Swapped {
        /// The exercise done instead.
        with: &'k ExerciseInfo,
        /// Why.
        because: Active<'k>,
    },
    /// Left out.
    Withheld {
        /// Why.
        because: Active<'k>,
    },
}

impl ExerciseDecision<'_> {
    /// Whether the exercise itself is still done (as it is, or adapted).
    pub fn keeps_exercise(&self) -> bool {
        matches!(
            self,
            ExerciseDecision::Unchanged | ExerciseDecision::Adapted { .. }
        )
    }
}

/// The exercise as the person's conditions allow it: unchanged; adapted as the content says for
/// each restriction it falls under (when that form suits their pain type); else swapped for the
/// first of its alternatives that they may do as it is; else left out.
pub fn exercise_decision<'k>(
    knowledge: &'k Knowledge,
    exercise: &'k ExerciseInfo,
    person: &Person<'k>,
) -> ExerciseDecision<'k> {
    decide(knowledge, exercise, person, &person.restrictions(knowledge))
}

/// [`exercise_decision`] with the person's restrictions already worked out.
fn decide<'k>(
    knowledge: &'k Knowledge,
    exercise: &'k ExerciseInfo,
    person: &Person<'k>,
    active: &[Active<'k>],
) -> ExerciseDecision<'k> {
    let hits: Vec<Active<'k>> = exercise
        .body
        .restrictions()
        .into_iter()
        .filter_map(|r| active.iter().copied().find(|a| a.info.id == r))
        .collect();
    let Some(&first) = hits.first() else {
        return ExerciseDecision::Unchanged;
    };
    let adapted: Option<Vec<&'k str>> = hits
        .iter()
        .map(|a| {
            exercise
                .adapt
                .get(&a.info.id)
                .filter(|ad| !ad.not_for.contains(&person.pain_type))
                .map(|ad| ad.how.as_str())
        })
        .collect();
    if let Some(hows) = adapted {
        return ExerciseDecision::Adapted {
            how: hows.join(" "),
            because: first,
        };
    }
    let blocking = hits
        .iter()
        .copied()
        .find(|a| {
            exercise
                .adapt
                .get(&a.info.id)
                .is_none_or(|ad| ad.not_for.contains(&person.pain_type))
        })
        .unwrap_or(first);
    // An alternative is taken only as it is: one that falls under none of the restrictions in
    // force, and suits the pain type.
    let alternative = exercise.alternatives.iter().find_map(|id| {
        let alt = knowledge.exercise(id)?;
        let free = alt
            .body
            .restrictions()
            .iter()
            .all(|r| !active.iter().any(|a| a.info.id == *r));
        (free && alt.fit(person.pain_type).is_prescribed()).then_some(alt)
    });
    match alternative {
        Some(with) => ExerciseDecision::Swapped {
            with,
            because: blocking,
        },
        None => ExerciseDecision::Withheld { because: blocking },
    }
}

/// Why the whole exercise program is on hold.
#[derive(Debug, Clone, Copy)]
pub enum ProgramHold<'k> {
    /// A red flag needs a clinician first.
    RedFlag(crate::vocab::Level),
    /// A condition means the surgeon or physiotherapist says when to start.
    Condition(&'k Condition),
}

/// Whether the program is on hold for this person: a red flag that withholds advice comes
/// first, then a condition that withholds the program.
pub fn program_hold<'k>(person: &Person<'k>, red_flags: &RedFlags<'k>) -> Option<ProgramHold<'k>> {
    if red_flags.withholds_advice() {
        return Some(ProgramHold::RedFlag(red_flags.level()));
    }
    person
        .with_effect(ConditionEffect::WithholdProgram)
        .next()
        .map(ProgramHold::Condition)
}

/// Whose condition withholds a piece of advice, in the words a replacement uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Whose {
    /// The person asking.
    You,
    /// Their partner.
    Partner,
    /// Both of them.
    Both,
}

impl Whose {
    /// Fills a replacement's placeholders: `{who}` ("you", "your partner", "you and your
    /// partner"), `{whom}` ("you", "them", "either of you") and `{whose}` ("your", "your
    /// partner's", "your").
    pub fn fill(self, template: &str) -> String {
        let (who, whom, whose) = match self {
            Whose::You => ("you", "you", "your"),
            Whose::Partner => ("your partner", "them", "your partner's"),
            Whose::Both => ("you and your partner", "either of you", "your"),
        };
        crate::words::fill(template, &[("who", who), ("whom", whom), ("whose", whose)])
    }
}

/// Whether a person's conditions withhold advice that is withheld `unless_effects`.
pub fn withholds(person: &Person<'_>, unless_effects: &[ConditionEffect]) -> bool {
    unless_effects.iter().any(|e| person.has_effect(*e))
}

/// Whether advice that is withheld `unless_effects` is withheld for these people, and whose
/// condition it is. Only a back in pain counts: the advice is for the partner with pain.
pub fn withheld_for(
    people: &[(&Person<'_>, Who)],
    unless_effects: &[ConditionEffect],
) -> Option<Whose> {
    let mut whose: Option<Whose> = None;
    for (person, who) in people {
        if !person.pain_type.has_pain() || !withholds(person, unless_effects) {
            continue;
        }
        let this = match who {
            Who::You => Whose::You,
            Who::Partner => Whose::Partner,
        };
        whose = Some(match whose {
            Some(w) if w != this => Whose::Both,
            _ => this,
        });
    }
    whose
}

/// Every exercise's decision for one person, worked out once.
#[derive(Debug, Clone)]
pub struct Decisions<'k> {
    decisions: Vec<(&'k str, ExerciseDecision<'k>)>,
}

impl<'k> Decisions<'k> {
    /// The decisions for every exercise of the knowledge base.
    pub fn new(knowledge: &'k Knowledge, person: &Person<'k>) -> Decisions<'k> {
        let active = person.restrictions(knowledge);
        Decisions {
            decisions: knowledge
                .exercises()
                .iter()
                .map(|e| (e.id.as_str(), decide(knowledge, e, person, &active)))
                .collect(),
        }
    }

    /// The decision for an exercise (unchanged for one the knowledge base does not know).
    pub fn of(&self, exercise: &ExerciseInfo) -> &ExerciseDecision<'k> {
        static UNCHANGED: ExerciseDecision<'static> = ExerciseDecision::Unchanged;
        self.decisions
            .iter()
            .find(|(id, _)| *id == exercise.id)
            .map_or(&UNCHANGED, |(_, d)| d)
    }
}

/// Whether the camera coach should follow an exercise for this person, as their program has
/// it.
#[derive(Debug, Clone)]
pub enum Coaching<'k> {
    /// As it is.
    AsItIs,
    /// In a changed form the coach still follows: do it as `how` says.
    Changed {
        /// What changes, for the pain type or a condition.
        how: String,
    },
    /// Not for this person, or not in a form the coach can follow.
    NotForYou {
        /// Why.
        why: String,
        /// The exercise done instead, if any.
        instead: Option<&'k ExerciseInfo>,
    },
}

/// Whether the camera coach follows `exercise` as `decision` has it for a back of
/// `pain_type`: the exercise done (itself, or the one swapped in) is one the coach knows, it is
/// not held back for the pain type, and an adaptation leaves a form the coach can count.
pub fn coach_follows(
    exercise: &ExerciseInfo,
    decision: &ExerciseDecision<'_>,
    pain_type: crate::vocab::PainType,
) -> bool {
    let done = match decision {
        ExerciseDecision::Swapped { with, .. } => *with,
        _ => exercise,
    };
    let adaptation_followed = match decision {
        ExerciseDecision::Adapted { because, .. } => {
            exercise.adapt.get(&because.info.id).is_none_or(|a| a.coach)
        }
        ExerciseDecision::Withheld { .. } => false,
        ExerciseDecision::Unchanged | ExerciseDecision::Swapped { .. } => true,
    };
    done.tracker.is_some() && done.fit(pain_type).is_prescribed() && adaptation_followed
}

/// What the coach may do with `exercise` for this person: the pain type's fit (held back, or
/// modified) and their conditions (left out, swapped, or adapted — in a form the coach can
/// follow or not) decide, as they decide the program.
pub fn coaching<'k>(
    knowledge: &'k Knowledge,
    exercise: &'k ExerciseInfo,
    person: &Person<'k>,
) -> Coaching<'k> {
    let fit = exercise.fit(person.pain_type);
    let fit_how = match fit {
        Fit::HeldBack { why } => {
            return Coaching::NotForYou {
                why: why.clone(),
                instead: None,
            };
        }
        Fit::Modified { how } => Some(how.as_str()),
        Fit::Suggested => None,
    };
    let decision = exercise_decision(knowledge, exercise, person);
    let followed = coach_follows(exercise, &decision, person.pain_type);
    match decision {
        ExerciseDecision::Withheld { because } => Coaching::NotForYou {
            why: because.info.exercise_reason.clone(),
            instead: None,
        },
        ExerciseDecision::Swapped { with, because } => Coaching::NotForYou {
            why: because.info.exercise_reason.clone(),
            instead: Some(with),
        },
        ExerciseDecision::Adapted { how, because } => {
            if followed {
                Coaching::Changed {
                    how: fit_how
                        .into_iter()
                        .chain([how.as_str()])
                        .collect::<Vec<_>>()
                        .join(" "),
                }
            } else {
                Coaching::NotForYou {
                    why: format!(
                        "{how} {} The coach counts the whole movement, so it cannot follow this form: do it without the coach, as your program describes.",
                        because.info.exercise_reason
                    ),
                    instead: None,
                }
            }
        }
        ExerciseDecision::Unchanged => match fit_how {
            Some(how) => Coaching::Changed {
                how: how.to_owned(),
            },
            None => Coaching::AsItIs,
        },
    }
}
