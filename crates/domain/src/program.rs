//! The weekly exercise program: which of the knowledge base's exercises to do on which day of
//! this week, at what level, and why — worked out from the pain type, today's pain, the red
//! flags and what the journal holds. Pure and deterministic: the same input gives the same
//! program, and nothing here reads a clock.
//!
//! # The week
//!
//! The week runs Monday to Sunday and contains `today`. Mobility exercises (the cat-camel) come
//! on every day but the rest day, first, as a warm-up; stability, strength and skill exercises
//! on the strength days, Monday, Wednesday and Friday ([`STRENGTH_DAYS`]); walking on five
//! days, Monday, Tuesday, Thursday, Friday and Saturday ([`WALKING_DAYS`]), in line with the
//! WalkBack trial's aim of about 30 minutes on five days a week (Pocovi et al. 2024); Sunday is
//! a rest day ([`REST_DAY`]). Within a day, exercises keep the knowledge base's order, which
//! is the order of a session.
//!
//! # Which exercises
//!
//! Each exercise says how it suits each pain type: suggested, modified (prescribed with the
//! modification as its note) or held back (listed in [`WeeklyProgram::held_back`] with the
//! reason, never prescribed). `unclear` and `none` get the general program the content gives
//! them, and a reason says so.
//!
//! # The level
//!
//! Every exercise has a dose per level (1 up to the content's highest, [`Knowledge::max_exercise_level`];
//! an exercise with fewer levels stays at its last). The level is worked out by replaying the
//! journal week by week, from the week of the first exercise session, but at most
//! [`HISTORY_WEEKS`] weeks back, starting at level 1, so that it is reproducible from the
//! journal alone. For each complete week before this one:
//!
//! - a session that went badly (it felt worse, or pain rose by 2 points or more from before to
//!   after: about the smallest change people notice as real, Ostelo et al. 2008) or a flare-up
//!   that started that week ([`crate::journal::flares`]) drops one level (not below 1);
//! - otherwise [`MIN_SESSIONS_TO_PROGRESS`] or more sessions (any exercise entry counts)
//!   move up one level (not above the highest);
//! - otherwise the level holds, except that a week without any session after
//!   [`BREAK_WEEKS`] such weeks in a row drops one level: a long break restarts lower.
//!
//! Then this week: a session that went badly or a flare-up that started this week (up to
//! today) drops one more level. Pain today of [`HOLD_PAIN`] or more holds the level where it
//! was (a step up at the start of this week is not taken); pain today of [`GENTLE_PAIN`] or
//! more also turns today's items into gentle ones only: one short walk and mobility within
//! comfort, at level 1. The rule of thumb behind the drops is adapted from a pain-monitoring
//! model developed for tendon rehabilitation (Silbernagel et al. 2007): pain should stay
//! moderate during exercise and settle by the next morning.
//!
//! # Status
//!
//! [`Status::Easing`] when pain today is high or a session went badly or a flare-up started in
//! the last 7 days; otherwise [`Status::Progressing`] when the level went up at the start of
//! this week (and pain today did not hold it), [`Status::Starting`] when no session was logged
//! before this week, and [`Status::Holding`] otherwise.
//!
//! # Safety
//!
//! What is withheld is the safety policy's answer ([`crate::safety`]), as for the plan: a
//! red-flag level that withholds advice (urgent or emergency, reported now or still held by
//! the journal) withholds the whole program, and so does a condition such as recent spine
//! surgery, until the surgeon or physiotherapist says when to start ([`Program::Withheld`]).
//! Each exercise is then done as the person's conditions allow
//! ([`crate::safety::exercise_decision`]): as it is, in its adapted form, swapped for a
//! suitable alternative (on the same days), or left out with the reason
//! ([`WeeklyProgram::held_back`]); [`WeeklyProgram::conditions`] says, per condition, what
//! changed. The program does not depend on the role.
//!
//! # JSON
//!
//! The program serialises for the API with exercises referred to by id (`"exercise":
//! "bird-dog"`), so that a client looks up names, steps and drawings once in the exercise
//! list; every prescription also carries its dose in words (`dose`).

use serde::{Serialize, Serializer};
use time::Duration;

use crate::journal::{Exercise, Journal, LocalDate, RISE_POINTS};
use crate::knowledge::{
    Condition, Dose, ExerciseCategory, ExerciseInfo, Fit, Knowledge, describe_dose,
};
use crate::safety::{
    self, Circumstances, Decisions, ExerciseDecision, Person, ProgramHold, RedFlags,
};
use crate::vocab::{Felt, Level, PainScore, PainType, Role};

/// How many weeks back the level is worked out from.
pub const HISTORY_WEEKS: i64 = 26;
/// The days of the week (0 = Monday) with stability, strength and skill exercises.
pub const STRENGTH_DAYS: [usize; 3] = [0, 2, 4];
/// The days of the week (0 = Monday) with a walk.
pub const WALKING_DAYS: [usize; 5] = [0, 1, 3, 4, 5];
/// The rest day (0 = Monday): Sunday.
pub const REST_DAY: usize = 6;
/// Sessions in a week, none gone badly, that move the level up.
pub const MIN_SESSIONS_TO_PROGRESS: usize = 2;
/// Weeks without a session after which each further one drops a level.
pub const BREAK_WEEKS: u32 = 2;
/// Pain today from which the level holds.
pub const HOLD_PAIN: u8 = 4;
/// Pain today from which today is gentle movement only.
pub const GENTLE_PAIN: u8 = PainScore::HIGH.value();
/// The days, today included, in which a session gone badly or a flare-up means easing.
pub const RECENT_DAYS: i64 = 7;

/// What the program is worked out from.
#[derive(Debug, Clone)]
pub struct ProgramInput<'j, 'k> {
    /// The person: pain type, back pain today (from today's check-in or asked on the page),
    /// conditions and the week of a pregnancy. The role plays no part.
    pub person: Person<'k>,
    /// The red-flag answer for them, with the journal's red flags.
    pub red_flags: RedFlags<'k>,
    /// Today, in the person's own time zone.
    pub today: LocalDate,
    /// The person's journal.
    pub journal: &'j Journal,
}

impl<'j, 'k> ProgramInput<'j, 'k> {
    /// A person of this pain type, without pain today, conditions or red flags.
    pub fn new(
        pain_type: PainType,
        today: LocalDate,
        journal: &'j Journal,
    ) -> ProgramInput<'j, 'k> {
        ProgramInput {
            person: Person {
                pain_type,
                role: Role::Receptive,
                pain_now: None,
                conditions: Vec::new(),
                weeks: None,
                switching: false,
            },
            red_flags: RedFlags::none(),
            today,
            journal,
        }
    }

    /// What gathered circumstances say: the person, their red flags (now and in the journal),
    /// their date and their journal.
    pub fn from_circumstances(
        knowledge: &'k Knowledge,
        circumstances: &'j Circumstances,
    ) -> ProgramInput<'j, 'k> {
        ProgramInput {
            person: circumstances.person(knowledge, Role::Receptive),
            red_flags: circumstances.red_flags(knowledge),
            today: circumstances.today,
            journal: &circumstances.journal,
        }
    }
}

/// The program, or the reason there is none.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Program<'k> {
    /// A red flag needs a clinician first, or a condition means a surgeon or physiotherapist
    /// says when to start: no exercise program until then.
    Withheld {
        /// What holds it: `red-flag` or `condition`.
        because: HoldReason,
        /// The red-flag level (`none` when a condition holds it).
        level: Level,
        /// The condition that holds it.
        #[serde(skip_serializing_if = "Option::is_none")]
        condition: Option<String>,
        /// What to do, in words.
        message: String,
    },
    /// This week's program.
    Ready(WeeklyProgram<'k>),
}

/// What holds the program back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum HoldReason {
    /// An urgent or emergency red flag.
    RedFlag,
    /// A condition, until the surgeon or physiotherapist says when to start.
    Condition,
}

impl<'k> Program<'k> {
    /// The weekly program, unless withheld.
    pub fn ready(&self) -> Option<&WeeklyProgram<'k>> {
        match self {
            Program::Ready(p) => Some(p),
            Program::Withheld { .. } => None,
        }
    }
}

/// Where the program stands this week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// No session logged before this week: the first week.
    Starting,
    /// Moved up a level this week.
    Progressing,
    /// Staying at the same level (or back after a long break).
    Holding,
    /// Going gentler: high pain today, or a session gone badly or a flare-up in the last
    /// 7 days.
    Easing,
}

impl Status {
    /// The id used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Starting => "starting",
            Status::Progressing => "progressing",
            Status::Holding => "holding",
            Status::Easing => "easing",
        }
    }
}

/// This week's program.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeeklyProgram<'k> {
    /// The Monday the week starts on.
    pub week_start: LocalDate,
    /// The pain type it is chosen for.
    pub pain_type: PainType,
    /// The level this week, from 1.
    pub level: u8,
    /// The highest level there is.
    pub max_level: u8,
    /// Where the program stands.
    pub status: Status,
    /// Why: plain sentences on the choice of exercises, the level and the status.
    pub reasons: Vec<String>,
    /// Monday to Sunday.
    pub days: Vec<ProgramDay<'k>>,
    /// Today's index in `days`.
    pub today: Option<usize>,
    /// The exercises left out for this pain type or these conditions, with the reason.
    pub held_back: Vec<HeldBack<'k>>,
    /// The person's conditions, and what each changed in the program.
    pub conditions: Vec<ConditionNote<'k>>,
}

/// A condition, and what it changed in the program.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConditionNote<'k> {
    /// The condition (its id in JSON).
    #[serde(serialize_with = "condition_id")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub condition: &'k Condition,
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
    pub changes: Vec<Change<'k>>,
}

/// One exercise changed because of a condition.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change<'k> {
    /// The exercise (its id in JSON).
    #[serde(serialize_with = "exercise_id")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub exercise: &'k ExerciseInfo,
    /// `adapted`, `swapped` or `left-out`.
    pub change: ChangeKind,
    /// The exercise done instead, when swapped (its id in JSON).
    #[serde(
        serialize_with = "exercise_id_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub instead: Option<&'k ExerciseInfo>,
    /// How it is adapted, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub how: Option<String>,
    /// Why, in words.
    pub why: String,
}

/// How a condition changed an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Done in an adapted form.
    Adapted,
    /// Replaced by another exercise.
    Swapped,
    /// Left out.
    LeftOut,
}

impl ChangeKind {
    /// The id used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Adapted => "adapted",
            ChangeKind::Swapped => "swapped",
            ChangeKind::LeftOut => "left-out",
        }
    }
}

impl<'k> WeeklyProgram<'k> {
    /// Today's plan.
    pub fn today(&self) -> Option<&ProgramDay<'k>> {
        self.today.and_then(|i| self.days.get(i))
    }

    /// Every exercise prescribed on some day this week, once each, in session order.
    pub fn exercises(&self) -> Vec<&'k ExerciseInfo> {
        let mut out: Vec<&'k ExerciseInfo> = Vec::new();
        for item in self.days.iter().flat_map(|d| &d.items) {
            if !out.iter().any(|e| e.id == item.exercise.id) {
                out.push(item.exercise);
            }
        }
        out
    }
}

/// One day of the week.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramDay<'k> {
    /// The date.
    pub date: LocalDate,
    /// A rest day: nothing prescribed.
    pub rest_day: bool,
    /// Gentle movement only (high pain today).
    pub gentle: bool,
    /// What to do, in order.
    pub items: Vec<Prescription<'k>>,
}

/// One exercise on one day, with its dose.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Prescription<'k> {
    /// The exercise (its id in JSON).
    #[serde(serialize_with = "exercise_id")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub exercise: &'k ExerciseInfo,
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
    #[serde(
        serialize_with = "exercise_id_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub instead_of: Option<&'k ExerciseInfo>,
    /// The condition it was adapted or swapped in for (its id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub for_condition: Option<String>,
    /// Whether the camera coach follows it as it is prescribed here (the coach counts whole
    /// movements of the exercises it knows; a form it cannot follow is not offered).
    pub coach: bool,
}

impl Prescription<'_> {
    fn new<'k>(exercise: &'k ExerciseInfo, level: u8, note: Option<String>) -> Prescription<'k> {
        let d = exercise.dose(level);
        Prescription {
            exercise,
            level: d.level,
            variant: d.variant.clone(),
            sets: d.sets,
            reps: d.reps,
            pyramid: d.pyramid.clone(),
            hold_s: d.hold_s,
            minutes: d.minutes,
            rest_s: d.rest_s,
            per_side: d.per_side,
            dose: d.describe(),
            note,
            instead_of: None,
            for_condition: None,
            coach: false,
        }
    }

    /// The dose as prescribed here (after any change for a condition or the day), in the
    /// knowledge base's shape.
    pub fn as_dose(&self) -> Dose {
        Dose {
            level: self.level,
            variant: self.variant.clone(),
            sets: self.sets,
            reps: self.reps,
            pyramid: self.pyramid.clone(),
            hold_s: self.hold_s,
            minutes: self.minutes,
            rest_s: self.rest_s,
            per_side: self.per_side,
        }
    }

    fn redescribe(&mut self) {
        self.dose = describe_dose(
            self.sets,
            self.reps,
            &self.pyramid,
            self.hold_s,
            self.minutes,
            self.rest_s,
            self.per_side,
        );
    }
}

/// An exercise left out for this pain type.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldBack<'k> {
    /// The exercise (its id in JSON).
    #[serde(serialize_with = "exercise_id")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub exercise: &'k ExerciseInfo,
    /// Why it is left out.
    pub why: String,
}

fn exercise_id<S: Serializer>(exercise: &&ExerciseInfo, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&exercise.id)
}

fn exercise_id_opt<S: Serializer>(
    exercise: &Option<&ExerciseInfo>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match exercise {
        Some(e) => s.serialize_str(&e.id),
        None => s.serialize_none(),
    }
}

fn condition_id<S: Serializer>(condition: &&Condition, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&condition.id)
}

/// The Monday of the week that contains `date`.
pub fn week_start(date: LocalDate) -> LocalDate {
    let back = i64::from(date.0.weekday().number_days_from_monday());
    add_days(date, -back)
}

fn add_days(date: LocalDate, days: i64) -> LocalDate {
    date.0
        .checked_add(Duration::days(days))
        .map_or(date, LocalDate)
}

/// Whether a session went badly: it felt worse, or pain rose by 2 points or more.
pub fn went_badly(session: &Exercise) -> bool {
    let rose = match (session.pain_before, session.pain_after) {
        (Some(before), Some(after)) => after.value() >= before.value().saturating_add(RISE_POINTS),
        _ => false,
    };
    session.felt == Felt::Worse || rose
}

/// Why the level changed at the start of a week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Enough sessions, none gone badly.
    Up { sessions: usize },
    /// Fewer sessions than it takes to move up.
    Hold { sessions: usize },
    /// A session went badly on this day.
    DownWorse(LocalDate),
    /// A flare-up started on this day.
    DownFlare(LocalDate),
    /// This many weeks in a row without a session.
    DownBreak { weeks: u32 },
}

/// The level replayed up to the start of this week.
struct Replay {
    /// The level at the start of this week.
    level: u8,
    /// The step taken at the start of this week (from the week before), if any week was
    /// replayed.
    last: Option<(LocalDate, Step)>,
}

/// The journal as the program reads it: sessions and flare-up starts up to today.
struct History<'j> {
    sessions: Vec<&'j Exercise>,
    flare_starts: Vec<LocalDate>,
}

impl<'j> History<'j> {
    fn new(knowledge: &Knowledge, journal: &'j Journal, today: LocalDate) -> History<'j> {
        let sessions = journal
            .exercise()
            .filter(|x| x.at.date() <= today)
            .collect();
        let mut flare_starts: Vec<LocalDate> =
            crate::journal::flares::flares(knowledge, journal, &[], today)
                .iter()
                .map(|f| f.start)
                .collect();
        flare_starts.sort();
        History {
            sessions,
            flare_starts,
        }
    }

    /// Sessions on days `from..until`.
    fn sessions_in(&self, from: LocalDate, until: LocalDate) -> impl Iterator<Item = &'j Exercise> {
        self.sessions
            .iter()
            .copied()
            .filter(move |x| x.at.date() >= from && x.at.date() < until)
    }

    /// The first session gone badly on days `from..until`.
    fn worse_in(&self, from: LocalDate, until: LocalDate) -> Option<LocalDate> {
        self.sessions_in(from, until)
            .find(|x| went_badly(x))
            .map(|x| x.at.date())
    }

    /// The first flare-up start on days `from..until`.
    fn flare_in(&self, from: LocalDate, until: LocalDate) -> Option<LocalDate> {
        self.flare_starts
            .iter()
            .copied()
            .find(|d| *d >= from && *d < until)
    }

    /// The level at the start of the week of `week_start`.
    fn replay(&self, week_start: LocalDate, max_level: u8) -> Replay {
        let mut replay = Replay {
            level: 1,
            last: None,
        };
        let Some(first) = self.sessions.first().map(|x| self::week_start(x.at.date())) else {
            return replay;
        };
        let mut week = first.max(add_days(week_start, -7 * HISTORY_WEEKS));
        let mut empty_weeks = 0;
        while week < week_start {
            let next = add_days(week, 7);
            let sessions = self.sessions_in(week, next).count();
            let step = if let Some(d) = self.worse_in(week, next) {
                Step::DownWorse(d)
            } else if let Some(d) = self.flare_in(week, next) {
                Step::DownFlare(d)
            } else if sessions >= MIN_SESSIONS_TO_PROGRESS {
                Step::Up { sessions }
            } else if sessions == 0 && empty_weeks >= BREAK_WEEKS {
                Step::DownBreak {
                    weeks: empty_weeks + 1,
                }
            } else {
                Step::Hold { sessions }
            };
            empty_weeks = if sessions == 0 { empty_weeks + 1 } else { 0 };
            replay.level = match step {
                Step::Up { .. } => replay.level.saturating_add(1).min(max_level),
                Step::Hold { .. } => replay.level,
                Step::DownWorse(_) | Step::DownFlare(_) | Step::DownBreak { .. } => {
                    replay.level.saturating_sub(1).max(1)
                }
            };
            replay.last = Some((week, step));
            if next <= week {
                break;
            }
            week = next;
        }
        replay
    }
}

fn sessions_word(n: usize) -> String {
    crate::words::count(n, "session", "sessions")
}

/// This week's exercise program for a person's circumstances, with the red flags it was
/// worked out with (for the front ends to show above it).
pub fn program_for<'k>(
    knowledge: &'k Knowledge,
    circumstances: &Circumstances,
) -> (Program<'k>, RedFlags<'k>) {
    let input = ProgramInput::from_circumstances(knowledge, circumstances);
    let program = weekly_program(knowledge, &input);
    (program, input.red_flags)
}

/// This week's exercise program for the person in `input` (see the module's documentation
/// for the rules).
pub fn weekly_program<'k>(knowledge: &'k Knowledge, input: &ProgramInput<'_, 'k>) -> Program<'k> {
    match safety::program_hold(&input.person, &input.red_flags) {
        Some(ProgramHold::RedFlag(level)) => {
            return Program::Withheld {
                because: HoldReason::RedFlag,
                level,
                condition: None,
                message: knowledge
                    .level(level)
                    .map(|i| format!("{} {}", i.headline, i.action))
                    .unwrap_or_default(),
            };
        }
        Some(ProgramHold::Condition(c)) => {
            return Program::Withheld {
                because: HoldReason::Condition,
                level: input.red_flags.level(),
                condition: Some(c.id.clone()),
                message: c.program_note.clone(),
            };
        }
        None => {}
    }
    let person = &input.person;
    let pain_type = person.pain_type;
    let decisions = Decisions::new(knowledge, person);
    let today = input.today;
    let week = week_start(today);
    let max_level = knowledge.max_exercise_level().max(1);
    let history = History::new(knowledge, input.journal, today);
    let replay = history.replay(week, max_level);
    let mut level = replay.level.clamp(1, max_level);
    let mut reasons = vec![pain_type_reason(knowledge, pain_type)];

    // What the weeks before say.
    let had_history = history.sessions.iter().any(|x| x.at.date() < week);
    let mut stepped_up = false;
    match replay.last {
        None => reasons.push(format!(
            "No exercise sessions logged before this week: starting at level {level}."
        )),
        Some((w, Step::Up { sessions })) => {
            stepped_up = true;
            reasons.push(if level == max_level {
                format!(
                    "{} in the week of {w} felt the same or better: at level {level}, the \
                     highest; keep it up.",
                    sessions_word(sessions)
                )
            } else {
                format!(
                    "{} in the week of {w} felt the same or better: moving up to level \
                     {level}.",
                    sessions_word(sessions)
                )
            });
        }
        Some((w, Step::Hold { sessions: 0 })) => reasons.push(format!(
            "No sessions logged in the week of {w}: staying at level {level}."
        )),
        Some((w, Step::Hold { sessions })) => reasons.push(format!(
            "Only {} logged in the week of {w}: staying at level {level}. \
             {MIN_SESSIONS_TO_PROGRESS} or more that feel the same or better move you up.",
            sessions_word(sessions)
        )),
        Some((_, Step::DownWorse(d))) => reasons.push(format!(
            "A session on {d} left your back worse: easing back to level {level}."
        )),
        Some((_, Step::DownFlare(d))) => reasons.push(format!(
            "A flare-up started on {d}: easing back to level {level}."
        )),
        Some((_, Step::DownBreak { weeks })) => reasons.push(format!(
            "No sessions logged for {weeks} weeks: back to level {level} to restart gently."
        )),
    }

    // What this week has brought so far.
    let tomorrow = add_days(today, 1);
    let this_week_worse = history.worse_in(week, tomorrow);
    let this_week_flare = history.flare_in(week, tomorrow);
    if let Some(d) = this_week_worse.or(this_week_flare) {
        level = level.saturating_sub(1).max(1);
        stepped_up = false;
        reasons.push(if this_week_worse == Some(d) {
            format!(
                "A session on {d} left your back worse: easing back to level {level} this week."
            )
        } else {
            format!("A flare-up started on {d}: easing back to level {level} this week.")
        });
    }
    let recent = add_days(today, 1 - RECENT_DAYS);
    let recent_event = history.worse_in(recent, tomorrow).is_some()
        || history.flare_in(recent, tomorrow).is_some();

    // Today's pain.
    let pain = person.pain_now.map(PainScore::value);
    let gentle_today = pain.is_some_and(|p| p >= GENTLE_PAIN);
    if let Some(p) = pain.filter(|p| *p >= HOLD_PAIN) {
        if stepped_up {
            level = level.saturating_sub(1).max(1);
            stepped_up = false;
            reasons.push(format!(
                "Your pain today is {p}/10: staying at level {level} this week rather than \
                 moving up."
            ));
        } else if !gentle_today {
            reasons.push(format!(
                "Your pain today is {p}/10: stay at this level and ease off if pain climbs \
                 above a moderate level."
            ));
        }
        if gentle_today {
            let mobility = knowledge.exercises().iter().any(|e| {
                e.category == ExerciseCategory::Mobility
                    && !e.alternative_only
                    && e.fit(pain_type).is_prescribed()
                    && decisions.of(e).keeps_exercise()
            });
            let what = if mobility {
                "a short walk and mobility within comfort"
            } else {
                "a short, easy walk"
            };
            reasons.push(format!(
                "Your pain today is {p}/10: today is gentle movement only, {what}. If it stays \
                 this high or anything new appears, see the symptom check."
            ));
        }
    }

    let status = if gentle_today || recent_event {
        Status::Easing
    } else if stepped_up {
        Status::Progressing
    } else if !had_history {
        Status::Starting
    } else {
        Status::Holding
    };

    let days: Vec<ProgramDay<'k>> = (0..7)
        .map(|i| {
            let date = add_days(week, i64::try_from(i).unwrap_or(0));
            let rest_day = i == REST_DAY;
            let gentle = gentle_today && date == today && !rest_day;
            let items = if rest_day {
                Vec::new()
            } else if gentle {
                gentle_items(knowledge, person, &decisions)
            } else {
                day_items(knowledge, person, &decisions, i, level)
            };
            ProgramDay {
                date,
                rest_day,
                gentle,
                items,
            }
        })
        .collect();
    let today_index = days.iter().position(|d| d.date == today);
    let mut held_back: Vec<HeldBack<'k>> = Vec::new();
    for e in knowledge.exercises().iter().filter(|e| !e.alternative_only) {
        match e.fit(pain_type) {
            Fit::HeldBack { why } => held_back.push(HeldBack {
                exercise: e,
                why: why.clone(),
            }),
            _ => {
                if let ExerciseDecision::Withheld { because } = decisions.of(e) {
                    held_back.push(HeldBack {
                        exercise: e,
                        why: because.info.exercise_reason.clone(),
                    });
                }
            }
        }
    }
    let conditions = condition_notes(knowledge, person, &decisions);

    Program::Ready(WeeklyProgram {
        week_start: week,
        pain_type,
        level,
        max_level,
        status,
        reasons,
        days,
        today: today_index,
        held_back,
        conditions,
    })
}

/// What each of the person's conditions changed in the program: every exercise the pain type
/// would have, adapted, swapped or left out because of a restriction that condition brings.
fn condition_notes<'k>(
    knowledge: &'k Knowledge,
    person: &Person<'k>,
    decisions: &Decisions<'k>,
) -> Vec<ConditionNote<'k>> {
    let program: Vec<&'k ExerciseInfo> = knowledge
        .exercises()
        .iter()
        .filter(|e| !e.alternative_only && e.fit(person.pain_type).is_prescribed())
        .collect();
    person
        .conditions
        .iter()
        .map(|&condition| {
            let changes = program
                .iter()
                .map(|&exercise| (exercise, decisions.of(exercise)))
                .filter_map(|(exercise, decision)| {
                    let (change, instead, how, because) = match decision {
                        ExerciseDecision::Unchanged => return None,
                        ExerciseDecision::Adapted { how, because } => {
                            (ChangeKind::Adapted, None, Some(how.clone()), because)
                        }
                        ExerciseDecision::Swapped { with, because } => {
                            (ChangeKind::Swapped, Some(*with), None, because)
                        }
                        ExerciseDecision::Withheld { because } => {
                            (ChangeKind::LeftOut, None, None, because)
                        }
                    };
                    (because.condition.id == condition.id).then(|| Change {
                        exercise,
                        change,
                        instead,
                        how,
                        why: because.info.exercise_reason.clone(),
                    })
                })
                .collect();
            ConditionNote {
                condition,
                name: condition.name.clone(),
                note: condition.program_note.clone(),
                weeks: if condition.weeks { person.weeks } else { None },
                changes,
            }
        })
        .collect()
}

fn pain_type_reason(knowledge: &Knowledge, pain_type: PainType) -> String {
    match pain_type {
        PainType::None => "You reported no back pain: this is a general program for keeping the \
             back strong and the body active."
            .to_owned(),
        PainType::Unclear => "Your pain type is not clear yet: this is a general program that \
             keeps the back near the middle of its range; it narrows once the pattern is \
             clearer."
            .to_owned(),
        p => {
            let name = knowledge
                .pain_type(p)
                .map_or_else(|| p.as_str().to_owned(), |i| i.name.to_lowercase());
            let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            format!(
                "Chosen for {article} {name} back: exercises that tend to provoke it are held \
                 back or done in a modified form."
            )
        }
    }
}

/// Whether an exercise of this category comes on day `day` (0 = Monday).
fn offered_on(category: ExerciseCategory, day: usize) -> bool {
    match category {
        ExerciseCategory::Mobility => day != REST_DAY,
        ExerciseCategory::Aerobic => WALKING_DAYS.contains(&day),
        ExerciseCategory::Stability | ExerciseCategory::Strength | ExerciseCategory::Skill => {
            STRENGTH_DAYS.contains(&day)
        }
    }
}

/// The exercises offered on day `day` (0 = Monday) at `level`, as the person's conditions
/// allow them: adapted ones with their form, swapped ones replaced (once) by their
/// alternative, left-out ones not at all.
fn day_items<'k>(
    knowledge: &'k Knowledge,
    person: &Person<'k>,
    decisions: &Decisions<'k>,
    day: usize,
    level: u8,
) -> Vec<Prescription<'k>> {
    let pain_type = person.pain_type;
    let mut items: Vec<Prescription<'k>> = Vec::new();
    for e in knowledge.exercises().iter().filter(|e| {
        !e.alternative_only && e.fit(pain_type).is_prescribed() && offered_on(e.category, day)
    }) {
        if let Some(item) = allowed(person, decisions.of(e), e, level, None)
            && !items.iter().any(|i| i.exercise.id == item.exercise.id)
        {
            items.push(item);
        }
    }
    items
}

/// `exercise` at `level` as the person's conditions allow it, with `today` added to its note;
/// `None` when it is left out.
fn allowed<'k>(
    person: &Person<'k>,
    decision: &ExerciseDecision<'k>,
    exercise: &'k ExerciseInfo,
    level: u8,
    today: Option<&str>,
) -> Option<Prescription<'k>> {
    let pain_type = person.pain_type;
    let note = |e: &ExerciseInfo, extra: Option<&str>| {
        let parts: Vec<&str> = fit_how(e.fit(pain_type))
            .into_iter()
            .chain(extra)
            .chain(today)
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    };
    let mut item = match decision {
        ExerciseDecision::Unchanged => Prescription::new(exercise, level, note(exercise, None)),
        ExerciseDecision::Adapted { how, because } => {
            let mut item = Prescription::new(exercise, level, note(exercise, Some(how)));
            item.for_condition = Some(because.condition.id.clone());
            item
        }
        ExerciseDecision::Swapped { with, because } => {
            let mut item = Prescription::new(with, level, note(with, None));
            item.instead_of = Some(exercise);
            item.for_condition = Some(because.condition.id.clone());
            item
        }
        ExerciseDecision::Withheld { .. } => return None,
    };
    item.coach = safety::coach_follows(exercise, decision, pain_type);
    Some(item)
}

/// How a fit asks the exercise to be done, if it changes it.
fn fit_how(fit: &Fit) -> Option<&str> {
    match fit {
        Fit::Modified { how } => Some(how),
        Fit::Suggested | Fit::HeldBack { .. } => None,
    }
}

/// A high-pain day: mobility within comfort and one short walk, at level 1, as the person's
/// conditions allow them.
fn gentle_items<'k>(
    knowledge: &'k Knowledge,
    person: &Person<'k>,
    decisions: &Decisions<'k>,
) -> Vec<Prescription<'k>> {
    let mut items: Vec<Prescription<'k>> = Vec::new();
    for e in knowledge
        .exercises()
        .iter()
        .filter(|e| !e.alternative_only && e.fit(person.pain_type).is_prescribed())
    {
        let today = match e.category {
            ExerciseCategory::Mobility => {
                "Within comfort today: a smaller range and fewer cycles are fine."
            }
            ExerciseCategory::Aerobic => "One short, easy bout today; stop if pain builds.",
            _ => continue,
        };
        let Some(mut item) = allowed(person, decisions.of(e), e, 1, Some(today)) else {
            continue;
        };
        if item.exercise.category == ExerciseCategory::Aerobic {
            item.sets = 1;
            item.redescribe();
        }
        if !items.iter().any(|i| i.exercise.id == item.exercise.id) {
            items.push(item);
        }
    }
    items
}
