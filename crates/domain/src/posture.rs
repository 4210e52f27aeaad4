//! The posture model: from what a position asks of one partner's lower back (its posture
//! profile) and that partner's pain type, conditions and day, to a verdict with reasons and
//! the modifications that make it gentler.
//!
//! Nothing here is looked up from a table of verdicts. A pain type is sensitive to some
//! posture dimensions ([`PainType::sensitive_to`]); the verdict follows from the highest
//! demand the position makes in those dimensions:
//!
//! | highest sensitive demand (0–4) | verdict     |
//! |--------------------------------|-------------|
//! | 0 neutral, 1 slight            | recommended |
//! | 2 moderate                     | caution     |
//! | 3 marked, 4 end of range       | avoid       |
//!
//! `unclear` is sensitive to all three dimensions, so it is never more lenient than any known
//! pain type. On a high-pain day (7/10 or more) every demand counts one level higher; at 9 or
//! 10, only the alternative to intercourse can still be `recommended`. Conditions can only make
//! a verdict more cautious: recent spine surgery caps it at `caution`, a hip replacement rules
//! out deep hip flexion and crossing (`avoid`), pregnancy flags lying flat (`caution`), and on a
//! morning a disc problem makes forward bending count one level more, whatever the pain type.

use crate::knowledge::{
    Condition, ConditionEffect, Knowledge, Modification, Position, RoleProfile, Support,
};
use crate::vocab::{Demand, Dimension, PainScore, PainType, Role, TimeOfDay, Verdict};

/// The modification by which the other partner takes over the moving. It is offered to a
/// partner only when the other one can take it on.
pub const PARTNER_MOVES: &str = "partner-moves";

/// Whose back a verdict is about, from the point of view of the person asking.
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

/// One partner, as the posture model sees them.
#[derive(Debug, Clone)]
pub struct Person<'k> {
    /// Their pain type.
    pub pain_type: PainType,
    /// Their role in the positions.
    pub role: Role,
    /// Their pain today, if known.
    pub pain_now: Option<PainScore>,
    /// Their conditions.
    pub conditions: Vec<&'k Condition>,
}

impl<'k> Person<'k> {
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

    fn with_effect(&self, effect: ConditionEffect) -> impl Iterator<Item = &'k Condition> + '_ {
        self.conditions
            .iter()
            .copied()
            .filter(move |c| c.effects.contains(&effect))
    }
}

/// A modification that lowers a demand this partner's back is sensitive to.
#[derive(Debug, Clone)]
pub struct AppliedModification<'k> {
    /// Whose back it helps.
    pub who: Who,
    /// The modification.
    pub modification: &'k Modification,
    /// How to do it in this position.
    pub how: &'k str,
    /// Each dimension it changes: before and after.
    pub changes: Vec<(Dimension, Demand, Demand)>,
}

/// One partner's verdict on one position.
#[derive(Debug, Clone)]
pub struct PersonVerdict<'k> {
    /// Whose verdict.
    pub who: Who,
    /// The verdict for the position as described.
    pub verdict: Verdict,
    /// The verdict once the listed modifications are used.
    pub with_modifications: Verdict,
    /// Why, in plain words, most important first.
    pub reasons: Vec<String>,
    /// Modifications that make it gentler for this back.
    pub modifications: Vec<AppliedModification<'k>>,
    /// The highest demand on a dimension this back is sensitive to (0 when none).
    pub sensitive_demand: Demand,
    /// The same once the modifications are used.
    pub sensitive_demand_modified: Demand,
    /// Sources of the conditions that changed this verdict.
    pub condition_sources: Vec<&'k str>,
}

/// The day's circumstances that change the posture model.
#[derive(Debug, Clone, Copy, Default)]
pub struct Day {
    /// The time of day, if known.
    pub time: Option<TimeOfDay>,
}

/// The verdict for the highest demand on a back sensitive to it.
fn threshold(pain_type: PainType, demand: Demand, high_pain_day: bool) -> Verdict {
    if !pain_type.has_pain() {
        return Verdict::Recommended;
    }
    match demand.level() + u8::from(high_pain_day) {
        0..=1 => Verdict::Recommended,
        2 => Verdict::Caution,
        _ => Verdict::Avoid,
    }
}

/// Whether, for this person today, forward bending counts for more: a condition such as a
/// disc problem, in the morning.
fn morning_flexion(person: &Person<'_>, day: Day) -> bool {
    day.time == Some(TimeOfDay::Morning)
        && person.pain_type.has_pain()
        && person.has_effect(ConditionEffect::MorningFlexion)
}

/// The dimensions this person's back is sensitive to today: those of the pain type, plus
/// flexion on a morning when forward bending counts for more.
fn sensitive_dimensions(person: &Person<'_>, day: Day) -> &'static [Dimension] {
    let own = person.pain_type.sensitive_to();
    if !morning_flexion(person, day) || own.contains(&Dimension::Flexion) {
        return own;
    }
    match person.pain_type {
        PainType::Extension => &[Dimension::Flexion, Dimension::Extension],
        PainType::Motion => &[Dimension::Flexion, Dimension::Motion],
        // Every other pain type with back pain already includes flexion.
        _ => own,
    }
}

/// How hard `position` is on this person's back today: the highest demand it makes in a
/// dimension their back is sensitive to (neutral for a back without pain).
pub fn strain(position: &Position, person: &Person<'_>, day: Day) -> Demand {
    let profile = position.profile(person.role);
    sensitive_max(sensitive_dimensions(person, day), |d| {
        effective_demand(profile, person, day, d)
    })
    .map_or(Demand::NEUTRAL, |(_, v)| v)
}

/// The demands of `profile` on this person today: the profile's, raised where a condition
/// makes a movement count for more.
fn effective_demand(profile: &RoleProfile, person: &Person<'_>, day: Day, d: Dimension) -> Demand {
    let base = profile.demand(d);
    if d == Dimension::Flexion && morning_flexion(person, day) {
        base.shifted(1)
    } else {
        base
    }
}

/// The highest demand among `dims`, and which dimension it is in.
fn sensitive_max(
    dims: &[Dimension],
    demand: impl Fn(Dimension) -> Demand,
) -> Option<(Dimension, Demand)> {
    dims.iter()
        .map(|&d| (d, demand(d)))
        // The first of equal maxima, so that the reason names dimensions in canonical order.
        .fold(None, |best, (d, v)| match best {
            Some((_, bv)) if bv >= v => best,
            _ => Some((d, v)),
        })
}

fn fill(template: &str, who: Who) -> String {
    template.replace("{their}", who.possessive())
}

/// The reasons a position gets from the demand that decides its verdict.
fn posture_reasons<'k>(
    knowledge: &'k Knowledge,
    profile: &RoleProfile,
    person: &Person<'k>,
    who: Who,
    day: Day,
    (dim, value): (Dimension, Demand),
    condition_sources: &mut Vec<&'k str>,
) -> Vec<String> {
    let mut reasons = Vec::new();
    let pain_type = person.pain_type;
    let own_dimension = pain_type.sensitive_to().contains(&dim);
    // On a morning that makes forward bending count for more, the condition says why.
    let morning: Vec<String> = if dim == Dimension::Flexion && morning_flexion(person, day) {
        person
            .with_effect(ConditionEffect::MorningFlexion)
            .filter_map(|c| {
                condition_sources.extend(c.sources.iter().map(String::as_str));
                c.position_reason.as_deref().map(|r| fill(r, who))
            })
            .collect()
    } else {
        Vec::new()
    };
    if let Some(info) = knowledge.dimension(dim) {
        let phrase = match value.level() {
            0 => &info.spares,
            1 => &info.slight,
            2 => &info.moderate,
            _ => &info.strains,
        };
        let because = if !own_dimension {
            // Sensitive only this morning: the condition is the reason.
            morning.join(" ")
        } else if pain_type == PainType::Unclear {
            format!(
                "while the pattern of {} pain is unclear, the plan favours a lower back kept near neutral",
                who.possessive()
            )
        } else {
            format!(
                "it is {} that provokes {} pain",
                info.trigger,
                who.possessive()
            )
        };
        let mut reason = format!(
            "{}: it {} ({dim}: {}), and {}.",
            who.label(),
            fill(phrase, who),
            value.word(),
            because.trim_end_matches('.')
        );
        if value.level() >= 2
            && let Some(note) = profile.notes.get(&dim)
        {
            reason.push(' ');
            reason.push_str(note);
        }
        reasons.push(reason);
        if own_dimension {
            reasons.extend(morning.into_iter().map(|r| format!("{}: {r}", who.label())));
        }
    }
    if person.high_pain_day()
        && threshold(pain_type, value, true) != threshold(pain_type, value, false)
    {
        reasons.push(format!(
            "{}: on a high-pain day ({}/10) even a {} demand is too much to call safe.",
            who.label(),
            person.pain_now.map_or(0, PainScore::value),
            value.word()
        ));
    }
    reasons
}

/// Judges one position for one partner. `partner_can_move` says whether the other partner
/// can take over the moving (they have no back pain, or theirs is the less strained back in
/// this position).
pub fn judge<'k>(
    knowledge: &'k Knowledge,
    position: &'k Position,
    person: &Person<'k>,
    who: Who,
    day: Day,
    partner_can_move: bool,
) -> PersonVerdict<'k> {
    let profile = position.profile(person.role);
    let high = person.high_pain_day();
    let demand = |d| effective_demand(profile, person, day, d);
    let dims = sensitive_dimensions(person, day);
    let mut condition_sources: Vec<&'k str> = Vec::new();

    let top = sensitive_max(dims, demand);
    let (verdict_from_posture, sensitive_demand) = match top {
        Some((_, v)) => (threshold(person.pain_type, v, high), v),
        None => (Verdict::Recommended, Demand::NEUTRAL),
    };
    // A back without pain gives no reason of its own; the plan speaks for the couple.
    let mut reasons = match top {
        Some(top) => posture_reasons(
            knowledge,
            profile,
            person,
            who,
            day,
            top,
            &mut condition_sources,
        ),
        None => Vec::new(),
    };

    let mut flags = Verdict::Recommended;
    if person.severe_pain_day() && !position.alternative {
        flags = Verdict::Caution;
        reasons.push(format!(
            "{}: with pain at {}/10, rest and closeness without intercourse are kinder to {} back today.",
            who.label(),
            person.pain_now.map_or(0, PainScore::value),
            who.possessive()
        ));
    }
    let mut flag =
        |effect: ConditionEffect, applies: bool, verdict: Verdict, reasons: &mut Vec<String>| {
            if !applies {
                return;
            }
            for c in person.with_effect(effect) {
                flags = flags.max(verdict);
                if let Some(r) = &c.position_reason {
                    reasons.push(format!("{}: {}", who.label(), fill(r, who)));
                }
                condition_sources.extend(c.sources.iter().map(String::as_str));
            }
        };
    flag(
        ConditionEffect::CapAtCaution,
        true,
        Verdict::Caution,
        &mut reasons,
    );
    flag(
        ConditionEffect::HipPrecautions,
        profile.deep_hip_flexion || profile.hip_crossing,
        Verdict::Avoid,
        &mut reasons,
    );
    flag(
        ConditionEffect::LyingFlatFlagged,
        matches!(profile.support, Support::Back | Support::Front),
        Verdict::Caution,
        &mut reasons,
    );

    let modifications =
        helpful_modifications(knowledge, profile, person, who, day, partner_can_move);
    let modified = |d: Dimension| {
        let delta = combined_relief(profile, &modifications, d);
        demand(d).shifted(delta)
    };
    let (verdict_modified, sensitive_demand_modified) = match sensitive_max(dims, modified) {
        Some((_, v)) => (threshold(person.pain_type, v, high), v),
        None => (Verdict::Recommended, Demand::NEUTRAL),
    };

    condition_sources.sort_unstable();
    condition_sources.dedup();
    PersonVerdict {
        who,
        verdict: verdict_from_posture.max(flags),
        with_modifications: verdict_modified.max(flags),
        reasons,
        modifications,
        sensitive_demand,
        sensitive_demand_modified,
        condition_sources,
    }
}

/// The modifications of `profile` that lower a demand this person's back is sensitive to and
/// raise none (a trade of one strain for another is no help to an `unclear` back).
fn helpful_modifications<'k>(
    knowledge: &'k Knowledge,
    profile: &'k RoleProfile,
    person: &Person<'k>,
    who: Who,
    day: Day,
    partner_can_move: bool,
) -> Vec<AppliedModification<'k>> {
    let sensitive = sensitive_dimensions(person, day);
    profile
        .modifications
        .iter()
        .filter(|e| partner_can_move || e.id != PARTNER_MOVES)
        .filter(|e| {
            sensitive.iter().any(|&d| e.delta(d) < 0) && sensitive.iter().all(|&d| e.delta(d) <= 0)
        })
        .filter_map(|e| {
            let modification = knowledge.modification(&e.id).ok()?;
            let changes = sensitive
                .iter()
                .filter(|&&d| e.delta(d) != 0)
                .map(|&d| {
                    let before = effective_demand(profile, person, day, d);
                    (d, before, before.shifted(e.delta(d)))
                })
                .filter(|(_, before, after)| before != after)
                .collect::<Vec<_>>();
            // A modification that cannot lower an already neutral back is not worth listing.
            if !changes.iter().any(|(_, before, after)| after < before) {
                return None;
            }
            Some(AppliedModification {
                who,
                modification,
                how: e.how.as_deref().unwrap_or(&modification.how),
                changes,
            })
        })
        .collect()
}

/// What the chosen modifications do together to one dimension the back is sensitive to: the
/// strongest relief any one of them gives. Reliefs are not added up: two supports under the
/// same back do not flatten it twice.
fn combined_relief(profile: &RoleProfile, applied: &[AppliedModification<'_>], d: Dimension) -> i8 {
    applied
        .iter()
        .filter_map(|a| {
            profile
                .modifications
                .iter()
                .find(|e| e.id == a.modification.id)
                .map(|e| e.delta(d))
        })
        .min()
        .unwrap_or(0)
        .min(0)
}
