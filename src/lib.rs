//! The `spinewise` binary: two front ends over the application layer (`spinewise-app`).
//!
//! - [`cli`]: the command line: arguments, commands, prompts, the profile and the local
//!   journal, and their text rendering.
//! - [`server`]: the web server: the HTML pages, the JSON API, sessions and security layers.
//! - `serve`: `spinewise serve`, the one module that knows both; the command line and the
//!   server never import each other.
//!
//! The engine is the `spinewise-domain` crate, the use cases and JSON shapes the
//! `spinewise-app` crate, and storage the `spinewise-store` crate; nothing here decides a
//! verdict or writes SQL.

pub mod cli;
mod serve;
pub mod server;

#[cfg(test)]
mod architecture;

use std::process::ExitCode;

/// Runs spinewise with these arguments and returns the process's exit code:
/// 0 success, 1 failure, 2 bad input, 130 cancelled.
pub fn main_with<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    cli::clock::read_local_offset();
    match cli::args::parse(args) {
        cli::args::Parsed::Info(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        cli::args::Parsed::Error(line) => {
            eprintln!("{line}");
            ExitCode::from(2)
        }
        cli::args::Parsed::Run(cli) => match cli::commands::run(*cli, serve::serve) {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => {
                match &failure {
                    cli::output::Failure::Other(e) => eprintln!("error: {e:#}"),
                    other => eprintln!("error: {other}"),
                }
                ExitCode::from(failure.exit_code())
            }
        },
    }
}
