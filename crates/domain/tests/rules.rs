//! The rules a person would expect of the plan, each on a couple where it matters: conditions
//! that withhold tips or flag positions, the morning, high-pain days, unclear patterns, both
//! partners in pain, and red flags that stop the advice.

use spinewise_domain::Knowledge;
use spinewise_domain::knowledge::ConditionEffect;
use spinewise_domain::recommend::{PersonInput, Plan, PlanRequest, RequestError, recommend};
use spinewise_domain::vocab::{
    Level, PainScore, PainType, Phase, Role, RoleChoice, TimeOfDay, Verdict,
};

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base is valid")
}

fn request(pain_type: PainType, role: Role) -> PlanRequest {
    PlanRequest::new(PersonInput::new(pain_type, role))
}

fn with_conditions(pain_type: PainType, role: Role, conditions: &[&str]) -> PlanRequest {
    let mut r = request(pain_type, role);
    r.you.conditions = conditions.iter().map(|c| (*c).to_owned()).collect();
    r
}

fn plan(r: &PlanRequest) -> Plan<'static> {
    recommend(knowledge(), r).expect("a plan")
}

fn tip_ids<'k>(p: &Plan<'k>) -> Vec<&'k str> {
    p.tips.all().map(|t| t.tip.id.as_str()).collect()
}

fn notice_ids<'k>(p: &Plan<'k>) -> Vec<&'k str> {
    p.notices.iter().map(|n| n.notice.id.as_str()).collect()
}

fn verdict(p: &Plan<'_>, id: &str) -> Verdict {
    p.positions
        .iter()
        .find(|x| x.position.id == id)
        .unwrap_or_else(|| panic!("{id} is in the plan"))
        .verdict
}

fn position<'p, 'k>(
    p: &'p Plan<'k>,
    id: &str,
) -> &'p spinewise_domain::recommend::PositionPlan<'k> {
    p.positions
        .iter()
        .find(|x| x.position.id == id)
        .unwrap_or_else(|| panic!("{id} is in the plan"))
}

#[test]
fn the_pain_reliever_tip_is_replaced_for_every_condition_that_makes_nsaids_risky() {
    let risky: Vec<&str> = knowledge()
        .conditions
        .iter()
        .filter(|c| c.effects.contains(&ConditionEffect::NsaidRisk))
        .map(|c| c.id.as_str())
        .collect();
    for id in [
        "kidney-disease",
        "stomach-ulcer",
        "blood-thinners",
        "heart-failure",
        "nsaid-asthma",
        "pregnancy",
    ] {
        assert!(risky.contains(&id), "{id} makes anti-inflammatories risky");
        let p = plan(&with_conditions(PainType::Flexion, Role::Receptive, &[id]));
        let tips = tip_ids(&p);
        assert!(
            !tips.contains(&"pain-reliever"),
            "{id}: pain reliever withheld"
        );
        assert!(
            tips.contains(&"ask-pharmacist"),
            "{id}: ask a pharmacist instead"
        );
        let replacement = p
            .tips
            .phase(Phase::Before)
            .iter()
            .find(|t| t.tip.id == "ask-pharmacist")
            .expect("in the before phase");
        assert_eq!(
            replacement.replaces.map(|t| t.id.as_str()),
            Some("pain-reliever")
        );
    }
    let p = plan(&with_conditions(
        PainType::Flexion,
        Role::Receptive,
        &["disc-problem"],
    ));
    assert!(tip_ids(&p).contains(&"pain-reliever"));
    assert!(!tip_ids(&p).contains(&"ask-pharmacist"));
}

#[test]
fn the_risk_of_the_partner_without_back_pain_does_not_withhold_the_tip() {
    // The tip is for the partner with back pain; their partner's kidneys are not theirs.
    let mut r = request(PainType::Flexion, Role::Receptive);
    r.partner.conditions = vec!["kidney-disease".to_owned()];
    assert!(tip_ids(&plan(&r)).contains(&"pain-reliever"));
}

#[test]
fn no_tip_ever_suggests_opioids() {
    for tip in &knowledge().tips {
        let text = tip.text.to_lowercase();
        if text.contains("opioid") {
            assert!(
                text.contains("not a good choice")
                    || text.contains("not the answer")
                    || text.contains("not recommended"),
                "{} mentions opioids only to advise against them",
                tip.id
            );
        }
    }
}

#[test]
fn avoid_morning_appears_for_disc_problems_and_for_flexion_in_the_morning() {
    let disc = plan(&with_conditions(
        PainType::Extension,
        Role::Insertive,
        &["disc-problem"],
    ));
    assert!(tip_ids(&disc).contains(&"avoid-morning"));

    let mut morning = request(PainType::Flexion, Role::Receptive);
    morning.time = Some(TimeOfDay::Morning);
    assert!(tip_ids(&plan(&morning)).contains(&"avoid-morning"));
    assert!(notice_ids(&plan(&morning)).contains(&"morning-back"));

    let evening = request(PainType::Flexion, Role::Receptive);
    assert!(!tip_ids(&plan(&evening)).contains(&"avoid-morning"));
    assert!(!notice_ids(&plan(&evening)).contains(&"morning-back"));
}

#[test]
fn a_disc_problem_makes_forward_bending_count_more_in_the_morning() {
    // Seated on a chair rounds the insertive partner's back moderately: a caution for a
    // flexion-intolerant back, worse first thing in the morning with a disc problem.
    let mut r = with_conditions(PainType::Flexion, Role::Insertive, &["disc-problem"]);
    assert_eq!(verdict(&plan(&r), "seated-chair"), Verdict::Caution);
    r.time = Some(TimeOfDay::Morning);
    let p = plan(&r);
    assert_eq!(verdict(&p, "seated-chair"), Verdict::Avoid);
    assert!(
        position(&p, "seated-chair")
            .reasons()
            .any(|r| r.contains("first hours after getting up")),
        "the morning is named as the reason"
    );
    // Even a back that dislikes arching is spared forward bending that morning.
    let mut ext = with_conditions(PainType::Extension, Role::Insertive, &["disc-problem"]);
    assert_eq!(verdict(&plan(&ext), "seated-chair"), Verdict::Recommended);
    ext.time = Some(TimeOfDay::Morning);
    assert_eq!(verdict(&plan(&ext), "seated-chair"), Verdict::Avoid);
}

#[test]
fn a_hip_replacement_rules_out_deep_hip_flexion_crossing_and_inward_turning() {
    let k = knowledge();
    let plain = plan(&request(PainType::None, Role::Receptive));
    let hip = plan(&with_conditions(
        PainType::None,
        Role::Receptive,
        &["hip-replacement"],
    ));
    for p in &hip.positions {
        let profile = p.position.profile(Role::Receptive);
        let flagged = profile
            .hip
            .iter()
            .filter_map(|r| k.restriction(*r))
            .map(|r| r.position_verdict)
            .max();
        match flagged {
            Some(floor) => {
                assert_eq!(p.verdict, floor, "{} is flagged", p.position.id);
                assert_eq!(
                    p.with_modifications, floor,
                    "no pillow changes a hip: {}",
                    p.position.id
                );
                assert!(
                    p.reasons().any(|r| r.contains("hip")),
                    "{} says why",
                    p.position.id
                );
            }
            None => assert_eq!(
                p.verdict,
                verdict(&plain, &p.position.id),
                "{}",
                p.position.id
            ),
        }
    }
    assert_eq!(verdict(&hip, "missionary-knees-up"), Verdict::Avoid);
    assert_eq!(verdict(&hip, "spooning"), Verdict::Avoid);
    assert_eq!(
        verdict(&hip, "side-lying-face-to-face"),
        Verdict::Recommended
    );
    let insertive = plan(&with_conditions(
        PainType::None,
        Role::Insertive,
        &["hip-replacement"],
    ));
    assert_eq!(verdict(&insertive, "squatting"), Verdict::Avoid);
    assert!(notice_ids(&hip).contains(&"hip-precautions"));
    // The surgeon's word on baths and stretching comes first, shown once.
    let p = plan(&with_conditions(
        PainType::Flexion,
        Role::Receptive,
        &["hip-replacement"],
    ));
    let tips = tip_ids(&p);
    assert_eq!(
        tips.iter().filter(|t| **t == "ask-surgeon-first").count(),
        1
    );
    assert!(!tips.contains(&"warm-bath") && !tips.contains(&"stretch"));
}

#[test]
fn recent_spine_surgery_puts_the_surgeon_first_and_recommends_nothing() {
    let p = plan(&with_conditions(
        PainType::Motion,
        Role::Insertive,
        &["recent-spine-surgery"],
    ));
    assert_eq!(notice_ids(&p).first(), Some(&"surgeon-first"));
    assert_eq!(
        p.positions[0].position.id, "non-penetrative",
        "closeness first"
    );
    let tips = tip_ids(&p);
    assert!(tips.contains(&"ask-surgeon-first") && tips.contains(&"ask-pharmacist"));
    assert!(!tips.contains(&"warm-bath") && !tips.contains(&"pain-reliever"));
    assert!(p.positions.iter().all(|x| x.verdict >= Verdict::Caution));
    // Even for the partner: whoever had the surgery, the plan holds back.
    let mut r = request(PainType::None, Role::Receptive);
    r.partner.conditions = vec!["recent-spine-surgery".to_owned()];
    let p = plan(&r);
    assert_eq!(notice_ids(&p).first(), Some(&"surgeon-first"));
    assert!(p.positions.iter().all(|x| x.verdict >= Verdict::Caution));
}

#[test]
fn pregnancy_avoids_lying_face_down_and_flags_lying_on_the_back_from_week_20() {
    // The week not given counts as possibly past 20 weeks.
    let mut r = with_conditions(PainType::None, Role::Receptive, &["pregnancy"]);
    let p = plan(&r);
    for id in ["missionary", "missionary-elbows", "edge-of-bed"] {
        assert_eq!(verdict(&p, id), Verdict::Caution, "{id}");
        assert!(
            position(&p, id)
                .reasons()
                .any(|x| x.contains("flat on the back")),
            "{id} says why"
        );
    }
    assert_eq!(verdict(&p, "prone-flat"), Verdict::Avoid);
    assert_eq!(
        position(&p, "prone-flat").with_modifications,
        Verdict::Avoid,
        "no pillow makes lying face down safe in pregnancy"
    );
    for id in ["spooning", "side-lying-face-to-face", "receptive-on-top"] {
        assert_eq!(verdict(&p, id), Verdict::Recommended, "{id}");
    }
    assert!(notice_ids(&p).contains(&"pregnancy"));
    let notice = knowledge().notice("pregnancy").expect("the notice");
    assert!(notice.text.contains("advised against sex"));

    // Before week 20, lying on the back is not flagged; face down still is.
    r.you.pregnancy_weeks = Some(14);
    let early = plan(&r);
    assert_eq!(verdict(&early, "missionary"), Verdict::Recommended);
    assert_eq!(verdict(&early, "prone-flat"), Verdict::Avoid);
    r.you.pregnancy_weeks = Some(20);
    assert_eq!(verdict(&plan(&r), "missionary"), Verdict::Caution);
}

#[test]
fn heart_failure_asks_for_a_word_with_the_doctor() {
    let p = plan(&with_conditions(
        PainType::Flexion,
        Role::Insertive,
        &["heart-failure"],
    ));
    assert!(notice_ids(&p).contains(&"heart-check"));
}

#[test]
fn an_unclear_pattern_falls_back_to_a_neutral_spine_and_suggests_a_physiotherapist() {
    let p = plan(&request(PainType::Unclear, Role::Receptive));
    assert!(notice_ids(&p).contains(&"unclear-pattern"));
    for x in &p.positions {
        let profile = x.position.profile(Role::Receptive);
        let most = profile
            .flexion
            .max(profile.extension)
            .max(profile.motion)
            .level();
        let expected = match most {
            0..=1 => Verdict::Recommended,
            2 => Verdict::Caution,
            _ => Verdict::Avoid,
        };
        assert_eq!(x.verdict, expected, "{}", x.position.id);
    }
    assert_eq!(verdict(&p, "non-penetrative"), Verdict::Recommended);
    assert_eq!(verdict(&p, "missionary-knees-up"), Verdict::Avoid);
}

#[test]
fn a_high_pain_day_is_stricter_and_puts_the_gentlest_option_first() {
    let mut r = request(PainType::Extension, Role::Receptive);
    let calm = plan(&r);
    r.you.pain_now = PainScore::new(8);
    let bad_day = plan(&r);
    assert_eq!(bad_day.positions[0].position.id, "non-penetrative");
    assert!(notice_ids(&bad_day).contains(&"high-pain-day"));
    assert_eq!(verdict(&calm, "missionary"), Verdict::Recommended);
    assert_eq!(
        verdict(&bad_day, "missionary"),
        Verdict::Recommended,
        "extension 0 stays safe"
    );
    // A slight arch is fine on a calm day, too much on a bad one.
    assert_eq!(
        verdict(&calm, "side-lying-face-to-face"),
        Verdict::Recommended
    );
    assert_eq!(
        verdict(&bad_day, "side-lying-face-to-face"),
        Verdict::Caution
    );
    // On a calm day, the alternative to intercourse comes after the positions as safe as it.
    let last_recommended = calm
        .positions
        .iter()
        .rposition(|x| x.verdict == Verdict::Recommended)
        .expect("some are recommended");
    assert_eq!(
        calm.positions[last_recommended].position.id,
        "non-penetrative"
    );
}

#[test]
fn pain_of_9_or_10_leaves_only_closeness_without_intercourse_recommended() {
    let mut r = request(PainType::Flexion, Role::Receptive);
    r.you.pain_now = PainScore::new(9);
    let p = plan(&r);
    assert_eq!(p.positions[0].position.id, "non-penetrative");
    assert_eq!(p.positions[0].verdict, Verdict::Recommended);
    assert!(
        p.positions[1..]
            .iter()
            .all(|x| x.verdict >= Verdict::Caution)
    );
    assert!(notice_ids(&p).contains(&"severe-pain"));
    assert!(
        !notice_ids(&p).contains(&"high-pain-day"),
        "one notice for the day's pain"
    );
}

#[test]
fn the_morning_notice_needs_a_back_in_pain() {
    let mut r = with_conditions(PainType::None, Role::Receptive, &["disc-problem"]);
    r.time = Some(TimeOfDay::Morning);
    assert!(!notice_ids(&plan(&r)).contains(&"morning-back"));
}

#[test]
fn a_morning_reason_is_given_even_at_the_end_of_the_range() {
    // Knees drawn up already rounds the receptive back to the end of its range: the morning
    // cannot raise it further, but it is still the reason for a back that dislikes arching.
    let mut r = with_conditions(PainType::Extension, Role::Receptive, &["disc-problem"]);
    r.time = Some(TimeOfDay::Morning);
    let p = plan(&r);
    let x = position(&p, "missionary-knees-up");
    assert_eq!(x.verdict, Verdict::Avoid);
    let reason = x.reasons().next().expect("a reason");
    assert!(reason.contains("first hours after getting up"), "{reason}");
    assert!(!reason.contains("and ."), "{reason}");
}

#[test]
fn bleeding_or_pelvic_pain_in_pregnancy_is_urgent() {
    for symptom in ["bleeding-after-sex", "pelvic-pain"] {
        let mut r = with_conditions(PainType::None, Role::Receptive, &["pregnancy"]);
        r.symptoms = vec![symptom.to_owned()];
        let p = plan(&r);
        assert_eq!(p.triage.level, Level::Urgent, "{symptom}");
        assert!(p.positions.is_empty());
        // The partner's pregnancy counts the same.
        let mut r = request(PainType::Flexion, Role::Insertive);
        r.partner.conditions = vec!["pregnancy".to_owned()];
        r.symptoms = vec![symptom.to_owned()];
        assert_eq!(
            plan(&r).triage.level,
            Level::Urgent,
            "{symptom}, partner pregnant"
        );
    }
}

#[test]
fn the_other_partner_moves_only_if_they_can() {
    // Both backs dislike movement: at most one of them is told the other does the moving.
    let mut r = request(PainType::Motion, Role::Receptive);
    r.partner = PersonInput::new(PainType::Motion, Role::Insertive);
    let p = plan(&r);
    let offered = |v: &spinewise_domain::posture::PersonVerdict<'_>| {
        v.modifications
            .iter()
            .any(|m| m.modification.id == "partner-moves")
    };
    for x in &p.positions {
        assert!(
            !(offered(&x.you) && offered(&x.partner)),
            "{}: both partners told the other does the moving",
            x.position.id
        );
    }
    // On hands and knees the receptive back moves more than the insertive one.
    let q = position(&p, "quadruped");
    assert!(offered(&q.you) && !offered(&q.partner));
}

#[test]
fn both_partners_in_pain_take_the_more_cautious_verdict() {
    let mut r = request(PainType::Flexion, Role::Receptive);
    r.partner = PersonInput::new(PainType::Extension, Role::Insertive);
    let p = plan(&r);
    assert!(notice_ids(&p).contains(&"both-have-pain"));
    // Quadruped suits the receptive flexion-intolerant back, but arches the insertive
    // partner's, which dislikes arching.
    let q = position(&p, "quadruped");
    assert_eq!(q.you.verdict, Verdict::Recommended);
    assert_eq!(q.partner.verdict, Verdict::Avoid);
    assert_eq!(q.verdict, Verdict::Avoid);
    assert!(
        q.reasons()
            .next()
            .is_some_and(|r| r.starts_with("For your partner"))
    );
}

#[test]
fn modifications_are_offered_for_the_back_they_help() {
    let p = plan(&request(PainType::Extension, Role::Insertive));
    let q = position(&p, "quadruped");
    assert_eq!(q.verdict, Verdict::Avoid);
    assert_eq!(q.with_modifications, Verdict::Caution);
    let ids: Vec<&str> = q
        .modifications()
        .map(|m| m.modification.id.as_str())
        .collect();
    assert!(
        ids.contains(&"hinge-hips") && ids.contains(&"brace-neutral"),
        "{ids:?}"
    );
    // No modification is offered to a partner without back pain.
    assert!(q.partner.modifications.is_empty());
    // Receptive on top, for the insertive partner lying underneath with a back that dislikes
    // arching: a pillow under the knees flattens it.
    let r = position(&p, "receptive-on-top");
    assert!(
        r.modifications()
            .any(|m| m.modification.id == "pillow-under-knees")
    );
}

#[test]
fn urgent_and_emergency_symptoms_withhold_every_position_and_tip() {
    for (symptom, level) in [
        ("saddle-numbness", Level::Emergency),
        ("fever", Level::Urgent),
        ("sudden-severe-headache", Level::Emergency),
    ] {
        let mut r = request(PainType::Flexion, Role::Receptive);
        r.symptoms = vec![symptom.to_owned()];
        let p = plan(&r);
        assert_eq!(p.triage.level, level, "{symptom}");
        assert!(p.positions.is_empty(), "{symptom}: no positions");
        assert!(p.tips.all().next().is_none(), "{symptom}: no tips");
        assert_eq!(notice_ids(&p), ["advice-withheld"]);
    }
    let mut r = request(PainType::Flexion, Role::Receptive);
    r.symptoms = vec!["bleeding-after-sex".to_owned()];
    let p = plan(&r);
    assert_eq!(p.triage.level, Level::Soon);
    assert!(!p.positions.is_empty());
    assert_eq!(notice_ids(&p).first(), Some(&"see-doctor-soon"));
}

#[test]
fn the_study_caveats_go_wherever_positions_are_shown() {
    let p = plan(&request(PainType::Motion, Role::Receptive));
    let ids = notice_ids(&p);
    assert!(ids.contains(&"study-caveat"));
    assert!(
        ids.contains(&"motion-inference"),
        "the motion advice is an inference"
    );
    assert!(
        !notice_ids(&plan(&request(PainType::Flexion, Role::Receptive)))
            .contains(&"motion-inference")
    );
}

#[test]
fn bad_requests_name_what_is_wrong() {
    let mut r = request(PainType::Flexion, Role::Receptive);
    r.partner.role = Role::Receptive.into();
    assert_eq!(
        recommend(knowledge(), &r).err(),
        Some(RequestError::SameRole(Role::Receptive))
    );

    let mut r = request(PainType::Flexion, Role::Receptive);
    r.you.conditions = vec!["gout".to_owned()];
    let err = recommend(knowledge(), &r)
        .expect_err("unknown condition")
        .to_string();
    assert!(
        err.contains("'gout'") && err.contains("disc-problem"),
        "{err}"
    );

    let mut r = request(PainType::Flexion, Role::Receptive);
    r.symptoms = vec!["hiccups".to_owned()];
    let err = recommend(knowledge(), &r)
        .expect_err("unknown symptom")
        .to_string();
    assert!(err.contains("'hiccups'") && err.contains("fever"), "{err}");
}

#[test]
fn tips_for_the_pain_type_are_added_where_they_apply() {
    let p = plan(&request(PainType::Flexion, Role::Receptive));
    let stretch = p
        .tips
        .all()
        .find(|t| t.tip.id == "stretch")
        .expect("stretch tip");
    assert!(stretch.text().contains("knees to the chest"));
    assert!(!stretch.text().contains("back bends"));
    let none = plan(&request(PainType::None, Role::Receptive));
    assert_eq!(
        tip_ids(&none),
        ["talk-to-partner"],
        "with no back pain, only the talk"
    );
    assert!(notice_ids(&none).contains(&"no-back-pain"));
}

// --- Couples who switch ----------------------------------------------------------------------

fn switching(you: PainType, partner: PainType) -> PlanRequest {
    let mut r = PlanRequest::new(PersonInput::new(you, RoleChoice::Switch));
    r.partner = PersonInput::new(partner, RoleChoice::Switch);
    r
}

#[test]
fn a_couple_that_switches_gets_each_position_judged_both_ways_round() {
    let s = plan(&switching(PainType::Flexion, PainType::None));
    assert!(s.switching);
    assert!(notice_ids(&s).contains(&"switch-roles"));
    // Missionary rounds a receptive back (avoid) but barely an insertive one: taking turns,
    // the flexion-intolerant back keeps the more cautious verdict.
    let m = position(&s, "missionary");
    assert_eq!(m.you.verdict, Verdict::Avoid);
    assert_eq!(m.you.role, Role::Receptive);
    assert!(
        m.reasons().any(|r| r.contains("as the receptive partner")),
        "the reason names the role"
    );
    // Spooning rounds an insertive back: avoid too.
    assert_eq!(verdict(&s, "spooning"), Verdict::Avoid);
    // Kneeling from behind suits a flexion-intolerant back in either role.
    assert_eq!(verdict(&s, "quadruped"), Verdict::Recommended);
}

#[test]
fn switch_is_accepted_for_two_partners_and_a_real_contradiction_names_it() {
    let r = switching(PainType::Extension, PainType::Motion);
    assert!(recommend(knowledge(), &r).is_ok());
    let mut r = request(PainType::Flexion, Role::Insertive);
    r.partner.role = RoleChoice::Switch;
    assert!(recommend(knowledge(), &r).expect("a plan").switching);
    let mut r = request(PainType::Flexion, Role::Insertive);
    r.partner.role = RoleChoice::Insertive;
    let err = recommend(knowledge(), &r)
        .expect_err("both always insertive")
        .to_string();
    assert!(err.contains("'switch'"), "{err}");
}

// --- The studies' evidence, stated exactly --------------------------------------------------------

#[test]
fn within_a_verdict_positions_follow_the_order_the_studies_ranked_them() {
    // Flexion-intolerant insertive partner: the men's study ranked quadruped first, missionary
    // on the hands second, missionary on the elbows fourth.
    let p = plan(&request(PainType::Flexion, Role::Insertive));
    let order: Vec<&str> = p
        .positions
        .iter()
        .filter(|x| x.verdict == Verdict::Recommended)
        .map(|x| x.position.id.as_str())
        .collect();
    let at = |id: &str| order.iter().position(|x| *x == id).expect(id);
    assert!(at("quadruped") < at("missionary"), "{order:?}");
    assert!(at("missionary") < at("missionary-elbows"), "{order:?}");
    // Reasoned positions come after the measured ones.
    assert!(
        at("missionary-elbows") < at("receptive-on-top"),
        "{order:?}"
    );
    // Receptive: quadruped on the hands first, spooning second.
    let p = plan(&request(PainType::Flexion, Role::Receptive));
    let order: Vec<&str> = p.positions.iter().map(|x| x.position.id.as_str()).collect();
    let at = |id: &str| order.iter().position(|x| *x == id).expect(id);
    assert!(at("quadruped") < at("spooning"), "{order:?}");
    assert!(at("missionary") < at("missionary-knees-up"), "{order:?}");
}

#[test]
fn where_the_seed_table_and_a_study_disagree_the_position_says_so() {
    let p = plan(&request(PainType::Flexion, Role::Insertive));
    let elbows = position(&p, "missionary-elbows");
    assert_eq!(
        elbows.verdict,
        Verdict::Recommended,
        "the seed's verdict stays"
    );
    assert!(
        elbows.reasons().any(|r| r.contains("fourth of five")),
        "{:?}",
        elbows.reasons().collect::<Vec<_>>()
    );
    assert!(elbows.reasons().any(|r| r.contains("seed article")));
    // A measured position names its place; a reasoned one has none to name.
    let quad = position(&p, "quadruped");
    assert!(quad.reasons().any(|r| r.contains("came first of five")));
    let top = position(&p, "receptive-on-top");
    assert!(!top.reasons().any(|r| r.contains("motion-capture study")));
}

#[test]
fn the_study_caveat_says_the_same_couples_were_filmed_for_both_papers() {
    let caveat = knowledge().notice("study-caveat").expect("the caveat");
    assert!(
        caveat
            .text
            .contains("one small group of 10 healthy couples")
    );
    assert!(caveat.text.contains("reasoned"));
}
