//! The handlers of the public pages: learn, FAQ, the step-by-step assessment, the plan and
//! its printable summary, the symptom check and the sources.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use spinewise_domain::Knowledge;
use spinewise_domain::assessment::{self, Answers};
use spinewise_domain::knowledge::{FaqEntry, PainTypeInfo};
use spinewise_domain::recommend;
use spinewise_domain::safety::{self, Circumstances};

use super::circumstances;
use super::views::render;
use super::views::{AssessmentView, Page, PlanForm, PlanValues, PlanView, symptom_choices};
use crate::server::auth::Visitor;
use crate::server::error::AppError;
use crate::server::error::PageError;
use crate::server::state::AppState;
use spinewise_app::dto::{self, SourceDto, TriageDto};
use spinewise_app::profile;
use spinewise_app::requests::{PersonRequest, RecommendRequest};

/// The page for an address that leads nowhere.
pub async fn not_found() -> PageError {
    PageError(AppError::NotFound(
        "There is no page at this address.".to_owned(),
    ))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomeTpl<'k> {
    page: Page,
    tagline: &'k str,
    pain_types: Vec<&'k PainTypeInfo>,
    faq: &'k [FaqEntry],
}

pub async fn home(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Html<String>, PageError> {
    let k = state.knowledge;
    render(&HomeTpl {
        page: Page::new(k, &visitor, "Learn", "learn"),
        tagline: &k.about.tagline,
        pain_types: k
            .pain_types
            .iter()
            .filter(|t| matches!(t.id.as_str(), "flexion" | "extension" | "motion"))
            .collect(),
        faq: &k.faq,
    })
}

#[derive(Deserialize)]
pub struct FaqQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "faq.html")]
struct FaqTpl<'k> {
    page: Page,
    query: String,
    results: Vec<&'k FaqEntry>,
}

pub async fn faq(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<FaqQuery>,
) -> Result<Html<String>, PageError> {
    let k = state.knowledge;
    let q = query.q.trim().chars().take(200).collect::<String>();
    let results = k
        .search_faq(&q)
        .into_iter()
        .take(5)
        .map(|(e, _)| e)
        .collect();
    render(&FaqTpl {
        page: Page::new(k, &visitor, "Answers", "learn"),
        query: q,
        results,
    })
}

// --- the assessment, step by step ------------------------------------------------------------

/// Questions per step after the red-flag screen.
const ITEMS_PER_STEP: usize = 4;

struct Check {
    id: String,
    label: String,
    checked: bool,
}

struct Opt {
    id: String,
    label: String,
    checked: bool,
}

struct ItemView {
    id: String,
    number: usize,
    question: String,
    options: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "assess.html")]
struct AssessTpl<'k> {
    page: Page,
    step: usize,
    steps: usize,
    intro: &'k str,
    red_flag_prompt: &'k str,
    red_flags: Option<Vec<Check>>,
    items: Vec<ItemView>,
    hidden: Vec<(String, String)>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "assess_result.html")]
struct AssessResultTpl {
    page: Page,
    r: AssessmentView,
    confidence_percent: u32,
    saved: bool,
    /// Why the result was not saved although asked (a locked session).
    notice: Option<String>,
    form: PlanForm,
}

/// What a page says when the saved profile could not be read or saved: it is under the data
/// key, which this session does not hold.
const PROFILE_LOCKED: &str = "Your saved profile is locked in this session, like your journal, so it was neither read nor saved here: sign out and sign in again to use it.";

fn steps(k: &Knowledge) -> usize {
    1 + k.questionnaire.items.len().div_ceil(ITEMS_PER_STEP)
}

/// The answers carried in a posted form: `rf` for each red flag, `a.<item>` for each answer.
fn answers_from(fields: &[(String, String)]) -> Answers {
    let mut answers = Answers::default();
    for (name, value) in fields {
        if name == "rf" {
            if !answers.red_flags.contains(value) {
                answers.red_flags.push(value.clone());
            }
        } else if let Some(item) = name.strip_prefix("a.") {
            answers.answers.insert(item.to_owned(), value.clone());
        }
    }
    answers
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn assess_page<'k>(
    k: &'static Knowledge,
    visitor: &Visitor,
    step: usize,
    answers: &Answers,
    error: Option<String>,
) -> AssessTpl<'k> {
    let q = &k.questionnaire;
    let red_flags = (step == 1).then(|| {
        k.symptoms
            .iter()
            .filter(|s| s.screen_in_assessment)
            .map(|s| Check {
                id: s.id.clone(),
                label: s.question.clone(),
                checked: answers.red_flags.contains(&s.id),
            })
            .collect()
    });
    let range = if step == 1 {
        0..0
    } else {
        let start = (step - 2) * ITEMS_PER_STEP;
        start..(start + ITEMS_PER_STEP).min(q.items.len())
    };
    let items = q.items[range.clone()]
        .iter()
        .enumerate()
        .map(|(i, item)| ItemView {
            id: item.id.clone(),
            number: range.start + i + 1,
            question: item.question.clone(),
            options: item
                .options
                .iter()
                .map(|o| Opt {
                    id: o.id.clone(),
                    label: o.label.clone(),
                    checked: answers.answers.get(&item.id) == Some(&o.id),
                })
                .collect(),
        })
        .collect::<Vec<_>>();
    // Everything answered on other steps travels along in hidden fields.
    let on_page: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    let mut hidden = Vec::new();
    if step != 1 {
        hidden.extend(
            answers
                .red_flags
                .iter()
                .map(|r| ("rf".to_owned(), r.clone())),
        );
    }
    hidden.extend(
        answers
            .answers
            .iter()
            .filter(|(item, _)| !on_page.contains(&item.as_str()))
            .map(|(item, option)| (format!("a.{item}"), option.clone())),
    );
    AssessTpl {
        page: Page::new(k, visitor, "Find your pain type", "assess"),
        step,
        steps: steps(k),
        intro: &q.intro,
        red_flag_prompt: &q.red_flag_prompt,
        red_flags,
        items,
        hidden,
        error,
    }
}

pub async fn assess_start(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Html<String>, PageError> {
    render(&assess_page(
        state.knowledge,
        &visitor,
        1,
        &Answers::default(),
        None,
    ))
}

/// Adds a completed assessment to the signed-in user's journal. Its time is the server's
/// clock in UTC: the step-by-step form does not know the person's time zone.
async fn record_assessment(
    state: &AppState,
    user: &crate::server::auth::SignedIn,
    key: &spinewise_vault::DataKey,
    answers: &Answers,
) -> Result<(), AppError> {
    use spinewise_domain::journal::{AssessmentRecord, Entry, EntryId};
    let at = spinewise_app::clock::server_now();
    let id = EntryId::from_random(*uuid::Uuid::new_v4().as_bytes());
    let record = AssessmentRecord::new(state.knowledge, id, at, answers.clone())
        .map_err(|e| AppError::field(e.field, e.message))?;
    spinewise_app::journal::create(
        &state.store,
        state.knowledge,
        &user.id,
        key,
        &Entry::Assessment(record),
        spinewise_app::accounts::now(),
    )
    .await?;
    Ok(())
}

pub async fn assess_step(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    visitor.verify_csrf(field(&fields, "csrf").unwrap_or_default())?;
    let total = steps(k);
    let step = field(&fields, "step")
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|s| (1..=total).contains(s))
        .ok_or_else(|| AppError::field("step", format!("must be a step from 1 to {total}")))?;
    let answers = answers_from(&fields);
    if field(&fields, "nav") == Some("back") {
        return Ok(render(&assess_page(
            k,
            &visitor,
            step.saturating_sub(1).max(1),
            &answers,
            None,
        ))?
        .into_response());
    }

    // Red flags first: an urgent one ends the questions with the referral.
    let red_flags =
        safety::red_flags(k, &answers.red_flags, &[], &[]).map_err(|e| AppError::field("rf", e))?;
    let finished = red_flags.withholds_advice() || step == total;
    if !finished {
        // Every question on this page needs an answer before the next.
        let page = assess_page(k, &visitor, step, &answers, None);
        let unanswered: Vec<usize> = page
            .items
            .iter()
            .filter(|i| !answers.answers.contains_key(&i.id))
            .map(|i| i.number)
            .collect();
        let (next, error) = if unanswered.is_empty() {
            (step + 1, None)
        } else {
            (
                step,
                Some(format!(
                    "Please answer question{} {} before going on.",
                    if unanswered.len() > 1 { "s" } else { "" },
                    unanswered
                        .iter()
                        .map(usize::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            )
        };
        return Ok(render(&assess_page(k, &visitor, next, &answers, error))?.into_response());
    }

    let result = match assessment::assess(k, &answers) {
        Ok(r) => r,
        Err(e) => {
            let page = assess_page(k, &visitor, step, &answers, Some(format!("{e}.")));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let mut values = PlanValues::default();
    let mut saved = false;
    let mut notice = None;
    if let Some(r) = &result.result {
        if let Some(user) = visitor.user() {
            // Saved only when asked for, as with the plan.
            let save = field(&fields, "save") == Some("yes");
            match user.data_key() {
                Ok(key) => {
                    let mut profile = profile::load(&state.store, &user.id, key)
                        .await?
                        .unwrap_or_default();
                    if save {
                        profile.pain_type = Some(r.pain_type);
                        profile = profile::save(
                            &state.store,
                            &user.id,
                            key,
                            &profile,
                            spinewise_app::accounts::now(),
                        )
                        .await?;
                        saved = true;
                        // The journal keeps each saved assessment, for the person's own
                        // record and for a clinician's (as a FHIR QuestionnaireResponse).
                        record_assessment(&state, user, key, &answers).await?;
                    }
                    values = PlanValues::from_profile(&profile);
                }
                Err(_) => notice = Some(PROFILE_LOCKED.to_owned()),
            }
        }
        values.pain_type = r.pain_type.as_str().to_owned();
    }
    let view = dto::AssessmentDto::new(k, &result, saved);
    let confidence_percent = view
        .confidence
        .map_or(0, |c| (c * 100.0).round().clamp(0.0, 100.0) as u32);
    Ok(render(&AssessResultTpl {
        page: Page::new(k, &visitor, "Your result", "assess"),
        r: view,
        confidence_percent,
        saved,
        notice,
        form: PlanForm::after_assessment(k, &values, &answers.red_flags),
    })?
    .into_response())
}

// --- the plan -----------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanTpl {
    page: Page,
    form: PlanForm,
    plan: Option<PlanView>,
    error: Option<String>,
    /// What the page says beside the plan (the saved profile locked in this session).
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "plan_print.html")]
struct PlanPrintTpl {
    p: PlanView,
}

pub async fn plan_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Html<String>, PageError> {
    let k = state.knowledge;
    let mut values = PlanValues::default();
    let mut plan = None;
    let mut notice = None;
    if let Some(user) = visitor.user() {
        match user.data_key() {
            Ok(key) => {
                if let Some(profile) = profile::load(&state.store, &user.id, key).await? {
                    values = PlanValues::from_profile(&profile);
                    plan = saved_plan(&state, &visitor, &profile, &values).await?;
                }
            }
            Err(_) => notice = Some(PROFILE_LOCKED.to_owned()),
        }
    }
    render(&PlanTpl {
        page: Page::new(k, &visitor, "Your plan", "plan"),
        form: PlanForm::new(k, &values),
        plan,
        error: None,
        notice,
    })
}

/// Signed in with a saved pain type and role, the plan is there at once: worked out from the
/// profile (with the red flags the journal still holds, as everywhere), and re-ranked by what
/// the journal shows where there is evidence, each move said. `None` when the profile lacks
/// what a plan needs; the form then asks.
async fn saved_plan(
    state: &AppState,
    visitor: &Visitor,
    profile: &spinewise_store::ProfileRecord,
    values: &PlanValues,
) -> Result<Option<PlanView>, AppError> {
    let k = state.knowledge;
    let Ok(request) = spinewise_app::journal_dto::plan_request(Some(profile)) else {
        return Ok(None);
    };
    let Ok(mut request) = request.validate(k) else {
        return Ok(None);
    };
    // The saved profile and the journal, read once: the red flags the journal still holds,
    // and the evidence that reorders the positions.
    let inputs = circumstances::inputs(state, visitor, &circumstances::Asked::default()).await?;
    let about = inputs.about;
    request.noted = about.noted.clone();
    let plan = recommend::recommend(k, &request).map_err(spinewise_app::requests::request_error)?;
    let mut view = PlanView::new(k, &request, &plan, values);
    view.from_profile = true;
    if inputs.locked {
        view.journal_note = Some(
            "Your journal is locked in this session: sign in again to let it re-rank the plan."
                .to_owned(),
        );
        return Ok(Some(view));
    }
    if about.journal.is_empty() {
        return Ok(Some(view));
    }
    // The journal's evidence reorders the positions, never their verdicts.
    let found =
        spinewise_domain::journal::insights::insights(k, &about.journal, &request.you, about.today)
            .map_err(spinewise_app::requests::request_error)?;
    let personal = spinewise_domain::journal::personal::personalise(&plan, &found);
    view.reorder(&personal);
    Ok(Some(view))
}

/// The plan form's label for a field of the engine's request.
fn form_label(field: &str) -> &'static str {
    match field.split('[').next().unwrap_or(field) {
        "you.pain_type" => "What brings your pain on",
        "you.role" => "Your role",
        "you.pain_now" => "Your pain today",
        "you.conditions" => "Your conditions",
        "you.pregnancy_weeks" => "Your week of pregnancy",
        "partner.pregnancy_weeks" => "Your partner's week of pregnancy",
        "partner.pain_type" => "What brings your partner's pain on",
        "partner.role" => "Your partner's role",
        "partner.pain_now" => "Your partner's pain today",
        "partner.conditions" => "Your partner's conditions",
        "time" => "Time of day",
        "symptoms" => "Symptoms",
        _ => "The form",
    }
}

fn optional_number(field: &str, s: &str, errors: &mut Vec<String>) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    match s.parse() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(format!("{field}: '{s}' is not a whole number from 0 to 10"));
            None
        }
    }
}

fn optional_weeks(field: &str, s: &str, errors: &mut Vec<String>) -> Option<i64> {
    match spinewise_app::exercise_program::pregnancy_weeks(Some(s), field) {
        Ok(w) => w.map(i64::from),
        Err(e) => {
            errors.push(format!("{field}: {}", e.detail));
            None
        }
    }
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

pub async fn plan(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(values): Form<PlanValues>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    visitor.verify_csrf(&values.csrf)?;
    let mut number_errors = Vec::new();
    let request = RecommendRequest {
        you: PersonRequest {
            pain_type: non_empty(&values.pain_type),
            role: non_empty(&values.role),
            pain_now: optional_number("Your pain today", &values.pain_now, &mut number_errors),
            conditions: values.conditions.clone(),
            pregnancy_weeks: optional_weeks(
                "Your week of pregnancy",
                &values.pregnancy_weeks,
                &mut number_errors,
            ),
        },
        partner: Some(PersonRequest {
            pain_type: non_empty(&values.partner_pain_type),
            role: None,
            pain_now: optional_number(
                "Your partner's pain today",
                &values.partner_pain_now,
                &mut number_errors,
            ),
            conditions: values.partner_conditions.clone(),
            pregnancy_weeks: optional_weeks(
                "Your partner's week of pregnancy",
                &values.partner_pregnancy_weeks,
                &mut number_errors,
            ),
        }),
        time: non_empty(&values.time),
        symptoms: values.symptoms.clone(),
    };
    // Signed in, the saved conditions and the red flags the journal still holds count as they
    // do everywhere else. The form edits the profile: ticked "save", its conditions replace
    // the saved ones; otherwise they add to them.
    let (noted, saved) = match visitor.user() {
        Some(user) => {
            let about = circumstances::inputs(&state, &visitor, &circumstances::Asked::default())
                .await?
                .about;
            let stored = match (values.save, user.data_key()) {
                (false, Ok(key)) => profile::load(&state.store, &user.id, key).await?,
                _ => None,
            };
            let saved = match stored {
                Some(p) => (p.conditions, p.partner_conditions),
                None => (Vec::new(), Vec::new()),
            };
            (about.noted, saved)
        }
        None => (Vec::new(), (Vec::new(), Vec::new())),
    };
    let checked = request.validate(k).and_then(|mut r| {
        r.noted = noted;
        r.you.conditions = safety::with_saved(&saved.0, &r.you.conditions);
        r.partner.conditions = safety::with_saved(&saved.1, &r.partner.conditions);
        recommend::recommend(k, &r)
            .map(|plan| (r.clone(), plan))
            .map_err(spinewise_app::requests::request_error)
    });
    let (request, plan) = match (checked, number_errors.is_empty()) {
        (Ok(ok), true) => ok,
        (result, _) => {
            let mut errors = number_errors;
            if let Err(AppError::Invalid { errors: fields, .. }) = result {
                errors.extend(
                    fields
                        .iter()
                        .map(|f| format!("{}: {}", form_label(&f.field), f.detail)),
                );
            }
            let page = PlanTpl {
                page: Page::new(k, &visitor, "Your plan", "plan"),
                form: PlanForm::new(k, &values),
                plan: None,
                error: Some(format!("Please check: {}.", errors.join("; "))),
                notice: None,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let mut notice = None;
    if let Some(user) = visitor.user() {
        match user.data_key() {
            Ok(key) if values.save => {
                let record = spinewise_store::ProfileRecord {
                    pain_type: Some(request.you.pain_type),
                    role: Some(request.you.role),
                    conditions: request.you.conditions.clone(),
                    partner_pain_type: Some(request.partner.pain_type),
                    partner_conditions: request.partner.conditions.clone(),
                    updated_at: 0,
                };
                profile::save(
                    &state.store,
                    &user.id,
                    key,
                    &record,
                    spinewise_app::accounts::now(),
                )
                .await?;
            }
            Ok(_) => {}
            Err(_) => notice = Some(PROFILE_LOCKED.to_owned()),
        }
    }
    let view = PlanView::new(k, &request, &plan, &values);
    if values.view == "print" {
        return Ok(render(&PlanPrintTpl { p: view })?.into_response());
    }
    Ok(render(&PlanTpl {
        page: Page::new(k, &visitor, "Your plan", "plan"),
        form: PlanForm::new(k, &values),
        plan: Some(view),
        error: None,
        notice,
    })?
    .into_response())
}

// --- offline --------------------------------------------------------------------------------

/// The page the service worker keeps for when there is no network. It stands alone, without the
/// site's frame, so that nothing personal (a login, a form's token) is kept with it; the
/// warning signs are the safety policy's, as the program and the coach list them.
#[derive(Template)]
#[template(path = "offline.html")]
struct OfflineTpl {
    warning_signs: Vec<(String, String)>,
}

pub async fn offline(State(state): State<AppState>) -> Result<Html<String>, PageError> {
    render(&OfflineTpl {
        warning_signs: circumstances::warning_signs(state.knowledge),
    })
}

// --- symptoms and sources -------------------------------------------------------------------

#[derive(Template)]
#[template(path = "check.html")]
struct CheckTpl {
    page: Page,
    symptoms: Vec<(String, String, bool)>,
    /// The conditions that change how urgent a symptom is: id, name, ticked, saved in the
    /// profile (and so always counted).
    conditions: Vec<(String, String, bool, bool)>,
    result: Option<TriageDto>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CheckValues {
    #[serde(rename = "symptom")]
    symptoms: Vec<String>,
    #[serde(rename = "condition")]
    conditions: Vec<String>,
    csrf: String,
}

fn check_page(
    k: &'static Knowledge,
    visitor: &Visitor,
    chosen: &[String],
    about: &Circumstances,
    saved: &[String],
    result: Option<TriageDto>,
) -> CheckTpl {
    CheckTpl {
        page: Page::new(k, visitor, "Check symptoms", "check"),
        symptoms: symptom_choices(k, chosen),
        conditions: safety::triage_conditions(k)
            .into_iter()
            .map(|c| {
                (
                    c.id.clone(),
                    c.name.clone(),
                    about.conditions.contains(&c.id),
                    saved.contains(&c.id),
                )
            })
            .collect(),
        result,
    }
}

/// The visitor's circumstances for the symptom check — the conditions ticked, the saved ones
/// and, signed in, the red flags the journal still holds — and which conditions were saved
/// rather than ticked.
async fn check_inputs(
    state: &AppState,
    visitor: &Visitor,
    conditions: &[String],
) -> Result<(Circumstances, Vec<String>), AppError> {
    let inputs = circumstances::inputs(
        state,
        visitor,
        &circumstances::Asked {
            conditions,
            ..circumstances::Asked::default()
        },
    )
    .await?;
    let saved = inputs
        .about
        .conditions
        .iter()
        .filter(|c| !conditions.contains(c))
        .cloned()
        .collect();
    Ok((inputs.about, saved))
}

pub async fn check_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Html<String>, PageError> {
    let (about, saved) = check_inputs(&state, &visitor, &[]).await?;
    render(&check_page(
        state.knowledge,
        &visitor,
        &[],
        &about,
        &saved,
        None,
    ))
}

pub async fn check(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(values): Form<CheckValues>,
) -> Result<Html<String>, PageError> {
    let k = state.knowledge;
    visitor.verify_csrf(&values.csrf)?;
    // Judged as every feature judges them: with the conditions ticked and saved and, signed in,
    // the red flags the journal still holds.
    let (about, saved) = check_inputs(&state, &visitor, &values.conditions).await?;
    let flags = about
        .red_flags_with(k, &values.symptoms)
        .map_err(|e| AppError::field("symptom", e))?;
    let dto = dto::CheckDto::with_noted(k, &flags.triage, &flags.noted);
    render(&check_page(
        k,
        &visitor,
        &values.symptoms,
        &about,
        &saved,
        Some(dto.triage),
    ))
}

#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesTpl {
    page: Page,
    sources: Vec<SourceDto>,
}

pub async fn sources(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Html<String>, PageError> {
    let k = state.knowledge;
    render(&SourcesTpl {
        page: Page::new(k, &visitor, "Sources", "learn"),
        sources: k.sources.iter().map(SourceDto::from).collect(),
    })
}
