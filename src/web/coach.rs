//! The camera motion coach: its page, the pose-estimation files it runs in the browser, and
//! the WebSocket that takes one person's keypoints frame by frame and answers with the
//! tracker's state.
//!
//! The camera image never leaves the browser: the page runs MediaPipe Pose there and sends
//! only the 33 landmarks of each frame. The server keeps one [`motion::Session`] per
//! connection, in memory only, and forgets it when the connection closes; nothing about a
//! set is written anywhere unless the person saves its summary to their journal, which goes
//! through the same sealed journal as every other entry.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Redirect;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use axum_extra::extract::Query;
use serde::{Deserialize, Serialize};
use spinewise_domain::Knowledge;
use spinewise_domain::journal::{
    Entry, EntryId, Exercise as ExerciseEntry, ExerciseSet, LocalDateTime,
};
use spinewise_domain::knowledge::ExerciseInfo;
use spinewise_domain::motion::{self, Exercise, Frame, Goal, PRESET_IDS};
use spinewise_domain::safety::{self, Coaching, ProgramHold};
use spinewise_domain::vocab::{Felt, PainScore};
use tokio::sync::Semaphore;

use super::circumstances::{Asked, VisitorQuery, hold_words, inputs, warning_signs};
use super::form::{CONFLICT_MESSAGE, Fields, Reader, felt_choices, pain_choices};
use super::pages::{PageError, render};
use super::views::Page;
use crate::auth::{ClientAddress, Visitor};
use crate::error::AppError;
use crate::journal::{self, JournalError};
use crate::startup::AppState;

/// The largest message a page may send: a frame of 33 landmarks is about 1.5 KiB as JSON.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;
/// A connection that sends nothing for this long is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// A connection that sends this many bad messages is closed.
pub const MAX_BAD_MESSAGES: u32 = 50;
/// How many coaching connections one server holds at once.
pub const MAX_CONNECTIONS: usize = 512;
/// How many coaching connections one client address may hold at once.
pub const MAX_CONNECTIONS_PER_ADDRESS: usize = 8;
/// The longest a coaching connection stays open.
pub const MAX_SESSION: Duration = Duration::from_secs(2 * 60 * 60);
/// The most frames a second a connection may send by default (cameras give 30, some 60);
/// frames beyond it are refused as bad messages.
pub const MAX_FRAMES_PER_SECOND: u32 = 90;
/// The file every installation of the pose-estimation package has.
const POSE_SCRIPT: &str = "pose.js";

/// Where the coach's browser files are, and how many connections are open, in all and per
/// client address.
#[derive(Debug, Clone)]
pub struct Coach {
    /// The `@mediapipe/pose` package's directory (`web/node_modules/@mediapipe/pose`).
    assets: PathBuf,
    /// One permit per open connection.
    connections: Arc<Semaphore>,
    /// Open connections per client address.
    per_address: Arc<Mutex<HashMap<String, usize>>>,
    /// The most frames a second one connection may send.
    max_fps: u32,
}

/// A client address's share of the open connections, given back when dropped.
struct AddressSlot {
    per_address: Arc<Mutex<HashMap<String, usize>>>,
    address: String,
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut map = self
            .per_address
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.address) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.address);
            }
        }
    }
}

impl Coach {
    /// A coach serving the pose-estimation files from `assets`, taking at most `max_fps`
    /// frames a second on one connection.
    pub fn new(assets: PathBuf, max_fps: u32) -> Coach {
        Coach {
            assets,
            connections: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
            per_address: Arc::new(Mutex::new(HashMap::new())),
            max_fps,
        }
    }

    /// A slot for one more connection from `address`, unless it holds its share already.
    fn slot(&self, address: &str) -> Option<AddressSlot> {
        let mut map = self
            .per_address
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = map.entry(address.to_owned()).or_insert(0);
        if *n >= MAX_CONNECTIONS_PER_ADDRESS {
            return None;
        }
        *n += 1;
        Some(AddressSlot {
            per_address: Arc::clone(&self.per_address),
            address: address.to_owned(),
        })
    }

    /// Whether the pose-estimation files are installed.
    pub fn assets_ready(&self) -> bool {
        self.assets.join(POSE_SCRIPT).is_file()
    }

    /// The directory the files are served from.
    pub fn assets(&self) -> &Path {
        &self.assets
    }
}

/// The coach's routes (the vendor files are served by [`crate::startup::router`]).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/move/coach", get(page))
        .route("/move/coach/ws", get(socket))
        .route("/move/coach/save", post(save))
}

/// The program's exercise a tracker preset follows, if the content has one.
pub fn tracked_exercise<'k>(k: &'k Knowledge, preset: &str) -> Option<&'k ExerciseInfo> {
    k.exercises()
        .iter()
        .find(|e| e.tracker.as_deref() == Some(preset))
}

/// The name shown for a tracked exercise: the content's name, or the preset's id in words.
fn exercise_name(k: &Knowledge, preset: &str) -> String {
    tracked_exercise(k, preset).map_or_else(|| preset.replace('-', " "), |e| e.name.clone())
}

/// How to place the camera for a tracked exercise.
fn camera_text(k: &Knowledge, exercise: &Exercise) -> String {
    if let Some(camera) = tracked_exercise(k, &exercise.id).and_then(|e| e.camera.clone()) {
        return camera;
    }
    if exercise.side_view {
        "Place the camera at hip height, side-on, about three metres away, so that your whole body, head to feet, is in the picture.".to_owned()
    } else {
        "Place the camera at hip height, facing you, about three metres away, so that your whole body, head to feet, is in the picture.".to_owned()
    }
}

/// An exercise the coach can follow, or a message naming the ones it can.
fn preset(given: Option<&str>) -> Result<Exercise, AppError> {
    let id = given.unwrap_or(PRESET_IDS[0]);
    Exercise::preset(id).ok_or_else(|| {
        AppError::NotFound(format!(
            "The motion coach cannot follow \"{}\"; it can follow: {}.",
            id.chars().take(60).collect::<String>(),
            PRESET_IDS.join(", ")
        ))
    })
}

#[derive(Template)]
#[template(path = "coach.html")]
struct CoachTpl {
    page: Page,
    exercise_id: String,
    exercise_name: String,
    camera: String,
    goal: String,
    presets: Vec<(String, String)>,
    assets_ready: bool,
    signed_in: bool,
    warning_signs: Vec<(String, String)>,
    /// The program is on hold for this person.
    hold: Option<HoldNotice>,
    /// How this person's program has the exercise, when not as it is: changed (the how), or
    /// not for them (why, and the exercise done instead: id, name).
    changed: Option<String>,
    not_for_you: Option<(String, Option<(String, String)>)>,
    /// The query the program page was asked, to go back to the same program.
    query: String,
    /// The same circumstances, as the save form's hidden fields.
    circumstances: Vec<(&'static str, String)>,
    /// Whether the coach is offered: not while the program is on hold, nor for an exercise
    /// that is not for this person in a form the coach can follow.
    coach_open: bool,
}

/// What the safety policy says of coaching this exercise for this visitor, in their
/// circumstances (what the program page asked, their saved profile and journal): whether the
/// program is on hold for them, and whether their pain type and conditions leave this
/// exercise out, change it, or change it into a form the coach cannot follow.
async fn policy_for<'k>(
    state: &AppState,
    visitor: &Visitor,
    asked: &Asked<'_>,
    exercise: Option<&'k ExerciseInfo>,
) -> Result<CoachPolicy<'k>, AppError> {
    let k = state.knowledge;
    let inputs = inputs(state, visitor, asked).await?;
    let person = inputs
        .about
        .person(k, spinewise_domain::vocab::Role::Receptive);
    let red_flags = inputs.about.red_flags(k);
    let hold = safety::program_hold(&person, &red_flags).map(|hold| match hold {
        ProgramHold::RedFlag(level) => HoldNotice {
            level: level.as_str(),
            headline: k
                .level(level)
                .map(|i| i.headline.clone())
                .unwrap_or_default(),
            why: hold_words(&red_flags),
        },
        ProgramHold::Condition(c) => HoldNotice {
            level: "soon",
            headline: "The program is on hold".to_owned(),
            why: c.program_note.clone(),
        },
    });
    let coaching = exercise.map(|e| safety::coaching(k, e, &person));
    Ok(CoachPolicy {
        hold,
        coaching,
        query: inputs.query(),
        circumstances: inputs.fields(),
    })
}

/// Why the program is on hold, as the page says it.
struct HoldNotice {
    level: &'static str,
    headline: String,
    why: String,
}

struct CoachPolicy<'k> {
    hold: Option<HoldNotice>,
    coaching: Option<Coaching<'k>>,
    query: String,
    circumstances: Vec<(&'static str, String)>,
}

impl CoachPolicy<'_> {
    /// Why the coach may not follow the exercise for this visitor, if it may not: the program
    /// is on hold, or the exercise is not for them in a form the coach can follow.
    fn refusal(&self) -> Option<String> {
        if let Some(hold) = &self.hold {
            return Some(format!("{} {}", hold.headline, hold.why));
        }
        match &self.coaching {
            Some(Coaching::NotForYou { why, instead }) => Some(match instead {
                Some(e) => format!("{why} Your program has {} in its place.", e.name),
                None => why.clone(),
            }),
            _ => None,
        }
    }
}

async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<VisitorQuery>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    let exercise = preset(query.exercise.as_deref())?;
    let name = exercise_name(k, &exercise.id);
    let policy = policy_for(
        &state,
        &visitor,
        &query.asked(),
        tracked_exercise(k, &exercise.id),
    )
    .await?;
    let (changed, not_for_you) = match policy.coaching {
        Some(Coaching::Changed { how }) => (Some(how), None),
        Some(Coaching::NotForYou { why, instead }) => (
            None,
            Some((why, instead.map(|e| (e.id.clone(), e.name.clone())))),
        ),
        Some(Coaching::AsItIs) | None => (None, None),
    };
    let tpl = CoachTpl {
        warning_signs: warning_signs(k),
        coach_open: policy.hold.is_none() && not_for_you.is_none(),
        hold: policy.hold,
        changed,
        not_for_you,
        query: policy.query,
        circumstances: policy.circumstances,
        page: Page::new(k, &visitor, format!("Motion coach: {name}"), "move"),
        camera: camera_text(k, &exercise),
        goal: match exercise.goal {
            Goal::Reps(_) => "reps",
            Goal::Hold(_) => "hold",
        }
        .to_owned(),
        presets: PRESET_IDS
            .iter()
            .map(|id| ((*id).to_owned(), exercise_name(k, id)))
            .collect(),
        assets_ready: state.coach.assets_ready(),
        signed_in: visitor.user().is_some(),
        exercise_id: exercise.id,
        exercise_name: name,
    };
    Ok(render(&tpl)?.into_response())
}

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

async fn socket(
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
    upgrade
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            coach(socket, session, max_fps).await;
            drop(permit);
            drop(slot);
        })
}

/// What the page may send besides frames.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Command {
    cmd: String,
}

/// What the server sends.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Reply<'a> {
    /// First, the exercise being tracked.
    Ready { exercise: &'a Exercise },
    /// The answer to a frame.
    State(&'a motion::State),
    /// The totals, after `finish`.
    Summary(&'a motion::Summary),
    /// A message that could not be used, and why.
    Error { message: String },
}

fn encode(reply: &Reply<'_>) -> Message {
    // Serialising these plain structs cannot fail; an empty object is a harmless fallback.
    Message::Text(Utf8Bytes::from(
        serde_json::to_string(reply).unwrap_or_else(|_| "{}".to_owned()),
    ))
}

/// What to do with one message from the page.
enum Step {
    Reply(Message),
    Finish(Message),
    Bad(String),
}

/// Handles one text message: a frame, or a command.
fn handle(session: &mut motion::Session, text: &str) -> Step {
    if text.trim_start().starts_with("{\"cmd\"") {
        return match serde_json::from_str::<Command>(text) {
            Ok(c) if c.cmd == "finish" => Step::Finish(encode(&Reply::Summary(&session.summary()))),
            Ok(c) if c.cmd == "recalibrate" => {
                session.recalibrate();
                Step::Reply(encode(&Reply::Ready {
                    exercise: session.exercise(),
                }))
            }
            Ok(c) => Step::Bad(format!(
                "unknown command \"{}\"; the commands are finish and recalibrate",
                c.cmd.chars().take(40).collect::<String>()
            )),
            Err(e) => Step::Bad(format!(
                "a command is {{\"cmd\": \"finish\"}} or {{\"cmd\": \"recalibrate\"}}: {e}"
            )),
        };
    }
    let frame = match serde_json::from_str::<Frame>(text) {
        Ok(f) => f,
        Err(e) => {
            return Step::Bad(format!(
                "a frame is {{\"t\": milliseconds, \"lm\": 33 × [x, y, z, visibility]}}: {e}"
            ));
        }
    };
    match session.push(&frame) {
        Ok(state) => Step::Reply(encode(&Reply::State(&state))),
        Err(e) => Step::Bad(e.to_string()),
    }
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
async fn coach(mut socket: WebSocket, mut session: motion::Session, max_fps: u32) {
    let ready = encode(&Reply::Ready {
        exercise: session.exercise(),
    });
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
    loop {
        // Only messages from the page keep the connection alive; pings do not.
        let quiet_until = last_message + IDLE_TIMEOUT;
        let deadline = quiet_until.min(opened + MAX_SESSION);
        let message = match tokio::time::timeout_at(deadline.into(), socket.recv()).await {
            Err(_) if deadline == quiet_until => {
                close(&mut socket, 1000, "no frames for a minute").await;
                return;
            }
            Err(_) => {
                close(&mut socket, 1000, "the session reached its longest length").await;
                return;
            }
            Ok(None | Some(Err(_))) => return,
            Ok(Some(Ok(m))) => m,
        };
        let step = match message {
            Message::Text(text) => {
                last_message = Instant::now();
                if rate.allow(last_message) {
                    handle(&mut session, text.as_str())
                } else {
                    Step::Bad(format!("too many frames: at most {max_fps} a second"))
                }
            }
            Message::Binary(_) => {
                last_message = Instant::now();
                Step::Bad("frames are JSON text messages".to_owned())
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
                if socket.send(reply).await.is_err() {
                    return;
                }
            }
            Step::Finish(summary) => {
                if socket.send(summary).await.is_ok() {
                    close(&mut socket, 1000, "finished").await;
                }
                return;
            }
            Step::Bad(message) => {
                bad += 1;
                if socket
                    .send(encode(&Reply::Error { message }))
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

async fn close(socket: &mut WebSocket, code: u16, reason: &'static str) {
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason),
        })))
        .await;
}

// ---------------------------------------------------------------------------------------------
// Saving a set
// ---------------------------------------------------------------------------------------------

/// The form that saves a coached set: filled in by the page after `finish`, shown again with
/// a message when a value is wrong.
#[derive(Template)]
#[template(path = "coach_save.html")]
struct SaveTpl {
    page: Page,
    errors: Vec<String>,
    entry_id: String,
    exercise_id: String,
    exercise_name: String,
    reps: String,
    hold_s: String,
    warnings: String,
    minutes: String,
    felt: Vec<(String, String, bool)>,
    pain_after: Vec<(u8, bool)>,
    note: String,
    /// The circumstances the coach page was opened with, sent again.
    circumstances: Vec<(String, String)>,
}

impl SaveTpl {
    fn new(k: &Knowledge, visitor: &Visitor, fields: &Fields, errors: Vec<String>) -> SaveTpl {
        let preset = fields.one("exercise");
        SaveTpl {
            page: Page::new(k, visitor, "Save the set to your journal", "move"),
            errors,
            entry_id: match fields.one("entry_id") {
                "" => uuid::Uuid::new_v4().to_string(),
                id => id.to_owned(),
            },
            exercise_name: exercise_name(k, preset),
            exercise_id: preset.to_owned(),
            reps: fields.one("reps").to_owned(),
            hold_s: fields.one("hold_s").to_owned(),
            warnings: fields.one("warnings").to_owned(),
            minutes: fields.one("minutes").to_owned(),
            felt: felt_choices(fields.one("felt")),
            pain_after: pain_choices(fields.one("pain_after")),
            note: fields.one("note").to_owned(),
            circumstances: fields
                .0
                .iter()
                .filter(|(k, _)| {
                    ["pain_type", "pain", "condition", "pregnancy_weeks", "today"]
                        .contains(&k.as_str())
                })
                .cloned()
                .collect(),
        }
    }
}

/// The journal entry a saved set makes, or a message per bad field.
fn coached_entry(k: &Knowledge, fields: &Fields, at: LocalDateTime) -> Result<Entry, Vec<String>> {
    let mut r = Reader {
        fields,
        errors: Vec::new(),
    };
    let preset = fields.one("exercise");
    let info = tracked_exercise(k, preset);
    if info.is_none() {
        r.errors.push(format!(
            "Exercise: the motion coach follows {}, not \"{}\".",
            PRESET_IDS.join(", "),
            preset.chars().take(40).collect::<String>()
        ));
    }
    let id = r.required::<EntryId>("entry_id", "Form id");
    let reps = r.parse::<u32>("reps", "Repetitions");
    let hold_s = r.parse::<u32>("hold_s", "Longest hold (seconds)");
    let warnings = r.parse::<u32>("warnings", "Form warnings").unwrap_or(0);
    let minutes = r.required::<u16>("minutes", "Minutes");
    let felt = r.required::<Felt>("felt", "How your back felt");
    let pain_after = r.parse::<PainScore>("pain_after", "Back pain after");
    let note = r.note();
    match (info, id, minutes, felt) {
        (Some(info), Some(id), Some(minutes), Some(felt)) if r.errors.is_empty() => {
            Ok(Entry::Exercise(ExerciseEntry {
                id,
                at,
                what: format!("{} (camera coach)", info.name),
                minutes,
                felt,
                pain_before: None,
                pain_after,
                note,
                sets: vec![ExerciseSet {
                    exercise: info.id.clone(),
                    reps,
                    hold_s,
                    warnings,
                    coached: true,
                    level: None,
                }],
            }))
        }
        _ => Err(r.errors),
    }
}

async fn save(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let k = state.knowledge;
    let fields = Fields(fields);
    visitor.verify_csrf(fields.one("csrf"))?;
    let user = visitor.require()?;
    let key = user.data_key()?;
    let refuse = |status: StatusCode, errors: Vec<String>| -> Result<Response, PageError> {
        let tpl = SaveTpl::new(k, &visitor, &fields, errors);
        Ok((status, render(&tpl)?).into_response())
    };
    // Nothing is saved while the program is on hold, as for a session logged by hand, nor for
    // an exercise the program does not have in a form the coach follows: judged in the
    // circumstances the coach page was opened with.
    let conditions = fields.all("condition");
    let asked = Asked {
        pain_type: Some(fields.one("pain_type")).filter(|v| !v.is_empty()),
        pain: Some(fields.one("pain")).filter(|v| !v.is_empty()),
        conditions: &conditions,
        pregnancy_weeks: Some(fields.one("pregnancy_weeks")).filter(|v| !v.is_empty()),
        today: Some(fields.one("today")).filter(|v| !v.is_empty()),
    };
    let policy = policy_for(
        &state,
        &visitor,
        &asked,
        tracked_exercise(k, fields.one("exercise")),
    )
    .await?;
    if let Some(why) = policy.refusal() {
        return refuse(
            StatusCode::CONFLICT,
            vec![format!(
                "The coach does not follow this exercise for you now: {why}"
            )],
        );
    }
    let at = LocalDateTime::of_clock(time::OffsetDateTime::now_utc());
    let entry = match coached_entry(k, &fields, at) {
        Ok(e) => e,
        Err(errors) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, errors),
    };
    match journal::create(&state.store, k, &user.id, key, &entry, crate::auth::now()).await {
        Ok(_) => Ok(Redirect::to("/journal?saved=exercise").into_response()),
        Err(JournalError::Invalid(e)) => refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![format!("{}: {}.", e.field, e.message)],
        ),
        Err(JournalError::Conflict(_)) => {
            if let Some(stored) = journal::get(&state.store, &user.id, key, entry.id()).await?
                && super::program::same_session(&stored, &entry)
            {
                return Ok(Redirect::to("/journal?saved=exercise").into_response());
            }
            // A fresh id, so that sending the form again makes a new entry.
            let fields = fields.without("entry_id");
            let tpl = SaveTpl::new(k, &visitor, &fields, vec![CONFLICT_MESSAGE.to_owned()]);
            Ok((StatusCode::CONFLICT, render(&tpl)?).into_response())
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
