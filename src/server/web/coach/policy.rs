//! What the safety policy says of coaching an exercise for this visitor, the dose their
//! program gives it (for the guided timer and the level of a saved set), and the tracker
//! presets' names and camera advice from the content.

use spinewise_domain::Knowledge;
use spinewise_domain::knowledge::{Dose, ExerciseInfo};
use spinewise_domain::motion::{Exercise, PRESET_IDS};
use spinewise_domain::program::{Program, ProgramDay};
use spinewise_domain::safety::{self, Coaching, ProgramHold};

use super::super::circumstances::{Asked, hold_words, inputs};
use crate::server::auth::Visitor;
use crate::server::error::AppError;
use crate::server::state::AppState;

/// The program's exercise a tracker preset follows, if the content has one.
pub fn tracked_exercise<'k>(k: &'k Knowledge, preset: &str) -> Option<&'k ExerciseInfo> {
    k.exercises()
        .iter()
        .find(|e| e.tracker.as_deref() == Some(preset))
}

/// The name shown for a tracked exercise: the content's name, or the preset's id in words.
pub(super) fn exercise_name(k: &Knowledge, preset: &str) -> String {
    tracked_exercise(k, preset).map_or_else(|| preset.replace('-', " "), |e| e.name.clone())
}

/// How to place the camera for a tracked exercise.
pub(super) fn camera_text(k: &Knowledge, exercise: &Exercise) -> String {
    if let Some(camera) = tracked_exercise(k, &exercise.id).and_then(|e| e.camera.clone()) {
        return camera;
    }
    if exercise.side_view {
        "Place the camera at hip height, side-on, about three metres away, so that your whole body, head to feet, is in the picture.".to_owned()
    } else {
        "Place the camera at hip height, facing you, about three metres away, so that your whole body, head to feet, is in the picture.".to_owned()
    }
}

/// An exercise the coach can follow, or a message naming the ones it can.
pub(super) fn preset(given: Option<&str>) -> Result<Exercise, AppError> {
    let id = given.unwrap_or(PRESET_IDS[0]);
    Exercise::preset(id).ok_or_else(|| {
        AppError::NotFound(format!(
            "The motion coach cannot follow \"{}\"; it can follow: {}.",
            id.chars().take(60).collect::<String>(),
            PRESET_IDS.join(", ")
        ))
    })
}

/// What the safety policy says of coaching this exercise for this visitor, in their
/// circumstances (what the program page asked, their saved profile and journal): whether the
/// program is on hold for them, and whether their pain type and conditions leave this
/// exercise out, change it, or change it into a form the coach cannot follow.
pub(super) async fn policy_for<'k>(
    state: &AppState,
    visitor: &Visitor,
    asked: &Asked<'_>,
    exercise: Option<&'k ExerciseInfo>,
) -> Result<CoachPolicy<'k>, AppError> {
    let k = state.knowledge;
    let inputs = inputs(state, visitor, asked).await?;
    let person = inputs
        .about
        .person(k, spinewise_domain::vocab::Role::Receptive);
    let red_flags = inputs.about.red_flags(k);
    let hold = safety::program_hold(&person, &red_flags).map(|hold| match hold {
        ProgramHold::RedFlag(level) => HoldNotice {
            level: level.as_str(),
            headline: k
                .level(level)
                .map(|i| i.headline.clone())
                .unwrap_or_default(),
            why: hold_words(&red_flags),
        },
        ProgramHold::Condition(c) => HoldNotice {
            level: "soon",
            headline: "The program is on hold".to_owned(),
            why: c.program_note.clone(),
        },
    });
    let coaching = exercise.map(|e| safety::coaching(k, e, &person));
    let (program, _) = inputs.program(k);
    let dose = exercise.and_then(|e| prescribed(&program, e));
    Ok(CoachPolicy {
        hold,
        coaching,
        dose,
        query: inputs.query(),
        circumstances: inputs.fields(),
    })
}

/// The dose the person's program gives `exercise`: today's when today has it, else this
/// week's (the level and any change for a condition are the program's), else the exercise at
/// the week's level; `None` while the program is on hold.
fn prescribed(program: &Program<'_>, exercise: &ExerciseInfo) -> Option<ProgramDose> {
    let week = program.ready()?;
    let on = |day: &ProgramDay<'_>| {
        day.items
            .iter()
            .find(|p| p.exercise.id == exercise.id)
            .map(|p| (p.as_dose(), p.dose.clone()))
    };
    let (dose, words, today) = if let Some((dose, words)) = week.today().and_then(on) {
        (dose, words, true)
    } else if let Some((dose, words)) = week.days.iter().find_map(on) {
        (dose, words, false)
    } else {
        let dose = exercise.dose(week.level).clone();
        let words = dose.describe();
        (dose, words, false)
    };
    Some(ProgramDose { dose, words, today })
}

/// An exercise's dose in the person's program.
pub(super) struct ProgramDose {
    /// The numbers, at the program's level for it.
    pub(super) dose: Dose,
    /// The dose in words, as the program page says it.
    pub(super) words: String,
    /// Whether it is today's (rather than another day's this week).
    pub(super) today: bool,
}

/// Why the program is on hold, as the page says it.
pub(super) struct HoldNotice {
    pub(super) level: &'static str,
    pub(super) headline: String,
    pub(super) why: String,
}

pub(super) struct CoachPolicy<'k> {
    pub(super) hold: Option<HoldNotice>,
    pub(super) coaching: Option<Coaching<'k>>,
    /// The exercise's dose in the person's program, unless the program is on hold.
    pub(super) dose: Option<ProgramDose>,
    pub(super) query: String,
    pub(super) circumstances: Vec<(&'static str, String)>,
}

impl CoachPolicy<'_> {
    /// Why the coach may not follow the exercise for this visitor, if it may not: the program
    /// is on hold, or the exercise is not for them in a form the coach can follow.
    pub(super) fn refusal(&self) -> Option<String> {
        if let Some(hold) = &self.hold {
            return Some(format!("{} {}", hold.headline, hold.why));
        }
        match &self.coaching {
            Some(Coaching::NotForYou { why, instead }) => Some(match instead {
                Some(e) => format!("{why} Your program has {} in its place.", e.name),
                None => why.clone(),
            }),
            _ => None,
        }
    }
}
