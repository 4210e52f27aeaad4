//! Which names the server answers to, and which sites may send it forms.
//!
//! A page on another site can make a browser talk to a server on the same computer or home
//! network by pointing a name it controls at the server's address (DNS rebinding). Such a
//! request carries that name in its `Host` header, so the server answers only to loopback
//! names, IP addresses (which a rebinding name is not) and the names given with
//! `--public-url`. A form or a WebSocket opened from another site is marked so by the browser
//! (`Sec-Fetch-Site`, or an `Origin` naming that site), and is refused before any token is
//! even looked at.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use spinewise_app::public_url::host_name;

/// The names a server answers to besides loopback names and IP addresses.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    names: Arc<[String]>,
    behind_proxy: bool,
}

impl AllowedHosts {
    /// Loopback names, IP addresses and `names` (lower-cased host names, without ports);
    /// behind a proxy, the host the proxy forwards (`X-Forwarded-Host`) is the one checked.
    pub fn new(names: &[String], behind_proxy: bool) -> AllowedHosts {
        AllowedHosts {
            names: names.iter().map(|n| n.to_ascii_lowercase()).collect(),
            behind_proxy,
        }
    }

    /// Whether the server answers to `host` (a `Host` header's value, with or without port).
    pub fn allows(&self, host: &str) -> bool {
        let name = host_name(host);
        name == "localhost"
            || name.ends_with(".localhost")
            || name.parse::<std::net::IpAddr>().is_ok()
            || self.names.contains(&name)
    }

    /// The address a request was sent to, `scheme://host[:port]`, for links the server hands
    /// out: the `Host` it answered to (checked before any handler runs), `https` when
    /// `secure`.
    pub fn base_url(&self, headers: &HeaderMap, secure: bool) -> String {
        let scheme = if secure { "https" } else { "http" };
        format!(
            "{scheme}://{}",
            self.requested(headers).unwrap_or("localhost")
        )
    }

    /// The host a request was sent to.
    fn requested<'h>(&self, headers: &'h HeaderMap) -> Option<&'h str> {
        let forwarded = self
            .behind_proxy
            .then(|| headers.get("x-forwarded-host"))
            .flatten();
        forwarded
            .or_else(|| headers.get(header::HOST))
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(',').next().unwrap_or(v).trim())
    }
}

/// The host of an `Origin` value (`https://example.org:8443`), if it is one.
fn origin_host(origin: &str) -> Option<String> {
    let (_, rest) = origin.split_once("://")?;
    Some(host_name(rest.split('/').next().unwrap_or(rest)))
}

/// Refuses a request sent to a name the server does not answer to, and a form, an API call
/// or a WebSocket opened from another site.
pub async fn check_host_and_origin(
    State(allowed): State<AllowedHosts>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let Some(host) = allowed.requested(headers) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "The request names no host; send a Host header.".to_owned(),
        );
    };
    if !allowed.allows(host) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "This server does not answer to the name '{}'. It answers to localhost, to IP addresses and to the names given with --public-url.",
                host_name(host)
            ),
        );
    }
    let changes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let socket = headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if (changes || socket)
        && let Some(from) = another_site(headers, host)
    {
        return refuse(
            StatusCode::FORBIDDEN,
            format!(
                "This was sent from another site ({from}), so nothing was done. Use the pages of this server itself."
            ),
        );
    }
    next.run(request).await
}

/// Where a request came from, when the browser says it was another site: `Sec-Fetch-Site`
/// (`cross-site`, or `same-site`, which includes another port of this host) where the
/// browser sends it, else an `Origin` naming another host. An `Origin` of `null` (which
/// browsers send under a `no-referrer` policy, as this app's pages have) says nothing, and the
/// CSRF token decides.
fn another_site(headers: &HeaderMap, host: &str) -> Option<String> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "cross-site" | "same-site").then(|| {
            text(header::ORIGIN.as_str())
                .map_or_else(|| format!("a {site} request"), |o| format!("'{o}'"))
        });
    }
    let origin = text(header::ORIGIN.as_str())?;
    if origin == "null" {
        return None;
    }
    origin_host(origin)
        .is_none_or(|o| o != host_name(host))
        .then(|| format!("'{origin}'"))
}

fn refuse(status: StatusCode, message: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_ip_addresses_and_public_names_are_answered() {
        let hosts = AllowedHosts::new(&["spine.example.org".to_owned()], false);
        for ok in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:8080",
            "[::1]:8080",
            "192.168.1.20:8080",
            "Spine.Example.org",
            "spine.example.org:443",
            "app.localhost",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for refused in [
            "evil.example",
            "127.0.0.1.evil.example",
            "spine.example.org.evil.example",
            "localhost.evil.example:8080",
        ] {
            assert!(!hosts.allows(refused), "{refused}");
        }
    }

    #[test]
    fn origins_are_read_to_their_host() {
        assert_eq!(
            origin_host("https://Spine.example.org:8443").as_deref(),
            Some("spine.example.org")
        );
        assert_eq!(origin_host("null"), None);
        assert_eq!(origin_host("http://[::1]:8080").as_deref(), Some("::1"));
    }
}
