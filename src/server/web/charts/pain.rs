//! The pain chart: daily pain over time, with intimacy and exercise marked along the bottom
//! and flare periods shaded, and the same data as table rows.

use std::fmt::Write as _;

use time::Date;

use super::data::{daily, fmt_num, kind_order, runs};
use super::dates::{days, iso, ticks};
use super::draw::{
    Swatch, circle_mark, hatch, hline, ident, legend, message_chart, open_svg, rect, text,
    text_width, triangle_mark, vline,
};
use super::model::{Band, Chart, Mark, MarkKind, PainPoint};
use super::style::{BAND_FILL, BAND_TEXT, FONT, GRID, GRID_LIGHT, MARGIN, MUTED, PAIN, SMALL, W};
use super::words::pain_summary;

/// Daily pain from `from` to `to` (inclusive) as a line, broken where days are missing, with
/// intimacy (circles, filled when pain rose after) and exercise (triangles) marked along the
/// bottom at their dates and `bands` shaded and labelled. Points, marks and bands outside the
/// period are left out; pain is clamped to 0–10, and of two points on one day the later one
/// in `points` counts. `id` prefixes the ids of the chart's elements, so that several charts
/// can share a page.
pub fn pain_over_time(
    id: &str,
    from: Date,
    to: Date,
    points: &[PainPoint],
    marks: &[Mark],
    bands: &[Band],
) -> Chart {
    let (from, to) = if to < from { (to, from) } else { (from, to) };
    let id = ident(id);
    let pts = daily(points, from, to);
    let mut marks: Vec<&Mark> = marks
        .iter()
        .filter(|m| m.date >= from && m.date <= to)
        .collect();
    marks.sort_by_key(|m| (m.date, kind_order(m.kind)));
    let bands: Vec<(Date, Date, &str)> = bands
        .iter()
        .filter_map(|b| {
            let (a, z) = if b.to < b.from {
                (b.to, b.from)
            } else {
                (b.from, b.to)
            };
            (z >= from && a <= to).then(|| (a.max(from), z.min(to), b.label.as_str()))
        })
        .collect();
    let title = format!("Daily pain, {} to {}", iso(from), iso(to));
    let summary = pain_summary(from, to, &pts, &marks, &bands);
    if pts.is_empty() {
        return message_chart(&id, &title, &summary, "No pain logged in this period");
    }

    let span = days(from, to) as f64;
    let left = 30.0;
    let right = W - MARGIN;
    let top = if bands.is_empty() { 14.0 } else { 34.0 };
    let bottom = top + 150.0;
    // Room for the rows of marks under the plot, when there are any.
    let strip = if marks.is_empty() { 0.0 } else { 46.0 };
    let x = |d: Date| {
        if span == 0.0 {
            (left + right) / 2.0
        } else {
            left + days(from, d) as f64 / span * (right - left)
        }
    };
    let y = |p: f64| bottom - p / 10.0 * (bottom - top);
    let half_day = if span == 0.0 {
        (right - left) / 2.0
    } else {
        (right - left) / span / 2.0
    };

    let mut body = String::with_capacity(8192);

    // Shaded periods behind everything, their labels above the plot.
    let mut label_end = f64::NEG_INFINITY;
    for &(a, z, label) in &bands {
        let x0 = (x(a) - half_day).max(left);
        let x1 = (x(z) + half_day).min(right);
        rect(&mut body, x0, top, x1 - x0, bottom - top, BAND_FILL);
        hatch(&mut body, x0, top, x1, bottom);
        let w = text_width(label, SMALL);
        let lx = x0.min(W - MARGIN - w).max(MARGIN);
        if lx >= label_end + 6.0 {
            text(&mut body, lx, top - 8.0, "start", SMALL, BAND_TEXT, label);
            label_end = lx + w;
        }
    }

    // Date ticks: light lines across the plot, labels below the marks.
    let ticks = ticks(from, to);
    let mut last_end = f64::NEG_INFINITY;
    for (d, label) in &ticks {
        let tx = x(*d);
        vline(&mut body, tx, top, bottom, GRID_LIGHT, 1.0);
        let w = text_width(label, SMALL);
        let cx = tx.clamp(MARGIN + w / 2.0, W - MARGIN - w / 2.0);
        if cx - w / 2.0 >= last_end + 8.0 {
            text(
                &mut body,
                cx,
                bottom + strip + 22.0,
                "middle",
                SMALL,
                MUTED,
                label,
            );
            last_end = cx + w / 2.0;
        }
    }

    // Pain gridlines at 0, 5 and 10.
    for level in [0.0, 5.0, 10.0] {
        let gy = y(level);
        let colour = if level == 0.0 { GRID } else { GRID_LIGHT };
        hline(&mut body, left, right, gy, colour, 1.0);
        text(
            &mut body,
            left - 6.0,
            gy + 5.0,
            "end",
            FONT,
            MUTED,
            &fmt_num(level),
        );
    }

    // The line, one polyline per run of consecutive days, a dot for a day on its own.
    for run in runs(&pts) {
        if let [(d, p)] = run {
            let _ = write!(
                body,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{PAIN}"/>"#,
                x(*d),
                y(*p)
            );
            continue;
        }
        body.push_str(r#"<polyline points=""#);
        for (i, (d, p)) in run.iter().enumerate() {
            if i > 0 {
                body.push(' ');
            }
            let _ = write!(body, "{:.1},{:.1}", x(*d), y(*p));
        }
        let _ = write!(
            body,
            r#"" fill="none" stroke="{PAIN}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>"#
        );
    }

    // Marks along the bottom: intimacy on the upper row, exercise on the lower.
    for m in &marks {
        let mx = x(m.date);
        match m.kind {
            MarkKind::Intimacy { flared } => circle_mark(&mut body, mx, bottom + 20.0, flared),
            MarkKind::Exercise => triangle_mark(&mut body, mx, bottom + 41.0),
        }
    }

    // The legend: only what the chart shows.
    let mut items = vec![(Swatch::Line, "Pain (0 to 10)".to_owned())];
    let intimacy = |f: bool| {
        marks
            .iter()
            .any(|m| m.kind == MarkKind::Intimacy { flared: f })
    };
    if intimacy(false) {
        items.push((Swatch::Circle { filled: false }, "Intimacy".to_owned()));
    }
    if intimacy(true) {
        items.push((
            Swatch::Circle { filled: true },
            "Intimacy, pain rose after".to_owned(),
        ));
    }
    if marks.iter().any(|m| m.kind == MarkKind::Exercise) {
        items.push((Swatch::Triangle, "Exercise".to_owned()));
    }
    if let Some(&(_, _, first)) = bands.first() {
        let label = if bands.iter().all(|b| b.2 == first) {
            first
        } else {
            "Marked period"
        };
        items.push((Swatch::Hatch, label.to_owned()));
    }
    let height = legend(&mut body, &items, bottom + strip + 34.0) + 6.0;

    let mut svg = String::with_capacity(body.len() + 1024);
    open_svg(&mut svg, &id, height, &title, &summary);
    svg.push_str(&body);
    svg.push_str("</svg>");
    Chart { svg, summary }
}

/// The pain chart's data as table rows, one per day with pain or a mark, in date order:
/// (date as YYYY-MM-DD, pain or "not logged", what was done or ""). Plain text, for the
/// template to escape.
pub fn table_rows_pain(points: &[PainPoint], marks: &[Mark]) -> Vec<(String, String, String)> {
    let mut pts: Vec<(Date, f64)> = points
        .iter()
        .filter(|p| p.pain.is_finite())
        .map(|p| (p.date, p.pain.clamp(0.0, 10.0)))
        .collect();
    pts.sort_by_key(|p| p.0);
    let mut marks: Vec<&Mark> = marks.iter().collect();
    marks.sort_by_key(|m| (m.date, kind_order(m.kind)));
    let mut dates: Vec<Date> = pts
        .iter()
        .map(|p| p.0)
        .chain(marks.iter().map(|m| m.date))
        .collect();
    dates.sort();
    dates.dedup();
    dates
        .into_iter()
        .map(|d| {
            let pain = pts
                .iter()
                .rev()
                .find(|p| p.0 == d)
                .map_or_else(|| "not logged".to_owned(), |p| fmt_num(p.1));
            let done: Vec<&str> = marks
                .iter()
                .filter(|m| m.date == d)
                .map(|m| match m.kind {
                    MarkKind::Intimacy { flared: false } => "intimacy",
                    MarkKind::Intimacy { flared: true } => "intimacy (pain rose after)",
                    MarkKind::Exercise => "exercise",
                })
                .collect();
            (iso(d), pain, done.join(", "))
        })
        .collect()
}
