//! The WebSocket: one person's keypoints, frame by frame, answered with the tracker's state.
//! Only a page of this site may open it; every message is bounded, and a connection that
//! idles, floods or outstays its time is closed.

use std::time::{Duration, Instant};

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Query;
use spinewise_app::coach_messages::{self, Step};
use spinewise_domain::motion;

use super::super::circumstances::VisitorQuery;
use crate::server::auth::{ClientAddress, Visitor};
use crate::server::error::AppError;
use crate::server::error::PageError;
use crate::server::state::AppState;

use super::limits::*;
use super::policy::*;

/// Whether the upgrade request comes from a page of this site: browsers send `Origin` with
/// every WebSocket handshake and a WebSocket is not bound by CORS, so another site's page
/// must be turned away here. The origin must name this host (behind a proxy, the host the
/// proxy was asked for) and, where the site is served over HTTPS, the `https` scheme.
fn same_origin(headers: &HeaderMap, behind_proxy: bool, secure: bool) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        // Not a browser (a test client, a native app): nothing to protect against.
        return true;
    };
    let host_header = if behind_proxy && headers.contains_key("x-forwarded-host") {
        headers.get("x-forwarded-host")
    } else {
        headers.get(header::HOST)
    };
    let (Ok(origin), Some(Ok(host))) = (origin.to_str(), host_header.map(|h| h.to_str())) else {
        return false;
    };
    // A proxy may list several hosts; the first is the one the browser asked for.
    let host = host.split(',').next().unwrap_or_default().trim();
    let rest = if secure {
        origin.strip_prefix("https://")
    } else {
        origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
    };
    rest.is_some_and(|o| o.eq_ignore_ascii_case(host))
}

/// A refusal before the upgrade: a plain-text answer naming what is wrong.
fn refuse(status: StatusCode, message: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

pub(super) async fn socket(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    visitor: Visitor,
    headers: HeaderMap,
    Query(query): Query<VisitorQuery>,
    upgrade: WebSocketUpgrade,
) -> Response {
    if !same_origin(&headers, state.behind_proxy, state.cookies.secure) {
        return refuse(
            StatusCode::FORBIDDEN,
            "the motion coach only answers its own pages".to_owned(),
        );
    }
    let exercise = match preset(query.exercise.as_deref()) {
        Ok(e) => e,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let aspect = match query.aspect.as_deref() {
        None | Some("") => 1.0,
        Some(a) => match a.parse::<f32>() {
            Ok(v) if v.is_finite() && (0.1..=10.0).contains(&v) => v,
            _ => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "aspect must be the camera image's width over its height, a number from 0.1 to 10, not \"{}\"",
                        a.chars().take(40).collect::<String>()
                    ),
                );
            }
        },
    };
    // The coach follows an exercise only as the visitor's program has it, in the circumstances
    // the page was opened with.
    let policy = match policy_for(
        &state,
        &visitor,
        &query.asked(),
        tracked_exercise(state.knowledge, &exercise.id),
    )
    .await
    {
        Ok(p) => p,
        Err(AppError::Invalid { errors, .. }) => {
            let named: Vec<String> = errors
                .iter()
                .map(|f| format!("{}: {}", f.field, f.detail))
                .collect();
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, named.join("; "));
        }
        Err(e) => return PageError::from(e).into_response(),
    };
    if let Some(why) = policy.refusal() {
        return refuse(StatusCode::CONFLICT, why);
    }
    let session = match motion::Session::new(exercise).and_then(|s| s.with_aspect_ratio(aspect)) {
        Ok(s) => s,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let Some(slot) = state.coach.slot(&address) else {
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "at most {MAX_CONNECTIONS_PER_ADDRESS} coaching sessions can be open from one address; close one and try again"
            ),
        );
    };
    let Ok(permit) = state.coach.connections.clone().try_acquire_owned() else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "the motion coach is busy; try again in a minute".to_owned(),
        );
    };
    let max_fps = state.coach.max_fps;
    let idle = state.coach.idle;
    upgrade
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        // The read buffer is cleared before each read; the default (128 KiB) made clearing
        // it most of a frame's cost, for messages of half a KiB.
        .read_buffer_size(READ_BUFFER_BYTES)
        .on_upgrade(move |socket| async move {
            coach(socket, session, max_fps, idle).await;
            drop(permit);
            drop(slot);
        })
}

fn text(json: String) -> Message {
    Message::Text(Utf8Bytes::from(json))
}

/// Counts the frames of the current second, to refuse a page that sends far more than a
/// camera gives.
struct FrameRate {
    second: Instant,
    frames: u32,
    max: u32,
}

impl FrameRate {
    /// Whether one more frame now stays within the limit.
    fn allow(&mut self, now: Instant) -> bool {
        if now.duration_since(self.second) >= Duration::from_secs(1) {
            self.second = now;
            self.frames = 0;
        }
        self.frames += 1;
        self.frames <= self.max
    }
}

/// One connection: answers every frame until the page finishes, goes quiet, misbehaves, or
/// has been open for [`MAX_SESSION`].
async fn coach(mut socket: WebSocket, mut session: motion::Session, max_fps: u32, idle: Duration) {
    let ready = text(coach_messages::ready(session.exercise()));
    if socket.send(ready).await.is_err() {
        return;
    }
    let opened = Instant::now();
    let mut last_message = opened;
    let mut rate = FrameRate {
        second: opened,
        frames: 0,
        max: max_fps,
    };
    let mut bad = 0u32;
    let longest = opened + MAX_SESSION;
    // One timer for the whole connection, moved on only when it fires: setting a new one for
    // every frame would cost more than the frame's own work. The deadline only ever moves
    // later, so the timer never fires late; when it fires early, it is set again for the
    // deadline as it now stands.
    let timer = tokio::time::sleep_until((opened + idle).min(longest).into());
    tokio::pin!(timer);
    loop {
        // Only messages from the page keep the connection alive; pings do not.
        let quiet_until = last_message + idle;
        let deadline = quiet_until.min(longest);
        let message = tokio::select! {
            biased;
            received = socket.recv() => match received {
                None | Some(Err(_)) => return,
                Some(Ok(m)) => m,
            },
            () = &mut timer => {
                if Instant::now() < deadline {
                    // Frames came since the timer was set: wait on until the new deadline.
                    timer.as_mut().reset(deadline.into());
                    continue;
                }
                if deadline == quiet_until {
                    let reason = format!("no frames for {}", duration_words(idle));
                    close(&mut socket, 1000, &reason).await;
                } else {
                    close(&mut socket, 1000, "the session reached its longest length").await;
                }
                return;
            }
        };
        let step = match message {
            Message::Text(message) => {
                last_message = Instant::now();
                if rate.allow(last_message) {
                    coach_messages::handle(&mut session, message.as_str())
                } else {
                    Step::Bad(format!("too many frames: at most {max_fps} a second"))
                }
            }
            Message::Binary(bytes) => {
                last_message = Instant::now();
                if rate.allow(last_message) {
                    coach_messages::handle_binary(&mut session, &bytes)
                } else {
                    Step::Bad(format!("too many frames: at most {max_fps} a second"))
                }
            }
            Message::Close(_) => {
                // Answer the page's close, so that it ends cleanly.
                let _ = socket.send(Message::Close(None)).await;
                return;
            }
            Message::Ping(_) | Message::Pong(_) => continue,
        };
        match step {
            Step::Reply(reply) => {
                if socket.send(text(reply)).await.is_err() {
                    return;
                }
            }
            Step::Finish(summary) => {
                if socket.send(text(summary)).await.is_ok() {
                    close(&mut socket, 1000, "finished").await;
                }
                return;
            }
            Step::Bad(message) => {
                bad += 1;
                if socket
                    .send(text(coach_messages::error(message)))
                    .await
                    .is_err()
                {
                    return;
                }
                if bad >= MAX_BAD_MESSAGES {
                    close(&mut socket, 1008, "too many messages that are not frames").await;
                    return;
                }
            }
        }
    }
}

async fn close(socket: &mut WebSocket, code: u16, reason: &str) {
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: Utf8Bytes::from(reason),
        })))
        .await;
}
