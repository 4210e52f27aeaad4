//! The camera motion coach: its page, the pose-estimation files it runs in the browser, and
//! the WebSocket that takes one person's keypoints frame by frame and answers with the
//! tracker's state. Without a camera (or by choice) the page runs a guided timer instead: the
//! person's dose from their program as timed steps, shown and spoken in the browser, with
//! nothing sent until a set is saved.
//!
//! The camera image never leaves the browser: the page runs MediaPipe Pose there and sends
//! only the 33 landmarks of each frame. The server keeps one [`spinewise_domain::motion::Session`] per
//! connection, in memory only, and forgets it when the connection closes; nothing about a
//! set is written anywhere unless the person saves its summary to their journal, which goes
//! through the same sealed journal as every other entry.

pub mod limits;
mod policy;
mod save;
mod socket;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Query;
use spinewise_app::coach_dto::GuidedPlanDto;
use spinewise_domain::guided;
use spinewise_domain::motion::{Goal, PRESET_IDS};
use spinewise_domain::safety::Coaching;

use super::circumstances::{VisitorQuery, warning_signs};
use super::views::Page;
use super::views::render;
use crate::server::auth::Visitor;
use crate::server::error::{AppError, PageError};
use crate::server::state::AppState;

pub use self::limits::{
    IDLE_TIMEOUT, MAX_BAD_MESSAGES, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS,
    MAX_FRAMES_PER_SECOND, MAX_MESSAGE_BYTES, MAX_SESSION,
};
use self::policy::*;
use self::save::save;
use self::socket::socket;

/// The coach's routes (the vendor files are served by [`crate::server::router`]).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/move/coach", get(page))
        .route("/move/coach/ws", get(socket))
        .route("/move/coach/save", post(save))
}

#[derive(Template)]
#[template(path = "coach.html")]
struct CoachTpl {
    page: Page,
    exercise_id: String,
    exercise_name: String,
    camera: String,
    goal: String,
    presets: Vec<(String, String)>,
    assets_ready: bool,
    /// Where the pose model's files are (`/vendor/mediapipe/pose/<digest>/`), when installed.
    model_base: String,
    signed_in: bool,
    warning_signs: Vec<(String, String)>,
    /// The program is on hold for this person.
    hold: Option<HoldNotice>,
    /// How this person's program has the exercise, when not as it is: changed (the how), or
    /// not for them (why, and the exercise done instead: id, name).
    changed: Option<String>,
    not_for_you: Option<(String, Option<(String, String)>)>,
    /// The query the program page was asked, to go back to the same program.
    query: String,
    /// The same circumstances, as the save form's hidden fields.
    circumstances: Vec<(&'static str, String)>,
    /// Whether the coach is offered: not while the program is on hold, nor for an exercise
    /// that is not for this person in a form the coach can follow.
    coach_open: bool,
    /// The program's exercise the preset follows: its drawing (the content's own checked
    /// SVG) and its steps.
    drawing: Option<String>,
    steps: Vec<String>,
    /// The guided timer for the person's dose, where the coach is offered.
    guided: Option<GuidedView>,
}

/// The guided timer as the page shows it: the dose in words and its steps for the script.
struct GuidedView {
    /// The dose in words, as the program page says it.
    dose: String,
    /// Its level.
    level: u8,
    /// The form of the exercise at this level, when it changes.
    variant: String,
    /// Whether it is today's dose (rather than another day's this week).
    today: bool,
    /// About how long it takes, e.g. "4 minutes".
    length: String,
    /// The plan as JSON ([`GuidedPlanDto`]), for the page's script.
    plan_json: String,
}

impl GuidedView {
    fn new(d: &ProgramDose) -> Result<GuidedView, AppError> {
        let plan = guided::plan(&d.dose);
        let minutes = plan.total_seconds().div_ceil(60).max(1);
        Ok(GuidedView {
            dose: d.words.clone(),
            level: d.dose.level,
            variant: d.dose.variant.clone().unwrap_or_default(),
            today: d.today,
            length: spinewise_domain::words::count(minutes, "minute", "minutes"),
            plan_json: serde_json::to_string(&GuidedPlanDto::from(&plan))
                .map_err(|e| AppError::Internal(e.into()))?,
        })
    }
}

async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<VisitorQuery>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    let exercise = preset(query.exercise.as_deref())?;
    let name = exercise_name(k, &exercise.id);
    let policy = policy_for(
        &state,
        &visitor,
        &query.asked(),
        tracked_exercise(k, &exercise.id),
    )
    .await?;
    let (changed, not_for_you) = match policy.coaching {
        Some(Coaching::Changed { how }) => (Some(how), None),
        Some(Coaching::NotForYou { why, instead }) => (
            None,
            Some((why, instead.map(|e| (e.id.clone(), e.name.clone())))),
        ),
        Some(Coaching::AsItIs) | None => (None, None),
    };
    let info = tracked_exercise(k, &exercise.id);
    let coach_open = policy.hold.is_none() && not_for_you.is_none();
    let guided = match &policy.dose {
        Some(d) if coach_open => Some(GuidedView::new(d)?),
        _ => None,
    };
    let tpl = CoachTpl {
        guided,
        drawing: info.map(|i| i.drawing.clone()),
        steps: info.map(|i| i.steps.clone()).unwrap_or_default(),
        warning_signs: warning_signs(k),
        coach_open,
        hold: policy.hold,
        changed,
        not_for_you,
        query: policy.query,
        circumstances: policy.circumstances,
        page: Page::new(k, &visitor, format!("Motion coach: {name}"), "move"),
        camera: camera_text(k, &exercise),
        goal: match exercise.goal {
            Goal::Reps(_) => "reps",
            Goal::Hold(_) => "hold",
        }
        .to_owned(),
        presets: PRESET_IDS
            .iter()
            .map(|id| ((*id).to_owned(), exercise_name(k, id)))
            .collect(),
        assets_ready: state.coach.assets_ready(),
        model_base: if coach_open {
            state.coach.model.base_url().await.unwrap_or_default()
        } else {
            String::new()
        },
        signed_in: visitor.user().is_some(),
        exercise_id: exercise.id,
        exercise_name: name,
    };
    Ok(render(&tpl)?.into_response())
}
