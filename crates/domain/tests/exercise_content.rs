//! `content/exercises.toml` and its drawings keep the knowledge base's rules: the exercises the
//! program promises are there, each with steps, levels, sources, a plain SVG drawing and a fit
//! for every pain type; the fits say what the sources say for each back; no text copies the
//! seed articles; broken copies are refused with the problem named. And the journal's
//! exercise sets: they round-trip through JSON and are checked field by field.

use std::collections::HashSet;

use serde_json::json;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::export::Document;
use spinewise_domain::journal::{Entry, Journal};
use spinewise_domain::knowledge::{
    ContentError, ContentFiles, ExerciseCategory, Fit, MIN_EXERCISE_LEVELS, REQUIRED_EXERCISES,
};
use spinewise_domain::motion::PRESET_IDS;
use spinewise_domain::vocab::PainType;

fn knowledge() -> &'static Knowledge {
    Knowledge::bundled().expect("the bundled knowledge base is valid")
}

fn exercise(id: &str) -> &'static spinewise_domain::knowledge::ExerciseInfo {
    knowledge()
        .exercise(id)
        .unwrap_or_else(|| panic!("exercise {id}"))
}

// --- What the content promises ---------------------------------------------------------------

#[test]
fn every_promised_exercise_is_there_with_steps_levels_sources_and_a_drawing() {
    let k = knowledge();
    for id in REQUIRED_EXERCISES {
        assert!(k.exercise(id).is_some(), "{id}");
    }
    for e in k.exercises() {
        assert!(!e.steps.is_empty(), "{}", e.id);
        assert!(!e.not_for.is_empty(), "{}", e.id);
        assert!(!e.sources.is_empty(), "{}", e.id);
        for s in &e.sources {
            assert!(k.source(s).is_ok(), "{} cites {s}", e.id);
        }
        assert!(
            e.levels.len() >= usize::from(MIN_EXERCISE_LEVELS),
            "{}",
            e.id
        );
        for (i, d) in e.levels.iter().enumerate() {
            assert_eq!(usize::from(d.level), i + 1, "{}", e.id);
            assert!(!d.describe().is_empty());
        }
        for p in PainType::ALL {
            assert!(e.fit.contains_key(p), "{} for {p}", e.id);
        }
        let svg = &e.drawing;
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{}",
            e.id
        );
        // 120 units wide, in the 0–100 frame every drawing shares, cropped to what is drawn
        // so that no page shows a band of empty space above a figure on the floor.
        let view = svg
            .split("viewBox=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .expect("a viewBox");
        let v: Vec<f64> = view
            .split(' ')
            .map(|n| n.parse().expect("a number"))
            .collect();
        assert_eq!((v[0], v[2]), (0.0, 120.0), "{}: {view}", e.id);
        assert!(v[1] >= 0.0 && v[1] + v[3] <= 100.0, "{}: {view}", e.id);
        assert!(
            svg.contains("<title>") && svg.contains("</title>"),
            "{}",
            e.id
        );
        assert!(
            !svg.contains("<script") && !svg.contains("href"),
            "{}",
            e.id
        );
        assert!(!svg.contains("<text") && !svg.contains("font"), "{}", e.id);
        // A floor line in every drawing.
        assert!(svg.contains(r##"stroke="#c9ced6""##), "{}", e.id);
    }
    assert_eq!(k.max_exercise_level(), 5);
    // Session order: mobility first, walking last.
    let categories: Vec<ExerciseCategory> = k
        .exercises()
        .iter()
        .filter(|e| !e.alternative_only)
        .map(|e| e.category)
        .collect();
    assert_eq!(categories.first(), Some(&ExerciseCategory::Mobility));
    assert_eq!(categories.last(), Some(&ExerciseCategory::Aerobic));
}

#[test]
fn the_camera_coach_follows_the_exercises_it_has_presets_for() {
    let k = knowledge();
    for (id, tracker) in [
        ("hip-hinge", Some("hip-hinge")),
        ("glute-bridge", Some("glute-bridge")),
        ("bird-dog", Some("bird-dog")),
        ("side-plank", Some("side-plank")),
        ("cat-camel", Some("cat-camel")),
        ("curl-up", None),
        ("walking", None),
    ] {
        let e = exercise(id);
        assert_eq!(e.tracker.as_deref(), tracker, "{id}");
        assert_eq!(e.camera.is_some(), tracker.is_some(), "{id}");
    }
    for preset in PRESET_IDS {
        assert!(
            k.exercises()
                .iter()
                .any(|e| e.tracker.as_deref() == Some(preset)),
            "no exercise uses the preset {preset}"
        );
    }
    assert!(
        exercise("side-plank")
            .camera
            .as_deref()
            .is_some_and(|c| c.contains("front")),
        "the side plank is filmed from the front or back"
    );
}

#[test]
fn the_doses_follow_the_principles_the_sources_give() {
    // Side plank: level 1 is the knee side plank, 3 holds of 10 s a side; later the full one.
    let plank = exercise("side-plank");
    let l1 = plank.dose(1);
    assert_eq!(l1.variant.as_deref(), Some("Knee side plank"));
    assert_eq!((l1.sets, l1.hold_s, l1.per_side), (3, Some(10), true));
    assert_eq!(
        plank.dose(plank.max_level()).variant.as_deref(),
        Some("Full side plank")
    );
    // Curl-up: holds of 8 to 10 s, repetitions falling set by set.
    for d in &exercise("curl-up").levels {
        assert!(matches!(d.hold_s, Some(8..=10)), "{d:?}");
        assert_eq!(d.pyramid.len(), d.sets as usize);
        assert!(d.pyramid.windows(2).all(|w| w[0] > w[1]), "{d:?}");
    }
    // Bird dog: short holds.
    for d in &exercise("bird-dog").levels {
        assert!(matches!(d.hold_s, Some(8..=10)), "{d:?}");
    }
    // Cat-camel: 5 to 8 slow cycles, never more.
    for d in &exercise("cat-camel").levels {
        assert_eq!(d.sets, 1);
        assert!(matches!(d.reps, Some(5..=8)), "{d:?}");
    }
    // Hip hinge: repetitions.
    assert!(
        exercise("hip-hinge")
            .levels
            .iter()
            .all(|d| d.reps.is_some())
    );
    // Walking: from 10 minutes a day in bouts up to 30.
    let walking = exercise("walking");
    let total = |level: u8| {
        let d = walking.dose(level);
        d.sets * d.minutes.expect("minutes")
    };
    assert_eq!(total(1), 10);
    assert_eq!(total(walking.max_level()), 30);
    assert!((1..walking.max_level()).all(|l| total(l) < total(l + 1)));
}

#[test]
fn doses_read_as_a_person_would_say_them() {
    let says = |id: &str, level: u8| exercise(id).dose(level).describe();
    assert_eq!(says("walking", 1), "5 minutes, twice");
    assert_eq!(says("cat-camel", 1), "5 times");
    assert_eq!(
        says("hip-hinge", 1),
        "2 rounds of 8; rest 45 s between rounds"
    );
    assert_eq!(
        says("clamshell", 1),
        "2 rounds of 8 on each side; rest 45 s between rounds"
    );
    assert_eq!(
        says("trunk-brace", 1),
        "3 rounds: hold 8 s, 5 times; rest 20 s between rounds"
    );
    assert_eq!(
        says("curl-up", 3),
        "3 rounds: hold 10 s, 5 times, then 3, then 1; rest 20 s between rounds"
    );
    assert_eq!(
        says("side-plank", 1),
        "hold 10 s, 3 times on each side; rest 20 s between holds"
    );
    assert_eq!(
        says("bird-dog", 1),
        "2 rounds on each side: hold 8 s, 4 times; rest 20 s between rounds"
    );
    // No dose keeps the old shorthand.
    for e in knowledge().exercises() {
        for d in &e.levels {
            let words = d.describe();
            for shorthand in [" × ", "sets of", "reps", "bouts"] {
                assert!(
                    !words.contains(shorthand),
                    "{} level {}: {words}",
                    e.id,
                    d.level
                );
            }
            assert!(
                !words.split([' ', ',', ';']).any(|w| w == "min"),
                "{} level {}: {words}",
                e.id,
                d.level
            );
        }
    }
}

#[test]
fn the_fits_follow_each_pain_type() {
    let fit = |id: &str, p: PainType| exercise(id).fit(p).clone();
    // Flexion-intolerant: the curl-up is modified, never plain; the cat-camel stays out of the
    // rounded end; hinge, bird dog, side plank and bridge are suggested.
    match fit("curl-up", PainType::Flexion) {
        Fit::Modified { how } => {
            assert!(how.contains("hands under the low back"), "{how}");
            assert!(how.contains("head and shoulders"), "{how}");
        }
        other => panic!("the curl-up must be modified for flexion, not {other:?}"),
    }
    match fit("cat-camel", PainType::Flexion) {
        Fit::Modified { how } => assert!(how.contains("rounded end"), "{how}"),
        other => panic!("{other:?}"),
    }
    for id in [
        "hip-hinge",
        "bird-dog",
        "side-plank",
        "glute-bridge",
        "walking",
    ] {
        assert_eq!(fit(id, PainType::Flexion), Fit::Suggested, "{id}");
    }
    // Extension-intolerant: no arching.
    match fit("glute-bridge", PainType::Extension) {
        Fit::Modified { how } => assert!(how.contains("straight line"), "{how}"),
        other => panic!("{other:?}"),
    }
    match fit("cat-camel", PainType::Extension) {
        Fit::Modified { how } => assert!(how.contains("hollowed end"), "{how}"),
        other => panic!("{other:?}"),
    }
    match fit("bird-dog", PainType::Extension) {
        Fit::Modified { how } => assert!(how.contains("hip height"), "{how}"),
        other => panic!("{other:?}"),
    }
    // Motion-intolerant: stability first, the cat-camel held back, walking in short bouts.
    assert!(matches!(
        fit("cat-camel", PainType::Motion),
        Fit::HeldBack { .. }
    ));
    match fit("walking", PainType::Motion) {
        Fit::Modified { how } => assert!(how.contains("short"), "{how}"),
        other => panic!("{other:?}"),
    }
    for id in ["curl-up", "side-plank", "bird-dog", "hip-hinge"] {
        assert!(fit(id, PainType::Motion).is_prescribed(), "{id}");
    }
    // No back pain: the general program, nothing changed.
    for e in knowledge().exercises() {
        assert_eq!(e.fit(PainType::None), &Fit::Suggested, "{}", e.id);
    }
}

#[test]
fn who_should_not_do_it_is_said() {
    let not_for = |id: &str| exercise(id).not_for.join(" ").to_lowercase();
    assert!(not_for("curl-up").contains("pregnancy"));
    assert!(not_for("glute-bridge").contains("pregnancy"));
    assert!(not_for("curl-up").contains("osteoporosis"));
    assert!(not_for("cat-camel").contains("osteoporosis"));
    for e in knowledge().exercises() {
        let text = e.not_for.join(" ").to_lowercase();
        assert!(text.contains("red-flag"), "{}", e.id);
        assert!(text.contains("surgery"), "{}", e.id);
        assert!(text.contains("sciatica"), "{}", e.id);
    }
}

#[test]
fn the_facts_cite_the_sources_behind_them() {
    let cites = |id: &str, source: &str| exercise(id).sources.iter().any(|s| s == source);
    assert!(cites("curl-up", "axler-mcgill-1997"));
    assert!(cites("curl-up", "acog-2020"));
    assert!(cites("curl-up", "sinaki-1984"));
    assert!(cites("cat-camel", "sinaki-1984"));
    assert!(cites("side-plank", "mcgill-karpowicz-2009"));
    assert!(cites("side-plank", "mcgill-1999"));
    assert!(cites("bird-dog", "kavcic-2004"));
    assert!(cites("glute-bridge", "reiman-2012"));
    assert!(cites("walking", "oconnor-2015"));
    assert!(cites("walking", "pocovi-2024"));
    for e in knowledge().exercises() {
        // The back-off rule is adapted from the pain-monitoring model.
        assert!(cites(&e.id, "silbernagel-2007"), "{}", e.id);
        assert!(e.back_off.contains("next morning"), "{}", e.id);
    }
    let k = knowledge();
    let model = k.source("silbernagel-2007").expect("a source");
    assert!(
        model.note.contains("tendon"),
        "it says where the model comes from"
    );
    for id in [
        "kavcic-2004",
        "axler-mcgill-1997",
        "mcgill-1999",
        "hayden-2021",
        "oconnor-2015",
        "pocovi-2024",
        "reiman-2012",
        "silbernagel-2007",
    ] {
        let s = k.source(id).expect("a source");
        assert!(s.doi.is_some() && s.year.is_some(), "{id} is fully cited");
    }
}

#[test]
fn an_exercise_serialises_with_its_drawing_and_without_its_file_name() {
    let json = serde_json::to_value(exercise("bird-dog")).expect("JSON");
    assert_eq!(json["id"], "bird-dog");
    assert_eq!(json["category"], "stability");
    assert_eq!(json["tracker"], "bird-dog");
    assert!(
        json["drawing"]
            .as_str()
            .is_some_and(|s| s.starts_with("<svg"))
    );
    assert!(json.get("drawing_file").is_none());
    assert_eq!(json["fit"]["extension"]["fit"], "modified");
    assert_eq!(json["fit"]["flexion"]["fit"], "suggested");
    assert_eq!(json["levels"][0]["level"], 1);
    let walking = serde_json::to_value(exercise("walking")).expect("JSON");
    assert!(walking.get("tracker").is_none());
    assert_eq!(walking["levels"][0]["minutes"], 5);
}

// --- No copying ------------------------------------------------------------------------------

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['\'', '\u{2019}'], "")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn strings(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(s) => out.push(s.clone()),
        toml::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        toml::Value::Table(t) => t.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// The same check as `content.rs` makes of the other files: no run of 8 words from the seeds.
#[test]
fn no_exercise_text_copies_a_sentence_of_the_seed_articles() {
    let seeds: HashSet<u64> = include_str!("../../../tests/fixtures/seed-shingles.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| u64::from_str_radix(l.trim(), 16).expect("a hex hash"))
        .collect();
    assert!(seeds.len() > 1000);
    let doc: toml::Value = toml::from_str(ContentFiles::BUNDLED_EXERCISES).expect("valid TOML");
    let mut all = Vec::new();
    strings(&doc, &mut all);
    let mut copied = Vec::new();
    for s in all {
        let w = words(&s);
        for run in w.windows(8) {
            if seeds.contains(&fnv1a(&run.join(" "))) {
                copied.push(run.join(" "));
            }
        }
    }
    assert!(
        copied.is_empty(),
        "copied from the seeds:\n{}",
        copied.join("\n")
    );
}

// --- Broken content is refused ---------------------------------------------------------------

#[track_caller]
fn broken_with(edit: impl Fn(&str) -> String, drawings: &[(&str, &str)]) -> ContentError {
    let exercises = edit(ContentFiles::BUNDLED_EXERCISES);
    assert!(
        exercises != ContentFiles::BUNDLED_EXERCISES
            || drawings != ContentFiles::BUNDLED_EXERCISE_DRAWINGS,
        "the edit changes something"
    );
    Knowledge::load_with(
        &ContentFiles::BUNDLED,
        ContentFiles::BUNDLED_JOURNAL,
        &exercises,
        drawings,
    )
    .expect_err("broken content is refused")
}

#[track_caller]
fn broken(edit: impl Fn(&str) -> String) -> ContentError {
    broken_with(edit, ContentFiles::BUNDLED_EXERCISE_DRAWINGS)
}

fn assert_problem(err: &ContentError, expected: &str) {
    let msg = err.to_string();
    assert!(msg.contains(expected), "expected «{expected}» in:\n{msg}");
}

#[test]
fn the_bundled_exercises_load_through_every_entry_point() {
    let files = ContentFiles::BUNDLED;
    let a = Knowledge::load(&files).expect("valid");
    let b = Knowledge::load_with_journal(&files, ContentFiles::BUNDLED_JOURNAL).expect("valid");
    let c = Knowledge::load_with(
        &files,
        ContentFiles::BUNDLED_JOURNAL,
        ContentFiles::BUNDLED_EXERCISES,
        ContentFiles::BUNDLED_EXERCISE_DRAWINGS,
    )
    .expect("valid");
    for k in [&a, &b, &c] {
        assert_eq!(k.exercises().len(), knowledge().exercises().len());
        assert!(k.exercise("bird-dog").is_some());
        assert!(k.exercise("sit-up").is_none());
    }
    let unknown = a.unknown_exercise("sit-up").to_string();
    assert!(
        unknown.contains("sit-up") && unknown.contains("bird-dog"),
        "{unknown}"
    );
}

#[test]
fn broken_exercise_content_is_refused_with_the_problem_named() {
    let e = broken(|t| t.replace("id = \"bird-dog\"", "id = \"curl-up\""));
    assert_problem(&e, "exercise id 'curl-up' is used twice");
    assert_problem(&e, "exercise 'bird-dog' is missing");

    let e = broken(|t| {
        t.replacen(
            "sources = [\"reiman-2012\"",
            "sources = [\"nobody-2030\"",
            1,
        )
    });
    assert_problem(
        &e,
        "exercise glute-bridge cites unknown source 'nobody-2030'",
    );

    let e = broken(|t| {
        t.replacen(
            "motion = { fit = \"held-back\", why = \"Moving the back through its range is what provokes a motion-sensitive back: the program builds control of a still, neutral back first.\" }\n",
            "",
            1,
        )
    });
    assert_problem(
        &e,
        "exercise cat-camel says nothing of how it suits pain type 'motion'",
    );

    let e = broken(|t| t.replace("tracker = \"side-plank\"", "tracker = \"plank\""));
    assert_problem(&e, "exercise side-plank: tracker 'plank' is not a preset");

    let e = broken(|t| {
        t.replace(
            "camera = \"Side view, square to your side rather than at an angle (from an angle the coach misses most rounding), about 3 metres away, the phone on the floor or on a table, with the whole body from head to feet in the frame.\"\n",
            "",
        )
    });
    assert_problem(
        &e,
        "exercise hip-hinge can be followed by the camera coach but does not say where to put the camera",
    );

    // A gap in the levels.
    let e = broken(|t| {
        t.replacen(
            "level = 2\nsets = 2\nminutes = 8",
            "level = 3\nsets = 2\nminutes = 8",
            1,
        )
    });
    assert_problem(&e, "exercise walking: level 3 comes where level 2 should");

    // Doses out of bounds.
    let e = broken(|t| t.replacen("sets = 2\nminutes = 5", "sets = 2\nminutes = 500", 1));
    assert_problem(
        &e,
        "exercise walking, level 1: 500 minutes is not from 1 to 60",
    );
    let e = broken(|t| t.replacen("pyramid = [3, 2, 1]", "pyramid = [1, 2, 3]", 1));
    assert_problem(
        &e,
        "exercise curl-up, level 1: the pyramid must give each of the 3 sets",
    );
    let e = broken(|t| {
        t.replacen(
            "sets = 2\nminutes = 5",
            "sets = 2\nminutes = 5\nreps = 4",
            1,
        )
    });
    assert_problem(&e, "a dose in minutes has no repetitions or holds");

    // A fit without its reason.
    let e = broken(|t| {
        t.replacen(
            "flexion = { fit = \"modified\", how = \"Keep the hands under the low back and lift only the head and shoulders: the low back must not flatten into the hands. If it does, lift less.\" }",
            "flexion = { fit = \"modified\", how = \" \" }",
            1,
        )
    });
    assert_problem(
        &e,
        "exercise curl-up: its fit for pain type 'flexion' gives no reason",
    );

    // Unknown fields and values.
    let e = broken(|t| t.replacen("category = \"aerobic\"", "category = \"cardio\"", 1));
    assert_problem(&e, "content/exercises.toml");
    let e = broken(|t| {
        t.replacen(
            "name = \"Walking\"",
            "name = \"Walking\"\ncolour = \"red\"",
            1,
        )
    });
    assert_problem(&e, "content/exercises.toml");
    let e = broken(|t| {
        t.replacen(
            "none = { fit = \"suggested\" }",
            "none = { fit = \"maybe\" }",
            1,
        )
    });
    assert_problem(&e, "content/exercises.toml");

    // A source cited only by the exercises is cited: without it, it would not be.
    let e = broken(|t| t.replace("\"pocovi-2024\", ", ""));
    assert_problem(&e, "source 'pocovi-2024' is never cited");
}

#[test]
fn drawings_must_exist_be_used_and_be_plain_svg() {
    let bundled = ContentFiles::BUNDLED_EXERCISE_DRAWINGS;

    let e = broken(|t| t.replace("drawing = \"walking.svg\"", "drawing = \"stroll.svg\""));
    assert_problem(
        &e,
        "exercise walking: its drawing 'stroll.svg' is not among the drawings",
    );
    assert_problem(&e, "drawing 'walking.svg' is not used by any exercise");

    let with = |name: &'static str, svg: &'static str| -> ContentError {
        let drawings: Vec<(&str, &str)> = bundled
            .iter()
            .map(|(n, s)| if *n == name { (*n, svg) } else { (*n, *s) })
            .collect();
        broken_with(|t| t.to_owned(), &drawings)
    };
    let e = with(
        "walking.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 100"><title>x</title><script>alert(1)</script></svg>"#,
    );
    assert_problem(&e, "exercise walking: the drawing contains '<script'");
    let e = with(
        "bird-dog.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 100"><title>x</title><image href="http://example.invalid/a.png"/></svg>"#,
    );
    assert_problem(&e, "exercise bird-dog: the drawing contains 'href'");
    let e = with(
        "curl-up.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 100"><line x1="0" y1="0" x2="1" y2="1"/></svg>"#,
    );
    assert_problem(&e, "exercise curl-up: the drawing has no <title>");
    let e = with(
        "cat-camel.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 100"><title>x</title><text x="1" y="1">hi</text></svg>"#,
    );
    assert_problem(&e, "exercise cat-camel: the drawing contains '<text'");
    let e = with(
        "hip-hinge.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 100" onload="x()"><title>x</title></svg>"#,
    );
    assert_problem(&e, "exercise hip-hinge: the drawing has an event handler");
    let e = with("side-plank.svg", "<p>not a drawing</p>");
    assert_problem(
        &e,
        "exercise side-plank: the drawing is not a single <svg> element",
    );
}

// --- The journal's exercise sets -------------------------------------------------------------

/// 2026-03-10T12:00Z: after every date used here.
const NOW: i64 = 1_773_144_000;

fn session_json(sets: serde_json::Value) -> serde_json::Value {
    json!({
        "kind": "exercise",
        "id": "coach-1",
        "at": "2026-03-04T18:00",
        "what": "bird dog with the camera coach",
        "minutes": 12,
        "felt": "same",
        "pain_before": 3,
        "pain_after": 3,
        "sets": sets,
    })
}

fn read(value: serde_json::Value) -> Result<Entry, spinewise_domain::journal::EntryError> {
    let entry = Entry::from_json(value)?;
    entry.validate(knowledge(), NOW)?;
    Ok(entry)
}

#[test]
fn sets_round_trip_through_json_and_the_export_document() {
    let value = session_json(json!([
        {"exercise": "bird-dog", "reps": 6, "hold_s": 10, "warnings": 2, "coached": true, "level": 2},
        {"exercise": "side-plank", "hold_s": 25},
    ]));
    let entry = read(value).expect("a valid session");
    let Entry::Exercise(x) = &entry else {
        panic!("an exercise entry")
    };
    assert_eq!(x.sets.len(), 2);
    assert_eq!(x.sets[0].reps, Some(6));
    assert!(x.sets[0].coached);
    assert_eq!(x.sets[1].warnings, 0, "warnings default to 0");
    assert!(!x.sets[1].coached, "coached defaults to false");
    assert_eq!(x.sets[1].level, None);

    let written = serde_json::to_value(&entry).expect("JSON");
    assert_eq!(
        written["sets"][1],
        json!({"exercise": "side-plank", "hold_s": 25, "warnings": 0, "coached": false})
    );
    assert_eq!(Entry::from_json(written).expect("reads back"), entry);

    let journal = Journal::new(vec![entry.clone()]);
    let doc = Document::new(&journal, NOW);
    let bytes = serde_json::to_vec(&doc).expect("JSON");
    let back = Document::parse(&bytes).expect("imports");
    assert_eq!(back.entries, vec![entry]);
}

#[test]
fn a_session_without_sets_reads_and_writes_as_before() {
    let mut value = session_json(json!([]));
    let object = value.as_object_mut().expect("an object");
    object.remove("sets");
    let entry = read(value.clone()).expect("valid");
    let written = serde_json::to_value(&entry).expect("JSON");
    assert!(written.get("sets").is_none(), "no empty list written");
    assert_eq!(written, value);
}

#[test]
fn bad_sets_are_refused_naming_the_field() {
    let field = |sets: serde_json::Value| -> String {
        read(session_json(sets)).expect_err("refused").field
    };
    assert_eq!(
        field(json!([{"exercise": "bird-dog"}, {"exercise": "bird-dog", "reps": 1001}])),
        "sets[1].reps"
    );
    assert_eq!(
        field(json!([{"exercise": "side-plank", "hold_s": 3601}])),
        "sets[0].hold_s"
    );
    assert_eq!(
        field(json!([{"exercise": "bird-dog", "warnings": 10_001}])),
        "sets[0].warnings"
    );
    assert_eq!(
        field(json!([{"exercise": "bird-dog", "level": 0}])),
        "sets[0].level"
    );
    assert_eq!(
        field(json!([{"exercise": "bird-dog", "level": 10}])),
        "sets[0].level"
    );
    assert_eq!(field(json!([{"exercise": "sit-up"}])), "sets[0].exercise");
    assert_eq!(
        field(json!([{"exercise": "x".repeat(41)}])),
        "sets[0].exercise"
    );
    assert_eq!(
        field(json!([{"exercise": "bird-dog", "reps": -1}])),
        "sets[0].reps"
    );
    assert!(field(json!([{"exercise": "bird-dog", "colour": "red"}])).starts_with("sets[0]"));
    assert_eq!(field(json!([{"reps": 3}])), "sets[0]");
    let many: Vec<serde_json::Value> = (0..51).map(|_| json!({"exercise": "walking"})).collect();
    assert_eq!(field(json!(many)), "sets[50]");
    let fifty: Vec<serde_json::Value> = (0..50).map(|_| json!({"exercise": "walking"})).collect();
    assert!(read(session_json(json!(fifty))).is_ok());

    let err = read(session_json(json!([{"exercise": "sit-up"}]))).expect_err("refused");
    assert!(
        err.message.contains("unknown exercise 'sit-up'") && err.message.contains("bird-dog"),
        "{}",
        err.message
    );
}

#[test]
fn sets_are_described_in_a_few_words() {
    let entry = read(session_json(json!([
        {"exercise": "bird-dog", "reps": 8, "coached": true},
        {"exercise": "bird-dog", "reps": 8, "coached": true, "warnings": 1},
        {"exercise": "side-plank", "hold_s": 30},
    ])))
    .expect("valid");
    let Entry::Exercise(x) = entry else {
        panic!("an exercise entry")
    };
    assert_eq!(
        spinewise_domain::journal::entry::describe_sets(&x.sets),
        "bird-dog 2x8, 1 warning (coached); side-plank hold 30 s"
    );
    assert_eq!(x.sets[2].describe(), "side-plank hold 30 s");
}
