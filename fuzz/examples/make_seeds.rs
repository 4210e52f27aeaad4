//! Writes the seeds that are made rather than copied: for `coach_socket`, a short set of each
//! exercise the coach follows, as the page sends it (synthetic keypoints, then `finish`), and
//! for `journal_import`, an export of the start of the demo journal. Run from `fuzz/` with
//! `cargo run --example make_seeds`; the seeds are committed, so this runs only to renew them.

use std::fmt::Write as _;
use std::path::Path;

use spinewise_domain::journal::Journal;
use spinewise_domain::journal::demo::demo_journal;
use spinewise_domain::journal::export::Document;
use spinewise_domain::motion::synthetic::{self, HingeScript, Noise, Pose, View};
use spinewise_domain::motion::{Frame, PRESET_IDS};
use spinewise_fuzz::{NOW, knowledge};

/// A frame as the page sends it, to four decimals (the seeds stay small).
fn frame_json(frame: &Frame) -> String {
    fn round(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Array(a) => a.iter_mut().for_each(round),
            serde_json::Value::Object(o) => o.values_mut().for_each(round),
            serde_json::Value::Number(n) if n.is_f64() => {
                let x = n.as_f64().unwrap_or_default();
                *v = serde_json::json!((x * 1e4).round() / 1e4);
            }
            _ => {}
        }
    }
    let mut value = serde_json::to_value(frame).expect("a frame encodes");
    round(&mut value);
    value.to_string()
}

fn messages(query: &str, frames: &[Frame], end: &str) -> String {
    let mut out = format!("{query}\n");
    for f in frames {
        writeln!(out, "{}", frame_json(f)).expect("text");
    }
    out.push_str(end);
    out
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let coach = dir.join("coach_socket");
    std::fs::create_dir_all(&coach).expect("the corpus directory");

    // Two hinges, one of them rounded, side-on: reps, a warning, the summary.
    let script = HingeScript {
        rounded: vec![1],
        rounding_deg: 35.0,
        ..HingeScript::new(2)
    };
    let frames = synthetic::sequence(
        script.duration_ms(),
        10.0,
        View::Right,
        &Noise::NONE,
        7,
        |t| script.pose_at(t),
    );
    std::fs::write(
        coach.join("hinge-set"),
        messages(
            "exercise=hip-hinge&aspect=1.7777",
            &frames,
            "{\"cmd\":\"finish\"}\n",
        ),
    )
    .expect("a seed");

    // Every other exercise: standing still for the calibration, a recalibration, a few more
    // frames, one of them not a frame, and the summary.
    let mut rng = synthetic::Rng::new(3);
    for id in &PRESET_IDS[1..] {
        let frames: Vec<Frame> = (0..12)
            .map(|i| synthetic::frame(i * 200, &Pose::STANDING, View::Left, &Noise::NONE, &mut rng))
            .collect();
        let (before, after) = frames.split_at(8);
        let mut text = messages(
            &format!("exercise={id}&aspect=0.75"),
            before,
            "{\"cmd\": \"recalibrate\"}\n",
        );
        for f in after {
            writeln!(text, "{}", frame_json(f)).expect("text");
        }
        text.push_str("{\"t\": 1, \"lm\": [[0,0,0,1]]}\n{\"cmd\":\"finish\"}\n");
        std::fs::write(coach.join(id), text).expect("a seed");
    }

    // The demo journal's first weeks, as `spinewise journal export` writes them.
    let import = dir.join("journal_import");
    std::fs::create_dir_all(&import).expect("the corpus directory");
    let today = "2026-05-31".parse().expect("a date");
    let demo = demo_journal(knowledge(), today, 21, 1);
    let start = Journal::new(demo.into_iter().take(24).collect());
    let document = Document::new(&start, NOW);
    std::fs::write(
        import.join("demo-start.json"),
        serde_json::to_string_pretty(&document).expect("a document encodes"),
    )
    .expect("a seed");
}
