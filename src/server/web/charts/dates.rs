//! Dates on the charts: days between two dates, the ticks along the time axis (weekly, or
//! monthly for longer periods), month names and dates written as YYYY-MM-DD.

use time::{Date, Duration, Month};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub(super) fn days(a: Date, b: Date) -> i64 {
    (b - a).whole_days()
}

/// Weekly ticks from the first day for up to 60 days, else the first of each month.
pub(super) fn ticks(from: Date, to: Date) -> Vec<(Date, String)> {
    let mut out = Vec::new();
    if days(from, to) <= 60 {
        let mut d = Some(from);
        while let Some(day) = d.filter(|day| *day <= to) {
            out.push((day, format!("{} {}", month_name(day.month()), day.day())));
            d = day.checked_add(Duration::days(7));
        }
        return out;
    }
    let many_years = from.year() != to.year();
    let mut d = if from.day() == 1 {
        Some(from)
    } else {
        first_of_next_month(from)
    };
    while let Some(day) = d.filter(|day| *day <= to) {
        let label = if many_years && day.month() == Month::January {
            format!("Jan {}", day.year())
        } else {
            month_name(day.month()).to_owned()
        };
        out.push((day, label));
        d = first_of_next_month(day);
    }
    out
}

pub(super) fn first_of_next_month(d: Date) -> Option<Date> {
    let (year, month) = match d.month() {
        Month::December => (d.year().checked_add(1)?, Month::January),
        m => (d.year(), m.next()),
    };
    Date::from_calendar_date(year, month, 1).ok()
}

pub(super) fn month_name(m: Month) -> &'static str {
    MONTHS
        .get(usize::from(u8::from(m)).saturating_sub(1))
        .copied()
        .unwrap_or("")
}

pub(super) fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}
