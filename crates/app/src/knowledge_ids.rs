//! Schemas of the ids the knowledge base defines — symptoms, conditions, positions, exercises
//! and the self-assessment's answers. The types that carry them are plain strings; the OpenAPI
//! document lists every id the running knowledge base knows ([`list_ids`]), so that a
//! generated client, or a tool that tries the API with made-up values, knows exactly which
//! values are accepted.

use std::borrow::Cow;

use serde_json::{Map, Value, json};
use spinewise_domain::Knowledge;
use spinewise_domain::triage::sets_that_withhold_advice;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// Declares a schema-only type named for one kind of id: a string described as the id, whose
/// values [`list_ids`] fills in.
macro_rules! id_schema {
    ($(#[$meta:meta])* $name:ident, $description:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some($description))
                    .into()
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                stringify!($name).into()
            }
        }
    };
}

id_schema!(
    /// A symptom of the red-flag screen, such as `saddle-numbness`.
    SymptomId,
    "A symptom of the red-flag screen, such as `saddle-numbness`."
);
id_schema!(
    /// A condition that changes the plan, such as `pregnancy`.
    ConditionId,
    "A condition that changes the plan, such as `pregnancy`."
);
id_schema!(
    /// A position of the knowledge base, such as `spooning`.
    PositionId,
    "A position of the knowledge base, such as `spooning`."
);
id_schema!(
    /// An exercise of the at-home program, such as `bird-dog`.
    ExerciseId,
    "An exercise of the at-home program, such as `bird-dog`."
);

/// The self-assessment's answers: for each of its questions, the id of the answer chosen.
#[derive(Debug, Clone, Copy)]
pub struct QuestionnaireAnswers;

impl PartialSchema for QuestionnaireAnswers {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "For each question of the self-assessment, the id of the answer chosen.",
            ))
            .into()
    }
}

impl ToSchema for QuestionnaireAnswers {}

/// Lists in the OpenAPI document `doc` (as JSON) every id `k` defines, in each schema above
/// that the document uses; and says which answers the self-assessment needs: all of them,
/// unless the red flags reported withhold the assessment (the domain's
/// [`sets_that_withhold_advice`]), when its answers may stop early.
pub fn list_ids(doc: &mut Value, k: &Knowledge) {
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut fill = |name: &str, values: Vec<&str>| {
        if let Some(schema) = schemas.get_mut(name).and_then(Value::as_object_mut) {
            schema.insert("enum".to_owned(), json!(values));
        }
    };
    fill(
        "SymptomId",
        k.symptoms.iter().map(|s| s.id.as_str()).collect(),
    );
    fill(
        "ConditionId",
        k.conditions.iter().map(|c| c.id.as_str()).collect(),
    );
    fill(
        "PositionId",
        k.positions.iter().map(|p| p.id.as_str()).collect(),
    );
    fill(
        "ExerciseId",
        k.exercises().iter().map(|e| e.id.as_str()).collect(),
    );
    let items = &k.questionnaire.items;
    if let Some(answers) = schemas
        .get_mut("QuestionnaireAnswers")
        .and_then(Value::as_object_mut)
    {
        let properties: Map<String, Value> = items
            .iter()
            .map(|item| {
                let options: Vec<&str> = item.options.iter().map(|o| o.id.as_str()).collect();
                (
                    item.id.clone(),
                    json!({"type": "string", "description": item.question, "enum": options}),
                )
            })
            .collect();
        answers.insert("properties".to_owned(), Value::Object(properties));
        answers.insert("additionalProperties".to_owned(), Value::Bool(false));
    }
    if let Some(request) = schemas.get("AssessRequest").cloned() {
        let every_question: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        let mut either = vec![json!({
            "description": "Every question answered…",
            "required": ["answers"],
            "properties": {"answers": {"required": every_question}},
        })];
        either.extend(sets_that_withhold_advice(k).into_iter().map(|set| {
            let contains: Vec<Value> = set
                .iter()
                .map(|id| json!({"contains": {"const": id}}))
                .collect();
            json!({
                "description": "…or red flags that send the person to a doctor first, when the answers may stop early.",
                "required": ["red_flags"],
                "properties": {"red_flags": {"allOf": contains}},
            })
        }));
        schemas.insert(
            "AssessRequest".to_owned(),
            json!({"allOf": [request, {"anyOf": either}]}),
        );
    }
}
