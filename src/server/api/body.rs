//! The JSON body extractor of the API: it insists on `Content-Type: application/json` and
//! turns a body that does not parse into a problem document that says where and why, instead
//! of axum's plain-text rejection.

use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;

use crate::server::error::{ApiError, AppError};

/// A request body parsed from JSON.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

/// The body limit of a route that sets its own (the journal import's), put in the request's
/// extensions by that route, so that a body over it is refused naming the right limit.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let limit = req
            .extensions()
            .get::<BodyLimit>()
            .map_or(crate::server::state::BODY_LIMIT_BYTES, |l| l.0);
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim();
                v.eq_ignore_ascii_case("application/json")
                    || (v.starts_with("application/") && v.ends_with("+json"))
            });
        if !is_json {
            return Err(AppError::UnsupportedMediaType(
                "the body must be JSON, sent with Content-Type: application/json".to_owned(),
            )
            .into());
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::TooLarge { limit }
                } else {
                    AppError::Malformed(e.body_text())
                }
            })?;
        // Every body of the API is an object; serde would read a struct from a list too.
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if first.is_some_and(|&b| b != b'{') {
            return Err(AppError::Malformed(
                "the body must be a JSON object ({…}), as the operation documents".to_owned(),
            )
            .into());
        }
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = match serde_path_to_error::deserialize(&mut de) {
            Ok(v) => v,
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                // A syntax error has no field; a value of the wrong type or shape names its path.
                return Err(if inner.is_syntax() || inner.is_eof() || path == "." {
                    AppError::Malformed(format!("the body is not valid JSON: {inner}")).into()
                } else {
                    AppError::field(path, inner).into()
                });
            }
        };
        de.end().map_err(|e| {
            ApiError(AppError::Malformed(format!(
                "the body is not valid JSON: {e}"
            )))
        })?;
        Ok(JsonBody(value))
    }
}
