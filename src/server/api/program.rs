//! The exercise program over the API: the exercises with their steps, doses, drawings and
//! sources (`GET /exercises`, `GET /exercises/{id}`), and this week's program
//! (`GET /program`) for anyone, following the journal when the caller is signed in.
//! A finished session goes into the journal as an `exercise` entry with its `sets`
//! (`POST /journal/entries`); the camera coach is a WebSocket at `/move/coach/ws`.

// utoipa's `path` macro repeats the IntoParams types it is given with their full path.

use super::extract::ApiPath;
use super::extract::ApiQuery;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use spinewise_app::knowledge_ids::ConditionId;
use spinewise_domain::journal::{Journal, LocalDate};
use spinewise_domain::program::program_for;
use spinewise_domain::safety::{Circumstances, Saved};
use spinewise_domain::vocab::{PainScore, PainType};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::insights::client_date;
use crate::server::auth::ApiUser;
use crate::server::error::{ApiError, AppError, Problem};
use crate::server::state::AppState;
use spinewise_app::dto::ProgramDto;
use spinewise_app::exercise_dto::ExerciseInfoDto;
use spinewise_app::exercise_program;
use spinewise_app::profile;

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
    responses((status = OK, body = Vec<ExerciseInfoDto>)))]
async fn exercises(State(state): State<AppState>) -> Json<Vec<ExerciseInfoDto>> {
    Json(
        state
            .knowledge
            .exercises()
            .iter()
            .map(ExerciseInfoDto::from)
            .collect(),
    )
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
        (status = OK, body = ExerciseInfoDto),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    ))]
async fn exercise(
    State(state): State<AppState>,
    ApiPath(ExercisePath { id }): ApiPath<ExercisePath>,
) -> Result<Json<ExerciseInfoDto>, ApiError> {
    let k = state.knowledge;
    k.exercise(&id)
        .map(|e| Json(e.into()))
        .ok_or_else(|| AppError::NotFound(k.unknown_exercise(&id).to_string()).into())
}

/// What to work the program out for.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProgramQuery {
    /// `flexion`, `extension`, `motion`, `unclear` or `none`. Without it: the saved profile's,
    /// else the latest assessment's in the journal, else `unclear` (the general program).
    #[param(value_type = Option<PainType>)]
    pain_type: Option<String>,
    /// Back pain today, 0–10. Without it: today's check-in in the journal, if any.
    #[param(value_type = Option<PainScore>)]
    pain: Option<String>,
    /// Condition ids, separated by commas (e.g. `pregnancy,osteoporosis`). They add to the
    /// saved profile's conditions when signed in; they never replace them.
    #[param(value_type = Option<Vec<ConditionId>>, style = Form, explode = false)]
    conditions: Option<String>,
    /// The week of a pregnancy, 0–45. Without it, a pregnancy counts as possibly past 20
    /// weeks.
    #[param(value_type = Option<u8>, minimum = 0, maximum = 45)]
    pregnancy_weeks: Option<String>,
    /// The client's own date (YYYY-MM-DD), at most a day from the server's UTC date.
    #[param(value_type = Option<LocalDate>)]
    today: Option<String>,
}

/// A comma-separated list of ids (`pregnancy,osteoporosis`); an empty place in it
/// (`pregnancy,,osteoporosis`, or a comma alone) is refused naming the parameter.
pub fn id_list(field: &str, raw: Option<&str>) -> Result<Vec<String>, AppError> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .map(|id| {
            if id.is_empty() {
                Err(AppError::field(
                    field,
                    format!("'{raw}' has an empty place: ids separated by single commas, e.g. pregnancy,osteoporosis"),
                ))
            } else {
                Ok(id.to_owned())
            }
        })
        .collect()
}

/// This week's exercise program for a pain type, today's pain and the person's conditions,
/// red flags first: a red flag at `urgent` or `emergency` in the journal withholds it, and so
/// does recent spine surgery until the surgeon or physiotherapist says when to start. Other
/// conditions adapt, swap or leave out exercises (`program.conditions` says which and why).
/// Signed in (token or session), it follows the journal and the saved profile: the level moves
/// up after good weeks and eases off after a session that went badly or a flare-up. Signed
/// out, it starts at level 1.
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
    ApiQuery(q): ApiQuery<ProgramQuery>,
) -> Result<Json<ProgramDto>, ApiError> {
    let k = state.knowledge;
    let given = exercise_program::given(
        k,
        q.pain_type.as_deref(),
        q.pain.as_deref(),
        &id_list("conditions", q.conditions.as_deref())?,
        q.pregnancy_weeks.as_deref(),
    )?;
    let today = client_date(q.today.as_deref().map(str::trim).filter(|t| !t.is_empty()))?;
    let (journal, saved, follows_journal) = match &user {
        Some(u) => {
            let key = u.data_key()?;
            let (saved, journal) =
                profile::saved_and_journal(&state.store, &u.id, Some(key)).await?;
            (journal, saved, true)
        }
        None => (Journal::default(), Saved::default(), false),
    };
    let about = Circumstances::gather(k, given, saved, journal, today)
        .map_err(|e| AppError::field("conditions", e))?;
    let (program, red_flags) = program_for(k, &about);
    Ok(Json(ProgramDto::new(
        k,
        &about,
        &red_flags,
        follows_journal,
        &program,
    )))
}
