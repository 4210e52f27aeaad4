//! Who is asking, over HTTP: the session behind an `HttpOnly` cookie, CSRF tokens, personal
//! API tokens in the `Authorization` header, and the client's address. Passwords, tokens,
//! throttling and keys are the application's ([`spinewise_app::accounts`]); this module only
//! carries them in cookies and headers.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, OptionalFromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use spinewise_app::accounts::{
    self, IDLE_SECS, constant_time_eq, hash_token, key_under_token, now,
};
use spinewise_app::error::AppError;
use spinewise_app::shown_once::Waiting;
use spinewise_store::{Store, UserId};
use spinewise_vault::DataKey;

use super::cookies::CookieNames;
use super::error::ApiError;
use super::state::AppState;

/// What marks a masked CSRF token ([`mask_csrf`]) apart from a bare one.
const MASKED_PREFIX: &str = "m.";

/// A CSRF token as one response carries it: a fresh random pad and the token XORed with it,
/// in URL-safe base64. The token is the same secret each time, but its bytes differ in every
/// page, so a compressed page's size tells an eavesdropper nothing about it (BREACH).
pub fn mask_csrf(token: &str) -> String {
    use base64::Engine as _;
    let token = token.as_bytes();
    let mut out = vec![0u8; token.len() * 2];
    let (pad, masked) = out.split_at_mut(token.len());
    if getrandom::fill(pad).is_err() {
        // Without randomness the bare token is still a valid one: only the masking is lost.
        return String::from_utf8_lossy(token).into_owned();
    }
    for ((m, p), t) in masked.iter_mut().zip(pad.iter()).zip(token) {
        *m = p ^ t;
    }
    let mut text = String::from(MASKED_PREFIX);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode_string(&out, &mut text);
    text
}

/// The token inside a masked one, if `sent` is one.
fn unmask_csrf(sent: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(sent.strip_prefix(MASKED_PREFIX)?)
        .ok()?;
    if bytes.is_empty() || bytes.len() % 2 != 0 {
        return None;
    }
    let (pad, masked) = bytes.split_at(bytes.len() / 2);
    Some(pad.iter().zip(masked).map(|(p, m)| p ^ m).collect())
}

/// Whether `sent` carries `token`, bare or masked. An empty token matches nothing.
pub fn csrf_matches(token: &str, sent: &str) -> bool {
    if token.is_empty() {
        return false;
    }
    let masked = unmask_csrf(sent)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .is_some_and(|t| constant_time_eq(token, &t));
    masked || constant_time_eq(token, sent)
}

/// The CSRF token handed to a visitor without a session in this response.
#[derive(Debug, Clone)]
struct FreshCsrf(String);

/// Middleware: every visitor of a page has a CSRF cookie, so that every form can carry its
/// token.
pub async fn ensure_csrf_cookie(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let names = state.cookies;
    let jar = CookieJar::from_headers(request.headers());
    // Only pages have forms: the API and static files need no CSRF cookie.
    let path = request.uri().path();
    // Files (the site's own and the pose model's) are kept by browsers and caches for a long
    // time: they never carry a cookie.
    let is_page = !(path.starts_with("/api/")
        || path.starts_with("/static/")
        || path.starts_with("/vendor/")
        || path == "/sw.js"
        || path == "/manifest.webmanifest");
    // A cookie whose token this server did not sign (made up, or planted by another site) is
    // replaced, so a form can only ever echo a token the server made.
    let signed = match jar.get(names.csrf) {
        Some(cookie) => accounts::csrf_is_signed(&state.store, cookie.value()).await,
        None => false,
    };
    let fresh = if is_page && !signed {
        accounts::signed_csrf(&state.store)
            .await
            .ok()
            .map(FreshCsrf)
    } else {
        None
    };
    if let Some(f) = &fresh {
        request.extensions_mut().insert(f.clone());
    }
    let mut response = next.run(request).await;
    if let Some(FreshCsrf(token)) = fresh
        && let Ok(v) = HeaderValue::from_str(&names.csrf_cookie(token).to_string())
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Their id.
    pub id: UserId,
    /// Their login.
    pub login: String,
    /// Whether this is a demo account full of synthetic data.
    pub demo: bool,
    /// The hash of their session token.
    pub session_hash: String,
    /// Their session's CSRF token.
    pub csrf: String,
    /// Their journal's data key, unwrapped for this request (none for a session begun before
    /// journals existed).
    pub key: Option<Arc<DataKey>>,
    /// A new recovery code or API token waiting in the session to be shown.
    pub shown_once: Waiting,
}

impl SignedIn {
    /// The journal's key, or the reason it is not there.
    pub fn data_key(&self) -> Result<&DataKey, AppError> {
        self.key.as_deref().ok_or(AppError::Locked)
    }
}

/// Whoever is asking for a page: signed in or not, with the CSRF token their forms carry.
#[derive(Debug, Clone)]
pub struct Visitor {
    user: Option<SignedIn>,
    csrf: String,
    /// The emergency number the server was set up with, for the pages' tap-to-call links.
    emergency_number: Arc<str>,
}

impl Visitor {
    /// The same visitor without a session (after the account is deleted), whose forms carry
    /// `csrf`.
    pub fn anonymous(&self, csrf: String) -> Visitor {
        Visitor {
            user: None,
            csrf,
            emergency_number: self.emergency_number.clone(),
        }
    }

    /// The emergency number for a tap-to-call link.
    pub fn emergency_number(&self) -> &str {
        &self.emergency_number
    }

    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&SignedIn> {
        self.user.as_ref()
    }

    /// The signed-in user's login, if any.
    pub fn login(&self) -> Option<&str> {
        self.user.as_ref().map(|u| u.login.as_str())
    }

    /// The visitor's CSRF token itself, for handing over to the same visitor signed out.
    pub fn csrf_token(&self) -> &str {
        &self.csrf
    }

    /// The token a form on this page posts back: the visitor's token masked afresh
    /// ([`mask_csrf`]), so that no two pages carry it as the same bytes.
    pub fn csrf(&self) -> String {
        mask_csrf(&self.csrf)
    }

    /// Refuses a form that does not carry the visitor's CSRF token, masked or not.
    pub fn verify_csrf(&self, posted: &str) -> Result<(), AppError> {
        if csrf_matches(&self.csrf, posted) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The signed-in user, or a refusal.
    pub fn require(&self) -> Result<&SignedIn, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }
}

/// Looks up the session behind the cookie, sliding its idle expiry forward now and then.
async fn session_user(
    store: &Store,
    jar: &CookieJar,
    names: CookieNames,
) -> Result<Option<SignedIn>, AppError> {
    let Some(cookie) = jar.get(names.session) else {
        return Ok(None);
    };
    let hash = hash_token(cookie.value());
    let now = now();
    let Some(session) = store.session(&hash, now).await? else {
        return Ok(None);
    };
    let Some(user) = store.user_by_id(&session.user_id).await? else {
        return Ok(None);
    };
    // Sessions begun before the password last changed are over.
    if session.created_at < user.password_changed_at {
        store.delete_session(&hash).await?;
        return Ok(None);
    }
    // Write at most every few minutes, not on every request.
    if session.idle_expires_at - now < IDLE_SECS - 5 * 60 {
        store.touch_session(&hash, now, now + IDLE_SECS).await?;
    }
    Ok(Some(SignedIn {
        key: key_under_token(session.wrapped_key.as_deref(), cookie.value()),
        shown_once: session
            .shown_once
            .as_deref()
            .and_then(|blob| Waiting::open(blob, cookie.value()))
            .unwrap_or_default(),
        id: user.id,
        login: user.login,
        demo: user.demo,
        session_hash: hash,
        csrf: session.csrf_token,
    }))
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = crate::server::error::PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let names = state.cookies;
        let jar = CookieJar::from_headers(&parts.headers);
        let user = session_user(&state.store, &jar, names).await?;
        let csrf = match &user {
            Some(u) => u.csrf.clone(),
            None => parts
                .extensions
                .get::<FreshCsrf>()
                .map(|f| f.0.clone())
                .or_else(|| jar.get(names.csrf).map(|c| c.value().to_owned()))
                .unwrap_or_default(),
        };
        Ok(Visitor {
            user,
            csrf,
            emergency_number: state.emergency_number.clone(),
        })
    }
}

/// The user an API call is made for: by a personal API token (`Authorization: Bearer …`),
/// or by the session cookie with the CSRF token in `X-CSRF-Token` for anything but reads.
#[derive(Debug, Clone)]
pub struct ApiUser {
    /// Their id.
    pub id: UserId,
    /// Their journal's data key, if this token or session carries it.
    pub key: Option<Arc<DataKey>>,
}

impl ApiUser {
    /// The journal's key, or the reason it is not there.
    pub fn data_key(&self) -> Result<&DataKey, AppError> {
        self.key.as_deref().ok_or(AppError::Locked)
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    // The scheme's name is case-insensitive (RFC 7235).
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(token) = bearer(&parts.headers) {
            let hash = hash_token(token);
            let found = state.store.api_token_by_hash(&hash).await?;
            return match found {
                Some(t) => {
                    state.store.touch_api_token(&t.id, now()).await?;
                    Ok(ApiUser {
                        key: key_under_token(t.wrapped_key.as_deref(), token),
                        id: t.user_id,
                    })
                }
                None => Err(AppError::Unauthorized.into()),
            };
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(user) = session_user(&state.store, &jar, state.cookies).await? else {
            return Err(AppError::Unauthorized.into());
        };
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !csrf_matches(&user.csrf, sent) {
                return Err(AppError::Forbidden.into());
            }
        }
        Ok(ApiUser {
            id: user.id,
            key: user.key,
        })
    }
}

/// An API user when the request carries a token or a session cookie, nobody when it carries
/// neither: for endpoints that answer anyone and say more to a signed-in user. Credentials
/// that are sent but wrong are still refused.
impl OptionalFromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        let has_session = CookieJar::from_headers(&parts.headers)
            .get(state.cookies.session)
            .is_some();
        if !parts.headers.contains_key(header::AUTHORIZATION) && !has_session {
            return Ok(None);
        }
        <ApiUser as FromRequestParts<AppState>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}

/// The address a request comes from: the peer, or behind a trusted proxy the address that
/// proxy saw, the last one in `X-Forwarded-For` (earlier ones are whatever the client
/// wrote). Used to throttle sign-ins per address.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.behind_proxy
            && let Some(forwarded) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
        {
            return Ok(ClientAddress(forwarded.to_string()));
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string());
        Ok(ClientAddress(peer))
    }
}

/// Starts a session for `user`, ending the one the browser had (the id is rotated at every
/// sign-in), with the journal's key wrapped under the new cookie's token. Returns the cookie
/// to set.
pub async fn start_session(
    store: &Store,
    names: CookieNames,
    jar: &CookieJar,
    user: &UserId,
    key: Option<&DataKey>,
    shown_once: &Waiting,
) -> Result<Cookie<'static>, AppError> {
    let old = jar.get(names.session).map(Cookie::value);
    let token = accounts::start_session(store, old, user, key, shown_once).await?;
    Ok(names.session_cookie(token))
}

/// Replaces what waits to be shown once in the session of this request's cookie. Refused as
/// [`AppError::Unauthorized`] when the session has ended meanwhile.
pub async fn set_shown_once(
    store: &Store,
    names: CookieNames,
    jar: &CookieJar,
    waiting: &Waiting,
) -> Result<(), AppError> {
    let token = jar
        .get(names.session)
        .map(Cookie::value)
        .ok_or(AppError::Unauthorized)?;
    if accounts::set_shown_once(store, token, waiting).await? {
        Ok(())
    } else {
        Err(AppError::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_token_differs_each_time_and_still_matches() {
        let token = "b6Yc0xq3VZkWmT1h9sLr2A";
        let (a, b) = (mask_csrf(token), mask_csrf(token));
        assert_ne!(a, b, "every page carries different bytes");
        assert!(!a.contains(token));
        assert!(csrf_matches(token, &a) && csrf_matches(token, &b));
        assert!(
            csrf_matches(token, token),
            "the bare token is still accepted"
        );
    }

    #[test]
    fn a_wrong_or_broken_token_does_not_match() {
        let token = "b6Yc0xq3VZkWmT1h9sLr2A";
        assert!(!csrf_matches(token, &mask_csrf("another-token-entirely")));
        assert!(!csrf_matches(token, "m.not base64!"));
        assert!(!csrf_matches(token, "m."));
        assert!(!csrf_matches(token, ""));
        assert!(!csrf_matches("", ""), "an empty token matches nothing");
        assert!(!csrf_matches("", &mask_csrf("")));
    }
}
