//! How a command ends: its output (text or `--json`) on standard output, or a [`Failure`] with
//! its exit code; and where the command line keeps its files.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;
use spinewise_domain::safety::Saved;

use super::args::Cli;
use super::profile::{Profile, ProfileStore};
use super::prompt::{Cancelled, EndOfInput};

/// Why a command did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Bad input: a value, a file or a combination the command cannot use. Exit code 2.
    #[error("{0}")]
    Usage(String),
    /// The person cancelled a prompt. Exit code 130.
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
    /// Anything else, such as a file that cannot be written. Exit code 1.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl Failure {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Cancelled(_) => 130,
            Failure::Other(_) => 1,
        }
    }

    /// A prompt that ended: out of input is bad input, a cancel is a cancel.
    pub fn from_prompt(e: anyhow::Error) -> Failure {
        if let Some(end) = e.downcast_ref::<EndOfInput>() {
            return Failure::Usage(end.to_string());
        }
        match e.downcast::<Cancelled>() {
            Ok(c) => Failure::Cancelled(c),
            Err(e) => Failure::Other(e),
        }
    }
}

/// A bad-input failure with this message.
pub fn usage(e: impl std::fmt::Display) -> Failure {
    Failure::Usage(e.to_string())
}

/// Where output goes and how it is laid out.
#[derive(Debug)]
pub struct Output {
    /// Print JSON instead of text.
    pub json: bool,
    /// The terminal's width, for wrapping.
    pub width: usize,
}

impl Output {
    /// Prints `text` (given the width) or, with `--json`, `json`.
    pub fn print(
        &self,
        text: impl FnOnce(usize) -> String,
        json: impl Serialize,
    ) -> Result<(), Failure> {
        let body = if self.json {
            let mut s = serde_json::to_string_pretty(&json).context("cannot encode the result")?;
            s.push('\n');
            s
        } else {
            text(self.width)
        };
        write_stdout(body.as_bytes(), "the result")
    }
}

/// Writes `bytes` to standard output; a reader that went away (`spinewise ... | head`) is not
/// a failure, since nothing is left to tell. `what` names the output in an error.
pub fn write_stdout(bytes: &[u8], what: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(anyhow::Error::new(e)
            .context(format!("cannot write {what}"))
            .into()),
    }
}

/// The directory for the profile and the local journal: `--data-dir`, or the system's.
pub fn data_dir(cli: &Cli) -> Result<PathBuf, Failure> {
    match &cli.data_dir {
        Some(dir) => Ok(dir.clone()),
        None => dirs::data_dir().map(|d| d.join("spinewise")).ok_or_else(|| {
            usage("cannot find a data directory on this system: pass --data-dir DIR or set SPINEWISE_DATA_DIR")
        }),
    }
}

/// The saved profile's pain type and conditions, or none, with a warning on standard error,
/// when it cannot be read.
pub fn saved_or_warn(cli: &Cli) -> Saved {
    let loaded = data_dir(cli)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .and_then(|dir| ProfileStore::in_dir(&dir).load());
    match loaded {
        Ok(profile) => profile.map(Profile::saved).unwrap_or_default(),
        Err(e) => {
            eprintln!("warning: the saved profile cannot be read ({e:#}); going on without it");
            Saved::default()
        }
    }
}
