//! The exercise program over the API: the exercises with their steps, doses, drawings and
//! sources (`GET /exercises`, `GET /exercises/{id}`), and this week's program
//! (`GET /program`) for anyone, following the journal when the caller is signed in.
//! A finished session goes into the journal as an `exercise` entry with its `sets`
//! (`POST /journal/entries`); the camera coach is a WebSocket at `/move/coach/ws`.

// utoipa's `path` macro repeats the IntoParams types it is given with their full path.
#![allow(unused_qualifications)]

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use spinewise_domain::journal::Journal;
use spinewise_domain::knowledge::ExerciseInfo;
use spinewise_domain::program::Program;
use spinewise_domain::vocab::{Level, PainScore, PainType};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::insights::client_date;
use crate::auth::ApiUser;
use crate::error::{ApiError, AppError, Problem};
use crate::exercise_program::{self, Circumstances};
use crate::journal;
use crate::startup::AppState;

/// The program's routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(exercises))
        .routes(routes!(exercise))
        .routes(routes!(program))
}

/// Every exercise of the program, in the order a session does them: steps, the dose at each
/// level, progression, when to back off, who should not do it, how it suits each pain type,
/// a schematic SVG drawing, the camera coach's preset where it can follow it, and sources.
#[utoipa::path(get, path = "/exercises", tag = "program",
    responses((status = OK, body = Vec<ExerciseInfo>)))]
async fn exercises(State(state): State<AppState>) -> Json<&'static [ExerciseInfo]> {
    Json(state.knowledge.exercises())
}

/// An exercise's id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ExercisePath {
    /// e.g. `bird-dog`.
    id: String,
}

/// One exercise.
#[utoipa::path(get, path = "/exercises/{id}", tag = "program",
    params(ExercisePath),
    responses(
        (status = OK, body = ExerciseInfo),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    ))]
async fn exercise(
    State(state): State<AppState>,
    Path(ExercisePath { id }): Path<ExercisePath>,
) -> Result<Json<&'static ExerciseInfo>, ApiError> {
    let k = state.knowledge;
    k.exercise(&id)
        .map(Json)
        .ok_or_else(|| AppError::NotFound(k.unknown_exercise(&id).to_string()).into())
}

/// What to work the program out for.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProgramQuery {
    /// `flexion`, `extension`, `motion`, `unclear` or `none`. Without it: the saved profile's,
    /// else the latest assessment's in the journal, else `unclear` (the general program).
    pain_type: Option<String>,
    /// Back pain today, 0–10. Without it: today's check-in in the journal, if any.
    pain: Option<String>,
    /// The client's own date (YYYY-MM-DD), at most a day from the server's UTC date.
    today: Option<String>,
}

/// This week's program and what it was worked out from.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramDto<'k> {
    /// The pain type planned for.
    #[schema(value_type = String)]
    pub pain_type: PainType,
    /// Where it came from: `given`, `profile`, `assessment` or `unknown` (the general
    /// program).
    pub pain_type_source: &'static str,
    /// Back pain today, if known.
    #[schema(value_type = Option<u8>)]
    pub pain_today: Option<PainScore>,
    /// The worst red-flag level in the journal that still matters (`none` signed out).
    #[schema(value_type = String)]
    pub red_flag_level: Level,
    /// Whether the program follows the caller's journal (signed in, journal unlocked).
    pub follows_journal: bool,
    /// For each exercise the camera coach can follow, its WebSocket's path.
    pub coach_sockets: BTreeMap<String, String>,
    /// The program (`kind: "ready"`) or why it is withheld (`kind: "withheld"`).
    pub program: Program<'k>,
}

/// This week's exercise program for a pain type and today's pain, red flags first: a red
/// flag at `urgent` or `emergency` in the journal withholds it. Signed in (token or
/// session), it follows the journal: the level moves up after good weeks and eases off after
/// a session that went badly or a flare-up. Signed out, it starts at level 1.
#[utoipa::path(get, path = "/program", tag = "program",
    params(ProgramQuery),
    responses(
        (status = OK, body = ProgramDto),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn program(
    State(state): State<AppState>,
    user: Option<ApiUser>,
    query: Result<Query<ProgramQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<ProgramDto<'static>>, ApiError> {
    let k = state.knowledge;
    let Query(q) = query.map_err(|e| AppError::Malformed(e.body_text()))?;
    let given_type = exercise_program::optional::<PainType>(q.pain_type.as_deref(), "pain_type")?;
    let given_pain = exercise_program::optional::<PainScore>(q.pain.as_deref(), "pain")?;
    let today = client_date(q.today.as_deref().map(str::trim).filter(|t| !t.is_empty()))?;
    let (journal, profile, follows_journal) = match &user {
        Some(u) => {
            let key = u.data_key()?;
            let profile = state.store.profile(&u.id).await?.and_then(|p| p.pain_type);
            (
                journal::load(&state.store, &u.id, key).await?,
                profile,
                true,
            )
        }
        None => (Journal::default(), None, false),
    };
    let about = Circumstances::new(k, given_type, given_pain, profile, journal, today);
    let program = about.program(k);
    Ok(Json(ProgramDto {
        pain_type: about.pain_type,
        pain_type_source: about.source.as_str(),
        pain_today: about.pain_today,
        red_flag_level: about.red_flags,
        follows_journal,
        coach_sockets: k
            .exercises()
            .iter()
            .filter_map(|e| {
                e.tracker
                    .as_ref()
                    .map(|t| (e.id.clone(), format!("/move/coach/ws?exercise={t}")))
            })
            .collect(),
        program,
    }))
}
