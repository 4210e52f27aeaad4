//! Several instances and their life: two on one PostgreSQL database, a graceful stop, and
//! one behind a proxy.

use super::*;

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "set SPINEWISE_TEST_POSTGRES_URL to run the PostgreSQL variant"
)]
async fn two_instances_on_one_postgresql_database_share_sessions() {
    // A schema of its own on the shared test database.
    let schema = Schema::create("sw_server").await;
    let url = schema.url().to_owned();
    let one = TestApp::on(&url).await;
    let two = TestApp::on(&url).await;

    let b = sign_up(&one, "pat", "pats long password").await;
    // The session cookie is for 127.0.0.1, whatever the port: the second instance sees it.
    let r = b.get(two.url("/account")).send().await.expect("sent");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.text()
            .await
            .expect("html")
            .contains("Signed in as <strong>pat</strong>")
    );
    one.stop().await;
    two.stop().await;
    schema.drop().await;
}

#[tokio::test]
async fn stopping_lets_requests_in_flight_finish() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let app = TestApp::spawn().await;
    let host = app.base.trim_start_matches("http://").to_owned();
    // A request whose body is still arriving when the stop begins: the server has read its
    // head and waits for the rest, so it is in flight whatever the machine's speed.
    let body = json!({"you": {"pain_type": "motion", "role": "insertive"}}).to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut socket = tokio::net::TcpStream::connect(&host)
        .await
        .expect("connected");
    let head = format!(
        "POST /api/v1/recommend HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    );
    socket.write_all(head.as_bytes()).await.expect("sent");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopping = tokio::spawn(app.stop());
    tokio::time::sleep(Duration::from_millis(50)).await;
    socket
        .write_all(rest.as_bytes())
        .await
        .expect("the rest sent");
    let mut answer = String::new();
    socket
        .read_to_string(&mut answer)
        .await
        .expect("answered, not dropped");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    stopping.await.expect("stopped");
}

#[tokio::test]
async fn behind_a_proxy_the_address_is_the_one_the_proxy_saw() {
    let app = TestApp::spawn_with(|s, _| s.behind_proxy = true).await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/login").await;
    let mut last = StatusCode::OK;
    for i in 0..31 {
        // The client writes what it likes at the front; the proxy appends what it saw.
        last = b
            .post(app.url("/login"))
            .header("x-forwarded-for", format!("10.0.{i}.1, 192.0.2.7"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("login", &format!("nobody{i}")),
                ("password", "a wrong password"),
            ])
            .send()
            .await
            .expect("sent")
            .status();
    }
    assert_eq!(
        last,
        StatusCode::TOO_MANY_REQUESTS,
        "thirty attempts from 192.0.2.7, whatever the client wrote"
    );
    app.stop().await;
}
