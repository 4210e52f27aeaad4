//! Red-flag triage: every required symptom has the level its sources give it, combinations
//! raise the level, and the overall level is the most urgent finding.

use spinewise_domain::Knowledge;
use spinewise_domain::triage::check;
use spinewise_domain::vocab::Level;

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base is valid")
}

fn level(symptoms: &[&str]) -> Level {
    check(knowledge(), symptoms).expect("known symptoms").level
}

#[test]
fn each_symptom_has_its_level() {
    for (symptom, expected) in [
        ("saddle-numbness", Level::Emergency),
        ("bladder-bowel-change", Level::Emergency),
        ("genital-numbness", Level::Emergency),
        ("progressive-leg-weakness", Level::Emergency),
        ("sudden-severe-headache", Level::Emergency),
        ("severe-sudden-pelvic-pain", Level::Emergency),
        ("fever", Level::Urgent),
        ("unexplained-weight-loss", Level::Urgent),
        ("recent-trauma", Level::Urgent),
        ("cancer-history", Level::Soon),
        ("night-pain", Level::Soon),
        ("bleeding-after-sex", Level::Soon),
        ("pelvic-pain", Level::Soon),
        ("pain-during-sex", Level::Soon),
        ("unusual-discharge", Level::Soon),
        ("sciatica-both-legs", Level::Emergency),
        ("chest-pain", Level::Emergency),
        ("testicular-pain", Level::Emergency),
        ("penile-injury", Level::Emergency),
        ("heavy-rectal-bleeding", Level::Emergency),
        ("new-leg-weakness", Level::Urgent),
        ("rectal-bleeding-after-sex", Level::Soon),
    ] {
        assert_eq!(level(&[symptom]), expected, "{symptom}");
    }
    assert_eq!(level(&[]), Level::None);
}

#[test]
fn combinations_raise_the_level_of_their_symptoms() {
    let t = check(knowledge(), &["cancer-history", "night-pain"]).expect("known symptoms");
    assert_eq!(t.level, Level::Urgent);
    for f in &t.findings {
        assert_eq!(f.level, Level::Urgent, "{}", f.symptom.id);
        assert_eq!(
            f.escalated_by.map(|c| c.id.as_str()),
            Some("cancer-with-night-pain")
        );
    }
    // Alone, or with an unrelated symptom, each stays where it was.
    let t = check(knowledge(), &["night-pain", "pelvic-pain"]).expect("known symptoms");
    assert_eq!(t.level, Level::Soon);
    assert!(t.findings.iter().all(|f| f.escalated_by.is_none()));
}

#[test]
fn the_most_urgent_finding_comes_first_and_repeats_count_once() {
    let t = check(
        knowledge(),
        &["night-pain", "saddle-numbness", "night-pain"],
    )
    .expect("known");
    assert_eq!(t.level, Level::Emergency);
    assert_eq!(t.findings.len(), 2);
    assert_eq!(t.findings[0].symptom.id, "saddle-numbness");
}

#[test]
fn every_finding_says_what_to_do_and_cites_a_source() {
    let all: Vec<&str> = knowledge().symptoms.iter().map(|s| s.id.as_str()).collect();
    let t = check(knowledge(), &all).expect("known symptoms");
    for f in &t.findings {
        assert!(!f.advice.trim().is_empty());
        assert!(!f.sources.is_empty());
    }
    for level in Level::ALL {
        assert!(
            knowledge().level(*level).is_some(),
            "{level} has a headline"
        );
    }
}

#[test]
fn an_unknown_symptom_is_named_with_the_known_ones() {
    let msg = check(knowledge(), &["hiccups"])
        .expect_err("unknown")
        .to_string();
    assert!(
        msg.contains("'hiccups'") && msg.contains("saddle-numbness"),
        "{msg}"
    );
}

#[test]
fn pelvic_pain_with_bleeding_after_sex_is_urgent_even_without_a_known_pregnancy() {
    let t = check(knowledge(), &["pelvic-pain", "bleeding-after-sex"]).expect("known");
    assert_eq!(t.level, Level::Urgent);
    assert!(
        t.findings
            .iter()
            .all(|f| f.escalated_by.map(|c| c.id.as_str()) == Some("pelvic-pain-with-bleeding"))
    );
    assert!(t.findings[0].advice.contains("pregnancy"));
    // Each alone stays where it was.
    assert_eq!(level(&["pelvic-pain"]), Level::Soon);
    assert_eq!(level(&["bleeding-after-sex"]), Level::Soon);
}

#[test]
fn both_legs_is_about_new_symptoms_not_the_long_standing_ones_of_known_stenosis() {
    let s = knowledge()
        .symptom("sciatica-both-legs")
        .expect("the symptom");
    assert!(s.name.starts_with("New"), "{}", s.name);
    assert!(s.question.contains("two weeks") && s.question.contains("long-standing"));
    assert!(s.advice.contains("not an emergency on their own"));
}

#[test]
fn sexual_health_wording_covers_every_body() {
    let k = knowledge();
    let vaginal = k.symptom("bleeding-after-sex").expect("bleeding");
    let rectal = k
        .symptom("rectal-bleeding-after-sex")
        .expect("rectal bleeding");
    assert!(vaginal.question.contains("vagina") && vaginal.question.contains("back passage"));
    assert!(rectal.question.contains("back passage"));
    let pelvic = k.symptom("pelvic-pain").expect("pelvic pain");
    assert!(
        pelvic.advice.contains("those who have them"),
        "{}",
        pelvic.advice
    );
    assert!(pelvic.advice.contains("prostate") && pelvic.advice.contains("bladder"));
    // Each sex-specific emergency has its own symptom.
    for id in [
        "testicular-pain",
        "penile-injury",
        "severe-sudden-pelvic-pain",
    ] {
        assert_eq!(level(&[id]), Level::Emergency, "{id}");
    }
}

#[test]
fn every_combination_raises_its_symptoms_to_its_level_and_only_together() {
    let k = knowledge();
    for combo in &k.combinations {
        let symptoms: Vec<&str> = combo.all.iter().map(String::as_str).collect();
        let t = spinewise_domain::triage::check_with_conditions(k, &symptoms, &combo.conditions)
            .expect("known ids");
        assert_eq!(t.level, combo.level, "{}", combo.id);
        assert!(
            t.findings
                .iter()
                .any(|f| f.escalated_by.is_some_and(|c| c.id == combo.id)),
            "{}",
            combo.id
        );
        // Without its conditions, or with a symptom missing, the combination does not apply.
        if !combo.conditions.is_empty() {
            let t = check(k, &symptoms).expect("known");
            assert!(
                t.findings
                    .iter()
                    .all(|f| f.escalated_by.is_none_or(|c| c.id != combo.id)),
                "{} needs its condition",
                combo.id
            );
        }
        if symptoms.len() > 1 {
            let t = spinewise_domain::triage::check_with_conditions(
                k,
                &symptoms[1..],
                &combo.conditions,
            )
            .expect("known");
            assert!(
                t.findings
                    .iter()
                    .all(|f| f.escalated_by.is_none_or(|c| c.id != combo.id)),
                "{} needs all its symptoms",
                combo.id
            );
        }
    }
}

/// Every subset of the symptoms that withhold nothing alone, with or without each symptom that
/// does: advice is withheld exactly when the report holds one of the sets named for it.
#[test]
fn the_sets_that_withhold_advice_are_exactly_the_reports_that_do() {
    let k = knowledge();
    let sets = spinewise_domain::triage::sets_that_withhold_advice(k);
    assert!(sets.iter().any(|s| s == &["saddle-numbness"]));
    assert!(sets.iter().all(|s| level(s).withholds_advice()), "{sets:?}");
    let mild: Vec<&str> = k
        .symptoms
        .iter()
        .filter(|s| !s.level.withholds_advice())
        .map(|s| s.id.as_str())
        .collect();
    // Reports of up to three symptoms from all of them, and every pair with each alone.
    let all: Vec<&str> = k.symptoms.iter().map(|s| s.id.as_str()).collect();
    let mut reports: Vec<Vec<&str>> = Vec::new();
    for (i, a) in all.iter().enumerate() {
        reports.push(vec![a]);
        for (j, b) in all.iter().enumerate().skip(i + 1) {
            reports.push(vec![a, b]);
            for c in mild.iter().skip(j + 1) {
                reports.push(vec![a, b, c]);
            }
        }
    }
    for report in &reports {
        let named = sets.iter().any(|s| s.iter().all(|id| report.contains(id)));
        assert_eq!(
            level(report).withholds_advice(),
            named,
            "{report:?} against {sets:?}"
        );
    }
}
