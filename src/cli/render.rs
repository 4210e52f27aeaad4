//! Text output for the terminal: the same results as the JSON, laid out to be read, wrapped to
//! the terminal's width, every statement followed by the sources it rests on.

use spinewise_domain::Knowledge;
use spinewise_domain::assessment::{Assessment, ConfidenceLabel, Unclear};
use spinewise_domain::knowledge::{FaqEntry, Position, RoleProfile, Source, Tip};
use spinewise_domain::program::{ChangeKind, HoldReason, Prescription, Program, WeeklyProgram};
use spinewise_domain::recommend::{PersonInput, Plan, PlanRequest};
use spinewise_domain::safety::{Circumstances, Noted, PainTypeSource, RedFlags};
use spinewise_domain::triage::Triage;
use spinewise_domain::vocab::{Dimension, Level, PainType, Phase, Role, Verdict};

use super::profile::Profile;
use super::text::Text;
use spinewise_app::dto;

/// The width to wrap at: the terminal's when printing to one, else 80.
pub fn width() -> usize {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal()
        && let Ok((cols, _)) = crossterm::terminal::size()
    {
        return usize::from(cols).clamp(50, 100);
    }
    80
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Recommended => "RECOMMENDED",
        Verdict::Caution => "WITH CARE",
        Verdict::Avoid => "AVOID",
    }
}

fn level_marker(l: Level) -> &'static str {
    match l {
        Level::Emergency => "!!! EMERGENCY",
        Level::Urgent => "!! URGENT",
        Level::Soon => "! SOON",
        Level::None => "OK",
    }
}

fn pain_type_words(knowledge: &Knowledge, t: PainType) -> String {
    knowledge
        .pain_type(t)
        .map_or_else(|| t.to_string(), |i| i.name.clone())
}

fn person_words(knowledge: &Knowledge, p: &PersonInput) -> String {
    let mut s = format!(
        "{}, {} ({})",
        pain_type_words(knowledge, p.pain_type).to_lowercase(),
        p.role,
        p.role.meaning()
    );
    if let Some(n) = p.pain_now {
        s.push_str(&format!(", pain today {}/10", n.value()));
    }
    s.push_str(&dto::conditions_words(
        knowledge,
        &p.conditions,
        p.pregnancy_weeks,
    ));
    s
}

/// The red flags, most urgent first, each saying when the journal noted it if it did.
fn triage_block(text: &mut Text, knowledge: &Knowledge, triage: &Triage<'_>, noted: &[Noted]) {
    let Some(info) = knowledge.level(triage.level) else {
        return;
    };
    text.heading(&format!(
        "{}: {}",
        level_marker(triage.level),
        info.headline
    ));
    text.para(0, &info.action);
    for f in &triage.findings {
        text.blank();
        text.hanging(
            2,
            "* ",
            &format!(
                "{} ({}{}): {}",
                f.symptom.name,
                level_marker(f.level),
                noted
                    .iter()
                    .find(|n| n.symptom == f.symptom.id)
                    .map_or_else(String::new, |n| format!(", {}", n.reported.words())),
                f.advice
            ),
        );
        text.sources(4, &f.sources);
    }
}

/// `spinewise recommend`.
pub fn plan(width: usize, knowledge: &Knowledge, request: &PlanRequest, plan: &Plan<'_>) -> String {
    let mut t = Text::new(width);
    t.line("Your plan");
    t.hanging(2, "You: ", &person_words(knowledge, &request.you));
    t.hanging(2, "Partner: ", &person_words(knowledge, &request.partner));
    if let Some(time) = request.time {
        t.hanging(2, "Time: ", time.as_str());
    }

    if plan.triage.level != Level::None {
        triage_block(&mut t, knowledge, &plan.triage, &plan.noted);
    }
    if !plan.notices.is_empty() {
        t.heading("Please note");
        for n in &plan.notices {
            t.hanging(0, "* ", &n.text());
            t.sources(2, &strs(&n.notice.sources));
        }
    }
    if !plan.positions.is_empty() {
        t.heading("Positions, best first");
        for (i, p) in plan.positions.iter().enumerate() {
            t.blank();
            let mut title = format!("{}: {}", p.position.name, verdict_label(p.verdict));
            if p.with_modifications < p.verdict {
                title.push_str(&format!(
                    "; with the changes below: {}",
                    verdict_label(p.with_modifications)
                ));
            }
            t.hanging_by(0, &format!("{:>2}. ", i + 1), 4, &title);
            t.para(4, &p.position.description);
            for r in p.reasons() {
                t.hanging(4, "- ", r);
            }
            let mods: Vec<_> = p.modifications().collect();
            if !mods.is_empty() {
                t.para(4, "Make it gentler:");
                for m in mods {
                    let whose = match m.who {
                        spinewise_domain::posture::Who::You => "you",
                        spinewise_domain::posture::Who::Partner => "your partner",
                    };
                    let changes: Vec<String> = m
                        .changes
                        .iter()
                        .map(|(d, from, to)| format!("{d} {from} -> {to}"))
                        .collect();
                    t.hanging(
                        6,
                        "+ ",
                        &format!(
                            "{} (for {whose}: {}). {}",
                            m.modification.name,
                            changes.join(", "),
                            m.how
                        ),
                    );
                }
            }
            t.hanging(4, "Basis: ", knowledge.about.basis(p.position.basis));
            t.sources(4, &p.sources);
        }
    }
    let phases = [
        (Phase::Before, "Before"),
        (Phase::During, "During"),
        (Phase::After, "After"),
    ];
    if plan.tips.all().next().is_some() {
        t.heading("Tips");
        for (phase, label) in phases {
            let tips = plan.tips.phase(phase);
            if tips.is_empty() {
                continue;
            }
            t.blank();
            t.line(label);
            for a in tips {
                t.hanging(
                    2,
                    "* ",
                    &format!(
                        "{}: {} (Evidence: {}. {})",
                        a.tip.title,
                        a.text(),
                        a.tip.evidence,
                        a.tip.evidence_note
                    ),
                );
                t.sources(4, &strs(&a.tip.sources));
            }
        }
    }
    t.references(knowledge);
    t.disclaimer(knowledge);
    t.finish()
}

/// `spinewise check`.
pub fn check(
    width: usize,
    knowledge: &Knowledge,
    red_flags: &RedFlags<'_>,
    conditions: &[String],
) -> String {
    let mut t = Text::new(width);
    if red_flags.triage.findings.is_empty() {
        t.line("No symptoms were reported.");
    }
    if !conditions.is_empty() {
        let names: Vec<String> = conditions
            .iter()
            .filter_map(|c| knowledge.condition(c).ok())
            .map(|c| c.name.to_lowercase())
            .collect();
        t.hanging(0, "Judged with your conditions: ", &names.join(", "));
    }
    triage_block(&mut t, knowledge, &red_flags.triage, &red_flags.noted);
    t.references(knowledge);
    t.disclaimer(knowledge);
    t.finish()
}

/// `spinewise check --list`.
pub fn symptom_list(width: usize, knowledge: &Knowledge) -> String {
    let mut t = Text::new(width);
    t.heading("Symptoms the check knows");
    for s in &knowledge.symptoms {
        t.hanging(
            0,
            &format!("{} ", s.id),
            &format!("({}) {}", s.level, s.question),
        );
    }
    t.finish()
}

fn confidence_words(label: ConfidenceLabel, confidence: f64) -> String {
    format!("{} ({:.0}%)", label.as_str(), confidence * 100.0)
}

/// What became of `assess --save`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Saving was not asked for.
    NotAsked,
    /// Saved to this file.
    Saved {
        /// Where.
        path: std::path::PathBuf,
        /// Whether the profile has a role, which `recommend` needs.
        has_role: bool,
    },
    /// Not saved: a red flag calls for a doctor first.
    WithheldForRedFlags,
}

/// `spinewise assess`.
pub fn assessment(
    width: usize,
    knowledge: &Knowledge,
    assessment: &Assessment<'_>,
    save: &SaveOutcome,
) -> String {
    let mut t = Text::new(width);
    if assessment.triage.level != Level::None {
        triage_block(&mut t, knowledge, &assessment.triage, &[]);
    }
    match &assessment.result {
        None => {
            t.blank();
            t.para(
                0,
                "Because of the symptom above, spinewise does not suggest a pain type or positions: see a doctor first.",
            );
            if *save == SaveOutcome::WithheldForRedFlags {
                t.para(0, "Nothing was saved as your profile.");
            }
        }
        Some(r) => {
            t.heading("Your result");
            let name = pain_type_words(knowledge, r.pain_type);
            t.hanging(0, "Pain type: ", &format!("{name} ({})", r.pain_type));
            t.hanging(
                0,
                "How sure: ",
                &confidence_words(r.confidence_label, r.confidence),
            );
            if let Some(info) = knowledge.pain_type(r.pain_type) {
                t.blank();
                t.para(0, &info.summary);
                t.blank();
                t.hanging(0, "What the plan does: ", &info.plan);
            }
            t.blank();
            match r.unclear {
                Some(Unclear::Weak) => t.para(
                    0,
                    "Why unclear: your answers do not point strongly to any one movement.",
                ),
                Some(Unclear::Mixed(a, b)) => t.para(
                    0,
                    &format!(
                        "Why unclear: your answers point both to {} and to {}, about equally.",
                        pain_type_words(knowledge, a).to_lowercase(),
                        pain_type_words(knowledge, b).to_lowercase()
                    ),
                ),
                None => {}
            }
            if !r.why.is_empty() {
                t.hanging(0, "Why: ", &format!("{}.", r.why.join("; ")));
            }
            if !r.against.is_empty() {
                t.hanging(0, "But: ", &format!("{}.", r.against.join("; ")));
            }
            let mut sources: Vec<&str> = strs(&knowledge.questionnaire.sources);
            if let Some(info) = knowledge.pain_type(r.pain_type) {
                for s in &info.sources {
                    if !sources.contains(&s.as_str()) {
                        sources.push(s);
                    }
                }
            }
            t.sources(0, &sources);
            t.blank();
            match save {
                SaveOutcome::Saved {
                    path,
                    has_role: true,
                } => t.para(
                    0,
                    &format!(
                        "Saved as your profile ({}). `spinewise recommend` now uses it.",
                        path.display()
                    ),
                ),
                SaveOutcome::Saved {
                    path,
                    has_role: false,
                } => t.para(
                    0,
                    &format!(
                        "Saved as your profile ({}). Add your role with `spinewise profile set --role receptive` (or insertive), and `spinewise recommend` will use both.",
                        path.display()
                    ),
                ),
                SaveOutcome::NotAsked | SaveOutcome::WithheldForRedFlags => t.para(
                    0,
                    &format!(
                        "Next: `spinewise recommend --pain-type {} --role ROLE`, or run `spinewise assess --save` to keep the result.",
                        r.pain_type
                    ),
                ),
            }
        }
    }
    t.references(knowledge);
    t.disclaimer(knowledge);
    t.finish()
}

fn profile_line(knowledge: &Knowledge, p: &RoleProfile) -> String {
    let mut s = format!(
        "flexion {} ({}), extension {} ({}), motion {} ({})",
        p.flexion.level(),
        p.flexion,
        p.extension.level(),
        p.extension,
        p.motion.level(),
        p.motion
    );
    for r in &p.hip {
        if let Some(info) = knowledge.restriction(*r) {
            s.push_str("; ");
            s.push_str(&info.name);
        }
    }
    s
}

/// `spinewise positions [ID]`.
pub fn positions(width: usize, knowledge: &Knowledge, list: &[&Position], full: bool) -> String {
    let mut t = Text::new(width);
    if !full {
        t.heading("Positions");
        t.para(
            0,
            "Demands on the lower back run from 0 (stays neutral) to 4 (end of range). `spinewise positions ID` shows one in full; `spinewise recommend` ranks them for your backs.",
        );
    }
    for p in list {
        t.blank();
        t.line(&format!("{} ({})", p.name, p.id));
        if full && !p.also_called.is_empty() {
            t.hanging(2, "Also called: ", &p.also_called.join("; "));
        }
        t.para(2, &p.description);
        for (role, profile) in [
            (Role::Receptive, &p.receptive),
            (Role::Insertive, &p.insertive),
        ] {
            t.hanging(2, &format!("{role}: "), &profile_line(knowledge, profile));
            if full {
                t.para(4, &profile.posture);
                for d in Dimension::ALL {
                    if let Some(note) = profile.notes.get(d) {
                        t.hanging(4, "- ", note);
                    }
                }
                for e in &profile.modifications {
                    if let Ok(m) = knowledge.modification(&e.id) {
                        let changes: Vec<String> = Dimension::ALL
                            .iter()
                            .filter(|d| e.delta(**d) != 0)
                            .map(|d| format!("{d} {:+}", e.delta(*d)))
                            .collect();
                        t.hanging(
                            4,
                            "+ ",
                            &format!(
                                "{} ({}). {}",
                                m.name,
                                changes.join(", "),
                                e.how.as_deref().unwrap_or(&m.how)
                            ),
                        );
                    }
                }
            }
        }
        if full {
            t.hanging(2, "Basis: ", knowledge.about.basis(p.basis));
        }
        t.sources(2, &strs(&p.sources));
    }
    if let Ok(caveat) = knowledge.notice(spinewise_domain::recommend::notice::STUDY_CAVEAT) {
        t.blank();
        t.para(0, &caveat.text);
        t.sources(0, &strs(&caveat.sources));
    }
    t.references(knowledge);
    t.finish()
}

/// `spinewise tips`.
pub fn tips(width: usize, knowledge: &Knowledge, tips: &[&Tip]) -> String {
    let mut t = Text::new(width);
    for (phase, label) in [
        (Phase::Before, "Before"),
        (Phase::During, "During"),
        (Phase::After, "After"),
    ] {
        let in_phase: Vec<&&Tip> = tips.iter().filter(|x| x.phase == phase).collect();
        if in_phase.is_empty() {
            continue;
        }
        t.heading(label);
        for tip in in_phase {
            t.blank();
            t.line(&format!("{} ({})", tip.title, tip.id));
            t.para(2, &tip.text);
            for (pain_type, extra) in &tip.by_pain_type {
                t.hanging(2, &format!("If {pain_type}-intolerant: "), extra);
            }
            t.hanging(
                2,
                "Evidence: ",
                &format!("{}. {}", tip.evidence, tip.evidence_note),
            );
            t.hanging(2, "Shown: ", &dto::tip_applies(knowledge, tip));
            t.sources(2, &strs(&tip.sources));
        }
    }
    t.references(knowledge);
    t.finish()
}

/// `spinewise faq [WORDS]`.
pub fn faq(
    width: usize,
    knowledge: &Knowledge,
    query: Option<&str>,
    results: &[(&FaqEntry, Option<f64>)],
) -> String {
    let mut t = Text::new(width);
    match (query, results.is_empty()) {
        (Some(q), true) => {
            t.line(&format!("No answer matches \"{q}\"."));
            t.para(
                0,
                "Try other words, or `spinewise faq` to list every question.",
            );
        }
        (Some(_), false) => {
            for (e, _) in results {
                t.heading(&e.question);
                t.para(0, &e.answer);
                t.sources(0, &strs(&e.sources));
                if !e.see_also.is_empty() {
                    let also: Vec<String> = e
                        .see_also
                        .iter()
                        .filter_map(|id| knowledge.faq_entry(id).ok())
                        .map(|f| f.question.clone())
                        .collect();
                    t.hanging(0, "See also: ", &also.join(" / "));
                }
            }
        }
        (None, _) => {
            t.heading("Questions");
            for (e, _) in results {
                t.hanging(2, "* ", &e.question);
            }
            t.blank();
            t.para(
                0,
                "Ask in your own words: `spinewise faq is sex dangerous with back pain`.",
            );
        }
    }
    t.references(knowledge);
    t.finish()
}

/// `spinewise sources [ID]`.
pub fn sources(width: usize, list: &[&Source]) -> String {
    let mut t = Text::new(width);
    for s in list {
        t.blank();
        t.line(&format!("[{}] ({})", s.id, s.kind.as_str()));
        t.para(2, &s.citation());
        if let Some(url) = s
            .url
            .clone()
            .or_else(|| s.doi.as_ref().map(|d| format!("https://doi.org/{d}")))
        {
            t.para(2, &url);
        }
        t.para(2, &s.note);
    }
    t.finish()
}

/// `spinewise profile show`.
pub fn profile(
    width: usize,
    knowledge: &Knowledge,
    profile: Option<&Profile>,
    path: &std::path::Path,
) -> String {
    let mut t = Text::new(width);
    let Some(p) = profile else {
        t.line("No profile is saved.");
        t.para(
            0,
            "Save one with `spinewise assess --save` or `spinewise profile set --pain-type TYPE --role ROLE`.",
        );
        return t.finish();
    };
    let or_unset = |s: Option<String>| s.unwrap_or_else(|| "not set".to_owned());
    t.line(&format!("Profile ({})", path.display()));
    t.hanging(
        2,
        "Your pain type: ",
        &or_unset(p.pain_type.map(|x| {
            let mut s = pain_type_words(knowledge, x);
            if let Some(c) = p.confidence {
                s.push_str(&format!(" (assessed, {:.0}% sure)", c * 100.0));
            }
            s
        })),
    );
    t.hanging(2, "Your role: ", &or_unset(p.role.map(|r| r.to_string())));
    t.hanging(
        2,
        "Your conditions: ",
        &if p.conditions.is_empty() {
            "none".to_owned()
        } else {
            p.conditions.join(", ")
        },
    );
    t.hanging(
        2,
        "Partner's pain type: ",
        &or_unset(p.partner_pain_type.map(|x| pain_type_words(knowledge, x))),
    );
    t.hanging(
        2,
        "Partner's conditions: ",
        &if p.partner_conditions.is_empty() {
            "none".to_owned()
        } else {
            p.partner_conditions.join(", ")
        },
    );
    t.finish()
}

/// `spinewise program`.
pub fn program(
    width: usize,
    knowledge: &Knowledge,
    about: &Circumstances,
    red_flags: &RedFlags<'_>,
    program: &Program<'_>,
) -> String {
    let mut t = Text::new(width);
    t.line("Your exercise program");
    t.hanging(
        2,
        "For: ",
        &format!(
            "{} ({}){}{}",
            pain_type_words(knowledge, about.pain_type).to_lowercase(),
            source_words(about.source),
            about
                .pain_today
                .map_or_else(String::new, |p| format!(", pain today {}/10", p.value())),
            dto::conditions_words(knowledge, &about.conditions, about.pregnancy_weeks)
        ),
    );
    if red_flags.level() != Level::None {
        triage_block(&mut t, knowledge, &red_flags.triage, &red_flags.noted);
    }
    match program {
        Program::Withheld {
            because: HoldReason::RedFlag,
            ..
        } => {
            t.heading("The program is on hold");
            t.para(
                0,
                "A symptom above needs a doctor before you exercise. Follow the referral; the program will be here when a clinician has seen you.",
            );
        }
        Program::Withheld { message, .. } => {
            t.heading("The program is on hold");
            t.para(0, message);
        }
        Program::Ready(week) => program_week(&mut t, week),
    }
    t.references(knowledge);
    t.disclaimer(knowledge);
    t.finish()
}

fn source_words(source: PainTypeSource) -> &'static str {
    match source {
        PainTypeSource::Given => "as given",
        PainTypeSource::Profile => "from your saved profile",
        PainTypeSource::Assessment => "from your latest assessment",
        PainTypeSource::Unknown => "not known yet: the general program",
    }
}

fn program_week(t: &mut Text, week: &WeeklyProgram<'_>) {
    t.hanging(
        2,
        "Week of: ",
        &format!(
            "{}, level {} of {} ({})",
            week.week_start,
            week.level,
            week.max_level,
            week.status.as_str()
        ),
    );
    if !week.conditions.is_empty() {
        t.heading("Before you start");
        for c in &week.conditions {
            t.hanging(
                0,
                "* ",
                &format!("{}: {}", c.condition.name_with_week(c.weeks), c.note),
            );
            for change in &c.changes {
                let what = match (change.change, change.instead) {
                    (ChangeKind::Swapped, Some(with)) => {
                        format!("{}: swapped for {}.", change.exercise.name, with.name)
                    }
                    (ChangeKind::Adapted, _) => format!(
                        "{}: adapted. {}",
                        change.exercise.name,
                        change.how.as_deref().unwrap_or_default()
                    ),
                    _ => format!("{}: left out.", change.exercise.name),
                };
                t.hanging(2, "- ", &format!("{what} {}", change.why));
            }
            if c.changes.is_empty() {
                t.hanging(2, "- ", "Nothing in this week's exercises changes for it.");
            }
            t.sources(2, &strs(&c.condition.sources));
        }
    }
    t.heading("Why this program");
    for r in &week.reasons {
        t.hanging(0, "* ", r);
    }
    if let Some(today) = week.today() {
        t.heading(&format!("Today, {}", today.date));
        if today.rest_day {
            t.para(0, "A rest day.");
        }
        for (i, item) in today.items.iter().enumerate() {
            program_item(t, i, item);
        }
    }
    t.heading("This week");
    for day in &week.days {
        let what = if day.rest_day {
            "rest".to_owned()
        } else {
            day.items
                .iter()
                .map(|i| i.exercise.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let gentle = if day.gentle { " (gentle only)" } else { "" };
        t.hanging(0, &format!("{}{gentle}: ", day.date), &what);
    }
    if !week.held_back.is_empty() {
        t.heading("Left out for you");
        for h in &week.held_back {
            t.hanging(0, "* ", &format!("{}: {}", h.exercise.name, h.why));
        }
    }
    let sources: Vec<&str> = week
        .exercises()
        .iter()
        .flat_map(|e| e.sources.iter().map(String::as_str))
        .fold(Vec::new(), |mut acc, s| {
            if !acc.contains(&s) {
                acc.push(s);
            }
            acc
        });
    t.blank();
    t.sources(0, &sources);
}

fn program_item(t: &mut Text, i: usize, item: &Prescription<'_>) {
    let mut title = item.exercise.name.clone();
    if let Some(v) = &item.variant {
        title.push_str(&format!(" ({})", v.to_lowercase()));
    }
    if let Some(instead) = item.instead_of {
        title.push_str(&format!(", instead of {}", instead.name.to_lowercase()));
    }
    t.hanging_by(
        0,
        &format!("{:>2}. ", i + 1),
        4,
        &format!("{title}: {}", item.dose),
    );
    if let Some(note) = &item.note {
        t.para(4, note);
    }
}
