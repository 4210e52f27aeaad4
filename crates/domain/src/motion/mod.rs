//! Exercise tracking from pose keypoints: the browser runs pose estimation and sends only the
//! 33 landmarks of each frame; this module measures the angles, counts repetitions or times a
//! hold, and raises form warnings against the person's own neutral.
//!
//! - [`frame`]: the wire form of a frame and its checks.
//! - [`measures`]: per-frame angles from the better-seen side, and the back-rounding proxy
//!   (read its documentation for what 2D keypoints can and cannot see).
//! - [`exercise`]: what drives an exercise, rep and hold rules, and the presets.
//! - [`session`]: calibration, smoothing, hysteresis, holds, debounced warnings, summary.
//! - [`synthetic`]: a seeded stick-figure generator for tests, benchmarks and demos.
//!
//! Limits, stated plainly: keypoints from one camera are two-dimensional, no landmark lies on
//! the spine, and every angle depends on the camera's view, so most exercises ask for a side
//! view. Warnings fire only on large deviations from the person's own calibrated neutral and
//! are coaching cues, not clinical findings.

mod error;
pub mod exercise;
pub mod frame;
pub mod measures;
pub mod session;
pub mod synthetic;

pub use error::MotionError;
pub use exercise::{
    BACK_ROUNDING_DEG, Exercise, Gate, Goal, HINGE_MIN_KNEE_DEG, HINGE_MIN_TRUNK_LEAN_DEG,
    HoldRule, Limit, PRESET_IDS, RepRule, Signal,
};
pub use frame::{BINARY_FRAME_BYTES, Frame, FrameError, LANDMARK_COUNT, Landmark};
pub use measures::{Measures, Side};
pub use session::{Back, Neutral, Phase, Session, State, Summary, Warning, WarningKind};
