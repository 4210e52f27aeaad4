//! Per-frame angles from the keypoints of one side of the body.
//!
//! Everything is computed on the side (left or right) whose shoulder–hip–knee–ankle chain is
//! more visible: in a side view the far side is hidden and MediaPipe only guesses it, so
//! midpoints of left and right would mix a guess into every angle. All angles are unsigned
//! angles between image vectors, or are signed by the way the person faces, so a mirrored
//! view (`x → 1 − x`) gives the same numbers. `x` is scaled by the image's aspect ratio first,
//! since MediaPipe normalises `x` by the width and `y` by the height.
//!
//! # What the lumbar proxy can and cannot see
//!
//! No MediaPipe landmark lies on the spine or the pelvis, and from shoulder, hip and knee
//! alone a rounded back cannot be told from a good hinge: in two dimensions the
//! trunk-to-thigh angle is always the trunk's inclination plus the thigh's, whatever the
//! spine does between shoulder and hip. The proxy therefore adds a third point above the
//! trunk line: the ear. It is the signed bend (degrees, positive = towards the front, i.e.
//! rounding) between the trunk line (hip → shoulder) and the shoulder → ear line, and the
//! session reports it relative to the person's own calibrated neutral. It sees the whole back
//! curling forward and the head dropping with it; it cannot see the lumbar curve on its own,
//! pelvic tilt, a nod of the head alone, or rotation, and it is only meaningful from the side.
//! It is a cue for large changes against the person's own neutral, not a measurement of the
//! lumbar spine.

use serde::Serialize;

use super::frame::{Frame, Landmark, index};

/// Which side of the body the angles were taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The person's left side (MediaPipe's left landmarks).
    Left,
    /// The person's right side.
    Right,
}

/// The angles of one frame, in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Measures {
    /// The side the angles come from.
    pub side: Side,
    /// Trunk (hip → shoulder) from the image vertical: 0 upright, 90 horizontal, 180 upside
    /// down.
    pub trunk_inclination: f32,
    /// Shoulder–hip–knee: 180 with trunk and thigh in line, smaller as the hip bends.
    pub hip: f32,
    /// Hip–knee–ankle: 180 with the leg straight; `None` when the ankle is not visible.
    pub knee: Option<f32>,
    /// The back-rounding proxy relative to the calibrated neutral (positive = more rounded);
    /// `None` before calibration or when the ear or nose is not visible. See the module
    /// documentation for what it can and cannot see.
    pub lumbar_proxy: Option<f32>,
}

/// The raw geometry of one frame, before the neutral is applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Raw {
    pub side: Side,
    pub trunk_inclination: f32,
    pub hip: f32,
    pub knee: Option<f32>,
    /// The bend between trunk line and shoulder → ear line, signed by facing, not yet
    /// relative to neutral.
    pub curve: Option<f32>,
    /// Where the hip is (x scaled by the aspect ratio, y), and the trunk's length, in the
    /// same units: how far the person moved between frames, in trunk lengths.
    pub hip_at: (f32, f32),
    pub trunk_len: f32,
    /// The horizontal shoulder separation over the trunk length (both shoulders visible):
    /// near 0 side-on, large when facing the camera.
    pub shoulder_spread: Option<f32>,
}

#[derive(Debug, Clone, Copy)]
struct V {
    x: f32,
    y: f32,
}

impl V {
    fn sub(self, o: Self) -> Self {
        Self {
            x: self.x - o.x,
            y: self.y - o.y,
        }
    }
    fn dot(self, o: Self) -> f32 {
        self.x * o.x + self.y * o.y
    }
    fn cross(self, o: Self) -> f32 {
        self.x * o.y - self.y * o.x
    }
    fn len(self) -> f32 {
        self.dot(self).sqrt()
    }
}

/// The unsigned angle between two vectors, degrees 0–180.
fn between(a: V, b: V) -> f32 {
    a.cross(b).abs().atan2(a.dot(b)).to_degrees()
}

/// Chain indices of one side: shoulder, hip, knee, ankle, ear.
fn chain(side: Side) -> [usize; 5] {
    match side {
        Side::Left => [
            index::LEFT_SHOULDER,
            index::LEFT_HIP,
            index::LEFT_KNEE,
            index::LEFT_ANKLE,
            index::LEFT_EAR,
        ],
        Side::Right => [
            index::RIGHT_SHOULDER,
            index::RIGHT_HIP,
            index::RIGHT_KNEE,
            index::RIGHT_ANKLE,
            index::RIGHT_EAR,
        ],
    }
}

/// The side whose shoulder–hip–knee–ankle chain is more visible (left on a tie).
pub fn choose_side(frame: &Frame) -> Side {
    let lm = frame.landmarks();
    let score = |side| -> f32 { chain(side)[..4].iter().map(|&i| lm[i].visibility).sum() };
    if score(Side::Right) > score(Side::Left) {
        Side::Right
    } else {
        Side::Left
    }
}

/// The raw geometry of a frame, or `None` when shoulder, hip or knee of the better side is
/// below `min_visibility`.
pub(crate) fn raw(frame: &Frame, aspect_ratio: f32, min_visibility: f32) -> Option<Raw> {
    let lm = frame.landmarks();
    let side = choose_side(frame);
    let [s, h, k, a, e] = chain(side);
    let seen = |i: usize| lm[i].visibility >= min_visibility;
    if !(seen(s) && seen(h) && seen(k)) {
        return None;
    }
    let p = |l: &Landmark| V {
        x: l.x * aspect_ratio,
        y: l.y,
    };
    let (shoulder, hip, knee) = (p(&lm[s]), p(&lm[h]), p(&lm[k]));
    let trunk = shoulder.sub(hip);
    let trunk_len = trunk.len();
    if trunk_len <= f32::EPSILON || knee.sub(hip).len() <= f32::EPSILON {
        return None;
    }
    let up = V { x: 0.0, y: -1.0 };
    let trunk_inclination = between(trunk, up);
    let hip_angle = between(trunk, knee.sub(hip));
    let knee_angle = seen(a).then(|| between(hip.sub(knee), p(&lm[a]).sub(knee)));
    let curve = (seen(e) && seen(index::NOSE)).then(|| {
        let ear = p(&lm[e]);
        let upper = ear.sub(shoulder);
        let face = p(&lm[index::NOSE]).sub(ear);
        let bend = trunk.cross(upper).atan2(trunk.dot(upper)).to_degrees();
        // The face points forward: its side of the trunk line is the front.
        if trunk.cross(face) >= 0.0 {
            bend
        } else {
            -bend
        }
    });
    let (ls, rs) = (&lm[index::LEFT_SHOULDER], &lm[index::RIGHT_SHOULDER]);
    let shoulder_spread = (ls.visibility >= min_visibility && rs.visibility >= min_visibility)
        .then(|| ((ls.x - rs.x) * aspect_ratio).abs() / trunk_len);
    Some(Raw {
        side,
        hip_at: (hip.x, hip.y),
        trunk_len,
        trunk_inclination,
        hip: hip_angle,
        knee: knee_angle,
        curve,
        shoulder_spread,
    })
}
