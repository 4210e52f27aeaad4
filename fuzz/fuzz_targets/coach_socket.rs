//! The camera coach's WebSocket messages: the input's first line is the handshake's query
//! (`exercise=hip-hinge&aspect=1.5`, checked as the server checks it), and every following
//! line is one text message from the page, handed to `coach_messages::handle` as the socket
//! does (messages over the socket's 16 KiB cap never reach it); a line that starts with `b:`
//! is a binary message of the bytes after it, handed to `coach_messages::handle_binary`. Every answer is JSON of the
//! kind the page expects; the count of repetitions never goes down, and the summary after
//! `finish` carries the last state's count; a bad message says why.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use spinewise_app::coach_messages::{self, Step};
use spinewise_domain::motion::{Exercise, PRESET_IDS, Session};

/// The socket's cap on one message.
const MAX_MESSAGE_BYTES: usize = 16 * 1024;

fn kind(json: &str) -> (String, Value) {
    let value: Value = serde_json::from_str(json).expect("an answer is JSON");
    let kind = value["type"]
        .as_str()
        .expect("an answer has a type")
        .to_owned();
    (kind, value)
}

/// The session the handshake would open, or `None` where it refuses.
fn handshake(query: &str) -> Option<Session> {
    let (mut exercise, mut aspect) = (None, None);
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("exercise", v)) => exercise = Some(v),
            Some(("aspect", v)) => aspect = Some(v),
            _ => {}
        }
    }
    let exercise = Exercise::preset(exercise.unwrap_or(PRESET_IDS[0]))?;
    let aspect = match aspect {
        None | Some("") => 1.0,
        Some(a) => match a.parse::<f32>() {
            Ok(v) if v.is_finite() && (0.1..=10.0).contains(&v) => v,
            _ => return None,
        },
    };
    Session::new(exercise)
        .and_then(|s| s.with_aspect_ratio(aspect))
        .ok()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let Some(mut session) = handshake(lines.next().unwrap_or_default()) else {
        return;
    };
    let (first, _) = kind(&coach_messages::ready(session.exercise()));
    assert_eq!(first, "ready");

    let mut reps = 0;
    for message in lines {
        if message.len() > MAX_MESSAGE_BYTES {
            continue;
        }
        let step = match message.strip_prefix("b:") {
            Some(bytes) => coach_messages::handle_binary(&mut session, bytes.as_bytes()),
            None => coach_messages::handle(&mut session, message),
        };
        match step {
            Step::Reply(json) => {
                let (kind, value) = kind(&json);
                match kind.as_str() {
                    "state" => {
                        let now = value["reps"].as_u64().expect("a state counts reps");
                        assert!(now >= reps, "the count went down from {reps} to {now}");
                        reps = now;
                    }
                    "ready" => {}
                    other => panic!("a message was answered with {other}: {json}"),
                }
            }
            Step::Finish(json) => {
                let (kind, value) = kind(&json);
                assert_eq!(kind, "summary");
                assert_eq!(value["reps"].as_u64(), Some(reps), "{json}");
                return;
            }
            Step::Bad(why) => {
                assert!(!why.is_empty());
                let (kind, value) = kind(&coach_messages::error(why.clone()));
                assert_eq!(kind, "error");
                assert_eq!(value["message"].as_str(), Some(why.as_str()));
            }
        }
    }
});
