//! The one place that reads the clock, and the one rule for a date a client sends.
//!
//! The server lives in UTC; its users live in their own time zones, so a device's "today" may
//! be a day either side of the server's. A date further away than that is a mistake (a wrong
//! device clock, a stale page) and is refused with the date given and the server's, never
//! silently replaced.

use spinewise_domain::journal::{LocalDate, LocalDateTime};
use time::OffsetDateTime;

/// The current time, in UTC.
pub fn now_utc() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// The current time, in unix seconds.
pub fn unix_now() -> i64 {
    now_utc().unix_timestamp()
}

/// Today by the server's clock (UTC).
pub fn server_today() -> LocalDate {
    LocalDate(now_utc().date())
}

/// The server's wall clock (UTC), for a record stamped without a device's time.
pub fn server_now() -> LocalDateTime {
    LocalDateTime::of_clock(now_utc())
}

/// `date` at the server's time of day: when something was done on a day the client named,
/// without a time of its own.
pub fn at_server_time(date: LocalDate) -> LocalDateTime {
    LocalDateTime(time::PrimitiveDateTime::new(date.0, now_utc().time()))
}

/// Why a client's date was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientDateError {
    /// Not a date at all.
    #[error("{0}")]
    NotADate(String),
    /// A date, but more than a day from the server's.
    #[error(
        "'{given}' is more than a day from the server's date ({server}); send your own date in your time zone, or leave it out"
    )]
    TooFar {
        /// The date given.
        given: LocalDate,
        /// The server's date.
        server: LocalDate,
    },
}

/// The client's own date: `given` when it is within a day of `server` (every time zone is),
/// `server` when nothing (or only blanks) was given, and an error for anything else.
pub fn client_today(given: Option<&str>, server: LocalDate) -> Result<LocalDate, ClientDateError> {
    let Some(raw) = given.map(str::trim).filter(|g| !g.is_empty()) else {
        return Ok(server);
    };
    let day = raw
        .parse::<LocalDate>()
        .map_err(|e| ClientDateError::NotADate(e.to_string()))?;
    if (day.0 - server.0).whole_days().abs() > 1 {
        return Err(ClientDateError::TooFar { given: day, server });
    }
    Ok(day)
}

/// Whether `at` is within a day of `date`: a device's time stamp that goes with the date it
/// names (a time zone away at most).
pub fn within_a_day(at: LocalDateTime, date: LocalDate) -> bool {
    (at.date().0 - date.0).whole_days().abs() <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> LocalDate {
        s.parse().expect("a date")
    }

    #[test]
    fn a_client_date_within_a_day_is_taken_and_blank_means_the_servers() {
        let server = day("2026-03-10");
        for given in ["2026-03-09", "2026-03-10", "2026-03-11"] {
            assert_eq!(client_today(Some(given), server), Ok(day(given)));
        }
        assert_eq!(client_today(None, server), Ok(server));
        assert_eq!(client_today(Some("  "), server), Ok(server));
    }

    #[test]
    fn a_client_date_further_away_or_not_a_date_is_refused_naming_it() {
        let server = day("2026-03-10");
        let far = client_today(Some("2026-03-12"), server).expect_err("refused");
        assert!(far.to_string().contains("'2026-03-12'"), "{far}");
        assert!(far.to_string().contains("2026-03-10"), "{far}");
        assert!(matches!(
            client_today(Some("tomorrow"), server),
            Err(ClientDateError::NotADate(_))
        ));
    }
}
