//! This computer's clock, for the command line: the current time in unix seconds and the wall
//! clock in the local time zone (read once at start-up, before any thread is spawned).

use spinewise_domain::journal::{LocalDate, LocalDateTime};

/// The current time: unix seconds, and the wall clock in this computer's time zone.
pub fn now() -> (i64, LocalDateTime) {
    let utc = time::OffsetDateTime::now_utc();
    let local = crate::LOCAL_OFFSET
        .get()
        .map_or(utc, |offset| utc.to_offset(*offset));
    (utc.unix_timestamp(), LocalDateTime::of_clock(local))
}

/// Today on this computer's clock.
pub fn today() -> LocalDate {
    now().1.date()
}
