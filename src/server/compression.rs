//! Compressed answers: gzip or brotli, whichever the client accepts, for pages, JSON and static
//! files, without opening the way to BREACH.
//!
//! BREACH guesses a secret from the size of compressed answers that carry both the secret and
//! something the attacker put in the request. Two rules keep it out:
//!
//! - the CSRF token that every form carries is masked afresh in each answer
//!   ([`super::auth::mask_csrf`]), so its bytes never repeat and cannot be guessed;
//! - an answer that can show another secret (a recovery code, an API token, a clinician's link
//!   or PIN, a partner's invitation code) is never compressed: [`holds_a_secret`] names them.
//!
//! Files that compress badly (images, the pose model's weights) are sent as they are.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{And, DefaultPredicate, NotForContentType, Predicate};

/// Marks an answer that must go out uncompressed.
#[derive(Debug, Clone, Copy)]
pub struct Uncompressed;

/// Whether the answer to `path` can show a secret beside what the request sent: the account
/// pages (recovery codes, API tokens), sharing with a clinician (the link and its PIN), a
/// clinician's own view (its link is in the path), and partner invitations (the code).
pub fn holds_a_secret(path: &str) -> bool {
    let under = |root: &str| {
        path == root
            || path
                .strip_prefix(root)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    under("/account")
        || under("/recover")
        || under("/journal/share")
        || under("/partner")
        || under("/s")
        || under("/api/v1/shares")
        || under("/api/v1/shared")
        || under("/api/v1/partner/invitation")
}

/// Middleware: marks the answers to [`holds_a_secret`] paths [`Uncompressed`].
pub async fn mark_secret_answers(request: Request, next: Next) -> Response {
    let secret = holds_a_secret(request.uri().path());
    let mut response = next.run(request).await;
    if secret {
        response.extensions_mut().insert(Uncompressed);
    }
    response
}

/// Compresses what is neither [`Uncompressed`] nor, by [`DefaultPredicate`], too small, an
/// image or a stream; nor opaque binary data (the pose model's weights), which gains little.
#[derive(Clone)]
pub struct WhenSafe {
    inner: And<DefaultPredicate, NotForContentType>,
}

impl std::fmt::Debug for WhenSafe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WhenSafe").finish_non_exhaustive()
    }
}

impl Default for WhenSafe {
    fn default() -> WhenSafe {
        WhenSafe::new()
    }
}

impl WhenSafe {
    /// The rule above.
    pub fn new() -> WhenSafe {
        WhenSafe {
            inner: DefaultPredicate::new()
                .and(NotForContentType::const_new("application/octet-stream")),
        }
    }
}

impl Predicate for WhenSafe {
    fn should_compress<B>(&self, response: &axum::http::Response<B>) -> bool
    where
        B: axum::body::HttpBody,
    {
        response.extensions().get::<Uncompressed>().is_none()
            && self.inner.should_compress(response)
    }
}

/// The compression layer: gzip and brotli at their default levels, by [`WhenSafe`].
pub fn layer() -> CompressionLayer<WhenSafe> {
    CompressionLayer::new()
        .gzip(true)
        .br(true)
        .quality(CompressionLevel::Default)
        .compress_when(WhenSafe::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_that_show_secrets_are_named() {
        for path in [
            "/account",
            "/account/recovery-code",
            "/account/tokens",
            "/recover",
            "/journal/share",
            "/journal/share/saved",
            "/partner",
            "/partner/join",
            "/s/abc",
            "/s/abc/fhir",
            "/api/v1/shares",
            "/api/v1/shared/abc",
            "/api/v1/partner/invitation",
        ] {
            assert!(holds_a_secret(path), "{path}");
        }
        for path in [
            "/",
            "/plan",
            "/journal",
            "/journal/insights",
            "/accounting",
            "/api/v1/recommend",
            "/static/style.css",
            "/sharing",
        ] {
            assert!(!holds_a_secret(path), "{path}");
        }
    }
}
