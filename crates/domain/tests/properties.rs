//! Properties of the engine that must hold for every couple, not just the examples:
//! verdicts are total, more conditions or symptoms never make a plan less cautious, and the
//! couple gets the same verdicts whichever partner describes it.

use proptest::prelude::*;
use spinewise_domain::Knowledge;
use spinewise_domain::recommend::{PersonInput, Plan, PlanRequest, recommend};
use spinewise_domain::triage;
use spinewise_domain::vocab::{Level, PainScore, PainType, Role, TimeOfDay, Verdict};

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

fn person(role: Role) -> impl Strategy<Value = PersonInput> {
    (
        pain_type(),
        prop::option::of(0u8..=10),
        subset(condition_ids(), 4),
    )
        .prop_map(move |(pain_type, pain, conditions)| PersonInput {
            pain_type,
            role,
            pain_now: pain.and_then(PainScore::new),
            conditions,
        })
}

fn request() -> impl Strategy<Value = PlanRequest> {
    (
        prop::sample::select(Role::ALL.to_vec()),
        prop::option::of(prop::sample::select(TimeOfDay::ALL.to_vec())),
        subset(symptom_ids(), 3),
    )
        .prop_flat_map(|(role, time, symptoms)| {
            (person(role), person(role.other())).prop_map(move |(you, partner)| PlanRequest {
                you,
                partner,
                time,
                symptoms: symptoms.clone(),
            })
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
                after.notices.iter().any(|m| m.id == n.id),
                "notice {} disappeared",
                n.id
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
        let mut a: Vec<_> = ours.notices.iter().map(|n| n.id.clone()).collect();
        let mut b: Vec<_> = theirs.notices.iter().map(|n| n.id.clone()).collect();
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
