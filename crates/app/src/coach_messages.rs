//! The camera coach's conversation, message by message, without the socket: what a message
//! from the page means (a frame of keypoints, as JSON text or in its compact binary form, or
//! the `finish` and `recalibrate` commands) and the JSON the server answers with. The server's WebSocket task owns the
//! connection, its limits and its timers, and hands every text message to [`handle`]; keeping
//! the parsing here lets it be tested and fuzzed without a network.

use serde::{Deserialize, Serialize};
use spinewise_domain::motion::{self, Exercise, Frame};

use crate::coach_dto::{CoachExerciseDto, CoachStateDto, CoachSummaryDto};

/// What the page may send besides frames.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Command {
    cmd: String,
}

/// What the server sends.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Reply {
    /// First, the exercise being tracked.
    Ready { exercise: CoachExerciseDto },
    /// The answer to a frame.
    State(CoachStateDto),
    /// The totals, after `finish`.
    Summary(CoachSummaryDto),
    /// A message that could not be used, and why.
    Error { message: String },
}

fn encode(reply: &Reply) -> String {
    // Serialising these plain structs cannot fail; an empty object is a harmless fallback.
    serde_json::to_string(reply).unwrap_or_else(|_| "{}".to_owned())
}

/// The first message of a connection, and the answer to `recalibrate`: the exercise being
/// tracked, as JSON.
pub fn ready(exercise: &Exercise) -> String {
    encode(&Reply::Ready {
        exercise: exercise.into(),
    })
}

/// A message that could not be used, and why, as JSON.
pub fn error(message: String) -> String {
    encode(&Reply::Error { message })
}

/// What to do with one message from the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Send this JSON and carry on.
    Reply(String),
    /// Send this JSON (the summary), then close the connection.
    Finish(String),
    /// The message could not be used, for this reason: answer with [`error`] and count it.
    Bad(String),
}

/// Handles one text message: a frame, which is pushed to the session and answered with its
/// state, or a command.
pub fn handle(session: &mut motion::Session, text: &str) -> Step {
    if text.trim_start().starts_with("{\"cmd\"") {
        return match serde_json::from_str::<Command>(text) {
            Ok(c) if c.cmd == "finish" => {
                Step::Finish(encode(&Reply::Summary((&session.summary()).into())))
            }
            Ok(c) if c.cmd == "recalibrate" => {
                session.recalibrate();
                Step::Reply(ready(session.exercise()))
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
    push(session, &frame)
}

/// Handles one binary message: a frame in its compact form ([`Frame::from_binary`]), checked
/// as a JSON one is and answered the same way.
pub fn handle_binary(session: &mut motion::Session, bytes: &[u8]) -> Step {
    match Frame::from_binary(bytes) {
        Ok(frame) => push(session, &frame),
        Err(e) => Step::Bad(e.to_string()),
    }
}

/// Pushes a frame to the session and answers with its state.
fn push(session: &mut motion::Session, frame: &Frame) -> Step {
    match session.push(frame) {
        Ok(state) => Step::Reply(encode(&Reply::State((&state).into()))),
        Err(e) => Step::Bad(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> motion::Session {
        let exercise = Exercise::preset(motion::PRESET_IDS[0]).expect("a preset");
        motion::Session::new(exercise).expect("a session")
    }

    fn kind(json: &str) -> String {
        let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
        value["type"].as_str().expect("a type").to_owned()
    }

    #[test]
    fn binary_and_json_frames_give_the_same_states() {
        use spinewise_domain::motion::synthetic::{self, HingeScript, Noise, View};
        for (seed, view, noise) in [
            (1, View::Right, Noise::NONE),
            (
                2,
                View::Left,
                Noise {
                    sd: 0.004,
                    dropout: 0.05,
                },
            ),
            (
                3,
                View::Right,
                Noise {
                    sd: 0.01,
                    dropout: 0.2,
                },
            ),
        ] {
            let script = HingeScript {
                rounded: vec![1],
                rounding_deg: 30.0,
                ..HingeScript::new(3)
            };
            let frames = synthetic::sequence(script.duration_ms(), 30.0, view, &noise, seed, |t| {
                script.pose_at(t)
            });
            let (mut by_json, mut by_binary) = (session(), session());
            let mut states = 0;
            for frame in &frames {
                let json = handle(&mut by_json, &serde_json::to_string(frame).expect("JSON"));
                let binary = handle_binary(&mut by_binary, &frame.to_binary());
                assert_eq!(json, binary, "seed {seed}, frame at {} ms", frame.t_ms());
                states += usize::from(matches!(json, Step::Reply(_)));
            }
            assert_eq!(states, frames.len(), "every frame answered with a state");
            assert_eq!(
                handle(&mut by_json, r#"{"cmd":"finish"}"#),
                handle(&mut by_binary, r#"{"cmd":"finish"}"#),
                "the same summary"
            );
        }
    }

    #[test]
    fn a_bad_binary_frame_is_a_bad_message_that_says_why() {
        let Step::Bad(why) = handle_binary(&mut session(), &[1, 2, 3]) else {
            panic!("three bytes are no frame");
        };
        assert!(why.contains("536 bytes") && why.contains("has 3"), "{why}");
    }

    #[test]
    fn ready_and_error_are_tagged_json() {
        assert_eq!(kind(&ready(session().exercise())), "ready");
        assert_eq!(kind(&error("no".to_owned())), "error");
    }

    #[test]
    fn the_commands_answer_with_the_exercise_or_the_summary() {
        let mut s = session();
        match handle(&mut s, r#"{"cmd": "recalibrate"}"#) {
            Step::Reply(json) => assert_eq!(kind(&json), "ready"),
            other => panic!("recalibrate answered {other:?}"),
        }
        match handle(&mut s, r#"  {"cmd":"finish"}"#) {
            Step::Finish(json) => assert_eq!(kind(&json), "summary"),
            other => panic!("finish answered {other:?}"),
        }
    }

    #[test]
    fn unknown_commands_and_broken_frames_are_bad_messages_that_say_why() {
        let mut s = session();
        let Step::Bad(why) = handle(&mut s, r#"{"cmd": "dance"}"#) else {
            panic!("an unknown command is bad");
        };
        assert!(why.contains("dance"), "{why}");
        let Step::Bad(why) = handle(&mut s, r#"{"cmd": "finish", "now": true}"#) else {
            panic!("a command with another field is bad");
        };
        assert!(why.contains("a command is"), "{why}");
        let Step::Bad(why) = handle(&mut s, r#"{"t": 0, "lm": []}"#) else {
            panic!("a frame without its landmarks is bad");
        };
        assert!(!why.is_empty());
        let Step::Bad(why) = handle(&mut s, "not json") else {
            panic!("text that is not JSON is bad");
        };
        assert!(why.contains("a frame is"), "{why}");
    }
}
