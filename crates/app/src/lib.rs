//! The spinewise application layer, between the engine (`spinewise-domain`) and the two front
//! ends (the server and the command line). It knows no HTTP and no terminal.
//!
//! - [`accounts`]: passwords, tokens, sessions, sign-in throttling and the journal's keys;
//!   [`login`]: one account per login, however it is typed (PRECIS, confusable skeletons).
//! - [`journal`]: journal entries sealed and opened under the user's key, checked on write;
//!   [`entry_page`]: a list of them cut into pages, with sealed cursors.
//! - [`profile`]: the saved profile, sealed and opened under the same key; [`rekey`]: a new
//!   key for both, in one transaction.
//! - [`exercise_program`]: the circumstances the exercise program is worked out for.
//! - [`requests`]: person, plan, assessment and check requests, and their validation.
//! - [`dto`], [`journal_dto`], [`entry_dto`], [`program_dto`], [`exercise_dto`]: the JSON
//!   shapes (a documented contract), shared by the API and the command line's `--json`, built
//!   from the domain's values so that the domain's types never go out as JSON themselves:
//!   [`entry_dto`] holds the journal's entries and its export, [`program_dto`] the weekly
//!   exercise program, [`exercise_dto`] the exercise catalogue; [`coach_dto`] what the camera
//!   coach's WebSocket sends.
//! - [`plan_json`]: a plan's JSON written from parts escaped once, byte for byte the
//!   [`dto::PlanDto`]'s, for the recommendation endpoint.
//! - [`coach_messages`]: the camera coach's messages, one at a time: a frame (JSON or
//!   binary) or a command in, the JSON answer out.
//! - [`partner`]: linked partners — the invitation, the link key wrapped under each partner's
//!   key, what each shares, private marks, the occasions; [`couple`]: the couple plan from one's
//!   own profile and what the partner shares, "our list", the morning-after answer.
//! - [`clinician_share`]: a link for a clinician to a sealed snapshot of what the person
//!   chose, with an expiry, an optional PIN and an access log; [`share_dto`] its JSON shapes.
//! - [`shown_once`]: a new recovery code or API token, kept sealed in the session until the
//!   person has saved it.
//! - [`clock`]: the server's clock and the client's date; [`emergency`]: the number offered
//!   to call; [`public_url`]: the address people reach the server by.
//! - [`error`]: one error type, without HTTP status codes.

pub mod accounts;
pub mod clinician_share;
pub mod clock;
pub mod coach_dto;
pub mod coach_messages;
pub mod couple;
pub mod dto;
pub mod emergency;
pub mod entry_dto;
pub mod entry_page;
pub mod error;
pub mod exercise_dto;
pub mod exercise_program;
pub mod journal;
pub mod journal_dto;
pub mod knowledge_ids;
pub mod login;
pub mod partner;
pub mod plan_json;
pub mod profile;
pub mod program_dto;
pub mod public_url;
pub mod rekey;
pub mod requests;
pub mod share_dto;
pub mod shown_once;
