//! The knowledge base: pain types, positions and their posture profiles, modifications,
//! conditions, tips, red flags, causes, notices, the questionnaire, the FAQ, the journal's
//! explanations and flare-up advice, the exercises of the at-home program with their
//! drawings, and the sources behind all of them.
//!
//! The reviewed TOML files under `content/` are compiled into the binary
//! ([`ContentFiles::BUNDLED`], [`ContentFiles::BUNDLED_JOURNAL`],
//! [`ContentFiles::BUNDLED_EXERCISES`] and [`ContentFiles::BUNDLED_EXERCISE_DRAWINGS`]),
//! parsed once ([`Knowledge::bundled`]) and validated as they load: every id is unique, every
//! reference resolves, every fact cites a source.

mod model;
mod validate;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

pub use model::*;
pub use validate::{
    MIN_EXERCISE_LEVELS, REQUIRED_CONDITIONS, REQUIRED_EXERCISES, REQUIRED_FLARE_ADVICE,
    REQUIRED_SYMPTOMS, REQUIRED_TIPS, SEED_POSITIONS,
};

use crate::vocab::{Dimension, Level, PainType, Restriction, UnknownValue};

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

/// The whole knowledge base, validated, with lookups by id.
#[derive(Debug)]
pub struct Knowledge {
    /// What the product is and is not.
    pub about: About,
    /// Every source, in file order.
    pub sources: Vec<Source>,
    /// The pain types.
    pub pain_types: Vec<PainTypeInfo>,
    /// How reasons speak of each posture dimension.
    pub dimensions: Vec<DimensionInfo>,
    /// The positions, in file order (the tie-break of the ranking).
    pub positions: Vec<Position>,
    /// The modifications.
    pub modifications: Vec<Modification>,
    /// The conditions that change the plan.
    pub conditions: Vec<Condition>,
    /// What each restriction a condition can bring means.
    pub restrictions: Vec<RestrictionInfo>,
    /// The tips.
    pub tips: Vec<Tip>,
    /// What each red-flag level means.
    pub levels: BTreeMap<Level, LevelInfo>,
    /// The symptoms the triage knows.
    pub symptoms: Vec<Symptom>,
    /// Symptom combinations that raise the level.
    pub combinations: Vec<Combination>,
    /// Causes of back pain after sex.
    pub causes: Vec<Cause>,
    /// Notices the engine can show.
    pub notices: Vec<Notice>,
    /// The self-assessment.
    pub questionnaire: Questionnaire,
    /// Questions and answers.
    pub faq: Vec<FaqEntry>,
    /// Search synonyms: a word and the words it also stands for.
    pub synonyms: HashMap<String, Vec<String>>,
    /// The journal's explanations and flare-up advice.
    pub journal: JournalContent,
    /// The exercises of the at-home program, in session order.
    exercises: Vec<ExerciseInfo>,
    /// Drawings named by an exercise but not among the drawings given.
    missing_drawings: Vec<(String, String)>,
    /// Drawings given but named by no exercise.
    unused_drawings: Vec<String>,
    index: Index,
    faq_index: OnceLock<crate::faq::Index>,
}

#[derive(Debug, Default)]
struct Index {
    sources: HashMap<String, usize>,
    positions: HashMap<String, usize>,
    modifications: HashMap<String, usize>,
    conditions: HashMap<String, usize>,
    tips: HashMap<String, usize>,
    symptoms: HashMap<String, usize>,
    notices: HashMap<String, usize>,
    faq: HashMap<String, usize>,
    insight_texts: HashMap<String, usize>,
    flare_advice: HashMap<String, usize>,
    exercises: HashMap<String, usize>,
}

fn index_of<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<String, usize> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| (id(item).to_owned(), i))
        .collect()
}

fn unknown<'a, T: 'a>(
    what: &'static str,
    value: &str,
    items: impl IntoIterator<Item = &'a T>,
    id: impl Fn(&T) -> &str,
) -> UnknownValue {
    UnknownValue::new(what, value, items.into_iter().map(|t| id(t).to_owned()))
}

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
            faq_index: OnceLock::new(),
        };
        let problems = validate::problems(&knowledge);
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

    /// The entries of the FAQ that answer `query`, best first, with their relevance.
    pub fn search_faq(&self, query: &str) -> Vec<(&FaqEntry, f64)> {
        self.faq_index
            .get_or_init(|| crate::faq::Index::new(self))
            .search(self, query)
    }

    /// A source by id.
    pub fn source(&self, id: &str) -> Result<&Source, UnknownValue> {
        self.index
            .sources
            .get(id)
            .map(|&i| &self.sources[i])
            .ok_or_else(|| unknown("source", id, &self.sources, |s| &s.id))
    }

    /// A position by id.
    pub fn position(&self, id: &str) -> Result<&Position, UnknownValue> {
        self.index
            .positions
            .get(id)
            .map(|&i| &self.positions[i])
            .ok_or_else(|| unknown("position", id, &self.positions, |p| &p.id))
    }

    /// A modification by id.
    pub fn modification(&self, id: &str) -> Result<&Modification, UnknownValue> {
        self.index
            .modifications
            .get(id)
            .map(|&i| &self.modifications[i])
            .ok_or_else(|| unknown("modification", id, &self.modifications, |m| &m.id))
    }

    /// A condition by id.
    pub fn condition(&self, id: &str) -> Result<&Condition, UnknownValue> {
        self.index
            .conditions
            .get(id)
            .map(|&i| &self.conditions[i])
            .ok_or_else(|| unknown("condition", id, &self.conditions, |c| &c.id))
    }

    /// A tip by id.
    pub fn tip(&self, id: &str) -> Result<&Tip, UnknownValue> {
        self.index
            .tips
            .get(id)
            .map(|&i| &self.tips[i])
            .ok_or_else(|| unknown("tip", id, &self.tips, |t| &t.id))
    }

    /// A symptom by id.
    pub fn symptom(&self, id: &str) -> Result<&Symptom, UnknownValue> {
        self.index
            .symptoms
            .get(id)
            .map(|&i| &self.symptoms[i])
            .ok_or_else(|| unknown("symptom", id, &self.symptoms, |s| &s.id))
    }

    /// A notice by id.
    pub fn notice(&self, id: &str) -> Result<&Notice, UnknownValue> {
        self.index
            .notices
            .get(id)
            .map(|&i| &self.notices[i])
            .ok_or_else(|| unknown("notice", id, &self.notices, |n| &n.id))
    }

    /// An FAQ entry by id.
    pub fn faq_entry(&self, id: &str) -> Result<&FaqEntry, UnknownValue> {
        self.index
            .faq
            .get(id)
            .map(|&i| &self.faq[i])
            .ok_or_else(|| unknown("question", id, &self.faq, |f| &f.id))
    }

    /// The explanation behind a kind of insight, by id.
    pub fn insight_text(&self, id: &str) -> Result<&InsightText, UnknownValue> {
        self.index
            .insight_texts
            .get(id)
            .map(|&i| &self.journal.insights[i])
            .ok_or_else(|| unknown("insight", id, &self.journal.insights, |t| &t.id))
    }

    /// An item of flare-up advice, by id.
    pub fn flare_advice(&self, id: &str) -> Result<&FlareAdvice, UnknownValue> {
        self.index
            .flare_advice
            .get(id)
            .map(|&i| &self.journal.flare_advice[i])
            .ok_or_else(|| unknown("flare advice", id, &self.journal.flare_advice, |a| &a.id))
    }

    /// The exercises of the at-home program, in the order a session does them.
    pub fn exercises(&self) -> &[ExerciseInfo] {
        &self.exercises
    }

    /// An exercise by id.
    pub fn exercise(&self, id: &str) -> Option<&ExerciseInfo> {
        self.index.exercises.get(id).map(|&i| &self.exercises[i])
    }

    /// An error for an exercise id that is not in the program, naming the ones that are.
    pub fn unknown_exercise(&self, id: &str) -> UnknownValue {
        unknown("exercise", id, &self.exercises, |e| &e.id)
    }

    /// The highest level of the program: the most levels any exercise has.
    pub fn max_exercise_level(&self) -> u8 {
        self.exercises
            .iter()
            .map(ExerciseInfo::max_level)
            .max()
            .unwrap_or(1)
    }

    /// What a restriction means (validated content describes every one).
    pub fn restriction(&self, restriction: Restriction) -> Option<&RestrictionInfo> {
        self.restrictions.iter().find(|r| r.id == restriction)
    }

    /// What a red-flag level means for the person.
    pub fn level(&self, level: Level) -> Option<&LevelInfo> {
        self.levels.get(&level)
    }

    /// What the knowledge base says of a pain type.
    pub fn pain_type(&self, pain_type: PainType) -> Option<&PainTypeInfo> {
        self.pain_types.iter().find(|p| p.id == pain_type)
    }

    /// How reasons speak of a posture dimension.
    pub fn dimension(&self, dimension: Dimension) -> Option<&DimensionInfo> {
        self.dimensions.iter().find(|d| d.id == dimension)
    }

    /// The item of the questionnaire with this id.
    pub fn item(&self, id: &str) -> Result<&Item, UnknownValue> {
        self.questionnaire
            .items
            .iter()
            .find(|i| i.id == id)
            .ok_or_else(|| unknown("question", id, &self.questionnaire.items, |i| &i.id))
    }
}
