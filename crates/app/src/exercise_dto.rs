//! The JSON shape of the exercise catalogue (`GET /api/v1/exercises` and
//! `GET /api/v1/exercises/{id}`), built field by field from the domain's [`ExerciseInfo`]:
//! steps, the dose at each level, how it suits each pain type, what it asks of the body, how
//! it is adapted for a restriction, the drawing and the sources. The schemas keep the names
//! `ExerciseInfo`, `Dose`, `Fit`, `ExerciseBody` and `Adaptation`; the closed vocabularies are
//! written as their ids, with the domain's schema for each. The two maps (`fit` by pain type,
//! `adapt` by restriction) keep the domain's order of their keys, not the alphabet's.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use spinewise_domain::knowledge::{
    Adaptation, Dose, ExerciseBody, ExerciseCategory, ExerciseInfo, Fit, SpinalFlexion, Support,
};
use spinewise_domain::vocab::{PainType, Restriction};
use utoipa::ToSchema;

/// An exercise of the at-home program, with its drawing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(
    as = ExerciseInfo,
    description = "An exercise of the at-home program (`exercises.toml`).\n\nIt reads from the file's shape ([`ExerciseEntry`], where `drawing` names a file) and is\ncompleted when the knowledge base loads: `drawing` then holds the SVG itself."
)]
pub struct ExerciseInfoDto {
    /// Id, e.g. `bird-dog`: what journal sets and the program refer to.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it is and what it is for, in one or two sentences.
    pub summary: String,
    /// What it mainly trains.
    #[schema(value_type = ExerciseCategory)]
    pub category: &'static str,
    /// How to do it, one instruction each.
    pub steps: Vec<String>,
    /// The dose at each level, from level 1 up.
    pub levels: Vec<DoseDto>,
    /// How the levels build, and what comes after the last.
    pub progression: String,
    /// When to drop back a level.
    pub back_off: String,
    /// Who should not do it without a clinician's go-ahead.
    pub not_for: Vec<String>,
    /// How it suits each pain type.
    #[schema(value_type = BTreeMap<PainType, FitDto>)]
    pub fit: IdMap<FitDto>,
    /// The drawing: a schematic SVG with a `<title>`, no scripts, fonts or external
    /// references.
    pub drawing: String,
    /// The camera coach's preset (`motion::PRESET_IDS`), when it can follow this exercise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracker: Option<String>,
    /// Where to put the camera for the coach (given with `tracker`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera: Option<String>,
    /// What it asks of the body that a condition can rule out.
    pub body: ExerciseBodyDto,
    /// How to adapt it for a restriction, where it can be adapted.
    #[serde(skip_serializing_if = "IdMap::is_empty")]
    #[schema(value_type = BTreeMap<Restriction, AdaptationDto>)]
    pub adapt: IdMap<AdaptationDto>,
    /// Exercises offered in its place when a restriction rules it out (ids, first suitable
    /// one wins).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// Offered only in place of another exercise, never on its own.
    pub alternative_only: bool,
    /// Sources.
    pub sources: Vec<String>,
}

impl From<&ExerciseInfo> for ExerciseInfoDto {
    fn from(e: &ExerciseInfo) -> Self {
        ExerciseInfoDto {
            id: e.id.clone(),
            name: e.name.clone(),
            summary: e.summary.clone(),
            category: e.category.as_str(),
            steps: e.steps.clone(),
            levels: e.levels.iter().map(DoseDto::from).collect(),
            progression: e.progression.clone(),
            back_off: e.back_off.clone(),
            not_for: e.not_for.clone(),
            fit: IdMap(
                e.fit
                    .iter()
                    .map(|(p, f)| (p.as_str(), FitDto::from(f)))
                    .collect(),
            ),
            drawing: e.drawing.clone(),
            tracker: e.tracker.clone(),
            camera: e.camera.clone(),
            body: ExerciseBodyDto::from(&e.body),
            adapt: IdMap(
                e.adapt
                    .iter()
                    .map(|(r, a)| (r.as_str(), AdaptationDto::from(a)))
                    .collect(),
            ),
            alternatives: e.alternatives.clone(),
            alternative_only: e.alternative_only,
            sources: e.sources.clone(),
        }
    }
}

/// The dose of an exercise at one level of the program.
///
/// `sets` counts sets; in each, `reps` repetitions (or, with `pyramid`, the repetitions of
/// each set in turn), each held for `hold_s` seconds when given. A hold without repetitions
/// is one hold per set. Walking gives `minutes` per bout, `sets` being the bouts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = Dose)]
#[serde(deny_unknown_fields)]
pub struct DoseDto {
    /// The level, from 1.
    pub level: u8,
    /// The form of the exercise at this level, when it changes (e.g. "Knee side plank").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Sets (or holds, or bouts).
    pub sets: u32,
    /// Repetitions in each set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<u32>,
    /// Repetitions of each set in turn, falling set by set (a descending pyramid).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pyramid: Vec<u32>,
    /// Seconds each repetition (or each set) is held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_s: Option<u32>,
    /// Minutes per bout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    /// Rest between sets, seconds.
    #[serde(default)]
    pub rest_s: u32,
    /// Done on each side.
    #[serde(default)]
    pub per_side: bool,
}

impl From<&Dose> for DoseDto {
    fn from(d: &Dose) -> Self {
        DoseDto {
            level: d.level,
            variant: d.variant.clone(),
            sets: d.sets,
            reps: d.reps,
            pyramid: d.pyramid.clone(),
            hold_s: d.hold_s,
            minutes: d.minutes,
            rest_s: d.rest_s,
            per_side: d.per_side,
        }
    }
}

/// How an exercise suits a pain type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = Fit)]
#[serde(tag = "fit", rename_all = "kebab-case", deny_unknown_fields)]
pub enum FitDto {
    /// Suits this back as described.
    Suggested,
    /// Suits this back when done as `how` says.
    Modified {
        /// What to change, in one or two sentences.
        how: String,
    },
    /// Left out of the program for this back, for the reason given.
    HeldBack {
        /// Why it is left out.
        why: String,
    },
}

impl From<&Fit> for FitDto {
    fn from(f: &Fit) -> Self {
        match f {
            Fit::Suggested => FitDto::Suggested,
            Fit::Modified { how } => FitDto::Modified { how: how.clone() },
            Fit::HeldBack { why } => FitDto::HeldBack { why: why.clone() },
        }
    }
}

/// What an exercise asks of the body, in the words the restrictions use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = ExerciseBody)]
#[serde(deny_unknown_fields)]
pub struct ExerciseBodyDto {
    /// What the body rests on.
    #[schema(value_type = Support)]
    pub support: &'static str,
    /// Whether the spine rounds forward under load.
    #[serde(default)]
    #[schema(value_type = SpinalFlexion)]
    pub spinal_flexion: &'static str,
    /// What it asks of the hips (only the hip restrictions).
    #[serde(default)]
    #[schema(value_type = Vec<Restriction>)]
    pub hip: Vec<&'static str>,
}

impl From<&ExerciseBody> for ExerciseBodyDto {
    fn from(b: &ExerciseBody) -> Self {
        ExerciseBodyDto {
            support: support(b.support),
            spinal_flexion: spinal_flexion(b.spinal_flexion),
            hip: b.hip.iter().map(|r| r.as_str()).collect(),
        }
    }
}

fn support(s: Support) -> &'static str {
    match s {
        Support::Back => "back",
        Support::Front => "front",
        Support::Side => "side",
        Support::HandsAndKnees => "hands-and-knees",
        Support::Kneeling => "kneeling",
        Support::Seated => "seated",
        Support::Standing => "standing",
    }
}

fn spinal_flexion(s: SpinalFlexion) -> &'static str {
    match s {
        SpinalFlexion::None => "none",
        SpinalFlexion::Part => "part",
        SpinalFlexion::Loaded => "loaded",
    }
}

/// How an exercise is adapted for a restriction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = Adaptation)]
#[serde(deny_unknown_fields)]
pub struct AdaptationDto {
    /// What to change.
    pub how: String,
    /// Pain types for which the adapted form is not suitable either (the program then swaps or
    /// leaves the exercise out).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<PainType>)]
    pub not_for: Vec<&'static str>,
    /// Whether the camera coach can follow the adapted form (its preset counts the whole
    /// movement).
    #[serde(default)]
    pub coach: bool,
}

impl From<&Adaptation> for AdaptationDto {
    fn from(a: &Adaptation) -> Self {
        AdaptationDto {
            how: a.how.clone(),
            not_for: a.not_for.iter().map(|p| p.as_str()).collect(),
            coach: a.coach,
        }
    }
}

/// A JSON object keyed by ids (pain types, restrictions), written in the order of its pairs:
/// the domain's order of the keys, which is not the alphabet's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdMap<V>(pub Vec<(&'static str, V)>);

impl<V> IdMap<V> {
    /// Whether it has no keys.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<V: Serialize> Serialize for IdMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use spinewise_domain::Knowledge;
    use utoipa::PartialSchema;

    use super::*;

    fn text<T: Serialize>(t: &T) -> String {
        serde_json::to_string(t).expect("serialises")
    }

    fn schema<T: PartialSchema>() -> serde_json::Value {
        serde_json::to_value(T::schema()).expect("a schema serialises")
    }

    #[test]
    fn every_bundled_exercise_writes_the_json_of_the_domain_exercise() {
        let k = Knowledge::bundled().expect("the bundled knowledge base");
        assert!(!k.exercises().is_empty());
        for e in k.exercises() {
            assert_eq!(text(&ExerciseInfoDto::from(e)), text(e), "{}", e.id);
        }
        let list: Vec<ExerciseInfoDto> = k.exercises().iter().map(ExerciseInfoDto::from).collect();
        let all = text(&list);
        assert_eq!(all, text(&k.exercises()));
        // The content reaches every shape: each kind of fit, adaptations, optional fields.
        for field in [
            "\"fit\":\"suggested\"",
            "\"fit\":\"modified\"",
            "\"fit\":\"held-back\"",
            "\"adapt\":{",
            "\"not_for\":[\"",
            "\"coach\":false",
            "\"tracker\"",
            "\"camera\"",
            "\"alternatives\"",
            "\"variant\"",
            "\"pyramid\"",
            "\"hold_s\"",
            "\"minutes\"",
            "\"hip\":[\"",
        ] {
            assert!(all.contains(field), "{field} in the exercise list");
        }
    }

    #[test]
    fn the_maps_keep_the_domain_order_of_their_keys() {
        let k = Knowledge::bundled().expect("the bundled knowledge base");
        let e = &k.exercises()[0];
        let dto = ExerciseInfoDto::from(e);
        let keys: Vec<&str> = dto.fit.0.iter().map(|(key, _)| *key).collect();
        let domain: Vec<&str> = e.fit.keys().map(|p| p.as_str()).collect();
        assert_eq!(keys, domain);
        assert_eq!(keys.first(), Some(&"flexion"), "not the alphabet's order");
    }

    #[test]
    fn the_schemas_are_the_domain_schemas_under_the_same_names() {
        assert_eq!(ExerciseInfoDto::name(), ExerciseInfo::name());
        assert_eq!(DoseDto::name(), Dose::name());
        assert_eq!(FitDto::name(), Fit::name());
        assert_eq!(ExerciseBodyDto::name(), ExerciseBody::name());
        assert_eq!(AdaptationDto::name(), Adaptation::name());
        assert_eq!(schema::<ExerciseInfoDto>(), schema::<ExerciseInfo>());
        assert_eq!(schema::<DoseDto>(), schema::<Dose>());
        assert_eq!(schema::<FitDto>(), schema::<Fit>());
        assert_eq!(schema::<ExerciseBodyDto>(), schema::<ExerciseBody>());
        assert_eq!(schema::<AdaptationDto>(), schema::<Adaptation>());
    }
}
