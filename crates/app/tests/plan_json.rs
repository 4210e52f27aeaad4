//! The plan's JSON written from escaped parts ([`spinewise_app::plan_json`]) is byte for byte
//! the JSON of [`spinewise_app::dto::PlanDto`], for every request drawn: single backs and
//! couples, switching roles, pain today, conditions, pregnancy, the time of day, and symptoms
//! that raise red flags and withhold the positions.

use proptest::prelude::*;
use serde_json::{Value, json};
use spinewise_app::dto::PlanDto;
use spinewise_app::plan_json::PlanJson;
use spinewise_app::requests::RecommendRequest;
use spinewise_domain::{Knowledge, recommend};

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base")
}

const PAIN_TYPES: [&str; 5] = ["flexion", "extension", "motion", "none", "unclear"];
const ROLES: [&str; 3] = ["receptive", "insertive", "switch"];
const TIMES: [&str; 4] = ["morning", "afternoon", "evening", "night"];

fn some_of(all: Vec<String>) -> impl Strategy<Value = Vec<String>> {
    let n = all.len();
    proptest::sample::subsequence(all, 0..=n.min(3))
}

fn person(conditions: Vec<String>) -> impl Strategy<Value = Value> {
    (
        proptest::sample::select(&PAIN_TYPES[..]),
        proptest::option::of(proptest::sample::select(&ROLES[..])),
        proptest::option::of(0i64..=10),
        some_of(conditions),
        proptest::option::of(4i64..=40),
    )
        .prop_map(|(pain_type, role, pain_now, conditions, weeks)| {
            let mut p = json!({"pain_type": pain_type, "conditions": conditions});
            if let Some(role) = role {
                p["role"] = json!(role);
            }
            if let Some(pain) = pain_now {
                p["pain_now"] = json!(pain);
            }
            if conditions_mention_pregnancy(&p)
                && let Some(w) = weeks
            {
                p["pregnancy_weeks"] = json!(w);
            }
            p
        })
}

fn conditions_mention_pregnancy(p: &Value) -> bool {
    p["conditions"]
        .as_array()
        .is_some_and(|c| c.iter().any(|c| c == "pregnancy"))
}

fn request() -> impl Strategy<Value = Value> {
    let k = knowledge();
    let conditions: Vec<String> = k.conditions.iter().map(|c| c.id.clone()).collect();
    let symptoms: Vec<String> = k.symptoms.iter().map(|s| s.id.clone()).collect();
    (
        person(conditions.clone()),
        proptest::option::of(person(conditions)),
        proptest::option::of(proptest::sample::select(&TIMES[..])),
        // Mostly none: most plans are given, some are withheld.
        prop_oneof![4 => Just(Vec::new()), 1 => some_of(symptoms)],
    )
        .prop_map(|(mut you, partner, time, symptoms)| {
            if you.get("role").is_none() {
                you["role"] = json!("receptive");
            }
            let mut r = json!({"you": you, "symptoms": symptoms});
            if let Some(p) = partner {
                r["partner"] = p;
            }
            if let Some(t) = time {
                r["time"] = json!(t);
            }
            r
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_plan_written_from_parts_is_the_dtos_json_byte_for_byte(body in request()) {
        let k = knowledge();
        let Ok(asked) = serde_json::from_value::<RecommendRequest>(body.clone()) else {
            return Ok(());
        };
        let Ok(request) = asked.validate(k) else {
            return Ok(());
        };
        let Ok(plan) = recommend::recommend(k, &request) else {
            return Ok(());
        };
        let by_dto = serde_json::to_vec(&PlanDto::new(k, &request, &plan)).expect("JSON");
        let by_parts = PlanJson::new(k).write(&request, &plan);
        prop_assert!(
            by_dto == by_parts,
            "{body}\nDTO:   {}\nparts: {}",
            String::from_utf8_lossy(&by_dto),
            String::from_utf8_lossy(&by_parts)
        );
    }
}

#[test]
fn a_plan_with_red_flags_and_one_without_are_both_written_the_same_way() {
    let k = knowledge();
    let parts = PlanJson::new(k);
    for body in [
        json!({"you": {"pain_type": "flexion", "role": "receptive", "pain_now": 4, "conditions": ["disc-problem"]},
               "partner": {"pain_type": "extension"}, "time": "evening"}),
        json!({"you": {"pain_type": "motion", "role": "switch"}, "partner": {"pain_type": "flexion", "role": "switch"}}),
        json!({"you": {"pain_type": "extension", "role": "insertive"}, "symptoms": ["saddle-numbness"]}),
    ] {
        let request = serde_json::from_value::<RecommendRequest>(body.clone())
            .expect("a request")
            .validate(k)
            .expect("valid");
        let plan = recommend::recommend(k, &request).expect("a plan");
        let by_dto = serde_json::to_vec(&PlanDto::new(k, &request, &plan)).expect("JSON");
        assert_eq!(
            String::from_utf8_lossy(&parts.write(&request, &plan)),
            String::from_utf8_lossy(&by_dto),
            "{body}"
        );
    }
}
