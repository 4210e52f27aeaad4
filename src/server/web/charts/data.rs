//! The numbers behind the charts, made ready to draw and to put in words: one pain value a
//! day in date order, runs of consecutive days, the range of pain, chances clamped to 0–1,
//! the order of marks on a day, and numbers written as "4.5" or "33%".

use time::Date;

use super::dates::days;
use super::model::{MarkKind, PainPoint, PositionBar};

/// The points within the period, one per day (the later given wins), in date order.
pub(super) fn daily(points: &[PainPoint], from: Date, to: Date) -> Vec<(Date, f64)> {
    let mut pts: Vec<(Date, f64)> = points
        .iter()
        .filter(|p| p.date >= from && p.date <= to && p.pain.is_finite())
        .map(|p| (p.date, p.pain.clamp(0.0, 10.0)))
        .collect();
    pts.sort_by_key(|p| p.0);
    let mut out: Vec<(Date, f64)> = Vec::with_capacity(pts.len());
    for p in pts {
        match out.last_mut() {
            Some(last) if last.0 == p.0 => *last = p,
            _ => out.push(p),
        }
    }
    out
}

/// Runs of consecutive days.
pub(super) fn runs(pts: &[(Date, f64)]) -> Vec<&[(Date, f64)]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=pts.len() {
        let broken = match (pts.get(i - 1), pts.get(i)) {
            (Some(a), Some(b)) => days(a.0, b.0) > 1,
            _ => true,
        };
        if broken {
            if let Some(run) = pts.get(start..i) {
                out.push(run);
            }
            start = i;
        }
    }
    out
}

/// The lowest and highest pain, and the first day of the highest.
pub(super) fn min_max(pts: &[(Date, f64)]) -> Option<(f64, f64, Date)> {
    let (first, rest) = pts.split_first()?;
    let (mut lo, mut hi, mut at) = (first.1, first.1, first.0);
    for &(d, p) in rest {
        lo = lo.min(p);
        if p > hi {
            hi = p;
            at = d;
        }
    }
    Some((lo, hi, at))
}

pub(super) fn chances(b: &PositionBar) -> (f64, f64, f64) {
    let (mut low, mut high) = (unit(b.low), unit(b.high));
    if low > high {
        std::mem::swap(&mut low, &mut high);
    }
    (unit(b.estimate), low, high)
}

pub(super) fn unit(v: f64) -> f64 {
    if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

pub(super) fn kind_order(k: MarkKind) -> u8 {
    match k {
        MarkKind::Intimacy { flared: false } => 0,
        MarkKind::Intimacy { flared: true } => 1,
        MarkKind::Exercise => 2,
    }
}

/// Pain as "4" or "4.5".
pub(super) fn fmt_num(v: f64) -> String {
    // Adding zero turns -0 into 0.
    let s = format!("{:.1}", v + 0.0);
    s.strip_suffix(".0")
        .map_or_else(|| s.clone(), str::to_owned)
}

pub(super) fn pct(v: f64) -> String {
    format!("{:.0}%", unit(v) * 100.0)
}
