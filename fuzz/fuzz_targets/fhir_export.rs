//! The FHIR R4 export of any valid journal (built from the input, see
//! `spinewise_fuzz::journal`), at any UTC offset the API takes or none: the bundle must
//! validate against the official FHIR R4 JSON schema, keep FHIR's JSON rules (no empty
//! strings, arrays, objects or nulls; unique full URLs; references that resolve), and carry
//! every 0–10 pain score of the journal once.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use spinewise_domain::journal::export::fhir::{LOINC, PAIN_SEVERITY};
use spinewise_domain::journal::export::fhir_bundle;
use spinewise_domain::journal::{Entry, Journal};
use spinewise_fuzz::{NOW, fhir, journal, knowledge};

/// How many pain scores the journal holds: each one is an Observation in the bundle.
fn pain_scores(journal: &Journal) -> usize {
    journal
        .entries()
        .iter()
        .map(|e| match e {
            Entry::Daily(d) => {
                usize::from(d.pain_morning.is_some()) + usize::from(d.pain_evening.is_some())
            }
            Entry::Intimacy(i) => {
                2 + usize::from(i.pain_during.is_some())
                    + usize::from(i.next_day_pain.is_some() && i.at.date().next().is_some())
            }
            Entry::Exercise(x) => {
                usize::from(x.pain_before.is_some()) + usize::from(x.pain_after.is_some())
            }
            Entry::Peg(_) | Entry::Assessment(_) => 0,
        })
        .sum()
}

fn is_pain(resource: &Value) -> bool {
    resource["resourceType"] == "Observation"
        && resource["code"]["coding"].as_array().is_some_and(|cs| {
            cs.iter()
                .any(|c| c["system"] == LOINC && c["code"] == PAIN_SEVERITY)
        })
}

fuzz_target!(init: {
    fhir::init();
}, |data: &[u8]| {
    let k = knowledge();
    let mut u = Unstructured::new(data);
    let Ok(offset) = journal::offset(&mut u) else {
        return;
    };
    let Ok(journal) = journal::journal(&mut u, k, NOW) else {
        return;
    };
    let bundle = fhir_bundle(k, &journal, NOW, offset);
    let mut problems = fhir::schema_problems(&bundle);
    problems.extend(fhir::hand_problems(&bundle));
    assert!(
        problems.is_empty(),
        "the export of {} entries (offset {offset:?}) has problems:\n{}\n{}",
        journal.len(),
        problems.join("\n"),
        serde_json::to_string_pretty(&bundle).unwrap_or_default()
    );
    let pains = bundle["entry"]
        .as_array()
        .map_or(0, |es| es.iter().filter(|e| is_pain(&e["resource"])).count());
    assert_eq!(pains, pain_scores(&journal), "every pain score once");
});
