//! The API's request bodies, and their validation into the engine's requests. Every bad
//! field is reported at once, by its path in the body, with the value given and what is
//! allowed.

use std::collections::BTreeMap;

use serde::Deserialize;
use spinewise_domain::Knowledge;
use spinewise_domain::assessment::AnswerError;
use spinewise_domain::recommend::{PersonInput, PlanRequest, RequestError};
use spinewise_domain::safety;
use spinewise_domain::triage::Triage;
use spinewise_domain::vocab::Role;
use spinewise_domain::vocab::{PainScore, PainType, RoleChoice, TimeOfDay, UnknownValue};
use spinewise_domain::{json_object, whole_number};
use utoipa::ToSchema;

use crate::error::{AppError, FieldError};
use crate::knowledge_ids::{ConditionId, QuestionnaireAnswers, SymptomId};

/// The self-assessment's answers (the same file `spinewise assess --answers` reads).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the schema; the body is read as the engine's `Answers`"
)]
pub struct AssessRequest {
    /// Symptom ids reported in the red-flag screen.
    #[serde(default)]
    #[schema(value_type = Vec<SymptomId>)]
    red_flags: Vec<String>,
    /// For every question id, the id of the answer chosen.
    #[serde(default)]
    #[schema(value_type = QuestionnaireAnswers)]
    answers: BTreeMap<String, String>,
}

/// One partner.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonRequest {
    /// `flexion`, `extension`, `motion`, `none` or `unclear`. Required for `you`; the partner
    /// defaults to `none`.
    #[schema(value_type = Option<PainType>)]
    pub pain_type: Option<String>,
    /// `receptive` (the partner who is penetrated), `insertive` (the partner who
    /// penetrates) or `switch` (partners who take turns, or where it varies: each position is
    /// judged both ways round and the more cautious verdict kept for each back). Required for
    /// `you`; the partner defaults to the other role.
    #[schema(value_type = Option<RoleChoice>)]
    pub role: Option<String>,
    /// Today's pain, 0 to 10.
    #[serde(default, deserialize_with = "whole_number::read_optional")]
    #[schema(value_type = Option<PainScore>)]
    pub pain_now: Option<i64>,
    /// Condition ids, e.g. `disc-problem`.
    #[serde(default)]
    #[schema(value_type = Vec<ConditionId>)]
    pub conditions: Vec<String>,
    /// With `pregnancy`: the week, 0 to 45. Without it, a pregnancy counts as possibly past
    /// 20 weeks.
    #[serde(default, deserialize_with = "whole_number::read_optional")]
    #[schema(minimum = 0, maximum = 45)]
    pub pregnancy_weeks: Option<i64>,
}

/// The person asking: a partner whose pain type and role must be given.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "documents the schema of `you`; the body is read as a `PersonRequest`"
)]
pub struct YouRequest {
    /// `flexion`, `extension`, `motion`, `none` or `unclear`.
    pain_type: PainType,
    /// `receptive` (the partner who is penetrated), `insertive` (the partner who
    /// penetrates) or `switch` (partners who take turns, or where it varies: each position is
    /// judged both ways round and the more cautious verdict kept for each back).
    role: RoleChoice,
    /// Today's pain, 0 to 10.
    pain_now: Option<PainScore>,
    /// Condition ids, e.g. `disc-problem`.
    #[serde(default)]
    #[schema(value_type = Vec<ConditionId>)]
    conditions: Vec<String>,
    /// With `pregnancy`: the week, 0 to 45. Without it, a pregnancy counts as possibly past
    /// 20 weeks.
    #[schema(minimum = 0, maximum = 45)]
    pregnancy_weeks: Option<i64>,
}

/// What a plan is asked for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendRequest {
    /// The person asking.
    #[serde(default, deserialize_with = "json_object::read")]
    #[schema(value_type = YouRequest, required = true)]
    pub you: PersonRequest,
    /// Their partner.
    #[serde(default, deserialize_with = "json_object::read_optional")]
    pub partner: Option<PersonRequest>,
    /// `morning`, `afternoon`, `evening` or `night`.
    #[schema(value_type = Option<TimeOfDay>)]
    pub time: Option<String>,
    /// Symptom ids reported now; red flags come first.
    #[serde(default)]
    #[schema(value_type = Vec<SymptomId>)]
    pub symptoms: Vec<String>,
}

/// A red-flag check.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// Symptom ids.
    #[serde(default)]
    #[schema(value_type = Vec<SymptomId>)]
    pub symptoms: Vec<String>,
    /// Conditions that make symptoms more urgent, such as `pregnancy`.
    #[serde(default)]
    #[schema(value_type = Vec<ConditionId>)]
    pub conditions: Vec<String>,
}

/// Adds to the OpenAPI document `doc` (as JSON) the rules of the request bodies that span
/// fields, which their derived schemas cannot say: in a couple, both partners cannot always
/// take the same role ([`RequestError::SameRole`]).
pub fn document_request_rules(doc: &mut serde_json::Value) {
    let Some(recommend) = doc.pointer_mut("/components/schemas/RecommendRequest") else {
        return;
    };
    let same_role: Vec<serde_json::Value> = Role::ALL
        .iter()
        .map(|role| {
            serde_json::json!({"not": {
                "description": format!("Both partners always {role}: one partner is receptive and the other insertive, or one of them switches."),
                "required": ["partner"],
                "properties": {
                    "you": {"required": ["role"], "properties": {"role": {"const": role.as_str()}}},
                    "partner": {"type": "object", "required": ["role"], "properties": {"role": {"const": role.as_str()}}},
                },
            }})
        })
        .collect();
    let schema = recommend.take();
    *recommend = serde_json::json!({"allOf": [schema, {"allOf": same_role}]});
}

/// Collects every bad field of a request instead of stopping at the first.
#[derive(Debug)]
pub struct Collect(pub Vec<FieldError>);

impl Collect {
    /// A vocabulary value, or a bad field.
    pub fn parse<T: std::str::FromStr<Err = UnknownValue>>(
        &mut self,
        field: &str,
        value: Option<&str>,
    ) -> Option<T> {
        match value?.parse() {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(FieldError::new(field, e));
                None
            }
        }
    }

    fn pain(&mut self, field: &str, value: Option<i64>) -> Option<PainScore> {
        let v = value?;
        match u8::try_from(v).ok().and_then(PainScore::new) {
            Some(p) => Some(p),
            None => {
                self.0.push(FieldError::new(
                    field,
                    format!("pain '{v}' is not a whole number from 0 to 10"),
                ));
                None
            }
        }
    }

    /// Known, de-duplicated ids; each unknown one is a bad field `field[i]`.
    pub fn ids(
        &mut self,
        field: &str,
        ids: &[String],
        known: impl Fn(&str) -> Result<(), UnknownValue>,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            match known(id) {
                Ok(()) if !out.contains(id) => out.push(id.clone()),
                Ok(()) => {}
                Err(e) => self.0.push(FieldError::new(format!("{field}[{i}]"), e)),
            }
        }
        out
    }

    fn weeks(&mut self, field: &str, value: Option<i64>) -> Option<u8> {
        let v = value?;
        match safety::pregnancy_weeks(&v.to_string()) {
            Ok(w) => Some(w),
            Err(e) => {
                self.0.push(FieldError::new(field, e));
                None
            }
        }
    }

    fn missing(&mut self, field: &str, allowed: &[&str]) {
        self.0.push(FieldError::new(
            field,
            format!("is required (one of: {})", allowed.join(", ")),
        ));
    }
}

impl RecommendRequest {
    /// The engine's request, or every bad field.
    pub fn validate(&self, k: &Knowledge) -> Result<PlanRequest, AppError> {
        let mut c = Collect(Vec::new());
        let condition = |id: &str| k.condition(id).map(|_| ());
        let names = |all: &[&'static str]| all.to_vec();

        let pain_type = c.parse::<PainType>("you.pain_type", self.you.pain_type.as_deref());
        let role = c.parse::<RoleChoice>("you.role", self.you.role.as_deref());
        let pain_now = c.pain("you.pain_now", self.you.pain_now);
        let conditions = c.ids("you.conditions", &self.you.conditions, condition);
        let weeks = c.weeks("you.pregnancy_weeks", self.you.pregnancy_weeks);
        if pain_type.is_none() && self.you.pain_type.is_none() {
            c.missing(
                "you.pain_type",
                &names(&["flexion", "extension", "motion", "none", "unclear"]),
            );
        }
        if role.is_none() && self.you.role.is_none() {
            c.missing("you.role", &names(&["receptive", "insertive", "switch"]));
        }

        let partner = self.partner.as_ref();
        let partner_pain_type = c.parse::<PainType>(
            "partner.pain_type",
            partner.and_then(|p| p.pain_type.as_deref()),
        );
        let partner_role =
            c.parse::<RoleChoice>("partner.role", partner.and_then(|p| p.role.as_deref()));
        let partner_pain_now = c.pain("partner.pain_now", partner.and_then(|p| p.pain_now));
        let partner_conditions = c.ids(
            "partner.conditions",
            partner.map_or(&[][..], |p| &p.conditions),
            condition,
        );
        let partner_weeks = c.weeks(
            "partner.pregnancy_weeks",
            partner.and_then(|p| p.pregnancy_weeks),
        );
        let time = c.parse::<TimeOfDay>("time", self.time.as_deref());
        let symptoms = c.ids("symptoms", &self.symptoms, |id| k.symptom(id).map(|_| ()));

        match (pain_type, role) {
            (Some(pain_type), Some(role)) if c.0.is_empty() => Ok(PlanRequest {
                you: PersonInput {
                    pain_type,
                    role,
                    pain_now,
                    conditions,
                    pregnancy_weeks: weeks,
                },
                partner: PersonInput {
                    pain_type: partner_pain_type.unwrap_or(PainType::None),
                    role: partner_role.unwrap_or(role.other()),
                    pain_now: partner_pain_now,
                    conditions: partner_conditions,
                    pregnancy_weeks: partner_weeks,
                },
                time,
                symptoms,
                noted: Vec::new(),
            }),
            _ => Err(AppError::fields(c.0)),
        }
    }
}

impl CheckRequest {
    /// The triage, or every bad field.
    pub fn triage<'k>(&self, k: &'k Knowledge) -> Result<Triage<'k>, AppError> {
        let mut c = Collect(Vec::new());
        let symptoms = c.ids("symptoms", &self.symptoms, |id| k.symptom(id).map(|_| ()));
        let conditions = c.ids("conditions", &self.conditions, |id| {
            k.condition(id).map(|_| ())
        });
        if !c.0.is_empty() {
            return Err(AppError::fields(c.0));
        }
        let conditions: Vec<_> = conditions
            .iter()
            .filter_map(|id| k.condition(id).ok())
            .collect();
        safety::red_flags(k, &symptoms, &[], &conditions)
            .map(|r| r.triage)
            .map_err(|e| AppError::field("symptoms", e))
    }
}

/// The engine's refusal of a plan request, as a field error.
pub fn request_error(e: RequestError) -> AppError {
    match e {
        RequestError::SameRole(_) => AppError::field("partner.role", e),
        RequestError::Unknown(u) => AppError::field(u.what, u),
    }
}

/// The engine's refusal of an assessment's answers, as a field error.
pub fn answer_error(e: AnswerError) -> AppError {
    match &e {
        AnswerError::Unknown(u) if u.what == "symptom" => AppError::field("red_flags", e),
        AnswerError::Unknown(_) => AppError::field("answers", e),
        AnswerError::UnknownOption { item, .. } => AppError::field(format!("answers.{item}"), e),
        AnswerError::Missing(_) => AppError::field("answers", e),
    }
}
