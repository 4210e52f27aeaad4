//! The self-assessment on answer sets with known answers: clear patterns are named with high
//! confidence, weak or contradictory answers come out `unclear`, red flags stop it, and bad
//! answers are refused with the value named.

use std::collections::BTreeMap;

use spinewise_domain::Knowledge;
use spinewise_domain::assessment::{AnswerError, Answers, ConfidenceLabel, Unclear, assess};
use spinewise_domain::vocab::{Level, PainType};

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base is valid")
}

/// Every item answered "no evidence either way", then the given answers on top.
fn answers(given: &[(&str, &str)]) -> Answers {
    let mut answers: BTreeMap<String, String> = knowledge()
        .questionnaire
        .items
        .iter()
        .map(|i| {
            let neutral = i.neutral_option().expect("every item has a neutral answer");
            (i.id.clone(), neutral.id.clone())
        })
        .collect();
    for (item, option) in given {
        answers.insert((*item).to_owned(), (*option).to_owned());
    }
    Answers {
        red_flags: Vec::new(),
        answers,
    }
}

const FLEXION: &[(&str, &str)] = &[
    ("sitting", "worse"),
    ("bending", "worse"),
    ("standing", "better"),
    ("walking", "better"),
    ("lying-face-down", "better"),
    ("time-of-day", "morning"),
    ("relief", "stand-or-walk"),
];

const EXTENSION: &[(&str, &str)] = &[
    ("sitting", "better"),
    ("standing", "worse"),
    ("walking", "worse-legs"),
    ("arching", "worse"),
    ("lying-face-down", "worse"),
    ("relief", "sit-or-curl"),
];

const MOTION: &[(&str, &str)] = &[
    ("any-direction", "yes"),
    ("twisting", "worse"),
    ("relief", "keep-still"),
    ("bending", "worse"),
    ("arching", "worse"),
];

#[test]
fn clear_patterns_are_named_with_high_confidence_and_their_reasons() {
    for (given, expected, finding) in [
        (
            FLEXION,
            PainType::Flexion,
            "sitting for a while makes it worse",
        ),
        (
            EXTENSION,
            PainType::Extension,
            "standing for a long time brings it on",
        ),
        (
            MOTION,
            PainType::Motion,
            "almost any movement of your back brings it on",
        ),
    ] {
        let a = assess(knowledge(), &answers(given)).expect("scored");
        let r = a.result.expect("a result");
        assert_eq!(r.pain_type, expected);
        assert_eq!(
            r.confidence_label,
            ConfidenceLabel::High,
            "{expected}: {}",
            r.confidence
        );
        assert!(r.why.contains(&finding), "{expected}: {:?}", r.why);
        assert_eq!(r.unclear, None);
    }
}

#[test]
fn fewer_supporting_answers_give_less_confidence() {
    let full = assess(knowledge(), &answers(FLEXION))
        .expect("scored")
        .result
        .expect("a result");
    let some = assess(knowledge(), &answers(&FLEXION[..3]))
        .expect("scored")
        .result
        .expect("a result");
    assert_eq!(some.pain_type, PainType::Flexion);
    assert!(some.confidence < full.confidence);
}

#[test]
fn answers_that_say_nothing_are_unclear_because_weak() {
    let r = assess(knowledge(), &answers(&[]))
        .expect("scored")
        .result
        .expect("a result");
    assert_eq!(r.pain_type, PainType::Unclear);
    assert_eq!(r.unclear, Some(Unclear::Weak));
    assert_eq!(r.confidence_label, ConfidenceLabel::Low);
}

#[test]
fn answers_that_point_both_ways_are_unclear_because_mixed() {
    let r = assess(
        knowledge(),
        &answers(&[
            ("sitting", "worse"),
            ("bending", "worse"),
            ("standing", "worse"),
            ("walking", "worse"),
            ("arching", "worse"),
        ]),
    )
    .expect("scored")
    .result
    .expect("a result");
    assert_eq!(r.pain_type, PainType::Unclear);
    assert!(
        matches!(r.unclear, Some(Unclear::Mixed(..))),
        "{:?}",
        r.unclear
    );
    assert!(!r.why.is_empty(), "the findings of both patterns are shown");
}

#[test]
fn contradicting_answers_are_listed_against_the_result() {
    let mut given = FLEXION.to_vec();
    given.push(("arching", "worse"));
    let r = assess(knowledge(), &answers(&given))
        .expect("scored")
        .result
        .expect("a result");
    assert_eq!(r.pain_type, PainType::Flexion);
    assert!(
        r.against
            .contains(&"leaning back or reaching up brings it on"),
        "{:?}",
        r.against
    );
}

#[test]
fn red_flags_come_first_and_stop_the_assessment_when_urgent() {
    let mut a = answers(FLEXION);
    a.red_flags = vec!["bladder-bowel-change".to_owned()];
    let result = assess(knowledge(), &a).expect("checked");
    assert_eq!(result.triage.level, Level::Emergency);
    assert!(result.result.is_none(), "no pain type before the emergency");

    // The questions stop at the red flags: the rest may be unanswered.
    let early = Answers {
        red_flags: vec!["fever".to_owned()],
        answers: BTreeMap::new(),
    };
    let result = assess(knowledge(), &early).expect("checked");
    assert_eq!(result.triage.level, Level::Urgent);
    assert!(result.result.is_none());

    // A red flag to mention soon does not stop it.
    let mut soon = answers(FLEXION);
    soon.red_flags = vec!["night-pain".to_owned()];
    let result = assess(knowledge(), &soon).expect("checked");
    assert_eq!(result.triage.level, Level::Soon);
    assert_eq!(result.result.map(|r| r.pain_type), Some(PainType::Flexion));
}

#[test]
fn bad_answers_are_refused_with_the_value_named() {
    let mut a = answers(&[]);
    a.answers
        .insert("sitting".to_owned(), "sometimes".to_owned());
    match assess(knowledge(), &a) {
        Err(e @ AnswerError::UnknownOption { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains("'sometimes'") && msg.contains("worse, better"),
                "{msg}"
            );
        }
        other => panic!("expected an unknown answer, got {other:?}"),
    }

    let mut a = answers(&[]);
    a.answers.insert("coughing".to_owned(), "worse".to_owned());
    let msg = assess(knowledge(), &a)
        .expect_err("unknown question")
        .to_string();
    assert!(
        msg.contains("'coughing'") && msg.contains("sitting"),
        "{msg}"
    );

    let mut a = answers(&[]);
    a.answers.remove("twisting");
    a.answers.remove("relief");
    assert_eq!(
        assess(knowledge(), &a).err(),
        Some(AnswerError::Missing(vec![
            "twisting".to_owned(),
            "relief".to_owned()
        ]))
    );

    let mut a = answers(&[]);
    a.red_flags = vec!["hiccups".to_owned()];
    let msg = assess(knowledge(), &a)
        .expect_err("unknown symptom")
        .to_string();
    assert!(msg.contains("'hiccups'"), "{msg}");

    // Even when a red flag stops the questions, an unknown answer is still bad input.
    let early = Answers {
        red_flags: vec!["fever".to_owned()],
        answers: BTreeMap::from([("sitting".to_owned(), "sometimes".to_owned())]),
    };
    assert!(assess(knowledge(), &early).is_err());
}
