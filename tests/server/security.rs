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
            // A file's plain name is checked on each use; its hashed name kept for a year.
            assert_eq!(get("cache-control"), "no-cache", "{path}");
        } else {
            assert_eq!(get("cache-control"), "no-store", "{path}");
        }
    }
    let r = c.get(app.url("/no-such-page")).send().await.expect("sent");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Under its content-hashed name, a file is kept for a year; an unknown name is not found.
    let r = c
        .get(app.url(spinewise::server::assets::url("style.css")))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        r.headers()["content-type"]
            .to_str()
            .expect("a type")
            .starts_with("text/css")
    );
    let r = c
        .get(app.url("/static/style.0123456789ab.css"))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

/// A request too long to take, or a form the framework refuses, is answered like every other
/// refusal: an HTML page (a problem document under /api/) saying what was wrong in words, with
/// the security headers.
#[tokio::test]
async fn oversized_and_unreadable_requests_are_refused_in_words_with_the_headers() {
    let app = TestApp::spawn().await;
    let c = Client::new();
    let long = "a".repeat(9 * 1024);
    let big_form = format!("answer={}", "a".repeat(70 * 1024));
    let cases = [
        (
            c.get(app.url(&format!("/faq?q={long}"))),
            StatusCode::URI_TOO_LONG,
            "text/html",
            "more than the 8 KiB taken",
        ),
        (
            c.get(app.url(&format!("/api/v1/faq?q={long}"))),
            StatusCode::URI_TOO_LONG,
            "application/problem+json",
            "more than the 8 KiB taken",
        ),
        (
            c.get(app.url("/"))
                .header("x-padding", "b".repeat(20 * 1024)),
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "text/html",
            "more than the 16 KiB taken",
        ),
        (
            c.post(app.url("/check"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(big_form),
            StatusCode::PAYLOAD_TOO_LARGE,
            "text/html",
            "64 KiB at most",
        ),
        (
            c.post(app.url("/check"))
                .header("content-type", "text/plain")
                .body("a=b"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "text/html",
            "application/x-www-form-urlencoded",
        ),
    ];
    for (request, status, kind, words) in cases {
        let r = request.send().await.expect("sent");
        let what = format!("{status}");
        assert_eq!(r.status(), status, "{what}");
        let get = |name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert!(
            get("content-type").starts_with(kind),
            "{what}: {}",
            get("content-type")
        );
        assert!(
            get("content-security-policy").contains("default-src 'self'"),
            "{what}"
        );
        assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
        let body = r.text().await.expect("a body");
        assert!(body.contains(words), "{what}: {body}");
    }
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

/// Sends `request` (raw HTTP/1.1, closing) to the app and returns the answer.
async fn raw(app: &TestApp, request: String) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.base.split("://").nth(1).expect("a host").to_owned();
    let mut socket = tokio::net::TcpStream::connect(host)
        .await
        .expect("connected");
    socket.write_all(request.as_bytes()).await.expect("sent");
    let mut answer = String::new();
    socket.read_to_string(&mut answer).await.expect("read");
    answer
}

#[tokio::test]
async fn a_name_the_server_does_not_answer_to_is_refused_and_named() {
    let app =
        TestApp::spawn_with(|s, _| s.public_hosts = vec!["spine.example.org".to_owned()]).await;
    for (host, ok) in [
        ("evil.example:8080", false),
        ("127.0.0.1.evil.example", false),
        ("localhost:8080", true),
        ("127.0.0.1", true),
        ("spine.example.org", true),
    ] {
        let answer = raw(
            &app,
            format!("GET /sources HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
        .await;
        if ok {
            assert!(answer.starts_with("HTTP/1.1 200"), "{host}: {answer}");
        } else {
            assert!(answer.starts_with("HTTP/1.1 421"), "{host}: {answer}");
            assert!(
                answer.contains("does not answer to the name")
                    && answer.contains("--public-url")
                    && answer.to_lowercase().contains("x-content-type-options"),
                "{host}: {answer}"
            );
        }
    }
    // The API and the coach's socket alike.
    let api = raw(
        &app,
        "GET /api/v1/knowledge/positions HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
            .to_owned(),
    )
    .await;
    assert!(api.starts_with("HTTP/1.1 421"), "{api}");
    app.stop().await;
}

#[tokio::test]
async fn forms_api_calls_and_sockets_from_another_site_are_refused() {
    let app = TestApp::spawn().await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/login").await;
    let form = [
        ("csrf", csrf.as_str()),
        ("login", "nobody"),
        ("password", "a long enough password"),
    ];
    let from = |origin: &'static str| {
        b.post(app.url("/login"))
            .header("origin", origin)
            .form(&form)
            .send()
    };
    let other = from("https://evil.example").await.expect("sent");
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
    let text = other.text().await.expect("text");
    assert!(text.contains("'https://evil.example'"), "{text}");
    // A cross-site request as browsers mark it, whatever its Origin.
    let marked = b
        .post(app.url("/login"))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "null")
        .form(&form)
        .send()
        .await
        .expect("sent");
    assert_eq!(marked.status(), StatusCode::FORBIDDEN);
    // `Origin: null` alone (a no-referrer page) leaves the decision to the CSRF token, which
    // this request has: the password is checked.
    let null = from("null").await.expect("sent");
    assert_eq!(null.status(), StatusCode::UNAUTHORIZED);
    let same = b
        .post(app.url("/login"))
        .header("sec-fetch-site", "same-origin")
        .header("origin", "null")
        .form(&form)
        .send()
        .await
        .expect("sent");
    assert_eq!(same.status(), StatusCode::UNAUTHORIZED);
    // From this server's own pages the form goes through to the password check.
    let own = b
        .post(app.url("/login"))
        .header("origin", app.base.clone())
        .form(&form)
        .send()
        .await
        .expect("sent");
    assert_eq!(own.status(), StatusCode::UNAUTHORIZED);

    // A WebSocket opened from another site never reaches the coach.
    let host = app.base.split("://").nth(1).expect("a host").to_owned();
    let socket = raw(
        &app,
        format!(
            "GET /move/coach/ws?exercise=hip-hinge HTTP/1.1\r\nHost: {host}\r\nOrigin: https://evil.example\r\n\
             Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        ),
    )
    .await;
    assert!(socket.starts_with("HTTP/1.1 403"), "{socket}");
    app.stop().await;
}

#[tokio::test]
async fn a_csrf_token_the_client_made_up_is_refused_and_replaced() {
    let app = TestApp::spawn().await;
    // Cookie and field both chosen by the client, as another site could plant them.
    let made_up = "chosen-by-the-client";
    let r = Client::new()
        .post(app.url("/login"))
        .header("cookie", format!("sw_csrf={made_up}"))
        .form(&[
            ("csrf", made_up),
            ("login", "nobody"),
            ("password", "a long enough password"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // A page visited with such a cookie gets a signed one in its place.
    let page = Client::new()
        .get(app.url("/login"))
        .header("cookie", format!("sw_csrf={made_up}"))
        .send()
        .await
        .expect("sent");
    let replaced = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("sw_csrf="))
        .expect("a new CSRF cookie")
        .to_owned();
    assert!(!replaced.contains(made_up), "{replaced}");
    let token = replaced
        .trim_start_matches("sw_csrf=")
        .split(';')
        .next()
        .expect("a value");
    assert!(token.contains('.'), "a value and its signature: {token}");
    let html = page.text().await.expect("html");
    let carried = common::server::csrf_in(&html);
    assert!(
        !carried.is_empty() && !html.contains(token),
        "the form carries the signed token masked, never as the cookie's bytes: {carried}"
    );

    // The signed token works, from a browser that keeps it.
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/login").await;
    let r = b
        .submit(
            &app.url("/login"),
            &[
                ("csrf", csrf.as_str()),
                ("login", "nobody"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "checked, not forbidden");
    app.stop().await;
}
