//! Connections that cannot be held open: slow or missing headers, an idle kept-alive
//! connection, a TLS handshake that never comes, and too many connections from one address
//! are all closed by the server.

use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;

/// A server whose clients get `header_timeout` for their headers and may hold `per_address`
/// connections each.
async fn strict(header_timeout: Duration, per_address: Option<usize>) -> TestApp {
    TestApp::spawn_with(|s, _| {
        s.connections.header_timeout = header_timeout;
        s.connections.handshake_timeout = header_timeout;
        s.connections.per_address = per_address;
    })
    .await
}

async fn connect(app: &TestApp) -> TcpStream {
    let host = app.base.split("://").nth(1).expect("a host").to_owned();
    TcpStream::connect(host).await.expect("connected")
}

/// Reads until the server closes the connection (or `limit` passes); returns what was read
/// and whether it was closed.
async fn read_until_closed(socket: &mut TcpStream, limit: Duration) -> (String, bool) {
    let mut got = Vec::new();
    let closed = tokio::time::timeout(limit, async {
        let mut buf = [0; 4096];
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .is_ok();
    (String::from_utf8_lossy(&got).into_owned(), closed)
}

#[tokio::test]
async fn headers_sent_a_line_at_a_time_do_not_hold_the_connection() {
    let app = strict(Duration::from_secs(1), None).await;
    let mut socket = connect(&app).await;
    socket
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .expect("sent");
    // One more header line every 200 ms, for far longer than the timeout.
    let (mut reader, mut writer) = socket.into_split();
    let trickle = tokio::spawn(async move {
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if writer.write_all(b"X-Slow: 1\r\n").await.is_err() {
                return true;
            }
        }
        false
    });
    let started = Instant::now();
    let mut buf = [0; 1024];
    let closed = tokio::time::timeout(Duration::from_secs(8), async {
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok();
    assert!(closed, "the server closed the connection");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "before the headers were ever finished"
    );
    trickle.abort();
    app.stop().await;
}

#[tokio::test]
async fn a_connection_that_sends_nothing_or_idles_after_an_answer_is_closed() {
    let app = strict(Duration::from_secs(1), None).await;
    // Nothing at all.
    let mut silent = connect(&app).await;
    let (_, closed) = read_until_closed(&mut silent, Duration::from_secs(8)).await;
    assert!(closed, "a silent connection is closed");

    // One request answered, then silence on the kept-alive connection.
    let mut kept = connect(&app).await;
    kept.write_all(b"GET /sources HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .expect("sent");
    let (answer, closed) = read_until_closed(&mut kept, Duration::from_secs(8)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(closed, "an idle kept-alive connection is closed");
    app.stop().await;
}

#[tokio::test]
async fn a_tls_handshake_that_never_comes_is_closed() {
    let app = TestApp::spawn_with(|s, dir| {
        let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
        let made = std::process::Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args(["-subj", "/CN=localhost", "-keyout"])
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .output()
            .expect("openssl makes a test certificate");
        assert!(made.status.success());
        s.tls = tls(cert, key);
        s.connections.handshake_timeout = Duration::from_secs(1);
    })
    .await;
    let mut socket = connect(&app).await;
    let (_, closed) = read_until_closed(&mut socket, Duration::from_secs(8)).await;
    assert!(closed, "the server gave up on the handshake");
    app.stop().await;
}

#[tokio::test]
async fn one_address_holds_at_most_its_share_of_connections() {
    let app = strict(Duration::from_secs(30), Some(3)).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(connect(&app).await);
    }
    // Let the server accept and count them.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut fourth = connect(&app).await;
    let _ = fourth
        .write_all(b"GET /sources HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await;
    let (answer, closed) = read_until_closed(&mut fourth, Duration::from_secs(8)).await;
    assert!(
        closed && answer.is_empty(),
        "the fourth is closed at once: {answer}"
    );

    // Closing one frees a place.
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut fifth = connect(&app).await;
    fifth
        .write_all(b"GET /sources HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .expect("sent");
    let (answer, _) = read_until_closed(&mut fifth, Duration::from_secs(8)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(held);
    app.stop().await;
}
