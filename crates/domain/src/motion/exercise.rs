//! What an exercise asks of the tracker: the signal that drives it, how a repetition or a
//! hold is recognised, and which form warnings apply; with the project's presets.
//!
//! The presets' numbers are this project's own starting points, chosen from the typical
//! range of each movement as seen from the side; they are not clinical norms and will be
//! tuned against real recordings.

use serde::Serialize;

use super::error::MotionError;

/// The per-frame measure an exercise follows (degrees).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// Shoulder–hip–knee angle.
    HipAngle,
    /// Hip–knee–ankle angle.
    KneeAngle,
    /// Trunk from vertical.
    TrunkInclination,
    /// The back-rounding proxy relative to the calibrated neutral.
    LumbarProxy,
}

/// How a repetition is recognised, with hysteresis.
///
/// A rep leaves the rest band, goes past `enter`, and comes back past `leave`. Whether the
/// movement raises or lowers the signal follows from the two thresholds: `enter < leave`
/// means the signal falls during the movement (a hinge closes the hip angle), `enter >
/// leave` that it rises. A rep counts only if the signal travelled at least `min_range`
/// degrees from where it left rest and the rep lasted at least `min_duration_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RepRule {
    /// The signal that drives the count.
    pub signal: Signal,
    /// The threshold that marks the movement as under way.
    pub enter: f32,
    /// The threshold that marks the return to rest.
    pub leave: f32,
    /// The least travel of the signal for a rep to count, degrees.
    pub min_range: f32,
    /// The least time from leaving rest to returning, milliseconds.
    pub min_duration_ms: u64,
    /// A second signal the movement must reach for the rep to count, if any.
    pub gate: Option<Gate>,
    /// A signal the movement must not fall below for the rep to count, if any.
    pub limit: Option<Limit>,
}

/// A second signal a repetition must reach before it counts: the movement the rep rule
/// follows can come from more than the exercise (a leg swinging forward in a walk closes the
/// hip angle as a hip hinge does; only the hinge leans the trunk forward).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Gate {
    /// The signal that must reach `at_least` during the rep (smoothed as the main one is).
    pub signal: Signal,
    /// The least value it must reach, degrees.
    pub at_least: f32,
}

/// A signal a repetition must stay above to count: a movement that passes it is another
/// movement (sitting down on a chair closes the hip angle and leans the trunk as a hip hinge
/// does, but bends the knees far more).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limit {
    /// The signal whose lowest value during the rep is checked (smoothed as the main one is).
    pub signal: Signal,
    /// The least value it may take, degrees.
    pub at_least: f32,
}

/// How an isometric hold is recognised: the signal within `target ± tolerance`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HoldRule {
    /// The signal that must stay on target.
    pub signal: Signal,
    /// The target value, degrees.
    pub target: f32,
    /// How far from the target still counts as holding, degrees.
    pub tolerance: f32,
}

/// What the exercise counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Goal {
    /// Repetitions.
    Reps(RepRule),
    /// Time held in position.
    Hold(HoldRule),
}

impl Goal {
    /// The signal the goal follows.
    pub fn signal(&self) -> Signal {
        match self {
            Self::Reps(r) => r.signal,
            Self::Hold(h) => h.signal,
        }
    }
}

/// One exercise's tracking configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exercise {
    /// A stable identifier, e.g. `hip-hinge`.
    pub id: String,
    /// Reps or hold.
    pub goal: Goal,
    /// Landmarks below this visibility (0–1) count as not seen.
    pub min_visibility: f32,
    /// Warn when the lumbar proxy exceeds the neutral by more than this many degrees; `None`
    /// where rounding is part of the exercise (cat–camel) or cannot be judged.
    pub back_rounding_deg: Option<f32>,
    /// Whether the exercise must be filmed side-on (warn when the person faces the camera).
    pub side_view: bool,
    /// How long the calibration of the neutral lasts, milliseconds of visible frames.
    pub calibration_ms: u64,
}

/// How far the trunk must lean forward from vertical during a hip-hinge rep, degrees. Set on
/// the motion corpus's tuning set (see VALIDATION.md): the hinges there lean 50–76° at the
/// bottom, standing and walking stay within about 15°.
pub const HINGE_MIN_TRUNK_LEAN_DEG: f32 = 30.0;

/// The least knee angle (hip–knee–ankle) a hip-hinge rep may pass through, degrees: the knees
/// stay soft in a hinge, and bend to about 90° when sitting down. Set on the motion corpus's
/// tuning set (see VALIDATION.md): midway between the sit-downs' bottoms and the hinges' most
/// bent knees, to the nearest ten degrees.
pub const HINGE_MIN_KNEE_DEG: f32 = 120.0;

/// How far past the person's neutral the rounding proxy may go before the hip hinge and the
/// bird dog warn, degrees. Set on the motion corpus's tuning set (see VALIDATION.md): the best
/// balance of precision and recall there, in the middle of the thresholds that tie for it.
pub const BACK_ROUNDING_DEG: f32 = 15.0;

/// The identifiers of the presets, in the order a page would list them.
pub const PRESET_IDS: [&str; 5] = [
    "hip-hinge",
    "glute-bridge",
    "bird-dog",
    "side-plank",
    "cat-camel",
];

impl Exercise {
    /// The preset with this identifier (see [`PRESET_IDS`]).
    pub fn preset(id: &str) -> Option<Self> {
        match id {
            "hip-hinge" => Some(Self::hip_hinge()),
            "glute-bridge" => Some(Self::glute_bridge()),
            "bird-dog" => Some(Self::bird_dog()),
            "side-plank" => Some(Self::side_plank()),
            "cat-camel" => Some(Self::cat_camel()),
            _ => None,
        }
    }

    /// Hip hinge drill, filmed side-on, starting upright: the hip angle falls from about 175°
    /// standing to 100–130° at the bottom. A rep goes below 150° and back above 165°, with
    /// at least 30° of travel and 0.8 s, the trunk leaning at least
    /// [`HINGE_MIN_TRUNK_LEAN_DEG`] forward on the way (a walking stride closes the hip angle
    /// too, upright) and the knees never bent past [`HINGE_MIN_KNEE_DEG`] (sitting down leans
    /// the trunk too, on bent knees); rounding of the proxy more than [`BACK_ROUNDING_DEG`]
    /// past neutral is flagged.
    pub fn hip_hinge() -> Self {
        Self {
            id: "hip-hinge".to_owned(),
            goal: Goal::Reps(RepRule {
                signal: Signal::HipAngle,
                enter: 150.0,
                leave: 165.0,
                min_range: 30.0,
                min_duration_ms: 800,
                gate: Some(Gate {
                    signal: Signal::TrunkInclination,
                    at_least: HINGE_MIN_TRUNK_LEAN_DEG,
                }),
                limit: Some(Limit {
                    signal: Signal::KneeAngle,
                    at_least: HINGE_MIN_KNEE_DEG,
                }),
            }),
            min_visibility: 0.5,
            back_rounding_deg: Some(BACK_ROUNDING_DEG),
            side_view: true,
            calibration_ms: 1000,
        }
    }

    /// Glute bridge, filmed side-on, lying with knees bent: the hip angle rises from about
    /// 130° on the floor to 170–180° at the top. A rep goes above 165° and back below 150°,
    /// with at least 20° of travel and 0.8 s.
    pub fn glute_bridge() -> Self {
        Self {
            id: "glute-bridge".to_owned(),
            goal: Goal::Reps(RepRule {
                signal: Signal::HipAngle,
                enter: 165.0,
                leave: 150.0,
                min_range: 20.0,
                min_duration_ms: 800,
                gate: None,
                limit: None,
            }),
            min_visibility: 0.5,
            back_rounding_deg: None,
            side_view: true,
            calibration_ms: 1000,
        }
    }

    /// Bird dog hold, filmed side-on with the extended leg nearer the camera: the hip angle
    /// of that leg within 175° ± 20° (thigh in line with the trunk) counts as holding;
    /// rounding more than [`BACK_ROUNDING_DEG`] past the neutral taken on all fours is flagged
    /// (as the hinge).
    pub fn bird_dog() -> Self {
        Self {
            id: "bird-dog".to_owned(),
            goal: Goal::Hold(HoldRule {
                signal: Signal::HipAngle,
                target: 175.0,
                tolerance: 20.0,
            }),
            min_visibility: 0.5,
            back_rounding_deg: Some(BACK_ROUNDING_DEG),
            side_view: true,
            calibration_ms: 1000,
        }
    }

    /// Side plank hold, filmed facing the person's front or back so the body line is seen:
    /// shoulder, hip and knee within 175° ± 20° counts as holding (hips not sagging).
    pub fn side_plank() -> Self {
        Self {
            id: "side-plank".to_owned(),
            goal: Goal::Hold(HoldRule {
                signal: Signal::HipAngle,
                target: 175.0,
                tolerance: 20.0,
            }),
            min_visibility: 0.5,
            back_rounding_deg: None,
            side_view: false,
            calibration_ms: 1000,
        }
    }

    /// Cat–camel on all fours, filmed side-on, calibrated in a neutral table-top: the trunk's
    /// inclination barely changes, so the rounding proxy drives it. A rep rounds more than
    /// 15° past neutral and comes back within 5°, with at least 15° of travel and 1 s.
    pub fn cat_camel() -> Self {
        Self {
            id: "cat-camel".to_owned(),
            goal: Goal::Reps(RepRule {
                signal: Signal::LumbarProxy,
                enter: 15.0,
                leave: 5.0,
                min_range: 15.0,
                min_duration_ms: 1000,
                gate: None,
                limit: None,
            }),
            min_visibility: 0.5,
            back_rounding_deg: None,
            side_view: true,
            calibration_ms: 1000,
        }
    }

    /// Checks the numbers: all finite, `enter ≠ leave`, positive range and tolerance,
    /// visibility 0–1, positive rounding threshold.
    pub fn validate(&self) -> Result<(), MotionError> {
        let bad = |why: &'static str| Err(MotionError::InvalidExercise(why));
        if !(0.0..=1.0).contains(&self.min_visibility) {
            return bad("min_visibility must be between 0 and 1");
        }
        if let Some(t) = self.back_rounding_deg
            && !(t.is_finite() && t > 0.0)
        {
            return bad("back_rounding_deg must be a positive number");
        }
        match self.goal {
            Goal::Reps(r) => {
                if !(r.enter.is_finite() && r.leave.is_finite()) || r.enter == r.leave {
                    return bad("enter and leave must be finite and different");
                }
                if !(r.min_range.is_finite() && r.min_range >= 0.0) {
                    return bad("min_range must be a non-negative number");
                }
                if r.gate.is_some_and(|g| !g.at_least.is_finite()) {
                    return bad("a gate's at_least must be finite");
                }
                if r.limit.is_some_and(|l| !l.at_least.is_finite()) {
                    return bad("a limit's at_least must be finite");
                }
            }
            Goal::Hold(h) => {
                if !(h.target.is_finite() && h.tolerance.is_finite() && h.tolerance > 0.0) {
                    return bad("target must be finite and tolerance positive");
                }
            }
        }
        Ok(())
    }
}
