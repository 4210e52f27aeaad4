//! The JSON shapes the camera coach's WebSocket sends, built field by field from the motion
//! tracker's values: the exercise being tracked ([`CoachExerciseDto`]), the answer to each
//! frame ([`CoachStateDto`]) and the totals once finished ([`CoachSummaryDto`]). Numbers keep
//! the tracker's precision (`f32`), and the vocabularies are spelt in `snake_case`, as the
//! coach's page reads them. The guided timer's plan ([`GuidedPlanDto`]), which the coach page
//! carries for following an exercise without a camera, is here too.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use spinewise_domain::guided::{Plan, Step};
use spinewise_domain::motion::{
    Back, Exercise, Goal, HoldRule, Measures, Phase, RepRule, Side, Signal, State, Summary,
    Warning, WarningKind,
};

/// One exercise's tracking configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoachExerciseDto {
    /// A stable identifier, e.g. `hip-hinge`.
    pub id: String,
    /// Reps or hold.
    pub goal: GoalDto,
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

impl From<&Exercise> for CoachExerciseDto {
    fn from(e: &Exercise) -> Self {
        CoachExerciseDto {
            id: e.id.clone(),
            goal: e.goal.into(),
            min_visibility: e.min_visibility,
            back_rounding_deg: e.back_rounding_deg,
            side_view: e.side_view,
            calibration_ms: e.calibration_ms,
        }
    }
}

/// What the exercise counts: `{"kind": "reps", …}` or `{"kind": "hold", …}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum GoalDto {
    /// Repetitions.
    Reps(RepRuleDto),
    /// Time held in position.
    Hold(HoldRuleDto),
}

impl From<Goal> for GoalDto {
    fn from(g: Goal) -> Self {
        match g {
            Goal::Reps(r) => GoalDto::Reps(r.into()),
            Goal::Hold(h) => GoalDto::Hold(h.into()),
        }
    }
}

/// How a repetition is recognised, with hysteresis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RepRuleDto {
    /// The signal that drives the count.
    pub signal: &'static str,
    /// The threshold that marks the movement as under way.
    pub enter: f32,
    /// The threshold that marks the return to rest.
    pub leave: f32,
    /// The least travel of the signal for a rep to count, degrees.
    pub min_range: f32,
    /// The least time from leaving rest to returning, milliseconds.
    pub min_duration_ms: u64,
    /// A second signal the movement must reach for the rep to count (`null`: none).
    pub gate: Option<GateDto>,
    /// A signal the movement must not fall below for the rep to count (`null`: none).
    pub limit: Option<LimitDto>,
}

impl From<RepRule> for RepRuleDto {
    fn from(r: RepRule) -> Self {
        RepRuleDto {
            signal: signal(r.signal),
            enter: r.enter,
            leave: r.leave,
            min_range: r.min_range,
            min_duration_ms: r.min_duration_ms,
            gate: r.gate.map(|g| GateDto {
                signal: signal(g.signal),
                at_least: g.at_least,
            }),
            limit: r.limit.map(|l| LimitDto {
                signal: signal(l.signal),
                at_least: l.at_least,
            }),
        }
    }
}

/// A second signal a repetition must reach before it counts (the hinge: the trunk's lean).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GateDto {
    /// The signal.
    pub signal: &'static str,
    /// The least value it must reach, degrees.
    pub at_least: f32,
}

/// A signal a repetition must stay above to count (the hinge: the knees' angle, which sitting
/// down closes far more).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LimitDto {
    /// The signal.
    pub signal: &'static str,
    /// The least value it may take, degrees.
    pub at_least: f32,
}

/// How an isometric hold is recognised: the signal within `target ± tolerance`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HoldRuleDto {
    /// The signal that must stay on target.
    pub signal: &'static str,
    /// The target value, degrees.
    pub target: f32,
    /// How far from the target still counts as holding, degrees.
    pub tolerance: f32,
}

impl From<HoldRule> for HoldRuleDto {
    fn from(h: HoldRule) -> Self {
        HoldRuleDto {
            signal: signal(h.signal),
            target: h.target,
            tolerance: h.tolerance,
        }
    }
}

fn signal(s: Signal) -> &'static str {
    match s {
        Signal::HipAngle => "hip_angle",
        Signal::KneeAngle => "knee_angle",
        Signal::TrunkInclination => "trunk_inclination",
        Signal::LumbarProxy => "lumbar_proxy",
    }
}

fn phase(p: Phase) -> &'static str {
    match p {
        Phase::Calibrating => "calibrating",
        Phase::Tracking => "tracking",
        Phase::LowVisibility => "low_visibility",
    }
}

fn back(b: Back) -> &'static str {
    match b {
        Back::Ok => "ok",
        Back::Near => "near",
        Back::Rounding => "rounding",
        Back::Unknown => "unknown",
    }
}

fn side(s: Side) -> &'static str {
    match s {
        Side::Left => "left",
        Side::Right => "right",
    }
}

fn warning_kind(k: WarningKind) -> &'static str {
    match k {
        WarningKind::BackRounding => "back_rounding",
        WarningKind::SideViewNeeded => "side_view_needed",
    }
}

/// The answer to one frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoachStateDto {
    /// The frame's time.
    pub t_ms: u64,
    /// `calibrating`, `tracking`, or `low_visibility` (skipped).
    pub phase: &'static str,
    /// Repetitions counted so far.
    pub reps: u32,
    /// The current hold, milliseconds (0 when not holding).
    pub hold_ms: u64,
    /// The longest hold so far, milliseconds.
    pub best_hold_ms: u64,
    /// This frame's angles; `null` when skipped.
    pub measures: Option<MeasuresDto>,
    /// The smoothed signal that drives the exercise, degrees; `null` while calibrating or
    /// skipped.
    pub signal: Option<f32>,
    /// Warnings raised on this frame (each problem is reported once, not every frame).
    pub warnings: Vec<WarningDto>,
    /// The back against the person's neutral, for the spine line: `ok`, `near`, `rounding`
    /// or `unknown`.
    pub back: &'static str,
}

impl From<&State> for CoachStateDto {
    fn from(s: &State) -> Self {
        CoachStateDto {
            t_ms: s.t_ms,
            phase: phase(s.phase),
            reps: s.reps,
            hold_ms: s.hold_ms,
            best_hold_ms: s.best_hold_ms,
            measures: s.measures.map(MeasuresDto::from),
            signal: s.signal,
            warnings: s.warnings.iter().map(WarningDto::from).collect(),
            back: back(s.back),
        }
    }
}

/// The angles of one frame, in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeasuresDto {
    /// The side the angles come from: `left` or `right`.
    pub side: &'static str,
    /// Trunk (hip → shoulder) from the image vertical.
    pub trunk_inclination: f32,
    /// Shoulder–hip–knee.
    pub hip: f32,
    /// Hip–knee–ankle; `null` when the ankle is not visible.
    pub knee: Option<f32>,
    /// The back-rounding proxy relative to the calibrated neutral (positive = more rounded);
    /// `null` before calibration or when the ear or nose is not visible.
    pub lumbar_proxy: Option<f32>,
}

impl From<Measures> for MeasuresDto {
    fn from(m: Measures) -> Self {
        MeasuresDto {
            side: side(m.side),
            trunk_inclination: m.trunk_inclination,
            hip: m.hip,
            knee: m.knee,
            lumbar_proxy: m.lumbar_proxy,
        }
    }
}

/// A form warning raised on a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WarningDto {
    /// What the problem is: `back_rounding` or `side_view_needed`.
    pub kind: &'static str,
    /// The words shown to the person.
    pub message: &'static str,
}

impl From<&Warning> for WarningDto {
    fn from(w: &Warning) -> Self {
        WarningDto {
            kind: warning_kind(w.kind),
            message: w.message,
        }
    }
}

/// What a finished session adds up to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoachSummaryDto {
    /// The exercise's identifier.
    pub exercise: String,
    /// Repetitions counted.
    pub reps: u32,
    /// Movements that crossed the thresholds but were too small or too quick to count.
    pub rejected_reps: u32,
    /// The longest hold, milliseconds.
    pub best_hold_ms: u64,
    /// How many warnings of each kind were raised: an object from the kind to the count.
    pub warnings: WarningCounts,
    /// Frames received.
    pub frames: u64,
    /// Frames skipped for low visibility.
    pub skipped: u64,
}

impl From<&Summary> for CoachSummaryDto {
    fn from(s: &Summary) -> Self {
        CoachSummaryDto {
            exercise: s.exercise.clone(),
            reps: s.reps,
            rejected_reps: s.rejected_reps,
            best_hold_ms: s.best_hold_ms,
            warnings: WarningCounts(
                s.warnings
                    .iter()
                    .map(|(k, n)| (warning_kind(*k), *n))
                    .collect(),
            ),
            frames: s.frames,
            skipped: s.skipped,
        }
    }
}

/// Warning counts by kind, written as a JSON object in the tracker's order of the kinds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WarningCounts(pub Vec<(&'static str, u32)>);

impl Serialize for WarningCounts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (kind, n) in &self.0 {
            map.serialize_entry(kind, n)?;
        }
        map.end()
    }
}

/// The guided timer's plan: the person's dose as timed steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuidedPlanDto {
    /// Whether the dose counts repetitions (the page totals them).
    pub counts_reps: bool,
    /// Whether the dose holds a position (the page keeps the longest hold).
    pub holds: bool,
    /// Whether the dose is walking time.
    pub walking: bool,
    /// The whole plan's length, seconds.
    pub total_s: u32,
    /// The steps in order; the last is `done`.
    pub steps: Vec<GuidedStepDto>,
}

/// One step of the guided timer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuidedStepDto {
    /// `ready`, `rep`, `into`, `hold`, `release`, `switch`, `rest`, `walk` or `done`.
    pub kind: &'static str,
    /// How long, seconds.
    pub s: u32,
    /// Where in the set it is (announced when it changes).
    pub phase: String,
    /// The step in a word or two.
    pub title: String,
    /// What it belongs to or what comes next.
    pub detail: String,
    /// What a voice says as it begins.
    pub say: String,
    /// Whether a repetition is done when it ends.
    pub rep: bool,
}

impl From<&Step> for GuidedStepDto {
    fn from(s: &Step) -> Self {
        GuidedStepDto {
            kind: s.kind.as_str(),
            s: s.seconds,
            phase: s.phase.clone(),
            title: s.title.clone(),
            detail: s.detail.clone(),
            say: s.say.clone(),
            rep: s.completes_rep,
        }
    }
}

impl From<&Plan> for GuidedPlanDto {
    fn from(p: &Plan) -> Self {
        GuidedPlanDto {
            counts_reps: p.counts_reps,
            holds: p.holds,
            walking: p.walking,
            total_s: p.total_seconds(),
            steps: p.steps.iter().map(GuidedStepDto::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use spinewise_domain::motion::synthetic::{HingeScript, Noise, View, sequence};
    use spinewise_domain::motion::{PRESET_IDS, Session};

    use super::*;

    fn value<T: Serialize>(t: &T) -> serde_json::Value {
        serde_json::to_value(t).expect("serialises")
    }

    fn text<T: Serialize>(t: &T) -> String {
        serde_json::to_string(t).expect("serialises")
    }

    #[test]
    fn every_preset_writes_the_json_of_the_domain_exercise() {
        for id in PRESET_IDS {
            let e = Exercise::preset(id).expect("a preset");
            assert_eq!(text(&CoachExerciseDto::from(&e)), text(&e), "{id}");
        }
    }

    #[test]
    fn states_and_the_summary_write_the_json_of_the_domain_values() {
        let mut script = HingeScript::new(3);
        script.rounded = vec![1];
        script.rounding_deg = 35.0;
        let noise = Noise {
            sd: 0.002,
            dropout: 0.05,
        };
        let frames = sequence(script.duration_ms(), 30.0, View::Right, &noise, 11, |t| {
            script.pose_at(t)
        });
        let mut session = Session::new(Exercise::hip_hinge()).expect("a session");
        let mut phases = std::collections::BTreeSet::new();
        let mut warned = false;
        for frame in &frames {
            let state = session.push(frame).expect("a frame");
            assert_eq!(text(&CoachStateDto::from(&state)), text(&state));
            phases.insert(phase(state.phase));
            warned |= !state.warnings.is_empty();
        }
        assert!(phases.len() > 1, "{phases:?}");
        assert!(warned, "a rounded rep warns");
        let summary = session.summary();
        assert!(!summary.warnings.is_empty());
        assert_eq!(value(&CoachSummaryDto::from(&summary)), value(&summary));
        assert_eq!(text(&CoachSummaryDto::from(&summary)), text(&summary));
    }

    #[test]
    fn a_guided_plan_writes_each_step_with_its_kind_and_seconds() {
        let k = spinewise_domain::Knowledge::bundled().expect("the bundled content loads");
        let dose = k.exercise("bird-dog").expect("bird dog").dose(1);
        let plan = spinewise_domain::guided::plan(dose);
        let json = value(&GuidedPlanDto::from(&plan));
        assert_eq!(json["counts_reps"], true);
        assert_eq!(json["holds"], true);
        assert_eq!(json["total_s"], plan.total_seconds());
        let steps = json["steps"].as_array().expect("steps");
        assert_eq!(steps.len(), plan.steps.len());
        assert_eq!(steps[0]["kind"], "ready");
        assert_eq!(steps.last().expect("a step")["kind"], "done");
        let hold = steps.iter().find(|s| s["kind"] == "hold").expect("a hold");
        assert_eq!(hold["s"], 8);
        assert_eq!(hold["rep"], true);
        assert_eq!(
            hold.as_object()
                .expect("an object")
                .keys()
                .collect::<Vec<_>>(),
            ["detail", "kind", "phase", "rep", "s", "say", "title"]
        );
    }
}
