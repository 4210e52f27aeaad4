//! How an [`AppError`] is answered over HTTP: as `application/problem+json` (RFC 9457) for the
//! API ([`ApiError`]), naming each bad field and what is allowed, or as a plain HTML page for
//! the browser ([`PageError`]). The cause of a server error is logged, never shown.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
pub use spinewise_app::error::{AppError, FieldError, JournalUsageDto};
use utoipa::ToSchema;

/// A problem details document (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
    /// The bad fields, for a request that could not be accepted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For a journal that is full (507): what it holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<JournalUsageDto>,
    /// For a journal that is full (507): what an account may keep.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<JournalUsageDto>,
}

/// An application error as HTTP sees it: a status and a problem document.
pub trait OverHttp {
    /// The HTTP status of this error.
    fn status(&self) -> StatusCode;
    /// The error as a problem document.
    fn problem(&self) -> Problem;
}

impl OverHttp for AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::Malformed(_) => StatusCode::BAD_REQUEST,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized | AppError::Locked => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Gone(_) => StatusCode::GONE,
            // Not 401, which names an authentication scheme: the PIN is not an account's.
            AppError::PinNeeded(_) => StatusCode::FORBIDDEN,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            // Not 409, which a journal write already answers for an id taken by other content,
            // nor 413, which is about one request's body: the account has no room left.
            AppError::JournalFull { .. } => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn problem(&self) -> Problem {
        let status = self.status();
        let errors = match self {
            AppError::Invalid { errors, .. } | AppError::Conflict { errors, .. } => errors.clone(),
            _ => Vec::new(),
        };
        let (usage, limit) = match self {
            AppError::JournalFull { usage, limit, .. } => (Some(*usage), Some(*limit)),
            _ => (None, None),
        };
        Problem {
            kind: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.to_string(),
            errors,
            usage,
            limit,
        }
    }
}

/// An error answered as `application/problem+json`: what the API returns.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let problem = self.0.problem();
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (self.0.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let AppError::TooManyRequests {
            retry_after_secs, ..
        } = self.0
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            headers.insert(header::RETRY_AFTER, v);
        }
        if matches!(self.0, AppError::Unauthorized | AppError::Locked) {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"spinewise\""),
            );
        }
        response
    }
}

/// An error answered as an HTML page: what the pages return.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTpl<'a> {
    title: &'a str,
    detail: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let body = ErrorTpl {
            title: status.canonical_reason().unwrap_or("Error"),
            detail: self.0.to_string(),
        }
        .render()
        .unwrap_or_else(|_| "Something went wrong.".to_owned());
        (status, Html(body)).into_response()
    }
}

/// A refusal with only a status and words (one the framework made, or a request too large to
/// read): an HTML page for the browser, a problem document under `/api/`.
pub fn refusal(path: &str, status: StatusCode, detail: String) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    if path.starts_with("/api/") {
        let problem = Problem {
            kind: "about:blank".to_owned(),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            errors: Vec::new(),
            usage: None,
            limit: None,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    } else {
        let detail = spinewise_domain::words::capitalise(&detail);
        let body = ErrorTpl { title, detail }
            .render()
            .unwrap_or_else(|_| "Something went wrong.".to_owned());
        (status, Html(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_names_each_bad_field() {
        let e = AppError::fields(vec![
            FieldError::new("you.pain_type", "unknown pain type 'x'"),
            FieldError::new(
                "you.pain_now",
                "pain '11' is not a whole number from 0 to 10",
            ),
        ]);
        let p = e.problem();
        assert_eq!(p.status, 422);
        assert_eq!(p.errors.len(), 2);
        assert_eq!(p.errors[0].field, "you.pain_type");
        let json = serde_json::to_value(&p).expect("serialises");
        assert_eq!(json["type"], "about:blank");
    }

    #[test]
    fn an_internal_error_shows_no_cause() {
        let e = AppError::Internal(anyhow::anyhow!("database at /secret/path is locked"));
        assert!(!e.problem().detail.contains("secret"));
    }
}
