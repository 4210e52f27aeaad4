//! The couple's plan: red flags first, then every position judged for both backs and ranked
//! best first, the tips that apply to this couple today, and the notices that go with them.
//!
//! The couple's verdict on a position is the worse of the two partners' verdicts
//! ([`crate::posture::judge`]). Ranking and verdicts depend only on the two partners, not on
//! which of them is asking, so describing the couple from either side gives the same plan.

use crate::knowledge::{
    Condition, ConditionEffect, Knowledge, Notice, Position, ProfileBasis, Tip, TipClause,
};
use crate::posture::{self, AppliedModification, Day, Person, PersonVerdict, Who};
use crate::triage::{self, Triage};
use crate::vocab::{Level, PainScore, PainType, Phase, Role, TimeOfDay, UnknownValue, Verdict};

/// Notices the engine shows; the knowledge base must define each of them.
pub const NOTICES_USED: &[&str] = &[
    notice::ADVICE_WITHHELD,
    notice::SEE_DOCTOR_SOON,
    notice::UNCLEAR_PATTERN,
    notice::HIGH_PAIN_DAY,
    notice::SEVERE_PAIN,
    notice::MORNING_BACK,
    notice::STUDY_CAVEAT,
    notice::MOTION_INFERENCE,
    notice::BOTH_HAVE_PAIN,
    notice::NO_BACK_PAIN,
];

/// Ids of the notices the engine shows.
pub mod notice {
    /// Urgent or emergency red flags: the referral comes alone.
    pub const ADVICE_WITHHELD: &str = "advice-withheld";
    /// A red flag to mention to a doctor soon.
    pub const SEE_DOCTOR_SOON: &str = "see-doctor-soon";
    /// A partner's pain pattern is unclear.
    pub const UNCLEAR_PATTERN: &str = "unclear-pattern";
    /// A partner rates today's pain 7/10 or more.
    pub const HIGH_PAIN_DAY: &str = "high-pain-day";
    /// A partner rates today's pain 9/10 or more.
    pub const SEVERE_PAIN: &str = "severe-pain";
    /// Morning, with a back that dislikes bending forward.
    pub const MORNING_BACK: &str = "morning-back";
    /// The studies behind the positions, and their limits.
    pub const STUDY_CAVEAT: &str = "study-caveat";
    /// The advice for motion-intolerant backs is an inference.
    pub const MOTION_INFERENCE: &str = "motion-inference";
    /// Both partners have back pain.
    pub const BOTH_HAVE_PAIN: &str = "both-have-pain";
    /// Neither partner has back pain.
    pub const NO_BACK_PAIN: &str = "no-back-pain";
}

/// The reason every position gives when neither partner has back pain.
const NO_PAIN_REASON: &str = "Neither of you reported back pain, so comfort decides.";

/// One partner as described in a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonInput {
    /// Their pain type.
    pub pain_type: PainType,
    /// Their role.
    pub role: Role,
    /// Their pain today (0–10), if known.
    pub pain_now: Option<PainScore>,
    /// Condition ids.
    pub conditions: Vec<String>,
}

impl PersonInput {
    /// A person with this pain type and role, no pain score and no conditions.
    pub fn new(pain_type: PainType, role: Role) -> PersonInput {
        PersonInput {
            pain_type,
            role,
            pain_now: None,
            conditions: Vec::new(),
        }
    }
}

/// What a plan is asked for. Equal requests always get equal plans.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlanRequest {
    /// The person asking.
    pub you: PersonInput,
    /// Their partner.
    pub partner: PersonInput,
    /// The time of day, if known.
    pub time: Option<TimeOfDay>,
    /// Symptom ids reported now.
    pub symptoms: Vec<String>,
}

impl PlanRequest {
    /// A request for `you`, with a partner without back pain in the other role.
    pub fn new(you: PersonInput) -> PlanRequest {
        let partner = PersonInput::new(PainType::None, you.role.other());
        PlanRequest {
            you,
            partner,
            time: None,
            symptoms: Vec::new(),
        }
    }

    /// The same couple described from the partner's side.
    pub fn swapped(&self) -> PlanRequest {
        PlanRequest {
            you: self.partner.clone(),
            partner: self.you.clone(),
            time: self.time,
            symptoms: self.symptoms.clone(),
        }
    }
}

/// A request the engine cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// An id the knowledge base does not know.
    #[error(transparent)]
    Unknown(#[from] UnknownValue),
    /// Both partners were given the same role.
    #[error(
        "you and your partner cannot both take the {0} role: in every position one partner is receptive and the other insertive"
    )]
    SameRole(Role),
}

/// One position judged for the couple.
#[derive(Debug, Clone)]
pub struct PositionPlan<'k> {
    /// The position.
    pub position: &'k Position,
    /// The couple's verdict: the worse of the two.
    pub verdict: Verdict,
    /// The couple's verdict once the listed modifications are used.
    pub with_modifications: Verdict,
    /// The verdict for the person asking.
    pub you: PersonVerdict<'k>,
    /// The verdict for their partner.
    pub partner: PersonVerdict<'k>,
    /// Sources: the position's, and those of any condition that changed a verdict.
    pub sources: Vec<&'k str>,
}

impl<'k> PositionPlan<'k> {
    fn people(&self) -> [&PersonVerdict<'k>; 2] {
        // The back that decides the verdict speaks first.
        if self.partner.verdict > self.you.verdict {
            [&self.partner, &self.you]
        } else {
            [&self.you, &self.partner]
        }
    }

    /// The reasons for both partners, the one who decides the verdict first.
    pub fn reasons(&self) -> impl Iterator<Item = &str> {
        self.people()
            .into_iter()
            .flat_map(|p| p.reasons.iter().map(String::as_str))
    }

    /// The modifications for both partners, the one who decides the verdict first.
    pub fn modifications(&self) -> impl Iterator<Item = &AppliedModification<'k>> {
        self.people()
            .into_iter()
            .flat_map(|p| p.modifications.iter())
    }
}

/// A tip as it applies to this couple.
#[derive(Debug, Clone)]
pub struct TipAdvice<'k> {
    /// The tip.
    pub tip: &'k Tip,
    /// Extra advice for the pain types in this couple.
    pub extras: Vec<&'k str>,
    /// The tip this one stands in for, withheld because of a condition.
    pub replaces: Option<&'k Tip>,
}

impl TipAdvice<'_> {
    /// The tip's text with the extras for this couple.
    pub fn text(&self) -> String {
        let mut text = self.tip.text.trim().to_owned();
        for extra in &self.extras {
            text.push(' ');
            text.push_str(extra.trim());
        }
        text
    }
}

/// Tips for before, during and after.
#[derive(Debug, Clone, Default)]
pub struct TipPlan<'k> {
    /// Before.
    pub before: Vec<TipAdvice<'k>>,
    /// During.
    pub during: Vec<TipAdvice<'k>>,
    /// After.
    pub after: Vec<TipAdvice<'k>>,
}

impl<'k> TipPlan<'k> {
    /// The tips of one phase.
    pub fn phase(&self, phase: Phase) -> &[TipAdvice<'k>] {
        match phase {
            Phase::Before => &self.before,
            Phase::During => &self.during,
            Phase::After => &self.after,
        }
    }

    /// Every tip, before, during, after.
    pub fn all(&self) -> impl Iterator<Item = &TipAdvice<'k>> {
        self.before.iter().chain(&self.during).chain(&self.after)
    }
}

/// The couple's plan.
#[derive(Debug, Clone)]
pub struct Plan<'k> {
    /// Red flags come first: at `urgent` or `emergency` the plan holds nothing else.
    pub triage: Triage<'k>,
    /// Positions, best first; empty when the triage withholds advice.
    pub positions: Vec<PositionPlan<'k>>,
    /// Tips that apply; empty when the triage withholds advice.
    pub tips: TipPlan<'k>,
    /// Notices, most important first.
    pub notices: Vec<&'k Notice>,
}

fn person<'k>(knowledge: &'k Knowledge, input: &PersonInput) -> Result<Person<'k>, UnknownValue> {
    let mut conditions: Vec<&'k Condition> = Vec::with_capacity(input.conditions.len());
    for id in &input.conditions {
        let c = knowledge.condition(id)?;
        if !conditions.iter().any(|known| known.id == c.id) {
            conditions.push(c);
        }
    }
    Ok(Person {
        pain_type: input.pain_type,
        role: input.role,
        pain_now: input.pain_now,
        conditions,
    })
}

/// Makes the couple's plan.
pub fn recommend<'k>(
    knowledge: &'k Knowledge,
    request: &PlanRequest,
) -> Result<Plan<'k>, RequestError> {
    if request.you.role == request.partner.role {
        return Err(RequestError::SameRole(request.you.role));
    }
    let you = person(knowledge, &request.you)?;
    let partner = person(knowledge, &request.partner)?;
    let conditions: Vec<&str> = you
        .conditions
        .iter()
        .chain(&partner.conditions)
        .map(|c| c.id.as_str())
        .collect();
    let triage = triage::check_with_conditions(knowledge, &request.symptoms, &conditions)?;

    if triage.level.withholds_advice() {
        return Ok(Plan {
            notices: notices(knowledge, &[notice::ADVICE_WITHHELD]),
            triage,
            positions: Vec::new(),
            tips: TipPlan::default(),
        });
    }

    let day = Day { time: request.time };
    let mut positions: Vec<PositionPlan<'k>> = knowledge
        .positions
        .iter()
        .map(|position| {
            let (mut you_v, partner_v) = judge_couple(knowledge, position, &you, &partner, day);
            let mut sources: Vec<&'k str> = position.sources.iter().map(String::as_str).collect();
            for s in you_v
                .condition_sources
                .iter()
                .chain(&partner_v.condition_sources)
            {
                if !sources.contains(s) {
                    sources.push(s);
                }
            }
            if !you.pain_type.has_pain() && !partner.pain_type.has_pain() {
                you_v.reasons.push(NO_PAIN_REASON.to_owned());
            }
            PositionPlan {
                position,
                verdict: you_v.verdict.max(partner_v.verdict),
                with_modifications: you_v.with_modifications.max(partner_v.with_modifications),
                you: you_v,
                partner: partner_v,
                sources,
            }
        })
        .collect();

    let gentleness_first = you.needs_gentleness() || partner.needs_gentleness();
    // `sort_by_key` is stable: equal keys keep the knowledge base's order.
    positions.sort_by_key(|p| rank_key(p, gentleness_first));

    let tips = select_tips(knowledge, &you, &partner, request.time);

    let mut ids: Vec<&str> = Vec::new();
    if triage.level == Level::Soon {
        ids.push(notice::SEE_DOCTOR_SOON);
    }
    for c in you.conditions.iter().chain(&partner.conditions) {
        ids.extend(c.notices.iter().map(String::as_str));
    }
    let people = [&you, &partner];
    if people.iter().any(|p| p.pain_type == PainType::Unclear) {
        ids.push(notice::UNCLEAR_PATTERN);
    }
    if people.iter().any(|p| p.severe_pain_day()) {
        ids.push(notice::SEVERE_PAIN);
    } else if people.iter().any(|p| p.high_pain_day()) {
        ids.push(notice::HIGH_PAIN_DAY);
    }
    if request.time == Some(TimeOfDay::Morning)
        && people.iter().any(|p| {
            p.pain_type == PainType::Flexion
                || (p.pain_type.has_pain() && p.has_effect(ConditionEffect::MorningFlexion))
        })
    {
        ids.push(notice::MORNING_BACK);
    }
    ids.push(notice::STUDY_CAVEAT);
    if people.iter().any(|p| p.pain_type == PainType::Motion) {
        ids.push(notice::MOTION_INFERENCE);
    }
    match people.iter().filter(|p| p.pain_type.has_pain()).count() {
        0 => ids.push(notice::NO_BACK_PAIN),
        2 => ids.push(notice::BOTH_HAVE_PAIN),
        _ => {}
    }

    Ok(Plan {
        notices: notices(knowledge, &ids),
        triage,
        positions,
        tips,
    })
}

/// Judges a position for both partners. The modification "the other partner does the moving"
/// goes only to the back more strained by this position: the one with pain when the other has
/// none, the more strained of two backs in pain, and neither on a tie.
fn judge_couple<'k>(
    knowledge: &'k Knowledge,
    position: &'k Position,
    you: &Person<'k>,
    partner: &Person<'k>,
    day: Day,
) -> (PersonVerdict<'k>, PersonVerdict<'k>) {
    // A back without pain has no strain, so the rule covers every couple.
    let mine = posture::strain(position, you, day);
    let theirs = posture::strain(position, partner, day);
    (
        posture::judge(knowledge, position, you, Who::You, day, mine > theirs),
        posture::judge(
            knowledge,
            position,
            partner,
            Who::Partner,
            day,
            theirs > mine,
        ),
    )
}

/// Best first: the couple's verdict; then, among equals, intercourse before its alternative
/// (the other way round on a high-pain day, or after recent spine surgery); the verdict with
/// modifications; positions measured in the studies before those reasoned from them (the
/// stronger evidence first); the strain on the sensitive backs with and without modifications;
/// and the total strain on both backs, so that of two equally safe positions the more neutral
/// one comes first.
fn rank_key(
    p: &PositionPlan<'_>,
    gentleness_first: bool,
) -> (Verdict, bool, Verdict, bool, u8, u8, u8) {
    let both = [&p.you, &p.partner];
    let sensitive_modified = both
        .iter()
        .map(|v| v.sensitive_demand_modified.level())
        .sum();
    let sensitive = both.iter().map(|v| v.sensitive_demand.level()).sum();
    let total = [&p.position.receptive, &p.position.insertive]
        .iter()
        .map(|r| r.flexion.level() + r.extension.level() + r.motion.level())
        .sum();
    (
        p.verdict,
        p.position.alternative != gentleness_first,
        p.with_modifications,
        p.position.basis != ProfileBasis::Measured,
        sensitive_modified,
        sensitive,
        total,
    )
}

fn clause_holds(clause: &TipClause, people: &[&Person<'_>; 2], time: Option<TimeOfDay>) -> bool {
    let in_pain = people.iter().filter(|p| p.pain_type.has_pain()).count();
    (clause.pain_types.is_empty()
        || people
            .iter()
            .any(|p| clause.pain_types.contains(&p.pain_type)))
        && (clause.conditions.is_empty()
            || people
                .iter()
                .flat_map(|p| &p.conditions)
                .any(|c| clause.conditions.contains(&c.id)))
        && (clause.times.is_empty() || time.is_some_and(|t| clause.times.contains(&t)))
        && (!clause.one_partner_pain_free || in_pain == 1)
        && (!clause.both_have_pain || in_pain == 2)
}

fn select_tips<'k>(
    knowledge: &'k Knowledge,
    you: &Person<'k>,
    partner: &Person<'k>,
    time: Option<TimeOfDay>,
) -> TipPlan<'k> {
    let people = [you, partner];
    let anyone_in_pain = people.iter().any(|p| p.pain_type.has_pain());
    let mut pain_types: Vec<PainType> = people
        .iter()
        .map(|p| p.pain_type)
        .filter(|t| t.has_pain())
        .collect();
    pain_types.sort_unstable();
    pain_types.dedup();

    let mut plan = TipPlan::default();
    for tip in &knowledge.tips {
        if tip.replacement_only || !(anyone_in_pain || tip.everyone) {
            continue;
        }
        if !(tip.when.is_empty() || tip.when.iter().any(|c| clause_holds(c, &people, time))) {
            continue;
        }
        let withheld = people
            .iter()
            .filter(|p| p.pain_type.has_pain())
            .any(|p| tip.unless_effects.iter().any(|e| p.has_effect(*e)));
        let advice = if withheld {
            match tip.instead.as_deref().map(|id| knowledge.tip(id)) {
                Some(Ok(instead)) => TipAdvice {
                    tip: instead,
                    extras: Vec::new(),
                    replaces: Some(tip),
                },
                _ => continue,
            }
        } else {
            TipAdvice {
                tip,
                extras: pain_types
                    .iter()
                    .filter_map(|t| tip.by_pain_type.get(t).map(String::as_str))
                    .collect(),
                replaces: None,
            }
        };
        let phase = match advice.tip.phase {
            Phase::Before => &mut plan.before,
            Phase::During => &mut plan.during,
            Phase::After => &mut plan.after,
        };
        // One replacement can stand in for several withheld tips; it is shown once.
        if !phase.iter().any(|a| a.tip.id == advice.tip.id) {
            phase.push(advice);
        }
    }
    plan
}

fn notices<'k>(knowledge: &'k Knowledge, ids: &[&str]) -> Vec<&'k Notice> {
    let mut found: Vec<&'k Notice> = Vec::with_capacity(ids.len());
    for id in ids {
        if let Ok(n) = knowledge.notice(id)
            && !found.iter().any(|f| f.id == n.id)
        {
            found.push(n);
        }
    }
    found.sort_by_key(|n| n.priority);
    found
}
