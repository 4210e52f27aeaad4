//! The drawing: the `<svg>` element with its title and description, text, rectangles and
//! lines, the hatching of shaded periods, the marks and their legend, and the rough text
//! measuring that lays labels out.

use std::fmt::Write as _;

use super::model::Chart;
use super::style::{
    BAND_FILL, BAND_HATCH, ESTIMATE, EXERCISE, FONT, GROUND, INK, INTIMACY, MARGIN, MUTED, PAIN,
    PRIOR, SMALL, W,
};
use crate::server::web::markup::escape;

pub(super) fn open_svg(out: &mut String, id: &str, height: f64, title: &str, summary: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W:.0} {height:.0}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc" class="chart" font-family="system-ui, sans-serif" font-size="{FONT:.0}">"#
    );
    let _ = write!(
        out,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(summary)
    );
    let _ = write!(
        out,
        r#"<rect width="{W:.0}" height="{height:.0}" rx="6" fill="{GROUND}"/>"#
    );
}

pub(super) fn message_chart(id: &str, title: &str, summary: &str, message: &str) -> Chart {
    let mut svg = String::with_capacity(512);
    open_svg(&mut svg, id, 64.0, title, summary);
    text(&mut svg, W / 2.0, 37.0, "middle", FONT, MUTED, message);
    svg.push_str("</svg>");
    Chart {
        svg,
        summary: summary.to_owned(),
    }
}

pub(super) fn text(out: &mut String, x: f64, y: f64, anchor: &str, size: f64, fill: &str, s: &str) {
    let _ = write!(
        out,
        r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" font-size="{size:.0}" fill="{fill}">{}</text>"#,
        escape(s)
    );
}

pub(super) fn rect(out: &mut String, x: f64, y: f64, w: f64, h: f64, fill: &str) {
    if w <= 0.0 || h <= 0.0 {
        return;
    }
    let _ = write!(
        out,
        r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}"/>"#
    );
}

pub(super) fn hline(out: &mut String, x0: f64, x1: f64, y: f64, colour: &str, width: f64) {
    let _ = write!(
        out,
        r#"<line x1="{x0:.1}" y1="{y:.1}" x2="{x1:.1}" y2="{y:.1}" stroke="{colour}" stroke-width="{width:.1}"/>"#
    );
}

pub(super) fn vline(out: &mut String, x: f64, y0: f64, y1: f64, colour: &str, width: f64) {
    let _ = write!(
        out,
        r#"<line x1="{x:.1}" y1="{y0:.1}" x2="{x:.1}" y2="{y1:.1}" stroke="{colour}" stroke-width="{width:.1}"/>"#
    );
}

/// Diagonal hatching filling a rectangle, drawn as line segments (no patterns, no clipping).
pub(super) fn hatch(out: &mut String, x0: f64, y0: f64, x1: f64, y1: f64) {
    let step = 7.0;
    let mut d = String::new();
    let mut k = x0 + y0 + step;
    while k < x1 + y1 {
        let xa = x0.max(k - y1);
        let xb = x1.min(k - y0);
        if xb > xa {
            let _ = write!(d, "M{xa:.1} {:.1}L{xb:.1} {:.1}", k - xa, k - xb);
        }
        k += step;
    }
    if !d.is_empty() {
        let _ = write!(
            out,
            r#"<path d="{d}" fill="none" stroke="{BAND_HATCH}" stroke-width="1"/>"#
        );
    }
}

pub(super) fn circle_mark(out: &mut String, x: f64, y: f64, filled: bool) {
    let fill = if filled { INTIMACY } else { GROUND };
    let _ = write!(
        out,
        r#"<circle cx="{x:.1}" cy="{y:.1}" r="6" fill="{fill}" stroke="{INTIMACY}" stroke-width="2"/>"#
    );
}

pub(super) fn triangle_mark(out: &mut String, x: f64, y: f64) {
    let _ = write!(
        out,
        r#"<path d="M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z" fill="{EXERCISE}" stroke="{GROUND}" stroke-width="1"/>"#,
        y - 7.0,
        x + 7.0,
        y + 5.0,
        x - 7.0,
        y + 5.0
    );
}

/// A range with end caps, dark on a thin white halo so it reads over the bar too.
pub(super) fn whisker(out: &mut String, x0: f64, x1: f64, y: f64) {
    for (colour, width) in [(GROUND, 4.0), (INK, 2.0)] {
        let _ = write!(
            out,
            r#"<path d="M{x0:.1} {:.1}V{:.1}M{x0:.1} {y:.1}H{x1:.1}M{x1:.1} {:.1}V{:.1}" fill="none" stroke="{colour}" stroke-width="{width:.0}"/>"#,
            y - 5.0,
            y + 5.0,
            y - 5.0,
            y + 5.0
        );
    }
}

pub(super) fn prior_tick(out: &mut String, x: f64, y: f64) {
    vline(out, x, y - 13.0, y + 13.0, GROUND, 6.0);
    vline(out, x, y - 12.0, y + 12.0, PRIOR, 3.0);
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Swatch {
    Line,
    Circle { filled: bool },
    Triangle,
    Hatch,
    Bar,
    Whisker,
    Tick,
}

/// Legend entries flowed into rows from `top`; returns where the last row ends.
pub(super) fn legend(out: &mut String, items: &[(Swatch, String)], top: f64) -> f64 {
    let row_h = 22.0;
    let (mut x, mut row_top) = (MARGIN, top);
    for (swatch, label) in items {
        let sw = match swatch {
            Swatch::Circle { .. } | Swatch::Triangle | Swatch::Tick => 14.0,
            _ => 22.0,
        };
        let w = sw + 6.0 + text_width(label, SMALL);
        if x > MARGIN && x + w > W - MARGIN {
            x = MARGIN;
            row_top += row_h;
        }
        let cy = row_top + 11.0;
        match swatch {
            Swatch::Line => hline(out, x, x + sw, cy, PAIN, 2.5),
            Swatch::Circle { filled } => circle_mark(out, x + sw / 2.0, cy, *filled),
            Swatch::Triangle => triangle_mark(out, x + sw / 2.0, cy + 1.0),
            Swatch::Hatch => {
                rect(out, x, cy - 7.0, sw, 14.0, BAND_FILL);
                hatch(out, x, cy - 7.0, x + sw, cy + 7.0);
            }
            Swatch::Bar => rect(out, x, cy - 6.0, sw, 12.0, ESTIMATE),
            Swatch::Whisker => whisker(out, x + 1.0, x + sw - 1.0, cy),
            Swatch::Tick => prior_tick(out, x + sw / 2.0, cy),
        }
        text(out, x + sw + 6.0, cy + 5.0, "start", SMALL, INK, label);
        x += w + 16.0;
    }
    row_top + row_h
}

/// A rough width of text in a sans-serif face, to lay out labels without measuring them.
pub(super) fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.58
}

/// `s` in lines that each fit `room` units, broken between words (a word longer than a
/// line stands alone): labels are wrapped, never cut.
pub(super) fn wrap(s: &str, room: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), size) <= room => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// An id safe in an attribute and an IDREF list: letters, digits, '-' and '_', starting
/// with a letter.
pub(super) fn ident(id: &str) -> String {
    let mut s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert_str(0, "chart-");
    }
    s
}
