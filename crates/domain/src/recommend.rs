//! The couple's plan: red flags first, then every position judged for both backs and ranked
//! best first, the tips that apply to this couple today, and the notices that go with them.
//!
//! The couple's verdict on a position is the worse of the two partners' verdicts
//! ([`crate::posture::judge`]). A couple that takes turns (`switch`) has each position judged
//! both ways round, and each back keeps the more cautious of its two verdicts. Ranking and
//! verdicts depend only on the two partners, not on which of them is asking, so describing the
//! couple from either side gives the same plan.
//!
//! Within a verdict (and the verdict the modifications reach), positions filmed in the
//! motion-capture studies come before those reasoned from them, in the order the studies
//! ranked them for the backs in pain.
//!
//! Red flags (the symptoms reported now and those the journal holds) and what the couple's
//! conditions withhold are the safety policy's answers ([`crate::safety`]).

use crate::knowledge::{
    ConditionEffect, Knowledge, Notice, Position, ProfileBasis, Tip, TipClause,
};
use crate::posture::{self, AppliedModification, Day, Person, PersonVerdict, Who};
use crate::safety::{self, Noted, Whose};
use crate::triage::Triage;
use crate::vocab::{
    Level, PainScore, PainType, Phase, Role, RoleChoice, TimeOfDay, UnknownValue, Verdict,
};

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
    notice::SWITCH_ROLES,
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
    /// The couple takes both roles in turn.
    pub const SWITCH_ROLES: &str = "switch-roles";
}

/// The reason every position gives when neither partner has back pain.
const NO_PAIN_REASON: &str = "Neither of you reported back pain, so comfort decides.";

/// One partner as described in a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonInput {
    /// Their pain type.
    pub pain_type: PainType,
    /// Their role, or `switch`.
    pub role: RoleChoice,
    /// Their pain today (0–10), if known.
    pub pain_now: Option<PainScore>,
    /// Condition ids.
    pub conditions: Vec<String>,
    /// The week of a pregnancy, if known (unknown counts as possibly past 20 weeks).
    pub pregnancy_weeks: Option<u8>,
}

impl PersonInput {
    /// A person with this pain type and role, no pain score and no conditions.
    pub fn new(pain_type: PainType, role: impl Into<RoleChoice>) -> PersonInput {
        PersonInput {
            pain_type,
            role: role.into(),
            pain_now: None,
            conditions: Vec::new(),
            pregnancy_weeks: None,
        }
    }

    /// The person as the policy sees them, in `role`.
    fn person<'k>(&self, knowledge: &'k Knowledge, role: Role) -> Result<Person<'k>, UnknownValue> {
        Person::new(
            knowledge,
            self.pain_type,
            role,
            self.pain_now,
            &self.conditions,
            self.pregnancy_weeks,
        )
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
    /// Red-flag symptoms the asker's journal still holds
    /// ([`crate::safety::journal_red_flags`]).
    pub noted: Vec<Noted>,
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
            noted: Vec::new(),
        }
    }

    /// The same couple described from the partner's side.
    pub fn swapped(&self) -> PlanRequest {
        PlanRequest {
            you: self.partner.clone(),
            partner: self.you.clone(),
            time: self.time,
            symptoms: self.symptoms.clone(),
            noted: self.noted.clone(),
        }
    }

    /// Whether the couple takes both roles in turn: either partner said `switch`.
    pub fn switching(&self) -> bool {
        self.you.role == RoleChoice::Switch || self.partner.role == RoleChoice::Switch
    }

    /// The arrangements each position is judged in: the asker's role and the partner's,
    /// once, or both ways round for a couple that switches.
    fn arrangements(&self) -> Result<Vec<(Role, Role)>, RequestError> {
        match (self.you.role.fixed(), self.partner.role.fixed()) {
            (Some(a), Some(b)) if a == b => Err(RequestError::SameRole(a)),
            (Some(a), Some(b)) => Ok(vec![(a, b)]),
            _ => Ok(vec![
                (Role::Receptive, Role::Insertive),
                (Role::Insertive, Role::Receptive),
            ]),
        }
    }
}

/// A request the engine cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// An id the knowledge base does not know.
    #[error(transparent)]
    Unknown(#[from] UnknownValue),
    /// Both partners were given the same fixed role.
    #[error(
        "you and your partner cannot both always take the {0} role: in every position one partner is receptive and the other insertive; if you take turns, or it varies, choose the role 'switch'"
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
    /// Whose condition withheld it, when this is a replacement.
    pub whose: Option<Whose>,
}

impl TipAdvice<'_> {
    /// The tip's text with the extras for this couple, addressed to whoever it concerns.
    pub fn text(&self) -> String {
        let mut text = match self.whose {
            Some(whose) => whose.fill(self.tip.text.trim()),
            None => self.tip.text.trim().to_owned(),
        };
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

/// A notice shown with a plan, addressed to whoever it concerns: a notice a condition brings
/// speaks of the partner's surgeon or doctor when the condition is the partner's.
#[derive(Debug, Clone)]
pub struct PlanNotice<'k> {
    /// The notice.
    pub notice: &'k Notice,
    /// Whose condition brought it, when a condition did.
    pub whose: Option<Whose>,
}

impl PlanNotice<'_> {
    /// The text, its placeholders filled for whoever it concerns (the asker's when no
    /// condition brought it).
    pub fn text(&self) -> String {
        self.whose
            .unwrap_or(Whose::You)
            .fill(self.notice.text.trim())
    }
}

/// The couple's plan.
#[derive(Debug, Clone)]
pub struct Plan<'k> {
    /// Red flags come first: at `urgent` or `emergency` the plan holds nothing else.
    pub triage: Triage<'k>,
    /// The red-flag symptoms among the triage's that came from the journal, and when.
    pub noted: Vec<Noted>,
    /// Whether each position was judged both ways round.
    pub switching: bool,
    /// Positions, best first; empty when the triage withholds advice.
    pub positions: Vec<PositionPlan<'k>>,
    /// Tips that apply; empty when the triage withholds advice.
    pub tips: TipPlan<'k>,
    /// Notices, most important first.
    pub notices: Vec<PlanNotice<'k>>,
}

/// Makes the couple's plan.
pub fn recommend<'k>(
    knowledge: &'k Knowledge,
    request: &PlanRequest,
) -> Result<Plan<'k>, RequestError> {
    let arrangements = request.arrangements()?;
    let switching = arrangements.len() > 1;
    let people: Vec<(Person<'k>, Person<'k>)> = arrangements
        .iter()
        .map(|&(mine, theirs)| {
            let mut you = request.you.person(knowledge, mine)?;
            let mut partner = request.partner.person(knowledge, theirs)?;
            you.switching = switching;
            partner.switching = switching;
            Ok((you, partner))
        })
        .collect::<Result<_, UnknownValue>>()?;
    let (you, partner) = people[0].clone();
    let conditions: Vec<_> = you
        .conditions
        .iter()
        .chain(&partner.conditions)
        .copied()
        .collect();
    let red_flags = safety::red_flags(knowledge, &request.symptoms, &request.noted, &conditions)?;

    if red_flags.withholds_advice() {
        return Ok(Plan {
            notices: notices(knowledge, &[(notice::ADVICE_WITHHELD, None)]),
            triage: red_flags.triage,
            noted: red_flags.noted,
            switching,
            positions: Vec::new(),
            tips: TipPlan::default(),
        });
    }

    let day = Day { time: request.time };
    let mut positions: Vec<PositionPlan<'k>> = knowledge
        .positions
        .iter()
        .map(|position| {
            let (mut you_v, partner_v) = people.iter().skip(1).fold(
                judge_couple(knowledge, position, &you, &partner, day),
                |(a_you, a_partner), (you, partner)| {
                    let (b_you, b_partner) = judge_couple(knowledge, position, you, partner, day);
                    (
                        more_cautious(a_you, b_you),
                        more_cautious(a_partner, b_partner),
                    )
                },
            );
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
    positions.sort_by_key(|p| rank_key(p, &you, &partner, gentleness_first));

    let tips = select_tips(knowledge, &you, &partner, request.time);

    let mut ids: Vec<&str> = Vec::new();
    if red_flags.level() == Level::Soon {
        ids.push(notice::SEE_DOCTOR_SOON);
    }
    // A condition's notice speaks of the surgeon or doctor of whoever has it.
    let mut from_conditions: Vec<(&str, Whose)> = Vec::new();
    for (person, whose) in [(&you, Whose::You), (&partner, Whose::Partner)] {
        for id in person.conditions.iter().flat_map(|c| &c.notices) {
            match from_conditions.iter_mut().find(|(n, _)| n == id) {
                Some((_, w)) if *w != whose => *w = Whose::Both,
                Some(_) => {}
                None => from_conditions.push((id, whose)),
            }
        }
    }
    if switching {
        ids.push(notice::SWITCH_ROLES);
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

    let mut wanted: Vec<(&str, Option<Whose>)> = from_conditions
        .into_iter()
        .map(|(id, w)| (id, Some(w)))
        .collect();
    wanted.extend(ids.into_iter().map(|id| (id, None)));
    Ok(Plan {
        notices: notices(knowledge, &wanted),
        triage: red_flags.triage,
        noted: red_flags.noted,
        switching,
        positions,
        tips,
    })
}

/// Of one back's two verdicts (a couple that switches), the more cautious, value by value: the
/// worse verdict and the worse verdict with modifications, even when they come from different
/// arrangements, with the reasons and modifications of the arrangement that gave the worse
/// verdict (the first on a tie).
fn more_cautious<'k>(a: PersonVerdict<'k>, b: PersonVerdict<'k>) -> PersonVerdict<'k> {
    let key = |v: &PersonVerdict<'_>| {
        (
            v.verdict,
            v.with_modifications,
            v.sensitive_demand,
            v.sensitive_demand_modified,
        )
    };
    let (mut kept, other) = if key(&b) > key(&a) { (b, a) } else { (a, b) };
    if other.with_modifications > kept.with_modifications {
        kept.with_modifications = other.with_modifications;
        kept.sensitive_demand_modified = kept
            .sensitive_demand_modified
            .max(other.sensitive_demand_modified);
        kept.reasons.extend(other.reasons);
    }
    kept
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
    let mine = posture::strain(knowledge, position, you, day);
    let theirs = posture::strain(knowledge, position, partner, day);
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

/// Where the studies placed this position for the backs in pain, as a share of the way down
/// their ranking (0 kindest, 100 least kind; the worse of two backs in pain); unranked
/// positions after every ranked one.
fn study_place(p: &PositionPlan<'_>, you: &Person<'_>, partner: &Person<'_>) -> u16 {
    [(&p.you, you), (&p.partner, partner)]
        .iter()
        .filter(|(_, person)| person.pain_type.has_pain())
        .filter_map(|(v, person)| {
            let rank = p.position.profile(v.role).study_rank(person.pain_type)?;
            Some(u16::from(rank.rank.saturating_sub(1)) * 100 / u16::from(rank.of.max(2) - 1))
        })
        .max()
        .unwrap_or(u16::MAX)
}

/// Best first: the couple's verdict; then, among equals, intercourse before its alternative
/// (the other way round on a high-pain day, or after recent spine surgery); the verdict with
/// modifications; positions measured in the studies before those reasoned from them (the
/// stronger evidence first), in the order the studies ranked them for these backs; the strain
/// on the sensitive backs with and without modifications; and the total strain on both backs,
/// so that of two equally safe positions the more neutral one comes first.
fn rank_key(
    p: &PositionPlan<'_>,
    you: &Person<'_>,
    partner: &Person<'_>,
    gentleness_first: bool,
) -> (Verdict, bool, Verdict, bool, u16, u8, u8, u8) {
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
        study_place(p, you, partner),
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
        let withheld = safety::withheld_for(
            &[(you, Who::You), (partner, Who::Partner)],
            &tip.unless_effects,
        );
        let advice = if let Some(whose) = withheld {
            match tip.instead.as_deref().map(|id| knowledge.tip(id)) {
                Some(Ok(instead)) => TipAdvice {
                    tip: instead,
                    extras: Vec::new(),
                    replaces: Some(tip),
                    whose: Some(whose),
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
                whose: None,
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

fn notices<'k>(knowledge: &'k Knowledge, wanted: &[(&str, Option<Whose>)]) -> Vec<PlanNotice<'k>> {
    let mut found: Vec<PlanNotice<'k>> = Vec::with_capacity(wanted.len());
    for (id, whose) in wanted {
        if let Ok(notice) = knowledge.notice(id)
            && !found.iter().any(|f| f.notice.id == notice.id)
        {
            found.push(PlanNotice {
                notice,
                whose: *whose,
            });
        }
    }
    found.sort_by_key(|n| n.notice.priority);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Demand;

    fn verdict<'k>(verdict: Verdict, with: Verdict, reason: &str) -> PersonVerdict<'k> {
        PersonVerdict {
            who: Who::You,
            role: Role::Receptive,
            verdict,
            with_modifications: with,
            reasons: vec![reason.to_owned()],
            modifications: Vec::new(),
            sensitive_demand: Demand::NEUTRAL,
            sensitive_demand_modified: Demand::NEUTRAL,
            condition_sources: Vec::new(),
        }
    }

    #[test]
    fn switching_keeps_the_more_cautious_of_each_value_even_from_different_arrangements() {
        // One way round: avoid, but recommended with the changes; the other: caution either
        // way. Taking turns includes the second, so the changes reach caution at best.
        let a = verdict(Verdict::Avoid, Verdict::Recommended, "one way");
        let b = verdict(Verdict::Caution, Verdict::Caution, "the other way");
        for (x, y) in [(a.clone(), b.clone()), (b, a)] {
            let kept = more_cautious(x, y);
            assert_eq!(kept.verdict, Verdict::Avoid);
            assert_eq!(kept.with_modifications, Verdict::Caution);
            assert!(kept.reasons.iter().any(|r| r == "one way"));
            assert!(kept.reasons.iter().any(|r| r == "the other way"));
        }
    }
}
