//! Saving a set to the journal — counted by the camera coach, or followed with the guided
//! timer — through the same sealed journal as every other entry, and only where the safety
//! policy lets the program go on.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Redirect;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::{
    Entry, EntryId, Exercise as ExerciseEntry, ExerciseSet, LocalDateTime,
};
use spinewise_domain::motion::PRESET_IDS;
use spinewise_domain::vocab::{Felt, PainScore};

use super::super::circumstances::Asked;
use super::super::form::{CONFLICT_MESSAGE, Fields, Reader, felt_choices, pain_choices};
use super::super::views::Page;
use super::super::views::render;
use crate::server::auth::Visitor;
use crate::server::error::AppError;
use crate::server::error::PageError;
use crate::server::state::AppState;
use spinewise_app::journal::{self, JournalError};

use super::policy::*;

// ---------------------------------------------------------------------------------------------
// Saving a set
// ---------------------------------------------------------------------------------------------

/// The form that saves a coached set: filled in by the page after `finish`, shown again with
/// a message when a value is wrong.
#[derive(Template)]
#[template(path = "coach_save.html")]
struct SaveTpl {
    page: Page,
    errors: Vec<String>,
    entry_id: String,
    exercise_id: String,
    exercise_name: String,
    reps: String,
    hold_s: String,
    warnings: String,
    /// `camera` or `guided`, as sent.
    mode: String,
    minutes: String,
    felt: Vec<(String, String, bool)>,
    pain_after: Vec<(u8, bool)>,
    note: String,
    /// The circumstances the coach page was opened with, sent again.
    circumstances: Vec<(String, String)>,
}

impl SaveTpl {
    fn new(
        k: &'static Knowledge,
        visitor: &Visitor,
        fields: &Fields,
        errors: Vec<String>,
    ) -> SaveTpl {
        let preset = fields.one("exercise");
        SaveTpl {
            page: Page::new(k, visitor, "Save the set to your journal", "move"),
            errors,
            entry_id: match fields.one("entry_id") {
                "" => uuid::Uuid::new_v4().to_string(),
                id => id.to_owned(),
            },
            exercise_name: exercise_name(k, preset),
            exercise_id: preset.to_owned(),
            reps: fields.one("reps").to_owned(),
            hold_s: fields.one("hold_s").to_owned(),
            warnings: fields.one("warnings").to_owned(),
            mode: match fields.one("mode") {
                "" => "camera".to_owned(),
                m => m.to_owned(),
            },
            minutes: fields.one("minutes").to_owned(),
            felt: felt_choices(fields.one("felt")),
            pain_after: pain_choices(fields.one("pain_after")),
            note: fields.one("note").to_owned(),
            circumstances: fields
                .0
                .iter()
                .filter(|(k, _)| {
                    ["pain_type", "pain", "condition", "pregnancy_weeks", "today"]
                        .contains(&k.as_str())
                })
                .cloned()
                .collect(),
        }
    }
}

/// How a set was followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The camera coach counted it.
    Camera,
    /// The guided timer paced it: no camera, so no form warnings.
    Guided,
}

impl Mode {
    /// The form's `mode`: `camera` (also when missing, as forms from before the guided timer
    /// sent it) or `guided`; otherwise a message naming the value and the allowed ones.
    fn parse(raw: &str) -> Result<Mode, String> {
        match raw {
            "" | "camera" => Ok(Mode::Camera),
            "guided" => Ok(Mode::Guided),
            other => Err(format!(
                "Mode: \"{}\" is not one of camera, guided.",
                other.chars().take(40).collect::<String>()
            )),
        }
    }
}

/// The journal entry a saved set makes, or a message per bad field. A guided set records the
/// level its dose came from (`level`: the program's, worked out again on the server).
fn coached_entry(
    k: &Knowledge,
    fields: &Fields,
    at: LocalDateTime,
    level: Option<u8>,
) -> Result<Entry, Vec<String>> {
    let mut r = Reader {
        fields,
        errors: Vec::new(),
    };
    let mode = Mode::parse(fields.one("mode"))
        .map_err(|e| r.errors.push(e))
        .ok();
    let preset = fields.one("exercise");
    let info = tracked_exercise(k, preset);
    if info.is_none() {
        r.errors.push(format!(
            "Exercise: the motion coach follows {}, not \"{}\".",
            PRESET_IDS.join(", "),
            preset.chars().take(40).collect::<String>()
        ));
    }
    let id = r.required::<EntryId>("entry_id", "Form id");
    let reps = r.parse::<u32>("reps", "Repetitions");
    let hold_s = r.parse::<u32>("hold_s", "Longest hold (seconds)");
    let warnings = r.parse::<u32>("warnings", "Form warnings").unwrap_or(0);
    if mode == Some(Mode::Guided) && warnings > 0 {
        r.errors.push(format!(
            "Form warnings: a set followed with the guided timer has none (no camera watched it), not {warnings}."
        ));
    }
    let minutes = r.required::<u16>("minutes", "Minutes");
    let felt = r.required::<Felt>("felt", "How your back felt");
    let pain_after = r.parse::<PainScore>("pain_after", "Back pain after");
    let note = r.note();
    match (info, id, minutes, felt, mode) {
        (Some(info), Some(id), Some(minutes), Some(felt), Some(mode)) if r.errors.is_empty() => {
            let guided = mode == Mode::Guided;
            Ok(Entry::Exercise(ExerciseEntry {
                id,
                at,
                what: if guided {
                    format!("{} (guided timer)", info.name)
                } else {
                    format!("{} (camera coach)", info.name)
                },
                minutes,
                felt,
                pain_before: None,
                pain_after,
                note,
                sets: vec![ExerciseSet {
                    exercise: info.id.clone(),
                    reps,
                    hold_s,
                    warnings,
                    coached: !guided,
                    level: if guided { level } else { None },
                }],
            }))
        }
        _ => Err(r.errors),
    }
}

pub(super) async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    let fields = Fields(fields);
    visitor.verify_csrf(fields.one("csrf"))?;
    let user = visitor.require()?;
    let key = user.data_key()?;
    let refuse = |status: StatusCode, errors: Vec<String>| -> Result<Response, PageError> {
        let tpl = SaveTpl::new(k, &visitor, &fields, errors);
        Ok((status, render(&tpl)?).into_response())
    };
    // Nothing is saved while the program is on hold, as for a session logged by hand, nor for
    // an exercise the program does not have in a form the coach follows: judged in the
    // circumstances the coach page was opened with.
    let conditions = fields.all("condition");
    let asked = Asked {
        pain_type: Some(fields.one("pain_type")).filter(|v| !v.is_empty()),
        pain: Some(fields.one("pain")).filter(|v| !v.is_empty()),
        conditions: &conditions,
        pregnancy_weeks: Some(fields.one("pregnancy_weeks")).filter(|v| !v.is_empty()),
        today: Some(fields.one("today")).filter(|v| !v.is_empty()),
    };
    let policy = policy_for(
        &state,
        &visitor,
        &asked,
        tracked_exercise(k, fields.one("exercise")),
    )
    .await?;
    if let Some(why) = policy.refusal() {
        return refuse(
            StatusCode::CONFLICT,
            vec![format!(
                "The coach does not follow this exercise for you now: {why}"
            )],
        );
    }
    let at = spinewise_app::clock::server_now();
    let level = policy.dose.as_ref().map(|d| d.dose.level);
    let entry = match coached_entry(k, &fields, at, level) {
        Ok(e) => e,
        Err(errors) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, errors),
    };
    match journal::create(
        &state.store,
        k,
        &user.id,
        key,
        &entry,
        spinewise_app::accounts::now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/journal?saved=exercise").into_response()),
        Err(JournalError::Invalid(e)) => refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![format!("{}: {}.", e.field, e.message)],
        ),
        Err(JournalError::Conflict(_)) => {
            if let Some(stored) = journal::get(&state.store, &user.id, key, entry.id()).await?
                && super::super::program::same_session(&stored, &entry)
            {
                return Ok(Redirect::to("/journal?saved=exercise").into_response());
            }
            // A fresh id, so that sending the form again makes a new entry.
            let fields = fields.without("entry_id");
            let tpl = SaveTpl::new(k, &visitor, &fields, vec![CONFLICT_MESSAGE.to_owned()]);
            Ok((StatusCode::CONFLICT, render(&tpl)?).into_response())
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
