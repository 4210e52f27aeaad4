//! The tracking session: calibration of the person's neutral, then one [`State`] per frame
//! with smoothed signals, the rep count or hold time, and debounced form warnings.
//!
//! Time always comes from the frames' `t_ms`, so a camera that drops from 60 to 15 frames
//! per second gives the same count: the smoothing constant is in milliseconds, reps and holds
//! are timed in milliseconds, and warnings wait for a condition to last a given time.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::MotionError;
use super::exercise::{Exercise, Goal, HoldRule, RepRule, Signal};
use super::frame::Frame;
use super::measures::{self, Measures, Raw};

/// Time constant of the exponential smoothing, milliseconds.
pub const SMOOTHING_TAU_MS: f32 = 80.0;
/// A gap between visible frames longer than this restarts the smoothing, milliseconds.
pub const SMOOTHING_RESET_MS: u64 = 1000;

/// How far the hip may move between two frames, in trunk lengths, before the pose model is
/// taken to have found someone else (a second person in the room, a reflection): the
/// movement under way is then dropped rather than finished by the other person.
pub const PERSON_JUMP_TRUNKS: f32 = 1.0;
/// Out of position (or unseen) for longer than this ends a hold, milliseconds.
pub const HOLD_GRACE_MS: u64 = 500;
/// A form problem must last this long before it is reported, milliseconds.
pub const WARNING_ONSET_MS: u64 = 200;
/// After a warning, the problem must be gone this long before it can be reported again.
pub const WARNING_REARM_MS: u64 = 1000;
/// The rounding proxy must fall this many degrees below the threshold to count as gone.
pub const ROUNDING_HYSTERESIS_DEG: f32 = 5.0;
/// Shoulder spread (horizontal shoulder distance over trunk length) above which the person
/// is taken to face the camera rather than stand side-on.
pub const SIDE_VIEW_MAX_SPREAD: f32 = 0.5;
/// Calibration needs at least this many visible frames, whatever its duration.
pub const MIN_CALIBRATION_FRAMES: usize = 3;
/// Calibration ends after this many visible frames, however little time they span (frames
/// that all carry the same time would otherwise keep it going for ever).
pub const MAX_CALIBRATION_FRAMES: usize = 600;

/// The person's own neutral, learnt during calibration; it can be stored and given back
/// with [`Session::with_neutral`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Neutral {
    /// The raw back-curve proxy in the starting position, degrees; `None` when the ear or
    /// nose was never seen (then nothing relative to neutral can be judged).
    pub curve_deg: Option<f32>,
}

/// Where the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Learning the neutral: hold the starting position.
    Calibrating,
    /// Counting.
    Tracking,
    /// This frame was skipped: the landmarks the exercise needs were not visible enough.
    LowVisibility,
}

/// The kinds of form warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// The rounding proxy is well past the person's neutral.
    BackRounding,
    /// The person faces the camera in an exercise that needs a side view.
    SideViewNeeded,
}

impl WarningKind {
    /// The words shown to the person.
    pub fn message(self) -> &'static str {
        match self {
            Self::BackRounding => "Your back is rounding — hinge at the hips",
            Self::SideViewNeeded => "Turn side-on to the camera so your back and hips can be seen",
        }
    }
}

/// A form warning raised on this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What the problem is.
    pub kind: WarningKind,
    /// The words shown to the person.
    pub message: &'static str,
}

impl From<WarningKind> for Warning {
    fn from(kind: WarningKind) -> Self {
        Self {
            kind,
            message: kind.message(),
        }
    }
}

/// How the back looks against the person's own neutral, for the coloured spine line: well
/// within it, past [`NEAR_FRACTION`] of the warning threshold, past the threshold, or not
/// judged (calibrating, ear or nose not seen, or an exercise where rounding is not judged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Back {
    /// Within the threshold's near band.
    Ok,
    /// Past [`NEAR_FRACTION`] of the threshold: getting close.
    Near,
    /// Past the threshold.
    Rounding,
    /// Not judged on this frame.
    Unknown,
}

/// The share of the rounding threshold past which the back shows as [`Back::Near`].
pub const NEAR_FRACTION: f32 = 0.6;

impl Back {
    /// The status of a smoothed rounding proxy against `threshold` degrees.
    pub fn of(proxy: f32, threshold: f32) -> Back {
        if proxy > threshold {
            Back::Rounding
        } else if proxy > threshold * NEAR_FRACTION {
            Back::Near
        } else {
            Back::Ok
        }
    }
}

/// The answer to one frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct State {
    /// The frame's time.
    pub t_ms: u64,
    /// Calibrating, tracking, or skipped for low visibility.
    pub phase: Phase,
    /// Repetitions counted so far.
    pub reps: u32,
    /// The current hold, milliseconds (0 when not holding).
    pub hold_ms: u64,
    /// The longest hold so far, milliseconds.
    pub best_hold_ms: u64,
    /// This frame's angles; `None` when skipped.
    pub measures: Option<Measures>,
    /// The smoothed signal that drives the exercise, degrees; `None` while calibrating or
    /// skipped.
    pub signal: Option<f32>,
    /// Warnings raised on this frame (each problem is reported once, not every frame).
    pub warnings: Vec<Warning>,
    /// The back against the person's neutral, for the spine line.
    pub back: Back,
}

/// What a finished session adds up to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The exercise's identifier.
    pub exercise: String,
    /// Repetitions counted.
    pub reps: u32,
    /// Movements that crossed the thresholds but were too small or too quick to count.
    pub rejected_reps: u32,
    /// The longest hold, milliseconds.
    pub best_hold_ms: u64,
    /// How many warnings of each kind were raised.
    pub warnings: BTreeMap<WarningKind, u32>,
    /// Frames received.
    pub frames: u64,
    /// Frames skipped for low visibility.
    pub skipped: u64,
}

/// A short median (three values) against single-frame spikes, then an exponential average
/// whose weight follows the time step.
#[derive(Debug, Clone, Default)]
struct Smoother {
    window: [f32; 3],
    filled: usize,
    value: Option<f32>,
    last_t: u64,
}

impl Smoother {
    fn push(&mut self, t: u64, v: f32) -> f32 {
        if self.value.is_some() && t.saturating_sub(self.last_t) > SMOOTHING_RESET_MS {
            *self = Self::default();
        }
        self.window = [self.window[1], self.window[2], v];
        self.filled = (self.filled + 1).min(3);
        let median = match self.filled {
            3 => {
                let [a, b, c] = self.window;
                a.max(b).min(a.min(b).max(c))
            }
            _ => v,
        };
        let next = match self.value {
            None => median,
            Some(old) => {
                let dt = t.saturating_sub(self.last_t) as f32;
                let weight = 1.0 - (-dt / SMOOTHING_TAU_MS).exp();
                old + weight * (median - old)
            }
        };
        self.value = Some(next);
        self.last_t = t;
        next
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum RepPhase {
    /// Not yet seen at rest: a movement already under way is not counted.
    Unknown,
    Rest,
    Active,
}

/// Hysteresis rep counter, working on `direction × signal` so the movement always raises it.
#[derive(Debug, Clone)]
struct RepCounter {
    rule: RepRule,
    direction: f32,
    phase: RepPhase,
    rest_ref: f32,
    left_rest_t: u64,
    peak: f32,
    /// The highest gate signal since leaving rest.
    gate_peak: f32,
    /// The lowest limit signal since leaving rest. A rep whose limit signal was never seen
    /// (the camera does not show the ankles) is not refused for it: the limit only refuses
    /// what it saw.
    limit_low: f32,
    count: u32,
    rejected: u32,
}

impl RepCounter {
    fn new(rule: RepRule) -> Self {
        Self {
            rule,
            direction: if rule.enter > rule.leave { 1.0 } else { -1.0 },
            phase: RepPhase::Unknown,
            rest_ref: 0.0,
            left_rest_t: 0,
            peak: 0.0,
            gate_peak: f32::NEG_INFINITY,
            limit_low: f32::INFINITY,
            count: 0,
            rejected: 0,
        }
    }

    /// One frame: the smoothed signal `v`, and the smoothed gate and limit signals when the
    /// rule has them (`None` when one could not be measured on this frame).
    fn push(&mut self, t: u64, v: f32, gate: Option<f32>, limit: Option<f32>) {
        let x = self.direction * v;
        let enter = self.direction * self.rule.enter;
        let leave = self.direction * self.rule.leave;
        match self.phase {
            RepPhase::Unknown if x <= leave => {
                self.phase = RepPhase::Rest;
                self.rest_ref = x;
                self.left_rest_t = t;
                self.start_watching();
            }
            RepPhase::Unknown => {}
            RepPhase::Rest if x <= leave => {
                self.rest_ref = self.rest_ref.min(x);
                self.left_rest_t = t;
                self.start_watching();
            }
            RepPhase::Rest => {
                if x >= enter {
                    self.phase = RepPhase::Active;
                    self.peak = x;
                }
            }
            RepPhase::Active if x <= leave => {
                let range = self.peak - self.rest_ref;
                let duration = t.saturating_sub(self.left_rest_t);
                let gated = self.rule.gate.is_none_or(|g| self.gate_peak >= g.at_least);
                let within = self.rule.limit.is_none_or(|l| self.limit_low >= l.at_least);
                if range >= self.rule.min_range
                    && duration >= self.rule.min_duration_ms
                    && gated
                    && within
                {
                    self.count += 1;
                } else {
                    self.rejected += 1;
                }
                self.phase = RepPhase::Rest;
                self.rest_ref = x;
                self.left_rest_t = t;
                self.start_watching();
            }
            RepPhase::Active => self.peak = self.peak.max(x),
        }
        // From leaving rest to coming back: the gate's highest value and the limit's lowest
        // on the way.
        if self.phase != RepPhase::Unknown {
            if let Some(g) = gate {
                self.gate_peak = self.gate_peak.max(g);
            }
            if let Some(l) = limit {
                self.limit_low = self.limit_low.min(l);
            }
        }
    }

    /// Forgets the gate's and the limit's values: a new movement may start here.
    fn start_watching(&mut self) {
        self.gate_peak = f32::NEG_INFINITY;
        self.limit_low = f32::INFINITY;
    }
}

/// Times holds of the signal within `target ± tolerance`, bridging short lapses. The moments
/// of entering and leaving are interpolated between frames, so the time held does not
/// depend on where the frames fall.
#[derive(Debug, Clone)]
struct HoldTimer {
    rule: HoldRule,
    /// The hold's start, interpolated, milliseconds (fractional).
    start: Option<f64>,
    last_in: u64,
    /// The previous visible frame: time and distance outside the band (negative inside).
    previous: Option<(u64, f32)>,
    current: u64,
    best: u64,
}

impl HoldTimer {
    fn new(rule: HoldRule) -> Self {
        Self {
            rule,
            start: None,
            last_in: 0,
            previous: None,
            current: 0,
            best: 0,
        }
    }

    /// When the band's edge was crossed between the previous frame and this one.
    fn crossing(&self, t: u64, outside: f32) -> f64 {
        match self.previous {
            Some((tp, op)) if (op > 0.0) != (outside > 0.0) && op != outside => {
                let fraction = f64::from(op / (op - outside));
                tp as f64 + fraction * (t - tp) as f64
            }
            _ => t as f64,
        }
    }

    /// Ends the hold under way where it stands (its time so far is kept as a candidate for
    /// the best): what follows starts a new one.
    fn interrupt(&mut self) {
        self.best = self.best.max(self.current);
        self.start = None;
        self.current = 0;
        self.previous = None;
    }

    fn push(&mut self, t: u64, v: Option<f32>) {
        let Some(v) = v else {
            self.previous = None;
            if self.start.is_some() && t.saturating_sub(self.last_in) > HOLD_GRACE_MS {
                self.start = None;
                self.current = 0;
            }
            return;
        };
        let outside = (v - self.rule.target).abs() - self.rule.tolerance;
        if outside <= 0.0 {
            let start = match self.start {
                Some(start) => start,
                None => *self.start.insert(self.crossing(t, outside)),
            };
            self.last_in = t;
            self.current = (t as f64 - start).max(0.0).round() as u64;
        } else if let Some(start) = self.start {
            if self.previous.is_some_and(|(_, op)| op <= 0.0) {
                // Just left: the hold lasted until the interpolated crossing.
                self.current = (self.crossing(t, outside) - start).max(0.0).round() as u64;
            }
            if t.saturating_sub(self.last_in) > HOLD_GRACE_MS {
                self.start = None;
                self.best = self.best.max(self.current);
                self.current = 0;
            }
        }
        self.best = self.best.max(self.current);
        self.previous = Some((t, outside));
    }
}

#[derive(Debug, Clone)]
enum Counter {
    Reps(RepCounter),
    Hold(HoldTimer),
}

/// Reports a problem once it has lasted [`WARNING_ONSET_MS`], then stays quiet until it has
/// been gone for [`WARNING_REARM_MS`].
#[derive(Debug, Clone)]
struct Debounce {
    bad_since: Option<u64>,
    good_since: Option<u64>,
    armed: bool,
}

impl Default for Debounce {
    fn default() -> Self {
        Self {
            bad_since: None,
            good_since: None,
            armed: true,
        }
    }
}

impl Debounce {
    /// `bad`: the problem is present; `good`: it is clearly gone (between the two, neither).
    fn push(&mut self, t: u64, bad: bool, good: bool) -> bool {
        if bad {
            self.good_since = None;
            let since = *self.bad_since.get_or_insert(t);
            if self.armed && t - since >= WARNING_ONSET_MS {
                self.armed = false;
                return true;
            }
        } else {
            self.bad_since = None;
            if good {
                let since = *self.good_since.get_or_insert(t);
                if t - since >= WARNING_REARM_MS {
                    self.armed = true;
                }
            } else {
                self.good_since = None;
            }
        }
        false
    }
}

#[derive(Debug, Clone)]
enum Calibration {
    Collecting {
        first_t: Option<u64>,
        frames: usize,
        curves: Vec<f32>,
    },
    Done(Neutral),
}

/// One person doing one exercise in front of the camera.
#[derive(Debug, Clone)]
pub struct Session {
    exercise: Exercise,
    aspect_ratio: f32,
    calibration: Calibration,
    last_t: Option<u64>,
    /// The hip's place and the trunk's length on the last measured frame.
    last_body: Option<((f32, f32), f32)>,
    signal: Smoother,
    /// The rep rule's gate signal, smoothed as the main one.
    gate: Smoother,
    /// The rep rule's limit signal, smoothed as the main one.
    limit: Smoother,
    curve: Smoother,
    counter: Counter,
    rounding: Debounce,
    side_view: Debounce,
    warnings: BTreeMap<WarningKind, u32>,
    frames: u64,
    skipped: u64,
}

impl Session {
    /// A session that first calibrates the neutral over the exercise's `calibration_ms` of
    /// visible frames (hold the starting position), for a square image (see
    /// [`Session::with_aspect_ratio`]).
    pub fn new(exercise: Exercise) -> Result<Self, MotionError> {
        exercise.validate()?;
        let counter = match exercise.goal {
            Goal::Reps(rule) => Counter::Reps(RepCounter::new(rule)),
            Goal::Hold(rule) => Counter::Hold(HoldTimer::new(rule)),
        };
        Ok(Self {
            exercise,
            aspect_ratio: 1.0,
            calibration: Calibration::Collecting {
                first_t: None,
                frames: 0,
                curves: Vec::new(),
            },
            last_t: None,
            last_body: None,
            signal: Smoother::default(),
            gate: Smoother::default(),
            limit: Smoother::default(),
            curve: Smoother::default(),
            counter,
            rounding: Debounce::default(),
            side_view: Debounce::default(),
            warnings: BTreeMap::new(),
            frames: 0,
            skipped: 0,
        })
    }

    /// A session that skips calibration and uses a neutral learnt before.
    pub fn with_neutral(exercise: Exercise, neutral: Neutral) -> Result<Self, MotionError> {
        let mut session = Self::new(exercise)?;
        session.calibration = Calibration::Done(neutral);
        Ok(session)
    }

    /// The camera image's width over its height: MediaPipe scales `x` by the width and `y` by
    /// the height, so angles need it (1 by default).
    pub fn with_aspect_ratio(mut self, aspect_ratio: f32) -> Result<Self, MotionError> {
        if !(aspect_ratio.is_finite() && aspect_ratio > 0.0) {
            return Err(MotionError::InvalidAspectRatio(aspect_ratio));
        }
        self.aspect_ratio = aspect_ratio;
        Ok(self)
    }

    /// Ends calibration now with the frames seen so far (with none, nothing relative to the
    /// neutral can be judged). Does nothing once calibrated.
    pub fn calibrated(&mut self) {
        if let Calibration::Collecting { curves, .. } = &mut self.calibration {
            self.calibration = Calibration::Done(Neutral {
                curve_deg: median(curves),
            });
        }
    }

    /// Starts calibration again (the person moved the camera or changed position); counts,
    /// holds and warnings so far are kept.
    pub fn recalibrate(&mut self) {
        self.calibration = Calibration::Collecting {
            first_t: None,
            frames: 0,
            curves: Vec::new(),
        };
        self.signal = Smoother::default();
        self.gate = Smoother::default();
        self.limit = Smoother::default();
        self.curve = Smoother::default();
        if let Counter::Reps(reps) = &mut self.counter {
            reps.phase = RepPhase::Unknown;
        }
    }

    /// The neutral, once calibrated.
    pub fn neutral(&self) -> Option<Neutral> {
        match self.calibration {
            Calibration::Done(n) => Some(n),
            Calibration::Collecting { .. } => None,
        }
    }

    /// The exercise being tracked.
    pub fn exercise(&self) -> &Exercise {
        &self.exercise
    }

    /// Takes the next frame and answers with the state. Frames must come in time order
    /// (equal times are accepted).
    pub fn push(&mut self, frame: &Frame) -> Result<State, MotionError> {
        let t = frame.t_ms();
        if let Some(previous) = self.last_t
            && t < previous
        {
            return Err(MotionError::TimeWentBackwards { previous, got: t });
        }
        self.last_t = Some(t);
        self.frames += 1;
        let raw = measures::raw(frame, self.aspect_ratio, self.exercise.min_visibility);

        if let Calibration::Collecting {
            first_t,
            frames,
            curves,
        } = &mut self.calibration
        {
            let Some(raw) = raw else {
                return Ok(self.skip(t));
            };
            let first = *first_t.get_or_insert(t);
            *frames += 1;
            curves.extend(raw.curve);
            if (t - first >= self.exercise.calibration_ms && *frames >= MIN_CALIBRATION_FRAMES)
                || *frames >= MAX_CALIBRATION_FRAMES
            {
                self.calibrated();
            }
            return Ok(self.state(t, Phase::Calibrating, Some(self.measures(&raw)), None));
        }

        let value = raw.and_then(|raw| self.value(&raw, self.exercise.goal.signal()));
        let (Some(raw), Some(value)) = (raw, value) else {
            return Ok(self.skip(t));
        };
        if self.someone_else(&raw) {
            self.restart_tracking();
        }
        let smoothed = self.signal.push(t, value);
        let (gate, limit) = match self.exercise.goal {
            Goal::Reps(RepRule { gate, limit, .. }) => (
                gate.and_then(|g| self.value(&raw, g.signal))
                    .map(|v| self.gate.push(t, v)),
                limit
                    .and_then(|l| self.value(&raw, l.signal))
                    .map(|v| self.limit.push(t, v)),
            ),
            Goal::Hold(_) => (None, None),
        };
        match &mut self.counter {
            Counter::Reps(reps) => reps.push(t, smoothed, gate, limit),
            Counter::Hold(hold) => hold.push(t, Some(smoothed)),
        }

        let measures = self.measures(&raw);
        let mut raised = Vec::new();
        let mut back = Back::Unknown;
        if let (Some(threshold), Some(proxy)) =
            (self.exercise.back_rounding_deg, measures.lumbar_proxy)
        {
            let proxy = self.curve.push(t, proxy);
            back = Back::of(proxy, threshold);
            let bad = proxy > threshold;
            let good = proxy < threshold - ROUNDING_HYSTERESIS_DEG;
            if self.rounding.push(t, bad, good) {
                raised.push(WarningKind::BackRounding);
            }
        }
        if self.exercise.side_view
            && let Some(spread) = raw.shoulder_spread
        {
            let bad = spread > SIDE_VIEW_MAX_SPREAD;
            if self.side_view.push(t, bad, !bad) {
                raised.push(WarningKind::SideViewNeeded);
            }
        }
        for kind in &raised {
            *self.warnings.entry(*kind).or_default() += 1;
        }
        let mut state = self.state(t, Phase::Tracking, Some(measures), Some(smoothed));
        state.warnings = raised.into_iter().map(Warning::from).collect();
        state.back = back;
        Ok(state)
    }

    /// The totals so far.
    pub fn summary(&self) -> Summary {
        let (reps, rejected_reps, best_hold_ms) = match &self.counter {
            Counter::Reps(r) => (r.count, r.rejected, 0),
            Counter::Hold(h) => (0, 0, h.best),
        };
        Summary {
            exercise: self.exercise.id.clone(),
            reps,
            rejected_reps,
            best_hold_ms,
            warnings: self.warnings.clone(),
            frames: self.frames,
            skipped: self.skipped,
        }
    }

    /// Whether this frame's person is not the last frame's: the hip jumped further than
    /// [`PERSON_JUMP_TRUNKS`] trunk lengths. Remembers this frame's body either way.
    fn someone_else(&mut self, raw: &Raw) -> bool {
        let now = (raw.hip_at, raw.trunk_len);
        let jumped = self.last_body.is_some_and(|((x, y), len)| {
            let moved = ((raw.hip_at.0 - x).powi(2) + (raw.hip_at.1 - y).powi(2)).sqrt();
            moved > PERSON_JUMP_TRUNKS * len.max(raw.trunk_len)
        });
        self.last_body = Some(now);
        jumped
    }

    /// Drops the movement under way and the smoothing (not the counts, holds or the neutral):
    /// what follows is measured afresh.
    fn restart_tracking(&mut self) {
        self.signal = Smoother::default();
        self.gate = Smoother::default();
        self.limit = Smoother::default();
        self.curve = Smoother::default();
        match &mut self.counter {
            Counter::Reps(reps) => reps.phase = RepPhase::Unknown,
            Counter::Hold(hold) => hold.interrupt(),
        }
    }

    fn skip(&mut self, t: u64) -> State {
        self.skipped += 1;
        if let Counter::Hold(hold) = &mut self.counter {
            hold.push(t, None);
        }
        self.state(t, Phase::LowVisibility, None, None)
    }

    fn proxy(&self, raw: &Raw) -> Option<f32> {
        match (self.neutral(), raw.curve) {
            (Some(Neutral { curve_deg: Some(n) }), Some(c)) => Some(c - n),
            _ => None,
        }
    }

    fn measures(&self, raw: &Raw) -> Measures {
        Measures {
            side: raw.side,
            trunk_inclination: raw.trunk_inclination,
            hip: raw.hip,
            knee: raw.knee,
            lumbar_proxy: self.proxy(raw),
        }
    }

    fn value(&self, raw: &Raw, signal: Signal) -> Option<f32> {
        match signal {
            Signal::HipAngle => Some(raw.hip),
            Signal::KneeAngle => raw.knee,
            Signal::TrunkInclination => Some(raw.trunk_inclination),
            Signal::LumbarProxy => self.proxy(raw),
        }
    }

    fn state(
        &self,
        t_ms: u64,
        phase: Phase,
        measures: Option<Measures>,
        signal: Option<f32>,
    ) -> State {
        let (reps, hold_ms, best_hold_ms) = match &self.counter {
            Counter::Reps(r) => (r.count, 0, 0),
            Counter::Hold(h) => (0, h.current, h.best),
        };
        State {
            t_ms,
            phase,
            reps,
            hold_ms,
            best_hold_ms,
            measures,
            signal,
            warnings: Vec::new(),
            back: Back::Unknown,
        }
    }
}

/// The median of the values, or `None` when there are none.
fn median(values: &mut [f32]) -> Option<f32> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f32::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    })
}
