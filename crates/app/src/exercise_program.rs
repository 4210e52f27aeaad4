//! What a person gave for their exercise program, read the same way for the pages and the
//! API: the pain type, today's pain, conditions and the week of a pregnancy, each checked and
//! named when it is bad. Gathering the circumstances from them, the saved profile and the
//! journal — which pain type wins, which of the journal's red flags still count — is the
//! domain's ([`spinewise_domain::safety::Circumstances`]).

use spinewise_domain::Knowledge;
use spinewise_domain::safety::{self, Given};
use spinewise_domain::vocab::{PainScore, PainType};

use crate::error::{AppError, FieldError};

/// A value the page or the API may leave blank; a bad one is an error naming the field and
/// what is allowed.
pub fn optional<T: std::str::FromStr>(raw: Option<&str>, field: &str) -> Result<Option<T>, AppError>
where
    T::Err: std::fmt::Display,
{
    parse(raw, field).map_err(|e| AppError::fields(vec![e]))
}

/// [`optional`], as one field's error.
fn parse<T: std::str::FromStr>(raw: Option<&str>, field: &str) -> Result<Option<T>, FieldError>
where
    T::Err: std::fmt::Display,
{
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse::<T>()
            .map(Some)
            .map_err(|e| FieldError::new(field, e)),
    }
}

/// The week of a pregnancy, if given (blank: not known), checked by the safety policy.
pub fn pregnancy_weeks(raw: Option<&str>, field: &str) -> Result<Option<u8>, FieldError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => safety::pregnancy_weeks(v)
            .map(Some)
            .map_err(|e| FieldError::new(field, e)),
    }
}

/// What was given for a program, every bad value named at once.
pub fn given(
    k: &Knowledge,
    pain_type: Option<&str>,
    pain: Option<&str>,
    conditions: &[String],
    weeks: Option<&str>,
) -> Result<Given, AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let pain_type = parse::<PainType>(pain_type, "pain_type")
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let pain_today = parse::<PainScore>(pain, "pain")
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let pregnancy_weeks = pregnancy_weeks(weeks, "pregnancy_weeks")
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let mut known: Vec<String> = Vec::new();
    for (i, id) in conditions.iter().enumerate() {
        match k.condition(id) {
            Ok(_) if known.contains(id) => {}
            Ok(_) => known.push(id.clone()),
            Err(e) => errors.push(FieldError::new(format!("conditions[{i}]"), e)),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    Ok(Given {
        pain_type,
        pain_today,
        conditions: known,
        pregnancy_weeks,
        symptoms: Vec::new(),
    })
}
