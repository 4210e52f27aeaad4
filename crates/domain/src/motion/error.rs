//! Why the tracker refused a configuration or a frame: the one error of the motion module,
//! in a file of its own so that every part of the module can use it without importing the
//! module's root.

/// Why the tracker refused a configuration or a frame.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MotionError {
    /// The exercise's numbers do not make sense.
    #[error("invalid exercise: {0}")]
    InvalidExercise(&'static str),
    /// The aspect ratio was not a positive number.
    #[error("the aspect ratio must be a positive number, not {0}")]
    InvalidAspectRatio(f32),
    /// A frame came with an earlier time than the one before.
    #[error("frame time went backwards: {got} ms after {previous} ms")]
    TimeWentBackwards {
        /// The previous frame's time.
        previous: u64,
        /// This frame's time.
        got: u64,
    },
}
