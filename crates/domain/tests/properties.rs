//! Properties of the engine that must hold for every couple, not just the examples:
//! verdicts are total, more conditions or symptoms never make a plan or a program less
//! cautious, the couple gets the same verdicts whichever partner describes it, a couple that
//! switches is never judged more leniently than either fixed role, and every feature — plan,
//! program, flare-up advice, symptom check — gives the same safety answer for the same
//! circumstances.

use proptest::prelude::*;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::{Journal, LocalDate};
use spinewise_domain::program::{HoldReason, Program, ProgramInput, weekly_program};
use spinewise_domain::recommend::{PersonInput, Plan, PlanRequest, recommend};
use spinewise_domain::safety::{self, Circumstances, Noted, PainTypeSource, Reported};
use spinewise_domain::triage;
use spinewise_domain::vocab::{Level, PainScore, PainType, Role, RoleChoice, TimeOfDay, Verdict};

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base is valid")
}

fn condition_ids() -> Vec<String> {
    knowledge()
        .conditions
        .iter()
        .map(|c| c.id.clone())
        .collect()
}

fn symptom_ids() -> Vec<String> {
    knowledge().symptoms.iter().map(|s| s.id.clone()).collect()
}

fn pain_type() -> impl Strategy<Value = PainType> {
    prop::sample::select(PainType::ALL.to_vec())
}

fn subset(ids: Vec<String>, max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::sample::subsequence(ids.clone(), 0..=max.min(ids.len()))
}

fn weeks() -> impl Strategy<Value = Option<u8>> {
    prop::option::of(4u8..=40)
}

fn person(role: RoleChoice) -> impl Strategy<Value = PersonInput> {
    (
        pain_type(),
        prop::option::of(0u8..=10),
        subset(condition_ids(), 4),
        weeks(),
    )
        .prop_map(move |(pain_type, pain, conditions, weeks)| PersonInput {
            pain_type,
            role,
            pain_now: pain.and_then(PainScore::new),
            conditions,
            pregnancy_weeks: weeks,
        })
}

/// A couple: fixed roles most of the time, a couple that switches now and then.
fn request() -> impl Strategy<Value = PlanRequest> {
    (
        prop::sample::select(vec![
            RoleChoice::Receptive,
            RoleChoice::Insertive,
            RoleChoice::Switch,
        ]),
        prop::option::of(prop::sample::select(TimeOfDay::ALL.to_vec())),
        subset(symptom_ids(), 3),
    )
        .prop_flat_map(|(role, time, symptoms)| {
            (person(role), person(role.other())).prop_map(move |(you, partner)| PlanRequest {
                you,
                partner,
                time,
                symptoms: symptoms.clone(),
                noted: Vec::new(),
            })
        })
}

/// A couple with fixed roles.
fn fixed_request() -> impl Strategy<Value = PlanRequest> {
    request().prop_map(|mut r| {
        if r.you.role == RoleChoice::Switch {
            r.you.role = RoleChoice::Receptive;
            r.partner.role = RoleChoice::Insertive;
        }
        r
    })
}

fn plan(request: &PlanRequest) -> Plan<'static> {
    recommend(knowledge(), request).expect("a valid request gets a plan")
}

fn verdict_of(plan: &Plan<'_>, id: &str) -> Option<Verdict> {
    plan.positions
        .iter()
        .find(|p| p.position.id == id)
        .map(|p| p.verdict)
}

/// `after` is at least as cautious as `before`: the red-flag level is no lower, no position
/// is rated better (a withheld list is the most cautious of all), no notice disappears, and
/// the anti-inflammatory tip does not come back.
fn at_least_as_cautious(before: &Plan<'_>, after: &Plan<'_>) -> Result<(), TestCaseError> {
    prop_assert!(after.triage.level >= before.triage.level);
    if !after.positions.is_empty() {
        prop_assert!(!before.positions.is_empty(), "positions reappeared");
        for p in &before.positions {
            let now = verdict_of(after, &p.position.id).expect("same positions");
            prop_assert!(
                now >= p.verdict,
                "{} went from {} to {}",
                p.position.id,
                p.verdict,
                now
            );
            let with = after
                .positions
                .iter()
                .find(|q| q.position.id == p.position.id)
                .map(|q| q.with_modifications)
                .expect("same positions");
            prop_assert!(with >= p.with_modifications);
        }
        for n in &before.notices {
            prop_assert!(
                after.notices.iter().any(|m| m.notice.id == n.notice.id),
                "notice {} disappeared",
                n.notice.id
            );
        }
        let suggests_nsaid = |p: &Plan<'_>| p.tips.all().any(|t| t.tip.id == "pain-reliever");
        prop_assert!(!suggests_nsaid(after) || suggests_nsaid(before));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_position_gets_a_verdict_for_every_couple(request in request()) {
        let plan = plan(&request);
        if plan.triage.level.withholds_advice() {
            prop_assert!(plan.positions.is_empty() && plan.tips.all().next().is_none());
        } else {
            prop_assert_eq!(plan.positions.len(), knowledge().positions.len());
            for p in &plan.positions {
                prop_assert_eq!(p.verdict, p.you.verdict.max(p.partner.verdict));
                prop_assert!(p.with_modifications <= p.verdict, "modifications never make it worse");
                prop_assert!(p.reasons().next().is_some(), "{} says why", p.position.id);
            }
            // Best first: the verdicts never improve down the list.
            for pair in plan.positions.windows(2) {
                prop_assert!(pair[0].verdict <= pair[1].verdict);
            }
        }
    }

    #[test]
    fn adding_a_condition_never_makes_a_plan_less_cautious(
        request in request(),
        extra in prop::sample::select(condition_ids()),
        to_partner in any::<bool>(),
    ) {
        let mut more = request.clone();
        let target = if to_partner { &mut more.partner } else { &mut more.you };
        target.conditions.push(extra);
        at_least_as_cautious(&plan(&request), &plan(&more))?;
    }

    #[test]
    fn adding_a_symptom_never_makes_a_plan_less_cautious(
        request in request(),
        extra in prop::sample::select(symptom_ids()),
    ) {
        let mut more = request.clone();
        more.symptoms.push(extra);
        at_least_as_cautious(&plan(&request), &plan(&more))?;
    }

    #[test]
    fn either_partner_can_describe_the_couple(request in request()) {
        let ours = plan(&request);
        let theirs = plan(&request.swapped());
        let verdicts = |p: &Plan<'_>| -> Vec<(String, Verdict, Verdict)> {
            p.positions
                .iter()
                .map(|x| (x.position.id.clone(), x.verdict, x.with_modifications))
                .collect()
        };
        prop_assert_eq!(verdicts(&ours), verdicts(&theirs));
        prop_assert_eq!(ours.triage.level, theirs.triage.level);
        let tips = |p: &Plan<'_>| -> Vec<String> { p.tips.all().map(|t| t.tip.id.clone()).collect() };
        prop_assert_eq!(tips(&ours), tips(&theirs));
        let mut a: Vec<_> = ours.notices.iter().map(|n| n.notice.id.clone()).collect();
        let mut b: Vec<_> = theirs.notices.iter().map(|n| n.notice.id.clone()).collect();
        a.sort();
        b.sort();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn a_higher_pain_score_never_makes_a_position_safer(
        request in request(),
        low in 0u8..=10,
        high in 0u8..=10,
    ) {
        let (low, high) = (low.min(high), low.max(high));
        let mut a = request.clone();
        a.you.pain_now = PainScore::new(low);
        let mut b = request;
        b.you.pain_now = PainScore::new(high);
        let (a, b) = (plan(&a), plan(&b));
        for p in &a.positions {
            prop_assert!(verdict_of(&b, &p.position.id).expect("same positions") >= p.verdict);
        }
    }

    #[test]
    fn triage_levels_only_rise_as_symptoms_are_added(
        symptoms in subset(symptom_ids(), 6),
        extra in prop::sample::select(symptom_ids()),
    ) {
        let before = triage::check(knowledge(), &symptoms).expect("known symptoms");
        let mut more = symptoms.clone();
        more.push(extra);
        let after = triage::check(knowledge(), &more).expect("known symptoms");
        prop_assert!(after.level >= before.level);
        prop_assert_eq!(
            before.level,
            before.findings.iter().map(|f| f.level).max().unwrap_or(Level::None)
        );
        for f in &before.findings {
            let g = after
                .findings
                .iter()
                .find(|g| g.symptom.id == f.symptom.id)
                .expect("the finding stays");
            prop_assert!(g.level >= f.level);
        }
    }
}

// --- The one policy, feature by feature ------------------------------------------------------

fn today() -> LocalDate {
    "2026-03-04".parse().expect("a date")
}

/// A person's circumstances: pain type, pain today, conditions, the week of a pregnancy,
/// symptoms reported now and red flags noted in the journal in the last days.
fn circumstances() -> impl Strategy<Value = Circumstances> {
    (
        pain_type(),
        prop::option::of(0u8..=10),
        subset(condition_ids(), 4),
        weeks(),
        subset(symptom_ids(), 2),
        subset(symptom_ids(), 2),
        0i64..=6,
    )
        .prop_map(|(pain_type, pain, conditions, weeks, now, noted, ago)| {
            let when = LocalDate(today().0 - time::Duration::days(ago));
            Circumstances {
                pain_type,
                source: PainTypeSource::Given,
                pain_today: pain.and_then(PainScore::new),
                pain_given: pain.is_some(),
                conditions,
                pregnancy_weeks: weeks,
                symptoms: now,
                noted: noted
                    .into_iter()
                    .map(|symptom| Noted {
                        symptom,
                        reported: Reported::Logged(when),
                    })
                    .collect(),
                today: today(),
                journal: Journal::default(),
            }
        })
}

fn program_of(c: &Circumstances) -> Program<'static> {
    weekly_program(
        knowledge(),
        &ProgramInput::from_circumstances(knowledge(), c),
    )
}

/// The plan the same circumstances ask for (a partner without back pain).
fn plan_of(c: &Circumstances) -> Plan<'static> {
    let mut request = PlanRequest::new(PersonInput {
        pain_type: c.pain_type,
        role: RoleChoice::Receptive,
        pain_now: c.pain_today,
        conditions: c.conditions.clone(),
        pregnancy_weeks: c.pregnancy_weeks,
    });
    request.symptoms = c.symptoms.clone();
    request.noted = c.noted.clone();
    plan(&request)
}

/// Each exercise done as it is, by day; and the exercises left out.
type Exposure = (Vec<(usize, String)>, Vec<String>);

/// What a program exposes a person to: each exercise done as it is (not adapted or swapped in
/// for a condition), per day; and what it leaves out.
fn exposure(p: &Program<'_>) -> Option<Exposure> {
    let week = p.ready()?;
    let plain = week
        .days
        .iter()
        .enumerate()
        .flat_map(|(i, d)| {
            d.items
                .iter()
                .filter(|x| x.for_condition.is_none() && x.instead_of.is_none())
                .map(move |x| (i, x.exercise.id.clone()))
        })
        .collect();
    let left_out = week
        .held_back
        .iter()
        .map(|h| h.exercise.id.clone())
        .collect();
    Some((plain, left_out))
}

/// `after` is at least as cautious as `before`: withheld stays withheld, nothing is done as it
/// is that was not before, and nothing left out comes back.
fn program_at_least_as_cautious(
    before: &Program<'_>,
    after: &Program<'_>,
) -> Result<(), TestCaseError> {
    match (exposure(before), exposure(after)) {
        (None, Some(_)) => prop_assert!(false, "a withheld program came back"),
        (Some((plain, left_out)), Some((plain_after, left_out_after))) => {
            for x in &plain_after {
                prop_assert!(plain.contains(x), "{x:?} is now done as it is");
            }
            for x in &left_out {
                prop_assert!(left_out_after.contains(x), "{x} came back");
            }
        }
        _ => {}
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn switch_is_never_more_lenient_than_either_fixed_role(request in fixed_request()) {
        let one_way = plan(&request);
        let mut other = request.clone();
        other.you.role = request.partner.role;
        other.partner.role = request.you.role;
        let other_way = plan(&other);
        let mut switched = request.clone();
        switched.you.role = RoleChoice::Switch;
        switched.partner.role = RoleChoice::Switch;
        let s = plan(&switched);
        prop_assert_eq!(s.triage.level, one_way.triage.level);
        for p in &s.positions {
            for fixed in [&one_way, &other_way] {
                let f = fixed
                    .positions
                    .iter()
                    .find(|q| q.position.id == p.position.id)
                    .expect("same positions");
                prop_assert!(p.verdict >= f.verdict, "{}: switch is more lenient", p.position.id);
                prop_assert!(p.you.verdict >= f.you.verdict);
                prop_assert!(p.partner.verdict >= f.partner.verdict);
                prop_assert!(p.with_modifications >= f.with_modifications);
            }
        }
    }

    #[test]
    fn adding_a_condition_never_makes_the_program_less_cautious(
        c in circumstances(),
        extra in prop::sample::select(condition_ids()),
    ) {
        let mut more = c.clone();
        if !more.conditions.contains(&extra) {
            more.conditions.push(extra);
        }
        program_at_least_as_cautious(&program_of(&c), &program_of(&more))?;
    }

    #[test]
    fn adding_a_symptom_never_makes_the_program_less_cautious(
        c in circumstances(),
        extra in prop::sample::select(symptom_ids()),
        noted in any::<bool>(),
    ) {
        let mut more = c.clone();
        if noted {
            more.noted.push(Noted { symptom: extra, reported: Reported::Logged(today()) });
        } else {
            more.symptoms.push(extra);
        }
        program_at_least_as_cautious(&program_of(&c), &program_of(&more))?;
    }

    #[test]
    fn every_feature_gives_the_same_answer_for_the_same_circumstances(c in circumstances()) {
        let k = knowledge();
        let check = c.red_flags(k);
        let plan = plan_of(&c);
        let program = program_of(&c);
        let person = c.person(k, Role::Receptive);
        let advice = safety::flare_advice(k, &person, &check);

        // The same level everywhere, and the same decision to withhold.
        prop_assert_eq!(plan.triage.level, check.level());
        prop_assert_eq!(plan.positions.is_empty(), check.withholds_advice());
        prop_assert_eq!(
            advice.len() == 1 && advice[0].id == safety::REFERRAL,
            check.withholds_advice()
        );
        match &program {
            Program::Withheld { because: HoldReason::RedFlag, level, .. } => {
                prop_assert!(check.withholds_advice());
                prop_assert_eq!(*level, check.level());
            }
            Program::Withheld { because: HoldReason::Condition, condition, .. } => {
                prop_assert!(!check.withholds_advice());
                let c = k.condition(condition.as_deref().unwrap_or_default()).expect("known");
                prop_assert!(person.conditions.iter().any(|p| p.id == c.id));
            }
            Program::Ready(_) => prop_assert!(!check.withholds_advice()),
        }

        // The same conditions withhold the same advice in the plan and in a flare-up.
        if !check.withholds_advice() && c.pain_type.has_pain() {
            let tips: Vec<&str> = plan.tips.all().map(|t| t.tip.id.as_str()).collect();
            let items: Vec<&str> = advice.iter().map(|a| a.id).collect();
            prop_assert_eq!(tips.contains(&"pain-reliever"), items.contains(&"pain-relief"));
            if tips.contains(&"warm-bath") || items.contains(&"heat") {
                prop_assert_eq!(tips.contains(&"warm-bath"), items.contains(&"heat"));
            }
        }
    }
}
