//! Dates and wall-clock times as the journal writes them: a calendar date `YYYY-MM-DD` and a
//! time to the minute `YYYY-MM-DDTHH:MM`, in the person's own time zone. A leaf: the safety
//! policy dates the red flags it reads with these without depending on the journal's entries.

use std::fmt;
use std::str::FromStr;

use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalDate(pub Date);

/// A wall-clock time to the minute, written `YYYY-MM-DDTHH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalDateTime(pub PrimitiveDateTime);

impl LocalDate {
    /// The date.
    pub const fn date(self) -> Date {
        self.0
    }

    /// The last minute of the day.
    pub fn end_of_day(self) -> LocalDateTime {
        LocalDateTime(PrimitiveDateTime::new(self.0, time::macros::time!(23:59)))
    }

    /// The next day.
    pub fn next(self) -> Option<LocalDate> {
        self.0.next_day().map(LocalDate)
    }
}

impl LocalDateTime {
    /// The date part.
    pub const fn date(self) -> LocalDate {
        LocalDate(self.0.date())
    }

    /// The hour, 0–23.
    pub const fn hour(self) -> u8 {
        self.0.hour()
    }

    /// The wall-clock minute of a moment as read on a clock (seconds dropped), in that
    /// clock's own offset.
    pub fn of_clock(t: OffsetDateTime) -> LocalDateTime {
        LocalDateTime(PrimitiveDateTime::new(
            t.date(),
            Time::from_hms(t.hour(), t.minute(), 0).unwrap_or(Time::MIDNIGHT),
        ))
    }

    /// A time on `date` at `hour:minute`, if those are a time.
    pub fn at(date: LocalDate, hour: u8, minute: u8) -> Option<LocalDateTime> {
        Time::from_hms(hour, minute, 0)
            .ok()
            .map(|t| LocalDateTime(PrimitiveDateTime::new(date.0, t)))
    }
}

impl fmt::Display for LocalDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}",
            d.year(),
            u8::from(d.month()),
            d.day()
        )
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}T{:02}:{:02}",
            self.date(),
            self.0.hour(),
            self.0.minute()
        )
    }
}

impl FromStr for LocalDate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        unsigned(s.trim())
            .and_then(|t| Date::parse(t, format_description!("[year]-[month]-[day]")).ok())
            .map(LocalDate)
            .ok_or_else(|| format!("'{s}' is not a date written YYYY-MM-DD"))
    }
}

impl FromStr for LocalDateTime {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        // Browsers' datetime-local inputs send minutes, sometimes seconds; seconds are dropped.
        let minutes = format_description!("[year]-[month]-[day]T[hour]:[minute]");
        let seconds = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
        unsigned(s)
            .and_then(|s| {
                PrimitiveDateTime::parse(s, minutes)
                    .or_else(|_| PrimitiveDateTime::parse(s, seconds))
                    .ok()
            })
            .and_then(|t| t.replace_second(0).ok())
            .map(LocalDateTime)
            .ok_or_else(|| format!("'{s}' is not a date and time written YYYY-MM-DDTHH:MM"))
    }
}

/// The text, if it starts with the year's first digit: `time` would also read a signed year
/// (`-0506`), which is not written YYYY and would not be written back the same.
fn unsigned(s: &str) -> Option<&str> {
    s.starts_with(|c: char| c.is_ascii_digit()).then_some(s)
}

macro_rules! serde_via_text {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

serde_via_text!(LocalDate);
serde_via_text!(LocalDateTime);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_year_is_not_a_date() {
        // Found by fuzzing: "-0506-03-01T07:30" was read, and written back as
        // "-506-03-01T07:30", which does not read.
        assert!("-0506-03-01".parse::<LocalDate>().is_err());
        assert!("+2026-03-01".parse::<LocalDate>().is_err());
        assert!("-0506-03-01T07:30".parse::<LocalDateTime>().is_err());
        assert!("+2026-03-01T07:30".parse::<LocalDateTime>().is_err());
        let t: LocalDateTime = " 2026-03-01T07:30:59 ".parse().expect("a time");
        assert_eq!(t.to_string().parse::<LocalDateTime>(), Ok(t));
        let d: LocalDate = "0506-03-01".parse().expect("a date");
        assert_eq!(d.to_string().parse::<LocalDate>(), Ok(d));
    }
}
