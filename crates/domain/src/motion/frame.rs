//! One camera frame of pose keypoints, as the browser sends it, and the checks it must pass.
//!
//! The page runs MediaPipe Pose and sends only the 33 landmarks of each frame, never the
//! image. The wire form is compact: `{"t": 1234, "lm": [[x, y, z, v], …]}` with exactly 33
//! rows, `x` and `y` in image coordinates (0–1, `y` pointing down, points just off the
//! picture may fall a little outside), `z` MediaPipe's relative depth (unused here) and `v`
//! the visibility, 0–1. A [`Frame`] can only be built through [`Frame::new`] (or
//! deserialisation, which calls it), so every frame the engine sees has 33 finite landmarks.

use serde::{Deserialize, Serialize};

/// How many landmarks MediaPipe Pose gives per frame.
pub const LANDMARK_COUNT: usize = 33;

/// MediaPipe Pose landmark indices used by the motion module.
pub mod index {
    /// The nose.
    pub const NOSE: usize = 0;
    /// The left ear.
    pub const LEFT_EAR: usize = 7;
    /// The right ear.
    pub const RIGHT_EAR: usize = 8;
    /// The left shoulder.
    pub const LEFT_SHOULDER: usize = 11;
    /// The right shoulder.
    pub const RIGHT_SHOULDER: usize = 12;
    /// The left hip.
    pub const LEFT_HIP: usize = 23;
    /// The right hip.
    pub const RIGHT_HIP: usize = 24;
    /// The left knee.
    pub const LEFT_KNEE: usize = 25;
    /// The right knee.
    pub const RIGHT_KNEE: usize = 26;
    /// The left ankle.
    pub const LEFT_ANKLE: usize = 27;
    /// The right ankle.
    pub const RIGHT_ANKLE: usize = 28;
    /// The left heel.
    pub const LEFT_HEEL: usize = 29;
    /// The right heel.
    pub const RIGHT_HEEL: usize = 30;
    /// The tip of the left foot.
    pub const LEFT_FOOT_INDEX: usize = 31;
    /// The tip of the right foot.
    pub const RIGHT_FOOT_INDEX: usize = 32;
}

/// One keypoint: image coordinates, relative depth and visibility.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(from = "[f32; 4]", into = "[f32; 4]")]
pub struct Landmark {
    /// Horizontal position, 0 at the left edge of the image, 1 at the right.
    pub x: f32,
    /// Vertical position, 0 at the top of the image, 1 at the bottom.
    pub y: f32,
    /// MediaPipe's depth relative to the hips (not used: too unreliable from one camera).
    pub z: f32,
    /// How likely the point is visible, 0–1.
    pub visibility: f32,
}

impl From<[f32; 4]> for Landmark {
    fn from([x, y, z, visibility]: [f32; 4]) -> Self {
        Self {
            x,
            y,
            z,
            visibility,
        }
    }
}

impl From<Landmark> for [f32; 4] {
    fn from(l: Landmark) -> Self {
        [l.x, l.y, l.z, l.visibility]
    }
}

/// Why a frame was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FrameError {
    /// The frame did not hold exactly 33 landmarks.
    #[error("a frame needs exactly {LANDMARK_COUNT} landmarks, this one has {found}")]
    WrongLandmarkCount {
        /// How many landmarks the frame held.
        found: usize,
    },
    /// A coordinate or visibility was NaN or infinite.
    #[error("landmark {index} has a non-finite {field}")]
    NonFinite {
        /// The landmark's index (0–32).
        index: usize,
        /// Which value: `x`, `y`, `z` or `visibility`.
        field: &'static str,
    },
    /// A visibility was outside 0–1.
    #[error("landmark {index} has visibility {value}, outside 0–1")]
    VisibilityOutOfRange {
        /// The landmark's index (0–32).
        index: usize,
        /// The visibility given.
        value: f32,
    },
}

/// The compact wire form of a frame.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrame {
    t: u64,
    lm: Vec<Landmark>,
}

/// One frame: its capture time and its 33 checked landmarks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawFrame", into = "RawFrame")]
pub struct Frame {
    t_ms: u64,
    landmarks: [Landmark; LANDMARK_COUNT],
}

impl Frame {
    /// A frame at `t_ms` (milliseconds on the page's clock; only differences matter) from
    /// exactly 33 landmarks whose values are all finite and whose visibilities are 0–1.
    pub fn new(t_ms: u64, landmarks: Vec<Landmark>) -> Result<Self, FrameError> {
        let found = landmarks.len();
        let landmarks: [Landmark; LANDMARK_COUNT] = landmarks
            .try_into()
            .map_err(|_| FrameError::WrongLandmarkCount { found })?;
        for (index, l) in landmarks.iter().enumerate() {
            for (field, value) in [
                ("x", l.x),
                ("y", l.y),
                ("z", l.z),
                ("visibility", l.visibility),
            ] {
                if !value.is_finite() {
                    return Err(FrameError::NonFinite { index, field });
                }
            }
            if !(0.0..=1.0).contains(&l.visibility) {
                return Err(FrameError::VisibilityOutOfRange {
                    index,
                    value: l.visibility,
                });
            }
        }
        Ok(Self { t_ms, landmarks })
    }

    /// The capture time in milliseconds.
    pub fn t_ms(&self) -> u64 {
        self.t_ms
    }

    /// The 33 landmarks, in MediaPipe's order (see [`index`]).
    pub fn landmarks(&self) -> &[Landmark; LANDMARK_COUNT] {
        &self.landmarks
    }

    /// The same frame seen in a mirror: every `x` becomes `1 − x`. Angles do not change.
    pub fn mirrored(&self) -> Self {
        let mut landmarks = self.landmarks;
        for l in &mut landmarks {
            l.x = 1.0 - l.x;
        }
        Self {
            t_ms: self.t_ms,
            landmarks,
        }
    }
}

impl TryFrom<RawFrame> for Frame {
    type Error = FrameError;

    fn try_from(raw: RawFrame) -> Result<Self, Self::Error> {
        Self::new(raw.t, raw.lm)
    }
}

impl From<Frame> for RawFrame {
    fn from(frame: Frame) -> Self {
        Self {
            t: frame.t_ms,
            lm: frame.landmarks.to_vec(),
        }
    }
}
