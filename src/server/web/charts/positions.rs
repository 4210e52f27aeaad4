//! The positions chart: the chance of a pain rise for each position, with its likely range
//! and what the posture model expected, and the same data as table rows.

use std::fmt::Write as _;

use super::data::{chances, pct, unit};
use super::draw::{
    Swatch, ident, legend, message_chart, open_svg, prior_tick, rect, text, vline, whisker, wrap,
};
use super::model::{Chart, PositionBar};
use super::style::{ESTIMATE, FONT, GRID_LIGHT, INK, MARGIN, MUTED, SMALL, TRACK, W};
use super::words::{logs_phrase, positions_summary};
use crate::server::web::markup::escape;

/// One row per position, in the order given: a bar for the personal chance of a pain rise
/// with a whisker for its likely range, a tall tick for what the posture model expected,
/// the whole name above it, and "Pain rose after 2 of 6 logs; your chance 33%" below. Chances are clamped to 0–1.
pub fn position_outcomes(id: &str, bars: &[PositionBar]) -> Chart {
    let id = ident(id);
    let title = "Chance of a pain rise, by position";
    let summary = positions_summary(bars);
    if bars.is_empty() {
        return message_chart(&id, title, &summary, "No positions logged yet");
    }

    let left = MARGIN;
    let right = W - MARGIN;
    let x = |v: f64| left + unit(v) * (right - left);
    let top = 8.0;
    let line_h = FONT + 4.0;

    // Each row: the position's whole name (wrapped, never cut), the bar, and what the logs
    // show in words.
    let mut body = String::with_capacity(4096);
    let mut rows = String::with_capacity(4096);
    let mut y = top;
    for b in bars {
        let (est, low, high) = chances(b);
        for line in wrap(&b.label, right - left, FONT) {
            y += line_h;
            let _ = write!(
                rows,
                r#"<text x="{left:.1}" y="{y:.1}" font-size="{FONT:.0}" font-weight="600" fill="{INK}">{}</text>"#,
                escape(&line)
            );
        }
        let (bar_top, bar_h) = (y + 7.0, 16.0);
        let mid = bar_top + bar_h / 2.0;
        rect(&mut rows, left, bar_top, right - left, bar_h, TRACK);
        rect(&mut rows, left, bar_top, x(est) - left, bar_h, ESTIMATE);
        whisker(&mut rows, x(low), x(high), mid);
        prior_tick(&mut rows, x(unit(b.prior)), mid);
        y = bar_top + bar_h + SMALL + 6.0;
        let words = format!(
            "Pain rose after {}; your chance {}",
            logs_phrase(b),
            pct(est)
        );
        text(&mut rows, left, y, "start", SMALL, MUTED, &words);
        y += 10.0;
    }
    let rows_end = y;
    for v in [0.0, 0.5, 1.0] {
        vline(&mut body, x(v), top, rows_end, GRID_LIGHT, 1.0);
    }
    body.push_str(&rows);
    for (v, anchor) in [(0.0, "start"), (0.5, "middle"), (1.0, "end")] {
        text(
            &mut body,
            x(v),
            rows_end + 14.0,
            anchor,
            SMALL,
            MUTED,
            &pct(v),
        );
    }
    let items = [
        (Swatch::Bar, "Your chance of a pain rise".to_owned()),
        (Swatch::Whisker, "Likely range".to_owned()),
        (Swatch::Tick, "Expected from the posture".to_owned()),
    ];
    let height = legend(&mut body, &items, rows_end + 24.0) + 6.0;

    let mut svg = String::with_capacity(body.len() + 1024);
    open_svg(&mut svg, &id, height, title, &summary);
    svg.push_str(&body);
    svg.push_str("</svg>");
    Chart { svg, summary }
}

/// The positions chart's data as table rows, in the order given: (position, "2 of 6 logs",
/// "33% (likely 12% to 61%)", expected from the posture "20%"). Plain text, for the template
/// to escape.
pub fn table_rows_positions(bars: &[PositionBar]) -> Vec<(String, String, String, String)> {
    bars.iter()
        .map(|b| {
            let (est, low, high) = chances(b);
            (
                b.label.clone(),
                logs_phrase(b),
                format!("{} (likely {} to {})", pct(est), pct(low), pct(high)),
                pct(unit(b.prior)),
            )
        })
        .collect()
}
