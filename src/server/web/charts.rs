//! Charts for the pain journal: daily pain over time with intimacy and exercise marked along
//! the bottom and flare periods shaded, and the chance of a pain rise by position.
//!
//! Hand-written SVG like the drawings: no scripts, no external references, no inline styles
//! (only presentation attributes, so a strict Content-Security-Policy allows them), and the
//! same bytes for the same input. Each chart scales with its viewBox to the width it is
//! given and names itself with a `<title>` and a `<desc>` that says in words what it shows;
//! the same words come back as [`Chart::summary`], and the `table_rows_*` functions give the
//! rows of an HTML table with the same data.
//!
//! Colours come from a palette that colour-blind readers can tell apart (Okabe and Ito), and
//! no meaning rests on colour alone: intimacy is a circle (filled when pain rose after it),
//! exercise a triangle, a flare period a hatched band with its label, the posture model's
//! expectation a tall tick and the likely range a whisker with caps.
//!
//! Pages style the charts with `svg.chart { width: 100%; height: auto; }` (and may cap the
//! width); the `width="100%"` attribute makes them fill their box even without it. They
//! carry their own white ground, so they read the same in dark mode.

use super::form::capitalise;
use std::fmt::Write as _;

use time::{Date, Duration, Month};

/// One day's pain, 0 to 10.
#[derive(Debug, Clone, PartialEq)]
pub struct PainPoint {
    /// The day.
    pub date: Date,
    /// Pain that day, 0 (none) to 10 (worst imaginable).
    pub pain: f64,
}

/// What happened on a marked day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// Intimacy; `flared` when pain rose by 2 points or more afterwards.
    Intimacy {
        /// Pain rose by 2 points or more afterwards.
        flared: bool,
    },
    /// An exercise session.
    Exercise,
}

/// Something logged on a day, drawn as a mark along the bottom of the pain chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// The day.
    pub date: Date,
    /// What it was.
    pub kind: MarkKind,
}

/// A period shaded on the pain chart, such as a flare, from `from` to `to` inclusive.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// The first day.
    pub from: Date,
    /// The last day.
    pub to: Date,
    /// What the period was, shown on the chart ("Flare").
    pub label: String,
}

/// A rendered chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The `<svg>` element, ready to put in a page unescaped.
    pub svg: String,
    /// What the chart shows, in words: the text of its `<desc>` (plain text, not escaped).
    pub summary: String,
}

/// One position's row in [`position_outcomes`].
#[derive(Debug, Clone, PartialEq)]
pub struct PositionBar {
    /// The position's name (the user may have chosen it).
    pub label: String,
    /// How many times it was logged.
    pub logs: u32,
    /// How many of those were followed by a pain rise.
    pub flares: u32,
    /// The estimated personal chance of a pain rise, 0 to 1.
    pub estimate: f64,
    /// The low end of its likely range, 0 to 1.
    pub low: f64,
    /// The high end of its likely range, 0 to 1.
    pub high: f64,
    /// What the posture model expected before any logs, 0 to 1.
    pub prior: f64,
}

// The width of every chart's viewBox. Shown 330 to 400 pixels wide on a phone, text of 15
// units is 12 pixels or more.
const W: f64 = 400.0;
const FONT: f64 = 15.0;
const SMALL: f64 = 14.0;
const MARGIN: f64 = 10.0;

const GROUND: &str = "#ffffff";
const INK: &str = "#1f2933";
const MUTED: &str = "#52606d";
const GRID: &str = "#c9ced6";
const GRID_LIGHT: &str = "#e8ebef";
const TRACK: &str = "#eef0f3";
// Okabe–Ito: blue, vermillion, bluish green, reddish purple.
const PAIN: &str = "#0072b2";
const INTIMACY: &str = "#d55e00";
const EXERCISE: &str = "#009e73";
const BAND_FILL: &str = "#f7e9f1";
const BAND_HATCH: &str = "#cc79a7";
const BAND_TEXT: &str = "#7a3366";
const ESTIMATE: &str = "#0072b2";
const PRIOR: &str = "#d55e00";

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

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

// ---- the words ----

fn pain_summary(
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
                plural(usize::try_from(period).unwrap_or(usize::MAX), "day", "days"),
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
        let mut part = plural(intimacy, "intimacy log", "intimacy logs");
        if flared > 0 {
            let _ = write!(
                part,
                " ({flared} followed by a pain rise of 2 points or more)"
            );
        }
        done.push(part);
    }
    if exercise > 0 {
        done.push(plural(exercise, "exercise session", "exercise sessions"));
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

fn positions_summary(bars: &[PositionBar]) -> String {
    if bars.is_empty() {
        return "No positions logged yet.".to_owned();
    }
    let mut s = format!(
        "Chance of a pain rise after intimacy, for {}.",
        plural(bars.len(), "position", "positions")
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

fn logs_phrase(b: &PositionBar) -> String {
    let noun = if b.logs == 1 { "log" } else { "logs" };
    format!("{} of {} {noun}", b.flares, b.logs)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

// ---- the data ----

/// The points within the period, one per day (the later given wins), in date order.
fn daily(points: &[PainPoint], from: Date, to: Date) -> Vec<(Date, f64)> {
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
fn runs(pts: &[(Date, f64)]) -> Vec<&[(Date, f64)]> {
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
fn min_max(pts: &[(Date, f64)]) -> Option<(f64, f64, Date)> {
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

fn chances(b: &PositionBar) -> (f64, f64, f64) {
    let (mut low, mut high) = (unit(b.low), unit(b.high));
    if low > high {
        std::mem::swap(&mut low, &mut high);
    }
    (unit(b.estimate), low, high)
}

fn unit(v: f64) -> f64 {
    if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

fn kind_order(k: MarkKind) -> u8 {
    match k {
        MarkKind::Intimacy { flared: false } => 0,
        MarkKind::Intimacy { flared: true } => 1,
        MarkKind::Exercise => 2,
    }
}

fn days(a: Date, b: Date) -> i64 {
    (b - a).whole_days()
}

/// Weekly ticks from the first day for up to 60 days, else the first of each month.
fn ticks(from: Date, to: Date) -> Vec<(Date, String)> {
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

fn first_of_next_month(d: Date) -> Option<Date> {
    let (year, month) = match d.month() {
        Month::December => (d.year().checked_add(1)?, Month::January),
        m => (d.year(), m.next()),
    };
    Date::from_calendar_date(year, month, 1).ok()
}

fn month_name(m: Month) -> &'static str {
    MONTHS
        .get(usize::from(u8::from(m)).saturating_sub(1))
        .copied()
        .unwrap_or("")
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Pain as "4" or "4.5".
fn fmt_num(v: f64) -> String {
    // Adding zero turns -0 into 0.
    let s = format!("{:.1}", v + 0.0);
    s.strip_suffix(".0")
        .map_or_else(|| s.clone(), str::to_owned)
}

fn pct(v: f64) -> String {
    format!("{:.0}%", unit(v) * 100.0)
}

// ---- the drawing ----

fn open_svg(out: &mut String, id: &str, height: f64, title: &str, summary: &str) {
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

fn message_chart(id: &str, title: &str, summary: &str, message: &str) -> Chart {
    let mut svg = String::with_capacity(512);
    open_svg(&mut svg, id, 64.0, title, summary);
    text(&mut svg, W / 2.0, 37.0, "middle", FONT, MUTED, message);
    svg.push_str("</svg>");
    Chart {
        svg,
        summary: summary.to_owned(),
    }
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, size: f64, fill: &str, s: &str) {
    let _ = write!(
        out,
        r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" font-size="{size:.0}" fill="{fill}">{}</text>"#,
        escape(s)
    );
}

fn rect(out: &mut String, x: f64, y: f64, w: f64, h: f64, fill: &str) {
    if w <= 0.0 || h <= 0.0 {
        return;
    }
    let _ = write!(
        out,
        r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}"/>"#
    );
}

fn hline(out: &mut String, x0: f64, x1: f64, y: f64, colour: &str, width: f64) {
    let _ = write!(
        out,
        r#"<line x1="{x0:.1}" y1="{y:.1}" x2="{x1:.1}" y2="{y:.1}" stroke="{colour}" stroke-width="{width:.1}"/>"#
    );
}

fn vline(out: &mut String, x: f64, y0: f64, y1: f64, colour: &str, width: f64) {
    let _ = write!(
        out,
        r#"<line x1="{x:.1}" y1="{y0:.1}" x2="{x:.1}" y2="{y1:.1}" stroke="{colour}" stroke-width="{width:.1}"/>"#
    );
}

/// Diagonal hatching filling a rectangle, drawn as line segments (no patterns, no clipping).
fn hatch(out: &mut String, x0: f64, y0: f64, x1: f64, y1: f64) {
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

fn circle_mark(out: &mut String, x: f64, y: f64, filled: bool) {
    let fill = if filled { INTIMACY } else { GROUND };
    let _ = write!(
        out,
        r#"<circle cx="{x:.1}" cy="{y:.1}" r="6" fill="{fill}" stroke="{INTIMACY}" stroke-width="2"/>"#
    );
}

fn triangle_mark(out: &mut String, x: f64, y: f64) {
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
fn whisker(out: &mut String, x0: f64, x1: f64, y: f64) {
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

fn prior_tick(out: &mut String, x: f64, y: f64) {
    vline(out, x, y - 13.0, y + 13.0, GROUND, 6.0);
    vline(out, x, y - 12.0, y + 12.0, PRIOR, 3.0);
}

#[derive(Debug, Clone, Copy)]
enum Swatch {
    Line,
    Circle { filled: bool },
    Triangle,
    Hatch,
    Bar,
    Whisker,
    Tick,
}

/// Legend entries flowed into rows from `top`; returns where the last row ends.
fn legend(out: &mut String, items: &[(Swatch, String)], top: f64) -> f64 {
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
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.58
}

/// The label cut with an ellipsis to fit `room` units.
fn truncate(s: &str, room: f64, size: f64) -> String {
    let max = ((room / (size * 0.58)).floor() as usize).max(4);
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut cut: String = s.chars().take(max - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// An id safe in an attribute and an IDREF list: letters, digits, '-' and '_', starting
/// with a letter.
fn ident(id: &str) -> String {
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

/// Text safe in XML content and attribute values; characters XML does not allow are dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// Checks that `s` is one well-formed XML element: tags balance, attributes are quoted,
    /// and `&` only starts a known entity. Returns the tag names in order of opening.
    fn well_formed(s: &str) -> Vec<String> {
        let mut stack: Vec<String> = Vec::new();
        let mut opened = Vec::new();
        let mut rest = s;
        let entity_ok = |t: &str| {
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&apos;"]
                .iter()
                .any(|e| t.starts_with(e))
        };
        while let Some(i) = rest.find(['<', '&']) {
            let (text, tail) = rest.split_at(i);
            assert!(!text.contains('>'), "stray '>' in text: {text}");
            assert!(
                !stack.is_empty() || text.trim().is_empty(),
                "text outside the root"
            );
            if let Some(after) = tail.strip_prefix('&') {
                let at: String = tail.chars().take(12).collect();
                assert!(entity_ok(tail), "bad entity at {at}");
                rest = after;
                continue;
            }
            let end = tag_end(tail);
            let tag = &tail[1..end];
            rest = &tail[end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                let open = stack.pop().expect("a closing tag with nothing open");
                assert_eq!(open, name.trim(), "mismatched close");
                if stack.is_empty() {
                    assert!(rest.trim().is_empty(), "content after the root");
                }
                continue;
            }
            let self_closing = tag.ends_with('/');
            let inner = tag.trim_end_matches('/');
            let name: String = inner.chars().take_while(|c| !c.is_whitespace()).collect();
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()),
                "bad tag name {name:?}"
            );
            check_attributes(&inner[name.len()..]);
            assert!(
                !stack.is_empty() || opened.is_empty(),
                "a second root element"
            );
            opened.push(name.clone());
            if self_closing {
                if stack.is_empty() {
                    assert!(rest.trim().is_empty(), "content after the root");
                }
            } else {
                stack.push(name);
            }
        }
        assert!(rest.trim().is_empty() || !stack.is_empty());
        assert!(stack.is_empty(), "unclosed: {stack:?}");
        assert!(!opened.is_empty(), "no element");
        opened
    }

    /// Where the tag starting at tail[0] ends, skipping '>' inside quotes.
    fn tag_end(tail: &str) -> usize {
        let mut quote = None;
        for (i, c) in tail.char_indices().skip(1) {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '<') => panic!("'<' inside a tag"),
                (Some(_), '<') => panic!("'<' inside an attribute"),
                (None, '>') => return i,
                _ => {}
            }
        }
        panic!("unterminated tag");
    }

    fn check_attributes(mut s: &str) {
        let mut names = Vec::new();
        loop {
            s = s.trim_start();
            if s.is_empty() {
                break;
            }
            let eq = s.find('=').expect("attribute without a value");
            let name = s[..eq].trim();
            assert!(
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
                "bad attribute name {name:?}"
            );
            assert!(!names.contains(&name), "duplicate attribute {name}");
            names.push(name);
            let after = &s[eq + 1..];
            let q = after.chars().next().expect("a value");
            assert!(q == '"' || q == '\'', "unquoted attribute {name}");
            let close = after[1..].find(q).expect("closing quote") + 1;
            let value = &after[1..close];
            for (i, _) in value.match_indices('&') {
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                        .iter()
                        .any(|e| value[i..].starts_with(e)),
                    "bad entity in attribute {name}"
                );
            }
            s = &after[close + 1..];
        }
    }

    #[test]
    fn the_checker_catches_broken_markup() {
        let ok = r#"<svg a="1"><g><text x="1">a &amp; b</text></g><rect/></svg>"#;
        assert_eq!(well_formed(ok), ["svg", "g", "text", "rect"]);
        for bad in [
            "<svg><g></svg>",
            "<svg></g></svg>",
            "<svg><text>a & b</text></svg>",
            "<svg><text>a <b> c</text></svg>",
            r#"<svg a=1></svg>"#,
            r#"<svg a="1" a="2"></svg>"#,
            r#"<svg a="<"></svg>"#,
            "<svg></svg><svg></svg>",
            "<svg>",
        ] {
            let caught = std::panic::catch_unwind(|| well_formed(bad)).is_err();
            assert!(caught, "not caught: {bad}");
        }
    }

    fn self_contained(svg: &str) {
        well_formed(svg);
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        let without_ns = svg.replacen(r#"xmlns="http://www.w3.org/2000/svg""#, "", 1);
        for forbidden in [
            "style", "<script", "href", "http", "url(", "<image", "<foreign", "on",
        ] {
            let hits = if forbidden == "on" {
                // Event handler attributes: ` onload=`, ` onclick=` and the like.
                without_ns
                    .match_indices(" on")
                    .filter(|(i, _)| {
                        without_ns[i + 3..]
                            .chars()
                            .take_while(|c| c.is_ascii_alphabetic())
                            .count()
                            > 0
                            && without_ns[i + 3..]
                                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                                .starts_with('=')
                    })
                    .count()
            } else {
                without_ns.matches(forbidden).count()
            };
            assert_eq!(hits, 0, "found {forbidden}");
        }
    }

    fn pts(list: &[(Date, f64)]) -> Vec<PainPoint> {
        list.iter()
            .map(|&(date, pain)| PainPoint { date, pain })
            .collect()
    }

    fn every_day(from: Date, n: i64, pain: impl Fn(i64) -> f64) -> Vec<PainPoint> {
        (0..n)
            .map(|i| PainPoint {
                date: from + Duration::days(i),
                pain: pain(i),
            })
            .collect()
    }

    fn sample() -> (Vec<PainPoint>, Vec<Mark>, Vec<Band>) {
        let from = date!(2026 - 08 - 25);
        let mut points = every_day(from, 91, |i| 3.0 + ((i * 7) % 5) as f64);
        points.retain(|p| !(p.date >= date!(2026 - 09 - 10) && p.date <= date!(2026 - 09 - 14)));
        let marks = vec![
            Mark {
                date: date!(2026 - 09 - 01),
                kind: MarkKind::Intimacy { flared: true },
            },
            Mark {
                date: date!(2026 - 09 - 20),
                kind: MarkKind::Intimacy { flared: false },
            },
            Mark {
                date: date!(2026 - 09 - 21),
                kind: MarkKind::Exercise,
            },
        ];
        let bands = vec![Band {
            from: date!(2026 - 09 - 02),
            to: date!(2026 - 09 - 05),
            label: "Flare".to_owned(),
        }];
        (points, marks, bands)
    }

    fn bar(label: &str, logs: u32, flares: u32, est: f64, prior: f64) -> PositionBar {
        PositionBar {
            label: label.to_owned(),
            logs,
            flares,
            estimate: est,
            low: (est - 0.2).max(0.0),
            high: (est + 0.25).min(1.0),
            prior,
        }
    }

    #[test]
    fn the_pain_chart_is_well_formed_and_self_contained() {
        let (points, marks, bands) = sample();
        let c = pain_over_time(
            "pain",
            date!(2026 - 08 - 25),
            date!(2026 - 11 - 23),
            &points,
            &marks,
            &bands,
        );
        self_contained(&c.svg);
        assert!(c.svg.contains(r#"role="img""#));
        assert!(c.svg.contains(r#"aria-labelledby="pain-title pain-desc""#));
        assert!(c.svg.contains(r#"<title id="pain-title">"#));
        assert!(c.svg.contains(&format!(
            r#"<desc id="pain-desc">{}</desc>"#,
            escape(&c.summary)
        )));
    }

    #[test]
    fn the_summary_counts_what_is_in_the_period() {
        let from = date!(2026 - 10 - 01);
        let points = pts(&[
            (date!(2026 - 10 - 01), 3.0),
            (date!(2026 - 10 - 02), 7.0),
            (date!(2026 - 10 - 03), 5.5),
            (date!(2026 - 10 - 05), 7.0),
            (date!(2026 - 12 - 01), 10.0), // outside
        ]);
        let mut marks: Vec<Mark> = (0..14)
            .map(|i| Mark {
                date: from + Duration::days(i % 7),
                kind: MarkKind::Intimacy { flared: i < 3 },
            })
            .collect();
        marks.extend((0..9).map(|i| Mark {
            date: from + Duration::days(i % 7),
            kind: MarkKind::Exercise,
        }));
        marks.push(Mark {
            date: date!(2026 - 09 - 30),
            kind: MarkKind::Exercise,
        });
        let bands = [Band {
            from: date!(2026 - 09 - 28),
            to: date!(2026 - 10 - 02),
            label: "Flare".to_owned(),
        }];
        let c = pain_over_time("p", from, date!(2026 - 10 - 10), &points, &marks, &bands);
        assert_eq!(
            c.summary,
            "Pain from 3 to 7 between 2026-10-01 and 2026-10-10, logged on 4 of 10 days, \
             average 5.6; highest on 2026-10-02. 14 intimacy logs (3 followed by a pain rise \
             of 2 points or more) and 9 exercise sessions. Shaded: Flare from 2026-10-01 to \
             2026-10-02."
        );
        assert_eq!(
            c.svg.matches("<circle").count() - 3,
            14,
            "14 marks, 2 in the legend and a dot for the lone 5 October"
        );
    }

    #[test]
    fn gaps_split_the_line() {
        let d = date!(2026 - 03 - 01);
        let day = |n| d + Duration::days(n);
        let points = pts(&[
            (day(0), 2.0),
            (day(1), 3.0),
            (day(2), 4.0),
            (day(5), 5.0),
            (day(6), 6.0),
            (day(9), 1.0),
        ]);
        let c = pain_over_time("g", d, day(13), &points, &[], &[]);
        self_contained(&c.svg);
        assert_eq!(c.svg.matches("<polyline").count(), 2);
        assert_eq!(
            c.svg.matches(r#"<circle"#).count(),
            1,
            "the lone day is a dot"
        );
        // Given out of order, the same line.
        let mut shuffled = points.clone();
        shuffled.reverse();
        assert_eq!(
            c.svg,
            pain_over_time("g", d, day(13), &shuffled, &[], &[]).svg
        );
        // Consecutive days stay joined.
        let whole = pain_over_time("g", d, day(13), &every_day(d, 14, |_| 4.0), &[], &[]);
        assert_eq!(whole.svg.matches("<polyline").count(), 1);
    }

    #[test]
    fn marks_differ_in_shape_and_fill() {
        let d = date!(2026 - 03 - 01);
        let points = every_day(d, 10, |_| 4.0);
        let marks = [
            Mark {
                date: d,
                kind: MarkKind::Intimacy { flared: true },
            },
            Mark {
                date: d,
                kind: MarkKind::Intimacy { flared: false },
            },
            Mark {
                date: d,
                kind: MarkKind::Exercise,
            },
        ];
        let c = pain_over_time("m", d, d + Duration::days(9), &points, &marks, &[]);
        let filled = format!(r#"r="6" fill="{INTIMACY}""#);
        let hollow = format!(r#"r="6" fill="{GROUND}" stroke="{INTIMACY}""#);
        assert_eq!(c.svg.matches(&filled).count(), 2, "a mark and its legend");
        assert_eq!(c.svg.matches(&hollow).count(), 2);
        assert_eq!(
            c.svg.matches(&format!(r#"fill="{EXERCISE}""#)).count(),
            2,
            "a triangle and its legend"
        );
        assert!(c.svg.contains(">Intimacy, pain rose after<"));
    }

    #[test]
    fn labels_and_ids_are_escaped() {
        let d = date!(2026 - 03 - 01);
        let bands = [Band {
            from: d,
            to: d + Duration::days(2),
            label: "<b>&\"flare\"".to_owned(),
        }];
        let c = pain_over_time(
            "x\" onload=\"a",
            d,
            d + Duration::days(5),
            &every_day(d, 6, |_| 2.0),
            &[],
            &bands,
        );
        self_contained(&c.svg);
        assert!(c.svg.contains("&lt;b&gt;&amp;&quot;flare&quot;"));
        assert!(!c.svg.contains("<b>"));
        assert!(c.svg.contains(r#"id="x--onload--a-title""#));

        let bars = [bar("<b>& 'Spoon'\u{1}", 3, 1, 0.3, 0.2)];
        let p = position_outcomes("pos", &bars);
        self_contained(&p.svg);
        assert!(p.svg.contains("&lt;b&gt;&amp; &#39;Spoon&#39;"));
        assert!(
            p.summary
                .starts_with("Chance of a pain rise after intimacy, for 1 position.")
        );
        assert!(
            p.summary.contains("<b>& 'Spoon'"),
            "the summary is plain text"
        );
    }

    #[test]
    fn empty_inputs_say_so() {
        let d = date!(2026 - 03 - 01);
        let c = pain_over_time("e", d, d + Duration::days(30), &[], &[], &[]);
        self_contained(&c.svg);
        assert!(c.svg.contains(">No pain logged in this period<"));
        assert_eq!(
            c.summary,
            "No pain logged in this period (2026-03-01 to 2026-03-31)."
        );
        // Only points outside the period: still empty, but the marks are counted.
        let marks = [Mark {
            date: d,
            kind: MarkKind::Exercise,
        }];
        let c = pain_over_time(
            "e",
            d,
            d + Duration::days(30),
            &pts(&[(d - Duration::days(1), 4.0)]),
            &marks,
            &[],
        );
        assert!(c.svg.contains(">No pain logged in this period<"));
        assert!(c.summary.ends_with(" 1 exercise session."));

        let p = position_outcomes("e", &[]);
        self_contained(&p.svg);
        assert!(p.svg.contains(">No positions logged yet<"));
        assert_eq!(p.summary, "No positions logged yet.");
        assert!(table_rows_pain(&[], &[]).is_empty());
        assert!(table_rows_positions(&[]).is_empty());
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        let (points, marks, bands) = sample();
        let run = || {
            pain_over_time(
                "pain",
                date!(2026 - 08 - 25),
                date!(2026 - 11 - 23),
                &points,
                &marks,
                &bands,
            )
        };
        assert_eq!(run(), run());
        let bars = [
            bar("Spooning", 6, 2, 0.33, 0.2),
            bar("Missionary", 4, 0, 0.1, 0.3),
        ];
        assert_eq!(position_outcomes("p", &bars), position_outcomes("p", &bars));
        // No float printed with more than one decimal.
        for svg in [run().svg, position_outcomes("p", &bars).svg] {
            let digits_after_dot = svg
                .split('.')
                .skip(1)
                .map(|s| s.chars().take_while(char::is_ascii_digit).count())
                .max()
                .unwrap_or(0);
            assert!(digits_after_dot <= 1);
        }
    }

    #[test]
    fn ticks_are_weekly_then_monthly() {
        let d = date!(2026 - 11 - 03);
        let weekly = ticks(d, d + Duration::days(30));
        assert_eq!(weekly.len(), 5);
        assert_eq!(weekly[0].1, "Nov 3");
        assert_eq!(weekly[4].1, "Dec 1");
        let monthly = ticks(date!(2026 - 08 - 25), date!(2027 - 02 - 10));
        let labels: Vec<&str> = monthly.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["Sep", "Oct", "Nov", "Dec", "Jan 2027", "Feb"]);
        // A single day still draws.
        let c = pain_over_time("one", d, d, &pts(&[(d, 5.0)]), &[], &[]);
        self_contained(&c.svg);
        assert!(c.svg.contains(">Nov 3<"));
        assert!(
            c.summary
                .starts_with("Pain at 5 between 2026-11-03 and 2026-11-03, logged on 1 of 1 day,")
        );
    }

    #[test]
    fn the_position_chart_shows_counts_chances_and_the_prior() {
        let bars = [
            bar("Spooning", 6, 2, 0.33, 0.2),
            bar(
                "A very long position name that will not fit on a phone",
                1,
                1,
                0.9,
                0.5,
            ),
        ];
        let c = position_outcomes("pos", &bars);
        self_contained(&c.svg);
        assert!(c.svg.contains(">2 of 6 logs, 33%<"));
        assert!(c.svg.contains(">1 of 1 log, 90%<"));
        assert!(c.svg.contains('…'), "the long name is cut");
        assert_eq!(
            c.svg.matches(&format!(r#"stroke="{PRIOR}""#)).count(),
            3,
            "a tick per row and in the legend"
        );
        assert!(
            c.summary.contains(
                "Spooning: pain rose after 2 of 6 logs; your chance 33% (likely 13% to 58%), \
                 expected from the posture 20%."
            ),
            "{}",
            c.summary
        );
        assert!(
            c.summary
                .contains("A very long position name that will not fit on a phone:")
        );
        let rows = table_rows_positions(&bars);
        assert_eq!(
            rows[0],
            (
                "Spooning".to_owned(),
                "2 of 6 logs".to_owned(),
                "33% (likely 13% to 58%)".to_owned(),
                "20%".to_owned()
            )
        );
    }

    #[test]
    fn out_of_range_chances_are_clamped() {
        let b = PositionBar {
            label: "x".to_owned(),
            logs: 0,
            flares: 0,
            estimate: f64::NAN,
            low: 1.5,
            high: -0.2,
            prior: 2.0,
        };
        let c = position_outcomes("c", &[b]);
        self_contained(&c.svg);
        assert!(
            c.summary
                .contains("your chance 0% (likely 0% to 100%), expected from the posture 100%")
        );
        assert!(!c.svg.contains("NaN") && !c.svg.contains("inf"));
    }

    #[test]
    fn table_rows_list_each_day_with_pain_or_a_mark() {
        let d = date!(2026 - 10 - 01);
        let points = pts(&[(d, 4.0), (d + Duration::days(2), 6.5)]);
        let marks = [
            Mark {
                date: d + Duration::days(1),
                kind: MarkKind::Exercise,
            },
            Mark {
                date: d + Duration::days(2),
                kind: MarkKind::Exercise,
            },
            Mark {
                date: d + Duration::days(2),
                kind: MarkKind::Intimacy { flared: true },
            },
        ];
        let rows = table_rows_pain(&points, &marks);
        let row = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
        assert_eq!(
            rows,
            [
                row("2026-10-01", "4", ""),
                row("2026-10-02", "not logged", "exercise"),
                row("2026-10-03", "6.5", "intimacy (pain rose after), exercise"),
            ]
        );
    }

    #[test]
    fn escape_handles_markup_and_control_characters() {
        assert_eq!(escape("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(escape("a\u{0}b\nc"), "ab c");
        assert_eq!(ident("9 lives"), "chart-9-lives");
    }
}
