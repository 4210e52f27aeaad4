//! Sharing with a clinician over the API: the person's own shares (`/shares`: make one, list
//! them with their access log, revoke one), with an API token or the session cookie; and the
//! clinician's view of a link (`/shared/{secret}`, and its FHIR bundle), which needs no account
//! — the secret in the path, and the PIN in `X-Share-PIN` when the link has one.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::JsonBody;
use super::extract::ApiPath;
use crate::server::auth::ApiUser;
use crate::server::error::{ApiError, Problem};
use crate::server::state::AppState;
use spinewise_app::share_dto::{CreatedShareDto, ShareDto, ShareRequest, SharedDto};
use spinewise_app::{accounts, clinician_share, clock};

/// The header that carries a link's PIN.
pub const PIN_HEADER: &str = "x-share-pin";

/// The sharing routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_share, list_shares))
        .routes(routes!(revoke_share))
        .routes(routes!(get_shared))
        .routes(routes!(get_shared_fhir))
}

#[derive(Debug, Deserialize)]
struct IdPath {
    id: String,
}

#[derive(Debug, Deserialize)]
struct SecretPath {
    secret: String,
}

fn pin(headers: &HeaderMap) -> Option<&str> {
    headers.get(PIN_HEADER).and_then(|v| v.to_str().ok())
}

/// Makes a link for a clinician to what the signed-in person chooses: `plan` (the plan from
/// the saved profile), `summary` (pain type, PEG trend, flare-ups, red flags, conditions),
/// `adherence` (exercise sessions per week) and `fhir` (the journal as an FHIR R4 bundle to
/// download). The content is a snapshot of today, sealed under a key only the link (and the
/// PIN) opens. The answer carries the link's secret this once: only a hash is kept.
#[utoipa::path(post, path = "/shares", tag = "sharing",
    security(("token" = []), ("session" = [])),
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    request_body = ShareRequest,
    responses(
        (status = CREATED, body = CreatedShareDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json",
            description = "The plan was asked for, but no profile with a pain type and a role is saved."),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json",
            description = "A part, the days or the PIN is not valid: each is named."),
    ))]
async fn create_share(
    State(state): State<AppState>,
    user: ApiUser,
    headers: HeaderMap,
    JsonBody(body): JsonBody<ShareRequest>,
) -> Result<(StatusCode, Json<CreatedShareDto>), ApiError> {
    let request = body.validate()?;
    let key = user.data_key()?;
    let base = state.hosts.base_url(&headers, state.cookies.secure);
    let created = clinician_share::create(
        &state.store,
        state.knowledge,
        &user.id,
        key,
        &request,
        &base,
        clock::server_today(),
        accounts::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// The signed-in person's shares, newest first, each with its status and access log: how
/// many times it was opened and when.
#[utoipa::path(get, path = "/shares", tag = "sharing",
    security(("token" = []), ("session" = [])),
    responses(
        (status = OK, body = Vec<ShareDto>),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_shares(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Json<Vec<ShareDto>>, ApiError> {
    Ok(Json(
        clinician_share::list(&state.store, &user.id, accounts::now()).await?,
    ))
}

/// Revokes one of the signed-in person's shares: its content and key are deleted at once,
/// and the link answers 404 from then on. Revoking again changes nothing.
#[utoipa::path(delete, path = "/shares/{id}", tag = "sharing",
    security(("token" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "The share's id."),
        ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token."),
    ),
    responses(
        (status = NO_CONTENT, description = "Revoked."),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json",
            description = "This account has no share with this id."),
    ))]
async fn revoke_share(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(IdPath { id }): ApiPath<IdPath>,
) -> Result<StatusCode, ApiError> {
    clinician_share::revoke(&state.store, &user.id, &id, accounts::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a clinician's link shows, without an account: the parts the patient chose, as they
/// were on the day it was shared. Each opening is logged for the patient. A link that was
/// never made or was revoked answers 404, an expired one 410, and neither says more.
#[utoipa::path(get, path = "/shared/{secret}", tag = "sharing",
    params(
        ("secret" = String, Path, description = "The link's secret, as in `/s/{secret}`."),
        ("X-Share-PIN" = Option<String>, Header, pattern = r"^[0-9]{4,8}$", description = "The link's PIN (4–8 digits), when it has one. Five wrong PINs in a row lock the link for 15 minutes; twenty in all end it."),
    ),
    responses(
        (status = OK, body = SharedDto),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json",
            description = "The link needs its PIN, or the PIN is wrong or not 4 to 8 digits."),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json",
            description = "Nothing is shared at this link (never made, or revoked)."),
        (status = GONE, body = Problem, content_type = "application/problem+json",
            description = "The link has expired."),
        (status = TOO_MANY_REQUESTS, body = Problem, content_type = "application/problem+json",
            description = "Wrong PINs have locked the link; `Retry-After` says for how many seconds.",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
    ))]
async fn get_shared(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(SecretPath { secret }): ApiPath<SecretPath>,
) -> Result<Json<SharedDto>, ApiError> {
    Ok(Json(
        clinician_share::open(&state.store, &secret, pin(&headers), accounts::now()).await?,
    ))
}

/// The FHIR R4 bundle a link includes: the bytes the patient's journal export gave on the
/// day it was shared. Logged as an opening, like the view.
#[utoipa::path(get, path = "/shared/{secret}/fhir", tag = "sharing",
    params(
        ("secret" = String, Path, description = "The link's secret, as in `/s/{secret}`."),
        ("X-Share-PIN" = Option<String>, Header, pattern = r"^[0-9]{4,8}$", description = "The link's PIN (4–8 digits), when it has one."),
    ),
    responses(
        (status = OK, content_type = "application/fhir+json", body = Object),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json",
            description = "The link needs its PIN, or the PIN is wrong or not 4 to 8 digits."),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json",
            description = "Nothing is shared at this link, or the share does not include the bundle."),
        (status = GONE, body = Problem, content_type = "application/problem+json",
            description = "The link has expired."),
        (status = TOO_MANY_REQUESTS, body = Problem, content_type = "application/problem+json",
            description = "Wrong PINs have locked the link; `Retry-After` says for how many seconds.",
            headers(("Retry-After" = u64, description = "Seconds to wait."))),
    ))]
async fn get_shared_fhir(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(SecretPath { secret }): ApiPath<SecretPath>,
) -> Result<Response, ApiError> {
    let bytes =
        clinician_share::open_fhir(&state.store, &secret, pin(&headers), accounts::now()).await?;
    Ok(fhir_attachment(bytes))
}

/// The bundle as a download.
pub fn fhir_attachment(bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/fhir+json"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"spinewise-shared.fhir.json\""),
    );
    response
}
