//! The motion coach over a real connection: its page and headers, the pose-estimation files,
//! and the WebSocket answering synthetic keypoint frames with the tracker's state.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use spinewise_domain::motion::synthetic::{self, HingeScript, Noise, View};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::common::server::{MAX_CONNECTIONS_PER_ADDRESS, MAX_FRAMES_PER_SECOND, TestApp};

/// A running server whose coach files are in its temporary directory (`pose/`), there or not.
async fn spawn(with_assets: bool) -> TestApp {
    with_max_fps(with_assets, MAX_FRAMES_PER_SECOND).await
}

/// A server that takes up to `max_fps` frames a second on one connection (tests replay a set
/// far faster than a camera).
pub(super) async fn with_max_fps(with_assets: bool, max_fps: u32) -> TestApp {
    TestApp::spawn_with(|s, dir| {
        let assets = dir.join("pose");
        if with_assets {
            std::fs::create_dir_all(&assets).expect("the assets directory");
            std::fs::write(assets.join("pose.js"), "// the pose loader\n").expect("pose.js");
            std::fs::write(assets.join("pose_landmark_lite.tflite"), [0u8, 1, 2, 3])
                .expect("a model file");
        }
        s.plan_cache = 0;
        s.coach_assets = assets;
        s.coach_max_fps = max_fps;
    })
    .await
}

/// A server whose coach closes a connection quiet for `idle` (the default is ten minutes).
async fn with_idle(idle: Duration) -> TestApp {
    TestApp::spawn_with(|s, dir| {
        s.coach_assets = dir.join("pose");
        s.coach_idle_timeout = idle;
    })
    .await
}

/// The coach's WebSocket on `app`, with `query`.
pub(super) fn ws(app: &TestApp, query: &str) -> String {
    format!("ws://127.0.0.1:{}/move/coach/ws?{query}", app.port())
}

pub(super) type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub(super) async fn next_json(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("an answer within 10 s")
            .expect("the socket is open")
            .expect("a message");
        match message {
            Message::Text(t) => return serde_json::from_str(t.as_str()).expect("JSON"),
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("expected a text message, got {other:?}"),
        }
    }
}

pub(super) async fn connect(url: &str) -> Socket {
    let (socket, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("the WebSocket opens");
    socket
}

#[tokio::test]
async fn a_hinge_set_streamed_as_keypoints_is_counted_live_and_summed_up() {
    let app = with_max_fps(false, u32::MAX).await;
    let mut socket = connect(&ws(&app, "exercise=hip-hinge&aspect=1")).await;
    let ready = next_json(&mut socket).await;
    assert_eq!(ready["type"], "ready");
    assert_eq!(ready["exercise"]["id"], "hip-hinge");

    let script = HingeScript {
        rounded: vec![2],
        rounding_deg: 35.0,
        ..HingeScript::new(4)
    };
    let frames = synthetic::sequence(
        script.duration_ms(),
        30.0,
        View::Right,
        &Noise::NONE,
        7,
        |t| script.pose_at(t),
    );
    let mut phases = std::collections::BTreeSet::new();
    let mut last_reps = 0;
    let mut warnings = Vec::new();
    let mut backs = std::collections::BTreeSet::new();
    // A second session gets the same frames in their binary form, and must answer the same.
    let (mut binary, _) = tokio_tungstenite::connect_async(ws(&app, "exercise=hip-hinge&aspect=1"))
        .await
        .expect("the socket opens");
    assert_eq!(next_json(&mut binary).await, ready);
    for frame in &frames {
        let text = serde_json::to_string(frame).expect("a frame encodes");
        socket
            .send(Message::Text(text.into()))
            .await
            .expect("the frame is sent");
        let state = next_json(&mut socket).await;
        binary
            .send(Message::Binary(frame.to_binary().to_vec().into()))
            .await
            .expect("the binary frame is sent");
        assert_eq!(
            next_json(&mut binary).await,
            state,
            "the binary frame at {} ms",
            frame.t_ms()
        );
        assert_eq!(state["type"], "state", "{state}");
        assert_eq!(state["t_ms"], frame.t_ms());
        phases.insert(state["phase"].as_str().expect("a phase").to_owned());
        backs.insert(state["back"].as_str().expect("a back status").to_owned());
        let reps = state["reps"].as_u64().expect("reps");
        assert!(reps >= last_reps, "the count never goes down");
        last_reps = reps;
        for w in state["warnings"].as_array().expect("warnings") {
            warnings.push(w["kind"].as_str().expect("a kind").to_owned());
        }
    }
    assert_eq!(last_reps, 4);
    assert!(phases.contains("calibrating") && phases.contains("tracking"));
    assert_eq!(
        warnings,
        ["back_rounding"],
        "one warning for the one rounded rep"
    );
    assert!(
        backs.contains("ok") && backs.contains("rounding"),
        "{backs:?}"
    );

    socket
        .send(Message::Text(r#"{"cmd":"finish"}"#.into()))
        .await
        .expect("finish is sent");
    let summary = next_json(&mut socket).await;
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["reps"], 4);
    assert_eq!(summary["warnings"]["back_rounding"], 1);
    assert_eq!(summary["frames"], frames.len());
    // Then the server closes the connection.
    let closed = tokio::time::timeout(Duration::from_secs(10), socket.next())
        .await
        .expect("the server closes");
    assert!(matches!(closed, Some(Ok(Message::Close(_))) | None));
    app.stop().await;
}

#[tokio::test]
async fn frames_keep_a_session_open_and_one_that_stays_quiet_is_closed_saying_why() {
    let idle = Duration::from_secs(1);
    let app = with_idle(idle).await;
    let mut socket = connect(&ws(&app, "exercise=hip-hinge&aspect=1")).await;
    assert_eq!(next_json(&mut socket).await["type"], "ready");
    let script = HingeScript::new(1);
    let frames = synthetic::sequence(
        script.duration_ms(),
        30.0,
        View::Right,
        &Noise::NONE,
        3,
        |t| script.pose_at(t),
    );
    // A frame now and then, over more than the idle limit: each is answered.
    let opened = tokio::time::Instant::now();
    for frame in frames.iter().take(6) {
        tokio::time::sleep(idle / 3).await;
        let text = serde_json::to_string(frame).expect("a frame encodes");
        socket
            .send(Message::Text(text.into()))
            .await
            .expect("the session is still open");
        assert_eq!(next_json(&mut socket).await["type"], "state");
    }
    assert!(opened.elapsed() > idle);
    // Then nothing: the server closes the connection and says why.
    let closed = tokio::time::timeout(idle * 10, socket.next())
        .await
        .expect("the server closes a quiet session");
    match closed {
        Some(Ok(Message::Close(Some(frame)))) => {
            assert_eq!(frame.reason.as_str(), "no frames for 1 second");
        }
        other => panic!("expected a close frame with a reason, got {other:?}"),
    }
    app.stop().await;
}

#[tokio::test]
async fn bad_messages_are_answered_with_what_is_allowed_and_the_set_goes_on() {
    let app = spawn(false).await;
    let mut socket = connect(&ws(&app, "exercise=glute-bridge")).await;
    assert_eq!(next_json(&mut socket).await["type"], "ready");

    let cases = [
        ("not json", "a frame is"),
        (r#"{"t": 1, "lm": [[0,0,0,1]]}"#, "exactly 33 landmarks"),
        (
            r#"{"cmd":"dance"}"#,
            "the commands are finish and recalibrate",
        ),
    ];
    for (message, expected) in cases {
        socket
            .send(Message::Text(message.into()))
            .await
            .expect("sent");
        let answer = next_json(&mut socket).await;
        assert_eq!(answer["type"], "error", "{answer}");
        let text = answer["message"].as_str().expect("a message");
        assert!(text.contains(expected), "{message:?} → {text}");
    }
    // Time must not go backwards.
    let pose = synthetic::Pose::STANDING;
    let mut rng = synthetic::Rng::new(1);
    for t in [1000, 500] {
        let frame = synthetic::frame(t, &pose, View::Right, &Noise::NONE, &mut rng);
        socket
            .send(Message::Text(
                serde_json::to_string(&frame).expect("encodes").into(),
            ))
            .await
            .expect("sent");
    }
    assert_eq!(next_json(&mut socket).await["type"], "state");
    let backwards = next_json(&mut socket).await;
    assert_eq!(backwards["type"], "error");
    assert!(
        backwards["message"]
            .as_str()
            .expect("a message")
            .contains("went backwards")
    );
    // Recalibrating answers with the exercise again.
    socket
        .send(Message::Text(r#"{"cmd":"recalibrate"}"#.into()))
        .await
        .expect("sent");
    assert_eq!(next_json(&mut socket).await["type"], "ready");
    app.stop().await;
}

#[tokio::test]
async fn the_handshake_refuses_unknown_exercises_bad_aspects_and_other_sites() {
    let app = spawn(false).await;
    let client = reqwest::Client::new();
    let upgrade = |query: &str| {
        let mut request = ws(&app, query)
            .into_client_request()
            .expect("a handshake request");
        request.headers_mut().insert(
            "origin",
            "https://elsewhere.example".parse().expect("a header"),
        );
        request
    };
    // Another site's page may not open the socket.
    let refused = tokio_tungstenite::connect_async(upgrade("exercise=hip-hinge")).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403);
        }
        other => panic!("expected a 403, got {other:?}"),
    }
    // Its own page may.
    let mut own = ws(&app, "exercise=hip-hinge")
        .into_client_request()
        .expect("a request");
    let origin = format!("http://127.0.0.1:{}", app.port());
    own.headers_mut()
        .insert("origin", origin.parse().expect("a header"));
    let (mut socket, _) = tokio_tungstenite::connect_async(own)
        .await
        .expect("the same origin is accepted");
    assert_eq!(next_json(&mut socket).await["type"], "ready");

    for (query, expected) in [
        (
            "exercise=handstand",
            "it can follow: hip-hinge, glute-bridge",
        ),
        ("exercise=hip-hinge&aspect=wide", "aspect must be"),
        ("exercise=hip-hinge&aspect=0", "aspect must be"),
    ] {
        let response = client
            .get(ws(&app, query).replace("ws://", "http://"))
            .header("connection", "upgrade")
            .header("upgrade", "websocket")
            .header("sec-websocket-version", "13")
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), 400, "{query}");
        let text = response.text().await.expect("a body");
        assert!(text.contains(expected), "{query}: {text}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_socket_refuses_an_exercise_the_program_does_not_offer_the_coach_for() {
    // The socket asks the safety policy in the circumstances the page was opened with, as the
    // page does: it does not rely on the page hiding its Start button.
    let app = spawn(false).await;
    let client = reqwest::Client::new();
    for (query, status, expected) in [
        (
            "exercise=glute-bridge&condition=pregnancy&pregnancy_weeks=24",
            409,
            "Clamshell",
        ),
        (
            "exercise=cat-camel&pain_type=flexion&condition=osteoporosis",
            409,
            "cannot follow this form",
        ),
        (
            "exercise=bird-dog&condition=recent-spine-surgery",
            409,
            "on hold",
        ),
        ("exercise=glute-bridge&pregnancy_weeks=99", 422, "'99'"),
        ("exercise=glute-bridge&condition=gout", 422, "gout"),
    ] {
        let response = client
            .get(ws(&app, query).replace("ws://", "http://"))
            .header("connection", "upgrade")
            .header("upgrade", "websocket")
            .header("sec-websocket-version", "13")
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), status, "{query}");
        let text = response.text().await.expect("a body");
        assert!(text.contains(expected), "{query}: {text}");
    }
    // Early in a pregnancy the glute bridge stays, and the coach follows it.
    let (mut socket, _) = tokio_tungstenite::connect_async(ws(
        &app,
        "exercise=glute-bridge&condition=pregnancy&pregnancy_weeks=12",
    ))
    .await
    .expect("accepted");
    assert_eq!(next_json(&mut socket).await["type"], "ready");
    app.stop().await;
}

#[tokio::test]
async fn the_coach_page_may_use_the_camera_and_nothing_else_may() {
    let app = spawn(true).await;
    let client = reqwest::Client::new();
    let page = client
        .get(app.url("/move/coach?exercise=bird-dog"))
        .send()
        .await
        .expect("the page");
    assert_eq!(page.status(), 200);
    let headers = page.headers().clone();
    let csp = headers["content-security-policy"].to_str().expect("a CSP");
    assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("connect-src 'self'"));
    assert!(!csp.contains("http"), "no other origin is allowed: {csp}");
    assert!(
        headers["permissions-policy"]
            .to_str()
            .expect("a policy")
            .contains("camera=(self)")
    );
    let body = page.text().await.expect("a body");
    assert!(body.contains(spinewise::server::assets::url("coach.js")));
    // The page names the model's files by a digest of them.
    let model_base = body
        .split("data-model=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the model's address")
        .to_owned();
    assert!(
        model_base.starts_with("/vendor/mediapipe/pose/") && model_base.len() > 30,
        "{model_base}"
    );
    assert!(body.contains("bird-dog"));
    // The exercise is shown as the program shows it: its drawing and its steps.
    let k = spinewise_domain::Knowledge::bundled().expect("the knowledge base");
    let bird_dog = k.exercise("bird-dog").expect("the bird dog");
    assert!(
        body.contains(r#"<figure class="exercise-drawing"><svg"#),
        "the drawing"
    );
    assert!(
        body.contains(
            &bird_dog.steps[0]
                .replace('\'', "&#39;")
                .replace('"', "&#34;")
        ),
        "the steps"
    );

    let home = client.get(app.url("/")).send().await.expect("home");
    assert!(
        home.headers()["permissions-policy"]
            .to_str()
            .expect("a policy")
            .contains("camera=()")
    );
    assert!(
        !home.headers()["content-security-policy"]
            .to_str()
            .expect("a CSP")
            .contains("wasm")
    );

    let unknown = client
        .get(app.url("/move/coach?exercise=handstand"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(unknown.status(), 404);
    assert!(
        unknown
            .text()
            .await
            .expect("a body")
            .contains("it can follow: hip-hinge")
    );

    // The pose-estimation files come from this server, under their digest, kept for a year.
    let script = client
        .get(app.url(&format!("{model_base}pose.js")))
        .send()
        .await
        .expect("pose.js");
    assert_eq!(script.status(), 200);
    assert_eq!(
        script.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        script.headers()["content-type"]
            .to_str()
            .expect("a type")
            .contains("javascript")
    );
    let model = client
        .get(app.url(&format!("{model_base}pose_landmark_lite.tflite")))
        .send()
        .await
        .expect("the model");
    assert_eq!(model.status(), 200);
    assert_eq!(model.bytes().await.expect("bytes").as_ref(), [0, 1, 2, 3]);
    let escape = client
        .get(app.url(&format!("{model_base}..%2F..%2Fdb.sqlite")))
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        escape.status(),
        404,
        "nothing outside the package is served"
    );
    for stale in [
        "/vendor/mediapipe/pose/pose.js",
        "/vendor/mediapipe/pose/0123456789ab/pose.js",
    ] {
        let r = client.get(app.url(stale)).send().await.expect("an answer");
        assert_eq!(r.status(), 404, "{stale}: only the current digest answers");
    }
    app.stop().await;
}

#[tokio::test]
async fn without_the_files_the_page_says_the_coach_cannot_run_and_how_to_install_them() {
    let app = spawn(false).await;
    let body = reqwest::get(app.url("/move/coach"))
        .await
        .expect("the page")
        .text()
        .await
        .expect("a body");
    assert!(body.contains("not set up on this server"), "{body}");
    assert!(body.contains("npm ci --prefix web"), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn one_address_holds_a_few_sessions_and_a_flood_of_frames_is_refused() {
    let app = spawn(false).await;
    let mut open = Vec::new();
    for _ in 0..MAX_CONNECTIONS_PER_ADDRESS {
        let mut socket = connect(&ws(&app, "exercise=hip-hinge")).await;
        assert_eq!(next_json(&mut socket).await["type"], "ready");
        open.push(socket);
    }
    match tokio_tungstenite::connect_async(ws(&app, "exercise=hip-hinge")).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 429);
        }
        other => panic!("expected a 429, got {other:?}"),
    }
    // Closing one frees its place.
    let mut first = open.remove(0);
    first.close(None).await.expect("closed");
    while let Ok(Some(_)) = tokio::time::timeout(Duration::from_secs(5), first.next()).await {}
    let mut again = None;
    for _ in 0..50 {
        if let Ok((s, _)) = tokio_tungstenite::connect_async(ws(&app, "exercise=hip-hinge")).await {
            again = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut socket = again.expect("a place came free");
    assert_eq!(next_json(&mut socket).await["type"], "ready");

    // A binary message that is not a frame's 536 bytes says so.
    socket
        .send(Message::Binary(vec![1, 2, 3].into()))
        .await
        .expect("sent");
    let answer = next_json(&mut socket).await;
    assert_eq!(answer["type"], "error");
    assert!(
        answer["message"]
            .as_str()
            .expect("a message")
            .contains("a binary frame is 536 bytes")
    );

    // Far more frames in a second than any camera gives are refused.
    let mut rng = synthetic::Rng::new(3);
    // More than the limit, but fewer refusals than close the connection.
    let frames: Vec<String> = (0..120)
        .map(|i| {
            let f = synthetic::frame(
                i,
                &synthetic::Pose::STANDING,
                View::Right,
                &Noise::NONE,
                &mut rng,
            );
            serde_json::to_string(&f).expect("encodes")
        })
        .collect();
    for f in &frames {
        socket
            .send(Message::Text(f.clone().into()))
            .await
            .expect("sent");
    }
    let mut refused = 0;
    for _ in 0..frames.len() {
        let answer = next_json(&mut socket).await;
        if answer["type"] == "error" {
            assert!(
                answer["message"]
                    .as_str()
                    .expect("a message")
                    .contains("too many frames")
            );
            refused += 1;
        }
    }
    assert!(
        refused >= 200 - 2 * MAX_FRAMES_PER_SECOND as usize,
        "{refused}"
    );
    assert!(refused > 0);
    app.stop().await;
}
