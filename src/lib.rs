//! The `spinewise` binary: the command line and the web app with its JSON API.
//!
//! - [`cli`]: the arguments, parsed and checked against the domain's vocabularies.
//! - [`commands`]: what each subcommand does, `serve` included.
//! - [`dto`]: the JSON shapes (a documented contract), shared by `--json` and the API.
//! - [`render`], [`prompt`], [`profile`]: terminal output, questions and the CLI's profile.
//! - [`startup`]: the web server: state, router, security layers, graceful stop.
//! - [`web`]: the HTML pages; [`api`]: `/api/v1` and its OpenAPI document.
//! - [`auth`]: passwords, sessions, CSRF, API tokens, sign-in throttling.
//! - [`error`]: one error type, answered as HTML or `application/problem+json`.
//! - [`telemetry`]: logging without health data.
//!
//! The engine is the `spinewise-domain` crate and storage the `spinewise-store` crate;
//! nothing here decides a verdict or writes SQL.

pub mod api;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod dto;
pub mod error;
pub mod profile;
pub mod prompt;
pub mod render;
pub mod startup;
pub mod telemetry;
pub mod web;

use std::process::ExitCode;

/// Runs spinewise with these arguments and returns the process's exit code:
/// 0 success, 1 failure, 2 bad input, 130 cancelled.
pub fn main_with<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
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
