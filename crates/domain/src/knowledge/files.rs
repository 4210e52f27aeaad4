//! The content files: their text as compiled into this build, parsed into a [`Knowledge`]
//! with its indexes, and the error for content that does not parse or does not validate.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::base::{Derived, Index, Knowledge, index_of};
use super::model::{
    About, Cause, Combination, Condition, DimensionInfo, ExerciseInfo, FaqEntry, JournalContent,
    LevelInfo, Modification, Notice, PainTypeInfo, Position, Questionnaire, RestrictionInfo,
    Source, Symptom, Tip,
};
use crate::vocab::Level;

/// The text of each content file.
#[derive(Debug, Clone, Copy)]
pub struct ContentFiles<'a> {
    /// `about.toml`
    pub about: &'a str,
    /// `sources.toml`
    pub sources: &'a str,
    /// `pain-types.toml`
    pub pain_types: &'a str,
    /// `positions.toml`
    pub positions: &'a str,
    /// `modifications.toml`
    pub modifications: &'a str,
    /// `conditions.toml`
    pub conditions: &'a str,
    /// `tips.toml`
    pub tips: &'a str,
    /// `red-flags.toml`
    pub red_flags: &'a str,
    /// `notices.toml`
    pub notices: &'a str,
    /// `questionnaire.toml`
    pub questionnaire: &'a str,
    /// `faq.toml`
    pub faq: &'a str,
}

macro_rules! content_file {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../content/",
            $name
        ))
    };
}

impl ContentFiles<'static> {
    /// The content compiled into this build.
    pub const BUNDLED: ContentFiles<'static> = ContentFiles {
        about: content_file!("about.toml"),
        sources: content_file!("sources.toml"),
        pain_types: content_file!("pain-types.toml"),
        positions: content_file!("positions.toml"),
        modifications: content_file!("modifications.toml"),
        conditions: content_file!("conditions.toml"),
        tips: content_file!("tips.toml"),
        red_flags: content_file!("red-flags.toml"),
        notices: content_file!("notices.toml"),
        questionnaire: content_file!("questionnaire.toml"),
        faq: content_file!("faq.toml"),
    };

    /// `journal.toml` as compiled into this build: the journal's explanations and flare-up
    /// advice. It is passed beside the other files ([`Knowledge::load_with_journal`]) so that
    /// the shape of [`ContentFiles`] stays as it was.
    pub const BUNDLED_JOURNAL: &'static str = content_file!("journal.toml");

    /// `exercises.toml` as compiled into this build: the exercises of the at-home program.
    /// Passed beside the other files ([`Knowledge::load_with`]), like `journal.toml`.
    pub const BUNDLED_EXERCISES: &'static str = content_file!("exercises.toml");

    /// The exercises' drawings as compiled into this build: each file name under
    /// `content/exercises/` with its SVG.
    pub const BUNDLED_EXERCISE_DRAWINGS: &'static [(&'static str, &'static str)] = &[
        ("bird-dog.svg", content_file!("exercises/bird-dog.svg")),
        ("cat-camel.svg", content_file!("exercises/cat-camel.svg")),
        ("curl-up.svg", content_file!("exercises/curl-up.svg")),
        (
            "glute-bridge.svg",
            content_file!("exercises/glute-bridge.svg"),
        ),
        ("hip-hinge.svg", content_file!("exercises/hip-hinge.svg")),
        ("side-plank.svg", content_file!("exercises/side-plank.svg")),
        ("walking.svg", content_file!("exercises/walking.svg")),
        (
            "trunk-brace.svg",
            content_file!("exercises/trunk-brace.svg"),
        ),
        ("clamshell.svg", content_file!("exercises/clamshell.svg")),
    ];
}

/// Content that does not parse or does not validate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    /// A file is not valid TOML of the expected shape.
    #[error("content/{file}: {message}")]
    Parse {
        /// The file.
        file: &'static str,
        /// What is wrong, with the line.
        message: String,
    },
    /// The files parse but break the rules: every problem found, one per line.
    #[error("the knowledge base has {} problem(s):\n{}", .0.len(), .0.join("\n"))]
    Invalid(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    source: Vec<Source>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PainTypesFile {
    pain_type: Vec<PainTypeInfo>,
    dimension: Vec<DimensionInfo>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PositionsFile {
    position: Vec<Position>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModificationsFile {
    modification: Vec<Modification>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionsFile {
    restriction: Vec<RestrictionInfo>,
    condition: Vec<Condition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TipsFile {
    tip: Vec<Tip>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedFlagsFile {
    levels: BTreeMap<Level, LevelInfo>,
    symptom: Vec<Symptom>,
    #[serde(default)]
    combination: Vec<Combination>,
    cause: Vec<Cause>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoticesFile {
    notice: Vec<Notice>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExercisesFile {
    exercise: Vec<ExerciseInfo>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaqFile {
    #[serde(default)]
    synonyms: HashMap<String, Vec<String>>,
    entry: Vec<FaqEntry>,
}

fn parse<T: for<'de> Deserialize<'de>>(file: &'static str, text: &str) -> Result<T, ContentError> {
    toml::from_str(text).map_err(|e| ContentError::Parse {
        file,
        message: e.to_string().trim_end().replace('\n', " "),
    })
}

impl Knowledge {
    /// Parses a knowledge base whose `journal.toml` is `journal`, whose `exercises.toml` is
    /// `exercises`, and whose exercise drawings are `drawings` (each file name with its SVG),
    /// without checking it: the loaders ([`Knowledge::load_with`]) check what this returns
    /// against [`problems`](super::problems) and the engine's own rules.
    ///
    /// # Errors
    ///
    /// [`ContentError::Parse`] for a file that is not valid TOML of the expected shape.
    pub(crate) fn from_files(
        files: &ContentFiles<'_>,
        journal: &str,
        exercises: &str,
        drawings: &[(&str, &str)],
    ) -> Result<Knowledge, ContentError> {
        let about: About = parse("about.toml", files.about)?;
        let SourcesFile { source: sources } = parse("sources.toml", files.sources)?;
        let PainTypesFile {
            pain_type: pain_types,
            dimension: dimensions,
        } = parse("pain-types.toml", files.pain_types)?;
        let PositionsFile {
            position: positions,
        } = parse("positions.toml", files.positions)?;
        let ModificationsFile {
            modification: modifications,
        } = parse("modifications.toml", files.modifications)?;
        let ConditionsFile {
            restriction: restrictions,
            condition: conditions,
        } = parse("conditions.toml", files.conditions)?;
        let TipsFile { tip: tips } = parse("tips.toml", files.tips)?;
        let RedFlagsFile {
            levels,
            symptom: symptoms,
            combination: combinations,
            cause: causes,
        } = parse("red-flags.toml", files.red_flags)?;
        let NoticesFile { notice: notices } = parse("notices.toml", files.notices)?;
        let questionnaire: Questionnaire = parse("questionnaire.toml", files.questionnaire)?;
        let FaqFile {
            synonyms,
            entry: faq,
        } = parse("faq.toml", files.faq)?;
        let journal: JournalContent = parse("journal.toml", journal)?;
        let ExercisesFile {
            exercise: mut exercises,
        } = parse("exercises.toml", exercises)?;
        let mut missing_drawings = Vec::new();
        for e in &mut exercises {
            match drawings.iter().find(|(name, _)| *name == e.drawing_file) {
                Some((_, svg)) => e.drawing = (*svg).to_owned(),
                None => missing_drawings.push((e.id.clone(), e.drawing_file.clone())),
            }
        }
        let unused_drawings = drawings
            .iter()
            .filter(|(name, _)| !exercises.iter().any(|e| e.drawing_file == *name))
            .map(|(name, _)| (*name).to_owned())
            .collect();

        let index = Index {
            sources: index_of(&sources, |s| &s.id),
            positions: index_of(&positions, |p| &p.id),
            modifications: index_of(&modifications, |m| &m.id),
            conditions: index_of(&conditions, |c| &c.id),
            tips: index_of(&tips, |t| &t.id),
            symptoms: index_of(&symptoms, |s| &s.id),
            notices: index_of(&notices, |n| &n.id),
            faq: index_of(&faq, |f| &f.id),
            insight_texts: index_of(&journal.insights, |t| &t.id),
            flare_advice: index_of(&journal.flare_advice, |a| &a.id),
            exercises: index_of(&exercises, |e| &e.id),
        };
        let knowledge = Knowledge {
            about,
            sources,
            pain_types,
            dimensions,
            positions,
            modifications,
            conditions,
            restrictions,
            tips,
            levels,
            symptoms,
            combinations,
            causes,
            notices,
            questionnaire,
            faq,
            synonyms,
            journal,
            exercises,
            missing_drawings,
            unused_drawings,
            index,
            derived: Derived::default(),
        };
        Ok(knowledge)
    }
}
