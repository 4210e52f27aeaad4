//! How long the motion tracker takes per frame: `Session::push` over a realistic hip-hinge
//! set (30 fps, 10 reps, one rounded, position noise and 5 % dropouts), against the target of
//! well under 1 ms per frame. `cargo bench -p spinewise-domain --bench motion`.

use divan::{Bencher, black_box};
use spinewise_domain::motion::synthetic::{self, HingeScript, Noise, View};
use spinewise_domain::motion::{Exercise, Frame, Session};

fn main() {
    divan::main();
}

fn frames() -> Vec<Frame> {
    let script = HingeScript {
        rounded: vec![4],
        rounding_deg: 35.0,
        ..HingeScript::new(10)
    };
    let noise = Noise {
        sd: 0.003,
        dropout: 0.05,
    };
    synthetic::sequence(script.duration_ms(), 30.0, View::Right, &noise, 7, |t| {
        script.pose_at(t)
    })
}

/// One frame through a session that has already calibrated and is mid-set (a fresh copy of
/// that session for each run, not timed).
#[divan::bench]
fn push_one_frame(bencher: Bencher) {
    let frames = frames();
    let mut session = Session::new(Exercise::hip_hinge()).expect("preset is valid");
    let half = frames.len() / 2;
    for f in &frames[..half] {
        session.push(f).expect("in order");
    }
    let next = &frames[half];
    bencher
        .with_inputs(|| session.clone())
        .bench_local_refs(|s| s.push(black_box(next)).ok());
}

/// A whole set (about 37 s of video, ~1100 frames), calibration included.
#[divan::bench]
fn whole_set(bencher: Bencher) {
    let frames = frames();
    bencher
        .counter(divan::counter::ItemsCount::new(frames.len()))
        .bench(|| {
            let mut session = Session::new(Exercise::hip_hinge()).expect("preset is valid");
            for f in &frames {
                black_box(session.push(black_box(f)).ok());
            }
            session.summary()
        });
}

/// Parsing one frame from the wire form, for comparison.
#[divan::bench]
fn parse_one_frame(bencher: Bencher) {
    let json = serde_json::to_string(&frames()[100]).expect("serialises");
    bencher.bench(|| serde_json::from_str::<Frame>(black_box(&json)).ok());
}
