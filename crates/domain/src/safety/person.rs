//! One person as the policy sees them — pain type, role, today's pain, conditions and the
//! week of a pregnancy — and whose back a phrase of the content speaks of. The other parts of
//! the policy build on these; this file uses none of them.

use crate::knowledge::{Condition, ConditionEffect, ConditionRestriction, Knowledge};
use crate::vocab::{PainScore, PainType, Role, UnknownValue};

/// Whose back or whose words something is about, from the point of view of the person asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    /// The person asking.
    You,
    /// Their partner.
    Partner,
}

impl Who {
    /// "your" or "their", for the `{their}` of the content's phrases.
    pub const fn possessive(self) -> &'static str {
        match self {
            Who::You => "your",
            Who::Partner => "their",
        }
    }

    /// The subject that opens a reason.
    pub const fn label(self) -> &'static str {
        match self {
            Who::You => "For you",
            Who::Partner => "For your partner",
        }
    }

    /// The id used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Who::You => "you",
            Who::Partner => "partner",
        }
    }
}

/// One person as the policy sees them, in one role.
#[derive(Debug, Clone)]
pub struct Person<'k> {
    /// Their pain type.
    pub pain_type: PainType,
    /// The role they are judged in.
    pub role: Role,
    /// Their pain today, if known.
    pub pain_now: Option<PainScore>,
    /// Their conditions, each once.
    pub conditions: Vec<&'k Condition>,
    /// The week of a pregnancy, if one of the conditions is counted in weeks and the week is
    /// known.
    pub weeks: Option<u8>,
    /// Whether the couple takes both roles in turn, so that this is one of two judgements (the
    /// reasons then name the role).
    pub switching: bool,
}

impl<'k> Person<'k> {
    /// A person with these conditions (ids, checked against the knowledge base; repeats count
    /// once).
    ///
    /// # Errors
    ///
    /// [`UnknownValue`] naming an unknown condition and the known ones.
    pub fn new<S: AsRef<str>>(
        knowledge: &'k Knowledge,
        pain_type: PainType,
        role: Role,
        pain_now: Option<PainScore>,
        conditions: &[S],
        weeks: Option<u8>,
    ) -> Result<Person<'k>, UnknownValue> {
        let mut found: Vec<&'k Condition> = Vec::with_capacity(conditions.len());
        for id in conditions {
            let c = knowledge.condition(id.as_ref())?;
            if !found.iter().any(|known| known.id == c.id) {
                found.push(c);
            }
        }
        Ok(Person {
            pain_type,
            role,
            pain_now,
            conditions: found,
            weeks,
            switching: false,
        })
    }

    /// How a reason about this person's back opens: "For you", or, for a couple that takes
    /// turns, "For you, as the receptive partner".
    pub fn label(&self, who: Who) -> String {
        if self.switching {
            format!("{}, as the {} partner", who.label(), self.role)
        } else {
            who.label().to_owned()
        }
    }

    /// Whether today is a high-pain day for this person's back.
    pub fn high_pain_day(&self) -> bool {
        self.pain_type.has_pain() && self.pain_now.is_some_and(|p| p >= PainScore::HIGH)
    }

    /// Whether today's pain in this person's back is severe.
    pub fn severe_pain_day(&self) -> bool {
        self.pain_type.has_pain() && self.pain_now.is_some_and(|p| p >= PainScore::SEVERE)
    }

    /// Whether their conditions call for gentleness first: rest and closeness rank ahead of
    /// intercourse, as on a high-pain day.
    pub fn needs_gentleness(&self) -> bool {
        self.high_pain_day() || self.has_effect(ConditionEffect::CapAtCaution)
    }

    /// Whether one of their conditions switches on `effect`.
    pub fn has_effect(&self, effect: ConditionEffect) -> bool {
        self.conditions.iter().any(|c| c.effects.contains(&effect))
    }

    /// Their conditions that switch on `effect`.
    pub fn with_effect(&self, effect: ConditionEffect) -> impl Iterator<Item = &'k Condition> + '_ {
        self.conditions
            .iter()
            .copied()
            .filter(move |c| c.effects.contains(&effect))
    }
}

/// The highest week of a pregnancy the product takes.
pub const MAX_PREGNANCY_WEEKS: u8 = 45;

/// A week of pregnancy that is not a whole number from 0 to [`MAX_PREGNANCY_WEEKS`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "weeks '{0}' is not a whole number from 0 to {MAX_PREGNANCY_WEEKS} (leave it out when not known)"
)]
pub struct BadWeeks(pub String);

/// The week of a pregnancy, from its digits.
///
/// # Errors
///
/// [`BadWeeks`] naming the value and what is allowed.
pub fn pregnancy_weeks(value: &str) -> Result<u8, BadWeeks> {
    value
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|w| *w <= MAX_PREGNANCY_WEEKS)
        .ok_or_else(|| BadWeeks(value.to_owned()))
}

/// What leaving out the week of a pregnancy means, as a form's hint ("If you leave this blank,
/// the pregnancy counts as possibly past 20 weeks."), from the first week a restriction of the
/// condition counted in weeks starts.
pub fn unknown_week_hint(knowledge: &Knowledge) -> Option<String> {
    knowledge
        .conditions
        .iter()
        .filter(|c| c.weeks)
        .flat_map(|c| &c.restrictions)
        .filter_map(|r| match r {
            ConditionRestriction::FromWeek { from_week, .. } => Some(*from_week),
            ConditionRestriction::Always(_) => None,
        })
        .min()
        .map(|week| {
            format!("If you leave this blank, the pregnancy counts as possibly past {week} weeks.")
        })
}

/// Fills the `{their}` of a content phrase for `who`.
pub(crate) fn fill(template: &str, who: Who) -> String {
    crate::words::fill(template, &[("their", who.possessive())])
}
