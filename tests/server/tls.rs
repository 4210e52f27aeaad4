//! Over TLS: secure cookies with the `__Host-` prefix and HSTS.

use super::*;

#[tokio::test]
async fn over_tls_cookies_are_secure_and_hsts_is_sent() {
    let app = TestApp::spawn_with(|s, dir| {
        let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
        let made = std::process::Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
            ])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .output()
            .expect("openssl makes a test certificate");
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        s.plan_cache = 0;
        s.tls = tls(cert, key);
    })
    .await;
    let url = app.url("/login");
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("curl")
            .args(["-sk", "-D", "-", "-o", "/dev/null", &url])
            .output()
            .expect("curl runs")
    })
    .await
    .expect("joined");
    let headers = String::from_utf8_lossy(&out.stdout).to_lowercase();
    assert!(headers.starts_with("http/"), "an HTTPS answer: {headers}");
    assert!(
        headers.contains("strict-transport-security: max-age="),
        "{headers}"
    );
    let cookie = headers
        .lines()
        .find(|l| l.starts_with("set-cookie: __host-sw_csrf="))
        .expect("the CSRF cookie, with the __Host- prefix");
    assert!(
        cookie.contains("secure") && cookie.contains("httponly"),
        "{cookie}"
    );
    app.stop().await;
}
