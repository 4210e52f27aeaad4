//! The web server: the HTML pages ([`web`]) and the JSON API ([`api`]) over the application
//! layer (`spinewise-app`). This module builds and runs it: the router with its security
//! layers, binding the port (0 in tests), and a graceful stop on SIGTERM or Ctrl-C that lets
//! requests in flight finish.
//!
//! - [`state`]: the settings and what every handler can reach.
//! - [`assets`]: the browser's files under content-hashed names, kept for a year.
//! - [`auth`], [`cookies`]: who is asking (session cookie, CSRF, API token, address).
//! - [`compression`]: gzip and brotli, and the answers never compressed (BREACH).
//! - [`connections`]: the time a request's headers may take and the connections per address.
//! - [`hosts`]: the names the server answers to, and forms refused from other sites.
//! - [`error`]: an application error answered as problem+json or as an HTML page.
//! - [`telemetry`]: logging without health data.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use spinewise_domain::Knowledge;
use spinewise_store::Store;
use tokio::net::TcpListener;
use tower_http::timeout::TimeoutLayer;

/// How many users' insights pages the server keeps at once ([`journal_memo`]).
pub const INSIGHTS_MEMO_USERS: usize = 256;

pub mod api;
pub mod assets;
pub mod auth;
pub mod compression;
pub mod connections;
pub mod cookies;
pub mod error;
pub mod hosts;
pub mod journal_memo;
pub mod refusals;
pub mod state;
pub mod telemetry;
pub mod web;

use self::connections::{ConnectionLimits, PerAddress};
use self::cookies::CookieNames;
pub use self::state::{AppState, BODY_LIMIT_BYTES, Settings, TlsFiles};

/// A request that takes longer than this is cut off.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How often expired sessions and old sign-in failures are swept away.
const SWEEP_EVERY: Duration = Duration::from_secs(10 * 60);

/// The directory of the browser packages (`web/`, with its `package.json` and lock file):
/// `./web` when run from a checkout, otherwise the one in the source tree this was built from.
pub fn default_web_dir() -> std::path::PathBuf {
    let here = std::path::PathBuf::from("web");
    if here.join("package.json").is_file() {
        here
    } else {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web")
    }
}

/// The `@mediapipe/pose` package inside a browser-packages directory.
pub fn coach_assets_in(web_dir: &std::path::Path) -> std::path::PathBuf {
    web_dir.join("node_modules").join("@mediapipe").join("pose")
}

/// The `@mediapipe/pose` package inside [`default_web_dir`].
pub fn default_coach_assets() -> std::path::PathBuf {
    coach_assets_in(&default_web_dir())
}

/// The TLS configuration from PEM files, with the ring provider (no C toolchain needed).
fn rustls_config(files: &TlsFiles) -> anyhow::Result<axum_server::tls_rustls::RustlsConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .with_context(|| format!("cannot read the certificate {}", files.cert.display()))?;
    anyhow::ensure!(
        !certs.is_empty(),
        "the certificate file {} holds no certificate",
        files.cert.display()
    );
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .with_context(|| format!("cannot read the private key {}", files.key.display()))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .context("cannot set up TLS")?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .context("the certificate and the key do not go together")?;
    Ok(axum_server::tls_rustls::RustlsConfig::from_config(
        Arc::new(config),
    ))
}

/// The Content-Security-Policy of every response: nothing but this site, no inline script,
/// no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The motion coach's page: as [`CSP`], and WebAssembly may be compiled (the pose model runs
/// in it). Still nothing but this site.
pub const COACH_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// A clinician's link (the page or the API): its path holds the link's secret.
fn is_shared_link(path: &str) -> bool {
    path.starts_with("/s/") || path.starts_with("/api/v1/shared/")
}

/// The pages that may use the camera.
fn uses_camera(path: &str) -> bool {
    path == "/move/coach"
}

async fn security_headers(State(secure): State<bool>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    // The site's files, the service worker and the manifest: nothing personal, each with its
    // own caching ([`assets`]).
    let is_static = path.starts_with("/static/")
        || path.starts_with("/vendor/")
        || path == "/sw.js"
        || path == "/manifest.webmanifest";
    let camera = uses_camera(path);
    let shared = is_shared_link(path);
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        header::CONTENT_SECURITY_POLICY,
        if camera { COACH_CSP } else { CSP },
    );
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "no-referrer");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(
        HeaderName::from_static("permissions-policy"),
        if camera {
            "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
        } else {
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
        },
    );
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    if secure {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    if shared {
        // A clinician's link is for one reader: never indexed, never followed.
        set(
            HeaderName::from_static("x-robots-tag"),
            "noindex, nofollow, noarchive",
        );
    }
    if is_static {
        // Each file says how long it may be kept ([`assets`]); one that does not, an hour.
        h.entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("public, max-age=3600"));
    } else {
        // Pages and API answers may carry health data: never kept in a cache.
        set(header::CACHE_CONTROL, "no-store");
    }
    response
}

/// Logs each request by its route, not its address: query strings can hold health data, and
/// a clinician's link holds its secret in the path (`/s/{secret}` is what is logged).
async fn access_log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |p| p.as_str().to_owned());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        route,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// The whole application's router.
pub fn router(state: AppState, api: Router<AppState>) -> Router {
    let secure = state.cookies.secure;
    let hosts = state.hosts.clone();
    let mut files = Router::new();
    for (path, answer) in assets::routes() {
        files = files.route(&path, get(move || std::future::ready(answer)));
    }
    Router::new()
        .merge(web::router())
        .merge(files)
        .nest("/api/v1", api)
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/manifest.webmanifest", get(assets::manifest))
        .route("/sw.js", get(assets::service_worker))
        .route(
            "/vendor/mediapipe/pose/{digest}/{file}",
            get(assets::model_file),
        )
        .fallback(web::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::ensure_csrf_cookie,
        ))
        .layer(middleware::from_fn(access_log))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn_with_state(
            hosts,
            hosts::check_host_and_origin,
        ))
        .layer(middleware::from_fn(refusals::refuse_in_words))
        .layer(middleware::from_fn_with_state(secure, security_headers))
        .layer(middleware::from_fn(compression::mark_secret_answers))
        .layer(compression::layer())
        .with_state(state)
}

/// A built server, bound to its port, ready to run.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    router: Router,
    store: Store,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
    connections: ConnectionLimits,
}

impl Application {
    /// Opens the database (applying migrations), builds the router and binds the port.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let knowledge = Knowledge::bundled().map_err(|e| anyhow::anyhow!("{e}"))?;
        let store = Store::open(&settings.database_url)
            .await
            .context("cannot open the database")?
            .with_journal_quota(settings.journal_quota);
        spinewise_app::accounts::fill_login_skeletons(&store)
            .await
            .map_err(|e| anyhow::anyhow!("cannot give older logins their skeletons: {e}"))?;
        let (api, openapi) = api::router();
        let mut openapi =
            serde_json::to_value(&openapi).context("cannot encode the OpenAPI document")?;
        spinewise_app::knowledge_ids::list_ids(&mut openapi, knowledge);
        spinewise_app::requests::document_request_rules(&mut openapi);
        spinewise_app::entry_dto::document_entry_rules(&mut openapi);
        let openapi_json = Bytes::from(
            serde_json::to_vec(&openapi).context("cannot encode the OpenAPI document")?,
        );
        let state = AppState {
            knowledge,
            store: store.clone(),
            cookies: CookieNames::new(settings.behind_proxy || settings.tls.is_some()),
            behind_proxy: settings.behind_proxy,
            openapi_json,
            plans: Arc::new(api::cache::PlanCache::new(settings.plan_cache)),
            plan_json: Arc::new(spinewise_app::plan_json::PlanJson::new(knowledge)),
            insights: Arc::new(journal_memo::JournalMemo::new(INSIGHTS_MEMO_USERS)),
            emergency_number: Arc::from(settings.emergency_number.as_str()),
            hosts: hosts::AllowedHosts::new(&settings.public_hosts, settings.behind_proxy),
            imports_per_hour: settings.imports_per_hour,
            coach: web::coach::limits::Coach::new(
                settings.coach_assets.clone(),
                settings.coach_max_fps,
                settings.coach_idle_timeout,
            ),
        };
        let tls = settings.tls.as_ref().map(rustls_config).transpose()?;
        let listener = TcpListener::bind(settings.bind)
            .await
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        Ok(Application {
            listener,
            router: router(state, api),
            store,
            tls,
            connections: settings.connections,
        })
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map_or(0, |a| a.port())
    }

    /// The database backend in use.
    pub fn backend(&self) -> &'static str {
        self.store.backend()
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// Whether the server speaks HTTPS.
    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Serves until `stop` completes, then lets requests in flight finish.
    pub async fn run_until(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let sweeper = tokio::spawn(sweep(self.store.clone()));
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let handle = axum_server::Handle::new();
        let stopper = handle.clone();
        tokio::spawn(async move {
            stop.await;
            stopper.graceful_shutdown(Some(REQUEST_TIMEOUT));
        });
        let per_address = PerAddress::new(self.connections.per_address);
        let header_timeout = self.connections.header_timeout;
        let handshake_timeout = self.connections.handshake_timeout;
        let result = match self.listener.into_std() {
            Err(e) => Err(anyhow::Error::new(e).context("cannot hand over the socket")),
            Ok(listener) => match axum_server::from_tcp(listener) {
                Err(e) => Err(anyhow::Error::new(e).context("cannot serve on the socket")),
                Ok(server) => {
                    // Every connection: the header timeout, also between requests on a
                    // kept-alive one, and before the first request is complete.
                    macro_rules! serve_with {
                        ($server:expr) => {{
                            let mut server =
                                $server.handle(handle).first_request_timeout(header_timeout);
                            server
                                .http_builder()
                                .http1()
                                .header_read_timeout(header_timeout);
                            server
                                .serve(service)
                                .await
                                .context("the server stopped with an error")
                        }};
                    }
                    match self.tls {
                        None => serve_with!(server.acceptor(per_address)),
                        Some(config) => serve_with!(
                            server.acceptor(
                                axum_server::tls_rustls::RustlsAcceptor::new(config)
                                    .handshake_timeout(handshake_timeout)
                                    .acceptor(per_address)
                            )
                        ),
                    }
                }
            },
        };
        sweeper.abort();
        self.store.close().await;
        result
    }

    /// Serves until SIGTERM or Ctrl-C.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }
}

/// Deletes expired sessions and old sign-in failures, and the content of expired links for
/// clinicians, now and then. Nothing depends on it for correctness (expired rows are never
/// honoured); it keeps the tables small and expired shares' content out of the database.
async fn sweep(store: Store) {
    let mut tick = tokio::time::interval(SWEEP_EVERY);
    loop {
        tick.tick().await;
        let now = spinewise_app::accounts::now();
        if let Err(e) = store.delete_expired_sessions(now).await {
            tracing::warn!(error = %e, "could not sweep expired sessions");
        }
        if let Err(e) = spinewise_app::accounts::sweep_throttling(&store, now).await {
            tracing::warn!(error = %e, "could not sweep old sign-in failures");
        }
        if let Err(e) = store.delete_expired_partner_invitations(now).await {
            tracing::warn!(error = %e, "could not sweep expired partner invitations");
        }
        if let Err(e) = store.clear_expired_clinician_shares(now).await {
            tracing::warn!(error = %e, "could not clear expired links for clinicians");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("stopping: finishing the requests in flight");
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use tower::ServiceExt;
    use tracing::instrument::WithSubscriber;

    use super::*;

    /// What a log writes, kept.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("the log").extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn the_access_log_names_a_shared_links_route_never_its_secret() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let app = Router::new()
            .route("/s/{secret}", get(|| async { "shared" }))
            .layer(middleware::from_fn(access_log));
        let request = axum::http::Request::get("/s/the-secret-of-the-link?pin=482913")
            .body(axum::body::Body::empty())
            .expect("a request");
        let response = app
            .oneshot(request)
            .with_subscriber(subscriber)
            .await
            .expect("an answer");
        assert_eq!(response.status(), axum::http::StatusCode::OK);
        let log = String::from_utf8(captured.0.lock().expect("the log").clone()).expect("text");
        assert!(log.contains("/s/{secret}"), "the route is logged: {log}");
        assert!(
            !log.contains("the-secret-of-the-link") && !log.contains("482913"),
            "{log}"
        );
    }
}
