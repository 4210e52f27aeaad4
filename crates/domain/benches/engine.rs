//! How long the engine takes: scoring a self-assessment, a full couple recommendation, a
//! red-flag check and an FAQ search, against parsing the whole knowledge base (done once per
//! process) as a yardstick. `cargo bench -p spinewise-domain`; figures in BENCHMARKS.md.

use std::collections::BTreeMap;

use divan::{Bencher, black_box};
use spinewise_domain::Knowledge;
use spinewise_domain::assessment::{Answers, assess};
use spinewise_domain::knowledge::ContentFiles;
use spinewise_domain::recommend::{PersonInput, PlanRequest, recommend};
use spinewise_domain::triage;
use spinewise_domain::vocab::{PainScore, PainType, Role, TimeOfDay};

fn main() {
    divan::main();
}

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base is valid")
}

fn flexion_answers() -> Answers {
    let answers: BTreeMap<String, String> = [
        ("sitting", "worse"),
        ("bending", "worse"),
        ("standing", "better"),
        ("walking", "better"),
        ("arching", "no-change"),
        ("lying-face-down", "better"),
        ("time-of-day", "morning"),
        ("any-direction", "one-direction"),
        ("twisting", "no-change"),
        ("relief", "stand-or-walk"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    Answers {
        red_flags: vec!["night-pain".to_owned()],
        answers,
    }
}

/// Both partners in pain, with conditions, today's pain and the time of day: every rule of
/// the engine has something to do.
fn couple() -> PlanRequest {
    PlanRequest {
        you: PersonInput {
            pain_type: PainType::Flexion,
            role: Role::Receptive.into(),
            pain_now: PainScore::new(5),
            conditions: vec!["disc-problem".to_owned(), "kidney-disease".to_owned()],
            pregnancy_weeks: None,
        },
        partner: PersonInput {
            pain_type: PainType::Extension,
            role: Role::Insertive.into(),
            pain_now: PainScore::new(3),
            conditions: vec!["hip-replacement".to_owned()],
            pregnancy_weeks: None,
        },
        time: Some(TimeOfDay::Morning),
        symptoms: vec!["pain-during-sex".to_owned()],
        noted: Vec::new(),
    }
}

#[divan::bench]
fn assessment_scoring(bencher: Bencher) {
    let k = knowledge();
    let answers = flexion_answers();
    bencher.bench(|| {
        assess(k, black_box(&answers))
            .expect("scored")
            .result
            .is_some()
    });
}

#[divan::bench]
fn couple_recommendation(bencher: Bencher) {
    let k = knowledge();
    let request = couple();
    bencher.bench(|| {
        recommend(k, black_box(&request))
            .expect("a plan")
            .positions
            .len()
    });
}

#[divan::bench]
fn red_flag_check(bencher: Bencher) {
    let k = knowledge();
    let symptoms = ["cancer-history", "night-pain", "pelvic-pain"];
    bencher.bench(|| {
        triage::check(k, black_box(&symptoms))
            .expect("checked")
            .level
    });
}

#[divan::bench]
fn faq_search(bencher: Bencher) {
    let k = knowledge();
    k.search_faq("warm up the index");
    bencher.bench(|| {
        k.search_faq(black_box("why does my back hurt after sex"))
            .len()
    });
}

#[divan::bench]
fn knowledge_base_load(bencher: Bencher) {
    bencher.bench(|| {
        Knowledge::load(black_box(&ContentFiles::BUNDLED))
            .expect("valid")
            .positions
            .len()
    });
}
