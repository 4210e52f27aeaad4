//! The JSON shapes of journal entries as the API and `spinewise journal … --json` send them:
//! one entry ([`EntryDto`]) and the whole journal written out ([`ExportDto`]), built field by
//! field from the domain's [`Entry`] and [`Document`].
//!
//! The shapes are the ones the API takes (`POST /journal/entries`, `POST /journal/import`),
//! byte for byte, so that an exported journal imports back; the schemas keep the names
//! `Entry`, `Intimacy`, `Document`… and serve the requests' documentation too. Scores, ids,
//! dates and vocabularies are written as their plain JSON values, with the domain's schema for
//! each.

use serde::Serialize;
use spinewise_domain::assessment::Answers;
#[cfg(doc)]
use spinewise_domain::journal::entry::MAX_SETS;
use spinewise_domain::journal::export::Document;
use spinewise_domain::journal::{
    AssessmentRecord, DailyCheckIn, Entry, EntryId, Exercise, ExerciseSet, Intimacy, Peg, Rating,
};
use spinewise_domain::vocab::{Felt, Level, PainScore, PainType, Preparation};
use utoipa::ToSchema;

use crate::knowledge_ids::{ExerciseId, PositionId, SymptomId};
use crate::requests::AssessRequest;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{Discriminator, ObjectBuilder, OneOf, Schema, Type};

/// One journal entry, of any kind. As JSON, an object whose `kind` names the kind.
///
/// Its schema is written by hand (`entry_schema`): each kind's own fields with `kind`
/// among them, so that a kind's `additionalProperties: false` does not refuse `kind` itself,
/// as a schema that adds `kind` beside the kind's (`allOf`) would.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum EntryDto {
    /// Intimacy.
    Intimacy(IntimacyDto),
    /// A daily check-in.
    Daily(DailyCheckInDto),
    /// The weekly PEG scale.
    Peg(PegDto),
    /// An exercise session.
    Exercise(ExerciseDto),
    /// A completed self-assessment.
    Assessment(AssessmentRecordDto),
}

impl utoipa::PartialSchema for EntryDto {
    fn schema() -> RefOr<Schema> {
        entry_schema()
    }
}

impl ToSchema for EntryDto {
    fn name() -> std::borrow::Cow<'static, str> {
        "Entry".into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        IntimacyDto::schemas(schemas);
        DailyCheckInDto::schemas(schemas);
        PegDto::schemas(schemas);
        ExerciseDto::schemas(schemas);
        AssessmentRecordDto::schemas(schemas);
    }
}

/// An entry's day: a calendar date, YYYY-MM-DD, from 1950 on and not in the future.
#[derive(Debug, Clone, Copy)]
pub struct EntryDate;

/// An entry's time: a wall-clock time in the person's own time zone, YYYY-MM-DDTHH:MM
/// (seconds are accepted and dropped), from 1950 on and not in the future.
#[derive(Debug, Clone, Copy)]
pub struct EntryTime;

/// A calendar date from 1950 on: 30- and 31-day months, and 29 February in leap years only.
macro_rules! entry_date_pattern {
    () => {
        concat!(
            r"(?:(?:19[5-9]\d|[2-9]\d{3})-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])",
            r"|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))",
            r"|(?:19(?:5[26]|[68][048]|[79][26])|[2-9]\d(?:0[48]|[2468][048]|[13579][26])",
            r"|(?:[2468][048]|[3579][26])00)-02-29)"
        )
    };
}

impl utoipa::PartialSchema for EntryDate {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A day, YYYY-MM-DD, from 1950 on and not in the future (the latest date anywhere on Earth).",
            ))
            .pattern(Some(concat!("^", entry_date_pattern!(), "$")))
            .into()
    }
}

impl ToSchema for EntryDate {}

impl utoipa::PartialSchema for EntryTime {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A wall-clock time in the person's own time zone, YYYY-MM-DDTHH:MM (seconds are accepted and dropped), from 1950 on and not in the future (the latest time anywhere on Earth).",
            ))
            .pattern(Some(concat!(
                "^",
                entry_date_pattern!(),
                r"T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$"
            )))
            .into()
    }
}

impl ToSchema for EntryTime {}

/// Adds to the OpenAPI document `doc` (as JSON) what the entry schemas' derived parts cannot
/// say: lists whose items may appear once each, and that a daily check-in answers at least
/// one thing.
pub fn document_entry_rules(doc: &mut serde_json::Value) {
    for schema in ["Entry", "EntryReplacement"] {
        if let Some(kinds) = doc
            .pointer_mut(&format!("/components/schemas/{schema}/oneOf"))
            .and_then(serde_json::Value::as_array_mut)
        {
            kinds.iter_mut().for_each(document_kind_rules);
        }
    }
}

/// [`document_entry_rules`] for one kind's schema.
fn document_kind_rules(kind: &mut serde_json::Value) {
    let name = kind
        .pointer("/properties/kind/enum/0")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if name == "intimacy" {
        for list in ["positions", "preparation", "symptoms"] {
            if let Some(list) = kind
                .pointer_mut(&format!("/properties/{list}"))
                .and_then(serde_json::Value::as_object_mut)
            {
                list.insert("uniqueItems".to_owned(), true.into());
            }
        }
    }
    if name == "daily" {
        let answers = [
            ("pain_morning", serde_json::json!({"type": "integer"})),
            ("pain_evening", serde_json::json!({"type": "integer"})),
            ("sleep_hours", serde_json::json!({"type": "number"})),
            ("sleep_quality", serde_json::json!({"type": "integer"})),
            ("mood", serde_json::json!({"type": "integer"})),
            ("stress", serde_json::json!({"type": "integer"})),
            ("note", serde_json::json!({"type": "string"})),
        ];
        let any: Vec<serde_json::Value> = answers
            .into_iter()
            .map(|(field, given)| {
                serde_json::json!({"required": [field], "properties": {field: given}})
            })
            .collect();
        if let Some(object) = kind.as_object_mut() {
            object.insert("anyOf".to_owned(), any.into());
        }
    }
}

/// The schema of [`EntryDto`]: one of the kinds, each an object of the kind's fields led by
/// `kind`, whose value picks the kind.
fn entry_schema() -> RefOr<Schema> {
    entry_kinds(
        true,
        "One journal entry, of any kind. As JSON, an object whose `kind` names the kind.",
    )
}

/// The schemas of the entry kinds, each an object led by `kind` (and without `id` unless
/// `with_id`), as one of them.
fn entry_kinds(with_id: bool, description: &str) -> RefOr<Schema> {
    let kind = |schema: RefOr<Schema>, kind: &str| {
        let RefOr::T(Schema::Object(mut object)) = schema else {
            unreachable!("an entry kind's schema is an object")
        };
        let tag = ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some([kind]))
            .description(Some("The kind of entry."))
            .build();
        object.properties.insert("kind".to_owned(), tag.into());
        object.required.insert(0, "kind".to_owned());
        if !with_id {
            object.properties.remove("id");
            object.required.retain(|r| r != "id");
        }
        RefOr::T(Schema::Object(object))
    };
    use utoipa::PartialSchema as _;
    let mut one_of = OneOf::new();
    one_of.items = vec![
        kind(IntimacyDto::schema(), "intimacy"),
        kind(DailyCheckInDto::schema(), "daily"),
        kind(PegDto::schema(), "peg"),
        kind(ExerciseDto::schema(), "exercise"),
        kind(AssessmentRecordDto::schema(), "assessment"),
    ];
    one_of.description = Some(description.to_owned());
    one_of.discriminator = Some(Discriminator::new("kind"));
    RefOr::T(Schema::OneOf(one_of))
}

/// An entry as `PUT /journal/entries/{id}` takes it: any kind, its id given by the path.
#[derive(Debug, Clone, Copy)]
pub struct EntryReplacement;

impl utoipa::PartialSchema for EntryReplacement {
    fn schema() -> RefOr<Schema> {
        entry_kinds(
            false,
            "A journal entry to put in the place of the path's id: any kind, as `Entry` without its `id` (one given must be the path's).",
        )
    }
}

impl ToSchema for EntryReplacement {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        EntryDto::schemas(schemas);
    }
}

impl From<&Entry> for EntryDto {
    fn from(e: &Entry) -> Self {
        match e {
            Entry::Intimacy(e) => EntryDto::Intimacy(e.into()),
            Entry::Daily(e) => EntryDto::Daily(e.into()),
            Entry::Peg(e) => EntryDto::Peg(e.into()),
            Entry::Exercise(e) => EntryDto::Exercise(e.into()),
            Entry::Assessment(e) => EntryDto::Assessment(e.into()),
        }
    }
}

fn score(p: PainScore) -> u8 {
    p.value()
}

fn rating(r: Rating) -> u8 {
    r.value()
}

/// Intimacy: when, which positions, how the person prepared, and pain before, during, right
/// after and the next day.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Intimacy)]
#[serde(deny_unknown_fields)]
pub struct IntimacyDto {
    /// The entry's id.
    #[schema(value_type = EntryId)]
    pub id: String,
    /// When.
    #[schema(value_type = EntryTime)]
    pub at: String,
    /// Position ids from the knowledge base, in the order used, each once.
    #[serde(default)]
    #[schema(value_type = Vec<PositionId>)]
    pub positions: Vec<String>,
    /// Preparation steps taken.
    #[serde(default)]
    #[schema(value_type = Vec<Preparation>)]
    pub preparation: Vec<&'static str>,
    /// Back pain just before, 0–10.
    #[schema(value_type = PainScore)]
    pub pain_before: u8,
    /// The worst back pain during, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<PainScore>)]
    pub pain_during: Option<u8>,
    /// Back pain right after, 0–10.
    #[schema(value_type = PainScore)]
    pub pain_after: u8,
    /// Whether pain (or anything else about the back) made them stop early.
    #[serde(default)]
    pub stopped_early: bool,
    /// Red-flag symptom ids noticed during or after, each once.
    #[serde(default)]
    #[schema(value_type = Vec<SymptomId>)]
    pub symptoms: Vec<String>,
    /// Back pain the next morning, 0–10, asked for the next day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<PainScore>)]
    pub next_day_pain: Option<u8>,
    /// A private note (at most 2000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

impl From<&Intimacy> for IntimacyDto {
    fn from(e: &Intimacy) -> Self {
        IntimacyDto {
            id: e.id.to_string(),
            at: e.at.to_string(),
            positions: e.positions.clone(),
            preparation: e.preparation.iter().map(|p| p.as_str()).collect(),
            pain_before: score(e.pain_before),
            pain_during: e.pain_during.map(score),
            pain_after: score(e.pain_after),
            stopped_early: e.stopped_early,
            symptoms: e.symptoms.clone(),
            next_day_pain: e.next_day_pain.map(score),
            note: e.note.clone(),
        }
    }
}

/// A day's check-in: pain in the morning and evening, the night's sleep, mood and stress.
/// Any of them may be left out, but not all.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = DailyCheckIn)]
#[serde(deny_unknown_fields)]
pub struct DailyCheckInDto {
    /// The entry's id (the web app uses [`EntryId::daily`]).
    #[schema(value_type = EntryId)]
    pub id: String,
    /// The day.
    #[schema(value_type = EntryDate)]
    pub date: String,
    /// Back pain on getting up, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<PainScore>)]
    pub pain_morning: Option<u8>,
    /// Back pain in the evening, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<PainScore>)]
    pub pain_evening: Option<u8>,
    /// Hours slept the night before, 0–24.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0, maximum = 24)]
    pub sleep_hours: Option<f64>,
    /// How well they slept, 1 (badly) to 5 (very well).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Rating>)]
    pub sleep_quality: Option<u8>,
    /// Mood, 1 (very low) to 5 (very good).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Rating>)]
    pub mood: Option<u8>,
    /// Stress, 1 (none) to 5 (overwhelming).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Rating>)]
    pub stress: Option<u8>,
    /// A private note (at most 2000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

impl From<&DailyCheckIn> for DailyCheckInDto {
    fn from(e: &DailyCheckIn) -> Self {
        DailyCheckInDto {
            id: e.id.to_string(),
            date: e.date.to_string(),
            pain_morning: e.pain_morning.map(score),
            pain_evening: e.pain_evening.map(score),
            sleep_hours: e.sleep_hours,
            sleep_quality: e.sleep_quality.map(rating),
            mood: e.mood.map(rating),
            stress: e.stress.map(rating),
            note: e.note.clone(),
        }
    }
}

/// The PEG scale (Krebs et al. 2009), for the past week, each item 0–10: average pain, how
/// much pain interfered with enjoyment of life, and with general activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = Peg)]
#[serde(deny_unknown_fields)]
pub struct PegDto {
    /// The entry's id.
    #[schema(value_type = EntryId)]
    pub id: String,
    /// The day it was answered.
    #[schema(value_type = EntryDate)]
    pub date: String,
    /// Average pain in the past week, 0 (none) to 10 (as bad as you can imagine).
    #[schema(value_type = PainScore)]
    pub pain: u8,
    /// How much pain interfered with enjoyment of life, 0 (not at all) to 10 (completely).
    #[schema(value_type = PainScore)]
    pub enjoyment: u8,
    /// How much pain interfered with general activity, 0 (not at all) to 10 (completely).
    #[schema(value_type = PainScore)]
    pub activity: u8,
}

impl From<&Peg> for PegDto {
    fn from(e: &Peg) -> Self {
        PegDto {
            id: e.id.to_string(),
            date: e.date.to_string(),
            pain: score(e.pain),
            enjoyment: score(e.enjoyment),
            activity: score(e.activity),
        }
    }
}

/// An exercise session: what was done, for how long, and how it left the back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = Exercise)]
#[serde(deny_unknown_fields)]
pub struct ExerciseDto {
    /// The entry's id.
    #[schema(value_type = EntryId)]
    pub id: String,
    /// When.
    #[schema(value_type = EntryTime)]
    pub at: String,
    /// What was done, in the person's words (e.g. "bird dog, side plank, 20 min walk"): 1 to
    /// 200 characters, not only spaces.
    #[schema(max_length = 200, pattern = r"\S")]
    pub what: String,
    /// How long, in minutes (1–600).
    #[schema(minimum = 1, maximum = 600)]
    pub minutes: u16,
    /// How the back felt afterwards compared with before.
    #[schema(value_type = Felt)]
    pub felt: &'static str,
    /// Back pain before, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<PainScore>)]
    pub pain_before: Option<u8>,
    /// Back pain after, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<PainScore>)]
    pub pain_after: Option<u8>,
    /// A private note (at most 2000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// The program's exercises done, one set each (as counted by the camera coach or
    /// entered by hand), in the order done; at most [`MAX_SETS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 50)]
    pub sets: Vec<ExerciseSetDto>,
}

impl From<&Exercise> for ExerciseDto {
    fn from(e: &Exercise) -> Self {
        ExerciseDto {
            id: e.id.to_string(),
            at: e.at.to_string(),
            what: e.what.clone(),
            minutes: e.minutes,
            felt: e.felt.as_str(),
            pain_before: e.pain_before.map(score),
            pain_after: e.pain_after.map(score),
            note: e.note.clone(),
            sets: e.sets.iter().map(ExerciseSetDto::from).collect(),
        }
    }
}

/// One set of a program exercise within an exercise session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = ExerciseSet)]
#[serde(deny_unknown_fields)]
pub struct ExerciseSetDto {
    /// The exercise's id in the knowledge base, e.g. `bird-dog`.
    #[schema(value_type = ExerciseId)]
    pub exercise: String,
    /// Repetitions done (at most 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(maximum = 1000)]
    pub reps: Option<u32>,
    /// The best hold, in seconds (at most 3600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(maximum = 3600)]
    pub hold_s: Option<u32>,
    /// Form warnings the camera coach raised (at most 10000).
    #[serde(default)]
    #[schema(maximum = 10000)]
    pub warnings: u32,
    /// Whether the camera coach counted it.
    #[serde(default)]
    pub coached: bool,
    /// The program level it was done at, 1–9.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 9)]
    pub level: Option<u8>,
}

impl From<&ExerciseSet> for ExerciseSetDto {
    fn from(s: &ExerciseSet) -> Self {
        ExerciseSetDto {
            exercise: s.exercise.clone(),
            reps: s.reps,
            hold_s: s.hold_s,
            warnings: s.warnings,
            coached: s.coached,
            level: s.level,
        }
    }
}

/// A completed self-assessment: the answers, and the pain type and red-flag level they gave
/// when it was taken.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = AssessmentRecord)]
#[serde(deny_unknown_fields)]
pub struct AssessmentRecordDto {
    /// The entry's id.
    #[schema(value_type = EntryId)]
    pub id: String,
    /// When.
    #[schema(value_type = EntryTime)]
    pub at: String,
    /// The answers, as the assessment takes them (`POST /assess`).
    #[schema(value_type = AssessRequest)]
    pub answers: AnswersDto,
    /// The pain type found, if the red flags allowed one. Worked out from the answers: a
    /// request may leave it out, and one that gives it must give what the answers give.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<PainType>, read_only)]
    pub pain_type: Option<&'static str>,
    /// The red-flag level of the answers. Worked out from them, like `pain_type`.
    #[schema(value_type = Level, read_only)]
    pub red_flag_level: &'static str,
}

impl From<&AssessmentRecord> for AssessmentRecordDto {
    fn from(e: &AssessmentRecord) -> Self {
        AssessmentRecordDto {
            id: e.id.to_string(),
            at: e.at.to_string(),
            answers: (&e.answers).into(),
            pain_type: e.pain_type.map(PainType::as_str),
            red_flag_level: e.red_flag_level.as_str(),
        }
    }
}

/// Self-assessment answers: red-flag symptom ids, and an option id for every questionnaire
/// item (its schema is the domain's `Answers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswersDto {
    /// Symptom ids reported in the red-flag screen.
    pub red_flags: Vec<String>,
    /// Item id to option id.
    pub answers: std::collections::BTreeMap<String, String>,
}

impl From<&Answers> for AnswersDto {
    fn from(a: &Answers) -> Self {
        AnswersDto {
            red_flags: a.red_flags.clone(),
            answers: a.answers.clone(),
        }
    }
}

/// A whole journal as one JSON document.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = Document)]
#[serde(deny_unknown_fields)]
pub struct ExportDto {
    /// Always `spinewise-journal`.
    #[schema(pattern = "^spinewise-journal$")]
    pub format: String,
    /// The format's version (1).
    #[schema(minimum = 1, maximum = 1)]
    pub version: u32,
    /// When it was written, RFC 3339 in UTC.
    pub exported_at: String,
    /// Every entry, oldest first.
    pub entries: Vec<EntryDto>,
}

impl From<&Document> for ExportDto {
    fn from(d: &Document) -> Self {
        ExportDto {
            format: d.format.clone(),
            version: d.version,
            exported_at: d.exported_at.clone(),
            entries: d.entries.iter().map(EntryDto::from).collect(),
        }
    }
}

/// Entries, oldest first: a whole list, or one page of it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = EntryList)]
pub struct EntryListDto {
    /// How many (on this page).
    pub count: usize,
    /// The entries.
    pub entries: Vec<EntryDto>,
    /// An opaque cursor: ask again with `cursor` set to it, and the same filter, for the next
    /// page. Absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl EntryListDto {
    /// The list of these entries.
    pub fn new<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> EntryListDto {
        let entries: Vec<EntryDto> = entries.into_iter().map(EntryDto::from).collect();
        EntryListDto {
            count: entries.len(),
            entries,
            next: None,
        }
    }

    /// One page of a list, with the cursor of the next (`None` on the last).
    pub fn page<'a>(
        entries: impl IntoIterator<Item = &'a Entry>,
        next: Option<String>,
    ) -> EntryListDto {
        EntryListDto {
            next,
            ..EntryListDto::new(entries)
        }
    }
}

#[cfg(test)]
mod tests {
    use spinewise_domain::Knowledge;
    use spinewise_domain::journal::{Journal, demo};

    use super::*;

    fn value<T: Serialize>(t: &T) -> serde_json::Value {
        serde_json::to_value(t).expect("serialises")
    }

    fn entries() -> Vec<Entry> {
        let json = serde_json::json!([
            {"kind": "intimacy", "id": "i-1", "at": "2026-03-01T22:15",
             "positions": ["spooning"], "preparation": ["warm-bath", "pillows"], "pain_before": 2,
             "pain_during": 3, "pain_after": 4, "stopped_early": true,
             "symptoms": ["numbness"], "next_day_pain": 3, "note": "slow"},
            {"kind": "intimacy", "id": "i-2", "at": "2026-03-02T08:00", "pain_before": 0,
             "pain_after": 0},
            {"kind": "daily", "id": "d-1", "date": "2026-03-01", "pain_morning": 3,
             "pain_evening": 5, "sleep_hours": 6.5, "sleep_quality": 2, "mood": 4,
             "stress": 5, "note": "tired"},
            {"kind": "daily", "id": "d-2", "date": "2026-03-02", "mood": 1},
            {"kind": "peg", "id": "p-1", "date": "2026-03-01", "pain": 4, "enjoyment": 5,
             "activity": 6},
            {"kind": "exercise", "id": "x-1", "at": "2026-03-01T07:30", "what": "bird dog",
             "minutes": 20, "felt": "better", "pain_before": 3, "pain_after": 2,
             "note": "fine",
             "sets": [{"exercise": "bird-dog", "reps": 8, "hold_s": 10, "warnings": 2,
                       "coached": true, "level": 2},
                      {"exercise": "side-plank"}]},
            {"kind": "exercise", "id": "x-2", "at": "2026-03-02T07:30", "what": "walk",
             "minutes": 30, "felt": "same"},
        ]);
        let mut out: Vec<Entry> = json
            .as_array()
            .expect("an array")
            .iter()
            .map(|e| Entry::from_json(e.clone()).expect("a valid entry"))
            .collect();
        let record = AssessmentRecord {
            id: "a-1".parse().expect("an id"),
            at: "2026-03-01T09:00".parse().expect("a time"),
            answers: Answers {
                red_flags: vec!["numbness".to_owned()],
                answers: [("sitting".to_owned(), "worse".to_owned())].into(),
            },
            pain_type: Some(PainType::Flexion),
            red_flag_level: Level::Soon,
        };
        out.push(Entry::Assessment(record.clone()));
        out.push(Entry::Assessment(AssessmentRecord {
            pain_type: None,
            ..record
        }));
        out
    }

    #[test]
    fn each_kind_of_entry_writes_the_json_of_the_domain_entry() {
        for e in entries() {
            assert_eq!(value(&EntryDto::from(&e)), value(&e), "{e:?}");
        }
    }

    #[test]
    fn the_export_writes_the_json_of_the_domain_document() {
        let knowledge = Knowledge::bundled().expect("the bundled knowledge base");
        let mut all = entries();
        all.extend(demo::demo_journal(
            knowledge,
            "2026-03-31".parse().expect("a date"),
            60,
            7,
        ));
        let document = Document::new(&Journal::new(all), 1_772_000_000);
        assert_eq!(
            serde_json::to_string_pretty(&ExportDto::from(&document)).expect("serialises"),
            serde_json::to_string_pretty(&document).expect("serialises")
        );
    }
}
