//! The journal's pages: the overview with its pain chart and the next-morning question, one
//! short form per kind of entry (built to be filled in on a phone in under half a minute),
//! insights, export, import and deletion.
//!
//! Each form carries a fresh entry id in a hidden field, so that sending it twice (a double
//! tap, a reload after a timeout) writes one entry. A form with a bad value comes back with
//! what was typed and a message naming the field; nothing is written.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use serde::Deserialize;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::{
    DailyCheckIn, Entry, EntryId, Exercise, Intimacy, Journal, LocalDate, LocalDateTime, Peg,
    Rating, export,
};
use spinewise_domain::safety::{Circumstances, Given, Saved};
use spinewise_domain::vocab::{EntryKind, Felt, PainScore, Preparation};
use spinewise_domain::words::count;
use spinewise_vault::DataKey;

use super::charts;
use super::circumstances;
use super::form::{CONFLICT_MESSAGE, Fields, Reader, capitalise};
use super::views::Page;
use super::views::render;
use crate::server::auth::{SignedIn, Visitor};
use crate::server::error::AppError;
use crate::server::error::PageError;
use crate::server::state::AppState;
use spinewise_app::accounts;
use spinewise_app::clock::{self, server_today as today};
use spinewise_app::dto::{self, TriageDto};
use spinewise_app::journal::{self, Created, JournalError};
use spinewise_app::partner;
use spinewise_app::profile;

/// How many recent entries the overview lists.
const RECENT: usize = 30;
/// How many days the overview's chart covers.
const CHART_DAYS: i64 = 90;

/// The journal's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/journal", get(overview))
        .route("/journal/log/{kind}", get(log_form).post(log_entry))
        .route("/journal/next-day", post(next_day))
        .route(
            "/journal/entries/{id}/delete",
            get(confirm_delete).post(delete_entry),
        )
        .route("/journal/delete", post(delete_all))
        .route(
            "/journal/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(
                crate::server::api::IMPORT_LIMIT_BYTES,
            )),
        )
}

/// The signed-in user and their unlocked data key, or the reason there is none.
fn unlocked(visitor: &Visitor) -> Result<(&SignedIn, &DataKey), AppError> {
    let user = visitor.require()?;
    Ok((user, user.data_key()?))
}

fn now_local() -> LocalDateTime {
    clock::server_now()
}

fn new_entry_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

// ---------------------------------------------------------------------------------------------
// The overview
// ---------------------------------------------------------------------------------------------

struct EntryRow {
    id: String,
    when: String,
    kind: &'static str,
    summary: String,
}

struct Awaiting {
    id: String,
    when: String,
    positions: String,
}

#[derive(Template)]
#[template(path = "journal.html")]
struct OverviewTpl {
    page: Page,
    server_today: String,
    message: Option<String>,
    error: Option<String>,
    demo: bool,
    awaiting: Vec<Awaiting>,
    peg_due: bool,
    scale: Vec<u8>,
    chart: charts::Chart,
    chart_rows: Vec<(String, String, String)>,
    recent: Vec<EntryRow>,
    /// How many entries, in words ("1 entry", "3 entries").
    total: String,
    /// How full the journal is: "1,234 of 50,000 entries, 0.4 of 64 MiB".
    usage: String,
    kinds: Vec<(&'static str, &'static str)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OverviewQuery {
    /// The person's own date, from their device (the server knows only UTC).
    today: Option<String>,
    saved: Option<String>,
    deleted: Option<String>,
    imported: Option<u64>,
}

fn when(entry: &Entry) -> String {
    match entry {
        Entry::Daily(_) | Entry::Peg(_) => entry.date().to_string(),
        _ => entry.when().to_string().replace('T', " "),
    }
}

/// The chart of the `days_back` days up to `to`: daily pain, intimacy and exercise, with
/// `bands` (such as flare-ups) shaded.
pub fn pain_chart(
    journal: &Journal,
    to: LocalDate,
    days_back: i64,
    bands: &[charts::Band],
) -> (charts::Chart, Vec<(String, String, String)>) {
    let from = to.0 - time::Duration::days(days_back - 1);
    let days = journal.days();
    let points: Vec<charts::PainPoint> = days
        .range(LocalDate(from)..=to)
        .filter_map(|(d, day)| day.pain().map(|pain| charts::PainPoint { date: d.0, pain }))
        .collect();
    let mut marks = Vec::new();
    for entry in journal.entries() {
        let date = entry.date().0;
        if date < from || date > to.0 {
            continue;
        }
        match entry {
            Entry::Intimacy(log) => marks.push(charts::Mark {
                date,
                kind: charts::MarkKind::Intimacy {
                    flared: journal.outcome(log, &days).flared(),
                },
            }),
            Entry::Exercise(_) => marks.push(charts::Mark {
                date,
                kind: charts::MarkKind::Exercise,
            }),
            _ => {}
        }
    }
    let chart = charts::pain_over_time("pain", from, to.0, &points, &marks, bands);
    let rows = charts::table_rows_pain(&points, &marks);
    (chart, rows)
}

async fn overview(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<OverviewQuery>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    let (user, key) = match unlocked(&visitor) {
        Ok(u) => u,
        Err(AppError::Unauthorized) => return Ok(Redirect::to("/login").into_response()),
        Err(e) => return Err(e.into()),
    };
    let journal = journal::load(&state.store, &user.id, key).await?;
    let usage = state.store.journal_usage(&user.id).await?;
    let server_today = today();
    let today = q
        .today
        .as_deref()
        .map_or(Ok(server_today), |d| {
            clock::client_today(Some(d), server_today)
        })
        .map_err(|e| AppError::field("today", e))?;
    let message = match (&q.saved, &q.deleted, q.imported) {
        (Some(asked), _, _) if asked == "intimacy-asked" => Some(
            "Intimacy saved. Your partner will be asked how their back is the next morning."
                .to_owned(),
        ),
        (Some(asked), _, _) if asked == "intimacy-not-asked" => Some(
            "Intimacy saved. Your partner could not be asked: you are no longer linked.".to_owned(),
        ),
        (Some(kind), _, _) => Some(match kind.parse::<EntryKind>() {
            Ok(kind) => format!("{} saved.", kind.label()),
            Err(_) => "Saved.".to_owned(),
        }),
        (_, Some(what), _) if what == "all" => Some("Your whole journal was deleted.".to_owned()),
        (_, Some(_), _) => Some("The entry was deleted.".to_owned()),
        (_, _, Some(n)) => Some(format!("{} imported.", count(n, "entry", "entries"))),
        _ => None,
    };
    let awaiting = journal
        .awaiting_next_day(today)
        .into_iter()
        .map(|log| Awaiting {
            id: log.id.to_string(),
            when: log.at.to_string().replace('T', " "),
            positions: journal::position_names(k, &log.positions),
        })
        .collect();
    // The PEG is weekly: ask when the last one is a week old (or there is none yet).
    let peg_due = journal
        .peg()
        .last()
        .is_none_or(|p| (today.0 - p.date.0).whole_days() >= 7);
    let (chart, chart_rows) = pain_chart(&journal, today, CHART_DAYS, &[]);
    let recent = journal
        .entries()
        .iter()
        .rev()
        .take(RECENT)
        .map(|e| EntryRow {
            id: e.id().to_string(),
            when: when(e),
            kind: e.kind().label(),
            summary: journal::summary(k, e),
        })
        .collect();
    let page = Page::new(k, &visitor, "Your journal", "journal");
    let server_today = today.to_string();
    Ok(render(&OverviewTpl {
        page,
        server_today,
        message,
        error: None,
        demo: user.demo,
        awaiting,
        peg_due,
        scale: (0..=PainScore::MAX).collect(),
        chart,
        chart_rows,
        recent,
        total: count(journal.len(), "entry", "entries"),
        usage: journal::usage_words(&usage, &state.store.journal_quota()),
        kinds: EntryKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
    })?
    .into_response())
}

// ---------------------------------------------------------------------------------------------
// The forms
// ---------------------------------------------------------------------------------------------

/// A 0–10 (or 1–5) row of radio buttons.
struct Scale {
    name: &'static str,
    legend: String,
    low: &'static str,
    high: &'static str,
    values: Vec<(u8, bool)>,
    required: bool,
    /// A value is chosen (an optional scale then shows unfolded).
    given: bool,
}

fn scale(
    fields: &Fields,
    name: &'static str,
    legend: impl Into<String>,
    (min, max): (u8, u8),
    (low, high): (&'static str, &'static str),
    required: bool,
) -> Scale {
    let chosen = fields.one(name);
    Scale {
        name,
        legend: legend.into(),
        low,
        high,
        values: (min..=max).map(|v| (v, chosen == v.to_string())).collect(),
        required,
        given: !chosen.is_empty(),
    }
}

struct Choice {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "journal_form.html")]
struct FormTpl {
    page: Page,
    kind: &'static str,
    heading: &'static str,
    intro: &'static str,
    entry_id: String,
    errors: Vec<String>,
    /// `at` (date and time) or `date`.
    time_field: &'static str,
    time_value: String,
    /// The positions shown at once: the person's recent ones, then their plan's best.
    positions: Vec<Choice>,
    /// The other positions, folded (open when one of them is ticked).
    more_positions: Vec<Choice>,
    more_positions_open: bool,
    /// The symptoms are folded unless one is ticked.
    symptoms_open: bool,
    preparation: Vec<Choice>,
    symptoms: Vec<Choice>,
    more_symptoms: Vec<Choice>,
    scales: Vec<Scale>,
    stopped_early: bool,
    sleep_hours: String,
    what: String,
    minutes: String,
    felt: Vec<Choice>,
    note: String,
    /// Whether the account is linked with a partner, who can be asked about the next morning.
    partner_linked: bool,
    /// Whether "ask my partner" is ticked.
    ask_partner: bool,
}

/// The symptoms an intimacy log asks about first: those that belong to sex itself.
const SEX_SYMPTOMS: &[&str] = &[
    "bleeding-after-sex",
    "pelvic-pain",
    "pain-during-sex",
    "unusual-discharge",
    "sudden-severe-headache",
    "severe-sudden-pelvic-pain",
];

/// How many positions the intimacy form shows before "More positions".
const POSITIONS_SHOWN: usize = 6;

fn form_page(
    k: &'static Knowledge,
    visitor: &Visitor,
    kind: EntryKind,
    fields: &Fields,
    errors: Vec<String>,
    preferred: &[String],
) -> FormTpl {
    let entry_id = match fields.one("entry_id") {
        "" => new_entry_id(),
        id => id.to_owned(),
    };
    let pain = |name, legend: &str, required| {
        scale(
            fields,
            name,
            legend,
            (0, PainScore::MAX),
            ("no pain", "worst imaginable"),
            required,
        )
    };
    let choices = |name: &str, items: Vec<(String, String)>| -> Vec<Choice> {
        items
            .into_iter()
            .map(|(value, label)| Choice {
                checked: fields.has(name, &value),
                value,
                label,
            })
            .collect()
    };
    let mut tpl = FormTpl {
        page: Page::new(k, visitor, kind.label(), "journal"),
        kind: kind.as_str(),
        heading: "",
        intro: "",
        entry_id,
        errors,
        time_field: "at",
        time_value: fields.one("at").to_owned(),
        positions: Vec::new(),
        more_positions: Vec::new(),
        more_positions_open: false,
        symptoms_open: false,
        preparation: Vec::new(),
        symptoms: Vec::new(),
        more_symptoms: Vec::new(),
        scales: Vec::new(),
        stopped_early: fields.has("stopped_early", "yes"),
        sleep_hours: fields.one("sleep_hours").to_owned(),
        what: fields.one("what").to_owned(),
        minutes: fields.one("minutes").to_owned(),
        felt: Vec::new(),
        note: fields.one("note").to_owned(),
        partner_linked: false,
        ask_partner: fields.has("ask_partner", "yes"),
    };
    if tpl.time_value.is_empty() {
        tpl.time_value = now_local().to_string();
    }
    match kind {
        EntryKind::Intimacy => {
            tpl.heading = "Log intimacy";
            tpl.intro = "Only for you: it is encrypted, and it is how spinewise learns what suits your back. \
                         Tomorrow morning you will be asked how your back feels.";
            // The person's order: their recent positions and their plan's best first.
            let mut ordered: Vec<&spinewise_domain::knowledge::Position> = preferred
                .iter()
                .filter_map(|id| k.position(id).ok())
                .collect();
            for p in &k.positions {
                if !ordered.iter().any(|o| o.id == p.id) {
                    ordered.push(p);
                }
            }
            let mut all = choices(
                "position",
                ordered
                    .iter()
                    .map(|p| (p.id.clone(), p.name.clone()))
                    .collect(),
            );
            tpl.more_positions = all.split_off(POSITIONS_SHOWN.min(all.len()));
            tpl.more_positions_open = tpl.more_positions.iter().any(|c| c.checked);
            tpl.positions = all;
            tpl.preparation = choices(
                "preparation",
                Preparation::ALL
                    .iter()
                    .map(|p| (p.as_str().to_owned(), capitalise(p.label())))
                    .collect(),
            );
            let (first, rest): (Vec<_>, Vec<_>) = k
                .symptoms
                .iter()
                .map(|s| (s.id.clone(), s.question.clone()))
                .partition(|(id, _)| SEX_SYMPTOMS.contains(&id.as_str()));
            tpl.symptoms = choices("symptom", first);
            tpl.more_symptoms = choices("symptom", rest);
            tpl.symptoms_open = tpl
                .symptoms
                .iter()
                .chain(&tpl.more_symptoms)
                .any(|c| c.checked);
            tpl.scales = vec![
                pain("pain_before", "Back pain just before", true),
                pain(
                    "pain_during",
                    "The worst back pain during (optional)",
                    false,
                ),
                pain("pain_after", "Back pain right after", true),
            ];
        }
        EntryKind::Daily => {
            tpl.heading = "Daily check-in";
            tpl.intro = "A few taps, morning or evening: whatever you leave out stays as it was.";
            tpl.time_field = "date";
            tpl.time_value = match fields.one("date") {
                "" => today().to_string(),
                d => d.to_owned(),
            };
            let rating =
                |name, legend: &str, ends| scale(fields, name, legend, (1, 5), ends, false);
            tpl.scales = vec![
                pain("pain_morning", "Back pain on getting up", false),
                pain("pain_evening", "Back pain this evening", false),
                rating(
                    "sleep_quality",
                    "How well did you sleep?",
                    ("badly", "very well"),
                ),
                rating("mood", "Your mood", ("very low", "very good")),
                rating("stress", "Your stress", ("none", "overwhelming")),
            ];
        }
        EntryKind::Peg => {
            tpl.heading = "Weekly PEG";
            tpl.intro = "PEG stands for Pain, Enjoyment of life and General activity: three questions about the past week, each from 0 to 10. Their average is one number that shows, week by week, how much your back gets in the way of your life (Krebs et al. 2009); Insights follow its trend.";
            tpl.time_field = "date";
            tpl.time_value = match fields.one("date") {
                "" => today().to_string(),
                d => d.to_owned(),
            };
            tpl.scales = vec![
                scale(
                    fields,
                    "pain",
                    "What number best describes your pain on average in the past week?",
                    (0, PainScore::MAX),
                    ("no pain", "pain as bad as you can imagine"),
                    true,
                ),
                scale(
                    fields,
                    "enjoyment",
                    "What number best describes how, during the past week, pain has interfered with your enjoyment of life?",
                    (0, PainScore::MAX),
                    ("does not interfere", "completely interferes"),
                    true,
                ),
                scale(
                    fields,
                    "activity",
                    "What number best describes how, during the past week, pain has interfered with your general activity?",
                    (0, PainScore::MAX),
                    ("does not interfere", "completely interferes"),
                    true,
                ),
            ];
        }
        EntryKind::Exercise => {
            tpl.heading = "Log exercise";
            tpl.intro = "What you did and how your back took it.";
            tpl.felt = choices(
                "felt",
                Felt::ALL
                    .iter()
                    .map(|f| (f.as_str().to_owned(), capitalise(f.as_str())))
                    .collect(),
            );
            tpl.scales = vec![
                pain("pain_before", "Back pain before (optional)", false),
                pain("pain_after", "Back pain after (optional)", false),
            ];
        }
        EntryKind::Assessment => {}
    }
    tpl
}

fn loggable(kind: &str) -> Result<EntryKind, AppError> {
    match kind.parse::<EntryKind>() {
        Ok(EntryKind::Assessment) | Err(_) => Err(AppError::NotFound(format!(
            "there is no journal form '{kind}' (expected one of: intimacy, daily, peg, exercise)"
        ))),
        Ok(k) => Ok(k),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FormQuery {
    date: Option<String>,
}

async fn log_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(kind): Path<String>,
    Query(q): Query<FormQuery>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    let kind = loggable(&kind)?;
    let (user, key) = match unlocked(&visitor) {
        Ok(u) => u,
        Err(AppError::Unauthorized) => return Ok(Redirect::to("/login").into_response()),
        Err(e) => return Err(e.into()),
    };
    let mut fields = Fields(Vec::new());
    // The device's date, when its script asks for it.
    let date = q
        .date
        .as_deref()
        .map_or(Ok(today()), |d| clock::client_today(Some(d), today()))
        .map_err(|e| AppError::field("date", e))?;
    if matches!(kind, EntryKind::Daily | EntryKind::Peg) {
        fields.0.push(("date".to_owned(), date.to_string()));
    }
    if kind == EntryKind::Daily {
        // A day has one check-in: the form shows what is already there.
        if let Some(d) = journal::day_check_in(&state.store, &user.id, key, date).await? {
            fields.0.extend(daily_fields(&d));
        }
    }
    let (preferred, linked) = if kind == EntryKind::Intimacy {
        (
            preferred_positions(&state, &user.id, key).await?,
            partner::is_linked(&state.store, &user.id).await?,
        )
    } else {
        (Vec::new(), false)
    };
    let mut page = form_page(k, &visitor, kind, &fields, Vec::new(), &preferred);
    page.partner_linked = linked;
    Ok(render(&page)?.into_response())
}

/// The positions a person is most likely to log: those of their recent logs, most recent
/// first, then their plan's order when their profile has a pain type and role.
async fn preferred_positions(
    state: &AppState,
    user: &spinewise_store::UserId,
    key: &DataKey,
) -> Result<Vec<String>, AppError> {
    let k = state.knowledge;
    let journal = journal::load(&state.store, user, key).await?;
    let mut ids: Vec<String> = Vec::new();
    for entry in journal.entries().iter().rev() {
        if let Entry::Intimacy(log) = entry {
            for p in &log.positions {
                if !ids.contains(p) {
                    ids.push(p.clone());
                }
            }
        }
        if ids.len() >= POSITIONS_SHOWN {
            break;
        }
    }
    let profile = profile::load(&state.store, user, key).await?;
    if let Ok(request) = spinewise_app::journal_dto::plan_request(profile.as_ref())
        && let Ok(request) = request.validate(k)
        && let Ok(plan) = spinewise_domain::recommend::recommend(k, &request)
    {
        for p in &plan.positions {
            if !ids.contains(&p.position.id) {
                ids.push(p.position.id.clone());
            }
        }
    }
    Ok(ids)
}

fn daily_fields(d: &DailyCheckIn) -> Vec<(String, String)> {
    let mut f = Vec::new();
    let mut push = |name: &str, v: Option<String>| {
        if let Some(v) = v {
            f.push((name.to_owned(), v));
        }
    };
    push(
        "pain_morning",
        d.pain_morning.map(|p| p.value().to_string()),
    );
    push(
        "pain_evening",
        d.pain_evening.map(|p| p.value().to_string()),
    );
    push("sleep_hours", d.sleep_hours.map(|h| h.to_string()));
    push(
        "sleep_quality",
        d.sleep_quality.map(|r| r.value().to_string()),
    );
    push("mood", d.mood.map(|r| r.value().to_string()));
    push("stress", d.stress.map(|r| r.value().to_string()));
    push("note", d.note.clone());
    f
}

/// Builds the entry a form describes, or says what is wrong with it.
fn entry_from(
    kind: EntryKind,
    fields: &Fields,
    existing_daily: Option<DailyCheckIn>,
    daily_id: impl Fn(LocalDate) -> EntryId,
) -> Result<Entry, Vec<String>> {
    let mut r = Reader {
        fields,
        errors: Vec::new(),
    };
    let id = r.required::<EntryId>("entry_id", "Entry id");
    let entry = match kind {
        EntryKind::Intimacy => {
            let at = r.required::<LocalDateTime>("at", "When");
            let preparation = fields
                .all("preparation")
                .iter()
                .filter_map(|p| match p.parse::<Preparation>() {
                    Ok(p) => Some(p),
                    Err(e) => {
                        r.errors.push(format!("Preparation: {e}."));
                        None
                    }
                })
                .collect();
            let pain_before = r.required::<PainScore>("pain_before", "Back pain just before");
            let pain_during = r.parse::<PainScore>("pain_during", "Back pain during");
            let pain_after = r.required::<PainScore>("pain_after", "Back pain right after");
            match (id, at, pain_before, pain_after) {
                (Some(id), Some(at), Some(pain_before), Some(pain_after)) => {
                    Some(Entry::Intimacy(Intimacy {
                        id,
                        at,
                        positions: fields.all("position"),
                        preparation,
                        pain_before,
                        pain_during,
                        pain_after,
                        stopped_early: fields.has("stopped_early", "yes"),
                        symptoms: fields.all("symptom"),
                        next_day_pain: None,
                        note: r.note(),
                    }))
                }
                _ => None,
            }
        }
        EntryKind::Daily => {
            let date = r.required::<LocalDate>("date", "Date");
            let hours = r.parse::<f64>("sleep_hours", "Hours slept");
            let mut day = existing_daily.unwrap_or(DailyCheckIn {
                id: daily_id(date.unwrap_or(today())),
                date: date.unwrap_or(today()),
                pain_morning: None,
                pain_evening: None,
                sleep_hours: None,
                sleep_quality: None,
                mood: None,
                stress: None,
                note: None,
            });
            // What is left blank stays as it was.
            day.pain_morning = r
                .parse::<PainScore>("pain_morning", "Pain on getting up")
                .or(day.pain_morning);
            day.pain_evening = r
                .parse::<PainScore>("pain_evening", "Pain this evening")
                .or(day.pain_evening);
            day.sleep_hours = hours.or(day.sleep_hours);
            day.sleep_quality = r
                .parse::<Rating>("sleep_quality", "Sleep")
                .or(day.sleep_quality);
            day.mood = r.parse::<Rating>("mood", "Mood").or(day.mood);
            day.stress = r.parse::<Rating>("stress", "Stress").or(day.stress);
            day.note = r.note().or(day.note);
            date.map(|_| Entry::Daily(day))
        }
        EntryKind::Peg => {
            let date = r.required::<LocalDate>("date", "Date");
            let pain = r.required::<PainScore>("pain", "Average pain");
            let enjoyment = r.required::<PainScore>("enjoyment", "Enjoyment of life");
            let activity = r.required::<PainScore>("activity", "General activity");
            match (id, date, pain, enjoyment, activity) {
                (Some(id), Some(date), Some(pain), Some(enjoyment), Some(activity)) => {
                    Some(Entry::Peg(Peg {
                        id,
                        date,
                        pain,
                        enjoyment,
                        activity,
                    }))
                }
                _ => None,
            }
        }
        EntryKind::Exercise => {
            let at = r.required::<LocalDateTime>("at", "When");
            let minutes = r.required::<u16>("minutes", "Minutes");
            let felt = r.required::<Felt>("felt", "How your back felt");
            let pain_before = r.parse::<PainScore>("pain_before", "Pain before");
            let pain_after = r.parse::<PainScore>("pain_after", "Pain after");
            let what = fields.one("what").to_owned();
            if what.is_empty() {
                r.errors.push("What you did: please say.".to_owned());
            }
            match (id, at, minutes, felt) {
                (Some(id), Some(at), Some(minutes), Some(felt)) if !what.is_empty() => {
                    Some(Entry::Exercise(Exercise {
                        id,
                        at,
                        what,
                        minutes,
                        felt,
                        pain_before,
                        pain_after,
                        note: r.note(),
                        sets: Vec::new(),
                    }))
                }
                _ => None,
            }
        }
        EntryKind::Assessment => None,
    };
    match entry {
        Some(e) if r.errors.is_empty() => Ok(e),
        _ => Err(r.errors),
    }
}

/// A human label for a field an entry's validation names.
fn field_label(field: &str) -> String {
    let base = field.split('[').next().unwrap_or(field);
    let label = match base {
        "at" => "When",
        "date" => "Date",
        "positions" => "Positions",
        "symptoms" => "Symptoms",
        "preparation" => "Preparation",
        "sleep_hours" => "Hours slept",
        "minutes" => "Minutes",
        "what" => "What you did",
        "note" => "Note",
        "pain_morning" => "Check-in",
        _ => "Entry",
    };
    label.to_owned()
}

#[derive(Template)]
#[template(path = "journal_saved.html")]
struct SavedTpl {
    page: Page,
    triage: TriageDto,
}

async fn log_entry(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(kind): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    let fields = Fields(fields);
    visitor.verify_csrf(fields.one("csrf"))?;
    let kind = loggable(&kind)?;
    let (user, key) = unlocked(&visitor)?;
    let existing_daily = if kind == EntryKind::Daily {
        match fields.one("date").parse::<LocalDate>() {
            Ok(date) => journal::day_check_in(&state.store, &user.id, key, date).await?,
            Err(_) => None,
        }
    } else {
        None
    };
    let linked = kind == EntryKind::Intimacy && partner::is_linked(&state.store, &user.id).await?;
    // The form again, as it was sent, with what went wrong.
    let again = |fields: &Fields, errors: Vec<String>| {
        let mut page = form_page(k, &visitor, kind, fields, errors, &[]);
        page.partner_linked = linked;
        page
    };
    let refuse = |errors: Vec<String>| -> Result<Response, PageError> {
        Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&again(&fields, errors))?,
        )
            .into_response())
    };
    let entry = match entry_from(kind, &fields, existing_daily, |d| journal::daily_id(key, d)) {
        Ok(e) => e,
        Err(errors) => return refuse(errors),
    };
    // A log's symptoms are judged as every feature judges them: with the saved conditions
    // (bleeding in pregnancy is more urgent than bleeding otherwise) and the red flags the
    // journal held before this entry (a combination across days is caught). Read before
    // writing, so that a failure to read leaves nothing written.
    // What cannot be read is left out (and logged, without its content): it never stops the
    // entry or its answer.
    let before = match &entry {
        Entry::Intimacy(log) if !log.symptoms.is_empty() => Some(
            match circumstances::inputs(&state, &visitor, &circumstances::Asked::default()).await {
                Ok(inputs) => inputs.about,
                Err(_) => {
                    // The error may name a condition: not logged.
                    tracing::warn!(
                        "a log's symptoms were judged without the profile and the journal, which could not be read"
                    );
                    Circumstances::gather(
                        k,
                        Given::default(),
                        Saved::default(),
                        Journal::default(),
                        today(),
                    )
                    .map_err(|e| AppError::field("condition", e))?
                }
            },
        ),
        _ => None,
    };
    let now = accounts::now();
    let written = match &entry {
        // A day's check-in is one entry, replaced as the day goes on.
        Entry::Daily(_) => journal::put(&state.store, k, &user.id, key, &entry, now)
            .await
            .map(|()| Created::New),
        _ => journal::create(&state.store, k, &user.id, key, &entry, now).await,
    };
    match written {
        Ok(_) => {}
        Err(JournalError::Invalid(e)) => {
            return refuse(vec![format!("{}: {}.", field_label(&e.field), e.message)]);
        }
        Err(JournalError::Conflict(_)) => {
            // A fresh id, so that sending the form again makes a new entry.
            let fields = fields.without("entry_id");
            let page = again(&fields, vec![CONFLICT_MESSAGE.to_owned()]);
            return Ok((StatusCode::CONFLICT, render(&page)?).into_response());
        }
        Err(e @ JournalError::Full { .. }) => {
            // What was typed stays, so that nothing is lost while room is made.
            let page = again(&fields, vec![capitalise(&e.to_string())]);
            return Ok((StatusCode::INSUFFICIENT_STORAGE, render(&page)?).into_response());
        }
        Err(e) => return Err(AppError::from(e).into()),
    }
    let asked = match &entry {
        Entry::Intimacy(log) if linked && fields.has("ask_partner", "yes") => {
            ask_partner(&state, &user.id, key, log).await
        }
        _ => Question::NotAsked,
    };
    // A symptom with a red-flag level is answered at once, before anything else.
    if let (Entry::Intimacy(log), Some(before)) = (&entry, &before) {
        let flags = before
            .red_flags_with(k, &log.symptoms)
            .map_err(|e| AppError::field("symptom", e))?;
        let dto = dto::CheckDto::with_noted(k, &flags.triage, &flags.noted);
        return Ok(render(&SavedTpl {
            page: Page::new(
                k,
                &visitor,
                "Saved: about the symptoms you noted",
                "journal",
            ),
            triage: dto.triage,
        })?
        .into_response());
    }
    let saved = match asked {
        Question::Asked => "intimacy-asked",
        Question::LinkEnded => "intimacy-not-asked",
        Question::NotAsked => kind.as_str(),
    };
    Ok(Redirect::to(&format!("/journal?saved={saved}")).into_response())
}

/// Whether a new log's "ask my partner" reached the partner.
enum Question {
    NotAsked,
    Asked,
    /// The link ended between the form and the log: the entry is saved, nobody was asked.
    LinkEnded,
}

/// Asks the partner how their back is the morning after `log`, which is already saved: the
/// entry stands whatever happens here.
async fn ask_partner(
    state: &AppState,
    user: &spinewise_store::UserId,
    key: &DataKey,
    log: &Intimacy,
) -> Question {
    match partner::ask_next_morning(
        &state.store,
        user,
        key,
        log.id.as_str(),
        log.at.date(),
        accounts::now(),
    )
    .await
    {
        Ok(_) => Question::Asked,
        // The same form sent twice: the first already asked.
        Err(AppError::Conflict { .. }) => Question::Asked,
        Err(AppError::NotFound(_)) => Question::LinkEnded,
        Err(_) => {
            // Nothing of the entry goes into the log.
            tracing::warn!("a logged occasion could not be asked about");
            Question::LinkEnded
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The next morning, deletion, import
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NextDayForm {
    csrf: String,
    id: String,
    pain: String,
}

async fn next_day(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<NextDayForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let (user, key) = unlocked(&visitor)?;
    let id = form
        .id
        .parse::<EntryId>()
        .map_err(|e| AppError::field("id", e))?;
    let pain = form
        .pain
        .parse::<PainScore>()
        .map_err(|e| AppError::field("pain", format!("Pain this morning: {e}")))?;
    let Some(Entry::Intimacy(mut log)) = journal::get(&state.store, &user.id, key, &id).await?
    else {
        return Err(AppError::NotFound(format!("there is no intimacy entry '{id}'")).into());
    };
    log.next_day_pain = Some(pain);
    journal::put(
        &state.store,
        state.knowledge,
        &user.id,
        key,
        &Entry::Intimacy(log),
        accounts::now(),
    )
    .await
    .map_err(AppError::from)?;
    Ok(Redirect::to("/journal?saved=intimacy").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CsrfForm {
    csrf: String,
    confirm: String,
}

#[derive(Template)]
#[template(path = "journal_delete.html")]
struct DeleteTpl {
    page: Page,
    id: String,
    kind: &'static str,
    when: String,
    summary: String,
}

/// Asks before deleting an entry: what it is, and a button that deletes it.
async fn confirm_delete(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    let (user, key) = match unlocked(&visitor) {
        Ok(u) => u,
        Err(AppError::Unauthorized) => return Ok(Redirect::to("/login").into_response()),
        Err(e) => return Err(e.into()),
    };
    let id = id
        .parse::<EntryId>()
        .map_err(|e| AppError::field("id", e))?;
    let journal = journal::load(&state.store, &user.id, key).await?;
    let Some(entry) = journal.entries().iter().find(|e| e.id() == &id) else {
        return Err(AppError::NotFound(format!("there is no entry '{id}' in your journal")).into());
    };
    Ok(render(&DeleteTpl {
        page: Page::new(k, &visitor, "Delete this entry?", "journal"),
        id: id.to_string(),
        kind: entry.kind().label(),
        when: when(entry),
        summary: journal::summary(k, entry),
    })?
    .into_response())
}

async fn delete_entry(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let user = visitor.require()?;
    let id = id
        .parse::<EntryId>()
        .map_err(|e| AppError::field("id", e))?;
    if !journal::delete(&state.store, &user.id, user.data_key()?, &id).await? {
        return Err(AppError::NotFound(format!("there is no entry '{id}' in your journal")).into());
    }
    Ok(Redirect::to("/journal?deleted=1").into_response())
}

async fn delete_all(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let user = visitor.require()?;
    if form.confirm != "yes" {
        return Err(AppError::field(
            "confirm",
            "tick the box to confirm that the whole journal should be deleted",
        )
        .into());
    }
    journal::delete_all(
        &state.store,
        &user.id,
        user.data_key().ok(),
        accounts::now(),
    )
    .await?;
    Ok(Redirect::to("/journal?deleted=all").into_response())
}

/// Reads the import form: the CSRF token, the file and whether to replace.
async fn read_import(mut multipart: Multipart) -> Result<(String, Vec<u8>, bool), AppError> {
    let mut csrf = String::new();
    let mut file = Vec::new();
    let mut replace = false;
    let failed = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge {
                limit: crate::server::api::IMPORT_LIMIT_BYTES,
            }
        } else {
            AppError::Malformed(e.body_text())
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(failed)? {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(failed)?;
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => file = bytes.to_vec(),
            "replace" => replace = bytes.as_ref() == b"yes",
            _ => {}
        }
    }
    Ok((csrf, file, replace))
}

async fn import(
    State(state): State<AppState>,
    visitor: Visitor,
    multipart: Multipart,
) -> Result<Response, PageError> {
    // Only a signed-in person with an open journal gets to upload anything.
    let (user, key) = unlocked(&visitor)?;
    let (csrf, file, replace) = read_import(multipart).await?;
    visitor.verify_csrf(&csrf)?;
    accounts::admit_import(&state.store, &user.id, state.imports_per_hour).await?;
    if file.is_empty() {
        return Err(
            AppError::field("file", "choose a journal file exported from spinewise").into(),
        );
    }
    let document = export::Document::parse(&file)
        .map_err(|e| AppError::field(format!("file: {}", e.field), e.message))?;
    let n = journal::import(
        &state.store,
        state.knowledge,
        &user.id,
        key,
        &document.entries,
        replace,
        accounts::now(),
    )
    .await
    .map_err(AppError::from)?;
    Ok(Redirect::to(&format!("/journal?imported={n}")).into_response())
}
