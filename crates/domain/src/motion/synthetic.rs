//! Synthetic keypoints: a stick figure posed by its angles, seen side-on from either side,
//! with seeded noise and dropouts — for tests, benchmarks and trying the tracker out without
//! a camera.
//!
//! [`landmarks`] places the points the tracker uses exactly (shoulders, hips, knees, ankles,
//! ears, nose) and the rest plausibly (eyes, mouth, arms hanging, feet). The figure faces
//! right in [`View::Right`] (its right side towards the camera) and is mirrored (`x → 1 − x`)
//! in [`View::Left`]. [`frame`] adds Gaussian-like noise and, now and then, a dropout (every
//! visibility set low). Random numbers come from a seeded SplitMix64 generator, never from
//! the system, so the same seed gives the same frames.

use std::f32::consts::PI;

use super::frame::{Frame, LANDMARK_COUNT, Landmark, index};

/// Trunk length in image units (the figure is about 0.8 of the image tall).
pub const TRUNK: f32 = 0.25;
/// Thigh length.
pub const THIGH: f32 = 0.2;
/// Shin length.
pub const SHIN: f32 = 0.2;
/// Shoulder to ear.
pub const NECK: f32 = 0.08;
/// Ear to nose.
pub const FACE: f32 = 0.035;
/// The head's forward bend against the trunk line in a neutral posture, degrees.
pub const NEUTRAL_HEAD_DEG: f32 = 10.0;
/// Visibility of the side nearer the camera.
pub const NEAR_VISIBILITY: f32 = 0.95;
/// Visibility of the far side (hidden, guessed by the pose model).
pub const FAR_VISIBILITY: f32 = 0.7;
/// Visibility of every point during a dropout.
pub const DROPOUT_VISIBILITY: f32 = 0.1;

/// A posture, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pose {
    /// The trunk's lean from vertical, forwards positive (hip → shoulder). Any angle: a
    /// figure lying on its back has about −90 (head behind the hips).
    pub trunk_deg: f32,
    /// Shoulder–hip–knee angle (180 straight), the thigh forward of the trunk line.
    pub hip_deg: f32,
    /// Hip–knee–ankle angle (180 straight), the shin bending backwards.
    pub knee_deg: f32,
    /// Extra forward bend of the shoulder → ear line: the rounding the proxy should see.
    pub rounding_deg: f32,
}

impl Pose {
    /// Standing upright.
    pub const STANDING: Self = Self {
        trunk_deg: 0.0,
        hip_deg: 178.0,
        knee_deg: 176.0,
        rounding_deg: 0.0,
    };
}

/// Which side of the person faces the camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// The right side: the figure faces the right of the image.
    Right,
    /// The left side: the mirror image of [`View::Right`].
    Left,
}

/// Noise added to every frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Noise {
    /// Standard deviation of the position noise, image units (0.005 is half a percent of
    /// the image).
    pub sd: f32,
    /// The chance that a frame drops out (all visibilities low).
    pub dropout: f64,
}

impl Noise {
    /// No noise, no dropouts.
    pub const NONE: Self = Self {
        sd: 0.0,
        dropout: 0.0,
    };
}

/// SplitMix64: a small seeded generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Approximately standard normal (the sum of four uniforms, rescaled).
    pub fn gauss(&mut self) -> f32 {
        let sum: f64 = (0..4).map(|_| self.unit()).sum();
        ((sum - 2.0) * 3f64.sqrt()) as f32
    }
}

/// The unit vector at `deg` from image-up, turning towards the figure's front (+x).
fn dir(deg: f32) -> (f32, f32) {
    let r = deg * PI / 180.0;
    (r.sin(), -r.cos())
}

fn at(from: (f32, f32), deg: f32, len: f32) -> (f32, f32) {
    let (dx, dy) = dir(deg);
    (from.0 + dx * len, from.1 + dy * len)
}

/// The 33 landmarks of a pose, without noise, hip at (0.5, 0.45).
pub fn landmarks(pose: &Pose, view: View) -> [Landmark; LANDMARK_COUNT] {
    let hip = (0.5, 0.45);
    let shoulder = at(hip, pose.trunk_deg, TRUNK);
    let thigh_deg = pose.trunk_deg + pose.hip_deg;
    let knee = at(hip, thigh_deg, THIGH);
    let shin_deg = thigh_deg + (180.0 - pose.knee_deg);
    let ankle = at(knee, shin_deg, SHIN);
    let head_deg = pose.trunk_deg + NEUTRAL_HEAD_DEG + pose.rounding_deg;
    let ear = at(shoulder, head_deg, NECK);
    let nose = at(ear, head_deg + 90.0, FACE);
    let eye = at(ear, head_deg + 60.0, FACE * 0.8);
    let mouth = at(ear, head_deg + 120.0, FACE * 0.8);
    let elbow = at(shoulder, 180.0, 0.15);
    let wrist = at(elbow, 180.0, 0.14);
    let hand = at(wrist, 180.0, 0.03);
    let heel = at(ankle, shin_deg + 90.0, 0.02);
    let toe = at(ankle, shin_deg - 90.0, 0.06);

    // Near side (right) exactly; far side (left) a little up and behind, less visible.
    let (near, far) = (NEAR_VISIBILITY, FAR_VISIBILITY);
    let mut out = [Landmark::default(); LANDMARK_COUNT];
    let mut put = |i: usize, p: (f32, f32), v: f32| {
        out[i] = Landmark {
            x: p.0,
            y: p.1,
            z: 0.0,
            visibility: v,
        };
    };
    let shift = |p: (f32, f32)| (p.0 - 0.005, p.1 - 0.005);
    put(index::NOSE, nose, near);
    for (i, (p, v)) in [(1, (eye, far)), (2, (eye, near)), (3, (eye, far))] {
        put(i, p, v);
    }
    for (i, (p, v)) in [(4, (eye, near)), (5, (shift(eye), far)), (6, (eye, near))] {
        put(i, p, v);
    }
    put(9, shift(mouth), far);
    put(10, mouth, near);
    let pairs = [
        (index::LEFT_EAR, index::RIGHT_EAR, ear),
        (index::LEFT_SHOULDER, index::RIGHT_SHOULDER, shoulder),
        (13, 14, elbow),
        (15, 16, wrist),
        (17, 18, hand),
        (19, 20, hand),
        (21, 22, hand),
        (index::LEFT_HIP, index::RIGHT_HIP, hip),
        (index::LEFT_KNEE, index::RIGHT_KNEE, knee),
        (index::LEFT_ANKLE, index::RIGHT_ANKLE, ankle),
        (index::LEFT_HEEL, index::RIGHT_HEEL, heel),
        (index::LEFT_FOOT_INDEX, index::RIGHT_FOOT_INDEX, toe),
    ];
    for (left, right, p) in pairs {
        put(right, p, near);
        put(left, shift(p), far);
    }
    if view == View::Left {
        // The mirror image: the person's left side now faces the camera.
        for l in &mut out {
            l.x = 1.0 - l.x;
        }
        for (left, right, _) in pairs {
            let (l, r) = (out[left], out[right]);
            out[left] = r;
            out[right] = l;
        }
        for (a, b) in [(1, 4), (2, 5), (3, 6), (9, 10)] {
            out.swap(a, b);
        }
    }
    out
}

/// One frame of a pose with noise and perhaps a dropout.
pub fn frame(t_ms: u64, pose: &Pose, view: View, noise: &Noise, rng: &mut Rng) -> Frame {
    let mut lm = landmarks(pose, view);
    for l in &mut lm {
        l.x += noise.sd * rng.gauss();
        l.y += noise.sd * rng.gauss();
    }
    if rng.unit() < noise.dropout {
        for l in &mut lm {
            l.visibility = DROPOUT_VISIBILITY;
        }
    }
    Frame::new(t_ms, lm.to_vec()).expect("synthetic landmarks are 33 finite points")
}

/// Frames at `fps` from time 0 for `duration_ms`, the pose at each time from `pose_at`.
pub fn sequence(
    duration_ms: u64,
    fps: f64,
    view: View,
    noise: &Noise,
    seed: u64,
    pose_at: impl Fn(u64) -> Pose,
) -> Vec<Frame> {
    let mut rng = Rng::new(seed);
    let step = 1000.0 / fps;
    (0u64..)
        .map(|i| (i as f64 * step).round() as u64)
        .take_while(|&t| t <= duration_ms)
        .map(|t| frame(t, &pose_at(t), view, noise, &mut rng))
        .collect()
}

/// A scripted hip-hinge set: standing still for `lead_ms` (calibration), then `reps`
/// repetitions of 1 s standing, 1 s down, `bottom_ms` at the bottom, 1 s up; then 1 s
/// standing. At the bottom the trunk leans 60°, the hip angle is 115° and the knees soften
/// to 160°. Reps listed in `rounded` round the back by `rounding_deg` at the bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct HingeScript {
    /// Standing still before the first rep, milliseconds.
    pub lead_ms: u64,
    /// Number of reps.
    pub reps: u32,
    /// Time held at the bottom of each rep, milliseconds.
    pub bottom_ms: u64,
    /// Which reps (0-based) are done with a rounded back.
    pub rounded: Vec<u32>,
    /// How much those reps round, degrees.
    pub rounding_deg: f32,
}

impl HingeScript {
    /// `reps` clean reps after 1.5 s of standing, 300 ms at the bottom.
    pub fn new(reps: u32) -> Self {
        Self {
            lead_ms: 1500,
            reps,
            bottom_ms: 300,
            rounded: Vec::new(),
            rounding_deg: 0.0,
        }
    }

    fn rep_ms(&self) -> u64 {
        3000 + self.bottom_ms
    }

    /// The script's length, milliseconds.
    pub fn duration_ms(&self) -> u64 {
        self.lead_ms + u64::from(self.reps) * self.rep_ms() + 1000
    }

    /// The pose at `t_ms`.
    pub fn pose_at(&self, t_ms: u64) -> Pose {
        let Some(into) = t_ms.checked_sub(self.lead_ms) else {
            return Pose::STANDING;
        };
        let rep = into / self.rep_ms();
        if rep >= u64::from(self.reps) {
            return Pose::STANDING;
        }
        let t = (into % self.rep_ms()) as f32;
        let bottom = self.bottom_ms as f32;
        // 0 standing … 1 at the bottom, eased.
        let depth = if t < 1000.0 {
            0.0
        } else if t < 2000.0 {
            ease((t - 1000.0) / 1000.0)
        } else if t < 2000.0 + bottom {
            1.0
        } else {
            1.0 - ease((t - 2000.0 - bottom) / 1000.0)
        };
        let rounded = u32::try_from(rep).is_ok_and(|r| self.rounded.contains(&r));
        let lerp = |a: f32, b: f32| a + (b - a) * depth;
        Pose {
            trunk_deg: lerp(0.0, 60.0),
            hip_deg: lerp(178.0, 115.0),
            knee_deg: lerp(176.0, 160.0),
            rounding_deg: if rounded {
                depth * self.rounding_deg
            } else {
                0.0
            },
        }
    }
}

fn ease(x: f32) -> f32 {
    let x = x.clamp(0.0, 1.0);
    x * x * (3.0 - 2.0 * x)
}
