//! The one safety policy. Every decision about what is withheld, flagged or changed to keep a
//! person safe is made here, once, and every feature asks it: the couple's plan
//! ([`crate::recommend`]), the exercise program ([`crate::program`]), flare-up advice
//! ([`crate::journal::flares`]) and the symptom check; the command line, the pages and the API
//! only present what it answers.
//!
//! Given a person's circumstances — pain type, role, today's pain, conditions (with the week
//! of a pregnancy), the symptoms reported now and the red flags their journal still holds — it
//! answers:
//!
//! - [`red_flags`](mod@red_flags): the graded referral ([`RedFlags`]), and whether it withholds all other
//!   advice (urgent or emergency). Symptoms noted in the journal count for
//!   [`LOGGED_FLAGS_DAYS`] days, an assessment's for [`ASSESSMENT_FLAGS_DAYS`]; the
//!   triage's levels and combinations (with the couple's conditions) apply to all of them
//!   alike.
//! - [`conditions`]: what each condition rules out or flags — in positions (the restrictions a
//!   posture falls under, capping at "caution" after spine surgery), in exercises (adapted,
//!   swapped for a suitable alternative, or left out; the whole program withheld after recent
//!   spine surgery), and in advice (tips and flare-up advice withheld, with a replacement
//!   addressed to whoever has the condition).
//! - [`advice`]: flare-up advice as the conditions and red flags allow it, its list of when to
//!   see a doctor drawn from the triage's own symptoms.
//! - [`Circumstances`]: gathering them — the pain type to plan for (what was given, else the
//!   saved profile's, else the latest assessment's, else `unclear`), today's pain (given, else
//!   today's check-in) and the journal's red flags.
//!
//! The pain-type rules — which movements provoke which back, the thresholds of the verdicts,
//! high-pain days — are the posture model's ([`crate::posture`]), which asks this module for
//! the dimensions a condition adds and the flags it raises. `docs/safety.md` lists every rule
//! with its source and its test.

pub mod advice;
pub mod conditions;
mod gather;
mod person;
pub mod red_flags;

pub use advice::{
    Advice, EXERCISE_STOP_LEVELS, REFERRAL, WarningSigns, flare_advice, warning_signs,
};
pub use conditions::{
    Active, Coaching, Decisions, ExerciseDecision, PositionFlags, ProgramHold, Whose,
    coach_follows, coaching, exercise_decision, position_flags, program_hold, withheld_for,
};
pub use gather::{Circumstances, Given, PainTypeSource, Saved, journal_red_flags, with_saved};
pub(crate) use person::fill;
pub use person::{BadWeeks, MAX_PREGNANCY_WEEKS, Person, Who, pregnancy_weeks, unknown_week_hint};
pub use red_flags::{
    ASSESSMENT_FLAGS_DAYS, LOGGED_FLAGS_DAYS, Noted, RedFlags, Reported, red_flags,
    triage_conditions,
};
