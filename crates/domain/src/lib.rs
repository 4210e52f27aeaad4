//! The spinewise engine, pure and synchronous: no I/O, no clock, no randomness.
//!
//! - [`knowledge`]: the reviewed knowledge base from `content/`, compiled in and validated by
//!   its own rules; it is the bottom of the engine and knows nothing of the parts above.
//! - [`content_check`]: loading the knowledge base, checked as well against what the rest
//!   of the engine relies on ([`Knowledge::load`], [`Knowledge::bundled`]).
//! - [`assessment`]: the self-assessment, scored into a pain type with a confidence.
//! - [`posture`]: the posture model, from a position's demands on a back to a verdict.
//! - [`recommend`]: the couple's plan — red flags first, positions best first, tips, notices.
//! - [`safety`]: the one safety policy every feature asks — red flags (now and in the
//!   journal), what conditions rule out or flag in positions, exercises and advice.
//! - [`triage`]: red-flag symptoms to a graded referral (the mechanism the policy uses).
//! - [`faq`]: finding the answer to a question typed in a person's own words.
//! - [`guided`]: an exercise's dose as timed steps, for following it without the camera.
//! - [`journal`]: the private journal and what it says about this person's back.
//! - [`motion`]: exercise tracking from pose keypoints — angles, reps, holds, form warnings.
//! - [`program`]: the weekly exercise program — exercises for the pain type, days, level and
//!   status from the journal.
//! - [`vocab`]: the closed vocabularies every part shares.
//! - [`words`]: small helpers for the words the engine writes (capitals, percentages).

pub mod assessment;
pub mod content_check;
pub mod faq;
pub mod guided;
pub mod journal;
pub mod json_object;
pub mod knowledge;
pub mod motion;
#[cfg(feature = "openapi")]
mod openapi;
pub mod posture;
pub mod program;
pub mod recommend;
pub mod safety;
pub mod triage;
pub mod vocab;
pub mod whole_number;
pub mod words;

pub use knowledge::Knowledge;
