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
//! A red-flag level that withholds advice (urgent or emergency) withholds the whole program:
//! [`Program::Withheld`].
//!
//! # JSON
//!
//! The program serialises for the API with exercises referred to by id (`"exercise":
//! "bird-dog"`), so that a client looks up names, steps and drawings once in the exercise
//! list; every prescription also carries its dose in words (`dose`).

use serde::{Serialize, Serializer};
use time::Duration;

use crate::journal::{Exercise, Journal, LocalDate, RISE_POINTS};
use crate::knowledge::{ExerciseCategory, ExerciseInfo, Fit, Knowledge, describe_dose};
use crate::vocab::{Felt, Level, PainScore, PainType};

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
#[derive(Debug, Clone, Copy)]
pub struct ProgramInput<'j> {
    /// The person's pain type.
    pub pain_type: PainType,
    /// Today, in the person's own time zone.
    pub today: LocalDate,
    /// Back pain today, 0–10, from today's check-in or asked on the page.
    pub pain_today: Option<PainScore>,
    /// The worst red-flag level currently known (`none` when fine).
    pub red_flag_level: Level,
    /// The person's journal.
    pub journal: &'j Journal,
}

/// The program, or the reason there is none.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Program<'k> {
    /// A red flag needs a clinician first: no exercise program until then.
    Withheld {
        /// The red-flag level that withholds it.
        level: Level,
    },
    /// This week's program.
    Ready(WeeklyProgram<'k>),
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
    /// The exercises left out for this pain type, with the reason.
    pub held_back: Vec<HeldBack<'k>>,
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
    /// The dose in words, e.g. "3 sets of 5, 3, 1 holds of 10 s, each side, rest 20 s".
    pub dose: String,
    /// How to adapt it for this back or this day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
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
    if n == 1 {
        "1 session".to_owned()
    } else {
        format!("{n} sessions")
    }
}

/// This week's exercise program for the person in `input` (see the module's documentation
/// for the rules).
pub fn weekly_program<'k>(knowledge: &'k Knowledge, input: &ProgramInput<'_>) -> Program<'k> {
    if input.red_flag_level.withholds_advice() {
        return Program::Withheld {
            level: input.red_flag_level,
        };
    }
    let today = input.today;
    let week = week_start(today);
    let max_level = knowledge.max_exercise_level().max(1);
    let history = History::new(knowledge, input.journal, today);
    let replay = history.replay(week, max_level);
    let mut level = replay.level.clamp(1, max_level);
    let mut reasons = vec![pain_type_reason(knowledge, input.pain_type)];

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
    let pain = input.pain_today.map(PainScore::value);
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
                e.category == ExerciseCategory::Mobility && e.fit(input.pain_type).is_prescribed()
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

    let pain_type = input.pain_type;
    let days: Vec<ProgramDay<'k>> = (0..7)
        .map(|i| {
            let date = add_days(week, i64::try_from(i).unwrap_or(0));
            let rest_day = i == REST_DAY;
            let gentle = gentle_today && date == today && !rest_day;
            let items = if rest_day {
                Vec::new()
            } else if gentle {
                gentle_items(knowledge, pain_type)
            } else {
                day_items(knowledge, pain_type, i, level)
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
    let held_back = knowledge
        .exercises()
        .iter()
        .filter_map(|e| match e.fit(pain_type) {
            Fit::HeldBack { why } => Some(HeldBack {
                exercise: e,
                why: why.clone(),
            }),
            _ => None,
        })
        .collect();

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
    })
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

/// The note a fit adds to a prescription.
fn fit_note(fit: &Fit) -> Option<String> {
    match fit {
        Fit::Modified { how } => Some(how.clone()),
        Fit::Suggested | Fit::HeldBack { .. } => None,
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

fn day_items<'k>(
    knowledge: &'k Knowledge,
    pain_type: PainType,
    day: usize,
    level: u8,
) -> Vec<Prescription<'k>> {
    knowledge
        .exercises()
        .iter()
        .filter(|e| e.fit(pain_type).is_prescribed() && offered_on(e.category, day))
        .map(|e| Prescription::new(e, level, fit_note(e.fit(pain_type))))
        .collect()
}

/// A high-pain day: mobility within comfort and one short walk, at level 1.
fn gentle_items(knowledge: &Knowledge, pain_type: PainType) -> Vec<Prescription<'_>> {
    knowledge
        .exercises()
        .iter()
        .filter(|e| e.fit(pain_type).is_prescribed())
        .filter_map(|e| {
            let today = match e.category {
                ExerciseCategory::Mobility => {
                    "Within comfort today: a smaller range and fewer cycles are fine."
                }
                ExerciseCategory::Aerobic => "One short, easy bout today; stop if pain builds.",
                _ => return None,
            };
            let note = match fit_note(e.fit(pain_type)) {
                Some(how) => format!("{how} {today}"),
                None => today.to_owned(),
            };
            let mut item = Prescription::new(e, 1, Some(note));
            if e.category == ExerciseCategory::Aerobic {
                item.sets = 1;
                item.redescribe();
            }
            Some(item)
        })
        .collect()
}
