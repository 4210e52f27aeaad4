//! What each chart shows, in words: the text of its `<desc>` and of [`Chart::summary`].
//!
//! [`Chart::summary`]: super::model::Chart::summary

use std::fmt::Write as _;

use spinewise_domain::words::{capitalise, count};
use time::Date;

use super::data::{chances, fmt_num, min_max, pct, unit};
use super::dates::{days, iso};
use super::model::{Mark, MarkKind, PositionBar};

pub(super) fn pain_summary(
    from: Date,
    to: Date,
    pts: &[(Date, f64)],
    marks: &[&Mark],
    bands: &[(Date, Date, &str)],
) -> String {
    let mut s = String::new();
    let period = days(from, to) + 1;
    match (min_max(pts), pts.first()) {
        (Some((lo, hi, hi_date)), Some(_)) => {
            let mean = pts.iter().map(|p| p.1).sum::<f64>() / pts.len() as f64;
            let range = if lo == hi {
                format!("Pain at {}", fmt_num(lo))
            } else {
                format!("Pain from {} to {}", fmt_num(lo), fmt_num(hi))
            };
            let _ = write!(
                s,
                "{range} between {} and {}, logged on {} of {}, average {:.1}; highest on {}.",
                iso(from),
                iso(to),
                pts.len(),
                count(usize::try_from(period).unwrap_or(usize::MAX), "day", "days"),
                mean,
                iso(hi_date)
            );
        }
        _ => {
            let _ = write!(
                s,
                "No pain logged in this period ({} to {}).",
                iso(from),
                iso(to)
            );
        }
    }
    let intimacy = marks
        .iter()
        .filter(|m| matches!(m.kind, MarkKind::Intimacy { .. }))
        .count();
    let flared = marks
        .iter()
        .filter(|m| m.kind == MarkKind::Intimacy { flared: true })
        .count();
    let exercise = marks.len() - intimacy;
    let mut done = Vec::new();
    if intimacy > 0 {
        let mut part = count(intimacy, "intimacy log", "intimacy logs");
        if flared > 0 {
            let _ = write!(
                part,
                " ({flared} followed by a pain rise of 2 points or more)"
            );
        }
        done.push(part);
    }
    if exercise > 0 {
        done.push(count(exercise, "exercise session", "exercise sessions"));
    }
    if !done.is_empty() {
        let _ = write!(s, " {}.", capitalise(&done.join(" and ")));
    }
    if !bands.is_empty() {
        let list: Vec<String> = bands
            .iter()
            .map(|&(a, z, label)| {
                if a == z {
                    format!("{label} on {}", iso(a))
                } else {
                    format!("{label} from {} to {}", iso(a), iso(z))
                }
            })
            .collect();
        let _ = write!(s, " Shaded: {}.", list.join("; "));
    }
    s
}

pub(super) fn positions_summary(bars: &[PositionBar]) -> String {
    if bars.is_empty() {
        return "No positions logged yet.".to_owned();
    }
    let mut s = format!(
        "Chance of a pain rise after intimacy, for {}.",
        count(bars.len(), "position", "positions")
    );
    for b in bars {
        let (est, low, high) = chances(b);
        let _ = write!(
            s,
            " {}: pain rose after {}; your chance {} (likely {} to {}), expected from the posture {}.",
            b.label,
            logs_phrase(b),
            pct(est),
            pct(low),
            pct(high),
            pct(unit(b.prior))
        );
    }
    s
}

pub(super) fn logs_phrase(b: &PositionBar) -> String {
    format!("{} of {}", b.flares, count(b.logs, "log", "logs"))
}
