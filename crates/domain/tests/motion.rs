//! The motion tracker against synthetic stick figures: exact rep counts, hold times and
//! warnings on scripted sequences; robustness to noise, frame rate, mirrored views and
//! dropouts as properties; refusal of malformed frames.

use proptest::prelude::*;
use spinewise_domain::motion::synthetic::{self, HingeScript, Noise, Pose, View};
use spinewise_domain::motion::{
    BINARY_FRAME_BYTES, Exercise, Frame, FrameError, Landmark, MotionError, PRESET_IDS, Phase,
    Session, State, Summary, WarningKind,
};

/// Runs every frame through a fresh session; returns each state and the summary.
fn run(exercise: Exercise, frames: &[Frame]) -> (Vec<State>, Summary) {
    let mut session = Session::new(exercise).expect("preset is valid");
    let states = frames
        .iter()
        .map(|f| session.push(f).expect("frames are in time order"))
        .collect();
    (states, session.summary())
}

fn hinge(script: &HingeScript, fps: f64, view: View, noise: Noise, seed: u64) -> Vec<Frame> {
    synthetic::sequence(script.duration_ms(), fps, view, &noise, seed, |t| {
        script.pose_at(t)
    })
}

fn count_warnings(states: &[State], kind: WarningKind) -> usize {
    states
        .iter()
        .flat_map(|s| &s.warnings)
        .filter(|w| w.kind == kind)
        .count()
}

#[test]
fn clean_hinge_reps_are_counted_exactly_without_warnings() {
    for reps in [1, 2, 5, 8] {
        let frames = hinge(&HingeScript::new(reps), 30.0, View::Right, Noise::NONE, 1);
        let (states, summary) = run(Exercise::hip_hinge(), &frames);
        assert_eq!(summary.reps, reps, "{reps} reps");
        assert_eq!(summary.rejected_reps, 0);
        assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
        assert_eq!(summary.skipped, 0);
        assert_eq!(summary.frames, frames.len() as u64);
        assert_eq!(states.last().map(|s| s.reps), Some(reps));
        assert_eq!(states[0].phase, Phase::Calibrating);
        assert_eq!(states.last().map(|s| s.phase), Some(Phase::Tracking));
    }
}

#[test]
fn measures_recover_the_generated_angles() {
    let pose = Pose {
        trunk_deg: 50.0,
        hip_deg: 120.0,
        knee_deg: 150.0,
        rounding_deg: 0.0,
    };
    for view in [View::Right, View::Left] {
        let lm = synthetic::landmarks(&pose, view);
        let frame = Frame::new(0, lm.to_vec()).expect("valid");
        let mut session = Session::with_neutral(
            Exercise::hip_hinge(),
            spinewise_domain::motion::Neutral {
                curve_deg: Some(synthetic::NEUTRAL_HEAD_DEG),
            },
        )
        .expect("valid");
        let state = session.push(&frame).expect("in order");
        let m = state.measures.expect("visible");
        assert!((m.trunk_inclination - 50.0).abs() < 0.01, "{m:?}");
        assert!((m.hip - 120.0).abs() < 0.01, "{m:?}");
        assert!((m.knee.expect("ankle seen") - 150.0).abs() < 0.01, "{m:?}");
        assert!(m.lumbar_proxy.expect("ear seen").abs() < 0.01, "{m:?}");
    }
}

#[test]
fn a_short_or_shallow_movement_is_not_a_rep() {
    // A quick bob down and up within 400 ms: crosses the thresholds, too short to count.
    let pose_at = |t: u64| {
        let depth = if (2000..2400).contains(&t) {
            1.0 - ((t as f32 - 2200.0) / 200.0).abs()
        } else {
            0.0
        };
        Pose {
            hip_deg: 178.0 - 60.0 * depth,
            trunk_deg: 55.0 * depth,
            ..Pose::STANDING
        }
    };
    let frames = synthetic::sequence(4000, 30.0, View::Right, &Noise::NONE, 1, pose_at);
    let (_, summary) = run(Exercise::hip_hinge(), &frames);
    assert_eq!(summary.reps, 0);
    assert_eq!(summary.rejected_reps, 1);
}

#[test]
fn a_stride_that_closes_the_hip_upright_is_not_a_hinge() {
    // The thigh swings forward and back over 1.5 s, closing the hip angle to 135° as a hinge
    // would, but the trunk stays upright: walking, not hinging. The same movement with the
    // trunk leaning forward counts.
    let swing = |lean: f32| {
        move |t: u64| {
            let depth = if (2000..3500).contains(&t) {
                (std::f32::consts::PI * (t as f32 - 2000.0) / 1500.0).sin()
            } else {
                0.0
            };
            Pose {
                hip_deg: 178.0 - 43.0 * depth,
                trunk_deg: lean * depth,
                ..Pose::STANDING
            }
        }
    };
    let upright = synthetic::sequence(5000, 30.0, View::Right, &Noise::NONE, 1, swing(5.0));
    let (_, summary) = run(Exercise::hip_hinge(), &upright);
    assert_eq!(summary.reps, 0, "upright");
    assert_eq!(summary.rejected_reps, 1, "seen, and refused");
    let leaning = synthetic::sequence(5000, 30.0, View::Right, &Noise::NONE, 1, swing(45.0));
    let (_, summary) = run(Exercise::hip_hinge(), &leaning);
    assert_eq!(summary.reps, 1, "leaning");
}

#[test]
fn sitting_down_on_bent_knees_is_not_a_hinge() {
    // Sitting down and getting up: the hip closes to 95° and the trunk leans 40° on the way, as
    // in a hinge, but the knees bend to 90°. The same movement on soft knees (150°) counts.
    let sit = |knee_bottom: f32| {
        move |t: u64| {
            let depth = if (2000..5000).contains(&t) {
                (std::f32::consts::PI * (t as f32 - 2000.0) / 3000.0).sin()
            } else {
                0.0
            };
            Pose {
                hip_deg: 178.0 - 83.0 * depth,
                trunk_deg: 40.0 * depth,
                knee_deg: 176.0 - (176.0 - knee_bottom) * depth,
                ..Pose::STANDING
            }
        }
    };
    let seated = synthetic::sequence(7000, 30.0, View::Right, &Noise::NONE, 1, sit(90.0));
    let (_, summary) = run(Exercise::hip_hinge(), &seated);
    assert_eq!(summary.reps, 0, "on bent knees");
    assert_eq!(summary.rejected_reps, 1, "seen, and refused");
    let hinged = synthetic::sequence(7000, 30.0, View::Right, &Noise::NONE, 1, sit(150.0));
    let (_, summary) = run(Exercise::hip_hinge(), &hinged);
    assert_eq!(summary.reps, 1, "on soft knees");
}

/// Side plank: out of position (hip 130°), a linear ramp into line (178°), a hold of
/// `hold_ms`, a ramp back out. The true hold is the time the hip angle is within 175 ± 20.
fn plank(hold_ms: u64) -> (impl Fn(u64) -> Pose, u64, f64) {
    let ramp = 500.0_f64;
    let start = 1500.0_f64;
    let pose_at = move |t: u64| {
        let t = t as f64;
        let up = ((t - start) / ramp).clamp(0.0, 1.0);
        let down = ((t - start - ramp - hold_ms as f64) / ramp).clamp(0.0, 1.0);
        let level = (up - down) as f32;
        Pose {
            trunk_deg: 70.0,
            hip_deg: 130.0 + 48.0 * level,
            knee_deg: 175.0,
            rounding_deg: 0.0,
        }
    };
    // Inside from hip 155° on: (155 − 130) / 48 of each ramp is outside.
    let inside_ramp = ramp * (1.0 - 25.0 / 48.0);
    let truth = hold_ms as f64 + 2.0 * inside_ramp;
    let duration = (start + 2.0 * ramp + hold_ms as f64 + 1500.0) as u64;
    (pose_at, duration, truth)
}

#[test]
fn a_hold_of_known_length_is_timed_within_one_frame() {
    for (fps, hold_ms) in [(30.0, 5000), (15.0, 3000), (60.0, 8000)] {
        let (pose_at, duration, truth) = plank(hold_ms);
        let frames = synthetic::sequence(duration, fps, View::Right, &Noise::NONE, 3, pose_at);
        let (states, summary) = run(Exercise::side_plank(), &frames);
        let frame_ms = 1000.0 / fps;
        let error = summary.best_hold_ms as f64 - truth;
        assert!(
            error.abs() <= frame_ms,
            "{fps} fps: held {} ms, truth {truth:.0} ms",
            summary.best_hold_ms
        );
        assert_eq!(summary.reps, 0);
        // The hold ends once out of position; the live figure drops back to 0.
        assert_eq!(states.last().map(|s| s.hold_ms), Some(0));
        assert_eq!(
            states.last().map(|s| s.best_hold_ms),
            Some(summary.best_hold_ms)
        );
    }
}

#[test]
fn a_rounding_episode_gives_exactly_one_warning() {
    let script = HingeScript {
        rounded: vec![2],
        rounding_deg: 35.0,
        bottom_ms: 1500,
        ..HingeScript::new(5)
    };
    for view in [View::Right, View::Left] {
        let noise = Noise {
            sd: 0.003,
            dropout: 0.0,
        };
        let frames = hinge(&script, 30.0, view, noise, 11);
        let (states, summary) = run(Exercise::hip_hinge(), &frames);
        assert_eq!(count_warnings(&states, WarningKind::BackRounding), 1);
        assert_eq!(summary.warnings.get(&WarningKind::BackRounding), Some(&1));
        assert_eq!(summary.reps, 5, "rounded reps still count");
        let warning = states
            .iter()
            .flat_map(|s| &s.warnings)
            .next()
            .expect("one warning");
        assert_eq!(warning.message, "Your back is rounding — hinge at the hips");
        // Raised during the third rep (index 2), not before.
        let at = states
            .iter()
            .find(|s| !s.warnings.is_empty())
            .map(|s| s.t_ms)
            .expect("raised");
        let rep_ms = 3000 + script.bottom_ms;
        assert!(at > script.lead_ms + 2 * rep_ms && at < script.lead_ms + 3 * rep_ms);
    }
}

#[test]
fn two_rounded_reps_are_two_episodes() {
    let script = HingeScript {
        rounded: vec![1, 3],
        rounding_deg: 35.0,
        ..HingeScript::new(4)
    };
    let frames = hinge(&script, 30.0, View::Right, Noise::NONE, 5);
    let (states, _) = run(Exercise::hip_hinge(), &frames);
    assert_eq!(count_warnings(&states, WarningKind::BackRounding), 2);
}

#[test]
fn facing_the_camera_asks_for_a_side_view_once() {
    let mut frames = hinge(&HingeScript::new(1), 30.0, View::Right, Noise::NONE, 1);
    // Spread the shoulders apart as when facing the camera, for the whole sequence.
    frames = frames
        .iter()
        .map(|f| {
            let mut lm = f.landmarks().to_vec();
            lm[11].x = 0.35;
            lm[12].x = 0.65;
            Frame::new(f.t_ms(), lm).expect("valid")
        })
        .collect();
    let (states, _) = run(Exercise::hip_hinge(), &frames);
    assert_eq!(count_warnings(&states, WarningKind::SideViewNeeded), 1);
    let (states, _) = run(Exercise::side_plank(), &frames);
    assert_eq!(count_warnings(&states, WarningKind::SideViewNeeded), 0);
}

#[test]
fn low_visibility_frames_are_skipped_and_reported() {
    let noise = Noise {
        sd: 0.0,
        dropout: 0.1,
    };
    let frames = hinge(&HingeScript::new(3), 30.0, View::Right, noise, 9);
    let dropped = frames
        .iter()
        .filter(|f| f.landmarks()[24].visibility < 0.5)
        .count();
    assert!(dropped > 10);
    let (states, summary) = run(Exercise::hip_hinge(), &frames);
    assert_eq!(summary.skipped, dropped as u64);
    let low: Vec<_> = states
        .iter()
        .filter(|s| s.phase == Phase::LowVisibility)
        .collect();
    assert_eq!(low.len(), dropped);
    assert!(
        low.iter()
            .all(|s| s.measures.is_none() && s.signal.is_none())
    );
    assert_eq!(summary.reps, 3);
}

#[test]
fn cat_camel_and_glute_bridge_presets_count_reps() {
    // Cat–camel on all fours: trunk horizontal, hips and knees at 90°, the back rounding by
    // 30° and back, once every 3 s after 1.5 s of neutral.
    let cat = |t: u64| {
        let phase = t.saturating_sub(1500) % 3000;
        let rounding = if t < 1500 || phase >= 2000 {
            0.0
        } else {
            30.0 * (std::f32::consts::PI * phase as f32 / 2000.0).sin()
        };
        Pose {
            trunk_deg: 90.0,
            hip_deg: 90.0,
            knee_deg: 90.0,
            rounding_deg: rounding,
        }
    };
    let frames = synthetic::sequence(1500 + 4 * 3000, 30.0, View::Left, &Noise::NONE, 1, cat);
    assert_eq!(run(Exercise::cat_camel(), &frames).1.reps, 4);

    // Glute bridge lying on the back (head behind the hips): hips lift from 130° to 178°.
    let bridge = |t: u64| {
        let phase = t.saturating_sub(1500) % 3000;
        let lift = if t < 1500 || phase >= 2000 {
            0.0
        } else {
            (std::f32::consts::PI * phase as f32 / 2000.0).sin()
        };
        Pose {
            trunk_deg: -90.0 - 20.0 * lift,
            hip_deg: 130.0 + 48.0 * lift,
            knee_deg: 90.0,
            rounding_deg: 0.0,
        }
    };
    let frames = synthetic::sequence(1500 + 3 * 3000, 30.0, View::Right, &Noise::NONE, 1, bridge);
    assert_eq!(run(Exercise::glute_bridge(), &frames).1.reps, 3);
}

#[test]
fn presets_are_valid_and_found_by_id() {
    for id in PRESET_IDS {
        let exercise = Exercise::preset(id).expect("listed preset exists");
        assert_eq!(exercise.id, id);
        exercise.validate().expect("preset is valid");
    }
    assert!(Exercise::preset("headstand").is_none());
    let mut bad = Exercise::hip_hinge();
    bad.min_visibility = 1.5;
    assert!(matches!(
        Session::new(bad),
        Err(MotionError::InvalidExercise(_))
    ));
}

#[test]
fn explicit_calibration_and_stored_neutral() {
    let frames = hinge(&HingeScript::new(2), 30.0, View::Right, Noise::NONE, 1);
    let mut session = Session::new(Exercise::hip_hinge()).expect("valid");
    session.push(&frames[0]).expect("in order");
    assert!(session.neutral().is_none());
    session.calibrated();
    let neutral = session.neutral().expect("calibrated");
    let curve = neutral.curve_deg.expect("ear seen");
    assert!((curve - synthetic::NEUTRAL_HEAD_DEG).abs() < 0.01);
    let state = session.push(&frames[1]).expect("in order");
    assert_eq!(state.phase, Phase::Tracking);

    let mut stored = Session::with_neutral(Exercise::hip_hinge(), neutral).expect("valid");
    for f in &frames {
        stored.push(f).expect("in order");
    }
    assert_eq!(stored.summary().reps, 2);
}

#[test]
fn state_and_summary_serialise_for_the_socket() {
    let script = HingeScript {
        rounded: vec![0],
        rounding_deg: 35.0,
        ..HingeScript::new(1)
    };
    let frames = hinge(&script, 30.0, View::Right, Noise::NONE, 1);
    let (states, summary) = run(Exercise::hip_hinge(), &frames);
    let warned = states
        .iter()
        .find(|s| !s.warnings.is_empty())
        .expect("a warning");
    let json = serde_json::to_value(warned).expect("serialises");
    assert_eq!(json["phase"], "tracking");
    assert_eq!(json["warnings"][0]["kind"], "back_rounding");
    assert_eq!(
        json["warnings"][0]["message"],
        "Your back is rounding — hinge at the hips"
    );
    assert_eq!(json["measures"]["side"], "right");
    assert!(json["measures"]["hip"].is_number());
    let json = serde_json::to_value(&summary).expect("serialises");
    assert_eq!(json["reps"], 1);
    assert_eq!(json["warnings"]["back_rounding"], 1);
    assert_eq!(json["exercise"], "hip-hinge");
}

fn row_json(rows: usize) -> String {
    let row = "[0.5,0.5,0.0,0.9]";
    format!("{{\"t\":1234,\"lm\":[{}]}}", vec![row; rows].join(","))
}

#[test]
fn frames_parse_from_the_compact_wire_form() {
    let frame: Frame = serde_json::from_str(&row_json(33)).expect("valid frame");
    assert_eq!(frame.t_ms(), 1234);
    assert_eq!(
        frame.landmarks()[32],
        Landmark {
            x: 0.5,
            y: 0.5,
            z: 0.0,
            visibility: 0.9
        }
    );
    let back = serde_json::to_string(&frame).expect("serialises");
    assert_eq!(
        serde_json::from_str::<Frame>(&back).expect("round trip"),
        frame
    );
}

#[test]
fn malformed_frames_are_refused_with_a_clear_error() {
    for rows in [0, 32, 34] {
        let error = serde_json::from_str::<Frame>(&row_json(rows)).expect_err("wrong count");
        assert!(
            error
                .to_string()
                .contains(&format!("exactly 33 landmarks, this one has {rows}")),
            "{error}"
        );
    }
    let short = "{\"t\":1,\"lm\":[[0.5,0.5,0.0]]}";
    assert!(serde_json::from_str::<Frame>(short).is_err());
    let extra = row_json(33).replace("{\"t\"", "{\"x\":1,\"t\"");
    assert!(serde_json::from_str::<Frame>(&extra).is_err());

    let good = vec![Landmark::default(); 33];
    assert_eq!(
        Frame::new(0, good[..5].to_vec()),
        Err(FrameError::WrongLandmarkCount { found: 5 })
    );
    for (field, bad) in [
        ("x", f32::NAN),
        ("y", f32::INFINITY),
        ("z", f32::NEG_INFINITY),
    ] {
        let mut lm = good.clone();
        match field {
            "x" => lm[12].x = bad,
            "y" => lm[12].y = bad,
            _ => lm[12].z = bad,
        }
        let error = Frame::new(0, lm).expect_err("non-finite");
        assert_eq!(error, FrameError::NonFinite { index: 12, field });
        assert_eq!(
            error.to_string(),
            format!("landmark 12 has a non-finite {field}")
        );
    }
    let mut lm = good.clone();
    lm[3].visibility = f32::NAN;
    assert!(matches!(
        Frame::new(0, lm),
        Err(FrameError::NonFinite {
            index: 3,
            field: "visibility"
        })
    ));
    let mut lm = good;
    lm[3].visibility = 1.5;
    assert!(matches!(
        Frame::new(0, lm),
        Err(FrameError::VisibilityOutOfRange { index: 3, .. })
    ));
}

#[test]
fn a_binary_frame_reads_back_the_same_frame_and_passes_the_same_checks() {
    let frames = hinge(&HingeScript::new(1), 30.0, View::Right, Noise::NONE, 1);
    for frame in &frames[..40] {
        let bytes = frame.to_binary();
        assert_eq!(bytes.len(), BINARY_FRAME_BYTES);
        assert_eq!(Frame::from_binary(&bytes).as_ref(), Ok(frame));
    }
    let good = frames[0].to_binary();
    for len in [0, 7, 8, BINARY_FRAME_BYTES - 1, BINARY_FRAME_BYTES + 1] {
        let mut bytes = good.to_vec();
        bytes.resize(len, 0);
        let error = Frame::from_binary(&bytes).expect_err("wrong size");
        assert_eq!(error, FrameError::WrongSize { found: len });
        assert!(error.to_string().contains("536 bytes"), "{error}");
    }
    for t in [-1.0, 0.5, f64::NAN, f64::INFINITY, 1e300] {
        let mut bytes = good;
        bytes[..8].copy_from_slice(&f64::to_le_bytes(t));
        assert!(
            matches!(Frame::from_binary(&bytes), Err(FrameError::BadTime { .. })),
            "{t}"
        );
    }
    // A time past 2^53 is refused in either form.
    let late = row_json(33).replace("1234", "9007199254740993");
    let error = serde_json::from_str::<Frame>(&late).expect_err("too late");
    assert!(
        error.to_string().contains("whole number of milliseconds"),
        "{error}"
    );
    let json = row_json(33).replace("1234", "9007199254740992");
    let at_limit: Frame = serde_json::from_str(&json).expect("2^53 itself is taken");
    assert_eq!(Frame::from_binary(&at_limit.to_binary()), Ok(at_limit));
    // Landmark 12's y, and landmark 3's visibility: the same refusals as a JSON frame's.
    let at = |index: usize, field: usize| 8 + index * 16 + field * 4;
    let mut bytes = good;
    bytes[at(12, 1)..at(12, 1) + 4].copy_from_slice(&f32::INFINITY.to_le_bytes());
    assert_eq!(
        Frame::from_binary(&bytes),
        Err(FrameError::NonFinite {
            index: 12,
            field: "y"
        })
    );
    let mut bytes = good;
    bytes[at(3, 3)..at(3, 3) + 4].copy_from_slice(&1.5f32.to_le_bytes());
    assert!(matches!(
        Frame::from_binary(&bytes),
        Err(FrameError::VisibilityOutOfRange { index: 3, .. })
    ));
}

proptest! {
    /// Whatever bytes arrive, reading them as a binary frame answers a frame or a refusal, and
    /// a frame that is read is one whose JSON form reads back the same.
    #[test]
    fn any_bytes_read_as_a_binary_frame_give_a_checked_frame_or_a_refusal(
        bytes in proptest::collection::vec(any::<u8>(), BINARY_FRAME_BYTES..=BINARY_FRAME_BYTES),
    ) {
        if let Ok(frame) = Frame::from_binary(&bytes) {
            let json = serde_json::to_string(&frame).expect("JSON");
            prop_assert_eq!(serde_json::from_str::<Frame>(&json).expect("read back"), frame);
        }
    }
}

#[test]
fn time_going_backwards_is_refused() {
    let frames = hinge(&HingeScript::new(1), 30.0, View::Right, Noise::NONE, 1);
    let mut session = Session::new(Exercise::hip_hinge()).expect("valid");
    session.push(&frames[5]).expect("first frame");
    assert_eq!(
        session.push(&frames[4]),
        Err(MotionError::TimeWentBackwards {
            previous: frames[5].t_ms(),
            got: frames[4].t_ms()
        })
    );
    assert!(
        Session::new(Exercise::hip_hinge())
            .expect("valid")
            .with_aspect_ratio(0.0)
            .is_err()
    );
}

fn view() -> impl Strategy<Value = View> {
    prop_oneof![Just(View::Right), Just(View::Left)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Position noise up to 0.5 % of the image (about 2–3° on each angle) does not change
    /// the count.
    #[test]
    fn noise_does_not_change_the_count(reps in 1u32..6, sd in 0.0f32..=0.005, seed: u64, view in view()) {
        let frames = hinge(&HingeScript::new(reps), 30.0, view, Noise { sd, dropout: 0.0 }, seed);
        let (_, summary) = run(Exercise::hip_hinge(), &frames);
        prop_assert_eq!(summary.reps, reps);
        prop_assert!(summary.warnings.is_empty());
    }

    /// Any frame rate from 15 to 60 per second gives the same count.
    #[test]
    fn frame_rate_does_not_change_the_count(reps in 1u32..6, fps in 15.0f64..=60.0, seed: u64) {
        let noise = Noise { sd: 0.002, dropout: 0.0 };
        let frames = hinge(&HingeScript::new(reps), fps, View::Right, noise, seed);
        prop_assert_eq!(run(Exercise::hip_hinge(), &frames).1.reps, reps);
    }

    /// Mirroring every frame (x → 1 − x) gives the same angles and the same count.
    #[test]
    fn mirrored_views_give_the_same_result(reps in 1u32..5, seed: u64, view in view()) {
        let noise = Noise { sd: 0.003, dropout: 0.05 };
        let frames = hinge(&HingeScript::new(reps), 30.0, view, noise, seed);
        let mirrored: Vec<Frame> = frames.iter().map(Frame::mirrored).collect();
        let (a, sa) = run(Exercise::hip_hinge(), &frames);
        let (b, sb) = run(Exercise::hip_hinge(), &mirrored);
        prop_assert_eq!(&sa, &sb);
        prop_assert_eq!(sa.reps, reps);
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(x.phase, y.phase);
            match (x.measures, y.measures) {
                (Some(p), Some(q)) => {
                    prop_assert!((p.hip - q.hip).abs() < 1e-3);
                    prop_assert!((p.trunk_inclination - q.trunk_inclination).abs() < 1e-3);
                    let (pl, ql) = (p.lumbar_proxy.unwrap_or(0.0), q.lumbar_proxy.unwrap_or(0.0));
                    prop_assert!((pl - ql).abs() < 1e-3);
                }
                (None, None) => {}
                _ => prop_assert!(false, "one side measured, the other not"),
            }
        }
    }

    /// Up to 15 % of frames dropping out (with noise) does not change the count.
    #[test]
    fn dropouts_do_not_change_the_count(reps in 1u32..6, dropout in 0.0f64..=0.15, seed: u64, view in view()) {
        let noise = Noise { sd: 0.003, dropout };
        let frames = hinge(&HingeScript::new(reps), 30.0, view, noise, seed);
        let (_, summary) = run(Exercise::hip_hinge(), &frames);
        prop_assert_eq!(summary.reps, reps);
    }
}
