//! The `spinewise` binary: the command line and the web app with its JSON API.
//!
//! - [`cli`]: the arguments, parsed and checked against the domain's vocabularies.
//! - [`commands`]: what each subcommand does, `serve` included.
//! - [`dto`]: the JSON shapes (a documented contract), shared by `--json` and the API.
//! - [`journal_dto`]: the JSON shapes of the journal's insights and personal plan.
//! - [`render`], [`prompt`], [`profile`]: terminal output, questions and the CLI's profile.
//! - [`startup`]: the web server: state, router, security layers, graceful stop.
//! - [`web`]: the HTML pages; [`api`]: `/api/v1` and its OpenAPI document.
//! - [`auth`]: passwords, sessions, CSRF, API tokens, sign-in throttling, journal keys.
//! - [`journal`]: journal entries sealed and opened under the user's key, checked on write.
//! - [`error`]: one error type, answered as HTML or `application/problem+json`.
//! - [`telemetry`]: logging without health data.
//!
//! The engine is the `spinewise-domain` crate and storage the `spinewise-store` crate;
//! nothing here decides a verdict or writes SQL.

pub mod api;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod dto;
pub mod error;
pub mod exercise_program;
pub mod insights_text;
pub mod journal;
pub mod journal_dto;
pub mod local_journal;
pub mod profile;
pub mod prompt;
pub mod render;
pub mod startup;
pub mod telemetry;
pub mod web;

use std::process::ExitCode;
use std::sync::OnceLock;

/// This computer's offset from UTC, read once at start-up while the process has a single
/// thread (reading it later is refused on some systems). The command line's journal uses it
/// for "now" and "today"; the server never does (its users live in their own time zones).
pub static LOCAL_OFFSET: OnceLock<time::UtcOffset> = OnceLock::new();

/// Runs spinewise with these arguments and returns the process's exit code:
/// 0 success, 1 failure, 2 bad input, 130 cancelled.
pub fn main_with<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    if let Ok(offset) = time::UtcOffset::current_local_offset() {
        let _ = LOCAL_OFFSET.set(offset);
    }
    match cli::parse(args) {
        cli::Parsed::Info(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        cli::Parsed::Error(line) => {
            eprintln!("{line}");
            ExitCode::from(2)
        }
        cli::Parsed::Run(cli) => match commands::run(*cli) {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => {
                match &failure {
                    commands::Failure::Other(e) => eprintln!("error: {e:#}"),
                    other => eprintln!("error: {other}"),
                }
                ExitCode::from(failure.exit_code())
            }
        },
    }
}
