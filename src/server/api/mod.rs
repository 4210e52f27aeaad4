//! The JSON API under `/api/v1`: the same engine and the same shapes as the CLI's `--json`,
//! described by an OpenAPI 3.1 document generated from these handlers
//! (`/api/v1/openapi.json`). Errors are `application/problem+json` naming each bad field.

mod account;
mod body;
pub mod cache;
mod contract;
mod extract;
#[expect(
    unused_qualifications,
    reason = "utoipa's generated `__path_…` items name the parameter types in full, beside the handlers"
)]
mod insights;
#[expect(
    unused_qualifications,
    reason = "utoipa's generated `__path_…` items name the parameter types in full, beside the handlers"
)]
mod journal;
#[expect(
    unused_qualifications,
    reason = "utoipa's generated `__path_…` items name the parameter types in full, beside the handlers"
)]
mod partner;
#[expect(
    unused_qualifications,
    reason = "utoipa's generated `__path_…` items name the parameter types in full, beside the handlers"
)]
mod program;
pub mod shares;
mod stream;

pub use journal::IMPORT_LIMIT_BYTES;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use extract::{ApiPath, ApiQuery};
use serde::Deserialize;
use spinewise_domain::assessment;
use spinewise_domain::knowledge::Position;
use spinewise_domain::recommend;
use spinewise_domain::vocab::Phase;
use utoipa::ToSchema;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use body::JsonBody;
use spinewise_app::requests::{
    AssessRequest, CheckRequest, RecommendRequest, answer_error, request_error,
};

use crate::server::error::{ApiError, AppError, Problem};
use crate::server::state::AppState;
use spinewise_app::dto;

/// The API's routes and its OpenAPI document.
pub fn router() -> (axum::Router<AppState>, OpenApi) {
    let (router, mut api) = OpenApiRouter::<AppState>::new()
        .routes(routes!(health))
        .routes(routes!(assess))
        .routes(routes!(recommend_plan))
        .routes(routes!(check))
        .routes(routes!(positions))
        .routes(routes!(position))
        .routes(routes!(tips))
        .routes(routes!(faq))
        .routes(routes!(sources))
        .routes(routes!(source))
        .merge(account::router())
        .merge(journal::router())
        .merge(insights::router())
        .merge(program::router())
        .merge(partner::router())
        .merge(shares::router())
        .split_for_parts();
    let router = router
        .fallback(no_such_endpoint)
        .method_not_allowed_fallback(method_not_allowed);
    api.info.title = "spinewise API".to_owned();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    api.info.description = Some(
        "Pain-type assessment, couple recommendations, red-flag triage and the knowledge base behind them. Health education, not diagnosis."
            .to_owned(),
    );
    use utoipa::openapi::security::{
        ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
    };
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "token",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "A personal API token, created on the account page.".to_owned(),
                ))
                .build(),
        ),
    );
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            "sw_session",
            "The session cookie of a signed-in browser (`__Host-sw_session` over HTTPS); requests that change anything must also send the session's CSRF token in the `X-CSRF-Token` header.",
        ))),
    );
    let paths = std::mem::take(&mut api.paths.paths);
    api.paths.paths = paths
        .into_iter()
        .map(|(path, item)| (format!("/api/v1{path}"), item))
        .collect();
    contract::document(&mut api);
    (router, api)
}

async fn no_such_endpoint() -> ApiError {
    AppError::NotFound("there is no such endpoint; see /api/v1/openapi.json".to_owned()).into()
}

async fn method_not_allowed() -> ApiError {
    AppError::MethodNotAllowed.into()
}

/// Serves the OpenAPI document.
pub async fn openapi(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi_json.clone(),
    )
}

#[derive(serde::Serialize, ToSchema)]
struct Health {
    /// Always `ok` when the server answers.
    status: &'static str,
}

/// A trivial endpoint: the server is up.
#[utoipa::path(get, path = "/health", tag = "meta",
    responses((status = OK, body = Health)))]
async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Scores a self-assessment: red flags first, then the pain type with a confidence.
#[utoipa::path(post, path = "/assess", tag = "engine",
    request_body = AssessRequest,
    responses(
        (status = OK, body = dto::AssessmentDto),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PAYLOAD_TOO_LARGE, body = Problem, content_type = "application/problem+json"),
        (status = UNSUPPORTED_MEDIA_TYPE, body = Problem, content_type = "application/problem+json"),
    ))]
async fn assess(
    State(state): State<AppState>,
    JsonBody(answers): JsonBody<assessment::Answers>,
) -> Result<Json<dto::AssessmentDto>, ApiError> {
    let k = state.knowledge;
    let result = assessment::assess(k, &answers).map_err(answer_error)?;
    Ok(Json(dto::AssessmentDto::new(k, &result, false)))
}

/// Makes the couple's plan: positions best first for both backs, tips, notices; red flags
/// first. It judges only what the request says (no account, nothing stored); a signed-in
/// person's plan, with the red flags their journal still holds, is `GET /journal/plan`.
#[utoipa::path(post, path = "/recommend", tag = "engine",
    request_body = RecommendRequest,
    responses(
        (status = OK, body = dto::PlanDto),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PAYLOAD_TOO_LARGE, body = Problem, content_type = "application/problem+json"),
        (status = UNSUPPORTED_MEDIA_TYPE, body = Problem, content_type = "application/problem+json"),
    ))]
async fn recommend_plan(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<RecommendRequest>,
) -> Result<Response, ApiError> {
    let k = state.knowledge;
    let request = request.validate(k)?;
    let body = match state.plans.get(&request) {
        Some(body) => body,
        None => {
            let plan = recommend::recommend(k, &request).map_err(request_error)?;
            // The same bytes as serialising `dto::PlanDto` (the OpenAPI schema), written
            // from parts escaped once.
            let body = Bytes::from(state.plan_json.write(&request, &plan));
            state.plans.insert(request, body.clone());
            body
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// Checks symptoms for red flags and returns a graded referral, with the conditions the
/// request names. It judges only what the request says (no account, nothing stored); the
/// pages and a signed-in person's program also count the saved conditions and the red flags
/// the journal still holds.
#[utoipa::path(post, path = "/check", tag = "engine",
    request_body = CheckRequest,
    responses(
        (status = OK, body = dto::CheckDto),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PAYLOAD_TOO_LARGE, body = Problem, content_type = "application/problem+json"),
        (status = UNSUPPORTED_MEDIA_TYPE, body = Problem, content_type = "application/problem+json"),
    ))]
async fn check(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<CheckRequest>,
) -> Result<Json<dto::CheckDto>, ApiError> {
    let k = state.knowledge;
    let triage = request.triage(k)?;
    Ok(Json(dto::CheckDto::new(k, &triage)))
}

/// Every position with its posture profile for each role.
#[utoipa::path(get, path = "/positions", tag = "knowledge",
    responses((status = OK, body = dto::PositionsDto)))]
async fn positions(State(state): State<AppState>) -> Json<dto::PositionsDto> {
    let k = state.knowledge;
    Json(dto::PositionsDto::new(k, k.positions.iter()))
}

/// One position.
#[utoipa::path(get, path = "/positions/{id}", tag = "knowledge",
    params(("id" = String, Path, description = "Position id, e.g. `spooning`")),
    responses(
        (status = OK, body = dto::PositionsDto),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    ))]
async fn position(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<dto::PositionsDto>, ApiError> {
    let k = state.knowledge;
    let p: &Position = k
        .position(&id)
        .map_err(|e| AppError::NotFound(e.to_string()))?;
    Ok(Json(dto::PositionsDto::new(k, [p])))
}

#[derive(Deserialize)]
struct TipsQuery {
    /// Only tips of this phase: `before`, `during` or `after`.
    phase: Option<String>,
}

/// Every tip, with when it applies and its evidence grade.
#[utoipa::path(get, path = "/tips", tag = "knowledge",
    params(("phase" = Option<Phase>, Query, description = "Only tips of this phase: `before`, `during` or `after`.")),
    responses(
        (status = OK, body = dto::TipCatalogueDto),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn tips(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<TipsQuery>,
) -> Result<Json<dto::TipCatalogueDto>, ApiError> {
    let k = state.knowledge;
    let phase = match query.phase.as_deref() {
        Some(p) => Some(
            p.parse::<Phase>()
                .map_err(|e| AppError::field("phase", e))?,
        ),
        None => None,
    };
    let list = k.tips.iter().filter(|t| phase.is_none_or(|p| t.phase == p));
    Ok(Json(dto::TipCatalogueDto::new(k, list)))
}

#[derive(Deserialize)]
struct FaqQuery {
    /// The question in your own words; without it, every question is listed.
    q: Option<String>,
    /// At most this many answers (1–50, default 3); parsed here to name a bad value.
    limit: Option<String>,
}

/// Answers to common questions, ranked by relevance to `q`.
#[utoipa::path(get, path = "/faq", tag = "knowledge",
    params(
        ("q" = Option<String>, Query, description = "The question in your own words; without it, every question is listed."),
        ("limit" = Option<u16>, Query, minimum = 1, maximum = 50, description = "At most this many answers (1 to 50, default 3)."),
    ),
    responses(
        (status = OK, body = dto::FaqDto),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn faq(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<FaqQuery>,
) -> Result<Json<dto::FaqDto>, ApiError> {
    let k = state.knowledge;
    let limit = match query.limit.as_deref() {
        None => 3,
        Some(l) => l
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|n| (1..=50).contains(n))
            .ok_or_else(|| {
                AppError::field("limit", format!("'{l}' is not a whole number from 1 to 50"))
            })?,
    };
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let results: Vec<_> = match q {
        Some(q) => k
            .search_faq(q)
            .into_iter()
            .take(usize::from(limit))
            .map(|(e, s)| (e, Some(s)))
            .collect(),
        None => k.faq.iter().map(|e| (e, None)).collect(),
    };
    Ok(Json(dto::FaqDto::new(k, q, &results)))
}

/// Every source, with what spinewise takes from it.
#[utoipa::path(get, path = "/sources", tag = "knowledge",
    responses((status = OK, body = dto::SourcesDto)))]
async fn sources(State(state): State<AppState>) -> Json<dto::SourcesDto> {
    Json(dto::SourcesDto {
        sources: state
            .knowledge
            .sources
            .iter()
            .map(dto::SourceDto::from)
            .collect(),
    })
}

/// One source.
#[utoipa::path(get, path = "/sources/{id}", tag = "knowledge",
    params(("id" = String, Path, description = "Source id, e.g. `nice-ng59`")),
    responses(
        (status = OK, body = dto::SourceDto),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    ))]
async fn source(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<dto::SourceDto>, ApiError> {
    let s = state
        .knowledge
        .source(&id)
        .map_err(|e| AppError::NotFound(e.to_string()))?;
    Ok(Json(dto::SourceDto::from(s)))
}
