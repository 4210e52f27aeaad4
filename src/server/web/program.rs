//! The exercise program's pages: this week's program for the person's pain type and today's
//! pain (red flags first), each exercise with its drawing, steps, doses, progression, when to
//! back off and who should not do it, and today's session logged to the journal.
//!
//! Without an account the program is worked out from the pain type chosen on the page and
//! starts at level 1; signed in, it follows the journal (sessions, flare-ups, today's
//! check-in) and finished sessions are saved there.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::{Form, Query};
use spinewise_domain::Knowledge;
use spinewise_domain::journal::entry::{MAX_SET_HOLD_S, MAX_SET_REPS, MAX_SETS};
use spinewise_domain::journal::{Entry, EntryId, Exercise, ExerciseSet, LocalDate, LocalDateTime};
use spinewise_domain::knowledge::{Dose, ExerciseInfo, Fit};
use spinewise_domain::program::{
    ChangeKind, HoldReason, Prescription, Program, Status, WeeklyProgram,
};
use spinewise_domain::safety::PainTypeSource;
use spinewise_domain::vocab::{Felt, Level, PainScore, PainType};

use super::circumstances::{Asked, Inputs, VisitorQuery, hold_words, inputs, warning_signs};
use super::form::{CONFLICT_MESSAGE, Fields, Reader, felt_choices, pain_choices};
use super::views::render;
use super::views::{Page, WeeksField};
use crate::server::auth::Visitor;
use crate::server::error::AppError;
use crate::server::error::PageError;
use crate::server::state::AppState;
use spinewise_app::clock::{self, ClientDateError};
use spinewise_app::dto::{self, TriageDto};
use spinewise_app::journal::{self, JournalError};

/// The program's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/move", get(overview))
        .route("/move/exercises/{id}", get(exercise_page))
        .route("/move/session", get(session_form).post(save_session))
}

// ---------------------------------------------------------------------------------------------
// The week
// ---------------------------------------------------------------------------------------------

/// One exercise of a day, as the page shows it.
#[derive(Clone)]
struct ItemView {
    id: String,
    name: String,
    variant: String,
    dose: String,
    note: String,
    instead_of: String,
    coach: Option<String>,
}

impl ItemView {
    fn new(p: &Prescription<'_>) -> ItemView {
        ItemView {
            id: p.exercise.id.clone(),
            name: p.exercise.name.clone(),
            variant: p
                .variant
                .as_deref()
                .map(spinewise_domain::words::lower_first)
                .unwrap_or_default(),
            dose: p.dose.clone(),
            note: p.note.clone().unwrap_or_default(),
            instead_of: p
                .instead_of
                .map(|e| e.name.to_lowercase())
                .unwrap_or_default(),
            coach: p.coach.then(|| p.exercise.tracker.clone()).flatten(),
        }
    }
}

/// A condition in the "before you start" box: its name, what it means for the program, and
/// what it changed this week.
struct ConditionView {
    name: String,
    note: String,
    /// Each exercise changed: its id, its name and what became of it.
    changes: Vec<(String, String, String)>,
    /// Why, once for each reason.
    why: Vec<String>,
}

/// The program on hold: the heading, what to do, and why it is on hold.
struct HoldView {
    level: &'static str,
    headline: String,
    action: String,
    why: String,
    red_flag: bool,
}

#[derive(Clone)]
struct DayView {
    weekday: &'static str,
    date: String,
    today: bool,
    rest_day: bool,
    gentle: bool,
    items: Vec<ItemView>,
}

fn weekday(date: LocalDate) -> &'static str {
    match date.0.weekday() {
        time::Weekday::Monday => "Monday",
        time::Weekday::Tuesday => "Tuesday",
        time::Weekday::Wednesday => "Wednesday",
        time::Weekday::Thursday => "Thursday",
        time::Weekday::Friday => "Friday",
        time::Weekday::Saturday => "Saturday",
        time::Weekday::Sunday => "Sunday",
    }
}

/// Each exercise of the week once, in the order it first comes.
fn once_each(days: &[DayView]) -> Vec<ItemView> {
    let mut seen = std::collections::BTreeSet::new();
    days.iter()
        .flat_map(|d| &d.items)
        .filter(|item| seen.insert(item.id.clone()))
        .cloned()
        .collect()
}

fn days(week: &WeeklyProgram<'_>) -> Vec<DayView> {
    week.days
        .iter()
        .enumerate()
        .map(|(i, d)| DayView {
            weekday: weekday(d.date),
            date: d.date.to_string(),
            today: week.today == Some(i),
            rest_day: d.rest_day,
            gentle: d.gentle,
            items: d.items.iter().map(ItemView::new).collect(),
        })
        .collect()
}

fn status_words(status: Status) -> &'static str {
    match status {
        Status::Starting => "Starting out",
        Status::Progressing => "Moving up",
        Status::Holding => "Holding steady",
        Status::Easing => "Easing off",
    }
}

fn pain_type_name(k: &Knowledge, t: PainType) -> String {
    k.pain_type(t)
        .map_or_else(|| t.to_string(), |i| i.name.clone())
}

fn source_words(source: PainTypeSource) -> &'static str {
    match source {
        PainTypeSource::Given => "as chosen here",
        PainTypeSource::Profile => "from your saved profile",
        PainTypeSource::Assessment => "from your latest assessment",
        PainTypeSource::Unknown => {
            "not known yet: this is the general program; find your pain type for one that fits your back"
        }
    }
}

#[derive(Template)]
#[template(path = "move.html")]
struct OverviewTpl {
    page: Page,
    date: String,
    message: Option<String>,
    withheld: Option<HoldView>,
    warning_signs: Vec<(String, String)>,
    /// Red flags to see a doctor about soon: they do not hold the program, but are said first.
    soon: Option<TriageDto>,
    conditions: Vec<ConditionView>,
    condition_choices: Vec<(String, String, bool)>,
    conditions_chosen: bool,
    pregnancy_weeks: String,
    weeks: WeeksField,
    pain_types: Vec<(&'static str, String, bool)>,
    pains: Vec<(u8, bool)>,
    pain_type_name: String,
    pain_type_source: &'static str,
    signed_in: bool,
    locked: bool,
    level: u8,
    max_level: u8,
    status: &'static str,
    status_id: &'static str,
    reasons: Vec<String>,
    today: Option<DayView>,
    week: Vec<DayView>,
    /// Each exercise of the week once, with its dose: the table of days names them only.
    week_doses: Vec<ItemView>,
    held_back: Vec<(String, String, String)>,
    exercises: Vec<(String, String, String)>,
    session_query: String,
}

/// The pain types to choose from (id, name, chosen) and the 0–10 pain choices (value, chosen).
type Choices = (Vec<(&'static str, String, bool)>, Vec<(u8, bool)>);

fn choices(inputs: &Inputs, k: &Knowledge) -> Choices {
    let pain_types = PainType::ALL
        .iter()
        .filter(|t| **t != PainType::None)
        .map(|t| {
            (
                t.as_str(),
                pain_type_name(k, *t),
                *t == inputs.about.pain_type,
            )
        })
        .collect();
    let pains = (0..=10)
        .map(|v| {
            (
                v,
                inputs.about.pain_given && inputs.about.pain_today.map(PainScore::value) == Some(v),
            )
        })
        .collect();
    (pain_types, pains)
}

async fn overview(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<VisitorQuery>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    let inputs = inputs(&state, &visitor, &q.asked()).await?;
    let (program, red_flags) = inputs.program(k);
    let (pain_types, pains) = choices(&inputs, k);
    let mut tpl = OverviewTpl {
        page: Page::new(k, &visitor, "Your exercise program", "move"),
        date: inputs.about.today.to_string(),
        message: q.saved.is_some().then(|| {
            "Today's session is in your journal. Next week's program follows from it.".to_owned()
        }),
        withheld: None,
        warning_signs: warning_signs(k),
        soon: (red_flags.level() == Level::Soon)
            .then(|| dto::CheckDto::with_noted(k, &red_flags.triage, &red_flags.noted).triage),
        conditions: Vec::new(),
        condition_choices: k
            .conditions
            .iter()
            .map(|c| {
                (
                    c.id.clone(),
                    c.name.clone(),
                    inputs.about.conditions.contains(&c.id),
                )
            })
            .collect(),
        conditions_chosen: !inputs.about.conditions.is_empty(),
        pregnancy_weeks: inputs
            .about
            .pregnancy_weeks
            .map(|w| w.to_string())
            .unwrap_or_default(),
        weeks: WeeksField::new(k),
        pain_types,
        pains,
        pain_type_name: pain_type_name(k, inputs.about.pain_type),
        pain_type_source: source_words(inputs.about.source),
        signed_in: inputs.signed_in,
        locked: inputs.locked,
        level: 1,
        max_level: k.max_exercise_level(),
        status: "",
        status_id: "",
        reasons: Vec::new(),
        today: None,
        week: Vec::new(),
        week_doses: Vec::new(),
        held_back: Vec::new(),
        exercises: k
            .exercises()
            .iter()
            .map(|e| (e.id.clone(), e.name.clone(), e.summary.clone()))
            .collect(),
        session_query: inputs.query(),
    };
    match &program {
        Program::Withheld {
            because,
            level,
            message,
            ..
        } => {
            let red_flag = *because == HoldReason::RedFlag;
            let info = k.level(*level);
            tpl.withheld = Some(HoldView {
                level: if red_flag { level.as_str() } else { "soon" },
                headline: if red_flag {
                    info.map(|i| i.headline.clone()).unwrap_or_default()
                } else {
                    "The program is on hold".to_owned()
                },
                action: if red_flag {
                    info.map(|i| i.action.clone()).unwrap_or_default()
                } else {
                    message.clone()
                },
                why: if red_flag {
                    hold_words(&red_flags)
                } else {
                    String::new()
                },
                red_flag,
            });
        }
        Program::Ready(week) => {
            tpl.level = week.level;
            tpl.max_level = week.max_level;
            tpl.status = status_words(week.status);
            tpl.status_id = week.status.as_str();
            tpl.reasons.clone_from(&week.reasons);
            let all = days(week);
            tpl.today = week.today.and_then(|i| all.get(i)).cloned();
            tpl.week_doses = once_each(&all);
            tpl.week = all;
            tpl.held_back = week
                .held_back
                .iter()
                .map(|h| {
                    (
                        h.exercise.id.clone(),
                        h.exercise.name.clone(),
                        h.why.clone(),
                    )
                })
                .collect();
            tpl.conditions = week
                .conditions
                .iter()
                .map(|c| ConditionView {
                    name: c.condition.name_with_week(c.weeks),
                    note: c.note.clone(),
                    changes: c
                        .changes
                        .iter()
                        .map(|change| {
                            let what = match (change.change, change.instead) {
                                (ChangeKind::Swapped, Some(with)) => {
                                    format!("swapped for {}", with.name.to_lowercase())
                                }
                                (ChangeKind::Adapted, _) => format!(
                                    "adapted: {}",
                                    change.how.as_deref().unwrap_or_default()
                                ),
                                _ => "left out".to_owned(),
                            };
                            (
                                change.exercise.id.clone(),
                                change.exercise.name.clone(),
                                what,
                            )
                        })
                        .collect(),
                    why: c.changes.iter().fold(Vec::new(), |mut why, change| {
                        if !why.contains(&change.why) {
                            why.push(change.why.clone());
                        }
                        why
                    }),
                })
                .collect();
        }
    }
    Ok(render(&tpl)?.into_response())
}

// ---------------------------------------------------------------------------------------------
// One exercise
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "move_exercise.html")]
struct ExerciseTpl<'k> {
    page: Page,
    exercise: &'k ExerciseInfo,
    category: &'static str,
    levels: Vec<LevelRow>,
    /// Whether any level changes the exercise's form (else the table has no Form column).
    has_forms: bool,
    fits: Vec<(String, &'static str, String)>,
    sources: Vec<(String, String)>,
}

/// One row of an exercise's table of levels.
struct LevelRow {
    level: u8,
    /// The form, on the first of the levels that share it, and how many levels share it.
    form: Option<(String, usize)>,
    dose: String,
}

/// The table of levels, with each form said once for the run of levels that share it.
fn level_rows(exercise: &ExerciseInfo) -> Vec<LevelRow> {
    let form_of = |d: &Dose| {
        d.variant
            .clone()
            .unwrap_or_else(|| "As in the steps above".to_owned())
    };
    let mut rows: Vec<LevelRow> = Vec::with_capacity(exercise.levels.len());
    let mut run_start = 0;
    for (i, d) in exercise.levels.iter().enumerate() {
        let form = form_of(d);
        let same = i > 0 && form_of(&exercise.levels[i - 1]) == form;
        if same {
            if let Some((_, span)) = rows[run_start].form.as_mut() {
                *span += 1;
            }
        } else {
            run_start = i;
        }
        rows.push(LevelRow {
            level: d.level,
            form: (!same).then_some((form, 1)),
            dose: d.describe(),
        });
    }
    rows
}

async fn exercise_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    let exercise = k
        .exercise(&id)
        .ok_or_else(|| AppError::NotFound(k.unknown_exercise(&id).to_string()))?;
    let fits = PainType::ALL
        .iter()
        .filter(|t| **t != PainType::None)
        .map(|t| {
            let (label, text) = match exercise.fit(*t) {
                Fit::Suggested => ("Suggested", String::new()),
                Fit::Modified { how } => ("Suggested, modified", how.clone()),
                Fit::HeldBack { why } => ("Held back", why.clone()),
            };
            (pain_type_name(k, *t), label, text)
        })
        .collect();
    let tpl = ExerciseTpl {
        page: Page::new(k, &visitor, exercise.name.clone(), "move"),
        category: exercise.category.as_str(),
        levels: level_rows(exercise),
        has_forms: exercise.levels.iter().any(|d| d.variant.is_some()),
        fits,
        sources: exercise
            .sources
            .iter()
            .map(|id| {
                let citation = k.source(id).map_or_else(|_| id.clone(), |s| s.citation());
                (id.clone(), citation)
            })
            .collect(),
        exercise,
    };
    Ok(render(&tpl)?.into_response())
}

// ---------------------------------------------------------------------------------------------
// Today's session
// ---------------------------------------------------------------------------------------------

struct SessionItem {
    index: usize,
    id: String,
    name: String,
    dose: String,
    note: String,
    coach: Option<String>,
    done: bool,
    sets: String,
    reps: String,
    hold_s: String,
    has_reps: bool,
    has_hold: bool,
}

#[derive(Template)]
#[template(path = "move_session.html")]
struct SessionTpl {
    page: Page,
    errors: Vec<String>,
    withheld: Option<String>,
    entry_id: String,
    at: String,
    pain_type: String,
    pain: String,
    conditions: Vec<String>,
    pregnancy_weeks: String,
    date: String,
    level: u8,
    rest_day: bool,
    items: Vec<SessionItem>,
    minutes: String,
    felt: Vec<(String, String, bool)>,
    pain_before: Vec<(u8, bool)>,
    pain_after: Vec<(u8, bool)>,
    note: String,
}

/// The session form for today's items, filled with the prescription or with what was sent.
fn session_page(
    k: &'static Knowledge,
    visitor: &Visitor,
    inputs: &Inputs,
    program: &Program<'_>,
    fields: Option<&Fields>,
    errors: Vec<String>,
) -> SessionTpl {
    let sent = |name: &str| fields.map(|f| f.one(name).to_owned());
    let today = program.ready().and_then(WeeklyProgram::today);
    let items = today.map_or_else(Vec::new, |day| {
        day.items
            .iter()
            .enumerate()
            .map(|(i, p)| SessionItem {
                index: i,
                id: p.exercise.id.clone(),
                name: p.exercise.name.clone(),
                dose: p.dose.clone(),
                note: p.note.clone().unwrap_or_default(),
                coach: p.coach.then(|| p.exercise.tracker.clone()).flatten(),
                done: fields.is_none_or(|f| {
                    f.has("done", &i.to_string())
                        && f.one(&format!("exercise_{i}")) == p.exercise.id
                }),
                sets: sent(&format!("sets_{i}")).unwrap_or_else(|| p.sets.to_string()),
                reps: sent(&format!("reps_{i}")).unwrap_or_else(|| {
                    p.reps
                        .or_else(|| p.pyramid.first().copied())
                        .map(|r| r.to_string())
                        .unwrap_or_default()
                }),
                hold_s: sent(&format!("hold_s_{i}"))
                    .unwrap_or_else(|| p.hold_s.map(|h| h.to_string()).unwrap_or_default()),
                has_reps: p.reps.is_some() || !p.pyramid.is_empty(),
                has_hold: p.hold_s.is_some(),
            })
            .collect()
    });
    let scale = |name: &str| pain_choices(&sent(name).unwrap_or_default());
    SessionTpl {
        page: Page::new(k, visitor, "Today's session", "move"),
        at: sent("at").unwrap_or_default(),
        errors,
        withheld: match program {
            Program::Withheld { message, .. } => Some(message.clone()),
            Program::Ready(_) => None,
        },
        entry_id: sent("entry_id")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
        pain_type: inputs.about.pain_type.to_string(),
        pain: if inputs.about.pain_given {
            inputs
                .about
                .pain_today
                .map(|p| p.value().to_string())
                .unwrap_or_default()
        } else {
            String::new()
        },
        conditions: inputs.about.conditions.clone(),
        pregnancy_weeks: inputs
            .about
            .pregnancy_weeks
            .map(|w| w.to_string())
            .unwrap_or_default(),
        date: inputs.about.today.to_string(),
        level: program.ready().map_or(1, |w| w.level),
        rest_day: today.is_some_and(|d| d.rest_day),
        items,
        minutes: sent("minutes").unwrap_or_default(),
        felt: felt_choices(&sent("felt").unwrap_or_default()),
        pain_before: scale("pain_before"),
        pain_after: scale("pain_after"),
        note: sent("note").unwrap_or_default(),
    }
}

async fn session_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<VisitorQuery>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    let user = visitor.require()?;
    user.data_key()?;
    let inputs = inputs(&state, &visitor, &q.asked()).await?;
    let (program, _) = inputs.program(k);
    let tpl = session_page(k, &visitor, &inputs, &program, None, Vec::new());
    Ok(render(&tpl)?.into_response())
}

/// The sets of today's items ticked as done, each checked against the exercise it was
/// shown for; a message per bad field, naming the exercise.
fn done_sets(week: &WeeklyProgram<'_>, r: &mut Reader<'_>) -> Vec<ExerciseSet> {
    let Some(day) = week.today() else {
        return Vec::new();
    };
    let mut sets = Vec::new();
    for (i, p) in day.items.iter().enumerate() {
        if !r.fields.has("done", &i.to_string()) {
            continue;
        }
        let name = &p.exercise.name;
        if r.fields.one(&format!("exercise_{i}")) != p.exercise.id {
            r.errors.push(format!(
                "Exercises: today's program changed since this form was shown (item {} is now {name}). Check the ticks and numbers, then send it again.",
                i + 1
            ));
            continue;
        }
        let label = |what: &str| format!("{name} ({what})");
        let count = r
            .parse::<u32>(&format!("sets_{i}"), &label("sets"))
            .unwrap_or(p.sets);
        if !(1..=20).contains(&count) {
            r.errors.push(format!(
                "{}: {count} is not a number of sets from 1 to 20 (untick the exercise if you did not do it).",
                label("sets")
            ));
            continue;
        }
        let reps = r.parse::<u32>(&format!("reps_{i}"), &label("repetitions"));
        if let Some(n) = reps
            && n > MAX_SET_REPS
        {
            r.errors.push(format!(
                "{}: {n} is more than {MAX_SET_REPS}.",
                label("repetitions")
            ));
            continue;
        }
        let hold_s = r.parse::<u32>(&format!("hold_s_{i}"), &label("hold in seconds"));
        if let Some(h) = hold_s
            && h > MAX_SET_HOLD_S
        {
            r.errors.push(format!(
                "{}: {h} is more than {MAX_SET_HOLD_S} seconds.",
                label("hold")
            ));
            continue;
        }
        for _ in 0..count {
            sets.push(ExerciseSet {
                exercise: p.exercise.id.clone(),
                reps,
                hold_s,
                warnings: 0,
                coached: false,
                level: Some(p.level),
            });
        }
    }
    if sets.len() > MAX_SETS {
        r.errors.push(format!(
            "Sets: {} in all is more than the {MAX_SETS} one session can hold.",
            sets.len()
        ));
    }
    sets
}

/// The date a form was filled in for: the device's, when within a day of the server's.
fn posted_date(raw: &str) -> Result<Option<LocalDate>, String> {
    if raw.is_empty() {
        return Ok(None);
    }
    match clock::client_today(Some(raw), clock::server_today()) {
        Ok(d) => Ok(Some(d)),
        Err(ClientDateError::TooFar { given, server }) => Err(format!(
            "Date: {given} is more than a day from today ({server}); open today's session again."
        )),
        Err(ClientDateError::NotADate(e)) => Err(format!("Date: {e}.")),
    }
}

/// When a session was done: the device's time the form carried, else the form's date at the
/// server's time of day.
fn session_time(fields: &Fields, date: LocalDate) -> LocalDateTime {
    match fields.one("at").parse::<LocalDateTime>() {
        Ok(at) if clock::within_a_day(at, date) => at,
        _ => clock::at_server_time(date),
    }
}

/// Whether two exercise entries say the same, whenever each was stamped: a form sent again
/// after the clock moved on is the same session, not a conflict.
pub(super) fn same_session(a: &Entry, b: &Entry) -> bool {
    match (a, b) {
        (Entry::Exercise(a), Entry::Exercise(b)) => {
            let mut b = b.clone();
            b.at = a.at;
            *a == b
        }
        _ => false,
    }
}

async fn save_session(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    let fields = Fields(fields);
    visitor.verify_csrf(fields.one("csrf"))?;
    let user = visitor.require()?;
    let key = user.data_key()?;
    let date = posted_date(fields.one("date"));
    let posted_today = date.as_ref().ok().copied().flatten().map(|d| d.to_string());
    let conditions = fields.all("condition");
    let inputs = inputs(
        &state,
        &visitor,
        &Asked {
            pain_type: Some(fields.one("pain_type")),
            pain: Some(fields.one("pain")),
            conditions: &conditions,
            pregnancy_weeks: Some(fields.one("pregnancy_weeks")),
            today: posted_today.as_deref(),
        },
    )
    .await?;
    let (program, _) = inputs.program(k);
    let refuse = |status: StatusCode, errors: Vec<String>| -> Result<Response, PageError> {
        let tpl = session_page(k, &visitor, &inputs, &program, Some(&fields), errors);
        Ok((status, render(&tpl)?).into_response())
    };
    if let Err(e) = date {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, vec![e]);
    }
    let week = match &program {
        Program::Ready(week) => week,
        Program::Withheld { message, .. } => {
            return refuse(
                StatusCode::CONFLICT,
                vec![format!(
                    "The program is on hold, so nothing was saved. {message}"
                )],
            );
        }
    };
    let mut r = Reader {
        fields: &fields,
        errors: Vec::new(),
    };
    let id = r.required::<EntryId>("entry_id", "Form id");
    let minutes = r.required::<u16>("minutes", "Minutes");
    let felt = r.required::<Felt>("felt", "How your back felt");
    let pain_before = r.parse::<PainScore>("pain_before", "Back pain before");
    let pain_after = r.parse::<PainScore>("pain_after", "Back pain after");
    let note = r.note();
    let sets = done_sets(week, &mut r);
    if sets.is_empty() && r.errors.is_empty() {
        r.errors
            .push("Exercises: tick at least one exercise you did.".to_owned());
    }
    let errors = std::mem::take(&mut r.errors);
    let (Some(id), Some(minutes), Some(felt), true) = (id, minutes, felt, errors.is_empty()) else {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, errors);
    };
    let mut names: Vec<&str> = Vec::new();
    for s in &sets {
        let name = k
            .exercise(&s.exercise)
            .map_or(s.exercise.as_str(), |e| e.name.as_str());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut what = format!(
        "Exercise program, level {}: {}",
        week.level,
        names.join(", ")
    );
    if what.chars().count() > 200 {
        what = what.chars().take(199).collect::<String>() + "…";
    }
    let entry = Entry::Exercise(Exercise {
        id,
        at: session_time(&fields, inputs.about.today),
        what,
        minutes,
        felt,
        pain_before,
        pain_after,
        note,
        sets,
    });
    match journal::create(
        &state.store,
        k,
        &user.id,
        key,
        &entry,
        spinewise_app::accounts::now(),
    )
    .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/move?saved=session&{}", inputs.query())).into_response())
        }
        Err(JournalError::Invalid(e)) => refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![format!("{}: {}.", e.field, e.message)],
        ),
        Err(JournalError::Conflict(_)) => {
            if let Some(stored) = journal::get(&state.store, &user.id, key, entry.id()).await?
                && same_session(&stored, &entry)
            {
                return Ok(
                    Redirect::to(&format!("/move?saved=session&{}", inputs.query()))
                        .into_response(),
                );
            }
            // A fresh id, so that sending the form again makes a new entry.
            let fields = fields.without("entry_id");
            let tpl = session_page(
                k,
                &visitor,
                &inputs,
                &program,
                Some(&fields),
                vec![CONFLICT_MESSAGE.to_owned()],
            );
            Ok((StatusCode::CONFLICT, render(&tpl)?).into_response())
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
