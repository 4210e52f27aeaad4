//! The `spinewise` command line: assessment, couple recommendations, red-flag checks and the
//! knowledge base, in the terminal, as text or JSON.
//!
//! - [`cli`]: the arguments, parsed and checked against the domain's vocabularies.
//! - [`commands`]: what each subcommand does.
//! - [`dto`]: the JSON shapes (a documented contract).
//! - [`render`]: the text layout.
//! - [`prompt`]: interactive questions.
//! - [`profile`]: the saved profile.
//!
//! The engine itself is the `spinewise-domain` crate; nothing here decides a verdict.

pub mod cli;
pub mod commands;
pub mod dto;
pub mod profile;
pub mod prompt;
pub mod render;

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
