//! The one-page clinical summary, `/journal/summary`: the signed-in user's journal in the
//! few lines a physiotherapist reads in a minute, built from the same [`ClinicalSummaryDto`]
//! as `GET /api/v1/journal/summary`, so that the page and the JSON say the same thing. It
//! prints on one A4 or Letter page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use spinewise_domain::Knowledge;
use spinewise_domain::journal::summary::clinical_summary;
use spinewise_domain::journal::{Journal, LocalDate};
use spinewise_domain::recommend::RequestError;

use super::views::Page;
use super::views::render;
use crate::server::auth::Visitor;
use crate::server::error::{AppError, PageError};
use crate::server::state::AppState;
use spinewise_app::journal_dto::{ClinicalSummaryDto, SummaryFlareDto};
use spinewise_app::requests::request_error;
use spinewise_app::{journal, profile};

/// How many flare-ups the page lists; earlier ones are counted, so that it stays one page.
const FLARES_SHOWN: usize = 8;

/// The summary page's route.
pub fn router() -> Router<AppState> {
    Router::new().route("/journal/summary", get(page))
}

#[derive(Template)]
#[template(path = "journal_summary.html")]
struct SummaryTpl {
    page: Page,
    demo: bool,
    s: ClinicalSummaryDto,
    /// The pain type in a line.
    pain_type: String,
    /// The first and latest PEG scores and the change, in a line.
    peg_scores: String,
    /// Mean exercise sessions per week, with one decimal.
    sessions_per_week: String,
    /// The PEG trend against the threshold, in a line.
    peg_verdict: String,
    /// Each flare-up in a line, the most recent first.
    flares: Vec<String>,
    /// Flare-ups found but not listed.
    earlier_flares: usize,
    /// The red-flag level in words, when there is one.
    red_flag_level: Option<String>,
}

fn view(k: &Knowledge, page: Page, demo: bool, s: ClinicalSummaryDto) -> SummaryTpl {
    let flares = s
        .flares
        .iter()
        .take(FLARES_SHOWN)
        .map(SummaryFlareDto::line)
        .collect();
    let red_flag_level = s.red_flag_headline(k);
    SummaryTpl {
        page,
        demo,
        pain_type: s.pain_type_line(),
        peg_scores: s.peg.scores_line(),
        sessions_per_week: format!("{:.1}", s.exercise.sessions_per_week),
        peg_verdict: s.peg.trend_line(),
        earlier_flares: s.flares.len().saturating_sub(FLARES_SHOWN),
        flares,
        red_flag_level,
        s,
    }
}

/// The summary's JSON shape for `journal` and the saved `conditions`, as of `today`.
fn summary(
    k: &Knowledge,
    journal: &Journal,
    conditions: &[String],
    today: LocalDate,
) -> Result<ClinicalSummaryDto, AppError> {
    let found = clinical_summary(k, journal, conditions, today)
        .map_err(|e| request_error(RequestError::Unknown(e)))?;
    Ok(ClinicalSummaryDto::new(k, &found))
}

async fn page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    let k = state.knowledge;
    let user = match visitor.require() {
        Ok(u) => u,
        Err(AppError::Unauthorized) => return Ok(Redirect::to("/login").into_response()),
        Err(e) => return Err(e.into()),
    };
    let key = user.data_key()?;
    let journal = journal::load(&state.store, &user.id, key).await?;
    let profile = profile::load(&state.store, &user.id, key).await?;
    let conditions = profile.map(|p| p.conditions).unwrap_or_default();
    let s = summary(
        k,
        &journal,
        &conditions,
        spinewise_app::clock::server_today(),
    )?;
    let page = Page::new(k, &visitor, "Clinical summary", "journal");
    Ok(render(&view(k, page, user.demo, s))?.into_response())
}
