//! This computer's clock, for the command line: the current time in unix seconds and the wall
//! clock in the local time zone (read once at start-up, before any thread is spawned).

use std::sync::OnceLock;

use spinewise_domain::journal::{LocalDate, LocalDateTime};

/// This computer's offset from UTC, read once at start-up while the process has a single
/// thread (reading it later is refused on some systems). The command line's journal uses it
/// for "now" and "today"; the server never does (its users live in their own time zones).
pub static LOCAL_OFFSET: OnceLock<time::UtcOffset> = OnceLock::new();

/// Reads this computer's offset from UTC into [`LOCAL_OFFSET`]: call it first thing, before
/// any thread is spawned.
pub fn read_local_offset() {
    if let Ok(offset) = time::UtcOffset::current_local_offset() {
        let _ = LOCAL_OFFSET.set(offset);
    }
}

/// The current time: unix seconds, and the wall clock in this computer's time zone.
pub fn now() -> (i64, LocalDateTime) {
    let utc = spinewise_app::clock::now_utc();
    let local = LOCAL_OFFSET
        .get()
        .map_or(utc, |offset| utc.to_offset(*offset));
    (utc.unix_timestamp(), LocalDateTime::of_clock(local))
}

/// Today on this computer's clock.
pub fn today() -> LocalDate {
    now().1.date()
}
