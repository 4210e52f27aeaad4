//! The signed-in user's part of the API: their saved profile. Authenticated by a personal API
//! token (`Authorization: Bearer …`) or the session cookie, which must bring the CSRF token in
//! `X-CSRF-Token` to change anything.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use spinewise_domain::vocab::{PainType, RoleChoice};
use spinewise_store::ProfileRecord;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::JsonBody;
use crate::server::auth::ApiUser;
use crate::server::error::{ApiError, AppError, Problem};
use crate::server::state::AppState;
use spinewise_app::knowledge_ids::ConditionId;
use spinewise_app::requests::Collect;
use spinewise_app::{accounts, profile};

/// The routes that need a signed-in user.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_profile, put_profile))
}

/// A saved profile: what the plan starts from.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileDto {
    /// `flexion`, `extension`, `motion`, `none` or `unclear`.
    #[schema(value_type = Option<PainType>)]
    pub pain_type: Option<String>,
    /// `receptive`, `insertive` or `switch`.
    #[schema(value_type = Option<RoleChoice>)]
    pub role: Option<String>,
    /// Condition ids.
    #[serde(default)]
    #[schema(value_type = Vec<ConditionId>)]
    pub conditions: Vec<String>,
    /// The partner's pain type.
    #[schema(value_type = Option<PainType>)]
    pub partner_pain_type: Option<String>,
    /// The partner's condition ids.
    #[serde(default)]
    #[schema(value_type = Vec<ConditionId>)]
    pub partner_conditions: Vec<String>,
}

impl From<ProfileRecord> for ProfileDto {
    fn from(p: ProfileRecord) -> Self {
        ProfileDto {
            pain_type: p.pain_type.map(|t| t.as_str().to_owned()),
            role: p.role.map(|r| r.as_str().to_owned()),
            conditions: p.conditions,
            partner_pain_type: p.partner_pain_type.map(|t| t.as_str().to_owned()),
            partner_conditions: p.partner_conditions,
        }
    }
}

/// The signed-in user's profile (empty if nothing is saved yet).
#[utoipa::path(get, path = "/profile", tag = "account",
    security(("token" = []), ("session" = [])),
    responses(
        (status = OK, body = ProfileDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_profile(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Json<ProfileDto>, ApiError> {
    let profile = profile::load(&state.store, &user.id, user.data_key()?)
        .await?
        .unwrap_or_default();
    Ok(Json(profile.into()))
}

/// Replaces the signed-in user's profile.
#[utoipa::path(put, path = "/profile", tag = "account",
    security(("token" = []), ("session" = [])),
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    request_body = ProfileDto,
    responses(
        (status = OK, body = ProfileDto),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_profile(
    State(state): State<AppState>,
    user: ApiUser,
    JsonBody(body): JsonBody<ProfileDto>,
) -> Result<Json<ProfileDto>, ApiError> {
    let k = state.knowledge;
    let mut c = Collect(Vec::new());
    let condition = |id: &str| k.condition(id).map(|_| ());
    let pain_type = c.parse::<PainType>("pain_type", body.pain_type.as_deref());
    let role = c.parse::<RoleChoice>("role", body.role.as_deref());
    let partner_pain_type =
        c.parse::<PainType>("partner_pain_type", body.partner_pain_type.as_deref());
    let conditions = c.ids("conditions", &body.conditions, condition);
    let partner_conditions = c.ids("partner_conditions", &body.partner_conditions, condition);
    if !c.0.is_empty() {
        return Err(AppError::fields(c.0).into());
    }
    let record = ProfileRecord {
        pain_type,
        role,
        conditions,
        partner_pain_type,
        partner_conditions,
        updated_at: 0,
    };
    let saved = profile::save(
        &state.store,
        &user.id,
        user.data_key()?,
        &record,
        accounts::now(),
    )
    .await?;
    Ok(Json(saved.into()))
}
