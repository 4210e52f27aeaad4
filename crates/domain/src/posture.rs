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
//! 10, only the alternative to intercourse can still be `recommended`. A motion-intolerant back
//! that must *hold* a rounded or arched posture (moderate or more) without lying on a support —
//! kneeling, on all fours, sitting or standing — gets at least `caution` for it: a posture held
//! away from neutral strains it even when it keeps still, while lying down the surface holds
//! the curve.
//!
//! Conditions can only make a verdict more cautious, and they are the safety policy's
//! ([`crate::safety`]): on a morning a disc problem makes forward bending count one level more,
//! whatever the pain type; osteoporosis makes loaded rounding a movement to spare, with or
//! without back pain; recent spine surgery caps every verdict at `caution`; and a posture that
//! falls under one of the person's restrictions (lying on the back in later pregnancy, face
//! down in pregnancy, the hip precautions after a replacement) gets that restriction's verdict.

use crate::knowledge::{ConditionEffect, Knowledge, Modification, Position, RoleProfile};
use crate::safety::conditions::{Active, flexion_restriction, position_flags};
pub use crate::safety::{Person, Who};
use crate::vocab::{Demand, Dimension, PainScore, PainType, TimeOfDay, Verdict};

/// The modification by which the other partner takes over the moving. It is offered to a
/// partner only when the other one can take it on.
pub const PARTNER_MOVES: &str = "partner-moves";

/// From this demand up, a motion-intolerant back holding the posture without lying down gets
/// at least `caution`.
pub const HELD_DEMAND: Demand = match Demand::new(2) {
    Some(d) => d,
    None => Demand::MAX,
};

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
    /// The role it was judged in (for a couple that switches, the role that gave the more
    /// cautious verdict).
    pub role: crate::vocab::Role,
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

/// Why a dimension counts for this back.
#[derive(Debug, Clone, Copy)]
enum Why<'k> {
    /// The pain type is provoked by it.
    PainType,
    /// A condition makes forward bending count for more this morning.
    Morning,
    /// A motion-intolerant back holds the posture away from neutral without lying down.
    Held,
    /// A restriction: loaded rounding of the spine.
    Restricted(Active<'k>),
}

/// A dimension this back is sensitive to today, and why.
#[derive(Debug, Clone, Copy)]
struct Sensitive<'k> {
    dim: Dimension,
    why: Why<'k>,
}

impl Sensitive<'_> {
    /// The verdict this sensitivity gives a demand.
    fn verdict(&self, person: &Person<'_>, demand: Demand) -> Verdict {
        let by_level = |level: u8| match level {
            0..=1 => Verdict::Recommended,
            2 => Verdict::Caution,
            _ => Verdict::Avoid,
        };
        match self.why {
            Why::PainType | Why::Morning if person.pain_type.has_pain() => {
                by_level(demand.level() + u8::from(person.high_pain_day()))
            }
            Why::PainType | Why::Morning => Verdict::Recommended,
            Why::Held if demand >= HELD_DEMAND => Verdict::Caution,
            Why::Held => Verdict::Recommended,
            // The restriction's own verdict is the most it asks for.
            Why::Restricted(active) => by_level(demand.level()).min(active.info.position_verdict),
        }
    }
}

/// Whether, for this person today, forward bending counts for more: a condition such as a
/// disc problem, in the morning.
fn morning_flexion(person: &Person<'_>, day: Day) -> bool {
    day.time == Some(TimeOfDay::Morning)
        && person.pain_type.has_pain()
        && person.has_effect(ConditionEffect::MorningFlexion)
}

/// The dimensions this person's back is sensitive to today in this posture, and why: those of
/// the pain type; flexion on a morning when forward bending counts for more; for a
/// motion-intolerant back, rounding and arching held without lying down; and flexion when
/// loaded rounding is one of their restrictions.
fn sensitivities<'k>(
    knowledge: &'k Knowledge,
    profile: &RoleProfile,
    person: &Person<'k>,
    day: Day,
) -> Vec<Sensitive<'k>> {
    let mut out: Vec<Sensitive<'k>> = person
        .pain_type
        .sensitive_to()
        .iter()
        .map(|&dim| Sensitive {
            dim,
            why: Why::PainType,
        })
        .collect();
    let has = |out: &[Sensitive<'_>], dim| out.iter().any(|s| s.dim == dim);
    if morning_flexion(person, day) && !has(&out, Dimension::Flexion) {
        out.push(Sensitive {
            dim: Dimension::Flexion,
            why: Why::Morning,
        });
    }
    if person.pain_type == PainType::Motion && !profile.support.is_lying() {
        for dim in [Dimension::Flexion, Dimension::Extension] {
            if !has(&out, dim) {
                out.push(Sensitive {
                    dim,
                    why: Why::Held,
                });
            }
        }
    }
    if let Some(active) = flexion_restriction(knowledge, person) {
        out.push(Sensitive {
            dim: Dimension::Flexion,
            why: Why::Restricted(active),
        });
    }
    out
}

/// How hard `position` is on this person's back today: the highest demand it makes in a
/// dimension their back is sensitive to (neutral for a back without pain or restriction). A
/// posture merely held does not count: who does the moving does not change it.
pub fn strain(knowledge: &Knowledge, position: &Position, person: &Person<'_>, day: Day) -> Demand {
    let profile = position.profile(person.role);
    sensitivities(knowledge, profile, person, day)
        .iter()
        .filter(|s| !matches!(s.why, Why::Held))
        .map(|s| effective_demand(profile, person, day, s.dim))
        .max()
        .unwrap_or(Demand::NEUTRAL)
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

/// The sensitivity that decides the verdict for these demands — the worst verdict, then the
/// highest demand, then the first listed — with its verdict and demand.
fn deciding<'a, 'k>(
    sensitive: &'a [Sensitive<'k>],
    person: &Person<'_>,
    demand: impl Fn(Dimension) -> Demand,
) -> Option<(&'a Sensitive<'k>, Verdict, Demand)> {
    sensitive
        .iter()
        .map(|s| {
            let d = demand(s.dim);
            (s, s.verdict(person, d), d)
        })
        .fold(None, |best, x| match best {
            Some((_, bv, bd)) if (bv, bd) >= (x.1, x.2) => best,
            _ => Some(x),
        })
}

/// The reasons a position gets from the sensitivity that decides its verdict.
fn posture_reasons<'k>(
    knowledge: &'k Knowledge,
    profile: &RoleProfile,
    person: &Person<'k>,
    who: Who,
    day: Day,
    (top, verdict, value): (&Sensitive<'k>, Verdict, Demand),
    condition_sources: &mut Vec<&'k str>,
) -> Vec<String> {
    let mut reasons = Vec::new();
    let pain_type = person.pain_type;
    let dim = top.dim;
    // On a morning that makes forward bending count for more, the condition says why.
    let morning: Vec<String> = if dim == Dimension::Flexion && morning_flexion(person, day) {
        person
            .with_effect(ConditionEffect::MorningFlexion)
            .filter_map(|c| {
                condition_sources.extend(c.sources.iter().map(String::as_str));
                c.position_reason
                    .as_deref()
                    .map(|r| crate::safety::fill(r, who))
            })
            .collect()
    } else {
        Vec::new()
    };
    let Some(info) = knowledge.dimension(dim) else {
        return reasons;
    };
    let phrase = match value.level() {
        0 => &info.spares,
        1 => &info.slight,
        2 => &info.moderate,
        _ => &info.strains,
    };
    let because = match top.why {
        Why::Morning => morning.join(" "),
        Why::Held => knowledge
            .pain_type(pain_type)
            .and_then(|p| p.held_because.clone())
            .unwrap_or_default(),
        Why::Restricted(active) => {
            condition_sources.extend(active.info.sources.iter().map(String::as_str));
            crate::safety::fill(&active.info.position_reason, who)
        }
        Why::PainType if pain_type == PainType::Unclear => format!(
            "while the pattern of {} pain is unclear, the plan favours a lower back kept near neutral",
            who.possessive()
        ),
        Why::PainType => format!(
            "it is {} that provokes {} pain",
            info.trigger,
            who.possessive()
        ),
    };
    // Joined rather than formatted: this runs for every position and back of every plan.
    let mut reason = [
        person.label(who).as_str(),
        ": it ",
        &crate::safety::fill(phrase, who),
        " (",
        dim.as_str(),
        ": ",
        value.word(),
        "), and ",
        because.trim_end_matches('.'),
        ".",
    ]
    .concat();
    if value.level() >= 2
        && let Some(note) = profile.notes.get(&dim)
    {
        reason.push(' ');
        reason.push_str(note);
    }
    reasons.push(reason);
    if matches!(top.why, Why::PainType) {
        reasons.extend(
            morning
                .into_iter()
                .map(|r| [person.label(who).as_str(), ": ", r.as_str()].concat()),
        );
    }
    if matches!(top.why, Why::PainType | Why::Morning)
        && person.high_pain_day()
        && verdict
            != top.verdict(
                &Person {
                    pain_now: None,
                    ..person.clone()
                },
                value,
            )
    {
        reasons.push(format!(
            "{}: on a high-pain day ({}/10) even a {} demand is too much to call safe.",
            person.label(who),
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
    let demand = |d| effective_demand(profile, person, day, d);
    let sensitive = sensitivities(knowledge, profile, person, day);
    let mut condition_sources: Vec<&'k str> = Vec::new();

    let top = deciding(&sensitive, person, demand);
    let (verdict_from_posture, sensitive_demand) = match top {
        Some((_, v, d)) => (v, d),
        None => (Verdict::Recommended, Demand::NEUTRAL),
    };
    // A back without pain or restriction gives no reason of its own; the plan speaks for the
    // couple.
    let mut reasons = match top {
        Some(top) if top.1 > Verdict::Recommended || person.pain_type.has_pain() => {
            posture_reasons(
                knowledge,
                profile,
                person,
                who,
                day,
                top,
                &mut condition_sources,
            )
        }
        _ => Vec::new(),
    };

    // A restriction that bites as well as the pain type says so too: thin bones are a reason of
    // their own, whatever else the back dislikes.
    for s in &sensitive {
        if let Why::Restricted(active) = s.why
            && top.is_some_and(|(t, _, _)| !matches!(t.why, Why::Restricted(_)))
            && s.verdict(person, demand(s.dim)) > Verdict::Recommended
        {
            reasons.push(format!(
                "{}: {}",
                person.label(who),
                crate::safety::fill(&active.info.position_reason, who)
            ));
            condition_sources.extend(active.info.sources.iter().map(String::as_str));
        }
    }
    reasons.extend(study_reasons(knowledge, profile, person, who));

    let mut floor = Verdict::Recommended;
    if person.severe_pain_day() && !position.alternative {
        floor = Verdict::Caution;
        reasons.push(format!(
            "{}: with pain at {}/10, rest and closeness without intercourse are kinder to {} back today.",
            person.label(who),
            person.pain_now.map_or(0, PainScore::value),
            who.possessive()
        ));
    }
    let flags = position_flags(knowledge, position, person, who);
    floor = floor.max(flags.floor());
    reasons.extend(flags.reasons);
    condition_sources.extend(flags.sources);

    let modifications = helpful_modifications(
        knowledge,
        profile,
        person,
        who,
        &sensitive,
        day,
        partner_can_move,
    );
    let modified = |d: Dimension| {
        let delta = combined_relief(profile, &modifications, d);
        demand(d).shifted(delta)
    };
    let (verdict_modified, sensitive_demand_modified) = match deciding(&sensitive, person, modified)
    {
        Some((_, v, d)) => (v, d),
        None => (Verdict::Recommended, Demand::NEUTRAL),
    };

    condition_sources.sort_unstable();
    condition_sources.dedup();
    PersonVerdict {
        who,
        role: person.role,
        verdict: verdict_from_posture.max(floor),
        with_modifications: verdict_modified.max(floor),
        reasons,
        modifications,
        sensitive_demand,
        sensitive_demand_modified,
        condition_sources,
    }
}

/// Where the motion-capture studies placed this posture for this back's pain type, and where
/// the study and the seed article's table disagree, what that means.
fn study_reasons(
    knowledge: &Knowledge,
    profile: &RoleProfile,
    person: &Person<'_>,
    who: Who,
) -> Vec<String> {
    let Some(rank) = profile.study_rank(person.pain_type) else {
        return Vec::new();
    };
    let trigger = person
        .pain_type
        .sensitive_to()
        .first()
        .and_then(|d| knowledge.dimension(*d))
        .map_or("", |d| d.trigger.as_str());
    let variant = rank
        .variant
        .as_deref()
        .map_or_else(String::new, |v| format!(" ({v})"));
    let said = crate::words::fill(
        &knowledge.about.study_rank,
        &[
            ("place", ordinal(rank.rank)),
            ("of", cardinal(rank.of)),
            ("trigger", trigger),
            ("variant", &variant),
        ],
    );
    let label = person.label(who);
    let mut out = vec![[label.as_str(), ": ", said.trim()].concat()];
    if let Some(d) = &rank.disagreement {
        out.push([label.as_str(), ": ", d.trim()].concat());
    }
    out
}

/// A number of places, in words.
fn cardinal(n: u8) -> &'static str {
    match n {
        2 => "two",
        3 => "three",
        4 => "four",
        5 => "five",
        6 => "six",
        7 => "seven",
        8 => "eight",
        9 => "nine",
        _ => "several",
    }
}

/// A place in a ranking, in words.
fn ordinal(n: u8) -> &'static str {
    match n {
        1 => "first",
        2 => "second",
        3 => "third",
        4 => "fourth",
        5 => "fifth",
        6 => "sixth",
        7 => "seventh",
        8 => "eighth",
        9 => "ninth",
        _ => "further down",
    }
}

/// The modifications of `profile` that lower a demand this person's back is sensitive to and
/// raise none (a trade of one strain for another is no help to an `unclear` back).
fn helpful_modifications<'k>(
    knowledge: &'k Knowledge,
    profile: &'k RoleProfile,
    person: &Person<'k>,
    who: Who,
    sensitivities: &[Sensitive<'k>],
    day: Day,
    partner_can_move: bool,
) -> Vec<AppliedModification<'k>> {
    let mut sensitive: Vec<Dimension> = Vec::new();
    for s in sensitivities {
        if !sensitive.contains(&s.dim) {
            sensitive.push(s.dim);
        }
    }
    let sensitive = &sensitive[..];
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
