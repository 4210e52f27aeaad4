//! The journal API: entries (idempotent by client-chosen id), insights, the personal plan,
//! export (JSON, CSV, FHIR R4) and import, and deletion. Signed-in users only, each seeing
//! nothing but their own journal: every query is keyed by the caller's id, and every entry is
//! sealed under the caller's own key.

// utoipa's `path` macro repeats the IntoParams types it is given with their full path.

use super::extract::ApiPath;
use super::extract::ApiQuery;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use spinewise_domain::Knowledge;
use spinewise_domain::journal::entry::{EntryError, fill_in_results};
use spinewise_domain::journal::{Entry, EntryId, LocalDate, export};
use spinewise_domain::vocab::EntryKind;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::body::JsonBody;
use super::stream;
use crate::server::auth::ApiUser;
use crate::server::error::{ApiError, AppError, Problem};
use crate::server::state::AppState;
use spinewise_app::accounts;
use spinewise_app::entry_dto::{EntryDto, EntryListDto, EntryReplacement, ExportDto};
use spinewise_app::entry_page;
use spinewise_app::journal::{self, Created};

/// The journal's routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_entries, create_entry))
        .routes(routes!(get_entry, put_entry, delete_entry))
        .routes(routes!(delete_journal))
        .routes(routes!(export_journal))
        .routes(routes!(export_csv))
        .routes(routes!(export_fhir))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_journal))
                .layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT_BYTES))
                .layer(axum::Extension(super::body::BodyLimit(IMPORT_LIMIT_BYTES))),
        )
}

/// The largest journal an import takes: about forty years of daily check-ins.
pub const IMPORT_LIMIT_BYTES: usize = 16 * 1024 * 1024;

/// Which entries to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only entries of this kind: `intimacy`, `daily`, `peg`, `exercise` or `assessment`.
    #[param(value_type = Option<EntryKind>)]
    kind: Option<String>,
    /// Only entries on or after this date (YYYY-MM-DD).
    #[param(value_type = Option<LocalDate>)]
    from: Option<String>,
    /// Only entries on or before this date (YYYY-MM-DD).
    #[param(value_type = Option<LocalDate>)]
    to: Option<String>,
    /// The most entries on this page.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, default = 100)]
    limit: Option<String>,
    /// The `next` of the previous page, to list on from there (with the same `kind`, `from`
    /// and `to`). Opaque.
    cursor: Option<String>,
}

/// The answer to a write.
#[derive(Debug, Serialize, ToSchema)]
pub struct Written {
    /// The entry's id.
    #[schema(value_type = EntryId)]
    pub id: String,
    /// Whether this request created it (`false`: the same entry was already there, as when a
    /// write is retried, and nothing was written again).
    pub created: bool,
}

/// The answer to an import.
#[derive(Debug, Serialize, ToSchema)]
pub struct Imported {
    /// How many entries were written.
    pub imported: u64,
    /// Whether the journal was emptied first.
    pub replaced: bool,
}

/// How to import.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true` to delete the whole journal first; otherwise imported entries replace those
    /// with the same id and the others stay.
    replace: Option<bool>,
}

/// Which CSV.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct KindPath {
    /// `intimacy`, `daily`, `peg`, `exercise` or `assessment`.
    #[param(value_type = EntryKind)]
    kind: String,
}

/// An entry's id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IdPath {
    /// The entry's id.
    #[param(value_type = EntryId)]
    id: String,
}

/// Reads an entry, naming the field of the first problem; an assessment's results are worked
/// out from its answers when left out.
fn read_entry(k: &Knowledge, mut body: serde_json::Value) -> Result<Entry, AppError> {
    let field = |e: EntryError| AppError::field(e.field, e.message);
    fill_in_results(&mut body, k).map_err(field)?;
    Entry::from_json(body).map_err(field)
}

fn parse_id(id: &str) -> Result<EntryId, AppError> {
    id.parse::<EntryId>().map_err(|e| AppError::field("id", e))
}

fn not_found(id: &EntryId) -> AppError {
    AppError::NotFound(format!("there is no entry '{id}' in your journal"))
}

/// Lists the signed-in user's journal entries, oldest first, a page at a time: at most
/// `limit` (100 unless asked, 1 to 500), and while there are more, a `next` cursor to ask for
/// the following page with. A cursor that is garbled, another account's or made for another
/// filter is refused with 422 naming `cursor`.
#[utoipa::path(get, path = "/journal/entries", tag = "journal",
    security(("token" = []), ("session" = [])),
    params(ListQuery),
    responses(
        (status = OK, body = EntryListDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_entries(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<EntryListDto>, ApiError> {
    let filter = entry_page::Filter::parse(q.kind.as_deref(), q.from.as_deref(), q.to.as_deref())?;
    let limit = entry_page::parse_limit(q.limit.as_deref())?;
    let key = user.data_key()?;
    let journal = journal::load(&state.store, &user.id, key).await?;
    let page = entry_page::page(&journal, &filter, limit, q.cursor.as_deref(), key, &user.id)?;
    Ok(Json(EntryListDto::page(page.entries, page.next)))
}

/// Adds an entry. Idempotent by `id`: sending the same entry again (a retry after a timeout,
/// say) answers 200 with `created: false` and writes nothing; an entry with the same id but
/// other content is refused with 409, and an entry the journal has no room for with 507.
#[utoipa::path(post, path = "/journal/entries", tag = "journal",
    security(("token" = []), ("session" = [])),
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    request_body = EntryDto,
    responses(
        (status = CREATED, body = Written),
        (status = OK, body = Written, description = "The same entry was already there."),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = INSUFFICIENT_STORAGE, body = Problem, content_type = "application/problem+json", description = "The journal has no room: it would pass the entries or the bytes an account may keep (`limit`); `usage` is what it holds. Nothing was written."),
    ))]
async fn create_entry(
    State(state): State<AppState>,
    user: ApiUser,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Response, ApiError> {
    let entry = read_entry(state.knowledge, body)?;
    let key = user.data_key()?;
    let created = journal::create(
        &state.store,
        state.knowledge,
        &user.id,
        key,
        &entry,
        accounts::now(),
    )
    .await?;
    let status = match created {
        Created::New => StatusCode::CREATED,
        Created::AlreadyThere => StatusCode::OK,
    };
    let location = format!("/api/v1/journal/entries/{}", entry.id());
    let mut response = (
        status,
        Json(Written {
            id: entry.id().to_string(),
            created: created == Created::New,
        }),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// One entry.
#[utoipa::path(get, path = "/journal/entries/{id}", tag = "journal",
    security(("token" = []), ("session" = [])),
    params(IdPath),
    responses(
        (status = OK, body = EntryDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_entry(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(IdPath { id }): ApiPath<IdPath>,
) -> Result<Json<EntryDto>, ApiError> {
    let id = parse_id(&id)?;
    let key = user.data_key()?;
    match journal::get(&state.store, &user.id, key, &id).await? {
        Some(entry) => Ok(Json(EntryDto::from(&entry))),
        None => Err(not_found(&id).into()),
    }
}

/// Creates or replaces the entry with this id. The body need not repeat the id; one that
/// does must give the path's.
#[utoipa::path(put, path = "/journal/entries/{id}", tag = "journal",
    security(("token" = []), ("session" = [])),
    params(IdPath, ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    request_body = EntryReplacement,
    responses(
        (status = OK, body = Written),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = INSUFFICIENT_STORAGE, body = Problem, content_type = "application/problem+json", description = "The journal has no room: it would pass the entries or the bytes an account may keep (`limit`); `usage` is what it holds. Nothing was written."),
    ))]
async fn put_entry(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(IdPath { id }): ApiPath<IdPath>,
    JsonBody(mut body): JsonBody<serde_json::Value>,
) -> Result<Json<Written>, ApiError> {
    let id = parse_id(&id)?;
    if let Some(object) = body.as_object_mut() {
        object
            .entry("id")
            .or_insert_with(|| serde_json::Value::String(id.to_string()));
    }
    let entry = read_entry(state.knowledge, body)?;
    if entry.id() != &id {
        return Err(AppError::field(
            "id",
            format!("the body's id '{}' is not the path's '{id}'", entry.id()),
        )
        .into());
    }
    let key = user.data_key()?;
    let existed = journal::get(&state.store, &user.id, key, &id)
        .await?
        .is_some();
    journal::put(
        &state.store,
        state.knowledge,
        &user.id,
        key,
        &entry,
        accounts::now(),
    )
    .await?;
    Ok(Json(Written {
        id: id.to_string(),
        created: !existed,
    }))
}

/// Deletes one entry: the row is removed from the database, not flagged.
#[utoipa::path(delete, path = "/journal/entries/{id}", tag = "journal",
    security(("token" = []), ("session" = [])),
    params(IdPath, ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    responses(
        (status = NO_CONTENT, description = "Deleted."),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_entry(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(IdPath { id }): ApiPath<IdPath>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&id)?;
    if journal::delete(&state.store, &user.id, user.data_key()?, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(&id).into())
    }
}

/// Deletes the whole journal, every entry, for good. The account stays.
#[utoipa::path(delete, path = "/journal", tag = "journal",
    security(("token" = []), ("session" = [])),
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    responses(
        (status = NO_CONTENT, description = "Deleted."),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_journal(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<StatusCode, ApiError> {
    journal::delete_all(&state.store, &user.id, user.key.as_deref(), accounts::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn attachment(content_type: &'static str, filename: &str, body: axum::body::Body) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// The whole journal as one JSON document, which `POST /journal/import` takes back without
/// loss.
#[utoipa::path(get, path = "/journal/export", tag = "journal",
    security(("token" = []), ("session" = [])),
    responses(
        (status = OK, body = ExportDto),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    ))]
async fn export_journal(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Response, ApiError> {
    let key = user.data_key()?;
    let journal = journal::load(&state.store, &user.id, key).await?;
    let envelope = ExportDto::from(&export::Document::new(
        &spinewise_domain::journal::Journal::default(),
        accounts::now(),
    ));
    let without = serde_json::to_string_pretty(&envelope).map_err(anyhow::Error::from)?;
    let body = stream::pretty_json(without, "entries", journal.into_entries(), |e: &Entry| {
        EntryDto::from(e)
    })?;
    Ok(attachment(
        "application/json",
        "spinewise-journal.json",
        body,
    ))
}

/// One kind of entry as CSV, one row per entry, with a header row.
#[utoipa::path(get, path = "/journal/export/csv/{kind}", tag = "journal",
    security(("token" = []), ("session" = [])),
    params(KindPath),
    responses(
        (status = OK, content_type = "text/csv", body = String),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn export_csv(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(KindPath { kind }): ApiPath<KindPath>,
) -> Result<Response, ApiError> {
    let kind = kind
        .parse::<EntryKind>()
        .map_err(|e| AppError::field("kind", e))?;
    let key = user.data_key()?;
    let journal = journal::load(&state.store, &user.id, key).await?;
    let rows: Vec<Entry> = journal
        .into_entries()
        .into_iter()
        .filter(|e| e.kind() == kind)
        .collect();
    let body = stream::chunked(
        export::csv_header(kind),
        rows,
        |_, e| Ok(export::csv_row(e)),
        String::new(),
    );
    Ok(attachment(
        "text/csv; charset=utf-8",
        &format!("spinewise-{kind}.csv"),
        body,
    ))
}

/// Options of the FHIR export.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FhirQuery {
    /// The person's offset from UTC, `+HH:MM` or `-HH:MM`. The journal keeps wall-clock times
    /// and FHIR requires a time zone with a time of day: without this, only dates are given.
    #[param(
        pattern = r"^(Z|\+(0[0-9]|1[0-3]):[0-5][0-9]|\+14:00|-(0[0-9]|11):[0-5][0-9]|-12:00)$"
    )]
    utc_offset: Option<String>,
}

/// Reads `+HH:MM` / `-HH:MM` (or `Z`).
fn parse_offset(s: &str) -> Result<export::fhir::UtcOffsetMinutes, String> {
    let bad = || {
        format!("'{s}' is not an offset from UTC written +HH:MM or -HH:MM (from -12:00 to +14:00)")
    };
    // A '+' written unencoded in a query string arrives as a space.
    let s = s
        .strip_prefix(' ')
        .map_or_else(|| s.to_owned(), |rest| format!("+{rest}"));
    let s = s.as_str();
    if s == "Z" {
        return Ok(export::fhir::UtcOffsetMinutes(0));
    }
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'+') => (1, &s[1..]),
        Some(b'-') => (-1, &s[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = rest.split_once(':').ok_or_else(bad)?;
    // Exactly two digits each: no second sign ("+-5:00"), and no hours large enough to
    // overflow.
    let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(h) || !two_digits(m) {
        return Err(bad());
    }
    let (h, m) = (
        h.parse::<i16>().map_err(|_| bad())?,
        m.parse::<i16>().map_err(|_| bad())?,
    );
    let total = sign * (h * 60 + m);
    if !(0..60).contains(&m) || !(-12 * 60..=14 * 60).contains(&total) {
        return Err(bad());
    }
    Ok(export::fhir::UtcOffsetMinutes(total))
}

#[cfg(test)]
mod tests {
    use super::parse_offset;

    #[test]
    fn offsets_are_two_digits_each_with_one_sign_and_within_the_earths() {
        let minutes = |s: &str| parse_offset(s).map(|o| o.0);
        assert_eq!(minutes("+01:00"), Ok(60));
        assert_eq!(minutes(" 05:30"), Ok(330), "a '+' that arrived as a space");
        assert_eq!(minutes("-12:00"), Ok(-720));
        assert_eq!(minutes("Z"), Ok(0));
        for bad in [
            "+999:00", "+-5:00", "-+5:00", "+5:00", "+01:7", "+15:00", "+01:60", "01:00",
        ] {
            let e = parse_offset(bad).expect_err(bad);
            assert!(e.contains(&format!("'{}'", bad.trim())), "{bad}: {e}");
        }
    }
}

/// The journal as an HL7 FHIR R4 `Bundle` (type `collection`): assessments as
/// `QuestionnaireResponse`, 0–10 pain scores as `Observation` (LOINC 72514-3), the PEG as its
/// LOINC panel, for a clinician's system.
#[utoipa::path(get, path = "/journal/export/fhir", tag = "journal",
    security(("token" = []), ("session" = [])),
    params(FhirQuery),
    responses(
        (status = OK, content_type = "application/fhir+json", body = Object),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
    ))]
async fn export_fhir(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(q): ApiQuery<FhirQuery>,
) -> Result<Response, ApiError> {
    let offset = q
        .utc_offset
        .as_deref()
        .map(parse_offset)
        .transpose()
        .map_err(|e| AppError::field("utc_offset", e))?;
    let key = user.data_key()?;
    let journal = journal::load(&state.store, &user.id, key).await?;
    let mut bundle = export::fhir_bundle(state.knowledge, &journal, accounts::now(), offset);
    drop(journal);
    // The resources go out a chunk at a time, the bundle's other members around them.
    let resources = match bundle.get_mut("entry").map(serde_json::Value::take) {
        Some(serde_json::Value::Array(resources)) => {
            bundle["entry"] = serde_json::Value::Array(Vec::new());
            resources
        }
        _ => Vec::new(),
    };
    let without = serde_json::to_string_pretty(&bundle).map_err(anyhow::Error::from)?;
    let body = stream::pretty_json(without, "entry", resources, Clone::clone)?;
    Ok(attachment(
        "application/fhir+json",
        "spinewise-journal.fhir.json",
        body,
    ))
}

/// Imports a document written by `GET /journal/export`. Every entry is checked first; if any
/// is refused, nothing is written. Nor is anything written when the journal would end up with
/// more entries or bytes than an account may keep (507; with `replace=true` only the imported
/// entries count). An account may try 10 imports an hour (429 with `Retry-After` after that,
/// whether or not the earlier ones were written).
#[utoipa::path(post, path = "/journal/import", tag = "journal",
    security(("token" = []), ("session" = [])),
    params(ImportQuery, ("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token: required with the session cookie, not with a token.")),
    request_body = ExportDto,
    responses(
        (status = OK, body = Imported),
        (status = BAD_REQUEST, body = Problem, content_type = "application/problem+json"),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = TOO_MANY_REQUESTS, body = Problem, content_type = "application/problem+json", description = "This account has tried 10 imports in the last hour; `Retry-After` says how many seconds until the next may start.", headers(("Retry-After" = u64, description = "Seconds to wait."))),
        (status = INSUFFICIENT_STORAGE, body = Problem, content_type = "application/problem+json", description = "The journal has no room: it would pass the entries or the bytes an account may keep (`limit`); `usage` is what it holds. Nothing was written."),
    ))]
async fn import_journal(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(q): ApiQuery<ImportQuery>,
    JsonBody(mut body): JsonBody<serde_json::Value>,
) -> Result<Json<Imported>, ApiError> {
    let key = user.data_key()?;
    accounts::admit_import(&state.store, &user.id, state.imports_per_hour).await?;
    let field = |e: export::DocumentError| AppError::field(e.field, e.message);
    export::fill_in_results(&mut body, state.knowledge).map_err(field)?;
    let document = export::Document::from_json(body).map_err(field)?;
    let imported = journal::import(
        &state.store,
        state.knowledge,
        &user.id,
        key,
        &document.entries,
        q.replace.unwrap_or(false),
        accounts::now(),
    )
    .await?;
    Ok(Json(Imported {
        imported,
        replaced: q.replace.unwrap_or(false),
    }))
}
