//! Headers and privacy: the security headers on every answer, nothing loaded from elsewhere.

use super::*;

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let c = Client::new();
    for path in [
        "/",
        "/plan",
        "/static/style.css",
        "/api/v1/health",
        "/no-such-page",
    ] {
        let r = c.get(app.url(path)).send().await.expect("sent");
        let h = r.headers();
        let get = |name: &str| {
            h.get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let csp = get("content-security-policy");
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(get("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(get("referrer-policy"), "no-referrer", "{path}");
        assert!(get("permissions-policy").contains("camera=()"), "{path}");
        if path.starts_with("/static/") {
            assert!(get("cache-control").contains("max-age"), "{path}");
        } else {
            assert_eq!(get("cache-control"), "no-store", "{path}");
        }
    }
    let r = c.get(app.url("/no-such-page")).send().await.expect("sent");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn pages_reference_nothing_outside_the_app() {
    let app = TestApp::spawn().await;
    let c = Browser::new();
    for path in [
        "/",
        "/assess",
        "/plan",
        "/check",
        "/sources",
        "/login",
        "/signup",
        "/faq?q=surgery",
    ] {
        let html = c
            .get(app.url(path))
            .send()
            .await
            .expect("sent")
            .text()
            .await
            .expect("html");
        for bad in [
            "src=\"http",
            "href=\"http",
            "style=\"",
            "url(http",
            "@import",
        ] {
            assert!(!html.contains(bad), "{path} contains {bad}");
        }
        // Scripts come only from the app's own files, never inline (the CSP refuses both
        // anyway); every page registers the service worker and nothing else.
        assert_eq!(
            html.matches("<script").count(),
            html.matches("<script src=\"/static/").count(),
            "{path} has an inline script"
        );
    }
    let css = c
        .get(app.url("/static/style.css"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("css");
    assert!(!css.contains("url(") && !css.contains("@import"));
    app.stop().await;
}
