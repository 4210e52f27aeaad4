//! The one safety policy, rule by rule: the journal's red-flag windows, the pain type's
//! precedence, each condition's effect on positions, exercises and advice, flare-up advice
//! drawn from the triage, and replacements addressed to whoever has the condition. Each test
//! is named in docs/safety.md beside the rule it proves.

use spinewise_domain::Knowledge;
use spinewise_domain::assessment::Answers;
use spinewise_domain::journal::{
    AssessmentRecord, Entry, EntryId, Intimacy, Journal, LocalDate, LocalDateTime,
};
use spinewise_domain::program::{
    ChangeKind, HoldReason, Program, ProgramInput, WeeklyProgram, weekly_program,
};
use spinewise_domain::recommend::{PersonInput, PlanRequest, recommend};
use spinewise_domain::safety::{
    self, Circumstances, ExerciseDecision, Given, PainTypeSource, Person, REFERRAL, Reported,
    Saved, Whose,
};
use spinewise_domain::vocab::{Level, PainScore, PainType, Restriction, Role, Verdict};

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base is valid")
}

fn at(s: &str) -> LocalDateTime {
    s.parse().expect("a date and time")
}

fn day(s: &str) -> LocalDate {
    s.parse().expect("a date")
}

fn log(id: &str, when: &str, symptoms: &[&str]) -> Entry {
    Entry::Intimacy(Intimacy {
        id: id.parse::<EntryId>().expect("an id"),
        at: at(when),
        positions: vec!["spooning".to_owned()],
        preparation: Vec::new(),
        pain_before: PainScore::new(2).expect("a score"),
        pain_during: None,
        pain_after: PainScore::new(2).expect("a score"),
        next_day_pain: None,
        stopped_early: false,
        symptoms: symptoms.iter().map(|s| (*s).to_owned()).collect(),
        note: None,
    })
}

fn assessment(id: &str, when: &str, red_flags: &[&str], pain_type: Option<PainType>) -> Entry {
    let k = knowledge();
    let level = safety::red_flags(k, red_flags, &[], &[])
        .expect("known symptoms")
        .level();
    Entry::Assessment(AssessmentRecord {
        id: id.parse::<EntryId>().expect("an id"),
        at: at(when),
        answers: Answers {
            red_flags: red_flags.iter().map(|s| (*s).to_owned()).collect(),
            answers: Default::default(),
        },
        pain_type,
        red_flag_level: level,
    })
}

fn level_of(journal: &Journal, today: &str) -> Level {
    let k = knowledge();
    let noted = safety::journal_red_flags(k, journal, day(today));
    safety::red_flags(k, &[] as &[&str], &noted, &[])
        .expect("known symptoms")
        .level()
}

fn person<'k>(pain_type: PainType, conditions: &[&str], weeks: Option<u8>) -> Person<'k> {
    Person::new(
        knowledge(),
        pain_type,
        Role::Receptive,
        None,
        conditions,
        weeks,
    )
    .expect("known conditions")
}

fn program_for(pain_type: PainType, conditions: &[&str], weeks: Option<u8>) -> Program<'static> {
    let journal = Journal::default();
    let mut input = ProgramInput::new(pain_type, day("2026-03-04"), &journal);
    input.person = person(pain_type, conditions, weeks);
    weekly_program(knowledge(), &input)
}

fn ready(p: Program<'_>) -> WeeklyProgram<'_> {
    match p {
        Program::Ready(w) => w,
        Program::Withheld { message, .. } => panic!("withheld: {message}"),
    }
}

/// Every exercise prescribed on some day, with what it stands in for.
fn prescribed(w: &WeeklyProgram<'_>) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for item in w.days.iter().flat_map(|d| &d.items) {
        let entry = (
            item.exercise.id.clone(),
            item.instead_of.map(|e| e.id.clone()),
        );
        if !out.contains(&entry) {
            out.push(entry);
        }
    }
    out
}

fn ids(w: &WeeklyProgram<'_>) -> Vec<String> {
    prescribed(w).into_iter().map(|(id, _)| id).collect()
}

// --- Red flags in the journal ----------------------------------------------------------------

#[test]
fn logged_red_flags_count_for_a_week_and_from_tomorrow_too() {
    let fever = |when: &str| Journal::new(vec![log("a", when, &["fever"])]);
    // Stamped by a clock a day ahead of the person's evening.
    assert_eq!(
        level_of(&fever("2025-03-11T01:00"), "2025-03-10"),
        Level::Urgent
    );
    assert_eq!(
        level_of(&fever("2025-03-10T08:00"), "2025-03-10"),
        Level::Urgent
    );
    assert_eq!(
        level_of(&fever("2025-03-03T08:00"), "2025-03-10"),
        Level::Urgent
    );
    assert_eq!(
        level_of(&fever("2025-03-02T08:00"), "2025-03-10"),
        Level::None
    );
    let clean = Journal::new(vec![log("b", "2025-03-10T08:00", &[])]);
    assert_eq!(level_of(&clean, "2025-03-10"), Level::None);
}

#[test]
fn the_latest_assessment_counts_for_a_month_and_a_newer_clean_one_replaces_it() {
    let flagged =
        |when: &str| Journal::new(vec![assessment("a", when, &["saddle-numbness"], None)]);
    assert_eq!(
        level_of(&flagged("2025-02-08T09:00"), "2025-03-10"),
        Level::Emergency
    );
    assert_eq!(
        level_of(&flagged("2025-02-07T09:00"), "2025-03-10"),
        Level::None
    );
    let cleared = Journal::new(vec![
        assessment("a", "2025-03-01T09:00", &["saddle-numbness"], None),
        assessment("b", "2025-03-05T09:00", &[], None),
    ]);
    assert_eq!(level_of(&cleared, "2025-03-10"), Level::None);
}

#[test]
fn journal_red_flags_are_judged_with_the_conditions_and_say_where_they_came_from() {
    // Bleeding after sex, logged three days ago, in a pregnancy: urgent, as if reported now.
    let k = knowledge();
    let journal = Journal::new(vec![log("a", "2025-03-07T22:00", &["bleeding-after-sex"])]);
    let noted = safety::journal_red_flags(k, &journal, day("2025-03-10"));
    let pregnant = [k.condition("pregnancy").expect("pregnancy")];
    let flags = safety::red_flags(k, &[] as &[&str], &noted, &pregnant).expect("known");
    assert_eq!(flags.level(), Level::Urgent);
    assert_eq!(
        flags.reported("bleeding-after-sex"),
        Some(Reported::Logged(day("2025-03-07")))
    );
    let without = safety::red_flags(k, &[] as &[&str], &noted, &[]).expect("known");
    assert_eq!(without.level(), Level::Soon);
}

#[test]
fn a_logs_symptoms_are_judged_with_the_red_flags_the_journal_already_holds() {
    // Bleeding after sex logged two days ago, pelvic pain logged now: together they are urgent
    // (the combination is caught across days), and the earlier one says where it was noted.
    let k = knowledge();
    let journal = Journal::new(vec![log("a", "2025-03-08T22:00", &["bleeding-after-sex"])]);
    let about = Circumstances::gather(
        k,
        Given::default(),
        Saved::default(),
        journal,
        day("2025-03-10"),
    )
    .expect("circumstances");
    let flags = about
        .red_flags_with(k, &["pelvic-pain"])
        .expect("known symptoms");
    assert_eq!(flags.level(), Level::Urgent);
    assert_eq!(
        flags.reported("bleeding-after-sex"),
        Some(Reported::Logged(day("2025-03-08")))
    );
    assert_eq!(flags.reported("pelvic-pain"), None);
    // Alone, each is to be seen soon.
    let alone = Circumstances::gather(
        k,
        Given::default(),
        Saved::default(),
        Journal::default(),
        day("2025-03-10"),
    )
    .expect("circumstances")
    .red_flags_with(k, &["pelvic-pain"])
    .expect("known symptoms");
    assert_eq!(alone.level(), Level::Soon);
    // A symptom the knowledge base does not know is refused, by name.
    let err = about
        .red_flags_with(k, &["sneezing"])
        .expect_err("unknown symptom");
    assert!(err.to_string().contains("sneezing"), "{err}");
}

// --- The pain type ---------------------------------------------------------------------------

#[test]
fn the_pain_type_comes_from_what_was_given_then_the_profile_then_the_latest_assessment() {
    let k = knowledge();
    let journal = || {
        Journal::new(vec![assessment(
            "a",
            "2025-03-01T09:00",
            &[],
            Some(PainType::Extension),
        )])
    };
    let gather = |given: Option<PainType>, saved: Option<PainType>, journal: Journal| {
        let c = Circumstances::gather(
            k,
            Given {
                pain_type: given,
                ..Given::default()
            },
            Saved {
                pain_type: saved,
                conditions: Vec::new(),
            },
            journal,
            day("2025-03-10"),
        )
        .expect("circumstances");
        (c.pain_type, c.source)
    };
    assert_eq!(
        gather(Some(PainType::Motion), Some(PainType::Flexion), journal()),
        (PainType::Motion, PainTypeSource::Given)
    );
    assert_eq!(
        gather(None, Some(PainType::Flexion), journal()),
        (PainType::Flexion, PainTypeSource::Profile)
    );
    assert_eq!(
        gather(None, None, journal()),
        (PainType::Extension, PainTypeSource::Assessment)
    );
    assert_eq!(
        gather(None, None, Journal::default()),
        (PainType::Unclear, PainTypeSource::Unknown)
    );
}

#[test]
fn conditions_given_add_to_the_saved_ones_and_unknown_ones_are_refused() {
    let k = knowledge();
    let c = Circumstances::gather(
        k,
        Given {
            conditions: vec!["osteoporosis".to_owned(), "pregnancy".to_owned()],
            ..Given::default()
        },
        Saved {
            pain_type: None,
            conditions: vec!["pregnancy".to_owned(), "disc-problem".to_owned()],
        },
        Journal::default(),
        day("2025-03-10"),
    )
    .expect("circumstances");
    assert_eq!(c.conditions, ["pregnancy", "disc-problem", "osteoporosis"]);
    let err = Circumstances::gather(
        k,
        Given {
            conditions: vec!["gout".to_owned()],
            ..Given::default()
        },
        Saved::default(),
        Journal::default(),
        day("2025-03-10"),
    )
    .expect_err("unknown condition");
    assert!(err.to_string().contains("'gout'") && err.to_string().contains("osteoporosis"));
}

// --- Conditions in the exercise program ------------------------------------------------------

#[test]
fn pregnancy_swaps_exercises_lying_on_the_back_from_week_20_or_when_the_week_is_unknown() {
    for weeks in [None, Some(20), Some(32)] {
        let w = ready(program_for(PainType::Flexion, &["pregnancy"], weeks));
        let got = prescribed(&w);
        assert!(
            got.contains(&("trunk-brace".to_owned(), Some("curl-up".to_owned()))),
            "week {weeks:?}: {got:?}"
        );
        assert!(
            got.contains(&("clamshell".to_owned(), Some("glute-bridge".to_owned()))),
            "week {weeks:?}: {got:?}"
        );
        for item in w.days.iter().flat_map(|d| &d.items) {
            assert_ne!(
                item.exercise.body.support.restriction(),
                Some(Restriction::LyingOnBack),
                "week {weeks:?}: {} is done lying on the back",
                item.exercise.id
            );
            assert_ne!(
                item.exercise.body.support.restriction(),
                Some(Restriction::LyingFaceDown)
            );
        }
        let note = &w.conditions[0];
        assert_eq!(note.condition.id, "pregnancy");
        assert_eq!(note.weeks, weeks);
        assert_eq!(note.changes.len(), 2, "{:?}", note.changes);
        assert!(
            note.changes
                .iter()
                .all(|c| c.change == ChangeKind::Swapped && c.why.contains("20 weeks"))
        );
    }
    // Before week 20 nothing changes, and the box still names the pregnancy.
    let early = ready(program_for(PainType::Flexion, &["pregnancy"], Some(12)));
    let plain = ready(program_for(PainType::Flexion, &[], None));
    assert_eq!(ids(&early), ids(&plain));
    assert!(early.conditions[0].changes.is_empty());
    assert!(early.conditions[0].note.contains("midwife or doctor"));
}

#[test]
fn recent_spine_surgery_holds_the_program_until_the_surgeon_says_when_to_start() {
    match program_for(PainType::Flexion, &["recent-spine-surgery"], None) {
        Program::Withheld {
            because,
            condition,
            message,
            level,
        } => {
            assert_eq!(because, HoldReason::Condition);
            assert_eq!(condition.as_deref(), Some("recent-spine-surgery"));
            assert_eq!(level, Level::None);
            assert!(message.contains("surgeon or physiotherapist"), "{message}");
        }
        Program::Ready(_) => panic!("the program must wait for the surgeon"),
    }
    let json = serde_json::to_value(program_for(PainType::None, &["recent-spine-surgery"], None))
        .expect("JSON");
    assert_eq!(json["kind"], "withheld");
    assert_eq!(json["because"], "condition");
}

#[test]
fn osteoporosis_swaps_the_curl_up_and_keeps_only_the_straight_half_of_the_cat_camel() {
    let k = knowledge();
    let w = ready(program_for(PainType::Flexion, &["osteoporosis"], None));
    let got = prescribed(&w);
    assert!(got.contains(&("trunk-brace".to_owned(), Some("curl-up".to_owned()))));
    assert!(!got.iter().any(|(id, _)| id == "curl-up"));
    let cat = w
        .days
        .iter()
        .flat_map(|d| &d.items)
        .find(|i| i.exercise.id == "cat-camel")
        .expect("the cat-camel stays");
    assert!(
        cat.note
            .as_deref()
            .is_some_and(|n| n.contains("leaving out the rounding")),
        "{:?}",
        cat.note
    );
    assert_eq!(cat.for_condition.as_deref(), Some("osteoporosis"));
    // An extension-intolerant back keeps out of the hollow half too: nothing is left of it.
    let osteo = person(PainType::Extension, &["osteoporosis"], None);
    let cat_camel = k.exercise("cat-camel").expect("cat-camel");
    assert!(matches!(
        safety::exercise_decision(k, cat_camel, &osteo),
        ExerciseDecision::Withheld { .. }
    ));
    let w = ready(program_for(PainType::Extension, &["osteoporosis"], None));
    assert!(!ids(&w).contains(&"cat-camel".to_owned()));
    assert!(
        w.held_back
            .iter()
            .any(|h| h.exercise.id == "cat-camel" && h.why.contains("thin bones"))
    );
}

#[test]
fn a_hip_replacement_changes_no_exercise_of_the_program_and_says_so() {
    let w = ready(program_for(PainType::Flexion, &["hip-replacement"], None));
    let plain = ready(program_for(PainType::Flexion, &[], None));
    assert_eq!(ids(&w), ids(&plain));
    assert!(w.conditions[0].changes.is_empty());
    assert!(w.conditions[0].note.contains("surgeon"));
    // The side-lying clamshell, offered in pregnancy, rests the top thigh across the lower one:
    // with a hip replacement it is done with a pillow between the knees.
    let k = knowledge();
    let clamshell = k.exercise("clamshell").expect("clamshell");
    let hip = person(PainType::Flexion, &["hip-replacement"], None);
    match safety::exercise_decision(k, clamshell, &hip) {
        ExerciseDecision::Adapted { how, because } => {
            assert!(how.contains("pillow between the knees"), "{how}");
            assert_eq!(because.info.id, Restriction::HipAcrossMidline);
        }
        other => panic!("expected the clamshell adapted, got {other:?}"),
    }
    // In pregnancy with a hip replacement, the clamshell is no longer a free alternative to
    // the glute bridge: the bridge is left out rather than swapped for an adapted exercise.
    let both = person(PainType::Flexion, &["pregnancy", "hip-replacement"], None);
    let bridge = k.exercise("glute-bridge").expect("bridge");
    assert!(matches!(
        safety::exercise_decision(k, bridge, &both),
        ExerciseDecision::Withheld { .. }
    ));
}

#[test]
fn an_exercise_that_falls_under_a_hip_restriction_is_swapped_or_left_out() {
    // A copy of the exercises where the glute bridge takes the hip past 90 degrees.
    let k = knowledge();
    let mut bridge = k.exercise("glute-bridge").expect("bridge").clone();
    bridge.body.hip = vec![Restriction::HipPast90];
    bridge.alternatives = vec!["clamshell".to_owned(), "trunk-brace".to_owned()];
    let hip = person(PainType::Flexion, &["hip-replacement"], None);
    match safety::exercise_decision(k, &bridge, &hip) {
        ExerciseDecision::Swapped { with, because } => {
            // The clamshell falls under a hip restriction too: the first free one is taken.
            assert_eq!(with.id, "trunk-brace");
            assert_eq!(because.info.id, Restriction::HipPast90);
            assert_eq!(because.condition.id, "hip-replacement");
        }
        other => panic!("expected a swap, got {other:?}"),
    }
    bridge.alternatives.clear();
    assert!(matches!(
        safety::exercise_decision(k, &bridge, &hip),
        ExerciseDecision::Withheld { .. }
    ));
}

// --- Conditions in the plan ------------------------------------------------------------------

fn plan_verdict(request: &PlanRequest, id: &str) -> Verdict {
    recommend(knowledge(), request)
        .expect("a plan")
        .positions
        .iter()
        .find(|p| p.position.id == id)
        .map(|p| p.verdict)
        .expect("the position")
}

#[test]
fn osteoporosis_avoids_marked_rounding_with_or_without_back_pain() {
    for pain_type in [PainType::None, PainType::Extension] {
        let mut r = PlanRequest::new(PersonInput::new(pain_type, Role::Receptive));
        r.you.conditions = vec!["osteoporosis".to_owned()];
        let plan = recommend(knowledge(), &r).expect("a plan");
        let missionary = plan
            .positions
            .iter()
            .find(|p| p.position.id == "missionary")
            .expect("missionary");
        assert_eq!(missionary.verdict, Verdict::Avoid, "{pain_type}");
        assert!(
            missionary.reasons().any(|x| x.contains("thin bones")),
            "{pain_type} says why"
        );
        // The pillow under the lower back flattens it: with care, then.
        assert_eq!(missionary.with_modifications, Verdict::Caution);
        assert!(
            missionary
                .modifications()
                .any(|m| m.modification.id == "pillow-lower-back")
        );
    }
    let mut r = PlanRequest::new(PersonInput::new(PainType::None, Role::Insertive));
    r.you.conditions = vec!["osteoporosis".to_owned()];
    assert_eq!(plan_verdict(&r, "spooning"), Verdict::Avoid);
    assert_eq!(plan_verdict(&r, "quadruped"), Verdict::Recommended);
}

#[test]
fn a_hip_replacement_flags_deep_hip_bending_for_both_roles_and_the_front_approach_precaution() {
    let hip = |role: Role| {
        let mut r = PlanRequest::new(PersonInput::new(PainType::None, role));
        r.you.conditions = vec!["hip-replacement".to_owned()];
        r
    };
    let receptive = hip(Role::Receptive);
    assert_eq!(plan_verdict(&receptive, "quadruped"), Verdict::Avoid);
    assert_eq!(plan_verdict(&receptive, "receptive-on-top"), Verdict::Avoid);
    assert_eq!(plan_verdict(&receptive, "edge-of-bed"), Verdict::Caution);
    let insertive = hip(Role::Insertive);
    assert_eq!(plan_verdict(&insertive, "spooning"), Verdict::Avoid);
    assert_eq!(plan_verdict(&insertive, "squatting"), Verdict::Avoid);
    let name = &knowledge()
        .condition("hip-replacement")
        .expect("the condition")
        .name;
    assert!(name.contains("precautions still apply"), "{name}");
}

#[test]
fn a_motion_intolerant_back_holding_a_posture_away_from_neutral_gets_at_least_care() {
    let r = PlanRequest::new(PersonInput::new(PainType::Motion, Role::Insertive));
    let plan = recommend(knowledge(), &r).expect("a plan");
    let chair = plan
        .positions
        .iter()
        .find(|p| p.position.id == "seated-chair")
        .expect("seated-chair");
    assert_eq!(chair.verdict, Verdict::Caution);
    assert!(chair.reasons().any(|x| x.contains("away from neutral")));
    // The cushion behind the lower back brings it back to neutral.
    assert_eq!(chair.with_modifications, Verdict::Recommended);
    // Lying supported, the bed holds the curve: missionary stays recommended for a receptive
    // motion-intolerant back, as the seed table says.
    let r = PlanRequest::new(PersonInput::new(PainType::Motion, Role::Receptive));
    assert_eq!(plan_verdict(&r, "missionary"), Verdict::Recommended);
}

// --- Advice ----------------------------------------------------------------------------------

#[test]
fn the_anti_inflammatory_tip_carries_its_own_warning_and_its_replacement_says_whose_condition() {
    let k = knowledge();
    let tip = k.tip("pain-reliever").expect("the tip");
    for words in [
        "pregnancy",
        "stomach ulcer",
        "kidney",
        "liver",
        "heart",
        "asthma",
        "blood thinners",
        "pharmacist",
    ] {
        assert!(tip.text.contains(words), "the tip warns of {words}");
    }
    let mut r = PlanRequest::new(PersonInput::new(PainType::None, Role::Receptive));
    r.partner = PersonInput::new(PainType::Flexion, Role::Insertive);
    r.partner.conditions = vec!["liver-disease".to_owned()];
    let plan = recommend(k, &r).expect("a plan");
    let replacement = plan
        .tips
        .all()
        .find(|t| t.tip.id == "ask-pharmacist")
        .expect("the replacement");
    assert_eq!(replacement.whose, Some(Whose::Partner));
    let text = replacement.text();
    assert!(
        text.contains("a condition your partner mentioned"),
        "{text}"
    );
    assert!(text.contains("Ask your partner's doctor"), "{text}");
    assert!(!text.contains('{'), "{text}");
    r.you = PersonInput::new(PainType::Motion, Role::Receptive);
    r.you.conditions = vec!["heart-disease".to_owned()];
    let both = recommend(k, &r).expect("a plan");
    let text = both
        .tips
        .all()
        .find(|t| t.tip.id == "ask-pharmacist")
        .expect("the replacement")
        .text();
    assert!(text.contains("you and your partner mentioned"), "{text}");
}

#[test]
fn flare_advice_lists_the_triages_own_red_flags_and_gives_way_to_a_referral() {
    let k = knowledge();
    let me = person(PainType::Flexion, &[], None);
    let none = safety::red_flags(k, &[] as &[&str], &[], &[]).expect("none");
    let advice = safety::flare_advice(k, &me, &none);
    let red = advice
        .iter()
        .find(|a| a.id == "red-flags")
        .expect("when to see a doctor");
    for s in k.symptoms.iter().filter(|s| s.screen_in_assessment) {
        let name = s.name.to_lowercase();
        assert!(
            red.text.to_lowercase().contains(&name),
            "the flare advice lists {name}"
        );
    }
    for level in [Level::Emergency, Level::Urgent] {
        let headline = &k.level(level).expect("level").headline;
        assert!(red.text.contains(headline.as_str()), "{headline}");
    }
    let urgent = safety::red_flags(k, &["fever"], &[], &[]).expect("fever");
    let advice = safety::flare_advice(k, &me, &urgent);
    assert_eq!(advice.len(), 1);
    assert_eq!(advice[0].id, REFERRAL);
    assert!(advice[0].text.contains("fever"), "{}", advice[0].text);
}

#[test]
fn every_condition_the_person_has_is_named_in_the_program_in_order() {
    let w = ready(program_for(
        PainType::Flexion,
        &["kidney-disease", "pregnancy"],
        Some(24),
    ));
    let names: Vec<&str> = w
        .conditions
        .iter()
        .map(|c| c.condition.id.as_str())
        .collect();
    assert_eq!(names, ["kidney-disease", "pregnancy"]);
}

#[test]
fn an_unknown_week_of_pregnancy_is_worded_from_the_content_with_its_week() {
    let k = knowledge();
    let pregnancy = k.condition("pregnancy").expect("pregnancy");
    assert_eq!(pregnancy.name_with_week(Some(24)), "Pregnancy (week 24)");
    let unknown = pregnancy.name_with_week(None);
    assert!(unknown.contains("possibly past 20 weeks"), "{unknown}");
    let hint = safety::unknown_week_hint(k).expect("a hint");
    assert!(hint.starts_with("If you leave this blank"), "{hint}");
    assert!(hint.ends_with("20 weeks."), "{hint}");
    // Other conditions are not counted in weeks.
    let kidney = k.condition("kidney-disease").expect("kidney-disease");
    assert_eq!(kidney.name_with_week(Some(24)), kidney.name);
    // The week is a whole number up to the policy's highest.
    assert_eq!(safety::pregnancy_weeks(" 20 "), Ok(20));
    let max = safety::MAX_PREGNANCY_WEEKS;
    assert_eq!(safety::pregnancy_weeks(&max.to_string()), Ok(max));
    for bad in ["-1", "46", "twenty", "20.5", ""] {
        let err = safety::pregnancy_weeks(bad).expect_err(bad);
        assert!(err.to_string().contains(&format!("'{bad}'")), "{err}");
    }
}

#[test]
fn a_notice_a_condition_brings_speaks_of_whoever_has_it() {
    let k = knowledge();
    let mut r = PlanRequest::new(PersonInput::new(PainType::Flexion, Role::Receptive));
    r.partner.conditions = vec!["hip-replacement".to_owned()];
    let plan = recommend(k, &r).expect("a plan");
    let notice = plan
        .notices
        .iter()
        .find(|n| n.notice.id == "hip-precautions")
        .expect("the notice");
    assert_eq!(notice.whose, Some(Whose::Partner));
    assert!(
        notice.text().contains("Ask your partner's surgeon"),
        "{}",
        notice.text()
    );
    r.partner.conditions.clear();
    r.you.conditions = vec!["hip-replacement".to_owned()];
    let plan = recommend(k, &r).expect("a plan");
    let text = plan
        .notices
        .iter()
        .find(|n| n.notice.id == "hip-precautions")
        .expect("the notice")
        .text();
    assert!(text.contains("Ask your surgeon"), "{text}");
    // No placeholder is ever left in a notice.
    for n in &plan.notices {
        assert!(!n.text().contains('{'), "{}", n.text());
    }
}

#[test]
fn the_program_offers_the_coach_exactly_where_the_coach_page_would_follow_it() {
    // For every pain type and each condition (and a few together), an item of the week offers
    // the coach if and only if the coach, asked about the exercise done, follows it.
    let k = knowledge();
    let mut cases: Vec<Vec<&str>> = vec![vec![]];
    cases.extend(k.conditions.iter().map(|c| vec![c.id.as_str()]));
    cases.push(vec!["pregnancy", "hip-replacement"]);
    cases.push(vec!["osteoporosis", "pregnancy"]);
    let mut offered = 0;
    for pain_type in PainType::ALL {
        for conditions in &cases {
            let Program::Ready(week) = program_for(*pain_type, conditions, None) else {
                continue;
            };
            let who = person(*pain_type, conditions, None);
            for item in week.days.iter().flat_map(|d| &d.items) {
                let follows = item.exercise.tracker.is_some()
                    && matches!(
                        safety::coaching(k, item.exercise, &who),
                        safety::Coaching::AsItIs | safety::Coaching::Changed { .. }
                    );
                assert_eq!(
                    item.coach, follows,
                    "{pain_type:?} {conditions:?}: {}",
                    item.exercise.id
                );
                offered += usize::from(item.coach);
            }
        }
    }
    assert!(offered > 0, "the coach is offered somewhere");
}

#[test]
fn the_coach_follows_an_exercise_only_as_the_program_has_it() {
    let k = knowledge();
    let cat = k.exercise("cat-camel").expect("cat-camel");
    // Held back for a motion-intolerant back.
    let motion = person(PainType::Motion, &[], None);
    assert!(matches!(
        safety::coaching(k, cat, &motion),
        safety::Coaching::NotForYou { .. }
    ));
    // With thin bones, only its hollowing half is left, which the coach's count of whole cycles
    // cannot follow.
    let osteo = person(PainType::Flexion, &["osteoporosis"], None);
    match safety::coaching(k, cat, &osteo) {
        safety::Coaching::NotForYou { why, instead } => {
            assert!(why.contains("leaving out the rounding"), "{why}");
            assert!(instead.is_none());
        }
        other => panic!("the coach must not count the rounding: {other:?}"),
    }
    // A flexion-intolerant back does it in its modified form, which the coach follows.
    let flexion = person(PainType::Flexion, &[], None);
    assert!(matches!(
        safety::coaching(k, cat, &flexion),
        safety::Coaching::Changed { .. }
    ));
    // The glute bridge in pregnancy: not for you, the clamshell instead.
    let bridge = k.exercise("glute-bridge").expect("bridge");
    let pregnant = person(PainType::Flexion, &["pregnancy"], Some(24));
    match safety::coaching(k, bridge, &pregnant) {
        safety::Coaching::NotForYou { instead, .. } => {
            assert_eq!(instead.map(|e| e.id.as_str()), Some("clamshell"));
        }
        other => panic!("{other:?}"),
    }
    let early = person(PainType::Flexion, &["pregnancy"], Some(12));
    assert!(matches!(
        safety::coaching(k, bridge, &early),
        safety::Coaching::AsItIs
    ));
}
