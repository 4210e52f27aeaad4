//! The cookies' names and attributes: the session and CSRF cookies, `HttpOnly`, `SameSite`,
//! and the `__Host-` prefix (which requires `Secure`) when served over TLS.

use axum_extra::extract::cookie::{Cookie, SameSite};
use spinewise_app::accounts::ABSOLUTE_SECS;

/// The names of the cookies: the `__Host-` prefix (which requires `Secure`) when served over
/// TLS.
#[derive(Debug, Clone, Copy)]
pub struct CookieNames {
    /// The session cookie.
    pub session: &'static str,
    /// The CSRF cookie of visitors without a session.
    pub csrf: &'static str,
    /// Whether cookies are marked `Secure`.
    pub secure: bool,
}

impl CookieNames {
    /// The names for a server that is (or is not) reached over TLS.
    pub const fn new(secure: bool) -> CookieNames {
        if secure {
            CookieNames {
                session: "__Host-sw_session",
                csrf: "__Host-sw_csrf",
                secure,
            }
        } else {
            CookieNames {
                session: "sw_session",
                csrf: "sw_csrf",
                secure,
            }
        }
    }

    /// The session cookie for `token`.
    pub fn session_cookie(&self, token: String) -> Cookie<'static> {
        Cookie::build((self.session, token))
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .path("/")
            .max_age(time::Duration::seconds(ABSOLUTE_SECS))
            .build()
    }

    /// A cookie that removes the session cookie.
    pub fn session_removal(&self) -> Cookie<'static> {
        Cookie::build((self.session, ""))
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .path("/")
            .max_age(time::Duration::ZERO)
            .build()
    }

    pub(super) fn csrf_cookie(&self, token: String) -> Cookie<'static> {
        Cookie::build((self.csrf, token))
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Strict)
            .path("/")
            .build()
    }
}
