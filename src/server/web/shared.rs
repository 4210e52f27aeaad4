//! The page a clinician's link opens, `/s/{secret}`: no account, a PIN form when the link has
//! one, then one printable page (A4 or Letter) of what the patient chose, and the FHIR R4
//! bundle to download. The secret is only in the path: the access log names the route, not
//! the path; the page sends no referrer, is never stored or indexed (`X-Robots-Tag` and the
//! page's own meta), and the PIN travels in a form post, never in a URL.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use spinewise_domain::Knowledge;

use super::views::render;
use crate::server::api::shares::fhir_attachment;
use crate::server::auth::Visitor;
use crate::server::error::{AppError, PageError};
use crate::server::state::AppState;
use spinewise_app::accounts;
use spinewise_app::clinician_share::{self, DISCLAIMER};
use spinewise_app::journal_dto::{
    SummaryFlareDto, pain_type_line, red_flag_headline, red_flag_lines,
};
use spinewise_app::share_dto::{SharedDto, SharedSummaryDto};

/// How many flare-ups the page lists, so that it stays one page.
const FLARES_SHOWN: usize = 6;

/// The page's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{secret}", get(page).post(page_with_pin))
        .route("/s/{secret}/fhir", get(fhir).post(fhir_with_pin))
}

/// The plan in a few lines.
struct PlanView {
    you: String,
    partner: String,
    /// Set when the plan gives no positions because of red flags.
    triage: Option<String>,
    recommended: String,
    caution: String,
    avoid: String,
}

/// The summary in lines.
struct SummaryView {
    pain_type: String,
    peg_scores: String,
    peg_trend: String,
    flares: Vec<String>,
    earlier_flares: usize,
    red_flag_level: Option<String>,
    red_flags: Vec<String>,
    conditions: String,
}

#[derive(Template)]
#[template(path = "shared.html")]
struct SharedTpl {
    secret: String,
    csrf: String,
    /// The PIN that opened it, for the download form; `None` without one.
    pin: Option<String>,
    s: SharedDto,
    expires: String,
    plan: Option<PlanView>,
    summary: Option<SummaryView>,
    sessions_per_week: Option<String>,
    disclaimer: &'static str,
}

#[derive(Template)]
#[template(path = "shared_pin.html")]
struct PinTpl {
    secret: String,
    csrf: String,
    error: Option<String>,
}

fn names(s: &SharedDto, verdict: &str) -> String {
    let names: Vec<&str> = s
        .plan
        .iter()
        .flat_map(|p| &p.positions)
        .filter(|p| p.verdict == verdict)
        .map(|p| p.name.as_str())
        .collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

fn summary_view(k: &Knowledge, s: &SharedSummaryDto) -> SummaryView {
    SummaryView {
        pain_type: pain_type_line(s.pain_type.as_ref()),
        peg_scores: s.peg.scores_line(),
        peg_trend: s.peg.trend_line(),
        flares: s
            .flares
            .iter()
            .take(FLARES_SHOWN)
            .map(SummaryFlareDto::line)
            .collect(),
        earlier_flares: s.flares.len().saturating_sub(FLARES_SHOWN),
        red_flag_level: red_flag_headline(k, &s.red_flag_level),
        red_flags: red_flag_lines(&s.red_flags),
        conditions: if s.conditions.is_empty() {
            "None saved.".to_owned()
        } else {
            let names: Vec<&str> = s.conditions.iter().map(|c| c.name.as_str()).collect();
            format!("{}.", names.join("; "))
        },
    }
}

fn view(
    k: &Knowledge,
    secret: String,
    csrf: String,
    pin: Option<String>,
    s: SharedDto,
) -> SharedTpl {
    let plan = s.plan.as_ref().map(|p| PlanView {
        you: p.you.clone(),
        partner: p.partner.clone(),
        triage: (p.positions.is_empty()).then(|| p.triage_headline.clone()),
        recommended: names(&s, "recommended"),
        caution: names(&s, "caution"),
        avoid: names(&s, "avoid"),
    });
    SharedTpl {
        plan,
        summary: s.summary.as_ref().map(|x| summary_view(k, x)),
        sessions_per_week: s
            .adherence
            .as_ref()
            .map(|a| format!("{:.1}", a.sessions_per_week)),
        // `2026-12-12T10:30:00Z` as `2026-12-12 10:30 UTC`.
        expires: format!(
            "{} UTC",
            s.expires_at.replace('T', " ").get(..16).unwrap_or_default()
        ),
        secret,
        csrf,
        pin,
        s,
        disclaimer: DISCLAIMER,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PinForm {
    pin: String,
    csrf: String,
}

/// What the link answers: the page, the PIN form, or why it does not open.
async fn answer(
    state: &AppState,
    visitor: &Visitor,
    secret: String,
    pin: Option<String>,
) -> Result<Response, PageError> {
    let csrf = visitor.csrf();
    match clinician_share::open(&state.store, &secret, pin.as_deref(), accounts::now()).await {
        Ok(s) => Ok(render(&view(state.knowledge, secret, csrf, pin, s))?.into_response()),
        Err(AppError::PinNeeded(detail)) => {
            // Asked for the first time: the form; after a wrong PIN: the form, saying so.
            let (status, error) = match pin {
                None => (StatusCode::OK, None),
                Some(_) => (StatusCode::FORBIDDEN, Some(capitalised(&detail))),
            };
            let tpl = PinTpl {
                secret,
                csrf,
                error,
            };
            Ok((status, render(&tpl)?).into_response())
        }
        Err(AppError::TooManyRequests {
            detail,
            retry_after_secs,
        }) => {
            let tpl = PinTpl {
                secret,
                csrf,
                error: Some(capitalised(&detail)),
            };
            let mut response = (StatusCode::TOO_MANY_REQUESTS, render(&tpl)?).into_response();
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

fn capitalised(s: &str) -> String {
    format!("{}.", spinewise_domain::words::capitalise(s))
}

async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(secret): Path<String>,
) -> Result<Response, PageError> {
    answer(&state, &visitor, secret, None).await
}

async fn page_with_pin(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(secret): Path<String>,
    Form(form): Form<PinForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    answer(&state, &visitor, secret, Some(form.pin)).await
}

async fn fhir(
    State(state): State<AppState>,
    Path(secret): Path<String>,
) -> Result<Response, PageError> {
    let bytes = clinician_share::open_fhir(&state.store, &secret, None, accounts::now()).await?;
    Ok(fhir_attachment(bytes))
}

async fn fhir_with_pin(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(secret): Path<String>,
    Form(form): Form<PinForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let bytes =
        clinician_share::open_fhir(&state.store, &secret, Some(&form.pin), accounts::now()).await?;
    Ok(fhir_attachment(bytes))
}
