//! One camera frame of pose keypoints, as the browser sends it, and the checks it must pass.
//!
//! The page runs MediaPipe Pose and sends only the 33 landmarks of each frame, never the
//! image. The wire form is compact: `{"t": 1234, "lm": [[x, y, z, v], …]}` with exactly 33
//! rows, `x` and `y` in image coordinates (0–1, `y` pointing down, points just off the
//! picture may fall a little outside), `z` MediaPipe's relative depth (unused here) and `v`
//! the visibility, 0–1. The binary wire form carries the same values in
//! [`BINARY_FRAME_BYTES`] bytes ([`Frame::from_binary`]). A [`Frame`] can only be built through
//! [`Frame::new`], [`Frame::from_binary`] or deserialisation, which all make the same checks,
//! so every frame the engine sees has 33 finite landmarks.

use serde::{Deserialize, Serialize};

/// How many landmarks MediaPipe Pose gives per frame.
pub const LANDMARK_COUNT: usize = 33;

/// The size of a frame's binary wire form: its time in milliseconds as a little-endian `f64`,
/// then each landmark's `x`, `y`, `z` and visibility as little-endian `f32`.
pub const BINARY_FRAME_BYTES: usize = 8 + LANDMARK_COUNT * 16;

/// The latest time a frame may carry, in milliseconds: the largest whole number a browser's
/// numbers hold exactly (2^53), whichever form the frame came in.
const MAX_TIME_MS: u64 = 1 << 53;

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
    /// A binary frame was not [`BINARY_FRAME_BYTES`] long.
    #[error(
        "a binary frame is {BINARY_FRAME_BYTES} bytes (time, then 33 × x, y, z, visibility), this one has {found}"
    )]
    WrongSize {
        /// How many bytes the message held.
        found: usize,
    },
    /// A binary frame's time was not a whole number of milliseconds from 0 to 2^53.
    #[error("a frame's time is a whole number of milliseconds from 0 to 2^53, not {value}")]
    BadTime {
        /// The time given.
        value: f64,
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
        Self::checked(t_ms, landmarks)
    }

    /// A frame from its binary wire form ([`BINARY_FRAME_BYTES`] bytes), with the same checks
    /// as [`Frame::new`], and its time a whole number of milliseconds.
    pub fn from_binary(bytes: &[u8]) -> Result<Self, FrameError> {
        let found = bytes.len();
        let Some((time, rest)) = bytes.split_first_chunk::<8>() else {
            return Err(FrameError::WrongSize { found });
        };
        if found != BINARY_FRAME_BYTES {
            return Err(FrameError::WrongSize { found });
        }
        let t = f64::from_le_bytes(*time);
        if !(0.0..=MAX_TIME_MS as f64).contains(&t) || t.fract() != 0.0 {
            return Err(FrameError::BadTime { value: t });
        }
        let mut landmarks = [Landmark::default(); LANDMARK_COUNT];
        for (l, chunk) in landmarks.iter_mut().zip(rest.chunks_exact(16)) {
            let value = |i: usize| {
                let mut four = [0u8; 4];
                four.copy_from_slice(&chunk[i * 4..i * 4 + 4]);
                f32::from_le_bytes(four)
            };
            *l = Landmark::from([value(0), value(1), value(2), value(3)]);
        }
        // A whole number from 0 to 2^53 converts exactly.
        Self::checked(t as u64, landmarks)
    }

    /// The binary wire form of this frame ([`Frame::from_binary`] reads it back).
    pub fn to_binary(&self) -> [u8; BINARY_FRAME_BYTES] {
        let mut out = [0u8; BINARY_FRAME_BYTES];
        out[..8].copy_from_slice(&(self.t_ms as f64).to_le_bytes());
        for (l, chunk) in self.landmarks.iter().zip(out[8..].chunks_exact_mut(16)) {
            for (i, v) in [l.x, l.y, l.z, l.visibility].into_iter().enumerate() {
                chunk[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    /// The checks every frame passes, however it came.
    fn checked(t_ms: u64, landmarks: [Landmark; LANDMARK_COUNT]) -> Result<Self, FrameError> {
        if t_ms > MAX_TIME_MS {
            return Err(FrameError::BadTime { value: t_ms as f64 });
        }
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
