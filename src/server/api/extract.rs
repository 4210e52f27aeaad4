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

/// Query parameters, refused as problem+json when they do not read.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum_extra::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum_extra::extract::Query(v)| ApiQuery(v))
            .map_err(|e| AppError::Malformed(format!("the query: {}", e.body_text())).into())
    }
}
