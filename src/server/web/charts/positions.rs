//! The positions chart: the chance of a pain rise for each position, with its likely range
//! and what the posture model expected, and the same data as table rows.

use std::fmt::Write as _;

use super::data::{chances, pct, unit};
use super::draw::{
    Swatch, ident, legend, message_chart, open_svg, prior_tick, rect, text, text_width, truncate,
    vline, whisker,
};
use super::model::{Chart, PositionBar};
use super::style::{ESTIMATE, FONT, GRID_LIGHT, INK, MARGIN, MUTED, SMALL, TRACK, W};
use super::words::{logs_phrase, positions_summary};
use crate::server::web::markup::escape;

/// One row per position, in the order given: a bar for the personal chance of a pain rise
/// with a whisker for its likely range, a tall tick for what the posture model expected,
/// and "2 of 6 logs, 33%" beside the name. Chances are clamped to 0–1.
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
    let row_h = 54.0;
    let rows_end = top + row_h * bars.len() as f64;

    let mut body = String::with_capacity(4096);
    for v in [0.0, 0.5, 1.0] {
        vline(&mut body, x(v), top, rows_end, GRID_LIGHT, 1.0);
    }
    for (i, b) in bars.iter().enumerate() {
        let y0 = top + row_h * i as f64;
        let (est, low, high) = chances(b);
        let counts = format!("{}, {}", logs_phrase(b), pct(est));
        let counts_w = text_width(&counts, FONT);
        text(&mut body, right, y0 + 18.0, "end", FONT, MUTED, &counts);
        let room = right - left - counts_w - 12.0;
        let _ = write!(
            body,
            r#"<text x="{left:.1}" y="{:.1}" font-size="{FONT:.0}" font-weight="600" fill="{INK}">{}</text>"#,
            y0 + 18.0,
            escape(&truncate(&b.label, room, FONT))
        );
        let (bar_top, bar_h) = (y0 + 27.0, 16.0);
        let mid = bar_top + bar_h / 2.0;
        rect(&mut body, left, bar_top, right - left, bar_h, TRACK);
        rect(&mut body, left, bar_top, x(est) - left, bar_h, ESTIMATE);
        whisker(&mut body, x(low), x(high), mid);
        prior_tick(&mut body, x(unit(b.prior)), mid);
    }
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
