//! The knowledge base as the engine loads it: the content files parsed and checked against
//! the knowledge base's own rules ([`crate::knowledge`]), then against what the rest of the
//! engine relies on — the modification the posture model offers when the other partner can
//! move, the notices the plan shows, the explanations the journal's insights use, and the
//! presets of the camera coach that exercises name.
//!
//! It sits above the knowledge base and the parts it checks for, so that the knowledge base
//! needs none of them. [`Knowledge::load`], its siblings and [`Knowledge::bundled`] are
//! defined here, and run both sets of rules.

use std::sync::OnceLock;

use crate::journal::insights::TEXTS_USED;
use crate::knowledge::{self, ContentError, ContentFiles, ExerciseInfo, Knowledge};
use crate::motion::PRESET_IDS;
use crate::posture::PARTNER_MOVES;
use crate::recommend::NOTICES_USED;

impl Knowledge {
    /// Parses and validates a knowledge base, with the bundled `journal.toml`.
    pub fn load(files: &ContentFiles<'_>) -> Result<Knowledge, ContentError> {
        Knowledge::load_with_journal(files, ContentFiles::BUNDLED_JOURNAL)
    }

    /// Parses and validates a knowledge base whose `journal.toml` is `journal`, with the
    /// bundled exercises.
    pub fn load_with_journal(
        files: &ContentFiles<'_>,
        journal: &str,
    ) -> Result<Knowledge, ContentError> {
        Knowledge::load_with(
            files,
            journal,
            ContentFiles::BUNDLED_EXERCISES,
            ContentFiles::BUNDLED_EXERCISE_DRAWINGS,
        )
    }

    /// Parses and validates a knowledge base whose `journal.toml` is `journal`, whose
    /// `exercises.toml` is `exercises`, and whose exercise drawings are `drawings` (each file
    /// name with its SVG).
    pub fn load_with(
        files: &ContentFiles<'_>,
        journal: &str,
        exercises: &str,
        drawings: &[(&str, &str)],
    ) -> Result<Knowledge, ContentError> {
        let knowledge = Knowledge::from_files(files, journal, exercises, drawings)?;
        let mut problems = knowledge::problems(&knowledge);
        problems.extend(engine_problems(&knowledge));
        if problems.is_empty() {
            Ok(knowledge)
        } else {
            Err(ContentError::Invalid(problems))
        }
    }

    /// The knowledge base compiled into this build, parsed on first use.
    pub fn bundled() -> Result<&'static Knowledge, &'static ContentError> {
        static BUNDLED: OnceLock<Result<Knowledge, ContentError>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| Knowledge::load(&ContentFiles::BUNDLED))
            .as_ref()
    }
}

/// Every way the knowledge base falls short of what the engine relies on, one sentence each;
/// empty when it has all of it.
fn engine_problems(k: &Knowledge) -> Vec<String> {
    let mut problems = Vec::new();
    if k.modification(PARTNER_MOVES).is_err() {
        problems.push(format!(
            "modification '{PARTNER_MOVES}', which the engine offers only when the other partner can move, is missing"
        ));
    }
    for id in NOTICES_USED {
        if k.notice(id).is_err() {
            problems.push(format!("notice '{id}', which the engine shows, is missing"));
        }
    }
    for id in TEXTS_USED {
        if k.insight_text(id).is_err() {
            problems.push(format!(
                "insight '{id}', which the journal explains, is missing"
            ));
        }
    }
    for e in k.exercises() {
        problems.extend(camera_problems(e));
    }
    problems
}

/// What is wrong with how the camera coach would follow an exercise: a tracker that is not
/// one of its presets, or no word on where to put the camera.
fn camera_problems(e: &ExerciseInfo) -> Option<String> {
    let whose = format!("exercise {}", e.id);
    match (&e.tracker, &e.camera) {
        (Some(t), _) if !PRESET_IDS.contains(&t.as_str()) => Some(format!(
            "{whose}: tracker '{t}' is not a preset of the camera coach (expected one of: {})",
            PRESET_IDS.join(", ")
        )),
        (Some(_), None) => Some(format!(
            "{whose} can be followed by the camera coach but does not say where to put the camera"
        )),
        (Some(_), Some(camera)) if camera.trim().is_empty() => {
            Some(format!("{whose}: camera is empty"))
        }
        _ => None,
    }
}
