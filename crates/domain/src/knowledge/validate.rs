//! The rules the knowledge base must keep on its own: unique ids, resolving references, a
//! source for every fact, the entries the product promises (the journal's flare-up advice
//! included), and for the exercises: a fit for every pain type, levels without gaps, doses
//! within sane bounds, and drawings that are plain SVG. The ids the engine's other parts rely
//! on are checked above this module, in [`crate::content_check`].

use std::collections::HashSet;

use super::base::Knowledge;
use super::model::{
    ConditionEffect, ConditionRestriction, Dose, ExerciseCategory, ExerciseInfo, Fit, POSE_ANGLES,
    Pose, ProfileBasis, SCENE_HEIGHT, SCENE_WIDTH,
};
use crate::vocab::{Dimension, Level, PainType, Restriction, Verdict};

/// The seven positions of the seed article's table, with the ids the product must use.
pub const SEED_POSITIONS: &[&str] = &[
    "missionary",
    "missionary-elbows",
    "missionary-knees-up",
    "spooning",
    "quadruped",
    "receptive-on-top",
    "squatting",
];

/// Tips the product promises.
pub const REQUIRED_TIPS: &[&str] = &[
    "pain-reliever",
    "warm-bath",
    "stretch",
    "ice-after",
    "talk-to-partner",
    "avoid-morning",
    "partner-moves",
    "neutral-spine",
    "pillow-support",
    "stop-if-pain",
];

/// Symptoms the triage promises to know.
pub const REQUIRED_SYMPTOMS: &[&str] = &[
    "saddle-numbness",
    "bladder-bowel-change",
    "progressive-leg-weakness",
    "fever",
    "unexplained-weight-loss",
    "cancer-history",
    "recent-trauma",
    "night-pain",
    "bleeding-after-sex",
    "pelvic-pain",
    "pain-during-sex",
    "unusual-discharge",
    "genital-numbness",
    "sudden-severe-headache",
    "severe-sudden-pelvic-pain",
    "sciatica-both-legs",
    "new-leg-weakness",
    "chest-pain",
    "testicular-pain",
    "penile-injury",
    "rectal-bleeding-after-sex",
];

/// Conditions the plan promises to take into account.
pub const REQUIRED_CONDITIONS: &[&str] = &[
    "disc-problem",
    "pregnancy",
    "hip-replacement",
    "recent-spine-surgery",
    "kidney-disease",
    "stomach-ulcer",
    "blood-thinners",
    "heart-failure",
    "heart-disease",
    "liver-disease",
    "nsaid-asthma",
    "osteoporosis",
];

/// Flare-up advice the journal promises: stay active, heat, pain relief, going gentler, and
/// when to see a doctor.
pub const REQUIRED_FLARE_ADVICE: &[&str] = &[
    "stay-active",
    "heat",
    "pain-relief",
    "ease-off",
    "red-flags",
];

/// Exercises the program promises: the three stability exercises (curl-up, side plank, bird
/// dog), the cat-camel, the hip hinge, the glute bridge and walking.
pub const REQUIRED_EXERCISES: &[&str] = &[
    "cat-camel",
    "hip-hinge",
    "curl-up",
    "side-plank",
    "bird-dog",
    "glute-bridge",
    "walking",
];

/// Every exercise has at least this many levels.
pub const MIN_EXERCISE_LEVELS: u8 = 4;
/// At most this many levels (journal sets record levels up to 9).
const MAX_EXERCISE_LEVELS: u8 = 9;
/// Bounds of a sane dose.
const MAX_SETS: u32 = 10;
const MAX_REPS: u32 = 30;
const MAX_HOLD_S: u32 = 60;
const MAX_MINUTES: u32 = 60;
const MAX_REST_S: u32 = 180;

/// At least this many positions beyond the seed table's seven.
const MIN_EXTRA_POSITIONS: usize = 5;
/// At least this many items in the self-assessment.
const MIN_ITEMS: usize = 8;
/// A modification moves a demand by at most this many levels.
const MAX_MODIFICATION_DELTA: i8 = 2;
/// The placeholders a replacement's text can use to say whose condition withheld the advice.
const WHOSE_PLACEHOLDERS: &[&str] = &["{who}", "{whom}", "{whose}"];

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

struct Checker<'k> {
    k: &'k Knowledge,
    problems: Vec<String>,
    cited: HashSet<&'k str>,
}

impl<'k> Checker<'k> {
    fn problem(&mut self, p: String) {
        self.problems.push(p);
    }

    fn ids<'a>(&mut self, kind: &str, ids: impl IntoIterator<Item = &'a str>) {
        let mut seen = HashSet::new();
        for id in ids {
            if !is_id(id) {
                self.problem(format!(
                    "{kind} id '{id}' is not lower-case words joined by hyphens"
                ));
            }
            if !seen.insert(id) {
                self.problem(format!("{kind} id '{id}' is used twice"));
            }
        }
    }

    fn text(&mut self, whose: &str, field: &str, text: &str) {
        if text.trim().is_empty() {
            self.problem(format!("{whose}: {field} is empty"));
        }
    }

    fn sources(&mut self, whose: &str, sources: &'k [String]) {
        if sources.is_empty() {
            self.problem(format!("{whose} cites no source"));
        }
        for s in sources {
            if self.k.source(s).is_err() {
                self.problem(format!("{whose} cites unknown source '{s}'"));
            }
            self.cited.insert(s);
        }
    }

    fn resolves(&mut self, whose: &str, what: &str, ok: bool, id: &str) {
        if !ok {
            self.problem(format!("{whose} refers to unknown {what} '{id}'"));
        }
    }
}

/// Every problem with the knowledge base by its own rules, one sentence each; empty when it is
/// sound. (What the engine relies on besides is checked by [`crate::content_check`].)
pub(crate) fn problems(k: &Knowledge) -> Vec<String> {
    let mut c = Checker {
        k,
        problems: Vec::new(),
        cited: HashSet::new(),
    };

    c.text("about", "disclaimer", &k.about.disclaimer);
    c.ids("source", k.sources.iter().map(|s| s.id.as_str()));
    for s in &k.sources {
        c.text(&format!("source {}", s.id), "title", &s.title);
        c.text(&format!("source {}", s.id), "note", &s.note);
    }

    check_pain_types(&mut c);
    check_positions(&mut c);
    check_conditions(&mut c);
    check_tips(&mut c);
    check_red_flags(&mut c);
    check_notices(&mut c);
    check_questionnaire(&mut c);
    check_faq(&mut c);
    check_journal(&mut c);
    check_exercises(&mut c);

    for s in &k.sources {
        if !c.cited.contains(s.id.as_str()) {
            c.problem(format!("source '{}' is never cited", s.id));
        }
    }
    c.problems
}

fn check_pain_types(c: &mut Checker<'_>) {
    let k = c.k;
    for p in PainType::ALL {
        let n = k.pain_types.iter().filter(|i| i.id == *p).count();
        if n != 1 {
            c.problem(format!(
                "pain type '{p}' is described {n} times (expected once)"
            ));
        }
    }
    for p in &k.pain_types {
        let whose = format!("pain type {}", p.id);
        c.text(&whose, "summary", &p.summary);
        c.text(&whose, "plan", &p.plan);
        if p.id.has_pain() && p.id != PainType::Unclear && p.provoked_by.is_empty() {
            c.problem(format!("{whose} says nothing of what provokes it"));
        }
        match (&p.held_because, p.id) {
            (None, PainType::Motion) => c.problem(format!(
                "{whose} does not say why a posture held away from neutral counts (held_because)"
            )),
            (Some(_), id) if id != PainType::Motion => c.problem(format!(
                "{whose}: held_because applies only to the motion-intolerant pain type"
            )),
            _ => {}
        }
        c.sources(&whose, &p.sources);
    }
    for d in Dimension::ALL {
        match k.dimensions.iter().filter(|i| i.id == *d).count() {
            1 => {}
            n => c.problem(format!(
                "dimension '{d}' is described {n} times (expected once)"
            )),
        }
    }
    for d in &k.dimensions {
        for (field, text) in [
            ("spares", &d.spares),
            ("slight", &d.slight),
            ("moderate", &d.moderate),
            ("strains", &d.strains),
        ] {
            if !text.contains("{their}") {
                c.problem(format!(
                    "dimension {}: '{field}' must say whose back with {{their}}",
                    d.id
                ));
            }
        }
    }
}

fn check_positions(c: &mut Checker<'_>) {
    let k = c.k;
    c.ids("position", k.positions.iter().map(|p| p.id.as_str()));
    c.ids(
        "modification",
        k.modifications.iter().map(|m| m.id.as_str()),
    );
    for id in SEED_POSITIONS {
        if k.position(id).is_err() {
            c.problem(format!("seed-table position '{id}' is missing"));
        }
    }
    let extra = k
        .positions
        .iter()
        .filter(|p| !SEED_POSITIONS.contains(&p.id.as_str()))
        .count();
    if extra < MIN_EXTRA_POSITIONS {
        c.problem(format!(
            "only {extra} positions beyond the seed table (at least {MIN_EXTRA_POSITIONS} expected)"
        ));
    }
    for p in &k.positions {
        let whose = format!("position {}", p.id);
        c.text(&whose, "description", &p.description);
        c.sources(&whose, &p.sources);
        let filmed = p.sources.iter().any(|s| is_motion_capture(k, s));
        match p.basis {
            ProfileBasis::Measured if !filmed => c.problem(format!(
                "{whose} is marked measured but cites no motion-capture study"
            )),
            ProfileBasis::Reasoned if filmed => c.problem(format!(
                "{whose} was not filmed (reasoned) but cites a motion-capture study for its figures"
            )),
            _ => {}
        }
        if p.scene.is_none() {
            c.problem(format!(
                "{whose} has no scene to draw it in (add [position.scene] with view, furniture and front)"
            ));
        }
        for (role, profile) in [("receptive", &p.receptive), ("insertive", &p.insertive)] {
            let whose = format!("position {} ({role})", p.id);
            c.text(&whose, "posture", &profile.posture);
            match &profile.pose {
                Some(pose) => check_pose(c, &whose, pose),
                None => c.problem(format!(
                    "{whose} has no pose to draw it with (add [position.{role}.pose] with shows, at, facing and the joint angles)"
                )),
            }
            check_hips(c, &whose, &profile.hip);
            let mut ranked = HashSet::new();
            for r in &profile.study_ranks {
                if !ranked.insert(r.pain_type) {
                    c.problem(format!(
                        "{whose} is ranked twice for pain type '{}'",
                        r.pain_type
                    ));
                }
                if p.basis != ProfileBasis::Measured {
                    c.problem(format!(
                        "{whose} was not filmed (reasoned) but has a study rank"
                    ));
                }
                if !r.pain_type.has_pain() || r.pain_type == PainType::Unclear {
                    c.problem(format!(
                        "{whose}: a study rank must be for flexion, extension or motion, not '{}'",
                        r.pain_type
                    ));
                }
                if r.rank == 0 || r.rank > r.of || r.of < 2 {
                    c.problem(format!(
                        "{whose}: study rank {} of {} is not a place in a ranking",
                        r.rank, r.of
                    ));
                }
                if !is_motion_capture(k, &r.source) {
                    c.problem(format!(
                        "{whose}: its study rank cites '{}', which is not a motion-capture study",
                        r.source
                    ));
                }
                c.sources(&whose, std::slice::from_ref(&r.source));
            }
            let mut seen = HashSet::new();
            for m in &profile.modifications {
                c.resolves(&whose, "modification", k.modification(&m.id).is_ok(), &m.id);
                if !seen.insert(m.id.as_str()) {
                    c.problem(format!("{whose} lists modification '{}' twice", m.id));
                }
                let deltas = [m.flexion, m.extension, m.motion];
                if deltas.iter().all(|d| *d == 0) {
                    c.problem(format!("{whose}: modification '{}' changes nothing", m.id));
                }
                if deltas.iter().any(|d| d.abs() > MAX_MODIFICATION_DELTA) {
                    c.problem(format!(
                        "{whose}: modification '{}' moves a demand by more than {MAX_MODIFICATION_DELTA} levels",
                        m.id
                    ));
                }
            }
        }
    }
    for m in &k.modifications {
        let whose = format!("modification {}", m.id);
        c.text(&whose, "how", &m.how);
        c.sources(&whose, &m.sources);
        let used = k.positions.iter().any(|p| {
            p.receptive
                .modifications
                .iter()
                .chain(&p.insertive.modifications)
                .any(|e| e.id == m.id)
        });
        if !used {
            c.problem(format!("{whose} is not used by any position"));
        }
    }
}

/// A figure's pose: something to say of it, a place inside the drawing, every joint angle
/// within what a body can do.
fn check_pose(c: &mut Checker<'_>, whose: &str, pose: &Pose) {
    c.text(whose, "pose shows", &pose.shows);
    let [x, y] = pose.at;
    if !(0..=SCENE_WIDTH).contains(&x) || !(0..=SCENE_HEIGHT).contains(&y) {
        c.problem(format!(
            "{whose}: pose at = [{x}, {y}] is outside the drawing (x from 0 to {SCENE_WIDTH}, y from 0 to {SCENE_HEIGHT})"
        ));
    }
    for (field, value) in pose.angles() {
        let joint = field.trim_start_matches("far_");
        let Some((_, low, high, meaning)) = POSE_ANGLES.iter().find(|(name, ..)| *name == joint)
        else {
            continue;
        };
        if !(*low..=*high).contains(&value) {
            c.problem(format!(
                "{whose}: pose {field} = {value} is out of range (from {low} to {high} degrees; {meaning})"
            ));
        }
    }
    let mut seen = HashSet::new();
    for prop in &pose.props {
        if !seen.insert(*prop) {
            c.problem(format!(
                "{whose}: pose lists the prop '{}' twice",
                prop.as_str()
            ));
        }
    }
}

/// Whether `source` is one of the motion-capture studies the measured positions rest on.
fn is_motion_capture(k: &Knowledge, source: &str) -> bool {
    k.source(source).is_ok_and(|s| s.motion_capture)
}

/// A posture's or an exercise's hips: only hip restrictions, each once.
fn check_hips(c: &mut Checker<'_>, whose: &str, hip: &[Restriction]) {
    let mut seen = HashSet::new();
    for r in hip {
        if !r.is_hip() {
            c.problem(format!(
                "{whose}: '{r}' is not about the hip (expected one of: {})",
                Restriction::ALL
                    .iter()
                    .filter(|r| r.is_hip())
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !seen.insert(*r) {
            c.problem(format!("{whose} lists '{r}' twice"));
        }
    }
}

/// A replacement's (or a condition's notice's) placeholders: only there, only the known ones.
fn check_placeholders(c: &mut Checker<'_>, whose: &str, text: &str, replacement: bool) {
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map_or(rest.len(), |i| open + i + 1);
        let placeholder = &rest[open..close];
        if !WHOSE_PLACEHOLDERS.contains(&placeholder) {
            c.problem(format!(
                "{whose}: '{placeholder}' is not a placeholder (expected one of: {})",
                WHOSE_PLACEHOLDERS.join(", ")
            ));
        } else if !replacement {
            c.problem(format!(
                "{whose}: only a replacement or a condition's notice says whose condition it is with '{placeholder}'"
            ));
        }
        rest = &rest[close..];
    }
}

fn check_restrictions(c: &mut Checker<'_>) {
    let k = c.k;
    for r in Restriction::ALL {
        match k.restrictions.iter().filter(|i| i.id == *r).count() {
            1 => {}
            n => c.problem(format!(
                "restriction '{r}' is described {n} times (expected once)"
            )),
        }
    }
    for r in &k.restrictions {
        let whose = format!("restriction {}", r.id);
        c.text(&whose, "name", &r.name);
        c.text(&whose, "position_reason", &r.position_reason);
        c.text(&whose, "exercise_reason", &r.exercise_reason);
        c.sources(&whose, &r.sources);
        if r.position_verdict == Verdict::Recommended {
            c.problem(format!(
                "{whose}: a position that falls under it cannot stay recommended"
            ));
        }
        if !k
            .conditions
            .iter()
            .any(|cond| cond.restrictions.iter().any(|x| x.id() == r.id))
        {
            c.problem(format!("{whose} is brought by no condition"));
        }
    }
}

fn check_conditions(c: &mut Checker<'_>) {
    let k = c.k;
    c.ids("condition", k.conditions.iter().map(|x| x.id.as_str()));
    check_restrictions(c);
    for id in REQUIRED_CONDITIONS {
        if k.condition(id).is_err() {
            c.problem(format!("condition '{id}' is missing"));
        }
    }
    for cond in &k.conditions {
        let whose = format!("condition {}", cond.id);
        c.text(&whose, "summary", &cond.summary);
        c.sources(&whose, &cond.sources);
        for n in &cond.notices {
            c.resolves(&whose, "notice", k.notice(n).is_ok(), n);
        }
        c.text(&whose, "program_note", &cond.program_note);
        let flags_positions = cond.effects.iter().any(|e| {
            matches!(
                e,
                ConditionEffect::CapAtCaution | ConditionEffect::MorningFlexion
            )
        });
        if flags_positions && cond.position_reason.is_none() {
            c.problem(format!(
                "{whose} flags positions but gives no position_reason"
            ));
        }
        let mut seen = HashSet::new();
        for r in &cond.restrictions {
            if !seen.insert(r.id()) {
                c.problem(format!("{whose} lists restriction '{}' twice", r.id()));
            }
            if k.restriction(r.id()).is_none() {
                c.problem(format!(
                    "{whose} refers to restriction '{}', which conditions.toml does not describe",
                    r.id()
                ));
            }
            if let ConditionRestriction::FromWeek { from_week, .. } = r {
                match &cond.unknown_week {
                    None => c.problem(format!(
                        "{whose}: restriction '{}' starts from a week, but the condition does not say what an unknown week means (unknown_week)",
                        r.id()
                    )),
                    Some(words) if !words.contains(&format!(" {from_week} weeks")) => {
                        c.problem(format!(
                            "{whose}: restriction '{}' starts from week {from_week}, but unknown_week ('{words}') does not name {from_week} weeks",
                            r.id()
                        ));
                    }
                    Some(_) => {}
                }
            }
            if matches!(r, ConditionRestriction::FromWeek { .. }) && !cond.weeks {
                c.problem(format!(
                    "{whose}: restriction '{}' starts from a week, but the condition is not counted in weeks",
                    r.id()
                ));
            }
        }
    }
}

fn check_tips(c: &mut Checker<'_>) {
    let k = c.k;
    c.ids("tip", k.tips.iter().map(|t| t.id.as_str()));
    for id in REQUIRED_TIPS {
        if k.tip(id).is_err() {
            c.problem(format!("tip '{id}' is missing"));
        }
    }
    for t in &k.tips {
        let whose = format!("tip {}", t.id);
        c.text(&whose, "text", &t.text);
        check_placeholders(c, &whose, &t.text, t.replacement_only);
        c.text(&whose, "evidence_note", &t.evidence_note);
        c.sources(&whose, &t.sources);
        for clause in &t.when {
            for cond in &clause.conditions {
                c.resolves(&whose, "condition", k.condition(cond).is_ok(), cond);
            }
        }
        for effect in &t.unless_effects {
            if !k.conditions.iter().any(|x| x.effects.contains(effect)) {
                c.problem(format!(
                    "{whose} is withheld for effect '{}', which no condition has",
                    effect.as_str()
                ));
            }
        }
        if let Some(instead) = &t.instead {
            match k.tip(instead) {
                Ok(r) if r.replacement_only && r.phase == t.phase => {}
                Ok(_) => c.problem(format!(
                    "{whose}: its replacement '{instead}' must be replacement_only and of the same phase"
                )),
                Err(_) => c.problem(format!("{whose} refers to unknown tip '{instead}'")),
            }
            if t.unless_effects.is_empty() {
                c.problem(format!("{whose} has a replacement but is never withheld"));
            }
        }
        if t.replacement_only && !k.tips.iter().any(|o| o.instead.as_ref() == Some(&t.id)) {
            c.problem(format!("{whose} replaces nothing"));
        }
    }
}

fn check_red_flags(c: &mut Checker<'_>) {
    let k = c.k;
    c.ids("symptom", k.symptoms.iter().map(|s| s.id.as_str()));
    c.ids("combination", k.combinations.iter().map(|s| s.id.as_str()));
    c.ids("cause", k.causes.iter().map(|s| s.id.as_str()));
    for id in REQUIRED_SYMPTOMS {
        if k.symptom(id).is_err() {
            c.problem(format!("symptom '{id}' is missing"));
        }
    }
    for level in Level::ALL {
        match k.level(*level) {
            Some(info) if !info.headline.trim().is_empty() && !info.action.trim().is_empty() => {}
            _ => c.problem(format!(
                "red-flag level '{level}' has no headline and action"
            )),
        }
    }
    if !k.symptoms.iter().any(|s| s.screen_in_assessment) {
        c.problem("no symptom is screened before the self-assessment".to_owned());
    }
    for s in &k.symptoms {
        let whose = format!("symptom {}", s.id);
        c.text(&whose, "question", &s.question);
        c.text(&whose, "advice", &s.advice);
        c.sources(&whose, &s.sources);
    }
    for combo in &k.combinations {
        let whose = format!("combination {}", combo.id);
        c.text(&whose, "advice", &combo.advice);
        c.sources(&whose, &combo.sources);
        if combo.all.is_empty() || combo.all.len() + combo.conditions.len() < 2 {
            c.problem(format!(
                "{whose} must combine a symptom with at least one more symptom or condition"
            ));
        }
        for cond in &combo.conditions {
            c.resolves(&whose, "condition", k.condition(cond).is_ok(), cond);
        }
        for s in &combo.all {
            match k.symptom(s) {
                Ok(sym) if sym.level > combo.level => c.problem(format!(
                    "{whose} would lower symptom '{s}' from {} to {}",
                    sym.level, combo.level
                )),
                Ok(_) => {}
                Err(_) => c.problem(format!("{whose} refers to unknown symptom '{s}'")),
            }
        }
    }
    for cause in &k.causes {
        let whose = format!("cause {}", cause.id);
        c.text(&whose, "explanation", &cause.explanation);
        c.text(&whose, "what_to_do", &cause.what_to_do);
        c.sources(&whose, &cause.sources);
        for s in &cause.symptoms {
            c.resolves(&whose, "symptom", k.symptom(s).is_ok(), s);
        }
    }
}

fn check_notices(c: &mut Checker<'_>) {
    let k = c.k;
    c.ids("notice", k.notices.iter().map(|n| n.id.as_str()));
    for n in &k.notices {
        let whose = format!("notice {}", n.id);
        c.text(&whose, "text", &n.text);
        // A notice a condition brings can say whose surgeon or doctor it means.
        let from_condition = k.conditions.iter().any(|x| x.notices.contains(&n.id));
        check_placeholders(c, &whose, &n.text, from_condition);
        c.sources(&whose, &n.sources);
    }
}

fn check_questionnaire(c: &mut Checker<'_>) {
    let k = c.k;
    let q = &k.questionnaire;
    c.sources("questionnaire", &q.sources);
    if q.items.len() < MIN_ITEMS {
        c.problem(format!(
            "the questionnaire has {} items (at least {MIN_ITEMS} expected)",
            q.items.len()
        ));
    }
    let s = q.scoring;
    let in_unit = |x: f64| x > 0.0 && x < 1.0;
    if !(in_unit(s.min_strength)
        && in_unit(s.min_margin)
        && in_unit(s.moderate_confidence)
        && in_unit(s.high_confidence)
        && s.high_confidence > s.moderate_confidence
        && s.min_supporting_answers >= 1
        && s.high_confidence_supporting_answers >= s.min_supporting_answers)
    {
        c.problem(
            "questionnaire scoring thresholds must lie between 0 and 1, high above moderate, and need at least one supporting answer (more for high)"
                .to_owned(),
        );
    }
    c.ids("questionnaire item", q.items.iter().map(|i| i.id.as_str()));
    for item in &q.items {
        let whose = format!("questionnaire item {}", item.id);
        c.text(&whose, "question", &item.question);
        if item.options.len() < 2 {
            c.problem(format!("{whose} has fewer than two answers"));
        }
        if item.neutral_option().is_none() {
            c.problem(format!(
                "{whose} has no answer for someone who is not sure (one giving no evidence)"
            ));
        }
        c.ids(
            &format!("{whose}: answer"),
            item.options.iter().map(|o| o.id.as_str()),
        );
        for o in &item.options {
            let weights = [o.flexion, o.extension, o.motion];
            if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
                c.problem(format!(
                    "{whose}: answer '{}' has a negative or non-finite weight",
                    o.id
                ));
            }
            if weights.iter().any(|w| *w > 0.0) && o.finding.is_none() {
                c.problem(format!(
                    "{whose}: answer '{}' gives evidence but no finding to explain it",
                    o.id
                ));
            }
        }
    }
    for p in [PainType::Flexion, PainType::Extension, PainType::Motion] {
        let reachable = q
            .items
            .iter()
            .any(|i| i.options.iter().any(|o| o.weight(p) > 0.0));
        if !reachable {
            c.problem(format!("no answer gives evidence for pain type '{p}'"));
        }
    }
}

fn check_faq(c: &mut Checker<'_>) {
    let k = c.k;
    c.ids("question", k.faq.iter().map(|f| f.id.as_str()));
    for f in &k.faq {
        let whose = format!("question {}", f.id);
        c.text(&whose, "question", &f.question);
        c.text(&whose, "answer", &f.answer);
        c.sources(&whose, &f.sources);
        for other in &f.see_also {
            c.resolves(&whose, "question", k.faq_entry(other).is_ok(), other);
        }
    }
    for (word, also) in &k.synonyms {
        if std::iter::once(word)
            .chain(also)
            .any(|w| w.to_lowercase() != *w)
        {
            c.problem(format!("synonyms of '{word}' must be lower case"));
        }
    }
}

fn check_journal(c: &mut Checker<'_>) {
    let k = c.k;
    let j = &k.journal;
    c.text("journal", "disclaimer", &j.disclaimer);
    c.ids("insight", j.insights.iter().map(|t| t.id.as_str()));
    for t in &j.insights {
        let whose = format!("insight {}", t.id);
        c.text(&whose, "title", &t.title);
        c.text(&whose, "text", &t.text);
        c.sources(&whose, &t.sources);
    }
    c.ids("flare advice", j.flare_advice.iter().map(|a| a.id.as_str()));
    for id in REQUIRED_FLARE_ADVICE {
        match k.flare_advice(id) {
            Ok(a) if !a.replacement_only => {}
            Ok(_) => c.problem(format!(
                "flare advice '{id}' must be shown on its own, not only as a replacement"
            )),
            Err(_) => c.problem(format!("flare advice '{id}' is missing")),
        }
    }
    for a in &j.flare_advice {
        let whose = format!("flare advice {}", a.id);
        c.text(&whose, "title", &a.title);
        c.text(&whose, "text", &a.text);
        check_placeholders(c, &whose, &a.text, a.replacement_only);
        for level in &a.red_flag_levels {
            if !k
                .symptoms
                .iter()
                .any(|s| s.screen_in_assessment && s.level == *level)
            {
                c.problem(format!(
                    "{whose} lists the red flags of level '{level}', but no screened symptom has it"
                ));
            }
        }
        c.sources(&whose, &a.sources);
        for effect in &a.unless_effects {
            if !k.conditions.iter().any(|x| x.effects.contains(effect)) {
                c.problem(format!(
                    "{whose} is withheld for effect '{}', which no condition has",
                    effect.as_str()
                ));
            }
        }
        if let Some(instead) = &a.instead {
            match k.flare_advice(instead) {
                Ok(r) if r.replacement_only => {}
                Ok(_) => c.problem(format!(
                    "{whose}: its replacement '{instead}' must be replacement_only"
                )),
                Err(_) => c.problem(format!(
                    "{whose} refers to unknown flare advice '{instead}'"
                )),
            }
            if a.unless_effects.is_empty() {
                c.problem(format!("{whose} has a replacement but is never withheld"));
            }
        }
        if a.replacement_only
            && !j
                .flare_advice
                .iter()
                .any(|o| o.instead.as_ref() == Some(&a.id))
        {
            c.problem(format!("{whose} replaces nothing"));
        }
    }
}

fn check_exercises(c: &mut Checker<'_>) {
    let k = c.k;
    c.ids("exercise", k.exercises.iter().map(|e| e.id.as_str()));
    for id in REQUIRED_EXERCISES {
        if k.exercise(id).is_none() {
            c.problem(format!("exercise '{id}' is missing"));
        }
    }
    for (id, file) in &k.missing_drawings {
        c.problem(format!(
            "exercise {id}: its drawing '{file}' is not among the drawings"
        ));
    }
    for file in &k.unused_drawings {
        c.problem(format!("drawing '{file}' is not used by any exercise"));
    }
    for category in [ExerciseCategory::Mobility, ExerciseCategory::Aerobic] {
        if !k.exercises.iter().any(|e| e.category == category) {
            c.problem(format!(
                "no exercise of category '{}', which the program offers daily or on walking days",
                category.as_str()
            ));
        }
    }
    for e in &k.exercises {
        check_exercise(c, e);
    }
}

fn check_exercise<'k>(c: &mut Checker<'k>, e: &'k ExerciseInfo) {
    let whose = format!("exercise {}", e.id);
    let k = c.k;
    check_hips(c, &whose, &e.body.hip);
    let restrictions = e.body.restrictions();
    for (r, adaptation) in &e.adapt {
        if !restrictions.contains(r) {
            c.problem(format!(
                "{whose} says how to adapt it for '{r}', but it does not fall under that restriction"
            ));
        }
        c.text(&whose, &format!("adapt.{r}.how"), &adaptation.how);
        // A form unsuitable for a known pain type is unsuitable for an unclear one too, which
        // is never treated more leniently.
        if adaptation
            .not_for
            .iter()
            .any(|p| p.has_pain() && *p != PainType::Unclear)
            && !adaptation.not_for.contains(&PainType::Unclear)
        {
            c.problem(format!(
                "{whose}: its form for '{r}' is not for some pain types but not for 'unclear' either"
            ));
        }
    }
    for id in &e.alternatives {
        match k.exercise(id) {
            None => c.problem(format!("{whose} refers to unknown exercise '{id}'")),
            Some(alt) if alt.id == e.id => {
                c.problem(format!("{whose} names itself as its alternative"));
            }
            Some(alt)
                if alt
                    .body
                    .restrictions()
                    .iter()
                    .any(|r| restrictions.contains(r)) =>
            {
                c.problem(format!(
                    "{whose}: its alternative '{id}' falls under the same restrictions"
                ));
            }
            Some(alt) if !alt.alternatives.is_empty() => {
                c.problem(format!(
                    "{whose}: its alternative '{id}' names alternatives of its own (one step only)"
                ));
            }
            Some(_) => {}
        }
    }
    if e.alternative_only && !k.exercises.iter().any(|o| o.alternatives.contains(&e.id)) {
        c.problem(format!(
            "{whose} is offered only in place of another exercise, but none names it"
        ));
    }
    c.text(&whose, "name", &e.name);
    c.text(&whose, "summary", &e.summary);
    c.text(&whose, "progression", &e.progression);
    c.text(&whose, "back_off", &e.back_off);
    c.sources(&whose, &e.sources);
    if e.steps.is_empty() || e.steps.iter().any(|s| s.trim().is_empty()) {
        c.problem(format!("{whose}: steps must be given, none of them empty"));
    }
    if e.not_for.is_empty() || e.not_for.iter().any(|s| s.trim().is_empty()) {
        c.problem(format!(
            "{whose}: not_for must say who should not do it, none of it empty"
        ));
    }
    for p in PainType::ALL {
        match e.fit.get(p) {
            None => c.problem(format!(
                "{whose} says nothing of how it suits pain type '{p}'"
            )),
            Some(Fit::Modified { how: text } | Fit::HeldBack { why: text })
                if text.trim().is_empty() =>
            {
                c.problem(format!(
                    "{whose}: its fit for pain type '{p}' gives no reason"
                ));
            }
            Some(_) => {}
        }
    }
    if e.fit.values().all(|f| !f.is_prescribed()) {
        c.problem(format!("{whose} is held back for every pain type"));
    }
    check_levels(c, &whose, &e.levels);
    check_drawing(c, &whose, &e.drawing);
}

fn check_levels(c: &mut Checker<'_>, whose: &str, levels: &[Dose]) {
    let n = levels.len();
    if n < usize::from(MIN_EXERCISE_LEVELS) || n > usize::from(MAX_EXERCISE_LEVELS) {
        c.problem(format!(
            "{whose} has {n} levels ({MIN_EXERCISE_LEVELS} to {MAX_EXERCISE_LEVELS} expected)"
        ));
    }
    for (i, d) in levels.iter().enumerate() {
        let expected = i + 1;
        if usize::from(d.level) != expected {
            c.problem(format!(
                "{whose}: level {} comes where level {expected} should (levels run 1, 2, 3… without gaps)",
                d.level
            ));
        }
        let at = format!("{whose}, level {}", d.level);
        for problem in dose_problems(d) {
            c.problem(format!("{at}: {problem}"));
        }
        if let Some(v) = &d.variant
            && v.trim().is_empty()
        {
            c.problem(format!("{at}: variant is empty"));
        }
    }
}

/// What is wrong with a dose, if anything.
fn dose_problems(d: &Dose) -> Vec<String> {
    let mut out = Vec::new();
    if !(1..=MAX_SETS).contains(&d.sets) {
        out.push(format!("{} sets is not from 1 to {MAX_SETS}", d.sets));
    }
    if d.rest_s > MAX_REST_S {
        out.push(format!(
            "a rest of {} s is longer than {MAX_REST_S} s",
            d.rest_s
        ));
    }
    if let Some(m) = d.minutes {
        if d.reps.is_some() || !d.pyramid.is_empty() || d.hold_s.is_some() {
            out.push("a dose in minutes has no repetitions or holds".to_owned());
        }
        if !(1..=MAX_MINUTES).contains(&m) {
            out.push(format!("{m} minutes is not from 1 to {MAX_MINUTES}"));
        }
        return out;
    }
    if d.reps.is_none() && d.pyramid.is_empty() && d.hold_s.is_none() {
        out.push("gives neither repetitions, a hold nor minutes".to_owned());
    }
    if d.reps.is_some() && !d.pyramid.is_empty() {
        out.push("gives both reps and a pyramid".to_owned());
    }
    if let Some(r) = d.reps
        && !(1..=MAX_REPS).contains(&r)
    {
        out.push(format!("{r} repetitions is not from 1 to {MAX_REPS}"));
    }
    if !d.pyramid.is_empty() {
        let len_ok = u32::try_from(d.pyramid.len()).is_ok_and(|n| n == d.sets);
        let in_range = d.pyramid.iter().all(|r| (1..=MAX_REPS).contains(r));
        let falling = d.pyramid.windows(2).all(|w| w[0] >= w[1]);
        if !(len_ok && in_range && falling) {
            out.push(format!(
                "the pyramid must give each of the {} sets 1 to {MAX_REPS} repetitions, never more than the set before",
                d.sets
            ));
        }
    }
    if let Some(h) = d.hold_s
        && !(1..=MAX_HOLD_S).contains(&h)
    {
        out.push(format!("a hold of {h} s is not from 1 to {MAX_HOLD_S} s"));
    }
    out
}

/// Attributes and elements a drawing may not have: scripts, event handlers, links out,
/// fonts and text, embedded documents, styles that could load anything.
const FORBIDDEN_IN_DRAWINGS: &[&str] = &[
    "<script",
    "href",
    "<text",
    "font",
    "<foreignobject",
    "<style",
    "url(",
    "<image",
    "@import",
    "javascript:",
];

fn check_drawing(c: &mut Checker<'_>, whose: &str, svg: &str) {
    if svg.is_empty() {
        return; // reported as a missing drawing
    }
    let lower = svg.to_ascii_lowercase();
    let trimmed = lower.trim();
    if !trimmed.starts_with("<svg") || !trimmed.ends_with("</svg>") {
        c.problem(format!(
            "{whose}: the drawing is not a single <svg> element"
        ));
    }
    if !lower.contains("viewbox=") {
        c.problem(format!("{whose}: the drawing has no viewBox"));
    }
    match (lower.find("<title>"), lower.find("</title>")) {
        (Some(a), Some(b)) if b > a + "<title>".len() => {}
        _ => c.problem(format!(
            "{whose}: the drawing has no <title> to describe it"
        )),
    }
    for bad in FORBIDDEN_IN_DRAWINGS {
        if lower.contains(bad) {
            c.problem(format!("{whose}: the drawing contains '{bad}'"));
        }
    }
    let handler = lower
        .split(|ch: char| ch.is_ascii_whitespace())
        .any(|word| word.starts_with("on") && word.contains('='));
    if handler {
        c.problem(format!("{whose}: the drawing has an event handler"));
    }
}
