//! The command line: `spinewise assess`, `recommend`, `check`, `program`, the knowledge base,
//! the profile and the local journal, over the same application layer as the server.
//!
//! - [`args`]: the arguments, parsed and checked against the domain's vocabularies.
//! - [`commands`]: what each subcommand does; [`output`]: how it ends (text, JSON, exit code).
//! - [`local_journal`]: `spinewise journal` and `demo`: the journal on this computer.
//! - [`render`], [`insights_text`], [`summary_text`]: terminal output, laid out by [`text`];
//!   [`prompt`]: questions; [`profile`]: the saved profile; [`clock`]: this computer's clock.

pub mod args;
pub mod clock;
pub mod commands;
pub mod insights_text;
pub mod local_journal;
pub mod output;
pub mod profile;
pub mod prompt;
pub mod render;
pub mod summary_text;
pub mod text;
