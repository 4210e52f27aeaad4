//! The knowledge base keeps its rules: the bundled content loads, what the product promises is
//! there, every fact cites a source, no text copies the seed articles, and broken content is
//! refused with the problem named.

use std::collections::HashSet;

use spinewise_domain::Knowledge;
use spinewise_domain::knowledge::{
    ContentError, ContentFiles, REQUIRED_CONDITIONS, REQUIRED_SYMPTOMS, REQUIRED_TIPS,
    SEED_POSITIONS,
};

fn knowledge() -> &'static Knowledge {
    match Knowledge::bundled() {
        Ok(k) => k,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_bundled_knowledge_base_is_valid() {
    knowledge();
}

#[test]
fn what_the_product_promises_is_there() {
    let k = knowledge();
    for id in SEED_POSITIONS {
        assert!(k.position(id).is_ok(), "position {id}");
    }
    assert!(k.positions.len() >= SEED_POSITIONS.len() + 5);
    for id in REQUIRED_TIPS {
        assert!(k.tip(id).is_ok(), "tip {id}");
    }
    for id in REQUIRED_SYMPTOMS {
        assert!(k.symptom(id).is_ok(), "symptom {id}");
    }
    for id in REQUIRED_CONDITIONS {
        assert!(k.condition(id).is_ok(), "condition {id}");
    }
    for id in [
        "pillow-lower-back",
        "pillow-under-knees",
        "support-on-elbows",
        "partner-moves",
        "hinge-hips",
        "brace-neutral",
    ] {
        assert!(k.modification(id).is_ok(), "modification {id}");
    }
    for id in ["muscle-strain", "gynaecological", "overdoing-it"] {
        assert!(k.causes.iter().any(|c| c.id == id), "cause {id}");
    }
    assert!(k.questionnaire.items.len() >= 8);
    for id in [
        "sidorkewicz-2014",
        "sidorkewicz-2015",
        "horst-2016",
        "nice-ng59",
        "seed-positions",
        "seed-after-sex",
        "seed-endorphins",
    ] {
        assert!(k.source(id).is_ok(), "source {id}");
    }
}

#[test]
fn every_source_has_a_short_citation_a_person_can_read() {
    let k = knowledge();
    for source in &k.sources {
        let short = source.short_citation();
        assert!(
            !short.is_empty() && short != source.id,
            "{}: '{short}'",
            source.id
        );
        if let Some(year) = source.year {
            assert!(
                short.ends_with(&year.to_string()),
                "{}: '{short}'",
                source.id
            );
        }
    }
    let cite = |id: &str| k.source(id).map(|s| s.short_citation()).expect("a source");
    assert_eq!(cite("sidorkewicz-2014"), "Sidorkewicz and McGill 2014");
}

#[test]
fn heat_is_graded_above_ice() {
    let k = knowledge();
    let heat = k.tip("warm-bath").expect("tip").evidence;
    let ice = k.tip("ice-after").expect("tip").evidence;
    // The grades run from strongest to weakest, consensus last.
    assert!(
        heat < ice,
        "heat ({heat}) has better evidence than ice ({ice})"
    );
}

/// Every string value in a TOML document.
fn strings(value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::String(s) => out.push(s.clone()),
        toml::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        toml::Value::Table(t) => t.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

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

#[test]
fn no_text_copies_a_sentence_of_the_seed_articles() {
    let seeds: HashSet<u64> = include_str!("../../../tests/fixtures/seed-shingles.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| u64::from_str_radix(l.trim(), 16).expect("a hex hash"))
        .collect();
    assert!(seeds.len() > 1000, "the fixture holds the seeds' word runs");
    let files = ContentFiles::BUNDLED;
    let mut copied = Vec::new();
    for text in [
        files.about,
        files.pain_types,
        files.positions,
        files.modifications,
        files.conditions,
        files.tips,
        files.red_flags,
        files.notices,
        files.questionnaire,
        files.faq,
    ] {
        let doc: toml::Value = toml::from_str(text).expect("valid TOML");
        let mut all = Vec::new();
        strings(&doc, &mut all);
        for s in all {
            let w = words(&s);
            for run in w.windows(8) {
                if seeds.contains(&fnv1a(&run.join(" "))) {
                    copied.push(run.join(" "));
                }
            }
        }
    }
    assert!(
        copied.is_empty(),
        "copied from the seeds:\n{}",
        copied.join("\n")
    );
}

fn broken(edit: impl Fn(&mut Vec<String>)) -> ContentError {
    let f = ContentFiles::BUNDLED;
    let mut texts: Vec<String> = [
        f.about,
        f.sources,
        f.pain_types,
        f.positions,
        f.modifications,
        f.conditions,
        f.tips,
        f.red_flags,
        f.notices,
        f.questionnaire,
        f.faq,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    edit(&mut texts);
    let files = ContentFiles {
        about: &texts[0],
        sources: &texts[1],
        pain_types: &texts[2],
        positions: &texts[3],
        modifications: &texts[4],
        conditions: &texts[5],
        tips: &texts[6],
        red_flags: &texts[7],
        notices: &texts[8],
        questionnaire: &texts[9],
        faq: &texts[10],
    };
    Knowledge::load(&files).expect_err("broken content is refused")
}

const POSITIONS: usize = 3;
const MODIFICATIONS: usize = 4;
const TIPS: usize = 6;
const RED_FLAGS: usize = 7;

fn assert_problem(err: &ContentError, expected: &str) {
    let msg = err.to_string();
    assert!(msg.contains(expected), "expected «{expected}» in:\n{msg}");
}

#[test]
fn broken_content_is_refused_with_the_problem_named() {
    let e =
        broken(|t| t[TIPS] = t[TIPS].replace("id = \"stop-if-pain\"", "id = \"stop-when-pain\""));
    assert_problem(&e, "tip 'stop-if-pain' is missing");

    let e = broken(|t| {
        t[POSITIONS] = t[POSITIONS].replacen(
            "sources = [\"sidorkewicz-2014\", \"sidorkewicz-2015\", \"seed-positions\"]",
            "sources = [\"nowhere-2020\"]",
            1,
        )
    });
    assert_problem(
        &e,
        "position missionary cites unknown source 'nowhere-2020'",
    );

    let e =
        broken(|t| t[TIPS] = t[TIPS].replacen("sources = [\"seed-positions\"]", "sources = []", 1));
    assert_problem(&e, "cites no source");

    let e = broken(|t| {
        let copy = t[POSITIONS][t[POSITIONS].find("[[position]]").expect("a position")..]
            .split("\n[[position]]")
            .next()
            .expect("the first position")
            .to_owned();
        t[POSITIONS].push('\n');
        t[POSITIONS].push_str(&copy);
    });
    assert_problem(&e, "position id 'missionary' is used twice");

    let e = broken(|t| {
        t[POSITIONS] = t[POSITIONS].replacen(
            "{ id = \"pillow-lower-back\", flexion = -1 }",
            "{ id = \"cushion\", flexion = -1 }",
            1,
        )
    });
    assert_problem(&e, "refers to unknown modification 'cushion'");

    let e = broken(|t| {
        t[RED_FLAGS] = t[RED_FLAGS].replacen(
            "level = \"urgent\"\nadvice = \"\"\"A history",
            "level = \"none\"\nadvice = \"\"\"A history",
            1,
        )
    });
    assert_problem(&e, "would lower symptom");

    let e = broken(|t| t[POSITIONS] = t[POSITIONS].replacen("flexion = 3", "flexion = 7", 1));
    assert_problem(&e, "content/positions.toml");
    assert_problem(&e, "off the scale");

    let e = broken(|t| {
        t[TIPS] = t[TIPS].replacen("evidence = \"moderate\"", "evidence = \"strong\"", 1)
    });
    assert_problem(&e, "unknown evidence grade 'strong'");

    let e = broken(|t| {
        t[TIPS] = t[TIPS].replacen(
            "phase = \"before\"",
            "phase = \"before\"\ncolour = \"red\"",
            1,
        )
    });
    assert_problem(&e, "content/tips.toml");

    let e = broken(|t| {
        t[1].push_str("\n[[source]]\nid = \"unused-2024\"\nkind = \"study\"\nauthors = \"A\"\ntitle = \"T\"\npublished_in = \"J\"\nyear = 2024\nnote = \"n\"\n")
    });
    assert_problem(&e, "source 'unused-2024' is never cited");
}

/// Cuts the first table whose header is `header` out of `text`, up to the blank line after it.
fn cut_table(text: &mut String, header: &str) {
    let start = text.find(header).expect("the table");
    let end = text[start..]
        .find("\n\n")
        .map_or(text.len(), |i| start + i + 2);
    text.replace_range(start..end, "");
}

#[test]
fn every_position_has_a_scene_and_a_pose_for_each_role_with_sane_angles() {
    let e = broken(|t| cut_table(&mut t[POSITIONS], "[position.insertive.pose]"));
    assert_problem(
        &e,
        "position missionary (insertive) has no pose to draw it with (add [position.insertive.pose]",
    );

    let e = broken(|t| cut_table(&mut t[POSITIONS], "[position.scene]"));
    assert_problem(&e, "position missionary has no scene to draw it in");

    // An angle out of range names the position, the role, the field, the value and what is
    // allowed.
    let e = broken(|t| t[POSITIONS] = t[POSITIONS].replacen("knee = 120", "knee = 200", 1));
    assert_problem(
        &e,
        "position missionary (receptive): pose knee = 200 is out of range (from 0 to 160 degrees; 0 straight)",
    );
    let e = broken(|t| {
        t[POSITIONS] = t[POSITIONS].replacen("trunk = 70\n", "trunk = 70\nfar_hip = -45\n", 1)
    });
    assert_problem(
        &e,
        "position missionary (insertive): pose far_hip = -45 is out of range (from -30 to 140 degrees;",
    );
    let e = broken(|t| t[POSITIONS] = t[POSITIONS].replacen("at = [84, 89]", "at = [284, 89]", 1));
    assert_problem(
        &e,
        "position missionary (receptive): pose at = [284, 89] is outside the drawing (x from 0 to 200, y from 0 to 120)",
    );
    let e = broken(|t| {
        t[POSITIONS] = t[POSITIONS].replacen(
            "props = [\"under-head\"]",
            "props = [\"under-head\", \"under-head\"]",
            1,
        )
    });
    assert_problem(
        &e,
        "position missionary (receptive): pose lists the prop 'under-head' twice",
    );
    let e = broken(|t| {
        t[POSITIONS] = t[POSITIONS].replacen(
            "shows = \"lies on the back with the hips and knees bent and the feet on the bed\"",
            "shows = \" \"",
            1,
        )
    });
    assert_problem(&e, "position missionary (receptive): pose shows is empty");
    let e =
        broken(|t| t[POSITIONS] = t[POSITIONS].replacen("facing = \"left\"", "facing = \"up\"", 1));
    assert_problem(&e, "content/positions.toml");
    let e = broken(|t| {
        t[MODIFICATIONS] =
            t[MODIFICATIONS].replacen("prop = \"under-knees\"", "prop = \"under-chin\"", 1)
    });
    assert_problem(&e, "content/modifications.toml");
}

const PAIN_TYPES: usize = 2;
const CONDITIONS: usize = 5;

#[test]
fn the_safety_rules_of_the_content_are_checked_as_it_loads() {
    // A position never filmed must not cite the motion-capture studies for its figures…
    let e = broken(|t| {
        t[POSITIONS] = t[POSITIONS].replacen(
            "basis = \"reasoned\"\nsources = [\"seed-positions\", \"osullivan-2005\"]",
            "basis = \"reasoned\"\nsources = [\"seed-positions\", \"sidorkewicz-2014\"]",
            1,
        )
    });
    assert_problem(&e, "not filmed (reasoned) but cites a motion-capture study");
    // …and one marked measured must cite them.
    let e = broken(|t| {
        t[POSITIONS] = t[POSITIONS].replacen(
            "basis = \"measured\"\nsources = [\"sidorkewicz-2014\", \"sidorkewicz-2015\", \"seed-positions\"]",
            "basis = \"measured\"\nsources = [\"seed-positions\"]",
            1,
        )
    });
    assert_problem(&e, "marked measured but cites no motion-capture study");
    // A study rank is a place in a ranking, from a motion-capture study.
    let e =
        broken(|t| t[POSITIONS] = t[POSITIONS].replacen("rank = 4, of = 5", "rank = 6, of = 5", 1));
    assert_problem(&e, "study rank 6 of 5 is not a place in a ranking");
    // Only hip restrictions in `hip`.
    let e = broken(|t| {
        t[POSITIONS] =
            t[POSITIONS].replacen("hip = [\"hip-past-90\"]", "hip = [\"lying-on-back\"]", 1)
    });
    assert_problem(&e, "'lying-on-back' is not about the hip");
    // Every restriction is described once, and a condition's restrictions resolve.
    let e = broken(|t| {
        let start = t[CONDITIONS]
            .find("[[restriction]]\nid = \"loaded-flexion\"")
            .expect("the restriction");
        let end = t[CONDITIONS][start..]
            .find("[[condition]]")
            .map(|i| start + i)
            .expect("the next entry");
        t[CONDITIONS].replace_range(start..end, "");
    });
    assert_problem(&e, "restriction 'loaded-flexion' is described 0 times");
    // A restriction from a week on only for a condition counted in weeks.
    let e = broken(|t| {
        t[CONDITIONS] = t[CONDITIONS].replacen(
            "restrictions = [\"loaded-flexion\"]",
            "restrictions = [{ id = \"loaded-flexion\", from_week = 20 }]",
            1,
        )
    });
    assert_problem(
        &e,
        "starts from a week, but the condition is not counted in weeks",
    );
    // A position flagged by a restriction cannot stay recommended.
    let e = broken(|t| {
        t[CONDITIONS] = t[CONDITIONS].replacen(
            "position_verdict = \"caution\"",
            "position_verdict = \"recommended\"",
            1,
        )
    });
    assert_problem(&e, "cannot stay recommended");
    // Whose condition it is: only in a replacement, only the known placeholders.
    let e = broken(|t| {
        t[TIPS] = t[TIPS].replacen(
            "If the pain starts to build",
            "If {who} feel the pain starts to build",
            1,
        )
    });
    assert_problem(&e, "says whose condition it is with");
    let e = broken(|t| t[TIPS] = t[TIPS].replacen("safe for {whom}", "safe for {them}", 1));
    assert_problem(&e, "'{them}' is not a placeholder");
    // The motion-intolerant pain type says why a held posture counts.
    let e = broken(|t| {
        let start = t[PAIN_TYPES].find("held_because").expect("held_because");
        let end = start + t[PAIN_TYPES][start..].find("\"\"\"\n").expect("its end") + 4;
        t[PAIN_TYPES].replace_range(start..end, "");
    });
    assert_problem(
        &e,
        "does not say why a posture held away from neutral counts",
    );
}

#[test]
fn no_answer_tells_a_reader_to_run_a_command() {
    // The FAQ and the causes are shown on pages too: they speak of the self-assessment, the
    // plan and the symptom check, not of commands.
    let k = knowledge();
    let texts = k
        .faq
        .iter()
        .map(|f| (f.id.as_str(), f.answer.as_str()))
        .chain(
            k.causes
                .iter()
                .map(|c| (c.id.as_str(), c.what_to_do.as_str())),
        );
    let commands = [
        "assess",
        "recommend",
        "check",
        "program",
        "positions",
        "journal",
        "tips",
        "faq",
        "sources",
        "profile",
        "serve",
        "demo",
    ];
    for (id, text) in texts {
        for c in commands {
            assert!(
                !text.contains(&format!("spinewise {c}")),
                "{id} tells the reader to run `spinewise {c}`: {text}"
            );
        }
        assert!(
            !text.contains(" --"),
            "{id} names a command-line option: {text}"
        );
    }
}

#[test]
fn medicine_conditions_rest_on_the_labelling_and_every_claim_is_hedged_where_it_must_be() {
    let k = knowledge();
    for id in [
        "kidney-disease",
        "stomach-ulcer",
        "blood-thinners",
        "heart-failure",
        "heart-disease",
        "liver-disease",
        "nsaid-asthma",
    ] {
        let c = k.condition(id).expect(id);
        assert!(
            c.sources
                .iter()
                .any(|s| s == "fda-otc-ibuprofen-label" || s == "fda-2015-nsaids-cv"),
            "{id} cites the product labelling"
        );
    }
    let endorphins = k.faq_entry("sex-relieves-pain").expect("the entry");
    assert!(
        endorphins
            .answer
            .contains("is thought to release endorphins")
    );
    let dangerous = k.faq_entry("is-it-dangerous").expect("the entry");
    assert!(!dangerous.answer.contains("does not damage the spine"));
    let overdoing = k
        .causes
        .iter()
        .find(|c| c.id == "overdoing-it")
        .expect("the cause");
    assert!(
        overdoing.sources.iter().any(|s| !s.starts_with("seed-")),
        "overdoing it rests on more than the seed article"
    );
    let heat = k.tip("warm-bath").expect("the tip");
    assert!(heat.evidence_note.contains("acute and subacute"));
    assert!(k.faq_entry("pregnancy").is_ok() && k.faq_entry("cervical-screening").is_ok());
}

/// `docs/safety.md`, the page a clinician reviews the product from.
const SAFETY_MD: &str = include_str!("../../../docs/safety.md");

#[test]
fn docs_safety_names_every_rule_and_every_test_it_cites_exists() {
    let k = knowledge();
    let ids = k
        .symptoms
        .iter()
        .map(|s| s.id.as_str())
        .chain(k.combinations.iter().map(|c| c.id.as_str()))
        .chain(k.conditions.iter().map(|c| c.id.as_str()))
        .chain(k.restrictions.iter().map(|r| r.id.as_str()))
        .chain(
            k.conditions
                .iter()
                .flat_map(|c| c.effects.iter().map(|e| e.as_str())),
        );
    for id in ids {
        assert!(
            SAFETY_MD.contains(&format!("`{id}`")),
            "docs/safety.md does not list `{id}`"
        );
    }
    // Every `file::test` it cites names a test that exists in that file.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut cited = 0;
    for chunk in SAFETY_MD.split('`').skip(1).step_by(2) {
        let Some((file, test)) = chunk.rsplit_once("::") else {
            continue;
        };
        if test.is_empty()
            || !test
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            continue;
        }
        let path = if file.contains('/') {
            root.join(format!(
                "{}.rs",
                file.split("::")
                    .next()
                    .unwrap_or(file)
                    .trim_end_matches(".rs")
            ))
        } else {
            root.join(format!("crates/domain/tests/{file}.rs"))
        };
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("docs/safety.md cites {chunk}: {} ({e})", path.display()));
        assert!(
            is_test(&source, test),
            "docs/safety.md cites {chunk}, which is not a test in {}",
            path.display()
        );
        cited += 1;
    }
    assert!(cited >= 40, "only {cited} tests cited");
}

/// Whether `source` has a test function named `name`: `fn name(` (or `async fn name(`) under
/// a `#[test]` or `#[tokio::test]`, other attributes and doc comments allowed between.
fn is_test(source: &str, name: &str) -> bool {
    let needle = format!("fn {name}(");
    source.match_indices(&needle).any(|(at, _)| {
        let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
        let head = source[line_start..at].trim();
        if !(head.is_empty() || head == "async" || head == "pub" || head == "pub async") {
            return false;
        }
        source[..line_start]
            .lines()
            .rev()
            .map(str::trim)
            .take_while(|l| l.starts_with("#[") || l.starts_with("///"))
            .any(|l| l == "#[test]" || l.starts_with("#[tokio::test"))
    })
}

/// Every table row of docs/safety.md that lists a symptom, a combination or a condition cites
/// exactly the sources the content gives it.
#[test]
fn docs_safety_cites_the_contents_own_sources_for_each_rule() {
    let k = knowledge();
    let items: Vec<(&str, Vec<&str>)> = k
        .symptoms
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.sources.iter().map(String::as_str).collect(),
            )
        })
        .chain(k.combinations.iter().map(|c| {
            (
                c.id.as_str(),
                c.sources.iter().map(String::as_str).collect(),
            )
        }))
        .chain(k.conditions.iter().map(|c| {
            (
                c.id.as_str(),
                c.sources.iter().map(String::as_str).collect(),
            )
        }))
        .collect();
    let is_source_list = |cell: &str| {
        !cell.is_empty()
            && cell
                .split(',')
                .all(|id| k.sources.iter().any(|s| s.id == id.trim()))
    };
    let mut checked = 0;
    for line in SAFETY_MD.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let Some(id) = cells[0].split('`').nth(1) else {
            continue;
        };
        let Some((_, sources)) = items.iter().find(|(i, _)| *i == id) else {
            continue;
        };
        let lists: Vec<&&str> = cells[1..].iter().filter(|c| is_source_list(c)).collect();
        assert_eq!(
            lists.len(),
            1,
            "docs/safety.md: the row of `{id}` has no one list of sources: {line}"
        );
        let mut cited: Vec<&str> = lists[0].split(',').map(str::trim).collect();
        let mut given = sources.clone();
        cited.sort_unstable();
        given.sort_unstable();
        assert_eq!(cited, given, "docs/safety.md: the sources of `{id}`");
        checked += 1;
    }
    assert_eq!(
        checked,
        items.len(),
        "a row for every symptom, combination and condition"
    );
}
