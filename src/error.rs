//! One error type for the web app and the API. It knows how to answer: as
//! `application/problem+json` (RFC 9457) for the API, naming each bad field and what is
//! allowed, or as a plain HTML page for the browser. The cause of a server error is logged,
//! never shown; nothing sensitive goes into either.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// One bad field of a request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// Where in the request, e.g. `you.pain_type` or `symptoms[1]`.
    pub field: String,
    /// What is wrong, naming the value given and what is allowed.
    pub detail: String,
}

impl FieldError {
    /// A bad field.
    pub fn new(field: impl Into<String>, detail: impl ToString) -> FieldError {
        FieldError {
            field: field.into(),
            detail: detail.to_string(),
        }
    }
}

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
}

/// What a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request cannot be read at all (not JSON, wrong shape).
    #[error("{0}")]
    Malformed(String),
    /// The body is larger than the server accepts.
    #[error("the request body is larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// The body is not in a format this endpoint reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The request has bad values.
    #[error("{detail}")]
    Invalid {
        /// A summary.
        detail: String,
        /// Each bad field.
        errors: Vec<FieldError>,
    },
    /// The request needs a signed-in user (or a valid API token).
    #[error("sign in first")]
    Unauthorized,
    /// The user is signed in, but their journal key is not unlocked in this session (a session
    /// begun before journals existed, or a token made before): signing in again unlocks it.
    #[error(
        "your journal is locked in this session; sign out and sign in again (or create a new API token) to open it"
    )]
    Locked,
    /// The CSRF token is missing or wrong.
    #[error("the form has expired or did not come from this site; reload the page and try again")]
    Forbidden,
    /// Nothing here.
    #[error("{0}")]
    NotFound(String),
    /// The endpoint does not take this method.
    #[error("this endpoint does not take this method; see /api/v1/openapi.json")]
    MethodNotAllowed,
    /// Too many attempts.
    #[error("too many attempts; wait {retry_after_secs} seconds and try again")]
    TooManyRequests {
        /// How long to wait.
        retry_after_secs: u64,
    },
    /// A conflict with existing data, such as a taken username.
    #[error("{detail}")]
    Conflict {
        /// A summary.
        detail: String,
        /// The field in conflict.
        errors: Vec<FieldError>,
    },
    /// Something failed on our side. The cause is logged, not shown.
    #[error("something went wrong on our side")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    /// A request with one bad field.
    pub fn field(field: impl Into<String>, detail: impl ToString) -> AppError {
        let e = FieldError::new(field, detail);
        AppError::Invalid {
            detail: format!("{}: {}", e.field, e.detail),
            errors: vec![e],
        }
    }

    /// A request with several bad fields.
    pub fn fields(errors: Vec<FieldError>) -> AppError {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.detail),
            _ => format!("{} fields are not valid", errors.len()),
        };
        AppError::Invalid { detail, errors }
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Malformed(_) => StatusCode::BAD_REQUEST,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized | AppError::Locked => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The error as a problem document.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        let errors = match self {
            AppError::Invalid { errors, .. } | AppError::Conflict { errors, .. } => errors.clone(),
            _ => Vec::new(),
        };
        Problem {
            kind: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.to_string(),
            errors,
        }
    }

    /// Logs a server error's cause (other errors are the client's and not logged).
    pub fn log(&self) {
        if let AppError::Internal(cause) = self {
            // Only the top-level message: a database error's inner message can quote values.
            tracing::error!(error = %cause, "request failed");
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}

impl From<spinewise_store::StoreError> for AppError {
    fn from(e: spinewise_store::StoreError) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<crate::journal::JournalError> for AppError {
    fn from(e: crate::journal::JournalError) -> Self {
        use crate::journal::JournalError as J;
        match e {
            J::Invalid(e) => AppError::field(e.field, e.message),
            J::Duplicate { index, ref id } => AppError::field(
                format!("entries[{index}].id"),
                format!("'{id}' appears more than once in the import"),
            ),
            J::Conflict(ref id) => AppError::Conflict {
                detail: e.to_string(),
                errors: vec![FieldError::new(
                    "id",
                    format!("an entry with id '{id}' already exists with other content"),
                )],
            },
            J::Store(e) => e.into(),
            J::Undecryptable(_) | J::Seal(_) => AppError::Internal(e.into()),
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
        if let AppError::TooManyRequests { retry_after_secs } = self.0
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
