//! "Share with a clinician", `/journal/share`: the form that makes a link (what it includes,
//! for how many days, an optional PIN), the new link shown once (reached by a redirect, like a
//! new API token, so a reload shows it again instead of making another), and the person's
//! links with their access log and a Revoke button. Everything is worked out by
//! [`spinewise_app::clinician_share`], as for `/api/v1/shares`.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::form::Fields;
use super::views::{Page, render};
use crate::server::auth::{self, Visitor};
use crate::server::error::{AppError, PageError};
use crate::server::state::AppState;
use spinewise_app::clinician_share::{self, DEFAULT_DAYS, MAX_DAYS};
use spinewise_app::share_dto::{SharePart, ShareRequest};
use spinewise_app::shown_once::ShownOnce;
use spinewise_app::{accounts, clock};

/// The page's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/journal/share", get(page).post(create))
        .route("/journal/share/saved", post(saved))
        .route("/journal/share/revoke", post(revoke))
}

/// A part as a checkbox: (id, label, checked).
type PartBox = (&'static str, &'static str, bool);

/// One of the person's links, as the list shows it.
struct ShareRow {
    id: String,
    status: &'static str,
    created: String,
    expires: String,
    pin: bool,
    opened: String,
}

#[derive(Template)]
#[template(path = "journal_share.html")]
struct ShareTpl {
    page: Page,
    demo: bool,
    parts: Vec<PartBox>,
    days: String,
    max_days: i64,
    /// The new link waiting to be copied: the link, its expiry in words and whether it needs
    /// the PIN.
    new_link: Option<(String, String, bool)>,
    shares: Vec<ShareRow>,
    error: Option<String>,
}

/// `2026-12-05T10:30:00Z` as `2026-12-05 10:30 UTC`.
fn when(rfc3339: &str) -> String {
    match rfc3339.split_once('T') {
        Some((date, time)) => format!("{date} {} UTC", time.get(..5).unwrap_or(time)),
        None => rfc3339.to_owned(),
    }
}

fn opened_words(times: usize, last: Option<&String>) -> String {
    match (times, last) {
        (0, _) | (_, None) => "Not opened yet".to_owned(),
        (1, Some(last)) => format!("Opened once, {}", when(last)),
        (n, Some(last)) => format!("Opened {n} times, last {}", when(last)),
    }
}

async fn share_page(
    state: &AppState,
    visitor: &Visitor,
    chosen: &[SharePart],
    days: String,
    error: Option<String>,
) -> Result<ShareTpl, PageError> {
    let user = visitor.require()?;
    let shares = clinician_share::list(&state.store, &user.id, accounts::now())
        .await?
        .into_iter()
        .map(|s| ShareRow {
            opened: opened_words(s.times_opened, s.openings.first()),
            status: match s.status {
                "active" => "Open",
                "expired" => "Expired",
                _ => "Revoked",
            },
            created: when(&s.created_at),
            expires: when(&s.expires_at),
            pin: s.has_pin,
            id: s.id,
        })
        .collect();
    Ok(ShareTpl {
        page: Page::new(
            state.knowledge,
            visitor,
            "Share with a clinician",
            "journal",
        ),
        demo: user.demo,
        parts: SharePart::ALL
            .into_iter()
            .map(|p| (p.as_str(), p.label(), chosen.contains(&p)))
            .collect(),
        days,
        max_days: MAX_DAYS,
        new_link: user
            .shown_once
            .share_link()
            .map(|(url, expires, pin)| (url.to_owned(), when(expires), pin)),
        shares,
        error,
    })
}

async fn page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    if visitor.user().is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    let tpl = share_page(
        &state,
        &visitor,
        &[SharePart::Summary, SharePart::Adherence],
        DEFAULT_DAYS.to_string(),
        None,
    )
    .await?;
    Ok(render(&tpl)?.into_response())
}

async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    visitor.verify_csrf(fields.one("csrf"))?;
    let user = visitor.require()?;
    let days_text = fields.one("days").trim().to_owned();
    let chosen: Vec<SharePart> = fields
        .all("parts")
        .iter()
        .filter_map(|p| SharePart::parse(p))
        .collect();
    let days = if days_text.is_empty() {
        Ok(None)
    } else {
        days_text.parse::<i64>().map(Some)
    };
    let outcome = match days {
        Err(_) => Err(AppError::field(
            "days",
            format!("'{days_text}' is not a number of days: a link opens for 1 to {MAX_DAYS} days"),
        )),
        Ok(days) => {
            let request = ShareRequest {
                parts: fields.all("parts"),
                days,
                pin: Some(fields.one("pin").to_owned()),
            };
            match request.validate() {
                Err(e) => Err(e),
                Ok(valid) => {
                    let key = user.data_key()?;
                    clinician_share::create(
                        &state.store,
                        state.knowledge,
                        &user.id,
                        key,
                        &valid,
                        &state.hosts.base_url(&headers, state.cookies.secure),
                        clock::server_today(),
                        accounts::now(),
                    )
                    .await
                }
            }
        }
    };
    match outcome {
        Ok(created) => {
            let waiting = user.shown_once.clone().with(ShownOnce::ShareLink {
                url: created.url,
                expires_at: created.expires_at,
                has_pin: created.has_pin,
            });
            auth::set_shown_once(&state.store, state.cookies, &jar, &waiting).await?;
            Ok(Redirect::to("/journal/share#new-link").into_response())
        }
        Err(AppError::Invalid { errors, .. } | AppError::Conflict { errors, .. }) => {
            let words = errors
                .iter()
                .map(|e| spinewise_domain::words::capitalise(&e.detail))
                .collect::<Vec<_>>()
                .join(". ");
            let tpl = share_page(
                &state,
                &visitor,
                &chosen,
                days_text,
                Some(format!("{words}.")),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&tpl)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CsrfForm {
    csrf: String,
}

/// "I have copied it": the link leaves the session; only a hash of its secret is kept.
async fn saved(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let user = visitor.require()?;
    let rest = user.shown_once.clone().without_share_link();
    auth::set_shown_once(&state.store, state.cookies, &jar, &rest).await?;
    Ok(Redirect::to("/journal/share#links-head").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RevokeForm {
    csrf: String,
    id: String,
}

async fn revoke(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<RevokeForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let user = visitor.require()?;
    clinician_share::revoke(&state.store, &user.id, &form.id, accounts::now()).await?;
    Ok(Redirect::to("/journal/share#links-head").into_response())
}
