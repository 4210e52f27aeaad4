//! Who the insights are for: the person a saved profile describes, with what had to be
//! assumed, and the plan request a saved profile makes.

use spinewise_domain::recommend::PersonInput;
use spinewise_domain::vocab::{PainType, RoleChoice};
use spinewise_store::ProfileRecord;

use crate::error::{AppError, FieldError};
use crate::requests::{PersonRequest, RecommendRequest};

/// The person the insights are worked out for, from a saved profile, with what had to be
/// assumed because the profile does not say it.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// The pain type, role and conditions used.
    pub input: PersonInput,
    /// The profile's fields that were missing and assumed: `pain_type`, `role`.
    pub assumed: Vec<&'static str>,
}

impl Person {
    /// The pain type assumed when none is saved: every direction of movement counts.
    pub const DEFAULT_PAIN_TYPE: PainType = PainType::Unclear;
    /// The role assumed when none is saved.
    pub const DEFAULT_ROLE: RoleChoice = RoleChoice::Receptive;

    /// The person a saved profile describes (`None` for each field not saved), with
    /// [`Person::DEFAULT_PAIN_TYPE`] and [`Person::DEFAULT_ROLE`] for what is missing.
    pub fn from_saved(
        pain_type: Option<PainType>,
        role: Option<RoleChoice>,
        conditions: Vec<String>,
    ) -> Person {
        let mut assumed = Vec::new();
        if pain_type.is_none() {
            assumed.push("pain_type");
        }
        if role.is_none() {
            assumed.push("role");
        }
        Person {
            input: PersonInput {
                pain_type: pain_type.unwrap_or(Self::DEFAULT_PAIN_TYPE),
                role: role.unwrap_or(Self::DEFAULT_ROLE),
                pain_now: None,
                conditions,
                pregnancy_weeks: None,
            },
            assumed,
        }
    }

    /// The person the server's saved profile describes ([`Person::from_saved`]); with no
    /// profile saved, both the pain type and the role are assumed.
    pub fn from_profile(profile: Option<&ProfileRecord>) -> Person {
        match profile {
            Some(p) => Person::from_saved(p.pain_type, p.role, p.conditions.clone()),
            None => Person::from_saved(None, None, Vec::new()),
        }
    }

    /// Whether anything was assumed.
    pub fn is_assumed(&self) -> bool {
        !self.assumed.is_empty()
    }

    /// What was assumed, in words, or `None`.
    pub fn note(&self) -> Option<String> {
        let parts: Vec<String> = self
            .assumed
            .iter()
            .map(|field| match *field {
                "pain_type" => format!(
                    "the pain type '{}' (every direction of movement counts)",
                    Self::DEFAULT_PAIN_TYPE.as_str()
                ),
                _ => format!("the role '{}'", Self::DEFAULT_ROLE.as_str()),
            })
            .collect();
        if parts.is_empty() {
            return None;
        }
        let missing: Vec<String> = self
            .assumed
            .iter()
            .map(|f| format!("your {}", f.replace('_', " ")))
            .collect();
        Some(format!(
            "No saved profile gives {}, so these insights assume {}. The posture model's \
             expectation for each position depends on them: save a profile to compare your logs \
             with the model's verdict for your own back.",
            missing.join(" or "),
            parts.join(" and ")
        ))
    }
}

/// The plan request a saved profile makes, as the plan page makes it (no pain score, time
/// of day or symptoms: a usual day); a conflict naming what is missing when the profile has
/// no pain type or no role.
///
/// # Errors
///
/// [`AppError::Conflict`] with a field error for each of `pain_type` and `role` not saved.
pub fn plan_request(profile: Option<&ProfileRecord>) -> Result<RecommendRequest, AppError> {
    let missing: Vec<&'static str> = match profile {
        None => vec!["pain_type", "role"],
        Some(p) => [
            ("pain_type", p.pain_type.is_none()),
            ("role", p.role.is_none()),
        ]
        .into_iter()
        .filter_map(|(field, missing)| missing.then_some(field))
        .collect(),
    };
    match profile {
        Some(p) if missing.is_empty() => Ok(RecommendRequest {
            you: PersonRequest {
                pain_type: p.pain_type.map(|t| t.as_str().to_owned()),
                role: p.role.map(|r| r.as_str().to_owned()),
                pain_now: None,
                conditions: p.conditions.clone(),
                pregnancy_weeks: None,
            },
            partner: Some(PersonRequest {
                pain_type: p.partner_pain_type.map(|t| t.as_str().to_owned()),
                role: None,
                pain_now: None,
                conditions: p.partner_conditions.clone(),
                pregnancy_weeks: None,
            }),
            time: None,
            symptoms: Vec::new(),
        }),
        _ => Err(AppError::Conflict {
            detail: format!(
                "save a profile first: {} (PUT /api/v1/profile, or the plan page with \"save\" \
                 ticked)",
                missing.join(", ")
            ),
            errors: missing
                .iter()
                .map(|field| FieldError::new(*field, "is not saved in your profile"))
                .collect(),
        }),
    }
}
