//! What the server is set up with ([`Settings`]) and what every handler can reach
//! ([`AppState`]).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use spinewise_domain::Knowledge;
use spinewise_store::Store;

use super::api::cache::PlanCache;
use super::assets::ModelFiles;
use super::connections::ConnectionLimits;
use super::cookies::CookieNames;
use super::hosts::AllowedHosts;
use super::web::coach::limits::Coach;

/// Request bodies larger than this are refused (forms and JSON are small).
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where to listen; port 0 picks a free one.
    pub bind: SocketAddr,
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Behind a TLS-terminating proxy: trust `X-Forwarded-For` and mark cookies `Secure`.
    pub behind_proxy: bool,
    /// How many recommendation answers to keep in memory (0: none).
    pub plan_cache: usize,
    /// Serve HTTPS with this certificate chain and key (PEM files).
    pub tls: Option<TlsFiles>,
    /// The `@mediapipe/pose` package the motion coach's page runs (see
    /// [`super::default_coach_assets`]).
    pub coach_assets: std::path::PathBuf,
    /// The number the pages offer to call in an emergency (tap-to-call), beside the words
    /// "your local emergency number" ([`spinewise_app::emergency::DEFAULT_NUMBER`] unless set).
    pub emergency_number: String,
    /// The most frames a second one coaching connection may send
    /// ([`super::web::coach::MAX_FRAMES_PER_SECOND`] unless a test replays faster).
    pub coach_max_fps: u32,
    /// How long headers may take and how many connections one address may hold
    /// ([`ConnectionLimits::usual`]).
    pub connections: ConnectionLimits,
    /// The host names the server answers to besides loopback names and IP addresses (from
    /// `--public-url`).
    pub public_hosts: Vec<String>,
    /// How long a coaching connection may stay quiet (no frame, no command) before it is
    /// closed ([`super::web::coach::IDLE_TIMEOUT`] unless a test waits less).
    pub coach_idle_timeout: std::time::Duration,
    /// The most a journal may hold ([`spinewise_store::JournalQuota::STANDARD`] unless a test
    /// fills one sooner).
    pub journal_quota: spinewise_store::JournalQuota,
    /// How many imports one account may try in an hour
    /// ([`spinewise_app::accounts::MAX_IMPORTS_PER_WINDOW`] unless a test imports more).
    pub imports_per_hour: u32,
}

/// A certificate chain and its private key, as PEM files.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// The certificate chain.
    pub cert: std::path::PathBuf,
    /// The private key.
    pub key: std::path::PathBuf,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The knowledge base.
    pub knowledge: &'static Knowledge,
    /// The database.
    pub store: Store,
    /// The cookie names and their `Secure` flag.
    pub cookies: CookieNames,
    /// Whether `X-Forwarded-For` is to be trusted.
    pub behind_proxy: bool,
    /// The OpenAPI document, serialised once.
    pub openapi_json: Bytes,
    /// Recent recommendation answers.
    pub plans: Arc<PlanCache>,
    /// The fixed parts of every plan's JSON, escaped once.
    pub plan_json: Arc<spinewise_app::plan_json::PlanJson>,
    /// Insights pages computed lately, by user, with the journal version they came from.
    pub insights: Arc<super::journal_memo::JournalMemo>,
    /// The emergency number for tap-to-call links.
    pub emergency_number: Arc<str>,
    /// The motion coach's files and its open connections.
    pub coach: Coach,
    /// The names the server answers to.
    pub hosts: AllowedHosts,
    /// How many imports one account may try in an hour.
    pub imports_per_hour: u32,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.store.backend())
            .field("cookies", &self.cookies)
            .finish_non_exhaustive()
    }
}

impl axum::extract::FromRef<AppState> for ModelFiles {
    fn from_ref(state: &AppState) -> ModelFiles {
        state.coach.model.clone()
    }
}
