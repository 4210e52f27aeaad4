//! Journal entries: what a person logs, and the checks every entry passes before it is kept.
//!
//! An entry's shape (types, ranges, no unknown fields) is checked when it is read from JSON;
//! [`Entry::validate`] then checks what needs the knowledge base or the clock: known position
//! and symptom ids, no repeats, dates not in the future, notes not too long. Every error
//! names the field and what is allowed.
//!
//! Times are wall-clock times in the person's own time zone, to the minute: "after breakfast"
//! and "late evening" are what the insights compare, and the server does not know where its
//! users live.

use std::fmt;
use std::str::FromStr;

use time::{OffsetDateTime, PrimitiveDateTime};

pub use super::date::{LocalDate, LocalDateTime};
use crate::assessment::{self, Answers};
use crate::knowledge::Knowledge;
use crate::vocab::{EntryKind, Felt, Level, PainScore, PainType, Preparation};

/// The longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;
/// The longest description of an exercise session, in characters.
pub const MAX_WHAT_CHARS: usize = 200;
/// The longest entry id, in characters.
pub const MAX_ID_CHARS: usize = 64;
/// The most sets one exercise session may record.
pub const MAX_SETS: usize = 50;
/// The longest exercise id a set may name, in characters.
pub const MAX_SET_EXERCISE_CHARS: usize = 40;
/// The most repetitions one set may record.
pub const MAX_SET_REPS: u32 = 1000;
/// The longest hold one set may record, in seconds.
pub const MAX_SET_HOLD_S: u32 = 3600;
/// The most form warnings one set may record.
pub const MAX_SET_WARNINGS: u32 = 10_000;
/// The highest program level a set may record.
pub const MAX_SET_LEVEL: u8 = 9;
/// How far past the server's clock (UTC) a wall-clock time may be and still not be "in the
/// future": the largest offset of any time zone, UTC+14.
pub const FUTURE_SLACK_SECS: i64 = 14 * 60 * 60;
/// The earliest date an entry may carry.
pub const EARLIEST_YEAR: i32 = 1950;

/// What is wrong with an entry: the field (a JSON path such as `positions[1]`) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct EntryError {
    /// The field, as a path into the entry's JSON.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl EntryError {
    /// An error about `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> EntryError {
        EntryError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// An entry's id, chosen by whoever writes it (a UUID, say), so that a retried write never
/// makes a duplicate: 1 to 64 ASCII letters, digits, `-` or `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct EntryId(String);

impl EntryId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A random id in the form of a version 4 UUID, from 16 random bytes the caller draws
    /// (the domain draws no randomness of its own).
    pub fn from_random(mut bytes: [u8; 16]) -> EntryId {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        EntryId(format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        ))
    }

    /// A readable id for a day's check-in, `daily-YYYY-MM-DD`. Ids are stored in the clear,
    /// so the apps use [`EntryId::daily_pseudonym`] instead; this one is for data a person
    /// writes by hand.
    pub fn daily(date: LocalDate) -> EntryId {
        EntryId(format!("daily-{date}"))
    }

    /// The id of a day's check-in from a keyed pseudonym of its date: one per date, so that
    /// the morning's and the evening's answers land in the same entry, without the stored id
    /// showing the date or even that it is a check-in (it looks like any random id).
    pub fn daily_pseudonym(tag: [u8; 16]) -> EntryId {
        EntryId::from_random(tag)
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for EntryId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = (1..=MAX_ID_CHARS).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(EntryId(s.to_owned()))
        } else {
            Err(format!(
                "entry id '{s}' is not 1 to {MAX_ID_CHARS} letters, digits, '-' or '_'"
            ))
        }
    }
}

impl<'de> serde::Deserialize<'de> for EntryId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A rating from 1 to 5 (sleep quality, mood, stress).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Rating(u8);

impl Rating {
    /// The lowest rating.
    pub const MIN: u8 = 1;
    /// The highest rating.
    pub const MAX: u8 = 5;

    /// A rating, if it is from 1 to 5.
    pub const fn new(value: u8) -> Option<Rating> {
        if value >= Self::MIN && value <= Self::MAX {
            Some(Rating(value))
        } else {
            None
        }
    }

    /// The rating, 1–5.
    pub const fn value(self) -> u8 {
        self.0
    }
}

impl FromStr for Rating {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse::<u8>()
            .ok()
            .and_then(Rating::new)
            .ok_or_else(|| format!("'{s}' is not a whole number from 1 to 5"))
    }
}

impl<'de> serde::Deserialize<'de> for Rating {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n: i64 = crate::whole_number::read(d)?;
        u8::try_from(n).ok().and_then(Rating::new).ok_or_else(|| {
            serde::de::Error::custom(format!("{n} is not a whole number from 1 to 5"))
        })
    }
}

/// Intimacy: when, which positions, how the person prepared, and pain before, during, right
/// after and the next day.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Intimacy {
    /// The entry's id.
    pub id: EntryId,
    /// When.
    pub at: LocalDateTime,
    /// Position ids from the knowledge base, in the order used.
    #[serde(default)]
    pub positions: Vec<String>,
    /// Preparation steps taken.
    #[serde(default)]
    pub preparation: Vec<Preparation>,
    /// Back pain just before, 0–10.
    pub pain_before: PainScore,
    /// The worst back pain during, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_during: Option<PainScore>,
    /// Back pain right after, 0–10.
    pub pain_after: PainScore,
    /// Whether pain (or anything else about the back) made them stop early.
    #[serde(default)]
    pub stopped_early: bool,
    /// Red-flag symptom ids noticed during or after.
    #[serde(default)]
    pub symptoms: Vec<String>,
    /// Back pain the next morning, 0–10, asked for the next day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_day_pain: Option<PainScore>,
    /// A private note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A day's check-in: pain in the morning and evening, the night's sleep, mood and stress.
/// Any of them may be left out, but not all.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DailyCheckIn {
    /// The entry's id (the web app uses [`EntryId::daily`]).
    pub id: EntryId,
    /// The day.
    pub date: LocalDate,
    /// Back pain on getting up, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_morning: Option<PainScore>,
    /// Back pain in the evening, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_evening: Option<PainScore>,
    /// Hours slept the night before, 0–24.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sleep_hours: Option<f64>,
    /// How well they slept, 1 (badly) to 5 (very well).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sleep_quality: Option<Rating>,
    /// Mood, 1 (very low) to 5 (very good).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mood: Option<Rating>,
    /// Stress, 1 (none) to 5 (overwhelming).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stress: Option<Rating>,
    /// A private note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The PEG scale (Krebs et al. 2009), for the past week, each item 0–10: average pain, how
/// much pain interfered with enjoyment of life, and with general activity.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Peg {
    /// The entry's id.
    pub id: EntryId,
    /// The day it was answered.
    pub date: LocalDate,
    /// Average pain in the past week, 0 (none) to 10 (as bad as you can imagine).
    pub pain: PainScore,
    /// How much pain interfered with enjoyment of life, 0 (not at all) to 10 (completely).
    pub enjoyment: PainScore,
    /// How much pain interfered with general activity, 0 (not at all) to 10 (completely).
    pub activity: PainScore,
}

impl Peg {
    /// The PEG score: the mean of the three items, 0–10.
    pub fn score(&self) -> f64 {
        f64::from(
            u16::from(self.pain.value())
                + u16::from(self.enjoyment.value())
                + u16::from(self.activity.value()),
        ) / 3.0
    }
}

/// An exercise session: what was done, for how long, and how it left the back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// The entry's id.
    pub id: EntryId,
    /// When.
    pub at: LocalDateTime,
    /// What was done, in the person's words (e.g. "bird dog, side plank, 20 min walk").
    pub what: String,
    /// How long, in minutes (1–600).
    #[serde(deserialize_with = "crate::whole_number::read")]
    pub minutes: u16,
    /// How the back felt afterwards compared with before.
    pub felt: Felt,
    /// Back pain before, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_before: Option<PainScore>,
    /// Back pain after, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_after: Option<PainScore>,
    /// A private note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The program's exercises done, one set each (as counted by the camera coach or
    /// entered by hand), in the order done; at most [`MAX_SETS`].
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::json_object::read_each"
    )]
    pub sets: Vec<ExerciseSet>,
}

/// One set of a program exercise within an exercise session.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExerciseSet {
    /// The exercise's id in the knowledge base, e.g. `bird-dog` (at most 40 characters).
    pub exercise: String,
    /// Repetitions done (at most 1000).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::whole_number::read_optional"
    )]
    pub reps: Option<u32>,
    /// The best hold, in seconds (at most 3600).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::whole_number::read_optional"
    )]
    pub hold_s: Option<u32>,
    /// Form warnings the camera coach raised (at most 10000).
    #[serde(default, deserialize_with = "crate::whole_number::read")]
    pub warnings: u32,
    /// Whether the camera coach counted it.
    #[serde(default)]
    pub coached: bool,
    /// The program level it was done at, 1–9.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::whole_number::read_optional"
    )]
    pub level: Option<u8>,
}

impl ExerciseSet {
    /// Checks the set against the knowledge base, naming the field under `at` (e.g.
    /// `sets[2]`).
    ///
    /// # Errors
    ///
    /// The first [`EntryError`] found.
    pub fn validate(&self, knowledge: &Knowledge, at: &str) -> Result<(), EntryError> {
        let id = &self.exercise;
        if id.is_empty() || id.chars().count() > MAX_SET_EXERCISE_CHARS {
            return Err(EntryError::new(
                format!("{at}.exercise"),
                format!("an exercise id has 1 to {MAX_SET_EXERCISE_CHARS} characters"),
            ));
        }
        if knowledge.exercise(id).is_none() {
            return Err(EntryError::new(
                format!("{at}.exercise"),
                knowledge.unknown_exercise(id).to_string(),
            ));
        }
        if let Some(r) = self.reps
            && r > MAX_SET_REPS
        {
            return Err(EntryError::new(
                format!("{at}.reps"),
                format!("{r} is not a number of repetitions from 0 to {MAX_SET_REPS}"),
            ));
        }
        if let Some(h) = self.hold_s
            && h > MAX_SET_HOLD_S
        {
            return Err(EntryError::new(
                format!("{at}.hold_s"),
                format!("{h} is not a number of seconds from 0 to {MAX_SET_HOLD_S}"),
            ));
        }
        if self.warnings > MAX_SET_WARNINGS {
            return Err(EntryError::new(
                format!("{at}.warnings"),
                format!(
                    "{} is not a number of warnings from 0 to {MAX_SET_WARNINGS}",
                    self.warnings
                ),
            ));
        }
        if let Some(l) = self.level
            && !(1..=MAX_SET_LEVEL).contains(&l)
        {
            return Err(EntryError::new(
                format!("{at}.level"),
                format!("{l} is not a program level from 1 to {MAX_SET_LEVEL}"),
            ));
        }
        Ok(())
    }

    /// The set in a few words, e.g. `bird-dog 8 reps, hold 10 s, level 2 (coached)`.
    pub fn describe(&self) -> String {
        describe_sets(std::slice::from_ref(self))
    }
}

/// Sets in a few words, runs of the same set grouped: `bird-dog 2x8 (coached); side-plank
/// hold 30 s`.
pub fn describe_sets(sets: &[ExerciseSet]) -> String {
    let mut groups: Vec<(usize, &ExerciseSet, u32)> = Vec::new();
    for set in sets {
        match groups.last_mut() {
            Some((n, first, warnings))
                if first.exercise == set.exercise
                    && first.reps == set.reps
                    && first.hold_s == set.hold_s
                    && first.coached == set.coached
                    && first.level == set.level =>
            {
                *n += 1;
                *warnings = warnings.saturating_add(set.warnings);
            }
            _ => groups.push((1, set, set.warnings)),
        }
    }
    groups
        .iter()
        .map(|(n, set, warnings)| {
            let mut parts: Vec<String> = Vec::new();
            match (set.reps, *n) {
                (Some(r), 1) => parts.push(format!("{r} reps")),
                (Some(r), n) => parts.push(format!("{n}x{r}")),
                (None, 1) => {}
                (None, n) => parts.push(format!("{n}x")),
            }
            if let Some(h) = set.hold_s {
                parts.push(format!("hold {h} s"));
            }
            if let Some(l) = set.level {
                parts.push(format!("level {l}"));
            }
            if *warnings > 0 {
                parts.push(crate::words::count(*warnings, "warning", "warnings"));
            }
            let mut text = set.exercise.clone();
            if !parts.is_empty() {
                text.push(' ');
                text.push_str(&parts.join(", "));
            }
            if set.coached {
                text.push_str(" (coached)");
            }
            text
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A completed self-assessment: the answers, and the pain type and red-flag level they gave
/// when it was taken.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssessmentRecord {
    /// The entry's id.
    pub id: EntryId,
    /// When.
    pub at: LocalDateTime,
    /// The answers, as the assessment takes them.
    pub answers: Answers,
    /// The pain type found, if the red flags allowed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_type: Option<PainType>,
    /// The red-flag level of the answers.
    pub red_flag_level: Level,
}

impl AssessmentRecord {
    /// Scores `answers` and records the result.
    ///
    /// # Errors
    ///
    /// [`EntryError`] on `answers` when the assessment refuses them.
    pub fn new(
        knowledge: &Knowledge,
        id: EntryId,
        at: LocalDateTime,
        answers: Answers,
    ) -> Result<AssessmentRecord, EntryError> {
        let assessed = assessment::assess(knowledge, &answers)
            .map_err(|e| EntryError::new("answers", e.to_string()))?;
        Ok(AssessmentRecord {
            id,
            at,
            pain_type: assessed.result.as_ref().map(|r| r.pain_type),
            red_flag_level: assessed.triage.level,
            answers,
        })
    }
}

/// Fills in an assessment's results (`pain_type` and `red_flag_level`) where its JSON leaves
/// both out: they are worked out from its answers, as [`AssessmentRecord::new`] does, so that
/// a client need only send the answers. Any other entry, an assessment that gives either
/// (which [`Entry::validate`] checks against its answers), or answers that do not read are
/// left for [`Entry::from_json`] to take or refuse.
///
/// # Errors
///
/// [`EntryError`] on `answers` when the assessment refuses them.
pub fn fill_in_results(
    value: &mut serde_json::Value,
    knowledge: &Knowledge,
) -> Result<(), EntryError> {
    let Some(object) = value.as_object_mut() else {
        return Ok(());
    };
    let is_assessment =
        object.get("kind").and_then(serde_json::Value::as_str) == Some("assessment");
    if !is_assessment || object.contains_key("pain_type") || object.contains_key("red_flag_level") {
        return Ok(());
    }
    let Some(Ok(answers)) = object
        .get("answers")
        .map(<Answers as serde::Deserialize>::deserialize)
    else {
        return Ok(());
    };
    let assessed = assessment::assess(knowledge, &answers)
        .map_err(|e| EntryError::new("answers", e.to_string()))?;
    if let Some(result) = &assessed.result {
        object.insert("pain_type".to_owned(), result.pain_type.as_str().into());
    }
    object.insert(
        "red_flag_level".to_owned(),
        assessed.triage.level.as_str().into(),
    );
    Ok(())
}

/// One journal entry, of any kind. As JSON, an object whose `kind` names the kind.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Entry {
    /// Intimacy.
    Intimacy(Intimacy),
    /// A daily check-in.
    Daily(DailyCheckIn),
    /// The weekly PEG scale.
    Peg(Peg),
    /// An exercise session.
    Exercise(Exercise),
    /// A completed self-assessment.
    Assessment(AssessmentRecord),
}

/// The field a serde error is about: its path, or for a missing or unknown field at the top,
/// the field it names, or `.` (the whole entry) for a field whose name is empty.
fn error_field(path: &str, message: &str) -> String {
    if path != "." && !path.is_empty() {
        return path.to_owned();
    }
    for lead in ["unknown field `", "missing field `"] {
        // The name as serde quotes it, up to the list of the expected fields or the end (a
        // name may itself hold a backtick).
        if let Some(rest) = message.strip_prefix(lead)
            && let Some(end) = rest.find("`, ").or_else(|| rest.rfind('`'))
            && end > 0
        {
            return rest[..end].to_owned();
        }
    }
    ".".to_owned()
}

fn typed<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, EntryError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        EntryError::new(error_field(&path, &message), message)
    })
}

impl Entry {
    /// Reads an entry from JSON, naming the field of the first problem (`pain_after`,
    /// `positions[2]`, `kind`), which serde's tagged enums cannot do on their own.
    ///
    /// # Errors
    ///
    /// [`EntryError`] naming the field.
    pub fn from_json(mut value: serde_json::Value) -> Result<Entry, EntryError> {
        let kinds = || {
            EntryKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some(object) = value.as_object_mut() else {
            return Err(EntryError::new(".", "an entry is a JSON object"));
        };
        let kind = match object.remove("kind") {
            None => {
                return Err(EntryError::new(
                    "kind",
                    format!("missing (expected one of: {})", kinds()),
                ));
            }
            Some(serde_json::Value::String(k)) => k
                .parse::<EntryKind>()
                .map_err(|e| EntryError::new("kind", e.to_string()))?,
            Some(other) => {
                return Err(EntryError::new(
                    "kind",
                    format!("{other} is not one of: {}", kinds()),
                ));
            }
        };
        Ok(match kind {
            EntryKind::Intimacy => Entry::Intimacy(typed(value)?),
            EntryKind::Daily => Entry::Daily(typed(value)?),
            EntryKind::Peg => Entry::Peg(typed(value)?),
            EntryKind::Exercise => Entry::Exercise(typed(value)?),
            EntryKind::Assessment => Entry::Assessment(typed(value)?),
        })
    }

    /// The entry's id.
    pub fn id(&self) -> &EntryId {
        match self {
            Entry::Intimacy(e) => &e.id,
            Entry::Daily(e) => &e.id,
            Entry::Peg(e) => &e.id,
            Entry::Exercise(e) => &e.id,
            Entry::Assessment(e) => &e.id,
        }
    }

    /// The entry's kind.
    pub fn kind(&self) -> EntryKind {
        match self {
            Entry::Intimacy(_) => EntryKind::Intimacy,
            Entry::Daily(_) => EntryKind::Daily,
            Entry::Peg(_) => EntryKind::Peg,
            Entry::Exercise(_) => EntryKind::Exercise,
            Entry::Assessment(_) => EntryKind::Assessment,
        }
    }

    /// The day the entry belongs to.
    pub fn date(&self) -> LocalDate {
        self.when().date()
    }

    /// When the entry happened; entries that carry only a date sort at the end of their day,
    /// after the day's events they describe.
    pub fn when(&self) -> LocalDateTime {
        match self {
            Entry::Intimacy(e) => e.at,
            Entry::Exercise(e) => e.at,
            Entry::Assessment(e) => e.at,
            Entry::Daily(e) => e.date.end_of_day(),
            Entry::Peg(e) => e.date.end_of_day(),
        }
    }

    /// Checks what the JSON shape cannot: known ids, no repeats, dates neither in the future
    /// (by `now_unix`, the server's clock) nor before 1950, notes within their length, and
    /// values within their ranges.
    ///
    /// # Errors
    ///
    /// The first [`EntryError`] found.
    pub fn validate(&self, knowledge: &Knowledge, now_unix: i64) -> Result<(), EntryError> {
        let latest = latest_local(now_unix);
        match self {
            Entry::Intimacy(e) => {
                check_time("at", e.at, latest)?;
                check_ids("positions", &e.positions, |id| {
                    knowledge
                        .position(id)
                        .map(|_| ())
                        .map_err(|u| u.to_string())
                })?;
                check_unique("preparation", &e.preparation)?;
                check_ids("symptoms", &e.symptoms, |id| {
                    knowledge.symptom(id).map(|_| ()).map_err(|u| u.to_string())
                })?;
                check_note(e.note.as_deref())
            }
            Entry::Daily(e) => {
                check_date("date", e.date, latest)?;
                if let Some(h) = e.sleep_hours
                    && !(h.is_finite() && (0.0..=24.0).contains(&h))
                {
                    return Err(EntryError::new(
                        "sleep_hours",
                        format!("{h} is not a number of hours from 0 to 24"),
                    ));
                }
                let empty = e.pain_morning.is_none()
                    && e.pain_evening.is_none()
                    && e.sleep_hours.is_none()
                    && e.sleep_quality.is_none()
                    && e.mood.is_none()
                    && e.stress.is_none()
                    && e.note.is_none();
                if empty {
                    return Err(EntryError::new(
                        "pain_morning",
                        "a check-in needs at least one answer: pain_morning, pain_evening, \
                         sleep_hours, sleep_quality, mood, stress or note",
                    ));
                }
                check_note(e.note.as_deref())
            }
            Entry::Peg(e) => check_date("date", e.date, latest),
            Entry::Exercise(e) => {
                check_time("at", e.at, latest)?;
                let chars = e.what.trim().chars().count();
                if !(1..=MAX_WHAT_CHARS).contains(&chars) {
                    return Err(EntryError::new(
                        "what",
                        format!("say what was done in 1 to {MAX_WHAT_CHARS} characters"),
                    ));
                }
                if !(1..=600).contains(&e.minutes) {
                    return Err(EntryError::new(
                        "minutes",
                        format!("{} is not a number of minutes from 1 to 600", e.minutes),
                    ));
                }
                if e.sets.len() > MAX_SETS {
                    return Err(EntryError::new(
                        format!("sets[{MAX_SETS}]"),
                        format!("a session can record at most {MAX_SETS} sets"),
                    ));
                }
                for (i, set) in e.sets.iter().enumerate() {
                    set.validate(knowledge, &format!("sets[{i}]"))?;
                }
                check_note(e.note.as_deref())
            }
            Entry::Assessment(e) => {
                check_time("at", e.at, latest)?;
                let again =
                    AssessmentRecord::new(knowledge, e.id.clone(), e.at, e.answers.clone())?;
                if again.pain_type != e.pain_type || again.red_flag_level != e.red_flag_level {
                    return Err(EntryError::new(
                        "pain_type",
                        format!(
                            "the answers give pain type {} at red-flag level {}, not {} at {}",
                            again.pain_type.map_or("(none)", PainType::as_str),
                            again.red_flag_level,
                            e.pain_type.map_or("(none)", PainType::as_str),
                            e.red_flag_level
                        ),
                    ));
                }
                Ok(())
            }
        }
    }
}

/// The latest wall-clock time anywhere on Earth when the server's clock reads `now_unix`.
pub fn latest_local(now_unix: i64) -> PrimitiveDateTime {
    let utc = OffsetDateTime::from_unix_timestamp(now_unix.saturating_add(FUTURE_SLACK_SECS))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    PrimitiveDateTime::new(utc.date(), utc.time())
}

fn check_time(field: &str, at: LocalDateTime, latest: PrimitiveDateTime) -> Result<(), EntryError> {
    if at.0 > latest {
        Err(EntryError::new(field, format!("{at} is in the future")))
    } else if at.0.year() < EARLIEST_YEAR {
        Err(EntryError::new(
            field,
            format!("{at} is before {EARLIEST_YEAR}"),
        ))
    } else {
        Ok(())
    }
}

fn check_date(field: &str, date: LocalDate, latest: PrimitiveDateTime) -> Result<(), EntryError> {
    if date.0 > latest.date() {
        Err(EntryError::new(field, format!("{date} is in the future")))
    } else if date.0.year() < EARLIEST_YEAR {
        Err(EntryError::new(
            field,
            format!("{date} is before {EARLIEST_YEAR}"),
        ))
    } else {
        Ok(())
    }
}

fn check_ids(
    field: &str,
    ids: &[String],
    known: impl Fn(&str) -> Result<(), String>,
) -> Result<(), EntryError> {
    for (i, id) in ids.iter().enumerate() {
        known(id).map_err(|m| EntryError::new(format!("{field}[{i}]"), m))?;
    }
    check_unique(field, ids)
}

fn check_unique<T: PartialEq + fmt::Display>(field: &str, values: &[T]) -> Result<(), EntryError> {
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            return Err(EntryError::new(
                format!("{field}[{i}]"),
                format!("'{v}' is listed twice"),
            ));
        }
    }
    Ok(())
}

fn check_note(note: Option<&str>) -> Result<(), EntryError> {
    match note {
        Some(n) if n.chars().count() > MAX_NOTE_CHARS => Err(EntryError::new(
            "note",
            format!("a note can have at most {MAX_NOTE_CHARS} characters"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_field_with_an_empty_or_odd_name_is_still_named() {
        // Found by fuzzing: a field named "" was reported under the field "", which names
        // nothing.
        let e = Entry::from_json(serde_json::json!({
            "kind": "peg", "": 1, "id": "p", "date": "2026-05-24",
            "pain": 5, "enjoyment": 4, "activity": 6
        }))
        .expect_err("an unknown field");
        assert_eq!(e.field, ".");
        assert!(e.message.contains("unknown field ``"), "{}", e.message);

        let e = Entry::from_json(serde_json::json!({
            "kind": "peg", "a`b": 1, "id": "p", "date": "2026-05-24",
            "pain": 5, "enjoyment": 4, "activity": 6
        }))
        .expect_err("an unknown field");
        assert_eq!(e.field, "a`b");

        let e = Entry::from_json(serde_json::json!({"kind": "peg", "id": "p"}))
            .expect_err("missing fields");
        assert_eq!(e.field, "date");
    }
}
