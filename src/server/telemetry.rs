//! Logging for the server: to standard error, level set by `RUST_LOG` (default `info`). What
//! is logged is chosen to carry no health data, passwords or tokens: routes without their
//! query strings (a clinician's link as `/s/{secret}`, never its secret), status codes,
//! timings, and the causes of server errors.

use tracing_subscriber::EnvFilter;

/// Starts logging once; later calls do nothing.
pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}
