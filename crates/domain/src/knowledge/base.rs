//! The knowledge base as the engine reads it: [`Knowledge`], every list of the content with
//! lookups by id, and the data other modules derive from it once and keep beside it.

use std::any::{Any, TypeId};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::model::{
    About, Cause, Combination, Condition, DimensionInfo, ExerciseInfo, FaqEntry, FlareAdvice,
    InsightText, Item, JournalContent, LevelInfo, Modification, Notice, PainTypeInfo, Position,
    Questionnaire, RestrictionInfo, Source, Symptom, Tip,
};
use crate::vocab::{Dimension, Level, PainType, Restriction, UnknownValue};

/// The whole knowledge base, validated, with lookups by id.
///
/// It is loaded and checked by [`Knowledge::load`] and its siblings, and the bundled one is
/// had from [`Knowledge::bundled`]; those live with the checks that need the engine
/// ([`crate::content_check`]), above this module.
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
    pub(super) exercises: Vec<ExerciseInfo>,
    /// Drawings named by an exercise but not among the drawings given.
    pub(super) missing_drawings: Vec<(String, String)>,
    /// Drawings given but named by no exercise.
    pub(super) unused_drawings: Vec<String>,
    pub(super) index: Index,
    /// What other modules build from this knowledge base and keep with it.
    pub(super) derived: Derived,
}

/// Each kind of item's position in its list, by id.
#[derive(Debug, Default)]
pub(super) struct Index {
    pub(super) sources: HashMap<String, usize>,
    pub(super) positions: HashMap<String, usize>,
    pub(super) modifications: HashMap<String, usize>,
    pub(super) conditions: HashMap<String, usize>,
    pub(super) tips: HashMap<String, usize>,
    pub(super) symptoms: HashMap<String, usize>,
    pub(super) notices: HashMap<String, usize>,
    pub(super) faq: HashMap<String, usize>,
    pub(super) insight_texts: HashMap<String, usize>,
    pub(super) flare_advice: HashMap<String, usize>,
    pub(super) exercises: HashMap<String, usize>,
}

pub(super) fn index_of<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<String, usize> {
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

/// Values built from a knowledge base and kept with it, one of each type, each built on first
/// use (the FAQ's search index). The knowledge base does not know what they are: the module
/// that needs one asks [`Knowledge::derived`] for it.
#[derive(Default)]
pub(super) struct Derived(Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>);

impl Derived {
    /// The values, whatever a thread that panicked while holding them left (a value is only
    /// ever inserted whole).
    fn values(&self) -> MutexGuard<'_, HashMap<TypeId, Arc<dyn Any + Send + Sync>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Derived {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Derived")
            .field("built", &self.values().len())
            .finish()
    }
}

impl Knowledge {
    /// The value of type `T` built from this knowledge base by `build`: built on the first
    /// call, then kept with the knowledge base and shared.
    pub(crate) fn derived<T: Any + Send + Sync>(&self, build: fn(&Knowledge) -> T) -> Arc<T> {
        let key = TypeId::of::<T>();
        let kept = self.derived.values().get(&key).cloned();
        let value = match kept {
            Some(value) => value,
            None => {
                // Built without the lock held; should two threads race, the first kept wins.
                let built: Arc<dyn Any + Send + Sync> = Arc::new(build(self));
                Arc::clone(self.derived.values().entry(key).or_insert(built))
            }
        };
        // The value under `T`'s key is always a `T`.
        value
            .downcast::<T>()
            .unwrap_or_else(|_| Arc::new(build(self)))
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
