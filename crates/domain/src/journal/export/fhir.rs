//! The journal as an HL7 FHIR R4 (4.0.1) `Bundle` of type `collection`, for a clinician's
//! system:
//!
//! - every 0–10 back-pain score (check-ins, before and after intimacy and exercise, the next
//!   morning) as an `Observation` coded LOINC 72514-3, category `survey`, with a note saying
//!   when in the day or around what it was taken;
//! - each weekly PEG as a `QuestionnaireResponse` to LOINC's PEG form (91148-7) and an
//!   `Observation` of the PEG panel (91148-7) carrying the three items and their mean
//!   (91147-9) as components, derived from the response;
//! - each self-assessment as a `QuestionnaireResponse` with the red-flag screen and every
//!   answer, coded in spinewise's own systems.
//!
//! Times: the journal keeps wall-clock times without a time zone, and FHIR requires one on
//! any time of day. With the person's UTC offset the times are exact; without it only the
//! date is given. No name, login or other identifier of the person is included; resource ids
//! are derived from the entry ids, so the same journal always gives the same bundle.

use serde_json::{Value, json};

use crate::journal::{Entry, Journal, LocalDate, LocalDateTime};
use crate::knowledge::Knowledge;
use crate::vocab::PainScore;

/// LOINC's system URI.
pub const LOINC: &str = "http://loinc.org";
/// Pain severity, 0–10 verbal numeric rating, reported.
pub const PAIN_SEVERITY: &str = "72514-3";
/// Its LOINC display name.
pub const PAIN_SEVERITY_DISPLAY: &str =
    "Pain severity - 0-10 verbal numeric rating [Score] - Reported";
/// The PEG three-item pain scale (panel and form).
pub const PEG_PANEL: &str = "91148-7";
/// The PEG's mean score.
pub const PEG_SCORE: &str = "91147-9";
/// The system of spinewise's questionnaire items and answers.
pub const SPINEWISE_SYSTEM: &str = "urn:spinewise:assessment";

/// Where a wall-clock time sits on the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcOffsetMinutes(pub i16);

fn fnv(seed: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(seed, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A stable UUID-shaped id for a resource made from an entry (and a part of it).
fn resource_id(entry_id: &str, part: &str) -> String {
    let text = format!("{entry_id}/{part}");
    let a = fnv(0xcbf2_9ce4_8422_2325, text.as_bytes());
    let b = fnv(0x8422_2325_cbf2_9ce4, text.as_bytes());
    let hex = format!("{a:016x}{b:016x}");
    // Shaped as a version 5 UUID (name-based), variant 1.
    format!(
        "{}-{}-5{}-{}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        ["8", "9", "a", "b"][usize::from(hex.as_bytes()[16] % 4)],
        &hex[17..20],
        &hex[20..32]
    )
}

fn date(d: LocalDate) -> String {
    d.to_string()
}

fn date_time(t: LocalDateTime, offset: Option<UtcOffsetMinutes>) -> String {
    match offset {
        None => date(t.date()),
        Some(UtcOffsetMinutes(m)) => {
            let sign = if m < 0 { '-' } else { '+' };
            let m = m.unsigned_abs();
            format!("{t}:00{sign}{:02}:{:02}", m / 60, m % 60)
        }
    }
}

fn survey() -> Value {
    json!([{
        "coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey"
        }]
    }])
}

fn score(value: f64) -> Value {
    json!({
        "value": value,
        "unit": "{score}",
        "system": "http://unitsofmeasure.org",
        "code": "{score}"
    })
}

fn entry(id: String, resource: Value) -> Value {
    json!({ "fullUrl": format!("urn:uuid:{id}"), "resource": resource })
}

fn pain_observation(
    entry_id: &str,
    part: &str,
    when: String,
    pain: PainScore,
    note: &str,
) -> Value {
    let id = resource_id(entry_id, part);
    entry(
        id.clone(),
        json!({
            "resourceType": "Observation",
            "id": id,
            "status": "final",
            "category": survey(),
            "code": {
                "coding": [{ "system": LOINC, "code": PAIN_SEVERITY, "display": PAIN_SEVERITY_DISPLAY }],
                "text": "Low back pain, 0-10"
            },
            "effectiveDateTime": when,
            "valueQuantity": score(f64::from(pain.value())),
            "note": [{ "text": note }]
        }),
    )
}

/// The bundle for `journal`, written at `now_unix`. `offset` is the person's offset from UTC,
/// if known (see the module's note on times).
pub fn fhir_bundle(
    knowledge: &Knowledge,
    journal: &Journal,
    now_unix: i64,
    offset: Option<UtcOffsetMinutes>,
) -> Value {
    let mut entries: Vec<Value> = Vec::new();
    for e in journal.entries() {
        let eid = e.id().as_str();
        match e {
            Entry::Daily(d) => {
                let when = date(d.date);
                if let Some(p) = d.pain_morning {
                    entries.push(pain_observation(
                        eid,
                        "morning",
                        when.clone(),
                        p,
                        "On getting up",
                    ));
                }
                if let Some(p) = d.pain_evening {
                    entries.push(pain_observation(eid, "evening", when, p, "In the evening"));
                }
            }
            Entry::Intimacy(i) => {
                let when = date_time(i.at, offset);
                entries.push(pain_observation(
                    eid,
                    "before",
                    when.clone(),
                    i.pain_before,
                    "Just before sexual activity",
                ));
                if let Some(p) = i.pain_during {
                    entries.push(pain_observation(
                        eid,
                        "during",
                        when.clone(),
                        p,
                        "Worst during sexual activity",
                    ));
                }
                entries.push(pain_observation(
                    eid,
                    "after",
                    when,
                    i.pain_after,
                    "Right after sexual activity",
                ));
                if let (Some(p), Some(next)) = (i.next_day_pain, i.at.date().next()) {
                    entries.push(pain_observation(
                        eid,
                        "next-day",
                        date(next),
                        p,
                        "The morning after sexual activity",
                    ));
                }
            }
            Entry::Exercise(x) => {
                let when = date_time(x.at, offset);
                if let Some(p) = x.pain_before {
                    entries.push(pain_observation(
                        eid,
                        "before",
                        when.clone(),
                        p,
                        "Before exercise",
                    ));
                }
                if let Some(p) = x.pain_after {
                    entries.push(pain_observation(eid, "after", when, p, "After exercise"));
                }
            }
            Entry::Peg(p) => {
                let qr_id = resource_id(eid, "peg-response");
                let item = |link: &str, text: &str, v: PainScore| json!({ "linkId": link, "text": text, "answer": [{ "valueInteger": v.value() }] });
                entries.push(entry(
                    qr_id.clone(),
                    json!({
                        "resourceType": "QuestionnaireResponse",
                        "id": qr_id,
                        "questionnaire": format!("http://loinc.org/q/{PEG_PANEL}"),
                        "status": "completed",
                        "authored": date(p.date),
                        "item": [
                            item("pain", "Pain on average in the past week (0 no pain - 10 as bad as you can imagine)", p.pain),
                            item("enjoyment", "Interference of pain with enjoyment of life in the past week (0 none - 10 completely)", p.enjoyment),
                            item("activity", "Interference of pain with general activity in the past week (0 none - 10 completely)", p.activity),
                        ]
                    }),
                ));
                let obs_id = resource_id(eid, "peg-panel");
                let component = |text: &str, v: PainScore| json!({ "code": { "text": text }, "valueQuantity": score(f64::from(v.value())) });
                let mean = (p.score() * 100.0).round() / 100.0;
                entries.push(entry(
                    obs_id.clone(),
                    json!({
                        "resourceType": "Observation",
                        "id": obs_id,
                        "status": "final",
                        "category": survey(),
                        "code": {
                            "coding": [{ "system": LOINC, "code": PEG_PANEL }],
                            "text": "PEG three-item pain scale (Krebs et al. 2009)"
                        },
                        "effectiveDateTime": date(p.date),
                        "derivedFrom": [{ "reference": format!("urn:uuid:{qr_id}") }],
                        "component": [
                            component("Pain on average in the past week", p.pain),
                            component("Interference with enjoyment of life", p.enjoyment),
                            component("Interference with general activity", p.activity),
                            {
                                "code": { "coding": [{ "system": LOINC, "code": PEG_SCORE }], "text": "PEG mean score" },
                                "valueQuantity": score(mean)
                            }
                        ]
                    }),
                ));
            }
            Entry::Assessment(a) => {
                let id = resource_id(eid, "assessment");
                let coding = |code: &str, display: &str| json!({ "system": SPINEWISE_SYSTEM, "code": code, "display": display });
                let mut items: Vec<Value> = Vec::new();
                let red_flags: Vec<Value> = a
                    .answers
                    .red_flags
                    .iter()
                    .map(|s| {
                        let name = knowledge.symptom(s).map_or(s.as_str(), |x| x.name.as_str());
                        json!({ "valueCoding": coding(s, name) })
                    })
                    .collect();
                let mut red_flag_item = json!({
                    "linkId": "red-flags",
                    "text": knowledge.questionnaire.red_flag_prompt,
                });
                if !red_flags.is_empty() {
                    red_flag_item["answer"] = Value::Array(red_flags);
                }
                items.push(red_flag_item);
                for item in &knowledge.questionnaire.items {
                    let Some(chosen) = a.answers.answers.get(&item.id) else {
                        continue;
                    };
                    let label = item
                        .options
                        .iter()
                        .find(|o| &o.id == chosen)
                        .map_or(chosen.as_str(), |o| o.label.as_str());
                    items.push(json!({
                        "linkId": item.id,
                        "text": item.question,
                        "answer": [{ "valueCoding": coding(chosen, label) }]
                    }));
                }
                let mut result = json!({
                    "linkId": "result",
                    "text": "Result: red-flag level and movement pattern of the back pain (spinewise's self-assessment; education, not a diagnosis)",
                    "answer": [{ "valueCoding": coding(&format!("red-flag-level:{}", a.red_flag_level), &format!("Red-flag level: {}", a.red_flag_level)) }]
                });
                if let (Some(t), Some(answers)) = (a.pain_type, result["answer"].as_array_mut()) {
                    answers.push(json!({ "valueCoding": coding(&format!("pain-type:{t}"), &format!("Pain type: {t}")) }));
                }
                items.push(result);
                entries.push(entry(
                    id.clone(),
                    json!({
                        "resourceType": "QuestionnaireResponse",
                        "id": id,
                        "questionnaire": "urn:spinewise:questionnaire:pain-type",
                        "status": "completed",
                        "authored": date_time(a.at, offset),
                        "item": items
                    }),
                ));
            }
        }
    }
    let timestamp = time::OffsetDateTime::from_unix_timestamp(now_unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned());
    let mut bundle = json!({
        "resourceType": "Bundle",
        "id": resource_id("bundle", &now_unix.to_string()),
        "meta": { "lastUpdated": timestamp },
        "type": "collection",
        "timestamp": timestamp,
    });
    // FHIR's JSON has no empty arrays: an empty journal's bundle has no `entry` at all.
    if !entries.is_empty() {
        bundle["entry"] = Value::Array(entries);
    }
    bundle
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_ids_are_stable_uuid_shaped_and_distinct() {
        let a = resource_id("e1", "before");
        assert_eq!(a, resource_id("e1", "before"));
        assert_ne!(a, resource_id("e1", "after"));
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'5');
    }

    #[test]
    fn times_carry_an_offset_or_fall_back_to_the_date() {
        let t: LocalDateTime = "2026-11-22T21:30".parse().expect("a time");
        assert_eq!(date_time(t, None), "2026-11-22");
        assert_eq!(
            date_time(t, Some(UtcOffsetMinutes(60))),
            "2026-11-22T21:30:00+01:00"
        );
        assert_eq!(
            date_time(t, Some(UtcOffsetMinutes(-330))),
            "2026-11-22T21:30:00-05:30"
        );
    }
}
