//! "Us", `/partner`: linking with a partner and what the two of you see together — the
//! invitation and its code, accepting one, what you share, the couple plan for today with what
//! it does not know, your private marks and "our list", the morning-after questions, and
//! ending the link. Every form posts back here and the page is drawn again from the link, so
//! a reload shows the same thing; the code of a new invitation is shown once, on the answer to
//! the form that made it.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use spinewise_domain::journal::{Entry, EntryId};
use spinewise_domain::safety::{Circumstances, Given};
use spinewise_domain::vocab::PainScore;

use super::form::Fields;
use super::views::{Page, render, verdict_label};
use crate::server::auth::{SignedIn, Visitor};
use crate::server::error::{AppError, PageError};
use crate::server::state::AppState;
use spinewise_app::couple;
use spinewise_app::partner::{self, Item, Mark, NewCode, Status};
use spinewise_app::{accounts, clock, journal, profile};

/// The page's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/partner", get(page))
        .route("/partner/join", get(join))
        .route("/partner/invite", post(invite))
        .route("/partner/cancel", post(cancel))
        .route("/partner/accept", post(accept))
        .route("/partner/share", post(share))
        .route("/partner/marks", post(marks))
        .route("/partner/answer", post(answer))
        .route("/partner/ask", post(ask))
        .route("/partner/end", post(end))
}

/// One position in the table of the couple plan: id, name, the couple's verdict, each back's,
/// and this person's mark.
struct Row {
    id: String,
    name: String,
    verdict: &'static str,
    verdict_words: &'static str,
    you: &'static str,
    partner: &'static str,
    mark: &'static str,
}

/// One occasion: its day, who asked, and the answers shown.
struct OccasionRow {
    date: String,
    asked_by_you: bool,
    answered: bool,
    /// For a question to this person whose morning has not come yet: that morning.
    answer_on: Option<String>,
    yours: Option<u8>,
    theirs: Option<u8>,
}

#[derive(Template)]
#[template(path = "partner.html")]
struct PartnerTpl {
    page: Page,
    message: Option<String>,
    error: Option<String>,
    /// A code just made, shown this once.
    new_code: Option<String>,
    new_code_until: Option<String>,
    /// `alone`, `invited` or `linked`.
    status: &'static str,
    invited_until: Option<String>,
    partner: String,
    since: String,
    /// What can be shared: id, label, shared by me, shared by them.
    items: Vec<(&'static str, &'static str, bool, bool)>,
    /// Why there is no plan, when there is none.
    plan_problem: Option<String>,
    not_known: Vec<&'static str>,
    rows: Vec<Row>,
    both_yes: Vec<String>,
    yes_or_maybe: Vec<String>,
    /// Questions the partner asked: occasion id, the day.
    questions: Vec<(String, String)>,
    occasions: Vec<OccasionRow>,
    /// This person's intimacy entries of the last week not yet asked about: id, what.
    askable: Vec<(String, String)>,
    code_value: String,
}

fn date_of(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

/// A moment to the minute, in UTC, as a page says it.
pub(super) fn when_of(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute()))
        .unwrap_or_default()
}

/// Draws the page for the signed-in `user`.
async fn view(
    state: &AppState,
    visitor: &Visitor,
    user: &SignedIn,
    message: Option<String>,
    error: Option<String>,
    new_code: Option<NewCode>,
) -> Result<PartnerTpl, AppError> {
    let k = state.knowledge;
    let key = user.data_key()?;
    let mut tpl = PartnerTpl {
        page: Page::new(k, visitor, "You and your partner", "partner"),
        message,
        error,
        new_code_until: new_code.as_ref().map(|c| when_of(c.expires_at)),
        new_code: new_code.map(|c| c.code),
        status: "alone",
        invited_until: None,
        partner: String::new(),
        since: String::new(),
        items: Vec::new(),
        plan_problem: None,
        not_known: Vec::new(),
        rows: Vec::new(),
        both_yes: Vec::new(),
        yes_or_maybe: Vec::new(),
        questions: Vec::new(),
        occasions: Vec::new(),
        askable: Vec::new(),
        code_value: String::new(),
    };
    match partner::status(&state.store, &user.id, accounts::now()).await? {
        Status::Alone => return Ok(tpl),
        Status::Invited { expires_at } => {
            tpl.status = "invited";
            tpl.invited_until = Some(when_of(expires_at));
            return Ok(tpl);
        }
        Status::Linked { .. } => {}
    }
    let Some(view) = partner::view(&state.store, &user.id, key).await? else {
        return Ok(tpl);
    };
    tpl.status = "linked";
    tpl.partner = view.partner_login.clone();
    tpl.since = date_of(view.since);
    tpl.items = Item::ALL
        .into_iter()
        .map(|i| (i.as_str(), i.label(), view.mine.has(i), view.theirs.has(i)))
        .collect();

    let today = clock::server_today();
    let saved = profile::load(&state.store, &user.id, key).await?;
    let (given_saved, journal) =
        profile::saved_and_journal(&state.store, &user.id, Some(key)).await?;
    let about = Circumstances::gather(k, Given::default(), given_saved, journal, today)
        .map_err(|e| AppError::field("conditions", e))?;
    match couple::couple_plan(k, saved.as_ref(), &about, &view.theirs) {
        Ok(plan) if plan.plan.positions.is_empty() => {
            // Red flags withhold every position: the referral, and nothing else.
            let dto = spinewise_app::dto::PlanDto::new(k, &plan.request, &plan.plan);
            tpl.plan_problem = Some(format!("{} {}", dto.triage.headline, dto.triage.action));
        }
        Ok(plan) => {
            tpl.not_known = plan.not_known.iter().map(|n| n.words()).collect();
            tpl.rows = plan
                .plan
                .positions
                .iter()
                .map(|p| Row {
                    id: p.position.id.clone(),
                    name: p.position.name.clone(),
                    verdict: p.verdict.as_str(),
                    verdict_words: verdict_label(p.verdict.as_str()),
                    you: verdict_label(p.you.verdict.as_str()),
                    partner: verdict_label(p.partner.verdict.as_str()),
                    mark: view.my_marks.get(&p.position.id).map_or("", |m| m.as_str()),
                })
                .collect();
            let list = couple::our_list(&view, &plan.plan);
            tpl.both_yes = list.yes.into_iter().map(|l| l.name).collect();
            tpl.yes_or_maybe = list.yes_or_maybe.into_iter().map(|l| l.name).collect();
        }
        Err(e) => tpl.plan_problem = Some(e.to_string()),
    }
    tpl.questions = couple::unanswered(&view, today)
        .into_iter()
        .map(|(id, date)| (id, date.to_string()))
        .collect();
    // The last week's occasions, latest first, that have no question yet.
    let week_ago = today.date() - time::Duration::days(7);
    tpl.askable = about
        .journal
        .entries()
        .iter()
        .rev()
        .filter_map(|e| match e {
            Entry::Intimacy(i)
                if i.at.date().date() >= week_ago
                    && i.at.date() <= today
                    && !view.occasions.iter().any(|o| o.entry == i.id.as_str()) =>
            {
                Some((
                    i.id.as_str().to_owned(),
                    format!(
                        "{} ({})",
                        i.at.date(),
                        journal::position_names(k, &i.positions)
                    ),
                ))
            }
            _ => None,
        })
        .collect();
    tpl.occasions = view
        .occasions
        .iter()
        .map(|o| OccasionRow {
            date: o.date.to_string(),
            asked_by_you: o.asked_by == view.me,
            answered: o.answered_on.is_some(),
            answer_on: (o.asked_by != view.me && o.answered_on.is_none() && o.morning() > today)
                .then(|| o.morning().to_string()),
            yours: couple::my_morning(&view, &about.journal, &o.id).map(PainScore::value),
            theirs: view.their_morning(&o.id).map(PainScore::value),
        })
        .collect();
    Ok(tpl)
}

/// The page, or the sign-in page for a visitor who is not signed in.
async fn shown(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    message: Option<String>,
    error: Option<String>,
    new_code: Option<NewCode>,
) -> Result<Response, PageError> {
    let user = match visitor.require() {
        Ok(u) => u,
        Err(AppError::Unauthorized) => return Ok(Redirect::to("/login").into_response()),
        Err(e) => return Err(e.into()),
    };
    let tpl = view(state, visitor, user, message, error, new_code).await?;
    Ok((status, render(&tpl)?).into_response())
}

/// A form's failure, said on the page itself with the status it deserves.
async fn refused(state: &AppState, visitor: &Visitor, e: AppError) -> Result<Response, PageError> {
    let status = match &e {
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        _ => return Err(e.into()),
    };
    shown(state, visitor, status, None, Some(e.to_string()), None).await
}

/// How a form ends: back to `to` once done, or the page again with the refusal.
async fn done<T>(
    state: &AppState,
    visitor: &Visitor,
    result: Result<T, AppError>,
    to: &'static str,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(Redirect::to(to).into_response()),
        Err(e) => refused(state, visitor, e).await,
    }
}

async fn page(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    shown(&state, &visitor, StatusCode::OK, None, None, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct JoinQuery {
    code: String,
}

/// The link in an invitation: the page, with the code filled in to accept.
async fn join(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<JoinQuery>,
) -> Result<Response, PageError> {
    let Ok(user) = visitor.require() else {
        return Ok(Redirect::to("/login").into_response());
    };
    // The code goes back into the accept form: letters, digits and hyphens only.
    let code: String = q
        .code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(24)
        .collect();
    let mut tpl = view(&state, &visitor, user, None, None, None).await?;
    tpl.code_value = code;
    Ok(render(&tpl)?.into_response())
}

fn csrf_of(visitor: &Visitor, fields: &Fields) -> Result<(), AppError> {
    visitor.verify_csrf(fields.one("csrf"))
}

async fn invite(
    State(state): State<AppState>,
    visitor: Visitor,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    csrf_of(&visitor, &fields)?;
    let user = visitor.require()?;
    match partner::invite(&state.store, &user.id, user.data_key()?, accounts::now()).await {
        Ok(code) => shown(&state, &visitor, StatusCode::OK, None, None, Some(code)).await,
        Err(e) => refused(&state, &visitor, e).await,
    }
}

async fn cancel(
    State(state): State<AppState>,
    visitor: Visitor,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    csrf_of(&visitor, &fields)?;
    let user = visitor.require()?;
    partner::cancel_invitation(&state.store, &user.id).await?;
    Ok(Redirect::to("/partner").into_response())
}

async fn accept(
    State(state): State<AppState>,
    visitor: Visitor,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    csrf_of(&visitor, &fields)?;
    let user = visitor.require()?;
    let code = fields.one("code");
    let result = partner::accept(
        &state.store,
        &user.id,
        user.data_key()?,
        code,
        accounts::now(),
    )
    .await;
    done(&state, &visitor, result, "/partner").await
}

async fn share(
    State(state): State<AppState>,
    visitor: Visitor,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    csrf_of(&visitor, &fields)?;
    let user = visitor.require()?;
    let mut items = BTreeSet::new();
    for id in fields.all("item") {
        match id.parse::<Item>() {
            Ok(item) => {
                items.insert(item);
            }
            Err(e) => return refused(&state, &visitor, AppError::field("item", e)).await,
        }
    }
    let result = couple::share(
        &state.store,
        &user.id,
        user.data_key()?,
        items,
        accounts::now(),
    )
    .await;
    done(&state, &visitor, result, "/partner#sharing").await
}

async fn marks(
    State(state): State<AppState>,
    visitor: Visitor,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    csrf_of(&visitor, &fields)?;
    let user = visitor.require()?;
    let mut marks = BTreeMap::new();
    for (name, value) in &fields.0 {
        let Some(position) = name.strip_prefix("mark-") else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        match value.parse::<Mark>() {
            Ok(mark) => {
                marks.insert(position.to_owned(), mark);
            }
            Err(e) => return refused(&state, &visitor, AppError::field(name.clone(), e)).await,
        }
    }
    let result = partner::set_marks(
        &state.store,
        state.knowledge,
        &user.id,
        user.data_key()?,
        marks,
        accounts::now(),
    )
    .await;
    done(&state, &visitor, result, "/partner#our-list").await
}

async fn answer(
    State(state): State<AppState>,
    visitor: Visitor,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    csrf_of(&visitor, &fields)?;
    let user = visitor.require()?;
    let typed = fields.one("pain");
    let Ok(pain) = typed.parse::<PainScore>() else {
        let e = AppError::field(
            "pain",
            format!("'{typed}' is not a whole number from 0 to 10"),
        );
        return refused(&state, &visitor, e).await;
    };
    let answer = couple::MorningAnswer {
        occasion: fields.one("occasion"),
        pain,
        today: clock::server_today(),
    };
    let result = couple::answer_next_morning(
        &state.store,
        state.knowledge,
        &user.id,
        user.data_key()?,
        &answer,
        accounts::now(),
    )
    .await;
    done(&state, &visitor, result, "/partner#mornings").await
}

async fn ask(
    State(state): State<AppState>,
    visitor: Visitor,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    csrf_of(&visitor, &fields)?;
    let user = visitor.require()?;
    let key = user.data_key()?;
    let typed = fields.one("entry");
    let found = match typed.parse::<EntryId>() {
        Ok(id) => journal::get(&state.store, &user.id, key, &id).await?,
        Err(_) => None,
    };
    let Some(Entry::Intimacy(entry)) = found else {
        let e = AppError::NotFound(format!("you have no intimacy entry '{typed}' to ask about"));
        return refused(&state, &visitor, e).await;
    };
    let result = partner::ask_next_morning(
        &state.store,
        &user.id,
        key,
        entry.id.as_str(),
        entry.at.date(),
        accounts::now(),
    )
    .await;
    done(&state, &visitor, result, "/partner#mornings").await
}

async fn end(
    State(state): State<AppState>,
    visitor: Visitor,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    csrf_of(&visitor, &fields)?;
    let user = visitor.require()?;
    if !fields.has("confirm", "yes") {
        let e = AppError::field(
            "confirm",
            "tick the box to confirm that the link ends for both of you; nothing was changed",
        );
        return refused(&state, &visitor, e).await;
    }
    partner::end(&state.store, &user.id).await?;
    Ok(Redirect::to("/partner").into_response())
}
