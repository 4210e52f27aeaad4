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
//!
//! This module is the bottom of the engine: it knows nothing of the parts that read it. The
//! rules that need them (the notices the plan shows, the presets of the camera coach…) are
//! checked above it, in [`crate::content_check`], which is also where [`Knowledge::load`]
//! and [`Knowledge::bundled`] run both sets of rules.
//!
//! - `model`: the types of the content, as the files spell them.
//! - `files`: the files' text as compiled in, and their parsing into a [`Knowledge`].
//! - `base`: [`Knowledge`] itself, with lookups by id.
//! - `validate`: the rules of the content itself.

mod base;
mod files;
mod model;
mod validate;

pub use base::Knowledge;
pub use files::{ContentError, ContentFiles};
pub use model::*;
pub(crate) use validate::problems;
pub use validate::{
    MIN_EXERCISE_LEVELS, REQUIRED_CONDITIONS, REQUIRED_EXERCISES, REQUIRED_FLARE_ADVICE,
    REQUIRED_SYMPTOMS, REQUIRED_TIPS, SEED_POSITIONS,
};
