//! Linked partners over the API: the invitation and its acceptance, the link and ending it,
//! what each partner shares, the couple plan, private marks and "our list", and the
//! morning-after question. Every operation needs the caller's data key (a session or token
//! that carries it): everything a partner sees is sealed under the link key, wrapped under it.

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use spinewise_domain::journal::{Entry, EntryId, LocalDate};
use spinewise_domain::safety::{Circumstances, Given};
use spinewise_domain::vocab::PainScore;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::JsonBody;
use super::extract::{ApiPath, ApiQuery};
use super::insights::client_date;
use crate::server::auth::ApiUser;
use crate::server::error::{ApiError, AppError, Problem};
use crate::server::state::AppState;
use spinewise_app::couple::{self, Listed};
use spinewise_app::dto::PlanDto;
use spinewise_app::partner::{self, Item, Mark, Status};
use spinewise_app::{accounts, journal, profile};

/// The routes of linked partners.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_partner, end_link))
        .routes(routes!(invite, cancel_invitation))
        .routes(routes!(accept))
        .routes(routes!(put_sharing))
        .routes(routes!(couple_plan))
        .routes(routes!(get_marks, put_marks))
        .routes(routes!(our_list))
        .routes(routes!(get_occasions, ask))
        .routes(routes!(answer))
}

/// Where the account stands with a partner.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerDto {
    /// `alone`, `invited` (an invitation is open) or `linked`.
    pub status: &'static str,
    /// While invited: when the code stops working (unix seconds).
    pub invitation_expires_at: Option<i64>,
    /// While linked: the partner's login.
    pub partner: Option<String>,
    /// While linked: since when (unix seconds).
    pub since: Option<i64>,
    /// While linked: what you share.
    pub you_share: Vec<ItemId>,
    /// While linked: what your partner shares with you.
    pub partner_shares: Vec<ItemId>,
}

/// Something a partner can share: `pain_type_role`, `todays_pain`, `conditions`,
/// `morning_answer`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemId {
    /// Pain type and role (what a couple plan needs).
    PainTypeRole,
    /// Back pain today.
    TodaysPain,
    /// Conditions.
    Conditions,
    /// The answer the morning after.
    MorningAnswer,
}

fn item_ids(items: &BTreeSet<Item>) -> Vec<ItemId> {
    items
        .iter()
        .map(|i| match i {
            Item::PainTypeRole => ItemId::PainTypeRole,
            Item::TodaysPain => ItemId::TodaysPain,
            Item::Conditions => ItemId::Conditions,
            Item::MorningAnswer => ItemId::MorningAnswer,
        })
        .collect()
}

async fn partner_dto(state: &AppState, user: &ApiUser) -> Result<PartnerDto, AppError> {
    let key = user.data_key()?;
    let status = partner::status(&state.store, &user.id, accounts::now()).await?;
    let mut dto = PartnerDto {
        status: "alone",
        invitation_expires_at: None,
        partner: None,
        since: None,
        you_share: Vec::new(),
        partner_shares: Vec::new(),
    };
    match status {
        Status::Alone => {}
        Status::Invited { expires_at } => {
            dto.status = "invited";
            dto.invitation_expires_at = Some(expires_at);
        }
        Status::Linked { .. } => {
            if let Some(view) = partner::view(&state.store, &user.id, key).await? {
                dto.status = "linked";
                dto.partner = Some(view.partner_login.clone());
                dto.since = Some(view.since);
                dto.you_share = item_ids(&view.mine.items);
                dto.partner_shares = item_ids(&view.theirs.items);
            }
        }
    }
    Ok(dto)
}

/// Where the signed-in account stands with a partner: alone, inviting, or linked (and what
/// each shares).
#[utoipa::path(get, path = "/partner", tag = "partner",
    security(("token" = []), ("session" = [])),
    responses(
        (status = OK, body = PartnerDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_partner(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Json<PartnerDto>, ApiError> {
    Ok(Json(partner_dto(&state, &user).await?))
}

/// Ends the link: all sharing stops at once, and the link's key and everything sealed under
/// it (both partners' shares and marks, the occasions) are deleted.
#[utoipa::path(delete, path = "/partner", tag = "partner",
    security(("token" = []), ("session" = [])),
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    responses(
        (status = NO_CONTENT, description = "The link is ended."),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    ))]
async fn end_link(State(state): State<AppState>, user: ApiUser) -> Result<StatusCode, ApiError> {
    if partner::end(&state.store, &user.id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound("you are not linked with a partner".to_owned()).into())
    }
}

/// A new invitation: the code, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationDto {
    /// The one-time code, 16 letters and digits in groups of four. Your partner types it
    /// (or opens `link`) signed in to their own account.
    pub code: String,
    /// The page that accepts it, with the code.
    pub link: String,
    /// When it stops working (unix seconds): 24 hours from now.
    pub expires_at: i64,
}

/// Opens an invitation (in place of any open one): a one-time code that works for 24 hours.
#[utoipa::path(post, path = "/partner/invitation", tag = "partner",
    security(("token" = []), ("session" = [])),
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    responses(
        (status = CREATED, body = InvitationDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
    ))]
async fn invite(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    let code = partner::invite(&state.store, &user.id, user.data_key()?, accounts::now()).await?;
    let link = format!("/partner/join?code={}", code.code);
    Ok((
        StatusCode::CREATED,
        Json(InvitationDto {
            code: code.code,
            link,
            expires_at: code.expires_at,
        }),
    )
        .into_response())
}

/// Cancels the open invitation: its code stops working.
#[utoipa::path(delete, path = "/partner/invitation", tag = "partner",
    security(("token" = []), ("session" = [])),
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    responses(
        (status = NO_CONTENT, description = "The invitation is cancelled."),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    ))]
async fn cancel_invitation(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<StatusCode, ApiError> {
    if partner::cancel_invitation(&state.store, &user.id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound("you have no open invitation".to_owned()).into())
    }
}

/// An invitation code to accept.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptRequest {
    /// The code your partner was given: 16 letters and digits; case, spaces and hyphens do
    /// not matter.
    #[schema(pattern = r"^[ -]*([0-9A-TV-Za-tv-z][ -]*){16}$")]
    pub code: String,
}

/// Accepts a partner's invitation. Nothing is shared until each partner chooses.
#[utoipa::path(post, path = "/partner/accept", tag = "partner",
    security(("token" = []), ("session" = [])),
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    request_body = AcceptRequest,
    responses(
        (status = OK, body = PartnerDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "No open invitation has this code (expired, used or cancelled).", body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn accept(
    State(state): State<AppState>,
    user: ApiUser,
    JsonBody(body): JsonBody<AcceptRequest>,
) -> Result<Json<PartnerDto>, ApiError> {
    partner::accept(
        &state.store,
        &user.id,
        user.data_key()?,
        &body.code,
        accounts::now(),
    )
    .await?;
    Ok(Json(partner_dto(&state, &user).await?))
}

/// What to share with the partner: exactly these items, replacing the choice before.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SharingRequest {
    /// The items to share; an empty list shares nothing, and an item listed twice counts
    /// once.
    #[schema(value_type = Vec<ItemId>)]
    pub items: Vec<String>,
}

/// Chooses what the partner sees. What is no longer chosen is gone from the link at once.
#[utoipa::path(put, path = "/partner/sharing", tag = "partner",
    security(("token" = []), ("session" = [])),
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    request_body = SharingRequest,
    responses(
        (status = OK, body = PartnerDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_sharing(
    State(state): State<AppState>,
    user: ApiUser,
    JsonBody(body): JsonBody<SharingRequest>,
) -> Result<Json<PartnerDto>, ApiError> {
    // Listed twice is the same as once: a choice, not a count.
    let mut items = BTreeSet::new();
    for (i, id) in body.items.iter().enumerate() {
        items.insert(
            id.parse::<Item>()
                .map_err(|e| AppError::field(format!("items[{i}]"), e))?,
        );
    }
    couple::share(
        &state.store,
        &user.id,
        user.data_key()?,
        items,
        accounts::now(),
    )
    .await?;
    Ok(Json(partner_dto(&state, &user).await?))
}

/// Which day to work the plan out for.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// The client's own date (YYYY-MM-DD), at most one day from the server's UTC date;
    /// without it, the server's.
    #[param(value_type = Option<LocalDate>)]
    today: Option<String>,
}

/// Something the couple plan does not know.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotKnownDto {
    /// `partner_pain_type_role`, `partner_pain_today` or `partner_conditions`.
    pub id: &'static str,
    /// What it means for the plan.
    pub text: &'static str,
}

/// The couple's plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct CouplePlanDto {
    /// The plan: your full profile and journal, and what your partner shares.
    pub plan: PlanDto,
    /// What the plan does not know because your partner does not share it.
    pub does_not_know: Vec<NotKnownDto>,
}

async fn circumstances(
    state: &AppState,
    user: &ApiUser,
    today: LocalDate,
) -> Result<(Option<spinewise_store::ProfileRecord>, Circumstances), AppError> {
    let key = user.data_key()?;
    let saved = profile::load(&state.store, &user.id, key).await?;
    let (given_saved, journal) =
        profile::saved_and_journal(&state.store, &user.id, Some(key)).await?;
    let about = Circumstances::gather(
        state.knowledge,
        Given::default(),
        given_saved,
        journal,
        today,
    )
    .map_err(|e| AppError::field("conditions", e))?;
    Ok((saved, about))
}

/// The couple plan: today's plan from your full profile plus what your partner shares, and
/// what it does not know.
#[utoipa::path(get, path = "/partner/plan", tag = "partner",
    security(("token" = []), ("session" = [])),
    params(DayQuery),
    responses(
        (status = OK, body = CouplePlanDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "Your role is not saved, or your roles cannot go together.", body = Problem, content_type = "application/problem+json"),
    ))]
async fn couple_plan(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> Result<Json<CouplePlanDto>, ApiError> {
    let today = client_date(q.today.as_deref())?;
    let view = linked_view(&state, &user).await?;
    let (saved, about) = circumstances(&state, &user, today).await?;
    let k = state.knowledge;
    let plan = couple::couple_plan(k, saved.as_ref(), &about, &view.theirs)?;
    Ok(Json(CouplePlanDto {
        plan: PlanDto::new(k, &plan.request, &plan.plan),
        does_not_know: plan
            .not_known
            .iter()
            .map(|n| NotKnownDto {
                id: n.as_str(),
                text: n.words(),
            })
            .collect(),
    }))
}

async fn linked_view(state: &AppState, user: &ApiUser) -> Result<partner::View, AppError> {
    partner::view(&state.store, &user.id, user.data_key()?)
        .await?
        .ok_or_else(|| AppError::NotFound("you are not linked with a partner".to_owned()))
}

/// A partner's private marks of positions.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarksDto {
    /// Position id → `yes`, `maybe` or `no`; a position left out is not marked. Only you
    /// see your marks; your partner sees only the positions you both marked.
    #[schema(schema_with = marks_schema)]
    pub marks: BTreeMap<String, String>,
}

/// Position ids as the keys, `yes`, `maybe` or `no` as the values.
fn marks_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::Ref;
    use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property_names(Some(
            AllOfBuilder::new().item(Ref::from_schema_name("PositionId")),
        ))
        .additional_properties(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["yes", "maybe", "no"])),
        ))
        .build()
}

/// Your own marks.
#[utoipa::path(get, path = "/partner/marks", tag = "partner",
    security(("token" = []), ("session" = [])),
    responses(
        (status = OK, body = MarksDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_marks(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Json<MarksDto>, ApiError> {
    let view = linked_view(&state, &user).await?;
    Ok(Json(MarksDto {
        marks: view
            .my_marks
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().to_owned()))
            .collect(),
    }))
}

/// Replaces your marks.
#[utoipa::path(put, path = "/partner/marks", tag = "partner",
    security(("token" = []), ("session" = [])),
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    request_body = MarksDto,
    responses(
        (status = OK, body = MarksDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn put_marks(
    State(state): State<AppState>,
    user: ApiUser,
    JsonBody(body): JsonBody<MarksDto>,
) -> Result<Json<MarksDto>, ApiError> {
    let mut marks = BTreeMap::new();
    for (id, mark) in &body.marks {
        let mark = mark
            .parse::<Mark>()
            .map_err(|e| AppError::field(format!("marks.{id}"), e))?;
        marks.insert(id.clone(), mark);
    }
    partner::set_marks(
        &state.store,
        state.knowledge,
        &user.id,
        user.data_key()?,
        marks,
        accounts::now(),
    )
    .await?;
    Ok(Json(body))
}

/// A position on "our list".
#[derive(Debug, Serialize, ToSchema)]
pub struct ListedDto {
    /// The position's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Today's verdict for your back.
    pub you: &'static str,
    /// Today's verdict for your partner's back.
    pub partner: &'static str,
}

impl From<Listed> for ListedDto {
    fn from(l: Listed) -> ListedDto {
        ListedDto {
            id: l.id,
            name: l.name,
            you: l.you.as_str(),
            partner: l.partner.as_str(),
        }
    }
}

/// "Our list".
#[derive(Debug, Serialize, ToSchema)]
pub struct OurListDto {
    /// Positions you both marked yes, that today's plan does not advise against for either
    /// back, best first.
    pub both_yes: Vec<ListedDto>,
    /// Positions you both marked yes or maybe, the same way.
    pub yes_or_maybe: Vec<ListedDto>,
}

/// "Our list": the positions both partners marked, among today's suitable ones. A partner's
/// `no` never shows, and looks like a position they have not marked.
#[utoipa::path(get, path = "/partner/list", tag = "partner",
    security(("token" = []), ("session" = [])),
    params(DayQuery),
    responses(
        (status = OK, body = OurListDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
    ))]
async fn our_list(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> Result<Json<OurListDto>, ApiError> {
    let today = client_date(q.today.as_deref())?;
    let view = linked_view(&state, &user).await?;
    let (saved, about) = circumstances(&state, &user, today).await?;
    let plan = couple::couple_plan(state.knowledge, saved.as_ref(), &about, &view.theirs)?;
    let list = couple::our_list(&view, &plan.plan);
    Ok(Json(OurListDto {
        both_yes: list.yes.into_iter().map(Into::into).collect(),
        yes_or_maybe: list.yes_or_maybe.into_iter().map(Into::into).collect(),
    }))
}

/// An occasion both partners can log.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccasionDto {
    /// Its id.
    pub id: String,
    /// The day of the occasion.
    #[schema(value_type = String, format = Date)]
    pub date: String,
    /// Whether you asked the question (else your partner did).
    pub asked_by_you: bool,
    /// Whether the partner asked has answered.
    pub answered: bool,
    /// Your back pain the morning after, from your journal.
    pub your_answer: Option<u8>,
    /// Your partner's, when you both share morning answers.
    pub partner_answer: Option<u8>,
}

/// The occasions, latest first.
#[utoipa::path(get, path = "/partner/occasions", tag = "partner",
    security(("token" = []), ("session" = [])),
    responses(
        (status = OK, body = Vec<OccasionDto>),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_occasions(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Json<Vec<OccasionDto>>, ApiError> {
    let view = linked_view(&state, &user).await?;
    let journal = journal::load(&state.store, &user.id, user.data_key()?)
        .await
        .map_err(AppError::from)?;
    Ok(Json(
        view.occasions
            .iter()
            .map(|o| OccasionDto {
                id: o.id.clone(),
                date: o.date.to_string(),
                asked_by_you: o.asked_by == view.me,
                answered: o.answered_on.is_some(),
                your_answer: couple::my_morning(&view, &journal, &o.id).map(PainScore::value),
                partner_answer: view.their_morning(&o.id).map(PainScore::value),
            })
            .collect(),
    ))
}

/// Which of your intimacy entries to ask about.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskRequest {
    /// The id of your intimacy entry.
    #[schema(value_type = EntryId)]
    pub entry_id: String,
}

/// The question asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct AskedDto {
    /// The occasion's id.
    pub id: String,
}

/// Asks your partner "how is your back this morning?" about one of your intimacy entries,
/// once per entry. They answer in their own journal; the two are one occasion.
#[utoipa::path(post, path = "/partner/occasions", tag = "partner",
    security(("token" = []), ("session" = [])),
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    request_body = AskRequest,
    responses(
        (status = CREATED, body = AskedDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn ask(
    State(state): State<AppState>,
    user: ApiUser,
    JsonBody(body): JsonBody<AskRequest>,
) -> Result<Response, ApiError> {
    let key = user.data_key()?;
    let id = body
        .entry_id
        .parse::<EntryId>()
        .map_err(|e| AppError::field("entry_id", e))?;
    let date = match journal::get(&state.store, &user.id, key, &id)
        .await
        .map_err(AppError::from)?
    {
        Some(Entry::Intimacy(i)) => i.at.date(),
        _ => {
            return Err(AppError::NotFound(format!(
                "you have no intimacy entry with id '{}'",
                body.entry_id
            ))
            .into());
        }
    };
    let id = partner::ask_next_morning(
        &state.store,
        &user.id,
        key,
        id.as_str(),
        date,
        accounts::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(AskedDto { id })).into_response())
}

/// An occasion's id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct OccasionPath {
    /// The occasion's id.
    id: String,
}

/// Your answer the morning after.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    /// Your back pain on getting up, 0 to 10.
    #[schema(minimum = 0, maximum = 10)]
    #[serde(deserialize_with = "spinewise_domain::whole_number::read")]
    pub pain: i64,
}

/// Where the answer went.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnsweredDto {
    /// The date of the check-in that holds it.
    #[schema(value_type = String, format = Date)]
    pub check_in: String,
}

/// Answers your partner's question in your own journal: the pain on getting up, on your
/// check-in the morning after the occasion.
#[utoipa::path(post, path = "/partner/occasions/{id}/answer", tag = "partner",
    security(("token" = []), ("session" = [])),
    params(OccasionPath, DayQuery, ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    request_body = AnswerRequest,
    responses(
        (status = OK, body = AnsweredDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn answer(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(OccasionPath { id }): ApiPath<OccasionPath>,
    ApiQuery(q): ApiQuery<DayQuery>,
    JsonBody(body): JsonBody<AnswerRequest>,
) -> Result<Json<AnsweredDto>, ApiError> {
    let pain = u8::try_from(body.pain)
        .ok()
        .and_then(PainScore::new)
        .ok_or_else(|| {
            AppError::field(
                "pain",
                format!("{} is not a whole number from 0 to 10", body.pain),
            )
        })?;
    let today = client_date(q.today.as_deref())?;
    let date = couple::answer_next_morning(
        &state.store,
        state.knowledge,
        &user.id,
        user.data_key()?,
        &couple::MorningAnswer {
            occasion: &id,
            pain,
            today,
        },
        accounts::now(),
    )
    .await?;
    Ok(Json(AnsweredDto {
        check_in: date.to_string(),
    }))
}
