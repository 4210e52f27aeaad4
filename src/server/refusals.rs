//! Refusals said the way every other answer is: a request line or headers too long to take
//! (414, 431) are refused here, before any handler, and the refusals the framework writes in
//! plain text (a form too large or not sent as a form, 413 and 415; a timeout, 408) are rewritten as
//! an HTML page, or a problem document under `/api/` — so that each carries the security
//! headers and says what was wrong in words.
//!
//! The connection's own parser refuses a request line past 64 KiB or headers past about
//! 400 KiB before the application sees them, with an empty answer; the limits here are well
//! inside those, so that in practice every such refusal is this module's.

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use spinewise_app::error::size_words;

use crate::server::api::IMPORT_LIMIT_BYTES;
use crate::server::error::refusal;
use crate::server::state::BODY_LIMIT_BYTES;

/// The longest path and query taken.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most bytes of headers (names and values) taken.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// Refuses an over-long request line or headers, and rewrites a plain-text refusal.
pub async fn refuse_in_words(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let uri_bytes = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return refusal(
            &path,
            StatusCode::URI_TOO_LONG,
            format!(
                "the address is {} long, more than the {} taken",
                size_words(uri_bytes),
                size_words(MAX_URI_BYTES)
            ),
        );
    }
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        return refusal(
            &path,
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!(
                "the request's headers are {} long, more than the {} taken",
                size_words(header_bytes),
                size_words(MAX_HEADER_BYTES)
            ),
        );
    }
    let limit = body_limit_of(&path);
    let response = next.run(request).await;
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    // The refusals the framework writes itself; any other plain answer was written so on
    // purpose (a socket's handshake refusal, say) and is left as it is.
    let detail = match status {
        _ if !plain => return response,
        StatusCode::PAYLOAD_TOO_LARGE => format!(
            "what was sent is larger than this page takes ({} at most)",
            size_words(limit)
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            "what was sent is not a form of this site's own (application/x-www-form-urlencoded)"
                .to_owned()
        }
        StatusCode::REQUEST_TIMEOUT => {
            "the request took too long to arrive; please send it again".to_owned()
        }
        _ => return response,
    };
    refusal(&path, status, detail)
}

/// The most a request to `path` may send: the imports take a whole journal, every other route
/// [`BODY_LIMIT_BYTES`].
fn body_limit_of(path: &str) -> usize {
    if path == "/journal/import" || path == "/api/v1/journal/import" {
        IMPORT_LIMIT_BYTES
    } else {
        BODY_LIMIT_BYTES
    }
}
