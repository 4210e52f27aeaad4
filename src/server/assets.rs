//! The browser's files under content-hashed names, which a browser may keep for a year and
//! never ask for again: a changed file gets a new name, so no visit ever sees a stale one.
//!
//! - The site's own files (stylesheet, scripts, icons) are compiled in; each is served as
//!   `/static/style.<hash>.css`, and [`url`] gives a page the name to link to. The plain name
//!   (`/static/style.css`) still answers, but must be checked again on every use.
//! - The service worker and the app manifest name those files, so they are served with the
//!   hashed names written in; they themselves keep their fixed names and are always checked.
//! - The pose model's package (about 50 MB, read from disk) is served under one digest of all
//!   its files, `/vendor/mediapipe/pose/<digest>/pose.js`: [`ModelFiles`] works the digest
//!   out the first time a page needs it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;
use tower::ServiceExt;

/// How a file under a content-hashed name may be kept.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// How a file under a fixed name may be kept: stored, but checked again before each use.
pub const REVALIDATE: &str = "no-cache";

/// How many hexadecimal digits of the SHA-256 a name carries.
const HASH_DIGITS: usize = 12;

/// One of the site's own files, compiled in.
#[derive(Debug)]
struct StaticFile {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

macro_rules! static_file {
    ($name:literal, $type:literal) => {
        StaticFile {
            name: $name,
            content_type: $type,
            bytes: include_bytes!(concat!("../../static/", $name)),
        }
    };
}

const FILES: &[StaticFile] = &[
    static_file!("style.css", "text/css; charset=utf-8"),
    static_file!("icon.svg", "image/svg+xml"),
    static_file!("icon-192.png", "image/png"),
    static_file!("icon-512.png", "image/png"),
    static_file!("app.js", "text/javascript; charset=utf-8"),
    static_file!("copy.js", "text/javascript; charset=utf-8"),
    static_file!("journal.js", "text/javascript; charset=utf-8"),
    static_file!("coach.js", "text/javascript; charset=utf-8"),
];

/// The service worker's source, which names the files it keeps by their plain names.
const SERVICE_WORKER: &str = include_str!("../../static/sw.js");
/// The app manifest's source, which names the icons by their plain names.
const MANIFEST: &str = include_str!("../../static/manifest.webmanifest");

/// The hex SHA-256 of `bytes`, cut to [`HASH_DIGITS`].
fn short_hash(bytes: &[u8]) -> String {
    short_hex(Sha256::digest(bytes).as_slice())
}

/// A digest in hexadecimal, cut to [`HASH_DIGITS`].
fn short_hex(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(digest.len() * 2);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex.truncate(HASH_DIGITS);
    hex
}

/// `style.css` with `hash` before its extension: `style.<hash>.css`.
fn hashed_name(name: &str, hash: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{name}.{hash}"),
    }
}

/// The files' hashed names, and the service worker and manifest that name them.
struct Hashed {
    /// Plain name to the path a page links to.
    urls: HashMap<&'static str, String>,
    /// Hashed or plain file name to the file, and whether the name is the hashed one.
    by_name: HashMap<String, (&'static StaticFile, bool)>,
    service_worker: String,
    manifest: String,
}

static HASHED: LazyLock<Hashed> = LazyLock::new(|| {
    let mut urls = HashMap::new();
    let mut by_name = HashMap::new();
    let mut all = String::new();
    let (mut service_worker, mut manifest) = (SERVICE_WORKER.to_owned(), MANIFEST.to_owned());
    for file in FILES {
        let hash = short_hash(file.bytes);
        all.push_str(&hash);
        let name = hashed_name(file.name, &hash);
        let plain = format!("\"/static/{}\"", file.name);
        let url = format!("/static/{name}");
        service_worker = service_worker.replace(&plain, &format!("\"{url}\""));
        manifest = manifest.replace(&plain, &format!("\"{url}\""));
        urls.insert(file.name, url);
        by_name.insert(name, (file, true));
        by_name.insert(file.name.to_owned(), (file, false));
    }
    // A new set of files is a new cache: the worker drops the old one when it takes over.
    let version = short_hash(all.as_bytes());
    service_worker = service_worker.replace("spinewise-static-v1", &format!("spinewise-{version}"));
    Hashed {
        urls,
        by_name,
        service_worker,
        manifest,
    }
});

/// The path a page links to for the site's file `name` (`style.css`): its content-hashed name.
/// An unknown name gives a path that answers 404 (a test reads every template's names).
pub fn url(name: &str) -> &str {
    HASHED
        .urls
        .get(name)
        .map_or("/static/missing", String::as_str)
}

/// One of the site's files as answered: its type, how long it may be kept, its bytes.
#[derive(Debug, Clone, Copy)]
pub struct StaticAnswer {
    content_type: &'static str,
    cache: &'static str,
    bytes: &'static [u8],
}

impl IntoResponse for StaticAnswer {
    fn into_response(self) -> Response {
        (
            [
                (header::CONTENT_TYPE, self.content_type),
                (header::CACHE_CONTROL, self.cache),
            ],
            self.bytes,
        )
            .into_response()
    }
}

/// Every path the site's files answer at, and the answer: the hashed name, kept for a year,
/// and the plain one, checked on every use. Any other name under `/static/` is not found.
pub fn routes() -> impl Iterator<Item = (String, StaticAnswer)> {
    HASHED.by_name.iter().map(|(name, &(file, hashed))| {
        (
            format!("/static/{name}"),
            StaticAnswer {
                content_type: file.content_type,
                cache: if hashed { IMMUTABLE } else { REVALIDATE },
                bytes: file.bytes,
            },
        )
    })
}

/// `GET /sw.js`: the service worker, naming the files by their hashed names.
pub async fn service_worker() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, REVALIDATE),
        ],
        HASHED.service_worker.clone(),
    )
        .into_response()
}

/// `GET /manifest.webmanifest`: what makes the app installable, naming the hashed icons.
pub async fn manifest() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/manifest+json"),
            (header::CACHE_CONTROL, REVALIDATE),
        ],
        HASHED.manifest.clone(),
    )
        .into_response()
}

/// The pose model's package on disk and, once worked out, the digest of all its files.
///
/// The package is installed before the server serves (`serve` runs `npm ci` first); the digest
/// is worked out from the files as they are the first time a page needs it, and kept. A package
/// not there yet is looked for again on the next page.
#[derive(Debug, Clone)]
pub struct ModelFiles {
    dir: Arc<Path>,
    digest: Arc<OnceCell<String>>,
}

impl ModelFiles {
    /// The package in `dir` (`web/node_modules/@mediapipe/pose`).
    pub fn new(dir: PathBuf) -> ModelFiles {
        ModelFiles {
            dir: Arc::from(dir),
            digest: Arc::new(OnceCell::new()),
        }
    }

    /// The package's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The digest of every file in the package (names and contents), worked out once, off the
    /// async threads; `None` while the package is not there or cannot be read.
    pub async fn digest(&self) -> Option<&str> {
        self.digest
            .get_or_try_init(|| {
                let dir = Arc::clone(&self.dir);
                async move {
                    tokio::task::spawn_blocking(move || digest_of(&dir))
                        .await
                        .ok()
                        .flatten()
                        .ok_or(())
                }
            })
            .await
            .ok()
            .map(String::as_str)
    }

    /// Where a page finds the package's files: `/vendor/mediapipe/pose/<digest>/`, or `None`
    /// when the package is not there.
    pub async fn base_url(&self) -> Option<String> {
        self.digest()
            .await
            .map(|d| format!("/vendor/mediapipe/pose/{d}/"))
    }
}

/// The hash of every regular file directly in `dir`, by name order: names and contents.
fn digest_of(dir: &Path) -> Option<String> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    if names.is_empty() {
        return None;
    }
    names.sort();
    let mut hasher = Sha256::new();
    for path in names {
        let bytes = std::fs::read(&path).ok()?;
        let name = path.file_name()?.to_string_lossy().into_owned();
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Some(short_hex(hasher.finalize().as_slice()))
}

/// `GET /vendor/mediapipe/pose/{digest}/{file}`: a file of the pose model's package, kept for a
/// year. Another digest (an older or newer package) is not found.
pub async fn model_file(
    State(model): State<ModelFiles>,
    axum::extract::Path((digest, file)): axum::extract::Path<(String, String)>,
    request: Request,
) -> Response {
    if model.digest().await != Some(digest.as_str()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    // ServeDir refuses what would leave the directory; it sees the file's name alone.
    let (mut parts, body) = request.into_parts();
    let Ok(uri) = format!("/{file}").parse() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    parts.uri = uri;
    let served = tower_http::services::ServeDir::new(model.dir())
        .oneshot(Request::from_parts(parts, body))
        .await;
    let mut response = match served {
        Ok(r) => r.into_response(),
        Err(never) => match never {},
    };
    // A 304 carries the same headers, so that a revalidation keeps the year.
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_a_hashed_name_that_changes_with_its_content() {
        for file in FILES {
            let url = url(file.name);
            let hash = short_hash(file.bytes);
            assert_eq!(url, format!("/static/{}", hashed_name(file.name, &hash)));
            assert_eq!(hash.len(), HASH_DIGITS);
        }
        assert_ne!(short_hash(b"body {}"), short_hash(b"body { }"));
        assert_eq!(hashed_name("style.css", "abc"), "style.abc.css");
        assert_eq!(url("nothing.css"), "/static/missing");
    }

    #[test]
    fn every_file_a_template_links_is_one_of_the_sites_files() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut linked = 0;
        for entry in std::fs::read_dir(&dir).expect("the templates") {
            let path = entry.expect("an entry").path();
            let text = std::fs::read_to_string(&path).expect("a template");
            for call in text.split("assets::url(\"").skip(1) {
                let name = &call[..call.find('"').expect("the name's end")];
                assert!(
                    FILES.iter().any(|f| f.name == name),
                    "{} links {name}, which is not one of the site's files",
                    path.display()
                );
                linked += 1;
            }
            assert!(
                !text.contains("\"/static/"),
                "{} links a file by its plain name",
                path.display()
            );
        }
        assert!(
            linked > 10,
            "the templates link the site's files ({linked})"
        );
    }

    #[test]
    fn the_service_worker_and_manifest_name_the_hashed_files() {
        let sw = &HASHED.service_worker;
        for name in ["style.css", "icon.svg", "app.js"] {
            assert!(sw.contains(url(name)), "{name} in {sw}");
            assert!(!sw.contains(&format!("\"/static/{name}\"")), "{sw}");
        }
        assert!(!sw.contains("spinewise-static-v1"), "a versioned cache");
        assert!(HASHED.manifest.contains(url("icon-512.png")));
    }

    #[test]
    fn the_model_digest_covers_names_and_contents() {
        let dir = tempfile::tempdir().expect("a directory");
        assert_eq!(digest_of(dir.path()), None, "an empty package has none");
        std::fs::write(dir.path().join("pose.js"), "a").expect("write");
        let first = digest_of(dir.path()).expect("a digest");
        std::fs::write(dir.path().join("pose.js"), "b").expect("write");
        let second = digest_of(dir.path()).expect("a digest");
        std::fs::rename(dir.path().join("pose.js"), dir.path().join("other.js")).expect("mv");
        let third = digest_of(dir.path()).expect("a digest");
        assert!(first != second && second != third && first != third);
        assert_eq!(digest_of(&dir.path().join("absent")), None);
    }
}
