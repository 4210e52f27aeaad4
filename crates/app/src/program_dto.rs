//! The JSON shape of the weekly exercise program (the `program` of `GET /api/v1/program` and
//! `spinewise program --json`), built field by field from the domain's [`Program`]: the
//! program, or why it is withheld. Exercises are referred to by id, so that a client looks up
//! names, steps and drawings once in the exercise list. The schemas keep the names `Program`,
//! `WeeklyProgram`, `ProgramDay`…; the closed vocabularies are written as their ids, with the
//! domain's schema for each.

use serde::Serialize;
use spinewise_domain::journal::LocalDate;
use spinewise_domain::program::{
    Change, ChangeKind, ConditionNote, HeldBack, HoldReason, Prescription, Program, ProgramDay,
    Status, WeeklyProgram,
};
use spinewise_domain::vocab::{Level, PainType};
use utoipa::ToSchema;

/// The program, or the reason there is none.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Program)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ProgramPlanDto {
    /// A red flag needs a clinician first, or a condition means a surgeon or physiotherapist
    /// says when to start: no exercise program until then.
    Withheld {
        /// What holds it: `red-flag` or `condition`.
        #[schema(value_type = HoldReason)]
        because: &'static str,
        /// The red-flag level (`none` when a condition holds it).
        #[schema(value_type = Level)]
        level: &'static str,
        /// The condition that holds it.
        #[serde(skip_serializing_if = "Option::is_none")]
        condition: Option<String>,
        /// What to do, in words.
        message: String,
    },
    /// This week's program.
    Ready(WeeklyProgramDto),
}

fn hold_reason(h: HoldReason) -> &'static str {
    match h {
        HoldReason::RedFlag => "red-flag",
        HoldReason::Condition => "condition",
    }
}

impl From<&Program<'_>> for ProgramPlanDto {
    fn from(p: &Program<'_>) -> Self {
        match p {
            Program::Withheld {
                because,
                level,
                condition,
                message,
            } => ProgramPlanDto::Withheld {
                because: hold_reason(*because),
                level: level.as_str(),
                condition: condition.clone(),
                message: message.clone(),
            },
            Program::Ready(week) => ProgramPlanDto::Ready(week.into()),
        }
    }
}

/// This week's program.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WeeklyProgram)]
pub struct WeeklyProgramDto {
    /// The Monday the week starts on.
    #[schema(value_type = LocalDate)]
    pub week_start: String,
    /// The pain type it is chosen for.
    #[schema(value_type = PainType)]
    pub pain_type: &'static str,
    /// The level this week, from 1.
    pub level: u8,
    /// The highest level there is.
    pub max_level: u8,
    /// Where the program stands.
    #[schema(value_type = Status)]
    pub status: &'static str,
    /// Why: plain sentences on the choice of exercises, the level and the status.
    pub reasons: Vec<String>,
    /// Monday to Sunday.
    pub days: Vec<ProgramDayDto>,
    /// Today's index in `days`.
    pub today: Option<usize>,
    /// The exercises left out for this pain type or these conditions, with the reason.
    pub held_back: Vec<HeldBackDto>,
    /// The person's conditions, and what each changed in the program.
    pub conditions: Vec<ConditionNoteDto>,
}

impl From<&WeeklyProgram<'_>> for WeeklyProgramDto {
    fn from(w: &WeeklyProgram<'_>) -> Self {
        WeeklyProgramDto {
            week_start: w.week_start.to_string(),
            pain_type: w.pain_type.as_str(),
            level: w.level,
            max_level: w.max_level,
            status: w.status.as_str(),
            reasons: w.reasons.clone(),
            days: w.days.iter().map(ProgramDayDto::from).collect(),
            today: w.today,
            held_back: w.held_back.iter().map(HeldBackDto::from).collect(),
            conditions: w.conditions.iter().map(ConditionNoteDto::from).collect(),
        }
    }
}

/// A condition, and what it changed in the program.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ConditionNote)]
pub struct ConditionNoteDto {
    /// The condition (its id in JSON).
    pub condition: String,
    /// Its name.
    pub name: String,
    /// What it means for the program, in general.
    pub note: String,
    /// The week of the pregnancy the program was worked out for, when it is counted in weeks
    /// and the week is known (when it is not, the condition's `unknown_week` says what that
    /// means).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weeks: Option<u8>,
    /// What it changed, exercise by exercise (empty: nothing in this program).
    pub changes: Vec<ChangeDto>,
}

impl From<&ConditionNote<'_>> for ConditionNoteDto {
    fn from(c: &ConditionNote<'_>) -> Self {
        ConditionNoteDto {
            condition: c.condition.id.clone(),
            name: c.name.clone(),
            note: c.note.clone(),
            weeks: c.weeks,
            changes: c.changes.iter().map(ChangeDto::from).collect(),
        }
    }
}

/// One exercise changed because of a condition.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Change)]
pub struct ChangeDto {
    /// The exercise (its id in JSON).
    pub exercise: String,
    /// `adapted`, `swapped` or `left-out`.
    #[schema(value_type = ChangeKind)]
    pub change: &'static str,
    /// The exercise done instead, when swapped (its id in JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instead: Option<String>,
    /// How it is adapted, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub how: Option<String>,
    /// Why, in words.
    pub why: String,
}

impl From<&Change<'_>> for ChangeDto {
    fn from(c: &Change<'_>) -> Self {
        ChangeDto {
            exercise: c.exercise.id.clone(),
            change: c.change.as_str(),
            instead: c.instead.map(|e| e.id.clone()),
            how: c.how.clone(),
            why: c.why.clone(),
        }
    }
}

/// One day of the week.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ProgramDay)]
pub struct ProgramDayDto {
    /// The date.
    #[schema(value_type = LocalDate)]
    pub date: String,
    /// A rest day: nothing prescribed.
    pub rest_day: bool,
    /// Gentle movement only (high pain today).
    pub gentle: bool,
    /// What to do, in order.
    pub items: Vec<PrescriptionDto>,
}

impl From<&ProgramDay<'_>> for ProgramDayDto {
    fn from(d: &ProgramDay<'_>) -> Self {
        ProgramDayDto {
            date: d.date.to_string(),
            rest_day: d.rest_day,
            gentle: d.gentle,
            items: d.items.iter().map(PrescriptionDto::from).collect(),
        }
    }
}

/// One exercise on one day, with its dose.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Prescription)]
pub struct PrescriptionDto {
    /// The exercise (its id in JSON).
    pub exercise: String,
    /// The level of the dose.
    pub level: u8,
    /// The form of the exercise at this level, when it changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Sets (or holds, or bouts).
    pub sets: u32,
    /// Repetitions in each set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reps: Option<u32>,
    /// Repetitions of each set in turn, when they fall set by set.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pyramid: Vec<u32>,
    /// Seconds each repetition (or set) is held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hold_s: Option<u32>,
    /// Minutes per bout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    /// Rest between sets, seconds.
    pub rest_s: u32,
    /// Done on each side.
    pub per_side: bool,
    /// The dose in words, e.g. "3 rounds: hold 8 s, 5 times; rest 20 s between rounds".
    pub dose: String,
    /// How to adapt it for this back or this day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The exercise it stands in for, because of a condition (its id in JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instead_of: Option<String>,
    /// The condition it was adapted or swapped in for (its id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub for_condition: Option<String>,
    /// Whether the camera coach follows it as it is prescribed here (the coach counts whole
    /// movements of the exercises it knows; a form it cannot follow is not offered).
    pub coach: bool,
}

impl From<&Prescription<'_>> for PrescriptionDto {
    fn from(p: &Prescription<'_>) -> Self {
        PrescriptionDto {
            exercise: p.exercise.id.clone(),
            level: p.level,
            variant: p.variant.clone(),
            sets: p.sets,
            reps: p.reps,
            pyramid: p.pyramid.clone(),
            hold_s: p.hold_s,
            minutes: p.minutes,
            rest_s: p.rest_s,
            per_side: p.per_side,
            dose: p.dose.clone(),
            note: p.note.clone(),
            instead_of: p.instead_of.map(|e| e.id.clone()),
            for_condition: p.for_condition.clone(),
            coach: p.coach,
        }
    }
}

/// An exercise left out for this pain type.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = HeldBack)]
pub struct HeldBackDto {
    /// The exercise (its id in JSON).
    pub exercise: String,
    /// Why it is left out.
    pub why: String,
}

impl From<&HeldBack<'_>> for HeldBackDto {
    fn from(h: &HeldBack<'_>) -> Self {
        HeldBackDto {
            exercise: h.exercise.id.clone(),
            why: h.why.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use spinewise_domain::Knowledge;
    use spinewise_domain::journal::{Journal, demo};
    use spinewise_domain::program::program_for;
    use spinewise_domain::safety::{Circumstances, Given, Saved};

    use super::*;

    fn value<T: Serialize>(t: &T) -> serde_json::Value {
        serde_json::to_value(t).expect("serialises")
    }

    fn same_json(given: Given, journal: Journal) -> serde_json::Value {
        let k = Knowledge::bundled().expect("the bundled knowledge base");
        let today: LocalDate = "2026-03-31".parse().expect("a date");
        let about = Circumstances::gather(k, given, Saved::default(), journal, today)
            .expect("circumstances");
        let (program, _) = program_for(k, &about);
        let json = value(&program);
        assert_eq!(value(&ProgramPlanDto::from(&program)), json);
        json
    }

    #[test]
    fn a_program_writes_the_json_of_the_domain_program() {
        let k = Knowledge::bundled().expect("the bundled knowledge base");
        let today: LocalDate = "2026-03-31".parse().expect("a date");
        let journal = Journal::new(demo::demo_journal(k, today, 90, 3));
        let ready = same_json(
            Given {
                pain_type: Some(PainType::Flexion),
                pain_today: None,
                conditions: vec!["pregnancy".to_owned(), "hip-replacement".to_owned()],
                pregnancy_weeks: Some(24),
                symptoms: Vec::new(),
            },
            journal,
        );
        assert_eq!(ready["kind"], "ready", "{ready}");
        let text = ready.to_string();
        for field in [
            "\"changes\":[{",
            "\"held_back\":[{",
            "\"instead_of\"",
            "\"weeks\"",
        ] {
            assert!(text.contains(field), "{field} in {text}");
        }
        let withheld = same_json(
            Given {
                symptoms: vec!["saddle-numbness".to_owned()],
                ..Given::default()
            },
            Journal::default(),
        );
        assert_eq!(withheld["kind"], "withheld", "{withheld}");
    }
}
