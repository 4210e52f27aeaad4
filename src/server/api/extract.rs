//! Path and query extractors of the API that answer a value they cannot read with a problem
//! document naming it, like every other refusal of the API, instead of axum's plain-text
//! rejection (`/positions/%ff`, `?limit=1&limit=2`).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::server::error::{ApiError, AppError};

/// Path parameters, refused as problem+json when they do not read.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| ApiPath(v))
            .map_err(|e| AppError::Malformed(format!("the path: {}", e.body_text())).into())
    }
}

/// Query parameters, refused as problem+json when they do not read; a blank value counts as
/// left out.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = without_blanks(parts.uri.query().unwrap_or_default());
        serde_html_form::from_str::<T>(&query)
            .map(ApiQuery)
            .map_err(|e| AppError::Malformed(format!("the query: {e}")).into())
    }
}

/// The query without its blank values (`kind=`, `limit=%20`): a parameter given blank counts
/// as left out, as in a form left blank.
fn without_blanks(query: &str) -> String {
    let kept = form_urlencoded::parse(query.as_bytes()).filter(|(_, v)| !v.trim().is_empty());
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish()
}
