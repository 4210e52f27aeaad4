//! The answers file (`spinewise assess --answers`, and the API's assessment body): any text
//! read as answers, then scored. Answers that read write back the same; scoring either
//! refuses them saying why, or gives a pain type with its confidence and strengths in 0–1, or
//! withholds it for red flags; and an accepted assessment can be kept in the journal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spinewise_domain::assessment::{self, Answers};
use spinewise_domain::journal::{AssessmentRecord, Entry};
use spinewise_fuzz::{NOW, knowledge};

fuzz_target!(|data: &[u8]| {
    // The command line reads the file as text first.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let answers: Answers = match serde_json::from_str(text) {
        Ok(a) => a,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let written = serde_json::to_string(&answers).expect("answers serialise");
    let back: Answers = serde_json::from_str(&written).expect("written answers read back");
    assert_eq!(back, answers);

    let k = knowledge();
    let assessed = match assessment::assess(k, &answers) {
        Ok(a) => a,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    match &assessed.result {
        Some(r) => {
            assert!(!assessed.triage.level.withholds_advice());
            assert!((0.0..=1.0).contains(&r.confidence), "{}", r.confidence);
            for (_, s) in r.strengths {
                assert!((0.0..=1.0).contains(&s), "{s}");
            }
        }
        None => assert!(assessed.triage.level.withholds_advice()),
    }
    let dto = spinewise_app::dto::AssessmentDto::new(k, &assessed, false);
    serde_json::to_string(&dto).expect("the assessment serialises");

    let at = "2026-05-31T12:00".parse().expect("a time");
    let id = "fuzz".parse().expect("an id");
    let record = AssessmentRecord::new(k, id, at, answers).expect("assessed answers are kept");
    let entry = Entry::Assessment(record);
    entry.validate(k, NOW).expect("a kept assessment validates");
});
