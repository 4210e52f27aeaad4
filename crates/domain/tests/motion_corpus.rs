//! The motion coach against the labelled corpus: clips of a MakeHuman figure rendered with
//! known joint angles (tools/motion-corpus), whose frames went through the same pose model as
//! the coach page. Every clip's landmark trace runs through the preset the coach would use, and
//! what the coach reports is compared with the ground truth: repetitions, holds, back-rounding
//! warnings against the repetitions that really rounded, and nothing at all on negative clips.
//!
//! The figures per exercise and variant, on the held-out set and on the tuning set, and each
//! target with its figure and whether it is met, are the tables in VALIDATION.md: this test
//! recomputes them and fails when the file says otherwise (`SPINEWISE_UPDATE_VALIDATION=1`
//! rewrites them), so that a change to the coach shows in the document it changes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use spinewise_domain::motion::{
    Exercise, Frame, Goal, Landmark, Limit, Session, Signal, WarningKind,
};

#[derive(Debug, Deserialize)]
struct Clip {
    id: String,
    set: String,
    exercise: String,
    preset: String,
    variant: String,
    negative: bool,
    camera: String,
    size: [f32; 2],
    expected: Expected,
    frames: Vec<ClipFrame>,
}

#[derive(Debug, Deserialize)]
struct Expected {
    reps: u32,
    hold_s: Vec<f32>,
    faulty_reps: BTreeMap<String, Vec<u32>>,
}

#[derive(Debug, Deserialize)]
struct ClipFrame {
    t_ms: u64,
    rep: Option<u32>,
    landmarks: Option<Vec<[f32; 4]>>,
}

/// What the coach made of one clip.
#[derive(Debug, Default, Clone)]
struct Outcome {
    reps: u32,
    expected_reps: u32,
    best_hold_s: Option<f32>,
    expected_hold_s: Option<f32>,
    /// Repetitions that rounded and were warned about, or not.
    rounding_found: u32,
    rounding_missed: u32,
    /// Back-rounding warnings outside any repetition that rounded.
    rounding_false: u32,
    /// Warnings of any kind.
    warnings: u32,
    /// Every warning: its time and kind.
    raised: Vec<(u64, WarningKind)>,
    frames: u32,
    undetected: u32,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/motion-corpus")
}

fn load() -> Vec<Clip> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("the corpus directory")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("readable");
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .collect()
}

/// The time span of each repetition (first and last frame's time), by its number.
fn rep_spans(clip: &Clip) -> BTreeMap<u32, (u64, u64)> {
    let mut spans: BTreeMap<u32, (u64, u64)> = BTreeMap::new();
    for f in &clip.frames {
        if let Some(rep) = f.rep {
            let span = spans.entry(rep).or_insert((f.t_ms, f.t_ms));
            span.1 = f.t_ms;
        }
    }
    spans
}

/// How long after a repetition ends a warning about it may still come (smoothing, debounce).
const LATE_MS: u64 = 600;

fn run(clip: &Clip) -> Outcome {
    run_with(clip, Exercise::preset(&clip.preset).expect("a preset"))
}

/// The clip through `exercise` (its preset, or a variant of it being tuned).
fn run_with(clip: &Clip, exercise: Exercise) -> Outcome {
    let mut session = Session::new(exercise)
        .and_then(|s| s.with_aspect_ratio(clip.size[0] / clip.size[1]))
        .expect("a session");
    let mut outcome = Outcome {
        expected_reps: clip.expected.reps,
        expected_hold_s: clip.expected.hold_s.iter().copied().reduce(f32::max),
        ..Outcome::default()
    };
    let mut rounding_at = Vec::new();
    for f in &clip.frames {
        outcome.frames += 1;
        // The page sends nothing when the model finds nobody.
        let Some(landmarks) = &f.landmarks else {
            outcome.undetected += 1;
            continue;
        };
        let frame = Frame::new(
            f.t_ms,
            landmarks.iter().copied().map(Landmark::from).collect(),
        )
        .expect("a well-formed frame");
        let state = session.push(&frame).expect("frames in time order");
        for w in &state.warnings {
            outcome.warnings += 1;
            outcome.raised.push((state.t_ms, w.kind));
            if w.kind == WarningKind::BackRounding {
                rounding_at.push(state.t_ms);
            }
        }
    }
    let summary = session.summary();
    outcome.reps = summary.reps;
    if outcome.expected_hold_s.is_some() {
        outcome.best_hold_s = Some(summary.best_hold_ms as f32 / 1000.0);
    }
    let spans = rep_spans(clip);
    let rounded = clip
        .expected
        .faulty_reps
        .get("back_rounding")
        .cloned()
        .unwrap_or_default();
    let within = |t: u64, rep: u32| {
        spans
            .get(&rep)
            .is_some_and(|(start, end)| t >= *start && t <= end + LATE_MS)
    };
    for rep in &rounded {
        if rounding_at.iter().any(|t| within(*t, *rep)) {
            outcome.rounding_found += 1;
        } else {
            outcome.rounding_missed += 1;
        }
    }
    outcome.rounding_false = rounding_at
        .iter()
        .filter(|t| !rounded.iter().any(|rep| within(**t, *rep)))
        .count() as u32;
    outcome
}

/// The figures of a group of clips.
#[derive(Debug, Default)]
struct Figures {
    clips: u32,
    exact: u32,
    abs_error: u32,
    found: u32,
    missed: u32,
    false_warnings: u32,
    warnings: u32,
    reps_on_negative: u32,
    frames: u32,
    undetected: u32,
    hold_error_s: Vec<f32>,
}

impl Figures {
    fn add(&mut self, o: &Outcome, negative: bool) {
        self.clips += 1;
        self.exact += u32::from(o.reps == o.expected_reps);
        self.abs_error += o.reps.abs_diff(o.expected_reps);
        self.found += o.rounding_found;
        self.missed += o.rounding_missed;
        self.false_warnings += o.rounding_false;
        self.warnings += o.warnings;
        if negative {
            self.reps_on_negative += o.reps;
        }
        self.frames += o.frames;
        self.undetected += o.undetected;
        if let (Some(got), Some(want)) = (o.best_hold_s, o.expected_hold_s) {
            self.hold_error_s.push((got - want).abs());
        }
    }

    fn precision(&self) -> Option<f32> {
        let flagged = self.found + self.false_warnings;
        (flagged > 0).then(|| self.found as f32 / flagged as f32)
    }

    fn recall(&self) -> Option<f32> {
        let rounded = self.found + self.missed;
        (rounded > 0).then(|| self.found as f32 / rounded as f32)
    }
}

fn ratio(v: Option<f32>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:.2}"))
}

/// The table of one set: a row per exercise and variant, then the set's totals.
fn table(clips: &[Clip], outcomes: &[Outcome], set: &str) -> (String, Figures) {
    let mut groups: BTreeMap<(String, String), Figures> = BTreeMap::new();
    let mut total = Figures::default();
    for (clip, o) in clips.iter().zip(outcomes).filter(|(c, _)| c.set == set) {
        groups
            .entry((clip.exercise.clone(), clip.variant.clone()))
            .or_default()
            .add(o, clip.negative);
        total.add(o, clip.negative);
    }
    let mut out = String::from(
        "| Exercise | Variant | Clips | Exact rep count | Mean abs. rep error | Hold error (s) | Rounding precision | Rounding recall | Warnings | Frames without a person |\n\
         | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let mut row = |name: &str, variant: &str, f: &Figures| {
        let hold = if f.hold_error_s.is_empty() {
            "–".to_owned()
        } else {
            format!(
                "{:.1}",
                f.hold_error_s.iter().sum::<f32>() / f.hold_error_s.len() as f32
            )
        };
        let _ = writeln!(
            out,
            "| {name} | {variant} | {} | {}/{} | {:.2} | {hold} | {} | {} | {} | {}/{} |",
            f.clips,
            f.exact,
            f.clips,
            f.abs_error as f32 / f.clips.max(1) as f32,
            ratio(f.precision()),
            ratio(f.recall()),
            f.warnings,
            f.undetected,
            f.frames,
        );
    };
    for ((exercise, variant), f) in &groups {
        row(exercise, variant, f);
    }
    row("**all**", "", &total);
    (out, total)
}

const START: &str = "<!-- figures: start (written by crates/domain/tests/motion_corpus.rs) -->";
const END: &str = "<!-- figures: end -->";

#[test]
fn the_coach_on_the_labelled_corpus_matches_validation_md() {
    let clips = load();
    let outcomes: Vec<Outcome> = clips.iter().map(run).collect();
    // What each clip gave, for tuning (on the tuning set only).
    if std::env::var_os("SPINEWISE_CORPUS_DETAIL").is_some() {
        for (clip, o) in clips.iter().zip(&outcomes) {
            eprintln!("{:8} {}: {o:?}", clip.set, clip.id);
        }
    }
    let (held_out, held_total) = table(&clips, &outcomes, "held-out");
    let (tuning, _) = table(&clips, &outcomes, "tuning");
    let targets = targets(&clips, &outcomes, &held_total);
    let cameras = by_camera(&clips, &outcomes);
    let figures = format!(
        "{START}\n\n### Targets on the held-out set\n\n{targets}\n### Held-out set\n\n{held_out}\n### Tuning set\n\n{tuning}\n### By camera placement, both sets\n\n{cameras}\n{END}"
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../VALIDATION.md");
    let doc = std::fs::read_to_string(&path).expect("VALIDATION.md");
    let (Some(a), Some(b)) = (doc.find(START), doc.find(END)) else {
        panic!("VALIDATION.md has the figures' markers");
    };
    let now = format!("{}{figures}{}", &doc[..a], &doc[b + END.len()..]);
    if std::env::var_os("SPINEWISE_UPDATE_VALIDATION").is_some() {
        std::fs::write(&path, &now).expect("VALIDATION.md written");
    } else {
        assert!(
            now == doc,
            "VALIDATION.md's figures differ from the corpus's (SPINEWISE_UPDATE_VALIDATION=1 rewrites them):\n{figures}"
        );
    }
    assert!(
        clips.iter().any(|c| c.set == "held-out"),
        "the corpus has held-out clips"
    );
}

/// Per camera placement, over both sets: how counting, rounding warnings and detection fare
/// from each (the real footage is left out: its camera is not one of the placements).
fn by_camera(clips: &[Clip], outcomes: &[Outcome]) -> String {
    let mut groups: BTreeMap<&str, Figures> = BTreeMap::new();
    for (clip, o) in clips.iter().zip(outcomes) {
        if clip.exercise.starts_with("real") {
            continue;
        }
        groups
            .entry(&clip.camera)
            .or_default()
            .add(o, clip.negative);
    }
    let mut out = String::from(
        "| Camera | Clips | Exact rep count | Rounding precision | Rounding recall | Frames without a person |\n\
         | --- | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for (camera, f) in &groups {
        let _ = writeln!(
            out,
            "| {camera} | {} | {}/{} | {} | {} | {}/{} |",
            f.clips,
            f.exact,
            f.clips,
            ratio(f.precision()),
            ratio(f.recall()),
            f.undetected,
            f.frames
        );
    }
    out
}

/// The targets on the held-out set, each with its figure and whether it is met.
fn targets(clips: &[Clip], outcomes: &[Outcome], held: &Figures) -> String {
    let mut negatives = Figures::default();
    for (clip, o) in clips.iter().zip(outcomes) {
        if clip.set == "held-out" && clip.negative {
            negatives.add(o, true);
        }
    }
    let exact = held.exact as f32 / held.clips.max(1) as f32;
    let met = |ok: bool| if ok { "met" } else { "**missed**" };
    let ge = |v: Option<f32>, t: f32| v.map_or("no clip measures it yet", |v| met(v >= t));
    let mut out = String::from("| Target | Figure | |\n| --- | --- | --- |\n");
    let _ = writeln!(
        out,
        "| Exact rep count in at least 95% of clips | {:.0}% ({}/{}) | {} |",
        exact * 100.0,
        held.exact,
        held.clips,
        met(exact >= 0.95)
    );
    let _ = writeln!(
        out,
        "| Back-rounding precision at least 0.9 | {} | {} |",
        ratio(held.precision()),
        ge(held.precision(), 0.9)
    );
    let _ = writeln!(
        out,
        "| Back-rounding recall at least 0.9 | {} | {} |",
        ratio(held.recall()),
        ge(held.recall(), 0.9)
    );
    let _ = writeln!(
        out,
        "| 0 reps and 0 warnings on negative clips ({} clips) | {} reps, {} warnings | {} |",
        negatives.clips,
        negatives.reps_on_negative,
        negatives.warnings,
        met(negatives.reps_on_negative == 0 && negatives.warnings == 0)
    );
    out
}

#[test]
fn every_corpus_clip_is_well_formed() {
    for clip in load() {
        assert!(
            ["tuning", "held-out"].contains(&clip.set.as_str()),
            "{}",
            clip.id
        );
        assert!(
            clip.frames.windows(2).all(|w| w[0].t_ms < w[1].t_ms),
            "{}",
            clip.id
        );
        for f in &clip.frames {
            if let Some(l) = &f.landmarks {
                assert_eq!(l.len(), 33, "{}", clip.id);
            }
        }
        let reps = rep_spans(&clip).len() as u32;
        assert!(clip.expected.reps <= reps, "{}", clip.id);
    }
}

/// The tuning set under other thresholds, printed with `SPINEWISE_CORPUS_SWEEP=1 cargo test -p
/// spinewise-domain --test motion_corpus -- --nocapture`: how VALIDATION.md's rules chose the
/// presets' back-rounding threshold and the hinge's knee limit. Held-out clips are not run.
#[test]
fn the_tuning_set_under_other_thresholds() {
    if std::env::var_os("SPINEWISE_CORPUS_SWEEP").is_none() {
        return;
    }
    let clips: Vec<Clip> = load().into_iter().filter(|c| c.set == "tuning").collect();
    let figures = |change: &dyn Fn(&mut Exercise)| {
        let mut all = Figures::default();
        for clip in &clips {
            let mut exercise = Exercise::preset(&clip.preset).expect("a preset");
            change(&mut exercise);
            all.add(&run_with(clip, exercise), clip.negative);
        }
        all
    };
    eprintln!("back-rounding threshold (hip hinge and bird dog): precision, recall");
    for t in 8..=20 {
        let f = figures(&|e: &mut Exercise| {
            if e.back_rounding_deg.is_some() {
                e.back_rounding_deg = Some(t as f32);
            }
        });
        eprintln!("  {t:2}°: {} {}", ratio(f.precision()), ratio(f.recall()));
    }
    eprintln!("hinge knee limit: exact rep counts, reps on negative clips");
    for knee in [
        None,
        Some(90.0),
        Some(100.0),
        Some(110.0),
        Some(120.0),
        Some(130.0),
        Some(140.0),
    ] {
        let f = figures(&|e: &mut Exercise| {
            if let Goal::Reps(rule) = &mut e.goal
                && e.id == "hip-hinge"
            {
                rule.limit = knee.map(|at_least| Limit {
                    signal: Signal::KneeAngle,
                    at_least,
                });
            }
        });
        eprintln!(
            "  {:>5}: {}/{} exact, {} reps on negative clips",
            knee.map_or("none".to_owned(), |k| format!("{k}°")),
            f.exact,
            f.clips,
            f.reps_on_negative
        );
    }
}
