//! The JSON shapes' tests: a demo journal's insights and plan, an empty journal, what a
//! partial profile assumes, and the evidence in short lines.

use spinewise_domain::Knowledge;
use spinewise_domain::journal::demo::{demo_journal, demo_profile};
use spinewise_domain::journal::insights::insights;
use spinewise_domain::journal::personal::personalise;
use spinewise_domain::journal::{Journal, LocalDate};
use spinewise_domain::recommend::{self, PlanRequest};
use spinewise_domain::vocab::{PainType, RoleChoice};
use spinewise_store::ProfileRecord;
use time::macros::date;

use super::{InsightsDto, Person, PersonalPlanDto, plan_request};
use crate::error::AppError;
use crate::requests::RecommendRequest;

const TODAY: LocalDate = LocalDate(date!(2026 - 06 - 15));

fn demo() -> (&'static Knowledge, Journal) {
    let k = Knowledge::bundled().expect("the bundled knowledge loads");
    let journal = Journal::new(demo_journal(k, TODAY, 365, 7));
    (k, journal)
}

/// Every number in a JSON value, with its path.
fn numbers(v: &serde_json::Value, path: &str, out: &mut Vec<(String, f64)>) {
    match v {
        serde_json::Value::Number(n) => out.push((path.to_owned(), n.as_f64().unwrap_or(0.0))),
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                numbers(x, &format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(o) => {
            for (key, x) in o {
                numbers(x, &format!("{path}.{key}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn a_demo_journal_has_claims_and_well_formed_json() {
    let (k, journal) = demo();
    let person = Person::from_saved(
        Some(demo_profile().pain_type),
        Some(demo_profile().role),
        vec![],
    );
    let found = insights(k, &journal, &person.input, TODAY).expect("insights");
    let dto = InsightsDto::new(k, &found).for_person(&person);
    assert!(!dto.claims.is_empty(), "the demo journal shows something");
    assert_eq!(dto.claims.len(), found.claims().count());
    assert!(!dto.profile_assumed);
    assert_eq!(dto.profile_note, None);

    let json = serde_json::to_value(&dto).expect("serialises");
    assert_eq!(json["today"], "2026-06-15");
    assert_eq!(json["person"]["pain_type"], "flexion");
    for claim in json["claims"].as_array().expect("claims") {
        assert_eq!(claim["status"], "claim");
        assert!(
            claim["direction"] == "less-pain" || claim["direction"] == "more-pain",
            "{claim}"
        );
        assert!(claim["needed"].is_null());
    }
    let all: Vec<&serde_json::Value> = ["positions", "preparation", "time_of_day", "daily"]
        .iter()
        .flat_map(|g| json[*g].as_array().expect("a group").iter())
        .chain(["frequency", "exercise", "peg"].iter().map(|g| &json[*g]))
        .collect();
    for i in &all {
        let status = i["status"].as_str().expect("status");
        assert!(
            ["claim", "not-enough-data", "no-clear-difference"].contains(&status),
            "{status}"
        );
        assert_eq!(i["needed"].is_null(), status != "not-enough-data", "{i}");
        assert_eq!(i["direction"].is_null(), status != "claim", "{i}");
        assert!(!i["about"]["text"].as_str().unwrap_or_default().is_empty());
    }
    let types: Vec<&str> = all
        .iter()
        .map(|i| i["evidence"]["type"].as_str().expect("evidence type"))
        .collect();
    for t in ["tolerance", "difference", "correlation", "peg"] {
        assert!(types.contains(&t), "{t} in {types:?}");
    }
    assert!(json["positions"][0]["evidence"]["interval"]["level"] == 0.9);
    assert!(json["references"].as_array().is_some_and(|r| !r.is_empty()));

    let mut nums = Vec::new();
    numbers(&json, "", &mut nums);
    for (path, x) in nums {
        let scaled = x * 10_000.0;
        assert!(
            (scaled - scaled.round()).abs() < 1e-6,
            "{path} = {x} is not rounded"
        );
        if !path.ends_with(".level") {
            let scaled = x * 1000.0;
            assert!(
                (scaled - scaled.round()).abs() < 1e-6,
                "{path} = {x} has more than 3 decimals"
            );
        }
    }
    // The same journal gives the same bytes.
    let again = InsightsDto::new(k, &found).for_person(&person);
    assert_eq!(
        serde_json::to_string(&dto).ok(),
        serde_json::to_string(&again).ok()
    );
}

#[test]
fn an_empty_journal_needs_more_data_everywhere() {
    let k = Knowledge::bundled().expect("knowledge");
    let person = Person::from_saved(None, None, vec![]);
    let found = insights(k, &Journal::default(), &person.input, TODAY).expect("insights");
    let dto = InsightsDto::new(k, &found).for_person(&person);
    assert!(dto.claims.is_empty());
    assert!(dto.positions.is_empty());
    assert!(!dto.compares_anything());
    assert_eq!(dto.level_words(), "95%");
    assert!(dto.profile_assumed);
    let note = dto.profile_note.as_deref().unwrap_or_default();
    assert!(
        note.contains("'unclear'") && note.contains("'receptive'"),
        "{note}"
    );
    assert_eq!(dto.person.as_ref().map(|p| p.pain_type), Some("unclear"));
    let next = dto.to_log_next(3);
    assert_eq!(next.len(), 3);
    let json = serde_json::to_value(&dto).expect("serialises");
    assert_eq!(json["frequency"]["status"], "not-enough-data");
    assert_eq!(json["frequency"]["needed"]["unit"], "weeks");
    assert_eq!(json["peg"]["needed"]["unit"], "answers");
    assert!(json["exercise"]["evidence"]["with"]["mean"].is_null());
    assert_eq!(json["flares"], serde_json::json!([]));
}

#[test]
fn a_partial_profile_names_what_was_assumed() {
    let p = Person::from_saved(Some(PainType::Flexion), None, vec![]);
    assert_eq!(p.assumed, ["role"]);
    let note = p.note().unwrap_or_default();
    assert!(
        note.starts_with("No saved profile gives your role,"),
        "{note}"
    );
    assert!(!note.contains("unclear"));
    assert_eq!(p.input.role, RoleChoice::Receptive);
}

#[test]
fn a_plan_needs_a_saved_pain_type_and_role() {
    let k = Knowledge::bundled().expect("knowledge");
    let fields = |r: Result<RecommendRequest, AppError>| match r {
        Err(AppError::Conflict { detail, errors }) => {
            assert!(detail.starts_with("save a profile first: "), "{detail}");
            errors.into_iter().map(|e| e.field).collect::<Vec<_>>()
        }
        other => panic!("not a conflict: {other:?}"),
    };
    assert_eq!(fields(plan_request(None)), ["pain_type", "role"]);
    let mut saved = ProfileRecord {
        pain_type: Some(PainType::Flexion),
        ..ProfileRecord::default()
    };
    assert_eq!(fields(plan_request(Some(&saved))), ["role"]);
    saved.role = Some(RoleChoice::Insertive);
    saved.conditions = vec!["disc-problem".to_owned()];
    let request = plan_request(Some(&saved))
        .expect("a full profile")
        .validate(k)
        .expect("valid");
    assert_eq!(request.you.role, RoleChoice::Insertive);
    assert_eq!(request.you.conditions, ["disc-problem"]);
    assert_eq!(request.partner.role, RoleChoice::Receptive);
    assert_eq!(request.partner.pain_type, PainType::None);
    assert_eq!(Person::from_profile(Some(&saved)).input, request.you);
    assert!(Person::from_profile(None).is_assumed());
}

#[test]
fn the_personal_plan_keeps_verdicts_and_ranks_from_one() {
    let (k, journal) = demo();
    let you = demo_profile();
    let found = insights(k, &journal, &you, TODAY).expect("insights");
    let plan = recommend::recommend(k, &PlanRequest::new(you)).expect("plan");
    let personal = personalise(&plan, &found);
    let dto = PersonalPlanDto::new(k, &personal);
    assert!(!dto.withholds_advice);
    assert_eq!(dto.triage.level, "none");
    assert_eq!(dto.positions.len(), plan.positions.len());
    assert_eq!(dto.positions[0].rank, 1);
    let mut model: Vec<usize> = dto.positions.iter().map(|p| p.model_rank).collect();
    model.sort_unstable();
    assert_eq!(model, (1..=plan.positions.len()).collect::<Vec<_>>());
    for p in &dto.positions {
        let judged = plan
            .positions
            .iter()
            .find(|q| q.position.id == p.id)
            .expect("the same positions");
        assert_eq!(p.verdict, judged.verdict.as_str());
        assert!(["promoted", "unchanged", "demoted"].contains(&p.change));
        assert_eq!(p.note.is_some(), p.tolerance.is_some());
    }
    assert!(dto.positions.iter().any(|p| p.tolerance.is_some()));
    let json = serde_json::to_value(&dto).expect("serialises");
    assert!(json["positions"][0]["tier"].is_string());
}

#[test]
fn evidence_summaries_are_short_lines() {
    let (k, journal) = demo();
    let person = Person::from_saved(Some(PainType::Flexion), Some(RoleChoice::Receptive), vec![]);
    let found = insights(k, &journal, &person.input, TODAY).expect("insights");
    let dto = InsightsDto::new(k, &found);
    for i in dto.all() {
        let s = i.evidence_summary();
        assert!(!s.is_empty() && !s.contains("NaN"), "{s}");
    }
    let tolerance = dto.positions[0].evidence_summary();
    let exercise = dto.exercise.evidence_summary();
    assert!(exercise.starts_with("With: "), "{exercise}");
    assert!(
        exercise.contains(" days, mean pain the next day "),
        "{exercise}"
    );
    let bath = dto.preparation[0].evidence_summary();
    assert!(bath.contains(" logs, mean rise "), "{bath}");
    assert!(
        tolerance.starts_with("A rise of 2 points or more after "),
        "{tolerance}"
    );
    assert!(tolerance.contains(" (90%: "), "{tolerance}");
}

#[test]
fn a_clear_finding_has_a_plain_headline_and_nothing_else_does() {
    let (k, journal) = demo();
    let person = Person::from_saved(
        Some(demo_profile().pain_type),
        Some(demo_profile().role),
        vec![],
    );
    let found = insights(k, &journal, &person.input, TODAY).expect("insights");
    let dto = InsightsDto::new(k, &found).for_person(&person);
    for i in dto.all() {
        match i.headline() {
            Some(h) => {
                assert!(i.is_claim(), "{}: {h}", i.kind);
                let words: &[&str] = if i.direction == Some("less-pain") {
                    &["lower pain", "better"]
                } else {
                    &["higher pain", "more often", "worse"]
                };
                let pain = words.iter().any(|w| h.contains(w));
                assert!(pain, "{}: '{h}' says which way", i.kind);
                assert!(!h.contains(" r ") && !h.contains('%'), "no statistics: {h}");
            }
            None => assert!(!i.is_claim(), "{} is a claim without a headline", i.kind),
        }
    }
    assert!(dto.claims.iter().all(|c| c.headline().is_some()));
}

#[test]
fn a_demo_journals_clinical_summary_has_every_part_with_rounded_numbers() {
    let (k, journal) = demo();
    let conditions = ["disc-problem"];
    let found =
        spinewise_domain::journal::summary::clinical_summary(k, &journal, &conditions, TODAY)
            .expect("a summary");
    let json = serde_json::to_value(super::ClinicalSummaryDto::new(k, &found)).expect("json");
    assert_eq!(json["today"], "2026-06-15");
    // The demo journal holds no self-assessment, so no pain type is read from it.
    assert!(json["pain_type"].is_null(), "{}", json["pain_type"]);
    assert!(json["peg"]["answers"].as_u64().unwrap_or(0) >= 4);
    assert!(json["peg"]["first"]["date"].is_string());
    assert!(json["peg"]["latest"]["score"].is_number());
    assert_eq!(json["peg"]["threshold"], 0.3);
    assert_eq!(json["exercise"]["weeks"].as_array().map(Vec::len), Some(8));
    assert!(json["flares"].is_array());
    assert!(json["red_flags"].is_array());
    assert_eq!(json["conditions"][0]["id"], "disc-problem");
    assert!(
        json["conditions"][0]["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );
    let mut all = Vec::new();
    numbers(&json, "", &mut all);
    for (path, x) in all {
        assert!(
            ((x * 1000.0).round() / 1000.0 - x).abs() < 1e-9,
            "{path} = {x} is not rounded"
        );
    }
}
