//! What the signed-in user's journal says about their back (`GET /journal/insights`), the
//! couple's plan re-ranked by it (`GET /journal/plan`) and the one-page clinical summary
//! (`GET /journal/summary`), worked out from their saved profile and their journal, opened
//! under their own key.

// utoipa's `path` macro repeats the IntoParams types it is given with their full path.

use super::extract::ApiQuery;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use spinewise_domain::journal::LocalDate;
use spinewise_domain::journal::insights::insights;
use spinewise_domain::journal::personal::personalise;
use spinewise_domain::journal::summary::clinical_summary;
use spinewise_domain::recommend::{self, RequestError};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::request_error;
use crate::server::auth::ApiUser;
use crate::server::error::{ApiError, AppError, Problem};
use crate::server::state::AppState;
use spinewise_app::clock;
use spinewise_app::journal_dto::{
    ClinicalSummaryDto, InsightsDto, Person, PersonalPlanDto, plan_request,
};
use spinewise_app::{journal, profile};

/// The insights' routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_insights))
        .routes(routes!(get_plan))
        .routes(routes!(get_summary))
}

/// Which day to work the insights out for.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TodayQuery {
    /// The client's own date (YYYY-MM-DD), for a client in a time zone where the date is
    /// not the server's. At most one day from the server's UTC date; without it, the
    /// server's UTC date. Entries dated after it are left out.
    #[param(value_type = Option<LocalDate>)]
    today: Option<String>,
}

/// The day asked for, or the server's: a time zone puts a client at most a day away.
fn today_of(q: &TodayQuery) -> Result<LocalDate, AppError> {
    client_date(q.today.as_deref())
}

/// The client's own date from `today`, at most a day from the server's UTC date; the
/// server's without one ([`clock::client_today`]).
pub(super) fn client_date(today: Option<&str>) -> Result<LocalDate, AppError> {
    clock::client_today(today, clock::server_today()).map_err(|e| AppError::field("today", e))
}

/// What the signed-in user's journal says about their back: how each position has suited
/// them, preparation, time of day, how often, sleep, mood, stress, exercise, the weekly PEG
/// score and flare-ups, each with its evidence and a status (`claim`, `not-enough-data`,
/// `no-clear-difference`). Worked out from the saved profile; without one, pain type
/// `unclear` and role `receptive` are assumed and `profile_assumed` says so.
#[utoipa::path(get, path = "/journal/insights", tag = "journal",
    security(("token" = []), ("session" = [])),
    params(TodayQuery),
    responses(
        (status = OK, body = InsightsDto),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_insights(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(q): ApiQuery<TodayQuery>,
) -> Result<Json<InsightsDto>, ApiError> {
    let k = state.knowledge;
    let today = today_of(&q)?;
    let key = user.data_key()?;
    let journal = journal::load(&state.store, &user.id, key).await?;
    let profile = profile::load(&state.store, &user.id, key).await?;
    let person = Person::from_profile(profile.as_ref());
    let found = insights(k, &journal, &person.input, today).map_err(request_error)?;
    Ok(Json(InsightsDto::new(k, &found).for_person(&person)))
}

/// The couple's plan from the saved profile, its positions re-ranked by what the signed-in
/// user's journal shows. Verdicts, the triage and its place before everything else stay the
/// plan's own: only the order changes, and an `avoid` position never ranks above a
/// `recommended` one. Needs a saved profile with a pain type and a role (409 otherwise).
#[utoipa::path(get, path = "/journal/plan", tag = "journal",
    security(("token" = []), ("session" = [])),
    params(TodayQuery),
    responses(
        (status = OK, body = PersonalPlanDto),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json",
            description = "No profile with a pain type and a role is saved."),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_plan(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(q): ApiQuery<TodayQuery>,
) -> Result<Json<PersonalPlanDto>, ApiError> {
    let k = state.knowledge;
    let today = today_of(&q)?;
    let key = user.data_key()?;
    let profile = profile::load(&state.store, &user.id, key).await?;
    let mut request = plan_request(profile.as_ref())?.validate(k)?;
    let journal = journal::load(&state.store, &user.id, key).await?;
    // The red flags the journal still holds come first, as everywhere else.
    request.noted = spinewise_domain::safety::journal_red_flags(k, &journal, today);
    let plan = recommend::recommend(k, &request).map_err(request_error)?;
    let found = insights(k, &journal, &request.you, today).map_err(request_error)?;
    let personal = personalise(&plan, &found);
    Ok(Json(PersonalPlanDto::new(k, &personal)))
}

/// The one-page clinical summary of the signed-in user's journal, for a clinician to read in
/// a minute: the pain type from the latest self-assessment and how sure it was, the weekly
/// PEG score's first and latest answers and their change against the meaningful-change
/// threshold, flare-ups with their dates, exercise sessions per week, the red flags the
/// journal still holds and the conditions of the saved profile. The person's own records,
/// not a diagnosis.
#[utoipa::path(get, path = "/journal/summary", tag = "journal",
    security(("token" = []), ("session" = [])),
    params(TodayQuery),
    responses(
        (status = OK, body = ClinicalSummaryDto),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_summary(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(q): ApiQuery<TodayQuery>,
) -> Result<Json<ClinicalSummaryDto>, ApiError> {
    let k = state.knowledge;
    let today = today_of(&q)?;
    let key = user.data_key()?;
    let journal = journal::load(&state.store, &user.id, key).await?;
    let profile = profile::load(&state.store, &user.id, key).await?;
    let conditions = profile.map(|p| p.conditions).unwrap_or_default();
    let found = clinical_summary(k, &journal, &conditions, today)
        .map_err(|e| request_error(RequestError::Unknown(e)))?;
    Ok(Json(ClinicalSummaryDto::new(k, &found)))
}
